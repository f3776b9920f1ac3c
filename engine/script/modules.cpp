// SPDX-License-Identifier: GPL-3.0-or-later
// The small standard modules scripts use: time, os, signal, sys, random, logging.

#include "engine/clock.h"
#include "engine/loop.h"
#include "engine/script/asyncio_module.h"
#include "engine/script/frame.h"
#include "engine/script/interp.h"
#include "engine/script/modargs.h"
#include "engine/script/protocols_detail.h"
#include "engine/script/pyformat.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <limits>
#include <thread>

namespace loopscope::script {

using namespace mod;

namespace {

Value new_module(Interp& in, const char* name)
{
  Value m = make<ModuleObject>(name);
  m.obj()->type = in.t.module;
  return m;
}

// ------------------------------------------------------------------ time

double steady_seconds()
{
  return static_cast<double>(steady_ns()) / 1e9;
}
double wall_seconds()
{
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// On a virtual clock, script time follows the loop: time.monotonic() == loop.time(); between
// loops it stands where the last one ended (plus any time.sleep).
double script_monotonic(Interp& in)
{
  if (in.config.virtual_time) {
    if (engine::Loop* l = in.loop())
      return static_cast<double>(engine::to_ns(l->now())) / 1e9;
    return static_cast<double>(in.idle_ns) / 1e9;
  }
  return steady_seconds();
}

Value time_sleep(Interp& in, const Value&, CallArgs& a)
{
  const double s = to_double(in, arg(in, a, 0, "secs", "sleep"), "secs");
  if (s < 0)
    in.raise(in.e.ValueError, "sleep length must be non-negative");
  const auto ns = static_cast<std::int64_t>(s * 1e9);
  engine::Loop* l = in.loop();
  // Only the loop thread may move the loop's clock; a worker thread (to_thread) really sleeps.
  if (l != nullptr && std::this_thread::get_id() != in.loop_thread)
    l = nullptr;
  if (in.config.virtual_time && (l != nullptr || in.loop() == nullptr)) {
    if (l != nullptr)
      l->clock().advance_to(engine::to_ns(l->now()) + ns);
    else
      in.idle_ns += ns;
    return {};
  }
  if (ns > 0)
    in.sandbox_check("time.sleep() on a real clock or a worker thread");
  std::int64_t wall = ns;
  if (l != nullptr)
    wall = l->clock().wall_wait_ns(ns);
  else if (in.config.time_scale > 0)
    wall = static_cast<std::int64_t>(static_cast<double>(ns) / in.config.time_scale);
  // Blocking, exactly like time.sleep in a coroutine: the loop thread stops here. In slices, so
  // that a signal arriving meanwhile runs its handler as in CPython (PEP 475: the sleep goes on
  // unless the handler raises, as the Runner's second SIGINT does).
  const auto end = std::chrono::steady_clock::now() + std::chrono::nanoseconds(wall);
  for (;;) {
    const auto left = end - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds::zero())
      break;
    {
      Gil::Unlocked unlocked(in.gil());
      std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(left),
          std::chrono::milliseconds(20)));
    }
    in.checkpoint();
  }
  return {};
}
Value time_time(Interp& in, const Value&, CallArgs&)
{
  if (in.config.virtual_time)
    return Value::from_float(in.start_wall + script_monotonic(in));
  return Value::from_float(wall_seconds());
}
Value time_monotonic(Interp& in, const Value&, CallArgs&)
{
  return Value::from_float(script_monotonic(in));
}
Value time_ns(Interp& in, const Value&, CallArgs& a)
{
  return Value::from_int(static_cast<std::int64_t>(time_time(in, {}, a).as_float() * 1e9));
}
Value monotonic_ns(Interp& in, const Value&, CallArgs&)
{
  return Value::from_int(static_cast<std::int64_t>(script_monotonic(in) * 1e9));
}
Value time_strftime(Interp& in, const Value&, CallArgs& a)
{
  const std::string fmt = to_text(in, arg(in, a, 0, "format", "strftime"));
  std::time_t t = static_cast<std::time_t>(wall_seconds());
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[256];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  const std::size_t n = std::strftime(buf, sizeof buf, fmt.c_str(), &tm);
#pragma GCC diagnostic pop
  return in.str(std::string(buf, n));
}

// ------------------------------------------------------------------ os

