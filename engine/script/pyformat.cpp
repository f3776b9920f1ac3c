// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers <-> text, Python arithmetic, the format-spec mini-language, %-formatting and
// str.format, following CPython 3.11 (Objects/floatobject.c, longobject.c, Python/pystrtod.c,
// Python/formatter_unicode.c, Objects/unicodeobject.c, Objects/stringlib/unicode_format.h).
// String methods and code point helpers are in pystrings.cpp.

#include "engine/script/pyformat.h"

#include <locale.h>
#include <stdlib.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <tuple>

namespace loopscope::script::py {

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
// Widths and precisions beyond this would build strings of gigabytes: MemoryError, as CPython
// raises when such an allocation fails.
constexpr std::int64_t kMaxWidth = std::int64_t{1} << 28;

[[noreturn]] void raise(std::string_view type, std::string message)
{
  throw PyError{std::string(type), std::move(message)};
}

[[noreturn]] void raise_overflow_int()
{
  raise("OverflowError", std::string(kIntTooLarge));
}

[[noreturn]] void raise_overflow_arith()
{
  raise("OverflowError", std::string(kIntegerOverflow));
}

void check_width(std::int64_t width)
{
  if (width > kMaxWidth)
    raise("MemoryError", "");
}

std::uint64_t magnitude(std::int64_t v) noexcept
{
  return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

bool is_ascii_space(unsigned char c) noexcept
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// The ASCII digits of an unsigned magnitude in `base`.
std::string digits_of(std::uint64_t m, int base)
{
  char buf[72];
  const auto r = std::to_chars(buf, buf + sizeof buf, m, base);
  return std::string(buf, r.ptr);
}

// CPython's _PyUnicode_TransformDecimalAndSpaceToASCII: non-ASCII whitespace becomes ' ',
// non-ASCII decimal digits their ASCII digit, any other non-ASCII code point '?'.
std::string to_ascii_number_text(std::string_view s)
{
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const auto c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++pos;
      continue;
    }
    const char32_t cp = decode_cp(s, pos);
    if (unicode::props(cp) & unicode::kSpace)
      out += ' ';
    else if (const int d = unicode::decimal_value(cp); d >= 0)
      out += static_cast<char>('0' + d);
    else
      out += '?';
  }
  return out;
}

bool all_ascii(std::string_view s) noexcept
{
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80)
      return false;
  return true;
}

// repr(s) cut to at most `n` code points, as CPython's "%.200R".
std::string truncated_repr(std::string_view s, std::size_t n)
{
  std::string r = str_repr(s);
  return r.substr(0, cp_offset(r, n));
}

// ------------------------------------------------------------------ decimal digits of a double

// |x| = 0.<digits> * 10**decpt, digits without trailing zeros ("0" with decpt 1 for zero).
struct Decimal
{
  std::string digits;
  int decpt = 1;
  bool negative = false;
};

enum class DigitMode { Shortest, Significant, Fixed };

void strip_trailing_zeros(Decimal& d)
{
  std::size_t n = d.digits.size();
  while (n > 0 && d.digits[n - 1] == '0')
    --n;
  d.digits.resize(n);
  if (d.digits.empty()) {
    d.digits = "0";
    d.decpt = 1;
  }
}

// Like CPython's _Py_dg_dtoa for modes 0 (shortest round-trip), 2 (`ndigits` significant
// digits) and 3 (`ndigits` after the point), all correctly rounded (ties to even on the exact
// binary value). x must be finite.
Decimal decimal_digits(double x, DigitMode mode, int ndigits)
{
  Decimal d;
  d.negative = std::signbit(x);
  const double a = std::fabs(x);
  // The text fits on the stack unless the precision is large.
  char stack[512];
  std::string heap;
  std::size_t need = 48;
  if (mode == DigitMode::Significant)
    need = static_cast<std::size_t>(ndigits) + 32;
  else if (mode == DigitMode::Fixed)
    need = static_cast<std::size_t>(ndigits) + 340;
  char* first = stack;
  if (need > sizeof stack) {
    heap.resize(need);
    first = heap.data();
  }
  char* const last = first + need;
  std::to_chars_result r{};
  switch (mode) {
    case DigitMode::Shortest:
      r = std::to_chars(first, last, a, std::chars_format::scientific);
      break;
    case DigitMode::Significant:
      r = std::to_chars(first, last, a, std::chars_format::scientific, ndigits - 1);
      break;
    case DigitMode::Fixed:
      r = std::to_chars(first, last, a, std::chars_format::fixed, ndigits);
      break;
  }
  const std::string_view text(first, static_cast<std::size_t>(r.ptr - first));
  if (mode == DigitMode::Fixed) {
    // "III.FFF": 0.IIIFFF * 10**len(III), then drop leading zeros.
    const std::size_t dot = text.find('.');
    const std::string_view ip = text.substr(0, dot);
    d.digits.assign(ip);
    if (dot != std::string_view::npos)
      d.digits.append(text.substr(dot + 1));
    d.decpt = static_cast<int>(ip.size());
    std::size_t lead = 0;
    while (lead < d.digits.size() && d.digits[lead] == '0')
      ++lead;
    d.digits.erase(0, lead);
    d.decpt -= static_cast<int>(lead);
  } else {
    // "D.DDDe+XX"
    const std::size_t e = text.find('e');
    d.digits.reserve(e);
    for (char c : text.substr(0, e))
      if (c != '.')
        d.digits += c;
    int exp = 0;
    std::string_view es = text.substr(e + 1);
    const bool eneg = es[0] == '-';
    es.remove_prefix(1);
    std::from_chars(es.data(), es.data() + es.size(), exp);
    d.decpt = (eneg ? -exp : exp) + 1;
  }
  strip_trailing_zeros(d);
  return d;
}

// PyOS_double_to_string flags.
constexpr unsigned kAlt = 1;
constexpr unsigned kAddDot0 = 2;
constexpr unsigned kSign = 4;
constexpr unsigned kNoNegZero = 8;

// PyOS_double_to_string / format_float_short: `code` e E f F g G r.
std::string double_to_string(double x, char code, int precision, unsigned flags)
{
  const bool upper = code == 'E' || code == 'F' || code == 'G';
  if (upper)
    code = static_cast<char>(code - 'A' + 'a');
  std::string out;
  if (!std::isfinite(x)) {
    // The sign of a nan is ignored.
    if (std::isinf(x) && std::signbit(x))
      out += '-';
    else if (flags & kSign)
      out += '+';
    if (std::isinf(x))
      out += upper ? "INF" : "inf";
    else
      out += upper ? "NAN" : "nan";
    return out;
  }
  Decimal d;
  switch (code) {
    case 'e':
      ++precision;
      d = decimal_digits(x, DigitMode::Significant, precision);
      break;
    case 'f':
      d = decimal_digits(x, DigitMode::Fixed, precision);
      break;
    case 'g':
      if (precision == 0)
        precision = 1;
      d = decimal_digits(x, DigitMode::Significant, precision);
      break;
    default:  // 'r'
      d = decimal_digits(x, DigitMode::Shortest, 0);
      break;
  }
  const bool alt = flags & kAlt;
  const bool add_dot_0 = flags & kAddDot0;
  if ((flags & kNoNegZero) && d.negative && d.digits == "0")
    d.negative = false;

  // Output the slice [vstart, vend) of the digits padded with zeros on both sides, with the
  // decimal point before index decpt.
  const int nd = static_cast<int>(d.digits.size());
  int decpt = d.decpt;
  bool use_exp = false;
  int vend = nd;
  switch (code) {
    case 'e':
      use_exp = true;
      vend = precision;
      break;
    case 'f':
      vend = decpt + precision;
      break;
    case 'g':
      if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision))
        use_exp = true;
      if (alt)
        vend = precision;
      break;
    default:
      if (decpt <= -4 || decpt > 16)
        use_exp = true;
      break;
  }
  int exp = 0;
  if (use_exp) {
    exp = decpt - 1;
    decpt = 1;
  }
  const int vstart = decpt <= 0 ? decpt - 1 : 0;
  if (!use_exp && add_dot_0)
    vend = std::max(vend, decpt + 1);
  else
    vend = std::max(vend, decpt);

  out.reserve(static_cast<std::size_t>(vend - vstart) + 10);
  if (d.negative)
    out += '-';
  else if (flags & kSign)
    out += '+';
  if (decpt <= 0) {
    out.append(static_cast<std::size_t>(decpt - vstart), '0');
    out += '.';
    out.append(static_cast<std::size_t>(-decpt), '0');
  } else {
    out.append(static_cast<std::size_t>(-vstart), '0');
  }
  if (decpt > 0 && decpt <= nd) {
    out.append(d.digits, 0, static_cast<std::size_t>(decpt));
    out += '.';
    out.append(d.digits, static_cast<std::size_t>(decpt));
  } else {
    out += d.digits;
  }
  if (nd < decpt) {
    out.append(static_cast<std::size_t>(decpt - nd), '0');
    out += '.';
    out.append(static_cast<std::size_t>(vend - decpt), '0');
  } else {
    out.append(static_cast<std::size_t>(vend - nd), '0');
  }
  if (out.back() == '.' && !alt)
    out.pop_back();
  if (use_exp) {
    out += upper ? 'E' : 'e';
    out += exp < 0 ? '-' : '+';
    const int ae = exp < 0 ? -exp : exp;
    if (ae < 10)
      out += '0';
    out += std::to_string(ae);
  }
  return out;
}

