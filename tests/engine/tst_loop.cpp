// SPDX-License-Identifier: GPL-3.0-or-later
// Loop scheduling: call_soon/call_later/call_at ordering, asyncio's iteration rule, stop and
// run_until_complete, stall detection, cross-thread wake-ups, callback errors, slow steps and
// tracing on/off. Everything runs on a VirtualClock except the cross-thread wake-up test.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Loop : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void callSoonRunsCallbacksInFifoOrder();
  void eventsInsideAStepCarryTheirOwnTime();
  void createTaskSchedulesTheFirstStepForALaterIteration();
  void workQueuedDuringAnIterationRunsInTheNextOne();
  void tasksYieldingWithSleepZeroInterleave();
  void stopReturnsAfterTheCurrentIteration();
  void stopBeforeRunForeverRunsOneIteration();
  void dueTimersRunAfterCallbacksAlreadyReady();
  void nonPositiveSleepIsAYield();
  void callLaterAndCallAtFireAtExactVirtualTimes_data();
  void callLaterAndCallAtFireAtExactVirtualTimes();
  void equalDeadlinesFireInSchedulingOrder();
  void cancelledHandleNeverRuns_data();
  void cancelledHandleNeverRuns();
  void runUntilCompleteReturnsTheResult();
  void runUntilCompleteRethrowsTheException_data();
  void runUntilCompleteRethrowsTheException();
  void runUntilCompleteThrowsWhenStoppedEarly();
  void runUntilCompleteInsideTheRunningLoopRaisesWithoutScheduling();
  void stalledVirtualLoopThrowsLoopStalledNamingTheTask();
  void oneHourOfVirtualTimeEndsExactlyOnTheHour();
  void callSoonThreadsafeWakesARealClockLoopBlockedOnATimer();
  void virtualLoopWaitsForAnExternalSourceInsteadOfStalling();
  void callbackExceptionGoesToTheHandlerAndTheLoopContinues();
  void currentAndRunningLoopInsideAndOutside();
  void slowStepIsReported_data();
  void slowStepIsReported();
  void tracingOffEmitsNothing();
};

namespace {

Coro<void> logWhenRun(Probe& probe, QString what)
{
  probe << what;
  co_return;
}

Coro<void> yieldingTask(Probe& probe, QString name, int rounds)
{
  for (int i = 0; i < rounds; ++i) {
    probe << QStringLiteral("%1%2").arg(name).arg(i);
    co_await sleep(0ms);
  }
}

Coro<int> answer()
{
  co_await sleep(5ms);
  co_return 42;
}

Coro<std::string> greeting()
{
  co_await sleep(0ms);
  co_return std::string("hello");
}

struct AppError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};
struct NotAnException
{
  int code;
};

Coro<int> failing(int kind)
{
  co_await sleep(1ms);
  switch (kind) {
    case 0:
      throw AppError("app failed");
    case 1:
      throw std::logic_error("logic");
    case 2:
      throw NotAnException{7};
    default:
      throw TimeoutError();
  }
}

Coro<void> waitForever(Counted counted)
{
  (void)counted;
  Future<int> never;
  co_await never;
}

Coro<void> sleepSeconds(int n)
{
  for (int i = 0; i < n; ++i)
    co_await sleep(1s);
}

Coro<void> observeCurrent(Probe& probe, Loop& loop)
{
  CO_CHECK(probe, Loop::current() == &loop);
  CO_CHECK(probe, &Loop::running() == &loop);
  CO_CHECK(probe, current_task() != nullptr);
  CO_CHECK(probe, loop.current_task() == current_task());
  CO_CHECK(probe, loop.is_running());
  co_await sleep(1ms);
  CO_CHECK(probe, Loop::current() == &loop);
  probe << "task ran";
}

Coro<void> negativeSleeper(Probe& probe, QString name)
{
  for (int i = 0; i < 2; ++i) {
    probe << QStringLiteral("%1%2@%3").arg(name).arg(i).arg(nowNs(Loop::running()));
    co_await sleep(-5ms);
  }
}

