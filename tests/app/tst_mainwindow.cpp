// SPDX-License-Identifier: GPL-3.0-or-later
// Each toolbar action and shortcut of the main window reaches the engine: Run/Restart, Stop,
// Cancel task (with its message), SIGINT and SIGTERM; the log's task and kind filters. Real
// runs on the real clock, waited for with QTRY_* (conditions, not sleeps).
#include "mainwindow.h"

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "windowtestsupport.h"

#include <engine/event.h>
#include <views/enginesession.h>
#include <views/logmodel.h>
#include <views/runcontroller.h>
#include <views/scenariopanel.h>
#include <views/timelinemodel.h>

#include <QAbstractItemModel>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <csignal>

using loopscope::app::MainWindow;
using loopscope::engine::EventKind;
using loopscope::testsupport::action;
using loopscope::testsupport::taskNamed;
using loopscope::views::EngineSession;
using loopscope::views::LogModel;
using loopscope::views::RunController;
using loopscope::views::ScenarioPanel;
using loopscope::views::TaskState;
using loopscope::views::TimelineModel;

class tst_MainWindow : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void actionsHaveTheirShortcuts_data();
  void actionsHaveTheirShortcuts();
  void keepHistoryMenuAndRetentionOption_data();
  void keepHistoryMenuAndRetentionOption();
  void runActionStartsTheFormsScenarioAndRestartStartsAfresh();
  void cancelActionCancelsTheSelectedTaskWithTheMessage();
  void signalActionsSendARealSignal_data();
  void signalActionsSendARealSignal();
  void stopActionCancelsMainThenAbandons();
  void logFiltersBySelectedTaskAndKind();
  void anOpenedTraceIsNamedUntilTheNextRun();
  void theStatusSaysWhenTheViewIsBehindTheEngine();
};

namespace {

std::size_t countKind(const TimelineModel& m, EventKind kind)
{
  return static_cast<std::size_t>(std::count_if(
      m.events().begin(), m.events().end(),
      [kind](const loopscope::engine::DecodedEvent& e) { return e.ev.kind == kind; }));
}

// Picks a scenario and fills its form as a user would; the Run action reads the form.
void setUp(MainWindow& w, const char* scenario, const loopscope::engine::scenarios::Values& values)
{
  QVERIFY(w.selectScenario(QString::fromLatin1(scenario)));
  auto* panel = w.findChild<ScenarioPanel*>();
  QVERIFY(panel != nullptr);
  panel->setValues(values);
}

// Stops a run still going (first Stop cancels main, the second abandons).
void finish(MainWindow& w)
{
  if (w.controller().isRunning())
    action(w, "stopAction")->trigger();
  if (w.controller().isRunning())
    action(w, "stopAction")->trigger();
  QTRY_VERIFY(!w.controller().isRunning());
}

}  // namespace

void tst_MainWindow::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);  // QSettings go to a test location
}

void tst_MainWindow::actionsHaveTheirShortcuts_data()
{
  QTest::addColumn<QString>("name");
  QTest::addColumn<QKeySequence>("key");
  QTest::newRow("run") << "runAction" << QKeySequence(Qt::CTRL | Qt::Key_R);
  QTest::newRow("stop") << "stopAction" << QKeySequence(Qt::Key_Escape);
  QTest::newRow("cancel") << "cancelTaskAction" << QKeySequence(Qt::Key_Delete);
  QTest::newRow("sigint") << "sigintAction" << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C);
  QTest::newRow("sigterm") << "sigtermAction" << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T);
  QTest::newRow("follow") << "followAction" << QKeySequence(Qt::Key_F);
  QTest::newRow("fit") << "zoomFitAction" << QKeySequence(Qt::CTRL | Qt::Key_0);
  QTest::newRow("export image") << "exportImageAction" << QKeySequence(Qt::CTRL | Qt::Key_E);
  QTest::newRow("export trace") << "exportTraceAction"
                                << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E);
  QTest::newRow("open trace") << "openTraceAction"
                              << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O);
  QTest::newRow("open script") << "openScriptAction" << QKeySequence(QKeySequence::Open);
  QTest::newRow("save script") << "saveScriptAction" << QKeySequence(QKeySequence::Save);
  QTest::newRow("save script as") << "saveScriptAsAction"
                                  << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S);
  QTest::newRow("run (F5)") << "runAction" << QKeySequence(Qt::Key_F5);
  QTest::newRow("log: selected task")
      << "logSelectedOnlyAction" << QKeySequence(Qt::CTRL | Qt::Key_L);
}

