// SPDX-License-Identifier: GPL-3.0-or-later
// Task cancellation with CPython 3.12+/3.13 semantics (asyncio/tasks.py: Task.cancel, __step,
// uncancel): where CancelledError is raised, which message it carries, what cancelling() counts,
// when a caught CancelledError counts as swallowed, and that no coroutine frame leaks when
// tasks are cancelled at any moment or abandoned in a destroyed loop.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <source_location>
#include <type_traits>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Cancellation : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void cancelBeforeTheFirstStepNeverRunsTheBody();
  void cancelWhileSleepingRaisesAtTheSleep_data();
  void cancelWhileSleepingRaisesAtTheSleep();
  void cancelWhileAwaitingATaskCancelsBoth();
  void cancelTwiceCountsTwiceAndDeliversOnce_data();
  void cancelTwiceCountsTwiceAndDeliversOnce();
  void cancelOfADoneTaskReturnsFalse();
  void awaiterReceivesTheCancelMessage();
  void swallowDetection_data();
  void swallowDetection();
  void catchStdExceptionDoesNotCatchCancelledError();
  void returningWhileACancelIsPendingEndsCancelled();
  void uncancelNeverGoesBelowZero();
  void uncancelToZeroDropsAnUndeliveredCancel_data();
  void uncancelToZeroDropsAnUndeliveredCancel();
  void innerSwallowsAndReturnsValueToCancelledAwaiter();
  void cancelAfterTheAwaitedTaskFinishedRaisesInsteadOfReturning();
  void cancelWhileRunningCancelsTheNextWaitAtOnce_data();
  void cancelWhileRunningCancelsTheNextWaitAtOnce();
  void keepingOwnCancelledErrorWhileCatchingAChildsIsNoSwallow();
  void inheritedCancelNamesTheAwaitedTask();
  void cancellationStormLeavesNoFrames();
  void loopDestroyedWithPendingTasksDestroysTheirFrames();
  void loopDestroyedWithPendingDoneCallbacksReleasesThem();
};

