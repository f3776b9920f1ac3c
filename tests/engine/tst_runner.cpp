// SPDX-License-Identifier: GPL-3.0-or-later
// Runner / run_main: asyncio.run's sequence, SIGINT handling, and the grace deadline.
#include "testsupport.h"

#include <QtTest>

#include <unistd.h>

#include <csignal>
#include <latch>

using namespace loopscope::engine;
using namespace loopscope::testsupport;

namespace {

/// A "blocking call" on a virtual clock: time passes inside the step, nothing else runs.
void blockFor(Loop& loop, Duration d)
{
  loop.clock().advance_to(to_ns(loop.now()) + d.count());
}

QStringList phases(const std::vector<DecodedEvent>& events)
{
  QStringList out;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::ShutdownPhase))
    out << QStringLiteral("%1(%2)")
               .arg(toQString(shutdown_phase_name(static_cast<ShutdownPhaseKind>(d.ev.a8))))
               .arg(d.ev.arg);
  return out;
}

/// A worker that sleeps until cancelled, then runs its cleanup and re-raises.
Coro<void> worker(QStringList& log, QString name, Duration cleanup)
{
  std::exception_ptr cancelled;
  try {
    co_await sleep(3600s);
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    log << name + " cleanup";
    co_await sleep(cleanup);
    log << name + " cleaned up";
    std::rethrow_exception(cancelled);
  }
}

Coro<void> nap(Duration d)
{
  co_await sleep(d);
}

/// Swallows every cancellation and keeps going for `total` (the classic hung shutdown).
Coro<void> swallower(QStringList& log, Duration total)
{
  const TimePoint end = Loop::running().now() + total;
  while (Loop::running().now() < end) {
    try {
      co_await sleep(1s);
    } catch (const CancelledError&) {
      log << "swallowed";
    }
  }
  log << "swallower gave up";
}

}  // namespace

class tst_Runner : public QObject
{
  Q_OBJECT

private slots:
  void runReturnsTheResultAndCloses();
  void closeCancelsAndAwaitsRemainingTasks_data();
  void closeCancelsAndAwaitsRemainingTasks();
  void errorsDuringShutdownAreReported();
  void withoutGraceShutdownWaitsAsLongAsItTakes();
  void graceDeadlineNamesTheTasksHoldingShutdown_data();
  void graceDeadlineNamesTheTasksHoldingShutdown();
  void abandonStopsAtOnceAndSkipsTheShutdown();
  void mainOutcomeSetsTheExitStatus_data();
  void mainOutcomeSetsTheExitStatus();
  void firstSigintCancelsMainSecondRaisesAtOnce_data();
  void firstSigintCancelsMainSecondRaisesAtOnce();
  void programsOwnSigintHandlerIsKept();
  void sigintDuringAHungShutdownInterruptsIt();
  void runMainOwnsItsLoop();
  void executorShutdownIsAPhase_data();
  void executorShutdownIsAPhase();
};

void tst_Runner::runReturnsTheResultAndCloses()
{
  VirtualLoop v;
  {
    Runner runner(v.loop);
    const int value = runner.run([]() -> Coro<int> {
      co_await sleep(2s);
      co_return 42;
    }());
    QCOMPARE(value, 42);
    QVERIFY(!runner.closed());
    runner.close();
    QVERIFY(runner.closed());
    QCOMPARE(runner.report().exit_status, kExitOk);
    QVERIFY_THROWS_EXCEPTION(RuntimeError, runner.run([]() -> Coro<void> {
      co_return;
    }()));
  }
  COMPARE_LOG(phases(v.decoded()), (QStringList{"main done(0)", "closed(0)"}));
  QVERIFY(!v.loop.has_signal_handler(SIGINT));  // the runner's SIGINT handler is gone
}

void tst_Runner::closeCancelsAndAwaitsRemainingTasks_data()
{
  QTest::addColumn<int>("workers");
  QTest::addColumn<int>("cleanupMs");
  QTest::newRow("one worker, instant cleanup") << 1 << 0;
  QTest::newRow("five workers, 2 s cleanup each") << 5 << 2000;
}

