// SPDX-License-Identifier: GPL-3.0-or-later
// Python scripts in the app: File > Open script into the Script dock, Run (virtual time for
// determinism, real time where the test must act while tasks wait), the script's tasks in the
// task table, its stdout/stderr in the log in order, the dock read-only while it runs, the
// lines where tasks are suspended, selection both ways, the toolbar's Cancel task / Stop /
// SIGINT / SIGTERM on a script, a syntax error marked in the editor, saving, and the examples.
// Waits are QTRY_* conditions, never sleeps.
#include "mainwindow.h"
#include "scriptcatalog.h"

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "windowtestsupport.h"

#include <engine/event.h>
#include <views/enginesession.h>
#include <views/inspectorwidget.h>
#include <views/logmodel.h>
#include <views/runcontroller.h>
#include <views/scripteditor.h>
#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>
#include <views/timelinewidget.h>

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using loopscope::app::MainWindow;
using loopscope::testsupport::action;
using loopscope::testsupport::taskNamed;
using loopscope::views::LogModel;
using loopscope::views::RunController;
using loopscope::views::ScriptEditor;
using loopscope::views::TaskState;
using loopscope::views::TaskTableModel;
using loopscope::views::TimelineModel;

class tst_ScriptDock : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void runsTheScriptShowingItsTasksAndOutputInOrder();
  void runUsesTheEditorsTextAndTheDockIsReadOnlyMeanwhile();
  void suspendedTasksAreMarkedAndSelectionGoesBothWays();
  void cancelActionCancelsANamedScriptTask();
  void stopCancelsMainThenAbandons();
  void sigintAndSigtermReachTheScript_data();
  void sigintAndSigtermReachTheScript();
  void aSyntaxErrorIsMarkedAtItsLine();
  void saveWritesTheEditorsTextAtomically();
  void theExamplesAreListedAndRun_data();
  void theExamplesAreListedAndRun();

private:
  QTemporaryDir m_dir;
  QString write(const char* name, const QByteArray& text);
};

namespace {

// The log's output rows, "<kind>|<task>|<message>" (kind print or stderr), top to bottom.
QStringList output(const LogModel& log)
{
  QStringList rows;
  for (int r = 0; r < log.rowCount(); ++r) {
    const QString kind = log.index(r, LogModel::KindColumn).data().toString();
    if (kind != QLatin1String("print") && kind != QLatin1String("stderr"))
      continue;
    rows << kind + QLatin1Char('|') + log.index(r, LogModel::TaskColumn).data().toString() +
                QLatin1Char('|') + log.index(r, LogModel::MessageColumn).data().toString();
  }
  return rows;
}

// Just the messages of output(), for a quick contains().
QStringList messages(const LogModel& log)
{
  QStringList out;
  for (const QString& row : output(log))
    out << row.section(QLatin1Char('|'), 2);
  return out;
}

QStringList tableNames(const TaskTableModel& table)
{
  QStringList names;
  for (int r = 0; r < table.rowCount(); ++r)
    names << table.index(r, TaskTableModel::NameColumn).data().toString();
  return names;
}

// A script whose task "sleeper" waits on line 6 until it is cancelled.
const QByteArray kSleeper = R"(import asyncio


async def sleeper():
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError as e:
        print("sleeper cancelled:", e.args[0] if e.args else "-")
        raise


async def main():
    task = asyncio.create_task(sleeper(), name="sleeper")
    try:
        await task
    except asyncio.CancelledError:
        print("main saw the cancellation")


asyncio.run(main())
)";
constexpr int kSleeperLine = 6;

}  // namespace

void tst_ScriptDock::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);  // QSettings go to a test location
  QVERIFY(m_dir.isValid());
}

QString tst_ScriptDock::write(const char* name, const QByteArray& text)
{
  const QString path = m_dir.filePath(QString::fromLatin1(name));
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
    qFatal("cannot write %s", qPrintable(path));
  return path;
}

