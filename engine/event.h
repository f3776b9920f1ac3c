// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace loopscope::engine {

/// Every state change of the loop and its tasks is one of these. Adding a kind means adding a row
/// to kEventKindInfo in event.cpp (a static_assert checks the table is complete).
enum class EventKind : std::uint8_t {
  TaskCreated,  ///< task; detail = parent task id (0 = none); site = creation site;
                ///< a8 = 1 and text = name when named explicitly, else "Task-<id>"
  TaskRenamed,  ///< task; text = new name
  StepBegin,    ///< task: the loop thread starts running the task
  Suspended,  ///< task: step ended at an await; site; a8 = AwaitKind; detail = awaited id/deadline
  Ready,      ///< task: woken and queued, waiting for the loop thread. When the task's
              ///< own step ended by yielding (sleep(0)): site = the await, a8 = Yield
  TaskDone,   ///< task: step ended by completion; a8 = TaskOutcome; text = exception (if any)
  CancelRequested,     ///< task = target; detail = requesting task id (0 = outside a task);
                       ///< a8 = CancelSource; arg = cancelling() after; text = message
  CancelDelivered,     ///< task; site = await where CancelledError was thrown in; text = message;
                       ///< arg = cancelling(); a8 = CancelVia; detail = id of the awaited task
                       ///< or future it came through (0 for CancelVia::Direct)
  CancelSwallowed,     ///< task; site = where it had been delivered; arg = cancelling()
  Uncancel,            ///< task; arg = cancelling() after
  TimeoutArmed,        ///< task; arg = scope id; detail = deadline (ns, -1 = never)
  TimeoutRescheduled,  ///< task; arg = scope id; detail = new deadline (ns, -1 = never)
  TimeoutFired,        ///< task; arg = scope id; detail = deadline
  TimeoutDisarmed,     ///< task; arg = scope id; a8 = TimeoutOutcome
  CallbackBegin,       ///< a plain callback starts on the loop thread; detail = handle id
  CallbackEnd,         ///< detail = handle id
  CallbackError,       ///< detail = handle id; text = exception
  SlowStep,          ///< task (0 = callback); detail = duration ns; arg = callback id for callbacks
  LoopWait,          ///< the loop goes idle in epoll; detail = timeout ns (-1 = forever)
  LoopWake,          ///< the loop returns from epoll
  SiteDefined,       ///< site = new site id; text = "file\tline\tcolumn\tfunction"
  SignalReceived,    ///< arg = signal number
  ShutdownPhase,     ///< a8 = phase; arg = count; text = label; detail (Awaiting) = grace
                     ///< deadline ns, or -1 (as uint64) when there is none
  ExecutorJobBegin,  ///< task; detail = job id; arg = worker thread index
  ExecutorJobEnd,    ///< task; detail = job id; arg = worker thread index
  Print,             ///< task; text = output
  Text,              ///< header of a text payload for the preceding event (see TraceEvent)
  ObjectCreated,     ///< an awaitable object got an id: detail = object id; a8 = AwaitKind of
                     ///< its waits; task = creating task; text = its label ("Queue jobs",
                     ///< "socket 127.0.0.1:5000 -> 127.0.0.1:40312", ...)
  Diagnostic,        ///< a problem the engine detected: a8 = DiagnosticKind; task = the task
                     ///< concerned; detail/arg: see DiagnosticKind; text = explanation
  Count_
};

/// What a Diagnostic event reports (Diagnostic.a8).
enum class DiagnosticKind : std::uint8_t {
  SwallowedCancel,       ///< a delivered CancelledError was caught and not re-raised
  NeverYields,           ///< one step ran longer than the never-yield threshold; detail = ns
  LostWakeup,            ///< the task waits on something nothing can complete any more;
                         ///< detail = id of the awaited object
  UnretrievedException,  ///< a task nobody awaited ended with an exception never retrieved
  ShutdownHeld,          ///< at the grace deadline this task still held shutdown up; arg =
                         ///< ShutdownHold reason
  HandlerFailed,         ///< the loop's exception handler itself threw; text = both errors
  Count_
};
/// Why a task still holds shutdown up at the grace deadline (Diagnostic ShutdownHeld arg).
enum class ShutdownHold : std::uint8_t {
  SwallowedCancel,  ///< it caught the CancelledError and went on waiting
  Blocking,         ///< it is running a step that has not returned (a blocking call)
  Shielded,         ///< it awaits a shielded operation that keeps running
  Waiting,          ///< it was cancelled and is still awaiting (e.g. cleanup in progress)
  Count_
};
/// Phases of a Runner shutdown (ShutdownPhase.a8); arg = a count where one applies.
enum class ShutdownPhaseKind : std::uint8_t {
  SignalReceived,    ///< arg = signal number; text says what the runner does about it
  MainDone,          ///< the main coroutine finished; shutdown starts
  Cancelling,        ///< arg = number of tasks being cancelled
  Awaiting,          ///< arg = number of tasks awaited
  ExecutorShutdown,  ///< the default executor is shut down (waits for its jobs)
  GraceExpired,      ///< the grace deadline passed; arg = number of tasks still pending
  Closed,            ///< the loop is closed; arg = exit status
  Count_
};

