// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/eventstore.h"

#include <algorithm>
#include <cassert>

namespace loopscope::views {

namespace {

using packing::getVarint;
using packing::putVarint;
using packing::unzigzag;
using packing::varintSize;
using packing::zigzag;

constexpr std::size_t kChunkBytes = std::size_t{256} << 10;
// The most one event can take: kind, mask, seq, dt, detail (10 bytes each at most), task, site,
// arg (5), a8 (1), flags (3), text index (10).
constexpr std::size_t kMaxEventBytes = 2 + 3 * 10 + 3 * 5 + 1 + 3 + 10;
constexpr std::size_t kMaxBlockBytes = EventStore::kBlockEvents * kMaxEventBytes;
static_assert(kMaxBlockBytes < kChunkBytes);

// Kind byte: the EventKind in the low 6 bits, and two flags.
constexpr std::uint8_t kKindMask = 0x3f;
constexpr std::uint8_t kDetailRelative = 0x40;  // detail is zigzag(detail - t)
constexpr std::uint8_t kHasText = 0x80;
static_assert(static_cast<unsigned>(engine::EventKind::Count_) <= kKindMask);

// Field byte: which fields follow (the others are zero, the task is the previous event's, seq
// is the previous + 1).
enum Field : std::uint8_t {
  kSeqGap = 1,
  kTime = 2,
  kDetail = 4,
  kTask = 8,
  kSite = 16,
  kArg = 32,
  kA8 = 64,
  kFlags = 128,
};

}  // namespace

EventStore::EventStore() = default;
EventStore::~EventStore() = default;
EventStore::EventStore(EventStore&&) noexcept = default;
EventStore& EventStore::operator=(EventStore&&) noexcept = default;

void EventStore::clear()
{
  *this = EventStore();
}

void EventStore::push_back(const engine::DecodedEvent& event)
{
  const engine::TraceEvent& e = event.ev;
  if (m_size % kBlockEvents == 0) {
    if (m_chunks.empty() || kChunkBytes - m_used < kMaxBlockBytes) {
      m_chunks.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(kChunkBytes));
      m_used = 0;
    }
    m_blocks.push_back(Block{static_cast<std::uint32_t>(m_chunkBase + m_chunks.size() - 1),
                             static_cast<std::uint32_t>(m_used), m_lastSeq, m_lastT, m_lastTask,
                             m_textBase + m_textEnds.size()});
  }
  std::uint8_t* const start = m_chunks.back().get() + m_used;
  std::uint8_t* p = start + 2;
  std::uint8_t kind = static_cast<std::uint8_t>(e.kind) & kKindMask;
  std::uint8_t fields = 0;
  if (e.seq != m_lastSeq + 1) {
    fields |= kSeqGap;
    p = putVarint(p, zigzag(static_cast<std::int64_t>(e.seq - m_lastSeq - 1)));
  }
  if (e.t_ns != m_lastT) {
    fields |= kTime;
    p = putVarint(p, zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(e.t_ns) -
                                                      static_cast<std::uint64_t>(m_lastT))));
  }
  if (e.detail != 0) {
    fields |= kDetail;
    const std::uint64_t relative =
        zigzag(static_cast<std::int64_t>(e.detail - static_cast<std::uint64_t>(e.t_ns)));
    if (varintSize(relative) < varintSize(e.detail)) {
      kind |= kDetailRelative;
      p = putVarint(p, relative);
    } else {
      p = putVarint(p, e.detail);
    }
  }
  if (e.task != m_lastTask) {  // a step's events share their task
    fields |= kTask;
    p = putVarint(p, e.task);
  }
  if (e.site != 0) {
    fields |= kSite;
    p = putVarint(p, e.site);
  }
  if (e.arg != 0) {
    fields |= kArg;
    p = putVarint(p, e.arg);
  }
  if (e.a8 != 0) {
    fields |= kA8;
    *p++ = e.a8;
  }
  if (e.flags != 0) {
    fields |= kFlags;
    p = putVarint(p, e.flags);
  }
  if (!event.text.empty()) {
    kind |= kHasText;
    m_textBytes += event.text;
    m_textEnds.push_back(m_textByteBase + m_textBytes.size());
    p = putVarint(p, m_textBase + m_textEnds.size());
  }
  start[0] = kind;
  start[1] = fields;
  m_used += static_cast<std::size_t>(p - start);
  m_lastSeq = e.seq;
  m_lastT = e.t_ns;
  m_lastTask = e.task;
  ++m_size;
}

void EventStore::seek(std::size_t i) const
{
  Cursor& c = m_cursor;
  const std::size_t block = i / kBlockEvents;
  // At a block's start the cursor may point where the block would have gone had it not started
  // a new chunk: always start a block from its index entry.
  if (c.next > i || c.next / kBlockEvents != block || c.next % kBlockEvents == 0) {
    const Block& b = m_blocks[block - m_blockBase];
    c.next = block * kBlockEvents;
    c.pos = m_chunks[b.chunk - m_chunkBase].get() + b.offset;
    c.seq = b.seq;
    c.t = b.t;
    c.task = b.task;
  }
  std::uint64_t text = 0;
  while (c.next < i)
    decodeNext(&text);
}

