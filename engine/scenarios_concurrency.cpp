// SPDX-License-Identifier: GPL-3.0-or-later
// Scenarios about running things concurrently: a blocking call vs an await, sequential awaits vs
// gather, gather vs TaskGroup on a failure, to_thread, and ten thousand tasks.
#include "engine/engine.h"
#include "engine/scenarios.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace loopscope::engine::scenarios::detail {

namespace {

using namespace std::chrono_literals;

// ---- blocking-call

/// What the ticker measured: the longest gap between two of its ticks (it asks for 0.25 s).
struct TickStats
{
  std::int64_t last_ns = -1;
  std::int64_t longest_ns = 0;
  void reset() { *this = TickStats{}; }
};

Coro<void> ticker(std::shared_ptr<TickStats> stats)
{
  Loop& loop = Loop::running();
  for (int n = 1;; ++n) {
    co_await sleep(250ms);
    const std::int64_t now = to_ns(loop.now());
    if (stats->last_ns >= 0)
      stats->longest_ns = std::max(stats->longest_ns, now - stats->last_ns);
    stats->last_ns = now;
    say("tick " + std::to_string(n));
  }
}

/// time.sleep(d) on the loop thread: nothing else runs until it returns. On a virtual clock the
/// time passes without waiting (the clock is moved inside the step), so replays stay fast and
/// deterministic; on a real clock it really sleeps, for d of loop time at the clock's scale.
void block_loop(Duration d)
{
  Loop& loop = Loop::running();
  if (loop.virtual_time())
    loop.clock().advance_to(to_ns(loop.now()) + d.count());
  else
    std::this_thread::sleep_for(Duration(loop.clock().wall_wait_ns(d.count())));
}

Coro<void> blocker(Duration d)
{
  co_await sleep(500ms);
  say("blocker: time.sleep(" + seconds_text(d) + ") inside a step: the loop is blocked");
  block_loop(d);
  say("blocker: back at " + now_text() + "; no other task ran meanwhile");
  co_await sleep(500ms);
}

Coro<void> sleeper(Duration d)
{
  co_await sleep(500ms);
  say("sleeper: await sleep(" + seconds_text(d) + "): the loop runs other tasks meanwhile");
  co_await sleep(d);
  say("sleeper: back at " + now_text());
  co_await sleep(500ms);
}

Coro<void> blocking_main(Duration d, bool compare)
{
  auto stats = std::make_shared<TickStats>();
  Task<void> tick = create_task(ticker(stats), "ticker");
  say("1. a blocking call: the ticker wants to tick every 0.25 s");
  // gather(return_exceptions=True): if you cancel the blocker or the sleeper, main goes on.
  Task<void> blocking = create_task(blocker(d), "blocker");
  co_await gather(return_exceptions, blocking);
  say("1. longest gap between ticks: " + seconds_text(Duration(stats->longest_ns)));
  if (compare) {
    stats->reset();
    say("2. the same wait as co_await sleep()");
    Task<void> sleeping = create_task(sleeper(d), "sleeper");
    co_await gather(return_exceptions, sleeping);
    say("2. longest gap between ticks: " + seconds_text(Duration(stats->longest_ns)));
  }
  tick.cancel("done");
  co_await gather(return_exceptions, tick);
}

// ---- sequential-vs-gather

Coro<std::string> fetch(std::string what, Duration needs)
{
  co_await sleep(needs);
  co_return what + " data";
}

Coro<void> sequential_main(std::array<Duration, 3> needs)
{
  const std::array<std::string, 3> names{"users", "orders", "stock"};
  Loop& loop = Loop::running();

  say("sequential: three awaits in a loop");
  const TimePoint t0 = loop.now();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string data = co_await fetch(names[i], needs[i]);
    say("sequential: got " + data);
  }
  say("sequential: done in " + seconds_text(loop.now() - t0) + " (the sum)");

