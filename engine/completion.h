// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/errors.h"
#include "engine/event.h"
#include "engine/loop.h"
#include "engine/taskbase.h"

#include <coroutine>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

namespace loopscope::engine::detail {

/// The future a combinator's caller awaits (the outer future of gather and shield, the waiter of
/// wait / as_completed / a TaskGroup's exit): asyncio.Future without a value. Whatever result it
/// carries lives in the subclass. Its id is announced with an ObjectCreated event labelled after
/// the combinator ("gather(3)", "TaskGroup exit", ...), so a task suspended on it
/// (AwaitKind::Future, detail = this id) shows what it waits for. Loop-thread only; shared through
/// an intrusive count.
///
/// Protocol: an awaiting task links a CompletionAwaiter into `waiters()`. set_done(),
/// set_exception() and set_cancelled() wake every awaiter at once (each one's next step is
/// queued). Cancelling an awaiting task calls cancel(): by default the completion itself ends
/// cancelled, so the awaiter wakes with CancelledError (asyncio: Task.cancel cancels _fut_waiter);
/// gather overrides it to cancel its children instead.
class Completion
{
public:
  /// `label` is only formatted into an event when tracing is on: pass a cheap literal, or use the
  /// overload taking a label maker.
  Completion(Loop& loop, std::string_view label);
  template <class MakeLabel>
  requires std::is_invocable_r_v<std::string, MakeLabel&> Completion(
      Loop& loop, MakeLabel&& make_label, AwaitKind kind = AwaitKind::Future)
      : loop_(&loop)
      , id_(loop.tracing() ? loop.register_object(kind, make_label()) : loop.next_object_id())
  {}
  virtual ~Completion() { waiters_.drop_all(); }
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  Loop& loop() const noexcept { return *loop_; }
  std::uint32_t id() const noexcept { return id_; }
  bool done() const noexcept { return state_ != State::Pending; }
  bool cancelled() const noexcept { return state_ == State::Cancelled; }
  const std::string& cancel_message() const noexcept { return cancel_msg_; }
  /// The failure it ended with (null for success, cancellation or while pending).
  const std::exception_ptr& error() const noexcept { return error_; }

  /// What cancelling a task that awaits this does; true when the awaiter's wake-up will carry
  /// the cancellation (see WaitOps). Default: the completion ends cancelled (false if done).
  virtual bool cancel(std::string_view msg, CancelSource source);

  /// Each wakes the awaiters; a no-op when already done.
  void set_done();
  void set_exception(std::exception_ptr e);
  void set_cancelled(std::string_view msg);

  /// Throws what the completion ended with, into the task resuming from it: a CancelledError
  /// bound to that task (CancelVia::Future, this id), or the stored error. Returns on success.
  void rethrow_outcome() const;

  DoneList& waiters() noexcept { return waiters_; }
  void retain() noexcept { ++refs_; }
  void release() noexcept
  {
    if (--refs_ == 0)
      delete this;
  }
  /// True when the caller's reference is the only one (its result may be moved out).
  bool unique() const noexcept { return refs_ == 1; }

private:
  enum class State : std::uint8_t { Pending, Done, Failed, Cancelled };
  void finish(State s);

  Loop* loop_;
  DoneList waiters_;
  std::exception_ptr error_;
  std::string cancel_msg_;
  std::uint32_t id_;
  int refs_ = 0;
  State state_ = State::Pending;
};

template <class C>
using CompletionRef = TaskRef<C>;  // TaskRef only needs retain()/release()

/// `co_await` on a Completion: suspends the task until it is done (AwaitKind::Future, detail =
/// its id). `Result` (a callable taking `C&`) extracts the value after rethrow_outcome() passed.
template <class C = Completion>
struct CompletionAwaiter : DoneNode
{
  using is_engine_awaiter = void;
  CompletionRef<C> c;
  TaskBase* waiter = nullptr;

  explicit CompletionAwaiter(CompletionRef<C> completion) noexcept : c(std::move(completion)) {}
  CompletionAwaiter(CompletionAwaiter&& o) noexcept : DoneNode(), c(std::move(o.c)) {}
  ~CompletionAwaiter()
  {
    if (linked)
      c->waiters().remove(this);
  }

  bool await_ready() const noexcept { return c->done(); }
  void await_suspend(std::coroutine_handle<>)
  {
    waiter = current_task();
    task = waiter;
    fire = &CompletionAwaiter::on_done;
    c->waiters().push_back(this);
    static constexpr WaitOps ops{
        &CompletionAwaiter::on_cancel, [](const void* obj) noexcept {
          return std::uint64_t{static_cast<const CompletionAwaiter*>(obj)->c->id()};
        }};
    // A shield is its own kind of wait (the Runner names a task held up by one).
    waiter->set_wait(await_kind(), this, &ops);
  }
  void await_resume() const { c->rethrow_outcome(); }
  static constexpr AwaitKind await_kind() noexcept
  {
    if constexpr (requires { C::kAwaitKind; })
      return C::kAwaitKind;
    else
      return AwaitKind::Future;
  }

  static void on_done(DoneNode* n)
  {
    auto* self = static_cast<CompletionAwaiter*>(n);
    if (self->c->cancelled())
      self->waiter->mark_wake_is_cancellation();
    self->waiter->loop().schedule_step(self->waiter);
  }
  static bool on_cancel(TaskBase&, void* obj, std::string_view msg)
  {
    return static_cast<CompletionAwaiter*>(obj)->c->cancel(msg, CancelSource::Propagated);
  }
};

/// A DoneNode a combinator links into a task's done list: `fire` is called synchronously when
/// the task finishes (the loop's finish_task), already unlinked. The owner unlinks it (remove())
/// if it goes away first; `task` keeps the task alive for that.
template <class Owner>
struct ChildNode : DoneNode
{
  Owner* owner = nullptr;
  TaskRef<TaskBase> child;  // (DoneNode::task stays null: no task waits in this node)
  std::size_t index = 0;

  void link(Owner* o, TaskBase& t, std::size_t i, FireFn fn)
  {
    owner = o;
    child = TaskRef<TaskBase>(&t);
    index = i;
    fire = fn;
    t.done_list().push_back(this);
  }
  void unlink() noexcept
  {
    if (linked)
      child->done_list().remove(this);
  }
};

}  // namespace loopscope::engine::detail
