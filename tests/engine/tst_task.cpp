// SPDX-License-Identifier: GPL-3.0-or-later
// Tasks: results and exceptions through Coro and task awaits, names and ids, states, done
// callbacks and the recorded await/creation sites.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <map>
#include <source_location>
#include <stdexcept>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Task : public QObject
{
  Q_OBJECT

private slots:
  void init() { Counted::reset(); }

  void resultPropagatesThroughNestedAwaits();
  void exceptionPropagatesThroughNestedAwaits_data();
  void exceptionPropagatesThroughNestedAwaits();
  void nestedCoroRunsInTheSameTaskWithoutALoopHop();
  void defaultNameIsTaskDashId();
  void explicitNameAndRename();
  void idsIncreaseAndParentIsTheCreatingTask();
  void statesWhilePendingRunningAndDone();
  void resultAndExceptionOfAFailedTask();
  void awaitingAFinishedTaskDoesNotSuspend();
  void awaitingItselfRaisesRuntimeError();
  void doneCallbackRunsViaCallSoonAfterCompletion();
  void doneCallbackOnAFinishedTaskIsScheduledNotCalled();
  void awaitSiteIsTheLineOfTheCoAwait();
  void awaitSiteInsideAnEngineHelperIsTheCallersLine();
  void creationSiteIsTheLineOfCreateTask();
  void finishedTaskReleasesItsFrame();
};

namespace {

struct AppError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};
struct DerivedAppError : AppError
{
  using AppError::AppError;
};
struct PlainError
{
  int code;
};

Coro<int> leafValue(int x)
{
  co_await sleep(1ms);
  co_return x + 1;
}
Coro<int> middleValue(int x)
{
  const int a = co_await leafValue(x);
  const int b = co_await leafValue(a);
  co_return a * 100 + b;
}
Coro<int> topValue(int x)
{
  Task<int> t = create_task(middleValue(x));
  const int viaTask = co_await t;
  const int inline_ = co_await middleValue(x + 10);
  co_return viaTask + inline_;
}

Coro<int> leafThrows(int kind)
{
  co_await sleep(1ms);
  switch (kind) {
    case 0:
      throw std::runtime_error("plain runtime_error");
    case 1:
      throw AppError("app");
    case 2:
      throw DerivedAppError("derived");
    case 3:
      throw std::out_of_range("range");
    case 4:
      throw PlainError{42};
    default:
      throw 7;
  }
}
Coro<int> middleThrows(int kind)
{
  const int v = co_await leafThrows(kind);
  co_return v;  // never reached
}
// Catches what the nested awaits raise by its most specific type and records what it saw, then
// lets it continue to the task that awaits this one.
Coro<int> topThrows(Probe& probe, int kind)
{
  Task<int> inner = create_task(middleThrows(kind), "inner");
  try {
    co_await inner;
  } catch (const DerivedAppError& e) {
    probe << QStringLiteral("DerivedAppError: %1").arg(e.what());
  } catch (const AppError& e) {
    probe << QStringLiteral("AppError: %1").arg(e.what());
  } catch (const std::out_of_range& e) {
    probe << QStringLiteral("std::out_of_range: %1").arg(e.what());
  } catch (const std::runtime_error& e) {
    probe << QStringLiteral("std::runtime_error: %1").arg(e.what());
  } catch (const PlainError& e) {
    probe << QStringLiteral("PlainError: %1").arg(e.code);
  } catch (int e) {
    probe << QStringLiteral("int: %1").arg(e);
  }
  co_return co_await middleThrows(kind);  // again, inline this time, escaping to the awaiter
}

Coro<void> recordOrder(Probe& probe)
{
  probe << "outer before";
  co_await leafValue(0);
  probe << "outer after";
}

Coro<void> nothing()
{
  co_return;
}

Coro<void> sleepFor(Duration d)
{
  co_await sleep(d);
}

Coro<void> createChildren(Probe& probe)
{
  Task<void> child = create_task(nothing(), "child");
  probe << QStringLiteral("child parent=%1 self=%2")
               .arg(child.base().parent_id())
               .arg(current_task()->id());
  co_await child;
}

Coro<int> valueAfter(Duration d, int v)
{
  co_await sleep(d);
  co_return v;
}

struct SelfAwait
{
  Task<void> self;
};
Coro<void> awaitSelf(Probe& probe, SelfAwait& holder)
{
  co_await sleep(0ms);
  try {
    co_await holder.self;
    probe << "awaited itself";
  } catch (const RuntimeError& e) {
    probe << QString::fromUtf8(e.what());
  }
}

