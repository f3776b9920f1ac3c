// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/pool.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

#include <sys/mman.h>

namespace loopscope::engine::detail {
namespace {

constexpr std::size_t kGranule = 16;
// Up to 4 KiB: the script interpreter's evaluator coroutine frames are 1-2.5 KiB.
constexpr std::size_t kMaxSmall = 4096;
constexpr std::size_t kClasses = kMaxSmall / kGranule;
constexpr std::size_t kChunk = std::size_t{2} << 20;

struct FreeBlock
{
  FreeBlock* next;
};

std::atomic<std::size_t> g_reserved{0};

// Process-wide state lives in objects that are never destroyed: pools of exiting threads and
// late frees during shutdown may still use it, and LeakSanitizer must find every chunk reachable
// from a live pointer (chunk list) rather than report it at exit.
struct Globals
{
  std::mutex mutex;
  std::vector<std::array<FreeBlock*, kClasses>> orphans;  // free lists of exited threads
  std::vector<void*> chunks;                              // every chunk ever carved
};
Globals& globals()
{
  static Globals* g = new Globals;
  return *g;
}

class Pool
{
public:
  Pool()
  {
    Globals& g = globals();
    std::lock_guard lock(g.mutex);
    if (!g.orphans.empty()) {
      free_ = g.orphans.back();
      g.orphans.pop_back();
    }
  }
  ~Pool()
  {
    // The bump region's remainder is dropped (at most one chunk's tail per thread).
    Globals& g = globals();
    std::lock_guard lock(g.mutex);
    g.orphans.push_back(free_);
  }

  void* alloc(std::size_t cls)
  {
    if (FreeBlock* b = free_[cls]) {
      free_[cls] = b->next;
      return b;
    }
    const std::size_t bytes = (cls + 1) * kGranule;
    if (static_cast<std::size_t>(end_ - cur_) < bytes)
      refill();
    void* p = cur_;
    cur_ += bytes;
    return p;
  }
  void free(void* p, std::size_t cls) noexcept
  {
    auto* b = static_cast<FreeBlock*>(p);
    b->next = free_[cls];
    free_[cls] = b;
  }

private:
  void refill()
  {
    void* mem = std::aligned_alloc(kChunk, kChunk);
    if (mem == nullptr)
      throw std::bad_alloc();
    ::madvise(mem, kChunk, MADV_HUGEPAGE);  // a hint: fine if refused
    g_reserved.fetch_add(kChunk, std::memory_order_relaxed);
    {
      Globals& g = globals();
      std::lock_guard lock(g.mutex);
      g.chunks.push_back(mem);
    }
    cur_ = static_cast<char*>(mem);
    end_ = cur_ + kChunk;
  }
  std::array<FreeBlock*, kClasses> free_{};
  char* cur_ = nullptr;
  char* end_ = nullptr;
};

Pool& pool()
{
  thread_local Pool p;
  return p;
}

}  // namespace

// Under AddressSanitizer every object gets its own allocation, so use-after-free of a coroutine
// frame and leaked tasks are reported instead of hidden inside a chunk.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUsePool = false;
#else
constexpr bool kUsePool = true;
#endif

void* pool_alloc(std::size_t size)
{
  if constexpr (!kUsePool)
    return ::operator new(size);
  if (size == 0)
    size = 1;
  if (size > kMaxSmall)
    return ::operator new(size);
  return pool().alloc((size - 1) / kGranule);
}

void pool_free(void* p, std::size_t size) noexcept
{
  if (p == nullptr)
    return;
  if constexpr (!kUsePool) {
    ::operator delete(p, size);
    return;
  }
  if (size == 0)
    size = 1;
  if (size > kMaxSmall) {
    ::operator delete(p, size);
    return;
  }
  pool().free(p, (size - 1) / kGranule);
}

std::size_t pool_reserved_bytes() noexcept
{
  return g_reserved.load(std::memory_order_relaxed);
}

}  // namespace loopscope::engine::detail
