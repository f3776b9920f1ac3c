// SPDX-License-Identifier: GPL-3.0-or-later
// TaskTableModel over a TimelineModel: rows follow the tasks as batches arrive, cells say what a
// task is doing, numeric columns sort as numbers, and the model passes QAbstractItemModelTester
// throughout.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "../engine/testsupport.h"
#include "engine/engine.h"

#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>
#include <views/timelinestyle.h>

#include <QAbstractItemModelTester>
#include <QColor>
#include <QPersistentModelIndex>
#include <QSet>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

using loopscope::engine::AwaitKind;
using loopscope::engine::CancelSource;
using loopscope::engine::Coro;
using loopscope::engine::DecodedEvent;
using loopscope::engine::EventKind;
using loopscope::engine::TaskOutcome;
using loopscope::engine::TraceDecoder;
using loopscope::engine::TraceEvent;
using loopscope::testsupport::VirtualLoop;
using loopscope::views::stateColor;
using loopscope::views::TaskState;
using loopscope::views::TaskTableModel;
using loopscope::views::TimelineModel;
using namespace std::chrono_literals;

using Events = std::vector<DecodedEvent>;

class tst_TaskTableModel : public QObject
{
  Q_OBJECT

private slots:
  void passesTheModelTesterWhileBatchesArrive();
  void rowsAreInsertedAsTasksAppear();
  void syncAnnouncesOnlyRowsThatCanChange();
  void displayText_data();
  void displayText();
  void awaitSiteTooltipNamesTheFunction();
  void sortRoleGivesNumbersForNumericColumns_data();
  void sortRoleGivesNumbersForNumericColumns();
  void sortsByBusyTimeThroughAProxy();
  void syncReSortsAProxyOnlyWhenItsColumnCanChange_data();
  void syncReSortsAProxyOnlyWhenItsColumnCanChange();
  void reloadAfterClear();
  void stateIsShownInItsColour();
  void headerTooltipsExplainBusyReadyIdle();
  void formatDuration_data();
  void formatDuration();
  void retentionRemovesTheRowsOfDroppedTasks_data();
  void retentionRemovesTheRowsOfDroppedTasks();
};

namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kUs = 1'000;

DecodedEvent ev(EventKind kind, std::int64_t tNs, std::uint32_t task, std::uint32_t site = 0,
                std::uint64_t detail = 0, std::uint32_t arg = 0, std::uint8_t a8 = 0,
                std::string text = {})
{
  return DecodedEvent{TraceEvent{0, tNs, detail, task, site, arg, kind, a8, 0}, std::move(text)};
}

std::uint8_t u8(auto e)
{
  return static_cast<std::uint8_t>(e);
}

DecodedEvent created(std::uint32_t task, const std::string& name, std::uint32_t parent = 0,
                     std::int64_t tNs = 0)
{
  return ev(EventKind::TaskCreated, tNs, task, 0, parent, 0, 1, name);
}

// main (1) awaits worker-2 (2); consumer (3) waits on "Queue jobs"; sleeper (4) sleeps; failing
// (5) raised; victim (6) was cancelled twice, uncancelled once, and ended cancelled. Busy times:
// main 12 µs, worker-2 1.25 s, consumer 2 ms, sleeper 340 ms, failing 1 ms, victim 500 µs.
Events showcase()
{
  const auto sleep = u8(AwaitKind::Sleep);
  const auto user = u8(CancelSource::User);
  return {
      ev(EventKind::SiteDefined, 0, 0, 1, 0, 0, 0, "/src/demo.cpp\t41\t9\tworker(int)"),
      created(1, "main"),
      created(2, "worker-2", 1),
      created(3, "consumer", 1),
      created(4, "sleeper", 1),
      created(5, "failing", 1),
      created(6, "victim", 1),
      ev(EventKind::ObjectCreated, 0, 1, 0, 70, 0, u8(AwaitKind::Queue), "Queue jobs"),
      ev(EventKind::StepBegin, 0, 1),
      ev(EventKind::Suspended, 12 * kUs, 1, 1, 2, 0, u8(AwaitKind::Task)),
      ev(EventKind::StepBegin, 500 * kMs, 2),
      ev(EventKind::Suspended, 1750 * kMs, 2, 1, 3000 * kMs, 0, sleep),
      ev(EventKind::StepBegin, 1750 * kMs, 3),
      ev(EventKind::Suspended, 1752 * kMs, 3, 0, 70, 0, u8(AwaitKind::Queue)),
      ev(EventKind::StepBegin, 1752 * kMs, 4),
      ev(EventKind::Suspended, 2092 * kMs, 4, 0, 5000 * kMs, 0, sleep),
      ev(EventKind::StepBegin, 2092 * kMs, 5),
      ev(EventKind::TaskDone, 2093 * kMs, 5, 0, 0, 0, u8(TaskOutcome::Exception),
         "ValueError: boom"),
      ev(EventKind::CancelRequested, 2093 * kMs, 6, 0, 1, 1, user, "stop"),
      ev(EventKind::CancelRequested, 2094 * kMs, 6, 0, 1, 2, user, "stop"),
      ev(EventKind::Uncancel, 2095 * kMs, 6, 0, 0, 1),
      ev(EventKind::StepBegin, 2095 * kMs, 6),
      ev(EventKind::CancelDelivered, 2095 * kMs, 6, 0, 0, 1),
      ev(EventKind::TaskDone, 2095 * kMs + 500 * kUs, 6, 0, 0, 0, u8(TaskOutcome::Cancelled),
         "stop"),
  };
}