namespace {

static_assert(!std::is_base_of_v<std::exception, CancelledError>,
              "catch (const std::exception&) must not catch CancelledError");
static_assert(std::is_base_of_v<BaseException, CancelledError>);
static_assert(std::is_base_of_v<std::exception, TimeoutError>);

Coro<int> bodyWithLocal(Probe& probe)
{
  Counted local;
  probe << "body ran";
  co_await sleep(1ms);
  co_return 1;
}

struct SleepObservation
{
  qint64 caughtAtNs = -1;
  QString message;
  unsigned sleepLine = 0;
  int cancellingInHandler = -1;
};
Coro<void> longSleeper(SleepObservation& obs)
{
  try {
    obs.sleepLine = std::source_location::current().line() + 1;  // the next line
    co_await sleep(1s);
  } catch (const CancelledError& e) {
    obs.caughtAtNs = nowNs(Loop::running());
    obs.message = QString::fromStdString(e.message());
    obs.cancellingInHandler = current_task()->cancelling();
    throw;
  }
}

Coro<void> cancelAfter(Task<void> target, Duration d, std::string msg)
{
  co_await sleep(d);
  target.cancel(msg);
}

Coro<void> sleepFor(Duration d)
{
  co_await sleep(d);
}

Coro<void> awaitInner(Probe& probe, Task<void> inner)
{
  try {
    co_await inner;
  } catch (const CancelledError& e) {
    probe << QStringLiteral("outer caught '%1' at %2ms")
                 .arg(QString::fromStdString(e.message()))
                 .arg(nowMs(Loop::running()));
    throw;
  }
}

Coro<void> innerSleeper(Probe& probe)
{
  try {
    co_await sleep(1s);
  } catch (const CancelledError& e) {
    probe << QStringLiteral("inner caught '%1'").arg(QString::fromStdString(e.message()));
    throw;
  }
}

Coro<void> countDeliveries(Probe& probe, bool yieldFirst)
{
  try {
    if (yieldFirst)
      co_await sleep(0ms);
    co_await sleep(1s);
  } catch (const CancelledError& e) {
    probe << QStringLiteral("delivered '%1'").arg(QString::fromStdString(e.message()));
    throw;
  }
}

Coro<void> cleanup(Probe& probe)
{
  co_await sleep(5ms);
  probe << QStringLiteral("cleanup done at %1ms").arg(nowMs(Loop::running()));
}

enum class NextWait { Sleep, Task, Future };

// Cancels itself (as a callback run from its own step would), then suspends: CPython's __step
// cancels the just-awaited future at once, so CancelledError arrives on the next iteration
// instead of when the wait would have ended.
Coro<void> cancelSelfThenWait(Probe& probe, NextWait next, Task<void> inner, Future<void> fut)
{
  current_task()->cancel("self");
  try {
    switch (next) {
      case NextWait::Sleep:
        co_await sleep(1s);
        break;
      case NextWait::Task:
        co_await inner;
        break;
      case NextWait::Future:
        co_await fut;
        break;
    }
    probe << "wait completed";
  } catch (const CancelledError& e) {
    probe << QStringLiteral("caught '%1' at %2ms")
                 .arg(QString::fromStdString(e.message()))
                 .arg(nowMs(Loop::running()));
    throw;
  }
}

// Keeps its own CancelledError to re-raise later, and meanwhile cancels and awaits a child,
// catching the child's CancelledError: that one is not the task's own cancellation.
Coro<void> shutDownChildThenReraise(Probe& probe, Task<void> child)
{
  std::exception_ptr own;
  try {
    co_await sleep(1s);
  } catch (const CancelledError&) {
    own = std::current_exception();
  }
  child.cancel("child shutdown");
  try {
    co_await child;
  } catch (const CancelledError& e) {
    probe << QStringLiteral("child ended: '%1'").arg(QString::fromStdString(e.message()));
  }
  probe << "re-raising own";
  std::rethrow_exception(own);
}

enum class Handler { Swallow, Rethrow, Uncancel, ExceptionPtr };

Coro<int> handleCancel(Probe& probe, Handler how)
{
  std::exception_ptr pending;
  try {
    co_await sleep(1s);
  } catch (const CancelledError&) {
    switch (how) {
      case Handler::Swallow:
        probe << "swallowed";
        break;
      case Handler::Rethrow:
        probe << "rethrowing";
        throw;
      case Handler::Uncancel:
        probe << QStringLiteral("uncancel -> %1").arg(current_task()->uncancel());
        break;
      case Handler::ExceptionPtr:
        pending = std::current_exception();
        break;
    }
  } catch (...) {
    probe << "other exception";
  }
  if (pending) {
    co_await cleanup(probe);
    std::rethrow_exception(pending);
  }
  co_await sleep(10ms);
  probe << QStringLiteral("continued to %1ms").arg(nowMs(Loop::running()));
  co_return 3;
}

Coro<int> catchAllHandler(Probe& probe)
{
  try {
    co_await sleep(1s);
  } catch (...) {
    probe << "catch (...) without rethrow";
  }
  co_await sleep(10ms);
  co_return 4;
}

Coro<void> catchesStdException(Probe& probe)
{
  try {
    co_await sleep(1s);
  } catch (const std::exception& e) {
    probe << QStringLiteral("caught as std::exception: %1").arg(e.what());
  }
  probe << "continued";
}

Coro<void> catchesTimeoutAsStdException(Probe& probe)
{
  try {
    co_await timeout(5ms).run(sleepFor(1s));
  } catch (const std::exception& e) {
    probe << QStringLiteral("caught as std::exception: %1").arg(e.what());
  }
}

Coro<int> cancelsItselfThenReturns(Probe& probe)
{
  co_await sleep(1ms);
  probe << QStringLiteral("cancel -> %1").arg(current_task()->cancel("me"));
  co_return 5;  // no await after the cancel: nothing raises, but the task ends cancelled
}

Coro<void> yieldsThenLogs(Probe& probe)
{
  Counted c;
  probe << "step 1";
  co_await sleep(0ms);
  probe << "step 2";
}

Coro<int> swallowAndReturn(Probe& probe)
{
  try {
    co_await sleep(1s);
  } catch (const CancelledError&) {
    probe << "inner swallowed";
  }
  co_return 7;
}

Coro<int> awaitValueTask(Probe& probe, Task<int> inner)
{
  const int v = co_await inner;
  probe << QStringLiteral("outer got %1, cancelling %2").arg(v).arg(current_task()->cancelling());
  co_await sleep(1ms);  // the earlier cancel was consumed by the inner task: no new CancelledError
  probe << "outer continued";
  co_return v;
}

Coro<int> quickValue()
{
  co_return 5;
}

Coro<void> awaitQuick(Probe& probe, Task<int>& quick)
{
  quick = create_task(quickValue(), "quick");
  try {
    const int v = co_await quick;
    probe << QStringLiteral("got %1").arg(v);
  } catch (const CancelledError&) {
    probe << QStringLiteral("CancelledError although quick is done=%1 cancelled=%2")
                 .arg(quick.done())
                 .arg(quick.cancelled());
    throw;
  }
}

Coro<void> cancelWhileWakeIsQueued(Probe& probe, Task<int>& quick)
{
  Task<void> outer = create_task(awaitQuick(probe, quick), "outer");
  co_await sleep(0ms);  // outer's first step: creates quick and awaits it
  co_await sleep(0ms);  // quick's step: finishes, which queues outer's wake-up
  probe << QStringLiteral("before cancel: quick done %1, outer %2")
               .arg(quick.done())
               .arg(toQString(task_state_name(outer.state())));
  outer.cancel();
  try {
    co_await outer;
  } catch (const CancelledError&) {
    probe << QStringLiteral("outer cancelled %1").arg(outer.cancelled());
  }
}

// ---------------------------------------------------------------- cancellation storm

struct Storm
{
  std::vector<Task<void>> tasks;
  int cancelledEarly = 0;
  int swallowed = 0;
  int timedOut = 0;
};

Coro<void> stormLeaf(Duration d)
{
  Counted c;
  co_await sleep(d);
}

Coro<void> stormMiddle(Storm& storm, Duration d, int partner)
{
  Counted c;
  co_await stormLeaf(d);
  if (partner >= 0) {
    Task<void> other = storm.tasks[static_cast<std::size_t>(partner)];
    co_await other;
  }
  co_await stormLeaf(d / 2);
}

enum class StormKind { Propagate, Swallow, WaitFor };

Coro<void> stormTask(Storm& storm, Duration d, int partner, StormKind kind)
{
  Counted c;
  try {
    if (kind == StormKind::WaitFor) {
      try {
        co_await wait_for(stormMiddle(storm, d, partner), d);
      } catch (const TimeoutError&) {
        ++storm.timedOut;
      }
    } else {
      co_await stormMiddle(storm, d, partner);
    }
  } catch (const CancelledError&) {
    if (kind != StormKind::Swallow)
      throw;
    ++storm.swallowed;
  }
  Counted after;
  co_await stormLeaf(d);
}

Coro<void> stormDriver(Storm& storm, std::uint32_t seed)
{
  std::mt19937 rng(seed);
  auto pick = [&rng](int n) {
    return static_cast<int>(rng() % static_cast<std::uint32_t>(n));
  };
  constexpr int kTasks = 1000;
  for (int i = 0; i < kTasks; ++i) {
    // Mostly short sleeps; some an hour long, so they are still pending when the loop dies.
    const Duration d =
        pick(10) == 0 ? Duration(1h) : Duration(std::chrono::milliseconds(1 + pick(60)));
    const int partner = (i > 0 && pick(3) == 0) ? pick(i) : -1;
    const StormKind kind = static_cast<StormKind>(pick(3));
    storm.tasks.push_back(create_task(stormTask(storm, d, partner, kind)));
    if (pick(8) == 0) {
      storm.tasks.back().cancel("early");
      ++storm.cancelledEarly;
    }
    if (pick(50) == 0)
      co_await sleep(std::chrono::milliseconds(pick(3)));
  }
  for (int round = 0; round < 600; ++round) {
    co_await sleep(std::chrono::microseconds(100 + pick(400)));
    storm.tasks[static_cast<std::size_t>(pick(kTasks))].cancel("storm");
  }
}

Coro<void> pendingWithLocal(Duration d)
{
  Counted c;
  co_await sleep(d);
}

Coro<void> awaitsPending(Task<void> other)
{
  Counted c;
  co_await timeout(1h).run(other);
}

}  // namespace

