// SPDX-License-Identifier: GPL-3.0-or-later
// PythonHighlighter: the role of each piece of a table of snippets, triple-quoted strings carried
// from block to block (and re-coloured as edits open and close them), colours that read on light
// and dark palettes, and a 5,000-line script highlighted quickly.

#include <views/pythonhighlighter.h>

#include <QAbstractTextDocumentLayout>
#include <QElapsedTimer>
#include <QFont>
#include <QPalette>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>

#include <cmath>
#include <memory>

using loopscope::views::PythonHighlighter;
using Role = PythonHighlighter::Role;

class tst_PythonHighlighter : public QObject
{
  Q_OBJECT

private slots:
  void coloursEachPiece_data();
  void coloursEachPiece();
  void tripleQuotedStringCarriesOver_data();
  void tripleQuotedStringCarriesOver();
  void editsRecolourTheLinesAfter();
  void coloursReadOnLightAndDarkPalettes_data();
  void coloursReadOnLightAndDarkPalettes();
  void newPaletteRecolours();
  void bigScriptIsHighlightedQuickly();
};

namespace {

// A document with its highlighter, highlighted as the text is set.
struct Doc
{
  QTextDocument doc;
  std::unique_ptr<PythonHighlighter> highlighter = std::make_unique<PythonHighlighter>(&doc);

  explicit Doc(const QString& text)
  {
    // A document reports its changes (and so gets highlighted) once it has a layout, as every
    // document in a view has.
    doc.documentLayout();
    doc.setPlainText(text);
  }

  // "keyword", "string", …, or "plain" for the character at document position `pos`.
  [[nodiscard]] QString roleAt(int pos) const
  {
    const QTextBlock block = doc.findBlock(pos);
    const auto role = PythonHighlighter::roleAt(block, pos - block.position());
    return role ? QString::fromLatin1(PythonHighlighter::roleName(*role)) : QStringLiteral("plain");
  }

  // The role every character of the first occurrence of `needle` has, or "a: keyword, b: plain"
  // listing them when they differ; "missing" when `needle` is not in the text.
  [[nodiscard]] QString roleOf(const QString& needle) const
  {
    const int at = static_cast<int>(doc.toPlainText().indexOf(needle));
    if (at < 0) {
      return QStringLiteral("missing");
    }
    const QString first = roleAt(at);
    QStringList each;
    bool same = true;
    for (int i = 0; i < needle.size(); ++i) {
      const QString r = roleAt(at + i);
      same = same && r == first;
      each << needle[i] + QStringLiteral(": ") + r;
    }
    return same ? first : each.join(QStringLiteral(", "));
  }
};

QPalette palette(const QColor& base, const QColor& text)
{
  QPalette p;
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Window, base);
  p.setColor(QPalette::WindowText, text);
  return p;
}