  say("gather: the same three as tasks");
  const TimePoint t1 = loop.now();
  auto [a, b, c] = co_await gather(create_task(fetch(names[0], needs[0]), "fetch-" + names[0]),
                                   create_task(fetch(names[1], needs[1]), "fetch-" + names[1]),
                                   create_task(fetch(names[2], needs[2]), "fetch-" + names[2]));
  say("gather: got " + a + ", " + b + ", " + c);
  say("gather: done in " + seconds_text(loop.now() - t1) + " (the longest)");
}

// ---- gather-vs-taskgroup

Coro<void> sibling(std::string name, Duration needs)
{
  try {
    co_await sleep(needs);
  } catch (const CancelledError&) {
    say(name + ": cancelled at " + now_text());
    throw;
  }
  say(name + ": finished at " + now_text());
}

Coro<void> failing(std::string name, Duration after)
{
  co_await sleep(after);
  say(name + ": raising ValueError");
  throw std::invalid_argument("bad record");
}

Coro<void> group_body(TaskGroup& tg, Duration needs, Duration fail_after)
{
  tg.create_task(sibling("tg-sibling-1", needs), "tg-sibling-1");
  tg.create_task(failing("tg-failing", fail_after), "tg-failing");
  tg.create_task(sibling("tg-sibling-2", needs), "tg-sibling-2");
  say("TaskGroup: body done, the group waits for its three children");
  co_return;
}

Coro<void> gather_vs_taskgroup_main(Duration needs, Duration fail_after)
{
  say("1. gather: one of three children fails");
  Task<void> s1 = create_task(sibling("gather-sibling-1", needs), "gather-sibling-1");
  Task<void> bad = create_task(failing("gather-failing", fail_after), "gather-failing");
  Task<void> s2 = create_task(sibling("gather-sibling-2", needs), "gather-sibling-2");
  try {
    co_await gather(s1, bad, s2);
    say("gather: returned without an error");
  } catch (const std::exception&) {
    say("gather raised " + describe_exception(std::current_exception()) + " at " + now_text() +
        "; the siblings were not cancelled and keep running");
  }
  co_await gather(return_exceptions, s1, s2);
  say("gather: " + s1.name() + " " + (s1.cancelled() ? "was cancelled" : "finished") + ", " +
      s2.name() + " " + (s2.cancelled() ? "was cancelled" : "finished"));

  say("2. TaskGroup: the same three children");
  TaskGroup tg;
  try {
    co_await tg.run(group_body(tg, needs, fail_after));
    say("TaskGroup: exited without an error");
  } catch (const ExceptionGroup& eg) {
    std::string leaves;
    for (const std::exception_ptr& e : eg.leaves())
      leaves += (leaves.empty() ? "" : ", ") + describe_exception(e);
    say(std::string("TaskGroup raised ExceptionGroup: ") + eg.what() + " [" + leaves +
        "]; it cancelled the siblings first");
  }
}

// ---- to-thread

/// The blocking call, on a worker thread of the default executor.
std::string read_file_blocking(int n, std::int64_t wall_ns)
{
  std::this_thread::sleep_for(std::chrono::nanoseconds(wall_ns));
  return "file-" + std::to_string(n) + ".bin";
}

Coro<void> offload(int n, Duration needs)
{
  Loop& loop = Loop::running();
  say("offload-" + std::to_string(n) + ": to_thread(read_file) blocks a worker thread for " +
      seconds_text(needs));
  // On a real clock the thread sleeps long enough for `needs` of loop time (time scale).
  ExecutorFuture<std::string> job =
      to_thread(&read_file_blocking, n, loop.clock().wall_wait_ns(needs.count()));
  const std::string data = co_await job;
  say("offload-" + std::to_string(n) + ": got " + data + " at " + now_text());
}

/// Ticks every 0.25 s, `ticks` times (bounded, so a virtual clock cannot spin while it waits
/// for the threads).
Coro<void> counted_ticker(int ticks)
{
  for (int n = 1; n <= ticks; ++n) {
    co_await sleep(250ms);
    say("tick " + std::to_string(n) + ": the loop is free");
  }
}

