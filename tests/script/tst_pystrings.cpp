// SPDX-License-Identifier: GPL-3.0-or-later
// The Python str and bytes methods of engine/script/pyformat.h on UTF-8 / byte strings. Every
// expected value is CPython 3.11's (Unicode 14.0) output, generated with /usr/bin/python3 and
// pasted in; "!!Type: message" is the exception CPython raises.

#include "engine/script/pyformat.h"

#include <QTest>

#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using namespace loopscope::script;
using namespace loopscope::script::py;
using namespace std::string_view_literals;

namespace {

constexpr qint64 kMin = std::numeric_limits<qint64>::min();
constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kNone = kMin;  // an optional argument left out

constexpr qint64 operator""_i(unsigned long long v)
{
  return static_cast<qint64>(v);
}

QByteArray U(std::string_view s)
{
  return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

std::string S8(const QByteArray& b)
{
  return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

OptIndex opt(qint64 v)
{
  return v == kNone ? OptIndex() : OptIndex(v);
}

QByteArray outcome(const std::function<std::string()>& f)
{
  try {
    return U(f());
  } catch (const PyError& e) {
    return U("!!" + e.to_string());
  }
}

QList<QByteArray> toList(const std::vector<std::string>& v)
{
  QList<QByteArray> out;
  for (const auto& s : v)
    out << U(s);
  return out;
}

template <std::size_t N>
QList<QByteArray> toList(const std::array<std::string, N>& v)
{
  return toList(std::vector<std::string>(v.begin(), v.end()));
}

// The list, or a one-element list with "!!Type: message".
QList<QByteArray> listOutcome(const std::function<QList<QByteArray>()>& f)
{
  try {
    return f();
  } catch (const PyError& e) {
    return {U("!!" + e.to_string())};
  }
}

QList<uint> toList(const unicode::CaseMap& m)
{
  QList<uint> out;
  for (int i = 0; i < m.n; ++i)
    out << static_cast<uint>(m.cp[i]);
  return out;
}

}  // namespace

class tst_PyStrings : public QObject
{
  Q_OBJECT

private slots:
  void strRepr_data();
  void strRepr();
  void bytesRepr_data();
  void bytesRepr();
  void caseMapping_data();
  void caseMapping();
  void predicates_data();
  void predicates();
  void split_data();
  void split();
  void splitlines_data();
  void splitlines();
  void strip_data();
  void strip();
  void findCount_data();
  void findCount();
  void replace_data();
  void replace();
  void slicing_data();
  void slicing();
  void getItem_data();
  void getItem();
  void normalizeSlice_data();
  void normalizeSlice();
  void justify_data();
  void justify();
  void partition_data();
  void partition();
  void expandtabs_data();
  void expandtabs();
  void prefixSuffix_data();
  void prefixSuffix();
  void repeat_data();
  void repeat();
  void ordChr_data();
  void ordChr();
  void chr_data();
  void chr();
  void joinAndCodePointOffsets();
  void bytesCase_data();
  void bytesCase();
  void bytesSplit_data();
  void bytesSplit();
  void bytesSplitlines_data();
  void bytesSplitlines();
  void bytesStrip_data();
  void bytesStrip();
  void bytesFind_data();
  void bytesFind();
  void bytesJustify_data();
  void bytesJustify();
  void bytesMisc_data();
  void bytesMisc();
  void codePoints_data();
  void codePoints();
};

void tst_PyStrings::strRepr_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<QByteArray>("repr");
  QTest::addColumn<QByteArray>("ascii");
  QTest::newRow("repr ") << U(""sv) << U("''"sv) << U("''"sv);
  QTest::newRow("repr abc") << U("abc"sv) << U("'abc'"sv) << U("'abc'"sv);
  QTest::newRow("repr Hello World")
      << U("Hello World"sv) << U("'Hello World'"sv) << U("'Hello World'"sv);
  QTest::newRow("repr it's") << U("it's"sv) << U("\"it's\""sv) << U("\"it's\""sv);
  QTest::newRow("repr say 'hi'") << U("say \"hi\""sv) << U("'say \"hi\"'"sv) << U("'say \"hi\"'"sv);
  QTest::newRow("repr /''") << U("'\""sv) << U("'\\'\"'"sv) << U("'\\'\"'"sv);
  QTest::newRow("repr a//b") << U("a\\b"sv) << U("'a\\\\b'"sv) << U("'a\\\\b'"sv);
  QTest::newRow("repr tab/there") << U("tab\011here"sv) << U("'tab\\there'"sv)
                                  << U("'tab\\there'"sv);
  QTest::newRow("repr line/nbreak/r")
      << U("line\012break\015"sv) << U("'line\\nbreak\\r'"sv) << U("'line\\nbreak\\r'"sv);
  QTest::newRow("repr /x00/x01/x1f/x7f")
      << U("\000\001\037\177"sv) << U("'\\x00\\x01\\x1f\\x7f'"sv) << U("'\\x00\\x01\\x1f\\x7f'"sv);
  QTest::newRow("repr /x80/x9f/xa0/xad/xff")
      << U("\302\200\302\237\302\240\302\255ÿ"sv) << U("'\\x80\\x9f\\xa0\\xadÿ'"sv)
      << U("'\\x80\\x9f\\xa0\\xad\\xff'"sv);
  QTest::newRow("repr /xe9") << U("é"sv) << U("'é'"sv) << U("'\\xe9'"sv);
  QTest::newRow("repr caf/xe9") << U("café"sv) << U("'café'"sv) << U("'caf\\xe9'"sv);
  QTest::newRow("repr /xdf") << U("ß"sv) << U("'ß'"sv) << U("'\\xdf'"sv);
  QTest::newRow("repr Stra/xdfe") << U("Straße"sv) << U("'Straße'"sv) << U("'Stra\\xdfe'"sv);
  QTest::newRow("repr /u01c5") << U("ǅ"sv) << U("'ǅ'"sv) << U("'\\u01c5'"sv);
  QTest::newRow("repr /u01c6ungla") << U("ǆungla"sv) << U("'ǆungla'"sv) << U("'\\u01c6ungla'"sv);
  QTest::newRow("repr /u01c8 /u01c9 /u01c7")
      << U("ǈ ǉ Ǉ"sv) << U("'ǈ ǉ Ǉ'"sv) << U("'\\u01c8 \\u01c9 \\u01c7'"sv);
  QTest::newRow("repr /u03a3/u0391/u03a3 /u0391/u03a3.")
      << U("ΣΑΣ ΑΣ."sv) << U("'ΣΑΣ ΑΣ.'"sv) << U("'\\u03a3\\u0391\\u03a3 \\u0391\\u03a3.'"sv);
  QTest::newRow("repr /u1f48/u0394/u03a5/u03a3/u03a3/u0395/u038e/u03a3")
      << U("ὈΔΥΣΣΕΎΣ"sv) << U("'ὈΔΥΣΣΕΎΣ'"sv)
      << U("'\\u1f48\\u0394\\u03a5\\u03a3\\u03a3\\u0395\\u038e\\u03a3'"sv);
  QTest::newRow("repr a/u03a3") << U("aΣ"sv) << U("'aΣ'"sv) << U("'a\\u03a3'"sv);
  QTest::newRow("repr /u03a3") << U("Σ"sv) << U("'Σ'"sv) << U("'\\u03a3'"sv);
  QTest::newRow("repr a/u0345/u03a3")
      << U("a\315\205Σ"sv) << U("'a\315\205Σ'"sv) << U("'a\\u0345\\u03a3'"sv);
  QTest::newRow("repr /u0391/u03a3/u0345b")
      << U("ΑΣ\315\205b"sv) << U("'ΑΣ\315\205b'"sv) << U("'\\u0391\\u03a3\\u0345b'"sv);
  QTest::newRow("repr /u0391/u03a3/u0345")
      << U("ΑΣ\315\205"sv) << U("'ΑΣ\315\205'"sv) << U("'\\u0391\\u03a3\\u0345'"sv);
  QTest::newRow("repr /u0130stanbul")
      << U("İstanbul"sv) << U("'İstanbul'"sv) << U("'\\u0130stanbul'"sv);
  QTest::newRow("repr /u0131i") << U("ıi"sv) << U("'ıi'"sv) << U("'\\u0131i'"sv);
  QTest::newRow("repr /ufb01nd /ufb00")
      << U("ﬁnd ﬀ"sv) << U("'ﬁnd ﬀ'"sv) << U("'\\ufb01nd \\ufb00'"sv);
  QTest::newRow("repr /u0149") << U("ŉ"sv) << U("'ŉ'"sv) << U("'\\u0149'"sv);
  QTest::newRow("repr /u1f88/u1f80 /u1fb3")
      << U("ᾈᾀ ᾳ"sv) << U("'ᾈᾀ ᾳ'"sv) << U("'\\u1f88\\u1f80 \\u1fb3'"sv);
  QTest::newRow("repr /u041f/u0440/u0438/u0432/u0435/u0442 /u041c/u0438/u0440")
      << U("Привет Мир"sv) << U("'Привет Мир'"sv)
      << U("'\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\u041c\\u0438\\u0440'"sv);
  QTest::newRow("repr /xc0/xc9/xce/xf5/xfc")
      << U("ÀÉÎõü"sv) << U("'ÀÉÎõü'"sv) << U("'\\xc0\\xc9\\xce\\xf5\\xfc'"sv);
  QTest::newRow("repr /u65e5/u672c/u8a9e")
      << U("日本語"sv) << U("'日本語'"sv) << U("'\\u65e5\\u672c\\u8a9e'"sv);
  QTest::newRow("repr /U0001f600 smile")
      << U("😀 smile"sv) << U("'😀 smile'"sv) << U("'\\U0001f600 smile'"sv);
  QTest::newRow("repr /U000e0001/u0378/u2028/u2029/ud800/udfff")
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("'\\U000e0001\\u0378\\u2028\\u2029\\ud800\\udfff'"sv)
      << U("'\\U000e0001\\u0378\\u2028\\u2029\\ud800\\udfff'"sv);
  QTest::newRow("repr /xa0/u1680/u2000/u200b/u3000")
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv)
      << U("'\\xa0\\u1680\\u2000\\u200b\\u3000'"sv) << U("'\\xa0\\u1680\\u2000\\u200b\\u3000'"sv);
  QTest::newRow("repr /u0661/u0662/u0663")
      << U("١٢٣"sv) << U("'١٢٣'"sv) << U("'\\u0661\\u0662\\u0663'"sv);
  QTest::newRow("repr /xb2/xb3/xbd") << U("²³½"sv) << U("'²³½'"sv) << U("'\\xb2\\xb3\\xbd'"sv);
  QTest::newRow("repr /u216b /u217b") << U("Ⅻ ⅻ"sv) << U("'Ⅻ ⅻ'"sv) << U("'\\u216b \\u217b'"sv);
  QTest::newRow("repr _a1") << U("_a1"sv) << U("'_a1'"sv) << U("'_a1'"sv);
  QTest::newRow("repr 1a") << U("1a"sv) << U("'1a'"sv) << U("'1a'"sv);
  QTest::newRow("repr /u2115") << U("ℕ"sv) << U("'ℕ'"sv) << U("'\\u2115'"sv);
  QTest::newRow("repr a/xb7") << U("a·"sv) << U("'a·'"sv) << U("'a\\xb7'"sv);
  QTest::newRow("repr x/u0301") << U("x\314\201"sv) << U("'x\314\201'"sv) << U("'x\\u0301'"sv);
  QTest::newRow("repr hELLO wORLD")
      << U("hELLO wORLD"sv) << U("'hELLO wORLD'"sv) << U("'hELLO wORLD'"sv);
  QTest::newRow("repr they're bill's friends")
      << U("they're bill's friends"sv) << U("\"they're bill's friends\""sv)
      << U("\"they're bill's friends\""sv);
  QTest::newRow("repr /u01c5x /u01c6X")
      << U("ǅx ǆX"sv) << U("'ǅx ǆX'"sv) << U("'\\u01c5x \\u01c6X'"sv);
  QTest::newRow("repr /u0130/u0131") << U("İı"sv) << U("'İı'"sv) << U("'\\u0130\\u0131'"sv);
  QTest::newRow("repr /u01f0") << U("ǰ"sv) << U("'ǰ'"sv) << U("'\\u01f0'"sv);
  QTest::newRow("repr /u0390") << U("ΐ"sv) << U("'ΐ'"sv) << U("'\\u0390'"sv);
  QTest::newRow("repr /u1e9e") << U("ẞ"sv) << U("'ẞ'"sv) << U("'\\u1e9e'"sv);
  QTest::newRow("repr /ufb06") << U("ﬆ"sv) << U("'ﬆ'"sv) << U("'\\ufb06'"sv);
  QTest::newRow("repr /u24b6/u24d0") << U("Ⓐⓐ"sv) << U("'Ⓐⓐ'"sv) << U("'\\u24b6\\u24d0'"sv);
  QTest::newRow("repr /U00010400/U00010428")
      << U("𐐀𐐨"sv) << U("'𐐀𐐨'"sv) << U("'\\U00010400\\U00010428'"sv);
}

void tst_PyStrings::strRepr()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, repr);
  QFETCH(QByteArray, ascii);
  QCOMPARE(U(str_repr(S8(s))), repr);
  QCOMPARE(U(ascii_repr(S8(s))), ascii);
  QCOMPARE(U(ascii_escape(S8(repr))), ascii);
}

void tst_PyStrings::bytesRepr_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<QByteArray>("repr");
  QTest::newRow("brepr b''") << U(""sv) << U("b''"sv);
  QTest::newRow("brepr b'abc'") << U("abc"sv) << U("b'abc'"sv);
  QTest::newRow("brepr b'it/'s'") << U("it's"sv) << U("b\"it's\""sv);
  QTest::newRow("brepr b/'say 'hi'/'") << U("say \"hi\""sv) << U("b'say \"hi\"'"sv);
  QTest::newRow("brepr b/'///''/'") << U("'\""sv) << U("b'\\'\"'"sv);
  QTest::newRow("brepr b'a////b'") << U("a\\b"sv) << U("b'a\\\\b'"sv);
  QTest::newRow("brepr b'//t//n//r'") << U("\011\012\015"sv) << U("b'\\t\\n\\r'"sv);
  QTest::newRow("brepr b'//x00//x01//x1f//x7f//x80//xff'")
      << U("\000\001\037\177\200\377"sv) << U("b'\\x00\\x01\\x1f\\x7f\\x80\\xff'"sv);
  QTest::newRow("brepr b'//xc3//xa9'") << U("\303\251"sv) << U("b'\\xc3\\xa9'"sv);
}

void tst_PyStrings::bytesRepr()
{
  QFETCH(QByteArray, b);
  QFETCH(QByteArray, repr);
  QCOMPARE(U(bytes_repr(S8(b))), repr);
}

void tst_PyStrings::caseMapping_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<QByteArray>("upper");
  QTest::addColumn<QByteArray>("lower");
  QTest::addColumn<QByteArray>("title");
  QTest::addColumn<QByteArray>("capitalize");
  QTest::addColumn<QByteArray>("swapcase");
  QTest::addColumn<QByteArray>("casefold");
  QTest::newRow("case ") << U(""sv) << U(""sv) << U(""sv) << U(""sv) << U(""sv) << U(""sv)
                         << U(""sv);
  QTest::newRow("case abc") << U("abc"sv) << U("ABC"sv) << U("abc"sv) << U("Abc"sv) << U("Abc"sv)
                            << U("ABC"sv) << U("abc"sv);
  QTest::newRow("case Hello World")
      << U("Hello World"sv) << U("HELLO WORLD"sv) << U("hello world"sv) << U("Hello World"sv)
      << U("Hello world"sv) << U("hELLO wORLD"sv) << U("hello world"sv);
  QTest::newRow("case it's") << U("it's"sv) << U("IT'S"sv) << U("it's"sv) << U("It'S"sv)
                             << U("It's"sv) << U("IT'S"sv) << U("it's"sv);
  QTest::newRow("case say 'hi'") << U("say \"hi\""sv) << U("SAY \"HI\""sv) << U("say \"hi\""sv)
                                 << U("Say \"Hi\""sv) << U("Say \"hi\""sv) << U("SAY \"HI\""sv)
                                 << U("say \"hi\""sv);
  QTest::newRow("case /''") << U("'\""sv) << U("'\""sv) << U("'\""sv) << U("'\""sv) << U("'\""sv)
                            << U("'\""sv) << U("'\""sv);
  QTest::newRow("case a//b") << U("a\\b"sv) << U("A\\B"sv) << U("a\\b"sv) << U("A\\B"sv)
                             << U("A\\b"sv) << U("A\\B"sv) << U("a\\b"sv);
  QTest::newRow("case tab/there") << U("tab\011here"sv) << U("TAB\011HERE"sv) << U("tab\011here"sv)
                                  << U("Tab\011Here"sv) << U("Tab\011here"sv) << U("TAB\011HERE"sv)
                                  << U("tab\011here"sv);
  QTest::newRow("case line/nbreak/r")
      << U("line\012break\015"sv) << U("LINE\012BREAK\015"sv) << U("line\012break\015"sv)
      << U("Line\012Break\015"sv) << U("Line\012break\015"sv) << U("LINE\012BREAK\015"sv)
      << U("line\012break\015"sv);
  QTest::newRow("case /x00/x01/x1f/x7f")
      << U("\000\001\037\177"sv) << U("\000\001\037\177"sv) << U("\000\001\037\177"sv)
      << U("\000\001\037\177"sv) << U("\000\001\037\177"sv) << U("\000\001\037\177"sv)
      << U("\000\001\037\177"sv);
  QTest::newRow("case /x80/x9f/xa0/xad/xff")
      << U("\302\200\302\237\302\240\302\255ÿ"sv) << U("\302\200\302\237\302\240\302\255Ÿ"sv)
      << U("\302\200\302\237\302\240\302\255ÿ"sv) << U("\302\200\302\237\302\240\302\255Ÿ"sv)
      << U("\302\200\302\237\302\240\302\255ÿ"sv) << U("\302\200\302\237\302\240\302\255Ÿ"sv)
      << U("\302\200\302\237\302\240\302\255ÿ"sv);
  QTest::newRow("case /xe9") << U("é"sv) << U("É"sv) << U("é"sv) << U("É"sv) << U("É"sv) << U("É"sv)
                             << U("é"sv);
  QTest::newRow("case caf/xe9") << U("café"sv) << U("CAFÉ"sv) << U("café"sv) << U("Café"sv)
                                << U("Café"sv) << U("CAFÉ"sv) << U("café"sv);
  QTest::newRow("case /xdf") << U("ß"sv) << U("SS"sv) << U("ß"sv) << U("Ss"sv) << U("Ss"sv)
                             << U("SS"sv) << U("ss"sv);
  QTest::newRow("case Stra/xdfe") << U("Straße"sv) << U("STRASSE"sv) << U("straße"sv)
                                  << U("Straße"sv) << U("Straße"sv) << U("sTRASSE"sv)
                                  << U("strasse"sv);
  QTest::newRow("case /u01c5") << U("ǅ"sv) << U("Ǆ"sv) << U("ǆ"sv) << U("ǅ"sv) << U("ǅ"sv)
                               << U("ǅ"sv) << U("ǆ"sv);
  QTest::newRow("case /u01c6ungla")
      << U("ǆungla"sv) << U("ǄUNGLA"sv) << U("ǆungla"sv) << U("ǅungla"sv) << U("ǅungla"sv)
      << U("ǄUNGLA"sv) << U("ǆungla"sv);
  QTest::newRow("case /u01c8 /u01c9 /u01c7")
      << U("ǈ ǉ Ǉ"sv) << U("Ǉ Ǉ Ǉ"sv) << U("ǉ ǉ ǉ"sv) << U("ǈ ǈ ǈ"sv) << U("ǈ ǉ ǉ"sv)
      << U("ǈ Ǉ ǉ"sv) << U("ǉ ǉ ǉ"sv);
  QTest::newRow("case /u03a3/u0391/u03a3 /u0391/u03a3.")
      << U("ΣΑΣ ΑΣ."sv) << U("ΣΑΣ ΑΣ."sv) << U("σας ας."sv) << U("Σας Ας."sv) << U("Σας ας."sv)
      << U("σας ας."sv) << U("σασ ασ."sv);
  QTest::newRow("case /u1f48/u0394/u03a5/u03a3/u03a3/u0395/u038e/u03a3")
      << U("ὈΔΥΣΣΕΎΣ"sv) << U("ὈΔΥΣΣΕΎΣ"sv) << U("ὀδυσσεύς"sv) << U("Ὀδυσσεύς"sv) << U("Ὀδυσσεύς"sv)
      << U("ὀδυσσεύς"sv) << U("ὀδυσσεύσ"sv);
  QTest::newRow("case a/u03a3") << U("aΣ"sv) << U("AΣ"sv) << U("aς"sv) << U("Aς"sv) << U("Aς"sv)
                                << U("Aς"sv) << U("aσ"sv);
  QTest::newRow("case /u03a3") << U("Σ"sv) << U("Σ"sv) << U("σ"sv) << U("Σ"sv) << U("Σ"sv)
                               << U("σ"sv) << U("σ"sv);
  QTest::newRow("case a/u0345/u03a3")
      << U("a\315\205Σ"sv) << U("AΙΣ"sv) << U("a\315\205ς"sv) << U("A\315\205ς"sv)
      << U("A\315\205ς"sv) << U("AΙς"sv) << U("aισ"sv);
  QTest::newRow("case /u0391/u03a3/u0345b")
      << U("ΑΣ\315\205b"sv) << U("ΑΣΙB"sv) << U("ασ\315\205b"sv) << U("Ασ\315\205b"sv)
      << U("Ασ\315\205b"sv) << U("ασΙB"sv) << U("ασιb"sv);
  QTest::newRow("case /u0391/u03a3/u0345")
      << U("ΑΣ\315\205"sv) << U("ΑΣΙ"sv) << U("ας\315\205"sv) << U("Ας\315\205"sv)
      << U("Ας\315\205"sv) << U("αςΙ"sv) << U("ασι"sv);
  QTest::newRow("case /u0130stanbul")
      << U("İstanbul"sv) << U("İSTANBUL"sv) << U("i\314\207stanbul"sv) << U("İstanbul"sv)
      << U("İstanbul"sv) << U("i\314\207STANBUL"sv) << U("i\314\207stanbul"sv);
  QTest::newRow("case /u0131i") << U("ıi"sv) << U("II"sv) << U("ıi"sv) << U("Ii"sv) << U("Ii"sv)
                                << U("II"sv) << U("ıi"sv);
  QTest::newRow("case /ufb01nd /ufb00")
      << U("ﬁnd ﬀ"sv) << U("FIND FF"sv) << U("ﬁnd ﬀ"sv) << U("Find Ff"sv) << U("Find ﬀ"sv)
      << U("FIND FF"sv) << U("find ff"sv);
  QTest::newRow("case /u0149") << U("ŉ"sv) << U("ʼN"sv) << U("ŉ"sv) << U("ʼN"sv) << U("ʼN"sv)
                               << U("ʼN"sv) << U("ʼn"sv);
  QTest::newRow("case /u1f88/u1f80 /u1fb3")
      << U("ᾈᾀ ᾳ"sv) << U("ἈΙἈΙ ΑΙ"sv) << U("ᾀᾀ ᾳ"sv) << U("ᾈᾀ ᾼ"sv) << U("ᾈᾀ ᾳ"sv) << U("ᾈἈΙ ΑΙ"sv)
      << U("ἀιἀι αι"sv);
  QTest::newRow("case /u041f/u0440/u0438/u0432/u0435/u0442 /u041c/u0438/u0440")
      << U("Привет Мир"sv) << U("ПРИВЕТ МИР"sv) << U("привет мир"sv) << U("Привет Мир"sv)
      << U("Привет мир"sv) << U("пРИВЕТ мИР"sv) << U("привет мир"sv);
  QTest::newRow("case /xc0/xc9/xce/xf5/xfc")
      << U("ÀÉÎõü"sv) << U("ÀÉÎÕÜ"sv) << U("àéîõü"sv) << U("Àéîõü"sv) << U("Àéîõü"sv)
      << U("àéîÕÜ"sv) << U("àéîõü"sv);
  QTest::newRow("case /u65e5/u672c/u8a9e")
      << U("日本語"sv) << U("日本語"sv) << U("日本語"sv) << U("日本語"sv) << U("日本語"sv)
      << U("日本語"sv) << U("日本語"sv);
  QTest::newRow("case /U0001f600 smile")
      << U("😀 smile"sv) << U("😀 SMILE"sv) << U("😀 smile"sv) << U("😀 Smile"sv) << U("😀 smile"sv)
      << U("😀 SMILE"sv) << U("😀 smile"sv);
  QTest::newRow("case /U000e0001/u0378/u2028/u2029/ud800/udfff")
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv);
  QTest::newRow("case /xa0/u1680/u2000/u200b/u3000")
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv)
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv)
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv)
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv)
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv)
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv)
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv);
  QTest::newRow("case /u0661/u0662/u0663") << U("١٢٣"sv) << U("١٢٣"sv) << U("١٢٣"sv) << U("١٢٣"sv)
                                           << U("١٢٣"sv) << U("١٢٣"sv) << U("١٢٣"sv);
  QTest::newRow("case /xb2/xb3/xbd") << U("²³½"sv) << U("²³½"sv) << U("²³½"sv) << U("²³½"sv)
                                     << U("²³½"sv) << U("²³½"sv) << U("²³½"sv);
  QTest::newRow("case /u216b /u217b") << U("Ⅻ ⅻ"sv) << U("Ⅻ Ⅻ"sv) << U("ⅻ ⅻ"sv) << U("Ⅻ Ⅻ"sv)
                                      << U("Ⅻ ⅻ"sv) << U("ⅻ Ⅻ"sv) << U("ⅻ ⅻ"sv);
  QTest::newRow("case _a1") << U("_a1"sv) << U("_A1"sv) << U("_a1"sv) << U("_A1"sv) << U("_a1"sv)
                            << U("_A1"sv) << U("_a1"sv);
  QTest::newRow("case 1a") << U("1a"sv) << U("1A"sv) << U("1a"sv) << U("1A"sv) << U("1a"sv)
                           << U("1A"sv) << U("1a"sv);
  QTest::newRow("case /u2115") << U("ℕ"sv) << U("ℕ"sv) << U("ℕ"sv) << U("ℕ"sv) << U("ℕ"sv)
                               << U("ℕ"sv) << U("ℕ"sv);
  QTest::newRow("case a/xb7") << U("a·"sv) << U("A·"sv) << U("a·"sv) << U("A·"sv) << U("A·"sv)
                              << U("A·"sv) << U("a·"sv);
  QTest::newRow("case x/u0301") << U("x\314\201"sv) << U("X\314\201"sv) << U("x\314\201"sv)
                                << U("X\314\201"sv) << U("X\314\201"sv) << U("X\314\201"sv)
                                << U("x\314\201"sv);
  QTest::newRow("case hELLO wORLD")
      << U("hELLO wORLD"sv) << U("HELLO WORLD"sv) << U("hello world"sv) << U("Hello World"sv)
      << U("Hello world"sv) << U("Hello World"sv) << U("hello world"sv);
  QTest::newRow("case they're bill's friends")
      << U("they're bill's friends"sv) << U("THEY'RE BILL'S FRIENDS"sv)
      << U("they're bill's friends"sv) << U("They'Re Bill'S Friends"sv)
      << U("They're bill's friends"sv) << U("THEY'RE BILL'S FRIENDS"sv)
      << U("they're bill's friends"sv);
  QTest::newRow("case /u01c5x /u01c6X")
      << U("ǅx ǆX"sv) << U("ǄX ǄX"sv) << U("ǆx ǆx"sv) << U("ǅx ǅx"sv) << U("ǅx ǆx"sv)
      << U("ǅX Ǆx"sv) << U("ǆx ǆx"sv);
  QTest::newRow("case /u0130/u0131") << U("İı"sv) << U("İI"sv) << U("i\314\207ı"sv) << U("İı"sv)
                                     << U("İı"sv) << U("i\314\207I"sv) << U("i\314\207ı"sv);
  QTest::newRow("case /u01f0") << U("ǰ"sv) << U("J\314\214"sv) << U("ǰ"sv) << U("J\314\214"sv)
                               << U("J\314\214"sv) << U("J\314\214"sv) << U("j\314\214"sv);
  QTest::newRow("case /u0390") << U("ΐ"sv) << U("Ι\314\210\314\201"sv) << U("ΐ"sv)
                               << U("Ι\314\210\314\201"sv) << U("Ι\314\210\314\201"sv)
                               << U("Ι\314\210\314\201"sv) << U("ι\314\210\314\201"sv);
  QTest::newRow("case /u1e9e") << U("ẞ"sv) << U("ẞ"sv) << U("ß"sv) << U("ẞ"sv) << U("ẞ"sv)
                               << U("ß"sv) << U("ss"sv);
  QTest::newRow("case /ufb06") << U("ﬆ"sv) << U("ST"sv) << U("ﬆ"sv) << U("St"sv) << U("St"sv)
                               << U("ST"sv) << U("st"sv);
  QTest::newRow("case /u24b6/u24d0")
      << U("Ⓐⓐ"sv) << U("ⒶⒶ"sv) << U("ⓐⓐ"sv) << U("Ⓐⓐ"sv) << U("Ⓐⓐ"sv) << U("ⓐⒶ"sv) << U("ⓐⓐ"sv);
  QTest::newRow("case /U00010400/U00010428")
      << U("𐐀𐐨"sv) << U("𐐀𐐀"sv) << U("𐐨𐐨"sv) << U("𐐀𐐨"sv) << U("𐐀𐐨"sv) << U("𐐨𐐀"sv) << U("𐐨𐐨"sv);
}