Q_DECLARE_METATYPE(NextWait)

void tst_Cancellation::cancelBeforeTheFirstStepNeverRunsTheBody()
{
  VirtualLoop v;
  Probe probe;
  Task<int> t = v.loop.create_task(bodyWithLocal(probe), "never-runs");
  QVERIFY(t.cancel("early"));
  QCOMPARE(t.cancelling(), 1);
  QCOMPARE(t.state(), TaskState::Pending);
  QVERIFY(!t.done());  // the cancellation is delivered by the task's first step

  try {
    v.loop.run_until_complete(t);
    QFAIL("expected CancelledError");
  } catch (const CancelledError& e) {
    QCOMPARE(e.message(), std::string("early"));
  }
  QVERIFY(probe.log.isEmpty());
  QCOMPARE(Counted::constructed, 0);
  QVERIFY(t.cancelled());
  QCOMPARE(t.state(), TaskState::Cancelled);
  QCOMPARE(t.base().cancel_message(), std::string("early"));
  QVERIFY_THROWS_EXCEPTION(CancelledError, t.result());
  QVERIFY_THROWS_EXCEPTION(CancelledError, t.exception());
  QCOMPARE(nowNs(v.loop), qint64{0});

  const auto events = v.decoded();
  QCOMPARE(eventsOfKind(events, EventKind::StepBegin).size(), std::size_t{0});
  const auto done = eventsOfKind(events, EventKind::TaskDone);
  QCOMPARE(done.size(), std::size_t{1});
  QCOMPARE(done[0].ev.a8, static_cast<std::uint8_t>(TaskOutcome::Cancelled));
  QCOMPARE(done[0].text, std::string("early"));
}