void tst_Runner::closeCancelsAndAwaitsRemainingTasks()
{
  // asyncio.run: main returns while workers still run; closing cancels them all and waits for
  // every cleanup (they run concurrently: the shutdown takes one cleanup's time, not the sum).
  QFETCH(int, workers);
  QFETCH(int, cleanupMs);
  VirtualLoop v;
  QStringList log;
  Runner runner(v.loop);
  runner.run([&]() -> Coro<void> {
    for (int i = 0; i < workers; ++i)
      v.loop.create_task(
          worker(log, QStringLiteral("w%1").arg(i), std::chrono::milliseconds(cleanupMs)));
    co_await sleep(1s);
  }());
  const qint64 before = nowMs(v.loop);
  runner.close();
  QCOMPARE(nowMs(v.loop) - before, qint64(cleanupMs));
  QCOMPARE(int(runner.report().cancelled), workers);
  QCOMPARE(runner.report().exit_status, kExitOk);
  QCOMPARE(int(log.filter(QRegularExpression(" cleaned up$")).size()), workers);
  QCOMPARE(v.loop.task_count(), std::size_t{0});
  const QString n = QString::number(workers);
  COMPARE_LOG(phases(v.decoded()),
              (QStringList{"main done(" + n + ")", "cancelling tasks(" + n + ")",
                           "awaiting tasks(" + n + ")", "closed(0)"}));
  // Every cancel came from the shutdown.
  for (const DecodedEvent& d : eventsOfKind(v.decoded(), EventKind::CancelRequested))
    QCOMPARE(int(d.ev.a8), int(CancelSource::Shutdown));
}

void tst_Runner::errorsDuringShutdownAreReported()
{
  VirtualLoop v;
  QStringList handled;
  v.loop.set_exception_handler([&](std::string_view context, std::exception_ptr e) {
    handled << toQString(context) + ": " + describe(e);
  });
  Runner runner(v.loop);
  runner.run([&]() -> Coro<void> {
    v.loop.create_task(
        []() -> Coro<void> {
          try {
            co_await sleep(1h);
          } catch (const CancelledError&) {
          }
          throw std::runtime_error("cleanup failed");
        }(),
        "flaky");
    co_await sleep(0s);
  }());
  runner.close();
  QCOMPARE(int(runner.report().shutdown_errors.size()), 1);
  QCOMPARE(describe(runner.report().shutdown_errors[0]),
           QStringLiteral("std::runtime_error: cleanup failed"));
  COMPARE_LOG(handled, (QStringList{"unhandled exception during shutdown (flaky): "
                                    "std::runtime_error: cleanup failed"}));
  QCOMPARE(runner.report().exit_status, kExitOk);  // as asyncio.run: logged, not raised
}

