// SPDX-License-Identifier: GPL-3.0-or-later
// The Python-exact number formatting, parsing and arithmetic of engine/script/pyformat.h. Every
// expected value is CPython 3.11's output (format(), %, str.format, int(), float(), round(), the
// operators), generated with /usr/bin/python3 and pasted in; "!!Type: message" is the exception
// CPython raises.

#include "engine/script/pyformat.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using namespace loopscope::script;
using namespace loopscope::script::py;
using namespace std::string_view_literals;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
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

// The result of `f`, or "!!Type: message" for the PyError it throws.
QByteArray outcome(const std::function<std::string()>& f)
{
  try {
    return U(f());
  } catch (const PyError& e) {
    return U("!!" + e.to_string());
  }
}

// Python's repr of a result: ints as digits, floats as repr(), pairs as "(a, b)".
std::string show(std::int64_t v)
{
  return std::to_string(v);
}

std::string show(double v)
{
  return float_repr(v);
}

template <class T>
std::string show(const std::pair<T, T>& p)
{
  return "(" + show(p.first) + ", " + show(p.second) + ")";
}

// Doubles compare by bits (QCOMPARE is fuzzy), NaN equal to NaN.
bool sameDouble(double a, double b)
{
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  return std::bit_cast<quint64>(a) == std::bit_cast<quint64>(b);
}

#define COMPARE_DOUBLE(got, want)                                       \
  QVERIFY2(sameDouble((got), (want)),                                   \
           qPrintable(QStringLiteral("got %1, want %2")                 \
                          .arg(QString::fromStdString(float_repr(got)), \
                               QString::fromStdString(float_repr(want)))))

// ---------------------------------------------------------------- a fake interpreter value

struct Val
{
  enum class K { None, Bool, Int, Float, Str, List, Tuple, Dict } k = K::None;
  std::int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<Val> items;
  std::vector<std::pair<std::string, Val>> dict;
};

Val N()
{
  return Val{};
}

Val Bo(bool b)
{
  Val v;
  v.k = Val::K::Bool;
  v.i = b;
  return v;
}

Val I(std::int64_t i)
{
  Val v;
  v.k = Val::K::Int;
  v.i = i;
  return v;
}

Val F(double f)
{
  Val v;
  v.k = Val::K::Float;
  v.f = f;
  return v;
}

Val S(std::string_view s)
{
  Val v;
  v.k = Val::K::Str;
  v.s = std::string(s);
  return v;
}

Val L(std::vector<Val> items)
{
  Val v;
  v.k = Val::K::List;
  v.items = std::move(items);
  return v;
}

Val T(std::vector<Val> items)
{
  Val v = L(std::move(items));
  v.k = Val::K::Tuple;
  return v;
}

Val D(std::vector<std::pair<std::string_view, Val>> entries)
{
  Val v;
  v.k = Val::K::Dict;
  for (auto& [key, value] : entries)
    v.dict.emplace_back(std::string(key), value);
  return v;
}

std::string typeName(const Val& v)
{
  switch (v.k) {
    case Val::K::None:
      return "NoneType";
    case Val::K::Bool:
      return "bool";
    case Val::K::Int:
      return "int";
    case Val::K::Float:
      return "float";
    case Val::K::Str:
      return "str";
    case Val::K::List:
      return "list";
    case Val::K::Tuple:
      return "tuple";
    case Val::K::Dict:
      return "dict";
  }
  return "?";
}

std::string repr(const Val& v);

std::string str(const Val& v)
{
  return v.k == Val::K::Str ? v.s : repr(v);
}

std::string repr(const Val& v)
{
  switch (v.k) {
    case Val::K::None:
      return "None";
    case Val::K::Bool:
      return v.i ? "True" : "False";
    case Val::K::Int:
      return std::to_string(v.i);
    case Val::K::Float:
      return float_repr(v.f);
    case Val::K::Str:
      return str_repr(v.s);
    case Val::K::List:
    case Val::K::Tuple: {
      std::vector<std::string> parts;
      for (const Val& x : v.items)
        parts.push_back(repr(x));
      const bool tuple = v.k == Val::K::Tuple;
      return (tuple ? "(" : "[") + str_join(", ", parts) +
             (tuple && v.items.size() == 1 ? ",)" : (tuple ? ")" : "]"));
    }
    case Val::K::Dict: {
      std::vector<std::string> parts;
      for (const auto& [key, x] : v.dict)
        parts.push_back(str_repr(key) + ": " + repr(x));
      return "{" + str_join(", ", parts) + "}";
    }
  }
  return "?";
}

std::string formatVal(const Val& v, std::string_view spec)
{
  switch (v.k) {
    case Val::K::Bool:
      return format_bool(v.i != 0, spec);
    case Val::K::Int:
      return format_int(v.i, spec);
    case Val::K::Float:
      return format_float(v.f, spec);
    case Val::K::Str:
      return format_str(v.s, spec);
    default:
      if (!spec.empty())
        throw PyError{"TypeError",
                      "unsupported format string passed to " + typeName(v) + ".__format__"};
      return str(v);
  }
}

const Val* dictFind(const Val& d, std::string_view key)
{
  for (const auto& [k, x] : d.dict)
    if (k == key)
      return &x;
  return nullptr;
}

class FakePercentArgs : public PercentArgs
{
public:
  explicit FakePercentArgs(Val operand) : operand_(std::move(operand)) {}
  bool is_tuple() const override { return operand_.k == Val::K::Tuple; }
  std::size_t size() const override { return operand_.items.size(); }
  bool is_mapping() const override
  {
    return operand_.k == Val::K::Dict || operand_.k == Val::K::List;
  }
  void lookup(std::string_view key) override
  {
    if (operand_.k == Val::K::List)
      throw PyError{"TypeError", "list indices must be integers or slices, not str"};
    const Val* v = dictFind(operand_, key);
    if (!v)
      throw PyError{"KeyError", str_repr(key)};
    looked_up_ = *v;
  }
  std::string str(Ref r) override { return ::str(get(r)); }
  std::string repr(Ref r) override { return ::repr(get(r)); }
  std::optional<std::int64_t> as_int(Ref r) override
  {
    const Val& v = get(r);
    if (v.k == Val::K::Int || v.k == Val::K::Bool)
      return v.i;
    return std::nullopt;
  }
  std::optional<double> as_float(Ref r) override
  {
    const Val& v = get(r);
    if (v.k == Val::K::Int || v.k == Val::K::Bool)
      return static_cast<double>(v.i);
    if (v.k == Val::K::Float)
      return v.f;
    return std::nullopt;
  }
  std::optional<std::string> as_str(Ref r) override
  {
    const Val& v = get(r);
    if (v.k == Val::K::Str)
      return v.s;
    return std::nullopt;
  }
  std::string type_name(Ref r) override { return typeName(get(r)); }

private:
  const Val& get(Ref r) const
  {
    if (r == kOperand)
      return operand_;
    if (r == kLookedUp)
      return looked_up_;
    return operand_.items.at(r);
  }
  Val operand_;
  Val looked_up_;
};

class FakeLookup : public FormatLookup
{
public:
  FakeLookup(Val args, Val kwargs, bool positional)
      : args_(std::move(args))
      , kwargs_(std::move(kwargs))
      , positional_(positional)
  {}
  std::optional<Handle> positional(std::size_t index) override
  {
    if (index >= args_.items.size())
      return std::nullopt;
    return keep(args_.items[index]);
  }
  std::optional<Handle> keyword(std::string_view name) override
  {
    const Val* v = dictFind(kwargs_, name);
    if (!v)
      return std::nullopt;
    return keep(*v);
  }
  Handle attribute(Handle h, std::string_view name) override
  {
    const Val v = values_.at(h);
    if (v.k == Val::K::Int && name == "real")
      return keep(v);
    if (v.k == Val::K::Int && name == "imag")
      return keep(I(0));
    throw PyError{"AttributeError",
                  "'" + typeName(v) + "' object has no attribute '" + std::string(name) + "'"};
  }
  Handle item(Handle h, std::int64_t index) override
  {
    const Val v = values_.at(h);
    if (v.k == Val::K::Dict) {
      const Val* x = dictFind(v, std::to_string(index));
      if (!x)
        throw PyError{"KeyError", std::to_string(index)};
      return keep(*x);
    }
    if (index >= static_cast<std::int64_t>(v.items.size()))
      throw PyError{"IndexError", typeName(v) + " index out of range"};
    return keep(v.items[static_cast<std::size_t>(index)]);
  }
  Handle item(Handle h, std::string_view key) override
  {
    const Val v = values_.at(h);
    if (v.k != Val::K::Dict)
      throw PyError{"TypeError", typeName(v) + " indices must be integers or slices, not str"};
    const Val* x = dictFind(v, key);
    if (!x)
      throw PyError{"KeyError", str_repr(key)};
    return keep(*x);
  }
  std::string str(Handle h) override { return ::str(values_.at(h)); }
  std::string repr(Handle h) override { return ::repr(values_.at(h)); }
  std::string format(Handle h, std::string_view spec) override
  {
    return formatVal(values_.at(h), spec);
  }
  bool allows_positional() const override { return positional_; }

private:
  Handle keep(const Val& v)
  {
    values_.push_back(v);
    return values_.size() - 1;
  }
  Val args_;
  Val kwargs_;
  bool positional_;
  std::vector<Val> values_;
};

}  // namespace

Q_DECLARE_METATYPE(Val)

class tst_PyFormat : public QObject
{
  Q_OBJECT

private slots:
  void floatRepr_data();
  void floatRepr();
  void intToString_data();
  void intToString();
  void binOctHex_data();
  void binOctHex();
  void parseInt_data();
  void parseInt();
  void parseFloat_data();
  void parseFloat();
  void intArithmetic_data();
  void intArithmetic();
  void floatArithmetic_data();
  void floatArithmetic();
  void roundToInt_data();
  void roundToInt();
  void roundDigits_data();
  void roundDigits();
  void roundInt_data();
  void roundInt();
  void formatInt_data();
  void formatInt();
  void formatBool_data();
  void formatBool();
  void formatFloat_data();
  void formatFloat();
  void formatStr_data();
  void formatStr();
  void formatDouble_data();
  void formatDouble();
  void percentFormat_data();
  void percentFormat();
  void formatTemplate_data();
  void formatTemplate();
  void templateEvaluationOrder();
  void floatReprRoundTrips();
};

void tst_PyFormat::floatRepr_data()
{
  QTest::addColumn<double>("value");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("0.0") << 0.0 << U("0.0"sv);
  QTest::newRow("-0.0") << -0.0 << U("-0.0"sv);
  QTest::newRow("1.0") << 1.0 << U("1.0"sv);
  QTest::newRow("-1.0") << -1.0 << U("-1.0"sv);
  QTest::newRow("0.1") << 0.1 << U("0.1"sv);
  QTest::newRow("0.5") << 0.5 << U("0.5"sv);
  QTest::newRow("1.5") << 1.5 << U("1.5"sv);
  QTest::newRow("0.30000000000000004") << 0.30000000000000004 << U("0.30000000000000004"sv);
  QTest::newRow("0.3333333333333333") << 0.3333333333333333 << U("0.3333333333333333"sv);
  QTest::newRow("0.6666666666666666") << 0.6666666666666666 << U("0.6666666666666666"sv);
  QTest::newRow("1e-05") << 1e-05 << U("1e-05"sv);
  QTest::newRow("0.0001") << 0.0001 << U("0.0001"sv);
  QTest::newRow("0.0001234") << 0.0001234 << U("0.0001234"sv);
  QTest::newRow("1.234e-05") << 1.234e-05 << U("1.234e-05"sv);
  QTest::newRow("1e+16") << 1e+16 << U("1e+16"sv);
  QTest::newRow("1000000000000000.0") << 1000000000000000.0 << U("1000000000000000.0"sv);
  QTest::newRow("9999999999999998.0") << 9999999999999998.0 << U("9999999999999998.0"sv);
  QTest::newRow("123456789012345.0") << 123456789012345.0 << U("123456789012345.0"sv);
  QTest::newRow("1234567890123456.0") << 1234567890123456.0 << U("1234567890123456.0"sv);
  QTest::newRow("1.2345678901234568e+16")
      << 1.2345678901234568e+16 << U("1.2345678901234568e+16"sv);
  QTest::newRow("1.2345678901234568e+16")
      << 1.2345678901234568e+16 << U("1.2345678901234568e+16"sv);
  QTest::newRow("2.000000000000001e+16") << 2.000000000000001e+16 << U("2.000000000000001e+16"sv);
  QTest::newRow("1e+22") << 1e+22 << U("1e+22"sv);
  QTest::newRow("1e+23") << 1e+23 << U("1e+23"sv);
  QTest::newRow("1e+100") << 1e+100 << U("1e+100"sv);
  QTest::newRow("1e-100") << 1e-100 << U("1e-100"sv);
  QTest::newRow("5e-324") << 5e-324 << U("5e-324"sv);
  QTest::newRow("2.2250738585072014e-308")
      << 2.2250738585072014e-308 << U("2.2250738585072014e-308"sv);
  QTest::newRow("1.7976931348623157e+308")
      << 1.7976931348623157e+308 << U("1.7976931348623157e+308"sv);
  QTest::newRow("inf") << kInf << U("inf"sv);
  QTest::newRow("-inf") << -kInf << U("-inf"sv);
  QTest::newRow("nan") << kNaN << U("nan"sv);
  QTest::newRow("100.0") << 100.0 << U("100.0"sv);
  QTest::newRow("3.14159") << 3.14159 << U("3.14159"sv);
  QTest::newRow("-2.5e-07") << -2.5e-07 << U("-2.5e-07"sv);
  QTest::newRow("9007199254740992.0") << 9007199254740992.0 << U("9007199254740992.0"sv);
  QTest::newRow("0.3") << 0.3 << U("0.3"sv);
  QTest::newRow("2.675") << 2.675 << U("2.675"sv);
  QTest::newRow("1e+301") << 1e+301 << U("1e+301"sv);
  QTest::newRow("4.35") << 4.35 << U("4.35"sv);
  QTest::newRow("123.456") << 123.456 << U("123.456"sv);
}

void tst_PyFormat::floatRepr()
{
  QFETCH(double, value);
  QFETCH(QByteArray, expected);
  QCOMPARE(U(float_repr(value)), expected);
  // str(x), format(x, '') and f"{x}" are repr(x) too.
  QCOMPARE(U(format_float(value, "")), expected);
}

void tst_PyFormat::intToString_data()
{
  QTest::addColumn<qint64>("value");
  QTest::addColumn<int>("base");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("0 base 2") << 0_i << 2 << U("0"sv);
  QTest::newRow("0 base 8") << 0_i << 8 << U("0"sv);
  QTest::newRow("0 base 10") << 0_i << 10 << U("0"sv);
  QTest::newRow("0 base 16") << 0_i << 16 << U("0"sv);
  QTest::newRow("0 base 36") << 0_i << 36 << U("0"sv);
  QTest::newRow("1 base 2") << 1_i << 2 << U("1"sv);
  QTest::newRow("1 base 8") << 1_i << 8 << U("1"sv);
  QTest::newRow("1 base 10") << 1_i << 10 << U("1"sv);
  QTest::newRow("1 base 16") << 1_i << 16 << U("1"sv);
  QTest::newRow("1 base 36") << 1_i << 36 << U("1"sv);
  QTest::newRow("-1 base 2") << -1_i << 2 << U("-1"sv);
  QTest::newRow("-1 base 8") << -1_i << 8 << U("-1"sv);
  QTest::newRow("-1 base 10") << -1_i << 10 << U("-1"sv);
  QTest::newRow("-1 base 16") << -1_i << 16 << U("-1"sv);
  QTest::newRow("-1 base 36") << -1_i << 36 << U("-1"sv);
  QTest::newRow("5 base 2") << 5_i << 2 << U("101"sv);
  QTest::newRow("5 base 8") << 5_i << 8 << U("5"sv);
  QTest::newRow("5 base 10") << 5_i << 10 << U("5"sv);
  QTest::newRow("5 base 16") << 5_i << 16 << U("5"sv);
  QTest::newRow("5 base 36") << 5_i << 36 << U("5"sv);
  QTest::newRow("-5 base 2") << -5_i << 2 << U("-101"sv);
  QTest::newRow("-5 base 8") << -5_i << 8 << U("-5"sv);
  QTest::newRow("-5 base 10") << -5_i << 10 << U("-5"sv);
  QTest::newRow("-5 base 16") << -5_i << 16 << U("-5"sv);
  QTest::newRow("-5 base 36") << -5_i << 36 << U("-5"sv);
  QTest::newRow("255 base 2") << 255_i << 2 << U("11111111"sv);
  QTest::newRow("255 base 8") << 255_i << 8 << U("377"sv);
  QTest::newRow("255 base 10") << 255_i << 10 << U("255"sv);
  QTest::newRow("255 base 16") << 255_i << 16 << U("ff"sv);
  QTest::newRow("255 base 36") << 255_i << 36 << U("73"sv);
  QTest::newRow("-255 base 2") << -255_i << 2 << U("-11111111"sv);
  QTest::newRow("-255 base 8") << -255_i << 8 << U("-377"sv);
  QTest::newRow("-255 base 10") << -255_i << 10 << U("-255"sv);
  QTest::newRow("-255 base 16") << -255_i << 16 << U("-ff"sv);
  QTest::newRow("-255 base 36") << -255_i << 36 << U("-73"sv);
  QTest::newRow("1234567 base 2") << 1234567_i << 2 << U("100101101011010000111"sv);
  QTest::newRow("1234567 base 8") << 1234567_i << 8 << U("4553207"sv);
  QTest::newRow("1234567 base 10") << 1234567_i << 10 << U("1234567"sv);
  QTest::newRow("1234567 base 16") << 1234567_i << 16 << U("12d687"sv);
  QTest::newRow("1234567 base 36") << 1234567_i << 36 << U("qglj"sv);
  QTest::newRow("9223372036854775807 base 2")
      << kMax << 2 << U("111111111111111111111111111111111111111111111111111111111111111"sv);
  QTest::newRow("9223372036854775807 base 8") << kMax << 8 << U("777777777777777777777"sv);
  QTest::newRow("9223372036854775807 base 10") << kMax << 10 << U("9223372036854775807"sv);
  QTest::newRow("9223372036854775807 base 16") << kMax << 16 << U("7fffffffffffffff"sv);
  QTest::newRow("9223372036854775807 base 36") << kMax << 36 << U("1y2p0ij32e8e7"sv);
  QTest::newRow("-9223372036854775808 base 2")
      << kMin << 2 << U("-1000000000000000000000000000000000000000000000000000000000000000"sv);
  QTest::newRow("-9223372036854775808 base 8") << kMin << 8 << U("-1000000000000000000000"sv);
  QTest::newRow("-9223372036854775808 base 10") << kMin << 10 << U("-9223372036854775808"sv);
  QTest::newRow("-9223372036854775808 base 16") << kMin << 16 << U("-8000000000000000"sv);
  QTest::newRow("-9223372036854775808 base 36") << kMin << 36 << U("-1y2p0ij32e8e8"sv);
  QTest::newRow("60466176 base 2") << 60466176_i << 2 << U("11100110101010010000000000"sv);
  QTest::newRow("60466176 base 8") << 60466176_i << 8 << U("346522000"sv);
  QTest::newRow("60466176 base 10") << 60466176_i << 10 << U("60466176"sv);
  QTest::newRow("60466176 base 16") << 60466176_i << 16 << U("39aa400"sv);
  QTest::newRow("60466176 base 36") << 60466176_i << 36 << U("100000"sv);
}

void tst_PyFormat::intToString()
{
  QFETCH(qint64, value);
  QFETCH(int, base);
  QFETCH(QByteArray, expected);
  QCOMPARE(U(int_to_string(value, base)), expected);
}

void tst_PyFormat::binOctHex_data()
{
  QTest::addColumn<qint64>("value");
  QTest::addColumn<QByteArray>("bin");
  QTest::addColumn<QByteArray>("oct");
  QTest::addColumn<QByteArray>("hex");
  QTest::addColumn<int>("bitLength");
  QTest::addColumn<int>("bitCount");
  QTest::newRow("0") << 0_i << U("0b0"sv) << U("0o0"sv) << U("0x0"sv) << 0 << 0;
  QTest::newRow("1") << 1_i << U("0b1"sv) << U("0o1"sv) << U("0x1"sv) << 1 << 1;
  QTest::newRow("-1") << -1_i << U("-0b1"sv) << U("-0o1"sv) << U("-0x1"sv) << 1 << 1;
  QTest::newRow("5") << 5_i << U("0b101"sv) << U("0o5"sv) << U("0x5"sv) << 3 << 2;
  QTest::newRow("-5") << -5_i << U("-0b101"sv) << U("-0o5"sv) << U("-0x5"sv) << 3 << 2;
  QTest::newRow("255") << 255_i << U("0b11111111"sv) << U("0o377"sv) << U("0xff"sv) << 8 << 8;
  QTest::newRow("-255") << -255_i << U("-0b11111111"sv) << U("-0o377"sv) << U("-0xff"sv) << 8 << 8;
  QTest::newRow("1234567") << 1234567_i << U("0b100101101011010000111"sv) << U("0o4553207"sv)
                           << U("0x12d687"sv) << 21 << 11;
  QTest::newRow("9223372036854775807")
      << kMax << U("0b111111111111111111111111111111111111111111111111111111111111111"sv)
      << U("0o777777777777777777777"sv) << U("0x7fffffffffffffff"sv) << 63 << 63;
  QTest::newRow("-9223372036854775808")
      << kMin << U("-0b1000000000000000000000000000000000000000000000000000000000000000"sv)
      << U("-0o1000000000000000000000"sv) << U("-0x8000000000000000"sv) << 64 << 1;
  QTest::newRow("60466176") << 60466176_i << U("0b11100110101010010000000000"sv)
                            << U("0o346522000"sv) << U("0x39aa400"sv) << 26 << 9;
  QTest::newRow("4611686018427387904")
      << 4611686018427387904_i
      << U("0b100000000000000000000000000000000000000000000000000000000000000"sv)
      << U("0o400000000000000000000"sv) << U("0x4000000000000000"sv) << 63 << 1;
  QTest::newRow("-4611686018427387904")
      << -4611686018427387904_i
      << U("-0b100000000000000000000000000000000000000000000000000000000000000"sv)
      << U("-0o400000000000000000000"sv) << U("-0x4000000000000000"sv) << 63 << 1;
  QTest::newRow("1023") << 1023_i << U("0b1111111111"sv) << U("0o1777"sv) << U("0x3ff"sv) << 10
                        << 10;
  QTest::newRow("1024") << 1024_i << U("0b10000000000"sv) << U("0o2000"sv) << U("0x400"sv) << 11
                        << 1;
}

