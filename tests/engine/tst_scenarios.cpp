// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in scenario catalogue: well-formed, and every scenario runs through a Runner to its
// expected end, showing what it is meant to show in the recorded event stream. Virtual clock
// where the scenario allows it; a real clock (short durations) for threads, sockets and signals.
#include "engine/scenarios.h"
#include "testsupport.h"

#include <QRegularExpression>
#include <QtTest>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <unordered_map>

using namespace loopscope::engine;
using namespace loopscope::testsupport;

Q_DECLARE_METATYPE(loopscope::engine::scenarios::Values)
namespace scenarios = loopscope::engine::scenarios;

namespace {

/// One finished run: the Runner's report and every event.
struct RunResult
{
  RunReport report;
  std::vector<DecodedEvent> events;
  qint64 endMs = 0;                            ///< loop time after the Runner closed
  std::map<std::uint32_t, std::string> names;  ///< task id -> (last) name
};

/// "workers=3,run_for=2" -> Values.
scenarios::Values parseValues(const QString& text)
{
  scenarios::Values out;
  for (const QString& pair : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const QStringList kv = pair.split(QLatin1Char('='));
    if (kv.size() == 2)
      out[kv[0].trimmed().toStdString()] = kv[1].toDouble();
  }
  return out;
}

/// Runs `s` as the app does: a Runner on a loop with the scenario's options, main as "main",
/// then the shutdown. `setup` runs before (e.g. to schedule a signal). With `streamTo`, the events
/// go there instead of into RunResult::events (a long run need not be kept).
RunResult runScenario(const scenarios::Scenario& s, const scenarios::Values& values, bool realClock,
                      const std::function<void(Loop&)>& setup = {}, EventSink* streamTo = nullptr)
{
  RunResult r;
  VectorSink sink;  // outlives the loop, which flushes into it when destroyed
  {
    std::unique_ptr<Clock> clock;
    if (realClock)
      clock = std::make_unique<RealClock>();
    else
      clock = std::make_unique<VirtualClock>();
    Loop loop(std::move(clock));
    loop.set_sink(streamTo != nullptr ? streamTo : static_cast<EventSink*>(&sink));
    RunnerOptions options = s.runner ? s.runner(values) : RunnerOptions{};
    if (!realClock)
      options.handle_sigint = false;  // as the app's virtual runs (a handler would stop stalls)
    Runner runner(loop, options);
    if (setup)
      setup(loop);
    try {
      runner.run(s.main(values));
    } catch (...) {
      // The outcome is in the report.
    }
    runner.close();
    r.report = runner.report();
    r.endMs = nowMs(loop);
    loop.flush_trace();
    r.events = TraceDecoder::decode(sink.events());
  }
  for (const DecodedEvent& d : r.events)
    if (d.ev.kind == EventKind::TaskCreated || d.ev.kind == EventKind::TaskRenamed)
      r.names[d.ev.task] = d.text;
  return r;
}

qint64 ms(const DecodedEvent& d)
{
  return d.ev.t_ns / 1'000'000;
}

std::uint32_t taskId(const RunResult& r, std::string_view name)
{
  for (const auto& [id, n] : r.names)
    if (n == name)
      return id;
  return 0;
}

/// The TaskDone event of the task named `name`, or null.
const DecodedEvent* doneEvent(const RunResult& r, std::string_view name)
{
  const std::uint32_t id = taskId(r, name);
  for (const DecodedEvent& d : r.events)
    if (d.ev.kind == EventKind::TaskDone && d.ev.task == id && id != 0)
      return &d;
  return nullptr;
}

/// "result@3000", "cancelled@2500", "exception@1000", or "pending" / "unknown task".
QString endOf(const RunResult& r, std::string_view name)
{
  if (taskId(r, name) == 0)
    return QStringLiteral("unknown task ") + toQString(name);
  const DecodedEvent* d = doneEvent(r, name);
  if (d == nullptr)
    return QStringLiteral("pending");
  return QStringLiteral("%1@%2")
      .arg(toQString(task_outcome_name(static_cast<TaskOutcome>(d->ev.a8))))
      .arg(ms(*d));
}

/// Print events whose text contains `needle`.
std::vector<DecodedEvent> printsWith(const RunResult& r, std::string_view needle)
{
  std::vector<DecodedEvent> out;
  for (const DecodedEvent& d : r.events)
    if (d.ev.kind == EventKind::Print && d.text.find(needle) != std::string::npos)
      out.push_back(d);
  return out;
}

/// Loop time (ms) of the first Print containing `needle`; -1 if none.
qint64 printMs(const RunResult& r, std::string_view needle)
{
  const auto found = printsWith(r, needle);
  return found.empty() ? -1 : ms(found.front());
}

int countDiagnostics(const RunResult& r, DiagnosticKind kind)
{
  int n = 0;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::Diagnostic))
    n += d.ev.a8 == static_cast<std::uint8_t>(kind) ? 1 : 0;
  return n;
}

QList<int> timeoutOutcomes(const RunResult& r)
{
  QList<int> out;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::TimeoutDisarmed))
    out << int(d.ev.a8);
  return out;
}

/// Longest gap (ms) between consecutive Print events of `task` within [from, to).
qint64 longestPrintGap(const RunResult& r, std::uint32_t task, qint64 from, qint64 to)
{
  qint64 last = -1;
  qint64 longest = 0;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::Print)) {
    if (d.ev.task != task || ms(d) < from || ms(d) >= to)
      continue;
    if (last >= 0)
      longest = std::max(longest, ms(d) - last);
    last = ms(d);
  }
  return longest;
}

// ---- what each scenario must show (called by runsToItsExpectedEnd)

