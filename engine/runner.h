// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/event.h"
#include "engine/loop.h"
#include "engine/task.h"
#include "engine/time.h"

#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <vector>

namespace loopscope::engine {

/// Process exit statuses of a run (RunReport::exit_status).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
/// The grace deadline passed with tasks still pending (like timeout(1)'s status).
inline constexpr int kExitGraceExpired = 124;
/// Ended by SIGINT (128 + SIGINT, what a shell reports for a Ctrl-C'd program).
inline constexpr int kExitInterrupted = 130;
/// A virtual-clock run stalled: nothing could ever wake its loop (LoopStalled). Real time waits.
inline constexpr int kExitStalled = 125;

struct RunnerOptions
{
  /// How long shutdown may wait for the remaining tasks (cancelled, then awaited) and the
  /// executor. asyncio waits forever, so a task that swallows CancelledError hangs it; a process
  /// supervisor would SIGKILL after its own grace period (Kubernetes: 30 s). Unset: forever.
  std::optional<Duration> grace;
  /// Install asyncio.run's SIGINT handling while run() runs: the first SIGINT cancels the main
  /// task (run() then raises KeyboardInterrupt), a second raises KeyboardInterrupt at once.
  /// Skipped if the loop already has a SIGINT handler (the program's own). The handler stays
  /// installed from the first run() until close() ends: a SIGINT after main finished (between
  /// run() and close(), or during close()) raises KeyboardInterrupt in the loop, which ends the
  /// shutdown's waiting, as Python's default handler does once asyncio.Runner.run() returns. It
  /// never falls back to the default action (death) halfway through: a burst of SIGINTs is
  /// handled from start to end by the runner. Signals that arrive together are handled in turn;
  /// the one that ends the waiting leaves the rest unhandled (see Loop::add_signal_handler).
  bool handle_sigint = true;
};

/// A task that still held shutdown up when the grace deadline passed, and why.
struct HeldTask
{
  std::uint32_t id = 0;
  std::string name;
  ShutdownHold reason = ShutdownHold::Waiting;
  std::source_location await_site;  ///< where it waits now
  std::string explanation;          ///< one sentence for a person
};

struct RunReport
{
  int exit_status = kExitOk;
  bool interrupted = false;    ///< SIGINT ended the run
  bool grace_expired = false;  ///< shutdown gave up waiting
  std::size_t cancelled = 0;   ///< tasks cancelled by the shutdown
  std::vector<HeldTask> held;  ///< tasks still pending at the grace deadline
  std::exception_ptr error;    ///< what main raised (null: it returned; see shutdown_stop)
  /// What stopped the shutdown itself: a KeyboardInterrupt (SIGINT while it waited) or a
  /// SystemExit out of a task's cleanup. asyncio.run raises it in place of main's result or
  /// exception. It is also `error` when main returned.
  std::exception_ptr shutdown_stop;
  /// Exceptions (not cancellations) that tasks other than main ended with during shutdown.
  std::vector<std::exception_ptr> shutdown_errors;
};

/// asyncio.Runner: runs coroutines on a loop, then shuts the loop down in asyncio.run's order —
/// cancel every remaining task, wait for them all (gather with return_exceptions), shut down the
/// default executor — with a ShutdownPhase event for each step. Loop-thread only.
///
/// Unlike asyncio it can bound the shutdown with a grace deadline, and then names the tasks that
/// held it up (swallowed cancellation, a blocking step, a shielded await) in the report and as
/// Diagnostic(ShutdownHeld) events.
class Runner
{
public:
  /// Runs on `loop` (not owned).
  explicit Runner(Loop& loop, RunnerOptions options = {});
  /// Runs on a loop of its own with `clock` (a RealClock when null).
  explicit Runner(RunnerOptions options = {}, std::unique_ptr<Clock> clock = nullptr);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  Loop& loop() noexcept { return *loop_; }

  /// asyncio.Runner.run: runs main to completion and returns its result or rethrows. If a SIGINT
  /// cancelled it, throws KeyboardInterrupt instead of CancelledError.
  template <class T>
  T run(Coro<T> main, std::string name = "main",
        std::source_location loc = std::source_location::current());