void tst_MainWindow::actionsHaveTheirShortcuts()
{
  QFETCH(QString, name);
  QFETCH(QKeySequence, key);
  const MainWindow w;
  const QAction* a = action(w, name.toLatin1().constData());
  QVERIFY2(a->shortcuts().contains(key), qPrintable(a->shortcut().toString()));
  QVERIFY2(!a->toolTip().isEmpty(), qPrintable(name));
}

void tst_MainWindow::keepHistoryMenuAndRetentionOption_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("checked");  // the menu entry checked afterwards; empty: refused
  QTest::addColumn<QString>("status");   // in the status bar
  QTest::newRow("a menu choice") << "5m"
                                 << "Last 5 min"
                                 << "keeping last 5 min";
  QTest::newRow("the same, written otherwise") << "300 s"
                                               << "Last 5 min"
                                               << "keeping last 5 min";
  QTest::newRow("events") << "1M ev"
                          << "Last 1,000,000 events"
                          << "keeping last 1,000,000 events";
  QTest::newRow("not in the menu: an entry of its own") << "90s"
                                                        << "Last 90 s"
                                                        << "keeping last 90 s";
  QTest::newRow("off") << "off"
                       << "Everything"
                       << "";
  QTest::newRow("bad: refused, the choice kept") << "5 parsecs"
                                                 << ""
                                                 << "";
}

