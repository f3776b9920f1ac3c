// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/completion.h"
#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/loop.h"
#include "engine/task.h"
#include "engine/time.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <vector>

namespace loopscope::engine {

/// asyncio.wait's return_when.
enum class ReturnWhen : std::uint8_t {
  FirstCompleted,  ///< as soon as any task is done
  FirstException,  ///< as soon as a task fails (a cancelled task is no failure), else all done
  AllCompleted     ///< when every task is done
};

/// What wait() returns: Python's (done, pending) pair, each in the order the tasks were given.
template <class T>
struct WaitResult
{
  std::vector<Task<T>> done;
  std::vector<Task<T>> pending;
};

namespace detail {

/// The waiter future of wait(): done when `return_when` is met or the timeout passes. Its done
/// nodes fire synchronously when a task finishes; tasks already done when the wait starts are
/// counted from a call_soon callback, as asyncio's add_done_callback on a done future does (so
/// wait() always suspends at least once, like CPython's).
class WaitCore final : public Completion
{
public:
  WaitCore(Loop& loop, ReturnWhen when, std::size_t n);
  ~WaitCore() override { detach(); }
  void start(const std::vector<TaskBase*>& tasks, std::optional<Duration> timeout);
  /// Unlinks from the tasks and disarms the timer (the `finally` of asyncio's _wait).
  void detach() noexcept;

private:
  using Node = ChildNode<WaitCore>;
  static void on_task_done(DoneNode* n);
  void completed(const TaskBase& t);

  std::vector<Node> nodes_;
  Handle timer_;
  std::size_t counter_;
  ReturnWhen when_;
};

/// Suspends the calling task until `tasks` satisfy `when` or `timeout` passes.
Coro<void> wait_tasks(std::vector<TaskBase*> tasks, std::optional<Duration> timeout,
                      ReturnWhen when);

/// The state of as_completed(): the queue of finished tasks (indices, -1 for the "timed out"
/// marker asyncio queues once per unfinished task), filled by done nodes and the timeout.
class AsCompletedCore
{
public:
  AsCompletedCore(Loop& loop, std::size_t n);
  virtual ~AsCompletedCore();
  AsCompletedCore(const AsCompletedCore&) = delete;
  AsCompletedCore& operator=(const AsCompletedCore&) = delete;

  void start(const std::vector<TaskBase*>& tasks, std::optional<Duration> timeout);
  /// Awaits the next entry of the queue: the index of a finished task, or TimeoutError.
  Coro<std::size_t> take();

  void retain() noexcept { ++refs_; }
  void release() noexcept
  {
    if (--refs_ == 0)
      delete this;
  }

private:
  using Node = ChildNode<AsCompletedCore>;
  static void on_task_done(DoneNode* n);
  void completed(std::size_t index);
  void timed_out();
  void wake();

