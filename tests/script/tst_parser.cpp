// SPDX-License-Identifier: GPL-3.0-or-later
// The Python-subset parser: the tree it builds (compared with CPython 3.11's `ast`, in astdump's
// text form), node positions and statement end lines, CPython's syntax errors with their
// positions, the constructs loopscope does not support, nesting limits, and that no input makes
// it do anything but return a tree or throw ParseError.
//
// The expected dumps, positions and syntax errors in the tables were produced by CPython 3.11.2
// (`ast.parse` and `compile`); the loopscope-specific rows say so.

#include "engine/script/ast.h"
#include "engine/script/astdump.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <string>

using namespace loopscope::script;
using Kind = ParseError::Kind;

Q_DECLARE_METATYPE(loopscope::script::ParseError::Kind)

class tst_Parser : public QObject
{
  Q_OBJECT

private slots:
  void parsesToDump_data();
  void parsesToDump();
  void positions_data();
  void positions();
  void syntaxErrors_data();
  void syntaxErrors();
  void loopscopeErrorPositions_data();
  void loopscopeErrorPositions();
  void notSupported_data();
  void notSupported();
  void describeFormat_data();
  void describeFormat();
  void stringValues_data();
  void stringValues();
  void numbers_data();
  void numbers();
  void linesAndEndLines();
  void sourceEncodingAndLineEnds_data();
  void sourceEncodingAndLineEnds();
  void docstrings_data();
  void docstrings();
  void fieldsNotInTheDump();
  void nestingLimits_data();
  void nestingLimits();
  void everyPrefixParsesOrFails();
  void randomMutationsParseOrFail();
  void largeFile();
};

namespace {

Module parseBytes(const QByteArray& src)
{
  return parse(std::string(src.constData(), static_cast<std::size_t>(src.size())), "test.py");
}

/// The module's statements in dump form, without the `Module([...])` around them.
QByteArray bodyDump(const Module& m, bool positions = false)
{
  const std::string d = dump(m, positions);
  const std::string prefix = "Module([";
  if (d.compare(0, prefix.size(), prefix) != 0 || d.size() < prefix.size() + 2) {
    return QByteArray::fromStdString(d);
  }
  return QByteArray::fromStdString(d.substr(prefix.size(), d.size() - prefix.size() - 2));
}

/// Parses `src` expecting a ParseError; fails the test otherwise.
ParseError parseError(const QByteArray& src)
{
  try {
    const Module m = parseBytes(src);
    qWarning("parsed without error: %s", dump(m).c_str());
  } catch (const ParseError& e) {
    return e;
  }
  ParseError none;
  none.message = "<no error>";
  return none;
}

QByteArray repeat(const char* s, int n)
{
  return QByteArray(s).repeated(n);
}

// A realistic asyncio program: the fuzz tests start from it.
const char* const kProgram = R"PY(# -*- coding: utf-8 -*-
"""A small asyncio program: producers, consumers and a timeout."""
import asyncio
import random as rnd
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Job:
    id: int
    cost: float = 0.5
    tags: list[str] = field(default_factory=list)


class Stats:
    def __init__(self) -> None:
        self.done = 0
        self.failed: dict[int, str] = {}

    def __repr__(self):
        return f"Stats(done={self.done}, failed={len(self.failed)!r:>4})"


async def producer(queue: asyncio.Queue, n: int, *, seed=None) -> None:
    rng = rnd.Random(seed)
    for i in range(n):
        await queue.put(Job(i, cost=rng.random() / 10))
        if i % 3 == 0:
            await asyncio.sleep(0)
    await queue.put(None)


async def consumer(name, queue, stats: Stats, /, retries=2, **options):
    while (job := await queue.get()) is not None:
        try:
            async with asyncio.timeout(job.cost * 2):
                await asyncio.sleep(job.cost)
        except* TimeoutError as eg:
            stats.failed[job.id] = f"{name}: {eg!s}"
        else:
            stats.done += 1
        finally:
            queue.task_done()
    queue.task_done()
    return [j async for j in aiter_jobs() if j] if options.get("drain") else []


async def main(argv=()):
    queue: asyncio.Queue[Optional[Job]] = asyncio.Queue(maxsize=10)
    stats = Stats()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(producer(queue, 20, seed=42))
        workers = [tg.create_task(consumer(f"w{i}", queue, stats)) for i in range(3)]
    print(stats, *(w.result() for w in workers), sep="\n")
    assert stats.done + len(stats.failed) == 20, "lost jobs"
    return 0 if not stats.failed else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
)PY";

/// Checks what parsing `src` did: a tree, or a ParseError whose position is inside the source.
void checkParsesOrFails(const QByteArray& src, int& parsed, int& failed)
{
  const qsizetype lines = src.count('\n') + 2;
  try {
    const Module m = parseBytes(src);
    QVERIFY(static_cast<qsizetype>(m.lines.size()) <= lines);
    (void)dump(m, true);
    ++parsed;
  } catch (const ParseError& e) {
    ++failed;
    QVERIFY2(!e.message.empty(), src.constData());
    QVERIFY2(e.pos.line >= 1 && e.pos.line <= lines, e.describe().c_str());
    QVERIFY2(e.pos.col >= 1 && e.pos.col <= static_cast<std::uint32_t>(src.size()) + 2,
             e.describe().c_str());
    QVERIFY(QByteArray::fromStdString(e.describe()).startsWith("test.py:"));
  } catch (...) {
    QFAIL(("an exception other than ParseError for: " + src).constData());
  }
}

}  // namespace

// ------------------------------------------------------------------ trees

