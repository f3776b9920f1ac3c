// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/completion.h"
#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/loop.h"
#include "engine/task.h"

#include <source_location>
#include <string_view>
#include <utility>

namespace loopscope::engine {

namespace detail {

/// The outer future of shield(): follows the inner task unless it is cancelled first.
/// Inner done (asyncio shield's _inner_done_callback): nothing if the outer was cancelled;
/// if the inner was cancelled, the outer is cancelled (no message, as CPython's outer.cancel());
/// otherwise the outer is done and its awaiters read the inner task's result or exception.
class ShieldCore final : public Completion
{
public:
  static constexpr AwaitKind kAwaitKind = AwaitKind::Shield;
  ShieldCore(Loop& loop, TaskBase& inner);
  ~ShieldCore() override { node_.unlink(); }

private:
  static void on_inner_done(DoneNode* n);
  ChildNode<ShieldCore> node_;
};

template <class T>
struct ShieldAwaiter : CompletionAwaiter<ShieldCore>
{
  Task<T> inner;
  ShieldAwaiter(CompletionRef<ShieldCore> c, Task<T> t)
      : CompletionAwaiter<ShieldCore>(std::move(c))
      , inner(std::move(t))
  {}
  T await_resume()
  {
    c->rethrow_outcome();
    if constexpr (std::is_void_v<T>)
      inner.result();
    else
      return inner.result();
  }
};

}  // namespace detail

/// What shield() returns: the outer future. Awaiting it waits for the inner task; cancelling the
/// awaiting task cancels only the outer (the caller gets CancelledError) while the inner task
/// keeps running. Cheap to copy; loop-thread only.
template <class T>
class Shielded
{
public:
  Shielded(detail::CompletionRef<detail::ShieldCore> outer, Task<T> inner)
      : outer_(std::move(outer))
      , inner_(std::move(inner))
  {}
  /// The shielded task (still running after the outer was cancelled).
  const Task<T>& inner() const noexcept { return inner_; }
  /// Id of the outer future (the `detail` of a Suspended event of a task awaiting it).
  std::uint32_t id() const noexcept { return outer_->id(); }
  bool done() const noexcept { return outer_->done(); }
  bool cancelled() const noexcept { return outer_->cancelled(); }
  /// Cancels the outer future only.
  bool cancel(std::string_view msg = {}) { return outer_->cancel(msg, CancelSource::User); }

  detail::ShieldAwaiter<T> operator co_await() const
  {
    return detail::ShieldAwaiter<T>(outer_, inner_);
  }

private:
  detail::CompletionRef<detail::ShieldCore> outer_;
  Task<T> inner_;
};

/// asyncio.shield(task): `co_await shield(t)` returns t's result (or raises its exception). If
/// the awaiting task is cancelled, it gets CancelledError at once while `t` keeps running
/// (its result can still be awaited later); if `t` itself is cancelled, the awaiter gets
/// CancelledError too. The awaiting task is suspended on the outer future (AwaitKind::Future,
/// ObjectCreated label "shield(Task-N)").
///
///     try { co_await shield(commit); } catch (const CancelledError&) { ...; throw; }
template <class T>
Shielded<T> shield(Task<T> inner)
{
  auto* outer = new detail::ShieldCore(inner.base().loop(), inner.base());
  return Shielded<T>(detail::CompletionRef<detail::ShieldCore>(outer), std::move(inner));
}
/// A coroutine is wrapped in a new task first (ensure_future).
template <class T>
Shielded<T> shield(Coro<T> coro, std::source_location loc = std::source_location::current())
{
  return shield(Loop::running().create_task(std::move(coro), {}, loc));
}

}  // namespace loopscope::engine
