// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code. moc cannot
// parse the C++20 standard headers they pull in, and needs none of them.
#ifndef Q_MOC_RUN
#include <engine/scenarios.h>
#include <engine/sink.h>
#include <views/timelinemodel.h>
#endif

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QTimer;

namespace loopscope::views {

class EngineSession;
class LogModel;
class TaskTableModel;
class TimelineModel;

// What the toolbar drives: one scenario run at a time (or a trace opened from a file) and the
// models the views read. Every toolbar/menu action of the main window is one call here, so the
// tests drive exactly what a person's click does.
//
// Data path: the engine thread -> EngineSession (a queue drained ~60 times a second, as much
// of it per drain as the models take in kIngestBudgetNs) -> append() to the TimelineModel ->
// sync() of the table and log models -> updated(now). A tick timer also moves "now" on while the
// loop is quiet or blocked, so the views keep moving.
class RunController : public QObject
{
  Q_OBJECT

public:
  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;

  RunController(const RunController&) = delete;
  RunController& operator=(const RunController&) = delete;
  RunController(RunController&&) = delete;
  RunController& operator=(RunController&&) = delete;

  [[nodiscard]] TimelineModel& model() noexcept { return *m_model; }
  [[nodiscard]] TaskTableModel* taskTable() const noexcept { return m_taskTable; }
  [[nodiscard]] LogModel* log() const noexcept { return m_log; }
  [[nodiscard]] EngineSession& session() const noexcept { return *m_session; }
  // Each drain goes into the models and the views at once. A drain that takes longer than this
  // (the timeline's append, the table's and the log's sync) lowers the session's drain limit
  // (EngineSession::setDrainLimit) to what fits, one that is quicker raises it: under a flood
  // the rest waits in the engine's queue, and each frame leaves the GUI time for the replot,
  // input and painting.
  static constexpr qint64 kIngestBudgetNs = 8'000'000;
  // A run's first drain limit (512 k events/s): its first frames touch fresh memory, and a burst
  // at its start (10,000 tasks created in one step) would otherwise come in one 65,536-event
  // drain that stalls the GUI for 50 ms.
  static constexpr std::size_t kFirstDrainLimit = 8192;
  // The session's next drain limit after `events` went into the models in `tookNs`: the events
  // that fit in kIngestBudgetNs at the rate just measured, averaged with `limit` (one slow frame,
  // a preempted thread, should not halve the flow). Drains under EngineSession::kMinDrainEvents
  // are too small to time and leave it as it is.
  [[nodiscard]] static std::size_t nextDrainLimit(std::size_t limit, std::size_t events,
                                                  qint64 tookNs) noexcept;

  // How much of a live run the models keep (TimelineModel::setRetention): applied at once to a
  // live run and to every run after; an opened trace is shown whole.
  void setRetention(const Retention& retention);
  [[nodiscard]] const Retention& retention() const noexcept { return m_retention; }

  // The scenario the next run() starts, by catalogue id; false for an unknown id.
  bool setScenario(const QString& id);
  [[nodiscard]] const engine::scenarios::Scenario* scenario() const noexcept { return m_scenario; }
  void setValues(engine::scenarios::Values values) { m_values = std::move(values); }
  [[nodiscard]] const engine::scenarios::Values& values() const noexcept { return m_values; }

  // Loop seconds per real second; applies to a run in progress at once.
  void setTimeScale(double scale);
  [[nodiscard]] double timeScale() const noexcept { return m_timeScale; }
  // Tests: run on a VirtualClock (deterministic, as fast as the CPU allows).
  void setVirtualTime(bool on) noexcept { m_virtualTime = on; }

  // Run / Restart: a fresh loop on its own thread; the models start empty. A run in progress
  // is abandoned first (its loop stopped without waiting for its shutdown).
  void run();
  // Run / Restart for a Python script: `source` as `fileName` (the name await sites and
  // tracebacks carry), every asyncio.run with the time scale and `graceSeconds` (unset: wait
  // forever, as asyncio). Its output arrives as Print events (stderr: a8 = 1).
  void runScript(const QString& source, const QString& fileName,
                 std::optional<double> graceSeconds = std::nullopt);
  // Whether the current (or last) run is a script, and its file name as given to runScript().
  [[nodiscard]] bool isScriptRun() const noexcept { return m_scriptRun; }
  [[nodiscard]] const QString& scriptFileName() const noexcept { return m_scriptFile; }
  // Stop: the first press cancels the main task (the scenario's own shutdown runs, as after
  // Ctrl+C); a second press while it still runs abandons the run at once.
  void stop();
  // Cancel a task (Task.cancel(message)). False when no run is in progress.
  bool cancelTask(std::uint32_t id, const QString& message = {});
  // SIGINT / SIGTERM buttons: a real signal to this process. False when no run is in progress.
  bool sendSignal(int signum);

  // A signal arrived that nothing in the run handles (the scenario installed no handler for it):
  // a real process would end here, so the run ends at once, abandoned, and says so.
  void unhandledSignal(int signum);

  // File > Open trace: replaces the current run (stopping it) with a saved one. On failure the
  // current data stays as it was and `error` says why.
  bool openTrace(const QString& path, QString* error);
  // File > Export trace (Trace Event JSON for Perfetto / chrome://tracing, re-openable here).
  bool exportTrace(const QString& path, QString* error) const;

  [[nodiscard]] bool isRunning() const;
  // A stop has been requested and the scenario is still running.
  [[nodiscard]] bool isStopping() const noexcept { return m_stopRequests > 0 && isRunning(); }
  // The loop time the views show as "now".
  [[nodiscard]] std::int64_t now() const noexcept { return m_now; }
  // Where the data comes from: "graceful-shutdown (running)", "trace.json", ...
  [[nodiscard]] QString sourceDescription() const;
  [[nodiscard]] QString lastOutcome() const { return m_lastOutcome; }

signals:
  // The models were cleared (new run, opened trace): views reset their selection and zoom.
  void modelReset();
  // New events or a newer "now" (at most ~60 times a second).
  void updated(std::int64_t now);
  // Running, stopping, finished: enable/disable actions, update the status bar.
  void stateChanged();
  // A run ended: "result", "cancelled", ... (see EngineSession::finished).
  void finished(const QString& outcome);

private:
  // Feeds a drain to the models, tells the views and adapts the session's drain limit.
  void onEvents(const std::vector<engine::DecodedEvent>& events);
  // Moves "now" on and syncs the table, the log and the views to the models.
  void notifyViews();
  // After the session finished: emits finished() once the log has formatted every event.
  void completeFinish();
  void onTick();
  void onFinished(const QString& outcome);
  void resetModels();

  EngineSession* m_session;
  std::unique_ptr<TimelineModel> m_model;
  Retention m_retention;
  TaskTableModel* m_taskTable;
  LogModel* m_log;
  QTimer* m_tick;
  const engine::scenarios::Scenario* m_scenario = nullptr;
  engine::scenarios::Values m_values;
  QString m_tracePath;   // non-empty: the data came from this file
  QString m_scriptFile;  // the script of the current/last run (m_scriptRun)
  bool m_scriptRun = false;
  QString m_lastOutcome;
  double m_timeScale = 1.0;
  bool m_virtualTime = false;
  int m_stopRequests = 0;
  std::int64_t m_now = 0;
  bool m_finishing = false;  // the session finished; finished() waits for the log
  QString m_pendingOutcome;
};

}  // namespace loopscope::views
