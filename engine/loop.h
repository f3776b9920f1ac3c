// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/clock.h"
#include "engine/coro.h"
#include "engine/event.h"
#include "engine/intrusivelist.h"
#include "engine/sink.h"
#include "engine/taskbase.h"
#include "engine/time.h"
#include "engine/timer.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace loopscope::engine {

template <class T>
class Task;
class ThreadPoolExecutor;

namespace detail {

/// A scheduled plain callback (call_soon / call_later / call_at); shared with its Handle.
struct CallbackHandle : TimerNode
{
  std::function<void()> fn;
  Loop* loop = nullptr;
  std::uint32_t id = 0;
  int refs = 0;
  bool cancelled = false;
  void retain() noexcept { ++refs; }
  void release() noexcept
  {
    if (--refs == 0)
      delete this;
  }
};

/// Writes events for one loop: stamps seq numbers, interns await sites (each new site is announced
/// once with a SiteDefined event), encodes text payloads, and hands batches to the sink. Batches
/// are flushed before each step runs, so a consumer sees "task X started" even while X blocks.
class Tracer
{
public:
  bool on() const noexcept { return sink_ != nullptr; }
  void set_sink(EventSink* sink) noexcept;
  EventSink* sink() const noexcept { return sink_; }

  void add(EventKind kind, std::int64_t t, std::uint32_t task, std::uint32_t site = 0,
           std::uint64_t detail = 0, std::uint32_t arg = 0, std::uint8_t a8 = 0) noexcept
  {
    if (n_ == buf_.size())
      flush();
    buf_[n_++] = TraceEvent{seq_++, t, detail, task, site, arg, kind, a8, 0};
  }
  /// Emits `kind` followed by its text payload (truncated to 4 KiB).
  void add_text(EventKind kind, std::int64_t t, std::uint32_t task, std::string_view text,
                std::uint32_t site = 0, std::uint64_t detail = 0, std::uint32_t arg = 0,
                std::uint8_t a8 = 0);
  std::uint32_t site_id(const std::source_location& loc, std::int64_t t);
  void flush() noexcept;

private:
  struct SiteKey
  {
    const char* file;
    std::uint32_t line;
    std::uint32_t column;
    bool operator==(const SiteKey&) const = default;
  };
  struct SiteKeyHash
  {
    std::size_t operator()(const SiteKey& k) const noexcept
    {
      return std::hash<const void*>()(k.file) ^ (std::size_t{k.line} * 0x9E3779B97F4A7C15ull) ^
             k.column;
    }
  };
  EventSink* sink_ = nullptr;
  std::uint64_t seq_ = 0;
  std::size_t n_ = 0;
  std::array<TraceEvent, 256> buf_{};
  std::unordered_map<SiteKey, std::uint32_t, SiteKeyHash> sites_;
  SiteKey last_key_{nullptr, 0, 0};
  std::uint32_t last_id_ = 0;
};

/// Lets other threads post to a loop that may be destroyed meanwhile: a worker still running a
/// job the loop abandoned at a grace deadline, or the helper joining it. Shared by the loop and
/// those threads; ~Loop closes it once nothing on the loop thread touches what the posts carry.
class LoopLink
{
public:
  explicit LoopLink(Loop* loop) noexcept : loop_(loop) {}
  /// Loop::call_soon_threadsafe(fn) while the loop exists. Once ~Loop has closed the link, fn is
  /// not run: it is destroyed here, on the calling thread (after the lock is released), and the
  /// call returns false.
  bool call_soon_threadsafe(std::function<void()> fn);
  /// ~Loop: later posts are dropped. Waits for a post in progress.
  void close() noexcept;

private:
  std::mutex mutex_;
  Loop* loop_;
};

/// Loop-thread state that work on another thread will post back to (an executor job's Future).
/// Registered with Loop::track while the work is out; if the loop is destroyed first, ~Loop
/// calls orphan() on the loop thread, which drops that state, so the thread never touches a
/// loop-thread object again (its post is then dropped by the LoopLink).
struct Outstanding
{
  Outstanding* prev = nullptr;
  Outstanding* next = nullptr;
  bool linked = false;
  virtual void orphan() noexcept = 0;

protected:
  ~Outstanding() = default;
};

}  // namespace detail

