// SPDX-License-Identifier: GPL-3.0-or-later
// The tokenizer: token kinds and texts, INDENT/DEDENT/NEWLINE placement, implicit and explicit
// line joining, and where it stops with an error (positions here are byte columns; parse()
// converts them to characters).

#include "engine/script/lexer.h"

#include <QTest>

#include <string>

using namespace loopscope::script;

class tst_Lexer : public QObject
{
  Q_OBJECT

private slots:
  void tokens_data();
  void tokens();
  void errors_data();
  void errors();
  void positions();
  void region();
};

namespace {

/// The tokens as text: NAME(x) KW(if) NUM(1) STR('a') OP(+) NEWLINE INDENT DEDENT END.
QByteArray describe(std::string_view src, const LexResult& r)
{
  QByteArray out;
  for (const Token& t : r.tokens) {
    if (!out.isEmpty()) {
      out += ' ';
    }
    const QByteArray text(src.data() + t.begin, static_cast<qsizetype>(t.end - t.begin));
    switch (t.kind) {
      case TokKind::Name:
        out += (t.kw == Kw::None ? "NAME(" : "KW(") + text + ')';
        break;
      case TokKind::Number:
        out += "NUM(" + text + ')';
        break;
      case TokKind::String:
        out += "STR(" + text + ')';
        break;
      case TokKind::Op:
        out += (t.op == Op::Invalid ? "BAD(" : "OP(") + text + ')';
        break;
      case TokKind::Newline:
        out += "NEWLINE";
        break;
      case TokKind::Indent:
        out += "INDENT";
        break;
      case TokKind::Dedent:
        out += "DEDENT";
        break;
      case TokKind::EndMarker:
        out += "END";
        break;
      case TokKind::Error:
        out += "ERROR";
        break;
    }
  }
  return out;
}

}  // namespace

void tst_Lexer::tokens_data()
{
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("empty") << QByteArray("") << QByteArray("END");
  QTest::newRow("no final newline") << QByteArray("x") << QByteArray("NAME(x) NEWLINE END");
  QTest::newRow("keywords and soft keywords")
      << QByteArray("if match await async case\n")
      << QByteArray("KW(if) NAME(match) KW(await) KW(async) NAME(case) NEWLINE END");
  QTest::newRow("block")
      << QByteArray("if x:\n    y\n    if z:\n        w\nv\n")
      << QByteArray(
             "KW(if) NAME(x) OP(:) NEWLINE INDENT NAME(y) NEWLINE KW(if) NAME(z) OP(:) "
             "NEWLINE INDENT NAME(w) NEWLINE DEDENT DEDENT NAME(v) NEWLINE END");
  QTest::newRow("dedents at end of file") << QByteArray("if x:\n  if y:\n    z")
                                          << QByteArray(
                                                 "KW(if) NAME(x) OP(:) NEWLINE INDENT "
                                                 "KW(if) NAME(y) OP(:) NEWLINE INDENT "
                                                 "NAME(z) NEWLINE DEDENT DEDENT END");
  QTest::newRow("tab indentation")
      << QByteArray("if x:\n\ty\n\tz\n")
      << QByteArray(
             "KW(if) NAME(x) OP(:) NEWLINE INDENT NAME(y) NEWLINE NAME(z) NEWLINE DEDENT END");
  QTest::newRow("blank and comment lines do not indent")
      << QByteArray("if x:\n\n        # c\n  y\n   \n  z\n")
      << QByteArray(
             "KW(if) NAME(x) OP(:) NEWLINE INDENT NAME(y) NEWLINE NAME(z) NEWLINE DEDENT END");
  QTest::newRow("brackets join lines") << QByteArray("f(a,\n      b\n)\n")
                                       << QByteArray(
                                              "NAME(f) OP(() NAME(a) OP(,) NAME(b) OP()) "
                                              "NEWLINE END");
  QTest::newRow("backslash joins lines")
      << QByteArray("x = 1 + \\\n      2\n")
      << QByteArray("NAME(x) OP(=) NUM(1) OP(+) NUM(2) NEWLINE END");
  QTest::newRow("operators")
      << QByteArray("a**=b//=c>>=d<<=e->f:=g...h!=i@=j\n")
      << QByteArray(
             "NAME(a) OP(**=) NAME(b) OP(//=) NAME(c) OP(>>=) NAME(d) OP(<<=) NAME(e) "
             "OP(->) NAME(f) OP(:=) NAME(g) OP(...) NAME(h) OP(!=) NAME(i) OP(@=) NAME(j) "
             "NEWLINE END");
  QTest::newRow("invalid ASCII characters are tokens")
      << QByteArray("a $ b ? c ! d\n")
      << QByteArray("NAME(a) BAD($) NAME(b) BAD(?) NAME(c) BAD(!) NAME(d) NEWLINE END");
  QTest::newRow("numbers") << QByteArray("1 1_0 0x_f 0o7 0b1 1. .5 1e-3 1E5 1j 00 1if x else y\n")
                           << QByteArray(
                                  "NUM(1) NUM(1_0) NUM(0x_f) NUM(0o7) NUM(0b1) NUM(1.) "
                                  "NUM(.5) NUM(1e-3) NUM(1E5) NUM(1j) NUM(00) NUM(1) "
                                  "KW(if) NAME(x) KW(else) NAME(y) NEWLINE END");
  QTest::newRow("strings and prefixes")
      << QByteArray("'a' \"b\" '''c\nd''' rb'e' Br\"f\" f'{g}' u'h' FR'i'\n")
      << QByteArray(
             "STR('a') STR(\"b\") STR('''c\nd''') STR(rb'e') STR(Br\"f\") STR(f'{g}') "
             "STR(u'h') STR(FR'i') NEWLINE END");
  QTest::newRow("not a prefix") << QByteArray("ub'x'\n")
                                << QByteArray("NAME(ub) STR('x') NEWLINE END");
  QTest::newRow("escaped quote and line continuation in a string")
      << QByteArray("'a\\'b\\\nc'\n") << QByteArray("STR('a\\'b\\\nc') NEWLINE END");
  QTest::newRow("non-ASCII identifiers")
      << QByteArray("é = 日本\n") << QByteArray("NAME(é) OP(=) NAME(日本) NEWLINE END");
  QTest::newRow("comment after code")
      << QByteArray("x  # c\n") << QByteArray("NAME(x) NEWLINE END");
  QTest::newRow("form feed resets indentation") << QByteArray("if x:\n  \f y\n")
                                                << QByteArray(
                                                       "KW(if) NAME(x) OP(:) NEWLINE "
                                                       "INDENT NAME(y) NEWLINE DEDENT END");
}

