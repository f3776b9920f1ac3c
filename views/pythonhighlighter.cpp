// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/pythonhighlighter.h"

#include <QFont>
#include <QPalette>
#include <QStringView>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

#include <algorithm>
#include <initializer_list>
#include <vector>

namespace loopscope::views {

namespace {

using Role = PythonHighlighter::Role;

// A string being scanned: which quote, how many, and whether it is an f-string. Nonzero block
// states are these flags of a triple-quoted string that goes on into the next block.
constexpr int kTriple = 1 << 0;
constexpr int kDoubleQuote = 1 << 1;
constexpr int kFormatString = 1 << 2;

using Words = std::vector<QLatin1String>;

Words sorted(std::initializer_list<const char*> words)
{
  Words out;
  out.reserve(words.size());
  for (const char* w : words) {
    out.emplace_back(w);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool contains(const Words& words, QStringView word)
{
  // Binary search without building a QString per identifier.
  const auto it = std::lower_bound(words.begin(), words.end(), word,
                                   [](QLatin1String w, QStringView v) { return v.compare(w) > 0; });
  return it != words.end() && word.compare(*it) == 0;
}

const Words& keywords()
{
  static const Words words = sorted(
      {"False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
       "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
       "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
       "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"});
  return words;
}

const Words& builtins()
{
  static const Words words = sorted(
      {// Functions and types.
       "__import__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint",
       "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "delattr",
       "dict", "dir", "divmod", "enumerate", "eval", "exec", "filter", "float", "format",
       "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int",
       "isinstance", "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview",
       "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "range", "repr",
       "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum",
       "super", "tuple", "type", "vars", "zip", "Ellipsis", "NotImplemented",
       // Exceptions.
       "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
       "BlockingIOError", "BrokenPipeError", "BufferError", "ChildProcessError",
       "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError",
       "ConnectionResetError", "EOFError", "Exception", "ExceptionGroup", "FileExistsError",
       "FileNotFoundError", "FloatingPointError", "GeneratorExit", "ImportError",
       "IndentationError", "IndexError", "InterruptedError", "IsADirectoryError", "KeyError",
       "KeyboardInterrupt", "LookupError", "MemoryError", "ModuleNotFoundError", "NameError",
       "NotADirectoryError", "NotImplementedError", "OSError", "OverflowError", "PermissionError",
       "ProcessLookupError", "RecursionError", "ReferenceError", "RuntimeError",
       "StopAsyncIteration", "StopIteration", "SyntaxError", "SystemExit", "TabError",
       "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError",
       "UnicodeError", "ValueError", "ZeroDivisionError"});
  return words;
}

bool isIdentifierStart(QChar c)
{
  return c.isLetter() || c == u'_';
}

bool isIdentifierChar(QChar c)
{
  return c.isLetterOrNumber() || c == u'_';
}

// r, b, u, f and the two-letter combinations Python accepts (rb, br, fr, rf), any case.
bool isStringPrefix(QStringView word, bool* format)
{
  if (word.isEmpty() || word.size() > 2) {
    return false;
  }
  bool r = false;
  bool b = false;
  bool u = false;
  bool f = false;
  for (const QChar c : word) {
    bool* flag = nullptr;
    switch (c.toLower().unicode()) {
      case u'r':
        flag = &r;
        break;
      case u'b':
        flag = &b;
        break;
      case u'u':
        flag = &u;
        break;
      case u'f':
        flag = &f;
        break;
      default:
        return false;
    }
    if (*flag) {
      return false;
    }
    *flag = true;
  }
  if (word.size() == 2 && (u || (b && f) || !r)) {
    return false;
  }
  *format = f;
  return true;
}

// The end of a number starting at `i` (a digit, or '.' before a digit).
int scanNumber(const QString& text, int i)
{
  const int n = static_cast<int>(text.size());
  if (text[i] == u'0' && i + 1 < n && QStringView(u"xXoObB").contains(text[i + 1])) {
    i += 2;
    while (i < n && (text[i].isLetterOrNumber() || text[i] == u'_')) {
      ++i;
    }
    return i;
  }
  while (i < n && (text[i].isDigit() || text[i] == u'_')) {
    ++i;
  }
  if (i < n && text[i] == u'.') {
    ++i;
    while (i < n && (text[i].isDigit() || text[i] == u'_')) {
      ++i;
    }
  }
  if (i < n && (text[i] == u'e' || text[i] == u'E')) {
    int j = i + 1;
    if (j < n && (text[j] == u'+' || text[j] == u'-')) {
      ++j;
    }
    if (j < n && text[j].isDigit()) {
      i = j;
      while (i < n && (text[i].isDigit() || text[i] == u'_')) {
        ++i;
      }
    }
  }
  if (i < n && (text[i] == u'j' || text[i] == u'J')) {
    ++i;
  }
  return i;
}

// The line's code ends with ':' (before any comment): a match or case statement, not a call.
bool opensBlock(const QString& text, int from)
{
  int end = static_cast<int>(text.size());
  const int hash = static_cast<int>(text.indexOf(u'#', from));
  if (hash >= 0) {
    end = hash;
  }
  const QStringView code = QStringView(text).mid(from, end - from).trimmed();
  return code.endsWith(u':');
}

}  // namespace

PythonHighlighter::PythonHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
{
  applyColours(false, QColor(Qt::black));
}

PythonHighlighter::~PythonHighlighter() = default;

void PythonHighlighter::setPalette(const QPalette& palette)
{
  const bool dark = palette.color(QPalette::Base).lightness() < 128;
  const QColor text = palette.color(QPalette::Text);
  if (dark == m_dark && text == m_text) {
    return;
  }
  applyColours(dark, text);
  rehighlight();
}

void PythonHighlighter::applyColours(bool dark, const QColor& text)
{
  m_dark = dark;
  m_text = text;
  struct Style
  {
    QColor light;
    QColor dark;
    bool bold = false;
    bool italic = false;
  };
  // Light: dark hues for a white page; dark: the soft hues of common dark themes. Each keeps at
  // least 3:1 against its background (tests check it against typical Base colours).
  const std::array<Style, kRoleCount> styles{{
      {QColor(0x00, 0x33, 0xB3), QColor(0xC6, 0x78, 0xDD), true, false},   // Keyword
      {QColor(0x7A, 0x3E, 0x9D), QColor(0x56, 0xB6, 0xC2), false, false},  // Builtin
      {QColor(0x80, 0x6E, 0x00), QColor(0xE5, 0xC0, 0x7B), false, false},  // Decorator
      {QColor(0x06, 0x7D, 0x17), QColor(0x98, 0xC3, 0x79), false, false},  // String
      {text, text, false, false},                                          // Interpolation
      {QColor(0x6A, 0x73, 0x7D), QColor(0x8B, 0x94, 0x9E), false, true},   // Comment
      {QColor(0x17, 0x50, 0xEB), QColor(0xD1, 0x9A, 0x66), false, false},  // Number
      {QColor(0x00, 0x62, 0x7A), QColor(0x61, 0xAF, 0xEF), true, false},   // Definition
  }};
  for (std::size_t k = 0; k < kRoleCount; ++k) {
    QTextCharFormat f;
    f.setForeground(dark ? styles[k].dark : styles[k].light);
    if (styles[k].bold) {
      f.setFontWeight(QFont::Bold);
    }
    f.setFontItalic(styles[k].italic);
    f.setProperty(kRoleProperty, static_cast<int>(k));
    m_formats[k] = f;
  }
}

const QTextCharFormat& PythonHighlighter::roleFormat(Role role) const
{
  return m_formats[static_cast<std::size_t>(role)];
}

std::optional<PythonHighlighter::Role> PythonHighlighter::roleAt(const QTextBlock& block,
                                                                 int positionInBlock)
{
  if (!block.isValid() || block.layout() == nullptr) {
    return std::nullopt;
  }
  const QList<QTextLayout::FormatRange> formats = block.layout()->formats();
  for (const QTextLayout::FormatRange& r : formats) {
    if (positionInBlock >= r.start && positionInBlock < r.start + r.length &&
        r.format.hasProperty(kRoleProperty)) {
      const int role = r.format.intProperty(kRoleProperty);
      if (role >= 0 && role < static_cast<int>(kRoleCount)) {
        return static_cast<Role>(role);
      }
    }
  }
  return std::nullopt;
}

const char* PythonHighlighter::roleName(Role role) noexcept
{
  switch (role) {
    case Role::Keyword:
      return "keyword";
    case Role::Builtin:
      return "builtin";
    case Role::Decorator:
      return "decorator";
    case Role::String:
      return "string";
    case Role::Interpolation:
      return "interpolation";
    case Role::Comment:
      return "comment";
    case Role::Number:
      return "number";
    case Role::Definition:
      return "definition";
    case Role::Count_:
      break;
  }
  return "?";
}

bool PythonHighlighter::isKeyword(QStringView word)
{
  return contains(keywords(), word);
}

bool PythonHighlighter::isBuiltin(QStringView word)
{
  return contains(builtins(), word);
}

void PythonHighlighter::highlightBlock(const QString& text)
{
  setCurrentBlockState(0);
  const int n = static_cast<int>(text.size());
  int i = 0;
  const int carried = previousBlockState();
  if (carried > 0) {
    i = highlightString(text, 0, 0, carried);
    if (i < 0) {
      return;
    }
  }

  bool first = i == 0;      // the next token opens the line's statement
  bool afterDot = false;    // the previous token was '.': an attribute, never a keyword
  bool expectName = false;  // the previous token was def or class
  while (i < n) {
    const QChar c = text[i];
    if (c.isSpace()) {
      ++i;
      continue;
    }
    if (c == u'#') {
      setFormat(i, n - i, roleFormat(Role::Comment));
      return;
    }
    if (isIdentifierStart(c)) {
      int j = i + 1;
      while (j < n && isIdentifierChar(text[j])) {
        ++j;
      }
      const QStringView word = QStringView(text).mid(i, j - i);
      bool format = false;
      if (j < n && (text[j] == u'\'' || text[j] == u'"') && isStringPrefix(word, &format)) {
        const bool dq = text[j] == u'"';
        const bool triple = j + 2 < n && text[j + 1] == text[j] && text[j + 2] == text[j];
        const int state =
            (triple ? kTriple : 0) | (dq ? kDoubleQuote : 0) | (format ? kFormatString : 0);
        i = highlightString(text, i, j + (triple ? 3 : 1), state);
        if (i < 0) {
          return;
        }
        first = afterDot = expectName = false;
        continue;
      }
      const bool wasFirst = first;
      if (afterDot) {
        // obj.print, asyncio.sleep: plain names.
      } else if (expectName) {
        setFormat(i, j - i, roleFormat(Role::Definition));
      } else if (isKeyword(word)) {
        setFormat(i, j - i, roleFormat(Role::Keyword));
      } else if (isBuiltin(word)) {
        setFormat(i, j - i, roleFormat(Role::Builtin));
      } else if (wasFirst && (word == u"match" || word == u"case") && j < n && text[j].isSpace() &&
                 opensBlock(text, j)) {
        setFormat(i, j - i, roleFormat(Role::Keyword));
      }
      expectName = !afterDot && (word == u"def" || word == u"class");
      first = afterDot = false;
      i = j;
      continue;
    }
    if (c.isDigit() || (c == u'.' && i + 1 < n && text[i + 1].isDigit())) {
      const int j = scanNumber(text, i);
      setFormat(i, j - i, roleFormat(Role::Number));
      first = afterDot = expectName = false;
      i = j;
      continue;
    }
    if (c == u'\'' || c == u'"') {
      const bool triple = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
      const int state = (triple ? kTriple : 0) | (c == u'"' ? kDoubleQuote : 0);
      i = highlightString(text, i, i + (triple ? 3 : 1), state);
      if (i < 0) {
        return;
      }
      first = afterDot = expectName = false;
      continue;
    }
    if (c == u'@' && first) {
      // A decorator opens its line; elsewhere '@' is matrix multiplication.
      int j = i + 1;
      while (j < n && (isIdentifierChar(text[j]) || text[j] == u'.')) {
        ++j;
      }
      setFormat(i, j - i, roleFormat(Role::Decorator));
      first = false;
      i = j;
      continue;
    }
    afterDot = c == u'.';
    first = false;
    expectName = false;
    ++i;
  }
}

int PythonHighlighter::highlightString(const QString& text, int start, int bodyStart, int state)
{
  const int n = static_cast<int>(text.size());
  const QChar quote = (state & kDoubleQuote) != 0 ? u'"' : u'\'';
  const bool triple = (state & kTriple) != 0;
  const bool format = (state & kFormatString) != 0;
  const QTextCharFormat& stringFormat = roleFormat(Role::String);
  int segment = start;  // the start of the part not yet coloured
  int i = bodyStart;
  while (i < n) {
    const QChar c = text[i];
    if (c == u'\\') {
      // Even in a raw string a backslash keeps the next quote from closing the string.
      i += 2;
      continue;
    }
    if (c == quote) {
      if (!triple) {
        setFormat(segment, i + 1 - segment, stringFormat);
        return i + 1;
      }
      if (i + 2 < n && text[i + 1] == quote && text[i + 2] == quote) {
        setFormat(segment, i + 3 - segment, stringFormat);
        return i + 3;
      }
    }
    if (format && c == u'{') {
      if (i + 1 < n && text[i + 1] == u'{') {
        i += 2;  // a literal brace
        continue;
      }
      setFormat(segment, i - segment, stringFormat);
      i = highlightField(text, i, state);
      segment = i;
      continue;
    }
    ++i;
  }
  i = std::min(i, n);
  setFormat(segment, i - segment, stringFormat);
  if (triple) {
    setCurrentBlockState(state);
    return -1;
  }
  return n;  // unterminated: Python reports it; colour to the end of the line
}

int PythonHighlighter::highlightField(const QString& text, int open, int stringState)
{
  const int n = static_cast<int>(text.size());
  const QChar quote = (stringState & kDoubleQuote) != 0 ? u'"' : u'\'';
  int depth = 0;
  int i = open;
  while (i < n) {
    const QChar c = text[i];
    if (c == quote) {
      break;  // the string closes inside the field: malformed, leave the quote to the string
    }
    if (c == u'\'' || c == u'"') {
      // A string inside the field, in the other quote.
      const int close = static_cast<int>(text.indexOf(c, i + 1));
      i = close < 0 ? n : close + 1;
      continue;
    }
    if (c == u'{') {
      ++depth;
    } else if (c == u'}') {
      if (--depth == 0) {
        ++i;
        break;
      }
    }
    ++i;
  }
  setFormat(open, i - open, roleFormat(Role::Interpolation));
  return i;
}

}  // namespace loopscope::views