  Loop* loop_;
  std::vector<Node> nodes_;
  std::vector<bool> counted_;
  std::deque<std::ptrdiff_t> ready_;
  CompletionRef<Completion> getter_;  // the pending take(), if any
  Handle timer_;
  std::size_t todo_;
  int refs_ = 0;
};

template <class T>
class AsCompletedState final : public AsCompletedCore
{
public:
  AsCompletedState(Loop& loop, std::vector<Task<T>> t)
      : AsCompletedCore(loop, t.size())
      , tasks(std::move(t))
  {}
  std::vector<Task<T>> tasks;
};

template <class T>
Coro<Task<T>> as_completed_next(TaskRef<AsCompletedState<T>> s)
{
  const std::size_t i = co_await s->take();
  co_return s->tasks[i];
}
template <class T>
Coro<T> as_completed_result(TaskRef<AsCompletedState<T>> s)
{
  const std::size_t i = co_await s->take();
  if constexpr (std::is_void_v<T>)
    s->tasks[i].result();
  else
    co_return s->tasks[i].result();
}

/// set(fs): the first occurrence of each task, in argument order.
template <class T>
std::vector<Task<T>> unique_tasks(std::vector<Task<T>> tasks)
{
  std::vector<Task<T>> out;
  out.reserve(tasks.size());
  for (Task<T>& t : tasks) {
    bool seen = false;
    for (const Task<T>& u : out)
      seen = seen || u == t;
    if (!seen)
      out.push_back(std::move(t));
  }
  return out;
}
template <class T>
std::vector<TaskBase*> bases_of(const std::vector<Task<T>>& tasks)
{
  std::vector<TaskBase*> out;
  out.reserve(tasks.size());
  for (const Task<T>& t : tasks)
    out.push_back(&t.base());
  return out;
}

}  // namespace detail

/// asyncio.wait(tasks, timeout, return_when): suspends until `return_when` is met or `timeout`
/// (nullopt = none) passes, then returns the tasks split into (done, pending). It never cancels
/// a task and never raises TimeoutError: on timeout, the unfinished ones are simply pending.
/// Duplicates count once. Raises std::invalid_argument (Python's ValueError) for an empty list.
/// Cancelling the awaiting task raises CancelledError in it and leaves the tasks alone. The task
/// is suspended on the wait's future (AwaitKind::Future, ObjectCreated label "wait(...)").
///
///     auto [done, pending] = co_await wait(tasks, 5s, ReturnWhen::FirstCompleted);
template <class T>
Coro<WaitResult<T>> wait(std::vector<Task<T>> tasks, std::optional<Duration> timeout = std::nullopt,
                         ReturnWhen return_when = ReturnWhen::AllCompleted)
{
  tasks = detail::unique_tasks(std::move(tasks));
  if (tasks.empty())
    throw std::invalid_argument("Set of Tasks/Futures is empty.");
  co_await detail::wait_tasks(detail::bases_of(tasks), timeout, return_when);
  WaitResult<T> out;
  for (Task<T>& t : tasks)
    (t.done() ? out.done : out.pending).push_back(std::move(t));
  co_return out;
}

/// What as_completed() returns: awaited one by one, it hands out the tasks in the order they
/// finish. Two forms, as in CPython:
///   * `co_await ac.next()` returns the finished Task (3.13's `async for t in as_completed(...)`);
///   * `co_await ac.next_result()` returns its result or rethrows its exception (3.12's
///     `for aw in as_completed(...): await aw`).
/// After the timeout (counted from the as_completed() call) every call still left raises
/// TimeoutError, once the tasks that finished before it have been handed out. Exactly
/// size() calls can be made (remaining() counts down; a call beyond raises RuntimeError). A
/// cancelled next() consumes its turn, as a cancelled `__anext__` does. Loop-thread only.
template <class T>
class AsCompleted
{
public:
  explicit AsCompleted(TaskRef<detail::AsCompletedState<T>> s)
      : s_(std::move(s))
      , left_(s_->tasks.size())
  {}
  /// Number of distinct tasks.
  std::size_t size() const noexcept { return s_->tasks.size(); }
  std::size_t remaining() const noexcept { return left_; }
  bool has_next() const noexcept { return left_ > 0; }

  Coro<Task<T>> next()
  {
    consume();
    return detail::as_completed_next(s_);
  }
  Coro<T> next_result()
  {
    consume();
    return detail::as_completed_result(s_);
  }

private:
  void consume()
  {
    if (left_ == 0)
      throw RuntimeError("as_completed: every task has been handed out");
    --left_;
  }
  TaskRef<detail::AsCompletedState<T>> s_;
  std::size_t left_;
};

/// asyncio.as_completed(tasks, timeout): see AsCompleted. Duplicates count once.
///     auto ac = as_completed(tasks, 10s);
///     while (ac.has_next()) { Task<int> t = co_await ac.next(); use(t.result()); }
template <class T>
AsCompleted<T> as_completed(std::vector<Task<T>> tasks,
                            std::optional<Duration> timeout = std::nullopt)
{
  tasks = detail::unique_tasks(std::move(tasks));
  Loop& loop = tasks.empty() ? Loop::running() : tasks.front().base().loop();
  auto* state = new detail::AsCompletedState<T>(loop, std::move(tasks));
  TaskRef<detail::AsCompletedState<T>> ref(state);
  state->start(detail::bases_of(state->tasks), timeout);
  return AsCompleted<T>(std::move(ref));
}
/// Coroutines are wrapped in tasks first (ensure_future), in order.
template <class T>
AsCompleted<T> as_completed(std::vector<Coro<T>> coros,
                            std::optional<Duration> timeout = std::nullopt,
                            std::source_location loc = std::source_location::current())
{
  Loop& loop = Loop::running();
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (Coro<T>& c : coros)
    tasks.push_back(loop.create_task(std::move(c), {}, loc));
  return as_completed(std::move(tasks), timeout);
}

}  // namespace loopscope::engine
