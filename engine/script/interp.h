// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The interpreter: a tree-walking evaluator over engine/script/ast.h. Statements and
// expressions that contain no `await` run as plain recursive C++ (fast); those that do run as
// engine coroutines (Coro<Value>), so each Python `await` is a real engine await point, recorded
// with the script's file and line. A Python coroutine object awaited by another runs inline in
// the same task; asyncio.create_task makes it an engine task.
//
// Python exceptions travel as C++ exceptions: PyException carries the exception object. Where a
// Python exception leaves Python code for engine code (a task's result, a callback, a combinator),
// CancelledError, KeyboardInterrupt and SystemExit become the engine's own types (subclasses that
// keep the Python object), so the engine's cancellation semantics apply unchanged.

#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/script/ast.h"
#include "engine/script/value.h"

#include <atomic>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace loopscope::engine {
class Loop;
class EventSink;
class TaskBase;
class Runner;
struct RunReport;
std::uint32_t signal_arrivals() noexcept;
}  // namespace loopscope::engine

namespace loopscope::script {

struct Frame;
struct ScopeInfo;

/// A Python exception in flight through C++ code. `exc` is an ExceptionObject.
struct PyException : std::exception
{
  explicit PyException(Value e);
  const char* what() const noexcept override;
  Value exc;
  std::string text;  ///< "TypeName: message", for engine reports
};

/// The PyException `e` holds (exact type), or null; never rethrows.
const PyException* as_py_exception(const std::exception_ptr& e) noexcept;

/// The engine's exit exceptions raised by Python code: they keep the Python object.
struct PyCancelledError : engine::CancelledError
{
  PyCancelledError(std::string msg, Value e)
      : engine::CancelledError(std::move(msg))
      , exc(std::move(e))
  {}
  Value exc;
};
struct PyKeyboardInterrupt : engine::KeyboardInterrupt
{
  explicit PyKeyboardInterrupt(Value e) : exc(std::move(e)) {}
  Value exc;
};
struct PySystemExit : engine::SystemExit
{
  PySystemExit(int code, Value e) : engine::SystemExit(code), exc(std::move(e)) {}
  Value exc;
};

struct FunctionObject : Object
{
  static constexpr Kind kKind = Kind::Function;
  FunctionObject(TypeObject* t, std::string name, const Arguments* args, const Body* body,
                 const Expr* lambda_body, ScopeInfo* scope, bool is_async);
  void clear_refs() override
  {
    defaults.clear();
    kw_defaults.clear();
    closure.clear();
    dict.clear();
  }
  std::string name;
  std::string qualname;
  const Arguments* args;
  const Body* body;         ///< def
  const Expr* lambda_body;  ///< lambda
  ScopeInfo* scope;
  bool is_async;
  std::vector<Value> defaults;     ///< for the last defaults.size() positional args
  std::vector<Value> kw_defaults;  ///< per kwonly arg (None entry + flag below = required)
  std::vector<bool> kw_has_default;
  std::vector<Value> closure;  ///< CellObjects for the scope's free variables
  ModuleObject* module;        ///< globals (not owned: modules live as long as the interpreter)
  std::unordered_map<std::string, Value> dict;
  std::uint32_t line = 0;
};

struct BoundMethodObject : Object
{
  static constexpr Kind kKind = Kind::BoundMethod;
  BoundMethodObject(TypeObject* t, Value self, Value fn);
  void clear_refs() override
  {
    self = Value();
    fn = Value();
  }
  Value self;
  Value fn;
};

/// The result of calling an `async def` function: not started until awaited or wrapped in a task.
struct CoroutineObject : Object
{
  static constexpr Kind kKind = Kind::Coroutine;
  CoroutineObject(TypeObject* t, Value fn, std::unique_ptr<Frame> frame);
  ~CoroutineObject() override;
  void clear_refs() override;
  Value fn;
  std::unique_ptr<Frame> frame;
  bool started = false;
  bool finished = false;
};

/// A native object with a Python type (asyncio.Event, Task, Queue, ...). Subclasses hold the
/// engine object; methods live in the type's dict as builtins.
struct NativeObject : Object
{
  static constexpr Kind kKind = Kind::Native;
  explicit NativeObject(TypeObject* t) : Object(Kind::Native, t) {}
  /// Tasks, futures and the results of asyncio.sleep(...) etc. can be awaited.
  virtual bool is_awaitable() const noexcept { return false; }
  /// The coroutine that awaiting this object runs inline in the awaiting task.
  virtual engine::Coro<Value> await(Interp& in, const std::source_location& site);
};

/// Something awaitable that native code provides (asyncio.sleep(...), queue.get(), ...): awaiting
/// it runs `start`'s coroutine inline in the awaiting task. `site` is the Python await site.
struct AwaitableObject : NativeObject
{
  using Start = std::function<engine::Coro<Value>(Interp&, const std::source_location& site)>;
  AwaitableObject(TypeObject* t, std::string what, Start s)
      : NativeObject(t)
      , what(std::move(what))
      , start(std::move(s))
  {}
  void clear_refs() override { start = nullptr; }
  bool is_awaitable() const noexcept override { return true; }
  engine::Coro<Value> await(Interp& in, const std::source_location& site) override;
  std::string what;  ///< "sleep", "Queue.get", ... (for repr and errors)
  Start start;
  bool used = false;
};

/// An iterator over a builtin container or a native sequence.
struct IteratorObject : Object
{
  static constexpr Kind kKind = Kind::Iterator;
  explicit IteratorObject(TypeObject* t) : Object(Kind::Iterator, t) {}
  void clear_refs() override
  {
    source = Value();
    next_fn = nullptr;
  }
  Value source;
  std::int64_t index = 0;
  std::uint64_t version = 0;
  /// Returns false when exhausted.
  std::function<bool(Interp&, IteratorObject&, Value& out)> next_fn;
};

/// The interpreter lock: Python code runs on one thread at a time (the loop thread, or an executor
/// worker running a function passed to to_thread). Re-entrant per thread.
class Gil
{
public:
  void acquire();
  void release();
  bool held_by_me() const noexcept;
  /// Lets a waiting thread in (called now and then by long-running Python code).
  void yield_if_wanted();
  /// Releases for the scope (e.g. around a blocking time.sleep or an engine await).
  class Unlocked
  {
  public:
    explicit Unlocked(Gil& g);
    ~Unlocked();
    Unlocked(const Unlocked&) = delete;
    Unlocked& operator=(const Unlocked&) = delete;

