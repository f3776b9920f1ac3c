// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Argument helpers for native functions of the script modules.

#include "engine/script/interp.h"

#include <chrono>
#include <cmath>
#include <optional>
#include <string>

namespace loopscope::script::mod {

/// The steady clock in ns (real elapsed time, whatever the loop's clock does).
inline std::int64_t steady_ns() noexcept
{
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Positional-or-keyword argument `i` named `name` of native function `fn`.
inline const Value* find_arg(CallArgs& a, std::size_t i, std::string_view name)
{
  if (i < a.args.size())
    return &a.args[i];
  for (auto& [k, v] : a.kwargs)
    if (k == name)
      return &v;
  return nullptr;
}

inline Value arg(Interp& in, CallArgs& a, std::size_t i, std::string_view name, const char* fn)
{
  if (const Value* v = find_arg(a, i, name))
    return *v;
  in.raise(in.e.TypeError, std::string(fn) + "() missing required argument '" + std::string(name) +
                               "' (pos " + std::to_string(i + 1) + ")");
}

inline Value arg_or(CallArgs& a, std::size_t i, std::string_view name, Value dflt = {})
{
  if (const Value* v = find_arg(a, i, name))
    return *v;
  return dflt;
}

inline double to_double(Interp& in, const Value& v, const char* what)
{
  if (v.is_float())
    return v.as_float();
  if (v.is_intlike())
    return static_cast<double>(v.as_int());
  in.raise(in.e.TypeError, std::string(what) + " must be a real number, not " + in.type_name(v));
}

/// Seconds (int or float) → nanoseconds; None → nullopt.
inline std::optional<std::int64_t> to_ns(Interp& in, const Value& v, const char* what)
{
  if (v.is_none())
    return std::nullopt;
  const double s = to_double(in, v, what);
  if (std::isnan(s))
    in.raise(in.e.ValueError, std::string(what) + " must not be NaN");
  if (s > 9.2e9)
    return std::int64_t{INT64_MAX / 2};
  return static_cast<std::int64_t>(std::llround(s * 1e9));
}

inline std::string to_text(Interp& in, const Value& v)
{
  if (auto* s = v.as<StrObject>())
    return s->s;
  return in.to_str(v);
}

}  // namespace loopscope::script::mod
