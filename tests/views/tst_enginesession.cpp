// SPDX-License-Identifier: GPL-3.0-or-later
// EngineSession: scenarios written here run on the session's engine thread; the test asserts on
// the events and the outcome that reach the GUI thread. Coroutines only record through the
// trace (QTest macros `return`, which is ill-formed in a coroutine).

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/engine.h>
#include <engine/scenarios.h>
#include <views/enginesession.h>

#include <QElapsedTimer>
#include <QObject>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>

#include <signal.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace loopscope::engine;
using namespace std::chrono_literals;
using loopscope::views::EngineSession;

Q_DECLARE_METATYPE(EngineSession::Scenario)

class tst_EngineSession : public QObject
{
  Q_OBJECT

private slots:
  void deliversTheScenarioEventsAndOutcome();
  void outcomeOfTheMainTask_data();
  void outcomeOfTheMainTask();
  void stalledVirtualLoopFails();
  void eventsArriveInBatchesNotOneSignalPerEvent();
  void aDrainTakesAtMostTheDrainLimit();
  void drainLimitIsClamped_data();
  void drainLimitIsClamped();
  void secondStartGivesAFreshStream();
  void restartWhileRunningDropsTheOldRun();
  void requestCancelEndsARealTimeScenario();
  void requestCancelRightAfterStartIsNotLost();
  void requestCancelWithoutARunIsRefused();
  void destroyingTheSessionStopsAScenarioThatIgnoresCancellation();
  void requestCancelTaskReachesAnyTask();
  void signalButton_data();
  void signalButton();
  void sendSignalWithoutARunIsRefused();
  void restartAbandonsAShutdownHeldByASwallower();
  void loopNowMovesOnWhileAStepBlocks();
  void scriptOutputArrivesInStreamOrderTaggedByStream();
  void scriptOutputOfAWorkerThreadArrives();
  void scriptRequestCancelBeforeAsyncioRunIsApplied();
  void abandoningAScriptStuckInPythonCodeStopsIt_data();
  void abandoningAScriptStuckInPythonCodeStopsIt();
  void secondSigintInterruptsAScriptBusyInPythonCode();
};

namespace {

const EngineSession::Options kVirtual{.timeScale = 1.0, .virtualTime = true, .runner = {}};
const EngineSession::Options kReal{.timeScale = 1.0, .virtualTime = false, .runner = {}};

// Collects every event the session delivers, and the number of batches.
struct Collector
{
  std::vector<DecodedEvent> events;
  int batches = 0;

