// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Python-exact text operations for the script interpreter: number <-> text conversions, Python's
// integer and float arithmetic where C++ differs, the format-spec mini-language, printf-style `%`
// formatting, str.format templates and the str/bytes methods. Everything matches CPython 3.11
// byte for byte, including the error messages (thrown as PyError, see pyerror.h).
//
// No interpreter objects here: Python str values are UTF-8 std::string / std::string_view, bytes
// values are byte strings in the same types, ints are std::int64_t (loopscope ints are 64-bit;
// results beyond that throw OverflowError), floats are double. Where a Python operation needs an
// arbitrary object (%-formatting, str.format fields) the interpreter implements a small
// interface (PercentArgs, FormatLookup).
//
// Strings: indices, lengths, widths and precisions count code points, as Python does. Inputs must
// be valid UTF-8; lone surrogates (which a Python str can hold) are accepted encoded as 3-byte
// sequences (ED A0 80 for U+D800). Character properties and case mappings are CPython 3.11's
// (Unicode 14.0, tables generated from its unicodedata, see pyunicodedata.cpp).
//
// Deliberate limits: padding widths and numeric precisions beyond 2**28 and string results beyond
// 1 GiB raise MemoryError (CPython tries the allocation); a negative float to a non-integer power
// raises ValueError (CPython returns a complex).

#include "engine/script/pyerror.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace loopscope::script::py {

/// The OverflowError message for an int result beyond 64 bits (from parsing or conversion).
inline constexpr std::string_view kIntTooLarge = "int too large for loopscope (64-bit)";
/// The OverflowError message for int arithmetic beyond 64 bits.
inline constexpr std::string_view kIntegerOverflow = "integer overflow (loopscope ints are 64-bit)";

// ================================================================== numbers -> text

/// repr(x) and str(x) of a float: the shortest digits that round-trip, laid out like CPython
/// ("1.0", "1e-05", "1e+16", "inf", "nan", "-0.0").
std::string float_repr(double x);
/// The digits of `v` in `base` (2..36), lowercase, with a leading '-' if negative; no prefix.
std::string int_to_string(std::int64_t v, int base = 10);
/// bin(v), oct(v), hex(v): "0b101", "-0o10", "-0xff".
std::string int_bin(std::int64_t v);
std::string int_oct(std::int64_t v);
std::string int_hex(std::int64_t v);
/// int.bit_length() and int.bit_count().
int bit_length(std::int64_t v) noexcept;
int bit_count(std::int64_t v) noexcept;

// ================================================================== text -> numbers

/// int(s, base): surrounding whitespace, a sign, '_' between digits, base 0 = prefix decides
/// (0b/0o/0x, decimal otherwise; "010" is an error), Unicode decimal digits. Throws ValueError
/// "invalid literal for int() with base 10: 'abc'", ValueError for a bad base, OverflowError
/// kIntTooLarge beyond 64 bits.
std::int64_t parse_int(std::string_view s, int base = 10);
/// float(s): whitespace, sign, '_' between digits, inf/infinity/nan in any case; overflow gives
/// inf. Throws ValueError "could not convert string to float: 'x'".
double parse_float(std::string_view s);

// ================================================================== arithmetic

/// a + b, a - b, a * b, -a, abs(a); OverflowError kIntegerOverflow beyond 64 bits.
std::int64_t checked_add(std::int64_t a, std::int64_t b);
std::int64_t checked_sub(std::int64_t a, std::int64_t b);
std::int64_t checked_mul(std::int64_t a, std::int64_t b);
std::int64_t checked_neg(std::int64_t a);
std::int64_t checked_abs(std::int64_t a);
/// a << n and a >> n (ValueError "negative shift count"; << overflow is OverflowError).
std::int64_t lshift(std::int64_t a, std::int64_t n);
std::int64_t rshift(std::int64_t a, std::int64_t n);

/// a // b and a % b (result has the divisor's sign), divmod(a, b). ZeroDivisionError
/// "integer division or modulo by zero" ("integer modulo by zero" for %).
std::int64_t floordiv(std::int64_t a, std::int64_t b);
std::int64_t mod(std::int64_t a, std::int64_t b);
std::pair<std::int64_t, std::int64_t> divmod(std::int64_t a, std::int64_t b);
/// a / b for ints: correctly rounded, ZeroDivisionError "division by zero".
double int_true_div(std::int64_t a, std::int64_t b);
/// Float a / b, a // b, a % b, divmod(a, b) with Python's signs (including -0.0) and messages
/// ("float division by zero", "float floor division by zero", "float modulo", "float divmod()").
/// (Named apart from the int versions: an overload on int64/double is ambiguous for an int.)
double float_true_div(double a, double b);
double float_floordiv(double a, double b);
double float_mod(double a, double b);
std::pair<double, double> float_divmod(double a, double b);

