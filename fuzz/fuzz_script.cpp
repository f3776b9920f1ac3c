// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: runs the input as a script (parse, resolve, execute, asyncio.run on the
// engine) on the virtual clock, traced, inside the interpreter's sandbox: no signals to other
// processes, no network, no real sleeping, a step budget, bounded sequence lengths and call
// depth. On top, the heap this process holds is capped: past kHeapLimit the run is stopped
// through RunConfig::abort, as the app stops a run. Any input must end in a result (an exit
// status, a SyntaxError, an uncaught exception), never a crash, a hang or a sanitizer report.
// See fuzz/README.md.
#include "engine/script/scriptrunner.h"
#include "engine/sink.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <sanitizer/allocator_interface.h>

namespace {

// Bounds for one input. The step budget keeps an input to well under a second under ASan.
constexpr std::uint64_t kMaxSteps = 20000;
constexpr std::size_t kMaxLength = std::size_t{1} << 20;  // 1 Mi items or bytes at once
constexpr int kMaxDepth = 200;
constexpr std::size_t kHeapLimit = std::size_t{512} << 20;  // far below -rss_limit_mb=2048

std::atomic<bool> g_stop{false};
std::atomic<unsigned> g_mallocs{0};

// Called by ASan on every allocation: every 256th one (and every large one) compares the heap
// with the limit and, past it, asks the interpreter to stop at its next checkpoint.
void onMalloc(const volatile void*, std::size_t size)
{
  if ((g_mallocs.fetch_add(1, std::memory_order_relaxed) & 255) != 0 && size < (1u << 20))
    return;
  if (__sanitizer_get_current_allocated_bytes() > kHeapLimit)
    g_stop.store(true, std::memory_order_relaxed);
}
void onFree(const volatile void*) {}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
  __sanitizer_install_malloc_and_free_hooks(onMalloc, onFree);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  using namespace loopscope;
  g_stop.store(false);
  engine::VectorSink sink;
  script::ScriptOptions options;
  options.virtual_time = true;
  options.sink = &sink;
  options.abort = &g_stop;
  options.sandbox.enabled = true;
  options.sandbox.max_steps = kMaxSteps;
  options.sandbox.max_length = kMaxLength;
  options.sandbox.max_depth = kMaxDepth;
  const auto quiet = [](std::string_view) {
  };
  const script::ScriptResult r =
      script::run_script(std::string(reinterpret_cast<const char*>(data), size), "fuzz.py", options,
                         script::ScriptIo{quiet, quiet});
  // A SyntaxError has its place; the trace decodes.
  if (r.parse_failed && r.parse_error.empty()) {
    std::fprintf(stderr, "fuzz_script: a parse failure without a message\n");
    std::abort();
  }
  (void)engine::TraceDecoder::decode(sink.events());
  return 0;
}
