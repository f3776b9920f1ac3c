// SPDX-License-Identifier: GPL-3.0-or-later
// The soak scenario: short-lived tasks spawned at a steady rate for a long time (an hour of loop
// time by default), to show that a long run stays bounded. The engine side keeps only the jobs
// still alive (a finished job is released as soon as its done-callback has run); the viewer keeps
// what its retention allows.
#include "engine/engine.h"
#include "engine/scenarios.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace loopscope::engine::scenarios::detail {

namespace {

using namespace std::chrono_literals;

constexpr Duration kTick = 50ms;              // the spawner's period
constexpr Duration kReportEvery = 10s;        // a progress line this often
constexpr Duration kSupervise = 500ms;        // the supervisor's period
constexpr Duration kPatience = 5s;            // a straggler running longer is cancelled
constexpr Duration kCallLimit = 500ms;        // the fetch and deadline jobs' timeout
constexpr int kQueueSize = 64;                // the results queue's bound
constexpr std::size_t kMaxFailureLines = 16;  // crash reports waiting for the supervisor

/// An error of the program's own (Python: `class BackendError(Exception)`).
class BackendError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

/// What main, the jobs, the supervisor and the queue pair share. Jobs hold it by shared_ptr (their
/// frames die with them); the jobs' done-callbacks hold a weak_ptr, so a job left pending when the
/// loop goes away does not keep it (and itself) alive through a cycle.
struct Soak
{
  struct Job
  {
    Task<void> task;
    std::int64_t start_ns = 0;
    bool straggler = false;
    bool cancel_sent = false;  ///< the supervisor cancelled it already
  };
  /// The jobs alive, by task id (creation order): bounded by max_alive. A job leaves when its
  /// done-callback runs, which releases the last handle the scenario had on it.
  std::map<std::uint32_t, Job> alive;
  Queue<int> queue;
  std::deque<std::string> failures;  ///< crash reports for the supervisor to log
  std::int64_t failures_unlogged = 0;

  std::int64_t spawned = 0;  ///< jobs created
  std::int64_t skipped = 0;  ///< jobs due while max_alive were alive (not created)
  std::size_t max_alive_seen = 0;
  std::int64_t ok = 0;         ///< jobs that returned
  std::int64_t cancelled = 0;  ///< jobs that ended cancelled
  std::int64_t failed = 0;     ///< jobs that raised (their exception retrieved and logged)
  std::int64_t timeouts = 0;   ///< TimeoutErrors handled by the jobs
  std::int64_t caught = 0;     ///< BackendErrors handled by the jobs
  std::int64_t supervisor_cancels = 0;
  std::int64_t produced = 0;
  std::int64_t consumed = 0;

