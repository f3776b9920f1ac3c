// SPDX-License-Identifier: GPL-3.0-or-later
// ScriptEditor: the script and its modified state, task markers and their tooltips, the selected
// task's band, revealLine, the error marker, the editing keys (auto-indent, Tab / Shift+Tab,
// Ctrl+/, soft Backspace), read-only, the gutter's width and what it paints, mouse and keyboard
// signals, and a 5,000-line script scrolled page by page.

#include <views/pythonhighlighter.h>
#include <views/scripteditor.h>

#include <QElapsedTimer>
#include <QImage>
#include <QLineEdit>
#include <QPalette>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QString>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolTip>
#include <QVBoxLayout>

#include <memory>

using loopscope::views::PythonHighlighter;
using loopscope::views::ScriptEditor;
using loopscope::views::SuspendedTask;

using Tasks = QVector<SuspendedTask>;
using Lines = QVector<int>;
Q_DECLARE_METATYPE(Tasks)
Q_DECLARE_METATYPE(Lines)

class tst_ScriptEditor : public QObject
{
  Q_OBJECT

private slots:
  void setScriptStartsAfresh();
  void modificationIsSignalledAndUndone();
  void markersAndTooltips_data();
  void markersAndTooltips();
  void selectedTaskGetsABandAndIsScrolledTo();
  void selectingAVisibleTaskDoesNotScroll();
  void revealLineMovesTheCursor_data();
  void revealLineMovesTheCursor();
  void errorMarker_data();
  void errorMarker();
  void errorMarkerFollowsItsText();
  void enterKeepsTheIndentation_data();
  void enterKeepsTheIndentation();
  void tabKeys_data();
  void tabKeys();
  void ctrlSlashTogglesComments_data();
  void ctrlSlashTogglesComments();
  void eachEditIsOneUndoStep();
  void readOnlyBlocksEdits();
  void ctrlTabLeavesTheEditor();
  void gutterGrowsWithTheDigits();
  void gutterPaintsMarkers();
  void clickingAMarkerSelectsItsTask();
  void doubleClickAndCtrlEnterActivateTheLine();
  void f8StepsThroughTheMarkers();
  void hoverShowsTheTasks();
  void followsADarkPalette();
  void textIsMonospacedAndUnwrapped();
  void bigScriptScrollsQuickly();
};

namespace {

const QString kSample = QStringLiteral(
    "import asyncio\n"                                      // 1
    "\n"                                                    // 2
    "async def worker(name, queue):\n"                      // 3
    "    while True:\n"                                     // 4
    "        job = await queue.get()\n"                     // 5
    "        await asyncio.sleep(job)\n"                    // 6
    "        queue.task_done()\n"                           // 7
    "\n"                                                    // 8
    "async def main():\n"                                   // 9
    "    queue = asyncio.Queue()\n"                         // 10
    "    async with asyncio.TaskGroup() as tg:\n"           // 11
    "        for i in range(3):\n"                          // 12
    "            tg.create_task(worker(f'w{i}', queue))\n"  // 13
    "\n"                                                    // 14
    "asyncio.run(main())\n");                               // 15

SuspendedTask task(quint32 id, const QString& name, int line, const QString& state)
{
  return SuspendedTask{id, name, line, state};
}

QString numbered(int lines)
{
  QString s;
  for (int i = 1; i <= lines; ++i) {
    s += QStringLiteral("    x%1 = await step(%1)\n").arg(i);
  }
  s.chop(1);
  return s;
}

// A shown editor on the offscreen platform.
struct Shown
{
  std::unique_ptr<ScriptEditor> editor = std::make_unique<ScriptEditor>();

  explicit Shown(const QString& script = kSample, QSize size = QSize(640, 360))
  {
    editor->setScript(script, QStringLiteral("demo.py"));
    editor->resize(size);
    editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(editor.get()));
  }

  [[nodiscard]] QPlainTextEdit* edit() const { return editor->textEdit(); }
  [[nodiscard]] QWidget* gutter() const
  {
    return editor->findChild<QWidget*>(QStringLiteral("scriptGutter"));
  }
  // The vertical centre of `line` in gutter (and viewport) coordinates.
  [[nodiscard]] int yOf(int line) const
  {
    const QTextBlock block = edit()->document()->findBlockByNumber(line - 1);
    return edit()->cursorRect(QTextCursor(block)).center().y();
  }
  [[nodiscard]] int firstVisibleLine() const { return edit()->verticalScrollBar()->value() + 1; }
  [[nodiscard]] bool lineIsVisible(int line) const
  {
    const int y = yOf(line);
    return y >= 0 && y < edit()->viewport()->height();
  }

  // Sets the text from `spec`, where '|' marks the cursor and '^' the selection's anchor.
  void set(QString spec) const
  {
    const auto anchorAt = spec.indexOf(u'^');
    if (anchorAt >= 0) {
      spec.remove(anchorAt, 1);
    }
    const auto cursorAt = spec.indexOf(u'|');
    spec.remove(cursorAt, 1);
    editor->setScript(spec, QStringLiteral("t.py"));
    QTextCursor c(edit()->document());
    c.setPosition(static_cast<int>(anchorAt >= 0 ? (anchorAt > cursorAt ? anchorAt - 1 : anchorAt)
                                                 : cursorAt));
    c.setPosition(static_cast<int>(cursorAt), QTextCursor::KeepAnchor);
    edit()->setTextCursor(c);
  }
  // The text with '|' at the cursor and '^' at the anchor of a selection.
  [[nodiscard]] QString spec() const
  {
    QString text = editor->script();
    const QTextCursor c = edit()->textCursor();
    const int pos = c.position();
    const int anchor = c.anchor();
    if (anchor != pos) {
      text.insert(std::max(pos, anchor), anchor > pos ? u'^' : u'|');
      text.insert(std::min(pos, anchor), anchor > pos ? u'|' : u'^');
    } else {
      text.insert(pos, u'|');
    }
    return text;
  }

