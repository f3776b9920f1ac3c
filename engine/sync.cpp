// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sync.h"

#include "engine/errors.h"

#include <stdexcept>

namespace loopscope::engine {

namespace detail {

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
Event::Event(Loop& loop) : id_(loop.next_object_id()) {}

void Event::set()
{
  if (set_)
    return;
  set_ = true;
  queue_.wake_all();
}

// ---------------------------------------------------------------- Lock

Lock::Lock() : Lock(Loop::running()) {}
Lock::Lock(Loop& loop) : id_(loop.next_object_id()) {}

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

Semaphore::Semaphore(int value) : Semaphore(Loop::running(), value) {}
Semaphore::Semaphore(Loop& loop, int value) : value_(value), id_(loop.next_object_id())
{
  if (value < 0)
    throw std::invalid_argument("Semaphore initial value must be >= 0");
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

BoundedSemaphore::BoundedSemaphore(int value) : Semaphore(value), bound_(value) {}
BoundedSemaphore::BoundedSemaphore(Loop& loop, int value) : Semaphore(loop, value), bound_(value) {}

void BoundedSemaphore::release()
{
  if (value_ >= bound_)
    throw std::invalid_argument("BoundedSemaphore released too many times");
  Semaphore::release();
}

}  // namespace loopscope::engine
