// SPDX-License-Identifier: GPL-3.0-or-later
// The builtin functions and the constructors and methods of the builtin types, called through
// the C++ API (Interp::call on builtins and bound methods), against CPython 3.11's results and
// error messages.

#include "engine/script/interp.h"
#include "engine/script/protocols_detail.h"
#include "pycase.h"

#include <QTest>

using namespace loopscope::script;
using namespace pycase;

namespace {

// A file-like object for print(file=...):
//
// class Out:
//     def write(self, s): print("write", repr(s))
Value Out(Interp& in)
{
  Value ns = in.dict();
  in.setitem(ns, in.str("write"),
             in.builtin("Out.write", [](Interp& in2, const Value&, CallArgs& a) -> Value {
               in2.io().out("write " + in2.repr(a.args[0]) + "\n");
               return {};
             }));
  Value t = call(in, B(in, "type"), {in.str("Out"), in.tuple(), ns});
  in.builtins()["__test_class_Out"] = t;
  return in.call(t, std::vector<Value>{});
}

Value Str(Interp& in, const char* s)
{
  return in.str(s);
}

/// f(*args) for the builtin named f.
Value fn(Interp& in, const char* name, std::vector<Value> args = {},
         std::vector<std::pair<std::string, Value>> kwargs = {})
{
  return call(in, B(in, name), std::move(args), std::move(kwargs));
}

Value List(Interp& in, const Value& iterable)
{
  return fn(in, "list", {iterable});
}

std::vector<Value> ints(std::initializer_list<std::int64_t> xs)
{
  std::vector<Value> v;
  for (auto x : xs)
    v.push_back(I(x));
  return v;
}

// ---------------------------------------------------------------- builtin functions

const std::vector<Case>& function_cases()
{
  static const std::vector<Case> cases = {
      P_CASE(R"py(print(1, 'a', None, [1.5]))py", "1 a None [1.5]\n",
             return fn(in, "print", {I(1), Str(in, "a"), Value(), L(in, {F(1.5)})});),
      P_CASE(R"py(print())py", "\n", return fn(in, "print");),
      P_CASE(R"py(print('a', 'b', sep='-', end='!\n'))py", "a-b!\n",
             return fn(in, "print", {Str(in, "a"), Str(in, "b")},
                       {{"sep", Str(in, "-")}, {"end", Str(in, "!\n")}});),
      P_CASE(R"py(print('a', 'b', sep=None, end=None))py", "a b\n",
             return fn(in, "print", {Str(in, "a"), Str(in, "b")}, {{"sep", Value()}, {"end", Value()}});),
      P_CASE(R"py(print('x', sep=1))py", "TypeError: sep must be None or a string, not int",
             return fn(in, "print", {Str(in, "x")}, {{"sep", I(1)}});),
      P_CASE(R"py(print('x', foo=1))py", "TypeError: 'foo' is an invalid keyword argument for print()",
             return fn(in, "print", {Str(in, "x")}, {{"foo", I(1)}});),
      P_CASE(R"py(print('to', 'file', file=Out()))py", "write 'to'\nwrite ' '\nwrite 'file'\nwrite '\\n'\n",
             return fn(in, "print", {Str(in, "to"), Str(in, "file")}, {{"file", Out(in)}});),
      P_CASE(R"py(print(file=Out(), flush=True))py",
             "write '\\n'\nAttributeError: 'Out' object has no attribute 'flush'",
             return fn(in, "print", {}, {{"file", Out(in)}, {"flush", Bool(true)}});),
      R_CASE(R"py(len([1, 2, 3]))py", R"ex(3)ex", return fn(in, "len", {L(in, ints({1, 2, 3}))});),
      R_CASE(R"py(len([], []))py", R"ex(TypeError: len() takes exactly one argument (2 given))ex",
             return fn(in, "len", {L(in), L(in)});),
      R_CASE(R"py(len())py", R"ex(TypeError: len() takes exactly one argument (0 given))ex",
             return fn(in, "len");),
      R_CASE(R"py(repr('x'))py", R"ex("'x'")ex", return fn(in, "repr", {Str(in, "x")});),
      R_CASE(R"py(ascii('é'))py", R"ex("'\\xe9'")ex", return fn(in, "ascii", {Str(in, "\xc3\xa9")});),
      R_CASE(R"py(format(255, 'x'))py", R"ex('ff')ex", return fn(in, "format", {I(255), Str(in, "x")});),
      R_CASE(R"py(format(3.14159, '.2f'))py", R"ex('3.14')ex",
             return fn(in, "format", {F(3.14159), Str(in, ".2f")});),
      R_CASE(R"py(format('ab', '^6'))py", R"ex('  ab  ')ex", return fn(in, "format", {Str(in, "ab"), Str(in, "^6")});),
      R_CASE(R"py(format(True, 'd'))py", R"ex('1')ex", return fn(in, "format", {Bool(true), Str(in, "d")});),
      R_CASE(R"py(format(True))py", R"ex('True')ex", return fn(in, "format", {Bool(true)});),
      R_CASE(R"py(format([]))py", R"ex('[]')ex", return fn(in, "format", {L(in)});),
      R_CASE(R"py(format([], 'x'))py", R"ex(TypeError: unsupported format string passed to list.__format__)ex",
             return fn(in, "format", {L(in), Str(in, "x")});),
      R_CASE(R"py(format(1.5, 'd'))py", R"ex(ValueError: Unknown format code 'd' for object of type 'float')ex",
             return fn(in, "format", {F(1.5), Str(in, "d")});),
      R_CASE(R"py(id(5) == id(5))py", R"ex(True)ex",
             return Bool(in.eq(fn(in, "id", {I(5)}), fn(in, "id", {I(5)})));),
      R_CASE(R"py(id([]) == id(()))py", R"ex(False)ex", {
        Value a = L(in), b = T(in);
        return Bool(in.eq(fn(in, "id", {a}), fn(in, "id", {b})));
      }),
      R_CASE(R"py(hash((1, 2)))py", R"ex(-3550055125485641917)ex",
             return fn(in, "hash", {T(in, ints({1, 2}))});),
      R_CASE(R"py(any([0, '', None]))py", R"ex(False)ex",
             return fn(in, "any", {L(in, {I(0), Str(in, ""), Value()})});),
      R_CASE(R"py(any([0, 'x']))py", R"ex(True)ex", return fn(in, "any", {L(in, {I(0), Str(in, "x")})});),
      R_CASE(R"py(all([]))py", R"ex(True)ex", return fn(in, "all", {L(in)});),
      R_CASE(R"py(all([1, 0]))py", R"ex(False)ex", return fn(in, "all", {L(in, ints({1, 0}))});),
      R_CASE(R"py(getattr(1, 'real'))py", R"ex(1)ex", return fn(in, "getattr", {I(1), Str(in, "real")});),
      R_CASE(R"py(getattr([], 'nope', 'dflt'))py", R"ex('dflt')ex",
             return fn(in, "getattr", {L(in), Str(in, "nope"), Str(in, "dflt")});),
      R_CASE(R"py(getattr([], 'nope'))py", R"ex(AttributeError: 'list' object has no attribute 'nope')ex",
             return fn(in, "getattr", {L(in), Str(in, "nope")});),
      R_CASE(R"py(getattr([], 5))py", R"ex(TypeError: attribute name must be string, not 'int')ex",
             return fn(in, "getattr", {L(in), I(5)});),
      R_CASE(R"py(hasattr('', 'upper'), hasattr('', 'x'))py", R"ex((True, False))ex",
             return T(in, {fn(in, "hasattr", {Str(in, ""), Str(in, "upper")}),
                           fn(in, "hasattr", {Str(in, ""), Str(in, "x")})});),
      R_CASE(R"py(o = Out(); setattr(o, 'x', 1); o.x)py", R"ex(1)ex", {
        Value o = Out(in);
        fn(in, "setattr", {o, Str(in, "x"), I(1)});
        return in.getattr(o, "x");
      }),
      R_CASE(R"py(o = Out(); o.x = 1; delattr(o, 'x'); hasattr(o, 'x'))py", R"ex(False)ex", {
        Value o = Out(in);
        in.setattr(o, "x", I(1));
        fn(in, "delattr", {o, Str(in, "x")});
        return fn(in, "hasattr", {o, Str(in, "x")});
      }),
      R_CASE(R"py(delattr(Out(), 'x'))py", R"ex(AttributeError: 'Out' object has no attribute 'x')ex",
             return fn(in, "delattr", {Out(in), Str(in, "x")});),
      R_CASE(R"py(delattr(5, 'x'))py", R"ex(AttributeError: 'int' object has no attribute 'x')ex",
             return fn(in, "delattr", {I(5), Str(in, "x")});),
      R_CASE(R"py(callable(len), callable(int), callable(5), callable(Out()))py",
             R"ex((True, True, False, False))ex",
             return T(in, {fn(in, "callable", {B(in, "len")}), fn(in, "callable", {B(in, "int")}),
                           fn(in, "callable", {I(5)}), fn(in, "callable", {Out(in)})});),
      R_CASE(R"py(next(iter([]), 5))py", R"ex(5)ex", return fn(in, "next", {fn(in, "iter", {L(in)}), I(5)});),
      R_CASE(R"py(next(iter([])))py", R"ex(StopIteration: )ex", return fn(in, "next", {fn(in, "iter", {L(in)})});),
      R_CASE(R"py(next([]))py", R"ex(TypeError: 'list' object is not an iterator)ex", return fn(in, "next", {L(in)});),
      R_CASE(R"py(it = iter([1, 2]); next(it); next(it))py", R"ex(2)ex", {
        Value it = fn(in, "iter", {L(in, ints({1, 2}))});
        fn(in, "next", {it});
        return fn(in, "next", {it});
      }),
      R_CASE(R"py(list(iter(iter([3, 2, 1, 0]).__next__, 1)))py", R"ex([3, 2])ex", {
        Value it = fn(in, "iter", {L(in, ints({3, 2, 1, 0}))});
        Value nxt = in.native_closure("next", [it](Interp& in2, CallArgs&) {
          Value out;
          in2.next(it, out);
          return out;
        });
        return List(in, fn(in, "iter", {nxt, I(1)}));
      }),
      R_CASE(R"py(iter(5, 5))py", R"ex(TypeError: iter(v, w): v must be callable)ex",
             return fn(in, "iter", {I(5), I(5)});),
      R_CASE(R"py(sum([1, 2, 3]))py", R"ex(6)ex", return fn(in, "sum", {L(in, ints({1, 2, 3}))});),
      R_CASE(R"py(sum([0.1] * 10))py", R"ex(0.9999999999999999)ex",
             return fn(in, "sum", {in.binop(BinOpKind::Mult, L(in, {F(0.1)}), I(10))});),
      R_CASE(R"py(sum([[1], [2]], []))py", R"ex([1, 2])ex",
             return fn(in, "sum", {L(in, {L(in, {I(1)}), L(in, {I(2)})}), L(in)});),
      R_CASE(R"py(sum(range(5), start=10))py", R"ex(20)ex",
             return fn(in, "sum", {RANGE(in, {I(5)})}, {{"start", I(10)}});),
      R_CASE(R"py(sum(['a'], ''))py", R"ex(TypeError: sum() can't sum strings [use ''.join(seq) instead])ex",
             return fn(in, "sum", {L(in, {Str(in, "a")}), Str(in, "")});),
      R_CASE(R"py(sum([1, 'a']))py", R"ex(TypeError: unsupported operand type(s) for +: 'int' and 'str')ex",
             return fn(in, "sum", {L(in, {I(1), Str(in, "a")})});),
      R_CASE(R"py(max(3, 7))py", R"ex(7)ex", return fn(in, "max", {I(3), I(7)});),
      R_CASE(R"py(max(1, 2.5))py", R"ex(2.5)ex", return fn(in, "max", {I(1), F(2.5)});),
      R_CASE(R"py(min(-1, -1.5))py", R"ex(-1.5)ex", return fn(in, "min", {I(-1), F(-1.5)});),
      R_CASE(R"py(min([4, 2, 8]))py", R"ex(2)ex", return fn(in, "min", {L(in, ints({4, 2, 8}))});),
      R_CASE(R"py(max(['bb', 'a', 'ccc'], key=len))py", R"ex('ccc')ex",
             return fn(in, "max", {L(in, {Str(in, "bb"), Str(in, "a"), Str(in, "ccc")})}, {{"key", B(in, "len")}});),
      R_CASE(R"py(max([1, 3, 3.0, 2]))py", R"ex(3)ex", return fn(in, "max", {L(in, {I(1), I(3), F(3.0), I(2)})});),
      R_CASE(R"py(min('b', 'a', key=None))py", R"ex('a')ex",
             return fn(in, "min", {Str(in, "b"), Str(in, "a")}, {{"key", Value()}});),
      R_CASE(R"py(max([], default=5))py", R"ex(5)ex", return fn(in, "max", {L(in)}, {{"default", I(5)}});),
      R_CASE(R"py(max([]))py", R"ex(ValueError: max() arg is an empty sequence)ex", return fn(in, "max", {L(in)});),
      R_CASE(R"py(min(()))py", R"ex(ValueError: min() arg is an empty sequence)ex", return fn(in, "min", {T(in)});),
      R_CASE(R"py(max())py", R"ex(TypeError: max expected at least 1 argument, got 0)ex", return fn(in, "max");),
      R_CASE(R"py(max(1))py", R"ex(TypeError: 'int' object is not iterable)ex", return fn(in, "max", {I(1)});),
      R_CASE(R"py(max(1, 2, default=5))py",
             R"ex(TypeError: Cannot specify a default for max() with multiple positional arguments)ex",
             return fn(in, "max", {I(1), I(2)}, {{"default", I(5)}});),
      R_CASE(R"py(max(1, 'a'))py", R"ex(TypeError: '>' not supported between instances of 'str' and 'int')ex",
             return fn(in, "max", {I(1), Str(in, "a")});),
      R_CASE(R"py(abs(-3), abs(-2.5), abs(True))py", R"ex((3, 2.5, 1))ex",
             return T(in, {fn(in, "abs", {I(-3)}), fn(in, "abs", {F(-2.5)}), fn(in, "abs", {Bool(true)})});),
      R_CASE(R"py(abs('a'))py", R"ex(TypeError: bad operand type for abs(): 'str')ex", return fn(in, "abs", {Str(in, "a")});),
      R_CASE(R"py(round(7.5), round(-7.5), round(2.5), round(0.5))py", R"ex((8, -8, 2, 0))ex",
             return T(in, {fn(in, "round", {F(7.5)}), fn(in, "round", {F(-7.5)}), fn(in, "round", {F(2.5)}),
                           fn(in, "round", {F(0.5)})});),
      R_CASE(R"py(round(2.675, 2))py", R"ex(2.67)ex", return fn(in, "round", {F(2.675), I(2)});),
      R_CASE(R"py(round(1234, -2))py", R"ex(1200)ex", return fn(in, "round", {I(1234), I(-2)});),
      R_CASE(R"py(round(5, None))py", R"ex(5)ex", return fn(in, "round", {I(5), Value()});),
      R_CASE(R"py(round(1.5, None))py", R"ex(2)ex", return fn(in, "round", {F(1.5), Value()});),
      R_CASE(R"py(round('a'))py", R"ex(TypeError: type str doesn't define __round__ method)ex",
             return fn(in, "round", {Str(in, "a")});),
      R_CASE(R"py(divmod(17, 5), divmod(-17, 5), divmod(7, -2))py", R"ex(((3, 2), (-4, 3), (-4, -1)))ex",
             return T(in, {fn(in, "divmod", {I(17), I(5)}), fn(in, "divmod", {I(-17), I(5)}),
                           fn(in, "divmod", {I(7), I(-2)})});),
      R_CASE(R"py(divmod(17.5, 5))py", R"ex((3.0, 2.5))ex", return fn(in, "divmod", {F(17.5), I(5)});),
      R_CASE(R"py(divmod(1, 0))py", R"ex(ZeroDivisionError: integer division or modulo by zero)ex",
             return fn(in, "divmod", {I(1), I(0)});),
      R_CASE(R"py(divmod(1.0, 0))py", R"ex(ZeroDivisionError: float divmod())ex",
             return fn(in, "divmod", {F(1.0), I(0)});),
      R_CASE(R"py(divmod('a', 1))py", R"ex(TypeError: unsupported operand type(s) for divmod(): 'str' and 'int')ex",
             return fn(in, "divmod", {Str(in, "a"), I(1)});),
      R_CASE(R"py(pow(2, 10), pow(2, -1), pow(2, 10, 1000), pow(3, -1, 7))py", R"ex((1024, 0.5, 24, 5))ex",
             return T(in, {fn(in, "pow", {I(2), I(10)}), fn(in, "pow", {I(2), I(-1)}),
                           fn(in, "pow", {I(2), I(10), I(1000)}), fn(in, "pow", {I(3), I(-1), I(7)})});),
      R_CASE(R"py(pow(2.0, 3, 5))py",
             R"ex(TypeError: pow() 3rd argument not allowed unless all arguments are integers)ex",
             return fn(in, "pow", {F(2.0), I(3), I(5)});),
      R_CASE(R"py(sorted([3, 1, 2]))py", R"ex([1, 2, 3])ex", return fn(in, "sorted", {L(in, ints({3, 1, 2}))});),
      R_CASE(R"py(sorted([3, 1, 2], reverse=True))py", R"ex([3, 2, 1])ex",
             return fn(in, "sorted", {L(in, ints({3, 1, 2}))}, {{"reverse", Bool(true)}});),
      R_CASE(R"py(sorted(['b', 'A', 'c'], key=str.lower))py", R"ex(['A', 'b', 'c'])ex",
             return fn(in, "sorted", {L(in, {Str(in, "b"), Str(in, "A"), Str(in, "c")})},
                       {{"key", in.getattr(B(in, "str"), "lower")}});),
      R_CASE(R"py(sorted([(1, 'b'), (0, 'z'), (1, 'a'), (0, 'y')], key=lambda p: p[0]))py",
             R"ex([(0, 'z'), (0, 'y'), (1, 'b'), (1, 'a')])ex", {
               Value items = L(in, {T(in, {I(1), Str(in, "b")}), T(in, {I(0), Str(in, "z")}),
                                    T(in, {I(1), Str(in, "a")}), T(in, {I(0), Str(in, "y")})});
               Value key = in.native_closure("first", [](Interp& in2, CallArgs& a) {
                 return in2.getitem(a.args[0], I(0));
               });
               return fn(in, "sorted", {items}, {{"key", key}});
             }),
      R_CASE(R"py(sorted([(1, 'b'), (0, 'z'), (1, 'a'), (0, 'y')], key=lambda p: p[0], reverse=True))py",
             R"ex([(1, 'b'), (1, 'a'), (0, 'z'), (0, 'y')])ex", {
               Value items = L(in, {T(in, {I(1), Str(in, "b")}), T(in, {I(0), Str(in, "z")}),
                                    T(in, {I(1), Str(in, "a")}), T(in, {I(0), Str(in, "y")})});
               Value key = in.native_closure("first", [](Interp& in2, CallArgs& a) {
                 return in2.getitem(a.args[0], I(0));
               });
               return fn(in, "sorted", {items}, {{"key", key}, {"reverse", Bool(true)}});
             }),
      R_CASE(R"py(sorted({'b': 1, 'a': 2}))py", R"ex(['a', 'b'])ex",
             return fn(in, "sorted", {D(in, {{Str(in, "b"), I(1)}, {Str(in, "a"), I(2)}})});),
      R_CASE(R"py(sorted(list(range(40, 0, -3)) + list(range(0, 40, 7))))py",
             R"ex([0, 1, 4, 7, 7, 10, 13, 14, 16, 19, 21, 22, 25, 28, 28, 31, 34, 35, 37, 40])ex",
             return fn(in, "sorted", {in.binop(BinOpKind::Add, List(in, RANGE(in, {I(40), I(0), I(-3)})),
                                               List(in, RANGE(in, {I(0), I(40), I(7)})))});),
      R_CASE(R"py(sorted([1, 'a']))py", R"ex(TypeError: '<' not supported between instances of 'str' and 'int')ex",
             return fn(in, "sorted", {L(in, {I(1), Str(in, "a")})});),
      R_CASE(R"py(sorted(5))py", R"ex(TypeError: 'int' object is not iterable)ex", return fn(in, "sorted", {I(5)});),
      R_CASE(R"py(isinstance(True, int), isinstance(1, (str, (float, int))), isinstance(1, str))py",
             R"ex((True, True, False))ex",
             return T(in, {fn(in, "isinstance", {Bool(true), B(in, "int")}),
                           fn(in, "isinstance", {I(1), T(in, {B(in, "str"), T(in, {B(in, "float"), B(in, "int")})})}),
                           fn(in, "isinstance", {I(1), B(in, "str")})});),
      R_CASE(R"py(isinstance(KeyError(), LookupError))py", R"ex(True)ex",
             return fn(in, "isinstance", {in.new_exception(in.e.KeyError, {}), B(in, "LookupError")});),
      R_CASE(R"py(isinstance(1, 5))py",
             R"ex(TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union)ex",
             return fn(in, "isinstance", {I(1), I(5)});),
      R_CASE(R"py(issubclass(bool, (str, int)))py", R"ex(True)ex",
             return fn(in, "issubclass", {B(in, "bool"), T(in, {B(in, "str"), B(in, "int")})});),
      R_CASE(R"py(issubclass(1, int))py", R"ex(TypeError: issubclass() arg 1 must be a class)ex",
             return fn(in, "issubclass", {I(1), B(in, "int")});),
      R_CASE(R"py(chr(97), chr(0x263A), ord('A'), ord('é'), ord(b'a'))py", R"ex(('a', '☺', 65, 233, 97))ex",
             return T(in, {fn(in, "chr", {I(97)}), fn(in, "chr", {I(0x263A)}), fn(in, "ord", {Str(in, "A")}),
                           fn(in, "ord", {Str(in, "\xc3\xa9")}), fn(in, "ord", {By(in, "a")})});),
      R_CASE(R"py(chr(-1))py", R"ex(ValueError: chr() arg not in range(0x110000))ex", return fn(in, "chr", {I(-1)});),
      R_CASE(R"py(ord('ab'))py", R"ex(TypeError: ord() expected a character, but string of length 2 found)ex",
             return fn(in, "ord", {Str(in, "ab")});),
      R_CASE(R"py(ord(5))py", R"ex(TypeError: ord() expected string of length 1, but int found)ex",
             return fn(in, "ord", {I(5)});),
      R_CASE(R"py(hex(255), hex(-255), oct(8), bin(5), bin(-5))py", R"ex(('0xff', '-0xff', '0o10', '0b101', '-0b101'))ex",
             return T(in, {fn(in, "hex", {I(255)}), fn(in, "hex", {I(-255)}), fn(in, "oct", {I(8)}),
                           fn(in, "bin", {I(5)}), fn(in, "bin", {I(-5)})});),
      R_CASE(R"py(hex(1.5))py", R"ex(TypeError: 'float' object cannot be interpreted as an integer)ex",
             return fn(in, "hex", {F(1.5)});),
      R_CASE(R"py(vars(5))py", R"ex(TypeError: vars() argument must have __dict__ attribute)ex",
             return fn(in, "vars", {I(5)});),
      R_CASE(R"py(o = Out(); o.a = 1; o.b = 2; vars(o))py", R"ex({'a': 1, 'b': 2})ex", {
        Value o = Out(in);
        in.setattr(o, "a", I(1));
        in.setattr(o, "b", I(2));
        return fn(in, "vars", {o});
      }),
      R_CASE(R"py('append' in dir([]), 'x' in dir(5))py", R"ex((True, False))ex",
             return T(in, {Bool(in.contains(fn(in, "dir", {L(in)}), Str(in, "append"))),
                           Bool(in.contains(fn(in, "dir", {I(5)}), Str(in, "x")))});),
      R_CASE(R"py(list(enumerate('ab', 1)))py", R"ex([(1, 'a'), (2, 'b')])ex",
             return List(in, fn(in, "enumerate", {Str(in, "ab"), I(1)}));),
      R_CASE(R"py(list(enumerate(['x'], start=5)))py", R"ex([(5, 'x')])ex",
             return List(in, fn(in, "enumerate", {L(in, {Str(in, "x")})}, {{"start", I(5)}}));),
      R_CASE(R"py(enumerate(5))py", R"ex(TypeError: 'int' object is not iterable)ex", return fn(in, "enumerate", {I(5)});),
      R_CASE(R"py(list(zip([1, 2], 'abc')))py", R"ex([(1, 'a'), (2, 'b')])ex",
             return List(in, fn(in, "zip", {L(in, ints({1, 2})), Str(in, "abc")}));),
      R_CASE(R"py(list(zip()))py", R"ex([])ex", return List(in, fn(in, "zip"));),
      R_CASE(R"py(list(map(str, [1, 2])))py", R"ex(['1', '2'])ex",
             return List(in, fn(in, "map", {B(in, "str"), L(in, ints({1, 2}))}));),
      R_CASE(R"py(list(map(pow, [2, 3], [3, 2, 1])))py", R"ex([8, 9])ex",
             return List(in, fn(in, "map", {B(in, "pow"), L(in, ints({2, 3})), L(in, ints({3, 2, 1}))}));),
      R_CASE(R"py(list(map(str.upper, ['a'])))py", R"ex(['A'])ex",
             return List(in, fn(in, "map", {in.getattr(B(in, "str"), "upper"), L(in, {Str(in, "a")})}));),
      R_CASE(R"py(map(str))py", R"ex(TypeError: map() must have at least two arguments.)ex",
             return fn(in, "map", {B(in, "str")});),
      R_CASE(R"py(list(filter(None, [0, 1, 2, ''])))py", R"ex([1, 2])ex",
             return List(in, fn(in, "filter", {Value(), L(in, {I(0), I(1), I(2), Str(in, "")})}));),
      R_CASE(R"py(list(filter(str.isdigit, ['1', 'a', '22'])))py", R"ex(['1', '22'])ex",
             return List(in, fn(in, "filter", {in.getattr(B(in, "str"), "isdigit"),
                                               L(in, {Str(in, "1"), Str(in, "a"), Str(in, "22")})}));),
      R_CASE(R"py(list(reversed([1, 2, 3])))py", R"ex([3, 2, 1])ex",
             return List(in, fn(in, "reversed", {L(in, ints({1, 2, 3}))}));),
      R_CASE(R"py(list(reversed(range(3))), ''.join(reversed('abc')))py", R"ex(([2, 1, 0], 'cba'))ex",
             return T(in, {List(in, fn(in, "reversed", {RANGE(in, {I(3)})})),
                           meth(in, Str(in, ""), "join", {fn(in, "reversed", {Str(in, "abc")})})});),
      R_CASE(R"py(list(reversed({1: 2, 3: 4})))py", R"ex([3, 1])ex",
             return List(in, fn(in, "reversed", {D(in, {{I(1), I(2)}, {I(3), I(4)}})}));),
      R_CASE(R"py(reversed(5))py", R"ex(TypeError: 'int' object is not reversible)ex", return fn(in, "reversed", {I(5)});),
      R_CASE(R"py(type(zip()).__name__, type(reversed([])).__name__)py", R"ex(('zip', 'list_reverseiterator'))ex",
             return T(in, {in.str(in.type_name(fn(in, "zip"))), in.str(in.type_name(fn(in, "reversed", {L(in)})))});),
      R_CASE(R"py(NotImplemented, Ellipsis)py", R"ex((NotImplemented, Ellipsis))ex",
             return T(in, {B(in, "NotImplemented"), B(in, "Ellipsis")});),
  };
  return cases;
}

// ---------------------------------------------------------------- constructors

const std::vector<Case>& constructor_cases()
{
  static const std::vector<Case> cases = {
      R_CASE(R"py(int(), int(7.9), int(-7.9), int(True), int('-42'), int(' 12 '))py", R"ex((0, 7, -7, 1, -42, 12))ex",
             return T(in, {fn(in, "int"), fn(in, "int", {F(7.9)}), fn(in, "int", {F(-7.9)}), fn(in, "int", {Bool(true)}),
                           fn(in, "int", {Str(in, "-42")}), fn(in, "int", {Str(in, " 12 ")})});),
      R_CASE(R"py(int('0x1F', 16), int('z', 36), int('0b101', 0), int(b'12'))py", R"ex((31, 35, 5, 12))ex",
             return T(in, {fn(in, "int", {Str(in, "0x1F"), I(16)}), fn(in, "int", {Str(in, "z"), I(36)}),
                           fn(in, "int", {Str(in, "0b101"), I(0)}), fn(in, "int", {By(in, "12")})});),
      R_CASE(R"py(int('abc'))py", R"ex(ValueError: invalid literal for int() with base 10: 'abc')ex",
             return fn(in, "int", {Str(in, "abc")});),
      R_CASE(R"py(int([]))py",
             R"ex(TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list')ex",
             return fn(in, "int", {L(in)});),
      R_CASE(R"py(int(5, 10))py", R"ex(TypeError: int() can't convert non-string with explicit base)ex",
             return fn(in, "int", {I(5), I(10)});),
      R_CASE(R"py(int(float('inf')))py", R"ex(OverflowError: cannot convert float infinity to integer)ex",
             return fn(in, "int", {F(HUGE_VAL)});),
      R_CASE(R"py(float(), float(7), float(' 1.5 '), float('-inf'), float('1e3'))py", R"ex((0.0, 7.0, 1.5, -inf, 1000.0))ex",
             return T(in, {fn(in, "float"), fn(in, "float", {I(7)}), fn(in, "float", {Str(in, " 1.5 ")}),
                           fn(in, "float", {Str(in, "-inf")}), fn(in, "float", {Str(in, "1e3")})});),
      R_CASE(R"py(float('x'))py", R"ex(ValueError: could not convert string to float: 'x')ex",
             return fn(in, "float", {Str(in, "x")});),
      R_CASE(R"py(float([]))py", R"ex(TypeError: float() argument must be a string or a real number, not 'list')ex",
             return fn(in, "float", {L(in)});),
      R_CASE(R"py(bool(), bool([]), bool('x'))py", R"ex((False, False, True))ex",
             return T(in, {fn(in, "bool"), fn(in, "bool", {L(in)}), fn(in, "bool", {Str(in, "x")})});),
      R_CASE(R"py(str(), str(12), str(-3.5), str(None), str([1, 'a']))py", R"ex(('', '12', '-3.5', 'None', "[1, 'a']"))ex",
             return T(in, {fn(in, "str"), fn(in, "str", {I(12)}), fn(in, "str", {F(-3.5)}), fn(in, "str", {Value()}),
                           fn(in, "str", {L(in, {I(1), Str(in, "a")})})});),
      R_CASE(R"py(str(b'ab'), str(b'caf\xc3\xa9', 'utf-8'))py", R"ex(("b'ab'", 'café'))ex",
             return T(in, {fn(in, "str", {By(in, "ab")}), fn(in, "str", {By(in, "caf\xc3\xa9"), Str(in, "utf-8")})});),
      R_CASE(R"py(bytes(), bytes(3), bytes([104, 105]), bytes('hé', 'utf-8'), bytes(b'x'))py",
             R"ex((b'', b'\x00\x00\x00', b'hi', b'h\xc3\xa9', b'x'))ex",
             return T(in, {fn(in, "bytes"), fn(in, "bytes", {I(3)}), fn(in, "bytes", {L(in, ints({104, 105}))}),
                           fn(in, "bytes", {Str(in, "h\xc3\xa9"), Str(in, "utf-8")}), fn(in, "bytes", {By(in, "x")})});),
      R_CASE(R"py(bytes('ab'))py", R"ex(TypeError: string argument without an encoding)ex",
             return fn(in, "bytes", {Str(in, "ab")});),
      R_CASE(R"py(bytes([256]))py", R"ex(ValueError: bytes must be in range(0, 256))ex",
             return fn(in, "bytes", {L(in, {I(256)})});),
      R_CASE(R"py(bytes(-1))py", R"ex(ValueError: negative count)ex", return fn(in, "bytes", {I(-1)});),
      R_CASE(R"py(bytes(5.0))py", R"ex(TypeError: cannot convert 'float' object to bytes)ex",
             return fn(in, "bytes", {F(5.0)});),
      R_CASE(R"py(list(), list('ab'), list((1, 2)), list({'k1': 1, 'k2': 2}))py", R"ex(([], ['a', 'b'], [1, 2], ['k1', 'k2']))ex",
             return T(in, {fn(in, "list"), fn(in, "list", {Str(in, "ab")}), fn(in, "list", {T(in, ints({1, 2}))}),
                           fn(in, "list", {D(in, {{Str(in, "k1"), I(1)}, {Str(in, "k2"), I(2)}})})});),
      R_CASE(R"py(list(5))py", R"ex(TypeError: 'int' object is not iterable)ex", return fn(in, "list", {I(5)});),
      R_CASE(R"py(tuple(), tuple([1, 2]), tuple('ab'))py", R"ex(((), (1, 2), ('a', 'b')))ex",
             return T(in, {fn(in, "tuple"), fn(in, "tuple", {L(in, ints({1, 2}))}), fn(in, "tuple", {Str(in, "ab")})});),
      R_CASE(R"py(t = (1,); tuple(t) is t)py", R"ex(True)ex", {
        Value t = T(in, {I(1)});
        return Bool(fn(in, "tuple", {t}).identical(t));
      }),
      R_CASE(R"py(dict(), dict(a=1, b=2), dict([('a', 1), ('b', 2)]), dict({1: 2}, a=3))py",
             R"ex(({}, {'a': 1, 'b': 2}, {'a': 1, 'b': 2}, {1: 2, 'a': 3}))ex",
             return T(in, {fn(in, "dict"), fn(in, "dict", {}, {{"a", I(1)}, {"b", I(2)}}),
                           fn(in, "dict", {L(in, {T(in, {Str(in, "a"), I(1)}), T(in, {Str(in, "b"), I(2)})})}),
                           fn(in, "dict", {D(in, {{I(1), I(2)}})}, {{"a", I(3)}})});),
      R_CASE(R"py(dict(zip('ab', [1, 2])))py", R"ex({'a': 1, 'b': 2})ex",
             return fn(in, "dict", {fn(in, "zip", {Str(in, "ab"), L(in, ints({1, 2}))})});),
      R_CASE(R"py(dict([1]))py", R"ex(TypeError: cannot convert dictionary update sequence element #0 to a sequence)ex",
             return fn(in, "dict", {L(in, {I(1)})});),
      R_CASE(R"py(dict([(1, 2, 3)]))py", R"ex(ValueError: dictionary update sequence element #0 has length 3; 2 is required)ex",
             return fn(in, "dict", {L(in, {T(in, ints({1, 2, 3}))})});),
      R_CASE(R"py(dict(5))py", R"ex(TypeError: 'int' object is not iterable)ex", return fn(in, "dict", {I(5)});),
      R_CASE(R"py(set(), set([3, 1, 3]), set('aa'), frozenset(), frozenset(range(3)))py",
             R"ex((set(), {1, 3}, {'a'}, frozenset(), frozenset({0, 1, 2})))ex",
             return T(in, {fn(in, "set"), fn(in, "set", {L(in, ints({3, 1, 3}))}), fn(in, "set", {Str(in, "aa")}),
                           fn(in, "frozenset"), fn(in, "frozenset", {RANGE(in, {I(3)})})});),
      R_CASE(R"py(set([[]]))py", R"ex(TypeError: unhashable type: 'list')ex", return fn(in, "set", {L(in, {L(in)})});),
      R_CASE(R"py(range(5), range(1, 5), range(0, 10, 3))py", R"ex((range(0, 5), range(1, 5), range(0, 10, 3)))ex",
             return T(in, {fn(in, "range", {I(5)}), fn(in, "range", {I(1), I(5)}), fn(in, "range", {I(0), I(10), I(3)})});),
      R_CASE(R"py(range(1.5))py", R"ex(TypeError: 'float' object cannot be interpreted as an integer)ex",
             return fn(in, "range", {F(1.5)});),
      R_CASE(R"py(range(1, 2, 0))py", R"ex(ValueError: range() arg 3 must not be zero)ex",
             return fn(in, "range", {I(1), I(2), I(0)});),
      R_CASE(R"py(range())py", R"ex(TypeError: range expected at least 1 argument, got 0)ex", return fn(in, "range");),
      R_CASE(R"py(range(1, 2, 3, 4))py", R"ex(TypeError: range expected at most 3 arguments, got 4)ex",
             return fn(in, "range", ints({1, 2, 3, 4}));),
      R_CASE(R"py(slice(5), slice(1, 10, 2).indices(5))py", R"ex((slice(None, 5, None), (1, 5, 2)))ex",
             return T(in, {fn(in, "slice", {I(5)}), meth(in, fn(in, "slice", ints({1, 10, 2})), "indices", {I(5)})});),
      R_CASE(R"py(s = slice(1, 4); (s.start, s.stop, s.step))py", R"ex((1, 4, None))ex", {
        Value s = fn(in, "slice", ints({1, 4}));
        return T(in, {in.getattr(s, "start"), in.getattr(s, "stop"), in.getattr(s, "step")});
      }),
      R_CASE(R"py(type(5), type('a'), type(None))py", R"ex((<class 'int'>, <class 'str'>, <class 'NoneType'>))ex",
             return T(in, {fn(in, "type", {I(5)}), fn(in, "type", {Str(in, "a")}), fn(in, "type", {Value()})});),
      R_CASE(R"py(type(5, 6))py", R"ex(TypeError: type() takes 1 or 3 arguments)ex", return fn(in, "type", ints({5, 6}));),
      R_CASE(R"py(C = type('C', (), {'x': 1}); (C, C.x, C().x))py", R"ex((<class '__main__.C'>, 1, 1))ex", {
        Value c = fn(in, "type", {Str(in, "C"), T(in), D(in, {{Str(in, "x"), I(1)}})});
        in.builtins()["__test_class_C"] = c;
        return T(in, {c, in.getattr(c, "x"), in.getattr(in.call(c, std::vector<Value>{}), "x")});
      }),
  };
  return cases;
}

// ---------------------------------------------------------------- str methods

const std::vector<Case>& str_cases()
{
  static const std::vector<Case> cases = {
      R_CASE(R"py('  a b  c '.split())py", R"ex(['a', 'b', 'c'])ex", return meth(in, Str(in, "  a b  c "), "split");),
      R_CASE(R"py('a,b,,c'.split(','))py", R"ex(['a', 'b', '', 'c'])ex",
             return meth(in, Str(in, "a,b,,c"), "split", {Str(in, ",")});),
      R_CASE(R"py('k=v=w'.split('=', 1), 'k=v=w'.rsplit('=', 1))py", R"ex((['k', 'v=w'], ['k=v', 'w']))ex",
             return T(in, {meth(in, Str(in, "k=v=w"), "split", {Str(in, "="), I(1)}),
                           meth(in, Str(in, "k=v=w"), "rsplit", {Str(in, "="), I(1)})});),
      R_CASE(R"py('a b c'.split(maxsplit=1))py", R"ex(['a', 'b c'])ex",
             return meth(in, Str(in, "a b c"), "split", {}, {{"maxsplit", I(1)}});),
      R_CASE(R"py('a-b'.split(sep='-'))py", R"ex(['a', 'b'])ex",
             return meth(in, Str(in, "a-b"), "split", {}, {{"sep", Str(in, "-")}});),
      R_CASE(R"py(''.split(), ''.split(','))py", R"ex(([], ['']))ex",
             return T(in, {meth(in, Str(in, ""), "split"), meth(in, Str(in, ""), "split", {Str(in, ",")})});),
      R_CASE(R"py('abc'.split(''))py", R"ex(ValueError: empty separator)ex",
             return meth(in, Str(in, "abc"), "split", {Str(in, "")});),
      R_CASE(R"py('abc'.split(1))py", R"ex(TypeError: must be str or None, not int)ex",
             return meth(in, Str(in, "abc"), "split", {I(1)});),
      R_CASE(R"py('abc'.split('b', 1, 2))py", R"ex(TypeError: split() takes at most 2 arguments (3 given))ex",
             return meth(in, Str(in, "abc"), "split", {Str(in, "b"), I(1), I(2)});),
      R_CASE(R"py('-'.join(['a', 'b', 'c']), ''.join('xy'), ', '.join([]))py", R"ex(('a-b-c', 'xy', ''))ex",
             return T(in, {meth(in, Str(in, "-"), "join", {L(in, {Str(in, "a"), Str(in, "b"), Str(in, "c")})}),
                           meth(in, Str(in, ""), "join", {Str(in, "xy")}), meth(in, Str(in, ", "), "join", {L(in)})});),
      R_CASE(R"py('-'.join(['a', 2]))py", R"ex(TypeError: sequence item 1: expected str instance, int found)ex",
             return meth(in, Str(in, "-"), "join", {L(in, {Str(in, "a"), I(2)})});),
      R_CASE(R"py(' x '.strip(), 'xxhixx'.strip('x'), '  a'.lstrip(), 'a..'.rstrip('.'))py", R"ex(('x', 'hi', 'a', 'a'))ex",
             return T(in, {meth(in, Str(in, " x "), "strip"), meth(in, Str(in, "xxhixx"), "strip", {Str(in, "x")}),
                           meth(in, Str(in, "  a"), "lstrip"), meth(in, Str(in, "a.."), "rstrip", {Str(in, ".")})});),
      R_CASE(R"py('a'.strip(1))py", R"ex(TypeError: strip arg must be None or str)ex",
             return meth(in, Str(in, "a"), "strip", {I(1)});),
      R_CASE(R"py('Hello World'.upper(), 'ÉCOLE'.lower(), 'ß'.upper(), 'hello wORLD'.title())py",
             R"ex(('HELLO WORLD', 'école', 'SS', 'Hello World'))ex",
             return T(in, {meth(in, Str(in, "Hello World"), "upper"), meth(in, Str(in, "\xc3\x89" "COLE"), "lower"),
                           meth(in, Str(in, "\xc3\x9f"), "upper"), meth(in, Str(in, "hello wORLD"), "title")});),
      R_CASE(R"py('hello'.capitalize(), 'AbC'.swapcase(), 'MiXeD'.casefold())py", R"ex(('Hello', 'aBc', 'mixed'))ex",
             return T(in, {meth(in, Str(in, "hello"), "capitalize"), meth(in, Str(in, "AbC"), "swapcase"),
                           meth(in, Str(in, "MiXeD"), "casefold")});),
      R_CASE(R"py(str.upper(5))py", R"ex(TypeError: descriptor 'upper' for 'str' objects doesn't apply to a 'int' object)ex",
             return call(in, in.getattr(B(in, "str"), "upper"), {I(5)});),
      R_CASE(R"py(str.upper('a'))py", R"ex('A')ex", return call(in, in.getattr(B(in, "str"), "upper"), {Str(in, "a")});),
      R_CASE(R"py('report.csv'.startswith('rep'), 'report.csv'.endswith(('.txt', '.csv')), 'report'.startswith('port', 2))py",
             R"ex((True, True, True))ex",
             return T(in, {meth(in, Str(in, "report.csv"), "startswith", {Str(in, "rep")}),
                           meth(in, Str(in, "report.csv"), "endswith", {T(in, {Str(in, ".txt"), Str(in, ".csv")})}),
                           meth(in, Str(in, "report"), "startswith", {Str(in, "port"), I(2)})});),
      R_CASE(R"py('abc'.startswith(1))py", R"ex(TypeError: startswith first arg must be str or a tuple of str, not int)ex",
             return meth(in, Str(in, "abc"), "startswith", {I(1)});),
      R_CASE(R"py('aaa'.replace('a', 'b', 2), 'abc'.replace('', '-'))py", R"ex(('bba', '-a-b-c-'))ex",
             return T(in, {meth(in, Str(in, "aaa"), "replace", {Str(in, "a"), Str(in, "b"), I(2)}),
                           meth(in, Str(in, "abc"), "replace", {Str(in, ""), Str(in, "-")})});),
      R_CASE(R"py('abc'.replace(1, 'x'))py", R"ex(TypeError: replace() argument 1 must be str, not int)ex",
             return meth(in, Str(in, "abc"), "replace", {I(1), Str(in, "x")});),
      R_CASE(R"py(s = 'the cat sat'; (s.find('at'), s.find('at', 6), s.rfind('at'), s.find('x'), s.index('sat'), s.count('at')))py",
             R"ex((5, 9, 9, -1, 8, 2))ex", {
               Value s = Str(in, "the cat sat");
               return T(in, {meth(in, s, "find", {Str(in, "at")}), meth(in, s, "find", {Str(in, "at"), I(6)}),
                             meth(in, s, "rfind", {Str(in, "at")}), meth(in, s, "find", {Str(in, "x")}),
                             meth(in, s, "index", {Str(in, "sat")}), meth(in, s, "count", {Str(in, "at")})});
             }),
      R_CASE(R"py('héllo'.find('l'), 'banana'.rindex('a'), 'abc'.count(''))py", R"ex((2, 5, 4))ex",
             return T(in, {meth(in, Str(in, "h\xc3\xa9llo"), "find", {Str(in, "l")}),
                           meth(in, Str(in, "banana"), "rindex", {Str(in, "a")}),
                           meth(in, Str(in, "abc"), "count", {Str(in, "")})});),
      R_CASE(R"py('abc'.index('x'))py", R"ex(ValueError: substring not found)ex",
             return meth(in, Str(in, "abc"), "index", {Str(in, "x")});),
      R_CASE(R"py('abc'.find(1))py", R"ex(TypeError: must be str, not int)ex", return meth(in, Str(in, "abc"), "find", {I(1)});),
      R_CASE(R"py('{} + {} = {}'.format(1, 2, 3))py", R"ex('1 + 2 = 3')ex",
             return meth(in, Str(in, "{} + {} = {}"), "format", ints({1, 2, 3}));),
      R_CASE(R"py('{0}{1}{0}'.format('ab', '-'), '{x}:{y!r}'.format(x=1, y='s'))py", R"ex(('ab-ab', "1:'s'"))ex",
             return T(in, {meth(in, Str(in, "{0}{1}{0}"), "format", {Str(in, "ab"), Str(in, "-")}),
                           meth(in, Str(in, "{x}:{y!r}"), "format", {}, {{"x", I(1)}, {"y", Str(in, "s")}})});),
      R_CASE(R"py('{0[0]} {1[key]} {2.real}'.format(['first'], {'key': 'v'}, 5))py", R"ex('first v 5')ex",
             return meth(in, Str(in, "{0[0]} {1[key]} {2.real}"), "format",
                         {L(in, {Str(in, "first")}), D(in, {{Str(in, "key"), Str(in, "v")}}), I(5)});),
      R_CASE(R"py('{:<6}|{:>6}|{:^6}|{:.3}|{:+}|{:,}'.format('l', 'r', 'c', 'truncate', 5, 10 ** 6))py",
             R"ex('l     |     r|  c   |tru|+5|1,000,000')ex",
             return meth(in, Str(in, "{:<6}|{:>6}|{:^6}|{:.3}|{:+}|{:,}"), "format",
                         {Str(in, "l"), Str(in, "r"), Str(in, "c"), Str(in, "truncate"), I(5), I(1000000)});),
      R_CASE(R"py('{a}'.format(b=1))py", R"ex(KeyError: 'a')ex",
             return meth(in, Str(in, "{a}"), "format", {}, {{"b", I(1)}});),
      R_CASE(R"py('{}{}'.format(1))py", R"ex(IndexError: Replacement index 1 out of range for positional args tuple)ex",
             return meth(in, Str(in, "{}{}"), "format", {I(1)});),
      R_CASE(R"py('{x}-{y}'.format_map({'x': 1, 'y': 2}))py", R"ex('1-2')ex",
             return meth(in, Str(in, "{x}-{y}"), "format_map", {D(in, {{Str(in, "x"), I(1)}, {Str(in, "y"), I(2)}})});),
      R_CASE(R"py('héllo'.encode(), 'abc'.encode('ascii'), 'é'.encode('latin-1'))py", R"ex((b'h\xc3\xa9llo', b'abc', b'\xe9'))ex",
             return T(in, {meth(in, Str(in, "h\xc3\xa9llo"), "encode"), meth(in, Str(in, "abc"), "encode", {Str(in, "ascii")}),
                           meth(in, Str(in, "\xc3\xa9"), "encode", {Str(in, "latin-1")})});),
      R_CASE(R"py('é'.encode('ascii'))py",
             R"ex(UnicodeEncodeError: 'ascii' codec can't encode character '\xe9' in position 0: ordinal not in range(128))ex",
             return meth(in, Str(in, "\xc3\xa9"), "encode", {Str(in, "ascii")});),
      R_CASE(R"py('a€'.encode('latin-1'))py",
             R"ex(UnicodeEncodeError: 'latin-1' codec can't encode character '\u20ac' in position 1: ordinal not in range(256))ex",
             return meth(in, Str(in, "a\xe2\x82\xac"), "encode", {Str(in, "latin-1")});),
      R_CASE(R"py('é'.encode('ascii', 'replace'))py", R"ex(b'?')ex",
             return meth(in, Str(in, "\xc3\xa9"), "encode", {Str(in, "ascii"), Str(in, "replace")});),
      R_CASE(R"py('a'.encode('xyz'))py", R"ex(LookupError: unknown encoding: xyz)ex",
             return meth(in, Str(in, "a"), "encode", {Str(in, "xyz")});),
      R_CASE(R"py('mid'.center(9, '*'), 'mid'.center(8, '-'), 'l'.ljust(5), 'r'.rjust(5, '.'))py",
             R"ex(('***mid***', '--mid---', 'l    ', '....r'))ex",
             return T(in, {meth(in, Str(in, "mid"), "center", {I(9), Str(in, "*")}),
                           meth(in, Str(in, "mid"), "center", {I(8), Str(in, "-")}), meth(in, Str(in, "l"), "ljust", {I(5)}),
                           meth(in, Str(in, "r"), "rjust", {I(5), Str(in, ".")})});),
      R_CASE(R"py('abc'.center(5, 'ab'))py", R"ex(TypeError: The fill character must be exactly one character long)ex",
             return meth(in, Str(in, "abc"), "center", {I(5), Str(in, "ab")});),
      R_CASE(R"py('abc'.center())py", R"ex(TypeError: center expected at least 1 argument, got 0)ex",
             return meth(in, Str(in, "abc"), "center");),
      R_CASE(R"py('42'.zfill(5), '-42'.zfill(6), '+7'.zfill(4))py", R"ex(('00042', '-00042', '+007'))ex",
             return T(in, {meth(in, Str(in, "42"), "zfill", {I(5)}), meth(in, Str(in, "-42"), "zfill", {I(6)}),
                           meth(in, Str(in, "+7"), "zfill", {I(4)})});),
      R_CASE(R"py('h:p:e'.partition(':'), 'h:p:e'.rpartition(':'), 'none'.partition(':'))py",
             R"ex((('h', ':', 'p:e'), ('h:p', ':', 'e'), ('none', '', '')))ex",
             return T(in, {meth(in, Str(in, "h:p:e"), "partition", {Str(in, ":")}),
                           meth(in, Str(in, "h:p:e"), "rpartition", {Str(in, ":")}),
                           meth(in, Str(in, "none"), "partition", {Str(in, ":")})});),
      R_CASE(R"py('one\ntwo\r\nthree'.splitlines(), 'x\n'.splitlines(True))py", R"ex((['one', 'two', 'three'], ['x\n']))ex",
             return T(in, {meth(in, Str(in, "one\ntwo\r\nthree"), "splitlines"),
                           meth(in, Str(in, "x\n"), "splitlines", {Bool(true)})});),
      R_CASE(R"py('a\tb'.expandtabs(4), 'Task-12'.removeprefix('Task-'), 'f.py'.removesuffix('.py'))py",
             R"ex(('a   b', '12', 'f'))ex",
             return T(in, {meth(in, Str(in, "a\tb"), "expandtabs", {I(4)}),
                           meth(in, Str(in, "Task-12"), "removeprefix", {Str(in, "Task-")}),
                           meth(in, Str(in, "f.py"), "removesuffix", {Str(in, ".py")})});),
      R_CASE(R"py([s.isdigit() for s in ['123', '12a', '', '²']])py", R"ex([True, False, False, True])ex",
             return L(in, {meth(in, Str(in, "123"), "isdigit"), meth(in, Str(in, "12a"), "isdigit"),
                           meth(in, Str(in, ""), "isdigit"), meth(in, Str(in, "\xc2\xb2"), "isdigit")});),
      R_CASE(R"py('abc'.isalpha(), 'a1'.isalnum(), '  '.isspace(), 'AB'.isupper(), 'ab'.islower(), 'Ab Cd'.istitle())py",
             R"ex((True, True, True, True, True, True))ex",
             return T(in, {meth(in, Str(in, "abc"), "isalpha"), meth(in, Str(in, "a1"), "isalnum"),
                           meth(in, Str(in, "  "), "isspace"), meth(in, Str(in, "AB"), "isupper"),
                           meth(in, Str(in, "ab"), "islower"), meth(in, Str(in, "Ab Cd"), "istitle")});),
      R_CASE(R"py('x_1'.isidentifier(), '1x'.isidentifier(), '²'.isdecimal(), '½'.isnumeric(), 'a\n'.isprintable(), 'é'.isascii())py",
             R"ex((True, False, False, True, False, False))ex",
             return T(in, {meth(in, Str(in, "x_1"), "isidentifier"), meth(in, Str(in, "1x"), "isidentifier"),
                           meth(in, Str(in, "\xc2\xb2"), "isdecimal"), meth(in, Str(in, "\xc2\xbd"), "isnumeric"),
                           meth(in, Str(in, "a\n"), "isprintable"), meth(in, Str(in, "\xc3\xa9"), "isascii")});),
  };
  return cases;
}

// ---------------------------------------------------------------- bytes methods

const std::vector<Case>& bytes_cases()
{
  static const std::vector<Case> cases = {
    R_CASE(R"py(b'caf\xc3\xa9'.decode(), b'abc'.decode('ascii'), b'\xff'.decode('latin-1'))py",
           R"ex(('café', 'abc', 'ÿ'))ex",
           return T(in, {meth(in, By(in, "caf\xc3\xa9"), "decode"),
                         meth(in, By(in, "abc"), "decode", {Str(in, "ascii")}),
                         meth(in, By(in, "\xff"), "decode", {Str(in, "latin-1")})});),
    R_CASE(
        R"py(b'\xff'.decode())py",
        R"ex(UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte)ex",
        return meth(in, By(in, "\xff"), "decode");),
    R_CASE(
        R"py(b'a\xc3'.decode())py",
        R"ex(UnicodeDecodeError: 'utf-8' codec can't decode byte 0xc3 in position 1: unexpected end of data)ex",
        return meth(in, By(in, "a\xc3"), "decode");),
    R_CASE(
        R"py(b'\xe2\x82('.decode())py",
        R"ex(UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte)ex",
        return meth(in, By(in, "\xe2\x82("), "decode");),
    R_CASE(
        R"py(b'\xed\xa0\x80'.decode())py",
        R"ex(UnicodeDecodeError: 'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte)ex",
        return meth(in, By(in, "\xed\xa0\x80"), "decode");),
    R_CASE(
        R"py(b'\xf0\x9f\x98'.decode())py",
        R"ex(UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-2: unexpected end of data)ex",
        return meth(in, By(in, "\xf0\x9f\x98"), "decode");),
    R_CASE(
        R"py(b'\xff'.decode('ascii'))py",
        R"ex(UnicodeDecodeError: 'ascii' codec can't decode byte 0xff in position 0: ordinal not in range(128))ex",
        return meth(in, By(in, "\xff"), "decode", {Str(in, "ascii")});),
    R_CASE(R"py(b'\xffab\xe2\x82'.decode('utf-8', 'replace'), b'\xffab'.decode(errors='ignore'))py",
           R"ex(('�ab�', 'ab'))ex",
           return T(in, {meth(in,
                              By(in,
                                 "\xff"
                                 "ab\xe2\x82"),
                              "decode", {Str(in, "utf-8"), Str(in, "replace")}),
                         meth(in,
                              By(in,
                                 "\xff"
                                 "ab"),
                              "decode", {}, {{"errors", Str(in, "ignore")}})});),
    R_CASE(R"py(b'x'.decode('xyz'))py", R"ex(LookupError: unknown encoding: xyz)ex",
           return meth(in, By(in, "x"), "decode", {Str(in, "xyz")});),
    R_CASE(R"py(b'GET / HTTP'.split(), b'a,b,,c'.split(b','), b'k v w'.split(b' ', 1))py",
           R"ex(([b'GET', b'/', b'HTTP'], [b'a', b'b', b'', b'c'], [b'k', b'v w']))ex",
           return T(in, {meth(in, By(in, "GET / HTTP"), "split"),
                         meth(in, By(in, "a,b,,c"), "split", {By(in, ",")}),
                         meth(in, By(in, "k v w"), "split", {By(in, " "), I(1)})});),
    R_CASE(R"py(b'  pad  '.strip(), b'xxhixx'.strip(b'x'), b'a b'.rsplit(None, 1))py",
           R"ex((b'pad', b'hi', [b'a', b'b']))ex",
           return T(in, {meth(in, By(in, "  pad  "), "strip"),
                         meth(in, By(in, "xxhixx"), "strip", {By(in, "x")}),
                         meth(in, By(in, "a b"), "rsplit", {Value(), I(1)})});),
    R_CASE(
        R"py(b'GET /'.startswith(b'GET'), b'GET /'.startswith((b'POST', b'GET')), b'x\r\n'.endswith(b'\r\n'))py",
        R"ex((True, True, True))ex",
        return T(in,
                 {meth(in, By(in, "GET /"), "startswith", {By(in, "GET")}),
                  meth(in, By(in, "GET /"), "startswith", {T(in, {By(in, "POST"), By(in, "GET")})}),
                  meth(in, By(in, "x\r\n"), "endswith", {By(in, "\r\n")})});),
    R_CASE(R"py(b'abc'.startswith('a'))py",
           R"ex(TypeError: startswith first arg must be bytes or a tuple of bytes, not str)ex",
           return meth(in, By(in, "abc"), "startswith", {Str(in, "a")});),
    R_CASE(
        R"py(b'HTTP/1.1'.find(b'/'), b'abc'.find(b'x'), b'abca'.find(97, 1), b'banana'.count(b'an'))py",
        R"ex((4, -1, 3, 2))ex",
        return T(in, {meth(in, By(in, "HTTP/1.1"), "find", {By(in, "/")}),
                      meth(in, By(in, "abc"), "find", {By(in, "x")}),
                      meth(in, By(in, "abca"), "find", {I(97), I(1)}),
                      meth(in, By(in, "banana"), "count", {By(in, "an")})});),
    R_CASE(R"py(b'abc'.index(b'x'))py", R"ex(ValueError: subsection not found)ex",
           return meth(in, By(in, "abc"), "index", {By(in, "x")});),
    R_CASE(R"py(b'a-b'.replace(b'-', b'+'), b'hello'.upper(), b'HI'.lower())py",
           R"ex((b'a+b', b'HELLO', b'hi'))ex",
           return T(in, {meth(in, By(in, "a-b"), "replace", {By(in, "-"), By(in, "+")}),
                         meth(in, By(in, "hello"), "upper"), meth(in, By(in, "HI"), "lower")});),
    R_CASE(R"py(b'\xde\xad\xbe\xef'.hex(), bytes.fromhex('48 69'), b', '.join([b'x', b'y']))py",
           R"ex(('deadbeef', b'Hi', b'x, y'))ex",
           return T(in, {meth(in, By(in, "\xde\xad\xbe\xef"), "hex"),
                         call(in, in.getattr(B(in, "bytes"), "fromhex"), {Str(in, "48 69")}),
                         meth(in, By(in, ", "), "join", {L(in, {By(in, "x"), By(in, "y")})})});),
    R_CASE(R"py(bytes.fromhex('4g'))py",
           R"ex(ValueError: non-hexadecimal number found in fromhex() arg at position 1)ex",
           return call(in, in.getattr(B(in, "bytes"), "fromhex"), {Str(in, "4g")});),
    R_CASE(R"py(b''.join([b'a', 'b']))py",
           R"ex(TypeError: sequence item 1: expected a bytes-like object, str found)ex",
           return meth(in, By(in, ""), "join", {L(in, {By(in, "a"), Str(in, "b")})});),
    R_CASE(
        R"py(b'l1\nl2\n'.splitlines(), b'key: value'.partition(b': '), b'a.b.c'.rpartition(b'.'))py",
        R"ex(([b'l1', b'l2'], (b'key', b': ', b'value'), (b'a.b', b'.', b'c')))ex",
        return T(in, {meth(in, By(in, "l1\nl2\n"), "splitlines"),
                      meth(in, By(in, "key: value"), "partition", {By(in, ": ")}),
                      meth(in, By(in, "a.b.c"), "rpartition", {By(in, ".")})});),
    R_CASE(R"py(b'12'.isdigit(), b'ab'.isalpha(), b'x'.center(5, b'*'), b'7'.zfill(3))py",
           R"ex((True, True, b'**x**', b'007'))ex",
           return T(in, {meth(in, By(in, "12"), "isdigit"), meth(in, By(in, "ab"), "isalpha"),
                         meth(in, By(in, "x"), "center", {I(5), By(in, "*")}),
                         meth(in, By(in, "7"), "zfill", {I(3)})});),
  };
  return cases;
}

// ---------------------------------------------------------------- list, tuple, dict, set methods

const std::vector<Case>& container_cases()
{
  static const std::vector<Case> cases = {
      R_CASE(R"py(l = [1]; l.append(2); l.extend((3, 4)); l.insert(0, 0); l.insert(-1, 'x'); l.insert(99, 'end'); l)py",
             R"ex([0, 1, 2, 3, 'x', 4, 'end'])ex", {
               Value l = L(in, {I(1)});
               meth(in, l, "append", {I(2)});
               meth(in, l, "extend", {T(in, ints({3, 4}))});
               meth(in, l, "insert", {I(0), I(0)});
               meth(in, l, "insert", {I(-1), Str(in, "x")});
               meth(in, l, "insert", {I(99), Str(in, "end")});
               return l;
             }),
      R_CASE(R"py(l = [1, 2]; l.extend(l); l)py", R"ex([1, 2, 1, 2])ex", {
        Value l = L(in, ints({1, 2}));
        meth(in, l, "extend", {l});
        return l;
      }),
      R_CASE(R"py([].append())py", R"ex(TypeError: list.append() takes exactly one argument (0 given))ex",
             return meth(in, L(in), "append");),
      R_CASE(R"py([].insert(1))py", R"ex(TypeError: insert expected 2 arguments, got 1)ex",
             return meth(in, L(in), "insert", {I(1)});),
      R_CASE(R"py(l = [1, 2, 3]; (l.pop(), l.pop(0), l))py", R"ex((3, 1, [2]))ex", {
        Value l = L(in, ints({1, 2, 3}));
        Value a = meth(in, l, "pop");
        Value b = meth(in, l, "pop", {I(0)});
        return T(in, {a, b, l});
      }),
      R_CASE(R"py([].pop())py", R"ex(IndexError: pop from empty list)ex", return meth(in, L(in), "pop");),
      R_CASE(R"py([1].pop(5))py", R"ex(IndexError: pop index out of range)ex", return meth(in, L(in, {I(1)}), "pop", {I(5)});),
      R_CASE(R"py([].pop(1, 2))py", R"ex(TypeError: pop expected at most 1 argument, got 2)ex",
             return meth(in, L(in), "pop", ints({1, 2}));),
      R_CASE(R"py(l = [1, 2, 1]; l.remove(1); l)py", R"ex([2, 1])ex", {
        Value l = L(in, ints({1, 2, 1}));
        meth(in, l, "remove", {I(1)});
        return l;
      }),
      R_CASE(R"py([].remove(1))py", R"ex(ValueError: list.remove(x): x not in list)ex", return meth(in, L(in), "remove", {I(1)});),
      R_CASE(R"py([1, 2, 1].index(1, 1), [1, 2].count(1))py", R"ex((2, 1))ex",
             return T(in, {meth(in, L(in, ints({1, 2, 1})), "index", {I(1), I(1)}), meth(in, L(in, ints({1, 2})), "count", {I(1)})});),
      R_CASE(R"py([1, 2].index('a'))py", R"ex(ValueError: 'a' is not in list)ex",
             return meth(in, L(in, ints({1, 2})), "index", {Str(in, "a")});),
      R_CASE(R"py([1, 2].index(2, 0, 1))py", R"ex(ValueError: 2 is not in list)ex",
             return meth(in, L(in, ints({1, 2})), "index", ints({2, 0, 1}));),
      R_CASE(R"py(l = [3, 1, 2]; l.sort(); l)py", R"ex([1, 2, 3])ex", {
        Value l = L(in, ints({3, 1, 2}));
        meth(in, l, "sort");
        return l;
      }),
      R_CASE(R"py(l = ['bb', 'a', 'ccc']; l.sort(key=len, reverse=True); l)py", R"ex(['ccc', 'bb', 'a'])ex", {
        Value l = L(in, {Str(in, "bb"), Str(in, "a"), Str(in, "ccc")});
        meth(in, l, "sort", {}, {{"key", B(in, "len")}, {"reverse", Bool(true)}});
        return l;
      }),
      R_CASE(R"py([].sort(1))py", R"ex(TypeError: sort() takes no positional arguments)ex", return meth(in, L(in), "sort", {I(1)});),
      R_CASE(R"py(l = [2, 'a', 1]; l.sort())py", R"ex(TypeError: '<' not supported between instances of 'str' and 'int')ex", {
        Value l = L(in, {I(2), Str(in, "a"), I(1)});
        return meth(in, l, "sort");
      }),
      R_CASE(R"py(l = [1, 2]; l.reverse(); c = l.copy(); l.clear(); (l, c))py", R"ex(([], [2, 1]))ex", {
        Value l = L(in, ints({1, 2}));
        meth(in, l, "reverse");
        Value c = meth(in, l, "copy");
        meth(in, l, "clear");
        return T(in, {l, c});
      }),
      R_CASE(R"py((1, 2, 1).count(1), (1, 2).index(2))py", R"ex((2, 1))ex",
             return T(in, {meth(in, T(in, ints({1, 2, 1})), "count", {I(1)}), meth(in, T(in, ints({1, 2})), "index", {I(2)})});),
      R_CASE(R"py((1,).index(5))py", R"ex(ValueError: tuple.index(x): x not in tuple)ex",
             return meth(in, T(in, {I(1)}), "index", {I(5)});),
      R_CASE(R"py(d = {'a': 1}; (d.get('a'), d.get('b'), d.get('b', 0)))py", R"ex((1, None, 0))ex", {
        Value d = D(in, {{Str(in, "a"), I(1)}});
        return T(in, {meth(in, d, "get", {Str(in, "a")}), meth(in, d, "get", {Str(in, "b")}),
                      meth(in, d, "get", {Str(in, "b"), I(0)})});
      }),
      R_CASE(R"py({}.get())py", R"ex(TypeError: get expected at least 1 argument, got 0)ex", return meth(in, D(in), "get");),
      R_CASE(R"py(d = {'a': 1}; k = d.keys(); d['b'] = 2; (k, len(k), list(d.values()), list(d.items())))py",
             R"ex((dict_keys(['a', 'b']), 2, [1, 2], [('a', 1), ('b', 2)]))ex", {
               Value d = D(in, {{Str(in, "a"), I(1)}});
               Value k = meth(in, d, "keys");
               in.setitem(d, Str(in, "b"), I(2));
               return T(in, {k, I(in.len(k)), List(in, meth(in, d, "values")), List(in, meth(in, d, "items"))});
             }),
      R_CASE(R"py(d = {1: 2}; d.update({3: 4}, x=5); d.update([(1, 0)]); d)py", R"ex({1: 0, 3: 4, 'x': 5})ex", {
        Value d = D(in, {{I(1), I(2)}});
        meth(in, d, "update", {D(in, {{I(3), I(4)}})}, {{"x", I(5)}});
        meth(in, d, "update", {L(in, {T(in, ints({1, 0}))})});
        return d;
      }),
      R_CASE(R"py(d = {}; (d.setdefault('a', []), d.setdefault('a', 5), d))py", R"ex(([], [], {'a': []}))ex", {
        Value d = D(in);
        Value a = meth(in, d, "setdefault", {Str(in, "a"), L(in)});
        Value b = meth(in, d, "setdefault", {Str(in, "a"), I(5)});
        return T(in, {a, b, d});
      }),
      R_CASE(R"py(d = {'a': 1, 'b': 2}; (d.pop('a'), d.pop('z', None), d))py", R"ex((1, None, {'b': 2}))ex", {
        Value d = D(in, {{Str(in, "a"), I(1)}, {Str(in, "b"), I(2)}});
        Value a = meth(in, d, "pop", {Str(in, "a")});
        Value b = meth(in, d, "pop", {Str(in, "z"), Value()});
        return T(in, {a, b, d});
      }),
      R_CASE(R"py({}.pop(1))py", R"ex(KeyError: 1)ex", return meth(in, D(in), "pop", {I(1)});),
      R_CASE(R"py(d = {'a': 1, 'b': 2}; (d.popitem(), d))py", R"ex((('b', 2), {'a': 1}))ex", {
        Value d = D(in, {{Str(in, "a"), I(1)}, {Str(in, "b"), I(2)}});
        Value p = meth(in, d, "popitem");
        return T(in, {p, d});
      }),
      R_CASE(R"py({}.popitem())py", R"ex(KeyError: 'popitem(): dictionary is empty')ex", return meth(in, D(in), "popitem");),
      R_CASE(R"py(d = {'a': [1]}; c = d.copy(); c['b'] = 1; d.clear(); (d, c))py", R"ex(({}, {'a': [1], 'b': 1}))ex", {
        Value d = D(in, {{Str(in, "a"), L(in, {I(1)})}});
        Value c = meth(in, d, "copy");
        in.setitem(c, Str(in, "b"), I(1));
        meth(in, d, "clear");
        return T(in, {d, c});
      }),
      R_CASE(R"py(dict.fromkeys('ab', 0), dict.fromkeys([1]))py", R"ex(({'a': 0, 'b': 0}, {1: None}))ex",
             return T(in, {call(in, in.getattr(B(in, "dict"), "fromkeys"), {Str(in, "ab"), I(0)}),
                           call(in, in.getattr(B(in, "dict"), "fromkeys"), {L(in, {I(1)})})});),
      R_CASE(R"py(s = {1}; s.add(2); s.add(1); s.discard(5); s.remove(1); s)py", R"ex({2})ex", {
        Value s = SET(in, {I(1)});
        meth(in, s, "add", {I(2)});
        meth(in, s, "add", {I(1)});
        meth(in, s, "discard", {I(5)});
        meth(in, s, "remove", {I(1)});
        return s;
      }),
      R_CASE(R"py(set().remove(1))py", R"ex(KeyError: 1)ex", return meth(in, SET(in), "remove", {I(1)});),
      R_CASE(R"py(set().pop())py", R"ex(KeyError: 'pop from an empty set')ex", return meth(in, SET(in), "pop");),
      R_CASE(R"py(s = {3, 1, 2}; (s.pop(), s.pop(), s))py", R"ex((1, 2, {3}))ex", {
        Value s = SET(in, ints({3, 1, 2}));
        Value a = meth(in, s, "pop");
        Value b = meth(in, s, "pop");
        return T(in, {a, b, s});
      }),
      R_CASE(R"py(s = {1, 2}; c = s.copy(); s.clear(); (s, c))py", R"ex((set(), {1, 2}))ex", {
        Value s = SET(in, ints({1, 2}));
        Value c = meth(in, s, "copy");
        meth(in, s, "clear");
        return T(in, {s, c});
      }),
      R_CASE(R"py({1, 2}.union([3], (4,)), {1, 2}.intersection([2, 3]), {1, 2}.difference([2]), {1, 2}.symmetric_difference([2, 3]))py",
             R"ex(({1, 2, 3, 4}, {2}, {1}, {1, 3}))ex",
             return T(in, {meth(in, SET(in, ints({1, 2})), "union", {L(in, {I(3)}), T(in, {I(4)})}),
                           meth(in, SET(in, ints({1, 2})), "intersection", {L(in, ints({2, 3}))}),
                           meth(in, SET(in, ints({1, 2})), "difference", {L(in, {I(2)})}),
                           meth(in, SET(in, ints({1, 2})), "symmetric_difference", {L(in, ints({2, 3}))})});),
      R_CASE(R"py(frozenset([1]).union([2]))py", R"ex(frozenset({1, 2}))ex",
             return meth(in, FSET(in, {I(1)}), "union", {L(in, {I(2)})});),
      R_CASE(R"py(s = {1, 2, 3}; s.update([4]); s.intersection_update([1, 2, 4]); s.difference_update([2]); s)py",
             R"ex({1, 4})ex", {
               Value s = SET(in, ints({1, 2, 3}));
               meth(in, s, "update", {L(in, {I(4)})});
               meth(in, s, "intersection_update", {L(in, ints({1, 2, 4}))});
               meth(in, s, "difference_update", {L(in, {I(2)})});
               return s;
             }),
      R_CASE(R"py({1, 2}.issubset([1, 2, 3]), {1, 2}.issuperset([1]), {1}.isdisjoint([2]))py", R"ex((True, True, True))ex",
             return T(in, {meth(in, SET(in, ints({1, 2})), "issubset", {L(in, ints({1, 2, 3}))}),
                           meth(in, SET(in, ints({1, 2})), "issuperset", {L(in, {I(1)})}),
                           meth(in, SET(in, {I(1)}), "isdisjoint", {L(in, {I(2)})})});),
      R_CASE(R"py(frozenset([1]).add(2))py", R"ex(AttributeError: 'frozenset' object has no attribute 'add')ex",
             return meth(in, FSET(in, {I(1)}), "add", {I(2)});),
  };
  return cases;
}

// ---------------------------------------------------------------- numbers, range, object

const std::vector<Case>& misc_cases()
{
  static const std::vector<Case> cases = {
      R_CASE(R"py((5).bit_length(), (-8).bit_length(), (7).bit_count())py", R"ex((3, 4, 3))ex",
             return T(in, {meth(in, I(5), "bit_length"), meth(in, I(-8), "bit_length"), meth(in, I(7), "bit_count")});),
      R_CASE(R"py((255).to_bytes(2, 'big'), (1).to_bytes(2, 'little'), (-1).to_bytes(2, 'big', signed=True))py",
             R"ex((b'\x00\xff', b'\x01\x00', b'\xff\xff'))ex",
             return T(in, {meth(in, I(255), "to_bytes", {I(2), Str(in, "big")}), meth(in, I(1), "to_bytes", {I(2), Str(in, "little")}),
                           meth(in, I(-1), "to_bytes", {I(2), Str(in, "big")}, {{"signed", Bool(true)}})});),
      R_CASE(R"py((256).to_bytes(1, 'big'))py", R"ex(OverflowError: int too big to convert)ex",
             return meth(in, I(256), "to_bytes", {I(1), Str(in, "big")});),
      R_CASE(R"py(int.from_bytes(b'\x00\xff', 'big'), int.from_bytes(b'\xff\xff', 'little', signed=True))py",
             R"ex((255, -1))ex",
             return T(in, {call(in, in.getattr(B(in, "int"), "from_bytes"), {By(in, std::string("\0\xff", 2)), Str(in, "big")}),
                           call(in, in.getattr(B(in, "int"), "from_bytes"), {By(in, "\xff\xff"), Str(in, "little")},
                                {{"signed", Bool(true)}})});),
      R_CASE(R"py((5).real, (5).imag, (5).denominator, (2.5).real, True.real)py", R"ex((5, 0, 1, 2.5, 1))ex",
             return T(in, {in.getattr(I(5), "real"), in.getattr(I(5), "imag"), in.getattr(I(5), "denominator"),
                           in.getattr(F(2.5), "real"), in.getattr(Bool(true), "real")});),
      R_CASE(R"py((1.0).is_integer(), (1.5).is_integer(), float('inf').is_integer())py", R"ex((True, False, False))ex",
             return T(in, {meth(in, F(1.0), "is_integer"), meth(in, F(1.5), "is_integer"), meth(in, F(HUGE_VAL), "is_integer")});),
      R_CASE(R"py(r = range(0, 10, 2); (r.start, r.stop, r.step, r.index(4), r.count(4), r.count(5)))py",
             R"ex((0, 10, 2, 2, 1, 0))ex", {
               Value r = RANGE(in, ints({0, 10, 2}));
               return T(in, {in.getattr(r, "start"), in.getattr(r, "stop"), in.getattr(r, "step"),
                             meth(in, r, "index", {I(4)}), meth(in, r, "count", {I(4)}), meth(in, r, "count", {I(5)})});
             }),
      R_CASE(R"py(range(0, 10, 2).index(5))py", R"ex(ValueError: 5 is not in range)ex",
             return meth(in, RANGE(in, ints({0, 10, 2})), "index", {I(5)});),
      R_CASE(R"py(o = object(); (o == o, o != o, o.__eq__(1)))py", R"ex((True, False, NotImplemented))ex", {
        Value o = fn(in, "object");
        return T(in, {Bool(in.eq(o, o)), detail::rich_compare(in, CmpOpKind::NotEq, o, o), meth(in, o, "__eq__", {I(1)})});
      }),
      R_CASE(R"py(format(object(), ''), format(object(), 'x'))py",
             R"ex(TypeError: unsupported format string passed to object.__format__)ex",
             return fn(in, "format", {fn(in, "object"), Str(in, "x")});),
  };
  return cases;
}

}  // namespace