Coro<void> to_thread_main(int jobs, Duration needs)
{
  const int ticks = static_cast<int>(std::ceil(static_cast<double>(needs.count()) / 250e6)) + 2;
  Task<void> tick = create_task(counted_ticker(ticks), "ticker");
  std::vector<Task<void>> offloads;
  for (int n = 1; n <= jobs; ++n)
    offloads.push_back(create_task(offload(n, needs), "offload-" + std::to_string(n)));
  const std::vector<Outcome<void>> outcomes = co_await gather(return_exceptions, offloads);
  int ok = 0;
  for (const Outcome<void>& o : outcomes)
    ok += o.ok() ? 1 : 0;
  say(std::to_string(ok) + " of " + std::to_string(jobs) +
      " blocking calls done on worker threads; the loop never blocked");
  co_await gather(return_exceptions, tick);
}

// ---- many-tasks

struct Progress
{
  int done = 0;
};

Coro<void> short_job(Duration first, int yields, Duration second,
                     std::shared_ptr<Progress> progress)
{
  co_await sleep(first);
  for (int i = 0; i < yields; ++i)
    co_await sleep(0s);  // asyncio.sleep(0): back of the ready queue
  co_await sleep(second);
  ++progress->done;
}

Coro<void> monitor(std::shared_ptr<Progress> progress, int count)
{
  for (;;) {
    co_await sleep(250ms);
    say(std::to_string(progress->done) + " / " + std::to_string(count) + " tasks done");
  }
}

Coro<void> many_tasks_main(int count, Duration max_sleep, std::uint64_t seed)
{
  auto progress = std::make_shared<Progress>();
  std::uint64_t state = seed;
  std::vector<Task<void>> jobs;
  jobs.reserve(static_cast<std::size_t>(count));
  const auto max_ns = static_cast<double>(max_sleep.count());
  for (int i = 1; i <= count; ++i) {
    const Duration first(std::llround(max_ns * unit_random(state)));
    const Duration second(std::llround(max_ns * 0.5 * unit_random(state)));
    const int yields = static_cast<int>(next_random(state) % 4);
    char name[16];
    std::snprintf(name, sizeof name, "job-%05d", i);
    jobs.push_back(create_task(short_job(first, yields, second, progress), name));
  }
  say("created " + std::to_string(count) + " tasks in one step; gathering them");
  Task<void> mon = create_task(monitor(progress, count), "progress");
  const std::vector<Outcome<void>> outcomes = co_await gather(return_exceptions, std::move(jobs));
  const auto cancelled = std::count_if(outcomes.begin(), outcomes.end(),
                                       [](const Outcome<void>& o) { return o.cancelled(); });
  say("all " + std::to_string(count) + " tasks done at " + now_text() + " (" +
      std::to_string(cancelled) + " cancelled)");
  mon.cancel("done");
  co_await gather(return_exceptions, mon);
}

}  // namespace

Scenario blocking_call()
{
  Scenario s;
  s.id = "blocking-call";
  s.title = "Blocking call: time.sleep() in a step vs await sleep()";
  s.description =
      "A ticker wants to tick every 0.25 s while a task \"blocker\" calls time.sleep() inside "
      "one of its steps: the loop thread is stuck, the ticker's wake-up comes late, and the "
      "step is reported as a SlowStep (and, beyond 1 s, a NeverYields diagnostic). Then a task "
      "\"sleeper\" waits just as long with `await sleep()`, and the ticker stays on time. "
      "Compare the two longest gaps printed by main. (On a virtual clock the blocking call "
      "advances the clock instead of sleeping.)";
  s.params = {
      seconds_param("block", "Blocking call", "How long the call blocks the loop thread.", 1.5, 0.1,
                    10),
      bool_param("compare", "Compare with await",
                 "Afterwards wait just as long with await sleep(), for comparison.", true),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return blocking_main(a.seconds("block"), a.flag("compare"));
  };
  return s;
}

