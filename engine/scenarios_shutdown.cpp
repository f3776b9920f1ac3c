// SPDX-License-Identifier: GPL-3.0-or-later
// Scenarios about stopping: a service shut down cleanly on SIGINT/SIGTERM, the same service
// hanging on a worker that swallows its cancellation, and one worker cancelled by main.
#include "engine/engine.h"
#include "engine/scenarios.h"

#include <chrono>
#include <csignal>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace loopscope::engine::scenarios::detail {

namespace {

using namespace std::chrono_literals;

/// What main shares with the producer, the workers and the signal handlers. Held by shared_ptr:
/// in "swallowed-cancel" the workers outlive main, and the signal handlers stay installed until
/// the loop dies (so a second signal during the shutdown is answered, not fatal to the process).
struct Service
{
  Event stop;
  Queue<int> jobs;
  std::string reason;  // why stop was set

  explicit Service(Loop& loop) : stop(loop, "stop"), jobs(loop, 10, "jobs") {}
};

struct ServiceConfig
{
  int workers = 5;
  Duration run_for{};
  Duration cleanup{};
  int culprit = 0;  // 1-based index of the worker that swallows its cancellation; 0: none
};

std::string worker_name(int i)
{
  return "worker-" + std::to_string(i);
}

/// Python's repr of the error: CancelledError() or CancelledError('shutdown').
std::string cancelled_text(const std::string& message)
{
  return message.empty() ? "CancelledError()" : "CancelledError('" + message + "')";
}

/// Between 0.3 and 0.7 s, depending on the job number.
Duration job_time(int job)
{
  return 300ms + 100ms * (job % 5);
}

/// Puts a job every 0.25 s; waits while the queue is full (ten jobs).
Coro<void> producer(std::shared_ptr<Service> svc)
{
  try {
    for (int job = 1;; ++job) {
      co_await svc->jobs.put(job);
      co_await sleep(250ms);
    }
  } catch (const CancelledError&) {
    say("producer: cancelled, no more jobs");
    throw;
  }
}

/// Takes jobs until cancelled, then runs its cleanup and re-raises the CancelledError — or, when
/// `swallows`, catches it and goes on taking jobs (the bug).
Coro<void> worker(std::string name, std::shared_ptr<Service> svc, Duration cleanup, bool swallows)
{
  for (;;) {
    std::exception_ptr cancelled;
    std::string message;
    try {
      const int job = co_await svc->jobs.get();
      say(name + ": job " + std::to_string(job) + " (" + seconds_text(job_time(job)) + ")");
      co_await sleep(job_time(job));
      svc->jobs.task_done();
    } catch (const CancelledError& e) {
      // C++ cannot co_await inside a handler: keep the error and clean up after it.
      cancelled = std::current_exception();
      message = e.message();
    }
    if (!cancelled)
      continue;
    if (swallows) {
      say(name + ": caught " + cancelled_text(message) +
          " and carried on: the bug, nothing re-raises it");
      continue;  // the error dies with this iteration: a swallowed cancellation
    }
    say(name + ": " + cancelled_text(message) + ", cleaning up (" + seconds_text(cleanup) + ")");
    co_await sleep(cleanup);
    say(name + ": cleanup done, re-raising");
    std::rethrow_exception(cancelled);
  }
}

/// loop.add_signal_handler(SIGINT / SIGTERM, stop.set). The handlers hold the service weakly and
/// stay installed until the loop is destroyed.
void install_stop_handlers(Loop& loop, const std::shared_ptr<Service>& svc)
{
  for (const int signum : {SIGINT, SIGTERM}) {
    loop.add_signal_handler(signum, [weak = std::weak_ptr<Service>(svc), signum] {
      const std::string name = signum == SIGINT ? "SIGINT" : "SIGTERM";
      const std::shared_ptr<Service> s = weak.lock();
      if (!s || s->stop.is_set()) {
        say(name + " received: already shutting down, nothing more to do");
        return;
      }
      say(name + " received: setting the stop event");
      s->reason = name;
      s->stop.set();
    });
  }
}

/// Cancels a call_later handle when the scope ends, however it ends.
struct CancelOnExit
{
  Handle handle;
  explicit CancelOnExit(Handle h) : handle(std::move(h)) {}
  CancelOnExit(const CancelOnExit&) = delete;
  CancelOnExit& operator=(const CancelOnExit&) = delete;
  ~CancelOnExit() { handle.cancel(); }
};

/// The "run for" timer: sets the stop event by itself after `after`.
Handle arm_auto_stop(Loop& loop, const std::shared_ptr<Service>& svc, Duration after)
{
  return loop.call_later(after, [weak = std::weak_ptr<Service>(svc), after] {
    const std::shared_ptr<Service> s = weak.lock();
    if (!s || s->stop.is_set())
      return;
    say("ran for " + seconds_text(after) + ": setting the stop event by itself");
    s->reason = "ran for " + seconds_text(after);
    s->stop.set();
  });
}

/// Starts the producer and the workers (named tasks); returns them, producer first.
std::vector<Task<void>> start_service(const std::shared_ptr<Service>& svc, const ServiceConfig& c)
{
  std::vector<Task<void>> tasks;
  tasks.push_back(create_task(producer(svc), "producer"));
  for (int i = 1; i <= c.workers; ++i)
    tasks.push_back(
        create_task(worker(worker_name(i), svc, c.cleanup, i == c.culprit), worker_name(i)));
  return tasks;
}

Coro<void> graceful_main(ServiceConfig c)
{
  Loop& loop = Loop::running();
  auto svc = std::make_shared<Service>(loop);
  install_stop_handlers(loop, svc);
  const CancelOnExit auto_stop(arm_auto_stop(loop, svc, c.run_for));
  std::vector<Task<void>> tasks = start_service(svc, c);
  say("serving with " + std::to_string(c.workers) +
      " workers; send SIGINT or SIGTERM to stop (stops by itself after " + seconds_text(c.run_for) +
      ")");

  // A cancel of main (the GUI's Cancel) also shuts down gracefully, then ends main cancelled.
  // uncancel() marks that request handled, so the gather below is not cancelled with it.
  std::exception_ptr cancelled;
  try {
    co_await svc->stop.wait();
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
    current_task()->uncancel();
    svc->reason = "main was cancelled";
  }

  say("stopping (" + svc->reason + "): cancelling the producer and " + std::to_string(c.workers) +
      " workers, then gather(return_exceptions=True)");
  for (Task<void>& t : tasks)
    t.cancel("shutdown");
  const std::vector<Outcome<void>> outcomes = co_await gather(return_exceptions, tasks);
  std::size_t clean = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].cancelled())
      ++clean;
    else if (!outcomes[i].ok())
      say(tasks[i].name() + " failed: " + describe_exception(outcomes[i].exception()));
  }
  say("all stopped: " + std::to_string(clean) + " of " + std::to_string(outcomes.size()) +
      " tasks ended cancelled after their cleanup; main returns (" + now_text() + ")");
  if (cancelled)
    std::rethrow_exception(cancelled);
}