void tst_PyFormat::binOctHex()
{
  QFETCH(qint64, value);
  QFETCH(QByteArray, bin);
  QFETCH(QByteArray, oct);
  QFETCH(QByteArray, hex);
  QFETCH(int, bitLength);
  QFETCH(int, bitCount);
  QCOMPARE(U(int_bin(value)), bin);
  QCOMPARE(U(int_oct(value)), oct);
  QCOMPARE(U(int_hex(value)), hex);
  QCOMPARE(bit_length(value), bitLength);
  QCOMPARE(bit_count(value), bitCount);
}

void tst_PyFormat::parseInt_data()
{
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<int>("base");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("0 10") << U("0"sv) << 10 << U("0"sv);
  QTest::newRow("42 10") << U("42"sv) << 10 << U("42"sv);
  QTest::newRow("-42 10") << U("-42"sv) << 10 << U("-42"sv);
  QTest::newRow("+7 10") << U("+7"sv) << 10 << U("7"sv);
  QTest::newRow("  12   10") << U("  12  "sv) << 10 << U("12"sv);
  QTest::newRow("/t/n12/r/x0b/x0c 10") << U("\011\01212\015\013\014"sv) << 10 << U("12"sv);
  QTest::newRow("1_000 10") << U("1_000"sv) << 10 << U("1000"sv);
  QTest::newRow("1__0 10") << U("1__0"sv) << 10
                           << U("!!ValueError: invalid literal for int() with base 10: '1__0'"sv);
  QTest::newRow("_1 10") << U("_1"sv) << 10
                         << U("!!ValueError: invalid literal for int() with base 10: '_1'"sv);
  QTest::newRow("1_ 10") << U("1_"sv) << 10
                         << U("!!ValueError: invalid literal for int() with base 10: '1_'"sv);
  QTest::newRow("abc 10") << U("abc"sv) << 10
                          << U("!!ValueError: invalid literal for int() with base 10: 'abc'"sv);
  QTest::newRow(" 10") << U(""sv) << 10
                       << U("!!ValueError: invalid literal for int() with base 10: ''"sv);
  QTest::newRow("   10") << U("  "sv) << 10
                         << U("!!ValueError: invalid literal for int() with base 10: '  '"sv);
  QTest::newRow("+-1 10") << U("+-1"sv) << 10
                          << U("!!ValueError: invalid literal for int() with base 10: '+-1'"sv);
  QTest::newRow("- 1 10") << U("- 1"sv) << 10
                          << U("!!ValueError: invalid literal for int() with base 10: '- 1'"sv);
  QTest::newRow("1 2 10") << U("1 2"sv) << 10
                          << U("!!ValueError: invalid literal for int() with base 10: '1 2'"sv);
  QTest::newRow("12a 10") << U("12a"sv) << 10
                          << U("!!ValueError: invalid literal for int() with base 10: '12a'"sv);
  QTest::newRow("1/x002 10")
      << U("1\0002"sv) << 10
      << U("!!ValueError: invalid literal for int() with base 10: '1\\x002'"sv);
  QTest::newRow("9223372036854775807 10")
      << U("9223372036854775807"sv) << 10 << U("9223372036854775807"sv);
  QTest::newRow("-9223372036854775808 10")
      << U("-9223372036854775808"sv) << 10 << U("-9223372036854775808"sv);
  QTest::newRow("9223372036854775808 10")
      << U("9223372036854775808"sv) << 10
      << U("!!OverflowError: int too large for loopscope (64-bit)"sv);
  QTest::newRow("-9223372036854775809 10")
      << U("-9223372036854775809"sv) << 10
      << U("!!OverflowError: int too large for loopscope (64-bit)"sv);
  QTest::newRow("99999999999999999999 10")
      << U("99999999999999999999"sv) << 10
      << U("!!OverflowError: int too large for loopscope (64-bit)"sv);
  QTest::newRow("99999999999999999999x 10")
      << U("99999999999999999999x"sv) << 10
      << U("!!ValueError: invalid literal for int() with base 10: '99999999999999999999x'"sv);
  QTest::newRow("ff 16") << U("ff"sv) << 16 << U("255"sv);
  QTest::newRow("FF 16") << U("FF"sv) << 16 << U("255"sv);
  QTest::newRow("0xff 16") << U("0xff"sv) << 16 << U("255"sv);
  QTest::newRow("0x_ff 16") << U("0x_ff"sv) << 16 << U("255"sv);
  QTest::newRow("0x__ff 16")
      << U("0x__ff"sv) << 16
      << U("!!ValueError: invalid literal for int() with base 16: '0x__ff'"sv);
  QTest::newRow("0x 16") << U("0x"sv) << 16
                         << U("!!ValueError: invalid literal for int() with base 16: '0x'"sv);
  QTest::newRow("z 36") << U("z"sv) << 36 << U("35"sv);
  QTest::newRow("Z 36") << U("Z"sv) << 36 << U("35"sv);
  QTest::newRow("z 35") << U("z"sv) << 35
                        << U("!!ValueError: invalid literal for int() with base 35: 'z'"sv);
  QTest::newRow("101 2") << U("101"sv) << 2 << U("5"sv);
  QTest::newRow("102 2") << U("102"sv) << 2
                         << U("!!ValueError: invalid literal for int() with base 2: '102'"sv);
  QTest::newRow("0b101 2") << U("0b101"sv) << 2 << U("5"sv);
  QTest::newRow("0o17 8") << U("0o17"sv) << 8 << U("15"sv);
  QTest::newRow("17 8") << U("17"sv) << 8 << U("15"sv);
  QTest::newRow("18 8") << U("18"sv) << 8
                        << U("!!ValueError: invalid literal for int() with base 8: '18'"sv);
  QTest::newRow("0x1f 0") << U("0x1f"sv) << 0 << U("31"sv);
  QTest::newRow("0X1F 0") << U("0X1F"sv) << 0 << U("31"sv);
  QTest::newRow("0o17 0") << U("0o17"sv) << 0 << U("15"sv);
  QTest::newRow("0b101 0") << U("0b101"sv) << 0 << U("5"sv);
  QTest::newRow("0b 0") << U("0b"sv) << 0
                        << U("!!ValueError: invalid literal for int() with base 0: '0b'"sv);
  QTest::newRow("0b2 0") << U("0b2"sv) << 0
                         << U("!!ValueError: invalid literal for int() with base 0: '0b2'"sv);
  QTest::newRow("010 0") << U("010"sv) << 0
                         << U("!!ValueError: invalid literal for int() with base 0: '010'"sv);
  QTest::newRow("0 0") << U("0"sv) << 0 << U("0"sv);
  QTest::newRow("00 0") << U("00"sv) << 0 << U("0"sv);
  QTest::newRow("0_0 0") << U("0_0"sv) << 0 << U("0"sv);
  QTest::newRow("0_1 0") << U("0_1"sv) << 0
                         << U("!!ValueError: invalid literal for int() with base 0: '0_1'"sv);
  QTest::newRow("12a 0") << U("12a"sv) << 0
                         << U("!!ValueError: invalid literal for int() with base 0: '12a'"sv);
  QTest::newRow("  0") << U(" "sv) << 0
                       << U("!!ValueError: invalid literal for int() with base 0: ' '"sv);
  QTest::newRow("-0x10 0") << U("-0x10"sv) << 0 << U("-16"sv);
  QTest::newRow("1_000 0") << U("1_000"sv) << 0 << U("1000"sv);
  QTest::newRow("/u0661/u0662 10") << U("١٢"sv) << 10 << U("12"sv);
  QTest::newRow("/u0661/u0662/u0663 16") << U("١٢٣"sv) << 16 << U("291"sv);
  QTest::newRow("/xa012/u2003 10") << U("\302\24012\342\200\203"sv) << 10 << U("12"sv);
  QTest::newRow("12/x85 10") << U("12\302\205"sv) << 10 << U("12"sv);
  QTest::newRow("/x1c5 10")
      << U("\0345"sv) << 10
      << U("!!ValueError: invalid literal for int() with base 10: '\\x1c5'"sv);
  QTest::newRow("/uff15 10") << U("５"sv) << 10 << U("5"sv);
  QTest::newRow("ababababababababababababababababababababababababababababababababababab")
      << U("abababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab"sv)
      << 10
      << U("!!ValueError: invalid literal for int() with base 10: 'abababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababa"sv);
  QTest::newRow("1 1") << U("1"sv) << 1
                       << U("!!ValueError: int() base must be >= 2 and <= 36, or 0"sv);
  QTest::newRow("1 37") << U("1"sv) << 37
                        << U("!!ValueError: int() base must be >= 2 and <= 36, or 0"sv);
  QTest::newRow("1 -1") << U("1"sv) << -1
                        << U("!!ValueError: int() base must be >= 2 and <= 36, or 0"sv);
}

void tst_PyFormat::parseInt()
{
  QFETCH(QByteArray, text);
  QFETCH(int, base);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return show(parse_int(S8(text), base)); }), expected);
}

