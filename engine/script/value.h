// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The interpreter's object model. A Value is a small tagged union: None, bool, int (64-bit) and
// float live inline; everything else is a reference-counted Object. Objects are registered with
// the Heap of their interpreter, which frees reference cycles when the interpreter ends (scripts
// are short-lived, so cycles are not collected while one runs).
//
// Threads: Python code runs under the interpreter's lock (Gil), so reference counts need no
// atomics; a Value may only be copied or dropped by a thread that holds the Gil.

#include <cstdint>
#include <exception>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace loopscope::script {

struct Object;
struct TypeObject;
class Interp;

class Value
{
public:
  enum class Tag : std::uint8_t { None, Bool, Int, Float, Obj };

  Value() noexcept : tag_(Tag::None) { u_.i = 0; }
  Value(bool b) noexcept : tag_(Tag::Bool) { u_.i = b ? 1 : 0; }  // NOLINT implicit
  static Value from_int(std::int64_t i) noexcept
  {
    Value v;
    v.tag_ = Tag::Int;
    v.u_.i = i;
    return v;
  }
  static Value from_float(double f) noexcept
  {
    Value v;
    v.tag_ = Tag::Float;
    v.u_.f = f;
    return v;
  }
  /// Takes a new reference to `o` (null gives None).
  explicit Value(Object* o) noexcept;
  Value(const Value& o) noexcept : tag_(o.tag_), u_(o.u_) { incref(); }
  Value(Value&& o) noexcept : tag_(o.tag_), u_(o.u_) { o.tag_ = Tag::None; }
  Value& operator=(const Value& o) noexcept
  {
    Value tmp(o);
    swap(tmp);
    return *this;
  }
  Value& operator=(Value&& o) noexcept
  {
    Value tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  ~Value() { decref(); }
  void swap(Value& o) noexcept
  {
    std::swap(tag_, o.tag_);
    std::swap(u_, o.u_);
  }

  Tag tag() const noexcept { return tag_; }
  bool is_none() const noexcept { return tag_ == Tag::None; }
  bool is_bool() const noexcept { return tag_ == Tag::Bool; }
  bool is_int() const noexcept { return tag_ == Tag::Int; }
  /// int or bool (bool is a subclass of int in Python).
  bool is_intlike() const noexcept { return tag_ == Tag::Int || tag_ == Tag::Bool; }
  bool is_float() const noexcept { return tag_ == Tag::Float; }
  bool is_obj() const noexcept { return tag_ == Tag::Obj; }
  bool as_bool() const noexcept { return u_.i != 0; }
  std::int64_t as_int() const noexcept { return u_.i; }  ///< Int or Bool
  double as_float() const noexcept { return u_.f; }
  Object* obj() const noexcept { return u_.o; }
  /// The object if it is one of type O (checked by O::kKind), else null.
  template <class O>
  O* as() const noexcept;

  /// Same object / same inline value (Python's `is`).
  bool identical(const Value& o) const noexcept
  {
    if (tag_ != o.tag_)
      return false;
    return tag_ == Tag::Float ? u_.f == o.u_.f || (u_.f != u_.f && o.u_.f != o.u_.f)
                              : u_.i == o.u_.i;
  }

private:
  void incref() const noexcept;
  void decref() noexcept;

  Tag tag_;
  union
  {
    std::int64_t i;
    double f;
    Object* o;
  } u_;
};

enum class Kind : std::uint8_t {
  Str,
  Bytes,
  List,
  Tuple,
  Dict,
  Set,
  Range,
  Slice,
  Function,
  BoundMethod,
  Builtin,
  Type,
  Instance,
  Exception,
  Module,
  Cell,
  Coroutine,
  Iterator,
  Property,
  Native,  ///< a native object of an asyncio/sys/... type (NativeObject)
};

struct Heap;

struct Object
{
  explicit Object(Kind k, TypeObject* t);
  virtual ~Object();
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  /// Drops every reference this object holds (used to break cycles when the Heap is destroyed).
  virtual void clear_refs() {}