Coro<void> awaitDone(Probe& probe, Task<int> finished)
{
  bool callbackRan = false;
  Loop::running().call_soon([&callbackRan] { callbackRan = true; });
  const std::uint64_t stepsBefore = current_task()->steps();
  const int v = co_await finished;
  probe << QStringLiteral("value %1, callback ran %2, steps %3")
               .arg(v)
               .arg(callbackRan)
               .arg(current_task()->steps() - stepsBefore);
  co_await sleep(0ms);  // the callback refers to this frame: let it run before returning
}

Coro<void> addCallbackToFinished(Probe& probe, Task<int> finished)
{
  bool ran = false;
  finished.add_done_callback([&probe, &ran](TaskBase& t) {
    ran = true;
    probe << QStringLiteral("callback for %1").arg(toQString(t.name()));
  });
  probe << QStringLiteral("after add_done_callback: ran=%1").arg(ran);
  co_await sleep(0ms);
  probe << QStringLiteral("after one iteration: ran=%1").arg(ran);
}

Coro<void> awaitAndLog(Probe& probe, Task<int> t, QString who)
{
  const int v = co_await t;
  probe << QStringLiteral("%1 got %2").arg(who).arg(v);
}

struct SiteLines
{
  unsigned sleepLine = 0;
  unsigned taskLine = 0;
  unsigned nestedLine = 0;
};
Coro<void> nestedSleeper(SiteLines& lines)
{
  lines.nestedLine = std::source_location::current().line() + 1;  // the next line
  co_await sleep(5ms);
}
Coro<void> siteRecorder(SiteLines& lines, Task<void> other)
{
  lines.sleepLine = std::source_location::current().line() + 1;  // the next line
  co_await sleep(10ms);
  lines.taskLine = std::source_location::current().line() + 1;  // the next line
  co_await other;
  co_await nestedSleeper(lines);
}

Coro<void> holdsCounted()
{
  Counted c;
  co_await sleep(1ms);
}

}  // namespace

void tst_Task::resultPropagatesThroughNestedAwaits()
{
  VirtualLoop v;
  // middleValue(1): a = 2, b = 3 -> 203; middleValue(11): a = 12, b = 13 -> 1213.
  QCOMPARE(v.loop.run_until_complete(topValue(1)), 203 + 1213);
  QCOMPARE(nowMs(v.loop), qint64{4});
}

void tst_Task::exceptionPropagatesThroughNestedAwaits_data()
{
  QTest::addColumn<int>("kind");
  QTest::addColumn<QString>("caughtInAwaiter");
  QTest::addColumn<QString>("describedAtTop");
  QTest::newRow("std::runtime_error") << 0 << "std::runtime_error: plain runtime_error"
                                      << "std::runtime_error: plain runtime_error";
  QTest::newRow("runtime_error subclass") << 1 << "AppError: app"
                                          << "AppError: app";
  QTest::newRow("subclass of a subclass") << 2 << "DerivedAppError: derived"
                                          << "DerivedAppError: derived";
  QTest::newRow("std::logic_error subclass") << 3 << "std::out_of_range: range"
                                             << "std::out_of_range: range";
  QTest::newRow("not a std::exception") << 4 << "PlainError: 42"
                                        << "PlainError";
  QTest::newRow("thrown int") << 5 << "int: 7"
                              << "int";
}

void tst_Task::exceptionPropagatesThroughNestedAwaits()
{
  QFETCH(int, kind);
  QFETCH(QString, caughtInAwaiter);
  QFETCH(QString, describedAtTop);
  VirtualLoop v;
  Probe probe;
  Task<int> top = v.loop.create_task(topThrows(probe, kind), "top");
  std::exception_ptr caught;
  try {
    v.loop.run_until_complete(top);
  } catch (...) {
    caught = std::current_exception();
  }
  COMPARE_LOG(probe.log, QStringList{caughtInAwaiter});
  QVERIFY(caught);
  QVERIFY2(describe(caught).endsWith(describedAtTop), qPrintable(describe(caught)));
  QCOMPARE(top.state(), TaskState::Failed);
  QVERIFY(!top.cancelled());
  // exception() hands out the very object that escaped the task.
  QVERIFY(top.exception() == caught);
}

