// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoscenario.h"

#include <engine/engine.h>

#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace loopscope::app {

namespace {

using namespace std::chrono_literals;
using engine::CancelledError;
using engine::Coro;
using engine::Task;

// Scenario output: a Print event in the trace.
void say(const std::string& text)
{
  engine::Loop::running().print(text);
}

Coro<void> ticker()
{
  for (int tick = 1;; ++tick) {
    co_await engine::sleep(500ms);
    say("tick " + std::to_string(tick));
  }
}

// A request that usually answers in 100 ms; the second one takes a full second.
Coro<std::string> fetch(int attempt)
{
  co_await engine::sleep(attempt == 2 ? 1000ms : 100ms);
  co_return "response " + std::to_string(attempt);
}

Coro<void> fetcher()
{
  for (int attempt = 1;; ++attempt) {
    try {
      const std::string response = co_await engine::timeout(300ms).run(fetch(attempt));
      say("got " + response);
      if (attempt == 3) {
        // Synchronous work inside a task: the whole loop waits (asyncio's "slow callback").
        std::this_thread::sleep_for(150ms);
        say("parsed " + response + " (blocked the loop)");
      }
    } catch (const engine::TimeoutError&) {
      say("fetch " + std::to_string(attempt) + " timed out after 300 ms; using the cached value");
    }
    co_await engine::sleep(700ms);
  }
}

Coro<void> stubborn()
{
  bool cancelled = false;
  int extraRounds = 0;
  int round = 0;
  while (!cancelled || extraRounds < 3) {
    if (cancelled) {
      ++extraRounds;
    }
    try {
      co_await engine::sleep(900ms);
      say("round " + std::to_string(++round) + " done");
    } catch (const CancelledError& e) {
      // The bug on purpose: the CancelledError is caught and not re-raised, so the task keeps
      // running and whoever awaits it at shutdown has to wait.
      say("caught CancelledError(\"" + e.message() + "\") and carried on");
      cancelled = true;
    }
  }
  say("finished its extra rounds");
}

Coro<void> validator()
{
  for (int item = 1;; ++item) {
    co_await engine::sleep(600ms);
    if (item == 3) {
      throw std::invalid_argument("item 3 is malformed");
    }
    say("item " + std::to_string(item) + " is valid");
  }
}

// Awaits one worker at shutdown and says how it ended.
Coro<void> join(Task<void> worker)
{
  const engine::TaskBase& self = *engine::current_task();
  const int cancelsBefore = self.cancelling();
  try {
    co_await worker;
    say(worker.name() + " finished");
  } catch (const CancelledError&) {
    // The worker ended cancelled, as asked, unless this task is being cancelled itself (Stop
    // pressed during shutdown): that one must go on up.
    if (self.cancelling() > cancelsBefore) {
      throw;
    }
    say(worker.name() + " was cancelled");
  } catch (const std::exception&) {
    say(worker.name() + " had failed: " + engine::describe_exception(std::current_exception()));
  }
}

}  // namespace

Coro<void> demoScenario()
{
  say("starting four workers");
  std::vector<Task<void>> workers;
  workers.push_back(engine::create_task(ticker(), "ticker"));
  workers.push_back(engine::create_task(fetcher(), "fetcher"));
  workers.push_back(engine::create_task(stubborn(), "stubborn"));
  workers.push_back(engine::create_task(validator(), "validator"));

  // Stop (a cancel of this task) while the workers run still shuts them down properly; the
  // CancelledError is kept and re-raised at the end (C++ cannot co_await inside a handler).
  // uncancel() marks the request as being handled, so the shutdown below can tell a worker's
  // cancellation from a second Stop, and the engine does not report this task as swallowing.
  std::exception_ptr stopped;
  try {
    co_await engine::sleep(4s);
  } catch (const CancelledError&) {
    stopped = std::current_exception();
    engine::current_task()->uncancel();
  }

  const std::string reason = stopped ? "stopped" : "shutdown";
  say("cancelling the workers (\"" + reason + "\")");
  for (Task<void>& worker : workers) {
    worker.cancel(reason);
  }
  for (Task<void>& worker : workers) {
    co_await join(worker);
  }
  if (stopped) {
    std::rethrow_exception(stopped);
  }
  say("all workers are done");
}

}  // namespace loopscope::app
