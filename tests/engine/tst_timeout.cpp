// SPDX-License-Identifier: GPL-3.0-or-later
// asyncio.timeout / timeout_at / wait_for (CPython 3.12, asyncio/timeouts.py and tasks.py):
// expiry at the exact deadline, conversion of the CancelledError into TimeoutError, nesting,
// an outside cancel racing the deadline, reschedule, and the events a scope emits.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <optional>
#include <stdexcept>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Timeout : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void taskFailingWithTimeoutErrorIsFreed();
  void expiryRaisesTimeoutErrorAtTheDeadline_data();
  void expiryRaisesTimeoutErrorAtTheDeadline();
  void bodyFinishingFirstReturnsItsValue();
  void bodyEndingExactlyAtTheDeadlineTimesOut();
  void bodySwallowingTheTimeoutsCancelReturnsNormally();
  void nestedTimeouts_data();
  void nestedTimeouts();
  void outsideCancelAtTheDeadlineWins_data();
  void outsideCancelAtTheDeadlineWins();
  void raceDeliversTheMessageOfTheFirstCancel_data();
  void raceDeliversTheMessageOfTheFirstCancel();
  void reschedule_data();
  void reschedule();
  void rescheduleOutsideTheActiveStateThrows();
  void enteringTwiceThrows();
  void timeoutNoneNeverFires();
  void whenReportsTheDeadline();
  void waitForReturnsTheValue();
  void waitForTimesOutAndDestroysTheAwaitedCoroutine();
  void waitForPropagatesTheBodysException();
  void waitForWithNonPositiveDelayCancelsANewTask_data();
  void waitForWithNonPositiveDelayCancelsANewTask();
  void waitForOnATask();
  void scopeEventsCarryTheScopeIdAndOutcome();
};

namespace {

Coro<void> sleepFor(Duration d)
{
  Counted c;
  co_await sleep(d);
}

Coro<int> valueAfter(Duration d, int v)
{
  co_await sleep(d);
  co_return v;
}

Coro<int> nestedSleep(Duration d)
{
  co_await sleepFor(d);
  co_return 1;
}

struct TimeoutObservation
{
  qint64 caughtAtNs = -1;
  bool causeIsCancelledError = false;
  bool expired = false;
  Timeout::State state = Timeout::State::Created;
  int cancellingAfter = -1;
  QString error;
};

// Runs `kind` of body in timeout(50 ms), catching the TimeoutError.
Coro<void> expiringScope(TimeoutObservation& obs, int kind, Task<void>* innerTask)
{
  Timeout to = timeout(50ms);
  try {
    switch (kind) {
      case 0:
        co_await to.run(sleepFor(1s));
        break;
      case 1:
        co_await to.run(nestedSleep(1s));
        break;
      case 2: {
        Future<int> never;
        co_await to.run(never);
        break;
      }
      default: {
        *innerTask = create_task(sleepFor(1s), "awaited");
        co_await to.run(*innerTask);
        break;
      }
    }
    obs.error = "no error";
  } catch (const TimeoutError& e) {
    obs.caughtAtNs = nowNs(Loop::running());
    obs.causeIsCancelledError = is_cancelled_error(e.cause());
    obs.error = QString::fromUtf8(e.what());
  }
  obs.expired = to.expired();
  obs.state = to.state();
  obs.cancellingAfter = current_task()->cancelling();
}

Coro<int> notExpiring(TimeoutObservation& obs, Probe& probe)
{
  Timeout to = timeout(50ms);
  const int v = co_await to.run(valueAfter(10ms, 42));
  obs.expired = to.expired();
  obs.state = to.state();
  probe << QStringLiteral("body done at %1ms, timers %2")
               .arg(nowMs(Loop::running()))
               .arg(Loop::running().timer_count());
  co_await sleep(100ms);  // past the old deadline: nothing fires
  probe << QStringLiteral("slept past the deadline to %1ms").arg(nowMs(Loop::running()));
  co_return v;
}

Coro<void> exactDeadline(Probe& probe)
{
  Timeout to = timeout(10ms);  // armed before the body's own 10 ms sleep: it fires first
  try {
    const int v = co_await to.run(valueAfter(10ms, 1));
    probe << QStringLiteral("value %1").arg(v);
  } catch (const TimeoutError&) {
    probe << QStringLiteral("TimeoutError at %1ms").arg(nowMs(Loop::running()));
  }
}

Coro<QString> swallowsCancel()
{
  try {
    co_await sleep(1s);
  } catch (const CancelledError&) {
    co_return QStringLiteral("swallowed at %1ms").arg(nowMs(Loop::running()));
  }
  co_return QStringLiteral("slept");
}

Coro<void> swallowingBody(Probe& probe)
{
  Timeout to = timeout(10ms);
  const QString r = co_await to.run(swallowsCancel());
  probe << QStringLiteral("%1, expired %2, cancelling %3")
               .arg(r)
               .arg(to.expired())
               .arg(current_task()->cancelling());
}

struct BodyError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};

