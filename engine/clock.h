// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace loopscope::engine {

/// The time source a Loop is built with. Loop time is in nanoseconds from the loop's creation.
class Clock
{
public:
  virtual ~Clock() = default;
  /// Current loop time in ns.
  virtual std::int64_t now_ns() = 0;
  /// A virtual clock never waits: when nothing is ready the loop jumps it to the next timer.
  virtual bool is_virtual() const noexcept = 0;
  /// Virtual clocks: move time forward to `t_ns` (never backwards). Real clocks ignore it.
  virtual void advance_to(std::int64_t t_ns) { (void)t_ns; }
  /// Real clocks: how many real nanoseconds to block for `loop_ns` of loop time.
  virtual std::int64_t wall_wait_ns(std::int64_t loop_ns) const noexcept { return loop_ns; }
};

/// CLOCK_MONOTONIC nanoseconds, read cheaply. On x86-64 CPUs with an invariant TSC the time is
/// extrapolated from the TSC (about 10 ns a read instead of about 27 ns for clock_gettime), with
/// the rate calibrated once per process and re-anchored against CLOCK_MONOTONIC every 50 ms so it
/// cannot drift; results never go backwards. Elsewhere it is plain clock_gettime. One instance
/// per thread (not thread-safe).
class MonotonicSource
{
public:
  MonotonicSource();
  /// Inline: the loop reads it once per step while tracing.
  std::int64_t now_ns() noexcept
  {
#if defined(__x86_64__)
    if (tsc_) {
      const std::uint64_t tsc = __rdtsc();
      if (tsc >= next_recal_ || tsc < anchor_tsc_)
        return clamp(recalibrate(tsc));
      __extension__ typedef unsigned __int128 u128;
      const auto delta = static_cast<u128>(tsc - anchor_tsc_) * mult_;
      return clamp(anchor_ns_ + static_cast<std::int64_t>(delta >> 32));
    }
#endif
    return clock_gettime_ns();
  }
  /// True when the TSC path is in use.
  bool uses_tsc() const noexcept
  {
    return tsc_;
  }

private:
  std::int64_t clamp(std::int64_t ns) noexcept
  {
    if (ns < last_)
      ns = last_;  // re-anchoring may pull time back by a little: never go back
    last_ = ns;
    return ns;
  }
  static std::int64_t clock_gettime_ns() noexcept;
  std::int64_t recalibrate(std::uint64_t tsc) noexcept;
  bool tsc_ = false;
  std::uint64_t anchor_tsc_ = 0;
  std::int64_t anchor_ns_ = 0;
  std::uint64_t first_tsc_ = 0;
  std::int64_t first_ns_ = 0;
  std::uint64_t mult_ = 0;         // ns per tick, 32.32 fixed point
  std::uint64_t recal_every_ = 0;  // ticks between re-anchoring
  std::uint64_t next_recal_ = 0;
  std::int64_t last_ = 0;
};

/// Steady-clock time, optionally scaled: at scale 0.25 loop time runs at a quarter of real time,
/// so a 1 s sleep takes 4 s of wall time (for watching a scenario slowly).
class RealClock final : public Clock
{
public:
  /// Loop time starts at `start_ns` (a later asyncio.run continues the earlier one's time).
  explicit RealClock(double scale = 1.0, std::int64_t start_ns = 0);
  std::int64_t now_ns() override { return now_inline(); }
  /// The same without a virtual call (the loop uses it directly for a RealClock).
  std::int64_t now_inline() noexcept
  {
    const std::int64_t real = source_.now_ns() - base_real_;
    return scale_ == 1.0 ? base_loop_ + real : base_loop_ + scaled(real);
  }
  bool is_virtual() const noexcept override { return false; }
  std::int64_t wall_wait_ns(std::int64_t loop_ns) const noexcept override;
  /// Changes the scale from now on; loop time stays continuous. Loop thread only.
  void set_scale(double scale);
  double scale() const noexcept { return scale_; }

private:
  std::int64_t scaled(std::int64_t real_ns) const noexcept;
  MonotonicSource source_;
  std::int64_t base_real_ = 0;  // real ns at the last rebase
  std::int64_t base_loop_ = 0;  // loop ns at the last rebase
  double scale_ = 1.0;
};

/// Deterministic time for tests and fast replays (like trio's autojump clock): time stands still
/// while work is ready and jumps to the next timer when the loop would otherwise wait.
class VirtualClock final : public Clock
{
public:
  explicit VirtualClock(std::int64_t start_ns = 0) : now_(start_ns) {}
  std::int64_t now_ns() override { return now_; }
  bool is_virtual() const noexcept override { return true; }
  void advance_to(std::int64_t t_ns) override
  {
    if (t_ns > now_)
      now_ = t_ns;
  }

private:
  std::int64_t now_;
};

}  // namespace loopscope::engine
