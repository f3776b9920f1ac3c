// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code. moc (Qt 6.4)
// cannot parse the C++20 standard headers they pull in (<concepts>), and needs none of them.
#ifndef Q_MOC_RUN
#include <engine/coro.h>
#include <engine/runner.h>
#include <engine/sink.h>
#endif

#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

class QTimer;

namespace loopscope::views {

// Runs one scenario at a time on an engine::Loop in its own thread and brings its events to
// the GUI thread.
//
// Engine -> GUI: the loop thread writes events into a lock-free SpscEventQueue; a timer on this
// object's thread drains it every 16 ms (at most drainLimit() events) and emits one
// eventsReady() per tick with the batch. The GUI never waits for the engine and never gets one
// signal per event.
// GUI -> engine: commands travel as callbacks through Loop::call_soon_threadsafe.
//
// Every start() builds a fresh Loop, thread and queue, so nothing of a previous run (events,
// task ids, sequence numbers) reaches the next one.
class EngineSession : public QObject
{
  Q_OBJECT

public:
  // Returns the scenario's main coroutine. Called on the engine thread.
  using Scenario = std::function<engine::Coro<void>()>;

  struct Options
  {
    // Loop seconds per real second (0.25 = four times slower than real time).
    double timeScale = 1.0;
    // A VirtualClock: timers fire as soon as nothing else is ready (for tests).
    bool virtualTime = false;
    // The run goes through an engine::Runner, as asyncio.run: SIGINT handling and, after main,
    // the shutdown (cancel the rest, await it, bounded by the grace deadline).
    engine::RunnerOptions runner;
  };

  // A Python script (engine/script): run whole, module code and asyncio.run, on the engine thread.
  struct Script
  {
    std::string source;
    // The name the interpreter gives the script: tracebacks and await sites (Site::file) use it.
    std::string fileName;
  };
  // How a script run ended (valid once finished() has been emitted for a script run).
  struct ScriptOutcome
  {
    bool parseFailed = false;  // the script did not parse: nothing ran
    int errorLine = 0;         // 1-based, for parseFailed
    int errorColumn = 0;       // 1-based, for parseFailed
    QString parseError;        // "file:line:col: SyntaxError: message"
    int exitStatus = -1;       // what CPython's process would exit with
  };

  explicit EngineSession(QObject* parent = nullptr);
  // Stops a running scenario (see start()) and joins its thread.
  ~EngineSession() override;

  EngineSession(const EngineSession&) = delete;
  EngineSession& operator=(const EngineSession&) = delete;
  EngineSession(EngineSession&&) = delete;
  EngineSession& operator=(EngineSession&&) = delete;

  // Runs `scenario` as the task "main". A run still in progress is abandoned first: its main
  // task is cancelled and its loop stopped at the end of the current iteration (so a scenario
  // that ignores cancellation cannot hold up a restart), its thread joined, and its remaining
  // events and its outcome discarded.
  void start(Scenario scenario);
  void start(Scenario scenario, Options options);
  // Runs a script as `python script.py` would, with these options (time scale, virtual time,
  // options.runner.grace for every asyncio.run; the script's asyncio.run handles SIGINT itself).
  // Its stdout and stderr come through eventsReady() as Print events in stream order, one per
  // line, on the task that printed (a8 = 0 for stdout, 1 for stderr; output of module code outside
  // asyncio.run and of worker threads is on no task). Cancel, signals and abandon work as for a
  // scenario: the main task is the first task of asyncio.run's loop.
  void startScript(Script script, Options options);

  // Asks the engine thread to cancel the main task (Task.cancel(message)); the scenario decides
  // how quickly it ends. Returns false when no run is in progress.
  bool requestCancel(const QString& message = {});
  // The same for any task by id (a no-op if it has ended by the time the loop gets to it).
  bool requestCancelTask(std::uint32_t taskId, const QString& message = {});
  // Sends a real signal to this process (kill(getpid(), signum)), as a Ctrl-C in the terminal
  // would; the run's signal handlers (the Runner's SIGINT handling, a scenario's own) take it.
  // Refused (false) when no run is in progress: without a run nothing in the engine handles it.
  bool sendSignal(int signum);
  // Gives up on the run in progress at once: its loop is stopped without waiting for its
  // shutdown, its thread joined, its remaining events dropped; finished() is not emitted.
  void abandon() { abandonRun(); }
  // Abandoned script runs whose thread had not ended within a bounded wait (Python code in a C++
  // call that never returns); they finish on their own and are reaped later.
  std::size_t orphanedRuns() const noexcept { return m_orphans.size(); }
  // Changes the time scale of a running real-time run from now on (loop time stays continuous).
  void setTimeScale(double scale);

