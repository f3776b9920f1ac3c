// SPDX-License-Identifier: GPL-3.0-or-later
// Python's str and bytes methods on UTF-8 / byte strings, code point helpers and reprs,
// following CPython 3.11 (Objects/unicodeobject.c, Objects/bytes_methods.c, Objects/stringlib).
// Every function has an ASCII fast path: for ASCII text code points are bytes.

#include "engine/script/pyformat.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace loopscope::script::py {

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
// Results beyond this many bytes raise MemoryError (CPython: when the allocation fails).
constexpr std::uint64_t kMaxResultBytes = std::uint64_t{1} << 30;

[[noreturn]] void raise(std::string_view type, std::string message)
{
  throw PyError{std::string(type), std::move(message)};
}

bool is_cont(char c) noexcept
{
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool ascii_only(std::string_view s) noexcept
{
  // Eight bytes at a time.
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ull)
      return false;
  }
  for (; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0x80)
      return false;
  return true;
}

std::uint16_t props_of(char32_t cp) noexcept
{
  return unicode::props(cp);
}

bool is_space_cp(char32_t cp) noexcept
{
  if (cp < 0x80)
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1C && cp <= 0x1F);
  return props_of(cp) & unicode::kSpace;
}

bool is_ascii_space(unsigned char c) noexcept
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}

bool is_linebreak_cp(char32_t cp) noexcept
{
  switch (cp) {
    case '\n':
    case '\r':
    case 0x0B:
    case 0x0C:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x85:
    case 0x2028:
    case 0x2029:
      return true;
    default:
      return false;
  }
}

