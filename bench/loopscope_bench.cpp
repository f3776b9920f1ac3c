// SPDX-License-Identifier: GPL-3.0-or-later
// The engine on the anchor workloads (../shared/anchors/README.md), same definitions and JSON keys
// as the peers:   loopscope-bench [--trace on|off] [--n N] w1|w2|w3|w4|w5|w6
// `loopscope-bench floor` prints what bounds the W2 tracing cost and W4/W5 from below on this
// machine: one read of the engine's clock (once per step while tracing) and one C++ throw/catch
// (once per CancelledError delivered, once more per TimeoutError caught).
// With tracing on, a consumer thread drains the event queue in batches the way the GUI does, so
// the cost measured includes producing every event into the lock-free queue.
#include "engine/engine.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {

using namespace loopscope::engine;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kSeed = 0x2545F491u;  // shared with every peer
constexpr int kW2Yields = 1000;

double secs_since(Clock::time_point t0)
{
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

long rss_bytes()
{
  long total = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &total, &resident) != 2)
      resident = 0;
    std::fclose(f);
  }
  return resident * sysconf(_SC_PAGESIZE);
}

long peak_rss_kb()
{
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

std::vector<std::uint32_t> delays_us(std::size_t n)
{
  std::vector<std::uint32_t> out(n);
  std::uint32_t x = kSeed;
  for (auto& d : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    d = x % 1000000u;
  }
  return out;
}

double pct(const std::vector<double>& sorted, double p)
{
  const auto k = static_cast<std::size_t>(
      std::max(0.0, std::ceil(p / 100.0 * static_cast<double>(sorted.size())) - 1));
  return sorted[k];
}

using Result = std::map<std::string, double>;

// ---------------------------------------------------------------- workloads

Coro<void> noop()
{
  co_return;
}

Coro<void> w1(std::size_t n, Result& r)
{
  const auto t0 = Clock::now();
  std::vector<Task<void>> tasks;
  tasks.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    tasks.push_back(create_task(noop()));
  for (auto& t : tasks)
    co_await t;
  const double dt = secs_since(t0);
  r["wall_s"] = dt;
  r["tasks_per_s"] = static_cast<double>(n) / dt;
}

Coro<void> yielder()
{
  for (int i = 0; i < kW2Yields; ++i)
    co_await sleep(0ns);
}

Coro<void> w2(std::size_t n, Result& r)
{
  const auto t0 = Clock::now();
  std::vector<Task<void>> tasks;
  tasks.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    tasks.push_back(create_task(yielder()));
  for (auto& t : tasks)
    co_await t;
  const double dt = secs_since(t0);
  const double sw = static_cast<double>(n) * kW2Yields;
  r["wall_s"] = dt;
  r["yields_per_task"] = kW2Yields;
  r["switches"] = sw;
  r["switches_per_s"] = sw / dt;
}

Coro<void> timed_sleeper(Loop& loop, std::uint32_t delay_us, double& late_ms)
{
  const double deadline = loop.time() + delay_us * 1e-6;
  co_await sleep(std::chrono::microseconds(delay_us));
  late_ms = (loop.time() - deadline) * 1e3;
}

Coro<void> w3(std::size_t n, Result& r)
{
  Loop& loop = Loop::running();
  const auto d = delays_us(n);
  std::vector<double> late(n);
  const auto t0 = Clock::now();
  std::vector<Task<void>> tasks;
  tasks.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    tasks.push_back(create_task(timed_sleeper(loop, d[i], late[i])));
  for (auto& t : tasks)
    co_await t;
  const double dt = secs_since(t0);
  std::vector<double> s = late;
  std::sort(s.begin(), s.end());
  double sum = 0;
  std::size_t early = 0;
  for (double v : late) {
    sum += v;
    early += v < 0 ? 1 : 0;
  }
  r["wall_s"] = dt;
  r["late_mean_ms"] = sum / static_cast<double>(n);
  r["late_p50_ms"] = pct(s, 50);
  r["late_p99_ms"] = pct(s, 99);
  r["late_max_ms"] = s.back();
  r["late_min_ms"] = s.front();
  r["early_pct"] = 100.0 * static_cast<double>(early) / static_cast<double>(n);
}

Coro<void> parked(std::size_t& started)
{
  ++started;
  co_await sleep(60s);
}

Coro<std::vector<Task<void>>> start_sleepers(std::size_t n)
{
  std::size_t started = 0;
  std::vector<Task<void>> tasks;
  tasks.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    tasks.push_back(create_task(parked(started)));
  while (started < n)
    co_await sleep(0ns);
  co_return tasks;
}

Coro<void> w4(std::size_t n, Result& r)
{
  std::vector<Task<void>> tasks = co_await start_sleepers(n);
  // As the peers: the await-all is gather(return_exceptions=True), set up before the clock, so
  // each CancelledError is thrown once (into its task) and comes back as a value.
  auto all = gather(return_exceptions, tasks);
  const auto t0 = Clock::now();
  for (auto& t : tasks)
    t.cancel();
  const auto outcomes = co_await all;
  std::size_t cancelled = 0;
  for (const auto& o : outcomes)
    cancelled += o.cancelled() ? 1 : 0;
  const double dt = secs_since(t0);
  if (cancelled != n)
    std::fprintf(stderr, "w4: only %zu of %zu cancelled\n", cancelled, n);
  r["cancel_s"] = dt;
  r["cancel_ms"] = dt * 1e3;
  r["per_cancel_us"] = dt / static_cast<double>(n) * 1e6;
}

Coro<void> timeout_op(std::size_t& timeouts)
{
  try {
    co_await timeout(10ms).run([]() -> Coro<void> { co_await sleep(1s); });
  } catch (const TimeoutError&) {
    ++timeouts;
  }
}

Coro<void> w5(std::size_t n, Result& r)
{
  std::size_t timeouts = 0;
  const auto t0 = Clock::now();
  std::vector<Task<void>> tasks;
  tasks.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    tasks.push_back(create_task(timeout_op(timeouts)));
  for (auto& t : tasks)
    co_await t;
  const double dt = secs_since(t0);
  if (timeouts != n)
    std::fprintf(stderr, "w5: only %zu of %zu timed out\n", timeouts, n);
  r["wall_s"] = dt;
  r["total_ms"] = dt * 1e3;
  r["per_op_us"] = dt / static_cast<double>(n) * 1e6;
}

Coro<void> w6(std::size_t n, Result& r)
{
  const long before = rss_bytes();
  std::vector<Task<void>> tasks = co_await start_sleepers(n);
  const long after = rss_bytes();
  for (auto& t : tasks)
    t.cancel();
  for (auto& t : tasks) {
    try {
      co_await t;
    } catch (const CancelledError&) {
    }
  }
  r["rss_before_kb"] = static_cast<double>(before / 1024);
  r["rss_after_kb"] = static_cast<double>(after / 1024);
  r["bytes_per_task"] = static_cast<double>(after - before) / static_cast<double>(n);
}

// ---------------------------------------------------------------- floors

struct FloorError
{
  std::uint64_t v;
};

[[gnu::noinline]] void throw_floor(std::uint64_t i)
{
  if (i != UINT64_MAX)
    throw FloorError{i};
}

/// The cost of the two operations the engine cannot avoid: a clock read per traced step, a C++
/// throw per delivered CancelledError. Medians of 5 rounds.
int floors()
{
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::vector<double> clock_ns, throw_ns;
  MonotonicSource source;
  std::uint64_t sink = 0;
  for (int round = 0; round < 5; ++round) {
    constexpr int kReads = 5'000'000;
    auto t0 = Clock::now();
    for (int i = 0; i < kReads; ++i)
      sink += static_cast<std::uint64_t>(source.now_ns());
    clock_ns.push_back(secs_since(t0) * 1e9 / kReads);
    constexpr int kThrows = 200'000;
    t0 = Clock::now();
    for (int i = 0; i < kThrows; ++i) {
      try {
        throw_floor(static_cast<std::uint64_t>(i));
      } catch (const FloorError& e) {
        sink += e.v;
      }
    }
    throw_ns.push_back(secs_since(t0) * 1e9 / kThrows);
  }
  std::printf(
      "{\"peer\": \"loopscope\", \"workload\": \"floor\", \"clock_read_ns\": %.3g, "
      "\"throw_catch_ns\": %.4g, \"checksum\": %llu}\n",
      median(clock_ns), median(throw_ns), static_cast<unsigned long long>(sink & 1));
  return 0;
}

int usage()
{
  std::fprintf(stderr,
               "usage: loopscope-bench [--trace on|off] [--n N] w1|w2|w3|w4|w5|w6\n"
               "       loopscope-bench floor\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv)
{
  bool trace = true;
  long n_arg = 0;
  std::string workload;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--trace" && i + 1 < argc) {
      const std::string v = argv[++i];
      if (v != "on" && v != "off")
        return usage();
      trace = v == "on";
    } else if (a == "--n" && i + 1 < argc) {
      char* end = nullptr;
      n_arg = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || n_arg <= 0)
        return usage();
    } else if (a == "floor" && argc == 2) {
      return floors();
    } else if (a.size() == 2 && a[0] == 'w' && a[1] >= '1' && a[1] <= '6' && workload.empty()) {
      workload = a;
    } else {
      return usage();
    }
  }
  if (workload.empty())
    return usage();
  const std::map<std::string, std::size_t> defaults = {
      {"w1", 100000}, {"w2", 1000}, {"w3", 100000}, {"w4", 100000}, {"w5", 100000}, {"w6", 100000}};
  const std::size_t n = n_arg > 0 ? static_cast<std::size_t>(n_arg) : defaults.at(workload);

  Loop loop;                                   // real clock
  SpscEventQueue queue(std::size_t{1} << 20);  // the GUI's queue size
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> consumed{0};
  std::thread drainer;
  if (trace) {
    loop.set_sink(&queue);
    // Like the GUI: drain in batches; sleep briefly when the queue is empty.
    drainer = std::thread([&] {
      std::uint64_t count = 0, checksum = 0;
      for (;;) {
        const std::size_t got = queue.consume([&](std::span<const TraceEvent> s) {
          for (const TraceEvent& e : s)
            checksum += e.seq;
        });
        count += got;
        if (got == 0) {
          if (done.load(std::memory_order_acquire) && queue.size() == 0)
            break;
          std::this_thread::sleep_for(50us);
        }
      }
      consumed.store(count + (checksum & 0), std::memory_order_relaxed);
    });
  }

  Result r;
  Coro<void> body;
  if (workload == "w1")
    body = w1(n, r);
  if (workload == "w2")
    body = w2(n, r);
  if (workload == "w3")
    body = w3(n, r);
  if (workload == "w4")
    body = w4(n, r);
  if (workload == "w5")
    body = w5(n, r);
  if (workload == "w6")
    body = w6(n, r);
  loop.run_until_complete(std::move(body));
  loop.flush_trace();
  done.store(true, std::memory_order_release);
  if (drainer.joinable())
    drainer.join();

  std::printf("{\"peer\": \"%s\", \"workload\": \"%s\", \"n\": %zu",
              trace ? "loopscope" : "loopscope-notrace", workload.c_str(), n);
  for (const auto& [k, v] : r)
    std::printf(", \"%s\": %.6g", k.c_str(), v);
  std::printf(", \"trace\": %s, \"events\": %llu, \"dropped\": %llu, \"peak_rss_kb\": %ld}\n",
              trace ? "true" : "false", static_cast<unsigned long long>(consumed.load()),
              static_cast<unsigned long long>(queue.dropped()), peak_rss_kb());
  return 0;
}
