// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/errors.h"
#include "engine/loop.h"
#include "engine/taskbase.h"

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace loopscope::engine {

namespace detail {

/// Shared state of a Future (asyncio.Future), loop-thread only.
class FutureBase
{
public:
  explicit FutureBase(Loop& loop) : loop_(&loop), id_(loop.next_object_id()) {}
  /// A future dropped while pending frees its callbacks (they could never run).
  virtual ~FutureBase() { done_.drop_all(); }
  FutureBase(const FutureBase&) = delete;
  FutureBase& operator=(const FutureBase&) = delete;

  Loop& loop() const noexcept { return *loop_; }
  std::uint32_t id() const noexcept { return id_; }
  bool done() const noexcept { return state_ != State::Pending; }
  bool cancelled() const noexcept { return state_ == State::Cancelled; }
  const std::string& cancel_message() const noexcept { return cancel_msg_; }

  /// False if already done; otherwise the future becomes cancelled and its callbacks are
  /// scheduled (a task awaiting it wakes with CancelledError(msg)).
  bool cancel(std::string_view msg = {})
  {
    if (done())
      return false;
    state_ = State::Cancelled;
    cancel_msg_ = msg;
    done_.fire_all();
    return true;
  }
  void set_exception(std::exception_ptr e)
  {
    if (done())
      throw InvalidStateError("invalid state: future already done");
    if (is_cancelled_error(e))
      throw std::invalid_argument("set_exception: use cancel() instead of a CancelledError");
    exception_ = std::move(e);
    state_ = State::Failed;
    done_.fire_all();
  }
  std::exception_ptr exception() const
  {
    if (cancelled())
      throw CancelledError(cancel_msg_);
    if (!done())
      throw InvalidStateError("Exception is not set.");
    return exception_;
  }
  void add_done_callback(std::function<void()> fn);
  DoneList& done_list() noexcept { return done_; }
  void report_lost_wakeup();

  void retain() noexcept { ++refs_; }
  void release() noexcept
  {
    if (--refs_ == 0)
      delete this;
  }
  /// A Future handle is going away. If only the tasks awaiting the future would still hold it,
  /// nothing can ever complete it: each of them is reported as a lost wake-up.
  void handle_released()
  {
    if (!done() && awaiters_ > 0 && refs_ - 1 == awaiters_)
      report_lost_wakeup();
  }
  void add_awaiter() noexcept { ++awaiters_; }
  void remove_awaiter() noexcept { --awaiters_; }

protected:
  enum class State : std::uint8_t { Pending, Done, Failed, Cancelled };
  void mark_done()
  {
    state_ = State::Done;
    done_.fire_all();
  }
  void check_result() const
  {
    if (cancelled())
      throw CancelledError(cancel_msg_);
    if (!done())
      throw InvalidStateError("Result is not set.");
    if (exception_)
      std::rethrow_exception(exception_);
  }

private:
  Loop* loop_;
  DoneList done_;
  std::exception_ptr exception_;
  std::string cancel_msg_;
  std::uint32_t id_;
  int refs_ = 0;
  int awaiters_ = 0;  // FutureAwaiters holding a reference (tasks suspended on it)
  State state_ = State::Pending;
};

template <class T>
class FutureState final : public FutureBase
{
public:
  using FutureBase::FutureBase;
  template <class U = T>
  void set_result(U&& v)
  {
    if (done())
      throw InvalidStateError("invalid state: future already done");
    value_.emplace(std::forward<U>(v));
    mark_done();
  }
  const T& result() const
  {
    check_result();
    return *value_;
  }

private:
  std::optional<T> value_;
};

template <>
class FutureState<void> final : public FutureBase
{
public:
  using FutureBase::FutureBase;
  void set_result()
  {
    if (done())
      throw InvalidStateError("invalid state: future already done");
    mark_done();
  }
  void result() const { check_result(); }
};

template <class T>
struct FutureAwaiter : DoneNode
{
  using is_engine_awaiter = void;
  FutureState<T>* fut;  // kept alive by the Future handle being awaited
  TaskBase* waiter = nullptr;

  explicit FutureAwaiter(FutureState<T>* f) noexcept : fut(f) { fut->retain(); }
  FutureAwaiter(FutureAwaiter&& o) noexcept : DoneNode(), fut(std::exchange(o.fut, nullptr)) {}
  ~FutureAwaiter()
  {
    if (!fut)
      return;
    if (linked)
      fut->done_list().remove(this);
    if (waiter != nullptr)
      fut->remove_awaiter();
    fut->release();
  }
  bool await_ready() const noexcept { return fut->done(); }
  void await_suspend(std::coroutine_handle<>)
  {
    waiter = current_task();
    task = waiter;
    fut->add_awaiter();
    fire = &FutureAwaiter::on_done;
    fut->done_list().push_back(this);
    static constexpr WaitOps ops{
        &FutureAwaiter::on_cancel, [](const void* obj) noexcept {
          return std::uint64_t{static_cast<const FutureAwaiter*>(obj)->fut->id()};
        }};
    waiter->set_wait(AwaitKind::Future, this, &ops);
  }
  decltype(auto) await_resume()
  {
    if (fut->cancelled()) {
      if (TaskBase* t = current_task())
        t->throw_cancelled(fut->cancel_message(), CancelVia::Future, fut->id());
    }
    if constexpr (std::is_void_v<T>)
      fut->result();
    else
      return T(fut->result());
  }
  static void on_done(DoneNode* n)
  {
    auto* self = static_cast<FutureAwaiter*>(n);
    if (self->fut->cancelled())
      self->waiter->mark_wake_is_cancellation();
    self->waiter->loop().schedule_step(self->waiter);
  }
  static bool on_cancel(TaskBase&, void* obj, std::string_view msg)
  {
    return static_cast<FutureAwaiter*>(obj)->fut->cancel(msg);
  }
};

}  // namespace detail

/// asyncio.Future: a result that someone sets later. Awaiting it suspends the task until it is
/// done; cancelling the awaiting task cancels the future itself (as in asyncio). Loop-thread only;
/// from other threads use Loop::call_soon_threadsafe to set it.
template <class T = void>
class Future
{
public:
  /// A future of the running loop.
  Future() : Future(Loop::running()) {}
  explicit Future(Loop& loop) : s_(new detail::FutureState<T>(loop)) { s_->retain(); }
  Future(const Future& o) noexcept : s_(o.s_) { s_->retain(); }
  Future& operator=(Future o) noexcept
  {
    std::swap(s_, o.s_);
    return *this;
  }
  ~Future()
  {
    if (s_) {
      s_->handle_released();
      s_->release();
    }
  }

  std::uint32_t id() const noexcept { return s_->id(); }
  bool done() const noexcept { return s_->done(); }
  bool cancelled() const noexcept { return s_->cancelled(); }
  bool cancel(std::string_view msg = {}) { return s_->cancel(msg); }
  /// The message passed to cancel() (empty if none or not cancelled).
  const std::string& cancel_message() const noexcept { return s_->cancel_message(); }
  template <class... U>
  void set_result(U&&... v)
  {
    s_->set_result(std::forward<U>(v)...);
  }
  void set_exception(std::exception_ptr e) { s_->set_exception(std::move(e)); }
  template <class E>
  void set_exception(E e)
  {
    s_->set_exception(std::make_exception_ptr(std::move(e)));
  }
  decltype(auto) result() const { return s_->result(); }
  std::exception_ptr exception() const { return s_->exception(); }
  /// fn runs via call_soon once the future is done.
  void add_done_callback(std::function<void()> fn) { s_->add_done_callback(std::move(fn)); }

  detail::FutureAwaiter<T> operator co_await() const { return detail::FutureAwaiter<T>(s_); }

private:
  detail::FutureState<T>* s_;
};

}  // namespace loopscope::engine