constexpr std::int64_t kShowcaseNow = 3000 * kMs;

int rowOf(const TaskTableModel& table, const QString& name)
{
  for (int row = 0; row < table.rowCount(); ++row) {
    if (table.index(row, TaskTableModel::NameColumn).data().toString() == name)
      return row;
  }
  return -1;
}

Coro<void> sleepFor(loopscope::engine::Duration d)
{
  co_await loopscope::engine::sleep(d);
}

Coro<void> spawner(int children)
{
  std::vector<loopscope::engine::Task<void>> kids;
  for (int i = 0; i < children; ++i)
    kids.push_back(loopscope::engine::create_task(sleepFor((i + 1) * 1ms)));
  co_await sleepFor(1ms);
  for (auto& k : kids)
    co_await k;
}

// main spawns 3 groups one after another, each spawning children: tasks keep appearing.
Coro<void> waves()
{
  for (int wave = 0; wave < 3; ++wave) {
    auto group = loopscope::engine::create_task(spawner(wave + 2), "wave");
    co_await sleepFor(2ms);
    co_await group;
  }
}

}  // namespace

void tst_TaskTableModel::passesTheModelTesterWhileBatchesArrive()
{
  VirtualLoop v;
  v.loop.run_until_complete(waves(), "main");
  v.loop.flush_trace();
  const std::vector<TraceEvent>& raw = v.sink.events();

  TimelineModel timeline;
  TaskTableModel table(timeline);
  QSortFilterProxyModel proxy;
  proxy.setSourceModel(&table);
  proxy.setSortRole(TaskTableModel::SortRole);
  proxy.sort(TaskTableModel::BusyColumn, Qt::DescendingOrder);
  QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester proxyTester(&proxy,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy inserted(&table, &QAbstractItemModel::rowsInserted);
  QSignalSpy changed(&table, &QAbstractItemModel::dataChanged);

  // The GUI's path: raw events in small batches, decoded, appended, then one sync per batch.
  TraceDecoder decoder;
  for (std::size_t i = 0; i < raw.size(); i += 5) {
    decoder.feed(std::span(raw).subspan(i, std::min<std::size_t>(5, raw.size() - i)));
    timeline.append(decoder.take());
    table.sync(timeline.endTime());
    QCOMPARE(table.rowCount(), static_cast<int>(timeline.taskCount()));
    QCOMPARE(proxy.rowCount(), table.rowCount());
  }
  QCOMPARE(timeline.taskCount(), std::size_t{1 + 3 + 2 + 3 + 4});
  int rows = 0;
  for (const QList<QVariant>& args : inserted)
    rows += args.at(2).toInt() - args.at(1).toInt() + 1;
  QCOMPARE(rows, table.rowCount());
  QVERIFY(inserted.size() > 3);  // tasks came in several batches
  QVERIFY(!changed.isEmpty());
  // Every task ended; the table says so.
  for (int row = 0; row < table.rowCount(); ++row)
    QCOMPARE(table.index(row, TaskTableModel::StateColumn).data().toString(),
             QStringLiteral("done"));
}

void tst_TaskTableModel::rowsAreInsertedAsTasksAppear()
{
  TimelineModel timeline;
  TaskTableModel table(timeline);
  QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy inserted(&table, &QAbstractItemModel::rowsInserted);
  QCOMPARE(table.rowCount(), 0);
  QCOMPARE(table.columnCount(), int(TaskTableModel::NUM_COLUMNS));

  timeline.append(Events{created(1, "main")});
  QCOMPARE(table.rowCount(), 0);  // nothing until sync
  table.sync(0);
  QCOMPARE(inserted.size(), 1);
  QCOMPARE(inserted.at(0).at(1).toInt(), 0);
  QCOMPARE(inserted.at(0).at(2).toInt(), 0);

  timeline.append(Events{created(2, "a", 1, 1 * kMs), created(3, "b", 1, 1 * kMs)});
  table.sync(1 * kMs);
  QCOMPARE(inserted.size(), 2);
  QCOMPARE(inserted.at(1).at(1).toInt(), 1);
  QCOMPARE(inserted.at(1).at(2).toInt(), 2);
  QCOMPARE(table.rowCount(), 3);
  QCOMPARE(table.index(2, TaskTableModel::NameColumn).data().toString(), QStringLiteral("b"));
  QCOMPARE(table.index(2, TaskTableModel::IdColumn).data(TaskTableModel::TaskIdRole).toUInt(), 3u);
}

void tst_TaskTableModel::syncAnnouncesOnlyRowsThatCanChange()
{
  TimelineModel timeline;
  TaskTableModel table(timeline);
  QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
  timeline.append(Events{created(1, "done early"), created(2, "live"), created(3, "live too"),
                         ev(EventKind::StepBegin, 0, 1),
                         ev(EventKind::TaskDone, 1 * kMs, 1, 0, 0, 0, u8(TaskOutcome::Result))});
  table.sync(1 * kMs);
  QSignalSpy changed(&table, &QAbstractItemModel::dataChanged);

  // Nothing new, same time: nothing to say.
  table.sync(1 * kMs);
  QCOMPARE(changed.size(), 0);

  // Time moves on a little: the live tasks' times grow, but they are refreshed a few times a
  // second only (kTimesRefreshNs), not on every frame.
  table.sync(5 * kMs);
  QCOMPARE(changed.size(), 0);
  // Time moves on past the refresh interval: the live tasks' busy/ready/idle columns; the
  // finished one cannot change.
  table.sync(300 * kMs);
  QCOMPARE(changed.size(), 1);
  QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
  QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
  QCOMPARE(changed.at(0).at(0).toModelIndex().column(), int(TaskTableModel::BusyColumn));
  QCOMPARE(changed.at(0).at(1).toModelIndex().column(), int(TaskTableModel::IdleColumn));
  QCOMPARE(table.index(2, TaskTableModel::ReadyColumn).data().toString(), QStringLiteral("300 ms"));
  table.sync(400 * kMs);  // 100 ms later: not yet
  QCOMPARE(changed.size(), 1);

  // A rename can change other rows (parent names): all rows, all columns, at once.
  timeline.append(Events{ev(EventKind::TaskRenamed, 400 * kMs, 1, 0, 0, 0, 0, "renamed")});
  table.sync(400 * kMs);
  QCOMPARE(changed.size(), 2);
  QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 0);
  QCOMPARE(changed.at(1).at(1).toModelIndex().row(), 2);
  QCOMPARE(changed.at(1).at(1).toModelIndex().column(), TaskTableModel::NUM_COLUMNS - 1);
  QCOMPARE(table.index(0, TaskTableModel::NameColumn).data().toString(), QStringLiteral("renamed"));
}

