// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/runcontroller.h"

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <views/enginesession.h>
#include <views/logmodel.h>
#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>
#include <views/traceio.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iterator>
#include <utility>

namespace loopscope::views {

namespace {

// The "now" line and the live bars move this often while a run is in progress (~60 Hz).
constexpr int kTickMs = 16;

}  // namespace

RunController::RunController(QObject* parent)
    : QObject(parent)
    , m_session(new EngineSession(this))
    , m_model(std::make_unique<TimelineModel>())
    , m_taskTable(new TaskTableModel(*m_model, this))
    , m_log(new LogModel(*m_model, this))
    , m_tick(new QTimer(this))
{
  m_tick->setInterval(kTickMs);
  connect(m_tick, &QTimer::timeout, this, &RunController::onTick);
  connect(m_session, &EngineSession::eventsReady, this, &RunController::onEvents);
  connect(m_session, &EngineSession::finished, this, &RunController::onFinished);
  const auto& catalog = engine::scenarios::catalog();
  if (!catalog.empty()) {
    m_scenario = &catalog.front();
  }
}

RunController::~RunController() = default;

bool RunController::setScenario(const QString& id)
{
  const engine::scenarios::Scenario* s = engine::scenarios::find(id.toStdString());
  if (s == nullptr) {
    return false;
  }
  if (s != m_scenario) {
    m_scenario = s;
    m_values.clear();
  }
  return true;
}

void RunController::setTimeScale(double scale)
{
  if (scale <= 0) {
    return;
  }
  m_timeScale = scale;
  m_session->setTimeScale(scale);
}

void RunController::setRetention(const Retention& retention)
{
  m_retention = retention;
  if (m_tracePath.isEmpty()) {  // a live run (or none): an opened trace stays whole
    m_model->setRetention(retention);
    m_taskTable->sync(m_now);
    m_log->sync();
    emit updated(m_now);
  }
}

void RunController::resetModels()
{
  m_model->clear();
  m_model->setRetention(m_retention);
  m_session->setDrainLimit(kFirstDrainLimit);  // measured again on this run
  m_finishing = false;
  m_taskTable->reload();
  m_log->reload();
  m_now = 0;
  emit modelReset();
}

void RunController::runScript(const QString& source, const QString& fileName,
                              std::optional<double> graceSeconds)
{
  m_tracePath.clear();
  m_scriptRun = true;
  m_scriptFile = fileName;
  m_stopRequests = 0;
  m_lastOutcome.clear();
  resetModels();

  EngineSession::Options options;
  options.timeScale = m_timeScale;
  options.virtualTime = m_virtualTime;
  if (graceSeconds && *graceSeconds >= 0) {
    options.runner.grace =
        std::chrono::duration_cast<engine::Duration>(std::chrono::duration<double>(*graceSeconds));
  }
  m_session->startScript({source.toStdString(), fileName.toStdString()}, options);
  m_tick->start();
  emit stateChanged();
}

void RunController::run()
{
  if (m_scenario == nullptr) {
    return;
  }
  m_scriptRun = false;
  m_scriptFile.clear();
  m_tracePath.clear();
  m_stopRequests = 0;
  m_lastOutcome.clear();
  resetModels();

  const engine::scenarios::Scenario* scenario = m_scenario;
  const engine::scenarios::Values values = m_values;
  EngineSession::Options options;
  options.timeScale = m_timeScale;
  options.virtualTime = m_virtualTime;
  options.runner = scenario->runner ? scenario->runner(values) : engine::RunnerOptions{};
  // Called on the engine thread: the catalogue entry outlives every run.
  m_session->start([scenario, values] { return scenario->main(values); }, options);
  m_tick->start();
  emit stateChanged();
}

void RunController::stop()
{
  if (!m_session->isRunning()) {
    return;
  }
  ++m_stopRequests;
  if (m_stopRequests == 1) {
    m_session->requestCancel(tr("Stop pressed"));
  } else {
    // Pressed again: the scenario ignores its cancellation or its shutdown hangs. Abandon it;
    // what it did so far stays on screen.
    m_session->abandon();
    onFinished(tr("abandoned (Stop pressed twice)"));
    return;
  }
  emit stateChanged();
}

bool RunController::cancelTask(std::uint32_t id, const QString& message)
{
  return m_session->requestCancelTask(id, message);
}

bool RunController::sendSignal(int signum)
{
  return m_session->sendSignal(signum);
}

void RunController::unhandledSignal(int signum)
{
  if (!m_session->isRunning()) {
    return;
  }
  m_session->abandon();
  const char* name = signum == SIGINT ? "SIGINT" : signum == SIGTERM ? "SIGTERM" : "a signal";
  onFinished(tr("terminated by %1: the scenario installs no handler for it, so a real process "
                "would have ended here without any shutdown")
                 .arg(QLatin1String(name)));
}

bool RunController::openTrace(const QString& path, QString* error)
{
  TimelineModel loaded;
  if (!readTraceJson(path, loaded, error)) {
    return false;
  }
  // Replaces the data in place: the table and log models keep referring to the same object.
  m_tick->stop();
  m_session->abandon();
  *m_model = std::move(loaded);
  m_tracePath = path;
  m_scriptRun = false;
  m_scriptFile.clear();
  m_now = m_model->endTime();
  m_taskTable->reload();
  m_log->reload();
  emit modelReset();
  emit updated(m_now);
  emit stateChanged();
  return true;
}

bool RunController::exportTrace(const QString& path, QString* error) const
{
  return writeTraceJson(*m_model, path, error);
}

bool RunController::isRunning() const
{
  return m_session->isRunning();
}

QString RunController::sourceDescription() const
{
  if (!m_tracePath.isEmpty()) {
    return QFileInfo(m_tracePath).fileName();
  }
  if (m_scriptRun) {
    return QFileInfo(m_scriptFile).fileName();
  }
  return m_scenario != nullptr ? QString::fromStdString(m_scenario->title) : QString();
}

void RunController::onEvents(const std::vector<engine::DecodedEvent>& events)
{
  QElapsedTimer took;
  took.start();
  m_model->append(events);
  notifyViews();
  m_session->setDrainLimit(
      nextDrainLimit(m_session->drainLimit(), events.size(), took.nsecsElapsed()));
}

std::size_t RunController::nextDrainLimit(std::size_t limit, std::size_t events,
                                          qint64 tookNs) noexcept
{
  if (events < EngineSession::kMinDrainEvents) {
    return limit;
  }
  const double fits = static_cast<double>(events) * static_cast<double>(kIngestBudgetNs) /
                      static_cast<double>(std::max<qint64>(tookNs, 1));
  const double next = (static_cast<double>(limit) + fits) / 2;
  return static_cast<std::size_t>(std::clamp(next, double(EngineSession::kMinDrainEvents),
                                             double(EngineSession::kMaxDrainEvents)));
}

void RunController::notifyViews()
{
  m_now = std::max({m_now, m_model->endTime(), m_session->loopNow()});
  m_taskTable->sync(m_now);
  m_log->sync();
  emit updated(m_now);
}

void RunController::onTick()
{
  if (!m_session->isRunning()) {
    if (m_finishing) {
      // The run has ended; the log formats the rest of its last burst, then finished().
      if (m_log->hasPending()) {
        m_log->sync();
      }
      completeFinish();
    } else {
      m_tick->stop();
    }
    return;
  }
  if (m_log->hasPending()) {
    m_log->sync();  // the rest of a burst, LogModel::kMaxEventsPerSync events per tick
  }
  const std::int64_t now = m_session->loopNow();
  if (now <= m_now) {
    return;
  }
  m_now = now;
  m_model->advanceTo(now);
  m_taskTable->sync(m_now);
  emit updated(m_now);
}

void RunController::onFinished(const QString& outcome)
{
  // finished() says the models hold the whole run (the session emits it after its last drain)
  // and the log shows it: the log formats what it still has, a budget per frame (the tick keeps
  // running until then).
  m_finishing = true;
  m_pendingOutcome = outcome;
  if (!m_tick->isActive()) {
    m_tick->start();
  }
  completeFinish();
}

void RunController::completeFinish()
{
  if (!m_finishing || m_log->hasPending()) {
    return;
  }
  m_finishing = false;
  m_tick->stop();
  m_lastOutcome = m_pendingOutcome;
  m_now = std::max(m_now, m_model->endTime());
  m_taskTable->sync(m_now);
  emit updated(m_now);
  emit stateChanged();
  emit finished(m_lastOutcome);
}

}  // namespace loopscope::views
