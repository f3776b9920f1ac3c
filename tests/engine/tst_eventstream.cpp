// SPDX-License-Identifier: GPL-3.0-or-later
// The event stream of small scenarios, written out literally. Each expected list was derived
// from asyncio's scheduling (create_task -> call_soon(__step); a timer moves to _ready when
// due; a cancelled sleep wakes its task at once; a finished task schedules its awaiters) and
// from the event protocol in engine/event.h.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_EventStream : public QObject
{
  Q_OBJECT

private slots:
  void twoWorkersOneCancelled();
  void twoWorkersOneCancelledDetails();
  void yieldThenTimeout();
  void sequenceNumbersAreDenseAndTimesNonDecreasing();
};

namespace {

using K = EventKind;

Coro<void> worker(Duration d)
{
  co_await sleep(d);
}

// main (task 1) starts a (task 2, 10 ms) and b (task 3, 20 ms), cancels b at 15 ms, then
// awaits both.
Coro<void> twoWorkers(Probe& probe)
{
  Task<void> a = create_task(worker(10ms), "a");
  Task<void> b = create_task(worker(20ms), "b");
  co_await sleep(15ms);
  b.cancel("stop");
  co_await a;  // already done at 10 ms: no suspension
  try {
    co_await b;
  } catch (const CancelledError& e) {
    probe << QStringLiteral("main caught '%1'").arg(QString::fromStdString(e.message()));
  }
}

Coro<void> yieldThenTimeoutMain()
{
  co_await sleep(0ms);
  try {
    co_await timeout(5ms).run(worker(1s));
  } catch (const TimeoutError&) {
  }
}

}  // namespace

void tst_EventStream::twoWorkersOneCancelled()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(twoWorkers(probe), "main");
  COMPARE_LOG(probe.log, QStringList{"main caught 'stop'"});

  const std::vector<EventTuple> expected = {
      // run_until_complete creates main and schedules its first step.
      {K::TaskCreated, 1, 0},
      {K::Ready, 1, 0},
      // Iteration 1: main creates a and b (each scheduled at once) and sleeps 15 ms.
      {K::StepBegin, 1, 0},
      {K::TaskCreated, 2, 0},
      {K::Ready, 2, 0},
      {K::TaskCreated, 3, 0},
      {K::Ready, 3, 0},
      {K::Suspended, 1, 0},
      // Iteration 2: first steps of a and b, in creation order.
      {K::StepBegin, 2, 0},
      {K::Suspended, 2, 0},
      {K::StepBegin, 3, 0},
      {K::Suspended, 3, 0},
      // Nothing is ready: the virtual clock jumps to the next timer, traced as an idle wait.
      {K::LoopWait, 0, 0},
      {K::LoopWake, 0, 10},
      // 10 ms: a's timer is due; a wakes and returns.
      {K::Ready, 2, 10},
      {K::StepBegin, 2, 10},
      {K::TaskDone, 2, 10},
      {K::LoopWait, 0, 10},
      {K::LoopWake, 0, 15},
      // 15 ms: main wakes, cancels b (b's sleep is cancelled: b is queued at once), finds a
      // done and suspends on b.
      {K::Ready, 1, 15},
      {K::StepBegin, 1, 15},
      {K::CancelRequested, 3, 15},
      {K::Ready, 3, 15},
      {K::Suspended, 1, 15},
      // b gets CancelledError at its sleep and ends cancelled, which wakes main.
      {K::StepBegin, 3, 15},
      {K::CancelDelivered, 3, 15},
      {K::TaskDone, 3, 15},
      {K::Ready, 1, 15},
      // main's `co_await b` raises CancelledError; main catches it and returns.
      {K::StepBegin, 1, 15},
      {K::CancelDelivered, 1, 15},
      {K::TaskDone, 1, 15},
      // run_until_complete's done-callback stops the loop via call_soon.
      {K::CallbackBegin, 0, 15},
      {K::CallbackEnd, 0, 15},
  };
  QCOMPARE(formatEvents(compactEvents(v.decoded())), formatEvents(expected));
}

