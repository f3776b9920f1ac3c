// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers only: this model knows nothing of Qt painting or QCustomPlot (STYLE.md, rule 3).
#include <engine/event.h>
#include <engine/sink.h>
#include <views/eventstore.h>
#include <views/spanlist.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace loopscope::views {

[[nodiscard]] const char* taskStateName(TaskState state) noexcept;
[[nodiscard]] inline bool isTerminal(TaskState s) noexcept
{
  return s == TaskState::Done || s == TaskState::Failed || s == TaskState::Cancelled;
}

// An instant that has not happened (yet).
inline constexpr std::int64_t kNever = -1;

// What a per-task marker stands for.
enum class MarkerKind : std::uint8_t {
  Await,  // not stored: the spans have them (awaitsIn() makes them, e.g. for the trace export)
  CancelRequested,  // detail = requesting task (0: outside a task), a8 = CancelSource
  CancelDelivered,  // CancelledError thrown in: site, a8 = CancelVia
  CancelSwallowed,  // the delivered CancelledError was caught and not re-raised
  Uncancel,         // arg = cancelling() after
  TimeoutFired,     // arg = scope id, detail = deadline
  SlowStep,         // detail = step duration (ns); t = the step's start
  Diagnostic,       // a8 = DiagnosticKind, text
  Print,            // text = the scenario's output
  ExecutorJob,      // detail = job id, arg = worker index; t = job start (see ExecutorJobSpan)
  Count_
};

struct Marker
{
  std::int64_t t = 0;
  std::uint64_t detail = 0;
  std::uint32_t task = 0;
  std::uint32_t site = 0;
  std::uint32_t arg = 0;
  std::uint32_t text = 0;  // index into TimelineModel::text(); 0 = none
  MarkerKind kind = MarkerKind::Await;
  std::uint8_t a8 = 0;
};

// The loop row: who holds the loop thread when.
struct LoopSpan
{
  enum class Kind : std::uint8_t { Step, Callback, Idle };
  std::int64_t start = 0;
  std::int64_t end = kOpenEnd;
  std::uint32_t task = 0;  // Step: the task; Callback: 0
  Kind kind = Kind::Step;
  bool slow = false;  // a SlowStep event reported this step/callback
};

// One cancellation: the request, and the CancelledError it led to (the next delivery to the same
// task). Several requests before one delivery all link to that delivery.
struct CancelLink
{
  std::uint32_t target = 0;
  std::uint32_t requester = 0;  // 0 = from outside any task (toolbar, callback, signal handler)
  std::int64_t requested = 0;
  std::int64_t delivered = kNever;  // kNever: not delivered (yet)
  std::uint32_t deliverySite = 0;
  engine::CancelSource source = engine::CancelSource::User;
  bool swallowed = false;     // the delivered error was caught and not re-raised
  std::uint32_t message = 0;  // index into text(); 0 = no message
};

// One timeout()/wait_for() scope.
struct TimeoutScope
{
  std::uint32_t task = 0;
  std::uint32_t scope = 0;
  std::int64_t armed = 0;
  std::int64_t deadline = kNever;  // kNever: no deadline (timeout(None)); last reschedule wins
  std::int64_t fired = kNever;
  std::int64_t disarmed = kNever;
  engine::TimeoutOutcome outcome = engine::TimeoutOutcome::NotExpired;  // valid once disarmed
};

struct ExecutorJobSpan
{
  std::uint32_t task = 0;
  std::uint64_t job = 0;
  std::uint32_t worker = 0;
  std::int64_t start = 0;
  std::int64_t end = kOpenEnd;
};

// Process-wide instants: signals and shutdown phases (full-height lines and background bands).
struct GlobalMarker
{
  enum class Kind : std::uint8_t { Signal, ShutdownPhase };
  std::int64_t t = 0;
  Kind kind = Kind::Signal;
  std::uint8_t phase = 0;   // ShutdownPhase: engine::ShutdownPhaseKind
  std::uint32_t arg = 0;    // Signal: signal number; ShutdownPhase: its count / exit status
  std::uint32_t text = 0;   // index into text()
  std::int64_t detail = 0;  // ShutdownPhase Awaiting: the grace deadline (ns), kNever if none
};