char ascii_upper(char c) noexcept
{
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

char ascii_lower(char c) noexcept
{
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool ascii_isupper(char c) noexcept
{
  return c >= 'A' && c <= 'Z';
}

bool ascii_islower(char c) noexcept
{
  return c >= 'a' && c <= 'z';
}

bool ascii_isalpha(char c) noexcept
{
  return ascii_isupper(c) || ascii_islower(c);
}

bool ascii_isdigit(char c) noexcept
{
  return c >= '0' && c <= '9';
}

void append_map(std::string& out, char32_t cp, unicode::CaseKind kind)
{
  const unicode::CaseMap m = unicode::case_map(cp, kind);
  for (int i = 0; i < m.n; ++i)
    append_cp(out, m.cp[i]);
}

// CPython's handle_capital_sigma: U+03A3 lowers to final sigma U+03C2 when preceded by a cased
// letter and not followed by one (case-ignorable characters skipped both ways).
char32_t lower_sigma(const std::u32string& s, std::size_t i)
{
  std::size_t j = i;
  char32_t c = 0;
  bool found = false;
  while (j > 0) {
    c = s[--j];
    if (!(props_of(c) & unicode::kCaseIgnorable)) {
      found = true;
      break;
    }
  }
  bool final_sigma = found && (props_of(c) & unicode::kCased);
  if (final_sigma) {
    std::size_t k = i + 1;
    for (; k < s.size(); ++k) {
      c = s[k];
      if (!(props_of(c) & unicode::kCaseIgnorable))
        break;
    }
    final_sigma = k == s.size() || !(props_of(c) & unicode::kCased);
  }
  return final_sigma ? 0x3C2 : 0x3C3;
}

void append_lower(std::string& out, const std::u32string& s, std::size_t i)
{
  if (s[i] == 0x3A3)
    append_cp(out, lower_sigma(s, i));
  else
    append_map(out, s[i], unicode::CaseKind::Lower);
}

// ---- index helpers shared by str (code point units) and bytes (byte units)

// ADJUST_INDICES: start/end (None = whole) against `len` units.
void adjust_indices(std::int64_t len, OptIndex start_in, OptIndex end_in, std::int64_t& start,
                    std::int64_t& end) noexcept
{
  start = start_in.value_or(0);
  end = end_in.value_or(kInt64Max);
  if (end > len) {
    end = len;
  } else if (end < 0) {
    end += len;
    if (end < 0)
      end = 0;
  }
  if (start < 0) {
    start += len;
    if (start < 0)
      start = 0;
  }
}

// The searchable window of s for start/end arguments: [start, end) in units, and in bytes.
struct Window
{
  std::int64_t start = 0;  // units
  std::int64_t end = 0;    // units
  std::size_t bstart = 0;  // bytes
  std::size_t bend = 0;    // bytes
  bool ascii = true;       // units are bytes
};

Window make_window(std::string_view s, bool bytes, OptIndex start, OptIndex end)
{
  Window w;
  w.ascii = bytes || ascii_only(s);
  const std::int64_t len =
      w.ascii ? static_cast<std::int64_t>(s.size()) : static_cast<std::int64_t>(cp_len(s));
  adjust_indices(len, start, end, w.start, w.end);
  if (w.ascii) {
    w.bstart = static_cast<std::size_t>(std::min(w.start, len));
    w.bend = static_cast<std::size_t>(std::max<std::int64_t>(w.end, 0));
  } else {
    w.bstart = cp_offset(s, static_cast<std::size_t>(std::min(w.start, len)));
    w.bend = cp_offset(s, static_cast<std::size_t>(std::max<std::int64_t>(w.end, 0)));
  }
  return w;
}

std::int64_t units_len(std::string_view s, bool ascii) noexcept
{
  return ascii ? static_cast<std::int64_t>(s.size()) : static_cast<std::int64_t>(cp_len(s));
}

std::int64_t find_impl(std::string_view s, std::string_view sub, OptIndex start, OptIndex end,
                       bool bytes, bool reverse)
{
  const Window w = make_window(s, bytes, start, end);
  const std::int64_t sublen = units_len(sub, w.ascii || bytes);
  if (w.end - w.start < sublen)
    return -1;
  if (sub.empty())
    return reverse ? w.end : w.start;
  const std::string_view hay = s.substr(w.bstart, w.bend - w.bstart);
  const std::size_t off = reverse ? hay.rfind(sub) : hay.find(sub);
  if (off == std::string_view::npos)
    return -1;
  if (w.ascii)
    return w.start + static_cast<std::int64_t>(off);
  return w.start + static_cast<std::int64_t>(cp_index(hay, off));
}

std::int64_t count_impl(std::string_view s, std::string_view sub, OptIndex start, OptIndex end,
                        bool bytes)
{
  const Window w = make_window(s, bytes, start, end);
  const std::int64_t sublen = units_len(sub, w.ascii || bytes);
  if (w.end - w.start < sublen)
    return 0;
  if (sub.empty())
    return w.end - w.start + 1;
  const std::string_view hay = s.substr(w.bstart, w.bend - w.bstart);
  std::int64_t n = 0;
  for (std::size_t pos = hay.find(sub); pos != std::string_view::npos;
       pos = hay.find(sub, pos + sub.size()))
    ++n;
  return n;
}

bool tailmatch(std::string_view s, std::string_view sub, OptIndex start, OptIndex end, bool bytes,
               bool at_end)
{
  const Window w = make_window(s, bytes, start, end);
  const std::int64_t sublen = units_len(sub, w.ascii || bytes);
  if (w.end - sublen < w.start)
    return false;
  if (sub.empty())
    return true;
  const std::string_view hay = s.substr(w.bstart, w.bend - w.bstart);
  return at_end ? hay.ends_with(sub) : hay.starts_with(sub);
}

// ---- split

template <class IsSpace>
std::vector<std::string> split_ws(const std::u32string& u, std::string_view s, bool units_are_bytes,
                                  std::int64_t maxsplit, IsSpace is_space)
{
  // Works on code points (u) or bytes (s); emits UTF-8 / byte substrings.
  std::vector<std::string> out;
  const std::size_t len = units_are_bytes ? s.size() : u.size();
  auto unit = [&](std::size_t i) -> char32_t {
    return units_are_bytes ? static_cast<unsigned char>(s[i]) : u[i];
  };
  auto add = [&](std::size_t a, std::size_t b) {
    if (units_are_bytes)
      out.emplace_back(s.substr(a, b - a));
    else
      out.push_back(from_u32(std::u32string_view(u).substr(a, b - a)));
  };
  if (maxsplit < 0)
    maxsplit = kInt64Max;
  std::size_t i = 0;
  while (maxsplit-- > 0) {
    while (i < len && is_space(unit(i)))
      ++i;
    if (i == len)
      break;
    const std::size_t j = i++;
    while (i < len && !is_space(unit(i)))
      ++i;
    add(j, i);
  }
  if (i < len) {
    while (i < len && is_space(unit(i)))
      ++i;
    if (i != len)
      add(i, len);
  }
  return out;
}

template <class IsSpace>
std::vector<std::string> rsplit_ws(const std::u32string& u, std::string_view s,
                                   bool units_are_bytes, std::int64_t maxsplit, IsSpace is_space)
{
  std::vector<std::string> out;
  const auto len = static_cast<std::int64_t>(units_are_bytes ? s.size() : u.size());
  auto unit = [&](std::int64_t i) -> char32_t {
    return units_are_bytes ? static_cast<unsigned char>(s[static_cast<std::size_t>(i)])
                           : u[static_cast<std::size_t>(i)];
  };
  auto add = [&](std::int64_t a, std::int64_t b) {
    const auto ua = static_cast<std::size_t>(a), n = static_cast<std::size_t>(b - a);
    if (units_are_bytes)
      out.emplace_back(s.substr(ua, n));
    else
      out.push_back(from_u32(std::u32string_view(u).substr(ua, n)));
  };
  if (maxsplit < 0)
    maxsplit = kInt64Max;
  std::int64_t i = len - 1;
  while (maxsplit-- > 0) {
    while (i >= 0 && is_space(unit(i)))
      --i;
    if (i < 0)
      break;
    const std::int64_t j = i--;
    while (i >= 0 && !is_space(unit(i)))
      --i;
    add(i + 1, j + 1);
  }
  if (i >= 0) {
    while (i >= 0 && is_space(unit(i)))
      --i;
    if (i >= 0)
      add(0, i + 1);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::string> split_sep(std::string_view s, std::string_view sep, std::int64_t maxsplit)
{
  if (sep.empty())
    raise("ValueError", "empty separator");
  if (maxsplit < 0)
    maxsplit = kInt64Max;
  std::vector<std::string> out;
  std::size_t i = 0;
  while (maxsplit-- > 0) {
    const std::size_t pos = s.find(sep, i);
    if (pos == std::string_view::npos)
      break;
    out.emplace_back(s.substr(i, pos - i));
    i = pos + sep.size();
  }
  out.emplace_back(s.substr(i));
  return out;
}

std::vector<std::string> rsplit_sep(std::string_view s, std::string_view sep, std::int64_t maxsplit)
{
  if (sep.empty())
    raise("ValueError", "empty separator");
  if (maxsplit < 0)
    maxsplit = kInt64Max;
  std::vector<std::string> out;
  std::size_t j = s.size();
  while (maxsplit-- > 0 && j >= sep.size()) {
    const std::size_t pos = s.substr(0, j).rfind(sep);
    if (pos == std::string_view::npos)
      break;
    out.emplace_back(s.substr(pos + sep.size(), j - pos - sep.size()));
    j = pos;
  }
  out.emplace_back(s.substr(0, j));
  std::reverse(out.begin(), out.end());
  return out;
}

// ---- strip

enum StripSide : unsigned { kLeft = 1, kRight = 2 };

std::string strip_impl(std::string_view s, std::optional<std::string_view> chars, unsigned sides,
                       bool bytes)
{
  if (bytes || (ascii_only(s) && (!chars || ascii_only(*chars)))) {
    auto strip_it = [&](unsigned char c) {
      return chars ? chars->find(static_cast<char>(c)) != std::string_view::npos
                   : (bytes ? is_ascii_space(c) : is_space_cp(c));
    };
    std::size_t b = 0, e = s.size();
    if (sides & kLeft)
      while (b < e && strip_it(static_cast<unsigned char>(s[b])))
        ++b;
    if (sides & kRight)
      while (e > b && strip_it(static_cast<unsigned char>(s[e - 1])))
        --e;
    return std::string(s.substr(b, e - b));
  }
  const std::u32string set = chars ? to_u32(*chars) : std::u32string();
  auto strip_it = [&](char32_t c) {
    return chars ? set.find(c) != std::u32string::npos : is_space_cp(c);
  };
  std::size_t b = 0, e = s.size();
  if (sides & kLeft) {
    while (b < e) {
      std::size_t p = b;
      if (!strip_it(decode_cp(s, p)))
        break;
      b = p;
    }
  }
  if (sides & kRight) {
    while (e > b) {
      std::size_t start = e - 1;
      while (start > b && is_cont(s[start]))
        --start;
      std::size_t p = start;
      if (!strip_it(decode_cp(s, p)))
        break;
      e = start;
    }
  }
  return std::string(s.substr(b, e - b));
}

// ---- padding

std::string pad(std::string_view s, std::int64_t left, std::int64_t right, std::string_view fill)
{
  std::string out;
  out.reserve(s.size() + static_cast<std::size_t>(left + right) * fill.size());
  for (std::int64_t i = 0; i < left; ++i)
    out += fill;
  out += s;
  for (std::int64_t i = 0; i < right; ++i)
    out += fill;
  return out;
}

void check_result_size(std::uint64_t bytes)
{
  if (bytes > kMaxResultBytes)
    raise("MemoryError", "");
}

enum class Just : std::uint8_t { Left, Right, Center };

std::string justify(std::string_view s, std::int64_t width, std::string_view fill, bool bytes,
                    Just how)
{
  const std::int64_t len =
      bytes ? static_cast<std::int64_t>(s.size()) : static_cast<std::int64_t>(cp_len(s));
  if (bytes) {
    if (fill.size() != 1) {
      const char* name = how == Just::Left ? "ljust" : (how == Just::Right ? "rjust" : "center");
      raise("TypeError",
            std::string(name) + "() argument 2 must be a byte string of length 1, not bytes");
    }
  } else if (cp_len(fill) != 1) {
    raise("TypeError", "The fill character must be exactly one character long");
  }
  if (len >= width)
    return std::string(s);
  check_result_size(static_cast<std::uint64_t>(width) * fill.size());
  const std::int64_t marg = width - len;
  switch (how) {
    case Just::Left:
      return pad(s, 0, marg, fill);
    case Just::Right:
      return pad(s, marg, 0, fill);
    default: {
      const std::int64_t left = marg / 2 + (marg & width & 1);
      return pad(s, left, marg - left, fill);
    }
  }
}

std::string zfill_impl(std::string_view s, std::int64_t width, bool bytes)
{
  const std::int64_t len =
      bytes ? static_cast<std::int64_t>(s.size()) : static_cast<std::int64_t>(cp_len(s));
  if (len >= width)
    return std::string(s);
  check_result_size(static_cast<std::uint64_t>(width));
  const auto fill = static_cast<std::size_t>(width - len);
  std::string out(fill, '0');
  out += s;
  if (out[fill] == '+' || out[fill] == '-') {
    out[0] = out[fill];
    out[fill] = '0';
  }
  return out;
}

std::string expandtabs_impl(std::string_view s, std::int64_t tabsize, bool bytes)
{
  std::string out;
  out.reserve(s.size());
  std::int64_t col = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\t') {
      if (tabsize > 0) {
        const std::int64_t incr = tabsize - (col % tabsize);
        col += incr;
        check_result_size(out.size() + static_cast<std::uint64_t>(incr));
        out.append(static_cast<std::size_t>(incr), ' ');
      }
      continue;
    }
    out += c;
    if (!bytes && is_cont(c))
      continue;  // a continuation byte is not a column
    ++col;
    if (c == '\n' || c == '\r')
      col = 0;
  }
  return out;
}

std::string replace_impl(std::string_view s, std::string_view old, std::string_view new_,
                         std::int64_t count, bool bytes)
{
  if (count < 0)
    count = kInt64Max;
  std::string out;
  if (old.empty()) {
    // Insert before every unit and at the end, up to count times.
    out.reserve(s.size() + new_.size() * (s.size() + 1));
    std::size_t i = 0;
    while (count > 0 && i < s.size()) {
      out += new_;
      --count;
      std::size_t next = i + 1;
      if (!bytes)
        while (next < s.size() && is_cont(s[next]))
          ++next;
      out.append(s.substr(i, next - i));
      i = next;
    }
    if (count > 0 && i == s.size())
      out += new_;
    out.append(s.substr(i));
    return out;
  }
  out.reserve(s.size());
  std::size_t i = 0;
  while (count > 0) {
    const std::size_t pos = s.find(old, i);
    if (pos == std::string_view::npos)
      break;
    out.append(s.substr(i, pos - i));
    out += new_;
    i = pos + old.size();
    --count;
  }
  out.append(s.substr(i));
  return out;
}

std::vector<std::string> splitlines_impl(std::string_view s, bool keepends, bool bytes)
{
  std::vector<std::string> out;
  std::size_t i = 0, j = 0;
  const std::size_t len = s.size();
  while (i < len) {
    std::size_t brk_len = 0;
    while (i < len) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        if (c == '\n' || c == '\r' ||
            (!bytes && (c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E))) {
          brk_len = 1;
          break;
        }
        ++i;
        continue;
      }
      if (bytes) {
        ++i;
        continue;
      }
      std::size_t p = i;
      const char32_t cp = decode_cp(s, p);
      if (is_linebreak_cp(cp)) {
        brk_len = p - i;
        break;
      }
      i = p;
    }
    std::size_t eol = i;
    if (i < len) {
      if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
        i += 2;
      else
        i += brk_len;
      if (keepends)
        eol = i;
    }
    out.emplace_back(s.substr(j, eol - j));
    j = i;
  }
  return out;
}

