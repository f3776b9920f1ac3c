// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Table-driven tests of the interpreter's C++ API against CPython: each case builds values with
// the Interp API and names the Python expression it stands for; the expected text is what
// CPython 3.11 prints for that expression (its repr, its str, or its stdout), or
// "ExceptionType: message" when it raises.

#include "engine/script/interp.h"

#include <QTest>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace pycase {

using namespace loopscope::script;

enum class Show { Repr, Str, Stdout };

struct Case
{
  const char* py;        ///< the Python expression (or statements, for Stdout) it mirrors
  const char* expected;  ///< CPython's result text
  Show show;
  std::function<Value(Interp&)> body;
};

// R_CASE(py, expected, statements returning a Value): compares repr(result).
// S_CASE: compares str(result). P_CASE: compares what the body printed (the script's stdout).
// clang-format off
#define R_CASE(py, expected, ...) \
  pycase::Case{py, expected, pycase::Show::Repr, []([[maybe_unused]] Interp& in) -> Value { __VA_ARGS__ }}
#define S_CASE(py, expected, ...) \
  pycase::Case{py, expected, pycase::Show::Str, []([[maybe_unused]] Interp& in) -> Value { __VA_ARGS__ }}
#define P_CASE(py, expected, ...) \
  pycase::Case{py, expected, pycase::Show::Stdout, []([[maybe_unused]] Interp& in) -> Value { __VA_ARGS__ }}
// clang-format on

/// "TypeError: message" for a raised Python exception.
inline std::string describe(Interp& in, const PyException& e)
{
  return in.type_name(e.exc) + ": " + in.exception_message(e.exc);
}

/// Runs a case in a fresh interpreter; returns the text to compare.
inline std::string run(const Case& c)
{
  std::string out;
  ScriptIo io;
  io.out = [&out](std::string_view s) {
    out += s;
  };
  io.err = [&out](std::string_view s) {
    out += s;
  };
  Interp in(io);
  try {
    Value v = c.body(in);
    switch (c.show) {
      case Show::Repr:
        return in.repr(v);
      case Show::Str:
        return in.to_str(v);
      case Show::Stdout:
        return out;
    }
  } catch (const PyException& e) {
    return out + describe(in, e);
  }
  return {};
}

inline void add_rows(const std::vector<Case>& cases)
{
  QTest::addColumn<int>("index");
  for (std::size_t i = 0; i < cases.size(); ++i)
    QTest::newRow(cases[i].py) << static_cast<int>(i);
}

inline void check_row(const std::vector<Case>& cases, int index)
{
  const Case& c = cases[static_cast<std::size_t>(index)];
  QCOMPARE(QString::fromStdString(run(c)), QString::fromUtf8(c.expected));
}

// ---------------------------------------------------------------- value builders

inline Value I(std::int64_t i)
{
  return Value::from_int(i);
}
inline Value F(double d)
{
  return Value::from_float(d);
}
inline Value S(Interp& in, const char* s)
{
  return in.str(s);
}
inline Value By(Interp& in, std::string s)
{
  return in.bytes(std::move(s));
}
inline Value L(Interp& in, std::vector<Value> items = {})
{
  return in.list(std::move(items));
}
inline Value T(Interp& in, std::vector<Value> items = {})
{
  return in.tuple(std::move(items));
}
inline Value D(Interp& in, std::vector<std::pair<Value, Value>> items = {})
{
  Value d = in.dict();
  for (auto& [k, v] : items)
    in.setitem(d, k, v);
  return d;
}
inline Value B(Interp& in, const char* name)
{
  return in.builtins().at(name);
}
inline Value call(Interp& in, const Value& fn, std::vector<Value> args = {},
                  std::vector<std::pair<std::string, Value>> kwargs = {})
{
  CallArgs a;
  a.args = std::move(args);
  a.kwargs = std::move(kwargs);
  return in.call(fn, std::move(a));
}
inline Value SET(Interp& in, std::vector<Value> items = {})
{
  return call(in, B(in, "set"), {in.list(std::move(items))});
}
inline Value FSET(Interp& in, std::vector<Value> items = {})
{
  return call(in, B(in, "frozenset"), {in.list(std::move(items))});
}
inline Value RANGE(Interp& in, std::vector<Value> args)
{
  return call(in, B(in, "range"), std::move(args));
}
inline Value SLICE(Interp& in, Value lo, Value hi, Value step = {})
{
  return call(in, B(in, "slice"), {std::move(lo), std::move(hi), std::move(step)});
}
/// obj.name(*args, **kwargs)
inline Value meth(Interp& in, const Value& obj, const char* name, std::vector<Value> args = {},
                  std::vector<std::pair<std::string, Value>> kwargs = {})
{
  return call(in, in.getattr(obj, name), std::move(args), std::move(kwargs));
}
inline Value Bool(bool b)
{
  return Value(b);
}

}  // namespace pycase