void tst_Lexer::tokens()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, expected);
  const std::string src = source.toStdString();
  const LexResult r = tokenize(src, "t.py");
  QVERIFY2(!r.error, r.error ? r.error->message.c_str() : "");
  QCOMPARE(describe(src, r), expected);
}

void tst_Lexer::errors_data()
{
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("message");
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("col");
  QTest::addColumn<bool>("eofInBrackets");
  QTest::newRow("unterminated") << QByteArray("x = 'abc\n")
                                << QByteArray("unterminated string literal (detected at line 1)")
                                << 1 << 5 << false;
  QTest::newRow("unterminated triple")
      << QByteArray("x = '''abc\n\n")
      << QByteArray("unterminated triple-quoted string literal (detected at line 2)") << 1 << 5
      << false;
  QTest::newRow("unmatched") << QByteArray("f(a))") << QByteArray("unmatched ')'") << 1 << 5
                             << false;
  QTest::newRow("mismatched")
      << QByteArray("f(a,\n b]")
      << QByteArray("closing parenthesis ']' does not match opening parenthesis '(' on line 1") << 2
      << 3 << false;
  QTest::newRow("never closed") << QByteArray("x = [1,\n  2,\n")
                                << QByteArray("'[' was never closed") << 1 << 5 << true;
  QTest::newRow("unindent") << QByteArray("if x:\n    a\n  b\n")
                            << QByteArray("unindent does not match any outer indentation level")
                            << 3 << 4 << false;
  QTest::newRow("tabs and spaces")
      << QByteArray("if x:\n\ta\n        b\n")
      << QByteArray("inconsistent use of tabs and spaces in indentation") << 3 << 1 << false;
  QTest::newRow("invalid decimal")
      << QByteArray("x = 1abc") << QByteArray("invalid decimal literal") << 1 << 5 << false;
  QTest::newRow("invalid hex") << QByteArray("x = 0x") << QByteArray("invalid hexadecimal literal")
                               << 1 << 6 << false;
  QTest::newRow("invalid binary digit")
      << QByteArray("x = 0b12") << QByteArray("invalid digit '2' in binary literal") << 1 << 8
      << false;
  QTest::newRow("leading zeros") << QByteArray("x = 09")
                                 << QByteArray(
                                        "leading zeros in decimal integer literals are not "
                                        "permitted; use an 0o prefix for octal integers")
                                 << 1 << 5 << false;
  QTest::newRow("invalid character (byte column)")
      << QByteArray("é = a € b") << QByteArray("invalid character '€' (U+20AC)") << 1 << 8 << false;
  QTest::newRow("non-printable") << QByteArray("x = \x01")
                                 << QByteArray("invalid non-printable character U+0001") << 1 << 5
                                 << false;
  QTest::newRow("continuation") << QByteArray("x = 1 \\ 2")
                                << QByteArray(
                                       "unexpected character after line continuation character")
                                << 1 << 8 << false;
  QTest::newRow("continuation at end")
      << QByteArray("x = 1 + \\") << QByteArray("unexpected EOF while parsing") << 1 << 10 << true;
}