void tst_PyStrings::caseMapping()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, upper);
  QFETCH(QByteArray, lower);
  QFETCH(QByteArray, title);
  QFETCH(QByteArray, capitalize);
  QFETCH(QByteArray, swapcase);
  QFETCH(QByteArray, casefold);
  const std::string t = S8(s);
  QCOMPARE(U(str_upper(t)), upper);
  QCOMPARE(U(str_lower(t)), lower);
  QCOMPARE(U(str_title(t)), title);
  QCOMPARE(U(str_capitalize(t)), capitalize);
  QCOMPARE(U(str_swapcase(t)), swapcase);
  QCOMPARE(U(str_casefold(t)), casefold);
}

void tst_PyStrings::predicates_data()
{
  QTest::addColumn<QByteArray>("s");
  // isdigit isdecimal isnumeric isalpha isalnum isspace isupper islower istitle isidentifier
  // isprintable isascii, as 0/1.
  QTest::addColumn<QByteArray>("flags");
  QTest::newRow("is ") << U(""sv) << U("000000000011"sv);
  QTest::newRow("is abc") << U("abc"sv) << U("000110010111"sv);
  QTest::newRow("is Hello World") << U("Hello World"sv) << U("000000001011"sv);
  QTest::newRow("is it's") << U("it's"sv) << U("000000010011"sv);
  QTest::newRow("is say 'hi'") << U("say \"hi\""sv) << U("000000010011"sv);
  QTest::newRow("is /''") << U("'\""sv) << U("000000000011"sv);
  QTest::newRow("is a//b") << U("a\\b"sv) << U("000000010011"sv);
  QTest::newRow("is tab/there") << U("tab\011here"sv) << U("000000010001"sv);
  QTest::newRow("is line/nbreak/r") << U("line\012break\015"sv) << U("000000010001"sv);
  QTest::newRow("is /x00/x01/x1f/x7f") << U("\000\001\037\177"sv) << U("000000000001"sv);
  QTest::newRow("is /x80/x9f/xa0/xad/xff")
      << U("\302\200\302\237\302\240\302\255ÿ"sv) << U("000000010000"sv);
  QTest::newRow("is /xe9") << U("é"sv) << U("000110010110"sv);
  QTest::newRow("is caf/xe9") << U("café"sv) << U("000110010110"sv);
  QTest::newRow("is /xdf") << U("ß"sv) << U("000110010110"sv);
  QTest::newRow("is Stra/xdfe") << U("Straße"sv) << U("000110001110"sv);
  QTest::newRow("is /u01c5") << U("ǅ"sv) << U("000110001110"sv);
  QTest::newRow("is /u01c6ungla") << U("ǆungla"sv) << U("000110010110"sv);
  QTest::newRow("is /u01c8 /u01c9 /u01c7") << U("ǈ ǉ Ǉ"sv) << U("000000000010"sv);
  QTest::newRow("is /u03a3/u0391/u03a3 /u0391/u03a3.") << U("ΣΑΣ ΑΣ."sv) << U("000000100010"sv);
  QTest::newRow("is /u1f48/u0394/u03a5/u03a3/u03a3/u0395/u038e/u03a3")
      << U("ὈΔΥΣΣΕΎΣ"sv) << U("000110100110"sv);
  QTest::newRow("is a/u03a3") << U("aΣ"sv) << U("000110000110"sv);
  QTest::newRow("is /u03a3") << U("Σ"sv) << U("000110101110"sv);
  QTest::newRow("is a/u0345/u03a3") << U("a\315\205Σ"sv) << U("000000000110"sv);
  QTest::newRow("is /u0391/u03a3/u0345b") << U("ΑΣ\315\205b"sv) << U("000000000110"sv);
  QTest::newRow("is /u0391/u03a3/u0345") << U("ΑΣ\315\205"sv) << U("000000000110"sv);
  QTest::newRow("is /u0130stanbul") << U("İstanbul"sv) << U("000110001110"sv);
  QTest::newRow("is /u0131i") << U("ıi"sv) << U("000110010110"sv);
  QTest::newRow("is /ufb01nd /ufb00") << U("ﬁnd ﬀ"sv) << U("000000010010"sv);
  QTest::newRow("is /u0149") << U("ŉ"sv) << U("000110010110"sv);
  QTest::newRow("is /u1f88/u1f80 /u1fb3") << U("ᾈᾀ ᾳ"sv) << U("000000000010"sv);
  QTest::newRow("is /u041f/u0440/u0438/u0432/u0435/u0442 /u041c/u0438/u0440")
      << U("Привет Мир"sv) << U("000000001010"sv);
  QTest::newRow("is /xc0/xc9/xce/xf5/xfc") << U("ÀÉÎõü"sv) << U("000110000110"sv);
  QTest::newRow("is /u65e5/u672c/u8a9e") << U("日本語"sv) << U("000110000110"sv);
  QTest::newRow("is /U0001f600 smile") << U("😀 smile"sv) << U("000000010010"sv);
  QTest::newRow("is /U000e0001/u0378/u2028/u2029/ud800/udfff")
      << U("\363\240\200\201\315\270\342\200\250\342\200\251\355\240\200\355\277\277"sv)
      << U("000000000000"sv);
  QTest::newRow("is /xa0/u1680/u2000/u200b/u3000")
      << U("\302\240\341\232\200\342\200\200\342\200\213\343\200\200"sv) << U("000000000000"sv);
  QTest::newRow("is /u0661/u0662/u0663") << U("١٢٣"sv) << U("111010000010"sv);
  QTest::newRow("is /xb2/xb3/xbd") << U("²³½"sv) << U("001010000010"sv);
  QTest::newRow("is /u216b /u217b") << U("Ⅻ ⅻ"sv) << U("000000000010"sv);
  QTest::newRow("is _a1") << U("_a1"sv) << U("000000010111"sv);
  QTest::newRow("is 1a") << U("1a"sv) << U("000010010011"sv);
  QTest::newRow("is /u2115") << U("ℕ"sv) << U("000110101110"sv);
  QTest::newRow("is a/xb7") << U("a·"sv) << U("000000010110"sv);
  QTest::newRow("is x/u0301") << U("x\314\201"sv) << U("000000010110"sv);
  QTest::newRow("is hELLO wORLD") << U("hELLO wORLD"sv) << U("000000000011"sv);
  QTest::newRow("is they're bill's friends")
      << U("they're bill's friends"sv) << U("000000010011"sv);
  QTest::newRow("is /u01c5x /u01c6X") << U("ǅx ǆX"sv) << U("000000000010"sv);
  QTest::newRow("is /u0130/u0131") << U("İı"sv) << U("000110001110"sv);
  QTest::newRow("is /u01f0") << U("ǰ"sv) << U("000110010110"sv);
  QTest::newRow("is /u0390") << U("ΐ"sv) << U("000110010110"sv);
  QTest::newRow("is /u1e9e") << U("ẞ"sv) << U("000110101110"sv);
  QTest::newRow("is /ufb06") << U("ﬆ"sv) << U("000110010110"sv);
  QTest::newRow("is /u24b6/u24d0") << U("Ⓐⓐ"sv) << U("000000001010"sv);
  QTest::newRow("is /U00010400/U00010428") << U("𐐀𐐨"sv) << U("000110001110"sv);
  QTest::newRow("is 123") << U("123"sv) << U("111010000011"sv);
  QTest::newRow("is 12a") << U("12a"sv) << U("000010010011"sv);
  QTest::newRow("is  /t/n/x1c/x85") << U(" \011\012\034\302\205"sv) << U("000001000000"sv);
  QTest::newRow("is /x1c") << U("\034"sv) << U("000001000001"sv);
  QTest::newRow("is ABC") << U("ABC"sv) << U("000110100111"sv);
  QTest::newRow("is Abc") << U("Abc"sv) << U("000110001111"sv);
  QTest::newRow("is A") << U("A"sv) << U("000110101111"sv);
  QTest::newRow("is a") << U("a"sv) << U("000110010111"sv);
  QTest::newRow("is /u0663") << U("٣"sv) << U("111010000010"sv);
  QTest::newRow("is /xb2") << U("²"sv) << U("101010000010"sv);
  QTest::newRow("is /xbd") << U("½"sv) << U("001010000010"sv);
  QTest::newRow("is /u4e00") << U("一"sv) << U("001110000110"sv);
  QTest::newRow("is a b") << U("a b"sv) << U("000000010011"sv);
  QTest::newRow("is Hello world") << U("Hello world"sv) << U("000000000011"sv);
  QTest::newRow("is _") << U("_"sv) << U("000000000111"sv);
  QTest::newRow("is 9") << U("9"sv) << U("111010000011"sv);
  QTest::newRow("is a/u0300") << U("a\314\200"sv) << U("000000010110"sv);
  QTest::newRow("is class") << U("class"sv) << U("000110010111"sv);
  QTest::newRow("is /x7f") << U("\177"sv) << U("000000000001"sv);
  QTest::newRow("is  ") << U(" "sv) << U("000001000011"sv);
}

void tst_PyStrings::predicates()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, flags);
  const std::string t = S8(s);
  QByteArray got;
  for (bool b : {str_isdigit(t), str_isdecimal(t), str_isnumeric(t), str_isalpha(t), str_isalnum(t),
                 str_isspace(t), str_isupper(t), str_islower(t), str_istitle(t),
                 str_isidentifier(t), str_isprintable(t), str_isascii(t)})
    got += b ? '1' : '0';
  QCOMPARE(got, flags);
}

void tst_PyStrings::split_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<bool>("hasSep");
  QTest::addColumn<QByteArray>("sep");
  QTest::addColumn<qint64>("maxsplit");
  QTest::addColumn<QList<QByteArray>>("split");
  QTest::addColumn<QList<QByteArray>>("rsplit");
  QTest::newRow("split  a  b/tc/n None -1") << U(" a  b\011c\012"sv) << false << U(""sv) << -1_i
                                            << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv)}
                                            << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv)};
  QTest::newRow("split  a  b/tc/n None 1") << U(" a  b\011c\012"sv) << false << U(""sv) << 1_i
                                           << QList<QByteArray>{U("a"sv), U("b\011c\012"sv)}
                                           << QList<QByteArray>{U(" a  b"sv), U("c"sv)};
  QTest::newRow("split  a  b/tc/n None 0")
      << U(" a  b\011c\012"sv) << false << U(""sv) << 0_i << QList<QByteArray>{U("a  b\011c\012"sv)}
      << QList<QByteArray>{U(" a  b\011c"sv)};
  QTest::newRow("split  None -1") << U(""sv) << false << U(""sv) << -1_i << QList<QByteArray>{}
                                  << QList<QByteArray>{};
  QTest::newRow("split     None -1")
      << U("   "sv) << false << U(""sv) << -1_i << QList<QByteArray>{} << QList<QByteArray>{};
  QTest::newRow("split a/x1cb/x1dc/x1ed/x1fe None -1")
      << U("a\034b\035c\036d\037e"sv) << false << U(""sv) << -1_i
      << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv), U("d"sv), U("e"sv)}
      << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv), U("d"sv), U("e"sv)};
  QTest::newRow("split a/x85b/xa0c/u2003d/u3000e None -1")
      << U("a\302\205b\302\240c\342\200\203d\343\200\200e"sv) << false << U(""sv) << -1_i
      << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv), U("d"sv), U("e"sv)}
      << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv), U("d"sv), U("e"sv)};
  QTest::newRow("split a/u200bb None -1")
      << U("a\342\200\213b"sv) << false << U(""sv) << -1_i
      << QList<QByteArray>{U("a\342\200\213b"sv)} << QList<QByteArray>{U("a\342\200\213b"sv)};
  QTest::newRow("split /u65e5 /u672c/u3000/u8a9e None -1")
      << U("日 本\343\200\200語"sv) << false << U(""sv) << -1_i
      << QList<QByteArray>{U("日"sv), U("本"sv), U("語"sv)}
      << QList<QByteArray>{U("日"sv), U("本"sv), U("語"sv)};
  QTest::newRow("split a,b,,c , -1") << U("a,b,,c"sv) << true << U(","sv) << -1_i
                                     << QList<QByteArray>{U("a"sv), U("b"sv), U(""sv), U("c"sv)}
                                     << QList<QByteArray>{U("a"sv), U("b"sv), U(""sv), U("c"sv)};
  QTest::newRow("split a,b,,c , 2") << U("a,b,,c"sv) << true << U(","sv) << 2_i
                                    << QList<QByteArray>{U("a"sv), U("b"sv), U(",c"sv)}
                                    << QList<QByteArray>{U("a,b"sv), U(""sv), U("c"sv)};
  QTest::newRow("split a,b,,c , 0")
      << U("a,b,,c"sv) << true << U(","sv) << 0_i << QList<QByteArray>{U("a,b,,c"sv)}
      << QList<QByteArray>{U("a,b,,c"sv)};
  QTest::newRow("split ,a, , -1") << U(",a,"sv) << true << U(","sv) << -1_i
                                  << QList<QByteArray>{U(""sv), U("a"sv), U(""sv)}
                                  << QList<QByteArray>{U(""sv), U("a"sv), U(""sv)};
  QTest::newRow("split  , -1") << U(""sv) << true << U(","sv) << -1_i << QList<QByteArray>{U(""sv)}
                               << QList<QByteArray>{U(""sv)};
  QTest::newRow("split abc abc -1")
      << U("abc"sv) << true << U("abc"sv) << -1_i << QList<QByteArray>{U(""sv), U(""sv)}
      << QList<QByteArray>{U(""sv), U(""sv)};
  QTest::newRow("split aXbXXc XX -1")
      << U("aXbXXc"sv) << true << U("XX"sv) << -1_i << QList<QByteArray>{U("aXb"sv), U("c"sv)}
      << QList<QByteArray>{U("aXb"sv), U("c"sv)};
  QTest::newRow("split a/xe9/xe9b/xe9c /xe9 -1")
      << U("aéébéc"sv) << true << U("é"sv) << -1_i
      << QList<QByteArray>{U("a"sv), U(""sv), U("b"sv), U("c"sv)}
      << QList<QByteArray>{U("a"sv), U(""sv), U("b"sv), U("c"sv)};
  QTest::newRow("split a/xe9/xe9b/xe9c /xe9/xe9 1")
      << U("aéébéc"sv) << true << U("éé"sv) << 1_i << QList<QByteArray>{U("a"sv), U("béc"sv)}
      << QList<QByteArray>{U("a"sv), U("béc"sv)};
  QTest::newRow("split a b  -1") << U("a b"sv) << true << U(""sv) << -1_i
                                 << QList<QByteArray>{U("!!ValueError: empty separator"sv)}
                                 << QList<QByteArray>{U("!!ValueError: empty separator"sv)};
  QTest::newRow("split aaa aa -1")
      << U("aaa"sv) << true << U("aa"sv) << -1_i << QList<QByteArray>{U(""sv), U("a"sv)}
      << QList<QByteArray>{U("a"sv), U(""sv)};
}

void tst_PyStrings::split()
{
  QFETCH(QByteArray, s);
  QFETCH(bool, hasSep);
  QFETCH(QByteArray, sep);
  QFETCH(qint64, maxsplit);
  QFETCH(QList<QByteArray>, split);
  QFETCH(QList<QByteArray>, rsplit);
  const std::string t = S8(s), p = S8(sep);
  const std::optional<std::string_view> sv =
      hasSep ? std::optional<std::string_view>(p) : std::nullopt;
  QCOMPARE(listOutcome([&] { return toList(str_split(t, sv, maxsplit)); }), split);
  QCOMPARE(listOutcome([&] { return toList(str_rsplit(t, sv, maxsplit)); }), rsplit);
}

void tst_PyStrings::splitlines_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<bool>("keepends");
  QTest::addColumn<QList<QByteArray>>("expected");
  QTest::newRow("lines a/r/nb/rc/n/x1cd/x85e/u2028f/u2029g/x0bh/x0ci/x1dj/x1e False")
      << U("a\015\012b\015c\012\034d\302\205e\342\200\250f\342\200\251g\013h\014i\035j\036"sv)
      << false << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv), U(""sv),  U("d"sv), U("e"sv),
                                    U("f"sv), U("g"sv), U("h"sv), U("i"sv), U("j"sv)};
  QTest::newRow("lines a/r/nb/rc/n/x1cd/x85e/u2028f/u2029g/x0bh/x0ci/x1dj/x1e True")
      << U("a\015\012b\015c\012\034d\302\205e\342\200\250f\342\200\251g\013h\014i\035j\036"sv)
      << true << QList<QByteArray>{U("a\015\012"sv),     U("b\015"sv),     U("c\012"sv),
                                   U("\034"sv),          U("d\302\205"sv), U("e\342\200\250"sv),
                                   U("f\342\200\251"sv), U("g\013"sv),     U("h\014"sv),
                                   U("i\035"sv),         U("j\036"sv)};
  QTest::newRow("lines no breaks False")
      << U("no breaks"sv) << false << QList<QByteArray>{U("no breaks"sv)};
  QTest::newRow("lines no breaks True")
      << U("no breaks"sv) << true << QList<QByteArray>{U("no breaks"sv)};
  QTest::newRow("lines  False") << U(""sv) << false << QList<QByteArray>{};
  QTest::newRow("lines  True") << U(""sv) << true << QList<QByteArray>{};
  QTest::newRow("lines /n False") << U("\012"sv) << false << QList<QByteArray>{U(""sv)};
  QTest::newRow("lines /n True") << U("\012"sv) << true << QList<QByteArray>{U("\012"sv)};
  QTest::newRow("lines /n/n False")
      << U("\012\012"sv) << false << QList<QByteArray>{U(""sv), U(""sv)};
  QTest::newRow("lines /n/n True")
      << U("\012\012"sv) << true << QList<QByteArray>{U("\012"sv), U("\012"sv)};
  QTest::newRow("lines a/r False") << U("a\015"sv) << false << QList<QByteArray>{U("a"sv)};
  QTest::newRow("lines a/r True") << U("a\015"sv) << true << QList<QByteArray>{U("a\015"sv)};
  QTest::newRow("lines a/r/r/n False")
      << U("a\015\015\012"sv) << false << QList<QByteArray>{U("a"sv), U(""sv)};
  QTest::newRow("lines a/r/r/n True")
      << U("a\015\015\012"sv) << true << QList<QByteArray>{U("a\015"sv), U("\015\012"sv)};
  QTest::newRow("lines x/n/ry False")
      << U("x\012\015y"sv) << false << QList<QByteArray>{U("x"sv), U(""sv), U("y"sv)};
  QTest::newRow("lines x/n/ry True")
      << U("x\012\015y"sv) << true << QList<QByteArray>{U("x\012"sv), U("\015"sv), U("y"sv)};
}

void tst_PyStrings::splitlines()
{
  QFETCH(QByteArray, s);
  QFETCH(bool, keepends);
  QFETCH(QList<QByteArray>, expected);
  QCOMPARE(toList(str_splitlines(S8(s), keepends)), expected);
}