engine::TraceEvent EventStore::decodeNext(std::uint64_t* text) const
{
  Cursor& c = m_cursor;
  const std::uint8_t* p = c.pos;
  const std::uint8_t kind = *p++;
  const std::uint8_t fields = *p++;
  engine::TraceEvent e{};
  e.kind = static_cast<engine::EventKind>(kind & kKindMask);
  e.seq = c.seq + 1;
  if ((fields & kSeqGap) != 0)
    e.seq += static_cast<std::uint64_t>(unzigzag(getVarint(p)));
  e.t_ns = c.t;
  if ((fields & kTime) != 0)
    e.t_ns = static_cast<std::int64_t>(static_cast<std::uint64_t>(c.t) +
                                       static_cast<std::uint64_t>(unzigzag(getVarint(p))));
  if ((fields & kDetail) != 0) {
    const std::uint64_t v = getVarint(p);
    e.detail = (kind & kDetailRelative) != 0
                   ? static_cast<std::uint64_t>(e.t_ns) + static_cast<std::uint64_t>(unzigzag(v))
                   : v;
  }
  e.task = (fields & kTask) != 0 ? static_cast<std::uint32_t>(getVarint(p)) : c.task;
  if ((fields & kSite) != 0)
    e.site = static_cast<std::uint32_t>(getVarint(p));
  if ((fields & kArg) != 0)
    e.arg = static_cast<std::uint32_t>(getVarint(p));
  if ((fields & kA8) != 0)
    e.a8 = *p++;
  if ((fields & kFlags) != 0)
    e.flags = static_cast<std::uint16_t>(getVarint(p));
  *text = (kind & kHasText) != 0 ? getVarint(p) : 0;
  c.pos = p;
  c.seq = e.seq;
  c.t = e.t_ns;
  c.task = e.task;
  ++c.next;
  return e;
}

engine::TraceEvent EventStore::raw(std::size_t i) const
{
  assert(i >= firstIndex() && i < m_size);
  seek(i);
  std::uint64_t text = 0;
  return decodeNext(&text);
}

engine::TraceEvent EventStore::raw(std::size_t i, std::string_view* text) const
{
  assert(i >= firstIndex() && i < m_size);
  seek(i);
  std::uint64_t k = 0;
  const engine::TraceEvent e = decodeNext(&k);
  *text = textAt(k);
  return e;
}

std::uint64_t EventStore::textIndexOf(std::size_t i) const
{
  seek(i);
  std::uint64_t text = 0;
  decodeNext(&text);
  return text;
}

std::string_view EventStore::textAt(std::uint64_t k) const
{
  if (k == 0)
    return {};
  const std::size_t at = k - 1 - m_textBase;  // an event stored has its text stored
  const std::uint64_t begin = at == 0 ? m_textByteBase : m_textEnds[at - 1];
  return std::string_view(m_textBytes).substr(begin - m_textByteBase, m_textEnds[at] - begin);
}

std::string_view EventStore::text(std::size_t i) const
{
  return textAt(textIndexOf(i));
}

std::size_t EventStore::dropPoint(std::size_t index) const
{
  if (m_blocks.empty())
    return firstIndex();
  return std::clamp(index / kBlockEvents, m_blockBase, m_blockBase + m_blocks.size() - 1) *
         kBlockEvents;
}

std::size_t EventStore::dropBefore(std::size_t index)
{
  const std::size_t keep = dropPoint(index);
  if (keep <= firstIndex())
    return firstIndex();
  const std::size_t blocks = keep / kBlockEvents - m_blockBase;
  const Block& first = m_blocks[blocks];
  // Chunks before the kept block's (its own chunk stays until all its blocks went), and the texts
  // of the dropped events.
  m_chunks.erase(m_chunks.begin(),
                 m_chunks.begin() + static_cast<std::ptrdiff_t>(first.chunk - m_chunkBase));
  m_chunkBase = first.chunk;
  const std::uint64_t texts = first.texts - m_textBase;
  if (texts > 0) {
    const std::uint64_t bytes = m_textEnds[texts - 1] - m_textByteBase;
    m_textBytes.erase(0, bytes);
    m_textEnds.erase(m_textEnds.begin(), m_textEnds.begin() + static_cast<std::ptrdiff_t>(texts));
    m_textBase += texts;
    m_textByteBase += bytes;
    if (m_textBytes.capacity() > 2 * m_textBytes.size() + 4096)
      m_textBytes.shrink_to_fit();
  }
  m_blocks.erase(m_blocks.begin(), m_blocks.begin() + static_cast<std::ptrdiff_t>(blocks));
  m_blockBase += blocks;
  m_cursor = Cursor();
  return firstIndex();
}

std::size_t EventStore::indexNearTime(std::int64_t t) const
{
  // Block b's entry holds the time of the event before it: block b + 1's entry holds the time of
  // block b's last event.
  const auto it = std::partition_point(m_blocks.begin() + (m_blocks.empty() ? 0 : 1),
                                       m_blocks.end(), [t](const Block& b) { return b.t < t; });
  if (it == m_blocks.end())
    return m_blocks.empty() ? m_size : (m_blockBase + m_blocks.size() - 1) * kBlockEvents;
  return (m_blockBase + static_cast<std::size_t>(it - m_blocks.begin()) - 1) * kBlockEvents;
}

engine::DecodedEvent EventStore::operator[](std::size_t i) const
{
  assert(i >= firstIndex() && i < m_size);
  seek(i);
  std::uint64_t k = 0;
  engine::DecodedEvent out;
  out.ev = decodeNext(&k);
  if (k != 0)
    out.text = textAt(k);
  return out;
}

std::size_t EventStore::memoryBytes() const noexcept
{
  return m_chunks.size() * kChunkBytes + m_blocks.capacity() * sizeof(Block) +
         m_textBytes.capacity() + m_textEnds.capacity() * sizeof(std::uint64_t);
}

}  // namespace loopscope::views