  // The full-width bands (ExtraSelections) by line, and the wavy underlines.
  [[nodiscard]] QList<QTextEdit::ExtraSelection> bands() const
  {
    QList<QTextEdit::ExtraSelection> out;
    for (const QTextEdit::ExtraSelection& s : edit()->extraSelections()) {
      if (s.format.boolProperty(QTextFormat::FullWidthSelection)) {
        out << s;
      }
    }
    return out;
  }
  [[nodiscard]] QList<QTextEdit::ExtraSelection> waves() const
  {
    QList<QTextEdit::ExtraSelection> out;
    for (const QTextEdit::ExtraSelection& s : edit()->extraSelections()) {
      if (s.format.underlineStyle() == QTextCharFormat::WaveUnderline) {
        out << s;
      }
    }
    return out;
  }
  [[nodiscard]] bool hasBandOn(int line, const QColor& colour) const
  {
    const QList<QTextEdit::ExtraSelection> all = bands();
    return std::any_of(all.begin(), all.end(), [&](const QTextEdit::ExtraSelection& s) {
      return s.cursor.blockNumber() == line - 1 && s.format.background().color() == colour;
    });
  }
  // The colour of the band the editor puts on line `line` last (painted on top), if any.
  [[nodiscard]] QColor topBandOn(int line) const
  {
    QColor colour;
    for (const QTextEdit::ExtraSelection& s : bands()) {
      if (s.cursor.blockNumber() == line - 1) {
        colour = s.format.background().color();
      }
    }
    return colour;
  }
};

}  // namespace

void tst_ScriptEditor::setScriptStartsAfresh()
{
  ScriptEditor editor;
  QSignalSpy modified(&editor, &ScriptEditor::modificationChanged);
  editor.setScript(kSample, QStringLiteral("/tmp/demo.py"));
  QCOMPARE(editor.script(), kSample);
  QCOMPARE(editor.fileName(), QStringLiteral("/tmp/demo.py"));
  QCOMPARE(editor.lineCount(), 16);
  QCOMPARE(editor.currentLine(), 1);
  QVERIFY(!editor.isModified());
  QCOMPARE(modified.count(), 0);

  editor.setSuspendedTasks({task(2, QStringLiteral("w0"), 5, QStringLiteral("queue.get()"))});
  editor.setSelectedTask(2);
  editor.setErrorMarker(6, 1, QStringLiteral("boom"));
  editor.textEdit()->moveCursor(QTextCursor::End);
  editor.textEdit()->insertPlainText(QStringLiteral("# more\n"));
  QVERIFY(editor.isModified());
  QCOMPARE(editor.selectedTaskLine(), 5);

  // A new script: nothing of the old one's markers, not modified, no undo back into the old one.
  editor.setScript(QStringLiteral("print('hi')\n"), QStringLiteral("b.py"));
  QVERIFY(!editor.isModified());
  QCOMPARE(modified.count(), 2);
  QCOMPARE(modified.last().at(0).toBool(), false);
  QCOMPARE(editor.markerLines(), Lines());
  QCOMPARE(editor.selectedTask(), 0u);
  QCOMPARE(editor.selectedTaskLine(), -1);
  QCOMPARE(editor.errorLine(), -1);
  QCOMPARE(editor.tooltipForLine(1), QString());
  QVERIFY(!editor.textEdit()->document()->isUndoAvailable());
  QCOMPARE(editor.fileName(), QStringLiteral("b.py"));
}

void tst_ScriptEditor::modificationIsSignalledAndUndone()
{
  Shown s;
  QSignalSpy spy(s.editor.get(), &ScriptEditor::modificationChanged);
  QTest::keyClick(s.edit(), Qt::Key_X);
  QVERIFY(s.editor->isModified());
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).toBool(), true);
  QVERIFY(s.editor->script().startsWith(QStringLiteral("ximport")));

  QTest::keyClick(s.edit(), Qt::Key_Z, Qt::ControlModifier);  // undo
  QCOMPARE(s.editor->script(), kSample);
  QVERIFY(!s.editor->isModified());
  QCOMPARE(spy.count(), 2);
  QCOMPARE(spy.at(1).at(0).toBool(), false);

  QTest::keyClick(s.edit(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);  // redo
  QVERIFY(s.editor->script().startsWith(QStringLiteral("ximport")));
  QVERIFY(s.editor->isModified());
  s.editor->setModified(false);  // saved
  QVERIFY(!s.editor->isModified());
  QCOMPARE(spy.count(), 4);
}