void tst_Task::nestedCoroRunsInTheSameTaskWithoutALoopHop()
{
  VirtualLoop v;
  Probe probe;
  Task<void> t = v.loop.create_task(recordOrder(probe));
  v.loop.run_until_complete(t);
  COMPARE_LOG(probe.log, (QStringList{"outer before", "outer after"}));
  // One step to start, one after the sleep: awaiting a Coro costs no step of its own.
  QCOMPARE(t.base().steps(), std::uint64_t{2});
  QCOMPARE(v.loop.task_count(), std::size_t{0});
}

void tst_Task::defaultNameIsTaskDashId()
{
  VirtualLoop v;
  Task<void> a = v.loop.create_task(nothing());
  Task<void> b = v.loop.create_task(nothing());
  QCOMPARE(a.name(), "Task-" + std::to_string(a.id()));
  QCOMPARE(b.name(), "Task-" + std::to_string(b.id()));
  Task<void> empty = v.loop.create_task(nothing(), "");
  QCOMPARE(empty.name(), "Task-" + std::to_string(empty.id()));
  v.loop.run_until_complete(empty);
  // Default names are not sent: TaskCreated has a8 = 0 and no text; consumers derive the name.
  const auto created = eventsOfKind(v.decoded(), EventKind::TaskCreated);
  QCOMPARE(created.size(), std::size_t{3});
  for (const DecodedEvent& d : created) {
    QCOMPARE(d.ev.a8, std::uint8_t{0});
    QVERIFY(d.text.empty());
  }
}

void tst_Task::explicitNameAndRename()
{
  VirtualLoop v;
  Task<void> t = v.loop.create_task(sleepFor(1ms), "fetcher");
  QCOMPARE(t.name(), std::string("fetcher"));
  t.set_name("fetcher-2");
  QCOMPARE(t.name(), std::string("fetcher-2"));
  QCOMPARE(t.base().name(), std::string("fetcher-2"));
  v.loop.run_until_complete(t);
  const auto events = v.decoded();
  const auto created = eventsOfKind(events, EventKind::TaskCreated);
  QCOMPARE(created.size(), std::size_t{1});
  QCOMPARE(created[0].ev.a8, std::uint8_t{1});  // named explicitly
  QCOMPARE(created[0].text, std::string("fetcher"));
  const auto renamed = eventsOfKind(events, EventKind::TaskRenamed);
  QCOMPARE(renamed.size(), std::size_t{1});
  QCOMPARE(renamed[0].ev.task, t.id());
  QCOMPARE(renamed[0].text, std::string("fetcher-2"));
}

void tst_Task::idsIncreaseAndParentIsTheCreatingTask()
{
  VirtualLoop v;
  Probe probe;
  Task<void> outside = v.loop.create_task(nothing(), "outside");
  QCOMPARE(outside.base().parent_id(), 0u);
  Task<void> parent = v.loop.create_task(createChildren(probe), "parent");
  QVERIFY(parent.id() > outside.id());
  QCOMPARE(parent.base().parent_id(), 0u);
  v.loop.run_until_complete(parent);
  COMPARE_LOG(probe.log, QStringList{QStringLiteral("child parent=%1 self=%1").arg(parent.id())});

  // TaskCreated carries the parent id in `detail`.
  const auto created = eventsOfKind(v.decoded(), EventKind::TaskCreated);
  QCOMPARE(created.size(), std::size_t{3});
  QCOMPARE(created[2].text, std::string("child"));
  QCOMPARE(created[2].ev.detail, std::uint64_t{parent.id()});
  QCOMPARE(created[2].ev.task, parent.id() + 1);
  QCOMPARE(created[0].ev.detail, std::uint64_t{0});
}

void tst_Task::statesWhilePendingRunningAndDone()
{
  VirtualLoop v;
  Task<int> t = v.loop.create_task(valueAfter(10ms, 5), "t");
  QCOMPARE(t.state(), TaskState::Pending);
  QVERIFY(!t.done());
  QVERIFY(!t.cancelled());
  QVERIFY_THROWS_EXCEPTION(InvalidStateError, t.result());
  QVERIFY_THROWS_EXCEPTION(InvalidStateError, t.exception());

  v.loop.call_later(5ms, [&v] { v.loop.stop(); });
  v.loop.run_forever();
  QCOMPARE(t.state(), TaskState::Suspended);
  QCOMPARE(t.base().awaiting(), AwaitKind::Sleep);
  QCOMPARE(t.base().awaiting_detail(), static_cast<std::uint64_t>(ns(10ms)));
  QVERIFY(!t.done());
  QVERIFY_THROWS_EXCEPTION(InvalidStateError, t.result());
  QCOMPARE(v.loop.all_tasks().size(), std::size_t{1});
  QCOMPARE(v.loop.all_tasks().front(), &t.base());

  QCOMPARE(v.loop.run_until_complete(t), 5);
  QCOMPARE(t.state(), TaskState::Done);
  QVERIFY(t.done());
  QVERIFY(!t.cancelled());
  QCOMPARE(t.result(), 5);
  QVERIFY(!t.exception());
  QVERIFY(v.loop.all_tasks().empty());
}

