// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code. moc cannot
// parse the C++20 standard headers they pull in, and needs none of them.
#ifndef Q_MOC_RUN
#include <engine/event.h>
#include <views/eventformatter.h>
#endif

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QString>
#include <QVariant>

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace loopscope::views {

class TimelineModel;

// The events of one run as log lines, one row per event the EventFormatter shows (bookkeeping
// events such as SiteDefined, Text, LoopWait/LoopWake and steps are not rows), over a
// TimelineModel it reads and never writes.
//
// The TimelineModel grows without telling anyone; call sync() after each appended batch (only
// the new rows are inserted, so it is cheap at 60 Hz) and reload() after TimelineModel::clear()
// or after the model was replaced. Rows of the events the model's retention drops are removed at
// the next sync().
class LogModel : public QAbstractTableModel
{
  Q_OBJECT

public:
  enum Columns {
    TimeColumn,     // "1.234 s" (loop time)
    TaskColumn,     // the task's name when the event happened; "loop" for the loop itself
    KindColumn,     // "suspended", "cancel", "print", "stderr", ... (kindLabel())
    MessageColumn,  // EventFormatter's message: "suspended at demo.cpp:41 (sleep until ...)"
    NUM_COLUMNS
  };
  enum Roles {
    TaskIdRole = Qt::UserRole,  // the event's task id (quint32; 0 = the loop), any column
    KindRole,                   // engine::EventKind as an int, any column
    TimeRole,                   // loop time in ns (qint64), any column
    EventIndexRole,             // index into TimelineModel::events() (qulonglong), any column
  };
  // How a row is coloured (Qt::ForegroundRole).
  enum class Severity : std::uint8_t { Normal, Warning, Error };

  explicit LogModel(const TimelineModel& model, QObject* parent = nullptr);
  LogModel(const TimelineModel& model, EventFormatter::Options options, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  // Severity of a row: warnings are slow steps, swallowed cancellations and diagnostics; errors
  // are failed tasks and callbacks that raised.
  [[nodiscard]] Severity severity(int row) const;
  // The foreground colours of warning and error rows, for the application palette's theme (read
  // when a row is painted, so a palette change shows at once).
  [[nodiscard]] static QColor warningColor();
  [[nodiscard]] static QColor errorColor();
  // The Kind column's text: "print" for Print, "failed" for a task that raised, ...
  [[nodiscard]] static QString kindLabel(engine::EventKind kind, std::uint8_t a8);

  // sync() looks at most this many events per call (about 100 ns each: rows are formatted only
  // when shown), so a burst costs the GUI thread a few frames of bounded work, not one stall.
  static constexpr std::size_t kMaxEventsPerSync = 32768;
  // ...and for about this long: a run creating 100,000 tasks makes each of their names a QString
  // (a few hundred ns each), so 32,768 events can take 10 ms.
  static constexpr qint64 kSyncBudgetMs = 4;
  // True when events are waiting for the next sync().
  [[nodiscard]] bool hasPending() const;

public slots:
  // Appends rows for the events added to the TimelineModel since the last sync(), at most
  // kMaxEventsPerSync of them (one
  // rowsInserted for the new range; nothing when no new event is shown). Falls back to
  // reload() if the model shrank (it was cleared).
  void sync();
  // Resets the log to the TimelineModel as it is now (after clear(), or a replaced model).
  void reload();

private:
  // A row is an index into TimelineModel::events(): 4 bytes per row, the line is formatted
  // when a view asks for it (a run of millions of events keeps no strings here).
  //
  // Formats events [m_seen, min(end, m_seen + limit)) into `out` (only the shown ones).
  // Reads the events after the last one seen (at most `limit`, and for about `budgetMs` when
  // that is positive) and appends the rows of those the log shows to `out`.
  void formatNew(std::vector<std::uint32_t>& out, std::size_t limit = SIZE_MAX,
                 qint64 budgetMs = 0);
  // The row's event and message, decoded and formatted once for the several roles and columns
  // a view asks for in a row.
  struct Formatted
  {
    int row = -1;
    engine::DecodedEvent event;
    QString message;
  };
  const Formatted& formatted(int row) const;
  // Removes the rows of the events the TimelineModel's retention dropped.
  void dropTrimmed();
  // The name `task` had when event `index` happened.
  [[nodiscard]] QString nameAt(std::uint32_t task, std::size_t index) const;

  const TimelineModel& m_model;
  EventFormatter m_formatter;  // has learnt the names and sites of events [0, m_seen)
  std::vector<std::uint32_t> m_rows;
  std::size_t m_seen = 0;     // events of m_model already looked at
  std::uint64_t m_trims = 0;  // m_model.trims() when the rows were last cut to match
  // Per renamed task: (index of each TaskRenamed event, the name before it).
  QHash<std::uint32_t, std::vector<std::pair<std::size_t, QString>>> m_renames;
  mutable Formatted m_formatted;
};

// Filters a LogModel (or any model with its roles) by task, by kind and by text. Each filter is
// off while empty; rows must pass all of them.
class LogFilterProxy : public QSortFilterProxyModel
{
  Q_OBJECT

public:
  explicit LogFilterProxy(QObject* parent = nullptr);

  [[nodiscard]] const QSet<quint32>& tasks() const noexcept { return m_tasks; }
  [[nodiscard]] QList<engine::EventKind> kinds() const;
  [[nodiscard]] const QString& text() const noexcept { return m_text; }

public slots:
  // Only rows of these tasks (TaskIdRole); empty = every task.
  void setTasks(const QSet<quint32>& tasks);
  // Only rows of these kinds (KindRole); empty = every kind.
  void setKinds(const QList<engine::EventKind>& kinds);
  // Only rows whose message contains `text`, ignoring case; empty = every row.
  void setText(const QString& text);

protected:
  [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                      const QModelIndex& sourceParent) const override;

private:
  QSet<quint32> m_tasks;
  std::bitset<256> m_kinds;  // by EventKind value
  bool m_anyKind = true;
  QString m_text;
};

}  // namespace loopscope::views