Value os_getpid(Interp&, const Value&, CallArgs&)
{
  return Value::from_int(::getpid());
}
Value os_kill(Interp& in, const Value&, CallArgs& a)
{
  Value pid = arg(in, a, 0, "pid", "kill");
  const int sig = signal_number(in, arg(in, a, 1, "signal", "kill"));
  if (!pid.is_intlike())
    in.raise(in.e.TypeError, "an integer is required");
  in.sandbox_check("os.kill()");
  if (::kill(static_cast<pid_t>(pid.as_int()), sig) != 0)
    in.raise(in.e.OSError, "kill failed");
  return {};
}
Value os_getenv(Interp& in, const Value&, CallArgs& a)
{
  const std::string k = to_text(in, arg(in, a, 0, "key", "getenv"));
  const char* v = std::getenv(k.c_str());
  if (v == nullptr)
    return arg_or(a, 1, "default");
  return in.str(v);
}

// ------------------------------------------------------------------ sys

struct StreamObject : NativeObject
{
  StreamObject(TypeObject* t, bool e) : NativeObject(t), err(e) {}
  bool err;
};
Value stream_write(Interp& in, const Value& self, CallArgs& a)
{
  auto* s = static_cast<StreamObject*>(self.obj());
  const std::string text = to_text(in, arg(in, a, 0, "s", "write"));
  (s->err ? in.io().err : in.io().out)(text);
  return Value::from_int(static_cast<std::int64_t>(text.size()));
}
Value stream_flush(Interp& in, const Value& self, CallArgs&)
{
  // stderr is unbuffered (ScriptIo::err); stdout goes out through the host's flush.
  if (!static_cast<StreamObject*>(self.obj())->err && in.io().flush)
    in.io().flush();
  return {};
}
Value sys_exit(Interp& in, const Value&, CallArgs& a)
{
  std::vector<Value> args;
  if (const Value* v = find_arg(a, 0, "status"))
    args.push_back(*v);
  in.raise_value(in.new_exception(in.e.SystemExit, std::move(args)));
}

// ------------------------------------------------------------------ random (CPython's MT19937)

struct Mt
{
  std::uint32_t mt[624];
  int mti = 625;