void tst_Runner::withoutGraceShutdownWaitsAsLongAsItTakes()
{
  // asyncio has no deadline: a task that swallows its cancellation holds shutdown for as long as
  // it runs (here it gives up after 100 s; in real programs often never).
  VirtualLoop v;
  QStringList log;
  Runner runner(v.loop);
  runner.run([&]() -> Coro<void> {
    v.loop.create_task(swallower(log, 100s), "stubborn");
    co_await sleep(0s);
  }());
  const qint64 before = nowMs(v.loop);
  runner.close();
  QCOMPARE(nowMs(v.loop) - before, qint64(100'000));
  COMPARE_LOG(log, (QStringList{"swallowed", "swallower gave up"}));
  QCOMPARE(runner.report().exit_status, kExitOk);
  QVERIFY(runner.report().held.empty());
  QCOMPARE(v.loop.diagnostic_count(DiagnosticKind::SwallowedCancel), 1u);
}

void tst_Runner::graceDeadlineNamesTheTasksHoldingShutdown_data()
{
  QTest::addColumn<QString>("culprit");
  QTest::addColumn<int>("reason");
  QTest::addColumn<int>("endMs");  // when close() returns, from its start
  QTest::newRow("swallowed CancelledError")
      << "swallower" << int(ShutdownHold::SwallowedCancel) << 30'000;
  QTest::newRow("blocking step past the deadline")
      << "blocker" << int(ShutdownHold::Blocking) << 45'000;
  QTest::newRow("slow cleanup") << "slow" << int(ShutdownHold::Waiting) << 30'000;
  QTest::newRow("shielded cleanup") << "shielded" << int(ShutdownHold::Shielded) << 30'000;
}

void tst_Runner::graceDeadlineNamesTheTasksHoldingShutdown()
{
  QFETCH(QString, culprit);
  QFETCH(int, reason);
  QFETCH(int, endMs);
  VirtualLoop v;
  QStringList log;
  Runner runner(v.loop, RunnerOptions{.grace = 30s});
  runner.run([&]() -> Coro<void> {
    v.loop.create_task(worker(log, "polite", 1s), "polite");  // done in time
    if (culprit == "swallower") {
      v.loop.create_task(swallower(log, 1h), "swallower");
    } else if (culprit == "blocker") {
      // Parameters, not captures: the lambda object is gone once the task runs.
      v.loop.create_task(
          [](Loop& loop) -> Coro<void> {
            std::exception_ptr cancelled;
            try {
              co_await sleep(1h);
            } catch (const CancelledError&) {
              cancelled = std::current_exception();
            }
            blockFor(loop, 45s);  // a synchronous cleanup call
            co_await sleep(10s);
            std::rethrow_exception(cancelled);
          }(v.loop),
          "blocker");
    } else if (culprit == "shielded") {
      // Its cleanup must not be interrupted, so it runs in a shielded task of its own.
      v.loop.create_task(
          []() -> Coro<void> {
            std::exception_ptr cancelled;
            try {
              co_await sleep(1h);
            } catch (const CancelledError&) {
              cancelled = std::current_exception();
            }
            co_await shield(create_task(nap(60s), "flush"));
            std::rethrow_exception(cancelled);
          }(),
          "shielded");
    } else {
      v.loop.create_task(worker(log, "slow", 60s), "slow");
    }
    co_await sleep(0s);
  }());
  const qint64 before = nowMs(v.loop);
  runner.close();
  QCOMPARE(nowMs(v.loop) - before, qint64(endMs));
  const RunReport& report = runner.report();
  QVERIFY(report.grace_expired);
  QCOMPARE(report.exit_status, kExitGraceExpired);
  QCOMPARE(int(report.held.size()), 1);
  QCOMPARE(toQString(report.held[0].name), culprit);
  QCOMPARE(int(report.held[0].reason), reason);
  QVERIFY2(toQString(report.held[0].explanation).contains(culprit),
           report.held[0].explanation.c_str());
  QVERIFY(log.contains("polite cleaned up"));

  const auto events = v.decoded();
  const auto held = eventsOfKind(events, EventKind::Diagnostic);
  QCOMPARE(int(std::count_if(held.begin(), held.end(),
                             [&](const DecodedEvent& d) {
                               return d.ev.a8 == std::uint8_t(DiagnosticKind::ShutdownHeld) &&
                                      d.ev.task == report.held[0].id && int(d.ev.arg) == reason;
                             })),
           1);
  COMPARE_LOG(phases(events),
              (QStringList{"main done(2)", "cancelling tasks(2)", "awaiting tasks(2)",
                           "grace expired(1)", "closed(124)"}));
  // The Awaiting phase tells a viewer when the grace deadline falls.
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::ShutdownPhase))
    if (d.ev.a8 == std::uint8_t(ShutdownPhaseKind::Awaiting))
      QCOMPARE(static_cast<std::int64_t>(d.ev.detail) / 1'000'000, before + 30'000);
}

void tst_Runner::abandonStopsAtOnceAndSkipsTheShutdown()
{
  VirtualLoop v;
  QStringList log;
  Runner runner(v.loop);  // no grace deadline: a swallower would hold close() forever
  bool raised = false;
  try {
    runner.run([&]() -> Coro<void> {
      v.loop.create_task(swallower(log, 1h), "swallower");
      v.loop.call_later(5s, [&] { runner.abandon(); });
      co_await sleep(1h);
    }());
  } catch (const RuntimeError& e) {
    raised = QString::fromUtf8(e.what()).contains("Event loop stopped before Future completed");
  }
  QVERIFY(raised);
  QCOMPARE(nowMs(v.loop), qint64(5'000));
  runner.close();
  QVERIFY(runner.abandoned());
  QCOMPARE(nowMs(v.loop), qint64(5'000));  // nothing awaited
  QVERIFY(!log.contains("swallowed"));     // nothing cancelled
  COMPARE_LOG(phases(v.decoded()), (QStringList{"closed(1)"}));
}

void tst_Runner::mainOutcomeSetsTheExitStatus_data()
{
  QTest::addColumn<int>("outcome");  // 0 return, 1 error, 2 SystemExit(5), 3 cancelled
  QTest::addColumn<int>("status");
  QTest::newRow("returns") << 0 << kExitOk;
  QTest::newRow("raises an error") << 1 << kExitFailed;
  QTest::newRow("SystemExit(5)") << 2 << 5;
  QTest::newRow("cancelled by itself") << 3 << kExitFailed;
}

void tst_Runner::mainOutcomeSetsTheExitStatus()
{
  QFETCH(int, outcome);
  QFETCH(int, status);
  VirtualLoop v;
  Runner runner(v.loop);
  bool threw = false;
  try {
    runner.run([](int how) -> Coro<void> {
      co_await sleep(1s);
      if (how == 1)
        throw std::runtime_error("boom");
      if (how == 2)
        throw SystemExit(5);
      if (how == 3) {
        current_task()->cancel();
        co_await sleep(1s);
      }
    }(outcome));
  } catch (...) {
    threw = true;
  }
  runner.close();
  QCOMPARE(threw, outcome != 0);
  QCOMPARE(runner.report().exit_status, status);
  QCOMPARE(bool(runner.report().error), outcome != 0);
}

void tst_Runner::firstSigintCancelsMainSecondRaisesAtOnce_data()
{
  QTest::addColumn<bool>("mainSwallows");
  QTest::addColumn<int>("endMs");
  QTest::addColumn<QStringList>("expected");
  QTest::newRow("main honours the cancel")
      << false << 1000 << QStringList{"main cancelled at 1000", "KeyboardInterrupt"};
  QTest::newRow("main swallows it: the second SIGINT ends the run")
      << true << 3000 << QStringList{"main swallowed at 1000", "KeyboardInterrupt"};
}

void tst_Runner::firstSigintCancelsMainSecondRaisesAtOnce()
{
  SavedDisposition keep(SIGINT);
  QFETCH(bool, mainSwallows);
  QFETCH(int, endMs);
  QFETCH(QStringList, expected);
  VirtualLoop v;
  QStringList log;
  Runner runner(v.loop);
  v.loop.call_later(1s, [] { ::kill(::getpid(), SIGINT); });
  v.loop.call_later(3s, [] { ::kill(::getpid(), SIGINT); });
  try {
    runner.run([&]() -> Coro<void> {
      try {
        co_await sleep(60s);
      } catch (const CancelledError&) {
        log << QStringLiteral("main %1 at %2")
                   .arg(mainSwallows ? "swallowed" : "cancelled")
                   .arg(nowMs(v.loop));
        if (!mainSwallows)
          throw;
      }
      co_await sleep(60s);
    }());
  } catch (const KeyboardInterrupt&) {
    log << "KeyboardInterrupt";
  }
  QCOMPARE(nowMs(v.loop), qint64(endMs));
  COMPARE_LOG(log, expected);
  QVERIFY(runner.report().interrupted);
  QCOMPARE(runner.report().exit_status, kExitInterrupted);
  QVERIFY(!v.loop.has_signal_handler(SIGINT));
  runner.close();  // the swallowing main is still pending: cancelled again, now it ends
  QCOMPARE(runner.report().exit_status, kExitInterrupted);
  const auto received = eventsOfKind(v.decoded(), EventKind::SignalReceived);
  QCOMPARE(int(received.size()), mainSwallows ? 2 : 1);
}

void tst_Runner::programsOwnSigintHandlerIsKept()
{
  // asyncio.Runner only installs its handler when SIGINT has the default one.
  SavedDisposition keep(SIGINT);
  VirtualLoop v;
  int own = 0;
  v.loop.add_signal_handler(SIGINT, [&] { ++own; });
  Runner runner(v.loop);
  const int result = runner.run([&]() -> Coro<int> {
    ::kill(::getpid(), SIGINT);
    co_await sleep(1s);
    co_return 7;
  }());
  QCOMPARE(result, 7);
  QCOMPARE(own, 1);
  QVERIFY(v.loop.has_signal_handler(SIGINT));
  QVERIFY(v.loop.remove_signal_handler(SIGINT));
}

void tst_Runner::sigintDuringAHungShutdownInterruptsIt()
{
  // asyncio: after run() the default SIGINT handler raises KeyboardInterrupt, so a Ctrl-C ends a
  // shutdown that a swallowing task holds up. Without a grace deadline nothing else would.
  SavedDisposition keep(SIGINT);
  VirtualLoop v;
  QStringList log;
  Runner runner(v.loop);
  runner.run([&]() -> Coro<void> {
    v.loop.create_task(swallower(log, 1h), "swallower");
    co_await sleep(1s);
  }());
  QVERIFY(!v.loop.has_signal_handler(SIGINT));  // between run() and close(): none
  v.loop.call_later(10s, [] { ::kill(::getpid(), SIGINT); });
  runner.close();
  QCOMPARE(nowMs(v.loop), qint64(11'000));
  QVERIFY(log.contains("swallowed"));
  QVERIFY(!log.contains("swallower gave up"));
  QVERIFY(runner.report().interrupted);
  QCOMPARE(runner.report().exit_status, kExitInterrupted);
  QVERIFY(!v.loop.has_signal_handler(SIGINT));  // removed again
  COMPARE_LOG(phases(v.decoded()),
              (QStringList{"main done(1)", "cancelling tasks(1)", "awaiting tasks(1)",
                           "signal received(2)", "closed(130)"}));
}

void tst_Runner::runMainOwnsItsLoop()
{
  RunReport report;
  QStringList log;
  const int status = run_main(
      [&]() -> Coro<void> {
        create_task(worker(log, "w", 5s));
        co_await sleep(1s);
        throw std::runtime_error("main failed");
      }(),
      RunnerOptions{.grace = 10s}, &report, std::make_unique<VirtualClock>());
  QCOMPARE(status, kExitFailed);
  QCOMPARE(describe(report.error), QStringLiteral("std::runtime_error: main failed"));
  QCOMPARE(int(report.cancelled), 1);
  COMPARE_LOG(log, (QStringList{"w cleanup", "w cleaned up"}));
}

void tst_Runner::executorShutdownIsAPhase_data()
{
  QTest::addColumn<bool>("jobBlocks");
  QTest::addColumn<int>("status");
  QTest::addColumn<QStringList>("expected");
  QTest::newRow("jobs done: the pool is joined")
      << false << kExitOk << QStringList{"main done(0)", "executor shutdown(0)", "closed(0)"};
  QTest::newRow("a job still blocks at the grace deadline")
      << true << kExitGraceExpired
      << QStringList{"main done(1)",         "cancelling tasks(1)", "awaiting tasks(1)",
                     "executor shutdown(0)", "grace expired(0)",    "closed(124)"};
}

void tst_Runner::executorShutdownIsAPhase()
{
  QFETCH(bool, jobBlocks);
  QFETCH(int, status);
  QFETCH(QStringList, expected);
  // A real clock: worker threads take real time, which a virtual clock would jump over (the
  // grace deadline would pass before the pool had a chance to join).
  VectorSink sink;
  Loop loop;
  loop.set_sink(&sink);
  std::latch release(1);
  {
    Runner runner(loop, RunnerOptions{.grace = 500ms});
    std::latch started(1);
    const int value =
        runner.run([](bool blocks, std::latch& started, std::latch& release) -> Coro<int> {
          const int quick = co_await to_thread([] { return 7; });
          if (blocks) {
            // Awaited by a task of its own that main leaves behind: cancelling that task does
            // not stop the thread (as in Python).
            create_task(
                [](std::latch& started, std::latch& release) -> Coro<void> {
                  co_await to_thread([&] {
                    started.count_down();
                    release.wait();
                  });
                }(started, release),
                "waits for a thread");
            co_await sleep(0s);
            started.wait();  // the job runs (a queued one would just be dropped)
          }
          co_return quick;
        }(jobBlocks, started, release));
    QCOMPARE(value, 7);
    runner.close();
    QCOMPARE(runner.report().exit_status, status);
    release.count_down();
  }
  loop.flush_trace();
  COMPARE_LOG(phases(TraceDecoder::decode(sink.events())), expected);
}

QTEST_APPLESS_MAIN(tst_Runner)
#include "tst_runner.moc"