struct Site
{
  std::string file;  // as the compiler wrote it
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string function;  // readable (engine::clean_function_name)
  // "basename.cpp:41"
  [[nodiscard]] std::string location() const;
};

// Everything known about one task. Times in loop ns.
// Fields ordered so that the struct has no padding: a 100,000-task run holds 100,000 of them.
struct TaskInfo
{
  std::uint32_t id = 0;
  std::uint32_t depth = 0;  // 0 for a root task
  std::string name;
  std::uint32_t parent = 0;
  std::uint32_t creationSite = 0;
  std::int64_t created = 0;
  std::int64_t ended = kNever;
  TaskState state = TaskState::Ready;  // now
  // Where and on what it waits now (state Suspended/Cancelling), else None/0.
  engine::AwaitKind awaitKind = engine::AwaitKind::None;
  bool swallowedCancel = false;
  std::uint32_t awaitSite = 0;
  std::uint64_t awaiting = 0;
  std::uint32_t cancelRequests = 0;
  std::uint32_t cancelling = 0;  // cancelling() as last reported
  std::uint32_t steps = 0;
  // Result/exception text of TaskDone ("ValueError: boom"), interned: index into
  // TimelineModel::text(), 0 (= "") for a plain result. TimelineModel::outcomeText() reads it.
  std::uint32_t outcome = 0;
  std::vector<std::uint32_t> children;  // in creation order
  SpanList spans;
  // In time order. No Await markers: each Suspended/Cancelling span (and Ready after a sleep(0))
  // starts at one; see TimelineModel::awaitsIn().
  std::vector<Marker> markers;
};

// Busy (running), ready (scheduled) and idle (suspended) time, as tokio-console shows it.
struct TaskTimes
{
  std::int64_t busy = 0;
  std::int64_t ready = 0;
  std::int64_t idle = 0;
};

// How much of a long run the models keep (a soak run would otherwise grow without bound). 0 = no
// limit; both 0 = keep everything (the default).
struct Retention
{
  std::int64_t keepNs = 0;     // keep the last keepNs of loop time
  std::size_t keepEvents = 0;  // keep about the last keepEvents events
  [[nodiscard]] bool active() const noexcept { return keepNs > 0 || keepEvents > 0; }
  friend bool operator==(const Retention&, const Retention&) = default;
};

// What retention dropped, summarised: counts, and the tasks' time split, so that the totals of a
// soak run stay known after its details are gone.
struct DroppedSummary
{
  std::uint64_t events = 0;
  std::uint64_t tasks = 0;  // ended tasks dropped whole
  std::uint64_t done = 0;   // of those: returned, raised, cancelled
  std::uint64_t failed = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t spans = 0;  // state spans dropped (of dropped and of kept tasks)
  TaskTimes times;          // busy/ready/idle of the dropped tasks
};

// The data of one run: built by appending decoded engine events in stream order, queried by task,
// index and time range. No Qt, no painting: views read it, tests drive it alone.
//
// Rows: the tasks in tree order (each parent followed by its children, depth first, in creation
// order). A collapsed task hides its descendants; rows() lists what is visible.
class TimelineModel
{
public:
  TimelineModel();

  // Appends one batch. Events must come in stream order; an event for an unknown task (a stream
  // picked up midway) creates the task on the fly with the name "Task-<id>".
  void append(std::span<const engine::DecodedEvent> events);
  // Forgets everything (a new run).
  void clear();
  // Moves "now" forward without an event (the live loop's clock); never backwards.
  void advanceTo(std::int64_t t);

