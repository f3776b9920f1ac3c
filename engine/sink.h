// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/event.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace loopscope::engine {

/// Where a loop's tracer writes events. write() is called on the loop thread only, with whole
/// groups (an event and its text payload are never split across calls).
class EventSink
{
public:
  virtual ~EventSink() = default;
  virtual void write(std::span<const TraceEvent> events) = 0;
};

/// Lock-free single-producer / single-consumer queue of events: the loop thread writes, one other
/// thread (the GUI, a benchmark drainer) drains in batches. The producer never blocks: a batch that
/// does not fit is dropped whole and counted (the consumer also sees the gap in `seq`).
///
/// Memory follows the backlog, not the capacity: events live in fixed-size segments (160 KiB,
/// kSegmentEvents = 4094 events) chained in a singly linked list. The producer fills the tail
/// segment and links another when it is full; the consumer hands every segment it has drained
/// back through a small lock-free spare ring (up to kMaxSpareSegments), so a steady stream
/// recycles the same few segments and allocates nothing. Segments beyond the spares are unmapped,
/// so the process really gives the memory back after a burst. `capacity` only bounds the number
/// of queued events.
///
/// Synchronisation (every other member is private to one side):
///  - tail_ (producer -> consumer): the producer copies events (and links any new segment) with
///    plain stores, then publishes them with tail_.store(release); the consumer's
///    tail_.load(acquire) makes those events and the `next` links up to them visible.
///  - head_ (consumer -> producer): only for capacity accounting and size(). The consumer never
///    hands slot memory back through head_: a drained segment goes back through the spare ring.
///  - spare ring: the consumer fills a slot, then spare_push_.store(release); the producer's
///    spare_push_.load(acquire) sees the slot, and the consumer's reads of the old events
///    happen-before the producer overwrites them. The producer releases a slot with
///    spare_pop_.store(release), which the consumer acquires before reusing that slot.
/// A segment is retired only once the consumer has moved past it, which requires events after
/// it to have been published; the producer never touches a segment again after publishing
/// events beyond it.
class SpscEventQueue final : public EventSink
{
public:
  /// Bytes per segment: 40 pages, a 64-byte header then the events. A whole number of pages, so
  /// that a segment mapped on its own wastes nothing.
  static constexpr std::size_t kSegmentBytes = 160 * 1024;
  static constexpr std::size_t kSegmentHeaderBytes = 64;
  /// Events per segment: 4094 (queues with a smaller capacity use capacity-sized segments).
  static constexpr std::size_t kSegmentEvents =
      (kSegmentBytes - kSegmentHeaderBytes) / sizeof(TraceEvent);
  /// Drained segments kept for reuse; the rest are given back to the system.
  static constexpr std::size_t kMaxSpareSegments = 8;

  /// `capacity` is rounded up to a power of two (at least 64).
  explicit SpscEventQueue(std::size_t capacity = std::size_t{1} << 20);
  ~SpscEventQueue() override;
  SpscEventQueue(const SpscEventQueue&) = delete;
  SpscEventQueue& operator=(const SpscEventQueue&) = delete;

  void write(std::span<const TraceEvent> events) override;  // producer thread

  /// Consumer thread: calls `f(std::span<const TraceEvent>)` for up to `max` queued events, in
  /// order, in contiguous spans (one per segment touched: more than one when the events cross a
  /// segment boundary), then frees their slots. Returns the number consumed. If `f` throws,
  /// nothing is consumed (the same events are handed out again next time).
  template <class F>
  std::size_t consume(F&& f, std::size_t max = SIZE_MAX)
  {
    const std::uint64_t head = head_.load(std::memory_order_relaxed);  // ours
    // Acquire: pairs with write()'s release; the events before `tail`, and the links to the
    // segments holding them, are visible from here on.
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    std::size_t n = static_cast<std::size_t>(tail - head);
    if (n > max)
      n = max;
    if (n == 0)
      return 0;
    Segment* seg = head_seg_;
    std::size_t index = head_index_;
    for (std::size_t left = n; left > 0;) {
      if (index == seg_events_) {
        // Events beyond this segment are published, so the producer has linked the next one.
        seg = seg->next;
        index = 0;
      }
      const std::size_t k = std::min(left, seg_events_ - index);
      f(std::span<const TraceEvent>(seg->events() + index, k));
      index += k;
      left -= k;
    }
    // Commit only now that every call of f has returned.
    Segment* const first = head_seg_;
    head_seg_ = seg;
    head_index_ = index;
    // Drained segments go back before head_ moves, so the producer cannot refill the queue
    // while they are still held: memory stays within capacity + a few segments.
    if (first != seg)
      retire(first, seg);
    // Release: pairs with size()'s acquire (head_ never passes the tail_ value read above).
    head_.store(head + n, std::memory_order_release);
    return n;
  }
  /// Consumer thread: appends up to `max` events to `out`.
  std::size_t drain(std::vector<TraceEvent>& out, std::size_t max = SIZE_MAX);

