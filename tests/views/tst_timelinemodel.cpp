// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineModel: fed with the event streams of real engine runs on a virtual clock (scenarios
// that block the loop thread by moving the clock on inside a step, so running spans have a
// length) and with hand-written streams for the edge cases.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "../engine/testsupport.h"
#include "engine/engine.h"

#include <views/timelinemodel.h>

#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

using loopscope::engine::AwaitKind;
using loopscope::engine::CancelledError;
using loopscope::engine::CancelSource;
using loopscope::engine::CancelVia;
using loopscope::engine::Coro;
using loopscope::engine::DecodedEvent;
using loopscope::engine::DiagnosticKind;
using loopscope::engine::Duration;
using loopscope::engine::EventKind;
using loopscope::engine::Loop;
using loopscope::engine::ShutdownPhaseKind;
using loopscope::engine::TaskOutcome;
using loopscope::engine::TimeoutError;
using loopscope::engine::TimeoutOutcome;
using loopscope::engine::TraceDecoder;
using loopscope::engine::TraceEvent;
using loopscope::engine::VirtualClock;
using loopscope::testsupport::VirtualLoop;
using loopscope::views::CancelLink;
using loopscope::views::EventStore;
using loopscope::views::GlobalMarker;
using loopscope::views::kNever;
using loopscope::views::kOpenEnd;
using loopscope::views::LoopSpan;
using loopscope::views::Marker;
using loopscope::views::MarkerKind;
using loopscope::views::Retention;
using loopscope::views::StateSpan;
using loopscope::views::TaskInfo;
using loopscope::views::TaskState;
using loopscope::views::TaskTimes;
using loopscope::views::TimelineModel;
using loopscope::views::TimeoutScope;
using namespace std::chrono_literals;

using Events = std::vector<DecodedEvent>;

class tst_TimelineModel : public QObject
{
  Q_OBJECT

private slots:
  // Real runs.
  void spansAreContiguousAndOnlyLiveTasksHaveAnOpenSpan_data();
  void spansAreContiguousAndOnlyLiveTasksHaveAnOpenSpan();
  void smallScenarioSpans_data();
  void smallScenarioSpans();
  void smallScenarioSpanCounts();
  void stateAtTime_data();
  void stateAtTime();
  void timesSplitBusyReadyIdle_data();
  void timesSplitBusyReadyIdle();
  void awaitMarkersRecordWhatWasAwaited();
  void cancelLinkConnectsRequestToDelivery_data();
  void cancelLinkConnectsRequestToDelivery();
  void cancelledSleeperIsCancellingUntilItRuns();
  void timeoutScopeIsArmedFiredAndDisarmed();
  void slowStepMarksItsLoopSpan();
  void sleeperWokenLateByABlockedLoopIsReadyFromItsDeadline();
  void rowsAreInTreeOrder();
  void collapsingHidesDescendants();
  void rowsFollowTasksAsTheyArrive_data();
  void rowsFollowTasksAsTheyArrive();
  void awaitChainFollowsAwaitedTasks();
  void batchesMayEndAnywhere();
  void clearForgetsEverything();

  // Retention (a long run kept bounded).
  void retentionKeepsTheRecentPastExactly_data();
  void retentionKeepsTheRecentPastExactly();
  void retentionKeepsMemoryBounded();
  void retentionOnAFinishedRunAndAcrossClear();

  // Hand-written streams.
  void cancellingSpanAndUncancelBack();
  void timeoutWithoutDeadlineThenRescheduled();
  void loopSpansCoverStepsCallbacksAndIdle();
  void spansIn_data();
  void spansIn();
  void markersIn_data();
  void markersIn();
  void awaitsIn_data();
  void awaitsIn();
  void loopSpansIn_data();
  void loopSpansIn();
  void eventForUnknownTaskCreatesIt();
  void sitesAreParsed();
  void globalMarkersDiagnosticsAndExecutorJobs();
  void markersStayInTimeOrder();
};

