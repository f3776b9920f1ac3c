// SPDX-License-Identifier: GPL-3.0-or-later
// LogModel over a TimelineModel: one row per event the EventFormatter shows, appended by sync()
// as batches arrive, coloured by severity, and filtered by task, kind and text through
// LogFilterProxy. QAbstractItemModelTester watches both models throughout.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "../engine/testsupport.h"
#include "engine/engine.h"

#include <views/logmodel.h>
#include <views/timelinemodel.h>

#include <QAbstractItemModelTester>
#include <QColor>
#include <QPersistentModelIndex>
#include <QSet>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

using loopscope::engine::CancelledError;
using loopscope::engine::Coro;
using loopscope::engine::DecodedEvent;
using loopscope::engine::DiagnosticKind;
using loopscope::engine::EventKind;
using loopscope::engine::kEventHasText;
using loopscope::engine::Loop;
using loopscope::engine::Task;
using loopscope::engine::TaskOutcome;
using loopscope::engine::TraceEvent;
using loopscope::testsupport::VirtualLoop;
using loopscope::views::LogFilterProxy;
using loopscope::views::LogModel;
using loopscope::views::TimelineModel;
using namespace std::chrono_literals;

using Events = std::vector<DecodedEvent>;
Q_DECLARE_METATYPE(Events)
Q_DECLARE_METATYPE(DecodedEvent)

class tst_LogModel : public QObject
{
  Q_OBJECT

private slots:
  void passesTheModelTesterWhileBatchesArrive();
  void syncInsertsOnlyTheNewRows();
  void aBurstIsFormattedOverSeveralSyncs();
  void hiddenEventsAreNotRows_data();
  void hiddenEventsAreNotRows();
  void columnsOfALine_data();
  void columnsOfALine();
  void slowStepKeepsAsyncioWording();
  void scriptStderrIsTaggedAndColoured();
  void rolesGiveTaskKindTimeAndEventIndex();
  void filterByTask();
  void filterByKind();
  void filterByTextIgnoresCase();
  void filtersCombineAndEmptyMeansAll();
  void filterFollowsRowsAppendedLater();
  void reloadAfterClear();
  void syncAfterAClearWithoutReloadStartsOver();
  void retentionRemovesTheOldestRows();
};

namespace {

constexpr std::int64_t kMs = 1'000'000;

// main cancels "victim" at 5 ms, then runs "blocker", whose step blocks the loop 150 ms.
Coro<void> victim()
{
  co_await loopscope::engine::sleep(1s);
}

Coro<void> blocker()
{
  co_await loopscope::engine::sleep(1ms);
  Loop& loop = Loop::running();
  loop.clock().advance_to(loopscope::engine::to_ns(loop.now() + 150ms));
  co_await loopscope::engine::sleep(1ms);
}

Coro<void> scenario()
{
  Task<void> v = loopscope::engine::create_task(victim(), "victim");
  co_await loopscope::engine::sleep(5ms);
  v.cancel("stop");
  try {
    co_await v;
  } catch (const CancelledError&) {
  }
  co_await loopscope::engine::create_task(blocker(), "blocker");
  Loop::running().print("all done\n");
}

Events recordRun()
{
  VirtualLoop v;
  v.loop.run_until_complete(scenario(), "main");
  return v.decoded();
}

std::uint64_t g_seq = 0;

DecodedEvent ev(EventKind kind, std::int64_t t, std::uint32_t task, std::uint64_t detail = 0,
                std::uint32_t arg = 0, std::uint8_t a8 = 0, std::string text = {},
                std::uint32_t site = 0)
{
  const auto flags = static_cast<std::uint16_t>(text.empty() ? 0 : kEventHasText);
  return DecodedEvent{TraceEvent{g_seq++, t, detail, task, site, arg, kind, a8, flags},
                      std::move(text)};
}

std::uint8_t u8(auto e)
{
  return static_cast<std::uint8_t>(e);
}

// Tasks main (1) and worker (2), and site 1.
Events context()
{
  return {
      ev(EventKind::SiteDefined, 0, 0, 0, 0, 0, "/src/app/demo.cpp\t41\t7\tworker(int)", 1),
      ev(EventKind::TaskCreated, 0, 1, 0, 0, 1, "main"),
      ev(EventKind::TaskCreated, 0, 2, 1, 0, 1, "worker", 1),
  };
}

Events withContext(std::initializer_list<DecodedEvent> tail)
{
  Events events = context();
  events.insert(events.end(), tail);
  return events;
}

QStringList column(const QAbstractItemModel& m, int column, int role = Qt::DisplayRole)
{
  QStringList out;
  for (int r = 0; r < m.rowCount(); ++r)
    out << m.index(r, column).data(role).toString();
  return out;
}

QString cell(const QAbstractItemModel& m, int row, int column)
{
  return m.index(row, column).data().toString();
}

}  // namespace

