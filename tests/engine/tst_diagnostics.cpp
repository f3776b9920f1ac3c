// SPDX-License-Identifier: GPL-3.0-or-later
// Problems the engine detects by itself, each reported as a Diagnostic event.
#include "testsupport.h"

#include <QtTest>

#include <map>
#include <optional>

using namespace loopscope::engine;
using namespace loopscope::testsupport;

namespace {

std::vector<DecodedEvent> diagnostics(VirtualLoop& v, DiagnosticKind kind)
{
  std::vector<DecodedEvent> out;
  for (const DecodedEvent& d : eventsOfKind(v.decoded(), EventKind::Diagnostic))
    if (d.ev.a8 == static_cast<std::uint8_t>(kind))
      out.push_back(d);
  return out;
}

Coro<int> failSoon()
{
  co_await sleep(1s);
  throw std::runtime_error("lost");
}

}  // namespace

class tst_Diagnostics : public QObject
{
  Q_OBJECT

private slots:
  void unretrievedException_data();
  void unretrievedException();
  void lostWakeupWhenTheLastCompleterIsDropped_data();
  void lostWakeupWhenTheLastCompleterIsDropped();
  void deadlockNamesEveryStuckTask();
  void swallowedCancellation();
  void caughtButAnotherCancelPendingIsNoSwallow_data();
  void caughtButAnotherCancelPendingIsNoSwallow();
  void neverYields_data();
  void neverYields();
};

void tst_Diagnostics::unretrievedException_data()
{
  QTest::addColumn<QString>("how");
  QTest::addColumn<int>("reported");
  QTest::newRow("fire and forget") << "forget" << 1;
  QTest::newRow("handle kept, never looked at") << "keep" << 1;
  QTest::newRow("awaited") << "await" << 0;
  QTest::newRow("result() called") << "result" << 0;
  QTest::newRow("exception() called") << "exception" << 0;
  QTest::newRow("task returned normally") << "ok" << 0;
}

void tst_Diagnostics::unretrievedException()
{
  // asyncio: "Task exception was never retrieved" when a failed task is collected unseen.
  QFETCH(QString, how);
  QFETCH(int, reported);
  VirtualLoop v;
  QStringList handled;
  v.loop.set_exception_handler([&](std::string_view context, std::exception_ptr e) {
    handled << toQString(context) + " " + describe(e);
  });
  std::uint32_t id = 0;
  auto main = [](QString how, std::uint32_t& id) -> Coro<void> {
    if (how == "ok") {
      id = create_task([]() -> Coro<void> {
             co_await sleep(1s);
           }())
               .id();
      co_await sleep(2s);
      co_return;
    }
    auto t = create_task(failSoon(), "doomed");
    id = t.id();
    if (how == "forget")
      t = {};
    if (how == "await") {
      try {
        co_await t;
      } catch (const std::runtime_error&) {
      }
    }
    co_await sleep(2s);
    if (how == "result") {
      try {
        t.result();
      } catch (const std::runtime_error&) {
      }
    }
    if (how == "exception")
      (void)t.exception();
    // "keep": the handle goes when main returns, still on the running loop
  };
  v.loop.run_until_complete(main(how, id));
  QCOMPARE(int(v.loop.diagnostic_count(DiagnosticKind::UnretrievedException)), reported);
  const auto events = diagnostics(v, DiagnosticKind::UnretrievedException);
  QCOMPARE(int(events.size()), reported);
  QCOMPARE(int(handled.size()), reported);
  if (reported == 1) {
    QCOMPARE(events[0].ev.task, id);
    QCOMPARE(toQString(events[0].text),
             QStringLiteral("Task exception was never retrieved: doomed raised "
                            "std::runtime_error: lost"));
    QCOMPARE(handled[0], QStringLiteral("Task exception was never retrieved (doomed) "
                                        "std::runtime_error: lost"));
  }
}

void tst_Diagnostics::lostWakeupWhenTheLastCompleterIsDropped_data()
{
  QTest::addColumn<bool>("completeIt");
  QTest::addColumn<int>("reported");
  QTest::newRow("request dropped without an answer") << false << 2;
  QTest::newRow("request answered") << true << 0;
}

void tst_Diagnostics::lostWakeupWhenTheLastCompleterIsDropped()
{
  // A classic bug: a table of pending requests loses an entry (a timeout path, a reconnect) and
  // whoever awaits that request's future sleeps forever.
  QFETCH(bool, completeIt);
  QFETCH(int, reported);
  VirtualLoop v;
  std::map<int, Future<int>> pending;
  pending.emplace(1, Future<int>(v.loop));
  std::vector<std::uint32_t> waiters;
  auto waiter = [](std::map<int, Future<int>>& pending) -> Coro<int> {
    Future<int>* f = &pending.at(1);
    co_return co_await *f;  // no handle of its own: only the table can complete it
  };
  auto main = [&](std::map<int, Future<int>>& pending,
                  std::vector<std::uint32_t>& waiters) -> Coro<void> {
    auto a = create_task(waiter(pending), "client-a");
    auto b = create_task(waiter(pending), "client-b");
    waiters = {a.id(), b.id()};
    co_await sleep(1s);
    if (completeIt)
      pending.at(1).set_result(5);
    pending.erase(1);  // the entry goes, answered or not
    co_await sleep(1s);
    if (completeIt) {
      co_await a;
      co_await b;
    } else {
      a.cancel();
      b.cancel();
    }
  };
  v.loop.run_until_complete(main(pending, waiters));
  QCOMPARE(int(v.loop.diagnostic_count(DiagnosticKind::LostWakeup)), reported);
  const auto events = diagnostics(v, DiagnosticKind::LostWakeup);
  QCOMPARE(int(events.size()), reported);
  for (int i = 0; i < reported; ++i) {
    QCOMPARE(events[std::size_t(i)].ev.task, waiters[std::size_t(i)]);
    QCOMPARE(nowMs(v.loop) - 1000, events[std::size_t(i)].ev.t_ns / 1'000'000);
    QVERIFY(toQString(events[std::size_t(i)].text).contains("will never wake up"));
  }
}