  // Retention: from now on (and at once), whenever what is kept exceeds the limits by an eighth,
  // the oldest events go (whole storage chunks of them, a few ten thousand at a time), and with
  // them whatever ended before the oldest event kept: tasks (rows), spans and markers, loop spans,
  // cancellations, timeouts, executor jobs, signals, texts and object labels. Tasks still alive
  // keep their rows, their spans from the cut on, and their busy/ready/idle totals. A cut bumps
  // trims(); views holding indexes resynchronise (see removedInLastTrim()). Retention survives
  // clear().
  void setRetention(Retention retention);
  [[nodiscard]] Retention retention() const noexcept { return m_retention; }
  // Time of the oldest event kept (startTime() until something was dropped).
  [[nodiscard]] std::int64_t retainedFrom() const noexcept { return m_retainedFrom; }
  // Index of the oldest event kept (events().firstIndex()).
  [[nodiscard]] std::size_t firstEvent() const noexcept { return m_events.firstIndex(); }
  [[nodiscard]] const DroppedSummary& dropped() const noexcept { return m_dropped; }
  // Bumped by each cut.
  [[nodiscard]] std::uint64_t trims() const noexcept { return m_trims; }
  // The creation indexes (before the cut, ascending) of the tasks the last cut removed: a view
  // of taskAt() rows synced just before it removes these rows, back to front.
  [[nodiscard]] const std::vector<std::uint32_t>& removedInLastTrim() const noexcept
  {
    return m_removedInLastTrim;
  }
  // Their ids, in the same order.
  [[nodiscard]] const std::vector<std::uint32_t>& removedIdsInLastTrim() const noexcept
  {
    return m_removedIdsInLastTrim;
  }
  // Bytes held by the model's containers (an estimate: allocator overhead not counted).
  [[nodiscard]] std::size_t memoryBytes() const;

  // Bumped by every append()/clear()/advanceTo()/setCollapsed(): views compare it to skip work.
  [[nodiscard]] std::uint64_t revision() const noexcept { return m_revision; }
  // Bumped by clear() only: a view that sees it change knows the run it shows is gone.
  [[nodiscard]] std::uint64_t generation() const noexcept { return m_generation; }
  // Time of the first and the latest event (or advanceTo()); 0 when empty.
  [[nodiscard]] std::int64_t startTime() const noexcept { return m_start; }
  [[nodiscard]] std::int64_t endTime() const noexcept { return m_end; }

  // Every event appended, in stream order (the log and the trace export read these), packed:
  // events()[i] decodes event i.
  [[nodiscard]] const EventStore& events() const noexcept { return m_events; }

  // Tasks in creation order. Task ids are not indexes: use task(id).
  [[nodiscard]] std::size_t taskCount() const noexcept { return m_tasks.size(); }
  [[nodiscard]] const TaskInfo& taskAt(std::size_t index) const { return m_tasks[index]; }
  // nullptr for an unknown id.
  [[nodiscard]] const TaskInfo* task(std::uint32_t id) const;
  // Index in creation order, or -1.
  [[nodiscard]] int indexOf(std::uint32_t id) const;
  // "worker-2"; "loop" for 0; "Task-<id>" for an unknown id.
  [[nodiscard]] std::string taskName(std::uint32_t id) const;

  // Visible rows, top to bottom: task ids in tree order, minus the descendants of collapsed tasks.
  [[nodiscard]] const std::vector<std::uint32_t>& rows() const;
  // Row of a task, or -1 if hidden or unknown.
  [[nodiscard]] int rowOf(std::uint32_t id) const;
  void setCollapsed(std::uint32_t id, bool collapsed);
  [[nodiscard]] bool isCollapsed(std::uint32_t id) const;
  // Number of tasks hidden under a collapsed task (all descendants).
  [[nodiscard]] std::size_t descendantCount(std::uint32_t id) const;

