// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/loop.h"

#include "engine/errors.h"
#include "engine/executor.h"
#include "engine/sleep.h"
#include "engine/task.h"
#include "engine/timeout.h"

#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include <sys/epoll.h>
#include <sys/eventfd.h>

namespace loopscope::engine {

namespace {
thread_local Loop* t_current_loop = nullptr;

[[noreturn]] void throw_errno(const char* what)
{
  throw std::system_error(errno, std::generic_category(), what);
}
}  // namespace

// ---------------------------------------------------------------- Tracer

namespace detail {

void Tracer::set_sink(EventSink* sink) noexcept
{
  flush();
  sink_ = sink;
}

void Tracer::flush() noexcept
{
  if (n_ != 0 && sink_ != nullptr)
    sink_->write(std::span<const TraceEvent>(buf_.data(), n_));
  n_ = 0;
}

void Tracer::add_text(EventKind kind, std::int64_t t, std::uint32_t task, std::string_view text,
                      std::uint32_t site, std::uint64_t detail, std::uint32_t arg, std::uint8_t a8)
{
  constexpr std::size_t kMaxText = 4096;
  if (text.size() > kMaxText)
    text = text.substr(0, kMaxText);
  const std::size_t slots = (text.size() + sizeof(TraceEvent) - 1) / sizeof(TraceEvent);
  if (n_ + 2 + slots > buf_.size())
    flush();
  buf_[n_++] = TraceEvent{seq_++, t, detail, task, site, arg, kind, a8, kEventHasText};
  buf_[n_++] = TraceEvent{
      seq_++, t, text.size(), task, 0, static_cast<std::uint32_t>(slots), EventKind::Text, 0, 0};
  for (std::size_t i = 0; i < slots; ++i) {
    TraceEvent& raw = buf_[n_++];
    std::memset(&raw, 0, sizeof raw);
    const std::size_t off = i * sizeof(TraceEvent);
    std::memcpy(&raw, text.data() + off, std::min(sizeof(TraceEvent), text.size() - off));
  }
}

std::uint32_t Tracer::site_id(const std::source_location& loc, std::int64_t t)
{
  if (loc.line() == 0)
    return 0;
  const SiteKey key{loc.file_name(), loc.line(), loc.column()};
  if (key == last_key_)
    return last_id_;
  auto [it, inserted] = sites_.try_emplace(key, static_cast<std::uint32_t>(sites_.size() + 1));
  if (inserted) {
    std::string text = loc.file_name();
    text += '\t';
    text += std::to_string(loc.line());
    text += '\t';
    text += std::to_string(loc.column());
    text += '\t';
    text += clean_function_name(loc.function_name());
    add_text(EventKind::SiteDefined, t, 0, text, it->second);
  }
  last_key_ = key;
  last_id_ = it->second;
  return it->second;
}

}  // namespace detail

// ---------------------------------------------------------------- Handle

Handle::Handle(detail::CallbackHandle* h) noexcept : h_(h)
{
  if (h_)
    h_->retain();
}
Handle::Handle(const Handle& o) noexcept : Handle(o.h_) {}
Handle& Handle::operator=(Handle o) noexcept
{
  std::swap(h_, o.h_);
  return *this;
}
Handle::~Handle()
{
  if (h_)
    h_->release();
}

void Handle::cancel()
{
  if (!h_ || h_->cancelled)
    return;
  h_->cancelled = true;
  if (h_->state != detail::TimerNode::State::Idle) {
    h_->loop->cancel_timer(h_);
    h_->fn = nullptr;
    h_->release();  // the loop's reference
  }
}
bool Handle::cancelled() const noexcept
{
  return h_ && h_->cancelled;
}
TimePoint Handle::when() const noexcept
{
  return from_ns(h_ ? h_->when : 0);
}
std::uint32_t Handle::id() const noexcept
{
  return h_ ? h_->id : 0;
}

// ---------------------------------------------------------------- sleep

namespace detail {

void sleep_fired(TimerNode* n)
{
  auto* self = static_cast<SleepAwaiter*>(n);
  self->task->loop().schedule_step(self->task);
}

namespace {
bool sleep_cancelled(TaskBase& t, void* obj, std::string_view msg)
{
  auto* self = static_cast<SleepAwaiter*>(obj);
  t.loop().cancel_timer(self);
  t.mark_wake_delivers_cancel(msg);
  t.loop().schedule_step(&t);
  return true;
}
}  // namespace

void SleepAwaiter::await_suspend(std::coroutine_handle<>)
{
  task = current_task();
  Loop& loop = task->loop();
  const std::int64_t delay_ns = when;
  if (delay_ns <= 0) {
    task->set_wait(AwaitKind::Yield, nullptr, nullptr);
    loop.schedule_step(task);
    return;
  }
  const std::int64_t deadline = loop.read_clock() + delay_ns;
  kind = Kind::Sleep;
  loop.add_timer(this, deadline);
  static constexpr WaitOps ops{
      &sleep_cancelled, [](const void* obj) noexcept {
        return static_cast<std::uint64_t>(static_cast<const SleepAwaiter*>(obj)->when);
      }};
  task->set_wait(AwaitKind::Sleep, this, &ops);
}
}  // namespace detail

// ---------------------------------------------------------------- Loop

Loop* Loop::current() noexcept
{
  return t_current_loop;
}

Loop& Loop::running()
{
  if (t_current_loop == nullptr)
    throw RuntimeError("no running event loop");
  return *t_current_loop;
}

TaskBase* current_task() noexcept
{
  return detail::current_task();
}

Loop::Loop(std::unique_ptr<Clock> clock)
    : clock_(clock ? std::move(clock) : std::make_unique<RealClock>())
    , real_clock_(dynamic_cast<RealClock*>(clock_.get()))
    , virtual_(clock_->is_virtual())
{
  ready_.resize(kMinReady);
  ready_mask_ = ready_.size() - 1;
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0)
    throw_errno("epoll_create1");
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    ::close(epoll_fd_);
    throw_errno("eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) < 0) {
    ::close(wake_fd_);
    ::close(epoll_fd_);
    throw_errno("epoll_ctl");
  }
  last_ns_ = clock_->now_ns();
  link_ = std::make_shared<detail::LoopLink>(this);
}

