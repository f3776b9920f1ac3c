// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/spanlist.h"

#include <algorithm>
#include <cassert>

namespace loopscope::views {

namespace {

// Header byte: state in bits 0-2, await kind in bits 3-6, bit 7: site and object follow.
constexpr std::uint8_t kStateMask = 0x07;
constexpr int kAwaitShift = 3;
constexpr std::uint8_t kAwaitMask = 0x0f;
constexpr std::uint8_t kHasPayload = 0x80;
static_assert(static_cast<unsigned>(TaskState::Count_) <= kStateMask + 1);
static_assert(static_cast<unsigned>(engine::AwaitKind::Count_) <= kAwaitMask + 1);

using packing::putVarint;
using packing::unzigzag;
using packing::zigzag;

std::uint64_t getVarint(const std::uint8_t* bytes, std::uint32_t& offset)
{
  const std::uint8_t* p = bytes + offset;
  const std::uint64_t v = packing::getVarint(p);
  offset = static_cast<std::uint32_t>(p - bytes);
  return v;
}

// A sleep's object is its deadline, near its start: stored as the difference.
bool relativeObject(engine::AwaitKind await)
{
  return await == engine::AwaitKind::Sleep;
}

}  // namespace

void SpanList::pack(const StateSpan& s)
{
  if (m_count % kGroupSpans == 0) {
    m_groups.push_back(Group{s.start, static_cast<std::uint32_t>(m_bytes.size())});
    m_lastPacked = s.start;
  }
  // Grow by half, not double: thousands of tasks each keep a vector's spare room.
  if (m_bytes.size() + 32 > m_bytes.capacity())
    m_bytes.reserve(m_bytes.capacity() + m_bytes.capacity() / 2 + 32);
  const bool payload = s.site != 0 || s.object != 0;
  m_bytes.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(s.state) |
                                              (static_cast<unsigned>(s.await) << kAwaitShift) |
                                              (payload ? kHasPayload : 0)));
  putVarint(m_bytes, static_cast<std::uint64_t>(s.start - m_lastPacked));
  if (payload) {
    putVarint(m_bytes, s.site);
    putVarint(m_bytes, relativeObject(s.await)
                           ? zigzag(static_cast<std::int64_t>(s.object) - s.start)
                           : s.object);
  }
  m_lastPacked = s.start;
  ++m_count;
}

void SpanList::push_back(const StateSpan& s)
{
  StateSpan next = s;
  if (m_hasLast) {
    next.start = std::max(next.start, m_last.start);
    pack(m_last);  // its end is the new span's start
  }
  m_last = next;
  m_hasLast = true;
}

void SpanList::closeBack(std::int64_t end)
{
  assert(m_hasLast);
  m_last.end = std::max(end, m_last.start);
}

StateSpan SpanList::decodeNext() const
{
  Cursor& c = m_cursor;
  const std::uint8_t* bytes = m_bytes.data();
  const std::uint8_t header = bytes[c.offset++];
  StateSpan s;
  s.state = static_cast<TaskState>(header & kStateMask);
  s.await = static_cast<engine::AwaitKind>((header >> kAwaitShift) & kAwaitMask);
  s.start = c.start + static_cast<std::int64_t>(getVarint(bytes, c.offset));
  if ((header & kHasPayload) != 0) {
    s.site = static_cast<std::uint32_t>(getVarint(bytes, c.offset));
    const std::uint64_t object = getVarint(bytes, c.offset);
    s.object =
        relativeObject(s.await) ? static_cast<std::uint64_t>(s.start + unzigzag(object)) : object;
  }
  c.start = s.start;
  ++c.next;
  return s;
}

void SpanList::seek(std::size_t i) const
{
  Cursor& c = m_cursor;
  const std::size_t group = i / kGroupSpans;
  // A group's first span is stored relative to the group's start: always start there.
  if (c.next > i || c.next / kGroupSpans != group || c.next % kGroupSpans == 0) {
    c.next = static_cast<std::uint32_t>(group * kGroupSpans);
    c.offset = m_groups[group].offset;
    c.start = m_groups[group].start;
  }
  while (c.next < i)
    decodeNext();
}

std::int64_t SpanList::startOf(std::size_t i) const
{
  if (i == m_count)
    return m_last.start;
  if (i % kGroupSpans == 0)
    return m_groups[i / kGroupSpans].start;
  seek(i);
  // Peek: the header byte, then the delta.
  std::uint32_t offset = m_cursor.offset + 1;
  return m_cursor.start + static_cast<std::int64_t>(getVarint(m_bytes.data(), offset));
}

StateSpan SpanList::operator[](std::size_t i) const
{
  assert(i < size());
  if (i == m_count)
    return m_last;
  seek(i);
  StateSpan s = decodeNext();
  s.end = startOf(i + 1);
  return s;
}

std::size_t SpanList::indexAt(std::int64_t t) const
{
  if (!m_hasLast)
    return SIZE_MAX;
  if (t >= m_last.start)
    return m_count;
  // The last group starting at or before t, then the last span in it starting at or before t.
  const auto after = std::upper_bound(m_groups.begin(), m_groups.end(), t,
                                      [](std::int64_t v, const Group& g) { return v < g.start; });
  if (after == m_groups.begin())
    return SIZE_MAX;
  const auto group = static_cast<std::size_t>(after - m_groups.begin()) - 1;
  const std::size_t first = group * kGroupSpans;
  const std::size_t stop = std::min<std::size_t>(first + kGroupSpans, m_count);
  seek(first);
  std::size_t found = first;
  for (std::size_t i = first; i < stop; ++i) {
    if (decodeNext().start > t)
      break;
    found = i;
  }
  return found;
}

std::pair<std::size_t, std::size_t> SpanList::overlapping(std::int64_t t0, std::int64_t t1) const
{
  const std::size_t n = size();
  if (n == 0)
    return {0, 0};
  std::size_t first = indexAt(t0);
  if (first == SIZE_MAX) {
    first = 0;
  } else {
    // The span at t0 counts if it ends after t0; zero-length spans at t0 do not.
    const std::int64_t end = first == m_count ? m_last.end : startOf(first + 1);
    if (end <= t0)
      ++first;
  }
  if (t1 < t0)
    return {first, first};
  const std::size_t at = indexAt(t1);
  const std::size_t last = at == SIZE_MAX ? 0 : at + 1;
  return {first, std::max(first, last)};
}

std::size_t SpanList::memoryBytes() const noexcept
{
  return sizeof(*this) + m_bytes.capacity() + m_groups.capacity() * sizeof(Group);
}

std::size_t SpanList::dropBefore(std::int64_t t)
{
  const std::size_t at = indexAt(t);
  // Before the first span, or too few to free a group: keep all (the last span always stays).
  if (at == SIZE_MAX || at < kGroupSpans || at >= size())
    return 0;
  const std::size_t first = std::min(at, size() - 1);
  SpanList kept;
  for (std::size_t i = first; i + 1 < size(); ++i)
    kept.push_back((*this)[i]);
  kept.push_back(m_last);
  kept.m_bytes.shrink_to_fit();
  kept.m_groups.shrink_to_fit();
  *this = std::move(kept);
  return first;
}

}  // namespace loopscope::views
