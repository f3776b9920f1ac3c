// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs a script file from start to end: parse, execute, asyncio.run on the engine, and the exit
// status CPython would give. Shared by `loopscope run` and the app. Plain C++, no Qt.

#include "engine/runner.h"
#include "engine/script/interp.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace loopscope::script {

struct ScriptOptions
{
  bool virtual_time = false;
  double time_scale = 1.0;
  std::optional<double> grace_seconds;
  /// Signals to send to the process at these loop times (seconds after asyncio.run starts).
  std::vector<std::pair<int, double>> send_signals;
  engine::EventSink* sink = nullptr;
  /// Called on the loop thread once asyncio.run's runner exists, before main runs. The runner
  /// stays valid until on_report is called for it.
  std::function<void(engine::Runner&)> on_runner;
  /// Called on the loop thread when an asyncio.run has closed its runner, with its report.
  std::function<void(const engine::RunReport&)> on_report;
  /// The host's stop request (any thread): see Interp::RunConfig::abort.
  const std::atomic<bool>* abort = nullptr;
  /// SIGINTs for Python's default handler: see Interp::RunConfig::interrupts.
  const std::atomic<std::uint32_t>* interrupts = nullptr;
  /// Bounds for an untrusted script: see Interp::RunConfig::Sandbox.
  Interp::RunConfig::Sandbox sandbox;
};

struct ScriptResult
{
  int exit_status = 0;
  /// Set when the script ended with an uncaught KeyboardInterrupt: CPython then dies by SIGINT
  /// (a shell sees status 130); the caller re-raises the signal after flushing its output.
  bool killed_by_sigint = false;
  bool parse_failed = false;
  std::string parse_error;  ///< "file:line:col: SyntaxError: message"
  int error_line = 0;
  int error_col = 0;
  /// The uncaught exception as "ValueError: boom" (empty: none, or SystemExit).
  std::string error;
  /// The uncaught exception was a CancelledError (the main task was cancelled).
  bool cancelled = false;
  /// Reports of every asyncio.run (normally one).
  std::vector<engine::RunReport> runs;
};

/// Runs `source` as `filename` with `io` receiving the script's stdout and stderr.
ScriptResult run_script(const std::string& source, const std::string& filename,
                        const ScriptOptions& options, ScriptIo io = {});

/// CPython's report of a SyntaxError (or a construct outside the subset): the file and line, the
/// source line with a caret under the column, and "SyntaxError: message".
std::string syntax_report(const ParseError& e, const std::string& source);

/// Parses a `--signal` value: "SIGINT@2.5", "SIGTERM@0", "15@1". False if malformed.
bool parse_signal_spec(const std::string& spec, int* signum, double* at, std::string* error);

}  // namespace loopscope::script
