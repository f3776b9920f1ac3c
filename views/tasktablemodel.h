// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QVariant>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace loopscope::views {

class TimelineModel;
struct TaskInfo;

// The task list of one run, as a table (one row per task, in creation order) over a
// TimelineModel it reads and never writes. Sort and filter it through a QSortFilterProxyModel
// (SortRole gives numbers for the numeric columns).
//
// The TimelineModel grows without telling anyone; call sync() after each appended batch (rows
// are inserted for new tasks, changed rows announced with one dataChanged) and reload() after
// TimelineModel::clear().
class TaskTableModel : public QAbstractTableModel
{
  Q_OBJECT

public:
  enum Columns {
    IdColumn,
    NameColumn,
    StateColumn,
    ParentColumn,
    AwaitSiteColumn,
    AwaitingColumn,
    CancelRequestsColumn,
    CancellingColumn,
    StepsColumn,
    BusyColumn,
    ReadyColumn,
    IdleColumn,
    OutcomeColumn,
    NUM_COLUMNS
  };
  enum Roles {
    SortRole = Qt::UserRole,  // a number for numeric columns, else the display text
    TaskIdRole,               // the row's task id (quint32), any column
    StateRole,                // the row's TaskState as an int, any column
  };

  explicit TaskTableModel(const TimelineModel& model, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  // The loop time the busy/ready/idle columns count up to (the last sync()).
  [[nodiscard]] std::int64_t now() const noexcept { return m_now; }

  // "1.25 s", "340 ms", "12 µs", "80 ns": three significant digits, trailing zeros dropped.
  [[nodiscard]] static QString formatDuration(std::int64_t ns);

public slots:
  // Catches up with the TimelineModel: inserts rows for new tasks and emits one dataChanged for
  // the rows that may have changed (tasks named in the new events, and every live task, whose
  // times grow with `now`). Rows of tasks the model's retention dropped are removed (reload() if
  // more than one cut happened since). Falls back to reload() if the model was cleared since.
  void sync(std::int64_t now);
  // Resets the table to the TimelineModel as it is (after TimelineModel::clear()).
  void reload();

private:
  [[nodiscard]] QString displayText(const TaskInfo& task, int column) const;
  [[nodiscard]] QVariant sortValue(const TaskInfo& task, int column) const;
  [[nodiscard]] QString awaitingText(const TaskInfo& task) const;
  [[nodiscard]] QString outcomeText(const TaskInfo& task) const;
  // Removes the rows of the tasks the model's last cut dropped.
  void removeTrimmed();

  const TimelineModel& m_model;
  int m_rows = 0;
  std::int64_t m_now = 0;
  std::int64_t m_timesRefreshed = 0;  // loop time of the last busy/ready/idle refresh
  static constexpr std::int64_t kTimesRefreshNs = 250'000'000;
  // A cut that removes more separate runs of rows than this resets the table instead.
  static constexpr std::size_t kMaxRemovedRuns = 16;
  std::size_t m_eventsSeen = 0;           // events of m_model already looked at by sync()
  std::uint64_t m_generation = 0;         // m_model.generation() the rows belong to
  std::uint64_t m_trims = 0;              // m_model.trims() the rows match
  int m_firstLive = 0;                    // every row before it is a finished task
  std::vector<std::uint32_t> m_removing;  // row -> task id while removeTrimmed() runs
};

}  // namespace loopscope::views