void tst_PyFormat::parseFloat_data()
{
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<double>("expected");
  QTest::addColumn<QByteArray>("error");
  QTest::newRow("0") << U("0"sv) << 0.0 << U(""sv);
  QTest::newRow("1.5") << U("1.5"sv) << 1.5 << U(""sv);
  QTest::newRow("-1.5") << U("-1.5"sv) << -1.5 << U(""sv);
  QTest::newRow("+1.5") << U("+1.5"sv) << 1.5 << U(""sv);
  QTest::newRow("  1.5  ") << U("  1.5  "sv) << 1.5 << U(""sv);
  QTest::newRow("1_0.5") << U("1_0.5"sv) << 10.5 << U(""sv);
  QTest::newRow("1__0") << U("1__0"sv) << 0.0
                        << U("!!ValueError: could not convert string to float: '1__0'"sv);
  QTest::newRow("1_e5") << U("1_e5"sv) << 0.0
                        << U("!!ValueError: could not convert string to float: '1_e5'"sv);
  QTest::newRow("1e1_0") << U("1e1_0"sv) << 10000000000.0 << U(""sv);
  QTest::newRow("1_000.000_1") << U("1_000.000_1"sv) << 1000.0001 << U(""sv);
  QTest::newRow("1._5") << U("1._5"sv) << 0.0
                        << U("!!ValueError: could not convert string to float: '1._5'"sv);
  QTest::newRow("1_.5") << U("1_.5"sv) << 0.0
                        << U("!!ValueError: could not convert string to float: '1_.5'"sv);
  QTest::newRow("_1") << U("_1"sv) << 0.0
                      << U("!!ValueError: could not convert string to float: '_1'"sv);
  QTest::newRow("1_") << U("1_"sv) << 0.0
                      << U("!!ValueError: could not convert string to float: '1_'"sv);
  QTest::newRow("in_f") << U("in_f"sv) << 0.0
                        << U("!!ValueError: could not convert string to float: 'in_f'"sv);
  QTest::newRow(".5") << U(".5"sv) << 0.5 << U(""sv);
  QTest::newRow("5.") << U("5."sv) << 5.0 << U(""sv);
  QTest::newRow(".") << U("."sv) << 0.0
                     << U("!!ValueError: could not convert string to float: '.'"sv);
  QTest::newRow("e5") << U("e5"sv) << 0.0
                      << U("!!ValueError: could not convert string to float: 'e5'"sv);
  QTest::newRow("1e") << U("1e"sv) << 0.0
                      << U("!!ValueError: could not convert string to float: '1e'"sv);
  QTest::newRow("1e+") << U("1e+"sv) << 0.0
                       << U("!!ValueError: could not convert string to float: '1e+'"sv);
  QTest::newRow("1E+05") << U("1E+05"sv) << 100000.0 << U(""sv);
  QTest::newRow("1e-5") << U("1e-5"sv) << 1e-05 << U(""sv);
  QTest::newRow("inf") << U("inf"sv) << kInf << U(""sv);
  QTest::newRow("INF") << U("INF"sv) << kInf << U(""sv);
  QTest::newRow("-Infinity") << U("-Infinity"sv) << -kInf << U(""sv);
  QTest::newRow("iNfInItY") << U("iNfInItY"sv) << kInf << U(""sv);
  QTest::newRow("+inf") << U("+inf"sv) << kInf << U(""sv);
  QTest::newRow("infinit") << U("infinit"sv) << 0.0
                           << U("!!ValueError: could not convert string to float: 'infinit'"sv);
  QTest::newRow("nan") << U("nan"sv) << kNaN << U(""sv);
  QTest::newRow("NaN") << U("NaN"sv) << kNaN << U(""sv);
  QTest::newRow("-nan") << U("-nan"sv) << kNaN << U(""sv);
  QTest::newRow("+nan") << U("+nan"sv) << kNaN << U(""sv);
  QTest::newRow("nan(1)") << U("nan(1)"sv) << 0.0
                          << U("!!ValueError: could not convert string to float: 'nan(1)'"sv);
  QTest::newRow("0x10") << U("0x10"sv) << 0.0
                        << U("!!ValueError: could not convert string to float: '0x10'"sv);
  QTest::newRow("1e-400") << U("1e-400"sv) << 0.0 << U(""sv);
  QTest::newRow("-1e-400") << U("-1e-400"sv) << -0.0 << U(""sv);
  QTest::newRow("1e309") << U("1e309"sv) << kInf << U(""sv);
  QTest::newRow("-1e309") << U("-1e309"sv) << -kInf << U(""sv);
  QTest::newRow("4.9e-324") << U("4.9e-324"sv) << 5e-324 << U(""sv);
  QTest::newRow("2.4703282292062328e-324") << U("2.4703282292062328e-324"sv) << 5e-324 << U(""sv);
  QTest::newRow("2.4703282292062327e-324") << U("2.4703282292062327e-324"sv) << 0.0 << U(""sv);
  QTest::newRow("1.7976931348623158e308")
      << U("1.7976931348623158e308"sv) << 1.7976931348623157e+308 << U(""sv);
  QTest::newRow("1.7976931348623159e308") << U("1.7976931348623159e308"sv) << kInf << U(""sv);
  QTest::newRow("-0") << U("-0"sv) << -0.0 << U(""sv);
  QTest::newRow("-0.0") << U("-0.0"sv) << -0.0 << U(""sv);
  QTest::newRow("0.1") << U("0.1"sv) << 0.1 << U(""sv);
  QTest::newRow("111111111111111111111111111111")
      << U("111111111111111111111111111111"sv) << 1.111111111111111e+29 << U(""sv);
  QTest::newRow("0.0000000000000000000000000000001")
      << U("0.0000000000000000000000000000001"sv) << 1e-31 << U(""sv);
  QTest::newRow("/u0661./u0665") << U("١.٥"sv) << 1.5 << U(""sv);
  QTest::newRow("/xa01.5/u2003") << U("\302\2401.5\342\200\203"sv) << 1.5 << U(""sv);
  QTest::newRow("5/x85") << U("5\302\205"sv) << 5.0 << U(""sv);
  QTest::newRow("/x1c5") << U("\0345"sv) << 0.0
                         << U("!!ValueError: could not convert string to float: '\\x1c5'"sv);
  QTest::newRow("x") << U("x"sv) << 0.0
                     << U("!!ValueError: could not convert string to float: 'x'"sv);
  QTest::newRow("") << U(""sv) << 0.0 << U("!!ValueError: could not convert string to float: ''"sv);
  QTest::newRow("  ") << U("  "sv) << 0.0
                      << U("!!ValueError: could not convert string to float: '  '"sv);
  QTest::newRow("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
      << U("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"sv)
      << 0.0
      << U("!!ValueError: could not convert string to float: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"sv);
  QTest::newRow("1.5/x00") << U("1.5\000"sv) << 0.0
                           << U("!!ValueError: could not convert string to float: '1.5\\x00'"sv);
}

void tst_PyFormat::parseFloat()
{
  QFETCH(QByteArray, text);
  QFETCH(double, expected);
  QFETCH(QByteArray, error);
  if (!error.isEmpty()) {
    QCOMPARE(outcome([&] { return show(parse_float(S8(text))); }), error);
    return;
  }
  COMPARE_DOUBLE(parse_float(S8(text)), expected);
}

void tst_PyFormat::intArithmetic_data()
{
  QTest::addColumn<QByteArray>("op");
  QTest::addColumn<qint64>("a");
  QTest::addColumn<qint64>("b");
  QTest::addColumn<qint64>("c");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("7 // 2") << U("//"sv) << 7_i << 2_i << 0_i << U("3"sv);
  QTest::newRow("7 % 2") << U("%"sv) << 7_i << 2_i << 0_i << U("1"sv);
  QTest::newRow("7 divmod 2") << U("divmod"sv) << 7_i << 2_i << 0_i << U("(3, 1)"sv);
  QTest::newRow("7 / 2") << U("/"sv) << 7_i << 2_i << 0_i << U("3.5"sv);
  QTest::newRow("-7 // 2") << U("//"sv) << -7_i << 2_i << 0_i << U("-4"sv);
  QTest::newRow("-7 % 2") << U("%"sv) << -7_i << 2_i << 0_i << U("1"sv);
  QTest::newRow("-7 divmod 2") << U("divmod"sv) << -7_i << 2_i << 0_i << U("(-4, 1)"sv);
  QTest::newRow("-7 / 2") << U("/"sv) << -7_i << 2_i << 0_i << U("-3.5"sv);
  QTest::newRow("7 // -2") << U("//"sv) << 7_i << -2_i << 0_i << U("-4"sv);
  QTest::newRow("7 % -2") << U("%"sv) << 7_i << -2_i << 0_i << U("-1"sv);
  QTest::newRow("7 divmod -2") << U("divmod"sv) << 7_i << -2_i << 0_i << U("(-4, -1)"sv);
  QTest::newRow("7 / -2") << U("/"sv) << 7_i << -2_i << 0_i << U("-3.5"sv);
  QTest::newRow("-7 // -2") << U("//"sv) << -7_i << -2_i << 0_i << U("3"sv);
  QTest::newRow("-7 % -2") << U("%"sv) << -7_i << -2_i << 0_i << U("-1"sv);
  QTest::newRow("-7 divmod -2") << U("divmod"sv) << -7_i << -2_i << 0_i << U("(3, -1)"sv);
  QTest::newRow("-7 / -2") << U("/"sv) << -7_i << -2_i << 0_i << U("3.5"sv);
  QTest::newRow("0 // 5") << U("//"sv) << 0_i << 5_i << 0_i << U("0"sv);
  QTest::newRow("0 % 5") << U("%"sv) << 0_i << 5_i << 0_i << U("0"sv);
  QTest::newRow("0 divmod 5") << U("divmod"sv) << 0_i << 5_i << 0_i << U("(0, 0)"sv);
  QTest::newRow("0 / 5") << U("/"sv) << 0_i << 5_i << 0_i << U("0.0"sv);
  QTest::newRow("0 // -5") << U("//"sv) << 0_i << -5_i << 0_i << U("0"sv);
  QTest::newRow("0 % -5") << U("%"sv) << 0_i << -5_i << 0_i << U("0"sv);
  QTest::newRow("0 divmod -5") << U("divmod"sv) << 0_i << -5_i << 0_i << U("(0, 0)"sv);
  QTest::newRow("0 / -5") << U("/"sv) << 0_i << -5_i << 0_i << U("-0.0"sv);
  QTest::newRow("6 // 3") << U("//"sv) << 6_i << 3_i << 0_i << U("2"sv);
  QTest::newRow("6 % 3") << U("%"sv) << 6_i << 3_i << 0_i << U("0"sv);
  QTest::newRow("6 divmod 3") << U("divmod"sv) << 6_i << 3_i << 0_i << U("(2, 0)"sv);
  QTest::newRow("6 / 3") << U("/"sv) << 6_i << 3_i << 0_i << U("2.0"sv);
  QTest::newRow("-6 // 3") << U("//"sv) << -6_i << 3_i << 0_i << U("-2"sv);
  QTest::newRow("-6 % 3") << U("%"sv) << -6_i << 3_i << 0_i << U("0"sv);
  QTest::newRow("-6 divmod 3") << U("divmod"sv) << -6_i << 3_i << 0_i << U("(-2, 0)"sv);
  QTest::newRow("-6 / 3") << U("/"sv) << -6_i << 3_i << 0_i << U("-2.0"sv);
  QTest::newRow("1 // 0") << U("//"sv) << 1_i << 0_i << 0_i
                          << U("!!ZeroDivisionError: integer division or modulo by zero"sv);
  QTest::newRow("1 % 0") << U("%"sv) << 1_i << 0_i << 0_i
                         << U("!!ZeroDivisionError: integer modulo by zero"sv);
  QTest::newRow("1 divmod 0") << U("divmod"sv) << 1_i << 0_i << 0_i
                              << U("!!ZeroDivisionError: integer division or modulo by zero"sv);
  QTest::newRow("1 / 0") << U("/"sv) << 1_i << 0_i << 0_i
                         << U("!!ZeroDivisionError: division by zero"sv);
  QTest::newRow("0 // 0") << U("//"sv) << 0_i << 0_i << 0_i
                          << U("!!ZeroDivisionError: integer division or modulo by zero"sv);
  QTest::newRow("0 % 0") << U("%"sv) << 0_i << 0_i << 0_i
                         << U("!!ZeroDivisionError: integer modulo by zero"sv);
  QTest::newRow("0 divmod 0") << U("divmod"sv) << 0_i << 0_i << 0_i
                              << U("!!ZeroDivisionError: integer division or modulo by zero"sv);
  QTest::newRow("0 / 0") << U("/"sv) << 0_i << 0_i << 0_i
                         << U("!!ZeroDivisionError: division by zero"sv);
  QTest::newRow("9223372036854775807 // -1")
      << U("//"sv) << kMax << -1_i << 0_i << U("-9223372036854775807"sv);
  QTest::newRow("9223372036854775807 % -1") << U("%"sv) << kMax << -1_i << 0_i << U("0"sv);
  QTest::newRow("9223372036854775807 divmod -1")
      << U("divmod"sv) << kMax << -1_i << 0_i << U("(-9223372036854775807, 0)"sv);
  QTest::newRow("9223372036854775807 / -1")
      << U("/"sv) << kMax << -1_i << 0_i << U("-9.223372036854776e+18"sv);
  QTest::newRow("-9223372036854775808 // -1")
      << U("//"sv) << kMin << -1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-9223372036854775808 % -1") << U("%"sv) << kMin << -1_i << 0_i << U("0"sv);
  QTest::newRow("-9223372036854775808 divmod -1")
      << U("divmod"sv) << kMin << -1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-9223372036854775808 / -1")
      << U("/"sv) << kMin << -1_i << 0_i << U("9.223372036854776e+18"sv);
  QTest::newRow("-9223372036854775808 // 1")
      << U("//"sv) << kMin << 1_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("-9223372036854775808 % 1") << U("%"sv) << kMin << 1_i << 0_i << U("0"sv);
  QTest::newRow("-9223372036854775808 divmod 1")
      << U("divmod"sv) << kMin << 1_i << 0_i << U("(-9223372036854775808, 0)"sv);
  QTest::newRow("-9223372036854775808 / 1")
      << U("/"sv) << kMin << 1_i << 0_i << U("-9.223372036854776e+18"sv);
  QTest::newRow("-9223372036854775808 // 2")
      << U("//"sv) << kMin << 2_i << 0_i << U("-4611686018427387904"sv);
  QTest::newRow("-9223372036854775808 % 2") << U("%"sv) << kMin << 2_i << 0_i << U("0"sv);
  QTest::newRow("-9223372036854775808 divmod 2")
      << U("divmod"sv) << kMin << 2_i << 0_i << U("(-4611686018427387904, 0)"sv);
  QTest::newRow("-9223372036854775808 / 2")
      << U("/"sv) << kMin << 2_i << 0_i << U("-4.611686018427388e+18"sv);
  QTest::newRow("9223372036854775807 // 9223372036854775807")
      << U("//"sv) << kMax << kMax << 0_i << U("1"sv);
  QTest::newRow("9223372036854775807 % 9223372036854775807")
      << U("%"sv) << kMax << kMax << 0_i << U("0"sv);
  QTest::newRow("9223372036854775807 divmod 9223372036854775807")
      << U("divmod"sv) << kMax << kMax << 0_i << U("(1, 0)"sv);
  QTest::newRow("9223372036854775807 / 9223372036854775807")
      << U("/"sv) << kMax << kMax << 0_i << U("1.0"sv);
  QTest::newRow("-9223372036854775808 // 9223372036854775807")
      << U("//"sv) << kMin << kMax << 0_i << U("-2"sv);
  QTest::newRow("-9223372036854775808 % 9223372036854775807")
      << U("%"sv) << kMin << kMax << 0_i << U("9223372036854775806"sv);
  QTest::newRow("-9223372036854775808 divmod 9223372036854775807")
      << U("divmod"sv) << kMin << kMax << 0_i << U("(-2, 9223372036854775806)"sv);
  QTest::newRow("-9223372036854775808 / 9223372036854775807")
      << U("/"sv) << kMin << kMax << 0_i << U("-1.0"sv);
  QTest::newRow("5 // 1000000000000000000")
      << U("//"sv) << 5_i << 1000000000000000000_i << 0_i << U("0"sv);
  QTest::newRow("5 % 1000000000000000000")
      << U("%"sv) << 5_i << 1000000000000000000_i << 0_i << U("5"sv);
  QTest::newRow("5 divmod 1000000000000000000")
      << U("divmod"sv) << 5_i << 1000000000000000000_i << 0_i << U("(0, 5)"sv);
  QTest::newRow("5 / 1000000000000000000")
      << U("/"sv) << 5_i << 1000000000000000000_i << 0_i << U("5e-18"sv);
  QTest::newRow("9223372036854775807 // 3")
      << U("//"sv) << kMax << 3_i << 0_i << U("3074457345618258602"sv);
  QTest::newRow("9223372036854775807 % 3") << U("%"sv) << kMax << 3_i << 0_i << U("1"sv);
  QTest::newRow("9223372036854775807 divmod 3")
      << U("divmod"sv) << kMax << 3_i << 0_i << U("(3074457345618258602, 1)"sv);
  QTest::newRow("9223372036854775807 / 3")
      << U("/"sv) << kMax << 3_i << 0_i << U("3.0744573456182584e+18"sv);
  QTest::newRow("-9223372036854775808 // 7")
      << U("//"sv) << kMin << 7_i << 0_i << U("-1317624576693539402"sv);
  QTest::newRow("-9223372036854775808 % 7") << U("%"sv) << kMin << 7_i << 0_i << U("6"sv);
  QTest::newRow("-9223372036854775808 divmod 7")
      << U("divmod"sv) << kMin << 7_i << 0_i << U("(-1317624576693539402, 6)"sv);
  QTest::newRow("-9223372036854775808 / 7")
      << U("/"sv) << kMin << 7_i << 0_i << U("-1.3176245766935393e+18"sv);
  QTest::newRow("-1 // 9223372036854775807") << U("//"sv) << -1_i << kMax << 0_i << U("-1"sv);
  QTest::newRow("-1 % 9223372036854775807")
      << U("%"sv) << -1_i << kMax << 0_i << U("9223372036854775806"sv);
  QTest::newRow("-1 divmod 9223372036854775807")
      << U("divmod"sv) << -1_i << kMax << 0_i << U("(-1, 9223372036854775806)"sv);
  QTest::newRow("-1 / 9223372036854775807")
      << U("/"sv) << -1_i << kMax << 0_i << U("-1.0842021724855044e-19"sv);
  QTest::newRow("1 + 2") << U("+"sv) << 1_i << 2_i << 0_i << U("3"sv);
  QTest::newRow("1 - 2") << U("-"sv) << 1_i << 2_i << 0_i << U("-1"sv);
  QTest::newRow("1 * 2") << U("*"sv) << 1_i << 2_i << 0_i << U("2"sv);
  QTest::newRow("9223372036854775807 + 1")
      << U("+"sv) << kMax << 1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("9223372036854775807 - 1")
      << U("-"sv) << kMax << 1_i << 0_i << U("9223372036854775806"sv);
  QTest::newRow("9223372036854775807 * 1")
      << U("*"sv) << kMax << 1_i << 0_i << U("9223372036854775807"sv);
  QTest::newRow("-9223372036854775808 + -1")
      << U("+"sv) << kMin << -1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-9223372036854775808 - -1")
      << U("-"sv) << kMin << -1_i << 0_i << U("-9223372036854775807"sv);
  QTest::newRow("-9223372036854775808 * -1")
      << U("*"sv) << kMin << -1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("9223372036854775807 + -1")
      << U("+"sv) << kMax << -1_i << 0_i << U("9223372036854775806"sv);
  QTest::newRow("9223372036854775807 - -1")
      << U("-"sv) << kMax << -1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("9223372036854775807 * -1")
      << U("*"sv) << kMax << -1_i << 0_i << U("-9223372036854775807"sv);
  QTest::newRow("-9223372036854775808 + 1")
      << U("+"sv) << kMin << 1_i << 0_i << U("-9223372036854775807"sv);
  QTest::newRow("-9223372036854775808 - 1")
      << U("-"sv) << kMin << 1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-9223372036854775808 * 1")
      << U("*"sv) << kMin << 1_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("3037000499 + 3037000499")
      << U("+"sv) << 3037000499_i << 3037000499_i << 0_i << U("6074000998"sv);
  QTest::newRow("3037000499 - 3037000499")
      << U("-"sv) << 3037000499_i << 3037000499_i << 0_i << U("0"sv);
  QTest::newRow("3037000499 * 3037000499")
      << U("*"sv) << 3037000499_i << 3037000499_i << 0_i << U("9223372030926249001"sv);
  QTest::newRow("3037000500 + 3037000500")
      << U("+"sv) << 3037000500_i << 3037000500_i << 0_i << U("6074001000"sv);
  QTest::newRow("3037000500 - 3037000500")
      << U("-"sv) << 3037000500_i << 3037000500_i << 0_i << U("0"sv);
  QTest::newRow("3037000500 * 3037000500")
      << U("*"sv) << 3037000500_i << 3037000500_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-3037000500 + 3037000500")
      << U("+"sv) << -3037000500_i << 3037000500_i << 0_i << U("0"sv);
  QTest::newRow("-3037000500 - 3037000500")
      << U("-"sv) << -3037000500_i << 3037000500_i << 0_i << U("-6074001000"sv);
  QTest::newRow("-3037000500 * 3037000500")
      << U("*"sv) << -3037000500_i << 3037000500_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("4294967296 + 2147483648")
      << U("+"sv) << 4294967296_i << 2147483648_i << 0_i << U("6442450944"sv);
  QTest::newRow("4294967296 - 2147483648")
      << U("-"sv) << 4294967296_i << 2147483648_i << 0_i << U("2147483648"sv);
  QTest::newRow("4294967296 * 2147483648")
      << U("*"sv) << 4294967296_i << 2147483648_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("4294967296 + -2147483648")
      << U("+"sv) << 4294967296_i << -2147483648_i << 0_i << U("2147483648"sv);
  QTest::newRow("4294967296 - -2147483648")
      << U("-"sv) << 4294967296_i << -2147483648_i << 0_i << U("6442450944"sv);
  QTest::newRow("4294967296 * -2147483648")
      << U("*"sv) << 4294967296_i << -2147483648_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("-9223372036854775808 + 0")
      << U("+"sv) << kMin << 0_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("-9223372036854775808 - 0")
      << U("-"sv) << kMin << 0_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("-9223372036854775808 * 0") << U("*"sv) << kMin << 0_i << 0_i << U("0"sv);
  QTest::newRow("0 neg 0") << U("neg"sv) << 0_i << 0_i << 0_i << U("0"sv);
  QTest::newRow("0 abs 0") << U("abs"sv) << 0_i << 0_i << 0_i << U("0"sv);
  QTest::newRow("5 neg 0") << U("neg"sv) << 5_i << 0_i << 0_i << U("-5"sv);
  QTest::newRow("5 abs 0") << U("abs"sv) << 5_i << 0_i << 0_i << U("5"sv);
  QTest::newRow("-5 neg 0") << U("neg"sv) << -5_i << 0_i << 0_i << U("5"sv);
  QTest::newRow("-5 abs 0") << U("abs"sv) << -5_i << 0_i << 0_i << U("5"sv);
  QTest::newRow("9223372036854775807 neg 0")
      << U("neg"sv) << kMax << 0_i << 0_i << U("-9223372036854775807"sv);
  QTest::newRow("9223372036854775807 abs 0")
      << U("abs"sv) << kMax << 0_i << 0_i << U("9223372036854775807"sv);
  QTest::newRow("-9223372036854775808 neg 0")
      << U("neg"sv) << kMin << 0_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-9223372036854775808 abs 0")
      << U("abs"sv) << kMin << 0_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("1 << 0") << U("<<"sv) << 1_i << 0_i << 0_i << U("1"sv);
  QTest::newRow("1 << 62") << U("<<"sv) << 1_i << 62_i << 0_i << U("4611686018427387904"sv);
  QTest::newRow("1 << 63") << U("<<"sv) << 1_i << 63_i << 0_i
                           << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-1 << 63") << U("<<"sv) << -1_i << 63_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("3 << 61") << U("<<"sv) << 3_i << 61_i << 0_i << U("6917529027641081856"sv);
  QTest::newRow("3 << 62") << U("<<"sv) << 3_i << 62_i << 0_i
                           << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("0 << 1000") << U("<<"sv) << 0_i << 1000_i << 0_i << U("0"sv);
  QTest::newRow("5 << -1") << U("<<"sv) << 5_i << -1_i << 0_i
                           << U("!!ValueError: negative shift count"sv);
  QTest::newRow("-5 << 1") << U("<<"sv) << -5_i << 1_i << 0_i << U("-10"sv);
  QTest::newRow("9223372036854775807 << 1")
      << U("<<"sv) << kMax << 1_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("16 >> 2") << U(">>"sv) << 16_i << 2_i << 0_i << U("4"sv);
  QTest::newRow("-16 >> 2") << U(">>"sv) << -16_i << 2_i << 0_i << U("-4"sv);
  QTest::newRow("-1 >> 100") << U(">>"sv) << -1_i << 100_i << 0_i << U("-1"sv);
  QTest::newRow("1 >> 100") << U(">>"sv) << 1_i << 100_i << 0_i << U("0"sv);
  QTest::newRow("-17 >> 1") << U(">>"sv) << -17_i << 1_i << 0_i << U("-9"sv);
  QTest::newRow("5 >> -1") << U(">>"sv) << 5_i << -1_i << 0_i
                           << U("!!ValueError: negative shift count"sv);
  QTest::newRow("-9223372036854775808 >> 63") << U(">>"sv) << kMin << 63_i << 0_i << U("-1"sv);
  QTest::newRow("-9223372036854775808 >> 64") << U(">>"sv) << kMin << 64_i << 0_i << U("-1"sv);
  QTest::newRow("2 ** 10") << U("**"sv) << 2_i << 10_i << 0_i << U("1024"sv);
  QTest::newRow("2 ** 62") << U("**"sv) << 2_i << 62_i << 0_i << U("4611686018427387904"sv);
  QTest::newRow("2 ** 63") << U("**"sv) << 2_i << 63_i << 0_i
                           << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-2 ** 63") << U("**"sv) << -2_i << 63_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("-2 ** 64") << U("**"sv) << -2_i << 64_i << 0_i
                            << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("3 ** 39") << U("**"sv) << 3_i << 39_i << 0_i << U("4052555153018976267"sv);
  QTest::newRow("3 ** 40") << U("**"sv) << 3_i << 40_i << 0_i
                           << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("10 ** 18") << U("**"sv) << 10_i << 18_i << 0_i << U("1000000000000000000"sv);
  QTest::newRow("10 ** 19") << U("**"sv) << 10_i << 19_i << 0_i
                            << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-10 ** 19")
      << U("**"sv) << -10_i << 19_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("0 ** 0") << U("**"sv) << 0_i << 0_i << 0_i << U("1"sv);
  QTest::newRow("0 ** 5") << U("**"sv) << 0_i << 5_i << 0_i << U("0"sv);
  QTest::newRow("1 ** 1000000000000000000")
      << U("**"sv) << 1_i << 1000000000000000000_i << 0_i << U("1"sv);
  QTest::newRow("-1 ** 1000000000000000001")
      << U("**"sv) << -1_i << 1000000000000000001_i << 0_i << U("-1"sv);
  QTest::newRow("-1 ** 1000000000000000000")
      << U("**"sv) << -1_i << 1000000000000000000_i << 0_i << U("1"sv);
  QTest::newRow("2 ** -1") << U("**"sv) << 2_i << -1_i << 0_i << U("0.5"sv);
  QTest::newRow("2 ** -2") << U("**"sv) << 2_i << -2_i << 0_i << U("0.25"sv);
  QTest::newRow("-2 ** -1") << U("**"sv) << -2_i << -1_i << 0_i << U("-0.5"sv);
  QTest::newRow("0 ** -1") << U("**"sv) << 0_i << -1_i << 0_i
                           << U("!!ZeroDivisionError: 0.0 cannot be raised to a negative power"sv);
  QTest::newRow("10 ** -400") << U("**"sv) << 10_i << -400_i << 0_i << U("0.0"sv);
  QTest::newRow("7 ** 0") << U("**"sv) << 7_i << 0_i << 0_i << U("1"sv);
  QTest::newRow("9223372036854775807 ** 2")
      << U("**"sv) << kMax << 2_i << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("-9223372036854775808 ** 1")
      << U("**"sv) << kMin << 1_i << 0_i << U("-9223372036854775808"sv);
  QTest::newRow("2 ** 9223372036854775807")
      << U("**"sv) << 2_i << kMax << 0_i
      << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("pow 2 10 1000") << U("powmod"sv) << 2_i << 10_i << 1000_i << U("24"sv);
  QTest::newRow("pow 3 200 7") << U("powmod"sv) << 3_i << 200_i << 7_i << U("2"sv);
  QTest::newRow("pow 2 -1 4") << U("powmod"sv) << 2_i << -1_i << 4_i
                              << U("!!ValueError: base is not invertible for the given modulus"sv);
  QTest::newRow("pow 3 -1 7") << U("powmod"sv) << 3_i << -1_i << 7_i << U("5"sv);
  QTest::newRow("pow 3 -1 -7") << U("powmod"sv) << 3_i << -1_i << -7_i << U("-2"sv);
  QTest::newRow("pow -3 3 7") << U("powmod"sv) << -3_i << 3_i << 7_i << U("1"sv);
  QTest::newRow("pow -3 3 -7") << U("powmod"sv) << -3_i << 3_i << -7_i << U("-6"sv);
  QTest::newRow("pow 5 0 1") << U("powmod"sv) << 5_i << 0_i << 1_i << U("0"sv);
  QTest::newRow("pow 5 3 -1") << U("powmod"sv) << 5_i << 3_i << -1_i << U("0"sv);
  QTest::newRow("pow 5 3 0") << U("powmod"sv) << 5_i << 3_i << 0_i
                             << U("!!ValueError: pow() 3rd argument cannot be 0"sv);
  QTest::newRow("pow 9223372036854775807 9223372036854775807 9223372036854775806")
      << U("powmod"sv) << kMax << kMax << 9223372036854775806_i << U("1"sv);
  QTest::newRow("pow -9223372036854775808 3 1000000007")
      << U("powmod"sv) << kMin << 3_i << 1000000007_i << U("523193634"sv);
  QTest::newRow("pow 12345 -3 1000000007")
      << U("powmod"sv) << 12345_i << -3_i << 1000000007_i << U("363106008"sv);
  QTest::newRow("pow 2 62 -9223372036854775808")
      << U("powmod"sv) << 2_i << 62_i << kMin << U("-4611686018427387904"sv);
  QTest::newRow("pow 4 0 3") << U("powmod"sv) << 4_i << 0_i << 3_i << U("1"sv);
  QTest::newRow("pow 0 -1 5") << U("powmod"sv) << 0_i << -1_i << 5_i
                              << U("!!ValueError: base is not invertible for the given modulus"sv);
  QTest::newRow("pow 6 -1 9") << U("powmod"sv) << 6_i << -1_i << 9_i
                              << U("!!ValueError: base is not invertible for the given modulus"sv);
}

void tst_PyFormat::intArithmetic()
{
  QFETCH(QByteArray, op);
  QFETCH(qint64, a);
  QFETCH(qint64, b);
  QFETCH(qint64, c);
  QFETCH(QByteArray, expected);
  const QByteArray got = outcome([&]() -> std::string {
    if (op == "//")
      return show(floordiv(a, b));
    if (op == "%")
      return show(mod(a, b));
    if (op == "divmod")
      return show(divmod(a, b));
    if (op == "/")
      return show(int_true_div(a, b));
    if (op == "+")
      return show(checked_add(a, b));
    if (op == "-")
      return show(checked_sub(a, b));
    if (op == "*")
      return show(checked_mul(a, b));
    if (op == "neg")
      return show(checked_neg(a));
    if (op == "abs")
      return show(checked_abs(a));
    if (op == "<<")
      return show(lshift(a, b));
    if (op == ">>")
      return show(rshift(a, b));
    if (op == "powmod")
      return show(pow_mod(a, b, c));
    const auto r = pow_int(a, b);
    return r.index() == 0 ? show(std::get<0>(r)) : show(std::get<1>(r));
  });
  QCOMPARE(got, expected);
}

void tst_PyFormat::floatArithmetic_data()
{
  QTest::addColumn<QByteArray>("op");
  QTest::addColumn<double>("a");
  QTest::addColumn<double>("b");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("7.5 / 2.0") << U("/"sv) << 7.5 << 2.0 << U("3.75"sv);
  QTest::newRow("7.5 // 2.0") << U("//"sv) << 7.5 << 2.0 << U("3.0"sv);
  QTest::newRow("7.5 % 2.0") << U("%"sv) << 7.5 << 2.0 << U("1.5"sv);
  QTest::newRow("7.5 divmod 2.0") << U("divmod"sv) << 7.5 << 2.0 << U("(3.0, 1.5)"sv);
  QTest::newRow("-7.5 / 2.0") << U("/"sv) << -7.5 << 2.0 << U("-3.75"sv);
  QTest::newRow("-7.5 // 2.0") << U("//"sv) << -7.5 << 2.0 << U("-4.0"sv);
  QTest::newRow("-7.5 % 2.0") << U("%"sv) << -7.5 << 2.0 << U("0.5"sv);
  QTest::newRow("-7.5 divmod 2.0") << U("divmod"sv) << -7.5 << 2.0 << U("(-4.0, 0.5)"sv);
  QTest::newRow("7.5 / -2.0") << U("/"sv) << 7.5 << -2.0 << U("-3.75"sv);
  QTest::newRow("7.5 // -2.0") << U("//"sv) << 7.5 << -2.0 << U("-4.0"sv);
  QTest::newRow("7.5 % -2.0") << U("%"sv) << 7.5 << -2.0 << U("-0.5"sv);
  QTest::newRow("7.5 divmod -2.0") << U("divmod"sv) << 7.5 << -2.0 << U("(-4.0, -0.5)"sv);
  QTest::newRow("-7.5 / -2.0") << U("/"sv) << -7.5 << -2.0 << U("3.75"sv);
  QTest::newRow("-7.5 // -2.0") << U("//"sv) << -7.5 << -2.0 << U("3.0"sv);
  QTest::newRow("-7.5 % -2.0") << U("%"sv) << -7.5 << -2.0 << U("-1.5"sv);
  QTest::newRow("-7.5 divmod -2.0") << U("divmod"sv) << -7.5 << -2.0 << U("(3.0, -1.5)"sv);
  QTest::newRow("0.0 / 3.0") << U("/"sv) << 0.0 << 3.0 << U("0.0"sv);
  QTest::newRow("0.0 // 3.0") << U("//"sv) << 0.0 << 3.0 << U("0.0"sv);
  QTest::newRow("0.0 % 3.0") << U("%"sv) << 0.0 << 3.0 << U("0.0"sv);
  QTest::newRow("0.0 divmod 3.0") << U("divmod"sv) << 0.0 << 3.0 << U("(0.0, 0.0)"sv);
  QTest::newRow("-0.0 / 3.0") << U("/"sv) << -0.0 << 3.0 << U("-0.0"sv);
  QTest::newRow("-0.0 // 3.0") << U("//"sv) << -0.0 << 3.0 << U("-0.0"sv);
  QTest::newRow("-0.0 % 3.0") << U("%"sv) << -0.0 << 3.0 << U("0.0"sv);
  QTest::newRow("-0.0 divmod 3.0") << U("divmod"sv) << -0.0 << 3.0 << U("(-0.0, 0.0)"sv);
  QTest::newRow("0.0 / -3.0") << U("/"sv) << 0.0 << -3.0 << U("-0.0"sv);
  QTest::newRow("0.0 // -3.0") << U("//"sv) << 0.0 << -3.0 << U("-0.0"sv);
  QTest::newRow("0.0 % -3.0") << U("%"sv) << 0.0 << -3.0 << U("-0.0"sv);
  QTest::newRow("0.0 divmod -3.0") << U("divmod"sv) << 0.0 << -3.0 << U("(-0.0, -0.0)"sv);
  QTest::newRow("-0.0 / -3.0") << U("/"sv) << -0.0 << -3.0 << U("0.0"sv);
  QTest::newRow("-0.0 // -3.0") << U("//"sv) << -0.0 << -3.0 << U("0.0"sv);
  QTest::newRow("-0.0 % -3.0") << U("%"sv) << -0.0 << -3.0 << U("-0.0"sv);
  QTest::newRow("-0.0 divmod -3.0") << U("divmod"sv) << -0.0 << -3.0 << U("(0.0, -0.0)"sv);
  QTest::newRow("1.0 / 0.0") << U("/"sv) << 1.0 << 0.0
                             << U("!!ZeroDivisionError: float division by zero"sv);
  QTest::newRow("1.0 // 0.0") << U("//"sv) << 1.0 << 0.0
                              << U("!!ZeroDivisionError: float floor division by zero"sv);
  QTest::newRow("1.0 % 0.0") << U("%"sv) << 1.0 << 0.0 << U("!!ZeroDivisionError: float modulo"sv);
  QTest::newRow("1.0 divmod 0.0") << U("divmod"sv) << 1.0 << 0.0
                                  << U("!!ZeroDivisionError: float divmod()"sv);
  QTest::newRow("0.0 / 0.0") << U("/"sv) << 0.0 << 0.0
                             << U("!!ZeroDivisionError: float division by zero"sv);
  QTest::newRow("0.0 // 0.0") << U("//"sv) << 0.0 << 0.0
                              << U("!!ZeroDivisionError: float floor division by zero"sv);
  QTest::newRow("0.0 % 0.0") << U("%"sv) << 0.0 << 0.0 << U("!!ZeroDivisionError: float modulo"sv);
  QTest::newRow("0.0 divmod 0.0") << U("divmod"sv) << 0.0 << 0.0
                                  << U("!!ZeroDivisionError: float divmod()"sv);
  QTest::newRow("1.0 / -0.0") << U("/"sv) << 1.0 << -0.0
                              << U("!!ZeroDivisionError: float division by zero"sv);
  QTest::newRow("1.0 // -0.0") << U("//"sv) << 1.0 << -0.0
                               << U("!!ZeroDivisionError: float floor division by zero"sv);
  QTest::newRow("1.0 % -0.0") << U("%"sv) << 1.0 << -0.0
                              << U("!!ZeroDivisionError: float modulo"sv);
  QTest::newRow("1.0 divmod -0.0")
      << U("divmod"sv) << 1.0 << -0.0 << U("!!ZeroDivisionError: float divmod()"sv);
  QTest::newRow("6.0 / 3.0") << U("/"sv) << 6.0 << 3.0 << U("2.0"sv);
  QTest::newRow("6.0 // 3.0") << U("//"sv) << 6.0 << 3.0 << U("2.0"sv);
  QTest::newRow("6.0 % 3.0") << U("%"sv) << 6.0 << 3.0 << U("0.0"sv);
  QTest::newRow("6.0 divmod 3.0") << U("divmod"sv) << 6.0 << 3.0 << U("(2.0, 0.0)"sv);
  QTest::newRow("-6.0 / 3.0") << U("/"sv) << -6.0 << 3.0 << U("-2.0"sv);
  QTest::newRow("-6.0 // 3.0") << U("//"sv) << -6.0 << 3.0 << U("-2.0"sv);
  QTest::newRow("-6.0 % 3.0") << U("%"sv) << -6.0 << 3.0 << U("0.0"sv);
  QTest::newRow("-6.0 divmod 3.0") << U("divmod"sv) << -6.0 << 3.0 << U("(-2.0, 0.0)"sv);
  QTest::newRow("6.0 / -3.0") << U("/"sv) << 6.0 << -3.0 << U("-2.0"sv);
  QTest::newRow("6.0 // -3.0") << U("//"sv) << 6.0 << -3.0 << U("-2.0"sv);
  QTest::newRow("6.0 % -3.0") << U("%"sv) << 6.0 << -3.0 << U("-0.0"sv);
  QTest::newRow("6.0 divmod -3.0") << U("divmod"sv) << 6.0 << -3.0 << U("(-2.0, -0.0)"sv);
  QTest::newRow("1.0 / inf") << U("/"sv) << 1.0 << kInf << U("0.0"sv);
  QTest::newRow("1.0 // inf") << U("//"sv) << 1.0 << kInf << U("0.0"sv);
  QTest::newRow("1.0 % inf") << U("%"sv) << 1.0 << kInf << U("1.0"sv);
  QTest::newRow("1.0 divmod inf") << U("divmod"sv) << 1.0 << kInf << U("(0.0, 1.0)"sv);
  QTest::newRow("-1.0 / inf") << U("/"sv) << -1.0 << kInf << U("-0.0"sv);
  QTest::newRow("-1.0 // inf") << U("//"sv) << -1.0 << kInf << U("-1.0"sv);
  QTest::newRow("-1.0 % inf") << U("%"sv) << -1.0 << kInf << U("inf"sv);
  QTest::newRow("-1.0 divmod inf") << U("divmod"sv) << -1.0 << kInf << U("(-1.0, inf)"sv);
  QTest::newRow("1.0 / -inf") << U("/"sv) << 1.0 << -kInf << U("-0.0"sv);
  QTest::newRow("1.0 // -inf") << U("//"sv) << 1.0 << -kInf << U("-1.0"sv);
  QTest::newRow("1.0 % -inf") << U("%"sv) << 1.0 << -kInf << U("-inf"sv);
  QTest::newRow("1.0 divmod -inf") << U("divmod"sv) << 1.0 << -kInf << U("(-1.0, -inf)"sv);
  QTest::newRow("-1.0 / -inf") << U("/"sv) << -1.0 << -kInf << U("0.0"sv);
  QTest::newRow("-1.0 // -inf") << U("//"sv) << -1.0 << -kInf << U("0.0"sv);
  QTest::newRow("-1.0 % -inf") << U("%"sv) << -1.0 << -kInf << U("-1.0"sv);
  QTest::newRow("-1.0 divmod -inf") << U("divmod"sv) << -1.0 << -kInf << U("(0.0, -1.0)"sv);
  QTest::newRow("inf / 2.0") << U("/"sv) << kInf << 2.0 << U("inf"sv);
  QTest::newRow("inf // 2.0") << U("//"sv) << kInf << 2.0 << U("nan"sv);
  QTest::newRow("inf % 2.0") << U("%"sv) << kInf << 2.0 << U("nan"sv);
  QTest::newRow("inf divmod 2.0") << U("divmod"sv) << kInf << 2.0 << U("(nan, nan)"sv);
  QTest::newRow("nan / 1.0") << U("/"sv) << kNaN << 1.0 << U("nan"sv);
  QTest::newRow("nan // 1.0") << U("//"sv) << kNaN << 1.0 << U("nan"sv);
  QTest::newRow("nan % 1.0") << U("%"sv) << kNaN << 1.0 << U("nan"sv);
  QTest::newRow("nan divmod 1.0") << U("divmod"sv) << kNaN << 1.0 << U("(nan, nan)"sv);
  QTest::newRow("1e+308 / 1e-308") << U("/"sv) << 1e+308 << 1e-308 << U("inf"sv);
  QTest::newRow("1e+308 // 1e-308") << U("//"sv) << 1e+308 << 1e-308 << U("inf"sv);
  QTest::newRow("1e+308 % 1e-308") << U("%"sv) << 1e+308 << 1e-308 << U("3.498445546245627e-309"sv);
  QTest::newRow("1e+308 divmod 1e-308")
      << U("divmod"sv) << 1e+308 << 1e-308 << U("(inf, 3.498445546245627e-309)"sv);
  QTest::newRow("0.1 / 0.01") << U("/"sv) << 0.1 << 0.01 << U("10.0"sv);
  QTest::newRow("0.1 // 0.01") << U("//"sv) << 0.1 << 0.01 << U("10.0"sv);
  QTest::newRow("0.1 % 0.01") << U("%"sv) << 0.1 << 0.01 << U("3.469446951953614e-18"sv);
  QTest::newRow("0.1 divmod 0.01")
      << U("divmod"sv) << 0.1 << 0.01 << U("(10.0, 3.469446951953614e-18)"sv);
  QTest::newRow("1e-300 / 1e+300") << U("/"sv) << 1e-300 << 1e+300 << U("0.0"sv);
  QTest::newRow("1e-300 // 1e+300") << U("//"sv) << 1e-300 << 1e+300 << U("0.0"sv);
  QTest::newRow("1e-300 % 1e+300") << U("%"sv) << 1e-300 << 1e+300 << U("1e-300"sv);
  QTest::newRow("1e-300 divmod 1e+300")
      << U("divmod"sv) << 1e-300 << 1e+300 << U("(0.0, 1e-300)"sv);
  QTest::newRow("5.0 / 0.1") << U("/"sv) << 5.0 << 0.1 << U("50.0"sv);
  QTest::newRow("5.0 // 0.1") << U("//"sv) << 5.0 << 0.1 << U("49.0"sv);
  QTest::newRow("5.0 % 0.1") << U("%"sv) << 5.0 << 0.1 << U("0.09999999999999973"sv);
  QTest::newRow("5.0 divmod 0.1") << U("divmod"sv) << 5.0 << 0.1
                                  << U("(49.0, 0.09999999999999973)"sv);
  QTest::newRow("-5.0 / 0.1") << U("/"sv) << -5.0 << 0.1 << U("-50.0"sv);
  QTest::newRow("-5.0 // 0.1") << U("//"sv) << -5.0 << 0.1 << U("-50.0"sv);
  QTest::newRow("-5.0 % 0.1") << U("%"sv) << -5.0 << 0.1 << U("2.7755575615628914e-16"sv);
  QTest::newRow("-5.0 divmod 0.1")
      << U("divmod"sv) << -5.0 << 0.1 << U("(-50.0, 2.7755575615628914e-16)"sv);
  QTest::newRow("3.0 / 0.5") << U("/"sv) << 3.0 << 0.5 << U("6.0"sv);
  QTest::newRow("3.0 // 0.5") << U("//"sv) << 3.0 << 0.5 << U("6.0"sv);
  QTest::newRow("3.0 % 0.5") << U("%"sv) << 3.0 << 0.5 << U("0.0"sv);
  QTest::newRow("3.0 divmod 0.5") << U("divmod"sv) << 3.0 << 0.5 << U("(6.0, 0.0)"sv);
  QTest::newRow("-3.0 / 0.5") << U("/"sv) << -3.0 << 0.5 << U("-6.0"sv);
  QTest::newRow("-3.0 // 0.5") << U("//"sv) << -3.0 << 0.5 << U("-6.0"sv);
  QTest::newRow("-3.0 % 0.5") << U("%"sv) << -3.0 << 0.5 << U("0.0"sv);
  QTest::newRow("-3.0 divmod 0.5") << U("divmod"sv) << -3.0 << 0.5 << U("(-6.0, 0.0)"sv);
  QTest::newRow("5e-324 / 1.0") << U("/"sv) << 5e-324 << 1.0 << U("5e-324"sv);
  QTest::newRow("5e-324 // 1.0") << U("//"sv) << 5e-324 << 1.0 << U("0.0"sv);
  QTest::newRow("5e-324 % 1.0") << U("%"sv) << 5e-324 << 1.0 << U("5e-324"sv);
  QTest::newRow("5e-324 divmod 1.0") << U("divmod"sv) << 5e-324 << 1.0 << U("(0.0, 5e-324)"sv);
  QTest::newRow("2.0 ** 10.0") << U("**"sv) << 2.0 << 10.0 << U("1024.0"sv);
  QTest::newRow("2.0 ** 0.5") << U("**"sv) << 2.0 << 0.5 << U("1.4142135623730951"sv);
  QTest::newRow("-8.0 ** 3.0") << U("**"sv) << -8.0 << 3.0 << U("-512.0"sv);
  QTest::newRow("-8.0 ** 2.0") << U("**"sv) << -8.0 << 2.0 << U("64.0"sv);
  QTest::newRow("-2.0 ** -1.0") << U("**"sv) << -2.0 << -1.0 << U("-0.5"sv);
  QTest::newRow("0.0 ** -1.0")
      << U("**"sv) << 0.0 << -1.0
      << U("!!ZeroDivisionError: 0.0 cannot be raised to a negative power"sv);
  QTest::newRow("-0.0 ** -1.0")
      << U("**"sv) << -0.0 << -1.0
      << U("!!ZeroDivisionError: 0.0 cannot be raised to a negative power"sv);
  QTest::newRow("-0.0 ** 3.0") << U("**"sv) << -0.0 << 3.0 << U("-0.0"sv);
  QTest::newRow("-0.0 ** 2.0") << U("**"sv) << -0.0 << 2.0 << U("0.0"sv);
  QTest::newRow("0.0 ** 0.0") << U("**"sv) << 0.0 << 0.0 << U("1.0"sv);
  QTest::newRow("nan ** 0.0") << U("**"sv) << kNaN << 0.0 << U("1.0"sv);
  QTest::newRow("1.0 ** nan") << U("**"sv) << 1.0 << kNaN << U("1.0"sv);
  QTest::newRow("nan ** 1.0") << U("**"sv) << kNaN << 1.0 << U("nan"sv);
  QTest::newRow("10.0 ** 400.0") << U("**"sv) << 10.0 << 400.0
                                 << U("!!OverflowError: (34, 'Numerical result out of range')"sv);
  QTest::newRow("10.0 ** -400.0") << U("**"sv) << 10.0 << -400.0 << U("0.0"sv);
  QTest::newRow("-10.0 ** 401.0") << U("**"sv) << -10.0 << 401.0
                                  << U("!!OverflowError: (34, 'Numerical result out of range')"sv);
  QTest::newRow("2.0 ** inf") << U("**"sv) << 2.0 << kInf << U("inf"sv);
  QTest::newRow("0.5 ** inf") << U("**"sv) << 0.5 << kInf << U("0.0"sv);
  QTest::newRow("-1.0 ** inf") << U("**"sv) << -1.0 << kInf << U("1.0"sv);
  QTest::newRow("2.0 ** -inf") << U("**"sv) << 2.0 << -kInf << U("0.0"sv);
  QTest::newRow("inf ** 3.0") << U("**"sv) << kInf << 3.0 << U("inf"sv);
  QTest::newRow("-inf ** 3.0") << U("**"sv) << -kInf << 3.0 << U("-inf"sv);
  QTest::newRow("-inf ** 2.0") << U("**"sv) << -kInf << 2.0 << U("inf"sv);
  QTest::newRow("-inf ** -3.0") << U("**"sv) << -kInf << -3.0 << U("-0.0"sv);
  QTest::newRow("-inf ** -2.0") << U("**"sv) << -kInf << -2.0 << U("0.0"sv);
  QTest::newRow("-1.0 ** 1e+300") << U("**"sv) << -1.0 << 1e+300 << U("1.0"sv);
  QTest::newRow("1.5 ** 2.0") << U("**"sv) << 1.5 << 2.0 << U("2.25"sv);
  QTest::newRow("-8.0 ** frac 0.3333333333333333")
      << U("**"sv) << -8.0 << 0.3333333333333333 << U("!!ValueError: math domain error"sv);
}

void tst_PyFormat::floatArithmetic()
{
  QFETCH(QByteArray, op);
  QFETCH(double, a);
  QFETCH(double, b);
  QFETCH(QByteArray, expected);
  // repr() tells every double apart (-0.0 too), so comparing reprs compares values exactly.
  const QByteArray got = outcome([&]() -> std::string {
    if (op == "/")
      return show(float_true_div(a, b));
    if (op == "//")
      return show(float_floordiv(a, b));
    if (op == "%")
      return show(float_mod(a, b));
    if (op == "divmod")
      return show(float_divmod(a, b));
    return show(pow_float(a, b));
  });
  QCOMPARE(got, expected);
}

void tst_PyFormat::roundToInt_data()
{
  QTest::addColumn<double>("value");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("round 0.5") << 0.5 << U("0"sv);
  QTest::newRow("round 1.5") << 1.5 << U("2"sv);
  QTest::newRow("round 2.5") << 2.5 << U("2"sv);
  QTest::newRow("round -0.5") << -0.5 << U("0"sv);
  QTest::newRow("round -1.5") << -1.5 << U("-2"sv);
  QTest::newRow("round -2.5") << -2.5 << U("-2"sv);
  QTest::newRow("round 0.4999999999999999") << 0.4999999999999999 << U("0"sv);
  QTest::newRow("round 2.675") << 2.675 << U("3"sv);
  QTest::newRow("round 1e+16") << 1e+16 << U("10000000000000000"sv);
  QTest::newRow("round 1e+300") << 1e+300
                                << U("!!OverflowError: int too large for loopscope (64-bit)"sv);
  QTest::newRow("round inf") << kInf
                             << U("!!OverflowError: cannot convert float infinity to integer"sv);
  QTest::newRow("round -inf") << -kInf
                              << U("!!OverflowError: cannot convert float infinity to integer"sv);
  QTest::newRow("round nan") << kNaN << U("!!ValueError: cannot convert float NaN to integer"sv);
  QTest::newRow("round -0.0") << -0.0 << U("0"sv);
  QTest::newRow("round 9.223372036854775e+18")
      << 9.223372036854775e+18 << U("9223372036854774784"sv);
  QTest::newRow("round 9.223372036854776e+18")
      << 9.223372036854776e+18 << U("!!OverflowError: int too large for loopscope (64-bit)"sv);
  QTest::newRow("round -9.223372036854776e+18")
      << -9.223372036854776e+18 << U("-9223372036854775808"sv);
}

void tst_PyFormat::roundToInt()
{
  QFETCH(double, value);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return show(py_round(value)); }), expected);
}

