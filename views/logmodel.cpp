// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/logmodel.h"

#include <QElapsedTimer>

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/event.h>
#include <engine/sink.h>
#include <views/timelinemodel.h>
#include <views/timelinestyle.h>

#include <array>
#include <iterator>
#include <string_view>
#include <utility>

namespace loopscope::views {

namespace {

using engine::EventKind;

// The Kind column, one word per event kind.
constexpr std::array<std::string_view, static_cast<std::size_t>(EventKind::Count_)> kKindLabels = {
    "created",         // TaskCreated
    "renamed",         // TaskRenamed
    "step",            // StepBegin
    "suspended",       // Suspended
    "ready",           // Ready
    "done",            // TaskDone (by outcome: see kindLabel)
    "cancel",          // CancelRequested
    "CancelledError",  // CancelDelivered
    "swallowed",       // CancelSwallowed
    "uncancel",        // Uncancel
    "timeout",         // TimeoutArmed
    "timeout",         // TimeoutRescheduled
    "timeout",         // TimeoutFired
    "timeout",         // TimeoutDisarmed
    "callback",        // CallbackBegin
    "callback",        // CallbackEnd
    "error",           // CallbackError
    "slow",            // SlowStep
    "loop",            // LoopWait
    "loop",            // LoopWake
    "site",            // SiteDefined
    "signal",          // SignalReceived
    "shutdown",        // ShutdownPhase
    "executor",        // ExecutorJobBegin
    "executor",        // ExecutorJobEnd
    "print",           // Print
    "text",            // Text
    "object",          // ObjectCreated
    "diagnostic",      // Diagnostic
};
static_assert(static_cast<std::size_t>(EventKind::Diagnostic) + 1 == kKindLabels.size(),
              "every EventKind needs a label in kKindLabels");

// The formatter's line is "<time> s  <name padded to 13> <message>"; continuation lines of a
// print are indented to the message column. The table has its own Time and Task columns.
constexpr int kNameWidth = 13;
constexpr int kPrefixWidth = 11 + kNameWidth + 1;

// Print.a8 of a script's stderr output (EngineSession::startScript).
constexpr std::uint8_t kStderr = 1;

LogModel::Severity severityOf(const engine::TraceEvent& e)
{
  switch (e.kind) {
    case EventKind::SlowStep:
    case EventKind::CancelSwallowed:
    case EventKind::Diagnostic:
      return LogModel::Severity::Warning;
    case EventKind::CallbackError:
      return LogModel::Severity::Error;
    case EventKind::Print:
      // A script's stderr (tracebacks, warnings); stdout is a8 = 0.
      return e.a8 == kStderr ? LogModel::Severity::Warning : LogModel::Severity::Normal;
    case EventKind::TaskDone:
      return static_cast<engine::TaskOutcome>(e.a8) == engine::TaskOutcome::Exception
                 ? LogModel::Severity::Error
                 : LogModel::Severity::Normal;
    default:
      return LogModel::Severity::Normal;
  }
}

}  // namespace

LogModel::LogModel(const TimelineModel& model, QObject* parent)
    : LogModel(model, EventFormatter::Options{}, parent)
{}

LogModel::LogModel(const TimelineModel& model, EventFormatter::Options options, QObject* parent)
    : QAbstractTableModel(parent)
    , m_model(model)
    , m_formatter(options)
    , m_seen(model.firstEvent())
    , m_trims(model.trims())
{
  formatNew(m_rows);
}

int LogModel::rowCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LogModel::columnCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : NUM_COLUMNS;
}

const LogModel::Formatted& LogModel::formatted(int row) const
{
  if (m_formatted.row != row) {
    const std::size_t index = m_rows[static_cast<std::size_t>(row)];
    m_formatted.row = row;
    if (index < m_model.firstEvent()) {
      // A row being removed: its event is gone already.
      m_formatted.event = engine::DecodedEvent{};
      m_formatted.message.clear();
      return m_formatted;
    }
    m_formatted.event = m_model.events()[index];
    m_formatted.message = m_formatter.describe(m_formatted.event).value_or(QString());
    // A print's continuation lines are indented to the message column of the formatter's line;
    // this table has its own columns.
    if (m_formatted.event.ev.kind == EventKind::Print)
      m_formatted.message.replace(QLatin1Char('\n') + QString(kPrefixWidth, QLatin1Char(' ')),
                                  QStringLiteral("\n"));
  }
  return m_formatted;
}