namespace {

constexpr std::int64_t kMs = 1'000'000;

// ------------------------------------------------------------------ scenarios (engine side)
// No QTest macro in a coroutine (they `return`): coroutines only act, tests assert afterwards.

// A synchronous call that holds the loop thread for `d` of virtual time.
void block(Duration d)
{
  auto& clock = static_cast<VirtualClock&>(Loop::running().clock());
  clock.advance_to(clock.now_ns() + d.count());
}

Coro<void> sleepFor(Duration d)
{
  co_await loopscope::engine::sleep(d);
}

// sleeper: runs 10 ms, sleeps 1 s, yields (sleep(0)), runs 5 ms more and returns.
Coro<void> sleeper()
{
  block(10ms);
  co_await loopscope::engine::sleep(1s);
  co_await loopscope::engine::sleep(0ms);
  block(5ms);
}

// main (task 1) creates sleeper (task 2), keeps the loop 2 ms, then awaits it.
Coro<void> smallMain()
{
  auto w = loopscope::engine::create_task(sleeper(), "sleeper");
  block(2ms);
  co_await w;
}

// victim sleeps 20 ms; a cancel reaches it at its sleep; it re-raises or swallows.
Coro<void> victim(bool swallow)
{
  try {
    co_await loopscope::engine::sleep(20ms);
  } catch (const CancelledError&) {
    if (!swallow)
      throw;
  }
}

// main cancels victim at 15 ms and keeps the loop 5 ms, so the CancelledError is delivered at
// 20 ms when victim runs.
Coro<void> cancelMain(bool swallow)
{
  auto v = loopscope::engine::create_task(victim(swallow), "victim");
  co_await loopscope::engine::sleep(15ms);
  v.cancel("stop");
  block(5ms);
  try {
    co_await v;
  } catch (const CancelledError&) {
  }
}

Coro<void> timeoutMain()
{
  try {
    co_await loopscope::engine::timeout(5ms).run(sleepFor(1s));
  } catch (const TimeoutError&) {
  }
}

// A first step of 200 ms (slow), then a short one.
Coro<void> slowMain()
{
  block(200ms);
  co_await loopscope::engine::sleep(10ms);
  block(1ms);
}

// main blocks the loop for 300 ms in one step while "sleeper" (due at 50 ms) waits.
Coro<void> blockedMain()
{
  auto sleeper = loopscope::engine::create_task(sleepFor(50ms), "sleeper");
  co_await loopscope::engine::sleep(10ms);
  block(300ms);
  co_await sleeper;
}

Coro<void> branch(std::string prefix, int children)
{
  std::vector<loopscope::engine::Task<void>> kids;
  for (int i = 1; i <= children; ++i)
    kids.push_back(loopscope::engine::create_task(sleepFor(1ms), prefix + std::to_string(i)));
  for (auto& k : kids)
    co_await k;
}

// main creates a and b; a creates a1, a2; b creates b1. Creation order: main a b a1 a2 b1.
Coro<void> treeMain()
{
  auto a = loopscope::engine::create_task(branch("a", 2), "a");
  auto b = loopscope::engine::create_task(branch("b", 1), "b");
  co_await a;
  co_await b;
}

// main awaits mid, which awaits leaf, which sleeps 10 ms.
Coro<void> mid()
{
  co_await loopscope::engine::create_task(sleepFor(10ms), "leaf");
}
Coro<void> chainMain()
{
  co_await loopscope::engine::create_task(mid(), "mid");
}

// ---- churn: a long run for retention. main spawns a worker every 1 ms, with at most 8 alive
// (it awaits the oldest); workers sleep 1-5 ms (every 7th runs into a timeout, every 11th is
// cancelled by main, every 13th prints, every 17th raises); "ticker" lives the whole run.
Coro<void> churnWorker(int i)
{
  if (i % 7 == 0) {
    try {
      co_await loopscope::engine::timeout(2ms).run(sleepFor(5ms));
    } catch (const TimeoutError&) {
    }
  } else {
    co_await loopscope::engine::sleep(Duration((i % 5 + 1) * 1'000'000));
  }
  if (i % 13 == 0)
    Loop::running().print("worker " + std::to_string(i));
  block(Duration(100'000));
  if (i % 17 == 0)
    throw std::runtime_error("boom " + std::to_string(i));
}

Coro<void> ticker()
{
  for (;;) {
    co_await loopscope::engine::sleep(50ms);
    block(Duration(200'000));
  }
}

Coro<void> reapOldest(std::deque<loopscope::engine::Task<void>>& live)
{
  try {
    co_await live.front();
  } catch (const CancelledError&) {
  } catch (const std::runtime_error&) {
  }
  live.pop_front();
}

Coro<void> churnMain(int workers)
{
  auto tick = loopscope::engine::create_task(ticker(), "ticker");
  std::deque<loopscope::engine::Task<void>> live;
  for (int i = 1; i <= workers; ++i) {
    live.push_back(loopscope::engine::create_task(churnWorker(i), "w" + std::to_string(i)));
    if (i % 11 == 0)
      live.back().cancel("churn");
    co_await loopscope::engine::sleep(1ms);
    while (live.size() > 8)
      co_await reapOldest(live);
  }
  while (!live.empty())
    co_await reapOldest(live);
  tick.cancel();
  try {
    co_await tick;
  } catch (const CancelledError&) {
  }
}

Events recordChurn(int workers)
{
  VirtualLoop v;
  v.loop.run_until_complete(churnMain(workers), "main");
  return v.decoded();
}

Coro<void> everything()
{
  co_await smallMain();
  co_await cancelMain(false);
  co_await cancelMain(true);
  co_await timeoutMain();
  co_await treeMain();
  co_await chainMain();
}

Events record(const QString& scenario)
{
  VirtualLoop v;
  if (scenario == QLatin1String("small")) {
    v.loop.run_until_complete(smallMain(), "main");
  } else if (scenario == QLatin1String("cancel")) {
    v.loop.run_until_complete(cancelMain(false), "main");
  } else if (scenario == QLatin1String("swallow")) {
    v.loop.run_until_complete(cancelMain(true), "main");
  } else if (scenario == QLatin1String("timeout")) {
    v.loop.run_until_complete(timeoutMain(), "main");
  } else if (scenario == QLatin1String("slow")) {
    // A 150 ms callback runs before main's first step.
    v.loop.call_soon([&v] { v.clock().advance_to(v.clock().now_ns() + 150 * kMs); });
    v.loop.run_until_complete(slowMain(), "main");
  } else if (scenario == QLatin1String("blocked")) {
    v.loop.run_until_complete(blockedMain(), "main");
  } else if (scenario == QLatin1String("tree")) {
    v.loop.run_until_complete(treeMain(), "main");
  } else if (scenario == QLatin1String("chain")) {
    v.loop.run_until_complete(chainMain(), "main");
  } else if (scenario == QLatin1String("everything")) {
    v.loop.run_until_complete(everything(), "main");
  } else {
    qFatal("unknown scenario %s", qPrintable(scenario));
  }
  return v.decoded();
}

// Every await point of a task.
std::vector<Marker> allAwaits(const TimelineModel& model, std::uint32_t id)
{
  return model.awaitsIn(id, std::numeric_limits<std::int64_t>::min(),
                        std::numeric_limits<std::int64_t>::max());
}

TimelineModel modelOf(const Events& events)
{
  TimelineModel model;
  model.append(events);
  return model;
}

std::uint32_t idOf(const TimelineModel& model, const std::string& name)
{
  for (std::size_t i = 0; i < model.taskCount(); ++i) {
    if (model.taskAt(i).name == name)
      return model.taskAt(i).id;
  }
  return 0;
}

// ------------------------------------------------------------------ hand-written streams

DecodedEvent ev(EventKind kind, std::int64_t tNs, std::uint32_t task, std::uint32_t site = 0,
                std::uint64_t detail = 0, std::uint32_t arg = 0, std::uint8_t a8 = 0,
                std::string text = {})
{
  return DecodedEvent{TraceEvent{0, tNs, detail, task, site, arg, kind, a8, 0}, std::move(text)};
}

std::uint8_t u8(auto e)
{
  return static_cast<std::uint8_t>(e);
}

DecodedEvent created(std::uint32_t task, const std::string& name, std::int64_t tNs = 0,
                     std::uint32_t parent = 0)
{
  return ev(EventKind::TaskCreated, tNs, task, 0, parent, 0, 1, name);
}

// ------------------------------------------------------------------ descriptions

QString ms(std::int64_t ns)
{
  if (ns == kOpenEnd)
    return QStringLiteral("open");
  return QString::number(static_cast<double>(ns) / static_cast<double>(kMs));
}

// "suspended(sleep) 2-4": state, what is awaited, start-end in ms.
QString describe(const StateSpan& s)
{
  QString out = QString::fromLatin1(taskStateName(s.state));
  if (s.await != AwaitKind::None)
    out += QStringLiteral("(%1)").arg(
        QString::fromLatin1(loopscope::engine::await_kind_name(s.await).data()));
  return out + QStringLiteral(" %1-%2").arg(ms(s.start), ms(s.end));
}

QStringList describeSpans(const TimelineModel& model, std::uint32_t id)
{
  QStringList out;
  if (const TaskInfo* t = model.task(id)) {
    for (const StateSpan& s : t->spans)
      out << describe(s);
  }
  return out;
}

QString describe(const LoopSpan& s)
{
  static const char* const kinds[] = {"step", "callback", "idle"};
  QString out = QString::fromLatin1(kinds[static_cast<int>(s.kind)]);
  if (s.task != 0)
    out += QStringLiteral(" %1").arg(s.task);
  out += QStringLiteral(" %1-%2").arg(ms(s.start), ms(s.end));
  if (s.slow)
    out += QStringLiteral(" slow");
  return out;
}

QStringList describeLoop(const TimelineModel& model)
{
  QStringList out;
  for (const LoopSpan& s : model.loopSpans())
    out << describe(s);
  return out;
}

// Everything a view reads, as text: equal descriptions mean equal models.
QStringList describeAll(const TimelineModel& model)
{
  QStringList out;
  for (std::size_t i = 0; i < model.taskCount(); ++i) {
    const TaskInfo& t = model.taskAt(i);
    out << QStringLiteral("task %1 %2 parent %3 %4 steps %5 cancels %6/%7 ended %8")
               .arg(t.id)
               .arg(QString::fromStdString(t.name))
               .arg(t.parent)
               .arg(QString::fromLatin1(taskStateName(t.state)))
               .arg(t.steps)
               .arg(t.cancelRequests)
               .arg(t.cancelling)
               .arg(t.ended);
    out << describeSpans(model, t.id);
    for (const Marker& m : t.markers)
      out << QStringLiteral("  marker %1 at %2 detail %3").arg(int(m.kind)).arg(m.t).arg(m.detail);
  }
  out << describeLoop(model);
  for (const CancelLink& c : model.cancels())
    out << QStringLiteral("cancel %1 by %2 at %3 delivered %4 swallowed %5")
               .arg(c.target)
               .arg(c.requester)
               .arg(c.requested)
               .arg(c.delivered)
               .arg(c.swallowed);
  for (const TimeoutScope& s : model.timeouts())
    out << QStringLiteral("timeout %1/%2 %3 %4 %5 %6")
               .arg(s.task)
               .arg(s.scope)
               .arg(s.armed)
               .arg(s.deadline)
               .arg(s.fired)
               .arg(s.disarmed);
  return out;
}

}  // namespace

// ==================================================================== real runs

void tst_TimelineModel::spansAreContiguousAndOnlyLiveTasksHaveAnOpenSpan_data()
{
  QTest::addColumn<QString>("scenario");
  QTest::newRow("sleep, yield, done") << "small";
  QTest::newRow("cancelled sleeper") << "cancel";
  QTest::newRow("swallowed cancel") << "swallow";
  QTest::newRow("timeout") << "timeout";
  QTest::newRow("slow step and callback") << "slow";
  QTest::newRow("task tree") << "tree";
  QTest::newRow("all of them in one run") << "everything";
}

void tst_TimelineModel::spansAreContiguousAndOnlyLiveTasksHaveAnOpenSpan()
{
  QFETCH(QString, scenario);
  const Events events = record(scenario);
  const TimelineModel model = modelOf(events);
  QVERIFY(model.taskCount() > 0);
  QCOMPARE(model.startTime(), events.front().ev.t_ns);
  QCOMPARE(model.endTime(), events.back().ev.t_ns);

  for (std::size_t i = 0; i < model.taskCount(); ++i) {
    const TaskInfo& t = model.taskAt(i);
    const QByteArray name = QByteArray::fromStdString(t.name);
    QVERIFY2(!t.spans.empty(), name);
    QCOMPARE(t.spans.front().start, t.created);
    for (std::size_t k = 0; k < t.spans.size(); ++k) {
      QVERIFY2(t.spans[k].start <= t.spans[k].end, name);
      if (k + 1 < t.spans.size())
        QCOMPARE(t.spans[k].end, t.spans[k + 1].start);
    }
    // The run completed: every task ended, so no span is open and the last ends at the end.
    QVERIFY2(isTerminal(t.state), name);
    QCOMPARE(t.spans.back().end, t.ended);
    QVERIFY2(std::is_sorted(t.markers.begin(), t.markers.end(),
                            [](const Marker& a, const Marker& b) { return a.t < b.t; }),
             name);
  }
  const auto& loop = model.loopSpans();
  for (std::size_t k = 0; k + 1 < loop.size(); ++k) {
    QVERIFY(loop[k].start <= loop[k].end);
    QVERIFY(loop[k].end <= loop[k + 1].start);  // never overlapping
  }
}

void tst_TimelineModel::smallScenarioSpans_data()
{
  QTest::addColumn<QString>("task");
  QTest::addColumn<int>("index");
  QTest::addColumn<TaskState>("state");
  QTest::addColumn<double>("startMs");
  QTest::addColumn<double>("endMs");

  // main: created and run at once (a zero-length ready span: virtual time stands still between
  // the two); keeps the loop 2 ms; awaits sleeper until it ends at 1017.
  QTest::newRow("main created ready") << "main" << 0 << TaskState::Ready << 0.0 << 0.0;
  QTest::newRow("main runs first") << "main" << 1 << TaskState::Running << 0.0 << 2.0;
  QTest::newRow("main awaits sleeper") << "main" << 2 << TaskState::Suspended << 2.0 << 1017.0;
  QTest::newRow("main woken by sleeper's end")
      << "main" << 3 << TaskState::Ready << 1017.0 << 1017.0;
  QTest::newRow("main's last step") << "main" << 4 << TaskState::Running << 1017.0 << 1017.0;
  // sleeper: queued while main holds the loop, runs 10 ms, sleeps 1 s, yields, runs 5 ms.
  QTest::newRow("sleeper queued behind main") << "sleeper" << 0 << TaskState::Ready << 0.0 << 2.0;
  QTest::newRow("sleeper's first step") << "sleeper" << 1 << TaskState::Running << 2.0 << 12.0;
  QTest::newRow("sleeper sleeps 1 s") << "sleeper" << 2 << TaskState::Suspended << 12.0 << 1012.0;
  QTest::newRow("sleeper woken") << "sleeper" << 3 << TaskState::Ready << 1012.0 << 1012.0;
  QTest::newRow("sleeper runs up to the yield")
      << "sleeper" << 4 << TaskState::Running << 1012.0 << 1012.0;
  QTest::newRow("sleeper requeued by sleep(0)")
      << "sleeper" << 5 << TaskState::Ready << 1012.0 << 1012.0;
  QTest::newRow("sleeper's last step") << "sleeper" << 6 << TaskState::Running << 1012.0 << 1017.0;
}

void tst_TimelineModel::smallScenarioSpans()
{
  QFETCH(QString, task);
  QFETCH(int, index);
  QFETCH(TaskState, state);
  QFETCH(double, startMs);
  QFETCH(double, endMs);

  const TimelineModel model = modelOf(record(QStringLiteral("small")));
  const TaskInfo* t = model.task(idOf(model, task.toStdString()));
  QVERIFY(t != nullptr);
  QVERIFY2(static_cast<std::size_t>(index) < t->spans.size(),
           qPrintable(describeSpans(model, t->id).join(QStringLiteral(", "))));
  const StateSpan& span = t->spans[static_cast<std::size_t>(index)];
  QCOMPARE(span.state, state);
  QCOMPARE(span.start, static_cast<std::int64_t>(startMs * kMs));
  QCOMPARE(span.end, static_cast<std::int64_t>(endMs * kMs));
}

void tst_TimelineModel::smallScenarioSpanCounts()
{
  const TimelineModel model = modelOf(record(QStringLiteral("small")));
  QCOMPARE(model.taskCount(), std::size_t{2});
  const TaskInfo* main = model.task(idOf(model, "main"));
  const TaskInfo* sleeper = model.task(idOf(model, "sleeper"));
  QVERIFY(main && sleeper);
  QCOMPARE(main->spans.size(), std::size_t{5});
  QCOMPARE(sleeper->spans.size(), std::size_t{7});
  QCOMPARE(main->state, TaskState::Done);
  QCOMPARE(sleeper->state, TaskState::Done);
  QCOMPARE(sleeper->ended, 1017 * kMs);
  QCOMPARE(main->steps, 2u);
  QCOMPARE(sleeper->steps, 3u);
  QCOMPARE(sleeper->parent, main->id);
  QCOMPARE(sleeper->depth, 1u);
  QCOMPARE(main->children, std::vector<std::uint32_t>{sleeper->id});
  QVERIFY(model.site(sleeper->creationSite) != nullptr);
}

void tst_TimelineModel::stateAtTime_data()
{
  QTest::addColumn<QString>("task");
  QTest::addColumn<double>("atMs");
  QTest::addColumn<TaskState>("state");
  QTest::addColumn<bool>("hasSpan");

  QTest::newRow("before its creation: ready, no span")
      << "sleeper" << -1.0 << TaskState::Ready << false;
  QTest::newRow("queued") << "sleeper" << 1.0 << TaskState::Ready << true;
  QTest::newRow("a span's start belongs to it") << "sleeper" << 2.0 << TaskState::Running << true;
  QTest::newRow("a span's end belongs to the next")
      << "sleeper" << 12.0 << TaskState::Suspended << true;
  QTest::newRow("asleep") << "sleeper" << 500.0 << TaskState::Suspended << true;
  QTest::newRow("zero-length spans cover nothing")
      << "sleeper" << 1012.0 << TaskState::Running << true;
  QTest::newRow("last step") << "sleeper" << 1016.999 << TaskState::Running << true;
  QTest::newRow("at its end: done, no span") << "sleeper" << 1017.0 << TaskState::Done << false;
  QTest::newRow("long after its end") << "sleeper" << 5000.0 << TaskState::Done << false;
  QTest::newRow("main awaiting") << "main" << 3.0 << TaskState::Suspended << true;
  QTest::newRow("main done") << "main" << 1017.0 << TaskState::Done << false;
}

void tst_TimelineModel::stateAtTime()
{
  QFETCH(QString, task);
  QFETCH(double, atMs);
  QFETCH(TaskState, state);
  QFETCH(bool, hasSpan);

  const TimelineModel model = modelOf(record(QStringLiteral("small")));
  const std::uint32_t id = idOf(model, task.toStdString());
  QVERIFY(id != 0);
  const auto t = static_cast<std::int64_t>(atMs * kMs);
  QCOMPARE(model.stateAt(id, t), state);
  const std::optional<StateSpan> span = model.spanAt(id, t);
  QCOMPARE(span.has_value(), hasSpan);
  if (span) {
    QCOMPARE(span->state, state);
    QVERIFY(span->start <= t && t < span->end);
  }
}

void tst_TimelineModel::timesSplitBusyReadyIdle_data()
{
  QTest::addColumn<QString>("task");
  QTest::addColumn<double>("nowMs");
  QTest::addColumn<double>("busyMs");
  QTest::addColumn<double>("readyMs");
  QTest::addColumn<double>("idleMs");

  QTest::newRow("at creation") << "sleeper" << 0.0 << 0.0 << 0.0 << 0.0;
  QTest::newRow("queued behind main") << "sleeper" << 1.0 << 0.0 << 1.0 << 0.0;
  QTest::newRow("mid first step") << "sleeper" << 7.0 << 5.0 << 2.0 << 0.0;
  QTest::newRow("asleep") << "sleeper" << 500.0 << 10.0 << 2.0 << 488.0;
  QTest::newRow("at its end") << "sleeper" << 1017.0 << 15.0 << 2.0 << 1000.0;
  QTest::newRow("after its end nothing grows") << "sleeper" << 9000.0 << 15.0 << 2.0 << 1000.0;
  QTest::newRow("main: 2 ms busy, then awaiting") << "main" << 1017.0 << 2.0 << 0.0 << 1015.0;
  // The cancelled victim (see cancelledSleeperIsCancellingUntilItRuns): after the request it
  // waits 5 ms to run, which is ready time, not idle time.
  QTest::newRow("cancelled task waiting to run counts as ready")
      << "victim" << 20.0 << 0.0 << 5.0 << 15.0;
}

void tst_TimelineModel::timesSplitBusyReadyIdle()
{
  QFETCH(QString, task);
  QFETCH(double, nowMs);
  QFETCH(double, busyMs);
  QFETCH(double, readyMs);
  QFETCH(double, idleMs);

  const TimelineModel model = modelOf(
      record(task == QLatin1String("victim") ? QStringLiteral("cancel") : QStringLiteral("small")));
  const std::uint32_t id = idOf(model, task.toStdString());
  QVERIFY(id != 0);
  const TaskTimes times = model.times(id, static_cast<std::int64_t>(nowMs * kMs));
  QCOMPARE(times.busy, static_cast<std::int64_t>(busyMs * kMs));
  QCOMPARE(times.ready, static_cast<std::int64_t>(readyMs * kMs));
  QCOMPARE(times.idle, static_cast<std::int64_t>(idleMs * kMs));
}

void tst_TimelineModel::awaitMarkersRecordWhatWasAwaited()
{
  const TimelineModel model = modelOf(record(QStringLiteral("small")));
  const TaskInfo* main = model.task(idOf(model, "main"));
  const TaskInfo* sleeper = model.task(idOf(model, "sleeper"));
  QVERIFY(main && sleeper);

  // Await points are not stored as markers: the spans have them.
  QVERIFY(main->markers.empty());
  const std::vector<Marker> mainAwaits = allAwaits(model, main->id);
  QCOMPARE(mainAwaits.size(), std::size_t{1});
  QCOMPARE(mainAwaits[0].kind, MarkerKind::Await);
  QCOMPARE(mainAwaits[0].a8, u8(AwaitKind::Task));
  QCOMPARE(mainAwaits[0].detail, std::uint64_t{sleeper->id});
  QCOMPARE(mainAwaits[0].t, 2 * kMs);

  const std::vector<Marker> sleeperAwaits = allAwaits(model, sleeper->id);
  QCOMPARE(sleeperAwaits.size(), std::size_t{2});
  QCOMPARE(sleeperAwaits[0].a8, u8(AwaitKind::Sleep));
  QCOMPARE(sleeperAwaits[0].t, 12 * kMs);
  QCOMPARE(sleeperAwaits[0].detail, std::uint64_t{1012 * kMs});  // the deadline
  QCOMPARE(sleeperAwaits[1].a8, u8(AwaitKind::Yield));
  QCOMPARE(sleeperAwaits[1].t, 1012 * kMs);
  // Both awaits have a site in sleeper().
  for (const Marker& m : sleeperAwaits) {
    const auto* site = model.site(m.site);
    QVERIFY(site != nullptr);
    QVERIFY2(site->function.find("sleeper") != std::string::npos, site->function.c_str());
    QVERIFY(site->line > 0);
  }
  QVERIFY(sleeperAwaits[0].site != sleeperAwaits[1].site);
}

void tst_TimelineModel::cancelLinkConnectsRequestToDelivery_data()
{
  QTest::addColumn<bool>("swallow");
  QTest::addColumn<TaskState>("endState");
  QTest::newRow("re-raised: the victim ends cancelled") << false << TaskState::Cancelled;
  QTest::newRow("swallowed: the victim returns") << true << TaskState::Done;
}

void tst_TimelineModel::cancelLinkConnectsRequestToDelivery()
{
  QFETCH(bool, swallow);
  QFETCH(TaskState, endState);

  const TimelineModel model =
      modelOf(record(swallow ? QStringLiteral("swallow") : QStringLiteral("cancel")));
  const std::uint32_t main = idOf(model, "main");
  const std::uint32_t victim = idOf(model, "victim");
  QVERIFY(main != 0 && victim != 0);

  QCOMPARE(model.cancels().size(), std::size_t{1});
  const CancelLink& link = model.cancels()[0];
  QCOMPARE(link.target, victim);
  QCOMPARE(link.requester, main);
  QCOMPARE(link.source, CancelSource::User);
  QCOMPARE(model.text(link.message), std::string("stop"));
  QCOMPARE(link.requested, 15 * kMs);
  QCOMPARE(link.delivered, 20 * kMs);  // when victim ran again
  QCOMPARE(link.swallowed, swallow);
  const auto* site = model.site(link.deliverySite);
  QVERIFY(site != nullptr);
  QVERIFY2(site->function.find("victim") != std::string::npos, site->function.c_str());

  const TaskInfo* t = model.task(victim);
  QCOMPARE(t->state, endState);
  QCOMPARE(t->swallowedCancel, swallow);
  QCOMPARE(t->cancelRequests, 1u);
  QCOMPARE(model.outcomeText(*t), swallow ? std::string() : std::string("stop"));
  // The engine reports a swallowed CancelledError as a diagnostic too.
  QCOMPARE(model.diagnostics().size(), std::size_t{swallow ? 1u : 0u});

  QStringList kinds;
  for (const Marker& m : t->markers)
    kinds << QString::number(static_cast<int>(m.kind));
  // The await the cancellation reached is in the spans (one await point), not the markers.
  QCOMPARE(allAwaits(model, victim).size(), std::size_t{1});
  QStringList expected{QString::number(int(MarkerKind::CancelRequested)),
                       QString::number(int(MarkerKind::CancelDelivered))};
  if (swallow)
    expected << QString::number(int(MarkerKind::CancelSwallowed))
             << QString::number(int(MarkerKind::Diagnostic));
  QCOMPARE(kinds, expected);
}

void tst_TimelineModel::cancelledSleeperIsCancellingUntilItRuns()
{
  const TimelineModel model = modelOf(record(QStringLiteral("cancel")));
  const std::uint32_t victim = idOf(model, "victim");
  // Asleep until the request at 15 ms; the cancel wakes it at once but main holds the loop until
  // 20 ms; then one step receives the CancelledError and ends the task.
  QCOMPARE(describeSpans(model, victim), (QStringList{
                                             "ready 0-0",
                                             "running 0-0",
                                             "suspended(sleep) 0-15",
                                             "cancelling(sleep) 15-15",
                                             "cancelling 15-20",
                                             "running 20-20",
                                         }));
  QCOMPARE(model.stateAt(victim, 17 * kMs), TaskState::Cancelling);
  QCOMPARE(model.stateAt(victim, 20 * kMs), TaskState::Cancelled);
}

void tst_TimelineModel::timeoutScopeIsArmedFiredAndDisarmed()
{
  const TimelineModel model = modelOf(record(QStringLiteral("timeout")));
  const std::uint32_t main = idOf(model, "main");
  QCOMPARE(model.timeouts().size(), std::size_t{1});
  const TimeoutScope& scope = model.timeouts()[0];
  QCOMPARE(scope.task, main);
  QCOMPARE(scope.armed, std::int64_t{0});
  QCOMPARE(scope.deadline, 5 * kMs);
  QCOMPARE(scope.fired, 5 * kMs);
  QCOMPARE(scope.disarmed, 5 * kMs);
  QCOMPARE(scope.outcome, TimeoutOutcome::Converted);

  const TaskInfo* t = model.task(main);
  const auto fired = std::find_if(t->markers.begin(), t->markers.end(), [](const Marker& m) {
    return m.kind == MarkerKind::TimeoutFired;
  });
  QVERIFY(fired != t->markers.end());
  QCOMPARE(fired->t, 5 * kMs);
  QCOMPARE(fired->arg, scope.scope);
  QCOMPARE(fired->detail, std::uint64_t{5 * kMs});

  // The timeout's own cancel: from no task, delivered at once, withdrawn by uncancel.
  QCOMPARE(model.cancels().size(), std::size_t{1});
  QCOMPARE(model.cancels()[0].source, CancelSource::Timeout);
  QCOMPARE(model.cancels()[0].requester, 0u);
  QCOMPARE(model.cancels()[0].delivered, 5 * kMs);
  QCOMPARE(t->cancelling, 0u);
  QCOMPARE(t->state, TaskState::Done);
}

void tst_TimelineModel::sleeperWokenLateByABlockedLoopIsReadyFromItsDeadline()
{
  const TimelineModel model = modelOf(record(QStringLiteral("blocked")));
  // Its timer was due at 50 ms, but main held the thread from 10 ms to 310 ms: ready (due,
  // unable to run) from 50 ms, not suspended until the loop got round to it.
  QCOMPARE(describeSpans(model, idOf(model, "sleeper")), (QStringList{
                                                             "ready 0-0",
                                                             "running 0-0",
                                                             "suspended(sleep) 0-50",
                                                             "ready 50-310",
                                                             "running 310-310",
                                                         }));
}

void tst_TimelineModel::slowStepMarksItsLoopSpan()
{
  const TimelineModel model = modelOf(record(QStringLiteral("slow")));
  const std::uint32_t main = idOf(model, "main");
  QCOMPARE(main, 1u);
  // The 150 ms callback, main's 200 ms step, 10 ms idle, its 1 ms step, run_until_complete's
  // stop callback.
  QCOMPARE(describeLoop(model), (QStringList{
                                    "callback 0-150 slow",
                                    "step 1 150-350 slow",
                                    "idle 350-360",
                                    "step 1 360-361",
                                    "callback 361-361",
                                }));
  const TaskInfo* t = model.task(main);
  const auto slow = std::find_if(t->markers.begin(), t->markers.end(),
                                 [](const Marker& m) { return m.kind == MarkerKind::SlowStep; });
  QVERIFY(slow != t->markers.end());
  QCOMPARE(slow->t, 150 * kMs);  // the step's start, not when it was reported
  QCOMPARE(slow->detail, std::uint64_t{200 * kMs});
  QCOMPARE(static_cast<int>(
               std::count_if(t->markers.begin(), t->markers.end(),
                             [](const Marker& m) { return m.kind == MarkerKind::SlowStep; })),
           1);
}

void tst_TimelineModel::rowsAreInTreeOrder()
{
  const TimelineModel model = modelOf(record(QStringLiteral("tree")));
  QStringList creation;
  for (std::size_t i = 0; i < model.taskCount(); ++i)
    creation << QString::fromStdString(model.taskAt(i).name);
  QCOMPARE(creation, (QStringList{"main", "a", "b", "a1", "a2", "b1"}));

  QStringList rows;
  for (const std::uint32_t id : model.rows())
    rows << QString::fromStdString(model.taskName(id));
  QCOMPARE(rows, (QStringList{"main", "a", "a1", "a2", "b", "b1"}));
  QCOMPARE(model.rowOf(idOf(model, "b")), 4);
  QCOMPARE(model.rowOf(12345), -1);
  QCOMPARE(model.task(idOf(model, "a2"))->depth, 2u);
  QCOMPARE(model.descendantCount(idOf(model, "main")), std::size_t{5});
  QCOMPARE(model.descendantCount(idOf(model, "a")), std::size_t{2});
  QCOMPARE(model.descendantCount(idOf(model, "b1")), std::size_t{0});
}

void tst_TimelineModel::rowsFollowTasksAsTheyArrive_data()
{
  // Steps, each its own append() (or call): "c<p" creates task c under p (0: a root), "?c" is an
  // event of an unknown task c (made up as a root), "-c" / "+c" collapse / expand c.
  QTest::addColumn<QStringList>("steps");
  QTest::addColumn<QStringList>("rows");  // at the end
  QTest::newRow("children one after another")
      << QStringList{"1<0", "2<1", "3<1", "4<1"} << QStringList{"t1", "t2", "t3", "t4"};
  QTest::newRow("grandchildren at the end") << QStringList{"1<0", "2<1", "3<2", "4<3", "5<1", "6<5"}
                                            << QStringList{"t1", "t2", "t3", "t4", "t5", "t6"};
  QTest::newRow("a child of an earlier sibling goes between")
      << QStringList{"1<0", "2<1", "3<1", "4<2", "5<3", "6<2"}
      << QStringList{"t1", "t2", "t4", "t6", "t3", "t5"};
  QTest::newRow("roots come in creation order") << QStringList{"1<0", "2<1", "3<0", "4<1", "5<3"}
                                                << QStringList{"t1", "t2", "t4", "t3", "t5"};
  QTest::newRow("under a collapsed parent: hidden")
      << QStringList{"1<0", "2<1", "-2", "3<2", "4<3", "5<1", "+2", "6<2"}
      << QStringList{"t1", "t2", "t3", "t4", "t6", "t5"};
  QTest::newRow("under a collapsed grandparent: hidden")
      << QStringList{"1<0", "2<1", "3<2", "-1", "4<3", "5<1"} << QStringList{"t1"};
  QTest::newRow("made-up tasks and their children")
      << QStringList{"1<0", "?7", "2<1", "8<7", "3<1"}
      << QStringList{"t1", "t2", "t3", "Task-7", "t8"};
  QTest::newRow("a made-up parent")
      << QStringList{"1<0", "3<2", "4<1", "5<2"} << QStringList{"t1", "t4", "Task-2", "t3", "t5"};
}

void tst_TimelineModel::rowsFollowTasksAsTheyArrive()
{
  // The rows after each step, asked for after every step (so each new task is added to the
  // rows made before it), are the rows of a model that gets everything at once and walks the
  // whole tree; rowOf() agrees with them.
  QFETCH(QStringList, steps);
  QFETCH(QStringList, rows);
  auto names = [](const TimelineModel& m) {
    QStringList out;
    for (const std::uint32_t id : m.rows())
      out << QString::fromStdString(m.taskName(id));
    return out;
  };
  TimelineModel live;
  Events all;
  std::vector<std::uint32_t> collapsed;
  std::int64_t t = 0;
  for (const QString& step : steps) {
    t += kMs;
    const std::uint32_t id = step.mid(1).section('<', 0, 0).toUInt();
    if (step.startsWith('-') || step.startsWith('+')) {
      live.setCollapsed(id, step.startsWith('-'));
      std::erase(collapsed, id);
      if (step.startsWith('-'))
        collapsed.push_back(id);
    } else if (step.startsWith('?')) {
      all.push_back(ev(EventKind::Print, t, id, 0, 0, 0, 0, "hello"));
      live.append(Events{all.back()});
    } else {
      const std::uint32_t child = step.section('<', 0, 0).toUInt();
      const std::uint32_t parent = step.section('<', 1, 1).toUInt();
      all.push_back(created(child, "t" + std::to_string(child), t, parent));
      live.append(Events{all.back()});
    }
    TimelineModel whole;
    whole.append(all);
    for (const std::uint32_t c : collapsed)
      whole.setCollapsed(c, true);
    QCOMPARE(names(live), names(whole));
    for (std::size_t i = 0; i < whole.taskCount(); ++i) {
      const std::uint32_t task = whole.taskAt(i).id;
      QCOMPARE(live.rowOf(task), whole.rowOf(task));
    }
  }
  QCOMPARE(names(live), rows);
}

void tst_TimelineModel::collapsingHidesDescendants()
{
  TimelineModel model = modelOf(record(QStringLiteral("tree")));
  const std::uint32_t a = idOf(model, "a");
  auto names = [&model] {
    QStringList out;
    for (const std::uint32_t id : model.rows())
      out << QString::fromStdString(model.taskName(id));
    return out;
  };

  const std::uint64_t before = model.revision();
  model.setCollapsed(a, true);
  QVERIFY(model.isCollapsed(a));
  QVERIFY(model.revision() > before);
  QCOMPARE(names(), (QStringList{"main", "a", "b", "b1"}));
  QCOMPARE(model.rowOf(idOf(model, "a1")), -1);
  QCOMPARE(model.rowOf(idOf(model, "b")), 2);

  model.setCollapsed(idOf(model, "main"), true);
  QCOMPARE(names(), (QStringList{"main"}));

  model.setCollapsed(idOf(model, "main"), false);
  model.setCollapsed(a, false);
  QVERIFY(!model.isCollapsed(a));
  QCOMPARE(names(), (QStringList{"main", "a", "a1", "a2", "b", "b1"}));
}

void tst_TimelineModel::awaitChainFollowsAwaitedTasks()
{
  const Events events = record(QStringLiteral("chain"));
  // Everything before 5 ms: main awaits mid, mid awaits leaf, leaf sleeps.
  const auto split = std::find_if(events.begin(), events.end(),
                                  [](const DecodedEvent& e) { return e.ev.t_ns >= 5 * kMs; });
  QVERIFY(split != events.end());
  TimelineModel model;
  model.append(std::span(events.data(), static_cast<std::size_t>(split - events.begin())));

  const std::uint32_t main = idOf(model, "main");
  const std::uint32_t mid = idOf(model, "mid");
  const std::uint32_t leaf = idOf(model, "leaf");
  QCOMPARE(model.awaitChain(main), (std::vector<std::uint32_t>{main, mid, leaf}));
  QCOMPARE(model.awaitChain(mid), (std::vector<std::uint32_t>{mid, leaf}));
  QCOMPARE(model.awaitChain(leaf), std::vector<std::uint32_t>{leaf});
  QCOMPARE(model.awaitedBy(leaf), std::vector<std::uint32_t>{mid});
  QCOMPARE(model.awaitedBy(mid), std::vector<std::uint32_t>{main});
  QCOMPARE(model.awaitedBy(main), std::vector<std::uint32_t>{});
  QCOMPARE(model.task(main)->awaitKind, AwaitKind::Task);
  QCOMPARE(model.task(leaf)->awaitKind, AwaitKind::Sleep);
  QCOMPARE(model.task(leaf)->awaiting, std::uint64_t{10 * kMs});
  QVERIFY(model.task(leaf)->spans.back().end == kOpenEnd);
  QCOMPARE(model.awaitChain(999), std::vector<std::uint32_t>{});

  // The rest of the run: every task is done and awaits nothing.
  model.append(std::span(&*split, static_cast<std::size_t>(events.end() - split)));
  QCOMPARE(model.awaitChain(main), std::vector<std::uint32_t>{main});
  QCOMPARE(model.awaitedBy(leaf), std::vector<std::uint32_t>{});
  QCOMPARE(model.task(leaf)->awaitKind, AwaitKind::None);
}

void tst_TimelineModel::batchesMayEndAnywhere()
{
  VirtualLoop v;
  v.loop.run_until_complete(everything(), "main");
  v.loop.flush_trace();
  const std::vector<TraceEvent>& raw = v.sink.events();
  const TimelineModel whole = modelOf(TraceDecoder::decode(raw));

  // The GUI's path: raw events in small batches (cutting text groups), decoded, appended.
  TimelineModel pieces;
  TraceDecoder decoder;
  int appends = 0;
  for (std::size_t i = 0; i < raw.size(); i += 3) {
    decoder.feed(std::span(raw).subspan(i, std::min<std::size_t>(3, raw.size() - i)));
    const Events batch = decoder.take();
    const std::uint64_t before = pieces.revision();
    pieces.append(batch);
    if (!batch.empty()) {
      QVERIFY(pieces.revision() > before);
      ++appends;
    }
  }
  QVERIFY(appends > 20);
  QCOMPARE(pieces.events().size(), whole.events().size());
  QCOMPARE(describeAll(pieces), describeAll(whole));
}

void tst_TimelineModel::clearForgetsEverything()
{
  TimelineModel model = modelOf(record(QStringLiteral("everything")));
  QVERIFY(model.taskCount() > 5);
  QVERIFY(!model.cancels().empty());
  model.setCollapsed(1, true);
  const std::uint64_t revision = model.revision();
  const std::uint64_t generation = model.generation();

  model.clear();
  QVERIFY(model.revision() > revision);
  QCOMPARE(model.generation(), generation + 1);
  QCOMPARE(model.taskCount(), std::size_t{0});
  QVERIFY(model.events().empty());
  QVERIFY(model.rows().empty());
  QVERIFY(model.loopSpans().empty());
  QVERIFY(model.cancels().empty());
  QVERIFY(model.timeouts().empty());
  QVERIFY(model.diagnostics().empty());
  QCOMPARE(model.task(1), nullptr);
  QCOMPARE(model.site(1), nullptr);
  QCOMPARE(model.startTime(), std::int64_t{0});
  QCOMPARE(model.endTime(), std::int64_t{0});
  QCOMPARE(model.text(0), std::string());
  QVERIFY(!model.isCollapsed(1));

  // A new run numbers its tasks from 1 again.
  model.append(record(QStringLiteral("small")));
  QCOMPARE(model.taskCount(), std::size_t{2});
  QCOMPARE(model.taskName(1), std::string("main"));
  QCOMPARE(model.rows(), (std::vector<std::uint32_t>{1, 2}));
}

// ==================================================================== retention

namespace {

constexpr std::size_t kBatch = 4096;  // as the GUI feeds the models

void appendInBatches(TimelineModel& model, const Events& events)
{
  for (std::size_t i = 0; i < events.size(); i += kBatch)
    model.append(std::span(events).subspan(i, std::min(kBatch, events.size() - i)));
}

const Events& churnEvents()
{
  static const Events events = recordChurn(30'000);  // about 30 s of loop time
  return events;
}

QString describe(const CancelLink& c, const TimelineModel& m)
{
  return QStringLiteral("%1<-%2 at %3 delivered %4%5 '%6'")
      .arg(c.target)
      .arg(c.requester)
      .arg(c.requested)
      .arg(c.delivered)
      .arg(c.swallowed ? QStringLiteral(" swallowed") : QString())
      .arg(QString::fromStdString(m.text(c.message)));
}

QString describe(const TimeoutScope& s)
{
  return QStringLiteral("%1/%2 armed %3 deadline %4 fired %5 disarmed %6")
      .arg(s.task)
      .arg(s.scope)
      .arg(s.armed)
      .arg(s.deadline)
      .arg(s.fired)
      .arg(s.disarmed);
}

QStringList describeMarkers(const TimelineModel& m, std::uint32_t id, std::int64_t t0)
{
  QStringList out;
  const TaskInfo* t = m.task(id);
  const auto [first, last] = m.markersIn(id, t0, std::numeric_limits<std::int64_t>::max());
  for (std::size_t i = first; i < last; ++i) {
    const Marker& k = t->markers[i];
    out << QStringLiteral("%1 %2 %3 %4 '%5'")
               .arg(static_cast<int>(k.kind))
               .arg(k.t)
               .arg(k.detail)
               .arg(k.arg)
               .arg(QString::fromStdString(m.text(k.text)));
  }
  return out;
}

QStringList spansFrom(const TimelineModel& m, std::uint32_t id, std::int64_t t0)
{
  QStringList out;
  const auto [first, last] = m.spansIn(id, t0, std::numeric_limits<std::int64_t>::max());
  for (std::size_t i = first; i < last; ++i)
    out << describe(m.task(id)->spans[i]);
  return out;
}

}  // namespace

// The model with retention, fed a long real run in GUI-sized batches, against the same run kept
// whole: from retainedFrom() on, every task, span, marker, loop span, cancellation, timeout and
// event is the same; before it, what ended is gone and summed up in dropped().
void tst_TimelineModel::retentionKeepsTheRecentPastExactly_data()
{
  QTest::addColumn<qint64>("keepMs");
  QTest::addColumn<qulonglong>("keepEvents");
  QTest::newRow("the last 5 s") << qint64{5000} << qulonglong{0};
  QTest::newRow("the last 60,000 events") << qint64{0} << qulonglong{60'000};
  QTest::newRow("both: the tighter wins") << qint64{5000} << qulonglong{40'000};
}

void tst_TimelineModel::retentionKeepsTheRecentPastExactly()
{
  QFETCH(qint64, keepMs);
  QFETCH(qulonglong, keepEvents);
  const Events& events = churnEvents();
  TimelineModel full;
  TimelineModel kept;
  kept.setRetention({keepMs * kMs, keepEvents});
  appendInBatches(full, events);
  appendInBatches(kept, events);

  QVERIFY(kept.trims() > 1);
  const std::size_t firstEvent = kept.firstEvent();
  const std::int64_t from = kept.retainedFrom();
  const std::int64_t end = kept.endTime();
  QVERIFY(firstEvent > 0);
  QCOMPARE(kept.dropped().events, std::uint64_t{firstEvent});
  QCOMPARE(kept.events().size(), events.size());
  QCOMPARE(kept.events().front().ev.t_ns, from);
  QCOMPARE(kept.startTime(), full.startTime());
  QCOMPARE(end, full.endTime());
  // The limits hold, to an eighth (a cut waits for that much excess) and a batch.
  const std::size_t stored = kept.events().storedCount();
  if (keepEvents > 0) {
    QVERIFY2(stored <= keepEvents + keepEvents / 8 + kBatch, qPrintable(QString::number(stored)));
    if (keepMs == 0)
      QVERIFY2(stored >= keepEvents, qPrintable(QString::number(stored)));
  }
  if (keepMs > 0 && keepEvents == 0) {
    QVERIFY2(end - from <= keepMs * kMs + keepMs * kMs / 8 + 100 * kMs, qPrintable(ms(end - from)));
    QVERIFY2(end - from >= keepMs * kMs - kMs, qPrintable(ms(end - from)));
  }
  for (std::size_t i = firstEvent; i < events.size(); i += 97) {
    const DecodedEvent e = kept.events()[i];
    QCOMPARE(e.ev.seq, events[i].ev.seq);
    QCOMPARE(e.text, events[i].text);
  }

  // Tasks: the ones that ended before the cut are gone, every other is kept, same in all it shows
  // from the cut on; the totals of the dropped ones add up.
  QCOMPARE(kept.taskCount() + kept.dropped().tasks, full.taskCount());
  qInfo("kept %zu of %zu tasks, %zu of %zu events, %s ms of %s ms", kept.taskCount(),
        full.taskCount(), stored, events.size(), qPrintable(ms(end - from)),
        qPrintable(ms(end - full.startTime())));
  QVERIFY(kept.taskCount() < full.taskCount() / 4);
  TaskTimes keptSum = kept.dropped().times;
  TaskTimes fullSum;
  std::uint64_t done = 0, failed = 0, cancelled = 0;
  for (std::size_t i = 0; i < full.taskCount(); ++i) {
    const TaskInfo& f = full.taskAt(i);
    const TaskTimes ft = full.times(f.id, end);
    fullSum.busy += ft.busy;
    fullSum.ready += ft.ready;
    fullSum.idle += ft.idle;
    const TaskInfo* k = kept.task(f.id);
    if (f.ended != kNever && f.ended < from) {
      QVERIFY2(k == nullptr, f.name.c_str());
      done += f.state == TaskState::Done ? 1 : 0;
      failed += f.state == TaskState::Failed ? 1 : 0;
      cancelled += f.state == TaskState::Cancelled ? 1 : 0;
      continue;
    }
    QVERIFY2(k != nullptr, f.name.c_str());
    QCOMPARE(k->name, f.name);
    QCOMPARE(k->parent, f.parent);
    QCOMPARE(k->state, f.state);
    QCOMPARE(k->created, f.created);
    QCOMPARE(k->ended, f.ended);
    QCOMPARE(k->steps, f.steps);
    QCOMPARE(k->cancelRequests, f.cancelRequests);
    QCOMPARE(kept.outcomeText(*k), full.outcomeText(f));
    QCOMPARE(spansFrom(kept, f.id, from), spansFrom(full, f.id, from));
    QCOMPARE(describeMarkers(kept, f.id, from), describeMarkers(full, f.id, from));
    const auto keptAwaits = kept.awaitsIn(f.id, from + 1, end);
    const auto fullAwaits = full.awaitsIn(f.id, from + 1, end);
    QCOMPARE(keptAwaits.size(), fullAwaits.size());
    const TaskTimes kt = kept.times(f.id, end);
    QCOMPARE(kt.busy, ft.busy);
    QCOMPARE(kt.ready, ft.ready);
    QCOMPARE(kt.idle, ft.idle);
    keptSum.busy += kt.busy;
    keptSum.ready += kt.ready;
    keptSum.idle += kt.idle;
  }
  QCOMPARE(kept.dropped().done, done);
  QCOMPARE(kept.dropped().failed, failed);
  QCOMPARE(kept.dropped().cancelled, cancelled);
  QVERIFY(done > 0 && failed > 0 && cancelled > 0);
  QCOMPARE(keptSum.busy, fullSum.busy);
  QCOMPARE(keptSum.ready, fullSum.ready);
  QCOMPARE(keptSum.idle, fullSum.idle);
  // Every task kept has a row (a task whose parent went would be a root).
  QCOMPARE(kept.rows().size(), kept.taskCount());
  QCOMPARE(kept.rows().front(), std::uint32_t{1});  // main: alive from start to end
  QVERIFY(kept.task(idOf(kept, "ticker")) != nullptr);

  // The loop row, cancellations and timeouts from the cut on.
  const auto keptLoop = kept.loopSpansIn(from, end);
  const auto fullLoop = full.loopSpansIn(from, end);
  QCOMPARE(keptLoop.second - keptLoop.first, fullLoop.second - fullLoop.first);
  for (std::size_t i = 0; i < keptLoop.second - keptLoop.first; i += 7)
    QCOMPARE(describe(kept.loopSpans()[keptLoop.first + i]),
             describe(full.loopSpans()[fullLoop.first + i]));
  QVERIFY(kept.loopSpans().size() < full.loopSpans().size() / 3);
  QStringList keptCancels, fullCancels;
  for (const CancelLink& c : kept.cancels())
    keptCancels << describe(c, kept);
  for (const CancelLink& c : full.cancels()) {
    if (kept.task(c.target) != nullptr && (c.delivered == kNever || c.delivered >= from))
      fullCancels << describe(c, full);
  }
  QCOMPARE(keptCancels, fullCancels);
  QVERIFY(!keptCancels.isEmpty());
  QVERIFY(kept.cancels().size() < full.cancels().size());
  QStringList keptTimeouts, fullTimeouts;
  for (const TimeoutScope& t : kept.timeouts())
    keptTimeouts << describe(t);
  for (const TimeoutScope& t : full.timeouts()) {
    if (t.disarmed == kNever || t.disarmed >= from)
      fullTimeouts << describe(t);
  }
  QCOMPARE(keptTimeouts, fullTimeouts);
  QVERIFY(!keptTimeouts.isEmpty());
}

// The same run twice as long keeps the same amount: memory follows the retention, not the run.
void tst_TimelineModel::retentionKeepsMemoryBounded()
{
  const Retention retention{3000 * kMs, 0};
  std::size_t bytes[2] = {};
  std::size_t fullBytes[2] = {};
  std::size_t tasks[2] = {};
  for (int k = 0; k < 2; ++k) {
    const Events events = recordChurn(k == 0 ? 15'000 : 45'000);
    TimelineModel kept;
    kept.setRetention(retention);
    appendInBatches(kept, events);
    bytes[k] = kept.memoryBytes();
    tasks[k] = kept.taskCount();
    TimelineModel full;
    appendInBatches(full, events);
    fullBytes[k] = full.memoryBytes();
  }
  const QString figures = QStringLiteral("kept %1 -> %2 bytes, %3 -> %4 tasks; whole %5 -> %6")
                              .arg(bytes[0])
                              .arg(bytes[1])
                              .arg(tasks[0])
                              .arg(tasks[1])
                              .arg(fullBytes[0])
                              .arg(fullBytes[1]);
  qInfo("%s", qPrintable(figures));
  QVERIFY2(fullBytes[1] > 2 * fullBytes[0], qPrintable(figures));  // the run did grow
  QVERIFY2(bytes[1] < bytes[0] + bytes[0] / 3, qPrintable(figures));
  QVERIFY2(tasks[1] < tasks[0] + tasks[0] / 3 + 16, qPrintable(figures));
}

// Retention set on a finished run cuts at once; a task whose parent was dropped becomes a root
// row; signals before the cut go, shutdown phases stay; clear() keeps the setting.
void tst_TimelineModel::retentionOnAFinishedRunAndAcrossClear()
{
  constexpr std::uint32_t kParent = 900'000;
  constexpr std::uint32_t kOrphan = 900'001;
  Events events = {
      created(kParent, "parent"),
      created(kOrphan, "orphan", 0, kParent),
      ev(EventKind::SignalReceived, 0, 0, 0, 0, SIGINT),
      ev(EventKind::ShutdownPhase, 0, 0, 0, 0, 3, u8(ShutdownPhaseKind::Cancelling), "cancelling"),
      ev(EventKind::TaskDone, kMs, kParent, 0, 0, 0, u8(TaskOutcome::Result)),
  };
  const Events& churn = churnEvents();
  events.insert(events.end(), churn.begin(), churn.end());

  TimelineModel model;
  appendInBatches(model, events);
  QCOMPARE(model.trims(), std::uint64_t{0});
  QCOMPARE(model.globalMarkers().size(), std::size_t{2});
  QCOMPARE(model.rowOf(kOrphan), model.rowOf(kParent) + 1);
  const std::size_t bytes = model.memoryBytes();

  model.setRetention({0, 50'000});
  QCOMPARE(model.trims(), std::uint64_t{1});
  QVERIFY(model.events().storedCount() >= 50'000);
  QVERIFY(model.events().storedCount() < 50'000 + EventStore::kBlockEvents);
  QVERIFY(model.memoryBytes() < bytes / 2);
  QCOMPARE(model.task(kParent), nullptr);
  QVERIFY(model.task(kOrphan) != nullptr);
  QVERIFY(model.rowOf(kOrphan) >= 0);  // a root now
  QCOMPARE(model.task(kOrphan)->parent, kParent);
  QCOMPARE(model.taskName(kOrphan), std::string("orphan"));
  QCOMPARE(model.globalMarkers().size(), std::size_t{1});
  QVERIFY(model.lastShutdownPhase() != nullptr);
  QCOMPARE(model.text(model.lastShutdownPhase()->text), std::string("cancelling"));
  // The removed creation indexes, for the views: the parent was the first task.
  QVERIFY(!model.removedInLastTrim().empty());
  QCOMPARE(model.removedInLastTrim().front(), std::uint32_t{0});
  QVERIFY(std::is_sorted(model.removedInLastTrim().begin(), model.removedInLastTrim().end()));

  const Retention retention = model.retention();
  model.clear();
  QCOMPARE(model.retention(), retention);
  QCOMPARE(model.trims(), std::uint64_t{0});
  QCOMPARE(model.firstEvent(), std::size_t{0});
  appendInBatches(model, churn);
  QVERIFY(model.trims() > 0);
  QCOMPARE(model.events().size(), churn.size());
}

// ==================================================================== hand-written streams

void tst_TimelineModel::cancellingSpanAndUncancelBack()
{
  const auto sleep = u8(AwaitKind::Sleep);
  const auto user = u8(CancelSource::User);
  TimelineModel model;
  model.append(Events{
      created(1, "suspended one"),
      created(2, "ready one"),
      ev(EventKind::StepBegin, 1 * kMs, 1),
      ev(EventKind::Suspended, 2 * kMs, 1, 3, 100 * kMs, 0, sleep),
      // Task 2 is cancelled while queued, and the request is withdrawn.
      ev(EventKind::CancelRequested, 3 * kMs, 2, 0, 1, 1, user),
      ev(EventKind::CancelRequested, 4 * kMs, 1, 0, 0, 1, user, "stop"),
      ev(EventKind::Uncancel, 5 * kMs, 2, 0, 0, 0),
      ev(EventKind::Uncancel, 6 * kMs, 1, 0, 0, 0),
      // Cancelled again for good: woken, run, CancelledError thrown in.
      ev(EventKind::CancelRequested, 8 * kMs, 1, 0, 0, 1, user),
      ev(EventKind::Ready, 9 * kMs, 1),
      ev(EventKind::StepBegin, 10 * kMs, 1),
      ev(EventKind::CancelDelivered, 10 * kMs, 1, 3, 0, 1, u8(CancelVia::Direct)),
  });
  QCOMPARE(describeSpans(model, 1), (QStringList{
                                        "ready 0-1",
                                        "running 1-2",
                                        "suspended(sleep) 2-4",
                                        "cancelling(sleep) 4-6",
                                        "suspended(sleep) 6-8",
                                        "cancelling(sleep) 8-9",
                                        "cancelling 9-10",
                                        "running 10-open",
                                    }));
  QCOMPARE(describeSpans(model, 2), (QStringList{"ready 0-3", "cancelling 3-5", "ready 5-open"}));

  // Cancelling keeps the await's site and deadline.
  const StateSpan& cancelling = model.task(1)->spans[3];
  QCOMPARE(cancelling.site, 3u);
  QCOMPARE(cancelling.object, std::uint64_t{100 * kMs});

  // A request withdrawn by uncancel() before any delivery is never linked to a later one.
  QCOMPARE(model.cancels().size(), std::size_t{3});
  QCOMPARE(model.cancels()[0].target, 2u);
  QCOMPARE(model.cancels()[0].requester, 1u);
  QCOMPARE(model.cancels()[0].delivered, kNever);
  QCOMPARE(model.cancels()[1].target, 1u);
  QCOMPARE(model.text(model.cancels()[1].message), std::string("stop"));
  QCOMPARE(model.cancels()[1].delivered, kNever);
  QCOMPARE(model.cancels()[2].target, 1u);
  QCOMPARE(model.cancels()[2].requested, 8 * kMs);
  QCOMPARE(model.cancels()[2].delivered, 10 * kMs);
  QCOMPARE(model.cancels()[2].deliverySite, 3u);
  QCOMPARE(model.task(1)->cancelRequests, 2u);
  QCOMPARE(model.task(1)->cancelling, 1u);

  // The open running span counts up to `now`: ready = 0-1 and 9-10 (cancelled, no await); idle
  // = 2-9 (suspended, or cancelling at the sleep).
  const TaskTimes times = model.times(1, 12 * kMs);
  QCOMPARE(times.busy, 3 * kMs);
  QCOMPARE(times.ready, 2 * kMs);
  QCOMPARE(times.idle, 7 * kMs);
  const TaskTimes later = model.times(1, 20 * kMs);
  QCOMPARE(later.busy, 11 * kMs);
  QCOMPARE(later.idle, 7 * kMs);
}

void tst_TimelineModel::timeoutWithoutDeadlineThenRescheduled()
{
  TimelineModel model;
  model.append(Events{
      created(1, "main"),
      ev(EventKind::TimeoutArmed, 1 * kMs, 1, 0, ~std::uint64_t{0}, 7),
      ev(EventKind::TimeoutArmed, 1 * kMs, 1, 0, 50 * kMs, 8),  // a nested scope
      ev(EventKind::TimeoutRescheduled, 2 * kMs, 1, 0, 30 * kMs, 7),
      ev(EventKind::TimeoutDisarmed, 3 * kMs, 1, 0, 0, 8, u8(TimeoutOutcome::NotExpired)),
      ev(EventKind::TimeoutFired, 30 * kMs, 1, 0, 30 * kMs, 7),
      ev(EventKind::TimeoutDisarmed, 31 * kMs, 1, 0, 0, 7, u8(TimeoutOutcome::ExpiredPropagated)),
  });
  QCOMPARE(model.timeouts().size(), std::size_t{2});
  const TimeoutScope& outer = model.timeouts()[0];
  const TimeoutScope& inner = model.timeouts()[1];
  QCOMPARE(outer.scope, 7u);
  QCOMPARE(outer.armed, 1 * kMs);
  QCOMPARE(outer.deadline, 30 * kMs);  // timeout(None), then rescheduled
  QCOMPARE(outer.fired, 30 * kMs);
  QCOMPARE(outer.disarmed, 31 * kMs);
  QCOMPARE(outer.outcome, TimeoutOutcome::ExpiredPropagated);
  QCOMPARE(inner.scope, 8u);
  QCOMPARE(inner.deadline, 50 * kMs);
  QCOMPARE(inner.fired, kNever);
  QCOMPARE(inner.disarmed, 3 * kMs);
  QCOMPARE(inner.outcome, TimeoutOutcome::NotExpired);

  TimelineModel never;
  never.append(
      Events{created(1, "main"), ev(EventKind::TimeoutArmed, 0, 1, 0, ~std::uint64_t{0}, 3)});
  QCOMPARE(never.timeouts().at(0).deadline, kNever);
  QCOMPARE(never.timeouts().at(0).disarmed, kNever);
}

void tst_TimelineModel::loopSpansCoverStepsCallbacksAndIdle()
{
  TimelineModel model;
  model.append(Events{
      created(1, "main"),
      ev(EventKind::StepBegin, 1 * kMs, 1),
      ev(EventKind::Suspended, 3 * kMs, 1, 0, 0, 0, u8(AwaitKind::Future)),
      ev(EventKind::LoopWait, 3 * kMs, 0, 0, ~std::uint64_t{0}),
      ev(EventKind::LoopWake, 40 * kMs, 0),
      ev(EventKind::CallbackBegin, 40 * kMs, 0, 0, 5),
      ev(EventKind::CallbackEnd, 41 * kMs, 0, 0, 5),
      ev(EventKind::SlowStep, 41 * kMs, 0, 0, 1 * kMs, 5),
      ev(EventKind::Ready, 41 * kMs, 1),
      ev(EventKind::StepBegin, 42 * kMs, 1),
      // A sleep(0): the step ends by queueing the task again.
      ev(EventKind::Ready, 44 * kMs, 1, 9, 0, 0, u8(AwaitKind::Yield)),
      ev(EventKind::StepBegin, 45 * kMs, 1),
      ev(EventKind::TaskDone, 46 * kMs, 1, 0, 0, 0, u8(TaskOutcome::Exception), "ValueError: x"),
      ev(EventKind::LoopWait, 46 * kMs, 0, 0, ~std::uint64_t{0}),
  });
  QCOMPARE(describeLoop(model), (QStringList{
                                    "step 1 1-3",
                                    "idle 3-40",
                                    "callback 40-41 slow",
                                    "step 1 42-44",
                                    "step 1 45-46",
                                    "idle 46-open",
                                }));
  const TaskInfo* t = model.task(1);
  QCOMPARE(t->state, TaskState::Failed);
  QCOMPARE(model.outcomeText(*t), std::string("ValueError: x"));
  QCOMPARE(t->ended, 46 * kMs);
  QCOMPARE(t->steps, 3u);
  // The yield is an await point with its site.
  const std::vector<Marker> awaits = allAwaits(model, 1);
  QCOMPARE(awaits.size(), std::size_t{2});
  QCOMPARE(awaits[1].a8, u8(AwaitKind::Yield));
  QCOMPARE(awaits[1].site, 9u);
  QCOMPARE(awaits[1].t, 44 * kMs);
}

namespace {

// Task 1: ready 0-10, running 10-20, suspended 20-50, ready 50-50, running 50-open. Markers at
// 10 (print), 20 (await, print), 50 (print). Loop: step 10-20, idle 20-40, callback 45-46,
// step 50-open.
TimelineModel rangeModel()
{
  TimelineModel model;
  model.append(Events{
      created(1, "main"),
      ev(EventKind::StepBegin, 10 * kMs, 1),
      ev(EventKind::Print, 10 * kMs, 1, 0, 0, 0, 0, "hello"),
      ev(EventKind::Suspended, 20 * kMs, 1, 0, 50 * kMs, 0, u8(AwaitKind::Sleep)),
      ev(EventKind::Print, 20 * kMs, 1, 0, 0, 0, 0, "suspended"),
      ev(EventKind::LoopWait, 20 * kMs, 0, 0, 30 * kMs),
      ev(EventKind::LoopWake, 40 * kMs, 0),
      ev(EventKind::CallbackBegin, 45 * kMs, 0, 0, 1),
      ev(EventKind::CallbackEnd, 46 * kMs, 0, 0, 1),
      ev(EventKind::Ready, 50 * kMs, 1),
      ev(EventKind::StepBegin, 50 * kMs, 1),
      ev(EventKind::Print, 50 * kMs, 1, 0, 0, 0, 0, "running"),
  });
  return model;
}

void addRangeColumns()
{
  QTest::addColumn<std::uint32_t>("task");
  QTest::addColumn<double>("fromMs");
  QTest::addColumn<double>("toMs");
  QTest::addColumn<int>("first");
  QTest::addColumn<int>("last");
}

}  // namespace

void tst_TimelineModel::spansIn_data()
{
  addRangeColumns();
  QTest::newRow("before creation: empty") << 1u << -10.0 << -1.0 << 0 << 0;
  QTest::newRow("the first instant") << 1u << 0.0 << 0.0 << 0 << 1;
  QTest::newRow("inside one span") << 1u << 12.0 << 15.0 << 1 << 2;
  QTest::newRow("an end is exclusive, a start inclusive") << 1u << 20.0 << 20.0 << 2 << 3;
  QTest::newRow("across three spans") << 1u << 5.0 << 25.0 << 0 << 3;
  QTest::newRow("a zero-length span inside the range") << 1u << 45.0 << 50.0 << 2 << 5;
  QTest::newRow("a zero-length span at the range start is over") << 1u << 50.0 << 50.0 << 4 << 5;
  QTest::newRow("the open span reaches any future") << 1u << 1000.0 << 2000.0 << 4 << 5;
  QTest::newRow("everything") << 1u << -1.0 << 1e9 << 0 << 5;
  QTest::newRow("reversed range: empty") << 1u << 30.0 << 10.0 << 2 << 2;
  QTest::newRow("unknown task: empty") << 7u << 0.0 << 100.0 << 0 << 0;
}

void tst_TimelineModel::spansIn()
{
  QFETCH(std::uint32_t, task);
  QFETCH(double, fromMs);
  QFETCH(double, toMs);
  QFETCH(int, first);
  QFETCH(int, last);
  const TimelineModel model = rangeModel();
  QCOMPARE(describeSpans(model, 1),
           (QStringList{"ready 0-10", "running 10-20", "suspended(sleep) 20-50", "ready 50-50",
                        "running 50-open"}));
  const auto [f, l] = model.spansIn(task, static_cast<std::int64_t>(fromMs * kMs),
                                    static_cast<std::int64_t>(toMs * kMs));
  QCOMPARE(static_cast<int>(f), first);
  QCOMPARE(static_cast<int>(l), last);
}

void tst_TimelineModel::markersIn_data()
{
  addRangeColumns();
  QTest::newRow("before the first: empty") << 1u << 0.0 << 9.0 << 0 << 0;
  QTest::newRow("exactly one instant") << 1u << 10.0 << 10.0 << 0 << 1;
  QTest::newRow("the await's instant: its print only") << 1u << 20.0 << 20.0 << 1 << 2;
  QTest::newRow("between markers: empty") << 1u << 11.0 << 19.0 << 1 << 1;
  QTest::newRow("both ends inclusive") << 1u << 10.0 << 50.0 << 0 << 3;
  QTest::newRow("after the last: empty") << 1u << 51.0 << 100.0 << 3 << 3;
  QTest::newRow("reversed range: empty") << 1u << 30.0 << 10.0 << 2 << 2;
  QTest::newRow("unknown task: empty") << 7u << 0.0 << 100.0 << 0 << 0;
}

void tst_TimelineModel::markersIn()
{
  QFETCH(std::uint32_t, task);
  QFETCH(double, fromMs);
  QFETCH(double, toMs);
  QFETCH(int, first);
  QFETCH(int, last);
  const TimelineModel model = rangeModel();
  QCOMPARE(model.task(1)->markers.size(), std::size_t{3});  // the prints; awaits are spans
  const auto [f, l] = model.markersIn(task, static_cast<std::int64_t>(fromMs * kMs),
                                      static_cast<std::int64_t>(toMs * kMs));
  QCOMPARE(static_cast<int>(f), first);
  QCOMPARE(static_cast<int>(l), last);
}

void tst_TimelineModel::awaitsIn_data()
{
  addRangeColumns();
  // Task 1 awaits once: its sleep at 20 (running 10-20, then suspended).
  QTest::newRow("before the await: none") << 1u << 0.0 << 19.0 << 0 << 0;
  QTest::newRow("exactly at it") << 1u << 20.0 << 20.0 << 0 << 1;
  QTest::newRow("inside the suspended span, after its start: none")
      << 1u << 21.0 << 100.0 << 0 << 0;
  QTest::newRow("the whole run") << 1u << 0.0 << 100.0 << 0 << 1;
  QTest::newRow("reversed range: none") << 1u << 30.0 << 10.0 << 0 << 0;
  QTest::newRow("unknown task: none") << 7u << 0.0 << 100.0 << 0 << 0;
}

void tst_TimelineModel::awaitsIn()
{
  QFETCH(std::uint32_t, task);
  QFETCH(double, fromMs);
  QFETCH(double, toMs);
  QFETCH(int, last);  // how many
  const TimelineModel model = rangeModel();
  const std::vector<Marker> awaits = model.awaitsIn(task, static_cast<std::int64_t>(fromMs * kMs),
                                                    static_cast<std::int64_t>(toMs * kMs));
  QCOMPARE(static_cast<int>(awaits.size()), last);
  for (const Marker& m : awaits) {
    QCOMPARE(m.t, 20 * kMs);
    QCOMPARE(m.a8, u8(AwaitKind::Sleep));
  }
}

void tst_TimelineModel::loopSpansIn_data()
{
  addRangeColumns();
  QTest::newRow("before the first: empty") << 0u << 0.0 << 9.0 << 0 << 0;
  QTest::newRow("the first step's start") << 0u << 10.0 << 10.0 << 0 << 1;
  QTest::newRow("step end exclusive, idle start inclusive") << 0u << 20.0 << 20.0 << 1 << 2;
  QTest::newRow("gap between idle and callback: empty") << 0u << 41.0 << 44.0 << 2 << 2;
  QTest::newRow("the whole run") << 0u << 0.0 << 100.0 << 0 << 4;
  QTest::newRow("the open step") << 0u << 60.0 << 70.0 << 3 << 4;
}

void tst_TimelineModel::loopSpansIn()
{
  QFETCH(double, fromMs);
  QFETCH(double, toMs);
  QFETCH(int, first);
  QFETCH(int, last);
  const TimelineModel model = rangeModel();
  QCOMPARE(describeLoop(model),
           (QStringList{"step 1 10-20", "idle 20-40", "callback 45-46", "step 1 50-open"}));
  const auto [f, l] = model.loopSpansIn(static_cast<std::int64_t>(fromMs * kMs),
                                        static_cast<std::int64_t>(toMs * kMs));
  QCOMPARE(static_cast<int>(f), first);
  QCOMPARE(static_cast<int>(l), last);
}

void tst_TimelineModel::eventForUnknownTaskCreatesIt()
{
  TimelineModel model;
  // A stream picked up midway: task 7 was created before it, and so was 9's parent 8.
  model.append(Events{
      ev(EventKind::Suspended, 5 * kMs, 7, 0, 0, 0, u8(AwaitKind::Lock)),
      created(9, "child", 6 * kMs, 8),
      ev(EventKind::Print, 7 * kMs, 7, 0, 0, 0, 0, "still here"),
  });
  QCOMPARE(model.taskCount(), std::size_t{3});
  QCOMPARE(model.taskName(7), std::string("Task-7"));
  QCOMPARE(model.taskName(8), std::string("Task-8"));
  QCOMPARE(model.taskName(9), std::string("child"));
  QCOMPARE(model.taskName(0), std::string("loop"));
  QCOMPARE(model.taskName(42), std::string("Task-42"));
  QCOMPARE(model.indexOf(7), 0);
  QCOMPARE(model.indexOf(42), -1);
  QCOMPARE(model.task(7)->created, 5 * kMs);
  QCOMPARE(model.task(7)->state, TaskState::Suspended);
  QCOMPARE(describeSpans(model, 7), QStringList{"suspended(lock) 5-open"});
  QCOMPARE(model.stateAt(7, 1 * kMs), TaskState::Ready);  // before anything was seen
  QCOMPARE(model.task(7)->markers.size(), std::size_t{1});
  QCOMPARE(model.text(model.task(7)->markers[0].text), std::string("still here"));
  // Its first span is an await point though nothing ran before it in the stream.
  QCOMPARE(allAwaits(model, 7).size(), std::size_t{1});
  QCOMPARE(model.task(9)->parent, 8u);
  QCOMPARE(model.task(9)->depth, 1u);
  QCOMPARE(model.rows(), (std::vector<std::uint32_t>{7, 8, 9}));
  QCOMPARE(model.startTime(), 5 * kMs);
  QCOMPARE(model.endTime(), 7 * kMs);

  // A task made up on the fly takes the name a rename gives it.
  model.append(Events{ev(EventKind::TaskRenamed, 8 * kMs, 8, 0, 0, 0, 0, "parent")});
  QCOMPARE(model.taskName(8), std::string("parent"));
  model.advanceTo(20 * kMs);
  QCOMPARE(model.endTime(), 20 * kMs);
  model.advanceTo(10 * kMs);  // never backwards
  QCOMPARE(model.endTime(), 20 * kMs);
}

void tst_TimelineModel::sitesAreParsed()
{
  TimelineModel model;
  model.append(Events{
      ev(EventKind::SiteDefined, 0, 0, 4, 0, 0, 0,
         "/home/dev/loopscope/app/demo.cpp\t41\t7\tvoid f(f(int)::_Z1fi.Frame*)"),
      ev(EventKind::SiteDefined, 0, 0, 5, 0, 0, 0, "plain.cpp\t3\t1\tint main()"),
      ev(EventKind::ObjectCreated, 0, 0, 0, 70, 0, u8(AwaitKind::Queue), "Queue jobs"),
  });
  const auto* site = model.site(4);
  QVERIFY(site != nullptr);
  QCOMPARE(site->file, std::string("/home/dev/loopscope/app/demo.cpp"));
  QCOMPARE(site->line, 41u);
  QCOMPARE(site->column, 7u);
  QCOMPARE(site->function, std::string("f(int)"));
  QCOMPARE(site->location(), std::string("demo.cpp:41"));
  QCOMPARE(model.site(5)->location(), std::string("plain.cpp:3"));
  QCOMPARE(model.site(5)->function, std::string("int main()"));
  QCOMPARE(model.site(0), nullptr);
  QCOMPARE(model.site(6), nullptr);
  QCOMPARE(model.objectLabel(70), std::string("Queue jobs"));
  QCOMPARE(model.objectLabel(71), std::string());
  QCOMPARE(model.taskCount(), std::size_t{0});  // task 0 events make no task
}

void tst_TimelineModel::globalMarkersDiagnosticsAndExecutorJobs()
{
  TimelineModel model;
  QCOMPARE(model.lastShutdownPhase(), nullptr);
  model.append(Events{
      created(1, "main"),
      ev(EventKind::SignalReceived, 1 * kMs, 0, 0, 0, SIGINT),
      ev(EventKind::ShutdownPhase, 2 * kMs, 0, 0, 0, 3, u8(ShutdownPhaseKind::Cancelling),
         "cancelling 3 task(s)"),
      ev(EventKind::ShutdownPhase, 2 * kMs, 0, 0, 32 * kMs, 3, u8(ShutdownPhaseKind::Awaiting),
         "awaiting 3 task(s)"),
      ev(EventKind::Diagnostic, 3 * kMs, 1, 0, 0, 0, u8(DiagnosticKind::LostWakeup),
         "waits forever"),
      ev(EventKind::Diagnostic, 4 * kMs, 0, 0, 0, 0, u8(DiagnosticKind::ShutdownHeld), "loop"),
      ev(EventKind::ShutdownPhase, 5 * kMs, 0, 0, 0, 0, u8(ShutdownPhaseKind::Closed), "closed"),
  });
  QCOMPARE(model.globalMarkers().size(), std::size_t{4});
  const GlobalMarker& signal = model.globalMarkers()[0];
  QCOMPARE(signal.kind, GlobalMarker::Kind::Signal);
  QCOMPARE(signal.arg, std::uint32_t(SIGINT));
  const GlobalMarker& awaiting = model.globalMarkers()[2];
  QCOMPARE(awaiting.phase, u8(ShutdownPhaseKind::Awaiting));
  QCOMPARE(awaiting.arg, 3u);
  QCOMPARE(awaiting.detail, 32 * kMs);
  QCOMPARE(model.text(awaiting.text), std::string("awaiting 3 task(s)"));
  QCOMPARE(model.globalMarkers()[1].detail, kNever);
  const GlobalMarker* last = model.lastShutdownPhase();
  QVERIFY(last != nullptr);
  QCOMPARE(last->phase, u8(ShutdownPhaseKind::Closed));
  QCOMPARE(model.graceDeadline(), 32 * kMs);

  // Diagnostics: indexes into events(), a marker only for a task.
  QCOMPARE(model.diagnostics(), (std::vector<std::size_t>{4, 5}));
  QCOMPARE(model.events()[model.diagnostics()[0]].ev.kind, EventKind::Diagnostic);
  QCOMPARE(model.task(1)->markers.size(), std::size_t{1});
  QCOMPARE(model.task(1)->markers[0].kind, MarkerKind::Diagnostic);
  QCOMPARE(model.text(model.task(1)->markers[0].text), std::string("waits forever"));
  QCOMPARE(model.taskCount(), std::size_t{1});
}

void tst_TimelineModel::markersStayInTimeOrder()
{
  TimelineModel model;
  model.append(Events{
      created(1, "main"),
      ev(EventKind::StepBegin, 0, 1),
      ev(EventKind::Print, 150 * kMs, 1, 0, 0, 0, 0, "late in the step"),
      ev(EventKind::Suspended, 200 * kMs, 1, 0, 7, 0, u8(AwaitKind::Executor)),
      // Reported at the step's end, stamped at its start.
      ev(EventKind::SlowStep, 200 * kMs, 1, 0, 200 * kMs),
      // Executor jobs are reported when they are delivered, with their real start and end.
      ev(EventKind::ExecutorJobBegin, 100 * kMs, 1, 0, 7, 2),
      ev(EventKind::ExecutorJobEnd, 190 * kMs, 1, 0, 7, 2),
      ev(EventKind::Ready, 210 * kMs, 1),
  });
  QStringList markers;
  for (const Marker& m : model.task(1)->markers)
    markers << QStringLiteral("%1@%2").arg(int(m.kind)).arg(ms(m.t));
  QCOMPARE(markers, (QStringList{
                        QStringLiteral("%1@0").arg(int(MarkerKind::SlowStep)),
                        QStringLiteral("%1@100").arg(int(MarkerKind::ExecutorJob)),
                        QStringLiteral("%1@150").arg(int(MarkerKind::Print)),
                    }));
  QCOMPARE(model.executorJobs().size(), std::size_t{1});
  QCOMPARE(model.executorJobs()[0].job, std::uint64_t{7});
  QCOMPARE(model.executorJobs()[0].worker, 2u);
  QCOMPARE(model.executorJobs()[0].start, 100 * kMs);
  QCOMPARE(model.executorJobs()[0].end, 190 * kMs);
  QCOMPARE(model.endTime(), 210 * kMs);
  QCOMPARE(describeLoop(model), QStringList{"step 1 0-200 slow"});
}

QTEST_GUILESS_MAIN(tst_TimelineModel)
#include "tst_timelinemodel.moc"
