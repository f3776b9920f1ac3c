// SPDX-License-Identifier: GPL-3.0-or-later
// ThreadPoolExecutor, run_in_executor / to_thread and shutdown_default_executor (CPython 3.12
// concurrent.futures + asyncio semantics), and the blocking-call scenario: a synchronous call in
// a step stalls every task, the same call in to_thread does not.
//
// Semantics are tested on a virtual clock, synchronised with the workers through latches (never
// sleeps); only the blocking-call scenario uses a real clock, and asserts relative facts.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Executor : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void toThreadReturnsTheResultComputedOnAWorker();
  void voidJobsArgumentsAndAnExplicitExecutor();
  void anExceptionFromTheJobIsRaisedInTheAwaiter();
  void theAwaiterIsSuspendedOnTheJobAndEventsNameTheWorker();
  void cancellingTheAwaiterRaisesAtOnceWhileTheJobRunsOn();
  void aJobStillQueuedWhenCancelledNeverRuns();
  void jobsBeyondMaxWorkersQueueFifo();
  void threadsStartLazilyUpToMaxWorkers();
  void shutdownRejectsNewWork();
  void shutdownRunsQueuedJobsFirst();
  void shutdownWithCancelFuturesCancelsQueuedJobs();
  void zeroMaxWorkersIsRefused();
  void defaultExecutorIsCreatedOnFirstUse();
  void shutdownDefaultExecutorKeepsTheLoopRunning();
  void shutdownDefaultExecutorWithoutOneRefusesLaterWork();
  void destroyingTheLoopJoinsAJobInFlight();
  void blockingCallStallsTheLoopButToThreadDoesNot();
};

namespace {

struct AppError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};

/// A job that signals it started, then blocks until released.
struct Gate
{
  std::latch started{1};
  std::latch release{1};
  std::atomic<bool> finished{false};
};

std::vector<DecodedEvent> eventsFor(const std::vector<DecodedEvent>& events, EventKind kind,
                                    std::uint64_t jobId)
{
  std::vector<DecodedEvent> out;
  for (const DecodedEvent& d : eventsOfKind(events, kind))
    if (d.ev.detail == jobId)
      out.push_back(d);
  return out;
}

// ---- results, arguments, exceptions

Coro<int> computeOnWorker(Probe& probe, std::thread::id loopThread)
{
  const int v = co_await to_thread([loopThread] {
    return std::this_thread::get_id() != loopThread && ThreadPoolExecutor::current_worker() >= 0
               ? 42
               : -1;
  });
  probe << QStringLiteral("got %1 at %2ms").arg(v).arg(nowMs(Loop::running()));
  co_return v;
}

Coro<void> voidAndArguments(Probe& probe, ThreadPoolExecutor& ex)
{
  std::size_t out = 0;
  co_await to_thread([](std::size_t a, const std::string& s, std::size_t* o) { *o = a + s.size(); },
                     std::size_t{40}, std::string("ab"), &out);
  probe << QStringLiteral("void job wrote %1").arg(out);
  const std::string s = co_await run_in_executor(
      &ex,
      [](std::string x, int n) {
        return x + std::to_string(n) + " on worker " +
               std::to_string(ThreadPoolExecutor::current_worker());
      },
      std::string("job-"), 7);
  probe << QStringLiteral("explicit executor gave %1, pool of %2")
               .arg(QString::fromStdString(s))
               .arg(ex.max_workers());
}

Coro<void> awaitFailingJob(Probe& probe)
{
  try {
    co_await to_thread([]() -> int { throw AppError("disk on fire"); });
    probe << "no exception";
  } catch (const AppError& e) {
    probe << QStringLiteral("caught AppError: %1").arg(e.what());
  }
  try {
    co_await to_thread([] { throw CancelledError("from the job"); });
    probe << "no exception";
  } catch (const CancelledError& e) {
    probe << QStringLiteral("job's CancelledError cancels the future: '%1'")
                 .arg(QString::fromStdString(e.message()));
  }
}

// ---- suspension and events

Coro<void> awaitGated(Probe& probe, Gate& g, std::uint32_t& jobId, int& worker)
{
  auto f = to_thread([&g, &worker] {
    worker = ThreadPoolExecutor::current_worker();
    g.started.count_down();
    g.release.wait();
    return 5;
  });
  jobId = f.job_id();
  const int v = co_await f;
  probe << QStringLiteral("gated job gave %1").arg(v);
}

