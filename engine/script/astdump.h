// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A compact, stable text form of the syntax tree, like Python's `ast.dump(tree)` but shorter:
// node names are Python's; required fields are positional; optional fields are omitted when
// empty and otherwise written as `name=value`; Load context is omitted (Store and Del are shown);
// positions only on request (see dump()). For tests and debugging. Examples:
//
//   x = a.b(1, *c, k=2)   Module([Assign([Name('x', Store)], Call(Attribute(Name('a'), 'b'),
//                         [Constant(1), Starred(Name('c'))], keywords=[keyword('k',
//                         Constant(2))]))])
//   -2**2                 Module([Expr(UnaryOp(USub, BinOp(Constant(2), Pow, Constant(2))))])
//   f"{x!r:>{w}}"         Module([Expr(JoinedStr([FormattedValue(Name('x'), conversion='r',
//                         format_spec=JoinedStr([Constant('>'), FormattedValue(Name('w'))]))]))])
//
// Per node (`?` = omitted when absent):
//   Constant(v)  v in Python repr: 1, 1.5, 'text', b'bytes', None, True, False, Ellipsis
//   Name('id'[, Store|Del])   Attribute(value, 'attr'[, ctx])   Subscript(value, index[, ctx])
//   Slice(lower=?, upper=?, step=?)   Starred(value[, ctx])   NamedExpr(target, value)
//   Call(func, [args], keywords=?[keyword('arg', value) | keyword(value)])
//   BinOp(left, Add, right)   UnaryOp(Not|USub|UAdd|Invert, operand)   BoolOp(And|Or, [values])
//   Compare(left, [Eq, In, ...], [comparators])   IfExp(test, body, orelse)
//   Lambda(arguments(...), body)   Await(value)
//   List([elts][, ctx])  Tuple([elts][, ctx])  Set([elts])  Dict([keys], [values]) (None key: **)
//   ListComp/SetComp/GeneratorExp(elt, [generators])  DictComp(key, value, [generators])
//   comprehension(target, iter, ifs=?[...], is_async=?True)
//   JoinedStr([values])   FormattedValue(value, conversion=?'r', format_spec=?JoinedStr(...))
//   arguments(args=?, defaults=?, vararg=?, kwonlyargs=?, kw_defaults=? (None = required),
//             kwarg=?)   arg('name'[, annotation])
//   Expr(value)  Assign([targets], value)  AugAssign(target, Add, value)
//   AnnAssign(target, annotation[, value])  Return([value])  Delete([targets])
//   Pass() Break() Continue()  If/While(test, [body], orelse=?[...])
//   For/AsyncFor(target, iter, [body], orelse=?[...])  With/AsyncWith([withitem(expr[, vars])],
//   [body])  Try/TryStar([body], [handlers], orelse=?, finalbody=?)
//   ExceptHandler([type, ]['name', ][body])  Raise([exc][, cause=...])  Assert(test[, msg])
//   Import([alias('a.b'[, 'asname'])])  ImportFrom('module', [aliases], level=?n)
//   Global(['a', 'b'])  Nonlocal([...])
//   FunctionDef/AsyncFunctionDef('name', arguments(...), [body], decorators=?, returns=?,
//   docstring=?)   ClassDef('name', [body], bases=?, keywords=?, decorators=?)
//   Module([body])

#include "engine/script/ast.h"

#include <string>

namespace loopscope::script {

/// With `positions`, every node that has a position shows it after its name: `Name@1:5('x')`
/// (line:column), and statements also their last line: `Assign@1:1-3(...)`.
std::string dump(const Module& module, bool positions = false);
std::string dump(const Stmt& stmt, bool positions = false);
std::string dump(const Expr& expr, bool positions = false);

}  // namespace loopscope::script
