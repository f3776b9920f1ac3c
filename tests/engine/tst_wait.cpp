// SPDX-License-Identifier: GPL-3.0-or-later
// asyncio.wait, asyncio.as_completed and asyncio.shield with CPython 3.12/3.13 semantics
// (Lib/asyncio/tasks.py): wait returns (done, pending) in each return_when mode and on timeout
// without cancelling anything; as_completed hands tasks out in completion order and raises
// TimeoutError after its deadline; shield keeps the inner task running when the outer await is
// cancelled.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Wait : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void waitReturnsDoneAndPending_data();
  void waitReturnsDoneAndPending();
  void cancellingTheWaiterLeavesTheTasksRunning();
  void waitOnFinishedTasksAndDuplicates();
  void waitOnNothingIsAnError();
  void waiterIsSuspendedOnTheWaitsFuture();

  void asCompletedHandsOutTasksInCompletionOrder();
  void asCompletedNextResultReturnsValuesAndRethrows();
  void asCompletedRaisesTimeoutErrorAfterItsDeadline();

  void shieldKeepsTheInnerRunningWhenTheOuterIsCancelled_data();
  void shieldKeepsTheInnerRunningWhenTheOuterIsCancelled();
  void shieldedTaskCancelledCancelsTheOuter();
  void shieldPassesTheResultOrTheException_data();
  void shieldPassesTheResultOrTheException();
};

namespace {

Coro<int> valueAfter(Duration d, int v)
{
  Counted alive;
  co_await sleep(d);
  co_return v;
}

Coro<int> failAfter(Duration d, std::string msg)
{
  Counted alive;
  co_await sleep(d);
  throw std::runtime_error(msg);
}

QString namesOf(const std::vector<Task<int>>& tasks)
{
  QStringList names;
  for (const Task<int>& t : tasks)
    names << QString::fromStdString(t.name());
  return names.join(QLatin1Char(' '));
}

qint64 nowUs(Loop& loop)
{
  return nowNs(loop) / 1000;
}

}  // namespace

void tst_Wait::waitReturnsDoneAndPending_data()
{
  QTest::addColumn<int>("mode");
  QTest::addColumn<int>("timeoutUs");  // -1: none
  QTest::addColumn<qint64>("returnsAtUs");
  QTest::addColumn<QString>("done");
  QTest::addColumn<QString>("pending");
  // a: 3 ms -> 1, b: fails at 4 ms, c: 2 ms -> 3, d: 5 ms -> 4
  const int first = int(ReturnWhen::FirstCompleted);
  const int exc = int(ReturnWhen::FirstException);
  const int all = int(ReturnWhen::AllCompleted);
  QTest::newRow("FIRST_COMPLETED") << first << -1 << qint64(2000) << "c"
                                   << "a b d";
  QTest::newRow("FIRST_EXCEPTION") << exc << -1 << qint64(4000) << "a b c"
                                   << "d";
  QTest::newRow("ALL_COMPLETED") << all << -1 << qint64(5000) << "a b c d"
                                 << "";
  QTest::newRow("ALL_COMPLETED, timeout 2.5 ms") << all << 2500 << qint64(2500) << "c"
                                                 << "a b d";
  QTest::newRow("FIRST_EXCEPTION, timeout 3.5 ms") << exc << 3500 << qint64(3500) << "a c"
                                                   << "b d";
  QTest::newRow("FIRST_COMPLETED, timeout 1 ms") << first << 1000 << qint64(1000) << ""
                                                 << "a b c d";
  QTest::newRow("ALL_COMPLETED, timeout after the last") << all << 9000 << qint64(5000) << "a b c d"
                                                         << "";
}

