// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// asyncio.Queue, PriorityQueue and LifoQueue (CPython 3.13 queues.py, shutdown included).

#include "engine/coro.h"
#include "engine/loop.h"
#include "engine/sync.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace loopscope::engine {

/// asyncio.QueueEmpty: get_nowait() on an empty queue. An ordinary error.
class QueueEmpty : public std::runtime_error
{
public:
  QueueEmpty() : std::runtime_error("QueueEmpty") {}
};

/// asyncio.QueueFull: put_nowait() on a full queue. An ordinary error.
class QueueFull : public std::runtime_error
{
public:
  QueueFull() : std::runtime_error("QueueFull") {}
};

/// asyncio.QueueShutDown: put on a queue that was shut down, or get on one that was shut down
/// and is empty. An ordinary error.
class QueueShutDown : public std::runtime_error
{
public:
  QueueShutDown() : std::runtime_error("QueueShutDown") {}
};

namespace detail {

class QueueBase;

/// One line of waiting tasks of a queue (its getters, putters or joiners): the `Prim` of their
/// PrimitiveAwaiter, so queue waits share the wait/cancel machinery of the other primitives.
///
/// asyncio pops a getter/putter future from its deque as it wakes it; here a woken waiter stays
/// queued (flagged woken) until its task runs, which every operation treats the same way: only
/// waiters not yet woken are ever woken, and a woken waiter that finds the queue empty (full)
/// again when it runs waits again at the back of the line, as in asyncio.
class QueueWaiters
{
public:
  static constexpr AwaitKind kAwaitKind = AwaitKind::Queue;
  enum class Role : std::uint8_t { Getters, Putters, Joiners };

  QueueWaiters(QueueBase& owner, Role role) noexcept : owner_(&owner), role_(role) {}
  QueueWaiters(const QueueWaiters&) = delete;
  QueueWaiters& operator=(const QueueWaiters&) = delete;
  /// The queue's id (what the Suspended event of every queue wait reports).
  std::uint32_t id() const noexcept;

private:
  friend struct PrimitiveAwaiter<QueueWaiters>;
  friend class QueueBase;
  /// Joiners pass when no task is unfinished; getters and putters only await after checking.
  bool try_take() const noexcept;
  void on_granted() noexcept {}
  /// A woken getter (putter) was cancelled before it ran: asyncio's `except` branch in get()
  /// (put()) wakes the next one if an item (a slot) is still there.
  void on_abandoned();
  /// Cancelled before being woken: nothing was granted, nothing to pass on.
  void on_cancelled_waiting() noexcept {}

  QueueBase* owner_;
  Role role_;
  WaitQueue queue_;
};

/// The part of a queue that does not depend on the item type: counters, shutdown and waiters.
class QueueBase
{
public:
  static constexpr AwaitKind kAwaitKind = AwaitKind::Queue;
  QueueBase(const QueueBase&) = delete;
  QueueBase& operator=(const QueueBase&) = delete;
  virtual ~QueueBase() = default;

  /// Number of items in the queue.
  std::size_t qsize() const noexcept { return item_count(); }
  /// The bound given at construction; <= 0 means unbounded.
  int maxsize() const noexcept { return maxsize_; }
  bool empty() const noexcept { return item_count() == 0; }
  /// True when maxsize > 0 and qsize() >= maxsize.
  bool full() const noexcept
  {
    return maxsize_ > 0 && item_count() >= static_cast<std::size_t>(maxsize_);
  }

  /// Items put and not yet marked done with task_done().
  std::size_t unfinished_tasks() const noexcept { return unfinished_; }
  /// Marks one item as processed. std::invalid_argument (asyncio: ValueError) if called more
  /// times than items were put. When the count reaches 0 every join() waiter is woken.
  void task_done();
  /// `co_await q.join()` suspends until unfinished_tasks() is 0 (at once if it is). A waiter
  /// woken by the count reaching 0 returns even if items were put again before it ran.
  PrimitiveAwaiter<QueueWaiters> join() { return PrimitiveAwaiter<QueueWaiters>(&joiners_); }

  /// asyncio 3.13 Queue.shutdown. From now on put() and put_nowait() throw QueueShutDown, and
  /// get() / get_nowait() throw it once the queue is empty. With `immediate`, the items left are
  /// discarded and unfinished_tasks() goes down by their number (not below 0); if it reaches 0,
  /// join() waiters are woken. Then every blocked getter and putter is woken to re-check: a
  /// putter throws QueueShutDown, a getter takes an item if one is left, else throws.
  void shutdown(bool immediate = false);
  bool is_shutdown() const noexcept { return shutdown_; }

