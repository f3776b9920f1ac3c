// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared between protocols.cpp and builtins.cpp (and usable by the evaluator): the objects the
// protocols need beyond interp.h (NotImplemented, Ellipsis, dict views), CPython's set iteration
// order, user-class dunder dispatch, rich comparison, in-place and unary operators.

#include "engine/script/ast.h"
#include "engine/script/interp.h"
#include "engine/script/pyerror.h"
#include "engine/script/value.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::script::detail {

/// Per-interpreter objects created by install_builtins (raw pointers: the types are kept alive by
/// the interpreter's type roots, the singletons by the builtins dict).
struct Extras
{
  TypeObject* dict_keys = nullptr;
  TypeObject* dict_values = nullptr;
  TypeObject* dict_items = nullptr;
  TypeObject* not_implemented_type = nullptr;
  TypeObject* ellipsis_type = nullptr;
  // Iterator types (for type() and repr of iterators, as CPython names them).
  TypeObject* list_iterator = nullptr;
  TypeObject* tuple_iterator = nullptr;
  TypeObject* str_iterator = nullptr;
  TypeObject* str_ascii_iterator = nullptr;
  TypeObject* bytes_iterator = nullptr;
  TypeObject* range_iterator = nullptr;
  TypeObject* dict_keyiterator = nullptr;
  TypeObject* dict_valueiterator = nullptr;
  TypeObject* dict_itemiterator = nullptr;
  TypeObject* set_iterator = nullptr;
  TypeObject* callable_iterator = nullptr;
  TypeObject* list_reverseiterator = nullptr;
  Object* not_implemented = nullptr;
  Object* ellipsis = nullptr;
};
/// The interpreter's extras, created on first use.
Extras& extras(Interp& in);
/// (Re)creates them for a new interpreter (install_builtins calls it first).
void init_extras(Interp& in);

/// A PyError (from pyformat) as the Python exception of the type it names.
[[noreturn]] void raise_pyerror(Interp& in, const PyError& e);

/// Runs f, turning a PyError into the Python exception.
template <class F>
auto guarded(Interp& in, F&& f) -> decltype(f())
{
  try {
    return f();
  } catch (const PyError& e) {
    raise_pyerror(in, e);
  }
}

/// dict.keys() / values() / items(): a live view of a dict.
struct DictViewObject : NativeObject
{
  enum class Which : std::uint8_t { Keys, Values, Items };
  DictViewObject(TypeObject* t, Value d, Which w) : NativeObject(t), dict(std::move(d)), which(w) {}
  void clear_refs() override { dict = Value(); }
  Value dict;
  Which which;
};
DictViewObject* as_dict_view(const Value& v) noexcept;
Value make_dict_view(Interp& in, const Value& dict, DictViewObject::Which w);

Value not_implemented(Interp& in);
bool is_not_implemented(Interp& in, const Value& v);
Value ellipsis(Interp& in);

/// Entry indexes of a set's table in the order CPython iterates an equal set built by inserting
/// the same elements in the same order (CPython's open-addressing layout, from the stored hashes).
std::vector<std::size_t> set_order(const HashTable& t);

/// A new set (frozen: frozenset) / adds a key.
Value new_set(Interp& in, bool frozen = false);
void set_add(Interp& in, SetObject* s, Value key);

/// The dunder `name` of a user class (or a native type's method) in the MRO of v's type; null for
/// builtin types (whose behaviour is implemented natively).
const Value* user_dunder(const Value& v, std::string_view name);
/// Calls a function found in a class dict with `self` first.
Value call_method(Interp& in, const Value& fn, const Value& self, std::vector<Value> args);

/// `a <op> b` for Eq, NotEq, Lt, LtE, Gt, GtE with CPython's reflected dispatch; returns what the
/// dunder returned (a bool for builtin types).
Value rich_compare(Interp& in, CmpOpKind op, const Value& a, const Value& b);
/// `a <op>= b`: mutates lists, sets and dicts in place, dispatches __iadd__ & co, else binop.
Value inplace_binop(Interp& in, BinOpKind op, const Value& a, const Value& b);
/// -a, +a, ~a, not a (with __neg__, __pos__, __invert__).
Value unary_op(Interp& in, UnaryOpKind op, const Value& a);

/// An iterator over `source` advanced by `fn` (type: in.t.iterator unless given).
Value make_iterator(Interp& in, Value source,
                    std::function<bool(Interp&, IteratorObject&, Value&)> fn,
                    TypeObject* type = nullptr);

/// format(v, spec): __format__ of user classes, pyformat's mini-language for int, bool, float and
/// str, str(v) for an empty spec, else TypeError "unsupported format string passed to
/// list.__format__".
std::string format_value(Interp& in, const Value& v, std::string_view spec);

/// An int from an int-like value (int, bool, or __index__), else TypeError with `what` ("list
/// indices must be integers or slices, not str" style messages are built by the caller).
bool index_of(Interp& in, const Value& v, std::int64_t& out);

/// Code points of a str (computed once and cached in the object).
std::int64_t str_cp_len(StrObject* s);

/// CPython's hash of a 64-bit int (hash(x) for int x).
std::int64_t int_hash(std::int64_t v) noexcept;
/// CPython's hash of a float.
std::int64_t float_hash(double v) noexcept;

/// "<__main__.Foo object at 0x...>".
std::string default_repr(Interp& in, const Value& v);
std::string address_of(const void* p);

}  // namespace loopscope::script::detail