Coro<int> failsAfter(Duration d)
{
  co_await sleep(d);
  throw BodyError("body failed");
}

Coro<void> waitForFailing(Probe& probe)
{
  try {
    co_await wait_for(failsAfter(5ms), 50ms);
    probe << "no error";
  } catch (const BodyError& e) {
    probe << QStringLiteral("BodyError '%1' at %2ms").arg(e.what()).arg(nowMs(Loop::running()));
  } catch (const TimeoutError&) {
    probe << "TimeoutError";
  }
}

struct NestedObservation
{
  Probe probe;
  bool innerExpired = false;
  bool outerExpired = false;
};

Coro<void> outerBody(NestedObservation& obs, Duration innerDelay)
{
  Timeout inner = timeout(innerDelay);
  std::exception_ptr passing;
  try {
    co_await inner.run(sleepFor(1s));
    obs.probe << "inner body finished";
  } catch (const TimeoutError&) {
    obs.probe << QStringLiteral("inner raised TimeoutError at %1ms").arg(nowMs(Loop::running()));
  } catch (const CancelledError&) {
    obs.probe << QStringLiteral("CancelledError passed through inner at %1ms")
                     .arg(nowMs(Loop::running()));
    passing = std::current_exception();
  }
  obs.innerExpired = inner.expired();
  if (passing)
    std::rethrow_exception(passing);
  co_await sleep(10ms);
  obs.probe << QStringLiteral("outer body finished at %1ms").arg(nowMs(Loop::running()));
}

Coro<void> nestedScenario(NestedObservation& obs, Duration outerDelay, Duration innerDelay)
{
  Timeout outer = timeout(outerDelay);
  try {
    co_await outer.run(outerBody(obs, innerDelay));
    obs.probe << "no error";
  } catch (const TimeoutError&) {
    obs.probe << QStringLiteral("outer raised TimeoutError at %1ms").arg(nowMs(Loop::running()));
  }
  obs.outerExpired = outer.expired();
  obs.probe << QStringLiteral("cancelling %1").arg(current_task()->cancelling());
}

Coro<void> raceBody(bool scheduleCancelInside)
{
  if (scheduleCancelInside) {
    // Scheduled after the scope armed its timer: at the same deadline it fires second.
    TaskBase* self = current_task();
    Loop::running().call_at(from_ns(ns(10ms)), [self] { self->cancel("outside"); });
  }
  co_await sleep(1s);
}

Coro<void> raceScenario(Probe& probe, QString& message, bool scheduleCancelInside)
{
  try {
    co_await timeout(10ms).run(raceBody(scheduleCancelInside));
    probe << "no error";
  } catch (const TimeoutError&) {
    probe << "TimeoutError";
  } catch (const CancelledError& e) {
    probe << QStringLiteral("CancelledError at %1ms, cancelling %2")
                 .arg(nowMs(Loop::running()))
                 .arg(current_task()->cancelling());
    message = QString::fromStdString(e.message());
    throw;
  }
}

struct RescheduleCase
{
  Duration initial;
  Duration rescheduleAt;             // when the body reschedules
  std::optional<Duration> deadline;  // the new deadline (loop time), nullopt = never
  Duration bodyLength;
};

