// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/errors.h"
#include "engine/event.h"
#include "engine/intrusivelist.h"
#include "engine/pool.h"

#include <coroutine>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <source_location>
#include <string>
#include <string_view>

namespace loopscope::engine {

class Loop;
class TaskBase;

namespace detail {
struct PromiseBase;
/// What a delivered CancelledError refers back to: the task (cleared when the task dies, so an
/// error outliving its task — e.g. as the cause of a stored TimeoutError — holds no reference
/// to it) and how many delivered errors (copies included) are alive. Owned jointly by the task
/// and those errors: freed by whichever lets go last (task gone and live == 0).
struct CancelLink : PoolAllocated
{
  explicit CancelLink(TaskBase* t) noexcept : task(t) {}
  TaskBase* task;
  int live = 0;
};

/// A completion subscriber of a task or future: either a waiting task (the node lives in that
/// task's awaiter, inside its coroutine frame) or a heap-owned user callback. Nodes form an
/// intrusive doubly linked list so an awaiter that goes away can unlink itself in O(1).
struct DoneNode
{
  using FireFn = void (*)(DoneNode*);
  DoneNode* prev = nullptr;
  DoneNode* next = nullptr;
  FireFn fire = nullptr;
  /// Frees a heap-owned node that will never fire (its task/future went away). Null for nodes
  /// embedded in awaiters, which unlink themselves.
  FireFn drop = nullptr;
  /// For a node embedded in a task's awaiter: that task (diagnostics name it); else null.
  TaskBase* task = nullptr;
  bool linked = false;
};

class DoneList : public IntrusiveList<DoneNode>
{
public:
  /// Unlinks every node and calls its fire(), in registration order. A fire() may destroy its
  /// node (a heap callback) or register new nodes on the emptied list.
  void fire_all()
  {
    detach_each([](DoneNode* n) { n->fire(n); });
  }
  /// Unlinks every node without firing it; heap-owned nodes are freed.
  void drop_all() noexcept
  {
    detach_each([](DoneNode* n) {
      if (n->drop != nullptr)
        n->drop(n);
    });
  }
};

/// What a suspended task waits on and how to cancel that wait (asyncio's Task._fut_waiter).
/// `cancel` returns true when the wait was cancelled and the task's wake-up will carry the
/// cancellation (or propagate it, when awaiting another task); false when the thing awaited is
/// already complete, so the cancel must be delivered at the next step (_must_cancel).
struct WaitOps
{
  bool (*cancel)(TaskBase& self, void* obj, std::string_view msg);
  /// What the Suspended event and awaiting_detail() report: a deadline, a task or future id.
  std::uint64_t (*detail)(const void* obj) noexcept;
};
struct WaitState
{
  void* obj = nullptr;
  const WaitOps* ops = nullptr;  ///< null: nothing to cancel (not waiting, yielding, or woken)
  bool cancel(TaskBase& t, std::string_view msg) const { return ops->cancel(t, obj, msg); }
  std::uint64_t detail() const noexcept { return ops != nullptr ? ops->detail(obj) : 0; }
};

/// Tasks alive (not yet freed) that were created on this thread: a leak check for tests and
/// long runs. Per thread, so it costs no atomic operation.
inline constinit thread_local std::int64_t t_live_tasks = 0;

/// The task whose step is running on this thread (set by Loop around each step). Constant-
/// initialised so every access is a plain thread-pointer-relative load.
inline constinit thread_local TaskBase* t_current_task = nullptr;
inline TaskBase* current_task() noexcept
{
  return t_current_task;
}
void mark_root_finished(TaskBase* t) noexcept;
}  // namespace detail

enum class TaskState : std::uint8_t {
  Pending,    ///< created; its first step is scheduled but has not run
  Ready,      ///< woken; queued for the loop thread
  Running,    ///< on the loop thread now
  Suspended,  ///< waiting at an await
  Done,       ///< returned a result
  Failed,     ///< raised an exception
  Cancelled   ///< ended by CancelledError
};
std::string_view task_state_name(TaskState s) noexcept;

/// The type-erased part of a task (asyncio.Task). Tasks are created by create_task() and owned by
/// their loop until they finish; Task<T> handles share ownership through an intrusive count.
/// All of it is loop-thread only.
///
/// Protocol: the loop resumes the task's innermost suspended coroutine (one "step"); the step
/// ends when the coroutine chain suspends at an engine awaitable, which has registered how the
/// task will be woken (a timer, a done-callback of a task or future) and how that wait is
/// cancelled (WaitState). A wake-up queues the next step; nothing runs re-entrantly.
class TaskBase
{
public:
  TaskBase(const TaskBase&) = delete;
  TaskBase& operator=(const TaskBase&) = delete;

