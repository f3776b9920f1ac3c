// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Time <-> pixel maths and the zoom/follow state of the timeline: pure, no Qt, table-tested
// (tst_timelinecoordinates). The plot's time axis is in seconds of loop time; the model is in ns.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace loopscope::views::timeline {

inline constexpr double kNsPerSecond = 1e9;
// Narrowest window the zoom allows (1 µs) and the widest (one day).
inline constexpr double kMinWindowSeconds = 1e-6;
inline constexpr double kMaxWindowSeconds = 86'400.0;
// In follow mode "now" sits this far into the window, leaving room for what comes next.
inline constexpr double kFollowNowAt = 0.9;

[[nodiscard]] inline double toSeconds(std::int64_t ns) noexcept
{
  return static_cast<double>(ns) / kNsPerSecond;
}
[[nodiscard]] inline std::int64_t toNs(double seconds) noexcept
{
  return static_cast<std::int64_t>(std::llround(seconds * kNsPerSecond));
}

struct Window
{
  double lower = 0.0;  // seconds
  double upper = 10.0;
  [[nodiscard]] double width() const noexcept { return upper - lower; }
  friend bool operator==(const Window&, const Window&) = default;
};

// x of time t in a plot area [left, left + pixels) showing `w`.
[[nodiscard]] inline double timeToPixel(double t, const Window& w, double left,
                                        double pixels) noexcept
{
  return left + (t - w.lower) / w.width() * pixels;
}
[[nodiscard]] inline double pixelToTime(double x, const Window& w, double left,
                                        double pixels) noexcept
{
  return w.lower + (x - left) / pixels * w.width();
}
// Loop time one pixel spans (spans shorter than this are merged when painting).
[[nodiscard]] inline double secondsPerPixel(const Window& w, double pixels) noexcept
{
  return pixels > 0 ? w.width() / pixels : w.width();
}

// Zooms by `factor` (< 1 zooms in) keeping `anchor` (a time inside or outside the window) at the
// same pixel, as a wheel zoom under the mouse does. The width is clamped to [min, max].
[[nodiscard]] inline Window zoomAround(const Window& w, double anchor, double factor) noexcept
{
  const double width = std::clamp(w.width() * factor, kMinWindowSeconds, kMaxWindowSeconds);
  const double frac = w.width() > 0 ? (anchor - w.lower) / w.width() : 0.5;
  const double lower = anchor - frac * width;
  return {lower, lower + width};
}

// Moves the window by `seconds` (positive: later), keeping its width.
[[nodiscard]] inline Window panBy(const Window& w, double seconds) noexcept
{
  return {w.lower + seconds, w.upper + seconds};
}

// The window that keeps its width and puts `now` at kFollowNowAt of it. A window wider than what
// has happened starts at `start` instead (no empty past before the run began).
[[nodiscard]] inline Window followNow(const Window& w, double now, double start = 0.0) noexcept
{
  const double width = w.width();
  double lower = now - kFollowNowAt * width;
  lower = std::max(lower, start);
  return {lower, lower + width};
}

// The whole run [start, end] with a 2% margin at each side; at least `minWidth` wide.
[[nodiscard]] inline Window fitRun(double start, double end, double minWidth = 1e-3) noexcept
{
  const double width = std::max(end - start, minWidth);
  const double margin = width * 0.02;
  return {start - margin, start + width + margin};
}

// "1.250 s", "340 ms", "12.5 µs", "800 ns": three significant figures, unit by magnitude.
[[nodiscard]] inline std::string formatDuration(std::int64_t ns)
{
  const double a = std::abs(static_cast<double>(ns));
  const char* unit = "ns";
  double v = static_cast<double>(ns);
  if (a >= 1e9) {
    v /= 1e9;
    unit = "s";
  } else if (a >= 1e6) {
    v /= 1e6;
    unit = "ms";
  } else if (a >= 1e3) {
    v /= 1e3;
    unit = "µs";
  }
  char buf[48];
  const double av = std::abs(v);
  const int decimals = unit[0] == 'n' ? 0 : av >= 100 ? 0 : av >= 10 ? 1 : av >= 1 ? 2 : 3;
  std::snprintf(buf, sizeof buf, "%.*f %s", decimals, v, unit);
  return buf;
}

// "12.345 s": a point in loop time, ms resolution (µs when `fine`).
[[nodiscard]] inline std::string formatTime(std::int64_t ns, bool fine = false)
{
  char buf[48];
  std::snprintf(buf, sizeof buf, fine ? "%.6f s" : "%.3f s", toSeconds(ns));
  return buf;
}

// Vertical layout: row r (0 = the loop row) of rows `rowHeight` px tall, the first visible row
// being `firstRow`, in a plot area starting at `top`.
[[nodiscard]] inline double rowCenter(int row, double firstRow, double top,
                                      double rowHeight) noexcept
{
  return top + (row - firstRow + 0.5) * rowHeight;
}
// The row under pixel y, or -1 above the first row.
[[nodiscard]] inline int rowAt(double y, double firstRow, double top, double rowHeight) noexcept
{
  const double r = (y - top) / rowHeight + firstRow;
  return r < 0 ? -1 : static_cast<int>(std::floor(r));
}

}  // namespace loopscope::views::timeline