  explicit Collector(EngineSession& session)
  {
    QObject::connect(&session, &EngineSession::eventsReady, &session,
                     [this](const std::vector<DecodedEvent>& batch) {
                       events.insert(events.end(), batch.begin(), batch.end());
                       ++batches;
                     });
  }
  void clear()
  {
    events.clear();
    batches = 0;
  }
  std::vector<DecodedEvent> ofKind(EventKind kind) const
  {
    std::vector<DecodedEvent> out;
    std::copy_if(events.begin(), events.end(), std::back_inserter(out),
                 [kind](const DecodedEvent& e) { return e.ev.kind == kind; });
    return out;
  }
  // Names of the tasks created, in creation order ("Task-<id>" for unnamed ones).
  QStringList createdTasks() const
  {
    QStringList names;
    for (const DecodedEvent& e : ofKind(EventKind::TaskCreated)) {
      names << (e.ev.a8 == 1 ? QString::fromStdString(e.text)
                             : QStringLiteral("Task-%1").arg(e.ev.task));
    }
    return names;
  }
  std::uint32_t taskId(const std::string& name) const
  {
    for (const DecodedEvent& e : ofKind(EventKind::TaskCreated)) {
      if (e.ev.a8 == 1 && e.text == name) {
        return e.ev.task;
      }
    }
    return 0;
  }
  QStringList printed() const
  {
    QStringList out;
    for (const DecodedEvent& e : ofKind(EventKind::Print)) {
      out << QString::fromStdString(e.text);
    }
    return out;
  }
  bool saw(EventKind kind) const { return !ofKind(kind).empty(); }
};

Coro<void> nap(Duration d)
{
  co_await sleep(d);
}

Coro<void> impatient()
{
  try {
    co_await timeout(100ms).run(nap(1s));
  } catch (const TimeoutError&) {
    Loop::running().print("gave up waiting");
  }
}

// main starts "sleeper" (10 s) and "impatient" (a 100 ms timeout around a 1 s nap), cancels the
// sleeper at 200 ms and awaits both.
Coro<void> smallScenario()
{
  Task<void> sleeper = create_task(nap(10s), "sleeper");
  Task<void> waiter = create_task(impatient(), "impatient");
  co_await sleep(200ms);
  sleeper.cancel("enough");
  try {
    co_await sleeper;
  } catch (const CancelledError&) {
    Loop::running().print("sleeper cancelled");
  }
  co_await waiter;
  // Longer than one 40-byte payload slot: the text must arrive whole.
  Loop::running().print(std::string(100, 'x') + "|end");
}

// A coroutine owns its arguments: `name` must be taken by value.
Coro<void> namedWorker(std::string name)  // NOLINT(performance-unnecessary-value-param)
{
  Task<void> w = create_task(nap(1s), std::move(name));
  co_await w;
}

// Sleeps a minute, and keeps sleeping whatever it is told.
Coro<void> ignoresCancellation()
{
  for (;;) {
    try {
      co_await sleep(60s);
    } catch (const CancelledError&) {  // NOLINT(bugprone-empty-catch): the point of the test
    }
  }
}

Coro<void> sleepsAMinute()
{
  Loop::running().print("started");
  co_await sleep(60s);
}

// Waits for `spy` to have fired once (it may have fired already).
bool waitOnce(QSignalSpy& spy)
{
  return spy.count() > 0 || spy.wait();
}

}  // namespace

void tst_EngineSession::deliversTheScenarioEventsAndOutcome()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);

  session.start(smallScenario, kVirtual);
  QVERIFY(session.isRunning());
  QVERIFY(waitOnce(finished));

  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("result"));
  QCOMPARE(session.outcome(), QStringLiteral("result"));
  QVERIFY(!session.isRunning());

  QCOMPARE(collected.createdTasks(), (QStringList{"main", "sleeper", "impatient"}));
  const std::uint32_t sleeper = collected.taskId("sleeper");
  const std::uint32_t waiter = collected.taskId("impatient");

  const auto fired = collected.ofKind(EventKind::TimeoutFired);
  QCOMPARE(fired.size(), std::size_t{1});
  QCOMPARE(fired[0].ev.task, waiter);
  QCOMPARE(fired[0].ev.t_ns, std::int64_t{100'000'000});  // virtual time: exactly on the deadline

  const auto delivered = collected.ofKind(EventKind::CancelDelivered);
  QVERIFY(std::any_of(delivered.begin(), delivered.end(), [&](const DecodedEvent& e) {
    return e.ev.task == sleeper && e.text == "enough";
  }));

  QCOMPARE(collected.printed(), (QStringList{"gave up waiting", "sleeper cancelled",
                                             QString(100, u'x') + QStringLiteral("|end")}));

  // The whole stream, in order, with nothing lost: sequence numbers start at 0 and only grow
  // (Text headers use numbers too, so they are not dense after decoding).
  QVERIFY(!collected.events.empty());
  QCOMPARE(collected.events.front().ev.seq, std::uint64_t{0});
  for (std::size_t i = 1; i < collected.events.size(); ++i) {
    QVERIFY(collected.events[i].ev.seq > collected.events[i - 1].ev.seq);
  }
  const auto done = collected.ofKind(EventKind::TaskDone);
  QCOMPARE(done.back().ev.task, collected.taskId("main"));
  QCOMPARE(done.back().ev.t_ns, std::int64_t{200'000'000});
  QCOMPARE(session.eventCount(), std::uint64_t{collected.events.size()});
  QCOMPARE(session.droppedEvents(), std::uint64_t{0});
}