void tst_PyStrings::strip_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<bool>("hasChars");
  QTest::addColumn<QByteArray>("chars");
  QTest::addColumn<QByteArray>("strip");
  QTest::addColumn<QByteArray>("lstrip");
  QTest::addColumn<QByteArray>("rstrip");
  QTest::newRow("strip   a b   None")
      << U("  a b  "sv) << false << U(""sv) << U("a b"sv) << U("a b  "sv) << U("  a b"sv);
  QTest::newRow("strip /t/n/x0b/x0c/r/x1c/x1d/x1e/x1f/x85/xa0/u2003 x /u3000 None")
      << U("\011\012\013\014\015\034\035\036\037\302\205\302\240\342\200\203 x \343\200\200"sv)
      << false << U(""sv) << U("x"sv) << U("x \343\200\200"sv)
      << U("\011\012\013\014\015\034\035\036\037\302\205\302\240\342\200\203 x"sv);
  QTest::newRow("strip xxaxx x") << U("xxaxx"sv) << true << U("x"sv) << U("a"sv) << U("axx"sv)
                                 << U("xxa"sv);
  QTest::newRow("strip abcba ab") << U("abcba"sv) << true << U("ab"sv) << U("c"sv) << U("cba"sv)
                                  << U("abc"sv);
  QTest::newRow("strip  None") << U(""sv) << false << U(""sv) << U(""sv) << U(""sv) << U(""sv);
  QTest::newRow("strip     None") << U("   "sv) << false << U(""sv) << U(""sv) << U(""sv)
                                  << U(""sv);
  QTest::newRow("strip /xe9a/xe9 /xe9")
      << U("éaé"sv) << true << U("é"sv) << U("a"sv) << U("aé"sv) << U("éa"sv);
  QTest::newRow("strip /xe9a/xe9 /xe9e")
      << U("éaé"sv) << true << U("ée"sv) << U("a"sv) << U("aé"sv) << U("éa"sv);
  QTest::newRow("strip /u03a3a/u03a3 /u03a3/n")
      << U("ΣaΣ"sv) << true << U("Σ\012"sv) << U("a"sv) << U("aΣ"sv) << U("Σa"sv);
  QTest::newRow("strip aaa ") << U("aaa"sv) << true << U(""sv) << U("aaa"sv) << U("aaa"sv)
                              << U("aaa"sv);
  QTest::newRow("strip abc xyz") << U("abc"sv) << true << U("xyz"sv) << U("abc"sv) << U("abc"sv)
                                 << U("abc"sv);
  QTest::newRow("strip /u200bx/u200b None")
      << U("\342\200\213x\342\200\213"sv) << false << U(""sv) << U("\342\200\213x\342\200\213"sv)
      << U("\342\200\213x\342\200\213"sv) << U("\342\200\213x\342\200\213"sv);
}

void tst_PyStrings::strip()
{
  QFETCH(QByteArray, s);
  QFETCH(bool, hasChars);
  QFETCH(QByteArray, chars);
  QFETCH(QByteArray, strip);
  QFETCH(QByteArray, lstrip);
  QFETCH(QByteArray, rstrip);
  const std::string t = S8(s), c = S8(chars);
  const auto cv = hasChars ? std::optional<std::string_view>(c) : std::nullopt;
  QCOMPARE(U(str_strip(t, cv)), strip);
  QCOMPARE(U(str_lstrip(t, cv)), lstrip);
  QCOMPARE(U(str_rstrip(t, cv)), rstrip);
}

void tst_PyStrings::findCount_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<QByteArray>("sub");
  QTest::addColumn<qint64>("start");
  QTest::addColumn<qint64>("end");
  QTest::addColumn<qint64>("find");
  QTest::addColumn<qint64>("rfind");
  QTest::addColumn<qint64>("count");
  QTest::addColumn<bool>("startswith");
  QTest::addColumn<bool>("endswith");
  QTest::addColumn<QByteArray>("index");
  QTest::addColumn<QByteArray>("rindex");
  QTest::newRow("find hello world o None None")
      << U("hello world"sv) << U("o"sv) << kNone << kNone << 4_i << 7_i << 2_i << false << false
      << U("4"sv) << U("7"sv);
  QTest::newRow("find hello world o 5 None")
      << U("hello world"sv) << U("o"sv) << 5_i << kNone << 7_i << 7_i << 1_i << false << false
      << U("7"sv) << U("7"sv);
  QTest::newRow("find hello world o -4 None")
      << U("hello world"sv) << U("o"sv) << -4_i << kNone << 7_i << 7_i << 1_i << true << false
      << U("7"sv) << U("7"sv);
  QTest::newRow("find hello world o None -4")
      << U("hello world"sv) << U("o"sv) << kNone << -4_i << 4_i << 4_i << 1_i << false << false
      << U("4"sv) << U("4"sv);
  QTest::newRow("find hello world z None None")
      << U("hello world"sv) << U("z"sv) << kNone << kNone << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find hello  None None") << U("hello"sv) << U(""sv) << kNone << kNone << 0_i << 5_i
                                         << 6_i << true << true << U("0"sv) << U("5"sv);
  QTest::newRow("find hello  2 None") << U("hello"sv) << U(""sv) << 2_i << kNone << 2_i << 5_i
                                      << 4_i << true << true << U("2"sv) << U("5"sv);
  QTest::newRow("find hello  5 None") << U("hello"sv) << U(""sv) << 5_i << kNone << 5_i << 5_i
                                      << 1_i << true << true << U("5"sv) << U("5"sv);
  QTest::newRow("find hello  6 None")
      << U("hello"sv) << U(""sv) << 6_i << kNone << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find hello  None -2") << U("hello"sv) << U(""sv) << kNone << -2_i << 0_i << 3_i
                                       << 4_i << true << true << U("0"sv) << U("3"sv);
  QTest::newRow("find hello l 10 None")
      << U("hello"sv) << U("l"sv) << 10_i << kNone << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find hello l -10 -10")
      << U("hello"sv) << U("l"sv) << -10_i << -10_i << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find hello lo 3 4")
      << U("hello"sv) << U("lo"sv) << 3_i << 4_i << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find hello he None 1")
      << U("hello"sv) << U("he"sv) << kNone << 1_i << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find aaaa aa None None") << U("aaaa"sv) << U("aa"sv) << kNone << kNone << 0_i
                                          << 2_i << 2_i << true << true << U("0"sv) << U("2"sv);
  QTest::newRow("find h/xe9llo w/xf6rld /xf6 None None")
      << U("héllo wörld"sv) << U("ö"sv) << kNone << kNone << 7_i << 7_i << 1_i << false << false
      << U("7"sv) << U("7"sv);
  QTest::newRow("find h/xe9llo w/xf6rld l 3 None")
      << U("héllo wörld"sv) << U("l"sv) << 3_i << kNone << 3_i << 9_i << 2_i << true << false
      << U("3"sv) << U("9"sv);
  QTest::newRow("find h/xe9llo w/xf6rld l -3 None")
      << U("héllo wörld"sv) << U("l"sv) << -3_i << kNone << 9_i << 9_i << 1_i << false << false
      << U("9"sv) << U("9"sv);
  QTest::newRow("find /u65e5/u672c/u8a9e/u65e5/u672c/u8a9e /u672c None None")
      << U("日本語日本語"sv) << U("本"sv) << kNone << kNone << 1_i << 4_i << 2_i << false << false
      << U("1"sv) << U("4"sv);
  QTest::newRow("find /u65e5/u672c/u8a9e/u65e5/u672c/u8a9e /u672c 2 None")
      << U("日本語日本語"sv) << U("本"sv) << 2_i << kNone << 4_i << 4_i << 1_i << false << false
      << U("4"sv) << U("4"sv);
  QTest::newRow("find /u65e5/u672c/u8a9e/u65e5/u672c/u8a9e /u672c/u8a9e None -1")
      << U("日本語日本語"sv) << U("本語"sv) << kNone << -1_i << 1_i << 1_i << 1_i << false << false
      << U("1"sv) << U("1"sv);
  QTest::newRow("find /U0001f600a/U0001f600b b None None")
      << U("😀a😀b"sv) << U("b"sv) << kNone << kNone << 3_i << 3_i << 1_i << false << true << U("3"sv)
      << U("3"sv);
  QTest::newRow("find /U0001f600a/U0001f600b /U0001f600 1 None")
      << U("😀a😀b"sv) << U("😀"sv) << 1_i << kNone << 2_i << 2_i << 1_i << false << false << U("2"sv)
      << U("2"sv);
  QTest::newRow("find abc abcd None None")
      << U("abc"sv) << U("abcd"sv) << kNone << kNone << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find abc abc 0 3") << U("abc"sv) << U("abc"sv) << 0_i << 3_i << 0_i << 0_i << 1_i
                                    << true << true << U("0"sv) << U("0"sv);
  QTest::newRow("find abc c -1 None") << U("abc"sv) << U("c"sv) << -1_i << kNone << 2_i << 2_i
                                      << 1_i << true << true << U("2"sv) << U("2"sv);
  QTest::newRow("find /xe9/xe9  1 1") << U("éé"sv) << U(""sv) << 1_i << 1_i << 1_i << 1_i << 1_i
                                      << true << true << U("1"sv) << U("1"sv);
  QTest::newRow("find   None None") << U(""sv) << U(""sv) << kNone << kNone << 0_i << 0_i << 1_i
                                    << true << true << U("0"sv) << U("0"sv);
  QTest::newRow("find  a None None")
      << U(""sv) << U("a"sv) << kNone << kNone << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: substring not found"sv) << U("!!ValueError: substring not found"sv);
  QTest::newRow("find   1 None") << U(""sv) << U(""sv) << 1_i << kNone << -1_i << -1_i << 0_i
                                 << false << false << U("!!ValueError: substring not found"sv)
                                 << U("!!ValueError: substring not found"sv);
}

void tst_PyStrings::findCount()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, sub);
  QFETCH(qint64, start);
  QFETCH(qint64, end);
  QFETCH(qint64, find);
  QFETCH(qint64, rfind);
  QFETCH(qint64, count);
  QFETCH(bool, startswith);
  QFETCH(bool, endswith);
  QFETCH(QByteArray, index);
  QFETCH(QByteArray, rindex);
  const std::string t = S8(s), u = S8(sub);
  QCOMPARE(qint64(str_find(t, u, opt(start), opt(end))), find);
  QCOMPARE(qint64(str_rfind(t, u, opt(start), opt(end))), rfind);
  QCOMPARE(qint64(str_count(t, u, opt(start), opt(end))), count);
  QCOMPARE(str_startswith(t, u, opt(start), opt(end)), startswith);
  QCOMPARE(str_endswith(t, u, opt(start), opt(end)), endswith);
  QCOMPARE(outcome([&] { return std::to_string(str_index(t, u, opt(start), opt(end))); }), index);
  QCOMPARE(outcome([&] { return std::to_string(str_rindex(t, u, opt(start), opt(end))); }), rindex);
}

void tst_PyStrings::replace_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<QByteArray>("old");
  QTest::addColumn<QByteArray>("replacement");
  QTest::addColumn<qint64>("count");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("replace hello l L -1")
      << U("hello"sv) << U("l"sv) << U("L"sv) << -1_i << U("heLLo"sv);
  QTest::newRow("replace hello l L 1")
      << U("hello"sv) << U("l"sv) << U("L"sv) << 1_i << U("heLlo"sv);
  QTest::newRow("replace hello l L 0")
      << U("hello"sv) << U("l"sv) << U("L"sv) << 0_i << U("hello"sv);
  QTest::newRow("replace hello x L -1")
      << U("hello"sv) << U("x"sv) << U("L"sv) << -1_i << U("hello"sv);
  QTest::newRow("replace abc  - -1") << U("abc"sv) << U(""sv) << U("-"sv) << -1_i << U("-a-b-c-"sv);
  QTest::newRow("replace abc  - 2") << U("abc"sv) << U(""sv) << U("-"sv) << 2_i << U("-a-bc"sv);
  QTest::newRow("replace abc  - 0") << U("abc"sv) << U(""sv) << U("-"sv) << 0_i << U("abc"sv);
  QTest::newRow("replace   - -1") << U(""sv) << U(""sv) << U("-"sv) << -1_i << U("-"sv);
  QTest::newRow("replace /xe9/u65e5  - -1")
      << U("é日"sv) << U(""sv) << U("-"sv) << -1_i << U("-é-日-"sv);
  QTest::newRow("replace aaa aa b -1") << U("aaa"sv) << U("aa"sv) << U("b"sv) << -1_i << U("ba"sv);
  QTest::newRow("replace a/xe9b /xe9 /xfc -1")
      << U("aéb"sv) << U("é"sv) << U("ü"sv) << -1_i << U("aüb"sv);
  QTest::newRow("replace abab ab  -1") << U("abab"sv) << U("ab"sv) << U(""sv) << -1_i << U(""sv);
}

void tst_PyStrings::replace()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, old);
  QFETCH(QByteArray, replacement);
  QFETCH(qint64, count);
  QFETCH(QByteArray, expected);
  QCOMPARE(U(str_replace(S8(s), S8(old), S8(replacement), count)), expected);
}

void tst_PyStrings::slicing_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<qint64>("start");
  QTest::addColumn<qint64>("stop");
  QTest::addColumn<qint64>("step");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("slice h/xe9llo None None None")
      << U("héllo"sv) << kNone << kNone << kNone << U("héllo"sv);
  QTest::newRow("slice h/xe9llo 1 3 None") << U("héllo"sv) << 1_i << 3_i << kNone << U("él"sv);
  QTest::newRow("slice h/xe9llo -3 None None")
      << U("héllo"sv) << -3_i << kNone << kNone << U("llo"sv);
  QTest::newRow("slice h/xe9llo None None -1")
      << U("héllo"sv) << kNone << kNone << -1_i << U("olléh"sv);
  QTest::newRow("slice h/xe9llo None None 2")
      << U("héllo"sv) << kNone << kNone << 2_i << U("hlo"sv);
  QTest::newRow("slice h/xe9llo None None -2")
      << U("héllo"sv) << kNone << kNone << -2_i << U("olh"sv);
  QTest::newRow("slice h/xe9llo 4 1 -1") << U("héllo"sv) << 4_i << 1_i << -1_i << U("oll"sv);
  QTest::newRow("slice h/xe9llo 1 100 None")
      << U("héllo"sv) << 1_i << 100_i << kNone << U("éllo"sv);
  QTest::newRow("slice h/xe9llo -100 2 None")
      << U("héllo"sv) << -100_i << 2_i << kNone << U("hé"sv);
  QTest::newRow("slice h/xe9llo 3 1 None") << U("héllo"sv) << 3_i << 1_i << kNone << U(""sv);
  QTest::newRow("slice /u65e5/u672c/u8a9e/U0001f600 1 None None")
      << U("日本語😀"sv) << 1_i << kNone << kNone << U("本語😀"sv);
  QTest::newRow("slice /u65e5/u672c/u8a9e/U0001f600 None None -1")
      << U("日本語😀"sv) << kNone << kNone << -1_i << U("😀語本日"sv);
  QTest::newRow("slice /u65e5/u672c/u8a9e/U0001f600 -1 None None")
      << U("日本語😀"sv) << -1_i << kNone << kNone << U("😀"sv);
  QTest::newRow("slice abc None None 0")
      << U("abc"sv) << kNone << kNone << 0_i << U("!!ValueError: slice step cannot be zero"sv);
  QTest::newRow("slice abc 5 None -1") << U("abc"sv) << 5_i << kNone << -1_i << U("cba"sv);
  QTest::newRow("slice  None None -1") << U(""sv) << kNone << kNone << -1_i << U(""sv);
  QTest::newRow("slice abcdef -1 -7 -2") << U("abcdef"sv) << -1_i << -7_i << -2_i << U("fdb"sv);
  QTest::newRow("slice abcdef 0 6 4") << U("abcdef"sv) << 0_i << 6_i << 4_i << U("ae"sv);
}

void tst_PyStrings::slicing()
{
  QFETCH(QByteArray, s);
  QFETCH(qint64, start);
  QFETCH(qint64, stop);
  QFETCH(qint64, step);
  QFETCH(QByteArray, expected);
  const std::string t = S8(s);
  QCOMPARE(outcome([&] {
             const auto len = static_cast<std::int64_t>(cp_len(t));
             return str_slice(t, normalize_slice(len, opt(start), opt(stop), opt(step)));
           }),
           expected);
}

void tst_PyStrings::getItem_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<qint64>("index");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("getitem h/xe9llo 0") << U("héllo"sv) << 0_i << U("h"sv);
  QTest::newRow("getitem h/xe9llo 1") << U("héllo"sv) << 1_i << U("é"sv);
  QTest::newRow("getitem h/xe9llo -1") << U("héllo"sv) << -1_i << U("o"sv);
  QTest::newRow("getitem h/xe9llo 4") << U("héllo"sv) << 4_i << U("o"sv);
  QTest::newRow("getitem h/xe9llo 5")
      << U("héllo"sv) << 5_i << U("!!IndexError: string index out of range"sv);
  QTest::newRow("getitem h/xe9llo -5") << U("héllo"sv) << -5_i << U("h"sv);
  QTest::newRow("getitem h/xe9llo -6")
      << U("héllo"sv) << -6_i << U("!!IndexError: string index out of range"sv);
  QTest::newRow("getitem  0") << U(""sv) << 0_i << U("!!IndexError: string index out of range"sv);
  QTest::newRow("getitem /U0001f600 0") << U("😀"sv) << 0_i << U("😀"sv);
  QTest::newRow("getitem abc 2") << U("abc"sv) << 2_i << U("c"sv);
}

void tst_PyStrings::getItem()
{
  QFETCH(QByteArray, s);
  QFETCH(qint64, index);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return str_getitem(S8(s), index); }), expected);
}

void tst_PyStrings::normalizeSlice_data()
{
  QTest::addColumn<qint64>("len");
  QTest::addColumn<qint64>("start");
  QTest::addColumn<qint64>("stop");
  QTest::addColumn<qint64>("step");
  QTest::addColumn<QByteArray>("expected");  // "start stop step length", as slice.indices()
  QTest::newRow("slice 10 None None None") << 10_i << kNone << kNone << kNone << U("0 10 1 10"sv);
  QTest::newRow("slice 10 2 8 2") << 10_i << 2_i << 8_i << 2_i << U("2 8 2 3"sv);
  QTest::newRow("slice 10 -3 None None") << 10_i << -3_i << kNone << kNone << U("7 10 1 3"sv);
  QTest::newRow("slice 10 None None -1") << 10_i << kNone << kNone << -1_i << U("9 -1 -1 10"sv);
  QTest::newRow("slice 10 100 -100 -1") << 10_i << 100_i << -100_i << -1_i << U("9 -1 -1 10"sv);
  QTest::newRow("slice 10 -100 100 3") << 10_i << -100_i << 100_i << 3_i << U("0 10 3 4"sv);
  QTest::newRow("slice 0 None None None") << 0_i << kNone << kNone << kNone << U("0 0 1 0"sv);
  QTest::newRow("slice 0 None None -1") << 0_i << kNone << kNone << -1_i << U("-1 -1 -1 0"sv);
  QTest::newRow("slice 5 4 1 -2") << 5_i << 4_i << 1_i << -2_i << U("4 1 -2 2"sv);
  QTest::newRow("slice 5 1 4 -1") << 5_i << 1_i << 4_i << -1_i << U("1 4 -1 0"sv);
  QTest::newRow("slice 10 None None -9223372036854775807")
      << 10_i << kNone << kNone << -9223372036854775807_i << U("9 -1 -9223372036854775807 1"sv);
  QTest::newRow("slice 10 None None 0")
      << 10_i << kNone << kNone << 0_i << U("!!ValueError: slice step cannot be zero"sv);
  QTest::newRow("slice 5 -9223372036854775808 9223372036854775807 1")
      << 5_i << kMin << kMax << 1_i << U("0 5 1 5"sv);
  QTest::newRow("slice 5 9223372036854775807 -9223372036854775808 -1")
      << 5_i << kMax << kMin << -1_i << U("4 -1 -1 5"sv);
}

void tst_PyStrings::normalizeSlice()
{
  QFETCH(qint64, len);
  QFETCH(qint64, start);
  QFETCH(qint64, stop);
  QFETCH(qint64, step);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] {
             const SliceIndices r = normalize_slice(len, opt(start), opt(stop), opt(step));
             return std::to_string(r.start) + " " + std::to_string(r.stop) + " " +
                    std::to_string(r.step) + " " + std::to_string(r.length);
           }),
           expected);
}

void tst_PyStrings::justify_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<qint64>("width");
  QTest::addColumn<QByteArray>("fill");
  QTest::addColumn<QByteArray>("center");
  QTest::addColumn<QByteArray>("ljust");
  QTest::addColumn<QByteArray>("rjust");
  QTest::addColumn<QByteArray>("zfill");
  QTest::newRow("just abc 6  ") << U("abc"sv) << 6_i << U(" "sv) << U(" abc  "sv) << U("abc   "sv)
                                << U("   abc"sv) << U("000abc"sv);
  QTest::newRow("just abc 6 *") << U("abc"sv) << 6_i << U("*"sv) << U("*abc**"sv) << U("abc***"sv)
                                << U("***abc"sv) << U("000abc"sv);
  QTest::newRow("just ab 5 *") << U("ab"sv) << 5_i << U("*"sv) << U("**ab*"sv) << U("ab***"sv)
                               << U("***ab"sv) << U("000ab"sv);
  QTest::newRow("just ab 7 *") << U("ab"sv) << 7_i << U("*"sv) << U("***ab**"sv) << U("ab*****"sv)
                               << U("*****ab"sv) << U("00000ab"sv);
  QTest::newRow("just abc 4 *") << U("abc"sv) << 4_i << U("*"sv) << U("abc*"sv) << U("abc*"sv)
                                << U("*abc"sv) << U("0abc"sv);
  QTest::newRow("just abc 3 *") << U("abc"sv) << 3_i << U("*"sv) << U("abc"sv) << U("abc"sv)
                                << U("abc"sv) << U("abc"sv);
  QTest::newRow("just abc 2 *") << U("abc"sv) << 2_i << U("*"sv) << U("abc"sv) << U("abc"sv)
                                << U("abc"sv) << U("abc"sv);
  QTest::newRow("just abc -1 *") << U("abc"sv) << -1_i << U("*"sv) << U("abc"sv) << U("abc"sv)
                                 << U("abc"sv) << U("abc"sv);
  QTest::newRow("just /xe9 4 /xfc")
      << U("é"sv) << 4_i << U("ü"sv) << U("üéüü"sv) << U("éüüü"sv) << U("üüüé"sv) << U("000é"sv);
  QTest::newRow("just /u65e5/u672c 5 /U0001f600")
      << U("日本"sv) << 5_i << U("😀"sv) << U("😀😀日本😀"sv) << U("日本😀😀😀"sv) << U("😀😀😀日本"sv)
      << U("000日本"sv);
  QTest::newRow("just  3 x") << U(""sv) << 3_i << U("x"sv) << U("xxx"sv) << U("xxx"sv) << U("xxx"sv)
                             << U("000"sv);
  QTest::newRow("just abc 6 ab")
      << U("abc"sv) << 6_i << U("ab"sv)
      << U("!!TypeError: The fill character must be exactly one character long"sv)
      << U("!!TypeError: The fill character must be exactly one character long"sv)
      << U("!!TypeError: The fill character must be exactly one character long"sv) << U("000abc"sv);
  QTest::newRow("just abc 6 ")
      << U("abc"sv) << 6_i << U(""sv)
      << U("!!TypeError: The fill character must be exactly one character long"sv)
      << U("!!TypeError: The fill character must be exactly one character long"sv)
      << U("!!TypeError: The fill character must be exactly one character long"sv) << U("000abc"sv);
  QTest::newRow("just -12 6  ") << U("-12"sv) << 6_i << U(" "sv) << U(" -12  "sv) << U("-12   "sv)
                                << U("   -12"sv) << U("-00012"sv);
  QTest::newRow("just +1 4  ") << U("+1"sv) << 4_i << U(" "sv) << U(" +1 "sv) << U("+1  "sv)
                               << U("  +1"sv) << U("+001"sv);
  QTest::newRow("just  3  ") << U(""sv) << 3_i << U(" "sv) << U("   "sv) << U("   "sv) << U("   "sv)
                             << U("000"sv);
  QTest::newRow("just - 3  ") << U("-"sv) << 3_i << U(" "sv) << U(" - "sv) << U("-  "sv)
                              << U("  -"sv) << U("-00"sv);
  QTest::newRow("just a-b 5  ") << U("a-b"sv) << 5_i << U(" "sv) << U(" a-b "sv) << U("a-b  "sv)
                                << U("  a-b"sv) << U("00a-b"sv);
  QTest::newRow("just /xe9 3  ") << U("é"sv) << 3_i << U(" "sv) << U(" é "sv) << U("é  "sv)
                                 << U("  é"sv) << U("00é"sv);
}

void tst_PyStrings::justify()
{
  QFETCH(QByteArray, s);
  QFETCH(qint64, width);
  QFETCH(QByteArray, fill);
  QFETCH(QByteArray, center);
  QFETCH(QByteArray, ljust);
  QFETCH(QByteArray, rjust);
  QFETCH(QByteArray, zfill);
  const std::string t = S8(s), f = S8(fill);
  QCOMPARE(outcome([&] { return str_center(t, width, f); }), center);
  QCOMPARE(outcome([&] { return str_ljust(t, width, f); }), ljust);
  QCOMPARE(outcome([&] { return str_rjust(t, width, f); }), rjust);
  QCOMPARE(U(str_zfill(t, width)), zfill);
}

