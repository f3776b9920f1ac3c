// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/retention.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace loopscope::views {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinNs = kSecond;
constexpr std::int64_t kMaxNs = std::int64_t{30} * 24 * 3600 * kSecond;
constexpr std::size_t kMinEvents = 10'000;
constexpr std::size_t kMaxEvents = 2'000'000'000;

std::string lower(std::string_view s)
{
  std::string out;
  for (const char c : s) {
    if (c != ' ' && c != '\t')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool fail(std::string* error, std::string message)
{
  if (error != nullptr)
    *error = std::move(message);
  return false;
}

// One part: a number and a unit. Sets keepNs or keepEvents.
bool parsePart(const std::string& part, std::string_view original, Retention& out,
               std::string* error)
{
  std::string_view trimmed = original;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t'))
    trimmed.remove_prefix(1);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t'))
    trimmed.remove_suffix(1);
  const std::string quoted = "'" + std::string(trimmed) + "'";
  std::size_t digits = 0;
  while (digits < part.size() &&
         (std::isdigit(static_cast<unsigned char>(part[digits])) != 0 || part[digits] == '.'))
    ++digits;
  if (digits == 0)
    return fail(error, "retention " + quoted + ": expected a number at the start (e.g. 5m, 2M ev)");
  double value = 0;
  const auto [end, ec] = std::from_chars(part.data(), part.data() + digits, value);
  if (ec != std::errc() || end != part.data() + digits || !std::isfinite(value) || value <= 0)
    return fail(error, "retention " + quoted + ": '" + part.substr(0, digits) +
                           "' is not a positive number");
  std::string unit = part.substr(digits);
  double multiplier = 1;
  // A count: an optional k/M suffix, then ev/event/events.
  for (const std::string_view ev : {"events", "event", "ev"}) {
    if (unit.size() >= ev.size() && unit.compare(unit.size() - ev.size(), ev.size(), ev) == 0) {
      std::string scale = unit.substr(0, unit.size() - ev.size());
      if (scale == "k")
        multiplier = 1e3;
      else if (scale == "m")
        multiplier = 1e6;
      else if (!scale.empty())
        return fail(error, "retention " + quoted + ": unknown count suffix '" + scale +
                               "' (use k or M, e.g. 500k ev)");
      const double count = value * multiplier;
      if (count < static_cast<double>(kMinEvents) || count > static_cast<double>(kMaxEvents))
        return fail(error,
                    "retention " + quoted + ": keep between 10,000 and 2,000,000,000 events");
      if (out.keepEvents != 0)
        return fail(error, "retention " + quoted + ": two event counts");
      out.keepEvents = static_cast<std::size_t>(std::llround(count));
      return true;
    }
  }
  double unitNs = 0;
  if (unit == "ms")
    unitNs = 1e6;
  else if (unit == "s" || unit == "sec" || unit == "second" || unit == "seconds")
    unitNs = 1e9;
  else if (unit == "m" || unit == "min" || unit == "minute" || unit == "minutes")
    unitNs = 60e9;
  else if (unit == "h" || unit == "hour" || unit == "hours")
    unitNs = 3600e9;
  else if (unit == "d" || unit == "day" || unit == "days")
    unitNs = 86400e9;
  else if (unit.empty())
    return fail(error, "retention " + quoted +
                           ": missing unit after the number (ms, s, m, h for loop time; ev "
                           "for events)");
  else
    return fail(error, "retention " + quoted + ": unknown unit '" + unit +
                           "' (ms, s, m, h, d for loop time; ev, k ev, M ev for events)");
  const double ns = value * unitNs;
  if (ns < static_cast<double>(kMinNs) || ns > static_cast<double>(kMaxNs))
    return fail(error, "retention " + quoted + ": keep between 1 s and 30 days of loop time");
  if (out.keepNs != 0)
    return fail(error, "retention " + quoted + ": two durations");
  out.keepNs = static_cast<std::int64_t>(std::llround(ns));
  return true;
}

std::string grouped(std::uint64_t n)
{
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string durationWords(std::int64_t ns)
{
  const auto whole = [](double v, const char* unit) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == std::floor(v) ? "%.0f %s" : "%.1f %s", v, unit);
    return std::string(buf);
  };
  if (ns % (3600 * kSecond) == 0 || ns >= 10 * 3600 * kSecond)
    return whole(static_cast<double>(ns) / (3600.0 * kSecond), "h");
  if (ns % (60 * kSecond) == 0 || ns >= 10 * 60 * kSecond)
    return whole(static_cast<double>(ns) / (60.0 * kSecond), "min");
  return whole(static_cast<double>(ns) / kSecond, "s");
}

std::string durationText(std::int64_t ns)
{
  if (ns % (3600 * kSecond) == 0)
    return std::to_string(ns / (3600 * kSecond)) + "h";
  if (ns % (60 * kSecond) == 0)
    return std::to_string(ns / (60 * kSecond)) + "m";
  if (ns % kSecond == 0)
    return std::to_string(ns / kSecond) + "s";
  return std::to_string(ns / 1'000'000) + "ms";
}

}  // namespace

std::optional<Retention> parseRetention(std::string_view text, std::string* error)
{
  const std::string all = lower(text);
  if (all == "off" || all == "all" || all == "everything" || all == "none" || all == "0")
    return Retention{};
  if (all.empty()) {
    fail(error, "retention: empty (use e.g. 5m, 2M ev, or off)");
    return std::nullopt;
  }
  Retention out;
  std::size_t start = 0;
  std::size_t originalStart = 0;
  while (start <= all.size()) {
    const std::size_t comma = all.find(',', start);
    const std::string part =
        all.substr(start, comma == std::string::npos ? all.npos : comma - start);
    const std::size_t originalComma = text.find(',', originalStart);
    const std::string_view original = text.substr(
        originalStart,
        originalComma == std::string_view::npos ? text.npos : originalComma - originalStart);
    if (!parsePart(part, original, out, error))
      return std::nullopt;
    if (comma == std::string::npos)
      break;
    start = comma + 1;
    originalStart = originalComma + 1;
  }
  return out;
}

std::string describeRetention(const Retention& r)
{
  if (!r.active())
    return "everything";
  std::string out = "last ";
  if (r.keepNs > 0)
    out += durationWords(r.keepNs);
  if (r.keepNs > 0 && r.keepEvents > 0)
    out += " or ";
  if (r.keepEvents > 0)
    out += grouped(r.keepEvents) + " events";
  return out;
}

std::string retentionText(const Retention& r)
{
  if (!r.active())
    return "off";
  std::string out;
  if (r.keepNs > 0)
    out += durationText(r.keepNs);
  if (r.keepEvents > 0)
    out += (out.empty() ? "" : ",") + std::to_string(r.keepEvents) + "ev";
  return out;
}

}  // namespace loopscope::views