// The exact decimal digits of trunc(x) for a finite x (int(x) of any size), with its sign.
std::pair<bool, std::string> truncated_digits(double x)
{
  const double t = std::trunc(x);
  char buf[400];
  const auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(t), std::chars_format::fixed, 0);
  std::string digits(buf, r.ptr);
  return {t < 0, digits};
}

// ------------------------------------------------------------------ float parsing helpers

locale_t c_locale()
{
  static const locale_t loc = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  return loc;
}

// Parses a complete Python float literal body in ASCII (no whitespace, no underscores): sign,
// inf/infinity/nan, or digits with an optional point and exponent. nullopt when invalid.
std::optional<double> parse_float_ascii(std::string_view s)
{
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  const std::string_view body = s.substr(i);
  auto iequals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size())
      return false;
    for (std::size_t k = 0; k < a.size(); ++k)
      if ((a[k] | 0x20) != b[k])
        return false;
    return true;
  };
  if (iequals(body, "inf") || iequals(body, "infinity"))
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  if (iequals(body, "nan"))
    return negative ? -std::numeric_limits<double>::quiet_NaN()
                    : std::numeric_limits<double>::quiet_NaN();
  // digits [. digits] [e [sign] digits], at least one mantissa digit.
  std::size_t k = 0;
  std::size_t mant_digits = 0;
  while (k < body.size() && body[k] >= '0' && body[k] <= '9') {
    ++k;
    ++mant_digits;
  }
  if (k < body.size() && body[k] == '.') {
    ++k;
    while (k < body.size() && body[k] >= '0' && body[k] <= '9') {
      ++k;
      ++mant_digits;
    }
  }
  if (mant_digits == 0)
    return std::nullopt;
  if (k < body.size() && (body[k] == 'e' || body[k] == 'E')) {
    std::size_t e = k + 1;
    if (e < body.size() && (body[e] == '+' || body[e] == '-'))
      ++e;
    const std::size_t estart = e;
    while (e < body.size() && body[e] >= '0' && body[e] <= '9')
      ++e;
    if (e == estart)
      return std::nullopt;  // "1e" / "1e+": the exponent is not consumed, so not all of it
    k = e;
  }
  if (k != body.size())
    return std::nullopt;
  double v = 0;
  const auto r = std::from_chars(body.data(), body.data() + body.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow to inf, underflow to 0 or a subnormal: let the C library say which.
    const std::string copy(body);
    v = strtod_l(copy.c_str(), nullptr, c_locale());
  }
  return negative ? -v : v;
}

// ------------------------------------------------------------------ the format-spec parser

enum class Grouping : std::uint8_t { None, Comma, Underscore, Underscore4 };

struct Spec
{
  char32_t fill = ' ';
  char32_t align = '>';
  bool alternate = false;
  bool no_neg_0 = false;
  char32_t sign = 0;
  std::int64_t width = -1;
  Grouping grouping = Grouping::None;
  std::int64_t precision = -1;
  char32_t type = 0;
};

bool is_align(char32_t c)
{
  return c == '<' || c == '>' || c == '=' || c == '^';
}

std::string hex_lower(std::uint32_t v)
{
  return digits_of(v, 16);
}

// "'d'" for printable ASCII, "'\x1'" (CPython's %x, no padding) otherwise.
std::string quoted_code(char32_t c)
{
  if (c > 32 && c < 128)
    return std::string("'") + static_cast<char>(c) + "'";
  return "'\\x" + hex_lower(static_cast<std::uint32_t>(c)) + "'";
}

[[noreturn]] void unknown_presentation_type(char32_t type, std::string_view type_name)
{
  raise("ValueError", "Unknown format code " + quoted_code(type) + " for object of type '" +
                          std::string(type_name) + "'");
}

[[noreturn]] void invalid_thousands_separator_type(char specifier, char32_t type)
{
  raise("ValueError",
        std::string("Cannot specify '") + specifier + "' with " + quoted_code(type) + ".");
}

// Consumes decimal digits (any script) at `pos`; returns how many. ValueError "Too many decimal
// digits in format string" beyond int64.
int get_integer(std::u32string_view s, std::size_t& pos, std::int64_t& result)
{
  std::int64_t acc = 0;
  int n = 0;
  for (; pos < s.size(); ++pos, ++n) {
    const int d = unicode::decimal_value(s[pos]);
    if (d < 0)
      break;
    if (acc > (kInt64Max - d) / 10)
      raise("ValueError", "Too many decimal digits in format string");
    acc = acc * 10 + d;
  }
  result = acc;
  return n;
}

Spec parse_spec(std::string_view spec_text, char32_t default_type, char32_t default_align,
                std::string_view type_name)
{
  // The spec as code points: on the stack for the usual short specs.
  char32_t stack[32];
  std::u32string heap;
  std::u32string_view s;
  if (spec_text.size() <= std::size(stack)) {
    std::size_t n = 0, pos = 0;
    while (pos < spec_text.size())
      stack[n++] = decode_cp(spec_text, pos);
    s = std::u32string_view(stack, n);
  } else {
    heap = to_u32(spec_text);
    s = heap;
  }
  Spec f;
  f.align = default_align;
  f.type = default_type;
  std::size_t pos = 0;
  const std::size_t end = s.size();
  bool align_specified = false;
  bool fill_specified = false;
  if (end - pos >= 2 && is_align(s[pos + 1])) {
    f.align = s[pos + 1];
    f.fill = s[pos];
    fill_specified = align_specified = true;
    pos += 2;
  } else if (end - pos >= 1 && is_align(s[pos])) {
    f.align = s[pos];
    align_specified = true;
    ++pos;
  }
  if (pos < end && (s[pos] == ' ' || s[pos] == '+' || s[pos] == '-'))
    f.sign = s[pos++];
  if (pos < end && s[pos] == 'z') {
    f.no_neg_0 = true;
    ++pos;
  }
  if (pos < end && s[pos] == '#') {
    f.alternate = true;
    ++pos;
  }
  if (!fill_specified && pos < end && s[pos] == '0') {
    f.fill = '0';
    if (!align_specified && default_align == '>')
      f.align = '=';
    ++pos;
  }
  if (get_integer(s, pos, f.width) == 0)
    f.width = -1;
  if (pos < end && s[pos] == ',') {
    f.grouping = Grouping::Comma;
    ++pos;
  }
  if (pos < end && s[pos] == '_') {
    if (f.grouping != Grouping::None)
      raise("ValueError", "Cannot specify both ',' and '_'.");
    f.grouping = Grouping::Underscore;
    ++pos;
  }
  if (pos < end && s[pos] == ',' && f.grouping == Grouping::Underscore)
    raise("ValueError", "Cannot specify both ',' and '_'.");
  if (pos < end && s[pos] == '.') {
    ++pos;
    if (get_integer(s, pos, f.precision) == 0)
      raise("ValueError", "Format specifier missing precision");
  }
  if (end - pos > 1)
    raise("ValueError", "Invalid format specifier '" + std::string(spec_text) +
                            "' for object of type '" + std::string(type_name) + "'");
  if (end - pos == 1)
    f.type = s[pos];
  if (f.grouping != Grouping::None) {
    switch (f.type) {
      case 'd':
      case 'e':
      case 'f':
      case 'g':
      case 'E':
      case 'G':
      case '%':
      case 'F':
      case 0:
        break;
      case 'b':
      case 'o':
      case 'x':
      case 'X':
        if (f.grouping == Grouping::Underscore) {
          f.grouping = Grouping::Underscore4;
          break;
        }
        [[fallthrough]];
      default:
        invalid_thousands_separator_type(f.grouping == Grouping::Comma ? ',' : '_', f.type);
    }
  }
  return f;
}