Coro<void> nestedRun(Probe& probe, Loop& loop)
{
  try {
    loop.run_until_complete(logWhenRun(probe, "nested body ran"));
    probe << "nested run returned";
  } catch (const RuntimeError& e) {
    probe << QStringLiteral("RuntimeError: %1").arg(e.what());
  }
  co_await sleep(10ms);  // give a wrongly scheduled body every chance to run
  probe << "outer done";
}

// A step that blocks the loop thread for `blocked` of (virtual) time, like a synchronous
// time.sleep() inside a coroutine.
Coro<void> blockingStep(Duration blocked)
{
  co_await sleep(1ms);
  Loop& loop = Loop::running();
  loop.clock().advance_to(to_ns(loop.now() + blocked));
  co_await sleep(1ms);
}

}  // namespace

void tst_Loop::callSoonRunsCallbacksInFifoOrder()
{
  VirtualLoop v;
  QStringList order;
  for (int i = 0; i < 5; ++i)
    v.loop.call_soon([&order, i] { order << QString::number(i); });
  v.loop.call_soon([&v] { v.loop.stop(); });
  v.loop.run_forever();
  COMPARE_LOG(order, (QStringList{"0", "1", "2", "3", "4"}));
}

void tst_Loop::createTaskSchedulesTheFirstStepForALaterIteration()
{
  // asyncio: create_task() does call_soon(task.__step); the body runs in FIFO order with the
  // other ready callbacks, never inside create_task().
  VirtualLoop v;
  Probe probe;
  v.loop.call_soon([&probe] { probe << "callback before"; });
  Task<void> t = v.loop.create_task(logWhenRun(probe, "task body"), "t");
  QVERIFY(probe.log.isEmpty());
  QCOMPARE(t.state(), TaskState::Pending);
  QCOMPARE(t.base().steps(), std::uint64_t{0});
  v.loop.call_soon([&probe] { probe << "callback after"; });
  v.loop.run_until_complete(t);
  COMPARE_LOG(probe.log, (QStringList{"callback before", "task body", "callback after"}));
}

namespace {
Coro<void> createInsideTask(Probe& probe)
{
  Task<void> child = create_task(logWhenRun(probe, "child body"), "child");
  probe << QStringLiteral("created, child state %1").arg(toQString(task_state_name(child.state())));
  Loop::running().call_soon([&probe] { probe << "callback queued after create_task"; });
  co_await child;
  probe << "parent resumed";
}
}  // namespace

void tst_Loop::workQueuedDuringAnIterationRunsInTheNextOne()
{
  // Queued during the step of `parent`: the child's first step and a callback. They run on the
  // next iteration, in the order they were queued, and the parent runs again only after the
  // child has finished.
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(createInsideTask(probe));
  COMPARE_LOG(probe.log, (QStringList{"created, child state pending", "child body",
                                      "callback queued after create_task", "parent resumed"}));
}

void tst_Loop::tasksYieldingWithSleepZeroInterleave()
{
  VirtualLoop v;
  Probe probe;
  Task<void> a = v.loop.create_task(yieldingTask(probe, "A", 3), "A");
  Task<void> b = v.loop.create_task(yieldingTask(probe, "B", 3), "B");
  v.loop.run_until_complete(b);
  QVERIFY(a.done());
  COMPARE_LOG(probe.log, (QStringList{"A0", "B0", "A1", "B1", "A2", "B2"}));
  QCOMPARE(nowNs(v.loop), qint64{0});
}

void tst_Loop::stopReturnsAfterTheCurrentIteration()
{
  // asyncio: stop() lets the current iteration finish; what it queued runs after the next
  // run_forever() starts.
  VirtualLoop v;
  QStringList order;
  v.loop.call_soon([&] {
    order << "first";
    v.loop.call_soon([&order] { order << "queued by first"; });
    v.loop.stop();
  });
  v.loop.call_soon([&order] { order << "second (same iteration)"; });
  v.loop.run_forever();
  COMPARE_LOG(order, (QStringList{"first", "second (same iteration)"}));
  QVERIFY(!v.loop.is_running());
  QCOMPARE(v.loop.ready_count(), std::size_t{1});

  v.loop.call_soon([&v] { v.loop.stop(); });
  v.loop.run_forever();
  COMPARE_LOG(order, (QStringList{"first", "second (same iteration)", "queued by first"}));
}

