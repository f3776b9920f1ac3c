// SPDX-License-Identifier: GPL-3.0-or-later
// Scenarios about deadlines: timeout() with retries, wait_for() over several calls, and a race
// decided by wait(FIRST_COMPLETED).
#include "engine/engine.h"
#include "engine/scenarios.h"

#include <array>
#include <chrono>
#include <cmath>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace loopscope::engine::scenarios::detail {

namespace {

using namespace std::chrono_literals;

// ---- timeout

/// A slow operation awaited inline in the caller's task (no task of its own).
Coro<std::string> slow_operation(int attempt, Duration needs)
{
  say("attempt " + std::to_string(attempt) + ": operation started, needs " + seconds_text(needs));
  try {
    co_await sleep(needs);
  } catch (const CancelledError&) {
    say("attempt " + std::to_string(attempt) + ": operation cancelled at " + now_text() +
        " (the timeout fired)");
    throw;
  }
  co_return "report #" + std::to_string(attempt);
}

Coro<void> timeout_main(Duration operation, Duration limit, int attempts)
{
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    try {
      const std::string result = co_await timeout(limit).run(slow_operation(attempt, operation));
      say("attempt " + std::to_string(attempt) + ": got " + result + " within " +
          seconds_text(limit));
      co_return;
    } catch (const TimeoutError&) {
      say("attempt " + std::to_string(attempt) + ": TimeoutError after " + seconds_text(limit) +
          " (handled)");
    }
    if (attempt < attempts) {
      limit *= 2;
      say("retrying in 0.25 s with a timeout of " + seconds_text(limit));
      co_await sleep(250ms);
    }
  }
  say("giving up after " + std::to_string(attempts) + " attempts");
}

// ---- wait-for

/// How long each call takes: every second one is slower than the default timeout of 1 s.
constexpr std::array<double, 10> kCallSeconds{0.4, 1.5, 0.8, 2.0, 0.6, 1.2, 0.3, 1.8, 0.5, 2.5};

Coro<int> remote_call(int n, Duration needs)
{
  try {
    co_await sleep(needs);
  } catch (const CancelledError&) {
    say("call-" + std::to_string(n) + ": cancelled by wait_for's timeout");
    throw;
  }
  co_return n * 10;
}

Coro<void> wait_for_main(int calls, Duration limit)
{
  int answered = 0;
  for (int n = 1; n <= calls; ++n) {
    const Duration needs = from_seconds(kCallSeconds[static_cast<std::size_t>(n - 1)]);
    Task<int> call = create_task(remote_call(n, needs), "call-" + std::to_string(n));
    say("call-" + std::to_string(n) + " needs " + seconds_text(needs) + "; wait_for(call, " +
        seconds_text(limit) + ")");
    const TaskBase& self = *current_task();
    try {
      const int reply = co_await wait_for(call, limit);
      ++answered;
      say("call-" + std::to_string(n) + " answered " + std::to_string(reply));
    } catch (const TimeoutError&) {
      say("call-" + std::to_string(n) + ": TimeoutError (the call task was cancelled)");
    } catch (const CancelledError&) {
      // The call was cancelled by someone else (you?): wait_for passes the CancelledError on.
      // Main goes on to the next call, unless it is main that is being cancelled.
      if (self.cancelling() > 0)
        throw;
      say("call-" + std::to_string(n) +
          " was cancelled from outside: CancelledError, not a timeout");
    }
  }
  say(std::to_string(answered) + " of " + std::to_string(calls) + " calls answered in time, " +
      std::to_string(calls - answered) + " timed out");
}

// ---- wait-first-completed

Coro<std::string> backend(std::string name, Duration needs)
{
  try {
    co_await sleep(needs);
  } catch (const CancelledError&) {
    say(name + ": cancelled at " + now_text());
    throw;
  }
  co_return name + "'s answer";
}