void tst_Wait::waitReturnsDoneAndPending()
{
  QFETCH(int, mode);
  QFETCH(int, timeoutUs);
  QFETCH(qint64, returnsAtUs);
  QFETCH(QString, done);
  QFETCH(QString, pending);
  VirtualLoop v;
  WaitResult<int> got;
  qint64 returnedAt = -1;
  std::vector<Task<int>> tasks;
  auto main = [&]() -> Coro<void> {
    tasks = {create_task(valueAfter(3ms, 1), "a"), create_task(failAfter(4ms, "b failed"), "b"),
             create_task(valueAfter(2ms, 3), "c"), create_task(valueAfter(5ms, 4), "d")};
    std::optional<Duration> timeout;
    if (timeoutUs >= 0)
      timeout = std::chrono::microseconds(timeoutUs);
    got = co_await wait(tasks, timeout, ReturnWhen(mode));
    returnedAt = nowUs(Loop::running());
    // Nothing was cancelled: the pending tasks finish normally afterwards.
    for (Task<int>& t : got.pending) {
      try {
        co_await t;
      } catch (const std::runtime_error&) {
      }
    }
  };
  v.loop.run_until_complete(main());
  QCOMPARE(returnedAt, returnsAtUs);
  QCOMPARE(namesOf(got.done), done);
  QCOMPARE(namesOf(got.pending), pending);
  for (const Task<int>& t : tasks)
    QVERIFY(t.done() && !t.cancelled());
  QCOMPARE(tasks[3].result(), 4);
  QCOMPARE(Counted::alive(), 0);
}

void tst_Wait::cancellingTheWaiterLeavesTheTasksRunning()
{
  VirtualLoop v;
  Probe probe;
  std::vector<Task<int>> tasks;
  auto main = [&]() -> Coro<void> {
    tasks = {create_task(valueAfter(5ms, 1), "a"), create_task(valueAfter(8ms, 2), "b")};
    try {
      co_await wait(tasks, 1s);
      probe << "wait returned";
    } catch (const CancelledError& e) {
      probe << QStringLiteral("caught '%1' at %2ms")
                   .arg(QString::fromStdString(e.message()))
                   .arg(nowMs(Loop::running()));
      throw;
    }
  };
  Task<void> t = v.loop.create_task(main(), "waiter");
  v.loop.call_later(2ms, [t]() mutable { t.cancel("stop"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  COMPARE_LOG(probe.log, QStringList{"caught 'stop' at 2ms"});
  QVERIFY(!tasks[0].done());
  QCOMPARE(v.loop.run_until_complete(tasks[1]), 2);
  QCOMPARE(nowMs(v.loop), qint64(8));
  QCOMPARE(tasks[0].result(), 1);
  QVERIFY(!tasks[0].cancelled());
  // The 1 s timeout was disarmed with the cancelled wait: nothing is left for the loop.
  QCOMPARE(v.loop.timer_count(), std::size_t{0});
  QCOMPARE(Counted::alive(), 0);
}

void tst_Wait::waitOnFinishedTasksAndDuplicates()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    Task<int> a = create_task(valueAfter(1ms, 1), "a");
    Task<int> b = create_task(valueAfter(5ms, 2), "b");
    co_await sleep(2ms);
    const std::uint32_t stepsBefore = current_task()->steps();
    const std::vector<Task<int>> withDuplicate{a, b, a};
    auto [done, pending] = co_await wait(withDuplicate, std::nullopt, ReturnWhen::FirstCompleted);
    probe << QStringLiteral("done [%1] pending [%2] at %3ms after %4 step(s)")
                 .arg(namesOf(done), namesOf(pending))
                 .arg(nowMs(Loop::running()))
                 .arg(current_task()->steps() - stepsBefore);
    co_await b;
  };
  v.loop.run_until_complete(main());
  // Like CPython, a finished task is counted from a callback on the next iteration: the wait
  // suspends once even though it is already satisfied.
  COMPARE_LOG(probe.log, QStringList{"done [a] pending [b] at 2ms after 1 step(s)"});
}

void tst_Wait::waitOnNothingIsAnError()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    try {
      co_await wait(std::vector<Task<int>>{});
    } catch (const std::invalid_argument& e) {
      probe << e.what();
    }
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, QStringList{"Set of Tasks/Futures is empty."});
}