void tst_ScriptEditor::markersAndTooltips_data()
{
  QTest::addColumn<Tasks>("tasks");
  QTest::addColumn<Lines>("lines");
  QTest::addColumn<int>("line");
  QTest::addColumn<QString>("tooltip");

  const QString w1 = QStringLiteral("worker-1");
  const QString w2 = QStringLiteral("worker-2");
  QTest::newRow("none") << Tasks() << Lines() << 5 << QString();
  QTest::newRow("one task") << Tasks{task(2, w1, 6, QStringLiteral("sleep(1.0)"))} << Lines{6} << 6
                            << QStringLiteral("worker-1 \u2014 sleep(1.0)");
  QTest::newRow("a line without tasks has no tooltip")
      << Tasks{task(2, w1, 6, QStringLiteral("sleep(1.0)"))} << Lines{6} << 5 << QString();
  QTest::newRow("two on a line, in the order given")
      << Tasks{task(3, w2, 5, QStringLiteral("waiting on Queue")),
               task(2, w1, 5, QStringLiteral("waiting on Queue"))}
      << Lines{5} << 5
      << QStringLiteral("worker-2 \u2014 waiting on Queue\nworker-1 \u2014 waiting on Queue");
  QTest::newRow("lines ascending")
      << Tasks{task(1, QStringLiteral("main"), 11, QStringLiteral("TaskGroup")),
               task(2, w1, 5, QStringLiteral("queue.get()")),
               task(3, w2, 6, QStringLiteral("sleep(0.5)")),
               task(4, QStringLiteral("worker-3"), 5, QStringLiteral("queue.get()"))}
      << Lines{5, 6, 11} << 5
      << QStringLiteral("worker-1 \u2014 queue.get()\nworker-3 \u2014 queue.get()");
  QTest::newRow("lines outside the script are ignored")
      << Tasks{task(1, w1, 0, {}), task(2, w2, -3, {}), task(3, QStringLiteral("x"), 17, {}),
               task(4, QStringLiteral("last"), 16, QStringLiteral("here"))}
      << Lines{16} << 17 << QString();
  QTest::newRow("no name: the task id")
      << Tasks{task(7, {}, 6, QStringLiteral("sleeping"))} << Lines{6} << 6
      << QStringLiteral("task #7 \u2014 sleeping");
  QTest::newRow("no state: the name alone") << Tasks{task(7, w1, 6, {})} << Lines{6} << 6 << w1;
}

void tst_ScriptEditor::markersAndTooltips()
{
  QFETCH(Tasks, tasks);
  QFETCH(Lines, lines);
  QFETCH(int, line);
  QFETCH(QString, tooltip);

  ScriptEditor editor;
  editor.setScript(kSample, QStringLiteral("demo.py"));
  editor.setSuspendedTasks(tasks);
  QCOMPARE(editor.markerLines(), lines);
  QCOMPARE(editor.tooltipForLine(line), tooltip);
  QCOMPARE(editor.suspendedTasks(), tasks);

  editor.clearSuspendedTasks();
  QCOMPARE(editor.markerLines(), Lines());
  QCOMPARE(editor.tooltipForLine(line), QString());
}

void tst_ScriptEditor::selectedTaskGetsABandAndIsScrolledTo()
{
  Shown s(numbered(300));
  const QColor currentLine = s.topBandOn(1);
  QVERIFY(currentLine.isValid());
  s.editor->setSuspendedTasks({task(1, QStringLiteral("a"), 10, QStringLiteral("sleep")),
                               task(2, QStringLiteral("b"), 200, QStringLiteral("sleep"))});
  QCOMPARE(s.firstVisibleLine(), 1);

  s.editor->setSelectedTask(2);
  QCOMPARE(s.editor->selectedTask(), 2u);
  QCOMPARE(s.editor->selectedTaskLine(), 200);
  QVERIFY(s.lineIsVisible(200));
  // Centred: about as many lines above it as below.
  const int visible = s.edit()->viewport()->height() / s.edit()->fontMetrics().height();
  QVERIFY2(std::abs(s.firstVisibleLine() + visible / 2 - 200) <= 2,
           qPrintable(QStringLiteral("first %1 of %2").arg(s.firstVisibleLine()).arg(visible)));
  // A strong band, not the current-line tint; the cursor stays where it was.
  const QColor band = s.topBandOn(200);
  QVERIFY(band.isValid());
  QVERIFY(band != currentLine);
  QCOMPARE(s.editor->currentLine(), 1);

  // The band follows the task, and the view follows the band.
  s.editor->setSuspendedTasks({task(1, QStringLiteral("a"), 10, QStringLiteral("sleep")),
                               task(2, QStringLiteral("b"), 40, QStringLiteral("sleep"))});
  QCOMPARE(s.editor->selectedTaskLine(), 40);
  QVERIFY(s.lineIsVisible(40));
  QVERIFY(s.hasBandOn(40, band));
  QVERIFY(!s.hasBandOn(200, band));

  // Running (not suspended): no band, but still selected for when it suspends again.
  s.editor->setSuspendedTasks({task(1, QStringLiteral("a"), 10, QStringLiteral("sleep"))});
  QCOMPARE(s.editor->selectedTaskLine(), -1);
  QVERIFY(!s.hasBandOn(40, band));
  s.editor->setSuspendedTasks({task(2, QStringLiteral("b"), 250, QStringLiteral("sleep"))});
  QCOMPARE(s.editor->selectedTaskLine(), 250);
  QVERIFY(s.lineIsVisible(250));

  s.editor->setSelectedTask(0);
  QCOMPARE(s.editor->selectedTaskLine(), -1);
  QVERIFY(!s.hasBandOn(250, band));
}