/// base ** exp for ints: an int for exp >= 0 (OverflowError kIntegerOverflow beyond 64 bits), a
/// float for exp < 0 (ZeroDivisionError "0.0 cannot be raised to a negative power").
std::variant<std::int64_t, double> pow_int(std::int64_t base, std::int64_t exp);
/// pow(base, exp, m): ValueError "pow() 3rd argument cannot be 0", negative exp = modular
/// inverse ("base is not invertible for the given modulus").
std::int64_t pow_mod(std::int64_t base, std::int64_t exp, std::int64_t m);
/// base ** exp for floats: ZeroDivisionError for 0.0 ** negative, OverflowError
/// "(34, 'Numerical result out of range')". A negative base with a non-integer exponent gives a
/// complex number in Python, which loopscope lacks: ValueError "math domain error".
double pow_float(double base, double exp);

/// int(x) for a float (truncation): OverflowError "cannot convert float infinity to integer",
/// ValueError "cannot convert float NaN to integer", OverflowError kIntTooLarge beyond 64 bits.
std::int64_t float_to_int(double x);
/// round(x): nearest int, ties to even; errors as float_to_int.
std::int64_t py_round(double x);
/// round(x, ndigits): correctly rounded on x's exact decimal value, ties to even (round(2.675, 2)
/// == 2.67); OverflowError "rounded value too large to represent".
double py_round(double x, std::int64_t ndigits);
/// round(i, ndigits) for an int: unchanged for ndigits >= 0, else to a multiple of
/// 10**-ndigits, ties to even.
std::int64_t py_round_int(std::int64_t x, std::int64_t ndigits);

// ================================================================== format-spec mini-language

/// format(v, spec) / f"{v:spec}" / "{:spec}".format(v) for the built-in types. An empty spec
/// gives str(v). Errors are CPython's ValueErrors ("Unknown format code 'd' for object of type
/// 'float'", "Invalid format specifier '...' for object of type 'int'", ...).
/// `type_name` names the type in those messages (bool formats as an int: format_bool).
std::string format_int(std::int64_t v, std::string_view spec, std::string_view type_name = "int");
std::string format_bool(bool v, std::string_view spec);
std::string format_float(double v, std::string_view spec);
std::string format_str(std::string_view s, std::string_view spec);

/// '%'-style float conversion as PyOS_double_to_string: `code` one of e E f F g G r ('r' =
/// repr), precision < 0 = default (6; ignored for 'r'). `alt` = '#' flag.
std::string format_double(double x, char code, int precision, bool alt = false);

// ================================================================== printf-style formatting

/// The right operand of `fmt % operand`, implemented by the interpreter. A value is named by a
/// Ref: the tuple item index when the operand is a tuple, kOperand for the operand itself, or
/// kLookedUp for the value the last lookup() found.
class PercentArgs
{
public:
  using Ref = std::size_t;
  static constexpr Ref kOperand = static_cast<Ref>(-1);
  static constexpr Ref kLookedUp = static_cast<Ref>(-2);

  virtual ~PercentArgs() = default;
  /// The operand is a tuple: its items are the arguments (size() of them).
  virtual bool is_tuple() const = 0;
  virtual std::size_t size() const = 0;
  /// As CPython's check: has __getitem__ and is not a tuple or str (dicts, but also lists).
  /// Enables "%(key)s"; with a mapping operand "%s" formats the whole mapping.
  virtual bool is_mapping() const = 0;
  /// operand[key] for "%(key)s"; the value becomes kLookedUp. Throws the PyError of the lookup
  /// (KeyError with the key's repr, ...).
  virtual void lookup(std::string_view key) = 0;

  virtual std::string str(Ref r) = 0;
  virtual std::string repr(Ref r) = 0;
  /// The value if it is an int or bool (or has __index__).
  virtual std::optional<std::int64_t> as_int(Ref r) = 0;
  /// The value as a float if it is a float, int or bool (or has __float__).
  virtual std::optional<double> as_float(Ref r) = 0;
  /// The value if it is a str.
  virtual std::optional<std::string> as_str(Ref r) = 0;
  /// type(v).__name__, for the error messages.
  virtual std::string type_name(Ref r) = 0;
};

/// fmt % args: flags "-+ #0", width and precision (also '*'), "%(key)", the length modifiers
/// h/l/L (ignored), conversions d i u o x X e E f F g G c r s a and "%%".
std::string percent_format(std::string_view fmt, PercentArgs& args);

