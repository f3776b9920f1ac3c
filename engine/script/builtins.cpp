// SPDX-License-Identifier: GPL-3.0-or-later
// The builtin functions (print, len, sorted, ...) and the constructors and methods of the builtin
// types (int, str, list, dict, set, ...), with CPython's results and error messages.

#include "engine/script/interp.h"
#include "engine/script/protocols_detail.h"
#include "engine/script/pyerror.h"
#include "engine/script/pyformat.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

namespace loopscope::script {

namespace {

using detail::DictViewObject;
using detail::guarded;

// ------------------------------------------------------------------ helpers

[[noreturn]] void type_error(Interp& in, std::string msg)
{
  in.raise(in.e.TypeError, std::move(msg));
}

[[noreturn]] void value_error(Interp& in, std::string msg)
{
  in.raise(in.e.ValueError, std::move(msg));
}

TypeObject* builtin_type(Interp& in, const char* name)
{
  auto it = in.builtins().find(name);
  if (it != in.builtins().end())
    if (auto* t = it->second.as<TypeObject>())
      return t;
  return in.e.RuntimeError;
}

std::string plural(std::size_t n, const char* word)
{
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// Positional argument count check with CPython's message styles.
void nargs(Interp& in, const CallArgs& a, const char* name, std::size_t min, std::size_t max)
{
  const std::size_t n = a.args.size();
  if (n >= min && n <= max)
    return;
  if (max == 0)
    type_error(in, std::string(name) + "() takes no arguments (" + std::to_string(n) + " given)");
  if (min == 1 && max == 1)
    type_error(
        in, std::string(name) + "() takes exactly one argument (" + std::to_string(n) + " given)");
  std::string base = name;
  if (auto dot = base.rfind('.'); dot != std::string::npos)
    base = base.substr(dot + 1);
  if (min == max)
    type_error(in, base + " expected " + plural(min, "argument") + ", got " + std::to_string(n));
  if (n < min)
    type_error(
        in, base + " expected at least " + plural(min, "argument") + ", got " + std::to_string(n));
  type_error(in,
             base + " expected at most " + plural(max, "argument") + ", got " + std::to_string(n));
}

void no_kwargs(Interp& in, const CallArgs& a, const char* name)
{
  if (!a.kwargs.empty())
    type_error(in, std::string(name) + "() takes no keyword arguments");
}

std::optional<Value> take_kw(CallArgs& a, std::string_view key)
{
  for (auto it = a.kwargs.begin(); it != a.kwargs.end(); ++it) {
    if (it->first == key) {
      Value v = std::move(it->second);
      a.kwargs.erase(it);
      return v;
    }
  }
  return std::nullopt;
}

void reject_kwargs(Interp& in, const CallArgs& a, const char* name)
{
  if (!a.kwargs.empty())
    type_error(in, std::string(name) + "() got an unexpected keyword argument '" +
                       a.kwargs.front().first + "'");
}

/// Positional argument i, or keyword `key` (removed from kwargs), or nullopt.
std::optional<Value> arg_or_kw(CallArgs& a, std::size_t i, std::string_view key)
{
  if (i < a.args.size())
    return a.args[i];
  return take_kw(a, key);
}

std::int64_t to_index(Interp& in, const Value& v)
{
  std::int64_t i = 0;
  if (!detail::index_of(in, v, i))
    type_error(in, "'" + in.type_name(v) + "' object cannot be interpreted as an integer");
  return i;
}

py::OptIndex opt_index(Interp& in, const std::optional<Value>& v)
{
  if (!v || v->is_none())
    return std::nullopt;
  std::int64_t i = 0;
  if (!detail::index_of(in, *v, i))
    type_error(in, "slice indices must be integers or None or have an __index__ method");
  return i;
}

const std::string& str_arg(Interp& in, const Value& v, const std::string& what = "")
{
  if (auto* s = v.as<StrObject>())
    return s->s;
  if (what.empty())
    type_error(in, "must be str, not " + in.type_name(v));
  type_error(in, what + " must be str, not " + in.type_name(v));
}

const std::string& bytes_arg(Interp& in, const Value& v)
{
  if (auto* b = v.as<BytesObject>())
    return b->s;
  type_error(in, "a bytes-like object is required, not '" + in.type_name(v) + "'");
}

Value str_list(Interp& in, const std::vector<std::string>& parts, bool as_bytes = false)
{
  std::vector<Value> items;
  items.reserve(parts.size());
  for (const auto& p : parts)
    items.push_back(as_bytes ? in.bytes(p) : in.str(p));
  return in.list(std::move(items));
}

/// The receiver of a method (`str.upper(x)` passes it as the first argument).
template <class O>
O* receiver(Interp& in, const Value& self, const char* method, const char* type)
{
  if (auto* o = self.as<O>())
    return o;
  type_error(in, std::string("descriptor '") + method + "' for '" + type +
                     "' objects doesn't apply to a '" + in.type_name(self) + "' object");
}

Value new_set(Interp& in, bool frozen = false)
{
  return detail::new_set(in, frozen);
}

Value make_range(Interp& in, std::int64_t a, std::int64_t b, std::int64_t c)
{
  Value v = make<RangeObject>(a, b, c);
  v.obj()->type = in.t.range;
  return v;
}

/// Stable merge sort of `items` by `in.lt` on keys (CPython's list.sort semantics: keys are
/// computed once, reverse keeps equal items in order).
void sort_values(Interp& in, std::vector<Value>& items, const Value& key, bool reverse)
{
  const std::size_t n = items.size();
  if (reverse)
    std::reverse(items.begin(), items.end());
  std::vector<Value> keys;
  if (!key.is_none()) {
    keys.reserve(n);
    for (const Value& v : items)
      keys.push_back(in.call(key, std::vector<Value>{v}));
  }
  const std::vector<Value>& k = key.is_none() ? items : keys;
  std::vector<std::size_t> idx(n), tmp(n);
  for (std::size_t i = 0; i < n; ++i)
    idx[i] = i;
  // Bottom-up merge sort over indices; runs of 1 element first, insertion-sorted in 8s.
  const std::size_t run = 8;
  for (std::size_t lo = 0; lo < n; lo += run) {
    const std::size_t hi = std::min(n, lo + run);
    for (std::size_t i = lo + 1; i < hi; ++i) {
      const std::size_t x = idx[i];
      std::size_t j = i;
      while (j > lo && in.lt(k[x], k[idx[j - 1]])) {
        idx[j] = idx[j - 1];
        --j;
      }
      idx[j] = x;
    }
  }
  for (std::size_t width = run; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = std::min(n, lo + width);
      const std::size_t hi = std::min(n, lo + 2 * width);
      std::size_t i = lo, j = mid, o = lo;
      while (i < mid && j < hi) {
        if (in.lt(k[idx[j]], k[idx[i]]))
          tmp[o++] = idx[j++];
        else
          tmp[o++] = idx[i++];
      }
      while (i < mid)
        tmp[o++] = idx[i++];
      while (j < hi)
        tmp[o++] = idx[j++];
    }
    idx.swap(tmp);
    if (2 * width >= n) {
      // fallthrough: the loop ends; idx holds the merged order
    }
  }
  std::vector<Value> out;
  out.reserve(n);
  for (std::size_t i : idx)
    out.push_back(items[i]);
  if (reverse)
    std::reverse(out.begin(), out.end());
  items.swap(out);
}

// ------------------------------------------------------------------ codecs

std::string normalize_encoding(std::string e)
{
  for (char& c : e) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '_' || c == ' ')
      c = '-';
  }
  if (e == "utf-8" || e == "utf8" || e == "u8" || e == "utf")
    return "utf-8";
  if (e == "ascii" || e == "us-ascii" || e == "646")
    return "ascii";
  if (e == "latin-1" || e == "latin1" || e == "iso-8859-1" || e == "iso8859-1" || e == "l1" ||
      e == "8859" || e == "cp819" || e == "latin")
    return "latin-1";
  return "";
}

[[noreturn]] void decode_error(Interp& in, const std::string& codec, const std::string& b,
                               std::size_t start, std::size_t end, const char* reason)
{
  char buf[160];
  if (end - start <= 1)
    std::snprintf(buf, sizeof buf, "'%s' codec can't decode byte 0x%02x in position %zu: %s",
                  codec.c_str(), static_cast<unsigned char>(b[start]), start, reason);
  else
    std::snprintf(buf, sizeof buf, "'%s' codec can't decode bytes in position %zu-%zu: %s",
                  codec.c_str(), start, end - 1, reason);
  in.raise(builtin_type(in, "UnicodeDecodeError"), buf);
}

std::string decode_bytes(Interp& in, const std::string& b, const std::string& encoding,
                         const std::string& errors)
{
  const std::string enc = normalize_encoding(encoding);
  if (enc.empty())
    in.raise(builtin_type(in, "LookupError"), "unknown encoding: " + encoding);
  if (errors != "strict" && errors != "replace" && errors != "ignore")
    in.raise(builtin_type(in, "LookupError"), "unknown error handler name '" + errors + "'");
  std::string out;
  out.reserve(b.size());
  const auto bad = [&](std::size_t start, std::size_t end, const char* reason) {
    if (errors == "strict")
      decode_error(in, enc, b, start, end, reason);
    if (errors == "replace")
      out += "\xEF\xBF\xBD";
  };
  if (enc == "latin-1") {
    for (unsigned char c : b)
      py::append_cp(out, c);
    return out;
  }
  if (enc == "ascii") {
    for (std::size_t i = 0; i < b.size(); ++i) {
      const auto c = static_cast<unsigned char>(b[i]);
      if (c < 0x80)
        out.push_back(static_cast<char>(c));
      else
        bad(i, i + 1, "ordinal not in range(128)");
    }
    return out;
  }
  std::size_t i = 0;
  while (i < b.size()) {
    const auto c = static_cast<unsigned char>(b[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::size_t need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0)
        lo = 0xA0;
      if (c == 0xED)
        hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0)
        lo = 0x90;
      if (c == 0xF4)
        hi = 0x8F;
    } else {
      bad(i, i + 1, "invalid start byte");
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    bool ok = true;
    for (std::size_t k = 0; k < need; ++k, ++j) {
      if (j >= b.size()) {
        bad(i, b.size(), "unexpected end of data");
        ok = false;
        j = b.size();
        break;
      }
      const auto cc = static_cast<unsigned char>(b[j]);
      const unsigned char l = k == 0 ? lo : 0x80;
      const unsigned char h = k == 0 ? hi : 0xBF;
      if (cc < l || cc > h) {
        bad(i, j, "invalid continuation byte");
        ok = false;
        break;
      }
    }
    if (ok)
      out.append(b, i, need + 1);
    i = j;
  }
  return out;
}

std::string encode_str(Interp& in, const std::string& s, const std::string& encoding,
                       const std::string& errors)
{
  const std::string enc = normalize_encoding(encoding);
  if (enc.empty())
    in.raise(builtin_type(in, "LookupError"), "unknown encoding: " + encoding);
  if (enc == "utf-8")
    return s;
  const char32_t limit = enc == "ascii" ? 0x80 : 0x100;
  std::string out;
  std::size_t pos = 0;
  std::size_t index = 0;
  while (pos < s.size()) {
    const char32_t cp = py::decode_cp(s, pos);
    if (cp < limit) {
      out.push_back(static_cast<char>(cp));
    } else if (errors == "replace") {
      out.push_back('?');
    } else if (errors != "ignore") {
      std::string ch;
      py::append_cp(ch, cp);
      const std::string r = py::str_repr(ch);
      in.raise(builtin_type(in, "UnicodeEncodeError"),
               "'" + enc + "' codec can't encode character " + py::ascii_escape(r) +
                   " in position " + std::to_string(index) + ": ordinal not in range(" +
                   (enc == "ascii" ? "128" : "256") + ")");
    }
    ++index;
  }
  return out;
}

// ================================================================== builtin functions

Value bi_print(Interp& in, const Value&, CallArgs& a)
{
  std::string sep = " ", end = "\n";
  Value file;
  bool flush = false;
  for (auto& [k, v] : a.kwargs) {
    if (k == "sep" || k == "end") {
      if (v.is_none())
        continue;
      auto* s = v.as<StrObject>();
      if (s == nullptr)
        type_error(in, k + " must be None or a string, not " + in.type_name(v));
      (k == "sep" ? sep : end) = s->s;
    } else if (k == "file") {
      file = v;
    } else if (k == "flush") {
      flush = in.truthy(v);
    } else {
      type_error(in, "'" + k + "' is an invalid keyword argument for print()");
    }
  }
  if (file.is_none()) {
    std::string text;
    for (std::size_t i = 0; i < a.args.size(); ++i) {
      if (i > 0)
        text += sep;
      text += in.to_str(a.args[i]);
    }
    text += end;
    in.io().out(text);
    if (flush && in.io().flush)
      in.io().flush();
    return {};
  }
  // A file object: one write() per piece, as CPython does.
  Value write = in.getattr(file, "write");
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    if (i > 0)
      in.call(write, std::vector<Value>{in.str(sep)});
    in.call(write, std::vector<Value>{in.str(in.to_str(a.args[i]))});
  }
  in.call(write, std::vector<Value>{in.str(end)});
  if (flush)
    in.call(in.getattr(file, "flush"), std::vector<Value>{});
  return {};
}

Value bi_len(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "len");
  nargs(in, a, "len", 1, 1);
  return Value::from_int(in.len(a.args[0]));
}

Value bi_repr(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "repr");
  nargs(in, a, "repr", 1, 1);
  return in.str(in.repr(a.args[0]));
}

Value bi_ascii(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "ascii");
  nargs(in, a, "ascii", 1, 1);
  return in.str(py::ascii_escape(in.repr(a.args[0])));
}