// ---- str predicates over code points

template <class Pred>
bool all_cps(std::string_view s, Pred pred) noexcept
{
  std::size_t pos = 0;
  while (pos < s.size())
    if (!pred(decode_cp(s, pos)))
      return false;
  return true;
}

bool all_props(std::string_view s, std::uint16_t mask) noexcept
{
  if (s.empty())
    return false;
  return all_cps(s, [mask](char32_t c) { return (props_of(c) & mask) != 0; });
}

std::string repr_impl(std::string_view s)
{
  bool has_single = false, has_double = false, plain = true;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\'')
      has_single = true;
    else if (c == '"')
      has_double = true;
    else if (c < ' ' || c >= 0x7F || c == '\\')
      plain = false;
  }
  const char quote = (has_single && !has_double) ? '"' : '\'';
  if (plain && !(has_single && has_double)) {
    // Printable ASCII without the quote character: nothing to escape.
    std::string out;
    out.reserve(s.size() + 2);
    out += quote;
    out += s;
    out += quote;
    return out;
  }
  std::string out;
  out.reserve(s.size() + 2);
  out += quote;
  static const char kHex[] = "0123456789abcdef";
  auto hex = [&](char prefix, std::uint32_t v, int digits) {
    out += '\\';
    out += prefix;
    for (int k = digits - 1; k >= 0; --k)
      out += kHex[(v >> (4 * k)) & 0xF];
  };
  std::size_t pos = 0;
  while (pos < s.size()) {
    const auto c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      ++pos;
      if (c == static_cast<unsigned char>(quote) || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < ' ' || c == 0x7F) {
        hex('x', c, 2);
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    const std::size_t start = pos;
    const char32_t cp = decode_cp(s, pos);
    if (props_of(cp) & unicode::kPrintable)
      out.append(s.substr(start, pos - start));
    else if (cp < 0x100)
      hex('x', static_cast<std::uint32_t>(cp), 2);
    else if (cp < 0x10000)
      hex('u', static_cast<std::uint32_t>(cp), 4);
    else
      hex('U', static_cast<std::uint32_t>(cp), 8);
  }
  out += quote;
  return out;
}

}  // namespace