/// ascii(v) from repr(v): escapes every non-ASCII code point (\xhh, \uhhhh, \Uhhhhhhhh).
std::string ascii_escape(std::string_view repr_text);

// ================================================================== str.format

/// The arguments of fmt.format(*args, **kwargs), implemented by the interpreter. Values are named
/// by handles the implementation hands out (e.g. indices into a per-call vector); a handle stays
/// valid until format_template returns.
class FormatLookup
{
public:
  using Handle = std::size_t;

  virtual ~FormatLookup() = default;
  /// args[index], or nullopt when out of range (IndexError "Replacement index 3 out of range for
  /// positional args tuple" is raised for you).
  virtual std::optional<Handle> positional(std::size_t index) = 0;
  /// kwargs[name], or nullopt when missing (KeyError 'name' is raised for you).
  virtual std::optional<Handle> keyword(std::string_view name) = 0;
  /// getattr(v, name) for "{0.name}"; throws the PyError (AttributeError ...) on failure.
  virtual Handle attribute(Handle v, std::string_view name) = 0;
  /// v[key] for "{0[key]}": an all-digits key arrives as an int (index), others as a str (key).
  virtual Handle item(Handle v, std::int64_t index) = 0;
  virtual Handle item(Handle v, std::string_view key) = 0;
  /// str(v) and repr(v), for the !s, !r and !a conversions (then formatted with format_str).
  virtual std::string str(Handle v) = 0;
  virtual std::string repr(Handle v) = 0;
  /// format(v, spec): for ints, floats and strs call format_int/float/str.
  virtual std::string format(Handle v, std::string_view spec) = 0;
  /// False for str.format_map (ValueError "Format string contains positional fields").
  virtual bool allows_positional() const { return true; }
};

/// fmt.format(...): literal text with "{{" "}}" escapes, fields {}, {0}, {name}, {0.attr},
/// {0[key]}, conversions !r !s !a, specs with nested fields ("{:{w}.{p}f}", two levels), and
/// CPython's errors ("cannot switch from automatic field numbering to manual field
/// specification", "Single '}' encountered in format string", ...).
std::string format_template(std::string_view fmt, FormatLookup& args);

// ================================================================== code points

/// The code point starting at byte `pos` (which advances past it). Invalid bytes decode as
/// U+DC80..U+DCFF (one per byte), as Python's surrogateescape.
char32_t decode_cp(std::string_view s, std::size_t& pos) noexcept;
/// Appends `cp` as UTF-8 (surrogates as 3 bytes).
void append_cp(std::string& out, char32_t cp);
std::u32string to_u32(std::string_view s);
std::string from_u32(std::u32string_view s);

/// len(s) in code points.
std::size_t cp_len(std::string_view s) noexcept;
/// Byte offset of code point `index` (s.size() at or past the end).
std::size_t cp_offset(std::string_view s, std::size_t index) noexcept;
/// Code point index of byte offset `offset` (the number of code points before it).
std::size_t cp_index(std::string_view s, std::size_t offset) noexcept;
/// ord(c): TypeError "ord() expected a character, but string of length 2 found".
std::int64_t py_ord(std::string_view c);
/// chr(i): ValueError "chr() arg not in range(0x110000)".
std::string py_chr(std::int64_t i);

/// A slice resolved against a sequence length, as slice.indices(len): `length` items from
/// `start` in steps of `step`.
struct SliceIndices
{
  std::int64_t start = 0;
  std::int64_t stop = 0;
  std::int64_t step = 1;
  std::int64_t length = 0;
};
/// seq[start:stop:step] bounds (nullopt = None); ValueError "slice step cannot be zero".
SliceIndices normalize_slice(std::int64_t len, std::optional<std::int64_t> start,
                             std::optional<std::int64_t> stop, std::optional<std::int64_t> step);
/// A non-negative index for seq[index] (negative counts from the end), nullopt if out of range.
std::optional<std::int64_t> normalize_index(std::int64_t len, std::int64_t index) noexcept;

/// s[index]: IndexError "string index out of range".
std::string str_getitem(std::string_view s, std::int64_t index);
/// s[start:stop:step] for a str (code points) and for bytes (bytes).
std::string str_slice(std::string_view s, const SliceIndices& slice);
std::string bytes_slice(std::string_view s, const SliceIndices& slice);

// ================================================================== reprs

