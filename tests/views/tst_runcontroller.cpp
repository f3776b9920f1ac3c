// SPDX-License-Identifier: GPL-3.0-or-later
// RunController: what each toolbar/menu action does to the engine and the models. The main
// window's actions are one call each on this class, so these tests drive what a click does.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/engine.h>
#include <engine/scenarios.h>
#include <views/enginesession.h>
#include <views/logmodel.h>
#include <views/runcontroller.h>
#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>

#include <QFile>
#include <QObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace loopscope::engine;
using loopscope::views::EngineSession;
using loopscope::views::RunController;
using loopscope::views::TaskState;
using loopscope::views::TimelineModel;

class tst_RunController : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void defaultScenarioIsGracefulShutdown();
  void runFillsTheModelsFromAFreshLoop();
  void restartStartsFromNothing();
  void aBurstIsAllInTheModelsWhenFinishedFires();
  void nextDrainLimit_data();
  void nextDrainLimit();
  void stopCancelsMainThenAbandons();
  void cancelTaskReachesTheSelectedTask();
  void signalButtons_data();
  void signalButtons();
  void unhandledSignalEndsTheRunAsAProcessWouldEnd();
  void exportedTraceOpensAgain();
  void corruptTraceIsRejectedAndTheRunKept();
  void unknownScenarioIsRefused();
  void retentionKeepsALongRunBounded();
};

namespace {

std::uint32_t taskNamed(const TimelineModel& model, const std::string& name)
{
  for (std::size_t i = 0; i < model.taskCount(); ++i) {
    if (model.taskAt(i).name == name) {
      return model.taskAt(i).id;
    }
  }
  return 0;
}

std::size_t countKind(const TimelineModel& model, EventKind kind)
{
  return static_cast<std::size_t>(
      std::count_if(model.events().begin(), model.events().end(),
                    [kind](const DecodedEvent& e) { return e.ev.kind == kind; }));
}

// Graceful shutdown in real time that runs until told to stop, with quick cleanups.
void longGracefulShutdown(RunController& c)
{
  QVERIFY(c.setScenario(QStringLiteral("graceful-shutdown")));
  c.setValues({{"workers", 3}, {"run_for", 60}, {"cleanup", 0.1}, {"grace", 5}});
  c.setVirtualTime(false);
}

}  // namespace

void tst_RunController::initTestCase()
{
  // A stray signal must not end the test run (the app installs its own bridge likewise).
  std::signal(SIGTERM, SIG_IGN);
}

void tst_RunController::defaultScenarioIsGracefulShutdown()
{
  RunController c;
  QVERIFY(c.scenario() != nullptr);
  QCOMPARE(QString::fromStdString(c.scenario()->id), QStringLiteral("graceful-shutdown"));
  QVERIFY(!c.isRunning());
}