void tst_Cancellation::cancelWhileSleepingRaisesAtTheSleep_data()
{
  QTest::addColumn<bool>("fromTask");
  QTest::newRow("cancelled by a callback") << false;
  QTest::newRow("cancelled by another task") << true;
}

void tst_Cancellation::cancelWhileSleepingRaisesAtTheSleep()
{
  QFETCH(bool, fromTask);
  VirtualLoop v;
  SleepObservation obs;
  Task<void> t = v.loop.create_task(longSleeper(obs), "sleeper");
  Task<void> canceller;
  if (fromTask)
    canceller = v.loop.create_task(cancelAfter(t, 5ms, "bye"), "canceller");
  else
    v.loop.call_later(5ms, [t]() mutable { t.cancel("bye"); });

  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  QCOMPARE(obs.caughtAtNs, ns(5ms));
  QCOMPARE(obs.message, QStringLiteral("bye"));
  QCOMPARE(obs.cancellingInHandler, 1);
  QVERIFY(t.cancelled());
  QCOMPARE(t.base().cancel_message(), std::string("bye"));
  QCOMPARE(v.loop.timer_count(), std::size_t{0});  // the 1 s sleep timer is gone

  const auto events = v.decoded();
  const auto requested = eventsOfKind(events, EventKind::CancelRequested);
  QCOMPARE(requested.size(), std::size_t{1});
  QCOMPARE(requested[0].ev.task, t.id());
  QCOMPARE(requested[0].ev.detail, std::uint64_t{fromTask ? canceller.id() : 0u});
  QCOMPARE(requested[0].ev.a8, static_cast<std::uint8_t>(CancelSource::User));
  QCOMPARE(requested[0].text, std::string("bye"));
  const auto delivered = eventsOfKind(events, EventKind::CancelDelivered);
  QCOMPARE(delivered.size(), std::size_t{1});
  QCOMPARE(delivered[0].ev.task, t.id());
  QCOMPARE(delivered[0].ev.t_ns, ns(5ms));
  QCOMPARE(delivered[0].text, std::string("bye"));
  QCOMPARE(delivered[0].ev.a8, std::uint8_t{0});  // from the task's own cancel request
  // ... at the site of the sleep.
  const auto sites = eventsOfKind(events, EventKind::SiteDefined);
  const auto site = std::find_if(sites.begin(), sites.end(), [&](const DecodedEvent& d) {
    return d.ev.site == delivered[0].ev.site;
  });
  QVERIFY(site != sites.end());
  QCOMPARE(QString::fromStdString(site->text).split('\t').value(1).toUInt(), obs.sleepLine);
}

void tst_Cancellation::cancelWhileAwaitingATaskCancelsBoth()
{
  VirtualLoop v;
  Probe probe;
  Task<void> inner = v.loop.create_task(innerSleeper(probe), "inner");
  Task<void> outer = v.loop.create_task(awaitInner(probe, inner), "outer");
  v.loop.call_later(5ms, [outer]() mutable { outer.cancel("stop"); });

  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(outer));
  QVERIFY(inner.cancelled());
  QVERIFY(outer.cancelled());
  QCOMPARE(inner.cancelling(), 1);
  QCOMPARE(outer.cancelling(), 1);
  COMPARE_LOG(probe.log, (QStringList{"inner caught 'stop'", "outer caught 'stop' at 5ms"}));

  const auto requested = eventsOfKind(v.decoded(), EventKind::CancelRequested);
  QCOMPARE(requested.size(), std::size_t{2});
  QCOMPARE(requested[0].ev.task, outer.id());
  QCOMPARE(requested[0].ev.a8, static_cast<std::uint8_t>(CancelSource::User));
  QCOMPARE(requested[1].ev.task, inner.id());
  QCOMPARE(requested[1].ev.a8, static_cast<std::uint8_t>(CancelSource::Propagated));
  QCOMPARE(requested[1].text, std::string("stop"));
}

void tst_Cancellation::cancelTwiceCountsTwiceAndDeliversOnce_data()
{
  QTest::addColumn<bool>("ready");
  QTest::addColumn<QString>("delivered");
  // Sleeping: the first cancel cancels the sleep's wait, which already carries "first"; the
  // second only sets _must_cancel, and __step keeps the CancelledError it was woken with.
  QTest::newRow("while sleeping") << false << "first";
  // Ready (queued after sleep(0)): both set _must_cancel; the last message wins.
  QTest::newRow("while ready") << true << "second";
}