void tst_LogModel::passesTheModelTesterWhileBatchesArrive()
{
  const Events run = recordRun();
  TimelineModel model;
  LogModel log(model);
  LogFilterProxy proxy;
  proxy.setSourceModel(&log);
  QAbstractItemModelTester logTester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester proxyTester(&proxy,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  proxy.setText(QStringLiteral("e"));
  for (std::size_t i = 0; i < run.size(); i += 7) {
    model.append(std::span(run).subspan(i, std::min<std::size_t>(7, run.size() - i)));
    log.sync();
  }
  QVERIFY(log.rowCount() > 10);
  proxy.setTasks({1});
  proxy.setKinds({EventKind::Print, EventKind::TaskDone});
  proxy.setTasks({});
  proxy.setKinds({});
  proxy.setText({});
  QCOMPARE(proxy.rowCount(), log.rowCount());
  model.clear();
  log.reload();
  QCOMPARE(log.rowCount(), 0);
}

void tst_LogModel::syncInsertsOnlyTheNewRows()
{
  TimelineModel model;
  LogModel log(model);
  QSignalSpy inserted(&log, &LogModel::rowsInserted);
  QSignalSpy reset(&log, &LogModel::modelReset);

  model.append(context());
  log.sync();
  QCOMPARE(log.rowCount(), 2);  // the site definition is not a row
  QCOMPARE(inserted.size(), 1);
  QCOMPARE(inserted[0][1].toInt(), 0);
  QCOMPARE(inserted[0][2].toInt(), 1);

  const Events more = {ev(EventKind::Ready, 1 * kMs, 2), ev(EventKind::StepBegin, 1 * kMs, 2),
                       ev(EventKind::Print, 1 * kMs, 2, 0, 0, 0, "hello\n")};
  model.append(more);
  log.sync();
  QCOMPARE(log.rowCount(), 4);
  QCOMPARE(inserted.size(), 2);
  QCOMPARE(inserted[1][1].toInt(), 2);  // only the new range
  QCOMPARE(inserted[1][2].toInt(), 3);

  // Nothing new, or nothing new that is shown: no signal at all.
  log.sync();
  model.append(Events{ev(EventKind::LoopWait, 2 * kMs, 0), ev(EventKind::LoopWake, 3 * kMs, 0)});
  log.sync();
  QCOMPARE(inserted.size(), 2);
  QCOMPARE(reset.size(), 0);
  QCOMPARE(log.rowCount(), 4);
}

void tst_LogModel::aBurstIsFormattedOverSeveralSyncs()
{
  // 2.5 x kMaxEventsPerSync prints arrive in one batch: each sync() formats at most
  // kMaxEventsPerSync of them (fewer when its time budget, kSyncBudgetMs, runs out first, as on
  // a slow or sanitized build), always some, in order, and the log ends with every one.
  TimelineModel model;
  LogModel log(model);
  model.append(context());
  log.sync();
  const std::size_t burst = LogModel::kMaxEventsPerSync * 5 / 2;
  Events prints;
  for (std::size_t i = 0; i < burst; ++i) {
    prints.push_back(ev(EventKind::Print, 1 * kMs, 2, 0, 0, 0, "line " + std::to_string(i)));
  }
  model.append(prints);
  QVERIFY(log.hasPending());
  int syncs = 0;
  while (log.hasPending()) {
    const int before = log.rowCount();
    log.sync();
    ++syncs;
    QVERIFY(log.rowCount() - before <= static_cast<int>(LogModel::kMaxEventsPerSync));
    QVERIFY(log.rowCount() > before);
  }
  QVERIFY(syncs >= 3);
  QCOMPARE(log.rowCount(), 2 + static_cast<int>(burst));
  QCOMPARE(cell(log, 2, LogModel::MessageColumn), QStringLiteral("line 0"));
  QCOMPARE(cell(log, log.rowCount() - 1, LogModel::MessageColumn),
           QStringLiteral("line %1").arg(burst - 1));
}

void tst_LogModel::hiddenEventsAreNotRows_data()
{
  QTest::addColumn<DecodedEvent>("event");
  QTest::newRow("SiteDefined") << ev(EventKind::SiteDefined, 0, 0, 0, 0, 0, "f.cpp\t1\t1\tf()", 9);
  QTest::newRow("standalone Text") << ev(EventKind::Text, 0, 0, 4, 1);
  QTest::newRow("LoopWait") << ev(EventKind::LoopWait, 0, 0);
  QTest::newRow("LoopWake") << ev(EventKind::LoopWake, 0, 0);
  QTest::newRow("StepBegin") << ev(EventKind::StepBegin, 0, 2);
  QTest::newRow("CallbackBegin") << ev(EventKind::CallbackBegin, 0, 0, 4);
  QTest::newRow("CallbackEnd") << ev(EventKind::CallbackEnd, 0, 0, 4);
  QTest::newRow("ObjectCreated") << ev(EventKind::ObjectCreated, 0, 1, 7, 0, 9, "Queue jobs");
}

void tst_LogModel::hiddenEventsAreNotRows()
{
  QFETCH(DecodedEvent, event);
  TimelineModel model;
  LogModel log(model);
  model.append(withContext({event, ev(EventKind::Ready, 0, 2)}));
  log.sync();
  QCOMPARE(column(log, LogModel::KindColumn), (QStringList{"created", "created", "ready"}));
  // The rows point at their events: 1, 2 and 4 (0 is the site, 3 the hidden one).
  QCOMPARE(log.index(2, 0).data(LogModel::EventIndexRole).toULongLong(), 4ULL);
}

void tst_LogModel::columnsOfALine_data()
{
  QTest::addColumn<Events>("events");
  QTest::addColumn<QString>("time");
  QTest::addColumn<QString>("task");
  QTest::addColumn<QString>("kind");
  QTest::addColumn<QString>("message");
  QTest::addColumn<QColor>("foreground");  // invalid: the default colour

  const QColor normal;
  const QColor warning = LogModel::warningColor();
  const QColor error = LogModel::errorColor();

  QTest::newRow("suspended at a site, in the formatter's words")
      << withContext({ev(EventKind::Suspended, 1234 * kMs, 2, 1500 * kMs, 0, 2, {}, 1)})
      << "1.234 s"
      << "worker"
      << "suspended"
      << "suspended at demo.cpp:41 (sleep until 1.500 s)" << normal;
  QTest::newRow("print output is a row of kind print")
      << withContext({ev(EventKind::Print, 2 * kMs, 2, 0, 0, 0, "hello\n")}) << "0.002 s"
      << "worker"
      << "print"
      << "hello" << normal;
  QTest::newRow("multi-line print keeps its lines, without the log's indentation")
      << withContext({ev(EventKind::Print, 0, 1, 0, 0, 0, "line 1\n  line 2\n")}) << "0.000 s"
      << "main"
      << "print"
      << "line 1\n  line 2" << normal;
  QTest::newRow("a long task name does not eat into the message")
      << Events{ev(EventKind::TaskCreated, 0, 3, 0, 0, 1, "a-very-long-task-name"),
                ev(EventKind::Ready, 0, 3)}
      << "0.000 s"
      << "a-very-long-task-name"
      << "ready"
      << "ready to run" << normal;
  QTest::newRow("a rename is listed under the old name")
      << withContext({ev(EventKind::TaskRenamed, 0, 2, 0, 0, 0, "renamed-worker")}) << "0.000 s"
      << "worker"
      << "renamed"
      << "renamed to \"renamed-worker\"" << normal;
  QTest::newRow("swallowed cancel is a warning")
      << withContext({ev(EventKind::CancelSwallowed, 0, 2, 0, 1, 0, {}, 1)}) << "0.000 s"
      << "worker"
      << "swallowed"
      << "swallowed CancelledError (caught at demo.cpp:41 and went on)" << warning;
  QTest::newRow("diagnostic is a warning")
      << withContext({ev(EventKind::Diagnostic, 0, 2, 0, 0, u8(DiagnosticKind::LostWakeup),
                         "nothing can wake it")})
      << "0.000 s"
      << "worker"
      << "diagnostic"
      << "diagnostic: lost wake-up: nothing can wake it" << warning;
  QTest::newRow("failed task is an error")
      << withContext(
             {ev(EventKind::TaskDone, 0, 2, 0, 0, u8(TaskOutcome::Exception), "ValueError: boom")})
      << "0.000 s"
      << "worker"
      << "failed"
      << "failed: ValueError: boom" << error;
  QTest::newRow("cancelled task is not an error")
      << withContext({ev(EventKind::TaskDone, 0, 2, 0, 0, u8(TaskOutcome::Cancelled))}) << "0.000 s"
      << "worker"
      << "cancelled"
      << "cancelled" << normal;
  QTest::newRow("callback that raised is an error")
      << withContext({ev(EventKind::CallbackError, 0, 0, 3, 0, 0, "RuntimeError: oops")})
      << "0.000 s"
      << "loop"
      << "error"
      << "callback #3 raised RuntimeError: oops" << error;
}

void tst_LogModel::columnsOfALine()
{
  QFETCH(Events, events);
  QFETCH(QString, time);
  QFETCH(QString, task);
  QFETCH(QString, kind);
  QFETCH(QString, message);
  QFETCH(QColor, foreground);

  TimelineModel model;
  LogModel log(model);
  model.append(events);
  log.sync();
  const int last = log.rowCount() - 1;
  QVERIFY(last >= 0);
  QCOMPARE(cell(log, last, LogModel::TimeColumn), time);
  QCOMPARE(cell(log, last, LogModel::TaskColumn), task);
  QCOMPARE(cell(log, last, LogModel::KindColumn), kind);
  // The whole message in the tooltip; in the row, its lines joined with ⏎.
  QCOMPARE(log.index(last, LogModel::MessageColumn).data(Qt::ToolTipRole).toString(), message);
  QCOMPARE(cell(log, last, LogModel::MessageColumn),
           QString(message).replace(QLatin1Char('\n'), QStringLiteral(" ⏎ ")));
  const QVariant colour = log.index(last, LogModel::MessageColumn).data(Qt::ForegroundRole);
  if (foreground.isValid())
    QCOMPARE(colour.value<QColor>(), foreground);
  else
    QVERIFY(!colour.isValid());
  // Every column of a row has the same colour.
  QCOMPARE(log.index(last, LogModel::TimeColumn).data(Qt::ForegroundRole), colour);
}

void tst_LogModel::slowStepKeepsAsyncioWording()
{
  TimelineModel model;
  LogModel log(model);
  model.append(recordRun());
  log.sync();
  const QStringList kinds = column(log, LogModel::KindColumn);
  const int row = static_cast<int>(kinds.indexOf(QStringLiteral("slow")));
  QVERIFY(row >= 0);
  QCOMPARE(cell(log, row, LogModel::MessageColumn),
           QStringLiteral("Executing blocker took 0.150 seconds"));
  QCOMPARE(cell(log, row, LogModel::TaskColumn), QStringLiteral("blocker"));
  QCOMPARE(log.severity(row), LogModel::Severity::Warning);
  QCOMPARE(log.index(row, 0).data(Qt::ForegroundRole).value<QColor>(), LogModel::warningColor());
  QCOMPARE(kinds.count(QStringLiteral("slow")), 1);
}

void tst_LogModel::scriptStderrIsTaggedAndColoured()
{
  // A script's output: Print with a8 = 0 (stdout) or 1 (stderr).
  TimelineModel model;
  LogModel log(model);
  model.append(withContext({ev(EventKind::Print, 1 * kMs, 2, 0, 0, 0, "to stdout"),
                            ev(EventKind::Print, 2 * kMs, 2, 0, 0, 1, "to stderr")}));
  log.sync();
  const int out = log.rowCount() - 2;
  const int err = log.rowCount() - 1;
  QCOMPARE(cell(log, out, LogModel::KindColumn), QStringLiteral("print"));
  QCOMPARE(cell(log, err, LogModel::KindColumn), QStringLiteral("stderr"));
  QCOMPARE(cell(log, err, LogModel::MessageColumn), QStringLiteral("to stderr"));
  QCOMPARE(log.severity(out), LogModel::Severity::Normal);
  QCOMPARE(log.severity(err), LogModel::Severity::Warning);
  // The kind filter's "Printed output" (Print) keeps both.
  LogFilterProxy proxy;
  proxy.setSourceModel(&log);
  proxy.setKinds({EventKind::Print});
  QCOMPARE(proxy.rowCount(), 2);
}

void tst_LogModel::rolesGiveTaskKindTimeAndEventIndex()
{
  TimelineModel model;
  LogModel log(model);
  model.append(withContext({ev(EventKind::Print, 7 * kMs, 2, 0, 0, 0, "x")}));
  log.sync();
  QCOMPARE(log.rowCount(), 3);
  for (int column = 0; column < LogModel::NUM_COLUMNS; ++column) {
    const QModelIndex i = log.index(2, column);
    QCOMPARE(i.data(LogModel::TaskIdRole).value<quint32>(), 2U);
    QCOMPARE(i.data(LogModel::KindRole).toInt(), static_cast<int>(EventKind::Print));
    QCOMPARE(i.data(LogModel::TimeRole).toLongLong(), 7 * kMs);
    QCOMPARE(i.data(LogModel::EventIndexRole).toULongLong(), 3ULL);
  }
  QCOMPARE(log.headerData(LogModel::MessageColumn, Qt::Horizontal).toString(),
           QStringLiteral("Message"));
  QCOMPARE(log.columnCount(), 4);
}

void tst_LogModel::filterByTask()
{
  TimelineModel model;
  LogModel log(model);
  LogFilterProxy proxy;
  proxy.setSourceModel(&log);
  QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.append(recordRun());
  log.sync();

  proxy.setTasks({2});  // victim
  QVERIFY(proxy.rowCount() > 0);
  for (const QString& name : column(proxy, LogModel::TaskColumn))
    QCOMPARE(name, QStringLiteral("victim"));
  proxy.setTasks({1, 3});
  const QStringList names = column(proxy, LogModel::TaskColumn);
  QCOMPARE(QSet<QString>(names.begin(), names.end()), (QSet<QString>{"main", "blocker"}));
  proxy.setTasks({});
  QCOMPARE(proxy.rowCount(), log.rowCount());
}

void tst_LogModel::filterByKind()
{
  TimelineModel model;
  LogModel log(model);
  LogFilterProxy proxy;
  proxy.setSourceModel(&log);
  model.append(recordRun());
  log.sync();

  proxy.setKinds({EventKind::Print});
  QCOMPARE(column(proxy, LogModel::MessageColumn), QStringList{"all done"});
  // The request, its CancelledError in victim, and the one main gets by awaiting victim.
  proxy.setKinds({EventKind::CancelRequested, EventKind::CancelDelivered});
  QCOMPARE(column(proxy, LogModel::KindColumn),
           (QStringList{"cancel", "CancelledError", "CancelledError"}));
  QCOMPARE(column(proxy, LogModel::TaskColumn), (QStringList{"victim", "victim", "main"}));
  QCOMPARE(proxy.kinds().size(), 2);
}

void tst_LogModel::filterByTextIgnoresCase()
{
  TimelineModel model;
  LogModel log(model);
  LogFilterProxy proxy;
  proxy.setSourceModel(&log);
  model.append(recordRun());
  log.sync();

  proxy.setText(QStringLiteral("cancellederror(\"STOP\") delivered"));
  QCOMPARE(proxy.rowCount(), 2);  // in victim, and in main through `await victim`
  QVERIFY(cell(proxy, 1, LogModel::MessageColumn).endsWith("(from awaited victim)"));
  proxy.setText(QStringLiteral("EXECUTING"));
  QCOMPARE(column(proxy, LogModel::MessageColumn),
           QStringList{"Executing blocker took 0.150 seconds"});
  // The message only: task names in the Task column do not match.
  proxy.setText(QStringLiteral("blocker took"));
  QCOMPARE(proxy.rowCount(), 1);
  proxy.setText(QStringLiteral("no such text"));
  QCOMPARE(proxy.rowCount(), 0);
}

void tst_LogModel::filtersCombineAndEmptyMeansAll()
{
  TimelineModel model;
  LogModel log(model);
  LogFilterProxy proxy;
  proxy.setSourceModel(&log);
  model.append(recordRun());
  log.sync();
  QCOMPARE(proxy.rowCount(), log.rowCount());

  proxy.setTasks({2});
  proxy.setKinds({EventKind::Suspended, EventKind::CancelDelivered});
  proxy.setText(QStringLiteral("delivered"));
  QCOMPARE(column(proxy, LogModel::KindColumn), QStringList{"CancelledError"});
  QCOMPARE(column(proxy, LogModel::TaskColumn), QStringList{"victim"});
  proxy.setText({});
  QCOMPARE(column(proxy, LogModel::KindColumn), (QStringList{"suspended", "CancelledError"}));
  proxy.setTasks({});
  proxy.setKinds({});
  QCOMPARE(proxy.rowCount(), log.rowCount());
}

void tst_LogModel::filterFollowsRowsAppendedLater()
{
  TimelineModel model;
  LogModel log(model);
  LogFilterProxy proxy;
  proxy.setSourceModel(&log);
  QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  proxy.setKinds({EventKind::Print});
  model.append(context());
  log.sync();
  QCOMPARE(proxy.rowCount(), 0);
  model.append(Events{ev(EventKind::Print, 0, 1, 0, 0, 0, "first"), ev(EventKind::Ready, 0, 2),
                      ev(EventKind::Print, 0, 2, 0, 0, 0, "second")});
  log.sync();
  QCOMPARE(column(proxy, LogModel::MessageColumn), (QStringList{"first", "second"}));
}

void tst_LogModel::reloadAfterClear()
{
  TimelineModel model;
  LogModel log(model);
  model.append(withContext({ev(EventKind::TaskRenamed, 0, 2, 0, 0, 0, "renamed")}));
  log.sync();
  QCOMPARE(log.rowCount(), 3);

  QSignalSpy reset(&log, &LogModel::modelReset);
  model.clear();
  log.reload();
  QCOMPARE(reset.size(), 1);
  QCOMPARE(log.rowCount(), 0);

  // A new run: ids start again and the old names are forgotten.
  model.append(Events{ev(EventKind::Ready, 0, 2)});
  log.sync();
  QCOMPARE(log.rowCount(), 1);
  QCOMPARE(cell(log, 0, LogModel::TaskColumn), QStringLiteral("Task-2"));
  QCOMPARE(log.index(0, 0).data(LogModel::EventIndexRole).toULongLong(), 0ULL);
}

void tst_LogModel::syncAfterAClearWithoutReloadStartsOver()
{
  TimelineModel model;
  LogModel log(model);
  model.append(withContext({ev(EventKind::Ready, 0, 2)}));
  log.sync();
  QCOMPARE(log.rowCount(), 3);
  QSignalSpy reset(&log, &LogModel::modelReset);
  model.clear();
  model.append(Events{ev(EventKind::Ready, 0, 5)});
  log.sync();  // fewer events than already seen: the model was cleared
  QCOMPARE(reset.size(), 1);
  QCOMPARE(column(log, LogModel::TaskColumn), QStringList{"Task-5"});
}

// A long stream under the model's retention: the log removes the rows of the dropped events
// (rowsRemoved, never a reset) and keeps the rest as a fresh log of the kept events shows them;
// a task created before the cut keeps the name it was given.
void tst_LogModel::retentionRemovesTheOldestRows()
{
  Events events;
  events.push_back(ev(EventKind::TaskCreated, 0, 1, 0, 0, 1, "keeper"));
  std::int64_t t = 0;
  for (std::uint32_t id = 2; id < 20'000; ++id) {
    t += kMs;
    events.push_back(ev(EventKind::TaskCreated, t, id, 1, 0, 1, "job-" + std::to_string(id)));
    events.push_back(ev(EventKind::StepBegin, t + 10, id));
    if (id % 10 == 0)
      events.push_back(ev(EventKind::Print, t + 20, id, 0, 0, 0, "line " + std::to_string(id)));
    events.push_back(ev(EventKind::TaskDone, t + 30, id, 0, 0, u8(TaskOutcome::Result)));
    if (id % 100 == 0) {
      events.push_back(ev(EventKind::StepBegin, t + 40, 1));
      events.push_back(ev(EventKind::Print, t + 50, 1, 0, 0, 0, "tick " + std::to_string(id)));
    }
  }
  TimelineModel model;
  model.setRetention({0, 20'000});
  LogModel log(model);
  QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy removed(&log, &QAbstractItemModel::rowsRemoved);
  QSignalSpy reset(&log, &QAbstractItemModel::modelReset);
  for (std::size_t i = 0; i < events.size(); i += 4096) {
    model.append(std::span(events).subspan(i, std::min<std::size_t>(4096, events.size() - i)));
    do {
      log.sync();
    } while (log.hasPending());
  }
  QVERIFY(model.trims() > 2);
  QVERIFY(removed.count() >= 2);
  QCOMPARE(reset.count(), 0);

  LogModel fresh(model);
  QCOMPARE(log.rowCount(), fresh.rowCount());
  QVERIFY(log.rowCount() < 20'000);
  for (int row = 0; row < log.rowCount(); row += 37) {
    for (const int column : {int{LogModel::TimeColumn}, int{LogModel::KindColumn}})
      QCOMPARE(log.index(row, column).data(), fresh.index(row, column).data());
    QCOMPARE(log.index(row, 0).data(LogModel::EventIndexRole),
             fresh.index(row, 0).data(LogModel::EventIndexRole));
  }
  QVERIFY(log.index(0, 0).data(LogModel::EventIndexRole).toULongLong() >= model.firstEvent());
  // keeper's prints: named as it was created, long before the cut.
  int keeperRows = 0;
  for (int row = 0; row < log.rowCount(); ++row) {
    if (log.index(row, 0).data(LogModel::TaskIdRole).toUInt() == 1) {
      ++keeperRows;
      QCOMPARE(cell(log, row, LogModel::TaskColumn), QStringLiteral("keeper"));
    }
  }
  QVERIFY(keeperRows > 0);
}

QTEST_GUILESS_MAIN(tst_LogModel)
#include "tst_logmodel.moc"
