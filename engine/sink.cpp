// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sink.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace loopscope::engine {

SpscEventQueue::SpscEventQueue(std::size_t capacity)
    : capacity_(std::bit_ceil(std::max<std::size_t>(capacity, 64)))
    , mask_(capacity_ - 1)
{
  // Value-initialised: every page is touched now, so the producer never takes a page fault on
  // its first lap through the ring.
  buf_ = std::make_unique<TraceEvent[]>(capacity_);
}

SpscEventQueue::~SpscEventQueue() = default;

void SpscEventQueue::write(std::span<const TraceEvent> events)
{
  const std::size_t n = events.size();
  if (n == 0)
    return;
  const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  if (tail + n - head_cache_ > capacity_) {
    head_cache_ = head_.load(std::memory_order_acquire);
    if (tail + n - head_cache_ > capacity_) {
      dropped_.fetch_add(n, std::memory_order_relaxed);
      return;
    }
  }
  const std::size_t start = static_cast<std::size_t>(tail & mask_);
  const std::size_t first = std::min(n, capacity_ - start);
  std::memcpy(buf_.get() + start, events.data(), first * sizeof(TraceEvent));
  if (first < n)
    std::memcpy(buf_.get(), events.data() + first, (n - first) * sizeof(TraceEvent));
  tail_.store(tail + n, std::memory_order_release);
}

std::size_t SpscEventQueue::drain(std::vector<TraceEvent>& out, std::size_t max)
{
  return consume([&](std::span<const TraceEvent> s) { out.insert(out.end(), s.begin(), s.end()); },
                 max);
}

std::size_t SpscEventQueue::size() const noexcept
{
  return static_cast<std::size_t>(tail_.load(std::memory_order_acquire) -
                                  head_.load(std::memory_order_acquire));
}

void TraceDecoder::feed(std::span<const TraceEvent> raw)
{
  for (const TraceEvent& e : raw) {
    if (text_slots_left_ > 0) {
      // A raw payload slot: up to sizeof(TraceEvent) bytes of text.
      const std::size_t take = std::min(text_bytes_left_, sizeof(TraceEvent));
      out_.back().text.append(reinterpret_cast<const char*>(&e), take);
      text_bytes_left_ -= take;
      --text_slots_left_;
      continue;
    }
    if (e.kind == EventKind::Text) {
      // Normally the text of the flagged event just before; otherwise a standalone record.
      if (!awaiting_header_)
        out_.push_back(DecodedEvent{e, {}});
      awaiting_header_ = false;
      text_slots_left_ = e.arg;
      text_bytes_left_ = static_cast<std::size_t>(e.detail);
      continue;
    }
    out_.push_back(DecodedEvent{e, {}});
    awaiting_header_ = (e.flags & kEventHasText) != 0;
  }
}

std::vector<DecodedEvent> TraceDecoder::take()
{
  // Hold back the last event while its text is still to come.
  std::vector<DecodedEvent> done;
  if ((awaiting_header_ || text_slots_left_ > 0) && !out_.empty()) {
    DecodedEvent pending = std::move(out_.back());
    out_.pop_back();
    done.swap(out_);
    out_.push_back(std::move(pending));
  } else {
    done.swap(out_);
  }
  return done;
}

std::vector<DecodedEvent> TraceDecoder::decode(std::span<const TraceEvent> raw)
{
  TraceDecoder d;
  d.feed(raw);
  return d.take();
}

}  // namespace loopscope::engine