// ================================================================== code points

char32_t decode_cp(std::string_view s, std::size_t& pos) noexcept
{
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) {
    ++pos;
    return c;
  }
  int n = 0;
  char32_t cp = 0, min = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
    cp = c & 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    cp = c & 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    cp = c & 0x07;
    min = 0x10000;
  }
  if (n > 0 && pos + static_cast<std::size_t>(n) < s.size()) {
    bool ok = true;
    for (int k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[pos + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok && cp >= min && cp <= 0x10FFFF) {
      pos += static_cast<std::size_t>(n) + 1;
      return cp;
    }
  }
  ++pos;
  return 0xDC00 + c;
}

void append_cp(std::string& out, char32_t cp)
{
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | ((cp >> 18) & 0x07));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::u32string to_u32(std::string_view s)
{
  std::u32string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size())
    out += decode_cp(s, pos);
  return out;
}

std::string from_u32(std::u32string_view s)
{
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s)
    append_cp(out, c);
  return out;
}

std::size_t cp_len(std::string_view s) noexcept
{
  std::size_t n = 0;
  for (char c : s)
    n += !is_cont(c);
  return n;
}

std::size_t cp_offset(std::string_view s, std::size_t index) noexcept
{
  if (index >= s.size())
    return s.size();
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_cont(s[i])) {
      if (n == index)
        return i;
      ++n;
    }
  }
  return s.size();
}

std::size_t cp_index(std::string_view s, std::size_t offset) noexcept
{
  return cp_len(s.substr(0, std::min(offset, s.size())));
}

std::int64_t py_ord(std::string_view c)
{
  const std::size_t n = cp_len(c);
  if (n != 1)
    raise("TypeError",
          "ord() expected a character, but string of length " + std::to_string(n) + " found");
  std::size_t pos = 0;
  return decode_cp(c, pos);
}