void checkGracefulShutdown(const RunResult& r)
{
  // run_for=2: the stop event is set by the timer at 2 s; each cleanup takes 0.5 s.
  QCOMPARE(printMs(r, "ran for 2 s: setting the stop event by itself"), qint64(2000));
  QCOMPARE(endOf(r, "producer"), QStringLiteral("cancelled@2000"));
  for (int i = 1; i <= 3; ++i) {
    const std::string w = "worker-" + std::to_string(i);
    QCOMPARE(endOf(r, w), QStringLiteral("cancelled@2500"));
    QCOMPARE(printMs(r, w + ": cleanup done, re-raising"), qint64(2500));
  }
  QCOMPARE(endOf(r, "main"), QStringLiteral("result@2500"));
  QCOMPARE(int(r.report.cancelled), 0);  // main left nothing to the Runner's shutdown
  QCOMPARE(countDiagnostics(r, DiagnosticKind::SwallowedCancel), 0);
}

void checkSwallowedCancel(const RunResult& r)
{
  // culprit=2, run_for=2, grace=1.5: main returns at 2 s, the Runner gives up at 3.5 s.
  QVERIFY(r.report.grace_expired);
  QCOMPARE(int(r.report.cancelled), 5);  // producer + 4 workers
  QCOMPARE(int(r.report.held.size()), 1);
  QCOMPARE(toQString(r.report.held[0].name), QStringLiteral("worker-2"));
  QCOMPARE(r.report.held[0].reason, ShutdownHold::SwallowedCancel);
  const std::uint32_t culprit = taskId(r, "worker-2");
  QVERIFY(culprit != 0);

  bool graceExpired = false;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::ShutdownPhase))
    if (d.ev.a8 == std::uint8_t(ShutdownPhaseKind::GraceExpired)) {
      graceExpired = true;
      QCOMPARE(int(d.ev.arg), 1);
      QCOMPARE(ms(d), qint64(3500));
    }
  QVERIFY(graceExpired);
  int held = 0;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::Diagnostic))
    if (d.ev.a8 == std::uint8_t(DiagnosticKind::ShutdownHeld)) {
      ++held;
      QCOMPARE(d.ev.task, culprit);
      QCOMPARE(d.ev.arg, std::uint32_t(ShutdownHold::SwallowedCancel));
      QVERIFY2(d.text.find("worker-2") != std::string::npos, d.text.c_str());
    }
  QCOMPARE(held, 1);
  const auto swallowed = eventsOfKind(r.events, EventKind::CancelSwallowed);
  QCOMPARE(int(swallowed.size()), 1);
  QCOMPARE(swallowed[0].ev.task, culprit);
  QCOMPARE(endOf(r, "worker-2"), QStringLiteral("pending"));
  for (const char* w : {"worker-1", "worker-3", "worker-4"})
    QCOMPARE(endOf(r, w), QStringLiteral("cancelled@2250"));  // cleanup 0.25 s
}

void checkTimeout(const RunResult& r)
{
  // operation 3 s; timeouts 1 s, 2 s (both expire), then 4 s (fits); 0.25 s between attempts.
  QCOMPARE(int(eventsOfKind(r.events, EventKind::TimeoutFired).size()), 2);
  QCOMPARE(timeoutOutcomes(r),
           (QList<int>{int(TimeoutOutcome::Converted), int(TimeoutOutcome::Converted),
                       int(TimeoutOutcome::NotExpired)}));
  QCOMPARE(printMs(r, "attempt 1: TimeoutError after 1 s"), qint64(1000));
  QCOMPARE(printMs(r, "attempt 2: TimeoutError after 2 s"), qint64(3250));
  QCOMPARE(printMs(r, "attempt 3: got report #3 within 4 s"), qint64(6500));
  QCOMPARE(endOf(r, "main"), QStringLiteral("result@6500"));
}

void checkWaitFor(const RunResult& r)
{
  // calls=5 needing 0.4, 1.5, 0.8, 2.0, 0.6 s against a 1 s timeout.
  QCOMPARE(endOf(r, "call-1"), QStringLiteral("result@400"));
  QCOMPARE(endOf(r, "call-2"), QStringLiteral("cancelled@1400"));
  QCOMPARE(endOf(r, "call-3"), QStringLiteral("result@2200"));
  QCOMPARE(endOf(r, "call-4"), QStringLiteral("cancelled@3200"));
  QCOMPARE(endOf(r, "call-5"), QStringLiteral("result@3800"));
  QCOMPARE(timeoutOutcomes(r).count(int(TimeoutOutcome::Converted)), 2);
  QVERIFY(printMs(r, "3 of 5 calls answered in time, 2 timed out") >= 0);
  QCOMPARE(endOf(r, "main"), QStringLiteral("result@3800"));
}

void checkWorkerCancel(const RunResult& r)
{
  // cancel_after=2, cleanup=0.5.
  QCOMPARE(endOf(r, "worker"), QStringLiteral("cancelled@2500"));
  QCOMPARE(printMs(r, "worker: cleanup done, re-raising"), qint64(2500));
  const std::uint32_t mainId = taskId(r, "main");
  bool viaTask = false;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::CancelDelivered))
    viaTask = viaTask || (d.ev.task == mainId && d.ev.a8 == std::uint8_t(CancelVia::Task) &&
                          d.ev.detail == taskId(r, "worker"));
  QVERIFY(viaTask);  // main's `await worker` raised the worker's CancelledError
  QCOMPARE(printMs(r, "main: await worker raised CancelledError"), qint64(2500));
  QCOMPARE(endOf(r, "main"), QStringLiteral("result@2500"));
  QCOMPARE(countDiagnostics(r, DiagnosticKind::SwallowedCancel), 0);
}

