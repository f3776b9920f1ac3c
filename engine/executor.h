// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/future.h"
#include "engine/loop.h"
#include "engine/taskbase.h"

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace loopscope::engine {

/// concurrent.futures.ThreadPoolExecutor: at most max_workers threads, started lazily (one more
/// whenever a job is queued and no idle worker can take it), sharing one FIFO job queue. Workers
/// are numbered 0..N-1 in the order they start. Thread-safe; knows nothing of loops (the glue is
/// run_in_executor below).
///
/// Shutdown follows CPython: shutdown() refuses new work at once; the workers drain the queue
/// (or, with cancel_futures, the queued jobs are cancelled and never run) and exit; wait=true
/// joins them. The destructor is shutdown(wait=true). Never destroy or shut down with wait=true
/// from one of its own workers (a thread cannot join itself).
class ThreadPoolExecutor
{
public:
  /// One submitted job: the state half of a concurrent.futures.Future. Subclasses say what runs.
  /// Held by shared_ptr; the executor drops its reference on the worker that ran (or skipped)
  /// the job, or on the thread that cancelled it in shutdown().
  class WorkItem : public std::enable_shared_from_this<WorkItem>
  {
  public:
    enum class State : std::uint8_t { Pending, Running, Finished, Cancelled };
    WorkItem() = default;
    WorkItem(const WorkItem&) = delete;
    WorkItem& operator=(const WorkItem&) = delete;
    virtual ~WorkItem() = default;

    /// concurrent.futures.Future.cancel(): true if the job is cancelled (now or before) — it
    /// will never run; false once a worker has started it. Any thread.
    bool cancel() noexcept { return cancel_pending() || state() == State::Cancelled; }
    State state() const noexcept { return state_.load(std::memory_order_acquire); }

  protected:
    /// Pending -> Cancelled: true only for the call that made the transition.
    bool cancel_pending() noexcept
    {
      State expected = State::Pending;
      return state_.compare_exchange_strong(expected, State::Cancelled, std::memory_order_acq_rel);
    }
    /// Runs the job on worker thread `worker` (the item is Running). Must not throw.
    virtual void run(std::uint32_t worker) noexcept = 0;
    /// shutdown(cancel_futures=true) cancelled the job before it started; called on the thread
    /// that shut the pool down. cancel() calls do not come here (their caller knows).
    virtual void on_shutdown_cancel() noexcept {}

  private:
    friend class ThreadPoolExecutor;
    std::atomic<State> state_{State::Pending};
  };

  /// max_workers = default_max_workers().
  ThreadPoolExecutor();
  /// Throws std::invalid_argument when max_workers is 0 (CPython: ValueError).
  explicit ThreadPoolExecutor(std::size_t max_workers);
  /// shutdown(wait=true), then joins any background-shutdown helper threads.
  ~ThreadPoolExecutor();
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

  /// CPython's default: min(32, cpu count + 4).
  static std::size_t default_max_workers() noexcept;
  /// The worker index of the calling thread if it is a worker of some ThreadPoolExecutor, else -1.
  static int current_worker() noexcept;

  /// Queues `item` (FIFO) and starts a worker if none is idle and fewer than max_workers run.
  /// Throws RuntimeError("cannot schedule new futures after shutdown") once shutdown() was
  /// called (the item is left untouched), std::system_error if no thread can be started.
  void submit(std::shared_ptr<WorkItem> item);

  /// Refuses new work from now on. cancel_futures: queued jobs that have not started are
  /// cancelled (on_shutdown_cancel) and never run; otherwise the workers run them first. wait:
  /// blocks until every worker has exited. Idempotent; callable from several threads at once.
  void shutdown(bool wait = true, bool cancel_futures = false);
  /// shutdown(wait=true) on a helper thread owned by the executor, then calls `done` on that
  /// helper: the caller keeps going (asyncio's loop.shutdown_default_executor). New work is
  /// refused from this call on. The destructor joins the helper.
  void shutdown_in_background(std::function<void()> done);

  std::size_t max_workers() const noexcept { return max_workers_; }
  /// Worker threads started so far (never more than max_workers).
  std::size_t thread_count() const;
  /// Jobs queued and not yet taken by a worker (cancelled ones included until a worker skips
  /// them).
  std::size_t queued() const;
  bool is_shutdown() const;

private:
  void worker_main(std::uint32_t index);
  void join_workers();

  const std::size_t max_workers_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<WorkItem>> queue_;
  std::vector<std::thread> workers_;  // appended under mutex_ until shutdown; then fixed
  std::vector<std::thread> helpers_;  // shutdown_in_background threads
  std::size_t idle_ = 0;              // workers waiting for a job
  bool shutdown_ = false;
  std::mutex join_mutex_;  // one joiner at a time; later ones find the threads joined
};

namespace detail {

/// The loop side of a run_in_executor job (non-template part).
///
/// Protocol: created on the loop thread with a Future the caller awaits; add_external_source()
/// is held from submission until the outcome is back on the loop thread, so a virtual-clock loop
/// waits for the worker instead of reporting a stall. Exactly one of three paths settles it,
/// decided by the Pending -> Running / Cancelled transition:
///  * a worker runs it, records its outcome and steady-clock times, and posts deliver(true) with
///    call_soon_threadsafe; the loop thread emits ExecutorJobBegin/End and completes the Future
///    unless it was cancelled meanwhile (then the result is dropped);
///  * the Future is cancelled while the job is still queued: its done-node (fired on the loop
///    thread inside cancel()) wins the race, so the job never runs;
///  * shutdown(cancel_futures=true) wins it: deliver(false) cancels the Future.
/// The Future is only touched on the loop thread, and released there; the job never refers to
/// the awaiting task or its frame (only its id, for events), so either may be gone by then.
class ExecJobBase : public ThreadPoolExecutor::WorkItem, public Outstanding
{
public:
  ExecJobBase(Loop& loop, std::uint32_t task_id) noexcept;
  /// Loop thread: the outcome is back (ran) or the job was cancelled by shutdown (!ran).
  void deliver(bool ran);

protected:
  void run(std::uint32_t worker) noexcept final;
  void on_shutdown_cancel() noexcept final;
  /// Worker: call the function and keep its result (may throw: run() keeps the exception).
  virtual void invoke() = 0;
  /// Loop thread: complete the future from the outcome (ran) or cancel it (!ran) unless it is
  /// done already.
  virtual void settle(bool ran) = 0;
  /// Loop thread (or wherever the last reference goes once it is released): unlinks the
  /// done-node and drops the future and any result. Idempotent.
  virtual void release_future() noexcept = 0;
  /// Loop thread: unlinks the done-node and drops the future, leaving the result alone (a
  /// worker may be writing it). Idempotent.
  virtual void drop_future() noexcept = 0;
  /// Loop thread, before submission: watch `state` for cancellation; `id` is the job id.
  void watch(FutureBase* state, std::uint32_t id);
  void unwatch() noexcept;
  const std::exception_ptr& error() const noexcept { return error_; }

private:
  struct CancelNode : DoneNode
  {
    ExecJobBase* job = nullptr;
  };
  static void on_future_done(DoneNode* n);
  void post(bool ran) noexcept;
  /// ~Loop with the job still out (an abandoned executor, or one that outlives the loop).
  void orphan() noexcept final { drop_future(); }

  Loop* loop_;                      // loop thread only
  std::shared_ptr<LoopLink> link_;  // for the worker's post, which may come after ~Loop
  FutureBase* state_ = nullptr;     // the future's state while watched (kept alive by the handle)
  CancelNode node_;
  std::uint32_t task_id_;
  std::uint32_t job_id_ = 0;
  // Written by the worker before it posts; read on the loop thread after (call_soon_threadsafe
  // orders them).
  std::exception_ptr error_;
  std::int64_t begin_steady_ = 0;
  std::int64_t end_steady_ = 0;
  std::uint32_t worker_ = 0;
};

template <class R, class F>
class ExecJob final : public ExecJobBase
{
public:
  ExecJob(Loop& loop, std::uint32_t task_id, F&& fn)
      : ExecJobBase(loop, task_id)
      , fn_(std::move(fn))
  {}
  ~ExecJob() override { release_future(); }
  /// Loop thread, before submission.
  void attach(const Future<R>& fut)
  {
    fut_.emplace(fut);
    // The awaiter is only a way to reach the state; fut_ keeps it alive.
    watch(fut.operator co_await().fut, fut.id());
  }

private:
  void invoke() override
  {
    if constexpr (std::is_void_v<R>)
      std::invoke(*fn_);
    else
      value_.emplace(std::invoke(*fn_));
    fn_.reset();  // the callable and what it captured go away on the worker, right after the call
  }
  void settle(bool ran) override
  {
    if (!fut_ || fut_->done())
      return;
    const std::exception_ptr& e = error();
    if (!ran)
      fut_->cancel();
    else if (const CancelledError* c = e ? as_cancelled_error(e) : nullptr)
      fut_->cancel(c->message());
    else if (e)
      fut_->set_exception(e);
    else if constexpr (std::is_void_v<R>)
      fut_->set_result();
    else
      fut_->set_result(std::move(*value_));
  }
  void release_future() noexcept override
  {
    drop_future();
    if constexpr (!std::is_void_v<R>)
      value_.reset();
  }
  void drop_future() noexcept override
  {
    unwatch();
    fut_.reset();
  }

  std::optional<F> fn_;
  [[no_unique_address]] std::conditional_t<std::is_void_v<R>, std::monostate, std::optional<R>>
      value_{};
  std::optional<Future<R>> fut_;  // loop thread only
};

/// `co_await` on an ExecutorFuture: a FutureAwaiter whose wait is reported as AwaitKind::Executor
/// (Suspended.detail = job id). Cancelling the awaiting task cancels the future at once (the task
/// wakes with CancelledError); the job itself is not interrupted.
template <class T>
struct ExecutorAwaiter : FutureAwaiter<T>
{
  explicit ExecutorAwaiter(FutureAwaiter<T>&& a) noexcept : FutureAwaiter<T>(std::move(a)) {}
  void await_suspend(std::coroutine_handle<> h)
  {
    FutureAwaiter<T>::await_suspend(h);
    static constexpr WaitOps ops{
        &FutureAwaiter<T>::on_cancel, [](const void* obj) noexcept {
          return std::uint64_t{static_cast<const FutureAwaiter<T>*>(obj)->fut->id()};
        }};
    this->waiter->set_wait(AwaitKind::Executor, static_cast<FutureAwaiter<T>*>(this), &ops);
  }
};

/// The steady-clock reading used for job times (CLOCK_MONOTONIC, safe on any thread).
std::int64_t steady_now_ns() noexcept;

}  // namespace detail

/// What run_in_executor / to_thread return: an asyncio-style Future of the job's result (its id
/// is the job id), awaited as AwaitKind::Executor. Loop-thread only, like Future.
template <class T>
class ExecutorFuture : public Future<T>
{
public:
  explicit ExecutorFuture(Future<T> f) : Future<T>(std::move(f)) {}
  std::uint32_t job_id() const noexcept { return this->id(); }
  detail::ExecutorAwaiter<T> operator co_await() const
  {
    return detail::ExecutorAwaiter<T>(Future<T>::operator co_await());
  }
};

/// loop.run_in_executor(executor, fn, *args): runs fn(args...) on a worker of `executor` (null:
/// the loop's default executor) and returns a future of its result (void included; a reference
/// result is returned as a copy). Call it on the loop thread. The callable and the arguments are
/// decay-copied; they are destroyed on the worker right after the call (or wherever the job is
/// dropped if it never runs), so they must not own loop-thread-only objects (Task, Future).
///
/// Protocol: the job is submitted now (RuntimeError if the executor is shut down: nothing is
/// queued then). A task awaiting the future suspends (Suspended a8 = AwaitKind::Executor,
/// detail = job id); the worker's result or exception comes back through call_soon_threadsafe
/// and completes the future, which wakes the task. The loop thread then emits ExecutorJobBegin
/// and ExecutorJobEnd (task = the task that called run_in_executor, detail = job id, arg =
/// worker index), stamped with when the job really started and ended on the worker: they come
/// *after* events with later timestamps (the trace is written by the loop thread only). With a
/// virtual clock both carry the loop time at delivery. A CancelledError thrown by fn cancels the
/// future.
///
/// Cancelling the future (or the task awaiting it) does not stop a running job, as in Python: the
/// task gets CancelledError at once, the job runs to completion and its result is dropped. A job
/// still queued when its future is cancelled is not run (concurrent.futures semantics).
///
/// ~Loop joins only the default executor (and only if it holds the last reference). A job of
/// another executor, or of a default executor given up on (Loop::abandon_default_executor),
/// may still run when the loop is destroyed: the loop then lets go of its future, and the
/// job's outcome is dropped when it finishes; what the callable captured must stay valid until
/// it returns.
///
/// GCC 12 bug: a lambda whose captures have destructors, written as a temporary inside a
/// co_await expression (`co_await to_thread([s = std::string()] {...})`), has its captures
/// destroyed twice (a double free). Pass such values as arguments (`to_thread(fn, s)`: they are
/// copied outside the coroutine), or name the lambda or the returned future before co_await.
template <class F, class... Args>
auto run_in_executor(Loop& loop, ThreadPoolExecutor* executor, F&& fn, Args&&... args)
{
  using R = std::remove_cvref_t<std::invoke_result_t<std::decay_t<F>&, std::decay_t<Args>&...>>;
  auto call = [f = std::forward<F>(fn), ... a = std::forward<Args>(args)]() mutable -> R {
    return std::invoke(f, a...);
  };
  using Call = decltype(call);
  ThreadPoolExecutor& ex = executor != nullptr ? *executor : loop.default_executor();
  const TaskBase* task = loop.current_task();
  auto job =
      std::make_shared<detail::ExecJob<R, Call>>(loop, task ? task->id() : 0, std::move(call));
  Future<R> fut(loop);
  job->attach(fut);
  ex.submit(job);  // on failure nothing is queued; the job and its handle on fut go away here
  // Only the loop thread delivers, so this cannot come after the matching removal.
  loop.add_external_source();
  return ExecutorFuture<R>(std::move(fut));
}

/// run_in_executor on the running loop (Loop::running()).
template <class F, class... Args>
auto run_in_executor(ThreadPoolExecutor* executor, F&& fn, Args&&... args)
{
  return run_in_executor(Loop::running(), executor, std::forward<F>(fn),
                         std::forward<Args>(args)...);
}

/// asyncio.to_thread(fn, *args): run_in_executor on the running loop's default executor.
template <class F, class... Args>
auto to_thread(F&& fn, Args&&... args)
{
  return run_in_executor(Loop::running(), nullptr, std::forward<F>(fn),
                         std::forward<Args>(args)...);
}

/// asyncio's loop.shutdown_default_executor(): shuts the default executor down and joins its
/// workers on a helper thread while the loop keeps running; completes when every worker has
/// exited (queued jobs run first). Afterwards to_thread / run_in_executor(nullptr) throw
/// RuntimeError. With no default executor yet, one is installed already shut down, so later
/// use fails the same way (CPython: "Executor shutdown has been called").
Coro<void> shutdown_default_executor(Loop& loop);

}  // namespace loopscope::engine