Value bi_format(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "format");
  nargs(in, a, "format", 1, 2);
  std::string spec;
  if (a.args.size() > 1)
    spec = str_arg(in, a.args[1], "format() argument 2");
  return in.str(detail::format_value(in, a.args[0], spec));
}

Value bi_id(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "id", 1, 1);
  const Value& v = a.args[0];
  switch (v.tag()) {
    case Value::Tag::None:
      return Value::from_int(0x7f0000001000);
    case Value::Tag::Bool:
      return Value::from_int(v.as_bool() ? 0x7f0000001020 : 0x7f0000001040);
    case Value::Tag::Int:
      return Value::from_int(static_cast<std::int64_t>(
          0x7f1000000000ULL + static_cast<std::uint64_t>(v.as_int()) * 32ULL));
    case Value::Tag::Float: {
      std::uint64_t bits = 0;
      const double d = v.as_float();
      std::memcpy(&bits, &d, sizeof bits);
      return Value::from_int(static_cast<std::int64_t>((bits >> 4) | 0x100000000000ULL));
    }
    case Value::Tag::Obj:
      break;
  }
  return Value::from_int(static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(v.obj())));
}

Value bi_hash(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "hash", 1, 1);
  return Value::from_int(static_cast<std::int64_t>(in.hash(a.args[0])));
}

Value bi_any(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "any", 1, 1);
  Value it = in.iter(a.args[0]);
  Value x;
  while (in.next(it, x))
    if (in.truthy(x))
      return Value(true);
  return Value(false);
}

Value bi_all(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "all", 1, 1);
  Value it = in.iter(a.args[0]);
  Value x;
  while (in.next(it, x))
    if (!in.truthy(x))
      return Value(false);
  return Value(true);
}

const std::string& attr_name(Interp& in, const Value& v)
{
  if (auto* s = v.as<StrObject>())
    return s->s;
  type_error(in, "attribute name must be string, not '" + in.type_name(v) + "'");
}

Value bi_getattr(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "getattr", 2, 3);
  const std::string& name = attr_name(in, a.args[1]);
  if (a.args.size() == 2)
    return in.getattr(a.args[0], name);
  try {
    Value out;
    if (in.try_getattr(a.args[0], name, out))
      return out;
  } catch (const PyException& e) {
    if (!in.isinstance(e.exc, in.e.AttributeError))
      throw;
  }
  return a.args[2];
}

Value bi_setattr(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "setattr", 3, 3);
  in.setattr(a.args[0], attr_name(in, a.args[1]), a.args[2]);
  return {};
}

Value bi_hasattr(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "hasattr", 2, 2);
  const std::string& name = attr_name(in, a.args[1]);
  try {
    Value out;
    return Value(in.try_getattr(a.args[0], name, out));
  } catch (const PyException& e) {
    if (!in.isinstance(e.exc, in.e.AttributeError))
      throw;
  }
  return Value(false);
}

Value bi_delattr(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "delattr", 2, 2);
  const Value& obj = a.args[0];
  const std::string& name = attr_name(in, a.args[1]);
  const TypeObject* ty = in.type_of(obj);
  if (!ty->is_builtin) {
    if (const Value* da = detail::user_dunder(obj, "__delattr__")) {
      detail::call_method(in, *da, obj, {in.str(name)});
      return {};
    }
  }
  if (const Value* cls_attr = ty->lookup(name); cls_attr && cls_attr->as<PropertyObject>())
    in.raise(in.e.AttributeError,
             "property '" + name + "' of '" + ty->name + "' object has no deleter");
  if (obj.is_obj()) {
    Object* o = obj.obj();
    std::unordered_map<std::string, Value>* d = nullptr;
    if (o->kind == Kind::Instance || o->kind == Kind::Exception)
      d = &static_cast<InstanceObject*>(o)->dict;
    else if (o->kind == Kind::Module)
      d = &static_cast<ModuleObject*>(o)->dict;
    else if (o->kind == Kind::Type && !static_cast<TypeObject*>(o)->is_builtin)
      d = &static_cast<TypeObject*>(o)->dict;
    else if (o->kind == Kind::Function)
      d = &static_cast<FunctionObject*>(o)->dict;
    if (d != nullptr) {
      auto it = d->find(name);
      if (it != d->end()) {
        Value old = std::move(it->second);
        d->erase(it);
        return {};
      }
    }
    if (o->kind == Kind::Module)
      in.raise(in.e.AttributeError, "module '" + static_cast<ModuleObject*>(o)->name +
                                        "' has no attribute '" + name + "'");
    if (o->kind == Kind::Type)
      in.raise(in.e.AttributeError, "type object '" + static_cast<TypeObject*>(o)->name +
                                        "' has no attribute '" + name + "'");
  }
  in.raise(in.e.AttributeError,
           "'" + in.type_name(obj) + "' object has no attribute '" + name + "'");
}

bool is_callable(Interp& in, const Value& v)
{
  if (!v.is_obj())
    return false;
  switch (v.obj()->kind) {
    case Kind::Function:
    case Kind::BoundMethod:
    case Kind::Builtin:
    case Kind::Type:
      return true;
    default:
      return in.type_of(v)->lookup("__call__") != nullptr;
  }
}

Value bi_callable(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "callable", 1, 1);
  return Value(is_callable(in, a.args[0]));
}

Value bi_iter(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "iter");
  nargs(in, a, "iter", 1, 2);
  if (a.args.size() == 1)
    return in.iter(a.args[0]);
  if (!is_callable(in, a.args[0]))
    type_error(in, "iter(v, w): v must be callable");
  Value fn = a.args[0];
  Value sentinel = a.args[1];
  return detail::make_iterator(
      in, fn,
      [sentinel](Interp& in2, IteratorObject& it, Value& out) {
        if (it.source.is_none())
          return false;
        Value v = in2.call(it.source, std::vector<Value>{});
        if (v.identical(sentinel) || in2.eq(v, sentinel)) {
          it.source = Value();
          return false;
        }
        out = std::move(v);
        return true;
      },
      detail::extras(in).callable_iterator);
}

Value bi_next(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "next");
  nargs(in, a, "next", 1, 2);
  const Value& it = a.args[0];
  if (it.as<IteratorObject>() == nullptr && detail::user_dunder(it, "__next__") == nullptr)
    type_error(in, "'" + in.type_name(it) + "' object is not an iterator");
  Value out;
  if (in.next(it, out))
    return out;
  if (a.args.size() == 2)
    return a.args[1];
  in.raise_value(in.new_exception(in.e.StopIteration, {}));
}

Value bi_sum(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "sum", 1, 2);
  std::optional<Value> start = arg_or_kw(a, 1, "start");
  reject_kwargs(in, a, "sum");
  Value acc = start ? *start : Value::from_int(0);
  if (acc.as<StrObject>() != nullptr)
    type_error(in, "sum() can't sum strings [use ''.join(seq) instead]");
  if (acc.as<BytesObject>() != nullptr)
    type_error(in, "sum() can't sum bytes [use b''.join(seq) instead]");
  Value it = in.iter(a.args[0]);
  Value x;
  while (in.next(it, x)) {
    if (acc.is_int() && x.is_int()) {
      std::int64_t r = 0;
      if (!__builtin_add_overflow(acc.as_int(), x.as_int(), &r)) {
        acc = Value::from_int(r);
        continue;
      }
    }
    acc = in.binop(BinOpKind::Add, acc, x);
  }
  return acc;
}

Value minmax(Interp& in, CallArgs& a, bool is_max)
{
  const char* name = is_max ? "max" : "min";
  std::optional<Value> key = take_kw(a, "key");
  std::optional<Value> dflt = take_kw(a, "default");
  if (!a.kwargs.empty())
    type_error(
        in, "'" + a.kwargs.front().first + "' is an invalid keyword argument for " + name + "()");
  if (a.args.empty())
    type_error(in, std::string(name) + " expected at least 1 argument, got 0");
  std::vector<Value> items;
  if (a.args.size() == 1) {
    items = in.to_vector(a.args[0]);
  } else {
    if (dflt)
      type_error(in, std::string("Cannot specify a default for ") + name +
                         "() with multiple positional arguments");
    items = a.args;
  }
  if (items.empty()) {
    if (dflt)
      return *dflt;
    value_error(in, std::string(name) + "() arg is an empty sequence");
  }
  const bool use_key = key && !key->is_none();
  Value best = items[0];
  Value best_key = use_key ? in.call(*key, std::vector<Value>{best}) : best;
  for (std::size_t i = 1; i < items.size(); ++i) {
    Value k = use_key ? in.call(*key, std::vector<Value>{items[i]}) : items[i];
    const Value r = detail::rich_compare(in, is_max ? CmpOpKind::Gt : CmpOpKind::Lt, k, best_key);
    if (in.truthy(r)) {
      best = items[i];
      best_key = std::move(k);
    }
  }
  return best;
}

Value bi_max(Interp& in, const Value&, CallArgs& a)
{
  return minmax(in, a, true);
}
Value bi_min(Interp& in, const Value&, CallArgs& a)
{
  return minmax(in, a, false);
}

Value bi_abs(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "abs", 1, 1);
  const Value& v = a.args[0];
  if (v.is_intlike())
    return Value::from_int(guarded(in, [&] { return py::checked_abs(v.as_int()); }));
  if (v.is_float())
    return Value::from_float(std::fabs(v.as_float()));
  if (const Value* f = detail::user_dunder(v, "__abs__"))
    return detail::call_method(in, *f, v, {});
  type_error(in, "bad operand type for abs(): '" + in.type_name(v) + "'");
}

Value bi_round(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "round", 1, 2);
  std::optional<Value> nd = arg_or_kw(a, 1, "ndigits");
  std::optional<Value> num = a.args.empty() ? take_kw(a, "number") : a.args[0];
  reject_kwargs(in, a, "round");
  const Value v = *num;
  const bool has_nd = nd && !nd->is_none();
  if (v.is_intlike()) {
    if (!has_nd)
      return Value::from_int(v.as_int());
    const std::int64_t n = to_index(in, *nd);
    return Value::from_int(guarded(in, [&] { return py::py_round_int(v.as_int(), n); }));
  }
  if (v.is_float()) {
    if (!has_nd)
      return Value::from_int(guarded(in, [&] { return py::py_round(v.as_float()); }));
    const std::int64_t n = to_index(in, *nd);
    return Value::from_float(guarded(in, [&] { return py::py_round(v.as_float(), n); }));
  }
  if (const Value* f = detail::user_dunder(v, "__round__")) {
    std::vector<Value> args;
    if (has_nd)
      args.push_back(*nd);
    return detail::call_method(in, *f, v, std::move(args));
  }
  type_error(in, "type " + in.type_name(v) + " doesn't define __round__ method");
}

Value bi_divmod(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "divmod");
  nargs(in, a, "divmod", 2, 2);
  const Value& x = a.args[0];
  const Value& y = a.args[1];
  if (x.is_intlike() && y.is_intlike()) {
    auto [q, r] = guarded(in, [&] { return py::divmod(x.as_int(), y.as_int()); });
    return in.tuple({Value::from_int(q), Value::from_int(r)});
  }
  const auto num = [](const Value& v) {
    return v.is_intlike() || v.is_float();
  };
  if (num(x) && num(y)) {
    const double dx = x.is_float() ? x.as_float() : static_cast<double>(x.as_int());
    const double dy = y.is_float() ? y.as_float() : static_cast<double>(y.as_int());
    auto [q, r] = guarded(in, [&] { return py::float_divmod(dx, dy); });
    return in.tuple({Value::from_float(q), Value::from_float(r)});
  }
  if (const Value* f = detail::user_dunder(x, "__divmod__")) {
    Value r = detail::call_method(in, *f, x, {y});
    if (!detail::is_not_implemented(in, r))
      return r;
  }
  if (const Value* f = detail::user_dunder(y, "__rdivmod__")) {
    Value r = detail::call_method(in, *f, y, {x});
    if (!detail::is_not_implemented(in, r))
      return r;
  }
  type_error(in, "unsupported operand type(s) for divmod(): '" + in.type_name(x) + "' and '" +
                     in.type_name(y) + "'");
}

Value bi_pow(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "pow", 2, 3);
  std::optional<Value> mod = arg_or_kw(a, 2, "mod");
  reject_kwargs(in, a, "pow");
  if (mod && !mod->is_none()) {
    if (!a.args[0].is_intlike() || !a.args[1].is_intlike() || !mod->is_intlike())
      type_error(in, "pow() 3rd argument not allowed unless all arguments are integers");
    return Value::from_int(guarded(
        in, [&] { return py::pow_mod(a.args[0].as_int(), a.args[1].as_int(), mod->as_int()); }));
  }
  return in.binop(BinOpKind::Pow, a.args[0], a.args[1]);
}

Value bi_sorted(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.size() != 1)
    type_error(in, "sorted expected 1 argument, got " + std::to_string(a.args.size()));
  std::optional<Value> key = take_kw(a, "key");
  std::optional<Value> rev = take_kw(a, "reverse");
  if (!a.kwargs.empty())
    type_error(in, "sort() got an unexpected keyword argument '" + a.kwargs.front().first + "'");
  std::vector<Value> items = in.to_vector(a.args[0]);
  sort_values(in, items, key ? *key : Value(), rev && in.truthy(*rev));
  return in.list(std::move(items));
}

bool type_matches(Interp& in, const TypeObject* t, const Value& cls, const char* fname)
{
  if (auto* c = cls.as<TypeObject>())
    return t->is_subtype_of(c);
  if (auto* tup = cls.as<TupleObject>()) {
    for (const Value& x : tup->items)
      if (type_matches(in, t, x, fname))
        return true;
    return false;
  }
  type_error(in, std::string(fname) + "() arg 2 must be a type, a tuple of types, or a union");
}