void tst_Parser::parsesToDump_data()
{
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("import x") << QByteArray("import x") << QByteArray("Import([alias('x')])");
  QTest::newRow("import x.y as z")
      << QByteArray("import x.y as z") << QByteArray("Import([alias('x.y', 'z')])");
  QTest::newRow("from x import a, b as c")
      << QByteArray("from x import a, b as c")
      << QByteArray("ImportFrom('x', [alias('a'), alias('b', 'c')])");
  QTest::newRow("from x import (a, b)") << QByteArray("from x import (a, b)")
                                        << QByteArray("ImportFrom('x', [alias('a'), alias('b')])");
  QTest::newRow("from x import (a,⏎   b as c,⏎)")
      << QByteArray("from x import (a,\n   b as c,\n)")
      << QByteArray("ImportFrom('x', [alias('a'), alias('b', 'c')])");
  QTest::newRow("from x import *")
      << QByteArray("from x import *") << QByteArray("ImportFrom('x', [alias('*')])");
  QTest::newRow("from . import a")
      << QByteArray("from . import a") << QByteArray("ImportFrom('', [alias('a')], level=1)");
  QTest::newRow("from ..x.y import a") << QByteArray("from ..x.y import a")
                                       << QByteArray("ImportFrom('x.y', [alias('a')], level=2)");
  QTest::newRow("from ... import a")
      << QByteArray("from ... import a") << QByteArray("ImportFrom('', [alias('a')], level=3)");
  QTest::newRow("def f(a, b=1, *args, c, d=2, **kw): pass")
      << QByteArray("def f(a, b=1, *args, c, d=2, **kw): pass")
      << QByteArray(
             "FunctionDef('f', arguments(args=[arg('a'), arg('b')], defaults=[Constant(1)], "
             "vararg=arg('args'), kwonlyargs=[arg('c'), arg('d')], kw_defaults=[None, "
             "Constant(2)], kwarg=arg('kw')), [Pass()])");
  QTest::newRow("def f(a, /, b, *, c): pass")
      << QByteArray("def f(a, /, b, *, c): pass")
      << QByteArray(
             "FunctionDef('f', arguments(args=[arg('a'), arg('b')], kwonlyargs=[arg('c')], "
             "kw_defaults=[None]), [Pass()])");
  QTest::newRow("def f(a: int, b: \"str\" = 'x', *args: int, c: ...")
      << QByteArray(
             "def f(a: int, b: \"str\" = 'x', *args: int, c: float = 1.0, **kw: dict) -> "
             "list[int]:\n    return [a]")
      << QByteArray(
             "FunctionDef('f', arguments(args=[arg('a', Name('int')), arg('b', Constant('str'))], "
             "defaults=[Constant('x')], vararg=arg('args', Name('int')), kwonlyargs=[arg('c', "
             "Name('float'))], kw_defaults=[Constant(1.0)], kwarg=arg('kw', Name('dict'))), "
             "[Return(List([Name('a')]))], returns=Subscript(Name('list'), Name('int')))");
  QTest::newRow("async def f(x):⏎    await x")
      << QByteArray("async def f(x):\n    await x")
      << QByteArray("AsyncFunctionDef('f', arguments(args=[arg('x')]), [Expr(Await(Name('x')))])");
  QTest::newRow("@dec⏎def f(): pass")
      << QByteArray("@dec\ndef f(): pass")
      << QByteArray("FunctionDef('f', arguments(), [Pass()], decorators=[Name('dec')])");
  QTest::newRow("@a.b(1, k=2)⏎@c⏎async def f(): pass")
      << QByteArray("@a.b(1, k=2)\n@c\nasync def f(): pass")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Pass()], decorators=[Call(Attribute(Name('a'), "
             "'b'), [Constant(1)], keywords=[keyword('k', Constant(2))]), Name('c')])");
  QTest::newRow("lambda: 0") << QByteArray("lambda: 0")
                             << QByteArray("Expr(Lambda(arguments(), Constant(0)))");
  QTest::newRow("lambda x, y=1, *a, k, **kw: x + y")
      << QByteArray("lambda x, y=1, *a, k, **kw: x + y")
      << QByteArray(
             "Expr(Lambda(arguments(args=[arg('x'), arg('y')], defaults=[Constant(1)], "
             "vararg=arg('a'), kwonlyargs=[arg('k')], kw_defaults=[None], kwarg=arg('kw')), "
             "BinOp(Name('x'), Add, Name('y'))))");
  QTest::newRow("x = lambda *, k=1: k")
      << QByteArray("x = lambda *, k=1: k")
      << QByteArray(
             "Assign([Name('x', Store)], Lambda(arguments(kwonlyargs=[arg('k')], "
             "kw_defaults=[Constant(1)]), Name('k')))");
  QTest::newRow("if a:⏎    pass⏎elif b:⏎    x = 1⏎elif c:⏎    ...")
      << QByteArray("if a:\n    pass\nelif b:\n    x = 1\nelif c:\n    y = 2\nelse:\n    z = 3")
      << QByteArray(
             "If(Name('a'), [Pass()], orelse=[If(Name('b'), [Assign([Name('x', Store)], "
             "Constant(1))], orelse=[If(Name('c'), [Assign([Name('y', Store)], Constant(2))], "
             "orelse=[Assign([Name('z', Store)], Constant(3))])])])");
  QTest::newRow("while x:⏎    break⏎else:⏎    pass")
      << QByteArray("while x:\n    break\nelse:\n    pass")
      << QByteArray("While(Name('x'), [Break()], orelse=[Pass()])");
  QTest::newRow("for i in range(10):⏎    continue⏎else:⏎    pass")
      << QByteArray("for i in range(10):\n    continue\nelse:\n    pass")
      << QByteArray(
             "For(Name('i', Store), Call(Name('range'), [Constant(10)]), [Continue()], "
             "orelse=[Pass()])");
  QTest::newRow("async def f():⏎    async for x in y:⏎        ...")
      << QByteArray(
             "async def f():\n    async for x in y:\n        pass\n    async with a as b, c as "
             "d:\n        pass")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [AsyncFor(Name('x', Store), Name('y'), [Pass()]), "
             "AsyncWith([withitem(Name('a'), Name('b', Store)), withitem(Name('c'), Name('d', "
             "Store))], [Pass()])])");
  QTest::newRow("try:⏎    pass⏎except (A, B) as e:⏎    raise X...")
      << QByteArray(
             "try:\n    pass\nexcept (A, B) as e:\n    raise X from e\nexcept C:\n    "
             "raise\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass")
      << QByteArray(
             "Try([Pass()], [ExceptHandler(Tuple([Name('A'), Name('B')]), 'e', [Raise(Name('X'), "
             "cause=Name('e'))]), ExceptHandler(Name('C'), [Raise()]), ExceptHandler([Pass()])], "
             "orelse=[Pass()], finalbody=[Pass()])");
  QTest::newRow("try:⏎    pass⏎except* ValueError as eg:⏎    p...")
      << QByteArray(
             "try:\n    pass\nexcept* ValueError as eg:\n    pass\nexcept* (TypeError, "
             "KeyError):\n    pass")
      << QByteArray(
             "TryStar([Pass()], [ExceptHandler(Name('ValueError'), 'eg', [Pass()]), "
             "ExceptHandler(Tuple([Name('TypeError'), Name('KeyError')]), [Pass()])])");
  QTest::newRow("try:⏎    x⏎finally:⏎    y")
      << QByteArray("try:\n    x\nfinally:\n    y")
      << QByteArray("Try([Expr(Name('x'))], [], finalbody=[Expr(Name('y'))])");
  QTest::newRow("raise X") << QByteArray("raise X") << QByteArray("Raise(Name('X'))");
  QTest::newRow("raise X from None")
      << QByteArray("raise X from None") << QByteArray("Raise(Name('X'), cause=Constant(None))");
  QTest::newRow("with a as b, c:⏎    pass")
      << QByteArray("with a as b, c:\n    pass")
      << QByteArray("With([withitem(Name('a'), Name('b', Store)), withitem(Name('c'))], [Pass()])");
  QTest::newRow("with (a as b, c as d):⏎    pass")
      << QByteArray("with (a as b, c as d):\n    pass")
      << QByteArray(
             "With([withitem(Name('a'), Name('b', Store)), withitem(Name('c'), Name('d', Store))], "
             "[Pass()])");
  QTest::newRow("with (a as b, c as d,):⏎    pass")
      << QByteArray("with (a as b, c as d,):\n    pass")
      << QByteArray(
             "With([withitem(Name('a'), Name('b', Store)), withitem(Name('c'), Name('d', Store))], "
             "[Pass()])");
  QTest::newRow("with (a, b):⏎    pass")
      << QByteArray("with (a, b):\n    pass")
      << QByteArray("With([withitem(Name('a')), withitem(Name('b'))], [Pass()])");
  QTest::newRow("with (a):⏎    pass")
      << QByteArray("with (a):\n    pass") << QByteArray("With([withitem(Name('a'))], [Pass()])");
  QTest::newRow("with (a) as b:⏎    pass")
      << QByteArray("with (a) as b:\n    pass")
      << QByteArray("With([withitem(Name('a'), Name('b', Store))], [Pass()])");
  QTest::newRow("with (open(x)) as f, g:⏎    pass")
      << QByteArray("with (open(x)) as f, g:\n    pass")
      << QByteArray(
             "With([withitem(Call(Name('open'), [Name('x')]), Name('f', Store)), "
             "withitem(Name('g'))], [Pass()])");
  QTest::newRow("a = b = 1") << QByteArray("a = b = 1")
                             << QByteArray(
                                    "Assign([Name('a', Store), Name('b', Store)], Constant(1))");
  QTest::newRow("a, *b = c") << QByteArray("a, *b = c")
                             << QByteArray(
                                    "Assign([Tuple([Name('a', Store), Starred(Name('b', Store), "
                                    "Store)], Store)], Name('c'))");
  QTest::newRow("[a, *b] = c") << QByteArray("[a, *b] = c")
                               << QByteArray(
                                      "Assign([List([Name('a', Store), Starred(Name('b', Store), "
                                      "Store)], Store)], Name('c'))");
  QTest::newRow("(a, b), c = d") << QByteArray("(a, b), c = d")
                                 << QByteArray(
                                        "Assign([Tuple([Tuple([Name('a', Store), Name('b', "
                                        "Store)], Store), Name('c', Store)], Store)], Name('d'))");
  QTest::newRow("x += 1") << QByteArray("x += 1")
                          << QByteArray("AugAssign(Name('x', Store), Add, Constant(1))");
  QTest::newRow("x -= 1; x *= 2; x /= 3; x //= 4; x %= 5; x **...")
      << QByteArray(
             "x -= 1; x *= 2; x /= 3; x //= 4; x %= 5; x **= 6; x >>= 7; x <<= 8; x &= 9; x ^= 10; "
             "x |= 11; x @= 12")
      << QByteArray(
             "AugAssign(Name('x', Store), Sub, Constant(1)), AugAssign(Name('x', Store), Mult, "
             "Constant(2)), AugAssign(Name('x', Store), Div, Constant(3)), AugAssign(Name('x', "
             "Store), FloorDiv, Constant(4)), AugAssign(Name('x', Store), Mod, Constant(5)), "
             "AugAssign(Name('x', Store), Pow, Constant(6)), AugAssign(Name('x', Store), RShift, "
             "Constant(7)), AugAssign(Name('x', Store), LShift, Constant(8)), AugAssign(Name('x', "
             "Store), BitAnd, Constant(9)), AugAssign(Name('x', Store), BitXor, Constant(10)), "
             "AugAssign(Name('x', Store), BitOr, Constant(11)), AugAssign(Name('x', Store), "
             "MatMult, Constant(12))");
  QTest::newRow("x: int = 1") << QByteArray("x: int = 1")
                              << QByteArray(
                                     "AnnAssign(Name('x', Store), Name('int'), Constant(1))");
  QTest::newRow("x: int") << QByteArray("x: int")
                          << QByteArray("AnnAssign(Name('x', Store), Name('int'))");
  QTest::newRow("a.b: int = 2")
      << QByteArray("a.b: int = 2")
      << QByteArray("AnnAssign(Attribute(Name('a'), 'b', Store), Name('int'), Constant(2))");
  QTest::newRow("a[0]: int")
      << QByteArray("a[0]: int")
      << QByteArray("AnnAssign(Subscript(Name('a'), Constant(0), Store), Name('int'))");
  QTest::newRow("(a): int = 1") << QByteArray("(a): int = 1")
                                << QByteArray(
                                       "AnnAssign(Name('a', Store), Name('int'), Constant(1))");
  QTest::newRow("global a, b") << QByteArray("global a, b") << QByteArray("Global(['a', 'b'])");
  QTest::newRow("assert x") << QByteArray("assert x") << QByteArray("Assert(Name('x'))");
  QTest::newRow("assert x, \"msg\"")
      << QByteArray("assert x, \"msg\"") << QByteArray("Assert(Name('x'), Constant('msg'))");
  QTest::newRow("del a, b[0], c.d") << QByteArray("del a, b[0], c.d")
                                    << QByteArray(
                                           "Delete([Name('a', Del), Subscript(Name('b'), "
                                           "Constant(0), Del), Attribute(Name('c'), 'd', Del)])");
  QTest::newRow("del (a, b)") << QByteArray("del (a, b)")
                              << QByteArray(
                                     "Delete([Tuple([Name('a', Del), Name('b', Del)], Del)])");
  QTest::newRow("del [a]") << QByteArray("del [a]")
                           << QByteArray("Delete([List([Name('a', Del)], Del)])");
  QTest::newRow("class C(Base, metaclass=M):⏎    \"\"\"Doc.\"\"\"⏎  ...")
      << QByteArray(
             "class C(Base, metaclass=M):\n    \"\"\"Doc.\"\"\"\n    x = 1\n    def f(self):\n     "
             "   \"fdoc\"\n        return self.x")
      << QByteArray(
             "ClassDef('C', [Expr(Constant('Doc.')), Assign([Name('x', Store)], Constant(1)), "
             "FunctionDef('f', arguments(args=[arg('self')]), [Expr(Constant('fdoc')), "
             "Return(Attribute(Name('self'), 'x'))], docstring='fdoc')], bases=[Name('Base')], "
             "keywords=[keyword('metaclass', Name('M'))])");
  QTest::newRow("class C: pass") << QByteArray("class C: pass")
                                 << QByteArray("ClassDef('C', [Pass()])");
  QTest::newRow("class C(): pass")
      << QByteArray("class C(): pass") << QByteArray("ClassDef('C', [Pass()])");
  QTest::newRow("@dataclass⏎class C:⏎    x: int = 0")
      << QByteArray("@dataclass\nclass C:\n    x: int = 0")
      << QByteArray(
             "ClassDef('C', [AnnAssign(Name('x', Store), Name('int'), Constant(0))], "
             "decorators=[Name('dataclass')])");
  QTest::newRow("a = 1; b = 2")
      << QByteArray("a = 1; b = 2")
      << QByteArray(
             "Assign([Name('a', Store)], Constant(1)), Assign([Name('b', Store)], Constant(2))");
  QTest::newRow("a = 1;") << QByteArray("a = 1;")
                          << QByteArray("Assign([Name('a', Store)], Constant(1))");
  QTest::newRow("if x: y") << QByteArray("if x: y")
                           << QByteArray("If(Name('x'), [Expr(Name('y'))])");
  QTest::newRow("if x: y; z") << QByteArray("if x: y; z")
                              << QByteArray("If(Name('x'), [Expr(Name('y')), Expr(Name('z'))])");
  QTest::newRow("while x: y") << QByteArray("while x: y")
                              << QByteArray("While(Name('x'), [Expr(Name('y'))])");
  QTest::newRow("for x in y: z") << QByteArray("for x in y: z")
                                 << QByteArray(
                                        "For(Name('x', Store), Name('y'), [Expr(Name('z'))])");
  QTest::newRow("def f(): return 1")
      << QByteArray("def f(): return 1")
      << QByteArray("FunctionDef('f', arguments(), [Return(Constant(1))])");
  QTest::newRow("class C: x = 1")
      << QByteArray("class C: x = 1")
      << QByteArray("ClassDef('C', [Assign([Name('x', Store)], Constant(1))])");
  QTest::newRow("x if c else y") << QByteArray("x if c else y")
                                 << QByteArray("Expr(IfExp(Name('c'), Name('x'), Name('y')))");
  QTest::newRow("a or b or c") << QByteArray("a or b or c")
                               << QByteArray("Expr(BoolOp(Or, [Name('a'), Name('b'), Name('c')]))");
  QTest::newRow("a and b and c") << QByteArray("a and b and c")
                                 << QByteArray(
                                        "Expr(BoolOp(And, [Name('a'), Name('b'), Name('c')]))");
  QTest::newRow("a or b and c")
      << QByteArray("a or b and c")
      << QByteArray("Expr(BoolOp(Or, [Name('a'), BoolOp(And, [Name('b'), Name('c')])]))");
  QTest::newRow("not a") << QByteArray("not a") << QByteArray("Expr(UnaryOp(Not, Name('a')))");
  QTest::newRow("not not a") << QByteArray("not not a")
                             << QByteArray("Expr(UnaryOp(Not, UnaryOp(Not, Name('a'))))");
  QTest::newRow("a < b <= c == d != e > f >= g")
      << QByteArray("a < b <= c == d != e > f >= g")
      << QByteArray(
             "Expr(Compare(Name('a'), [Lt, LtE, Eq, NotEq, Gt, GtE], [Name('b'), Name('c'), "
             "Name('d'), Name('e'), Name('f'), Name('g')]))");
  QTest::newRow("a in b") << QByteArray("a in b")
                          << QByteArray("Expr(Compare(Name('a'), [In], [Name('b')]))");
  QTest::newRow("a not in b") << QByteArray("a not in b")
                              << QByteArray("Expr(Compare(Name('a'), [NotIn], [Name('b')]))");
  QTest::newRow("a is b") << QByteArray("a is b")
                          << QByteArray("Expr(Compare(Name('a'), [Is], [Name('b')]))");
  QTest::newRow("a is not b") << QByteArray("a is not b")
                              << QByteArray("Expr(Compare(Name('a'), [IsNot], [Name('b')]))");
  QTest::newRow("a | b ^ c & d << e >> f + g - h * i / j // k ...")
      << QByteArray("a | b ^ c & d << e >> f + g - h * i / j // k % l @ m")
      << QByteArray(
             "Expr(BinOp(Name('a'), BitOr, BinOp(Name('b'), BitXor, BinOp(Name('c'), BitAnd, "
             "BinOp(BinOp(Name('d'), LShift, Name('e')), RShift, BinOp(BinOp(Name('f'), Add, "
             "Name('g')), Sub, BinOp(BinOp(BinOp(BinOp(BinOp(Name('h'), Mult, Name('i')), Div, "
             "Name('j')), FloorDiv, Name('k')), Mod, Name('l')), MatMult, Name('m'))))))))");
  QTest::newRow("-x") << QByteArray("-x") << QByteArray("Expr(UnaryOp(USub, Name('x')))");
  QTest::newRow("+x") << QByteArray("+x") << QByteArray("Expr(UnaryOp(UAdd, Name('x')))");
  QTest::newRow("~x") << QByteArray("~x") << QByteArray("Expr(UnaryOp(Invert, Name('x')))");
  QTest::newRow("-2**2") << QByteArray("-2**2")
                         << QByteArray("Expr(UnaryOp(USub, BinOp(Constant(2), Pow, Constant(2))))");
  QTest::newRow("2**-1") << QByteArray("2**-1")
                         << QByteArray("Expr(BinOp(Constant(2), Pow, UnaryOp(USub, Constant(1))))");
  QTest::newRow("2**3**4")
      << QByteArray("2**3**4")
      << QByteArray("Expr(BinOp(Constant(2), Pow, BinOp(Constant(3), Pow, Constant(4))))");
  QTest::newRow("-a ** -b")
      << QByteArray("-a ** -b")
      << QByteArray("Expr(UnaryOp(USub, BinOp(Name('a'), Pow, UnaryOp(USub, Name('b')))))");
  QTest::newRow("async def f():⏎    return await a ** 2")
      << QByteArray("async def f():\n    return await a ** 2")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Return(BinOp(Await(Name('a')), Pow, "
             "Constant(2)))])");
  QTest::newRow("async def f():⏎    return -await a")
      << QByteArray("async def f():\n    return -await a")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Return(UnaryOp(USub, Await(Name('a'))))])");
  QTest::newRow("f(a, *b, c=1, **d)")
      << QByteArray("f(a, *b, c=1, **d)")
      << QByteArray(
             "Expr(Call(Name('f'), [Name('a'), Starred(Name('b'))], keywords=[keyword('c', "
             "Constant(1)), keyword(Name('d'))]))");
  QTest::newRow("f(*a, *b, **c, **d)")
      << QByteArray("f(*a, *b, **c, **d)")
      << QByteArray(
             "Expr(Call(Name('f'), [Starred(Name('a')), Starred(Name('b'))], "
             "keywords=[keyword(Name('c')), keyword(Name('d'))]))");
  QTest::newRow("f(a, k=1, *b)") << QByteArray("f(a, k=1, *b)")
                                 << QByteArray(
                                        "Expr(Call(Name('f'), [Name('a'), Starred(Name('b'))], "
                                        "keywords=[keyword('k', Constant(1))]))");
  QTest::newRow("sum(x for x in y)") << QByteArray("sum(x for x in y)")
                                     << QByteArray(
                                            "Expr(Call(Name('sum'), [GeneratorExp(Name('x'), "
                                            "[comprehension(Name('x', Store), Name('y'))])]))");
  QTest::newRow("sum((x for x in y), 0)")
      << QByteArray("sum((x for x in y), 0)")
      << QByteArray(
             "Expr(Call(Name('sum'), [GeneratorExp(Name('x'), [comprehension(Name('x', Store), "
             "Name('y'))]), Constant(0)]))");
  QTest::newRow("f(x for x in y if x)")
      << QByteArray("f(x for x in y if x)")
      << QByteArray(
             "Expr(Call(Name('f'), [GeneratorExp(Name('x'), [comprehension(Name('x', Store), "
             "Name('y'), ifs=[Name('x')])])]))");
  QTest::newRow("a[1:2]")
      << QByteArray("a[1:2]")
      << QByteArray("Expr(Subscript(Name('a'), Slice(lower=Constant(1), upper=Constant(2))))");
  QTest::newRow("a[::2]") << QByteArray("a[::2]")
                          << QByteArray("Expr(Subscript(Name('a'), Slice(step=Constant(2))))");
  QTest::newRow("a[:]") << QByteArray("a[:]") << QByteArray("Expr(Subscript(Name('a'), Slice()))");
  QTest::newRow("a[1:]") << QByteArray("a[1:]")
                         << QByteArray("Expr(Subscript(Name('a'), Slice(lower=Constant(1))))");
  QTest::newRow("a[:2]") << QByteArray("a[:2]")
                         << QByteArray("Expr(Subscript(Name('a'), Slice(upper=Constant(2))))");
  QTest::newRow("a[1:2:3]") << QByteArray("a[1:2:3]")
                            << QByteArray(
                                   "Expr(Subscript(Name('a'), Slice(lower=Constant(1), "
                                   "upper=Constant(2), step=Constant(3))))");
  QTest::newRow("a[1:2, 3]") << QByteArray("a[1:2, 3]")
                             << QByteArray(
                                    "Expr(Subscript(Name('a'), Tuple([Slice(lower=Constant(1), "
                                    "upper=Constant(2)), Constant(3)])))");
  QTest::newRow("a[1, 2]") << QByteArray("a[1, 2]")
                           << QByteArray(
                                  "Expr(Subscript(Name('a'), Tuple([Constant(1), Constant(2)])))");
  QTest::newRow("a[(1, 2)]")
      << QByteArray("a[(1, 2)]")
      << QByteArray("Expr(Subscript(Name('a'), Tuple([Constant(1), Constant(2)])))");
  QTest::newRow("a[*b]") << QByteArray("a[*b]")
                         << QByteArray("Expr(Subscript(Name('a'), Tuple([Starred(Name('b'))])))");
  QTest::newRow("a[x := 1]")
      << QByteArray("a[x := 1]")
      << QByteArray("Expr(Subscript(Name('a'), NamedExpr(Name('x', Store), Constant(1))))");
  QTest::newRow("a.b.c") << QByteArray("a.b.c")
                         << QByteArray("Expr(Attribute(Attribute(Name('a'), 'b'), 'c'))");
  QTest::newRow("a.b().c[0](1)") << QByteArray("a.b().c[0](1)")
                                 << QByteArray(
                                        "Expr(Call(Subscript(Attribute(Call(Attribute(Name('a'), "
                                        "'b'), []), 'c'), Constant(0)), [Constant(1)]))");
  QTest::newRow("x") << QByteArray("x") << QByteArray("Expr(Name('x'))");
  QTest::newRow("1") << QByteArray("1") << QByteArray("Expr(Constant(1))");
  QTest::newRow("1.5") << QByteArray("1.5") << QByteArray("Expr(Constant(1.5))");
  QTest::newRow("0x1F") << QByteArray("0x1F") << QByteArray("Expr(Constant(31))");
  QTest::newRow("0o17") << QByteArray("0o17") << QByteArray("Expr(Constant(15))");
  QTest::newRow("0b1010") << QByteArray("0b1010") << QByteArray("Expr(Constant(10))");
  QTest::newRow("1_000_000") << QByteArray("1_000_000") << QByteArray("Expr(Constant(1000000))");
  QTest::newRow("1.") << QByteArray("1.") << QByteArray("Expr(Constant(1.0))");
  QTest::newRow(".5") << QByteArray(".5") << QByteArray("Expr(Constant(0.5))");
  QTest::newRow("1e-3") << QByteArray("1e-3") << QByteArray("Expr(Constant(0.001))");
  QTest::newRow("1E5") << QByteArray("1E5") << QByteArray("Expr(Constant(100000.0))");
  QTest::newRow("0") << QByteArray("0") << QByteArray("Expr(Constant(0))");
  QTest::newRow("00") << QByteArray("00") << QByteArray("Expr(Constant(0))");
  QTest::newRow("0.0") << QByteArray("0.0") << QByteArray("Expr(Constant(0.0))");
  QTest::newRow("1e308") << QByteArray("1e308") << QByteArray("Expr(Constant(1e+308))");
  QTest::newRow("1e400") << QByteArray("1e400") << QByteArray("Expr(Constant(inf))");
  QTest::newRow("0_0") << QByteArray("0_0") << QByteArray("Expr(Constant(0))");
  QTest::newRow("0xff_ff") << QByteArray("0xff_ff") << QByteArray("Expr(Constant(65535))");
  QTest::newRow("9223372036854775807")
      << QByteArray("9223372036854775807") << QByteArray("Expr(Constant(9223372036854775807))");
  QTest::newRow("1_0.5_5e1_0") << QByteArray("1_0.5_5e1_0")
                               << QByteArray("Expr(Constant(105500000000.0))");
  QTest::newRow("'abc'") << QByteArray("'abc'") << QByteArray("Expr(Constant('abc'))");
  QTest::newRow("\"abc\"") << QByteArray("\"abc\"") << QByteArray("Expr(Constant('abc'))");
  QTest::newRow("'''abc⏎def'''") << QByteArray("'''abc\ndef'''")
                                 << QByteArray("Expr(Constant('abc\\ndef'))");
  QTest::newRow("\"\"\"a\"b\"\"\"")
      << QByteArray("\"\"\"a\"b\"\"\"") << QByteArray("Expr(Constant('a\"b'))");
  QTest::newRow("r'\\n'") << QByteArray("r'\\n'") << QByteArray("Expr(Constant('\\\\n'))");
  QTest::newRow("R\"\\d\"") << QByteArray("R\"\\d\"") << QByteArray("Expr(Constant('\\\\d'))");
  QTest::newRow("b'abc'") << QByteArray("b'abc'") << QByteArray("Expr(Constant(b'abc'))");
  QTest::newRow("B\"abc\"") << QByteArray("B\"abc\"") << QByteArray("Expr(Constant(b'abc'))");
  QTest::newRow("rb'\\x00'") << QByteArray("rb'\\x00'") << QByteArray("Expr(Constant(b'\\\\x00'))");
  QTest::newRow("br'\\d'") << QByteArray("br'\\d'") << QByteArray("Expr(Constant(b'\\\\d'))");
  QTest::newRow("Rb'x'") << QByteArray("Rb'x'") << QByteArray("Expr(Constant(b'x'))");
  QTest::newRow("u'abc'") << QByteArray("u'abc'") << QByteArray("Expr(Constant('abc'))");
  QTest::newRow("U\"abc\"") << QByteArray("U\"abc\"") << QByteArray("Expr(Constant('abc'))");
  QTest::newRow("'\\n\\t\\r\\\\\\'\\\"\\a\\b\\f\\v\\0'")
      << QByteArray("'\\n\\t\\r\\\\\\'\\\"\\a\\b\\f\\v\\0'")
      << QByteArray("Expr(Constant('\\n\\t\\r\\\\\\'\"\\x07\\x08\\x0c\\x0b\\x00'))");
  QTest::newRow("'\\101\\7\\77'") << QByteArray("'\\101\\7\\77'")
                                  << QByteArray("Expr(Constant('A\\x07?'))");
  QTest::newRow("'\\x41\\u00e9\\U0001F600'")
      << QByteArray("'\\x41\\u00e9\\U0001F600'") << QByteArray("Expr(Constant('Aé😀'))");
  QTest::newRow("b'\\x41\\101\\n\\u1234'")
      << QByteArray("b'\\x41\\101\\n\\u1234'") << QByteArray("Expr(Constant(b'AA\\n\\\\u1234'))");
  QTest::newRow("'a\\⏎b'") << QByteArray("'a\\\nb'") << QByteArray("Expr(Constant('ab'))");
  QTest::newRow("'\\q\\d'") << QByteArray("'\\q\\d'") << QByteArray("Expr(Constant('\\\\q\\\\d'))");
  QTest::newRow("'é日本'") << QByteArray("'é日本'") << QByteArray("Expr(Constant('é日本'))");
  QTest::newRow("'a' 'b'") << QByteArray("'a' 'b'") << QByteArray("Expr(Constant('ab'))");
  QTest::newRow("'a' \"b\" '''c'''")
      << QByteArray("'a' \"b\" '''c'''") << QByteArray("Expr(Constant('abc'))");
  QTest::newRow("b'a' b'b'") << QByteArray("b'a' b'b'") << QByteArray("Expr(Constant(b'ab'))");
  QTest::newRow("f'a' 'b'") << QByteArray("f'a' 'b'")
                            << QByteArray("Expr(JoinedStr([Constant('ab')]))");
  QTest::newRow("'a' f'{x}' 'b' f'c'")
      << QByteArray("'a' f'{x}' 'b' f'c'")
      << QByteArray("Expr(JoinedStr([Constant('a'), FormattedValue(Name('x')), Constant('bc')]))");
  QTest::newRow("f''") << QByteArray("f''") << QByteArray("Expr(JoinedStr([]))");
  QTest::newRow("f'' 'a'") << QByteArray("f'' 'a'")
                           << QByteArray("Expr(JoinedStr([Constant('a')]))");
  QTest::newRow("f'{x}'") << QByteArray("f'{x}'")
                          << QByteArray("Expr(JoinedStr([FormattedValue(Name('x'))]))");
  QTest::newRow("f'{x!r}'") << QByteArray("f'{x!r}'")
                            << QByteArray(
                                   "Expr(JoinedStr([FormattedValue(Name('x'), conversion='r')]))");
  QTest::newRow("f'{x!s}'") << QByteArray("f'{x!s}'")
                            << QByteArray(
                                   "Expr(JoinedStr([FormattedValue(Name('x'), conversion='s')]))");
  QTest::newRow("f'{x!a}'") << QByteArray("f'{x!a}'")
                            << QByteArray(
                                   "Expr(JoinedStr([FormattedValue(Name('x'), conversion='a')]))");
  QTest::newRow("f'{x:>10}'") << QByteArray("f'{x:>10}'")
                              << QByteArray(
                                     "Expr(JoinedStr([FormattedValue(Name('x'), "
                                     "format_spec=JoinedStr([Constant('>10')]))]))");
  QTest::newRow("f'{x:{w}.{p}f}'")
      << QByteArray("f'{x:{w}.{p}f}'")
      << QByteArray(
             "Expr(JoinedStr([FormattedValue(Name('x'), "
             "format_spec=JoinedStr([FormattedValue(Name('w')), Constant('.'), "
             "FormattedValue(Name('p')), Constant('f')]))]))");
  QTest::newRow("f'{x=}'")
      << QByteArray("f'{x=}'")
      << QByteArray("Expr(JoinedStr([Constant('x='), FormattedValue(Name('x'), conversion='r')]))");
  QTest::newRow("f'{x = }'")
      << QByteArray("f'{x = }'")
      << QByteArray(
             "Expr(JoinedStr([Constant('x = '), FormattedValue(Name('x'), conversion='r')]))");
  QTest::newRow("f'{x=!s}'")
      << QByteArray("f'{x=!s}'")
      << QByteArray("Expr(JoinedStr([Constant('x='), FormattedValue(Name('x'), conversion='s')]))");
  QTest::newRow("f'{x=:>5}'") << QByteArray("f'{x=:>5}'")
                              << QByteArray(
                                     "Expr(JoinedStr([Constant('x='), FormattedValue(Name('x'), "
                                     "format_spec=JoinedStr([Constant('>5')]))]))");
  QTest::newRow("f'{x=!r:>5}'")
      << QByteArray("f'{x=!r:>5}'")
      << QByteArray(
             "Expr(JoinedStr([Constant('x='), FormattedValue(Name('x'), conversion='r', "
             "format_spec=JoinedStr([Constant('>5')]))]))");
  QTest::newRow("f'a{x=}b'") << QByteArray("f'a{x=}b'")
                             << QByteArray(
                                    "Expr(JoinedStr([Constant('ax='), FormattedValue(Name('x'), "
                                    "conversion='r'), Constant('b')]))");
  QTest::newRow("f\"{a['k']}\"")
      << QByteArray("f\"{a['k']}\"")
      << QByteArray("Expr(JoinedStr([FormattedValue(Subscript(Name('a'), Constant('k')))]))");
  QTest::newRow("f'{a[\"k\"]}'")
      << QByteArray("f'{a[\"k\"]}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Subscript(Name('a'), Constant('k')))]))");
  QTest::newRow("f'{\"a\" if c else \"b\"}'")
      << QByteArray("f'{\"a\" if c else \"b\"}'")
      << QByteArray(
             "Expr(JoinedStr([FormattedValue(IfExp(Name('c'), Constant('a'), Constant('b')))]))");
  QTest::newRow("f'{x!r:>10}'") << QByteArray("f'{x!r:>10}'")
                                << QByteArray(
                                       "Expr(JoinedStr([FormattedValue(Name('x'), conversion='r', "
                                       "format_spec=JoinedStr([Constant('>10')]))]))");
  QTest::newRow("f'{{}}'") << QByteArray("f'{{}}'")
                           << QByteArray("Expr(JoinedStr([Constant('{}')]))");
  QTest::newRow("f'{{x}}'") << QByteArray("f'{{x}}'")
                            << QByteArray("Expr(JoinedStr([Constant('{x}')]))");
  QTest::newRow("f'{{{x}}}'")
      << QByteArray("f'{{{x}}}'")
      << QByteArray("Expr(JoinedStr([Constant('{'), FormattedValue(Name('x')), Constant('}')]))");
  QTest::newRow("f'{(lambda: 1)()}'")
      << QByteArray("f'{(lambda: 1)()}'")
      << QByteArray(
             "Expr(JoinedStr([FormattedValue(Call(Lambda(arguments(), Constant(1)), []))]))");
  QTest::newRow("f'{ {\"a\": 1}[\"a\"] }'")
      << QByteArray("f'{ {\"a\": 1}[\"a\"] }'")
      << QByteArray(
             "Expr(JoinedStr([FormattedValue(Subscript(Dict([Constant('a')], [Constant(1)]), "
             "Constant('a')))]))");
  QTest::newRow("f'{x:{y}}'") << QByteArray("f'{x:{y}}'")
                              << QByteArray(
                                     "Expr(JoinedStr([FormattedValue(Name('x'), "
                                     "format_spec=JoinedStr([FormattedValue(Name('y'))]))]))");
  QTest::newRow("f'{a, b}'")
      << QByteArray("f'{a, b}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Tuple([Name('a'), Name('b')]))]))");
  QTest::newRow("f'{x for x in y}'") << QByteArray("f'{x for x in y}'")
                                     << QByteArray(
                                            "Expr(JoinedStr([FormattedValue(GeneratorExp(Name('x'),"
                                            " [comprehension(Name('x', Store), Name('y'))]))]))");
  QTest::newRow("f'{x:=5}'") << QByteArray("f'{x:=5}'")
                             << QByteArray(
                                    "Expr(JoinedStr([FormattedValue(Name('x'), "
                                    "format_spec=JoinedStr([Constant('=5')]))]))");
  QTest::newRow("f'{(x:=5)}'")
      << QByteArray("f'{(x:=5)}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(NamedExpr(Name('x', Store), Constant(5)))]))");
  QTest::newRow("f'{x!=y}'")
      << QByteArray("f'{x!=y}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Compare(Name('x'), [NotEq], [Name('y')]))]))");
  QTest::newRow("f'{x==y}'")
      << QByteArray("f'{x==y}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Compare(Name('x'), [Eq], [Name('y')]))]))");
  QTest::newRow("f'{x<y}'")
      << QByteArray("f'{x<y}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Compare(Name('x'), [Lt], [Name('y')]))]))");
  QTest::newRow("f'{x>=y}'")
      << QByteArray("f'{x>=y}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Compare(Name('x'), [GtE], [Name('y')]))]))");
  QTest::newRow("f'{x:}'")
      << QByteArray("f'{x:}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Name('x'), format_spec=JoinedStr([]))]))");
  QTest::newRow("f'''{⏎x⏎}'''") << QByteArray("f'''{\nx\n}'''")
                                << QByteArray("Expr(JoinedStr([FormattedValue(Name('x'))]))");
  QTest::newRow("f'''a⏎{x}⏎b'''")
      << QByteArray("f'''a\n{x}\nb'''")
      << QByteArray(
             "Expr(JoinedStr([Constant('a\\n'), FormattedValue(Name('x')), Constant('\\nb')]))");
  QTest::newRow("rf'\\n{x}'")
      << QByteArray("rf'\\n{x}'")
      << QByteArray("Expr(JoinedStr([Constant('\\\\n'), FormattedValue(Name('x'))]))");
  QTest::newRow("fr'{x}\\d'")
      << QByteArray("fr'{x}\\d'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Name('x')), Constant('\\\\d')]))");
  QTest::newRow("F'{x}'") << QByteArray("F'{x}'")
                          << QByteArray("Expr(JoinedStr([FormattedValue(Name('x'))]))");
  QTest::newRow("f'\\n{x}\\t'")
      << QByteArray("f'\\n{x}\\t'")
      << QByteArray(
             "Expr(JoinedStr([Constant('\\n'), FormattedValue(Name('x')), Constant('\\t')]))");
  QTest::newRow("f'{f\"{x}\"}'")
      << QByteArray("f'{f\"{x}\"}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(JoinedStr([FormattedValue(Name('x'))]))]))");
  QTest::newRow("f'{x}' f'{y}'")
      << QByteArray("f'{x}' f'{y}'")
      << QByteArray("Expr(JoinedStr([FormattedValue(Name('x')), FormattedValue(Name('y'))]))");
  QTest::newRow("f'{3.14:.2f}'") << QByteArray("f'{3.14:.2f}'")
                                 << QByteArray(
                                        "Expr(JoinedStr([FormattedValue(Constant(3.14), "
                                        "format_spec=JoinedStr([Constant('.2f')]))]))");
  QTest::newRow("f'{x:%Y-%m-%d}'") << QByteArray("f'{x:%Y-%m-%d}'")
                                   << QByteArray(
                                          "Expr(JoinedStr([FormattedValue(Name('x'), "
                                          "format_spec=JoinedStr([Constant('%Y-%m-%d')]))]))");
  QTest::newRow("f'{x!r:^{w}}'")
      << QByteArray("f'{x!r:^{w}}'")
      << QByteArray(
             "Expr(JoinedStr([FormattedValue(Name('x'), conversion='r', "
             "format_spec=JoinedStr([Constant('^'), FormattedValue(Name('w'))]))]))");
  QTest::newRow("f'{x:{\"<\"}10}'")
      << QByteArray("f'{x:{\"<\"}10}'")
      << QByteArray(
             "Expr(JoinedStr([FormattedValue(Name('x'), "
             "format_spec=JoinedStr([FormattedValue(Constant('<')), Constant('10')]))]))");
  QTest::newRow("True") << QByteArray("True") << QByteArray("Expr(Constant(True))");
  QTest::newRow("False") << QByteArray("False") << QByteArray("Expr(Constant(False))");
  QTest::newRow("None") << QByteArray("None") << QByteArray("Expr(Constant(None))");
  QTest::newRow("...") << QByteArray("...") << QByteArray("Expr(Constant(Ellipsis))");
  QTest::newRow("(1)") << QByteArray("(1)") << QByteArray("Expr(Constant(1))");
  QTest::newRow("()") << QByteArray("()") << QByteArray("Expr(Tuple([]))");
  QTest::newRow("(1,)") << QByteArray("(1,)") << QByteArray("Expr(Tuple([Constant(1)]))");
  QTest::newRow("1,") << QByteArray("1,") << QByteArray("Expr(Tuple([Constant(1)]))");
  QTest::newRow("a, b") << QByteArray("a, b") << QByteArray("Expr(Tuple([Name('a'), Name('b')]))");
  QTest::newRow("(a, b)") << QByteArray("(a, b)")
                          << QByteArray("Expr(Tuple([Name('a'), Name('b')]))");
  QTest::newRow("[]") << QByteArray("[]") << QByteArray("Expr(List([]))");
  QTest::newRow("[1]") << QByteArray("[1]") << QByteArray("Expr(List([Constant(1)]))");
  QTest::newRow("[1, 2,]") << QByteArray("[1, 2,]")
                           << QByteArray("Expr(List([Constant(1), Constant(2)]))");
  QTest::newRow("{}") << QByteArray("{}") << QByteArray("Expr(Dict([], []))");
  QTest::newRow("{1: 2}") << QByteArray("{1: 2}")
                          << QByteArray("Expr(Dict([Constant(1)], [Constant(2)]))");
  QTest::newRow("{1: 2, **d, 3: 4}")
      << QByteArray("{1: 2, **d, 3: 4}")
      << QByteArray(
             "Expr(Dict([Constant(1), None, Constant(3)], [Constant(2), Name('d'), Constant(4)]))");
  QTest::newRow("{**a, **b}") << QByteArray("{**a, **b}")
                              << QByteArray("Expr(Dict([None, None], [Name('a'), Name('b')]))");
  QTest::newRow("{1}") << QByteArray("{1}") << QByteArray("Expr(Set([Constant(1)]))");
  QTest::newRow("{1, 2}") << QByteArray("{1, 2}")
                          << QByteArray("Expr(Set([Constant(1), Constant(2)]))");
  QTest::newRow("{*a, 1}") << QByteArray("{*a, 1}")
                           << QByteArray("Expr(Set([Starred(Name('a')), Constant(1)]))");
  QTest::newRow("[*a, *b]") << QByteArray("[*a, *b]")
                            << QByteArray("Expr(List([Starred(Name('a')), Starred(Name('b'))]))");
  QTest::newRow("(*a, *b)") << QByteArray("(*a, *b)")
                            << QByteArray("Expr(Tuple([Starred(Name('a')), Starred(Name('b'))]))");
  QTest::newRow("*a, b = c") << QByteArray("*a, b = c")
                             << QByteArray(
                                    "Assign([Tuple([Starred(Name('a', Store), Store), Name('b', "
                                    "Store)], Store)], Name('c'))");
  QTest::newRow("[x for x in y]")
      << QByteArray("[x for x in y]")
      << QByteArray("Expr(ListComp(Name('x'), [comprehension(Name('x', Store), Name('y'))]))");
  QTest::newRow("[x for x in y if x if z]")
      << QByteArray("[x for x in y if x if z]")
      << QByteArray(
             "Expr(ListComp(Name('x'), [comprehension(Name('x', Store), Name('y'), ifs=[Name('x'), "
             "Name('z')])]))");
  QTest::newRow("[x for x in y for z in x]")
      << QByteArray("[x for x in y for z in x]")
      << QByteArray(
             "Expr(ListComp(Name('x'), [comprehension(Name('x', Store), Name('y')), "
             "comprehension(Name('z', Store), Name('x'))]))");
  QTest::newRow("[(x, y) for x in a if x for y in b if y]")
      << QByteArray("[(x, y) for x in a if x for y in b if y]")
      << QByteArray(
             "Expr(ListComp(Tuple([Name('x'), Name('y')]), [comprehension(Name('x', Store), "
             "Name('a'), ifs=[Name('x')]), comprehension(Name('y', Store), Name('b'), "
             "ifs=[Name('y')])]))");
  QTest::newRow("{x for x in y}")
      << QByteArray("{x for x in y}")
      << QByteArray("Expr(SetComp(Name('x'), [comprehension(Name('x', Store), Name('y'))]))");
  QTest::newRow("{k: v for k, v in d.items()}")
      << QByteArray("{k: v for k, v in d.items()}")
      << QByteArray(
             "Expr(DictComp(Name('k'), Name('v'), [comprehension(Tuple([Name('k', Store), "
             "Name('v', Store)], Store), Call(Attribute(Name('d'), 'items'), []))]))");
  QTest::newRow("(x for x in y)")
      << QByteArray("(x for x in y)")
      << QByteArray("Expr(GeneratorExp(Name('x'), [comprehension(Name('x', Store), Name('y'))]))");
  QTest::newRow("async def f():⏎    return [x async for x in y]")
      << QByteArray("async def f():\n    return [x async for x in y]")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Return(ListComp(Name('x'), "
             "[comprehension(Name('x', Store), Name('y'), is_async=True)]))])");
  QTest::newRow("async def f():⏎    return [await x for x in y]")
      << QByteArray("async def f():\n    return [await x for x in y]")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Return(ListComp(Await(Name('x')), "
             "[comprehension(Name('x', Store), Name('y'))]))])");
  QTest::newRow("async def f():⏎    return {x: await y async f...")
      << QByteArray("async def f():\n    return {x: await y async for x in z}")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Return(DictComp(Name('x'), Await(Name('y')), "
             "[comprehension(Name('x', Store), Name('z'), is_async=True)]))])");
  QTest::newRow("[x for x, in y]")
      << QByteArray("[x for x, in y]")
      << QByteArray(
             "Expr(ListComp(Name('x'), [comprehension(Tuple([Name('x', Store)], Store), "
             "Name('y'))]))");
  QTest::newRow("[x for (a, b) in y]")
      << QByteArray("[x for (a, b) in y]")
      << QByteArray(
             "Expr(ListComp(Name('x'), [comprehension(Tuple([Name('a', Store), Name('b', Store)], "
             "Store), Name('y'))]))");
  QTest::newRow("[x for *a, b in y]")
      << QByteArray("[x for *a, b in y]")
      << QByteArray(
             "Expr(ListComp(Name('x'), [comprehension(Tuple([Starred(Name('a', Store), Store), "
             "Name('b', Store)], Store), Name('y'))]))");
  QTest::newRow("(x := 1)") << QByteArray("(x := 1)")
                            << QByteArray("Expr(NamedExpr(Name('x', Store), Constant(1)))");
  QTest::newRow("[y := f(x), y**2]")
      << QByteArray("[y := f(x), y**2]")
      << QByteArray(
             "Expr(List([NamedExpr(Name('y', Store), Call(Name('f'), [Name('x')])), "
             "BinOp(Name('y'), Pow, Constant(2))]))");
  QTest::newRow("if (n := len(a)) > 10: pass")
      << QByteArray("if (n := len(a)) > 10: pass")
      << QByteArray(
             "If(Compare(NamedExpr(Name('n', Store), Call(Name('len'), [Name('a')])), [Gt], "
             "[Constant(10)]), [Pass()])");
  QTest::newRow("while (line := f()): pass")
      << QByteArray("while (line := f()): pass")
      << QByteArray("While(NamedExpr(Name('line', Store), Call(Name('f'), [])), [Pass()])");
  QTest::newRow("print((x := 1), x)")
      << QByteArray("print((x := 1), x)")
      << QByteArray(
             "Expr(Call(Name('print'), [NamedExpr(Name('x', Store), Constant(1)), Name('x')]))");
  QTest::newRow("f(x := 1)")
      << QByteArray("f(x := 1)")
      << QByteArray("Expr(Call(Name('f'), [NamedExpr(Name('x', Store), Constant(1))]))");
  QTest::newRow("x = (yield_ := 1)")
      << QByteArray("x = (yield_ := 1)")
      << QByteArray("Assign([Name('x', Store)], NamedExpr(Name('yield_', Store), Constant(1)))");
  QTest::newRow("match = 1") << QByteArray("match = 1")
                             << QByteArray("Assign([Name('match', Store)], Constant(1))");
  QTest::newRow("match(x)") << QByteArray("match(x)")
                            << QByteArray("Expr(Call(Name('match'), [Name('x')]))");
  QTest::newRow("match.x") << QByteArray("match.x")
                           << QByteArray("Expr(Attribute(Name('match'), 'x'))");
  QTest::newRow("case = 1") << QByteArray("case = 1")
                            << QByteArray("Assign([Name('case', Store)], Constant(1))");
  QTest::newRow("type = 1") << QByteArray("type = 1")
                            << QByteArray("Assign([Name('type', Store)], Constant(1))");
  QTest::newRow("type(x)") << QByteArray("type(x)")
                           << QByteArray("Expr(Call(Name('type'), [Name('x')]))");
  QTest::newRow("_ = 1") << QByteArray("_ = 1")
                         << QByteArray("Assign([Name('_', Store)], Constant(1))");
  QTest::newRow("print(1, file=x)")
      << QByteArray("print(1, file=x)")
      << QByteArray(
             "Expr(Call(Name('print'), [Constant(1)], keywords=[keyword('file', Name('x'))]))");
  QTest::newRow("print()") << QByteArray("print()") << QByteArray("Expr(Call(Name('print'), []))");
  QTest::newRow("x = [⏎    1,⏎    2,⏎]")
      << QByteArray("x = [\n    1,\n    2,\n]")
      << QByteArray("Assign([Name('x', Store)], List([Constant(1), Constant(2)]))");
  QTest::newRow("x = (1 +⏎     2)")
      << QByteArray("x = (1 +\n     2)")
      << QByteArray("Assign([Name('x', Store)], BinOp(Constant(1), Add, Constant(2)))");
  QTest::newRow("x = 1 + \\⏎    2")
      << QByteArray("x = 1 + \\\n    2")
      << QByteArray("Assign([Name('x', Store)], BinOp(Constant(1), Add, Constant(2)))");
  QTest::newRow("if a and \\⏎   b:⏎    pass")
      << QByteArray("if a and \\\n   b:\n    pass")
      << QByteArray("If(BoolOp(And, [Name('a'), Name('b')]), [Pass()])");
  QTest::newRow("# comment⏎x = 1  # trailing⏎# final")
      << QByteArray("# comment\nx = 1  # trailing\n# final")
      << QByteArray("Assign([Name('x', Store)], Constant(1))");
  QTest::newRow("x = 1⏎# comment at end") << QByteArray("x = 1\n# comment at end")
                                          << QByteArray("Assign([Name('x', Store)], Constant(1))");
  QTest::newRow("⏎⏎x = 1⏎⏎") << QByteArray("\n\nx = 1\n\n")
                             << QByteArray("Assign([Name('x', Store)], Constant(1))");
  QTest::newRow("def f():⏎    x = 1⏎⏎    return x")
      << QByteArray("def f():\n    x = 1\n\n    return x")
      << QByteArray(
             "FunctionDef('f', arguments(), [Assign([Name('x', Store)], Constant(1)), "
             "Return(Name('x'))])");
  QTest::newRow("def f():⏎    x = 1⏎        # odd comment inde...")
      << QByteArray("def f():\n    x = 1\n        # odd comment indentation\n    return x")
      << QByteArray(
             "FunctionDef('f', arguments(), [Assign([Name('x', Store)], Constant(1)), "
             "Return(Name('x'))])");
  QTest::newRow("if x:⏎→y = 1") << QByteArray("if x:\n\ty = 1")
                                << QByteArray(
                                       "If(Name('x'), [Assign([Name('y', Store)], Constant(1))])");
  QTest::newRow("if x:⏎        y = 1")
      << QByteArray("if x:\n        y = 1")
      << QByteArray("If(Name('x'), [Assign([Name('y', Store)], Constant(1))])");
  QTest::newRow("if x:⏎    if y:⏎        pass⏎    else:⏎      ...")
      << QByteArray("if x:\n    if y:\n        pass\n    else:\n        pass")
      << QByteArray("If(Name('x'), [If(Name('y'), [Pass()], orelse=[Pass()])])");
  QTest::newRow("def f():⏎    \"\"\"Docstring.\"\"\"")
      << QByteArray("def f():\n    \"\"\"Docstring.\"\"\"")
      << QByteArray(
             "FunctionDef('f', arguments(), [Expr(Constant('Docstring.'))], "
             "docstring='Docstring.')");
  QTest::newRow("def f():⏎    '''Doc⏎    string.'''⏎    pass")
      << QByteArray("def f():\n    '''Doc\n    string.'''\n    pass")
      << QByteArray(
             "FunctionDef('f', arguments(), [Expr(Constant('Doc\\n    string.')), Pass()], "
             "docstring='Doc\\n    string.')");
  QTest::newRow("def f():⏎    f\"not a docstring {x}\"")
      << QByteArray("def f():\n    f\"not a docstring {x}\"")
      << QByteArray(
             "FunctionDef('f', arguments(), [Expr(JoinedStr([Constant('not a docstring '), "
             "FormattedValue(Name('x'))]))])");
  QTest::newRow("def f():⏎    b\"not a docstring\"")
      << QByteArray("def f():\n    b\"not a docstring\"")
      << QByteArray("FunctionDef('f', arguments(), [Expr(Constant(b'not a docstring'))])");
  QTest::newRow("def f():⏎    x = \"not a docstring\"")
      << QByteArray("def f():\n    x = \"not a docstring\"")
      << QByteArray(
             "FunctionDef('f', arguments(), [Assign([Name('x', Store)], Constant('not a "
             "docstring'))])");
  QTest::newRow("é = 1") << QByteArray("é = 1")
                         << QByteArray("Assign([Name('é', Store)], Constant(1))");
  QTest::newRow("日本 = 2") << QByteArray("日本 = 2")
                            << QByteArray("Assign([Name('日本', Store)], Constant(2))");
  QTest::newRow("x = café") << QByteArray("x = café")
                            << QByteArray("Assign([Name('x', Store)], Name('café'))");
  QTest::newRow("class Ünicode: pass")
      << QByteArray("class Ünicode: pass") << QByteArray("ClassDef('Ünicode', [Pass()])");
  QTest::newRow("a[b:c, d:e]")
      << QByteArray("a[b:c, d:e]")
      << QByteArray(
             "Expr(Subscript(Name('a'), Tuple([Slice(lower=Name('b'), upper=Name('c')), "
             "Slice(lower=Name('d'), upper=Name('e'))])))");
  QTest::newRow("a[1:2,]")
      << QByteArray("a[1:2,]")
      << QByteArray(
             "Expr(Subscript(Name('a'), Tuple([Slice(lower=Constant(1), upper=Constant(2))])))");
  QTest::newRow("a[()]") << QByteArray("a[()]")
                         << QByteArray("Expr(Subscript(Name('a'), Tuple([])))");
  QTest::newRow("x = not a == b")
      << QByteArray("x = not a == b")
      << QByteArray(
             "Assign([Name('x', Store)], UnaryOp(Not, Compare(Name('a'), [Eq], [Name('b')])))");
  QTest::newRow("x = a if b else c if d else e")
      << QByteArray("x = a if b else c if d else e")
      << QByteArray(
             "Assign([Name('x', Store)], IfExp(Name('b'), Name('a'), IfExp(Name('d'), Name('c'), "
             "Name('e'))))");
  QTest::newRow("x = (a if b else c) if d else e")
      << QByteArray("x = (a if b else c) if d else e")
      << QByteArray(
             "Assign([Name('x', Store)], IfExp(Name('d'), IfExp(Name('b'), Name('a'), Name('c')), "
             "Name('e')))");
  QTest::newRow("x = lambda: (yield_)")
      << QByteArray("x = lambda: (yield_)")
      << QByteArray("Assign([Name('x', Store)], Lambda(arguments(), Name('yield_')))");
  QTest::newRow("x = lambda a: lambda b: a + b")
      << QByteArray("x = lambda a: lambda b: a + b")
      << QByteArray(
             "Assign([Name('x', Store)], Lambda(arguments(args=[arg('a')]), "
             "Lambda(arguments(args=[arg('b')]), BinOp(Name('a'), Add, Name('b')))))");
  QTest::newRow("x = [lambda: i for i in range(3)]")
      << QByteArray("x = [lambda: i for i in range(3)]")
      << QByteArray(
             "Assign([Name('x', Store)], ListComp(Lambda(arguments(), Name('i')), "
             "[comprehension(Name('i', Store), Call(Name('range'), [Constant(3)]))]))");
  QTest::newRow("x = a.b.c.d.e.f") << QByteArray("x = a.b.c.d.e.f")
                                   << QByteArray(
                                          "Assign([Name('x', Store)], "
                                          "Attribute(Attribute(Attribute(Attribute(Attribute(Name('"
                                          "a'), 'b'), 'c'), 'd'), 'e'), 'f'))");
  QTest::newRow("assert isinstance(x, int), f\"bad {x!r}\"")
      << QByteArray("assert isinstance(x, int), f\"bad {x!r}\"")
      << QByteArray(
             "Assert(Call(Name('isinstance'), [Name('x'), Name('int')]), JoinedStr([Constant('bad "
             "'), FormattedValue(Name('x'), conversion='r')]))");
  QTest::newRow("raise ValueError(\"x\") from exc")
      << QByteArray("raise ValueError(\"x\") from exc")
      << QByteArray("Raise(Call(Name('ValueError'), [Constant('x')]), cause=Name('exc'))");
  QTest::newRow("try:⏎    pass⏎except Exception as e:⏎    prin...")
      << QByteArray("try:\n    pass\nexcept Exception as e:\n    print(e)")
      << QByteArray(
             "Try([Pass()], [ExceptHandler(Name('Exception'), 'e', [Expr(Call(Name('print'), "
             "[Name('e')]))])])");
  QTest::newRow("for i, (a, b) in enumerate(c):⏎    pass")
      << QByteArray("for i, (a, b) in enumerate(c):\n    pass")
      << QByteArray(
             "For(Tuple([Name('i', Store), Tuple([Name('a', Store), Name('b', Store)], Store)], "
             "Store), Call(Name('enumerate'), [Name('c')]), [Pass()])");
  QTest::newRow("for x in *a, b:⏎    pass")
      << QByteArray("for x in *a, b:\n    pass")
      << QByteArray("For(Name('x', Store), Tuple([Starred(Name('a')), Name('b')]), [Pass()])");
  QTest::newRow("for x in a, b:⏎    pass")
      << QByteArray("for x in a, b:\n    pass")
      << QByteArray("For(Name('x', Store), Tuple([Name('a'), Name('b')]), [Pass()])");
  QTest::newRow("return_value = 1")
      << QByteArray("return_value = 1")
      << QByteArray("Assign([Name('return_value', Store)], Constant(1))");
  QTest::newRow("def f():⏎    return 1, 2")
      << QByteArray("def f():\n    return 1, 2")
      << QByteArray("FunctionDef('f', arguments(), [Return(Tuple([Constant(1), Constant(2)]))])");
  QTest::newRow("def f():⏎    return *a, b")
      << QByteArray("def f():\n    return *a, b")
      << QByteArray(
             "FunctionDef('f', arguments(), [Return(Tuple([Starred(Name('a')), Name('b')]))])");
  QTest::newRow("def f():⏎    return") << QByteArray("def f():\n    return")
                                       << QByteArray("FunctionDef('f', arguments(), [Return()])");
  QTest::newRow("def f(*, a): pass")
      << QByteArray("def f(*, a): pass")
      << QByteArray(
             "FunctionDef('f', arguments(kwonlyargs=[arg('a')], kw_defaults=[None]), [Pass()])");
  QTest::newRow("def f(a, *, b=1, c): pass")
      << QByteArray("def f(a, *, b=1, c): pass")
      << QByteArray(
             "FunctionDef('f', arguments(args=[arg('a')], kwonlyargs=[arg('b'), arg('c')], "
             "kw_defaults=[Constant(1), None]), [Pass()])");
  QTest::newRow("def f(**kwargs): pass")
      << QByteArray("def f(**kwargs): pass")
      << QByteArray("FunctionDef('f', arguments(kwarg=arg('kwargs')), [Pass()])");
  QTest::newRow("def f(*args): pass")
      << QByteArray("def f(*args): pass")
      << QByteArray("FunctionDef('f', arguments(vararg=arg('args')), [Pass()])");
  QTest::newRow("def f(a,): pass")
      << QByteArray("def f(a,): pass")
      << QByteArray("FunctionDef('f', arguments(args=[arg('a')]), [Pass()])");
  QTest::newRow("def f(a, b, /): pass")
      << QByteArray("def f(a, b, /): pass")
      << QByteArray("FunctionDef('f', arguments(args=[arg('a'), arg('b')]), [Pass()])");
  QTest::newRow("def f(a=1, /, b=2): pass")
      << QByteArray("def f(a=1, /, b=2): pass")
      << QByteArray(
             "FunctionDef('f', arguments(args=[arg('a'), arg('b')], defaults=[Constant(1), "
             "Constant(2)]), [Pass()])");
  QTest::newRow("x = {'a': 1,⏎     'b': 2}")
      << QByteArray("x = {'a': 1,\n     'b': 2}")
      << QByteArray(
             "Assign([Name('x', Store)], Dict([Constant('a'), Constant('b')], [Constant(1), "
             "Constant(2)]))");
  QTest::newRow("x = 1if y else 2")
      << QByteArray("x = 1if y else 2")
      << QByteArray("Assign([Name('x', Store)], IfExp(Name('y'), Constant(1), Constant(2)))");
  QTest::newRow("x = [1for x in y]") << QByteArray("x = [1for x in y]")
                                     << QByteArray(
                                            "Assign([Name('x', Store)], ListComp(Constant(1), "
                                            "[comprehension(Name('x', Store), Name('y'))]))");
  QTest::newRow("x = 1_000.000_1") << QByteArray("x = 1_000.000_1")
                                   << QByteArray("Assign([Name('x', Store)], Constant(1000.0001))");
  QTest::newRow("x = 1e1_0") << QByteArray("x = 1e1_0")
                             << QByteArray("Assign([Name('x', Store)], Constant(10000000000.0))");
  QTest::newRow("x = 0.") << QByteArray("x = 0.")
                          << QByteArray("Assign([Name('x', Store)], Constant(0.0))");
  QTest::newRow("x = 1.e5") << QByteArray("x = 1.e5")
                            << QByteArray("Assign([Name('x', Store)], Constant(100000.0))");
  QTest::newRow("x = 12.34e-5") << QByteArray("x = 12.34e-5")
                                << QByteArray("Assign([Name('x', Store)], Constant(0.0001234))");
  QTest::newRow("async def main():⏎    async with asyncio.Task...")
      << QByteArray(
             "async def main():\n    async with asyncio.TaskGroup() as tg:\n        t1 = "
             "tg.create_task(f(1))\n    print(f\"{t1.result()=}\")")
      << QByteArray(
             "AsyncFunctionDef('main', arguments(), "
             "[AsyncWith([withitem(Call(Attribute(Name('asyncio'), 'TaskGroup'), []), Name('tg', "
             "Store))], [Assign([Name('t1', Store)], Call(Attribute(Name('tg'), 'create_task'), "
             "[Call(Name('f'), [Constant(1)])]))]), Expr(Call(Name('print'), "
             "[JoinedStr([Constant('t1.result()='), FormattedValue(Call(Attribute(Name('t1'), "
             "'result'), []), conversion='r')])]))])");
  QTest::newRow("async def main():⏎    try:⏎        async with...")
      << QByteArray(
             "async def main():\n    try:\n        async with asyncio.timeout(1):\n            "
             "await asyncio.sleep(10)\n    except* TimeoutError:\n        pass")
      << QByteArray(
             "AsyncFunctionDef('main', arguments(), "
             "[TryStar([AsyncWith([withitem(Call(Attribute(Name('asyncio'), 'timeout'), "
             "[Constant(1)]))], [Expr(Await(Call(Attribute(Name('asyncio'), 'sleep'), "
             "[Constant(10)])))])], [ExceptHandler(Name('TimeoutError'), [Pass()])])])");
  QTest::newRow("x = (⏎    1,  # one⏎    2,  # two⏎)")
      << QByteArray("x = (\n    1,  # one\n    2,  # two\n)")
      << QByteArray("Assign([Name('x', Store)], Tuple([Constant(1), Constant(2)]))");
  QTest::newRow("def f(⏎    a,⏎    b,⏎):⏎    pass")
      << QByteArray("def f(\n    a,\n    b,\n):\n    pass")
      << QByteArray("FunctionDef('f', arguments(args=[arg('a'), arg('b')]), [Pass()])");
  QTest::newRow("@property⏎def x(self): return self._x")
      << QByteArray("@property\ndef x(self): return self._x")
      << QByteArray(
             "FunctionDef('x', arguments(args=[arg('self')]), [Return(Attribute(Name('self'), "
             "'_x'))], decorators=[Name('property')])");
  QTest::newRow("class A(B, C, **kw): pass") << QByteArray("class A(B, C, **kw): pass")
                                             << QByteArray(
                                                    "ClassDef('A', [Pass()], bases=[Name('B'), "
                                                    "Name('C')], keywords=[keyword(Name('kw'))])");
  QTest::newRow("class A(*bases): pass")
      << QByteArray("class A(*bases): pass")
      << QByteArray("ClassDef('A', [Pass()], bases=[Starred(Name('bases'))])");
  QTest::newRow("x = y = z = 0")
      << QByteArray("x = y = z = 0")
      << QByteArray("Assign([Name('x', Store), Name('y', Store), Name('z', Store)], Constant(0))");
  QTest::newRow("x[0] = y.a = z = 1")
      << QByteArray("x[0] = y.a = z = 1")
      << QByteArray(
             "Assign([Subscript(Name('x'), Constant(0), Store), Attribute(Name('y'), 'a', Store), "
             "Name('z', Store)], Constant(1))");
  QTest::newRow("x = *a, *b")
      << QByteArray("x = *a, *b")
      << QByteArray("Assign([Name('x', Store)], Tuple([Starred(Name('a')), Starred(Name('b'))]))");
  QTest::newRow("print(*args, sep='')") << QByteArray("print(*args, sep='')")
                                        << QByteArray(
                                               "Expr(Call(Name('print'), [Starred(Name('args'))], "
                                               "keywords=[keyword('sep', Constant(''))]))");
  QTest::newRow("f(**{'a': 1})")
      << QByteArray("f(**{'a': 1})")
      << QByteArray(
             "Expr(Call(Name('f'), [], keywords=[keyword(Dict([Constant('a')], [Constant(1)]))]))");
  QTest::newRow("x = {**a}") << QByteArray("x = {**a}")
                             << QByteArray("Assign([Name('x', Store)], Dict([None], [Name('a')]))");
  QTest::newRow("x = a @ b")
      << QByteArray("x = a @ b")
      << QByteArray("Assign([Name('x', Store)], BinOp(Name('a'), MatMult, Name('b')))");
  QTest::newRow("x @= b") << QByteArray("x @= b")
                          << QByteArray("AugAssign(Name('x', Store), MatMult, Name('b'))");
  QTest::newRow("x = a // b")
      << QByteArray("x = a // b")
      << QByteArray("Assign([Name('x', Store)], BinOp(Name('a'), FloorDiv, Name('b')))");
  QTest::newRow("x = -1") << QByteArray("x = -1")
                          << QByteArray("Assign([Name('x', Store)], UnaryOp(USub, Constant(1)))");
  QTest::newRow("x = --1")
      << QByteArray("x = --1")
      << QByteArray("Assign([Name('x', Store)], UnaryOp(USub, UnaryOp(USub, Constant(1))))");
  QTest::newRow("x = - - 1")
      << QByteArray("x = - - 1")
      << QByteArray("Assign([Name('x', Store)], UnaryOp(USub, UnaryOp(USub, Constant(1))))");
  QTest::newRow("x = ~-1")
      << QByteArray("x = ~-1")
      << QByteArray("Assign([Name('x', Store)], UnaryOp(Invert, UnaryOp(USub, Constant(1))))");
  QTest::newRow("x = not -1")
      << QByteArray("x = not -1")
      << QByteArray("Assign([Name('x', Store)], UnaryOp(Not, UnaryOp(USub, Constant(1))))");
  QTest::newRow("x = 1 < 2 < 3") << QByteArray("x = 1 < 2 < 3")
                                 << QByteArray(
                                        "Assign([Name('x', Store)], Compare(Constant(1), [Lt, Lt], "
                                        "[Constant(2), Constant(3)]))");
  QTest::newRow("x = a if not b else c")
      << QByteArray("x = a if not b else c")
      << QByteArray(
             "Assign([Name('x', Store)], IfExp(UnaryOp(Not, Name('b')), Name('a'), Name('c')))");
  QTest::newRow("x = \"%s %d\" % (a, b)") << QByteArray("x = \"%s %d\" % (a, b)")
                                          << QByteArray(
                                                 "Assign([Name('x', Store)], BinOp(Constant('%s "
                                                 "%d'), Mod, Tuple([Name('a'), Name('b')])))");
  QTest::newRow("x = ('a'⏎     'b')") << QByteArray("x = ('a'\n     'b')")
                                      << QByteArray("Assign([Name('x', Store)], Constant('ab'))");
  QTest::newRow("x = f'a' \\⏎    f'b'")
      << QByteArray("x = f'a' \\\n    f'b'")
      << QByteArray("Assign([Name('x', Store)], JoinedStr([Constant('ab')]))");
  QTest::newRow("if True:⏎    pass")
      << QByteArray("if True:\n    pass") << QByteArray("If(Constant(True), [Pass()])");
  QTest::newRow("if not x: pass") << QByteArray("if not x: pass")
                                  << QByteArray("If(UnaryOp(Not, Name('x')), [Pass()])");
  QTest::newRow("x = [i for i in range(10) if i % 2 == 0]")
      << QByteArray("x = [i for i in range(10) if i % 2 == 0]")
      << QByteArray(
             "Assign([Name('x', Store)], ListComp(Name('i'), [comprehension(Name('i', Store), "
             "Call(Name('range'), [Constant(10)]), ifs=[Compare(BinOp(Name('i'), Mod, "
             "Constant(2)), [Eq], [Constant(0)])])]))");
  QTest::newRow("x = sorted(d, key=lambda k: d[k], reverse=True)")
      << QByteArray("x = sorted(d, key=lambda k: d[k], reverse=True)")
      << QByteArray(
             "Assign([Name('x', Store)], Call(Name('sorted'), [Name('d')], "
             "keywords=[keyword('key', Lambda(arguments(args=[arg('k')]), Subscript(Name('d'), "
             "Name('k')))), keyword('reverse', Constant(True))]))");
  QTest::newRow("x = a[-1]")
      << QByteArray("x = a[-1]")
      << QByteArray("Assign([Name('x', Store)], Subscript(Name('a'), UnaryOp(USub, Constant(1))))");
  QTest::newRow("x = a[::-1]") << QByteArray("x = a[::-1]")
                               << QByteArray(
                                      "Assign([Name('x', Store)], Subscript(Name('a'), "
                                      "Slice(step=UnaryOp(USub, Constant(1)))))");
  QTest::newRow("x = a[1:-1]")
      << QByteArray("x = a[1:-1]")
      << QByteArray(
             "Assign([Name('x', Store)], Subscript(Name('a'), Slice(lower=Constant(1), "
             "upper=UnaryOp(USub, Constant(1)))))");
  QTest::newRow("x.y.z = 1")
      << QByteArray("x.y.z = 1")
      << QByteArray("Assign([Attribute(Attribute(Name('x'), 'y'), 'z', Store)], Constant(1))");
  QTest::newRow("x[1][2] = 3") << QByteArray("x[1][2] = 3")
                               << QByteArray(
                                      "Assign([Subscript(Subscript(Name('x'), Constant(1)), "
                                      "Constant(2), Store)], Constant(3))");
  QTest::newRow("del x[1:2]")
      << QByteArray("del x[1:2]")
      << QByteArray(
             "Delete([Subscript(Name('x'), Slice(lower=Constant(1), upper=Constant(2)), Del)])");
  QTest::newRow("x = yield_from = 1")
      << QByteArray("x = yield_from = 1")
      << QByteArray("Assign([Name('x', Store), Name('yield_from', Store)], Constant(1))");
  QTest::newRow("async def f():⏎    await asyncio.sleep(0)⏎   ...")
      << QByteArray("async def f():\n    await asyncio.sleep(0)\n    await (await x)")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Expr(Await(Call(Attribute(Name('asyncio'), "
             "'sleep'), [Constant(0)]))), Expr(Await(Await(Name('x'))))])");
  QTest::newRow("async def f():⏎    x = [i async for i in aite...")
      << QByteArray("async def f():\n    x = [i async for i in aiter() if await i]")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [Assign([Name('x', Store)], ListComp(Name('i'), "
             "[comprehension(Name('i', Store), Call(Name('aiter'), []), ifs=[Await(Name('i'))], "
             "is_async=True)]))])");
  QTest::newRow("async def f():⏎    async for x in y:⏎        ... #2")
      << QByteArray("async def f():\n    async for x in y:\n        break\n    else:\n        pass")
      << QByteArray(
             "AsyncFunctionDef('f', arguments(), [AsyncFor(Name('x', Store), Name('y'), [Break()], "
             "orelse=[Pass()])])");
  QTest::newRow("def outer():⏎    x = 1⏎    def inner():⏎     ...")
      << QByteArray(
             "def outer():\n    x = 1\n    def inner():\n        nonlocal x\n        x += 1\n    "
             "return inner")
      << QByteArray(
             "FunctionDef('outer', arguments(), [Assign([Name('x', Store)], Constant(1)), "
             "FunctionDef('inner', arguments(), [Nonlocal(['x']), AugAssign(Name('x', Store), Add, "
             "Constant(1))]), Return(Name('inner'))])");
  QTest::newRow("if x:⏎    pass⏎# comment⏎else:⏎    pass")
      << QByteArray("if x:\n    pass\n# comment\nelse:\n    pass")
      << QByteArray("If(Name('x'), [Pass()], orelse=[Pass()])");
  QTest::newRow("if x:⏎    pass⏎⏎else:⏎    pass")
      << QByteArray("if x:\n    pass\n\nelse:\n    pass")
      << QByteArray("If(Name('x'), [Pass()], orelse=[Pass()])");
  QTest::newRow("x = 1 # c") << QByteArray("x = 1 # c")
                             << QByteArray("Assign([Name('x', Store)], Constant(1))");
  QTest::newRow("x = 1;  # c") << QByteArray("x = 1;  # c")
                               << QByteArray("Assign([Name('x', Store)], Constant(1))");
  QTest::newRow("pass") << QByteArray("pass") << QByteArray("Pass()");
  QTest::newRow("x = 1 ;y = 2⏎")
      << QByteArray("x = 1 ;y = 2\n")
      << QByteArray(
             "Assign([Name('x', Store)], Constant(1)), Assign([Name('y', Store)], Constant(2))");
}

void tst_Parser::parsesToDump()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, expected);
  try {
    QCOMPARE(bodyDump(parseBytes(source)), expected);
  } catch (const ParseError& e) {
    QFAIL(e.describe().c_str());
  }
}

void tst_Parser::positions_data()
{
  // Name@line:col, statements Name@line:col-end_line; CPython's lineno, col_offset + 1 and
  // end_lineno.
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("x = a.b(1, *c, k=2, **d)")
      << QByteArray("x = a.b(1, *c, k=2, **d)")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('x', Store)], Call@1:5(Attribute@1:5(Name@1:5('a'), 'b'), "
             "[Constant@1:9(1), Starred@1:12(Name@1:13('c'))], keywords=[keyword@1:16('k', "
             "Constant@1:18(2)), keyword@1:21(Name@1:23('d'))]))");
  QTest::newRow("(a).b[1:2, ::3](x)")
      << QByteArray("(a).b[1:2, ::3](x)")
      << QByteArray(
             "Expr@1:1-1(Call@1:1(Subscript@1:1(Attribute@1:1(Name@1:2('a'), 'b'), "
             "Tuple@1:7([Slice@1:7(lower=Constant@1:7(1), upper=Constant@1:9(2)), "
             "Slice@1:12(step=Constant@1:14(3))])), [Name@1:17('x')]))");
  QTest::newRow("-2**2 + (a) * b")
      << QByteArray("-2**2 + (a) * b")
      << QByteArray(
             "Expr@1:1-1(BinOp@1:1(UnaryOp@1:1(USub, BinOp@1:2(Constant@1:2(2), Pow, "
             "Constant@1:5(2))), Add, BinOp@1:9(Name@1:10('a'), Mult, Name@1:15('b'))))");
  QTest::newRow("x = (1, 2), [3], {4: 5}, {6}")
      << QByteArray("x = (1, 2), [3], {4: 5}, {6}")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('x', Store)], Tuple@1:5([Tuple@1:5([Constant@1:6(1), "
             "Constant@1:9(2)]), List@1:13([Constant@1:14(3)]), Dict@1:18([Constant@1:19(4)], "
             "[Constant@1:22(5)]), Set@1:26([Constant@1:27(6)])]))");
  QTest::newRow("@dec⏎@mod.dec(1)⏎async def f(a, /, b: int = 1...")
      << QByteArray(
             "@dec\n@mod.dec(1)\nasync def f(a, /, b: int = 1, *args, c, **kw) -> None:\n    "
             "\"\"\"Doc.\"\"\"\n    return await g(a)")
      << QByteArray(
             "AsyncFunctionDef@3:1-5('f', arguments(args=[arg@3:13('a'), arg@3:19('b', "
             "Name@3:22('int'))], defaults=[Constant@3:28(1)], vararg=arg@3:32('args'), "
             "kwonlyargs=[arg@3:38('c')], kw_defaults=[None], kwarg=arg@3:43('kw')), "
             "[Expr@4:5-4(Constant@4:5('Doc.')), Return@5:5-5(Await@5:12(Call@5:18(Name@5:18('g'), "
             "[Name@5:20('a')])))], decorators=[Name@1:2('dec'), "
             "Call@2:2(Attribute@2:2(Name@2:2('mod'), 'dec'), [Constant@2:10(1)])], "
             "returns=Constant@3:50(None), docstring='Doc.')");
  QTest::newRow("class C(Base, metaclass=M):⏎    x: int = 1⏎⏎ ...")
      << QByteArray("class C(Base, metaclass=M):\n    x: int = 1\n\n    def m(self):\n        pass")
      << QByteArray(
             "ClassDef@1:1-5('C', [AnnAssign@2:5-2(Name@2:5('x', Store), Name@2:8('int'), "
             "Constant@2:14(1)), FunctionDef@4:5-5('m', arguments(args=[arg@4:11('self')]), "
             "[Pass@5:9-5()])], bases=[Name@1:9('Base')], keywords=[keyword@1:15('metaclass', "
             "Name@1:25('M'))])");
  QTest::newRow("if a:⏎    b = 1⏎elif c:⏎    d = 2⏎else:⏎    e...")
      << QByteArray("if a:\n    b = 1\nelif c:\n    d = 2\nelse:\n    e = 3")
      << QByteArray(
             "If@1:1-6(Name@1:4('a'), [Assign@2:5-2([Name@2:5('b', Store)], Constant@2:9(1))], "
             "orelse=[If@3:1-6(Name@3:6('c'), [Assign@4:5-4([Name@4:5('d', Store)], "
             "Constant@4:9(2))], orelse=[Assign@6:5-6([Name@6:5('e', Store)], "
             "Constant@6:9(3))])])");
  QTest::newRow("for i, (a, b) in enumerate(x):⏎    continue⏎e...")
      << QByteArray("for i, (a, b) in enumerate(x):\n    continue\nelse:\n    pass")
      << QByteArray(
             "For@1:1-4(Tuple@1:5([Name@1:5('i', Store), Tuple@1:8([Name@1:9('a', Store), "
             "Name@1:12('b', Store)], Store)], Store), Call@1:18(Name@1:18('enumerate'), "
             "[Name@1:28('x')]), [Continue@2:5-2()], orelse=[Pass@4:5-4()])");
  QTest::newRow("try:⏎    pass⏎except* (A, B) as e:⏎    raise ...")
      << QByteArray(
             "try:\n    pass\nexcept* (A, B) as e:\n    raise X from e\nexcept* C:\n    pass")
      << QByteArray(
             "TryStar@1:1-6([Pass@2:5-2()], [ExceptHandler@3:1(Tuple@3:9([Name@3:10('A'), "
             "Name@3:13('B')]), 'e', [Raise@4:5-4(Name@4:11('X'), cause=Name@4:18('e'))]), "
             "ExceptHandler@5:1(Name@5:9('C'), [Pass@6:5-6()])])");
  QTest::newRow("try:⏎    pass⏎except A:⏎    pass⏎else:⏎    pa...")
      << QByteArray("try:\n    pass\nexcept A:\n    pass\nelse:\n    pass\nfinally:\n    pass")
      << QByteArray(
             "Try@1:1-8([Pass@2:5-2()], [ExceptHandler@3:1(Name@3:8('A'), [Pass@4:5-4()])], "
             "orelse=[Pass@6:5-6()], finalbody=[Pass@8:5-8()])");
  QTest::newRow("with open(a) as f, (b) as g:⏎    pass")
      << QByteArray("with open(a) as f, (b) as g:\n    pass")
      << QByteArray(
             "With@1:1-2([withitem(Call@1:6(Name@1:6('open'), [Name@1:11('a')]), Name@1:17('f', "
             "Store)), withitem(Name@1:21('b'), Name@1:27('g', Store))], [Pass@2:5-2()])");
  QTest::newRow("async def f():⏎    async with a as (b, c):⏎  ...")
      << QByteArray(
             "async def f():\n    async with a as (b, c):\n        async for x in y:\n            "
             "await z")
      << QByteArray(
             "AsyncFunctionDef@1:1-4('f', arguments(), [AsyncWith@2:5-4([withitem(Name@2:16('a'), "
             "Tuple@2:21([Name@2:22('b', Store), Name@2:25('c', Store)], Store))], "
             "[AsyncFor@3:9-4(Name@3:19('x', Store), Name@3:24('y'), "
             "[Expr@4:13-4(Await@4:13(Name@4:19('z')))])])])");
  QTest::newRow("import a.b as c, d⏎from .. m import (x as y,⏎...")
      << QByteArray("import a.b as c, d\nfrom .. m import (x as y,\n    z)")
      << QByteArray(
             "Import@1:1-1([alias@1:8('a.b', 'c'), alias@1:18('d')]), ImportFrom@2:1-3('m', "
             "[alias@2:19('x', 'y'), alias@3:5('z')], level=2)");
  QTest::newRow("x = [i * 2 for i in range(10) if i]")
      << QByteArray("x = [i * 2 for i in range(10) if i]")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('x', Store)], ListComp@1:5(BinOp@1:6(Name@1:6('i'), Mult, "
             "Constant@1:10(2)), [comprehension(Name@1:16('i', Store), "
             "Call@1:21(Name@1:21('range'), [Constant@1:27(10)]), ifs=[Name@1:34('i')])]))");
  QTest::newRow("y = {k: v for k, v in d.items()}")
      << QByteArray("y = {k: v for k, v in d.items()}")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('y', Store)], DictComp@1:5(Name@1:6('k'), Name@1:9('v'), "
             "[comprehension(Tuple@1:15([Name@1:15('k', Store), Name@1:18('v', Store)], Store), "
             "Call@1:23(Attribute@1:23(Name@1:23('d'), 'items'), []))]))");
  QTest::newRow("print(sum(x for x in y))")
      << QByteArray("print(sum(x for x in y))")
      << QByteArray(
             "Expr@1:1-1(Call@1:1(Name@1:1('print'), [Call@1:7(Name@1:7('sum'), "
             "[GeneratorExp@1:10(Name@1:11('x'), [comprehension(Name@1:17('x', Store), "
             "Name@1:22('y'))])])]))");
  QTest::newRow("f(a for a in b)")
      << QByteArray("f(a for a in b)")
      << QByteArray(
             "Expr@1:1-1(Call@1:1(Name@1:1('f'), [GeneratorExp@1:2(Name@1:3('a'), "
             "[comprehension(Name@1:9('a', Store), Name@1:14('b'))])]))");
  QTest::newRow("lambda x, *, y=1: (x, y)")
      << QByteArray("lambda x, *, y=1: (x, y)")
      << QByteArray(
             "Expr@1:1-1(Lambda@1:1(arguments(args=[arg@1:8('x')], kwonlyargs=[arg@1:14('y')], "
             "kw_defaults=[Constant@1:16(1)]), Tuple@1:19([Name@1:20('x'), Name@1:23('y')])))");
  QTest::newRow("x = a if b else c")
      << QByteArray("x = a if b else c")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('x', Store)], IfExp@1:5(Name@1:10('b'), Name@1:5('a'), "
             "Name@1:17('c')))");
  QTest::newRow("x = not a and b or c < d <= e")
      << QByteArray("x = not a and b or c < d <= e")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('x', Store)], BoolOp@1:5(Or, [BoolOp@1:5(And, "
             "[UnaryOp@1:5(Not, Name@1:9('a')), Name@1:15('b')]), Compare@1:20(Name@1:20('c'), "
             "[Lt, LtE], [Name@1:24('d'), Name@1:29('e')])]))");
  QTest::newRow("(n := 10) > 5") << QByteArray("(n := 10) > 5")
                                 << QByteArray(
                                        "Expr@1:1-1(Compare@1:1(NamedExpr@1:2(Name@1:2('n', "
                                        "Store), Constant@1:7(10)), [Gt], [Constant@1:13(5)]))");
  QTest::newRow("s = f\"a{x}b{y!r:>{w}}c\"")
      << QByteArray("s = f\"a{x}b{y!r:>{w}}c\"")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('s', Store)], JoinedStr@1:5([Constant@1:5('a'), "
             "FormattedValue@1:5(Name@1:9('x')), Constant@1:5('b'), "
             "FormattedValue@1:5(Name@1:13('y'), conversion='r', "
             "format_spec=JoinedStr@1:5([Constant@1:5('>'), FormattedValue@1:5(Name@1:19('w'))])), "
             "Constant@1:5('c')]))");
  QTest::newRow("s = f\"{x=}\" f'{y = !s:^5}'")
      << QByteArray("s = f\"{x=}\" f'{y = !s:^5}'")
      << QByteArray(
             "Assign@1:1-1([Name@1:1('s', Store)], JoinedStr@1:5([Constant@1:5('x='), "
             "FormattedValue@1:5(Name@1:8('x'), conversion='r'), Constant@1:5('y = '), "
             "FormattedValue@1:5(Name@1:16('y'), conversion='s', "
             "format_spec=JoinedStr@1:13([Constant@1:13('^5')]))]))");
  QTest::newRow("s = (f'UTC{a:02d}'⏎     f'.{b:06d}')")
      << QByteArray("s = (f'UTC{a:02d}'\n     f'.{b:06d}')")
      << QByteArray(
             "Assign@1:1-2([Name@1:1('s', Store)], JoinedStr@1:6([Constant@1:6('UTC'), "
             "FormattedValue@1:6(Name@1:12('a'), "
             "format_spec=JoinedStr@1:6([Constant@1:6('02d')])), Constant@1:6('.'), "
             "FormattedValue@1:6(Name@2:10('b'), "
             "format_spec=JoinedStr@2:6([Constant@2:6('06d')]))]))");
  QTest::newRow("s = f'''⏎  {a +⏎b}'''")
      << QByteArray("s = f'''\n  {a +\nb}'''")
      << QByteArray(
             "Assign@1:1-3([Name@1:1('s', Store)], JoinedStr@1:5([Constant@1:5('\\n  '), "
             "FormattedValue@1:5(BinOp@2:4(Name@2:4('a'), Add, Name@3:1('b')))]))");
  QTest::newRow("s = 'abc' \"def\" \\⏎    '''ghi'''")
      << QByteArray("s = 'abc' \"def\" \\\n    '''ghi'''")
      << QByteArray("Assign@1:1-2([Name@1:1('s', Store)], Constant@1:5('abcdefghi'))");
  QTest::newRow("x = [⏎    1,⏎    2,⏎]")
      << QByteArray("x = [\n    1,\n    2,\n]")
      << QByteArray(
             "Assign@1:1-4([Name@1:1('x', Store)], List@1:5([Constant@2:5(1), Constant@3:5(2)]))");
  QTest::newRow("assert x, \\⏎    \"message\"")
      << QByteArray("assert x, \\\n    \"message\"")
      << QByteArray("Assert@1:1-2(Name@1:8('x'), Constant@2:5('message'))");
  QTest::newRow("del a[0], b.c")
      << QByteArray("del a[0], b.c")
      << QByteArray(
             "Delete@1:1-1([Subscript@1:5(Name@1:5('a'), Constant@1:7(0), Del), "
             "Attribute@1:11(Name@1:11('b'), 'c', Del)])");
  QTest::newRow("global g; nonlocal_ = 1; x += 1")
      << QByteArray("global g; nonlocal_ = 1; x += 1")
      << QByteArray(
             "Global@1:1-1(['g']), Assign@1:11-1([Name@1:11('nonlocal_', Store)], "
             "Constant@1:23(1)), AugAssign@1:26-1(Name@1:26('x', Store), Add, Constant@1:31(1))");
  QTest::newRow("x: list[int] = []")
      << QByteArray("x: list[int] = []")
      << QByteArray(
             "AnnAssign@1:1-1(Name@1:1('x', Store), Subscript@1:4(Name@1:4('list'), "
             "Name@1:9('int')), List@1:16([]))");
  QTest::newRow("a = b = c = 0") << QByteArray("a = b = c = 0")
                                 << QByteArray(
                                        "Assign@1:1-1([Name@1:1('a', Store), Name@1:5('b', Store), "
                                        "Name@1:9('c', Store)], Constant@1:13(0))");
  QTest::newRow("*a, b = c") << QByteArray("*a, b = c")
                             << QByteArray(
                                    "Assign@1:1-1([Tuple@1:1([Starred@1:1(Name@1:2('a', Store), "
                                    "Store), Name@1:5('b', Store)], Store)], Name@1:9('c'))");
  QTest::newRow("a[1:2] = b[::2]")
      << QByteArray("a[1:2] = b[::2]")
      << QByteArray(
             "Assign@1:1-1([Subscript@1:1(Name@1:1('a'), Slice@1:3(lower=Constant@1:3(1), "
             "upper=Constant@1:5(2)), Store)], Subscript@1:10(Name@1:10('b'), "
             "Slice@1:12(step=Constant@1:14(2))))");
  QTest::newRow("é = 'ü' + ñ") << QByteArray("é = 'ü' + ñ")
                               << QByteArray(
                                      "Assign@1:1-1([Name@1:1('é', Store)], "
                                      "BinOp@1:6(Constant@1:6('ü'), Add, Name@1:13('ñ')))");
  QTest::newRow("if x:⏎    pass⏎    # trailing comment⏎y = 1")
      << QByteArray("if x:\n    pass\n    # trailing comment\ny = 1")
      << QByteArray(
             "If@1:1-2(Name@1:4('x'), [Pass@2:5-2()]), Assign@4:1-4([Name@4:1('y', Store)], "
             "Constant@4:5(1))");
  QTest::newRow("def f(⏎    a,⏎    b,⏎):⏎    return (⏎        ...")
      << QByteArray("def f(\n    a,\n    b,\n):\n    return (\n        a\n        + b\n    )\n")
      << QByteArray(
             "FunctionDef@1:1-8('f', arguments(args=[arg@2:5('a'), arg@3:5('b')]), "
             "[Return@5:5-8(BinOp@6:9(Name@6:9('a'), Add, Name@7:11('b')))])");
}

void tst_Parser::positions()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, expected);
  try {
    QCOMPARE(bodyDump(parseBytes(source), true), expected);
  } catch (const ParseError& e) {
    QFAIL(e.describe().c_str());
  }
}

// ------------------------------------------------------------------ errors

void tst_Parser::syntaxErrors_data()
{
  // Message, line and column (SyntaxError.offset) as CPython 3.11.2's compile() reports them.
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<Kind>("kind");
  QTest::addColumn<QByteArray>("message");
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("col");
  QTest::newRow("x = = 1") << QByteArray("x = = 1") << Kind::Syntax << QByteArray("invalid syntax")
                           << 1 << 5;
  QTest::newRow("x = = 1⏎s = 'abc")
      << QByteArray("x = = 1\ns = 'abc") << Kind::Syntax
      << QByteArray("unterminated string literal (detected at line 2)") << 2 << 5;
  QTest::newRow("if x = 1:⏎  pass")
      << QByteArray("if x = 1:\n  pass") << Kind::Syntax
      << QByteArray("invalid syntax. Maybe you meant '==' or ':=' instead of '='?") << 1 << 4;
  QTest::newRow("if x:⏎pass") << QByteArray("if x:\npass") << Kind::Indentation
                              << QByteArray(
                                     "expected an indented block after 'if' statement on line 1")
                              << 2 << 1;
  QTest::newRow("def f():⏎pass")
      << QByteArray("def f():\npass") << Kind::Indentation
      << QByteArray("expected an indented block after function definition on line 1") << 2 << 1;
  QTest::newRow("for x in y:⏎x")
      << QByteArray("for x in y:\nx") << Kind::Indentation
      << QByteArray("expected an indented block after 'for' statement on line 1") << 2 << 1;
  QTest::newRow("while x:⏎x") << QByteArray("while x:\nx") << Kind::Indentation
                              << QByteArray(
                                     "expected an indented block after 'while' statement on line 1")
                              << 2 << 1;
  QTest::newRow("with a:⏎x") << QByteArray("with a:\nx") << Kind::Indentation
                             << QByteArray(
                                    "expected an indented block after 'with' statement on line 1")
                             << 2 << 1;
  QTest::newRow("try:⏎x") << QByteArray("try:\nx") << Kind::Indentation
                          << QByteArray(
                                 "expected an indented block after 'try' statement on line 1")
                          << 2 << 1;
  QTest::newRow("class C:⏎x") << QByteArray("class C:\nx") << Kind::Indentation
                              << QByteArray(
                                     "expected an indented block after class definition on line 1")
                              << 2 << 1;
  QTest::newRow("if x:⏎  pass⏎else:⏎x")
      << QByteArray("if x:\n  pass\nelse:\nx") << Kind::Indentation
      << QByteArray("expected an indented block after 'else' statement on line 3") << 4 << 1;
  QTest::newRow("if x:⏎  pass⏎elif y:⏎x")
      << QByteArray("if x:\n  pass\nelif y:\nx") << Kind::Indentation
      << QByteArray("expected an indented block after 'elif' statement on line 3") << 4 << 1;
  QTest::newRow("try:⏎  pass⏎except E:⏎x")
      << QByteArray("try:\n  pass\nexcept E:\nx") << Kind::Indentation
      << QByteArray("expected an indented block after 'except' statement on line 3") << 4 << 1;
  QTest::newRow("try:⏎  pass⏎finally:⏎x")
      << QByteArray("try:\n  pass\nfinally:\nx") << Kind::Indentation
      << QByteArray("expected an indented block after 'finally' statement on line 3") << 4 << 1;
  QTest::newRow("try:⏎  pass⏎except:⏎x")
      << QByteArray("try:\n  pass\nexcept:\nx") << Kind::Indentation
      << QByteArray("expected an indented block after 'except' statement on line 3") << 4 << 1;
  QTest::newRow("if x:⏎    a⏎  b")
      << QByteArray("if x:\n    a\n  b") << Kind::Indentation
      << QByteArray("unindent does not match any outer indentation level") << 3 << 4;
  QTest::newRow("  x = 1") << QByteArray("  x = 1") << Kind::Indentation
                           << QByteArray("unexpected indent") << 1 << 2;
  QTest::newRow("x = 1⏎  y = 2") << QByteArray("x = 1\n  y = 2") << Kind::Indentation
                                 << QByteArray("unexpected indent") << 2 << 2;
  QTest::newRow("f(a, b⏎x = 1") << QByteArray("f(a, b\nx = 1") << Kind::Syntax
                                << QByteArray("'(' was never closed") << 1 << 2;
  QTest::newRow("f(a, b") << QByteArray("f(a, b") << Kind::Syntax
                          << QByteArray("'(' was never closed") << 1 << 2;
  QTest::newRow("f(a))") << QByteArray("f(a))") << Kind::Syntax << QByteArray("unmatched ')'") << 1
                         << 5;
  QTest::newRow("f(a]") << QByteArray("f(a]") << Kind::Syntax
                        << QByteArray(
                               "closing parenthesis ']' does not match opening parenthesis '('")
                        << 1 << 4;
  QTest::newRow("f(a,⏎ b]")
      << QByteArray("f(a,\n b]") << Kind::Syntax
      << QByteArray("closing parenthesis ']' does not match opening parenthesis '(' on line 1") << 2
      << 3;
  QTest::newRow("1 = x")
      << QByteArray("1 = x") << Kind::Syntax
      << QByteArray("cannot assign to literal here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("f() = 1")
      << QByteArray("f() = 1") << Kind::Syntax
      << QByteArray("cannot assign to function call here. Maybe you meant '==' instead of '='?")
      << 1 << 1;
  QTest::newRow("a + b = 1")
      << QByteArray("a + b = 1") << Kind::Syntax
      << QByteArray("cannot assign to expression here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("x = 'abc") << QByteArray("x = 'abc") << Kind::Syntax
                            << QByteArray("unterminated string literal (detected at line 1)") << 1
                            << 5;
  QTest::newRow("x = \"\"\"abc⏎def")
      << QByteArray("x = \"\"\"abc\ndef") << Kind::Syntax
      << QByteArray("unterminated triple-quoted string literal (detected at line 2)") << 1 << 5;
  QTest::newRow("await x") << QByteArray("await x") << Kind::Syntax
                           << QByteArray("'await' outside function") << 1 << 1;
  QTest::newRow("def f():⏎  await x") << QByteArray("def f():\n  await x") << Kind::Syntax
                                      << QByteArray("'await' outside async function") << 2 << 3;
  QTest::newRow("def f():⏎  async with a: pass")
      << QByteArray("def f():\n  async with a: pass") << Kind::Syntax
      << QByteArray("'async with' outside async function") << 2 << 3;
  QTest::newRow("def f():⏎  async for a in b: pass")
      << QByteArray("def f():\n  async for a in b: pass") << Kind::Syntax
      << QByteArray("'async for' outside async function") << 2 << 3;
  QTest::newRow("return 1") << QByteArray("return 1") << Kind::Syntax
                            << QByteArray("'return' outside function") << 1 << 1;
  QTest::newRow("break") << QByteArray("break") << Kind::Syntax
                         << QByteArray("'break' outside loop") << 1 << 1;
  QTest::newRow("continue") << QByteArray("continue") << Kind::Syntax
                            << QByteArray("'continue' not properly in loop") << 1 << 1;
  QTest::newRow("x = 1abc") << QByteArray("x = 1abc") << Kind::Syntax
                            << QByteArray("invalid decimal literal") << 1 << 5;
  QTest::newRow("f(a=1, b)") << QByteArray("f(a=1, b)") << Kind::Syntax
                             << QByteArray("positional argument follows keyword argument") << 1
                             << 9;
  QTest::newRow("def f(a=1, b): pass")
      << QByteArray("def f(a=1, b): pass") << Kind::Syntax
      << QByteArray("non-default argument follows default argument") << 1 << 12;
  QTest::newRow("x = a € b") << QByteArray("x = a € b") << Kind::Syntax
                             << QByteArray("invalid character '€' (U+20AC)") << 1 << 7;
  QTest::newRow("x = a $ b") << QByteArray("x = a $ b") << Kind::Syntax
                             << QByteArray("invalid syntax") << 1 << 7;
  QTest::newRow("f(**a, *b)")
      << QByteArray("f(**a, *b)") << Kind::Syntax
      << QByteArray("iterable argument unpacking follows keyword argument unpacking") << 1 << 8;
  QTest::newRow("f(**a, b)") << QByteArray("f(**a, b)") << Kind::Syntax
                             << QByteArray("positional argument follows keyword argument unpacking")
                             << 1 << 9;
  QTest::newRow("if x:⏎    a⏎  bcdef = 1")
      << QByteArray("if x:\n    a\n  bcdef = 1") << Kind::Indentation
      << QByteArray("unindent does not match any outer indentation level") << 3 << 12;
  QTest::newRow("if x:⏎        a⏎    bcdef = 1")
      << QByteArray("if x:\n        a\n    bcdef = 1") << Kind::Indentation
      << QByteArray("unindent does not match any outer indentation level") << 3 << 14;
  QTest::newRow("x = 1⏎        y = 2") << QByteArray("x = 1\n        y = 2") << Kind::Indentation
                                       << QByteArray("unexpected indent") << 2 << 8;
  QTest::newRow("if x:⏎→a⏎        b")
      << QByteArray("if x:\n\ta\n        b") << Kind::Indentation
      << QByteArray("inconsistent use of tabs and spaces in indentation") << 3 << 1;
  QTest::newRow("if x:⏎        a⏎→b")
      << QByteArray("if x:\n        a\n\tb") << Kind::Indentation
      << QByteArray("inconsistent use of tabs and spaces in indentation") << 3 << 1;
  QTest::newRow("x = (") << QByteArray("x = (") << Kind::Syntax
                         << QByteArray("'(' was never closed") << 1 << 5;
  QTest::newRow("x = [1,⏎  2,") << QByteArray("x = [1,\n  2,") << Kind::Syntax
                                << QByteArray("'[' was never closed") << 1 << 5;
  QTest::newRow("x = {⏎ 'a': [1,⏎ ") << QByteArray("x = {\n 'a': [1,\n ") << Kind::Syntax
                                     << QByteArray("'[' was never closed") << 2 << 7;
  QTest::newRow("x = [1, 2⏎y = 3⏎z = (4")
      << QByteArray("x = [1, 2\ny = 3\nz = (4") << Kind::Syntax
      << QByteArray("invalid syntax. Perhaps you forgot a comma?") << 1 << 9;
  QTest::newRow("x = = 1⏎y = (") << QByteArray("x = = 1\ny = (") << Kind::Syntax
                                 << QByteArray("invalid syntax") << 1 << 5;
  QTest::newRow("x = 1⏎y = (⏎z = = 2") << QByteArray("x = 1\ny = (\nz = = 2") << Kind::Syntax
                                       << QByteArray("'(' was never closed") << 2 << 5;
  QTest::newRow("f(a b)") << QByteArray("f(a b)") << Kind::Syntax
                          << QByteArray("invalid syntax. Perhaps you forgot a comma?") << 1 << 3;
  QTest::newRow("x = 1 2") << QByteArray("x = 1 2") << Kind::Syntax << QByteArray("invalid syntax")
                           << 1 << 7;
  QTest::newRow("if x⏎  pass") << QByteArray("if x\n  pass") << Kind::Syntax
                               << QByteArray("expected ':'") << 1 << 5;
  QTest::newRow("def f()⏎  pass") << QByteArray("def f()\n  pass") << Kind::Syntax
                                  << QByteArray("expected ':'") << 1 << 8;
  QTest::newRow("while x⏎  pass") << QByteArray("while x\n  pass") << Kind::Syntax
                                  << QByteArray("expected ':'") << 1 << 8;
  QTest::newRow("class C⏎  pass") << QByteArray("class C\n  pass") << Kind::Syntax
                                  << QByteArray("expected ':'") << 1 << 8;
  QTest::newRow("for x in y⏎  pass")
      << QByteArray("for x in y\n  pass") << Kind::Syntax << QByteArray("expected ':'") << 1 << 11;
  QTest::newRow("x = 1_") << QByteArray("x = 1_") << Kind::Syntax
                          << QByteArray("invalid decimal literal") << 1 << 6;
  QTest::newRow("x = 1__0") << QByteArray("x = 1__0") << Kind::Syntax
                            << QByteArray("invalid decimal literal") << 1 << 6;
  QTest::newRow("x = 0x") << QByteArray("x = 0x") << Kind::Syntax
                          << QByteArray("invalid hexadecimal literal") << 1 << 6;
  QTest::newRow("x = 0b12") << QByteArray("x = 0b12") << Kind::Syntax
                            << QByteArray("invalid digit '2' in binary literal") << 1 << 8;
  QTest::newRow("x = 0o8") << QByteArray("x = 0o8") << Kind::Syntax
                           << QByteArray("invalid digit '8' in octal literal") << 1 << 7;
  QTest::newRow("x = 09") << QByteArray("x = 09") << Kind::Syntax
                          << QByteArray(
                                 "leading zeros in decimal integer literals are not permitted; use "
                                 "an 0o prefix for octal integers")
                          << 1 << 5;
  QTest::newRow("x = 1.5e") << QByteArray("x = 1.5e") << Kind::Syntax
                            << QByteArray("invalid decimal literal") << 1 << 7;
  QTest::newRow("x = b'é'") << QByteArray("x = b'é'") << Kind::Syntax
                            << QByteArray("bytes can only contain ASCII literal characters") << 1
                            << 5;
  QTest::newRow("x = b'a' 'b'") << QByteArray("x = b'a' 'b'") << Kind::Syntax
                                << QByteArray("cannot mix bytes and nonbytes literals") << 1 << 13;
  QTest::newRow("x = 'a' b'b'") << QByteArray("x = 'a' b'b'") << Kind::Syntax
                                << QByteArray("cannot mix bytes and nonbytes literals") << 1 << 13;
  QTest::newRow("a = f() = 1") << QByteArray("a = f() = 1") << Kind::Syntax
                               << QByteArray("cannot assign to function call") << 1 << 5;
  QTest::newRow("f() = 1 = 2") << QByteArray("f() = 1 = 2") << Kind::Syntax
                               << QByteArray("cannot assign to function call") << 1 << 1;
  QTest::newRow("[a, 1] = x") << QByteArray("[a, 1] = x") << Kind::Syntax
                              << QByteArray("cannot assign to literal") << 1 << 5;
  QTest::newRow("(a, 1) = x") << QByteArray("(a, 1) = x") << Kind::Syntax
                              << QByteArray("cannot assign to literal") << 1 << 5;
  QTest::newRow("a, 1 = x")
      << QByteArray("a, 1 = x") << Kind::Syntax
      << QByteArray("cannot assign to literal here. Maybe you meant '==' instead of '='?") << 1
      << 4;
  QTest::newRow("True = 1") << QByteArray("True = 1") << Kind::Syntax
                            << QByteArray("cannot assign to True") << 1 << 1;
  QTest::newRow("None = 1") << QByteArray("None = 1") << Kind::Syntax
                            << QByteArray("cannot assign to None") << 1 << 1;
  QTest::newRow("... = 1")
      << QByteArray("... = 1") << Kind::Syntax
      << QByteArray("cannot assign to ellipsis here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("x + 1 += 1")
      << QByteArray("x + 1 += 1") << Kind::Syntax
      << QByteArray("'expression' is an illegal expression for augmented assignment") << 1 << 1;
  QTest::newRow("a, b += 1") << QByteArray("a, b += 1") << Kind::Syntax
                             << QByteArray(
                                    "'tuple' is an illegal expression for augmented assignment")
                             << 1 << 1;
  QTest::newRow("for 1 in x: pass") << QByteArray("for 1 in x: pass") << Kind::Syntax
                                    << QByteArray("cannot assign to literal") << 1 << 5;
  QTest::newRow("for f() in x: pass") << QByteArray("for f() in x: pass") << Kind::Syntax
                                      << QByteArray("cannot assign to function call") << 1 << 5;
  QTest::newRow("del f()") << QByteArray("del f()") << Kind::Syntax
                           << QByteArray("cannot delete function call") << 1 << 5;
  QTest::newRow("del 1") << QByteArray("del 1") << Kind::Syntax
                         << QByteArray("cannot delete literal") << 1 << 5;
  QTest::newRow("del (a, 1)") << QByteArray("del (a, 1)") << Kind::Syntax
                              << QByteArray("cannot delete literal") << 1 << 9;
  QTest::newRow("with a as 1: pass") << QByteArray("with a as 1: pass") << Kind::Syntax
                                     << QByteArray("cannot assign to literal") << 1 << 11;
  QTest::newRow("with a as f(): pass") << QByteArray("with a as f(): pass") << Kind::Syntax
                                       << QByteArray("cannot assign to function call") << 1 << 11;
  QTest::newRow("[x for 1 in y]") << QByteArray("[x for 1 in y]") << Kind::Syntax
                                  << QByteArray("cannot assign to literal") << 1 << 8;
  QTest::newRow("f(a for a in b, c)")
      << QByteArray("f(a for a in b, c)") << Kind::Syntax
      << QByteArray("Generator expression must be parenthesized") << 1 << 3;
  QTest::newRow("x := 1") << QByteArray("x := 1") << Kind::Syntax << QByteArray("invalid syntax")
                          << 1 << 3;
  QTest::newRow("(a.b := 1)") << QByteArray("(a.b := 1)") << Kind::Syntax
                              << QByteArray("cannot use assignment expressions with attribute") << 1
                              << 2;
  QTest::newRow("x = *a") << QByteArray("x = *a") << Kind::Syntax
                          << QByteArray("can't use starred expression here") << 1 << 5;
  QTest::newRow("*a = 1") << QByteArray("*a = 1") << Kind::Syntax
                          << QByteArray("starred assignment target must be in a list or tuple") << 1
                          << 1;
  QTest::newRow("*a, *b = 1") << QByteArray("*a, *b = 1") << Kind::Syntax
                              << QByteArray("multiple starred expressions in assignment") << 1 << 1;
  QTest::newRow("def f(): return *a") << QByteArray("def f(): return *a") << Kind::Syntax
                                      << QByteArray("can't use starred expression here") << 1 << 17;
  QTest::newRow("*a") << QByteArray("*a") << Kind::Syntax
                      << QByteArray("can't use starred expression here") << 1 << 1;
  QTest::newRow("a.b: int, c = 1")
      << QByteArray("a.b: int, c = 1") << Kind::Syntax << QByteArray("invalid syntax") << 1 << 9;
  QTest::newRow("a, b: int") << QByteArray("a, b: int") << Kind::Syntax
                             << QByteArray("only single target (not tuple) can be annotated") << 1
                             << 1;
  QTest::newRow("f(): int") << QByteArray("f(): int") << Kind::Syntax
                            << QByteArray("illegal target for annotation") << 1 << 1;
  QTest::newRow("a if b else c = 1")
      << QByteArray("a if b else c = 1") << Kind::Syntax
      << QByteArray("cannot assign to conditional expression") << 1 << 1;
  QTest::newRow("not a = 1") << QByteArray("not a = 1") << Kind::Syntax
                             << QByteArray("cannot assign to expression") << 1 << 1;
  QTest::newRow("a and b = 1") << QByteArray("a and b = 1") << Kind::Syntax
                               << QByteArray("cannot assign to expression") << 1 << 1;
  QTest::newRow("a < b = 1") << QByteArray("a < b = 1") << Kind::Syntax
                             << QByteArray("cannot assign to comparison") << 1 << 1;
  QTest::newRow("lambda: 1 = 1") << QByteArray("lambda: 1 = 1") << Kind::Syntax
                                 << QByteArray("cannot assign to lambda") << 1 << 1;
  QTest::newRow("-a = 1")
      << QByteArray("-a = 1") << Kind::Syntax
      << QByteArray("cannot assign to expression here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("\"s\" = 1")
      << QByteArray("\"s\" = 1") << Kind::Syntax
      << QByteArray("cannot assign to literal here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("f\"s\" = 1")
      << QByteArray("f\"s\" = 1") << Kind::Syntax
      << QByteArray(
             "cannot assign to f-string expression here. Maybe you meant '==' instead of '='?")
      << 1 << 1;
  QTest::newRow("{a: b} = 1")
      << QByteArray("{a: b} = 1") << Kind::Syntax
      << QByteArray("cannot assign to dict literal here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("{a} = 1")
      << QByteArray("{a} = 1") << Kind::Syntax
      << QByteArray("cannot assign to set display here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("(a for a in b) = 1")
      << QByteArray("(a for a in b) = 1") << Kind::Syntax
      << QByteArray("cannot assign to generator expression") << 1 << 1;
  QTest::newRow("[a for a in b] = 1")
      << QByteArray("[a for a in b] = 1") << Kind::Syntax
      << QByteArray(
             "cannot assign to list comprehension here. Maybe you meant '==' instead of '='?")
      << 1 << 1;
  QTest::newRow("await x = 1")
      << QByteArray("await x = 1") << Kind::Syntax
      << QByteArray("cannot assign to await expression here. Maybe you meant '==' instead of '='?")
      << 1 << 1;
  QTest::newRow("a.b = 1 = 2") << QByteArray("a.b = 1 = 2") << Kind::Syntax
                               << QByteArray("cannot assign to literal") << 1 << 7;
  QTest::newRow("x = 1 = 2") << QByteArray("x = 1 = 2") << Kind::Syntax
                             << QByteArray("cannot assign to literal") << 1 << 5;
  QTest::newRow("x = f() = 2") << QByteArray("x = f() = 2") << Kind::Syntax
                               << QByteArray("cannot assign to function call") << 1 << 5;
  QTest::newRow("(x) = (1) = 2") << QByteArray("(x) = (1) = 2") << Kind::Syntax
                                 << QByteArray("cannot assign to literal") << 1 << 8;
  QTest::newRow("x = ") << QByteArray("x = ") << Kind::Syntax << QByteArray("invalid syntax") << 1
                        << 5;
  QTest::newRow("if x  # c⏎  pass")
      << QByteArray("if x  # c\n  pass") << Kind::Syntax << QByteArray("expected ':'") << 1 << 7;
  QTest::newRow("if x   ⏎  pass") << QByteArray("if x   \n  pass") << Kind::Syntax
                                  << QByteArray("expected ':'") << 1 << 8;
  QTest::newRow("try:⏎  x⏎y = 1") << QByteArray("try:\n  x\ny = 1") << Kind::Syntax
                                  << QByteArray("expected 'except' or 'finally' block") << 3 << 1;
  QTest::newRow("x = 1 + \\") << QByteArray("x = 1 + \\") << Kind::Syntax
                              << QByteArray("unexpected EOF while parsing") << 1 << 10;
  QTest::newRow("x = 1 \\ 2") << QByteArray("x = 1 \\ 2") << Kind::Syntax
                              << QByteArray(
                                     "unexpected character after line continuation character")
                              << 1 << 8;
  QTest::newRow("[await x for x in y]")
      << QByteArray("[await x for x in y]") << Kind::Syntax
      << QByteArray("asynchronous comprehension outside of an asynchronous function") << 1 << 1;
  QTest::newRow("[x async for x in y]")
      << QByteArray("[x async for x in y]") << Kind::Syntax
      << QByteArray("asynchronous comprehension outside of an asynchronous function") << 1 << 1;
  QTest::newRow("def f(): [x async for x in y]")
      << QByteArray("def f(): [x async for x in y]") << Kind::Syntax
      << QByteArray("asynchronous comprehension outside of an asynchronous function") << 1 << 10;
  QTest::newRow("async def f():⏎  class C:⏎    await x")
      << QByteArray("async def f():\n  class C:\n    await x") << Kind::Syntax
      << QByteArray("'await' outside function") << 3 << 5;
  QTest::newRow("async def f():⏎  lambda: await x")
      << QByteArray("async def f():\n  lambda: await x") << Kind::Syntax
      << QByteArray("'await' outside async function") << 2 << 11;
  QTest::newRow("nonlocal x") << QByteArray("nonlocal x") << Kind::Syntax
                              << QByteArray("nonlocal declaration not allowed at module level") << 1
                              << 1;
  QTest::newRow("x = {'a' 1}") << QByteArray("x = {'a' 1}") << Kind::Syntax
                               << QByteArray("invalid syntax. Perhaps you forgot a comma?") << 1
                               << 6;
  QTest::newRow("x = {'a': 1 'b': 2}")
      << QByteArray("x = {'a': 1 'b': 2}") << Kind::Syntax
      << QByteArray("invalid syntax. Perhaps you forgot a comma?") << 1 << 11;
  QTest::newRow("lambda x 1") << QByteArray("lambda x 1") << Kind::Syntax
                              << QByteArray("invalid syntax") << 1 << 10;
  QTest::newRow("with a⏎  pass") << QByteArray("with a\n  pass") << Kind::Syntax
                                 << QByteArray("expected ':'") << 1 << 7;
  QTest::newRow("else:⏎  pass") << QByteArray("else:\n  pass") << Kind::Syntax
                                << QByteArray("invalid syntax") << 1 << 1;
  QTest::newRow("f(a=1, a=2)") << QByteArray("f(a=1, a=2)") << Kind::Syntax
                               << QByteArray("keyword argument repeated: a") << 1 << 8;
  QTest::newRow("def f(a, a): pass")
      << QByteArray("def f(a, a): pass") << Kind::Syntax
      << QByteArray("duplicate argument 'a' in function definition") << 1 << 10;
  QTest::newRow("def f(*): pass") << QByteArray("def f(*): pass") << Kind::Syntax
                                  << QByteArray("named arguments must follow bare *") << 1 << 7;
  QTest::newRow("def f(*, **k): pass")
      << QByteArray("def f(*, **k): pass") << Kind::Syntax
      << QByteArray("named arguments must follow bare *") << 1 << 7;
  QTest::newRow("def f(**k, a): pass")
      << QByteArray("def f(**k, a): pass") << Kind::Syntax
      << QByteArray("arguments cannot follow var-keyword argument") << 1 << 12;
  QTest::newRow("class C(x for x in y): pass")
      << QByteArray("class C(x for x in y): pass") << Kind::Syntax << QByteArray("invalid syntax")
      << 1 << 11;
  QTest::newRow("x = \"\\x4\"") << QByteArray("x = \"\\x4\"") << Kind::Syntax
                                << QByteArray(
                                       "(unicode error) 'unicodeescape' codec can't decode bytes "
                                       "in position 0-2: truncated \\xXX escape")
                                << 1 << 10;
  QTest::newRow("from x import a,")
      << QByteArray("from x import a,") << Kind::Syntax
      << QByteArray("trailing comma not allowed without surrounding parentheses") << 1 << 17;
  QTest::newRow("from x import *, a") << QByteArray("from x import *, a") << Kind::Syntax
                                      << QByteArray("invalid syntax") << 1 << 16;
  QTest::newRow("import a as b.c")
      << QByteArray("import a as b.c") << Kind::Syntax << QByteArray("invalid syntax") << 1 << 14;
  QTest::newRow("async = 1") << QByteArray("async = 1") << Kind::Syntax
                             << QByteArray("invalid syntax") << 1 << 7;
  QTest::newRow("x = rb'abc") << QByteArray("x = rb'abc") << Kind::Syntax
                              << QByteArray("unterminated string literal (detected at line 1)") << 1
                              << 5;
  QTest::newRow("x = \"\"\"abc⏎def⏎")
      << QByteArray("x = \"\"\"abc\ndef\n") << Kind::Syntax
      << QByteArray("unterminated triple-quoted string literal (detected at line 2)") << 1 << 5;
  QTest::newRow("if x:⏎    a⏎  b⏎")
      << QByteArray("if x:\n    a\n  b\n") << Kind::Indentation
      << QByteArray("unindent does not match any outer indentation level") << 3 << 4;
  QTest::newRow("if x:⏎→a⏎        b = 1")
      << QByteArray("if x:\n\ta\n        b = 1") << Kind::Indentation
      << QByteArray("inconsistent use of tabs and spaces in indentation") << 3 << 1;
  QTest::newRow("x = 1⏎→y") << QByteArray("x = 1\n\ty") << Kind::Indentation
                            << QByteArray("unexpected indent") << 2 << 1;
  QTest::newRow("(") << QByteArray("(") << Kind::Syntax << QByteArray("'(' was never closed") << 1
                     << 1;
  QTest::newRow("x = 1⏎$") << QByteArray("x = 1\n$") << Kind::Syntax << QByteArray("invalid syntax")
                           << 2 << 1;
  QTest::newRow("if x:") << QByteArray("if x:") << Kind::Indentation
                         << QByteArray("expected an indented block after 'if' statement on line 1")
                         << 1 << 6;
  QTest::newRow("if x:⏎") << QByteArray("if x:\n") << Kind::Indentation
                          << QByteArray("expected an indented block after 'if' statement on line 1")
                          << 1 << 6;
  QTest::newRow("if x:⏎# c⏎") << QByteArray("if x:\n# c\n") << Kind::Indentation
                              << QByteArray(
                                     "expected an indented block after 'if' statement on line 1")
                              << 2 << 4;
  QTest::newRow("class C:⏎  def f(self):")
      << QByteArray("class C:\n  def f(self):") << Kind::Indentation
      << QByteArray("expected an indented block after function definition on line 2") << 2 << 15;
  QTest::newRow("async def f():⏎  async for x in y:⏎  pass")
      << QByteArray("async def f():\n  async for x in y:\n  pass") << Kind::Indentation
      << QByteArray("expected an indented block after 'for' statement on line 2") << 3 << 3;
  QTest::newRow("async def f():⏎  async with x:⏎  pass")
      << QByteArray("async def f():\n  async with x:\n  pass") << Kind::Indentation
      << QByteArray("expected an indented block after 'with' statement on line 2") << 3 << 3;
  QTest::newRow("try:⏎  pass⏎except* E:⏎pass")
      << QByteArray("try:\n  pass\nexcept* E:\npass") << Kind::Indentation
      << QByteArray("expected an indented block after 'except*' statement on line 3") << 4 << 1;
  QTest::newRow("try:⏎  pass⏎except E:⏎  pass⏎except* F:⏎  pass")
      << QByteArray("try:\n  pass\nexcept E:\n  pass\nexcept* F:\n  pass") << Kind::Syntax
      << QByteArray("cannot have both 'except' and 'except*' on the same 'try'") << 5 << 1;
  QTest::newRow("try:⏎  pass⏎except A, B:⏎  pass")
      << QByteArray("try:\n  pass\nexcept A, B:\n  pass") << Kind::Syntax
      << QByteArray("multiple exception types must be parenthesized") << 3 << 8;
  QTest::newRow("try:⏎  pass⏎except:⏎  pass⏎except E:⏎  pass")
      << QByteArray("try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass") << Kind::Syntax
      << QByteArray("default 'except:' must be last") << 3 << 1;
  QTest::newRow("def f(/): pass") << QByteArray("def f(/): pass") << Kind::Syntax
                                  << QByteArray("invalid syntax") << 1 << 7;
  QTest::newRow("def f(*a, *b): pass") << QByteArray("def f(*a, *b): pass") << Kind::Syntax
                                       << QByteArray("* argument may appear only once") << 1 << 11;
  QTest::newRow("lambda *: 1") << QByteArray("lambda *: 1") << Kind::Syntax
                               << QByteArray("named arguments must follow bare *") << 1 << 9;
  QTest::newRow("x = (*a)") << QByteArray("x = (*a)") << Kind::Syntax
                            << QByteArray("cannot use starred expression here") << 1 << 6;
  QTest::newRow("x = [*a for a in b]")
      << QByteArray("x = [*a for a in b]") << Kind::Syntax
      << QByteArray("iterable unpacking cannot be used in comprehension") << 1 << 6;
  QTest::newRow("f(x.y=1)")
      << QByteArray("f(x.y=1)") << Kind::Syntax
      << QByteArray("expression cannot contain assignment, perhaps you meant \"==\"?") << 1 << 3;
  QTest::newRow("f(True=1)") << QByteArray("f(True=1)") << Kind::Syntax
                             << QByteArray("cannot assign to True") << 1 << 3;
  QTest::newRow("if x.y = 1:⏎  pass")
      << QByteArray("if x.y = 1:\n  pass") << Kind::Syntax
      << QByteArray("cannot assign to attribute here. Maybe you meant '==' instead of '='?") << 1
      << 4;
  QTest::newRow("while (a) = 1: pass")
      << QByteArray("while (a) = 1: pass") << Kind::Syntax
      << QByteArray("cannot assign to name here. Maybe you meant '==' instead of '='?") << 1 << 8;
  QTest::newRow("if x = y = 1: pass")
      << QByteArray("if x = y = 1: pass") << Kind::Syntax << QByteArray("invalid syntax") << 1 << 6;
  QTest::newRow("x = {**a: 1}") << QByteArray("x = {**a: 1}") << Kind::Syntax
                                << QByteArray("invalid syntax") << 1 << 9;
  QTest::newRow("def f(**k=1): pass")
      << QByteArray("def f(**k=1): pass") << Kind::Syntax
      << QByteArray("var-keyword argument cannot have default value") << 1 << 10;
  QTest::newRow("def f(*a=1): pass")
      << QByteArray("def f(*a=1): pass") << Kind::Syntax
      << QByteArray("var-positional argument cannot have default value") << 1 << 9;
  QTest::newRow("from x import (a, b") << QByteArray("from x import (a, b") << Kind::Syntax
                                       << QByteArray("'(' was never closed") << 1 << 15;
  QTest::newRow("import") << QByteArray("import") << Kind::Syntax << QByteArray("invalid syntax")
                          << 1 << 7;
  QTest::newRow("global") << QByteArray("global") << Kind::Syntax << QByteArray("invalid syntax")
                          << 1 << 7;
  QTest::newRow("class C(metaclass=M, x): pass")
      << QByteArray("class C(metaclass=M, x): pass") << Kind::Syntax
      << QByteArray("positional argument follows keyword argument") << 1 << 23;
  QTest::newRow("x = 1 if 2") << QByteArray("x = 1 if 2") << Kind::Syntax
                              << QByteArray("expected 'else' after 'if' expression") << 1 << 5;
  QTest::newRow("for x in y:⏎  pass⏎else") << QByteArray("for x in y:\n  pass\nelse")
                                           << Kind::Syntax << QByteArray("expected ':'") << 3 << 5;
  QTest::newRow("while True:⏎  def f():⏎    break")
      << QByteArray("while True:\n  def f():\n    break") << Kind::Syntax
      << QByteArray("'break' outside loop") << 3 << 5;
  QTest::newRow("for x in y:⏎  class C:⏎    continue")
      << QByteArray("for x in y:\n  class C:\n    continue") << Kind::Syntax
      << QByteArray("'continue' not properly in loop") << 3 << 5;
  QTest::newRow("class C:⏎  return 1⏎") << QByteArray("class C:\n  return 1\n") << Kind::Syntax
                                        << QByteArray("'return' outside function") << 2 << 3;
  QTest::newRow("(True := 1)") << QByteArray("(True := 1)") << Kind::Syntax
                               << QByteArray("cannot use assignment expressions with True") << 1
                               << 2;
  QTest::newRow("obj.__debug__ = 1") << QByteArray("obj.__debug__ = 1") << Kind::Syntax
                                     << QByteArray("cannot assign to __debug__") << 1 << 1;
  QTest::newRow("__debug__ = 1") << QByteArray("__debug__ = 1") << Kind::Syntax
                                 << QByteArray("cannot assign to __debug__") << 1 << 1;
  QTest::newRow("del __debug__") << QByteArray("del __debug__") << Kind::Syntax
                                 << QByteArray("cannot delete __debug__") << 1 << 5;
  QTest::newRow("(x for x in x) = 1")
      << QByteArray("(x for x in x) = 1") << Kind::Syntax
      << QByteArray("cannot assign to generator expression") << 1 << 1;
  QTest::newRow("a if 1 else b = 1")
      << QByteArray("a if 1 else b = 1") << Kind::Syntax
      << QByteArray("cannot assign to conditional expression") << 1 << 1;
  QTest::newRow("a = 42 if True") << QByteArray("a = 42 if True") << Kind::Syntax
                                  << QByteArray("expected 'else' after 'if' expression") << 1 << 5;
  QTest::newRow("a, b += 1, 2") << QByteArray("a, b += 1, 2") << Kind::Syntax
                                << QByteArray(
                                       "'tuple' is an illegal expression for augmented assignment")
                                << 1 << 1;
  QTest::newRow("[a, b] += 1, 2") << QByteArray("[a, b] += 1, 2") << Kind::Syntax
                                  << QByteArray(
                                         "'list' is an illegal expression for augmented assignment")
                                  << 1 << 1;
  QTest::newRow("[x,y for x,y in range(100)]")
      << QByteArray("[x,y for x,y in range(100)]") << Kind::Syntax
      << QByteArray("did you forget parentheses around the comprehension target?") << 1 << 2;
  QTest::newRow("{x,y for x,y in range(100)}")
      << QByteArray("{x,y for x,y in range(100)}") << Kind::Syntax
      << QByteArray("did you forget parentheses around the comprehension target?") << 1 << 2;
  QTest::newRow("def f(x, y=1, z):⏎    pass")
      << QByteArray("def f(x, y=1, z):\n    pass") << Kind::Syntax
      << QByteArray("non-default argument follows default argument") << 1 << 15;
  QTest::newRow("def foo(/,a,b=,c):⏎   pass")
      << QByteArray("def foo(/,a,b=,c):\n   pass") << Kind::Syntax
      << QByteArray("at least one argument must precede /") << 1 << 9;
  QTest::newRow("def foo(a,/,/,b,c):⏎   pass")
      << QByteArray("def foo(a,/,/,b,c):\n   pass") << Kind::Syntax
      << QByteArray("/ may appear only once") << 1 << 13;
  QTest::newRow("def foo(a,/,a1,/,b,c):⏎   pass")
      << QByteArray("def foo(a,/,a1,/,b,c):\n   pass") << Kind::Syntax
      << QByteArray("/ may appear only once") << 1 << 16;
  QTest::newRow("def foo(a,*b,c,/,d,e):⏎   pass")
      << QByteArray("def foo(a,*b,c,/,d,e):\n   pass") << Kind::Syntax
      << QByteArray("/ must be ahead of *") << 1 << 16;
  QTest::newRow("def foo(a=1,*b,c=3,/,d,e):⏎   pass")
      << QByteArray("def foo(a=1,*b,c=3,/,d,e):\n   pass") << Kind::Syntax
      << QByteArray("/ must be ahead of *") << 1 << 20;
  QTest::newRow("def foo(a,*b=3,c):⏎   pass")
      << QByteArray("def foo(a,*b=3,c):\n   pass") << Kind::Syntax
      << QByteArray("var-positional argument cannot have default value") << 1 << 13;
  QTest::newRow("def foo(a,**b=3):⏎   pass")
      << QByteArray("def foo(a,**b=3):\n   pass") << Kind::Syntax
      << QByteArray("var-keyword argument cannot have default value") << 1 << 14;
  QTest::newRow("def foo(a,*a, b, **c, d):⏎   pass")
      << QByteArray("def foo(a,*a, b, **c, d):\n   pass") << Kind::Syntax
      << QByteArray("arguments cannot follow var-keyword argument") << 1 << 23;
  QTest::newRow("def foo(*b,*d):⏎   pass")
      << QByteArray("def foo(*b,*d):\n   pass") << Kind::Syntax
      << QByteArray("* argument may appear only once") << 1 << 12;
  QTest::newRow("def foo(a=1,/*,b,c):⏎   pass")
      << QByteArray("def foo(a=1,/*,b,c):\n   pass") << Kind::Syntax
      << QByteArray("expected comma between / and *") << 1 << 14;
  QTest::newRow("def foo(a=1,d=,c):⏎   pass")
      << QByteArray("def foo(a=1,d=,c):\n   pass") << Kind::Syntax
      << QByteArray("expected default value expression") << 1 << 14;
  QTest::newRow("def foo(a,d=,c):⏎   pass")
      << QByteArray("def foo(a,d=,c):\n   pass") << Kind::Syntax
      << QByteArray("expected default value expression") << 1 << 12;
  QTest::newRow("lambda /,a,b,c: None")
      << QByteArray("lambda /,a,b,c: None") << Kind::Syntax
      << QByteArray("at least one argument must precede /") << 1 << 8;
  QTest::newRow("lambda a=1,/*,b,c: None")
      << QByteArray("lambda a=1,/*,b,c: None") << Kind::Syntax
      << QByteArray("expected comma between / and *") << 1 << 13;
  QTest::newRow("f(x for x in L, 1)")
      << QByteArray("f(x for x in L, 1)") << Kind::Syntax
      << QByteArray("Generator expression must be parenthesized") << 1 << 3;
  QTest::newRow("f(lambda x: x[0] = 3)")
      << QByteArray("f(lambda x: x[0] = 3)") << Kind::Syntax
      << QByteArray("expression cannot contain assignment, perhaps you meant \"==\"?") << 1 << 3;
  QTest::newRow("f(False=1)") << QByteArray("f(False=1)") << Kind::Syntax
                              << QByteArray("cannot assign to False") << 1 << 3;
  QTest::newRow("f(None=1)") << QByteArray("f(None=1)") << Kind::Syntax
                             << QByteArray("cannot assign to None") << 1 << 3;
  QTest::newRow("(x for x in x) += 1")
      << QByteArray("(x for x in x) += 1") << Kind::Syntax
      << QByteArray("'generator expression' is an illegal expression for augmented assignment") << 1
      << 1;
  QTest::newRow("None += 1") << QByteArray("None += 1") << Kind::Syntax
                             << QByteArray(
                                    "'None' is an illegal expression for augmented assignment")
                             << 1 << 1;
  QTest::newRow("f() += 1")
      << QByteArray("f() += 1") << Kind::Syntax
      << QByteArray("'function call' is an illegal expression for augmented assignment") << 1 << 1;
  QTest::newRow("if 1:⏎  x() = 1⏎elif 1:⏎  pass")
      << QByteArray("if 1:\n  x() = 1\nelif 1:\n  pass") << Kind::Syntax
      << QByteArray("cannot assign to function call here. Maybe you meant '==' instead of '='?")
      << 2 << 3;
  QTest::newRow("if x = 3:⏎   pass")
      << QByteArray("if x = 3:\n   pass") << Kind::Syntax
      << QByteArray("invalid syntax. Maybe you meant '==' or ':=' instead of '='?") << 1 << 4;
  QTest::newRow("if x.a = 3:⏎   pass")
      << QByteArray("if x.a = 3:\n   pass") << Kind::Syntax
      << QByteArray("cannot assign to attribute here. Maybe you meant '==' instead of '='?") << 1
      << 4;
  QTest::newRow("def f:") << QByteArray("def f:") << Kind::Syntax << QByteArray("expected '('") << 1
                          << 6;
  QTest::newRow("async def f:") << QByteArray("async def f:") << Kind::Syntax
                                << QByteArray("expected '('") << 1 << 12;
  QTest::newRow("def f(x, (y, z), w):⏎   pass")
      << QByteArray("def f(x, (y, z), w):\n   pass") << Kind::Syntax
      << QByteArray("Function parameters cannot be parenthesized") << 1 << 10;
  QTest::newRow("def f((x, y, z, w)):⏎   pass")
      << QByteArray("def f((x, y, z, w)):\n   pass") << Kind::Syntax
      << QByteArray("Function parameters cannot be parenthesized") << 1 << 7;
  QTest::newRow("lambda x, (y, z), w: None")
      << QByteArray("lambda x, (y, z), w: None") << Kind::Syntax
      << QByteArray("Lambda expression parameters cannot be parenthesized") << 1 << 11;
  QTest::newRow("lambda (x, y, z, w): None")
      << QByteArray("lambda (x, y, z, w): None") << Kind::Syntax
      << QByteArray("Lambda expression parameters cannot be parenthesized") << 1 << 8;
  QTest::newRow("try:⏎   x = 34⏎") << QByteArray("try:\n   x = 34\n") << Kind::Syntax
                                   << QByteArray("expected 'except' or 'finally' block") << 2 << 10;
  QTest::newRow("try:⏎   pass⏎except TypeError:⏎   pass⏎except...")
      << QByteArray("try:\n   pass\nexcept TypeError:\n   pass\nexcept* ValueError:\n   pass")
      << Kind::Syntax << QByteArray("cannot have both 'except' and 'except*' on the same 'try'")
      << 5 << 1;
  QTest::newRow("{1:2, 3:4, 5}") << QByteArray("{1:2, 3:4, 5}") << Kind::Syntax
                                 << QByteArray("':' expected after dictionary key") << 1 << 12;
  QTest::newRow("{1:2, 3:4, 5:}") << QByteArray("{1:2, 3:4, 5:}") << Kind::Syntax
                                  << QByteArray("expression expected after dictionary key and ':'")
                                  << 1 << 13;
  QTest::newRow("{1: *12+1, 23: 1}")
      << QByteArray("{1: *12+1, 23: 1}") << Kind::Syntax
      << QByteArray("cannot use a starred expression in a dictionary value") << 1 << 5;
  QTest::newRow("{1: *12+1}") << QByteArray("{1: *12+1}") << Kind::Syntax
                              << QByteArray("cannot use a starred expression in a dictionary value")
                              << 1 << 5;
  QTest::newRow("{1:}") << QByteArray("{1:}") << Kind::Syntax
                        << QByteArray("expression expected after dictionary key and ':'") << 1 << 3;
  QTest::newRow("while condition:⏎pass")
      << QByteArray("while condition:\npass") << Kind::Indentation
      << QByteArray("expected an indented block after 'while' statement on line 1") << 2 << 1;
  QTest::newRow("for x in range(10):⏎pass")
      << QByteArray("for x in range(10):\npass") << Kind::Indentation
      << QByteArray("expected an indented block after 'for' statement on line 1") << 2 << 1;
  QTest::newRow("for x in range(10):⏎    pass⏎else:⏎pass")
      << QByteArray("for x in range(10):\n    pass\nelse:\npass") << Kind::Indentation
      << QByteArray("expected an indented block after 'else' statement on line 3") << 4 << 1;
  QTest::newRow("if something:⏎    pass⏎elif something_else:⏎pass")
      << QByteArray("if something:\n    pass\nelif something_else:\npass") << Kind::Indentation
      << QByteArray("expected an indented block after 'elif' statement on line 3") << 4 << 1;
  QTest::newRow("if something:⏎    pass⏎elif something_else:⏎ ...")
      << QByteArray("if something:\n    pass\nelif something_else:\n    pass\nelse:\npass")
      << Kind::Indentation
      << QByteArray("expected an indented block after 'else' statement on line 5") << 6 << 1;
  QTest::newRow("try:⏎pass") << QByteArray("try:\npass") << Kind::Indentation
                             << QByteArray(
                                    "expected an indented block after 'try' statement on line 1")
                             << 2 << 1;
  QTest::newRow("try:⏎    something()⏎except* A:⏎pass")
      << QByteArray("try:\n    something()\nexcept* A:\npass") << Kind::Indentation
      << QByteArray("expected an indented block after 'except*' statement on line 3") << 4 << 1;
  QTest::newRow("try:⏎    something()⏎except A:⏎    pass⏎final...")
      << QByteArray("try:\n    something()\nexcept A:\n    pass\nfinally:\npass")
      << Kind::Indentation
      << QByteArray("expected an indented block after 'finally' statement on line 5") << 6 << 1;
  QTest::newRow("try:⏎    something()⏎except* A:⏎    pass⏎fina...")
      << QByteArray("try:\n    something()\nexcept* A:\n    pass\nfinally:\npass")
      << Kind::Indentation
      << QByteArray("expected an indented block after 'finally' statement on line 5") << 6 << 1;
  QTest::newRow("with A:⏎pass")
      << QByteArray("with A:\npass") << Kind::Indentation
      << QByteArray("expected an indented block after 'with' statement on line 1") << 2 << 1;
  QTest::newRow("def foo(x, /, y, *, z=2):⏎pass")
      << QByteArray("def foo(x, /, y, *, z=2):\npass") << Kind::Indentation
      << QByteArray("expected an indented block after function definition on line 1") << 2 << 1;
  QTest::newRow("class Blech(A):⏎pass")
      << QByteArray("class Blech(A):\npass") << Kind::Indentation
      << QByteArray("expected an indented block after class definition on line 1") << 2 << 1;
  QTest::newRow("try:⏎  pass⏎except A, B, C:⏎  pass")
      << QByteArray("try:\n  pass\nexcept A, B, C:\n  pass") << Kind::Syntax
      << QByteArray("multiple exception types must be parenthesized") << 3 << 8;
  QTest::newRow("try:⏎  pass⏎except* A as a:⏎  pass⏎except*:⏎ ...")
      << QByteArray("try:\n  pass\nexcept* A as a:\n  pass\nexcept*:\n  pass") << Kind::Syntax
      << QByteArray("expected one or more exception types") << 5 << 8;
  QTest::newRow("f(a=23, a=234)") << QByteArray("f(a=23, a=234)") << Kind::Syntax
                                  << QByteArray("keyword argument repeated: a") << 1 << 9;
  QTest::newRow("{1, 2, 3} = 42")
      << QByteArray("{1, 2, 3} = 42") << Kind::Syntax
      << QByteArray("cannot assign to set display here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("{1: 2, 3: 4} = 42")
      << QByteArray("{1: 2, 3: 4} = 42") << Kind::Syntax
      << QByteArray("cannot assign to dict literal here. Maybe you meant '==' instead of '='?") << 1
      << 1;
  QTest::newRow("f'{x}' = 42")
      << QByteArray("f'{x}' = 42") << Kind::Syntax
      << QByteArray(
             "cannot assign to f-string expression here. Maybe you meant '==' instead of '='?")
      << 1 << 1;
  QTest::newRow("from t import x,")
      << QByteArray("from t import x,") << Kind::Syntax
      << QByteArray("trailing comma not allowed without surrounding parentheses") << 1 << 17;
  QTest::newRow("(): int") << QByteArray("(): int") << Kind::Syntax
                           << QByteArray("only single target (not tuple) can be annotated") << 1
                           << 1;
  QTest::newRow("[]: int") << QByteArray("[]: int") << Kind::Syntax
                           << QByteArray("only single target (not list) can be annotated") << 1
                           << 1;
  QTest::newRow("([]): int") << QByteArray("([]): int") << Kind::Syntax
                             << QByteArray("only single target (not list) can be annotated") << 1
                             << 2;
  QTest::newRow("import ä £") << QByteArray("import ä £") << Kind::Syntax
                              << QByteArray("invalid character '£' (U+00A3)") << 1 << 10;
  QTest::newRow("A[:(*b)]") << QByteArray("A[:(*b)]") << Kind::Syntax
                            << QByteArray("cannot use starred expression here") << 1 << 5;
  QTest::newRow("b\"Ā\"") << QByteArray("b\"Ā\"") << Kind::Syntax
                          << QByteArray("bytes can only contain ASCII literal characters") << 1
                          << 1;
  QTest::newRow("f(**x, *y)")
      << QByteArray("f(**x, *y)") << Kind::Syntax
      << QByteArray("iterable argument unpacking follows keyword argument unpacking") << 1 << 8;
  QTest::newRow("int(**{'base': 10}, '2')")
      << QByteArray("int(**{'base': 10}, '2')") << Kind::Syntax
      << QByteArray("positional argument follows keyword argument unpacking") << 1 << 24;
  QTest::newRow("'''blech") << QByteArray("'''blech") << Kind::Syntax
                            << QByteArray(
                                   "unterminated triple-quoted string literal (detected at line 1)")
                            << 1 << 1;
  QTest::newRow("\"\"\"blech")
      << QByteArray("\"\"\"blech") << Kind::Syntax
      << QByteArray("unterminated triple-quoted string literal (detected at line 1)") << 1 << 1;
  QTest::newRow("lambda x: x = 2") << QByteArray("lambda x: x = 2") << Kind::Syntax
                                   << QByteArray("cannot assign to lambda") << 1 << 1;
  QTest::newRow("late __future__ import")
      << QByteArray("x=1;  from __future__ import annotations") << Kind::Syntax
      << QByteArray("from __future__ imports must occur at the beginning of the file") << 1 << 6;
  QTest::newRow("__future__ after docstring and futures")
      << QByteArray(
             "\"\"\"doc\"\"\"\nfrom __future__ import annotations\nfrom __future__ import nope")
      << Kind::Syntax << QByteArray("future feature nope is not defined") << 3 << 1;
}

void tst_Parser::syntaxErrors()
{
  QFETCH(QByteArray, source);
  QFETCH(Kind, kind);
  QFETCH(QByteArray, message);
  QFETCH(int, line);
  QFETCH(int, col);
  const ParseError e = parseError(source);
  QCOMPARE(QByteArray::fromStdString(e.message), message);
  QCOMPARE(e.kind, kind);
  QCOMPARE(static_cast<int>(e.pos.line), line);
  QCOMPARE(static_cast<int>(e.pos.col), col);
  QCOMPARE(e.filename, std::string("test.py"));
}

void tst_Parser::loopscopeErrorPositions_data()
{
  // Where CPython 3.11 reports errors inside an f-string's replacement field relative to the
  // field's text (a known 3.11 bug, fixed in 3.12), loopscope reports where they are in the
  // file. The messages are CPython's.
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("message");
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("col");
  QTest::newRow("f-string invalid syntax")
      << QByteArray("x = f'{a +}'") << QByteArray("f-string: invalid syntax") << 1 << 11;
  QTest::newRow("f-string on line 2")
      << QByteArray("x = f'''\n{a +}'''") << QByteArray("f-string: invalid syntax") << 2 << 5;
  QTest::newRow("f-string comma") << QByteArray("x = f'{a b}'")
                                  << QByteArray(
                                         "f-string: invalid syntax. Perhaps you forgot a comma?")
                                  << 1 << 8;
  QTest::newRow("f-string lambda")
      << QByteArray("x = f'{lambda x: 1}'") << QByteArray("f-string: invalid syntax") << 1 << 16;
  QTest::newRow("f-string starred")
      << QByteArray("x = f'{*a}'") << QByteArray("f-string: cannot use starred expression here")
      << 1 << 8;
  QTest::newRow("f-string invalid character")
      << QByteArray("x = f'{é €}'") << QByteArray("invalid character '€' (U+20AC)") << 1 << 10;
  QTest::newRow("f-string deep inside") << QByteArray("s = f'''a\n  {x:>{w +\n}}'''")
                                        << QByteArray("f-string: invalid syntax") << 3 << 1;
}

void tst_Parser::loopscopeErrorPositions()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, message);
  QFETCH(int, line);
  QFETCH(int, col);
  const ParseError e = parseError(source);
  QCOMPARE(QByteArray::fromStdString(e.message), message);
  QCOMPARE(e.kind, Kind::Syntax);
  QCOMPARE(static_cast<int>(e.pos.line), line);
  QCOMPARE(static_cast<int>(e.pos.col), col);
}

void tst_Parser::notSupported_data()
{
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("what");
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("col");
  const QByteArray gen("generators ('yield')");
  QTest::newRow("yield statement") << QByteArray("def gen():\n    yield 1") << gen << 2 << 5;
  QTest::newRow("yield expression") << QByteArray("x = yield") << gen << 1 << 5;
  QTest::newRow("yield from") << QByteArray("yield from g()") << gen << 1 << 1;
  QTest::newRow("yield in comprehension")
      << QByteArray("x = [(yield) for _ in y]") << gen << 1 << 7;
  QTest::newRow("yield in async def")
      << QByteArray("async def f():\n    return (yield)") << gen << 2 << 13;
  QTest::newRow("yield in f-string") << QByteArray("x = f'{yield}'") << gen << 1 << 8;
  const QByteArray match("the match statement");
  QTest::newRow("match") << QByteArray("match command:\n    case \"go\":\n        pass") << match
                         << 1 << 1;
  QTest::newRow("match parenthesized")
      << QByteArray("match (point):\n    case (0, 0): pass") << match << 1 << 1;
  QTest::newRow("match missing colon")
      << QByteArray("match x\n    case 1: pass") << match << 1 << 1;
  QTest::newRow("complex") << QByteArray("z = 1j") << QByteArray("complex numbers") << 1 << 5;
  QTest::newRow("complex float") << QByteArray("z = 2 + 1.5J") << QByteArray("complex numbers") << 1
                                 << 9;
  const QByteArray big("integers beyond 64 bits");
  QTest::newRow("int64 max + 1") << QByteArray("x = 9223372036854775808") << big << 1 << 5;
  QTest::newRow("hex 2**64") << QByteArray("x = 0x1_0000_0000_0000_0000") << big << 1 << 5;
  QTest::newRow("int64 min literal") << QByteArray("x = -9223372036854775808") << big << 1 << 6;
  QTest::newRow("\\N in str") << QByteArray("s = \"\\N{BULLET}\"") << QByteArray("\\N{...} escapes")
                              << 1 << 5;
  QTest::newRow("\\N in f-string")
      << QByteArray("s = f\"a\\N{BULLET}\"") << QByteArray("\\N{...} escapes") << 1 << 8;
  QTest::newRow("surrogate") << QByteArray("s = '\\ud800'")
                             << QByteArray("surrogate code points in strings") << 1 << 5;
  QTest::newRow("print statement")
      << QByteArray("print \"hello\"")
      << QByteArray("the Python 2 print statement; call print(...)") << 1 << 1;
  QTest::newRow("print statement name")
      << QByteArray("print x, y") << QByteArray("the Python 2 print statement; call print(...)")
      << 1 << 1;
  QTest::newRow("exec statement") << QByteArray("exec \"code\"")
                                  << QByteArray("the Python 2 exec statement; call exec(...)") << 1
                                  << 1;
  QTest::newRow("def type parameters") << QByteArray("def first[T](xs: list[T]) -> T: pass")
                                       << QByteArray("type parameter lists") << 1 << 10;
  QTest::newRow("class type parameters")
      << QByteArray("class Box[T]: pass") << QByteArray("type parameter lists") << 1 << 10;
  QTest::newRow("type statement") << QByteArray("type Point = tuple[float, float]")
                                  << QByteArray("the type statement") << 1 << 1;
  QTest::newRow("generic type statement")
      << QByteArray("type Alias[T] = list[T]") << QByteArray("the type statement") << 1 << 1;
}

void tst_Parser::notSupported()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, what);
  QFETCH(int, line);
  QFETCH(int, col);
  const ParseError e = parseError(source);
  QCOMPARE(e.kind, Kind::NotSupported);
  QCOMPARE(QByteArray::fromStdString(e.message), what);
  QCOMPARE(static_cast<int>(e.pos.line), line);
  QCOMPARE(static_cast<int>(e.pos.col), col);
  QCOMPARE(QByteArray::fromStdString(e.describe()), "test.py:" + QByteArray::number(line) + ":" +
                                                        QByteArray::number(col) +
                                                        ": not supported by loopscope: " + what);
}

void tst_Parser::describeFormat_data()
{
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("syntax") << QByteArray("x = = 1")
                          << QByteArray("test.py:1:5: SyntaxError: invalid syntax");
  QTest::newRow("indentation")
      << QByteArray("if x:\n    a\n  b")
      << QByteArray(
             "test.py:3:4: IndentationError: unindent does not match any outer indentation level");
  QTest::newRow("tab")
      << QByteArray("if x:\n\ta\n        b")
      << QByteArray("test.py:3:1: TabError: inconsistent use of tabs and spaces in indentation");
  QTest::newRow("not supported") << QByteArray("z = 3j")
                                 << QByteArray(
                                        "test.py:1:5: not supported by loopscope: complex numbers");
  QTest::newRow("column in characters")
      << QByteArray("s = 'é' + = 1") << QByteArray("test.py:1:11: SyntaxError: invalid syntax");
}

void tst_Parser::describeFormat()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, expected);
  QCOMPARE(QByteArray::fromStdString(parseError(source).describe()), expected);
}

// ------------------------------------------------------------------ values

void tst_Parser::stringValues_data()
{
  // ConstantExpr::s: UTF-8 for str, raw bytes for bytes (checked against Python's values).
  QTest::addColumn<QByteArray>("literal");
  QTest::addColumn<bool>("isBytes");
  QTest::addColumn<QByteArray>("value");
  QTest::newRow("simple escapes") << QByteArray(R"('\n\t\r\\\'\"\a\b\f\v\0')") << false
                                  << QByteArrayLiteral("\n\t\r\\'\"\a\b\f\v\0");
  QTest::newRow("octal") << QByteArray(R"('\101\7\77\1234')") << false
                         << QByteArrayLiteral("A\x07?S4");
  QTest::newRow("octal above 0o377")
      << QByteArray(R"('\777')") << false << QByteArrayLiteral("\xc7\xbf");
  QTest::newRow("hex and unicode")
      << QByteArray(R"('\x41\xe9\u00e9\u20ac\U0001F600')") << false
      << QByteArrayLiteral("A\xc3\xa9\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  QTest::newRow("unknown escapes kept")
      << QByteArray(R"('\q\d\8\ ')") << false << QByteArrayLiteral("\\q\\d\\8\\ ");
  QTest::newRow("line continuation") << QByteArray("'a\\\nb'") << false << QByteArray("ab");
  QTest::newRow("triple-quoted newline") << QByteArray("'''a\nb'''") << false << QByteArray("a\nb");
  QTest::newRow("raw") << QByteArray(R"(r'\n\'\x')") << false << QByteArray(R"(\n\'\x)");
  QTest::newRow("raw uppercase") << QByteArray(R"(R"\d")") << false << QByteArray(R"(\d)");
  QTest::newRow("unicode prefix") << QByteArray("u'é'") << false << QByteArray("é");
  QTest::newRow("utf-8 text") << QByteArray("'日本語 ü'") << false << QByteArray("日本語 ü");
  QTest::newRow("adjacent") << QByteArray(R"('a' "b" '''c''' """d""")") << false
                            << QByteArray("abcd");
  QTest::newRow("empty") << QByteArray("''") << false << QByteArray("");
  QTest::newRow("empty triple") << QByteArray("''''''") << false << QByteArray("");
  QTest::newRow("bytes") << QByteArray(R"(b'\x41\101\n\xff\u1234\N{x}')") << true
                         << QByteArrayLiteral("AA\n\xff\\u1234\\N{x}");
  QTest::newRow("bytes octal wraps")
      << QByteArray(R"(b'\777')") << true << QByteArrayLiteral("\xff");
  QTest::newRow("raw bytes") << QByteArray(R"(rb'\x00' BR'\d')") << true << QByteArray(R"(\x00\d)");
  QTest::newRow("adjacent bytes") << QByteArray("b'a' B'b'") << true << QByteArray("ab");
}

void tst_Parser::stringValues()
{
  QFETCH(QByteArray, literal);
  QFETCH(bool, isBytes);
  QFETCH(QByteArray, value);
  const Module m = parseBytes(literal);
  QCOMPARE(m.body.size(), std::size_t{1});
  QCOMPARE(m.body[0]->kind, StmtKind::Expr);
  const Expr& e = *static_cast<const ExprStmt&>(*m.body[0]).value;
  QCOMPARE(e.kind, ExprKind::Constant);
  const auto& c = static_cast<const ConstantExpr&>(e);
  QCOMPARE(c.value_kind, isBytes ? ConstKind::Bytes : ConstKind::Str);
  QCOMPARE(QByteArray::fromStdString(c.s), value);
}

void tst_Parser::numbers_data()
{
  QTest::addColumn<QByteArray>("literal");
  QTest::addColumn<bool>("isFloat");
  QTest::addColumn<qint64>("i");
  QTest::addColumn<double>("f");
  const auto integer = [](const char* src, qint64 v) {
    QTest::newRow(src) << QByteArray(src) << false << v << 0.0;
  };
  const auto real = [](const char* src, double v) {
    QTest::newRow(src) << QByteArray(src) << true << qint64{0} << v;
  };
  integer("0", 0);
  integer("00", 0);
  integer("0_0", 0);
  integer("7", 7);
  integer("1_000_000", 1000000);
  integer("0x1F", 31);
  integer("0XfF", 255);
  integer("0x_ff_ff", 65535);
  integer("0o17", 15);
  integer("0O_7", 7);
  integer("0b1010", 10);
  integer("0B_1", 1);
  integer("9223372036854775807", std::numeric_limits<qint64>::max());
  integer("0x7fffffffffffffff", std::numeric_limits<qint64>::max());
  real("1.", 1.0);
  real(".5", 0.5);
  real("1.5", 1.5);
  real("0.1", 0.1);
  real("1e-3", 1e-3);
  real("1E5", 1e5);
  real("1e+5", 1e5);
  real("1_0.5_5e1_0", 10.55e10);
  real("00.5", 0.5);
  real("0e0", 0.0);
  real("1e400", std::numeric_limits<double>::infinity());
  real("1e-400", 0.0);
}

void tst_Parser::numbers()
{
  QFETCH(QByteArray, literal);
  QFETCH(bool, isFloat);
  QFETCH(qint64, i);
  QFETCH(double, f);
  const Module m = parseBytes(literal);
  QCOMPARE(m.body.size(), std::size_t{1});
  const Expr& e = *static_cast<const ExprStmt&>(*m.body[0]).value;
  QCOMPARE(e.kind, ExprKind::Constant);
  const auto& c = static_cast<const ConstantExpr&>(e);
  if (isFloat) {
    QCOMPARE(c.value_kind, ConstKind::Float);
    QVERIFY2(c.f == f || (std::isinf(c.f) && std::isinf(f)), QByteArray::number(c.f, 'g', 17));
  } else {
    QCOMPARE(c.value_kind, ConstKind::Int);
    QCOMPARE(static_cast<qint64>(c.i), i);
  }
}

// ------------------------------------------------------------------ source text

void tst_Parser::linesAndEndLines()
{
  const QByteArray src =
      "import asyncio\n"          // 1
      "\n"                        // 2
      "async def main(a,\n"       // 3
      "               b):\n"      // 4
      "    x = [1,\n"             // 5
      "         2]\n"             // 6
      "    if x:\n"               // 7
      "        s = '''one\n"      // 8
      "two'''\n"                  // 9
      "    elif a:\n"             // 10
      "        pass\n"            // 11
      "    else:\n"               // 12
      "        y = 1; z = 2\n"    // 13
      "    # a comment\n"         // 14
      "\n"                        // 15
      "asyncio.run(main(1, \\\n"  // 16
      "                 2))";     // 17, no final newline
  const Module m = parseBytes(src);
  QCOMPARE(m.filename, std::string("test.py"));
  QCOMPARE(m.lines.size(), std::size_t{17});
  QCOMPARE(m.lines[0], std::string("import asyncio"));
  QCOMPARE(m.lines[1], std::string());
  QCOMPARE(m.lines[8], std::string("two'''"));
  QCOMPARE(m.lines[16], std::string("                 2))"));
  QCOMPARE(m.body.size(), std::size_t{3});
  QCOMPARE(m.body[0]->end_line, 1u);
  const auto& f = static_cast<const FunctionDefStmt&>(*m.body[1]);
  QCOMPARE(f.pos.line, 3u);
  QCOMPARE(f.end_line, 13u);
  QCOMPARE(f.body.size(), std::size_t{2});
  QCOMPARE(f.body[0]->pos.line, 5u);
  QCOMPARE(f.body[0]->end_line, 6u);
  const auto& i = static_cast<const IfStmt&>(*f.body[1]);
  QCOMPARE(i.end_line, 13u);
  QCOMPARE(i.body[0]->end_line, 9u);
  const auto& elif = static_cast<const IfStmt&>(*i.orelse[0]);
  QCOMPARE(elif.pos.line, 10u);
  QCOMPARE(elif.end_line, 13u);
  QCOMPARE(elif.orelse.size(), std::size_t{2});
  QCOMPARE(elif.orelse[1]->pos.line, 13u);
  QCOMPARE(elif.orelse[1]->pos.col, 16u);
  QCOMPARE(elif.orelse[1]->end_line, 13u);
  QCOMPARE(m.body[2]->pos.line, 16u);
  QCOMPARE(m.body[2]->end_line, 17u);
}

void tst_Parser::sourceEncodingAndLineEnds_data()
{
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QStringList>("lines");
  QTest::addColumn<QByteArray>("expected");
  const QByteArray two = "Assign([Name('x', Store)], Constant(1)), Expr(Name('y'))";
  QTest::newRow("LF") << QByteArray("x = 1\ny\n") << QStringList{"x = 1", "y"} << two;
  QTest::newRow("CRLF") << QByteArray("x = 1\r\ny\r\n") << QStringList{"x = 1", "y"} << two;
  QTest::newRow("CR") << QByteArray("x = 1\ry\r") << QStringList{"x = 1", "y"} << two;
  QTest::newRow("no final newline") << QByteArray("x = 1\ny") << QStringList{"x = 1", "y"} << two;
  QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFx = 1\ny\n") << QStringList{"x = 1", "y"} << two;
  QTest::newRow("coding line") << QByteArray("# -*- coding: utf-8 -*-\nx = 1\ny")
                               << QStringList{"# -*- coding: utf-8 -*-", "x = 1", "y"} << two;
  QTest::newRow("blank lines and comments")
      << QByteArray("\n  \n# c\nx = 1  # c\n\n\t\ny\n\n")
      << QStringList{"", "  ", "# c", "x = 1  # c", "", "\t", "y", ""} << two;
  QTest::newRow("CRLF in brackets and strings")
      << QByteArray("x = (1\r\n)\r\ny\r\n") << QStringList{"x = (1", ")", "y"} << two;
  QTest::newRow("empty") << QByteArray("") << QStringList{} << QByteArray("");
  QTest::newRow("only a comment") << QByteArray("# nothing") << QStringList{"# nothing"}
                                  << QByteArray("");
  QTest::newRow("form feed") << QByteArray("\fx = 1\n\fy") << QStringList{"\fx = 1", "\fy"} << two;
}

void tst_Parser::sourceEncodingAndLineEnds()
{
  QFETCH(QByteArray, source);
  QFETCH(QStringList, lines);
  QFETCH(QByteArray, expected);
  const Module m = parseBytes(source);
  QStringList got;
  for (const std::string& l : m.lines) {
    got << QString::fromStdString(l);
  }
  QCOMPARE(got, lines);
  QCOMPARE(bodyDump(m), expected);
}

void tst_Parser::docstrings_data()
{
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<QByteArray>("docstring");
  QTest::addColumn<int>("bodySize");
  QTest::newRow("one line") << QByteArray("def f():\n    \"\"\"Doc.\"\"\"\n") << QByteArray("Doc.")
                            << 1;
  QTest::newRow("then code") << QByteArray("async def f():\n    'Doc.'\n    return 1\n")
                             << QByteArray("Doc.") << 2;
  QTest::newRow("concatenated") << QByteArray("def f():\n    'a' \"b\"\n") << QByteArray("ab") << 1;
  QTest::newRow("escapes") << QByteArray("def f(): '\\tx\\n'") << QByteArray("\tx\n") << 1;
  QTest::newRow("f-string is none") << QByteArray("def f():\n    f'{x}'\n") << QByteArray() << 1;
  QTest::newRow("bytes is none") << QByteArray("def f():\n    b'x'\n") << QByteArray() << 1;
  QTest::newRow("not first") << QByteArray("def f():\n    x = 1\n    'Doc.'\n") << QByteArray()
                             << 2;
  QTest::newRow("number is none") << QByteArray("def f():\n    1\n") << QByteArray() << 1;
}

void tst_Parser::docstrings()
{
  QFETCH(QByteArray, source);
  QFETCH(QByteArray, docstring);
  QFETCH(int, bodySize);
  const Module m = parseBytes(source);
  QCOMPARE(m.body.size(), std::size_t{1});
  const auto& f = static_cast<const FunctionDefStmt&>(*m.body[0]);
  QCOMPARE(QByteArray::fromStdString(f.docstring), docstring);
  // the docstring stays in the body as an expression statement
  QCOMPARE(static_cast<int>(f.body.size()), bodySize);
}

void tst_Parser::fieldsNotInTheDump()
{
  const Module m = parseBytes("t = (1, 2)\nu = 1, 2\nv = ()\n");
  const auto tuple = [&](std::size_t i) -> const SequenceExpr& {
    return static_cast<const SequenceExpr&>(*static_cast<const AssignStmt&>(*m.body[i]).value);
  };
  QVERIFY(tuple(0).parenthesized);
  QVERIFY(!tuple(1).parenthesized);
  QVERIFY(tuple(2).parenthesized);
  QCOMPARE(tuple(0).pos.col, 5u);
  QCOMPARE(tuple(1).pos.col, 5u);
  // The parser leaves the resolver's fields alone.
  QVERIFY(!m.body[0]->has_await);
  QVERIFY(!tuple(0).has_await);
  const Module a = parseBytes("async def f():\n    await g()\n");
  const auto& f = static_cast<const FunctionDefStmt&>(*a.body[0]);
  QVERIFY(f.is_async);
  QVERIFY(!f.body[0]->has_await);
  QVERIFY(f.scope_info == nullptr);
  const auto& name = static_cast<const NameExpr&>(
      *static_cast<const CallExpr&>(
           *static_cast<const AwaitExpr&>(*static_cast<const ExprStmt&>(*f.body[0]).value).value)
           .func);
  QCOMPARE(name.slot, -1);
  QCOMPARE(name.scope, std::uint8_t{0});
}

// ------------------------------------------------------------------ robustness

void tst_Parser::nestingLimits_data()
{
  // CPython's own limits for brackets (200) and indentation (99 levels); loopscope's for what
  // would make the parser, the tree's destructor or the interpreter recurse too deeply.
  QTest::addColumn<QByteArray>("source");
  QTest::addColumn<bool>("ok");
  QTest::addColumn<Kind>("kind");
  QTest::addColumn<QByteArray>("message");
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("col");
  const QByteArray none;
  QTest::newRow("200 parentheses")
      << repeat("(", 200) + "x" + repeat(")", 200) << true << Kind::Syntax << none << 0 << 0;
  QTest::newRow("201 parentheses")
      << "x = 1\n" + repeat("(", 201) + repeat(")", 201) << false << Kind::Syntax
      << QByteArray("too many nested parentheses") << 2 << 201;
  QTest::newRow("200 brackets in an f-string") << "f'{" + repeat("[", 200) + repeat("]", 200) + "}'"
                                               << true << Kind::Syntax << none << 0 << 0;
  QTest::newRow("190 nested calls")
      << repeat("f(", 190) + repeat(")", 190) << true << Kind::Syntax << none << 0 << 0;
  QByteArray ifs99, ifs100;
  for (int i = 0; i < 100; ++i) {
    const QByteArray line = QByteArray(i, ' ') + "if x:\n";
    if (i < 99) {
      ifs99 += line;
    }
    ifs100 += line;
  }
  QTest::newRow("99 indentation levels") << ifs99 + QByteArray(99, ' ') + "pass\n"
                                         << true << Kind::Syntax << none << 0 << 0;
  QTest::newRow("100 indentation levels")
      << ifs100 + QByteArray(100, ' ') + "pass\n"
      << false << Kind::Indentation << QByteArray("too many levels of indentation") << 101 << 1;
  QTest::newRow("unary chain") << repeat("-", 100000) + "1" << false << Kind::NotSupported
                               << QByteArray("expressions nested more than 400 levels deep") << 1
                               << 400;
  QTest::newRow("not chain") << repeat("not ", 100000) + "x" << false << Kind::NotSupported
                             << QByteArray("expressions nested more than 400 levels deep") << 1
                             << 1597;
  QTest::newRow("lambda chain") << repeat("lambda: ", 10000) + "1" << false << Kind::NotSupported
                                << QByteArray("expressions nested more than 400 levels deep") << 1
                                << 3201;
  QTest::newRow("attribute chain")
      << "x" + repeat(".a", 100000) << false << Kind::NotSupported
      << QByteArray("expressions nested more than 1000 levels deep") << 1 << 1;
  QTest::newRow("attribute chain of 900")
      << "x" + repeat(".a", 900) << true << Kind::Syntax << none << 0 << 0;
  QTest::newRow("binary chain") << "x = 1" + repeat(" + 1", 100000) << false << Kind::NotSupported
                                << QByteArray("expressions nested more than 1000 levels deep") << 1
                                << 5;
  QTest::newRow("call chain") << "f" + repeat("()", 100000) << false << Kind::NotSupported
                              << QByteArray("expressions nested more than 1000 levels deep") << 1
                              << 1;
  QTest::newRow("elif chain") << "if x: pass\n" + repeat("elif y: pass\n", 5000) << false
                              << Kind::NotSupported
                              << QByteArray("statements nested more than 1000 levels deep") << 1001
                              << 9;
  QTest::newRow("flat list of 100k")
      << "x = [" + repeat("1, ", 100000) + "]" << true << Kind::Syntax << none << 0 << 0;
  QTest::newRow("10k chained assignments")
      << repeat("a = ", 10000) + "1" << true << Kind::Syntax << none << 0 << 0;
}

void tst_Parser::nestingLimits()
{
  QFETCH(QByteArray, source);
  QFETCH(bool, ok);
  QFETCH(Kind, kind);
  QFETCH(QByteArray, message);
  QFETCH(int, line);
  QFETCH(int, col);
  if (ok) {
    try {
      const Module m = parseBytes(source);
      QVERIFY(!m.body.empty());
    } catch (const ParseError& e) {
      QFAIL(e.describe().c_str());
    }
    return;
  }
  const ParseError e = parseError(source);
  QCOMPARE(QByteArray::fromStdString(e.message), message);
  QCOMPARE(e.kind, kind);
  QCOMPARE(static_cast<int>(e.pos.line), line);
  QCOMPARE(static_cast<int>(e.pos.col), col);
}

void tst_Parser::everyPrefixParsesOrFails()
{
  const QByteArray program(kProgram);
  QCOMPARE(parseBytes(program).body.size(), std::size_t{11});
  int parsed = 0, failed = 0;
  for (qsizetype n = 0; n <= program.size(); ++n) {
    checkParsesOrFails(program.left(n), parsed, failed);
    if (QTest::currentTestFailed()) {
      qWarning("prefix of %d bytes", static_cast<int>(n));
      return;
    }
  }
  // Cut at a line end the program parses; cut inside a statement it does not.
  QVERIFY(parsed > 20);
  QVERIFY(failed > program.size() / 2);
}

void tst_Parser::randomMutationsParseOrFail()
{
  const QByteArray program(kProgram);
  const char* const fragments[] = {"(",
                                   ")",
                                   "[",
                                   "]",
                                   "{",
                                   "}",
                                   ":",
                                   ",",
                                   "\n",
                                   "    ",
                                   "\t",
                                   "'",
                                   "\"",
                                   "\"\"\"",
                                   "f'",
                                   "{x",
                                   "=}",
                                   "!r",
                                   "\\",
                                   "#",
                                   "=",
                                   ":=",
                                   "*",
                                   "**",
                                   "await ",
                                   "async ",
                                   "lambda ",
                                   "if ",
                                   "else ",
                                   "for ",
                                   " in ",
                                   "yield ",
                                   "not ",
                                   "é",
                                   "€",
                                   "\xff",
                                   "\xc3",
                                   "1e",
                                   "0x",
                                   "1_",
                                   ".",
                                   "...",
                                   "@",
                                   "->",
                                   "\r\n",
                                   "\r",
                                   "\f",
                                   "rb'",
                                   "\\N{",
                                   "\\x",
                                   "\\u12",
                                   "\0",
                                   "except* E:\n",
                                   "match x:\n",
                                   "def f[T]():\n",
                                   "    return\n",
                                   "class C:\n",
                                   "try:\n"};
  std::mt19937 rng(20240611);
  int parsed = 0, failed = 0;
  for (int i = 0; i < 3000; ++i) {
    QByteArray s = program;
    const int mutations = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < mutations; ++k) {
      const auto at = static_cast<qsizetype>(rng() % static_cast<std::uint32_t>(s.size() + 1));
      switch (rng() % 4) {
        case 0:
          if (at < s.size()) {
            s[at] = static_cast<char>(rng() % 256);
          }
          break;
        case 1: {
          const char* f = fragments[rng() % std::size(fragments)];
          s.insert(at, QByteArray(f, f[0] == 0 ? 1 : static_cast<qsizetype>(std::strlen(f))));
          break;
        }
        case 2:
          s.remove(at, 1 + static_cast<qsizetype>(rng() % 8));
          break;
        default:
          s.insert(at, s.mid(at, 1 + static_cast<qsizetype>(rng() % 40)));
          break;
      }
    }
    checkParsesOrFails(s, parsed, failed);
    if (QTest::currentTestFailed()) {
      qWarning("mutation %d", i);
      return;
    }
  }
  QVERIFY(parsed > 0);
  QVERIFY(failed > 0);
}

void tst_Parser::largeFile()
{
  QByteArray src;
  int units = 0;
  while (src.count('\n') < 10000) {
    src += QByteArray(kProgram).replace("__main__", "__main" + QByteArray::number(units) + "__");
    ++units;
  }
  const auto start = std::chrono::steady_clock::now();
  const Module m = parseBytes(src);
  const auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  QCOMPARE(m.body.size(), static_cast<std::size_t>(11 * units));
  QCOMPARE(m.lines.size(), static_cast<std::size_t>(src.count('\n')));
  qInfo("parsed %d lines in %.1f ms", static_cast<int>(m.lines.size()), ms.count());
}

QTEST_APPLESS_MAIN(tst_Parser)
#include "tst_parser.moc"