void checkBlockingCall(const RunResult& r)
{
  // block=1.5: one SlowStep, for the blocker, of exactly the blocking time.
  const std::uint32_t blocker = taskId(r, "blocker");
  const auto slow = eventsOfKind(r.events, EventKind::SlowStep);
  QCOMPARE(int(slow.size()), 1);
  QCOMPARE(slow[0].ev.task, blocker);
  QCOMPARE(qint64(slow[0].ev.detail), qint64(1'500'000'000));
  QCOMPARE(countDiagnostics(r, DiagnosticKind::NeverYields), 1);
  // The ticker's ticks: late by the blocking call in part 1, on time in part 2.
  const std::uint32_t ticker = taskId(r, "ticker");
  const qint64 part2 = printMs(r, "2. the same wait");
  QVERIFY(part2 > 0);
  QVERIFY2(longestPrintGap(r, ticker, 0, part2) >= 1500,
           qPrintable(QString::number(longestPrintGap(r, ticker, 0, part2))));
  QCOMPARE(longestPrintGap(r, ticker, part2, r.endMs + 1), qint64(250));
  QCOMPARE(endOf(r, "sleeper"), QStringLiteral("result@%1").arg(part2 + 2500));
}

void checkSequentialVsGather(const RunResult& r)
{
  // 0.3 + 0.5 + 0.2 s: the loop takes the sum, gather the longest.
  const qint64 seq0 = printMs(r, "sequential: three awaits");
  const qint64 seq1 = printMs(r, "sequential: done in");
  const qint64 gat0 = printMs(r, "gather: the same three");
  const qint64 gat1 = printMs(r, "gather: done in");
  QCOMPARE(seq1 - seq0, qint64(1000));
  QCOMPARE(gat1 - gat0, qint64(500));
  QVERIFY(printMs(r, "sequential: done in 1 s (the sum)") >= 0);
  QVERIFY(printMs(r, "gather: done in 0.5 s (the longest)") >= 0);
  QCOMPARE(endOf(r, "fetch-users"), QStringLiteral("result@%1").arg(gat0 + 300));
  QCOMPARE(endOf(r, "fetch-orders"), QStringLiteral("result@%1").arg(gat0 + 500));
  QCOMPARE(endOf(r, "fetch-stock"), QStringLiteral("result@%1").arg(gat0 + 200));
}

void checkGatherVsTaskGroup(const RunResult& r)
{
  // fail_after=1, siblings=3: gather's siblings finish at 3 s; the TaskGroup (from 3 s) cancels
  // its siblings when its child fails at 4 s.
  QCOMPARE(endOf(r, "gather-failing"), QStringLiteral("exception@1000"));
  QCOMPARE(printMs(r, "gather raised"), qint64(1000));
  QCOMPARE(endOf(r, "gather-sibling-1"), QStringLiteral("result@3000"));
  QCOMPARE(endOf(r, "gather-sibling-2"), QStringLiteral("result@3000"));
  QCOMPARE(endOf(r, "tg-failing"), QStringLiteral("exception@4000"));
  QCOMPARE(endOf(r, "tg-sibling-1"), QStringLiteral("cancelled@4000"));
  QCOMPARE(endOf(r, "tg-sibling-2"), QStringLiteral("cancelled@4000"));
  const auto caught = printsWith(r, "TaskGroup raised ExceptionGroup");
  QCOMPARE(int(caught.size()), 1);
  QVERIFY2(caught[0].text.find("bad record") != std::string::npos, caught[0].text.c_str());
  QCOMPARE(endOf(r, "main"), QStringLiteral("result@4000"));
}

void checkWaitFirstCompleted(const RunResult& r)
{
  // primary 3 s, fallback 1.5 s, timeout 2 s; round 2 is three times slower.
  QCOMPARE(endOf(r, "fallback-1"), QStringLiteral("result@1500"));
  QCOMPARE(endOf(r, "primary-1"), QStringLiteral("cancelled@1500"));
  QVERIFY(printMs(r, "round 1: fallback-1 won") == 1500);
  QCOMPARE(printMs(r, "round 2: no answer within 2 s"), qint64(3500));
  QCOMPARE(endOf(r, "primary-2"), QStringLiteral("cancelled@3500"));
  QCOMPARE(endOf(r, "fallback-2"), QStringLiteral("cancelled@3500"));
  QCOMPARE(endOf(r, "main"), QStringLiteral("result@3500"));
  QCOMPARE(int(eventsOfKind(r.events, EventKind::TimeoutFired).size()), 0);  // wait() never
}

void checkToThread(const RunResult& r)
{
  // jobs=2, duration=0.6 on a real clock: two jobs on two worker threads; the ticker ticks while
  // they run.
  const auto begins = eventsOfKind(r.events, EventKind::ExecutorJobBegin);
  const auto ends = eventsOfKind(r.events, EventKind::ExecutorJobEnd);
  QCOMPARE(int(begins.size()), 2);
  QCOMPARE(int(ends.size()), 2);
  QVERIFY(begins[0].ev.arg != begins[1].ev.arg);
  const qint64 firstBegin = std::min(ms(begins[0]), ms(begins[1]));
  const qint64 lastEnd = std::max(ms(ends[0]), ms(ends[1]));
  QVERIFY(lastEnd - firstBegin >= 600);
  int ticksDuringJobs = 0;
  const std::uint32_t ticker = taskId(r, "ticker");
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::Print))
    ticksDuringJobs += d.ev.task == ticker && ms(d) > firstBegin && ms(d) < lastEnd ? 1 : 0;
  QVERIFY2(ticksDuringJobs >= 1, "the loop did not tick while the threads blocked");
  QVERIFY(endOf(r, "offload-1").startsWith(QStringLiteral("result@")));
  QVERIFY(endOf(r, "offload-2").startsWith(QStringLiteral("result@")));
  QCOMPARE(countDiagnostics(r, DiagnosticKind::NeverYields), 0);
  bool executorShutdown = false;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::ShutdownPhase))
    executorShutdown =
        executorShutdown || d.ev.a8 == std::uint8_t(ShutdownPhaseKind::ExecutorShutdown);
  QVERIFY(executorShutdown);
}

void checkManyTasks(const RunResult& r)
{
  // count=2000, max_sleep=1: every job ends with a result within 1.5 s, some after yielding.
  int jobsDone = 0;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::TaskDone)) {
    const auto name = r.names.find(d.ev.task);
    if (name != r.names.end() && name->second.starts_with("job-"))
      jobsDone += d.ev.a8 == std::uint8_t(TaskOutcome::Result) ? 1 : 0;
  }
  QCOMPARE(jobsDone, 2000);
  int yields = 0;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::Ready))
    yields += d.ev.a8 == std::uint8_t(AwaitKind::Yield) ? 1 : 0;
  QVERIFY(yields > 1000);  // 0..3 yields per task, 1.5 on average
  QVERIFY(r.endMs > 1000 && r.endMs <= 1500);
  QVERIFY(endOf(r, "progress").startsWith(QStringLiteral("cancelled@")));
  QVERIFY(printMs(r, "all 2000 tasks done") >= 0);
}