void tst_Wait::waiterIsSuspendedOnTheWaitsFuture()
{
  VirtualLoop v;
  std::uint32_t mainId = 0;
  std::uint32_t shieldId = 0;
  auto main = [&]() -> Coro<void> {
    mainId = current_task()->id();
    Task<int> a = create_task(valueAfter(1ms, 1), "worker");
    const std::vector<Task<int>> tasks{a, create_task(valueAfter(2ms, 2))};
    co_await wait(tasks, std::nullopt, ReturnWhen::FirstCompleted);
    auto s = shield(create_task(valueAfter(1ms, 3), "precious"));
    shieldId = s.id();
    co_await s;
  };
  v.loop.run_until_complete(main());
  const auto events = v.decoded();
  std::map<std::uint64_t, std::string> labels;
  std::map<std::uint64_t, std::uint8_t> kinds;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::ObjectCreated)) {
    labels[d.ev.detail] = d.text;
    kinds[d.ev.detail] = d.ev.a8;
  }
  QStringList waits;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::Suspended))
    if (d.ev.task == mainId) {
      // A shield is a wait of its own kind; the other combinators are futures.
      const auto expected =
          labels[d.ev.detail].starts_with("shield") ? AwaitKind::Shield : AwaitKind::Future;
      QCOMPARE(d.ev.a8, std::uint8_t(expected));
      QCOMPARE(kinds[d.ev.detail], std::uint8_t(expected));
      waits << QString::fromStdString(labels[d.ev.detail]);
    }
  COMPARE_LOG(waits, (QStringList{"wait(2, FIRST_COMPLETED)", "shield(precious)"}));
  QCOMPARE(labels[shieldId], std::string("shield(precious)"));
}

void tst_Wait::asCompletedHandsOutTasksInCompletionOrder()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    std::vector<Task<int>> tasks{create_task(valueAfter(3ms, 30), "slow"),
                                 create_task(valueAfter(1ms, 10), "fast"),
                                 create_task(valueAfter(2ms, 20), "middle")};
    auto ac = as_completed(tasks);
    probe << QStringLiteral("%1 to come").arg(ac.remaining());
    while (ac.has_next()) {
      Task<int> t = co_await ac.next();
      probe << QStringLiteral("%1 = %2 at %3ms")
                   .arg(QString::fromStdString(t.name()))
                   .arg(t.result())
                   .arg(nowMs(Loop::running()));
    }
    try {
      co_await ac.next();
    } catch (const RuntimeError&) {
      probe << "exhausted";
    }
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, (QStringList{"3 to come", "fast = 10 at 1ms", "middle = 20 at 2ms",
                                      "slow = 30 at 3ms", "exhausted"}));
  QCOMPARE(Counted::alive(), 0);
}

void tst_Wait::asCompletedNextResultReturnsValuesAndRethrows()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    std::vector<Coro<int>> coros;
    coros.push_back(valueAfter(2ms, 2));
    coros.push_back(failAfter(1ms, "first to finish"));
    auto ac = as_completed(std::move(coros));
    for (int i = 0; i < 2; ++i) {
      try {
        const int r = co_await ac.next_result();
        probe << QStringLiteral("got %1 at %2ms").arg(r).arg(nowMs(Loop::running()));
      } catch (const std::runtime_error& e) {
        probe << QStringLiteral("raised '%1' at %2ms").arg(e.what()).arg(nowMs(Loop::running()));
      }
    }
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, (QStringList{"raised 'first to finish' at 1ms", "got 2 at 2ms"}));
  QCOMPARE(Counted::alive(), 0);
}

void tst_Wait::asCompletedRaisesTimeoutErrorAfterItsDeadline()
{
  VirtualLoop v;
  Probe probe;
  std::vector<Task<int>> tasks;
  auto main = [&]() -> Coro<void> {
    tasks = {create_task(valueAfter(9ms, 9), "late"), create_task(valueAfter(1ms, 1), "early"),
             create_task(valueAfter(5ms, 5), "later")};
    auto ac = as_completed(tasks, 3ms);
    while (ac.has_next()) {
      try {
        Task<int> t = co_await ac.next();
        probe << QStringLiteral("%1 at %2ms")
                     .arg(QString::fromStdString(t.name()))
                     .arg(nowMs(Loop::running()));
      } catch (const TimeoutError&) {
        probe << QStringLiteral("TimeoutError at %1ms, %2 left")
                     .arg(nowMs(Loop::running()))
                     .arg(ac.remaining());
      }
    }
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, (QStringList{"early at 1ms", "TimeoutError at 3ms, 1 left",
                                      "TimeoutError at 3ms, 0 left"}));
  // Nothing was cancelled: the tasks finish on their own.
  QVERIFY(!tasks[0].done());
  QCOMPARE(v.loop.run_until_complete(tasks[0]), 9);
  QVERIFY(!tasks[2].cancelled());
  QCOMPARE(tasks[2].result(), 5);
  QCOMPARE(Counted::alive(), 0);
}

