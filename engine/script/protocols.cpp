// SPDX-License-Identifier: GPL-3.0-or-later
// The object protocols of the interpreter (repr, str, truth, hash, comparison, arithmetic,
// subscripts, membership, iteration, len) with CPython's semantics for the builtin types and
// dispatch to the dunder methods of user classes; and the insertion-ordered HashTable behind dict
// and set.

#include "engine/script/interp.h"
#include "engine/script/protocols_detail.h"
#include "engine/script/pyerror.h"
#include "engine/script/pyformat.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace loopscope::script {

namespace {

using detail::DictViewObject;
using detail::guarded;
using detail::user_dunder;

[[noreturn]] void type_error(Interp& in, std::string msg)
{
  in.raise(in.e.TypeError, std::move(msg));
}

[[noreturn]] void raise_key_error(Interp& in, const Value& key)
{
  in.raise_value(in.new_exception(in.e.KeyError, {key}));
}

bool has_dunders(const Value& v) noexcept
{
  if (!v.is_obj())
    return false;
  const Object* o = v.obj();
  return o->kind == Kind::Native || (o->type != nullptr && !o->type->is_builtin);
}

/// Repr-recursion guard: `[...]` for a list that contains itself.
struct ReprGuard
{
  static std::vector<const Object*>& stack()
  {
    thread_local std::vector<const Object*> s;
    return s;
  }
  explicit ReprGuard(const Object* o) : o_(o)
  {
    auto& s = stack();
    recursive = std::find(s.begin(), s.end(), o) != s.end();
    if (!recursive)
      s.push_back(o);
  }
  ~ReprGuard()
  {
    if (!recursive)
      stack().pop_back();
  }
  ReprGuard(const ReprGuard&) = delete;
  ReprGuard& operator=(const ReprGuard&) = delete;
  bool recursive = false;

private:
  const Object* o_;
};

constexpr std::uint64_t kHashModulus = (std::uint64_t{1} << 61) - 1;

std::uint64_t pointer_hash(const void* p) noexcept
{
  auto y = reinterpret_cast<std::uintptr_t>(p);
  y = (y >> 4) | (y << (8 * sizeof(void*) - 4));
  if (y == std::numeric_limits<std::uintptr_t>::max())
    y -= 1;
  return y;
}

std::uint64_t bytes_hash(std::string_view s) noexcept
{
  // FNV-1a: stable within (and across) runs. CPython's str hash is randomized per process, so
  // scripts cannot depend on its values.
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  if (h == std::numeric_limits<std::uint64_t>::max())
    h -= 1;
  return h;
}

std::uint64_t str_hash(StrObject* s) noexcept
{
  if (!s->hashed) {
    s->hash = bytes_hash(s->s);
    s->hashed = true;
  }
  return s->hash;
}

std::uint64_t tuple_hash(Interp& in, const std::vector<Value>& items)
{
  constexpr std::uint64_t p1 = 11400714785074694791ULL;
  constexpr std::uint64_t p2 = 14029467366897019727ULL;
  constexpr std::uint64_t p5 = 2870177450012600261ULL;
  std::uint64_t acc = p5;
  for (const Value& v : items) {
    const std::uint64_t lane = in.hash(v);
    acc += lane * p2;
    acc = (acc << 31) | (acc >> 33);
    acc *= p1;
  }
  acc += items.size() ^ (p5 ^ 3527539UL);
  if (acc == std::numeric_limits<std::uint64_t>::max())
    return 1546275796;
  return acc;
}

std::uint64_t shuffle_bits(std::uint64_t h) noexcept
{
  return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL;
}

/// The simulated CPython table size of a set with these entries (for frozenset's hash).
std::size_t simulated_table_size(std::size_t used)
{
  // Adding one by one: resize when fill*5 >= mask*3, to used*4 (used > 50000: used*2).
  std::size_t mask = 7;
  for (std::size_t fill = 1; fill <= used; ++fill) {
    if (fill * 5 >= mask * 3) {
      const std::size_t minused = fill > 50000 ? fill * 2 : fill * 4;
      std::size_t size = 8;
      while (size <= minused)
        size <<= 1;
      mask = size - 1;
    }
  }
  return mask + 1;
}

std::uint64_t frozenset_hash(const HashTable& t)
{
  std::uint64_t hash = 0;
  for (const auto& e : t.entries())
    if (e.live)
      hash ^= shuffle_bits(e.hash);
  const std::size_t size = simulated_table_size(t.size());
  if ((size - t.size()) & 1)
    hash ^= shuffle_bits(0);
  hash ^= (static_cast<std::uint64_t>(t.size()) + 1) * 1927868237UL;
  hash ^= (hash >> 11) ^ (hash >> 25);
  hash = hash * 69069U + 907133923UL;
  if (hash == std::numeric_limits<std::uint64_t>::max())
    hash = 590923713UL;
  return hash;
}

// ------------------------------------------------------------------ numbers

/// -1, 0, 1 comparing an int with a (non-NaN) double exactly.
int cmp_int_double(std::int64_t i, double d) noexcept
{
  if (d >= 0x1p63)
    return -1;
  if (d < -0x1p63)
    return 1;
  const double fl = std::floor(d);
  const auto fi = static_cast<std::int64_t>(fl);
  if (i < fi)
    return -1;
  if (i > fi)
    return 1;
  return d > fl ? -1 : 0;
}

bool is_number(const Value& v) noexcept
{
  return v.is_intlike() || v.is_float();
}

double to_double(const Value& v) noexcept
{
  return v.is_float() ? v.as_float() : static_cast<double>(v.as_int());
}

/// Compares two numbers; nullopt if either is NaN (every ordering comparison is false).
std::optional<int> cmp_numbers(const Value& a, const Value& b) noexcept
{
  if (a.is_intlike() && b.is_intlike()) {
    const auto x = a.as_int(), y = b.as_int();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_float() && b.is_float()) {
    const double x = a.as_float(), y = b.as_float();
    if (std::isnan(x) || std::isnan(y))
      return std::nullopt;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_intlike()) {
    if (std::isnan(b.as_float()))
      return std::nullopt;
    return cmp_int_double(a.as_int(), b.as_float());
  }
  if (std::isnan(a.as_float()))
    return std::nullopt;
  return -cmp_int_double(b.as_int(), a.as_float());
}

[[noreturn]] void int_overflow(Interp& in)
{
  in.raise(in.e.OverflowError, std::string(py::kIntegerOverflow));
}

[[noreturn]] void zero_division(Interp& in, const char* msg)
{
  in.raise(in.e.ZeroDivisionError, msg);
}

std::int64_t int_floordiv(std::int64_t a, std::int64_t b) noexcept
{
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}

std::int64_t int_mod(std::int64_t a, std::int64_t b) noexcept
{
  std::int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0)))
    r += b;
  return r;
}

double float_mod(double vx, double wx) noexcept
{
  double mod = std::fmod(vx, wx);
  if (mod != 0) {
    if ((wx < 0) != (mod < 0))
      mod += wx;
  } else {
    mod = std::copysign(0.0, wx);
  }
  return mod;
}

double float_floordiv(double vx, double wx) noexcept
{
  double mod = std::fmod(vx, wx);
  double div = (vx - mod) / wx;
  if (mod != 0) {
    if ((wx < 0) != (mod < 0))
      div -= 1.0;
  }
  double floordiv;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5)
      floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, vx / wx);
  }
  return floordiv;
}

Value float_pow(Interp& in, double x, double y)
{
  return Value::from_float(guarded(in, [&] { return py::pow_float(x, y); }));
}

Value int_pow(Interp& in, std::int64_t base, std::int64_t exp)
{
  if (exp < 0) {
    if (base == 0)
      zero_division(in, "0.0 cannot be raised to a negative power");
    return float_pow(in, static_cast<double>(base), static_cast<double>(exp));
  }
  std::int64_t result = 1;
  std::int64_t b = base;
  std::int64_t e = exp;
  while (e > 0) {
    if (e & 1) {
      if (__builtin_mul_overflow(result, b, &result))
        int_overflow(in);
    }
    e >>= 1;
    if (e > 0 && __builtin_mul_overflow(b, b, &b))
      int_overflow(in);
  }
  return Value::from_int(result);
}

/// Numeric binary operation; false if not applicable (operands not both numbers, or an operator
/// numbers do not support).
bool numeric_binop(Interp& in, BinOpKind op, const Value& a, const Value& b, Value& out)
{
  if (!is_number(a) || !is_number(b))
    return false;
  if (a.is_intlike() && b.is_intlike()) {
    const std::int64_t x = a.as_int(), y = b.as_int();
    std::int64_t r = 0;
    switch (op) {
      case BinOpKind::Add:
        if (__builtin_add_overflow(x, y, &r))
          int_overflow(in);
        out = Value::from_int(r);
        return true;
      case BinOpKind::Sub:
        if (__builtin_sub_overflow(x, y, &r))
          int_overflow(in);
        out = Value::from_int(r);
        return true;
      case BinOpKind::Mult:
        if (__builtin_mul_overflow(x, y, &r))
          int_overflow(in);
        out = Value::from_int(r);
        return true;
      case BinOpKind::Div:
        if (y == 0)
          zero_division(in, "division by zero");
        out = Value::from_float(py::int_true_div(x, y));
        return true;
      case BinOpKind::FloorDiv:
        if (y == 0)
          zero_division(in, "integer division or modulo by zero");
        if (x == std::numeric_limits<std::int64_t>::min() && y == -1)
          int_overflow(in);
        out = Value::from_int(int_floordiv(x, y));
        return true;
      case BinOpKind::Mod:
        if (y == 0)
          zero_division(in, "integer modulo by zero");
        out = Value::from_int(y == -1 ? 0 : int_mod(x, y));
        return true;
      case BinOpKind::Pow:
        out = int_pow(in, x, y);
        return true;
      case BinOpKind::LShift:
        if (y < 0)
          in.raise(in.e.ValueError, "negative shift count");
        if (x == 0) {
          out = Value::from_int(0);
          return true;
        }
        if (y >= 63)
          int_overflow(in);
        r = static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << y);
        if ((r >> y) != x)
          int_overflow(in);
        out = Value::from_int(r);
        return true;
      case BinOpKind::RShift:
        if (y < 0)
          in.raise(in.e.ValueError, "negative shift count");
        out = Value::from_int(y >= 64 ? (x < 0 ? -1 : 0) : (x >> y));
        return true;
      case BinOpKind::BitAnd:
        out = a.is_bool() && b.is_bool() ? Value((x & y) != 0) : Value::from_int(x & y);
        return true;
      case BinOpKind::BitOr:
        out = a.is_bool() && b.is_bool() ? Value((x | y) != 0) : Value::from_int(x | y);
        return true;
      case BinOpKind::BitXor:
        out = a.is_bool() && b.is_bool() ? Value((x ^ y) != 0) : Value::from_int(x ^ y);
        return true;
      case BinOpKind::MatMult:
        return false;
    }
    return false;
  }
  const double x = to_double(a), y = to_double(b);
  switch (op) {
    case BinOpKind::Add:
      out = Value::from_float(x + y);
      return true;
    case BinOpKind::Sub:
      out = Value::from_float(x - y);
      return true;
    case BinOpKind::Mult:
      out = Value::from_float(x * y);
      return true;
    case BinOpKind::Div:
      if (y == 0)
        zero_division(in, "float division by zero");
      out = Value::from_float(x / y);
      return true;
    case BinOpKind::FloorDiv:
      if (y == 0)
        zero_division(in, "float floor division by zero");
      out = Value::from_float(float_floordiv(x, y));
      return true;
    case BinOpKind::Mod:
      if (y == 0)
        zero_division(in, "float modulo");
      out = Value::from_float(float_mod(x, y));
      return true;
    case BinOpKind::Pow:
      out = float_pow(in, x, y);
      return true;
    default:
      return false;
  }
}

const char* op_symbol(BinOpKind op) noexcept
{
  switch (op) {
    case BinOpKind::Add:
      return "+";
    case BinOpKind::Sub:
      return "-";
    case BinOpKind::Mult:
      return "*";
    case BinOpKind::MatMult:
      return "@";
    case BinOpKind::Div:
      return "/";
    case BinOpKind::Mod:
      return "%";
    case BinOpKind::Pow:
      return "**";
    case BinOpKind::LShift:
      return "<<";
    case BinOpKind::RShift:
      return ">>";
    case BinOpKind::BitOr:
      return "|";
    case BinOpKind::BitXor:
      return "^";
    case BinOpKind::BitAnd:
      return "&";
    case BinOpKind::FloorDiv:
      return "//";
  }
  return "?";
}