  // The loop's clock as seen from the GUI thread, in loop ns: estimated from the steady clock,
  // so it moves on while a step blocks the loop. The last event's time for a virtual run, and
  // frozen once the run has finished.
  [[nodiscard]] std::int64_t loopNow() const;
  // Exit status of the last finished run (engine::kExit*), -1 while running or before any run.
  [[nodiscard]] int exitStatus() const noexcept { return m_exitStatus; }

  // True from start() until finished() has been emitted.
  [[nodiscard]] bool isRunning() const noexcept { return m_running; }
  // Events delivered through eventsReady() in the current (or last) run.
  [[nodiscard]] std::uint64_t eventCount() const noexcept { return m_eventCount; }
  // Events the engine could not queue because the GUI fell a whole queue behind.
  [[nodiscard]] std::uint64_t droppedEvents() const noexcept;
  // Raw events still waiting in the current run's queue (0 without a run).
  [[nodiscard]] std::size_t queuedEvents() const noexcept;

  // The most raw events one drain takes from the engine's queue. A consumer that cannot take a
  // drain within its frame budget lowers it (RunController does): the rest waits in the queue,
  // where it costs its 40 bytes and no copy, until the next tick. Clamped to
  // [kMinDrainEvents, kMaxDrainEvents]; kMaxDrainEvents (4 M events/s) at construction.
  static constexpr std::size_t kMinDrainEvents = 1024;
  static constexpr std::size_t kMaxDrainEvents = 65536;
  void setDrainLimit(std::size_t maxEvents) noexcept;
  [[nodiscard]] std::size_t drainLimit() const noexcept { return m_drainLimit; }
  // The last run's outcome as passed to finished(); empty while running.
  [[nodiscard]] QString outcome() const { return m_outcome; }
  // Whether the current (or last) run is a script.
  [[nodiscard]] bool isScriptRun() const noexcept { return m_script; }
  // The last finished script run's outcome.
  [[nodiscard]] const ScriptOutcome& scriptOutcome() const noexcept { return m_scriptOutcome; }

signals:
  // One batch of decoded events, in stream order; emitted at most once per drain tick.
  void eventsReady(const std::vector<loopscope::engine::DecodedEvent>& events);
  // Emitted once per run, after its last eventsReady(): "result", "cancelled",
  // "interrupted (SIGINT)", "grace deadline expired", or "failed: <exception type>: <message>".
  void finished(const QString& outcome);

public:
  // The state one run shares between the GUI thread and its engine thread (enginesession.cpp).
  struct Run;

private:
  static void runScenario(Run& run, const Scenario& scenario, Options options);
  static void runScript(Run& run, const Script& script, Options options);
  // Fresh state for a new run; returns it (m_run).
  Run& beginRun(bool script);
  void drain();
  // Cancels and stops the current run, joins its thread and drops it. A script run whose thread
  // does not end within a moment (Python code in an endless loop outside any await cannot be
  // interrupted) is left to finish on its own: it is kept aside and joined once it has.
  void abandonRun();
  void reapOrphans(bool wait);

  std::unique_ptr<Run> m_run;
  std::vector<std::unique_ptr<Run>> m_orphans;  // abandoned script runs still finishing
  engine::TraceDecoder m_decoder;
  std::vector<engine::DecodedEvent> m_batch;  // drain()'s, reused (see TraceDecoder::take)
  QTimer* m_drainTimer;
  std::size_t m_drainLimit = kMaxDrainEvents;
  std::uint64_t m_eventCount = 0;
  std::uint64_t m_generation = 0;  // bumped by start(): detects a restart from a slot
  QString m_outcome;
  int m_exitStatus = -1;
  std::int64_t m_finalNow = 0;
  bool m_running = false;
  bool m_script = false;
  std::uint64_t m_nextSeq = 0;  // script runs: events are renumbered (output is merged in)
  ScriptOutcome m_scriptOutcome;
};

}  // namespace loopscope::views