void checkEchoServer(const RunResult& r)
{
  // 5 clients x 2 requests; client-05's second request is slow (0.6 s > 0.3 s timeout).
  QVERIFY(printMs(r, "5 clients: 9 replies, 1 timed out, 0 failed") >= 0);
  QVERIFY(printMs(r, "client-05: request 2 timed out") >= 0);
  QCOMPARE(timeoutOutcomes(r).count(int(TimeoutOutcome::Converted)), 1);
  bool server = false;
  for (const DecodedEvent& d : eventsOfKind(r.events, EventKind::ObjectCreated))
    server = server || d.text.starts_with("server 127.0.0.1:");
  QVERIFY(server);
  int handlers = 0;
  for (const auto& [id, name] : r.names)
    handlers += name.starts_with("handler 127.0.0.1:") ? 1 : 0;
  QCOMPARE(handlers, 5);
  QVERIFY(printMs(r, "server closed") >= 0);
  for (int i = 1; i <= 5; ++i)
    QVERIFY(endOf(r, "client-0" + std::to_string(i)).startsWith(QStringLiteral("result@")));
}

// ---- soak

/// What a soak run shows in its event stream, counted as the events go by (an hour-long run has
/// millions of events; none is kept but the Print texts).
class SoakCount final : public EventSink
{
public:
  void write(std::span<const TraceEvent> events) override
  {
    decoder_.feed(events);
    for (const DecodedEvent& d : decoder_.take())
      add(d);
  }

  void add(const DecodedEvent& d)
  {
    switch (d.ev.kind) {
      case EventKind::TaskCreated: {
        const std::string kind = jobKind(d.text);
        if (kind.empty()) {
          helpers[d.ev.task] = d.text;
        } else {
          jobs[d.ev.task] = kind;
          ++created[kind];
        }
        break;
      }
      case EventKind::TaskDone: {
        const auto job = jobs.find(d.ev.task);
        if (job != jobs.end()) {
          ++done[job->second][static_cast<TaskOutcome>(d.ev.a8)];
          jobs.erase(job);  // the map holds the jobs alive, as the scenario does
        } else if (helpers.count(d.ev.task) != 0) {
          helperEnds[helpers[d.ev.task]] = {static_cast<TaskOutcome>(d.ev.a8), ms(d)};
        }
        break;
      }
      case EventKind::TimeoutFired:
        ++timeoutsFired;
        break;
      case EventKind::TimeoutDisarmed:
        converted += d.ev.a8 == std::uint8_t(TimeoutOutcome::Converted) ? 1 : 0;
        break;
      case EventKind::CancelRequested:
        if (helpers.count(std::uint32_t(d.ev.detail)) != 0 &&
            helpers[std::uint32_t(d.ev.detail)] == "supervisor")
          ++supervisorCancels;
        break;
      case EventKind::Diagnostic:
        ++diagnostics[static_cast<DiagnosticKind>(d.ev.a8)];
        break;
      case EventKind::Print:
        prints.push_back(d.text);
        break;
      default:
        break;
    }
  }

  /// "sleeper", "fetch", ... for a job's name ("sleeper-17"); empty for the other tasks.
  static std::string jobKind(const std::string& name)
  {
    for (const char* kind : {"sleeper", "fetch", "deadline", "flaky", "crash", "straggler"}) {
      const std::string prefix = std::string(kind) + "-";
      if (name.starts_with(prefix))
        return kind;
    }
    return {};
  }
  int createdJobs() const
  {
    int n = 0;
    for (const auto& [kind, count] : created)
      n += count;
    return n;
  }
  int ended(TaskOutcome outcome) const
  {
    int n = 0;
    for (const auto& [kind, outcomes] : done) {
      const auto o = outcomes.find(outcome);
      n += o != outcomes.end() ? o->second : 0;
    }
    return n;
  }
  int ended(const std::string& kind, TaskOutcome outcome) const
  {
    const auto k = done.find(kind);
    if (k == done.end())
      return 0;
    const auto o = k->second.find(outcome);
    return o != k->second.end() ? o->second : 0;
  }
  std::vector<std::string> printsWith(std::string_view needle) const
  {
    std::vector<std::string> out;
    for (const std::string& p : prints)
      if (p.find(needle) != std::string::npos)
        out.push_back(p);
    return out;
  }

  std::unordered_map<std::uint32_t, std::string> jobs;  ///< job id -> kind, while alive
  std::map<std::uint32_t, std::string> helpers;         ///< main, supervisor, producer, consumer
  std::map<std::string, std::pair<TaskOutcome, qint64>> helperEnds;
  std::map<std::string, int> created;
  std::map<std::string, std::map<TaskOutcome, int>> done;
  std::map<DiagnosticKind, int> diagnostics;
  int timeoutsFired = 0;
  int converted = 0;
  int supervisorCancels = 0;
  std::vector<std::string> prints;

private:
  TraceDecoder decoder_;
};

/// The soak's closing line, parsed: "soak done at t=…: spawned N of T (S skipped at the bound),
/// max alive M; …". Empty if missing.
struct SoakSummary
{
  bool found = false;
  qint64 spawned = 0, total = 0, skipped = 0, maxAlive = 0, ok = 0, cancelled = 0, failed = 0,
         timeouts = 0, caught = 0, bySupervisor = 0, produced = 0, consumed = 0;
};

