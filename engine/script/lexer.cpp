// SPDX-License-Identifier: GPL-3.0-or-later
// Tokenizer; see lexer.h. The structure and the error messages and positions follow CPython 3.11's
// Parser/tokenizer.c so that errors match what `python3 -c 'compile(...)'` reports.

#include "engine/script/lexer.h"

#include "engine/script/pyformat.h"

#include <array>
#include <cstdio>

namespace loopscope::script {

namespace {

constexpr std::size_t kMaxIndent = 100;  // CPython's MAXINDENT: at most 99 indentation levels
constexpr std::size_t kMaxLevel = 200;   // CPython's MAXLEVEL: bracket nesting
constexpr int kEof = -1;

struct KeywordEntry
{
  std::string_view text;
  Kw kw;
};

constexpr std::array<KeywordEntry, 35> kKeywords{{
    {"False", Kw::False},
    {"None", Kw::NoneLit},
    {"True", Kw::True},
    {"and", Kw::And},
    {"as", Kw::As},
    {"assert", Kw::Assert},
    {"async", Kw::Async},
    {"await", Kw::Await},
    {"break", Kw::Break},
    {"class", Kw::Class},
    {"continue", Kw::Continue},
    {"def", Kw::Def},
    {"del", Kw::Del},
    {"elif", Kw::Elif},
    {"else", Kw::Else},
    {"except", Kw::Except},
    {"finally", Kw::Finally},
    {"for", Kw::For},
    {"from", Kw::From},
    {"global", Kw::Global},
    {"if", Kw::If},
    {"import", Kw::Import},
    {"in", Kw::In},
    {"is", Kw::Is},
    {"lambda", Kw::Lambda},
    {"nonlocal", Kw::Nonlocal},
    {"not", Kw::Not},
    {"or", Kw::Or},
    {"pass", Kw::Pass},
    {"raise", Kw::Raise},
    {"return", Kw::Return},
    {"try", Kw::Try},
    {"while", Kw::While},
    {"with", Kw::With},
    {"yield", Kw::Yield},
}};

Kw lookupKeyword(std::string_view s)
{
  if (s.size() < 2 || s.size() > 8) {
    return Kw::None;
  }
  for (const auto& e : kKeywords) {
    if (e.text == s) {
      return e.kw;
    }
  }
  return Kw::None;
}

bool isAsciiIdentStart(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isDigit(int c)
{
  return c >= '0' && c <= '9';
}

bool isXDigit(int c)
{
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// CPython's is_potential_identifier_char.
bool isPotentialIdentChar(int c)
{
  return isAsciiIdentStart(c) || isDigit(c) || c >= 128;
}

bool isStringPrefix(std::string_view p)
{
  if (p.empty() || p.size() > 2) {
    return false;
  }
  bool r = false, b = false, u = false, f = false;
  for (char ch : p) {
    switch (ch) {
      case 'r':
      case 'R':
        if (r) {
          return false;
        }
        r = true;
        break;
      case 'b':
      case 'B':
        if (b) {
          return false;
        }
        b = true;
        break;
      case 'u':
      case 'U':
        if (u) {
          return false;
        }
        u = true;
        break;
      case 'f':
      case 'F':
        if (f) {
          return false;
        }
        f = true;
        break;
      default:
        return false;
    }
  }
  if (u) {
    return p.size() == 1;
  }
  return !(b && f);
}

std::string hexCodePoint(std::uint32_t cp)
{
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

struct LexFail
{};

class Lexer
{
public:
  Lexer(std::string_view src, std::uint32_t begin, std::uint32_t end, Pos start,
        const std::string& filename, bool region)
      : src_(src)
      , i_(begin)
      , end_(end)
      , line_(start.line)
      , lineStart_(begin - (start.col - 1))
      , filename_(filename)
      , region_(region)
  {}

  LexResult run()
  {
    result_.tokens.reserve((end_ - i_) / 4 + 16);
    try {
      loop();
    } catch (const LexFail&) {
    }
    if (!parens_.empty()) {
      result_.open_bracket = parens_.back();
    }
    return std::move(result_);
  }

private:
  int at(std::uint32_t j) const { return j < end_ ? static_cast<unsigned char>(src_[j]) : kEof; }
  Pos posAt(std::uint32_t j) const { return Pos{line_, j - lineStart_ + 1}; }

  // CPython's tokenizer reports most errors at "the character before the cursor".
  Pos posBefore(std::uint32_t j) const
  {
    std::uint32_t col = j - lineStart_;
    return Pos{line_, col == 0 ? 1 : col};
  }

  void newline(std::uint32_t nlIndex)
  {
    ++line_;
    lineStart_ = nlIndex + 1;
  }

  [[noreturn]] void fail(ParseError::Kind kind, std::string msg, Pos pos,
                         bool eofInBrackets = false)
  {
    ParseError e;
    e.kind = kind;
    e.message = std::move(msg);
    e.filename = filename_;
    e.pos = pos;
    result_.error = std::move(e);
    result_.eof_in_brackets = eofInBrackets;
    Token t;
    t.kind = TokKind::Error;
    t.begin = t.end = i_ < end_ ? i_ : end_;
    t.pos = t.end_pos = pos;
    result_.tokens.push_back(t);
    throw LexFail{};
  }
  [[noreturn]] void syntaxError(std::string msg, Pos pos)
  {
    fail(ParseError::Kind::Syntax, std::move(msg), pos);
  }

  void push(TokKind kind, std::uint32_t b, std::uint32_t e, Pos pos, Op op = Op::None,
            Kw kw = Kw::None)
  {
    Token t;
    t.kind = kind;
    t.op = op;
    t.kw = kw;
    t.begin = b;
    t.end = e;
    t.pos = pos;
    t.end_pos = Pos{line_, e - lineStart_ + 1};
    result_.tokens.push_back(t);
  }

  // The position of the end of the last line (CPython's ENDMARKER and implicit NEWLINE at EOF).
  Pos endOfLastLine() const
  {
    if (end_ > 0 && src_[end_ - 1] == '\n' && line_ > 1) {
      std::uint32_t nl = end_ - 1;
      std::uint32_t start = nl;
      while (start > 0 && src_[start - 1] != '\n') {
        --start;
      }
      return Pos{line_ - 1, nl - start + 1};
    }
    return posAt(end_);
  }

  void loop()
  {
    bool atBol = !region_;
    bool lineHasTokens = false;
    std::uint32_t commentStart = 0;
    bool haveComment = false;
    for (;;) {
      if (atBol) {
        atBol = false;
        indentation();
      }
      while (i_ < end_ && (src_[i_] == ' ' || src_[i_] == '\t' || src_[i_] == '\f')) {
        ++i_;
      }
      const int c = at(i_);
      if (c == kEof) {
        atEof(lineHasTokens, haveComment ? commentStart : i_);
        return;
      }
      if (c == '#') {
        haveComment = true;
        commentStart = i_;
        while (i_ < end_ && src_[i_] != '\n') {
          ++i_;
        }
        continue;
      }
      if (c == '\n') {
        if (region_ || !parens_.empty() || !lineHasTokens) {
          newline(i_);
          ++i_;
          haveComment = false;
          if (!region_ && parens_.empty()) {
            atBol = true;
          }
          continue;
        }
        const std::uint32_t at = haveComment ? commentStart : i_;
        push(TokKind::Newline, at, i_ + 1, posAt(at));
        result_.tokens.back().end_pos = posAt(i_ + 1);
        newline(i_);
        ++i_;
        haveComment = false;
        atBol = true;
        lineHasTokens = false;
        continue;
      }
      if (c == '\\') {
        const int n = at(i_ + 1);
        if (n == '\n') {
          newline(i_ + 1);
          i_ += 2;
          continue;
        }
        if (n == kEof) {
          // Like an unclosed bracket, CPython reports this only if the parser gets there.
          if (!parens_.empty()) {
            const OpenBracket& b = parens_.back();
            fail(ParseError::Kind::Syntax, std::string("'") + b.ch + "' was never closed", b.pos,
                 true);
          }
          fail(ParseError::Kind::Syntax, "unexpected EOF while parsing", posAt(i_ + 1), true);
        }
        syntaxError("unexpected character after line continuation character", posAt(i_ + 1));
      }
      lineHasTokens = true;
      haveComment = false;
      token(c);
    }
  }

  void atEof(bool lineHasTokens, std::uint32_t newlineAt)
  {
    if (!parens_.empty() && !region_) {
      const OpenBracket& b = parens_.back();
      fail(ParseError::Kind::Syntax, std::string("'") + b.ch + "' was never closed", b.pos, true);
    }
    const Pos endPos = endOfLastLine();
    if (!region_) {
      if (lineHasTokens) {
        push(TokKind::Newline, newlineAt, end_, posAt(newlineAt));
      }
      while (indents_.size() > 1) {
        indents_.pop_back();
        altIndents_.pop_back();
        push(TokKind::Dedent, end_, end_, endPos);
        result_.tokens.back().end_pos = endPos;
      }
    }
    push(TokKind::EndMarker, end_, end_, region_ ? posAt(end_) : endPos);
    result_.tokens.back().end_pos = result_.tokens.back().pos;
  }

  void indentation()
  {
    std::uint32_t col = 0, altcol = 0;
    std::uint32_t j = i_;
    for (; j < end_; ++j) {
      const char ch = src_[j];
      if (ch == ' ') {
        ++col;
        ++altcol;
      } else if (ch == '\t') {
        col = (col / 8 + 1) * 8;
        ++altcol;
      } else if (ch == '\f') {
        col = altcol = 0;
      } else {
        break;
      }
    }
    const int c = at(j);
    if (c == kEof || c == '\n' || c == '#' || (c == '\\' && at(j + 1) == '\n')) {
      return;  // blank line, comment-only line: no indentation change
    }
    const auto tabError = [&] {
      fail(ParseError::Kind::Indentation, "inconsistent use of tabs and spaces in indentation",
           Pos{line_, 1});
    };
    if (col == indents_.back()) {
      if (altcol != altIndents_.back()) {
        tabError();
      }
    } else if (col > indents_.back()) {
      if (indents_.size() >= kMaxIndent) {
        fail(ParseError::Kind::Indentation, "too many levels of indentation", Pos{line_, 1});
      }
      if (altcol <= altIndents_.back()) {
        tabError();
      }
      indents_.push_back(col);
      altIndents_.push_back(altcol);
      // CPython reports "unexpected indent" at the last character of the indentation.
      push(TokKind::Indent, i_, j, Pos{line_, j - lineStart_});
    } else {
      while (indents_.size() > 1 && col < indents_.back()) {
        indents_.pop_back();
        altIndents_.pop_back();
        push(TokKind::Dedent, j, j, posAt(j));
      }
      if (col != indents_.back()) {
        std::uint32_t e = j;
        while (e < end_ && src_[e] != '\n') {
          ++e;
        }
        fail(ParseError::Kind::Indentation, "unindent does not match any outer indentation level",
             posAt(e));
      }
      if (altcol != altIndents_.back()) {
        tabError();
      }
    }
  }

  void token(int c)
  {
    const std::uint32_t start = i_;
    if (isAsciiIdentStart(c) || c >= 128) {
      identifierOrString(start);
      return;
    }
    if (isDigit(c) || (c == '.' && isDigit(at(i_ + 1)))) {
      number(start);
      return;
    }
    if (c == '\'' || c == '"') {
      string(start, start);
      return;
    }
    operatorToken(start, c);
  }

  void identifierOrString(std::uint32_t start)
  {
    bool ascii = true;
    while (i_ < end_) {
      const int ch = at(i_);
      if (isAsciiIdentStart(ch) || isDigit(ch)) {
        ++i_;
      } else if (ch >= 128) {
        ascii = false;
        std::size_t k = i_;
        py::decode_cp(src_, k);
        i_ = static_cast<std::uint32_t>(k);
      } else {
        break;
      }
    }
    const std::string_view text = src_.substr(start, i_ - start);
    if (ascii && (at(i_) == '"' || at(i_) == '\'') && isStringPrefix(text)) {
      string(start, i_);
      return;
    }
    if (!ascii) {
      std::size_t k = start;
      while (k < i_) {
        const std::size_t at = k;
        const std::uint32_t cp = py::decode_cp(src_, k);
        if (cp >= 128 && !isIdentifierCodePoint(cp)) {
          const Pos p = posAt(static_cast<std::uint32_t>(at));
          if (isNonPrintable(cp)) {
            syntaxError("invalid non-printable character " + hexCodePoint(cp), p);
          }
          std::string ch;
          py::append_cp(ch, cp);
          syntaxError("invalid character '" + ch + "' (" + hexCodePoint(cp) + ")", p);
        }
      }
    }
    push(TokKind::Name, start, i_, posAt(start), Op::None, ascii ? lookupKeyword(text) : Kw::None);
  }

  // ---- numbers: CPython's tok_get number branch, with its cursor idiom (nextc/backup).

  int nextc()
  {
    return i_ < end_ && src_[i_] != '\n' ? static_cast<unsigned char>(src_[i_++]) : (++i_, kEof);
  }
  void backup(int) { --i_; }

  int decimalTail()
  {
    int c;
    for (;;) {
      do {
        c = nextc();
      } while (isDigit(c));
      if (c != '_') {
        break;
      }
      c = nextc();
      if (!isDigit(c)) {
        backup(c);
        syntaxError("invalid decimal literal", posBefore(i_));
      }
    }
    return c;
  }

  bool lookahead(const char* test)
  {
    const std::uint32_t save = i_;
    const char* s = test;
    for (;;) {
      const int c = nextc();
      if (*s == 0) {
        const bool res = !isPotentialIdentChar(c);
        i_ = save;
        return res;
      }
      if (c == *s) {
        ++s;
        continue;
      }
      i_ = save;
      return false;
    }
  }

  // c has been read (the cursor is after it).
  void verifyEndOfNumber(int c, const char* kind)
  {
    bool r = false;
    if (c == 'a') {
      r = lookahead("nd");
    } else if (c == 'e') {
      r = lookahead("lse");
    } else if (c == 'f') {
      r = lookahead("or");
    } else if (c == 'i') {
      const int c2 = at(i_);
      r = c2 == 'f' || c2 == 'n' || c2 == 's';
    } else if (c == 'o') {
      r = lookahead("r");
    } else if (c == 'n') {
      r = lookahead("ot");
    }
    if (r) {
      return;  // CPython only warns ("invalid decimal literal" SyntaxWarning)
    }
    if (isPotentialIdentChar(c)) {
      backup(c);
      syntaxError(std::string("invalid ") + kind + " literal", posBefore(i_));
    }
  }

  void number(std::uint32_t start)
  {
    int c = nextc();
    if (c == '0') {
      c = nextc();
      if (c == 'x' || c == 'X') {
        c = nextc();
        do {
          if (c == '_') {
            c = nextc();
          }
          if (!isXDigit(c)) {
            backup(c);
            syntaxError("invalid hexadecimal literal", posBefore(i_));
          }
          do {
            c = nextc();
          } while (isXDigit(c));
        } while (c == '_');
        verifyEndOfNumber(c, "hexadecimal");
      } else if (c == 'o' || c == 'O' || c == 'b' || c == 'B') {
        const bool octal = c == 'o' || c == 'O';
        const char* kind = octal ? "octal" : "binary";
        const int maxDigit = octal ? '7' : '1';
        c = nextc();
        do {
          if (c == '_') {
            c = nextc();
          }
          if (c < '0' || c > maxDigit) {
            if (isDigit(c)) {
              syntaxError(std::string("invalid digit '") + static_cast<char>(c) + "' in " + kind +
                              " literal",
                          posBefore(i_));
            }
            backup(c);
            syntaxError(std::string("invalid ") + kind + " literal", posBefore(i_));
          }
          do {
            c = nextc();
          } while (c >= '0' && c <= maxDigit);
        } while (c == '_');
        if (isDigit(c)) {
          syntaxError(
              std::string("invalid digit '") + static_cast<char>(c) + "' in " + kind + " literal",
              posBefore(i_));
        }
        verifyEndOfNumber(c, kind);
      } else {
        bool nonzero = false;
        for (;;) {
          if (c == '_') {
            c = nextc();
            if (!isDigit(c)) {
              backup(c);
              syntaxError("invalid decimal literal", posBefore(i_));
            }
          }
          if (c != '0') {
            break;
          }
          c = nextc();
        }
        if (isDigit(c)) {
          nonzero = true;
          c = decimalTail();
        }
        if (c == '.') {
          c = nextc();
          fractionAndRest(c);
        } else if (c == 'e' || c == 'E') {
          exponentAndRest(c);
        } else if (c == 'j' || c == 'J') {
          c = nextc();
          verifyEndOfNumber(c, "imaginary");
        } else if (nonzero) {
          syntaxError(
              "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
              "octal integers",
              posAt(start));
        } else {
          verifyEndOfNumber(c, "decimal");
        }
      }
    } else if (c == '.') {
      c = nextc();
      fractionAndRest(c);
    } else {
      c = decimalTail();
      if (c == '.') {
        c = nextc();
        fractionAndRest(c);
      } else {
        exponentAndRest(c);
      }
    }
    if (!numberEndedEarly_) {
      backup(0);
    }
    numberEndedEarly_ = false;
    push(TokKind::Number, start, i_, posAt(start));
  }

  void fractionAndRest(int c)
  {
    if (isDigit(c)) {
      c = decimalTail();
    }
    exponentAndRest(c);
  }

  void exponentAndRest(int c)
  {
    if (c == 'e' || c == 'E') {
      const int e = c;
      c = nextc();
      if (c == '+' || c == '-') {
        c = nextc();
        if (!isDigit(c)) {
          backup(c);
          syntaxError("invalid decimal literal", posBefore(i_));
        }
      } else if (!isDigit(c)) {
        backup(c);
        verifyEndOfNumber(e, "decimal");
        backup(e);  // the number ends before the 'e' ("1else")
        numberEndedEarly_ = true;
        return;
      }
      c = decimalTail();
    }
    if (c == 'j' || c == 'J') {
      c = nextc();
      verifyEndOfNumber(c, "imaginary");
    } else {
      verifyEndOfNumber(c, "decimal");
    }
  }

  // ---- strings

  void string(std::uint32_t start, std::uint32_t quoteAt)
  {
    const Pos startPos = posAt(start);
    const char q = src_[quoteAt];
    const bool triple = at(quoteAt + 1) == q && at(quoteAt + 2) == q;
    i_ = quoteAt + (triple ? 3 : 1);
    for (;;) {
      const int c = at(i_);
      if (c == kEof) {
        std::uint32_t detected = line_;
        if (triple && end_ > 0 && src_[end_ - 1] == '\n' && detected > 1) {
          --detected;
        }
        syntaxError(std::string(triple ? "unterminated triple-quoted string literal"
                                       : "unterminated string literal") +
                        " (detected at line " + std::to_string(detected) + ")",
                    startPos);
      }
      if (c == '\n') {
        if (!triple) {
          syntaxError(
              "unterminated string literal (detected at line " + std::to_string(line_) + ")",
              startPos);
        }
        newline(i_);
        ++i_;
        continue;
      }
      if (c == '\\') {
        ++i_;
        if (at(i_) == '\n') {
          newline(i_);
        }
        if (i_ < end_) {
          ++i_;
        }
        continue;
      }
      if (c == q) {
        if (!triple) {
          ++i_;
          break;
        }
        if (at(i_ + 1) == q && at(i_ + 2) == q) {
          i_ += 3;
          break;
        }
      }
      ++i_;
    }
    push(TokKind::String, start, i_, startPos);
  }

  // ---- operators and brackets

  void operatorToken(std::uint32_t start, int c)
  {
    const Pos p = posAt(start);
    const int c1 = at(i_ + 1), c2 = at(i_ + 2);
    Op op = Op::None;
    std::uint32_t len = 1;
    switch (c) {
      case '(':
      case '[':
      case '{':
        if (parens_.size() >= kMaxLevel) {
          syntaxError("too many nested parentheses", p);
        }
        parens_.push_back(OpenBracket{static_cast<char>(c), p});
        op = c == '(' ? Op::LPar : c == '[' ? Op::LSqb : Op::LBrace;
        break;
      case ')':
      case ']':
      case '}': {
        if (parens_.empty()) {
          syntaxError(std::string("unmatched '") + static_cast<char>(c) + "'", p);
        }
        const OpenBracket open = parens_.back();
        const char expected = open.ch == '(' ? ')' : open.ch == '[' ? ']' : '}';
        if (c != expected) {
          std::string msg = std::string("closing parenthesis '") + static_cast<char>(c) +
                            "' does not match opening parenthesis '" + open.ch + "'";
          if (open.pos.line != line_) {
            msg += " on line " + std::to_string(open.pos.line);
          }
          syntaxError(msg, p);
        }
        parens_.pop_back();
        op = c == ')' ? Op::RPar : c == ']' ? Op::RSqb : Op::RBrace;
        break;
      }
      case ':':
        op = c1 == '=' ? (len = 2, Op::ColonEqual) : Op::Colon;
        break;
      case ',':
        op = Op::Comma;
        break;
      case ';':
        op = Op::Semi;
        break;
      case '+':
        op = c1 == '=' ? (len = 2, Op::PlusEqual) : Op::Plus;
        break;
      case '-':
        op = c1 == '=' ? (len = 2, Op::MinEqual) : c1 == '>' ? (len = 2, Op::RArrow) : Op::Minus;
        break;
      case '*':
        if (c1 == '*') {
          op = c2 == '=' ? (len = 3, Op::DoubleStarEqual) : (len = 2, Op::DoubleStar);
        } else {
          op = c1 == '=' ? (len = 2, Op::StarEqual) : Op::Star;
        }
        break;
      case '/':
        if (c1 == '/') {
          op = c2 == '=' ? (len = 3, Op::DoubleSlashEqual) : (len = 2, Op::DoubleSlash);
        } else {
          op = c1 == '=' ? (len = 2, Op::SlashEqual) : Op::Slash;
        }
        break;
      case '|':
        op = c1 == '=' ? (len = 2, Op::VBarEqual) : Op::VBar;
        break;
      case '&':
        op = c1 == '=' ? (len = 2, Op::AmperEqual) : Op::Amper;
        break;
      case '^':
        op = c1 == '=' ? (len = 2, Op::CircumflexEqual) : Op::Circumflex;
        break;
      case '%':
        op = c1 == '=' ? (len = 2, Op::PercentEqual) : Op::Percent;
        break;
      case '@':
        op = c1 == '=' ? (len = 2, Op::AtEqual) : Op::At;
        break;
      case '~':
        op = Op::Tilde;
        break;
      case '<':
        if (c1 == '<') {
          op = c2 == '=' ? (len = 3, Op::LeftShiftEqual) : (len = 2, Op::LeftShift);
        } else {
          op = c1 == '=' ? (len = 2, Op::LessEqual) : Op::Less;
        }
        break;
      case '>':
        if (c1 == '>') {
          op = c2 == '=' ? (len = 3, Op::RightShiftEqual) : (len = 2, Op::RightShift);
        } else {
          op = c1 == '=' ? (len = 2, Op::GreaterEqual) : Op::Greater;
        }
        break;
      case '=':
        op = c1 == '=' ? (len = 2, Op::EqEqual) : Op::Equal;
        break;
      case '!':
        op = c1 == '=' ? (len = 2, Op::NotEqual) : Op::Invalid;
        break;
      case '.':
        op = c1 == '.' && c2 == '.' ? (len = 3, Op::Ellipsis) : Op::Dot;
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          syntaxError(
              "invalid non-printable character " + hexCodePoint(static_cast<std::uint32_t>(c)), p);
        }
        op = Op::Invalid;  // `$`, `?`, `` ` ``
        break;
    }
    i_ += len;
    push(TokKind::Op, start, i_, p, op);
  }

  std::string_view src_;
  std::uint32_t i_;
  std::uint32_t end_;
  std::uint32_t line_;
  std::uint32_t lineStart_;
  const std::string& filename_;
  bool region_;
  bool numberEndedEarly_ = false;
  std::vector<std::uint32_t> indents_{0};
  std::vector<std::uint32_t> altIndents_{0};
  std::vector<OpenBracket> parens_;
  LexResult result_;
};

}  // namespace

LexResult tokenize(std::string_view source, const std::string& filename)
{
  Lexer lx(source, 0, static_cast<std::uint32_t>(source.size()), Pos{1, 1}, filename, false);
  return lx.run();
}

LexResult tokenizeRegion(std::string_view source, std::uint32_t begin, std::uint32_t end, Pos start,
                         const std::string& filename)
{
  Lexer lx(source, begin, end, start, filename, true);
  return lx.run();
}

std::string_view keywordText(Kw kw)
{
  for (const auto& e : kKeywords) {
    if (e.kw == kw) {
      return e.text;
    }
  }
  return {};
}

std::string normalizeIdentifier(std::string_view name)
{
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    const std::uint32_t cp = py::decode_cp(name, i);
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
        (cp >= 0xFF41 && cp <= 0xFF5A) || cp == 0xFF3F) {
      out += static_cast<char>(cp - 0xFF00 + 0x20);
    } else if (cp == 0xB5) {
      py::append_cp(out, 0x3BC);  // µ -> μ
    } else if (cp == 0xAA) {
      out += 'a';
    } else if (cp == 0xBA) {
      out += 'o';
    } else if (cp == 0x17F) {
      out += 's';
    } else if (cp >= 0xFB00 && cp <= 0xFB06) {
      static constexpr const char* kLigatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
      out += kLigatures[cp - 0xFB00];
    } else {
      py::append_cp(out, cp);
    }
  }
  return out;
}

bool isNonPrintable(std::uint32_t cp)
{
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) {
    return true;
  }
  if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
      (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF ||
      (cp >= 0xFFF9 && cp <= 0xFFFB)) {
    return true;
  }
  if ((cp >= 0x600 && cp <= 0x605) || cp == 0x61C || cp == 0x6DD || cp == 0x70F || cp == 0x180E) {
    return true;
  }
  if ((cp >= 0xD800 && cp <= 0xF8FF) || cp >= 0xF0000 || (cp >= 0xE0000 && cp <= 0xE007F)) {
    return true;  // surrogates, private use, tags
  }
  if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
    return true;  // noncharacters
  }
  return false;
}