void append_fill(std::string& out, char32_t fill, std::int64_t n)
{
  if (n <= 0)
    return;
  if (fill < 0x80) {
    out.append(static_cast<std::size_t>(n), static_cast<char>(fill));
    return;
  }
  std::string one;
  append_cp(one, fill);
  for (std::int64_t i = 0; i < n; ++i)
    out += one;
}

// _PyUnicode_InsertThousandsGrouping: `digits` grouped by `group` with `sep`, left-padded with
// zeros (and separators between them) to at least `min_width` characters.
std::string group_digits(std::string_view digits, std::int64_t min_width, Grouping grouping)
{
  char sep = 0;
  std::int64_t group = 0;
  switch (grouping) {
    case Grouping::None:
      break;
    case Grouping::Comma:
      sep = ',';
      group = 3;
      break;
    case Grouping::Underscore:
      sep = '_';
      group = 3;
      break;
    case Grouping::Underscore4:
      sep = '_';
      group = 4;
      break;
  }
  min_width = std::max<std::int64_t>(0, min_width);
  // Built right to left, reversed at the end.
  std::string out;
  auto remaining = static_cast<std::int64_t>(digits.size());
  auto emit = [&](std::int64_t len, bool with_sep) {
    const std::int64_t n_zeros = std::max<std::int64_t>(0, len - remaining);
    const std::int64_t n_chars = std::max<std::int64_t>(0, std::min(remaining, len));
    if (with_sep)
      out += sep;
    for (std::int64_t i = 0; i < n_chars; ++i)
      out += digits[static_cast<std::size_t>(remaining - 1 - i)];
    out.append(static_cast<std::size_t>(n_zeros), '0');
    remaining -= n_chars;
  };
  bool use_sep = false;
  if (group > 0) {
    for (;;) {
      const std::int64_t len =
          std::min(group, std::max<std::int64_t>(std::max(remaining, min_width), 1));
      emit(len, use_sep);
      use_sep = true;
      min_width -= len;
      if (remaining <= 0 && min_width <= 0) {
        std::reverse(out.begin(), out.end());
        return out;
      }
      min_width -= 1;
    }
  }
  emit(std::max<std::int64_t>(std::max(remaining, min_width), 1), false);
  std::reverse(out.begin(), out.end());
  return out;
}

// calc_number_widths + fill_number: [lpad][sign][prefix][spad][grouped digits][rest][rpad].
// `rest` is what follows the integer digits (".5e+10", "%", the character of 'c').
std::string layout_number(const Spec& f, char sign_char, std::string_view prefix,
                          std::string_view digits, std::string_view rest, Grouping grouping)
{
  char sign = 0;
  switch (f.sign) {
    case '+':
      sign = sign_char == '-' ? '-' : '+';
      break;
    case ' ':
      sign = sign_char == '-' ? '-' : ' ';
      break;
    default:
      if (sign_char == '-')
        sign = '-';
  }
  const auto n_non_digit = static_cast<std::int64_t>((sign ? 1 : 0) + prefix.size() + cp_len(rest));
  const std::int64_t min_width = (f.fill == '0' && f.align == '=') ? f.width - n_non_digit : 0;
  check_width(min_width);
  const std::string grouped =
      digits.empty() ? std::string() : group_digits(digits, min_width, grouping);
  const std::int64_t padding = f.width - (n_non_digit + static_cast<std::int64_t>(grouped.size()));
  std::int64_t lpad = 0, spad = 0, rpad = 0;
  if (padding > 0) {
    check_width(padding);
    switch (f.align) {
      case '<':
        rpad = padding;
        break;
      case '^':
        lpad = padding / 2;
        rpad = padding - lpad;
        break;
      case '=':
        spad = padding;
        break;
      default:
        lpad = padding;
        break;
    }
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(padding, 0)) + grouped.size() +
              rest.size() + 4);
  append_fill(out, f.fill, lpad);
  if (sign)
    out += sign;
  out += prefix;
  append_fill(out, f.fill, spad);
  out += grouped;
  out += rest;
  append_fill(out, f.fill, rpad);
  return out;
}

// format_float_internal, for a parsed spec whose type is one of '\0' e E f F g G n %.
std::string format_float_spec(double x, const Spec& f)
{
  if (f.precision > INT_MAX)
    raise("ValueError", "precision too big");
  check_width(f.precision);
  int precision = static_cast<int>(f.precision);
  int default_precision = 6;
  unsigned flags = 0;
  if (f.alternate)
    flags |= kAlt;
  if (f.no_neg_0)
    flags |= kNoNegZero;
  char type = static_cast<char>(f.type);
  if (type == 0) {
    flags |= kAddDot0;
    type = 'r';
    default_precision = 0;
  }
  if (type == 'n')
    type = 'g';
  bool add_pct = false;
  if (type == '%') {
    type = 'f';
    x *= 100;
    add_pct = true;
  }
  if (precision < 0)
    precision = default_precision;
  else if (type == 'r')
    type = 'g';
  std::string s = double_to_string(x, type, precision, flags);
  if (add_pct)
    s += '%';
  std::string_view body = s;
  char sign_char = 0;
  if (!body.empty() && body[0] == '-') {
    sign_char = '-';
    body.remove_prefix(1);
  }
  std::size_t nd = 0;
  while (nd < body.size() && body[nd] >= '0' && body[nd] <= '9')
    ++nd;
  // 'n' uses the C locale of CPython: no grouping, '.' as the point.
  const Grouping grouping = f.type == 'n' ? Grouping::None : f.grouping;
  return layout_number(f, sign_char, "", body.substr(0, nd), body.substr(nd), grouping);
}

std::string format_int_spec(std::int64_t v, const Spec& f, std::string_view type_name)
{
  switch (f.type) {
    case 'b':
    case 'c':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'n':
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%':
      return format_float_spec(static_cast<double>(v), f);
    default:
      unknown_presentation_type(f.type, type_name);
  }
  if (f.precision != -1)
    raise("ValueError", "Precision not allowed in integer format specifier");
  if (f.no_neg_0)
    raise("ValueError", "Negative zero coercion (z) not allowed in integer format specifier");
  if (f.type == 'c') {
    if (f.sign != 0)
      raise("ValueError", "Sign not allowed with integer format specifier 'c'");
    if (f.alternate)
      raise("ValueError", "Alternate form (#) not allowed with integer format specifier 'c'");
    if (v < 0 || v > 0x10FFFF)
      raise("OverflowError", "%c arg not in range(0x110000)");
    std::string ch;
    append_cp(ch, static_cast<char32_t>(v));
    return layout_number(f, 0, "", "", ch, Grouping::None);
  }
  int base = 10;
  std::string_view prefix;
  switch (f.type) {
    case 'b':
      base = 2;
      prefix = "0b";
      break;
    case 'o':
      base = 8;
      prefix = "0o";
      break;
    case 'x':
      base = 16;
      prefix = "0x";
      break;
    case 'X':
      base = 16;
      prefix = "0X";
      break;
    default:
      break;
  }
  std::string digits = digits_of(magnitude(v), base);
  if (f.type == 'X')
    for (char& c : digits)
      if (c >= 'a' && c <= 'f')
        c = static_cast<char>(c - 'a' + 'A');
  const Grouping grouping = f.type == 'n' ? Grouping::None : f.grouping;
  return layout_number(f, v < 0 ? '-' : 0, f.alternate ? prefix : std::string_view(), digits, "",
                       grouping);
}

}  // namespace