void tst_ScriptEditor::selectingAVisibleTaskDoesNotScroll()
{
  Shown s(numbered(300));
  s.edit()->verticalScrollBar()->setValue(20);
  s.editor->setSuspendedTasks({task(5, QStringLiteral("a"), 24, QStringLiteral("sleep"))});
  s.editor->setSelectedTask(5);
  QCOMPARE(s.editor->selectedTaskLine(), 24);
  QCOMPARE(s.firstVisibleLine(), 21);
}

void tst_ScriptEditor::revealLineMovesTheCursor_data()
{
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("expectedLine");

  QTest::newRow("near") << 3 << 3;
  QTest::newRow("far below") << 250 << 250;
  QTest::newRow("before the first line: the first") << 0 << 1;
  QTest::newRow("after the last line: the last") << 9999 << 300;
}

void tst_ScriptEditor::revealLineMovesTheCursor()
{
  QFETCH(int, line);
  QFETCH(int, expectedLine);

  Shown s(numbered(300));
  QWidget other;
  other.setFocusPolicy(Qt::StrongFocus);
  s.editor->revealLine(line);
  QCOMPARE(s.editor->currentLine(), expectedLine);
  // At the start of the code, past the indentation.
  QCOMPARE(s.edit()->textCursor().positionInBlock(), 4);
  QVERIFY(s.lineIsVisible(expectedLine));
  // Flashed: a band on top of the current-line tint.
  const QColor flash = s.topBandOn(expectedLine);
  QVERIFY(flash.isValid());
  QVERIFY(flash.alpha() > 0);
  QVERIFY(!s.hasBandOn(expectedLine + 1, flash));
  // The flash fades away (checked once: it takes a second and a half).
  if (line == 3) {
    QTRY_VERIFY_WITH_TIMEOUT(s.bands().size() == 1, 3000);
  }
}

void tst_ScriptEditor::errorMarker_data()
{
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("column");
  QTest::addColumn<int>("errorLine");
  QTest::addColumn<QString>("underlined");

  QTest::newRow("from the column to the line's end") << 6 << 15 << 6 << "asyncio.sleep(job)";
  QTest::newRow("column 0: from the first non-blank") << 6 << 0 << 6 << "await asyncio.sleep(job)";
  QTest::newRow("column past the end: the last character") << 6 << 80 << 6 << ")";
  QTest::newRow("an empty line: nothing underlined") << 2 << 1 << 2 << "";
  QTest::newRow("line past the end: the last line") << 99 << 1 << 16 << "";
}

void tst_ScriptEditor::errorMarker()
{
  QFETCH(int, line);
  QFETCH(int, column);
  QFETCH(int, errorLine);
  QFETCH(QString, underlined);

  Shown s;
  const QString message = QStringLiteral("NameError: name 'job' is not defined");
  s.editor->setErrorMarker(line, column, message);
  QCOMPARE(s.editor->errorLine(), errorLine);
  QCOMPARE(s.editor->errorMessage(), message);
  QCOMPARE(s.editor->tooltipForLine(errorLine), message);
  QCOMPARE(s.editor->tooltipForLine(errorLine - 1), QString());

  const QList<QTextEdit::ExtraSelection> waves = s.waves();
  QCOMPARE(waves.size(), 1);
  QCOMPARE(waves.first().cursor.selectedText(), underlined);
  const QColor red = waves.first().format.underlineColor();
  QVERIFY2(red.red() > 2 * red.green() && red.red() > 2 * red.blue(), qPrintable(red.name()));

  // With tasks on the same line, the tooltip lists them, then the error.
  s.editor->setSuspendedTasks({task(1, QStringLiteral("w"), errorLine, QStringLiteral("sleep"))});
  QCOMPARE(s.editor->tooltipForLine(errorLine), QStringLiteral("w \u2014 sleep\n") + message);

  s.editor->clearErrorMarker();
  QCOMPARE(s.editor->errorLine(), -1);
  QCOMPARE(s.waves().size(), 0);
  QCOMPARE(s.editor->tooltipForLine(errorLine), QStringLiteral("w \u2014 sleep"));
}

void tst_ScriptEditor::errorMarkerFollowsItsText()
{
  Shown s;
  s.editor->setErrorMarker(6, 15, QStringLiteral("boom"));
  QTextCursor c(s.edit()->document());
  c.insertText(QStringLiteral("# a new first line\n"));
  QCOMPARE(s.editor->errorLine(), 7);
  QCOMPARE(s.waves().first().cursor.selectedText(), QStringLiteral("asyncio.sleep(job)"));
  QCOMPARE(s.editor->tooltipForLine(7), QStringLiteral("boom"));
  QCOMPARE(s.editor->tooltipForLine(6), QString());
}

void tst_ScriptEditor::enterKeepsTheIndentation_data()
{
  QTest::addColumn<QString>("before");
  QTest::addColumn<QString>("after");

  QTest::newRow("keeps the indentation") << "    x = 1|"
                                         << "    x = 1\n    |";
  QTest::newRow("one level deeper after ':'") << "async def main():|"
                                              << "async def main():\n    |";
  QTest::newRow("':' before a comment") << "    if ready:  # go|"
                                        << "    if ready:  # go\n        |";
  QTest::newRow("'#' in a string is no comment") << "    if s == '#':|"
                                                 << "    if s == '#':\n        |";
  QTest::newRow("':' inside the line only") << "    d = {1: 2}|"
                                            << "    d = {1: 2}\n    |";
  QTest::newRow("one level shallower after return") << "        return x|"
                                                    << "        return x\n    |";
  QTest::newRow("and after pass") << "    pass|"
                                  << "    pass\n|";
  QTest::newRow("returned is not return") << "        returned = 1|"
                                          << "        returned = 1\n        |";
  QTest::newRow("splitting a line drops the blanks after the cursor") << "    foo(a,| b)"
                                                                      << "    foo(a,\n    |b)";
  QTest::newRow("a blank line keeps no blanks") << "    |"
                                                << "\n    |";
  QTest::newRow("inside the indentation") << "  |  x"
                                          << "\n  |x";
  QTest::newRow("replaces a selection") << "    if ^x|:"
                                        << "    if \n    |:";
}