  void init_genrand(std::uint32_t s)
  {
    mt[0] = s;
    for (mti = 1; mti < 624; mti++)
      mt[mti] = 1812433253U * (mt[mti - 1] ^ (mt[mti - 1] >> 30)) + static_cast<std::uint32_t>(mti);
  }
  void init_by_array(const std::vector<std::uint32_t>& key)
  {
    init_genrand(19650218U);
    std::size_t i = 1, j = 0;
    const std::size_t n = key.size();
    for (std::size_t k = (624 > n ? 624 : n); k; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] +
              static_cast<std::uint32_t>(j);
      i++;
      j++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
      if (j >= n)
        j = 0;
    }
    for (std::size_t k = 623; k; k--) {
      mt[i] =
          (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
      i++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
    }
    mt[0] = 0x80000000U;
  }
  std::uint32_t genrand()
  {
    static const std::uint32_t mag01[2] = {0x0U, 0x9908b0dfU};
    std::uint32_t y;
    if (mti >= 624) {
      int kk;
      for (kk = 0; kk < 624 - 397; kk++) {
        y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
        mt[kk] = mt[kk + 397] ^ (y >> 1) ^ mag01[y & 0x1U];
      }
      for (; kk < 623; kk++) {
        y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
        mt[kk] = mt[kk + (397 - 624)] ^ (y >> 1) ^ mag01[y & 0x1U];
      }
      y = (mt[623] & 0x80000000U) | (mt[0] & 0x7fffffffU);
      mt[623] = mt[396] ^ (y >> 1) ^ mag01[y & 0x1U];
      mti = 0;
    }
    y = mt[mti++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
  }
  double random()
  {
    const std::uint32_t a = genrand() >> 5, b = genrand() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }
  std::uint64_t getrandbits(int k)
  {
    if (k <= 32)
      return genrand() >> (32 - k);
    std::uint64_t lo = genrand();
    std::uint64_t hi = genrand() >> (64 - k);
    return lo | (hi << 32);
  }
  std::uint64_t randbelow(std::uint64_t n)
  {
    if (n == 0)
      return 0;
    int k = 0;
    for (std::uint64_t x = n; x != 0; x >>= 1)
      ++k;
    std::uint64_t r = getrandbits(k);
    while (r >= n)
      r = getrandbits(k);
    return r;
  }
};

struct RandomObject : NativeObject
{
  explicit RandomObject(TypeObject* t) : NativeObject(t) {}
  Mt mt;
};
TypeObject* g_random_type = nullptr;

void seed_mt(Interp& in, Mt& m, const Value& s)
{
  std::vector<std::uint32_t> key;
  if (s.is_none()) {
    key.push_back(
        static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  } else if (s.is_intlike()) {
    std::uint64_t v = s.as_int() < 0 ? 0 - static_cast<std::uint64_t>(s.as_int())
                                     : static_cast<std::uint64_t>(s.as_int());
    if (v == 0)
      key.push_back(0);
    while (v != 0) {
      key.push_back(static_cast<std::uint32_t>(v & 0xffffffffU));
      v >>= 32;
    }
  } else {
    in.raise(in.e.NotSupported, "not supported by loopscope: random.seed() with a non-int seed");
  }
  m.init_by_array(key);
}

Mt& mt_of(const Value& self)
{
  return static_cast<RandomObject*>(self.obj())->mt;
}

Value random_new(Interp& in, const Value&, CallArgs& a)
{
  Value r = make<RandomObject>(g_random_type);
  seed_mt(in, mt_of(r), arg_or(a, 0, "x"));
  return r;
}
Value random_seed(Interp& in, const Value& self, CallArgs& a)
{
  seed_mt(in, mt_of(self), arg_or(a, 0, "a"));
  return {};
}
Value random_random(Interp&, const Value& self, CallArgs&)
{
  return Value::from_float(mt_of(self).random());
}
Value random_uniform(Interp& in, const Value& self, CallArgs& a)
{
  const double lo = to_double(in, arg(in, a, 0, "a", "uniform"), "a");
  const double hi = to_double(in, arg(in, a, 1, "b", "uniform"), "b");
  return Value::from_float(lo + (hi - lo) * mt_of(self).random());
}
std::int64_t randrange(Interp& in, Mt& m, std::int64_t start, std::int64_t stop, std::int64_t step)
{
  if (step == 0)
    in.raise(in.e.ValueError, "zero step for randrange()");
  std::uint64_t n = 0;
  if (step == 1) {
    if (stop <= start)
      in.raise(in.e.ValueError, "empty range for randrange() (" + std::to_string(start) + ", " +
                                    std::to_string(stop) + ", " + std::to_string(stop - start) +
                                    ")");
    n = static_cast<std::uint64_t>(stop) - static_cast<std::uint64_t>(start);
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(start) + m.randbelow(n));
  }
  if (step > 0)
    n = stop > start
            ? (static_cast<std::uint64_t>(stop - start) + static_cast<std::uint64_t>(step) - 1) /
                  static_cast<std::uint64_t>(step)
            : 0;
  else
    n = start > stop
            ? (static_cast<std::uint64_t>(start - stop) + static_cast<std::uint64_t>(-step) - 1) /
                  static_cast<std::uint64_t>(-step)
            : 0;
  if (n == 0)
    in.raise(in.e.ValueError, "empty range for randrange()");
  return start + step * static_cast<std::int64_t>(m.randbelow(n));
}
Value random_randint(Interp& in, const Value& self, CallArgs& a)
{
  Value lo = arg(in, a, 0, "a", "randint"), hi = arg(in, a, 1, "b", "randint");
  if (!lo.is_intlike() || !hi.is_intlike())
    in.raise(in.e.TypeError, "randint() needs integers");
  if (hi.as_int() == INT64_MAX)
    in.raise(in.e.OverflowError, "integer overflow (loopscope ints are 64-bit)");
  return Value::from_int(randrange(in, mt_of(self), lo.as_int(), hi.as_int() + 1, 1));
}
Value random_randrange(Interp& in, const Value& self, CallArgs& a)
{
  Value x = arg(in, a, 0, "start", "randrange");
  Value y = arg_or(a, 1, "stop");
  Value z = arg_or(a, 2, "step", Value::from_int(1));
  if (y.is_none())
    return Value::from_int(randrange(in, mt_of(self), 0, x.as_int(), 1));
  return Value::from_int(randrange(in, mt_of(self), x.as_int(), y.as_int(), z.as_int()));
}
Value random_getrandbits(Interp& in, const Value& self, CallArgs& a)
{
  const std::int64_t k = arg(in, a, 0, "k", "getrandbits").as_int();
  if (k < 0 || k > 63)
    in.raise(in.e.NotSupported, "not supported by loopscope: getrandbits() beyond 63 bits");
  return Value::from_int(
      k == 0 ? 0 : static_cast<std::int64_t>(mt_of(self).getrandbits(static_cast<int>(k))));
}
Value random_choice(Interp& in, const Value& self, CallArgs& a)
{
  Value seq = arg(in, a, 0, "seq", "choice");
  const std::int64_t n = in.len(seq);
  if (n == 0)
    in.raise(in.e.IndexError, "Cannot choose from an empty sequence");
  return in.getitem(seq, Value::from_int(static_cast<std::int64_t>(
                             mt_of(self).randbelow(static_cast<std::uint64_t>(n)))));
}
Value random_shuffle(Interp& in, const Value& self, CallArgs& a)
{
  Value seq = arg(in, a, 0, "x", "shuffle");
  auto* l = seq.as<ListObject>();
  if (l == nullptr)
    in.raise(in.e.TypeError, "shuffle() needs a list");
  for (std::size_t i = l->items.size(); i-- > 1;) {
    const std::size_t j = static_cast<std::size_t>(mt_of(self).randbelow(i + 1));
    std::swap(l->items[i], l->items[j]);
  }
  return {};
}
// CPython's Random.sample: a pool for small populations, a set of picks for large ones.
Value random_sample(Interp& in, const Value& self, CallArgs& a)
{
  std::vector<Value> pop = in.to_vector(arg(in, a, 0, "population", "sample"));
  const std::int64_t k = arg(in, a, 1, "k", "sample").as_int();
  const std::size_t n = pop.size();
  if (k < 0 || static_cast<std::size_t>(k) > n)
    in.raise(in.e.ValueError, "Sample larger than population or is negative");
  Mt& m = mt_of(self);
  std::vector<Value> result(static_cast<std::size_t>(k));
  std::size_t setsize = 21;
  if (k > 5) {
    double x = std::ceil(std::log(static_cast<double>(k) * 3) / std::log(4.0));
    setsize += static_cast<std::size_t>(std::pow(4.0, x));
  }
  if (n <= setsize) {
    std::vector<Value> pool = pop;
    for (std::size_t i = 0; i < static_cast<std::size_t>(k); ++i) {
      const std::size_t j = static_cast<std::size_t>(m.randbelow(n - i));
      result[i] = pool[j];
      pool[j] = pool[n - i - 1];
    }
  } else {
    std::vector<bool> selected(n, false);
    for (std::size_t i = 0; i < static_cast<std::size_t>(k); ++i) {
      std::size_t j = static_cast<std::size_t>(m.randbelow(n));
      while (selected[j])
        j = static_cast<std::size_t>(m.randbelow(n));
      selected[j] = true;
      result[i] = pop[j];
    }
  }
  return in.list(std::move(result));
}

// ------------------------------------------------------------------ logging

struct LoggerObject : NativeObject
{
  LoggerObject(TypeObject* t, std::string n) : NativeObject(t), name(std::move(n)) {}
  void clear_refs() override { parent = Value(); }
  std::string name;
  int level = 0;  // 0: inherit the parent's
  Value parent;
};

struct LogState
{
  int root_level = 30;
  std::string format = "%(levelname)s:%(name)s:%(message)s";
  bool configured = false;
};
LogState& log_state()
{
  static LogState s;
  return s;
}

const char* level_name(int lvl)
{
  switch (lvl) {
    case 10:
      return "DEBUG";
    case 20:
      return "INFO";
    case 30:
      return "WARNING";
    case 40:
      return "ERROR";
    case 50:
      return "CRITICAL";
  }
  return "Level";
}

void emit(Interp& in, const std::string& logger, int lvl, CallArgs& a, std::size_t first)
{
  std::string msg = to_text(in, arg(in, a, first, "msg", "log"));
  if (a.args.size() > first + 1) {
    std::vector<Value> rest(a.args.begin() + static_cast<long>(first) + 1, a.args.end());
    Value args = rest.size() == 1 && rest[0].as<DictObject>() ? rest[0] : in.tuple(rest);
    msg = to_text(in, in.binop(BinOpKind::Mod, in.str(msg), args));
  }
  std::string out;
  const std::string& fmt = log_state().format;
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    if (fmt.compare(i, 2, "%(") == 0) {
      const std::size_t close = fmt.find(')', i);
      if (close != std::string::npos && close + 1 < fmt.size()) {
        const std::string key = fmt.substr(i + 2, close - i - 2);
        std::size_t end = close + 1;
        while (end < fmt.size() && !std::isalpha(static_cast<unsigned char>(fmt[end])))
          ++end;
        std::string v;
        if (key == "levelname")
          v = level_name(lvl);
        else if (key == "name")
          v = logger;
        else if (key == "message")
          v = msg;
        else if (key == "levelno")
          v = std::to_string(lvl);
        else if (key == "asctime") {
          std::time_t t = static_cast<std::time_t>(wall_seconds());
          std::tm tm{};
          localtime_r(&t, &tm);
          char buf[64];
          std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
          v = buf;
          v += ",000";
        } else if (key == "threadName")
          v = "MainThread";
        else if (key == "taskName") {
          v = "None";
        }
        out += v;
        i = end;
        continue;
      }
    }
    out += fmt[i];
  }
  out += "\n";
  in.io().err(out);
}

