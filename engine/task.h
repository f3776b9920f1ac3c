// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/loop.h"
#include "engine/taskbase.h"

#include <optional>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>

namespace loopscope::engine {

namespace detail {

struct Empty
{};

/// A task running a Coro<T>: owns the root frame and, once finished, the result.
template <class T>
class TaskImpl final : public TaskBase
{
public:
  TaskImpl(Loop& loop, Coro<T>&& coro, std::string name, std::source_location loc)
      : TaskBase(loop, std::move(name), loc)
      , h_(coro.release())
  {
    h_.promise().task = this;
  }
  ~TaskImpl() override { destroy_frames(); }

  /// The result; rethrows the task's exception, throws CancelledError / InvalidStateError.
  decltype(auto) result_ref() const
  {
    if (!done())
      throw InvalidStateError("Result is not set.");
    if (cancelled())
      throw CancelledError(cancel_message());
    if (failure()) {
      mark_retrieved();
      std::rethrow_exception(failure());
    }
    if constexpr (!std::is_void_v<T>)
      return static_cast<const T&>(*value_);
  }

private:
  std::exception_ptr take_root_outcome() override
  {
    auto& p = h_.promise();
    if (p.exception)
      return std::exchange(p.exception, nullptr);
    if constexpr (!std::is_void_v<T>)
      value_.emplace(p.take());
    return nullptr;
  }
  void destroy_frames() noexcept override
  {
    if (h_)
      h_.destroy();
    h_ = nullptr;
  }
  std::coroutine_handle<> root_handle() noexcept override { return h_; }

  typename Coro<T>::Handle h_;
  [[no_unique_address]] std::conditional_t<std::is_void_v<T>, Empty, std::optional<T>> value_{};
};

/// `co_await task`: suspends until the task finishes (asyncio: the awaiting task's _fut_waiter is
/// the awaited task). Cancelling the awaiting task cancels the awaited one (propagation); if that
/// one swallows the cancel and returns a value, the awaiter gets the value — exactly as CPython.
template <class T>
struct TaskAwaiter : DoneNode
{
  using is_engine_awaiter = void;
  TaskRef<TaskImpl<T>> inner;
  TaskBase* waiter = nullptr;

  explicit TaskAwaiter(TaskRef<TaskImpl<T>> t) : inner(std::move(t)) {}
  TaskAwaiter(TaskAwaiter&& o) noexcept : DoneNode(), inner(std::move(o.inner)) {}
  ~TaskAwaiter()
  {
    if (linked)
      inner->done_list().remove(this);
  }

  bool await_ready() const noexcept { return inner->done(); }
  void await_suspend(std::coroutine_handle<>)
  {
    waiter = current_task();
    if (waiter == inner.get())
      throw RuntimeError("Task cannot await on itself");
    fire = &TaskAwaiter::on_done;
    inner->done_list().push_back(this);
    static constexpr WaitOps ops{
        &TaskAwaiter::on_cancel, [](const void* obj) noexcept {
          return std::uint64_t{static_cast<const TaskAwaiter*>(obj)->inner->id()};
        }};
    waiter->set_wait(AwaitKind::Task, this, &ops);
  }
  T await_resume()
  {
    if (inner->cancelled()) {
      if (TaskBase* t = current_task())
        t->throw_cancelled(inner->cancel_message(), CancelVia::Task, inner->id());
      throw CancelledError(inner->cancel_message());
    }
    if constexpr (std::is_void_v<T>)
      inner->result_ref();
    else
      return inner->result_ref();
  }

  static void on_done(DoneNode* n)
  {
    auto* self = static_cast<TaskAwaiter*>(n);
    if (self->inner->cancelled())
      self->waiter->mark_wake_is_cancellation();
    self->waiter->loop().schedule_step(self->waiter);
  }
  static bool on_cancel(TaskBase&, void* obj, std::string_view msg)
  {
    return static_cast<TaskAwaiter*>(obj)->inner->cancel(msg, CancelSource::Propagated);
  }
};

}  // namespace detail

/// Handle to a scheduled task (asyncio.Task). Cheap to copy; loop-thread only.
template <class T = void>
class Task
{
public:
  using value_type = T;
  Task() = default;
  explicit Task(TaskRef<detail::TaskImpl<T>> impl) : impl_(std::move(impl)) {}

  explicit operator bool() const noexcept { return static_cast<bool>(impl_); }
  TaskBase& base() const noexcept { return *impl_; }
  std::uint32_t id() const noexcept { return impl_->id(); }
  std::string name() const { return impl_->name(); }
  void set_name(std::string n) { impl_->set_name(std::move(n)); }
  TaskState state() const noexcept { return impl_->state(); }
  bool done() const noexcept { return impl_->done(); }
  bool cancelled() const noexcept { return impl_->cancelled(); }
  bool cancel(std::string_view msg = {}) { return impl_->cancel(msg); }
  int cancelling() const noexcept { return impl_->cancelling(); }
  int uncancel() { return impl_->uncancel(); }
  std::exception_ptr exception() const { return impl_->exception(); }
  /// Message of the CancelledError that ended the task (empty if none or not cancelled).
  const std::string& cancel_message() const noexcept { return impl_->cancel_message(); }
  /// asyncio.Task.result(): the value, or rethrows; InvalidStateError while pending.
  decltype(auto) result() const { return impl_->result_ref(); }
  void add_done_callback(std::function<void(TaskBase&)> fn)
  {
    impl_->add_done_callback(std::move(fn));
  }

  detail::TaskAwaiter<T> operator co_await() const { return detail::TaskAwaiter<T>(impl_); }
  friend bool operator==(const Task& a, const Task& b) noexcept
  {
    return a.impl_.get() == b.impl_.get();
  }

private:
  TaskRef<detail::TaskImpl<T>> impl_;
};

template <class T>
Task<T> Loop::create_task(Coro<T> coro, std::string name, std::source_location loc)
{
  if (!coro)
    throw RuntimeError("create_task: empty coroutine");
  auto* impl = new detail::TaskImpl<T>(*this, std::move(coro), std::move(name), loc);
  Task<T> handle{TaskRef<detail::TaskImpl<T>>(impl)};
  register_task(impl, loc);
  return handle;
}

template <class T>
T Loop::run_until_complete(Task<T> task)
{
  run_until_done(task.base());
  if constexpr (std::is_void_v<T>)
    task.result();
  else
    return task.result();
}

template <class T>
T Loop::run_until_complete(Coro<T> coro, std::string name, std::source_location loc)
{
  // asyncio checks before wrapping the coroutine: a refused call schedules nothing.
  if (running_)
    throw RuntimeError("This event loop is already running");
  return run_until_complete(create_task(std::move(coro), std::move(name), loc));
}

/// asyncio.create_task: on the running loop of this thread.
template <class T>
Task<T> create_task(Coro<T> coro, std::string name = {},
                    std::source_location loc = std::source_location::current())
{
  return Loop::running().create_task(std::move(coro), std::move(name), loc);
}

}  // namespace loopscope::engine