Coro<void> observeSuspended(Probe& probe, Gate& g, std::uint32_t& jobId, int& worker,
                            std::uint32_t& taskId)
{
  Task<void> t = create_task(awaitGated(probe, g, jobId, worker), "gated");
  taskId = t.id();
  co_await sleep(0ms);  // t runs its first step and suspends on the job
  probe << QStringLiteral("awaiting %1, detail is the job id: %2")
               .arg(toQString(await_kind_name(t.base().awaiting())))
               .arg(t.base().awaiting_detail() == jobId);
  g.release.count_down();
  co_await t;
}

// ---- cancellation

Coro<void> awaitSlowJob(Probe& probe, Gate& g)
{
  Counted inFrame;
  try {
    // Named first: GCC 12 destroys the captures of a lambda temporary inside a co_await
    // expression twice (see run_in_executor in executor.h).
    auto job = to_thread([&g, keep = Counted()] {
      g.started.count_down();
      g.release.wait();
      g.finished = true;
      return Counted();
    });
    Counted got = co_await job;
    probe << "got a result";
  } catch (const CancelledError& e) {
    probe << QStringLiteral("CancelledError '%1' at %2ms, job finished: %3")
                 .arg(QString::fromStdString(e.message()))
                 .arg(nowMs(Loop::running()))
                 .arg(g.finished.load());
    throw;
  }
}

Coro<void> cancelWhileRunning(Probe& probe, Gate& g, std::uint32_t& waiterId)
{
  Task<void> t = create_task(awaitSlowJob(probe, g), "waiter");
  waiterId = t.id();
  co_await sleep(5ms);
  g.started.wait();  // the job is running on the worker now
  t.cancel("stop");
  try {
    co_await t;
  } catch (const CancelledError&) {
    probe << QStringLiteral("waiter cancelled at %1ms").arg(nowMs(Loop::running()));
  }
  probe << QStringLiteral("job finished before release: %1").arg(g.finished.load());
  g.release.count_down();
  // The pool has one worker: this job runs after the slow one, and its outcome comes back after.
  co_await to_thread([] {});
  probe << QStringLiteral("job finished: %1").arg(g.finished.load());
}

Coro<void> awaitQueued(Probe& probe, ThreadPoolExecutor& ex, std::atomic<bool>& ran,
                       std::uint32_t& jobId)
{
  auto f = run_in_executor(&ex, [&ran, keep = Counted()] { ran = true; });
  jobId = f.job_id();
  try {
    co_await f;
  } catch (const CancelledError&) {
    probe << "queued waiter got CancelledError";
    throw;
  }
}

Coro<void> cancelQueued(Probe& probe, ThreadPoolExecutor& ex, Gate& g, std::atomic<bool>& ran,
                        std::uint32_t& queuedId)
{
  auto first = run_in_executor(&ex, [&g] {
    g.started.count_down();
    g.release.wait();
  });
  Task<void> t = create_task(awaitQueued(probe, ex, ran, queuedId), "queued");
  co_await sleep(1ms);
  g.started.wait();
  probe << QStringLiteral("queued jobs: %1").arg(ex.queued());
  t.cancel();
  try {
    co_await t;
  } catch (const CancelledError&) {
    probe << "queued task cancelled";
  }
  g.release.count_down();
  co_await first;
  co_await run_in_executor(&ex, [] {});  // runs after the worker skipped the cancelled job
  probe << QStringLiteral("cancelled job ran: %1").arg(ran.load());
}

// ---- queueing

Coro<void> fifoJobs(std::vector<int>& order, std::vector<int>& workers, ThreadPoolExecutor& ex)
{
  std::vector<ExecutorFuture<void>> futures;
  for (int i = 0; i < 8; ++i)
    futures.push_back(run_in_executor(&ex, [i, &order, &workers] {
      order.push_back(i);  // one worker: no lock needed, and the loop reads after delivery
      workers.push_back(ThreadPoolExecutor::current_worker());
    }));
  for (auto& f : futures)
    co_await f;
}

