// SPDX-License-Identifier: GPL-3.0-or-later
// Engine headers (through the timeline model) before Qt's: Qt's `emit` keyword macro must not
// meet engine code.
#include "views/tasktablemodel.h"

#include "views/timelinemodel.h"
#include "views/timelinestyle.h"

#include <QColor>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string_view>

namespace loopscope::views {

namespace {

using engine::AwaitKind;

QString fromStd(std::string_view s)
{
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// Three significant digits, trailing zeros dropped: 1.25, 12.5, 340.
QString threeDigits(double v)
{
  if (v >= 99.95)
    return QString::number(std::llround(v));
  QString s = QString::number(v, 'f', v >= 9.995 ? 1 : 2);
  while (s.endsWith(QLatin1Char('0')))
    s.chop(1);
  if (s.endsWith(QLatin1Char('.')))
    s.chop(1);
  return s;
}

bool isNumeric(int column)
{
  switch (column) {
    case TaskTableModel::IdColumn:
    case TaskTableModel::CancelRequestsColumn:
    case TaskTableModel::CancellingColumn:
    case TaskTableModel::StepsColumn:
    case TaskTableModel::BusyColumn:
    case TaskTableModel::ReadyColumn:
    case TaskTableModel::IdleColumn:
      return true;
    default:
      return false;
  }
}

}  // namespace

TaskTableModel::TaskTableModel(const TimelineModel& model, QObject* parent)
    : QAbstractTableModel(parent)
    , m_model(model)
    , m_rows(static_cast<int>(model.taskCount()))
    , m_now(model.endTime())
    , m_eventsSeen(model.events().size())
    , m_generation(model.generation())
    , m_trims(model.trims())
{}

int TaskTableModel::rowCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : m_rows;
}

int TaskTableModel::columnCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : NUM_COLUMNS;
}

QString TaskTableModel::formatDuration(std::int64_t ns)
{
  struct Unit
  {
    double scale;
    const char* name;
  };
  static constexpr std::array<Unit, 4> kUnits = {
      {{1.0, "ns"}, {1e3, "µs"}, {1e6, "ms"}, {1e9, "s"}}};
  const double value = static_cast<double>(std::max<std::int64_t>(ns, 0));
  std::size_t unit = 0;
  while (unit + 1 < kUnits.size() && value >= kUnits[unit + 1].scale)
    ++unit;
  // 999.96 ms rounds to "1000 ms": say "1 s" instead.
  if (unit + 1 < kUnits.size() && value / kUnits[unit].scale >= 999.5)
    ++unit;
  return threeDigits(value / kUnits[unit].scale) + QLatin1Char(' ') +
         QString::fromUtf8(kUnits[unit].name);
}

QString TaskTableModel::awaitingText(const TaskInfo& task) const
{
  const std::uint64_t id = task.awaiting;
  const QString label = fromStd(m_model.objectLabel(id));
  switch (task.awaitKind) {
    case AwaitKind::None:
      return {};
    case AwaitKind::Yield:
      return QStringLiteral("yield");
    case AwaitKind::Sleep:
      return QString::asprintf("sleep until %.3f s", static_cast<double>(id) * 1e-9);
    case AwaitKind::Task:
      return QStringLiteral("task ") + fromStd(m_model.taskName(static_cast<std::uint32_t>(id)));
    case AwaitKind::Executor:
      return QStringLiteral("executor job #%1").arg(id);
    default:
      break;
  }
  // Locks, queues, sockets, futures... are named by ObjectCreated ("Queue jobs").
  if (!label.isEmpty())
    return label;
  const QString kind = fromStd(engine::await_kind_name(task.awaitKind));
  return id != 0 ? QStringLiteral("%1 #%2").arg(kind).arg(id) : kind;
}