void tst_PyStrings::partition_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<QByteArray>("sep");
  QTest::addColumn<QList<QByteArray>>("partition");
  QTest::addColumn<QList<QByteArray>>("rpartition");
  QTest::newRow("part a=b=c =") << U("a=b=c"sv) << U("="sv)
                                << QList<QByteArray>{U("a"sv), U("="sv), U("b=c"sv)}
                                << QList<QByteArray>{U("a=b"sv), U("="sv), U("c"sv)};
  QTest::newRow("part abc =") << U("abc"sv) << U("="sv)
                              << QList<QByteArray>{U("abc"sv), U(""sv), U(""sv)}
                              << QList<QByteArray>{U(""sv), U(""sv), U("abc"sv)};
  QTest::newRow("part = =") << U("="sv) << U("="sv) << QList<QByteArray>{U(""sv), U("="sv), U(""sv)}
                            << QList<QByteArray>{U(""sv), U("="sv), U(""sv)};
  QTest::newRow("part a/xe9b /xe9")
      << U("aéb"sv) << U("é"sv) << QList<QByteArray>{U("a"sv), U("é"sv), U("b"sv)}
      << QList<QByteArray>{U("a"sv), U("é"sv), U("b"sv)};
  QTest::newRow("part abc ") << U("abc"sv) << U(""sv)
                             << QList<QByteArray>{U("!!ValueError: empty separator"sv)}
                             << QList<QByteArray>{U("!!ValueError: empty separator"sv)};
  QTest::newRow("part  x") << U(""sv) << U("x"sv) << QList<QByteArray>{U(""sv), U(""sv), U(""sv)}
                           << QList<QByteArray>{U(""sv), U(""sv), U(""sv)};
  QTest::newRow("part a==b ==") << U("a==b"sv) << U("=="sv)
                                << QList<QByteArray>{U("a"sv), U("=="sv), U("b"sv)}
                                << QList<QByteArray>{U("a"sv), U("=="sv), U("b"sv)};
}

void tst_PyStrings::partition()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, sep);
  QFETCH(QList<QByteArray>, partition);
  QFETCH(QList<QByteArray>, rpartition);
  const std::string t = S8(s), p = S8(sep);
  QCOMPARE(listOutcome([&] { return toList(str_partition(t, p)); }), partition);
  QCOMPARE(listOutcome([&] { return toList(str_rpartition(t, p)); }), rpartition);
}

void tst_PyStrings::expandtabs_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<qint64>("tabsize");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("tabs a/tb 8") << U("a\011b"sv) << 8_i << U("a       b"sv);
  QTest::newRow("tabs a/tbc/t/n/td 4")
      << U("a\011bc\011\012\011d"sv) << 4_i << U("a   bc  \012    d"sv);
  QTest::newRow("tabs a/tb 0") << U("a\011b"sv) << 0_i << U("ab"sv);
  QTest::newRow("tabs a/tb -1") << U("a\011b"sv) << -1_i << U("ab"sv);
  QTest::newRow("tabs /t 1") << U("\011"sv) << 1_i << U(" "sv);
  QTest::newRow("tabs /xe9/tx 4") << U("é\011x"sv) << 4_i << U("é   x"sv);
  QTest::newRow("tabs /u65e5/u672c/t| 4") << U("日本\011|"sv) << 4_i << U("日本  |"sv);
  QTest::newRow("tabs ab/r/tc 4") << U("ab\015\011c"sv) << 4_i << U("ab\015    c"sv);
  QTest::newRow("tabs  8") << U(""sv) << 8_i << U(""sv);
}

void tst_PyStrings::expandtabs()
{
  QFETCH(QByteArray, s);
  QFETCH(qint64, tabsize);
  QFETCH(QByteArray, expected);
  QCOMPARE(U(str_expandtabs(S8(s), tabsize)), expected);
}

void tst_PyStrings::prefixSuffix_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<QByteArray>("fix");
  QTest::addColumn<QByteArray>("removeprefix");
  QTest::addColumn<QByteArray>("removesuffix");
  QTest::newRow("fix hello he") << U("hello"sv) << U("he"sv) << U("llo"sv) << U("hello"sv);
  QTest::newRow("fix hello lo") << U("hello"sv) << U("lo"sv) << U("hello"sv) << U("hel"sv);
  QTest::newRow("fix hello ") << U("hello"sv) << U(""sv) << U("hello"sv) << U("hello"sv);
  QTest::newRow("fix hello hello") << U("hello"sv) << U("hello"sv) << U(""sv) << U(""sv);
  QTest::newRow("fix hello x") << U("hello"sv) << U("x"sv) << U("hello"sv) << U("hello"sv);
  QTest::newRow("fix /xe9a /xe9") << U("éa"sv) << U("é"sv) << U("a"sv) << U("éa"sv);
  QTest::newRow("fix a/xe9 /xe9") << U("aé"sv) << U("é"sv) << U("aé"sv) << U("a"sv);
  QTest::newRow("fix  ") << U(""sv) << U(""sv) << U(""sv) << U(""sv);
}

void tst_PyStrings::prefixSuffix()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, fix);
  QFETCH(QByteArray, removeprefix);
  QFETCH(QByteArray, removesuffix);
  QCOMPARE(U(str_removeprefix(S8(s), S8(fix))), removeprefix);
  QCOMPARE(U(str_removesuffix(S8(s), S8(fix))), removesuffix);
}

void tst_PyStrings::repeat_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<qint64>("n");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("rep ab 3") << U("ab"sv) << 3_i << U("ababab"sv);
  QTest::newRow("rep ab 0") << U("ab"sv) << 0_i << U(""sv);
  QTest::newRow("rep ab -2") << U("ab"sv) << -2_i << U(""sv);
  QTest::newRow("rep  5") << U(""sv) << 5_i << U(""sv);
  QTest::newRow("rep /xe9 2") << U("é"sv) << 2_i << U("éé"sv);
  QTest::newRow("rep ab 4611686018427387904")
      << U("ab"sv) << 4611686018427387904_i << U("!!OverflowError: repeated string is too long"sv);
  QTest::newRow("rep a 1099511627776") << U("a"sv) << 1099511627776_i << U("!!MemoryError"sv);
}

void tst_PyStrings::repeat()
{
  QFETCH(QByteArray, s);
  QFETCH(qint64, n);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return str_repeat(S8(s), n); }), expected);
}

void tst_PyStrings::ordChr_data()
{
  QTest::addColumn<QByteArray>("s");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("ord a") << U("a"sv) << U("97"sv);
  QTest::newRow("ord /xe9") << U("é"sv) << U("233"sv);
  QTest::newRow("ord /U0001f600") << U("😀"sv) << U("128512"sv);
  QTest::newRow("ord /x00") << U("\000"sv) << U("0"sv);
  QTest::newRow("ord ")
      << U(""sv) << U("!!TypeError: ord() expected a character, but string of length 0 found"sv);
  QTest::newRow("ord ab")
      << U("ab"sv) << U("!!TypeError: ord() expected a character, but string of length 2 found"sv);
  QTest::newRow("ord /u65e5/u672c")
      << U("日本"sv)
      << U("!!TypeError: ord() expected a character, but string of length 2 found"sv);
}

void tst_PyStrings::ordChr()
{
  QFETCH(QByteArray, s);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return std::to_string(py_ord(S8(s))); }), expected);
}

void tst_PyStrings::chr_data()
{
  QTest::addColumn<qint64>("i");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("chr 65") << 65_i << U("A"sv);
  QTest::newRow("chr 233") << 233_i << U("é"sv);
  QTest::newRow("chr 128512") << 128512_i << U("😀"sv);
  QTest::newRow("chr 0") << 0_i << U("\000"sv);
  QTest::newRow("chr 1114111") << 1114111_i << U("\364\217\277\277"sv);
  QTest::newRow("chr 1114112") << 1114112_i
                               << U("!!ValueError: chr() arg not in range(0x110000)"sv);
  QTest::newRow("chr -1") << -1_i << U("!!ValueError: chr() arg not in range(0x110000)"sv);
  QTest::newRow("chr 55296") << 55296_i << U("\355\240\200"sv);
}

void tst_PyStrings::chr()
{
  QFETCH(qint64, i);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return py_chr(i); }), expected);
}

void tst_PyStrings::joinAndCodePointOffsets()
{
  // ", ".join(["a", "é", "", "日本"]) == 'a, é, , 日本'
  QCOMPARE(U(str_join(", ", {"a", "é", "", "日本"})), U("a, é, , 日本"));
  QCOMPARE(U(str_join("-", {})), QByteArray());
  QCOMPARE(U(str_join("", {"x"})), QByteArray("x"));
  // len("aé日😀") == 4: bytes 0, 1, 3, 6, end 10.
  const std::string s = "aé日😀";
  QCOMPARE(cp_len(s), std::size_t{4});
  const std::size_t offsets[] = {0, 1, 3, 6, 10, 10};
  for (std::size_t i = 0; i < 6; ++i) {
    QCOMPARE(cp_offset(s, i), offsets[i]);
    QCOMPARE(cp_index(s, offsets[i]), std::min<std::size_t>(i, 4));
  }
  QCOMPARE(to_u32(s), std::u32string(U"aé日😀"));
  QCOMPARE(U(from_u32(U"aé日😀\xD800")), U("aé日😀\355\240\200"));
  // A lone surrogate round-trips; an invalid byte decodes as U+DC80..U+DCFF (repr shows it).
  std::size_t pos = 0;
  QCOMPARE(decode_cp("\355\240\200"sv, pos), char32_t{0xD800});
  QCOMPARE(pos, std::size_t{3});
  pos = 0;
  QCOMPARE(decode_cp("\377"sv, pos), char32_t{0xDCFF});
  QCOMPARE(pos, std::size_t{1});
  pos = 0;
  QCOMPARE(decode_cp("\303"sv, pos), char32_t{0xDCC3});  // truncated sequence
  QCOMPARE(U(str_repr("a\377")), QByteArray("'a\\udcff'"));
  // A step of -2**63 is clamped to -(2**63 - 1), as PySlice_Unpack does.
  const SliceIndices r = normalize_slice(10, std::nullopt, std::nullopt, kMin);
  QCOMPARE(r.step, -kMax);
  QCOMPARE(r.start, 9_i);
  QCOMPARE(r.length, 1_i);
}

void tst_PyStrings::bytesCase_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<QByteArray>("upper");
  QTest::addColumn<QByteArray>("lower");
  QTest::addColumn<QByteArray>("title");
  QTest::addColumn<QByteArray>("capitalize");
  QTest::addColumn<QByteArray>("swapcase");
  // isdigit isalpha isalnum isspace isupper islower istitle, as 0/1.
  QTest::addColumn<QByteArray>("flags");
  QTest::addColumn<QByteArray>("hex");
  QTest::newRow("bcase b''") << U(""sv) << U(""sv) << U(""sv) << U(""sv) << U(""sv) << U(""sv)
                             << U("0000000"sv) << U(""sv);
  QTest::newRow("bcase b'hello world'")
      << U("hello world"sv) << U("HELLO WORLD"sv) << U("hello world"sv) << U("Hello World"sv)
      << U("Hello world"sv) << U("HELLO WORLD"sv) << U("0000010"sv)
      << U("68656c6c6f20776f726c64"sv);
  QTest::newRow("bcase b'Hello World'")
      << U("Hello World"sv) << U("HELLO WORLD"sv) << U("hello world"sv) << U("Hello World"sv)
      << U("Hello world"sv) << U("hELLO wORLD"sv) << U("0000001"sv)
      << U("48656c6c6f20576f726c64"sv);
  QTest::newRow("bcase b'HELLO'") << U("HELLO"sv) << U("HELLO"sv) << U("hello"sv) << U("Hello"sv)
                                  << U("Hello"sv) << U("hello"sv) << U("0110100"sv)
                                  << U("48454c4c4f"sv);
  QTest::newRow("bcase b'caf//xc3//xa9'")
      << U("caf\303\251"sv) << U("CAF\303\251"sv) << U("caf\303\251"sv) << U("Caf\303\251"sv)
      << U("Caf\303\251"sv) << U("CAF\303\251"sv) << U("0000010"sv) << U("636166c3a9"sv);
  QTest::newRow("bcase b'//xe9t//xe9'")
      << U("\351t\351"sv) << U("\351T\351"sv) << U("\351t\351"sv) << U("\351T\351"sv)
      << U("\351t\351"sv) << U("\351T\351"sv) << U("0000010"sv) << U("e974e9"sv);
  QTest::newRow("bcase b'abc123'")
      << U("abc123"sv) << U("ABC123"sv) << U("abc123"sv) << U("Abc123"sv) << U("Abc123"sv)
      << U("ABC123"sv) << U("0010010"sv) << U("616263313233"sv);
  QTest::newRow("bcase b'123'") << U("123"sv) << U("123"sv) << U("123"sv) << U("123"sv)
                                << U("123"sv) << U("123"sv) << U("1010000"sv) << U("313233"sv);
  QTest::newRow("bcase b' //t//n//x0b//x0c//r'")
      << U(" \011\012\013\014\015"sv) << U(" \011\012\013\014\015"sv)
      << U(" \011\012\013\014\015"sv) << U(" \011\012\013\014\015"sv)
      << U(" \011\012\013\014\015"sv) << U(" \011\012\013\014\015"sv) << U("0001000"sv)
      << U("20090a0b0c0d"sv);
  QTest::newRow("bcase b'//x1c//x85'")
      << U("\034\205"sv) << U("\034\205"sv) << U("\034\205"sv) << U("\034\205"sv) << U("\034\205"sv)
      << U("\034\205"sv) << U("0000000"sv) << U("1c85"sv);
  QTest::newRow("bcase b'they/'re bill/'s'")
      << U("they're bill's"sv) << U("THEY'RE BILL'S"sv) << U("they're bill's"sv)
      << U("They'Re Bill'S"sv) << U("They're bill's"sv) << U("THEY'RE BILL'S"sv) << U("0000010"sv)
      << U("746865792772652062696c6c2773"sv);
  QTest::newRow("bcase b'aBc'") << U("aBc"sv) << U("ABC"sv) << U("abc"sv) << U("Abc"sv)
                                << U("Abc"sv) << U("AbC"sv) << U("0110000"sv) << U("614263"sv);
}

void tst_PyStrings::bytesCase()
{
  QFETCH(QByteArray, b);
  QFETCH(QByteArray, upper);
  QFETCH(QByteArray, lower);
  QFETCH(QByteArray, title);
  QFETCH(QByteArray, capitalize);
  QFETCH(QByteArray, swapcase);
  QFETCH(QByteArray, flags);
  QFETCH(QByteArray, hex);
  const std::string t = S8(b);
  QCOMPARE(U(bytes_upper(t)), upper);
  QCOMPARE(U(bytes_lower(t)), lower);
  QCOMPARE(U(bytes_title(t)), title);
  QCOMPARE(U(bytes_capitalize(t)), capitalize);
  QCOMPARE(U(bytes_swapcase(t)), swapcase);
  QByteArray got;
  for (bool x : {bytes_isdigit(t), bytes_isalpha(t), bytes_isalnum(t), bytes_isspace(t),
                 bytes_isupper(t), bytes_islower(t), bytes_istitle(t)})
    got += x ? '1' : '0';
  QCOMPARE(got, flags);
  QCOMPARE(U(bytes_hex(t)), hex);
}

void tst_PyStrings::bytesSplit_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<bool>("hasSep");
  QTest::addColumn<QByteArray>("sep");
  QTest::addColumn<qint64>("maxsplit");
  QTest::addColumn<QList<QByteArray>>("split");
  QTest::addColumn<QList<QByteArray>>("rsplit");
  QTest::newRow("bsplit b' a  b//tc//n' None -1")
      << U(" a  b\011c\012"sv) << false << U(""sv) << -1_i
      << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv)}
      << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv)};
  QTest::newRow("bsplit b'a//x1cb//x85c' None -1")
      << U("a\034b\205c"sv) << false << U(""sv) << -1_i << QList<QByteArray>{U("a\034b\205c"sv)}
      << QList<QByteArray>{U("a\034b\205c"sv)};
  QTest::newRow("bsplit b' a b ' None 1")
      << U(" a b "sv) << false << U(""sv) << 1_i << QList<QByteArray>{U("a"sv), U("b "sv)}
      << QList<QByteArray>{U(" a"sv), U("b"sv)};
  QTest::newRow("bsplit b'a,b,,c' b',' 2") << U("a,b,,c"sv) << true << U(","sv) << 2_i
                                           << QList<QByteArray>{U("a"sv), U("b"sv), U(",c"sv)}
                                           << QList<QByteArray>{U("a,b"sv), U(""sv), U("c"sv)};
  QTest::newRow("bsplit b'//xc3//xa9 x' None -1") << U("\303\251 x"sv) << false << U(""sv) << -1_i
                                                  << QList<QByteArray>{U("\303\251"sv), U("x"sv)}
                                                  << QList<QByteArray>{U("\303\251"sv), U("x"sv)};
}

void tst_PyStrings::bytesSplit()
{
  QFETCH(QByteArray, b);
  QFETCH(bool, hasSep);
  QFETCH(QByteArray, sep);
  QFETCH(qint64, maxsplit);
  QFETCH(QList<QByteArray>, split);
  QFETCH(QList<QByteArray>, rsplit);
  const std::string t = S8(b), p = S8(sep);
  const auto sv = hasSep ? std::optional<std::string_view>(p) : std::nullopt;
  QCOMPARE(toList(bytes_split(t, sv, maxsplit)), split);
  QCOMPARE(toList(bytes_rsplit(t, sv, maxsplit)), rsplit);
}

void tst_PyStrings::bytesSplitlines_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<bool>("keepends");
  QTest::addColumn<QList<QByteArray>>("expected");
  QTest::newRow("blines b'a//r//nb//rc//nd//x0be//x0cf//x1cg//x85' False")
      << U("a\015\012b\015c\012d\013e\014f\034g\205"sv) << false
      << QList<QByteArray>{U("a"sv), U("b"sv), U("c"sv), U("d\013e\014f\034g\205"sv)};
  QTest::newRow("blines b'a//r//nb//rc//nd//x0be//x0cf//x1cg//x85' True")
      << U("a\015\012b\015c\012d\013e\014f\034g\205"sv) << true
      << QList<QByteArray>{U("a\015\012"sv), U("b\015"sv), U("c\012"sv),
                           U("d\013e\014f\034g\205"sv)};
  QTest::newRow("blines b'' False") << U(""sv) << false << QList<QByteArray>{};
  QTest::newRow("blines b'' True") << U(""sv) << true << QList<QByteArray>{};
}

void tst_PyStrings::bytesSplitlines()
{
  QFETCH(QByteArray, b);
  QFETCH(bool, keepends);
  QFETCH(QList<QByteArray>, expected);
  QCOMPARE(toList(bytes_splitlines(S8(b), keepends)), expected);
}

void tst_PyStrings::bytesStrip_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<bool>("hasChars");
  QTest::addColumn<QByteArray>("chars");
  QTest::addColumn<QByteArray>("strip");
  QTest::addColumn<QByteArray>("lstrip");
  QTest::addColumn<QByteArray>("rstrip");
  QTest::newRow("bstrip b' //t//x0b x //x0c//r//n' None")
      << U(" \011\013 x \014\015\012"sv) << false << U(""sv) << U("x"sv) << U("x \014\015\012"sv)
      << U(" \011\013 x"sv);
  QTest::newRow("bstrip b'//x1c//x85 a //x85' None")
      << U("\034\205 a \205"sv) << false << U(""sv) << U("\034\205 a \205"sv)
      << U("\034\205 a \205"sv) << U("\034\205 a \205"sv);
  QTest::newRow("bstrip b'xxaxx' b'x'")
      << U("xxaxx"sv) << true << U("x"sv) << U("a"sv) << U("axx"sv) << U("xxa"sv);
  QTest::newRow("bstrip b'//xc3//xa9a//xc3' b'//xc3'")
      << U("\303\251a\303"sv) << true << U("\303"sv) << U("\251a"sv) << U("\251a\303"sv)
      << U("\303\251a"sv);
}

void tst_PyStrings::bytesStrip()
{
  QFETCH(QByteArray, b);
  QFETCH(bool, hasChars);
  QFETCH(QByteArray, chars);
  QFETCH(QByteArray, strip);
  QFETCH(QByteArray, lstrip);
  QFETCH(QByteArray, rstrip);
  const std::string t = S8(b), c = S8(chars);
  const auto cv = hasChars ? std::optional<std::string_view>(c) : std::nullopt;
  QCOMPARE(U(bytes_strip(t, cv)), strip);
  QCOMPARE(U(bytes_lstrip(t, cv)), lstrip);
  QCOMPARE(U(bytes_rstrip(t, cv)), rstrip);
}

void tst_PyStrings::bytesFind_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<QByteArray>("sub");
  QTest::addColumn<qint64>("start");
  QTest::addColumn<qint64>("end");
  QTest::addColumn<qint64>("find");
  QTest::addColumn<qint64>("rfind");
  QTest::addColumn<qint64>("count");
  QTest::addColumn<bool>("startswith");
  QTest::addColumn<bool>("endswith");
  QTest::addColumn<QByteArray>("index");
  QTest::addColumn<QByteArray>("rindex");
  QTest::newRow("bfind b'hello' b'l' None None")
      << U("hello"sv) << U("l"sv) << kNone << kNone << 2_i << 3_i << 2_i << false << false
      << U("2"sv) << U("3"sv);
  QTest::newRow("bfind b'hello' b'' 5 None") << U("hello"sv) << U(""sv) << 5_i << kNone << 5_i
                                             << 5_i << 1_i << true << true << U("5"sv) << U("5"sv);
  QTest::newRow("bfind b'hello' b'' 6 None")
      << U("hello"sv) << U(""sv) << 6_i << kNone << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: subsection not found"sv) << U("!!ValueError: subsection not found"sv);
  QTest::newRow("bfind b'caf//xc3//xa9 caf//xc3//xa9' b'//xa9' None None")
      << U("caf\303\251 caf\303\251"sv) << U("\251"sv) << kNone << kNone << 4_i << 10_i << 2_i
      << false << true << U("4"sv) << U("10"sv);
  QTest::newRow("bfind b'caf//xc3//xa9' b'f' -3 None")
      << U("caf\303\251"sv) << U("f"sv) << -3_i << kNone << 2_i << 2_i << 1_i << true << false
      << U("2"sv) << U("2"sv);
  QTest::newRow("bfind b'abc' b'z' None None")
      << U("abc"sv) << U("z"sv) << kNone << kNone << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: subsection not found"sv) << U("!!ValueError: subsection not found"sv);
  QTest::newRow("bfind b'hello' b'lo' 3 5") << U("hello"sv) << U("lo"sv) << 3_i << 5_i << 3_i << 3_i
                                            << 1_i << true << true << U("3"sv) << U("3"sv);
  QTest::newRow("bfind b'hello' b'he' None 1")
      << U("hello"sv) << U("he"sv) << kNone << 1_i << -1_i << -1_i << 0_i << false << false
      << U("!!ValueError: subsection not found"sv) << U("!!ValueError: subsection not found"sv);
}

void tst_PyStrings::bytesFind()
{
  QFETCH(QByteArray, b);
  QFETCH(QByteArray, sub);
  QFETCH(qint64, start);
  QFETCH(qint64, end);
  QFETCH(qint64, find);
  QFETCH(qint64, rfind);
  QFETCH(qint64, count);
  QFETCH(bool, startswith);
  QFETCH(bool, endswith);
  QFETCH(QByteArray, index);
  QFETCH(QByteArray, rindex);
  const std::string t = S8(b), u = S8(sub);
  QCOMPARE(qint64(bytes_find(t, u, opt(start), opt(end))), find);
  QCOMPARE(qint64(bytes_rfind(t, u, opt(start), opt(end))), rfind);
  QCOMPARE(qint64(bytes_count(t, u, opt(start), opt(end))), count);
  QCOMPARE(bytes_startswith(t, u, opt(start), opt(end)), startswith);
  QCOMPARE(bytes_endswith(t, u, opt(start), opt(end)), endswith);
  QCOMPARE(outcome([&] { return std::to_string(bytes_index(t, u, opt(start), opt(end))); }), index);
  QCOMPARE(outcome([&] { return std::to_string(bytes_rindex(t, u, opt(start), opt(end))); }),
           rindex);
}

