// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/timelinemodel.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace loopscope::views {

namespace {

using engine::AwaitKind;
using engine::EventKind;

// A SlowStep arrives right after the end of the step it reports; this bounds the search for
// that step's loop span when the stream does not have it (picked up midway).
constexpr std::size_t kSlowStepLookBack = 64;

std::uint64_t timeoutKey(std::uint32_t task, std::uint32_t scope)
{
  return (std::uint64_t{task} << 32) | scope;
}

// TimeoutArmed/TimeoutRescheduled: ~0 means "never".
std::int64_t deadlineOf(std::uint64_t detail)
{
  return detail == ~std::uint64_t{0} ? kNever : static_cast<std::int64_t>(detail);
}

TaskState endState(std::uint8_t outcome)
{
  switch (static_cast<engine::TaskOutcome>(outcome)) {
    case engine::TaskOutcome::Result:
      return TaskState::Done;
    case engine::TaskOutcome::Exception:
      return TaskState::Failed;
    case engine::TaskOutcome::Cancelled:
      return TaskState::Cancelled;
  }
  return TaskState::Failed;
}

// A Suspended/Cancelling span waits on something; Ready spans have None or Yield (sleep(0)).
bool waitsOn(AwaitKind await)
{
  return await != AwaitKind::None && await != AwaitKind::Yield;
}

// tokio-console's split: busy = on the loop thread, ready = queued for it, idle = waiting on
// something. A cancelled task waiting to run (no await) is ready, one still awaiting is idle.
void account(TaskTimes& times, const StateSpan& span, std::int64_t duration)
{
  switch (span.state) {
    case TaskState::Running:
      times.busy += duration;
      break;
    case TaskState::Ready:
      times.ready += duration;
      break;
    case TaskState::Suspended:
      times.idle += duration;
      break;
    case TaskState::Cancelling:
      (waitsOn(span.await) ? times.idle : times.ready) += duration;
      break;
    default:
      break;
  }
}

std::uint32_t parseNumber(std::string_view s)
{
  std::uint32_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

// Spans (or loop spans) are half-open [start, end) and sorted by both start and end: the ones
// overlapping the closed range [t0, t1] are those ending after t0 and starting no later than t1.
template <class Spans>
std::pair<std::size_t, std::size_t> overlapping(const Spans& spans, std::int64_t t0,
                                                std::int64_t t1)
{
  const auto first = std::upper_bound(spans.begin(), spans.end(), t0,
                                      [](std::int64_t t, const LoopSpan& s) { return t < s.end; });
  if (t1 < t0)
    return {static_cast<std::size_t>(first - spans.begin()),
            static_cast<std::size_t>(first - spans.begin())};
  const auto last = std::upper_bound(first, spans.end(), t1,
                                     [](std::int64_t t, const LoopSpan& s) { return t < s.start; });
  return {static_cast<std::size_t>(first - spans.begin()),
          static_cast<std::size_t>(last - spans.begin())};
}

}  // namespace

const char* taskStateName(TaskState state) noexcept
{
  switch (state) {
    case TaskState::Running:
      return "running";
    case TaskState::Ready:
      return "ready";
    case TaskState::Suspended:
      return "suspended";
    case TaskState::Cancelling:
      return "cancelling";
    case TaskState::Done:
      return "done";
    case TaskState::Failed:
      return "failed";
    case TaskState::Cancelled:
      return "cancelled";
    case TaskState::Count_:
      break;
  }
  return "?";
}

std::string Site::location() const
{
  const std::size_t slash = file.find_last_of('/');
  std::string out = slash == std::string::npos ? file : file.substr(slash + 1);
  out += ':';
  out += std::to_string(line);
  return out;
}

TimelineModel::TimelineModel()
{
  m_texts.emplace_back();  // text(0) is ""
}

void TimelineModel::clear()
{
  const std::uint64_t revision = m_revision;
  const std::uint64_t generation = m_generation;
  const Retention retention = m_retention;
  *this = TimelineModel();
  m_retention = retention;
  m_revision = revision + 1;
  m_generation = generation + 1;
}

void TimelineModel::advanceTo(std::int64_t t)
{
  m_end = std::max(m_end, t);
  ++m_revision;
}

void TimelineModel::append(std::span<const engine::DecodedEvent> events)
{
  if (events.empty())
    return;
  if (m_events.empty()) {
    m_start = events.front().ev.t_ns;
    m_retainedFrom = m_start;
  }
  for (const engine::DecodedEvent& e : events) {
    const std::size_t index = m_events.size();
    m_events.push_back(e);
    apply(e, index);
  }
  enforceRetention();
  ++m_revision;
}

void TimelineModel::setRetention(Retention retention)
{
  m_retention = retention;
  enforceRetention();
  ++m_revision;
}

void TimelineModel::enforceRetention()
{
  if (!m_retention.active() || m_events.empty())
    return;
  std::size_t cut = m_events.firstIndex();
  const std::size_t keepEvents = m_retention.keepEvents;
  if (keepEvents > 0 && m_events.storedCount() > keepEvents + keepEvents / 8)
    cut = std::max(cut, m_events.size() - keepEvents);
  const std::int64_t keepNs = m_retention.keepNs;
  if (keepNs > 0 && m_end - m_retainedFrom > keepNs + keepNs / 8)
    cut = std::max(cut, m_events.indexNearTime(m_end - keepNs));
  if (m_events.dropPoint(cut) > m_events.firstIndex())
    trim(cut);
}

void TimelineModel::indexTask(std::uint32_t id, std::uint32_t index)
{
  if (id >= m_denseBase && id - m_denseBase < kDenseTaskIds) {
    const std::size_t at = id - m_denseBase;
    if (m_denseIndex.size() <= at)
      m_denseIndex.resize(std::max<std::size_t>(at + 1, m_denseIndex.size() * 3 / 2), 0);
    m_denseIndex[at] = index + 1;
  } else {
    m_sparseIndex[id] = index;
  }
}

void TimelineModel::trim(std::size_t index)
{
  const std::size_t before = m_events.firstIndex();
  const std::size_t first = m_events.dropBefore(index);
  if (first <= before)
    return;
  // What ended before the oldest event kept goes with the events.
  const std::int64_t cut = m_events.raw(first).t_ns;
  m_retainedFrom = std::max(m_retainedFrom, cut);
  m_dropped.events += first - before;
  ++m_trims;

  m_diagnostics.erase(m_diagnostics.begin(),
                      std::lower_bound(m_diagnostics.begin(), m_diagnostics.end(), first));

  // Tasks: the ones that ended before the cut go; the others lose their spans and markers
  // before it.
  m_removedInLastTrim.clear();
  m_removedIdsInLastTrim.clear();
  std::deque<TaskInfo> tasks;
  std::deque<TaskExtra> extra;
  std::vector<std::uint32_t> keptIds;
  for (std::size_t i = 0; i < m_tasks.size(); ++i) {
    TaskInfo& t = m_tasks[i];
    if (t.ended != kNever && t.ended < cut) {
      m_removedInLastTrim.push_back(static_cast<std::uint32_t>(i));
      m_removedIdsInLastTrim.push_back(t.id);
      ++m_dropped.tasks;
      m_dropped.done += t.state == TaskState::Done ? 1 : 0;
      m_dropped.failed += t.state == TaskState::Failed ? 1 : 0;
      m_dropped.cancelled += t.state == TaskState::Cancelled ? 1 : 0;
      m_dropped.spans += t.spans.size();
      const TaskTimes& closed = m_extra[i].closed;
      m_dropped.times.busy += closed.busy;
      m_dropped.times.ready += closed.ready;
      m_dropped.times.idle += closed.idle;
      m_cancelStates.erase(t.id);
      m_collapsed.erase(t.id);
      continue;
    }
    m_dropped.spans += t.spans.dropBefore(cut);
    const auto markers = std::lower_bound(t.markers.begin(), t.markers.end(), cut,
                                          [](const Marker& m, std::int64_t v) { return m.t < v; });
    if (markers != t.markers.begin()) {
      t.markers.erase(t.markers.begin(), markers);
      t.markers.shrink_to_fit();
    }
    keptIds.push_back(t.id);
    tasks.push_back(std::move(t));
    extra.push_back(m_extra[i]);
  }
  m_tasks = std::move(tasks);
  m_extra = std::move(extra);
  if (!m_removedInLastTrim.empty()) {
    // Re-index. Ids grow with creation, and the few old tasks still alive (main, a supervisor)
    // would pin a dense index to the run's first id: up to 1024 of the lowest ids go to the map,
    // the rest index densely from there.
    std::vector<std::uint32_t> sorted = keptIds;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t spill = std::min<std::size_t>(sorted.size(), 1024);
    m_denseBase = spill < sorted.size() ? sorted[spill] : (sorted.empty() ? 0 : sorted.back() + 1);
    m_denseIndex.clear();
    m_denseIndex.shrink_to_fit();
    m_sparseIndex.clear();
    for (std::size_t i = 0; i < m_tasks.size(); ++i)
      indexTask(m_tasks[i].id, static_cast<std::uint32_t>(i));
    for (TaskInfo& t : m_tasks) {
      std::erase_if(t.children, [this](std::uint32_t child) { return findTask(child) < 0; });
    }
    m_rowsDirty = true;
  }

  // Cancellations: a link goes once its target is gone or it was over (delivered, or withdrawn)
  // before the cut. The per-task bookkeeping holds indexes: renumber.
  {
    std::vector<std::uint32_t> renumber(m_cancels.size(), UINT32_MAX);
    std::vector<CancelLink> kept;
    std::unordered_map<std::uint32_t, bool> pending;  // links still awaiting a delivery
    for (const auto& [id, state] : m_cancelStates) {
      for (const std::uint32_t link : state.pending)
        pending[link] = true;
    }
    for (std::size_t i = 0; i < m_cancels.size(); ++i) {
      const CancelLink& c = m_cancels[i];
      const bool over = c.delivered != kNever ? c.delivered < cut
                                              : (c.requested < cut &&
                                                 pending.count(static_cast<std::uint32_t>(i)) == 0);
      if (findTask(c.target) < 0 || over)
        continue;
      renumber[i] = static_cast<std::uint32_t>(kept.size());
      kept.push_back(c);
    }
    for (auto it = m_cancelStates.begin(); it != m_cancelStates.end();) {
      for (std::vector<std::uint32_t>* links : {&it->second.pending, &it->second.lastDelivered}) {
        for (std::uint32_t& link : *links)
          link = renumber[link];
        std::erase(*links, UINT32_MAX);
      }
      if (it->second.pending.empty() && it->second.lastDelivered.empty())
        it = m_cancelStates.erase(it);
      else
        ++it;
    }
    m_cancels = std::move(kept);
  }

  // Timeouts and executor jobs that ended before the cut; open ones are indexed: renumber.
  {
    std::vector<TimeoutScope> kept;
    for (const TimeoutScope& scope : m_timeouts) {
      if (scope.disarmed == kNever || scope.disarmed >= cut)
        kept.push_back(scope);
    }
    m_timeouts = std::move(kept);
    m_openTimeouts.clear();
    for (std::size_t i = 0; i < m_timeouts.size(); ++i) {
      if (m_timeouts[i].disarmed == kNever)
        m_openTimeouts[timeoutKey(m_timeouts[i].task, m_timeouts[i].scope)] = i;
    }
  }
  {
    std::vector<ExecutorJobSpan> kept;
    for (const ExecutorJobSpan& job : m_jobs) {
      if (job.end == kOpenEnd || job.end >= cut)
        kept.push_back(job);
    }
    m_jobs = std::move(kept);
    m_openJobs.clear();
    for (std::size_t i = 0; i < m_jobs.size(); ++i) {
      if (m_jobs[i].end == kOpenEnd)
        m_openJobs[m_jobs[i].job] = i;
    }
  }

  while (!m_loopSpans.empty() && m_loopSpans.front().end != kOpenEnd &&
         m_loopSpans.front().end < cut)
    m_loopSpans.pop_front();

  // Signals before the cut go; shutdown phases (a handful per run) stay.
  {
    const GlobalMarker* last = lastShutdownPhase();
    const GlobalMarker lastCopy = last != nullptr ? *last : GlobalMarker{};
    std::erase_if(m_global, [cut](const GlobalMarker& g) {
      return g.kind == GlobalMarker::Kind::Signal && g.t < cut;
    });
    m_lastShutdown = -1;
    if (last != nullptr) {
      for (std::size_t i = m_global.size(); i > 0; --i) {
        const GlobalMarker& g = m_global[i - 1];
        if (g.kind == GlobalMarker::Kind::ShutdownPhase && g.t == lastCopy.t &&
            g.phase == lastCopy.phase) {
          m_lastShutdown = static_cast<std::int64_t>(i - 1);
          break;
        }
      }
    }
  }

  // Texts still referenced, renumbered; object labels still awaited, or created since the cut.
  {
    std::vector<std::uint32_t> renumber(m_texts.size(), 0);
    std::vector<std::string> texts;
    texts.emplace_back();
    const auto keep = [&](std::uint32_t& text) {
      if (text == 0)
        return;
      if (renumber[text] == 0) {
        renumber[text] = static_cast<std::uint32_t>(texts.size());
        texts.push_back(std::move(m_texts[text]));
      }
      text = renumber[text];
    };
    std::unordered_map<std::uint64_t, ObjectLabel> objects;
    const auto keepObject = [&](std::uint64_t id) {
      if (id == 0 || objects.count(id) != 0)
        return;
      if (const auto it = m_objects.find(id); it != m_objects.end())
        objects.emplace(id, std::move(it->second));
    };
    for (TaskInfo& t : m_tasks) {
      keep(t.outcome);
      for (Marker& m : t.markers)
        keep(m.text);
      // What a task awaits now (reading every span kept would make each cut cost as much as
      // the whole window).
      if (t.awaitKind != AwaitKind::None && t.awaitKind != AwaitKind::Sleep)
        keepObject(t.awaiting);
    }
    for (CancelLink& c : m_cancels)
      keep(c.message);
    for (GlobalMarker& g : m_global)
      keep(g.text);
    for (auto& [id, label] : m_objects) {
      if (label.created >= cut && objects.count(id) == 0)
        objects.emplace(id, std::move(label));
    }
    m_texts = std::move(texts);
    m_objects = std::move(objects);
  }
}

TaskInfo& TimelineModel::ensureTask(std::uint32_t id, std::int64_t t)
{
  if (const std::int64_t known = findTask(id); known >= 0)
    return m_tasks[static_cast<std::size_t>(known)];
  indexTask(id, static_cast<std::uint32_t>(m_tasks.size()));
  TaskInfo& task = m_tasks.emplace_back();
  task.id = id;
  task.name = "Task-" + std::to_string(id);
  task.created = t;
  m_extra.emplace_back();
  return task;  // its row is found when rows are next asked for (see extendRows())
}

void TimelineModel::closeSpan(TaskInfo& task, std::int64_t t)
{
  if (task.spans.empty() || task.spans.back().end != kOpenEnd)
    return;
  task.spans.closeBack(t);  // at its start if time went backwards: spans stay contiguous
  const StateSpan& open = task.spans.back();
  account(m_extra[static_cast<std::size_t>(indexOf(task.id))].closed, open, open.end - open.start);
}

void TimelineModel::setState(TaskInfo& task, std::int64_t t, TaskState state, AwaitKind await,
                             std::uint32_t site, std::uint64_t object)
{
  if (isTerminal(task.state))
    return;
  std::int64_t start = t;
  if (!task.spans.empty() && task.spans.back().end == kOpenEnd) {
    const StateSpan& open = task.spans.back();
    // A repeated state (create_task's Ready followed by the Ready event) is one span.
    if (open.state == state && open.await == await && open.site == site && open.object == object)
      return;
    start = std::max(t, open.start);
    closeSpan(task, start);
  }
  task.spans.push_back(StateSpan{start, kOpenEnd, state, await, site, object});
  task.state = state;
  const bool waits =
      (state == TaskState::Suspended || state == TaskState::Cancelling) && waitsOn(await);
  task.awaitKind = waits ? await : AwaitKind::None;
  task.awaitSite = waits ? site : 0;
  task.awaiting = waits ? object : 0;
}

void TimelineModel::updateCancelling(TaskInfo& task, std::int64_t t)
{
  if (task.spans.empty() || task.spans.back().end != kOpenEnd)
    return;
  const StateSpan open = task.spans.back();  // a copy: setState appends
  if (task.cancelling > 0 && (open.state == TaskState::Suspended || open.state == TaskState::Ready))
    setState(task, t, TaskState::Cancelling, open.await, open.site, open.object);
  else if (task.cancelling == 0 && open.state == TaskState::Cancelling)
    setState(task, t, waitsOn(open.await) ? TaskState::Suspended : TaskState::Ready, open.await,
             open.site, open.object);
}

void TimelineModel::addMarker(TaskInfo& task, const Marker& marker)
{
  // Almost always appended; SlowStep (stamped at the step's start) and executor jobs (reported
  // after later events) go back in time.
  if (task.markers.empty() || task.markers.back().t <= marker.t) {
    task.markers.push_back(marker);
    return;
  }
  const auto at = std::upper_bound(task.markers.begin(), task.markers.end(), marker.t,
                                   [](std::int64_t t, const Marker& m) { return t < m.t; });
  task.markers.insert(at, marker);
}

void TimelineModel::openLoopSpan(std::int64_t t, LoopSpan::Kind kind, std::uint32_t task)
{
  std::int64_t start = t;
  if (!m_loopSpans.empty() && m_loopSpans.back().end == kOpenEnd) {
    LoopSpan& open = m_loopSpans.back();
    start = std::max(t, open.start);
    open.end = start;
  } else if (!m_loopSpans.empty()) {
    start = std::max(t, m_loopSpans.back().end);
  }
  m_loopSpans.push_back(LoopSpan{start, kOpenEnd, task, kind, false});
}

void TimelineModel::closeLoopSpan(std::int64_t t, LoopSpan::Kind kind, std::uint32_t task)
{
  if (m_loopSpans.empty())
    return;
  LoopSpan& open = m_loopSpans.back();
  if (open.end != kOpenEnd || open.kind != kind || open.task != task)
    return;
  open.end = std::max(t, open.start);
}

std::uint32_t TimelineModel::intern(std::string text)
{
  if (text.empty())
    return 0;
  m_texts.push_back(std::move(text));
  return static_cast<std::uint32_t>(m_texts.size() - 1);
}

void TimelineModel::apply(const engine::DecodedEvent& event, std::size_t index)
{
  const engine::TraceEvent& e = event.ev;
  const std::int64_t t = e.t_ns;
  m_end = std::max(m_end, t);

  // Task 0 is the loop itself (callbacks, the loop row), never a task.
  TaskInfo* task = nullptr;
  if (e.task != 0 && e.kind != EventKind::TaskCreated && e.kind != EventKind::Text)
    task = &ensureTask(e.task, t);

  switch (e.kind) {
    case EventKind::TaskCreated: {
      if (e.task == 0)
        break;
      const std::uint32_t parentId = e.detail == e.task ? 0 : static_cast<std::uint32_t>(e.detail);
      if (const std::int64_t known = findTask(e.task); known >= 0) {
        // Already made up from a later event (a stream picked up midway): name it now.
        TaskInfo& existing = m_tasks[static_cast<std::size_t>(known)];
        if (!event.text.empty())
          existing.name = event.text;
        existing.creationSite = e.site;
        break;
      }
      std::uint32_t depth = 0;
      if (parentId != 0)
        depth = ensureTask(parentId, t).depth + 1;
      TaskInfo& created = ensureTask(e.task, t);
      if (!event.text.empty())
        created.name = event.text;
      created.parent = parentId;
      created.depth = depth;
      created.creationSite = e.site;
      if (parentId != 0)
        m_tasks[knownIndex(parentId)].children.push_back(e.task);
      // create_task schedules the first step; it runs later.
      setState(created, t, TaskState::Ready, AwaitKind::None, 0, 0);
      break;
    }
    case EventKind::TaskRenamed:
      if (task != nullptr)
        task->name = event.text;
      break;
    case EventKind::StepBegin:
      if (task == nullptr)
        break;
      setState(*task, t, TaskState::Running, AwaitKind::None, 0, 0);
      ++task->steps;
      openLoopSpan(t, LoopSpan::Kind::Step, e.task);
      break;
    case EventKind::Suspended:
      if (task == nullptr)
        break;
      setState(*task, t, task->cancelling > 0 ? TaskState::Cancelling : TaskState::Suspended,
               static_cast<AwaitKind>(e.a8), e.site, e.detail);
      closeLoopSpan(t, LoopSpan::Kind::Step, e.task);
      break;
    case EventKind::Ready: {
      if (task == nullptr)
        break;
      // A sleep is due at its deadline; when the loop wakes it later (a step was blocking the
      // thread), the task was ready -- due, unable to run -- from the deadline on. That is
      // what makes a blocked loop visible on every sleeping task's row.
      std::int64_t from = t;
      if (task->state == TaskState::Suspended && task->awaitKind == AwaitKind::Sleep &&
          task->cancelling == 0 && !task->spans.empty()) {
        const auto deadline = static_cast<std::int64_t>(task->awaiting);
        if (deadline < t && deadline > task->spans.back().start)
          from = deadline;
      }
      // The step ended by sleep(0): the task queued itself again (an await point: Yield and its
      // site on the Ready span).
      const bool yielded = static_cast<AwaitKind>(e.a8) == AwaitKind::Yield;
      setState(*task, from, task->cancelling > 0 ? TaskState::Cancelling : TaskState::Ready,
               yielded ? AwaitKind::Yield : AwaitKind::None, yielded ? e.site : 0, 0);
      if (yielded)
        closeLoopSpan(t, LoopSpan::Kind::Step, e.task);
      break;
    }
    case EventKind::TaskDone:
      if (task == nullptr)
        break;
      closeSpan(*task, t);
      closeLoopSpan(t, LoopSpan::Kind::Step, e.task);
      if (!isTerminal(task->state)) {
        task->state = endState(e.a8);
        task->ended = t;
        task->outcome = intern(event.text);
        task->awaitKind = AwaitKind::None;
        task->awaitSite = 0;
        task->awaiting = 0;
      }
      break;
    case EventKind::CancelRequested: {
      if (task == nullptr)
        break;
      ++task->cancelRequests;
      task->cancelling = e.arg;
      const std::uint32_t message = intern(event.text);
      m_cancelStates[e.task].pending.push_back(static_cast<std::uint32_t>(m_cancels.size()));
      m_cancels.push_back(CancelLink{e.task, static_cast<std::uint32_t>(e.detail), t, kNever, 0,
                                     static_cast<engine::CancelSource>(e.a8), false, message});
      updateCancelling(*task, t);
      addMarker(*task,
                Marker{t, e.detail, e.task, 0, e.arg, message, MarkerKind::CancelRequested, e.a8});
      break;
    }
    case EventKind::CancelDelivered: {
      if (task == nullptr)
        break;
      task->cancelling = e.arg;
      CancelState& extra = m_cancelStates[e.task];
      if (!extra.pending.empty()) {
        // Every request since the last delivery led to this CancelledError.
        for (const std::uint32_t link : extra.pending) {
          m_cancels[link].delivered = t;
          m_cancels[link].deliverySite = e.site;
        }
        extra.lastDelivered.swap(extra.pending);
        extra.pending.clear();
      }
      updateCancelling(*task, t);
      addMarker(*task, Marker{t, e.detail, e.task, e.site, e.arg, intern(event.text),
                              MarkerKind::CancelDelivered, e.a8});
      break;
    }
    case EventKind::CancelSwallowed:
      if (task == nullptr)
        break;
      task->swallowedCancel = true;
      task->cancelling = e.arg;
      for (const std::uint32_t link : m_cancelStates[e.task].lastDelivered)
        m_cancels[link].swallowed = true;
      updateCancelling(*task, t);
      addMarker(*task, Marker{t, 0, e.task, e.site, e.arg, 0, MarkerKind::CancelSwallowed, 0});
      break;
    case EventKind::Uncancel:
      if (task == nullptr)
        break;
      task->cancelling = e.arg;
      // Every request withdrawn before it was delivered (asyncio 3.13 clears _must_cancel): no
      // later CancelledError answers them.
      if (e.arg == 0)
        m_cancelStates[e.task].pending.clear();
      updateCancelling(*task, t);
      addMarker(*task, Marker{t, 0, e.task, 0, e.arg, 0, MarkerKind::Uncancel, 0});
      break;
    case EventKind::TimeoutArmed: {
      m_openTimeouts[timeoutKey(e.task, e.arg)] = m_timeouts.size();
      m_timeouts.push_back(TimeoutScope{e.task, e.arg, t, deadlineOf(e.detail), kNever, kNever,
                                        engine::TimeoutOutcome::NotExpired});
      break;
    }
    case EventKind::TimeoutRescheduled:
    case EventKind::TimeoutFired:
    case EventKind::TimeoutDisarmed: {
      const std::uint64_t key = timeoutKey(e.task, e.arg);
      auto it = m_openTimeouts.find(key);
      if (it == m_openTimeouts.end()) {
        // Armed before the stream was picked up.
        it = m_openTimeouts.emplace(key, m_timeouts.size()).first;
        m_timeouts.push_back(TimeoutScope{e.task, e.arg, t, kNever, kNever, kNever,
                                          engine::TimeoutOutcome::NotExpired});
      }
      TimeoutScope& scope = m_timeouts[it->second];
      if (e.kind == EventKind::TimeoutRescheduled) {
        scope.deadline = deadlineOf(e.detail);
      } else if (e.kind == EventKind::TimeoutFired) {
        scope.fired = t;
        scope.deadline = deadlineOf(e.detail);
        if (task != nullptr)
          addMarker(*task, Marker{t, e.detail, e.task, 0, e.arg, 0, MarkerKind::TimeoutFired, 0});
      } else {
        scope.disarmed = t;
        scope.outcome = static_cast<engine::TimeoutOutcome>(e.a8);
        m_openTimeouts.erase(it);
      }
      break;
    }
    case EventKind::CallbackBegin:
      openLoopSpan(t, LoopSpan::Kind::Callback, 0);
      break;
    case EventKind::CallbackEnd:
      closeLoopSpan(t, LoopSpan::Kind::Callback, 0);
      break;
    case EventKind::LoopWait:
      openLoopSpan(t, LoopSpan::Kind::Idle, 0);
      break;
    case EventKind::LoopWake:
      closeLoopSpan(t, LoopSpan::Kind::Idle, 0);
      break;
    case EventKind::SlowStep: {
      const LoopSpan::Kind kind = e.task != 0 ? LoopSpan::Kind::Step : LoopSpan::Kind::Callback;
      const std::size_t stop =
          m_loopSpans.size() > kSlowStepLookBack ? m_loopSpans.size() - kSlowStepLookBack : 0;
      for (std::size_t i = m_loopSpans.size(); i > stop; --i) {
        LoopSpan& span = m_loopSpans[i - 1];
        if (span.kind == kind && span.task == e.task) {
          span.slow = true;
          break;
        }
      }
      if (task != nullptr) {
        const std::int64_t start = t - static_cast<std::int64_t>(e.detail);
        addMarker(*task, Marker{start, e.detail, e.task, 0, e.arg, 0, MarkerKind::SlowStep, 0});
      }
      break;
    }
    case EventKind::SiteDefined: {
      // "file\tline\tcolumn\tfunction"; the function may itself contain tabs.
      const std::string_view text = event.text;
      const std::size_t a = text.find('\t');
      const std::size_t b = a == std::string_view::npos ? a : text.find('\t', a + 1);
      const std::size_t c = b == std::string_view::npos ? b : text.find('\t', b + 1);
      Site site;
      site.file = std::string(text.substr(0, a));
      if (a != std::string_view::npos)
        site.line = parseNumber(text.substr(a + 1, b - a - 1));
      if (b != std::string_view::npos)
        site.column = parseNumber(text.substr(b + 1, c - b - 1));
      if (c != std::string_view::npos)
        site.function = engine::clean_function_name(text.substr(c + 1));
      m_sites[e.site] = std::move(site);
      break;
    }
    case EventKind::ObjectCreated:
      if (!event.text.empty())
        m_objects[e.detail] = ObjectLabel{event.text, t};
      break;
    case EventKind::SignalReceived:
      m_global.push_back(GlobalMarker{t, GlobalMarker::Kind::Signal, 0, e.arg, 0, 0});
      break;
    case EventKind::ShutdownPhase: {
      const bool awaiting =
          static_cast<engine::ShutdownPhaseKind>(e.a8) == engine::ShutdownPhaseKind::Awaiting;
      const std::int64_t deadline = awaiting ? static_cast<std::int64_t>(e.detail) : kNever;
      m_lastShutdown = static_cast<std::int64_t>(m_global.size());
      m_global.push_back(GlobalMarker{t, GlobalMarker::Kind::ShutdownPhase, e.a8, e.arg,
                                      intern(event.text), deadline < 0 ? kNever : deadline});
      if (awaiting)
        m_graceDeadline = deadline < 0 ? kNever : deadline;
      break;
    }
    case EventKind::ExecutorJobBegin:
      m_openJobs[e.detail] = m_jobs.size();
      m_jobs.push_back(ExecutorJobSpan{e.task, e.detail, e.arg, t, kOpenEnd});
      if (task != nullptr)
        addMarker(*task, Marker{t, e.detail, e.task, 0, e.arg, 0, MarkerKind::ExecutorJob, 0});
      break;
    case EventKind::ExecutorJobEnd:
      if (const auto it = m_openJobs.find(e.detail); it != m_openJobs.end()) {
        ExecutorJobSpan& job = m_jobs[it->second];
        job.end = std::max(t, job.start);
        m_openJobs.erase(it);
      }
      break;
    case EventKind::Print:
      if (task != nullptr)
        addMarker(*task, Marker{t, 0, e.task, 0, 0, intern(event.text), MarkerKind::Print, 0});
      break;
    case EventKind::Diagnostic:
      m_diagnostics.push_back(index);
      if (task != nullptr)
        addMarker(*task, Marker{t, e.detail, e.task, e.site, e.arg, intern(event.text),
                                MarkerKind::Diagnostic, e.a8});
      break;
    case EventKind::CallbackError:  // the log shows it; nothing to draw
    case EventKind::Text:           // a payload whose event was lost: nothing to attach it to
    case EventKind::Count_:
      break;
  }
}

std::size_t TimelineModel::memoryBytes() const
{
  std::size_t bytes = sizeof(*this) + m_events.memoryBytes();
  for (const TaskInfo& t : m_tasks) {
    bytes += sizeof(TaskInfo) + sizeof(TaskExtra) + t.spans.memoryBytes() - sizeof(SpanList) +
             t.markers.capacity() * sizeof(Marker) + t.children.capacity() * sizeof(std::uint32_t) +
             (t.name.capacity() > 15 ? t.name.capacity() : 0);
  }
  bytes +=
      m_denseIndex.capacity() * sizeof(std::uint32_t) +
      m_sparseIndex.size() * (sizeof(std::uint64_t) + 2 * sizeof(void*)) +
      m_loopSpans.size() * sizeof(LoopSpan) + m_cancels.capacity() * sizeof(CancelLink) +
      m_timeouts.capacity() * sizeof(TimeoutScope) + m_jobs.capacity() * sizeof(ExecutorJobSpan) +
      m_global.capacity() * sizeof(GlobalMarker) + m_diagnostics.capacity() * sizeof(std::size_t) +
      m_texts.capacity() * sizeof(std::string);
  for (const std::string& text : m_texts)
    bytes += text.capacity() > 15 ? text.capacity() : 0;
  for (const auto& [id, object] : m_objects)
    bytes += sizeof(id) + sizeof(object) + 2 * sizeof(void*) + object.label.capacity();
  return bytes;
}

std::int64_t TimelineModel::findTask(std::uint32_t id) const
{
  if (id >= m_denseBase && id - m_denseBase < kDenseTaskIds) {
    const std::size_t at = id - m_denseBase;
    return at < m_denseIndex.size() ? static_cast<std::int64_t>(m_denseIndex[at]) - 1 : -1;
  }
  const auto it = m_sparseIndex.find(id);
  return it == m_sparseIndex.end() ? -1 : static_cast<std::int64_t>(it->second);
}

const TaskInfo* TimelineModel::task(std::uint32_t id) const
{
  const std::int64_t index = findTask(id);
  return index < 0 ? nullptr : &m_tasks[static_cast<std::size_t>(index)];
}

int TimelineModel::indexOf(std::uint32_t id) const
{
  return static_cast<int>(findTask(id));
}

std::string TimelineModel::taskName(std::uint32_t id) const
{
  if (id == 0)
    return "loop";
  if (const TaskInfo* t = task(id))
    return t->name;
  return "Task-" + std::to_string(id);
}

void TimelineModel::rebuildRows() const
{
  m_rows.clear();
  m_rowOfIndex.assign(m_tasks.size(), -1);
  std::vector<std::uint32_t> stack;  // creation indexes, next on top
  for (std::size_t root = 0; root < m_tasks.size(); ++root) {
    // A task whose parent retention dropped is a root now.
    if (m_tasks[root].parent != 0 && findTask(m_tasks[root].parent) >= 0)
      continue;
    stack.push_back(static_cast<std::uint32_t>(root));
    while (!stack.empty()) {
      const std::uint32_t index = stack.back();
      stack.pop_back();
      const TaskInfo& t = m_tasks[index];
      m_rowOfIndex[index] = static_cast<int>(m_rows.size());
      m_rows.push_back(t.id);
      if (isCollapsed(t.id))
        continue;
      for (auto child = t.children.rbegin(); child != t.children.rend(); ++child)
        stack.push_back(knownIndex(*child));
    }
  }
  m_rowsDirty = false;
}

bool TimelineModel::extendRows() const
{
  // Tasks only ever arrive at the end of m_tasks, already linked to their parent, and a parent
  // lists its children in creation order. So in creation order each new task is its parent's
  // last child: its row comes right after the rows of its parent's subtree. When that subtree
  // ends the list (the last row is the parent or below it, as when a task spawns one child after
  // another), the row is appended; a new root (or a task whose parent is gone) always is. A
  // task under a collapsed or hidden parent has no row. Anything else needs the whole walk.
  for (std::size_t index = m_rowOfIndex.size(); index < m_tasks.size(); ++index) {
    const TaskInfo& t = m_tasks[index];
    const std::int64_t parent = t.parent != 0 ? findTask(t.parent) : -1;
    if (parent >= 0) {
      if (m_rowOfIndex[static_cast<std::size_t>(parent)] < 0 || isCollapsed(t.parent)) {
        m_rowOfIndex.push_back(-1);
        continue;
      }
      // Does the parent's subtree end the list? Up from the last row to the parent.
      std::uint32_t up = m_rows.empty() ? 0 : m_rows.back();
      while (up != 0 && up != t.parent) {
        const std::int64_t at = findTask(up);
        up = at >= 0 ? m_tasks[static_cast<std::size_t>(at)].parent : 0;
      }
      if (up != t.parent)
        return false;
    }
    m_rowOfIndex.push_back(static_cast<int>(m_rows.size()));
    m_rows.push_back(t.id);
  }
  return true;
}

void TimelineModel::ensureRows() const
{
  if (m_rowsDirty || (m_rowOfIndex.size() < m_tasks.size() && !extendRows()))
    rebuildRows();
}

const std::vector<std::uint32_t>& TimelineModel::rows() const
{
  ensureRows();
  return m_rows;
}

int TimelineModel::rowOf(std::uint32_t id) const
{
  const int index = indexOf(id);
  if (index < 0)
    return -1;
  ensureRows();
  return m_rowOfIndex[static_cast<std::size_t>(index)];
}

void TimelineModel::setCollapsed(std::uint32_t id, bool collapsed)
{
  if (collapsed)
    m_collapsed[id] = true;
  else
    m_collapsed.erase(id);
  m_rowsDirty = true;
  ++m_revision;
}

bool TimelineModel::isCollapsed(std::uint32_t id) const
{
  return m_collapsed.count(id) != 0;
}

std::size_t TimelineModel::descendantCount(std::uint32_t id) const
{
  const TaskInfo* root = task(id);
  if (root == nullptr)
    return 0;
  std::size_t count = 0;
  std::vector<const TaskInfo*> stack{root};
  while (!stack.empty()) {
    const TaskInfo* t = stack.back();
    stack.pop_back();
    count += t->children.size();
    for (const std::uint32_t child : t->children)
      stack.push_back(&m_tasks[knownIndex(child)]);
  }
  return count;
}

std::pair<std::size_t, std::size_t> TimelineModel::spansIn(std::uint32_t id, std::int64_t t0,
                                                           std::int64_t t1) const
{
  const TaskInfo* t = task(id);
  return t == nullptr ? std::pair<std::size_t, std::size_t>{0, 0} : t->spans.overlapping(t0, t1);
}

std::vector<Marker> TimelineModel::awaitsIn(std::uint32_t id, std::int64_t t0,
                                            std::int64_t t1) const
{
  std::vector<Marker> out;
  const TaskInfo* t = task(id);
  if (t == nullptr || t1 < t0)
    return out;
  auto [first, last] = t->spans.overlapping(t0, t1);
  // A span is an await point when the step before it ended there: the span before it is Running
  // (or there is none: a stream picked up midway). Cancelling after Suspended (or back) waits on
  // the same thing and is not a new await.
  bool afterRunning = first == 0 || t->spans[first - 1].state == TaskState::Running;
  for (std::size_t i = first; i < last; ++i) {
    const StateSpan s = t->spans[i];
    if (startsAwait(s, afterRunning) && s.start >= t0 && s.start <= t1)
      out.push_back(Marker{s.start, s.object, id, s.site, 0, 0, MarkerKind::Await,
                           static_cast<std::uint8_t>(s.await)});
    afterRunning = s.state == TaskState::Running;
  }
  return out;
}

std::pair<std::size_t, std::size_t> TimelineModel::markersIn(std::uint32_t id, std::int64_t t0,
                                                             std::int64_t t1) const
{
  const TaskInfo* t = task(id);
  if (t == nullptr)
    return {0, 0};
  const auto& m = t->markers;
  const auto first = std::lower_bound(
      m.begin(), m.end(), t0, [](const Marker& marker, std::int64_t v) { return marker.t < v; });
  const auto last =
      t1 < t0 ? first
              : std::upper_bound(first, m.end(), t1,
                                 [](std::int64_t v, const Marker& marker) { return v < marker.t; });
  return {static_cast<std::size_t>(first - m.begin()), static_cast<std::size_t>(last - m.begin())};
}

std::optional<StateSpan> TimelineModel::spanAt(std::uint32_t id, std::int64_t t) const
{
  const TaskInfo* info = task(id);
  if (info == nullptr)
    return std::nullopt;
  // The last span starting at or before t (zero-length spans before it cover nothing).
  const std::size_t at = info->spans.indexAt(t);
  if (at == SIZE_MAX)
    return std::nullopt;
  const StateSpan span = info->spans[at];
  if (t < span.end)
    return span;
  return std::nullopt;
}

TaskState TimelineModel::stateAt(std::uint32_t id, std::int64_t t) const
{
  const TaskInfo* info = task(id);
  if (info == nullptr)
    return TaskState::Ready;
  if (info->ended != kNever && t >= info->ended)
    return info->state;
  if (const std::optional<StateSpan> span = spanAt(id, t))
    return span->state;
  return TaskState::Ready;
}

TaskTimes TimelineModel::times(std::uint32_t id, std::int64_t now) const
{
  const int index = indexOf(id);
  if (index < 0)
    return {};
  const TaskInfo& info = m_tasks[static_cast<std::size_t>(index)];
  const SpanList& spans = info.spans;
  if (spans.empty())
    return {};
  const bool open = spans.back().end == kOpenEnd;
  const std::int64_t closedUntil = open ? spans.back().start : spans.back().end;
  if (now >= closedUntil) {
    // The usual question (now = the latest time): closed totals plus the open span.
    TaskTimes times = m_extra[static_cast<std::size_t>(index)].closed;
    if (open)
      account(times, spans.back(), now - spans.back().start);
    return times;
  }
  TaskTimes times;
  for (const StateSpan& span : spans) {
    if (span.start >= now)
      break;
    account(times, span, std::min(span.end, now) - span.start);
  }
  return times;
}

std::pair<std::size_t, std::size_t> TimelineModel::loopSpansIn(std::int64_t t0,
                                                               std::int64_t t1) const
{
  return overlapping(m_loopSpans, t0, t1);
}

const Site* TimelineModel::site(std::uint32_t id) const
{
  if (id == 0)
    return nullptr;
  const auto it = m_sites.find(id);
  return it == m_sites.end() ? nullptr : &it->second;
}

std::string TimelineModel::objectLabel(std::uint64_t id) const
{
  const auto it = m_objects.find(id);
  return it == m_objects.end() ? std::string() : it->second.label;
}

std::vector<std::uint32_t> TimelineModel::awaitChain(std::uint32_t id) const
{
  std::vector<std::uint32_t> chain;
  const TaskInfo* t = task(id);
  if (t == nullptr)
    return chain;
  chain.push_back(id);
  while (t->awaitKind == AwaitKind::Task && t->awaiting != 0) {
    const auto next = static_cast<std::uint32_t>(t->awaiting);
    if (std::find(chain.begin(), chain.end(), next) != chain.end())
      break;  // a cycle (only a corrupt stream could make one)
    chain.push_back(next);
    t = task(next);
    if (t == nullptr)
      break;
  }
  return chain;
}

std::vector<std::uint32_t> TimelineModel::awaitedBy(std::uint32_t id) const
{
  std::vector<std::uint32_t> out;
  for (const TaskInfo& t : m_tasks) {
    if (t.awaitKind == AwaitKind::Task && t.awaiting == id)
      out.push_back(t.id);
  }
  return out;
}

const GlobalMarker* TimelineModel::lastShutdownPhase() const
{
  return m_lastShutdown < 0 ? nullptr : &m_global[static_cast<std::size_t>(m_lastShutdown)];
}

}  // namespace loopscope::views