void tst_RunController::runFillsTheModelsFromAFreshLoop()
{
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("wait-for")));
  c.setVirtualTime(true);
  QSignalSpy finished(&c, &RunController::finished);
  QSignalSpy updated(&c, &RunController::updated);
  c.run();
  QVERIFY(c.isRunning());
  QVERIFY(finished.wait(20'000));
  QVERIFY(!c.isRunning());
  QVERIFY(updated.count() >= 1);
  QVERIFY(c.model().taskCount() >= 2);
  QCOMPARE(c.taskTable()->rowCount(), static_cast<int>(c.model().taskCount()));
  QVERIFY(c.log()->rowCount() > 0);
  QVERIFY(!c.model().timeouts().empty());
  QCOMPARE(c.model().events().front().ev.seq, std::uint64_t{0});
}

void tst_RunController::aBurstIsAllInTheModelsWhenFinishedFires()
{
  // 3,000 tasks created in one step: tens of thousands of events, which go into the models a
  // drain at a time (each at most the session's drain limit; the rest waits in the engine's
  // queue). finished() comes once every one of them is in.
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("many-tasks")));
  c.setValues({{"count", 3000}, {"max_sleep", 0.5}});
  c.setVirtualTime(true);
  QSignalSpy finished(&c, &RunController::finished);
  QSignalSpy updated(&c, &RunController::updated);
  // This slot runs after the controller's, which may have set the limit for the next drain.
  std::size_t limit = EngineSession::kMaxDrainEvents;
  std::size_t drains = 0;
  std::size_t overLimit = 0;
  connect(&c.session(), &EngineSession::eventsReady, this,
          [&](const std::vector<loopscope::engine::DecodedEvent>& events) {
            ++drains;
            overLimit += events.size() > limit + 1 ? 1 : 0;  // +1: an event held for its text
            limit = c.session().drainLimit();
          });
  c.run();
  // Start low: the controller raises the limit again as it times its appends.
  c.session().setDrainLimit(EngineSession::kMinDrainEvents);
  limit = EngineSession::kMinDrainEvents;
  QVERIFY(finished.wait(30'000));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(overLimit, std::size_t{0});
  QVERIFY(drains >= 3);
  QCOMPARE(c.session().queuedEvents(), std::size_t{0});
  QVERIFY(c.session().eventCount() > 20'000);
  QCOMPARE(c.model().events().size(), static_cast<std::size_t>(c.session().eventCount()));
  QCOMPARE(c.model().taskCount(), std::size_t{3002});  // main, the jobs and the progress task
  QVERIFY(updated.count() >= 3);                       // the burst went in over several frames
  QVERIFY(!c.log()->hasPending());
  const int rows = c.log()->rowCount();
  c.log()->reload();  // formatting everything at once gives the same log
  QCOMPARE(c.log()->rowCount(), rows);
  QCOMPARE(c.taskTable()->rowCount(), 3002);
}

void tst_RunController::nextDrainLimit_data()
{
  QTest::addColumn<qulonglong>("limit");
  QTest::addColumn<qulonglong>("events");
  QTest::addColumn<qlonglong>("tookNs");
  QTest::addColumn<qulonglong>("next");
  const auto lo = qulonglong{EngineSession::kMinDrainEvents};
  const auto hi = qulonglong{EngineSession::kMaxDrainEvents};
  const auto budget = qlonglong{RunController::kIngestBudgetNs};
  // Too few events to time: the limit stays, however slow they were.
  QTest::newRow("small drain") << qulonglong{20000} << lo - 1 << budget * 100 << qulonglong{20000};
  // Exactly on budget: the rate says "this many", the average keeps it.
  QTest::newRow("on budget") << qulonglong{8192} << qulonglong{8192} << budget << qulonglong{8192};
  // Ten times the budget: what fits is a tenth; halfway there from the old limit.
  QTest::newRow("ten times over") << hi << qulonglong{65530} << budget * 10 << (hi + 6553) / 2;
  // A quarter of the budget: four times as many fit; halfway there.
  QTest::newRow("quick") << qulonglong{4096} << qulonglong{4096} << budget / 4
                         << qulonglong{(4096 + 16384) / 2};
  QTest::newRow("never above the most") << hi << hi << qlonglong{1} << hi;
  QTest::newRow("no time measured") << lo << lo << qlonglong{0} << hi;
  QTest::newRow("never below the least") << lo << lo << budget * 1000 << lo;
}

void tst_RunController::nextDrainLimit()
{
  QFETCH(qulonglong, limit);
  QFETCH(qulonglong, events);
  QFETCH(qlonglong, tookNs);
  QFETCH(qulonglong, next);
  QCOMPARE(qulonglong{RunController::nextDrainLimit(limit, events, tookNs)}, next);
}

void tst_RunController::restartStartsFromNothing()
{
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("sequential-vs-gather")));
  c.setVirtualTime(true);
  QSignalSpy finished(&c, &RunController::finished);
  QSignalSpy reset(&c, &RunController::modelReset);
  c.run();
  QVERIFY(finished.wait(20'000));
  const std::size_t firstTasks = c.model().taskCount();
  const std::size_t firstEvents = c.model().events().size();
  c.run();
  QCOMPARE(reset.count(), 2);
  QVERIFY(finished.wait(20'000));
  // The same deterministic run again: nothing carried over.
  QCOMPARE(c.model().taskCount(), firstTasks);
  QCOMPARE(c.model().events().size(), firstEvents);
  QCOMPARE(c.model().taskAt(0).id, std::uint32_t{1});
}

void tst_RunController::stopCancelsMainThenAbandons()
{
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("swallowed-cancel")));
  // The culprit swallows, and no grace deadline would ever end the shutdown... but Stop does.
  c.setValues({{"workers", 2}, {"culprit", 1}, {"run_for", 60}, {"cleanup", 0.1}, {"grace", 60}});
  QSignalSpy finished(&c, &RunController::finished);
  c.run();
  QTRY_VERIFY(taskNamed(c.model(), "worker-1") != 0);
  c.stop();
  QVERIFY(c.isStopping());
  const std::uint32_t main = taskNamed(c.model(), "main");
  QTRY_VERIFY(std::any_of(c.model().cancels().begin(), c.model().cancels().end(),
                          [main](const auto& link) { return link.target == main; }));
  c.stop();  // the shutdown hangs on the culprit: abandon
  QCOMPARE(finished.count(), 1);
  QVERIFY(finished.at(0).at(0).toString().startsWith(QStringLiteral("abandoned")));
  QVERIFY(!c.isRunning());
  QVERIFY(c.model().taskCount() > 0);  // what happened stays on screen
}

void tst_RunController::cancelTaskReachesTheSelectedTask()
{
  RunController c;
  longGracefulShutdown(c);
  c.run();
  QTRY_VERIFY(taskNamed(c.model(), "worker-2") != 0);
  const std::uint32_t worker = taskNamed(c.model(), "worker-2");
  QVERIFY(c.cancelTask(worker, QStringLiteral("from the toolbar")));
  QTRY_VERIFY(c.model().task(worker)->ended != loopscope::views::kNever);
  QCOMPARE(c.model().task(worker)->state, loopscope::views::TaskState::Cancelled);
  QVERIFY(!c.model().cancels().empty());
  QCOMPARE(c.model().cancels().front().target, worker);
  QCOMPARE(c.model().text(c.model().cancels().front().message), std::string("from the toolbar"));
  c.stop();
  c.stop();
}

void tst_RunController::signalButtons_data()
{
  QTest::addColumn<int>("signum");
  QTest::newRow("SIGINT") << int(SIGINT);
  QTest::newRow("SIGTERM") << int(SIGTERM);
}

void tst_RunController::signalButtons()
{
  QFETCH(int, signum);
  RunController c;
  longGracefulShutdown(c);
  QSignalSpy finished(&c, &RunController::finished);
  QVERIFY(!c.sendSignal(signum));  // nothing running: refused
  c.run();
  QTRY_VERIFY(countKind(c.model(), EventKind::Suspended) >= 4);
  QVERIFY(c.sendSignal(signum));
  QVERIFY(finished.wait(20'000));
  // The scenario's own handler took it: the stop event, then every worker cleaned up.
  QCOMPARE(countKind(c.model(), EventKind::SignalReceived), std::size_t{1});
  QCOMPARE(c.session().exitStatus(), kExitOk);
  for (const char* name : {"worker-1", "worker-2", "worker-3"}) {
    const auto* t = c.model().task(taskNamed(c.model(), name));
    QVERIFY(t != nullptr);
    QCOMPARE(t->state, loopscope::views::TaskState::Cancelled);
  }
}

void tst_RunController::unhandledSignalEndsTheRunAsAProcessWouldEnd()
{
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("worker-cancel")));
  c.setValues({{"cancel_after", 30}});
  QSignalSpy finished(&c, &RunController::finished);
  c.run();
  QTRY_VERIFY(c.model().taskCount() >= 2);
  c.unhandledSignal(SIGTERM);
  QCOMPARE(finished.count(), 1);
  QVERIFY2(finished.at(0).at(0).toString().contains(QStringLiteral("terminated by SIGTERM")),
           qPrintable(finished.at(0).at(0).toString()));
  QVERIFY(!c.isRunning());
}

void tst_RunController::exportedTraceOpensAgain()
{
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("gather-vs-taskgroup")));
  c.setVirtualTime(true);
  QSignalSpy finished(&c, &RunController::finished);
  c.run();
  QVERIFY(finished.wait(20'000));
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("run.json"));
  QString error;
  QVERIFY2(c.exportTrace(path, &error), qPrintable(error));

  RunController other;
  QSignalSpy reset(&other, &RunController::modelReset);
  QVERIFY2(other.openTrace(path, &error), qPrintable(error));
  QCOMPARE(reset.count(), 1);
  QCOMPARE(other.model().events().size(), c.model().events().size());
  QCOMPARE(other.model().taskCount(), c.model().taskCount());
  QCOMPARE(other.taskTable()->rowCount(), static_cast<int>(c.model().taskCount()));
  QCOMPARE(other.sourceDescription(), QStringLiteral("run.json"));
  QVERIFY(!other.isRunning());
}

void tst_RunController::corruptTraceIsRejectedAndTheRunKept()
{
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("timeout")));
  c.setVirtualTime(true);
  QSignalSpy finished(&c, &RunController::finished);
  c.run();
  QVERIFY(finished.wait(20'000));
  const std::size_t events = c.model().events().size();
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("bad.json"));
  {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"traceEvents\": [ {\"ph\": \"X\", ");
  }
  QString error;
  QVERIFY(!c.openTrace(path, &error));
  QVERIFY2(error.contains(QStringLiteral("bad.json")), qPrintable(error));
  QCOMPARE(c.model().events().size(), events);
}