double luminance(const QColor& c)
{
  const auto channel = [](double v) {
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

// WCAG contrast ratio, 1 to 21.
double contrast(const QColor& a, const QColor& b)
{
  const double la = luminance(a);
  const double lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace

void tst_PythonHighlighter::coloursEachPiece_data()
{
  QTest::addColumn<QString>("code");
  QTest::addColumn<QString>("needle");  // its first occurrence, every character
  QTest::addColumn<QString>("role");

  const QString def = QStringLiteral("def main():\n    pass");
  QTest::newRow("def is a keyword") << def << "def"
                                    << "keyword";
  QTest::newRow("the name after def") << def << "main"
                                      << "definition";
  QTest::newRow("pass is a keyword") << def << "pass"
                                     << "keyword";
  QTest::newRow("the parentheses are plain") << def << "():"
                                             << "plain";
  QTest::newRow("the name after class") << "class Worker(Base):"
                                        << "Worker"
                                        << "definition";
  QTest::newRow("the base class is plain") << "class Worker(Base):"
                                           << "Base"
                                           << "plain";
  QTest::newRow("async is a keyword") << "async def fetch(url):"
                                      << "async"
                                      << "keyword";
  QTest::newRow("async def names too") << "async def fetch(url):"
                                       << "fetch"
                                       << "definition";
  QTest::newRow("a parameter is plain") << "async def fetch(url):"
                                        << "url"
                                        << "plain";
  const QString sleep = QStringLiteral("    await asyncio.sleep(1.5)");
  QTest::newRow("await is a keyword") << sleep << "await"
                                      << "keyword";
  QTest::newRow("a module is plain") << sleep << "asyncio"
                                     << "plain";
  QTest::newRow("an attribute is plain") << sleep << "sleep"
                                         << "plain";
  QTest::newRow("a float") << sleep << "1.5"
                           << "number";
  QTest::newRow("True None") << "x = True if y is None else False"
                             << "True"
                             << "keyword";
  QTest::newRow("print is a builtin") << "print(len(xs))"
                                      << "print"
                                      << "builtin";
  QTest::newRow("len is a builtin") << "print(len(xs))"
                                    << "len"
                                    << "builtin";
  QTest::newRow("a builtin exception") << "except ValueError as e:"
                                       << "ValueError"
                                       << "builtin";
  QTest::newRow("a builtin name as attribute is plain") << "self.print()"
                                                        << "print"
                                                        << "plain";
  QTest::newRow("a keyword inside a name is plain") << "define = classes"
                                                    << "define"
                                                    << "plain";
  QTest::newRow("a keyword at a name's end is plain") << "xdef = 1"
                                                      << "xdef"
                                                      << "plain";
  QTest::newRow("single-quoted string") << "x = 'a # b'"
                                        << "'a # b'"
                                        << "string";
  QTest::newRow("double-quoted string") << "x = \"it's\""
                                        << "\"it's\""
                                        << "string";
  QTest::newRow("comment") << "x = 1  # it's fine"
                           << "# it's fine"
                           << "comment";
  QTest::newRow("code before a comment") << "x = 1  # it's fine"
                                         << "x = "
                                         << "plain";
  QTest::newRow("a comment after a string with #") << "s = '#'  # real"
                                                   << "# real"
                                                   << "comment";
  QTest::newRow("escaped quote stays in the string") << "s = 'it\\'s' + name"
                                                     << "'it\\'s'"
                                                     << "string";
  QTest::newRow("after an escaped quote's string") << "s = 'it\\'s' + name"
                                                   << "name"
                                                   << "plain";
  QTest::newRow("raw string: \\' does not close it") << "p = r'\\'' + q"
                                                     << "r'\\''"
                                                     << "string";
  QTest::newRow("f-string prefix") << "f'{name} waits'"
                                   << "f'"
                                   << "string";
  QTest::newRow("f-string field") << "f'{name} waits'"
                                  << "{name}"
                                  << "interpolation";
  QTest::newRow("f-string text after the field") << "f'{name} waits'"
                                                 << " waits'"
                                                 << "string";
  QTest::newRow("f-string field with nested spec") << "F\"{x:>{width}}!\" + y"
                                                   << "{x:>{width}}"
                                                   << "interpolation";
  QTest::newRow("f-string after a nested spec") << "F\"{x:>{width}}!\" + y"
                                                << "!\""
                                                << "string";
  QTest::newRow("f-string ends") << "F\"{x:>{width}}!\" + y"
                                 << "y"
                                 << "plain";
  QTest::newRow("f-string doubled braces are text") << "f'{{x}}'"
                                                    << "f'{{x}}'"
                                                    << "string";
  QTest::newRow("f-string field holding a string") << "f\"{d['k']}\""
                                                   << "{d['k']}"
                                                   << "interpolation";
  QTest::newRow("braces in a plain string are text") << "'{name}'"
                                                     << "'{name}'"
                                                     << "string";
  QTest::newRow("fr prefix") << "fr'{x}\\d'"
                             << "{x}"
                             << "interpolation";
  QTest::newRow("rb prefix") << "rb'\\d' + z"
                             << "rb'\\d'"
                             << "string";
  QTest::newRow("Br prefix") << "Br'\\d'"
                             << "Br'\\d'"
                             << "string";
  QTest::newRow("not a prefix: a name, then a string") << "xf'a'"
                                                       << "xf"
                                                       << "plain";
  QTest::newRow("hex") << "n = 0x1F + 1_000"
                       << "0x1F"
                       << "number";
  QTest::newRow("underscores") << "n = 0x1F + 1_000"
                               << "1_000"
                               << "number";
  QTest::newRow("exponent") << "n = 3.5e-3 + 2j"
                            << "3.5e-3"
                            << "number";
  QTest::newRow("imaginary") << "n = 3.5e-3 + 2j"
                             << "2j"
                             << "number";
  QTest::newRow("leading dot") << "n = .5"
                               << ".5"
                               << "number";
  QTest::newRow("digits in a name are plain") << "task1 = x2"
                                              << "task1"
                                              << "plain";
  QTest::newRow("decorator") << "@asyncio.coroutine\ndef f(): ..."
                             << "@asyncio.coroutine"
                             << "decorator";
  QTest::newRow("indented decorator") << "    @property"
                                      << "@property"
                                      << "decorator";
  QTest::newRow("matrix product is plain") << "c = a @ b"
                                           << "@ b"
                                           << "plain";
  QTest::newRow("match statement") << "match command:\n    case 'go':"
                                   << "match"
                                   << "keyword";
  QTest::newRow("case clause") << "match command:\n    case 'go':"
                               << "case"
                               << "keyword";
  QTest::newRow("match as a name") << "match = re.match(p, s)"
                                   << "match"
                                   << "plain";
  QTest::newRow("one-line triple-quoted string") << "s = \"\"\"doc\"\"\" + x"
                                                 << "\"\"\"doc\"\"\""
                                                 << "string";
  QTest::newRow("after a one-line triple-quoted string") << "s = \"\"\"doc\"\"\" + x"
                                                         << "x"
                                                         << "plain";
  QTest::newRow("an unterminated string ends with its line") << "s = 'abc\nx = 1"
                                                             << "x = "
                                                             << "plain";
}

void tst_PythonHighlighter::coloursEachPiece()
{
  QFETCH(QString, code);
  QFETCH(QString, needle);
  QFETCH(QString, role);
  const Doc d(code);
  QCOMPARE(d.roleOf(needle), role);
}

void tst_PythonHighlighter::tripleQuotedStringCarriesOver_data()
{
  QTest::addColumn<QString>("code");
  QTest::addColumn<QString>("needle");
  QTest::addColumn<QString>("role");

  const QString doc = QStringLiteral(
      "s = \"\"\"first\n"
      "def not_code(): # nor a comment '\n"
      "end\"\"\" + tail\n"
      "after = 1");
  QTest::newRow("the opening line") << doc << "\"\"\"first"
                                    << "string";
  QTest::newRow("a whole line inside") << doc << "def not_code(): # nor a comment '"
                                       << "string";
  QTest::newRow("the closing line up to the quotes") << doc << "end\"\"\""
                                                     << "string";
  QTest::newRow("after the closing quotes") << doc << "tail"
                                            << "plain";
  QTest::newRow("the next line") << doc << "after"
                                 << "plain";
  QTest::newRow("the next line's number") << doc << "1"
                                          << "number";

  const QString single = QStringLiteral("x = '''a \"\"\"\nb\"\"\" c'''\nd = 2");
  QTest::newRow("other triple quotes do not close it") << single << "b\"\"\" c'''"
                                                       << "string";
  QTest::newRow("the line after ''' closed") << single << "d"
                                             << "plain";

  const QString fstring = QStringLiteral("msg = f'''\n  {task.name} waits\n'''\nz");
  QTest::newRow("an f-string field on a later line") << fstring << "{task.name}"
                                                     << "interpolation";
  QTest::newRow("an f-string's text on a later line") << fstring << " waits"
                                                      << "string";
  QTest::newRow("after the f-string") << fstring << "z"
                                      << "plain";
}

void tst_PythonHighlighter::tripleQuotedStringCarriesOver()
{
  QFETCH(QString, code);
  QFETCH(QString, needle);
  QFETCH(QString, role);
  const Doc d(code);
  QCOMPARE(d.roleOf(needle), role);
  // Only the lines a string goes on from carry a state.
  const QTextBlock last = d.doc.lastBlock();
  QCOMPARE(last.userState(), 0);
  QVERIFY(d.doc.firstBlock().userState() > 0);
}

void tst_PythonHighlighter::editsRecolourTheLinesAfter()
{
  Doc d(QStringLiteral("x = 1\ndef f():\n    return 2"));
  QCOMPARE(d.roleOf(QStringLiteral("return")), QStringLiteral("keyword"));

  // Opening a triple-quoted string at the top turns every later line into a string.
  QTextCursor c(&d.doc);
  c.insertText(QStringLiteral("\"\"\""));
  QCOMPARE(d.roleOf(QStringLiteral("return")), QStringLiteral("string"));
  QCOMPARE(d.roleOf(QStringLiteral("def")), QStringLiteral("string"));

  // Closing it on the second line gives the third back.
  QTextCursor end(d.doc.findBlockByNumber(1));
  end.movePosition(QTextCursor::EndOfBlock);
  end.insertText(QStringLiteral("\"\"\""));
  QCOMPARE(d.roleOf(QStringLiteral("def")), QStringLiteral("string"));
  QCOMPARE(d.roleOf(QStringLiteral("return")), QStringLiteral("keyword"));
  QCOMPARE(d.doc.findBlockByNumber(1).userState(), 0);

  // Taking the opening quotes out again restores the code.
  c.setPosition(0);
  c.setPosition(3, QTextCursor::KeepAnchor);
  c.removeSelectedText();
  QCOMPARE(d.roleOf(QStringLiteral("def")), QStringLiteral("keyword"));
  QCOMPARE(d.roleOf(QStringLiteral("f()")), QStringLiteral("f: definition, (: plain, ): plain"));
  // The stray closing quotes now open a string that runs to the end.
  QCOMPARE(d.roleOf(QStringLiteral("return")), QStringLiteral("string"));
}

void tst_PythonHighlighter::coloursReadOnLightAndDarkPalettes_data()
{
  QTest::addColumn<QColor>("base");
  QTest::addColumn<QColor>("text");
  QTest::addColumn<bool>("dark");

  QTest::newRow("white") << QColor(Qt::white) << QColor(Qt::black) << false;
  QTest::newRow("light grey") << QColor(0xF0, 0xF0, 0xF0) << QColor(0x20, 0x20, 0x20) << false;
  QTest::newRow("Fusion dark") << QColor(0x2A, 0x2A, 0x2A) << QColor(Qt::white) << true;
  QTest::newRow("near black") << QColor(0x1E, 0x1E, 0x1E) << QColor(0xD4, 0xD4, 0xD4) << true;
  QTest::newRow("Breeze dark") << QColor(0x23, 0x26, 0x29) << QColor(0xFC, 0xFC, 0xFC) << true;
}

void tst_PythonHighlighter::coloursReadOnLightAndDarkPalettes()
{
  QFETCH(QColor, base);
  QFETCH(QColor, text);
  QFETCH(bool, dark);

  Doc d(QStringLiteral("def f(): pass"));
  d.highlighter->setPalette(palette(base, text));
  QCOMPARE(d.highlighter->isDark(), dark);
  for (std::size_t k = 0; k < PythonHighlighter::kRoleCount; ++k) {
    const auto role = static_cast<Role>(k);
    const QColor fg = d.highlighter->roleFormat(role).foreground().color();
    const double ratio = contrast(fg, base);
    QVERIFY2(ratio >= 3.0,
             qPrintable(QStringLiteral("%1 %2 on %3: contrast %4")
                            .arg(QString::fromLatin1(PythonHighlighter::roleName(role)), fg.name(),
                                 base.name())
                            .arg(ratio, 0, 'f', 2)));
    QCOMPARE(d.highlighter->roleFormat(role).intProperty(PythonHighlighter::kRoleProperty),
             static_cast<int>(k));
  }
  // The roles stay apart from each other and from plain text.
  const QColor keyword = d.highlighter->roleFormat(Role::Keyword).foreground().color();
  const QColor string = d.highlighter->roleFormat(Role::String).foreground().color();
  const QColor comment = d.highlighter->roleFormat(Role::Comment).foreground().color();
  QVERIFY(keyword != string && string != comment && keyword != comment && keyword != text);
  QVERIFY(d.highlighter->roleFormat(Role::Comment).fontItalic());
  QCOMPARE(d.highlighter->roleFormat(Role::Keyword).fontWeight(), int(QFont::Bold));
}

void tst_PythonHighlighter::newPaletteRecolours()
{
  Doc d(QStringLiteral("def f(): pass"));
  const auto keywordColour = [&] {
    const QList<QTextLayout::FormatRange> formats = d.doc.firstBlock().layout()->formats();
    return formats.isEmpty() ? QColor() : formats.first().format.foreground().color();
  };
  d.highlighter->setPalette(palette(Qt::white, Qt::black));
  const QColor light = keywordColour();
  QCOMPARE(light, d.highlighter->roleFormat(Role::Keyword).foreground().color());

  d.highlighter->setPalette(palette(QColor(0x20, 0x20, 0x20), Qt::white));
  const QColor dark = keywordColour();
  QCOMPARE(dark, d.highlighter->roleFormat(Role::Keyword).foreground().color());
  QVERIFY(dark != light);
  QVERIFY(dark.lightness() > light.lightness());
}

void tst_PythonHighlighter::bigScriptIsHighlightedQuickly()
{
  QString script;
  for (int i = 0; i < 500; ++i) {
    script += QStringLiteral(
                  "@decorator\n"
                  "async def worker_%1(queue: asyncio.Queue, delay=0.5):\n"
                  "    \"\"\"Takes jobs from the queue,\n"
                  "    one at a time.\"\"\"\n"
                  "    while True:\n"
                  "        job = await queue.get()  # waits here\n"
                  "        print(f'worker-%1 got {job!r}')\n"
                  "        await asyncio.sleep(delay * 0x10)\n"
                  "        queue.task_done()\n"
                  "\n")
                  .arg(i);
  }
  QTextDocument doc;
  doc.documentLayout();
  PythonHighlighter highlighter(&doc);
  QElapsedTimer timer;
  timer.start();
  doc.setPlainText(script);
  const qint64 ms = timer.elapsed();
  qInfo("5,000 lines highlighted in %lld ms", ms);
  QCOMPARE(doc.blockCount(), 5001);
  // Deep into the document the states still come out right.
  const QTextBlock docstring = doc.findBlockByNumber(4993);
  QCOMPARE(docstring.text(), QStringLiteral("    one at a time.\"\"\""));
  QCOMPARE(PythonHighlighter::roleAt(docstring, 6), Role::String);
  QCOMPARE(PythonHighlighter::roleAt(doc.findBlockByNumber(4994), 4), Role::Keyword);
  QCOMPARE(PythonHighlighter::roleAt(doc.findBlockByNumber(4995), 33), Role::Comment);
  // Generous for a debug build under sanitizers; a release build takes a fraction.
  QVERIFY2(ms < 3000, qPrintable(QStringLiteral("%1 ms").arg(ms)));
}

QTEST_MAIN(tst_PythonHighlighter)
#include "tst_pythonhighlighter.moc"