SoakSummary soakSummary(const std::vector<std::string>& prints)
{
  static const QRegularExpression re(QStringLiteral(
      R"(^soak done at t=[0-9.]+ s: spawned (\d+) of (\d+) \((\d+) skipped at the bound\), )"
      R"(max alive (\d+); (\d+) ok, (\d+) cancelled, (\d+) failed; (\d+) timeouts, )"
      R"((\d+) errors caught; (\d+) cancelled by the supervisor; (\d+) items produced, )"
      R"((\d+) consumed$)"));
  SoakSummary s;
  for (const std::string& p : prints) {
    const QRegularExpressionMatch m = re.match(toQString(p));
    if (!m.hasMatch())
      continue;
    s.found = true;
    qint64* fields[] = {&s.spawned, &s.total,        &s.skipped,  &s.maxAlive,
                        &s.ok,      &s.cancelled,    &s.failed,   &s.timeouts,
                        &s.caught,  &s.bySupervisor, &s.produced, &s.consumed};
    for (int i = 0; i < 12; ++i)
      *fields[i] = m.captured(i + 1).toLongLong();
  }
  return s;
}

/// The engine's size while the soak runs, sampled every 0.1 s of loop time.
struct EngineSamples
{
  std::size_t maxLoopTasks = 0;   ///< Loop::task_count(): pending tasks
  std::int64_t maxLiveTasks = 0;  ///< tasks not yet freed (detail::t_live_tasks), above the base
  std::size_t maxTimers = 0;
  int count = 0;
};

void sampleEngine(Loop& loop, Duration until, std::int64_t liveBase, EngineSamples& out)
{
  loop.call_later(100ms, [&loop, until, liveBase, &out] {
    out.maxLoopTasks = std::max(out.maxLoopTasks, loop.task_count());
    out.maxLiveTasks = std::max(out.maxLiveTasks, detail::t_live_tasks - liveBase);
    out.maxTimers = std::max(out.maxTimers, loop.timer_count());
    ++out.count;
    if (loop.now().time_since_epoch() < until)
      sampleEngine(loop, until, liveBase, out);
  });
}

/// The checks every soak run passes, whatever its parameters: the summary agrees with the event
/// stream, every job ended, each kind ended the way it should, the bound held.
void checkSoakCounts(const SoakCount& c, const SoakSummary& sum, qint64 rate, qint64 duration,
                     qint64 maxAliveBound)
{
  QVERIFY2(sum.found, "no closing line");
  QCOMPARE(sum.total, rate * duration);
  QCOMPARE(sum.spawned + sum.skipped, sum.total);
  QCOMPARE(qint64(c.createdJobs()), sum.spawned);
  QVERIFY(c.jobs.empty());  // every job ended
  QVERIFY2(sum.maxAlive <= maxAliveBound, qPrintable(QString::number(sum.maxAlive)));
  QCOMPARE(qint64(c.ended(TaskOutcome::Result)), sum.ok);
  QCOMPARE(qint64(c.ended(TaskOutcome::Cancelled)), sum.cancelled);
  QCOMPARE(qint64(c.ended(TaskOutcome::Exception)), sum.failed);
  QCOMPARE(sum.ok + sum.cancelled + sum.failed, sum.spawned);
  // Only the supervisor cancels (stragglers), only crash jobs fail, and every crash fails.
  QCOMPARE(qint64(c.ended("straggler", TaskOutcome::Cancelled)), sum.cancelled);
  QCOMPARE(qint64(c.supervisorCancels), sum.bySupervisor);
  QCOMPARE(sum.bySupervisor, sum.cancelled);
  QCOMPARE(qint64(c.ended("crash", TaskOutcome::Exception)), sum.failed);
  QCOMPARE(sum.failed, qint64(c.created.count("crash") ? c.created.at("crash") : 0));
  // Each fired timeout became a TimeoutError the job handled.
  QCOMPARE(qint64(c.timeoutsFired), sum.timeouts);
  QCOMPARE(qint64(c.converted), sum.timeouts);
  QCOMPARE(qint64(c.printsWith(": caught BackendError('connection reset')").size()), sum.caught);
  QCOMPARE(qint64(c.printsWith(" raised BackendError('unexpected reply')").size()), sum.failed);
  QVERIFY(sum.produced >= sum.consumed && sum.produced - sum.consumed <= 64 + 1);
  const auto mainEnd = c.helperEnds.find("main");
  QVERIFY(mainEnd != c.helperEnds.end());
  QCOMPARE(mainEnd->second.first, TaskOutcome::Result);
  QVERIFY2(
      mainEnd->second.second >= duration * 1000 && mainEnd->second.second <= duration * 1000 + 5600,
      qPrintable(QString::number(mainEnd->second.second)));  // stragglers: 5 s + 0.5 s
  for (const char* helper : {"supervisor", "producer", "consumer"}) {
    const auto end = c.helperEnds.find(helper);
    QVERIFY2(end != c.helperEnds.end() && end->second.first == TaskOutcome::Cancelled, helper);
  }
  QCOMPARE(c.diagnostics.count(DiagnosticKind::UnretrievedException), std::size_t(0));
  QCOMPARE(c.diagnostics.count(DiagnosticKind::SwallowedCancel), std::size_t(0));
  // A progress line every 10 s.
  QCOMPARE(qint64(c.printsWith("), loop tasks ").size()), duration / 10);
}

void checkSoak(const RunResult& r)
{
  // duration=20 at the default 200 a second: 4000 jobs, all kinds, well under the bound of 1000.
  SoakCount c;
  for (const DecodedEvent& d : r.events)
    c.add(d);
  const SoakSummary sum = soakSummary(c.prints);
  checkSoakCounts(c, sum, 200, 20, 1000);
  QCOMPARE(sum.skipped, qint64(0));
  for (const char* kind : {"sleeper", "fetch", "deadline", "flaky", "crash", "straggler"})
    QVERIFY2(c.created.count(kind) != 0 && c.created.at(kind) > 0, kind);
  QVERIFY(sum.timeouts > 0 && sum.cancelled > 0 && sum.failed > 0 && sum.caught > 0);
  QVERIFY(c.printsWith("t=10 s: spawned 2000, alive ").size() == 1);
  QCOMPARE(int(r.report.cancelled), 0);  // main left nothing to the Runner's shutdown
}

