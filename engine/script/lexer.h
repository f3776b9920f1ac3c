// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The tokenizer of loopscope's Python subset. It follows CPython 3.11's tokenizer: INDENT and
// DEDENT from an indentation stack, NEWLINE only at the end of logical lines, implicit line
// joining inside brackets, and a whole string literal (prefix, quotes, f-string included) as one
// STRING token that the parser decodes. Positions are 1-based lines and 1-based *byte* columns,
// as CPython's ast (col_offset + 1); parse() converts error columns to characters.
//
// Internal to the parser; the interpreter only needs ast.h.

#include "engine/script/ast.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::script {

enum class TokKind : std::uint8_t {
  Name,
  Number,
  String,
  Op,
  Newline,
  Indent,
  Dedent,
  EndMarker,
  Error,  ///< the tokenizer stopped here; LexResult::error says why
};

enum class Op : std::uint8_t {
  None,
  LPar,
  RPar,
  LSqb,
  RSqb,
  LBrace,
  RBrace,
  Colon,
  Comma,
  Semi,
  Plus,
  Minus,
  Star,
  Slash,
  VBar,
  Amper,
  Less,
  Greater,
  Equal,
  Dot,
  Percent,
  EqEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Tilde,
  Circumflex,
  LeftShift,
  RightShift,
  DoubleStar,
  PlusEqual,
  MinEqual,
  StarEqual,
  SlashEqual,
  PercentEqual,
  AmperEqual,
  VBarEqual,
  CircumflexEqual,
  LeftShiftEqual,
  RightShiftEqual,
  DoubleStarEqual,
  DoubleSlash,
  DoubleSlashEqual,
  At,
  AtEqual,
  RArrow,
  Ellipsis,
  ColonEqual,
  Invalid,  ///< a character that is no token (`$`, `?`, a lone `!`): "invalid syntax" if reached
};

/// Python's hard keywords. Soft keywords (match, case, type, _) are plain names.
enum class Kw : std::uint8_t {
  None,
  False,
  NoneLit,
  True,
  And,
  As,
  Assert,
  Async,
  Await,
  Break,
  Class,
  Continue,
  Def,
  Del,
  Elif,
  Else,
  Except,
  Finally,
  For,
  From,
  Global,
  If,
  Import,
  In,
  Is,
  Lambda,
  Nonlocal,
  Not,
  Or,
  Pass,
  Raise,
  Return,
  Try,
  While,
  With,
  Yield,
};

struct Token
{
  TokKind kind = TokKind::EndMarker;
  Op op = Op::None;
  Kw kw = Kw::None;
  std::uint32_t begin = 0;  ///< byte offsets of the token text in the source
  std::uint32_t end = 0;
  Pos pos;      ///< first character
  Pos end_pos;  ///< just after the last character (line of the last character)
};

/// The innermost open bracket, for "'(' was never closed".
struct OpenBracket
{
  char ch = 0;
  Pos pos;
};

struct LexResult
{
  std::vector<Token> tokens;  ///< ends with EndMarker, or with an Error token
  /// Set when tokens ends with Error: the tokenizer's error (CPython raises it as soon as the
  /// parser reaches that token, and it also wins over a parser error found earlier).
  std::optional<ParseError> error;
  /// The error is the end of the file inside brackets ("'(' was never closed"), which CPython
  /// only reports when the parser fails at that point or later.
  bool eof_in_brackets = false;
  /// The innermost bracket open where the tokenizer stopped, if any.
  std::optional<OpenBracket> open_bracket;
};

/// Tokenizes a whole file. `source` must be valid UTF-8 without NUL bytes and with "\n" line
/// ends (parse() checks and normalizes).
LexResult tokenize(std::string_view source, const std::string& filename);

/// Tokenizes source[begin, end) -- an f-string replacement field's expression -- as if it were
/// inside brackets (no NEWLINE, INDENT or DEDENT), starting at position `start`. The result
/// ends with EndMarker at `end`.
LexResult tokenizeRegion(std::string_view source, std::uint32_t begin, std::uint32_t end, Pos start,
                         const std::string& filename);

/// The text of a keyword, for messages ("'await' outside function").
std::string_view keywordText(Kw kw);

/// Whether a code point >= 0x80 may appear in an identifier (an approximation of Unicode's
/// XID_Continue without the Unicode database: letters, marks and digits of all scripts are
/// accepted; punctuation, symbols, spaces and control characters are not).
bool isIdentifierCodePoint(std::uint32_t cp);

/// An identifier in the form Python compares it (NFKC), for the compatibility characters
/// people meet: fullwidth Latin letters and digits, µ, ª, º, ſ and the Latin ligatures. Other
/// identifiers are returned unchanged.
std::string normalizeIdentifier(std::string_view name);

/// Whether Python's str.isprintable() is false for code point `cp` (approximation).
bool isNonPrintable(std::uint32_t cp);

}  // namespace loopscope::script
