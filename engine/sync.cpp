// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sync.h"

#include "engine/errors.h"

#include <exception>
#include <stdexcept>
#include <string>

namespace loopscope::engine {

namespace detail {

std::uint32_t register_primitive(Loop& loop, AwaitKind kind, std::string_view type,
                                 std::string_view name)
{
  if (name.empty() || !loop.tracing())
    return loop.register_object(kind, {});
  std::string label;
  label.reserve(type.size() + 1 + name.size());
  label.append(type).append(1, ' ').append(name);
  return loop.register_object(kind, label);
}

bool WaitQueue::has_unwoken() const noexcept
{
  for (const Waiter* w = front(); w != nullptr; w = w->next)
    if (!w->woken)
      return true;
  return false;
}

bool WaitQueue::wake_first()
{
  for (Waiter* w = front(); w != nullptr; w = w->next) {
    if (!w->woken) {
      w->woken = true;
      w->task->loop().schedule_step(w->task);
      return true;
    }
  }
  return false;
}

void WaitQueue::wake_all()
{
  while (wake_first()) {
  }
}

}  // namespace detail

// ---------------------------------------------------------------- Event

Event::Event() : Event(Loop::running()) {}
Event::Event(std::string_view name) : Event(Loop::running(), name) {}
Event::Event(Loop& loop, std::string_view name)
    : id_(detail::register_primitive(loop, kAwaitKind, "Event", name))
{}

void Event::set()
{
  if (set_)
    return;
  set_ = true;
  queue_.wake_all();
}

// ---------------------------------------------------------------- Lock

Lock::Lock() : Lock(Loop::running()) {}
Lock::Lock(std::string_view name) : Lock(Loop::running(), name) {}
Lock::Lock(Loop& loop, std::string_view name)
    : id_(detail::register_primitive(loop, kAwaitKind, "Lock", name))
{}

bool Lock::try_take() noexcept
{
  // asyncio: free, and every queued waiter cancelled. Cancelled waiters leave the queue at once
  // here, so any waiter still queued (waiting, or woken and about to take the lock) has priority.
  if (locked_ || !queue_.empty())
    return false;
  locked_ = true;
  return true;
}

void Lock::release()
{
  if (!locked_)
    throw RuntimeError("Lock is not acquired.");
  locked_ = false;
  queue_.wake_first();
}

void Lock::on_abandoned()
{
  // A waiter cancelled while the lock is free must not leave the next one asleep.
  if (!locked_)
    queue_.wake_first();
}

// ---------------------------------------------------------------- Semaphore

Semaphore::Semaphore(int value, std::string_view name)
    : Semaphore(Loop::running(), value, "Semaphore", name)
{}
Semaphore::Semaphore(Loop& loop, int value, std::string_view name)
    : Semaphore(loop, value, "Semaphore", name)
{}
Semaphore::Semaphore(Loop& loop, int value, std::string_view type, std::string_view name)
    : value_(value)
    , id_(0)
{
  // Checked before the id is taken: a refused semaphore is not announced.
  if (value < 0)
    throw std::invalid_argument("Semaphore initial value must be >= 0");
  id_ = detail::register_primitive(loop, kAwaitKind, type, name);
}

bool Semaphore::try_take() noexcept
{
  if (locked())
    return false;
  --value_;
  return true;
}

bool Semaphore::wake_next()
{
  // The permit is reserved for the waiter as it is woken (asyncio 3.12 _wake_up_next).
  if (!queue_.has_unwoken())
    return false;
  --value_;
  queue_.wake_first();
  return true;
}

void Semaphore::wake_while_available()
{
  // asyncio's `finally`: waiters that arrived meanwhile may have had to queue for fairness.
  while (value_ > 0 && wake_next()) {
  }
}

void Semaphore::release()
{
  ++value_;
  wake_next();
}

void Semaphore::on_granted()
{
  wake_while_available();
}

void Semaphore::on_abandoned()
{
  ++value_;  // the permit reserved at wake-up goes back
  wake_while_available();
}

void Semaphore::on_cancelled_waiting()
{
  wake_while_available();
}

BoundedSemaphore::BoundedSemaphore(int value, std::string_view name)
    : BoundedSemaphore(Loop::running(), value, name)
{}
BoundedSemaphore::BoundedSemaphore(Loop& loop, int value, std::string_view name)
    : Semaphore(loop, value, "BoundedSemaphore", name)
    , bound_(value)
{}

void BoundedSemaphore::release()
{
  if (value_ >= bound_)
    throw std::invalid_argument("BoundedSemaphore released too many times");
  Semaphore::release();
}

// ---------------------------------------------------------------- Condition

Condition::Condition() : Condition(Loop::running()) {}
Condition::Condition(std::string_view name) : Condition(Loop::running(), name) {}
Condition::Condition(Loop& loop, std::string_view name)
    : own_lock_(std::in_place, loop, name)
    , lock_(&*own_lock_)
    , id_(detail::register_primitive(loop, kAwaitKind, "Condition", name))
{}
Condition::Condition(Lock& lock, std::string_view name) : Condition(Loop::running(), lock, name) {}
Condition::Condition(Loop& loop, Lock& lock, std::string_view name)
    : lock_(&lock)
    , id_(detail::register_primitive(loop, kAwaitKind, "Condition", name))
{}

Coro<void> Condition::wait()
{
  if (!locked())
    throw RuntimeError("cannot wait on un-acquired lock");
  release();
  // C++ cannot co_await inside a handler, so each failure is kept alive in `error` (which also
  // keeps a delivered CancelledError from counting as swallowed) and handled after the catch.
  std::exception_ptr error;
  try {
    co_await detail::PrimitiveAwaiter<Condition>(this);
  } catch (...) {
    error = std::current_exception();
  }
  // Re-acquire the lock even when cancelled: the caller always gets it back. A cancel during
  // the re-acquire is kept (the most recent one is re-raised) and the acquire retried.
  for (;;) {
    try {
      co_await acquire();
      break;
    } catch (const CancelledError&) {
      error = std::current_exception();
    }
  }
  if (error) {
    // We may have been notified before the error hit us: pass one notification on so none is
    // lost (a spurious wake-up at worst, which the condition-variable protocol allows).
    wake(1);
    std::rethrow_exception(error);
  }
}

void Condition::wake(std::size_t n)
{
  for (std::size_t i = 0; i < n && queue_.wake_first(); ++i) {
  }
}

void Condition::notify(std::size_t n)
{
  if (!locked())
    throw RuntimeError("cannot notify on un-acquired lock");
  wake(n);
}

void Condition::notify_all()
{
  if (!locked())
    throw RuntimeError("cannot notify on un-acquired lock");
  queue_.wake_all();
}

}  // namespace loopscope::engine
