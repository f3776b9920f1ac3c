// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <vector>

namespace loopscope::engine::detail {

/// A timer entry. Nodes are embedded in whatever owns the timer (a sleep awaiter in a coroutine
/// frame, a Timeout scope, a callback handle), so arming a timer allocates nothing. When due, the
/// loop moves the node to the ready queue (like asyncio moves a TimerHandle to _ready) and runs
/// it by `kind` when its turn comes. A node can be cancelled in either place: removed from the
/// heap, or its ready-queue slot cleared. (A kind tag rather than a function pointer: 8 bytes less
/// in every sleeping task's frame.)
struct TimerNode
{
  enum class State : std::uint8_t { Idle, InHeap, InReady };
  enum class Kind : std::uint8_t {
    Callback,  ///< a CallbackHandle (call_soon/call_later/call_at)
    Sleep,     ///< a SleepAwaiter: wake its task
    Timeout,   ///< a Timeout scope: cancel its task
    Io         ///< a persistent fd-watcher callback (add_reader/add_writer): not consumed
  };

  std::int64_t when = 0;  ///< deadline, loop ns
  union
  {
    std::uint64_t seq = 0;    ///< while InHeap: FIFO order among equal deadlines
    std::uint64_t ready_pos;  ///< while InReady: position in the ready queue
  };
  std::uint32_t heap_index = 0;  ///< position in the heap while InHeap
  State state = State::Idle;
  Kind kind = Kind::Callback;
};

/// Binary min-heap of TimerNode* ordered by (when, seq); nodes know their index, so removal is
/// O(log n) and no cancelled entries linger (asyncio keeps them and cleans up lazily).
class TimerHeap
{
public:
  bool empty() const noexcept { return v_.empty(); }
  std::size_t size() const noexcept { return v_.size(); }
  TimerNode* top() const noexcept { return v_.front(); }
  void push(TimerNode* n);
  TimerNode* pop();
  void remove(TimerNode* n);
  /// Unordered access, for shutdown.
  const std::vector<TimerNode*>& nodes() const noexcept { return v_; }
  void clear() noexcept { v_.clear(); }

private:
  static bool less(const TimerNode* a, const TimerNode* b) noexcept
  {
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
  }
  void place(std::size_t i, TimerNode* n) noexcept
  {
    v_[i] = n;
    n->heap_index = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i) noexcept;
  void sift_down(std::size_t i) noexcept;
  std::vector<TimerNode*> v_;
};

inline void TimerHeap::push(TimerNode* n)
{
  v_.push_back(n);
  n->state = TimerNode::State::InHeap;
  sift_up(v_.size() - 1);
}

inline TimerNode* TimerHeap::pop()
{
  TimerNode* n = v_.front();
  TimerNode* last = v_.back();
  v_.pop_back();
  if (!v_.empty()) {
    place(0, last);
    sift_down(0);
  }
  n->state = TimerNode::State::Idle;
  return n;
}

inline void TimerHeap::remove(TimerNode* n)
{
  const std::size_t i = n->heap_index;
  TimerNode* last = v_.back();
  v_.pop_back();
  n->state = TimerNode::State::Idle;
  if (i == v_.size())
    return;
  place(i, last);
  if (i > 0 && less(last, v_[(i - 1) / 2]))
    sift_up(i);
  else
    sift_down(i);
}

inline void TimerHeap::sift_up(std::size_t i) noexcept
{
  TimerNode* n = v_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!less(n, v_[parent]))
      break;
    place(i, v_[parent]);
    i = parent;
  }
  place(i, n);
}

inline void TimerHeap::sift_down(std::size_t i) noexcept
{
  TimerNode* n = v_[i];
  const std::size_t size = v_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= size)
      break;
    if (child + 1 < size && less(v_[child + 1], v_[child]))
      ++child;
    if (!less(v_[child], n))
      break;
    place(i, v_[child]);
    i = child;
  }
  place(i, n);
}

}  // namespace loopscope::engine::detail