/// A cancellable reference to a scheduled callback (asyncio.Handle / TimerHandle).
class Handle
{
public:
  Handle() = default;
  explicit Handle(detail::CallbackHandle* h) noexcept;
  Handle(const Handle& o) noexcept;
  Handle& operator=(Handle o) noexcept;
  ~Handle();
  /// Prevents the callback from running; a no-op if it has run or was cancelled.
  void cancel();
  bool cancelled() const noexcept;
  /// Deadline of a call_later/call_at handle.
  TimePoint when() const noexcept;
  std::uint32_t id() const noexcept;

private:
  detail::CallbackHandle* h_ = nullptr;
};

/// The event loop: one per thread (asyncio's BaseEventLoop + epoll selector).
///
/// Each iteration does what asyncio's _run_once does, in the same order: wait in epoll (not at all
/// if something is ready; up to the next timer otherwise — or, with a virtual clock, jump the
/// clock to that timer), turn cross-thread wake-ups into callbacks, move due timers to the ready
/// queue, then run exactly the items that were ready at that point. Work queued meanwhile runs in
/// the next iteration, so a task woken by another task always gets a fresh turn.
class Loop
{
public:
  /// `clock` defaults to a RealClock.
  explicit Loop(std::unique_ptr<Clock> clock = nullptr);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  /// The loop running on this thread, or null (asyncio.get_running_loop without the error).
  static Loop* current() noexcept;
  /// Like current(), but throws RuntimeError("no running event loop") when there is none.
  static Loop& running();

  Clock& clock() noexcept { return *clock_; }
  bool virtual_time() const noexcept { return virtual_; }
  /// Reads the clock.
  TimePoint now() { return from_ns(read_clock()); }
  /// asyncio's loop.time(): seconds as a double.
  double time() { return static_cast<double>(read_clock()) * 1e-9; }

  /// Schedules fn to run on a later iteration, FIFO (asyncio.call_soon).
  Handle call_soon(std::function<void()> fn);
  Handle call_later(Duration delay, std::function<void()> fn);
  Handle call_at(TimePoint when, std::function<void()> fn);
  /// The one thread-safe entry: queues fn and wakes the loop through its eventfd.
  void call_soon_threadsafe(std::function<void()> fn);

  /// Wraps `coro` in a task and schedules its first step (it runs on a later iteration, never
  /// inside this call). The parent is the task running now, if any.
  template <class T>
  Task<T> create_task(Coro<T> coro, std::string name = {},
                      std::source_location loc = std::source_location::current());

  /// Runs the loop until the task finishes; returns its result or rethrows its exception.
  template <class T>
  T run_until_complete(Task<T> task);
  template <class T>
  T run_until_complete(Coro<T> coro, std::string name = "main",
                       std::source_location loc = std::source_location::current());
  /// Runs until stop() is called.
  void run_forever();
  /// Makes run_forever return after the current iteration.
  void stop() noexcept { stopping_ = true; }
  bool is_running() const noexcept { return running_; }

  // ---- file descriptors (asyncio add_reader / add_writer) ----
  /// Runs fn as a callback on each iteration while fd is readable (level-triggered; EOF, hang-up
  /// and errors count as readable). Replaces a previous reader of fd. The loop does not own fd;
  /// remove the watcher before closing it. Callable from inside the callback itself.
  void add_reader(int fd, std::function<void()> fn) { add_watcher(fd, false, std::move(fn)); }
  /// False if fd had no reader.
  bool remove_reader(int fd) { return remove_watcher(fd, false); }
  void add_writer(int fd, std::function<void()> fn) { add_watcher(fd, true, std::move(fn)); }
  bool remove_writer(int fd) { return remove_watcher(fd, true); }
  /// Number of fds with a reader or a writer (the signal pipe included).
  std::size_t watched_fd_count() const noexcept { return fds_.size(); }