struct Concurrency
{
  std::latch twoStarted{2};
  std::latch release{1};
  std::mutex mutex;
  std::vector<int> started;
  std::vector<int> workers;
  int running = 0;
  int maxRunning = 0;
};

Coro<void> boundedJobs(Probe& probe, ThreadPoolExecutor& ex, Concurrency& c)
{
  std::vector<ExecutorFuture<void>> futures;
  for (int i = 0; i < 6; ++i)
    futures.push_back(run_in_executor(&ex, [i, &c] {
      {
        std::lock_guard lock(c.mutex);
        c.started.push_back(i);
        c.workers.push_back(ThreadPoolExecutor::current_worker());
        c.maxRunning = std::max(c.maxRunning, ++c.running);
      }
      if (i < 2) {
        c.twoStarted.count_down();
        c.release.wait();
      }
      std::lock_guard lock(c.mutex);
      --c.running;
    }));
  c.twoStarted.wait();
  probe << QStringLiteral("threads %1, queued %2").arg(ex.thread_count()).arg(ex.queued());
  c.release.count_down();
  for (auto& f : futures)
    co_await f;
}

Coro<int> threeOnAWorker(ThreadPoolExecutor& ex)
{
  co_return co_await run_in_executor(&ex, [] { return 3; });
}

// ---- shutdown

Coro<void> submitAfterShutdown(Probe& probe, ThreadPoolExecutor& ex)
{
  try {
    co_await run_in_executor(&ex, [] { return 1; });
    probe << "submitted";
  } catch (const RuntimeError& e) {
    probe << QStringLiteral("RuntimeError: %1").arg(e.what());
  }
}

Coro<void> awaitForever(Future<void> f)
{
  co_await f;
}

Coro<void> shutdownWithQueuedJobs(Probe& probe, ThreadPoolExecutor& ex)
{
  std::atomic<int> ran{0};
  std::vector<ExecutorFuture<int>> futures;
  for (int i = 0; i < 3; ++i)
    futures.push_back(run_in_executor(&ex, [i, &ran] {
      ++ran;
      return i * 10;
    }));
  ex.shutdown(/*wait=*/true);  // blocks this thread: the jobs do not need the loop
  probe << QStringLiteral("after shutdown: %1 ran").arg(ran.load());
  int sum = 0;
  for (auto& f : futures)
    sum += co_await f;
  probe << QStringLiteral("results delivered after the join, sum %1").arg(sum);
}

Coro<void> awaitDropped(Probe& probe, ExecutorFuture<int> f)
{
  try {
    co_await f;
    probe << "dropped job gave a result";
  } catch (const CancelledError&) {
    probe << QStringLiteral("dropped job's waiter got CancelledError at %1ms")
                 .arg(nowMs(Loop::running()));
    throw;
  }
}

Coro<void> cancelFutures(Probe& probe, ThreadPoolExecutor& ex, Gate& g, std::atomic<int>& ran)
{
  auto first = run_in_executor(&ex, [&g] {
    g.started.count_down();
    g.release.wait();
  });
  auto second = run_in_executor(&ex, [&ran] { return ++ran; });
  auto third = run_in_executor(&ex, [&ran, keep = Counted()] { return ++ran; });
  Task<void> t = create_task(awaitDropped(probe, second), "dropped");
  co_await sleep(1ms);
  g.started.wait();
  ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  try {
    co_await t;
  } catch (const CancelledError&) {
    probe << "its task ended cancelled";
  }
  probe << QStringLiteral("third cancelled: %1").arg(third.cancelled() ? 1 : 0);
  g.release.count_down();
  co_await first;
  ex.shutdown(/*wait=*/true);
  probe << QStringLiteral("queued jobs that ran: %1").arg(ran.load());
}

Coro<int> gatedValue(Gate& g)
{
  co_return co_await to_thread([&g] {
    g.started.count_down();
    g.release.wait();
    return 7;
  });
}

Coro<void> releaseLater(Probe& probe, Gate& g)
{
  co_await sleep(5ms);
  probe
      << QStringLiteral("loop still running at %1ms: release the job").arg(nowMs(Loop::running()));
  g.release.count_down();
}