const char* op_dunder(BinOpKind op) noexcept
{
  switch (op) {
    case BinOpKind::Add:
      return "__add__";
    case BinOpKind::Sub:
      return "__sub__";
    case BinOpKind::Mult:
      return "__mul__";
    case BinOpKind::MatMult:
      return "__matmul__";
    case BinOpKind::Div:
      return "__truediv__";
    case BinOpKind::Mod:
      return "__mod__";
    case BinOpKind::Pow:
      return "__pow__";
    case BinOpKind::LShift:
      return "__lshift__";
    case BinOpKind::RShift:
      return "__rshift__";
    case BinOpKind::BitOr:
      return "__or__";
    case BinOpKind::BitXor:
      return "__xor__";
    case BinOpKind::BitAnd:
      return "__and__";
    case BinOpKind::FloorDiv:
      return "__floordiv__";
  }
  return "";
}

/// "__radd__" for "__add__", "__iadd__" for inplace.
std::string op_dunder_variant(BinOpKind op, char prefix)
{
  std::string n = op_dunder(op);
  n.insert(2, 1, prefix);
  return n;
}

// ------------------------------------------------------------------ sequences

bool is_seq_kind(const Value& v) noexcept
{
  if (!v.is_obj())
    return false;
  const Kind k = v.obj()->kind;
  return k == Kind::Str || k == Kind::Bytes || k == Kind::List || k == Kind::Tuple;
}

/// The repeat count of `seq * n`.
std::int64_t repeat_count(const Value& n) noexcept
{
  return std::max<std::int64_t>(0, n.as_int());
}

template <class T>
std::vector<T> repeat_vector(Interp& in, const std::vector<T>& v, std::int64_t n)
{
  std::vector<T> out;
  if (n <= 0 || v.empty())
    return out;
  if (static_cast<std::uint64_t>(n) > (std::uint64_t{1} << 40) / v.size())
    in.raise(in.builtins()["MemoryError"].as<TypeObject>(), "");
  in.check_length(v.size() * static_cast<std::uint64_t>(n));
  out.reserve(v.size() * static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    out.insert(out.end(), v.begin(), v.end());
  return out;
}

std::string repeat_string(Interp& in, const std::string& s, std::int64_t n)
{
  std::string out;
  if (n <= 0 || s.empty())
    return out;
  if (static_cast<std::uint64_t>(n) > (std::uint64_t{1} << 40) / s.size())
    in.raise(in.builtins()["MemoryError"].as<TypeObject>(), "");
  in.check_length(s.size() * static_cast<std::uint64_t>(n));
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    out += s;
  return out;
}

Value make_like(Interp& in, const Object* proto, std::vector<Value> items)
{
  return proto->kind == Kind::List ? in.list(std::move(items)) : in.tuple(std::move(items));
}

// ------------------------------------------------------------------ sets

bool is_setlike(const Value& v) noexcept
{
  if (v.as<SetObject>() != nullptr)
    return true;
  if (auto* dv = detail::as_dict_view(v))
    return dv->which != DictViewObject::Which::Values;
  return false;
}

/// A set/frozenset as is; a keys/items view as a new set.
Value as_set(Interp& in, const Value& v)
{
  if (v.as<SetObject>() != nullptr)
    return v;
  Value s = detail::new_set(in);
  auto* so = s.as<SetObject>();
  for (Value& x : in.to_vector(v))
    detail::set_add(in, so, std::move(x));
  return s;
}

bool set_contains(Interp& in, const SetObject* s, const Value& key)
{
  return s->table.find(in, key, in.hash(key)) >= 0;
}

bool is_subset(Interp& in, const SetObject* a, const SetObject* b)
{
  if (a->table.size() > b->table.size())
    return false;
  for (const auto& e : a->table.entries())
    if (e.live && b->table.find(in, e.key, e.hash) < 0)
      return false;
  return true;
}

/// a | b, a & b, a - b, a ^ b over sets; the result has a's type (a view gives a set).
Value set_operation(Interp& in, BinOpKind op, const Value& av, const Value& bv)
{
  Value as = as_set(in, av);
  Value bs = as_set(in, bv);
  auto* a = as.as<SetObject>();
  auto* b = bs.as<SetObject>();
  const bool frozen = av.as<SetObject>() != nullptr && a->frozen;
  Value r = detail::new_set(in, frozen);
  auto* rs = r.as<SetObject>();
  if (frozen && av.obj()->type != in.t.frozenset && !av.obj()->type->is_builtin)
    rs->type = in.t.frozenset;
  const auto add = [&](const HashTable::Entry& e) {
    rs->table.set(in, e.key, e.hash, Value());
  };
  switch (op) {
    case BinOpKind::BitOr:
      for (const auto& e : a->table.entries())
        if (e.live)
          add(e);
      for (const auto& e : b->table.entries())
        if (e.live)
          add(e);
      break;
    case BinOpKind::BitAnd: {
      // CPython iterates the smaller set.
      const SetObject* small = a->table.size() > b->table.size() ? b : a;
      const SetObject* big = small == a ? b : a;
      for (const auto& e : small->table.entries())
        if (e.live && big->table.find(in, e.key, e.hash) >= 0)
          add(e);
      break;
    }
    case BinOpKind::Sub:
      for (const auto& e : a->table.entries())
        if (e.live && b->table.find(in, e.key, e.hash) < 0)
          add(e);
      break;
    case BinOpKind::BitXor:
      for (const auto& e : a->table.entries())
        if (e.live && b->table.find(in, e.key, e.hash) < 0)
          add(e);
      for (const auto& e : b->table.entries())
        if (e.live && a->table.find(in, e.key, e.hash) < 0)
          add(e);
      break;
    default:
      break;
  }
  return r;
}

// ------------------------------------------------------------------ slices

using SliceIdx = py::SliceIndices;

std::optional<std::int64_t> slice_bound(Interp& in, const Value& v)
{
  if (v.is_none())
    return std::nullopt;
  std::int64_t i = 0;
  if (!detail::index_of(in, v, i))
    type_error(in, "slice indices must be integers or None or have an __index__ method");
  return i;
}

SliceIdx slice_indices(Interp& in, const SliceObject* s, std::int64_t len)
{
  const auto lo = slice_bound(in, s->lower);
  const auto hi = slice_bound(in, s->upper);
  const auto st = slice_bound(in, s->step);
  return guarded(in, [&] { return py::normalize_slice(len, lo, hi, st); });
}

template <class T>
std::vector<T> slice_vector(const std::vector<T>& v, const SliceIdx& s)
{
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(s.length));
  for (std::int64_t i = 0, j = s.start; i < s.length; ++i, j += s.step)
    out.push_back(v[static_cast<std::size_t>(j)]);
  return out;
}

std::string slice_bytes(const std::string& v, const SliceIdx& s)
{
  if (s.step == 1)
    return v.substr(static_cast<std::size_t>(s.start), static_cast<std::size_t>(s.length));
  std::string out;
  out.reserve(static_cast<std::size_t>(s.length));
  for (std::int64_t i = 0, j = s.start; i < s.length; ++i, j += s.step)
    out.push_back(v[static_cast<std::size_t>(j)]);
  return out;
}

/// Byte length of the UTF-8 sequence starting with `c`.
std::size_t utf8_len(unsigned char c) noexcept
{
  if (c < 0x80)
    return 1;
  if ((c & 0xE0) == 0xC0)
    return 2;
  if ((c & 0xF0) == 0xE0)
    return 3;
  if ((c & 0xF8) == 0xF0)
    return 4;
  return 1;
}

Value str_index(Interp& in, StrObject* s, std::int64_t i)
{
  const std::int64_t n = detail::str_cp_len(s);
  if (i < 0)
    i += n;
  if (i < 0 || i >= n)
    in.raise(in.e.IndexError, "string index out of range");
  if (s->ascii)
    return in.str(std::string(1, s->s[static_cast<std::size_t>(i)]));
  std::size_t off = 0;
  for (std::int64_t k = 0; k < i; ++k)
    off += utf8_len(static_cast<unsigned char>(s->s[off]));
  return in.str(s->s.substr(off, utf8_len(static_cast<unsigned char>(s->s[off]))));
}

Value str_slice(Interp& in, StrObject* s, const SliceObject* sl)
{
  const std::int64_t n = detail::str_cp_len(s);
  const SliceIdx idx = slice_indices(in, sl, n);
  if (s->ascii)
    return in.str(slice_bytes(s->s, idx));
  return in.str(py::str_slice(s->s, idx));
}

std::int64_t require_index(Interp& in, const Value& key, const char* what)
{
  std::int64_t i = 0;
  if (!detail::index_of(in, key, i))
    type_error(in,
               std::string(what) + " indices must be integers or slices, not " + in.type_name(key));
  return i;
}

std::size_t seq_pos(Interp& in, std::int64_t i, std::size_t size, const char* msg)
{
  const auto n = static_cast<std::int64_t>(size);
  if (i < 0)
    i += n;
  if (i < 0 || i >= n)
    in.raise(in.e.IndexError, msg);
  return static_cast<std::size_t>(i);
}

/// Calls a user dunder returning its result, or nullopt if the class does not define it.
std::optional<Value> try_dunder(Interp& in, const Value& self, const char* name,
                                std::vector<Value> args)
{
  const Value* f = user_dunder(self, name);
  if (f == nullptr)
    return std::nullopt;
  return detail::call_method(in, *f, self, std::move(args));
}

// ------------------------------------------------------------------ comparison

CmpOpKind swapped(CmpOpKind op) noexcept
{
  switch (op) {
    case CmpOpKind::Lt:
      return CmpOpKind::Gt;
    case CmpOpKind::LtE:
      return CmpOpKind::GtE;
    case CmpOpKind::Gt:
      return CmpOpKind::Lt;
    case CmpOpKind::GtE:
      return CmpOpKind::LtE;
    default:
      return op;
  }
}

const char* cmp_symbol(CmpOpKind op) noexcept
{
  switch (op) {
    case CmpOpKind::Lt:
      return "<";
    case CmpOpKind::LtE:
      return "<=";
    case CmpOpKind::Gt:
      return ">";
    case CmpOpKind::GtE:
      return ">=";
    case CmpOpKind::Eq:
      return "==";
    case CmpOpKind::NotEq:
      return "!=";
    default:
      return "?";
  }
}

const char* cmp_dunder(CmpOpKind op) noexcept
{
  switch (op) {
    case CmpOpKind::Lt:
      return "__lt__";
    case CmpOpKind::LtE:
      return "__le__";
    case CmpOpKind::Gt:
      return "__gt__";
    case CmpOpKind::GtE:
      return "__ge__";
    case CmpOpKind::Eq:
      return "__eq__";
    case CmpOpKind::NotEq:
      return "__ne__";
    default:
      return "";
  }
}

bool apply_cmp(CmpOpKind op, int c) noexcept
{
  switch (op) {
    case CmpOpKind::Lt:
      return c < 0;
    case CmpOpKind::LtE:
      return c <= 0;
    case CmpOpKind::Gt:
      return c > 0;
    case CmpOpKind::GtE:
      return c >= 0;
    case CmpOpKind::Eq:
      return c == 0;
    case CmpOpKind::NotEq:
      return c != 0;
    default:
      return false;
  }
}

bool is_eq_op(CmpOpKind op) noexcept
{
  return op == CmpOpKind::Eq || op == CmpOpKind::NotEq;
}

std::optional<bool> compare_sequences(Interp& in, CmpOpKind op, const std::vector<Value>& a,
                                      const std::vector<Value>& b)
{
  if (a.size() != b.size() && is_eq_op(op))
    return op == CmpOpKind::NotEq;
  // Items may change while comparing (Python code): re-check sizes each step.
  std::size_t i = 0;
  for (; i < a.size() && i < b.size(); ++i) {
    const Value x = a[i], y = b[i];
    if (!x.identical(y) && !in.eq(x, y))
      break;
  }
  if (i >= a.size() || i >= b.size()) {
    const int c = a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
    return apply_cmp(op, c);
  }
  if (op == CmpOpKind::Eq)
    return false;
  if (op == CmpOpKind::NotEq)
    return true;
  const Value x = a[i], y = b[i];
  return in.truthy(detail::rich_compare(in, op, x, y));
}

