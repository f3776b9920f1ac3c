// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runner.h"

#include "engine/errors.h"
#include "engine/executor.h"

#include <csignal>
#include <limits>
#include <memory>

namespace loopscope::engine {

namespace {
constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();

std::string seconds_text(std::int64_t ns)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(ns) * 1e-9);
  return buf;
}
}  // namespace

Runner::Runner(Loop& loop, RunnerOptions options) : loop_(&loop), options_(options) {}

Runner::Runner(RunnerOptions options, std::unique_ptr<Clock> clock)
    : own_loop_(std::make_unique<Loop>(std::move(clock)))
    , loop_(own_loop_.get())
    , options_(options)
{}

Runner::~Runner()
{
  close();
}

void Runner::phase(ShutdownPhaseKind kind, std::uint32_t count, std::string_view text,
                   std::int64_t detail)
{
  detail::Tracer& tr = loop_->tracer();
  if (!tr.on())
    return;
  tr.add_text(EventKind::ShutdownPhase, loop_->event_time(), 0, text, 0,
              static_cast<std::uint64_t>(detail), count, static_cast<std::uint8_t>(kind));
  tr.flush();
}

void Runner::begin_run(TaskBase& main)
{
  main_ = TaskRef<TaskBase>(&main);
  interrupts_ = 0;
  running_main_ = true;
  install_sigint();
}

void Runner::install_sigint()
{
  if (!options_.handle_sigint)
    return;
  if (sigint_installed_ && loop_->has_signal_handler(SIGINT))
    return;  // ours, from an earlier run()
  sigint_installed_ = false;
  if (loop_->has_signal_handler(SIGINT))
    return;  // the program's own
  // Not a way for a virtual loop to be woken: a deadlocked virtual run reports its stall.
  loop_->add_signal_handler(
      SIGINT, [this] { on_sigint(); }, Loop::SignalWakes::No);
  sigint_installed_ = true;
}

void Runner::remove_sigint() noexcept
{
  if (sigint_installed_)
    loop_->remove_signal_handler(SIGINT);
  sigint_installed_ = false;
}

void Runner::end_run() noexcept
{
  // The handler stays until close() ends (see RunnerOptions::handle_sigint).
  running_main_ = false;
}

void Runner::on_sigint()
{
  if (!running_main_) {
    // Between run() and close(), or during close(): Python's default handler is back and
    // raises KeyboardInterrupt in the loop, so a Ctrl-C ends a hung shutdown.
    phase(ShutdownPhaseKind::SignalReceived, SIGINT,
          "SIGINT during shutdown: raising KeyboardInterrupt, the shutdown stops waiting");
    throw KeyboardInterrupt();
  }
  ++interrupts_;
  if (interrupts_ == 1 && main_ && !main_->done()) {
    phase(ShutdownPhaseKind::SignalReceived, SIGINT,
          "SIGINT: cancelling the main task " + main_->name() +
              " (a second SIGINT raises KeyboardInterrupt at once)");
    main_->cancel({}, CancelSource::Signal);
    return;
  }
  phase(ShutdownPhaseKind::SignalReceived, SIGINT,
        "SIGINT again: raising KeyboardInterrupt, the loop stops now");
  throw KeyboardInterrupt();  // leaves run_forever (see Loop::run_callback)
}

std::int64_t Runner::deadline_ns() const
{
  if (!options_.grace)
    return kNoDeadline;
  return shutdown_start_ns_ + options_.grace->count();
}

void Runner::abandon() noexcept
{
  abandoned_ = true;
  loop_->stop();
}

bool Runner::await_all(const std::vector<TaskRef<TaskBase>>& tasks, std::int64_t deadline)
{
  if (abandoned_)
    return false;
  struct State
  {
    std::size_t pending = 0;
    Loop* loop = nullptr;
  };
  auto state = std::make_shared<State>();
  state->loop = loop_;
  for (const auto& t : tasks) {
    if (t->done())
      continue;
    ++state->pending;
    t->add_done_callback([state](TaskBase&) {
      if (--state->pending == 0)
        state->loop->stop();
    });
  }
  if (state->pending == 0)
    return true;
  Handle timer;
  if (deadline != kNoDeadline)
    // Tasks already woken when the deadline fires (e.g. delayed by a blocking step) still get
    // their step: stop one iteration later.
    timer =
        loop_->call_at(from_ns(deadline), [this] { loop_->call_soon([this] { loop_->stop(); }); });
  loop_->run_forever();
  timer.cancel();
  for (const auto& t : tasks)
    if (!t->done())
      return false;
  return true;
}

