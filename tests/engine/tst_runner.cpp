// SPDX-License-Identifier: GPL-3.0-or-later
// Runner / run_main: asyncio.run's sequence, SIGINT handling, and the grace deadline.
#include "testsupport.h"

#include <QtTest>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <latch>
#include <memory>
#include <thread>

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

/// SIGINTs that reached the process while no loop handled SIGINT: in a program with the default
/// disposition, each of them would have killed it.
std::atomic<int> g_unhandledSigints{0};
extern "C" void countUnhandledSigint(int)
{
  g_unhandledSigints.fetch_add(1, std::memory_order_relaxed);
}

/// Stands in for the default disposition while a test runs: counts instead of killing.
struct CountingDisposition
{
  SavedDisposition keep{SIGINT};
  CountingDisposition()
  {
    g_unhandledSigints = 0;
    struct sigaction sa
    {};
    sa.sa_handler = &countUnhandledSigint;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
  }
};

/// `n` SIGINTs, really raised, back to back, from a thread of their own: each raise() runs the
/// process's handler on that thread before it returns (a thread-directed signal is delivered at
/// once, so none merges with another). Returns once all were delivered.
void sigintStorm(int n)
{
  std::thread storm([n] {
    for (int i = 0; i < n; ++i)
      std::raise(SIGINT);
  });
  storm.join();
}

constexpr int kStorm = 100;  // SIGINTs per storm

enum class StormAt { WhileMainRuns, BetweenRunAndClose, WhileShutdownWaits };