std::string py_chr(std::int64_t i)
{
  if (i < 0 || i > 0x10FFFF)
    raise("ValueError", "chr() arg not in range(0x110000)");
  std::string out;
  append_cp(out, static_cast<char32_t>(i));
  return out;
}

SliceIndices normalize_slice(std::int64_t len, std::optional<std::int64_t> start,
                             std::optional<std::int64_t> stop, std::optional<std::int64_t> step)
{
  SliceIndices r;
  r.step = step.value_or(1);
  if (r.step == 0)
    raise("ValueError", "slice step cannot be zero");
  if (r.step < -kInt64Max)
    r.step = -kInt64Max;
  r.start = start.value_or(r.step < 0 ? kInt64Max : 0);
  r.stop = stop.value_or(r.step < 0 ? kInt64Min : kInt64Max);
  auto adjust = [&](std::int64_t& v) {
    if (v < 0) {
      v += len;
      if (v < 0)
        v = r.step < 0 ? -1 : 0;
    } else if (v >= len) {
      v = r.step < 0 ? len - 1 : len;
    }
  };
  adjust(r.start);
  adjust(r.stop);
  if (r.step < 0)
    r.length = r.stop < r.start ? (r.start - r.stop - 1) / (-r.step) + 1 : 0;
  else
    r.length = r.start < r.stop ? (r.stop - r.start - 1) / r.step + 1 : 0;
  return r;
}

std::optional<std::int64_t> normalize_index(std::int64_t len, std::int64_t index) noexcept
{
  if (index < 0)
    index += len;
  if (index < 0 || index >= len)
    return std::nullopt;
  return index;
}

std::string str_getitem(std::string_view s, std::int64_t index)
{
  const bool ascii = ascii_only(s);
  const auto i = normalize_index(units_len(s, ascii), index);
  if (!i)
    raise("IndexError", "string index out of range");
  if (ascii)
    return std::string(1, s[static_cast<std::size_t>(*i)]);
  const std::size_t b = cp_offset(s, static_cast<std::size_t>(*i));
  std::size_t e = b + 1;
  while (e < s.size() && is_cont(s[e]))
    ++e;
  return std::string(s.substr(b, e - b));
}

std::string bytes_slice(std::string_view s, const SliceIndices& sl)
{
  if (sl.length <= 0)
    return {};
  if (sl.step == 1)
    return std::string(
        s.substr(static_cast<std::size_t>(sl.start), static_cast<std::size_t>(sl.length)));
  std::string out;
  out.reserve(static_cast<std::size_t>(sl.length));
  std::int64_t i = sl.start;
  for (std::int64_t k = 0; k < sl.length; ++k, i += sl.step)
    out += s[static_cast<std::size_t>(i)];
  return out;
}

std::string str_slice(std::string_view s, const SliceIndices& sl)
{
  if (sl.length <= 0)
    return {};
  if (ascii_only(s))
    return bytes_slice(s, sl);
  if (sl.step == 1) {
    const std::size_t b = cp_offset(s, static_cast<std::size_t>(sl.start));
    const std::string_view rest = s.substr(b);
    return std::string(rest.substr(0, cp_offset(rest, static_cast<std::size_t>(sl.length))));
  }
  // Start offsets of every code point, then pick.
  std::vector<std::size_t> starts;
  starts.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!is_cont(s[i]))
      starts.push_back(i);
  starts.push_back(s.size());
  std::string out;
  std::int64_t i = sl.start;
  for (std::int64_t k = 0; k < sl.length; ++k, i += sl.step) {
    const auto u = static_cast<std::size_t>(i);
    out.append(s.substr(starts[u], starts[u + 1] - starts[u]));
  }
  return out;
}

// ================================================================== reprs

std::string str_repr(std::string_view s)
{
  return repr_impl(s);
}

std::string ascii_repr(std::string_view s)
{
  return ascii_escape(repr_impl(s));
}

std::string bytes_repr(std::string_view b)
{
  const bool has_single = b.find('\'') != std::string_view::npos;
  const bool has_double = b.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  static const char kHex[] = "0123456789abcdef";
  std::string out = "b";
  out.reserve(b.size() + 3);
  out += quote;
  for (char ch : b) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < ' ' || c >= 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  out += quote;
  return out;
}

// ================================================================== str case mappings

std::string str_upper(std::string_view s)
{
  if (ascii_only(s)) {
    std::string out(s);
    for (char& c : out)
      c = ascii_upper(c);
    return out;
  }
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const char c = s[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      out += ascii_upper(c);
      ++pos;
    } else {
      append_map(out, decode_cp(s, pos), unicode::CaseKind::Upper);
    }
  }
  return out;
}

std::string str_lower(std::string_view s)
{
  if (ascii_only(s)) {
    std::string out(s);
    for (char& c : out)
      c = ascii_lower(c);
    return out;
  }
  const std::u32string u = to_u32(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < u.size(); ++i)
    append_lower(out, u, i);
  return out;
}

std::string str_casefold(std::string_view s)
{
  if (ascii_only(s))
    return str_lower(s);
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const char c = s[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      out += ascii_lower(c);
      ++pos;
    } else {
      append_map(out, decode_cp(s, pos), unicode::CaseKind::Fold);
    }
  }
  return out;
}