Coro<void> shutdownWhileAJobRuns(Probe& probe, Gate& g)
{
  Loop& loop = Loop::running();
  Task<int> w = create_task(gatedValue(g), "worker");
  co_await sleep(1ms);
  g.started.wait();
  Task<void> r = create_task(releaseLater(probe, g), "releaser");
  co_await shutdown_default_executor(loop);
  probe << QStringLiteral("shutdown done at %1ms, the job's task done: %2")
               .arg(nowMs(loop))
               .arg(w.done());
  probe << QStringLiteral("job result %1").arg(co_await w);
  try {
    co_await to_thread([] {});
    probe << "to_thread after shutdown ran";
  } catch (const RuntimeError& e) {
    probe << QStringLiteral("RuntimeError: %1").arg(e.what());
  }
  co_await r;
}

Coro<void> toThreadAfterShutdown(Probe& probe)
{
  co_await shutdown_default_executor(Loop::running());
  try {
    co_await to_thread([] {});
    probe << "to_thread after shutdown ran";
  } catch (const RuntimeError& e) {
    probe << QStringLiteral("RuntimeError: %1").arg(e.what());
  }
}

Coro<void> leaveAJobRunning(Probe& probe, Gate& g)
{
  create_task(awaitSlowJob(probe, g), "abandoned");
  co_await sleep(1ms);
  g.started.wait();
}

// ---- the blocking-call scenario (real clock)

Coro<void> ticker(std::vector<qint64>& wakes, const bool& stop)
{
  Loop& loop = Loop::running();
  while (!stop) {
    co_await sleep(10ms);
    wakes.push_back(nowNs(loop));
  }
}

Coro<void> blocker(bool useThread)
{
  co_await sleep(50ms);
  if (useThread)
    co_await to_thread([] { std::this_thread::sleep_for(300ms); });
  else
    std::this_thread::sleep_for(300ms);  // a synchronous call inside a step
  co_await sleep(50ms);
}

Coro<void> blockingScenario(bool useThread, std::vector<qint64>& wakes, std::uint32_t& blockerId)
{
  bool stop = false;
  Task<void> t = create_task(ticker(wakes, stop), "ticker");
  Task<void> b = create_task(blocker(useThread), "blocker");
  blockerId = b.id();
  co_await b;
  stop = true;
  co_await t;
}

qint64 maxGap(const std::vector<qint64>& wakes)
{
  qint64 gap = 0;
  for (std::size_t i = 1; i < wakes.size(); ++i)
    gap = std::max(gap, wakes[i] - wakes[i - 1]);
  return gap;
}

}  // namespace

void tst_Executor::toThreadReturnsTheResultComputedOnAWorker()
{
  VirtualLoop v;
  Probe probe;
  const int r = v.loop.run_until_complete(computeOnWorker(probe, std::this_thread::get_id()));
  QCOMPARE(r, 42);
  // The job takes no virtual time; the loop waited for the worker instead of reporting a stall.
  COMPARE_LOG(probe.log, (QStringList{"got 42 at 0ms"}));
  QCOMPARE(v.loop.diagnostic_count(DiagnosticKind::LostWakeup), 0u);
}

void tst_Executor::voidJobsArgumentsAndAnExplicitExecutor()
{
  VirtualLoop v;
  ThreadPoolExecutor ex(3);  // declared after the loop: shut down before it goes
  Probe probe;
  v.loop.run_until_complete(voidAndArguments(probe, ex));
  COMPARE_LOG(probe.log, (QStringList{"void job wrote 42",
                                      "explicit executor gave job-7 on worker 0, pool of 3"}));
}

void tst_Executor::anExceptionFromTheJobIsRaisedInTheAwaiter()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(awaitFailingJob(probe));
  COMPARE_LOG(probe.log, (QStringList{"caught AppError: disk on fire",
                                      "job's CancelledError cancels the future: 'from the job'"}));
}

