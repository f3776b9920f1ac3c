// SPDX-License-Identifier: GPL-3.0-or-later
// Event, Lock, Semaphore and BoundedSemaphore with asyncio 3.12 semantics (asyncio/locks.py):
// FIFO wake-ups, no barging past queued waiters, and cancellation safety (a waiter cancelled
// before or after it was woken never loses the lock or a permit for the others).

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <algorithm>
#include <source_location>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Sync : public QObject
{
  Q_OBJECT

private slots:
  void eventWakesEveryWaiterInOrder();
  void waitOnASetEventDoesNotSuspend();
  void cancelledEventWaiterLeavesTheOthers();
  void eventWaitIsAnAwaitSiteNamingTheEvent();
  void lockServesWaitersInArrivalOrder();
  void newcomerDoesNotOvertakeAWokenWaiter();
  void cancelledLockWaiterDoesNotLoseTheLock_data();
  void cancelledLockWaiterDoesNotLoseTheLock();
  void releasingAnUnlockedLockThrows();
  void semaphoreLimitsConcurrency_data();
  void semaphoreLimitsConcurrency();
  void cancelledSemaphoreWaiterDoesNotLoseThePermit_data();
  void cancelledSemaphoreWaiterDoesNotLoseThePermit();
  void boundedSemaphoreRefusesAnExtraRelease();
  void loopDestroyedWhileTasksWaitOnALockOwnedByATask();
  void primitivesAnnounceTheirLabel_data();
  void primitivesAnnounceTheirLabel();
  void primitivesGetDistinctIdsWithTracingOff();
};

namespace {

Coro<void> waitFor(Probe& probe, Event& ev, QString name)
{
  co_await ev.wait();
  probe << QStringLiteral("%1 woke at %2ms").arg(name).arg(nowMs(Loop::running()));
}

Coro<void> setAfter(Event& ev, Duration d)
{
  co_await sleep(d);
  ev.set();
}

// Holds the lock for `hold`, logging when it got it.
Coro<void> holdLock(Probe& probe, Lock& lock, QString name, Duration hold)
{
  co_await lock.acquire();
  probe << QStringLiteral("%1 got the lock at %2ms").arg(name).arg(nowMs(Loop::running()));
  co_await sleep(hold);
  lock.release();
}

Coro<void> guarded(Probe& probe, Lock& lock, QString name, Duration hold)
{
  try {
    co_await holdLock(probe, lock, name, hold);
  } catch (const CancelledError&) {
    probe << QStringLiteral("%1 cancelled at %2ms").arg(name).arg(nowMs(Loop::running()));
    throw;
  }
}

// Holds the lock for `hold`, releases it (waking the first waiter) and, in the same step,
// cancels `victim`: if the victim was the woken waiter, it is cancelled after being granted the
// lock but before it could run.
Coro<void> releaseThenCancel(Probe& probe, Lock& lock, Task<void>& victim, Duration hold)
{
  co_await lock.acquire();
  probe << QStringLiteral("a got the lock at %1ms").arg(nowMs(Loop::running()));
  co_await sleep(hold);
  lock.release();
  victim.cancel();
}

struct Concurrency
{
  int now = 0;
  int max = 0;
};

Coro<void> releasePermitThenCancel(Probe& probe, Semaphore& sem, Task<void>& victim, Duration hold)
{
  co_await sem.acquire();
  probe << QStringLiteral("a in at %1ms").arg(nowMs(Loop::running()));
  co_await sleep(hold);
  sem.release();
  victim.cancel();
}

Coro<void> holdPermit(Probe& probe, Semaphore& sem, Concurrency& c, QString name, Duration hold)
{
  try {
    co_await sem.acquire();
  } catch (const CancelledError&) {
    probe << QStringLiteral("%1 cancelled").arg(name);
    throw;
  }
  probe << QStringLiteral("%1 in at %2ms").arg(name).arg(nowMs(Loop::running()));
  c.max = std::max(c.max, ++c.now);
  co_await sleep(hold);
  --c.now;
  sem.release();
}

// Owns the lock in its frame; workers wait on it; nothing ever finishes.
Coro<void> ownerOfTheLock(std::vector<Task<void>>& workers)
{
  Counted held;
  Lock lock;
  co_await lock.acquire();
  for (int i = 0; i < 3; ++i) {
    workers.push_back(create_task([](Lock& l) -> Coro<void> {
      Counted inWorker;
      co_await l.acquire();
      l.release();
    }(lock)));
  }
  co_await sleep(1h);
}

}  // namespace