  std::uint32_t id() const noexcept { return id_; }

protected:
  /// `type` starts the label: "Queue", "PriorityQueue", "LifoQueue".
  QueueBase(Loop& loop, int maxsize, std::string_view type, std::string_view name);

  virtual std::size_t item_count() const noexcept = 0;
  virtual void discard_items() noexcept = 0;

  /// put_nowait's checks: QueueShutDown, then QueueFull.
  void check_put() const;
  /// After an item went in: counts it unfinished and wakes the first getter.
  void item_added();
  /// get_nowait's check: QueueShutDown if empty and shut down, QueueEmpty if empty.
  void check_get() const;
  /// After an item came out: wakes the first putter.
  void item_removed() { putters_.queue_.wake_first(); }

  PrimitiveAwaiter<QueueWaiters> wait_for_item()
  {
    return PrimitiveAwaiter<QueueWaiters>(&getters_);
  }
  PrimitiveAwaiter<QueueWaiters> wait_for_slot()
  {
    return PrimitiveAwaiter<QueueWaiters>(&putters_);
  }

private:
  friend class QueueWaiters;
  int maxsize_;
  std::size_t unfinished_ = 0;
  std::uint32_t id_;
  bool shutdown_ = false;
  QueueWaiters getters_{*this, QueueWaiters::Role::Getters};
  QueueWaiters putters_{*this, QueueWaiters::Role::Putters};
  QueueWaiters joiners_{*this, QueueWaiters::Role::Joiners};
};

/// Storage of asyncio.Queue: FIFO.
template <class T>
struct FifoItems
{
  static constexpr std::string_view kType = "Queue";
  std::deque<T> items;
  std::size_t size() const noexcept { return items.size(); }
  void clear() noexcept { items.clear(); }
  void push(T&& v) { items.push_back(std::move(v)); }
  T pop()
  {
    T v = std::move(items.front());
    items.pop_front();
    return v;
  }
};

/// Storage of asyncio.LifoQueue: last in, first out.
template <class T>
struct LifoItems
{
  static constexpr std::string_view kType = "LifoQueue";
  std::vector<T> items;
  std::size_t size() const noexcept { return items.size(); }
  void clear() noexcept { items.clear(); }
  void push(T&& v) { items.push_back(std::move(v)); }
  T pop()
  {
    T v = std::move(items.back());
    items.pop_back();
    return v;
  }
};

/// Storage of asyncio.PriorityQueue: a binary min-heap kept with the same sift steps as Python's
/// heapq, so items that compare equal come out in the same order as in CPython.
template <class T, class Compare>
struct HeapItems
{
  static constexpr std::string_view kType = "PriorityQueue";
  std::vector<T> items;
  Compare less;
  std::size_t size() const noexcept { return items.size(); }
  void clear() noexcept { items.clear(); }
  void push(T&& v)
  {
    items.push_back(std::move(v));
    sift_towards_root(0, items.size() - 1);
  }
  T pop()
  {
    T last = std::move(items.back());
    items.pop_back();
    if (items.empty())
      return last;
    T top = std::move(items.front());
    items.front() = std::move(last);
    sift_to_leaf(0);
    return top;
  }

private:
  // heapq's _siftdown: the item at `pos` moves up while it is smaller than its parent (never
  // above `start`).
  void sift_towards_root(std::size_t start, std::size_t pos)
  {
    T item = std::move(items[pos]);
    while (pos > start) {
      const std::size_t parent = (pos - 1) / 2;
      if (!less(item, items[parent]))
        break;
      items[pos] = std::move(items[parent]);
      pos = parent;
    }
    items[pos] = std::move(item);
  }
  // heapq's _siftup: the smaller child moves up until the hole at `pos` reaches a leaf, then the
  // item is put there and moved up into place (fewer comparisons than stopping early).
  void sift_to_leaf(std::size_t pos)
  {
    const std::size_t end = items.size();
    const std::size_t start = pos;
    T item = std::move(items[pos]);
    std::size_t child = 2 * pos + 1;
    while (child < end) {
      const std::size_t right = child + 1;
      if (right < end && !less(items[child], items[right]))
        child = right;
      items[pos] = std::move(items[child]);
      pos = child;
      child = 2 * pos + 1;
    }
    items[pos] = std::move(item);
    sift_towards_root(start, pos);
  }
};

/// The queue operations over a storage `Items` (FifoItems, LifoItems, HeapItems).
template <class T, class Items>
class BasicQueue : public QueueBase
{
public:
  using value_type = T;