  private:
    Gil& g_;
    int depth_;
  };

private:
  std::mutex m_;
  std::atomic<int> waiting_{0};
  std::atomic<std::thread::id> owner_{};
  int depth_ = 0;
};

/// Where script output goes (stdout and stderr of the script). `err` is taken to be unbuffered
/// (as C's stderr is); `out` may buffer, and `flush` then makes what it holds visible to the
/// reader now: print(..., flush=True) and sys.stdout.flush() call it. Without `out`, the script
/// writes to C's stdout and `flush` defaults to fflush(stdout); a custom `out` that buffers must
/// come with its `flush`.
struct ScriptIo
{
  std::function<void(std::string_view)> out;
  std::function<void(std::string_view)> err;
  std::function<void()> flush;
};

class Interp
{
public:
  explicit Interp(ScriptIo io = {});
  ~Interp();
  Interp(const Interp&) = delete;
  Interp& operator=(const Interp&) = delete;

  // ---- running a script
  /// Parses and runs `source` as the module `__main__`. Throws ParseError or PyException (an
  /// uncaught error), or the engine exit exceptions.
  void run_main(std::string source, std::string filename);
  /// The parsed main module (kept for the code view and tracebacks).
  const Module* main_module() const noexcept { return main_ast_.get(); }
  /// Prints "Traceback (most recent call last): ..." for `exc` to the script's stderr.
  void print_traceback(const Value& exc);
  /// The exit status for an exception that ended the script (SystemExit's code, else 1), printing
  /// the traceback or SystemExit's message as CPython does.
  int report_uncaught(const std::exception_ptr& e);

  // ---- values
  Value str(std::string s);
  Value bytes(std::string s);
  Value list(std::vector<Value> items = {});
  Value tuple(std::vector<Value> items = {});
  Value dict();
  Value builtin(std::string name, NativeFn fn, Value self = {}, Value data = {});
  Value native_closure(std::string name, std::function<Value(Interp&, CallArgs&)> fn);
  Value awaitable(std::string what, AwaitableObject::Start start);

