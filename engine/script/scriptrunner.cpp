// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/script/scriptrunner.h"

#include "engine/loop.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace loopscope::script {

std::string syntax_report(const ParseError& e, const std::string& source)
{
  std::string out = "  File \"" + e.filename + "\", line " + std::to_string(e.pos.line) + "\n";
  std::size_t line = 1, start = 0;
  while (line < e.pos.line && start < source.size()) {
    const std::size_t nl = source.find('\n', start);
    if (nl == std::string::npos) {
      start = source.size();
      break;
    }
    start = nl + 1;
    ++line;
  }
  if (start < source.size()) {
    std::size_t end = source.find('\n', start);
    std::string text =
        source.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::size_t lead = text.find_first_not_of(" \t");
    if (lead == std::string::npos)
      lead = text.size();
    out += "    " + text.substr(lead) + "\n";
    const std::size_t col = e.pos.col > 0 ? e.pos.col - 1 : 0;
    out += "    " + std::string(col > lead ? col - lead : 0, ' ') + "^\n";
  }
  const char* kind = e.kind == ParseError::Kind::Indentation    ? "IndentationError"
                     : e.kind == ParseError::Kind::NotSupported ? "NotSupportedByLoopscope"
                                                                : "SyntaxError";
  std::string msg = e.message;
  if (e.kind == ParseError::Kind::NotSupported && msg.rfind("not supported by loopscope", 0) != 0)
    msg = "not supported by loopscope: " + msg;
  out += std::string(kind) + ": " + msg + "\n";
  return out;
}

bool parse_signal_spec(const std::string& spec, int* signum, double* at, std::string* error)
{
  const std::size_t atpos = spec.find('@');
  if (atpos == std::string::npos) {
    *error = "--signal '" + spec + "': expected NAME@SECONDS, e.g. SIGINT@2.5";
    return false;
  }
  const std::string name = spec.substr(0, atpos);
  const std::string when = spec.substr(atpos + 1);
  static const std::pair<const char*, int> known[] = {{"SIGINT", SIGINT},   {"SIGTERM", SIGTERM},
                                                      {"SIGHUP", SIGHUP},   {"SIGUSR1", SIGUSR1},
                                                      {"SIGUSR2", SIGUSR2}, {"SIGQUIT", SIGQUIT}};
  int num = -1;
  for (const auto& [n, v] : known)
    if (name == n || name == std::string(n).substr(3))
      num = v;
  if (num < 0) {
    char* end = nullptr;
    const long v = std::strtol(name.c_str(), &end, 10);
    if (end != name.c_str() && *end == '\0' && v > 0 && v < 65)
      num = static_cast<int>(v);
  }
  if (num < 0) {
    *error = "--signal '" + spec + "': unknown signal '" + name +
             "' (known: SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT or a number)";
    return false;
  }
  char* end = nullptr;
  const double t = std::strtod(when.c_str(), &end);
  if (when.empty() || end == nullptr || *end != '\0' || !(t >= 0)) {
    *error = "--signal '" + spec + "': '" + when + "' is not a time in seconds (>= 0)";
    return false;
  }
  *signum = num;
  *at = t;
  return true;
}

ScriptResult run_script(const std::string& source, const std::string& filename,
                        const ScriptOptions& options, ScriptIo io)
{
  ScriptResult result;
  Interp in(std::move(io));
  in.config.virtual_time = options.virtual_time;
  in.config.time_scale = options.time_scale;
  if (options.grace_seconds)
    in.config.grace_ns = static_cast<std::int64_t>(*options.grace_seconds * 1e9);
  in.config.sink = options.sink;
  in.config.abort = options.abort;
  in.config.interrupts = options.interrupts;
  in.config.sandbox = options.sandbox;
  in.config.on_loop = [&options](engine::Runner& runner) {
    for (const auto& [sig, at] : options.send_signals) {
      const int s = sig;
      runner.loop().call_later(engine::Duration(static_cast<std::int64_t>(at * 1e9)),
                               [s] { ::kill(::getpid(), s); });
    }
    if (options.on_runner)
      options.on_runner(runner);
  };
  in.config.on_report = [&result, &options](const engine::RunReport& r) {
    if (options.on_report)
      options.on_report(r);
    // The exceptions hold Python objects, which die with the interpreter: keep the rest.
    engine::RunReport copy = r;
    copy.error = nullptr;
    copy.shutdown_stop = nullptr;
    copy.shutdown_errors.clear();
    result.runs.push_back(std::move(copy));
  };
  try {
    in.run_main(source, filename);
  } catch (const ParseError& e) {
    result.parse_failed = true;
    result.parse_error = e.describe();
    result.error_line = static_cast<int>(e.pos.line);
    result.error_col = static_cast<int>(e.pos.col);
    in.io().err(syntax_report(e, source));
    result.exit_status = 1;
    return result;
  } catch (...) {
    const std::exception_ptr ep = std::current_exception();
    Value exc = in.exception_from(ep);
    if (in.isinstance(exc, in.e.KeyboardInterrupt)) {
      in.print_traceback(exc);
      result.killed_by_sigint = true;
      result.error = "KeyboardInterrupt";
      result.exit_status = engine::kExitInterrupted;
      return result;
    }
    result.cancelled = in.isinstance(exc, in.e.CancelledError);
    if (!in.isinstance(exc, in.e.SystemExit)) {
      result.error = in.type_name(exc);
      const std::string message = in.exception_message(exc);
      if (!message.empty())
        result.error += ": " + message;
    }
    result.exit_status = in.report_uncaught(ep);
  }
  return result;
}

}  // namespace loopscope::script