void tst_Sync::eventWakesEveryWaiterInOrder()
{
  VirtualLoop v;
  Probe probe;
  Event ev(v.loop);
  Task<void> a = v.loop.create_task(waitFor(probe, ev, "a"));
  Task<void> b = v.loop.create_task(waitFor(probe, ev, "b"));
  Task<void> c = v.loop.create_task(waitFor(probe, ev, "c"));
  v.loop.run_until_complete(setAfter(ev, 7ms));
  v.loop.run_until_complete(c);
  QVERIFY(a.done() && b.done());
  COMPARE_LOG(probe.log, (QStringList{"a woke at 7ms", "b woke at 7ms", "c woke at 7ms"}));
  QVERIFY(ev.is_set());
  ev.clear();
  QVERIFY(!ev.is_set());
}

void tst_Sync::waitOnASetEventDoesNotSuspend()
{
  VirtualLoop v;
  Probe probe;
  Event ev(v.loop);
  ev.set();
  Task<void> t = v.loop.create_task(waitFor(probe, ev, "t"));
  v.loop.run_until_complete(t);
  QCOMPARE(t.base().steps(), 1u);  // one step: the wait did not suspend
  COMPARE_LOG(probe.log, (QStringList{"t woke at 0ms"}));
}

void tst_Sync::cancelledEventWaiterLeavesTheOthers()
{
  VirtualLoop v;
  Probe probe;
  Event ev(v.loop);
  Task<void> a = v.loop.create_task(waitFor(probe, ev, "a"));
  Task<void> b = v.loop.create_task(waitFor(probe, ev, "b"));
  v.loop.call_later(3ms, [a]() mutable { a.cancel("not needed"); });
  v.loop.run_until_complete(setAfter(ev, 7ms));
  v.loop.run_until_complete(b);
  QVERIFY(a.cancelled());
  QCOMPARE(a.cancel_message(), std::string("not needed"));
  COMPARE_LOG(probe.log, (QStringList{"b woke at 7ms"}));
}

void tst_Sync::eventWaitIsAnAwaitSiteNamingTheEvent()
{
  VirtualLoop v;
  Probe probe;
  Event ev(v.loop);
  Task<void> a = v.loop.create_task(waitFor(probe, ev, "a"));
  v.loop.run_until_complete(setAfter(ev, 1ms));
  v.loop.run_until_complete(a);
  const auto suspended = eventsOfKind(v.decoded(), EventKind::Suspended);
  const auto it = std::find_if(suspended.begin(), suspended.end(),
                               [&](const DecodedEvent& d) { return d.ev.task == a.id(); });
  QVERIFY(it != suspended.end());
  QCOMPARE(it->ev.a8, static_cast<std::uint8_t>(AwaitKind::Event));
  QCOMPARE(it->ev.detail, std::uint64_t{ev.id()});
  QVERIFY(it->ev.site != 0);  // the co_await ev.wait() line in waitFor
}

void tst_Sync::lockServesWaitersInArrivalOrder()
{
  VirtualLoop v;
  Probe probe;
  Lock lock(v.loop);
  Task<void> a = v.loop.create_task(holdLock(probe, lock, "a", 10ms));
  Task<void> b = v.loop.create_task(holdLock(probe, lock, "b", 10ms));
  Task<void> c = v.loop.create_task(holdLock(probe, lock, "c", 10ms));
  v.loop.run_until_complete(c);
  COMPARE_LOG(probe.log, (QStringList{"a got the lock at 0ms", "b got the lock at 10ms",
                                      "c got the lock at 20ms"}));
  QVERIFY(!lock.locked());
}

void tst_Sync::newcomerDoesNotOvertakeAWokenWaiter()
{
  // a holds the lock; b waits. a releases and, in the same step, c tries to acquire: b was woken
  // first and must get the lock before c (asyncio: c sees a waiter that is not cancelled).
  VirtualLoop v;
  Probe probe;
  Lock lock(v.loop);
  Task<void> b;
  Task<void> c;
  auto scenario = [&]() -> Coro<void> {
    co_await lock.acquire();
    b = create_task(holdLock(probe, lock, "b", 5ms), "b");
    co_await sleep(1ms);  // b queues
    lock.release();
    c = create_task(holdLock(probe, lock, "c", 5ms), "c");
    co_await c;
  };
  v.loop.run_until_complete(scenario());
  COMPARE_LOG(probe.log, (QStringList{"b got the lock at 1ms", "c got the lock at 6ms"}));
}