Loop::~Loop()
{
  // Worker threads post back to this loop: join them while it is still whole (even if someone
  // else still holds a reference to the executor). An executor given up on at a grace deadline
  // (abandon_default_executor) is no longer here, so a job that never returns cannot hang this.
  if (default_executor_)
    default_executor_->shutdown(true);
  default_executor_.reset();
  remove_all_signal_handlers();
  destroy_pending();
  // Work still out on other threads (jobs of an abandoned or foreign executor) lets go of its
  // loop-thread state here, on the loop thread; from now on its posts are dropped, so no thread
  // reaches this loop once it is gone.
  outstanding_.detach_each([](detail::Outstanding* w) { w->orphan(); });
  link_->close();
  for (auto& [fd, w] : fds_) {
    for (detail::CallbackHandle* h : {w.reader, w.writer}) {
      if (h != nullptr) {
        h->state = detail::TimerNode::State::Idle;
        h->cancelled = true;
        h->release();
      }
    }
  }
  fds_.clear();
  tracer_.flush();
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void Loop::destroy_pending() noexcept
{
  // Like closing a loop with pending tasks: their frames are destroyed (locals' destructors run,
  // awaiters disarm their timers and unlink from what they awaited). The tasks end cancelled so
  // outstanding Task handles stay consistent.
  std::vector<TaskRef<TaskBase>> pending;
  for (TaskBase* t : all_tasks())
    pending.emplace_back(t);
  Loop* previous = t_current_loop;
  t_current_loop = this;
  for (auto& t : pending)
    t->destroy_frames();
  t_current_loop = previous;
  for (auto& t : pending) {
    // Their done-callbacks can never run now: free them (and what they captured).
    t->done_list_.drop_all();
    t->state_ = TaskState::Cancelled;
    t->set_cancel_message("event loop destroyed while the task was pending");
    t->release();  // the loop's reference
  }
  tasks_.clear();
  for (detail::TimerNode* n : timers_.nodes()) {
    n->state = detail::TimerNode::State::Idle;
    if (n->kind == detail::TimerNode::Kind::Callback)
      static_cast<detail::CallbackHandle*>(n)->release();
  }
  timers_.clear();
  for (; head_ < tail_; ++head_) {
    detail::TimerNode* n = ready_[head_ & ready_mask_].node();
    if (n != nullptr) {
      n->state = detail::TimerNode::State::Idle;
      if (n->kind == detail::TimerNode::Kind::Callback)  // Io handles belong to fds_
        static_cast<detail::CallbackHandle*>(n)->release();
    }
  }
}

std::uint64_t Loop::push_ready(ReadyItem item)
{
  if (tail_ - head_ == ready_.size())
    resize_ready(ready_.size() * 2);
  ready_[tail_ & ready_mask_] = item;
  return tail_++;
}

void Loop::resize_ready(std::size_t capacity)
{
  // Positions are absolute, so items are re-placed by position and stored ready_pos values stay
  // valid.
  std::vector<ReadyItem> resized(capacity);
  const std::size_t mask = capacity - 1;
  for (std::uint64_t p = head_; p < tail_; ++p)
    resized[p & mask] = ready_[p & ready_mask_];
  ready_.swap(resized);
  ready_mask_ = mask;
}

void Loop::schedule_step(TaskBase* t)
{
  schedule_step_at(t, -1);
}

void Loop::schedule_step_at(TaskBase* t, std::int64_t event_ns)
{
  assert(!t->in_ready_);
  t->in_ready_ = true;
  t->wait_.ops = nullptr;  // woken: a cancel from now on is delivered by the step itself
  push_ready(ReadyItem::step(t));
  if (t == running_task_) {
    requeued_ = true;  // its Ready event is emitted when the step ends
    return;
  }
  if (t->state_ != TaskState::Pending)
    t->state_ = TaskState::Ready;
  if (tracer_.on())
    tracer_.add(EventKind::Ready, event_ns >= 0 ? event_ns : event_time(), t->id_);
}

void Loop::add_timer(detail::TimerNode* n, std::int64_t when_ns)
{
  n->when = when_ns;
  n->seq = timer_seq_++;
  timers_.push(n);
}

void Loop::push_ready_node(detail::TimerNode* n)
{
  n->when = last_ns_;
  n->state = detail::TimerNode::State::InReady;
  n->ready_pos = push_ready(ReadyItem::timer(n));
}

void Loop::cancel_timer(detail::TimerNode* n) noexcept
{
  switch (n->state) {
    case detail::TimerNode::State::InHeap:
      timers_.remove(n);
      break;
    case detail::TimerNode::State::InReady:
      ready_[n->ready_pos & ready_mask_] = ReadyItem{};
      n->state = detail::TimerNode::State::Idle;
      break;
    case detail::TimerNode::State::Idle:
      break;
  }
}

namespace {
detail::CallbackHandle* make_callback(Loop* loop, std::uint32_t id, std::function<void()> fn)
{
  if (!fn)
    throw std::invalid_argument("callback must not be empty");
  auto* h = new detail::CallbackHandle;
  h->fn = std::move(fn);
  h->loop = loop;
  h->id = id;
  h->retain();  // the loop's reference, dropped after it runs or when cancelled
  return h;
}
}  // namespace

Handle Loop::call_soon(std::function<void()> fn)
{
  auto* h = make_callback(this, ++callback_ids_, std::move(fn));
  Handle handle(h);
  push_ready_node(h);
  return handle;
}

Handle Loop::call_later(Duration delay, std::function<void()> fn)
{
  return call_at(from_ns(read_clock()) + delay, std::move(fn));
}

Handle Loop::call_at(TimePoint when, std::function<void()> fn)
{
  auto* h = make_callback(this, ++callback_ids_, std::move(fn));
  Handle handle(h);
  add_timer(h, to_ns(when));
  return handle;
}

void Loop::call_soon_threadsafe(std::function<void()> fn)
{
  if (!fn)
    throw std::invalid_argument("callback must not be empty");
  bool was_pending = false;
  {
    std::lock_guard lock(ts_mutex_);
    ts_queue_.push_back(std::move(fn));
    was_pending = ts_pending_.exchange(true, std::memory_order_acq_rel);
  }
  if (!was_pending) {
    const std::uint64_t one = 1;
    // A full eventfd counter (EAGAIN) still means "readable": the loop wakes either way.
    [[maybe_unused]] ssize_t r = ::write(wake_fd_, &one, sizeof one);
  }
}

namespace detail {

bool LoopLink::call_soon_threadsafe(std::function<void()> fn)
{
  {
    std::lock_guard lock(mutex_);
    if (loop_ != nullptr) {
      loop_->call_soon_threadsafe(std::move(fn));
      return true;
    }
  }
  fn = nullptr;  // destroyed outside the lock: it may hold the last reference to its poster
  return false;
}

void LoopLink::close() noexcept
{
  std::lock_guard lock(mutex_);
  loop_ = nullptr;
}

}  // namespace detail

void Loop::drain_threadsafe()
{
  std::uint64_t value = 0;
  [[maybe_unused]] ssize_t r = ::read(wake_fd_, &value, sizeof value);
  std::vector<std::function<void()>> queue;
  {
    std::lock_guard lock(ts_mutex_);
    queue.swap(ts_queue_);
    ts_pending_.store(false, std::memory_order_release);
  }
  for (auto& fn : queue)
    call_soon(std::move(fn));
}

void Loop::register_task(TaskBase* t, const std::source_location& loc)
{
  t->id_ = ++task_ids_;
  t->parent_id_ = running_task_ != nullptr ? running_task_->id_ : 0;
  t->resume_ = t->root_handle();
  t->retain();  // held by the loop until the task is done
  t->reg_index_ = static_cast<std::uint32_t>(tasks_.size());
  tasks_.push_back(t);
  std::int64_t now = -1;
  if (tracer_.on()) {
    // One clock reading for TaskCreated and its Ready. Default names ("Task-<id>") are not sent:
    // consumers derive them from the id.
    now = running_ ? event_time() : read_clock();
    const std::uint32_t site = tracer_.site_id(loc, now);
    if (t->extras_ && t->extras_->named)
      tracer_.add_text(EventKind::TaskCreated, now, t->id_, t->extras_->name, site, t->parent_id_,
                       0, 1);
    else
      tracer_.add(EventKind::TaskCreated, now, t->id_, site, t->parent_id_);
  }
  schedule_step_at(t, now);
}

std::vector<TaskBase*> Loop::all_tasks() const
{
  // The list is unordered (removal swaps in the last entry); ids follow creation order.
  std::vector<TaskBase*> out(tasks_);
  std::sort(out.begin(), out.end(),
            [](const TaskBase* a, const TaskBase* b) { return a->id() < b->id(); });
  return out;
}

void Loop::print(std::string_view text)
{
  if (tracer_.on())
    tracer_.add_text(EventKind::Print, event_time(), running_task_ ? running_task_->id_ : 0, text);
}

void Loop::report_exception(std::string_view context, std::exception_ptr e) noexcept
{
  auto print = [](std::string_view what, const std::exception_ptr& ep) noexcept {
    try {
      std::fprintf(stderr, "loopscope: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
                   describe_exception(ep).c_str());
    } catch (...) {
      std::fputs("loopscope: exception (cannot describe it)\n", stderr);
    }
  };
  if (exception_handler_) {
    // asyncio's call_exception_handler: an error in the handler itself goes to the default
    // handler ("Unhandled error in exception handler") together with what it was handling. This
    // is called from destructors and from Runner::close(), so nothing may escape, not even
    // KeyboardInterrupt (asyncio re-raises that one; here it is reported like the rest).
    try {
      exception_handler_(context, e);
      return;
    } catch (...) {
      const std::exception_ptr failed = std::current_exception();
      try {
        diagnose(DiagnosticKind::HandlerFailed, running_task_ != nullptr ? running_task_->id() : 0,
                 "Unhandled error in exception handler: " + describe_exception(failed) +
                     " (while handling: " + std::string(context) + ": " + describe_exception(e) +
                     ")");
      } catch (...) {
      }
      print("Unhandled error in exception handler", failed);
    }
  }
  try {
    print("exception in " + std::string(context), e);
  } catch (...) {
  }
}

void Loop::run_forever()
{
  if (running_)
    throw RuntimeError("This event loop is already running");
  if (t_current_loop != nullptr)
    throw RuntimeError("Cannot run the event loop while another loop is running");
  struct Running
  {
    Loop* loop;
    explicit Running(Loop* l) : loop(l)
    {
      loop->running_ = true;
      t_current_loop = l;
    }
    ~Running()
    {
      loop->running_ = false;
      loop->stopping_ = false;
      loop->tracer_.flush();
      t_current_loop = nullptr;
    }
  } guard(this);
  read_clock();
  for (;;) {
    run_once();
    if (stopping_)
      break;
  }
}

void Loop::run_until_done(TaskBase& t)
{
  if (t.done())
    return;
  // asyncio: a done-callback of the future stops the loop (via call_soon, so the iteration that
  // runs it completes first). Both pieces are undone if the loop stops for another reason.
  struct StopNode : detail::DoneNode
  {
    Loop* loop;
    Handle stop_call;
  } node;
  node.loop = this;
  node.fire = [](detail::DoneNode* n) {
    auto* self = static_cast<StopNode*>(n);
    self->stop_call = self->loop->call_soon([l = self->loop] { l->stop(); });
  };
  t.done_list().push_back(&node);
  try {
    run_forever();
  } catch (...) {
    t.done_list().remove(&node);
    node.stop_call.cancel();
    throw;
  }
  t.done_list().remove(&node);
  node.stop_call.cancel();
  if (!t.done())
    throw RuntimeError("Event loop stopped before Future completed.");
}

void Loop::run_once()
{
  std::int64_t timeout = -1;  // ns; -1 = until woken
  if (tail_ != head_ || stopping_) {
    timeout = 0;
  } else if (!timers_.empty()) {
    timeout = std::max<std::int64_t>(0, timers_.top()->when - read_clock());
  }

  bool polled = false;
  if (virtual_) {
    if (timeout > 0 && !fds_.empty()) {
      // Real I/O (a signal, a socket) that is ready now happens before the jump.
      wait_for_events(0);
      polled = true;
      if (tail_ != head_)
        timeout = 0;
    }
    if (timeout > 0) {
      // Autojump: nothing to do until the next timer. The jump is idle time, traced as a wait
      // so that a replay of a virtual run shows the loop idle just as a real run does.
      const bool trace = tracer_.on();
      if (trace)
        tracer_.add(EventKind::LoopWait, last_ns_, 0, 0, static_cast<std::uint64_t>(timeout));
      clock_->advance_to(timers_.top()->when);
      if (trace)
        tracer_.add(EventKind::LoopWake, read_clock(), 0);
      timeout = 0;
    } else if (timeout < 0 && !wakeable_from_outside()) {
      // Nothing to wait for but signals that do not count (asyncio.run's SIGINT): one that has
      // already come is handled first.
      if (!fds_.empty()) {
        wait_for_events(0);
        polled = true;
      }
      if (tail_ != head_ || stopping_) {
        timeout = 0;
      } else {
        if (!deadlock_reported_)
          report_deadlock();
        std::string names;
        for (TaskBase* t : all_tasks())
          names += (names.empty() ? "" : ", ") + t->name();
        throw LoopStalled(
            "loop stalled: nothing is ready, no timer is pending and nothing can "
            "wake the loop; pending tasks: " +
                (names.empty() ? std::string("none") : names),
            describe_waiting());
      }
    }
  }
  if (timeout < 0 && !deadlock_reported_ && !tasks_.empty() && fds_.empty() &&
      external_.load(std::memory_order_relaxed) == 0 &&
      !ts_pending_.load(std::memory_order_acquire))
    report_deadlock();
  // With fds watched, poll them every iteration (asyncio calls select(0) when work is ready), so
  // busy tasks cannot starve I/O.
  if (!polled && (timeout != 0 || !fds_.empty() || ts_pending_.load(std::memory_order_acquire)))
    wait_for_events(timeout);

  if (!timers_.empty()) {
    const std::int64_t now = read_clock();
    while (!timers_.empty() && timers_.top()->when <= now) {
      detail::TimerNode* n = timers_.pop();
      n->state = detail::TimerNode::State::InReady;
      n->ready_pos = push_ready(ReadyItem::timer(n));
    }
  }

  // Run what is ready now; what these items queue runs next iteration.
  const std::uint64_t end = tail_;
  if (head_ != end)
    deadlock_reported_ = false;  // progress: a later deadlock is a new one
  while (head_ < end) {
    const ReadyItem item = ready_[head_ & ready_mask_];
    ++head_;
    if (TaskBase* t = item.task())
      run_task_step(t);
    else if (detail::TimerNode* n = item.node())
      run_node(n);
  }
  // Give back the memory of a burst (100k tasks made ready at once) once it has drained.
  if (ready_.size() > kMinReady && tail_ - head_ < ready_.size() / 8)
    resize_ready(ready_.size() / 2);
}

void Loop::wait_for_events(std::int64_t timeout_ns)
{
  const bool trace = tracer_.on() && timeout_ns != 0;
  if (trace) {
    tracer_.add(EventKind::LoopWait, last_ns_, 0, 0, static_cast<std::uint64_t>(timeout_ns));
    tracer_.flush();
  }
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  int n = 0;
  // A blocking wait lets the embedder release what it holds (the script interpreter's lock).
  const bool blocking = timeout_ns != 0 && wait_hook_;
  if (blocking)
    wait_hook_(true);
  if (timeout_ns < 0) {
    n = epoll_wait(epoll_fd_, events, kMaxEvents, -1);
  } else if (timeout_ns == 0) {
    n = epoll_wait(epoll_fd_, events, kMaxEvents, 0);
  } else {
    const std::int64_t wall = clock_->wall_wait_ns(timeout_ns);
    timespec ts{static_cast<time_t>(wall / 1'000'000'000), static_cast<long>(wall % 1'000'000'000)};
    n = epoll_pwait2(epoll_fd_, events, kMaxEvents, &ts, nullptr);
    if (n < 0 && errno == ENOSYS) {
      // Kernels before 5.11: millisecond resolution, rounded up so timers never fire early.
      n = epoll_wait(epoll_fd_, events, kMaxEvents, static_cast<int>((wall + 999'999) / 1'000'000));
    }
  }
  if (blocking)
    wait_hook_(false);
  if (n < 0 && errno != EINTR)
    throw_errno("epoll_wait");
  if (n > 0)
    deadlock_reported_ = false;
  for (int i = 0; i < n; ++i) {
    if (events[i].data.fd != wake_fd_)
      dispatch_io(events[i].data.fd, events[i].events);
  }
  if (ts_pending_.load(std::memory_order_acquire))
    drain_threadsafe();
  if (trace)
    tracer_.add(EventKind::LoopWake, read_clock(), 0);
}

namespace {
struct Release
{
  detail::CallbackHandle* h;
  ~Release() { h->release(); }
};
}  // namespace

void Loop::run_node(detail::TimerNode* n)
{
  n->state = detail::TimerNode::State::Idle;
  // Engine-internal timers are cheap and emit their own events.
  switch (n->kind) {
    case detail::TimerNode::Kind::Sleep:
      detail::sleep_fired(n);
      return;
    case detail::TimerNode::Kind::Timeout:
      Timeout::fire(n);
      return;
    case detail::TimerNode::Kind::Io: {
      // Persistent: the watcher stays registered. Held for the call, since the callback may
      // remove its own watcher.
      auto* h = static_cast<detail::CallbackHandle*>(n);
      h->retain();
      Release hold{h};
      run_callback(h);
      return;
    }
    case detail::TimerNode::Kind::Callback: {
      // The loop's reference, dropped even when KeyboardInterrupt/SystemExit leave the loop.
      Release hold{static_cast<detail::CallbackHandle*>(n)};
      run_callback(hold.h);
      return;
    }
  }
}

void Loop::run_callback(detail::CallbackHandle* h)
{
  const bool persistent = h->kind == detail::TimerNode::Kind::Io;
  const bool trace = tracer_.on();
  const std::int64_t t0 = last_ns_;
  if (trace) {
    tracer_.add(EventKind::CallbackBegin, t0, 0, 0, h->id);
    tracer_.flush();
  }
  try {
    in_step_ = true;
    if (persistent) {
      h->fn();
    } else {
      std::function<void()> fn = std::move(h->fn);
      fn();
    }
    in_step_ = false;
  } catch (...) {
    in_step_ = false;
    if (trace) {
      tracer_.add_text(EventKind::CallbackError, read_clock(), 0,
                       describe_exception(std::current_exception()), 0, h->id);
    }
    if (is_exit_exception(std::current_exception()))
      throw;  // asyncio Handle._run: KeyboardInterrupt and SystemExit leave the loop
    report_exception("callback", std::current_exception());
  }
  if (trace) {
    const std::int64_t t1 = read_clock();
    tracer_.add(EventKind::CallbackEnd, t1, 0, 0, h->id);
    if (t1 - t0 >= slow_ns_)
      tracer_.add(EventKind::SlowStep, t1, 0, 0, t1 - t0, h->id);
  }
}

void Loop::run_task_step(TaskBase* t)
{
  t->in_ready_ = false;
  if (t->must_cancel_) {
    // asyncio __step: a pending cancel is thrown in, unless the wake-up already is one.
    t->must_cancel_ = false;
    if (!t->wake_cancelled_)
      t->deliver_cancel_ = true;
  }
  t->wake_cancelled_ = false;
  t->wait_ = detail::WaitState{};
  t->wait_kind_ = AwaitKind::None;

  if (t->state_ == TaskState::Pending && t->deliver_cancel_) {
    // Cancelled before its first step: CPython throws into the unstarted coroutine, which closes
    // it without running any of its body.
    t->deliver_cancel_ = false;
    finish_task(t);
    return;
  }

  const bool trace = tracer_.on();
  if (time_steps_ && !trace)
    read_clock();
  const std::int64_t t0 = last_ns_;
  if (trace) {
    tracer_.add(EventKind::StepBegin, t0, t->id_);
    tracer_.flush();  // a consumer must see this even if the step blocks the thread
  }
  // The resumed await's site (a CancelledError delivered now is thrown there). The frame
  // pointer is dropped for the step: a nested frame may finish and be freed while it runs; the
  // next suspension sets it again.
  step_site_ = t->await_site();
  t->frame_ = nullptr;
  t->state_ = TaskState::Running;
  ++t->steps_;
  running_task_ = t;
  detail::t_current_task = t;
  requeued_ = false;
  in_step_ = true;
  t->resume_.resume();
  in_step_ = false;
  detail::t_current_task = nullptr;
  running_task_ = nullptr;

  if (t->swallow_suspect_) {
    // A CancelledError delivered to this task was destroyed during the step without being
    // re-raised, and nobody withdrew the request with uncancel(): swallowed.
    t->swallow_suspect_ = false;
    // A cancel still waiting to be delivered (must_cancel_) will be thrown at the next await:
    // the task is not ignoring it (e.g. it caught a TaskGroup's ExceptionGroup meanwhile).
    if (t->num_cancels_requested_ > 0 && !t->must_cancel_) {
      ++t->extras().swallowed;
      if (trace)
        tracer_.add(EventKind::CancelSwallowed, last_ns_, t->id_, t->extras_->delivered_site, 0,
                    static_cast<std::uint32_t>(t->num_cancels_requested_));
      diagnose(DiagnosticKind::SwallowedCancel, t->id_,
               "Task " + t->name() +
                   " caught CancelledError and did not re-raise it: whoever cancelled it (a "
                   "shutdown, a timeout) waits for nothing",
               t->extras_->delivered_site, static_cast<std::uint32_t>(t->num_cancels_requested_));
    }
  }
  if (trace || time_steps_) {
    read_clock();
    if (last_ns_ - t0 >= slow_ns_) {
      long_step_task_ = t->id_;
      long_step_end_ns_ = last_ns_;
      long_step_ns_ = last_ns_ - t0;
    }
  }
  if (t->root_finished_) {
    finish_task(t);
  } else {
    t->state_ = requeued_ ? TaskState::Ready : TaskState::Suspended;
    if (trace) {
      // A step that yielded (sleep(0)) goes straight back to the ready queue: one Ready event
      // carrying the await site; otherwise the task is suspended at the site.
      const std::int64_t t1 = last_ns_;
      tracer_.add(requeued_ ? EventKind::Ready : EventKind::Suspended, t1, t->id_,
                  tracer_.site_id(t->await_site(), t1), t->wait_.detail(), 0,
                  static_cast<std::uint8_t>(t->wait_kind_));
    }
    if (t->must_cancel_ && t->wait_.ops != nullptr) {
      // Cancelled while running, then suspended: cancel what it now awaits right away, as
      // asyncio's __step does with the new _fut_waiter (a sleep is not left to run its course).
      if (t->wait_.cancel(*t, t->cancel_message()))
        t->must_cancel_ = false;
    }
  }
  if (trace && last_ns_ - t0 >= slow_ns_) {  // asyncio: dt >= slow_callback_duration
    tracer_.add(EventKind::SlowStep, last_ns_, t->id_, 0,
                static_cast<std::uint64_t>(last_ns_ - t0));
    if (last_ns_ - t0 >= never_yield_ns_) {
      diagnose(DiagnosticKind::NeverYields, t->id_,
               "Task " + t->name() + " ran " + std::to_string((last_ns_ - t0) / 1'000'000) +
                   " ms without yielding: every other task and callback waited (a blocking "
                   "call on the loop thread?)",
               static_cast<std::uint64_t>(last_ns_ - t0));
    }
  }
}

void Loop::finish_task(TaskBase* t)
{
  std::exception_ptr error;
  if (t->root_finished_) {
    t->root_finished_ = false;
    error = t->take_root_outcome();
  }
  TaskOutcome outcome = TaskOutcome::Result;
  bool cancelled = false;
  if (const CancelledError* e = as_cancelled_error(error)) {
    cancelled = true;
    t->set_cancel_message(e->message());
  }
  if (cancelled || (!error && t->state_ == TaskState::Pending) || (!error && t->must_cancel_)) {
    // Ended by CancelledError, cancelled before starting, or returned with a cancel pending.
    t->state_ = TaskState::Cancelled;
    t->must_cancel_ = false;
    outcome = TaskOutcome::Cancelled;
    // Kept for gather/wait to hand out (the task is done now: releasing it later reports no
    // swallow).
    if (cancelled)
      t->extras().cancelled_error = std::move(error);
    error = nullptr;
  } else if (error) {
    t->state_ = TaskState::Failed;
    t->extras().exception = error;
    outcome = TaskOutcome::Exception;
  } else {
    t->state_ = TaskState::Done;
  }
  t->destroy_frames();
  t->frame_ = nullptr;
  if (tracer_.on()) {
    const std::string text = outcome == TaskOutcome::Exception   ? describe_exception(error)
                             : outcome == TaskOutcome::Cancelled ? t->cancel_message()
                                                                 : std::string();
    if (text.empty())
      tracer_.add(EventKind::TaskDone, last_ns_, t->id_, 0, 0, 0,
                  static_cast<std::uint8_t>(outcome));
    else
      tracer_.add_text(EventKind::TaskDone, last_ns_, t->id_, text, 0, 0, 0,
                       static_cast<std::uint8_t>(outcome));
  }
  // Leave the loop's list of pending tasks: the last entry takes this one's place.
  TaskBase* last = tasks_.back();
  tasks_[t->reg_index_] = last;
  last->reg_index_ = t->reg_index_;
  tasks_.pop_back();
  t->done_list_.fire_all();  // wake awaiters, schedule done-callbacks
  t->release();              // the loop's reference
  // asyncio Task.__step: KeyboardInterrupt / SystemExit end the task *and* leave the loop.
  if (outcome == TaskOutcome::Exception && is_exit_exception(error))
    std::rethrow_exception(error);
}

}  // namespace loopscope::engine