void tst_Lexer::errors()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, message);
  QFETCH(int, line);
  QFETCH(int, col);
  QFETCH(bool, eofInBrackets);
  const std::string src = source.toStdString();
  const LexResult r = tokenize(src, "t.py");
  QVERIFY(r.error.has_value());
  QCOMPARE(r.tokens.back().kind, TokKind::Error);
  QCOMPARE(QByteArray::fromStdString(r.error->message), message);
  QCOMPARE(static_cast<int>(r.error->pos.line), line);
  QCOMPARE(static_cast<int>(r.error->pos.col), col);
  QCOMPARE(r.eof_in_brackets, eofInBrackets);
}

void tst_Lexer::positions()
{
  const std::string src = "if x:  # c\n    s = '''a\nb''' + é\n";
  const LexResult r = tokenize(src, "t.py");
  QVERIFY(!r.error);
  // if x : NEWLINE INDENT s = STR + é NEWLINE DEDENT END
  QCOMPARE(r.tokens.size(), std::size_t{13});
  const Token& newline = r.tokens[3];
  QCOMPARE(newline.kind, TokKind::Newline);
  QCOMPARE(newline.pos.line, 1u);
  QCOMPARE(newline.pos.col, 8u);  // CPython puts it at the comment
  const Token& indent = r.tokens[4];
  QCOMPARE(indent.kind, TokKind::Indent);
  QCOMPARE(indent.pos.col, 4u);  // the last column of the indentation ("unexpected indent")
  const Token& str = r.tokens[7];
  QCOMPARE(str.kind, TokKind::String);
  QCOMPARE(str.pos.line, 2u);
  QCOMPARE(str.pos.col, 9u);
  QCOMPARE(str.end_pos.line, 3u);
  QCOMPARE(str.end_pos.col, 5u);
  const Token& name = r.tokens[9];
  QCOMPARE(name.pos.line, 3u);
  QCOMPARE(name.pos.col, 8u);
  QCOMPARE(name.end_pos.col, 10u);  // bytes: é is two
  QCOMPARE(r.tokens.back().kind, TokKind::EndMarker);
}

void tst_Lexer::region()
{
  // An f-string field's expression is tokenized where it is in the file, as if in brackets.
  const std::string src = "x = f'''{\n  a +\n b}'''\n";
  const auto begin = static_cast<std::uint32_t>(src.find('{') + 1);
  const auto end = static_cast<std::uint32_t>(src.find('}'));
  const LexResult r = tokenizeRegion(src, begin, end, Pos{1, begin + 1}, "t.py");
  QVERIFY(!r.error);
  QCOMPARE(describe(src, r), QByteArray("NAME(a) OP(+) NAME(b) END"));
  QCOMPARE(r.tokens[0].pos.line, 2u);
  QCOMPARE(r.tokens[0].pos.col, 3u);
  QCOMPARE(r.tokens[2].pos.line, 3u);
  QCOMPARE(r.tokens[2].pos.col, 2u);
}

QTEST_APPLESS_MAIN(tst_Lexer)
#include "tst_lexer.moc"