  // ---- protocols (may run Python code; raise PyException on error)
  std::string repr(const Value& v);
  std::string to_str(const Value& v);
  bool truthy(const Value& v);
  std::uint64_t hash(const Value& v);
  bool eq(const Value& a, const Value& b);
  bool lt(const Value& a, const Value& b);
  Value binop(BinOpKind op, const Value& a, const Value& b);
  Value call(const Value& fn, CallArgs args);
  Value call(const Value& fn, std::vector<Value> args);
  Value getattr(const Value& obj, std::string_view name);
  /// getattr that returns false instead of raising AttributeError.
  bool try_getattr(const Value& obj, std::string_view name, Value& out);
  void setattr(const Value& obj, std::string_view name, Value v);
  Value getitem(const Value& obj, const Value& key);
  void setitem(const Value& obj, const Value& key, Value v);
  void delitem(const Value& obj, const Value& key);
  bool contains(const Value& container, const Value& item);
  Value iter(const Value& v);
  /// Advances an iterator; false when exhausted.
  bool next(const Value& it, Value& out);
  std::vector<Value> to_vector(const Value& iterable);
  std::int64_t len(const Value& v);
  TypeObject* type_of(const Value& v) const noexcept;
  bool isinstance(const Value& v, const TypeObject* t) const noexcept;
  std::string type_name(const Value& v) const;

  // ---- exceptions
  Value new_exception(TypeObject* type, std::vector<Value> args);
  [[noreturn]] void raise(TypeObject* type, std::string message);
  [[noreturn]] void raise_value(Value exc);
  /// The Python exception object for any C++ exception (engine errors become their Python types).
  Value exception_from(const std::exception_ptr& e);
  /// The C++ exception to hand to engine code for a Python exception object.
  std::exception_ptr to_engine(const Value& exc);
  /// str(e) for an exception object.
  std::string exception_message(const Value& exc);

  // ---- modules and globals
  ModuleObject* module(std::string_view name);
  void add_module(Value m);
  Value import_module(const std::string& name, Pos pos);
  std::unordered_map<std::string, Value>& builtins() noexcept { return builtins_; }

  // ---- async (the loop this interpreter runs on while asyncio.run is active)
  engine::Loop* loop() const noexcept { return loop_; }
  void set_loop(engine::Loop* l) noexcept { loop_ = l; }
  /// Runs a Python awaitable (coroutine, task, future, native awaitable) inside the current task.
  engine::Coro<Value> await_value(Value aw, std::source_location site);
  /// Drives a coroutine object to completion (as a task's body or awaited inline).
  engine::Coro<Value> run_coroutine(Value coro);
  /// The engine await site for script line `line` (col) in `function`.
  std::source_location site(std::uint32_t line, std::uint32_t col, std::string_view function);
  /// The script's current line (innermost running Python frame), for task creation sites.
  std::source_location current_site();
  std::uint64_t next_task_number() noexcept { return ++task_counter_; }

  Gil& gil() noexcept { return gil_; }
  ScriptIo& io() noexcept { return io_; }
  Heap& heap() noexcept { return heap_; }

  /// Marks an unbound local variable (never visible to Python code).
  Value unbound;

  /// How asyncio.run runs (set by the host: the CLI or the app).
  struct RunConfig
  {
    bool virtual_time = false;
    double time_scale = 1.0;
    std::optional<std::int64_t> grace_ns;  ///< shutdown grace deadline; unset = wait forever
    engine::EventSink* sink = nullptr;     ///< tracing
    /// Called once asyncio.run's runner and loop exist, before main runs (e.g. to schedule
    /// --signal deliveries, or to keep the runner for Runner::abandon until on_report).
    std::function<void(engine::Runner&)> on_loop;
    /// Called after the runner has closed, with its report.
    std::function<void(const engine::RunReport&)> on_report;
    /// Set (by any thread) when the host no longer wants the run: Python code then raises
    /// KeyboardInterrupt at every checkpoint() until it has unwound. Owned by the host.
    const std::atomic<bool>* abort = nullptr;
    /// The host's count of SIGINTs that Python's default handler would have taken: those that
    /// arrive while no asyncio.run handles SIGINT (any thread; typically counted by a signal
    /// handler). Each change raises KeyboardInterrupt once, on the thread that runs the script's
    /// module code, at its next checkpoint(), as CPython's signal.default_int_handler does: the
    /// script may catch it and go on. Owned by the host; read from run_main on.
    const std::atomic<std::uint32_t>* interrupts = nullptr;