  explicit Soak(Loop& loop) : queue(loop, kQueueSize, "results") {}
};

Duration random_duration(std::uint64_t& state, Duration max)
{
  return Duration(std::llround(static_cast<double>(max.count()) * unit_random(state)));
}

// ---- the jobs (each gets its own seed, so its choices do not depend on the scheduling)

/// Sleeps, yields a few times with sleep(0), sleeps again.
Coro<void> sleeper_job(std::uint64_t seed, Duration max_sleep)
{
  co_await sleep(random_duration(seed, max_sleep));
  const int yields = static_cast<int>(next_random(seed) % 4);
  for (int i = 0; i < yields; ++i)
    co_await sleep(0s);
  co_await sleep(random_duration(seed, max_sleep / 2));
}

Coro<int> backend_call(Duration needs)
{
  co_await sleep(needs);
  co_return 200;
}

/// wait_for(call, 0.5 s) on a call needing 0.1 to 1 s: a bit over half time out.
Coro<void> fetch_job(std::shared_ptr<Soak> soak, std::uint64_t seed)
{
  const Duration needs = 100ms + random_duration(seed, 900ms);
  try {
    co_await wait_for(backend_call(needs), kCallLimit);
  } catch (const TimeoutError&) {
    ++soak->timeouts;
  }
}

/// Three steps (read, yield, write) of up to 0.3 s each.
Coro<void> three_steps(std::uint64_t seed)
{
  co_await sleep(random_duration(seed, 300ms));
  co_await sleep(0s);
  co_await sleep(random_duration(seed, 300ms));
  co_await sleep(random_duration(seed, 300ms));
}

/// The three steps inside one `async with timeout(0.5 s)`: it fires when they add up to more.
Coro<void> deadline_job(std::shared_ptr<Soak> soak, std::uint64_t seed)
{
  try {
    co_await timeout(kCallLimit).run(three_steps(seed));
  } catch (const TimeoutError&) {
    ++soak->timeouts;
  }
}

Coro<void> flaky_call(bool fails, Duration needs)
{
  co_await sleep(needs);
  if (fails)
    throw BackendError("connection reset");
}

/// A call that fails half the time: the job catches the error, logs it and retries once.
Coro<void> flaky_job(std::shared_ptr<Soak> soak, std::string name, std::uint64_t seed)
{
  for (int attempt = 1; attempt <= 2; ++attempt) {
    try {
      co_await flaky_call(unit_random(seed) < 0.5, random_duration(seed, 200ms));
      co_return;
    } catch (const BackendError& e) {
      ++soak->caught;
      say(name + ": caught BackendError('" + e.what() + "')" +
          (attempt == 1 ? ", retrying" : ", giving up"));
    }
  }
}

/// Raises out of the task: the done-callback retrieves the exception, the supervisor logs it.
Coro<void> crash_job(std::uint64_t seed)
{
  co_await sleep(random_duration(seed, 500ms));
  throw BackendError("unexpected reply");
}

/// Wants 2 to 10 s: the supervisor cancels it after 5 s. On CancelledError it closes its
/// connection (one more step) and re-raises.
Coro<void> straggler_job(std::uint64_t seed)
{
  std::exception_ptr cancelled;
  try {
    co_await sleep(2s + random_duration(seed, 8s));
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    co_await sleep(0s);  // closing the connection
    std::rethrow_exception(cancelled);
  }
}

// ---- bookkeeping

std::string failure_text(const std::string& name, const std::exception_ptr& e)
{
  try {
    std::rethrow_exception(e);
  } catch (const BackendError& b) {
    return name + " raised BackendError('" + b.what() + "')";
  } catch (...) {
    return name + " raised " + describe_exception(e);
  }
}

/// A job's done-callback (a plain callback, one iteration after the job finished): counts its
/// outcome, retrieves a failure (asyncio's `task.exception()` in a done-callback), and drops the
/// job from the alive set, with it the scenario's last handle on it.
void job_done(const std::weak_ptr<Soak>& weak, std::uint32_t id, TaskBase& t)
{
  const std::shared_ptr<Soak> soak = weak.lock();
  std::exception_ptr failure;
  if (!t.cancelled())
    failure = t.exception();  // marks it retrieved
  if (!soak)
    return;
  soak->alive.erase(id);
  if (t.cancelled()) {
    ++soak->cancelled;
  } else if (failure) {
    ++soak->failed;
    if (soak->failures.size() < kMaxFailureLines)
      soak->failures.push_back(failure_text(t.name(), failure));
    else
      ++soak->failures_unlogged;
  } else {
    ++soak->ok;
  }
}

void log_failures(Soak& soak, std::string_view who)
{
  for (const std::string& line : soak.failures)
    say(std::string(who) + ": " + line);
  soak.failures.clear();
  if (soak.failures_unlogged > 0) {
    say(std::string(who) + ": and " + std::to_string(soak.failures_unlogged) + " more failed jobs");
    soak.failures_unlogged = 0;
  }
}

/// Creates one job of a random kind, or counts it skipped if max_alive jobs are alive.
void spawn(const std::shared_ptr<Soak>& soak, std::uint64_t& rng, Duration max_sleep,
           std::size_t max_alive)
{
  if (soak->alive.size() >= max_alive) {
    ++soak->skipped;
    return;
  }
  const std::uint64_t seed = next_random(rng);
  const double r = unit_random(rng);
  const std::string n = std::to_string(++soak->spawned);
  Task<void> task;
  bool straggler = false;
  if (r < 0.52) {
    task = create_task(sleeper_job(seed, max_sleep), "sleeper-" + n);
  } else if (r < 0.72) {
    task = create_task(fetch_job(soak, seed), "fetch-" + n);
  } else if (r < 0.87) {
    task = create_task(deadline_job(soak, seed), "deadline-" + n);
  } else if (r < 0.91) {
    task = create_task(flaky_job(soak, "flaky-" + n, seed), "flaky-" + n);
  } else if (r < 0.92) {
    task = create_task(crash_job(seed), "crash-" + n);
  } else {
    task = create_task(straggler_job(seed), "straggler-" + n);
    straggler = true;
  }
  const std::uint32_t id = task.id();
  task.add_done_callback(
      [weak = std::weak_ptr<Soak>(soak), id](TaskBase& t) { job_done(weak, id, t); });
  soak->alive.emplace(id, Soak::Job{std::move(task), to_ns(Loop::running().now()), straggler});
  soak->max_alive_seen = std::max(soak->max_alive_seen, soak->alive.size());
}

// ---- the long-lived tasks

/// Every 0.5 s: cancels the stragglers running for 5 s or more, logs the crashed jobs.
Coro<void> supervisor(std::shared_ptr<Soak> soak)
{
  Loop& loop = Loop::running();
  for (;;) {
    co_await sleep(kSupervise);
    const std::int64_t cutoff = to_ns(loop.now()) - kPatience.count();
    // The map is in creation order, so the old jobs come first.
    for (auto& [id, job] : soak->alive) {
      if (job.start_ns > cutoff)
        break;
      if (job.straggler && !job.cancel_sent) {
        job.cancel_sent = true;
        // False if it has just finished (its done-callback has not run yet).
        if (job.task.cancel("supervisor: running for over 5 s"))
          ++soak->supervisor_cancels;
      }
    }
    log_failures(*soak, "supervisor");
  }
}

/// Puts an item every 0 to 20 ms (waits while the queue is full).
Coro<void> producer(std::shared_ptr<Soak> soak, std::uint64_t seed)
{
  for (int item = 1;; ++item) {
    co_await soak->queue.put(item);
    ++soak->produced;
    co_await sleep(random_duration(seed, 20ms));
  }
}

/// Takes the items, 0 to 18 ms of work each.
Coro<void> consumer(std::shared_ptr<Soak> soak, std::uint64_t seed)
{
  for (;;) {
    co_await soak->queue.get();
    co_await sleep(random_duration(seed, 18ms));
    soak->queue.task_done();
    ++soak->consumed;
  }
}

// ---- main

struct SoakConfig
{
  Duration duration{};
  int rate = 0;
  std::size_t max_alive = 0;
  Duration max_sleep{};
  std::uint64_t seed = 0;
};

std::string counts_text(const Soak& s)
{
  return std::to_string(s.ok) + " ok, " + std::to_string(s.cancelled) + " cancelled, " +
         std::to_string(s.failed) + " failed; " + std::to_string(s.timeouts) + " timeouts, " +
         std::to_string(s.caught) + " errors caught";
}

std::string progress_text(const Soak& s)
{
  return now_text() + ": spawned " + std::to_string(s.spawned) + ", alive " +
         std::to_string(s.alive.size()) + " (max " + std::to_string(s.max_alive_seen) +
         "), loop tasks " + std::to_string(Loop::running().task_count()) + "; " + counts_text(s) +
         "; queue " + std::to_string(s.queue.qsize()) + "/" + std::to_string(kQueueSize) + ", " +
         std::to_string(s.consumed) + " items consumed";
}

Coro<void> soak_run(std::shared_ptr<Soak> soak, SoakConfig c)
{
  Loop& loop = Loop::running();
  std::uint64_t rng = c.seed;
  Task<void> sup = create_task(supervisor(soak), "supervisor");
  Task<void> prod = create_task(producer(soak, next_random(rng)), "producer");
  Task<void> cons = create_task(consumer(soak, next_random(rng)), "consumer");

  // `total` jobs over `ticks` ticks: tick k spawns total*(k+1)/ticks - total*k/ticks, so exactly
  // `total` are due whatever the rounding.
  const std::int64_t ticks = std::max<std::int64_t>(1, c.duration / kTick);
  const std::int64_t total = c.rate * ticks * kTick.count() / 1'000'000'000;
  const std::int64_t report_ticks = kReportEvery / kTick;
  say("soak: " + std::to_string(total) + " jobs over " + seconds_text(kTick * ticks) + " (" +
      std::to_string(c.rate) + " a second), at most " + std::to_string(c.max_alive) +
      " alive at once");
  const TimePoint t0 = loop.now();
  for (std::int64_t k = 0; k < ticks; ++k) {
    const std::int64_t due = total * (k + 1) / ticks - total * k / ticks;
    for (std::int64_t i = 0; i < due; ++i)
      spawn(soak, rng, c.max_sleep, c.max_alive);
    // To the next tick on the loop's time, so slow steps do not stretch the run.
    co_await sleep(t0 + kTick * (k + 1) - loop.now());
    if ((k + 1) % report_ticks == 0)
      say(progress_text(*soak));
  }

  say(now_text() + ": spawning over; waiting for the " + std::to_string(soak->alive.size()) +
      " jobs still alive");
  std::vector<Task<void>> rest;
  rest.reserve(soak->alive.size());
  for (const auto& [id, job] : soak->alive)
    rest.push_back(job.task);
  if (!rest.empty())
    co_await gather(return_exceptions, std::move(rest));
  sup.cancel("soak over");
  prod.cancel("soak over");
  cons.cancel("soak over");
  co_await gather(return_exceptions, sup, prod, cons);
  co_await sleep(0s);  // the last done-callbacks run
  log_failures(*soak, "main");
  say("soak done at " + now_text() + ": spawned " + std::to_string(soak->spawned) + " of " +
      std::to_string(total) + " (" + std::to_string(soak->skipped) +
      " skipped at the bound), max alive " + std::to_string(soak->max_alive_seen) + "; " +
      counts_text(*soak) + "; " + std::to_string(soak->supervisor_cancels) +
      " cancelled by the supervisor; " + std::to_string(soak->produced) + " items produced, " +
      std::to_string(soak->consumed) + " consumed");
}

Coro<void> soak_main(SoakConfig c)
{
  auto soak = std::make_shared<Soak>(Loop::running());
  try {
    co_await soak_run(soak, c);
  } catch (const CancelledError&) {
    // The user's Cancel or SIGINT: the Runner's shutdown cancels the jobs and helpers left.
    say("soak cancelled at " + now_text() + " after spawning " + std::to_string(soak->spawned) +
        "; " + std::to_string(soak->alive.size()) + " jobs alive");
    throw;
  }
}

}  // namespace