Coro<void> rescheduleBody(Probe& probe, Timeout& to, RescheduleCase c)
{
  co_await sleep(c.rescheduleAt);
  if (c.deadline)
    to.reschedule(from_ns(ns(*c.deadline)));
  else
    to.reschedule(std::nullopt);
  probe << QStringLiteral("rescheduled, expired %1").arg(to.expired());
  co_await sleep(c.bodyLength - c.rescheduleAt);
  probe << QStringLiteral("body finished at %1ms").arg(nowMs(Loop::running()));
}

Coro<void> rescheduleScenario(Probe& probe, RescheduleCase c)
{
  Timeout to = timeout(c.initial);
  try {
    co_await to.run(rescheduleBody(probe, to, c));
  } catch (const TimeoutError&) {
    probe << QStringLiteral("TimeoutError at %1ms").arg(nowMs(Loop::running()));
  }
}

Coro<void> rescheduleWhileExpiring(Probe& probe, Timeout& to)
{
  try {
    co_await sleep(1s);
  } catch (const CancelledError&) {
    try {
      to.reschedule(from_ns(ns(1h)));
      probe << "rescheduled while expiring";
    } catch (const RuntimeError& e) {
      probe << QStringLiteral("expiring: %1").arg(e.what());
    }
    throw;
  }
}

Coro<void> rescheduleStates(Probe& probe)
{
  {
    Timeout to = timeout(10ms);
    try {
      co_await to.run(rescheduleWhileExpiring(probe, to));
    } catch (const TimeoutError&) {
    }
    try {
      to.reschedule(from_ns(ns(1h)));
      probe << "rescheduled after expiry";
    } catch (const RuntimeError& e) {
      probe << QStringLiteral("expired: %1").arg(e.what());
    }
  }
  Timeout finished = timeout(10ms);
  co_await finished.run(sleepFor(1ms));
  try {
    finished.reschedule(from_ns(ns(1h)));
    probe << "rescheduled after exit";
  } catch (const RuntimeError& e) {
    probe << QStringLiteral("exited: %1").arg(e.what());
  }
}

Coro<void> enterTwice(Probe& probe)
{
  Timeout to = timeout(1s);
  co_await to.run(sleepFor(1ms));
  try {
    co_await to.run(sleepFor(1ms));
    probe << "entered twice";
  } catch (const RuntimeError& e) {
    probe << QString::fromUtf8(e.what());
  }
}

Coro<void> neverFires(Probe& probe, bool useTimeoutAt)
{
  Timeout to = useTimeoutAt ? timeout_at(std::nullopt) : timeout(std::nullopt);
  probe << QStringLiteral("when has value %1").arg(to.when().has_value());
  co_await to.run(sleepFor(1h));
  probe << QStringLiteral("finished at %1s, expired %2")
               .arg(Loop::running().time())
               .arg(to.expired());
}

Coro<void> whenValues(Probe& probe)
{
  co_await sleep(10ms);
  Timeout rel = timeout(50ms);
  probe << QStringLiteral("timeout(50ms) at 10ms: %1").arg(static_cast<qint64>(to_ns(*rel.when())));
  Timeout abs = timeout_at(from_ns(ns(75ms)));
  probe << QStringLiteral("timeout_at(75ms): %1").arg(static_cast<qint64>(to_ns(*abs.when())));
  co_await rel.run([&probe](Timeout& t) -> Coro<void> {
    t.reschedule(from_ns(ns(90ms)));
    probe << QStringLiteral("after reschedule: %1").arg(static_cast<qint64>(to_ns(*t.when())));
    co_return;
  });
}

Coro<void> waitForTimesOut(Probe& probe)
{
  try {
    co_await wait_for(sleepFor(1s), 30ms);
    probe << "no error";
  } catch (const TimeoutError& e) {
    probe << QStringLiteral("TimeoutError at %1ms, cause is CancelledError %2, alive %3")
                 .arg(nowMs(Loop::running()))
                 .arg(is_cancelled_error(e.cause()))
                 .arg(Counted::alive());
  }
}

Coro<void> bodyThatMustNotRun(Probe& probe)
{
  Counted c;
  probe << "body ran";
  co_await sleep(1ms);
}