void tst_Loop::stopBeforeRunForeverRunsOneIteration()
{
  // asyncio: stop() before run_forever() runs the callbacks already scheduled, then returns.
  VirtualLoop v;
  QStringList order;
  v.loop.call_soon([&] {
    order << "scheduled before";
    v.loop.call_soon([&order] { order << "queued during the iteration"; });
  });
  v.loop.call_later(1ms, [&order] { order << "timer"; });
  v.loop.stop();
  v.loop.run_forever();
  COMPARE_LOG(order, QStringList{"scheduled before"});
  QCOMPARE(nowNs(v.loop), qint64{0});
}

void tst_Loop::dueTimersRunAfterCallbacksAlreadyReady()
{
  // asyncio's _run_once appends due timers to _ready behind what is already there: a timer due
  // now, scheduled first, still runs after a call_soon made later.
  VirtualLoop v;
  QStringList order;
  v.loop.call_later(0ms, [&order] { order << "call_later(0), scheduled first"; });
  v.loop.call_at(v.loop.now(), [&order] { order << "call_at(now)"; });
  v.loop.call_soon([&order] { order << "call_soon, scheduled last"; });
  v.loop.call_later(1ms, [&v] { v.loop.stop(); });
  v.loop.run_forever();
  COMPARE_LOG(order, (QStringList{"call_soon, scheduled last", "call_later(0), scheduled first",
                                  "call_at(now)"}));
}

void tst_Loop::nonPositiveSleepIsAYield()
{
  // asyncio.sleep(d) with d <= 0 is a bare yield: the tasks interleave and time stands still.
  VirtualLoop v;
  Probe probe;
  Task<void> a = v.loop.create_task(negativeSleeper(probe, "A"), "A");
  Task<void> b = v.loop.create_task(negativeSleeper(probe, "B"), "B");
  v.loop.run_until_complete(b);
  QVERIFY(a.done());
  COMPARE_LOG(probe.log, (QStringList{"A0@0", "B0@0", "A1@0", "B1@0"}));
  QCOMPARE(v.loop.timer_count(), std::size_t{0});
}

void tst_Loop::callLaterAndCallAtFireAtExactVirtualTimes_data()
{
  QTest::addColumn<qint64>("delayNs");
  QTest::addColumn<bool>("useCallAt");
  QTest::newRow("call_later 1 ns") << qint64{1} << false;
  QTest::newRow("call_later 10 ms") << ns(10ms) << false;
  QTest::newRow("call_later 1.5 s") << ns(1500ms) << false;
  QTest::newRow("call_later 0 (next iteration)") << qint64{0} << false;
  QTest::newRow("call_at 250 us") << ns(250us) << true;
  QTest::newRow("call_at 2 h") << ns(2h) << true;
}

void tst_Loop::callLaterAndCallAtFireAtExactVirtualTimes()
{
  QFETCH(qint64, delayNs);
  QFETCH(bool, useCallAt);
  VirtualLoop v;
  // Start from a non-zero time so call_at and call_later differ.
  v.clock().advance_to(ns(3ms));
  qint64 firedAt = -1;
  auto fn = [&] {
    firedAt = nowNs(v.loop);
    v.loop.stop();
  };
  Handle h = useCallAt ? v.loop.call_at(from_ns(ns(3ms) + delayNs), fn)
                       : v.loop.call_later(Duration(delayNs), fn);
  QCOMPARE(static_cast<qint64>(to_ns(h.when())), ns(3ms) + delayNs);
  v.loop.run_forever();
  QCOMPARE(firedAt, ns(3ms) + delayNs);
}

void tst_Loop::equalDeadlinesFireInSchedulingOrder()
{
  VirtualLoop v;
  QStringList order;
  // Scheduled out of deadline order; equal deadlines keep their scheduling order.
  v.loop.call_later(20ms, [&order] { order << "20ms#1"; });
  v.loop.call_at(from_ns(ns(10ms)), [&order] { order << "10ms#1"; });
  v.loop.call_later(10ms, [&order] { order << "10ms#2"; });
  v.loop.call_later(5ms, [&order] { order << "5ms"; });
  v.loop.call_at(from_ns(ns(20ms)), [&order] { order << "20ms#2"; });
  v.loop.call_later(10ms, [&order] { order << "10ms#3"; });
  v.loop.call_later(30ms, [&v] { v.loop.stop(); });
  v.loop.run_forever();
  COMPARE_LOG(order, (QStringList{"5ms", "10ms#1", "10ms#2", "10ms#3", "20ms#1", "20ms#2"}));
  QCOMPARE(nowMs(v.loop), qint64{30});
}

