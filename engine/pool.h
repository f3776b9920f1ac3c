// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace loopscope::engine::detail {

/// Small-object pool for coroutine frames and tasks: per-thread free lists in 16-byte size
/// classes up to 1 KiB, carved from 2 MiB chunks that ask the kernel for huge pages
/// (MADV_HUGEPAGE), so spawning 100k tasks costs a few page faults instead of thousands and no
/// malloc headers. Larger blocks go to operator new. A block may be freed on any thread (it joins
/// that thread's list). When a thread exits, its free blocks go to a global list that the next
/// thread's pool adopts, so restarting an engine thread does not grow memory. Chunks are kept
/// for the life of the process: memory is bounded by the peak number of live objects.
void* pool_alloc(std::size_t size);
void pool_free(void* p, std::size_t size) noexcept;

/// Base of the engine's small objects that come from the pool (frames, task extras, cancel
/// links): gives them the pool's class-specific operator new/delete.
struct PoolAllocated
{
  static void* operator new(std::size_t size) { return pool_alloc(size); }
  static void operator delete(void* p, std::size_t size) noexcept { pool_free(p, size); }
};

/// Bytes currently held in chunks by all pools (for diagnostics and benchmarks).
std::size_t pool_reserved_bytes() noexcept;

}  // namespace loopscope::engine::detail