void tst_EngineSession::outcomeOfTheMainTask_data()
{
  QTest::addColumn<EngineSession::Scenario>("scenario");
  QTest::addColumn<QString>("outcome");

  QTest::newRow("returns") << EngineSession::Scenario([]() -> Coro<void> { co_await nap(1s); })
                           << "result";
  QTest::newRow("throws an error") << EngineSession::Scenario([]() -> Coro<void> {
    co_await nap(1ms);
    throw std::runtime_error("boom");
  }) << "failed: std::runtime_error: boom";
  QTest::newRow("throws a BaseException that is not a cancellation")
      << EngineSession::Scenario([]() -> Coro<void> {
           co_await nap(1ms);
           throw SystemExit(3);
         })
      << "failed: SystemExit: exit code 3";
  QTest::newRow("throws something that is not an exception class")
      << EngineSession::Scenario([]() -> Coro<void> {
           co_await nap(1ms);
           throw 42;
         })
      << "failed: int";
  QTest::newRow("cancels itself") << EngineSession::Scenario([]() -> Coro<void> {
    current_task()->cancel("by itself");
    co_await nap(1s);
  }) << "cancelled";
  QTest::newRow("the scenario function throws before making a coroutine")
      << EngineSession::Scenario([]() -> Coro<void> { throw std::logic_error("no coroutine"); })
      << "failed: std::logic_error: no coroutine";
}

void tst_EngineSession::outcomeOfTheMainTask()
{
  QFETCH(EngineSession::Scenario, scenario);
  QFETCH(QString, outcome);
  EngineSession session;
  QSignalSpy finished(&session, &EngineSession::finished);
  session.start(scenario, kVirtual);
  QVERIFY(waitOnce(finished));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.at(0).at(0).toString(), outcome);
}

void tst_EngineSession::stalledVirtualLoopFails()
{
  EngineSession session;
  QSignalSpy finished(&session, &EngineSession::finished);
  // A future nobody will ever complete: a virtual-time loop reports the stall.
  session.start([]() -> Coro<void> { co_await Future<void>(); }, kVirtual);
  QVERIFY(waitOnce(finished));
  const QString outcome = finished.at(0).at(0).toString();
  QVERIFY2(outcome.startsWith(QStringLiteral("failed: LoopStalled: loop stalled")),
           qPrintable(outcome));
}

void tst_EngineSession::eventsArriveInBatchesNotOneSignalPerEvent()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.start(
      []() -> Coro<void> {
        for (int i = 0; i < 2000; ++i) {
          Loop::running().print("line " + std::to_string(i));
          co_await sleep(0ms);
        }
      },
      kVirtual);
  QVERIFY(waitOnce(finished));
  QCOMPARE(collected.printed().size(), 2000);
  QCOMPARE(collected.printed().last(), QStringLiteral("line 1999"));
  // Several thousand events; a batch per drain tick, not a signal per event.
  QVERIFY2(collected.batches * 100 < static_cast<int>(collected.events.size()),
           qPrintable(QStringLiteral("%1 batches for %2 events")
                          .arg(collected.batches)
                          .arg(collected.events.size())));
}

