// SPDX-License-Identifier: GPL-3.0-or-later
// TCP echo over the loopback: one server and C concurrent clients on one loop (one thread). Each
// client connects, waits until every client is connected, then sends M lines of 64 bytes, reading
// each echo before sending the next line. Same definition and JSON keys as bench/echo_py.py
// (asyncio, uvloop); bench/echo_compare.sh runs them all.
//
//   loopscope-echo-bench [--trace on|off] [--clients 1000] [--messages 100]
//
// Prints one JSON line: round_trips_per_s over the timed phase (from releasing the connected
// clients to the last echo), and the p50/p99 round-trip latency (write + drain + readline) in
// microseconds. With tracing on, a consumer thread drains the event queue the way the GUI does.
#include "engine/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {

using namespace loopscope::engine;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Run
{
  int clients = 1000;
  int messages = 100;
  int connected = 0;
  std::vector<float> latency_us;  // clients × messages, filled by index
  Event* all_connected = nullptr;
  Event* go = nullptr;
};

Coro<void> echo_handler(StreamReader r, StreamWriter w)
{
  for (;;) {
    std::string line = co_await r.readline();
    if (line.empty())
      break;
    w.write(line);
    co_await w.drain();
  }
  w.close();
}

Coro<void> client(std::uint16_t port, int index, Run* run)
{
  auto [r, w] = co_await open_connection("127.0.0.1", port);
  if (++run->connected == run->clients)
    run->all_connected->set();
  co_await run->go->wait();
  const std::string msg = std::string(63, 'x') + "\n";
  float* out = run->latency_us.data() + static_cast<std::size_t>(index) * run->messages;
  for (int i = 0; i < run->messages; ++i) {
    const Clock::time_point t0 = Clock::now();
    w.write(msg);
    co_await w.drain();
    const std::string echo = co_await r.readline();
    out[i] = std::chrono::duration<float, std::micro>(Clock::now() - t0).count();
    if (echo != msg)
      throw std::runtime_error("echo mismatch");
  }
  w.close();
  co_await w.wait_closed();
}

Coro<double> bench(Run& run)
{
  Event all_connected;
  Event go;
  run.all_connected = &all_connected;
  run.go = &go;
  Server server = co_await start_server(
      [](StreamReader r, StreamWriter w) { return echo_handler(std::move(r), std::move(w)); },
      "127.0.0.1", 0, 4096);
  std::vector<Task<void>> tasks;
  tasks.reserve(static_cast<std::size_t>(run.clients));
  for (int i = 0; i < run.clients; ++i)
    tasks.push_back(create_task(client(server.port(), i, &run)));
  co_await all_connected.wait();
  const Clock::time_point t0 = Clock::now();
  go.set();
  for (Task<void>& t : tasks)
    co_await t;
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  server.close();
  co_await server.wait_closed();
  co_return secs;
}

double percentile(std::vector<float>& v, double p)
{
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

int usage()
{
  std::fprintf(stderr,
               "usage: loopscope-echo-bench [--trace on|off] [--clients N] [--messages M]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv)
{
  bool trace = true;
  Run run;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--trace" && i + 1 < argc) {
      const std::string v = argv[++i];
      if (v != "on" && v != "off")
        return usage();
      trace = v == "on";
    } else if ((a == "--clients" || a == "--messages") && i + 1 < argc) {
      char* end = nullptr;
      const long v = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || v <= 0 || v > 1'000'000)
        return usage();
      (a == "--clients" ? run.clients : run.messages) = static_cast<int>(v);
    } else {
      return usage();
    }
  }
  // Two descriptors per client (its socket and the server's side of it).
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
  run.latency_us.assign(static_cast<std::size_t>(run.clients) * run.messages, 0.0f);

  Loop loop;
  SpscEventQueue queue(std::size_t{1} << 20);  // the GUI's queue size
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> consumed{0};
  std::thread drainer;
  if (trace) {
    loop.set_sink(&queue);
    drainer = std::thread([&] {  // like the GUI: batches, a short nap when the queue is empty
      std::uint64_t count = 0;
      for (;;) {
        const std::size_t got = queue.consume([](std::span<const TraceEvent>) {});
        count += got;
        if (got == 0) {
          if (done.load(std::memory_order_acquire) && queue.size() == 0)
            break;
          std::this_thread::sleep_for(50us);
        }
      }
      consumed.store(count, std::memory_order_relaxed);
    });
  }
  double secs = 0;
  try {
    secs = loop.run_until_complete(bench(run));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loopscope-echo-bench: %s\n", e.what());
    done.store(true, std::memory_order_release);
    if (drainer.joinable())
      drainer.join();
    return 1;
  }
  loop.flush_trace();
  done.store(true, std::memory_order_release);
  if (drainer.joinable())
    drainer.join();

  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  const double round_trips = static_cast<double>(run.latency_us.size());
  const double p50 = percentile(run.latency_us, 0.50);
  const double p99 = percentile(run.latency_us, 0.99);
  std::printf(
      "{\"peer\": \"%s\", \"workload\": \"echo\", \"clients\": %d, \"messages\": %d, "
      "\"round_trips\": %.0f, \"seconds\": %.4f, \"round_trips_per_s\": %.1f, \"p50_us\": %.1f, "
      "\"p99_us\": %.1f, \"trace\": %s, \"events\": %llu, \"dropped\": %llu, "
      "\"peak_rss_kb\": %ld}\n",
      trace ? "loopscope" : "loopscope-notrace", run.clients, run.messages, round_trips, secs,
      round_trips / secs, p50, p99, trace ? "true" : "false",
      static_cast<unsigned long long>(consumed.load()),
      static_cast<unsigned long long>(queue.dropped()), ru.ru_maxrss);
  return 0;
}