void tst_Wait::shieldKeepsTheInnerRunningWhenTheOuterIsCancelled_data()
{
  QTest::addColumn<bool>("fromCoro");
  QTest::newRow("shield(task)") << false;
  QTest::newRow("shield(coroutine)") << true;
}

void tst_Wait::shieldKeepsTheInnerRunningWhenTheOuterIsCancelled()
{
  QFETCH(bool, fromCoro);
  VirtualLoop v;
  Probe probe;
  Task<int> inner;
  auto main = [&]() -> Coro<void> {
    std::optional<Shielded<int>> s;
    if (fromCoro)
      s.emplace(shield(valueAfter(10ms, 7)));
    else
      s.emplace(shield(create_task(valueAfter(10ms, 7), "inner")));
    inner = s->inner();
    try {
      const int r = co_await *s;
      probe << QStringLiteral("got %1").arg(r);
    } catch (const CancelledError& e) {
      probe << QStringLiteral("outer cancelled '%1' at %2ms, inner done %3, cancelling %4")
                   .arg(QString::fromStdString(e.message()))
                   .arg(nowMs(Loop::running()))
                   .arg(inner.done())
                   .arg(current_task()->cancelling());
      throw;
    }
  };
  Task<void> t = v.loop.create_task(main(), "outer");
  v.loop.call_later(3ms, [t]() mutable { t.cancel("stop"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  COMPARE_LOG(probe.log, QStringList{"outer cancelled 'stop' at 3ms, inner done 0, cancelling 1"});
  QVERIFY(t.cancelled());
  // The inner task was never cancelled and completes on its own.
  QCOMPARE(inner.cancelling(), 0);
  QCOMPARE(v.loop.run_until_complete(inner), 7);
  QCOMPARE(nowMs(v.loop), qint64(10));
  QVERIFY(!inner.cancelled());
  QCOMPARE(Counted::alive(), 0);
}

void tst_Wait::shieldedTaskCancelledCancelsTheOuter()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    Task<int> inner = create_task(valueAfter(10ms, 7), "inner");
    Loop::running().call_later(2ms, [inner]() mutable { inner.cancel("inner stop"); });
    try {
      co_await shield(inner);
      probe << "returned";
    } catch (const CancelledError& e) {
      probe << QStringLiteral("caught '%1' at %2ms, cancelling %3")
                   .arg(QString::fromStdString(e.message()))
                   .arg(nowMs(Loop::running()))
                   .arg(current_task()->cancelling());
    }
  };
  Task<void> t = v.loop.create_task(main(), "outer");
  v.loop.run_until_complete(t);
  // CPython cancels the outer future without a message; the awaiter was not cancelled itself.
  COMPARE_LOG(probe.log, QStringList{"caught '' at 2ms, cancelling 0"});
  QVERIFY(!t.cancelled());
}

void tst_Wait::shieldPassesTheResultOrTheException_data()
{
  QTest::addColumn<bool>("fail");
  QTest::addColumn<bool>("alreadyDone");
  QTest::addColumn<QString>("expected");
  QTest::newRow("result") << false << false << "got 5 at 4ms";
  QTest::newRow("exception") << true << false << "raised 'bad' at 4ms";
  QTest::newRow("result of a finished task") << false << true << "got 5 at 6ms";
  QTest::newRow("exception of a finished task") << true << true << "raised 'bad' at 6ms";
}

void tst_Wait::shieldPassesTheResultOrTheException()
{
  QFETCH(bool, fail);
  QFETCH(bool, alreadyDone);
  QFETCH(QString, expected);
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    Task<int> inner = create_task(fail ? failAfter(4ms, "bad") : valueAfter(4ms, 5));
    if (alreadyDone)
      co_await sleep(6ms);
    try {
      const int r = co_await shield(inner);
      probe << QStringLiteral("got %1 at %2ms").arg(r).arg(nowMs(Loop::running()));
    } catch (const std::runtime_error& e) {
      probe << QStringLiteral("raised '%1' at %2ms").arg(e.what()).arg(nowMs(Loop::running()));
    }
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, QStringList{expected});
  QCOMPARE(Counted::alive(), 0);
}

QTEST_GUILESS_MAIN(tst_Wait)
#include "tst_wait.moc"