  // ---- POSIX signals (asyncio add_signal_handler) ----
  /// Runs fn as a callback on this loop whenever signum arrives, whichever thread of the process
  /// the kernel picks to handle it. One loop at a time may handle a given signal. Throws
  /// std::invalid_argument for SIGKILL, SIGSTOP or an out-of-range number, RuntimeError if another
  /// loop handles signum. Each arrival is a SignalReceived event and one call of fn, as a
  /// callback of its own; arrivals read together queue one callback each. Such a callback does
  /// nothing if, by its turn, fn was removed or replaced (the handler installed when the signal
  /// arrived handles it, or nobody): a removed handler never runs again.
  ///
  /// `wakes`: whether the handler counts as a way for a virtual-clock loop to be woken, so that
  /// with nothing else to wait for it waits for the signal for real instead of throwing
  /// LoopStalled. A program's own handler does (its SIGTERM may come); asyncio.run's SIGINT
  /// handling does not (Ctrl-C can reach every program: counting it would leave no stall to
  /// report).
  enum class SignalWakes : bool { No, Yes };
  void add_signal_handler(int signum, std::function<void()> fn,
                          SignalWakes wakes = SignalWakes::Yes);
  /// Called with true before the loop blocks waiting for I/O or a timer and with false after it
  /// wakes (loop thread). The script interpreter releases its lock there so worker threads
  /// running Python code can take it.
  void set_wait_hook(std::function<void(bool)> hook) { wait_hook_ = std::move(hook); }
  /// Runs, now and on this thread, the handlers of signals that arrived and that the loop has not
  /// yet dispatched; an exception from a handler (the Runner's second SIGINT raises
  /// KeyboardInterrupt) propagates to the caller. For code that keeps the loop busy without
  /// returning to it, as CPython runs Python-level signal handlers between bytecodes: the script
  /// interpreter calls it when signal_arrivals() changes. Loop thread only.
  void run_signal_handlers_now();
  /// Restores the disposition signum had before; false if this loop did not handle it.
  bool remove_signal_handler(int signum);
  bool has_signal_handler(int signum) const { return signal_handlers_.count(signum) != 0; }

  // ---- default executor (executor.h) ----
  /// The loop's thread pool for to_thread / run_in_executor, created on first use (defined in
  /// executor.cpp). Shut down and joined before the loop is destroyed.
  ThreadPoolExecutor& default_executor();
  /// The default executor if it was created, else null.
  ThreadPoolExecutor* default_executor_if_any() const noexcept { return default_executor_.get(); }
  void set_default_executor(std::shared_ptr<ThreadPoolExecutor> executor)
  {
    default_executor_ = std::move(executor);
  }
  /// Stops waiting for the default executor (the Runner does when a grace deadline passes): it is
  /// shut down now and its queued jobs are cancelled; a job already running, which no thread can
  /// interrupt, is left to finish on its own. A helper thread joins the workers and then drops
  /// the executor, so neither the loop nor its destructor waits for them. A job that finishes
  /// while the loop exists is delivered as usual; after ~Loop its outcome is dropped (see
  /// LoopLink). From now on to_thread / run_in_executor(nullptr) raise RuntimeError, as after
  /// shutdown_default_executor. Loop thread; a no-op without a default executor.
  void abandon_default_executor();

  /// For work posted from other threads (executor.h): a link that outlives the loop, and the
  /// registry of loop-thread state such work still refers to. Loop thread (link(): any).
  const std::shared_ptr<detail::LoopLink>& link() const noexcept { return link_; }
  void track(detail::Outstanding* w) noexcept { outstanding_.push_back(w); }
  void untrack(detail::Outstanding* w) noexcept { outstanding_.remove(w); }

  // ---- objects and diagnostics ----
  /// A new object id (Lock, Queue, socket, ...) announced with an ObjectCreated event carrying
  /// `label`, so waits on it are shown by name.
  std::uint32_t register_object(AwaitKind kind, std::string_view label);
  /// Emits a Diagnostic event (see DiagnosticKind) and counts it.
  void diagnose(DiagnosticKind kind, std::uint32_t task, std::string_view text,
                std::uint64_t detail = 0, std::uint32_t arg = 0);
  /// How many diagnostics of `kind` this loop has emitted (also counted with tracing off).
  std::uint32_t diagnostic_count(DiagnosticKind kind) const noexcept
  {
    return diagnostics_[static_cast<std::size_t>(kind)];
  }
  /// A step running longer than this is reported as DiagnosticKind::NeverYields (default 1 s).
  /// Measured while tracing.
  void set_never_yield_threshold(Duration d) noexcept { never_yield_ns_ = d.count(); }
  /// Times every step even with tracing off (the Runner does during shutdown), so the last step
  /// longer than slow_callback_duration() is known.
  void set_time_steps(bool on) noexcept { time_steps_ = on; }
  struct LongStep
  {
    std::uint32_t task = 0;     ///< 0: none seen
    std::int64_t end_ns = 0;    ///< when it returned
    std::int64_t duration = 0;  ///< ns
  };
  /// The last task step that ran at least slow_callback_duration() (measured while tracing or
  /// with set_time_steps).
  LongStep last_long_step() const noexcept
  {
    return {long_step_task_, long_step_end_ns_, long_step_ns_};
  }

