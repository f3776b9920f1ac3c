// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the GUI benchmarks share: how late the GUI thread's event loop is (a precise timer that
// records, for each timeout, how much later than its interval it came) and a percentile.

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace loopscope::bench {

// Nearest-rank percentile of an ascending vector (p in 0..100); NaN when it is empty.
inline double percentile(const std::vector<double>& sorted, double p)
{
  if (sorted.empty()) {
    return std::nan("");
  }
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const auto k = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
  return sorted[std::min(k, sorted.size() - 1)];
}

// Event-loop lateness on the thread that starts it. The first timeout only sets the reference
// point; each later one adds (time since the previous one - interval) to gapsMs().
class LagProbe
{
public:
  explicit LagProbe(int intervalMs)
  {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { tick(); });
  }

  void start()
  {
    m_clock.start();
    m_last = -1;
    m_timer.start();
  }
  void stop() { m_timer.stop(); }
  void reserve(std::size_t n) { m_gapsMs.reserve(n); }

  // In arrival order (sort a copy for percentiles).
  [[nodiscard]] const std::vector<double>& gapsMs() const noexcept { return m_gapsMs; }
  [[nodiscard]] std::vector<double>& gapsMs() noexcept { return m_gapsMs; }
  [[nodiscard]] double worstMs() const noexcept { return m_worstMs; }
  // Seconds after start() when the worst gap ended.
  [[nodiscard]] double worstAt() const noexcept { return m_worstAt; }

private:
  void tick()
  {
    const qint64 now = m_clock.nsecsElapsed();
    if (m_last >= 0) {
      const double gap = static_cast<double>(now - m_last) / 1e6 - m_timer.interval();
      m_gapsMs.push_back(gap);
      if (gap > m_worstMs) {
        m_worstMs = gap;
        m_worstAt = static_cast<double>(now) / 1e9;
      }
    }
    m_last = now;
  }

  QTimer m_timer;
  QElapsedTimer m_clock;
  qint64 m_last = -1;
  std::vector<double> m_gapsMs;
  double m_worstMs = 0;
  double m_worstAt = 0;
};

}  // namespace loopscope::bench