Value bi_isinstance(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "isinstance");
  nargs(in, a, "isinstance", 2, 2);
  return Value(type_matches(in, in.type_of(a.args[0]), a.args[1], "isinstance"));
}

Value bi_issubclass(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "issubclass");
  nargs(in, a, "issubclass", 2, 2);
  auto* t = a.args[0].as<TypeObject>();
  if (t == nullptr)
    type_error(in, "issubclass() arg 1 must be a class");
  return Value(type_matches(in, t, a.args[1], "issubclass"));
}

Value bi_chr(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "chr", 1, 1);
  const std::int64_t i = to_index(in, a.args[0]);
  return in.str(guarded(in, [&] { return py::py_chr(i); }));
}

Value bi_ord(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "ord", 1, 1);
  const Value& v = a.args[0];
  if (auto* b = v.as<BytesObject>()) {
    if (b->s.size() != 1)
      type_error(in, "ord() expected a character, but string of length " +
                         std::to_string(b->s.size()) + " found");
    return Value::from_int(static_cast<unsigned char>(b->s[0]));
  }
  auto* s = v.as<StrObject>();
  if (s == nullptr)
    type_error(in, "ord() expected string of length 1, but " + in.type_name(v) + " found");
  return Value::from_int(guarded(in, [&] { return py::py_ord(s->s); }));
}

Value bi_hex(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "hex", 1, 1);
  return in.str(py::int_hex(to_index(in, a.args[0])));
}
Value bi_oct(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "oct", 1, 1);
  return in.str(py::int_oct(to_index(in, a.args[0])));
}
Value bi_bin(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "bin", 1, 1);
  return in.str(py::int_bin(to_index(in, a.args[0])));
}

Value bi_input(Interp& in, const Value&, CallArgs&)
{
  in.raise(in.e.RuntimeError, "input() is not supported by loopscope (scripts have no stdin)");
}

/// A snapshot of an object's attribute dict (vars() is read-only here).
Value attr_dict(Interp& in, const Value& v, bool& ok)
{
  ok = true;
  Value d = in.dict();
  const auto copy = [&](const std::unordered_map<std::string, Value>& m) {
    std::vector<std::string> names;
    for (const auto& kv : m)
      names.push_back(kv.first);
    std::sort(names.begin(), names.end());
    for (const auto& n : names)
      in.setitem(d, in.str(n), m.at(n));
  };
  if (!v.is_obj()) {
    ok = false;
    return d;
  }
  switch (v.obj()->kind) {
    case Kind::Instance:
    case Kind::Exception:
      copy(static_cast<InstanceObject*>(v.obj())->dict);
      break;
    case Kind::Module:
      copy(static_cast<ModuleObject*>(v.obj())->dict);
      break;
    case Kind::Type:
      copy(static_cast<TypeObject*>(v.obj())->dict);
      break;
    case Kind::Function:
      copy(static_cast<FunctionObject*>(v.obj())->dict);
      break;
    default:
      ok = false;
  }
  return d;
}

Value bi_vars(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "vars", 0, 1);
  if (a.args.empty())
    in.raise(in.e.NotSupported, "vars() without an argument is not supported by loopscope");
  bool ok = false;
  Value d = attr_dict(in, a.args[0], ok);
  if (!ok)
    type_error(in, "vars() argument must have __dict__ attribute");
  return d;
}

Value bi_dir(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "dir", 0, 1);
  if (a.args.empty())
    in.raise(in.e.NotSupported, "dir() without an argument is not supported by loopscope");
  const Value& v = a.args[0];
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  const auto add = [&](const std::unordered_map<std::string, Value>& m) {
    for (const auto& kv : m)
      if (seen.insert(kv.first).second)
        names.push_back(kv.first);
  };
  if (auto* m = v.as<ModuleObject>()) {
    add(m->dict);
  } else {
    if (v.is_obj() && (v.obj()->kind == Kind::Instance || v.obj()->kind == Kind::Exception))
      add(static_cast<InstanceObject*>(v.obj())->dict);
    const TypeObject* t = v.as<TypeObject>() != nullptr ? v.as<TypeObject>() : in.type_of(v);
    for (const TypeObject* m : t->mro)
      add(m->dict);
    for (const char* n : {"__class__", "__doc__", "__module__"})
      if (seen.insert(n).second)
        names.emplace_back(n);
  }
  std::sort(names.begin(), names.end());
  std::vector<Value> out;
  for (auto& n : names)
    out.push_back(in.str(std::move(n)));
  return in.list(std::move(out));
}

// ---------------------------------------------------------------- lazy iterator types

Value enumerate_new(Interp& in, const Value& self, CallArgs& a)
{
  std::optional<Value> iterable = arg_or_kw(a, 0, "iterable");
  std::optional<Value> start = arg_or_kw(a, 1, "start");
  reject_kwargs(in, a, "enumerate");
  if (!iterable)
    type_error(in, "enumerate() missing required argument 'iterable' (pos 1)");
  if (a.args.size() > 2)
    type_error(
        in, "enumerate() takes at most 2 arguments (" + std::to_string(a.args.size()) + " given)");
  const std::int64_t first = start ? to_index(in, *start) : 0;
  Value src = in.iter(*iterable);
  Value it = detail::make_iterator(
      in, src,
      [](Interp& in2, IteratorObject& self2, Value& out) {
        Value x;
        if (self2.source.is_none() || !in2.next(self2.source, x)) {
          self2.source = Value();
          return false;
        }
        out = in2.tuple({Value::from_int(self2.index++), std::move(x)});
        return true;
      },
      self.as<TypeObject>());
  it.as<IteratorObject>()->index = first;
  return it;
}

Value zip_new(Interp& in, const Value& self, CallArgs& a)
{
  take_kw(a, "strict");  // zip(strict=True) checks lengths: accepted, not checked
  reject_kwargs(in, a, "zip");
  std::vector<Value> its;
  for (const Value& v : a.args)
    its.push_back(in.iter(v));
  auto state = std::make_shared<std::vector<Value>>(std::move(its));
  return detail::make_iterator(
      in, in.tuple({}),
      [state](Interp& in2, IteratorObject& self2, Value& out) {
        if (self2.source.is_none() || state->empty())
          return false;
        std::vector<Value> row;
        row.reserve(state->size());
        for (const Value& it : *state) {
          Value x;
          if (!in2.next(it, x)) {
            self2.source = Value();
            state->clear();
            return false;
          }
          row.push_back(std::move(x));
        }
        out = in2.tuple(std::move(row));
        return true;
      },
      self.as<TypeObject>());
}

Value map_new(Interp& in, const Value& self, CallArgs& a)
{
  no_kwargs(in, a, "map");
  if (a.args.size() < 2)
    type_error(in, "map() must have at least two arguments.");
  Value fn = a.args[0];
  std::vector<Value> its;
  for (std::size_t i = 1; i < a.args.size(); ++i)
    its.push_back(in.iter(a.args[i]));
  auto state = std::make_shared<std::vector<Value>>(std::move(its));
  return detail::make_iterator(
      in, fn,
      [state](Interp& in2, IteratorObject& self2, Value& out) {
        if (self2.source.is_none())
          return false;
        std::vector<Value> args;
        for (const Value& it : *state) {
          Value x;
          if (!in2.next(it, x)) {
            self2.source = Value();
            return false;
          }
          args.push_back(std::move(x));
        }
        const Value f = self2.source;
        out = in2.call(f, std::move(args));
        return true;
      },
      self.as<TypeObject>());
}

Value filter_new(Interp& in, const Value& self, CallArgs& a)
{
  no_kwargs(in, a, "filter");
  nargs(in, a, "filter", 2, 2);
  Value fn = a.args[0];
  Value src = in.iter(a.args[1]);
  return detail::make_iterator(
      in, src,
      [fn](Interp& in2, IteratorObject& self2, Value& out) {
        Value x;
        while (!self2.source.is_none() && in2.next(self2.source, x)) {
          const bool keep =
              fn.is_none() ? in2.truthy(x) : in2.truthy(in2.call(fn, std::vector<Value>{x}));
          if (keep) {
            out = std::move(x);
            return true;
          }
        }
        self2.source = Value();
        return false;
      },
      self.as<TypeObject>());
}

Value reversed_new(Interp& in, const Value& self, CallArgs& a)
{
  no_kwargs(in, a, "reversed");
  nargs(in, a, "reversed", 1, 1);
  const Value& v = a.args[0];
  if (const Value* f = detail::user_dunder(v, "__reversed__"))
    return detail::call_method(in, *f, v, {});
  std::vector<Value> items;
  if (v.as<ListObject>() != nullptr) {
    // Lazy over the list, like CPython's list_reverseiterator.
    Value it = detail::make_iterator(
        in, v,
        [](Interp&, IteratorObject& it2, Value& out) {
          auto* l = it2.source.as<ListObject>();
          if (l == nullptr || it2.index < 0 ||
              static_cast<std::size_t>(it2.index) >= l->items.size()) {
            it2.source = Value();
            return false;
          }
          out = l->items[static_cast<std::size_t>(it2.index--)];
          return true;
        },
        detail::extras(in).list_reverseiterator);
    it.as<IteratorObject>()->index =
        static_cast<std::int64_t>(v.as<ListObject>()->items.size()) - 1;
    return it;
  }
  if (v.as<TupleObject>() != nullptr || v.as<StrObject>() != nullptr ||
      v.as<BytesObject>() != nullptr || v.as<RangeObject>() != nullptr ||
      v.as<DictObject>() != nullptr || detail::as_dict_view(v) != nullptr) {
    items = in.to_vector(v);
  } else if (detail::user_dunder(v, "__len__") != nullptr &&
             detail::user_dunder(v, "__getitem__") != nullptr) {
    const std::int64_t n = in.len(v);
    for (std::int64_t i = 0; i < n; ++i)
      items.push_back(in.getitem(v, Value::from_int(i)));
  } else {
    type_error(in, "'" + in.type_name(v) + "' object is not reversible");
  }
  std::reverse(items.begin(), items.end());
  return detail::make_iterator(
      in, in.list(std::move(items)),
      [](Interp&, IteratorObject& it2, Value& out) {
        auto* l = it2.source.as<ListObject>();
        if (l == nullptr || static_cast<std::size_t>(it2.index) >= l->items.size()) {
          it2.source = Value();
          return false;
        }
        out = l->items[static_cast<std::size_t>(it2.index++)];
        return true;
      },
      self.as<TypeObject>());
}

// ================================================================== type constructors

Value int_new(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "int", 0, 2);
  std::optional<Value> x = arg_or_kw(a, 0, "x");
  std::optional<Value> base = arg_or_kw(a, 1, "base");
  reject_kwargs(in, a, "int");
  if (!x)
    return Value::from_int(0);
  const Value v = *x;
  if (base) {
    const std::int64_t b = to_index(in, *base);
    std::string text;
    if (auto* s = v.as<StrObject>())
      text = s->s;
    else if (auto* bs = v.as<BytesObject>())
      text = bs->s;
    else
      type_error(in, "int() can't convert non-string with explicit base");
    if (b != 0 && (b < 2 || b > 36))
      value_error(in, "int() base must be >= 2 and <= 36, or 0");
    return Value::from_int(guarded(in, [&] { return py::parse_int(text, static_cast<int>(b)); }));
  }
  if (v.is_intlike())
    return Value::from_int(v.as_int());
  if (v.is_float())
    return Value::from_int(guarded(in, [&] { return py::float_to_int(v.as_float()); }));
  if (auto* s = v.as<StrObject>())
    return Value::from_int(guarded(in, [&] { return py::parse_int(s->s, 10); }));
  if (auto* bs = v.as<BytesObject>())
    return Value::from_int(guarded(in, [&] { return py::parse_int(bs->s, 10); }));
  for (const char* d : {"__int__", "__index__", "__trunc__"}) {
    if (const Value* f = detail::user_dunder(v, d)) {
      Value r = detail::call_method(in, *f, v, {});
      if (!r.is_intlike())
        type_error(in, std::string(d) + " returned non-int (type " + in.type_name(r) + ")");
      return Value::from_int(r.as_int());
    }
  }
  type_error(in, "int() argument must be a string, a bytes-like object or a real number, not '" +
                     in.type_name(v) + "'");
}

Value float_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "float");
  nargs(in, a, "float", 0, 1);
  if (a.args.empty())
    return Value::from_float(0.0);
  const Value& v = a.args[0];
  if (v.is_float())
    return v;
  if (v.is_intlike())
    return Value::from_float(static_cast<double>(v.as_int()));
  if (auto* s = v.as<StrObject>())
    return Value::from_float(guarded(in, [&] { return py::parse_float(s->s); }));
  if (auto* bs = v.as<BytesObject>())
    return Value::from_float(guarded(in, [&] { return py::parse_float(bs->s); }));
  if (const Value* f = detail::user_dunder(v, "__float__")) {
    Value r = detail::call_method(in, *f, v, {});
    if (!r.is_float())
      type_error(in,
                 in.type_name(v) + ".__float__ returned non-float (type " + in.type_name(r) + ")");
    return r;
  }
  if (const Value* f = detail::user_dunder(v, "__index__")) {
    Value r = detail::call_method(in, *f, v, {});
    if (r.is_intlike())
      return Value::from_float(static_cast<double>(r.as_int()));
  }
  type_error(in,
             "float() argument must be a string or a real number, not '" + in.type_name(v) + "'");
}

Value bool_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "bool");
  nargs(in, a, "bool", 0, 1);
  return Value(!a.args.empty() && in.truthy(a.args[0]));
}