void tst_Loop::cancelledHandleNeverRuns_data()
{
  QTest::addColumn<bool>("timer");
  QTest::newRow("call_soon handle") << false;
  QTest::newRow("call_later handle") << true;
}

void tst_Loop::cancelledHandleNeverRuns()
{
  QFETCH(bool, timer);
  VirtualLoop v;
  auto counted = std::make_shared<Counted>();
  bool ran = false;
  bool otherRan = false;
  Handle h = timer ? v.loop.call_later(5ms, [&ran, counted] { ran = true; })
                   : v.loop.call_soon([&ran, counted] { ran = true; });
  v.loop.call_later(5ms, [&otherRan] { otherRan = true; });
  counted.reset();
  QCOMPARE(Counted::alive(), 1);  // held by the scheduled callback
  QVERIFY(!h.cancelled());
  h.cancel();
  QVERIFY(h.cancelled());
  QCOMPARE(Counted::alive(), 0);  // the cancelled callback is released at once
  v.loop.call_later(10ms, [&v] { v.loop.stop(); });
  v.loop.run_forever();
  QVERIFY(!ran);
  QVERIFY(otherRan);
  h.cancel();  // cancelling again is a no-op
  QVERIFY(h.cancelled());
}

void tst_Loop::runUntilCompleteReturnsTheResult()
{
  VirtualLoop v;
  QCOMPARE(v.loop.run_until_complete(answer()), 42);
  QCOMPARE(nowMs(v.loop), qint64{5});
  QCOMPARE(v.loop.run_until_complete(greeting()), std::string("hello"));
  // A task that is already done returns at once.
  Task<int> t = v.loop.create_task(answer());
  QCOMPARE(v.loop.run_until_complete(t), 42);
  QCOMPARE(v.loop.run_until_complete(t), 42);
  QCOMPARE(nowMs(v.loop), qint64{10});
  QVERIFY(!v.loop.is_running());
}

void tst_Loop::runUntilCompleteRethrowsTheException_data()
{
  QTest::addColumn<int>("kind");
  QTest::addColumn<QString>("expected");
  QTest::newRow("runtime_error subclass") << 0 << "AppError: app failed";
  QTest::newRow("std::logic_error") << 1 << "std::logic_error: logic";
  QTest::newRow("not a std::exception") << 2 << "NotAnException";
  QTest::newRow("TimeoutError") << 3 << "TimeoutError";
}

void tst_Loop::runUntilCompleteRethrowsTheException()
{
  QFETCH(int, kind);
  QFETCH(QString, expected);
  VirtualLoop v;
  std::exception_ptr caught;
  try {
    v.loop.run_until_complete(failing(kind));
  } catch (...) {
    caught = std::current_exception();
  }
  QVERIFY(caught);
  // describe_exception names the dynamic type: the original exception object is rethrown, not a
  // copy sliced to a base class.
  QVERIFY2(describe(caught).endsWith(expected), qPrintable(describe(caught)));
  switch (kind) {
    case 0:
      QVERIFY_THROWS_EXCEPTION(AppError, std::rethrow_exception(caught));
      break;
    case 1:
      QVERIFY_THROWS_EXCEPTION(std::logic_error, std::rethrow_exception(caught));
      break;
    case 2:
      QVERIFY_THROWS_EXCEPTION(NotAnException, std::rethrow_exception(caught));
      break;
    default:
      QVERIFY_THROWS_EXCEPTION(TimeoutError, std::rethrow_exception(caught));
      break;
  }
  QVERIFY(!v.loop.is_running());
}