void tst_TaskTableModel::displayText_data()
{
  QTest::addColumn<QString>("task");
  QTest::addColumn<int>("column");
  QTest::addColumn<QString>("expected");

  using T = TaskTableModel;
  QTest::newRow("id") << "main" << int(T::IdColumn) << "1";
  QTest::newRow("name") << "worker-2" << int(T::NameColumn) << "worker-2";
  QTest::newRow("state: suspended") << "worker-2" << int(T::StateColumn) << "suspended";
  QTest::newRow("state: failed") << "failing" << int(T::StateColumn) << "failed";
  QTest::newRow("state: cancelled") << "victim" << int(T::StateColumn) << "cancelled";
  QTest::newRow("parent by name") << "worker-2" << int(T::ParentColumn) << "main";
  QTest::newRow("a root task has no parent") << "main" << int(T::ParentColumn) << "";
  QTest::newRow("await site as file:line")
      << "worker-2" << int(T::AwaitSiteColumn) << "demo.cpp:41";
  QTest::newRow("await site unknown") << "consumer" << int(T::AwaitSiteColumn) << "";
  QTest::newRow("awaiting a task") << "main" << int(T::AwaitingColumn) << "task worker-2";
  QTest::newRow("awaiting a sleep")
      << "worker-2" << int(T::AwaitingColumn) << "sleep until 3.000 s";
  QTest::newRow("awaiting a named queue") << "consumer" << int(T::AwaitingColumn) << "Queue jobs";
  QTest::newRow("a finished task awaits nothing") << "failing" << int(T::AwaitingColumn) << "";
  QTest::newRow("cancel requests") << "victim" << int(T::CancelRequestsColumn) << "2";
  QTest::newRow("cancelling after an uncancel") << "victim" << int(T::CancellingColumn) << "1";
  QTest::newRow("steps") << "worker-2" << int(T::StepsColumn) << "1";
  QTest::newRow("busy in seconds") << "worker-2" << int(T::BusyColumn) << "1.25 s";
  QTest::newRow("busy in milliseconds") << "sleeper" << int(T::BusyColumn) << "340 ms";
  QTest::newRow("busy in microseconds") << "main" << int(T::BusyColumn) << "12 µs";
  QTest::newRow("ready until its first step") << "worker-2" << int(T::ReadyColumn) << "500 ms";
  QTest::newRow("idle up to now") << "worker-2" << int(T::IdleColumn) << "1.25 s";
  QTest::newRow("outcome: result pending") << "main" << int(T::OutcomeColumn) << "";
  QTest::newRow("outcome: the exception")
      << "failing" << int(T::OutcomeColumn) << "ValueError: boom";
  QTest::newRow("outcome: cancelled with its message")
      << "victim" << int(T::OutcomeColumn) << "cancelled: \"stop\"";
}