Coro<void> waitForNonPositive(Probe& probe, Duration delay)
{
  try {
    co_await wait_for(bodyThatMustNotRun(probe), delay);
    probe << "no error";
  } catch (const TimeoutError& e) {
    probe << QStringLiteral("TimeoutError at %1ms, cause is CancelledError %2")
                 .arg(nowMs(Loop::running()))
                 .arg(is_cancelled_error(e.cause()));
  }
}

Coro<void> waitForTask(Probe& probe)
{
  Task<int> quick = create_task(valueAfter(10ms, 8), "quick");
  probe << QStringLiteral("value %1").arg(co_await wait_for(quick, 50ms));

  Task<int> slow = create_task(valueAfter(1s, 9), "slow");
  try {
    co_await wait_for(slow, 20ms);
    probe << "no error";
  } catch (const TimeoutError&) {
    probe << QStringLiteral("TimeoutError at %1ms, awaited task cancelled %2")
                 .arg(nowMs(Loop::running()))
                 .arg(slow.cancelled());
  }

  // Zero delay on an already finished task: its result, no timeout.
  probe << QStringLiteral("done task, zero delay: %1").arg(co_await wait_for(quick, 0ms));

  // Zero delay on a pending task: cancelled and waited for.
  Task<int> pending = create_task(valueAfter(1s, 10), "pending");
  try {
    co_await wait_for(pending, 0ms);
    probe << "no error";
  } catch (const TimeoutError&) {
    probe << QStringLiteral("zero delay: TimeoutError at %1ms, task cancelled %2")
                 .arg(nowMs(Loop::running()))
                 .arg(pending.cancelled());
  }
}

Coro<void> scopeEvents(std::uint32_t& firstId, std::uint32_t& secondId)
{
  Timeout quiet = timeout(100ms);
  firstId = quiet.id();
  co_await quiet.run(sleepFor(5ms));
  Timeout firing = timeout(20ms);
  secondId = firing.id();
  try {
    co_await firing.run(sleepFor(1s));
  } catch (const TimeoutError&) {
  }
}

}  // namespace

void tst_Timeout::expiryRaisesTimeoutErrorAtTheDeadline_data()
{
  QTest::addColumn<int>("kind");
  QTest::newRow("sleep") << 0;
  QTest::newRow("nested coroutine") << 1;
  QTest::newRow("future") << 2;
  QTest::newRow("task") << 3;
}

void tst_Timeout::expiryRaisesTimeoutErrorAtTheDeadline()
{
  QFETCH(int, kind);
  VirtualLoop v;
  TimeoutObservation obs;
  Task<void> inner;
  v.loop.call_later(7ms, [] {});  // the scope is entered at 0; other timers do not matter
  v.loop.run_until_complete(expiringScope(obs, kind, &inner));
  QCOMPARE(obs.error, QStringLiteral("TimeoutError"));
  QCOMPARE(obs.caughtAtNs, ns(50ms));
  QVERIFY(obs.causeIsCancelledError);
  QVERIFY(obs.expired);
  QCOMPARE(obs.state, Timeout::State::Expired);
  QCOMPARE(obs.cancellingAfter, 0);  // the scope withdrew its own cancel request
  QCOMPARE(Counted::alive(), 0);
  if (kind == 3) {
    QVERIFY(inner.cancelled());  // cancelling the awaiting task cancelled the awaited one
    QCOMPARE(inner.cancelling(), 1);
  }
  QCOMPARE(v.loop.timer_count(), std::size_t{0});
}

void tst_Timeout::bodyFinishingFirstReturnsItsValue()
{
  VirtualLoop v;
  TimeoutObservation obs;
  Probe probe;
  Task<int> t = v.loop.create_task(notExpiring(obs, probe), "t");
  QCOMPARE(v.loop.run_until_complete(t), 42);
  QVERIFY(!obs.expired);
  QCOMPARE(obs.state, Timeout::State::Exited);
  COMPARE_LOG(probe.log,
              (QStringList{"body done at 10ms, timers 0", "slept past the deadline to 110ms"}));
  QCOMPARE(t.cancelling(), 0);
  QCOMPARE(eventsOfKind(v.decoded(), EventKind::CancelRequested).size(), std::size_t{0});
}

