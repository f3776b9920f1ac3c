// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/executor.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

namespace loopscope::engine {

namespace {
thread_local int t_worker_index = -1;
}  // namespace

// ---------------------------------------------------------------- ThreadPoolExecutor

ThreadPoolExecutor::ThreadPoolExecutor() : max_workers_(default_max_workers()) {}

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t max_workers) : max_workers_(max_workers)
{
  if (max_workers == 0)
    throw std::invalid_argument("max_workers must be greater than 0");
}

ThreadPoolExecutor::~ThreadPoolExecutor()
{
  shutdown(true);
  // Helpers only join the workers (done by now) and call their `done`. helpers_ no longer
  // changes: nobody else may use an executor being destroyed.
  for (std::thread& t : helpers_)
    t.join();
}

std::size_t ThreadPoolExecutor::default_max_workers() noexcept
{
  const unsigned cpus = std::thread::hardware_concurrency();
  return std::min<std::size_t>(32, (cpus == 0 ? 1 : cpus) + 4);
}

int ThreadPoolExecutor::current_worker() noexcept
{
  return t_worker_index;
}

void ThreadPoolExecutor::submit(std::shared_ptr<WorkItem> item)
{
  if (!item)
    throw std::invalid_argument("submit: null work item");
  std::unique_lock lock(mutex_);
  if (shutdown_)
    throw RuntimeError("cannot schedule new futures after shutdown");
  // CPython's _adjust_thread_count: a new thread only when no idle worker can take the job.
  if (queue_.size() + 1 > idle_ && workers_.size() < max_workers_) {
    const auto index = static_cast<std::uint32_t>(workers_.size());
    workers_.emplace_back([this, index] { worker_main(index); });  // may throw: nothing queued
  }
  queue_.push_back(std::move(item));
  lock.unlock();
  cv_.notify_one();
}

void ThreadPoolExecutor::worker_main(std::uint32_t index)
{
  t_worker_index = static_cast<int>(index);
  const std::string name = "lsexec-" + std::to_string(index);
  pthread_setname_np(pthread_self(), name.c_str());
  for (;;) {
    std::shared_ptr<WorkItem> item;
    {
      std::unique_lock lock(mutex_);
      ++idle_;
      cv_.wait(lock, [this] { return !queue_.empty() || shutdown_; });
      --idle_;
      if (queue_.empty())
        return;  // shut down and drained
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    // concurrent.futures' set_running_or_notify_cancel: a cancelled job is skipped.
    WorkItem::State expected = WorkItem::State::Pending;
    if (item->state_.compare_exchange_strong(expected, WorkItem::State::Running,
                                             std::memory_order_acq_rel)) {
      item->run(index);
      item->state_.store(WorkItem::State::Finished, std::memory_order_release);
    }
  }
}

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures)
{
  std::deque<std::shared_ptr<WorkItem>> dropped;
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
    if (cancel_futures)
      dropped.swap(queue_);
  }
  cv_.notify_all();
  for (auto& item : dropped) {
    if (item->cancel_pending())
      item->on_shutdown_cancel();
  }
  dropped.clear();
  if (wait)
    join_workers();
}

void ThreadPoolExecutor::join_workers()
{
  // workers_ is fixed once shutdown_ is set (submit refuses from then on), and shutdown_ was set
  // under mutex_ before we got here.
  std::lock_guard join_lock(join_mutex_);
  for (std::thread& t : workers_) {
    if (t.joinable())
      t.join();
  }
}

void ThreadPoolExecutor::shutdown_in_background(std::function<void()> done)
{
  std::lock_guard lock(mutex_);
  shutdown_ = true;
  cv_.notify_all();
  helpers_.emplace_back([this, done = std::move(done)] {
    join_workers();
    if (done)
      done();
  });
}

std::size_t ThreadPoolExecutor::thread_count() const
{
  std::lock_guard lock(mutex_);
  return workers_.size();
}