void tst_ScriptEditor::enterKeepsTheIndentation()
{
  QFETCH(QString, before);
  QFETCH(QString, after);
  Shown s{QString()};
  s.set(before);
  QTest::keyClick(s.edit(), Qt::Key_Return);
  QCOMPARE(s.spec(), after);
}

void tst_ScriptEditor::tabKeys_data()
{
  QTest::addColumn<QString>("before");
  QTest::addColumn<int>("key");
  QTest::addColumn<int>("modifiers");
  QTest::addColumn<QString>("after");

  const int tab = Qt::Key_Tab;
  const int backtab = Qt::Key_Backtab;
  const int backspace = Qt::Key_Backspace;
  const int none = Qt::NoModifier;
  const int shift = Qt::ShiftModifier;
  QTest::newRow("Tab: spaces to the next stop") << "ab|" << tab << none << "ab  |";
  QTest::newRow("Tab at the line start") << "|x" << tab << none << "    |x";
  QTest::newRow("Tab indents the selected lines")
      << "^a\nb\nc|" << tab << none << "    ^a\n    b\n    c|";
  QTest::newRow("Tab: a selection ending at a line start leaves that line")
      << "^a\n|b" << tab << none << "    ^a\n|b";
  QTest::newRow("Tab leaves empty lines empty") << "^a\n\nb|" << tab << none << "    ^a\n\n    b|";
  QTest::newRow("Shift+Tab dedents the cursor's line")
      << "        x|" << backtab << shift << "    x|";
  QTest::newRow("Shift+Tab: at most 4 blanks, never text")
      << "  ^a\n      b|\nc" << backtab << shift << "^a\n  b|\nc";
  QTest::newRow("Shift+Tab removes a tab") << "\tx|" << backtab << shift << "x|";
  QTest::newRow("Backspace in the indentation: a whole level")
      << "        |x" << backspace << none << "    |x";
  QTest::newRow("Backspace: back to the previous stop")
      << "      |x" << backspace << none << "    |x";
  QTest::newRow("Backspace after text: one character") << "  a |" << backspace << none << "  a|";
}

void tst_ScriptEditor::tabKeys()
{
  QFETCH(QString, before);
  QFETCH(int, key);
  QFETCH(int, modifiers);
  QFETCH(QString, after);
  Shown s{QString()};
  s.set(before);
  QTest::keyClick(s.edit(), static_cast<Qt::Key>(key), Qt::KeyboardModifiers(modifiers));
  QCOMPARE(s.spec(), after);
  // The focus stays in the editor.
  QVERIFY(s.edit()->hasFocus() || !s.editor->isActiveWindow());
}

void tst_ScriptEditor::ctrlSlashTogglesComments_data()
{
  QTest::addColumn<QString>("before");
  QTest::addColumn<QString>("after");

  QTest::newRow("comments out the cursor's line") << "    x = 1|"
                                                  << "    # x = 1|";
  QTest::newRow("comments in") << "    # x = 1|"
                               << "    x = 1|";
  QTest::newRow("comments in without a space") << "#x|"
                                               << "x|";
  QTest::newRow("at the smallest indentation of the selection") << "^def f():\n    return 1|"
                                                                << "# ^def f():\n#     return 1|";
  QTest::newRow("some lines comments already: all out") << "^# a\nb|"
                                                        << "# ^# a\n# b|";
  QTest::newRow("blank lines stay blank") << "^a\n\nb|"
                                          << "# ^a\n\n# b|";
  QTest::newRow("all comments: all in") << "^# a\n    # b|"
                                        << "^a\n    b|";
  QTest::newRow("only blank lines: nothing") << "  |"
                                             << "  |";
}

void tst_ScriptEditor::ctrlSlashTogglesComments()
{
  QFETCH(QString, before);
  QFETCH(QString, after);
  Shown s{QString()};
  s.set(before);
  QTest::keyClick(s.edit(), Qt::Key_Slash, Qt::ControlModifier);
  QCOMPARE(s.spec(), after);
}

void tst_ScriptEditor::eachEditIsOneUndoStep()
{
  Shown s{QString()};
  const QString text = QStringLiteral("a\nb\nc");
  s.set(QStringLiteral("^a\nb\nc|"));
  QTest::keyClick(s.edit(), Qt::Key_Slash, Qt::ControlModifier);
  QCOMPARE(s.editor->script(), QStringLiteral("# a\n# b\n# c"));
  QTest::keyClick(s.edit(), Qt::Key_Tab);
  QCOMPARE(s.editor->script(), QStringLiteral("    # a\n    # b\n    # c"));
  QTest::keyClick(s.edit(), Qt::Key_Z, Qt::ControlModifier);
  QCOMPARE(s.editor->script(), QStringLiteral("# a\n# b\n# c"));
  QTest::keyClick(s.edit(), Qt::Key_Z, Qt::ControlModifier);
  QCOMPARE(s.editor->script(), text);
  QVERIFY(!s.editor->isModified());

  s.set(QStringLiteral("    if x:|"));
  QTest::keyClick(s.edit(), Qt::Key_Return);
  QTest::keyClick(s.edit(), Qt::Key_Z, Qt::ControlModifier);
  QCOMPARE(s.spec(), QStringLiteral("    if x:|"));
}