// ================================================================== numbers -> text

std::string float_repr(double x)
{
  if (!std::isfinite(x))
    return double_to_string(x, 'r', 0, kAddDot0);
  // The hot path of str()/print(): double_to_string's 'r' layout without heap temporaries.
  char sci[32];
  const auto r = std::to_chars(sci, sci + sizeof sci, std::fabs(x), std::chars_format::scientific);
  char digits[24];
  int nd = 0;
  const char* p = sci;
  for (; p < r.ptr && *p != 'e'; ++p)
    if (*p != '.')
      digits[nd++] = *p;
  int exp = 0;
  const bool eneg = p[1] == '-';
  std::from_chars(p + 2, r.ptr, exp);
  if (eneg)
    exp = -exp;
  while (nd > 1 && digits[nd - 1] == '0')
    --nd;
  char out[48];
  int n = 0;
  if (std::signbit(x))
    out[n++] = '-';
  const int decpt = exp + 1;
  if (decpt <= -4 || decpt > 16) {
    out[n++] = digits[0];
    if (nd > 1) {
      out[n++] = '.';
      for (int i = 1; i < nd; ++i)
        out[n++] = digits[i];
    }
    out[n++] = 'e';
    out[n++] = exp < 0 ? '-' : '+';
    const int ae = exp < 0 ? -exp : exp;
    if (ae >= 100)
      out[n++] = static_cast<char>('0' + ae / 100);
    out[n++] = static_cast<char>('0' + ae / 10 % 10);
    out[n++] = static_cast<char>('0' + ae % 10);
  } else if (decpt <= 0) {
    out[n++] = '0';
    out[n++] = '.';
    for (int i = 0; i < -decpt; ++i)
      out[n++] = '0';
    for (int i = 0; i < nd; ++i)
      out[n++] = digits[i];
  } else {
    for (int i = 0; i < decpt; ++i)
      out[n++] = i < nd ? digits[i] : '0';
    out[n++] = '.';
    if (nd > decpt)
      for (int i = decpt; i < nd; ++i)
        out[n++] = digits[i];
    else
      out[n++] = '0';
  }
  return std::string(out, static_cast<std::size_t>(n));
}

std::string int_to_string(std::int64_t v, int base)
{
  if (base < 2 || base > 36)
    raise("ValueError", "base must be between 2 and 36");
  std::string s = digits_of(magnitude(v), base);
  if (v < 0)
    s.insert(s.begin(), '-');
  return s;
}

namespace {

std::string prefixed(std::int64_t v, int base, std::string_view prefix)
{
  std::string s = v < 0 ? "-" : "";
  s += prefix;
  s += digits_of(magnitude(v), base);
  return s;
}

}  // namespace

std::string int_bin(std::int64_t v)
{
  return prefixed(v, 2, "0b");
}

std::string int_oct(std::int64_t v)
{
  return prefixed(v, 8, "0o");
}

std::string int_hex(std::int64_t v)
{
  return prefixed(v, 16, "0x");
}

int bit_length(std::int64_t v) noexcept
{
  return static_cast<int>(std::bit_width(magnitude(v)));
}

int bit_count(std::int64_t v) noexcept
{
  return std::popcount(magnitude(v));
}

// ================================================================== text -> numbers

std::int64_t parse_int(std::string_view text, int base)
{
  if ((base != 0 && base < 2) || base > 36)
    raise("ValueError", "int() base must be >= 2 and <= 36, or 0");
  std::string converted;
  std::string_view s = text;
  if (!all_ascii(text)) {
    converted = to_ascii_number_text(text);
    s = converted;
  }
  const int orig_base = base;
  auto fail = [&]() {
    raise("ValueError", "invalid literal for int() with base " + std::to_string(orig_base) + ": " +
                            truncated_repr(text, 200));
  };
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto at = [&](std::size_t k) -> char {
    return k < n ? s[k] : '\0';
  };
  while (i < n && is_ascii_space(static_cast<unsigned char>(s[i])))
    ++i;
  bool negative = false;
  if (at(i) == '+') {
    ++i;
  } else if (at(i) == '-') {
    negative = true;
    ++i;
  }
  bool error_if_nonzero = false;
  if (base == 0) {
    if (at(i) != '0')
      base = 10;
    else if (at(i + 1) == 'x' || at(i + 1) == 'X')
      base = 16;
    else if (at(i + 1) == 'o' || at(i + 1) == 'O')
      base = 8;
    else if (at(i + 1) == 'b' || at(i + 1) == 'B')
      base = 2;
    else {
      // An old-style octal literal like "010" is invalid; zero ("00", "0_0") is fine.
      error_if_nonzero = true;
      base = 10;
    }
  }
  if (at(i) == '0' && ((base == 16 && (at(i + 1) == 'x' || at(i + 1) == 'X')) ||
                       (base == 8 && (at(i + 1) == 'o' || at(i + 1) == 'O')) ||
                       (base == 2 && (at(i + 1) == 'b' || at(i + 1) == 'B')))) {
    i += 2;
    if (at(i) == '_')  // one underscore may follow the prefix
      ++i;
  }
  if (at(i) == '_')
    fail();
  auto digit_value = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
      return c - 'A' + 10;
    return 99;
  };
  const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
  std::uint64_t value = 0;
  bool overflow = false;
  std::size_t ndigits = 0;
  char prev = 0;
  while (i < n && (digit_value(s[i]) < base || s[i] == '_')) {
    if (s[i] == '_') {
      if (prev == '_')
        fail();
    } else {
      const auto d = static_cast<std::uint64_t>(digit_value(s[i]));
      if (!overflow) {
        if (value > (limit - d) / static_cast<std::uint64_t>(base))
          overflow = true;
        else
          value = value * static_cast<std::uint64_t>(base) + d;
      }
      ++ndigits;
    }
    prev = s[i];
    ++i;
  }
  if (prev == '_' || ndigits == 0)
    fail();
  if (error_if_nonzero && (value != 0 || overflow))
    fail();
  while (i < n && is_ascii_space(static_cast<unsigned char>(s[i])))
    ++i;
  if (i != n)
    fail();
  if (overflow)
    raise_overflow_int();
  return negative ? static_cast<std::int64_t>(std::uint64_t{0} - value)
                  : static_cast<std::int64_t>(value);
}

double parse_float(std::string_view text)
{
  std::string converted;
  std::string_view s = text;
  if (!all_ascii(text)) {
    converted = to_ascii_number_text(text);
    s = converted;
  }
  auto fail = [&]() {
    raise("ValueError", "could not convert string to float: " + str_repr(text));
  };
  std::string no_underscores;
  if (s.find('_') != std::string_view::npos) {
    // Underscores only between digits.
    char prev = 0;
    for (char c : s) {
      if (c == '_') {
        if (!(prev >= '0' && prev <= '9'))
          fail();
      } else {
        if (prev == '_' && !(c >= '0' && c <= '9'))
          fail();
        no_underscores += c;
      }
      prev = c;
    }
    if (prev == '_')
      fail();
    s = no_underscores;
  }
  std::size_t b = 0, e = s.size();
  while (b < e && is_ascii_space(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && is_ascii_space(static_cast<unsigned char>(s[e - 1])))
    --e;
  if (b == e)
    fail();
  const auto v = parse_float_ascii(s.substr(b, e - b));
  if (!v)
    fail();
  return *v;
}

// ================================================================== arithmetic

std::int64_t checked_add(std::int64_t a, std::int64_t b)
{
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    raise_overflow_arith();
  return r;
}

std::int64_t checked_sub(std::int64_t a, std::int64_t b)
{
  std::int64_t r;
  if (__builtin_sub_overflow(a, b, &r))
    raise_overflow_arith();
  return r;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b)
{
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    raise_overflow_arith();
  return r;
}

std::int64_t checked_neg(std::int64_t a)
{
  if (a == kInt64Min)
    raise_overflow_arith();
  return -a;
}

std::int64_t checked_abs(std::int64_t a)
{
  return a < 0 ? checked_neg(a) : a;
}

std::int64_t lshift(std::int64_t a, std::int64_t n)
{
  if (n < 0)
    raise("ValueError", "negative shift count");
  if (a == 0)
    return 0;
  if (n >= 64)
    raise_overflow_arith();
  const i128 r = static_cast<i128>(a) * (static_cast<i128>(1) << n);
  if (r > kInt64Max || r < kInt64Min)
    raise_overflow_arith();
  return static_cast<std::int64_t>(r);
}

std::int64_t rshift(std::int64_t a, std::int64_t n)
{
  if (n < 0)
    raise("ValueError", "negative shift count");
  if (n >= 64)
    return a < 0 ? -1 : 0;
  return a >> n;
}

std::int64_t floordiv(std::int64_t a, std::int64_t b)
{
  return divmod(a, b).first;
}

std::int64_t mod(std::int64_t a, std::int64_t b)
{
  if (b == 0)
    raise("ZeroDivisionError", "integer modulo by zero");
  if (b == -1)
    return 0;
  std::int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0)))
    r += b;
  return r;
}