struct Expectation
{
  const char* params;
  bool realClock;
  int exitStatus;
  void (*check)(const RunResult&);
};

const std::map<std::string, Expectation, std::less<>>& expectations()
{
  static const std::map<std::string, Expectation, std::less<>> table{
      {"graceful-shutdown",
       {"workers=3,run_for=2,cleanup=0.5", false, kExitOk, &checkGracefulShutdown}},
      {"swallowed-cancel",
       {"workers=4,culprit=2,run_for=2,cleanup=0.25,grace=1.5", false, kExitGraceExpired,
        &checkSwallowedCancel}},
      {"timeout", {"", false, kExitOk, &checkTimeout}},
      {"wait-for", {"calls=5,timeout=1", false, kExitOk, &checkWaitFor}},
      {"worker-cancel", {"cancel_after=2,cleanup=0.5", false, kExitOk, &checkWorkerCancel}},
      {"blocking-call", {"block=1.5,compare=1", false, kExitOk, &checkBlockingCall}},
      {"sequential-vs-gather",
       {"users=0.3,orders=0.5,stock=0.2", false, kExitOk, &checkSequentialVsGather}},
      {"gather-vs-taskgroup", {"fail_after=1,siblings=3", false, kExitOk, &checkGatherVsTaskGroup}},
      {"wait-first-completed", {"", false, kExitOk, &checkWaitFirstCompleted}},
      {"to-thread", {"jobs=2,duration=0.6", true, kExitOk, &checkToThread}},
      {"many-tasks", {"count=2000,max_sleep=1,seed=7", false, kExitOk, &checkManyTasks}},
      {"echo-server",
       {"clients=5,requests=2,timeout=0.3,slow_every=5,slow=0.6", true, kExitOk, &checkEchoServer}},
      // An hour by default: 20 s here; soakStaysBounded runs longer ones.
      {"soak", {"duration=20,seed=3", false, kExitOk, &checkSoak}},
  };
  return table;
}

}  // namespace

class tst_Scenarios : public QObject
{
  Q_OBJECT

private slots:
  void catalogIsWellFormed();
  void findAndValueResolveParameters();
  void runsToItsExpectedEnd_data();
  void runsToItsExpectedEnd();
  void gracefulShutdownStopsOnARealSignal_data();
  void gracefulShutdownStopsOnARealSignal();
  void cancellingMainEndsTheRun_data();
  void cancellingMainEndsTheRun();
  void cancellingACallIsNotATimeout();
  void seededScenariosReplayIdentically_data();
  void seededScenariosReplayIdentically();
  void soakStaysBounded_data();
  void soakStaysBounded();
};

void tst_Scenarios::catalogIsWellFormed()
{
  const auto& all = scenarios::catalog();
  QCOMPARE(int(all.size()), 13);
  QCOMPARE(toQString(all.front().id), QStringLiteral("graceful-shutdown"));
  std::set<std::string> ids;
  for (const scenarios::Scenario& s : all) {
    QVERIFY2(ids.insert(s.id).second, s.id.c_str());
    QVERIFY2(!s.title.empty(), s.id.c_str());
    QVERIFY2(!s.description.empty(), s.id.c_str());
    QVERIFY2(bool(s.main), s.id.c_str());
    std::set<std::string> keys;
    for (const scenarios::Param& p : s.params) {
      const QByteArray where = QByteArray::fromStdString(s.id + "." + p.key);
      QVERIFY2(keys.insert(p.key).second, where.constData());
      QVERIFY2(!p.label.empty() && !p.tooltip.empty(), where.constData());
      if (p.type == scenarios::Param::Type::Bool) {
        QVERIFY2(p.value == 0 || p.value == 1, where.constData());
      } else {
        QVERIFY2(p.min <= p.max, where.constData());
        QVERIFY2(p.value >= p.min && p.value <= p.max, where.constData());
      }
      if (p.type == scenarios::Param::Type::Int)
        QVERIFY2(p.value == std::round(p.value), where.constData());
    }
  }
}

void tst_Scenarios::findAndValueResolveParameters()
{
  QVERIFY(scenarios::find("no-such-scenario") == nullptr);
  const scenarios::Scenario* s = scenarios::find("graceful-shutdown");
  QVERIFY(s != nullptr);
  QCOMPARE(s, &scenarios::catalog().front());
  QCOMPARE(scenarios::value(*s, {}, "workers"), 5.0);                   // the default
  QCOMPARE(scenarios::value(*s, {{"workers", 7}}, "workers"), 7.0);     // given
  QCOMPARE(scenarios::value(*s, {{"workers", 6.6}}, "workers"), 7.0);   // Int: rounded
  QCOMPARE(scenarios::value(*s, {{"workers", 500}}, "workers"), 20.0);  // clamped to max
  QCOMPARE(scenarios::value(*s, {{"cleanup", -1}}, "cleanup"), 0.0);    // clamped to min
  QCOMPARE(scenarios::value(*s, {{"cleanup", 0.25}}, "cleanup"), 0.25);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, scenarios::value(*s, {}, "no-such-key"));
  const scenarios::Values d = scenarios::defaults(*s);
  QCOMPARE(int(d.size()), int(s->params.size()));
  QCOMPARE(d.at("grace"), 5.0);
  // The Runner options follow the grace parameter.
  QVERIFY(s->runner);
  QVERIFY(s->runner({{"grace", 2.5}}).grace == std::optional<Duration>(2500ms));
  QVERIFY(!s->runner({}).handle_sigint);  // the scenario handles SIGINT itself

  const scenarios::Scenario* blocking = scenarios::find("blocking-call");
  QVERIFY(blocking != nullptr);
  QCOMPARE(scenarios::value(*blocking, {}, "compare"), 1.0);
  QCOMPARE(scenarios::value(*blocking, {{"compare", 0}}, "compare"), 0.0);
  QCOMPARE(scenarios::value(*blocking, {{"compare", 5}}, "compare"), 1.0);  // Bool: 0 or 1
}