void tst_Task::resultAndExceptionOfAFailedTask()
{
  VirtualLoop v;
  Task<int> t = v.loop.create_task(leafThrows(1), "failing");
  QVERIFY_THROWS_EXCEPTION(AppError, v.loop.run_until_complete(t));
  QCOMPARE(t.state(), TaskState::Failed);
  QVERIFY(t.done());
  QVERIFY(!t.cancelled());
  QVERIFY_THROWS_EXCEPTION(AppError, t.result());
  QVERIFY(t.exception());
  QVERIFY2(describe(t.exception()).endsWith("AppError: app"), qPrintable(describe(t.exception())));
  const auto done = eventsOfKind(v.decoded(), EventKind::TaskDone);
  QCOMPARE(done.size(), std::size_t{1});
  QCOMPARE(done[0].ev.a8, static_cast<std::uint8_t>(TaskOutcome::Exception));
  QVERIFY2(QString::fromStdString(done[0].text).endsWith("AppError: app"), done[0].text.c_str());
}

void tst_Task::awaitingAFinishedTaskDoesNotSuspend()
{
  VirtualLoop v;
  Probe probe;
  Task<int> finished = v.loop.create_task(valueAfter(1ms, 9), "finished");
  v.loop.run_until_complete(finished);
  v.loop.run_until_complete(awaitDone(probe, finished));
  // The call_soon queued before the await had not run: the await did not go through the loop.
  COMPARE_LOG(probe.log, QStringList{"value 9, callback ran 0, steps 0"});
}

void tst_Task::awaitingItselfRaisesRuntimeError()
{
  VirtualLoop v;
  Probe probe;
  SelfAwait holder;
  holder.self = v.loop.create_task(awaitSelf(probe, holder), "narcissus");
  v.loop.run_until_complete(holder.self);
  QCOMPARE(probe.log.size(), 1);
  QVERIFY2(probe.log.front().startsWith("Task cannot await on itself"),
           qPrintable(probe.log.front()));
  QCOMPARE(holder.self.state(), TaskState::Done);
}

void tst_Task::doneCallbackRunsViaCallSoonAfterCompletion()
{
  VirtualLoop v;
  Probe probe;
  Task<int> t = v.loop.create_task(valueAfter(3ms, 1), "t");
  t.add_done_callback([&probe, &v](TaskBase& done) {
    probe << QStringLiteral("callback 1: done=%1 at %2ms").arg(done.done()).arg(nowMs(v.loop));
  });
  // The waiter starts awaiting (in its first step) after callback 1 was added; callback 2 is
  // added at 1 ms, after that. All three are woken/scheduled in that order when t finishes.
  Task<void> waiter = v.loop.create_task(awaitAndLog(probe, t, "waiter"), "waiter");
  v.loop.call_later(1ms, [&probe, t]() mutable {
    t.add_done_callback([&probe](TaskBase& done) {
      probe << QStringLiteral("callback 2 for %1").arg(toQString(done.name()));
    });
  });
  v.loop.run_until_complete(waiter);
  COMPARE_LOG(probe.log,
              (QStringList{"callback 1: done=1 at 3ms", "waiter got 1", "callback 2 for t"}));
  // The done callbacks ran as plain callbacks: 2, plus the call_later above and the loop's own
  // stop callback of run_until_complete.
  QCOMPARE(eventsOfKind(v.decoded(), EventKind::CallbackBegin).size(), std::size_t{2 + 2});
}

void tst_Task::doneCallbackOnAFinishedTaskIsScheduledNotCalled()
{
  VirtualLoop v;
  Probe probe;
  Task<int> finished = v.loop.create_task(valueAfter(1ms, 1), "finished");
  v.loop.run_until_complete(finished);
  v.loop.run_until_complete(addCallbackToFinished(probe, finished));
  COMPARE_LOG(probe.log, (QStringList{"after add_done_callback: ran=0", "callback for finished",
                                      "after one iteration: ran=1"}));
}