/// One race: both requests start at once; the first answer wins, the loser is cancelled.
Coro<void> race(int round, Duration primary, Duration fallback, Duration limit)
{
  const std::string n = std::to_string(round);
  say("round " + n + ": primary needs " + seconds_text(primary) + ", fallback " +
      seconds_text(fallback) + "; wait(FIRST_COMPLETED, timeout=" + seconds_text(limit) + ")");
  std::vector<Task<std::string>> racers{
      create_task(backend("primary-" + n, primary), "primary-" + n),
      create_task(backend("fallback-" + n, fallback), "fallback-" + n)};
  WaitResult<std::string> r = co_await wait(racers, limit, ReturnWhen::FirstCompleted);
  if (r.done.empty()) {
    say("round " + n + ": no answer within " + seconds_text(limit) +
        " (wait() returns, it does not raise); cancelling both");
  } else if (const Task<std::string>& first = r.done.front(); first.cancelled()) {
    say("round " + n + ": " + first.name() + " was cancelled from outside; cancelling the other");
  } else {
    say("round " + n + ": " + first.name() + " won with \"" + first.result() + "\"" +
        (r.pending.empty() ? std::string() : "; cancelling the loser"));
  }
  for (Task<std::string>& t : r.pending)
    t.cancel(r.done.empty() ? "timed out" : "lost the race");
  // wait() never cancels nor awaits the pending tasks: await them so their cancellation ends
  // here, not in the shutdown.
  if (!r.pending.empty())
    co_await gather(return_exceptions, r.pending);
}

Coro<void> wait_first_main(Duration primary, Duration fallback, Duration limit)
{
  co_await race(1, primary, fallback, limit);
  say("the network slows down: every request now takes 3 times as long");
  co_await race(2, primary * 3, fallback * 3, limit);
}

}  // namespace

Scenario timeout_retry()
{
  Scenario s;
  s.id = "timeout";
  s.title = "timeout(): TimeoutError handled, then a retry that fits";
  s.description =
      "main runs a slow operation inside `async with timeout(...)`. When the deadline passes, "
      "the scope cancels main, the CancelledError unwinds the operation, and the scope turns it "
      "into a TimeoutError, which main handles. It retries with twice the timeout until the "
      "operation fits. Watch the TimeoutArmed, TimeoutFired and TimeoutDisarmed events and the "
      "cancellation of main at each deadline; set the timeout above the operation time to see "
      "it succeed at once.";
  s.params = {
      seconds_param("operation", "Operation", "How long the operation takes.", 3, 0.1, 20),
      seconds_param("timeout", "Timeout", "The first attempt's timeout; each retry doubles it.", 1,
                    0.1, 20),
      int_param("attempts", "Attempts", "How many attempts before giving up.", 4, 1, 10),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return timeout_main(a.seconds("operation"), a.seconds("timeout"), a.count("attempts"));
  };
  return s;
}

Scenario wait_for_calls()
{
  Scenario s;
  s.id = "wait-for";
  s.title = "wait_for(): several calls, the slow ones time out";
  s.description =
      "main makes a series of calls, each a named task awaited with wait_for(call, timeout). "
      "The calls take between 0.3 and 2.5 s; those slower than the timeout are cancelled when it "
      "expires and main gets a TimeoutError, which it handles before the next call. Watch each "
      "timeout cancel main and the cancellation propagate to the awaited call task. Raise the "
      "timeout to let every call answer.";
  s.params = {
      int_param("calls", "Calls", "How many calls main makes, one after the other.", 6, 1,
                static_cast<int>(kCallSeconds.size())),
      seconds_param("timeout", "Timeout", "wait_for's timeout for each call.", 1, 0.1, 5),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return wait_for_main(a.count("calls"), a.seconds("timeout"));
  };
  return s;
}

Scenario wait_first_completed()
{
  Scenario s;
  s.id = "wait-first-completed";
  s.title = "wait(FIRST_COMPLETED): primary vs fallback, the loser cancelled";
  s.description =
      "A primary and a fallback request race, awaited with wait(..., FIRST_COMPLETED, "
      "timeout). In the first round the faster one wins and main cancels the loser, then "
      "awaits it so its cancellation completes. In the second round every request is three "
      "times slower: the timeout passes first, wait() returns with both still pending (it does "
      "not raise TimeoutError) and main cancels both. Watch the loser's CancelRequested event "
      "right after the winner's TaskDone.";
  s.params = {
      seconds_param("primary", "Primary", "How long the primary request takes.", 3, 0.1, 20),
      seconds_param("fallback", "Fallback", "How long the fallback request takes.", 1.5, 0.1, 20),
      seconds_param("timeout", "Timeout", "wait()'s timeout in each round.", 2, 0.1, 20),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return wait_first_main(a.seconds("primary"), a.seconds("fallback"), a.seconds("timeout"));
  };
  return s;
}

}  // namespace loopscope::engine::scenarios::detail