QString TaskTableModel::outcomeText(const TaskInfo& task) const
{
  switch (task.state) {
    case TaskState::Done:
      return QStringLiteral("result");
    case TaskState::Failed:
      return fromStd(m_model.outcomeText(task));
    case TaskState::Cancelled:
      return task.outcome == 0
                 ? QStringLiteral("cancelled")
                 : QStringLiteral("cancelled: \"%1\"").arg(fromStd(m_model.outcomeText(task)));
    default:
      return {};
  }
}

QString TaskTableModel::displayText(const TaskInfo& task, int column) const
{
  switch (column) {
    case IdColumn:
      return QString::number(task.id);
    case NameColumn:
      return fromStd(task.name);
    case StateColumn:
      return QString::fromLatin1(taskStateName(task.state));
    case ParentColumn:
      return task.parent != 0 ? fromStd(m_model.taskName(task.parent)) : QString();
    case AwaitSiteColumn:
      if (task.awaitSite == 0)
        return {};
      if (const Site* site = m_model.site(task.awaitSite))
        return fromStd(site->location());
      return QStringLiteral("site #%1").arg(task.awaitSite);
    case AwaitingColumn:
      return awaitingText(task);
    case CancelRequestsColumn:
      return QString::number(task.cancelRequests);
    case CancellingColumn:
      return QString::number(task.cancelling);
    case StepsColumn:
      return QString::number(task.steps);
    case BusyColumn:
      return formatDuration(m_model.times(task.id, m_now).busy);
    case ReadyColumn:
      return formatDuration(m_model.times(task.id, m_now).ready);
    case IdleColumn:
      return formatDuration(m_model.times(task.id, m_now).idle);
    case OutcomeColumn:
      return outcomeText(task);
    default:
      return {};
  }
}

QVariant TaskTableModel::sortValue(const TaskInfo& task, int column) const
{
  switch (column) {
    case IdColumn:
      return qint64{task.id};
    case StateColumn:
      return static_cast<int>(task.state);
    case CancelRequestsColumn:
      return qint64{task.cancelRequests};
    case CancellingColumn:
      return qint64{task.cancelling};
    case StepsColumn:
      return qint64{task.steps};
    case BusyColumn:
      return qint64{m_model.times(task.id, m_now).busy};
    case ReadyColumn:
      return qint64{m_model.times(task.id, m_now).ready};
    case IdleColumn:
      return qint64{m_model.times(task.id, m_now).idle};
    default:
      return displayText(task, column);
  }
}

QVariant TaskTableModel::data(const QModelIndex& index, int role) const
{
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  // While the rows of dropped tasks are being removed, rows go by the ids they had.
  const TaskInfo* found = m_removing.empty()
                              ? &m_model.taskAt(static_cast<std::size_t>(index.row()))
                              : m_model.task(m_removing[static_cast<std::size_t>(index.row())]);
  if (found == nullptr)
    return {};
  const TaskInfo& task = *found;
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      return displayText(task, column);
    case SortRole:
      return sortValue(task, column);
    case TaskIdRole:
      return QVariant::fromValue(static_cast<quint32>(task.id));
    case StateRole:
      return static_cast<int>(task.state);
    case Qt::DecorationRole:
      // A view draws a QColor decoration as a small square.
      return column == StateColumn ? QVariant(stateColor(task.state)) : QVariant();
    case Qt::TextAlignmentRole:
      return isNumeric(column) ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ToolTipRole:
      if (column == AwaitSiteColumn && task.awaitSite != 0) {
        const Site* site = m_model.site(task.awaitSite);
        if (site == nullptr)
          return {};
        return QStringLiteral("%1\n%2:%3:%4")
            .arg(fromStd(site->function), fromStd(site->file))
            .arg(site->line)
            .arg(site->column);
      }
      if (column == OutcomeColumn || column == NameColumn || column == AwaitingColumn)
        return displayText(task, column);
      return {};
    default:
      return {};
  }
}