QString LogModel::nameAt(std::uint32_t task, std::size_t index) const
{
  const auto it = m_renames.constFind(task);
  if (it != m_renames.cend()) {
    // The name before the first rename at or after the event (a rename shows the old name).
    for (const auto& [at, before] : *it) {
      if (at >= index)
        return before;
    }
  }
  return m_formatter.taskName(task);
}

QVariant LogModel::data(const QModelIndex& index, int role) const
{
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Formatted& row = formatted(index.row());
  const engine::TraceEvent& e = row.event.ev;
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case TimeColumn:
          return QString::asprintf("%.3f s", static_cast<double>(e.t_ns) * 1e-9);
        case TaskColumn:
          return nameAt(e.task, m_rows[static_cast<std::size_t>(index.row())]);
        case KindColumn:
          return kindLabel(e.kind, e.a8);
        case MessageColumn:
          // One line per row: a multi-line print or an exception tree is joined with ⏎ here
          // and shown whole in the tooltip.
          return row.message.contains(QLatin1Char('\n'))
                     ? QString(row.message).replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "))
                     : row.message;
        default:
          return {};
      }
    case Qt::ToolTipRole:
      return index.column() == MessageColumn ? QVariant(row.message) : QVariant();
    case Qt::TextAlignmentRole:
      return index.column() == TimeColumn
                 ? QVariant(static_cast<int>(Qt::AlignRight | Qt::AlignVCenter))
                 : QVariant();
    case Qt::ForegroundRole:
      switch (severityOf(e)) {
        case Severity::Warning:
          return warningColor();
        case Severity::Error:
          return errorColor();
        case Severity::Normal:
          break;
      }
      return {};
    case TaskIdRole:
      return QVariant::fromValue<quint32>(e.task);
    case KindRole:
      return static_cast<int>(e.kind);
    case TimeRole:
      return QVariant::fromValue<qint64>(e.t_ns);
    case EventIndexRole:
      return QVariant::fromValue<qulonglong>(m_rows[static_cast<std::size_t>(index.row())]);
    default:
      return {};
  }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
    return {};
  switch (section) {
    case TimeColumn:
      return tr("Time");
    case TaskColumn:
      return tr("Task");
    case KindColumn:
      return tr("Kind");
    case MessageColumn:
      return tr("Message");
    default:
      return {};
  }
}

LogModel::Severity LogModel::severity(int row) const
{
  return row >= 0 && static_cast<std::size_t>(row) < m_rows.size() &&
                 m_rows[static_cast<std::size_t>(row)] >= m_model.firstEvent()
             ? severityOf(m_model.events().raw(m_rows[static_cast<std::size_t>(row)]))
             : Severity::Normal;
}

QColor LogModel::warningColor()
{
  return Theme::current().logWarning;  // amber, dark or light to be read on the theme's rows
}

QColor LogModel::errorColor()
{
  return Theme::current().logError;
}

QString LogModel::kindLabel(engine::EventKind kind, std::uint8_t a8)
{
  if (kind == EventKind::Print && a8 == kStderr) {
    return QStringLiteral("stderr");
  }
  if (kind == EventKind::TaskDone) {
    switch (static_cast<engine::TaskOutcome>(a8)) {
      case engine::TaskOutcome::Exception:
        return QStringLiteral("failed");
      case engine::TaskOutcome::Cancelled:
        return QStringLiteral("cancelled");
      case engine::TaskOutcome::Result:
        break;
    }
  }
  const auto i = static_cast<std::size_t>(kind);
  if (i >= kKindLabels.size())
    return QStringLiteral("?");
  return QString::fromLatin1(kKindLabels[i].data(), static_cast<qsizetype>(kKindLabels[i].size()));
}

void LogModel::formatNew(std::vector<std::uint32_t>& out, std::size_t limit, qint64 budgetMs)
{
  const EventStore& events = m_model.events();
  const std::size_t end = events.size() - m_seen > limit ? m_seen + limit : events.size();
  engine::DecodedEvent event;
  QElapsedTimer spent;
  if (budgetMs > 0)
    spent.start();
  const std::size_t start = m_seen;
  for (; m_seen < end; ++m_seen) {
    // Checked every 1,024 events, never before the first: each call makes progress.
    if (budgetMs > 0 && (m_seen & 1023) == 0 && m_seen != start && spent.elapsed() >= budgetMs)
      break;  // the rest at the next sync
    // Only names, sites and labels need the text: most events are read without it.
    std::string_view text;
    event.ev = events.raw(m_seen, &text);
    const engine::TraceEvent& e = event.ev;
    if (EventFormatter::learns(e.kind)) {
      event.text.assign(text);
      if (e.kind == EventKind::TaskRenamed)
        m_renames[e.task].emplace_back(m_seen, m_formatter.taskName(e.task));
      m_formatter.learn(event);
    }
    if (m_formatter.shows(e.kind))
      out.push_back(static_cast<std::uint32_t>(m_seen));
  }
}