void tst_EventStream::twoWorkersOneCancelledDetails()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(twoWorkers(probe), "main");
  QStringList details;
  for (const DecodedEvent& d : v.decoded()) {
    const TraceEvent& e = d.ev;
    switch (e.kind) {
      case K::TaskCreated:
        details << QStringLiteral("created %1 '%2' parent %3")
                       .arg(e.task)
                       .arg(toQString(d.text))
                       .arg(e.detail);
        break;
      case K::Suspended:
        details << QStringLiteral("suspended %1 on %2 detail %3")
                       .arg(e.task)
                       .arg(toQString(await_kind_name(AwaitKind(e.a8))))
                       .arg(e.a8 == std::uint8_t(AwaitKind::Sleep) ? e.detail / 1'000'000
                                                                   : e.detail);
        break;
      case K::CancelRequested:
        details << QStringLiteral("cancel %1 by %2 source %3 count %4 '%5'")
                       .arg(e.task)
                       .arg(e.detail)
                       .arg(e.a8)
                       .arg(e.arg)
                       .arg(toQString(d.text));
        break;
      case K::CancelDelivered:
        details << QStringLiteral("delivered %1 count %2 inherited %3 '%4'")
                       .arg(e.task)
                       .arg(e.arg)
                       .arg(e.a8)
                       .arg(toQString(d.text));
        break;
      case K::TaskDone:
        details << QStringLiteral("done %1 %2 '%3'")
                       .arg(e.task)
                       .arg(toQString(task_outcome_name(TaskOutcome(e.a8))))
                       .arg(toQString(d.text));
        break;
      default:
        break;
    }
  }
  COMPARE_LOG(
      details,
      (QStringList{
          "created 1 'main' parent 0",
          "created 2 'a' parent 1",
          "created 3 'b' parent 1",
          "suspended 1 on sleep detail 15",  // sleep deadlines, in ms
          "suspended 2 on sleep detail 10",
          "suspended 3 on sleep detail 20",
          "done 2 result ''",
          QStringLiteral("cancel 3 by 1 source %1 count 1 'stop'").arg(int(CancelSource::User)),
          "suspended 1 on task detail 3",
          "delivered 3 count 1 inherited 0 'stop'",
          "done 3 cancelled 'stop'",
          "delivered 1 count 0 inherited 1 'stop'",
          "done 1 result ''",
      }));
}

void tst_EventStream::yieldThenTimeout()
{
  VirtualLoop v;
  v.loop.run_until_complete(yieldThenTimeoutMain(), "main");
  const std::vector<EventTuple> expected = {
      {K::TaskCreated, 1, 0},
      {K::Ready, 1, 0},
      // sleep(0): the task queues itself again; one Ready (a8 = Yield) closes the step.
      {K::StepBegin, 1, 0},
      {K::Ready, 1, 0},
      // Next iteration: the scope arms its deadline and the body sleeps.
      {K::StepBegin, 1, 0},
      {K::TimeoutArmed, 1, 0},
      {K::Suspended, 1, 0},
      {K::LoopWait, 0, 0},
      {K::LoopWake, 0, 5},
      // 5 ms: the deadline cancels the task, which wakes at once.
      {K::TimeoutFired, 1, 5},
      {K::CancelRequested, 1, 5},
      {K::Ready, 1, 5},
      // The CancelledError reaches the scope, which uncancels and converts it.
      {K::StepBegin, 1, 5},
      {K::CancelDelivered, 1, 5},
      {K::Uncancel, 1, 5},
      {K::TimeoutDisarmed, 1, 5},
      {K::TaskDone, 1, 5},
      {K::CallbackBegin, 0, 5},
      {K::CallbackEnd, 0, 5},
  };
  const auto events = v.decoded();
  QCOMPARE(formatEvents(compactEvents(events)), formatEvents(expected));

  // The yield's Ready names the await (a8 = Yield, site = the sleep(0)); a wake-up's does not.
  const auto ready = eventsOfKind(events, K::Ready);
  QCOMPARE(ready.size(), std::size_t{3});
  QCOMPARE(ready[0].ev.a8, std::uint8_t{0});
  QCOMPARE(ready[1].ev.a8, std::uint8_t(AwaitKind::Yield));
  QVERIFY(ready[1].ev.site != 0);
  QCOMPARE(ready[2].ev.a8, std::uint8_t{0});
}

void tst_EventStream::sequenceNumbersAreDenseAndTimesNonDecreasing()
{
  VirtualLoop v;
  Probe probe;
  v.loop.run_until_complete(twoWorkers(probe), "main");
  v.loop.run_until_complete(yieldThenTimeoutMain(), "second");
  v.loop.flush_trace();
  const auto& raw = v.sink.events();
  QVERIFY(raw.size() > 40);
  std::int64_t lastT = 0;
  std::uint64_t seq = 0;
  std::size_t textSlots = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (textSlots > 0) {  // raw text payload slots carry no header fields
      --textSlots;
      continue;
    }
    QCOMPARE(raw[i].seq, seq++);
    QVERIFY(raw[i].t_ns >= lastT);
    lastT = raw[i].t_ns;
    if (raw[i].kind == K::Text)
      textSlots = raw[i].arg;
  }
}

QTEST_GUILESS_MAIN(tst_EventStream)
#include "tst_eventstream.moc"
