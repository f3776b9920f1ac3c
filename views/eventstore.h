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

  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
  // Event i, decoded (i < size()).
  [[nodiscard]] engine::DecodedEvent operator[](std::size_t i) const;
  [[nodiscard]] engine::DecodedEvent at(std::size_t i) const { return (*this)[i]; }
  [[nodiscard]] engine::DecodedEvent front() const { return (*this)[0]; }
  [[nodiscard]] engine::DecodedEvent back() const { return (*this)[m_size - 1]; }
  // Event i without its text (cheaper when only the fields are needed).
  [[nodiscard]] engine::TraceEvent raw(std::size_t i) const;
  // The text of event i ("" when none).
  [[nodiscard]] std::string_view text(std::size_t i) const;

  // Bytes held (storage chunks, block index, texts).
  [[nodiscard]] std::size_t memoryBytes() const noexcept;

  // A forward iterator decoding one event per step (*it is a value).
  using const_iterator = packing::IndexIterator<EventStore, engine::DecodedEvent>;
  [[nodiscard]] const_iterator begin() const { return {this, 0}; }
  [[nodiscard]] const_iterator end() const { return {this, m_size}; }

private:
  struct Block
  {
    std::uint32_t chunk = 0;   // index in m_chunks
    std::uint32_t offset = 0;  // first byte in the chunk
    std::uint64_t seq = 0;     // the previous event's seq as seen by the block's first event
    std::int64_t t = 0;        // the previous event's time, likewise
    std::uint32_t task = 0;    // and its task
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

  std::vector<std::unique_ptr<std::uint8_t[]>> m_chunks;
  std::size_t m_used = 0;  // bytes used in the last chunk
  std::vector<Block> m_blocks;
  std::size_t m_size = 0;
  std::uint64_t m_lastSeq = 0;
  std::int64_t m_lastT = 0;
  std::uint32_t m_lastTask = 0;
  std::string m_textBytes;                // every text, back to back
  std::vector<std::uint64_t> m_textEnds;  // text k (1-based) ends at m_textEnds[k - 1]
  mutable Cursor m_cursor;
};

}  // namespace loopscope::views
