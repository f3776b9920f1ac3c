// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/timeout.h"

namespace loopscope::engine {

namespace {
const char* state_name(Timeout::State s)
{
  switch (s) {
    case Timeout::State::Created:
      return "created";
    case Timeout::State::Entered:
      return "active";
    case Timeout::State::Expiring:
      return "expiring";
    case Timeout::State::Expired:
      return "expired";
    case Timeout::State::Exited:
      return "finished";
  }
  return "?";
}
}  // namespace

Timeout::Timeout(Loop& loop, std::optional<TimePoint> when)
    : loop_(&loop)
    , when_(when)
    , id_(loop.next_object_id())
{}

Timeout::~Timeout()
{
  loop_->cancel_timer(this);
}

void Timeout::enter()
{
  if (state_ != State::Created)
    throw RuntimeError("Timeout has already been entered");
  task_ = current_task();
  if (task_ == nullptr)
    throw RuntimeError("Timeout should be used inside a task");
  state_ = State::Entered;
  cancelling_at_entry_ = task_->cancelling();
  arm(when_, true);
}

void Timeout::reschedule(std::optional<TimePoint> when)
{
  if (state_ != State::Entered) {
    if (state_ == State::Created)
      throw RuntimeError("Timeout has not been entered");
    throw RuntimeError(std::string("Cannot change state of ") + state_name(state_) + " Timeout");
  }
  arm(when, false);
}

void Timeout::arm(std::optional<TimePoint> when, bool first)
{
  when_ = when;
  loop_->cancel_timer(this);
  const std::int64_t now = loop_->read_clock();
  detail::Tracer& tr = loop_->tracer();
  if (tr.on()) {
    tr.add(first ? EventKind::TimeoutArmed : EventKind::TimeoutRescheduled, now, task_->id(), 0,
           when ? static_cast<std::uint64_t>(to_ns(*when)) : ~std::uint64_t{0}, id_);
  }
  if (!when)
    return;
  kind = Kind::Timeout;
  if (to_ns(*when) <= now)
    loop_->push_ready_node(this);  // already due: fires on the next iteration (call_soon)
  else
    loop_->add_timer(this, to_ns(*when));
}

void Timeout::fire(TimerNode* n)
{
  auto* self = static_cast<Timeout*>(n);
  Loop& loop = *self->loop_;
  detail::Tracer& tr = loop.tracer();
  if (tr.on())
    tr.add(EventKind::TimeoutFired, loop.last_ns(), self->task_->id(), 0,
           static_cast<std::uint64_t>(n->when), self->id_);
  self->task_->cancel({}, CancelSource::Timeout);
  self->state_ = State::Expiring;
}

bool Timeout::exit(bool raised_cancel)
{
  loop_->cancel_timer(this);
  bool convert = false;
  TimeoutOutcome outcome = TimeoutOutcome::NotExpired;
  if (state_ == State::Expiring) {
    state_ = State::Expired;
    const int remaining = task_->uncancel();
    convert = raised_cancel && remaining <= cancelling_at_entry_;
    outcome = convert ? TimeoutOutcome::Converted : TimeoutOutcome::ExpiredPropagated;
  } else if (state_ == State::Entered) {
    state_ = State::Exited;
  }
  detail::Tracer& tr = loop_->tracer();
  if (tr.on())
    tr.add(EventKind::TimeoutDisarmed, loop_->event_time(), task_->id(), 0, 0, id_,
           static_cast<std::uint8_t>(outcome));
  return convert;
}

Timeout timeout(std::optional<Duration> delay)
{
  Loop& loop = Loop::running();
  if (!delay)
    return Timeout(loop, std::nullopt);
  return Timeout(loop, loop.now() + *delay);
}

Timeout timeout_at(std::optional<TimePoint> when)
{
  return Timeout(Loop::running(), when);
}

}  // namespace loopscope::engine
