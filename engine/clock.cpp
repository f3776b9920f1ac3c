// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/clock.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace loopscope::engine {

namespace {

std::int64_t monotonic_ns() noexcept
{
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

#if defined(__x86_64__)
std::uint64_t read_tsc() noexcept
{
  return __rdtsc();
}

/// Ticks per second of an invariant TSC, measured once per process (2 ms); 0 when the CPU does
/// not promise a constant, non-stop TSC.
double tsc_hz()
{
  static double hz = [] {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    bool constant = false, nonstop = false;
    while (std::getline(cpuinfo, line)) {
      if (line.rfind("flags", 0) != 0)
        continue;
      constant = line.find(" constant_tsc") != std::string::npos;
      nonstop = line.find(" nonstop_tsc") != std::string::npos;
      break;
    }
    if (!constant || !nonstop || std::getenv("LOOPSCOPE_NO_TSC") != nullptr)
      return 0.0;
    const std::int64_t n0 = monotonic_ns();
    const std::uint64_t t0 = read_tsc();
    std::int64_t n1 = n0;
    while (n1 - n0 < 2'000'000)
      n1 = monotonic_ns();
    const std::uint64_t t1 = read_tsc();
    const double rate = static_cast<double>(t1 - t0) / (static_cast<double>(n1 - n0) * 1e-9);
    return rate > 1e8 ? rate : 0.0;  // implausibly slow: do not trust it
  }();
  return hz;
}
#endif

}  // namespace

MonotonicSource::MonotonicSource()
{
#if defined(__x86_64__)
  const double hz = tsc_hz();
  if (hz > 0.0) {
    tsc_ = true;
    first_ns_ = anchor_ns_ = monotonic_ns();
    first_tsc_ = anchor_tsc_ = read_tsc();
    mult_ = static_cast<std::uint64_t>(1e9 / hz * 4294967296.0);
    recal_every_ = static_cast<std::uint64_t>(hz * 0.05);
    next_recal_ = anchor_tsc_ + recal_every_;
  }
#endif
  last_ = monotonic_ns();
}

std::int64_t MonotonicSource::clock_gettime_ns() noexcept
{
  return monotonic_ns();
}

std::int64_t MonotonicSource::recalibrate(std::uint64_t tsc) noexcept
{
  // Refine the rate over the whole baseline since construction and re-anchor to the real clock,
  // so the error never accumulates beyond one 50 ms interval's worth of rate error.
  const std::int64_t ns = monotonic_ns();
  if (tsc > first_tsc_ && ns > first_ns_) {
    const double per_tick =
        static_cast<double>(ns - first_ns_) / static_cast<double>(tsc - first_tsc_);
    mult_ = static_cast<std::uint64_t>(per_tick * 4294967296.0);
  }
  anchor_tsc_ = tsc;
  anchor_ns_ = ns;
  next_recal_ = tsc + recal_every_;
  return ns;
}

RealClock::RealClock(double scale, std::int64_t start_ns)
{
  if (!(scale > 0.0) || !std::isfinite(scale))
    throw std::invalid_argument("clock scale must be > 0");
  scale_ = scale;
  base_real_ = source_.now_ns();
  base_loop_ = start_ns;
}

std::int64_t RealClock::scaled(std::int64_t real_ns) const noexcept
{
  return static_cast<std::int64_t>(static_cast<double>(real_ns) * scale_);
}

std::int64_t RealClock::wall_wait_ns(std::int64_t loop_ns) const noexcept
{
  if (scale_ == 1.0)
    return loop_ns;
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(loop_ns) / scale_));
}

void RealClock::set_scale(double scale)
{
  if (!(scale > 0.0) || !std::isfinite(scale))
    throw std::invalid_argument("clock scale must be > 0");
  const std::int64_t loop_now = now_ns();
  base_real_ = source_.now_ns();
  base_loop_ = loop_now;
  scale_ = scale;
}

}  // namespace loopscope::engine