void tst_ScriptEditor::readOnlyBlocksEdits()
{
  Shown s;
  s.editor->setReadOnly(true);
  QVERIFY(s.editor->isReadOnly());
  s.edit()->setFocus();
  QTest::keyClicks(s.edit(), QStringLiteral("abc"));
  for (const Qt::Key key : {Qt::Key_Return, Qt::Key_Backspace, Qt::Key_Delete}) {
    QTest::keyClick(s.edit(), key);
  }
  QTest::keyClick(s.edit(), Qt::Key_Slash, Qt::ControlModifier);
  QTest::keyClick(s.edit(), Qt::Key_V, Qt::ControlModifier);
  QCOMPARE(s.editor->script(), kSample);
  QVERIFY(!s.editor->isModified());
  // Still navigable by keyboard.
  QTest::keyClick(s.edit(), Qt::Key_Down);
  QTest::keyClick(s.edit(), Qt::Key_Down);
  QCOMPARE(s.editor->currentLine(), 3);

  s.editor->setReadOnly(false);
  QTest::keyClicks(s.edit(), QStringLiteral("ab"));
  QVERIFY(s.editor->script().contains(QStringLiteral("\nabasync def worker")));
  QVERIFY(s.editor->isModified());
}

void tst_ScriptEditor::ctrlTabLeavesTheEditor()
{
  QWidget window;
  auto* layout = new QVBoxLayout(&window);
  auto* editor = new ScriptEditor;
  auto* next = new QLineEdit;
  layout->addWidget(editor);
  layout->addWidget(next);
  editor->setScript(kSample, QStringLiteral("demo.py"));
  window.show();
  QApplication::setActiveWindow(&window);
  QVERIFY(QTest::qWaitForWindowActive(&window));
  editor->setFocus();
  QVERIFY(editor->textEdit()->hasFocus());

  // Tab indents while editing; Ctrl+Tab moves on.
  QTest::keyClick(editor->textEdit(), Qt::Key_Tab);
  QVERIFY(editor->textEdit()->hasFocus());
  QVERIFY(editor->script().startsWith(QStringLiteral("    import")));
  QTest::keyClick(editor->textEdit(), Qt::Key_Tab, Qt::ControlModifier);
  QVERIFY(next->hasFocus());

  // Read-only, plain Tab moves on as well (there is nothing to indent).
  editor->setFocus();
  editor->setReadOnly(true);
  QTest::keyClick(editor->textEdit(), Qt::Key_Tab);
  QVERIFY(next->hasFocus());
  QVERIFY(editor->script().startsWith(QStringLiteral("    import")));
}

void tst_ScriptEditor::gutterGrowsWithTheDigits()
{
  Shown s(numbered(99));
  const int w99 = s.editor->gutterWidth();
  QCOMPARE(s.gutter()->width(), w99);
  QVERIFY(s.edit()->viewport()->geometry().left() >= w99);

  // Typing the 100th line makes room for a third digit.
  QTextCursor end(s.edit()->document());
  end.movePosition(QTextCursor::End);
  s.edit()->setTextCursor(end);
  QTest::keyClick(s.edit(), Qt::Key_Return);
  QCOMPARE(s.editor->lineCount(), 100);
  const int w100 = s.editor->gutterWidth();
  const int digit = s.edit()->fontMetrics().horizontalAdvance(QLatin1Char('9'));
  QCOMPARE(w100, w99 + digit);
  QCOMPARE(s.gutter()->width(), w100);
  QVERIFY(s.edit()->viewport()->geometry().left() >= w100);

  // Fewer than 10 lines keep room for two digits.
  s.editor->setScript(QStringLiteral("x"), {});
  QCOMPARE(s.editor->gutterWidth(), w99);
}

void tst_ScriptEditor::gutterPaintsMarkers()
{
  Shown s;
  s.editor->setSuspendedTasks({task(2, QStringLiteral("w0"), 5, QStringLiteral("queue.get()")),
                               task(3, QStringLiteral("w1"), 5, QStringLiteral("queue.get()"))});
  s.editor->setErrorMarker(10, 0, QStringLiteral("boom"));
  const QImage image = s.editor->grab().toImage();
  const QPoint origin = s.gutter()->mapTo(s.editor.get(), QPoint(0, 0));
  const int markerColumn = s.editor->gutterWidth() / 2;
  const auto differing = [&](int line, int from, int to) {
    const int y = origin.y() + s.yOf(line);
    const QColor background = image.pixelColor(origin.x() + 1, y);
    int count = 0;
    for (int x = origin.x() + from; x < origin.x() + to; ++x) {
      const QColor c = image.pixelColor(x, y);
      count += std::abs(c.red() - background.red()) + std::abs(c.green() - background.green()) +
                           std::abs(c.blue() - background.blue()) >
                       120
                   ? 1
                   : 0;
    }
    return count;
  };
  // A filled marker on line 5, none on line 4 (whose number is further right).
  QVERIFY2(differing(5, 0, markerColumn / 2) >= 4, "no marker painted on line 5");
  QCOMPARE(differing(4, 0, markerColumn / 2), 0);
  // The error line's number sits in a red box: red even between the digits.
  const int y = origin.y() + s.yOf(10);
  int red = 0;
  for (int x = origin.x() + markerColumn; x < origin.x() + s.editor->gutterWidth() - 1; ++x) {
    const QColor c = image.pixelColor(x, y);
    red += c.red() > 150 && c.green() < 100 && c.blue() < 100 ? 1 : 0;
  }
  QVERIFY2(red >= 4, qPrintable(QStringLiteral("%1 red pixels").arg(red)));
}