void tst_PyFormat::roundDigits_data()
{
  QTest::addColumn<double>("value");
  QTest::addColumn<qint64>("ndigits");
  QTest::addColumn<double>("expected");
  QTest::addColumn<QByteArray>("error");
  QTest::newRow("round 2.675 2") << 2.675 << 2_i << 2.67 << U(""sv);
  QTest::newRow("round 2.665 2") << 2.665 << 2_i << 2.67 << U(""sv);
  QTest::newRow("round 0.125 2") << 0.125 << 2_i << 0.12 << U(""sv);
  QTest::newRow("round 0.375 2") << 0.375 << 2_i << 0.38 << U(""sv);
  QTest::newRow("round 1.0005 3") << 1.0005 << 3_i << 1.0 << U(""sv);
  QTest::newRow("round 0.5 0") << 0.5 << 0_i << 0.0 << U(""sv);
  QTest::newRow("round 1.5 0") << 1.5 << 0_i << 2.0 << U(""sv);
  QTest::newRow("round 2.5 0") << 2.5 << 0_i << 2.0 << U(""sv);
  QTest::newRow("round -0.5 0") << -0.5 << 0_i << -0.0 << U(""sv);
  QTest::newRow("round -0.4 0") << -0.4 << 0_i << -0.0 << U(""sv);
  QTest::newRow("round 0.4 0") << 0.4 << 0_i << 0.0 << U(""sv);
  QTest::newRow("round -2.5 0") << -2.5 << 0_i << -2.0 << U(""sv);
  QTest::newRow("round 1234.5678 -2") << 1234.5678 << -2_i << 1200.0 << U(""sv);
  QTest::newRow("round 1250.0 -2") << 1250.0 << -2_i << 1200.0 << U(""sv);
  QTest::newRow("round 1350.0 -2") << 1350.0 << -2_i << 1400.0 << U(""sv);
  QTest::newRow("round -1250.0 -2") << -1250.0 << -2_i << -1200.0 << U(""sv);
  QTest::newRow("round 5.0 -1") << 5.0 << -1_i << 0.0 << U(""sv);
  QTest::newRow("round 15.0 -1") << 15.0 << -1_i << 20.0 << U(""sv);
  QTest::newRow("round 25.0 -1") << 25.0 << -1_i << 20.0 << U(""sv);
  QTest::newRow("round -25.0 -1") << -25.0 << -1_i << -20.0 << U(""sv);
  QTest::newRow("round 4.9 -1") << 4.9 << -1_i << 0.0 << U(""sv);
  QTest::newRow("round 0.1 20") << 0.1 << 20_i << 0.1 << U(""sv);
  QTest::newRow("round 0.1 17") << 0.1 << 17_i << 0.1 << U(""sv);
  QTest::newRow("round 1e-20 25") << 1e-20 << 25_i << 1e-20 << U(""sv);
  QTest::newRow("round 1.23456789e-10 15") << 1.23456789e-10 << 15_i << 1.23457e-10 << U(""sv);
  QTest::newRow("round 123.456 -5") << 123.456 << -5_i << 0.0 << U(""sv);
  QTest::newRow("round 1e+300 -300") << 1e+300 << -300_i << 1e+300 << U(""sv);
  QTest::newRow("round 1e+300 -301") << 1e+300 << -301_i << 0.0 << U(""sv);
  QTest::newRow("round 1.5e+300 -300") << 1.5e+300 << -300_i << 2e+300 << U(""sv);
  QTest::newRow("round -1e+300 -301") << -1e+300 << -301_i << -0.0 << U(""sv);
  QTest::newRow("round 1.7976931348623157e+308 -308")
      << 1.7976931348623157e+308 << -308_i << 0.0
      << U("!!OverflowError: rounded value too large to represent"sv);
  QTest::newRow("round 1.7976931348623157e+308 -307")
      << 1.7976931348623157e+308 << -307_i << 0.0
      << U("!!OverflowError: rounded value too large to represent"sv);
  QTest::newRow("round 1.7976931348623157e+308 0")
      << 1.7976931348623157e+308 << 0_i << 1.7976931348623157e+308 << U(""sv);
  QTest::newRow("round 5e-324 323") << 5e-324 << 323_i << 0.0 << U(""sv);
  QTest::newRow("round 5e-324 324") << 5e-324 << 324_i << 5e-324 << U(""sv);
  QTest::newRow("round 5e-324 400") << 5e-324 << 400_i << 5e-324 << U(""sv);
  QTest::newRow("round 12.0 -309") << 12.0 << -309_i << 0.0 << U(""sv);
  QTest::newRow("round -12.0 -309") << -12.0 << -309_i << -0.0 << U(""sv);
  QTest::newRow("round 1e+22 -22") << 1e+22 << -22_i << 1e+22 << U(""sv);
  QTest::newRow("round 1e+23 -23") << 1e+23 << -23_i << 1e+23 << U(""sv);
  QTest::newRow("round 9.5 0") << 9.5 << 0_i << 10.0 << U(""sv);
  QTest::newRow("round 10.5 0") << 10.5 << 0_i << 10.0 << U(""sv);
  QTest::newRow("round 0.285 2") << 0.285 << 2_i << 0.28 << U(""sv);
  QTest::newRow("round 1.015 2") << 1.015 << 2_i << 1.01 << U(""sv);
  QTest::newRow("round inf 2") << kInf << 2_i << kInf << U(""sv);
  QTest::newRow("round nan -3") << kNaN << -3_i << kNaN << U(""sv);
  QTest::newRow("round -0.0 3") << -0.0 << 3_i << -0.0 << U(""sv);
  QTest::newRow("round 9007199254740992.0 -1")
      << 9007199254740992.0 << -1_i << 9007199254740990.0 << U(""sv);
}

