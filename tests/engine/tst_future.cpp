// SPDX-License-Identifier: GPL-3.0-or-later
// asyncio.Future: waking awaiters, exceptions, cancellation in both directions, invalid state
// transitions and done callbacks.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <stdexcept>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Future : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void setResultWakesAwaitersInTheOrderTheyAwaited();
  void setExceptionRethrowsInEveryAwaiter();
  void cancellingAnAwaitingTaskCancelsTheFuture();
  void cancellingTheFutureRaisesInTheAwaiter();
  void awaitingADoneFutureDoesNotSuspend();
  void invalidStateTransitions_data();
  void invalidStateTransitions();
  void resultAndExceptionWhilePending();
  void doneCallbacksRunViaCallSoonInRegistrationOrder();
  void doneCallbackOnADoneFutureIsScheduledNotCalled();
  void abandonedFutureReleasesItsCallbacks();
};

namespace {

Coro<void> awaitFuture(Probe& probe, Future<int> f, Duration delay, QString name)
{
  co_await sleep(delay);
  probe << QStringLiteral("%1 awaits at %2ms").arg(name).arg(nowMs(Loop::running()));
  const int v = co_await f;
  probe << QStringLiteral("%1 got %2 at %3ms").arg(name).arg(v).arg(nowMs(Loop::running()));
}

struct AppError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};

Coro<void> awaitFailing(Probe& probe, Future<int> f, QString name)
{
  try {
    co_await f;
    probe << name + " got a value";
  } catch (const AppError& e) {
    probe << QStringLiteral("%1 caught AppError: %2").arg(name, e.what());
  }
}

Coro<int> awaitCancellable(Probe& probe, Future<int> f)
{
  Counted c;
  try {
    co_return co_await f;
  } catch (const CancelledError& e) {
    probe << QStringLiteral("caught CancelledError '%1' at %2ms")
                 .arg(QString::fromStdString(e.message()))
                 .arg(nowMs(Loop::running()));
    throw;
  }
}

Coro<void> swallowFutureCancel(Probe& probe, Future<void> f)
{
  try {
    co_await f;
  } catch (const CancelledError& e) {
    probe << QStringLiteral("caught '%1', cancelling %2")
                 .arg(QString::fromStdString(e.message()))
                 .arg(current_task()->cancelling());
  }
  co_await sleep(1ms);
  probe << "continued";
}

Coro<void> awaitDone(Probe& probe, Future<std::string> f)
{
  bool callbackRan = false;
  Loop::running().call_soon([&callbackRan] { callbackRan = true; });
  const std::string v = co_await f;
  probe << QStringLiteral("%1, callback ran %2").arg(QString::fromStdString(v)).arg(callbackRan);
  co_await sleep(0ms);
}

}  // namespace

void tst_Future::setResultWakesAwaitersInTheOrderTheyAwaited()
{
  VirtualLoop v;
  Probe probe;
  Future<int> f(v.loop);
  // Created in the order a, b, c; they start awaiting in the order b, c, a.
  Task<void> a = v.loop.create_task(awaitFuture(probe, f, 3ms, "a"), "a");
  Task<void> b = v.loop.create_task(awaitFuture(probe, f, 1ms, "b"), "b");
  Task<void> c = v.loop.create_task(awaitFuture(probe, f, 2ms, "c"), "c");
  v.loop.call_later(5ms, [f]() mutable { f.set_result(11); });
  v.loop.run_until_complete(a);
  v.loop.run_until_complete(c);
  QVERIFY(b.done());
  COMPARE_LOG(probe.log, (QStringList{"b awaits at 1ms", "c awaits at 2ms", "a awaits at 3ms",
                                      "b got 11 at 5ms", "c got 11 at 5ms", "a got 11 at 5ms"}));
  QVERIFY(f.done());
  QVERIFY(!f.cancelled());
  QCOMPARE(f.result(), 11);
  QVERIFY(!f.exception());

  // The awaiters were suspended on the future, which the Suspended events name.
  int onFuture = 0;
  for (const auto& d : eventsOfKind(v.decoded(), EventKind::Suspended))
    if (d.ev.a8 == std::uint8_t(AwaitKind::Future)) {
      QCOMPARE(d.ev.detail, std::uint64_t{f.id()});
      ++onFuture;
    }
  QCOMPARE(onFuture, 3);
}