void tst_Sync::cancelledLockWaiterDoesNotLoseTheLock_data()
{
  QTest::addColumn<bool>("afterWake");
  QTest::newRow("cancelled while queued") << false;
  QTest::newRow("cancelled after being woken, before it ran") << true;
}

void tst_Sync::cancelledLockWaiterDoesNotLoseTheLock()
{
  QFETCH(bool, afterWake);
  VirtualLoop v;
  Probe probe;
  Lock lock(v.loop);
  Task<void> b;
  Task<void> a = v.loop.create_task(releaseThenCancel(probe, lock, b, 10ms), "a");
  b = v.loop.create_task(guarded(probe, lock, "b", 10ms), "b");
  Task<void> c = v.loop.create_task(guarded(probe, lock, "c", 10ms), "c");
  if (!afterWake) {
    // Cancelled at 5 ms while still queued; a's own cancel at 10 ms then finds it done.
    v.loop.call_at(from_ns(5'000'000), [b]() mutable { b.cancel(); });
  }
  v.loop.run_until_complete(c);
  QVERIFY(b.cancelled());
  COMPARE_LOG(probe.log, (QStringList{"a got the lock at 0ms",
                                      afterWake ? QStringLiteral("b cancelled at 10ms")
                                                : QStringLiteral("b cancelled at 5ms"),
                                      "c got the lock at 10ms"}));
  QVERIFY(!lock.locked());
  if (afterWake) {
    // b had been granted the lock (woken) when the cancel arrived: it was delivered at b's step.
    const auto delivered = eventsOfKind(v.decoded(), EventKind::CancelDelivered);
    QCOMPARE(delivered.size(), std::size_t{1});
    QCOMPARE(delivered[0].ev.task, b.id());
  }
}

void tst_Sync::releasingAnUnlockedLockThrows()
{
  VirtualLoop v;
  Lock lock(v.loop);
  QVERIFY_THROWS_EXCEPTION(RuntimeError, lock.release());
}

void tst_Sync::semaphoreLimitsConcurrency_data()
{
  QTest::addColumn<int>("permits");
  QTest::addColumn<int>("expectedEndMs");
  // 6 workers of 10 ms each.
  QTest::newRow("1 permit") << 1 << 60;
  QTest::newRow("2 permits") << 2 << 30;
  QTest::newRow("3 permits") << 3 << 20;
  QTest::newRow("6 permits") << 6 << 10;
}

void tst_Sync::semaphoreLimitsConcurrency()
{
  QFETCH(int, permits);
  QFETCH(int, expectedEndMs);
  VirtualLoop v;
  Probe probe;
  Semaphore sem(v.loop, permits);
  Concurrency c;
  std::vector<Task<void>> tasks;
  for (int i = 0; i < 6; ++i)
    tasks.push_back(
        v.loop.create_task(holdPermit(probe, sem, c, QStringLiteral("w%1").arg(i), 10ms)));
  for (auto& t : tasks)
    v.loop.run_until_complete(t);
  QCOMPARE(c.max, permits);
  QCOMPARE(nowMs(v.loop), qint64{expectedEndMs});
  QCOMPARE(sem.value(), permits);
  // FIFO: workers enter in creation order.
  QStringList order;
  for (const QString& line : probe.log)
    order << line.section(' ', 0, 0);
  QCOMPARE(order, (QStringList{"w0", "w1", "w2", "w3", "w4", "w5"}));
}

void tst_Sync::cancelledSemaphoreWaiterDoesNotLoseThePermit_data()
{
  QTest::addColumn<bool>("afterWake");
  QTest::newRow("cancelled while queued") << false;
  QTest::newRow("cancelled after being woken, before it ran") << true;
}

void tst_Sync::cancelledSemaphoreWaiterDoesNotLoseThePermit()
{
  QFETCH(bool, afterWake);
  VirtualLoop v;
  Probe probe;
  Semaphore sem(v.loop, 1);
  Concurrency c;
  Task<void> b;
  Task<void> a = v.loop.create_task(releasePermitThenCancel(probe, sem, b, 10ms));
  b = v.loop.create_task(holdPermit(probe, sem, c, "b", 10ms));
  Task<void> d = v.loop.create_task(holdPermit(probe, sem, c, "d", 10ms));
  if (!afterWake)
    v.loop.call_at(from_ns(5'000'000), [b]() mutable { b.cancel(); });
  v.loop.run_until_complete(d);
  QVERIFY(b.cancelled());
  COMPARE_LOG(probe.log, (QStringList{"a in at 0ms", "b cancelled", "d in at 10ms"}));
  QCOMPARE(sem.value(), 1);
  QVERIFY(!sem.locked());
}

