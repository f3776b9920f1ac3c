// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/script/value.h"

#include <algorithm>

namespace loopscope::script {

thread_local bool t_heap_teardown = false;

Heap*& current_heap() noexcept
{
  thread_local Heap* heap = nullptr;
  return heap;
}

Object::Object(Kind k, TypeObject* t) : kind(k), type(t)
{
  if (Heap* h = current_heap())
    h->add(this);
}

Object::~Object()
{
  if (heap != nullptr)
    heap->remove(this);
}

void Heap::add(Object* o) noexcept
{
  o->heap = this;
  o->gc_prev = nullptr;
  o->gc_next = head;
  if (head != nullptr)
    head->gc_prev = o;
  head = o;
  ++live;
}

void Heap::remove(Object* o) noexcept
{
  if (o->gc_prev != nullptr)
    o->gc_prev->gc_next = o->gc_next;
  else
    head = o->gc_next;
  if (o->gc_next != nullptr)
    o->gc_next->gc_prev = o->gc_prev;
  o->heap = nullptr;
  --live;
}

Heap::~Heap()
{
  // Cycles: pin every remaining object, drop all references between them, then free them all.
  tearing_down = true;
  std::vector<Object*> all;
  all.reserve(live);
  for (Object* o = head; o != nullptr; o = o->gc_next)
    all.push_back(o);
  for (Object* o : all)
    ++o->refcnt;
  for (Object* o : all)
    o->clear_refs();
  // From here no reference count is touched: objects may point at ones already freed.
  const bool was = t_heap_teardown;
  t_heap_teardown = true;
  for (Object* o : all) {
    remove(o);
    delete o;
  }
  t_heap_teardown = was;
}

void release_object(Object* o) noexcept
{
  if (o->heap != nullptr && o->heap->tearing_down)
    return;  // the heap frees it
  delete o;
}

StrObject::StrObject(std::string v) : Object(Kind::Str, nullptr), s(std::move(v)) {}
BytesObject::BytesObject(std::string v) : Object(Kind::Bytes, nullptr), s(std::move(v)) {}
ListObject::ListObject() : Object(Kind::List, nullptr) {}
ListObject::ListObject(std::vector<Value> v) : Object(Kind::List, nullptr), items(std::move(v)) {}
TupleObject::TupleObject(std::vector<Value> v) : Object(Kind::Tuple, nullptr), items(std::move(v))
{}
DictObject::DictObject() : Object(Kind::Dict, nullptr) {}
SetObject::SetObject(bool f) : Object(Kind::Set, nullptr), frozen(f) {}
RangeObject::RangeObject(std::int64_t a, std::int64_t b, std::int64_t c)
    : Object(Kind::Range, nullptr)
    , start(a)
    , stop(b)
    , step(c)
{}
std::int64_t RangeObject::length() const noexcept
{
  if (step > 0 && start < stop)
    return (stop - start - 1) / step + 1;
  if (step < 0 && start > stop)
    return (start - stop - 1) / (-step) + 1;
  return 0;
}
SliceObject::SliceObject(Value lo, Value hi, Value st)
    : Object(Kind::Slice, nullptr)
    , lower(std::move(lo))
    , upper(std::move(hi))
    , step(std::move(st))
{}
CellObject::CellObject() : Object(Kind::Cell, nullptr) {}
BuiltinObject::BuiltinObject(std::string n, NativeFn f, Value s, Value d)
    : Object(Kind::Builtin, nullptr)
    , name(std::move(n))
    , fn(f)
    , self(std::move(s))
    , data(std::move(d))
{}
PropertyObject::PropertyObject(NativeFn g, NativeFn s)
    : Object(Kind::Property, nullptr)
    , getter(g)
    , setter(s)
{}
PropertyObject::PropertyObject(Value g) : Object(Kind::Property, nullptr), py_getter(std::move(g))
{}
TypeObject::TypeObject(std::string n, std::vector<TypeObject*> b)
    : Object(Kind::Type, nullptr)
    , name(std::move(n))
    , bases(std::move(b))
{
  compute_mro();
}
ModuleObject::ModuleObject(std::string n) : Object(Kind::Module, nullptr), name(std::move(n)) {}
InstanceObject::InstanceObject(TypeObject* cls, Kind k) : Object(k, cls) {}
ExceptionObject::ExceptionObject(TypeObject* cls) : InstanceObject(cls, Kind::Exception) {}

bool TypeObject::is_subtype_of(const TypeObject* t) const noexcept
{
  return std::find(mro.begin(), mro.end(), t) != mro.end();
}

const Value* TypeObject::lookup(std::string_view n) const
{
  const std::string key(n);
  for (const TypeObject* t : mro) {
    auto it = t->dict.find(key);
    if (it != t->dict.end())
      return &it->second;
  }
  return nullptr;
}

void TypeObject::compute_mro()
{
  // C3 linearisation; falls back to depth-first order if the bases are inconsistent (the
  // interpreter checks consistency when a class statement runs).
  mro.clear();
  mro.push_back(this);
  std::vector<std::vector<TypeObject*>> seqs;
  for (TypeObject* b : bases)
    seqs.push_back(b->mro);
  seqs.push_back(bases);
  for (;;) {
    seqs.erase(std::remove_if(seqs.begin(), seqs.end(), [](const auto& s) { return s.empty(); }),
               seqs.end());
    if (seqs.empty())
      return;
    TypeObject* pick = nullptr;
    for (const auto& s : seqs) {
      TypeObject* cand = s.front();
      bool in_tail = false;
      for (const auto& o : seqs)
        if (std::find(o.begin() + 1, o.end(), cand) != o.end())
          in_tail = true;
      if (!in_tail) {
        pick = cand;
        break;
      }
    }
    if (pick == nullptr) {
      for (const auto& s : seqs)
        for (TypeObject* t : s)
          if (std::find(mro.begin(), mro.end(), t) == mro.end())
            mro.push_back(t);
      return;
    }
    mro.push_back(pick);
    for (auto& s : seqs)
      if (!s.empty() && s.front() == pick)
        s.erase(s.begin());
  }
}

}  // namespace loopscope::script
