// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers only (no Qt): a data structure of the models, tested alone.
#include <engine/event.h>
#include <views/packing.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace loopscope::views {

// What a task's bar shows at a moment of loop time.
enum class TaskState : std::uint8_t {
  Running,     // the loop thread is in one of its steps
  Ready,       // woken (or just created) and queued: waiting for the loop thread
  Suspended,   // parked at an await
  Cancelling,  // suspended or ready with a cancel request pending (cancelling() > 0)
  Done,        // returned a result
  Failed,      // ended with an exception
  Cancelled,   // ended cancelled
  Count_
};

// An open span or window end.
inline constexpr std::int64_t kOpenEnd = std::numeric_limits<std::int64_t>::max();

// One interval of one task in one state. A task's spans are contiguous and in time order
// (span[i].end == span[i+1].start), so both starts and ends are sorted: range queries are binary
// searches. The last span of a live task is open (end == kOpenEnd).
struct StateSpan
{
  std::int64_t start = 0;
  std::int64_t end = kOpenEnd;
  TaskState state = TaskState::Ready;
  // Suspended/Cancelling: what is awaited. Ready: Yield when the task's own step ended with
  // sleep(0) (site = that await), else None.
  engine::AwaitKind await = engine::AwaitKind::None;
  std::uint32_t site = 0;    // the await site (see `await`)
  std::uint64_t object = 0;  // awaited task/future/object id, or the sleep deadline (ns)
  friend bool operator==(const StateSpan&, const StateSpan&) = default;
};

// Whether span s starts at an await point: the task's step ended there at an await (s waits on
// something, or is Ready after a sleep(0)) and the span before it was Running (`afterRunning`;
// true when there is none). Cancelling after Suspended (or back) waits on the same thing.
[[nodiscard]] inline bool startsAwait(const StateSpan& s, bool afterRunning) noexcept
{
  if (!afterRunning)
    return false;
  if (s.state == TaskState::Suspended || s.state == TaskState::Cancelling)
    return s.await != engine::AwaitKind::None;
  return s.state == TaskState::Ready && s.await == engine::AwaitKind::Yield;
}

// A task's spans, packed: about 6 bytes per span instead of 32. Every span but the last is
// stored as a byte (state and await kind) and varints (start as a difference from the previous
// span's start; site and object only when set, a sleep's deadline as a difference from the
// start), in groups of kGroupSpans whose first start is kept whole for binary searches. The last
// span stays unpacked: it is the one that changes (closed, or replaced by the next).
//
// Reads return values. Reading span i decodes its group from the start; reading i + 1 next
// continues from there. Not thread-safe, even for reads (the read position is cached).
class SpanList
{
public:
  static constexpr std::size_t kGroupSpans = 32;

  [[nodiscard]] std::size_t size() const noexcept { return m_count + (m_hasLast ? 1 : 0); }
  [[nodiscard]] bool empty() const noexcept { return !m_hasLast; }
  [[nodiscard]] StateSpan operator[](std::size_t i) const;
  [[nodiscard]] StateSpan front() const { return (*this)[0]; }
  // The last span (open while the task lives).
  [[nodiscard]] const StateSpan& back() const noexcept { return m_last; }

  // Appends a span starting at s.start (>= the last start; earlier starts are raised to it), which
  // ends the last one there: spans stay contiguous. s.end is the new span's end (kOpenEnd: open).
  void push_back(const StateSpan& s);
  // Ends the last span at `end` (>= its start).
  void closeBack(std::int64_t end);
  void clear() { *this = SpanList(); }
  // Drops the spans that end at or before t, keeping the one covering t and all later ones (and
  // always the last), when that frees at least a group of kGroupSpans. Returns how many went;
  // indexes shift down by that much.
  std::size_t dropBefore(std::int64_t t);

  // Index of the span covering t (the last starting at or before t), or SIZE_MAX if t is before
  // the first span. It may end at or before t: only the last span can (when it is closed).
  [[nodiscard]] std::size_t indexAt(std::int64_t t) const;
  // Indexes [first, last) of the spans overlapping the closed range [t0, t1]: ending after t0
  // and starting no later than t1.
  [[nodiscard]] std::pair<std::size_t, std::size_t> overlapping(std::int64_t t0,
                                                                std::int64_t t1) const;
  // Bytes held, this object included.
  [[nodiscard]] std::size_t memoryBytes() const noexcept;

  // A forward iterator (*it is a value).
  using const_iterator = packing::IndexIterator<SpanList, StateSpan>;
  [[nodiscard]] const_iterator begin() const { return {this, 0}; }
  [[nodiscard]] const_iterator end() const { return {this, size()}; }

private:
  struct Group
  {
    std::int64_t start = 0;    // of the group's first span
    std::uint32_t offset = 0;  // its first byte in m_bytes
  };
  struct Cursor
  {
    std::int64_t start = 0;           // start of the span before `next` (the delta's base)
    std::uint32_t next = UINT32_MAX;  // index of the packed span at `offset`
    std::uint32_t offset = 0;
  };
  // Decodes packed span m_cursor.next (end left open) and moves on.
  StateSpan decodeNext() const;
  void seek(std::size_t i) const;
  // The start of span i (i <= m_count).
  [[nodiscard]] std::int64_t startOf(std::size_t i) const;
  void pack(const StateSpan& s);

  std::vector<std::uint8_t> m_bytes;
  std::vector<Group> m_groups;
  std::uint32_t m_count = 0;      // packed spans (all but m_last)
  std::int64_t m_lastPacked = 0;  // start of the last packed span
  StateSpan m_last;
  bool m_hasLast = false;
  mutable Cursor m_cursor;
};

}  // namespace loopscope::views