  // ---- tracing ----
  /// Where events go; null switches tracing off (the default). Loop thread only.
  void set_sink(EventSink* sink) noexcept { tracer_.set_sink(sink); }
  EventSink* sink() const noexcept { return tracer_.sink(); }
  bool tracing() const noexcept { return tracer_.on(); }
  void flush_trace() noexcept { tracer_.flush(); }
  /// Steps and callbacks longer than this emit SlowStep (asyncio's slow_callback_duration).
  /// Measured only while tracing is on.
  void set_slow_callback_duration(Duration d) noexcept { slow_ns_ = d.count(); }
  Duration slow_callback_duration() const noexcept { return Duration(slow_ns_); }
  /// Emits a Print event for the running task (scenario output).
  void print(std::string_view text);

  // ---- introspection ----
  std::size_t task_count() const noexcept { return tasks_.size(); }
  /// Not-done tasks in creation order (asyncio.all_tasks).
  std::vector<TaskBase*> all_tasks() const;
  TaskBase* current_task() const noexcept { return running_task_; }
  std::size_t ready_count() const noexcept { return static_cast<std::size_t>(tail_ - head_); }
  std::size_t timer_count() const noexcept { return timers_.size(); }

  /// Called for exceptions escaping plain callbacks (default: print to stderr).
  using ExceptionHandler = std::function<void(std::string_view context, std::exception_ptr)>;
  void set_exception_handler(ExceptionHandler h) { exception_handler_ = std::move(h); }

  /// Keeps a virtual-clock loop waiting for call_soon_threadsafe instead of reporting a stall
  /// while some thread still owes it a wake-up. Thread-safe.
  void add_external_source() noexcept { external_.fetch_add(1, std::memory_order_relaxed); }
  void remove_external_source() noexcept { external_.fetch_sub(1, std::memory_order_relaxed); }

  // ---- engine internals (awaitables, tasks) ----
  /// Queues the next step of `t` (a wake-up). The task must not already be queued.
  void schedule_step(TaskBase* t);
  void add_timer(detail::TimerNode* n, std::int64_t when_ns);
  /// Queues a timer node to fire on the next iteration (call_soon for internal nodes).
  void push_ready_node(detail::TimerNode* n);
  /// Disarms a node wherever it is (heap or ready queue); a no-op when idle.
  void cancel_timer(detail::TimerNode* n) noexcept;
  std::int64_t read_clock()
  {
    last_ns_ = real_clock_ != nullptr ? real_clock_->now_inline() : clock_->now_ns();
    return last_ns_;
  }
  /// Where the running task's step resumed (the await it had suspended at).
  const std::source_location& step_site() const noexcept { return step_site_; }
  /// The last clock reading.
  std::int64_t last_ns() const noexcept { return last_ns_; }
  /// The time to stamp an event with now: inside a step or callback the clock is read (the work
  /// before it in the same step may have taken long, e.g. a blocking call); between steps, the
  /// last reading is exact enough and free.
  std::int64_t event_time() { return in_step_ ? read_clock() : last_ns_; }
  detail::Tracer& tracer() noexcept { return tracer_; }
  std::uint32_t next_object_id() noexcept { return ++object_ids_; }
  void register_task(TaskBase* t, const std::source_location& loc);
  void run_until_done(TaskBase& t);
  /// Hands an exception nobody else will see to the exception handler (default: print to
  /// stderr). Never throws: an error in the handler itself is printed with the original one and
  /// counted as DiagnosticKind::HandlerFailed.
  void report_exception(std::string_view context, std::exception_ptr e) noexcept;

private:
  /// A ready-queue entry: a task step, or a timer node (low bit set), or 0 for a cleared slot.
  struct ReadyItem
  {
    std::uintptr_t bits = 0;
    static ReadyItem step(TaskBase* t) noexcept { return {reinterpret_cast<std::uintptr_t>(t)}; }
    static ReadyItem timer(detail::TimerNode* n) noexcept
    {
      return {reinterpret_cast<std::uintptr_t>(n) | 1u};
    }
    TaskBase* task() const noexcept
    {
      return (bits & 1u) != 0 ? nullptr : reinterpret_cast<TaskBase*>(bits);
    }
    detail::TimerNode* node() const noexcept
    {
      return (bits & 1u) != 0 ? reinterpret_cast<detail::TimerNode*>(bits & ~std::uintptr_t{1})
                              : nullptr;
    }
  };
  std::uint64_t push_ready(ReadyItem item);
  void resize_ready(std::size_t capacity);
  void run_once();
  void wait_for_events(std::int64_t timeout_ns);
  std::function<void(bool)> wait_hook_;
  void drain_threadsafe();
  void run_task_step(TaskBase* t);
  void run_node(detail::TimerNode* n);
  void run_callback(detail::CallbackHandle* h);
  void add_watcher(int fd, bool writer, std::function<void()> fn);
  bool remove_watcher(int fd, bool writer);
  void dispatch_io(int fd, std::uint32_t events);
  void update_fd(int fd);
  /// Dispatches the signals in the pipe: as callbacks, or (now) by calling the handlers directly.
  void read_signal_pipe(bool now = false);
  void remove_all_signal_handlers() noexcept;
  void report_deadlock();
  /// Virtual clock: something outside the loop could still wake it (a thread, a watched fd
  /// other than the signal pipe, a signal handler that counts as a waker).
  bool wakeable_from_outside() const noexcept;
  /// "NAME: awaiting KIND at FILE:LINE in FUNCTION" for each pending task (LoopStalled).
  std::vector<std::string> describe_waiting() const;
  /// schedule_step() with the Ready event stamped `event_ns` (-1: now).
  void schedule_step_at(TaskBase* t, std::int64_t event_ns);
  void finish_task(TaskBase* t);
  void end_step_trace(TaskBase* t, std::int64_t t0);
  void destroy_pending() noexcept;