/// A task whose cancellation cleanup takes `cleanup`; at its start, optionally a SIGINT storm.
Coro<void> cleansUpSlowly(QStringList& log, Duration cleanup, int stormSize)
{
  std::exception_ptr cancelled;
  try {
    co_await sleep(3600s);
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  log << "cleanup starts";
  if (stormSize > 0)
    sigintStorm(stormSize);
  co_await sleep(cleanup);
  log << "cleanup done";
  std::rethrow_exception(cancelled);
}

/// The kinds of callback the engine runs user code from, each made to throw.
enum class Thrower {
  CallSoon,
  CallAt,
  CallSoonThreadsafe,
  FdReader,
  SignalHandler,
  TaskDoneCallback,
  FutureDoneCallback,
  ExecutorJob,
  FireAndForgetTask,
  TaskGroupChild,
  CancelledTaskCleanup,
  AfterTimeout,
  ExceptionHandlerItself,
};

Coro<void> failsAfter(Duration d, const char* what)
{
  co_await sleep(d);
  throw std::runtime_error(what);
}

Coro<void> awaitsAFailingJob()
{
  auto job = to_thread([] { throw std::runtime_error("job failed"); });
  co_await job;
}

Coro<void> cleanupFailsWhenCancelled()
{
  bool cancelled = false;
  try {
    co_await sleep(3600s);
  } catch (const CancelledError&) {
    cancelled = true;
  }
  if (cancelled)
    throw std::runtime_error("cleanup failed");
}

Coro<void> failsAfterItsTimeout()
{
  bool timedOut = false;
  try {
    co_await wait_for(nap(10s), 1s);
  } catch (const TimeoutError&) {
    timedOut = true;
  }
  if (timedOut)
    throw std::runtime_error("handling the timeout failed");
}

/// Main of the throwing scenario: arms one thrower, then checks the loop still runs callbacks
/// and tasks for a while, then returns.
Coro<void> armsAThrower(Thrower kind, QStringList& log, int pipeRead, int pipeWrite)
{
  Loop& loop = Loop::running();
  switch (kind) {
    case Thrower::CallSoon:
      loop.call_soon([] { throw std::runtime_error("call_soon"); });
      break;
    case Thrower::CallAt:
      loop.call_at(loop.now() + 500ms, [] { throw std::runtime_error("call_at"); });
      break;
    case Thrower::CallSoonThreadsafe: {
      std::thread other(
          [&loop] { loop.call_soon_threadsafe([] { throw std::runtime_error("threadsafe"); }); });
      other.join();
      break;
    }
    case Thrower::FdReader: {
      [[maybe_unused]] const ssize_t n = ::write(pipeWrite, "x", 1);
      loop.add_reader(pipeRead, [&loop, pipeRead] {
        loop.remove_reader(pipeRead);
        throw std::runtime_error("reader");
      });
      break;
    }
    case Thrower::SignalHandler:
      loop.add_signal_handler(SIGUSR1, [&loop] {
        loop.remove_signal_handler(SIGUSR1);
        throw std::runtime_error("signal handler");
      });
      std::raise(SIGUSR1);
      break;
    case Thrower::TaskDoneCallback: {
      Task<void> t = create_task(nap(100ms), "napper");
      t.add_done_callback([](TaskBase&) { throw std::runtime_error("done callback"); });
      break;
    }
    case Thrower::FutureDoneCallback: {
      Future<int> f(loop);
      f.add_done_callback([] { throw std::runtime_error("future callback"); });
      f.set_result(1);
      break;
    }
    case Thrower::ExecutorJob: {
      // The worker takes real time, which a virtual clock would jump over: wait for it.
      Task<void> t = create_task(awaitsAFailingJob(), "job awaiter");
      while (!t.done())
        co_await sleep(0s);
      break;  // the last handle goes: nobody retrieved the exception
    }
    case Thrower::FireAndForgetTask:
      create_task(failsAfter(100ms, "fire and forget"), "forgotten");
      break;
    case Thrower::TaskGroupChild:
      try {
        co_await task_group([](TaskGroup& tg) -> Coro<void> {
          tg.create_task(failsAfter(100ms, "child"), "child");
          co_await sleep(1h);
        });
      } catch (const ExceptionGroup&) {
        log << "main caught: " + describe(std::current_exception());
      }
      break;
    case Thrower::CancelledTaskCleanup:
      create_task(cleanupFailsWhenCancelled(), "cleaner");  // cancelled by the shutdown
      break;
    case Thrower::AfterTimeout:
      create_task(failsAfterItsTimeout(), "timed");
      break;
    case Thrower::ExceptionHandlerItself:
      loop.set_exception_handler(
          [](std::string_view, std::exception_ptr) { throw std::logic_error("handler"); });
      loop.call_soon([] { throw std::runtime_error("call_soon"); });
      break;
  }
  loop.call_later(1s, [&log] { log << "callback at 1 s"; });
  co_await sleep(2s);
  log << "main returns at 2 s";
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
  void aSystemExitDuringShutdownStopsItAndSetsTheStatus_data();
  void aSystemExitDuringShutdownStopsItAndSetsTheStatus();
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
  void sigintStormIsHandledByTheRunnerAndNeverKills_data();
  void sigintStormIsHandledByTheRunnerAndNeverKills();
  void aJobThatNeverReturnsDoesNotHoldTheRunnerPastTheGraceDeadline();
  void aCallbackOfEveryKindThatThrowsIsReportedAndTheRunGoesOn_data();
  void aCallbackOfEveryKindThatThrowsIsReportedAndTheRunGoesOn();
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

void tst_Runner::aSystemExitDuringShutdownStopsItAndSetsTheStatus_data()
{
  QTest::addColumn<int>("mainOutcome");  // 0 returns, 1 raises runtime_error, 2 SystemExit(5)
  QTest::newRow("main returned") << 0;
  QTest::newRow("main raised") << 1;
  QTest::newRow("main raised SystemExit") << 2;
}

void tst_Runner::aSystemExitDuringShutdownStopsItAndSetsTheStatus()
{
  // A task cancelled by the shutdown calls sys.exit(4) in its cleanup: the SystemExit leaves the
  // loop (asyncio Task.__step re-raises it), stops the shutdown before a second task's
  // cancellation runs, and is what asyncio.run raises whatever main did: the report keeps it
  // apart from main's outcome, and the status is its code.
  QFETCH(int, mainOutcome);
  VirtualLoop v;
  Runner runner(v.loop);
  bool secondCleanedUp = false;
  try {
    runner.run([&](int how) -> Coro<void> {
      v.loop.create_task(
          []() -> Coro<void> {
            try {
              co_await sleep(1h);
            } catch (const CancelledError&) {
            }
            throw SystemExit(4);
          }(),
          "quitter");
      v.loop.create_task(
          [&]() -> Coro<void> {
            try {
              co_await sleep(1h);
            } catch (const CancelledError&) {
              secondCleanedUp = true;
              throw;
            }
          }(),
          "bystander");
      co_await sleep(0s);
      if (how == 1)
        throw std::runtime_error("main failed");
      if (how == 2)
        throw SystemExit(5);
    }(mainOutcome));
  } catch (...) {
  }
  runner.close();
  const RunReport& report = runner.report();
  QVERIFY(report.shutdown_stop);
  QCOMPARE(describe(report.shutdown_stop), QStringLiteral("SystemExit: exit code 4"));
  QCOMPARE(report.exit_status, 4);
  QCOMPARE(describe(report.error), mainOutcome == 0 ? QStringLiteral("SystemExit: exit code 4")
                                   : mainOutcome == 1
                                       ? QStringLiteral("std::runtime_error: main failed")
                                       : QStringLiteral("SystemExit: exit code 5"));
  QVERIFY(!secondCleanedUp);  // the loop stopped at the SystemExit
  QVERIFY(report.shutdown_errors.empty());
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
  QVERIFY(v.loop.has_signal_handler(SIGINT));  // kept until close(): never the default action
  runner.close();  // the swallowing main is still pending: cancelled again, now it ends
  QVERIFY(!v.loop.has_signal_handler(SIGINT));
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
  // Between run() and close() the runner's handler stays: a SIGINT there must not kill.
  QVERIFY(v.loop.has_signal_handler(SIGINT));
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
  // Shared with the job: an abandoned job's thread may still be inside release->wait() (and
  // started->count_down()) when this function has returned.
  using Latch = std::shared_ptr<std::latch>;
  const Latch release = std::make_shared<std::latch>(1);
  {
    Runner runner(loop, RunnerOptions{.grace = 500ms});
    const Latch started = std::make_shared<std::latch>(1);
    const int value = runner.run([](bool blocks, Latch started, Latch release) -> Coro<int> {
      const int quick = co_await to_thread([] { return 7; });
      if (blocks) {
        // Awaited by a task of its own that main leaves behind: cancelling that task does
        // not stop the thread (as in Python).
        create_task(
            [](Latch started, Latch release) -> Coro<void> {
              // The latches as arguments, not captures: GCC 12 destroys the captures of a
              // lambda written inside co_await twice (see run_in_executor).
              co_await to_thread(
                  [](const Latch& started, const Latch& release) {
                    started->count_down();
                    release->wait();
                  },
                  started, release);
            }(started, release),
            "waits for a thread");
        co_await sleep(0s);
        started->wait();  // the job runs (a queued one would just be dropped)
      }
      co_return quick;
    }(jobBlocks, started, release));
    QCOMPARE(value, 7);
    runner.close();
    QCOMPARE(runner.report().exit_status, status);
    release->count_down();
  }
  loop.flush_trace();
  COMPARE_LOG(phases(TraceDecoder::decode(sink.events())), expected);
}

void tst_Runner::sigintStormIsHandledByTheRunnerAndNeverKills_data()
{
  QTest::addColumn<int>("at");
  QTest::addColumn<int>("endMs");
  QTest::addColumn<QStringList>("expectedLog");
  QTest::addColumn<QStringList>("expectedPhases");
  // 100 SIGINTs at once. While main runs: the first cancels main, the second raises
  // KeyboardInterrupt out of run(); the rest are pending when close() starts and the first of
  // them ends its waiting (asyncio: the default handler raises KeyboardInterrupt in close()).
  QTest::newRow("while main runs")
      << int(StormAt::WhileMainRuns) << 1000 << QStringList{"KeyboardInterrupt from run()"}
      << QStringList{"signal received(2)",  "signal received(2)", "main done(2)",
                     "cancelling tasks(2)", "awaiting tasks(2)",  "signal received(2)",
                     "closed(130)"};
  // After run() returned, before close(): no handler would mean death by the default action.
  QTest::newRow("between run() and close()")
      << int(StormAt::BetweenRunAndClose) << 1000 << QStringList{"main returned", "cleanup starts"}
      << QStringList{"main done(1)", "cancelling tasks(1)", "awaiting tasks(1)",
                     "signal received(2)", "closed(130)"};
  // While close() waits for a task's 10 s cleanup (grace 30 s): the first SIGINT ends the
  // waiting at once, the cleanup is not waited for.
  QTest::newRow("while the shutdown waits")
      << int(StormAt::WhileShutdownWaits) << 1000 << QStringList{"main returned", "cleanup starts"}
      << QStringList{"main done(1)", "cancelling tasks(1)", "awaiting tasks(1)",
                     "signal received(2)", "closed(130)"};
}

void tst_Runner::sigintStormIsHandledByTheRunnerAndNeverKills()
{
  QFETCH(int, at);
  QFETCH(int, endMs);
  QFETCH(QStringList, expectedLog);
  QFETCH(QStringList, expectedPhases);
  const auto stormAt = static_cast<StormAt>(at);
  CountingDisposition disposition;
  VirtualLoop v;
  QStringList log;
  {
    Runner runner(v.loop, RunnerOptions{.grace = 30s});
    if (stormAt == StormAt::WhileMainRuns)
      v.loop.call_later(1s, [] { sigintStorm(kStorm); });
    try {
      runner.run([](QStringList& log, StormAt stormAt) -> Coro<void> {
        const int stormInCleanup = stormAt == StormAt::WhileShutdownWaits ? kStorm : 0;
        create_task(cleansUpSlowly(log, 10s, stormInCleanup), "cleaner");
        // Still running when the storm of "while main runs" comes at 1 s.
        const Duration nap = stormAt == StormAt::WhileMainRuns ? Duration(60s) : Duration(1s);
        co_await sleep(nap);
        log << "main returned";
      }(log, stormAt));
    } catch (const KeyboardInterrupt&) {
      log << "KeyboardInterrupt from run()";
    }
    if (stormAt == StormAt::BetweenRunAndClose)
      sigintStorm(kStorm);
    runner.close();
    QCOMPARE(nowMs(v.loop), qint64(endMs));  // not the cleanup's end, not the grace deadline
    QVERIFY(runner.report().interrupted);
    QCOMPARE(runner.report().exit_status, kExitInterrupted);
    QVERIFY(!runner.report().grace_expired);
    QVERIFY(!v.loop.has_signal_handler(SIGINT));
  }
  COMPARE_LOG(log, expectedLog);
  COMPARE_LOG(phases(v.decoded()), expectedPhases);
  // Every SIGINT reached the loop (none hit a default disposition)...
  QCOMPARE(g_unhandledSigints.load(), 0);
  QCOMPARE(int(eventsOfKind(v.decoded(), EventKind::SignalReceived).size()), kStorm);
  // ...and the ones left unhandled when the runner stopped waiting die with its handler: the
  // runner is gone, a handler installed now never sees them, and running the loop again calls
  // nothing of the runner's (under ASan, a use after free otherwise).
  int late = 0;
  v.loop.add_signal_handler(SIGINT, [&late] { ++late; });
  v.loop.run_until_complete(nap(1s));
  QCOMPARE(late, 0);
  QVERIFY(v.loop.remove_signal_handler(SIGINT));
}

void tst_Runner::aJobThatNeverReturnsDoesNotHoldTheRunnerPastTheGraceDeadline()
{
  // A to_thread job blocked for good: run_main gives up at the grace deadline and returns, its
  // loop destroyed without joining the worker. When the job returns at last (the latch, long
  // after), its outcome is dropped: nothing of the dead loop is touched (ASan/TSan check that).
  Counted::reset();
  std::latch started(1);
  std::latch release(1);
  auto pool = std::make_shared<ThreadPoolExecutor>(2);  // ours too, to join the worker at the end
  VectorSink sink;
  RunReport report;
  const int status = run_main(
      [](VectorSink& sink, std::shared_ptr<ThreadPoolExecutor> pool, std::latch& started,
         std::latch& release) -> Coro<void> {
        Loop& loop = Loop::running();
        loop.set_sink(&sink);
        loop.set_default_executor(std::move(pool));
        create_task(
            [](std::latch& started, std::latch& release) -> Coro<void> {
              auto job = to_thread(
                  [&started, &release](const Counted&) {
                    started.count_down();
                    release.wait();
                    return 1;
                  },
                  Counted());
              co_await job;
            }(started, release),
            "waits for a stuck thread");
        co_await sleep(0s);
        started.wait();  // running, so shutdown cannot drop it from the queue
        co_await sleep(1s);
      }(sink, pool, started, release),
      RunnerOptions{.grace = 5s}, &report, std::make_unique<VirtualClock>());
  QCOMPARE(status, kExitGraceExpired);
  QVERIFY(report.grace_expired);
  QVERIFY(report.held.empty());   // no task held it: the thread did
  QCOMPARE(Counted::alive(), 1);  // the job (and its arguments) are still out on the worker
  const auto events = TraceDecoder::decode(sink.events());
  COMPARE_LOG(phases(events),
              (QStringList{"main done(1)", "cancelling tasks(1)", "awaiting tasks(1)",
                           "executor shutdown(0)", "grace expired(0)", "closed(124)"}));
  const auto closed = eventsOfKind(events, EventKind::ShutdownPhase).back();
  QCOMPARE(closed.ev.t_ns, ns(6s));  // at main's end + the 5 s grace
  QVERIFY(pool->is_shutdown());
  QCOMPARE(pool->thread_count(), std::size_t{1});

  release.count_down();
  pool->shutdown(true);  // joins the worker: it has returned and posted into the void
  QCOMPARE(Counted::alive(), 0);
}

void tst_Runner::aCallbackOfEveryKindThatThrowsIsReportedAndTheRunGoesOn_data()
{
  QTest::addColumn<int>("kind");
  QTest::addColumn<QStringList>("reported");  // what the loop's exception handler got
  QTest::addColumn<int>("callbackErrors");    // CallbackError events
  QTest::addColumn<QString>("mainCaught");
  const QString none;
  const auto row = [](const char* tag, Thrower k) -> QTestData& {
    return QTest::newRow(tag) << int(k);
  };
  row("call_soon", Thrower::CallSoon)
      << QStringList{"callback / std::runtime_error: call_soon"} << 1 << none;
  row("call_at", Thrower::CallAt) << QStringList{"callback / std::runtime_error: call_at"} << 1
                                  << none;
  row("call_soon_threadsafe", Thrower::CallSoonThreadsafe)
      << QStringList{"callback / std::runtime_error: threadsafe"} << 1 << none;
  row("fd reader", Thrower::FdReader)
      << QStringList{"callback / std::runtime_error: reader"} << 1 << none;
  row("signal handler", Thrower::SignalHandler)
      << QStringList{"callback / std::runtime_error: signal handler"} << 1 << none;
  row("task done callback", Thrower::TaskDoneCallback)
      << QStringList{"callback / std::runtime_error: done callback"} << 1 << none;
  row("future done callback", Thrower::FutureDoneCallback)
      << QStringList{"callback / std::runtime_error: future callback"} << 1 << none;
  row("executor job", Thrower::ExecutorJob)
      << QStringList{"Task exception was never retrieved (job awaiter) / std::runtime_error: job "
                     "failed"}
      << 0 << none;
  row("fire-and-forget task", Thrower::FireAndForgetTask)
      << QStringList{"Task exception was never retrieved (forgotten) / std::runtime_error: fire "
                     "and forget"}
      << 0 << none;
  row("TaskGroup child", Thrower::TaskGroupChild)
      << QStringList{} << 0
      << QStringLiteral(
             "main caught: ExceptionGroup: unhandled errors in a TaskGroup (1 "
             "sub-exception)\n  std::runtime_error: child");
  row("cleanup of a task the shutdown cancels", Thrower::CancelledTaskCleanup)
      << QStringList{"unhandled exception during shutdown (cleaner) / std::runtime_error: cleanup "
                     "failed"}
      << 0 << none;
  row("after a timeout", Thrower::AfterTimeout)
      << QStringList{"Task exception was never retrieved (timed) / std::runtime_error: handling "
                     "the timeout failed"}
      << 0 << none;
  // asyncio: "Unhandled error in exception handler", reported by the default handler.
  row("the exception handler itself", Thrower::ExceptionHandlerItself)
      << QStringList{} << 1 << none;
}

void tst_Runner::aCallbackOfEveryKindThatThrowsIsReportedAndTheRunGoesOn()
{
  QFETCH(int, kind);
  QFETCH(QStringList, reported);
  QFETCH(int, callbackErrors);
  QFETCH(QString, mainCaught);
  SavedDisposition keepUsr1(SIGUSR1);
  int fds[2];
  QCOMPARE(::pipe(fds), 0);
  VirtualLoop v;
  QStringList handled;
  v.loop.set_exception_handler([&handled](std::string_view context, std::exception_ptr e) {
    handled << toQString(context) + QStringLiteral(" / ") + describe(e);
  });
  QStringList log;
  {
    // No grace deadline: the virtual clock would jump to it while the executor's worker, which
    // takes real time, is joined.
    Runner runner(v.loop);
    runner.run(armsAThrower(static_cast<Thrower>(kind), log, fds[0], fds[1]));
    runner.close();
    // Reported, and nothing else changed: main ran to its end, the shutdown completed.
    QCOMPARE(runner.report().exit_status, kExitOk);
    QVERIFY(!runner.report().grace_expired);
  }
  ::close(fds[0]);
  ::close(fds[1]);
  QStringList expectedLog;
  if (!mainCaught.isEmpty())
    expectedLog << mainCaught;
  expectedLog << "callback at 1 s"
              << "main returns at 2 s";
  COMPARE_LOG(log, expectedLog);
  COMPARE_LOG(handled, reported);
  const auto events = v.decoded();
  QCOMPARE(int(eventsOfKind(events, EventKind::CallbackError).size()), callbackErrors);
  const bool handlerThrows = static_cast<Thrower>(kind) == Thrower::ExceptionHandlerItself;
  QCOMPARE(v.loop.diagnostic_count(DiagnosticKind::HandlerFailed), handlerThrows ? 1u : 0u);
  QCOMPARE(v.loop.all_tasks().size(), std::size_t{0});
}

QTEST_APPLESS_MAIN(tst_Runner)
#include "tst_runner.moc"