std::size_t ThreadPoolExecutor::queued() const
{
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool ThreadPoolExecutor::is_shutdown() const
{
  std::lock_guard lock(mutex_);
  return shutdown_;
}

// ---------------------------------------------------------------- the loop's default executor

ThreadPoolExecutor& Loop::default_executor()
{
  if (!default_executor_)
    default_executor_ = std::make_shared<ThreadPoolExecutor>();
  return *default_executor_;
}

// ---------------------------------------------------------------- run_in_executor jobs

namespace detail {

std::int64_t steady_now_ns() noexcept
{
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ExecJobBase::ExecJobBase(Loop& loop, std::uint32_t task_id) noexcept
    : loop_(&loop)
    , link_(loop.link())
    , task_id_(task_id)
{
  node_.job = this;
  node_.fire = &ExecJobBase::on_future_done;
}

void ExecJobBase::watch(FutureBase* state, std::uint32_t id)
{
  state_ = state;
  job_id_ = id;
  state_->done_list().push_back(&node_);
  loop_->track(this);
}

void ExecJobBase::unwatch() noexcept
{
  // Also reached from ~ExecJob on a worker, but only after the loop thread has let go: then
  // state_ is null and the job is no longer tracked.
  if (state_ == nullptr)
    return;
  if (node_.linked)
    state_->done_list().remove(&node_);
  state_ = nullptr;
  loop_->untrack(this);
}

void ExecJobBase::on_future_done(DoneNode* n)
{
  // Runs on the loop thread inside the future's completion. Completed by deliver(): nothing to
  // do. Cancelled: if the job has not started, it never will (asyncio's _chain_future cancels
  // the concurrent future, which only succeeds for pending work).
  ExecJobBase* job = static_cast<CancelNode*>(n)->job;
  if (!job->state_->cancelled())
    return;
  // A worker may pop the job right now and, seeing it cancelled, drop its reference: hold one.
  const std::shared_ptr<WorkItem> self = job->weak_from_this().lock();
  if (!self)
    return;
  if (job->cancel_pending()) {
    job->loop_->remove_external_source();
    job->release_future();
  }
  // Otherwise a worker has it (or shutdown cancelled it): deliver() comes and settles.
}

void ExecJobBase::run(std::uint32_t worker) noexcept
{
  worker_ = worker;
  begin_steady_ = steady_now_ns();
  try {
    invoke();
  } catch (...) {
    error_ = std::current_exception();
  }
  end_steady_ = steady_now_ns();
  post(true);
}

void ExecJobBase::on_shutdown_cancel() noexcept
{
  post(false);
}

void ExecJobBase::post(bool ran) noexcept
{
  auto self = std::static_pointer_cast<ExecJobBase>(shared_from_this());
  try {
    // Dropped if the loop is gone (it orphaned this job first: nothing here refers to it).
    link_->call_soon_threadsafe([self = std::move(self), ran] { self->deliver(ran); });
  } catch (...) {
    // Out of memory: the awaiting task would wait forever; nothing sane is left to do.
    std::fputs("loopscope: cannot post an executor job's outcome to its loop\n", stderr);
    std::terminate();
  }
}

void ExecJobBase::deliver(bool ran)
{
  loop_->remove_external_source();
  detail::Tracer& tracer = loop_->tracer();
  if (ran && tracer.on()) {
    // The worker read the steady clock (the loop's clock is not thread-safe): map its readings
    // onto loop time through one paired reading taken now. A virtual clock has no such mapping:
    // both events carry the loop time of the delivery.
    const std::int64_t now = loop_->read_clock();
    std::int64_t begin = now;
    std::int64_t end = now;
    if (!loop_->virtual_time()) {
      const std::int64_t steady = steady_now_ns();
      const auto* real = dynamic_cast<const RealClock*>(&loop_->clock());
      const double scale = real != nullptr ? real->scale() : 1.0;
      auto to_loop = [&](std::int64_t t) {
        const auto ago = static_cast<std::int64_t>(static_cast<double>(steady - t) * scale);
        return std::clamp<std::int64_t>(now - ago, 0, now);
      };
      begin = to_loop(begin_steady_);
      end = std::max(begin, to_loop(end_steady_));
    }
    tracer.add(EventKind::ExecutorJobBegin, begin, task_id_, 0, job_id_, worker_);
    tracer.add(EventKind::ExecutorJobEnd, end, task_id_, 0, job_id_, worker_);
  }
  // The job's exception is the awaiter's now. Let go of it here, on the loop thread: the worker
  // may drop the last reference to the job later, and destroying the exception there raced with
  // the awaiter reading its copy (a copied std::runtime_error shares its message buffer; TSan).
  struct DropError
  {
    std::exception_ptr& error;
    ~DropError() { error = nullptr; }
  } drop{error_};
  try {
    settle(ran);
  } catch (...) {
    release_future();
    throw;
  }
  release_future();
}

}  // namespace detail

// ---------------------------------------------------------------- shutdown_default_executor

namespace {
/// Shared by the waiting coroutine (loop thread) and the helper thread's completion.
struct ShutdownWait
{
  Loop* loop;
  std::shared_ptr<detail::LoopLink> link;  // the helper posts through it: the loop may be gone
  std::optional<Future<void>> fut;         // loop thread only
  bool counted = false;                    // holds an external source on the loop
  void complete()
  {
    if (counted)
      loop->remove_external_source();
    counted = false;
    if (fut && !fut->done())
      fut->set_result();
    fut.reset();
  }
};

/// Destroyed with the coroutine frame, on the loop thread, even when ~Loop destroys it with the
/// helper still joining a worker that does not return: the future goes there, not on the helper.
struct DropOnExit
{
  std::shared_ptr<ShutdownWait> wait;
  ~DropOnExit()
  {
    if (wait->counted)
      wait->loop->remove_external_source();
    wait->counted = false;
    wait->fut.reset();
  }
};
}  // namespace

void Loop::abandon_default_executor()
{
  if (!default_executor_)
    return;
  std::shared_ptr<ThreadPoolExecutor> stuck = std::move(default_executor_);
  auto closed = std::make_shared<ThreadPoolExecutor>();
  closed->shutdown(false);
  default_executor_ = std::move(closed);
  // Queued jobs never start (their futures are cancelled); running ones go on.
  stuck->shutdown(false, true);
  try {
    // The executor's destructor joins its workers: let a thread of its own wait for that.
    std::thread([stuck = std::move(stuck)]() mutable { stuck.reset(); }).detach();
  } catch (...) {
    // No thread to spare: keep the executor forever rather than wait for it here.
    new std::shared_ptr<ThreadPoolExecutor>(std::move(stuck));  // NOLINT: deliberate leak
  }
}

Coro<void> shutdown_default_executor(Loop& loop)
{
  ThreadPoolExecutor* ex = loop.default_executor_if_any();
  if (ex == nullptr) {
    auto closed = std::make_shared<ThreadPoolExecutor>();
    closed->shutdown(false);
    loop.set_default_executor(std::move(closed));
    co_return;
  }
  auto wait = std::make_shared<ShutdownWait>();
  wait->loop = &loop;
  wait->link = loop.link();
  Future<void> done(loop);
  wait->fut.emplace(done);
  DropOnExit drop{wait};
  loop.add_external_source();
  wait->counted = true;
  // The helper belongs to the executor. Normally ~Loop destroys the executor, which joins the
  // helper, before the loop goes; an abandoned executor outlives the loop, and so may its
  // helper's post, which the link then drops.
  ex->shutdown_in_background([wait] {
    auto link = wait->link;
    link->call_soon_threadsafe([wait = std::move(wait)] { wait->complete(); });
  });
  co_await ExecutorFuture<void>(std::move(done));
}

}  // namespace loopscope::engine
