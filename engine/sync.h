// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/coro.h"
#include "engine/intrusivelist.h"
#include "engine/loop.h"
#include "engine/taskbase.h"

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace loopscope::engine {

// Names. Every primitive takes an optional `name` as its last constructor argument and gets its id
// from Loop::register_object, so the trace names what a task awaits: a Queue named "jobs" is
// announced (ObjectCreated) as "Queue jobs". An unnamed one is announced with an empty label,
// which views show as "<kind> #<id>".

namespace detail {

/// An id for a primitive of type `type` ("Lock", "Queue", ...), announced with the label
/// "<type> <name>" (empty when `name` is). The label is built only while tracing is on.
std::uint32_t register_primitive(Loop& loop, AwaitKind kind, std::string_view type,
                                 std::string_view name);

/// A task waiting on a primitive. The node lives in the waiting task's awaiter (in its coroutine
/// frame), so a wait allocates nothing. Nodes queue FIFO in a WaitQueue.
struct Waiter
{
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  TaskBase* task = nullptr;
  bool linked = false;
  bool woken = false;     ///< granted (asyncio: the waiter's future has its result)
  bool orphaned = false;  ///< the primitive was destroyed first (e.g. the loop is being torn down)
};

/// FIFO of waiters. Like the deque of futures in asyncio's primitives, a woken waiter stays
/// queued until its task runs, so newcomers cannot overtake it (FIFO fairness).
class WaitQueue : public IntrusiveList<Waiter>
{
public:
  WaitQueue() = default;
  /// Orphans the waiters left: their awaiters, destroyed later, must not touch the primitive.
  ~WaitQueue()
  {
    detach_each([](Waiter* w) { w->orphaned = true; });
  }
  /// True if some queued waiter is not yet woken (asyncio: a waiter that is not done).
  bool has_unwoken() const noexcept;
  /// Wakes the first waiter not yet woken; false if there is none.
  bool wake_first();
  /// Wakes every waiter not yet woken.
  void wake_all();
};

/// The awaiter of Event::wait, Lock::acquire, Semaphore::acquire, Condition's notification wait
/// and the Queue waits. `Prim` supplies try_take() (the fast path, no suspension), on_granted()
/// (what a woken waiter takes when it resumes), on_abandoned() (a woken waiter was cancelled
/// before it could take its grant: pass it on, asyncio's `except CancelledError` branch),
/// on_cancelled_waiting() (cancelled before being woken), its `queue_`, AwaitKind and id.
template <class Prim>
struct PrimitiveAwaiter
{
  using is_engine_awaiter = void;
  Prim* prim;
  Waiter node{};
  bool taken = false;

  explicit PrimitiveAwaiter(Prim* p) noexcept : prim(p) {}
  PrimitiveAwaiter(PrimitiveAwaiter&& o) noexcept : prim(o.prim) {}
  ~PrimitiveAwaiter()
  {
    // Also runs when a CancelledError unwinds the wait (the resumed await throws before
    // await_resume): asyncio's `except CancelledError` branch. A granted but untaken wake-up goes
    // to the next waiter.
    if (node.orphaned)
      return;
    if (node.linked)
      prim->queue_.remove(&node);
    if (node.task != nullptr && !taken) {
      if (node.woken)
        prim->on_abandoned();
      else
        prim->on_cancelled_waiting();
    }
  }
  bool await_ready()
  {
    taken = prim->try_take();
    return taken;
  }
  void await_suspend(std::coroutine_handle<>)
  {
    node.task = current_task();
    prim->queue_.push_back(&node);
    static constexpr WaitOps ops{
        &PrimitiveAwaiter::on_cancel, [](const void* obj) noexcept {
          return std::uint64_t{static_cast<const PrimitiveAwaiter*>(obj)->prim->id()};
        }};
    node.task->set_wait(Prim::kAwaitKind, this, &ops);
  }
  void await_resume()
  {
    if (node.linked)
      prim->queue_.remove(&node);
    if (!taken) {
      prim->on_granted();
      taken = true;
    }
  }
  static bool on_cancel(TaskBase& t, void* obj, std::string_view msg)
  {
    auto* self = static_cast<PrimitiveAwaiter*>(obj);
    // Still waiting (not granted): leave the queue and wake with CancelledError. A granted waiter
    // is already queued to run (its wait is no longer cancellable): the loop delivers the cancel
    // at its step, and the destructor passes the grant on.
    self->prim->queue_.remove(&self->node);
    t.mark_wake_delivers_cancel(msg);
    t.loop().schedule_step(&t);
    return true;
  }
};

}  // namespace detail

/// asyncio.Event. `co_await ev.wait()` suspends until set() (returns at once if already set).
class Event
{
public:
  static constexpr AwaitKind kAwaitKind = AwaitKind::Event;
  /// An event of the running loop (ids come from it).
  Event();
  explicit Event(std::string_view name);
  explicit Event(Loop& loop, std::string_view name = {});
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  bool is_set() const noexcept { return set_; }
  /// Wakes every waiter (each resumes on a later iteration, FIFO).
  void set();
  void clear() noexcept { set_ = false; }
  detail::PrimitiveAwaiter<Event> wait() { return detail::PrimitiveAwaiter<Event>(this); }
  std::uint32_t id() const noexcept { return id_; }

private:
  friend struct detail::PrimitiveAwaiter<Event>;
  bool try_take() const noexcept { return set_; }
  void on_granted() noexcept {}
  void on_abandoned() noexcept {}
  void on_cancelled_waiting() noexcept {}
  detail::WaitQueue queue_;
  std::uint32_t id_;
  bool set_ = false;
};

/// asyncio.Lock (3.12): FIFO-fair, cancellation-safe. `co_await lock.acquire();` then
/// `lock.release();`, or `auto guard = co_await lock.scoped();` to release at scope exit.
class Lock
{
public:
  static constexpr AwaitKind kAwaitKind = AwaitKind::Lock;
  Lock();
  explicit Lock(std::string_view name);
  explicit Lock(Loop& loop, std::string_view name = {});
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  bool locked() const noexcept { return locked_; }
  /// Suspends until the lock is ours. A newcomer does not overtake queued (or woken) waiters.
  detail::PrimitiveAwaiter<Lock> acquire() { return detail::PrimitiveAwaiter<Lock>(this); }
  /// RuntimeError if not locked. Wakes the first waiter, which takes the lock when it runs.
  void release();
  std::uint32_t id() const noexcept { return id_; }

private:
  friend struct detail::PrimitiveAwaiter<Lock>;
  bool try_take() noexcept;
  void on_granted() noexcept { locked_ = true; }
  void on_abandoned();
  void on_cancelled_waiting() { on_abandoned(); }
  detail::WaitQueue queue_;
  std::uint32_t id_;
  bool locked_ = false;
};

/// asyncio.Semaphore (3.12 algorithm: value is reserved for a waiter when it is woken).
class Semaphore
{
public:
  static constexpr AwaitKind kAwaitKind = AwaitKind::Semaphore;
  /// std::invalid_argument if value < 0.
  explicit Semaphore(int value = 1, std::string_view name = {});
  explicit Semaphore(Loop& loop, int value = 1, std::string_view name = {});
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;
  virtual ~Semaphore() = default;

  /// No permit can be taken without waiting.
  bool locked() const noexcept { return value_ == 0 || queue_.has_unwoken(); }
  int value() const noexcept { return value_; }
  detail::PrimitiveAwaiter<Semaphore> acquire()
  {
    return detail::PrimitiveAwaiter<Semaphore>(this);
  }
  virtual void release();
  std::uint32_t id() const noexcept { return id_; }

protected:
  /// For BoundedSemaphore: `type` is the name its label starts with.
  Semaphore(Loop& loop, int value, std::string_view type, std::string_view name);
  int value_;

private:
  friend struct detail::PrimitiveAwaiter<Semaphore>;
  bool try_take() noexcept;
  void on_granted();
  void on_abandoned();
  void on_cancelled_waiting();
  bool wake_next();
  void wake_while_available();
  detail::WaitQueue queue_;
  std::uint32_t id_;
};

/// asyncio.BoundedSemaphore: release() beyond the initial value raises ValueError
/// (std::invalid_argument here).
class BoundedSemaphore final : public Semaphore
{
public:
  explicit BoundedSemaphore(int value = 1, std::string_view name = {});
  explicit BoundedSemaphore(Loop& loop, int value = 1, std::string_view name = {});
  void release() override;

private:
  int bound_;
};

/// asyncio.Condition (3.13 locks.py). Built on a Lock: its own, or one shared with other
/// conditions or code (which must outlive it).
///
/// Protocol. With the lock held, `co_await cv.wait()` releases the lock, suspends until a
/// notify() picks this waiter, then re-acquires the lock before returning: the caller holds the
/// lock again whatever happened. If the wait is cancelled (while waiting for the notification,
/// or while re-acquiring the lock), the lock is still re-acquired first and only then is the
/// CancelledError re-raised (the most recent one, if the re-acquire was cancelled too). Any
/// exception leaving wait() also passes one notification on to the next waiter (3.13,
/// gh-112202): a notified waiter that is cancelled before it runs does not swallow the wake-up,
/// at the price of a spurious wake-up when the cancelled waiter had not been notified.
/// notify(n) wakes the first n waiters not yet woken, FIFO; each runs once it has the lock.
/// wait(), notify() and notify_all() throw RuntimeError when the lock is not held (asyncio
/// only checks that it is locked, not by whom).
class Condition
{
public:
  static constexpr AwaitKind kAwaitKind = AwaitKind::Condition;
  /// A condition of the running loop with its own lock (named like the condition).
  Condition();
  explicit Condition(std::string_view name);
  explicit Condition(Loop& loop, std::string_view name = {});
  /// A condition on `lock`.
  explicit Condition(Lock& lock, std::string_view name = {});
  Condition(Loop& loop, Lock& lock, std::string_view name = {});
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;

  bool locked() const noexcept { return lock_->locked(); }
  /// The lock's acquire (a wait on it is a Lock wait, named after the lock).
  detail::PrimitiveAwaiter<Lock> acquire() { return lock_->acquire(); }
  void release() { lock_->release(); }
  Lock& lock() noexcept { return *lock_; }

  /// Waits for a notification (see the protocol above). asyncio's wait() returns True; this
  /// returns nothing.
  Coro<void> wait();
  /// asyncio.Condition.wait_for: evaluates `predicate` (with the lock held) and, while it is
  /// falsy, waits and evaluates it again. Returns the last value of the predicate.
  template <class Predicate>
  Coro<std::decay_t<std::invoke_result_t<Predicate&>>> wait_for(Predicate predicate);
  /// Wakes up to n waiters not yet woken, in arrival order. RuntimeError without the lock.
  void notify(std::size_t n = 1);
  /// Wakes every waiter. RuntimeError without the lock.
  void notify_all();
  std::uint32_t id() const noexcept { return id_; }

private:
  friend struct detail::PrimitiveAwaiter<Condition>;
  // The notification wait: always suspends; what happens after a cancellation is wait()'s job.
  bool try_take() const noexcept { return false; }
  void on_granted() noexcept {}
  void on_abandoned() noexcept {}
  void on_cancelled_waiting() noexcept {}
  void wake(std::size_t n);

  std::optional<Lock> own_lock_;
  Lock* lock_;
  detail::WaitQueue queue_;
  std::uint32_t id_;
};

template <class Predicate>
Coro<std::decay_t<std::invoke_result_t<Predicate&>>> Condition::wait_for(Predicate predicate)
{
  auto result = predicate();
  while (!result) {
    co_await wait();
    result = predicate();
  }
  co_return result;
}

}  // namespace loopscope::engine
