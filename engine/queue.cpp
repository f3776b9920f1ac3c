// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/queue.h"

#include <algorithm>
#include <stdexcept>

namespace loopscope::engine::detail {

// ---------------------------------------------------------------- QueueWaiters

std::uint32_t QueueWaiters::id() const noexcept
{
  return owner_->id();
}

bool QueueWaiters::try_take() const noexcept
{
  return role_ == Role::Joiners && owner_->unfinished_ == 0;
}

void QueueWaiters::on_abandoned()
{
  // asyncio: `if not self.empty() and not getter.cancelled(): self._wakeup_next(self._getters)`
  // (and the same for putters with `not self.full()`). A woken waiter is never "cancelled" in
  // asyncio's sense: its future already has its result.
  switch (role_) {
    case Role::Getters:
      if (!owner_->empty())
        queue_.wake_first();
      break;
    case Role::Putters:
      if (!owner_->full())
        queue_.wake_first();
      break;
    case Role::Joiners:  // asyncio's Event.wait: nothing to pass on
      break;
  }
}

// ---------------------------------------------------------------- QueueBase

QueueBase::QueueBase(Loop& loop, int maxsize, std::string_view type, std::string_view name)
    : maxsize_(maxsize)
    , id_(register_primitive(loop, kAwaitKind, type, name))
{}

void QueueBase::check_put() const
{
  if (shutdown_)
    throw QueueShutDown();
  if (full())
    throw QueueFull();
}

void QueueBase::item_added()
{
  ++unfinished_;
  getters_.queue_.wake_first();
}

void QueueBase::check_get() const
{
  if (empty()) {
    if (shutdown_)
      throw QueueShutDown();
    throw QueueEmpty();
  }
}

void QueueBase::task_done()
{
  if (unfinished_ == 0)
    throw std::invalid_argument("task_done() called too many times");
  if (--unfinished_ == 0)
    joiners_.queue_.wake_all();
}

void QueueBase::shutdown(bool immediate)
{
  shutdown_ = true;
  if (immediate) {
    // asyncio drains item by item, counting each one done while the count is above zero.
    unfinished_ -= std::min(unfinished_, item_count());
    discard_items();
    if (unfinished_ == 0)
      joiners_.queue_.wake_all();
  }
  // Every blocked getter and putter re-checks: putters throw, getters take what is left or
  // throw. (Joiners wait on for task_done() unless the count reached 0 above.)
  getters_.queue_.wake_all();
  putters_.queue_.wake_all();
}

}  // namespace loopscope::engine::detail
