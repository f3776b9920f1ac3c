// SPDX-License-Identifier: GPL-3.0-or-later
// The `asyncio` module of the script interpreter: every function maps onto the engine's own
// implementation (engine/*.h), so a script's tasks, timeouts, groups and queues behave — and are
// traced — exactly like the engine's native scenarios.

#include "engine/script/asyncio_module.h"

#include "engine/engine.h"
#include "engine/script/modargs.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <utility>

namespace loopscope::script {

using engine::Coro;
using namespace mod;

namespace {

struct Types
{
  TypeObject *task, *future, *gather, *timeout, *taskgroup, *event, *lock, *semaphore, *bounded,
      *condition, *queue, *loop, *handle, *signals, *as_completed_iter;
};
Types& types()
{
  static Types t{};
  return t;
}

engine::Loop& running_loop(Interp& in)
{
  if (in.loop() == nullptr)
    in.raise(in.e.RuntimeError, "no running event loop");
  return *in.loop();
}

std::source_location here(Interp& in)
{
  return in.current_site();
}

// ------------------------------------------------------------------ engine-facing awaiting

Coro<Value> engine_await(Interp& in, Value aw, std::source_location site)
{
  // A native awaitable (asyncio.sleep(...), a task, a future) already speaks engine exceptions:
  // await it directly instead of converting to Python and back (two C++ throws saved).
  if (auto* n = aw.as<NativeObject>(); n != nullptr && n->is_awaitable())
    co_return co_await engine::at_site(n->await(in, site), site);
  std::exception_ptr err;
  Value v;
  try {
    v = co_await in.await_value(std::move(aw), site);
  } catch (PyException& x) {
    err = in.to_engine(x.exc);
  } catch (...) {
    err = std::current_exception();
  }
  if (err)
    std::rethrow_exception(err);
  co_return v;
}

// ------------------------------------------------------------------ Task

struct TaskObject : NativeObject
{
  TaskObject(TypeObject* t, engine::Task<Value> tk, Value c)
      : NativeObject(t)
      , task(std::move(tk))
      , coro(std::move(c))
  {}
  void clear_refs() override
  {
    coro = Value();
    callbacks.clear();
  }
  bool is_awaitable() const noexcept override { return true; }
  Coro<Value> await(Interp&, const std::source_location&) override
  {
    engine::Task<Value> t = task;
    co_return co_await t;
  }
  engine::Task<Value> task;
  Value coro;
  std::vector<Value> callbacks;
};

TaskObject* as_task(Interp& in, const Value& v)
{
  if (v.is_obj() && v.obj()->type == types().task)
    return static_cast<TaskObject*>(v.obj());
  in.raise(in.e.TypeError, "a Task is required, got " + in.type_name(v));
}

Coro<Value> value_coro(Value v)
{
  co_return v;
}

// An awaitable method: awaiting `self.<name>()` runs body(in, self) in the awaiting task.
Value method_awaitable(Interp& in, const Value& self, const char* name,
                       Coro<Value> (*body)(Interp&, Value))
{
  Value me = self;
  return in.awaitable(name,
                      [me, body](Interp& ip, const std::source_location&) { return body(ip, me); });
}

// An awaitable that gives `v` at once (`async with x as y`: __aenter__ returning x).
Value ready_awaitable(Interp& in, const char* name, const Value& v)
{
  Value keep = v;
  return in.awaitable(name,
                      [keep](Interp&, const std::source_location&) { return value_coro(keep); });
}

Value wrap_task(Interp& in, engine::Task<Value> t, Value coro)
{
  const engine::TaskBase* key = &t.base();
  auto it = in.task_objects.find(key);
  if (it != in.task_objects.end())
    return it->second;
  Value obj = make<TaskObject>(types().task, std::move(t), std::move(coro));
  in.task_objects[key] = obj;
  return obj;
}

Value task_for_base(Interp& in, engine::TaskBase* tb)
{
  auto it = in.task_objects.find(tb);
  if (it != in.task_objects.end())
    return it->second;
  // Every script task runs a Coro<Value>.
  auto* impl = static_cast<engine::detail::TaskImpl<Value>*>(tb);
  return wrap_task(in, engine::Task<Value>(engine::TaskRef<engine::detail::TaskImpl<Value>>(impl)),
                   {});
}

std::string default_task_name(Interp& in)
{
  return "Task-" + std::to_string(in.next_task_number());
}

bool is_native_coroutine(const Value& v)
{
  auto* n = v.as<NativeObject>();
  return n != nullptr && dynamic_cast<AwaitableObject*>(n) != nullptr;
}

// The engine coroutine that runs a Python coroutine (or an asyncio.sleep(...)-like object).
Coro<Value> task_body(Interp& in, const Value& coro, const std::source_location& site)
{
  if (coro.as<CoroutineObject>() != nullptr)
    return as_engine_coro(in, coro);
  return engine_await(in, coro, site);
}

Value create_task(Interp& in, Value coro, Value name)
{
  engine::Loop& loop = running_loop(in);
  if (coro.as<CoroutineObject>() == nullptr && !is_native_coroutine(coro))
    in.raise(in.e.TypeError, "a coroutine was expected, got " + in.repr(coro));
  std::string nm = name.is_none() ? default_task_name(in) : to_text(in, name);
  const auto site = here(in);
  engine::Task<Value> t = loop.create_task(task_body(in, coro, site), nm, site);
  return wrap_task(in, std::move(t), std::move(coro));
}

// Any awaitable as a task (asyncio.ensure_future).
Value ensure_task(Interp& in, const Value& aw)
{
  if (aw.is_obj() && aw.obj()->type == types().task)
    return aw;
  if (aw.as<CoroutineObject>() != nullptr)
    return create_task(in, aw, {});
  if (auto* n = aw.as<NativeObject>(); n && n->is_awaitable()) {
    engine::Loop& loop = running_loop(in);
    const auto site = here(in);
    engine::Task<Value> t =
        loop.create_task(engine_await(in, aw, site), default_task_name(in), site);
    return wrap_task(in, std::move(t), {});
  }
  in.raise(in.e.TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
}

Value task_cancel(Interp& in, const Value& self, CallArgs& a)
{
  Value msg = arg_or(a, 0, "msg");
  return Value(as_task(in, self)->task.cancel(msg.is_none() ? "" : to_text(in, msg)));
}
Value task_cancelled(Interp& in, const Value& self, CallArgs&)
{
  return Value(as_task(in, self)->task.cancelled());
}
Value task_done(Interp& in, const Value& self, CallArgs&)
{
  return Value(as_task(in, self)->task.done());
}
Value task_cancelling(Interp& in, const Value& self, CallArgs&)
{
  return Value::from_int(as_task(in, self)->task.cancelling());
}
Value task_uncancel(Interp& in, const Value& self, CallArgs&)
{
  return Value::from_int(as_task(in, self)->task.uncancel());
}
Value task_get_name(Interp& in, const Value& self, CallArgs&)
{
  return in.str(as_task(in, self)->task.name());
}
Value task_set_name(Interp& in, const Value& self, CallArgs& a)
{
  as_task(in, self)->task.set_name(to_text(in, arg(in, a, 0, "value", "set_name")));
  return {};
}
Value task_get_coro(Interp& in, const Value& self, CallArgs&)
{
  return as_task(in, self)->coro;
}
Value task_result(Interp& in, const Value& self, CallArgs&)
{
  TaskObject* t = as_task(in, self);
  if (!t->task.done())
    in.raise(in.e.InvalidStateError, "Result is not set.");
  try {
    return t->task.result();
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
}
Value task_exception(Interp& in, const Value& self, CallArgs&)
{
  TaskObject* t = as_task(in, self);
  if (!t->task.done())
    in.raise(in.e.InvalidStateError, "Exception is not set.");
  if (t->task.cancelled()) {
    try {
      (void)t->task.result();
    } catch (...) {
      in.raise_value(in.exception_from(std::current_exception()));
    }
  }
  std::exception_ptr e = t->task.exception();
  return e ? in.exception_from(e) : Value();
}
Value task_add_done_callback(Interp& in, const Value& self, CallArgs& a)
{
  TaskObject* t = as_task(in, self);
  Value fn = arg(in, a, 0, "fn", "add_done_callback");
  Value me = self;
  Interp* ip = &in;
  engine::Loop* loop = &running_loop(in);
  (void)loop;
  // The engine runs task done callbacks with call_soon, as asyncio does.
  t->task.base().add_done_callback([ip, fn, me](engine::TaskBase&) {
    try {
      ip->call(fn, std::vector<Value>{me});
    } catch (PyException& x) {
      ip->io().err("Exception in callback " + ip->repr(fn) + "\n");
      ip->print_traceback(x.exc);
    }
  });
  return {};
}
Value task_repr(Interp& in, const Value& self, CallArgs&)
{
  TaskObject* t = as_task(in, self);
  std::string state = t->task.cancelled() ? "cancelled" : t->task.done() ? "finished" : "pending";
  return in.str("<Task " + state + " name='" + t->task.name() + "'>");
}

// ------------------------------------------------------------------ run

void report_grace_expired(Interp& in, const engine::RunReport& report)
{
  std::string msg = "loopscope: the shutdown grace deadline expired; still running:\n";
  for (const auto& h : report.held)
    msg += "  " + h.name + ": " + h.explanation + "\n";
  in.io().err(msg);
}

// If `e` is a virtual-clock stall (engine::LoopStalled), says so on the script's stderr, naming
// the tasks and where they wait, and returns true. Such a run cannot go on: nothing is ready, no
// timer is armed, and no I/O, thread or signal handler of the script could ever wake the loop.
bool report_stall(Interp& in, const std::exception_ptr& e, std::string_view what)
{
  if (!e)
    return false;
  try {
    std::rethrow_exception(e);
  } catch (const engine::LoopStalled& s) {
    std::string msg = "loopscope: " + std::string(what) +
                      " under --virtual-time: no ready task, timer, I/O or thread could ever "
                      "wake it; waiting tasks:";
    if (s.waiting().empty())
      msg += " none";
    msg += "\n";
    for (const std::string& w : s.waiting())
      msg += "  " + w + "\n";
    msg += "loopscope: exiting with status " + std::to_string(engine::kExitStalled) +
           " (CPython would wait forever)\n";
    in.io().err(msg);
    return true;
  } catch (...) {
    return false;
  }
}

Value asyncio_run(Interp& in, const Value&, CallArgs& a)
{
  Value coro = arg(in, a, 0, "main", "run");
  if (in.loop() != nullptr)
    in.raise(in.e.RuntimeError, "asyncio.run() cannot be called from a running event loop");
  if (coro.as<CoroutineObject>() == nullptr)
    in.raise(in.e.ValueError, "a coroutine was expected, got " + in.repr(coro));
  const Interp::RunConfig& cfg = in.config;
  // Each asyncio.run continues the script's time where the last one ended (plus, in real time,
  // what passed since), so the timeline of a script with two runs does not fold over itself.
  std::unique_ptr<engine::Clock> clock;
  if (cfg.virtual_time) {
    clock = std::make_unique<engine::VirtualClock>(in.idle_ns);
  } else {
    std::int64_t start = 0;
    if (in.idle_steady_ns != 0)
      start =
          in.idle_ns + static_cast<std::int64_t>(
                           static_cast<double>(steady_ns() - in.idle_steady_ns) * cfg.time_scale);
    clock = std::make_unique<engine::RealClock>(cfg.time_scale, start);
  }
  engine::RunnerOptions opt;
  if (cfg.grace_ns)
    opt.grace = engine::Duration(*cfg.grace_ns);
  // The process's signals are the host's in the sandbox. (The runner's SIGINT handling does not
  // keep a stalled virtual loop waiting: see Loop::SignalWakes.)
  opt.handle_sigint = !cfg.sandbox.enabled;
  engine::Runner runner(opt, std::move(clock));
  engine::Loop& loop = runner.loop();
  if (cfg.sink != nullptr)
    loop.set_sink(cfg.sink);
  std::optional<Gil::Unlocked> released;
  loop.set_wait_hook([&](bool waiting) {
    if (waiting)
      released.emplace(in.gil());
    else
      released.reset();
  });
  in.set_loop(&loop);
  in.loop_thread = std::this_thread::get_id();
  if (cfg.on_loop)
    cfg.on_loop(runner);
  std::exception_ptr err;
  Value result;
  const std::string name = default_task_name(in);
  Frame* const caller = script_current_frame();
  try {
    result = runner.run(as_engine_coro(in, coro), name, in.current_site());
  } catch (...) {
    err = std::current_exception();
  }
  // What the shutdown itself may add to the report (see below).
  const std::exception_ptr main_error = runner.report().error;
  const bool main_interrupted = runner.report().interrupted;
  // A virtual-clock loop that nothing could ever wake (a deadlock: CPython would wait forever)
  // is named now, before the shutdown's cancellations run the tasks' cleanup.
  const bool stalled = report_stall(in, err, "loop stalled");
  runner.close();
  // The current frame is the last task step's (a task may be left suspended in an except
  // block): what asyncio.run raises is raised in its caller's frame.
  set_script_current_frame(caller);
  loop.set_wait_hook(nullptr);
  in.idle_ns = engine::to_ns(loop.now());
  in.idle_steady_ns = steady_ns();
  in.set_loop(nullptr);
  const engine::RunReport report = runner.report();
  if (cfg.on_report)
    cfg.on_report(report);
  // Tasks are finished or abandoned: their Python objects no longer pin the engine.
  in.task_objects.clear();
  if (!stalled && !main_error && report_stall(in, report.error, "asyncio.run's shutdown stalled")) {
    in.raise_value(in.new_exception(in.e.SystemExit, {Value::from_int(engine::kExitStalled)}));
  }
  if (stalled) {
    if (report.grace_expired)
      report_grace_expired(in, report);
    in.raise_value(in.new_exception(in.e.SystemExit, {Value::from_int(engine::kExitStalled)}));
  }
  if (report.grace_expired) {
    report_grace_expired(in, report);
    in.raise_value(in.new_exception(in.e.SystemExit, {Value::from_int(engine::kExitGraceExpired)}));
  }
  // An exception that stopped the shutdown: KeyboardInterrupt (a SIGINT while it waited for the
  // cancelled tasks or the executor) or a SystemExit out of a task (report.shutdown_stop).
  // CPython's Runner.close() runs in the __exit__ of asyncio.run's `with` block, so it leaves
  // asyncio.run in place of main's result or exception, which becomes its __context__ unless
  // it has one of its own (a SystemExit raised while handling the task's CancelledError).
  // (A second SIGINT after one that interrupted main leaves main's KeyboardInterrupt.)
  std::exception_ptr shutdown_error = report.shutdown_stop;
  if (shutdown_error && main_interrupted) {
    try {
      std::rethrow_exception(shutdown_error);
    } catch (const engine::KeyboardInterrupt&) {
      shutdown_error = nullptr;
    } catch (...) {
    }
  }
  if (shutdown_error) {
    Value exc = in.exception_from(shutdown_error);
    if (err) {
      Value context = in.exception_from(err);
      auto* eo = exc.as<ExceptionObject>();
      if (eo != nullptr && eo->context.is_none() && !context.identical(exc))
        eo->context = context;
    }
    in.raise_value(exc);
  }
  if (err)
    in.raise_value(in.exception_from(err));
  return result;
}

// ------------------------------------------------------------------ sleep and friends

Coro<Value> sleep_coro(std::int64_t ns, Value result)
{
  co_await engine::sleep(engine::Duration(ns));
  co_return result;
}

Value asyncio_sleep(Interp& in, const Value&, CallArgs& a)
{
  std::int64_t ns = to_ns(in, arg(in, a, 0, "delay", "sleep"), "delay").value_or(0);
  if (ns < 0)
    ns = 0;
  Value result = arg_or(a, 1, "result");
  return in.awaitable("sleep", [ns, result](Interp&, const std::source_location&) {
    return sleep_coro(ns, result);
  });
}

Value asyncio_create_task(Interp& in, const Value&, CallArgs& a)
{
  return create_task(in, arg(in, a, 0, "coro", "create_task"), arg_or(a, 1, "name"));
}

Value asyncio_ensure_future(Interp& in, const Value&, CallArgs& a)
{
  return ensure_task(in, arg(in, a, 0, "coro_or_future", "ensure_future"));
}

Value asyncio_current_task(Interp& in, const Value&, CallArgs&)
{
  running_loop(in);
  engine::TaskBase* tb = engine::current_task();
  if (tb == nullptr)
    return {};
  return task_for_base(in, tb);
}

Value make_set(Interp& in, const std::vector<Value>& items)
{
  Value s = in.call(Value(static_cast<Object*>(in.t.set)), std::vector<Value>{});
  Value add = in.getattr(s, "add");
  for (const Value& v : items)
    in.call(add, std::vector<Value>{v});
  return s;
}

Value asyncio_iscoroutine(Interp&, const Value&, CallArgs& a)
{
  const Value v = a.args.empty() ? Value() : a.args[0];
  return Value(v.as<CoroutineObject>() != nullptr || is_native_coroutine(v));
}
Value asyncio_iscoroutinefunction(Interp&, const Value&, CallArgs& a)
{
  const Value v = a.args.empty() ? Value() : a.args[0];
  if (auto* f = v.as<FunctionObject>())
    return Value(f->is_async);
  if (auto* m = v.as<BoundMethodObject>())
    if (auto* f = m->fn.as<FunctionObject>())
      return Value(f->is_async);
  return Value(false);
}

Value asyncio_all_tasks(Interp& in, const Value&, CallArgs&)
{
  std::vector<Value> live;
  for (engine::TaskBase* t : running_loop(in).all_tasks())
    live.push_back(task_for_base(in, t));
  return make_set(in, live);
}

// ------------------------------------------------------------------ gather

struct GatherObject : NativeObject
{
  explicit GatherObject(TypeObject* t) : NativeObject(t) {}
  void clear_refs() override { children.clear(); }
  bool is_awaitable() const noexcept override { return true; }
  Coro<Value> await(Interp& in, const std::source_location&) override
  {
    if (plain) {
      auto g = *plain;
      std::vector<Value> vs = co_await g;
      co_return in.list(std::move(vs));
    }
    auto g = *outcomes;
    std::vector<engine::Outcome<Value>> os = co_await g;
    std::vector<Value> vs;
    for (auto& o : os)
      vs.push_back(o.ok() ? o.value() : in.exception_from(o.exception()));
    co_return in.list(std::move(vs));
  }
  std::optional<engine::Gather<std::vector<Value>>> plain;
  std::optional<engine::Gather<std::vector<engine::Outcome<Value>>>> outcomes;
  std::vector<Value> children;
};

Value asyncio_gather(Interp& in, const Value&, CallArgs& a)
{
  bool return_exceptions = false;
  for (auto& [k, v] : a.kwargs) {
    if (k == "return_exceptions")
      return_exceptions = in.truthy(v);
    else
      in.raise(in.e.TypeError, "gather() got an unexpected keyword argument '" + k + "'");
  }
  running_loop(in);
  auto obj = make<GatherObject>(types().gather);
  auto* g = static_cast<GatherObject*>(obj.obj());
  std::vector<engine::Task<Value>> tasks;
  for (const Value& aw : a.args) {
    Value t = ensure_task(in, aw);
    tasks.push_back(as_task(in, t)->task);
    g->children.push_back(t);
  }
  if (return_exceptions)
    g->outcomes.emplace(engine::gather(engine::return_exceptions, std::move(tasks)));
  else
    g->plain.emplace(engine::gather(std::move(tasks)));
  return obj;
}

GatherObject* as_gather(Interp& in, const Value& v)
{
  if (v.is_obj() && v.obj()->type == types().gather)
    return static_cast<GatherObject*>(v.obj());
  in.raise(in.e.TypeError, "a gathering future is required");
}
Value gather_cancel(Interp& in, const Value& self, CallArgs& a)
{
  GatherObject* g = as_gather(in, self);
  Value msg = arg_or(a, 0, "msg");
  const std::string m = msg.is_none() ? "" : to_text(in, msg);
  return Value(g->plain ? g->plain->cancel(m) : g->outcomes->cancel(m));
}
Value gather_done(Interp& in, const Value& self, CallArgs&)
{
  GatherObject* g = as_gather(in, self);
  return Value(g->plain ? g->plain->done() : g->outcomes->done());
}
Value gather_cancelled(Interp& in, const Value& self, CallArgs&)
{
  // CPython's _GatheringFuture never ends cancelled: a cancelled child or gather.cancel() makes
  // it end with a CancelledError *exception* (set_exception), so cancelled() stays False.
  as_gather(in, self);
  return Value(false);
}
Value gather_result(Interp& in, const Value& self, CallArgs&)
{
  GatherObject* g = as_gather(in, self);
  try {
    if (g->plain)
      return in.list(g->plain->result());
    std::vector<Value> vs;
    for (const auto& o : g->outcomes->result())
      vs.push_back(o.ok() ? o.value() : in.exception_from(o.exception()));
    return in.list(std::move(vs));
  } catch (PyException&) {
    throw;
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
}

// ------------------------------------------------------------------ wait_for, shield, wait

Coro<Value> wait_for_coro(Interp& in, Value aw, std::optional<std::int64_t> ns,
                          std::source_location site)
{
  std::optional<engine::Duration> d;
  if (ns)
    d = engine::Duration(*ns);
  if (aw.is_obj() && aw.obj()->type == types().task)
    co_return co_await engine::wait_for(static_cast<TaskObject*>(aw.obj())->task, d);
  if (aw.as<CoroutineObject>() != nullptr) {
    if (d && d->count() <= 0) {
      Value t = create_task(in, aw, {});
      co_return co_await engine::wait_for(static_cast<TaskObject*>(t.obj())->task, d);
    }
    co_return co_await engine::wait_for(as_engine_coro(in, aw), d);
  }
  co_return co_await engine::wait_for(engine_await(in, aw, site), d);
}

Value asyncio_wait_for(Interp& in, const Value&, CallArgs& a)
{
  Value aw = arg(in, a, 0, "fut", "wait_for");
  auto ns = to_ns(in, arg(in, a, 1, "timeout", "wait_for"), "timeout");
  return in.awaitable("wait_for", [aw, ns](Interp& ip, const std::source_location& site) {
    return wait_for_coro(ip, aw, ns, site);
  });
}

Coro<Value> shield_coro(Interp&, Value task)
{
  auto s = engine::shield(static_cast<TaskObject*>(task.obj())->task);
  co_return co_await s;
}

Value asyncio_shield(Interp& in, const Value&, CallArgs& a)
{
  Value t = ensure_task(in, arg(in, a, 0, "arg", "shield"));
  return in.awaitable("shield",
                      [t](Interp& ip, const std::source_location&) { return shield_coro(ip, t); });
}

std::vector<Value> task_list(Interp& in, const Value& aws, const char* fn)
{
  std::vector<Value> out;
  for (const Value& v : in.to_vector(aws)) {
    if (v.as<CoroutineObject>() != nullptr)
      in.raise(in.e.TypeError,
               std::string("Passing coroutines is forbidden, use tasks explicitly."));
    out.push_back(ensure_task(in, v));
  }
  (void)fn;
  return out;
}

Coro<Value> wait_coro(Interp& in, std::vector<Value> tasks, std::optional<std::int64_t> ns,
                      engine::ReturnWhen when)
{
  std::vector<engine::Task<Value>> ts;
  for (const Value& t : tasks)
    ts.push_back(static_cast<TaskObject*>(t.obj())->task);
  std::optional<engine::Duration> d;
  if (ns)
    d = engine::Duration(*ns);
  engine::WaitResult<Value> r = co_await engine::wait(std::move(ts), d, when);
  std::vector<Value> done, pending;
  for (auto& t : r.done)
    done.push_back(wrap_task(in, t, {}));
  for (auto& t : r.pending)
    pending.push_back(wrap_task(in, t, {}));
  co_return in.tuple({make_set(in, done), make_set(in, pending)});
}

Value asyncio_wait(Interp& in, const Value&, CallArgs& a)
{
  std::vector<Value> tasks = task_list(in, arg(in, a, 0, "fs", "wait"), "wait");
  if (tasks.empty())
    in.raise(in.e.ValueError, "Set of Tasks/Futures is empty.");
  auto ns = to_ns(in, arg_or(a, 1, "timeout"), "timeout");
  std::string when = "ALL_COMPLETED";
  if (const Value* w = find_arg(a, 2, "return_when"))
    when = to_text(in, *w);
  engine::ReturnWhen rw = engine::ReturnWhen::AllCompleted;
  if (when == "FIRST_COMPLETED")
    rw = engine::ReturnWhen::FirstCompleted;
  else if (when == "FIRST_EXCEPTION")
    rw = engine::ReturnWhen::FirstException;
  else if (when != "ALL_COMPLETED")
    in.raise(in.e.ValueError, "Invalid return_when value: " + when);
  return in.awaitable("wait", [tasks, ns, rw](Interp& ip, const std::source_location&) {
    return wait_coro(ip, tasks, ns, rw);
  });
}

// as_completed: an iterator of awaitables, each giving the next result.
struct AsCompletedObject : NativeObject
{
  AsCompletedObject(TypeObject* t, engine::AsCompleted<Value> a) : NativeObject(t), ac(std::move(a))
  {}
  void clear_refs() override { tasks.clear(); }
  engine::AsCompleted<Value> ac;
  std::vector<Value> tasks;
};

Coro<Value> as_completed_next(Interp&, Value holder)
{
  auto* o = static_cast<AsCompletedObject*>(holder.obj());
  co_return co_await o->ac.next_result();
}

Value asyncio_as_completed(Interp& in, const Value&, CallArgs& a)
{
  std::vector<Value> tasks;
  for (const Value& v : in.to_vector(arg(in, a, 0, "fs", "as_completed")))
    tasks.push_back(ensure_task(in, v));
  auto ns = to_ns(in, arg_or(a, 1, "timeout"), "timeout");
  std::vector<engine::Task<Value>> ts;
  for (const Value& t : tasks)
    ts.push_back(static_cast<TaskObject*>(t.obj())->task);
  std::optional<engine::Duration> d;
  if (ns)
    d = engine::Duration(*ns);
  Value holder =
      make<AsCompletedObject>(types().as_completed_iter, engine::as_completed(std::move(ts), d));
  static_cast<AsCompletedObject*>(holder.obj())->tasks = tasks;
  const std::size_t n = static_cast<AsCompletedObject*>(holder.obj())->ac.size();
  std::vector<Value> aws;
  for (std::size_t i = 0; i < n; ++i)
    aws.push_back(in.awaitable("as_completed", [holder](Interp& ip, const std::source_location&) {
      return as_completed_next(ip, holder);
    }));
  return in.iter(in.list(std::move(aws)));
}

// ------------------------------------------------------------------ timeout

struct TimeoutObject : NativeObject
{
  TimeoutObject(TypeObject* t, std::optional<engine::TimePoint> w, Value seconds)
      : NativeObject(t)
      , when(w)
      , when_seconds(std::move(seconds))
  {}
  std::unique_ptr<engine::Timeout> scope;
  std::optional<engine::TimePoint> when;
  /// What when() returns: the float Python passed or computed (nanoseconds do not round-trip).
  Value when_seconds;
};

TimeoutObject* as_timeout(Interp& in, const Value& v)
{
  if (v.is_obj() && v.obj()->type == types().timeout)
    return static_cast<TimeoutObject*>(v.obj());
  in.raise(in.e.TypeError, "a Timeout is required");
}

std::optional<engine::TimePoint> when_from(Interp& in, const Value& v)
{
  if (v.is_none())
    return std::nullopt;
  const double s = to_double(in, v, "when");
  return engine::from_ns(static_cast<std::int64_t>(std::llround(s * 1e9)));
}

Value asyncio_timeout(Interp& in, const Value&, CallArgs& a)
{
  engine::Loop& loop = running_loop(in);
  Value delay = arg(in, a, 0, "delay", "timeout");
  auto ns = to_ns(in, delay, "delay");
  std::optional<engine::TimePoint> when;
  Value seconds;
  if (ns) {
    when = loop.now() + engine::Duration(*ns);
    seconds = Value::from_float(static_cast<double>(engine::to_ns(loop.now())) / 1e9 +
                                to_double(in, delay, "delay"));
  }
  return make<TimeoutObject>(types().timeout, when, seconds);
}

Value asyncio_timeout_at(Interp& in, const Value&, CallArgs& a)
{
  running_loop(in);
  Value w = arg(in, a, 0, "when", "timeout_at");
  return make<TimeoutObject>(types().timeout, when_from(in, w), w);
}

Value timeout_aenter(Interp& in, const Value& self, CallArgs&)
{
  TimeoutObject* t = as_timeout(in, self);
  if (t->scope)
    in.raise(in.e.RuntimeError, "Timeout has already been entered");
  t->scope = std::make_unique<engine::Timeout>(running_loop(in), t->when);
  try {
    t->scope->enter_scope();
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
  return ready_awaitable(in, "Timeout.__aenter__", self);
}

Value timeout_aexit(Interp& in, const Value& self, CallArgs& a)
{
  TimeoutObject* t = as_timeout(in, self);
  Value exc = arg_or(a, 1, "exc_val");
  const bool raised_cancel = !exc.is_none() && in.isinstance(exc, in.e.CancelledError);
  const bool convert = t->scope ? t->scope->exit_scope(raised_cancel) : false;
  if (convert) {
    Value te = in.new_exception(in.e.TimeoutError, {});
    auto* e = te.as<ExceptionObject>();
    e->cause = exc;
    e->context = exc;
    e->suppress_context = true;
    in.raise_value(te);
  }
  return in.awaitable("Timeout.__aexit__", [](Interp&, const std::source_location&) {
    return value_coro(Value(false));
  });
}

Value timeout_when(Interp& in, const Value& self, CallArgs&)
{
  TimeoutObject* t = as_timeout(in, self);
  return t->when_seconds;
}

Value timeout_reschedule(Interp& in, const Value& self, CallArgs& a)
{
  TimeoutObject* t = as_timeout(in, self);
  Value wv = arg(in, a, 0, "when", "reschedule");
  auto w = when_from(in, wv);
  if (!t->scope)
    in.raise(in.e.RuntimeError, "Timeout has not been entered");
  try {
    t->scope->reschedule(w);
    t->when_seconds = wv;
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
  return {};
}

Value timeout_expired(Interp& in, const Value& self, CallArgs&)
{
  TimeoutObject* t = as_timeout(in, self);
  return Value(t->scope && t->scope->expired());
}

// ------------------------------------------------------------------ TaskGroup

struct TaskGroupObject : NativeObject
{
  explicit TaskGroupObject(TypeObject* t) : NativeObject(t) {}
  void clear_refs() override { tasks.clear(); }
  std::unique_ptr<engine::TaskGroup> group;
  std::vector<Value> tasks;
  bool entered = false;
};

TaskGroupObject* as_tg(Interp& in, const Value& v)
{
  if (v.is_obj() && v.obj()->type == types().taskgroup)
    return static_cast<TaskGroupObject*>(v.obj());
  in.raise(in.e.TypeError, "a TaskGroup is required");
}

Value taskgroup_new(Interp&, const Value&, CallArgs&)
{
  return make<TaskGroupObject>(types().taskgroup);
}

Value taskgroup_aenter(Interp& in, const Value& self, CallArgs&)
{
  TaskGroupObject* g = as_tg(in, self);
  if (g->entered)
    in.raise(in.e.RuntimeError, "TaskGroup has already been entered");
  running_loop(in);
  g->entered = true;
  g->group = std::make_unique<engine::TaskGroup>();
  try {
    g->group->enter_scope();
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
  return ready_awaitable(in, "TaskGroup.__aenter__", self);
}

Coro<Value> taskgroup_exit_coro(Interp& in, Value self, Value exc)
{
  TaskGroupObject* g = as_tg(in, self);
  std::exception_ptr body = exc.is_none() ? nullptr : in.to_engine(exc);
  std::exception_ptr r = co_await g->group->exit_scope(body);
  if (r && r != body)
    std::rethrow_exception(r);
  co_return Value(false);
}

Value taskgroup_aexit(Interp& in, const Value& self, CallArgs& a)
{
  as_tg(in, self);
  Value exc = arg_or(a, 1, "exc_val");
  Value me = self;
  return in.awaitable("TaskGroup.__aexit__", [me, exc](Interp& ip, const std::source_location&) {
    return taskgroup_exit_coro(ip, me, exc);
  });
}

Value taskgroup_create_task(Interp& in, const Value& self, CallArgs& a)
{
  TaskGroupObject* g = as_tg(in, self);
  Value coro = arg(in, a, 0, "coro", "create_task");
  Value name = arg_or(a, 1, "name");
  if (!g->group)
    in.raise(in.e.RuntimeError,
             "TaskGroup " + std::string("<TaskGroup>") + " has not been entered");
  if (coro.as<CoroutineObject>() == nullptr)
    in.raise(in.e.TypeError, "a coroutine was expected, got " + in.repr(coro));
  std::string nm = name.is_none() ? default_task_name(in) : to_text(in, name);
  try {
    engine::Task<Value> t = g->group->create_task(as_engine_coro(in, coro), nm, here(in));
    Value obj = wrap_task(in, std::move(t), coro);
    return obj;
  } catch (PyException&) {
    throw;
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
}

// ------------------------------------------------------------------ sync primitives

// Primitives are created lazily on the running loop: Python allows making them before
// asyncio.run (they bind to a loop on first use).
struct EventObject : NativeObject
{
  explicit EventObject(TypeObject* t) : NativeObject(t) {}
  engine::Event& get(Interp& in)
  {
    if (!ev) {
      ev = std::make_unique<engine::Event>(running_loop(in));
      if (early_set)
        ev->set();
    }
    return *ev;
  }
  std::unique_ptr<engine::Event> ev;
  bool early_set = false;
};

template <class O>
O* as_native(Interp& in, const Value& v, TypeObject* t, const char* what)
{
  if (v.is_obj() && v.obj()->type->is_subtype_of(t))
    return static_cast<O*>(v.obj());
  in.raise(in.e.TypeError, std::string("descriptor requires a '") + what + "' object");
}

Value event_new(Interp&, const Value&, CallArgs&)
{
  return make<EventObject>(types().event);
}
Value event_is_set(Interp& in, const Value& self, CallArgs&)
{
  auto* e = as_native<EventObject>(in, self, types().event, "Event");
  return Value(e->ev ? e->ev->is_set() : e->early_set);
}
Value event_set(Interp& in, const Value& self, CallArgs&)
{
  auto* e = as_native<EventObject>(in, self, types().event, "Event");
  if (e->ev)
    e->ev->set();
  else if (in.loop() != nullptr)
    e->get(in).set();
  else
    e->early_set = true;
  return {};
}
Value event_clear(Interp& in, const Value& self, CallArgs&)
{
  auto* e = as_native<EventObject>(in, self, types().event, "Event");
  if (e->ev)
    e->ev->clear();
  e->early_set = false;
  return {};
}
Coro<Value> event_wait_coro(Interp& in, Value self)
{
  auto* e = static_cast<EventObject*>(self.obj());
  co_await e->get(in).wait();
  co_return Value(true);
}
Value event_wait(Interp& in, const Value& self, CallArgs&)
{
  as_native<EventObject>(in, self, types().event, "Event");
  return method_awaitable(in, self, "Event.wait", event_wait_coro);
}

// Lock, Semaphore, BoundedSemaphore, Condition share acquire/release/locked/async with.
struct LockObject : NativeObject
{
  LockObject(TypeObject* t, int k, int v) : NativeObject(t), kind(k), initial(v) {}
  void clear_refs() override { lock_ref = Value(); }
  int kind;  // 0 Lock, 1 Semaphore, 2 BoundedSemaphore, 3 Condition
  int initial;
  std::unique_ptr<engine::Lock> lock;
  std::unique_ptr<engine::Semaphore> sem;
  std::unique_ptr<engine::Condition> cond;
  Value lock_ref;  ///< Condition(lock)

  void ensure(Interp& in)
  {
    engine::Loop& loop = running_loop(in);
    if (kind == 0 && !lock)
      lock = std::make_unique<engine::Lock>(loop);
    if (kind == 1 && !sem)
      sem = std::make_unique<engine::Semaphore>(loop, initial);
    if (kind == 2 && !sem)
      sem = std::make_unique<engine::BoundedSemaphore>(loop, initial);
    if (kind == 3 && !cond) {
      if (auto* l = lock_ref.is_none() ? nullptr : static_cast<LockObject*>(lock_ref.obj())) {
        l->ensure(in);
        cond = std::make_unique<engine::Condition>(loop, *l->lock);
      } else {
        cond = std::make_unique<engine::Condition>(loop);
      }
    }
  }
  bool locked() const
  {
    if (kind == 0)
      return lock && lock->locked();
    if (kind == 3)
      return cond && cond->locked();
    return sem ? sem->locked() : initial == 0;
  }
};

LockObject* as_lock(Interp& in, const Value& v)
{
  return as_native<LockObject>(in, v, types().lock, "Lock");
}

Value lock_new(Interp&, const Value&, CallArgs&)
{
  return make<LockObject>(types().lock, 0, 1);
}
Value semaphore_new(Interp& in, const Value&, CallArgs& a)
{
  Value v = arg_or(a, 0, "value", Value::from_int(1));
  if (!v.is_intlike() || v.as_int() < 0)
    in.raise(in.e.ValueError, "Semaphore initial value must be >= 0");
  return make<LockObject>(types().semaphore, 1, static_cast<int>(v.as_int()));
}
Value bounded_semaphore_new(Interp& in, const Value&, CallArgs& a)
{
  Value v = arg_or(a, 0, "value", Value::from_int(1));
  if (!v.is_intlike() || v.as_int() < 0)
    in.raise(in.e.ValueError, "Semaphore initial value must be >= 0");
  Value o = make<LockObject>(types().bounded, 2, static_cast<int>(v.as_int()));
  return o;
}
Value condition_new(Interp& in, const Value&, CallArgs& a)
{
  Value o = make<LockObject>(types().condition, 3, 1);
  Value l = arg_or(a, 0, "lock");
  if (!l.is_none()) {
    auto* lo = as_lock(in, l);
    if (lo->kind != 0)
      in.raise(in.e.TypeError, "Condition() needs an asyncio.Lock");
    static_cast<LockObject*>(o.obj())->lock_ref = l;
  }
  return o;
}

Coro<Value> acquire_coro(Interp& in, Value self)
{
  auto* l = static_cast<LockObject*>(self.obj());
  l->ensure(in);
  if (l->kind == 0)
    co_await l->lock->acquire();
  else if (l->kind == 3)
    co_await l->cond->acquire();
  else
    co_await l->sem->acquire();
  co_return Value(true);
}
Value lock_acquire(Interp& in, const Value& self, CallArgs&)
{
  as_lock(in, self);
  return method_awaitable(in, self, "acquire", acquire_coro);
}
Value lock_release(Interp& in, const Value& self, CallArgs&)
{
  auto* l = as_lock(in, self);
  try {
    if (in.loop() == nullptr && l->kind == 0 && !l->lock)
      in.raise(in.e.RuntimeError, "Lock is not acquired.");
    l->ensure(in);
    if (l->kind == 0)
      l->lock->release();
    else if (l->kind == 3)
      l->cond->release();
    else
      l->sem->release();
  } catch (PyException&) {
    throw;
  } catch (const std::exception& x) {
    const std::string what = x.what();
    in.raise(
        what.find("released too many") != std::string::npos ? in.e.ValueError : in.e.RuntimeError,
        what);
  }
  return {};
}
Value lock_locked(Interp& in, const Value& self, CallArgs&)
{
  return Value(as_lock(in, self)->locked());
}
Value lock_aenter(Interp& in, const Value& self, CallArgs& a)
{
  Value aw = lock_acquire(in, self, a);
  return aw;
}
Value lock_aexit(Interp& in, const Value& self, CallArgs& a)
{
  lock_release(in, self, a);
  return in.awaitable(
      "release", [](Interp&, const std::source_location&) { return value_coro(Value(false)); });
}
Coro<Value> cond_wait_coro(Interp& in, Value self)
{
  auto* l = static_cast<LockObject*>(self.obj());
  l->ensure(in);
  co_await l->cond->wait();
  co_return Value(true);
}
Value cond_wait(Interp& in, const Value& self, CallArgs&)
{
  auto* l = as_lock(in, self);
  if (l->kind != 3)
    in.raise(in.e.TypeError, "not a Condition");
  if (!l->locked())
    in.raise(in.e.RuntimeError, "cannot wait on un-acquired lock");
  return method_awaitable(in, self, "Condition.wait", cond_wait_coro);
}
Coro<Value> cond_wait_for_coro(Interp& in, Value self, Value pred)
{
  auto* l = static_cast<LockObject*>(self.obj());
  l->ensure(in);
  Value result = in.call(pred, std::vector<Value>{});
  while (!in.truthy(result)) {
    co_await l->cond->wait();
    result = in.call(pred, std::vector<Value>{});
  }
  co_return result;
}
Value cond_wait_for(Interp& in, const Value& self, CallArgs& a)
{
  as_lock(in, self);
  Value me = self;
  Value pred = arg(in, a, 0, "predicate", "wait_for");
  return in.awaitable("Condition.wait_for", [me, pred](Interp& ip, const std::source_location&) {
    return cond_wait_for_coro(ip, me, pred);
  });
}
Value cond_notify(Interp& in, const Value& self, CallArgs& a)
{
  auto* l = as_lock(in, self);
  if (!l->locked())
    in.raise(in.e.RuntimeError, "cannot notify on un-acquired lock");
  Value n = arg_or(a, 0, "n", Value::from_int(1));
  l->ensure(in);
  l->cond->notify(static_cast<std::size_t>(n.as_int()));
  return {};
}
Value cond_notify_all(Interp& in, const Value& self, CallArgs&)
{
  auto* l = as_lock(in, self);
  if (!l->locked())
    in.raise(in.e.RuntimeError, "cannot notify on un-acquired lock");
  l->ensure(in);
  l->cond->notify_all();
  return {};
}

// ------------------------------------------------------------------ Queue

struct PyLess
{
  Interp* in = nullptr;
  bool operator()(const Value& a, const Value& b) const { return in->lt(a, b); }
};

// asyncio.Queue, LifoQueue and PriorityQueue: one Python type, three engine queues.
struct QueueObject : NativeObject
{
  enum class Order : std::uint8_t { Fifo, Lifo, Priority };
  QueueObject(TypeObject* t, int m, Order o) : NativeObject(t), maxsize(m), order(o) {}
  void clear_refs() override
  {
    fifo.reset();
    lifo.reset();
    prio.reset();
  }
  engine::detail::QueueBase& base(Interp& in)
  {
    ensure(in);
    if (fifo)
      return *fifo;
    if (lifo)
      return *lifo;
    return *prio;
  }
  void ensure(Interp& in)
  {
    if (fifo || lifo || prio)
      return;
    engine::Loop& loop = running_loop(in);
    if (order == Order::Fifo)
      fifo = std::make_unique<engine::Queue<Value>>(loop, maxsize);
    else if (order == Order::Lifo)
      lifo = std::make_unique<engine::LifoQueue<Value>>(loop, maxsize);
    else
      prio = std::make_unique<engine::PriorityQueue<Value, PyLess>>(loop, maxsize, "", PyLess{&in});
  }
  bool created() const { return fifo || lifo || prio; }
  template <class F>
  decltype(auto) with(Interp& in, F&& f)
  {
    ensure(in);
    if (fifo)
      return f(*fifo);
    if (lifo)
      return f(*lifo);
    return f(*prio);
  }
  int maxsize;
  Order order;
  std::unique_ptr<engine::Queue<Value>> fifo;
  std::unique_ptr<engine::LifoQueue<Value>> lifo;
  std::unique_ptr<engine::PriorityQueue<Value, PyLess>> prio;
};

QueueObject* as_queue(Interp& in, const Value& v)
{
  return as_native<QueueObject>(in, v, types().queue, "Queue");
}

Value make_queue(Interp& in, CallArgs& a, QueueObject::Order order)
{
  Value m = arg_or(a, 0, "maxsize", Value::from_int(0));
  if (!m.is_intlike())
    in.raise(in.e.TypeError, "maxsize must be an int");
  return make<QueueObject>(types().queue, static_cast<int>(m.as_int()), order);
}
Value queue_new(Interp& in, const Value&, CallArgs& a)
{
  return make_queue(in, a, QueueObject::Order::Fifo);
}
Value lifo_queue_new(Interp& in, const Value&, CallArgs& a)
{
  return make_queue(in, a, QueueObject::Order::Lifo);
}
Value priority_queue_new(Interp& in, const Value&, CallArgs& a)
{
  return make_queue(in, a, QueueObject::Order::Priority);
}

template <class F>
auto engine_call(Interp& in, F&& f) -> decltype(f())
{
  try {
    return f();
  } catch (PyException&) {
    throw;
  } catch (const std::invalid_argument& x) {
    in.raise(in.e.ValueError, x.what());
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
}

Coro<Value> queue_put_coro(Interp& in, Value self, Value item)
{
  auto* q = static_cast<QueueObject*>(self.obj());
  q->ensure(in);
  if (q->fifo)
    co_await q->fifo->put(std::move(item));
  else if (q->lifo)
    co_await q->lifo->put(std::move(item));
  else
    co_await q->prio->put(std::move(item));
  co_return Value();
}
Coro<Value> queue_get_coro(Interp& in, Value self)
{
  auto* q = static_cast<QueueObject*>(self.obj());
  q->ensure(in);
  if (q->fifo)
    co_return co_await q->fifo->get();
  if (q->lifo)
    co_return co_await q->lifo->get();
  co_return co_await q->prio->get();
}
Coro<Value> queue_join_coro(Interp& in, Value self)
{
  co_await static_cast<QueueObject*>(self.obj())->base(in).join();
  co_return Value();
}

Value queue_put(Interp& in, const Value& self, CallArgs& a)
{
  as_queue(in, self);
  Value me = self;
  Value item = arg(in, a, 0, "item", "put");
  return in.awaitable("Queue.put", [me, item](Interp& ip, const std::source_location&) {
    return queue_put_coro(ip, me, item);
  });
}
Value queue_get(Interp& in, const Value& self, CallArgs&)
{
  as_queue(in, self);
  return method_awaitable(in, self, "Queue.get", queue_get_coro);
}
Value queue_join(Interp& in, const Value& self, CallArgs&)
{
  as_queue(in, self);
  return method_awaitable(in, self, "Queue.join", queue_join_coro);
}
Value queue_put_nowait(Interp& in, const Value& self, CallArgs& a)
{
  QueueObject* q = as_queue(in, self);
  Value item = arg(in, a, 0, "item", "put_nowait");
  engine_call(in, [&] { q->with(in, [&](auto& qq) { qq.put_nowait(item); }); });
  return {};
}
Value queue_get_nowait(Interp& in, const Value& self, CallArgs&)
{
  QueueObject* q = as_queue(in, self);
  return engine_call(in, [&] { return q->with(in, [](auto& qq) { return qq.get_nowait(); }); });
}
Value queue_task_done(Interp& in, const Value& self, CallArgs&)
{
  QueueObject* q = as_queue(in, self);
  try {
    q->base(in).task_done();
  } catch (const std::invalid_argument&) {
    in.raise(in.e.ValueError, "task_done() called too many times");
  }
  return {};
}
Value queue_qsize(Interp& in, const Value& self, CallArgs&)
{
  QueueObject* q = as_queue(in, self);
  return Value::from_int(q->created() ? static_cast<std::int64_t>(q->base(in).qsize()) : 0);
}
Value queue_empty(Interp& in, const Value& self, CallArgs&)
{
  QueueObject* q = as_queue(in, self);
  return Value(!q->created() || q->base(in).empty());
}
Value queue_full(Interp& in, const Value& self, CallArgs&)
{
  QueueObject* q = as_queue(in, self);
  return Value(q->created() ? q->base(in).full() : false);
}
Value queue_maxsize(Interp& in, const Value& self, CallArgs&)
{
  return Value::from_int(as_queue(in, self)->maxsize);
}
Value queue_shutdown(Interp& in, const Value& self, CallArgs& a)
{
  QueueObject* q = as_queue(in, self);
  q->base(in).shutdown(in.truthy(arg_or(a, 0, "immediate", Value(false))));
  return {};
}

// ------------------------------------------------------------------ Future

struct FutureObject : NativeObject
{
  FutureObject(TypeObject* t, engine::Loop& loop) : NativeObject(t), fut(loop) {}
  void clear_refs() override { callbacks.clear(); }
  bool is_awaitable() const noexcept override { return true; }
  Coro<Value> await(Interp&, const std::source_location&) override
  {
    engine::Future<Value> f = fut;
    co_return co_await f;
  }
  engine::Future<Value> fut;
  std::vector<Value> callbacks;
  bool hooked = false;
};

FutureObject* as_future(Interp& in, const Value& v)
{
  if (v.is_obj() && v.obj()->type == types().future)
    return static_cast<FutureObject*>(v.obj());
  in.raise(in.e.TypeError, "a Future is required");
}

Value new_future(Interp& in)
{
  return make<FutureObject>(types().future, running_loop(in));
}
Value future_ctor(Interp& in, const Value&, CallArgs&)
{
  return new_future(in);
}
Value loop_create_future(Interp& in, const Value&, CallArgs&)
{
  return new_future(in);
}
Value future_set_result(Interp& in, const Value& self, CallArgs& a)
{
  FutureObject* f = as_future(in, self);
  Value v = arg(in, a, 0, "result", "set_result");
  if (f->fut.done())
    in.raise(in.e.InvalidStateError, "invalid state");
  f->fut.set_result(std::move(v));
  return {};
}
Value future_set_exception(Interp& in, const Value& self, CallArgs& a)
{
  FutureObject* f = as_future(in, self);
  Value e = arg(in, a, 0, "exception", "set_exception");
  if (e.as<TypeObject>() != nullptr)
    e = in.call(e, std::vector<Value>{});
  if (e.as<ExceptionObject>() == nullptr)
    in.raise(in.e.TypeError, "invalid exception object");
  if (f->fut.done())
    in.raise(in.e.InvalidStateError, "invalid state");
  f->fut.set_exception(in.to_engine(e));
  return {};
}
Value future_result(Interp& in, const Value& self, CallArgs&)
{
  FutureObject* f = as_future(in, self);
  if (!f->fut.done())
    in.raise(in.e.InvalidStateError, "Result is not set.");
  try {
    return f->fut.result();
  } catch (...) {
    in.raise_value(in.exception_from(std::current_exception()));
  }
}
Value future_exception(Interp& in, const Value& self, CallArgs&)
{
  FutureObject* f = as_future(in, self);
  if (!f->fut.done())
    in.raise(in.e.InvalidStateError, "Exception is not set.");
  if (f->fut.cancelled())
    in.raise_value(in.exception_from(
        std::make_exception_ptr(engine::CancelledError(f->fut.cancel_message()))));
  std::exception_ptr e = f->fut.exception();
  return e ? in.exception_from(e) : Value();
}
Value future_done(Interp& in, const Value& self, CallArgs&)
{
  return Value(as_future(in, self)->fut.done());
}
Value future_cancelled(Interp& in, const Value& self, CallArgs&)
{
  return Value(as_future(in, self)->fut.cancelled());
}
Value future_cancel(Interp& in, const Value& self, CallArgs& a)
{
  Value msg = arg_or(a, 0, "msg");
  return Value(as_future(in, self)->fut.cancel(msg.is_none() ? "" : to_text(in, msg)));
}
Value future_add_done_callback(Interp& in, const Value& self, CallArgs& a)
{
  FutureObject* f = as_future(in, self);
  f->callbacks.push_back(arg(in, a, 0, "fn", "add_done_callback"));
  if (!f->hooked) {
    f->hooked = true;
    Interp* ip = &in;
    Value me = self;
    f->fut.add_done_callback([ip, me] {
      auto* fo = static_cast<FutureObject*>(me.obj());
      std::vector<Value> cbs = std::move(fo->callbacks);
      fo->callbacks.clear();
      for (const Value& cb : cbs) {
        try {
          ip->call(cb, std::vector<Value>{me});
        } catch (PyException& x) {
          ip->io().err("Exception in callback " + ip->repr(cb) + "\n");
          ip->print_traceback(x.exc);
        }
      }
    });
  }
  return {};
}
Value future_remove_done_callback(Interp& in, const Value& self, CallArgs& a)
{
  FutureObject* f = as_future(in, self);
  Value fn = arg(in, a, 0, "fn", "remove_done_callback");
  std::int64_t n = 0;
  for (auto it = f->callbacks.begin(); it != f->callbacks.end();) {
    if (in.eq(*it, fn)) {
      it = f->callbacks.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return Value::from_int(n);
}

bool g_debug = false;
Value loop_is_closed(Interp& in, const Value&, CallArgs&)
{
  return Value(in.loop() == nullptr);
}

// ------------------------------------------------------------------ streams

struct ReaderObject : NativeObject
{
  ReaderObject(TypeObject* t, engine::StreamReader r) : NativeObject(t), reader(std::move(r)) {}
  engine::StreamReader reader;
};
struct WriterObject : NativeObject
{
  WriterObject(TypeObject* t, engine::StreamWriter w) : NativeObject(t), writer(std::move(w)) {}
  engine::StreamWriter writer;
};
struct ServerObject : NativeObject
{
  ServerObject(TypeObject* t, engine::Server s) : NativeObject(t), server(std::move(s)) {}
  void clear_refs() override { callback = Value(); }
  engine::Server server;
  Value callback;
};
struct SockObject : NativeObject
{
  SockObject(TypeObject* t, engine::SocketAddress a) : NativeObject(t), addr(std::move(a)) {}
  engine::SocketAddress addr;
};
struct StreamTypes
{
  TypeObject *reader, *writer, *server, *sock;
};
StreamTypes& stypes()
{
  static StreamTypes t{};
  return t;
}

Value addr_tuple(Interp& in, const engine::SocketAddress& a)
{
  return in.tuple({in.str(a.host), Value::from_int(a.port)});
}

std::string bytes_arg(Interp& in, const Value& v, const char* what)
{
  if (auto* b = v.as<BytesObject>())
    return b->s;
  in.raise(in.e.TypeError,
           std::string(what) + " requires a bytes-like object, not '" + in.type_name(v) + "'");
}

ReaderObject* as_reader(const Value& v)
{
  return static_cast<ReaderObject*>(v.obj());
}
WriterObject* as_writer(const Value& v)
{
  return static_cast<WriterObject*>(v.obj());
}

Coro<Value> reader_read_coro(Interp& in, Value self, std::int64_t n)
{
  std::string s = co_await as_reader(self)->reader.read(n);
  co_return in.bytes(std::move(s));
}
Coro<Value> reader_readexactly_coro(Interp& in, Value self, std::int64_t n)
{
  std::string s = co_await as_reader(self)->reader.readexactly(static_cast<std::size_t>(n));
  co_return in.bytes(std::move(s));
}
Coro<Value> reader_readline_coro(Interp& in, Value self)
{
  std::string s = co_await as_reader(self)->reader.readline();
  co_return in.bytes(std::move(s));
}
Coro<Value> reader_readuntil_coro(Interp& in, Value self, std::string sep)
{
  std::string s = co_await as_reader(self)->reader.readuntil(std::move(sep));
  co_return in.bytes(std::move(s));
}
Value reader_read(Interp& in, const Value& self, CallArgs& a)
{
  const std::int64_t n = arg_or(a, 0, "n", Value::from_int(-1)).as_int();
  Value me = self;
  return in.awaitable("StreamReader.read", [me, n](Interp& ip, const std::source_location&) {
    return reader_read_coro(ip, me, n);
  });
}
Value reader_readexactly(Interp& in, const Value& self, CallArgs& a)
{
  const std::int64_t n = arg(in, a, 0, "n", "readexactly").as_int();
  if (n < 0)
    in.raise(in.e.ValueError, "readexactly size can not be less than zero");
  Value me = self;
  return in.awaitable("StreamReader.readexactly", [me, n](Interp& ip, const std::source_location&) {
    return reader_readexactly_coro(ip, me, n);
  });
}
Value reader_readline(Interp& in, const Value& self, CallArgs&)
{
  return method_awaitable(in, self, "StreamReader.readline", reader_readline_coro);
}
Value reader_readuntil(Interp& in, const Value& self, CallArgs& a)
{
  std::string sep = bytes_arg(in, arg_or(a, 0, "separator", in.bytes("\n")), "readuntil()");
  Value me = self;
  return in.awaitable("StreamReader.readuntil", [me, sep](Interp& ip, const std::source_location&) {
    return reader_readuntil_coro(ip, me, sep);
  });
}
Value reader_at_eof(Interp&, const Value& self, CallArgs&)
{
  return Value(as_reader(self)->reader.at_eof());
}

Value writer_write(Interp& in, const Value& self, CallArgs& a)
{
  const std::string data = bytes_arg(in, arg(in, a, 0, "data", "write"), "write()");
  engine_call(in, [&] { as_writer(self)->writer.write(data); });
  return {};
}
Value writer_writelines(Interp& in, const Value& self, CallArgs& a)
{
  for (const Value& v : in.to_vector(arg(in, a, 0, "data", "writelines"))) {
    const std::string data = bytes_arg(in, v, "writelines()");
    engine_call(in, [&] { as_writer(self)->writer.write(data); });
  }
  return {};
}
Coro<Value> writer_drain_coro(Interp&, Value self)
{
  co_await as_writer(self)->writer.drain();
  co_return Value();
}
Coro<Value> writer_wait_closed_coro(Interp&, Value self)
{
  co_await as_writer(self)->writer.wait_closed();
  co_return Value();
}
Value writer_drain(Interp& in, const Value& self, CallArgs&)
{
  return method_awaitable(in, self, "StreamWriter.drain", writer_drain_coro);
}
Value writer_wait_closed(Interp& in, const Value& self, CallArgs&)
{
  return method_awaitable(in, self, "StreamWriter.wait_closed", writer_wait_closed_coro);
}
Value writer_close(Interp&, const Value& self, CallArgs&)
{
  as_writer(self)->writer.close();
  return {};
}
Value writer_is_closing(Interp&, const Value& self, CallArgs&)
{
  return Value(as_writer(self)->writer.is_closing());
}
Value writer_write_eof(Interp& in, const Value& self, CallArgs&)
{
  engine_call(in, [&] { as_writer(self)->writer.write_eof(); });
  return {};
}
Value writer_can_write_eof(Interp&, const Value&, CallArgs&)
{
  return Value(true);
}
Value writer_get_extra_info(Interp& in, const Value& self, CallArgs& a)
{
  const std::string name = to_text(in, arg(in, a, 0, "name", "get_extra_info"));
  WriterObject* w = as_writer(self);
  if (name == "peername")
    return addr_tuple(in, w->writer.peer_address());
  if (name == "sockname")
    return addr_tuple(in, w->writer.local_address());
  return arg_or(a, 1, "default");
}

Coro<Value> open_connection_coro(Interp& in, std::string host, std::uint16_t port)
{
  engine::StreamPair p = co_await engine::open_connection(std::move(host), port);
  co_return in.tuple({make<ReaderObject>(stypes().reader, std::move(p.first)),
                      make<WriterObject>(stypes().writer, std::move(p.second))});
}

std::uint16_t port_arg(Interp& in, const Value& v)
{
  if (v.is_none())
    return 0;
  if (!v.is_intlike() || v.as_int() < 0 || v.as_int() > 65535)
    in.raise(in.e.OverflowError, "port must be 0-65535.");
  return static_cast<std::uint16_t>(v.as_int());
}

Value asyncio_open_connection(Interp& in, const Value&, CallArgs& a)
{
  std::string host = to_text(in, arg(in, a, 0, "host", "open_connection"));
  const std::uint16_t port = port_arg(in, arg(in, a, 1, "port", "open_connection"));
  in.sandbox_check("asyncio.open_connection()");
  return in.awaitable("open_connection", [host, port](Interp& ip, const std::source_location&) {
    return open_connection_coro(ip, host, port);
  });
}

// A client handler: call the Python callback; if it returns a coroutine, run it in the task.
Coro<void> client_connected(Interp& in, Value cb, engine::StreamReader r, engine::StreamWriter w)
{
  Value reader = make<ReaderObject>(stypes().reader, std::move(r));
  Value writer = make<WriterObject>(stypes().writer, std::move(w));
  std::exception_ptr err;
  try {
    Value res = in.call(cb, std::vector<Value>{reader, writer});
    if (res.as<CoroutineObject>() != nullptr || is_native_coroutine(res))
      co_await engine_await(in, res, in.current_site());
  } catch (PyException& x) {
    err = in.to_engine(x.exc);
  }
  if (err)
    std::rethrow_exception(err);
}

Coro<Value> start_server_coro(Interp& in, Value cb, std::string host, std::uint16_t port)
{
  Interp* ip = &in;
  engine::ClientConnected handler = [ip, cb](engine::StreamReader r, engine::StreamWriter w) {
    return client_connected(*ip, cb, std::move(r), std::move(w));
  };
  engine::Server server = co_await engine::start_server(std::move(handler), std::move(host), port);
  Value obj = make<ServerObject>(stypes().server, std::move(server));
  static_cast<ServerObject*>(obj.obj())->callback = cb;
  co_return obj;
}

Value asyncio_start_server(Interp& in, const Value&, CallArgs& a)
{
  Value cb = arg(in, a, 0, "client_connected_cb", "start_server");
  std::string host = to_text(in, arg_or(a, 1, "host", in.str("127.0.0.1")));
  const std::uint16_t port = port_arg(in, arg_or(a, 2, "port"));
  in.sandbox_check("asyncio.start_server()");
  return in.awaitable("start_server", [cb, host, port](Interp& ip, const std::source_location&) {
    return start_server_coro(ip, cb, host, port);
  });
}

ServerObject* as_server(const Value& v)
{
  return static_cast<ServerObject*>(v.obj());
}
Value server_sockets(Interp& in, const Value& self, CallArgs&)
{
  std::vector<Value> out;
  for (const auto& addr : as_server(self)->server.sockets())
    out.push_back(make<SockObject>(stypes().sock, addr));
  return in.tuple(std::move(out));
}
Value sock_getsockname(Interp& in, const Value& self, CallArgs&)
{
  return addr_tuple(in, static_cast<SockObject*>(self.obj())->addr);
}
Value server_close(Interp&, const Value& self, CallArgs&)
{
  as_server(self)->server.close();
  return {};
}
Value server_is_serving(Interp&, const Value& self, CallArgs&)
{
  return Value(as_server(self)->server.is_serving());
}
Coro<Value> server_wait_closed_coro(Interp&, Value self)
{
  co_await as_server(self)->server.wait_closed();
  co_return Value();
}
Coro<Value> server_serve_forever_coro(Interp&, Value self)
{
  co_await as_server(self)->server.serve_forever();
  co_return Value();
}
Value server_wait_closed(Interp& in, const Value& self, CallArgs&)
{
  return method_awaitable(in, self, "Server.wait_closed", server_wait_closed_coro);
}
Value server_serve_forever(Interp& in, const Value& self, CallArgs&)
{
  return method_awaitable(in, self, "Server.serve_forever", server_serve_forever_coro);
}
Value server_aenter(Interp& in, const Value& self, CallArgs&)
{
  return ready_awaitable(in, "Server.__aenter__", self);
}
Coro<Value> server_aexit_coro(Interp&, Value self)
{
  as_server(self)->server.close();
  co_await as_server(self)->server.wait_closed();
  co_return Value(false);
}
Value server_aexit(Interp& in, const Value& self, CallArgs&)
{
  return method_awaitable(in, self, "Server.__aexit__", server_aexit_coro);
}

// ------------------------------------------------------------------ the loop object

struct HandleObject : NativeObject
{
  HandleObject(TypeObject* t, engine::Handle h, double w)
      : NativeObject(t)
      , handle(std::move(h))
      , when(w)
  {}
  engine::Handle handle;
  double when;
};

std::function<void()> py_callback(Interp& in, Value fn, std::vector<Value> args)
{
  Interp* ip = &in;
  return [ip, fn, args]() {
    try {
      ip->call(fn, args);
    } catch (PyException& x) {
      if (ip->isinstance(x.exc, ip->e.SystemExit) || ip->isinstance(x.exc, ip->e.KeyboardInterrupt))
        std::rethrow_exception(ip->to_engine(x.exc));
      ip->io().err("Exception in callback " + ip->repr(fn) + "\n");
      ip->print_traceback(x.exc);
    }
  };
}

Value loop_time(Interp& in, const Value&, CallArgs&)
{
  engine::Loop& l = running_loop(in);
  return Value::from_float(static_cast<double>(engine::to_ns(l.now())) / 1e9);
}

Value make_handle(Interp&, engine::Handle h, double when)
{
  return make<HandleObject>(types().handle, std::move(h), when);
}

Value loop_call_soon(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.empty())
    in.raise(in.e.TypeError, "call_soon() missing 1 required positional argument: 'callback'");
  Value fn = a.args[0];
  std::vector<Value> rest(a.args.begin() + 1, a.args.end());
  engine::Handle h = running_loop(in).call_soon(py_callback(in, fn, std::move(rest)));
  return make_handle(in, std::move(h), 0);
}
Value loop_call_later(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.size() < 2)
    in.raise(in.e.TypeError, "call_later() missing required arguments: 'delay' and 'callback'");
  engine::Loop& l = running_loop(in);
  const std::int64_t ns = to_ns(in, a.args[0], "delay").value_or(0);
  Value fn = a.args[1];
  std::vector<Value> rest(a.args.begin() + 2, a.args.end());
  engine::Handle h = l.call_later(engine::Duration(ns), py_callback(in, fn, std::move(rest)));
  return make_handle(in, std::move(h), static_cast<double>(engine::to_ns(l.now()) + ns) / 1e9);
}
Value loop_call_at(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.size() < 2)
    in.raise(in.e.TypeError, "call_at() missing required arguments: 'when' and 'callback'");
  engine::Loop& l = running_loop(in);
  auto when = when_from(in, a.args[0]);
  Value fn = a.args[1];
  std::vector<Value> rest(a.args.begin() + 2, a.args.end());
  engine::Handle h = l.call_at(*when, py_callback(in, fn, std::move(rest)));
  return make_handle(in, std::move(h), static_cast<double>(engine::to_ns(*when)) / 1e9);
}
Value handle_cancel(Interp&, const Value& self, CallArgs&)
{
  static_cast<HandleObject*>(self.obj())->handle.cancel();
  return {};
}
Value handle_cancelled(Interp&, const Value& self, CallArgs&)
{
  return Value(static_cast<HandleObject*>(self.obj())->handle.cancelled());
}
Value handle_when(Interp&, const Value& self, CallArgs&)
{
  return Value::from_float(static_cast<HandleObject*>(self.obj())->when);
}

int signum_of(Interp& in, const Value& v);

Value loop_add_signal_handler(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.size() < 2)
    in.raise(in.e.TypeError,
             "add_signal_handler() missing required arguments: 'sig' and 'callback'");
  const int sig = signum_of(in, a.args[0]);
  // A handler watches the process's signals: a virtual loop waiting for one would wait for real,
  // for ever, as no sandboxed script can send one.
  in.sandbox_check("loop.add_signal_handler()");
  Value fn = a.args[1];
  std::vector<Value> rest(a.args.begin() + 2, a.args.end());
  engine_call(in, [&] { running_loop(in).add_signal_handler(sig, py_callback(in, fn, rest)); });
  return {};
}
Value loop_remove_signal_handler(Interp& in, const Value&, CallArgs& a)
{
  const int sig = signum_of(in, arg(in, a, 0, "sig", "remove_signal_handler"));
  return Value(running_loop(in).remove_signal_handler(sig));
}
Value loop_get_slow(Interp& in, const Value&, CallArgs&)
{
  return Value::from_float(static_cast<double>(running_loop(in).slow_callback_duration().count()) /
                           1e9);
}
Value loop_set_slow(Interp& in, const Value&, CallArgs& a)
{
  running_loop(in).set_slow_callback_duration(
      engine::Duration(to_ns(in, a.args.at(0), "slow_callback_duration").value_or(0)));
  return {};
}
Value loop_set_debug(Interp& in, const Value&, CallArgs& a)
{
  g_debug = in.truthy(arg(in, a, 0, "enabled", "set_debug"));
  return {};
}
Value loop_get_debug(Interp&, const Value&, CallArgs&)
{
  return Value(g_debug);
}
Value loop_is_running(Interp& in, const Value&, CallArgs&)
{
  return Value(in.loop() != nullptr);
}
Value loop_create_task(Interp& in, const Value&, CallArgs& a)
{
  return create_task(in, arg(in, a, 0, "coro", "create_task"), arg_or(a, 1, "name"));
}

// to_thread / run_in_executor: the function runs on a worker thread under the interpreter lock.
// The job is shared by the worker and the coroutine awaiting it. Whoever claims it first owns its
// references: the worker that runs it (and drops them under the lock), or the coroutine that
// ends before a worker took it (its task cancelled while the job was queued, or before it was
// queued), which drops them on the loop thread. A queued job the executor skips, or runs after
// the interpreter is gone, then touches nothing. The result goes into the job under the lock;
// a coroutine that ended without taking it (cancelled while the job ran) has marked the job
// abandoned, also under the lock, and the worker then drops the result itself.
struct ThreadJob
{
  Value fn;
  CallArgs args;
  Value result;
  std::atomic<bool> claimed{false};
  bool abandoned = false;  // read and written under the interpreter lock
};

bool run_job(Interp* in, const std::shared_ptr<ThreadJob>& job)
{
  if (job->claimed.exchange(true))
    return false;  // given up on: nobody awaits the result
  in->gil().acquire();
  current_heap() = &in->heap();
  std::exception_ptr err;
  try {
    Value out = in->call(job->fn, std::move(job->args));
    if (!job->abandoned)
      job->result = std::move(out);
  } catch (PyException& x) {
    err = in->to_engine(x.exc);
  } catch (...) {
    err = std::current_exception();
  }
  job->fn = Value();
  job->args = CallArgs();
  in->gil().release();
  if (err)
    std::rethrow_exception(err);
  return true;
}

Coro<Value> to_thread_coro(Interp& in, std::shared_ptr<ThreadJob> job)
{
  struct GiveUp
  {
    ThreadJob& job;
    ~GiveUp()
    {
      job.abandoned = true;
      job.result = Value();
      if (!job.claimed.exchange(true)) {
        job.fn = Value();
        job.args = CallArgs();
      }
    }
  } giveUp{*job};
  Interp* ip = &in;
  co_await engine::to_thread(run_job, ip, job);
  Value v = std::move(job->result);
  job->result = Value();
  co_return v;
}

Value start_thread_job(Interp& in, Value fn, CallArgs args)
{
  running_loop(in);
  auto job = std::make_shared<ThreadJob>();
  job->fn = std::move(fn);
  job->args = std::move(args);
  // The job is queued when the awaitable is first awaited (its task's first step).
  return in.awaitable("to_thread", [job](Interp& ip, const std::source_location&) {
    return to_thread_coro(ip, job);
  });
}

Value asyncio_to_thread(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.empty())
    in.raise(in.e.TypeError, "to_thread() missing 1 required positional argument: 'func'");
  Value fn = a.args[0];
  CallArgs rest;
  rest.args.assign(a.args.begin() + 1, a.args.end());
  rest.kwargs = a.kwargs;
  return start_thread_job(in, fn, std::move(rest));
}

Value loop_run_in_executor(Interp& in, const Value&, CallArgs& a)
{
  if (a.args.size() < 2)
    in.raise(in.e.TypeError, "run_in_executor() missing required arguments");
  if (!a.args[0].is_none())
    in.raise(in.e.NotSupported, "not supported by loopscope: executors other than None");
  Value fn = a.args[1];
  CallArgs rest;
  rest.args.assign(a.args.begin() + 2, a.args.end());
  return start_thread_job(in, fn, std::move(rest));
}

Value asyncio_get_running_loop(Interp& in, const Value&, CallArgs&)
{
  running_loop(in);
  return in.builtins()["__loopscope_loop__"];
}

// ------------------------------------------------------------------ signals

struct SignalObject : NativeObject
{
  SignalObject(TypeObject* t, int n, std::string nm) : NativeObject(t), num(n), name(std::move(nm))
  {}
  int num;
  std::string name;
};

int signum_of(Interp& in, const Value& v)
{
  if (v.is_intlike())
    return static_cast<int>(v.as_int());
  if (v.is_obj() && v.obj()->type == types().signals)
    return static_cast<SignalObject*>(v.obj())->num;
  in.raise(in.e.TypeError, "signal number must be an int, not " + in.type_name(v));
}

Value signal_name(Interp& in, const Value& self, CallArgs&)
{
  return in.str(static_cast<SignalObject*>(self.obj())->name);
}
Value signal_value(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(static_cast<SignalObject*>(self.obj())->num);
}
Value signal_repr(Interp& in, const Value& self, CallArgs&)
{
  auto* s = static_cast<SignalObject*>(self.obj());
  return in.str("<Signals." + s->name + ": " + std::to_string(s->num) + ">");
}
Value signal_str(Interp& in, const Value& self, CallArgs&)
{
  return in.str("Signals." + static_cast<SignalObject*>(self.obj())->name);
}
Value signal_int(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(static_cast<SignalObject*>(self.obj())->num);
}
Value signal_eq(Interp& in, const Value& self, CallArgs& a)
{
  const Value& o = a.args.at(0);
  if (o.is_intlike() || (o.is_obj() && o.obj()->type == types().signals))
    return Value(signum_of(in, o) == static_cast<SignalObject*>(self.obj())->num);
  return Value(false);
}
Value signal_hash(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(static_cast<SignalObject*>(self.obj())->num);
}

TypeObject* native_type(Interp& in, const char* name, const char* module)
{
  TypeObject* t = in.make_type(name, {in.t.object}, Kind::Native, false);
  t->module = module;
  return t;
}

Value type_ctor(Interp&, TypeObject* t, NativeFn fn)
{
  t->construct = fn;
  return Value(static_cast<Object*>(t));
}

}  // namespace

// ------------------------------------------------------------------ installation

int signal_number(Interp& in, const Value& v)
{
  return signum_of(in, v);
}

Value make_signal(Interp&, int num, const std::string& name)
{
  Value v = make<SignalObject>(types().signals, num, name);
  types().signals->dict[name] = v;
  return v;
}

Value signals_type(Interp&)
{
  return Value(static_cast<Object*>(types().signals));
}

void install_asyncio(Interp& in)
{
  Types& T = types();
  T.task = native_type(in, "Task", "asyncio");
  T.future = native_type(in, "Future", "asyncio");
  T.gather = native_type(in, "_GatheringFuture", "asyncio");
  T.timeout = native_type(in, "Timeout", "asyncio");
  T.taskgroup = native_type(in, "TaskGroup", "asyncio");
  T.event = native_type(in, "Event", "asyncio");
  T.lock = native_type(in, "Lock", "asyncio");
  T.semaphore = in.make_type("Semaphore", {T.lock}, Kind::Native, false);
  T.semaphore->module = "asyncio";
  T.bounded = in.make_type("BoundedSemaphore", {T.semaphore}, Kind::Native, false);
  T.bounded->module = "asyncio";
  T.condition = in.make_type("Condition", {T.lock}, Kind::Native, false);
  T.condition->module = "asyncio";
  T.queue = native_type(in, "Queue", "asyncio");
  T.loop = native_type(in, "_UnixSelectorEventLoop", "asyncio");
  T.handle = native_type(in, "TimerHandle", "asyncio");
  T.signals = native_type(in, "Signals", "signal");
  T.as_completed_iter = native_type(in, "_AsCompleted", "asyncio");

  in.add_method(T.task, "cancel", task_cancel);
  in.add_method(T.task, "cancelled", task_cancelled);
  in.add_method(T.task, "done", task_done);
  in.add_method(T.task, "cancelling", task_cancelling);
  in.add_method(T.task, "uncancel", task_uncancel);
  in.add_method(T.task, "get_name", task_get_name);
  in.add_method(T.task, "set_name", task_set_name);
  in.add_method(T.task, "get_coro", task_get_coro);
  in.add_method(T.task, "result", task_result);
  in.add_method(T.task, "exception", task_exception);
  in.add_method(T.task, "add_done_callback", task_add_done_callback);
  in.add_method(T.task, "__repr__", task_repr);

  in.add_method(T.gather, "cancel", gather_cancel);
  in.add_method(T.gather, "done", gather_done);
  in.add_method(T.gather, "cancelled", gather_cancelled);
  in.add_method(T.gather, "result", gather_result);

  in.add_method(T.timeout, "__aenter__", timeout_aenter);
  in.add_method(T.timeout, "__aexit__", timeout_aexit);
  in.add_method(T.timeout, "when", timeout_when);
  in.add_method(T.timeout, "reschedule", timeout_reschedule);
  in.add_method(T.timeout, "expired", timeout_expired);

  in.add_method(T.taskgroup, "__aenter__", taskgroup_aenter);
  in.add_method(T.taskgroup, "__aexit__", taskgroup_aexit);
  in.add_method(T.taskgroup, "create_task", taskgroup_create_task);

  in.add_method(T.event, "is_set", event_is_set);
  in.add_method(T.event, "set", event_set);
  in.add_method(T.event, "clear", event_clear);
  in.add_method(T.event, "wait", event_wait);

  in.add_method(T.lock, "acquire", lock_acquire);
  in.add_method(T.lock, "release", lock_release);
  in.add_method(T.lock, "locked", lock_locked);
  in.add_method(T.lock, "__aenter__", lock_aenter);
  in.add_method(T.lock, "__aexit__", lock_aexit);
  in.add_method(T.condition, "wait", cond_wait);
  in.add_method(T.condition, "wait_for", cond_wait_for);
  in.add_method(T.condition, "notify", cond_notify);
  in.add_method(T.condition, "notify_all", cond_notify_all);

  in.add_method(T.queue, "put", queue_put);
  in.add_method(T.queue, "get", queue_get);
  in.add_method(T.queue, "join", queue_join);
  in.add_method(T.queue, "put_nowait", queue_put_nowait);
  in.add_method(T.queue, "get_nowait", queue_get_nowait);
  in.add_method(T.queue, "task_done", queue_task_done);
  in.add_method(T.queue, "qsize", queue_qsize);
  in.add_method(T.queue, "empty", queue_empty);
  in.add_method(T.queue, "full", queue_full);
  in.add_method(T.queue, "shutdown", queue_shutdown);
  in.add_property(T.queue, "maxsize", queue_maxsize);

  in.add_method(T.future, "set_result", future_set_result);
  in.add_method(T.future, "set_exception", future_set_exception);
  in.add_method(T.future, "result", future_result);
  in.add_method(T.future, "exception", future_exception);
  in.add_method(T.future, "done", future_done);
  in.add_method(T.future, "cancelled", future_cancelled);
  in.add_method(T.future, "cancel", future_cancel);
  in.add_method(T.future, "add_done_callback", future_add_done_callback);
  in.add_method(T.future, "remove_done_callback", future_remove_done_callback);
  in.add_method(T.loop, "create_future", loop_create_future);
  in.add_method(T.loop, "is_closed", loop_is_closed);
  in.add_method(T.loop, "time", loop_time);
  in.add_method(T.loop, "call_soon", loop_call_soon);
  in.add_method(T.loop, "call_soon_threadsafe", loop_call_soon);
  in.add_method(T.loop, "call_later", loop_call_later);
  in.add_method(T.loop, "call_at", loop_call_at);
  in.add_method(T.loop, "add_signal_handler", loop_add_signal_handler);
  in.add_method(T.loop, "remove_signal_handler", loop_remove_signal_handler);
  in.add_property(T.loop, "slow_callback_duration", loop_get_slow, loop_set_slow);
  in.add_method(T.loop, "set_debug", loop_set_debug);
  in.add_method(T.loop, "get_debug", loop_get_debug);
  in.add_method(T.loop, "is_running", loop_is_running);
  in.add_method(T.loop, "create_task", loop_create_task);
  in.add_method(T.loop, "run_in_executor", loop_run_in_executor);
  in.add_method(T.handle, "cancel", handle_cancel);
  in.add_method(T.handle, "cancelled", handle_cancelled);
  in.add_method(T.handle, "when", handle_when);

  in.add_property(T.signals, "name", signal_name);
  in.add_property(T.signals, "value", signal_value);
  in.add_method(T.signals, "__repr__", signal_repr);
  in.add_method(T.signals, "__str__", signal_str);
  in.add_method(T.signals, "__int__", signal_int);
  in.add_method(T.signals, "__index__", signal_int);
  in.add_method(T.signals, "__eq__", signal_eq);
  in.add_method(T.signals, "__hash__", signal_hash);

  StreamTypes& S = stypes();
  S.reader = native_type(in, "StreamReader", "asyncio");
  S.writer = native_type(in, "StreamWriter", "asyncio");
  S.server = native_type(in, "Server", "asyncio");
  S.sock = native_type(in, "TransportSocket", "asyncio");
  in.add_method(S.reader, "read", reader_read);
  in.add_method(S.reader, "readexactly", reader_readexactly);
  in.add_method(S.reader, "readline", reader_readline);
  in.add_method(S.reader, "readuntil", reader_readuntil);
  in.add_method(S.reader, "at_eof", reader_at_eof);
  in.add_method(S.writer, "write", writer_write);
  in.add_method(S.writer, "writelines", writer_writelines);
  in.add_method(S.writer, "drain", writer_drain);
  in.add_method(S.writer, "close", writer_close);
  in.add_method(S.writer, "wait_closed", writer_wait_closed);
  in.add_method(S.writer, "is_closing", writer_is_closing);
  in.add_method(S.writer, "write_eof", writer_write_eof);
  in.add_method(S.writer, "can_write_eof", writer_can_write_eof);
  in.add_method(S.writer, "get_extra_info", writer_get_extra_info);
  in.add_property(S.server, "sockets", server_sockets);
  in.add_method(S.server, "close", server_close);
  in.add_method(S.server, "is_serving", server_is_serving);
  in.add_method(S.server, "wait_closed", server_wait_closed);
  in.add_method(S.server, "serve_forever", server_serve_forever);
  in.add_method(S.server, "__aenter__", server_aenter);
  in.add_method(S.server, "__aexit__", server_aexit);
  in.add_method(S.sock, "getsockname", sock_getsockname);

  // One loop object stands for whichever loop runs now (methods look it up).
  in.builtins()["__loopscope_loop__"] = make<NativeObject>(T.loop);

  Value m = make<ModuleObject>("asyncio");
  auto& d = m.as<ModuleObject>()->dict;
  auto fn = [&](const char* name, NativeFn f) {
    d[name] = in.builtin(name, f);
  };
  fn("run", asyncio_run);
  fn("sleep", asyncio_sleep);
  fn("create_task", asyncio_create_task);
  fn("ensure_future", asyncio_ensure_future);
  fn("current_task", asyncio_current_task);
  fn("all_tasks", asyncio_all_tasks);
  fn("iscoroutine", asyncio_iscoroutine);
  fn("iscoroutinefunction", asyncio_iscoroutinefunction);
  fn("gather", asyncio_gather);
  fn("wait_for", asyncio_wait_for);
  fn("shield", asyncio_shield);
  fn("wait", asyncio_wait);
  fn("as_completed", asyncio_as_completed);
  fn("timeout", asyncio_timeout);
  fn("timeout_at", asyncio_timeout_at);
  fn("to_thread", asyncio_to_thread);
  fn("open_connection", asyncio_open_connection);
  fn("start_server", asyncio_start_server);
  fn("get_running_loop", asyncio_get_running_loop);
  fn("get_event_loop", asyncio_get_running_loop);
  d["TaskGroup"] = type_ctor(in, T.taskgroup, taskgroup_new);
  d["Event"] = type_ctor(in, T.event, event_new);
  d["Lock"] = type_ctor(in, T.lock, lock_new);
  d["Semaphore"] = type_ctor(in, T.semaphore, semaphore_new);
  d["BoundedSemaphore"] = type_ctor(in, T.bounded, bounded_semaphore_new);
  d["Condition"] = type_ctor(in, T.condition, condition_new);
  d["Queue"] = type_ctor(in, T.queue, queue_new);
  d["Task"] = Value(static_cast<Object*>(T.task));
  d["LifoQueue"] = in.builtin("LifoQueue", lifo_queue_new);
  d["PriorityQueue"] = in.builtin("PriorityQueue", priority_queue_new);
  d["Future"] = type_ctor(in, T.future, future_ctor);
  d["Timeout"] = Value(static_cast<Object*>(T.timeout));
  d["FIRST_COMPLETED"] = in.str("FIRST_COMPLETED");
  d["FIRST_EXCEPTION"] = in.str("FIRST_EXCEPTION");
  d["ALL_COMPLETED"] = in.str("ALL_COMPLETED");
  d["CancelledError"] = Value(static_cast<Object*>(in.e.CancelledError));
  d["TimeoutError"] = Value(static_cast<Object*>(in.e.TimeoutError));
  d["InvalidStateError"] = Value(static_cast<Object*>(in.e.InvalidStateError));
  d["QueueEmpty"] = Value(static_cast<Object*>(in.e.QueueEmpty));
  d["QueueFull"] = Value(static_cast<Object*>(in.e.QueueFull));
  d["QueueShutDown"] = Value(static_cast<Object*>(in.e.QueueShutDown));
  d["IncompleteReadError"] = Value(static_cast<Object*>(in.e.IncompleteReadError));
  d["LimitOverrunError"] = Value(static_cast<Object*>(in.e.LimitOverrunError));
  in.add_module(m);
}

}  // namespace loopscope::script