void tst_Sync::boundedSemaphoreRefusesAnExtraRelease()
{
  VirtualLoop v;
  BoundedSemaphore sem(v.loop, 2);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sem.release());
  QCOMPARE(sem.value(), 2);
  Semaphore plain(v.loop, 0);
  plain.release();  // an unbounded semaphore just grows
  QCOMPARE(plain.value(), 1);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Semaphore(v.loop, -1));
}

void tst_Sync::loopDestroyedWhileTasksWaitOnALockOwnedByATask()
{
  // Tearing down a loop destroys pending frames in no particular order: the lock (a local of
  // the owner's frame) may die before the awaiters queued on it. Under ASan this is a
  // use-after-free check; everywhere, every frame's locals must be gone.
  Counted::reset();
  std::vector<Task<void>> workers;
  {
    Loop loop(std::make_unique<VirtualClock>());
    Task<void> owner = loop.create_task(ownerOfTheLock(workers), "owner");
    loop.call_later(1s, [&loop] { loop.stop(); });
    loop.run_forever();
    QCOMPARE(workers.size(), std::size_t{3});
    QCOMPARE(Counted::alive(), 4);  // the owner's and each waiting worker's
  }
  QCOMPARE(Counted::alive(), 0);
  for (const auto& w : workers)
    QVERIFY(w.cancelled());
}

void tst_Sync::primitivesAnnounceTheirLabel_data()
{
  QTest::addColumn<QString>("kind");
  QTest::addColumn<QString>("name");
  QTest::addColumn<QString>("label");
  QTest::addColumn<int>("awaitKind");
  QTest::newRow("Event") << "Event"
                         << "ready"
                         << "Event ready" << int(AwaitKind::Event);
  QTest::newRow("Lock") << "Lock"
                        << "guard"
                        << "Lock guard" << int(AwaitKind::Lock);
  QTest::newRow("Semaphore") << "Semaphore"
                             << "slots"
                             << "Semaphore slots" << int(AwaitKind::Semaphore);
  QTest::newRow("BoundedSemaphore") << "BoundedSemaphore"
                                    << "pool"
                                    << "BoundedSemaphore pool" << int(AwaitKind::Semaphore);
  // Unnamed: an empty label, which views show as "Lock #<id>".
  QTest::newRow("unnamed Lock") << "Lock"
                                << ""
                                << "" << int(AwaitKind::Lock);
}

void tst_Sync::primitivesAnnounceTheirLabel()
{
  QFETCH(QString, kind);
  QFETCH(QString, name);
  QFETCH(QString, label);
  QFETCH(int, awaitKind);
  VirtualLoop v;
  const std::string n = name.toStdString();
  std::uint32_t id = 0;
  if (kind == "Event") {
    Event ev(v.loop, n);
    id = ev.id();
  } else if (kind == "Lock") {
    Lock lock(v.loop, n);
    id = lock.id();
  } else if (kind == "Semaphore") {
    Semaphore sem(v.loop, 2, n);
    id = sem.id();
  } else {
    BoundedSemaphore sem(v.loop, 2, n);
    id = sem.id();
  }
  const auto created = eventsOfKind(v.decoded(), EventKind::ObjectCreated);
  QCOMPARE(created.size(), std::size_t{1});
  QCOMPARE(created[0].ev.detail, std::uint64_t{id});
  QCOMPARE(int(created[0].ev.a8), awaitKind);
  QCOMPARE(toQString(created[0].text), label);
  QCOMPARE(created[0].ev.task, 0u);  // created outside any task
}

void tst_Sync::primitivesGetDistinctIdsWithTracingOff()
{
  VirtualLoop v(/*traced=*/false);
  Event ev(v.loop, "e");
  Lock lock(v.loop, "l");
  Semaphore sem(v.loop, 1, "s");
  QVERIFY(ev.id() != 0);
  QVERIFY(lock.id() != ev.id());
  QVERIFY(sem.id() != lock.id() && sem.id() != ev.id());
  QVERIFY(v.decoded().empty());
}

QTEST_GUILESS_MAIN(tst_Sync)
#include "tst_sync.moc"
