// SPDX-License-Identifier: GPL-3.0-or-later
// asyncio.gather with CPython 3.12/3.13 semantics (Lib/asyncio/tasks.py gather and
// _GatheringFuture): results in argument order, the first exception propagating while the other
// children keep running, cancellation of the awaiter reaching every unfinished child,
// return_exceptions handing back exceptions (CancelledError included) as values.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Gather : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void resultsComeInArgumentOrder_data();
  void resultsComeInArgumentOrder();
  void listFormReturnsAVectorInOrder();
  void sequentialAwaitsTakeTheSumGatherTakesTheLongest();
  void firstExceptionPropagatesWhileSiblingsKeepRunning();
  void cancellingTheAwaiterCancelsTheUnfinishedChildren_data();
  void cancellingTheAwaiterCancelsTheUnfinishedChildren();
  void cancelledGatherRaisesEvenIfEveryChildSwallows_data();
  void cancelledGatherRaisesEvenIfEveryChildSwallows();
  void aCancelledChildMakesTheGatherRaiseCancelledError();
  void returnExceptionsReturnsEveryOutcomeAsAValue();
  void returnExceptionsListForm();
  void returnExceptionsHandsBackTheChildsOwnCancelledError_data();
  void returnExceptionsHandsBackTheChildsOwnCancelledError();
  void childrenAlreadyDoneCompleteTheGatherWithoutSuspending();
  void emptyGatherReturnsAnEmptyResult();
  void severalTasksCanAwaitTheSameGather();
  void awaiterIsSuspendedOnTheGathersFuture();
};

namespace {

struct AppError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};

Coro<int> valueAfter(Duration d, int v, Probe* probe = nullptr, QString name = {})
{
  Counted alive;
  try {
    co_await sleep(d);
  } catch (const CancelledError& e) {
    if (probe != nullptr)
      *probe << QStringLiteral("%1 cancelled at %2ms '%3'")
                    .arg(name)
                    .arg(nowMs(Loop::running()))
                    .arg(QString::fromStdString(e.message()));
    throw;
  }
  if (probe != nullptr)
    *probe << QStringLiteral("%1 finished at %2ms").arg(name).arg(nowMs(Loop::running()));
  co_return v;
}

Coro<std::string> textAfter(Duration d, std::string s)
{
  co_await sleep(d);
  co_return s;
}

Coro<void> nothingAfter(Duration d, Probe& probe)
{
  co_await sleep(d);
  probe << QStringLiteral("void child done at %1ms").arg(nowMs(Loop::running()));
}

Coro<int> failAfter(Duration d, std::string msg)
{
  co_await sleep(d);
  throw AppError(msg);
}

Coro<void> sleepFor(Duration d)
{
  co_await sleep(d);
}

// Catches the CancelledError and returns a value anyway.
Coro<int> swallowCancel(Duration d, int v)
{
  try {
    co_await sleep(d);
  } catch (const CancelledError&) {
    current_task()->uncancel();
  }
  co_return v;
}

}  // namespace

void tst_Gather::resultsComeInArgumentOrder_data()
{
  QTest::addColumn<int>("aMs");
  QTest::addColumn<int>("bMs");
  QTest::addColumn<int>("cMs");
  QTest::newRow("finish in argument order") << 1 << 2 << 3;
  QTest::newRow("finish in reverse order") << 3 << 2 << 1;
  QTest::newRow("middle finishes last") << 1 << 5 << 2;
  QTest::newRow("all at once") << 4 << 4 << 4;
}

void tst_Gather::resultsComeInArgumentOrder()
{
  QFETCH(int, aMs);
  QFETCH(int, bMs);
  QFETCH(int, cMs);
  VirtualLoop v;
  Probe probe;
  std::tuple<int, std::string, std::monostate> got;
  qint64 doneAt = -1;
  auto main = [&]() -> Coro<void> {
    // A coroutine, a task and a void coroutine: heterogeneous children.
    Task<std::string> b = create_task(textAfter(std::chrono::milliseconds(bMs), "bee"));
    got = co_await gather(valueAfter(std::chrono::milliseconds(aMs), 11), b,
                          nothingAfter(std::chrono::milliseconds(cMs), probe));
    doneAt = nowMs(Loop::running());
  };
  v.loop.run_until_complete(main());
  QCOMPARE(std::get<0>(got), 11);
  QCOMPARE(std::get<1>(got), std::string("bee"));
  QCOMPARE(doneAt, qint64(std::max({aMs, bMs, cMs})));
  COMPARE_LOG(probe.log, QStringList{QStringLiteral("void child done at %1ms").arg(cMs)});
  QCOMPARE(Counted::alive(), 0);
}