void tst_PyFormat::roundDigits()
{
  QFETCH(double, value);
  QFETCH(qint64, ndigits);
  QFETCH(double, expected);
  QFETCH(QByteArray, error);
  if (!error.isEmpty()) {
    QCOMPARE(outcome([&] { return show(py_round(value, ndigits)); }), error);
    return;
  }
  COMPARE_DOUBLE(py_round(value, ndigits), expected);
}

void tst_PyFormat::roundInt_data()
{
  QTest::addColumn<qint64>("value");
  QTest::addColumn<qint64>("ndigits");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("round 15 -1") << 15_i << -1_i << U("20"sv);
  QTest::newRow("round 25 -1") << 25_i << -1_i << U("20"sv);
  QTest::newRow("round -25 -1") << -25_i << -1_i << U("-20"sv);
  QTest::newRow("round 35 -1") << 35_i << -1_i << U("40"sv);
  QTest::newRow("round 14 -1") << 14_i << -1_i << U("10"sv);
  QTest::newRow("round 16 -1") << 16_i << -1_i << U("20"sv);
  QTest::newRow("round 1250 -2") << 1250_i << -2_i << U("1200"sv);
  QTest::newRow("round 1350 -2") << 1350_i << -2_i << U("1400"sv);
  QTest::newRow("round -1350 -2") << -1350_i << -2_i << U("-1400"sv);
  QTest::newRow("round 123 0") << 123_i << 0_i << U("123"sv);
  QTest::newRow("round 123 5") << 123_i << 5_i << U("123"sv);
  QTest::newRow("round 9223372036854775807 -1")
      << kMax << -1_i << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("round -9223372036854775808 -1")
      << kMin << -1_i << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("round 9223372036854775807 -18") << kMax << -18_i << U("9000000000000000000"sv);
  QTest::newRow("round 9223372036854775807 -19")
      << kMax << -19_i << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("round -9223372036854775808 -19")
      << kMin << -19_i << U("!!OverflowError: integer overflow (loopscope ints are 64-bit)"sv);
  QTest::newRow("round 5000000000000000000 -19") << 5000000000000000000_i << -19_i << U("0"sv);
  QTest::newRow("round -5000000000000000000 -19") << -5000000000000000000_i << -19_i << U("0"sv);
  QTest::newRow("round 9223372036854775807 -20") << kMax << -20_i << U("0"sv);
  QTest::newRow("round 9223372036854775807 -100") << kMax << -100_i << U("0"sv);
  QTest::newRow("round -9223372036854775808 -18") << kMin << -18_i << U("-9000000000000000000"sv);
}

void tst_PyFormat::roundInt()
{
  QFETCH(qint64, value);
  QFETCH(qint64, ndigits);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return show(py_round_int(value, ndigits)); }), expected);
}

void tst_PyFormat::formatInt_data()
{
  QTest::addColumn<qint64>("value");
  QTest::addColumn<QByteArray>("spec");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("fmt 1234 ") << 1234_i << U(""sv) << U("1234"sv);
  QTest::newRow("fmt -1234 ") << -1234_i << U(""sv) << U("-1234"sv);
  QTest::newRow("fmt 0 ") << 0_i << U(""sv) << U("0"sv);
  QTest::newRow("fmt 1234 d") << 1234_i << U("d"sv) << U("1234"sv);
  QTest::newRow("fmt 1234 10") << 1234_i << U("10"sv) << U("      1234"sv);
  QTest::newRow("fmt 1234 <10") << 1234_i << U("<10"sv) << U("1234      "sv);
  QTest::newRow("fmt 1234 ^10") << 1234_i << U("^10"sv) << U("   1234   "sv);
  QTest::newRow("fmt 1234 ^11") << 1234_i << U("^11"sv) << U("   1234    "sv);
  QTest::newRow("fmt -1234 ^10") << -1234_i << U("^10"sv) << U("  -1234   "sv);
  QTest::newRow("fmt 1234 *>10") << 1234_i << U("*>10"sv) << U("******1234"sv);
  QTest::newRow("fmt 1234 /xe9^9") << 1234_i << U("é^9"sv) << U("éé1234ééé"sv);
  QTest::newRow("fmt 5 /U0001f600^5") << 5_i << U("😀^5"sv) << U("😀😀5😀😀"sv);
  QTest::newRow("fmt 1234 +") << 1234_i << U("+"sv) << U("+1234"sv);
  QTest::newRow("fmt -1234 +") << -1234_i << U("+"sv) << U("-1234"sv);
  QTest::newRow("fmt 1234  ") << 1234_i << U(" "sv) << U(" 1234"sv);
  QTest::newRow("fmt -1234  ") << -1234_i << U(" "sv) << U("-1234"sv);
  QTest::newRow("fmt 1234 -") << 1234_i << U("-"sv) << U("1234"sv);
  QTest::newRow("fmt -5 06") << -5_i << U("06"sv) << U("-00005"sv);
  QTest::newRow("fmt 5 06") << 5_i << U("06"sv) << U("000005"sv);
  QTest::newRow("fmt -5 0=6") << -5_i << U("0=6"sv) << U("-00005"sv);
  QTest::newRow("fmt -5 *=6") << -5_i << U("*=6"sv) << U("-****5"sv);
  QTest::newRow("fmt -5 =6") << -5_i << U("=6"sv) << U("-    5"sv);
  QTest::newRow("fmt -5 <06") << -5_i << U("<06"sv) << U("-50000"sv);
  QTest::newRow("fmt -5 >06") << -5_i << U(">06"sv) << U("0000-5"sv);
  QTest::newRow("fmt -5 ^06") << -5_i << U("^06"sv) << U("00-500"sv);
  QTest::newRow("fmt 1234567 ,") << 1234567_i << U(","sv) << U("1,234,567"sv);
  QTest::newRow("fmt -1234567 ,") << -1234567_i << U(","sv) << U("-1,234,567"sv);
  QTest::newRow("fmt 1234567 _") << 1234567_i << U("_"sv) << U("1_234_567"sv);
  QTest::newRow("fmt 123 ,") << 123_i << U(","sv) << U("123"sv);
  QTest::newRow("fmt 1234 010,") << 1234_i << U("010,"sv) << U("00,001,234"sv);
  QTest::newRow("fmt 1234 09,") << 1234_i << U("09,"sv) << U("0,001,234"sv);
  QTest::newRow("fmt 1234 0=10,") << 1234_i << U("0=10,"sv) << U("00,001,234"sv);
  QTest::newRow("fmt 1234 *^+12,") << 1234_i << U("*^+12,"sv) << U("***+1,234***"sv);
  QTest::newRow("fmt 1234 012_") << 1234_i << U("012_"sv) << U("0_000_001_234"sv);
  QTest::newRow("fmt -1234 012_") << -1234_i << U("012_"sv) << U("-000_001_234"sv);
  QTest::newRow("fmt 255 b") << 255_i << U("b"sv) << U("11111111"sv);
  QTest::newRow("fmt 255 o") << 255_i << U("o"sv) << U("377"sv);
  QTest::newRow("fmt 255 x") << 255_i << U("x"sv) << U("ff"sv);
  QTest::newRow("fmt 255 X") << 255_i << U("X"sv) << U("FF"sv);
  QTest::newRow("fmt 255 #b") << 255_i << U("#b"sv) << U("0b11111111"sv);
  QTest::newRow("fmt 255 #o") << 255_i << U("#o"sv) << U("0o377"sv);
  QTest::newRow("fmt 255 #x") << 255_i << U("#x"sv) << U("0xff"sv);
  QTest::newRow("fmt 255 #X") << 255_i << U("#X"sv) << U("0XFF"sv);
  QTest::newRow("fmt -255 #x") << -255_i << U("#x"sv) << U("-0xff"sv);
  QTest::newRow("fmt -255 #X") << -255_i << U("#X"sv) << U("-0XFF"sv);
  QTest::newRow("fmt 255 #010x") << 255_i << U("#010x"sv) << U("0x000000ff"sv);
  QTest::newRow("fmt -255 #010x") << -255_i << U("#010x"sv) << U("-0x00000ff"sv);
  QTest::newRow("fmt 5 #06x") << 5_i << U("#06x"sv) << U("0x0005"sv);
  QTest::newRow("fmt -5 #06x") << -5_i << U("#06x"sv) << U("-0x005"sv);
  QTest::newRow("fmt 255 #_b") << 255_i << U("#_b"sv) << U("0b1111_1111"sv);
  QTest::newRow("fmt -1234 _b") << -1234_i << U("_b"sv) << U("-100_1101_0010"sv);
  QTest::newRow("fmt 1234567 _o") << 1234567_i << U("_o"sv) << U("455_3207"sv);
  QTest::newRow("fmt 1234567890 _x") << 1234567890_i << U("_x"sv) << U("4996_02d2"sv);
  QTest::newRow("fmt 1234567890 #_X") << 1234567890_i << U("#_X"sv) << U("0X4996_02D2"sv);
  QTest::newRow("fmt 255 #012_b") << 255_i << U("#012_b"sv) << U("0b0_1111_1111"sv);
  QTest::newRow("fmt 0 #x") << 0_i << U("#x"sv) << U("0x0"sv);
  QTest::newRow("fmt 0 #b") << 0_i << U("#b"sv) << U("0b0"sv);
  QTest::newRow("fmt 65 c") << 65_i << U("c"sv) << U("A"sv);
  QTest::newRow("fmt 233 c") << 233_i << U("c"sv) << U("é"sv);
  QTest::newRow("fmt 128512 c") << 128512_i << U("c"sv) << U("😀"sv);
  QTest::newRow("fmt 65 >3c") << 65_i << U(">3c"sv) << U("  A"sv);
  QTest::newRow("fmt 65 *^5c") << 65_i << U("*^5c"sv) << U("**A**"sv);
  QTest::newRow("fmt 65 =3c") << 65_i << U("=3c"sv) << U("  A"sv);
  QTest::newRow("fmt 65 03c") << 65_i << U("03c"sv) << U("00A"sv);
  QTest::newRow("fmt 1114112 c") << 1114112_i << U("c"sv)
                                 << U("!!OverflowError: %c arg not in range(0x110000)"sv);
  QTest::newRow("fmt -1 c") << -1_i << U("c"sv)
                            << U("!!OverflowError: %c arg not in range(0x110000)"sv);
  QTest::newRow("fmt 65 +c")
      << 65_i << U("+c"sv)
      << U("!!ValueError: Sign not allowed with integer format specifier 'c'"sv);
  QTest::newRow("fmt 65 #c")
      << 65_i << U("#c"sv)
      << U("!!ValueError: Alternate form (#) not allowed with integer format specifier 'c'"sv);
  QTest::newRow("fmt 65 ,c") << 65_i << U(",c"sv)
                             << U("!!ValueError: Cannot specify ',' with 'c'."sv);
  QTest::newRow("fmt 65 _c") << 65_i << U("_c"sv)
                             << U("!!ValueError: Cannot specify '_' with 'c'."sv);
  QTest::newRow("fmt 5 n") << 5_i << U("n"sv) << U("5"sv);
  QTest::newRow("fmt -1234567 n") << -1234567_i << U("n"sv) << U("-1234567"sv);
  QTest::newRow("fmt 1234567 10n") << 1234567_i << U("10n"sv) << U("   1234567"sv);
  QTest::newRow("fmt 1234567 ,n") << 1234567_i << U(",n"sv)
                                  << U("!!ValueError: Cannot specify ',' with 'n'."sv);
  QTest::newRow("fmt 5 e") << 5_i << U("e"sv) << U("5.000000e+00"sv);
  QTest::newRow("fmt 5 E") << 5_i << U("E"sv) << U("5.000000E+00"sv);
  QTest::newRow("fmt 5 f") << 5_i << U("f"sv) << U("5.000000"sv);
  QTest::newRow("fmt 5 .2f") << 5_i << U(".2f"sv) << U("5.00"sv);
  QTest::newRow("fmt 5 F") << 5_i << U("F"sv) << U("5.000000"sv);
  QTest::newRow("fmt 5 g") << 5_i << U("g"sv) << U("5"sv);
  QTest::newRow("fmt 5 G") << 5_i << U("G"sv) << U("5"sv);
  QTest::newRow("fmt 5 %") << 5_i << U("%"sv) << U("500.000000%"sv);
  QTest::newRow("fmt 5 .1%") << 5_i << U(".1%"sv) << U("500.0%"sv);
  QTest::newRow("fmt -5 +.3e") << -5_i << U("+.3e"sv) << U("-5.000e+00"sv);
  QTest::newRow("fmt 1234567 ,.2f") << 1234567_i << U(",.2f"sv) << U("1,234,567.00"sv);
  QTest::newRow("fmt 9223372036854775807 e") << kMax << U("e"sv) << U("9.223372e+18"sv);
  QTest::newRow("fmt 9223372036854775807 ") << kMax << U(""sv) << U("9223372036854775807"sv);
  QTest::newRow("fmt -9223372036854775808 x") << kMin << U("x"sv) << U("-8000000000000000"sv);
  QTest::newRow("fmt -9223372036854775808 #b")
      << kMin << U("#b"sv)
      << U("-0b1000000000000000000000000000000000000000000000000000000000000000"sv);
  QTest::newRow("fmt 5 z.1f") << 5_i << U("z.1f"sv) << U("5.0"sv);
  QTest::newRow("fmt 5 .2")
      << 5_i << U(".2"sv) << U("!!ValueError: Precision not allowed in integer format specifier"sv);
  QTest::newRow("fmt 5 .2d")
      << 5_i << U(".2d"sv)
      << U("!!ValueError: Precision not allowed in integer format specifier"sv);
  QTest::newRow("fmt 5 z")
      << 5_i << U("z"sv)
      << U("!!ValueError: Negative zero coercion (z) not allowed in integer format specifier"sv);
  QTest::newRow("fmt 5 zd")
      << 5_i << U("zd"sv)
      << U("!!ValueError: Negative zero coercion (z) not allowed in integer format specifier"sv);
  QTest::newRow("fmt 5 z.2")
      << 5_i << U("z.2"sv)
      << U("!!ValueError: Precision not allowed in integer format specifier"sv);
  QTest::newRow("fmt 5 s") << 5_i << U("s"sv)
                           << U("!!ValueError: Unknown format code 's' for object of type 'int'"sv);
  QTest::newRow("fmt 5 r") << 5_i << U("r"sv)
                           << U("!!ValueError: Unknown format code 'r' for object of type 'int'"sv);
  QTest::newRow("fmt 5 xx")
      << 5_i << U("xx"sv)
      << U("!!ValueError: Invalid format specifier 'xx' for object of type 'int'"sv);
  QTest::newRow("fmt 5 5xx")
      << 5_i << U("5xx"sv)
      << U("!!ValueError: Invalid format specifier '5xx' for object of type 'int'"sv);
  QTest::newRow("fmt 5 /x01")
      << 5_i << U("\001"sv)
      << U("!!ValueError: Unknown format code '\\x1' for object of type 'int'"sv);
  QTest::newRow("fmt 5 /xe9")
      << 5_i << U("é"sv)
      << U("!!ValueError: Unknown format code '\\xe9' for object of type 'int'"sv);
  QTest::newRow("fmt 5 ,_") << 5_i << U(",_"sv)
                            << U("!!ValueError: Cannot specify both ',' and '_'."sv);
  QTest::newRow("fmt 5 _,") << 5_i << U("_,"sv)
                            << U("!!ValueError: Cannot specify both ',' and '_'."sv);
  QTest::newRow("fmt 5 ,,") << 5_i << U(",,"sv)
                            << U("!!ValueError: Cannot specify ',' with ','."sv);
  QTest::newRow("fmt 5 ,x") << 5_i << U(",x"sv)
                            << U("!!ValueError: Cannot specify ',' with 'x'."sv);
  QTest::newRow("fmt 5 ,b") << 5_i << U(",b"sv)
                            << U("!!ValueError: Cannot specify ',' with 'b'."sv);
  QTest::newRow("fmt 5 .") << 5_i << U("."sv)
                           << U("!!ValueError: Format specifier missing precision"sv);
  QTest::newRow("fmt 5 .x") << 5_i << U(".x"sv)
                            << U("!!ValueError: Format specifier missing precision"sv);
  QTest::newRow("fmt 5 99999999999999999999")
      << 5_i << U("99999999999999999999"sv)
      << U("!!ValueError: Too many decimal digits in format string"sv);
  QTest::newRow("fmt 5 9223372036854775807")
      << 5_i << U("9223372036854775807"sv) << U("!!MemoryError"sv);
  QTest::newRow("fmt 5 9999999999") << 5_i << U("9999999999"sv) << U("!!MemoryError"sv);
  QTest::newRow("fmt 5 9999999999s")
      << 5_i << U("9999999999s"sv)
      << U("!!ValueError: Unknown format code 's' for object of type 'int'"sv);
  QTest::newRow("fmt 5 9999999999.2")
      << 5_i << U("9999999999.2"sv)
      << U("!!ValueError: Precision not allowed in integer format specifier"sv);
  QTest::newRow("fmt 5 /u0665") << 5_i << U("٥"sv) << U("    5"sv);
  QTest::newRow("fmt 1234 +/u0669") << 1234_i << U("+٩"sv) << U("    +1234"sv);
}

void tst_PyFormat::formatInt()
{
  QFETCH(qint64, value);
  QFETCH(QByteArray, spec);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return format_int(value, S8(spec)); }), expected);
}

void tst_PyFormat::formatBool_data()
{
  QTest::addColumn<bool>("value");
  QTest::addColumn<QByteArray>("spec");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("fmt True ") << true << U(""sv) << U("True"sv);
  QTest::newRow("fmt False ") << false << U(""sv) << U("False"sv);
  QTest::newRow("fmt True d") << true << U("d"sv) << U("1"sv);
  QTest::newRow("fmt False +") << false << U("+"sv) << U("+0"sv);
  QTest::newRow("fmt True >5") << true << U(">5"sv) << U("    1"sv);
  QTest::newRow("fmt True x") << true << U("x"sv) << U("1"sv);
  QTest::newRow("fmt True #b") << true << U("#b"sv) << U("0b1"sv);
  QTest::newRow("fmt True s")
      << true << U("s"sv) << U("!!ValueError: Unknown format code 's' for object of type 'bool'"sv);
  QTest::newRow("fmt True .1f") << true << U(".1f"sv) << U("1.0"sv);
  QTest::newRow("fmt False %") << false << U("%"sv) << U("0.000000%"sv);
  QTest::newRow("fmt True c") << true << U("c"sv) << U("\001"sv);
  QTest::newRow("fmt True xx")
      << true << U("xx"sv)
      << U("!!ValueError: Invalid format specifier 'xx' for object of type 'bool'"sv);
}

void tst_PyFormat::formatBool()
{
  QFETCH(bool, value);
  QFETCH(QByteArray, spec);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return format_bool(value, S8(spec)); }), expected);
}

