// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/event.h"

#include <vector>

namespace loopscope::engine {
namespace {

constexpr std::array kEventKindInfo = {
    EventKindInfo{EventKind::TaskCreated, "TaskCreated"},
    EventKindInfo{EventKind::TaskRenamed, "TaskRenamed"},
    EventKindInfo{EventKind::StepBegin, "StepBegin"},
    EventKindInfo{EventKind::Suspended, "Suspended"},
    EventKindInfo{EventKind::Ready, "Ready"},
    EventKindInfo{EventKind::TaskDone, "TaskDone"},
    EventKindInfo{EventKind::CancelRequested, "CancelRequested"},
    EventKindInfo{EventKind::CancelDelivered, "CancelDelivered"},
    EventKindInfo{EventKind::CancelSwallowed, "CancelSwallowed"},
    EventKindInfo{EventKind::Uncancel, "Uncancel"},
    EventKindInfo{EventKind::TimeoutArmed, "TimeoutArmed"},
    EventKindInfo{EventKind::TimeoutRescheduled, "TimeoutRescheduled"},
    EventKindInfo{EventKind::TimeoutFired, "TimeoutFired"},
    EventKindInfo{EventKind::TimeoutDisarmed, "TimeoutDisarmed"},
    EventKindInfo{EventKind::CallbackBegin, "CallbackBegin"},
    EventKindInfo{EventKind::CallbackEnd, "CallbackEnd"},
    EventKindInfo{EventKind::CallbackError, "CallbackError"},
    EventKindInfo{EventKind::SlowStep, "SlowStep"},
    EventKindInfo{EventKind::LoopWait, "LoopWait"},
    EventKindInfo{EventKind::LoopWake, "LoopWake"},
    EventKindInfo{EventKind::SiteDefined, "SiteDefined"},
    EventKindInfo{EventKind::SignalReceived, "SignalReceived"},
    EventKindInfo{EventKind::ShutdownPhase, "ShutdownPhase"},
    EventKindInfo{EventKind::ExecutorJobBegin, "ExecutorJobBegin"},
    EventKindInfo{EventKind::ExecutorJobEnd, "ExecutorJobEnd"},
    EventKindInfo{EventKind::Print, "Print"},
    EventKindInfo{EventKind::Text, "Text"},
    EventKindInfo{EventKind::ObjectCreated, "ObjectCreated"},
    EventKindInfo{EventKind::Diagnostic, "Diagnostic"},
};
static_assert(kEventKindInfo.size() == static_cast<std::size_t>(EventKind::Count_),
              "every EventKind needs a row in kEventKindInfo");

constexpr bool table_in_order()
{
  for (std::size_t i = 0; i < kEventKindInfo.size(); ++i)
    if (static_cast<std::size_t>(kEventKindInfo[i].kind) != i)
      return false;
  return true;
}
static_assert(table_in_order(), "kEventKindInfo rows must follow the enum order");

constexpr std::array<std::string_view, static_cast<std::size_t>(AwaitKind::Count_)> kAwaitNames = {
    "none",      "yield",     "sleep", "future", "task",     "lock",   "event",
    "semaphore", "condition", "queue", "io",     "executor", "shield", "other"};

}  // namespace

std::string_view event_kind_name(EventKind k) noexcept
{
  const auto i = static_cast<std::size_t>(k);
  return i < kEventKindInfo.size() ? kEventKindInfo[i].name : std::string_view("?");
}

std::string_view await_kind_name(AwaitKind k) noexcept
{
  const auto i = static_cast<std::size_t>(k);
  return i < kAwaitNames.size() ? kAwaitNames[i] : std::string_view("?");
}

std::string_view task_outcome_name(TaskOutcome o) noexcept
{
  constexpr std::array<std::string_view, 3> kNames = {"result", "exception", "cancelled"};
  static_assert(kNames.size() == static_cast<std::size_t>(TaskOutcome::Cancelled) + 1,
                "every TaskOutcome needs a name");
  const auto i = static_cast<std::size_t>(o);
  return i < kNames.size() ? kNames[i] : std::string_view("?");
}

namespace {
template <class E, std::size_t N>
std::string_view name_in(const std::array<std::string_view, N>& names, E value) noexcept
{
  static_assert(N == static_cast<std::size_t>(E::Count_), "every enumerator needs a name");
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : std::string_view("?");
}
}  // namespace

std::string_view diagnostic_kind_name(DiagnosticKind k) noexcept
{
  static constexpr std::array<std::string_view, 6> kNames = {
      "swallowed cancellation", "never yields",   "lost wake-up",
      "unretrieved exception",  "holds shutdown", "handler failed"};
  return name_in(kNames, k);
}

std::string_view shutdown_hold_name(ShutdownHold h) noexcept
{
  static constexpr std::array<std::string_view, 4> kNames = {
      "swallowed its CancelledError", "blocking the loop", "awaiting a shielded operation",
      "still cleaning up after cancellation"};
  return name_in(kNames, h);
}

std::string_view shutdown_phase_name(ShutdownPhaseKind p) noexcept
{
  static constexpr std::array<std::string_view, 7> kNames = {
      "signal received", "main done", "cancelling tasks", "awaiting tasks", "executor shutdown",
      "grace expired",   "closed"};
  return name_in(kNames, p);
}

std::string clean_function_name(std::string_view raw)
{
  // GCC: "<ret> NAME(SIGNATURE::<mangled>.Frame*)" for coroutine bodies. The '(' matching the
  // final ')' opens the actor's parameter list; the signature runs from there to "::_Z".
  if (raw.size() < 8 || raw.substr(raw.size() - 8) != ".Frame*)")
    return std::string(raw);
  int depth = 0;
  std::size_t open = std::string_view::npos;
  for (std::size_t i = raw.size(); i-- > 0;) {
    if (raw[i] == ')')
      ++depth;
    if (raw[i] == '(' && --depth == 0) {
      open = i;
      break;
    }
  }
  const std::size_t mangled = raw.rfind("::_Z");
  if (open == std::string_view::npos || mangled == std::string_view::npos || mangled < open)
    return std::string(raw);
  return std::string(raw.substr(open + 1, mangled - open - 1));
}

std::string short_function_name(std::string_view sig)
{
  const std::string clean = clean_function_name(sig);
  const std::string_view s(clean);
  // A lambda: "<ret> outer(args)::<lambda(args)>" names the function it is in.
  if (const std::size_t lambda = s.rfind("::<lambda");
      lambda != std::string_view::npos && !s.empty() && s.back() == '>') {
    const std::string outer = short_function_name(s.substr(0, lambda));
    return outer + "::lambda";
  }
  // The parameter list: the '(' that matches the last ')' (after it only cv/ref qualifiers).
  const std::size_t close = s.rfind(')');
  if (close == std::string_view::npos)
    return clean;
  int depth = 0;
  std::size_t open = std::string_view::npos;
  for (std::size_t i = close + 1; i-- > 0;) {
    if (s[i] == ')')
      ++depth;
    else if (s[i] == '(' && --depth == 0) {
      open = i;
      break;
    }
  }
  if (open == std::string_view::npos || open == 0)
    return clean;
  // The qualified name ends at `open`; it starts after the last space outside <> and ().
  std::size_t begin = 0;
  depth = 0;
  for (std::size_t i = open; i-- > 0;) {
    const char c = s[i];
    if (c == '>' || c == ')')
      ++depth;
    else if (c == '<' || c == '(')
      --depth;
    else if (c == ' ' && depth == 0) {
      begin = i + 1;
      break;
    }
  }
  const std::string_view qualified = s.substr(begin, open - begin);
  // Split on "::" outside template arguments; keep the last part and a class-like part before
  // it (one starting with an upper-case letter), drop namespaces and "{anonymous}".
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  depth = 0;
  for (std::size_t i = 0; i + 1 < qualified.size(); ++i) {
    const char c = qualified[i];
    if (c == '<' || c == '(')
      ++depth;
    else if (c == '>' || c == ')')
      --depth;
    else if (c == ':' && qualified[i + 1] == ':' && depth == 0) {
      parts.push_back(qualified.substr(start, i - start));
      start = i + 2;
      ++i;
    }
  }
  parts.push_back(qualified.substr(start));
  if (parts.back().empty())
    return clean;
  // Template arguments are noise in a label: "BasicQueue<int, Items<int> >::get" ->
  // "BasicQueue::get".
  const auto bare = [](std::string_view part) {
    const std::size_t lt = part.find('<');
    if (lt == std::string_view::npos || lt == 0 || part.rfind("operator", 0) == 0)
      return part;
    return part.substr(0, lt);
  };
  std::string out(bare(parts.back()));
  if (parts.size() >= 2) {
    const std::string_view owner = bare(parts[parts.size() - 2]);
    if (!owner.empty() && owner.front() >= 'A' && owner.front() <= 'Z')
      out = std::string(owner) + "::" + out;
  }
  return out;
}

}  // namespace loopscope::engine