  /// Shuts down (see the class comment). Idempotent; also run by the destructor. Never throws.
  /// When the grace deadline passes, the default executor is abandoned
  /// (Loop::abandon_default_executor): a job that never returns holds up neither close() nor
  /// the loop's destruction.
  void close() noexcept;
  bool closed() const noexcept { return closed_; }
  /// Gives up on the run (loop-thread only, e.g. posted with call_soon_threadsafe): stops the
  /// loop now, so run() ends with RuntimeError("Event loop stopped before Future completed"),
  /// and close() then skips the shutdown (nothing is cancelled or awaited; the remaining tasks
  /// are destroyed with the loop). For a viewer that restarts a scenario that ignores
  /// cancellation and has no grace deadline.
  void abandon() noexcept;
  bool abandoned() const noexcept { return abandoned_; }
  /// The outcome: exit status, what was cancelled, who held shutdown up.
  const RunReport& report() const noexcept { return report_; }

private:
  void begin_run(TaskBase& main);
  void end_run() noexcept;
  void install_sigint();
  void remove_sigint() noexcept;
  void on_sigint();
  /// `detail`: the Awaiting phase carries the grace deadline in loop ns (-1: none).
  void phase(ShutdownPhaseKind kind, std::uint32_t count, std::string_view text,
             std::int64_t detail = 0);
  /// Runs the loop until every task in `tasks` is done or the deadline passes. True if all done.
  bool await_all(const std::vector<TaskRef<TaskBase>>& tasks, std::int64_t deadline_ns);
  void report_held(const std::vector<TaskRef<TaskBase>>& tasks);
  /// True once the default executor is joined (or there is none).
  bool shutdown_executor(std::int64_t deadline_ns);
  std::int64_t deadline_ns() const;

  std::unique_ptr<Loop> own_loop_;
  Loop* loop_;
  RunnerOptions options_;
  RunReport report_;
  TaskRef<TaskBase> main_;
  int interrupts_ = 0;
  bool sigint_installed_ = false;
  bool running_main_ = false;  // inside run(): SIGINT cancels main
  bool closed_ = false;
  bool abandoned_ = false;
  std::int64_t shutdown_start_ns_ = 0;
};

template <class T>
T Runner::run(Coro<T> main, std::string name, std::source_location loc)
{
  if (closed_)
    throw RuntimeError("Runner is closed");
  if (loop_->is_running())
    throw RuntimeError("Runner.run() cannot be called from a running event loop");
  Task<T> task = loop_->create_task(std::move(main), std::move(name), loc);
  begin_run(task.base());
  try {
    if constexpr (std::is_void_v<T>) {
      loop_->run_until_complete(task);
      end_run();
    } else {
      T value = loop_->run_until_complete(task);
      end_run();
      return value;
    }
  } catch (const CancelledError&) {
    end_run();
    report_.error = std::current_exception();
    // asyncio: the SIGINT's cancellation surfaces as KeyboardInterrupt, unless main uncancelled
    // it (then it was someone else's cancellation that ended main).
    if (interrupts_ > 0 && task.uncancel() == 0) {
      report_.interrupted = true;
      report_.exit_status = kExitInterrupted;
      throw KeyboardInterrupt();
    }
    report_.exit_status = kExitFailed;
    throw;
  } catch (const KeyboardInterrupt&) {
    end_run();
    report_.error = std::current_exception();
    report_.interrupted = true;
    report_.exit_status = kExitInterrupted;
    throw;
  } catch (const SystemExit& e) {
    end_run();
    report_.error = std::current_exception();
    report_.exit_status = e.code();
    throw;
  } catch (...) {
    end_run();
    report_.error = std::current_exception();
    report_.exit_status = kExitFailed;
    throw;
  }
}

/// asyncio.run: a loop of its own, main to completion, then the shutdown. Returns main's result
/// or rethrows (KeyboardInterrupt after a SIGINT).
template <class T>
T run(Coro<T> main, RunnerOptions options = {}, std::unique_ptr<Clock> clock = nullptr)
{
  Runner runner(options, std::move(clock));
  return runner.run(std::move(main));
}

/// For programs: like run(), but never throws. Returns the process exit status (0, 1 when main
/// raised, kExitInterrupted after SIGINT, kExitGraceExpired when shutdown gave up, the code of a
/// SystemExit) and, if `report` is given, the full report.
int run_main(Coro<void> main, RunnerOptions options = {}, RunReport* report = nullptr,
             std::unique_ptr<Clock> clock = nullptr);

}  // namespace loopscope::engine