  /// Waits while the queue is full, then adds `item`. QueueShutDown if the queue is (or, while
  /// this waits, gets) shut down. Cancellation-safe: a putter woken for a free slot and
  /// cancelled before it ran passes the wake-up to the next putter.
  Coro<void> put(T item);
  /// Adds `item` now. QueueShutDown after shutdown(), QueueFull if full. Wakes the first getter.
  void put_nowait(T item);
  /// Waits while the queue is empty, then removes and returns an item. QueueShutDown if the
  /// queue is shut down and empty. Cancellation-safe: a getter woken for an item and cancelled
  /// before it ran passes the wake-up to the next getter, so no item is left unclaimed.
  Coro<T> get();
  /// Removes and returns an item now. QueueShutDown if empty after shutdown(), QueueEmpty if
  /// empty. Wakes the first putter.
  T get_nowait();

protected:
  BasicQueue(Loop& loop, int maxsize, std::string_view name, Items items = Items{})
      : QueueBase(loop, maxsize, Items::kType, name)
      , items_(std::move(items))
  {}

private:
  std::size_t item_count() const noexcept final { return items_.size(); }
  void discard_items() noexcept final { items_.clear(); }
  Items items_;
};

template <class T, class Items>
Coro<void> BasicQueue<T, Items>::put(T item)
{
  while (full()) {
    if (is_shutdown())
      throw QueueShutDown();
    co_await wait_for_slot();
  }
  put_nowait(std::move(item));
}

template <class T, class Items>
void BasicQueue<T, Items>::put_nowait(T item)
{
  check_put();
  items_.push(std::move(item));
  item_added();
}

template <class T, class Items>
Coro<T> BasicQueue<T, Items>::get()
{
  while (empty()) {
    if (is_shutdown())
      throw QueueShutDown();
    co_await wait_for_item();
  }
  co_return get_nowait();
}

template <class T, class Items>
T BasicQueue<T, Items>::get_nowait()
{
  check_get();
  T item = items_.pop();
  item_removed();
  return item;
}

}  // namespace detail

/// asyncio.Queue: first in, first out. `maxsize` <= 0 means unbounded. Waits are AwaitKind::Queue
/// with the queue's id; `name` labels it in the trace ("Queue jobs").
///
///     Queue<int> jobs(loop, 10, "jobs");
///     co_await jobs.put(1);            // inside a task
///     int job = co_await jobs.get();
///     jobs.task_done();
template <class T>
class Queue : public detail::BasicQueue<T, detail::FifoItems<T>>
{
  using Base = detail::BasicQueue<T, detail::FifoItems<T>>;

public:
  /// A queue of the running loop.
  explicit Queue(int maxsize = 0, std::string_view name = {})
      : Queue(Loop::running(), maxsize, name)
  {}
  explicit Queue(Loop& loop, int maxsize = 0, std::string_view name = {})
      : Base(loop, maxsize, name)
  {}
};

/// asyncio.LifoQueue: the most recently added item comes out first.
template <class T>
class LifoQueue : public detail::BasicQueue<T, detail::LifoItems<T>>
{
  using Base = detail::BasicQueue<T, detail::LifoItems<T>>;

public:
  explicit LifoQueue(int maxsize = 0, std::string_view name = {})
      : LifoQueue(Loop::running(), maxsize, name)
  {}
  explicit LifoQueue(Loop& loop, int maxsize = 0, std::string_view name = {})
      : Base(loop, maxsize, name)
  {}
};

/// asyncio.PriorityQueue: the smallest item by `Compare` comes out first (heapq order; items that
/// compare equal come out in the order CPython's heapq gives them, which is not FIFO).
template <class T, class Compare = std::less<T>>
class PriorityQueue : public detail::BasicQueue<T, detail::HeapItems<T, Compare>>
{
  using Base = detail::BasicQueue<T, detail::HeapItems<T, Compare>>;

public:
  explicit PriorityQueue(int maxsize = 0, std::string_view name = {}, Compare less = Compare{})
      : PriorityQueue(Loop::running(), maxsize, name, std::move(less))
  {}
  explicit PriorityQueue(Loop& loop, int maxsize = 0, std::string_view name = {},
                         Compare less = Compare{})
      : Base(loop, maxsize, name, detail::HeapItems<T, Compare>{{}, std::move(less)})
  {}
};

}  // namespace loopscope::engine