void tst_PyStrings::bytesJustify_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<qint64>("width");
  QTest::addColumn<QByteArray>("fill");
  QTest::addColumn<QByteArray>("center");  // repr of the result, or the error
  QTest::addColumn<QByteArray>("ljust");
  QTest::addColumn<QByteArray>("rjust");
  QTest::addColumn<QByteArray>("zfill");
  QTest::newRow("bjust b'abc' 6 b'*'") << U("abc"sv) << 6_i << U("*"sv) << U("b'*abc**'"sv)
                                       << U("b'abc***'"sv) << U("b'***abc'"sv) << U("000abc"sv);
  QTest::newRow("bjust b'ab' 5 b' '") << U("ab"sv) << 5_i << U(" "sv) << U("b'  ab '"sv)
                                      << U("b'ab   '"sv) << U("b'   ab'"sv) << U("000ab"sv);
  QTest::newRow("bjust b'//xc3//xa9' 4 b'-'")
      << U("\303\251"sv) << 4_i << U("-"sv) << U("b'-\\xc3\\xa9-'"sv) << U("b'\\xc3\\xa9--'"sv)
      << U("b'--\\xc3\\xa9'"sv) << U("00\303\251"sv);
  QTest::newRow("bjust b'abc' 6 b'ab'")
      << U("abc"sv) << 6_i << U("ab"sv)
      << U("!!TypeError: center() argument 2 must be a byte string of length 1, not bytes"sv)
      << U("!!TypeError: ljust() argument 2 must be a byte string of length 1, not bytes"sv)
      << U("!!TypeError: rjust() argument 2 must be a byte string of length 1, not bytes"sv)
      << U("000abc"sv);
  QTest::newRow("bjust b'abc' 6 b''")
      << U("abc"sv) << 6_i << U(""sv)
      << U("!!TypeError: center() argument 2 must be a byte string of length 1, not bytes"sv)
      << U("!!TypeError: ljust() argument 2 must be a byte string of length 1, not bytes"sv)
      << U("!!TypeError: rjust() argument 2 must be a byte string of length 1, not bytes"sv)
      << U("000abc"sv);
  QTest::newRow("bjust b'-5' 4 b' '") << U("-5"sv) << 4_i << U(" "sv) << U("b' -5 '"sv)
                                      << U("b'-5  '"sv) << U("b'  -5'"sv) << U("-005"sv);
}

void tst_PyStrings::bytesJustify()
{
  QFETCH(QByteArray, b);
  QFETCH(qint64, width);
  QFETCH(QByteArray, fill);
  QFETCH(QByteArray, center);
  QFETCH(QByteArray, ljust);
  QFETCH(QByteArray, rjust);
  QFETCH(QByteArray, zfill);
  const std::string t = S8(b), f = S8(fill);
  QCOMPARE(outcome([&] { return bytes_repr(bytes_center(t, width, f)); }), center);
  QCOMPARE(outcome([&] { return bytes_repr(bytes_ljust(t, width, f)); }), ljust);
  QCOMPARE(outcome([&] { return bytes_repr(bytes_rjust(t, width, f)); }), rjust);
  QCOMPARE(U(bytes_zfill(t, width)), zfill);
}

void tst_PyStrings::bytesMisc_data()
{
  QTest::addColumn<QByteArray>("b");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("expandtabs") << U("\303\251\011x"sv) << U("\303\251  x"sv);
  QTest::newRow("replace empty") << U("\303\251"sv) << U("-\303-\251-"sv);
}

void tst_PyStrings::bytesMisc()
{
  QFETCH(QByteArray, b);
  QFETCH(QByteArray, expected);
  const std::string t = S8(b);
  if (QByteArray(QTest::currentDataTag()) == "expandtabs")
    QCOMPARE(U(bytes_expandtabs(t, 4)), expected);
  else
    QCOMPARE(U(bytes_replace(t, "", "-")), expected);
}