  std::uint32_t refcnt = 0;
  Kind kind;
  TypeObject* type;  ///< not owned: types live as long as the interpreter
  Object* gc_prev = nullptr;
  Object* gc_next = nullptr;
  Heap* heap = nullptr;
};

/// Every object of one interpreter. When the interpreter ends, the Heap clears the references of
/// all remaining objects and frees them, so cycles do not leak.
struct Heap
{
  Heap() = default;
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;
  ~Heap();
  void add(Object* o) noexcept;
  void remove(Object* o) noexcept;
  std::size_t live = 0;
  Object* head = nullptr;
  bool tearing_down = false;
};
/// The heap new objects join (set per interpreter, per thread that runs Python code).
Heap*& current_heap() noexcept;
/// Set while a Heap frees everything at the end: dropping a reference is then a no-op (the
/// object it points to may already be gone).
extern thread_local bool t_heap_teardown;

inline Value::Value(Object* o) noexcept : tag_(o ? Tag::Obj : Tag::None)
{
  u_.o = o;
  incref();
}
inline void Value::incref() const noexcept
{
  if (tag_ == Tag::Obj && !t_heap_teardown)
    ++u_.o->refcnt;
}
void release_object(Object* o) noexcept;
inline void Value::decref() noexcept
{
  if (tag_ == Tag::Obj && !t_heap_teardown && --u_.o->refcnt == 0)
    release_object(u_.o);
}

template <class O>
O* Value::as() const noexcept
{
  return tag_ == Tag::Obj && u_.o->kind == O::kKind ? static_cast<O*>(u_.o) : nullptr;
}

/// A new object of type O; the returned Value owns it.
template <class O, class... A>
Value make(A&&... a)
{
  return Value(static_cast<Object*>(new O(std::forward<A>(a)...)));
}

// ------------------------------------------------------------------ containers

struct StrObject : Object
{
  static constexpr Kind kKind = Kind::Str;
  explicit StrObject(std::string v);
  std::string s;
  std::int64_t cp_len = -1;  ///< code points, computed on demand
  std::uint64_t hash = 0;
  bool hashed = false;
  bool ascii = false;
};

struct BytesObject : Object
{
  static constexpr Kind kKind = Kind::Bytes;
  explicit BytesObject(std::string v);
  std::string s;
};

struct ListObject : Object
{
  static constexpr Kind kKind = Kind::List;
  ListObject();
  explicit ListObject(std::vector<Value> v);
  void clear_refs() override { items.clear(); }
  std::vector<Value> items;
};

struct TupleObject : Object
{
  static constexpr Kind kKind = Kind::Tuple;
  explicit TupleObject(std::vector<Value> v);
  void clear_refs() override { items.clear(); }
  std::vector<Value> items;
};

/// An insertion-ordered hash table (dict; set uses it with values ignored).
class HashTable
{
public:
  struct Entry
  {
    Value key;
    Value value;
    std::uint64_t hash = 0;
    bool live = false;
  };
  std::size_t size() const noexcept { return live_; }
  /// Index of `key`'s entry, or -1. Hashing and equality may run Python code (Interp).
  std::int64_t find(Interp& in, const Value& key, std::uint64_t hash) const;
  /// Inserts or replaces; returns true if it inserted.
  bool set(Interp& in, Value key, std::uint64_t hash, Value value);
  bool erase(Interp& in, const Value& key, std::uint64_t hash);
  void erase_at(std::size_t index);
  void clear();
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  std::vector<Entry>& entries() noexcept { return entries_; }
  /// Bumped on every insertion or removal (iterators check it: "changed size during iteration").
  std::uint64_t version() const noexcept { return version_; }

private:
  void rebuild();
  std::vector<Entry> entries_;
  std::vector<std::int32_t> index_;  ///< open addressing over entries_ (-1 empty)
  std::size_t live_ = 0;
  std::uint64_t version_ = 0;
};

struct DictObject : Object
{
  static constexpr Kind kKind = Kind::Dict;
  DictObject();
  void clear_refs() override { table.clear(); }
  HashTable table;
};

struct SetObject : Object
{
  static constexpr Kind kKind = Kind::Set;
  explicit SetObject(bool frozen = false);
  void clear_refs() override { table.clear(); }
  HashTable table;
  bool frozen;
};

struct RangeObject : Object
{
  static constexpr Kind kKind = Kind::Range;
  RangeObject(std::int64_t start, std::int64_t stop, std::int64_t step);
  std::int64_t start, stop, step;
  std::int64_t length() const noexcept;
};

struct SliceObject : Object
{
  static constexpr Kind kKind = Kind::Slice;
  SliceObject(Value lo, Value hi, Value st);
  Value lower, upper, step;
};

struct CellObject : Object
{
  static constexpr Kind kKind = Kind::Cell;
  CellObject();
  void clear_refs() override { value = Value(); }
  Value value;
  bool bound = false;
};

// ------------------------------------------------------------------ callables and types

/// Arguments of a call: positional values, then keyword (name, value) pairs.
struct CallArgs
{
  std::vector<Value> args;
  std::vector<std::pair<std::string, Value>> kwargs;
};

/// A builtin: `self` is None for plain functions, the receiver for methods.
using NativeFn = Value (*)(Interp& in, const Value& self, CallArgs& args);

struct BuiltinObject : Object
{
  static constexpr Kind kKind = Kind::Builtin;
  BuiltinObject(std::string name, NativeFn fn, Value self = {}, Value data = {});
  void clear_refs() override
  {
    self = Value();
    data = Value();
  }
  std::string name;
  NativeFn fn;
  Value self;  ///< bound receiver (None: unbound or a plain function)
  Value data;  ///< extra state for closures made by native code
  /// A method in a type's dict: called unbound, its first argument is the receiver.
  bool is_method = false;
  /// For native closures that need more than `data`.
  std::function<Value(Interp&, CallArgs&)> closure;
};

struct PropertyObject : Object
{
  static constexpr Kind kKind = Kind::Property;
  PropertyObject(NativeFn getter, NativeFn setter = nullptr);
  /// A Python `@property` (getter is a Python function).
  explicit PropertyObject(Value py_getter);
  void clear_refs() override
  {
    py_getter = Value();
    py_setter = Value();
  }
  NativeFn getter = nullptr;
  NativeFn setter = nullptr;
  Value py_getter;
  Value py_setter;
};

struct TypeObject : Object
{
  static constexpr Kind kKind = Kind::Type;
  TypeObject(std::string name, std::vector<TypeObject*> bases);
  void clear_refs() override
  {
    dict.clear();
    owned_bases.clear();
  }