void LogModel::dropTrimmed()
{
  m_trims = m_model.trims();
  const std::size_t first = m_model.firstEvent();
  const auto gone = std::lower_bound(m_rows.begin(), m_rows.end(), first);
  if (gone != m_rows.begin()) {
    beginRemoveRows(QModelIndex(), 0, static_cast<int>(gone - m_rows.begin()) - 1);
    m_rows.erase(m_rows.begin(), gone);
    m_formatted = Formatted();
    endRemoveRows();
    if (m_rows.capacity() > 2 * m_rows.size() + 65536)
      m_rows.shrink_to_fit();
  }
  // Events dropped before they were looked at are skipped (their names are not learnt).
  m_seen = std::max(m_seen, first);
  // Forget the names, sites and labels of what the model no longer has.
  for (auto it = m_renames.begin(); it != m_renames.end();) {
    std::erase_if(*it, [first](const auto& rename) { return rename.first < first; });
    it = it->empty() || m_model.task(it.key()) == nullptr ? m_renames.erase(it) : std::next(it);
  }
  m_formatter.forgetTasks([this](std::uint32_t task) { return m_model.task(task) == nullptr; });
  m_formatter.forgetObjects(
      [this](std::uint64_t object) { return m_model.objectLabel(object).empty(); });
}

void LogModel::sync()
{
  const std::size_t available = m_model.events().size();
  if (available < m_seen) {
    reload();
    return;
  }
  if (m_model.trims() != m_trims)
    dropTrimmed();
  if (available == m_seen)
    return;
  std::vector<std::uint32_t> fresh;
  formatNew(fresh, kMaxEventsPerSync, kSyncBudgetMs);
  if (fresh.empty())
    return;
  const int first = static_cast<int>(m_rows.size());
  beginInsertRows(QModelIndex(), first, first + static_cast<int>(fresh.size()) - 1);
  m_rows.insert(m_rows.end(), fresh.begin(), fresh.end());
  endInsertRows();
}

bool LogModel::hasPending() const
{
  return m_seen < m_model.events().size();
}

void LogModel::reload()
{
  beginResetModel();
  m_rows.clear();
  m_formatter.reset();
  m_renames.clear();
  m_formatted = Formatted();
  m_seen = m_model.firstEvent();
  m_trims = m_model.trims();
  formatNew(m_rows);
  endResetModel();
}

// ---- LogFilterProxy ---------------------------------------------------------------------------

LogFilterProxy::LogFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {}

QList<engine::EventKind> LogFilterProxy::kinds() const
{
  QList<engine::EventKind> out;
  if (m_anyKind)
    return out;
  for (std::size_t i = 0; i < m_kinds.size(); ++i)
    if (m_kinds.test(i))
      out.push_back(static_cast<engine::EventKind>(i));
  return out;
}

void LogFilterProxy::setTasks(const QSet<quint32>& tasks)
{
  if (tasks == m_tasks)
    return;
  m_tasks = tasks;
  invalidateFilter();
}

void LogFilterProxy::setKinds(const QList<engine::EventKind>& kinds)
{
  std::bitset<256> wanted;
  for (const engine::EventKind k : kinds)
    wanted.set(static_cast<std::size_t>(k));
  if (wanted == m_kinds && m_anyKind == kinds.isEmpty())
    return;
  m_kinds = wanted;
  m_anyKind = kinds.isEmpty();
  invalidateFilter();
}

void LogFilterProxy::setText(const QString& text)
{
  if (text == m_text)
    return;
  m_text = text;
  invalidateFilter();
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
  const QAbstractItemModel* source = sourceModel();
  if (source == nullptr)
    return false;
  const QModelIndex message = source->index(sourceRow, LogModel::MessageColumn, sourceParent);
  if (!m_tasks.isEmpty() && !m_tasks.contains(message.data(LogModel::TaskIdRole).value<quint32>()))
    return false;
  if (!m_anyKind) {
    const int kind = message.data(LogModel::KindRole).toInt();
    if (kind < 0 || static_cast<std::size_t>(kind) >= m_kinds.size() ||
        !m_kinds.test(static_cast<std::size_t>(kind)))
      return false;
  }
  if (!m_text.isEmpty() &&
      !message.data(Qt::DisplayRole).toString().contains(m_text, Qt::CaseInsensitive))
    return false;
  return true;
}

}  // namespace loopscope::views
