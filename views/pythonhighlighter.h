// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QTextFormat>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

class QPalette;
class QTextBlock;
class QTextDocument;

namespace loopscope::views {

// Python syntax colouring for a QTextDocument, one block (line) at a time: keywords (async and
// await included; the soft keywords match and case where they open a statement), builtins and
// builtin exceptions, decorators, numbers, comments, the names def and class introduce, and
// strings with any prefix (r, b, u, f and their combinations). A triple-quoted string that
// spans lines carries over in the block state; the replacement fields of an f-string ({expr},
// not {{) are coloured as code.
//
// Not handled (they do not change what a reader sees much): an f-string field that spans lines,
// Python 3.12's reuse of the enclosing quote inside an f-string field, and a single-quoted string
// continued onto the next line with a backslash (it ends at the end of its line).
//
// Blocks are recoloured as the document reports changes, which a document does once it has a
// layout (every document shown in a view has one; call documentLayout() on a bare one).
//
// The colours suit the palette given to setPalette(): a dark set when its Base colour is dark,
// else a light one, each keeping a contrast of at least 3:1 against that Base.
class PythonHighlighter : public QSyntaxHighlighter
{
  Q_OBJECT

public:
  // What a piece of text is. Text with no role keeps the document's default format.
  enum class Role : std::uint8_t {
    Keyword,        // def, async, await, True, None, …
    Builtin,        // print, len, ValueError, …
    Decorator,      // @dataclass, @functools.wraps
    String,         // the prefix, the quotes and the text
    Interpolation,  // an f-string replacement field, braces included: {x!r:>8}
    Comment,        // from # to the end of the line
    Number,         // 42, 0x2A, 1_000, 3.5e-3, 2j
    Definition,     // the name after def or class
    Count_
  };
  static constexpr std::size_t kRoleCount = static_cast<std::size_t>(Role::Count_);
  // The QTextFormat property every format this highlighter sets carries: its Role, as an int.
  static constexpr int kRoleProperty = QTextFormat::UserProperty + 0x50;

  // Starts with the light colours; call setPalette() with the editor's palette.
  explicit PythonHighlighter(QTextDocument* document);
  ~PythonHighlighter() override;

  // Picks the dark or light colour set for `palette` (by its Base colour's lightness) and
  // rehighlights the document if that changed what any role looks like.
  void setPalette(const QPalette& palette);
  // Whether the dark colour set is in use.
  [[nodiscard]] bool isDark() const noexcept { return m_dark; }
  // The format text of `role` gets (with kRoleProperty set to the role).
  [[nodiscard]] const QTextCharFormat& roleFormat(Role role) const;

  // The role the highlighter gave the character at `positionInBlock` of `block`, read from the
  // block's layout; nullopt for plain text or a block not yet highlighted.
  [[nodiscard]] static std::optional<Role> roleAt(const QTextBlock& block, int positionInBlock);
  // "keyword", "string", … for messages and tests.
  [[nodiscard]] static const char* roleName(Role role) noexcept;
  // Whether `word` is a Python keyword / a builtin name or exception.
  [[nodiscard]] static bool isKeyword(QStringView word);
  [[nodiscard]] static bool isBuiltin(QStringView word);

protected:
  void highlightBlock(const QString& text) override;

private:
  void applyColours(bool dark, const QColor& text);
  // Colours a string from `start` (its prefix) whose body begins at `bodyStart`; `state` says
  // which quotes and whether it is an f-string. Returns the index just after the closing quote,
  // or -1 when a triple-quoted string goes on into the next block (the block state says so).
  int highlightString(const QString& text, int start, int bodyStart, int state);
  // Colours an f-string replacement field opening at `open` ('{'); returns the index after it.
  int highlightField(const QString& text, int open, int stringState);

  std::array<QTextCharFormat, kRoleCount> m_formats;
  bool m_dark = false;
  QColor m_text;
};

}  // namespace loopscope::views