QVariant TaskTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation != Qt::Horizontal || section < 0 || section >= NUM_COLUMNS)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    switch (section) {
      case IdColumn:
        return QStringLiteral("ID");
      case NameColumn:
        return QStringLiteral("Name");
      case StateColumn:
        return QStringLiteral("State");
      case ParentColumn:
        return QStringLiteral("Parent");
      case AwaitSiteColumn:
        return QStringLiteral("Await site");
      case AwaitingColumn:
        return QStringLiteral("Awaiting");
      case CancelRequestsColumn:
        return QStringLiteral("Cancels");
      case CancellingColumn:
        return QStringLiteral("Cancelling");
      case StepsColumn:
        return QStringLiteral("Steps");
      case BusyColumn:
        return QStringLiteral("Busy");
      case ReadyColumn:
        return QStringLiteral("Ready");
      case IdleColumn:
        return QStringLiteral("Idle");
      case OutcomeColumn:
        return QStringLiteral("Outcome");
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    // The busy/ready/idle split is tokio-console's (busy, scheduled, idle).
    switch (section) {
      case IdColumn:
        return QStringLiteral("The task's id in this run (Task-<id> when it has no name)");
      case StateColumn:
        return QStringLiteral("What the task is doing now");
      case ParentColumn:
        return QStringLiteral("The task that created it");
      case AwaitSiteColumn:
        return QStringLiteral("Where the task is suspended now");
      case AwaitingColumn:
        return QStringLiteral("What the task waits for now");
      case CancelRequestsColumn:
        return QStringLiteral("How many times cancel() was called on the task");
      case CancellingColumn:
        return QStringLiteral("cancelling(): cancel requests not withdrawn by uncancel()");
      case StepsColumn:
        return QStringLiteral("How many times the loop ran the task (one step per resumption)");
      case BusyColumn:
        return QStringLiteral(
            "Busy: total time the task was running on the loop thread (in its steps)");
      case ReadyColumn:
        return QStringLiteral(
            "Ready (scheduled): total time the task was woken and queued, waiting for the loop "
            "thread to run it. A large value means the loop is too busy to keep up.");
      case IdleColumn:
        return QStringLiteral(
            "Idle: total time the task was suspended at an await, waiting for something to "
            "wake it");
      case OutcomeColumn:
        return QStringLiteral("How the task ended: its result, exception or cancellation");
      default:
        return {};
    }
  }
  if (role == Qt::TextAlignmentRole && isNumeric(section))
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  return QAbstractTableModel::headerData(section, orientation, role);
}

void TaskTableModel::sync(std::int64_t now)
{
  const auto& events = m_model.events();
  if (m_model.generation() == m_generation && m_model.trims() != m_trims) {
    if (m_model.trims() == m_trims + 1) {
      removeTrimmed();
    } else {
      reload();
      m_now = now;
      return;
    }
  }
  const auto count = static_cast<int>(m_model.taskCount());
  if (m_model.generation() != m_generation || count < m_rows || events.size() < m_eventsSeen) {
    reload();  // the model was cleared behind our back
    m_now = now;
    return;
  }
  const bool newEvents = events.size() != m_eventsSeen;
  if (!newEvents && now == m_now && count == m_rows)
    return;

  // Rows that may have changed: tasks named in the new events and every live task (its times
  // count up to now). A rename can change other rows' parent or awaiting text: all rows then.
  int first = std::numeric_limits<int>::max();
  int last = -1;
  for (std::size_t i = m_eventsSeen; i < events.size(); ++i) {
    const engine::TraceEvent e = events.raw(i);
    if (e.kind == engine::EventKind::TaskRenamed) {
      first = 0;
      last = m_rows - 1;
      break;
    }
    if (e.task == 0)
      continue;
    const int row = m_model.indexOf(e.task);
    if (row >= 0 && row < m_rows) {
      first = std::min(first, row);
      last = std::max(last, row);
    }
  }
  m_eventsSeen = events.size();
  m_now = now;

  while (m_firstLive < m_rows &&
         isTerminal(m_model.taskAt(static_cast<std::size_t>(m_firstLive)).state) &&
         (first > m_firstLive || last < m_firstLive))
    ++m_firstLive;
  // A task's id never changes: leaving its column out of the range keeps a proxy sorted by id
  // (the default) from re-sorting every row in the range (with 100,000 tasks, most of a frame).
  static_assert(IdColumn == 0);
  if (last >= first)
    emit dataChanged(index(first, IdColumn + 1), index(last, NUM_COLUMNS - 1));

  // Live tasks' busy/ready/idle times count up with the clock alone: those three columns are
  // refreshed a few times a second, not every frame (with 10,000 live tasks, a proxy model
  // re-filtering every row at 60 Hz would keep the GUI thread busy).
  if (now - m_timesRefreshed >= kTimesRefreshNs || now < m_timesRefreshed) {
    m_timesRefreshed = now;
    int liveFirst = std::numeric_limits<int>::max();
    int liveLast = -1;
    for (int row = m_firstLive; row < m_rows; ++row) {
      if (!isTerminal(m_model.taskAt(static_cast<std::size_t>(row)).state)) {
        liveFirst = std::min(liveFirst, row);
        liveLast = row;
      }
    }
    if (liveLast >= liveFirst)
      emit dataChanged(index(liveFirst, BusyColumn), index(liveLast, IdleColumn));
  }

  if (count > m_rows) {
    beginInsertRows(QModelIndex(), m_rows, count - 1);
    m_rows = count;
    endInsertRows();
  }
}