Value str_new(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "str", 0, 3);
  std::optional<Value> obj = arg_or_kw(a, 0, "object");
  std::optional<Value> encoding = arg_or_kw(a, 1, "encoding");
  std::optional<Value> errors = arg_or_kw(a, 2, "errors");
  reject_kwargs(in, a, "str");
  if (!obj)
    return in.str("");
  if (!encoding && !errors) {
    if (obj->as<StrObject>() != nullptr)
      return *obj;
    return in.str(in.to_str(*obj));
  }
  auto* b = obj->as<BytesObject>();
  if (b == nullptr) {
    if (obj->as<StrObject>() != nullptr)
      type_error(in, "decoding str is not supported");
    type_error(in, "decoding to str: need a bytes-like object, " + in.type_name(*obj) + " found");
  }
  const std::string enc = encoding ? str_arg(in, *encoding, "str() argument 'encoding'") : "utf-8";
  const std::string err = errors ? str_arg(in, *errors, "str() argument 'errors'") : "strict";
  return in.str(decode_bytes(in, b->s, enc, err));
}

Value bytes_new(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "bytes", 0, 3);
  std::optional<Value> src = arg_or_kw(a, 0, "source");
  std::optional<Value> encoding = arg_or_kw(a, 1, "encoding");
  std::optional<Value> errors = arg_or_kw(a, 2, "errors");
  reject_kwargs(in, a, "bytes");
  if (!src)
    return in.bytes("");
  const Value v = *src;
  if (auto* s = v.as<StrObject>()) {
    if (!encoding)
      type_error(in, "string argument without an encoding");
    const std::string err = errors ? str_arg(in, *errors, "bytes() argument 'errors'") : "strict";
    return in.bytes(
        encode_str(in, s->s, str_arg(in, *encoding, "bytes() argument 'encoding'"), err));
  }
  if (encoding || errors)
    type_error(
        in, encoding ? "encoding without a string argument" : "errors without a string argument");
  if (v.as<BytesObject>() != nullptr)
    return v;
  if (v.is_intlike()) {
    if (v.as_int() < 0)
      value_error(in, "negative count");
    return in.bytes(std::string(static_cast<std::size_t>(v.as_int()), '\0'));
  }
  if (v.is_float() || v.is_none())
    type_error(in, "cannot convert '" + in.type_name(v) + "' object to bytes");
  std::string out;
  Value it;
  try {
    it = in.iter(v);
  } catch (const PyException& e) {
    if (in.isinstance(e.exc, in.e.TypeError))
      type_error(in, "cannot convert '" + in.type_name(v) + "' object to bytes");
    throw;
  }
  Value x;
  while (in.next(it, x)) {
    std::int64_t c = 0;
    if (!detail::index_of(in, x, c))
      type_error(in, "'" + in.type_name(x) + "' object cannot be interpreted as an integer");
    if (c < 0 || c > 255)
      value_error(in, "bytes must be in range(0, 256)");
    out.push_back(static_cast<char>(c));
  }
  return in.bytes(std::move(out));
}

Value list_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "list");
  nargs(in, a, "list", 0, 1);
  if (a.args.empty())
    return in.list();
  return in.list(in.to_vector(a.args[0]));
}

Value tuple_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "tuple");
  nargs(in, a, "tuple", 0, 1);
  if (a.args.empty())
    return in.tuple();
  if (auto* t = a.args[0].as<TupleObject>(); t != nullptr && t->type == in.t.tuple)
    return a.args[0];
  return in.tuple(in.to_vector(a.args[0]));
}

/// dict.update / dict(...) from one positional argument: a mapping or an iterable of pairs.
void dict_merge(Interp& in, DictObject* d, const Value& src)
{
  if (auto* sd = src.as<DictObject>(); sd != nullptr && sd->type->is_builtin) {
    const std::vector<HashTable::Entry> es = sd->table.entries();
    for (const auto& e : es)
      if (e.live)
        d->table.set(in, e.key, e.hash, e.value);
    return;
  }
  Value keys;
  if (!src.as<DictObject>() && detail::user_dunder(src, "keys") != nullptr) {
    keys = in.call(in.getattr(src, "keys"), std::vector<Value>{});
    for (const Value& k : in.to_vector(keys)) {
      const std::uint64_t h = in.hash(k);
      d->table.set(in, k, h, in.getitem(src, k));
    }
    return;
  }
  if (src.as<DictObject>() != nullptr) {
    const std::vector<HashTable::Entry> es = src.as<DictObject>()->table.entries();
    for (const auto& e : es)
      if (e.live)
        d->table.set(in, e.key, e.hash, e.value);
    return;
  }
  Value it = in.iter(src);
  Value pair;
  std::size_t i = 0;
  while (in.next(it, pair)) {
    std::vector<Value> kv;
    try {
      kv = in.to_vector(pair);
    } catch (const PyException& e) {
      if (in.isinstance(e.exc, in.e.TypeError))
        type_error(in, "cannot convert dictionary update sequence element #" + std::to_string(i) +
                           " to a sequence");
      throw;
    }
    if (kv.size() != 2)
      value_error(in, "dictionary update sequence element #" + std::to_string(i) + " has length " +
                          std::to_string(kv.size()) + "; 2 is required");
    const std::uint64_t h = in.hash(kv[0]);
    d->table.set(in, std::move(kv[0]), h, std::move(kv[1]));
    ++i;
  }
}

void dict_update_kwargs(Interp& in, DictObject* d, CallArgs& a)
{
  for (auto& [k, v] : a.kwargs) {
    Value key = in.str(k);
    const std::uint64_t h = in.hash(key);
    d->table.set(in, std::move(key), h, v);
  }
}

Value dict_new(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.size() > 1)
    type_error(in, "dict expected at most 1 argument, got " + std::to_string(a.args.size()));
  Value d = in.dict();
  auto* dd = d.as<DictObject>();
  if (!a.args.empty())
    dict_merge(in, dd, a.args[0]);
  dict_update_kwargs(in, dd, a);
  return d;
}

Value set_from(Interp& in, const Value& src, bool frozen)
{
  Value s = new_set(in, frozen);
  auto* so = s.as<SetObject>();
  if (auto* other = src.as<SetObject>()) {
    for (const auto& e : other->table.entries())
      if (e.live)
        so->table.set(in, e.key, e.hash, Value());
    return s;
  }
  Value it = in.iter(src);
  Value x;
  while (in.next(it, x))
    detail::set_add(in, so, std::move(x));
  return s;
}

Value set_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "set");
  nargs(in, a, "set", 0, 1);
  if (a.args.empty())
    return new_set(in);
  return set_from(in, a.args[0], false);
}

Value frozenset_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "frozenset");
  nargs(in, a, "frozenset", 0, 1);
  if (a.args.empty())
    return new_set(in, true);
  if (auto* s = a.args[0].as<SetObject>(); s != nullptr && s->frozen && s->type == in.t.frozenset)
    return a.args[0];
  return set_from(in, a.args[0], true);
}

Value range_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "range");
  nargs(in, a, "range", 1, 3);
  std::int64_t start = 0, stop = 0, step = 1;
  if (a.args.size() == 1) {
    stop = to_index(in, a.args[0]);
  } else {
    start = to_index(in, a.args[0]);
    stop = to_index(in, a.args[1]);
    if (a.args.size() == 3)
      step = to_index(in, a.args[2]);
  }
  if (step == 0)
    value_error(in, "range() arg 3 must not be zero");
  return make_range(in, start, stop, step);
}

Value slice_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "slice");
  nargs(in, a, "slice", 1, 3);
  Value v;
  if (a.args.size() == 1)
    v = make<SliceObject>(Value(), a.args[0], Value());
  else
    v = make<SliceObject>(a.args[0], a.args[1], a.args.size() == 3 ? a.args[2] : Value());
  v.obj()->type = in.t.slice;
  return v;
}

Value type_new(Interp& in, const Value&, CallArgs& a)
{
  no_kwargs(in, a, "type");
  if (a.args.size() == 1)
    return Value(static_cast<Object*>(in.type_of(a.args[0])));
  if (a.args.size() != 3)
    type_error(in, "type() takes 1 or 3 arguments");
  const std::string& name = str_arg(in, a.args[0], "type.__new__() argument 1");
  auto* bases_t = a.args[1].as<TupleObject>();
  auto* ns = a.args[2].as<DictObject>();
  if (bases_t == nullptr)
    type_error(in, "type.__new__() argument 2 must be tuple, not " + in.type_name(a.args[1]));
  if (ns == nullptr)
    type_error(in, "type.__new__() argument 3 must be dict, not " + in.type_name(a.args[2]));
  std::vector<TypeObject*> bases;
  std::vector<Value> owned;
  for (const Value& b : bases_t->items) {
    auto* bt = b.as<TypeObject>();
    if (bt == nullptr)
      type_error(in, "bases must be types");
    bases.push_back(bt);
    owned.push_back(b);
  }
  if (bases.empty())
    bases.push_back(in.t.object);
  auto* t = new TypeObject(name, bases);
  Value tv(static_cast<Object*>(t));
  t->type = in.t.type;
  t->is_builtin = false;
  t->module = "__main__";
  t->owned_bases = std::move(owned);
  for (TypeObject* b : bases) {
    if (b->is_exception) {
      t->is_exception = true;
      t->instance_kind = Kind::Exception;
    }
  }
  for (const auto& e : ns->table.entries())
    if (e.live)
      if (auto* k = e.key.as<StrObject>())
        t->dict[k->s] = e.value;
  return tv;
}

// ================================================================== str methods

/// str.format / format_map arguments for pyformat.
class FormatAdapter : public py::FormatLookup
{
public:
  FormatAdapter(Interp& in, const std::vector<Value>& args, const CallArgs* kwargs, Value mapping)
      : in_(in)
      , args_(args)
      , kwargs_(kwargs)
      , mapping_(std::move(mapping))
  {}
  std::optional<Handle> positional(std::size_t index) override
  {
    if (index >= args_.size())
      return std::nullopt;
    return add(args_[index]);
  }
  std::optional<Handle> keyword(std::string_view name) override
  {
    if (kwargs_ != nullptr) {
      for (const auto& [k, v] : kwargs_->kwargs)
        if (k == name)
          return add(v);
      return std::nullopt;
    }
    if (mapping_.is_none())
      return std::nullopt;
    try {
      return add(in_.getitem(mapping_, in_.str(std::string(name))));
    } catch (const PyException& e) {
      if (in_.isinstance(e.exc, in_.e.KeyError))
        return std::nullopt;
      throw;
    }
  }
  Handle attribute(Handle v, std::string_view name) override
  {
    return add(in_.getattr(values_[v], name));
  }
  Handle item(Handle v, std::int64_t index) override
  {
    return add(in_.getitem(values_[v], Value::from_int(index)));
  }
  Handle item(Handle v, std::string_view key) override
  {
    return add(in_.getitem(values_[v], in_.str(std::string(key))));
  }
  std::string str(Handle v) override { return in_.to_str(values_[v]); }
  std::string repr(Handle v) override { return in_.repr(values_[v]); }
  std::string format(Handle v, std::string_view spec) override
  {
    return detail::format_value(in_, values_[v], spec);
  }
  bool allows_positional() const override { return kwargs_ != nullptr; }

private:
  Handle add(Value v)
  {
    values_.push_back(std::move(v));
    return values_.size() - 1;
  }
  Interp& in_;
  const std::vector<Value>& args_;
  const CallArgs* kwargs_;
  Value mapping_;
  std::vector<Value> values_;
};

#define STR_SELF(name) const std::string& s = receiver<StrObject>(in, self, name, "str")->s

Value str_format(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("format");
  FormatAdapter ad(in, a.args, &a, Value());
  return in.str(guarded(in, [&] { return py::format_template(s, ad); }));
}

Value str_format_map(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("format_map");
  nargs(in, a, "format_map", 1, 1);
  const std::vector<Value> none;
  FormatAdapter ad(in, none, nullptr, a.args[0]);
  return in.str(guarded(in, [&] { return py::format_template(s, ad); }));
}

template <std::string (*F)(std::string_view)>
Value str_transform(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("upper");
  no_kwargs(in, a, "str");
  nargs(in, a, "str method", 0, 0);
  return in.str(F(s));
}

template <bool (*F)(std::string_view) noexcept>
Value str_predicate(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("isdigit");
  nargs(in, a, "str method", 0, 0);
  return Value(F(s));
}

template <bool Bytes>
Value split_impl(Interp& in, const Value& self, CallArgs& a, bool right)
{
  const char* name = right ? "rsplit" : "split";
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, name, "bytes")->s
                               : receiver<StrObject>(in, self, name, "str")->s;
  if (a.args.size() > 2)
    type_error(in, std::string(name) + "() takes at most 2 arguments (" +
                       std::to_string(a.args.size()) + " given)");
  std::optional<Value> sepv = arg_or_kw(a, 0, "sep");
  std::optional<Value> maxv = arg_or_kw(a, 1, "maxsplit");
  reject_kwargs(in, a, name);
  std::optional<std::string_view> sep;
  if (sepv && !sepv->is_none()) {
    if constexpr (Bytes)
      sep = bytes_arg(in, *sepv);
    else
      sep = str_arg(in, *sepv, "");
  }
  const std::int64_t maxsplit = maxv ? to_index(in, *maxv) : -1;
  std::vector<std::string> parts = guarded(in, [&] {
    if constexpr (Bytes)
      return right ? py::bytes_rsplit(s, sep, maxsplit) : py::bytes_split(s, sep, maxsplit);
    else
      return right ? py::str_rsplit(s, sep, maxsplit) : py::str_split(s, sep, maxsplit);
  });
  return str_list(in, parts, Bytes);
}