void tst_ScriptDock::runsTheScriptShowingItsTasksAndOutputInOrder()
{
  const QString path = write("order.py", R"(import asyncio
import sys


async def worker(name, delay):
    print(f"{name} starts")
    await asyncio.sleep(delay)
    print(f"{name} ends")


async def main():
    print("main begins")
    await asyncio.gather(
        asyncio.create_task(worker("alpha", 1), name="alpha"),
        asyncio.create_task(worker("beta", 2), name="beta"),
    )
    print("main ends")


print("module code first")
asyncio.run(main())
print("after asyncio.run")
print("a warning", file=sys.stderr)
)");
  MainWindow w;
  QString error;
  QVERIFY2(w.openScriptFile(path, &error), qPrintable(error));
  QVERIFY(w.scriptPicked());
  QCOMPARE(w.scriptEditor()->fileName(), path);
  QVERIFY(w.scriptEditor()->script().contains(QStringLiteral("main begins")));
  QVERIFY(!w.findChild<QDockWidget*>(QStringLiteral("scriptDock"))->isHidden());

  w.controller().setVirtualTime(true);
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QVERIFY(w.controller().isScriptRun());
  QVERIFY(finished.wait(20'000));

  QCOMPARE(
      tableNames(*w.controller().taskTable()),
      (QStringList{QStringLiteral("Task-1"), QStringLiteral("alpha"), QStringLiteral("beta")}));
  // stdout and stderr in the order printed, each line on the task that printed it (module
  // code prints outside any task: "loop").
  QCOMPARE(
      output(*w.controller().log()),
      (QStringList{
          QStringLiteral("print|loop|module code first"),
          QStringLiteral("print|Task-1|main begins"), QStringLiteral("print|alpha|alpha starts"),
          QStringLiteral("print|beta|beta starts"), QStringLiteral("print|alpha|alpha ends"),
          QStringLiteral("print|beta|beta ends"), QStringLiteral("print|Task-1|main ends"),
          QStringLiteral("print|loop|after asyncio.run"),
          QStringLiteral("stderr|loop|a warning")}));
  // The output sits in the stream by loop time: "alpha ends" at 1 s.
  const TimelineModel& m = w.controller().model();
  const std::uint32_t alpha = taskNamed(m, "alpha");
  QCOMPARE(m.task(alpha)->state, TaskState::Done);
  QCOMPARE(w.controller().session().exitStatus(), 0);
  QVERIFY2(w.controller().lastOutcome().endsWith(QStringLiteral("exit status 0")),
           qPrintable(w.controller().lastOutcome()));
  // A trace of the run exports and reads back (one increasing sequence for all events).
  QString traceError;
  const QString trace = m_dir.filePath(QStringLiteral("order.json"));
  QVERIFY2(w.controller().exportTrace(trace, &traceError), qPrintable(traceError));
  QVERIFY2(w.openTraceFile(trace, &traceError), qPrintable(traceError));
  QCOMPARE(output(*w.controller().log()).size(), 9);
}

void tst_ScriptDock::runUsesTheEditorsTextAndTheDockIsReadOnlyMeanwhile()
{
  MainWindow w;
  QVERIFY(w.openScriptFile(write("edited.py", "print('as saved')\n")));
  ScriptEditor* editor = w.scriptEditor();
  QVERIFY(!editor->isReadOnly());
  // An unsaved edit: Run runs what the dock shows.
  editor->textEdit()->selectAll();
  QTest::keyClicks(editor->textEdit(), QStringLiteral("print('as edited')"));
  QVERIFY(editor->isModified());
  w.controller().setVirtualTime(true);
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QVERIFY(editor->isReadOnly());  // from the start of the run
  QVERIFY(finished.wait(20'000));
  QVERIFY(!editor->isReadOnly());  // editable again once it has ended
  QCOMPARE(messages(*w.controller().log()), QStringList{QStringLiteral("as edited")});
  QVERIFY(editor->isModified());  // running does not save
}

void tst_ScriptDock::suspendedTasksAreMarkedAndSelectionGoesBothWays()
{
  MainWindow w;
  QVERIFY(w.openScriptFile(write("sleeper.py", kSleeper)));
  ScriptEditor* editor = w.scriptEditor();
  action(w, "runAction")->trigger();  // real time: the sleeper waits until cancelled
  const TimelineModel& m = w.controller().model();
  QTRY_VERIFY(taskNamed(m, "sleeper") != 0);
  const std::uint32_t sleeper = taskNamed(m, "sleeper");
  QTRY_VERIFY(editor->markerLines().contains(kSleeperLine));
  const auto tasks = editor->suspendedTasks();
  const auto marked = std::find_if(tasks.begin(), tasks.end(),
                                   [sleeper](const auto& t) { return t.taskId == sleeper; });
  QVERIFY(marked != tasks.end());
  QCOMPARE(marked->line, kSleeperLine);
  QCOMPARE(marked->name, QStringLiteral("sleeper"));

  // App -> dock: selecting the task lights its line.
  QVERIFY(w.selectTaskByName(QStringLiteral("sleeper")));
  QCOMPARE(editor->selectedTask(), sleeper);
  QCOMPARE(editor->selectedTaskLine(), kSleeperLine);
  // Dock -> app: a click on a gutter marker selects its task everywhere.
  QVERIFY(w.selectTaskByName(QStringLiteral("Task-1")));
  QCOMPARE(w.timeline()->selectedTask(), taskNamed(m, "Task-1"));
  emit editor->taskClicked(sleeper);
  QCOMPARE(w.timeline()->selectedTask(), sleeper);
  QCOMPARE(editor->selectedTask(), sleeper);
  // An await clicked on the timeline, or a site link in the inspector, shows its line.
  const std::uint32_t site = m.task(sleeper)->awaitSite;
  QVERIFY(site != 0);
  editor->revealLine(1);
  emit w.timeline()->siteClicked(site);
  QCOMPARE(editor->currentLine(), kSleeperLine);
  editor->revealLine(1);
  emit w.findChild<loopscope::views::InspectorWidget*>()->siteActivated(site);
  QCOMPARE(editor->currentLine(), kSleeperLine);

  // Once the text no longer is what ran, the markers go (their lines would be wrong).
  action(w, "stopAction")->trigger();
  QTRY_VERIFY(!w.controller().isRunning());
  QTextCursor cursor(editor->textEdit()->document());
  cursor.insertText(QStringLiteral("# a new first line\n"));
  QVERIFY(editor->markerLines().isEmpty());
}

void tst_ScriptDock::cancelActionCancelsANamedScriptTask()
{
  MainWindow w;
  QVERIFY(w.openScriptFile(write("cancel.py", kSleeper)));
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  const TimelineModel& m = w.controller().model();
  QTRY_VERIFY(taskNamed(m, "sleeper") != 0 &&
              m.task(taskNamed(m, "sleeper"))->state == TaskState::Suspended);
  QVERIFY(w.selectTaskByName(QStringLiteral("sleeper")));
  QVERIFY(action(w, "cancelTaskAction")->isEnabled());
  w.findChild<QLineEdit*>(QStringLiteral("cancelMessage"))->setText(QStringLiteral("from the app"));
  action(w, "cancelTaskAction")->trigger();
  QVERIFY(finished.wait(20'000));
  QCOMPARE(m.task(taskNamed(m, "sleeper"))->state, TaskState::Cancelled);
  QCOMPARE(messages(*w.controller().log()),
           (QStringList{QStringLiteral("sleeper cancelled: from the app"),
                        QStringLiteral("main saw the cancellation")}));
  QCOMPARE(w.controller().session().exitStatus(), 0);
}

void tst_ScriptDock::stopCancelsMainThenAbandons()
{
  // main swallows its cancellation and goes on waiting: only abandoning ends it.
  MainWindow w;
  QVERIFY(w.openScriptFile(write("stubborn.py", R"(import asyncio


async def main():
    while True:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            print("main ignores the cancellation")


asyncio.run(main())
)")));
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  const TimelineModel& m = w.controller().model();
  QTRY_VERIFY(taskNamed(m, "Task-1") != 0 &&
              m.task(taskNamed(m, "Task-1"))->state == TaskState::Suspended);
  action(w, "stopAction")->trigger();  // cancels main (the first task of asyncio.run)
  QTRY_VERIFY(
      messages(*w.controller().log()).contains(QStringLiteral("main ignores the cancellation")));
  QVERIFY(w.controller().isRunning());
  QCOMPARE(m.cancels().size(), std::size_t{1});
  QCOMPARE(m.cancels().front().target, taskNamed(m, "Task-1"));
  action(w, "stopAction")->trigger();  // abandons
  QCOMPARE(finished.count(), 1);
  QVERIFY(finished.at(0).at(0).toString().startsWith(QStringLiteral("abandoned")));
  QVERIFY(!w.controller().isRunning());
  QVERIFY(!w.scriptEditor()->isReadOnly());
  // And a new run starts at once.
  w.controller().setVirtualTime(true);
  QVERIFY(w.openScriptFile(write("quick.py", "print('next run')\n")));
  action(w, "runAction")->trigger();
  QVERIFY(finished.wait(20'000));
  QCOMPARE(messages(*w.controller().log()), QStringList{QStringLiteral("next run")});
}

void tst_ScriptDock::sigintAndSigtermReachTheScript_data()
{
  QTest::addColumn<QString>("name");
  QTest::addColumn<int>("status");
  QTest::addColumn<QString>("printed");
  // SIGINT: asyncio.run's own handling cancels main, then KeyboardInterrupt: status 130.
  QTest::newRow("SIGINT") << "sigintAction" << 130 << "main cancelled";
  // SIGTERM: the script's loop.add_signal_handler sets its stop event.
  QTest::newRow("SIGTERM") << "sigtermAction" << 0 << "got SIGTERM";
}

void tst_ScriptDock::sigintAndSigtermReachTheScript()
{
  QFETCH(QString, name);
  QFETCH(int, status);
  QFETCH(QString, printed);
  MainWindow w;
  QVERIFY(w.openScriptFile(write("signals.py", R"(import asyncio
import signal


async def main():
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, lambda: (print("got SIGTERM"), stop.set()))
    try:
        await stop.wait()
    except asyncio.CancelledError:
        print("main cancelled")
        raise
    loop.remove_signal_handler(signal.SIGTERM)


asyncio.run(main())
)")));
  QSignalSpy finished(&w.controller(), &RunController::finished);
  QVERIFY(!action(w, name.toLatin1().constData())->isEnabled());
  action(w, "runAction")->trigger();
  const TimelineModel& m = w.controller().model();
  QTRY_VERIFY(taskNamed(m, "Task-1") != 0 &&
              m.task(taskNamed(m, "Task-1"))->state == TaskState::Suspended);
  QVERIFY(action(w, name.toLatin1().constData())->isEnabled());
  action(w, name.toLatin1().constData())->trigger();
  QVERIFY(finished.wait(20'000));
  QVERIFY2(messages(*w.controller().log()).contains(printed),
           qPrintable(messages(*w.controller().log()).join(QLatin1Char('\n'))));
  QCOMPARE(w.controller().session().exitStatus(), status);
}

void tst_ScriptDock::aSyntaxErrorIsMarkedAtItsLine()
{
  MainWindow w;
  QVERIFY(w.openScriptFile(write("broken.py", R"(import asyncio

print("never printed")
async def main(:
    pass
)")));
  w.controller().setVirtualTime(true);
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QVERIFY(finished.wait(20'000));
  QCOMPARE(w.scriptEditor()->errorLine(), 4);
  QVERIFY2(w.scriptEditor()->errorMessage().contains(QStringLiteral("SyntaxError")),
           qPrintable(w.scriptEditor()->errorMessage()));
  const auto session = w.controller().session().scriptOutcome();
  QVERIFY(session.parseFailed);
  QCOMPARE(session.errorLine, 4);
  QCOMPARE(w.controller().session().exitStatus(), 1);
  // The log has CPython's report on stderr, and nothing of the script ran.
  const QStringList out = output(*w.controller().log());
  QVERIFY(!out.isEmpty());
  QVERIFY(std::all_of(out.begin(), out.end(),
                      [](const QString& r) { return r.startsWith(QLatin1String("stderr|")); }));
  QVERIFY2(out.last().contains(QStringLiteral("SyntaxError")), qPrintable(out.join('\n')));
  QVERIFY(w.controller().lastOutcome().contains(QStringLiteral("did not parse")));
  // A fixed script runs and the marker goes.
  QTextCursor cursor = w.scriptEditor()->textEdit()->document()->find(QStringLiteral("main(:"));
  cursor.insertText(QStringLiteral("main():"));
  action(w, "runAction")->trigger();
  QVERIFY(finished.wait(20'000));
  QCOMPARE(w.scriptEditor()->errorLine(), -1);
  QCOMPARE(messages(*w.controller().log()), QStringList{QStringLiteral("never printed")});
}

void tst_ScriptDock::saveWritesTheEditorsTextAtomically()
{
  MainWindow w;
  const QString path = write("save.py", "print(1)\n");
  QVERIFY(w.openScriptFile(path));
  QTextCursor cursor(w.scriptEditor()->textEdit()->document());
  cursor.movePosition(QTextCursor::End);
  cursor.insertText(QStringLiteral("print(2)\n"));
  QVERIFY(w.scriptEditor()->isModified());
  QString error;
  QVERIFY2(w.saveScriptFile(path, &error), qPrintable(error));
  QVERIFY(!w.scriptEditor()->isModified());
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), QByteArray("print(1)\nprint(2)\n"));
  // A directory that does not exist: refused with the reason, the old file untouched.
  QVERIFY(!w.saveScriptFile(m_dir.filePath(QStringLiteral("missing/dir/x.py")), &error));
  QVERIFY(error.contains(QStringLiteral("x.py")));
  // Save as: the dock's script becomes the new file.
  const QString copy = m_dir.filePath(QStringLiteral("copy.py"));
  QVERIFY(w.saveScriptFile(copy, &error));
  QCOMPARE(w.scriptName(), copy);
}

void tst_ScriptDock::theExamplesAreListedAndRun_data()
{
  QTest::addColumn<QString>("id");
  QTest::addColumn<bool>("virtualTime");
  QTest::addColumn<int>("status");
  QTest::addColumn<QString>("lastLine");
  QTest::newRow("timeouts") << "timeouts.py" << true << 0 << "success";
  QTest::newRow("wait_for") << "wait_for.py" << true << 0 << "search: gave up after 1.5 s";
  QTest::newRow("cancellation") << "cancellation.py" << true << 0
                                << "main: the worker is cancelled: True";
  QTest::newRow("graceful_shutdown") << "graceful_shutdown.py" << true << 0 << "service closed";
  // The grace deadline of its header (3 s) ends the held shutdown: status 124.
  QTest::newRow("swallowed_cancel") << "swallowed_cancel.py" << true << 124 << "";
  QTest::newRow("blocking_call") << "blocking_call.py" << true << 0 << "blocker: done";
  QTest::newRow("sequential_vs_gather")
      << "sequential_vs_gather.py" << true << 0 << "gather: 1.5 s";
  QTest::newRow("gather_vs_taskgroup")
      << "gather_vs_taskgroup.py" << true << 0 << "  TaskGroup raised: ValueError('t-bad failed')";
  QTest::newRow("wait_first_completed")
      << "wait_first_completed.py" << true << 0 << "archive: request cancelled";
  // Real threads: meant for the real clock.
  QTest::newRow("to_thread") << "to_thread.py" << false << 0 << "heartbeat kept ticking: True";
}

void tst_ScriptDock::theExamplesAreListedAndRun()
{
  QFETCH(QString, id);
  QFETCH(bool, virtualTime);
  QFETCH(int, status);
  QFETCH(QString, lastLine);
  QCOMPARE(loopscope::app::scriptCatalog().size(), 10);
  const auto* script = loopscope::app::findCatalogScript(id);
  QVERIFY(script != nullptr);
  QVERIFY(!script->header.title.isEmpty());
  QVERIFY(!script->header.description.isEmpty());
  MainWindow w;
  auto* combo = w.findChild<QComboBox*>(QStringLiteral("scenarioCombo"));
  QVERIFY(combo->findData(QStringLiteral("script:") + id) >= 0);
  QVERIFY(w.selectScenario(id));
  QVERIFY(w.scriptPicked());
  QCOMPARE(w.scriptName(), id);
  QCOMPARE(w.scriptEditor()->script(), loopscope::app::catalogScriptText(*script));
  w.controller().setVirtualTime(virtualTime);
  QSignalSpy finished(&w.controller(), &RunController::finished);
  action(w, "runAction")->trigger();
  QVERIFY(finished.wait(30'000));
  QCOMPARE(w.controller().session().exitStatus(), status);
  const QStringList out = messages(*w.controller().log());
  if (!lastLine.isEmpty()) {
    QVERIFY(!out.isEmpty());
    QCOMPARE(out.last(), lastLine);
  }
  // Picking a native scenario again runs that, not the script.
  QVERIFY(w.selectScenario(QStringLiteral("timeout")));
  QVERIFY(!w.scriptPicked());
}

QTEST_MAIN(tst_ScriptDock)
#include "tst_scriptdock.moc"