void tst_Gather::listFormReturnsAVectorInOrder()
{
  VirtualLoop v;
  std::vector<int> fromTasks;
  std::vector<int> fromCoros;
  std::vector<std::monostate> fromVoid;
  auto main = [&]() -> Coro<void> {
    std::vector<Task<int>> tasks;
    for (int i = 0; i < 5; ++i)
      tasks.push_back(create_task(valueAfter(std::chrono::milliseconds(10 - 2 * i), i * i)));
    fromTasks = co_await gather(tasks);
    std::vector<Coro<int>> coros;
    coros.push_back(valueAfter(3ms, 7));
    coros.push_back(valueAfter(1ms, 8));
    fromCoros = co_await gather(std::move(coros));
    std::vector<Task<void>> voids{create_task(sleepFor(1ms)), create_task(sleepFor(2ms))};
    fromVoid = co_await gather(voids);
  };
  v.loop.run_until_complete(main());
  QCOMPARE(fromTasks, (std::vector<int>{0, 1, 4, 9, 16}));
  QCOMPARE(fromCoros, (std::vector<int>{7, 8}));
  QCOMPARE(fromVoid.size(), std::size_t{2});
  QCOMPARE(nowMs(v.loop), qint64(10 + 3 + 2));
  QCOMPARE(Counted::alive(), 0);
}

void tst_Gather::sequentialAwaitsTakeTheSumGatherTakesTheLongest()
{
  VirtualLoop v;
  qint64 sequentialMs = -1;
  qint64 gatheredMs = -1;
  std::vector<int> results;
  auto main = [&]() -> Coro<void> {
    const qint64 t0 = nowMs(Loop::running());
    results.push_back(co_await valueAfter(1s, 1));
    results.push_back(co_await valueAfter(2s, 2));
    results.push_back(co_await valueAfter(3s, 3));
    const qint64 t1 = nowMs(Loop::running());
    auto [a, b, c] = co_await gather(valueAfter(1s, 1), valueAfter(2s, 2), valueAfter(3s, 3));
    const qint64 t2 = nowMs(Loop::running());
    results.insert(results.end(), {a, b, c});
    sequentialMs = t1 - t0;
    gatheredMs = t2 - t1;
  };
  v.loop.run_until_complete(main());
  QCOMPARE(sequentialMs, qint64(6000));
  QCOMPARE(gatheredMs, qint64(3000));
  QCOMPARE(results, (std::vector<int>{1, 2, 3, 1, 2, 3}));
}

void tst_Gather::firstExceptionPropagatesWhileSiblingsKeepRunning()
{
  VirtualLoop v;
  Probe probe;
  Task<int> slow;
  Task<int> fast;
  auto main = [&]() -> Coro<void> {
    slow = create_task(valueAfter(5ms, 50, &probe, "slow"));
    fast = create_task(valueAfter(3ms, 30, &probe, "fast"));
    try {
      co_await gather(slow, failAfter(1ms, "first"), fast, failAfter(2ms, "second"));
      probe << "gather returned";
    } catch (const AppError& e) {
      probe << QStringLiteral("caught '%1' at %2ms").arg(e.what()).arg(nowMs(Loop::running()));
    }
    // The siblings were not cancelled: they finish later and can still be awaited.
    const int s = co_await slow;
    probe << QStringLiteral("slow = %1 at %2ms").arg(s).arg(nowMs(Loop::running()));
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, (QStringList{"caught 'first' at 1ms", "fast finished at 3ms",
                                      "slow finished at 5ms", "slow = 50 at 5ms"}));
  QVERIFY(!slow.cancelled());
  QVERIFY(!fast.cancelled());
  QCOMPARE(fast.result(), 30);
  QCOMPARE(Counted::alive(), 0);
}

void tst_Gather::cancellingTheAwaiterCancelsTheUnfinishedChildren_data()
{
  QTest::addColumn<bool>("returnExceptions");
  QTest::newRow("return_exceptions=False") << false;
  QTest::newRow("return_exceptions=True") << true;
}