std::pair<std::int64_t, std::int64_t> divmod(std::int64_t a, std::int64_t b)
{
  if (b == 0)
    raise("ZeroDivisionError", "integer division or modulo by zero");
  if (b == -1) {
    if (a == kInt64Min)
      raise_overflow_arith();
    return {-a, 0};
  }
  std::int64_t q = a / b;
  std::int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) {
    --q;
    r += b;
  }
  return {q, r};
}

double int_true_div(std::int64_t a, std::int64_t b)
{
  if (b == 0)
    raise("ZeroDivisionError", "division by zero");
  constexpr std::uint64_t kExact = std::uint64_t{1} << 53;
  const std::uint64_t ua = magnitude(a), ub = magnitude(b);
  if (ua <= kExact && ub <= kExact)
    return static_cast<double>(a) / static_cast<double>(b);
  if (ua == 0)
    return b < 0 ? -0.0 : 0.0;
  // Correctly rounded: a quotient with at least 55 bits plus a sticky remainder, rounded to 53
  // bits half to even.
  const int la = std::bit_width(ua), lb = std::bit_width(ub);
  const int shift = std::max(0, 55 - (la - lb));
  const u128 num = static_cast<u128>(ua) << shift;
  const u128 q = num / ub;
  const bool sticky = num % ub != 0;
  int qbits = 0;
  for (u128 t = q; t != 0; t >>= 1)
    ++qbits;
  const int extra = qbits - 53;
  u128 mant = q >> extra;
  const u128 rem = q & ((static_cast<u128>(1) << extra) - 1);
  const u128 half = static_cast<u128>(1) << (extra - 1);
  if (rem > half || (rem == half && (sticky || (mant & 1))))
    ++mant;
  const double r = std::ldexp(static_cast<double>(static_cast<std::uint64_t>(mant)), extra - shift);
  return ((a < 0) != (b < 0)) ? -r : r;
}

double float_true_div(double a, double b)
{
  if (b == 0.0)
    raise("ZeroDivisionError", "float division by zero");
  return a / b;
}

namespace {

// _float_div_mod: floor quotient and remainder with the divisor's sign (b != 0).
void float_div_mod(double vx, double wx, double& floordiv_out, double& mod_out)
{
  double m = std::fmod(vx, wx);
  double div = (vx - m) / wx;
  if (m != 0.0) {
    if ((wx < 0) != (m < 0)) {
      m += wx;
      div -= 1.0;
    }
  } else {
    m = std::copysign(0.0, wx);
  }
  double fd;
  if (div != 0.0) {
    fd = std::floor(div);
    if (div - fd > 0.5)
      fd += 1.0;
  } else {
    fd = std::copysign(0.0, vx / wx);
  }
  floordiv_out = fd;
  mod_out = m;
}

}  // namespace

double float_floordiv(double a, double b)
{
  if (b == 0.0)
    raise("ZeroDivisionError", "float floor division by zero");
  double q, r;
  float_div_mod(a, b, q, r);
  return q;
}

double float_mod(double a, double b)
{
  if (b == 0.0)
    raise("ZeroDivisionError", "float modulo");
  double m = std::fmod(a, b);
  if (m != 0.0) {
    if ((b < 0) != (m < 0))
      m += b;
  } else {
    m = std::copysign(0.0, b);
  }
  return m;
}

std::pair<double, double> float_divmod(double a, double b)
{
  if (b == 0.0)
    raise("ZeroDivisionError", "float divmod()");
  double q, r;
  float_div_mod(a, b, q, r);
  return {q, r};
}

std::variant<std::int64_t, double> pow_int(std::int64_t base, std::int64_t exp)
{
  if (exp < 0)
    return pow_float(static_cast<double>(base), static_cast<double>(exp));
  if (base == 0)
    return std::int64_t{exp == 0 ? 1 : 0};
  if (base == 1)
    return std::int64_t{1};
  if (base == -1)
    return std::int64_t{(exp & 1) ? -1 : 1};
  std::int64_t result = 1;
  std::int64_t b = base;
  std::uint64_t e = static_cast<std::uint64_t>(exp);
  while (e != 0) {
    if (e & 1)
      result = checked_mul(result, b);
    e >>= 1;
    if (e != 0)
      b = checked_mul(b, b);
  }
  return result;
}

std::int64_t pow_mod(std::int64_t base, std::int64_t exp, std::int64_t m)
{
  if (m == 0)
    raise("ValueError", "pow() 3rd argument cannot be 0");
  const bool negative_output = m < 0;
  const std::uint64_t mm = magnitude(m);
  if (mm == 1)
    return 0;
  i128 b = static_cast<i128>(base) % static_cast<i128>(mm);
  if (b < 0)
    b += mm;
  std::uint64_t e = magnitude(exp);
  if (exp < 0) {
    // The inverse of b modulo mm, by the extended Euclidean algorithm.
    i128 r0 = static_cast<i128>(mm), r1 = b, t0 = 0, t1 = 1;
    while (r1 != 0) {
      const i128 q = r0 / r1;
      const i128 r2 = r0 - q * r1;
      r0 = r1;
      r1 = r2;
      const i128 t2 = t0 - q * t1;
      t0 = t1;
      t1 = t2;
    }
    if (r0 != 1)
      raise("ValueError", "base is not invertible for the given modulus");
    b = t0 % static_cast<i128>(mm);
    if (b < 0)
      b += mm;
  }
  u128 result = 1 % mm;
  u128 ub = static_cast<u128>(b);
  while (e != 0) {
    if (e & 1)
      result = result * ub % mm;
    e >>= 1;
    if (e != 0)
      ub = ub * ub % mm;
  }
  i128 z = static_cast<i128>(result);
  if (negative_output && z != 0)
    z -= mm;
  return static_cast<std::int64_t>(z);
}

double pow_float(double iv, double iw)
{
  // float_pow's special cases, then C pow.
  if (iw == 0.0)
    return 1.0;
  if (std::isnan(iv))
    return iv;
  if (std::isnan(iw))
    return iv == 1.0 ? 1.0 : iw;
  if (std::isinf(iw)) {
    const double a = std::fabs(iv);
    if (a == 1.0)
      return 1.0;
    if ((iw > 0.0) == (a > 1.0))
      return std::fabs(iw);
    return 0.0;
  }
  const bool iw_is_odd_int = std::fmod(std::fabs(iw), 2.0) == 1.0;
  if (std::isinf(iv)) {
    if (iw > 0.0)
      return iw_is_odd_int ? iv : std::fabs(iv);
    return iw_is_odd_int ? std::copysign(0.0, iv) : 0.0;
  }
  if (iv == 0.0) {
    if (iw < 0.0)
      raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
    return iw_is_odd_int ? iv : 0.0;
  }
  bool negate = false;
  if (iv < 0.0) {
    if (iw != std::floor(iw))
      raise("ValueError", "math domain error");
    iv = -iv;
    negate = iw_is_odd_int;
  }
  if (iv == 1.0)
    return negate ? -1.0 : 1.0;
  double ix = std::pow(iv, iw);
  if (std::isinf(ix))
    raise("OverflowError", "(34, 'Numerical result out of range')");
  return negate ? -ix : ix;
}

