// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>

namespace loopscope::engine {

/// The loop's own clock type. Loop time starts at 0 when the loop is created and is measured in
/// nanoseconds. Under a VirtualClock it only moves when the loop jumps to the next timer; under a
/// RealClock it follows the steady clock (optionally scaled, see RealClock::set_scale).
struct LoopClock
{
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<LoopClock, duration>;
  static constexpr bool is_steady = true;
};

using Duration = std::chrono::nanoseconds;
using TimePoint = LoopClock::time_point;

constexpr std::int64_t to_ns(TimePoint t) noexcept
{
  return t.time_since_epoch().count();
}
constexpr TimePoint from_ns(std::int64_t ns) noexcept
{
  return TimePoint(Duration(ns));
}

}  // namespace loopscope::engine