void tst_Loop::runUntilCompleteThrowsWhenStoppedEarly()
{
  VirtualLoop v;
  v.loop.call_later(2ms, [&v] { v.loop.stop(); });
  Task<int> t = v.loop.create_task(answer(), "answer");
  QVERIFY_THROWS_EXCEPTION(RuntimeError, v.loop.run_until_complete(t));
  QVERIFY(!t.done());
  QCOMPARE(nowMs(v.loop), qint64{2});
  // The loop can be run again and the task completes.
  QCOMPARE(v.loop.run_until_complete(t), 42);
  QCOMPARE(nowMs(v.loop), qint64{5});
}

void tst_Loop::runUntilCompleteInsideTheRunningLoopRaisesWithoutScheduling()
{
  // CPython's run_until_complete checks _check_running() before ensure_future(), so the
  // coroutine is never wrapped in a task and never runs.
  VirtualLoop v;
  Probe probe;
  Task<void> outer = v.loop.create_task(nestedRun(probe, v.loop), "outer");
  v.loop.run_until_complete(outer);
  COMPARE_LOG(probe.log,
              (QStringList{"RuntimeError: This event loop is already running", "outer done"}));
  QCOMPARE(eventsOfKind(v.decoded(), EventKind::TaskCreated).size(), std::size_t{1});
}

void tst_Loop::stalledVirtualLoopThrowsLoopStalledNamingTheTask()
{
  {
    VirtualLoop v;
    QString message;
    try {
      v.loop.run_until_complete(waitForever(Counted{}), "stuck-waiter");
      QFAIL("run_until_complete returned although the task can never finish");
    } catch (const LoopStalled& e) {
      message = QString::fromUtf8(e.what());
    }
    QVERIFY2(message.contains("stuck-waiter"), qPrintable(message));
    QVERIFY(!v.loop.is_running());
    QCOMPARE(Loop::current(), nullptr);
    QCOMPARE(v.loop.task_count(), std::size_t{1});
    QCOMPARE(Counted::alive(), 1);  // the task's frame is still there, suspended
  }
  QCOMPARE(Counted::alive(), 0);  // destroying the loop destroyed the pending frame
}

void tst_Loop::oneHourOfVirtualTimeEndsExactlyOnTheHour()
{
  VirtualLoop v(false);
  v.loop.run_until_complete(sleepSeconds(3600));
  QCOMPARE(v.loop.time(), 3600.0);
  QCOMPARE(nowNs(v.loop), ns(1h));
  QCOMPARE(v.loop.timer_count(), std::size_t{0});
}

namespace {
// Lets the test's helper thread know that the loop is about to block: the loop flushes a
// LoopWait event right before it waits in epoll.
class LoopWaitSignal final : public EventSink
{
public:
  void write(std::span<const TraceEvent> events) override
  {
    for (const TraceEvent& e : events) {
      if (e.kind == EventKind::LoopWait) {
        waitTimeoutsNs.push_back(static_cast<qint64>(e.detail));
        if (!signalled.exchange(true))
          blocked.set_value();
      }
      if (e.kind == EventKind::LoopWake)
        ++wakes;
    }
  }
  std::promise<void> blocked;
  std::atomic<bool> signalled{false};
  std::vector<qint64> waitTimeoutsNs;  // loop thread only
  int wakes = 0;                       // loop thread only
};
}  // namespace

void tst_Loop::callSoonThreadsafeWakesARealClockLoopBlockedOnATimer()
{
  Loop loop;  // RealClock
  QVERIFY(!loop.virtual_time());
  LoopWaitSignal sink;
  loop.set_sink(&sink);
  bool timerRan = false;
  bool wakeRan = false;
  std::thread::id wakeThread;
  loop.call_later(30s, [&] {
    timerRan = true;
    loop.stop();  // so a broken wake-up fails the test after 30 s instead of hanging it
  });
  std::future<void> blocked = sink.blocked.get_future();
  std::thread other([&] {
    blocked.wait();
    loop.call_soon_threadsafe([&] {
      wakeRan = true;
      wakeThread = std::this_thread::get_id();
      loop.stop();
    });
  });
  loop.run_forever();
  other.join();
  loop.set_sink(nullptr);

  QVERIFY(wakeRan);
  QVERIFY(!timerRan);
  QCOMPARE(wakeThread, std::this_thread::get_id());  // callbacks run on the loop thread
  QCOMPARE(sink.waitTimeoutsNs.size(), std::size_t{1});
  // The loop had gone to wait for the 30 s timer (less the little time already elapsed).
  QVERIFY(sink.waitTimeoutsNs.front() > ns(20s));
  QVERIFY(sink.waitTimeoutsNs.front() <= ns(30s));
  QCOMPARE(sink.wakes, 1);
  QCOMPARE(loop.timer_count(), std::size_t{1});  // the 30 s timer is still pending
}