Value str_split(Interp& in, const Value& self, CallArgs& a)
{
  if (!a.args.empty() && !a.args[0].is_none() && a.args[0].as<StrObject>() == nullptr)
    type_error(in, "must be str or None, not " + in.type_name(a.args[0]));
  return split_impl<false>(in, self, a, false);
}
Value str_rsplit(Interp& in, const Value& self, CallArgs& a)
{
  if (!a.args.empty() && !a.args[0].is_none() && a.args[0].as<StrObject>() == nullptr)
    type_error(in, "must be str or None, not " + in.type_name(a.args[0]));
  return split_impl<false>(in, self, a, true);
}

Value str_join(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("join");
  nargs(in, a, "str.join", 1, 1);
  std::vector<std::string> parts;
  const std::vector<Value> items = in.to_vector(a.args[0]);
  parts.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto* p = items[i].as<StrObject>();
    if (p == nullptr)
      type_error(in, "sequence item " + std::to_string(i) + ": expected str instance, " +
                         in.type_name(items[i]) + " found");
    parts.push_back(p->s);
  }
  return in.str(py::str_join(s, parts));
}

template <int Which>  // 0 strip, 1 lstrip, 2 rstrip
Value str_strip_m(Interp& in, const Value& self, CallArgs& a)
{
  static const char* names[] = {"strip", "lstrip", "rstrip"};
  STR_SELF(names[Which]);
  nargs(in, a, names[Which], 0, 1);
  std::optional<std::string_view> chars;
  if (!a.args.empty() && !a.args[0].is_none()) {
    auto* c = a.args[0].as<StrObject>();
    if (c == nullptr)
      type_error(in, std::string(names[Which]) + " arg must be None or str");
    chars = c->s;
  }
  if constexpr (Which == 0)
    return in.str(py::str_strip(s, chars));
  else if constexpr (Which == 1)
    return in.str(py::str_lstrip(s, chars));
  else
    return in.str(py::str_rstrip(s, chars));
}

template <bool Bytes, bool Ends>
Value affix_impl(Interp& in, const Value& self, CallArgs& a)
{
  const char* name = Ends ? "endswith" : "startswith";
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, name, "bytes")->s
                               : receiver<StrObject>(in, self, name, "str")->s;
  nargs(in, a, name, 1, 3);
  const py::OptIndex start =
      opt_index(in, a.args.size() > 1 ? std::optional<Value>(a.args[1]) : std::nullopt);
  const py::OptIndex end =
      opt_index(in, a.args.size() > 2 ? std::optional<Value>(a.args[2]) : std::nullopt);
  const auto test = [&](const Value& p) {
    if constexpr (Bytes) {
      auto* b = p.as<BytesObject>();
      if (b == nullptr)
        type_error(in, std::string(name) + " first arg must be bytes or a tuple of bytes, not " +
                           in.type_name(p));
      return Ends ? py::bytes_endswith(s, b->s, start, end)
                  : py::bytes_startswith(s, b->s, start, end);
    } else {
      auto* t = p.as<StrObject>();
      if (t == nullptr)
        type_error(in, std::string(name) + " first arg must be str or a tuple of str, not " +
                           in.type_name(p));
      return Ends ? py::str_endswith(s, t->s, start, end) : py::str_startswith(s, t->s, start, end);
    }
  };
  if (auto* tup = a.args[0].as<TupleObject>()) {
    for (const Value& p : tup->items)
      if (test(p))
        return Value(true);
    return Value(false);
  }
  return Value(test(a.args[0]));
}

Value str_replace(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("replace");
  no_kwargs(in, a, "replace");
  nargs(in, a, "replace", 2, 3);
  const std::string& old = str_arg(in, a.args[0], "replace() argument 1");
  const std::string& nw = str_arg(in, a.args[1], "replace() argument 2");
  const std::int64_t count = a.args.size() > 2 ? to_index(in, a.args[2]) : -1;
  return in.str(py::str_replace(s, old, nw, count));
}

/// find/rfind/index/rindex/count on str (Which: 0 find, 1 rfind, 2 index, 3 rindex, 4 count).
template <bool Bytes, int Which>
Value search_impl(Interp& in, const Value& self, CallArgs& a)
{
  static const char* names[] = {"find", "rfind", "index", "rindex", "count"};
  const char* name = names[Which];
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, name, "bytes")->s
                               : receiver<StrObject>(in, self, name, "str")->s;
  no_kwargs(in, a, name);
  nargs(in, a, name, 1, 3);
  std::string sub;
  if constexpr (Bytes) {
    if (auto* b = a.args[0].as<BytesObject>()) {
      sub = b->s;
    } else {
      std::int64_t c = 0;
      if (!detail::index_of(in, a.args[0], c))
        type_error(in, "argument should be integer or bytes-like object, not '" +
                           in.type_name(a.args[0]) + "'");
      if (c < 0 || c > 255)
        value_error(in, "byte must be in range(0, 256)");
      sub = std::string(1, static_cast<char>(c));
    }
  } else {
    sub = str_arg(in, a.args[0]);
  }
  const py::OptIndex start =
      opt_index(in, a.args.size() > 1 ? std::optional<Value>(a.args[1]) : std::nullopt);
  const py::OptIndex end =
      opt_index(in, a.args.size() > 2 ? std::optional<Value>(a.args[2]) : std::nullopt);
  return Value::from_int(guarded(in, [&]() -> std::int64_t {
    if constexpr (Bytes) {
      switch (Which) {
        case 0:
          return py::bytes_find(s, sub, start, end);
        case 1:
          return py::bytes_rfind(s, sub, start, end);
        case 2:
          return py::bytes_index(s, sub, start, end);
        case 3:
          return py::bytes_rindex(s, sub, start, end);
        default:
          return py::bytes_count(s, sub, start, end);
      }
    } else {
      switch (Which) {
        case 0:
          return py::str_find(s, sub, start, end);
        case 1:
          return py::str_rfind(s, sub, start, end);
        case 2:
          return py::str_index(s, sub, start, end);
        case 3:
          return py::str_rindex(s, sub, start, end);
        default:
          return py::str_count(s, sub, start, end);
      }
    }
  }));
}

Value str_encode(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("encode");
  nargs(in, a, "encode", 0, 2);
  std::optional<Value> enc = arg_or_kw(a, 0, "encoding");
  std::optional<Value> err = arg_or_kw(a, 1, "errors");
  reject_kwargs(in, a, "encode");
  return in.bytes(encode_str(in, s,
                             enc ? str_arg(in, *enc, "encode() argument 'encoding'") : "utf-8",
                             err ? str_arg(in, *err, "encode() argument 'errors'") : "strict"));
}

/// center/ljust/rjust (Which 0, 1, 2) for str and bytes.
template <bool Bytes, int Which>
Value justify_impl(Interp& in, const Value& self, CallArgs& a)
{
  static const char* names[] = {"center", "ljust", "rjust"};
  const char* name = names[Which];
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, name, "bytes")->s
                               : receiver<StrObject>(in, self, name, "str")->s;
  no_kwargs(in, a, name);
  nargs(in, a, name, 1, 2);
  const std::int64_t width = to_index(in, a.args[0]);
  std::string fill = " ";
  if (a.args.size() > 1) {
    if constexpr (Bytes) {
      auto* f = a.args[1].as<BytesObject>();
      if (f == nullptr)
        type_error(in, std::string(name) + "() argument 2 must be a byte string of length 1, not " +
                           in.type_name(a.args[1]));
      fill = f->s;
    } else {
      fill = str_arg(in, a.args[1], std::string(name) + "() argument 2");
    }
  }
  return guarded(in, [&] {
    if constexpr (Bytes) {
      return in.bytes(Which == 0   ? py::bytes_center(s, width, fill)
                      : Which == 1 ? py::bytes_ljust(s, width, fill)
                                   : py::bytes_rjust(s, width, fill));
    } else {
      return in.str(Which == 0   ? py::str_center(s, width, fill)
                    : Which == 1 ? py::str_ljust(s, width, fill)
                                 : py::str_rjust(s, width, fill));
    }
  });
}

Value str_zfill(Interp& in, const Value& self, CallArgs& a)
{
  STR_SELF("zfill");
  nargs(in, a, "zfill", 1, 1);
  return in.str(py::str_zfill(s, to_index(in, a.args[0])));
}

template <bool Bytes, bool Right>
Value partition_impl(Interp& in, const Value& self, CallArgs& a)
{
  const char* name = Right ? "rpartition" : "partition";
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, name, "bytes")->s
                               : receiver<StrObject>(in, self, name, "str")->s;
  nargs(in, a, name, 1, 1);
  const std::string& sep = Bytes ? bytes_arg(in, a.args[0]) : str_arg(in, a.args[0]);
  auto parts =
      guarded(in, [&] { return Right ? py::str_rpartition(s, sep) : py::str_partition(s, sep); });
  std::vector<Value> items;
  for (auto& p : parts)
    items.push_back(Bytes ? in.bytes(std::move(p)) : in.str(std::move(p)));
  return in.tuple(std::move(items));
}

template <bool Bytes>
Value splitlines_impl(Interp& in, const Value& self, CallArgs& a)
{
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, "splitlines", "bytes")->s
                               : receiver<StrObject>(in, self, "splitlines", "str")->s;
  nargs(in, a, "splitlines", 0, 1);
  std::optional<Value> keep = arg_or_kw(a, 0, "keepends");
  reject_kwargs(in, a, "splitlines");
  const bool keepends = keep && in.truthy(*keep);
  return str_list(in, Bytes ? py::bytes_splitlines(s, keepends) : py::str_splitlines(s, keepends),
                  Bytes);
}

template <bool Bytes>
Value expandtabs_impl(Interp& in, const Value& self, CallArgs& a)
{
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, "expandtabs", "bytes")->s
                               : receiver<StrObject>(in, self, "expandtabs", "str")->s;
  nargs(in, a, "expandtabs", 0, 1);
  std::optional<Value> ts = arg_or_kw(a, 0, "tabsize");
  reject_kwargs(in, a, "expandtabs");
  const std::int64_t tab = ts ? to_index(in, *ts) : 8;
  return Bytes ? in.bytes(py::bytes_expandtabs(s, tab)) : in.str(py::str_expandtabs(s, tab));
}

template <bool Bytes, bool Suffix>
Value remove_affix(Interp& in, const Value& self, CallArgs& a)
{
  const char* name = Suffix ? "removesuffix" : "removeprefix";
  const std::string& s = Bytes ? receiver<BytesObject>(in, self, name, "bytes")->s
                               : receiver<StrObject>(in, self, name, "str")->s;
  nargs(in, a, name, 1, 1);
  const std::string& x =
      Bytes ? bytes_arg(in, a.args[0]) : str_arg(in, a.args[0], std::string(name) + "() argument");
  std::string r = Suffix ? py::str_removesuffix(s, x) : py::str_removeprefix(s, x);
  return Bytes ? in.bytes(std::move(r)) : in.str(std::move(r));
}

// ================================================================== bytes methods

#define BYTES_SELF(name) const std::string& s = receiver<BytesObject>(in, self, name, "bytes")->s

Value bytes_decode(Interp& in, const Value& self, CallArgs& a)
{
  BYTES_SELF("decode");
  nargs(in, a, "decode", 0, 2);
  std::optional<Value> enc = arg_or_kw(a, 0, "encoding");
  std::optional<Value> err = arg_or_kw(a, 1, "errors");
  reject_kwargs(in, a, "decode");
  return in.str(decode_bytes(in, s,
                             enc ? str_arg(in, *enc, "decode() argument 'encoding'") : "utf-8",
                             err ? str_arg(in, *err, "decode() argument 'errors'") : "strict"));
}

template <std::string (*F)(std::string_view)>
Value bytes_transform(Interp& in, const Value& self, CallArgs& a)
{
  BYTES_SELF("upper");
  nargs(in, a, "bytes method", 0, 0);
  return in.bytes(F(s));
}

template <bool (*F)(std::string_view) noexcept>
Value bytes_predicate(Interp& in, const Value& self, CallArgs& a)
{
  BYTES_SELF("isdigit");
  nargs(in, a, "bytes method", 0, 0);
  return Value(F(s));
}

Value bytes_split_m(Interp& in, const Value& self, CallArgs& a)
{
  return split_impl<true>(in, self, a, false);
}
Value bytes_rsplit_m(Interp& in, const Value& self, CallArgs& a)
{
  return split_impl<true>(in, self, a, true);
}

template <int Which>
Value bytes_strip_m(Interp& in, const Value& self, CallArgs& a)
{
  static const char* names[] = {"strip", "lstrip", "rstrip"};
  BYTES_SELF(names[Which]);
  nargs(in, a, names[Which], 0, 1);
  std::optional<std::string_view> chars;
  if (!a.args.empty() && !a.args[0].is_none())
    chars = bytes_arg(in, a.args[0]);
  if constexpr (Which == 0)
    return in.bytes(py::bytes_strip(s, chars));
  else if constexpr (Which == 1)
    return in.bytes(py::bytes_lstrip(s, chars));
  else
    return in.bytes(py::bytes_rstrip(s, chars));
}

Value bytes_replace_m(Interp& in, const Value& self, CallArgs& a)
{
  BYTES_SELF("replace");
  nargs(in, a, "replace", 2, 3);
  const std::int64_t count = a.args.size() > 2 ? to_index(in, a.args[2]) : -1;
  return in.bytes(py::bytes_replace(s, bytes_arg(in, a.args[0]), bytes_arg(in, a.args[1]), count));
}

Value bytes_hex_m(Interp& in, const Value& self, CallArgs& a)
{
  BYTES_SELF("hex");
  nargs(in, a, "hex", 0, 0);
  return in.str(py::bytes_hex(s));
}