int effective(const LoggerObject* l)
{
  for (; l != nullptr;
       l = l->parent.is_none() ? nullptr : static_cast<LoggerObject*>(l->parent.obj()))
    if (l->level != 0)
      return l->level;
  return log_state().root_level;
}

template <int L, bool Exc = false>
Value logger_log(Interp& in, const Value& self, CallArgs& a)
{
  auto* l = static_cast<LoggerObject*>(self.obj());
  if (L >= effective(l)) {
    emit(in, l->name, L, a, 0);
    if constexpr (Exc) {
      for (Frame* f = script_current_frame(); f != nullptr; f = f->back)
        if (!f->handling.is_none()) {
          in.print_traceback(f->handling);
          break;
        }
    }
  }
  return {};
}
Value logger_log_level(Interp& in, const Value& self, CallArgs& a)
{
  auto* l = static_cast<LoggerObject*>(self.obj());
  const int lvl = static_cast<int>(arg(in, a, 0, "level", "log").as_int());
  if (lvl >= effective(l))
    emit(in, l->name, lvl, a, 1);
  return {};
}
Value logger_name(Interp& in, const Value& self, CallArgs&)
{
  return in.str(static_cast<LoggerObject*>(self.obj())->name);
}
Value logger_level(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(static_cast<LoggerObject*>(self.obj())->level);
}
Value logger_parent(Interp&, const Value& self, CallArgs&)
{
  return static_cast<LoggerObject*>(self.obj())->parent;
}
Value logger_effective(Interp&, const Value& self, CallArgs&)
{
  return Value::from_int(effective(static_cast<LoggerObject*>(self.obj())));
}
Value logger_enabled(Interp& in, const Value& self, CallArgs& a)
{
  return Value(arg(in, a, 0, "level", "isEnabledFor").as_int() >=
               effective(static_cast<LoggerObject*>(self.obj())));
}
template <int L>
Value module_log(Interp& in, const Value&, CallArgs& a)
{
  if (L >= log_state().root_level)
    emit(in, "root", L, a, 0);
  return {};
}
Value logger_set_level(Interp& in, const Value& self, CallArgs& a)
{
  static_cast<LoggerObject*>(self.obj())->level =
      static_cast<int>(arg(in, a, 0, "level", "setLevel").as_int());
  return {};
}