  // Indexes [first, last) of the task's spans that overlap [t0, t1].
  [[nodiscard]] std::pair<std::size_t, std::size_t> spansIn(std::uint32_t id, std::int64_t t0,
                                                            std::int64_t t1) const;
  // Indexes [first, last) of the task's markers with t in [t0, t1].
  [[nodiscard]] std::pair<std::size_t, std::size_t> markersIn(std::uint32_t id, std::int64_t t0,
                                                              std::int64_t t1) const;
  // The task's state at time t (Ready before its first span; its end state after it ended).
  [[nodiscard]] TaskState stateAt(std::uint32_t id, std::int64_t t) const;
  // The span covering t, or nothing (t before creation or after the end).
  [[nodiscard]] std::optional<StateSpan> spanAt(std::uint32_t id, std::int64_t t) const;
  // The task's await points with t in [t0, t1], as Await markers (site, a8 = AwaitKind, detail =
  // awaited id / deadline), in time order: the starts of its spans that wait on something.
  [[nodiscard]] std::vector<Marker> awaitsIn(std::uint32_t id, std::int64_t t0,
                                             std::int64_t t1) const;
  // Busy/ready/idle time up to `now` (an open span counts up to now).
  [[nodiscard]] TaskTimes times(std::uint32_t id, std::int64_t now) const;

  // The loop row, in time order, contiguous only where the loop was busy.
  // (A deque: a run's hundreds of thousands of steps grow it without copying or doubling.)
  [[nodiscard]] const std::deque<LoopSpan>& loopSpans() const noexcept { return m_loopSpans; }
  // Indexes [first, last) of loop spans overlapping [t0, t1].
  [[nodiscard]] std::pair<std::size_t, std::size_t> loopSpansIn(std::int64_t t0,
                                                                std::int64_t t1) const;

  [[nodiscard]] const std::vector<CancelLink>& cancels() const noexcept { return m_cancels; }
  [[nodiscard]] const std::vector<TimeoutScope>& timeouts() const noexcept { return m_timeouts; }
  [[nodiscard]] const std::vector<ExecutorJobSpan>& executorJobs() const noexcept { return m_jobs; }
  [[nodiscard]] const std::vector<GlobalMarker>& globalMarkers() const noexcept { return m_global; }
  // Diagnostic events (all tasks), in time order: indexes into events().
  [[nodiscard]] const std::vector<std::size_t>& diagnostics() const noexcept
  {
    return m_diagnostics;
  }

  // nullptr for an unknown site (or 0).
  [[nodiscard]] const Site* site(std::uint32_t id) const;
  // "socket 127.0.0.1:5000 -> ...", "Queue jobs"; empty when the object was never named.
  [[nodiscard]] std::string objectLabel(std::uint64_t id) const;
  // Interned texts (messages, prints, diagnostics); text(0) is "".
  [[nodiscard]] const std::string& text(std::uint32_t index) const { return m_texts[index]; }
  // The result/exception text a task ended with ("ValueError: boom"); "" for a plain result.
  [[nodiscard]] const std::string& outcomeText(const TaskInfo& task) const
  {
    return m_texts[task.outcome];
  }

  // The task that `id` awaits now (AwaitKind::Task), following the chain: {id, awaited, ...}.
  [[nodiscard]] std::vector<std::uint32_t> awaitChain(std::uint32_t id) const;
  // Tasks now awaiting `id` directly.
  [[nodiscard]] std::vector<std::uint32_t> awaitedBy(std::uint32_t id) const;

  // Latest shutdown phase seen (nullptr: none) and the grace deadline if the stream told it.
  [[nodiscard]] const GlobalMarker* lastShutdownPhase() const;
  // The grace deadline of the latest Awaiting phase (later phases keep it), or kNever.
  [[nodiscard]] std::int64_t graceDeadline() const noexcept { return m_graceDeadline; }

private:
  // Per task (parallel to m_tasks): bookkeeping the views do not read.
  struct TaskExtra
  {
    TaskTimes closed;  // busy/ready/idle of the closed spans
  };
  // Per task that was ever cancelled (most never are: kept apart, by task id).
  struct CancelState
  {
    std::vector<std::uint32_t> pending;        // m_cancels indexes not delivered yet
    std::vector<std::uint32_t> lastDelivered;  // m_cancels indexes of the latest delivery
  };