void tst_Executor::theAwaiterIsSuspendedOnTheJobAndEventsNameTheWorker()
{
  VirtualLoop v;
  v.loop.set_default_executor(std::make_shared<ThreadPoolExecutor>(1));
  Probe probe;
  Gate g;
  std::uint32_t jobId = 0;
  std::uint32_t taskId = 0;
  int worker = -1;
  v.loop.run_until_complete(observeSuspended(probe, g, jobId, worker, taskId));
  COMPARE_LOG(probe.log,
              (QStringList{"awaiting executor, detail is the job id: 1", "gated job gave 5"}));
  QCOMPARE(worker, 0);

  const auto events = v.decoded();
  const auto suspended = eventsFor(events, EventKind::Suspended, jobId);
  QCOMPARE(suspended.size(), std::size_t{1});
  QCOMPARE(suspended[0].ev.task, taskId);
  QCOMPARE(suspended[0].ev.a8, std::uint8_t(AwaitKind::Executor));

  const auto begin = eventsFor(events, EventKind::ExecutorJobBegin, jobId);
  const auto end = eventsFor(events, EventKind::ExecutorJobEnd, jobId);
  QCOMPARE(begin.size(), std::size_t{1});
  QCOMPARE(end.size(), std::size_t{1});
  QCOMPARE(begin[0].ev.task, taskId);
  QCOMPARE(end[0].ev.task, taskId);
  QCOMPARE(begin[0].ev.arg, std::uint32_t(worker));
  QCOMPARE(end[0].ev.arg, std::uint32_t(worker));
  QVERIFY(begin[0].ev.seq < end[0].ev.seq);
  QVERIFY(suspended[0].ev.seq < begin[0].ev.seq);
  // Virtual clock: both carry the loop time of the delivery.
  QCOMPARE(begin[0].ev.t_ns, end[0].ev.t_ns);
}

void tst_Executor::cancellingTheAwaiterRaisesAtOnceWhileTheJobRunsOn()
{
  Probe probe;
  Gate g;
  std::uint32_t waiterId = 0;
  {
    VirtualLoop v;
    v.loop.set_default_executor(std::make_shared<ThreadPoolExecutor>(1));
    v.loop.run_until_complete(cancelWhileRunning(probe, g, waiterId));
    COMPARE_LOG(probe.log, (QStringList{"CancelledError 'stop' at 5ms, job finished: 0",
                                        "waiter cancelled at 5ms", "job finished before release: 0",
                                        "job finished: 1"}));
    // The job ran to completion: its events are there, the result was dropped with the job,
    // and the waiter's frame was long gone when it came back.
    const auto events = v.decoded();
    const auto begin = eventsOfKind(events, EventKind::ExecutorJobBegin);
    QCOMPARE(begin.size(), std::size_t{2});
    QCOMPARE(begin[0].ev.task, waiterId);
    QCOMPARE(Counted::alive(), 0);
    QCOMPARE(v.loop.task_count(), std::size_t{0});
  }
  QCOMPARE(Counted::alive(), 0);
}

void tst_Executor::aJobStillQueuedWhenCancelledNeverRuns()
{
  VirtualLoop v;
  ThreadPoolExecutor ex(1);
  Probe probe;
  Gate g;
  std::atomic<bool> ran{false};
  std::uint32_t queuedId = 0;
  v.loop.run_until_complete(cancelQueued(probe, ex, g, ran, queuedId));
  COMPARE_LOG(probe.log, (QStringList{"queued jobs: 1", "queued waiter got CancelledError",
                                      "queued task cancelled", "cancelled job ran: 0"}));
  const auto events = v.decoded();
  QVERIFY(eventsFor(events, EventKind::ExecutorJobBegin, queuedId).empty());
  QCOMPARE(eventsOfKind(events, EventKind::ExecutorJobBegin).size(), std::size_t{2});
  QCOMPARE(Counted::alive(), 0);  // the skipped job (and its callable) is gone
}