bool isIdentifierCodePoint(std::uint32_t cp)
{
  if (cp < 0x80) {
    return isAsciiIdentStart(static_cast<int>(cp)) || isDigit(static_cast<int>(cp));
  }
  if (isNonPrintable(cp)) {
    return false;
  }
  if (cp <= 0xFF) {  // Latin-1: letters, and ª µ · º
    return cp == 0xAA || cp == 0xB5 || cp == 0xB7 || cp == 0xBA ||
           (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7);
  }
  struct Range
  {
    std::uint32_t lo, hi;
  };
  // Blocks of punctuation and symbols (not letters, marks or digits).
  static constexpr Range kNotIdentifier[] =
      {
          {0x2010, 0x2027},  // general punctuation
          {0x2030, 0x205E},  // general punctuation (‿ ⁀ ⁔ are connectors, but rare)
          {0x20A0, 0x20CF},  // currency symbols
          {0x2100, 0x2101},   {0x2103, 0x2106}, {0x2108, 0x2109}, {0x2114, 0x2114},
          {0x2116, 0x2118},   {0x211E, 0x2123}, {0x2125, 0x2125}, {0x2127, 0x2127},
          {0x2129, 0x2129},   {0x212E, 0x212E}, {0x213A, 0x213B}, {0x2140, 0x2144},
          {0x214A, 0x214D},   {0x214F, 0x215F},  // letterlike symbols that are symbols
          {0x2190, 0x245F},  // arrows, math operators, technical, control pictures, OCR
          {0x2500, 0x2BFF},  // box drawing .. misc symbols and arrows
          {0x2E00, 0x2E7F},  // supplemental punctuation
          {0x3001, 0x3004},   {0x3008, 0x3020}, {0x3030, 0x3030}, {0x303D, 0x303F},
          {0xFD3E, 0xFD3F},   {0xFE10, 0xFE19}, {0xFE30, 0xFE32}, {0xFE35, 0xFE4C},
          {0xFE50, 0xFE6B},   {0xFF01, 0xFF0F}, {0xFF1A, 0xFF20}, {0xFF3B, 0xFF3E},
          {0xFF40, 0xFF40},   {0xFF5B, 0xFF65}, {0xFFE0, 0xFFEE}, {0xFFFC, 0xFFFF},
          {0x1F000, 0x1FBFF},  // emoji, mahjong, domino, playing cards, symbols
      };
  for (const Range& r : kNotIdentifier) {
    if (cp >= r.lo && cp <= r.hi) {
      return false;
    }
  }
  if ((cp & 0xFFFE) == 0xFFFE || cp > 0x10FFFF) {
    return false;  // noncharacters
  }
  return true;
}

}  // namespace loopscope::script