Value bytes_fromhex(Interp& in, const Value&, CallArgs& a)
{
  // A classmethod: bytes.fromhex(s) (self is the type or None).
  if (a.args.size() != 1)
    type_error(
        in, "fromhex() takes exactly one argument (" + std::to_string(a.args.size()) + " given)");
  const std::string& s = str_arg(in, a.args[0], "fromhex() argument");
  std::string out;
  const auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  std::size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    const int hi = hexval(s[i]);
    const int lo = i + 1 < s.size() ? hexval(s[i + 1]) : -1;
    if (hi < 0 || lo < 0) {
      const std::size_t pos = hi < 0 ? i : i + 1;
      value_error(
          in, "non-hexadecimal number found in fromhex() arg at position " + std::to_string(pos));
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return in.bytes(std::move(out));
}

Value bytes_join(Interp& in, const Value& self, CallArgs& a)
{
  BYTES_SELF("join");
  nargs(in, a, "bytes.join", 1, 1);
  const std::vector<Value> items = in.to_vector(a.args[0]);
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto* b = items[i].as<BytesObject>();
    if (b == nullptr)
      type_error(in, "sequence item " + std::to_string(i) + ": expected a bytes-like object, " +
                         in.type_name(items[i]) + " found");
    parts.push_back(b->s);
  }
  return in.bytes(py::str_join(s, parts));
}

Value bytes_zfill_m(Interp& in, const Value& self, CallArgs& a)
{
  BYTES_SELF("zfill");
  nargs(in, a, "zfill", 1, 1);
  return in.bytes(py::bytes_zfill(s, to_index(in, a.args[0])));
}

// ================================================================== list methods

#define LIST_SELF(name) ListObject* l = receiver<ListObject>(in, self, name, "list")

Value list_append(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("append");
  nargs(in, a, "list.append", 1, 1);
  l->items.push_back(a.args[0]);
  return {};
}

Value list_extend(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("extend");
  nargs(in, a, "list.extend", 1, 1);
  std::vector<Value> items = in.to_vector(a.args[0]);
  l->items.insert(l->items.end(), std::make_move_iterator(items.begin()),
                  std::make_move_iterator(items.end()));
  return {};
}

Value list_insert(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("insert");
  nargs(in, a, "insert", 2, 2);
  std::int64_t i = to_index(in, a.args[0]);
  const auto n = static_cast<std::int64_t>(l->items.size());
  if (i < 0)
    i = std::max<std::int64_t>(0, i + n);
  i = std::min(i, n);
  l->items.insert(l->items.begin() + i, a.args[1]);
  return {};
}

Value list_pop(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("pop");
  nargs(in, a, "pop", 0, 1);
  if (l->items.empty())
    in.raise(in.e.IndexError, "pop from empty list");
  std::int64_t i = a.args.empty() ? -1 : to_index(in, a.args[0]);
  const auto n = static_cast<std::int64_t>(l->items.size());
  if (i < 0)
    i += n;
  if (i < 0 || i >= n)
    in.raise(in.e.IndexError, "pop index out of range");
  Value v = std::move(l->items[static_cast<std::size_t>(i)]);
  l->items.erase(l->items.begin() + i);
  return v;
}

Value list_remove(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("remove");
  nargs(in, a, "list.remove", 1, 1);
  for (std::size_t i = 0; i < l->items.size(); ++i) {
    const Value x = l->items[i];
    if (x.identical(a.args[0]) || in.eq(x, a.args[0])) {
      if (i < l->items.size()) {
        Value removed = std::move(l->items[i]);
        l->items.erase(l->items.begin() + static_cast<std::ptrdiff_t>(i));
      }
      return {};
    }
  }
  value_error(in, "list.remove(x): x not in list");
}

std::pair<std::size_t, std::size_t> index_range(Interp& in, const CallArgs& a, std::size_t n)
{
  const auto clamp = [&](std::size_t pos, std::int64_t dflt) {
    std::int64_t v = pos < a.args.size() ? to_index(in, a.args[pos]) : dflt;
    const auto len = static_cast<std::int64_t>(n);
    if (v < 0)
      v = std::max<std::int64_t>(0, v + len);
    return static_cast<std::size_t>(std::min(v, len));
  };
  return {clamp(1, 0), clamp(2, static_cast<std::int64_t>(n))};
}

Value list_index(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("index");
  nargs(in, a, "index", 1, 3);
  auto [start, stop] = index_range(in, a, l->items.size());
  for (std::size_t i = start; i < stop && i < l->items.size(); ++i) {
    const Value x = l->items[i];
    if (x.identical(a.args[0]) || in.eq(x, a.args[0]))
      return Value::from_int(static_cast<std::int64_t>(i));
  }
  value_error(in, in.repr(a.args[0]) + " is not in list");
}

Value seq_count(Interp& in, const std::vector<Value>& items, const Value& x)
{
  std::int64_t n = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value v = items[i];
    if (v.identical(x) || in.eq(v, x))
      ++n;
  }
  return Value::from_int(n);
}

Value list_count(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("count");
  nargs(in, a, "list.count", 1, 1);
  return seq_count(in, l->items, a.args[0]);
}

Value list_sort(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("sort");
  if (!a.args.empty())
    type_error(in, "sort() takes no positional arguments");
  std::optional<Value> key = take_kw(a, "key");
  std::optional<Value> rev = take_kw(a, "reverse");
  if (!a.kwargs.empty())
    type_error(in, "'" + a.kwargs.front().first + "' is an invalid keyword argument for sort()");
  std::vector<Value> items = std::move(l->items);
  l->items.clear();
  try {
    sort_values(in, items, key ? *key : Value(), rev && in.truthy(*rev));
  } catch (...) {
    if (l->items.empty())
      l->items = std::move(items);
    throw;
  }
  const bool modified = !l->items.empty();
  l->items = std::move(items);
  if (modified)
    value_error(in, "list modified during sort");
  return {};
}

Value list_reverse(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("reverse");
  nargs(in, a, "list.reverse", 0, 0);
  std::reverse(l->items.begin(), l->items.end());
  return {};
}

Value list_copy(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("copy");
  nargs(in, a, "list.copy", 0, 0);
  return in.list(l->items);
}

Value list_clear(Interp& in, const Value& self, CallArgs& a)
{
  LIST_SELF("clear");
  nargs(in, a, "list.clear", 0, 0);
  std::vector<Value> old = std::move(l->items);
  l->items.clear();
  return {};
}

// ================================================================== tuple methods

Value tuple_count(Interp& in, const Value& self, CallArgs& a)
{
  auto* t = receiver<TupleObject>(in, self, "count", "tuple");
  nargs(in, a, "tuple.count", 1, 1);
  return seq_count(in, t->items, a.args[0]);
}

Value tuple_index(Interp& in, const Value& self, CallArgs& a)
{
  auto* t = receiver<TupleObject>(in, self, "index", "tuple");
  nargs(in, a, "index", 1, 3);
  auto [start, stop] = index_range(in, a, t->items.size());
  for (std::size_t i = start; i < stop; ++i) {
    const Value x = t->items[i];
    if (x.identical(a.args[0]) || in.eq(x, a.args[0]))
      return Value::from_int(static_cast<std::int64_t>(i));
  }
  value_error(in, "tuple.index(x): x not in tuple");
}

// ================================================================== dict methods

#define DICT_SELF(name) DictObject* d = receiver<DictObject>(in, self, name, "dict")

std::int64_t dict_find(Interp& in, DictObject* d, const Value& key)
{
  return d->table.find(in, key, in.hash(key));
}

Value dict_get(Interp& in, const Value& self, CallArgs& a)
{
  DICT_SELF("get");
  no_kwargs(in, a, "dict.get");
  nargs(in, a, "get", 1, 2);
  const std::int64_t i = dict_find(in, d, a.args[0]);
  if (i >= 0)
    return d->table.entries()[static_cast<std::size_t>(i)].value;
  return a.args.size() > 1 ? a.args[1] : Value();
}

template <DictViewObject::Which W>
Value dict_view(Interp& in, const Value& self, CallArgs& a)
{
  receiver<DictObject>(in, self,
                       W == DictViewObject::Which::Keys     ? "keys"
                       : W == DictViewObject::Which::Values ? "values"
                                                            : "items",
                       "dict");
  nargs(in, a, "dict view", 0, 0);
  return detail::make_dict_view(in, self, W);
}

Value dict_update(Interp& in, const Value& self, CallArgs& a)
{
  DICT_SELF("update");
  nargs(in, a, "update", 0, 1);
  if (!a.args.empty())
    dict_merge(in, d, a.args[0]);
  dict_update_kwargs(in, d, a);
  return {};
}

Value dict_setdefault(Interp& in, const Value& self, CallArgs& a)
{
  DICT_SELF("setdefault");
  nargs(in, a, "setdefault", 1, 2);
  const std::uint64_t h = in.hash(a.args[0]);
  const std::int64_t i = d->table.find(in, a.args[0], h);
  if (i >= 0)
    return d->table.entries()[static_cast<std::size_t>(i)].value;
  Value v = a.args.size() > 1 ? a.args[1] : Value();
  d->table.set(in, a.args[0], h, v);
  return v;
}

Value dict_pop(Interp& in, const Value& self, CallArgs& a)
{
  DICT_SELF("pop");
  nargs(in, a, "pop", 1, 2);
  const std::int64_t i = dict_find(in, d, a.args[0]);
  if (i < 0) {
    if (a.args.size() > 1)
      return a.args[1];
    in.raise_value(in.new_exception(in.e.KeyError, {a.args[0]}));
  }
  Value v = d->table.entries()[static_cast<std::size_t>(i)].value;
  d->table.erase_at(static_cast<std::size_t>(i));
  return v;
}

Value dict_popitem(Interp& in, const Value& self, CallArgs& a)
{
  DICT_SELF("popitem");
  nargs(in, a, "popitem", 0, 0);
  auto& es = d->table.entries();
  for (std::size_t i = es.size(); i-- > 0;) {
    if (es[i].live) {
      Value r = in.tuple({es[i].key, es[i].value});
      d->table.erase_at(i);
      return r;
    }
  }
  in.raise(in.e.KeyError, "popitem(): dictionary is empty");
}

Value dict_copy(Interp& in, const Value& self, CallArgs& a)
{
  DICT_SELF("copy");
  nargs(in, a, "copy", 0, 0);
  Value r = in.dict();
  auto& t = r.as<DictObject>()->table;
  for (const auto& e : d->table.entries())
    if (e.live)
      t.set(in, e.key, e.hash, e.value);
  return r;
}

Value dict_clear(Interp& in, const Value& self, CallArgs& a)
{
  DICT_SELF("clear");
  nargs(in, a, "clear", 0, 0);
  d->table.clear();
  return {};
}

Value dict_fromkeys(Interp& in, const Value&, CallArgs& a)
{
  // A classmethod: dict.fromkeys(iterable, value=None).
  nargs(in, a, "fromkeys", 1, 2);
  Value r = in.dict();
  auto& t = r.as<DictObject>()->table;
  const Value v = a.args.size() > 1 ? a.args[1] : Value();
  Value it = in.iter(a.args[0]);
  Value k;
  while (in.next(it, k)) {
    const std::uint64_t h = in.hash(k);
    t.set(in, k, h, v);
  }
  return r;
}

// ================================================================== set methods

SetObject* set_self(Interp& in, const Value& self, const char* name)
{
  auto* s = self.as<SetObject>();
  if (s == nullptr)
    type_error(in, std::string("descriptor '") + name + "' for 'set' objects doesn't apply to a '" +
                       in.type_name(self) + "' object");
  return s;
}

SetObject* mutable_set(Interp& in, const Value& self, const char* name)
{
  SetObject* s = set_self(in, self, name);
  if (s->frozen)
    in.raise(in.e.AttributeError,
             "'frozenset' object has no attribute '" + std::string(name) + "'");
  return s;
}

Value set_add_m(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = mutable_set(in, self, "add");
  nargs(in, a, "set.add", 1, 1);
  detail::set_add(in, s, a.args[0]);
  return {};
}

Value set_discard(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = mutable_set(in, self, "discard");
  nargs(in, a, "set.discard", 1, 1);
  s->table.erase(in, a.args[0], in.hash(a.args[0]));
  return {};
}

Value set_remove(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = mutable_set(in, self, "remove");
  nargs(in, a, "set.remove", 1, 1);
  if (!s->table.erase(in, a.args[0], in.hash(a.args[0])))
    in.raise_value(in.new_exception(in.e.KeyError, {a.args[0]}));
  return {};
}

Value set_pop(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = mutable_set(in, self, "pop");
  nargs(in, a, "set.pop", 0, 0);
  const auto order = detail::set_order(s->table);
  if (order.empty())
    in.raise(in.e.KeyError, "pop from an empty set");
  Value v = s->table.entries()[order[0]].key;
  s->table.erase_at(order[0]);
  return v;
}

Value set_clear(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = mutable_set(in, self, "clear");
  nargs(in, a, "set.clear", 0, 0);
  s->table.clear();
  return {};
}

Value set_copy(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = set_self(in, self, "copy");
  nargs(in, a, "copy", 0, 0);
  if (s->frozen && s->type == in.t.frozenset)
    return self;
  return set_from(in, self, s->frozen);
}

/// union / intersection / difference / symmetric_difference with any iterables.
template <BinOpKind Op>
Value set_multi(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = set_self(in, self, "union");
  no_kwargs(in, a, "set method");
  Value acc = set_from(in, self, s->frozen);
  if constexpr (Op == BinOpKind::BitXor)
    nargs(in, a, "symmetric_difference", 1, 1);
  for (const Value& other : a.args) {
    Value o = other.as<SetObject>() != nullptr ? other : set_from(in, other, false);
    acc = in.binop(Op, acc, o);
  }
  if (auto* r = acc.as<SetObject>(); r != nullptr && r->frozen != s->frozen)
    return set_from(in, acc, s->frozen);
  return acc;
}