void tst_ScriptEditor::clickingAMarkerSelectsItsTask()
{
  Shown s;
  s.editor->setSuspendedTasks({task(5, QStringLiteral("w0"), 5, QStringLiteral("queue.get()")),
                               task(6, QStringLiteral("w1"), 5, QStringLiteral("queue.get()"))});
  QSignalSpy clicked(s.editor.get(), &ScriptEditor::taskClicked);
  QTest::mouseClick(s.gutter(), Qt::LeftButton, {}, QPoint(6, s.yOf(5)));
  QCOMPARE(clicked.count(), 1);
  QCOMPARE(clicked.at(0).at(0).value<quint32>(), 5u);

  // Elsewhere in the gutter: the cursor goes to the line, no task.
  QTest::mouseClick(s.gutter(), Qt::LeftButton, {}, QPoint(6, s.yOf(9)));
  QCOMPARE(clicked.count(), 1);
  QCOMPARE(s.editor->currentLine(), 9);
}

void tst_ScriptEditor::doubleClickAndCtrlEnterActivateTheLine()
{
  Shown s;
  QSignalSpy activated(s.editor.get(), &ScriptEditor::lineActivated);
  const QPoint at(40, s.yOf(6));
  QTest::mouseDClick(s.edit()->viewport(), Qt::LeftButton, {}, at);
  QCOMPARE(activated.count(), 1);
  QCOMPARE(activated.at(0).at(0).toInt(), 6);

  QTest::mouseDClick(s.gutter(), Qt::LeftButton, {}, QPoint(6, s.yOf(11)));
  QCOMPARE(activated.count(), 2);
  QCOMPARE(activated.at(1).at(0).toInt(), 11);

  s.editor->revealLine(3);
  s.editor->setReadOnly(true);  // works while running, too
  QTest::keyClick(s.edit(), Qt::Key_Return, Qt::ControlModifier);
  QCOMPARE(activated.count(), 3);
  QCOMPARE(activated.at(2).at(0).toInt(), 3);
  QCOMPARE(s.editor->script(), kSample);
}

void tst_ScriptEditor::f8StepsThroughTheMarkers()
{
  Shown s;
  s.editor->setReadOnly(true);
  s.editor->setSuspendedTasks({task(4, QStringLiteral("w0"), 6, QStringLiteral("sleep")),
                               task(1, QStringLiteral("main"), 11, QStringLiteral("TaskGroup")),
                               task(5, QStringLiteral("w1"), 6, QStringLiteral("sleep"))});
  QSignalSpy clicked(s.editor.get(), &ScriptEditor::taskClicked);
  QTest::keyClick(s.edit(), Qt::Key_F8);
  QCOMPARE(s.editor->currentLine(), 6);
  QTest::keyClick(s.edit(), Qt::Key_F8);
  QCOMPARE(s.editor->currentLine(), 11);
  QTest::keyClick(s.edit(), Qt::Key_F8);  // wraps around
  QCOMPARE(s.editor->currentLine(), 6);
  QTest::keyClick(s.edit(), Qt::Key_F8, Qt::ShiftModifier);
  QCOMPARE(s.editor->currentLine(), 11);
  QCOMPARE(clicked.count(), 4);
  QCOMPARE(clicked.at(0).at(0).value<quint32>(), 4u);
  QCOMPARE(clicked.at(1).at(0).value<quint32>(), 1u);
  QCOMPARE(clicked.at(2).at(0).value<quint32>(), 4u);
}

void tst_ScriptEditor::hoverShowsTheTasks()
{
  Shown s;
  s.editor->setSuspendedTasks({task(5, QStringLiteral("worker-1"), 5, QStringLiteral("queue"))});
  s.editor->setErrorMarker(9, 0, QStringLiteral("SyntaxError: bad"));

  // Over the text of the line.
  QHelpEvent text(QEvent::ToolTip, QPoint(60, s.yOf(5)),
                  s.edit()->viewport()->mapToGlobal(QPoint(60, s.yOf(5))));
  QApplication::sendEvent(s.edit()->viewport(), &text);
  QTRY_VERIFY(QToolTip::isVisible());
  QVERIFY2(QToolTip::text().contains(QStringLiteral("worker-1 \u2014 queue")),
           qPrintable(QToolTip::text()));

  // Over the gutter: the same, and what a click does.
  QHelpEvent gutter(QEvent::ToolTip, QPoint(6, s.yOf(5)),
                    s.gutter()->mapToGlobal(QPoint(6, s.yOf(5))));
  QApplication::sendEvent(s.gutter(), &gutter);
  QVERIFY2(QToolTip::text().contains(QStringLiteral("worker-1 \u2014 queue")) &&
               QToolTip::text().contains(QStringLiteral("Click to select worker-1")),
           qPrintable(QToolTip::text()));

  // The error line's message.
  QHelpEvent error(QEvent::ToolTip, QPoint(6, s.yOf(9)),
                   s.gutter()->mapToGlobal(QPoint(6, s.yOf(9))));
  QApplication::sendEvent(s.gutter(), &error);
  QVERIFY2(QToolTip::text().contains(QStringLiteral("SyntaxError: bad")),
           qPrintable(QToolTip::text()));

  // A plain line in the gutter says which line it is.
  QHelpEvent plain(QEvent::ToolTip, QPoint(6, s.yOf(2)),
                   s.gutter()->mapToGlobal(QPoint(6, s.yOf(2))));
  QApplication::sendEvent(s.gutter(), &plain);
  QVERIFY2(QToolTip::text().contains(QStringLiteral("Line 2")), qPrintable(QToolTip::text()));
  QToolTip::hideText();
}

