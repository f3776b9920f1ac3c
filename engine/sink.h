// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/event.h"

#include <atomic>
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

/// Lock-free single-producer / single-consumer ring of events: the loop thread writes, one other
/// thread (the GUI, a benchmark drainer) drains in batches. The producer never blocks: a batch that
/// does not fit is dropped whole and counted (the consumer also sees the gap in `seq`).
class SpscEventQueue final : public EventSink
{
public:
  /// `capacity` is rounded up to a power of two.
  explicit SpscEventQueue(std::size_t capacity = std::size_t{1} << 20);
  ~SpscEventQueue() override;

  void write(std::span<const TraceEvent> events) override;  // producer thread

  /// Consumer thread: calls `f(std::span<const TraceEvent>)` for up to `max` queued events (in at
  /// most two contiguous spans), then frees their slots. Returns the number consumed.
  template <class F>
  std::size_t consume(F&& f, std::size_t max = SIZE_MAX)
  {
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    std::size_t n = static_cast<std::size_t>(tail - head);
    if (n > max)
      n = max;
    if (n == 0)
      return 0;
    const std::size_t start = static_cast<std::size_t>(head & mask_);
    const std::size_t first = std::min(n, capacity_ - start);
    f(std::span<const TraceEvent>(buf_.get() + start, first));
    if (first < n)
      f(std::span<const TraceEvent>(buf_.get(), n - first));
    head_.store(head + n, std::memory_order_release);
    return n;
  }
  /// Consumer thread: appends up to `max` events to `out`.
  std::size_t drain(std::vector<TraceEvent>& out, std::size_t max = SIZE_MAX);

  std::size_t capacity() const noexcept { return capacity_; }
  /// Events dropped because the queue was full (any thread).
  std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  /// Approximate number of queued events (any thread).
  std::size_t size() const noexcept;

private:
  std::unique_ptr<TraceEvent[]> buf_;
  std::size_t capacity_;
  std::size_t mask_;
  alignas(64) std::atomic<std::uint64_t> tail_{0};  // written by the producer
  std::uint64_t head_cache_ = 0;                    // producer's view of head_
  alignas(64) std::atomic<std::uint64_t> head_{0};  // written by the consumer
  alignas(64) std::atomic<std::uint64_t> dropped_{0};
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
  /// Convenience: decode a whole recorded stream.
  static std::vector<DecodedEvent> decode(std::span<const TraceEvent> raw);

private:
  std::vector<DecodedEvent> out_;
  std::size_t text_slots_left_ = 0;
  std::size_t text_bytes_left_ = 0;
  bool awaiting_header_ = false;  // the last event is flagged kEventHasText, header not seen yet
};

}  // namespace loopscope::engine