void tst_Timeout::bodyEndingExactlyAtTheDeadlineTimesOut()
{
  // Both timers are due at 10 ms; the scope's was armed first, fires first and cancels the task
  // before the sleep's wake-up runs. (CPython: the sleep's deadline is computed after the
  // scope's, so it is never earlier.)
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(exactDeadline(probe));
  COMPARE_LOG(probe.log, QStringList{"TimeoutError at 10ms"});
}

void tst_Timeout::bodySwallowingTheTimeoutsCancelReturnsNormally()
{
  // asyncio.Timeout.__aexit__ with no exception: the scope expired, uncancels, raises nothing.
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(swallowingBody(probe));
  COMPARE_LOG(probe.log, QStringList{"swallowed at 10ms, expired 1, cancelling 0"});
}

void tst_Timeout::nestedTimeouts_data()
{
  QTest::addColumn<int>("outerMs");
  QTest::addColumn<int>("innerMs");
  QTest::addColumn<QStringList>("log");
  QTest::addColumn<bool>("innerExpired");
  QTest::addColumn<bool>("outerExpired");
  QTest::addColumn<int>("innerOutcome");
  QTest::addColumn<int>("outerOutcome");

  QTest::newRow("inner expires first: inner converts, outer unaffected")
      << 100 << 20
      << QStringList{"inner raised TimeoutError at 20ms", "outer body finished at 30ms", "no error",
                     "cancelling 0"}
      << true << false << int(TimeoutOutcome::Converted) << int(TimeoutOutcome::NotExpired);
  QTest::newRow("outer expires first: CancelledError passes the inner scope")
      << 20 << 100
      << QStringList{"CancelledError passed through inner at 20ms",
                     "outer raised TimeoutError at 20ms", "cancelling 0"}
      << false << true << int(TimeoutOutcome::NotExpired) << int(TimeoutOutcome::Converted);
  QTest::newRow("same deadline: only the outermost converts")
      << 20 << 20
      << QStringList{"CancelledError passed through inner at 20ms",
                     "outer raised TimeoutError at 20ms", "cancelling 0"}
      << true << true << int(TimeoutOutcome::ExpiredPropagated) << int(TimeoutOutcome::Converted);
}

void tst_Timeout::nestedTimeouts()
{
  QFETCH(int, outerMs);
  QFETCH(int, innerMs);
  QFETCH(QStringList, log);
  QFETCH(bool, innerExpired);
  QFETCH(bool, outerExpired);
  QFETCH(int, innerOutcome);
  QFETCH(int, outerOutcome);
  VirtualLoop v;
  NestedObservation obs;
  v.loop.run_until_complete(
      nestedScenario(obs, std::chrono::milliseconds(outerMs), std::chrono::milliseconds(innerMs)));
  COMPARE_LOG(obs.probe.log, log);
  QCOMPARE(obs.innerExpired, innerExpired);
  QCOMPARE(obs.outerExpired, outerExpired);
  QCOMPARE(Counted::alive(), 0);

  // TimeoutDisarmed: the inner scope exits first.
  const auto disarmed = eventsOfKind(v.decoded(), EventKind::TimeoutDisarmed);
  QCOMPARE(disarmed.size(), std::size_t{2});
  QCOMPARE(int(disarmed[0].ev.a8), innerOutcome);
  QCOMPARE(int(disarmed[1].ev.a8), outerOutcome);
  QVERIFY(disarmed[0].ev.arg != disarmed[1].ev.arg);
}

void tst_Timeout::outsideCancelAtTheDeadlineWins_data()
{
  QTest::addColumn<bool>("timeoutFirst");
  QTest::newRow("outside cancel fires first") << false;
  QTest::newRow("timeout fires first") << true;
}

