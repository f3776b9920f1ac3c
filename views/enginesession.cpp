// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/enginesession.h"

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/clock.h>
#include <engine/errors.h>
#include <engine/loop.h>
#include <engine/runner.h>
#include <engine/task.h>

#include <QTimer>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
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
  engine::Loop* loop = nullptr;            // set while the loop runs; commands go through it
  engine::Runner* runner = nullptr;        // alive while `loop` is set
  engine::TaskBase* mainTask = nullptr;    // set by main's first step, alive while `loop` is set
  engine::RealClock* realClock = nullptr;  // alive while `loop` is set; null for virtual time
  bool cancelRequested = false;            // a cancel that arrived before main's first step
  std::string cancelMessage;
  bool abandoned = false;  // the GUI no longer wants this run: do not start it
  // The loop clock as a line through the steady clock (loop = baseLoop + (steady - baseSteady) *
  // scale), so the GUI can tell the time while the loop thread is busy.
  std::int64_t baseSteadyNs = 0;
  std::int64_t baseLoopNs = 0;
  double scale = 1.0;
  bool clockKnown = false;

  // Written by the engine thread before `finished` is set (release), read after (acquire).
  std::string outcome;
  int exitStatus = -1;
  std::atomic<bool> finished{false};
};

namespace {

std::int64_t steadyNs()
{
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The scenario's coroutine as the Runner's main task. Its first step publishes the task, so that
// the GUI can cancel it, and applies a cancel that arrived before the loop ran.
engine::Coro<void> mainTask(EngineSession::Run* run, engine::Coro<void> scenario)
{
  engine::TaskBase* self = engine::current_task();
  bool cancelNow = false;
  std::string message;
  {
    const std::lock_guard lock(run->mutex);
    run->mainTask = self;
    cancelNow = run->cancelRequested;
    message = run->cancelMessage;
  }
  if (cancelNow) {
    self->cancel(message);  // delivered at the scenario's first await
  }
  co_await std::move(scenario);
}

}  // namespace

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
  m_exitStatus = -1;
  m_finalNow = 0;
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
  if (run.loop == nullptr || run.mainTask == nullptr) {
    // Not started yet (main's first step applies it) or already over.
    run.cancelRequested = true;
    run.cancelMessage = std::move(msg);
    return true;
  }
  engine::TaskBase* task = run.mainTask;
  engine::Loop* loop = run.loop;
  // Checked on the loop thread: main may have ended (and been freed) since.
  run.loop->call_soon_threadsafe([loop, task, msg = std::move(msg)] {
    for (engine::TaskBase* t : loop->all_tasks()) {
      if (t == task) {
        t->cancel(msg);
      }
    }
  });
  return true;
}

bool EngineSession::requestCancelTask(std::uint32_t taskId, const QString& message)
{
  if (!m_running || !m_run) {
    return false;
  }
  Run& run = *m_run;
  const std::lock_guard lock(run.mutex);
  if (run.loop == nullptr) {
    return false;
  }
  engine::Loop* loop = run.loop;
  run.loop->call_soon_threadsafe([loop, taskId, msg = message.toStdString()] {
    // all_tasks(): only tasks still alive, so an id that has ended is simply not found.
    for (engine::TaskBase* t : loop->all_tasks()) {
      if (t->id() == taskId) {
        t->cancel(msg);
      }
    }
  });
  return true;
}

bool EngineSession::sendSignal(int signum)
{
  if (!m_running || !m_run) {
    return false;
  }
  {
    const std::lock_guard lock(m_run->mutex);
    if (m_run->loop == nullptr) {
      return false;  // the run's handlers are not (or no longer) installed
    }
  }
  return ::kill(::getpid(), signum) == 0;
}

