// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers only (no Qt): a data structure of the models, tested alone.
#include <engine/sink.h>
#include <views/packing.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::views {

// The events of one run, in stream order, packed: about 8 bytes per event instead of the
// 72 of a DecodedEvent (a TraceEvent and a std::string), so that a run of millions of events
// stays small. Append-only; reads decode.
//
// Events go in blocks of kBlockEvents. Within a block each event is a kind byte, a byte saying
// which fields are not zero (the task: not the previous event's), and those fields as LEB128
// varints: the sequence number and the time as differences from the previous event, `detail` either
// as is or (when that is shorter, e.g. a sleep's deadline) as a difference from the event's time.
// Texts live apart, in one buffer. A block never straddles two storage chunks, and chunks never
// move, so appending costs no copying of what is stored and memory grows in 256 KiB steps.
//
// Retention (TimelineModel::setRetention) drops the oldest events a block at a time, and frees a
// chunk once all its blocks went: indexes stay absolute (event i is event i of the run), and the
// stored ones are [firstIndex(), size()).
//
// Reading event i decodes its block from the start (at most kBlockEvents - 1 events before it);
// reading i + 1 next continues from where i left off, so a sequential scan decodes each event
// once. Not thread-safe, even for reads (the read position is cached): one thread owns a store.
class EventStore
{
public:
  static constexpr std::size_t kBlockEvents = 64;

  EventStore();
  ~EventStore();
  EventStore(EventStore&&) noexcept;
  EventStore& operator=(EventStore&&) noexcept;
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  void push_back(const engine::DecodedEvent& event);
  void clear();

  // One past the last index appended (dropped events count: indexes are absolute).
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  // No event appended yet.
  [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
  // The oldest event still stored (0 until dropBefore() dropped some).
  [[nodiscard]] std::size_t firstIndex() const noexcept { return m_blockBase * kBlockEvents; }
  // Events stored: size() - firstIndex().
  [[nodiscard]] std::size_t storedCount() const noexcept { return m_size - firstIndex(); }
  // The index the store would keep from if asked to drop the events before `index`: the first
  // event of the block holding `index`, never before firstIndex(); index >= size() gives the
  // start of the last block.
  [[nodiscard]] std::size_t dropPoint(std::size_t index) const;
  // Drops the events before dropPoint(index) and their texts, and frees the storage chunks no
  // longer used; returns the new firstIndex().
  std::size_t dropBefore(std::size_t index);
  // The start of the block (kBlockEvents events) holding the first stored event at or after time
  // t, for time-ordered streams: events before it are all earlier than t. The last block's start
  // when no event is that late; size() when nothing is stored.
  [[nodiscard]] std::size_t indexNearTime(std::int64_t t) const;
  // Event i, decoded (firstIndex() <= i < size()).
  [[nodiscard]] engine::DecodedEvent operator[](std::size_t i) const;
  [[nodiscard]] engine::DecodedEvent at(std::size_t i) const { return (*this)[i]; }
  [[nodiscard]] engine::DecodedEvent front() const { return (*this)[firstIndex()]; }
  [[nodiscard]] engine::DecodedEvent back() const { return (*this)[m_size - 1]; }
  // Event i without its text (cheaper when only the fields are needed).
  [[nodiscard]] engine::TraceEvent raw(std::size_t i) const;
  // Event i without copying its text: *text views it (valid until the next push_back or drop).
  [[nodiscard]] engine::TraceEvent raw(std::size_t i, std::string_view* text) const;
  // The text of event i ("" when none).
  [[nodiscard]] std::string_view text(std::size_t i) const;

  // Bytes held (storage chunks, block index, texts).
  [[nodiscard]] std::size_t memoryBytes() const noexcept;

  // A forward iterator decoding one event per step (*it is a value), over the stored events.
  using const_iterator = packing::IndexIterator<EventStore, engine::DecodedEvent>;
  [[nodiscard]] const_iterator begin() const { return {this, firstIndex()}; }
  [[nodiscard]] const_iterator end() const { return {this, m_size}; }

private:
  struct Block
  {
    std::uint32_t chunk = 0;   // chunk number (m_chunks[chunk - m_chunkBase])
    std::uint32_t offset = 0;  // first byte in the chunk
    std::uint64_t seq = 0;     // the previous event's seq as seen by the block's first event
    std::int64_t t = 0;        // the previous event's time, likewise
    std::uint32_t task = 0;    // and its task
    std::uint64_t texts = 0;   // texts stored before the block's first event
  };
  // The decoder's position: the next event to decode and what it is relative to.
  struct Cursor
  {
    std::size_t next = SIZE_MAX;  // index of the event at `pos`
    const std::uint8_t* pos = nullptr;
    std::uint64_t seq = 0;
    std::int64_t t = 0;
    std::uint32_t task = 0;
  };

  void seek(std::size_t i) const;  // m_cursor.next == i afterwards
  // Decodes the event at the cursor and advances it; the text index goes to *text (0: none).
  engine::TraceEvent decodeNext(std::uint64_t* text) const;
  std::uint64_t textIndexOf(std::size_t i) const;
  // Text k (1-based, stored), "" for 0.
  [[nodiscard]] std::string_view textAt(std::uint64_t k) const;

  std::vector<std::unique_ptr<std::uint8_t[]>> m_chunks;
  std::size_t m_used = 0;       // bytes used in the last chunk
  std::vector<Block> m_blocks;  // m_blocks[k] is block m_blockBase + k
  std::size_t m_blockBase = 0;  // blocks dropped
  std::size_t m_chunkBase = 0;  // chunks dropped
  std::size_t m_size = 0;
  std::uint64_t m_lastSeq = 0;
  std::int64_t m_lastT = 0;
  std::uint32_t m_lastTask = 0;
  // Text k (1-based) ends at m_textEnds[k - 1 - m_textBase] - m_textByteBase in m_textBytes;
  // texts before m_textBase were dropped, with their m_textByteBase bytes.
  std::string m_textBytes;
  std::vector<std::uint64_t> m_textEnds;
  std::uint64_t m_textBase = 0;
  std::uint64_t m_textByteBase = 0;
  mutable Cursor m_cursor;
};

}  // namespace loopscope::views
