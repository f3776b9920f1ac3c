// SPDX-License-Identifier: GPL-3.0-or-later
// Condition against CPython 3.13's asyncio.Condition: notify order, wait_for, the lock being held
// again before any exit from wait() (a cancellation included), no notification lost to a
// cancelled waiter, RuntimeError without the lock, shared locks, and the trace.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <exception>
#include <utility>
#include <vector>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Condition : public QObject
{
  Q_OBJECT

private slots:
  void notifyWakesWaitersInArrivalOrder_data();
  void notifyWakesWaitersInArrivalOrder();
  void waitForReturnsThePredicateOnceItHolds();
  void waitForWithATruePredicateDoesNotWait();
  void waitAndNotifyWithoutTheLockThrow();
  void cancelledWaiterReacquiresTheLockBeforeRaising_data();
  void cancelledWaiterReacquiresTheLockBeforeRaising();
  void cancelledWaiterPassesTheNotificationOn_data();
  void cancelledWaiterPassesTheNotificationOn();
  void conditionsCanShareALock();
  void waitsAreTracedAgainstTheConditionThenItsLock();
  void loopDestroyedWhileTasksWaitOnAConditionOwnedByATask();
};

namespace {

qint64 now()
{
  return nowMs(Loop::running());
}

// With the lock: waits for a notification, then holds the lock for `hold`. A cancellation is
// logged with whether the lock was held when it arrived, then re-raised.
Coro<void> waiter(Probe& probe, Condition& cv, QString name, Duration hold = 1ms)
{
  co_await cv.acquire();
  std::exception_ptr cancelled;
  try {
    co_await cv.wait();
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    probe << QStringLiteral("%1 cancelled at %2ms %3")
                 .arg(name)
                 .arg(now())
                 .arg(cv.locked() ? QStringLiteral("holding the lock")
                                  : QStringLiteral("WITHOUT the lock"));
    cv.release();
    std::rethrow_exception(cancelled);
  }
  probe << QStringLiteral("%1 woke at %2ms").arg(name).arg(now());
  CO_CHECK(probe, cv.locked());
  co_await sleep(hold);
  cv.release();
}

Coro<void> notifyAt(Condition& cv, Duration at, int n)
{
  co_await sleep(at);
  co_await cv.acquire();
  if (n < 0)
    cv.notify_all();
  else
    cv.notify(static_cast<std::size_t>(n));
  cv.release();
}

// Owns the condition in its frame: one worker is notified and waits to re-acquire the lock the
// owner keeps, two wait for a notification; nothing ever finishes.
Coro<void> ownerOfTheCondition(std::vector<Task<void>>& workers)
{
  Counted held;
  Condition cv;
  for (int i = 0; i < 3; ++i) {
    workers.push_back(create_task([](Condition& c) -> Coro<void> {
      Counted inWorker;
      co_await c.acquire();
      co_await c.wait();
      c.release();
    }(cv)));
  }
  co_await sleep(1ms);
  co_await cv.acquire();
  cv.notify();
  co_await sleep(1h);
}

}  // namespace

void tst_Condition::notifyWakesWaitersInArrivalOrder_data()
{
  QTest::addColumn<int>("n");
  QTest::addColumn<QStringList>("expected");
  // Waiters w0..w2 each hold the lock 1 ms after waking. notify(n) at 5 ms, notify_all at 10 ms.
  QTest::newRow("notify(0)") << 0
                             << QStringList{"w0 woke at 10ms", "w1 woke at 11ms",
                                            "w2 woke at 12ms"};
  QTest::newRow("notify()") << 1
                            << QStringList{"w0 woke at 5ms", "w1 woke at 10ms", "w2 woke at 11ms"};
  QTest::newRow("notify(2)") << 2
                             << QStringList{"w0 woke at 5ms", "w1 woke at 6ms", "w2 woke at 10ms"};
  QTest::newRow("notify(5), more than wait")
      << 5 << QStringList{"w0 woke at 5ms", "w1 woke at 6ms", "w2 woke at 7ms"};
  QTest::newRow("notify_all()") << -1
                                << QStringList{"w0 woke at 5ms", "w1 woke at 6ms",
                                               "w2 woke at 7ms"};
}