void tst_EngineSession::aDrainTakesAtMostTheDrainLimit()
{
  // A burst of tens of thousands of events (3,000 tasks created in one step, on the virtual
  // clock) with the lowest limit: each drain brings at most that many (one more: an event held
  // back for its text at the end of the previous drain), the rest waits in the queue, and
  // finished() comes after the last of them.
  EngineSession session;
  session.setDrainLimit(EngineSession::kMinDrainEvents);
  QCOMPARE(session.drainLimit(), EngineSession::kMinDrainEvents);
  const auto* scenario = loopscope::engine::scenarios::find("many-tasks");
  QVERIFY(scenario != nullptr);
  std::size_t largest = 0;
  std::size_t delivered = 0;
  std::size_t mostQueued = 0;
  QObject::connect(&session, &EngineSession::eventsReady, &session,
                   [&](const std::vector<DecodedEvent>& batch) {
                     largest = std::max(largest, batch.size());
                     delivered += batch.size();
                     mostQueued = std::max(mostQueued, session.queuedEvents());
                   });
  QSignalSpy finished(&session, &EngineSession::finished);
  const loopscope::engine::scenarios::Values values{{"count", 3000}, {"max_sleep", 0.5}};
  session.start([scenario, values] { return scenario->main(values); }, kVirtual);
  QVERIFY(finished.count() > 0 || finished.wait(30'000));
  QVERIFY2(delivered > 20'000, qPrintable(QString::number(delivered)));
  QCOMPARE(delivered, static_cast<std::size_t>(session.eventCount()));
  QVERIFY2(largest <= EngineSession::kMinDrainEvents + 1, qPrintable(QString::number(largest)));
  QVERIFY2(mostQueued > EngineSession::kMinDrainEvents, qPrintable(QString::number(mostQueued)));
  QCOMPARE(session.queuedEvents(), std::size_t{0});
  QCOMPARE(session.droppedEvents(), std::uint64_t{0});
}

void tst_EngineSession::drainLimitIsClamped_data()
{
  QTest::addColumn<qulonglong>("asked");
  QTest::addColumn<qulonglong>("limit");
  const auto lo = qulonglong{EngineSession::kMinDrainEvents};
  const auto hi = qulonglong{EngineSession::kMaxDrainEvents};
  QTest::newRow("zero") << qulonglong{0} << lo;
  QTest::newRow("below the least") << lo - 1 << lo;
  QTest::newRow("the least") << lo << lo;
  QTest::newRow("between") << qulonglong{5000} << qulonglong{5000};
  QTest::newRow("the most") << hi << hi;
  QTest::newRow("above the most") << hi * 100 << hi;
}

void tst_EngineSession::drainLimitIsClamped()
{
  QFETCH(qulonglong, asked);
  QFETCH(qulonglong, limit);
  EngineSession session;
  QCOMPARE(session.drainLimit(), EngineSession::kMaxDrainEvents);  // the default
  session.setDrainLimit(asked);
  QCOMPARE(qulonglong{session.drainLimit()}, limit);
}

void tst_EngineSession::secondStartGivesAFreshStream()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);

  session.start([] { return namedWorker("first-worker"); }, kVirtual);
  QVERIFY(waitOnce(finished));
  QCOMPARE(collected.createdTasks(), (QStringList{"main", "first-worker"}));
  const std::uint64_t firstRunEvents = session.eventCount();

  collected.clear();
  finished.clear();
  session.start([] { return namedWorker("second-worker"); }, kVirtual);
  QVERIFY(waitOnce(finished));

  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("result"));
  // Same ids and sequence numbers as a first run: a new loop, not a continued one.
  QCOMPARE(collected.createdTasks(), (QStringList{"main", "second-worker"}));
  QCOMPARE(collected.taskId("main"), std::uint32_t{1});
  QCOMPARE(collected.events.front().ev.seq, std::uint64_t{0});
  QCOMPARE(collected.events.front().ev.t_ns, std::int64_t{0});
  QCOMPARE(session.eventCount(), std::uint64_t{collected.events.size()});
  QCOMPARE(session.eventCount(), firstRunEvents);  // the same scenario shape
}

void tst_EngineSession::restartWhileRunningDropsTheOldRun()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);

  // A real-time run that would take a minute and ignores cancellation.
  session.start(
      []() -> Coro<void> {
        create_task(ignoresCancellation(), "old-run-task");
        co_await ignoresCancellation();
      },
      kReal);
  QTRY_VERIFY(collected.taskId("old-run-task") != 0);

  collected.clear();
  session.start([] { return namedWorker("new-run-task"); }, kVirtual);
  QVERIFY(waitOnce(finished));

  QCOMPARE(finished.count(), 1);  // the abandoned run reports nothing
  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("result"));
  QCOMPARE(collected.createdTasks(), (QStringList{"main", "new-run-task"}));
  QCOMPARE(collected.events.front().ev.seq, std::uint64_t{0});
}