void TaskTableModel::removeTrimmed()
{
  m_trims = m_model.trims();
  const std::vector<std::uint32_t>& removed = m_model.removedInLastTrim();
  const std::vector<std::uint32_t>& removedIds = m_model.removedIdsInLastTrim();
  // The rows as they were (the model has already moved on), so that each removal leaves the
  // rows after it as views knew them.
  m_removing.clear();
  m_removing.reserve(static_cast<std::size_t>(m_rows));
  std::size_t next = 0;  // in removed
  std::size_t kept = 0;  // in the model
  for (std::uint32_t row = 0; row < static_cast<std::uint32_t>(m_rows); ++row) {
    if (next < removed.size() && removed[next] == row)
      m_removing.push_back(removedIds[next++]);
    else
      m_removing.push_back(m_model.taskAt(kept++).id);
  }
  // Back to front, one rowsRemoved per run of consecutive rows; tasks created after the last
  // sync() never had a row. Many runs (long-lived tasks scattered among the dropped ones) would
  // cost a sorting proxy a pass over all its rows each: a reset is cheaper then.
  std::size_t runs = 0;
  for (std::size_t k = 0; k < next; ++k)
    runs += k == 0 || removed[k - 1] + 1 != removed[k] ? 1 : 0;
  if (runs > kMaxRemovedRuns) {
    m_removing.clear();
    reload();
    return;
  }
  std::size_t i = next;
  while (i > 0) {
    const std::uint32_t last = removed[i - 1];
    std::size_t j = i - 1;
    while (j > 0 && removed[j - 1] + 1 == removed[j])
      --j;
    const std::uint32_t first = removed[j];
    i = j;
    beginRemoveRows(QModelIndex(), static_cast<int>(first), static_cast<int>(last));
    m_removing.erase(m_removing.begin() + first, m_removing.begin() + last + 1);
    m_rows -= static_cast<int>(last - first + 1);
    endRemoveRows();
  }
  m_removing.clear();
  m_removing.shrink_to_fit();
  m_eventsSeen = std::max(m_eventsSeen, m_model.firstEvent());
  m_firstLive = 0;
}

void TaskTableModel::reload()
{
  beginResetModel();
  m_rows = static_cast<int>(m_model.taskCount());
  m_eventsSeen = m_model.events().size();
  m_generation = m_model.generation();
  m_trims = m_model.trims();
  m_now = m_model.endTime();
  m_firstLive = 0;
  m_timesRefreshed = 0;
  endResetModel();
}

}  // namespace loopscope::views