bool dict_equal(Interp& in, const DictObject* a, const DictObject* b)
{
  if (a->table.size() != b->table.size())
    return false;
  for (std::size_t i = 0; i < a->table.entries().size(); ++i) {
    const auto& ea = a->table.entries()[i];
    if (!ea.live)
      continue;
    const Value key = ea.key, va = ea.value;
    const std::int64_t j = b->table.find(in, key, ea.hash);
    if (j < 0)
      return false;
    const Value vb = b->table.entries()[static_cast<std::size_t>(j)].value;
    if (!va.identical(vb) && !in.eq(va, vb))
      return false;
  }
  return true;
}

/// Builtin comparison; nullopt = NotImplemented.
std::optional<bool> builtin_compare(Interp& in, CmpOpKind op, const Value& a, const Value& b)
{
  if (is_number(a) && is_number(b)) {
    const auto c = cmp_numbers(a, b);
    if (!c)
      return op == CmpOpKind::NotEq;
    return apply_cmp(op, *c);
  }
  if (!a.is_obj() || !b.is_obj())
    return std::nullopt;
  Object* ao = a.obj();
  Object* bo = b.obj();
  switch (ao->kind) {
    case Kind::Str:
      if (bo->kind == Kind::Str) {
        const int c = static_cast<StrObject*>(ao)->s.compare(static_cast<StrObject*>(bo)->s);
        return apply_cmp(op, c);
      }
      return std::nullopt;
    case Kind::Bytes:
      if (bo->kind == Kind::Bytes) {
        const int c = static_cast<BytesObject*>(ao)->s.compare(static_cast<BytesObject*>(bo)->s);
        return apply_cmp(op, c);
      }
      return std::nullopt;
    case Kind::List:
      if (bo->kind == Kind::List)
        return compare_sequences(in, op, static_cast<ListObject*>(ao)->items,
                                 static_cast<ListObject*>(bo)->items);
      return std::nullopt;
    case Kind::Tuple:
      if (bo->kind == Kind::Tuple)
        return compare_sequences(in, op, static_cast<TupleObject*>(ao)->items,
                                 static_cast<TupleObject*>(bo)->items);
      return std::nullopt;
    case Kind::Dict:
      if (bo->kind == Kind::Dict && is_eq_op(op)) {
        const bool e = dict_equal(in, static_cast<DictObject*>(ao), static_cast<DictObject*>(bo));
        return op == CmpOpKind::Eq ? e : !e;
      }
      return std::nullopt;
    case Kind::Range:
      if (bo->kind == Kind::Range && is_eq_op(op)) {
        auto* x = static_cast<RangeObject*>(ao);
        auto* y = static_cast<RangeObject*>(bo);
        const std::int64_t n = x->length();
        bool e = n == y->length();
        if (e && n > 0)
          e = x->start == y->start && (n == 1 || x->step == y->step);
        return op == CmpOpKind::Eq ? e : !e;
      }
      return std::nullopt;
    case Kind::Slice:
      if (bo->kind == Kind::Slice) {
        auto* x = static_cast<SliceObject*>(ao);
        auto* y = static_cast<SliceObject*>(bo);
        return compare_sequences(in, op, {x->lower, x->upper, x->step},
                                 {y->lower, y->upper, y->step});
      }
      return std::nullopt;
    case Kind::BoundMethod:
      if (bo->kind == Kind::BoundMethod && is_eq_op(op)) {
        auto* x = static_cast<BoundMethodObject*>(ao);
        auto* y = static_cast<BoundMethodObject*>(bo);
        const bool e = x->self.identical(y->self) && in.eq(x->fn, y->fn);
        return op == CmpOpKind::Eq ? e : !e;
      }
      return std::nullopt;
    case Kind::Builtin:
      if (bo->kind == Kind::Builtin && is_eq_op(op)) {
        auto* x = static_cast<BuiltinObject*>(ao);
        auto* y = static_cast<BuiltinObject*>(bo);
        const bool e = ao == bo || (x->fn != nullptr && x->fn == y->fn && x->name == y->name &&
                                    x->self.identical(y->self));
        return op == CmpOpKind::Eq ? e : !e;
      }
      return std::nullopt;
    default:
      break;
  }
  if (is_setlike(a) && is_setlike(b)) {
    const Value as = as_set(in, a), bs = as_set(in, b);
    auto* x = as.as<SetObject>();
    auto* y = bs.as<SetObject>();
    switch (op) {
      case CmpOpKind::Eq:
        return x->table.size() == y->table.size() && is_subset(in, x, y);
      case CmpOpKind::NotEq:
        return !(x->table.size() == y->table.size() && is_subset(in, x, y));
      case CmpOpKind::LtE:
        return is_subset(in, x, y);
      case CmpOpKind::Lt:
        return x->table.size() < y->table.size() && is_subset(in, x, y);
      case CmpOpKind::GtE:
        return is_subset(in, y, x);
      case CmpOpKind::Gt:
        return y->table.size() < x->table.size() && is_subset(in, y, x);
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

/// One side's comparison slot: the user dunder, else the builtin comparison. nullopt =
/// NotImplemented.
std::optional<Value> compare_slot(Interp& in, CmpOpKind op, const Value& a, const Value& b)
{
  if (has_dunders(a)) {
    if (const Value* f = user_dunder(a, cmp_dunder(op))) {
      if (f->is_none())
        return std::nullopt;
      Value r = detail::call_method(in, *f, a, {b});
      if (detail::is_not_implemented(in, r))
        return std::nullopt;
      return r;
    }
    if (op == CmpOpKind::NotEq) {
      // object.__ne__: the inverse of __eq__ unless that is NotImplemented.
      if (const Value* f = user_dunder(a, "__eq__")) {
        Value r = detail::call_method(in, *f, a, {b});
        if (detail::is_not_implemented(in, r))
          return std::nullopt;
        return Value(!in.truthy(r));
      }
    }
  }
  if (auto r = builtin_compare(in, op, a, b))
    return Value(*r);
  return std::nullopt;
}

bool defines_dunder(const Value& v, CmpOpKind op)
{
  return has_dunders(v) && user_dunder(v, cmp_dunder(op)) != nullptr;
}

// ------------------------------------------------------------------ binary operators

[[noreturn]] void binop_error(Interp& in, BinOpKind op, const Value& a, const Value& b,
                              bool inplace)
{
  const auto* ak = a.is_obj() ? a.obj() : nullptr;
  if (op == BinOpKind::Add && ak != nullptr && !has_dunders(a)) {
    switch (ak->kind) {
      case Kind::Str:
        type_error(in, "can only concatenate str (not \"" + in.type_name(b) + "\") to str");
      case Kind::List:
        type_error(in, "can only concatenate list (not \"" + in.type_name(b) + "\") to list");
      case Kind::Tuple:
        type_error(in, "can only concatenate tuple (not \"" + in.type_name(b) + "\") to tuple");
      case Kind::Bytes:
        type_error(in, "can't concat " + in.type_name(b) + " to bytes");
      default:
        break;
    }
  }
  if (op == BinOpKind::Mult && (is_seq_kind(a) || is_seq_kind(b))) {
    const Value& other = is_seq_kind(a) ? b : a;
    type_error(in, "can't multiply sequence by non-int of type '" + in.type_name(other) + "'");
  }
  if (op == BinOpKind::Mod && a.as<BytesObject>() != nullptr)
    type_error(in, "not all arguments converted during bytes formatting");
  std::string sym = op_symbol(op);
  if (inplace)
    sym += "=";
  else if (op == BinOpKind::Pow)
    sym = "** or pow()";
  type_error(in, "unsupported operand type(s) for " + sym + ": '" + in.type_name(a) + "' and '" +
                     in.type_name(b) + "'");
}

/// Python's `%` on str: printf-style formatting.
Value str_percent(Interp& in, StrObject* fmt, const Value& args);

/// Builtin binary operation; false = NotImplemented.
bool builtin_binop(Interp& in, BinOpKind op, const Value& a, const Value& b, Value& out)
{
  if (numeric_binop(in, op, a, b, out))
    return true;
  if (!a.is_obj() && !b.is_obj())
    return false;
  Object* ao = a.is_obj() ? a.obj() : nullptr;
  Object* bo = b.is_obj() ? b.obj() : nullptr;
  switch (op) {
    case BinOpKind::Add:
      if (ao == nullptr || bo == nullptr || ao->kind != bo->kind)
        return false;
      switch (ao->kind) {
        case Kind::Str:
          out = in.str(static_cast<StrObject*>(ao)->s + static_cast<StrObject*>(bo)->s);
          return true;
        case Kind::Bytes:
          out = in.bytes(static_cast<BytesObject*>(ao)->s + static_cast<BytesObject*>(bo)->s);
          return true;
        case Kind::List:
        case Kind::Tuple: {
          const auto& x = ao->kind == Kind::List ? static_cast<ListObject*>(ao)->items
                                                 : static_cast<TupleObject*>(ao)->items;
          const auto& y = bo->kind == Kind::List ? static_cast<ListObject*>(bo)->items
                                                 : static_cast<TupleObject*>(bo)->items;
          std::vector<Value> items;
          items.reserve(x.size() + y.size());
          items.insert(items.end(), x.begin(), x.end());
          items.insert(items.end(), y.begin(), y.end());
          out = make_like(in, ao, std::move(items));
          return true;
        }
        default:
          return false;
      }
    case BinOpKind::Mult: {
      const Value* seq = nullptr;
      const Value* n = nullptr;
      if (is_seq_kind(a) && b.is_intlike()) {
        seq = &a;
        n = &b;
      } else if (is_seq_kind(b) && a.is_intlike()) {
        seq = &b;
        n = &a;
      } else {
        return false;
      }
      Object* so = seq->obj();
      const std::int64_t count = repeat_count(*n);
      switch (so->kind) {
        case Kind::Str:
          out = in.str(repeat_string(in, static_cast<StrObject*>(so)->s, count));
          return true;
        case Kind::Bytes:
          out = in.bytes(repeat_string(in, static_cast<BytesObject*>(so)->s, count));
          return true;
        case Kind::List:
          out = in.list(repeat_vector(in, static_cast<ListObject*>(so)->items, count));
          return true;
        default:
          out = in.tuple(repeat_vector(in, static_cast<TupleObject*>(so)->items, count));
          return true;
      }
    }
    case BinOpKind::Mod:
      if (ao != nullptr && ao->kind == Kind::Str) {
        out = str_percent(in, static_cast<StrObject*>(ao), b);
        return true;
      }
      return false;
    case BinOpKind::BitOr:
      if (ao != nullptr && bo != nullptr && ao->kind == Kind::Dict && bo->kind == Kind::Dict) {
        Value r = in.dict();
        auto& rt = r.as<DictObject>()->table;
        for (const auto& e : static_cast<DictObject*>(ao)->table.entries())
          if (e.live)
            rt.set(in, e.key, e.hash, e.value);
        for (const auto& e : static_cast<DictObject*>(bo)->table.entries())
          if (e.live)
            rt.set(in, e.key, e.hash, e.value);
        out = std::move(r);
        return true;
      }
      [[fallthrough]];
    case BinOpKind::BitAnd:
    case BinOpKind::BitXor:
    case BinOpKind::Sub:
      if (is_setlike(a) && is_setlike(b)) {
        out = set_operation(in, op, a, b);
        return true;
      }
      return false;
    default:
      return false;
  }
}

Value binop_impl(Interp& in, BinOpKind op, const Value& a, const Value& b, bool inplace)
{
  Value r;
  const bool au = has_dunders(a), bu = has_dunders(b);
  if (!au && !bu) {
    if (builtin_binop(in, op, a, b, r))
      return r;
    binop_error(in, op, a, b, inplace);
  }
  const TypeObject* ta = in.type_of(a);
  const TypeObject* tb = in.type_of(b);
  const std::string rname = op_dunder_variant(op, 'r');
  bool checked_reverse = false;
  if (bu && ta != tb && tb->is_subtype_of(ta)) {
    if (auto x = try_dunder(in, b, rname.c_str(), {a})) {
      checked_reverse = true;
      if (!detail::is_not_implemented(in, *x))
        return *x;
    }
  }
  if (au) {
    if (auto x = try_dunder(in, a, op_dunder(op), {b}))
      if (!detail::is_not_implemented(in, *x))
        return *x;
  }
  if (builtin_binop(in, op, a, b, r))
    return r;
  if (bu && !checked_reverse && ta != tb) {
    if (auto x = try_dunder(in, b, rname.c_str(), {a}))
      if (!detail::is_not_implemented(in, *x))
        return *x;
  }
  binop_error(in, op, a, b, inplace);
}

// ------------------------------------------------------------------ iteration helpers

bool list_next(Interp&, IteratorObject& it, Value& out)
{
  auto* l = it.source.as<ListObject>();
  if (l == nullptr || it.index < 0 || static_cast<std::size_t>(it.index) >= l->items.size()) {
    it.source = Value();
    return false;
  }
  out = l->items[static_cast<std::size_t>(it.index++)];
  return true;
}

bool tuple_next(Interp&, IteratorObject& it, Value& out)
{
  auto* t = it.source.as<TupleObject>();
  if (t == nullptr || static_cast<std::size_t>(it.index) >= t->items.size()) {
    it.source = Value();
    return false;
  }
  out = t->items[static_cast<std::size_t>(it.index++)];
  return true;
}

bool str_next(Interp& in, IteratorObject& it, Value& out)
{
  auto* s = it.source.as<StrObject>();
  if (s == nullptr || static_cast<std::size_t>(it.index) >= s->s.size()) {
    it.source = Value();
    return false;
  }
  const auto off = static_cast<std::size_t>(it.index);
  const std::size_t n =
      std::min(utf8_len(static_cast<unsigned char>(s->s[off])), s->s.size() - off);
  out = in.str(s->s.substr(off, n));
  it.index += static_cast<std::int64_t>(n);
  return true;
}

bool bytes_next(Interp&, IteratorObject& it, Value& out)
{
  auto* s = it.source.as<BytesObject>();
  if (s == nullptr || static_cast<std::size_t>(it.index) >= s->s.size()) {
    it.source = Value();
    return false;
  }
  out = Value::from_int(static_cast<unsigned char>(s->s[static_cast<std::size_t>(it.index++)]));
  return true;
}

bool range_next(Interp&, IteratorObject& it, Value& out)
{
  auto* r = it.source.as<RangeObject>();
  if (r == nullptr || it.index >= r->length()) {
    it.source = Value();
    return false;
  }
  out = Value::from_int(r->start + it.index++ * r->step);
  return true;
}

/// Iterates a dict's entries: `which` selects keys, values or items.
template <DictViewObject::Which W>
bool dict_next(Interp& in, IteratorObject& it, Value& out)
{
  auto* d = it.source.as<DictObject>();
  if (d == nullptr)
    return false;
  const HashTable& t = d->table;
  // IteratorObject::version holds the table version in the high bits and its size in the low.
  if (t.version() != (it.version >> 24) || t.size() != (it.version & 0xFFFFFF)) {
    const bool size_changed = t.size() != (it.version & 0xFFFFFF);
    it.version = (t.version() << 24) | (t.size() & 0xFFFFFF);
    in.raise(in.e.RuntimeError, size_changed ? "dictionary changed size during iteration"
                                             : "dictionary keys changed during iteration");
  }
  const auto& es = t.entries();
  while (static_cast<std::size_t>(it.index) < es.size() &&
         !es[static_cast<std::size_t>(it.index)].live)
    ++it.index;
  if (static_cast<std::size_t>(it.index) >= es.size()) {
    it.source = Value();
    return false;
  }
  const auto& e = es[static_cast<std::size_t>(it.index++)];
  if constexpr (W == DictViewObject::Which::Keys)
    out = e.key;
  else if constexpr (W == DictViewObject::Which::Values)
    out = e.value;
  else
    out = in.tuple({e.key, e.value});
  return true;
}

Value dict_iterator(Interp& in, const Value& dict, DictViewObject::Which w)
{
  auto* d = dict.as<DictObject>();
  std::function<bool(Interp&, IteratorObject&, Value&)> fn;
  const auto& x = detail::extras(in);
  TypeObject* type = nullptr;
  switch (w) {
    case DictViewObject::Which::Keys:
      fn = dict_next<DictViewObject::Which::Keys>;
      type = x.dict_keyiterator;
      break;
    case DictViewObject::Which::Values:
      fn = dict_next<DictViewObject::Which::Values>;
      type = x.dict_valueiterator;
      break;
    case DictViewObject::Which::Items:
      fn = dict_next<DictViewObject::Which::Items>;
      type = x.dict_itemiterator;
      break;
  }
  Value it = detail::make_iterator(in, dict, std::move(fn), type);
  it.as<IteratorObject>()->version = (d->table.version() << 24) | (d->table.size() & 0xFFFFFF);
  return it;
}

Value set_iterator(Interp& in, const Value& set)
{
  auto* s = set.as<SetObject>();
  auto order = std::make_shared<std::vector<std::size_t>>(detail::set_order(s->table));
  const std::uint64_t size = s->table.size();
  Value it = detail::make_iterator(
      in, set,
      [order, size](Interp& in2, IteratorObject& self, Value& out) {
        auto* so = self.source.as<SetObject>();
        if (so == nullptr)
          return false;
        if (so->table.size() != size) {
          in2.raise(in2.e.RuntimeError, "Set changed size during iteration");
        }
        while (static_cast<std::size_t>(self.index) < order->size()) {
          const std::size_t k = (*order)[static_cast<std::size_t>(self.index++)];
          if (k < so->table.entries().size() && so->table.entries()[k].live) {
            out = so->table.entries()[k].key;
            return true;
          }
        }
        self.source = Value();
        return false;
      },
      detail::extras(in).set_iterator);
  it.as<IteratorObject>()->version = s->table.version();
  return it;
}

/// Iterates a user object with __getitem__ (the old sequence protocol).
bool getitem_next(Interp& in, IteratorObject& it, Value& out)
{
  if (it.source.is_none())
    return false;
  try {
    out = in.getitem(it.source, Value::from_int(it.index));
  } catch (const PyException& e) {
    if (in.isinstance(e.exc, in.e.IndexError) || in.isinstance(e.exc, in.e.StopIteration)) {
      it.source = Value();
      return false;
    }
    throw;
  }
  ++it.index;
  return true;
}

// ------------------------------------------------------------------ repr

std::string join_reprs(Interp& in, const std::vector<Value>& items)
{
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      out += ", ";
    const Value v = items[i];
    out += in.repr(v);
  }
  return out;
}

std::string set_items_repr(Interp& in, const SetObject* s)
{
  std::string out;
  bool first = true;
  for (std::size_t k : detail::set_order(s->table)) {
    if (k >= s->table.entries().size() || !s->table.entries()[k].live)
      continue;
    if (!first)
      out += ", ";
    first = false;
    const Value v = s->table.entries()[k].key;
    out += in.repr(v);
  }
  return out;
}

std::string dict_repr(Interp& in, const DictObject* d)
{
  std::string out = "{";
  bool first = true;
  for (std::size_t i = 0; i < d->table.entries().size(); ++i) {
    const auto& e = d->table.entries()[i];
    if (!e.live)
      continue;
    if (!first)
      out += ", ";
    first = false;
    const Value k = e.key, v = e.value;
    out += in.repr(k);
    out += ": ";
    out += in.repr(v);
  }
  out += "}";
  return out;
}

bool is_group(Interp& in, const ExceptionObject* e)
{
  return e->type->is_subtype_of(in.e.BaseExceptionGroup);
}

std::string exception_repr(Interp& in, const ExceptionObject* e)
{
  std::string out = e->type->name;
  auto* args = e->args.as<TupleObject>();
  if (args == nullptr || args->items.empty())
    return out + "()";
  if (args->items.size() == 1) {
    const Value a = args->items[0];
    return out + "(" + in.repr(a) + ")";
  }
  return out + "(" + join_reprs(in, args->items) + ")";
}

std::string exception_str(Interp& in, const ExceptionObject* e)
{
  if (is_group(in, e) && !e->group_exceptions.empty()) {
    const std::size_t n = e->group_exceptions.size();
    return e->group_message + " (" + std::to_string(n) + " sub-exception" + (n == 1 ? "" : "s") +
           ")";
  }
  auto* args = e->args.as<TupleObject>();
  if (args == nullptr || args->items.empty())
    return "";
  if (args->items.size() == 1) {
    const Value a = args->items[0];
    if (e->type->is_subtype_of(in.e.KeyError))
      return in.repr(a);
    return in.to_str(a);
  }
  const Value t = e->args;
  return in.repr(t);
}

std::string type_qualname(const TypeObject* t)
{
  auto it = t->dict.find("__qualname__");
  if (it != t->dict.end())
    if (auto* s = it->second.as<StrObject>())
      return s->s;
  return t->name;
}

std::string builtin_repr(Interp& in, const Value& v)
{
  Object* o = v.obj();
  switch (o->kind) {
    case Kind::Str:
      return py::str_repr(static_cast<StrObject*>(o)->s);
    case Kind::Bytes:
      return py::bytes_repr(static_cast<BytesObject*>(o)->s);
    case Kind::List: {
      ReprGuard g(o);
      if (g.recursive)
        return "[...]";
      return "[" + join_reprs(in, static_cast<ListObject*>(o)->items) + "]";
    }
    case Kind::Tuple: {
      auto* t = static_cast<TupleObject*>(o);
      if (t->items.empty())
        return "()";
      ReprGuard g(o);
      if (g.recursive)
        return "(...)";
      if (t->items.size() == 1) {
        const Value x = t->items[0];
        return "(" + in.repr(x) + ",)";
      }
      return "(" + join_reprs(in, t->items) + ")";
    }
    case Kind::Dict: {
      ReprGuard g(o);
      if (g.recursive)
        return "{...}";
      return dict_repr(in, static_cast<DictObject*>(o));
    }
    case Kind::Set: {
      auto* s = static_cast<SetObject*>(o);
      const std::string tn = in.type_name(v);
      if (s->table.size() == 0)
        return tn + "()";
      ReprGuard g(o);
      if (g.recursive)
        return tn + "(...)";
      if (s->frozen || o->type != in.t.set)
        return tn + "({" + set_items_repr(in, s) + "})";
      return "{" + set_items_repr(in, s) + "}";
    }
    case Kind::Range: {
      auto* r = static_cast<RangeObject*>(o);
      std::string out = "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
      if (r->step != 1)
        out += ", " + std::to_string(r->step);
      return out + ")";
    }
    case Kind::Slice: {
      auto* s = static_cast<SliceObject*>(o);
      return "slice(" + in.repr(s->lower) + ", " + in.repr(s->upper) + ", " + in.repr(s->step) +
             ")";
    }
    case Kind::Function: {
      auto* f = static_cast<FunctionObject*>(o);
      return "<function " + (f->qualname.empty() ? f->name : f->qualname) + " at " +
             detail::address_of(o) + ">";
    }
    case Kind::BoundMethod: {
      auto* m = static_cast<BoundMethodObject*>(o);
      std::string name;
      if (auto* f = m->fn.as<FunctionObject>())
        name = f->qualname.empty() ? f->name : f->qualname;
      else if (auto* b = m->fn.as<BuiltinObject>())
        name = b->name;
      else
        name = in.repr(m->fn);
      return "<bound method " + name + " of " + in.repr(m->self) + ">";
    }
    case Kind::Builtin: {
      auto* b = static_cast<BuiltinObject*>(o);
      if (b->self.is_none())
        return "<built-in function " + b->name + ">";
      std::string name = b->name;
      if (auto dot = name.rfind('.'); dot != std::string::npos)
        name = name.substr(dot + 1);
      return "<built-in method " + name + " of " + in.type_name(b->self) + " object at " +
             detail::address_of(b->self.is_obj() ? b->self.obj() : nullptr) + ">";
    }
    case Kind::Type: {
      auto* t = static_cast<TypeObject*>(o);
      if (t->module == "builtins")
        return "<class '" + t->name + "'>";
      return "<class '" + t->module + "." + type_qualname(t) + "'>";
    }
    case Kind::Module:
      return "<module '" + static_cast<ModuleObject*>(o)->name + "'>";
    case Kind::Exception:
      return exception_repr(in, static_cast<ExceptionObject*>(o));
    case Kind::Coroutine: {
      auto* c = static_cast<CoroutineObject*>(o);
      std::string name = "?";
      if (auto* f = c->fn.as<FunctionObject>())
        name = f->qualname.empty() ? f->name : f->qualname;
      return "<coroutine object " + name + " at " + detail::address_of(o) + ">";
    }
    case Kind::Property:
      return "<property object at " + detail::address_of(o) + ">";
    case Kind::Cell:
      return "<cell at " + detail::address_of(o) + ">";
    case Kind::Native:
      if (detail::as_dict_view(v) != nullptr) {
        ReprGuard g(o);
        if (g.recursive)
          return "...";
        const std::string tn = in.type_name(v);
        return tn + "([" + join_reprs(in, in.to_vector(v)) + "])";
      }
      return detail::default_repr(in, v);
    default:
      return detail::default_repr(in, v);
  }
}

}  // namespace

// ==================================================================== detail

namespace detail {

namespace {

struct ExtrasRegistry
{
  std::mutex m;
  std::unordered_map<const Interp*, std::unique_ptr<Extras>> map;
};

ExtrasRegistry& registry()
{
  static ExtrasRegistry r;
  return r;
}

void create_extras(Interp& in, Extras& x)
{
  x.dict_keys = in.make_type("dict_keys", {in.t.object}, Kind::Native, false);
  x.dict_values = in.make_type("dict_values", {in.t.object}, Kind::Native, false);
  x.dict_items = in.make_type("dict_items", {in.t.object}, Kind::Native, false);
  x.not_implemented_type = in.make_type("NotImplementedType", {in.t.object}, Kind::Instance, false);
  x.ellipsis_type = in.make_type("ellipsis", {in.t.object}, Kind::Instance, false);
  const auto it = [&](const char* name) {
    return in.make_type(name, {in.t.object}, Kind::Iterator, false);
  };
  x.list_iterator = it("list_iterator");
  x.tuple_iterator = it("tuple_iterator");
  x.str_iterator = it("str_iterator");
  x.str_ascii_iterator = it("str_ascii_iterator");
  x.bytes_iterator = it("bytes_iterator");
  x.range_iterator = it("range_iterator");
  x.dict_keyiterator = it("dict_keyiterator");
  x.dict_valueiterator = it("dict_valueiterator");
  x.dict_itemiterator = it("dict_itemiterator");
  x.set_iterator = it("set_iterator");
  x.callable_iterator = it("callable_iterator");
  x.list_reverseiterator = it("list_reverseiterator");
  Value ni = make<InstanceObject>(x.not_implemented_type);
  Value el = make<InstanceObject>(x.ellipsis_type);
  x.not_implemented = ni.obj();
  x.ellipsis = el.obj();
  in.builtins()["NotImplemented"] = ni;
  in.builtins()["Ellipsis"] = el;
}

}  // namespace

void init_extras(Interp& in)
{
  auto& r = registry();
  Extras* x = nullptr;
  {
    std::lock_guard lock(r.m);
    auto& slot = r.map[&in];
    if (!slot)
      slot = std::make_unique<Extras>();
    x = slot.get();
  }
  *x = Extras{};
  create_extras(in, *x);
}

Extras& extras(Interp& in)
{
  thread_local const Interp* cached_in = nullptr;
  thread_local Extras* cached = nullptr;
  if (cached_in == &in && cached != nullptr && cached->dict_keys != nullptr)
    return *cached;
  auto& r = registry();
  Extras* x = nullptr;
  bool fresh = false;
  {
    std::lock_guard lock(r.m);
    auto& slot = r.map[&in];
    if (!slot) {
      slot = std::make_unique<Extras>();
      fresh = true;
    }
    x = slot.get();
  }
  if (fresh || x->dict_keys == nullptr)
    create_extras(in, *x);
  cached_in = &in;
  cached = x;
  return *x;
}

[[noreturn]] void raise_pyerror(Interp& in, const PyError& e)
{
  auto it = in.builtins().find(e.type);
  TypeObject* t = it != in.builtins().end() ? it->second.as<TypeObject>() : nullptr;
  if (t == nullptr || !t->is_exception)
    t = in.e.RuntimeError;
  if (t->is_subtype_of(in.e.KeyError)) {
    // The message is the repr of the key; KeyError's str() is the repr of its argument, so the
    // argument must be the key itself: recover simple keys (quoted strs, ints).
    const std::string& m = e.message;
    Value key;
    if (m.size() >= 2 && (m.front() == '\'' || m.front() == '"') && m.back() == m.front() &&
        m.find('\\') == std::string::npos)
      key = in.str(m.substr(1, m.size() - 2));
    else if (!m.empty() && m.find_first_not_of("-0123456789") == std::string::npos)
      key = Value::from_int(std::strtoll(m.c_str(), nullptr, 10));
    else
      key = in.str(m);
    in.raise_value(in.new_exception(t, {key}));
  }
  in.raise(t, e.message);
}

DictViewObject* as_dict_view(const Value& v) noexcept
{
  if (!v.is_obj() || v.obj()->kind != Kind::Native)
    return nullptr;
  return dynamic_cast<DictViewObject*>(v.obj());
}

Value make_dict_view(Interp& in, const Value& dict, DictViewObject::Which w)
{
  Extras& x = extras(in);
  TypeObject* t = w == DictViewObject::Which::Keys     ? x.dict_keys
                  : w == DictViewObject::Which::Values ? x.dict_values
                                                       : x.dict_items;
  return make<DictViewObject>(t, dict, w);
}

Value not_implemented(Interp& in)
{
  return Value(extras(in).not_implemented);
}

bool is_not_implemented(Interp& in, const Value& v)
{
  return v.is_obj() && v.obj() == extras(in).not_implemented;
}

Value ellipsis(Interp& in)
{
  return Value(extras(in).ellipsis);
}

std::vector<std::size_t> set_order(const HashTable& t)
{
  const auto& es = t.entries();
  std::vector<std::size_t> out;
  out.reserve(t.size());
  if (t.size() <= 1) {
    for (std::size_t i = 0; i < es.size(); ++i)
      if (es[i].live)
        out.push_back(i);
    return out;
  }
  // CPython's setobject.c: linear probing (9 slots) then perturbation; resize when fill*5 >=
  // mask*3 to the smallest power of two > used*4 (used*2 past 50000), re-inserting in slot order.
  std::size_t mask = 7;
  std::vector<std::int64_t> slots(8, -1);
  const auto insert = [&](std::vector<std::int64_t>& table, std::size_t m, std::size_t entry) {
    const std::uint64_t h = es[entry].hash;
    std::size_t perturb = h;
    std::size_t i = h & m;
    for (;;) {
      if (table[i] < 0) {
        table[i] = static_cast<std::int64_t>(entry);
        return;
      }
      if (i + 9 <= m) {
        for (std::size_t j = 1; j <= 9; ++j) {
          if (table[i + j] < 0) {
            table[i + j] = static_cast<std::int64_t>(entry);
            return;
          }
        }
      }
      perturb >>= 5;
      i = (i * 5 + 1 + perturb) & m;
    }
  };
  std::size_t used = 0;
  for (std::size_t e = 0; e < es.size(); ++e) {
    if (!es[e].live)
      continue;
    insert(slots, mask, e);
    ++used;
    if (used * 5 >= mask * 3) {
      const std::size_t minused = used > 50000 ? used * 2 : used * 4;
      std::size_t size = 8;
      while (size <= minused)
        size <<= 1;
      std::vector<std::int64_t> bigger(size, -1);
      for (std::int64_t s : slots)
        if (s >= 0)
          insert(bigger, size - 1, static_cast<std::size_t>(s));
      slots.swap(bigger);
      mask = size - 1;
    }
  }
  for (std::int64_t s : slots)
    if (s >= 0)
      out.push_back(static_cast<std::size_t>(s));
  return out;
}

Value new_set(Interp& in, bool frozen)
{
  Value v = make<SetObject>(frozen);
  v.obj()->type = frozen ? in.t.frozenset : in.t.set;
  return v;
}

void set_add(Interp& in, SetObject* s, Value key)
{
  const std::uint64_t h = in.hash(key);
  s->table.set(in, std::move(key), h, Value());
}

const Value* user_dunder(const Value& v, std::string_view name)
{
  if (!v.is_obj())
    return nullptr;
  const Object* o = v.obj();
  const TypeObject* t = o->type;
  if (t == nullptr || (t->is_builtin && o->kind != Kind::Native))
    return nullptr;
  const std::string key(name);
  for (const TypeObject* m : t->mro) {
    if (m->is_builtin && m->instance_kind != Kind::Native)
      continue;
    auto it = m->dict.find(key);
    if (it != m->dict.end())
      return &it->second;
  }
  return nullptr;
}

Value call_method(Interp& in, const Value& fn, const Value& self, std::vector<Value> args)
{
  if (auto* b = fn.as<BuiltinObject>(); b != nullptr && b->fn != nullptr && !b->closure) {
    CallArgs ca;
    ca.args = std::move(args);
    const Value keep = fn;
    return b->fn(in, self, ca);
  }
  std::vector<Value> all;
  all.reserve(args.size() + 1);
  all.push_back(self);
  for (Value& a : args)
    all.push_back(std::move(a));
  const Value keep = fn;
  return in.call(keep, std::move(all));
}

Value rich_compare(Interp& in, CmpOpKind op, const Value& a, const Value& b)
{
  if (!has_dunders(a) && !has_dunders(b)) {
    if (auto r = builtin_compare(in, op, a, b))
      return Value(*r);
  } else {
    const TypeObject* ta = in.type_of(a);
    const TypeObject* tb = in.type_of(b);
    bool checked_reverse = false;
    if (ta != tb && tb->is_subtype_of(ta) && defines_dunder(b, swapped(op))) {
      checked_reverse = true;
      if (auto r = compare_slot(in, swapped(op), b, a))
        return *r;
    }
    if (auto r = compare_slot(in, op, a, b))
      return *r;
    if (!checked_reverse)
      if (auto r = compare_slot(in, swapped(op), b, a))
        return *r;
  }
  if (op == CmpOpKind::Eq)
    return Value(a.identical(b));
  if (op == CmpOpKind::NotEq)
    return Value(!a.identical(b));
  type_error(in, std::string("'") + cmp_symbol(op) + "' not supported between instances of '" +
                     in.type_name(a) + "' and '" + in.type_name(b) + "'");
}

Value inplace_binop(Interp& in, BinOpKind op, const Value& a, const Value& b)
{
  if (has_dunders(a)) {
    const std::string iname = op_dunder_variant(op, 'i');
    if (auto x = try_dunder(in, a, iname.c_str(), {b}))
      if (!is_not_implemented(in, *x))
        return *x;
  }
  if (auto* l = a.as<ListObject>()) {
    if (op == BinOpKind::Add) {
      if (auto* bl = b.as<ListObject>()) {
        const std::vector<Value> copy = bl->items;  // b may be a itself
        l->items.insert(l->items.end(), copy.begin(), copy.end());
      } else {
        std::vector<Value> items = in.to_vector(b);
        l->items.insert(l->items.end(), std::make_move_iterator(items.begin()),
                        std::make_move_iterator(items.end()));
      }
      return a;
    }
    if (op == BinOpKind::Mult && b.is_intlike()) {
      l->items = repeat_vector(in, l->items, repeat_count(b));
      return a;
    }
  }
  if (auto* s = a.as<SetObject>(); s != nullptr && !s->frozen && is_setlike(b)) {
    if (op == BinOpKind::BitOr || op == BinOpKind::BitAnd || op == BinOpKind::Sub ||
        op == BinOpKind::BitXor) {
      Value r = set_operation(in, op, a, b);
      auto* rs = r.as<SetObject>();
      if (op == BinOpKind::BitOr) {
        for (const auto& e : rs->table.entries())
          if (e.live)
            s->table.set(in, e.key, e.hash, Value());
      } else {
        // Keep a's surviving elements in their order, then add the new ones.
        std::vector<HashTable::Entry> keep;
        for (const auto& e : s->table.entries())
          if (e.live && rs->table.find(in, e.key, e.hash) >= 0)
            keep.push_back(e);
        std::vector<HashTable::Entry> added;
        for (const auto& e : rs->table.entries())
          if (e.live && s->table.find(in, e.key, e.hash) < 0)
            added.push_back(e);
        s->table.clear();
        for (auto& e : keep)
          s->table.set(in, e.key, e.hash, Value());
        for (auto& e : added)
          s->table.set(in, e.key, e.hash, Value());
      }
      return a;
    }
  }
  if (auto* d = a.as<DictObject>(); d != nullptr && op == BinOpKind::BitOr) {
    if (auto* bd = b.as<DictObject>()) {
      const std::vector<HashTable::Entry> es = bd->table.entries();
      for (const auto& e : es)
        if (e.live)
          d->table.set(in, e.key, e.hash, e.value);
      return a;
    }
    for (const Value& pair : in.to_vector(b)) {
      std::vector<Value> kv = in.to_vector(pair);
      if (kv.size() != 2)
        in.raise(in.e.ValueError, "dictionary update sequence element #0 has length " +
                                      std::to_string(kv.size()) + "; 2 is required");
      const std::uint64_t h = in.hash(kv[0]);
      d->table.set(in, kv[0], h, kv[1]);
    }
    return a;
  }
  return binop_impl(in, op, a, b, true);
}

Value unary_op(Interp& in, UnaryOpKind op, const Value& a)
{
  switch (op) {
    case UnaryOpKind::Not:
      return Value(!in.truthy(a));
    case UnaryOpKind::USub:
      if (a.is_intlike()) {
        if (a.as_int() == std::numeric_limits<std::int64_t>::min())
          int_overflow(in);
        return Value::from_int(-a.as_int());
      }
      if (a.is_float())
        return Value::from_float(-a.as_float());
      if (auto r = try_dunder(in, a, "__neg__", {}))
        return *r;
      type_error(in, "bad operand type for unary -: '" + in.type_name(a) + "'");
    case UnaryOpKind::UAdd:
      if (a.is_intlike())
        return Value::from_int(a.as_int());
      if (a.is_float())
        return a;
      if (auto r = try_dunder(in, a, "__pos__", {}))
        return *r;
      type_error(in, "bad operand type for unary +: '" + in.type_name(a) + "'");
    case UnaryOpKind::Invert:
      if (a.is_intlike())
        return Value::from_int(~a.as_int());
      if (auto r = try_dunder(in, a, "__invert__", {}))
        return *r;
      type_error(in, "bad operand type for unary ~: '" + in.type_name(a) + "'");
  }
  return {};
}

Value make_iterator(Interp& in, Value source,
                    std::function<bool(Interp&, IteratorObject&, Value&)> fn, TypeObject* type)
{
  Value v = make<IteratorObject>(type != nullptr ? type : in.t.iterator);
  auto* it = v.as<IteratorObject>();
  it->source = std::move(source);
  it->next_fn = std::move(fn);
  return v;
}

bool index_of(Interp& in, const Value& v, std::int64_t& out)
{
  if (v.is_intlike()) {
    out = v.as_int();
    return true;
  }
  if (has_dunders(v)) {
    if (auto r = try_dunder(in, v, "__index__", {})) {
      if (!r->is_intlike())
        type_error(in, "__index__ returned non-int (type " + in.type_name(*r) + ")");
      out = r->as_int();
      return true;
    }
  }
  return false;
}

std::int64_t str_cp_len(StrObject* s)
{
  if (s->cp_len < 0) {
    std::int64_t n = 0;
    for (unsigned char c : s->s)
      if ((c & 0xC0) != 0x80)
        ++n;
    s->cp_len = n;
    s->ascii = static_cast<std::size_t>(n) == s->s.size();
  }
  return s->cp_len;
}

std::int64_t int_hash(std::int64_t v) noexcept
{
  const bool neg = v < 0;
  std::uint64_t a = neg ? (~static_cast<std::uint64_t>(v) + 1) : static_cast<std::uint64_t>(v);
  a %= kHashModulus;
  auto h = static_cast<std::int64_t>(a);
  if (neg)
    h = -h;
  if (h == -1)
    h = -2;
  return h;
}

std::int64_t float_hash(double v) noexcept
{
  if (!std::isfinite(v)) {
    if (std::isinf(v))
      return v > 0 ? 314159 : -314159;
    return 0;
  }
  int e = 0;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  std::uint64_t x = 0;
  while (m != 0) {
    x = ((x << 28) & kHashModulus) | x >> (61 - 28);
    m *= 268435456.0;
    e -= 28;
    const auto y = static_cast<std::uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= kHashModulus)
      x -= kHashModulus;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & kHashModulus) | x >> (61 - e);
  x = x * static_cast<std::uint64_t>(static_cast<std::int64_t>(sign));
  auto h = static_cast<std::int64_t>(x);
  if (h == -1)
    h = -2;
  return h;
}

std::string address_of(const void* p)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%012llx",
                static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(p)));
  return buf;
}