template <BinOpKind Op>
Value set_update_m(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = mutable_set(in, self, "update");
  no_kwargs(in, a, "set method");
  for (const Value& other : a.args) {
    if constexpr (Op == BinOpKind::BitOr) {
      Value it = in.iter(other);
      Value x;
      while (in.next(it, x))
        detail::set_add(in, s, std::move(x));
    } else {
      Value o = other.as<SetObject>() != nullptr ? other : set_from(in, other, false);
      detail::inplace_binop(in, Op, self, o);
    }
  }
  return {};
}

Value set_issubset(Interp& in, const Value& self, CallArgs& a)
{
  set_self(in, self, "issubset");
  nargs(in, a, "issubset", 1, 1);
  Value o = a.args[0].as<SetObject>() != nullptr ? a.args[0] : set_from(in, a.args[0], false);
  return detail::rich_compare(in, CmpOpKind::LtE, self, o);
}

Value set_issuperset(Interp& in, const Value& self, CallArgs& a)
{
  set_self(in, self, "issuperset");
  nargs(in, a, "issuperset", 1, 1);
  Value o = a.args[0].as<SetObject>() != nullptr ? a.args[0] : set_from(in, a.args[0], false);
  return detail::rich_compare(in, CmpOpKind::GtE, self, o);
}

Value set_isdisjoint(Interp& in, const Value& self, CallArgs& a)
{
  SetObject* s = set_self(in, self, "isdisjoint");
  nargs(in, a, "isdisjoint", 1, 1);
  Value it = in.iter(a.args[0]);
  Value x;
  while (in.next(it, x))
    if (s->table.find(in, x, in.hash(x)) >= 0)
      return Value(false);
  return Value(true);
}

// ================================================================== numbers, range, slice

Value int_bit_length(Interp& in, const Value& self, CallArgs& a)
{
  if (!self.is_intlike())
    type_error(in, "descriptor 'bit_length' for 'int' objects doesn't apply to a '" +
                       in.type_name(self) + "' object");
  nargs(in, a, "int.bit_length", 0, 0);
  return Value::from_int(py::bit_length(self.as_int()));
}

Value int_bit_count(Interp& in, const Value& self, CallArgs& a)
{
  if (!self.is_intlike())
    type_error(in, "descriptor 'bit_count' for 'int' objects doesn't apply to a '" +
                       in.type_name(self) + "' object");
  nargs(in, a, "int.bit_count", 0, 0);
  return Value::from_int(py::bit_count(self.as_int()));
}

bool byteorder_big(Interp& in, const std::optional<Value>& v)
{
  if (!v)
    return true;
  const std::string& o = str_arg(in, *v, "to_bytes() argument 'byteorder'");
  if (o == "big")
    return true;
  if (o == "little")
    return false;
  value_error(in, "byteorder must be either 'little' or 'big'");
}

Value int_to_bytes(Interp& in, const Value& self, CallArgs& a)
{
  if (!self.is_intlike())
    type_error(in, "descriptor 'to_bytes' for 'int' objects doesn't apply to a '" +
                       in.type_name(self) + "' object");
  nargs(in, a, "to_bytes", 0, 2);
  std::optional<Value> len = arg_or_kw(a, 0, "length");
  std::optional<Value> order = arg_or_kw(a, 1, "byteorder");
  std::optional<Value> sign = take_kw(a, "signed");
  reject_kwargs(in, a, "to_bytes");
  const std::int64_t n = len ? to_index(in, *len) : 1;
  if (n < 0)
    value_error(in, "length argument must be non-negative");
  const bool big = byteorder_big(in, order);
  const bool is_signed = sign && in.truthy(*sign);
  const std::int64_t v = self.as_int();
  if (v < 0 && !is_signed)
    in.raise(in.e.OverflowError, "can't convert negative int to unsigned");
  // Fits? (n bytes, two's complement when signed)
  bool fits = true;
  if (n < 8) {
    const int bits = static_cast<int>(n) * 8;
    if (is_signed) {
      const std::int64_t lim = bits == 0 ? 0 : (std::int64_t{1} << (bits - 1));
      fits = v >= -lim && v < lim;
    } else {
      fits = bits == 0 ? v == 0 : static_cast<std::uint64_t>(v) < (std::uint64_t{1} << bits);
    }
  }
  if (!fits)
    in.raise(in.e.OverflowError, "int too big to convert");
  std::string out(static_cast<std::size_t>(n), v < 0 ? '\xff' : '\0');
  auto u = static_cast<std::uint64_t>(v);
  for (std::int64_t i = 0; i < n && i < 8; ++i) {
    out[static_cast<std::size_t>(n - 1 - i)] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  if (!big)
    std::reverse(out.begin(), out.end());
  return in.bytes(std::move(out));
}

Value int_from_bytes(Interp& in, const Value&, CallArgs& a)
{
  nargs(in, a, "from_bytes", 0, 2);
  std::optional<Value> src = arg_or_kw(a, 0, "bytes");
  std::optional<Value> order = arg_or_kw(a, 1, "byteorder");
  std::optional<Value> sign = take_kw(a, "signed");
  reject_kwargs(in, a, "from_bytes");
  if (!src)
    type_error(in, "from_bytes() missing required argument 'bytes' (pos 1)");
  std::string b;
  if (auto* bs = src->as<BytesObject>())
    b = bs->s;
  else
    for (const Value& x : in.to_vector(*src))
      b.push_back(static_cast<char>(to_index(in, x)));
  if (!byteorder_big(in, order))
    std::reverse(b.begin(), b.end());
  std::size_t first = 0;
  const bool is_signed = sign && in.truthy(*sign);
  const bool negative = is_signed && !b.empty() && (static_cast<unsigned char>(b[0]) & 0x80);
  while (b.size() - first > 8 && static_cast<unsigned char>(b[first]) == (negative ? 0xff : 0x00))
    ++first;
  if (b.size() - first > 8)
    in.raise(in.e.OverflowError, std::string(py::kIntTooLarge));
  std::uint64_t u = negative ? ~std::uint64_t{0} : 0;
  for (std::size_t i = first; i < b.size(); ++i)
    u = (u << 8) | static_cast<unsigned char>(b[i]);
  if (!is_signed && b.size() - first == 8 && (u >> 63) != 0)
    in.raise(in.e.OverflowError, std::string(py::kIntTooLarge));
  return Value::from_int(static_cast<std::int64_t>(u));
}

Value int_self_prop(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(self.as_int());
}
Value zero_prop(Interp&, const Value& self, CallArgs&)
{
  return self.is_float() ? Value::from_float(0.0) : Value::from_int(0);
}
Value one_prop(Interp&, const Value&, CallArgs&)
{
  return Value::from_int(1);
}
Value float_self_prop(Interp&, const Value& self, CallArgs&)
{
  return self;
}

Value number_conjugate(Interp&, const Value& self, CallArgs&)
{
  return self.is_bool() ? Value::from_int(self.as_int()) : self;
}

Value float_is_integer(Interp& in, const Value& self, CallArgs& a)
{
  if (!self.is_float())
    type_error(in, "descriptor 'is_integer' for 'float' objects doesn't apply to a '" +
                       in.type_name(self) + "' object");
  nargs(in, a, "float.is_integer", 0, 0);
  const double d = self.as_float();
  return Value(std::isfinite(d) && d == std::floor(d));
}

Value range_prop_start(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(self.as<RangeObject>()->start);
}
Value range_prop_stop(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(self.as<RangeObject>()->stop);
}
Value range_prop_step(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(self.as<RangeObject>()->step);
}

Value range_count(Interp& in, const Value& self, CallArgs& a)
{
  receiver<RangeObject>(in, self, "count", "range");
  nargs(in, a, "count", 1, 1);
  if (a.args[0].is_intlike())
    return Value::from_int(in.contains(self, a.args[0]) ? 1 : 0);
  return seq_count(in, in.to_vector(self), a.args[0]);
}

Value range_index(Interp& in, const Value& self, CallArgs& a)
{
  auto* r = receiver<RangeObject>(in, self, "index", "range");
  nargs(in, a, "index", 1, 1);
  if (!in.contains(self, a.args[0]))
    value_error(in, in.repr(a.args[0]) + " is not in range");
  if (a.args[0].is_intlike())
    return Value::from_int((a.args[0].as_int() - r->start) / r->step);
  const std::vector<Value> items = in.to_vector(self);
  for (std::size_t i = 0; i < items.size(); ++i)
    if (in.eq(items[i], a.args[0]))
      return Value::from_int(static_cast<std::int64_t>(i));
  value_error(in, in.repr(a.args[0]) + " is not in range");
}

Value slice_prop_start(Interp&, const Value& self, CallArgs&)
{
  return self.as<SliceObject>()->lower;
}
Value slice_prop_stop(Interp&, const Value& self, CallArgs&)
{
  return self.as<SliceObject>()->upper;
}
Value slice_prop_step(Interp&, const Value& self, CallArgs&)
{
  return self.as<SliceObject>()->step;
}

Value slice_indices_m(Interp& in, const Value& self, CallArgs& a)
{
  auto* s = receiver<SliceObject>(in, self, "indices", "slice");
  nargs(in, a, "slice.indices", 1, 1);
  const std::int64_t len = to_index(in, a.args[0]);
  if (len < 0)
    value_error(in, "length should not be negative");
  const auto bound = [&](const Value& v) -> std::optional<std::int64_t> {
    if (v.is_none())
      return std::nullopt;
    std::int64_t i = 0;
    if (!detail::index_of(in, v, i))
      type_error(in, "slice indices must be integers or None or have an __index__ method");
    return i;
  };
  const auto lo = bound(s->lower), hi = bound(s->upper), st = bound(s->step);
  const py::SliceIndices r = guarded(in, [&] { return py::normalize_slice(len, lo, hi, st); });
  return in.tuple({Value::from_int(r.start), Value::from_int(r.stop), Value::from_int(r.step)});
}

// ================================================================== object

Value object_repr(Interp& in, const Value& self, CallArgs&)
{
  return in.str(detail::default_repr(in, self));
}

Value object_str(Interp& in, const Value& self, CallArgs&)
{
  return in.str(in.repr(self));
}

Value object_eq(Interp& in, const Value& self, CallArgs& a)
{
  nargs(in, a, "object.__eq__", 1, 1);
  return self.identical(a.args[0]) ? Value(true) : detail::not_implemented(in);
}

Value object_ne(Interp& in, const Value& self, CallArgs& a)
{
  nargs(in, a, "object.__ne__", 1, 1);
  if (const Value* f = detail::user_dunder(self, "__eq__")) {
    Value r = detail::call_method(in, *f, self, {a.args[0]});
    if (detail::is_not_implemented(in, r))
      return r;
    return Value(!in.truthy(r));
  }
  return self.identical(a.args[0]) ? Value(false) : detail::not_implemented(in);
}

Value object_hash(Interp& in, const Value& self, CallArgs&)
{
  auto y = reinterpret_cast<std::uintptr_t>(self.is_obj() ? self.obj() : nullptr);
  y = (y >> 4) | (y << (8 * sizeof(void*) - 4));
  (void)in;
  return Value::from_int(static_cast<std::int64_t>(y));
}

Value object_setattr(Interp& in, const Value& self, CallArgs& a)
{
  nargs(in, a, "object.__setattr__", 2, 2);
  const std::string& name = attr_name(in, a.args[0]);
  if (self.is_obj() &&
      (self.obj()->kind == Kind::Instance || self.obj()->kind == Kind::Exception)) {
    // Bypasses a user __setattr__ (this is what super().__setattr__ reaches), keeps properties.
    if (const Value* cls_attr = in.type_of(self)->lookup(name);
        cls_attr == nullptr || cls_attr->as<PropertyObject>() == nullptr) {
      static_cast<InstanceObject*>(self.obj())->dict[name] = a.args[1];
      return {};
    }
  }
  in.setattr(self, name, a.args[1]);
  return {};
}

Value object_delattr(Interp& in, const Value& self, CallArgs& a)
{
  nargs(in, a, "object.__delattr__", 1, 1);
  const std::string& name = attr_name(in, a.args[0]);
  if (self.is_obj() &&
      (self.obj()->kind == Kind::Instance || self.obj()->kind == Kind::Exception)) {
    auto& d = static_cast<InstanceObject*>(self.obj())->dict;
    auto it = d.find(name);
    if (it != d.end()) {
      Value old = std::move(it->second);
      d.erase(it);
      return {};
    }
  }
  in.raise(in.e.AttributeError,
           "'" + in.type_name(self) + "' object has no attribute '" + name + "'");
}

Value object_format(Interp& in, const Value& self, CallArgs& a)
{
  nargs(in, a, "object.__format__", 1, 1);
  const std::string& spec = str_arg(in, a.args[0], "format_spec");
  if (!spec.empty())
    type_error(in, "unsupported format string passed to " + in.type_name(self) + ".__format__");
  return in.str(in.to_str(self));
}

Value object_getattribute(Interp& in, const Value& self, CallArgs& a)
{
  nargs(in, a, "object.__getattribute__", 1, 1);
  return in.getattr(self, attr_name(in, a.args[0]));
}

// ================================================================== registration

void def(Interp& in, const char* name, NativeFn fn)
{
  in.builtins()[name] = in.builtin(name, fn);
}

/// A classmethod-like builtin: called on the type or an instance, it ignores its receiver.
void classmethod(Interp& in, TypeObject* t, const char* name, NativeFn fn)
{
  t->dict[name] = in.builtin(t->name + "." + name, fn);
}

TypeObject* iter_type(Interp& in, const char* name, NativeFn construct)
{
  TypeObject* t = in.make_type(name, {in.t.object}, Kind::Iterator, true);
  t->construct = construct;
  return t;
}

void install_str(Interp& in)
{
  TypeObject* t = in.t.str;
  t->construct = str_new;
  in.add_method(t, "split", str_split);
  in.add_method(t, "rsplit", str_rsplit);
  in.add_method(t, "join", str_join);
  in.add_method(t, "strip", str_strip_m<0>);
  in.add_method(t, "lstrip", str_strip_m<1>);
  in.add_method(t, "rstrip", str_strip_m<2>);
  in.add_method(t, "upper", str_transform<py::str_upper>);
  in.add_method(t, "lower", str_transform<py::str_lower>);
  in.add_method(t, "title", str_transform<py::str_title>);
  in.add_method(t, "capitalize", str_transform<py::str_capitalize>);
  in.add_method(t, "swapcase", str_transform<py::str_swapcase>);
  in.add_method(t, "casefold", str_transform<py::str_casefold>);
  in.add_method(t, "startswith", affix_impl<false, false>);
  in.add_method(t, "endswith", affix_impl<false, true>);
  in.add_method(t, "replace", str_replace);
  in.add_method(t, "find", search_impl<false, 0>);
  in.add_method(t, "rfind", search_impl<false, 1>);
  in.add_method(t, "index", search_impl<false, 2>);
  in.add_method(t, "rindex", search_impl<false, 3>);
  in.add_method(t, "count", search_impl<false, 4>);
  in.add_method(t, "format", str_format);
  in.add_method(t, "format_map", str_format_map);
  in.add_method(t, "encode", str_encode);
  in.add_method(t, "center", justify_impl<false, 0>);
  in.add_method(t, "ljust", justify_impl<false, 1>);
  in.add_method(t, "rjust", justify_impl<false, 2>);
  in.add_method(t, "zfill", str_zfill);
  in.add_method(t, "partition", partition_impl<false, false>);
  in.add_method(t, "rpartition", partition_impl<false, true>);
  in.add_method(t, "splitlines", splitlines_impl<false>);
  in.add_method(t, "expandtabs", expandtabs_impl<false>);
  in.add_method(t, "removeprefix", remove_affix<false, false>);
  in.add_method(t, "removesuffix", remove_affix<false, true>);
  in.add_method(t, "isdigit", str_predicate<py::str_isdigit>);
  in.add_method(t, "isdecimal", str_predicate<py::str_isdecimal>);
  in.add_method(t, "isnumeric", str_predicate<py::str_isnumeric>);
  in.add_method(t, "isalpha", str_predicate<py::str_isalpha>);
  in.add_method(t, "isalnum", str_predicate<py::str_isalnum>);
  in.add_method(t, "isspace", str_predicate<py::str_isspace>);
  in.add_method(t, "isupper", str_predicate<py::str_isupper>);
  in.add_method(t, "islower", str_predicate<py::str_islower>);
  in.add_method(t, "istitle", str_predicate<py::str_istitle>);
  in.add_method(t, "isidentifier", str_predicate<py::str_isidentifier>);
  in.add_method(t, "isprintable", str_predicate<py::str_isprintable>);
  in.add_method(t, "isascii", str_predicate<py::str_isascii>);
}

void install_bytes(Interp& in)
{
  TypeObject* t = in.t.bytes;
  t->construct = bytes_new;
  in.add_method(t, "decode", bytes_decode);
  in.add_method(t, "split", bytes_split_m);
  in.add_method(t, "rsplit", bytes_rsplit_m);
  in.add_method(t, "strip", bytes_strip_m<0>);
  in.add_method(t, "lstrip", bytes_strip_m<1>);
  in.add_method(t, "rstrip", bytes_strip_m<2>);
  in.add_method(t, "startswith", affix_impl<true, false>);
  in.add_method(t, "endswith", affix_impl<true, true>);
  in.add_method(t, "find", search_impl<true, 0>);
  in.add_method(t, "rfind", search_impl<true, 1>);
  in.add_method(t, "index", search_impl<true, 2>);
  in.add_method(t, "rindex", search_impl<true, 3>);
  in.add_method(t, "count", search_impl<true, 4>);
  in.add_method(t, "replace", bytes_replace_m);
  in.add_method(t, "hex", bytes_hex_m);
  classmethod(in, t, "fromhex", bytes_fromhex);
  in.add_method(t, "join", bytes_join);
  in.add_method(t, "upper", bytes_transform<py::bytes_upper>);
  in.add_method(t, "lower", bytes_transform<py::bytes_lower>);
  in.add_method(t, "capitalize", bytes_transform<py::bytes_capitalize>);
  in.add_method(t, "title", bytes_transform<py::bytes_title>);
  in.add_method(t, "swapcase", bytes_transform<py::bytes_swapcase>);
  in.add_method(t, "partition", partition_impl<true, false>);
  in.add_method(t, "rpartition", partition_impl<true, true>);
  in.add_method(t, "splitlines", splitlines_impl<true>);
  in.add_method(t, "expandtabs", expandtabs_impl<true>);
  in.add_method(t, "removeprefix", remove_affix<true, false>);
  in.add_method(t, "removesuffix", remove_affix<true, true>);
  in.add_method(t, "center", justify_impl<true, 0>);
  in.add_method(t, "ljust", justify_impl<true, 1>);
  in.add_method(t, "rjust", justify_impl<true, 2>);
  in.add_method(t, "zfill", bytes_zfill_m);
  in.add_method(t, "isdigit", bytes_predicate<py::bytes_isdigit>);
  in.add_method(t, "isalpha", bytes_predicate<py::bytes_isalpha>);
  in.add_method(t, "isalnum", bytes_predicate<py::bytes_isalnum>);
  in.add_method(t, "isspace", bytes_predicate<py::bytes_isspace>);
  in.add_method(t, "isupper", bytes_predicate<py::bytes_isupper>);
  in.add_method(t, "islower", bytes_predicate<py::bytes_islower>);
  in.add_method(t, "istitle", bytes_predicate<py::bytes_istitle>);
}

void install_containers(Interp& in)
{
  TypeObject* l = in.t.list;
  l->construct = list_new;
  in.add_method(l, "append", list_append);
  in.add_method(l, "extend", list_extend);
  in.add_method(l, "insert", list_insert);
  in.add_method(l, "pop", list_pop);
  in.add_method(l, "remove", list_remove);
  in.add_method(l, "index", list_index);
  in.add_method(l, "count", list_count);
  in.add_method(l, "sort", list_sort);
  in.add_method(l, "reverse", list_reverse);
  in.add_method(l, "copy", list_copy);
  in.add_method(l, "clear", list_clear);

  TypeObject* t = in.t.tuple;
  t->construct = tuple_new;
  in.add_method(t, "count", tuple_count);
  in.add_method(t, "index", tuple_index);

  TypeObject* d = in.t.dict;
  d->construct = dict_new;
  in.add_method(d, "get", dict_get);
  in.add_method(d, "keys", dict_view<DictViewObject::Which::Keys>);
  in.add_method(d, "values", dict_view<DictViewObject::Which::Values>);
  in.add_method(d, "items", dict_view<DictViewObject::Which::Items>);
  in.add_method(d, "update", dict_update);
  in.add_method(d, "setdefault", dict_setdefault);
  in.add_method(d, "pop", dict_pop);
  in.add_method(d, "popitem", dict_popitem);
  in.add_method(d, "copy", dict_copy);
  in.add_method(d, "clear", dict_clear);
  classmethod(in, d, "fromkeys", dict_fromkeys);

  for (TypeObject* s : {in.t.set, in.t.frozenset}) {
    in.add_method(s, "copy", set_copy);
    in.add_method(s, "union", set_multi<BinOpKind::BitOr>);
    in.add_method(s, "intersection", set_multi<BinOpKind::BitAnd>);
    in.add_method(s, "difference", set_multi<BinOpKind::Sub>);
    in.add_method(s, "symmetric_difference", set_multi<BinOpKind::BitXor>);
    in.add_method(s, "issubset", set_issubset);
    in.add_method(s, "issuperset", set_issuperset);
    in.add_method(s, "isdisjoint", set_isdisjoint);
  }
  TypeObject* s = in.t.set;
  s->construct = set_new;
  in.t.frozenset->construct = frozenset_new;
  in.add_method(s, "add", set_add_m);
  in.add_method(s, "discard", set_discard);
  in.add_method(s, "remove", set_remove);
  in.add_method(s, "pop", set_pop);
  in.add_method(s, "clear", set_clear);
  in.add_method(s, "update", set_update_m<BinOpKind::BitOr>);
  in.add_method(s, "intersection_update", set_update_m<BinOpKind::BitAnd>);
  in.add_method(s, "difference_update", set_update_m<BinOpKind::Sub>);
  in.add_method(s, "symmetric_difference_update", set_update_m<BinOpKind::BitXor>);

  TypeObject* r = in.t.range;
  r->construct = range_new;
  in.add_method(r, "count", range_count);
  in.add_method(r, "index", range_index);
  in.add_property(r, "start", range_prop_start);
  in.add_property(r, "stop", range_prop_stop);
  in.add_property(r, "step", range_prop_step);

  TypeObject* sl = in.t.slice;
  sl->construct = slice_new;
  in.add_method(sl, "indices", slice_indices_m);
  in.add_property(sl, "start", slice_prop_start);
  in.add_property(sl, "stop", slice_prop_stop);
  in.add_property(sl, "step", slice_prop_step);
}

void install_numbers(Interp& in)
{
  TypeObject* i = in.t.int_;
  i->construct = int_new;
  in.t.bool_->construct = bool_new;
  in.add_method(i, "bit_length", int_bit_length);
  in.add_method(i, "bit_count", int_bit_count);
  in.add_method(i, "to_bytes", int_to_bytes);
  classmethod(in, i, "from_bytes", int_from_bytes);
  in.add_method(i, "conjugate", number_conjugate);
  in.add_property(i, "real", int_self_prop);
  in.add_property(i, "imag", zero_prop);
  in.add_property(i, "numerator", int_self_prop);
  in.add_property(i, "denominator", one_prop);

  TypeObject* f = in.t.float_;
  f->construct = float_new;
  in.add_method(f, "is_integer", float_is_integer);
  in.add_method(f, "conjugate", number_conjugate);
  in.add_property(f, "real", float_self_prop);
  in.add_property(f, "imag", zero_prop);
}

void install_object(Interp& in)
{
  TypeObject* o = in.t.object;
  in.add_method(o, "__repr__", object_repr);
  in.add_method(o, "__str__", object_str);
  in.add_method(o, "__eq__", object_eq);
  in.add_method(o, "__ne__", object_ne);
  in.add_method(o, "__hash__", object_hash);
  in.add_method(o, "__setattr__", object_setattr);
  in.add_method(o, "__delattr__", object_delattr);
  in.add_method(o, "__format__", object_format);
  in.add_method(o, "__getattribute__", object_getattribute);
  in.t.type->construct = type_new;
}

}  // namespace