void Runner::report_held(const std::vector<TaskRef<TaskBase>>& tasks)
{
  const std::int64_t deadline = deadline_ns();
  const Loop::LongStep long_step = loop_->last_long_step();
  std::size_t pending = 0;
  for (const auto& t : tasks)
    pending += t->done() ? 0 : 1;
  phase(ShutdownPhaseKind::GraceExpired, static_cast<std::uint32_t>(pending),
        "grace deadline of " + seconds_text(options_.grace->count()) + " passed; " +
            std::to_string(pending) + " task(s) still pending");
  for (const auto& t : tasks) {
    if (t->done())
      continue;
    HeldTask held;
    held.id = t->id();
    held.name = t->name();
    held.await_site = t->await_site();
    const bool spanned_deadline = long_step.task == t->id() && long_step.end_ns >= deadline &&
                                  long_step.end_ns - long_step.duration < deadline;
    if (spanned_deadline) {
      held.reason = ShutdownHold::Blocking;
      held.explanation = "Task " + held.name + " blocked the loop for " +
                         seconds_text(long_step.duration) +
                         " in one step (a blocking call?), past the grace deadline";
    } else if (t->swallowed_count() > 0) {
      held.reason = ShutdownHold::SwallowedCancel;
      held.explanation = "Task " + held.name + " caught CancelledError " +
                         std::to_string(t->swallowed_count()) +
                         " time(s) without re-raising it and went on " +
                         (t->awaiting() != AwaitKind::None
                              ? "waiting (" + std::string(await_kind_name(t->awaiting())) + ")"
                              : std::string("running"));
    } else if (t->awaiting() == AwaitKind::Shield) {
      held.reason = ShutdownHold::Shielded;
      held.explanation = "Task " + held.name +
                         " awaits a shielded operation, which its cancellation does not stop";
    } else {
      held.reason = ShutdownHold::Waiting;
      held.explanation = "Task " + held.name + " is still awaiting (" +
                         std::string(await_kind_name(t->awaiting())) +
                         ") after its cancellation, e.g. a slow cleanup";
    }
    loop_->diagnose(DiagnosticKind::ShutdownHeld, held.id, held.explanation, 0,
                    static_cast<std::uint32_t>(held.reason));
    report_.held.push_back(std::move(held));
  }
}