namespace {
Coro<int> awaitValue(Future<int> f)
{
  const int v = co_await f;
  co_return v;
}
}  // namespace

void tst_Loop::virtualLoopWaitsForAnExternalSourceInsteadOfStalling()
{
  // While a thread owes the loop a wake-up (add_external_source), a virtual-clock loop with
  // nothing to do waits for call_soon_threadsafe instead of throwing LoopStalled.
  Loop loop(std::make_unique<VirtualClock>());
  LoopWaitSignal sink;
  loop.set_sink(&sink);
  Future<int> f(loop);
  loop.add_external_source();
  std::future<void> blocked = sink.blocked.get_future();
  std::thread other([&] {
    blocked.wait();
    loop.call_soon_threadsafe([&] {
      f.set_result(7);
      loop.remove_external_source();
    });
  });
  const int v = loop.run_until_complete(awaitValue(f));
  other.join();
  loop.set_sink(nullptr);
  QCOMPARE(v, 7);
  QCOMPARE(sink.waitTimeoutsNs, std::vector<qint64>{-1});  // waited without a timeout
  QCOMPARE(nowNs(loop), qint64{0});                        // and virtual time did not move

  // With no external source left, the same situation is a stall.
  Future<int> never(loop);
  QVERIFY_THROWS_EXCEPTION(LoopStalled, loop.run_until_complete(awaitValue(never)));
}

void tst_Loop::callbackExceptionGoesToTheHandlerAndTheLoopContinues()
{
  VirtualLoop v;
  QStringList handled;
  QStringList order;
  v.loop.set_exception_handler([&handled](std::string_view context, std::exception_ptr e) {
    handled << toQString(context) + QStringLiteral(" / ") + describe(e);
  });
  v.loop.call_soon([&order] {
    order << "throws runtime_error";
    throw std::runtime_error("boom");
  });
  v.loop.call_soon([&order] { order << "runs after the failure"; });
  v.loop.call_later(1ms, [&order] {
    order << "timer throws";
    throw 17;
  });
  v.loop.call_later(2ms, [&order, &v] {
    order << "later timer";
    v.loop.stop();
  });
  v.loop.run_forever();
  COMPARE_LOG(order, (QStringList{"throws runtime_error", "runs after the failure", "timer throws",
                                  "later timer"}));
  COMPARE_LOG(handled, (QStringList{"callback / std::runtime_error: boom", "callback / int"}));

  const auto errors = eventsOfKind(v.decoded(), EventKind::CallbackError);
  QCOMPARE(errors.size(), std::size_t{2});
  QCOMPARE(toQString(errors[0].text), QStringLiteral("std::runtime_error: boom"));
  QCOMPARE(errors[1].ev.t_ns, ns(1ms));
}

void tst_Loop::currentAndRunningLoopInsideAndOutside()
{
  VirtualLoop v;
  Probe probe;
  QCOMPARE(Loop::current(), nullptr);
  QVERIFY_THROWS_EXCEPTION(RuntimeError, Loop::running());
  QCOMPARE(current_task(), nullptr);
  QVERIFY(!v.loop.is_running());

  v.loop.call_soon([&] {
    CO_CHECK(probe, Loop::current() == &v.loop);
    CO_CHECK(probe, current_task() == nullptr);  // a plain callback is not a task
    probe << "callback ran";
  });
  v.loop.run_until_complete(observeCurrent(probe, v.loop));
  VERIFY_PROBE(probe);
  COMPARE_LOG(probe.log, (QStringList{"callback ran", "task ran"}));

  QCOMPARE(Loop::current(), nullptr);
  QVERIFY_THROWS_EXCEPTION(RuntimeError, Loop::running());
  QCOMPARE(current_task(), nullptr);
}