void EngineSession::setTimeScale(double scale)
{
  if (!m_run || scale <= 0) {
    return;
  }
  Run& run = *m_run;
  const std::lock_guard lock(run.mutex);
  if (run.loop == nullptr || run.realClock == nullptr) {
    return;
  }
  Run* r = &run;
  run.loop->call_soon_threadsafe([r, scale] {
    const std::lock_guard lock(r->mutex);
    if (r->realClock == nullptr) {
      return;
    }
    const std::int64_t loopNs = r->realClock->now_ns();
    const std::int64_t steady = steadyNs();
    r->realClock->set_scale(scale);
    r->baseLoopNs = loopNs;
    r->baseSteadyNs = steady;
    r->scale = scale;
  });
}

std::int64_t EngineSession::loopNow() const
{
  if (!m_running || !m_run) {
    return m_finalNow;
  }
  Run& run = *m_run;
  const std::lock_guard lock(run.mutex);
  if (!run.clockKnown) {
    return m_finalNow;
  }
  const auto elapsed = static_cast<double>(steadyNs() - run.baseSteadyNs);
  return std::max(m_finalNow, run.baseLoopNs + static_cast<std::int64_t>(elapsed * run.scale));
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
      // Stops the loop now, even under a scenario that ignores cancellation, and skips the
      // Runner's shutdown: pending tasks are destroyed with the loop.
      engine::Runner* runner = run.runner;
      run.loop->call_soon_threadsafe([runner] { runner->abandon(); });
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
    m_finalNow = std::max(m_finalNow, batch.back().ev.t_ns);
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
  m_exitStatus = run.exitStatus;
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
  int exitStatus = engine::kExitFailed;
  try {
    std::unique_ptr<engine::Clock> clock = makeClock(options);
    auto* realClock = dynamic_cast<engine::RealClock*>(clock.get());
    const std::int64_t steady = steadyNs();
    engine::Loop loop(std::move(clock));
    loop.set_sink(&run.queue);
    engine::RunnerOptions runnerOptions = options.runner;
    if (options.virtualTime) {
      // A real signal handler is a way to be woken up, so a virtual loop with one never reports
      // a stall: it would wait for a signal instead. Virtual runs are replays and tests.
      runnerOptions.handle_sigint = false;
    }
    engine::Runner runner(loop, runnerOptions);

    bool abandoned = false;
    {
      const std::lock_guard lock(run.mutex);
      abandoned = run.abandoned;
      if (!abandoned) {
        run.loop = &loop;
        run.runner = &runner;
        run.realClock = realClock;
        run.baseSteadyNs = steady;
        run.baseLoopNs = 0;
        run.scale = options.timeScale;
        run.clockKnown = realClock != nullptr;
      }
    }
    if (abandoned) {
      outcome = "cancelled";
    } else {
      // Unpublishes the loop before it dies, however the run ends: nothing can be posted to it
      // afterwards.
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
          run.runner = nullptr;
          run.mainTask = nullptr;
          run.realClock = nullptr;
          run.clockKnown = false;
        }
      } unpublish{run};
      try {
        runner.run(mainTask(&run, scenario()), "main");
        outcome = "result";
      } catch (const engine::CancelledError&) {
        outcome = "cancelled";
      } catch (const engine::KeyboardInterrupt&) {
        outcome = "interrupted (SIGINT)";
      } catch (...) {
        outcome = runner.abandoned()
                      ? std::string("abandoned")
                      : "failed: " + engine::describe_exception(std::current_exception());
      }
      // asyncio.run's shutdown (cancel the rest, await it, executor), still on this thread.
      runner.close();
      exitStatus = runner.report().exit_status;
      if (runner.report().grace_expired) {
        outcome += "; grace deadline expired";
      }
    }
  } catch (...) {
    // std::exception, engine::BaseException and anything else setting up may throw.
    outcome = "failed: " + engine::describe_exception(std::current_exception());
  }
  // ~Loop (above) has flushed the last events into the queue.
  run.outcome = std::move(outcome);
  run.exitStatus = exitStatus;
  run.finished.store(true, std::memory_order_release);
}

}  // namespace loopscope::views