std::int64_t float_to_int(double x)
{
  if (std::isinf(x))
    raise("OverflowError", "cannot convert float infinity to integer");
  if (std::isnan(x))
    raise("ValueError", "cannot convert float NaN to integer");
  const double t = std::trunc(x);
  if (t >= 9223372036854775808.0 || t < -9223372036854775808.0)
    raise_overflow_int();
  return static_cast<std::int64_t>(t);
}

std::int64_t py_round(double x)
{
  if (!std::isfinite(x))
    return float_to_int(x);
  double r = std::round(x);
  if (std::fabs(x - r) == 0.5)
    r = 2.0 * std::round(x / 2.0);
  return float_to_int(r);
}

double py_round(double x, std::int64_t ndigits)
{
  if (!std::isfinite(x))
    return x;
  if (ndigits > 323)
    return x;
  if (ndigits < -308)
    return 0.0 * x;
  const int nd = static_cast<int>(ndigits);
  std::string text;
  if (nd >= 0) {
    // Fixed-point digits are correctly rounded, ties to even on the exact value.
    text.resize(static_cast<std::size_t>(nd) + 340);
    const auto r =
        std::to_chars(text.data(), text.data() + text.size(), x, std::chars_format::fixed, nd);
    text.resize(static_cast<std::size_t>(r.ptr - text.data()));
  } else {
    // Round the exact decimal expansion at 10**-ndigits, ties to even.
    Decimal d = decimal_digits(x, DigitMode::Significant, 800);
    const int keep = d.decpt + nd;  // digits before the rounding position
    std::string digits;
    int exp10 = -nd;  // the result is <digits> * 10**exp10
    if (keep < 0) {
      digits = "0";
    } else {
      const auto k = static_cast<std::size_t>(keep);
      digits = d.digits.substr(0, std::min(k, d.digits.size()));
      if (digits.size() < k)
        digits.append(k - digits.size(), '0');
      bool up = false;
      if (k < d.digits.size()) {
        const char next = d.digits[k];
        if (next > '5')
          up = true;
        else if (next == '5') {
          const bool more = d.digits.find_first_not_of('0', k + 1) != std::string::npos;
          const bool odd = !digits.empty() && ((digits.back() - '0') & 1);
          up = more || odd;
        }
      }
      if (digits.empty())
        digits = "0";
      if (up) {
        std::size_t i = digits.size();
        while (i > 0 && digits[i - 1] == '9')
          digits[--i] = '0';
        if (i == 0)
          digits.insert(digits.begin(), '1');
        else
          ++digits[i - 1];
      }
    }
    text = (d.negative ? "-" : "") + digits + "e" + std::to_string(exp10);
  }
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    v = strtod_l(text.c_str(), nullptr, c_locale());
    if (std::isinf(v))
      raise("OverflowError", "rounded value too large to represent");
  }
  return v;
}

std::int64_t py_round_int(std::int64_t x, std::int64_t ndigits)
{
  if (ndigits >= 0)
    return x;
  if (ndigits < -19)
    return 0;
  u128 p = 1;
  for (std::int64_t i = 0; i < -ndigits; ++i)
    p *= 10;
  const i128 ip = static_cast<i128>(p);
  i128 q = static_cast<i128>(x) / ip;
  i128 r = static_cast<i128>(x) % ip;
  if (r < 0) {
    r += ip;
    --q;
  }
  if (2 * r > ip || (2 * r == ip && (q & 1)))
    ++q;
  const i128 result = q * ip;
  if (result > kInt64Max || result < kInt64Min)
    raise_overflow_arith();
  return static_cast<std::int64_t>(result);
}

// ================================================================== format-spec mini-language

std::string format_int(std::int64_t v, std::string_view spec, std::string_view type_name)
{
  if (spec.empty())
    return int_to_string(v);
  return format_int_spec(v, parse_spec(spec, 'd', '>', type_name), type_name);
}

std::string format_bool(bool v, std::string_view spec)
{
  if (spec.empty())
    return v ? "True" : "False";
  return format_int(v ? 1 : 0, spec, "bool");
}

std::string format_float(double v, std::string_view spec)
{
  if (spec.empty())
    return float_repr(v);
  const Spec f = parse_spec(spec, 0, '>', "float");
  switch (f.type) {
    case 0:
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'n':
    case '%':
      return format_float_spec(v, f);
    default:
      unknown_presentation_type(f.type, "float");
  }
}

std::string format_str(std::string_view s, std::string_view spec)
{
  if (spec.empty())
    return std::string(s);
  const Spec f = parse_spec(spec, 's', '<', "str");
  if (f.type != 's')
    unknown_presentation_type(f.type, "str");
  if (f.sign == ' ')
    raise("ValueError", "Space not allowed in string format specifier");
  if (f.sign != 0)
    raise("ValueError", "Sign not allowed in string format specifier");
  if (f.no_neg_0)
    raise("ValueError", "Negative zero coercion (z) not allowed in string format specifier");
  if (f.alternate)
    raise("ValueError", "Alternate form (#) not allowed in string format specifier");
  if (f.align == '=')
    raise("ValueError", "'=' alignment not allowed in string format specifier");
  auto len = static_cast<std::int64_t>(cp_len(s));
  std::string_view body = s;
  if (f.precision >= 0 && len > f.precision) {
    body = s.substr(0, cp_offset(s, static_cast<std::size_t>(f.precision)));
    len = f.precision;
  }
  const std::int64_t total = std::max(f.width, len);
  check_width(total - len);
  std::int64_t lpad = 0;
  if (f.align == '>')
    lpad = total - len;
  else if (f.align == '^')
    lpad = (total - len) / 2;
  std::string out;
  out.reserve(body.size() + static_cast<std::size_t>(total - len));
  append_fill(out, f.fill, lpad);
  out += body;
  append_fill(out, f.fill, total - len - lpad);
  return out;
}

std::string format_double(double x, char code, int precision, bool alt)
{
  if (code == 'r')
    return double_to_string(x, 'r', 0, alt ? kAlt : 0);
  return double_to_string(x, code, precision < 0 ? 6 : precision, alt ? kAlt : 0);
}

// ================================================================== printf-style formatting

namespace {

// Conversion flags of a % specifier.
constexpr unsigned kLjust = 1;
constexpr unsigned kFSign = 2;
constexpr unsigned kBlank = 4;
constexpr unsigned kFAlt = 8;
constexpr unsigned kZero = 16;

struct PercentState
{
  PercentArgs& args;
  std::int64_t arglen;
  std::int64_t argidx;
  PercentArgs::Ref whole;  // what a non-tuple "next argument" is: the operand or a looked-up value
  bool dict;

