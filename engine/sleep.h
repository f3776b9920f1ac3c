// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/loop.h"
#include "engine/time.h"
#include "engine/timer.h"

#include <chrono>
#include <coroutine>

namespace loopscope::engine {

namespace detail {

/// `co_await sleep(d)`. A positive delay arms a timer embedded in this awaiter (it lives in the
/// coroutine frame while the task sleeps: no allocation). When it fires the task is queued
/// (asyncio: the sleep future's result is set, which schedules the task's wake-up). A zero or
/// negative delay is a pure yield: the task is queued again at once, behind everything already
/// ready (asyncio's bare `yield` in sleep(0)). Cancelling a sleeping task disarms the timer and
/// wakes it with CancelledError.
struct SleepAwaiter : TimerNode
{
  using is_engine_awaiter = void;
  TaskBase* task = nullptr;

  /// The delay is kept in `when` until the timer is armed (saves a field per sleeping task).
  explicit SleepAwaiter(std::int64_t delay_ns) noexcept { when = delay_ns; }
  SleepAwaiter(SleepAwaiter&& o) noexcept : TimerNode() { when = o.when; }
  ~SleepAwaiter()
  {
    if (task != nullptr && state != State::Idle)
      task->loop().cancel_timer(this);
  }
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>);
  void await_resume() const noexcept {}
};

/// Run by the loop when a sleep's timer is due: queues the sleeping task.
void sleep_fired(TimerNode* n);

/// What sleep() returns: just the delay. The awaiter (with its timer node) is built only by
/// co_await, directly in its final place, so a sleeping frame holds one copy of it.
struct SleepRequest
{
  std::int64_t delay_ns;
  SleepAwaiter operator co_await() const noexcept { return SleepAwaiter(delay_ns); }
};

}  // namespace detail

/// asyncio.sleep. Only valid inside a task.
inline detail::SleepRequest sleep(Duration d) noexcept
{
  return detail::SleepRequest{d.count()};
}
template <class Rep, class Period>
detail::SleepRequest sleep(std::chrono::duration<Rep, Period> d) noexcept
{
  return detail::SleepRequest{std::chrono::ceil<Duration>(d).count()};
}

}  // namespace loopscope::engine