void tst_TaskTableModel::displayText()
{
  QFETCH(QString, task);
  QFETCH(int, column);
  QFETCH(QString, expected);

  TimelineModel timeline;
  TaskTableModel table(timeline);
  timeline.append(showcase());
  table.sync(kShowcaseNow);
  const int row = rowOf(table, task);
  QVERIFY(row >= 0);
  QCOMPARE(table.index(row, column).data(Qt::DisplayRole).toString(), expected);
}

void tst_TaskTableModel::awaitSiteTooltipNamesTheFunction()
{
  TimelineModel timeline;
  TaskTableModel table(timeline);
  timeline.append(showcase());
  table.sync(kShowcaseNow);
  const QString tip =
      table.index(rowOf(table, QStringLiteral("worker-2")), TaskTableModel::AwaitSiteColumn)
          .data(Qt::ToolTipRole)
          .toString();
  QVERIFY2(tip.contains(QStringLiteral("worker(int)")), qPrintable(tip));
  QVERIFY2(tip.contains(QStringLiteral("/src/demo.cpp:41:9")), qPrintable(tip));
}

void tst_TaskTableModel::sortRoleGivesNumbersForNumericColumns_data()
{
  QTest::addColumn<int>("column");
  QTest::addColumn<QVariant>("expected");
  using T = TaskTableModel;
  QTest::newRow("id") << int(T::IdColumn) << QVariant(qint64{2});
  QTest::newRow("busy in ns") << int(T::BusyColumn) << QVariant(qint64{1250 * kMs});
  QTest::newRow("ready in ns") << int(T::ReadyColumn) << QVariant(qint64{500 * kMs});
  QTest::newRow("idle in ns") << int(T::IdleColumn) << QVariant(qint64{1250 * kMs});
  QTest::newRow("steps") << int(T::StepsColumn) << QVariant(qint64{1});
  QTest::newRow("cancels") << int(T::CancelRequestsColumn) << QVariant(qint64{0});
  QTest::newRow("state as its enum value")
      << int(T::StateColumn) << QVariant(int(TaskState::Suspended));
  QTest::newRow("text columns sort by their text")
      << int(T::NameColumn) << QVariant(QStringLiteral("worker-2"));
}