std::string default_repr(Interp& in, const Value& v)
{
  const TypeObject* t = in.type_of(v);
  std::string name = type_qualname(t);
  if (t->module != "builtins")
    name = t->module + "." + name;
  return "<" + name + " object at " + address_of(v.is_obj() ? v.obj() : nullptr) + ">";
}

}  // namespace detail

namespace {

/// The right operand of `fmt % operand` for pyformat.
class PercentAdapter : public py::PercentArgs
{
public:
  PercentAdapter(Interp& in, const Value& operand) : in_(in), operand_(operand)
  {
    tuple_ = operand.as<TupleObject>();
  }
  bool is_tuple() const override { return tuple_ != nullptr; }
  std::size_t size() const override { return tuple_ != nullptr ? tuple_->items.size() : 1; }
  bool is_mapping() const override
  {
    if (tuple_ != nullptr || operand_.as<StrObject>() != nullptr || !operand_.is_obj())
      return false;
    switch (operand_.obj()->kind) {
      case Kind::Dict:
      case Kind::List:
      case Kind::Bytes:
      case Kind::Range:
        return true;
      default:
        return user_dunder(operand_, "__getitem__") != nullptr;
    }
  }
  void lookup(std::string_view key) override
  {
    looked_up_ = in_.getitem(operand_, in_.str(std::string(key)));
  }
  std::string str(Ref r) override { return in_.to_str(get(r)); }
  std::string repr(Ref r) override { return in_.repr(get(r)); }
  std::optional<std::int64_t> as_int(Ref r) override
  {
    const Value v = get(r);
    std::int64_t i = 0;
    if (detail::index_of(in_, v, i))
      return i;
    return std::nullopt;
  }
  std::optional<double> as_float(Ref r) override
  {
    const Value v = get(r);
    if (v.is_float())
      return v.as_float();
    if (v.is_intlike())
      return static_cast<double>(v.as_int());
    if (has_dunders(v)) {
      if (auto f = try_dunder(in_, v, "__float__", {}); f && f->is_float())
        return f->as_float();
      std::int64_t i = 0;
      if (detail::index_of(in_, v, i))
        return static_cast<double>(i);
    }
    return std::nullopt;
  }
  std::optional<std::string> as_str(Ref r) override
  {
    const Value v = get(r);
    if (auto* s = v.as<StrObject>())
      return s->s;
    return std::nullopt;
  }
  std::string type_name(Ref r) override { return in_.type_name(get(r)); }

private:
  Value get(Ref r) const
  {
    if (r == kOperand)
      return operand_;
    if (r == kLookedUp)
      return looked_up_;
    if (tuple_ != nullptr && r < tuple_->items.size())
      return tuple_->items[r];
    return operand_;
  }
  Interp& in_;
  Value operand_;
  TupleObject* tuple_ = nullptr;
  Value looked_up_;
};

Value str_percent(Interp& in, StrObject* fmt, const Value& args)
{
  PercentAdapter adapter(in, args);
  return in.str(guarded(in, [&] { return py::percent_format(fmt->s, adapter); }));
}

}  // namespace

