// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/enginesession.h"

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/clock.h>
#include <engine/errors.h>
#include <engine/loop.h>
#include <engine/runner.h>
#include <engine/script/scriptrunner.h>
#include <engine/task.h>

#include <QTimer>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
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
// Raw events the engine may queue ahead of the GUI (memory follows the backlog, 40 bytes an
// event: this only bounds it). A GUI that falls behind under a flood leaves the rest here (see
// setDrainLimit()), so this is the run's whole backlog: 4 M events, 160 MiB at most.
constexpr std::size_t kQueueCapacity = std::size_t{1} << 22;
// How long abandoning a script run waits for its thread before leaving it to finish alone.
constexpr auto kScriptAbandonWait = std::chrono::milliseconds(1500);

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
  std::condition_variable finishedCv;  // notified (under `mutex`) when `finished` is set

  // ---- script runs
  bool script = false;
  std::atomic<bool> dropOutput{false};  // abandoned: the script's output goes nowhere
  std::atomic<bool> abort{false};       // abandoned: Python code stops at its next checkpoint
  // Engine thread only.
  std::thread::id engineThread;
  engine::Loop* activeLoop = nullptr;  // asyncio.run's loop while it runs
  std::int64_t lastLoopNs = 0;         // the last loop time seen (output outside asyncio.run)
  // Output printed on other threads (to_thread workers), under `mutex`: the GUI thread merges it.
  struct Stray
  {
    std::uint8_t stream = 0;
    std::string text;
    std::int64_t t = -1;  // estimated loop time; -1: unknown (virtual time)
  };
  std::vector<Stray> stray;
  std::string strayPendingOutput[2];  // under `mutex`: other threads' unfinished lines
  std::string pendingOutput[2];       // engine thread: unfinished lines, by stream
  ScriptOutcome scriptOutcome;        // like `outcome`
};