void tst_Timeout::outsideCancelAtTheDeadlineWins()
{
  QFETCH(bool, timeoutFirst);
  VirtualLoop v;
  Probe probe;
  QString message;
  Task<void> t = v.loop.create_task(raceScenario(probe, message, timeoutFirst), "raced");
  if (!timeoutFirst)
    v.loop.call_at(from_ns(ns(10ms)), [t]() mutable { t.cancel("outside"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  COMPARE_LOG(probe.log, QStringList{"CancelledError at 10ms, cancelling 1"});
  QVERIFY(t.cancelled());
  QCOMPARE(t.cancelling(), 1);

  const auto events = v.decoded();
  const auto disarmed = eventsOfKind(events, EventKind::TimeoutDisarmed);
  QCOMPARE(disarmed.size(), std::size_t{1});
  QCOMPARE(disarmed[0].ev.a8, static_cast<std::uint8_t>(TimeoutOutcome::ExpiredPropagated));
  QCOMPARE(eventsOfKind(events, EventKind::CancelRequested).size(), std::size_t{2});
  QCOMPARE(eventsOfKind(events, EventKind::CancelDelivered).size(), std::size_t{1});
}

void tst_Timeout::raceDeliversTheMessageOfTheFirstCancel_data()
{
  QTest::addColumn<bool>("timeoutFirst");
  QTest::addColumn<QString>("message");
  // Whichever cancel runs first cancels the sleep; the task is woken with that CancelledError,
  // and __step keeps it (the second cancel only sets _must_cancel and _cancel_message).
  QTest::newRow("outside cancel fires first") << false << "outside";
  QTest::newRow("timeout fires first") << true << "";
}

void tst_Timeout::raceDeliversTheMessageOfTheFirstCancel()
{
  QFETCH(bool, timeoutFirst);
  QFETCH(QString, message);
  VirtualLoop v;
  Probe probe;
  QString delivered = "(none)";
  Task<void> t = v.loop.create_task(raceScenario(probe, delivered, timeoutFirst), "raced");
  if (!timeoutFirst)
    v.loop.call_at(from_ns(ns(10ms)), [t]() mutable { t.cancel("outside"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  QCOMPARE(delivered, message);
  QCOMPARE(toQString(t.base().cancel_message()), message);
}

void tst_Timeout::reschedule_data()
{
  QTest::addColumn<qint64>("initialMs");
  QTest::addColumn<qint64>("rescheduleAtMs");
  QTest::addColumn<qint64>("newDeadlineMs");  // -1 = never
  QTest::addColumn<qint64>("bodyMs");
  QTest::addColumn<QStringList>("log");
  QTest::newRow("extend 50 -> 200 ms")
      << qint64{50} << qint64{10} << qint64{200} << qint64{100}
      << QStringList{"rescheduled, expired 0", "body finished at 100ms"};
  QTest::newRow("shorten 200 -> 30 ms")
      << qint64{200} << qint64{10} << qint64{30} << qint64{100}
      << QStringList{"rescheduled, expired 0", "TimeoutError at 30ms"};
  QTest::newRow("to never") << qint64{50} << qint64{10} << qint64{-1} << qint64{100}
                            << QStringList{"rescheduled, expired 0", "body finished at 100ms"};
  // A deadline already past fires on the next iteration (call_soon), not inside reschedule().
  QTest::newRow("to a past time") << qint64{50} << qint64{10} << qint64{5} << qint64{100}
                                  << QStringList{"rescheduled, expired 0", "TimeoutError at 10ms"};
  QTest::newRow("to exactly now") << qint64{50} << qint64{10} << qint64{10} << qint64{100}
                                  << QStringList{"rescheduled, expired 0", "TimeoutError at 10ms"};
}

void tst_Timeout::reschedule()
{
  QFETCH(qint64, initialMs);
  QFETCH(qint64, rescheduleAtMs);
  QFETCH(qint64, newDeadlineMs);
  QFETCH(qint64, bodyMs);
  QFETCH(QStringList, log);
  VirtualLoop v;
  Probe probe;
  RescheduleCase c{std::chrono::milliseconds(initialMs), std::chrono::milliseconds(rescheduleAtMs),
                   newDeadlineMs < 0
                       ? std::nullopt
                       : std::optional<Duration>(std::chrono::milliseconds(newDeadlineMs)),
                   std::chrono::milliseconds(bodyMs)};
  v.loop.run_until_complete(rescheduleScenario(probe, c));
  COMPARE_LOG(probe.log, log);
  QCOMPARE(Counted::alive(), 0);
  const auto rescheduled = eventsOfKind(v.decoded(), EventKind::TimeoutRescheduled);
  QCOMPARE(rescheduled.size(), std::size_t{1});
  QCOMPARE(rescheduled[0].ev.t_ns, rescheduleAtMs * 1'000'000);
  QCOMPARE(rescheduled[0].ev.detail,
           newDeadlineMs < 0 ? ~std::uint64_t{0} : std::uint64_t(newDeadlineMs * 1'000'000));
}

void tst_Timeout::rescheduleOutsideTheActiveStateThrows()
{
  VirtualLoop v;
  Timeout notEntered(v.loop, from_ns(ns(10ms)));
  QCOMPARE(notEntered.state(), Timeout::State::Created);
  try {
    notEntered.reschedule(from_ns(ns(20ms)));
    QFAIL("reschedule before entry must throw");
  } catch (const RuntimeError& e) {
    QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("Timeout has not been entered"));
  }
  Probe probe;
  v.loop.run_until_complete(rescheduleStates(probe));
  COMPARE_LOG(probe.log, (QStringList{"expiring: Cannot change state of expiring Timeout",
                                      "expired: Cannot change state of expired Timeout",
                                      "exited: Cannot change state of finished Timeout"}));
}

void tst_Timeout::enteringTwiceThrows()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(enterTwice(probe));
  COMPARE_LOG(probe.log, QStringList{"Timeout has already been entered"});
  QCOMPARE(Counted::alive(), 0);
}

void tst_Timeout::timeoutNoneNeverFires()
{
  for (bool useTimeoutAt : {false, true}) {
    VirtualLoop v;
    Probe probe;
    v.loop.run_until_complete(neverFires(probe, useTimeoutAt));
    COMPARE_LOG(probe.log, (QStringList{"when has value 0", "finished at 3600s, expired 0"}));
    const auto armed = eventsOfKind(v.decoded(), EventKind::TimeoutArmed);
    QCOMPARE(armed.size(), std::size_t{1});
    QCOMPARE(armed[0].ev.detail, ~std::uint64_t{0});
  }
}

void tst_Timeout::whenReportsTheDeadline()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(whenValues(probe));
  COMPARE_LOG(probe.log, (QStringList{QStringLiteral("timeout(50ms) at 10ms: %1").arg(ns(60ms)),
                                      QStringLiteral("timeout_at(75ms): %1").arg(ns(75ms)),
                                      QStringLiteral("after reschedule: %1").arg(ns(90ms))}));
}

void tst_Timeout::waitForReturnsTheValue()
{
  VirtualLoop v;
  QCOMPARE(v.loop.run_until_complete(wait_for(valueAfter(10ms, 5), 50ms)), 5);
  QCOMPARE(nowMs(v.loop), qint64{10});
  QCOMPARE(v.loop.run_until_complete(wait_for(valueAfter(10ms, 6), std::nullopt)), 6);
  QCOMPARE(v.loop.timer_count(), std::size_t{0});
}

void tst_Timeout::waitForTimesOutAndDestroysTheAwaitedCoroutine()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(waitForTimesOut(probe));
  COMPARE_LOG(probe.log, QStringList{"TimeoutError at 30ms, cause is CancelledError 1, alive 0"});
  QCOMPARE(Counted::constructed, 1);
}

void tst_Timeout::waitForPropagatesTheBodysException()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(waitForFailing(probe));
  COMPARE_LOG(probe.log, QStringList{"BodyError 'body failed' at 5ms"});
  QCOMPARE(v.loop.timer_count(), std::size_t{0});
}

void tst_Timeout::waitForWithNonPositiveDelayCancelsANewTask_data()
{
  QTest::addColumn<qint64>("delayNs");
  QTest::newRow("zero") << qint64{0};
  QTest::newRow("negative") << -ns(5ms);
}

void tst_Timeout::waitForWithNonPositiveDelayCancelsANewTask()
{
  QFETCH(qint64, delayNs);
  VirtualLoop v;
  Probe probe;
  Task<void> main = v.loop.create_task(waitForNonPositive(probe, Duration(delayNs)), "main");
  v.loop.run_until_complete(main);
  // CPython 3.12: ensure_future() wraps the coroutine in a task, which is cancelled before its
  // first step, so the body never runs.
  COMPARE_LOG(probe.log, QStringList{"TimeoutError at 0ms, cause is CancelledError 1"});
  QCOMPARE(Counted::constructed, 0);

  const auto events = v.decoded();
  const auto created = eventsOfKind(events, EventKind::TaskCreated);
  QCOMPARE(created.size(), std::size_t{2});
  QCOMPARE(created[1].ev.detail, std::uint64_t{main.id()});
  const std::uint32_t helper = created[1].ev.task;
  bool helperCancelled = false;
  for (const auto& d : eventsOfKind(events, EventKind::TaskDone))
    if (d.ev.task == helper)
      helperCancelled = d.ev.a8 == std::uint8_t(TaskOutcome::Cancelled);
  QVERIFY(helperCancelled);
}

void tst_Timeout::waitForOnATask()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(waitForTask(probe));
  COMPARE_LOG(probe.log, (QStringList{"value 8", "TimeoutError at 30ms, awaited task cancelled 1",
                                      "done task, zero delay: 8",
                                      "zero delay: TimeoutError at 30ms, task cancelled 1"}));
}