void tst_EngineSession::requestCancelEndsARealTimeScenario()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);

  session.start(sleepsAMinute, kReal);
  QTRY_VERIFY(collected.saw(EventKind::Suspended));  // main is asleep
  QVERIFY(session.requestCancel(QStringLiteral("Stop pressed")));
  QVERIFY(waitOnce(finished));

  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("cancelled"));
  const auto requested = collected.ofKind(EventKind::CancelRequested);
  QCOMPARE(requested.size(), std::size_t{1});
  QCOMPARE(requested[0].ev.task, collected.taskId("main"));
  QCOMPARE(requested[0].ev.detail, std::uint64_t{0});  // from outside any task
  QCOMPARE(requested[0].text, std::string("Stop pressed"));
  QVERIFY(collected.saw(EventKind::CancelDelivered));
  QCOMPARE(collected.ofKind(EventKind::TaskDone).back().ev.a8,
           static_cast<std::uint8_t>(TaskOutcome::Cancelled));
}

void tst_EngineSession::requestCancelRightAfterStartIsNotLost()
{
  EngineSession session;
  QSignalSpy finished(&session, &EngineSession::finished);
  // Possibly before the engine thread has built its loop: the request must wait for it.
  session.start(sleepsAMinute, kReal);
  QVERIFY(session.requestCancel());
  QVERIFY(waitOnce(finished));
  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("cancelled"));
}

void tst_EngineSession::requestCancelWithoutARunIsRefused()
{
  EngineSession session;
  QVERIFY(!session.requestCancel());

  QSignalSpy finished(&session, &EngineSession::finished);
  session.start([]() -> Coro<void> { co_await nap(1ms); }, kVirtual);
  QVERIFY(waitOnce(finished));
  QVERIFY(!session.requestCancel());  // over
}

void tst_EngineSession::destroyingTheSessionStopsAScenarioThatIgnoresCancellation()
{
  auto session = std::make_unique<EngineSession>();
  Collector collected(*session);
  QSignalSpy finished(session.get(), &EngineSession::finished);
  session->start(ignoresCancellation, kReal);
  QTRY_VERIFY(collected.saw(EventKind::Suspended));
  QVERIFY(session->requestCancel());  // ignored by the scenario
  QTRY_VERIFY(collected.saw(EventKind::CancelDelivered));

  session.reset();  // must not wait for the (never-ending) scenario

  QCOMPARE(finished.count(), 0);
}

namespace {

Coro<void> awaitsAWorker()
{
  Task<void> worker = create_task(nap(60s), "worker");
  co_await worker;
}

// Stops cleanly on SIGTERM through a handler of its own, as a server would.
Coro<void> stopsOnSigterm()
{
  Loop& loop = Loop::running();
  auto stop = std::make_shared<Event>();
  loop.add_signal_handler(SIGTERM, [stop] { stop->set(); });
  co_await stop->wait();
  loop.remove_signal_handler(SIGTERM);
  loop.print("stopping on SIGTERM");
}

Coro<void> swallowsForever()
{
  for (;;) {
    try {
      co_await sleep(10s);
    } catch (const CancelledError&) {
      // The bug on purpose: shutdown waits for this task forever (no grace deadline).
    }
  }
}

Coro<void> leavesASwallowerBehind()
{
  create_task(swallowsForever(), "swallower");
  co_await sleep(1ms);
}

Coro<void> blocksTheLoop()
{
  co_await sleep(0s);
  std::this_thread::sleep_for(2s);  // a blocking call inside a step
}

}  // namespace