Coro<void> swallowed_main(ServiceConfig c)
{
  Loop& loop = Loop::running();
  auto svc = std::make_shared<Service>(loop);
  install_stop_handlers(loop, svc);
  const CancelOnExit auto_stop(arm_auto_stop(loop, svc, c.run_for));
  start_service(svc, c);
  say("serving with " + std::to_string(c.workers) + " workers (" + worker_name(c.culprit) +
      " swallows CancelledError); send SIGINT or SIGTERM to stop (stops by itself after " +
      seconds_text(c.run_for) + ")");
  co_await svc->stop.wait();
  say("stopping (" + svc->reason +
      "): main returns with the workers still running; asyncio.run's shutdown cancels them and "
      "waits for them");
}

Coro<void> cancellable_worker(Duration cleanup)
{
  std::exception_ptr cancelled;
  std::string message;
  try {
    for (int item = 1;; ++item) {
      co_await sleep(500ms);
      say("worker: item " + std::to_string(item) + " done");
    }
  } catch (const CancelledError& e) {
    cancelled = std::current_exception();
    message = e.message();
  }
  say("worker: " + cancelled_text(message) + " at " + now_text() + ", cleaning up (" +
      seconds_text(cleanup) + ")");
  co_await sleep(cleanup);
  say("worker: cleanup done, re-raising CancelledError");
  std::rethrow_exception(cancelled);
}

Coro<void> worker_cancel_main(Duration after, Duration cleanup)
{
  Task<void> w = create_task(cancellable_worker(cleanup), "worker");
  say("main: worker started; cancelling it in " + seconds_text(after));
  co_await sleep(after);
  say("main: worker.cancel(\"stop\"), then await worker");
  w.cancel("stop");
  const TaskBase& self = *current_task();
  const int before = self.cancelling();
  try {
    co_await w;
    say("main: the worker returned normally: it did not let the cancellation end it");
  } catch (const CancelledError&) {
    // The worker ended cancelled, as asked; unless main itself is being cancelled now, which
    // must go on up.
    if (self.cancelling() > before)
      throw;
    say("main: await worker raised CancelledError: the worker ended cancelled (" + now_text() +
        ")");
  }
}