void tst_PyFormat::formatFloat_data()
{
  QTest::addColumn<double>("value");
  QTest::addColumn<QByteArray>("spec");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("fmt 1.0 ") << 1.0 << U(""sv) << U("1.0"sv);
  QTest::newRow("fmt 1.5 ") << 1.5 << U(""sv) << U("1.5"sv);
  QTest::newRow("fmt -0.0 ") << -0.0 << U(""sv) << U("-0.0"sv);
  QTest::newRow("fmt 1e+16 ") << 1e+16 << U(""sv) << U("1e+16"sv);
  QTest::newRow("fmt 1e-05 ") << 1e-05 << U(""sv) << U("1e-05"sv);
  QTest::newRow("fmt inf ") << kInf << U(""sv) << U("inf"sv);
  QTest::newRow("fmt nan ") << kNaN << U(""sv) << U("nan"sv);
  QTest::newRow("fmt 1.0 g") << 1.0 << U("g"sv) << U("1"sv);
  QTest::newRow("fmt 1.0 .0g") << 1.0 << U(".0g"sv) << U("1"sv);
  QTest::newRow("fmt 1234567.0 g") << 1234567.0 << U("g"sv) << U("1.23457e+06"sv);
  QTest::newRow("fmt 123456.0 g") << 123456.0 << U("g"sv) << U("123456"sv);
  QTest::newRow("fmt 1e-05 g") << 1e-05 << U("g"sv) << U("1e-05"sv);
  QTest::newRow("fmt 0.0001 g") << 0.0001 << U("g"sv) << U("0.0001"sv);
  QTest::newRow("fmt 1.0 G") << 1.0 << U("G"sv) << U("1"sv);
  QTest::newRow("fmt 1e+20 G") << 1e+20 << U("G"sv) << U("1E+20"sv);
  QTest::newRow("fmt 1.5 #g") << 1.5 << U("#g"sv) << U("1.50000"sv);
  QTest::newRow("fmt 1.0 #.3g") << 1.0 << U("#.3g"sv) << U("1.00"sv);
  QTest::newRow("fmt 100.0 .2g") << 100.0 << U(".2g"sv) << U("1e+02"sv);
  QTest::newRow("fmt 0.0 g") << 0.0 << U("g"sv) << U("0"sv);
  QTest::newRow("fmt -0.0 g") << -0.0 << U("g"sv) << U("-0"sv);
  QTest::newRow("fmt 1.0 e") << 1.0 << U("e"sv) << U("1.000000e+00"sv);
  QTest::newRow("fmt 1.5 .0e") << 1.5 << U(".0e"sv) << U("2e+00"sv);
  QTest::newRow("fmt 1.5 #.0e") << 1.5 << U("#.0e"sv) << U("2.e+00"sv);
  QTest::newRow("fmt 2.5 .0e") << 2.5 << U(".0e"sv) << U("2e+00"sv);
  QTest::newRow("fmt 12345.678 +.2e") << 12345.678 << U("+.2e"sv) << U("+1.23e+04"sv);
  QTest::newRow("fmt 12345.678 E") << 12345.678 << U("E"sv) << U("1.234568E+04"sv);
  QTest::newRow("fmt 1e-300 e") << 1e-300 << U("e"sv) << U("1.000000e-300"sv);
  QTest::newRow("fmt 1e+300 .3e") << 1e+300 << U(".3e"sv) << U("1.000e+300"sv);
  QTest::newRow("fmt 0.0 e") << 0.0 << U("e"sv) << U("0.000000e+00"sv);
  QTest::newRow("fmt 5e-324 .20e") << 5e-324 << U(".20e"sv) << U("4.94065645841246544177e-324"sv);
  QTest::newRow("fmt 1.5 f") << 1.5 << U("f"sv) << U("1.500000"sv);
  QTest::newRow("fmt 1.5 .0f") << 1.5 << U(".0f"sv) << U("2"sv);
  QTest::newRow("fmt 2.5 .0f") << 2.5 << U(".0f"sv) << U("2"sv);
  QTest::newRow("fmt 1.5 #.0f") << 1.5 << U("#.0f"sv) << U("2."sv);
  QTest::newRow("fmt 0.125 .2f") << 0.125 << U(".2f"sv) << U("0.12"sv);
  QTest::newRow("fmt 0.375 .2f") << 0.375 << U(".2f"sv) << U("0.38"sv);
  QTest::newRow("fmt 2.675 .2f") << 2.675 << U(".2f"sv) << U("2.67"sv);
  QTest::newRow("fmt -0.04 .1f") << -0.04 << U(".1f"sv) << U("-0.0"sv);
  QTest::newRow("fmt 1e+100 .2f")
      << 1e+100 << U(".2f"sv)
      << U("10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.00"sv);
  QTest::newRow("fmt 1e+22 f") << 1e+22 << U("f"sv) << U("10000000000000000000000.000000"sv);
  QTest::newRow("fmt 1.5 F") << 1.5 << U("F"sv) << U("1.500000"sv);
  QTest::newRow("fmt 1e-07 f") << 1e-07 << U("f"sv) << U("0.000000"sv);
  QTest::newRow("fmt 123.456 .10f") << 123.456 << U(".10f"sv) << U("123.4560000000"sv);
  QTest::newRow("fmt 0.1 .25f") << 0.1 << U(".25f"sv) << U("0.1000000000000000055511151"sv);
  QTest::newRow("fmt 0.5 %") << 0.5 << U("%"sv) << U("50.000000%"sv);
  QTest::newRow("fmt 0.5 .0%") << 0.5 << U(".0%"sv) << U("50%"sv);
  QTest::newRow("fmt 0.125 .1%") << 0.125 << U(".1%"sv) << U("12.5%"sv);
  QTest::newRow("fmt -0.001 .2%") << -0.001 << U(".2%"sv) << U("-0.10%"sv);
  QTest::newRow("fmt 1.0 #.0%") << 1.0 << U("#.0%"sv) << U("100.%"sv);
  QTest::newRow("fmt 100.0 .3") << 100.0 << U(".3"sv) << U("1e+02"sv);
  QTest::newRow("fmt 10.0 .3") << 10.0 << U(".3"sv) << U("10.0"sv);
  QTest::newRow("fmt 1e+20 .3") << 1e+20 << U(".3"sv) << U("1e+20"sv);
  QTest::newRow("fmt 123.456 .0") << 123.456 << U(".0"sv) << U("1e+02"sv);
  QTest::newRow("fmt 0.0001 .2") << 0.0001 << U(".2"sv) << U("0.0001"sv);
  QTest::newRow("fmt 1e-05 .2") << 1e-05 << U(".2"sv) << U("1e-05"sv);
  QTest::newRow("fmt 1e+16 .17") << 1e+16 << U(".17"sv) << U("1e+16"sv);
  QTest::newRow("fmt 1e+16 .16") << 1e+16 << U(".16"sv) << U("1e+16"sv);
  QTest::newRow("fmt 1000000000000000.0 .16") << 1000000000000000.0 << U(".16"sv) << U("1e+15"sv);
  QTest::newRow("fmt 1.0 #") << 1.0 << U("#"sv) << U("1.0"sv);
  QTest::newRow("fmt 1e+16 #") << 1e+16 << U("#"sv) << U("1.e+16"sv);
  QTest::newRow("fmt 1.5 #") << 1.5 << U("#"sv) << U("1.5"sv);
  QTest::newRow("fmt 1.0 .1") << 1.0 << U(".1"sv) << U("1e+00"sv);
  QTest::newRow("fmt 1.25 .2") << 1.25 << U(".2"sv) << U("1.2"sv);
  QTest::newRow("fmt 12.0 .2") << 12.0 << U(".2"sv) << U("1.2e+01"sv);
  QTest::newRow("fmt 0.5 .0") << 0.5 << U(".0"sv) << U("0.5"sv);
  QTest::newRow("fmt 1234567.0 ,") << 1234567.0 << U(","sv) << U("1,234,567.0"sv);
  QTest::newRow("fmt 1234567.0 _") << 1234567.0 << U("_"sv) << U("1_234_567.0"sv);
  QTest::newRow("fmt 1234567.891 ,.2f") << 1234567.891 << U(",.2f"sv) << U("1,234,567.89"sv);
  QTest::newRow("fmt 1234.5 010_.1f") << 1234.5 << U("010_.1f"sv) << U("0_001_234.5"sv);
  QTest::newRow("fmt 12345.5 09,.1f") << 12345.5 << U("09,.1f"sv) << U("012,345.5"sv);
  QTest::newRow("fmt 1e+16 ,") << 1e+16 << U(","sv) << U("1e+16"sv);
  QTest::newRow("fmt -1234.5 +012,.1f") << -1234.5 << U("+012,.1f"sv) << U("-0,001,234.5"sv);
  QTest::newRow("fmt 1234567.0 ,e") << 1234567.0 << U(",e"sv) << U("1.234567e+06"sv);
  QTest::newRow("fmt 12.5 _e") << 12.5 << U("_e"sv) << U("1.250000e+01"sv);
  QTest::newRow("fmt 1234.5 _g") << 1234.5 << U("_g"sv) << U("1_234.5"sv);
  QTest::newRow("fmt 1000000.0 ,g") << 1000000.0 << U(",g"sv) << U("1e+06"sv);
  QTest::newRow("fmt 0.5 ,%") << 0.5 << U(",%"sv) << U("50.000000%"sv);
  QTest::newRow("fmt 1.5 10") << 1.5 << U("10"sv) << U("       1.5"sv);
  QTest::newRow("fmt 1.5 <10") << 1.5 << U("<10"sv) << U("1.5       "sv);
  QTest::newRow("fmt 1.5 ^10") << 1.5 << U("^10"sv) << U("   1.5    "sv);
  QTest::newRow("fmt -1.5 ^10") << -1.5 << U("^10"sv) << U("   -1.5   "sv);
  QTest::newRow("fmt -1.5 010") << -1.5 << U("010"sv) << U("-0000001.5"sv);
  QTest::newRow("fmt -1.5 =10") << -1.5 << U("=10"sv) << U("-      1.5"sv);
  QTest::newRow("fmt 1.5 *<+10.2f") << 1.5 << U("*<+10.2f"sv) << U("+1.50*****"sv);
  QTest::newRow("fmt 1.5 /xe9>8") << 1.5 << U("é>8"sv) << U("ééééé1.5"sv);
  QTest::newRow("fmt -1.5 0>10") << -1.5 << U("0>10"sv) << U("000000-1.5"sv);
  QTest::newRow("fmt 1.5  ") << 1.5 << U(" "sv) << U(" 1.5"sv);
  QTest::newRow("fmt -1.5  ") << -1.5 << U(" "sv) << U("-1.5"sv);
  QTest::newRow("fmt 1.5 +") << 1.5 << U("+"sv) << U("+1.5"sv);
  QTest::newRow("fmt 1.5 -") << 1.5 << U("-"sv) << U("1.5"sv);
  QTest::newRow("fmt inf f") << kInf << U("f"sv) << U("inf"sv);
  QTest::newRow("fmt -inf e") << -kInf << U("e"sv) << U("-inf"sv);
  QTest::newRow("fmt nan g") << kNaN << U("g"sv) << U("nan"sv);
  QTest::newRow("fmt inf F") << kInf << U("F"sv) << U("INF"sv);
  QTest::newRow("fmt nan E") << kNaN << U("E"sv) << U("NAN"sv);
  QTest::newRow("fmt inf %") << kInf << U("%"sv) << U("inf%"sv);
  QTest::newRow("fmt nan +") << kNaN << U("+"sv) << U("+nan"sv);
  QTest::newRow("fmt nan ") << kNaN << U(""sv) << U("nan"sv);
  QTest::newRow("fmt nan 010") << kNaN << U("010"sv) << U("0000000nan"sv);
  QTest::newRow("fmt -inf 010") << -kInf << U("010"sv) << U("-000000inf"sv);
  QTest::newRow("fmt inf 010,") << kInf << U("010,"sv) << U("0000000inf"sv);
  QTest::newRow("fmt inf +10") << kInf << U("+10"sv) << U("      +inf"sv);
  QTest::newRow("fmt nan ^7") << kNaN << U("^7"sv) << U("  nan  "sv);
  QTest::newRow("fmt -0.0 z") << -0.0 << U("z"sv) << U("0.0"sv);
  QTest::newRow("fmt -0.0 z.1f") << -0.0 << U("z.1f"sv) << U("0.0"sv);
  QTest::newRow("fmt -0.001 z.1f") << -0.001 << U("z.1f"sv) << U("0.0"sv);
  QTest::newRow("fmt -0.001 .1f") << -0.001 << U(".1f"sv) << U("-0.0"sv);
  QTest::newRow("fmt -0.0 z+")
      << -0.0 << U("z+"sv)
      << U("!!ValueError: Unknown format code '+' for object of type 'float'"sv);
  QTest::newRow("fmt -0.001 z.0e") << -0.001 << U("z.0e"sv) << U("-1e-03"sv);
  QTest::newRow("fmt -1e-300 zg") << -1e-300 << U("zg"sv) << U("-1e-300"sv);
  QTest::newRow("fmt -0.001 z.1%") << -0.001 << U("z.1%"sv) << U("-0.1%"sv);
  QTest::newRow("fmt -0.5 z.0f") << -0.5 << U("z.0f"sv) << U("0"sv);
  QTest::newRow("fmt -0.4 z.0f") << -0.4 << U("z.0f"sv) << U("0"sv);
  QTest::newRow("fmt -inf z") << -kInf << U("z"sv) << U("-inf"sv);
  QTest::newRow("fmt -0.0 z ^8.2f")
      << -0.0 << U("z ^8.2f"sv)
      << U("!!ValueError: Invalid format specifier 'z ^8.2f' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 n") << 1.5 << U("n"sv) << U("1.5"sv);
  QTest::newRow("fmt 1234567.0 n") << 1234567.0 << U("n"sv) << U("1.23457e+06"sv);
  QTest::newRow("fmt 1234567.0 12n") << 1234567.0 << U("12n"sv) << U(" 1.23457e+06"sv);
  QTest::newRow("fmt 1.5 ,n") << 1.5 << U(",n"sv)
                              << U("!!ValueError: Cannot specify ',' with 'n'."sv);
  QTest::newRow("fmt 1.5 d")
      << 1.5 << U("d"sv) << U("!!ValueError: Unknown format code 'd' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 s")
      << 1.5 << U("s"sv) << U("!!ValueError: Unknown format code 's' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 x")
      << 1.5 << U("x"sv) << U("!!ValueError: Unknown format code 'x' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 c")
      << 1.5 << U("c"sv) << U("!!ValueError: Unknown format code 'c' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 xx")
      << 1.5 << U("xx"sv)
      << U("!!ValueError: Invalid format specifier 'xx' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 5xx")
      << 1.5 << U("5xx"sv)
      << U("!!ValueError: Invalid format specifier '5xx' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 /x01")
      << 1.5 << U("\001"sv)
      << U("!!ValueError: Unknown format code '\\x1' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 /xe9")
      << 1.5 << U("é"sv)
      << U("!!ValueError: Unknown format code '\\xe9' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 .") << 1.5 << U("."sv)
                             << U("!!ValueError: Format specifier missing precision"sv);
  QTest::newRow("fmt 1.5 ,_") << 1.5 << U(",_"sv)
                              << U("!!ValueError: Cannot specify both ',' and '_'."sv);
  QTest::newRow("fmt 1.5 _,") << 1.5 << U("_,"sv)
                              << U("!!ValueError: Cannot specify both ',' and '_'."sv);
  QTest::newRow("fmt 1.5 ,s") << 1.5 << U(",s"sv)
                              << U("!!ValueError: Cannot specify ',' with 's'."sv);
  QTest::newRow("fmt 1.5 ,x") << 1.5 << U(",x"sv)
                              << U("!!ValueError: Cannot specify ',' with 'x'."sv);
  QTest::newRow("fmt 1.5 _x")
      << 1.5 << U("_x"sv)
      << U("!!ValueError: Unknown format code 'x' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 .2147483648f")
      << 1.5 << U(".2147483648f"sv) << U("!!ValueError: precision too big"sv);
  QTest::newRow("fmt 1.5 .2147483647f") << 1.5 << U(".2147483647f"sv) << U("!!MemoryError"sv);
  QTest::newRow("fmt 1.5 99999999999999999999")
      << 1.5 << U("99999999999999999999"sv)
      << U("!!ValueError: Too many decimal digits in format string"sv);
  QTest::newRow("fmt 1.5 .99999999999999999999")
      << 1.5 << U(".99999999999999999999"sv)
      << U("!!ValueError: Too many decimal digits in format string"sv);
  QTest::newRow("fmt 1.5 #z")
      << 1.5 << U("#z"sv)
      << U("!!ValueError: Unknown format code 'z' for object of type 'float'"sv);
  QTest::newRow("fmt 1.5 9999999999d")
      << 1.5 << U("9999999999d"sv)
      << U("!!ValueError: Unknown format code 'd' for object of type 'float'"sv);
}

void tst_PyFormat::formatFloat()
{
  QFETCH(double, value);
  QFETCH(QByteArray, spec);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return format_float(value, S8(spec)); }), expected);
}

void tst_PyFormat::formatStr_data()
{
  QTest::addColumn<QByteArray>("value");
  QTest::addColumn<QByteArray>("spec");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("fmt abc ") << U("abc"sv) << U(""sv) << U("abc"sv);
  QTest::newRow("fmt abc s") << U("abc"sv) << U("s"sv) << U("abc"sv);
  QTest::newRow("fmt abc 10") << U("abc"sv) << U("10"sv) << U("abc       "sv);
  QTest::newRow("fmt abc <10") << U("abc"sv) << U("<10"sv) << U("abc       "sv);
  QTest::newRow("fmt abc >10") << U("abc"sv) << U(">10"sv) << U("       abc"sv);
  QTest::newRow("fmt abc ^6") << U("abc"sv) << U("^6"sv) << U(" abc  "sv);
  QTest::newRow("fmt abc ^7") << U("abc"sv) << U("^7"sv) << U("  abc  "sv);
  QTest::newRow("fmt abc *^8") << U("abc"sv) << U("*^8"sv) << U("**abc***"sv);
  QTest::newRow("fmt abc .2") << U("abc"sv) << U(".2"sv) << U("ab"sv);
  QTest::newRow("fmt abc .0") << U("abc"sv) << U(".0"sv) << U(""sv);
  QTest::newRow("fmt abc >6.2") << U("abc"sv) << U(">6.2"sv) << U("    ab"sv);
  QTest::newRow("fmt abc .10") << U("abc"sv) << U(".10"sv) << U("abc"sv);
  QTest::newRow("fmt  ") << U(""sv) << U(""sv) << U(""sv);
  QTest::newRow("fmt  5") << U(""sv) << U("5"sv) << U("     "sv);
  QTest::newRow("fmt ab x>") << U("ab"sv) << U("x>"sv) << U("ab"sv);
  QTest::newRow("fmt /u65e5/u672c/u8a9e 6") << U("日本語"sv) << U("6"sv) << U("日本語   "sv);
  QTest::newRow("fmt /u65e5/u672c/u8a9e >6.2") << U("日本語"sv) << U(">6.2"sv) << U("    日本"sv);
  QTest::newRow("fmt /u65e5/u672c/u8a9e ^7") << U("日本語"sv) << U("^7"sv) << U("  日本語  "sv);
  QTest::newRow("fmt /xe9 /xe9^5") << U("é"sv) << U("é^5"sv) << U("ééééé"sv);
  QTest::newRow("fmt /U0001f600x /U0001f600<4") << U("😀x"sv) << U("😀<4"sv) << U("😀x😀😀"sv);
  QTest::newRow("fmt a/u0301 3") << U("a\314\201"sv) << U("3"sv) << U("a\314\201 "sv);
  QTest::newRow("fmt abc 05") << U("abc"sv) << U("05"sv) << U("abc00"sv);
  QTest::newRow("fmt ab 0>5") << U("ab"sv) << U("0>5"sv) << U("000ab"sv);
  QTest::newRow("fmt ab 0<5") << U("ab"sv) << U("0<5"sv) << U("ab000"sv);
  QTest::newRow("fmt abc 0") << U("abc"sv) << U("0"sv) << U("abc"sv);
  QTest::newRow("fmt a +") << U("a"sv) << U("+"sv)
                           << U("!!ValueError: Sign not allowed in string format specifier"sv);
  QTest::newRow("fmt a -") << U("a"sv) << U("-"sv)
                           << U("!!ValueError: Sign not allowed in string format specifier"sv);
  QTest::newRow("fmt a  ") << U("a"sv) << U(" "sv)
                           << U("!!ValueError: Space not allowed in string format specifier"sv);
  QTest::newRow("fmt a z")
      << U("a"sv) << U("z"sv)
      << U("!!ValueError: Negative zero coercion (z) not allowed in string format specifier"sv);
  QTest::newRow("fmt a #")
      << U("a"sv) << U("#"sv)
      << U("!!ValueError: Alternate form (#) not allowed in string format specifier"sv);
  QTest::newRow("fmt a =")
      << U("a"sv) << U("="sv)
      << U("!!ValueError: '=' alignment not allowed in string format specifier"sv);
  QTest::newRow("fmt a *=5")
      << U("a"sv) << U("*=5"sv)
      << U("!!ValueError: '=' alignment not allowed in string format specifier"sv);
  QTest::newRow("fmt a +z") << U("a"sv) << U("+z"sv)
                            << U("!!ValueError: Sign not allowed in string format specifier"sv);
  QTest::newRow("fmt a z#")
      << U("a"sv) << U("z#"sv)
      << U("!!ValueError: Negative zero coercion (z) not allowed in string format specifier"sv);
  QTest::newRow("fmt a #=")
      << U("a"sv) << U("#="sv)
      << U("!!ValueError: '=' alignment not allowed in string format specifier"sv);
  QTest::newRow("fmt a ,") << U("a"sv) << U(","sv)
                           << U("!!ValueError: Cannot specify ',' with 's'."sv);
  QTest::newRow("fmt a _") << U("a"sv) << U("_"sv)
                           << U("!!ValueError: Cannot specify '_' with 's'."sv);
  QTest::newRow("fmt a ,s") << U("a"sv) << U(",s"sv)
                            << U("!!ValueError: Cannot specify ',' with 's'."sv);
  QTest::newRow("fmt a ,d")
      << U("a"sv) << U(",d"sv)
      << U("!!ValueError: Unknown format code 'd' for object of type 'str'"sv);
  QTest::newRow("fmt a d") << U("a"sv) << U("d"sv)
                           << U("!!ValueError: Unknown format code 'd' for object of type 'str'"sv);
  QTest::newRow("fmt a r") << U("a"sv) << U("r"sv)
                           << U("!!ValueError: Unknown format code 'r' for object of type 'str'"sv);
  QTest::newRow("fmt a xx")
      << U("a"sv) << U("xx"sv)
      << U("!!ValueError: Invalid format specifier 'xx' for object of type 'str'"sv);
  QTest::newRow("fmt a /x01")
      << U("a"sv) << U("\001"sv)
      << U("!!ValueError: Unknown format code '\\x1' for object of type 'str'"sv);
  QTest::newRow("fmt a /xe9")
      << U("a"sv) << U("é"sv)
      << U("!!ValueError: Unknown format code '\\xe9' for object of type 'str'"sv);
  QTest::newRow("fmt a .") << U("a"sv) << U("."sv)
                           << U("!!ValueError: Format specifier missing precision"sv);
  QTest::newRow("fmt a <") << U("a"sv) << U("<"sv) << U("a"sv);
  QTest::newRow("fmt abc {")
      << U("abc"sv) << U("{"sv)
      << U("!!ValueError: Unknown format code '{' for object of type 'str'"sv);
  QTest::newRow("fmt x 9999999999d")
      << U("x"sv) << U("9999999999d"sv)
      << U("!!ValueError: Unknown format code 'd' for object of type 'str'"sv);
  QTest::newRow("fmt x +9999999999")
      << U("x"sv) << U("+9999999999"sv)
      << U("!!ValueError: Sign not allowed in string format specifier"sv);
  QTest::newRow("fmt a 99999999999999999999")
      << U("a"sv) << U("99999999999999999999"sv)
      << U("!!ValueError: Too many decimal digits in format string"sv);
  QTest::newRow("fmt a .99999999999999999999")
      << U("a"sv) << U(".99999999999999999999"sv)
      << U("!!ValueError: Too many decimal digits in format string"sv);
  QTest::newRow("fmt abc .2147483648") << U("abc"sv) << U(".2147483648"sv) << U("abc"sv);
}

void tst_PyFormat::formatStr()
{
  QFETCH(QByteArray, value);
  QFETCH(QByteArray, spec);
  QFETCH(QByteArray, expected);
  QCOMPARE(outcome([&] { return format_str(S8(value), S8(spec)); }), expected);
}

void tst_PyFormat::formatDouble_data()
{
  QTest::addColumn<double>("value");
  QTest::addColumn<char>("code");
  QTest::addColumn<int>("precision");
  QTest::addColumn<bool>("alt");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("dbl 1.5 r 0 False") << 1.5 << 'r' << 0 << false << U("1.5"sv);
  QTest::newRow("dbl 1e+16 r 0 False") << 1e+16 << 'r' << 0 << false << U("1e+16"sv);
  QTest::newRow("dbl 1e+16 r 0 True") << 1e+16 << 'r' << 0 << true << U("1.e+16"sv);
  QTest::newRow("dbl 0.1 e -1 False") << 0.1 << 'e' << -1 << false << U("1.000000e-01"sv);
  QTest::newRow("dbl 0.1 e 3 True") << 0.1 << 'e' << 3 << true << U("1.000e-01"sv);
  QTest::newRow("dbl 2.5 f 0 True") << 2.5 << 'f' << 0 << true << U("2."sv);
  QTest::newRow("dbl 1.0 g 0 False") << 1.0 << 'g' << 0 << false << U("1"sv);
  QTest::newRow("dbl 1.0 g 5 True") << 1.0 << 'g' << 5 << true << U("1.0000"sv);
  QTest::newRow("dbl inf F 2 False") << kInf << 'F' << 2 << false << U("INF"sv);
  QTest::newRow("dbl -0.0 G 3 False") << -0.0 << 'G' << 3 << false << U("-0"sv);
  QTest::newRow("dbl 123.456 E 2 False") << 123.456 << 'E' << 2 << false << U("1.23E+02"sv);
}

void tst_PyFormat::formatDouble()
{
  QFETCH(double, value);
  QFETCH(char, code);
  QFETCH(int, precision);
  QFETCH(bool, alt);
  QFETCH(QByteArray, expected);
  QCOMPARE(U(format_double(value, code, precision, alt)), expected);
}