void tst_EngineSession::requestCancelTaskReachesAnyTask()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.start(awaitsAWorker, kReal);
  QTRY_VERIFY(collected.taskId("worker") != 0 &&
              collected.ofKind(EventKind::Suspended).size() >= 2);
  const std::uint32_t worker = collected.taskId("worker");
  QVERIFY(session.requestCancelTask(worker, QStringLiteral("cancel pressed")));
  QVERIFY(waitOnce(finished));

  const auto requested = collected.ofKind(EventKind::CancelRequested);
  QVERIFY(!requested.empty());
  QCOMPARE(requested.front().ev.task, worker);
  QCOMPARE(requested.front().text, std::string("cancel pressed"));
  // main awaited the worker, so the worker's CancelledError reached main through it.
  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("cancelled"));
  QVERIFY(!session.requestCancelTask(worker));  // the run is over
}

void tst_EngineSession::signalButton_data()
{
  QTest::addColumn<int>("signum");
  QTest::addColumn<QString>("outcome");
  QTest::addColumn<int>("exitStatus");
  QTest::addColumn<QString>("printed");
  // asyncio.run: the first SIGINT cancels main, which then surfaces as KeyboardInterrupt.
  QTest::newRow("SIGINT through the Runner") << int(SIGINT) << "interrupted (SIGINT)" << 130 << "";
  QTest::newRow("SIGTERM through the scenario's handler")
      << int(SIGTERM) << "result" << 0 << "stopping on SIGTERM";
}

void tst_EngineSession::signalButton()
{
  QFETCH(int, signum);
  QFETCH(QString, outcome);
  QFETCH(int, exitStatus);
  QFETCH(QString, printed);
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.start(signum == SIGINT ? EngineSession::Scenario(sleepsAMinute)
                                 : EngineSession::Scenario(stopsOnSigterm),
                kReal);
  QTRY_VERIFY(collected.saw(EventKind::Suspended));
  QVERIFY(session.sendSignal(signum));
  QVERIFY(waitOnce(finished));
  QCOMPARE(finished.at(0).at(0).toString(), outcome);
  QCOMPARE(session.exitStatus(), exitStatus);
  const auto received = collected.ofKind(EventKind::SignalReceived);
  QCOMPARE(received.size(), std::size_t{1});
  QCOMPARE(int(received[0].ev.arg), signum);
  if (!printed.isEmpty()) {
    QCOMPARE(collected.printed(), QStringList{printed});
  }
}

void tst_EngineSession::sendSignalWithoutARunIsRefused()
{
  EngineSession session;
  // Nothing would handle it: SIGTERM's default action would end this test process.
  QVERIFY(!session.sendSignal(SIGTERM));
}

void tst_EngineSession::restartAbandonsAShutdownHeldByASwallower()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.start(leavesASwallowerBehind, kReal);  // no grace deadline: asyncio.run would hang
  QTRY_VERIFY(std::ranges::any_of(
      collected.ofKind(EventKind::ShutdownPhase),
      [](const DecodedEvent& e) { return e.ev.a8 == std::uint8_t(ShutdownPhaseKind::Awaiting); }));
  QVERIFY(collected.saw(EventKind::CancelSwallowed));
  QVERIFY(session.isRunning());  // held up by the swallower

  collected.clear();
  session.start([]() -> Coro<void> { co_await nap(1ms); }, kVirtual);
  QVERIFY(waitOnce(finished));
  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("result"));
  QCOMPARE(collected.createdTasks(), QStringList{"main"});
}