RunnerOptions service_runner(const std::vector<Param>& params, const Values& v)
{
  RunnerOptions o;
  o.grace = Settings(params, v).seconds("grace");
  // The scenario handles SIGINT itself (loop.add_signal_handler), as the program would.
  o.handle_sigint = false;
  return o;
}

}  // namespace

Scenario graceful_shutdown()
{
  Scenario s;
  s.id = "graceful-shutdown";
  s.title = "Graceful shutdown: 5 workers, SIGINT/SIGTERM";
  s.description =
      "A producer feeds a queue of jobs to a pool of workers until a stop event is set, by "
      "SIGINT or SIGTERM (loop.add_signal_handler) or by itself after the \"run for\" time. "
      "Then main cancels every worker and gathers them with return_exceptions=True, so each "
      "worker's cleanup (catch CancelledError, await the cleanup, re-raise) runs to the end. "
      "Press SIGINT or SIGTERM while it serves and watch the CancelRequested and "
      "CancelDelivered events, the overlapping cleanups, and main ending with nothing left for "
      "the Runner's shutdown (exit status 0).";
  s.params = {
      int_param("workers", "Workers", "How many worker tasks take jobs from the queue.", 5, 1, 20),
      seconds_param("run_for", "Run for",
                    "After this long the service sets its stop event by itself.", 20, 1, 120),
      seconds_param("cleanup", "Cleanup",
                    "How long each worker's cleanup awaits after its cancellation.", 0.5, 0, 5),
      seconds_param("grace", "Grace deadline",
                    "How long the Runner's shutdown may wait for tasks main left behind.", 5, 0.5,
                    60),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return graceful_main(
        ServiceConfig{a.count("workers"), a.seconds("run_for"), a.seconds("cleanup"), 0});
  };
  s.runner = [params = s.params](const Values& v) {
    return service_runner(params, v);
  };
  return s;
}

Scenario swallowed_cancel()
{
  Scenario s;
  s.id = "swallowed-cancel";
  s.title = "Swallowed cancellation: shutdown hangs until the grace deadline";
  s.description =
      "The same service, but one worker catches CancelledError and carries on, and main simply "
      "returns once the stop event is set, leaving the workers to asyncio.run's shutdown. The "
      "Runner cancels every remaining task and waits: the others clean up and end, the culprit "
      "goes back to waiting for jobs that never come. Plain asyncio would hang forever; here "
      "the grace deadline expires, a ShutdownHeld diagnostic names the culprit, and the exit "
      "status is 124. Send SIGINT or SIGTERM (or wait for \"run for\") and watch the "
      "CancelSwallowed event and the ShutdownPhase events.";
  s.params = {
      int_param("workers", "Workers", "How many worker tasks take jobs from the queue.", 5, 1, 20),
      int_param("culprit", "Culprit worker",
                "Which worker swallows its CancelledError (capped at the number of workers).", 3, 1,
                20),
      seconds_param("run_for", "Run for",
                    "After this long the service sets its stop event by itself.", 8, 1, 120),
      seconds_param("cleanup", "Cleanup",
                    "How long each well-behaved worker's cleanup awaits after its cancellation.",
                    0.5, 0, 5),
      seconds_param("grace", "Grace deadline",
                    "How long the Runner's shutdown waits before giving up on the culprit.", 5, 1,
                    60),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    const int workers = a.count("workers");
    return swallowed_main(ServiceConfig{workers, a.seconds("run_for"), a.seconds("cleanup"),
                                        std::min(a.count("culprit"), workers)});
  };
  s.runner = [params = s.params](const Values& v) {
    return service_runner(params, v);
  };
  return s;
}

Scenario worker_cancel()
{
  Scenario s;
  s.id = "worker-cancel";
  s.title = "Cancelling a worker: cleanup, re-raise, CancelledError in the awaiter";
  s.description =
      "A worker processes an item every 0.5 s. After a while main calls worker.cancel(\"stop\") "
      "and awaits it: the worker catches the CancelledError, awaits its cleanup, and re-raises, "
      "so it ends cancelled and main's await raises CancelledError, which main handles. Watch "
      "the CancelRequested event on the worker, the CancelDelivered event at its sleep, and a "
      "second CancelDelivered (through the task) in main. Try cancelling the worker yourself "
      "before main does.";
  s.params = {
      seconds_param("cancel_after", "Cancel after", "When main cancels the worker.", 3, 0.1, 30),
      seconds_param("cleanup", "Cleanup", "How long the worker's cleanup awaits before re-raising.",
                    1, 0, 10),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return worker_cancel_main(a.seconds("cancel_after"), a.seconds("cleanup"));
  };
  return s;
}

}  // namespace loopscope::engine::scenarios::detail