void tst_PyFormat::percentFormat_data()
{
  QTest::addColumn<QByteArray>("fmt");
  QTest::addColumn<Val>("args");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("pct %s abc") << U("%s"sv) << S("abc"sv) << U("abc"sv);
  QTest::newRow("pct %s 5") << U("%s"sv) << I(5_i) << U("5"sv);
  QTest::newRow("pct %s 1.0") << U("%s"sv) << F(1.0) << U("1.0"sv);
  QTest::newRow("pct %s None") << U("%s"sv) << N() << U("None"sv);
  QTest::newRow("pct %s True") << U("%s"sv) << Bo(true) << U("True"sv);
  QTest::newRow("pct %s [1, 'a']") << U("%s"sv) << L({I(1_i), S("a"sv)}) << U("[1, 'a']"sv);
  QTest::newRow("pct %s (1, 2)")
      << U("%s"sv) << T({I(1_i), I(2_i)})
      << U("!!TypeError: not all arguments converted during string formatting"sv);
  QTest::newRow("pct %s ((1, 2),)") << U("%s"sv) << T({T({I(1_i), I(2_i)})}) << U("(1, 2)"sv);
  QTest::newRow("pct %s {'a': 1}") << U("%s"sv) << D({{"a"sv, I(1_i)}}) << U("{'a': 1}"sv);
  QTest::newRow("pct %r a") << U("%r"sv) << S("a"sv) << U("'a'"sv);
  QTest::newRow("pct %r it's") << U("%r"sv) << S("it's"sv) << U("\"it's\""sv);
  QTest::newRow("pct %a /xe9/U0001f600") << U("%a"sv) << S("é😀"sv) << U("'\\xe9\\U0001f600'"sv);
  QTest::newRow("pct %s %s (1, 2)") << U("%s %s"sv) << T({I(1_i), I(2_i)}) << U("1 2"sv);
  QTest::newRow("pct %d 5") << U("%d"sv) << I(5_i) << U("5"sv);
  QTest::newRow("pct %d -5") << U("%d"sv) << I(-5_i) << U("-5"sv);
  QTest::newRow("pct %i 3.9") << U("%i"sv) << F(3.9) << U("3"sv);
  QTest::newRow("pct %d -3.9") << U("%d"sv) << F(-3.9) << U("-3"sv);
  QTest::newRow("pct %u 5") << U("%u"sv) << I(5_i) << U("5"sv);
  QTest::newRow("pct %d True") << U("%d"sv) << Bo(true) << U("1"sv);
  QTest::newRow("pct %d 1e+30") << U("%d"sv) << F(1e+30) << U("1000000000000000019884624838656"sv);
  QTest::newRow("pct %d -1e+30") << U("%d"sv) << F(-1e+30)
                                 << U("-1000000000000000019884624838656"sv);
  QTest::newRow("pct %d 9.223372036854776e+18")
      << U("%d"sv) << F(9.223372036854776e+18) << U("9223372036854775808"sv);
  QTest::newRow("pct %d inf") << U("%d"sv) << F(kInf)
                              << U("!!OverflowError: cannot convert float infinity to integer"sv);
  QTest::newRow("pct %d nan") << U("%d"sv) << F(kNaN)
                              << U("!!ValueError: cannot convert float NaN to integer"sv);
  QTest::newRow("pct %d x") << U("%d"sv) << S("x"sv)
                            << U("!!TypeError: %d format: a real number is required, not str"sv);
  QTest::newRow("pct %d None")
      << U("%d"sv) << N() << U("!!TypeError: %d format: a real number is required, not NoneType"sv);
  QTest::newRow("pct %d [1]") << U("%d"sv) << L({I(1_i)})
                              << U("!!TypeError: %d format: a real number is required, not list"sv);
  QTest::newRow("pct %x 255") << U("%x"sv) << I(255_i) << U("ff"sv);
  QTest::newRow("pct %X 255") << U("%X"sv) << I(255_i) << U("FF"sv);
  QTest::newRow("pct %o 8") << U("%o"sv) << I(8_i) << U("10"sv);
  QTest::newRow("pct %#x 255") << U("%#x"sv) << I(255_i) << U("0xff"sv);
  QTest::newRow("pct %#X 255") << U("%#X"sv) << I(255_i) << U("0XFF"sv);
  QTest::newRow("pct %#o 8") << U("%#o"sv) << I(8_i) << U("0o10"sv);
  QTest::newRow("pct %x -255") << U("%x"sv) << I(-255_i) << U("-ff"sv);
  QTest::newRow("pct %#x -255") << U("%#x"sv) << I(-255_i) << U("-0xff"sv);
  QTest::newRow("pct %x True") << U("%x"sv) << Bo(true) << U("1"sv);
  QTest::newRow("pct %x 1.5") << U("%x"sv) << F(1.5)
                              << U("!!TypeError: %x format: an integer is required, not float"sv);
  QTest::newRow("pct %o a") << U("%o"sv) << S("a"sv)
                            << U("!!TypeError: %o format: an integer is required, not str"sv);
  QTest::newRow("pct %X -9223372036854775808") << U("%X"sv) << I(kMin) << U("-8000000000000000"sv);
  QTest::newRow("pct %5d| 42") << U("%5d|"sv) << I(42_i) << U("   42|"sv);
  QTest::newRow("pct %-5d| 42") << U("%-5d|"sv) << I(42_i) << U("42   |"sv);
  QTest::newRow("pct %05d 42") << U("%05d"sv) << I(42_i) << U("00042"sv);
  QTest::newRow("pct %05d -42") << U("%05d"sv) << I(-42_i) << U("-0042"sv);
  QTest::newRow("pct %+d 42") << U("%+d"sv) << I(42_i) << U("+42"sv);
  QTest::newRow("pct %+d -42") << U("%+d"sv) << I(-42_i) << U("-42"sv);
  QTest::newRow("pct % d 42") << U("% d"sv) << I(42_i) << U(" 42"sv);
  QTest::newRow("pct % d -42") << U("% d"sv) << I(-42_i) << U("-42"sv);
  QTest::newRow("pct %+05d 3") << U("%+05d"sv) << I(3_i) << U("+0003"sv);
  QTest::newRow("pct % 5d -3") << U("% 5d"sv) << I(-3_i) << U("   -3"sv);
  QTest::newRow("pct %-05d| 3") << U("%-05d|"sv) << I(3_i) << U("3    |"sv);
  QTest::newRow("pct %.3d 5") << U("%.3d"sv) << I(5_i) << U("005"sv);
  QTest::newRow("pct %05.3d 5") << U("%05.3d"sv) << I(5_i) << U("00005"sv);
  QTest::newRow("pct %5.2d 1.5") << U("%5.2d"sv) << F(1.5) << U("   01"sv);
  QTest::newRow("pct %.0d 0") << U("%.0d"sv) << I(0_i) << U("0"sv);
  QTest::newRow("pct %#08x 255") << U("%#08x"sv) << I(255_i) << U("0x0000ff"sv);
  QTest::newRow("pct %#-8X| 255") << U("%#-8X|"sv) << I(255_i) << U("0XFF    |"sv);
  QTest::newRow("pct %+x 255") << U("%+x"sv) << I(255_i) << U("+ff"sv);
  QTest::newRow("pct % #x 255") << U("% #x"sv) << I(255_i) << U(" 0xff"sv);
  QTest::newRow("pct %+#010x 255") << U("%+#010x"sv) << I(255_i) << U("+0x00000ff"sv);
  QTest::newRow("pct %#.3x 5") << U("%#.3x"sv) << I(5_i) << U("0x005"sv);
  QTest::newRow("pct %#5.3x 5") << U("%#5.3x"sv) << I(5_i) << U("0x005"sv);
  QTest::newRow("pct %#05x 5") << U("%#05x"sv) << I(5_i) << U("0x005"sv);
  QTest::newRow("pct %#-8o| 8") << U("%#-8o|"sv) << I(8_i) << U("0o10    |"sv);
  QTest::newRow("pct %#010o -8") << U("%#010o"sv) << I(-8_i) << U("-0o0000010"sv);
  QTest::newRow("pct %f 1.5") << U("%f"sv) << F(1.5) << U("1.500000"sv);
  QTest::newRow("pct %f 3") << U("%f"sv) << I(3_i) << U("3.000000"sv);
  QTest::newRow("pct %f True") << U("%f"sv) << Bo(true) << U("1.000000"sv);
  QTest::newRow("pct %.2f 3.14159") << U("%.2f"sv) << F(3.14159) << U("3.14"sv);
  QTest::newRow("pct %.0f 0.5") << U("%.0f"sv) << F(0.5) << U("0"sv);
  QTest::newRow("pct %.0f 1.5") << U("%.0f"sv) << F(1.5) << U("2"sv);
  QTest::newRow("pct %.0f 2.5") << U("%.0f"sv) << F(2.5) << U("2"sv);
  QTest::newRow("pct %.2f 0.125") << U("%.2f"sv) << F(0.125) << U("0.12"sv);
  QTest::newRow("pct %.1f -0.04") << U("%.1f"sv) << F(-0.04) << U("-0.0"sv);
  QTest::newRow("pct %#.0f 1") << U("%#.0f"sv) << I(1_i) << U("1."sv);
  QTest::newRow("pct %08.3f -1.5") << U("%08.3f"sv) << F(-1.5) << U("-001.500"sv);
  QTest::newRow("pct %+08.2f 3.14159") << U("%+08.2f"sv) << F(3.14159) << U("+0003.14"sv);
  QTest::newRow("pct %-10.2f| 3.14159") << U("%-10.2f|"sv) << F(3.14159) << U("3.14      |"sv);
  QTest::newRow("pct %e 12345.678") << U("%e"sv) << F(12345.678) << U("1.234568e+04"sv);
  QTest::newRow("pct %+.2e 12345.678") << U("%+.2e"sv) << F(12345.678) << U("+1.23e+04"sv);
  QTest::newRow("pct %#.0e 1") << U("%#.0e"sv) << I(1_i) << U("1.e+00"sv);
  QTest::newRow("pct %E 1e-10") << U("%E"sv) << F(1e-10) << U("1.000000E-10"sv);
  QTest::newRow("pct %g 1e-05") << U("%g"sv) << F(1e-05) << U("1e-05"sv);
  QTest::newRow("pct %g 123456789") << U("%g"sv) << I(123456789_i) << U("1.23457e+08"sv);
  QTest::newRow("pct %g 0.0001") << U("%g"sv) << F(0.0001) << U("0.0001"sv);
  QTest::newRow("pct %#g 1") << U("%#g"sv) << I(1_i) << U("1.00000"sv);
  QTest::newRow("pct %G 1e+20") << U("%G"sv) << F(1e+20) << U("1E+20"sv);
  QTest::newRow("pct %#10.3g 3.0") << U("%#10.3g"sv) << F(3.0) << U("      3.00"sv);
  QTest::newRow("pct %.3g 1234.5") << U("%.3g"sv) << F(1234.5) << U("1.23e+03"sv);
  QTest::newRow("pct %F 1.5") << U("%F"sv) << F(1.5) << U("1.500000"sv);
  QTest::newRow("pct %e inf") << U("%e"sv) << F(kInf) << U("inf"sv);
  QTest::newRow("pct %f -inf") << U("%f"sv) << F(-kInf) << U("-inf"sv);
  QTest::newRow("pct %F nan") << U("%F"sv) << F(kNaN) << U("NAN"sv);
  QTest::newRow("pct %010f inf") << U("%010f"sv) << F(kInf) << U("0000000inf"sv);
  QTest::newRow("pct %E inf") << U("%E"sv) << F(kInf) << U("INF"sv);
  QTest::newRow("pct %+f nan") << U("%+f"sv) << F(kNaN) << U("+nan"sv);
  QTest::newRow("pct %f x") << U("%f"sv) << S("x"sv)
                            << U("!!TypeError: must be real number, not str"sv);
  QTest::newRow("pct %f None") << U("%f"sv) << N()
                               << U("!!TypeError: must be real number, not NoneType"sv);
  QTest::newRow("pct %f 1000000000000000000")
      << U("%f"sv) << I(1000000000000000000_i) << U("1000000000000000000.000000"sv);
  QTest::newRow("pct %.500f 1.0")
      << U("%.500f"sv) << F(1.0)
      << U("1.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"sv);
  QTest::newRow("pct %c /xe9") << U("%c"sv) << S("é"sv) << U("é"sv);
  QTest::newRow("pct %c 65") << U("%c"sv) << I(65_i) << U("A"sv);
  QTest::newRow("pct %c 233") << U("%c"sv) << I(233_i) << U("é"sv);
  QTest::newRow("pct %c True") << U("%c"sv) << Bo(true) << U("\001"sv);
  QTest::newRow("pct %5c /xe9") << U("%5c"sv) << S("é"sv) << U("    é"sv);
  QTest::newRow("pct %-3c| 65") << U("%-3c|"sv) << I(65_i) << U("A  |"sv);
  QTest::newRow("pct %c ab") << U("%c"sv) << S("ab"sv)
                             << U("!!TypeError: %c requires int or char"sv);
  QTest::newRow("pct %c ") << U("%c"sv) << S(""sv) << U("!!TypeError: %c requires int or char"sv);
  QTest::newRow("pct %c 1.5") << U("%c"sv) << F(1.5) << U("!!TypeError: %c requires int or char"sv);
  QTest::newRow("pct %c None") << U("%c"sv) << N() << U("!!TypeError: %c requires int or char"sv);
  QTest::newRow("pct %c -1") << U("%c"sv) << I(-1_i)
                             << U("!!OverflowError: %c arg not in range(0x110000)"sv);
  QTest::newRow("pct %c 1114112") << U("%c"sv) << I(1114112_i)
                                  << U("!!OverflowError: %c arg not in range(0x110000)"sv);
  QTest::newRow("pct %c 1114111") << U("%c"sv) << I(1114111_i) << U("\364\217\277\277"sv);
  QTest::newRow("pct %.3s abcdef") << U("%.3s"sv) << S("abcdef"sv) << U("abc"sv);
  QTest::newRow("pct %5.1s| abc") << U("%5.1s|"sv) << S("abc"sv) << U("    a|"sv);
  QTest::newRow("pct %-5s| /xe9") << U("%-5s|"sv) << S("é"sv) << U("é    |"sv);
  QTest::newRow("pct %5s /u65e5/u672c") << U("%5s"sv) << S("日本"sv) << U("   日本"sv);
  QTest::newRow("pct %.1s /u65e5/u672c") << U("%.1s"sv) << S("日本"sv) << U("日"sv);
  QTest::newRow("pct %+s x") << U("%+s"sv) << S("x"sv) << U("x"sv);
  QTest::newRow("pct %05s x") << U("%05s"sv) << S("x"sv) << U("    x"sv);
  QTest::newRow("pct % s x") << U("% s"sv) << S("x"sv) << U("x"sv);
  QTest::newRow("pct %.2r abc") << U("%.2r"sv) << S("abc"sv) << U("'a"sv);
  QTest::newRow("pct %5r 5") << U("%5r"sv) << I(5_i) << U("    5"sv);
  QTest::newRow("pct %-6a| /xe9") << U("%-6a|"sv) << S("é"sv) << U("'\\xe9'|"sv);
  QTest::newRow("pct %*d (5, 42)") << U("%*d"sv) << T({I(5_i), I(42_i)}) << U("   42"sv);
  QTest::newRow("pct %-*d| (5, 42)") << U("%-*d|"sv) << T({I(5_i), I(42_i)}) << U("42   |"sv);
  QTest::newRow("pct %*d| (-5, 42)") << U("%*d|"sv) << T({I(-5_i), I(42_i)}) << U("42   |"sv);
  QTest::newRow("pct %*s (-5, 'a')") << U("%*s"sv) << T({I(-5_i), S("a"sv)}) << U("a    "sv);
  QTest::newRow("pct %.*f (2, 3.14159)") << U("%.*f"sv) << T({I(2_i), F(3.14159)}) << U("3.14"sv);
  QTest::newRow("pct %.*f (-3, 1.5)") << U("%.*f"sv) << T({I(-3_i), F(1.5)}) << U("2"sv);
  QTest::newRow("pct %*.*f (10, 2, 3.14159)")
      << U("%*.*f"sv) << T({I(10_i), I(2_i), F(3.14159)}) << U("      3.14"sv);
  QTest::newRow("pct %0*.*f (10, 2, 3.14159)")
      << U("%0*.*f"sv) << T({I(10_i), I(2_i), F(3.14159)}) << U("0000003.14"sv);
  QTest::newRow("pct %*d ('a', 1)")
      << U("%*d"sv) << T({S("a"sv), I(1_i)}) << U("!!TypeError: * wants int"sv);
  QTest::newRow("pct %.*d (1.5, 1)")
      << U("%.*d"sv) << T({F(1.5), I(1_i)}) << U("!!TypeError: * wants int"sv);
  QTest::newRow("pct %*d (True, 1)") << U("%*d"sv) << T({Bo(true), I(1_i)}) << U("1"sv);
  QTest::newRow("pct %.*d (1099511627776, 1)")
      << U("%.*d"sv) << T({I(1099511627776_i), I(1_i)})
      << U("!!OverflowError: Python int too large to convert to C int"sv);
  QTest::newRow("pct %*d (5,)") << U("%*d"sv) << T({I(5_i)})
                                << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct %ld 5") << U("%ld"sv) << I(5_i) << U("5"sv);
  QTest::newRow("pct %hd 5") << U("%hd"sv) << I(5_i) << U("5"sv);
  QTest::newRow("pct %Lf 1.5") << U("%Lf"sv) << F(1.5) << U("1.500000"sv);
  QTest::newRow("pct %lld 5")
      << U("%lld"sv) << I(5_i)
      << U("!!ValueError: unsupported format character 'l' (0x6c) at index 2"sv);
  QTest::newRow("pct %(a)s {'a': 1}") << U("%(a)s"sv) << D({{"a"sv, I(1_i)}}) << U("1"sv);
  QTest::newRow("pct %(a)d %(b)s {'a': 1, 'b': 'x'}")
      << U("%(a)d %(b)s"sv) << D({{"a"sv, I(1_i)}, {"b"sv, S("x"sv)}}) << U("1 x"sv);
  QTest::newRow("pct %(a)s {'a': 1, 'b': 2}")
      << U("%(a)s"sv) << D({{"a"sv, I(1_i)}, {"b"sv, I(2_i)}}) << U("1"sv);
  QTest::newRow("pct %(a(b))s {'a(b)': 1}")
      << U("%(a(b))s"sv) << D({{"a(b)"sv, I(1_i)}}) << U("1"sv);
  QTest::newRow("pct %(/xe9)s {'/xe9': 'ok'}")
      << U("%(é)s"sv) << D({{"é"sv, S("ok"sv)}}) << U("ok"sv);
  QTest::newRow("pct %(a)5.1f| {'a': 2.25}")
      << U("%(a)5.1f|"sv) << D({{"a"sv, F(2.25)}}) << U("  2.2|"sv);
  QTest::newRow("pct %(a)s %s {'a': 1}")
      << U("%(a)s %s"sv) << D({{"a"sv, I(1_i)}})
      << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct %(a)*d {'a': 1}")
      << U("%(a)*d"sv) << D({{"a"sv, I(1_i)}})
      << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct %(a)s {}") << U("%(a)s"sv) << D({}) << U("!!KeyError: 'a'"sv);
  QTest::newRow("pct %(a)s 1") << U("%(a)s"sv) << I(1_i)
                               << U("!!TypeError: format requires a mapping"sv);
  QTest::newRow("pct %(a)s (1,)") << U("%(a)s"sv) << T({I(1_i)})
                                  << U("!!TypeError: format requires a mapping"sv);
  QTest::newRow("pct %(a)s [1]")
      << U("%(a)s"sv) << L({I(1_i)})
      << U("!!TypeError: list indices must be integers or slices, not str"sv);
  QTest::newRow("pct %(a {'a': 1}")
      << U("%(a"sv) << D({{"a"sv, I(1_i)}}) << U("!!ValueError: incomplete format key"sv);
  QTest::newRow("pct %(a) {'a': 1}")
      << U("%(a)"sv) << D({{"a"sv, I(1_i)}}) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %s {}") << U("%s"sv) << D({}) << U("{}"sv);
  QTest::newRow("pct %s %s {'a': 1}") << U("%s %s"sv) << D({{"a"sv, I(1_i)}})
                                      << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct x {'a': 1}") << U("x"sv) << D({{"a"sv, I(1_i)}}) << U("x"sv);
  QTest::newRow("pct hello []") << U("hello"sv) << L({}) << U("hello"sv);
  QTest::newRow("pct %s []") << U("%s"sv) << L({}) << U("[]"sv);
  QTest::newRow("pct %% ()") << U("%%"sv) << T({}) << U("%"sv);
  QTest::newRow("pct 100%% ()") << U("100%%"sv) << T({}) << U("100%"sv);
  QTest::newRow("pct %s%% 5") << U("%s%%"sv) << I(5_i) << U("5%"sv);
  QTest::newRow("pct %5% ()") << U("%5%"sv) << T({})
                              << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct %5% (1,)")
      << U("%5%"sv) << T({I(1_i)})
      << U("!!ValueError: unsupported format character '%' (0x25) at index 2"sv);
  QTest::newRow("pct %-5%| ()") << U("%-5%|"sv) << T({})
                                << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct %s %s (1,)") << U("%s %s"sv) << T({I(1_i)})
                                  << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct %s (1, 2)")
      << U("%s"sv) << T({I(1_i), I(2_i)})
      << U("!!TypeError: not all arguments converted during string formatting"sv);
  QTest::newRow("pct %s ()") << U("%s"sv) << T({})
                             << U("!!TypeError: not enough arguments for format string"sv);
  QTest::newRow("pct hello 5")
      << U("hello"sv) << I(5_i)
      << U("!!TypeError: not all arguments converted during string formatting"sv);
  QTest::newRow("pct hello ()") << U("hello"sv) << T({}) << U("hello"sv);
  QTest::newRow("pct hello (1,)")
      << U("hello"sv) << T({I(1_i)})
      << U("!!TypeError: not all arguments converted during string formatting"sv);
  QTest::newRow("pct abc% 1") << U("abc%"sv) << I(1_i) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct % ()") << U("%"sv) << T({}) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %s% (1,)") << U("%s%"sv) << T({I(1_i)})
                                << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %- 1") << U("%-"sv) << I(1_i) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %5 1") << U("%5"sv) << I(1_i) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %. 1") << U("%."sv) << I(1_i) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %(a) {'a': 1}")
      << U("%(a)"sv) << D({{"a"sv, I(1_i)}}) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %* (5,)") << U("%*"sv) << T({I(5_i)})
                               << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %l 1") << U("%l"sv) << I(1_i) << U("!!ValueError: incomplete format"sv);
  QTest::newRow("pct %z 1")
      << U("%z"sv) << I(1_i)
      << U("!!ValueError: unsupported format character 'z' (0x7a) at index 1"sv);
  QTest::newRow("pct ab %y 1")
      << U("ab %y"sv) << I(1_i)
      << U("!!ValueError: unsupported format character 'y' (0x79) at index 4"sv);
  QTest::newRow("pct /xe9%/xe9 1")
      << U("é%é"sv) << I(1_i)
      << U("!!ValueError: unsupported format character '?' (0xe9) at index 2"sv);
  QTest::newRow("pct %/x01 1")
      << U("%\001"sv) << I(1_i)
      << U("!!ValueError: unsupported format character '?' (0x1) at index 1"sv);
  QTest::newRow("pct %5.2q 1")
      << U("%5.2q"sv) << I(1_i)
      << U("!!ValueError: unsupported format character 'q' (0x71) at index 4"sv);
  QTest::newRow("pct %99999999999999999999d 1")
      << U("%99999999999999999999d"sv) << I(1_i) << U("!!ValueError: width too big"sv);
  QTest::newRow("pct %.2147483648f 1")
      << U("%.2147483648f"sv) << I(1_i) << U("!!ValueError: precision too big"sv);
  QTest::newRow("pct %.2147483647s a") << U("%.2147483647s"sv) << S("a"sv) << U("a"sv);
  QTest::newRow("pct %s /xe9 %d ('/xfc', 3)")
      << U("%s é %d"sv) << T({S("ü"sv), I(3_i)}) << U("ü é 3"sv);
  QTest::newRow("pct %*X (-9223372036854775808, 1114112)")
      << U("%*X"sv) << T({I(kMin), I(1114112_i)}) << U("110000"sv);
  QTest::newRow("pct %*d (1000000000000, 'x')")
      << U("%*d"sv) << T({I(1000000000000_i), S("x"sv)})
      << U("!!TypeError: %d format: a real number is required, not str"sv);
  QTest::newRow("pct %*d (1000000000000,)")
      << U("%*d"sv) << T({I(1000000000000_i)})
      << U("!!TypeError: not enough arguments for format string"sv);
}