  PercentArgs::Ref next_arg()
  {
    if (argidx < arglen) {
      const std::int64_t i = argidx++;
      if (arglen < 0)
        return whole;
      return static_cast<PercentArgs::Ref>(i);
    }
    raise("TypeError", "not enough arguments for format string");
  }
};

// _PyUnicode_FormatLong for d i u o x X: sign, "0x"/"0o" when alt, digits zero-filled to prec.
std::string format_long_text(bool negative, std::string digits, bool alt, int prec, char type)
{
  std::string out = negative ? "-" : "";
  if (alt && (type == 'o' || type == 'x' || type == 'X')) {
    out += '0';
    out += type == 'o' ? 'o' : 'x';
  }
  if (prec > static_cast<int>(digits.size()))
    out.append(static_cast<std::size_t>(prec) - digits.size(), '0');
  out += digits;
  if (type == 'X')
    for (char& c : out)
      if (c >= 'a' && c <= 'x')
        c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

std::string percent_format(std::string_view fmt, PercentArgs& args)
{
  const bool tuple = args.is_tuple();
  PercentState st{args, tuple ? static_cast<std::int64_t>(args.size()) : -1, tuple ? 0 : -2,
                  PercentArgs::kOperand, !tuple && args.is_mapping()};
  std::string out;
  out.reserve(fmt.size() + 16);
  const std::size_t n = fmt.size();
  std::size_t pos = 0;
  while (pos < n) {
    const std::size_t pct = fmt.find('%', pos);
    if (pct == std::string_view::npos) {
      out.append(fmt.substr(pos));
      break;
    }
    out.append(fmt.substr(pos, pct - pos));
    pos = pct + 1;
    if (pos < n && fmt[pos] == '%') {
      out += '%';
      ++pos;
      continue;
    }
    // ---- parse: "%(key)", flags, width, precision, length modifier, conversion character
    bool eof = false;
    char ch = pos < n ? fmt[pos] : '\0';
    std::size_t ch_pos = pos;  // byte offset of `ch`, for the error message
    auto read = [&]() -> bool {
      if (pos >= n) {
        eof = true;
        return false;
      }
      ch_pos = pos;
      ch = fmt[pos++];
      return true;
    };
    unsigned flags = 0;
    std::int64_t width = -1;
    std::int64_t prec = -1;
    if (ch == '(') {
      if (!st.dict)
        raise("TypeError", "format requires a mapping");
      ++pos;
      const std::size_t keystart = pos;
      int pcount = 1;
      while (pcount > 0 && read()) {
        if (ch == ')')
          --pcount;
        else if (ch == '(')
          ++pcount;
      }
      if (eof || pcount > 0)
        raise("ValueError", "incomplete format key");
      args.lookup(fmt.substr(keystart, pos - keystart - 1));
      st.whole = PercentArgs::kLookedUp;
      st.arglen = -1;
      st.argidx = -2;
    }
    while (read()) {
      switch (ch) {
        case '-':
          flags |= kLjust;
          continue;
        case '+':
          flags |= kFSign;
          continue;
        case ' ':
          flags |= kBlank;
          continue;
        case '#':
          flags |= kFAlt;
          continue;
        case '0':
          flags |= kZero;
          continue;
        default:
          break;
      }
      break;
    }
    if (ch == '*') {
      const auto r = st.next_arg();
      const auto w = args.as_int(r);
      if (!w)
        raise("TypeError", "* wants int");
      width = *w;
      if (width < 0) {
        flags |= kLjust;
        // -(-2**63) wraps to itself in CPython's C: a negative width, so no padding.
        width = width == kInt64Min ? -1 : -width;
      }
      read();
    } else if (ch >= '0' && ch <= '9') {
      width = ch - '0';
      while (read()) {
        if (ch < '0' || ch > '9')
          break;
        if (width > (kInt64Max - (ch - '0')) / 10)
          raise("ValueError", "width too big");
        width = width * 10 + (ch - '0');
      }
    }
    if (ch == '.') {
      prec = 0;
      read();
      if (ch == '*' && !eof) {
        const auto r = st.next_arg();
        const auto p = args.as_int(r);
        if (!p)
          raise("TypeError", "* wants int");
        if (*p > INT_MAX || *p < INT_MIN)
          raise("OverflowError", "Python int too large to convert to C int");
        prec = *p < 0 ? 0 : *p;
        read();
      } else if (ch >= '0' && ch <= '9' && !eof) {
        prec = ch - '0';
        while (read()) {
          if (ch < '0' || ch > '9')
            break;
          if (prec > (INT_MAX - (ch - '0')) / 10)
            raise("ValueError", "precision too big");
          prec = prec * 10 + (ch - '0');
        }
      }
    }
    if (!eof && (ch == 'h' || ch == 'l' || ch == 'L'))
      read();
    if (eof)
      raise("ValueError", "incomplete format");

    // ---- format the argument
    const PercentArgs::Ref v = st.next_arg();
    std::string text;
    bool sign = false;
    switch (ch) {
      case 's':
        text = args.str(v);
        break;
      case 'r':
        text = args.repr(v);
        break;
      case 'a':
        text = ascii_escape(args.repr(v));
        break;
      case 'i':
      case 'd':
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        const bool want_index = ch == 'o' || ch == 'x' || ch == 'X';
        bool negative = false;
        std::string digits;
        if (const auto iv = args.as_int(v)) {
          negative = *iv < 0;
          digits = digits_of(magnitude(*iv), ch == 'o' ? 8 : (want_index ? 16 : 10));
        } else if (const auto fv = want_index ? std::nullopt : args.as_float(v)) {
          if (std::isinf(*fv))
            raise("OverflowError", "cannot convert float infinity to integer");
          if (std::isnan(*fv))
            raise("ValueError", "cannot convert float NaN to integer");
          std::tie(negative, digits) = truncated_digits(*fv);
        } else {
          raise("TypeError", std::string("%") + ch +
                                 " format: " + (want_index ? "an integer" : "a real number") +
                                 " is required, not " + args.type_name(v));
        }
        check_width(prec);  // zero-filled digits
        text = format_long_text(negative, std::move(digits), flags & kFAlt, static_cast<int>(prec),
                                ch);
        sign = true;
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const auto fv = args.as_float(v);
        if (!fv)
          raise("TypeError", "must be real number, not " + args.type_name(v));
        check_width(prec);
        text = double_to_string(*fv, ch, prec < 0 ? 6 : static_cast<int>(prec),
                                (flags & kFAlt) ? kAlt : 0);
        sign = true;
        break;
      }
      case 'c': {
        if (const auto sv = args.as_str(v)) {
          if (cp_len(*sv) != 1)
            raise("TypeError", "%c requires int or char");
          text = *sv;
        } else if (const auto iv = args.as_int(v)) {
          if (*iv < 0 || *iv > 0x10FFFF)
            raise("OverflowError", "%c arg not in range(0x110000)");
          append_cp(text, static_cast<char32_t>(*iv));
        } else {
          raise("TypeError", "%c requires int or char");
        }
        break;
      }
      default: {
        std::size_t p = ch_pos;
        const char32_t cp = decode_cp(fmt, p);
        const char shown = (cp >= 31 && cp <= 126) ? static_cast<char>(cp) : '?';
        raise("ValueError", std::string("unsupported format character '") + shown + "' (0x" +
                                hex_lower(static_cast<std::uint32_t>(cp)) + ") at index " +
                                std::to_string(cp_index(fmt, ch_pos)));
      }
    }

    // ---- pad (unicode_format_arg_output)
    const char fill = (sign && (flags & kZero)) ? '0' : ' ';
    auto len = static_cast<std::int64_t>(cp_len(text));
    if ((width == -1 || width <= len) && (prec == -1 || prec >= len) &&
        !(flags & (kFSign | kBlank))) {
      out += text;
    } else {
      if ((ch == 's' || ch == 'r' || ch == 'a') && prec >= 0 && len > prec)
        len = prec;
      std::size_t pindex = 0;  // byte offset into text (prefix chars are ASCII)
      char signchar = 0;
      if (sign) {
        if (text[0] == '-' || text[0] == '+') {
          signchar = text[0];
          --len;
          ++pindex;
        } else if (flags & kFSign) {
          signchar = '+';
        } else if (flags & kBlank) {
          signchar = ' ';
        } else {
          sign = false;
        }
      }
      if (width < len)
        width = len;
      if (sign) {
        if (fill != ' ')
          out += signchar;
        if (width > len)
          --width;
      }
      const bool alt_prefix = (flags & kFAlt) && (ch == 'x' || ch == 'X' || ch == 'o');
      if (alt_prefix) {
        if (fill != ' ') {
          out.append(text, pindex, 2);
          pindex += 2;
        }
        width -= 2;
        if (width < 0)
          width = 0;
        len -= 2;
      }
      check_width(width - len);
      if (width > len && !(flags & kLjust)) {
        out.append(static_cast<std::size_t>(width - len), fill);
        width = len;
      }
      if (fill == ' ') {
        if (sign)
          out += signchar;
        if (alt_prefix) {
          out.append(text, pindex, 2);
          pindex += 2;
        }
      }
      const std::string_view rest = std::string_view(text).substr(pindex);
      out.append(rest.substr(0, cp_offset(rest, static_cast<std::size_t>(len))));
      if (width > len)
        out.append(static_cast<std::size_t>(width - len), ' ');
    }
    if (st.dict && st.argidx < st.arglen)
      raise("TypeError", "not all arguments converted during string formatting");
  }
  if (st.argidx < st.arglen && !st.dict)
    raise("TypeError", "not all arguments converted during string formatting");
  return out;
}

std::string ascii_escape(std::string_view repr_text)
{
  std::string out;
  out.reserve(repr_text.size());
  std::size_t pos = 0;
  while (pos < repr_text.size()) {
    const auto c = static_cast<unsigned char>(repr_text[pos]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++pos;
      continue;
    }
    const char32_t cp = decode_cp(repr_text, pos);
    char buf[16];
    if (cp < 0x100)
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
    else if (cp < 0x10000)
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
    else
      std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
    out += buf;
  }
  return out;
}

// ================================================================== str.format

namespace {

enum class AutoNumberState : std::uint8_t { Init, Auto, Manual };

struct TemplateFormatter
{
  FormatLookup& args;
  AutoNumberState an_state = AutoNumberState::Init;
  std::size_t an_field_number = 0;