namespace {

std::int64_t steadyNs()
{
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A Print event and its text, laid out as the tracer writes them (engine/loop.cpp add_text).
void appendPrintGroup(std::vector<engine::TraceEvent>& out, std::int64_t t, std::uint32_t task,
                      std::string_view text, std::uint8_t stream)
{
  constexpr std::size_t kMaxText = 4096;
  if (text.size() > kMaxText) {
    text = text.substr(0, kMaxText);
  }
  const std::size_t slotCount =
      (text.size() + sizeof(engine::TraceEvent) - 1) / sizeof(engine::TraceEvent);
  out.push_back(engine::TraceEvent{0, t, 0, task, 0, 0, engine::EventKind::Print, stream,
                                   engine::kEventHasText});
  out.push_back(engine::TraceEvent{0, t, text.size(), task, 0,
                                   static_cast<std::uint32_t>(slotCount), engine::EventKind::Text,
                                   0, 0});
  for (std::size_t i = 0; i < slotCount; ++i) {
    engine::TraceEvent raw{};
    const std::size_t off = i * sizeof(engine::TraceEvent);
    std::memcpy(&raw, text.data() + off, std::min(sizeof(engine::TraceEvent), text.size() - off));
    out.push_back(raw);
  }
}

// Emits complete lines of the script's output as Print events, in stream order: on the loop
// thread through the loop's tracer, on the task printing; on the engine thread outside
// asyncio.run straight into the queue (the engine thread is its only producer); on other threads
// (to_thread workers) set aside for the GUI thread to merge.
void emitOutputLines(EngineSession::Run& run, const std::vector<std::string>& lines,
                     std::uint8_t stream)
{
  if (std::this_thread::get_id() != run.engineThread) {
    const std::lock_guard lock(run.mutex);
    // The loop time now, from the clock line the GUI uses too (real time only).
    const std::int64_t t =
        run.clockKnown
            ? run.baseLoopNs + static_cast<std::int64_t>(
                                   static_cast<double>(steadyNs() - run.baseSteadyNs) * run.scale)
            : -1;
    for (const std::string& line : lines) {
      run.stray.push_back({stream, line, t});
    }
    return;
  }
  engine::Loop* loop = run.activeLoop;
  if (loop != nullptr && loop->tracing()) {
    const engine::TaskBase* task = loop->current_task();
    for (const std::string& line : lines) {
      // Loop::print() cannot say which stream: the same event, with the stream in a8.
      loop->tracer().add_text(engine::EventKind::Print, loop->event_time(),
                              task != nullptr ? task->id() : 0, line, 0, 0, 0, stream);
    }
    // Shown now, even if the script blocks the loop next (time.sleep).
    loop->flush_trace();
    return;
  }
  std::vector<engine::TraceEvent> raw;
  for (const std::string& line : lines) {
    appendPrintGroup(raw, run.lastLoopNs, 0, line, stream);
  }
  run.queue.write(raw);
}

// The script's output (any thread), line-buffered per stream as CPython's is on a terminal: a
// line shows once its newline is written (print(..., file=sys.stderr) writes the text and the
// newline separately).
void scriptOutput(EngineSession::Run& run, std::string_view text, std::uint8_t stream)
{
  if (run.dropOutput.load(std::memory_order_relaxed) || text.empty()) {
    return;
  }
  const bool engineThread = std::this_thread::get_id() == run.engineThread;
  std::vector<std::string> lines;
  {
    std::unique_lock<std::mutex> lock;
    if (!engineThread) {
      lock = std::unique_lock(run.mutex);  // worker threads share their buffers
    }
    std::string& pending = (engineThread ? run.pendingOutput : run.strayPendingOutput)[stream];
    pending.append(text);
    std::size_t start = 0;
    for (std::size_t nl = pending.find('\n'); nl != std::string::npos;
         nl = pending.find('\n', start)) {
      lines.emplace_back(pending, start, nl - start);
      start = nl + 1;
    }
    pending.erase(0, start);
  }
  if (!lines.empty()) {
    emitOutputLines(run, lines, stream);
  }
}

// At the end of the script (engine thread): what was printed without a final newline.
void flushPartialOutput(EngineSession::Run& run)
{
  for (std::uint8_t stream = 0; stream < 2; ++stream) {
    std::string stray;
    {
      const std::lock_guard lock(run.mutex);
      stray.swap(run.strayPendingOutput[stream]);
    }
    std::string mine;
    mine.swap(run.pendingOutput[stream]);
    for (std::string* text : {&mine, &stray}) {
      if (!text->empty() && !run.dropOutput.load(std::memory_order_relaxed)) {
        emitOutputLines(run, {*text}, stream);
      }
    }
  }
}

// GUI thread: merges the output other threads printed since the last drain into `batch`, on no
// task (they are shown within a frame of being printed).
void mergeScriptOutput(EngineSession::Run& run, std::vector<engine::DecodedEvent>& batch,
                       std::int64_t lastNs)
{
  std::vector<EngineSession::Run::Stray> stray;
  {
    const std::lock_guard lock(run.mutex);
    stray.swap(run.stray);
  }
  if (stray.empty()) {
    return;
  }
  // Each line goes before the first event after its time (the thread printed before the loop
  // got on), in the order printed; never before what an earlier batch delivered.
  std::vector<engine::DecodedEvent> merged;
  merged.reserve(batch.size() + stray.size());
  std::size_t next = 0;
  std::int64_t floor = lastNs;
  for (EngineSession::Run::Stray& s : stray) {
    const std::int64_t t = s.t < 0 ? INT64_MAX : s.t;
    while (next < batch.size() && batch[next].ev.t_ns <= t) {
      floor = std::max(floor, batch[next].ev.t_ns);
      merged.push_back(std::move(batch[next++]));
    }
    engine::DecodedEvent e;
    e.ev = engine::TraceEvent{0,        std::max(floor, s.t), 0, 0, 0, 0, engine::EventKind::Print,
                              s.stream, engine::kEventHasText};
    e.text = std::move(s.text);
    floor = e.ev.t_ns;
    merged.push_back(std::move(e));
  }
  for (; next < batch.size(); ++next) {
    merged.push_back(std::move(batch[next]));
  }
  batch.swap(merged);
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
  reapOrphans(true);
}

void EngineSession::start(Scenario scenario)
{
  start(std::move(scenario), Options{});
}

EngineSession::Run& EngineSession::beginRun(bool script)
{
  abandonRun();
  reapOrphans(false);
  ++m_generation;
  m_decoder = engine::TraceDecoder{};
  // A drain's worth of decoded events, allocated once: growing them drain by drain cost a GUI
  // frame 15 ms of page faults under an event flood.
  m_decoder.reserve(kMaxDrainEvents + 1);
  m_batch.reserve(kMaxDrainEvents + 1);
  m_eventCount = 0;
  m_outcome.clear();
  m_exitStatus = -1;
  m_finalNow = 0;
  m_running = true;
  m_script = script;
  m_nextSeq = 0;
  m_scriptOutcome = ScriptOutcome{};

  m_run = std::make_unique<Run>();
  m_run->script = script;
  return *m_run;
}

void EngineSession::start(Scenario scenario, Options options)
{
  Run* run = &beginRun(false);
  run->thread = std::thread(
      [run, scenario = std::move(scenario), options] { runScenario(*run, scenario, options); });
  m_drainTimer->start();
}

void EngineSession::startScript(Script script, Options options)
{
  Run* run = &beginRun(true);
  run->thread =
      std::thread([run, script = std::move(script), options] { runScript(*run, script, options); });
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
  if (run.script && run.loop != nullptr) {
    // asyncio.run's main task is the first task of its loop; if it has not been created yet,
    // the callback runs after it was (asyncio.run creates it before the loop's first iteration).
    engine::Loop* loop = run.loop;
    run.loop->call_soon_threadsafe([loop, msg = std::move(msg)] {
      for (engine::TaskBase* t : loop->all_tasks()) {
        if (t->id() == 1) {
          t->cancel(msg);
        }
      }
    });
    return true;
  }
  if (run.loop == nullptr || run.mainTask == nullptr) {
    // Not started yet (main's first step applies it; for a script, asyncio.run's start) or
    // already over.
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

std::size_t EngineSession::queuedEvents() const noexcept
{
  return m_run ? m_run->queue.size() : 0;
}

void EngineSession::setDrainLimit(std::size_t maxEvents) noexcept
{
  m_drainLimit = std::clamp(maxEvents, kMinDrainEvents, kMaxDrainEvents);
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
    run.dropOutput.store(true, std::memory_order_relaxed);
    run.abort.store(true, std::memory_order_relaxed);
    if (run.loop != nullptr && run.runner != nullptr) {
      // Stops the loop now, even under a scenario that ignores cancellation, and skips the
      // Runner's shutdown: pending tasks are destroyed with the loop. Python code that keeps the
      // loop busy meets `abort` at its next loop iteration or call.
      engine::Runner* runner = run.runner;
      run.loop->call_soon_threadsafe([runner] { runner->abandon(); });
    }
  }
  if (run.script) {
    // Bounded by one step of the script, unless its Python code never reaches an await: then
    // the thread is left to finish on its own rather than freeze the GUI.
    std::unique_lock lock(run.mutex);
    const bool ended = run.finishedCv.wait_for(
        lock, kScriptAbandonWait, [&run] { return run.finished.load(std::memory_order_acquire); });
    lock.unlock();
    if (!ended) {
      m_orphans.push_back(std::move(m_run));
      return;
    }
  }
  // Bounded by one step of the scenario: the loop stops after its current iteration.
  if (run.thread.joinable()) {
    run.thread.join();
  }
  m_run.reset();
}

void EngineSession::reapOrphans(bool wait)
{
  for (auto it = m_orphans.begin(); it != m_orphans.end();) {
    Run& run = **it;
    bool ended = run.finished.load(std::memory_order_acquire);
    if (!ended && wait) {
      std::unique_lock lock(run.mutex);
      ended = run.finishedCv.wait_for(lock, kScriptAbandonWait, [&run] {
        return run.finished.load(std::memory_order_acquire);
      });
    }
    if (ended) {
      if (run.thread.joinable()) {
        run.thread.join();
      }
      it = m_orphans.erase(it);
    } else if (wait) {
      // Shutting down with a script still running Python code: let it die with the process.
      run.thread.detach();
      (void)it->release();
      it = m_orphans.erase(it);
    } else {
      ++it;
    }
  }
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

  // At most m_drainLimit per tick: an engine flooding events (100,000 tasks) must not make one
  // drain decode a million of them while the GUI waits, and what the GUI cannot take this frame
  // is better left in the queue than copied into a backlog of its own. The decoder holds an
  // event back until its text has arrived, so a drain may end anywhere in the stream.
  run.queue.consume([this](std::span<const engine::TraceEvent> events) { m_decoder.feed(events); },
                    m_drainLimit);
  const bool drained = run.queue.size() == 0;
  std::vector<engine::DecodedEvent>& batch = m_batch;
  m_decoder.take(batch);
  if (run.script) {
    mergeScriptOutput(run, batch, m_finalNow);
    // The output written outside the loop's tracer has no sequence number of its own, and each
    // asyncio.run starts its own: one sequence for the whole stream (a trace export needs it).
    for (engine::DecodedEvent& e : batch) {
      e.ev.seq = m_nextSeq++;
    }
  }
  if (!batch.empty()) {
    m_eventCount += batch.size();
    m_finalNow = std::max(m_finalNow, batch.back().ev.t_ns);
    const std::uint64_t generation = m_generation;
    emit eventsReady(batch);
    if (generation != m_generation) {
      return;  // a slot restarted the session: this run is gone
    }
  }
  if (!ended || !drained) {
    return;  // the rest at the next tick
  }
  m_drainTimer->stop();
  if (run.thread.joinable()) {
    run.thread.join();  // it has finished: returns at once
  }
  m_running = false;
  m_outcome = QString::fromStdString(run.outcome);
  m_exitStatus = run.exitStatus;
  if (run.script) {
    m_scriptOutcome = run.scriptOutcome;
  }
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
  {
    const std::lock_guard lock(run.mutex);
    run.finished.store(true, std::memory_order_release);
  }
  run.finishedCv.notify_all();
}

// The engine thread of a script run: script::run_script() (engine/script/scriptrunner), as the
// CLI runs it, with hooks that publish asyncio.run's runner and loop to the GUI thread (commands,
// the clock) and take them back.
void EngineSession::runScript(Run& run, const Script& s, Options options)
{
  run.engineThread = std::this_thread::get_id();
  std::string outcome;
  int exitStatus = engine::kExitFailed;
  ScriptOutcome result;
  bool abandoned = false;
  {
    const std::lock_guard lock(run.mutex);
    abandoned = run.abandoned;
  }
  if (abandoned) {
    outcome = "cancelled";
  } else {
    try {
      script::ScriptIo io;
      io.out = [&run](std::string_view text) {
        scriptOutput(run, text, 0);
      };
      io.err = [&run](std::string_view text) {
        scriptOutput(run, text, 1);
      };
      script::ScriptOptions so;
      so.virtual_time = options.virtualTime;
      so.time_scale = options.timeScale;
      if (options.runner.grace) {
        so.grace_seconds = static_cast<double>(options.runner.grace->count()) / 1e9;
      }
      so.sink = &run.queue;
      so.abort = &run.abort;
      // Takes the loop back from the GUI thread (on_report, or however asyncio.run ended).
      auto unpublish = [&run] {
        if (run.activeLoop != nullptr) {
          run.activeLoop->flush_trace();
          run.lastLoopNs = std::max(run.lastLoopNs, run.activeLoop->last_ns());
        }
        run.activeLoop = nullptr;
        const std::lock_guard lock(run.mutex);
        run.loop = nullptr;
        run.runner = nullptr;
        run.realClock = nullptr;
        run.clockKnown = false;
      };
      so.on_runner = [&run, options](engine::Runner& runner) {
        engine::Loop& loop = runner.loop();
        run.activeLoop = &loop;
        auto* realClock = dynamic_cast<engine::RealClock*>(&loop.clock());
        const std::lock_guard lock(run.mutex);
        if (run.abandoned) {
          runner.abandon();  // a restart came while module code ran: end at once
          return;
        }
        run.loop = &loop;
        run.runner = &runner;  // valid until on_report
        run.realClock = realClock;
        run.baseSteadyNs = steadyNs();
        run.baseLoopNs = realClock != nullptr ? realClock->now_ns() : 0;
        run.scale = options.timeScale;
        run.clockKnown = realClock != nullptr;
        if (run.cancelRequested) {
          // Stop pressed before asyncio.run: main is cancelled once its first step has run, so
          // the CancelledError comes in at its first await (as for a native scenario), where
          // the script can handle it. (Callbacks queued now run before main's first step.)
          run.cancelRequested = false;
          engine::Loop* l = &loop;
          loop.call_soon([l, msg = run.cancelMessage] {
            l->call_soon([l, msg] {
              for (engine::TaskBase* t : l->all_tasks()) {
                if (t->id() == 1) {
                  t->cancel(msg);
                }
              }
            });
          });
        }
      };
      so.on_report = [&unpublish](const engine::RunReport&) {
        unpublish();
      };
      const script::ScriptResult r = script::run_script(s.source, s.fileName, so, std::move(io));
      unpublish();
      flushPartialOutput(run);
      exitStatus = r.exit_status;
      result.parseFailed = r.parse_failed;
      result.parseError = QString::fromStdString(r.parse_error);
      result.errorLine = r.error_line;
      result.errorColumn = r.error_col;
      const bool graceExpired = !r.runs.empty() && r.runs.back().grace_expired;
      if (run.dropOutput.load(std::memory_order_relaxed)) {
        outcome = "abandoned";
      } else if (r.parse_failed) {
        outcome = "did not parse: " + r.parse_error;
      } else if (r.killed_by_sigint) {
        outcome = "interrupted (SIGINT)";
      } else if (graceExpired) {
        outcome = "grace deadline expired";
      } else if (r.cancelled) {
        outcome = "cancelled";
      } else if (!r.error.empty()) {
        outcome = "failed: " + r.error;
      } else {
        outcome = "ended";
      }
      outcome += ", exit status " + std::to_string(exitStatus);
    } catch (...) {
      outcome = "failed: " + engine::describe_exception(std::current_exception());
    }
  }
  result.exitStatus = exitStatus;
  run.outcome = std::move(outcome);
  run.exitStatus = exitStatus;
  run.scriptOutcome = std::move(result);
  {
    const std::lock_guard lock(run.mutex);
    run.finished.store(true, std::memory_order_release);
  }
  run.finishedCv.notify_all();
}

}  // namespace loopscope::views