void tst_ScriptEditor::followsADarkPalette()
{
  Shown s;
  QVERIFY(!s.editor->highlighter()->isDark());
  const QColor lightKeyword =
      s.editor->highlighter()->roleFormat(PythonHighlighter::Role::Keyword).foreground().color();
  const QImage lightImage = s.editor->grab().toImage();
  const QPoint origin = s.gutter()->mapTo(s.editor.get(), QPoint(1, s.yOf(2)));

  QPalette dark = s.editor->palette();
  dark.setColor(QPalette::Base, QColor(0x1E, 0x1E, 0x1E));
  dark.setColor(QPalette::Text, QColor(0xDD, 0xDD, 0xDD));
  dark.setColor(QPalette::Window, QColor(0x2A, 0x2A, 0x2A));
  dark.setColor(QPalette::WindowText, QColor(0xDD, 0xDD, 0xDD));
  s.editor->setPalette(dark);
  QVERIFY(s.editor->highlighter()->isDark());
  const QColor darkKeyword =
      s.editor->highlighter()->roleFormat(PythonHighlighter::Role::Keyword).foreground().color();
  QVERIFY(darkKeyword != lightKeyword);
  // The document's formats were redone ("import" on line 1 is a keyword).
  const QList<QTextLayout::FormatRange> formats =
      s.edit()->document()->firstBlock().layout()->formats();
  QVERIFY(!formats.isEmpty());
  QCOMPARE(formats.first().format.foreground().color(), darkKeyword);
  // The gutter is dark too.
  const QImage darkImage = s.editor->grab().toImage();
  QVERIFY(lightImage.pixelColor(origin).lightness() > 128);
  QVERIFY(darkImage.pixelColor(origin).lightness() < 128);
}

void tst_ScriptEditor::textIsMonospacedAndUnwrapped()
{
  Shown s(QString(300, u'x'));
  const QFontMetrics fm(s.edit()->font());
  QCOMPARE(fm.horizontalAdvance(QLatin1Char('i')), fm.horizontalAdvance(QLatin1Char('M')));
  QCOMPARE(s.edit()->lineWrapMode(), QPlainTextEdit::NoWrap);
  QVERIFY(s.edit()->horizontalScrollBar()->maximum() > 0);
  QCOMPARE(s.edit()->tabStopDistance(),
           4 * QFontMetricsF(s.edit()->font()).horizontalAdvance(QLatin1Char(' ')));
  // Room for 80 columns next to the gutter.
  QVERIFY(s.editor->sizeHint().width() >=
          80 * fm.horizontalAdvance(QLatin1Char('M')) + s.editor->gutterWidth());
  QVERIFY(s.editor->sizeHint().height() >= 20 * fm.lineSpacing());
}

void tst_ScriptEditor::bigScriptScrollsQuickly()
{
  QString script;
  for (int i = 0; i < 500; ++i) {
    script += QStringLiteral(
                  "async def worker_%1(queue):\n"
                  "    \"\"\"Takes jobs,\n"
                  "    one at a time.\"\"\"\n"
                  "    while True:\n"
                  "        job = await queue.get()  # waits here\n"
                  "        print(f'worker-%1 got {job!r}')\n"
                  "        await asyncio.sleep(0.5)\n"
                  "        queue.task_done()\n"
                  "\n"
                  "\n")
                  .arg(i);
  }
  QElapsedTimer timer;
  timer.start();
  Shown s(script, QSize(800, 600));
  Tasks tasks;
  for (quint32 i = 0; i < 500; ++i) {
    tasks.append(task(i + 1, QStringLiteral("worker-%1").arg(i), static_cast<int>(10 * i + 5),
                      QStringLiteral("queue.get()")));
  }
  s.editor->setSuspendedTasks(tasks);
  const qint64 load = timer.restart();
  QScrollBar* bar = s.edit()->verticalScrollBar();
  int pages = 0;
  for (int v = 0; v <= bar->maximum(); v += bar->pageStep()) {
    bar->setValue(v);
    s.editor->repaint();
    ++pages;
  }
  const qint64 scroll = timer.elapsed();
  qInfo("5,000 lines: loaded and highlighted in %lld ms, %d pages painted in %lld ms", load, pages,
        scroll);
  QCOMPARE(s.editor->markerLines().size(), 500);
  QVERIFY(pages > 50);
  // Generous bounds for a debug build under sanitizers.
  QVERIFY2(load < 5000, qPrintable(QString::number(load)));
  QVERIFY2(scroll < 40 * pages + 3000, qPrintable(QString::number(scroll)));
}

QTEST_MAIN(tst_ScriptEditor)
#include "tst_scripteditor.moc"