void tst_Scenarios::runsToItsExpectedEnd_data()
{
  QTest::addColumn<QString>("id");
  // One row per catalogue entry: a scenario without an expectation fails below.
  for (const scenarios::Scenario& s : scenarios::catalog())
    QTest::newRow(s.id.c_str()) << toQString(s.id);
}

void tst_Scenarios::runsToItsExpectedEnd()
{
  QFETCH(QString, id);
  const scenarios::Scenario* s = scenarios::find(id.toStdString());
  QVERIFY(s != nullptr);
  const auto e = expectations().find(id.toStdString());
  QVERIFY2(e != expectations().end(), "no expectation for this scenario");
  const Expectation& x = e->second;
  SavedDisposition keepInt(SIGINT);
  SavedDisposition keepTerm(SIGTERM);
  const std::int64_t liveTasks = detail::t_live_tasks;

  const RunResult r = runScenario(*s, parseValues(QString::fromUtf8(x.params)), x.realClock);

  QVERIFY2(r.report.exit_status == x.exitStatus,
           qPrintable(QStringLiteral("exit status %1, error: %2")
                          .arg(r.report.exit_status)
                          .arg(r.report.error ? describe(r.report.error) : QStringLiteral("-"))));
  QVERIFY(r.report.shutdown_errors.empty());
  QCOMPARE(detail::t_live_tasks, liveTasks);  // every task (and its frame) was freed
  x.check(r);
}

void tst_Scenarios::gracefulShutdownStopsOnARealSignal_data()
{
  QTest::addColumn<int>("signum");
  QTest::addColumn<QString>("name");
  QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("SIGTERM");
  QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("SIGINT");
}

