// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The catalogue of built-in scenarios the app offers: small asyncio programs, written against the
// engine's own API, each showing one pattern (or one classic bug) on the timeline. Plain C++20,
// no Qt: the app lists them in a menu and edits their parameters; tests run them on a virtual
// clock.
//
// How a scenario runs (the app's engine thread, or a test):
//
//     const Scenario& s = *scenarios::find("graceful-shutdown");
//     Runner runner(loop, s.runner ? s.runner(values) : RunnerOptions{});
//     runner.run(s.main(values));      // the task "main"
//     runner.close();                  // asyncio.run's shutdown; runner.report() has the status
//
// Protocol: main(values) reads the values at once (the Values may go away right after the call)
// and returns a lazily started coroutine, which must run inside a task on a Loop. Every scenario
// ends by itself (a few seconds to ~30 s of loop time with the defaults; "soak" runs for its
// `duration`, an hour by default, and then ends), names its tasks and
// objects, and prints its progress as Print events. The user may meanwhile cancel any task or
// send SIGINT/SIGTERM: each scenario copes (cleanups run, cancellations propagate). Only
// "graceful-shutdown" and "swallowed-cancel" install SIGTERM handlers; elsewhere SIGTERM keeps
// the process's disposition (by default it ends the process), as in Python.
//
// On a virtual clock the "blocking call" of "blocking-call" advances the clock instead of
// sleeping, so replays stay deterministic; "to-thread" and "echo-server" do real work (threads,
// sockets) and are meant for a real clock.

#include "engine/coro.h"
#include "engine/runner.h"
#include "engine/time.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::engine::scenarios {

/// One editable parameter of a scenario.
struct Param
{
  enum class Type : std::uint8_t {
    Int,      ///< a whole number
    Seconds,  ///< loop seconds (fractions allowed)
    Bool      ///< 0 or 1
  };
  std::string key;      ///< "workers"
  std::string label;    ///< "Workers"
  std::string tooltip;  ///< one sentence for a person
  Type type = Type::Int;
  double value = 0;         ///< the default
  double min = 0, max = 0;  ///< inclusive bounds; ignored for Bool
};

/// Parameter values by key; a missing key takes the parameter's default.
using Values = std::map<std::string, double, std::less<>>;

struct Scenario
{
  std::string id;           ///< "graceful-shutdown"
  std::string title;        ///< "Graceful shutdown: 5 workers, SIGINT/SIGTERM"
  std::string description;  ///< what it shows, what to press, what to look for
  std::vector<Param> params;
  /// The main coroutine, run on the loop thread as the task "main" by a Runner. Reads the values
  /// during the call (see the protocol above).
  std::function<Coro<void>(const Values&)> main;
  /// Runner options for these values (e.g. the grace deadline); null: RunnerOptions{}.
  std::function<RunnerOptions(const Values&)> runner;
};

/// Every scenario, in menu order; the first ("graceful-shutdown") is the default.
const std::vector<Scenario>& catalog();
/// The scenario with this id, or nullptr.
const Scenario* find(std::string_view id);
/// The value of parameter `key`: the one in `values` (unless NaN or infinite), else the default.
/// Int values are rounded, Int and Seconds values clamped to [min, max], Bool values are 0 or 1.
/// Throws std::invalid_argument if the scenario has no parameter `key`.
double value(const Scenario& scenario, const Values& values, std::string_view key);
/// Every parameter at its default.
Values defaults(const Scenario& scenario);

namespace detail {

/// value() over a parameter list (what the scenarios' main functions use).
double lookup(const std::vector<Param>& params, const Values& values, std::string_view key);

/// Reads one scenario's values, typed.
class Settings
{
public:
  Settings(const std::vector<Param>& params, const Values& values)
      : params_(params)
      , values_(values)
  {}
  double number(std::string_view key) const { return lookup(params_, values_, key); }
  int count(std::string_view key) const { return static_cast<int>(number(key)); }
  Duration seconds(std::string_view key) const;
  bool flag(std::string_view key) const { return number(key) != 0; }

private:
  const std::vector<Param>& params_;
  const Values& values_;
};

// Parameter builders.
Param int_param(std::string key, std::string label, std::string tooltip, int value, int min,
                int max);
Param seconds_param(std::string key, std::string label, std::string tooltip, double value,
                    double min, double max);
Param bool_param(std::string key, std::string label, std::string tooltip, bool value);

// Helpers shared by the scenario bodies (loop thread only).
/// Loop seconds as a Duration (rounded to the nanosecond).
Duration from_seconds(double s);
/// "1.5 s", "0.25 s", "20 s".
std::string seconds_text(Duration d);
/// The running loop's time as "t=3.25 s".
std::string now_text();
/// Loop::running().print(text): a Print event of the running task.
void say(std::string_view text);
/// splitmix64: a small, portable, seeded generator (the standard distributions are not portable
/// across standard libraries, and a replay must be the same everywhere). Advances `state`.
std::uint64_t next_random(std::uint64_t& state);
/// Uniform in [0, 1), from next_random.
double unit_random(std::uint64_t& state);

// The scenario builders, one per catalogue entry (scenarios_*.cpp).
Scenario graceful_shutdown();
Scenario swallowed_cancel();
Scenario worker_cancel();
Scenario timeout_retry();
Scenario wait_for_calls();
Scenario wait_first_completed();
Scenario blocking_call();
Scenario sequential_vs_gather();
Scenario gather_vs_taskgroup();
Scenario to_thread_offload();
Scenario many_tasks();
Scenario echo_server();
Scenario soak();

}  // namespace detail

}  // namespace loopscope::engine::scenarios