void tst_Condition::notifyWakesWaitersInArrivalOrder()
{
  QFETCH(int, n);
  QFETCH(QStringList, expected);
  VirtualLoop v;
  Probe probe;
  Condition cv(v.loop);
  std::vector<Task<void>> waiters;
  for (int i = 0; i < 3; ++i)
    waiters.push_back(v.loop.create_task(waiter(probe, cv, QStringLiteral("w%1").arg(i))));
  Task<void> first = v.loop.create_task(notifyAt(cv, 5ms, n));
  Task<void> second = v.loop.create_task(notifyAt(cv, 10ms, -1));
  for (auto& w : waiters)
    v.loop.run_until_complete(w);
  v.loop.run_until_complete(second);
  COMPARE_LOG(probe.log, expected);
  VERIFY_PROBE(probe);
  QVERIFY(first.done() && second.done());
  QVERIFY(!cv.locked());
}

void tst_Condition::waitForReturnsThePredicateOnceItHolds()
{
  VirtualLoop v;
  Probe probe;
  Condition cv(v.loop);
  int value = 0;
  int calls = 0;
  auto consumer = [&]() -> Coro<void> {
    co_await cv.acquire();
    // Returns the predicate's own (truthy) value.
    const int got = co_await cv.wait_for([&] {
      ++calls;
      return value >= 3 ? value * 10 : 0;
    });
    probe << QStringLiteral("got %1 at %2ms").arg(got).arg(now());
    CO_CHECK(probe, cv.locked());
    cv.release();
  };
  auto producer = [&]() -> Coro<void> {
    for (int i = 0; i < 4; ++i) {
      co_await sleep(1ms);
      co_await cv.acquire();
      ++value;
      cv.notify_all();
      cv.release();
    }
  };
  Task<void> c = v.loop.create_task(consumer());
  v.loop.run_until_complete(producer());
  v.loop.run_until_complete(c);
  COMPARE_LOG(probe.log, (QStringList{"got 30 at 3ms"}));
  VERIFY_PROBE(probe);
  QCOMPARE(calls, 4);  // once before waiting, once after each of the 3 notifications
}

void tst_Condition::waitForWithATruePredicateDoesNotWait()
{
  VirtualLoop v;
  Condition cv(v.loop);
  bool result = false;
  auto body = [&]() -> Coro<void> {
    co_await cv.acquire();
    result = co_await cv.wait_for([] { return true; });
    cv.release();
  };
  Task<void> t = v.loop.create_task(body());
  v.loop.run_until_complete(t);
  QVERIFY(result);
  QCOMPARE(t.base().steps(), 1u);
}

void tst_Condition::waitAndNotifyWithoutTheLockThrow()
{
  VirtualLoop v;
  Probe probe;
  Condition cv(v.loop);
  QVERIFY_THROWS_EXCEPTION(RuntimeError, cv.notify());
  QVERIFY_THROWS_EXCEPTION(RuntimeError, cv.notify_all());
  QVERIFY_THROWS_EXCEPTION(RuntimeError, cv.release());
  auto body = [&]() -> Coro<void> {
    try {
      co_await cv.wait();
    } catch (const RuntimeError& e) {
      probe << QStringLiteral("wait: %1").arg(e.what());
    }
    try {
      (void)co_await cv.wait_for([] { return false; });
    } catch (const RuntimeError& e) {
      probe << QStringLiteral("wait_for: %1").arg(e.what());
    }
    co_await cv.acquire();
    cv.notify();  // no waiter: nothing happens
    cv.notify_all();
    probe << "notified with the lock";
    cv.release();
  };
  v.loop.run_until_complete(body());
  COMPARE_LOG(probe.log,
              (QStringList{"wait: cannot wait on un-acquired lock",
                           "wait_for: cannot wait on un-acquired lock", "notified with the lock"}));
  QVERIFY(!cv.locked());
}