  void apply(const engine::DecodedEvent& event, std::size_t index);
  TaskInfo& ensureTask(std::uint32_t id, std::int64_t t);
  void setState(TaskInfo& task, std::int64_t t, TaskState state, engine::AwaitKind await,
                std::uint32_t site, std::uint64_t object);
  void closeSpan(TaskInfo& task, std::int64_t t);
  // Moves a Suspended/Ready task to Cancelling (or back) at t, keeping what it awaits.
  void updateCancelling(TaskInfo& task, std::int64_t t);
  void addMarker(TaskInfo& task, const Marker& marker);
  void openLoopSpan(std::int64_t t, LoopSpan::Kind kind, std::uint32_t task);
  // Closes the open loop span if it is of `kind` (and, for a Step, of `task`).
  void closeLoopSpan(std::int64_t t, LoopSpan::Kind kind, std::uint32_t task);
  std::uint32_t intern(std::string text);
  // The rows, walked whole (rebuildRows) or, for tasks that arrived since, added at the end
  // when that is where they belong (extendRows; false when one does not, which needs the walk).
  void ensureRows() const;
  void rebuildRows() const;
  [[nodiscard]] bool extendRows() const;
  // Cuts if the retention limits are exceeded by an eighth.
  void enforceRetention();
  // Drops the events before events().dropPoint(index) and what ended before the first kept one.
  void trim(std::size_t index);
  void indexTask(std::uint32_t id, std::uint32_t index);

  EventStore m_events;
  // Index in m_tasks of a task id, or -1.
  [[nodiscard]] std::int64_t findTask(std::uint32_t id) const;
  // The same for a task known to exist.
  [[nodiscard]] std::uint32_t knownIndex(std::uint32_t id) const
  {
    return static_cast<std::uint32_t>(findTask(id));
  }

  // Deques: 100,000 tasks grow them without copying or doubling.
  std::deque<TaskInfo> m_tasks;
  std::deque<TaskExtra> m_extra;
  std::unordered_map<std::uint32_t, CancelState> m_cancelStates;
  // id -> index + 1 in m_tasks (0: unknown) for ids below kDenseTaskIds (the engine numbers tasks
  // from 1), a map above (a stream from elsewhere, a corrupt trace).
  static constexpr std::uint32_t kDenseTaskIds = std::uint32_t{1} << 22;
  std::vector<std::uint32_t> m_denseIndex;  // for ids m_denseBase + i
  std::uint32_t m_denseBase = 0;
  std::unordered_map<std::uint32_t, std::uint32_t> m_sparseIndex;
  std::deque<LoopSpan> m_loopSpans;
  std::vector<CancelLink> m_cancels;
  std::vector<TimeoutScope> m_timeouts;
  std::unordered_map<std::uint64_t, std::size_t> m_openTimeouts;  // task << 32 | scope -> index
  std::vector<ExecutorJobSpan> m_jobs;
  std::unordered_map<std::uint64_t, std::size_t> m_openJobs;  // job id -> index
  std::vector<GlobalMarker> m_global;
  std::int64_t m_lastShutdown = -1;  // index into m_global
  std::int64_t m_graceDeadline = kNever;
  std::vector<std::size_t> m_diagnostics;
  std::unordered_map<std::uint32_t, Site> m_sites;
  struct ObjectLabel
  {
    std::string label;
    std::int64_t created = 0;
  };
  std::unordered_map<std::uint64_t, ObjectLabel> m_objects;
  std::vector<std::string> m_texts;
  std::unordered_map<std::uint32_t, bool> m_collapsed;
  mutable std::vector<std::uint32_t> m_rows;
  mutable std::vector<int> m_rowOfIndex;  // creation index -> row, -1 when hidden
  // The tasks past m_rowOfIndex.size() arrived since the rows were made; m_rowsDirty: the rows
  // must be walked again whole (a collapse, a retention cut, a new model).
  mutable bool m_rowsDirty = true;
  std::int64_t m_start = 0;
  std::int64_t m_end = 0;
  std::uint64_t m_revision = 0;
  std::uint64_t m_generation = 0;
  Retention m_retention;
  std::int64_t m_retainedFrom = 0;
  DroppedSummary m_dropped;
  std::uint64_t m_trims = 0;
  std::vector<std::uint32_t> m_removedInLastTrim;
  std::vector<std::uint32_t> m_removedIdsInLastTrim;
};

}  // namespace loopscope::views