void tst_Task::awaitSiteInsideAnEngineHelperIsTheCallersLine()
{
  // Queue::get() is a coroutine of the engine's own that suspends inside queue.h; the task's
  // await site is the caller's `co_await queue.get()`, the line a user can act on.
  struct Seen
  {
    unsigned expected = 0;
    unsigned line = 0;
    QString file;
    int got = 0;
  } seen;
  VirtualLoop v;
  v.loop.run_until_complete(
      [](Seen& s) -> Coro<void> {
        Queue<int> queue;
        Task<int> getter = create_task(
            [](Queue<int>& q, unsigned& at) -> Coro<int> {
              at = std::source_location::current().line() + 1;
              co_return co_await q.get();
            }(queue, s.expected),
            "getter");
        co_await sleep(5ms);
        s.line = getter.base().await_site().line();
        s.file = QString::fromUtf8(getter.base().await_site().file_name());
        queue.put_nowait(7);
        s.got = co_await getter;
      }(seen),
      "main");
  QCOMPARE(seen.line, seen.expected);
  QCOMPARE(seen.file, QString::fromUtf8(__FILE__));
  QCOMPARE(seen.got, 7);
}

void tst_Task::awaitSiteIsTheLineOfTheCoAwait()
{
  VirtualLoop v;
  SiteLines lines;
  Task<void> other = v.loop.create_task(sleepFor(20ms), "other");
  Task<void> t = v.loop.create_task(siteRecorder(lines, other), "recorder");

  v.loop.call_later(5ms, [&v] { v.loop.stop(); });
  v.loop.run_forever();
  QCOMPARE(t.base().await_site().line(), lines.sleepLine);
  QCOMPARE(QString::fromUtf8(t.base().await_site().file_name()), QString::fromUtf8(__FILE__));
  QCOMPARE(t.base().awaiting(), AwaitKind::Sleep);

  v.loop.call_later(10ms, [&v] { v.loop.stop(); });  // at 15 ms: awaiting `other`
  v.loop.run_forever();
  QCOMPARE(t.base().await_site().line(), lines.taskLine);
  QCOMPARE(t.base().awaiting(), AwaitKind::Task);
  QCOMPARE(t.base().awaiting_detail(), std::uint64_t{other.id()});

  v.loop.call_later(7ms, [&v] { v.loop.stop(); });  // at 22 ms: in the nested coroutine
  v.loop.run_forever();
  QCOMPARE(t.base().await_site().line(), lines.nestedLine);
  v.loop.run_until_complete(t);

  // The Suspended events name the same sites.
  std::map<std::uint32_t, unsigned> siteLine;
  const auto events = v.decoded();
  for (const auto& d : eventsOfKind(events, EventKind::SiteDefined)) {
    const QStringList parts = QString::fromStdString(d.text).split('\t');
    siteLine[d.ev.site] = parts.value(1).toUInt();
  }
  QList<unsigned> suspendedLines;
  for (const auto& d : eventsOfKind(events, EventKind::Suspended))
    if (d.ev.task == t.id())
      suspendedLines << siteLine[d.ev.site];
  QCOMPARE(suspendedLines, (QList<unsigned>{lines.sleepLine, lines.taskLine, lines.nestedLine}));
}

void tst_Task::creationSiteIsTheLineOfCreateTask()
{
  VirtualLoop v;
  const unsigned line = std::source_location::current().line() + 1;  // the next line
  Task<void> t = v.loop.create_task(nothing(), "t");
  QCOMPARE(t.base().created_at().line(), line);
  QCOMPARE(QString::fromUtf8(t.base().created_at().file_name()), QString::fromUtf8(__FILE__));
  v.loop.run_until_complete(t);
}

void tst_Task::finishedTaskReleasesItsFrame()
{
  VirtualLoop v;
  Task<void> t = v.loop.create_task(holdsCounted(), "holder");
  v.loop.call_soon([&v] { v.loop.stop(); });
  v.loop.run_forever();
  QCOMPARE(Counted::alive(), 1);
  v.loop.run_until_complete(t);
  QCOMPARE(Counted::alive(), 0);  // while the Task handle is still held
  QVERIFY(t.done());
}

QTEST_GUILESS_MAIN(tst_Task)
#include "tst_task.moc"
