// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/intrusivelist.h"
#include "engine/loop.h"
#include "engine/taskbase.h"

#include <coroutine>
#include <cstdint>
#include <string_view>

namespace loopscope::engine {

namespace detail {

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

/// The awaiter of Event::wait, Lock::acquire and Semaphore::acquire. `Prim` supplies
/// try_take() (the fast path, no suspension), on_granted() (what a woken waiter takes when it
/// resumes) and on_abandoned() (a woken waiter was cancelled before it could take its grant:
/// pass it on, asyncio's `except CancelledError` branch), and its AwaitKind and id.
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
  explicit Event(Loop& loop);
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
  explicit Lock(Loop& loop);
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
  explicit Semaphore(int value = 1);
  Semaphore(Loop& loop, int value);
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
  explicit BoundedSemaphore(int value = 1);
  BoundedSemaphore(Loop& loop, int value);
  void release() override;

private:
  int bound_;
};

}  // namespace loopscope::engine