void tst_Cancellation::cancelTwiceCountsTwiceAndDeliversOnce()
{
  QFETCH(bool, ready);
  QFETCH(QString, delivered);
  VirtualLoop v;
  Probe probe;
  Task<void> t = v.loop.create_task(countDeliveries(probe, ready), "target");
  // First step: either suspended in sleep(1s), or queued again by sleep(0).
  v.loop.call_soon([&v] { v.loop.stop(); });
  v.loop.run_forever();
  QCOMPARE(t.state(), ready ? TaskState::Ready : TaskState::Suspended);

  QVERIFY(t.cancel("first"));
  QVERIFY(t.cancel("second"));
  QCOMPARE(t.cancelling(), 2);
  try {
    v.loop.run_until_complete(t);
    QFAIL("expected CancelledError");
  } catch (const CancelledError& e) {
    QCOMPARE(QString::fromStdString(e.message()), delivered);
  }
  COMPARE_LOG(probe.log, QStringList{QStringLiteral("delivered '%1'").arg(delivered)});
  QCOMPARE(t.cancelling(), 2);
  QCOMPARE(eventsOfKind(v.decoded(), EventKind::CancelDelivered).size(), std::size_t{1});
}

void tst_Cancellation::cancelOfADoneTaskReturnsFalse()
{
  VirtualLoop v;
  Task<void> finished = v.loop.create_task(sleepFor(1ms), "finished");
  v.loop.run_until_complete(finished);
  QVERIFY(!finished.cancel("too late"));
  QCOMPARE(finished.cancelling(), 0);
  QVERIFY(!finished.cancelled());

  Task<void> cancelled = v.loop.create_task(sleepFor(1s), "cancelled");
  cancelled.cancel();
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(cancelled));
  QVERIFY(!cancelled.cancel());
  QCOMPARE(cancelled.cancelling(), 1);
  QCOMPARE(eventsOfKind(v.decoded(), EventKind::CancelRequested).size(), std::size_t{1});
}

void tst_Cancellation::awaiterReceivesTheCancelMessage()
{
  VirtualLoop v;
  Probe probe;
  Task<void> inner = v.loop.create_task(sleepFor(1s), "inner");
  Task<void> outer = v.loop.create_task(awaitInner(probe, inner), "outer");
  v.loop.call_later(3ms, [inner]() mutable { inner.cancel("bye"); });
  try {
    v.loop.run_until_complete(outer);
    QFAIL("expected CancelledError");
  } catch (const CancelledError& e) {
    QCOMPARE(e.message(), std::string("bye"));
  }
  COMPARE_LOG(probe.log, QStringList{"outer caught 'bye' at 3ms"});
  // The awaiter was not cancelled itself: the CancelledError came from what it awaited.
  QVERIFY(outer.cancelled());
  QCOMPARE(outer.cancelling(), 0);
  QCOMPARE(outer.base().swallowed_count(), 0);
  try {
    std::rethrow_exception(inner.exception());
  } catch (const CancelledError& e) {
    QCOMPARE(e.message(), std::string("bye"));
  } catch (...) {
    QFAIL("exception() of a cancelled task must raise CancelledError");
  }
  const auto delivered = eventsOfKind(v.decoded(), EventKind::CancelDelivered);
  QCOMPARE(delivered.size(), std::size_t{2});
  QCOMPARE(delivered[1].ev.task, outer.id());
  QCOMPARE(delivered[1].ev.a8, std::uint8_t{1});  // inherited from the awaited task
  QCOMPARE(delivered[1].text, std::string("bye"));
}

void tst_Cancellation::swallowDetection_data()
{
  QTest::addColumn<int>("handler");
  QTest::addColumn<bool>("endsCancelled");
  QTest::addColumn<int>("swallowed");
  QTest::addColumn<int>("cancellingAtEnd");
  QTest::addColumn<QStringList>("log");
  QTest::newRow("catch and continue")
      << int(Handler::Swallow) << false << 1 << 1 << QStringList{"swallowed", "continued to 15ms"};
  QTest::newRow("catch (...) and continue")
      << -1 << false << 1 << 1 << QStringList{"catch (...) without rethrow"};
  QTest::newRow("catch and rethrow")
      << int(Handler::Rethrow) << true << 0 << 1 << QStringList{"rethrowing"};
  QTest::newRow("uncancel in the handler") << int(Handler::Uncancel) << false << 0 << 0
                                           << QStringList{"uncancel -> 0", "continued to 15ms"};
  QTest::newRow("exception_ptr idiom: await cleanup, rethrow")
      << int(Handler::ExceptionPtr) << true << 0 << 1 << QStringList{"cleanup done at 10ms"};
}