Scenario sequential_vs_gather()
{
  Scenario s;
  s.id = "sequential-vs-gather";
  s.title = "Sequential awaits vs gather(): the sum vs the longest";
  s.description =
      "main fetches three things twice. First with three awaits in a loop: each fetch starts "
      "when the previous one has finished, so it takes the sum of the three times. Then as "
      "three tasks awaited with gather(): they wait side by side, so it takes as long as the "
      "slowest. Compare the two durations main prints, and main's single row against the three "
      "fetch rows on the timeline.";
  s.params = {
      seconds_param("users", "Users fetch", "How long fetching the users takes.", 1, 0.1, 10),
      seconds_param("orders", "Orders fetch", "How long fetching the orders takes.", 2, 0.1, 10),
      seconds_param("stock", "Stock fetch", "How long fetching the stock takes.", 1.5, 0.1, 10),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return sequential_main({a.seconds("users"), a.seconds("orders"), a.seconds("stock")});
  };
  return s;
}

Scenario gather_vs_taskgroup()
{
  Scenario s;
  s.id = "gather-vs-taskgroup";
  s.title = "gather() vs TaskGroup when one child fails";
  s.description =
      "Three children, one of which raises ValueError early. With gather() the exception "
      "reaches main at once but the two siblings are not cancelled: they run to the end. With a "
      "TaskGroup the failure cancels the siblings, the group waits for them, and raises an "
      "ExceptionGroup, which main catches and prints. Watch the siblings' outcomes: finished "
      "under gather, cancelled under the TaskGroup.";
  s.params = {
      seconds_param("fail_after", "Failure after", "When the failing child raises.", 1, 0.1, 10),
      seconds_param("siblings", "Siblings", "How long the two other children take.", 3, 0.1, 20),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return gather_vs_taskgroup_main(a.seconds("siblings"), a.seconds("fail_after"));
  };
  return s;
}

Scenario to_thread_offload()
{
  Scenario s;
  s.id = "to-thread";
  s.title = "to_thread(): blocking calls on worker threads, the loop stays free";
  s.description =
      "Blocking calls (a file read that takes seconds) run through to_thread() on the default "
      "executor's worker threads while a ticker keeps ticking every 0.25 s: the loop never "
      "blocks. Each offloading task waits on its job (an Executor wait); the ExecutorJobBegin "
      "and ExecutorJobEnd events show when the job really ran and on which thread. At the end "
      "the Runner shuts the executor down. Meant for a real clock: a virtual clock cannot "
      "measure thread work.";
  s.params = {
      int_param("jobs", "Blocking calls", "How many blocking calls run side by side.", 2, 1, 8),
      seconds_param("duration", "Call duration", "How long each blocking call takes.", 2, 0.1, 10),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return to_thread_main(a.count("jobs"), a.seconds("duration"));
  };
  return s;
}

Scenario many_tasks()
{
  Scenario s;
  s.id = "many-tasks";
  s.title = "Ten thousand tasks: short random sleeps and yields";
  s.description =
      "main creates ten thousand tasks in one step and gathers them. Each sleeps a random "
      "(seeded, so every run is the same) time, yields a few times with sleep(0), sleeps again "
      "and ends; a progress task prints how many are done. It shows the loop scheduling many "
      "short steps, and how the viewer copes with a crowded timeline: zoom in on a burst. "
      "Change the seed for another pattern.";
  s.params = {
      int_param("count", "Tasks", "How many tasks main creates.", 10000, 1, 100000),
      seconds_param("max_sleep", "Longest sleep",
                    "Each task's first sleep is random up to this; its second up to half of it.", 2,
                    0.01, 10),
      int_param("seed", "Seed", "Seed of the random sleeps (same seed, same run).", 1, 0, 1000000),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return many_tasks_main(a.count("count"), a.seconds("max_sleep"),
                           static_cast<std::uint64_t>(a.count("seed")));
  };
  return s;
}

}  // namespace loopscope::engine::scenarios::detail