void tst_Gather::cancellingTheAwaiterCancelsTheUnfinishedChildren()
{
  QFETCH(bool, returnExceptions);
  VirtualLoop v;
  Probe probe;
  std::vector<Task<int>> children;
  auto main = [&]() -> Coro<void> {
    children.push_back(create_task(valueAfter(1ms, 1, &probe, "a")));
    children.push_back(create_task(valueAfter(10ms, 2, &probe, "b")));
    children.push_back(create_task(valueAfter(20ms, 3, &probe, "c")));
    try {
      if (returnExceptions)
        co_await gather(return_exceptions, children);
      else
        co_await gather(children);
      probe << "gather returned";
    } catch (const CancelledError& e) {
      probe << QStringLiteral("awaiter caught '%1' at %2ms, cancelling %3")
                   .arg(QString::fromStdString(e.message()))
                   .arg(nowMs(Loop::running()))
                   .arg(current_task()->cancelling());
      throw;
    }
  };
  Task<void> t = v.loop.create_task(main(), "awaiter");
  v.loop.call_later(5ms, [t]() mutable { t.cancel("stop"); });
  QVERIFY_THROWS_EXCEPTION(CancelledError, v.loop.run_until_complete(t));
  COMPARE_LOG(probe.log, (QStringList{"a finished at 1ms", "b cancelled at 5ms 'stop'",
                                      "c cancelled at 5ms 'stop'",
                                      "awaiter caught 'stop' at 5ms, cancelling 1"}));
  QVERIFY(t.cancelled());
  QVERIFY(!children[0].cancelled());
  QCOMPARE(children[0].result(), 1);
  QVERIFY(children[1].cancelled());
  QVERIFY(children[2].cancelled());
  // The children's cancel requests came through the gather (propagated from the awaiter).
  int propagated = 0;
  for (const DecodedEvent& d : eventsOfKind(v.decoded(), EventKind::CancelRequested))
    if (d.ev.task == children[1].id() || d.ev.task == children[2].id()) {
      QCOMPARE(d.ev.a8, std::uint8_t(CancelSource::Propagated));
      QCOMPARE(QString::fromStdString(d.text), QStringLiteral("stop"));
      ++propagated;
    }
  QCOMPARE(propagated, 2);
  QCOMPARE(Counted::alive(), 0);
}

void tst_Gather::cancelledGatherRaisesEvenIfEveryChildSwallows_data()
{
  QTest::addColumn<bool>("returnExceptions");
  QTest::newRow("return_exceptions=False") << false;
  QTest::newRow("return_exceptions=True") << true;
}

void tst_Gather::cancelledGatherRaisesEvenIfEveryChildSwallows()
{
  // bpo-32684: once gather.cancel() reached a child, the gather raises CancelledError, even if
  // every child swallowed its cancellation and returned a value.
  QFETCH(bool, returnExceptions);
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    std::vector<Task<int>> kids{create_task(swallowCancel(10ms, 1)),
                                create_task(swallowCancel(20ms, 2))};
    try {
      if (returnExceptions) {
        auto g = gather(return_exceptions, kids);
        Loop::running().call_later(5ms, [g]() mutable { g.cancel("gather cancelled"); });
        co_await g;
      } else {
        auto g = gather(kids);
        Loop::running().call_later(5ms, [g]() mutable { g.cancel("gather cancelled"); });
        co_await g;
      }
      probe << "gather returned";
    } catch (const CancelledError& e) {
      probe << QStringLiteral("caught CancelledError at %1ms, cancelling %2")
                   .arg(nowMs(Loop::running()))
                   .arg(current_task()->cancelling());
    }
    probe << QStringLiteral("kids: %1 %2").arg(kids[0].result()).arg(kids[1].result());
  };
  v.loop.run_until_complete(main());
  // The children swallowed at 5ms and returned at once; the awaiter itself was never cancelled.
  COMPARE_LOG(probe.log, (QStringList{"caught CancelledError at 5ms, cancelling 0", "kids: 1 2"}));
}

void tst_Gather::aCancelledChildMakesTheGatherRaiseCancelledError()
{
  VirtualLoop v;
  Probe probe;
  Task<int> victim;
  Task<int> sibling;
  auto main = [&]() -> Coro<void> {
    victim = create_task(valueAfter(10ms, 1));
    sibling = create_task(valueAfter(20ms, 2));
    Loop::running().call_later(3ms, [&] { victim.cancel("victim"); });
    try {
      co_await gather(victim, sibling);
    } catch (const CancelledError& e) {
      probe << QStringLiteral("caught '%1' at %2ms, cancelling %3")
                   .arg(QString::fromStdString(e.message()))
                   .arg(nowMs(Loop::running()))
                   .arg(current_task()->cancelling());
    }
    probe
        << QStringLiteral("sibling = %1 at %2ms").arg(co_await sibling).arg(nowMs(Loop::running()));
  };
  Task<void> t = v.loop.create_task(main(), "awaiter");
  v.loop.run_until_complete(t);
  // Catching a CancelledError of someone else's cancellation is no swallow: the awaiter ends
  // normally, and the sibling was left running.
  COMPARE_LOG(probe.log,
              (QStringList{"caught 'victim' at 3ms, cancelling 0", "sibling = 2 at 20ms"}));
  QVERIFY(!t.cancelled());
  QCOMPARE(t.base().swallowed_count(), 0);
}