// ==================================================================== HashTable

std::int64_t HashTable::find(Interp& in, const Value& key, std::uint64_t hash) const
{
  if (index_.empty())
    return -1;
  for (;;) {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = hash & mask;
    std::uint64_t perturb = hash;
    const std::uint64_t version = version_;
    bool restart = false;
    for (;;) {
      const std::int32_t slot = index_[i];
      if (slot < 0)
        return -1;
      const Entry& e = entries_[static_cast<std::size_t>(slot)];
      if (e.live && e.hash == hash) {
        if (e.key.identical(key))
          return slot;
        // Fast paths that run no Python code.
        const StrObject* ks = key.as<StrObject>();
        const StrObject* es2 = e.key.as<StrObject>();
        if (ks != nullptr && es2 != nullptr) {
          if (ks->s == es2->s)
            return slot;
        } else if (key.is_intlike() && e.key.is_intlike()) {
          if (key.as_int() == e.key.as_int())
            return slot;
        } else {
          const Value k = e.key;  // eq may run Python code that changes the table
          const bool same = in.eq(k, key);
          if (version != version_ || index_.empty()) {
            restart = true;
            break;
          }
          if (same)
            return slot;
        }
      }
      perturb >>= 5;
      i = (i * 5 + 1 + perturb) & mask;
    }
    if (!restart)
      return -1;
    if (index_.empty())
      return -1;
  }
}

