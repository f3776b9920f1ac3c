// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the packed stores (EventStore, SpanList) share: LEB128 varints, zigzag for signed
// differences, and a forward iterator over a container whose operator[] decodes a value.
// No Qt.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

namespace loopscope::views::packing {

// Signed to unsigned so that small differences of either sign stay small: 0, -1, 1, -2 ... ->
// 0, 1, 2, 3 ...
[[nodiscard]] inline std::uint64_t zigzag(std::int64_t v) noexcept
{
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

[[nodiscard]] inline std::int64_t unzigzag(std::uint64_t v) noexcept
{
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Bytes putVarint() writes for v (1 to 10).
[[nodiscard]] inline std::size_t varintSize(std::uint64_t v) noexcept
{
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes v at p (room for 10 bytes needed), returns the byte after it.
inline std::uint8_t* putVarint(std::uint8_t* p, std::uint64_t v) noexcept
{
  while (v >= 0x80) {
    *p++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<std::uint8_t>(v);
  return p;
}

inline void putVarint(std::vector<std::uint8_t>& out, std::uint64_t v)
{
  std::uint8_t bytes[10];
  out.insert(out.end(), bytes, putVarint(bytes, v));
}

// Reads the varint at p and moves p past it.
[[nodiscard]] inline std::uint64_t getVarint(const std::uint8_t*& p) noexcept
{
  std::uint64_t v = 0;
  int shift = 0;
  for (;;) {
    const std::uint8_t b = *p++;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0)
      return v;
    shift += 7;
  }
}

// A forward iterator over c[0], c[1], ... of a container whose operator[] returns a Value (a
// decoded copy): *it is a value, it->field works through a proxy holding one.
template <class Container, class Value>
class IndexIterator
{
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Value;

  IndexIterator() = default;
  IndexIterator(const Container* c, std::size_t index) : m_c(c), m_index(index) {}
  Value operator*() const { return (*m_c)[m_index]; }
  struct Arrow
  {
    Value value;
    const Value* operator->() const noexcept { return &value; }
  };
  Arrow operator->() const { return Arrow{(*m_c)[m_index]}; }
  IndexIterator& operator++()
  {
    ++m_index;
    return *this;
  }
  IndexIterator operator++(int)
  {
    IndexIterator old = *this;
    ++m_index;
    return old;
  }
  [[nodiscard]] std::size_t index() const noexcept { return m_index; }
  friend bool operator==(const IndexIterator& a, const IndexIterator& b)
  {
    return a.m_index == b.m_index;
  }

private:
  const Container* m_c = nullptr;
  std::size_t m_index = 0;
};

}  // namespace loopscope::views::packing