Scenario soak()
{
  Scenario s;
  s.id = "soak";
  s.title = "Soak: short tasks spawned for an hour, memory stays bounded";
  s.description =
      "main spawns short-lived jobs at a steady rate for a long time (an hour of loop time by "
      "default), never more than a bound alive at once. The jobs are a realistic mix: sleeps "
      "and sleep(0) yields; wait_for() and timeout() calls of 0.5 s, about half of which fire; "
      "flaky calls that raise, are caught, logged and retried; a few jobs that crash (their "
      "exception is retrieved and logged by a supervisor); and stragglers that the supervisor "
      "cancels after 5 s. A producer and a consumer share a bounded queue all along. Every 10 s "
      "main prints how many jobs it spawned and how many are alive. A finished job is released "
      "at once, so the engine's memory stays flat; watch the viewer's memory with its "
      "retention. Seeded: the same seed gives the same run.";
  s.params = {
      seconds_param("duration", "Duration",
                    "How long main keeps spawning; it then waits for the jobs left and ends.", 3600,
                    1, 86400),
      int_param("rate", "Jobs per second", "How many jobs main spawns per second of loop time.",
                200, 1, 5000),
      int_param("max_alive", "Most alive",
                "The most jobs alive at once: a job due while this many are alive is skipped "
                "(and counted).",
                1000, 10, 100000),
      seconds_param("max_sleep", "Longest sleep",
                    "A sleeper job's first sleep is random up to this; its second up to half of "
                    "it.",
                    1, 0.01, 10),
      int_param("seed", "Seed", "Seed of the random choices (same seed, same run).", 1, 0, 1000000),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    SoakConfig c;
    c.duration = a.seconds("duration");
    c.rate = a.count("rate");
    c.max_alive = static_cast<std::size_t>(a.count("max_alive"));
    c.max_sleep = a.seconds("max_sleep");
    c.seed = static_cast<std::uint64_t>(a.count("seed"));
    return soak_main(c);
  };
  return s;
}

}  // namespace loopscope::engine::scenarios::detail