void tst_EngineSession::loopNowMovesOnWhileAStepBlocks()
{
  EngineSession session;
  Collector collected(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.start(blocksTheLoop, kReal);
  // The step after sleep(0) is the blocking one: its StepBegin is published before it runs.
  QTRY_VERIFY(collected.ofKind(EventKind::StepBegin).size() >= 2);
  const std::int64_t blockedAt = collected.ofKind(EventKind::StepBegin)[1].ev.t_ns;
  QTRY_VERIFY(session.loopNow() > blockedAt + 100'000'000);
  // The GUI's clock moved on although the loop thread has not finished that step.
  QVERIFY(!collected.saw(EventKind::TaskDone));
  QVERIFY(session.isRunning());
  QVERIFY(waitOnce(finished));
  QVERIFY(session.loopNow() >= blockedAt + 2'000'000'000);  // frozen at the last event
}

namespace {

// (stream, task, text) of the Print events, in order.
struct Printed
{
  int stream;
  std::uint32_t task;
  std::string text;
  bool operator==(const Printed&) const = default;
};
std::vector<Printed> printed(const Collector& c)
{
  std::vector<Printed> out;
  for (const DecodedEvent& e : c.ofKind(EventKind::Print))
    out.push_back({e.ev.a8, e.ev.task, e.text});
  return out;
}

}  // namespace

void tst_EngineSession::scriptOutputArrivesInStreamOrderTaggedByStream()
{
  EngineSession session;
  Collector c(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.startScript({"import asyncio, sys\n"
                       "print('before', end='')\n"
                       "print(' run')\n"
                       "async def main():\n"
                       "    print('in main')\n"
                       "    await asyncio.sleep(1)\n"
                       "    print('oops', file=sys.stderr)\n"
                       "asyncio.run(main())\n"
                       "print('no newline', end='')\n",
                       "out.py"},
                      kVirtual);
  QVERIFY(session.isScriptRun());
  QVERIFY(finished.wait(20'000));
  const std::vector<Printed> expected{
      {0, 0, "before run"}, {0, 1, "in main"}, {1, 1, "oops"}, {0, 0, "no newline"}};
  QVERIFY(printed(c) == expected);
  // One increasing sequence across the loop's events and the output written outside it.
  for (std::size_t i = 1; i < c.events.size(); ++i)
    QVERIFY(c.events[i].ev.seq > c.events[i - 1].ev.seq);
  // "oops" at the sleep's end: the output is stamped with loop time.
  QCOMPARE(c.ofKind(EventKind::Print)[2].ev.t_ns, std::int64_t{1'000'000'000});
  QCOMPARE(session.exitStatus(), 0);
  QVERIFY(!session.scriptOutcome().parseFailed);
  QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("ended, exit status 0"));
}

void tst_EngineSession::scriptOutputOfAWorkerThreadArrives()
{
  EngineSession session;
  Collector c(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.startScript({"import asyncio\n"
                       "def work():\n"
                       "    print('from a thread')\n"
                       "    return 7\n"
                       "async def main():\n"
                       "    print('got', await asyncio.to_thread(work))\n"
                       "asyncio.run(main())\n",
                       "thread.py"},
                      kReal);
  QVERIFY(finished.wait(20'000));
  const std::vector<Printed> expected{{0, 0, "from a thread"}, {0, 1, "got 7"}};
  QVERIFY(printed(c) == expected);
}

void tst_EngineSession::scriptRequestCancelBeforeAsyncioRunIsApplied()
{
  // Stop pressed while module code runs: asyncio.run's main is cancelled at its start.
  EngineSession session;
  Collector c(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.startScript({"import asyncio, time\n"
                       "time.sleep(0.2)\n"
                       "async def main():\n"
                       "    try:\n"
                       "        await asyncio.sleep(30)\n"
                       "    except asyncio.CancelledError:\n"
                       "        print('main cancelled')\n"
                       "asyncio.run(main())\n",
                       "early.py"},
                      kReal);
  QVERIFY(session.requestCancel(QStringLiteral("early")));
  QVERIFY(finished.wait(20'000));
  QCOMPARE(printed(c).size(), std::size_t{1});
  QCOMPARE(printed(c).front().text, std::string("main cancelled"));
  QCOMPARE(session.exitStatus(), 0);
}

void tst_EngineSession::abandoningAScriptStuckInPythonCodeStopsIt_data()
{
  QTest::addColumn<QString>("source");
  QTest::newRow("module-level loop") << QStringLiteral("while True:\n    pass\n");
  QTest::newRow("loop in the main task") << QStringLiteral(
      "import asyncio\n"
      "async def main():\n"
      "    while True:\n"
      "        pass\n"
      "asyncio.run(main())\n");
  QTest::newRow("blocking time.sleep") << QStringLiteral(
      "import asyncio, time\n"
      "async def main():\n"
      "    time.sleep(600)\n"
      "asyncio.run(main())\n");
  QTest::newRow("recursion") << QStringLiteral(
      "def f(n):\n"
      "    return f(n + 1) if n < 500 else f(0)\n"
      "f(0)\n");
  // The stop arrives as KeyboardInterrupt, again at every checkpoint: catching it cannot keep
  // the run alive.
  QTest::newRow("swallows KeyboardInterrupt") << QStringLiteral(
      "while True:\n"
      "    try:\n"
      "        while True:\n"
      "            pass\n"
      "    except BaseException:\n"
      "        pass\n");
}

void tst_EngineSession::abandoningAScriptStuckInPythonCodeStopsIt()
{
  // Python code that never awaits keeps the loop from ever seeing a stop; the interpreter
  // checks for it on every loop iteration and call, so the thread ends and is joined.
  QFETCH(QString, source);
  EngineSession session;
  session.startScript({source.toStdString(), "spin.py"}, kReal);
  QVERIFY(session.isRunning());
  session.abandon();
  QVERIFY(!session.isRunning());
  QCOMPARE(session.orphanedRuns(), std::size_t{0});
  Collector c(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.startScript({"print('next')\n", "next.py"}, kVirtual);
  QVERIFY(finished.wait(20'000));
  QCOMPARE(printed(c).size(), std::size_t{1});
}

void tst_EngineSession::secondSigintInterruptsAScriptBusyInPythonCode()
{
  // As in CPython: the Runner's SIGINT handler runs between Python statements, not when the
  // loop next polls. The first SIGINT cancels main (pending until its next await), the second
  // raises KeyboardInterrupt inside the busy loop.
  EngineSession session;
  Collector c(session);
  QSignalSpy finished(&session, &EngineSession::finished);
  session.startScript({"import asyncio\n"
                       "async def main():\n"
                       "    print('spinning', flush=True)\n"
                       "    try:\n"
                       "        while True:\n"
                       "            pass\n"
                       "    except KeyboardInterrupt:\n"
                       "        print('interrupted; cancelling =', "
                       "asyncio.current_task().cancelling())\n"
                       "        raise\n"
                       "asyncio.run(main())\n",
                       "busy.py"},
                      kReal);
  QTRY_VERIFY_WITH_TIMEOUT(!printed(c).empty(), 20'000);
  QVERIFY(session.sendSignal(SIGINT));
  QVERIFY(session.sendSignal(SIGINT));
  QVERIFY(finished.wait(20'000));
  QCOMPARE(session.exitStatus(), 130);
  QCOMPARE(finished.at(0).at(0).toString(),
           QStringLiteral("interrupted (SIGINT), exit status 130"));
  std::vector<std::string> out;
  std::string err;
  for (const Printed& p : printed(c)) {
    if (p.stream == 0)
      out.push_back(p.text);
    else
      err += p.text + "\n";
  }
  QCOMPARE(out, (std::vector<std::string>{"spinning", "interrupted; cancelling = 1"}));
  // The traceback names the loop line, as CPython 3.11-3.13 do ("while True:").
  QVERIFY2(err.find("line 5, in main") != std::string::npos, err.c_str());
  QVERIFY2(err.ends_with("KeyboardInterrupt\n"), err.c_str());
  QCOMPARE(int(c.ofKind(EventKind::SignalReceived).size()), 2);
}

QTEST_GUILESS_MAIN(tst_EngineSession)
#include "tst_enginesession.moc"