std::string str_capitalize(std::string_view s)
{
  if (s.empty())
    return {};
  if (ascii_only(s)) {
    std::string out(s);
    out[0] = ascii_upper(out[0]);
    for (std::size_t i = 1; i < out.size(); ++i)
      out[i] = ascii_lower(out[i]);
    return out;
  }
  const std::u32string u = to_u32(s);
  std::string out;
  out.reserve(s.size());
  append_map(out, u[0], unicode::CaseKind::Title);
  for (std::size_t i = 1; i < u.size(); ++i)
    append_lower(out, u, i);
  return out;
}

std::string str_title(std::string_view s)
{
  const std::u32string u = to_u32(s);
  std::string out;
  out.reserve(s.size());
  bool previous_is_cased = false;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (previous_is_cased)
      append_lower(out, u, i);
    else
      append_map(out, u[i], unicode::CaseKind::Title);
    previous_is_cased = props_of(u[i]) & unicode::kCased;
  }
  return out;
}

std::string str_swapcase(std::string_view s)
{
  const std::u32string u = to_u32(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < u.size(); ++i) {
    const std::uint16_t p = props_of(u[i]);
    if (p & unicode::kUpper)
      append_lower(out, u, i);
    else if (p & unicode::kLower)
      append_map(out, u[i], unicode::CaseKind::Upper);
    else
      append_cp(out, u[i]);
  }
  return out;
}

// ================================================================== str predicates

bool str_isascii(std::string_view s) noexcept
{
  return ascii_only(s);
}

bool str_isdigit(std::string_view s) noexcept
{
  return all_props(s, unicode::kDigit);
}

bool str_isdecimal(std::string_view s) noexcept
{
  return all_props(s, unicode::kDecimal);
}

bool str_isnumeric(std::string_view s) noexcept
{
  return all_props(s, unicode::kNumeric);
}

bool str_isalpha(std::string_view s) noexcept
{
  return all_props(s, unicode::kAlpha);
}

bool str_isalnum(std::string_view s) noexcept
{
  return all_props(s, unicode::kAlpha | unicode::kDecimal | unicode::kDigit | unicode::kNumeric);
}

bool str_isspace(std::string_view s) noexcept
{
  if (s.empty())
    return false;
  return all_cps(s, is_space_cp);
}

bool str_isprintable(std::string_view s) noexcept
{
  return all_cps(s, [](char32_t c) {
    if (c < 0x80)
      return c >= 0x20 && c < 0x7F;
    return (props_of(c) & unicode::kPrintable) != 0;
  });
}

bool str_isupper(std::string_view s) noexcept
{
  if (cp_len(s) == 1) {
    std::size_t pos = 0;
    return props_of(decode_cp(s, pos)) & unicode::kUpper;
  }
  bool cased = false;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::uint16_t p = props_of(decode_cp(s, pos));
    if (p & (unicode::kLower | unicode::kTitle))
      return false;
    if (p & unicode::kUpper)
      cased = true;
  }
  return cased;
}

bool str_islower(std::string_view s) noexcept
{
  if (cp_len(s) == 1) {
    std::size_t pos = 0;
    return props_of(decode_cp(s, pos)) & unicode::kLower;
  }
  bool cased = false;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::uint16_t p = props_of(decode_cp(s, pos));
    if (p & (unicode::kUpper | unicode::kTitle))
      return false;
    if (p & unicode::kLower)
      cased = true;
  }
  return cased;
}

bool str_istitle(std::string_view s) noexcept
{
  if (cp_len(s) == 1) {
    std::size_t pos = 0;
    return props_of(decode_cp(s, pos)) & (unicode::kTitle | unicode::kUpper);
  }
  bool cased = false, previous_is_cased = false;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::uint16_t p = props_of(decode_cp(s, pos));
    if (p & (unicode::kUpper | unicode::kTitle)) {
      if (previous_is_cased)
        return false;
      previous_is_cased = cased = true;
    } else if (p & unicode::kLower) {
      if (!previous_is_cased)
        return false;
      previous_is_cased = cased = true;
    } else {
      previous_is_cased = false;
    }
  }
  return cased;
}

bool str_isidentifier(std::string_view s) noexcept
{
  if (s.empty())
    return false;
  std::size_t pos = 0;
  if (!(props_of(decode_cp(s, pos)) & unicode::kXidStart))
    return false;
  while (pos < s.size())
    if (!(props_of(decode_cp(s, pos)) & unicode::kXidContinue))
      return false;
  return true;
}

// ================================================================== str split, strip, join ...

std::vector<std::string> str_split(std::string_view s, std::optional<std::string_view> sep,
                                   std::int64_t maxsplit)
{
  if (sep)
    return split_sep(s, *sep, maxsplit);
  if (ascii_only(s))
    return split_ws({}, s, true, maxsplit, is_space_cp);
  return split_ws(to_u32(s), s, false, maxsplit, is_space_cp);
}

std::vector<std::string> str_rsplit(std::string_view s, std::optional<std::string_view> sep,
                                    std::int64_t maxsplit)
{
  if (sep)
    return rsplit_sep(s, *sep, maxsplit);
  if (ascii_only(s))
    return rsplit_ws({}, s, true, maxsplit, is_space_cp);
  return rsplit_ws(to_u32(s), s, false, maxsplit, is_space_cp);
}

std::vector<std::string> str_splitlines(std::string_view s, bool keepends)
{
  return splitlines_impl(s, keepends, false);
}

std::string str_strip(std::string_view s, std::optional<std::string_view> chars)
{
  return strip_impl(s, chars, kLeft | kRight, false);
}