TypeObject* g_logger_type = nullptr;
std::unordered_map<std::string, Value>* g_loggers = nullptr;

Value logging_get_logger(Interp& in, const Value&, CallArgs& a)
{
  Value n = arg_or(a, 0, "name");
  std::string name = n.is_none() ? "root" : to_text(in, n);
  auto& m = in.builtins();
  const std::string key = "__logger__" + name;
  auto it = m.find(key);
  if (it != m.end())
    return it->second;
  Value l = make<LoggerObject>(g_logger_type, name);
  m[key] = l;
  if (name != "root") {
    const std::size_t dot = name.rfind('.');
    CallArgs pa;
    pa.args.push_back(dot == std::string::npos ? Value() : in.str(name.substr(0, dot)));
    static_cast<LoggerObject*>(l.obj())->parent = logging_get_logger(in, {}, pa);
  }
  return l;
}
Value logging_basic_config(Interp& in, const Value&, CallArgs& a)
{
  LogState& s = log_state();
  if (s.configured)
    return {};
  s.configured = true;
  for (auto& [k, v] : a.kwargs) {
    if (k == "level")
      s.root_level = static_cast<int>(v.as_int());
    else if (k == "format")
      s.format = to_text(in, v);
  }
  return {};
}

// ------------------------------------------------------------------ math

double math_real(Interp& in, CallArgs& a, std::size_t i, const char* name, const char* fn)
{
  const Value v = arg(in, a, i, name, fn);
  if (v.is_float())
    return v.as_float();
  if (v.is_intlike())
    return static_cast<double>(v.as_int());
  in.raise(in.e.TypeError, "must be real number, not " + in.type_name(v));
}

// A libm result, with CPython's errors: a NaN from a non-NaN argument is a domain error, an
// infinity from a finite one a range error.
Value math_result(Interp& in, double x, double r)
{
  if (std::isnan(r) && !std::isnan(x))
    in.raise(in.e.ValueError, "math domain error");
  if (std::isinf(r) && std::isfinite(x))
    in.raise(in.e.OverflowError, "math range error");
  return Value::from_float(r);
}

