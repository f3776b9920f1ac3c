// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scenarios.h"

#include "engine/loop.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace loopscope::engine::scenarios {

const std::vector<Scenario>& catalog()
{
  // Built once, on first use (thread-safe static initialisation); never modified afterwards.
  static const std::vector<Scenario> all = [] {
    std::vector<Scenario> v;
    v.push_back(detail::graceful_shutdown());
    v.push_back(detail::swallowed_cancel());
    v.push_back(detail::timeout_retry());
    v.push_back(detail::wait_for_calls());
    v.push_back(detail::worker_cancel());
    v.push_back(detail::blocking_call());
    v.push_back(detail::sequential_vs_gather());
    v.push_back(detail::gather_vs_taskgroup());
    v.push_back(detail::wait_first_completed());
    v.push_back(detail::to_thread_offload());
    v.push_back(detail::many_tasks());
    v.push_back(detail::echo_server());
    v.push_back(detail::soak());
    return v;
  }();
  return all;
}

const Scenario* find(std::string_view id)
{
  for (const Scenario& s : catalog())
    if (s.id == id)
      return &s;
  return nullptr;
}

double value(const Scenario& scenario, const Values& values, std::string_view key)
{
  return detail::lookup(scenario.params, values, key);
}

Values defaults(const Scenario& scenario)
{
  Values out;
  for (const Param& p : scenario.params)
    out.emplace(p.key, p.value);
  return out;
}

namespace detail {

double lookup(const std::vector<Param>& params, const Values& values, std::string_view key)
{
  const auto p = std::find_if(params.begin(), params.end(),
                              [key](const Param& param) { return param.key == key; });
  if (p == params.end())
    throw std::invalid_argument("scenario has no parameter '" + std::string(key) + "'");
  const auto given = values.find(key);
  double v = given != values.end() && std::isfinite(given->second) ? given->second : p->value;
  switch (p->type) {
    case Param::Type::Bool:
      return v != 0 ? 1.0 : 0.0;
    case Param::Type::Int:
      v = std::round(v);
      break;
    case Param::Type::Seconds:
      break;
  }
  return std::clamp(v, p->min, p->max);
}

Duration Settings::seconds(std::string_view key) const
{
  return from_seconds(number(key));
}

Param int_param(std::string key, std::string label, std::string tooltip, int value, int min,
                int max)
{
  return Param{std::move(key), std::move(label), std::move(tooltip), Param::Type::Int,
               double(value),  double(min),      double(max)};
}

Param seconds_param(std::string key, std::string label, std::string tooltip, double value,
                    double min, double max)
{
  return Param{
      std::move(key), std::move(label), std::move(tooltip), Param::Type::Seconds, value, min, max};
}

Param bool_param(std::string key, std::string label, std::string tooltip, bool value)
{
  return Param{std::move(key),
               std::move(label),
               std::move(tooltip),
               Param::Type::Bool,
               value ? 1.0 : 0.0,
               0.0,
               1.0};
}

Duration from_seconds(double s)
{
  return Duration(std::llround(s * 1e9));
}

std::string seconds_text(Duration d)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(d.count()) * 1e-9);
  std::string text = buf;
  // "1.500" -> "1.5", "20.000" -> "20"
  while (text.back() == '0')
    text.pop_back();
  if (text.back() == '.')
    text.pop_back();
  return text + " s";
}

std::string now_text()
{
  return "t=" + seconds_text(Loop::running().now().time_since_epoch());
}

void say(std::string_view text)
{
  Loop::running().print(text);
}

std::uint64_t next_random(std::uint64_t& state)
{
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double unit_random(std::uint64_t& state)
{
  return static_cast<double>(next_random(state) >> 11) * 0x1.0p-53;
}

}  // namespace detail

}  // namespace loopscope::engine::scenarios