void tst_MainWindow::keepHistoryMenuAndRetentionOption()
{
  QFETCH(QString, text);
  QFETCH(QString, checked);
  QFETCH(QString, status);
  MainWindow w;
  QVERIFY(w.setRetention(QStringLiteral("15m")));
  QString error;
  const bool ok = w.setRetention(text, &error);
  QCOMPARE(ok, !checked.isEmpty());
  auto* menu = w.findChild<QMenu*>(QStringLiteral("retentionMenu"));
  QVERIFY(menu != nullptr);
  QString on;
  for (QAction* a : menu->actions()) {
    if (a->isChecked()) {
      QVERIFY2(on.isEmpty(), "one choice at a time");
      on = a->text().remove(QLatin1Char('&'));
    }
  }
  if (!ok) {
    QVERIFY2(error.contains(QStringLiteral("unknown unit 'parsecs'")), qPrintable(error));
    QCOMPARE(on, QStringLiteral("Last 15 min"));
    QCOMPARE(w.controller().retention().keepNs, std::int64_t{900'000'000'000});
    return;
  }
  QCOMPARE(on, checked);
  if (status.isEmpty())
    QVERIFY2(!w.statusBar()->findChild<QLabel*>()->text().contains(QStringLiteral("keeping")),
             qPrintable(w.statusBar()->findChild<QLabel*>()->text()));
  else
    QVERIFY2(w.statusBar()->findChild<QLabel*>()->text().contains(status),
             qPrintable(w.statusBar()->findChild<QLabel*>()->text()));
}

void tst_MainWindow::runActionStartsTheFormsScenarioAndRestartStartsAfresh()
{
  MainWindow w;
  // The app opens on the graceful-shutdown scenario, not running.
  QCOMPARE(QString::fromStdString(w.controller().scenario()->id),
           QStringLiteral("graceful-shutdown"));
  QVERIFY(!w.controller().isRunning());
  QVERIFY(!action(w, "stopAction")->isEnabled());
  setUp(w, "graceful-shutdown", {{"workers", 2}, {"run_for", 60}, {"cleanup", 0.1}});
  QSignalSpy reset(&w.controller(), &RunController::modelReset);
  action(w, "runAction")->trigger();
  QVERIFY(w.controller().isRunning());
  QVERIFY(action(w, "stopAction")->isEnabled());
  // The form's value reached the engine: two workers, no third.
  QTRY_VERIFY(taskNamed(w.controller().model(), "worker-2") != 0);
  QCOMPARE(taskNamed(w.controller().model(), "worker-3"), 0u);
  const std::uint32_t firstWorker = taskNamed(w.controller().model(), "worker-1");

  // Restart: a fresh loop; the models start again from nothing.
  action(w, "runAction")->trigger();
  QCOMPARE(reset.count(), 2);
  QVERIFY(w.controller().isRunning());
  QTRY_VERIFY(taskNamed(w.controller().model(), "worker-1") != 0);
  QCOMPARE(taskNamed(w.controller().model(), "worker-1"), firstWorker);  // ids start over
  QCOMPARE(w.controller().model().events().front().ev.seq, std::uint64_t{0});
  finish(w);
}

void tst_MainWindow::cancelActionCancelsTheSelectedTaskWithTheMessage()
{
  MainWindow w;
  setUp(w, "graceful-shutdown", {{"workers", 3}, {"run_for", 60}, {"cleanup", 0.1}});
  action(w, "runAction")->trigger();
  QTRY_VERIFY(taskNamed(w.controller().model(), "worker-3") != 0);
  QVERIFY(!action(w, "cancelTaskAction")->isEnabled());  // nothing selected yet
  QVERIFY(w.selectTaskByName(QStringLiteral("worker-3")));
  QVERIFY(action(w, "cancelTaskAction")->isEnabled());
  w.findChild<QLineEdit*>(QStringLiteral("cancelMessage"))->setText(QStringLiteral("enough"));
  action(w, "cancelTaskAction")->trigger();

  const TimelineModel& m = w.controller().model();
  const std::uint32_t worker = taskNamed(m, "worker-3");
  QTRY_VERIFY(m.task(worker)->state == TaskState::Cancelled);
  QCOMPARE(m.cancels().size(), std::size_t{1});
  QCOMPARE(m.cancels().front().target, worker);
  QCOMPARE(m.cancels().front().requester, 0u);  // from outside any task: the toolbar
  QCOMPARE(m.text(m.cancels().front().message), std::string("enough"));
  // The others go on.
  QCOMPARE(m.task(taskNamed(m, "worker-1"))->ended, loopscope::views::kNever);
  finish(w);
}

void tst_MainWindow::signalActionsSendARealSignal_data()
{
  QTest::addColumn<QString>("name");
  QTest::addColumn<int>("signum");
  QTest::newRow("SIGINT") << "sigintAction" << int(SIGINT);
  QTest::newRow("SIGTERM") << "sigtermAction" << int(SIGTERM);
}

void tst_MainWindow::signalActionsSendARealSignal()
{
  QFETCH(QString, name);
  QFETCH(int, signum);
  MainWindow w;
  setUp(w, "graceful-shutdown", {{"workers", 2}, {"run_for", 60}, {"cleanup", 0.1}});
  QVERIFY(!action(w, name.toLatin1().constData())->isEnabled());  // nothing to signal
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QTRY_VERIFY(countKind(w.controller().model(), EventKind::Suspended) >= 3);
  QVERIFY(action(w, name.toLatin1().constData())->isEnabled());
  action(w, name.toLatin1().constData())->trigger();
  QVERIFY(finished.wait(20'000));
  // The scenario's loop.add_signal_handler got it: one SignalReceived naming the signal, then
  // the graceful shutdown cancelled both workers and ended with status 0.
  const TimelineModel& m = w.controller().model();
  const auto received = std::find_if(m.events().begin(), m.events().end(), [](const auto& e) {
    return e.ev.kind == EventKind::SignalReceived;
  });
  QVERIFY(received != m.events().end());
  QCOMPARE(static_cast<int>(received->ev.arg), signum);
  QCOMPARE(m.task(taskNamed(m, "worker-1"))->state, TaskState::Cancelled);
  QCOMPARE(m.task(taskNamed(m, "worker-2"))->state, TaskState::Cancelled);
  QCOMPARE(w.controller().session().exitStatus(), 0);
}

void tst_MainWindow::stopActionCancelsMainThenAbandons()
{
  MainWindow w;
  // A worker swallows its CancelledError and nothing ends the shutdown but Stop.
  setUp(w, "swallowed-cancel",
        {{"workers", 2}, {"culprit", 1}, {"run_for", 60}, {"cleanup", 0.1}, {"grace", 60}});
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QTRY_VERIFY(taskNamed(w.controller().model(), "worker-2") != 0);
  action(w, "stopAction")->trigger();
  const TimelineModel& m = w.controller().model();
  const std::uint32_t main = taskNamed(m, "main");
  QTRY_VERIFY(std::any_of(m.cancels().begin(), m.cancels().end(),
                          [main](const auto& c) { return c.target == main; }));
  QVERIFY(w.controller().isRunning());  // held up by the culprit
  action(w, "stopAction")->trigger();
  QCOMPARE(finished.count(), 1);
  QVERIFY(finished.at(0).at(0).toString().startsWith(QStringLiteral("abandoned")));
  QVERIFY(!action(w, "stopAction")->isEnabled());
  QVERIFY(m.taskCount() > 0);  // what happened stays on screen
}

void tst_MainWindow::logFiltersBySelectedTaskAndKind()
{
  MainWindow w;
  setUp(w, "worker-cancel", {{"cancel_after", 0.3}, {"cleanup", 0.1}});
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QVERIFY(finished.wait(20'000));
  const auto* log = w.findChild<QTableView*>(QStringLiteral("logView"))->model();
  const int all = log->rowCount();
  QVERIFY(all > 5);
  const auto tasksShown = [log] {
    QSet<quint32> ids;
    for (int r = 0; r < log->rowCount(); ++r)
      ids.insert(log->index(r, 0).data(LogModel::TaskIdRole).toUInt());
    return ids;
  };
  QVERIFY(tasksShown().size() >= 2);

  // Ctrl+L: the selected task's rows only, and it follows the selection.
  QVERIFY(w.selectTaskByName(QStringLiteral("worker")));
  const quint32 worker = taskNamed(w.controller().model(), "worker");
  action(w, "logSelectedOnlyAction")->trigger();
  QCOMPARE(tasksShown(), QSet<quint32>{worker});
  QVERIFY(w.selectTaskByName(QStringLiteral("main")));
  QCOMPARE(tasksShown(), QSet<quint32>{taskNamed(w.controller().model(), "main")});
  action(w, "logSelectedOnlyAction")->trigger();
  QCOMPARE(log->rowCount(), all);

  // Kinds: without "Printed output" no print row is left; "Show all kinds" brings them back.
  auto* menu = w.findChild<QToolButton*>(QStringLiteral("logKindsButton"))->menu();
  QAction* prints = nullptr;
  QAction* showAll = nullptr;
  for (QAction* a : menu->actions()) {
    if (a->text() == QStringLiteral("Printed output"))
      prints = a;
    if (a->text() == QStringLiteral("Show all kinds"))
      showAll = a;
  }
  QVERIFY(prints != nullptr && showAll != nullptr);
  const auto printRows = [log] {
    int n = 0;
    for (int r = 0; r < log->rowCount(); ++r)
      n += log->index(r, 0).data(LogModel::KindRole).toInt() == int(EventKind::Print) ? 1 : 0;
    return n;
  };
  const int printed = printRows();
  QVERIFY(printed > 0);
  prints->trigger();  // unchecks
  QCOMPARE(printRows(), 0);
  QCOMPARE(log->rowCount(), all - printed);
  showAll->trigger();
  QCOMPARE(log->rowCount(), all);
}

void tst_MainWindow::anOpenedTraceIsNamedUntilTheNextRun()
{
  MainWindow w;
  setUp(w, "worker-cancel", {{"cancel_after", 0.2}, {"cleanup", 0.1}});
  w.controller().setVirtualTime(true);
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QVERIFY(finished.wait(20'000));
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("saved.json"));
  QString error;
  QVERIFY2(w.controller().exportTrace(path, &error), qPrintable(error));
  const std::size_t events = w.controller().model().events().size();

  auto* panel = w.findChild<ScenarioPanel*>();
  QVERIFY(panel->notice().isEmpty());
  QVERIFY2(w.openTraceFile(path, &error), qPrintable(error));
  QCOMPARE(w.controller().model().events().size(), events);
  // The form still shows the picked scenario; the panel and the title say what is on screen.
  QVERIFY(panel->notice().contains(QStringLiteral("saved.json")));
  QVERIFY(w.windowTitle().startsWith(QStringLiteral("saved.json")));
  action(w, "runAction")->trigger();
  QVERIFY(panel->notice().isEmpty());
  QCOMPARE(w.windowTitle(), QStringLiteral("loopscope"));
  QVERIFY(finished.wait(20'000));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"

void tst_MainWindow::theStatusSaysWhenTheViewIsBehindTheEngine()
{
  // 3,000 tasks created in one step on the virtual clock: some 30,000 events at once, and the
  // lowest drain limit, so the first drains leave most of them in the engine's queue. The status
  // bar then says how many are still queued (at least a drain's worth; the engine may have
  // queued more since, never fewer: only the GUI takes from the queue), and nothing of it once
  // the run has finished.
  MainWindow w;
  setUp(w, "many-tasks", {{"count", 3000}, {"max_sleep", 0.5}});
  w.controller().setVirtualTime(true);
  auto* status = w.statusBar()->findChild<QLabel*>();
  QVERIFY(status != nullptr);
  const QRegularExpression queuedText(QStringLiteral("(\\d+) events still queued"));
  int shown = 0;
  QString wrong;
  connect(&w.controller(), &RunController::updated, this, [&] {
    const QRegularExpressionMatch m = queuedText.match(status->text());
    if (!m.hasMatch())
      return;
    ++shown;
    const auto said = m.captured(1).toULongLong();
    const std::size_t queued = w.controller().session().queuedEvents();
    if (said < EngineSession::kMinDrainEvents || said > queued || !w.controller().isRunning())
      wrong = status->text() + QStringLiteral(" (queued now: %1)").arg(queued);
  });
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  w.controller().session().setDrainLimit(EngineSession::kMinDrainEvents);
  QVERIFY(finished.wait(30'000));
  QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
  QVERIFY(shown > 0);
  QVERIFY2(!status->text().contains(QStringLiteral("queued")), qPrintable(status->text()));
  QVERIFY2(status->text().contains(QStringLiteral("3002 tasks")), qPrintable(status->text()));
}
