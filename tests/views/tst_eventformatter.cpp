// SPDX-License-Identifier: GPL-3.0-or-later
// EventFormatter: synthetic event streams, written out by hand, and the exact lines they give.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/event.h>
#include <engine/sink.h>
#include <views/eventformatter.h>

#include <QString>
#include <QTest>

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

using loopscope::engine::AwaitKind;
using loopscope::engine::CancelSource;
using loopscope::engine::DecodedEvent;
using loopscope::engine::DiagnosticKind;
using loopscope::engine::EventKind;
using loopscope::engine::ShutdownPhaseKind;
using loopscope::engine::TaskOutcome;
using loopscope::engine::TimeoutOutcome;
using loopscope::engine::TraceEvent;
using loopscope::views::EventFormatter;

using Events = std::vector<DecodedEvent>;
Q_DECLARE_METATYPE(Events)

class tst_EventFormatter : public QObject
{
  Q_OBJECT

private slots:
  void formatsTheLastEventOfAStream_data();
  void formatsTheLastEventOfAStream();
  void bookkeepingEventsAreNotShown_data();
  void bookkeepingEventsAreNotShown();
  void stepsAreShownWhenAskedFor();
  void renamedTaskIsShownUnderItsNewNameAfterwards();
  void sitesRememberTheirFunction();
  void resetForgetsNamesAndSites();
};

namespace {

constexpr std::int64_t kMs = 1'000'000;

// One event as the engine would record it; `text` is its reassembled payload.
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

// SiteDefined: "file\tline\tcolumn\tfunction".
DecodedEvent site(std::uint32_t id, const std::string& file, int line, const std::string& function)
{
  return ev(EventKind::SiteDefined, 0, 0, id, 0, 0, 0,
            file + '\t' + std::to_string(line) + "\t7\t" + function);
}

// TaskCreated: named explicitly (a8 = 1, text = name) unless `name` is empty.
DecodedEvent created(std::uint32_t task, const std::string& name, std::uint32_t parent = 0,
                     std::uint32_t siteId = 0, std::int64_t tNs = 0)
{
  return ev(EventKind::TaskCreated, tNs, task, siteId, parent, 0, name.empty() ? 0 : 1, name);
}

// Sites 1 and 2, tasks main (1) and worker-2 (2, created by main at site 1).
Events context()
{
  return {
      site(1, "/home/dev/loopscope/app/demoscenario.cpp", 41, "worker(int)"),
      site(2, "relative.cpp", 12, "main()"),
      created(1, "main"),
      created(2, "worker-2", 1, 1),
  };
}

Events withContext(std::initializer_list<DecodedEvent> tail)
{
  Events events = context();
  events.insert(events.end(), tail);
  return events;
}

QString formatAll(EventFormatter& formatter, const Events& events)
{
  QString last;
  for (const DecodedEvent& e : events) {
    last = formatter.format(e);
  }
  return last;
}

}  // namespace

