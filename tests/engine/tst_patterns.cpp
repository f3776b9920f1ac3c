// SPDX-License-Identifier: GPL-3.0-or-later
// Production asyncio patterns end to end, as the app's users write them, on a virtual clock with
// real signals.
#include "testsupport.h"

#include <QtTest>

#include <unistd.h>

#include <csignal>

using namespace loopscope::engine;
using namespace loopscope::testsupport;

namespace {

/// A worker: takes jobs until cancelled, then cleans up (100 ms) and re-raises — or, when
/// `swallows`, catches every cancellation and keeps working (the bug the app must expose).
Coro<void> worker(int index, Queue<int>& jobs, QStringList& log, bool swallows)
{
  for (;;) {
    std::exception_ptr cancelled;
    try {
      const int job = co_await jobs.get();
      co_await sleep(std::chrono::milliseconds(200 + 10 * job));
      jobs.task_done();
    } catch (const CancelledError&) {
      cancelled = std::current_exception();
    }
    if (cancelled) {
      if (swallows) {
        log << QStringLiteral("w%1 ignores the cancel").arg(index);
        continue;
      }
      log << QStringLiteral("w%1 cleanup").arg(index);
      co_await sleep(100ms);
      log << QStringLiteral("w%1 closed").arg(index);
      std::rethrow_exception(cancelled);
    }
  }
}

/// Feeds a job every 300 ms.
Coro<void> producer(Queue<int>& jobs)
{
  for (int i = 0;; ++i) {
    co_await jobs.put(i % 10);
    co_await sleep(300ms);
  }
}

}  // namespace

class tst_Patterns : public QObject
{
  Q_OBJECT

private slots:
  void signalStopEventCancelGather_data();
  void signalStopEventCancelGather();
  void swallowingWorkerHoldsShutdownUntilTheGraceDeadline();
  void blockingStepDelaysEveryOtherTask();
};

void tst_Patterns::signalStopEventCancelGather_data()
{
  QTest::addColumn<int>("signum");
  QTest::newRow("SIGINT") << int(SIGINT);
  QTest::newRow("SIGTERM") << int(SIGTERM);
}