class tst_Builtins : public QObject
{
  Q_OBJECT

private slots:
  void functions_data() { add_rows(function_cases()); }
  void functions()
  {
    QFETCH(int, index);
    check_row(function_cases(), index);
  }
  void constructors_data() { add_rows(constructor_cases()); }
  void constructors()
  {
    QFETCH(int, index);
    check_row(constructor_cases(), index);
  }
  void strMethods_data() { add_rows(str_cases()); }
  void strMethods()
  {
    QFETCH(int, index);
    check_row(str_cases(), index);
  }
  void bytesMethods_data() { add_rows(bytes_cases()); }
  void bytesMethods()
  {
    QFETCH(int, index);
    check_row(bytes_cases(), index);
  }
  void containerMethods_data() { add_rows(container_cases()); }
  void containerMethods()
  {
    QFETCH(int, index);
    check_row(container_cases(), index);
  }
  void misc_data() { add_rows(misc_cases()); }
  void misc()
  {
    QFETCH(int, index);
    check_row(misc_cases(), index);
  }

  void sortIsStableAndSurvivesInconsistentComparisons();
  void listSortRestoresTheListWhenAKeyRaises();
};

void tst_Builtins::sortIsStableAndSurvivesInconsistentComparisons()
{
  Interp in;
  // 1000 records with keys 0..9: the sorted order keeps the original order within each key.
  std::vector<Value> items;
  for (int i = 0; i < 1000; ++i)
    items.push_back(T(in, {I((i * 7) % 10), I(i)}));
  Value key =
      in.native_closure("k", [](Interp& in2, CallArgs& a) { return in2.getitem(a.args[0], I(0)); });
  Value sorted = fn(in, "sorted", {L(in, items)}, {{"key", key}});
  const auto& out = sorted.as<ListObject>()->items;
  QCOMPARE(out.size(), std::size_t{1000});
  for (std::size_t i = 1; i < out.size(); ++i) {
    const auto k0 = in.getitem(out[i - 1], I(0)).as_int(), k1 = in.getitem(out[i], I(0)).as_int();
    QVERIFY(k0 <= k1);
    if (k0 == k1)
      QVERIFY(in.getitem(out[i - 1], I(1)).as_int() < in.getitem(out[i], I(1)).as_int());
  }
  // NaNs make `<` inconsistent: the sort must still finish and keep every element.
  std::vector<Value> floats;
  for (int i = 0; i < 200; ++i)
    floats.push_back(i % 3 == 0 ? F(std::nan("")) : F(static_cast<double>((i * 37) % 101)));
  Value r = fn(in, "sorted", {L(in, floats)});
  QCOMPARE(in.len(r), std::int64_t{200});
}

void tst_Builtins::listSortRestoresTheListWhenAKeyRaises()
{
  Interp in;
  Value l = L(in, {I(3), Str(in, "x"), I(1)});
  Value key = in.native_closure(
      "neg", [](Interp& in2, CallArgs& a) { return in2.binop(BinOpKind::Sub, I(0), a.args[0]); });
  bool raised = false;
  try {
    meth(in, l, "sort", {}, {{"key", key}});
  } catch (const PyException& e) {
    raised = true;
    QCOMPARE(QString::fromStdString(describe(in, e)),
             QString("TypeError: unsupported operand type(s) for -: 'int' and 'str'"));
  }
  QVERIFY(raised);
  QCOMPARE(in.len(l), std::int64_t{3});
}

QTEST_APPLESS_MAIN(tst_Builtins)

#include "tst_builtins.moc"