  // get_integer of unicode_format.h: -1 if `s` is empty or not all decimal digits.
  static std::int64_t get_integer(std::string_view s)
  {
    if (s.empty())
      return -1;
    std::int64_t acc = 0;
    std::size_t pos = 0;
    while (pos < s.size()) {
      const int d = unicode::decimal_value(decode_cp(s, pos));
      if (d < 0)
        return -1;
      if (acc > (kInt64Max - d) / 10)
        raise("ValueError", "Too many decimal digits in format string");
      acc = acc * 10 + d;
    }
    return acc;
  }

  FormatLookup::Handle get_field_object(std::string_view field)
  {
    std::size_t i = 0;
    while (i < field.size() && field[i] != '[' && field[i] != '.')
      ++i;
    const std::string_view first = field.substr(0, i);
    std::int64_t index = get_integer(first);
    const bool empty = first.empty();
    const bool numeric = empty || index != -1;
    if (an_state == AutoNumberState::Init && numeric)
      an_state = empty ? AutoNumberState::Auto : AutoNumberState::Manual;
    if (numeric) {
      if (an_state == AutoNumberState::Manual && empty)
        raise("ValueError",
              "cannot switch from manual field specification to automatic field numbering");
      if (an_state != AutoNumberState::Manual && !empty)
        raise("ValueError",
              "cannot switch from automatic field numbering to manual field specification");
    }
    if (empty)
      index = static_cast<std::int64_t>(an_field_number++);

    FormatLookup::Handle obj;
    if (index == -1) {
      const auto h = args.keyword(first);
      if (!h)
        raise("KeyError", str_repr(first));
      obj = *h;
    } else {
      if (!args.allows_positional())
        raise("ValueError", "Format string contains positional fields");
      const auto h = args.positional(static_cast<std::size_t>(index));
      if (!h)
        raise("IndexError", "Replacement index " + std::to_string(index) +
                                " out of range for positional args tuple");
      obj = *h;
    }
    // The rest: ".name" and "[key]" in turn.
    while (i < field.size()) {
      const char c = field[i++];
      std::string_view name;
      if (c == '.') {
        const std::size_t start = i;
        while (i < field.size() && field[i] != '.' && field[i] != '[')
          ++i;
        name = field.substr(start, i - start);
        if (name.empty())
          raise("ValueError", "Empty attribute in format string");
        obj = args.attribute(obj, name);
      } else if (c == '[') {
        const std::size_t start = i;
        while (i < field.size() && field[i] != ']')
          ++i;
        if (i >= field.size())
          raise("ValueError", "Missing ']' in format string");
        name = field.substr(start, i - start);
        ++i;
        const std::int64_t idx = get_integer(name);
        if (name.empty())
          raise("ValueError", "Empty attribute in format string");
        obj = idx == -1 ? args.item(obj, name) : args.item(obj, idx);
      } else {
        raise("ValueError", "Only '.' or '[' may follow ']' in format field specifier");
      }
    }
    return obj;
  }

  void output_markup(std::string& out, std::string_view field, std::string_view spec,
                     bool spec_needs_expanding, std::optional<char32_t> conversion, int depth)
  {
    const FormatLookup::Handle obj = get_field_object(field);
    std::optional<std::string> converted;
    if (conversion) {
      switch (*conversion) {
        case 'r':
          converted = args.repr(obj);
          break;
        case 's':
          converted = args.str(obj);
          break;
        case 'a':
          converted = ascii_escape(args.repr(obj));
          break;
        default: {
          const char32_t cv = *conversion;
          if (cv > 32 && cv < 127)
            raise("ValueError",
                  std::string("Unknown conversion specifier ") + static_cast<char>(cv));
          raise("ValueError",
                "Unknown conversion specifier \\x" + hex_lower(static_cast<std::uint32_t>(cv)));
        }
      }
    }
    std::string expanded;
    if (spec_needs_expanding) {
      expanded = build_string(spec, depth - 1);
      spec = expanded;
    }
    if (converted)
      out += format_str(*converted, spec);
    else
      out += args.format(obj, spec);
  }

  std::string build_string(std::string_view s, int depth)
  {
    if (depth <= 0)
      raise("ValueError", "Max string recursion exceeded");
    std::string out;
    out.reserve(s.size() + 16);
    std::size_t pos = 0;
    const std::size_t end = s.size();
    while (pos < end) {
      // Literal text up to a brace; "{{" and "}}" give one brace.
      const std::size_t start = pos;
      char c = 0;
      bool markup_follows = false;
      while (pos < end) {
        c = s[pos++];
        if (c == '{' || c == '}') {
          markup_follows = true;
          break;
        }
      }
      const bool at_end = pos >= end;
      std::size_t len = pos - start;
      if (c == '}' && (at_end || s[pos] != '}'))
        raise("ValueError", "Single '}' encountered in format string");
      if (at_end && c == '{')
        raise("ValueError", "Single '{' encountered in format string");
      if (!at_end) {
        if (s[pos] == c) {
          ++pos;
          markup_follows = false;
        } else {
          --len;
        }
      }
      out.append(s.substr(start, len));
      if (!markup_follows)
        continue;

      // parse_field: name up to '}', ':' or '!' (brackets may hold them).
      const std::size_t name_start = pos;
      c = 0;
      while (pos < end) {
        c = s[pos++];
        if (c == '{')
          raise("ValueError", "unexpected '{' in field name");
        if (c == '[') {
          while (pos < end && s[pos] != ']')
            ++pos;
          continue;
        }
        if (c == '}' || c == ':' || c == '!')
          break;
      }
      const std::string_view field = s.substr(name_start, pos - name_start - 1);
      std::optional<char32_t> conversion;
      std::string_view spec;
      bool spec_needs_expanding = false;
      if (c == '!' || c == ':') {
        bool done = false;
        if (c == '!') {
          if (pos >= end)
            raise("ValueError", "end of string while looking for conversion specifier");
          conversion = decode_cp(s, pos);
          if (pos < end) {
            const char c2 = s[pos++];
            if (c2 == '}')
              done = true;
            else if (c2 != ':')
              raise("ValueError", "expected ':' after conversion specifier");
          }
        }
        if (!done) {
          const std::size_t spec_start = pos;
          int count = 1;
          bool closed = false;
          while (pos < end) {
            const char sc = s[pos++];
            if (sc == '{') {
              spec_needs_expanding = true;
              ++count;
            } else if (sc == '}') {
              if (--count == 0) {
                spec = s.substr(spec_start, pos - 1 - spec_start);
                closed = true;
                break;
              }
            }
          }
          if (!closed)
            raise("ValueError", "unmatched '{' in format spec");
        }
      } else if (c != '}') {
        raise("ValueError", "expected '}' before end of string");
      }
      output_markup(out, field, spec, spec_needs_expanding, conversion, depth);
    }
    return out;
  }
};

}  // namespace

std::string format_template(std::string_view fmt, FormatLookup& args)
{
  TemplateFormatter f{args};
  return f.build_string(fmt, 2);
}

}  // namespace loopscope::script::py