    /// Bounds for a script that must not harm its host (a fuzzer's input, a script of unknown
    /// origin). All off by default: loopscope's own runs are plain CPython semantics.
    struct Sandbox
    {
      /// Refuses, with PermissionError("... is not allowed in loopscope's sandbox"), what
      /// reaches beyond the interpreter: os.kill (a signal to any process), loop
      /// .add_signal_handler (the process's signals; a virtual loop would wait for one for
      /// real), asyncio's open_connection and start_server (the network), and a time.sleep
      /// that would block the thread for real (on a real clock, or on a worker thread).
      /// Scripts have no file or subprocess access to begin with. asyncio.run installs no
      /// SIGINT handling either (the host's signals stay the host's).
      bool enabled = false;
      /// Steps the script may take: loop iterations, calls and the items builtins iterate over
      /// (list(range(n)) is n steps). Past it, Python code raises KeyboardInterrupt ("stopped
      /// by loopscope's sandbox: ...") at every checkpoint until it has unwound, as for
      /// `abort`; the run then ends as an interrupted one. 0: no limit.
      std::uint64_t max_steps = 0;
      /// Longest str, bytes, list or tuple one operation may build in a go (sequence * n,
      /// list(range(n)), ...), in bytes or items: MemoryError beyond it. 0: the usual limits.
      std::size_t max_length = 0;
      /// Python calls nested deeper raise RecursionError. 0: the usual limit (900).
      int max_depth = 0;
    } sandbox;
  } config;

  /// PermissionError for `what` ("os.kill()") when config.sandbox is enabled; else nothing.
  void sandbox_check(std::string_view what);
  /// Counts `n` steps towards config.sandbox.max_steps (a builtin's iteration; no signal
  /// handlers run here). Raises as checkpoint() does once the budget is spent.
  void count_steps(std::uint64_t n = 1)
  {
    steps_ += n;
    if (steps_ > step_limit_) [[unlikely]]
      checkpoint_slow();
  }
  /// MemoryError when a sequence of `length` bytes or items is more than config.sandbox allows.
  void check_length(std::uint64_t length);

  /// Called by long-running Python code (each loop iteration, each call): lets a to_thread
  /// worker waiting for the interpreter lock run, runs the loop's signal handlers for signals
  /// that arrived while Python code kept the loop busy (CPython runs its handlers between
  /// bytecodes, so a second SIGINT interrupts `while True: pass`), and honours config.abort.
  void checkpoint()
  {
    gil_.yield_if_wanted();
    if (engine::signal_arrivals() != seen_signals_ ||
        (config.abort != nullptr && config.abort->load(std::memory_order_relaxed)) ||
        (config.interrupts != nullptr &&
         config.interrupts->load(std::memory_order_relaxed) != seen_interrupts_) ||
        ++steps_ > step_limit_) [[unlikely]]
      checkpoint_slow();
  }
  /// Python Task objects by engine task (while the engine task runs).
  std::unordered_map<const engine::TaskBase*, Value> task_objects;
  /// Wall clock reading when the interpreter started (time.time / monotonic in virtual mode).
  double start_wall = 0;
  /// Script time outside asyncio.run, in loop ns: where the next loop's clock starts, so that a
  /// second asyncio.run continues the first one's time (CPython's loops share time.monotonic()),
  /// and on a virtual clock what time.monotonic() reads between loops.
  std::int64_t idle_ns = 0;
  /// Steady-clock ns when idle_ns was last set by a loop ending (real time); 0: no loop yet.
  std::int64_t idle_steady_ns = 0;
  /// The thread asyncio.run runs the loop on (time.sleep elsewhere never touches the loop).
  std::thread::id loop_thread;