template <double (*F)(double)>
Value math_unary(Interp& in, const Value&, CallArgs& a)
{
  const double x = math_real(in, a, 0, "x", "math");
  return math_result(in, x, F(x));
}

double m_sqrt(double x)
{
  return std::sqrt(x);
}
double m_exp(double x)
{
  return std::exp(x);
}
double m_fabs(double x)
{
  return std::fabs(x);
}
double m_sin(double x)
{
  return std::sin(x);
}
double m_cos(double x)
{
  return std::cos(x);
}
double m_tan(double x)
{
  return std::tan(x);
}
double m_atan(double x)
{
  return std::atan(x);
}
double m_radians(double x)
{
  return x * (M_PI / 180.0);
}
double m_degrees(double x)
{
  return x * (180.0 / M_PI);
}

Value math_log_impl(Interp& in, double x, double (*f)(double))
{
  if (x <= 0)
    in.raise(in.e.ValueError, "math domain error");
  return Value::from_float(f(x));  // log(nan) is nan, log(inf) inf
}
double ln(double x)
{
  return std::log(x);
}
double lg2(double x)
{
  return std::log2(x);
}
double lg10(double x)
{
  return std::log10(x);
}
Value math_log(Interp& in, const Value&, CallArgs& a)
{
  const double x = math_real(in, a, 0, "x", "log");
  if (a.args.size() < 2)
    return math_log_impl(in, x, ln);
  const double base = math_real(in, a, 1, "base", "log");
  const double num = math_log_impl(in, x, ln).as_float();
  const double den = math_log_impl(in, base, ln).as_float();
  if (den == 0)
    in.raise(in.e.ZeroDivisionError, "float division by zero");
  return Value::from_float(num / den);
}
Value math_log2(Interp& in, const Value&, CallArgs& a)
{
  return math_log_impl(in, math_real(in, a, 0, "x", "log2"), lg2);
}
Value math_log10(Interp& in, const Value&, CallArgs& a)
{
  return math_log_impl(in, math_real(in, a, 0, "x", "log10"), lg10);
}

std::int64_t guarded_float_to_int(Interp& in, double x)
{
  return detail::guarded(in, [&] { return py::float_to_int(x); });
}

// floor, ceil, trunc: an int stays itself; a float becomes the int CPython gives (within 64 bits).
template <double (*F)(double)>
Value math_to_int(Interp& in, const Value&, CallArgs& a)
{
  const Value v = arg(in, a, 0, "x", "math");
  if (v.is_intlike())
    return Value::from_int(v.as_int());
  const double x = math_real(in, a, 0, "x", "math");
  return Value::from_int(guarded_float_to_int(in, F(x)));
}
double m_floor(double x)
{
  return std::floor(x);
}
double m_ceil(double x)
{
  return std::ceil(x);
}
double m_trunc(double x)
{
  return std::trunc(x);
}

Value math_pow(Interp& in, const Value&, CallArgs& a)
{
  const double x = math_real(in, a, 0, "x", "pow");
  const double y = math_real(in, a, 1, "y", "pow");
  const double r = std::pow(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y))
    in.raise(in.e.ValueError, "math domain error");
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) {
    if (x == 0)
      in.raise(in.e.ValueError, "math domain error");
    in.raise(in.e.OverflowError, "math range error");
  }
  return Value::from_float(r);
}
Value math_atan2(Interp& in, const Value&, CallArgs& a)
{
  return Value::from_float(
      std::atan2(math_real(in, a, 0, "y", "atan2"), math_real(in, a, 1, "x", "atan2")));
}
Value math_hypot(Interp& in, const Value&, CallArgs& a)
{
  double r = 0;
  for (std::size_t i = 0; i < a.args.size(); ++i)
    r = std::hypot(r, math_real(in, a, i, "x", "hypot"));
  return Value::from_float(r);
}
Value math_copysign(Interp& in, const Value&, CallArgs& a)
{
  return Value::from_float(
      std::copysign(math_real(in, a, 0, "x", "copysign"), math_real(in, a, 1, "y", "copysign")));
}
Value math_isclose(Interp& in, const Value&, CallArgs& a)
{
  const double x = math_real(in, a, 0, "a", "isclose");
  const double y = math_real(in, a, 1, "b", "isclose");
  double rel = 1e-9, abs_tol = 0.0;
  for (auto& [k, v] : a.kwargs) {
    if (k == "rel_tol")
      rel = to_double(in, v, "rel_tol");
    else if (k == "abs_tol")
      abs_tol = to_double(in, v, "abs_tol");
  }
  if (rel < 0 || abs_tol < 0)
    in.raise(in.e.ValueError, "tolerances must be non-negative");
  if (x == y)
    return Value(true);
  if (std::isinf(x) || std::isinf(y))
    return Value(false);
  const double diff = std::fabs(y - x);
  return Value((diff <= std::fabs(rel * y)) || (diff <= std::fabs(rel * x)) || diff <= abs_tol);
}
template <bool (*P)(double)>
Value math_pred(Interp& in, const Value&, CallArgs& a)
{
  return Value(P(math_real(in, a, 0, "x", "math")));
}
bool p_isnan(double x)
{
  return std::isnan(x);
}
bool p_isinf(double x)
{
  return std::isinf(x);
}
bool p_isfinite(double x)
{
  return std::isfinite(x);
}
Value math_gcd(Interp& in, const Value&, CallArgs& a)
{
  std::int64_t g = 0;
  for (const Value& v : a.args) {
    if (!v.is_intlike())
      in.raise(in.e.TypeError,
               "'" + in.type_name(v) + "' object cannot be interpreted as an integer");
    std::int64_t x = v.as_int();
    x = x < 0 ? -x : x;
    while (x != 0) {
      const std::int64_t t = g % x;
      g = x;
      x = t;
    }
  }
  return Value::from_int(g);
}

}  // namespace