void tst_PyStrings::codePoints_data()
{
  QTest::addColumn<uint>("cp");
  QTest::addColumn<int>("props");  // unicode::Prop bits from str.isX() of chr(cp)
  QTest::addColumn<int>("decimal");
  QTest::addColumn<QList<uint>>("upper");
  QTest::addColumn<QList<uint>>("lower");
  QTest::addColumn<QList<uint>>("title");
  QTest::addColumn<QList<uint>>("casefold");
  QTest::newRow("U+0000") << 0x0u << 0x0 << -1 << QList<uint>{0x0} << QList<uint>{0x0}
                          << QList<uint>{0x0} << QList<uint>{0x0};
  QTest::newRow("U+0009") << 0x9u << 0x2 << -1 << QList<uint>{0x9} << QList<uint>{0x9}
                          << QList<uint>{0x9} << QList<uint>{0x9};
  QTest::newRow("U+000A") << 0xAu << 0x2 << -1 << QList<uint>{0xA} << QList<uint>{0xA}
                          << QList<uint>{0xA} << QList<uint>{0xA};
  QTest::newRow("U+001C") << 0x1Cu << 0x2 << -1 << QList<uint>{0x1C} << QList<uint>{0x1C}
                          << QList<uint>{0x1C} << QList<uint>{0x1C};
  QTest::newRow("U+001F") << 0x1Fu << 0x2 << -1 << QList<uint>{0x1F} << QList<uint>{0x1F}
                          << QList<uint>{0x1F} << QList<uint>{0x1F};
  QTest::newRow("U+0020") << 0x20u << 0x3 << -1 << QList<uint>{0x20} << QList<uint>{0x20}
                          << QList<uint>{0x20} << QList<uint>{0x20};
  QTest::newRow("U+0030") << 0x30u << 0x1039 << 0 << QList<uint>{0x30} << QList<uint>{0x30}
                          << QList<uint>{0x30} << QList<uint>{0x30};
  QTest::newRow("U+0039") << 0x39u << 0x1039 << 9 << QList<uint>{0x39} << QList<uint>{0x39}
                          << QList<uint>{0x39} << QList<uint>{0x39};
  QTest::newRow("U+0040") << 0x40u << 0x1 << -1 << QList<uint>{0x40} << QList<uint>{0x40}
                          << QList<uint>{0x40} << QList<uint>{0x40};
  QTest::newRow("U+0041") << 0x41u << 0x1A45 << -1 << QList<uint>{0x41} << QList<uint>{0x61}
                          << QList<uint>{0x41} << QList<uint>{0x61};
  QTest::newRow("U+005F") << 0x5Fu << 0x1801 << -1 << QList<uint>{0x5F} << QList<uint>{0x5F}
                          << QList<uint>{0x5F} << QList<uint>{0x5F};
  QTest::newRow("U+0061") << 0x61u << 0x1A85 << -1 << QList<uint>{0x41} << QList<uint>{0x61}
                          << QList<uint>{0x41} << QList<uint>{0x61};
  QTest::newRow("U+007F") << 0x7Fu << 0x0 << -1 << QList<uint>{0x7F} << QList<uint>{0x7F}
                          << QList<uint>{0x7F} << QList<uint>{0x7F};
  QTest::newRow("U+0085") << 0x85u << 0x2 << -1 << QList<uint>{0x85} << QList<uint>{0x85}
                          << QList<uint>{0x85} << QList<uint>{0x85};
  QTest::newRow("U+00A0") << 0xA0u << 0x2 << -1 << QList<uint>{0xA0} << QList<uint>{0xA0}
                          << QList<uint>{0xA0} << QList<uint>{0xA0};
  QTest::newRow("U+00AA") << 0xAAu << 0x1A85 << -1 << QList<uint>{0xAA} << QList<uint>{0xAA}
                          << QList<uint>{0xAA} << QList<uint>{0xAA};
  QTest::newRow("U+00AD") << 0xADu << 0x400 << -1 << QList<uint>{0xAD} << QList<uint>{0xAD}
                          << QList<uint>{0xAD} << QList<uint>{0xAD};
  QTest::newRow("U+00B2") << 0xB2u << 0x31 << -1 << QList<uint>{0xB2} << QList<uint>{0xB2}
                          << QList<uint>{0xB2} << QList<uint>{0xB2};
  QTest::newRow("U+00B5") << 0xB5u << 0x1A85 << -1 << QList<uint>{0x39C} << QList<uint>{0xB5}
                          << QList<uint>{0x39C} << QList<uint>{0x3BC};
  QTest::newRow("U+00BD") << 0xBDu << 0x21 << -1 << QList<uint>{0xBD} << QList<uint>{0xBD}
                          << QList<uint>{0xBD} << QList<uint>{0xBD};
  QTest::newRow("U+00DF") << 0xDFu << 0x1A85 << -1 << QList<uint>{0x53, 0x53} << QList<uint>{0xDF}
                          << QList<uint>{0x53, 0x73} << QList<uint>{0x73, 0x73};
  QTest::newRow("U+00E9") << 0xE9u << 0x1A85 << -1 << QList<uint>{0xC9} << QList<uint>{0xE9}
                          << QList<uint>{0xC9} << QList<uint>{0xE9};
  QTest::newRow("U+00FF") << 0xFFu << 0x1A85 << -1 << QList<uint>{0x178} << QList<uint>{0xFF}
                          << QList<uint>{0x178} << QList<uint>{0xFF};
  QTest::newRow("U+0130") << 0x130u << 0x1A45 << -1 << QList<uint>{0x130}
                          << QList<uint>{0x69, 0x307} << QList<uint>{0x130}
                          << QList<uint>{0x69, 0x307};
  QTest::newRow("U+0131") << 0x131u << 0x1A85 << -1 << QList<uint>{0x49} << QList<uint>{0x131}
                          << QList<uint>{0x49} << QList<uint>{0x131};
  QTest::newRow("U+0132") << 0x132u << 0x1A45 << -1 << QList<uint>{0x132} << QList<uint>{0x133}
                          << QList<uint>{0x132} << QList<uint>{0x133};
  QTest::newRow("U+0149") << 0x149u << 0x1A85 << -1 << QList<uint>{0x2BC, 0x4E}
                          << QList<uint>{0x149} << QList<uint>{0x2BC, 0x4E}
                          << QList<uint>{0x2BC, 0x6E};
  QTest::newRow("U+015E") << 0x15Eu << 0x1A45 << -1 << QList<uint>{0x15E} << QList<uint>{0x15F}
                          << QList<uint>{0x15E} << QList<uint>{0x15F};
  QTest::newRow("U+017F") << 0x17Fu << 0x1A85 << -1 << QList<uint>{0x53} << QList<uint>{0x17F}
                          << QList<uint>{0x53} << QList<uint>{0x73};
  QTest::newRow("U+01C3") << 0x1C3u << 0x1805 << -1 << QList<uint>{0x1C3} << QList<uint>{0x1C3}
                          << QList<uint>{0x1C3} << QList<uint>{0x1C3};
  QTest::newRow("U+01C5") << 0x1C5u << 0x1B05 << -1 << QList<uint>{0x1C4} << QList<uint>{0x1C6}
                          << QList<uint>{0x1C5} << QList<uint>{0x1C6};
  QTest::newRow("U+01C6") << 0x1C6u << 0x1A85 << -1 << QList<uint>{0x1C4} << QList<uint>{0x1C6}
                          << QList<uint>{0x1C5} << QList<uint>{0x1C6};
  QTest::newRow("U+01C8") << 0x1C8u << 0x1B05 << -1 << QList<uint>{0x1C7} << QList<uint>{0x1C9}
                          << QList<uint>{0x1C8} << QList<uint>{0x1C9};
  QTest::newRow("U+01C9") << 0x1C9u << 0x1A85 << -1 << QList<uint>{0x1C7} << QList<uint>{0x1C9}
                          << QList<uint>{0x1C8} << QList<uint>{0x1C9};
  QTest::newRow("U+01CA") << 0x1CAu << 0x1A45 << -1 << QList<uint>{0x1CA} << QList<uint>{0x1CC}
                          << QList<uint>{0x1CB} << QList<uint>{0x1CC};
  QTest::newRow("U+01DA") << 0x1DAu << 0x1A85 << -1 << QList<uint>{0x1D9} << QList<uint>{0x1DA}
                          << QList<uint>{0x1D9} << QList<uint>{0x1DA};
  QTest::newRow("U+01E9") << 0x1E9u << 0x1A85 << -1 << QList<uint>{0x1E8} << QList<uint>{0x1E9}
                          << QList<uint>{0x1E8} << QList<uint>{0x1E9};
  QTest::newRow("U+01F0") << 0x1F0u << 0x1A85 << -1 << QList<uint>{0x4A, 0x30C}
                          << QList<uint>{0x1F0} << QList<uint>{0x4A, 0x30C}
                          << QList<uint>{0x6A, 0x30C};
  QTest::newRow("U+02B3") << 0x2B3u << 0x1E85 << -1 << QList<uint>{0x2B3} << QList<uint>{0x2B3}
                          << QList<uint>{0x2B3} << QList<uint>{0x2B3};
  QTest::newRow("U+0345") << 0x345u << 0x1681 << -1 << QList<uint>{0x399} << QList<uint>{0x345}
                          << QList<uint>{0x399} << QList<uint>{0x3B9};
  QTest::newRow("U+0378") << 0x378u << 0x0 << -1 << QList<uint>{0x378} << QList<uint>{0x378}
                          << QList<uint>{0x378} << QList<uint>{0x378};
  QTest::newRow("U+0390") << 0x390u << 0x1A85 << -1 << QList<uint>{0x399, 0x308, 0x301}
                          << QList<uint>{0x390} << QList<uint>{0x399, 0x308, 0x301}
                          << QList<uint>{0x3B9, 0x308, 0x301};
  QTest::newRow("U+03A2") << 0x3A2u << 0x0 << -1 << QList<uint>{0x3A2} << QList<uint>{0x3A2}
                          << QList<uint>{0x3A2} << QList<uint>{0x3A2};
  QTest::newRow("U+03A3") << 0x3A3u << 0x1A45 << -1 << QList<uint>{0x3A3} << QList<uint>{0x3C3}
                          << QList<uint>{0x3A3} << QList<uint>{0x3C3};
  QTest::newRow("U+03C2") << 0x3C2u << 0x1A85 << -1 << QList<uint>{0x3A3} << QList<uint>{0x3C2}
                          << QList<uint>{0x3A3} << QList<uint>{0x3C3};
  QTest::newRow("U+03E5") << 0x3E5u << 0x1A85 << -1 << QList<uint>{0x3E4} << QList<uint>{0x3E5}
                          << QList<uint>{0x3E4} << QList<uint>{0x3E5};
  QTest::newRow("U+03F3") << 0x3F3u << 0x1A85 << -1 << QList<uint>{0x37F} << QList<uint>{0x3F3}
                          << QList<uint>{0x37F} << QList<uint>{0x3F3};
  QTest::newRow("U+03F4") << 0x3F4u << 0x1A45 << -1 << QList<uint>{0x3F4} << QList<uint>{0x3B8}
                          << QList<uint>{0x3F4} << QList<uint>{0x3B8};
  QTest::newRow("U+040E") << 0x40Eu << 0x1A45 << -1 << QList<uint>{0x40E} << QList<uint>{0x45E}
                          << QList<uint>{0x40E} << QList<uint>{0x45E};
  QTest::newRow("U+0527") << 0x527u << 0x1A85 << -1 << QList<uint>{0x526} << QList<uint>{0x527}
                          << QList<uint>{0x526} << QList<uint>{0x527};
  QTest::newRow("U+056D") << 0x56Du << 0x1A85 << -1 << QList<uint>{0x53D} << QList<uint>{0x56D}
                          << QList<uint>{0x53D} << QList<uint>{0x56D};
  QTest::newRow("U+056F") << 0x56Fu << 0x1A85 << -1 << QList<uint>{0x53F} << QList<uint>{0x56F}
                          << QList<uint>{0x53F} << QList<uint>{0x56F};
  QTest::newRow("U+058D") << 0x58Du << 0x1 << -1 << QList<uint>{0x58D} << QList<uint>{0x58D}
                          << QList<uint>{0x58D} << QList<uint>{0x58D};
  QTest::newRow("U+0641") << 0x641u << 0x1805 << -1 << QList<uint>{0x641} << QList<uint>{0x641}
                          << QList<uint>{0x641} << QList<uint>{0x641};
  QTest::newRow("U+0660") << 0x660u << 0x1039 << 0 << QList<uint>{0x660} << QList<uint>{0x660}
                          << QList<uint>{0x660} << QList<uint>{0x660};
  QTest::newRow("U+0669") << 0x669u << 0x1039 << 9 << QList<uint>{0x669} << QList<uint>{0x669}
                          << QList<uint>{0x669} << QList<uint>{0x669};
  QTest::newRow("U+0689") << 0x689u << 0x1805 << -1 << QList<uint>{0x689} << QList<uint>{0x689}
                          << QList<uint>{0x689} << QList<uint>{0x689};
  QTest::newRow("U+0693") << 0x693u << 0x1805 << -1 << QList<uint>{0x693} << QList<uint>{0x693}
                          << QList<uint>{0x693} << QList<uint>{0x693};
  QTest::newRow("U+06CA") << 0x6CAu << 0x1805 << -1 << QList<uint>{0x6CA} << QList<uint>{0x6CA}
                          << QList<uint>{0x6CA} << QList<uint>{0x6CA};
  QTest::newRow("U+06F4") << 0x6F4u << 0x1039 << 4 << QList<uint>{0x6F4} << QList<uint>{0x6F4}
                          << QList<uint>{0x6F4} << QList<uint>{0x6F4};
  QTest::newRow("U+07AC") << 0x7ACu << 0x1401 << -1 << QList<uint>{0x7AC} << QList<uint>{0x7AC}
                          << QList<uint>{0x7AC} << QList<uint>{0x7AC};
  QTest::newRow("U+07B3") << 0x7B3u << 0x0 << -1 << QList<uint>{0x7B3} << QList<uint>{0x7B3}
                          << QList<uint>{0x7B3} << QList<uint>{0x7B3};
  QTest::newRow("U+0821") << 0x821u << 0x1401 << -1 << QList<uint>{0x821} << QList<uint>{0x821}
                          << QList<uint>{0x821} << QList<uint>{0x821};
  QTest::newRow("U+085E") << 0x85Eu << 0x1 << -1 << QList<uint>{0x85E} << QList<uint>{0x85E}
                          << QList<uint>{0x85E} << QList<uint>{0x85E};
  QTest::newRow("U+0862") << 0x862u << 0x1805 << -1 << QList<uint>{0x862} << QList<uint>{0x862}
                          << QList<uint>{0x862} << QList<uint>{0x862};
  QTest::newRow("U+0863") << 0x863u << 0x1805 << -1 << QList<uint>{0x863} << QList<uint>{0x863}
                          << QList<uint>{0x863} << QList<uint>{0x863};
  QTest::newRow("U+08E9") << 0x8E9u << 0x1401 << -1 << QList<uint>{0x8E9} << QList<uint>{0x8E9}
                          << QList<uint>{0x8E9} << QList<uint>{0x8E9};
  QTest::newRow("U+090F") << 0x90Fu << 0x1805 << -1 << QList<uint>{0x90F} << QList<uint>{0x90F}
                          << QList<uint>{0x90F} << QList<uint>{0x90F};
  QTest::newRow("U+095A") << 0x95Au << 0x1805 << -1 << QList<uint>{0x95A} << QList<uint>{0x95A}
                          << QList<uint>{0x95A} << QList<uint>{0x95A};
  QTest::newRow("U+0966") << 0x966u << 0x1039 << 0 << QList<uint>{0x966} << QList<uint>{0x966}
                          << QList<uint>{0x966} << QList<uint>{0x966};
  QTest::newRow("U+0996") << 0x996u << 0x1805 << -1 << QList<uint>{0x996} << QList<uint>{0x996}
                          << QList<uint>{0x996} << QList<uint>{0x996};
  QTest::newRow("U+09AC") << 0x9ACu << 0x1805 << -1 << QList<uint>{0x9AC} << QList<uint>{0x9AC}
                          << QList<uint>{0x9AC} << QList<uint>{0x9AC};
  QTest::newRow("U+09B7") << 0x9B7u << 0x1805 << -1 << QList<uint>{0x9B7} << QList<uint>{0x9B7}
                          << QList<uint>{0x9B7} << QList<uint>{0x9B7};
  QTest::newRow("U+09FA") << 0x9FAu << 0x1 << -1 << QList<uint>{0x9FA} << QList<uint>{0x9FA}
                          << QList<uint>{0x9FA} << QList<uint>{0x9FA};
  QTest::newRow("U+0A2A") << 0xA2Au << 0x1805 << -1 << QList<uint>{0xA2A} << QList<uint>{0xA2A}
                          << QList<uint>{0xA2A} << QList<uint>{0xA2A};
  QTest::newRow("U+0AE1") << 0xAE1u << 0x1805 << -1 << QList<uint>{0xAE1} << QList<uint>{0xAE1}
                          << QList<uint>{0xAE1} << QList<uint>{0xAE1};
  QTest::newRow("U+0B07") << 0xB07u << 0x1805 << -1 << QList<uint>{0xB07} << QList<uint>{0xB07}
                          << QList<uint>{0xB07} << QList<uint>{0xB07};
  QTest::newRow("U+0B6C") << 0xB6Cu << 0x1039 << 6 << QList<uint>{0xB6C} << QList<uint>{0xB6C}
                          << QList<uint>{0xB6C} << QList<uint>{0xB6C};
  QTest::newRow("U+0BB8") << 0xBB8u << 0x1805 << -1 << QList<uint>{0xBB8} << QList<uint>{0xBB8}
                          << QList<uint>{0xBB8} << QList<uint>{0xBB8};
  QTest::newRow("U+0C3E") << 0xC3Eu << 0x1401 << -1 << QList<uint>{0xC3E} << QList<uint>{0xC3E}
                          << QList<uint>{0xC3E} << QList<uint>{0xC3E};
  QTest::newRow("U+0C64") << 0xC64u << 0x0 << -1 << QList<uint>{0xC64} << QList<uint>{0xC64}
                          << QList<uint>{0xC64} << QList<uint>{0xC64};
  QTest::newRow("U+0C77") << 0xC77u << 0x1 << -1 << QList<uint>{0xC77} << QList<uint>{0xC77}
                          << QList<uint>{0xC77} << QList<uint>{0xC77};
  QTest::newRow("U+0C96") << 0xC96u << 0x1805 << -1 << QList<uint>{0xC96} << QList<uint>{0xC96}
                          << QList<uint>{0xC96} << QList<uint>{0xC96};
  QTest::newRow("U+0CC1") << 0xCC1u << 0x1001 << -1 << QList<uint>{0xCC1} << QList<uint>{0xCC1}
                          << QList<uint>{0xCC1} << QList<uint>{0xCC1};
  QTest::newRow("U+0CC3") << 0xCC3u << 0x1001 << -1 << QList<uint>{0xCC3} << QList<uint>{0xCC3}
                          << QList<uint>{0xCC3} << QList<uint>{0xCC3};
  QTest::newRow("U+0D14") << 0xD14u << 0x1805 << -1 << QList<uint>{0xD14} << QList<uint>{0xD14}
                          << QList<uint>{0xD14} << QList<uint>{0xD14};
  QTest::newRow("U+0D81") << 0xD81u << 0x1401 << -1 << QList<uint>{0xD81} << QList<uint>{0xD81}
                          << QList<uint>{0xD81} << QList<uint>{0xD81};
  QTest::newRow("U+0D9E") << 0xD9Eu << 0x1805 << -1 << QList<uint>{0xD9E} << QList<uint>{0xD9E}
                          << QList<uint>{0xD9E} << QList<uint>{0xD9E};
  QTest::newRow("U+0E1C") << 0xE1Cu << 0x1805 << -1 << QList<uint>{0xE1C} << QList<uint>{0xE1C}
                          << QList<uint>{0xE1C} << QList<uint>{0xE1C};
  QTest::newRow("U+0E84") << 0xE84u << 0x1805 << -1 << QList<uint>{0xE84} << QList<uint>{0xE84}
                          << QList<uint>{0xE84} << QList<uint>{0xE84};
  QTest::newRow("U+0F64") << 0xF64u << 0x1805 << -1 << QList<uint>{0xF64} << QList<uint>{0xF64}
                          << QList<uint>{0xF64} << QList<uint>{0xF64};
  QTest::newRow("U+0FE7") << 0xFE7u << 0x0 << -1 << QList<uint>{0xFE7} << QList<uint>{0xFE7}
                          << QList<uint>{0xFE7} << QList<uint>{0xFE7};
  QTest::newRow("U+101E") << 0x101Eu << 0x1805 << -1 << QList<uint>{0x101E} << QList<uint>{0x101E}
                          << QList<uint>{0x101E} << QList<uint>{0x101E};
  QTest::newRow("U+1096") << 0x1096u << 0x1039 << 6 << QList<uint>{0x1096} << QList<uint>{0x1096}
                          << QList<uint>{0x1096} << QList<uint>{0x1096};
  QTest::newRow("U+1099") << 0x1099u << 0x1039 << 9 << QList<uint>{0x1099} << QList<uint>{0x1099}
                          << QList<uint>{0x1099} << QList<uint>{0x1099};
  QTest::newRow("U+11B9") << 0x11B9u << 0x1805 << -1 << QList<uint>{0x11B9} << QList<uint>{0x11B9}
                          << QList<uint>{0x11B9} << QList<uint>{0x11B9};
  QTest::newRow("U+11BD") << 0x11BDu << 0x1805 << -1 << QList<uint>{0x11BD} << QList<uint>{0x11BD}
                          << QList<uint>{0x11BD} << QList<uint>{0x11BD};
  QTest::newRow("U+11E1") << 0x11E1u << 0x1805 << -1 << QList<uint>{0x11E1} << QList<uint>{0x11E1}
                          << QList<uint>{0x11E1} << QList<uint>{0x11E1};
  QTest::newRow("U+12BF") << 0x12BFu << 0x0 << -1 << QList<uint>{0x12BF} << QList<uint>{0x12BF}
                          << QList<uint>{0x12BF} << QList<uint>{0x12BF};
  QTest::newRow("U+14D6") << 0x14D6u << 0x1805 << -1 << QList<uint>{0x14D6} << QList<uint>{0x14D6}
                          << QList<uint>{0x14D6} << QList<uint>{0x14D6};
  QTest::newRow("U+14DC") << 0x14DCu << 0x1805 << -1 << QList<uint>{0x14DC} << QList<uint>{0x14DC}
                          << QList<uint>{0x14DC} << QList<uint>{0x14DC};
  QTest::newRow("U+14DD") << 0x14DDu << 0x1805 << -1 << QList<uint>{0x14DD} << QList<uint>{0x14DD}
                          << QList<uint>{0x14DD} << QList<uint>{0x14DD};
  QTest::newRow("U+1547") << 0x1547u << 0x1805 << -1 << QList<uint>{0x1547} << QList<uint>{0x1547}
                          << QList<uint>{0x1547} << QList<uint>{0x1547};
  QTest::newRow("U+159D") << 0x159Du << 0x1805 << -1 << QList<uint>{0x159D} << QList<uint>{0x159D}
                          << QList<uint>{0x159D} << QList<uint>{0x159D};
  QTest::newRow("U+1604") << 0x1604u << 0x1805 << -1 << QList<uint>{0x1604} << QList<uint>{0x1604}
                          << QList<uint>{0x1604} << QList<uint>{0x1604};
  QTest::newRow("U+1608") << 0x1608u << 0x1805 << -1 << QList<uint>{0x1608} << QList<uint>{0x1608}
                          << QList<uint>{0x1608} << QList<uint>{0x1608};
  QTest::newRow("U+165E") << 0x165Eu << 0x1805 << -1 << QList<uint>{0x165E} << QList<uint>{0x165E}
                          << QList<uint>{0x165E} << QList<uint>{0x165E};
  QTest::newRow("U+166D") << 0x166Du << 0x1 << -1 << QList<uint>{0x166D} << QList<uint>{0x166D}
                          << QList<uint>{0x166D} << QList<uint>{0x166D};
  QTest::newRow("U+1680") << 0x1680u << 0x2 << -1 << QList<uint>{0x1680} << QList<uint>{0x1680}
                          << QList<uint>{0x1680} << QList<uint>{0x1680};
  QTest::newRow("U+16A4") << 0x16A4u << 0x1805 << -1 << QList<uint>{0x16A4} << QList<uint>{0x16A4}
                          << QList<uint>{0x16A4} << QList<uint>{0x16A4};
  QTest::newRow("U+16C1") << 0x16C1u << 0x1805 << -1 << QList<uint>{0x16C1} << QList<uint>{0x16C1}
                          << QList<uint>{0x16C1} << QList<uint>{0x16C1};
  QTest::newRow("U+1756") << 0x1756u << 0x0 << -1 << QList<uint>{0x1756} << QList<uint>{0x1756}
                          << QList<uint>{0x1756} << QList<uint>{0x1756};
  QTest::newRow("U+18DD") << 0x18DDu << 0x1805 << -1 << QList<uint>{0x18DD} << QList<uint>{0x18DD}
                          << QList<uint>{0x18DD} << QList<uint>{0x18DD};
  QTest::newRow("U+1955") << 0x1955u << 0x1805 << -1 << QList<uint>{0x1955} << QList<uint>{0x1955}
                          << QList<uint>{0x1955} << QList<uint>{0x1955};
  QTest::newRow("U+19B0") << 0x19B0u << 0x1805 << -1 << QList<uint>{0x19B0} << QList<uint>{0x19B0}
                          << QList<uint>{0x19B0} << QList<uint>{0x19B0};
  QTest::newRow("U+1AD1") << 0x1AD1u << 0x0 << -1 << QList<uint>{0x1AD1} << QList<uint>{0x1AD1}
                          << QList<uint>{0x1AD1} << QList<uint>{0x1AD1};
  QTest::newRow("U+1AEB") << 0x1AEBu << 0x0 << -1 << QList<uint>{0x1AEB} << QList<uint>{0x1AEB}
                          << QList<uint>{0x1AEB} << QList<uint>{0x1AEB};
  QTest::newRow("U+1BC3") << 0x1BC3u << 0x1805 << -1 << QList<uint>{0x1BC3} << QList<uint>{0x1BC3}
                          << QList<uint>{0x1BC3} << QList<uint>{0x1BC3};
  QTest::newRow("U+1BC5") << 0x1BC5u << 0x1805 << -1 << QList<uint>{0x1BC5} << QList<uint>{0x1BC5}
                          << QList<uint>{0x1BC5} << QList<uint>{0x1BC5};
  QTest::newRow("U+1C2B") << 0x1C2Bu << 0x1001 << -1 << QList<uint>{0x1C2B} << QList<uint>{0x1C2B}
                          << QList<uint>{0x1C2B} << QList<uint>{0x1C2B};
  QTest::newRow("U+1C5E") << 0x1C5Eu << 0x1805 << -1 << QList<uint>{0x1C5E} << QList<uint>{0x1C5E}
                          << QList<uint>{0x1C5E} << QList<uint>{0x1C5E};
  QTest::newRow("U+1C9F") << 0x1C9Fu << 0x1A45 << -1 << QList<uint>{0x1C9F} << QList<uint>{0x10DF}
                          << QList<uint>{0x1C9F} << QList<uint>{0x10DF};
  QTest::newRow("U+1CF0") << 0x1CF0u << 0x1805 << -1 << QList<uint>{0x1CF0} << QList<uint>{0x1CF0}
                          << QList<uint>{0x1CF0} << QList<uint>{0x1CF0};
  QTest::newRow("U+1CF3") << 0x1CF3u << 0x1805 << -1 << QList<uint>{0x1CF3} << QList<uint>{0x1CF3}
                          << QList<uint>{0x1CF3} << QList<uint>{0x1CF3};
  QTest::newRow("U+1D52") << 0x1D52u << 0x1E85 << -1 << QList<uint>{0x1D52} << QList<uint>{0x1D52}
                          << QList<uint>{0x1D52} << QList<uint>{0x1D52};
  QTest::newRow("U+1DA4") << 0x1DA4u << 0x1E85 << -1 << QList<uint>{0x1DA4} << QList<uint>{0x1DA4}
                          << QList<uint>{0x1DA4} << QList<uint>{0x1DA4};
  QTest::newRow("U+1DC8") << 0x1DC8u << 0x1401 << -1 << QList<uint>{0x1DC8} << QList<uint>{0x1DC8}
                          << QList<uint>{0x1DC8} << QList<uint>{0x1DC8};
  QTest::newRow("U+1E15") << 0x1E15u << 0x1A85 << -1 << QList<uint>{0x1E14} << QList<uint>{0x1E15}
                          << QList<uint>{0x1E14} << QList<uint>{0x1E15};
  QTest::newRow("U+1E39") << 0x1E39u << 0x1A85 << -1 << QList<uint>{0x1E38} << QList<uint>{0x1E39}
                          << QList<uint>{0x1E38} << QList<uint>{0x1E39};
  QTest::newRow("U+1E4D") << 0x1E4Du << 0x1A85 << -1 << QList<uint>{0x1E4C} << QList<uint>{0x1E4D}
                          << QList<uint>{0x1E4C} << QList<uint>{0x1E4D};
  QTest::newRow("U+1E5B") << 0x1E5Bu << 0x1A85 << -1 << QList<uint>{0x1E5A} << QList<uint>{0x1E5B}
                          << QList<uint>{0x1E5A} << QList<uint>{0x1E5B};
  QTest::newRow("U+1E98") << 0x1E98u << 0x1A85 << -1 << QList<uint>{0x57, 0x30A}
                          << QList<uint>{0x1E98} << QList<uint>{0x57, 0x30A}
                          << QList<uint>{0x77, 0x30A};
  QTest::newRow("U+1E9E") << 0x1E9Eu << 0x1A45 << -1 << QList<uint>{0x1E9E} << QList<uint>{0xDF}
                          << QList<uint>{0x1E9E} << QList<uint>{0x73, 0x73};
  QTest::newRow("U+1EAF") << 0x1EAFu << 0x1A85 << -1 << QList<uint>{0x1EAE} << QList<uint>{0x1EAF}
                          << QList<uint>{0x1EAE} << QList<uint>{0x1EAF};
  QTest::newRow("U+1EE1") << 0x1EE1u << 0x1A85 << -1 << QList<uint>{0x1EE0} << QList<uint>{0x1EE1}
                          << QList<uint>{0x1EE0} << QList<uint>{0x1EE1};
  QTest::newRow("U+1EE3") << 0x1EE3u << 0x1A85 << -1 << QList<uint>{0x1EE2} << QList<uint>{0x1EE3}
                          << QList<uint>{0x1EE2} << QList<uint>{0x1EE3};
  QTest::newRow("U+1F88") << 0x1F88u << 0x1B05 << -1 << QList<uint>{0x1F08, 0x399}
                          << QList<uint>{0x1F80} << QList<uint>{0x1F88}
                          << QList<uint>{0x1F00, 0x3B9};
  QTest::newRow("U+2013") << 0x2013u << 0x1 << -1 << QList<uint>{0x2013} << QList<uint>{0x2013}
                          << QList<uint>{0x2013} << QList<uint>{0x2013};
  QTest::newRow("U+201B") << 0x201Bu << 0x1 << -1 << QList<uint>{0x201B} << QList<uint>{0x201B}
                          << QList<uint>{0x201B} << QList<uint>{0x201B};
  QTest::newRow("U+2028") << 0x2028u << 0x2 << -1 << QList<uint>{0x2028} << QList<uint>{0x2028}
                          << QList<uint>{0x2028} << QList<uint>{0x2028};
  QTest::newRow("U+205A") << 0x205Au << 0x1 << -1 << QList<uint>{0x205A} << QList<uint>{0x205A}
                          << QList<uint>{0x205A} << QList<uint>{0x205A};
  QTest::newRow("U+207E") << 0x207Eu << 0x1 << -1 << QList<uint>{0x207E} << QList<uint>{0x207E}
                          << QList<uint>{0x207E} << QList<uint>{0x207E};
  QTest::newRow("U+2085") << 0x2085u << 0x31 << -1 << QList<uint>{0x2085} << QList<uint>{0x2085}
                          << QList<uint>{0x2085} << QList<uint>{0x2085};
  QTest::newRow("U+20AC") << 0x20ACu << 0x1 << -1 << QList<uint>{0x20AC} << QList<uint>{0x20AC}
                          << QList<uint>{0x20AC} << QList<uint>{0x20AC};
  QTest::newRow("U+20C7") << 0x20C7u << 0x0 << -1 << QList<uint>{0x20C7} << QList<uint>{0x20C7}
                          << QList<uint>{0x20C7} << QList<uint>{0x20C7};
  QTest::newRow("U+2112") << 0x2112u << 0x1A45 << -1 << QList<uint>{0x2112} << QList<uint>{0x2112}
                          << QList<uint>{0x2112} << QList<uint>{0x2112};
  QTest::newRow("U+212C") << 0x212Cu << 0x1A45 << -1 << QList<uint>{0x212C} << QList<uint>{0x212C}
                          << QList<uint>{0x212C} << QList<uint>{0x212C};
  QTest::newRow("U+2160") << 0x2160u << 0x1A61 << -1 << QList<uint>{0x2160} << QList<uint>{0x2170}
                          << QList<uint>{0x2160} << QList<uint>{0x2170};
  QTest::newRow("U+216B") << 0x216Bu << 0x1A61 << -1 << QList<uint>{0x216B} << QList<uint>{0x217B}
                          << QList<uint>{0x216B} << QList<uint>{0x217B};
  QTest::newRow("U+2170") << 0x2170u << 0x1AA1 << -1 << QList<uint>{0x2160} << QList<uint>{0x2170}
                          << QList<uint>{0x2160} << QList<uint>{0x2170};
  QTest::newRow("U+2181") << 0x2181u << 0x1821 << -1 << QList<uint>{0x2181} << QList<uint>{0x2181}
                          << QList<uint>{0x2181} << QList<uint>{0x2181};
  QTest::newRow("U+2188") << 0x2188u << 0x1821 << -1 << QList<uint>{0x2188} << QList<uint>{0x2188}
                          << QList<uint>{0x2188} << QList<uint>{0x2188};
  QTest::newRow("U+21B3") << 0x21B3u << 0x1 << -1 << QList<uint>{0x21B3} << QList<uint>{0x21B3}
                          << QList<uint>{0x21B3} << QList<uint>{0x21B3};
  QTest::newRow("U+21F7") << 0x21F7u << 0x1 << -1 << QList<uint>{0x21F7} << QList<uint>{0x21F7}
                          << QList<uint>{0x21F7} << QList<uint>{0x21F7};
  QTest::newRow("U+2209") << 0x2209u << 0x1 << -1 << QList<uint>{0x2209} << QList<uint>{0x2209}
                          << QList<uint>{0x2209} << QList<uint>{0x2209};
  QTest::newRow("U+2221") << 0x2221u << 0x1 << -1 << QList<uint>{0x2221} << QList<uint>{0x2221}
                          << QList<uint>{0x2221} << QList<uint>{0x2221};
  QTest::newRow("U+22D6") << 0x22D6u << 0x1 << -1 << QList<uint>{0x22D6} << QList<uint>{0x22D6}
                          << QList<uint>{0x22D6} << QList<uint>{0x22D6};
  QTest::newRow("U+2317") << 0x2317u << 0x1 << -1 << QList<uint>{0x2317} << QList<uint>{0x2317}
                          << QList<uint>{0x2317} << QList<uint>{0x2317};
  QTest::newRow("U+231D") << 0x231Du << 0x1 << -1 << QList<uint>{0x231D} << QList<uint>{0x231D}
                          << QList<uint>{0x231D} << QList<uint>{0x231D};
  QTest::newRow("U+238C") << 0x238Cu << 0x1 << -1 << QList<uint>{0x238C} << QList<uint>{0x238C}
                          << QList<uint>{0x238C} << QList<uint>{0x238C};
  QTest::newRow("U+239D") << 0x239Du << 0x1 << -1 << QList<uint>{0x239D} << QList<uint>{0x239D}
                          << QList<uint>{0x239D} << QList<uint>{0x239D};
  QTest::newRow("U+23DB") << 0x23DBu << 0x1 << -1 << QList<uint>{0x23DB} << QList<uint>{0x23DB}
                          << QList<uint>{0x23DB} << QList<uint>{0x23DB};
  QTest::newRow("U+23F3") << 0x23F3u << 0x1 << -1 << QList<uint>{0x23F3} << QList<uint>{0x23F3}
                          << QList<uint>{0x23F3} << QList<uint>{0x23F3};
  QTest::newRow("U+24B6") << 0x24B6u << 0x241 << -1 << QList<uint>{0x24B6} << QList<uint>{0x24D0}
                          << QList<uint>{0x24B6} << QList<uint>{0x24D0};
  QTest::newRow("U+2555") << 0x2555u << 0x1 << -1 << QList<uint>{0x2555} << QList<uint>{0x2555}
                          << QList<uint>{0x2555} << QList<uint>{0x2555};
  QTest::newRow("U+2588") << 0x2588u << 0x1 << -1 << QList<uint>{0x2588} << QList<uint>{0x2588}
                          << QList<uint>{0x2588} << QList<uint>{0x2588};
  QTest::newRow("U+25CF") << 0x25CFu << 0x1 << -1 << QList<uint>{0x25CF} << QList<uint>{0x25CF}
                          << QList<uint>{0x25CF} << QList<uint>{0x25CF};
  QTest::newRow("U+2622") << 0x2622u << 0x1 << -1 << QList<uint>{0x2622} << QList<uint>{0x2622}
                          << QList<uint>{0x2622} << QList<uint>{0x2622};
  QTest::newRow("U+26BA") << 0x26BAu << 0x1 << -1 << QList<uint>{0x26BA} << QList<uint>{0x26BA}
                          << QList<uint>{0x26BA} << QList<uint>{0x26BA};
  QTest::newRow("U+26CA") << 0x26CAu << 0x1 << -1 << QList<uint>{0x26CA} << QList<uint>{0x26CA}
                          << QList<uint>{0x26CA} << QList<uint>{0x26CA};
  QTest::newRow("U+26F2") << 0x26F2u << 0x1 << -1 << QList<uint>{0x26F2} << QList<uint>{0x26F2}
                          << QList<uint>{0x26F2} << QList<uint>{0x26F2};
  QTest::newRow("U+270E") << 0x270Eu << 0x1 << -1 << QList<uint>{0x270E} << QList<uint>{0x270E}
                          << QList<uint>{0x270E} << QList<uint>{0x270E};
  QTest::newRow("U+2724") << 0x2724u << 0x1 << -1 << QList<uint>{0x2724} << QList<uint>{0x2724}
                          << QList<uint>{0x2724} << QList<uint>{0x2724};
  QTest::newRow("U+2733") << 0x2733u << 0x1 << -1 << QList<uint>{0x2733} << QList<uint>{0x2733}
                          << QList<uint>{0x2733} << QList<uint>{0x2733};
  QTest::newRow("U+279F") << 0x279Fu << 0x1 << -1 << QList<uint>{0x279F} << QList<uint>{0x279F}
                          << QList<uint>{0x279F} << QList<uint>{0x279F};
  QTest::newRow("U+27F0") << 0x27F0u << 0x1 << -1 << QList<uint>{0x27F0} << QList<uint>{0x27F0}
                          << QList<uint>{0x27F0} << QList<uint>{0x27F0};
  QTest::newRow("U+28B1") << 0x28B1u << 0x1 << -1 << QList<uint>{0x28B1} << QList<uint>{0x28B1}
                          << QList<uint>{0x28B1} << QList<uint>{0x28B1};
  QTest::newRow("U+2929") << 0x2929u << 0x1 << -1 << QList<uint>{0x2929} << QList<uint>{0x2929}
                          << QList<uint>{0x2929} << QList<uint>{0x2929};
  QTest::newRow("U+2994") << 0x2994u << 0x1 << -1 << QList<uint>{0x2994} << QList<uint>{0x2994}
                          << QList<uint>{0x2994} << QList<uint>{0x2994};
  QTest::newRow("U+29CA") << 0x29CAu << 0x1 << -1 << QList<uint>{0x29CA} << QList<uint>{0x29CA}
                          << QList<uint>{0x29CA} << QList<uint>{0x29CA};
  QTest::newRow("U+29F9") << 0x29F9u << 0x1 << -1 << QList<uint>{0x29F9} << QList<uint>{0x29F9}
                          << QList<uint>{0x29F9} << QList<uint>{0x29F9};
  QTest::newRow("U+2A10") << 0x2A10u << 0x1 << -1 << QList<uint>{0x2A10} << QList<uint>{0x2A10}
                          << QList<uint>{0x2A10} << QList<uint>{0x2A10};
  QTest::newRow("U+2A47") << 0x2A47u << 0x1 << -1 << QList<uint>{0x2A47} << QList<uint>{0x2A47}
                          << QList<uint>{0x2A47} << QList<uint>{0x2A47};
  QTest::newRow("U+2A65") << 0x2A65u << 0x1 << -1 << QList<uint>{0x2A65} << QList<uint>{0x2A65}
                          << QList<uint>{0x2A65} << QList<uint>{0x2A65};
  QTest::newRow("U+2BAB") << 0x2BABu << 0x1 << -1 << QList<uint>{0x2BAB} << QList<uint>{0x2BAB}
                          << QList<uint>{0x2BAB} << QList<uint>{0x2BAB};
  QTest::newRow("U+2C52") << 0x2C52u << 0x1A85 << -1 << QList<uint>{0x2C22} << QList<uint>{0x2C52}
                          << QList<uint>{0x2C22} << QList<uint>{0x2C52};
  QTest::newRow("U+2C55") << 0x2C55u << 0x1A85 << -1 << QList<uint>{0x2C25} << QList<uint>{0x2C55}
                          << QList<uint>{0x2C25} << QList<uint>{0x2C55};
  QTest::newRow("U+2D89") << 0x2D89u << 0x1805 << -1 << QList<uint>{0x2D89} << QList<uint>{0x2D89}
                          << QList<uint>{0x2D89} << QList<uint>{0x2D89};
  QTest::newRow("U+2E32") << 0x2E32u << 0x1 << -1 << QList<uint>{0x2E32} << QList<uint>{0x2E32}
                          << QList<uint>{0x2E32} << QList<uint>{0x2E32};
  QTest::newRow("U+2E47") << 0x2E47u << 0x1 << -1 << QList<uint>{0x2E47} << QList<uint>{0x2E47}
                          << QList<uint>{0x2E47} << QList<uint>{0x2E47};
  QTest::newRow("U+2E63") << 0x2E63u << 0x0 << -1 << QList<uint>{0x2E63} << QList<uint>{0x2E63}
                          << QList<uint>{0x2E63} << QList<uint>{0x2E63};
  QTest::newRow("U+2E69") << 0x2E69u << 0x0 << -1 << QList<uint>{0x2E69} << QList<uint>{0x2E69}
                          << QList<uint>{0x2E69} << QList<uint>{0x2E69};
  QTest::newRow("U+2E7C") << 0x2E7Cu << 0x0 << -1 << QList<uint>{0x2E7C} << QList<uint>{0x2E7C}
                          << QList<uint>{0x2E7C} << QList<uint>{0x2E7C};
  QTest::newRow("U+2EC8") << 0x2EC8u << 0x1 << -1 << QList<uint>{0x2EC8} << QList<uint>{0x2EC8}
                          << QList<uint>{0x2EC8} << QList<uint>{0x2EC8};
  QTest::newRow("U+2F5A") << 0x2F5Au << 0x1 << -1 << QList<uint>{0x2F5A} << QList<uint>{0x2F5A}
                          << QList<uint>{0x2F5A} << QList<uint>{0x2F5A};
  QTest::newRow("U+2F93") << 0x2F93u << 0x1 << -1 << QList<uint>{0x2F93} << QList<uint>{0x2F93}
                          << QList<uint>{0x2F93} << QList<uint>{0x2F93};
  QTest::newRow("U+2FF7") << 0x2FF7u << 0x1 << -1 << QList<uint>{0x2FF7} << QList<uint>{0x2FF7}
                          << QList<uint>{0x2FF7} << QList<uint>{0x2FF7};
  QTest::newRow("U+3000") << 0x3000u << 0x2 << -1 << QList<uint>{0x3000} << QList<uint>{0x3000}
                          << QList<uint>{0x3000} << QList<uint>{0x3000};
  QTest::newRow("U+3007") << 0x3007u << 0x1821 << -1 << QList<uint>{0x3007} << QList<uint>{0x3007}
                          << QList<uint>{0x3007} << QList<uint>{0x3007};
  QTest::newRow("U+4E00") << 0x4E00u << 0x1825 << -1 << QList<uint>{0x4E00} << QList<uint>{0x4E00}
                          << QList<uint>{0x4E00} << QList<uint>{0x4E00};
  QTest::newRow("U+62D2") << 0x62D2u << 0x1805 << -1 << QList<uint>{0x62D2} << QList<uint>{0x62D2}
                          << QList<uint>{0x62D2} << QList<uint>{0x62D2};
  QTest::newRow("U+B8D5") << 0xB8D5u << 0x1805 << -1 << QList<uint>{0xB8D5} << QList<uint>{0xB8D5}
                          << QList<uint>{0xB8D5} << QList<uint>{0xB8D5};
  QTest::newRow("U+BD33") << 0xBD33u << 0x1805 << -1 << QList<uint>{0xBD33} << QList<uint>{0xBD33}
                          << QList<uint>{0xBD33} << QList<uint>{0xBD33};
  QTest::newRow("U+D0E7") << 0xD0E7u << 0x1805 << -1 << QList<uint>{0xD0E7} << QList<uint>{0xD0E7}
                          << QList<uint>{0xD0E7} << QList<uint>{0xD0E7};
  QTest::newRow("U+D800") << 0xD800u << 0x0 << -1 << QList<uint>{0xD800} << QList<uint>{0xD800}
                          << QList<uint>{0xD800} << QList<uint>{0xD800};
  QTest::newRow("U+DD88") << 0xDD88u << 0x0 << -1 << QList<uint>{0xDD88} << QList<uint>{0xDD88}
                          << QList<uint>{0xDD88} << QList<uint>{0xDD88};
  QTest::newRow("U+DFFF") << 0xDFFFu << 0x0 << -1 << QList<uint>{0xDFFF} << QList<uint>{0xDFFF}
                          << QList<uint>{0xDFFF} << QList<uint>{0xDFFF};
  QTest::newRow("U+E000") << 0xE000u << 0x0 << -1 << QList<uint>{0xE000} << QList<uint>{0xE000}
                          << QList<uint>{0xE000} << QList<uint>{0xE000};
  QTest::newRow("U+FB01") << 0xFB01u << 0x1A85 << -1 << QList<uint>{0x46, 0x49}
                          << QList<uint>{0xFB01} << QList<uint>{0x46, 0x69}
                          << QList<uint>{0x66, 0x69};
  QTest::newRow("U+FB06") << 0xFB06u << 0x1A85 << -1 << QList<uint>{0x53, 0x54}
                          << QList<uint>{0xFB06} << QList<uint>{0x53, 0x74}
                          << QList<uint>{0x73, 0x74};
  QTest::newRow("U+FEFF") << 0xFEFFu << 0x400 << -1 << QList<uint>{0xFEFF} << QList<uint>{0xFEFF}
                          << QList<uint>{0xFEFF} << QList<uint>{0xFEFF};
  QTest::newRow("U+FF10") << 0xFF10u << 0x1039 << 0 << QList<uint>{0xFF10} << QList<uint>{0xFF10}
                          << QList<uint>{0xFF10} << QList<uint>{0xFF10};
  QTest::newRow("U+FF21") << 0xFF21u << 0x1A45 << -1 << QList<uint>{0xFF21} << QList<uint>{0xFF41}
                          << QList<uint>{0xFF21} << QList<uint>{0xFF41};
  QTest::newRow("U+10400") << 0x10400u << 0x1A45 << -1 << QList<uint>{0x10400}
                           << QList<uint>{0x10428} << QList<uint>{0x10400} << QList<uint>{0x10428};
  QTest::newRow("U+1332A") << 0x1332Au << 0x1805 << -1 << QList<uint>{0x1332A}
                           << QList<uint>{0x1332A} << QList<uint>{0x1332A} << QList<uint>{0x1332A};
  QTest::newRow("U+1412F") << 0x1412Fu << 0x0 << -1 << QList<uint>{0x1412F} << QList<uint>{0x1412F}
                           << QList<uint>{0x1412F} << QList<uint>{0x1412F};
  QTest::newRow("U+17D9A") << 0x17D9Au << 0x1805 << -1 << QList<uint>{0x17D9A}
                           << QList<uint>{0x17D9A} << QList<uint>{0x17D9A} << QList<uint>{0x17D9A};
  QTest::newRow("U+18B8F") << 0x18B8Fu << 0x1805 << -1 << QList<uint>{0x18B8F}
                           << QList<uint>{0x18B8F} << QList<uint>{0x18B8F} << QList<uint>{0x18B8F};
  QTest::newRow("U+1963C") << 0x1963Cu << 0x0 << -1 << QList<uint>{0x1963C} << QList<uint>{0x1963C}
                           << QList<uint>{0x1963C} << QList<uint>{0x1963C};
  QTest::newRow("U+1AEB3") << 0x1AEB3u << 0x0 << -1 << QList<uint>{0x1AEB3} << QList<uint>{0x1AEB3}
                           << QList<uint>{0x1AEB3} << QList<uint>{0x1AEB3};
  QTest::newRow("U+1BA4F") << 0x1BA4Fu << 0x0 << -1 << QList<uint>{0x1BA4F} << QList<uint>{0x1BA4F}
                           << QList<uint>{0x1BA4F} << QList<uint>{0x1BA4F};
  QTest::newRow("U+1D7CE") << 0x1D7CEu << 0x1039 << 0 << QList<uint>{0x1D7CE}
                           << QList<uint>{0x1D7CE} << QList<uint>{0x1D7CE} << QList<uint>{0x1D7CE};
  QTest::newRow("U+1DB20") << 0x1DB20u << 0x0 << -1 << QList<uint>{0x1DB20} << QList<uint>{0x1DB20}
                           << QList<uint>{0x1DB20} << QList<uint>{0x1DB20};
  QTest::newRow("U+1E2F4") << 0x1E2F4u << 0x1039 << 4 << QList<uint>{0x1E2F4}
                           << QList<uint>{0x1E2F4} << QList<uint>{0x1E2F4} << QList<uint>{0x1E2F4};
  QTest::newRow("U+1E43B") << 0x1E43Bu << 0x0 << -1 << QList<uint>{0x1E43B} << QList<uint>{0x1E43B}
                           << QList<uint>{0x1E43B} << QList<uint>{0x1E43B};
  QTest::newRow("U+1E840") << 0x1E840u << 0x1805 << -1 << QList<uint>{0x1E840}
                           << QList<uint>{0x1E840} << QList<uint>{0x1E840} << QList<uint>{0x1E840};
  QTest::newRow("U+1F101") << 0x1F101u << 0x31 << -1 << QList<uint>{0x1F101} << QList<uint>{0x1F101}
                           << QList<uint>{0x1F101} << QList<uint>{0x1F101};
  QTest::newRow("U+1F600") << 0x1F600u << 0x1 << -1 << QList<uint>{0x1F600} << QList<uint>{0x1F600}
                           << QList<uint>{0x1F600} << QList<uint>{0x1F600};
  QTest::newRow("U+1FAC6") << 0x1FAC6u << 0x0 << -1 << QList<uint>{0x1FAC6} << QList<uint>{0x1FAC6}
                           << QList<uint>{0x1FAC6} << QList<uint>{0x1FAC6};
  QTest::newRow("U+1FDEF") << 0x1FDEFu << 0x0 << -1 << QList<uint>{0x1FDEF} << QList<uint>{0x1FDEF}
                           << QList<uint>{0x1FDEF} << QList<uint>{0x1FDEF};
  QTest::newRow("U+2025E") << 0x2025Eu << 0x1805 << -1 << QList<uint>{0x2025E}
                           << QList<uint>{0x2025E} << QList<uint>{0x2025E} << QList<uint>{0x2025E};
  QTest::newRow("U+2147A") << 0x2147Au << 0x1805 << -1 << QList<uint>{0x2147A}
                           << QList<uint>{0x2147A} << QList<uint>{0x2147A} << QList<uint>{0x2147A};
  QTest::newRow("U+227B6") << 0x227B6u << 0x1805 << -1 << QList<uint>{0x227B6}
                           << QList<uint>{0x227B6} << QList<uint>{0x227B6} << QList<uint>{0x227B6};
  QTest::newRow("U+2334E") << 0x2334Eu << 0x1805 << -1 << QList<uint>{0x2334E}
                           << QList<uint>{0x2334E} << QList<uint>{0x2334E} << QList<uint>{0x2334E};
  QTest::newRow("U+23C41") << 0x23C41u << 0x1805 << -1 << QList<uint>{0x23C41}
                           << QList<uint>{0x23C41} << QList<uint>{0x23C41} << QList<uint>{0x23C41};
  QTest::newRow("U+24006") << 0x24006u << 0x1805 << -1 << QList<uint>{0x24006}
                           << QList<uint>{0x24006} << QList<uint>{0x24006} << QList<uint>{0x24006};
  QTest::newRow("U+25165") << 0x25165u << 0x1805 << -1 << QList<uint>{0x25165}
                           << QList<uint>{0x25165} << QList<uint>{0x25165} << QList<uint>{0x25165};
  QTest::newRow("U+257A9") << 0x257A9u << 0x1805 << -1 << QList<uint>{0x257A9}
                           << QList<uint>{0x257A9} << QList<uint>{0x257A9} << QList<uint>{0x257A9};
  QTest::newRow("U+27BDD") << 0x27BDDu << 0x1805 << -1 << QList<uint>{0x27BDD}
                           << QList<uint>{0x27BDD} << QList<uint>{0x27BDD} << QList<uint>{0x27BDD};
  QTest::newRow("U+2941F") << 0x2941Fu << 0x1805 << -1 << QList<uint>{0x2941F}
                           << QList<uint>{0x2941F} << QList<uint>{0x2941F} << QList<uint>{0x2941F};
  QTest::newRow("U+29E8E") << 0x29E8Eu << 0x1805 << -1 << QList<uint>{0x29E8E}
                           << QList<uint>{0x29E8E} << QList<uint>{0x29E8E} << QList<uint>{0x29E8E};
  QTest::newRow("U+2A7CF") << 0x2A7CFu << 0x1805 << -1 << QList<uint>{0x2A7CF}
                           << QList<uint>{0x2A7CF} << QList<uint>{0x2A7CF} << QList<uint>{0x2A7CF};
  QTest::newRow("U+2BF91") << 0x2BF91u << 0x1805 << -1 << QList<uint>{0x2BF91}
                           << QList<uint>{0x2BF91} << QList<uint>{0x2BF91} << QList<uint>{0x2BF91};
  QTest::newRow("U+2C014") << 0x2C014u << 0x1805 << -1 << QList<uint>{0x2C014}
                           << QList<uint>{0x2C014} << QList<uint>{0x2C014} << QList<uint>{0x2C014};
  QTest::newRow("U+2E71E") << 0x2E71Eu << 0x1805 << -1 << QList<uint>{0x2E71E}
                           << QList<uint>{0x2E71E} << QList<uint>{0x2E71E} << QList<uint>{0x2E71E};
  QTest::newRow("U+2E98E") << 0x2E98Eu << 0x1805 << -1 << QList<uint>{0x2E98E}
                           << QList<uint>{0x2E98E} << QList<uint>{0x2E98E} << QList<uint>{0x2E98E};
  QTest::newRow("U+2FEBD") << 0x2FEBDu << 0x0 << -1 << QList<uint>{0x2FEBD} << QList<uint>{0x2FEBD}
                           << QList<uint>{0x2FEBD} << QList<uint>{0x2FEBD};
  QTest::newRow("U+3031D") << 0x3031Du << 0x1805 << -1 << QList<uint>{0x3031D}
                           << QList<uint>{0x3031D} << QList<uint>{0x3031D} << QList<uint>{0x3031D};
  QTest::newRow("U+31E26") << 0x31E26u << 0x0 << -1 << QList<uint>{0x31E26} << QList<uint>{0x31E26}
                           << QList<uint>{0x31E26} << QList<uint>{0x31E26};
  QTest::newRow("U+33F32") << 0x33F32u << 0x0 << -1 << QList<uint>{0x33F32} << QList<uint>{0x33F32}
                           << QList<uint>{0x33F32} << QList<uint>{0x33F32};
  QTest::newRow("U+3451E") << 0x3451Eu << 0x0 << -1 << QList<uint>{0x3451E} << QList<uint>{0x3451E}
                           << QList<uint>{0x3451E} << QList<uint>{0x3451E};
  QTest::newRow("U+346B1") << 0x346B1u << 0x0 << -1 << QList<uint>{0x346B1} << QList<uint>{0x346B1}
                           << QList<uint>{0x346B1} << QList<uint>{0x346B1};
  QTest::newRow("U+34C3B") << 0x34C3Bu << 0x0 << -1 << QList<uint>{0x34C3B} << QList<uint>{0x34C3B}
                           << QList<uint>{0x34C3B} << QList<uint>{0x34C3B};
  QTest::newRow("U+3502D") << 0x3502Du << 0x0 << -1 << QList<uint>{0x3502D} << QList<uint>{0x3502D}
                           << QList<uint>{0x3502D} << QList<uint>{0x3502D};
  QTest::newRow("U+38488") << 0x38488u << 0x0 << -1 << QList<uint>{0x38488} << QList<uint>{0x38488}
                           << QList<uint>{0x38488} << QList<uint>{0x38488};
  QTest::newRow("U+3B0F9") << 0x3B0F9u << 0x0 << -1 << QList<uint>{0x3B0F9} << QList<uint>{0x3B0F9}
                           << QList<uint>{0x3B0F9} << QList<uint>{0x3B0F9};
  QTest::newRow("U+3BF3F") << 0x3BF3Fu << 0x0 << -1 << QList<uint>{0x3BF3F} << QList<uint>{0x3BF3F}
                           << QList<uint>{0x3BF3F} << QList<uint>{0x3BF3F};
  QTest::newRow("U+3C4F4") << 0x3C4F4u << 0x0 << -1 << QList<uint>{0x3C4F4} << QList<uint>{0x3C4F4}
                           << QList<uint>{0x3C4F4} << QList<uint>{0x3C4F4};
  QTest::newRow("U+3C731") << 0x3C731u << 0x0 << -1 << QList<uint>{0x3C731} << QList<uint>{0x3C731}
                           << QList<uint>{0x3C731} << QList<uint>{0x3C731};
  QTest::newRow("U+3EE52") << 0x3EE52u << 0x0 << -1 << QList<uint>{0x3EE52} << QList<uint>{0x3EE52}
                           << QList<uint>{0x3EE52} << QList<uint>{0x3EE52};
  QTest::newRow("U+3F62F") << 0x3F62Fu << 0x0 << -1 << QList<uint>{0x3F62F} << QList<uint>{0x3F62F}
                           << QList<uint>{0x3F62F} << QList<uint>{0x3F62F};
  QTest::newRow("U+40406") << 0x40406u << 0x0 << -1 << QList<uint>{0x40406} << QList<uint>{0x40406}
                           << QList<uint>{0x40406} << QList<uint>{0x40406};
  QTest::newRow("U+4238E") << 0x4238Eu << 0x0 << -1 << QList<uint>{0x4238E} << QList<uint>{0x4238E}
                           << QList<uint>{0x4238E} << QList<uint>{0x4238E};
  QTest::newRow("U+442F7") << 0x442F7u << 0x0 << -1 << QList<uint>{0x442F7} << QList<uint>{0x442F7}
                           << QList<uint>{0x442F7} << QList<uint>{0x442F7};
  QTest::newRow("U+461B2") << 0x461B2u << 0x0 << -1 << QList<uint>{0x461B2} << QList<uint>{0x461B2}
                           << QList<uint>{0x461B2} << QList<uint>{0x461B2};
  QTest::newRow("U+49C9C") << 0x49C9Cu << 0x0 << -1 << QList<uint>{0x49C9C} << QList<uint>{0x49C9C}
                           << QList<uint>{0x49C9C} << QList<uint>{0x49C9C};
  QTest::newRow("U+49DBC") << 0x49DBCu << 0x0 << -1 << QList<uint>{0x49DBC} << QList<uint>{0x49DBC}
                           << QList<uint>{0x49DBC} << QList<uint>{0x49DBC};
  QTest::newRow("U+4A961") << 0x4A961u << 0x0 << -1 << QList<uint>{0x4A961} << QList<uint>{0x4A961}
                           << QList<uint>{0x4A961} << QList<uint>{0x4A961};
  QTest::newRow("U+4B0F7") << 0x4B0F7u << 0x0 << -1 << QList<uint>{0x4B0F7} << QList<uint>{0x4B0F7}
                           << QList<uint>{0x4B0F7} << QList<uint>{0x4B0F7};
  QTest::newRow("U+4C0EC") << 0x4C0ECu << 0x0 << -1 << QList<uint>{0x4C0EC} << QList<uint>{0x4C0EC}
                           << QList<uint>{0x4C0EC} << QList<uint>{0x4C0EC};
  QTest::newRow("U+4D3C1") << 0x4D3C1u << 0x0 << -1 << QList<uint>{0x4D3C1} << QList<uint>{0x4D3C1}
                           << QList<uint>{0x4D3C1} << QList<uint>{0x4D3C1};
  QTest::newRow("U+4D458") << 0x4D458u << 0x0 << -1 << QList<uint>{0x4D458} << QList<uint>{0x4D458}
                           << QList<uint>{0x4D458} << QList<uint>{0x4D458};
  QTest::newRow("U+4D729") << 0x4D729u << 0x0 << -1 << QList<uint>{0x4D729} << QList<uint>{0x4D729}
                           << QList<uint>{0x4D729} << QList<uint>{0x4D729};
  QTest::newRow("U+4D76F") << 0x4D76Fu << 0x0 << -1 << QList<uint>{0x4D76F} << QList<uint>{0x4D76F}
                           << QList<uint>{0x4D76F} << QList<uint>{0x4D76F};
  QTest::newRow("U+4DD0E") << 0x4DD0Eu << 0x0 << -1 << QList<uint>{0x4DD0E} << QList<uint>{0x4DD0E}
                           << QList<uint>{0x4DD0E} << QList<uint>{0x4DD0E};
  QTest::newRow("U+52A81") << 0x52A81u << 0x0 << -1 << QList<uint>{0x52A81} << QList<uint>{0x52A81}
                           << QList<uint>{0x52A81} << QList<uint>{0x52A81};
  QTest::newRow("U+53196") << 0x53196u << 0x0 << -1 << QList<uint>{0x53196} << QList<uint>{0x53196}
                           << QList<uint>{0x53196} << QList<uint>{0x53196};
  QTest::newRow("U+5475E") << 0x5475Eu << 0x0 << -1 << QList<uint>{0x5475E} << QList<uint>{0x5475E}
                           << QList<uint>{0x5475E} << QList<uint>{0x5475E};
  QTest::newRow("U+552DF") << 0x552DFu << 0x0 << -1 << QList<uint>{0x552DF} << QList<uint>{0x552DF}
                           << QList<uint>{0x552DF} << QList<uint>{0x552DF};
  QTest::newRow("U+55868") << 0x55868u << 0x0 << -1 << QList<uint>{0x55868} << QList<uint>{0x55868}
                           << QList<uint>{0x55868} << QList<uint>{0x55868};
  QTest::newRow("U+560A6") << 0x560A6u << 0x0 << -1 << QList<uint>{0x560A6} << QList<uint>{0x560A6}
                           << QList<uint>{0x560A6} << QList<uint>{0x560A6};
  QTest::newRow("U+5A393") << 0x5A393u << 0x0 << -1 << QList<uint>{0x5A393} << QList<uint>{0x5A393}
                           << QList<uint>{0x5A393} << QList<uint>{0x5A393};
  QTest::newRow("U+5C0A6") << 0x5C0A6u << 0x0 << -1 << QList<uint>{0x5C0A6} << QList<uint>{0x5C0A6}
                           << QList<uint>{0x5C0A6} << QList<uint>{0x5C0A6};
  QTest::newRow("U+5C882") << 0x5C882u << 0x0 << -1 << QList<uint>{0x5C882} << QList<uint>{0x5C882}
                           << QList<uint>{0x5C882} << QList<uint>{0x5C882};
  QTest::newRow("U+5D5C0") << 0x5D5C0u << 0x0 << -1 << QList<uint>{0x5D5C0} << QList<uint>{0x5D5C0}
                           << QList<uint>{0x5D5C0} << QList<uint>{0x5D5C0};
  QTest::newRow("U+6030A") << 0x6030Au << 0x0 << -1 << QList<uint>{0x6030A} << QList<uint>{0x6030A}
                           << QList<uint>{0x6030A} << QList<uint>{0x6030A};
  QTest::newRow("U+61979") << 0x61979u << 0x0 << -1 << QList<uint>{0x61979} << QList<uint>{0x61979}
                           << QList<uint>{0x61979} << QList<uint>{0x61979};
  QTest::newRow("U+63EA2") << 0x63EA2u << 0x0 << -1 << QList<uint>{0x63EA2} << QList<uint>{0x63EA2}
                           << QList<uint>{0x63EA2} << QList<uint>{0x63EA2};
  QTest::newRow("U+665BA") << 0x665BAu << 0x0 << -1 << QList<uint>{0x665BA} << QList<uint>{0x665BA}
                           << QList<uint>{0x665BA} << QList<uint>{0x665BA};
  QTest::newRow("U+6911F") << 0x6911Fu << 0x0 << -1 << QList<uint>{0x6911F} << QList<uint>{0x6911F}
                           << QList<uint>{0x6911F} << QList<uint>{0x6911F};
  QTest::newRow("U+69736") << 0x69736u << 0x0 << -1 << QList<uint>{0x69736} << QList<uint>{0x69736}
                           << QList<uint>{0x69736} << QList<uint>{0x69736};
  QTest::newRow("U+6A78C") << 0x6A78Cu << 0x0 << -1 << QList<uint>{0x6A78C} << QList<uint>{0x6A78C}
                           << QList<uint>{0x6A78C} << QList<uint>{0x6A78C};
  QTest::newRow("U+6AE30") << 0x6AE30u << 0x0 << -1 << QList<uint>{0x6AE30} << QList<uint>{0x6AE30}
                           << QList<uint>{0x6AE30} << QList<uint>{0x6AE30};
  QTest::newRow("U+6DECE") << 0x6DECEu << 0x0 << -1 << QList<uint>{0x6DECE} << QList<uint>{0x6DECE}
                           << QList<uint>{0x6DECE} << QList<uint>{0x6DECE};
  QTest::newRow("U+6FB8E") << 0x6FB8Eu << 0x0 << -1 << QList<uint>{0x6FB8E} << QList<uint>{0x6FB8E}
                           << QList<uint>{0x6FB8E} << QList<uint>{0x6FB8E};
  QTest::newRow("U+7131A") << 0x7131Au << 0x0 << -1 << QList<uint>{0x7131A} << QList<uint>{0x7131A}
                           << QList<uint>{0x7131A} << QList<uint>{0x7131A};
  QTest::newRow("U+7211E") << 0x7211Eu << 0x0 << -1 << QList<uint>{0x7211E} << QList<uint>{0x7211E}
                           << QList<uint>{0x7211E} << QList<uint>{0x7211E};
  QTest::newRow("U+72328") << 0x72328u << 0x0 << -1 << QList<uint>{0x72328} << QList<uint>{0x72328}
                           << QList<uint>{0x72328} << QList<uint>{0x72328};
  QTest::newRow("U+724C6") << 0x724C6u << 0x0 << -1 << QList<uint>{0x724C6} << QList<uint>{0x724C6}
                           << QList<uint>{0x724C6} << QList<uint>{0x724C6};
  QTest::newRow("U+74173") << 0x74173u << 0x0 << -1 << QList<uint>{0x74173} << QList<uint>{0x74173}
                           << QList<uint>{0x74173} << QList<uint>{0x74173};
  QTest::newRow("U+76250") << 0x76250u << 0x0 << -1 << QList<uint>{0x76250} << QList<uint>{0x76250}
                           << QList<uint>{0x76250} << QList<uint>{0x76250};
  QTest::newRow("U+76C30") << 0x76C30u << 0x0 << -1 << QList<uint>{0x76C30} << QList<uint>{0x76C30}
                           << QList<uint>{0x76C30} << QList<uint>{0x76C30};
  QTest::newRow("U+7777D") << 0x7777Du << 0x0 << -1 << QList<uint>{0x7777D} << QList<uint>{0x7777D}
                           << QList<uint>{0x7777D} << QList<uint>{0x7777D};
  QTest::newRow("U+7A910") << 0x7A910u << 0x0 << -1 << QList<uint>{0x7A910} << QList<uint>{0x7A910}
                           << QList<uint>{0x7A910} << QList<uint>{0x7A910};
  QTest::newRow("U+7B382") << 0x7B382u << 0x0 << -1 << QList<uint>{0x7B382} << QList<uint>{0x7B382}
                           << QList<uint>{0x7B382} << QList<uint>{0x7B382};
  QTest::newRow("U+7CFA3") << 0x7CFA3u << 0x0 << -1 << QList<uint>{0x7CFA3} << QList<uint>{0x7CFA3}
                           << QList<uint>{0x7CFA3} << QList<uint>{0x7CFA3};
  QTest::newRow("U+7EC75") << 0x7EC75u << 0x0 << -1 << QList<uint>{0x7EC75} << QList<uint>{0x7EC75}
                           << QList<uint>{0x7EC75} << QList<uint>{0x7EC75};
  QTest::newRow("U+7F31C") << 0x7F31Cu << 0x0 << -1 << QList<uint>{0x7F31C} << QList<uint>{0x7F31C}
                           << QList<uint>{0x7F31C} << QList<uint>{0x7F31C};
  QTest::newRow("U+8127E") << 0x8127Eu << 0x0 << -1 << QList<uint>{0x8127E} << QList<uint>{0x8127E}
                           << QList<uint>{0x8127E} << QList<uint>{0x8127E};
  QTest::newRow("U+85B0E") << 0x85B0Eu << 0x0 << -1 << QList<uint>{0x85B0E} << QList<uint>{0x85B0E}
                           << QList<uint>{0x85B0E} << QList<uint>{0x85B0E};
  QTest::newRow("U+8686B") << 0x8686Bu << 0x0 << -1 << QList<uint>{0x8686B} << QList<uint>{0x8686B}
                           << QList<uint>{0x8686B} << QList<uint>{0x8686B};
  QTest::newRow("U+878E3") << 0x878E3u << 0x0 << -1 << QList<uint>{0x878E3} << QList<uint>{0x878E3}
                           << QList<uint>{0x878E3} << QList<uint>{0x878E3};
  QTest::newRow("U+8A357") << 0x8A357u << 0x0 << -1 << QList<uint>{0x8A357} << QList<uint>{0x8A357}
                           << QList<uint>{0x8A357} << QList<uint>{0x8A357};
  QTest::newRow("U+8E40E") << 0x8E40Eu << 0x0 << -1 << QList<uint>{0x8E40E} << QList<uint>{0x8E40E}
                           << QList<uint>{0x8E40E} << QList<uint>{0x8E40E};
  QTest::newRow("U+8E8D3") << 0x8E8D3u << 0x0 << -1 << QList<uint>{0x8E8D3} << QList<uint>{0x8E8D3}
                           << QList<uint>{0x8E8D3} << QList<uint>{0x8E8D3};
  QTest::newRow("U+90593") << 0x90593u << 0x0 << -1 << QList<uint>{0x90593} << QList<uint>{0x90593}
                           << QList<uint>{0x90593} << QList<uint>{0x90593};
  QTest::newRow("U+91B68") << 0x91B68u << 0x0 << -1 << QList<uint>{0x91B68} << QList<uint>{0x91B68}
                           << QList<uint>{0x91B68} << QList<uint>{0x91B68};
  QTest::newRow("U+932A4") << 0x932A4u << 0x0 << -1 << QList<uint>{0x932A4} << QList<uint>{0x932A4}
                           << QList<uint>{0x932A4} << QList<uint>{0x932A4};
  QTest::newRow("U+936C9") << 0x936C9u << 0x0 << -1 << QList<uint>{0x936C9} << QList<uint>{0x936C9}
                           << QList<uint>{0x936C9} << QList<uint>{0x936C9};
  QTest::newRow("U+9447A") << 0x9447Au << 0x0 << -1 << QList<uint>{0x9447A} << QList<uint>{0x9447A}
                           << QList<uint>{0x9447A} << QList<uint>{0x9447A};
  QTest::newRow("U+989F3") << 0x989F3u << 0x0 << -1 << QList<uint>{0x989F3} << QList<uint>{0x989F3}
                           << QList<uint>{0x989F3} << QList<uint>{0x989F3};
  QTest::newRow("U+997B0") << 0x997B0u << 0x0 << -1 << QList<uint>{0x997B0} << QList<uint>{0x997B0}
                           << QList<uint>{0x997B0} << QList<uint>{0x997B0};
  QTest::newRow("U+99BA4") << 0x99BA4u << 0x0 << -1 << QList<uint>{0x99BA4} << QList<uint>{0x99BA4}
                           << QList<uint>{0x99BA4} << QList<uint>{0x99BA4};
  QTest::newRow("U+9DF15") << 0x9DF15u << 0x0 << -1 << QList<uint>{0x9DF15} << QList<uint>{0x9DF15}
                           << QList<uint>{0x9DF15} << QList<uint>{0x9DF15};
  QTest::newRow("U+9E84D") << 0x9E84Du << 0x0 << -1 << QList<uint>{0x9E84D} << QList<uint>{0x9E84D}
                           << QList<uint>{0x9E84D} << QList<uint>{0x9E84D};
  QTest::newRow("U+9FAB1") << 0x9FAB1u << 0x0 << -1 << QList<uint>{0x9FAB1} << QList<uint>{0x9FAB1}
                           << QList<uint>{0x9FAB1} << QList<uint>{0x9FAB1};
  QTest::newRow("U+A0A38") << 0xA0A38u << 0x0 << -1 << QList<uint>{0xA0A38} << QList<uint>{0xA0A38}
                           << QList<uint>{0xA0A38} << QList<uint>{0xA0A38};
  QTest::newRow("U+A0D7E") << 0xA0D7Eu << 0x0 << -1 << QList<uint>{0xA0D7E} << QList<uint>{0xA0D7E}
                           << QList<uint>{0xA0D7E} << QList<uint>{0xA0D7E};
  QTest::newRow("U+A3211") << 0xA3211u << 0x0 << -1 << QList<uint>{0xA3211} << QList<uint>{0xA3211}
                           << QList<uint>{0xA3211} << QList<uint>{0xA3211};
  QTest::newRow("U+A5CD6") << 0xA5CD6u << 0x0 << -1 << QList<uint>{0xA5CD6} << QList<uint>{0xA5CD6}
                           << QList<uint>{0xA5CD6} << QList<uint>{0xA5CD6};
  QTest::newRow("U+A8C9D") << 0xA8C9Du << 0x0 << -1 << QList<uint>{0xA8C9D} << QList<uint>{0xA8C9D}
                           << QList<uint>{0xA8C9D} << QList<uint>{0xA8C9D};
  QTest::newRow("U+AE1B8") << 0xAE1B8u << 0x0 << -1 << QList<uint>{0xAE1B8} << QList<uint>{0xAE1B8}
                           << QList<uint>{0xAE1B8} << QList<uint>{0xAE1B8};
  QTest::newRow("U+AE248") << 0xAE248u << 0x0 << -1 << QList<uint>{0xAE248} << QList<uint>{0xAE248}
                           << QList<uint>{0xAE248} << QList<uint>{0xAE248};
  QTest::newRow("U+AF21F") << 0xAF21Fu << 0x0 << -1 << QList<uint>{0xAF21F} << QList<uint>{0xAF21F}
                           << QList<uint>{0xAF21F} << QList<uint>{0xAF21F};
  QTest::newRow("U+AF6DF") << 0xAF6DFu << 0x0 << -1 << QList<uint>{0xAF6DF} << QList<uint>{0xAF6DF}
                           << QList<uint>{0xAF6DF} << QList<uint>{0xAF6DF};
  QTest::newRow("U+AFDC0") << 0xAFDC0u << 0x0 << -1 << QList<uint>{0xAFDC0} << QList<uint>{0xAFDC0}
                           << QList<uint>{0xAFDC0} << QList<uint>{0xAFDC0};
  QTest::newRow("U+B1AAA") << 0xB1AAAu << 0x0 << -1 << QList<uint>{0xB1AAA} << QList<uint>{0xB1AAA}
                           << QList<uint>{0xB1AAA} << QList<uint>{0xB1AAA};
  QTest::newRow("U+B1DD0") << 0xB1DD0u << 0x0 << -1 << QList<uint>{0xB1DD0} << QList<uint>{0xB1DD0}
                           << QList<uint>{0xB1DD0} << QList<uint>{0xB1DD0};
  QTest::newRow("U+B34A9") << 0xB34A9u << 0x0 << -1 << QList<uint>{0xB34A9} << QList<uint>{0xB34A9}
                           << QList<uint>{0xB34A9} << QList<uint>{0xB34A9};
  QTest::newRow("U+B5FF6") << 0xB5FF6u << 0x0 << -1 << QList<uint>{0xB5FF6} << QList<uint>{0xB5FF6}
                           << QList<uint>{0xB5FF6} << QList<uint>{0xB5FF6};
  QTest::newRow("U+B61DC") << 0xB61DCu << 0x0 << -1 << QList<uint>{0xB61DC} << QList<uint>{0xB61DC}
                           << QList<uint>{0xB61DC} << QList<uint>{0xB61DC};
  QTest::newRow("U+B7B0D") << 0xB7B0Du << 0x0 << -1 << QList<uint>{0xB7B0D} << QList<uint>{0xB7B0D}
                           << QList<uint>{0xB7B0D} << QList<uint>{0xB7B0D};
  QTest::newRow("U+B9215") << 0xB9215u << 0x0 << -1 << QList<uint>{0xB9215} << QList<uint>{0xB9215}
                           << QList<uint>{0xB9215} << QList<uint>{0xB9215};
  QTest::newRow("U+B9379") << 0xB9379u << 0x0 << -1 << QList<uint>{0xB9379} << QList<uint>{0xB9379}
                           << QList<uint>{0xB9379} << QList<uint>{0xB9379};
  QTest::newRow("U+BA2B1") << 0xBA2B1u << 0x0 << -1 << QList<uint>{0xBA2B1} << QList<uint>{0xBA2B1}
                           << QList<uint>{0xBA2B1} << QList<uint>{0xBA2B1};
  QTest::newRow("U+BA73A") << 0xBA73Au << 0x0 << -1 << QList<uint>{0xBA73A} << QList<uint>{0xBA73A}
                           << QList<uint>{0xBA73A} << QList<uint>{0xBA73A};
  QTest::newRow("U+BB3B9") << 0xBB3B9u << 0x0 << -1 << QList<uint>{0xBB3B9} << QList<uint>{0xBB3B9}
                           << QList<uint>{0xBB3B9} << QList<uint>{0xBB3B9};
  QTest::newRow("U+BBC01") << 0xBBC01u << 0x0 << -1 << QList<uint>{0xBBC01} << QList<uint>{0xBBC01}
                           << QList<uint>{0xBBC01} << QList<uint>{0xBBC01};
  QTest::newRow("U+BD0EC") << 0xBD0ECu << 0x0 << -1 << QList<uint>{0xBD0EC} << QList<uint>{0xBD0EC}
                           << QList<uint>{0xBD0EC} << QList<uint>{0xBD0EC};
  QTest::newRow("U+BEAAE") << 0xBEAAEu << 0x0 << -1 << QList<uint>{0xBEAAE} << QList<uint>{0xBEAAE}
                           << QList<uint>{0xBEAAE} << QList<uint>{0xBEAAE};
  QTest::newRow("U+C0A12") << 0xC0A12u << 0x0 << -1 << QList<uint>{0xC0A12} << QList<uint>{0xC0A12}
                           << QList<uint>{0xC0A12} << QList<uint>{0xC0A12};
  QTest::newRow("U+C2C93") << 0xC2C93u << 0x0 << -1 << QList<uint>{0xC2C93} << QList<uint>{0xC2C93}
                           << QList<uint>{0xC2C93} << QList<uint>{0xC2C93};
  QTest::newRow("U+C5867") << 0xC5867u << 0x0 << -1 << QList<uint>{0xC5867} << QList<uint>{0xC5867}
                           << QList<uint>{0xC5867} << QList<uint>{0xC5867};
  QTest::newRow("U+C82A8") << 0xC82A8u << 0x0 << -1 << QList<uint>{0xC82A8} << QList<uint>{0xC82A8}
                           << QList<uint>{0xC82A8} << QList<uint>{0xC82A8};
  QTest::newRow("U+C8E5E") << 0xC8E5Eu << 0x0 << -1 << QList<uint>{0xC8E5E} << QList<uint>{0xC8E5E}
                           << QList<uint>{0xC8E5E} << QList<uint>{0xC8E5E};
  QTest::newRow("U+C9CA1") << 0xC9CA1u << 0x0 << -1 << QList<uint>{0xC9CA1} << QList<uint>{0xC9CA1}
                           << QList<uint>{0xC9CA1} << QList<uint>{0xC9CA1};
  QTest::newRow("U+CA264") << 0xCA264u << 0x0 << -1 << QList<uint>{0xCA264} << QList<uint>{0xCA264}
                           << QList<uint>{0xCA264} << QList<uint>{0xCA264};
  QTest::newRow("U+CB19B") << 0xCB19Bu << 0x0 << -1 << QList<uint>{0xCB19B} << QList<uint>{0xCB19B}
                           << QList<uint>{0xCB19B} << QList<uint>{0xCB19B};
  QTest::newRow("U+CBB93") << 0xCBB93u << 0x0 << -1 << QList<uint>{0xCBB93} << QList<uint>{0xCBB93}
                           << QList<uint>{0xCBB93} << QList<uint>{0xCBB93};
  QTest::newRow("U+CBCFC") << 0xCBCFCu << 0x0 << -1 << QList<uint>{0xCBCFC} << QList<uint>{0xCBCFC}
                           << QList<uint>{0xCBCFC} << QList<uint>{0xCBCFC};
  QTest::newRow("U+CC46F") << 0xCC46Fu << 0x0 << -1 << QList<uint>{0xCC46F} << QList<uint>{0xCC46F}
                           << QList<uint>{0xCC46F} << QList<uint>{0xCC46F};
  QTest::newRow("U+CD06D") << 0xCD06Du << 0x0 << -1 << QList<uint>{0xCD06D} << QList<uint>{0xCD06D}
                           << QList<uint>{0xCD06D} << QList<uint>{0xCD06D};
  QTest::newRow("U+CD268") << 0xCD268u << 0x0 << -1 << QList<uint>{0xCD268} << QList<uint>{0xCD268}
                           << QList<uint>{0xCD268} << QList<uint>{0xCD268};
  QTest::newRow("U+CDA45") << 0xCDA45u << 0x0 << -1 << QList<uint>{0xCDA45} << QList<uint>{0xCDA45}
                           << QList<uint>{0xCDA45} << QList<uint>{0xCDA45};
  QTest::newRow("U+D4A1B") << 0xD4A1Bu << 0x0 << -1 << QList<uint>{0xD4A1B} << QList<uint>{0xD4A1B}
                           << QList<uint>{0xD4A1B} << QList<uint>{0xD4A1B};
  QTest::newRow("U+D6143") << 0xD6143u << 0x0 << -1 << QList<uint>{0xD6143} << QList<uint>{0xD6143}
                           << QList<uint>{0xD6143} << QList<uint>{0xD6143};
  QTest::newRow("U+D61AA") << 0xD61AAu << 0x0 << -1 << QList<uint>{0xD61AA} << QList<uint>{0xD61AA}
                           << QList<uint>{0xD61AA} << QList<uint>{0xD61AA};
  QTest::newRow("U+D6802") << 0xD6802u << 0x0 << -1 << QList<uint>{0xD6802} << QList<uint>{0xD6802}
                           << QList<uint>{0xD6802} << QList<uint>{0xD6802};
  QTest::newRow("U+D6996") << 0xD6996u << 0x0 << -1 << QList<uint>{0xD6996} << QList<uint>{0xD6996}
                           << QList<uint>{0xD6996} << QList<uint>{0xD6996};
  QTest::newRow("U+D7E8D") << 0xD7E8Du << 0x0 << -1 << QList<uint>{0xD7E8D} << QList<uint>{0xD7E8D}
                           << QList<uint>{0xD7E8D} << QList<uint>{0xD7E8D};
  QTest::newRow("U+D95A9") << 0xD95A9u << 0x0 << -1 << QList<uint>{0xD95A9} << QList<uint>{0xD95A9}
                           << QList<uint>{0xD95A9} << QList<uint>{0xD95A9};
  QTest::newRow("U+DAED6") << 0xDAED6u << 0x0 << -1 << QList<uint>{0xDAED6} << QList<uint>{0xDAED6}
                           << QList<uint>{0xDAED6} << QList<uint>{0xDAED6};
  QTest::newRow("U+DC6D5") << 0xDC6D5u << 0x0 << -1 << QList<uint>{0xDC6D5} << QList<uint>{0xDC6D5}
                           << QList<uint>{0xDC6D5} << QList<uint>{0xDC6D5};
  QTest::newRow("U+DE06C") << 0xDE06Cu << 0x0 << -1 << QList<uint>{0xDE06C} << QList<uint>{0xDE06C}
                           << QList<uint>{0xDE06C} << QList<uint>{0xDE06C};
  QTest::newRow("U+E0001") << 0xE0001u << 0x400 << -1 << QList<uint>{0xE0001}
                           << QList<uint>{0xE0001} << QList<uint>{0xE0001} << QList<uint>{0xE0001};
  QTest::newRow("U+E199D") << 0xE199Du << 0x0 << -1 << QList<uint>{0xE199D} << QList<uint>{0xE199D}
                           << QList<uint>{0xE199D} << QList<uint>{0xE199D};
  QTest::newRow("U+E42B0") << 0xE42B0u << 0x0 << -1 << QList<uint>{0xE42B0} << QList<uint>{0xE42B0}
                           << QList<uint>{0xE42B0} << QList<uint>{0xE42B0};
  QTest::newRow("U+E5CD9") << 0xE5CD9u << 0x0 << -1 << QList<uint>{0xE5CD9} << QList<uint>{0xE5CD9}
                           << QList<uint>{0xE5CD9} << QList<uint>{0xE5CD9};
  QTest::newRow("U+E5FBE") << 0xE5FBEu << 0x0 << -1 << QList<uint>{0xE5FBE} << QList<uint>{0xE5FBE}
                           << QList<uint>{0xE5FBE} << QList<uint>{0xE5FBE};
  QTest::newRow("U+E807C") << 0xE807Cu << 0x0 << -1 << QList<uint>{0xE807C} << QList<uint>{0xE807C}
                           << QList<uint>{0xE807C} << QList<uint>{0xE807C};
  QTest::newRow("U+E993B") << 0xE993Bu << 0x0 << -1 << QList<uint>{0xE993B} << QList<uint>{0xE993B}
                           << QList<uint>{0xE993B} << QList<uint>{0xE993B};
  QTest::newRow("U+E9CD3") << 0xE9CD3u << 0x0 << -1 << QList<uint>{0xE9CD3} << QList<uint>{0xE9CD3}
                           << QList<uint>{0xE9CD3} << QList<uint>{0xE9CD3};
  QTest::newRow("U+EC635") << 0xEC635u << 0x0 << -1 << QList<uint>{0xEC635} << QList<uint>{0xEC635}
                           << QList<uint>{0xEC635} << QList<uint>{0xEC635};
  QTest::newRow("U+EE635") << 0xEE635u << 0x0 << -1 << QList<uint>{0xEE635} << QList<uint>{0xEE635}
                           << QList<uint>{0xEE635} << QList<uint>{0xEE635};
  QTest::newRow("U+EE962") << 0xEE962u << 0x0 << -1 << QList<uint>{0xEE962} << QList<uint>{0xEE962}
                           << QList<uint>{0xEE962} << QList<uint>{0xEE962};
  QTest::newRow("U+F2BD0") << 0xF2BD0u << 0x0 << -1 << QList<uint>{0xF2BD0} << QList<uint>{0xF2BD0}
                           << QList<uint>{0xF2BD0} << QList<uint>{0xF2BD0};
  QTest::newRow("U+F2C3F") << 0xF2C3Fu << 0x0 << -1 << QList<uint>{0xF2C3F} << QList<uint>{0xF2C3F}
                           << QList<uint>{0xF2C3F} << QList<uint>{0xF2C3F};
  QTest::newRow("U+F50DE") << 0xF50DEu << 0x0 << -1 << QList<uint>{0xF50DE} << QList<uint>{0xF50DE}
                           << QList<uint>{0xF50DE} << QList<uint>{0xF50DE};
  QTest::newRow("U+F5F65") << 0xF5F65u << 0x0 << -1 << QList<uint>{0xF5F65} << QList<uint>{0xF5F65}
                           << QList<uint>{0xF5F65} << QList<uint>{0xF5F65};
  QTest::newRow("U+F68A2") << 0xF68A2u << 0x0 << -1 << QList<uint>{0xF68A2} << QList<uint>{0xF68A2}
                           << QList<uint>{0xF68A2} << QList<uint>{0xF68A2};
  QTest::newRow("U+F7B92") << 0xF7B92u << 0x0 << -1 << QList<uint>{0xF7B92} << QList<uint>{0xF7B92}
                           << QList<uint>{0xF7B92} << QList<uint>{0xF7B92};
  QTest::newRow("U+F84D0") << 0xF84D0u << 0x0 << -1 << QList<uint>{0xF84D0} << QList<uint>{0xF84D0}
                           << QList<uint>{0xF84D0} << QList<uint>{0xF84D0};
  QTest::newRow("U+F9E40") << 0xF9E40u << 0x0 << -1 << QList<uint>{0xF9E40} << QList<uint>{0xF9E40}
                           << QList<uint>{0xF9E40} << QList<uint>{0xF9E40};
  QTest::newRow("U+FA595") << 0xFA595u << 0x0 << -1 << QList<uint>{0xFA595} << QList<uint>{0xFA595}
                           << QList<uint>{0xFA595} << QList<uint>{0xFA595};
  QTest::newRow("U+FC4DE") << 0xFC4DEu << 0x0 << -1 << QList<uint>{0xFC4DE} << QList<uint>{0xFC4DE}
                           << QList<uint>{0xFC4DE} << QList<uint>{0xFC4DE};
  QTest::newRow("U+FCC55") << 0xFCC55u << 0x0 << -1 << QList<uint>{0xFCC55} << QList<uint>{0xFCC55}
                           << QList<uint>{0xFCC55} << QList<uint>{0xFCC55};
  QTest::newRow("U+FD7FE") << 0xFD7FEu << 0x0 << -1 << QList<uint>{0xFD7FE} << QList<uint>{0xFD7FE}
                           << QList<uint>{0xFD7FE} << QList<uint>{0xFD7FE};
  QTest::newRow("U+FE2A0") << 0xFE2A0u << 0x0 << -1 << QList<uint>{0xFE2A0} << QList<uint>{0xFE2A0}
                           << QList<uint>{0xFE2A0} << QList<uint>{0xFE2A0};
  QTest::newRow("U+FE362") << 0xFE362u << 0x0 << -1 << QList<uint>{0xFE362} << QList<uint>{0xFE362}
                           << QList<uint>{0xFE362} << QList<uint>{0xFE362};
  QTest::newRow("U+FE4C2") << 0xFE4C2u << 0x0 << -1 << QList<uint>{0xFE4C2} << QList<uint>{0xFE4C2}
                           << QList<uint>{0xFE4C2} << QList<uint>{0xFE4C2};
  QTest::newRow("U+101618") << 0x101618u << 0x0 << -1 << QList<uint>{0x101618}
                            << QList<uint>{0x101618} << QList<uint>{0x101618}
                            << QList<uint>{0x101618};
  QTest::newRow("U+103CE9") << 0x103CE9u << 0x0 << -1 << QList<uint>{0x103CE9}
                            << QList<uint>{0x103CE9} << QList<uint>{0x103CE9}
                            << QList<uint>{0x103CE9};
  QTest::newRow("U+1061C0") << 0x1061C0u << 0x0 << -1 << QList<uint>{0x1061C0}
                            << QList<uint>{0x1061C0} << QList<uint>{0x1061C0}
                            << QList<uint>{0x1061C0};
  QTest::newRow("U+107EE7") << 0x107EE7u << 0x0 << -1 << QList<uint>{0x107EE7}
                            << QList<uint>{0x107EE7} << QList<uint>{0x107EE7}
                            << QList<uint>{0x107EE7};
  QTest::newRow("U+1085CF") << 0x1085CFu << 0x0 << -1 << QList<uint>{0x1085CF}
                            << QList<uint>{0x1085CF} << QList<uint>{0x1085CF}
                            << QList<uint>{0x1085CF};
  QTest::newRow("U+10907F") << 0x10907Fu << 0x0 << -1 << QList<uint>{0x10907F}
                            << QList<uint>{0x10907F} << QList<uint>{0x10907F}
                            << QList<uint>{0x10907F};
  QTest::newRow("U+1096B5") << 0x1096B5u << 0x0 << -1 << QList<uint>{0x1096B5}
                            << QList<uint>{0x1096B5} << QList<uint>{0x1096B5}
                            << QList<uint>{0x1096B5};
  QTest::newRow("U+10CE68") << 0x10CE68u << 0x0 << -1 << QList<uint>{0x10CE68}
                            << QList<uint>{0x10CE68} << QList<uint>{0x10CE68}
                            << QList<uint>{0x10CE68};
  QTest::newRow("U+10E645") << 0x10E645u << 0x0 << -1 << QList<uint>{0x10E645}
                            << QList<uint>{0x10E645} << QList<uint>{0x10E645}
                            << QList<uint>{0x10E645};
  QTest::newRow("U+10E77C") << 0x10E77Cu << 0x0 << -1 << QList<uint>{0x10E77C}
                            << QList<uint>{0x10E77C} << QList<uint>{0x10E77C}
                            << QList<uint>{0x10E77C};
  QTest::newRow("U+10FFFF") << 0x10FFFFu << 0x0 << -1 << QList<uint>{0x10FFFF}
                            << QList<uint>{0x10FFFF} << QList<uint>{0x10FFFF}
                            << QList<uint>{0x10FFFF};
}

void tst_PyStrings::codePoints()
{
  QFETCH(uint, cp);
  QFETCH(int, props);
  QFETCH(int, decimal);
  QFETCH(QList<uint>, upper);
  QFETCH(QList<uint>, lower);
  QFETCH(QList<uint>, title);
  QFETCH(QList<uint>, casefold);
  const auto c = static_cast<char32_t>(cp);
  QCOMPARE(int(unicode::props(c)), props);
  QCOMPARE(unicode::decimal_value(c), decimal);
  QCOMPARE(toList(unicode::case_map(c, unicode::CaseKind::Upper)), upper);
  QCOMPARE(toList(unicode::case_map(c, unicode::CaseKind::Lower)), lower);
  QCOMPARE(toList(unicode::case_map(c, unicode::CaseKind::Title)), title);
  QCOMPARE(toList(unicode::case_map(c, unicode::CaseKind::Fold)), casefold);
}

QTEST_APPLESS_MAIN(tst_PyStrings)
#include "tst_pystrings.moc"