void tst_Condition::cancelledWaiterReacquiresTheLockBeforeRaising_data()
{
  QTest::addColumn<bool>("notifiedFirst");
  QTest::addColumn<bool>("cancelTwice");
  QTest::addColumn<QString>("message");
  QTest::newRow("cancelled while waiting for a notification") << false << false << "stop";
  QTest::newRow("notified, then cancelled while re-acquiring the lock") << true << false << "stop";
  // The re-acquire is retried; the most recent CancelledError is the one re-raised.
  QTest::newRow("cancelled while waiting, then again while re-acquiring")
      << false << true << "again";
}

void tst_Condition::cancelledWaiterReacquiresTheLockBeforeRaising()
{
  // w waits; the holder takes the lock at 5 ms (notifying w in the second row) and keeps it until
  // 15 ms; w is cancelled at 10 ms (and at 12 ms). wait() must not raise before w has the lock.
  QFETCH(bool, notifiedFirst);
  QFETCH(bool, cancelTwice);
  QFETCH(QString, message);
  VirtualLoop v;
  Probe probe;
  Condition cv(v.loop);
  Task<void> w = v.loop.create_task(waiter(probe, cv, "w"), "w");
  auto holder = [&]() -> Coro<void> {
    co_await sleep(5ms);
    co_await cv.acquire();
    probe << QStringLiteral("holder has the lock at %1ms").arg(now());
    if (notifiedFirst)
      cv.notify();
    co_await sleep(10ms);
    probe << QStringLiteral("holder releases at %1ms").arg(now());
    cv.release();
  };
  v.loop.call_at(from_ns(10'000'000), [w]() mutable { w.cancel("stop"); });
  if (cancelTwice)
    v.loop.call_at(from_ns(12'000'000), [w]() mutable { w.cancel("again"); });
  v.loop.run_until_complete(holder());
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(w));
  QVERIFY(w.cancelled());
  QCOMPARE(toQString(w.cancel_message()), message);
  COMPARE_LOG(probe.log, (QStringList{"holder has the lock at 5ms", "holder releases at 15ms",
                                      "w cancelled at 15ms holding the lock"}));
  QVERIFY(!cv.locked());
  QCOMPARE(v.loop.diagnostic_count(DiagnosticKind::SwallowedCancel), 0u);
}

void tst_Condition::cancelledWaiterPassesTheNotificationOn_data()
{
  QTest::addColumn<bool>("notifiedFirst");
  // asyncio 3.13 (gh-112202): any exception leaving wait() notifies one more waiter. For a
  // notified waiter that is the notification it could not use; for one that was never notified
  // it is a spurious wake-up, which the condition-variable protocol allows.
  QTest::newRow("notified, then cancelled before it ran") << true;
  QTest::newRow("cancelled while waiting: spurious wake-up of the next") << false;
}

void tst_Condition::cancelledWaiterPassesTheNotificationOn()
{
  QFETCH(bool, notifiedFirst);
  VirtualLoop v;
  Probe probe;
  Condition cv(v.loop);
  Task<void> a = v.loop.create_task(waiter(probe, cv, "a"), "a");
  Task<void> b = v.loop.create_task(waiter(probe, cv, "b"), "b");
  Task<void> c = v.loop.create_task(waiter(probe, cv, "c"), "c");
  auto notifier = [&]() -> Coro<void> {
    co_await sleep(5ms);
    co_await cv.acquire();
    if (notifiedFirst)
      cv.notify();  // wakes a
    a.cancel();
    cv.release();
  };
  v.loop.run_until_complete(notifier());
  v.loop.run_until_complete(b);
  QVERIFY(a.cancelled());
  QVERIFY(!c.done());  // exactly one notification was passed on
  COMPARE_LOG(probe.log, (QStringList{"a cancelled at 5ms holding the lock", "b woke at 5ms"}));
  VERIFY_PROBE(probe);
  c.cancel();
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(c));
}