void tst_Scenarios::gracefulShutdownStopsOnARealSignal()
{
  // A real kill(getpid(), sig) 0.2 s in, on a real clock: the handler sets the stop event long
  // before "run for", every worker cleans up and re-raises, main returns, exit status 0.
  QFETCH(int, signum);
  QFETCH(QString, name);
  SavedDisposition keepInt(SIGINT);
  SavedDisposition keepTerm(SIGTERM);
  const scenarios::Scenario* s = scenarios::find("graceful-shutdown");
  QVERIFY(s != nullptr);
  const RunResult r = runScenario(
      *s, {{"workers", 3}, {"run_for", 60}, {"cleanup", 0.05}, {"grace", 5}}, true,
      [signum](Loop& loop) { loop.call_later(200ms, [signum] { ::kill(::getpid(), signum); }); });

  QCOMPARE(r.report.exit_status, kExitOk);
  QVERIFY2(r.endMs < 10'000, qPrintable(QString::number(r.endMs)));  // not the 60 s run_for
  const auto received = eventsOfKind(r.events, EventKind::SignalReceived);
  QCOMPARE(int(received.size()), 1);
  QCOMPARE(int(received[0].ev.arg), signum);
  QVERIFY(printMs(r, (name + QStringLiteral(" received: setting the stop event")).toStdString()) >=
          0);
  for (int i = 1; i <= 3; ++i) {
    const std::string w = "worker-" + std::to_string(i);
    QVERIFY2(printMs(r, w + ": cleanup done, re-raising") >= 0, w.c_str());
    QVERIFY2(endOf(r, w).startsWith(QStringLiteral("cancelled@")), w.c_str());
  }
  QVERIFY(endOf(r, "main").startsWith(QStringLiteral("result@")));
  QCOMPARE(countDiagnostics(r, DiagnosticKind::SwallowedCancel), 0);
}

void tst_Scenarios::cancellingMainEndsTheRun_data()
{
  QTest::addColumn<QString>("id");
  for (const scenarios::Scenario& s : scenarios::catalog())
    QTest::newRow(s.id.c_str()) << toQString(s.id);
}

void tst_Scenarios::cancellingMainEndsTheRun()
{
  // The GUI's Cancel on main, 0.5 s in: every scenario lets the CancelledError end main (after
  // its own graceful path, for graceful-shutdown); the Runner's shutdown then deals with what is
  // left. Only swallowed-cancel's culprit holds the shutdown up to its grace deadline.
  QFETCH(QString, id);
  const scenarios::Scenario* s = scenarios::find(id.toStdString());
  QVERIFY(s != nullptr);
  const auto e = expectations().find(id.toStdString());
  QVERIFY(e != expectations().end());
  SavedDisposition keepInt(SIGINT);
  SavedDisposition keepTerm(SIGTERM);
  const std::int64_t liveTasks = detail::t_live_tasks;

  const RunResult r = runScenario(*s, parseValues(QString::fromUtf8(e->second.params)),
                                  e->second.realClock, [](Loop& loop) {
                                    loop.call_later(500ms, [&loop] {
                                      for (TaskBase* t : loop.all_tasks())
                                        if (t->name() == "main")
                                          t->cancel("stop pressed");
                                    });
                                  });

  const int expected = id == QStringLiteral("swallowed-cancel") ? kExitGraceExpired : kExitFailed;
  QCOMPARE(r.report.exit_status, expected);
  QVERIFY(is_cancelled_error(r.report.error));
  // graceful-shutdown first stops its workers (0.5 s cleanups), then re-raises.
  const qint64 mainEnd = id == QStringLiteral("graceful-shutdown") ? 1000 : 500;
  const DecodedEvent* done = doneEvent(r, "main");
  QVERIFY(done != nullptr);
  QCOMPARE(done->ev.a8, std::uint8_t(TaskOutcome::Cancelled));
  if (e->second.realClock)
    QVERIFY2(ms(*done) >= mainEnd && ms(*done) < mainEnd + 200, qPrintable(endOf(r, "main")));
  else
    QCOMPARE(ms(*done), mainEnd);
  QVERIFY2(r.endMs < 5'000, qPrintable(QString::number(r.endMs)));
  QVERIFY(r.report.shutdown_errors.empty());
  QCOMPARE(detail::t_live_tasks, liveTasks);
}

void tst_Scenarios::cancellingACallIsNotATimeout()
{
  // wait-for with the GUI's Cancel on call-2 (0.5 s in, before its 1 s timeout): main gets a
  // CancelledError, not a TimeoutError, says so, and goes on with the other calls.
  const scenarios::Scenario* s = scenarios::find("wait-for");
  QVERIFY(s != nullptr);
  const RunResult r = runScenario(*s, {{"calls", 3}, {"timeout", 1}}, false, [](Loop& loop) {
    loop.call_later(900ms, [&loop] {
      for (TaskBase* t : loop.all_tasks())
        if (t->name() == "call-2")
          t->cancel("cancelled by hand");
    });
  });
  QCOMPARE(r.report.exit_status, kExitOk);
  QCOMPARE(endOf(r, "call-2"), QStringLiteral("cancelled@900"));
  QCOMPARE(printMs(r, "call-2 was cancelled from outside"), qint64(900));
  QCOMPARE(printMs(r, "call-2: TimeoutError"), qint64(-1));
  QCOMPARE(endOf(r, "call-3"), QStringLiteral("result@1700"));
  QCOMPARE(timeoutOutcomes(r).count(int(TimeoutOutcome::Converted)), 0);
  QCOMPARE(countDiagnostics(r, DiagnosticKind::SwallowedCancel), 0);
}

void tst_Scenarios::seededScenariosReplayIdentically_data()
{
  QTest::addColumn<QString>("id");
  QTest::addColumn<scenarios::Values>("values");
  QTest::newRow("many-tasks") << QStringLiteral("many-tasks")
                              << scenarios::Values{{"count", 300}, {"max_sleep", 1}, {"seed", 11}};
  QTest::newRow("soak") << QStringLiteral("soak")
                        << scenarios::Values{{"duration", 5}, {"rate", 100}, {"seed", 11}};
}

void tst_Scenarios::seededScenariosReplayIdentically()
{
  // Seeded on a virtual clock: the same seed gives the same event stream, another seed another.
  QFETCH(QString, id);
  QFETCH(scenarios::Values, values);
  const scenarios::Scenario* s = scenarios::find(id.toStdString());
  QVERIFY(s != nullptr);
  scenarios::Values b = values;
  b["seed"] = 12;
  const RunResult first = runScenario(*s, values, false);
  const RunResult again = runScenario(*s, values, false);
  const RunResult other = runScenario(*s, b, false);
  QCOMPARE(first.report.exit_status, kExitOk);
  QVERIFY(compactEvents(first.events) == compactEvents(again.events));
  QVERIFY(compactEvents(first.events) != compactEvents(other.events));
}

void tst_Scenarios::soakStaysBounded_data()
{
  QTest::addColumn<int>("duration");
  QTest::addColumn<int>("rate");
  QTest::addColumn<int>("maxAlive");
  QTest::addColumn<bool>("boundReached");
  // Ten minutes at the default rate: 120,000 jobs, a few hundred alive at a time.
  QTest::newRow("10 min at 200/s") << 600 << 200 << 1000 << false;
  // A bound below what the rate needs: jobs due at the bound are skipped, never queued up.
  QTest::newRow("1 min at 200/s, at most 40 alive") << 60 << 200 << 40 << true;
}

void tst_Scenarios::soakStaysBounded()
{
  // The soak on a virtual clock, its events counted as they go by. What grows with the run (jobs
  // spawned, events) must not show in the engine: the pending tasks, the tasks not yet freed and
  // the timers stay under the bound on the jobs alive (plus main, the supervisor, the producer
  // and the consumer), and every task is freed at the end.
  QFETCH(int, duration);
  QFETCH(int, rate);
  QFETCH(int, maxAlive);
  QFETCH(bool, boundReached);
  const scenarios::Scenario* s = scenarios::find("soak");
  QVERIFY(s != nullptr);
  constexpr int kHelpers = 4;
  const std::int64_t liveTasks = detail::t_live_tasks;
  SoakCount c;
  EngineSamples samples;
  const RunResult r = runScenario(
      *s, {{"duration", duration}, {"rate", rate}, {"max_alive", maxAlive}, {"seed", 1}}, false,
      [&](Loop& loop) {
        sampleEngine(loop, std::chrono::seconds(duration + 10), liveTasks, samples);
      },
      &c);

  QCOMPARE(r.report.exit_status, kExitOk);
  QVERIFY(r.report.shutdown_errors.empty());
  QCOMPARE(detail::t_live_tasks, liveTasks);  // every task (and its frame) was freed
  const SoakSummary sum = soakSummary(c.prints);
  checkSoakCounts(c, sum, rate, duration, maxAlive);
  QVERIFY(sum.timeouts > 0 && sum.cancelled > 0 && sum.failed > 0 && sum.caught > 0);
  if (boundReached) {
    QCOMPARE(sum.maxAlive, qint64(maxAlive));
    QVERIFY(sum.skipped > 0);
  } else {
    QCOMPARE(sum.skipped, qint64(0));
  }

  // The engine's own size, sampled every 0.1 s: bounded by the jobs alive, not by the run.
  QVERIFY(samples.count >= duration * 10);
  QVERIFY2(samples.maxLoopTasks <= std::size_t(sum.maxAlive + kHelpers),
           qPrintable(QString::number(samples.maxLoopTasks)));
  QVERIFY2(samples.maxLiveTasks <= sum.maxAlive + kHelpers,
           qPrintable(QString::number(samples.maxLiveTasks)));
  // At most two timers per job (a sleep inside a timeout scope) and one per helper, plus the
  // sampler's own.
  QVERIFY2(samples.maxTimers <= std::size_t(2 * sum.maxAlive + kHelpers + 1),
           qPrintable(QString::number(samples.maxTimers)));
  QVERIFY(sum.spawned >= 50 * sum.maxAlive);  // the run is long compared with what it keeps
}

QTEST_GUILESS_MAIN(tst_Scenarios)
#include "tst_scenarios.moc"