bool HashTable::set(Interp& in, Value key, std::uint64_t hash, Value value)
{
  const std::int64_t found = find(in, key, hash);
  if (found >= 0) {
    Value old = std::move(entries_[static_cast<std::size_t>(found)].value);
    entries_[static_cast<std::size_t>(found)].value = std::move(value);
    return false;
  }
  if (index_.empty() || (entries_.size() + 1) * 3 > index_.size() * 2)
    rebuild();
  const std::size_t mask = index_.size() - 1;
  std::size_t i = hash & mask;
  std::uint64_t perturb = hash;
  while (index_[i] >= 0 && entries_[static_cast<std::size_t>(index_[i])].live) {
    perturb >>= 5;
    i = (i * 5 + 1 + perturb) & mask;
  }
  // A slot of a dead entry is reused; the dead entry stays in entries_ until the next rebuild.
  index_[i] = static_cast<std::int32_t>(entries_.size());
  Entry e;
  e.key = std::move(key);
  e.value = std::move(value);
  e.hash = hash;
  e.live = true;
  entries_.push_back(std::move(e));
  ++live_;
  ++version_;
  return true;
}

bool HashTable::erase(Interp& in, const Value& key, std::uint64_t hash)
{
  const std::int64_t found = find(in, key, hash);
  if (found < 0)
    return false;
  erase_at(static_cast<std::size_t>(found));
  return true;
}

void HashTable::erase_at(std::size_t index)
{
  if (index >= entries_.size() || !entries_[index].live)
    return;
  Entry& e = entries_[index];
  Value k = std::move(e.key);
  Value v = std::move(e.value);
  e.key = Value();
  e.value = Value();
  e.live = false;
  --live_;
  ++version_;
  // k and v are released here, after the table is consistent (their destructors may run code).
}

void HashTable::clear()
{
  std::vector<Entry> old = std::move(entries_);
  entries_.clear();
  index_.clear();
  live_ = 0;
  ++version_;
}

void HashTable::rebuild()
{
  // Compacts out dead entries and rebuilds the index with room for growth (load <= 1/3).
  if (live_ != entries_.size()) {
    std::vector<Entry> kept;
    kept.reserve(live_);
    for (Entry& e : entries_)
      if (e.live)
        kept.push_back(std::move(e));
    entries_.swap(kept);
  }
  std::size_t size = 8;
  while (size < (live_ + 1) * 3)
    size <<= 1;
  index_.assign(size, -1);
  const std::size_t mask = size - 1;
  for (std::size_t k = 0; k < entries_.size(); ++k) {
    const std::uint64_t h = entries_[k].hash;
    std::size_t i = h & mask;
    std::uint64_t perturb = h;
    while (index_[i] >= 0) {
      perturb >>= 5;
      i = (i * 5 + 1 + perturb) & mask;
    }
    index_[i] = static_cast<std::int32_t>(k);
  }
}

// ==================================================================== Interp protocols

std::string Interp::type_name(const Value& v) const
{
  return type_of(v)->name;
}

std::string Interp::repr(const Value& v)
{
  switch (v.tag()) {
    case Value::Tag::None:
      return "None";
    case Value::Tag::Bool:
      return v.as_bool() ? "True" : "False";
    case Value::Tag::Int:
      return std::to_string(v.as_int());
    case Value::Tag::Float:
      return py::float_repr(v.as_float());
    case Value::Tag::Obj:
      break;
  }
  Object* o = v.obj();
  if (has_dunders(v)) {
    if (const Value* f = user_dunder(v, "__repr__")) {
      Value r = detail::call_method(*this, *f, v, {});
      auto* s = r.as<StrObject>();
      if (s == nullptr)
        type_error(*this, "__repr__ returned non-string (type " + type_name(r) + ")");
      return s->s;
    }
    if (o->kind == Kind::Instance) {
      const detail::Extras& x = detail::extras(*this);
      if (o == x.not_implemented)
        return "NotImplemented";
      if (o == x.ellipsis)
        return "Ellipsis";
    }
  } else if (o->kind == Kind::Instance) {
    const detail::Extras& x = detail::extras(*this);
    if (o == x.not_implemented)
      return "NotImplemented";
    if (o == x.ellipsis)
      return "Ellipsis";
    return detail::default_repr(*this, v);
  }
  return builtin_repr(*this, v);
}