void tst_TaskTableModel::sortRoleGivesNumbersForNumericColumns()
{
  QFETCH(int, column);
  QFETCH(QVariant, expected);
  TimelineModel timeline;
  TaskTableModel table(timeline);
  timeline.append(showcase());
  table.sync(kShowcaseNow);
  const QModelIndex index = table.index(rowOf(table, QStringLiteral("worker-2")), column);
  const QVariant value = index.data(TaskTableModel::SortRole);
  QCOMPARE(value.metaType(), expected.metaType());
  QCOMPARE(value, expected);
  QCOMPARE(index.data(TaskTableModel::TaskIdRole).toUInt(), 2u);
  QCOMPARE(index.data(TaskTableModel::StateRole).toInt(), int(TaskState::Suspended));
}

void tst_TaskTableModel::sortsByBusyTimeThroughAProxy()
{
  TimelineModel timeline;
  TaskTableModel table(timeline);
  timeline.append(showcase());
  table.sync(kShowcaseNow);

  QSortFilterProxyModel proxy;
  proxy.setSourceModel(&table);
  QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  proxy.setSortRole(TaskTableModel::SortRole);
  proxy.sort(TaskTableModel::BusyColumn, Qt::DescendingOrder);
  auto names = [&proxy] {
    QStringList out;
    for (int row = 0; row < proxy.rowCount(); ++row)
      out << proxy.index(row, TaskTableModel::NameColumn).data().toString();
    return out;
  };
  // 1.25 s, 340 ms, 2 ms, 1 ms, 500 µs, 12 µs: by number, not by text.
  QCOMPARE(names(), (QStringList{"worker-2", "sleeper", "consumer", "failing", "victim", "main"}));

  proxy.sort(TaskTableModel::BusyColumn, Qt::AscendingOrder);
  QCOMPARE(names(), (QStringList{"main", "victim", "failing", "consumer", "sleeper", "worker-2"}));

  // The proxy follows later syncs: main keeps running and overtakes everyone.
  timeline.append(
      Events{ev(EventKind::Ready, kShowcaseNow, 1), ev(EventKind::StepBegin, kShowcaseNow, 1)});
  table.sync(kShowcaseNow + 2000 * kMs);
  QCOMPARE(names().last(), QStringLiteral("main"));
}

void tst_TaskTableModel::syncReSortsAProxyOnlyWhenItsColumnCanChange_data()
{
  QTest::addColumn<int>("sortColumn");
  QTest::addColumn<bool>("reSorts");
  QTest::addColumn<QStringList>("order");
  // A task's id never changes, so the rows a sync announces leave the id column out: a proxy
  // sorted by id (the app's default) keeps its order without comparing rows (with 100,000 tasks
  // that comparison took most of each frame).
  QTest::newRow("by id: no re-sort")
      << int(TaskTableModel::IdColumn) << false << QStringList{"a", "b", "c", "d"};
  QTest::newRow("by state: re-sorted")
      << int(TaskTableModel::StateColumn) << true << QStringList{"a", "c", "b", "d"};
}

void tst_TaskTableModel::syncReSortsAProxyOnlyWhenItsColumnCanChange()
{
  QFETCH(int, sortColumn);
  QFETCH(bool, reSorts);
  QFETCH(QStringList, order);
  TimelineModel timeline;
  TaskTableModel table(timeline);
  timeline.append(Events{created(1, "a"), created(2, "b"), created(3, "c"), created(4, "d")});
  table.sync(0);
  QSortFilterProxyModel proxy;
  proxy.setSourceModel(&table);
  QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  proxy.setSortRole(TaskTableModel::SortRole);
  proxy.sort(sortColumn, Qt::AscendingOrder);
  QSignalSpy relaid(&proxy, &QAbstractItemModel::layoutChanged);
  QSignalSpy changed(&table, &QAbstractItemModel::dataChanged);

  // b and d run and finish; a and c stay pending.
  timeline.append(Events{ev(EventKind::StepBegin, 1 * kMs, 2),
                         ev(EventKind::TaskDone, 2 * kMs, 2, 0, 0, 0, u8(TaskOutcome::Result)),
                         ev(EventKind::StepBegin, 3 * kMs, 4),
                         ev(EventKind::TaskDone, 4 * kMs, 4, 0, 0, 0, u8(TaskOutcome::Result))});
  table.sync(4 * kMs);
  QVERIFY(!changed.isEmpty());
  for (const QList<QVariant>& args : changed)
    QVERIFY(args.at(0).toModelIndex().column() > TaskTableModel::IdColumn);
  QCOMPARE(!relaid.isEmpty(), reSorts);
  QStringList names;
  for (int row = 0; row < proxy.rowCount(); ++row)
    names << proxy.index(row, TaskTableModel::NameColumn).data().toString();
  QCOMPARE(names, order);
}