void tst_PyFormat::percentFormat()
{
  QFETCH(QByteArray, fmt);
  QFETCH(Val, args);
  QFETCH(QByteArray, expected);
  FakePercentArgs fake(args);
  QCOMPARE(outcome([&] { return percent_format(S8(fmt), fake); }), expected);
}

void tst_PyFormat::formatTemplate_data()
{
  QTest::addColumn<QByteArray>("fmt");
  QTest::addColumn<Val>("args");
  QTest::addColumn<Val>("kwargs");
  QTest::addColumn<bool>("positionalAllowed");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("fmt {} (1,) {}") << U("{}"sv) << L({I(1_i)}) << D({}) << true << U("1"sv);
  QTest::newRow("fmt {} {} (1, 'a') {}")
      << U("{} {}"sv) << L({I(1_i), S("a"sv)}) << D({}) << true << U("1 a"sv);
  QTest::newRow("fmt {0} {1} {0} ('a', 'b') {}")
      << U("{0} {1} {0}"sv) << L({S("a"sv), S("b"sv)}) << D({}) << true << U("a b a"sv);
  QTest::newRow("fmt {1}{0} ('a', 'b') {}")
      << U("{1}{0}"sv) << L({S("a"sv), S("b"sv)}) << D({}) << true << U("ba"sv);
  QTest::newRow("fmt {x} {y} () {'x': 1, 'y': 2.5}")
      << U("{x} {y}"sv) << L({}) << D({{"x"sv, I(1_i)}, {"y"sv, F(2.5)}}) << true << U("1 2.5"sv);
  QTest::newRow("fmt {0}{x} ('a',) {'x': 'b'}")
      << U("{0}{x}"sv) << L({S("a"sv)}) << D({{"x"sv, S("b"sv)}}) << true << U("ab"sv);
  QTest::newRow("fmt {}{x}{} ('a', 'c') {'x': 'b'}")
      << U("{}{x}{}"sv) << L({S("a"sv), S("c"sv)}) << D({{"x"sv, S("b"sv)}}) << true << U("abc"sv);
  QTest::newRow("fmt {{}} () {}") << U("{{}}"sv) << L({}) << D({}) << true << U("{}"sv);
  QTest::newRow("fmt {{{0}}} (5,) {}")
      << U("{{{0}}}"sv) << L({I(5_i)}) << D({}) << true << U("{5}"sv);
  QTest::newRow("fmt a{{b () {}") << U("a{{b"sv) << L({}) << D({}) << true << U("a{b"sv);
  QTest::newRow("fmt }} () {}") << U("}}"sv) << L({}) << D({}) << true << U("}"sv);
  QTest::newRow("fmt  () {}") << U(""sv) << L({}) << D({}) << true << U(""sv);
  QTest::newRow("fmt plain () {}") << U("plain"sv) << L({}) << D({}) << true << U("plain"sv);
  QTest::newRow("fmt /xe9{}/xfc ('/u65e5',) {}")
      << U("é{}ü"sv) << L({S("日"sv)}) << D({}) << true << U("é日ü"sv);
  QTest::newRow("fmt {:d} (5,) {}") << U("{:d}"sv) << L({I(5_i)}) << D({}) << true << U("5"sv);
  QTest::newRow("fmt {:>5} ('ab',) {}")
      << U("{:>5}"sv) << L({S("ab"sv)}) << D({}) << true << U("   ab"sv);
  QTest::newRow("fmt {:*^9.3f} (3.14159,) {}")
      << U("{:*^9.3f}"sv) << L({F(3.14159)}) << D({}) << true << U("**3.142**"sv);
  QTest::newRow("fmt {:,} (1234567,) {}")
      << U("{:,}"sv) << L({I(1234567_i)}) << D({}) << true << U("1,234,567"sv);
  QTest::newRow("fmt {0:{1}} ('abc', '>6') {}")
      << U("{0:{1}}"sv) << L({S("abc"sv), S(">6"sv)}) << D({}) << true << U("   abc"sv);
  QTest::newRow("fmt {:{}} ('abc', 6) {}")
      << U("{:{}}"sv) << L({S("abc"sv), I(6_i)}) << D({}) << true << U("abc   "sv);
  QTest::newRow("fmt {:{}.{}f} (3.14159, 8, 2) {}")
      << U("{:{}.{}f}"sv) << L({F(3.14159), I(8_i), I(2_i)}) << D({}) << true << U("    3.14"sv);
  QTest::newRow("fmt {0:{w}.{p}f} (3.14159,) {'w': 8, 'p': 3}")
      << U("{0:{w}.{p}f}"sv) << L({F(3.14159)}) << D({{"w"sv, I(8_i)}, {"p"sv, I(3_i)}}) << true
      << U("   3.142"sv);
  QTest::newRow("fmt {:{}}{} ('a', 3, 'b') {}")
      << U("{:{}}{}"sv) << L({S("a"sv), I(3_i), S("b"sv)}) << D({}) << true << U("a  b"sv);
  QTest::newRow("fmt {0:{1}} ('abc', '>{') {}")
      << U("{0:{1}}"sv) << L({S("abc"sv), S(">{"sv)}) << D({}) << true
      << U("!!ValueError: Unknown format code '{' for object of type 'str'"sv);
  QTest::newRow("fmt {0:{1:{2}}} (1, 2, 3) {}")
      << U("{0:{1:{2}}}"sv) << L({I(1_i), I(2_i), I(3_i)}) << D({}) << true
      << U("!!ValueError: Max string recursion exceeded"sv);
  QTest::newRow("fmt {0:} (5,) {}") << U("{0:}"sv) << L({I(5_i)}) << D({}) << true << U("5"sv);
  QTest::newRow("fmt {:} ('x',) {}") << U("{:}"sv) << L({S("x"sv)}) << D({}) << true << U("x"sv);
  QTest::newRow("fmt {!r} ('a',) {}")
      << U("{!r}"sv) << L({S("a"sv)}) << D({}) << true << U("'a'"sv);
  QTest::newRow("fmt {!s} ('a',) {}") << U("{!s}"sv) << L({S("a"sv)}) << D({}) << true << U("a"sv);
  QTest::newRow("fmt {!a} ('/xe9',) {}")
      << U("{!a}"sv) << L({S("é"sv)}) << D({}) << true << U("'\\xe9'"sv);
  QTest::newRow("fmt {0!r:>6} ('a',) {}")
      << U("{0!r:>6}"sv) << L({S("a"sv)}) << D({}) << true << U("   'a'"sv);
  QTest::newRow("fmt {!r:^10} ('/xe9',) {}")
      << U("{!r:^10}"sv) << L({S("é"sv)}) << D({}) << true << U("   'é'    "sv);
  QTest::newRow("fmt {!r} (5,) {}") << U("{!r}"sv) << L({I(5_i)}) << D({}) << true << U("5"sv);
  QTest::newRow("fmt {!s:>4} (1.5,) {}")
      << U("{!s:>4}"sv) << L({F(1.5)}) << D({}) << true << U(" 1.5"sv);
  QTest::newRow("fmt {0!r:.2} ('abc',) {}")
      << U("{0!r:.2}"sv) << L({S("abc"sv)}) << D({}) << true << U("'a"sv);
  QTest::newRow("fmt {0!x} (1,) {}") << U("{0!x}"sv) << L({I(1_i)}) << D({}) << true
                                     << U("!!ValueError: Unknown conversion specifier x"sv);
  QTest::newRow("fmt {0!/xe9} (1,) {}") << U("{0!é}"sv) << L({I(1_i)}) << D({}) << true
                                        << U("!!ValueError: Unknown conversion specifier \\xe9"sv);
  QTest::newRow("fmt {0!/x01} (1,) {}") << U("{0!\001}"sv) << L({I(1_i)}) << D({}) << true
                                        << U("!!ValueError: Unknown conversion specifier \\x1"sv);
  QTest::newRow("fmt {0!} (1,) {}") << U("{0!}"sv) << L({I(1_i)}) << D({}) << true
                                    << U("!!ValueError: unmatched '{' in format spec"sv);
  QTest::newRow("fmt {0!rr} (1,) {}")
      << U("{0!rr}"sv) << L({I(1_i)}) << D({}) << true
      << U("!!ValueError: expected ':' after conversion specifier"sv);
  QTest::newRow("fmt {!r (1,) {}") << U("{!r"sv) << L({I(1_i)}) << D({}) << true
                                   << U("!!ValueError: unmatched '{' in format spec"sv);
  QTest::newRow("fmt {0! (1,) {}")
      << U("{0!"sv) << L({I(1_i)}) << D({}) << true
      << U("!!ValueError: end of string while looking for conversion specifier"sv);
  QTest::newRow("fmt {0[0]} ([5, 6],) {}")
      << U("{0[0]}"sv) << L({L({I(5_i), I(6_i)})}) << D({}) << true << U("5"sv);
  QTest::newRow("fmt {0[1]} ([5, 6],) {}")
      << U("{0[1]}"sv) << L({L({I(5_i), I(6_i)})}) << D({}) << true << U("6"sv);
  QTest::newRow("fmt {0[2]} ([5, 6],) {}") << U("{0[2]}"sv) << L({L({I(5_i), I(6_i)})}) << D({})
                                           << true << U("!!IndexError: list index out of range"sv);
  QTest::newRow("fmt {0[a]} ({'a': 5},) {}")
      << U("{0[a]}"sv) << L({D({{"a"sv, I(5_i)}})}) << D({}) << true << U("5"sv);
  QTest::newRow("fmt {0[b]} ({'a': 5},) {}")
      << U("{0[b]}"sv) << L({D({{"a"sv, I(5_i)}})}) << D({}) << true << U("!!KeyError: 'b'"sv);
  QTest::newRow("fmt {0[-1]} ([5],) {}")
      << U("{0[-1]}"sv) << L({L({I(5_i)})}) << D({}) << true
      << U("!!TypeError: list indices must be integers or slices, not str"sv);
  QTest::newRow("fmt {[0]}{} ([1], 2) {}")
      << U("{[0]}{}"sv) << L({L({I(1_i)}), I(2_i)}) << D({}) << true << U("12"sv);
  QTest::newRow("fmt {x[0][1]} () {'x': [[1, 2]]}")
      << U("{x[0][1]}"sv) << L({}) << D({{"x"sv, L({L({I(1_i), I(2_i)})})}}) << true << U("2"sv);
  QTest::newRow("fmt {0.real} (3,) {}")
      << U("{0.real}"sv) << L({I(3_i)}) << D({}) << true << U("3"sv);
  QTest::newRow("fmt {0.imag} (3,) {}")
      << U("{0.imag}"sv) << L({I(3_i)}) << D({}) << true << U("0"sv);
  QTest::newRow("fmt {0.nope} (3,) {}")
      << U("{0.nope}"sv) << L({I(3_i)}) << D({}) << true
      << U("!!AttributeError: 'int' object has no attribute 'nope'"sv);
  QTest::newRow("fmt {0.real.real} (3,) {}")
      << U("{0.real.real}"sv) << L({I(3_i)}) << D({}) << true << U("3"sv);
  QTest::newRow("fmt {0[0].real} ([7],) {}")
      << U("{0[0].real}"sv) << L({L({I(7_i)})}) << D({}) << true << U("7"sv);
  QTest::newRow("fmt {0.} (1,) {}") << U("{0.}"sv) << L({I(1_i)}) << D({}) << true
                                    << U("!!ValueError: Empty attribute in format string"sv);
  QTest::newRow("fmt {0..a} (1,) {}") << U("{0..a}"sv) << L({I(1_i)}) << D({}) << true
                                      << U("!!ValueError: Empty attribute in format string"sv);
  QTest::newRow("fmt {0[]} ([1],) {}") << U("{0[]}"sv) << L({L({I(1_i)})}) << D({}) << true
                                       << U("!!ValueError: Empty attribute in format string"sv);
  QTest::newRow("fmt {0[0]x} ([1],) {}")
      << U("{0[0]x}"sv) << L({L({I(1_i)})}) << D({}) << true
      << U("!!ValueError: Only '.' or '[' may follow ']' in format field specifier"sv);
  QTest::newRow("fmt {0[} (1,) {}") << U("{0[}"sv) << L({I(1_i)}) << D({}) << true
                                    << U("!!ValueError: expected '}' before end of string"sv);
  QTest::newRow("fmt {0]} (1,) {}")
      << U("{0]}"sv) << L({I(1_i)}) << D({}) << true << U("!!KeyError: '0]'"sv);
  QTest::newRow("fmt {0[0} ([1],) {}") << U("{0[0}"sv) << L({L({I(1_i)})}) << D({}) << true
                                       << U("!!ValueError: expected '}' before end of string"sv);
  QTest::newRow("fmt {0[0] ([1],) {}") << U("{0[0]"sv) << L({L({I(1_i)})}) << D({}) << true
                                       << U("!!ValueError: expected '}' before end of string"sv);
  QTest::newRow("fmt { () {}") << U("{"sv) << L({}) << D({}) << true
                               << U("!!ValueError: Single '{' encountered in format string"sv);
  QTest::newRow("fmt } () {}") << U("}"sv) << L({}) << D({}) << true
                               << U("!!ValueError: Single '}' encountered in format string"sv);
  QTest::newRow("fmt {{} (1,) {}") << U("{{}"sv) << L({I(1_i)}) << D({}) << true
                                   << U("!!ValueError: Single '}' encountered in format string"sv);
  QTest::newRow("fmt a}b () {}") << U("a}b"sv) << L({}) << D({}) << true
                                 << U("!!ValueError: Single '}' encountered in format string"sv);
  QTest::newRow("fmt {0 (1,) {}") << U("{0"sv) << L({I(1_i)}) << D({}) << true
                                  << U("!!ValueError: expected '}' before end of string"sv);
  QTest::newRow("fmt {0: (1,) {}") << U("{0:"sv) << L({I(1_i)}) << D({}) << true
                                   << U("!!ValueError: unmatched '{' in format spec"sv);
  QTest::newRow("fmt {0:{ (1,) {}") << U("{0:{"sv) << L({I(1_i)}) << D({}) << true
                                    << U("!!ValueError: unmatched '{' in format spec"sv);
  QTest::newRow("fmt {0{} (1,) {}") << U("{0{}"sv) << L({I(1_i)}) << D({}) << true
                                    << U("!!ValueError: unexpected '{' in field name"sv);
  QTest::newRow("fmt {:{} (1, 2) {}") << U("{:{}"sv) << L({I(1_i), I(2_i)}) << D({}) << true
                                      << U("!!ValueError: unmatched '{' in format spec"sv);
  QTest::newRow("fmt {1} (1,) {}")
      << U("{1}"sv) << L({I(1_i)}) << D({}) << true
      << U("!!IndexError: Replacement index 1 out of range for positional args tuple"sv);
  QTest::newRow("fmt {}{} (1,) {}")
      << U("{}{}"sv) << L({I(1_i)}) << D({}) << true
      << U("!!IndexError: Replacement index 1 out of range for positional args tuple"sv);
  QTest::newRow("fmt {10} (1,) {}")
      << U("{10}"sv) << L({I(1_i)}) << D({}) << true
      << U("!!IndexError: Replacement index 10 out of range for positional args tuple"sv);
  QTest::newRow("fmt {a} (1,) {}")
      << U("{a}"sv) << L({I(1_i)}) << D({}) << true << U("!!KeyError: 'a'"sv);
  QTest::newRow("fmt {}{0} (1, 2) {}")
      << U("{}{0}"sv) << L({I(1_i), I(2_i)}) << D({}) << true
      << U("!!ValueError: cannot switch from automatic field numbering to manual field specification"sv);
  QTest::newRow("fmt {0}{} (1, 2) {}")
      << U("{0}{}"sv) << L({I(1_i), I(2_i)}) << D({}) << true
      << U("!!ValueError: cannot switch from manual field specification to automatic field numbering"sv);
  QTest::newRow("fmt {:{0}} (1, 2) {}")
      << U("{:{0}}"sv) << L({I(1_i), I(2_i)}) << D({}) << true
      << U("!!ValueError: cannot switch from automatic field numbering to manual field specification"sv);
  QTest::newRow("fmt {99999999999999999999} (1,) {}")
      << U("{99999999999999999999}"sv) << L({I(1_i)}) << D({}) << true
      << U("!!ValueError: Too many decimal digits in format string"sv);
  QTest::newRow("fmt {:d} ('a',) {}")
      << U("{:d}"sv) << L({S("a"sv)}) << D({}) << true
      << U("!!ValueError: Unknown format code 'd' for object of type 'str'"sv);
  QTest::newRow("fmt {:s} (5,) {}")
      << U("{:s}"sv) << L({I(5_i)}) << D({}) << true
      << U("!!ValueError: Unknown format code 's' for object of type 'int'"sv);
  QTest::newRow("fmt {:x} (1.5,) {}")
      << U("{:x}"sv) << L({F(1.5)}) << D({}) << true
      << U("!!ValueError: Unknown format code 'x' for object of type 'float'"sv);
  QTest::newRow("fmt {} (None,) {}") << U("{}"sv) << L({N()}) << D({}) << true << U("None"sv);
  QTest::newRow("fmt {:>5} (None,) {}")
      << U("{:>5}"sv) << L({N()}) << D({}) << true
      << U("!!TypeError: unsupported format string passed to NoneType.__format__"sv);
  QTest::newRow("fmt {} ([1, 'a'],) {}")
      << U("{}"sv) << L({L({I(1_i), S("a"sv)})}) << D({}) << true << U("[1, 'a']"sv);
  QTest::newRow("fmt {} (True,) {}") << U("{}"sv) << L({Bo(true)}) << D({}) << true << U("True"sv);
  QTest::newRow("fmt {:d} (True,) {}") << U("{:d}"sv) << L({Bo(true)}) << D({}) << true << U("1"sv);
  QTest::newRow("fmt {:>6} (False,) {}")
      << U("{:>6}"sv) << L({Bo(false)}) << D({}) << true << U("     0"sv);
  QTest::newRow("fmt {/u0660} ('arabic zero',) {}")
      << U("{٠}"sv) << L({S("arabic zero"sv)}) << D({}) << true << U("arabic zero"sv);
  QTest::newRow("map {a} {'a': 1}")
      << U("{a}"sv) << L({}) << D({{"a"sv, I(1_i)}}) << false << U("1"sv);
  QTest::newRow("map {0} {'a': 1}")
      << U("{0}"sv) << L({}) << D({{"a"sv, I(1_i)}}) << false
      << U("!!ValueError: Format string contains positional fields"sv);
  QTest::newRow("map {} {'a': 1}") << U("{}"sv) << L({}) << D({{"a"sv, I(1_i)}}) << false
                                   << U("!!ValueError: Format string contains positional fields"sv);
  QTest::newRow("map {a[0]} {'a': [9]}")
      << U("{a[0]}"sv) << L({}) << D({{"a"sv, L({I(9_i)})}}) << false << U("9"sv);
}

void tst_PyFormat::formatTemplate()
{
  QFETCH(QByteArray, fmt);
  QFETCH(Val, args);
  QFETCH(Val, kwargs);
  QFETCH(bool, positionalAllowed);
  QFETCH(QByteArray, expected);
  FakeLookup lookup(args, kwargs, positionalAllowed);
  QCOMPARE(outcome([&] { return format_template(S8(fmt), lookup); }), expected);
}

// CPython looks a field's value up, converts it, then expands its nested spec, then formats it;
// literal text and earlier fields are done before a later field fails.
void tst_PyFormat::templateEvaluationOrder()
{
  class Recorder : public FakeLookup
  {
  public:
    Recorder() : FakeLookup(L({I(1), I(2), S(">4")}), D({}), true) {}
    std::optional<Handle> positional(std::size_t index) override
    {
      log += "p" + std::to_string(index) + " ";
      return FakeLookup::positional(index);
    }
    std::string repr(Handle h) override
    {
      log += "repr ";
      return FakeLookup::repr(h);
    }
    std::string format(Handle h, std::string_view spec) override
    {
      log += "format(" + std::string(spec) + ") ";
      return FakeLookup::format(h, spec);
    }
    std::string log;
  };
  Recorder r;
  QCOMPARE(U(format_template("a{0!r:{2}}b{1:{2}}", r)), QByteArray("a   1b   2"));
  QCOMPARE(U(r.log), QByteArray("p0 repr p2 format() p1 p2 format() format(>4) "));
  Recorder failing;
  QCOMPARE(outcome([&] { return format_template("{0}{5}", failing); }),
           QByteArray("!!IndexError: Replacement index 5 out of range for positional args tuple"));
  QCOMPARE(U(failing.log), QByteArray("p0 format() p5 "));
}

// repr() gives the shortest digits that read back to the same double, for every kind of double.
void tst_PyFormat::floatReprRoundTrips()
{
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int n = 0; n < 20000; ++n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const double x = std::bit_cast<double>(state);
    if (!std::isfinite(x))
      continue;
    const std::string r = float_repr(x);
    COMPARE_DOUBLE(parse_float(r), x);
    QVERIFY2(r.find_first_of(".en") != std::string::npos, r.c_str());
  }
}

QTEST_APPLESS_MAIN(tst_PyFormat)
#include "tst_pyformat.moc"