void tst_Cancellation::swallowDetection()
{
  QFETCH(int, handler);
  QFETCH(bool, endsCancelled);
  QFETCH(int, swallowed);
  QFETCH(int, cancellingAtEnd);
  QFETCH(QStringList, log);
  VirtualLoop v;
  Probe probe;
  Task<int> t = handler < 0 ? v.loop.create_task(catchAllHandler(probe), "handler")
                            : v.loop.create_task(handleCancel(probe, Handler(handler)), "handler");
  v.loop.call_later(5ms, [t]() mutable { t.cancel("x"); });
  try {
    const int result = v.loop.run_until_complete(t);
    QVERIFY(result == 3 || result == 4);
  } catch (const CancelledError&) {
  }
  COMPARE_LOG(probe.log, log);
  QCOMPARE(t.cancelled(), endsCancelled);
  QCOMPARE(t.base().swallowed_count(), swallowed);
  QCOMPARE(t.cancelling(), cancellingAtEnd);

  const auto events = v.decoded();
  const auto swallowEvents = eventsOfKind(events, EventKind::CancelSwallowed);
  QCOMPARE(int(swallowEvents.size()), swallowed);
  if (swallowed > 0) {
    QCOMPARE(swallowEvents[0].ev.task, t.id());
    QCOMPARE(swallowEvents[0].ev.t_ns, ns(5ms));
    QCOMPARE(swallowEvents[0].ev.arg, 1u);
    const auto delivered = eventsOfKind(events, EventKind::CancelDelivered);
    QCOMPARE(delivered.size(), std::size_t{1});
    QCOMPARE(swallowEvents[0].ev.site, delivered[0].ev.site);  // where it had been delivered
  }
}