void tst_Future::setExceptionRethrowsInEveryAwaiter()
{
  VirtualLoop v;
  Probe probe;
  Future<int> f(v.loop);
  Task<void> a = v.loop.create_task(awaitFailing(probe, f, "a"), "a");
  Task<void> b = v.loop.create_task(awaitFailing(probe, f, "b"), "b");
  v.loop.call_later(5ms, [f]() mutable { f.set_exception(AppError("broken")); });
  v.loop.run_until_complete(b);
  QVERIFY(a.done());
  COMPARE_LOG(probe.log, (QStringList{"a caught AppError: broken", "b caught AppError: broken"}));
  QVERIFY(f.exception());
  QVERIFY_THROWS_EXCEPTION(AppError, f.result());
  // The exception is shared, not sliced: the type survives.
  QVERIFY2(describe(f.exception()).endsWith("AppError: broken"),
           qPrintable(describe(f.exception())));
  // Setting a CancelledError as an exception is refused (asyncio raises TypeError).
  Future<int> g(v.loop);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           g.set_exception(std::make_exception_ptr(CancelledError("no"))));
  QVERIFY(!g.done());
}

void tst_Future::cancellingAnAwaitingTaskCancelsTheFuture()
{
  VirtualLoop v;
  Probe probe;
  Future<int> f(v.loop);
  Task<int> t = v.loop.create_task(awaitCancellable(probe, f), "waiter");
  v.loop.call_later(4ms, [t]() mutable { t.cancel("stop"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  COMPARE_LOG(probe.log, QStringList{"caught CancelledError 'stop' at 4ms"});
  QVERIFY(t.cancelled());
  QVERIFY(f.cancelled());
  QVERIFY(f.done());
  try {
    f.result();
    QFAIL("result() of a cancelled future must raise");
  } catch (const CancelledError& e) {
    QCOMPARE(e.message(), std::string("stop"));
  }
  QVERIFY_THROWS_EXCEPTION(CancelledError, f.exception());
  QVERIFY_THROWS_EXCEPTION(InvalidStateError, f.set_result(1));
  QCOMPARE(Counted::alive(), 0);
}

void tst_Future::cancellingTheFutureRaisesInTheAwaiter()
{
  VirtualLoop v;
  Probe probe;
  Future<void> f(v.loop);
  Task<void> t = v.loop.create_task(swallowFutureCancel(probe, f), "waiter");
  bool cancelReturned = false;
  v.loop.call_later(
      2ms, [f, &cancelReturned]() mutable { cancelReturned = f.cancel("future cancelled"); });
  v.loop.run_until_complete(t);
  QVERIFY(cancelReturned);
  // The task itself was never cancelled: catching the future's CancelledError is no swallow.
  COMPARE_LOG(probe.log, (QStringList{"caught 'future cancelled', cancelling 0", "continued"}));
  QVERIFY(!t.cancelled());
  QCOMPARE(t.base().swallowed_count(), 0);
  QVERIFY(!f.cancel());  // already done
  const auto delivered = eventsOfKind(v.decoded(), EventKind::CancelDelivered);
  QCOMPARE(delivered.size(), std::size_t{1});
  // Raised by the awaited future, not thrown in for a cancel request of the task.
  QCOMPARE(delivered[0].ev.a8, static_cast<std::uint8_t>(CancelVia::Future));
  QCOMPARE(delivered[0].ev.detail, std::uint64_t{f.id()});
}

void tst_Future::awaitingADoneFutureDoesNotSuspend()
{
  VirtualLoop v;
  Probe probe;
  Future<std::string> f(v.loop);
  f.set_result(std::string("ready"));
  Task<void> t = v.loop.create_task(awaitDone(probe, f), "t");
  v.loop.run_until_complete(t);
  COMPARE_LOG(probe.log, QStringList{"ready, callback ran 0"});
}

void tst_Future::invalidStateTransitions_data()
{
  QTest::addColumn<int>("first");   // 0 result, 1 exception, 2 cancel
  QTest::addColumn<int>("second");  // 0 result, 1 exception
  QTest::newRow("set_result twice") << 0 << 0;
  QTest::newRow("set_exception after set_result") << 0 << 1;
  QTest::newRow("set_result after set_exception") << 1 << 0;
  QTest::newRow("set_exception twice") << 1 << 1;
  QTest::newRow("set_result after cancel") << 2 << 0;
  QTest::newRow("set_exception after cancel") << 2 << 1;
}

void tst_Future::invalidStateTransitions()
{
  QFETCH(int, first);
  QFETCH(int, second);
  VirtualLoop v;
  Future<int> f(v.loop);
  switch (first) {
    case 0:
      f.set_result(1);
      break;
    case 1:
      f.set_exception(AppError("first"));
      break;
    default:
      QVERIFY(f.cancel());
      break;
  }
  if (second == 0)
    QVERIFY_THROWS_EXCEPTION(InvalidStateError, f.set_result(2));
  else
    QVERIFY_THROWS_EXCEPTION(InvalidStateError, f.set_exception(AppError("second")));
  // The first outcome stands.
  switch (first) {
    case 0:
      QCOMPARE(f.result(), 1);
      break;
    case 1:
      QVERIFY_THROWS_EXCEPTION(AppError, f.result());
      break;
    default:
      QVERIFY(f.cancelled());
      break;
  }
  QVERIFY(!f.cancel());
}

void tst_Future::resultAndExceptionWhilePending()
{
  VirtualLoop v;
  Future<int> f(v.loop);
  QVERIFY(!f.done());
  QVERIFY_THROWS_EXCEPTION(InvalidStateError, f.result());
  QVERIFY_THROWS_EXCEPTION(InvalidStateError, f.exception());
  Future<int> other(v.loop);
  QVERIFY(f.id() != other.id());
}

void tst_Future::doneCallbacksRunViaCallSoonInRegistrationOrder()
{
  VirtualLoop v;
  Future<int> f(v.loop);
  QStringList order;
  f.add_done_callback([&order, f] { order << QStringLiteral("first sees %1").arg(f.result()); });
  f.add_done_callback([&order] { order << "second"; });
  v.loop.call_later(3ms, [&order, f]() mutable {
    f.set_result(5);
    order << "set_result returned";
  });
  v.loop.call_later(4ms, [&v] { v.loop.stop(); });
  v.loop.run_forever();
  COMPARE_LOG(order, (QStringList{"set_result returned", "first sees 5", "second"}));
}

void tst_Future::doneCallbackOnADoneFutureIsScheduledNotCalled()
{
  VirtualLoop v;
  Future<int> f(v.loop);
  f.set_result(1);
  bool ran = false;
  f.add_done_callback([&ran] { ran = true; });
  QVERIFY(!ran);
  v.loop.call_soon([&v] { v.loop.stop(); });
  v.loop.run_forever();
  QVERIFY(ran);
}

void tst_Future::abandonedFutureReleasesItsCallbacks()
{
  // A future nobody completes: when its last handle goes, its done callbacks (never called) and
  // what they captured go too, as when asyncio garbage-collects a pending future.
  VirtualLoop v;
  bool called = false;
  {
    Future<int> f(v.loop);
    f.add_done_callback([c = Counted{}, &called] {
      (void)c;
      called = true;
    });
    QCOMPARE(Counted::alive(), 1);
  }
  QCOMPARE(Counted::alive(), 0);
  QVERIFY(!called);
}

QTEST_GUILESS_MAIN(tst_Future)
#include "tst_future.moc"