  std::unique_ptr<Clock> clock_;
  RealClock* real_clock_;  // clock_ when it is a RealClock: read without a virtual call
  bool virtual_;
  bool running_ = false;
  bool stopping_ = false;
  bool requeued_ = false;  // the running task queued itself (sleep(0))
  bool in_step_ = false;   // a task step or a callback is running
  std::int64_t last_ns_ = 0;
  std::int64_t slow_ns_ = 100'000'000;

  static constexpr std::size_t kMinReady = 1024;
  std::vector<ReadyItem> ready_;
  std::uint64_t head_ = 0;
  std::uint64_t tail_ = 0;
  std::size_t ready_mask_ = 0;
  detail::TimerHeap timers_;
  std::uint64_t timer_seq_ = 0;

  std::vector<TaskBase*> tasks_;      // pending tasks, unordered (TaskBase::reg_index_)
  std::source_location step_site_{};  // the await the running step resumed from
  std::uint32_t task_ids_ = 0;
  std::uint32_t object_ids_ = 0;
  std::uint32_t callback_ids_ = 0;
  TaskBase* running_task_ = nullptr;

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::mutex ts_mutex_;
  std::vector<std::function<void()>> ts_queue_;
  std::atomic<bool> ts_pending_{false};
  std::atomic<int> external_{0};

  struct FdWatch
  {
    detail::CallbackHandle* reader = nullptr;
    detail::CallbackHandle* writer = nullptr;
    std::uint32_t registered = 0;  // epoll mask registered for the fd
  };
  std::unordered_map<int, FdWatch> fds_;
  int signal_pipe_[2] = {-1, -1};
  // Shared so a dispatch queued for a handler can tell it was removed or replaced meanwhile.
  std::unordered_map<int, std::shared_ptr<const std::function<void()>>> signal_handlers_;
  std::vector<int> passive_signals_;  // handled with SignalWakes::No
  bool deadlock_reported_ = false;
  bool time_steps_ = false;
  std::uint32_t long_step_task_ = 0;
  std::int64_t long_step_end_ns_ = 0;
  std::int64_t long_step_ns_ = 0;

  std::array<std::uint32_t, static_cast<std::size_t>(DiagnosticKind::Count_)> diagnostics_{};
  std::int64_t never_yield_ns_ = 1'000'000'000;

  detail::Tracer tracer_;
  ExceptionHandler exception_handler_;
  std::shared_ptr<detail::LoopLink> link_;
  detail::IntrusiveList<detail::Outstanding> outstanding_;
  std::shared_ptr<ThreadPoolExecutor> default_executor_;  // first to go in ~Loop
};

/// The task running on this thread's loop, or null (asyncio.current_task()).
TaskBase* current_task() noexcept;

/// How many signals handled by some loop's add_signal_handler have arrived in this process so far
/// (wraps around). A cheap poll for code that runs long without returning to its loop: when it
/// changes, Loop::run_signal_handlers_now() dispatches them.
std::uint32_t signal_arrivals() noexcept;

}  // namespace loopscope::engine