void tst_Gather::returnExceptionsReturnsEveryOutcomeAsAValue()
{
  VirtualLoop v;
  Probe probe;
  std::optional<std::tuple<Outcome<int>, Outcome<int>, Outcome<int>, Outcome<void>>> got;
  auto main = [&]() -> Coro<void> {
    Task<int> victim = create_task(valueAfter(10ms, 3));
    Loop::running().call_later(2ms, [victim]() mutable { victim.cancel("cut short"); });
    got.emplace(co_await gather(return_exceptions, valueAfter(4ms, 1), failAfter(1ms, "boom"),
                                victim, nothingAfter(3ms, probe)));
    probe << QStringLiteral("gather returned at %1ms").arg(nowMs(Loop::running()));
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, (QStringList{"void child done at 3ms", "gather returned at 4ms"}));
  QVERIFY(got.has_value());
  const auto& [a, b, c, d] = *got;
  QVERIFY(a.ok());
  QCOMPARE(a.value(), 1);
  QVERIFY(!b.ok());
  QVERIFY(!b.cancelled());
  QCOMPARE(describe(b.exception()), QStringLiteral("(anonymous namespace)::AppError: boom"));
  QVERIFY_THROWS_EXCEPTION(AppError, b.value());
  QVERIFY(!c.ok());
  QVERIFY(c.cancelled());
  QCOMPARE(describe(c.exception()), QStringLiteral("CancelledError: cut short"));
  QVERIFY(d.ok());
  QCOMPARE(Counted::alive(), 0);
}

void tst_Gather::returnExceptionsListForm()
{
  VirtualLoop v;
  std::vector<Outcome<int>> got;
  auto main = [&]() -> Coro<void> {
    std::vector<Coro<int>> coros;
    coros.push_back(failAfter(2ms, "x"));
    coros.push_back(valueAfter(1ms, 5));
    got = co_await gather(return_exceptions, std::move(coros));
  };
  v.loop.run_until_complete(main());
  QCOMPARE(got.size(), std::size_t{2});
  QVERIFY(!got[0].ok());
  QCOMPARE(describe(got[0].exception()), QStringLiteral("(anonymous namespace)::AppError: x"));
  QVERIFY(got[1].ok());
  QCOMPARE(got[1].value(), 5);
}

void tst_Gather::returnExceptionsHandsBackTheChildsOwnCancelledError_data()
{
  QTest::addColumn<int>("cancelAtMs");  // -1: before the child's first step
  QTest::addColumn<bool>("sameObject");
  QTest::addColumn<QString>("described");
  QTest::newRow("cancelled while sleeping: the error it ended with")
      << 2 << true << QStringLiteral("CancelledError: stop 0");
  QTest::newRow("cancelled before its first step: a new error with the message")
      << -1 << false << QStringLiteral("CancelledError: stop 0");
}