void tst_Patterns::signalStopEventCancelGather()
{
  // The textbook service: N workers on a queue, SIGINT/SIGTERM handlers that set a stop event,
  // then cancel the workers and gather(return_exceptions=True) so every cleanup runs.
  QFETCH(int, signum);
  SavedDisposition keepInt(SIGINT);
  SavedDisposition keepTerm(SIGTERM);
  VirtualLoop v;
  QStringList log;
  int outcomes = -1;
  int cancelledOutcomes = -1;
  auto main = [](Loop& loop, int signum, QStringList& log, int& outcomes,
                 int& cancelledOutcomes) -> Coro<void> {
    Event stop(loop, "stop");
    Queue<int> jobs(loop, 4, "jobs");
    loop.add_signal_handler(SIGINT, [&] { stop.set(); });
    loop.add_signal_handler(SIGTERM, [&] { stop.set(); });
    auto feeder = create_task(producer(jobs), "producer");
    std::vector<Task<void>> workers;
    for (int i = 0; i < 5; ++i)
      workers.push_back(create_task(worker(i, jobs, log, false), "worker-" + std::to_string(i)));
    loop.call_later(2500ms, [signum] { ::kill(::getpid(), signum); });

    co_await stop.wait();
    log << QStringLiteral("stop at %1").arg(nowMs(loop));
    feeder.cancel();
    for (auto& w : workers)
      w.cancel();
    auto results = co_await gather(return_exceptions, std::move(workers));
    outcomes = int(results.size());
    cancelledOutcomes = 0;
    for (const auto& r : results)
      cancelledOutcomes += is_cancelled_error(r.exception()) ? 1 : 0;
    loop.remove_signal_handler(SIGINT);
    loop.remove_signal_handler(SIGTERM);
    log << QStringLiteral("clean exit at %1").arg(nowMs(loop));
  };
  v.loop.run_until_complete(main(v.loop, signum, log, outcomes, cancelledOutcomes));

  QCOMPARE(outcomes, 5);
  QCOMPARE(cancelledOutcomes, 5);
  QCOMPARE(log.first(), QStringLiteral("stop at 2500"));
  QCOMPARE(log.last(), QStringLiteral("clean exit at 2600"));  // the 100 ms cleanups overlap
  for (int i = 0; i < 5; ++i) {
    QVERIFY(log.contains(QStringLiteral("w%1 cleanup").arg(i)));
    QVERIFY(log.contains(QStringLiteral("w%1 closed").arg(i)));
  }
  QCOMPARE(v.loop.diagnostic_count(DiagnosticKind::SwallowedCancel), 0u);
  QCOMPARE(v.loop.task_count(), std::size_t{0});
  const auto received = eventsOfKind(v.decoded(), EventKind::SignalReceived);
  QCOMPARE(int(received.size()), 1);
  QCOMPARE(int(received[0].ev.arg), signum);
  QCOMPARE(received[0].ev.t_ns, qint64(2'500'000'000));
}

void tst_Patterns::swallowingWorkerHoldsShutdownUntilTheGraceDeadline()
{
  // The same service where worker 3 catches CancelledError and carries on: asyncio.run would
  // hang forever; the Runner gives up at the grace deadline and names the worker.
  SavedDisposition keepTerm(SIGTERM);
  VirtualLoop v;
  QStringList log;
  // Outside main's frame: the workers outlive main (Python's garbage collector would keep them).
  Event stop(v.loop, "stop");
  Queue<int> jobs(v.loop, 4, "jobs");
  Runner runner(v.loop, RunnerOptions{.grace = 30s});
  runner.run([](Loop& loop, QStringList& log, Event& stop, Queue<int>& jobs) -> Coro<void> {
    loop.add_signal_handler(SIGTERM, [&] { stop.set(); });
    create_task(producer(jobs), "producer");
    for (int i = 0; i < 5; ++i)
      create_task(worker(i, jobs, log, i == 3), "worker-" + std::to_string(i));
    loop.call_later(2s, [] { ::kill(::getpid(), SIGTERM); });
    co_await stop.wait();
    loop.remove_signal_handler(SIGTERM);
    // main returns: asyncio.run's shutdown cancels the rest
  }(v.loop, log, stop, jobs));
  const qint64 start = nowMs(v.loop);
  runner.close();
  QCOMPARE(nowMs(v.loop) - start, qint64(30'000));

  const RunReport& report = runner.report();
  QCOMPARE(report.exit_status, kExitGraceExpired);
  QCOMPARE(int(report.cancelled), 6);  // producer + 5 workers
  QCOMPARE(int(report.held.size()), 1);
  QCOMPARE(toQString(report.held[0].name), QStringLiteral("worker-3"));
  QCOMPARE(report.held[0].reason, ShutdownHold::SwallowedCancel);
  for (int i : {0, 1, 2, 4})
    QVERIFY(log.contains(QStringLiteral("w%1 closed").arg(i)));
  QVERIFY(log.contains("w3 ignores the cancel"));
  QVERIFY(!log.contains("w3 closed"));
  // The swallow itself was diagnosed when it happened, at the shutdown's start.
  const auto events = v.decoded();
  bool swallowSeen = false;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::Diagnostic))
    if (d.ev.a8 == std::uint8_t(DiagnosticKind::SwallowedCancel) && d.ev.task == report.held[0].id)
      swallowSeen = d.ev.t_ns / 1'000'000 == start;
  QVERIFY(swallowSeen);
}

void tst_Patterns::blockingStepDelaysEveryOtherTask()
{
  // A synchronous call inside a step (time.sleep, a CPU loop): the loop is blocked, no other task
  // runs, and the step is reported with its duration.
  VirtualLoop v;
  std::vector<qint64> tickerWakeups;
  std::uint32_t blockerId = 0;
  auto main = [](Loop& loop, std::vector<qint64>& wakeups, std::uint32_t& blockerId) -> Coro<void> {
    auto ticker = create_task(
        [](Loop& loop, std::vector<qint64>& wakeups) -> Coro<void> {
          for (int i = 0; i < 6; ++i) {
            co_await sleep(100ms);
            wakeups.push_back(nowMs(loop));
          }
        }(loop, wakeups),
        "ticker");
    auto blocker = create_task(
        [](Loop& loop) -> Coro<void> {
          co_await sleep(250ms);
          loop.clock().advance_to(to_ns(loop.now()) + 500'000'000);  // blocks for 500 ms
        }(loop),
        "blocker");
    blockerId = blocker.id();
    co_await ticker;
    co_await blocker;
  };
  v.loop.run_until_complete(main(v.loop, tickerWakeups, blockerId));
  // On time until the block at 250 ms; the wake-up due at 300 ms comes at 750 ms, and every later
  // one is shifted by the same 450 ms.
  QCOMPARE(tickerWakeups, (std::vector<qint64>{100, 200, 750, 850, 950, 1050}));
  const auto slow = eventsOfKind(v.decoded(), EventKind::SlowStep);
  QCOMPARE(int(slow.size()), 1);
  QCOMPARE(slow[0].ev.task, blockerId);
  QCOMPARE(qint64(slow[0].ev.detail), qint64(500'000'000));
}

QTEST_APPLESS_MAIN(tst_Patterns)
#include "tst_patterns.moc"