void tst_TaskTableModel::reloadAfterClear()
{
  TimelineModel timeline;
  TaskTableModel table(timeline);
  QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy reset(&table, &QAbstractItemModel::modelReset);
  timeline.append(showcase());
  table.sync(kShowcaseNow);
  QCOMPARE(table.rowCount(), 6);

  timeline.clear();
  table.reload();
  QCOMPARE(reset.size(), 1);
  QCOMPARE(table.rowCount(), 0);

  // The next run fills it again.
  timeline.append(Events{created(1, "next run")});
  table.sync(0);
  QCOMPARE(table.rowCount(), 1);
  QCOMPARE(table.index(0, TaskTableModel::NameColumn).data().toString(),
           QStringLiteral("next run"));

  // A clear followed by a sync without reload() still resets rather than lying about rows.
  timeline.clear();
  timeline.append(Events{created(1, "again")});
  table.sync(0);
  QCOMPARE(reset.size(), 2);
  QCOMPARE(table.rowCount(), 1);
  QCOMPARE(table.index(0, TaskTableModel::NameColumn).data().toString(), QStringLiteral("again"));
}

void tst_TaskTableModel::stateIsShownInItsColour()
{
  TimelineModel timeline;
  TaskTableModel table(timeline);
  timeline.append(showcase());
  table.sync(kShowcaseNow);
  for (int row = 0; row < table.rowCount(); ++row) {
    const auto state =
        static_cast<TaskState>(table.index(row, 0).data(TaskTableModel::StateRole).toInt());
    QCOMPARE(table.index(row, TaskTableModel::StateColumn).data(Qt::DecorationRole).value<QColor>(),
             stateColor(state));
    QVERIFY(!table.index(row, TaskTableModel::NameColumn).data(Qt::DecorationRole).isValid());
  }
  // Every state has a colour of its own.
  QSet<QRgb> colours;
  for (int s = 0; s < int(TaskState::Count_); ++s)
    colours.insert(stateColor(static_cast<TaskState>(s)).rgb());
  QCOMPARE(colours.size(), int(TaskState::Count_));
}

void tst_TaskTableModel::headerTooltipsExplainBusyReadyIdle()
{
  TimelineModel timeline;
  const TaskTableModel table(timeline);
  QCOMPARE(table.headerData(TaskTableModel::BusyColumn, Qt::Horizontal).toString(),
           QStringLiteral("Busy"));
  const auto tip = [&table](int column) {
    return table.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString();
  };
  QVERIFY2(tip(TaskTableModel::BusyColumn).contains(QStringLiteral("running")),
           qPrintable(tip(TaskTableModel::BusyColumn)));
  QVERIFY2(tip(TaskTableModel::ReadyColumn).contains(QStringLiteral("queued")),
           qPrintable(tip(TaskTableModel::ReadyColumn)));
  QVERIFY2(tip(TaskTableModel::IdleColumn).contains(QStringLiteral("await")),
           qPrintable(tip(TaskTableModel::IdleColumn)));
  for (int column = 0; column < TaskTableModel::NUM_COLUMNS; ++column)
    QVERIFY(!table.headerData(column, Qt::Horizontal).toString().isEmpty());
}