/// repr(s): quotes ' unless s holds ' and no ", escapes \\ \n \r \t and the quote, \xhh for other
/// controls, \x/\u/\U for non-printable code points; printable non-ASCII stays as is.
std::string str_repr(std::string_view s);
/// ascii(s): repr(s) with every non-ASCII code point escaped.
std::string ascii_repr(std::string_view s);
/// repr(b): b'...' with \xhh for bytes outside 0x20..0x7e.
std::string bytes_repr(std::string_view b);

// ================================================================== str methods

/// Optional start/end arguments of find, count, startswith ...: code point indices, negative
/// counting from the end, nullopt for None.
using OptIndex = std::optional<std::int64_t>;

std::string str_upper(std::string_view s);
std::string str_lower(std::string_view s);
std::string str_capitalize(std::string_view s);
std::string str_title(std::string_view s);
std::string str_swapcase(std::string_view s);
std::string str_casefold(std::string_view s);

bool str_isascii(std::string_view s) noexcept;
bool str_isdigit(std::string_view s) noexcept;
bool str_isdecimal(std::string_view s) noexcept;
bool str_isnumeric(std::string_view s) noexcept;
bool str_isalpha(std::string_view s) noexcept;
bool str_isalnum(std::string_view s) noexcept;
bool str_isspace(std::string_view s) noexcept;
bool str_isupper(std::string_view s) noexcept;
bool str_islower(std::string_view s) noexcept;
bool str_istitle(std::string_view s) noexcept;
bool str_isidentifier(std::string_view s) noexcept;
bool str_isprintable(std::string_view s) noexcept;

/// s.split(sep, maxsplit) / s.split() (sep nullopt: runs of whitespace); ValueError "empty
/// separator".
std::vector<std::string> str_split(std::string_view s, std::optional<std::string_view> sep = {},
                                   std::int64_t maxsplit = -1);
std::vector<std::string> str_rsplit(std::string_view s, std::optional<std::string_view> sep = {},
                                    std::int64_t maxsplit = -1);
/// \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029 end lines.
std::vector<std::string> str_splitlines(std::string_view s, bool keepends = false);
/// chars nullopt: whitespace; else the set of code points in chars.
std::string str_strip(std::string_view s, std::optional<std::string_view> chars = {});
std::string str_lstrip(std::string_view s, std::optional<std::string_view> chars = {});
std::string str_rstrip(std::string_view s, std::optional<std::string_view> chars = {});

/// sep.join(parts). Also right for bytes.
std::string str_join(std::string_view sep, const std::vector<std::string>& parts);
/// s.replace(old, new, count): an empty `old` inserts between code points.
std::string str_replace(std::string_view s, std::string_view old, std::string_view new_,
                        std::int64_t count = -1);

std::int64_t str_find(std::string_view s, std::string_view sub, OptIndex start = {},
                      OptIndex end = {});
std::int64_t str_rfind(std::string_view s, std::string_view sub, OptIndex start = {},
                       OptIndex end = {});
/// As find/rfind, ValueError "substring not found" instead of -1.
std::int64_t str_index(std::string_view s, std::string_view sub, OptIndex start = {},
                       OptIndex end = {});
std::int64_t str_rindex(std::string_view s, std::string_view sub, OptIndex start = {},
                        OptIndex end = {});
std::int64_t str_count(std::string_view s, std::string_view sub, OptIndex start = {},
                       OptIndex end = {});
bool str_startswith(std::string_view s, std::string_view prefix, OptIndex start = {},
                    OptIndex end = {});
bool str_endswith(std::string_view s, std::string_view suffix, OptIndex start = {},
                  OptIndex end = {});

/// fill: exactly one code point (TypeError "The fill character must be exactly one character
/// long").
std::string str_center(std::string_view s, std::int64_t width, std::string_view fill = " ");
std::string str_ljust(std::string_view s, std::int64_t width, std::string_view fill = " ");
std::string str_rjust(std::string_view s, std::int64_t width, std::string_view fill = " ");
std::string str_zfill(std::string_view s, std::int64_t width);
/// ValueError "empty separator". Also right for bytes.
std::array<std::string, 3> str_partition(std::string_view s, std::string_view sep);
std::array<std::string, 3> str_rpartition(std::string_view s, std::string_view sep);
std::string str_expandtabs(std::string_view s, std::int64_t tabsize = 8);
/// Also right for bytes.
std::string str_removeprefix(std::string_view s, std::string_view prefix);
std::string str_removesuffix(std::string_view s, std::string_view suffix);
/// s * n (n <= 0 gives ""); OverflowError "repeated string is too long". Also right for bytes.
std::string str_repeat(std::string_view s, std::int64_t n);