  std::string name;
  std::string module = "builtins";
  std::vector<TypeObject*> bases;
  std::vector<Value> owned_bases;  ///< keeps user-class bases alive
  std::vector<TypeObject*> mro;    ///< this type first
  std::unordered_map<std::string, Value> dict;
  /// Builtin types: the kind of their instances (user classes: Instance or Exception).
  Kind instance_kind = Kind::Instance;
  bool is_builtin = true;
  bool is_exception = false;  ///< BaseException or a subclass
  /// Constructor for builtin types (`int(x)`, `ValueError("m")`); user classes use __init__.
  NativeFn construct = nullptr;

  bool is_subtype_of(const TypeObject* t) const noexcept;
  /// Attribute lookup along the MRO; null if absent.
  const Value* lookup(std::string_view name) const;
  void compute_mro();
};

struct ModuleObject : Object
{
  static constexpr Kind kKind = Kind::Module;
  explicit ModuleObject(std::string name);
  void clear_refs() override { dict.clear(); }
  std::string name;
  std::unordered_map<std::string, Value> dict;
  /// The file its code came from, for tracebacks (null: the main script's).
  const std::string* filename = nullptr;
};

struct InstanceObject : Object
{
  static constexpr Kind kKind = Kind::Instance;
  explicit InstanceObject(TypeObject* cls, Kind k = Kind::Instance);
  void clear_refs() override
  {
    dict.clear();
    cls_ref = Value();
  }
  std::unordered_map<std::string, Value> dict;
  Value cls_ref;  ///< keeps a user class alive while instances exist
};

/// An instance of BaseException or a subclass (builtin or user-defined).
struct ExceptionObject : InstanceObject
{
  static constexpr Kind kKind = Kind::Exception;
  explicit ExceptionObject(TypeObject* cls);
  void clear_refs() override
  {
    InstanceObject::clear_refs();
    args = Value();
    cause = Value();
    context = Value();
    group_exceptions.clear();
    native = nullptr;
  }
  Value args;  ///< a tuple
  Value cause;
  Value context;
  bool suppress_context = false;
  /// Where it travelled: (file, line, function), innermost last.
  struct TraceEntry
  {
    std::string file;
    std::uint32_t line;
    std::string function;
    const void* frame = nullptr;  ///< the Frame it was added for (not shown)
  };
  std::vector<TraceEntry> traceback;
  /// ExceptionGroup: the message and the sub-exceptions.
  std::string group_message;
  std::vector<Value> group_exceptions;
  /// The engine exception this object stands for (a delivered CancelledError keeps the task's
  /// cancellation token alive through it; see engine/errors.h).
  std::exception_ptr native;
};

}  // namespace loopscope::script