// asyncio's gather(return_exceptions=True) puts fut._make_cancelled_error() in the results; ours
// hands back the CancelledError the child's coroutine raised (no new exception per child), and
// that error stays valid after every task is gone.
void tst_Gather::returnExceptionsHandsBackTheChildsOwnCancelledError()
{
  QFETCH(int, cancelAtMs);
  QFETCH(bool, sameObject);
  QFETCH(QString, described);
  VirtualLoop v;
  std::vector<Outcome<int>> got;
  std::exception_ptr childsOwn;
  auto main = [&]() -> Coro<void> {
    std::vector<Task<int>> tasks;
    for (int i = 0; i < 3; ++i)
      tasks.push_back(create_task(valueAfter(10ms, i)));
    auto all = gather(return_exceptions, tasks);
    if (cancelAtMs < 0)
      tasks[0].cancel("stop 0");
    else
      Loop::running().call_later(std::chrono::milliseconds(cancelAtMs),
                                 [t = tasks[0]]() mutable { t.cancel("stop 0"); });
    got = co_await all;
    childsOwn = tasks[0].base().cancelled_error();
  };
  v.loop.run_until_complete(main());
  QCOMPARE(got.size(), std::size_t{3});
  QVERIFY(got[0].cancelled());
  QCOMPARE(describe(got[0].exception()), described);
  QCOMPARE(got[0].exception() == childsOwn, sameObject);
  QCOMPARE(got[1].value(), 1);
  QCOMPARE(got[2].value(), 2);
  // The tasks are gone; the error (bound to its task for swallow detection) is not.
  QCOMPARE(Counted::alive(), 0);
  const std::exception_ptr copy = got[0].exception();
  got.clear();
  childsOwn = nullptr;
  try {
    std::rethrow_exception(copy);
  } catch (const CancelledError& e) {
    const CancelledError kept = e;  // copying an error whose task is gone
    QCOMPARE(kept.message(), std::string("stop 0"));
  }
}

void tst_Gather::childrenAlreadyDoneCompleteTheGatherWithoutSuspending()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    Task<int> a = create_task(valueAfter(1ms, 1));
    Task<int> b = create_task(valueAfter(2ms, 2));
    co_await sleep(5ms);
    const std::uint32_t stepsBefore = current_task()->steps();
    auto g = gather(a, b);
    probe << QStringLiteral("done before await: %1").arg(g.done());
    auto [x, y] = co_await g;
    probe << QStringLiteral("%1 %2, steps %3")
                 .arg(x)
                 .arg(y)
                 .arg(current_task()->steps() - stepsBefore);
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, (QStringList{"done before await: 1", "1 2, steps 0"}));
}

void tst_Gather::emptyGatherReturnsAnEmptyResult()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    std::tuple<> none = co_await gather();
    std::vector<int> empty = co_await gather(std::vector<Task<int>>{});
    probe << QStringLiteral("%1 %2").arg(std::tuple_size_v<decltype(none)>).arg(empty.size());
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, QStringList{"0 0"});
}

void tst_Gather::severalTasksCanAwaitTheSameGather()
{
  VirtualLoop v;
  Probe probe;
  auto main = [&]() -> Coro<void> {
    auto g = gather(valueAfter(2ms, 4), valueAfter(1ms, 6));
    auto other = [&probe](Gather<std::tuple<int, int>> gg) -> Coro<void> {
      auto [p, q] = co_await gg;
      probe << QStringLiteral("other %1 %2").arg(p).arg(q);
    };
    Task<void> t = create_task(other(g));
    auto [x, y] = co_await g;
    probe << QStringLiteral("main %1 %2").arg(x).arg(y);
    co_await t;
    probe << QStringLiteral("result() %1").arg(std::get<0>(g.result()));
  };
  v.loop.run_until_complete(main());
  COMPARE_LOG(probe.log, (QStringList{"main 4 6", "other 4 6", "result() 4"}));
}

void tst_Gather::awaiterIsSuspendedOnTheGathersFuture()
{
  VirtualLoop v;
  std::uint32_t gatherId = 0;
  std::uint32_t mainId = 0;
  auto main = [&]() -> Coro<void> {
    mainId = current_task()->id();
    auto g = gather(sleepFor(1ms), sleepFor(2ms), sleepFor(3ms));
    gatherId = g.id();
    co_await g;
  };
  v.loop.run_until_complete(main());
  const auto events = v.decoded();
  int suspendedOnGather = 0;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::Suspended))
    if (d.ev.task == mainId) {
      QCOMPARE(d.ev.a8, std::uint8_t(AwaitKind::Future));
      QCOMPARE(d.ev.detail, std::uint64_t{gatherId});
      ++suspendedOnGather;
    }
  QCOMPARE(suspendedOnGather, 1);
  int labelled = 0;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::ObjectCreated))
    if (d.ev.detail == gatherId) {
      QCOMPARE(QString::fromStdString(d.text), QStringLiteral("gather(3)"));
      QCOMPARE(d.ev.a8, std::uint8_t(AwaitKind::Future));
      ++labelled;
    }
  QCOMPARE(labelled, 1);
  // The children are ordinary tasks whose parent is the awaiting task.
  int children = 0;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::TaskCreated))
    if (d.ev.detail == mainId)
      ++children;
  QCOMPARE(children, 3);
}

QTEST_GUILESS_MAIN(tst_Gather)
#include "tst_gather.moc"