void tst_Cancellation::catchStdExceptionDoesNotCatchCancelledError()
{
  VirtualLoop v;
  Probe probe;
  Task<void> t = v.loop.create_task(catchesStdException(probe), "catches-std-exception");
  v.loop.call_later(5ms, [t]() mutable { t.cancel(); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  QVERIFY(probe.log.isEmpty());
  QVERIFY(t.cancelled());
  QCOMPARE(t.base().swallowed_count(), 0);

  // ...while TimeoutError, an ordinary error, is caught by it.
  Probe probe2;
  v.loop.run_until_complete(catchesTimeoutAsStdException(probe2));
  COMPARE_LOG(probe2.log, QStringList{"caught as std::exception: TimeoutError"});
}

void tst_Cancellation::returningWhileACancelIsPendingEndsCancelled()
{
  VirtualLoop v;
  Probe probe;
  Task<int> t = v.loop.create_task(cancelsItselfThenReturns(probe), "self-cancel");
  try {
    v.loop.run_until_complete(t);
    QFAIL("expected CancelledError");
  } catch (const CancelledError& e) {
    QCOMPARE(e.message(), std::string("me"));
  }
  COMPARE_LOG(probe.log, QStringList{"cancel -> 1"});
  QVERIFY(t.cancelled());
  QVERIFY_THROWS_EXCEPTION(CancelledError, t.result());
  QCOMPARE(t.base().swallowed_count(), 0);
}

void tst_Cancellation::uncancelNeverGoesBelowZero()
{
  VirtualLoop v;
  Task<void> t = v.loop.create_task(sleepFor(10ms), "t");
  QCOMPARE(t.uncancel(), 0);
  QCOMPARE(t.cancelling(), 0);
  QVERIFY(t.cancel());
  QVERIFY(t.cancel());
  QVERIFY(t.cancel());
  QCOMPARE(t.cancelling(), 3);
  QCOMPARE(t.uncancel(), 2);
  QCOMPARE(t.uncancel(), 1);
  QCOMPARE(t.cancelling(), 1);
  // One request remains: the task is still cancelled before its first step.
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  QCOMPARE(t.uncancel(), 0);
  QCOMPARE(t.uncancel(), 0);
  QCOMPARE(t.cancelling(), 0);

  const auto uncancels = eventsOfKind(v.decoded(), EventKind::Uncancel);
  QCOMPARE(uncancels.size(), std::size_t{5});
  QCOMPARE(uncancels[0].ev.arg, 0u);
  QCOMPARE(uncancels[1].ev.arg, 2u);
  QCOMPARE(uncancels[2].ev.arg, 1u);
}

void tst_Cancellation::uncancelToZeroDropsAnUndeliveredCancel_data()
{
  QTest::addColumn<bool>("started");
  QTest::newRow("before the first step") << false;
  QTest::newRow("while queued after sleep(0)") << true;
}

void tst_Cancellation::uncancelToZeroDropsAnUndeliveredCancel()
{
  QFETCH(bool, started);
  VirtualLoop v;
  Probe probe;
  Task<void> t = v.loop.create_task(yieldsThenLogs(probe), "t");
  if (started) {
    v.loop.call_soon([&v] { v.loop.stop(); });
    v.loop.run_forever();
    QCOMPARE(t.state(), TaskState::Ready);
  }
  QVERIFY(t.cancel());
  QVERIFY(t.cancel());
  QCOMPARE(t.uncancel(), 1);
  QCOMPARE(t.uncancel(), 0);  // CPython 3.13: no request left, so _must_cancel is cleared
  v.loop.run_until_complete(t);
  QVERIFY(!t.cancelled());
  QCOMPARE(t.state(), TaskState::Done);
  COMPARE_LOG(probe.log, (QStringList{"step 1", "step 2"}));
  QCOMPARE(Counted::alive(), 0);
}

void tst_Cancellation::innerSwallowsAndReturnsValueToCancelledAwaiter()
{
  VirtualLoop v;
  Probe probe;
  Task<int> inner = v.loop.create_task(swallowAndReturn(probe), "inner");
  Task<int> outer = v.loop.create_task(awaitValueTask(probe, inner), "outer");
  v.loop.call_later(5ms, [outer]() mutable { outer.cancel(); });
  QCOMPARE(v.loop.run_until_complete(outer), 7);
  COMPARE_LOG(probe.log,
              (QStringList{"inner swallowed", "outer got 7, cancelling 1", "outer continued"}));
  QVERIFY(!outer.cancelled());
  QCOMPARE(outer.state(), TaskState::Done);
  QCOMPARE(inner.result(), 7);
  QCOMPARE(inner.base().swallowed_count(), 1);
  QCOMPARE(outer.base().swallowed_count(), 0);  // nothing was delivered to the outer task
  QCOMPARE(nowMs(v.loop), qint64{6});
}

void tst_Cancellation::cancelAfterTheAwaitedTaskFinishedRaisesInsteadOfReturning()
{
  // asyncio: the awaited task finished and scheduled the awaiter's wake-up, but the awaiter has
  // not run yet. cancel() finds its _fut_waiter done, sets _must_cancel, and __step throws
  // CancelledError at the await: the finished task's value is not delivered.
  VirtualLoop v;
  Probe probe;
  Task<int> quick;
  v.loop.run_until_complete(cancelWhileWakeIsQueued(probe, quick));
  COMPARE_LOG(probe.log, (QStringList{"before cancel: quick done 1, outer ready",
                                      "CancelledError although quick is done=1 cancelled=0",
                                      "outer cancelled 1"}));
  QCOMPARE(quick.result(), 5);
}

void tst_Cancellation::cancelWhileRunningCancelsTheNextWaitAtOnce_data()
{
  QTest::addColumn<NextWait>("next");
  QTest::newRow("then sleeps 1 s") << NextWait::Sleep;
  QTest::newRow("then awaits a task sleeping 1 s") << NextWait::Task;
  QTest::newRow("then awaits a pending future") << NextWait::Future;
}

void tst_Cancellation::cancelWhileRunningCancelsTheNextWaitAtOnce()
{
  QFETCH(NextWait, next);
  VirtualLoop v;
  Probe probe;
  Task<void> inner = v.loop.create_task(sleepFor(1s), "inner");
  Future<void> fut(v.loop);
  Task<void> t = v.loop.create_task(cancelSelfThenWait(probe, next, inner, fut), "self");
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  QCOMPARE(probe.log, QStringList{QStringLiteral("caught 'self' at 0ms")});
  QCOMPARE(t.cancelling(), 1);
  QCOMPARE(v.loop.time(), 0.0);
  if (next == NextWait::Task) {
    QVERIFY(inner.cancelled());  // the cancel reached the awaited task too
  }
  if (next == NextWait::Future) {
    QVERIFY(fut.cancelled());
  }
}

void tst_Cancellation::keepingOwnCancelledErrorWhileCatchingAChildsIsNoSwallow()
{
  VirtualLoop v;
  Probe probe;
  Task<void> child = v.loop.create_task(sleepFor(1h), "child");
  Task<void> parent = v.loop.create_task(shutDownChildThenReraise(probe, child), "parent");
  v.loop.call_later(5ms, [parent]() mutable { parent.cancel("stop"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(parent));
  COMPARE_LOG(probe.log, (QStringList{"child ended: 'child shutdown'", "re-raising own"}));
  QVERIFY(parent.cancelled());
  QCOMPARE(parent.cancel_message(), std::string("stop"));
  QCOMPARE(parent.base().swallowed_count(), 0);
  QCOMPARE(eventsOfKind(v.decoded(), EventKind::CancelSwallowed).size(), std::size_t{0});
}

void tst_Cancellation::inheritedCancelNamesTheAwaitedTask()
{
  // A CancelledError raised by awaiting a task that someone else cancelled says where it came
  // from; the one thrown into the cancelled task itself is Direct.
  VirtualLoop v;
  Probe probe;
  Task<void> inner = v.loop.create_task(innerSleeper(probe), "inner");
  Task<void> outer = v.loop.create_task(awaitInner(probe, inner), "outer");
  v.loop.call_later(5ms, [inner]() mutable { inner.cancel("bye"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(outer));
  const auto delivered = eventsOfKind(v.decoded(), EventKind::CancelDelivered);
  QCOMPARE(delivered.size(), std::size_t{2});
  QCOMPARE(delivered[0].ev.task, inner.id());
  QCOMPARE(delivered[0].ev.a8, static_cast<std::uint8_t>(CancelVia::Direct));
  QCOMPARE(delivered[1].ev.task, outer.id());
  QCOMPARE(delivered[1].ev.a8, static_cast<std::uint8_t>(CancelVia::Task));
  QCOMPARE(delivered[1].ev.detail, std::uint64_t{inner.id()});
  QCOMPARE(delivered[1].text, std::string("bye"));
}

void tst_Cancellation::cancellationStormLeavesNoFrames()
{
  Storm storm;
  {
    VirtualLoop v(false);
    v.loop.run_until_complete(stormDriver(storm, 20240611u));

    int done = 0;
    int cancelled = 0;
    int pending = 0;
    int suspendedOnTask = 0;
    for (const Task<void>& t : storm.tasks) {
      if (!t.done()) {
        ++pending;
        if (t.base().awaiting() == AwaitKind::Task)
          ++suspendedOnTask;
      } else if (t.cancelled()) {
        ++cancelled;
      } else {
        ++done;
      }
    }
    // The seed produces every situation the storm is meant to cover.
    QVERIFY2(storm.cancelledEarly > 80, qPrintable(QString::number(storm.cancelledEarly)));
    QVERIFY2(storm.swallowed > 40, qPrintable(QString::number(storm.swallowed)));
    QVERIFY2(storm.timedOut > 100, qPrintable(QString::number(storm.timedOut)));
    QVERIFY2(cancelled > 150, qPrintable(QString::number(cancelled)));
    QVERIFY2(done > 300, qPrintable(QString::number(done)));
    QVERIFY2(pending > 30, qPrintable(QString::number(pending)));
    QVERIFY2(suspendedOnTask > 0, qPrintable(QString::number(suspendedOnTask)));
    QCOMPARE(std::size_t(pending), v.loop.task_count());
    QVERIFY(Counted::alive() > 0);  // the pending tasks' frames
  }
  // The loop is gone: every frame was destroyed, finished or not, although the Task handles
  // are still held.
  QCOMPARE(Counted::alive(), 0);
  for (const Task<void>& t : storm.tasks)
    QVERIFY(t.done());
}

void tst_Cancellation::loopDestroyedWithPendingTasksDestroysTheirFrames()
{
  Task<void> sleeper;
  Task<void> waiter;
  {
    VirtualLoop v;
    sleeper = v.loop.create_task(pendingWithLocal(1h), "sleeper");
    waiter = v.loop.create_task(awaitsPending(sleeper), "waiter");
    Task<void> notStarted = v.loop.create_task(pendingWithLocal(1s), "not-started");
    v.loop.call_later(1ms, [&v] { v.loop.stop(); });
    v.loop.run_forever();
    v.loop.create_task(pendingWithLocal(1s), "created-after-stop");
    QCOMPARE(Counted::alive(), 3);  // sleeper, waiter, not-started (ran its first step)
    QCOMPARE(v.loop.task_count(), std::size_t{4});
  }
  QCOMPARE(Counted::alive(), 0);
  QVERIFY(sleeper.done());
  QVERIFY(waiter.cancelled());
}

void tst_Cancellation::loopDestroyedWithPendingDoneCallbacksReleasesThem()
{
  // A done-callback registered on a task that never finishes is never called, but what it
  // captured must be released with the loop (no leak).
  Task<void> t;
  {
    VirtualLoop v;
    t = v.loop.create_task(sleepFor(1h), "never-finishes");
    t.add_done_callback([c = Counted{}](TaskBase&) { (void)c; });
    v.loop.call_later(1ms, [&v] { v.loop.stop(); });
    v.loop.run_forever();
    QCOMPARE(Counted::alive(), 1);
  }
  QCOMPARE(Counted::alive(), 0);
  t = Task<void>();
}

QTEST_GUILESS_MAIN(tst_Cancellation)
#include "tst_cancellation.moc"
