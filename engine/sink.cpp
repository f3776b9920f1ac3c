// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sink.h"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>

#include <sys/mman.h>

namespace loopscope::engine {

static_assert(SpscEventQueue::kSegmentEvents == 4094);

namespace {

// Segments big enough to be worth whole pages come straight from mmap, so that freeing one
// really gives its pages back: glibc's malloc would serve them from mmap only until the first
// free raises its dynamic mmap threshold, and from then on from the heap, where a freed segment
// between live allocations stays resident. Under AddressSanitizer they come from operator new
// instead, so that ASan checks every access to them.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUseMmap = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUseMmap = false;
#else
constexpr bool kUseMmap = true;
#endif
#else
constexpr bool kUseMmap = true;
#endif
constexpr std::size_t kMmapMinBytes = 64 * 1024;
constexpr std::align_val_t kSegmentAlign{64};

bool mapped(std::size_t bytes) noexcept
{
  return kUseMmap && bytes >= kMmapMinBytes;
}

std::size_t segment_allocation_bytes(std::size_t header, std::size_t events) noexcept
{
  const std::size_t raw = header + events * sizeof(TraceEvent);
  if (!mapped(raw))
    return raw;
  const long page = ::sysconf(_SC_PAGESIZE);
  const std::size_t p = page > 0 ? static_cast<std::size_t>(page) : 4096;
  return (raw + p - 1) / p * p;
}

}  // namespace

static_assert(alignof(TraceEvent) <= SpscEventQueue::kSegmentHeaderBytes);

SpscEventQueue::SpscEventQueue(std::size_t capacity)
    : capacity_(std::bit_ceil(std::max<std::size_t>(capacity, 64)))
    , seg_events_(std::min(capacity_, kSegmentEvents))
    , segment_bytes_(segment_allocation_bytes(Segment::kHeaderBytes, seg_events_))
{
  // One segment to start with; the rest come as the backlog grows.
  Segment* first = allocate_segment();
  if (first == nullptr)
    throw std::bad_alloc();
  head_seg_ = first;
  tail_seg_ = first;
}

SpscEventQueue::~SpscEventQueue()
{
  // No other thread uses the queue any more. The chain holds every segment not yet drained
  // (and any linked ahead of the tail); the spare ring holds the rest.
  for (Segment* s = head_seg_; s != nullptr;) {
    Segment* const next = s->next;
    free_segment(s);
    s = next;
  }
  const std::uint64_t push = spare_push_.load(std::memory_order_acquire);
  for (std::uint64_t i = spare_pop_.load(std::memory_order_acquire); i != push; ++i)
    free_segment(spares_[i & (kMaxSpareSegments - 1)]);
}

SpscEventQueue::Segment* SpscEventQueue::allocate_segment() noexcept
{
  void* mem = nullptr;
  if (mapped(segment_bytes_)) {
    // MAP_POPULATE: the pages are faulted in here, in one system call, not one by one as the
    // producer first writes to them.
    mem = ::mmap(nullptr, segment_bytes_, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mem == MAP_FAILED)
      return nullptr;
  } else {
    mem = ::operator new(segment_bytes_, kSegmentAlign, std::nothrow);
    if (mem == nullptr)
      return nullptr;
  }
  segments_.fetch_add(1, std::memory_order_relaxed);
  return new (mem) Segment{};
}

void SpscEventQueue::free_segment(Segment* s) noexcept
{
  s->~Segment();
  if (mapped(segment_bytes_))
    ::munmap(s, segment_bytes_);
  else
    ::operator delete(s, kSegmentAlign);
  segments_.fetch_sub(1, std::memory_order_relaxed);
}

SpscEventQueue::Segment* SpscEventQueue::take_segment() noexcept
{
  const std::uint64_t pop = spare_pop_.load(std::memory_order_relaxed);  // ours
  // Acquire: pairs with retire()'s release; the slot, and the consumer being done with the
  // segment's old events, are visible from here on.
  if (pop != spare_push_.load(std::memory_order_acquire)) {
    Segment* const s = spares_[pop & (kMaxSpareSegments - 1)];
    // Release: we have read the slot; the consumer may fill it again.
    spare_pop_.store(pop + 1, std::memory_order_release);
    s->next = nullptr;
    return s;
  }
  // The spare ring is empty: a burst. This is the only place the producer allocates.
  return allocate_segment();
}

void SpscEventQueue::retire(Segment* first, Segment* end) noexcept
{
  for (Segment* s = first; s != end;) {
    Segment* const next = s->next;  // read before the producer may get s back and relink it
    const std::uint64_t push = spare_push_.load(std::memory_order_relaxed);  // ours
    // Acquire: pairs with take_segment()'s release; the producer has read the slots it freed.
    if (push - spare_pop_.load(std::memory_order_acquire) < kMaxSpareSegments) {
      spares_[push & (kMaxSpareSegments - 1)] = s;
      // Release: the slot and our reads of s's events happen-before the producer reuses s.
      spare_push_.store(push + 1, std::memory_order_release);
    } else {
      free_segment(s);
    }
    s = next;
  }
}

void SpscEventQueue::write(std::span<const TraceEvent> events)
{
  const std::size_t n = events.size();
  if (n == 0)
    return;
  const std::uint64_t tail = tail_.load(std::memory_order_relaxed);  // ours
  if (tail + n - head_cache_ > capacity_) {
    // Relaxed is enough: head_ only counts; memory comes back through the spare ring.
    head_cache_ = head_.load(std::memory_order_relaxed);
    if (tail + n - head_cache_ > capacity_) {
      dropped_.fetch_add(n, std::memory_order_relaxed);
      return;
    }
  }
  if (n <= seg_events_ - tail_index_) [[likely]] {
    std::memcpy(tail_seg_->events() + tail_index_, events.data(), n * sizeof(TraceEvent));
    tail_index_ += n;
  } else if (!write_slow(events.data(), n)) {
    dropped_.fetch_add(n, std::memory_order_relaxed);
    return;
  }
  // Release: pairs with consume()'s acquire; publishes the events and any segment links.
  tail_.store(tail + n, std::memory_order_release);
}

bool SpscEventQueue::write_slow(const TraceEvent* src, std::size_t n) noexcept
{
  // First link every segment the batch needs, so that a failed allocation drops the batch whole
  // rather than part of it. A link past the tail is invisible to the consumer until events past
  // it are published; segments linked before a failure stay in the chain for the next write.
  std::size_t room = seg_events_ - tail_index_;
  for (Segment* s = tail_seg_; room < n; s = s->next, room += seg_events_) {
    if (s->next == nullptr) {
      Segment* const fresh = take_segment();
      if (fresh == nullptr)
        return false;
      s->next = fresh;
    }
  }
  for (std::size_t left = n;;) {
    const std::size_t k = std::min(left, seg_events_ - tail_index_);
    std::memcpy(tail_seg_->events() + tail_index_, src, k * sizeof(TraceEvent));
    src += k;
    left -= k;
    tail_index_ += k;
    if (left == 0)
      return true;
    tail_seg_ = tail_seg_->next;
    tail_index_ = 0;
  }
}

std::size_t SpscEventQueue::drain(std::vector<TraceEvent>& out, std::size_t max)
{
  return consume([&](std::span<const TraceEvent> s) { out.insert(out.end(), s.begin(), s.end()); },
                 max);
}

std::size_t SpscEventQueue::size() const noexcept
{
  // head_ first: tail_ only grows and head_ never passes it, so the difference cannot underflow.
  const std::uint64_t head = head_.load(std::memory_order_acquire);
  const std::uint64_t tail = tail_.load(std::memory_order_acquire);
  return static_cast<std::size_t>(tail - head);
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
  std::vector<DecodedEvent> done;
  take(done);
  return done;
}

void TraceDecoder::take(std::vector<DecodedEvent>& out)
{
  out.clear();
  out.swap(out_);  // out_ now has the caller's old buffer
  // Hold back the last event while its text is still to come.
  if ((awaiting_header_ || text_slots_left_ > 0) && !out.empty()) {
    out_.push_back(std::move(out.back()));
    out.pop_back();
  }
}

std::vector<DecodedEvent> TraceDecoder::decode(std::span<const TraceEvent> raw)
{
  TraceDecoder d;
  d.feed(raw);
  return d.take();
}

}  // namespace loopscope::engine