  std::size_t capacity() const noexcept { return capacity_; }
  /// Events dropped because the queue was full (any thread). A batch that fitted but for which
  /// no memory could be had is dropped the same way.
  std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  /// Approximate number of queued events (any thread).
  std::size_t size() const noexcept;
  /// Approximate bytes currently held by segments, queued, partly drained or spare (any thread).
  std::size_t memory_bytes() const noexcept
  {
    return segments_.load(std::memory_order_relaxed) * segment_bytes_;
  }

private:
  /// A segment's header; its seg_events_ events follow at offset kHeaderBytes.
  struct Segment
  {
    static constexpr std::size_t kHeaderBytes = kSegmentHeaderBytes;
    /// Written by the producer only, before it publishes any event past this segment (or, for a
    /// spare, before the consumer can reach it); read by the consumer after that.
    Segment* next = nullptr;

    TraceEvent* events() noexcept
    {
      return reinterpret_cast<TraceEvent*>(reinterpret_cast<unsigned char*>(this) + kHeaderBytes);
    }
  };
  static_assert(sizeof(Segment) <= kSegmentHeaderBytes);
  static_assert(std::has_single_bit(kMaxSpareSegments), "the spare ring indexes with a mask");

  Segment* take_segment() noexcept;  // producer: a spare, else a new segment
  bool write_slow(const TraceEvent* src, std::size_t n) noexcept;  // producer: crosses segments
  void retire(Segment* first, Segment* end) noexcept;              // consumer: [first, end) drained
  Segment* allocate_segment() noexcept;                            // any thread; nullptr on failure
  void free_segment(Segment* s) noexcept;                          // any thread

  // Immutable after construction.
  std::size_t capacity_;
  std::size_t seg_events_;     // events per segment: min(kSegmentEvents, capacity_)
  std::size_t segment_bytes_;  // bytes per segment allocation (header included, page-rounded)

  // Producer side.
  alignas(64) std::atomic<std::uint64_t> tail_{0};  // events published so far
  std::uint64_t head_cache_ = 0;                    // producer's view of head_
  Segment* tail_seg_ = nullptr;                     // segment being filled
  std::size_t tail_index_ = 0;                      // events in tail_seg_
  std::atomic<std::uint64_t> spare_pop_{0};         // spares taken (written by the producer)

  // Consumer side.
  alignas(64) std::atomic<std::uint64_t> head_{0};  // events consumed so far
  Segment* head_seg_ = nullptr;                     // segment holding the next event to read
  std::size_t head_index_ = 0;                      // events already read from head_seg_
  std::atomic<std::uint64_t> spare_push_{0};        // spares given (written by the consumer)
  Segment* spares_[kMaxSpareSegments] = {};         // the spare ring, filled by the consumer

  // Shared counters.
  alignas(64) std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::size_t> segments_{0};  // segments allocated and not yet freed
};

/// Keeps every event in memory; for tests and for the CLI.
class VectorSink final : public EventSink
{
public:
  void write(std::span<const TraceEvent> events) override
  {
    events_.insert(events_.end(), events.begin(), events.end());
  }
  const std::vector<TraceEvent>& events() const noexcept { return events_; }
  void clear() { events_.clear(); }

private:
  std::vector<TraceEvent> events_;
};

/// An event with its text payload reassembled.
struct DecodedEvent
{
  TraceEvent ev;
  std::string text;
};

/// Reassembles Text payloads. Feed raw events in order, in any batch sizes (a batch may end
/// anywhere, even inside a text group); complete events come out of take(). The text of a `Text`
/// group is attached to the event it follows: an event flagged kEventHasText is held back until
/// its text has arrived. A Text group with no such event before it (a stream picked up midway)
/// comes out as a standalone Text record.
class TraceDecoder
{
public:
  void feed(std::span<const TraceEvent> raw);
  std::vector<DecodedEvent> take();
  /// The same into `out`, whose old contents are dropped and whose buffer the decoder keeps for
  /// the next events: a consumer that passes the same vector every time allocates nothing once
  /// the buffers have grown (fresh memory costs a page fault per 4 KiB).
  void take(std::vector<DecodedEvent>& out);
  /// Room for `n` decoded events without reallocating.
  void reserve(std::size_t n) { out_.reserve(n); }
  /// Convenience: decode a whole recorded stream.
  static std::vector<DecodedEvent> decode(std::span<const TraceEvent> raw);

private:
  std::vector<DecodedEvent> out_;
  std::size_t text_slots_left_ = 0;
  std::size_t text_bytes_left_ = 0;
  bool awaiting_header_ = false;  // the last event is flagged kEventHasText, header not seen yet
};

}  // namespace loopscope::engine