  std::uint32_t id() const noexcept { return id_; }
  /// Id of the task that was running when this one was created (0 = none).
  std::uint32_t parent_id() const noexcept { return parent_id_; }
  std::string name() const;
  void set_name(std::string name);
  Loop& loop() const noexcept { return *loop_; }
  TaskState state() const noexcept { return state_; }

  bool done() const noexcept { return state_ >= TaskState::Done; }
  bool cancelled() const noexcept { return state_ == TaskState::Cancelled; }
  /// A cancelled task's CancelledError as a value (asyncio's _make_cancelled_error()): the one
  /// it ended with when it has it, else a new CancelledError(cancel_message()).
  std::exception_ptr cancelled_error() const;

  /// asyncio.Task.cancel(msg). Returns false if the task is already done. Otherwise counts the
  /// request (cancelling() + 1) and either cancels what the task is awaiting — a sleep or future
  /// wakes the task with CancelledError(msg); an awaited task is cancelled in turn — or, when the
  /// task is ready/running/not started, makes its next step throw CancelledError(msg) at the await
  /// it resumes from. A task that returns while such a cancel is pending ends cancelled.
  bool cancel(std::string_view msg = {});
  bool cancel(std::string_view msg, CancelSource source);
  /// Number of cancel requests not yet withdrawn by uncancel().
  int cancelling() const noexcept { return num_cancels_requested_; }
  /// Withdraws one cancel request; when none remain, an undelivered cancel is dropped too
  /// (CPython 3.13 semantics). Returns the remaining count.
  int uncancel();

  /// The failure of a finished task: null for a result. Throws CancelledError if the task was
  /// cancelled and InvalidStateError if it is not done (asyncio.Task.exception()).
  std::exception_ptr exception() const;
  /// The exception a failed task ended with (null otherwise); unlike exception(), no checks and
  /// no copy.
  const std::exception_ptr& failure() const noexcept;
  /// Someone looked at the failure (result(), exception(), an await): a failed task freed
  /// without this is reported as "Task exception was never retrieved".
  void mark_retrieved() const noexcept
  {
    if (extras_)
      extras_->retrieved = true;
  }
  /// Message of the CancelledError that ended the task (empty if none).
  const std::string& cancel_message() const noexcept;

  /// Called via call_soon when the task finishes (immediately scheduled if it already has).
  void add_done_callback(std::function<void(TaskBase&)> fn);

  std::source_location created_at() const noexcept { return created_; }
  /// The await the task is suspended at (or last suspended at).
  std::source_location await_site() const noexcept;
  AwaitKind awaiting() const noexcept { return wait_kind_; }
  /// While suspended: the sleep deadline, or the id of the awaited task or future.
  std::uint64_t awaiting_detail() const noexcept { return wait_.detail(); }
  /// How many delivered CancelledErrors this task caught without re-raising.
  int swallowed_count() const noexcept { return extras_ ? extras_->swallowed : 0; }
  std::uint32_t steps() const noexcept { return steps_; }

  void retain() noexcept { ++refs_; }
  void release() noexcept
  {
    if (--refs_ == 0)
      delete this;
  }
  // Tasks come from the engine's small-object pool (see pool.h); the virtual destructor makes
  // `delete` pass the dynamic type's size.
  static void* operator new(std::size_t size);
  static void operator delete(void* p, std::size_t size) noexcept;

