// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/completion.h"
#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/exceptiongroup.h"
#include "engine/loop.h"
#include "engine/task.h"

#include <cstddef>
#include <exception>
#include <functional>
#include <list>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace loopscope::engine {

/// asyncio.TaskGroup (CPython 3.13 taskgroups.py). C++ has no `async with` and a destructor
/// cannot co_await, so the group runs its body, like Timeout::run:
///
///     co_await task_group([&](TaskGroup& tg) -> Coro<void> {
///       tg.create_task(fetch(1));
///       tg.create_task(fetch(2));
///       co_await sleep(1s);
///     });                                   // returns when every child is done
///
///     TaskGroup tg;                          // or with a group object of your own
///     int n = co_await tg.run(body(tg));    // body: a Coro, or a callable taking TaskGroup& / ()
///
/// The body runs inline in the awaiting task (the "parent"), which is what a failure cancels.
///
/// Protocol:
///  * A child that fails (anything but CancelledError) cancels every other unfinished child and,
///    once, the parent task, so the body is interrupted at its current await (CancelledError).
///    The group remembers that it cancelled the parent.
///  * When the body ends (returns or raises), the group waits for every child. If the body raised
///    anything, the unfinished children are cancelled first. If the parent is cancelled from
///    outside while the group waits, the children are cancelled and still awaited.
///  * Then: if the group cancelled the parent, it calls uncancel() once; if that brings
///    cancelling() to 0, the CancelledError it caused is dropped. KeyboardInterrupt or SystemExit
///    (from a child or the body) is re-raised as itself. A CancelledError from outside propagates
///    unless there are errors. Otherwise the failures (children's, in the order they happened,
///    then the body's) are raised as ExceptionGroup("unhandled errors in a TaskGroup", ...),
///    nested groups kept as they are; if an outside cancel is still pending, the parent is
///    uncancelled and cancelled again so the count stays (its next await raises).
///  * create_task() raises RuntimeError before the group is entered, once it is shutting down
///    (a failure or a raising body started the abort), and after it finished.
///
/// The parent waits on the group's exit future (AwaitKind::Future, ObjectCreated label
/// "TaskGroup exit"). One deviation from 3.13: the parent is uncancelled before a
/// KeyboardInterrupt/SystemExit is re-raised (3.12 order), so its cancelling() is back to 0.
class TaskGroup
{
public:
  TaskGroup() = default;
  /// A group destroyed with children still linked (its frame torn down with the loop) unlinks
  /// from them; the children keep running.
  ~TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  /// Schedules `coro` as a child task (its parent id is the task running now). Throws
  /// RuntimeError if the group is not entered, is shutting down or has finished; the coroutine
  /// is then destroyed without running (Python closes it).
  template <class T>
  Task<T> create_task(Coro<T> coro, std::string name = {},
                      std::source_location loc = std::source_location::current())
  {
    check_can_create();
    Task<T> t = loop_->create_task(std::move(coro), std::move(name), loc);
    track(t.base());
    return t;
  }

  /// Enters the group in the awaiting task, runs `body` in it, and exits as described above.
  /// `body` is a Coro<R>, or a callable taking `TaskGroup&` (or nothing) and returning one; the
  /// result is the body's. The group object and a callable body must outlive the co_await (a
  /// temporary in the co_await expression does).
  template <class Body>
  auto run(Body&& body)
  {
    return run_coro(make_body(body, *this));
  }

  bool entered() const noexcept { return entered_; }
  /// The abort started: children (and maybe the parent) were cancelled; create_task refuses.
  bool shutting_down() const noexcept { return aborting_; }
  /// Children not yet done.
  std::size_t size() const noexcept { return children_.size(); }
  /// Python's repr: "<TaskGroup tasks=2 errors=1 cancelling>".
  std::string repr() const;

  /// For embedders that have no coroutine body to hand over (the script interpreter's
  /// `async with TaskGroup()`): __aenter__ in the running task, and __aexit__ with what the body
  /// raised (null: nothing); the result is what the group raises (null: nothing).
  void enter_scope() { enter(); }
  Coro<std::exception_ptr> exit_scope(std::exception_ptr body_error)
  {
    return exit(std::move(body_error));
  }

  template <class Body>
  static auto make_body(Body& body, TaskGroup& tg)
  {
    if constexpr (std::is_invocable_v<Body&, TaskGroup&>)
      return std::invoke(body, tg);
    else if constexpr (std::is_invocable_v<Body&>)
      return std::invoke(body);
    else
      return std::move(body);
  }

private:
  struct Child : detail::DoneNode
  {
    TaskGroup* group = nullptr;
    TaskRef<TaskBase> child;
    std::list<Child>::iterator self;
    Handle pending;  // the scheduled child_done() call, once the child is done
  };

  void check_can_create() const;
  void track(TaskBase& t);
  void enter();
  void abort();
  /// The child's done node: schedules child_done() with call_soon, as asyncio's
  /// add_done_callback does (another child finishing in the same iteration still runs first).
  static void on_child_done(detail::DoneNode* n);
  void child_done(Child* c);
  /// __aexit__: waits for the children; returns what the group raises (null: nothing).
  Coro<std::exception_ptr> exit(std::exception_ptr body_error);
  template <class R>
  Coro<R> run_coro(Coro<R> body);

  Loop* loop_ = nullptr;
  TaskBase* parent_ = nullptr;
  std::list<Child> children_;
  std::vector<std::exception_ptr> errors_;
  std::exception_ptr base_error_;
  detail::CompletionRef<detail::Completion> on_completed_;
  bool entered_ = false;
  bool exiting_ = false;
  bool aborting_ = false;
  bool parent_cancel_requested_ = false;
};

template <class R>
Coro<R> TaskGroup::run_coro(Coro<R> body)
{
  enter();
  // The body's outcome is taken without a rethrow; exit() decides what propagates.
  detail::Outcome<R> out = co_await detail::capture(std::move(body));
  std::exception_ptr raised = co_await exit(std::move(out.error));
  if (raised)
    co_await detail::raise(std::move(raised));
  if constexpr (!std::is_void_v<R>)
    co_return std::move(*out.value);
}

/// The body's coroutine type for task_group().
template <class Body>
using task_group_coro_t =
    decltype(TaskGroup::make_body(std::declval<Body&>(), std::declval<TaskGroup&>()));

/// `co_await task_group(body)`: a TaskGroup living in this coroutine's frame, running `body` (a
/// callable taking TaskGroup&, or nothing, and returning a Coro). The callable is moved into the
/// frame, so a lambda temporary is fine — but mind a GCC 12 bug: a lambda temporary that captures
/// a std::string (or anything self-referential) *by value*, written inside a co_await expression
/// of a coroutine, is relocated bitwise and crashes when destroyed. Capture by reference (the
/// awaiting frame outlives the group) or name the lambda before the co_await.
template <class Body>
Coro<typename task_group_coro_t<Body>::value_type> task_group(Body body)
{
  TaskGroup tg;
  co_return co_await tg.run(body);
}

}  // namespace loopscope::engine