void tst_TaskTableModel::formatDuration_data()
{
  QTest::addColumn<qint64>("ns");
  QTest::addColumn<QString>("expected");
  QTest::newRow("zero") << qint64{0} << "0 ns";
  QTest::newRow("nanoseconds") << qint64{999} << "999 ns";
  QTest::newRow("one microsecond") << qint64{1000} << "1 µs";
  QTest::newRow("microseconds") << qint64{12 * kUs} << "12 µs";
  QTest::newRow("fractional microseconds") << qint64{1500} << "1.5 µs";
  QTest::newRow("milliseconds") << qint64{340 * kMs} << "340 ms";
  QTest::newRow("three significant digits") << qint64{12'345 * kUs} << "12.3 ms";
  QTest::newRow("seconds") << qint64{1250 * kMs} << "1.25 s";
  QTest::newRow("rounds up into the next unit") << qint64{999'960 * kUs} << "1 s";
  QTest::newRow("whole seconds") << qint64{2000 * kMs} << "2 s";
  QTest::newRow("long runs stay in seconds") << qint64{1234 * 1000 * kMs} << "1234 s";
  QTest::newRow("negative is clamped") << qint64{-5} << "0 ns";
}

void tst_TaskTableModel::formatDuration()
{
  QFETCH(qint64, ns);
  QFETCH(QString, expected);
  QCOMPARE(TaskTableModel::formatDuration(ns), expected);
}

// Under the model's retention the table removes the rows of the tasks that went (rowsRemoved:
// selections and scroll positions survive) and stays row for row in step with the model; a
// persistent index on a task that stays follows it. When the dropped rows are scattered in many
// runs among rows that stay, one reset is cheaper for a sorting proxy than many removals.
void tst_TaskTableModel::retentionRemovesTheRowsOfDroppedTasks_data()
{
  QTest::addColumn<std::uint32_t>("survivorEvery");
  QTest::addColumn<bool>("resets");
  QTest::newRow("every 100th job lives on: removals") << std::uint32_t{100} << false;
  QTest::newRow("every 5th job lives on: a reset per cut") << std::uint32_t{5} << true;
}

void tst_TaskTableModel::retentionRemovesTheRowsOfDroppedTasks()
{
  QFETCH(std::uint32_t, survivorEvery);
  QFETCH(bool, resets);
  Events events{created(1, "keeper")};
  std::int64_t t = 0;
  for (std::uint32_t id = 2; id < 12'000; ++id) {
    t += kMs;
    events.push_back(created(id, "job-" + std::to_string(id), 1, t));
    events.push_back(ev(EventKind::StepBegin, t + 10, id));
    // Some jobs outlive many cuts.
    if (id % survivorEvery != 0)
      events.push_back(ev(EventKind::TaskDone, t + 30, id, 0, 0, 0, u8(TaskOutcome::Result)));
  }
  TimelineModel model;
  model.setRetention({0, 5'000});
  TaskTableModel table(model);
  QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy removed(&table, &QAbstractItemModel::rowsRemoved);
  QSignalSpy reset(&table, &QAbstractItemModel::modelReset);
  QPersistentModelIndex keeper;
  QPersistentModelIndex long50;
  for (std::size_t i = 0; i < events.size(); i += 2048) {
    model.append(std::span(events).subspan(i, std::min<std::size_t>(2048, events.size() - i)));
    table.sync(model.endTime());
    if (!keeper.isValid())
      keeper = table.index(0, TaskTableModel::NameColumn);
    if (!long50.isValid() && table.rowCount() > 99)
      long50 = table.index(99, TaskTableModel::NameColumn);  // keeper, job-2, ... job-100
    QCOMPARE(table.rowCount(), static_cast<int>(model.taskCount()));
  }
  QVERIFY(model.trims() > 3);
  for (int row = 0; row < table.rowCount(); ++row)
    QCOMPARE(table.index(row, 0).data(TaskTableModel::TaskIdRole).toUInt(),
             model.taskAt(static_cast<std::size_t>(row)).id);
  QVERIFY(table.rowCount() < static_cast<int>(12'000 / survivorEvery) + 2500);  // not 12,000
  if (resets) {
    QVERIFY(reset.count() > 3);
    QCOMPARE(removed.count(), 0);
    return;
  }
  QVERIFY(removed.count() > 3);
  QCOMPARE(reset.count(), 0);
  QVERIFY(keeper.isValid());
  QCOMPARE(keeper.data().toString(), QStringLiteral("keeper"));
  QVERIFY(long50.isValid());
  QCOMPARE(long50.data().toString(), QStringLiteral("job-100"));
  QCOMPARE(long50.row(), model.indexOf(100));
}

QTEST_GUILESS_MAIN(tst_TaskTableModel)
#include "tst_tasktablemodel.moc"