std::string str_lstrip(std::string_view s, std::optional<std::string_view> chars)
{
  return strip_impl(s, chars, kLeft, false);
}

std::string str_rstrip(std::string_view s, std::optional<std::string_view> chars)
{
  return strip_impl(s, chars, kRight, false);
}

std::string str_join(std::string_view sep, const std::vector<std::string>& parts)
{
  if (parts.empty())
    return {};
  std::size_t total = sep.size() * (parts.size() - 1);
  for (const auto& p : parts)
    total += p.size();
  std::string out;
  out.reserve(total);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i)
      out += sep;
    out += parts[i];
  }
  return out;
}

std::string str_replace(std::string_view s, std::string_view old, std::string_view new_,
                        std::int64_t count)
{
  return replace_impl(s, old, new_, count, false);
}

std::int64_t str_find(std::string_view s, std::string_view sub, OptIndex start, OptIndex end)
{
  return find_impl(s, sub, start, end, false, false);
}

std::int64_t str_rfind(std::string_view s, std::string_view sub, OptIndex start, OptIndex end)
{
  return find_impl(s, sub, start, end, false, true);
}

std::int64_t str_index(std::string_view s, std::string_view sub, OptIndex start, OptIndex end)
{
  const std::int64_t r = find_impl(s, sub, start, end, false, false);
  if (r < 0)
    raise("ValueError", "substring not found");
  return r;
}

std::int64_t str_rindex(std::string_view s, std::string_view sub, OptIndex start, OptIndex end)
{
  const std::int64_t r = find_impl(s, sub, start, end, false, true);
  if (r < 0)
    raise("ValueError", "substring not found");
  return r;
}

std::int64_t str_count(std::string_view s, std::string_view sub, OptIndex start, OptIndex end)
{
  return count_impl(s, sub, start, end, false);
}

bool str_startswith(std::string_view s, std::string_view prefix, OptIndex start, OptIndex end)
{
  return tailmatch(s, prefix, start, end, false, false);
}

bool str_endswith(std::string_view s, std::string_view suffix, OptIndex start, OptIndex end)
{
  return tailmatch(s, suffix, start, end, false, true);
}

std::string str_center(std::string_view s, std::int64_t width, std::string_view fill)
{
  return justify(s, width, fill, false, Just::Center);
}

std::string str_ljust(std::string_view s, std::int64_t width, std::string_view fill)
{
  return justify(s, width, fill, false, Just::Left);
}

std::string str_rjust(std::string_view s, std::int64_t width, std::string_view fill)
{
  return justify(s, width, fill, false, Just::Right);
}

std::string str_zfill(std::string_view s, std::int64_t width)
{
  return zfill_impl(s, width, false);
}

std::array<std::string, 3> str_partition(std::string_view s, std::string_view sep)
{
  if (sep.empty())
    raise("ValueError", "empty separator");
  const std::size_t pos = s.find(sep);
  if (pos == std::string_view::npos)
    return {std::string(s), std::string(), std::string()};
  return {std::string(s.substr(0, pos)), std::string(sep), std::string(s.substr(pos + sep.size()))};
}

std::array<std::string, 3> str_rpartition(std::string_view s, std::string_view sep)
{
  if (sep.empty())
    raise("ValueError", "empty separator");
  const std::size_t pos = s.rfind(sep);
  if (pos == std::string_view::npos)
    return {std::string(), std::string(), std::string(s)};
  return {std::string(s.substr(0, pos)), std::string(sep), std::string(s.substr(pos + sep.size()))};
}

std::string str_expandtabs(std::string_view s, std::int64_t tabsize)
{
  return expandtabs_impl(s, tabsize, false);
}

std::string str_removeprefix(std::string_view s, std::string_view prefix)
{
  return std::string(s.starts_with(prefix) ? s.substr(prefix.size()) : s);
}

std::string str_removesuffix(std::string_view s, std::string_view suffix)
{
  return std::string(
      (!suffix.empty() && s.ends_with(suffix)) ? s.substr(0, s.size() - suffix.size()) : s);
}

std::string str_repeat(std::string_view s, std::int64_t n)
{
  if (n <= 0 || s.empty())
    return {};
  if (static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(kInt64Max) / s.size())
    raise("OverflowError", "repeated string is too long");
  check_result_size(s.size() * static_cast<std::uint64_t>(n));
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    out += s;
  return out;
}

// ================================================================== bytes methods

std::string bytes_upper(std::string_view b)
{
  std::string out(b);
  for (char& c : out)
    c = ascii_upper(c);
  return out;
}

std::string bytes_lower(std::string_view b)
{
  std::string out(b);
  for (char& c : out)
    c = ascii_lower(c);
  return out;
}

std::string bytes_capitalize(std::string_view b)
{
  std::string out(b);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = i == 0 ? ascii_upper(out[i]) : ascii_lower(out[i]);
  return out;
}

std::string bytes_title(std::string_view b)
{
  std::string out(b);
  bool previous_is_cased = false;
  for (char& c : out) {
    if (ascii_islower(c)) {
      if (!previous_is_cased)
        c = ascii_upper(c);
      previous_is_cased = true;
    } else if (ascii_isupper(c)) {
      if (previous_is_cased)
        c = ascii_lower(c);
      previous_is_cased = true;
    } else {
      previous_is_cased = false;
    }
  }
  return out;
}

std::string bytes_swapcase(std::string_view b)
{
  std::string out(b);
  for (char& c : out)
    c = ascii_isupper(c) ? ascii_lower(c) : ascii_upper(c);
  return out;
}