  // ---- used by awaitables (engine internals) ----
  /// The awaitable about to suspend this task records where it will be resumed.
  void note_suspend(std::coroutine_handle<> resume_at) noexcept { resume_ = resume_at; }
  void set_wait(AwaitKind kind, void* obj, const detail::WaitOps* ops) noexcept
  {
    wait_ = detail::WaitState{obj, ops};
    wait_kind_ = kind;
  }
  /// The wake-up that ends the current wait is itself a cancellation (a cancelled sleep): the
  /// resumed await throws CancelledError(msg).
  void mark_wake_delivers_cancel(std::string_view msg);
  /// The awaited task/future ended cancelled, so the resumed await throws on its own; a cancel
  /// requested meanwhile must not be delivered a second time.
  void mark_wake_is_cancellation() noexcept { wake_cancelled_ = true; }
  /// Called by every engine await_resume: throws CancelledError if this step must deliver one.
  /// The throw is inline so it starts in the coroutine's own frame: every frame the unwinder
  /// walks costs time, and a C++ throw is already about a microsecond.
  void check_cancel_on_resume()
  {
    if (deliver_cancel_)
      throw take_delivery();
  }
  /// Throws a fresh CancelledError(msg) bound to this task (for swallow detection) and records
  /// its delivery at the current await site.
  /// `via`/`from`: the awaited task or future it comes through (CancelDelivered.a8/detail).
  [[noreturn]] void throw_cancelled(std::string msg, CancelVia via = CancelVia::Direct,
                                    std::uint32_t from = 0)
  {
    throw make_cancelled(std::move(msg), via, from);
  }
  /// The CancelledError for throw_cancelled(): bound to this task, delivery recorded.
  CancelledError make_cancelled(std::string msg, CancelVia via, std::uint32_t from);
  /// The innermost coroutine frame (for await chains).
  detail::PromiseBase* innermost_frame() const noexcept { return frame_; }
  void set_innermost_frame(detail::PromiseBase* p) noexcept { frame_ = p; }
  /// Called when no CancelledError delivered to this task is alive any more.
  void on_cancel_error_released() noexcept;
  detail::DoneList& done_list() noexcept { return done_list_; }

protected:
  TaskBase(Loop& loop, std::string name, std::source_location created);
  virtual ~TaskBase();
  /// The root coroutine has finished: move its result or exception out of the frame.
  virtual std::exception_ptr take_root_outcome() = 0;
  /// Destroy the root coroutine frame (and with it every nested frame).
  virtual void destroy_frames() noexcept = 0;
  virtual std::coroutine_handle<> root_handle() noexcept = 0;

private:
  friend class Loop;
  friend struct detail::PromiseBase;
  friend void detail::mark_root_finished(TaskBase* t) noexcept;
  CancelledError take_delivery();
  void emit_cancel_request(CancelSource source, std::string_view msg);

  Loop* loop_;
  std::coroutine_handle<> resume_{};
  detail::PromiseBase* frame_ = nullptr;  // innermost suspended frame; its `site` is the await
  std::source_location created_;
  detail::WaitState wait_{};
  detail::DoneList done_list_;
  void set_cancel_message(std::string_view msg);

  // Rarely needed, so kept out of line: most tasks have none of these. From the engine's pool: a
  // cancel storm gives every task one (see W4).
  struct Extras : detail::PoolAllocated
  {
    std::string name;
    std::string cancel_msg;
    std::exception_ptr exception;  // the failure of a task that ended with one
    /// Shared with the CancelledErrors delivered to this task (see errors.h, CancelLink).
    detail::CancelLink* cancel_link = nullptr;
    /// The CancelledError the task ended with (kept for gather(return_exceptions) and
    /// wait(): handing it out costs no new exception).
    std::exception_ptr cancelled_error;
    std::uint32_t delivered_site = 0;  // site id of the last CancelledError delivery
    int swallowed = 0;
    bool named = false;
    bool retrieved = false;  // result()/exception() saw the failure (else: reported when freed)
  };
  Extras& extras();
  std::unique_ptr<Extras> extras_;
  std::uint32_t steps_ = 0;
  std::uint32_t id_ = 0;
  std::uint32_t parent_id_ = 0;
  std::uint32_t reg_index_ = 0;  // position in the loop's list of pending tasks
  int refs_ = 0;
  int num_cancels_requested_ = 0;
  TaskState state_ = TaskState::Pending;
  AwaitKind wait_kind_ = AwaitKind::None;
  bool must_cancel_ = false;      // asyncio _must_cancel: deliver at the next step
  bool deliver_cancel_ = false;   // this step throws CancelledError at its resumed await
  bool wake_cancelled_ = false;   // the wake-up itself carries a cancellation
  bool root_finished_ = false;    // the root coroutine reached final_suspend
  bool swallow_suspect_ = false;  // a delivered CancelledError died during this step
  bool in_ready_ = false;
};

/// Intrusive shared ownership of a task.
template <class T>
class TaskRef
{
public:
  TaskRef() = default;
  explicit TaskRef(T* p) noexcept : p_(p)
  {
    if (p_)
      p_->retain();
  }
  TaskRef(const TaskRef& o) noexcept : TaskRef(o.p_) {}
  TaskRef(TaskRef&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  TaskRef& operator=(TaskRef o) noexcept
  {
    std::swap(p_, o.p_);
    return *this;
  }
  ~TaskRef()
  {
    if (p_)
      p_->release();
  }
  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

private:
  T* p_ = nullptr;
};

}  // namespace loopscope::engine
