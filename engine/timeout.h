// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/future.h"
#include "engine/loop.h"
#include "engine/task.h"
#include "engine/time.h"
#include "engine/timer.h"

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace loopscope::engine {

/// asyncio.Timeout: a cancellation scope with a deadline. C++ has no `async with`, so the scope
/// runs its body:
///
///     co_await timeout(50ms).run([&](Timeout& t) -> Coro<void> { ...; t.reschedule(...); });
///     int v = co_await timeout_at(deadline).run(fetch());          // any Coro/Task/Future
///
/// Protocol (CPython 3.12, asyncio/timeouts.py): entering records the task's cancelling() count
/// and arms the deadline (a deadline already past fires on the next iteration). When it fires the
/// task is cancelled; the CancelledError travels up through the body. On exit, if the scope
/// expired it calls uncancel(); if that brings the count back to (or below) the value recorded
/// at entry and the body ended with CancelledError, the scope raises TimeoutError (with the
/// CancelledError as its cause). Otherwise somebody else cancelled the task too, and the
/// CancelledError propagates: an outside cancel always wins. With nested scopes expiring
/// together, only the outermost converts.
class Timeout : private detail::TimerNode
{
public:
  enum class State : std::uint8_t { Created, Entered, Expiring, Expired, Exited };

  /// A scope with deadline `when` (loop time; nullopt = never) on `loop`.
  Timeout(Loop& loop, std::optional<TimePoint> when);
  Timeout(const Timeout&) = delete;
  Timeout& operator=(const Timeout&) = delete;
  ~Timeout();

  std::optional<TimePoint> when() const noexcept { return when_; }
  /// Moves the deadline (nullopt = never). RuntimeError before entry or after expiry.
  void reschedule(std::optional<TimePoint> when);
  bool expired() const noexcept { return state_ == State::Expiring || state_ == State::Expired; }
  State state() const noexcept { return state_; }
  std::uint32_t id() const noexcept { return id_; }

  /// Runs `body` inside the scope and returns its result. `body` is a Coro, a Task or Future,
  /// or a callable taking `Timeout&` (or nothing) and returning a Coro. The Timeout object must
  /// outlive the co_await (a temporary in the co_await expression does).
  template <class Body>
  auto run(Body&& body)
  {
    if constexpr (std::is_invocable_v<Body&, Timeout&>)
      return run_coro(std::invoke(body, *this));
    else if constexpr (std::is_invocable_v<Body&>)
      return run_coro(std::invoke(body));
    else if constexpr (detail::is_coro<std::remove_cvref_t<Body>>::value)
      return run_coro(std::move(body));
    else
      return run_coro(await_it(std::forward<Body>(body)));
  }

  /// For embedders without a coroutine body (the script interpreter's `async with timeout()`):
  /// __aenter__ in the running task, and __aexit__ given whether the body ended with
  /// CancelledError; true when that CancelledError must become TimeoutError.
  void enter_scope() { enter(); }
  bool exit_scope(bool raised_cancel) { return exit(raised_cancel); }

private:
  template <class A>
  static auto await_it(A aw) -> Coro<std::remove_cvref_t<decltype(std::declval<A>().result())>>
  {
    co_return co_await aw;
  }
  template <class R>
  Coro<R> run_coro(Coro<R> body);

  void enter();
  /// Leaves the scope; true when the body's CancelledError must become TimeoutError.
  bool exit(bool raised_cancel);
  void arm(std::optional<TimePoint> when, bool first);

public:
  /// Run by the loop when the deadline is due (TimerNode::Kind::Timeout): cancels the task.
  static void fire(TimerNode* n);

private:
  Loop* loop_;
  TaskBase* task_ = nullptr;
  std::optional<TimePoint> when_;
  int cancelling_at_entry_ = 0;
  std::uint32_t id_;
  State state_ = State::Created;
};

template <class R>
Coro<R> Timeout::run_coro(Coro<R> body)
{
  enter();
  // The body's outcome is inspected without rethrowing it, and the TimeoutError is handed to our
  // awaiter without a throw here: each C++ throw costs about a microsecond.
  detail::Outcome<R> out = co_await detail::capture(std::move(body));
  if (!out.error) {
    exit(false);
    if constexpr (std::is_void_v<R>)
      co_return;
    else
      co_return std::move(*out.value);
  }
  if (exit(is_cancelled_error(out.error))) {
    co_await detail::raise(
        std::make_exception_ptr(TimeoutError("TimeoutError", std::move(out.error))));
  }
  co_await detail::raise(std::move(out.error));
  // not reached: raise() never resumes this frame
  if constexpr (!std::is_void_v<R>)
    co_return std::move(*out.value);
}

/// asyncio.timeout(delay): deadline = now + delay on the running loop; nullopt = never.
Timeout timeout(std::optional<Duration> delay);
/// asyncio.timeout_at(when).
Timeout timeout_at(std::optional<TimePoint> when);

namespace detail {
/// asyncio.wait_for's delay <= 0 path: cancel the task and wait for it to finish.
template <class T>
Coro<T> wait_for_expired(Task<T> task)
{
  if (!task.done()) {
    Future<void> finished;
    task.add_done_callback([finished](TaskBase&) mutable {
      if (!finished.done())
        finished.set_result();
    });
    task.cancel();
    co_await finished;
  }
  if (task.cancelled())
    throw TimeoutError("TimeoutError", std::make_exception_ptr(CancelledError()));
  co_return task.result();
}
}  // namespace detail

/// asyncio.wait_for(aw, timeout): `async with timeout(d): return await aw`. A delay <= 0 runs
/// the awaitable as a task, cancels it at once and waits for it (CPython 3.12).
template <class T>
Coro<T> wait_for(Coro<T> coro, std::optional<Duration> delay)
{
  if (delay && delay->count() <= 0)
    co_return co_await detail::wait_for_expired(create_task(std::move(coro)));
  co_return co_await timeout(delay).run(std::move(coro));
}
template <class T>
Coro<T> wait_for(Task<T> task, std::optional<Duration> delay)
{
  if (delay && delay->count() <= 0)
    co_return co_await detail::wait_for_expired(std::move(task));
  co_return co_await timeout(delay).run(std::move(task));
}

}  // namespace loopscope::engine
