// SPDX-License-Identifier: GPL-3.0-or-later
// asyncio.TaskGroup (CPython 3.13 Lib/asyncio/taskgroups.py semantics; see taskgroup.h).
#include "engine/taskgroup.h"

#include <iterator>

namespace loopscope::engine {

namespace {
/// KeyboardInterrupt or SystemExit: re-raised as themselves, never grouped.
bool is_base_error(const std::exception_ptr& e) noexcept
{
  return is_exit_exception(e);
}
}  // namespace

TaskGroup::~TaskGroup()
{
  for (Child& c : children_) {
    if (c.linked)
      c.child->done_list().remove(&c);
    c.pending.cancel();
  }
}

std::string TaskGroup::repr() const
{
  std::string info;
  if (!children_.empty())
    info += " tasks=" + std::to_string(children_.size());
  if (!errors_.empty())
    info += " errors=" + std::to_string(errors_.size());
  if (aborting_)
    info += " cancelling";
  else if (entered_)
    info += " entered";
  return "<TaskGroup" + info + ">";
}

void TaskGroup::check_can_create() const
{
  if (!entered_)
    throw RuntimeError("TaskGroup " + repr() + " has not been entered");
  if (exiting_ && children_.empty())
    throw RuntimeError("TaskGroup " + repr() + " is finished");
  if (aborting_)
    throw RuntimeError("TaskGroup " + repr() + " is shutting down");
}

void TaskGroup::track(TaskBase& t)
{
  Child& c = children_.emplace_back();
  c.group = this;
  c.child = TaskRef<TaskBase>(&t);
  c.self = std::prev(children_.end());
  c.fire = &TaskGroup::on_child_done;
  t.done_list().push_back(&c);
}

void TaskGroup::enter()
{
  if (entered_)
    throw RuntimeError("TaskGroup " + repr() + " has already been entered");
  parent_ = current_task();
  if (parent_ == nullptr)
    throw RuntimeError("TaskGroup " + repr() + " cannot determine the parent task");
  loop_ = &parent_->loop();
  entered_ = true;
}

void TaskGroup::abort()
{
  aborting_ = true;
  // Cancelling never finishes a task synchronously, so the list is stable here.
  for (Child& c : children_)
    if (!c.child->done())
      c.child->cancel({}, CancelSource::Propagated);
}

void TaskGroup::on_child_done(detail::DoneNode* n)
{
  auto* c = static_cast<Child*>(n);
  c->pending = c->child->loop().call_soon([c] { c->group->child_done(c); });
}

void TaskGroup::child_done(Child* c)
{
  const TaskRef<TaskBase> keep = c->child;  // the entry may hold the last reference
  TaskBase& task = *keep;
  children_.erase(c->self);

  if (on_completed_ && children_.empty())
    on_completed_->set_done();

  if (task.cancelled())
    return;
  const std::exception_ptr& exc = task.failure();
  if (!exc)
    return;
  task.mark_retrieved();  // asyncio: _on_task_done calls task.exception()
  errors_.push_back(exc);
  if (!base_error_ && is_base_error(exc))
    base_error_ = exc;

  if (parent_->done()) {
    loop_->report_exception("Task " + task.name() + " has errored out but its parent task " +
                                parent_->name() + " is already completed",
                            exc);
    return;
  }
  if (!aborting_ && !parent_cancel_requested_) {
    // Interrupt whatever the body (or the exit) awaits; exit() withdraws this cancel again.
    abort();
    parent_cancel_requested_ = true;
    parent_->cancel({}, CancelSource::Propagated);
  }
}

Coro<std::exception_ptr> TaskGroup::exit(std::exception_ptr exc)
{
  exiting_ = true;
  const bool body_cancelled = is_cancelled_error(exc);
  if (exc && !base_error_ && is_base_error(exc))
    base_error_ = exc;
  std::exception_ptr propagate = body_cancelled ? exc : nullptr;
  if (exc && !aborting_)
    abort();  // the body raised: its own cancellation, or an error

  // CancelledErrors caught while waiting stay alive until the decision below: dropping one while
  // the parent still counts a cancel request would be reported as a swallowed cancellation.
  std::vector<std::exception_ptr> caught_cancels;
  while (!children_.empty()) {
    if (!on_completed_)
      on_completed_ = detail::CompletionRef<detail::Completion>(
          new detail::Completion(*loop_, "TaskGroup exit"));
    std::exception_ptr caught;
    try {
      co_await detail::CompletionAwaiter<>(on_completed_);
    } catch (const CancelledError&) {
      caught = std::current_exception();
    }
    if (caught) {
      caught_cancels.push_back(caught);
      if (!aborting_) {
        // The parent is cancelled from outside while the children still run.
        propagate = caught;
        abort();
      }
    }
    on_completed_ = {};
  }

  if (parent_cancel_requested_) {
    // We cancelled the parent once: withdraw it. If nobody else cancelled it, the
    // CancelledError we caused is not propagated.
    if (parent_->uncancel() == 0)
      propagate = nullptr;
  }

  if (base_error_)
    co_return base_error_;

  // An outside cancellation propagates, unless there are errors: those have priority.
  if (propagate && errors_.empty())
    co_return propagate;

  if (exc && !body_cancelled)
    errors_.push_back(exc);

  if (!errors_.empty()) {
    std::exception_ptr pending_cancel;
    if (parent_->cancelling() > 0) {
      // Cancelled from outside too: uncancel and re-cancel, so the count stays and the parent's
      // next await raises CancelledError.
      parent_->uncancel();
      parent_->cancel({}, CancelSource::Propagated);
      pending_cancel = propagate                 ? propagate
                       : !caught_cancels.empty() ? caught_cancels.back()
                       : body_cancelled          ? exc
                                                 : nullptr;
    }
    ExceptionGroup group("unhandled errors in a TaskGroup", std::move(errors_));
    errors_.clear();
    group.set_context(std::move(pending_cancel));
    co_return std::make_exception_ptr(std::move(group));
  }
  co_return nullptr;
}

}  // namespace loopscope::engine