void tst_Executor::jobsBeyondMaxWorkersQueueFifo()
{
  {
    VirtualLoop v;
    ThreadPoolExecutor ex(1);
    std::vector<int> order;
    std::vector<int> workers;
    v.loop.run_until_complete(fifoJobs(order, workers, ex));
    QCOMPARE(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
    QCOMPARE(workers, std::vector<int>(8, 0));
    // Begin events come in job order, all on worker 0.
    std::vector<std::uint64_t> ids;
    for (const DecodedEvent& d : eventsOfKind(v.decoded(), EventKind::ExecutorJobBegin)) {
      QCOMPARE(d.ev.arg, 0u);
      ids.push_back(d.ev.detail);
    }
    QCOMPARE(ids.size(), std::size_t{8});
    QVERIFY(std::is_sorted(ids.begin(), ids.end()));
  }
  {
    VirtualLoop v;
    ThreadPoolExecutor ex(2);
    Concurrency c;
    Probe probe;
    v.loop.run_until_complete(boundedJobs(probe, ex, c));
    COMPARE_LOG(probe.log, (QStringList{"threads 2, queued 4"}));
    QCOMPARE(c.maxRunning, 2);
    QCOMPARE(ex.thread_count(), std::size_t{2});
    std::vector<int> firstTwo(c.started.begin(), c.started.begin() + 2);
    std::sort(firstTwo.begin(), firstTwo.end());
    QCOMPARE(firstTwo, (std::vector<int>{0, 1}));
    std::vector<int> all = c.started;
    std::sort(all.begin(), all.end());
    QCOMPARE(all, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    for (int w : c.workers)
      QVERIFY(w == 0 || w == 1);
  }
}

void tst_Executor::threadsStartLazilyUpToMaxWorkers()
{
  VirtualLoop v;
  ThreadPoolExecutor ex(4);
  QCOMPARE(ex.max_workers(), std::size_t{4});
  QCOMPARE(ex.thread_count(), std::size_t{0});
  const int r = v.loop.run_until_complete(threeOnAWorker(ex));
  QCOMPARE(r, 3);
  QCOMPARE(ex.thread_count(), std::size_t{1});
}

void tst_Executor::shutdownRejectsNewWork()
{
  VirtualLoop v;
  ThreadPoolExecutor ex(2);
  ex.shutdown();
  QVERIFY(ex.is_shutdown());
  QCOMPARE(ex.thread_count(), std::size_t{0});
  Probe probe;
  v.loop.run_until_complete(submitAfterShutdown(probe, ex));
  COMPARE_LOG(probe.log, (QStringList{"RuntimeError: cannot schedule new futures after shutdown"}));
  QVERIFY_THROWS_EXCEPTION(RuntimeError, run_in_executor(v.loop, &ex, [] {}));
  // Nothing was left owing the loop a wake-up: a task that can never finish is a stall.
  Future<void> never(v.loop);
  QVERIFY_THROWS_EXCEPTION(LoopStalled, v.loop.run_until_complete(awaitForever(never)));
}

void tst_Executor::shutdownRunsQueuedJobsFirst()
{
  VirtualLoop v;
  ThreadPoolExecutor ex(1);
  Probe probe;
  v.loop.run_until_complete(shutdownWithQueuedJobs(probe, ex));
  COMPARE_LOG(probe.log,
              (QStringList{"after shutdown: 3 ran", "results delivered after the join, sum 30"}));
}

void tst_Executor::shutdownWithCancelFuturesCancelsQueuedJobs()
{
  VirtualLoop v;
  ThreadPoolExecutor ex(1);
  Probe probe;
  Gate g;
  std::atomic<int> ran{0};
  v.loop.run_until_complete(cancelFutures(probe, ex, g, ran));
  COMPARE_LOG(probe.log, (QStringList{"dropped job's waiter got CancelledError at 1ms",
                                      "its task ended cancelled", "third cancelled: 1",
                                      "queued jobs that ran: 0"}));
  QCOMPARE(Counted::alive(), 0);
}

void tst_Executor::zeroMaxWorkersIsRefused()
{
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ThreadPoolExecutor(0));
}

void tst_Executor::defaultExecutorIsCreatedOnFirstUse()
{
  VirtualLoop v;
  QVERIFY(v.loop.default_executor_if_any() == nullptr);
  Probe probe;
  v.loop.run_until_complete(computeOnWorker(probe, std::this_thread::get_id()));
  ThreadPoolExecutor* ex = v.loop.default_executor_if_any();
  QVERIFY(ex != nullptr);
  QCOMPARE(&v.loop.default_executor(), ex);
  const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  QCOMPARE(ex->max_workers(), std::min<std::size_t>(32, cpus + 4));
  QCOMPARE(ThreadPoolExecutor::default_max_workers(), ex->max_workers());
}

void tst_Executor::shutdownDefaultExecutorKeepsTheLoopRunning()
{
  VirtualLoop v;
  Probe probe;
  Gate g;
  v.loop.run_until_complete(shutdownWhileAJobRuns(probe, g));
  COMPARE_LOG(probe.log,
              (QStringList{"loop still running at 6ms: release the job",
                           "shutdown done at 6ms, the job's task done: 1", "job result 7",
                           "RuntimeError: cannot schedule new futures after shutdown"}));
  QVERIFY(v.loop.default_executor_if_any()->is_shutdown());
}

void tst_Executor::shutdownDefaultExecutorWithoutOneRefusesLaterWork()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(toThreadAfterShutdown(probe));
  COMPARE_LOG(probe.log, (QStringList{"RuntimeError: cannot schedule new futures after shutdown"}));
  QCOMPARE(v.loop.default_executor_if_any()->thread_count(), std::size_t{0});
}