void Runner::close() noexcept
{
  if (closed_)
    return;
  closed_ = true;
  end_run();
  main_ = {};
  if (loop_->is_running()) {
    remove_sigint();
    return;  // closing from inside the loop: nothing can be awaited
  }
  if (abandoned_) {
    // Nobody wants this run any more: its tasks die with the loop, unawaited, and nobody waits
    // for the threads of the default executor either.
    remove_sigint();
    loop_->abandon_default_executor();
    phase(ShutdownPhaseKind::Closed, static_cast<std::uint32_t>(report_.exit_status),
          "abandoned: the remaining tasks are dropped with the loop");
    return;
  }
  // Between run() and the end of close() Python's default SIGINT handler is back, and it raises
  // KeyboardInterrupt in the loop: a Ctrl-C ends a hung shutdown. Here "no handler" would be the
  // default action (the process dies), so the runner's handler, kept since run(), does that now;
  // a close() without a run() installs it.
  install_sigint();
  bool finished = false;  // every task and the default executor are done
  try {
    loop_->set_time_steps(true);
    shutdown_start_ns_ = to_ns(loop_->now());
    const std::int64_t deadline = deadline_ns();
    std::vector<TaskRef<TaskBase>> to_cancel;
    for (TaskBase* t : loop_->all_tasks())
      to_cancel.emplace_back(t);
    phase(ShutdownPhaseKind::MainDone, static_cast<std::uint32_t>(to_cancel.size()),
          "main finished; " + std::to_string(to_cancel.size()) + " task(s) still pending");
    bool all_done = true;
    if (!to_cancel.empty()) {
      phase(ShutdownPhaseKind::Cancelling, static_cast<std::uint32_t>(to_cancel.size()),
            "cancelling " + std::to_string(to_cancel.size()) + " task(s)");
      for (const auto& t : to_cancel)
        t->cancel({}, CancelSource::Shutdown);
      report_.cancelled = to_cancel.size();
      phase(ShutdownPhaseKind::Awaiting, static_cast<std::uint32_t>(to_cancel.size()),
            "awaiting " + std::to_string(to_cancel.size()) + " task(s)" +
                (options_.grace ? ", grace deadline " + seconds_text(options_.grace->count())
                                : std::string()),
            deadline == kNoDeadline ? -1 : deadline);
      all_done = await_all(to_cancel, deadline);
      if (!all_done) {
        report_.grace_expired = true;
        report_.exit_status = kExitGraceExpired;
        report_held(to_cancel);
      } else {
        for (const auto& t : to_cancel) {
          if (t->cancelled() || !t->failure())
            continue;
          report_.shutdown_errors.push_back(t->failure());
          t->mark_retrieved();
          loop_->report_exception("unhandled exception during shutdown (" + t->name() + ")",
                                  t->failure());
        }
      }
    }
    if (all_done)
      finished = shutdown_executor(deadline);
  } catch (...) {
    // What stopped the shutdown: SIGINT while it waited (or a task raising KeyboardInterrupt), or
    // a SystemExit out of a task's cleanup. asyncio.run raises it in place of main's outcome.
    report_.shutdown_stop = std::current_exception();
    if (!report_.error)
      report_.error = report_.shutdown_stop;
    try {
      throw;
    } catch (const KeyboardInterrupt&) {
      report_.interrupted = true;
      report_.exit_status = kExitInterrupted;
    } catch (const SystemExit& e) {
      report_.exit_status = e.code();  // the process exits with its code
    } catch (...) {
      // Nothing else leaves the loop (a task's other exceptions end the task), but a stop is a
      // stop.
      if (report_.exit_status == kExitOk)
        report_.exit_status = kExitFailed;
    }
  }
  if (!finished)
    loop_->abandon_default_executor();  // a job that never returns must not hold ~Loop up
  remove_sigint();
  loop_->set_time_steps(false);
  phase(ShutdownPhaseKind::Closed, static_cast<std::uint32_t>(report_.exit_status),
        "closed, exit status " + std::to_string(report_.exit_status));
}

bool Runner::shutdown_executor(std::int64_t deadline)
{
  // asyncio.run: loop.shutdown_default_executor() joins the pool on a helper thread while the
  // loop keeps running. Jobs still running (a blocking call in a thread) hold it up; the grace
  // deadline bounds that wait too.
  if (loop_->default_executor_if_any() == nullptr)
    return true;
  phase(ShutdownPhaseKind::ExecutorShutdown, 0, "shutting down the default executor");
  Task<void> joined = loop_->create_task(shutdown_default_executor(*loop_), "executor shutdown");
  const bool done = await_all({TaskRef<TaskBase>(&joined.base())}, deadline);
  if (!done) {
    report_.grace_expired = true;
    report_.exit_status = kExitGraceExpired;
    phase(ShutdownPhaseKind::GraceExpired, 0,
          "grace deadline passed while the default executor still had jobs running");
    loop_->diagnose(DiagnosticKind::ShutdownHeld, 0,
                    "the default executor still runs jobs at the grace deadline (a thread "
                    "cannot be cancelled)",
                    0, static_cast<std::uint32_t>(ShutdownHold::Blocking));
  }
  return done;
}

int run_main(Coro<void> main, RunnerOptions options, RunReport* report,
             std::unique_ptr<Clock> clock)
{
  Runner runner(options, std::move(clock));
  try {
    runner.run(std::move(main));
  } catch (...) {
    // The status and the error are in the report.
  }
  runner.close();
  if (report != nullptr)
    *report = runner.report();
  return runner.report().exit_status;
}

}  // namespace loopscope::engine