void tst_Condition::conditionsCanShareALock()
{
  VirtualLoop v;
  Probe probe;
  Lock lock(v.loop, "shared");
  Condition left(v.loop, lock, "left");
  Condition right(v.loop, lock, "right");
  QCOMPARE(&left.lock(), &lock);
  QCOMPARE(&right.lock(), &lock);
  Task<void> l = v.loop.create_task(waiter(probe, left, "l"));
  Task<void> r = v.loop.create_task(waiter(probe, right, "r"));
  auto notifier = [&]() -> Coro<void> {
    co_await sleep(5ms);
    co_await lock.acquire();
    CO_CHECK(probe, left.locked() && right.locked());
    right.notify_all();  // the lock is held: any condition on it may notify
    lock.release();
    co_await sleep(5ms);
    co_await left.acquire();
    left.notify();
    left.release();
  };
  v.loop.run_until_complete(notifier());
  v.loop.run_until_complete(l);
  QVERIFY(r.done());
  COMPARE_LOG(probe.log, (QStringList{"r woke at 5ms", "l woke at 10ms"}));
  VERIFY_PROBE(probe);
  QVERIFY(!lock.locked());
}

void tst_Condition::waitsAreTracedAgainstTheConditionThenItsLock()
{
  // w1 waits for the notification (Condition), then for the lock w0 holds (Lock).
  VirtualLoop v;
  Probe probe;
  Condition cv(v.loop, "ready");
  Task<void> w0 = v.loop.create_task(waiter(probe, cv, "w0", 5ms));
  Task<void> w1 = v.loop.create_task(waiter(probe, cv, "w1"));
  v.loop.run_until_complete(notifyAt(cv, 1ms, -1));
  v.loop.run_until_complete(w1);
  QVERIFY(w0.done());
  COMPARE_LOG(probe.log, (QStringList{"w0 woke at 1ms", "w1 woke at 6ms"}));

  const auto events = v.decoded();
  QStringList waits;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::Suspended)) {
    if (d.ev.task == w1.id())
      waits << QStringLiteral("%1 #%2")
                   .arg(toQString(await_kind_name(static_cast<AwaitKind>(d.ev.a8))))
                   .arg(d.ev.detail);
  }
  const QString lockWait =
      QStringLiteral("%1 #%2").arg(toQString(await_kind_name(AwaitKind::Lock))).arg(cv.lock().id());
  const QString condWait =
      QStringLiteral("%1 #%2").arg(toQString(await_kind_name(AwaitKind::Condition))).arg(cv.id());
  // The notification wait, the re-acquire, then w1's own 1 ms hold.
  QCOMPARE(waits.size(), 3);
  QCOMPARE(waits[0], condWait);
  QCOMPARE(waits[1], lockWait);

  QStringList labels;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::ObjectCreated))
    labels << QStringLiteral("%1 %2 %3")
                  .arg(d.ev.detail)
                  .arg(toQString(await_kind_name(static_cast<AwaitKind>(d.ev.a8))))
                  .arg(toQString(d.text));
  QCOMPARE(labels, (QStringList{QStringLiteral("%1 %2 Lock ready")
                                    .arg(cv.lock().id())
                                    .arg(toQString(await_kind_name(AwaitKind::Lock))),
                                QStringLiteral("%1 %2 Condition ready")
                                    .arg(cv.id())
                                    .arg(toQString(await_kind_name(AwaitKind::Condition)))}));
}

void tst_Condition::loopDestroyedWhileTasksWaitOnAConditionOwnedByATask()
{
  // The condition and its lock (locals of the owner's frame) may die before the waiters queued
  // on them: a use-after-free check under ASan; everywhere, every frame's locals must be gone.
  Counted::reset();
  std::vector<Task<void>> workers;
  {
    Loop loop(std::make_unique<VirtualClock>());
    Task<void> owner = loop.create_task(ownerOfTheCondition(workers), "owner");
    loop.call_later(1s, [&loop] { loop.stop(); });
    loop.run_forever();
    QCOMPARE(workers.size(), std::size_t{3});
    QCOMPARE(Counted::alive(), 4);
    QCOMPARE(workers[0].base().awaiting(), AwaitKind::Lock);  // notified, re-acquiring
    QCOMPARE(workers[1].base().awaiting(), AwaitKind::Condition);
  }
  QCOMPARE(Counted::alive(), 0);
  for (const auto& w : workers)
    QVERIFY(w.cancelled());
}

QTEST_GUILESS_MAIN(tst_Condition)
#include "tst_condition.moc"