void tst_Executor::destroyingTheLoopJoinsAJobInFlight()
{
  Gate g;
  Probe probe;
  {
    VirtualLoop v;
    v.loop.run_until_complete(leaveAJobRunning(probe, g));
    QCOMPARE(v.loop.task_count(), std::size_t{1});  // still awaiting the job
    QVERIFY(!g.finished);
    g.release.count_down();
    // ~Loop joins the worker; the outcome is queued for a loop that never runs again, and the
    // task's frame is destroyed: neither may touch the other.
  }
  QVERIFY(g.finished);
  QCOMPARE(Counted::alive(), 0);
  QVERIFY(probe.log.isEmpty());  // the frame was destroyed, not resumed
}

void tst_Executor::blockingCallStallsTheLoopButToThreadDoesNot()
{
  for (const bool useThread : {false, true}) {
    VectorSink sink;
    Loop loop;  // real clock
    loop.set_sink(&sink);
    loop.set_never_yield_threshold(200ms);
    std::vector<qint64> wakes;
    std::uint32_t blockerId = 0;
    loop.run_until_complete(blockingScenario(useThread, wakes, blockerId));
    loop.flush_trace();
    const auto events = TraceDecoder::decode(sink.events());
    const qint64 gap = maxGap(wakes);
    QVERIFY2(wakes.size() >= 5, qPrintable(QString::number(wakes.size())));

    std::int64_t blockerSlow = 0;
    for (const DecodedEvent& d : eventsOfKind(events, EventKind::SlowStep))
      if (d.ev.task == blockerId)
        blockerSlow = std::max(blockerSlow, static_cast<std::int64_t>(d.ev.detail));

    if (!useThread) {
      // While the step blocked, nothing else ran: the ticker's wake-ups came late by about the
      // blocked time, and the step was reported.
      QVERIFY2(gap >= ns(250ms), qPrintable(QStringLiteral("max gap %1 ns").arg(gap)));
      QVERIFY2(blockerSlow >= ns(300ms), qPrintable(QString::number(blockerSlow)));
      QCOMPARE(loop.diagnostic_count(DiagnosticKind::NeverYields), 1u);
      QVERIFY(eventsOfKind(events, EventKind::ExecutorJobBegin).empty());
    } else {
      QVERIFY2(gap < ns(150ms), qPrintable(QStringLiteral("max gap %1 ns").arg(gap)));
      QCOMPARE(blockerSlow, std::int64_t{0});
      QCOMPARE(loop.diagnostic_count(DiagnosticKind::NeverYields), 0u);
      // The job's events carry the worker's real start and end times, so they come after
      // events stamped later.
      std::size_t beginAt = 0;
      std::size_t endAt = 0;
      for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].ev.kind == EventKind::ExecutorJobBegin)
          beginAt = i;
        if (events[i].ev.kind == EventKind::ExecutorJobEnd)
          endAt = i;
      }
      QVERIFY(beginAt > 0 && endAt == beginAt + 1);
      const TraceEvent& begin = events[beginAt].ev;
      const TraceEvent& end = events[endAt].ev;
      QCOMPARE(begin.task, blockerId);
      QCOMPARE(begin.arg, 0u);
      QVERIFY2(end.t_ns - begin.t_ns >= ns(300ms),
               qPrintable(QString::number(end.t_ns - begin.t_ns)));
      QVERIFY(events[beginAt - 1].ev.t_ns > begin.t_ns);
    }
  }
}

QTEST_GUILESS_MAIN(tst_Executor)
#include "tst_executor.moc"