namespace detail {

std::string format_value(Interp& in, const Value& v, std::string_view spec)
{
  if (const Value* f = user_dunder(v, "__format__")) {
    Value r = call_method(in, *f, v, {in.str(std::string(spec))});
    auto* s = r.as<StrObject>();
    if (s == nullptr)
      type_error(in, "__format__ must return a str, not " + in.type_name(r));
    return s->s;
  }
  switch (v.tag()) {
    case Value::Tag::Bool:
      return guarded(in, [&] { return py::format_bool(v.as_bool(), spec); });
    case Value::Tag::Int:
      return guarded(in, [&] { return py::format_int(v.as_int(), spec); });
    case Value::Tag::Float:
      return guarded(in, [&] { return py::format_float(v.as_float(), spec); });
    default:
      break;
  }
  if (auto* s = v.as<StrObject>())
    return guarded(in, [&] { return py::format_str(s->s, spec); });
  if (!spec.empty())
    type_error(in, "unsupported format string passed to " + in.type_name(v) + ".__format__");
  return in.to_str(v);
}

}  // namespace detail

void install_builtins(Interp& in)
{
  detail::init_extras(in);
  install_object(in);
  install_numbers(in);
  install_str(in);
  install_bytes(in);
  install_containers(in);

  def(in, "print", bi_print);
  def(in, "len", bi_len);
  def(in, "repr", bi_repr);
  def(in, "ascii", bi_ascii);
  def(in, "format", bi_format);
  def(in, "id", bi_id);
  def(in, "hash", bi_hash);
  def(in, "any", bi_any);
  def(in, "all", bi_all);
  def(in, "getattr", bi_getattr);
  def(in, "setattr", bi_setattr);
  def(in, "hasattr", bi_hasattr);
  def(in, "delattr", bi_delattr);
  def(in, "callable", bi_callable);
  def(in, "iter", bi_iter);
  def(in, "next", bi_next);
  def(in, "sum", bi_sum);
  def(in, "min", bi_min);
  def(in, "max", bi_max);
  def(in, "abs", bi_abs);
  def(in, "round", bi_round);
  def(in, "divmod", bi_divmod);
  def(in, "pow", bi_pow);
  def(in, "sorted", bi_sorted);
  def(in, "isinstance", bi_isinstance);
  def(in, "issubclass", bi_issubclass);
  def(in, "chr", bi_chr);
  def(in, "ord", bi_ord);
  def(in, "hex", bi_hex);
  def(in, "oct", bi_oct);
  def(in, "bin", bi_bin);
  def(in, "input", bi_input);
  def(in, "vars", bi_vars);
  def(in, "dir", bi_dir);

  iter_type(in, "enumerate", enumerate_new);
  iter_type(in, "zip", zip_new);
  iter_type(in, "map", map_new);
  iter_type(in, "filter", filter_new);
  iter_type(in, "reversed", reversed_new);
}

}  // namespace loopscope::script