void install_modules(Interp& in)
{
  install_asyncio(in);
  in.start_wall = wall_seconds();
  log_state() = LogState{};

  {
    Value m = new_module(in, "time");
    auto& d = m.as<ModuleObject>()->dict;
    d["sleep"] = in.builtin("sleep", time_sleep);
    d["time"] = in.builtin("time", time_time);
    d["monotonic"] = in.builtin("monotonic", time_monotonic);
    d["perf_counter"] = in.builtin("perf_counter", time_monotonic);
    d["time_ns"] = in.builtin("time_ns", time_ns);
    d["monotonic_ns"] = in.builtin("monotonic_ns", monotonic_ns);
    d["perf_counter_ns"] = in.builtin("perf_counter_ns", monotonic_ns);
    d["strftime"] = in.builtin("strftime", time_strftime);
    in.add_module(m);
  }
  {
    Value m = new_module(in, "math");
    auto& d = m.as<ModuleObject>()->dict;
    const std::pair<const char*, NativeFn> fns[] = {{"sqrt", math_unary<m_sqrt>},
                                                    {"exp", math_unary<m_exp>},
                                                    {"fabs", math_unary<m_fabs>},
                                                    {"sin", math_unary<m_sin>},
                                                    {"cos", math_unary<m_cos>},
                                                    {"tan", math_unary<m_tan>},
                                                    {"atan", math_unary<m_atan>},
                                                    {"radians", math_unary<m_radians>},
                                                    {"degrees", math_unary<m_degrees>},
                                                    {"log", math_log},
                                                    {"log2", math_log2},
                                                    {"log10", math_log10},
                                                    {"floor", math_to_int<m_floor>},
                                                    {"ceil", math_to_int<m_ceil>},
                                                    {"trunc", math_to_int<m_trunc>},
                                                    {"pow", math_pow},
                                                    {"atan2", math_atan2},
                                                    {"hypot", math_hypot},
                                                    {"copysign", math_copysign},
                                                    {"isclose", math_isclose},
                                                    {"isnan", math_pred<p_isnan>},
                                                    {"isinf", math_pred<p_isinf>},
                                                    {"isfinite", math_pred<p_isfinite>},
                                                    {"gcd", math_gcd}};
    for (const auto& [n, f] : fns)
      d[n] = in.builtin(n, f);
    d["pi"] = Value::from_float(M_PI);
    d["e"] = Value::from_float(M_E);
    d["tau"] = Value::from_float(2 * M_PI);
    d["inf"] = Value::from_float(std::numeric_limits<double>::infinity());
    d["nan"] = Value::from_float(std::numeric_limits<double>::quiet_NaN());
    in.add_module(m);
  }
  {
    Value m = new_module(in, "signal");
    auto& d = m.as<ModuleObject>()->dict;
    const std::pair<const char*, int> sigs[] = {
        {"SIGINT", SIGINT},   {"SIGTERM", SIGTERM}, {"SIGHUP", SIGHUP},  {"SIGQUIT", SIGQUIT},
        {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2}, {"SIGALRM", SIGALRM}};
    for (const auto& [n, v] : sigs)
      d[n] = make_signal(in, v, n);
    d["Signals"] = signals_type(in);
    in.add_module(m);
  }
  {
    Value m = new_module(in, "os");
    auto& d = m.as<ModuleObject>()->dict;
    d["getpid"] = in.builtin("getpid", os_getpid);
    d["kill"] = in.builtin("kill", os_kill);
    d["getenv"] = in.builtin("getenv", os_getenv);
    d["sep"] = in.str("/");
    d["linesep"] = in.str("\n");
    d["name"] = in.str("posix");
    in.add_module(m);
  }
  {
    TypeObject* st = in.make_type("TextIOWrapper", {in.t.object}, Kind::Native, false);
    st->module = "_io";
    in.add_method(st, "write", stream_write);
    in.add_method(st, "flush", stream_flush);
    Value m = new_module(in, "sys");
    auto& d = m.as<ModuleObject>()->dict;
    d["stdout"] = make<StreamObject>(st, false);
    d["stderr"] = make<StreamObject>(st, true);
    d["exit"] = in.builtin("exit", sys_exit);
    d["argv"] = in.list({in.str("script.py")});
    d["platform"] = in.str("linux");
    d["maxsize"] = Value::from_int(INT64_MAX);
    d["version"] = in.str("3.12 (loopscope)");
    d["version_info"] = in.tuple({Value::from_int(3), Value::from_int(12), Value::from_int(0)});
    in.add_module(m);
  }
  {
    g_random_type = in.make_type("Random", {in.t.object}, Kind::Native, false);
    g_random_type->module = "random";
    g_random_type->construct = random_new;
    const std::pair<const char*, NativeFn> methods[] = {{"seed", random_seed},
                                                        {"random", random_random},
                                                        {"uniform", random_uniform},
                                                        {"randint", random_randint},
                                                        {"randrange", random_randrange},
                                                        {"choice", random_choice},
                                                        {"shuffle", random_shuffle},
                                                        {"sample", random_sample},
                                                        {"getrandbits", random_getrandbits}};
    for (const auto& [n, f] : methods)
      in.add_method(g_random_type, n, f);
    Value m = new_module(in, "random");
    auto& d = m.as<ModuleObject>()->dict;
    CallArgs none;
    Value inst = random_new(in, {}, none);
    for (const auto& [n, f] : methods)
      d[n] = in.builtin(n, f, inst);
    d["Random"] = Value(static_cast<Object*>(g_random_type));
    in.add_module(m);
  }
  {
    g_logger_type = in.make_type("Logger", {in.t.object}, Kind::Native, false);
    g_logger_type->module = "logging";
    in.add_method(g_logger_type, "debug", logger_log<10>);
    in.add_method(g_logger_type, "info", logger_log<20>);
    in.add_method(g_logger_type, "warning", logger_log<30>);
    in.add_method(g_logger_type, "warn", logger_log<30>);
    in.add_method(g_logger_type, "error", logger_log<40>);
    in.add_method(g_logger_type, "exception", logger_log<40, true>);
    in.add_property(g_logger_type, "name", logger_name);
    in.add_property(g_logger_type, "level", logger_level);
    in.add_property(g_logger_type, "parent", logger_parent);
    in.add_method(g_logger_type, "getEffectiveLevel", logger_effective);
    in.add_method(g_logger_type, "log", logger_log_level);
    in.add_method(g_logger_type, "isEnabledFor", logger_enabled);
    in.add_method(g_logger_type, "critical", logger_log<50>);
    in.add_method(g_logger_type, "setLevel", logger_set_level);
    Value m = new_module(in, "logging");
    auto& d = m.as<ModuleObject>()->dict;
    d["getLogger"] = in.builtin("getLogger", logging_get_logger);
    d["basicConfig"] = in.builtin("basicConfig", logging_basic_config);
    d["debug"] = in.builtin("debug", module_log<10>);
    d["info"] = in.builtin("info", module_log<20>);
    d["warning"] = in.builtin("warning", module_log<30>);
    d["error"] = in.builtin("error", module_log<40>);
    d["exception"] = in.builtin("exception", module_log<40>);
    d["critical"] = in.builtin("critical", module_log<50>);
    d["DEBUG"] = Value::from_int(10);
    d["INFO"] = Value::from_int(20);
    d["WARNING"] = Value::from_int(30);
    d["ERROR"] = Value::from_int(40);
    d["CRITICAL"] = Value::from_int(50);
    in.add_module(m);
  }
  (void)g_loggers;
}

}  // namespace loopscope::script