void tst_Loop::slowStepIsReported_data()
{
  QTest::addColumn<qint64>("blockedNs");
  QTest::addColumn<bool>("reported");
  // asyncio reports a step when dt >= slow_callback_duration (0.1 s by default).
  QTest::newRow("200 ms blocking step") << ns(200ms) << true;
  QTest::newRow("1 s blocking step") << ns(1s) << true;
  QTest::newRow("exactly the 100 ms threshold") << ns(100ms) << true;
  QTest::newRow("99 ms step") << ns(99ms) << false;
  QTest::newRow("non-blocking step") << qint64{0} << false;
}

void tst_Loop::slowStepIsReported()
{
  QFETCH(qint64, blockedNs);
  QFETCH(bool, reported);
  VirtualLoop v;
  QCOMPARE(v.loop.slow_callback_duration(), Duration(100ms));
  Task<void> t = v.loop.create_task(blockingStep(Duration(blockedNs)), "blocker");
  v.loop.run_until_complete(t);

  const auto slow = eventsOfKind(v.decoded(), EventKind::SlowStep);
  if (!reported) {
    QCOMPARE(slow.size(), std::size_t{0});
    return;
  }
  QCOMPARE(slow.size(), std::size_t{1});
  QCOMPARE(slow[0].ev.task, t.id());
  QCOMPARE(static_cast<qint64>(slow[0].ev.detail), blockedNs);
  QCOMPARE(slow[0].ev.t_ns, ns(1ms) + blockedNs);  // stamped when the step ended
}

void tst_Loop::tracingOffEmitsNothing()
{
  VirtualLoop v;
  QVERIFY(v.loop.tracing());
  v.loop.set_sink(nullptr);
  QVERIFY(!v.loop.tracing());
  QCOMPARE(v.loop.sink(), nullptr);
  // A scenario that would emit every common kind: tasks, sleeps, a cancel, a callback error,
  // a slow step and a print.
  v.loop.set_exception_handler([](std::string_view, std::exception_ptr) {});
  v.loop.call_soon([] { throw std::runtime_error("ignored"); });
  Task<void> victim = v.loop.create_task(sleepSeconds(10), "victim");
  v.loop.call_later(1s, [&victim] { victim.cancel("stop"); });
  v.loop.print("not traced");
  Probe probe;
  v.loop.run_until_complete(blockingStep(500ms));
  v.loop.run_until_complete(yieldingTask(probe, "x", 2));
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(victim));
  QVERIFY(victim.cancelled());
  QCOMPARE(probe.log.size(), 2);
  v.loop.flush_trace();
  QCOMPARE(v.sink.events().size(), std::size_t{0});
}

QTEST_GUILESS_MAIN(tst_Loop)
namespace {
Coro<void> noop()
{
  co_return;
}

// Blocks the loop thread for 200 ms of loop time (a synchronous sleep), then prints and spawns.
Coro<void> blockThenAct(Task<void>& spawned)
{
  auto& clock = static_cast<VirtualClock&>(Loop::running().clock());
  clock.advance_to(clock.now_ns() + 200'000'000);
  Loop::running().print("after blocking");
  spawned = create_task(noop(), "spawned");
  co_return;
}
}  // namespace

void tst_Loop::eventsInsideAStepCarryTheirOwnTime()
{
  VirtualLoop v;
  Task<void> spawned;
  v.loop.run_until_complete(blockThenAct(spawned));
  const auto events = v.decoded();
  const auto prints = eventsOfKind(events, EventKind::Print);
  QCOMPARE(prints.size(), std::size_t{1});
  QCOMPARE(prints[0].ev.t_ns, std::int64_t{200'000'000});  // not the step's start (0)
  const auto created = eventsOfKind(events, EventKind::TaskCreated);
  QCOMPARE(created.size(), std::size_t{2});
  QCOMPARE(created[1].ev.task, spawned.id());
  QCOMPARE(created[1].ev.t_ns, std::int64_t{200'000'000});
  const auto slow = eventsOfKind(events, EventKind::SlowStep);
  QCOMPARE(slow.size(), std::size_t{1});
  QCOMPARE(slow[0].ev.detail, std::uint64_t{200'000'000});
}

#include "tst_loop.moc"