// ================================================================== bytes methods
// Where bytes differ from str: indices count bytes, whitespace and letters are ASCII only, only
// \n \r \r\n end lines. join, partition, rpartition, removeprefix, removesuffix and repeat are
// the str_ functions.

std::string bytes_upper(std::string_view b);
std::string bytes_lower(std::string_view b);
std::string bytes_capitalize(std::string_view b);
std::string bytes_title(std::string_view b);
std::string bytes_swapcase(std::string_view b);
bool bytes_isdigit(std::string_view b) noexcept;
bool bytes_isalpha(std::string_view b) noexcept;
bool bytes_isalnum(std::string_view b) noexcept;
bool bytes_isspace(std::string_view b) noexcept;
bool bytes_isupper(std::string_view b) noexcept;
bool bytes_islower(std::string_view b) noexcept;
bool bytes_istitle(std::string_view b) noexcept;

std::vector<std::string> bytes_split(std::string_view b, std::optional<std::string_view> sep = {},
                                     std::int64_t maxsplit = -1);
std::vector<std::string> bytes_rsplit(std::string_view b, std::optional<std::string_view> sep = {},
                                      std::int64_t maxsplit = -1);
std::vector<std::string> bytes_splitlines(std::string_view b, bool keepends = false);
std::string bytes_strip(std::string_view b, std::optional<std::string_view> chars = {});
std::string bytes_lstrip(std::string_view b, std::optional<std::string_view> chars = {});
std::string bytes_rstrip(std::string_view b, std::optional<std::string_view> chars = {});
/// An empty `old` inserts between bytes.
std::string bytes_replace(std::string_view b, std::string_view old, std::string_view new_,
                          std::int64_t count = -1);
std::int64_t bytes_find(std::string_view b, std::string_view sub, OptIndex start = {},
                        OptIndex end = {});
std::int64_t bytes_rfind(std::string_view b, std::string_view sub, OptIndex start = {},
                         OptIndex end = {});
/// ValueError "subsection not found".
std::int64_t bytes_index(std::string_view b, std::string_view sub, OptIndex start = {},
                         OptIndex end = {});
std::int64_t bytes_rindex(std::string_view b, std::string_view sub, OptIndex start = {},
                          OptIndex end = {});
std::int64_t bytes_count(std::string_view b, std::string_view sub, OptIndex start = {},
                         OptIndex end = {});
bool bytes_startswith(std::string_view b, std::string_view prefix, OptIndex start = {},
                      OptIndex end = {});
bool bytes_endswith(std::string_view b, std::string_view suffix, OptIndex start = {},
                    OptIndex end = {});
/// fill: exactly one byte (TypeError "center() argument 2 must be a byte string of length 1, not
/// bytes" and likewise for ljust/rjust).
std::string bytes_center(std::string_view b, std::int64_t width, std::string_view fill = " ");
std::string bytes_ljust(std::string_view b, std::int64_t width, std::string_view fill = " ");
std::string bytes_rjust(std::string_view b, std::int64_t width, std::string_view fill = " ");
std::string bytes_zfill(std::string_view b, std::int64_t width);
std::string bytes_expandtabs(std::string_view b, std::int64_t tabsize = 8);
/// bytes.hex(): lowercase, two digits a byte.
std::string bytes_hex(std::string_view b);

// ================================================================== character properties

namespace unicode {

/// Property bits of a code point, as CPython 3.11's str.isX of a one-character string, plus the
/// Cased / Case_Ignorable properties its case mappings use.
enum Prop : std::uint16_t {
  kPrintable = 1u << 0,
  kSpace = 1u << 1,
  kAlpha = 1u << 2,
  kDecimal = 1u << 3,
  kDigit = 1u << 4,
  kNumeric = 1u << 5,
  kUpper = 1u << 6,
  kLower = 1u << 7,
  kTitle = 1u << 8,
  kCased = 1u << 9,
  kCaseIgnorable = 1u << 10,
  kXidStart = 1u << 11,  ///< or '_': may start an identifier
  kXidContinue = 1u << 12,
};
std::uint16_t props(char32_t cp) noexcept;
/// The value of a decimal digit (category Nd, any script), -1 for others.
int decimal_value(char32_t cp) noexcept;

enum class CaseKind : std::uint8_t { Upper, Lower, Title, Fold };
/// A full case mapping: up to three code points ("ß".upper() == "SS").
struct CaseMap
{
  std::uint8_t n = 0;
  char32_t cp[3] = {};
};
/// The mapping of one code point; the final-sigma rule of lower() is applied by the str
/// functions, not here.
CaseMap case_map(char32_t cp, CaseKind kind) noexcept;

}  // namespace unicode

}  // namespace loopscope::script::py