std::string Interp::to_str(const Value& v)
{
  if (auto* s = v.as<StrObject>())
    return s->s;
  if (!v.is_obj())
    return repr(v);
  if (has_dunders(v)) {
    if (const Value* f = user_dunder(v, "__str__")) {
      Value r = detail::call_method(*this, *f, v, {});
      auto* s = r.as<StrObject>();
      if (s == nullptr)
        type_error(*this, "__str__ returned non-string (type " + type_name(r) + ")");
      return s->s;
    }
    if (user_dunder(v, "__repr__") != nullptr)
      return repr(v);
  }
  if (auto* e = v.as<ExceptionObject>())
    return exception_str(*this, e);
  return repr(v);
}

bool Interp::truthy(const Value& v)
{
  switch (v.tag()) {
    case Value::Tag::None:
      return false;
    case Value::Tag::Bool:
    case Value::Tag::Int:
      return v.as_int() != 0;
    case Value::Tag::Float:
      return v.as_float() != 0.0;
    case Value::Tag::Obj:
      break;
  }
  Object* o = v.obj();
  if (has_dunders(v)) {
    if (const Value* f = user_dunder(v, "__bool__")) {
      Value r = detail::call_method(*this, *f, v, {});
      if (!r.is_bool())
        type_error(*this, "__bool__ should return bool, returned " + type_name(r));
      return r.as_bool();
    }
    if (user_dunder(v, "__len__") != nullptr)
      return len(v) != 0;
  }
  switch (o->kind) {
    case Kind::Str:
      return !static_cast<StrObject*>(o)->s.empty();
    case Kind::Bytes:
      return !static_cast<BytesObject*>(o)->s.empty();
    case Kind::List:
      return !static_cast<ListObject*>(o)->items.empty();
    case Kind::Tuple:
      return !static_cast<TupleObject*>(o)->items.empty();
    case Kind::Dict:
      return static_cast<DictObject*>(o)->table.size() != 0;
    case Kind::Set:
      return static_cast<SetObject*>(o)->table.size() != 0;
    case Kind::Range:
      return static_cast<RangeObject*>(o)->length() != 0;
    case Kind::Native:
      if (auto* dv = detail::as_dict_view(v))
        return dv->dict.as<DictObject>()->table.size() != 0;
      return true;
    default:
      return true;
  }
}

std::int64_t Interp::len(const Value& v)
{
  if (v.is_obj()) {
    Object* o = v.obj();
    if (has_dunders(v)) {
      if (const Value* f = user_dunder(v, "__len__")) {
        Value r = detail::call_method(*this, *f, v, {});
        std::int64_t n = 0;
        if (!detail::index_of(*this, r, n))
          type_error(*this, "'" + type_name(r) + "' object cannot be interpreted as an integer");
        if (n < 0)
          raise(e.ValueError, "__len__() should return >= 0");
        return n;
      }
    }
    switch (o->kind) {
      case Kind::Str:
        return detail::str_cp_len(static_cast<StrObject*>(o));
      case Kind::Bytes:
        return static_cast<std::int64_t>(static_cast<BytesObject*>(o)->s.size());
      case Kind::List:
        return static_cast<std::int64_t>(static_cast<ListObject*>(o)->items.size());
      case Kind::Tuple:
        return static_cast<std::int64_t>(static_cast<TupleObject*>(o)->items.size());
      case Kind::Dict:
        return static_cast<std::int64_t>(static_cast<DictObject*>(o)->table.size());
      case Kind::Set:
        return static_cast<std::int64_t>(static_cast<SetObject*>(o)->table.size());
      case Kind::Range:
        return static_cast<RangeObject*>(o)->length();
      case Kind::Native:
        if (auto* dv = detail::as_dict_view(v))
          return static_cast<std::int64_t>(dv->dict.as<DictObject>()->table.size());
        break;
      default:
        break;
    }
  }
  type_error(*this, "object of type '" + type_name(v) + "' has no len()");
}

std::uint64_t Interp::hash(const Value& v)
{
  switch (v.tag()) {
    case Value::Tag::None:
      return 0x5f3a9c1dULL;  // CPython 3.11 hashes None by address: any constant will do
    case Value::Tag::Bool:
    case Value::Tag::Int:
      return static_cast<std::uint64_t>(detail::int_hash(v.as_int()));
    case Value::Tag::Float: {
      const double d = v.as_float();
      if (d >= -0x1p63 && d < 0x1p63 && d == std::floor(d))
        return static_cast<std::uint64_t>(detail::int_hash(static_cast<std::int64_t>(d)));
      return static_cast<std::uint64_t>(detail::float_hash(d));
    }
    case Value::Tag::Obj:
      break;
  }
  Object* o = v.obj();
  if (o->kind == Kind::Str)
    return str_hash(static_cast<StrObject*>(o));
  if (has_dunders(v)) {
    // The first user class (in MRO order) defining __hash__ or __eq__ decides: __eq__ without
    // __hash__ makes instances unhashable.
    for (const TypeObject* m : o->type->mro) {
      if (m->is_builtin && m->instance_kind != Kind::Native)
        continue;
      auto h = m->dict.find("__hash__");
      if (h != m->dict.end()) {
        if (h->second.is_none())
          type_error(*this, "unhashable type: '" + type_name(v) + "'");
        const Value fn = h->second;
        Value r = detail::call_method(*this, fn, v, {});
        if (!r.is_intlike())
          type_error(*this, "__hash__ method should return an integer");
        return static_cast<std::uint64_t>(detail::int_hash(r.as_int()));
      }
      if (m->dict.count("__eq__") != 0)
        type_error(*this, "unhashable type: '" + type_name(v) + "'");
    }
  }
  switch (o->kind) {
    case Kind::Bytes:
      return bytes_hash(static_cast<BytesObject*>(o)->s);
    case Kind::Tuple:
      return tuple_hash(*this, static_cast<TupleObject*>(o)->items);
    case Kind::Set:
      if (static_cast<SetObject*>(o)->frozen)
        return frozenset_hash(static_cast<SetObject*>(o)->table);
      break;
    case Kind::Range: {
      auto* r = static_cast<RangeObject*>(o);
      const std::int64_t n = r->length();
      std::vector<Value> t{Value::from_int(n), Value(), Value()};
      if (n > 0)
        t[1] = Value::from_int(r->start);
      if (n > 1)
        t[2] = Value::from_int(r->step);
      return tuple_hash(*this, t);
    }
    case Kind::List:
    case Kind::Dict:
    case Kind::Slice:
      break;
    case Kind::BoundMethod: {
      auto* m = static_cast<BoundMethodObject*>(o);
      return pointer_hash(m->self.is_obj() ? m->self.obj() : nullptr) ^ hash(m->fn);
    }
    case Kind::Builtin: {
      auto* b = static_cast<BuiltinObject*>(o);
      if (b->self.is_none() || b->fn == nullptr)
        return pointer_hash(o);
      return pointer_hash(b->self.is_obj() ? b->self.obj() : nullptr) ^
             pointer_hash(reinterpret_cast<const void*>(b->fn));
    }
    case Kind::Native:
      if (auto* dv = detail::as_dict_view(v);
          dv != nullptr && dv->which != DictViewObject::Which::Values)
        break;
      return pointer_hash(o);
    default:
      return pointer_hash(o);
  }
  type_error(*this, "unhashable type: '" + type_name(v) + "'");
}

bool Interp::eq(const Value& a, const Value& b)
{
  if (a.is_intlike() && b.is_intlike())
    return a.as_int() == b.as_int();
  if (a.is_obj() && b.is_obj()) {
    Object* ao = a.obj();
    Object* bo = b.obj();
    if (ao->kind == Kind::Str && bo->kind == Kind::Str && !has_dunders(a) && !has_dunders(b))
      return static_cast<StrObject*>(ao)->s == static_cast<StrObject*>(bo)->s;
    if (ao == bo && !has_dunders(a))
      return true;
  } else if (is_number(a) && is_number(b)) {
    const auto c = cmp_numbers(a, b);
    return c && *c == 0;
  } else if (a.is_none() || b.is_none()) {
    if (!has_dunders(a) && !has_dunders(b))
      return a.is_none() && b.is_none();
  }
  return truthy(detail::rich_compare(*this, CmpOpKind::Eq, a, b));
}

bool Interp::lt(const Value& a, const Value& b)
{
  if (a.is_int() && b.is_int())
    return a.as_int() < b.as_int();
  if (is_number(a) && is_number(b)) {
    const auto c = cmp_numbers(a, b);
    return c && *c < 0;
  }
  return truthy(detail::rich_compare(*this, CmpOpKind::Lt, a, b));
}

Value Interp::binop(BinOpKind op, const Value& a, const Value& b)
{
  if (a.is_int() && b.is_int()) {
    const std::int64_t x = a.as_int(), y = b.as_int();
    std::int64_t r = 0;
    switch (op) {
      case BinOpKind::Add:
        if (!__builtin_add_overflow(x, y, &r))
          return Value::from_int(r);
        break;
      case BinOpKind::Sub:
        if (!__builtin_sub_overflow(x, y, &r))
          return Value::from_int(r);
        break;
      case BinOpKind::Mult:
        if (!__builtin_mul_overflow(x, y, &r))
          return Value::from_int(r);
        break;
      default:
        break;
    }
  }
  Value out;
  if (is_number(a) && is_number(b) && numeric_binop(*this, op, a, b, out))
    return out;
  return binop_impl(*this, op, a, b, false);
}

Value Interp::getitem(const Value& obj, const Value& key)
{
  if (!obj.is_obj())
    type_error(*this, "'" + type_name(obj) + "' object is not subscriptable");
  Object* o = obj.obj();
  if (o->kind == Kind::List && key.is_int()) {
    auto* l = static_cast<ListObject*>(o);
    return l->items[seq_pos(*this, key.as_int(), l->items.size(), "list index out of range")];
  }
  if (has_dunders(obj)) {
    if (auto r = try_dunder(*this, obj, "__getitem__", {key}))
      return *r;
    if (o->kind == Kind::Dict) {
      // dict subclass: __missing__ for absent keys.
      auto* d = static_cast<DictObject*>(o);
      const std::int64_t i = d->table.find(*this, key, hash(key));
      if (i >= 0)
        return d->table.entries()[static_cast<std::size_t>(i)].value;
      if (auto r = try_dunder(*this, obj, "__missing__", {key}))
        return *r;
      raise_key_error(*this, key);
    }
  }
  switch (o->kind) {
    case Kind::List: {
      auto* l = static_cast<ListObject*>(o);
      if (auto* s = key.as<SliceObject>())
        return list(slice_vector(
            l->items, slice_indices(*this, s, static_cast<std::int64_t>(l->items.size()))));
      const std::int64_t i = require_index(*this, key, "list");
      return l->items[seq_pos(*this, i, l->items.size(), "list index out of range")];
    }
    case Kind::Tuple: {
      auto* t = static_cast<TupleObject*>(o);
      if (auto* s = key.as<SliceObject>())
        return tuple(slice_vector(
            t->items, slice_indices(*this, s, static_cast<std::int64_t>(t->items.size()))));
      const std::int64_t i = require_index(*this, key, "tuple");
      return t->items[seq_pos(*this, i, t->items.size(), "tuple index out of range")];
    }
    case Kind::Str: {
      auto* s = static_cast<StrObject*>(o);
      if (auto* sl = key.as<SliceObject>())
        return str_slice(*this, s, sl);
      std::int64_t i = 0;
      if (!detail::index_of(*this, key, i))
        type_error(*this, "string indices must be integers, not '" + type_name(key) + "'");
      return str_index(*this, s, i);
    }
    case Kind::Bytes: {
      auto* b = static_cast<BytesObject*>(o);
      if (auto* sl = key.as<SliceObject>())
        return bytes(
            slice_bytes(b->s, slice_indices(*this, sl, static_cast<std::int64_t>(b->s.size()))));
      const std::int64_t i = require_index(*this, key, "byte");
      return Value::from_int(
          static_cast<unsigned char>(b->s[seq_pos(*this, i, b->s.size(), "index out of range")]));
    }
    case Kind::Range: {
      auto* r = static_cast<RangeObject*>(o);
      const std::int64_t n = r->length();
      if (auto* sl = key.as<SliceObject>()) {
        const SliceIdx idx = slice_indices(*this, sl, n);
        const std::int64_t start = r->start + idx.start * r->step;
        const std::int64_t step = r->step * idx.step;
        const std::int64_t stop = start + idx.length * step;
        Value v = make<RangeObject>(start, stop, step);
        v.obj()->type = t.range;
        return v;
      }
      const std::int64_t i = require_index(*this, key, "range");
      const std::size_t pos =
          seq_pos(*this, i, static_cast<std::size_t>(n), "range object index out of range");
      return Value::from_int(r->start + static_cast<std::int64_t>(pos) * r->step);
    }
    case Kind::Dict: {
      auto* d = static_cast<DictObject*>(o);
      const std::int64_t i = d->table.find(*this, key, hash(key));
      if (i < 0)
        raise_key_error(*this, key);
      return d->table.entries()[static_cast<std::size_t>(i)].value;
    }
    case Kind::Type: {
      // `list[int]`, `asyncio.Queue[int]` in annotations: a generic alias stands for its origin.
      auto* ty = static_cast<TypeObject*>(o);
      if (const Value* f = ty->lookup("__class_getitem__"))
        return detail::call_method(*this, *f, obj, {key});
      if (ty->is_builtin)
        return obj;
      break;
    }
    default:
      break;
  }
  type_error(*this, "'" + type_name(obj) + "' object is not subscriptable");
}