void tst_Timeout::scopeEventsCarryTheScopeIdAndOutcome()
{
  VirtualLoop v;
  std::uint32_t quietId = 0;
  std::uint32_t firingId = 0;
  Task<void> t = v.loop.create_task(scopeEvents(quietId, firingId), "scoped");
  v.loop.run_until_complete(t);
  QVERIFY(quietId != firingId);

  const auto events = v.decoded();
  QStringList seen;
  for (const auto& d : events) {
    switch (d.ev.kind) {
      case EventKind::TimeoutArmed:
      case EventKind::TimeoutFired:
      case EventKind::TimeoutDisarmed:
      case EventKind::CancelRequested:
        QCOMPARE(d.ev.task, t.id());
        seen << QStringLiteral("%1 %2 @%3ms detail=%4 a8=%5")
                    .arg(toQString(event_kind_name(d.ev.kind)))
                    .arg(d.ev.kind == EventKind::CancelRequested
                             ? QStringLiteral("-")
                             : (d.ev.arg == quietId ? QStringLiteral("quiet")
                                                    : QStringLiteral("firing")))
                    .arg(d.ev.t_ns / 1'000'000)
                    .arg(d.ev.kind == EventKind::TimeoutDisarmed ? 0 : d.ev.detail / 1'000'000)
                    .arg(d.ev.a8);
        break;
      default:
        break;
    }
  }
  const int converted = int(TimeoutOutcome::Converted);
  const int timeoutSource = int(CancelSource::Timeout);
  COMPARE_LOG(seen,
              (QStringList{
                  "TimeoutArmed quiet @0ms detail=100 a8=0",
                  QStringLiteral("TimeoutDisarmed quiet @5ms detail=0 a8=%1")
                      .arg(int(TimeoutOutcome::NotExpired)),
                  "TimeoutArmed firing @5ms detail=25 a8=0",
                  "TimeoutFired firing @25ms detail=25 a8=0",
                  QStringLiteral("CancelRequested - @25ms detail=0 a8=%1").arg(timeoutSource),
                  QStringLiteral("TimeoutDisarmed firing @25ms detail=0 a8=%1").arg(converted),
              }));
}

QTEST_GUILESS_MAIN(tst_Timeout)
namespace {
Coro<void> letTimeoutEscape()
{
  co_await timeout(5ms).run(sleepFor(1s));
}
}  // namespace

void tst_Timeout::taskFailingWithTimeoutErrorIsFreed()
{
  // The task stores the TimeoutError; its cause is the CancelledError that was delivered to the
  // task. That error must not keep the task alive (a reference cycle would leak every task that
  // fails this way).
  const std::int64_t before = detail::t_live_tasks;
  {
    VirtualLoop v;
    {
      Task<void> t = v.loop.create_task(letTimeoutEscape(), "times out");
      QVERIFY_THROWS_EXCEPTION(TimeoutError, v.loop.run_until_complete(t));
      QVERIFY(t.exception() != nullptr);
      QCOMPARE(detail::t_live_tasks, before + 1);  // still held by `t`
    }
    QCOMPARE(detail::t_live_tasks, before);  // freed with the last handle
  }
  QCOMPARE(detail::t_live_tasks, before);
}

#include "tst_timeout.moc"