void tst_EventFormatter::formatsTheLastEventOfAStream_data()
{
  QTest::addColumn<Events>("events");
  QTest::addColumn<QString>("expected");

  const auto sleep = u8(AwaitKind::Sleep);

  QTest::newRow("named task created by its parent, site shown as basename:line")
      << context() << "  0.000 s  worker-2      created by main at demoscenario.cpp:41";
  QTest::newRow("unnamed task is called Task-<id>")
      << Events{created(7, "", 0, 0, 250 * kMs)} << "  0.250 s  Task-7        created";
  QTest::newRow("task created at an undefined site")
      << Events{created(3, "loner", 0, 9)} << "  0.000 s  loner         created at site #9";
  QTest::newRow("times of ten seconds and more widen the column")
      << withContext({ev(EventKind::Ready, 12'345 * kMs, 2)})
      << " 12.345 s  worker-2      ready to run";

  QTest::newRow("suspended on a sleep")
      << withContext({ev(EventKind::Suspended, 1234 * kMs, 2, 1, 1500 * kMs, 0, sleep)})
      << "  1.234 s  worker-2      suspended at demoscenario.cpp:41 (sleep until 1.500 s)";
  QTest::newRow("suspended awaiting a task")
      << withContext({ev(EventKind::Suspended, 0, 1, 2, 2, 0, u8(AwaitKind::Task))})
      << "  0.000 s  main          suspended at relative.cpp:12 (awaiting worker-2)";
  QTest::newRow("suspended on a future")
      << withContext({ev(EventKind::Suspended, 0, 1, 2, 12, 0, u8(AwaitKind::Future))})
      << "  0.000 s  main          suspended at relative.cpp:12 (awaiting future #12)";
  QTest::newRow("suspended on a lock")
      << withContext({ev(EventKind::Suspended, 0, 1, 2, 0, 0, u8(AwaitKind::Lock))})
      << "  0.000 s  main          suspended at relative.cpp:12 (awaiting lock)";
  QTest::newRow("suspended on a named queue: ObjectCreated gave its label")
      << withContext(
             {ev(EventKind::ObjectCreated, 0, 1, 0, 7, 0, u8(AwaitKind::Queue), "Queue jobs"),
              ev(EventKind::Suspended, 0, 2, 1, 7, 0, u8(AwaitKind::Queue))})
      << "  0.000 s  worker-2      suspended at demoscenario.cpp:41 (awaiting Queue jobs)";
  QTest::newRow("suspended on an unnamed lock with an id")
      << withContext({ev(EventKind::Suspended, 0, 1, 2, 9, 0, u8(AwaitKind::Lock))})
      << "  0.000 s  main          suspended at relative.cpp:12 (awaiting lock #9)";
  QTest::newRow("suspended at an undefined site")
      << withContext({ev(EventKind::Suspended, 0, 2, 5, 2 * kMs, 0, sleep)})
      << "  0.000 s  worker-2      suspended at site #5 (sleep until 0.002 s)";
  QTest::newRow("suspended on an unknown task id")
      << withContext({ev(EventKind::Suspended, 0, 1, 2, 33, 0, u8(AwaitKind::Task))})
      << "  0.000 s  main          suspended at relative.cpp:12 (awaiting Task-33)";

  QTest::newRow("woken") << withContext({ev(EventKind::Ready, 0, 2)})
                         << "  0.000 s  worker-2      ready to run";
  QTest::newRow("yielded with sleep(0)")
      << withContext({ev(EventKind::Ready, 0, 2, 1, 0, 0, u8(AwaitKind::Yield))})
      << "  0.000 s  worker-2      yielded at demoscenario.cpp:41 (sleep(0))";

  QTest::newRow("done with a result")
      << withContext({ev(EventKind::TaskDone, 0, 2, 0, 0, 0, u8(TaskOutcome::Result))})
      << "  0.000 s  worker-2      done: result";
  QTest::newRow("failed") << withContext({ev(EventKind::TaskDone, 0, 2, 0, 0, 0,
                                             u8(TaskOutcome::Exception), "ValueError: bad value")})
                          << "  0.000 s  worker-2      failed: ValueError: bad value";
  QTest::newRow("cancelled without a message")
      << withContext({ev(EventKind::TaskDone, 0, 2, 0, 0, 0, u8(TaskOutcome::Cancelled))})
      << "  0.000 s  worker-2      cancelled";
  QTest::newRow("cancelled with a message")
      << withContext(
             {ev(EventKind::TaskDone, 0, 2, 0, 0, 0, u8(TaskOutcome::Cancelled), "shutdown")})
      << "  0.000 s  worker-2      cancelled: \"shutdown\"";

  QTest::newRow("cancel requested by a task, with a message")
      << withContext({ev(EventKind::CancelRequested, 4 * kMs * 1000, 2, 0, 1, 1,
                         u8(CancelSource::User), "shutdown")})
      << "  4.000 s  worker-2      cancel requested by main: \"shutdown\"";
  QTest::newRow("cancel requested from outside any task (a GUI command)")
      << withContext({ev(EventKind::CancelRequested, 0, 1, 0, 0, 1, u8(CancelSource::User),
                         "Stop pressed")})
      << "  0.000 s  main          cancel requested from outside any task: \"Stop pressed\"";
  QTest::newRow("second cancel request shows the count")
      << withContext({ev(EventKind::CancelRequested, 0, 2, 0, 1, 2, u8(CancelSource::User))})
      << "  0.000 s  worker-2      cancel requested by main (cancelling() = 2)";
  QTest::newRow("cancel requested by a timeout")
      << withContext({ev(EventKind::CancelRequested, 0, 2, 0, 0, 1, u8(CancelSource::Timeout))})
      << "  0.000 s  worker-2      cancel requested by a timeout";
  QTest::newRow("cancel passed on to an awaited task")
      << withContext(
             {ev(EventKind::CancelRequested, 0, 2, 0, 1, 1, u8(CancelSource::Propagated), "stop")})
      << "  0.000 s  worker-2      cancel passed on by an awaiting task (requested by main): "
         "\"stop\"";

  QTest::newRow("CancelledError delivered, no message")
      << withContext({ev(EventKind::CancelDelivered, 0, 2, 1, 0, 1, 0)})
      << "  0.000 s  worker-2      CancelledError delivered at demoscenario.cpp:41";
  QTest::newRow("CancelledError delivered with its message")
      << withContext({ev(EventKind::CancelDelivered, 0, 2, 1, 0, 1, 0, "shutdown")})
      << "  0.000 s  worker-2      CancelledError(\"shutdown\") delivered at demoscenario.cpp:41";
  QTest::newRow("CancelledError raised by awaiting a cancelled task")
      << withContext({ev(EventKind::CancelDelivered, 0, 1, 2, 2, 0,
                         u8(loopscope::engine::CancelVia::Task))})
      << "  0.000 s  main          CancelledError delivered at relative.cpp:12 (from awaited "
         "worker-2)";
  QTest::newRow("CancelledError raised by awaiting a cancelled future")
      << withContext({ev(EventKind::CancelDelivered, 0, 1, 2, 7, 0,
                         u8(loopscope::engine::CancelVia::Future))})
      << "  0.000 s  main          CancelledError delivered at relative.cpp:12 (from awaited "
         "future #7)";
  QTest::newRow("swallowed CancelledError")
      << withContext({ev(EventKind::CancelSwallowed, 0, 2, 1, 0, 1)})
      << "  0.000 s  worker-2      swallowed CancelledError (caught at demoscenario.cpp:41 and "
         "went on)";
  QTest::newRow("uncancel") << withContext({ev(EventKind::Uncancel, 0, 2, 0, 0, 0)})
                            << "  0.000 s  worker-2      uncancel (cancelling() = 0)";

  QTest::newRow("timeout armed") << withContext(
                                        {ev(EventKind::TimeoutArmed, 0, 2, 0, 2000 * kMs, 5)})
                                 << "  0.000 s  worker-2      timeout armed (deadline 2.000 s)";
  QTest::newRow("timeout armed without a deadline")
      << withContext({ev(EventKind::TimeoutArmed, 0, 2, 0, ~std::uint64_t{0}, 5)})
      << "  0.000 s  worker-2      timeout armed (no deadline)";
  QTest::newRow("timeout rescheduled")
      << withContext({ev(EventKind::TimeoutRescheduled, 0, 2, 0, 2500 * kMs, 5)})
      << "  0.000 s  worker-2      timeout rescheduled (deadline 2.500 s)";
  QTest::newRow("timeout fired") << withContext({ev(EventKind::TimeoutFired, 2000 * kMs, 2, 0,
                                                    2000 * kMs, 5)})
                                 << "  2.000 s  worker-2      timeout fired";
  QTest::newRow("timeout left in time")
      << withContext(
             {ev(EventKind::TimeoutDisarmed, 0, 2, 0, 0, 5, u8(TimeoutOutcome::NotExpired))})
      << "  0.000 s  worker-2      timeout disarmed (finished in time)";
  QTest::newRow("timeout converted")
      << withContext({ev(EventKind::TimeoutDisarmed, 0, 2, 0, 0, 5, u8(TimeoutOutcome::Converted))})
      << "  0.000 s  worker-2      timeout expired: CancelledError became TimeoutError";
  QTest::newRow("timeout expired under an outside cancel")
      << withContext(
             {ev(EventKind::TimeoutDisarmed, 0, 2, 0, 0, 5, u8(TimeoutOutcome::ExpiredPropagated))})
      << "  0.000 s  worker-2      timeout expired, but another cancel is pending: "
         "CancelledError propagates";

  QTest::newRow("slow step, in asyncio's words")
      << withContext({ev(EventKind::SlowStep, 0, 2, 0, 523 * kMs)})
      << "  0.000 s  worker-2      Executing worker-2 took 0.523 seconds";
  QTest::newRow("slow callback")
      << withContext({ev(EventKind::SlowStep, 0, 0, 0, 150 * kMs, 3)})
      << "  0.000 s  loop          Executing callback #3 took 0.150 seconds";
  QTest::newRow("callback error")
      << withContext({ev(EventKind::CallbackError, 0, 0, 0, 3, 0, 0, "std::runtime_error: boom")})
      << "  0.000 s  loop          callback #3 raised std::runtime_error: boom";

  QTest::newRow("print output") << withContext({ev(EventKind::Print, 0, 2, 0, 0, 0, 0, "tick 3")})
                                << "  0.000 s  worker-2      tick 3";
  QTest::newRow("multi-line print output is indented under the first line")
      << withContext({ev(EventKind::Print, 0, 2, 0, 0, 0, 0, "first\nsecond\n")})
      << QStringLiteral("  0.000 s  worker-2      first\n%1second").arg(QString(25, u' '));
  QTest::newRow("control characters are blanked")
      << withContext({ev(EventKind::Print, 0, 2, 0, 0, 0, 0, "a\rb\x1b[31mc\td")})
      << "  0.000 s  worker-2      a b [31mc\td";
  QTest::newRow("a task name cannot break the line")
      << Events{created(4, "two\nlines")} << "  0.000 s  two lines     created";
  QTest::newRow("an empty print is still shown")
      << withContext({ev(EventKind::Print, 0, 2, 0, 0, 0, 0, "")}) << "  0.000 s  worker-2      ";

  QTest::newRow("signal") << Events{ev(EventKind::SignalReceived, 0, 0, 0, 0, SIGINT)}
                          << "  0.000 s  loop          signal SIGINT received";
  QTest::newRow("shutdown phase")
      << Events{ev(EventKind::ShutdownPhase, 0, 0, 0, 0, 3, 1, "cancelling remaining tasks")}
      << "  0.000 s  loop          shutdown: cancelling remaining tasks (3)";
  QTest::newRow("shutdown phase without a text is named by its kind")
      << Events{ev(EventKind::ShutdownPhase, 0, 0, 0, 0, 2, u8(ShutdownPhaseKind::Awaiting))}
      << "  0.000 s  loop          shutdown: awaiting tasks (2)";
  QTest::newRow("diagnostic")
      << withContext({ev(EventKind::Diagnostic, 0, 2, 0, 0, 0, u8(DiagnosticKind::LostWakeup),
                         "nothing can wake it")})
      << "  0.000 s  worker-2      diagnostic: lost wake-up: nothing can wake it";
  QTest::newRow("executor job started")
      << withContext({ev(EventKind::ExecutorJobBegin, 0, 2, 0, 17, 1)})
      << "  0.000 s  worker-2      executor job #17 started on worker thread 1";
  QTest::newRow("executor job finished")
      << withContext({ev(EventKind::ExecutorJobEnd, 0, 2, 0, 17, 1)})
      << "  0.000 s  worker-2      executor job #17 finished on worker thread 1";
  QTest::newRow("renamed: the name column still shows the old name")
      << withContext({ev(EventKind::TaskRenamed, 0, 2, 0, 0, 0, 0, "fetcher")})
      << "  0.000 s  worker-2      renamed to \"fetcher\"";
}

void tst_EventFormatter::formatsTheLastEventOfAStream()
{
  QFETCH(Events, events);
  QFETCH(QString, expected);
  EventFormatter formatter;
  QCOMPARE(formatAll(formatter, events), expected);
}

void tst_EventFormatter::bookkeepingEventsAreNotShown_data()
{
  QTest::addColumn<Events>("events");
  QTest::newRow("site defined") << Events{site(1, "a.cpp", 1, "f()")};
  QTest::newRow("text header") << Events{ev(EventKind::Text, 0, 1, 0, 5, 1)};
  QTest::newRow("loop waits") << Events{ev(EventKind::LoopWait, 0, 0, 0, 1000)};
  QTest::newRow("loop wakes") << Events{ev(EventKind::LoopWake, 0, 0)};
  QTest::newRow("step begins") << Events{ev(EventKind::StepBegin, 0, 1)};
  QTest::newRow("callback begins") << Events{ev(EventKind::CallbackBegin, 0, 0, 0, 3)};
  QTest::newRow("callback ends") << Events{ev(EventKind::CallbackEnd, 0, 0, 0, 3)};
  QTest::newRow("object created") << Events{
      ev(EventKind::ObjectCreated, 0, 1, 0, 4, 0, u8(AwaitKind::Lock), "Lock db")};
}

void tst_EventFormatter::bookkeepingEventsAreNotShown()
{
  QFETCH(Events, events);
  EventFormatter formatter;
  for (const DecodedEvent& e : events) {
    QCOMPARE(formatter.format(e), QString());
  }
}

void tst_EventFormatter::stepsAreShownWhenAskedFor()
{
  EventFormatter formatter(EventFormatter::Options{.showSteps = true});
  QCOMPARE(formatAll(formatter, withContext({ev(EventKind::StepBegin, 0, 2)})),
           QStringLiteral("  0.000 s  worker-2      running"));
  QCOMPARE(formatter.format(ev(EventKind::CallbackBegin, 0, 0, 0, 3)),
           QStringLiteral("  0.000 s  loop          callback #3 running"));
  QCOMPARE(formatter.format(ev(EventKind::CallbackEnd, 0, 0, 0, 3)),
           QStringLiteral("  0.000 s  loop          callback #3 finished"));
}

void tst_EventFormatter::renamedTaskIsShownUnderItsNewNameAfterwards()
{
  EventFormatter formatter;
  QCOMPARE(
      formatAll(formatter, withContext({ev(EventKind::TaskRenamed, 0, 2, 0, 0, 0, 0, "fetcher"),
                                        ev(EventKind::Ready, 0, 2)})),
      QStringLiteral("  0.000 s  fetcher       ready to run"));
  QCOMPARE(formatter.taskName(2), QStringLiteral("fetcher"));
  // Suspensions name the awaited task by its current name too.
  QCOMPARE(
      formatter.format(ev(EventKind::Suspended, 0, 1, 2, 2, 0, u8(AwaitKind::Task))),
      QStringLiteral("  0.000 s  main          suspended at relative.cpp:12 (awaiting fetcher)"));
}

void tst_EventFormatter::sitesRememberTheirFunction()
{
  EventFormatter formatter;
  (void)formatAll(formatter, context());
  QCOMPARE(formatter.siteLocation(1), QStringLiteral("demoscenario.cpp:41"));
  QCOMPARE(formatter.siteFunction(1), QStringLiteral("worker(int)"));
  QCOMPARE(formatter.siteFunction(2), QStringLiteral("main()"));
  QCOMPARE(formatter.siteLocation(0), QString());
  QCOMPARE(formatter.siteFunction(3), QString());
  QCOMPARE(formatter.taskName(0), QStringLiteral("loop"));
}

void tst_EventFormatter::resetForgetsNamesAndSites()
{
  EventFormatter formatter;
  (void)formatAll(formatter, context());
  formatter.reset();
  QCOMPARE(formatter.taskName(2), QStringLiteral("Task-2"));
  QCOMPARE(formatter.siteLocation(1), QStringLiteral("site #1"));
  QCOMPARE(formatter.format(ev(EventKind::Suspended, 0, 2, 1, 0, 0, u8(AwaitKind::None))),
           QStringLiteral("  0.000 s  Task-2        suspended at site #1"));
}

QTEST_GUILESS_MAIN(tst_EventFormatter)
#include "tst_eventformatter.moc"