void Interp::setitem(const Value& obj, const Value& key, Value v)
{
  if (obj.is_obj()) {
    Object* o = obj.obj();
    if (o->kind == Kind::List && key.is_int()) {
      auto* l = static_cast<ListObject*>(o);
      l->items[seq_pos(*this, key.as_int(), l->items.size(),
                       "list assignment index out of range")] = std::move(v);
      return;
    }
    if (has_dunders(obj)) {
      if (try_dunder(*this, obj, "__setitem__", {key, v}))
        return;
    }
    switch (o->kind) {
      case Kind::List: {
        auto* l = static_cast<ListObject*>(o);
        if (auto* sl = key.as<SliceObject>()) {
          // The new items first (v may be the list itself).
          std::vector<Value> items;
          if (v.as<ListObject>() != nullptr || v.as<TupleObject>() != nullptr) {
            items = to_vector(v);
          } else {
            Value it;
            try {
              it = iter(v);
            } catch (const PyException& x) {
              if (isinstance(x.exc, e.TypeError))
                type_error(*this, "can only assign an iterable");
              throw;
            }
            Value x;
            while (next(it, x))
              items.push_back(std::move(x));
          }
          const SliceIdx idx = slice_indices(*this, sl, static_cast<std::int64_t>(l->items.size()));
          if (idx.step == 1) {
            const auto start = static_cast<std::size_t>(idx.start);
            const auto stop = static_cast<std::size_t>(std::max(idx.start, idx.stop));
            std::vector<Value> removed(std::make_move_iterator(l->items.begin() + start),
                                       std::make_move_iterator(l->items.begin() + stop));
            l->items.erase(l->items.begin() + start, l->items.begin() + stop);
            l->items.insert(l->items.begin() + start, std::make_move_iterator(items.begin()),
                            std::make_move_iterator(items.end()));
            return;
          }
          if (static_cast<std::int64_t>(items.size()) != idx.length)
            raise(e.ValueError, "attempt to assign sequence of size " +
                                    std::to_string(items.size()) + " to extended slice of size " +
                                    std::to_string(idx.length));
          for (std::int64_t i = 0, j = idx.start; i < idx.length; ++i, j += idx.step)
            l->items[static_cast<std::size_t>(j)].swap(items[static_cast<std::size_t>(i)]);
          return;
        }
        const std::int64_t i = require_index(*this, key, "list");
        l->items[seq_pos(*this, i, l->items.size(), "list assignment index out of range")] =
            std::move(v);
        return;
      }
      case Kind::Dict: {
        auto* d = static_cast<DictObject*>(o);
        const std::uint64_t h = hash(key);
        d->table.set(*this, key, h, std::move(v));
        return;
      }
      default:
        break;
    }
  }
  type_error(*this, "'" + type_name(obj) + "' object does not support item assignment");
}

void Interp::delitem(const Value& obj, const Value& key)
{
  if (obj.is_obj()) {
    Object* o = obj.obj();
    if (has_dunders(obj)) {
      if (try_dunder(*this, obj, "__delitem__", {key}))
        return;
    }
    switch (o->kind) {
      case Kind::List: {
        auto* l = static_cast<ListObject*>(o);
        if (auto* sl = key.as<SliceObject>()) {
          const SliceIdx idx = slice_indices(*this, sl, static_cast<std::int64_t>(l->items.size()));
          if (idx.length <= 0)
            return;
          std::vector<Value> removed;
          std::vector<char> drop(l->items.size(), 0);
          for (std::int64_t i = 0, j = idx.start; i < idx.length; ++i, j += idx.step)
            drop[static_cast<std::size_t>(j)] = 1;
          std::vector<Value> kept;
          kept.reserve(l->items.size() - static_cast<std::size_t>(idx.length));
          for (std::size_t i = 0; i < l->items.size(); ++i)
            (drop[i] ? removed : kept).push_back(std::move(l->items[i]));
          l->items.swap(kept);
          return;
        }
        const std::int64_t i = require_index(*this, key, "list");
        const std::size_t pos =
            seq_pos(*this, i, l->items.size(), "list assignment index out of range");
        Value removed = std::move(l->items[pos]);
        l->items.erase(l->items.begin() + static_cast<std::ptrdiff_t>(pos));
        return;
      }
      case Kind::Dict: {
        auto* d = static_cast<DictObject*>(o);
        if (!d->table.erase(*this, key, hash(key)))
          raise_key_error(*this, key);
        return;
      }
      default:
        break;
    }
  }
  type_error(*this, "'" + type_name(obj) + "' object doesn't support item deletion");
}

bool Interp::contains(const Value& container, const Value& item)
{
  if (container.is_obj()) {
    Object* o = container.obj();
    if (has_dunders(container)) {
      if (auto r = try_dunder(*this, container, "__contains__", {item}))
        return truthy(*r);
    }
    switch (o->kind) {
      case Kind::Str: {
        auto* s = item.as<StrObject>();
        if (s == nullptr)
          type_error(*this,
                     "'in <string>' requires string as left operand, not " + type_name(item));
        return static_cast<StrObject*>(o)->s.find(s->s) != std::string::npos;
      }
      case Kind::Bytes: {
        const std::string& hay = static_cast<BytesObject*>(o)->s;
        if (auto* b = item.as<BytesObject>())
          return hay.find(b->s) != std::string::npos;
        std::int64_t c = 0;
        if (!detail::index_of(*this, item, c))
          type_error(*this, "a bytes-like object is required, not '" + type_name(item) + "'");
        if (c < 0 || c > 255)
          raise(e.ValueError, "byte must be in range(0, 256)");
        return hay.find(static_cast<char>(c)) != std::string::npos;
      }
      case Kind::List:
      case Kind::Tuple: {
        const auto& items = o->kind == Kind::List ? static_cast<ListObject*>(o)->items
                                                  : static_cast<TupleObject*>(o)->items;
        for (std::size_t i = 0; i < items.size(); ++i) {
          const Value x = items[i];
          if (x.identical(item) || eq(x, item))
            return true;
        }
        return false;
      }
      case Kind::Dict: {
        auto* d = static_cast<DictObject*>(o);
        return d->table.find(*this, item, hash(item)) >= 0;
      }
      case Kind::Set: {
        auto* s = static_cast<SetObject*>(o);
        return set_contains(*this, s, item);
      }
      case Kind::Range: {
        auto* r = static_cast<RangeObject*>(o);
        std::int64_t x = 0;
        if (item.is_intlike()) {
          x = item.as_int();
        } else if (item.is_float()) {
          const double d = item.as_float();
          if (d != std::floor(d) || d < -0x1p63 || d >= 0x1p63)
            return false;
          x = static_cast<std::int64_t>(d);
        } else {
          break;  // generic: iterate and compare
        }
        if (r->step > 0 ? (x < r->start || x >= r->stop) : (x > r->start || x <= r->stop))
          return false;
        return (x - r->start) % r->step == 0;
      }
      case Kind::Native:
        if (auto* dv = detail::as_dict_view(container)) {
          auto* d = dv->dict.as<DictObject>();
          if (dv->which == DictViewObject::Which::Keys)
            return d->table.find(*this, item, hash(item)) >= 0;
          if (dv->which == DictViewObject::Which::Items) {
            auto* t = item.as<TupleObject>();
            if (t == nullptr || t->items.size() != 2)
              return false;
            const Value k = t->items[0], v = t->items[1];
            const std::int64_t i = d->table.find(*this, k, hash(k));
            if (i < 0)
              return false;
            const Value dvv = d->table.entries()[static_cast<std::size_t>(i)].value;
            return dvv.identical(v) || eq(dvv, v);
          }
        }
        break;
      default:
        break;
    }
  }
  // Anything iterable: compare each item.
  Value it;
  try {
    it = iter(container);
  } catch (const PyException& x) {
    if (isinstance(x.exc, e.TypeError))
      type_error(*this, "argument of type '" + type_name(container) + "' is not iterable");
    throw;
  }
  Value x;
  while (next(it, x))
    if (x.identical(item) || eq(x, item))
      return true;
  return false;
}

Value Interp::iter(const Value& v)
{
  if (v.is_obj()) {
    Object* o = v.obj();
    if (has_dunders(v)) {
      if (const Value* f = user_dunder(v, "__iter__")) {
        Value r = detail::call_method(*this, *f, v, {});
        if (r.as<IteratorObject>() == nullptr && user_dunder(r, "__next__") == nullptr)
          type_error(*this, "iter() returned non-iterator of type '" + type_name(r) + "'");
        return r;
      }
      if (o->kind == Kind::Instance || o->kind == Kind::Native) {
        if (user_dunder(v, "__next__") != nullptr && o->kind == Kind::Native)
          return v;
        if (user_dunder(v, "__getitem__") != nullptr)
          return detail::make_iterator(*this, v, getitem_next);
      }
    }
    switch (o->kind) {
      case Kind::List:
        return detail::make_iterator(*this, v, list_next, detail::extras(*this).list_iterator);
      case Kind::Tuple:
        return detail::make_iterator(*this, v, tuple_next, detail::extras(*this).tuple_iterator);
      case Kind::Str: {
        const auto& x = detail::extras(*this);
        return detail::make_iterator(
            *this, v, str_next,
            detail::str_cp_len(static_cast<StrObject*>(o)) ==
                    static_cast<std::int64_t>(static_cast<StrObject*>(o)->s.size())
                ? x.str_ascii_iterator
                : x.str_iterator);
      }
      case Kind::Bytes:
        return detail::make_iterator(*this, v, bytes_next, detail::extras(*this).bytes_iterator);
      case Kind::Range:
        return detail::make_iterator(*this, v, range_next, detail::extras(*this).range_iterator);
      case Kind::Dict:
        return dict_iterator(*this, v, DictViewObject::Which::Keys);
      case Kind::Set:
        return set_iterator(*this, v);
      case Kind::Iterator:
        return v;
      case Kind::Native:
        if (auto* dv = detail::as_dict_view(v))
          return dict_iterator(*this, dv->dict, dv->which);
        break;
      default:
        break;
    }
  }
  type_error(*this, "'" + type_name(v) + "' object is not iterable");
}

bool Interp::next(const Value& it, Value& out)
{
  count_steps();
  if (auto* io = it.as<IteratorObject>()) {
    if (!io->next_fn)
      return false;
    // Keep the iterator alive while its function runs (it may drop the last reference).
    const Value keep = it;
    return io->next_fn(*this, *io, out);
  }
  if (has_dunders(it)) {
    if (const Value* f = user_dunder(it, "__next__")) {
      try {
        out = detail::call_method(*this, *f, it, {});
      } catch (const PyException& x) {
        if (isinstance(x.exc, e.StopIteration))
          return false;
        throw;
      }
      return true;
    }
  }
  type_error(*this, "'" + type_name(it) + "' object is not an iterator");
}

std::vector<Value> Interp::to_vector(const Value& iterable)
{
  if (auto* l = iterable.as<ListObject>(); l != nullptr && !has_dunders(iterable))
    return l->items;
  if (auto* t = iterable.as<TupleObject>(); t != nullptr && !has_dunders(iterable))
    return t->items;
  std::vector<Value> out;
  if (auto* r = iterable.as<RangeObject>()) {
    const std::int64_t n = r->length();
    check_length(static_cast<std::uint64_t>(n));
    count_steps(static_cast<std::uint64_t>(n));
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
      out.push_back(Value::from_int(r->start + i * r->step));
    return out;
  }
  Value it = iter(iterable);
  Value x;
  while (next(it, x))
    out.push_back(std::move(x));
  return out;
}

}  // namespace loopscope::script