void tst_RunController::unknownScenarioIsRefused()
{
  RunController c;
  const auto* before = c.scenario();
  QVERIFY(!c.setScenario(QStringLiteral("no-such-scenario")));
  QCOMPARE(c.scenario(), before);
}

// The soak scenario on the virtual clock (two minutes of loop time, 200 jobs a second) with the
// last 10 s kept: the models hold the recent past only, the table and the log follow the cuts,
// and a second run keeps the setting.
void tst_RunController::retentionKeepsALongRunBounded()
{
  RunController c;
  QVERIFY(c.setScenario(QStringLiteral("soak")));
  c.setValues({{"duration", 120}, {"rate", 200}});
  c.setVirtualTime(true);
  c.setRetention({10'000'000'000, 0});
  for (int run = 0; run < 2; ++run) {
    QSignalSpy finished(&c, &RunController::finished);
    c.run();
    QVERIFY(finished.wait(120'000));
    const TimelineModel& m = c.model();
    QCOMPARE(m.retention().keepNs, std::int64_t{10'000'000'000});
    QVERIFY(m.trims() > 5);
    QVERIFY2(m.dropped().tasks > 15'000, qPrintable(QString::number(m.dropped().tasks)));
    QVERIFY2(m.taskCount() < 4000, qPrintable(QString::number(m.taskCount())));
    QVERIFY(m.endTime() - m.retainedFrom() < 12'000'000'000);
    QCOMPARE(m.events().size(), static_cast<std::size_t>(c.session().eventCount()));
    QCOMPARE(c.taskTable()->rowCount(), static_cast<int>(m.taskCount()));
    QVERIFY(c.log()->rowCount() > 0);
    QVERIFY(c.log()->index(0, 0).data(loopscope::views::LogModel::EventIndexRole).toULongLong() >=
            m.firstEvent());
  }
}

QTEST_GUILESS_MAIN(tst_RunController)
#include "tst_runcontroller.moc"