namespace {

template <class Pred>
bool all_bytes(std::string_view b, Pred pred) noexcept
{
  if (b.empty())
    return false;
  for (char c : b)
    if (!pred(c))
      return false;
  return true;
}

}  // namespace

bool bytes_isdigit(std::string_view b) noexcept
{
  return all_bytes(b, ascii_isdigit);
}

bool bytes_isalpha(std::string_view b) noexcept
{
  return all_bytes(b, ascii_isalpha);
}

bool bytes_isalnum(std::string_view b) noexcept
{
  return all_bytes(b, [](char c) { return ascii_isalpha(c) || ascii_isdigit(c); });
}

bool bytes_isspace(std::string_view b) noexcept
{
  return all_bytes(b, [](char c) { return is_ascii_space(static_cast<unsigned char>(c)); });
}

bool bytes_isupper(std::string_view b) noexcept
{
  bool cased = false;
  for (char c : b) {
    if (ascii_islower(c))
      return false;
    cased = cased || ascii_isupper(c);
  }
  return cased;
}

bool bytes_islower(std::string_view b) noexcept
{
  bool cased = false;
  for (char c : b) {
    if (ascii_isupper(c))
      return false;
    cased = cased || ascii_islower(c);
  }
  return cased;
}

bool bytes_istitle(std::string_view b) noexcept
{
  bool cased = false, previous_is_cased = false;
  for (char c : b) {
    if (ascii_isupper(c)) {
      if (previous_is_cased)
        return false;
      previous_is_cased = cased = true;
    } else if (ascii_islower(c)) {
      if (!previous_is_cased)
        return false;
      previous_is_cased = cased = true;
    } else {
      previous_is_cased = false;
    }
  }
  return cased;
}

std::vector<std::string> bytes_split(std::string_view b, std::optional<std::string_view> sep,
                                     std::int64_t maxsplit)
{
  if (sep)
    return split_sep(b, *sep, maxsplit);
  return split_ws({}, b, true, maxsplit, [](char32_t c) {
    return c < 0x80 && is_ascii_space(static_cast<unsigned char>(c));
  });
}

std::vector<std::string> bytes_rsplit(std::string_view b, std::optional<std::string_view> sep,
                                      std::int64_t maxsplit)
{
  if (sep)
    return rsplit_sep(b, *sep, maxsplit);
  return rsplit_ws({}, b, true, maxsplit, [](char32_t c) {
    return c < 0x80 && is_ascii_space(static_cast<unsigned char>(c));
  });
}

std::vector<std::string> bytes_splitlines(std::string_view b, bool keepends)
{
  return splitlines_impl(b, keepends, true);
}

std::string bytes_strip(std::string_view b, std::optional<std::string_view> chars)
{
  return strip_impl(b, chars, kLeft | kRight, true);
}

std::string bytes_lstrip(std::string_view b, std::optional<std::string_view> chars)
{
  return strip_impl(b, chars, kLeft, true);
}

std::string bytes_rstrip(std::string_view b, std::optional<std::string_view> chars)
{
  return strip_impl(b, chars, kRight, true);
}

std::string bytes_replace(std::string_view b, std::string_view old, std::string_view new_,
                          std::int64_t count)
{
  return replace_impl(b, old, new_, count, true);
}

std::int64_t bytes_find(std::string_view b, std::string_view sub, OptIndex start, OptIndex end)
{
  return find_impl(b, sub, start, end, true, false);
}

std::int64_t bytes_rfind(std::string_view b, std::string_view sub, OptIndex start, OptIndex end)
{
  return find_impl(b, sub, start, end, true, true);
}

std::int64_t bytes_index(std::string_view b, std::string_view sub, OptIndex start, OptIndex end)
{
  const std::int64_t r = find_impl(b, sub, start, end, true, false);
  if (r < 0)
    raise("ValueError", "subsection not found");
  return r;
}

std::int64_t bytes_rindex(std::string_view b, std::string_view sub, OptIndex start, OptIndex end)
{
  const std::int64_t r = find_impl(b, sub, start, end, true, true);
  if (r < 0)
    raise("ValueError", "subsection not found");
  return r;
}

std::int64_t bytes_count(std::string_view b, std::string_view sub, OptIndex start, OptIndex end)
{
  return count_impl(b, sub, start, end, true);
}

bool bytes_startswith(std::string_view b, std::string_view prefix, OptIndex start, OptIndex end)
{
  return tailmatch(b, prefix, start, end, true, false);
}

bool bytes_endswith(std::string_view b, std::string_view suffix, OptIndex start, OptIndex end)
{
  return tailmatch(b, suffix, start, end, true, true);
}

std::string bytes_center(std::string_view b, std::int64_t width, std::string_view fill)
{
  return justify(b, width, fill, true, Just::Center);
}

std::string bytes_ljust(std::string_view b, std::int64_t width, std::string_view fill)
{
  return justify(b, width, fill, true, Just::Left);
}

std::string bytes_rjust(std::string_view b, std::int64_t width, std::string_view fill)
{
  return justify(b, width, fill, true, Just::Right);
}

std::string bytes_zfill(std::string_view b, std::int64_t width)
{
  return zfill_impl(b, width, true);
}

std::string bytes_expandtabs(std::string_view b, std::int64_t tabsize)
{
  return expandtabs_impl(b, tabsize, true);
}

std::string bytes_hex(std::string_view b)
{
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (char ch : b) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

}  // namespace loopscope::script::py