void tst_Diagnostics::deadlockNamesEveryStuckTask()
{
  // Two tasks each wait for the other's event: nothing can ever wake either. The virtual loop
  // reports both before it gives up with LoopStalled.
  VirtualLoop v;
  Event first(v.loop);
  Event second(v.loop);
  auto a = v.loop.create_task(
      [](Event& mine, Event& theirs) -> Coro<void> {
        co_await theirs.wait();
        mine.set();
      }(first, second),
      "alpha");
  auto b = v.loop.create_task(
      [](Event& mine, Event& theirs) -> Coro<void> {
        co_await theirs.wait();
        mine.set();
      }(second, first),
      "beta");
  QVERIFY_THROWS_EXCEPTION(LoopStalled, v.loop.run_until_complete(a));
  const auto events = diagnostics(v, DiagnosticKind::LostWakeup);
  QCOMPARE(int(events.size()), 2);
  QStringList named;
  for (const auto& d : events)
    named << toQString(d.text).section(QLatin1Char(' '), 1, 1);
  named.sort();
  QCOMPARE(named, (QStringList{"alpha", "beta"}));
  QCOMPARE(events[0].ev.detail == second.id() || events[0].ev.detail == first.id(), true);
}

void tst_Diagnostics::swallowedCancellation()
{
  VirtualLoop v;
  auto main = []() -> Coro<void> {
    auto t = create_task(
        []() -> Coro<void> {
          try {
            co_await sleep(10s);
          } catch (const CancelledError&) {
          }
          co_await sleep(1s);
        }(),
        "stubborn");
    co_await sleep(1s);
    t.cancel();
    co_await t;
  };
  v.loop.run_until_complete(main());
  QCOMPARE(v.loop.diagnostic_count(DiagnosticKind::SwallowedCancel), 1u);
  const auto events = diagnostics(v, DiagnosticKind::SwallowedCancel);
  QCOMPARE(int(events.size()), 1);
  QVERIFY(toQString(events[0].text).startsWith("Task stubborn caught CancelledError"));
  QCOMPARE(events[0].ev.t_ns, qint64(1'000'000'000));
}

void tst_Diagnostics::caughtButAnotherCancelPendingIsNoSwallow_data()
{
  QTest::addColumn<bool>("cancelAgain");
  QTest::addColumn<int>("swallowed");
  QTest::addColumn<bool>("endsCancelled");
  QTest::newRow("caught and forgotten") << false << 1 << false;
  QTest::newRow("caught while another cancel is pending") << true << 0 << true;
}

void tst_Diagnostics::caughtButAnotherCancelPendingIsNoSwallow()
{
  // A delivered CancelledError dies during a step in which a new cancel arrives (e.g. a
  // TaskGroup's ExceptionGroup is caught while an outside cancel is pending): the pending one is
  // thrown at the next await, so nothing is being ignored.
  QFETCH(bool, cancelAgain);
  QFETCH(int, swallowed);
  QFETCH(bool, endsCancelled);
  VirtualLoop v;
  auto t = v.loop.create_task(
      [](bool again) -> Coro<void> {
        try {
          co_await sleep(10s);
        } catch (const CancelledError&) {
          if (again)
            current_task()->cancel("again");
        }
        co_await sleep(1s);
      }(cancelAgain),
      "worker");
  v.loop.call_later(1s, [t]() mutable { t.cancel("first"); });
  try {
    v.loop.run_until_complete(t);
  } catch (const CancelledError&) {
  }
  QCOMPARE(t.cancelled(), endsCancelled);
  QCOMPARE(int(v.loop.diagnostic_count(DiagnosticKind::SwallowedCancel)), swallowed);
}

void tst_Diagnostics::neverYields_data()
{
  QTest::addColumn<int>("blockMs");
  QTest::addColumn<int>("reported");
  QTest::addColumn<int>("slowSteps");
  QTest::newRow("below the slow-callback duration") << 50 << 0 << 0;
  QTest::newRow("slow step, but it yields in time") << 300 << 0 << 1;
  QTest::newRow("never yields for 2 s") << 2000 << 1 << 1;
}

void tst_Diagnostics::neverYields()
{
  QFETCH(int, blockMs);
  QFETCH(int, reported);
  QFETCH(int, slowSteps);
  VirtualLoop v;
  v.loop.set_never_yield_threshold(1s);
  auto main = [](Loop& loop, int blockMs) -> Coro<void> {
    co_await sleep(1s);
    // A blocking call: virtual time passes inside the step.
    loop.clock().advance_to(to_ns(loop.now()) + std::int64_t{blockMs} * 1'000'000);
    co_await sleep(1s);
  };
  v.loop.run_until_complete(main(v.loop, blockMs));
  QCOMPARE(int(v.loop.diagnostic_count(DiagnosticKind::NeverYields)), reported);
  const auto events = v.decoded();
  QCOMPARE(int(eventsOfKind(events, EventKind::SlowStep).size()), slowSteps);
  const auto diag = diagnostics(v, DiagnosticKind::NeverYields);
  QCOMPARE(int(diag.size()), reported);
  if (reported == 1) {
    QCOMPARE(qint64(diag[0].ev.detail), qint64(blockMs) * 1'000'000);
    QVERIFY(toQString(diag[0].text).contains("ran 2000 ms without yielding"));
  }
}

QTEST_APPLESS_MAIN(tst_Diagnostics)
#include "tst_diagnostics.moc"
