// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/enginesession.h"

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/clock.h>
#include <engine/errors.h>
#include <engine/loop.h>
#include <engine/task.h>

#include <QTimer>

#include <atomic>
#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>

namespace loopscope::views {

namespace {

// ~60 Hz: smooth enough for a live view, rare enough that a tick's fixed costs do not matter.
constexpr int kDrainIntervalMs = 16;
constexpr std::size_t kQueueCapacity = std::size_t{1} << 20;

}  // namespace

// State shared by the GUI thread and one engine thread. The GUI thread owns it and destroys it
// only after joining the thread.
struct EngineSession::Run
{
  engine::SpscEventQueue queue{kQueueCapacity};
  std::thread thread;

  // Guards the fields below. Held only for a few instructions on either side: the GUI never
  // waits on the engine's work, only on this hand-over.
  std::mutex mutex;
  engine::Loop* loop = nullptr;          // set while the loop runs; commands go through it
  engine::TaskBase* mainTask = nullptr;  // alive while `loop` is set
  bool cancelRequested = false;          // a cancel that arrived before the loop was set
  std::string cancelMessage;
  bool abandoned = false;  // the GUI no longer wants this run: do not start it

  // Written by the engine thread before `finished` is set (release), read after (acquire).
  std::string outcome;
  std::atomic<bool> finished{false};
};

EngineSession::EngineSession(QObject* parent) : QObject(parent), m_drainTimer(new QTimer(this))
{
  m_drainTimer->setInterval(kDrainIntervalMs);
  connect(m_drainTimer, &QTimer::timeout, this, &EngineSession::drain);
}

EngineSession::~EngineSession()
{
  abandonRun();
}

void EngineSession::start(Scenario scenario)
{
  start(std::move(scenario), Options{});
}

void EngineSession::start(Scenario scenario, Options options)
{
  abandonRun();
  ++m_generation;
  m_decoder = engine::TraceDecoder{};
  m_eventCount = 0;
  m_outcome.clear();
  m_running = true;

  m_run = std::make_unique<Run>();
  Run* run = m_run.get();
  run->thread = std::thread(
      [run, scenario = std::move(scenario), options] { runScenario(*run, scenario, options); });
  m_drainTimer->start();
}

bool EngineSession::requestCancel(const QString& message)
{
  if (!m_running || !m_run) {
    return false;
  }
  Run& run = *m_run;
  std::string msg = message.toStdString();
  const std::lock_guard lock(run.mutex);
  if (run.loop == nullptr) {
    // Not started yet (the engine thread applies it before the first step) or already over.
    run.cancelRequested = true;
    run.cancelMessage = std::move(msg);
    return true;
  }
  engine::TaskBase* task = run.mainTask;
  run.loop->call_soon_threadsafe([task, msg = std::move(msg)] { task->cancel(msg); });
  return true;
}

std::uint64_t EngineSession::droppedEvents() const noexcept
{
  return m_run ? m_run->queue.dropped() : 0;
}

void EngineSession::abandonRun()
{
  m_drainTimer->stop();
  m_running = false;
  if (!m_run) {
    return;
  }
  Run& run = *m_run;
  {
    const std::lock_guard lock(run.mutex);
    run.abandoned = true;
    if (run.loop != nullptr) {
      engine::Loop* loop = run.loop;
      engine::TaskBase* task = run.mainTask;
      // The cancel lets the scenario see why it ends; the stop makes it end now even if it
      // ignores the cancel. Pending tasks are destroyed with the loop.
      loop->call_soon_threadsafe([task] { task->cancel("run abandoned"); });
      loop->call_soon_threadsafe([loop] { loop->stop(); });
    }
  }
  // Bounded by one step of the scenario: the loop stops after its current iteration.
  if (run.thread.joinable()) {
    run.thread.join();
  }
  m_run.reset();
}

void EngineSession::drain()
{
  if (!m_run) {
    m_drainTimer->stop();
    return;
  }
  Run& run = *m_run;
  // Read before draining: once the thread has finished, its last events are already queued.
  const bool ended = run.finished.load(std::memory_order_acquire);

  // Drain everything: the producer publishes whole event+text groups, so a full drain never
  // splits one (a partial drain could separate an event from its text).
  run.queue.consume([this](std::span<const engine::TraceEvent> events) { m_decoder.feed(events); });
  const std::vector<engine::DecodedEvent> batch = m_decoder.take();
  if (!batch.empty()) {
    m_eventCount += batch.size();
    const std::uint64_t generation = m_generation;
    emit eventsReady(batch);
    if (generation != m_generation) {
      return;  // a slot restarted the session: this run is gone
    }
  }
  if (!ended) {
    return;
  }
  m_drainTimer->stop();
  if (run.thread.joinable()) {
    run.thread.join();  // it has finished: returns at once
  }
  m_running = false;
  m_outcome = QString::fromStdString(run.outcome);
  emit finished(m_outcome);
}

namespace {

std::unique_ptr<engine::Clock> makeClock(const EngineSession::Options& options)
{
  if (options.virtualTime) {
    return std::make_unique<engine::VirtualClock>();
  }
  return std::make_unique<engine::RealClock>(options.timeScale);
}

}  // namespace

// The engine thread.
void EngineSession::runScenario(Run& run, const Scenario& scenario, Options options)
{
  std::string outcome;
  try {
    engine::Loop loop(makeClock(options));
    loop.set_sink(&run.queue);
    // Created here rather than by run_until_complete(coro) so that commands can reach it.
    engine::Task<void> main = loop.create_task(scenario(), "main");

    bool abandoned = false;
    {
      const std::lock_guard lock(run.mutex);
      abandoned = run.abandoned;
      if (!abandoned) {
        run.loop = &loop;
        run.mainTask = &main.base();
        if (run.cancelRequested) {
          main.cancel(run.cancelMessage);  // the loop is not running yet: safe from here
        }
      }
    }
    if (abandoned) {
      outcome = "cancelled";
    } else {
      // Unpublishes the loop before it dies, however run_until_complete ends: nothing can be
      // posted to it afterwards.
      struct Unpublish
      {
        Run& run;
        explicit Unpublish(Run& r) : run(r) {}
        Unpublish(const Unpublish&) = delete;
        Unpublish& operator=(const Unpublish&) = delete;
        ~Unpublish()
        {
          const std::lock_guard lock(run.mutex);
          run.loop = nullptr;
          run.mainTask = nullptr;
        }
      } unpublish{run};
      loop.run_until_complete(main);
      outcome = "result";
    }
  } catch (const engine::CancelledError&) {
    outcome = "cancelled";
  } catch (...) {
    // std::exception, engine::BaseException and anything else a scenario may throw.
    outcome = "failed: " + engine::describe_exception(std::current_exception());
  }
  // ~Loop (above) has flushed the last events into the queue.
  run.outcome = std::move(outcome);
  run.finished.store(true, std::memory_order_release);
}

}  // namespace loopscope::views