/// What a suspended task is waiting for (Suspended.a8).
enum class AwaitKind : std::uint8_t {
  None,
  Yield,   ///< sleep(0): ready again at once
  Sleep,   ///< detail = deadline ns
  Future,  ///< detail = future id
  Task,    ///< detail = awaited task id
  Lock,
  Event,
  Semaphore,
  Condition,
  Queue,
  IO,
  Executor,
  Shield,  ///< detail = the shield's outer future (its inner task keeps running if cancelled)
  Other,
  Count_
};

enum class TaskOutcome : std::uint8_t { Result, Exception, Cancelled };
/// How a CancelledError reached the task (CancelDelivered.a8).
enum class CancelVia : std::uint8_t {
  Direct,  ///< thrown at the task's await for its own cancel request (sleep, yield, next step)
  Task,    ///< raised by awaiting a task that ended cancelled (detail = its id)
  Future   ///< raised by awaiting a future that was cancelled (detail = its id)
};
enum class CancelSource : std::uint8_t { User, Timeout, Propagated, Shutdown, Signal };
enum class TimeoutOutcome : std::uint8_t {
  NotExpired,        ///< body finished before the deadline
  Converted,         ///< expired; CancelledError turned into TimeoutError
  ExpiredPropagated  ///< expired, but another cancel was pending: CancelledError propagates
};

/// One engine event: a 40-byte POD record. Text payloads (names, messages, exception texts)
/// travel in the same stream: an event with text is followed by a `Text` header (detail = byte
/// length, arg = number of payload slots) and then `arg` raw slots holding the bytes. A
/// TraceDecoder (sink.h) reassembles them.
struct TraceEvent
{
  std::uint64_t seq;     ///< per-loop sequence number; a gap means events were dropped
  std::int64_t t_ns;     ///< loop time in ns
  std::uint64_t detail;  ///< kind-specific payload
  std::uint32_t task;    ///< task id (0 = the loop itself / a plain callback)
  std::uint32_t site;    ///< await/creation site id (0 = unknown), see SiteDefined
  std::uint32_t arg;     ///< kind-specific small payload
  EventKind kind;
  std::uint8_t a8;      ///< kind-specific enum payload
  std::uint16_t flags;  ///< kEventHasText: a Text group follows this event
};
/// TraceEvent::flags bit: the event is followed by a Text header and its payload slots.
inline constexpr std::uint16_t kEventHasText = 1;

static_assert(std::is_trivially_copyable_v<TraceEvent>);
static_assert(sizeof(TraceEvent) == 40);

struct EventKindInfo
{
  EventKind kind;
  std::string_view name;
};
std::string_view event_kind_name(EventKind k) noexcept;
std::string_view await_kind_name(AwaitKind k) noexcept;
std::string_view task_outcome_name(TaskOutcome o) noexcept;
std::string_view diagnostic_kind_name(DiagnosticKind k) noexcept;
std::string_view shutdown_hold_name(ShutdownHold h) noexcept;
std::string_view shutdown_phase_name(ShutdownPhaseKind p) noexcept;
/// A readable function name from std::source_location::function_name(): GCC names a coroutine
/// body "void f(f(int)::_Z1fi.Frame*)"; this returns "f(int)". Other names pass unchanged.
std::string clean_function_name(std::string_view raw);
/// The bare name of a function signature, for labels: "void ns::{anonymous}::Cls::run(int) const"
/// gives "Cls::run", "std::vector<T> ns::start(const Cfg&)" gives "start". Anything it cannot
/// parse comes back unchanged.
std::string short_function_name(std::string_view signature);

}  // namespace loopscope::engine