  // ---- well-known types
  struct Types
  {
    TypeObject *object, *type, *none, *bool_, *int_, *float_, *str, *bytes, *list, *tuple, *dict,
        *set, *frozenset, *range, *slice, *function, *builtin, *method, *module, *cell, *coroutine,
        *iterator, *property, *awaitable, *generator;
  } t{};
  struct ExcTypes
  {
    TypeObject *BaseException, *Exception, *BaseExceptionGroup, *ExceptionGroup, *SystemExit,
        *KeyboardInterrupt, *GeneratorExit, *StopIteration, *StopAsyncIteration, *ArithmeticError,
        *ZeroDivisionError, *OverflowError, *AssertionError, *AttributeError, *LookupError,
        *IndexError, *KeyError, *NameError, *UnboundLocalError, *RuntimeError, *NotImplementedError,
        *RecursionError, *TypeError, *ValueError, *UnicodeError, *OSError, *ConnectionError,
        *ConnectionResetError, *ConnectionRefusedError, *BrokenPipeError, *TimeoutError,
        *SyntaxError, *ImportError, *ModuleNotFoundError, *NotSupported, *CancelledError,
        *InvalidStateError, *QueueEmpty, *QueueFull, *QueueShutDown, *IncompleteReadError,
        *LimitOverrunError;
  } e{};

  /// Makes a builtin type (registered in builtins when `publish`).
  TypeObject* make_type(std::string name, std::vector<TypeObject*> bases, Kind instance_kind,
                        bool publish = true);
  /// Adds a method (a builtin taking self) to a type.
  void add_method(TypeObject* t, const std::string& name, NativeFn fn);
  void add_property(TypeObject* t, const std::string& name, NativeFn getter,
                    NativeFn setter = nullptr);

private:
  friend struct Evaluator;
  friend struct ScriptRunnerAccess;
  void init_types();
  void init_builtins();

  Heap heap_;
  Gil gil_;
  ScriptIo io_;
  std::vector<Value> type_roots_;  ///< keeps builtin types alive
  std::unordered_map<std::string, Value> builtins_;
  std::unordered_map<std::string, Value> modules_;
  std::unique_ptr<Module> main_ast_;
  std::vector<std::unique_ptr<Module>> asts_;
  std::vector<std::unique_ptr<ScopeInfo>> scopes_;
  std::vector<std::unique_ptr<Module>> source_module_asts_;  ///< kept: functions point into them
  std::vector<std::unique_ptr<std::string>> source_module_files_;
  engine::Loop* loop_ = nullptr;
  std::uint64_t task_counter_ = 0;
  std::uint32_t seen_signals_ = 0;
  std::uint32_t seen_interrupts_ = 0;  ///< *config.interrupts when it last raised (or run_main)
  std::thread::id main_thread_;        ///< the thread of run_main: the one SIGINT interrupts
  std::uint64_t steps_ = 0;            ///< checkpoints and counted steps so far
  /// config.sandbox.max_steps, or no limit; fixed when run_main starts.
  std::uint64_t step_limit_ = std::numeric_limits<std::uint64_t>::max();
  void checkpoint_slow();
  struct SiteRecord;
  std::deque<SiteRecord> sites_;
  std::unordered_map<std::uint64_t, const SiteRecord*> site_index_;
  std::deque<std::string> interned_;
  std::string main_file_;
};

/// `super` (eval.cpp).
void install_super(Interp& in);
bool super_getattr(Interp& in, const Value& obj, std::string_view name, Value& out);

/// The innermost running Python frame on this thread (null outside Python code).
Frame* script_current_frame() noexcept;
/// Makes `f` the innermost frame again: for code that ran an event loop, after which the current
/// frame is whichever task step ran last.
void set_script_current_frame(Frame* f) noexcept;

/// A coroutine object as an engine coroutine (a task's body, a combinator's child): Python
/// CancelledError, KeyboardInterrupt and SystemExit leaving it become the engine's types.
engine::Coro<Value> as_engine_coro(Interp& in, Value coro);

/// Builtin functions and the methods of builtin types (builtins.cpp).
void install_builtins(Interp& in);
/// asyncio, time, os, signal, sys, random, logging (modules.cpp).
void install_modules(Interp& in);
/// The Python source of a module the interpreter runs itself on first import (typing,
/// functools, __future__); empty for others. sourcemodules.cpp.
std::string_view source_module(std::string_view name) noexcept;

}  // namespace loopscope::script
