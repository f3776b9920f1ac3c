// SPDX-License-Identifier: GPL-3.0-or-later
// Interp: types, calls, attributes, exceptions, sites and the interpreter lock.

#include "engine/script/interp.h"

#include "engine/errors.h"
#include "engine/exceptiongroup.h"
#include "engine/loop.h"
#include "engine/queue.h"
#include "engine/script/frame.h"
#include "engine/streams.h"

#include <bit>
#include <cstring>

namespace loopscope::script {

// ------------------------------------------------------------------ PyException

PyException::PyException(Value e) : exc(std::move(e)) {}

const char* PyException::what() const noexcept
{
  return text.empty() ? "Python exception" : text.c_str();
}

// ------------------------------------------------------------------ objects defined here

FunctionObject::FunctionObject(TypeObject* t, std::string n, const Arguments* a, const Body* b,
                               const Expr* lb, ScopeInfo* s, bool async)
    : Object(Kind::Function, t)
    , name(std::move(n))
    , args(a)
    , body(b)
    , lambda_body(lb)
    , scope(s)
    , is_async(async)
    , module(nullptr)
{}

BoundMethodObject::BoundMethodObject(TypeObject* t, Value s, Value f)
    : Object(Kind::BoundMethod, t)
    , self(std::move(s))
    , fn(std::move(f))
{}

CoroutineObject::CoroutineObject(TypeObject* t, Value f, std::unique_ptr<Frame> fr)
    : Object(Kind::Coroutine, t)
    , fn(std::move(f))
    , frame(std::move(fr))
{}
CoroutineObject::~CoroutineObject() = default;
void CoroutineObject::clear_refs()
{
  fn = Value();
  frame.reset();
}

// ------------------------------------------------------------------ Gil

void Gil::acquire()
{
  if (owner_.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
    ++depth_;
    return;
  }
  waiting_.fetch_add(1, std::memory_order_relaxed);
  m_.lock();
  waiting_.fetch_sub(1, std::memory_order_relaxed);
  owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  depth_ = 1;
}

void Gil::release()
{
  if (--depth_ == 0) {
    owner_.store(std::thread::id(), std::memory_order_relaxed);
    m_.unlock();
  }
}

bool Gil::held_by_me() const noexcept
{
  return owner_.load(std::memory_order_relaxed) == std::this_thread::get_id();
}

void Gil::yield_if_wanted()
{
  if (waiting_.load(std::memory_order_relaxed) == 0 || !held_by_me())
    return;
  Unlocked u(*this);
  std::this_thread::yield();
}

Gil::Unlocked::Unlocked(Gil& g) : g_(g), depth_(g.held_by_me() ? g.depth_ : 0)
{
  if (depth_ > 0) {
    g_.depth_ = 1;
    g_.release();
  }
}

Gil::Unlocked::~Unlocked()
{
  if (depth_ > 0) {
    g_.acquire();
    g_.depth_ = depth_;
  }
}

// ------------------------------------------------------------------ sites

// A script await site as a std::source_location. libstdc++'s source_location is one pointer to
// {file, function, line, column}; the engine keys its site table on those values, so a record
// with the same layout lets script lines flow through the engine's await-site machinery.
struct Interp::SiteRecord
{
  const char* file;
  const char* function;
  unsigned line;
  unsigned column;
};
static_assert(sizeof(std::source_location) == sizeof(void*));
static_assert(std::is_trivially_copyable_v<std::source_location>);

std::source_location Interp::site(std::uint32_t line, std::uint32_t col, std::string_view function)
{
  const std::uint64_t key = (std::uint64_t{line} << 32) ^ (std::uint64_t{col} << 20) ^
                            std::hash<std::string_view>()(function);
  auto it = site_index_.find(key);
  const SiteRecord* rec = nullptr;
  if (it != site_index_.end() && std::strcmp(it->second->function, interned_.back().c_str()) >= 0 &&
      it->second->line == line && it->second->column == col &&
      std::string_view(it->second->function) == function) {
    rec = it->second;
  } else {
    interned_.emplace_back(function);
    sites_.push_back(SiteRecord{main_file_.c_str(), interned_.back().c_str(), line, col});
    rec = &sites_.back();
    site_index_[key] = rec;
  }
  const void* p = rec;
  return std::bit_cast<std::source_location>(p);
}

std::source_location Interp::current_site()
{
  Frame* cur = script_current_frame();
  if (cur == nullptr)
    return {};
  const Frame& f = *cur;
  return site(f.line, f.col, f.scope ? std::string_view(f.scope->name) : "<module>");
}

void Interp::checkpoint_slow()
{
  if (config.abort != nullptr && config.abort->load(std::memory_order_relaxed))
    raise(e.KeyboardInterrupt, "the run was stopped by loopscope");
  if (steps_ > step_limit_)
    raise(e.KeyboardInterrupt, "stopped by loopscope's sandbox: the script took more than " +
                                   std::to_string(step_limit_) + " steps");
  if (config.interrupts != nullptr && std::this_thread::get_id() == main_thread_) {
    // CPython's default SIGINT handler: a plain KeyboardInterrupt, once per signal (signals that
    // came together are one), in the main thread only.
    const std::uint32_t n = config.interrupts->load(std::memory_order_relaxed);
    if (n != seen_interrupts_) {
      seen_interrupts_ = n;
      raise_value(new_exception(e.KeyboardInterrupt, {}));
    }
  }
  // Only the loop's own thread runs its handlers; a worker leaves the news for it.
  if (loop_ != nullptr && std::this_thread::get_id() != loop_thread)
    return;
  seen_signals_ = engine::signal_arrivals();
  if (loop_ == nullptr)
    return;  // outside asyncio.run no loop handles signals
  // A handler that throws (the Runner's KeyboardInterrupt on a second SIGINT) throws here, in
  // the middle of the Python code, as CPython's does.
  try {
    loop_->run_signal_handlers_now();
  } catch (const PyException&) {
    throw;
  } catch (...) {
    raise_value(exception_from(std::current_exception()));  // chained as CPython's would be
  }
}

void Interp::sandbox_check(std::string_view what)
{
  if (config.sandbox.enabled)
    raise(builtins_["PermissionError"].as<TypeObject>(),
          std::string(what) + " is not allowed in loopscope's sandbox");
}

void Interp::check_length(std::uint64_t length)
{
  if (config.sandbox.max_length != 0 && length > config.sandbox.max_length)
    raise(builtins_["MemoryError"].as<TypeObject>(),
          "stopped by loopscope's sandbox: a sequence of " + std::to_string(length) +
              " bytes or items (the limit is " + std::to_string(config.sandbox.max_length) + ")");
}

// ------------------------------------------------------------------ construction

Interp::Interp(ScriptIo io) : io_(std::move(io))
{
  seen_signals_ = engine::signal_arrivals();  // signals from before this interpreter are not ours
  if (!io_.out) {
    io_.out = [](std::string_view s) {
      std::fwrite(s.data(), 1, s.size(), stdout);
    };
    if (!io_.flush)
      io_.flush = [] {
        std::fflush(stdout);
      };
  }
  if (!io_.err)
    io_.err = [](std::string_view s) {
      std::fwrite(s.data(), 1, s.size(), stderr);
    };
  current_heap() = &heap_;
  gil_.acquire();
  init_types();
  install_builtins(*this);
  install_super(*this);
  install_modules(*this);
}

Interp::~Interp()
{
  // Every Value member must go before heap_ (declared later, so destroyed first) frees the rest.
  unbound = Value();
  task_objects.clear();
  config = RunConfig{};
  builtins_.clear();
  modules_.clear();
  type_roots_.clear();
  if (gil_.held_by_me())
    gil_.release();
  if (current_heap() == &heap_)
    current_heap() = nullptr;
}

TypeObject* Interp::make_type(std::string name, std::vector<TypeObject*> bases, Kind instance_kind,
                              bool publish)
{
  auto* t = new TypeObject(name, std::move(bases));
  Value v(static_cast<Object*>(t));
  t->type = this->t.type;
  t->instance_kind = instance_kind;
  for (TypeObject* b : t->bases)
    if (b->is_exception)
      t->is_exception = true;
  type_roots_.push_back(v);
  if (publish)
    builtins_[name] = v;
  return t;
}

void Interp::add_method(TypeObject* type, const std::string& name, NativeFn fn)
{
  Value b = builtin(type->name + "." + name, fn);
  b.as<BuiltinObject>()->is_method = true;
  type->dict[name] = std::move(b);
}

void Interp::add_property(TypeObject* type, const std::string& name, NativeFn getter,
                          NativeFn setter)
{
  Value p = make<PropertyObject>(getter, setter);
  p.obj()->type = t.property;
  type->dict[name] = std::move(p);
}

namespace {

Value exc_init(Interp& in, const Value& self, CallArgs& a)
{
  auto* e = self.as<ExceptionObject>();
  if (e == nullptr)
    in.raise(in.e.TypeError, "descriptor '__init__' requires a 'BaseException' object");
  e->args = in.tuple(a.args);
  return {};
}

Value exc_args(Interp&, const Value& self, CallArgs&)
{
  return self.as<ExceptionObject>()->args;
}
Value exc_set_args(Interp& in, const Value& self, CallArgs& a)
{
  self.as<ExceptionObject>()->args = in.tuple(in.to_vector(a.args.at(0)));
  return {};
}
Value exc_cause(Interp&, const Value& self, CallArgs&)
{
  return self.as<ExceptionObject>()->cause;
}
Value exc_set_cause(Interp&, const Value& self, CallArgs& a)
{
  auto* e = self.as<ExceptionObject>();
  e->cause = a.args.at(0);
  e->suppress_context = true;
  return {};
}
Value exc_context(Interp&, const Value& self, CallArgs&)
{
  return self.as<ExceptionObject>()->context;
}
Value exc_set_context(Interp&, const Value& self, CallArgs& a)
{
  self.as<ExceptionObject>()->context = a.args.at(0);
  return {};
}
Value exc_suppress(Interp&, const Value& self, CallArgs&)
{
  return Value(self.as<ExceptionObject>()->suppress_context);
}
Value exc_with_traceback(Interp&, const Value& self, CallArgs&)
{
  return self;
}
Value exc_add_note(Interp& in, const Value& self, CallArgs& a)
{
  auto* e = self.as<ExceptionObject>();
  auto it = e->dict.find("__notes__");
  if (it == e->dict.end())
    it = e->dict.emplace("__notes__", in.list()).first;
  if (auto* l = it->second.as<ListObject>())
    l->items.push_back(a.args.at(0));
  return {};
}

// ExceptionGroup(message, exceptions)
Value group_init(Interp& in, const Value& self, CallArgs& a)
{
  auto* e = self.as<ExceptionObject>();
  if (a.args.size() != 2)
    in.raise(in.e.TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (" +
                                 std::to_string(a.args.size()) + " given)");
  auto* msg = a.args[0].as<StrObject>();
  if (msg == nullptr)
    in.raise(in.e.TypeError, "argument 1 must be str, not " + in.type_name(a.args[0]));
  std::vector<Value> excs = in.to_vector(a.args[1]);
  if (excs.empty())
    in.raise(in.e.ValueError, "second argument (exceptions) must be a non-empty sequence");
  bool all_exception = true;
  for (const Value& x : excs) {
    if (x.as<ExceptionObject>() == nullptr)
      in.raise(in.e.ValueError, "Item " + std::to_string(&x - excs.data()) +
                                    " of second argument (exceptions) is not an exception");
    if (!in.isinstance(x, in.e.Exception))
      all_exception = false;
  }
  if (e->type == in.e.ExceptionGroup && !all_exception)
    in.raise(in.e.TypeError, "Cannot nest BaseExceptions in an ExceptionGroup");
  if (e->type == in.e.BaseExceptionGroup && all_exception)
    e->type = in.e.ExceptionGroup;
  e->group_message = msg->s;
  e->group_exceptions = excs;
  e->args = in.tuple({a.args[0], a.args[1]});
  return {};
}
Value group_message(Interp& in, const Value& self, CallArgs&)
{
  return in.str(self.as<ExceptionObject>()->group_message);
}
Value group_exceptions(Interp& in, const Value& self, CallArgs&)
{
  return in.tuple(self.as<ExceptionObject>()->group_exceptions);
}

// The subgroup of `g` whose leaves match `pred`, or None; keeps the nesting and the message.
Value derive_group(Interp& in, const Value& g, const std::vector<Value>& excs)
{
  auto* src = g.as<ExceptionObject>();
  Value ng = in.new_exception(src->type, {in.str(src->group_message), in.list(excs)});
  auto* e = ng.as<ExceptionObject>();
  e->cause = src->cause;
  e->context = src->context;
  e->traceback = src->traceback;
  return ng;
}

Value split_group(Interp& in, const Value& g, const std::function<bool(const Value&)>& pred,
                  bool want_match)
{
  if (pred(g))
    return want_match ? g : Value();
  auto* e = g.as<ExceptionObject>();
  if (e == nullptr || (e->group_exceptions.empty() && e->group_message.empty()))
    return want_match ? Value() : g;
  std::vector<Value> kept;
  bool changed = false;
  for (const Value& x : e->group_exceptions) {
    Value part;
    auto* xe = x.as<ExceptionObject>();
    if (xe != nullptr && xe->type->is_subtype_of(in.e.BaseExceptionGroup)) {
      part = split_group(in, x, pred, want_match);
    } else {
      const bool m = pred(x);
      part = m == want_match ? x : Value();
    }
    if (!part.identical(x))
      changed = true;
    if (!part.is_none())
      kept.push_back(part);
  }
  if (kept.empty())
    return {};
  if (!changed)
    return g;
  return derive_group(in, g, kept);
}

std::function<bool(const Value&)> matcher(Interp& in, const Value& cond)
{
  if (cond.as<TypeObject>() != nullptr || cond.as<TupleObject>() != nullptr) {
    std::vector<TypeObject*> types;
    if (auto* t = cond.as<TypeObject>())
      types.push_back(t);
    else
      for (const Value& v : cond.as<TupleObject>()->items)
        if (auto* tt = v.as<TypeObject>())
          types.push_back(tt);
    return [types, &in](const Value& x) {
      for (TypeObject* t : types)
        if (in.isinstance(x, t))
          return true;
      return false;
    };
  }
  Value fn = cond;
  return [fn, &in](const Value& x) {
    return in.truthy(in.call(fn, std::vector<Value>{x}));
  };
}

Value group_subgroup(Interp& in, const Value& self, CallArgs& a)
{
  return split_group(in, self, matcher(in, a.args.at(0)), true);
}
Value group_split(Interp& in, const Value& self, CallArgs& a)
{
  auto m = matcher(in, a.args.at(0));
  return in.tuple({split_group(in, self, m, true), split_group(in, self, m, false)});
}
Value group_derive(Interp& in, const Value& self, CallArgs& a)
{
  return derive_group(in, self, in.to_vector(a.args.at(0)));
}

Value stop_iteration_value(Interp&, const Value& self, CallArgs&)
{
  auto* e = self.as<ExceptionObject>();
  auto* t = e->args.as<TupleObject>();
  return t != nullptr && !t->items.empty() ? t->items[0] : Value();
}
Value system_exit_code(Interp&, const Value& self, CallArgs&)
{
  auto* e = self.as<ExceptionObject>();
  auto* t = e->args.as<TupleObject>();
  if (t == nullptr || t->items.empty())
    return {};
  return t->items.size() == 1 ? t->items[0] : e->args;
}
Value oserror_errno(Interp&, const Value& self, CallArgs&)
{
  auto* e = self.as<ExceptionObject>();
  auto* t = e->args.as<TupleObject>();
  return t != nullptr && t->items.size() >= 2 ? t->items[0] : Value();
}
Value oserror_strerror(Interp&, const Value& self, CallArgs&)
{
  auto* e = self.as<ExceptionObject>();
  auto* t = e->args.as<TupleObject>();
  return t != nullptr && t->items.size() >= 2 ? t->items[1] : Value();
}

Value object_init(Interp&, const Value&, CallArgs&)
{
  return {};
}

// coroutine.close(): a coroutine that never started is marked done (it will not run).
Value coroutine_close(Interp& in, const Value& self, CallArgs&)
{
  if (auto* co = self.as<CoroutineObject>()) {
    if (!co->started) {
      co->started = true;
      co->finished = true;
    } else if (!co->finished) {
      in.raise(in.e.RuntimeError, "coroutine ignored GeneratorExit");
    }
  } else if (auto* a = dynamic_cast<AwaitableObject*>(self.is_obj() ? self.obj() : nullptr)) {
    a->used = true;
  }
  return {};
}

}  // namespace

void Interp::init_types()
{
  // `type` and `object` first; every later type's own type is `type`.
  t.type = make_type("type", {}, Kind::Type);
  t.object = make_type("object", {}, Kind::Instance);
  t.type->bases = {t.object};
  t.type->compute_mro();
  t.type->type = t.type;
  t.object->type = t.type;
  add_method(t.object, "__init__", object_init);

  auto simple = [&](const char* name, Kind k, bool publish = true) {
    return make_type(name, {t.object}, k, publish);
  };
  t.none = simple("NoneType", Kind::Instance, false);
  t.int_ = simple("int", Kind::Instance);
  t.bool_ = make_type("bool", {t.int_}, Kind::Instance);
  t.float_ = simple("float", Kind::Instance);
  t.str = simple("str", Kind::Str);
  t.bytes = simple("bytes", Kind::Bytes);
  t.list = simple("list", Kind::List);
  t.tuple = simple("tuple", Kind::Tuple);
  t.dict = simple("dict", Kind::Dict);
  t.set = simple("set", Kind::Set);
  t.frozenset = simple("frozenset", Kind::Set);
  t.range = simple("range", Kind::Range);
  t.slice = simple("slice", Kind::Slice);
  t.function = simple("function", Kind::Function, false);
  t.builtin = simple("builtin_function_or_method", Kind::Builtin, false);
  t.method = simple("method", Kind::BoundMethod, false);
  t.module = simple("module", Kind::Module, false);
  t.cell = simple("cell", Kind::Cell, false);
  t.coroutine = simple("coroutine", Kind::Coroutine, false);
  t.iterator = simple("iterator", Kind::Iterator, false);
  t.generator = simple("generator", Kind::Iterator, false);
  t.property = simple("property", Kind::Property);
  t.awaitable = simple("awaitable", Kind::Native, false);
  unbound = make<InstanceObject>(t.object);
  add_method(t.coroutine, "close", coroutine_close);

  // Exceptions (CPython's hierarchy for the names we have).
  auto ex = [&](const char* name, TypeObject* base, bool publish = true) {
    TypeObject* ty = make_type(name, {base}, Kind::Exception, publish);
    ty->is_exception = true;
    return ty;
  };
  e.BaseException = ex("BaseException", t.object);
  add_method(e.BaseException, "__init__", exc_init);
  add_property(e.BaseException, "args", exc_args, exc_set_args);
  add_property(e.BaseException, "__cause__", exc_cause, exc_set_cause);
  add_property(e.BaseException, "__context__", exc_context, exc_set_context);
  add_property(e.BaseException, "__suppress_context__", exc_suppress);
  add_method(e.BaseException, "with_traceback", exc_with_traceback);
  add_method(e.BaseException, "add_note", exc_add_note);
  e.Exception = ex("Exception", e.BaseException);
  e.BaseExceptionGroup = ex("BaseExceptionGroup", e.BaseException);
  add_method(e.BaseExceptionGroup, "__init__", group_init);
  add_property(e.BaseExceptionGroup, "message", group_message);
  add_property(e.BaseExceptionGroup, "exceptions", group_exceptions);
  add_method(e.BaseExceptionGroup, "subgroup", group_subgroup);
  add_method(e.BaseExceptionGroup, "split", group_split);
  add_method(e.BaseExceptionGroup, "derive", group_derive);
  e.ExceptionGroup =
      make_type("ExceptionGroup", {e.BaseExceptionGroup, e.Exception}, Kind::Exception);
  e.ExceptionGroup->is_exception = true;
  e.SystemExit = ex("SystemExit", e.BaseException);
  add_property(e.SystemExit, "code", system_exit_code);
  e.KeyboardInterrupt = ex("KeyboardInterrupt", e.BaseException);
  e.GeneratorExit = ex("GeneratorExit", e.BaseException);
  e.StopIteration = ex("StopIteration", e.Exception);
  add_property(e.StopIteration, "value", stop_iteration_value);
  e.StopAsyncIteration = ex("StopAsyncIteration", e.Exception);
  e.ArithmeticError = ex("ArithmeticError", e.Exception);
  e.ZeroDivisionError = ex("ZeroDivisionError", e.ArithmeticError);
  e.OverflowError = ex("OverflowError", e.ArithmeticError);
  e.AssertionError = ex("AssertionError", e.Exception);
  e.AttributeError = ex("AttributeError", e.Exception);
  e.LookupError = ex("LookupError", e.Exception);
  e.IndexError = ex("IndexError", e.LookupError);
  e.KeyError = ex("KeyError", e.LookupError);
  e.NameError = ex("NameError", e.Exception);
  e.UnboundLocalError = ex("UnboundLocalError", e.NameError);
  e.RuntimeError = ex("RuntimeError", e.Exception);
  e.NotImplementedError = ex("NotImplementedError", e.RuntimeError);
  e.RecursionError = ex("RecursionError", e.RuntimeError);
  e.TypeError = ex("TypeError", e.Exception);
  e.ValueError = ex("ValueError", e.Exception);
  e.UnicodeError = ex("UnicodeError", e.ValueError);
  ex("UnicodeDecodeError", e.UnicodeError);
  ex("UnicodeEncodeError", e.UnicodeError);
  e.OSError = ex("OSError", e.Exception);
  add_property(e.OSError, "errno", oserror_errno);
  add_property(e.OSError, "strerror", oserror_strerror);
  builtins_["IOError"] = builtins_["OSError"];
  builtins_["EnvironmentError"] = builtins_["OSError"];
  e.ConnectionError = ex("ConnectionError", e.OSError);
  e.ConnectionResetError = ex("ConnectionResetError", e.ConnectionError);
  e.ConnectionRefusedError = ex("ConnectionRefusedError", e.ConnectionError);
  ex("ConnectionAbortedError", e.ConnectionError);
  e.BrokenPipeError = ex("BrokenPipeError", e.ConnectionError);
  ex("FileNotFoundError", e.OSError);
  ex("PermissionError", e.OSError);
  ex("InterruptedError", e.OSError);
  e.TimeoutError = ex("TimeoutError", e.OSError);
  e.SyntaxError = ex("SyntaxError", e.Exception);
  ex("IndentationError", e.SyntaxError);
  e.ImportError = ex("ImportError", e.Exception);
  e.ModuleNotFoundError = ex("ModuleNotFoundError", e.ImportError);
  ex("EOFError", e.Exception);
  ex("MemoryError", e.Exception);
  ex("BufferError", e.Exception);
  ex("Warning", e.Exception);
  ex("UserWarning", builtins_["Warning"].as<TypeObject>());
  ex("DeprecationWarning", builtins_["Warning"].as<TypeObject>());
  ex("RuntimeWarning", builtins_["Warning"].as<TypeObject>());
  ex("FloatingPointError", e.ArithmeticError);
  // loopscope's own: valid Python outside the supported subset.
  e.NotSupported = ex("NotSupportedByLoopscope", e.Exception, false);
  // asyncio's (module asyncio publishes them).
  e.CancelledError = ex("CancelledError", e.BaseException, false);
  e.CancelledError->module = "asyncio.exceptions";
  e.InvalidStateError = ex("InvalidStateError", e.Exception, false);
  e.InvalidStateError->module = "asyncio.exceptions";
  e.QueueEmpty = ex("QueueEmpty", e.Exception, false);
  e.QueueEmpty->module = "asyncio.queues";
  e.QueueFull = ex("QueueFull", e.Exception, false);
  e.QueueFull->module = "asyncio.queues";
  e.QueueShutDown = ex("QueueShutDown", e.Exception, false);
  e.QueueShutDown->module = "asyncio.queues";
  e.IncompleteReadError = ex("IncompleteReadError", builtins_["EOFError"].as<TypeObject>(), false);
  e.IncompleteReadError->module = "asyncio.exceptions";
  e.LimitOverrunError = ex("LimitOverrunError", e.Exception, false);
  e.LimitOverrunError->module = "asyncio.exceptions";
}

// ------------------------------------------------------------------ value factories

Value Interp::str(std::string s)
{
  Value v = make<StrObject>(std::move(s));
  v.obj()->type = t.str;
  return v;
}
Value Interp::bytes(std::string s)
{
  Value v = make<BytesObject>(std::move(s));
  v.obj()->type = t.bytes;
  return v;
}
Value Interp::list(std::vector<Value> items)
{
  Value v = make<ListObject>(std::move(items));
  v.obj()->type = t.list;
  return v;
}
Value Interp::tuple(std::vector<Value> items)
{
  Value v = make<TupleObject>(std::move(items));
  v.obj()->type = t.tuple;
  return v;
}
Value Interp::dict()
{
  Value v = make<DictObject>();
  v.obj()->type = t.dict;
  return v;
}
Value Interp::builtin(std::string name, NativeFn fn, Value self, Value data)
{
  Value v = make<BuiltinObject>(std::move(name), fn, std::move(self), std::move(data));
  v.obj()->type = t.builtin;
  return v;
}
Value Interp::native_closure(std::string name, std::function<Value(Interp&, CallArgs&)> fn)
{
  Value v = builtin(std::move(name), nullptr);
  v.as<BuiltinObject>()->closure = std::move(fn);
  return v;
}
Value Interp::awaitable(std::string what, AwaitableObject::Start start)
{
  // CPython's asyncio functions return coroutine objects; these stand in for them.
  return make<AwaitableObject>(t.coroutine, std::move(what), std::move(start));
}

TypeObject* Interp::type_of(const Value& v) const noexcept
{
  switch (v.tag()) {
    case Value::Tag::None:
      return t.none;
    case Value::Tag::Bool:
      return t.bool_;
    case Value::Tag::Int:
      return t.int_;
    case Value::Tag::Float:
      return t.float_;
    case Value::Tag::Obj:
      break;
  }
  Object* o = v.obj();
  if (o->type != nullptr)
    return o->type;
  switch (o->kind) {
    case Kind::Str:
      return t.str;
    case Kind::Bytes:
      return t.bytes;
    case Kind::List:
      return t.list;
    case Kind::Tuple:
      return t.tuple;
    case Kind::Dict:
      return t.dict;
    case Kind::Set:
      return static_cast<SetObject*>(o)->frozen ? t.frozenset : t.set;
    case Kind::Range:
      return t.range;
    case Kind::Slice:
      return t.slice;
    case Kind::Function:
      return t.function;
    case Kind::BoundMethod:
      return t.method;
    case Kind::Builtin:
      return t.builtin;
    case Kind::Type:
      return t.type;
    case Kind::Module:
      return t.module;
    case Kind::Cell:
      return t.cell;
    case Kind::Coroutine:
      return t.coroutine;
    case Kind::Iterator:
      return t.iterator;
    case Kind::Property:
      return t.property;
    default:
      return t.object;
  }
}

bool Interp::isinstance(const Value& v, const TypeObject* type) const noexcept
{
  return type_of(v)->is_subtype_of(type);
}

// ------------------------------------------------------------------ exceptions

Value Interp::new_exception(TypeObject* type, std::vector<Value> args)
{
  CallArgs a;
  a.args = std::move(args);
  return call(Value(static_cast<Object*>(type)), std::move(a));
}

void Interp::raise(TypeObject* type, std::string message)
{
  std::vector<Value> args;
  args.push_back(str(std::move(message)));
  raise_value(new_exception(type, std::move(args)));
}

void Interp::raise_value(Value exc)
{
  auto* e = exc.as<ExceptionObject>();
  if (e == nullptr)
    raise(this->e.TypeError, "exceptions must derive from BaseException");
  // Implicit chaining: raised while an exception is being handled (here or in a caller).
  if (e->context.is_none()) {
    for (Frame* f = script_current_frame(); f != nullptr; f = f->back) {
      if (!f->handling.is_none()) {
        if (!f->handling.identical(exc))
          e->context = f->handling;
        break;
      }
    }
  }
  PyException px(std::move(exc));
  throw px;
}

std::string Interp::exception_message(const Value& exc)
{
  return to_str(exc);
}

namespace {
// The object an exception_ptr holds when its exact type is T, without rethrowing (a C++ throw
// costs about a microsecond; libstdc++'s exception_ptr is one pointer to the thrown object).
template <class T>
const T* peek(const std::exception_ptr& e) noexcept
{
#if defined(__GLIBCXX__)
  static_assert(sizeof(std::exception_ptr) == sizeof(void*));
  if (const std::type_info* t = e.__cxa_exception_type(); t != nullptr && *t == typeid(T)) {
    void* object = nullptr;
    std::memcpy(&object, &e, sizeof object);
    return static_cast<const T*>(object);
  }
#else
  (void)e;
#endif
  return nullptr;
}
}  // namespace

const PyException* as_py_exception(const std::exception_ptr& e) noexcept
{
  return peek<PyException>(e);
}

Value Interp::exception_from(const std::exception_ptr& ep)
{
  if (const auto* p = peek<PyException>(ep))
    return p->exc;
  if (const auto* p = peek<PyCancelledError>(ep))
    return p->exc;
  if (const auto* c = peek<engine::CancelledError>(ep)) {
    std::vector<Value> args;
    if (!c->message().empty())
      args.push_back(str(c->message()));
    Value v = new_exception(e.CancelledError, std::move(args));
    v.as<ExceptionObject>()->native = ep;
    return v;
  }
  try {
    std::rethrow_exception(ep);
  } catch (const PyException& x) {
    return x.exc;
  } catch (const PyCancelledError& x) {
    return x.exc;
  } catch (const PyKeyboardInterrupt& x) {
    return x.exc;
  } catch (const PySystemExit& x) {
    return x.exc;
  } catch (const engine::CancelledError& x) {
    std::vector<Value> args;
    if (!x.message().empty())
      args.push_back(str(x.message()));
    Value v = new_exception(e.CancelledError, std::move(args));
    v.as<ExceptionObject>()->native = ep;
    return v;
  } catch (const engine::KeyboardInterrupt&) {
    return new_exception(e.KeyboardInterrupt, {});
  } catch (const engine::SystemExit& x) {
    return new_exception(e.SystemExit, {Value::from_int(x.code())});
  } catch (const engine::TimeoutError& x) {
    Value v = new_exception(e.TimeoutError, {});
    if (x.cause()) {
      v.as<ExceptionObject>()->cause = exception_from(x.cause());
      v.as<ExceptionObject>()->suppress_context = true;
    }
    return v;
  } catch (const engine::ExceptionGroup& g) {
    std::vector<Value> subs;
    for (const auto& s : g.exceptions())
      subs.push_back(exception_from(s));
    Value v = new_exception(e.BaseExceptionGroup, {str(g.message()), list(std::move(subs))});
    if (g.context())
      v.as<ExceptionObject>()->context = exception_from(g.context());
    return v;
  } catch (const engine::QueueEmpty&) {
    return new_exception(e.QueueEmpty, {});
  } catch (const engine::QueueFull&) {
    return new_exception(e.QueueFull, {});
  } catch (const engine::QueueShutDown&) {
    return new_exception(e.QueueShutDown, {});
  } catch (const engine::IncompleteReadError& x) {
    Value partial = bytes(x.partial());
    Value expected =
        x.expected() ? Value::from_int(static_cast<std::int64_t>(*x.expected())) : Value();
    Value v = new_exception(e.IncompleteReadError, {str(x.what())});
    auto* eo = v.as<ExceptionObject>();
    eo->dict["partial"] = partial;
    eo->dict["expected"] = expected;
    return v;
  } catch (const engine::ConnectionRefusedError& x) {
    return new_exception(e.ConnectionRefusedError,
                         {Value::from_int(x.error_code()), str(x.what())});
  } catch (const engine::ConnectionResetError& x) {
    return new_exception(e.ConnectionResetError, {Value::from_int(x.error_code()), str(x.what())});
  } catch (const engine::BrokenPipeError& x) {
    return new_exception(e.BrokenPipeError, {Value::from_int(x.error_code()), str(x.what())});
  } catch (const engine::OSError& x) {
    TypeObject* ty =
        dynamic_cast<const engine::ConnectionError*>(&x) ? e.ConnectionError : e.OSError;
    return new_exception(ty, {Value::from_int(x.error_code()), str(x.what())});
  } catch (const engine::InvalidStateError& x) {
    return new_exception(e.InvalidStateError, {str(x.what())});
  } catch (const engine::RuntimeError& x) {
    return new_exception(e.RuntimeError, {str(x.what())});
  } catch (const std::system_error& x) {
    return new_exception(e.OSError, {Value::from_int(x.code().value()), str(x.code().message())});
  } catch (const std::bad_alloc&) {
    return new_exception(builtins_["MemoryError"].as<TypeObject>(), {});
  } catch (const std::exception& x) {
    return new_exception(e.RuntimeError, {str(x.what())});
  } catch (const engine::BaseException& x) {
    return new_exception(e.BaseException, {str(x.what())});
  } catch (...) {
    return new_exception(e.RuntimeError, {str("unknown C++ exception")});
  }
}

std::exception_ptr Interp::to_engine(const Value& exc)
{
  auto* e = exc.as<ExceptionObject>();
  if (e != nullptr && e->native)
    return e->native;
  const TypeObject* ty = type_of(exc);
  if (ty->is_subtype_of(this->e.CancelledError)) {
    std::string msg;
    if (auto* args = e->args.as<TupleObject>(); args && args->items.size() == 1)
      if (auto* s = args->items[0].as<StrObject>())
        msg = s->s;
    return std::make_exception_ptr(PyCancelledError(msg, exc));
  }
  if (ty->is_subtype_of(this->e.KeyboardInterrupt))
    return std::make_exception_ptr(PyKeyboardInterrupt(exc));
  if (ty->is_subtype_of(this->e.SystemExit)) {
    int code = 0;
    Value c = getattr(exc, "code");
    if (c.is_intlike())
      code = static_cast<int>(c.as_int());
    else if (!c.is_none())
      code = 1;
    return std::make_exception_ptr(PySystemExit(code, exc));
  }
  PyException px(exc);
  px.text = type_name(exc);
  const std::string m = to_str(exc);
  if (!m.empty())
    px.text += ": " + m;
  return std::make_exception_ptr(std::move(px));
}

void Interp::print_traceback(const Value& exc)
{
  auto* e = exc.as<ExceptionObject>();
  if (e == nullptr)
    return;
  std::string out;
  const auto chain = [&](auto&& self, const Value& x) -> void {
    auto* xe = x.as<ExceptionObject>();
    if (xe == nullptr)
      return;
    if (!xe->cause.is_none()) {
      self(self, xe->cause);
      out += "\nThe above exception was the direct cause of the following exception:\n\n";
    } else if (!xe->context.is_none() && !xe->suppress_context) {
      self(self, xe->context);
      out += "\nDuring handling of the above exception, another exception occurred:\n\n";
    }
    if (!xe->traceback.empty()) {
      out += "Traceback (most recent call last):\n";
      for (auto it = xe->traceback.rbegin(); it != xe->traceback.rend(); ++it) {
        out += "  File \"" + it->file + "\", line " + std::to_string(it->line) + ", in " +
               it->function + "\n";
        if (main_ast_ && it->file == main_ast_->filename && it->line >= 1 &&
            it->line <= main_ast_->lines.size()) {
          std::string src = main_ast_->lines[it->line - 1];
          const std::size_t b = src.find_first_not_of(" \t");
          if (b != std::string::npos)
            out += "    " + src.substr(b) + "\n";
        }
      }
    }
    std::string m = to_str(x);
    out += type_name(x);
    if (auto* ty = type_of(x); ty->module != "builtins" && ty->module != "__main__")
      out = out.substr(0, out.size() - type_name(x).size()) + ty->module + "." + type_name(x);
    if (!m.empty())
      out += ": " + m;
    out += "\n";
    if (!xe->group_exceptions.empty()) {
      int i = 0;
      for (const Value& sub : xe->group_exceptions) {
        out += "  +---------------- " + std::to_string(++i) + " ----------------\n";
        std::string line = type_name(sub);
        std::string sm = to_str(sub);
        out += "    | " + line + (sm.empty() ? "" : ": " + sm) + "\n";
      }
      out += "    +------------------------------------\n";
    }
  };
  try {
    chain(chain, exc);
  } catch (...) {
    out += type_name(exc) + ": <exception str() failed>\n";
  }
  io_.err(out);
}

int Interp::report_uncaught(const std::exception_ptr& ep)
{
  Value exc = exception_from(ep);
  if (isinstance(exc, e.SystemExit)) {
    Value code = getattr(exc, "code");
    if (code.is_none())
      return 0;
    if (code.is_intlike())
      return static_cast<int>(code.as_int() & 0xff);
    io_.err(to_str(code) + "\n");
    return 1;
  }
  print_traceback(exc);
  return isinstance(exc, e.KeyboardInterrupt) ? 130 : 1;
}

}  // namespace loopscope::script
