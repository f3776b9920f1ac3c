// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QSize>
#include <QString>
#include <QTextCursor>
#include <QVector>
#include <QWidget>

class QPlainTextEdit;
class QVariantAnimation;

namespace loopscope::views {

class PythonHighlighter;

// A task of the running script, suspended at an await.
struct SuspendedTask
{
  quint32 taskId = 0;
  QString name;   // "worker-1"; empty: shown as "task #<id>"
  int line = 0;   // 1-based line of the script where it is suspended
  QString state;  // what it waits for: "sleep(1.0)", "waiting on Queue"
  friend bool operator==(const SuspendedTask&, const SuspendedTask&) = default;
};

// The code view: a Python script to read and edit, and, while it runs, where its tasks are.
//
// Text: a fixed-pitch font, no line wrap, tabs shown 4 columns wide, Python syntax colouring
// (PythonHighlighter, light or dark colours following the palette), the cursor's line lit.
// Editing: Enter keeps the line's indentation (4 more after a line ending in ':', 4 fewer after
// return/pass/raise/break/continue); Tab and Shift+Tab indent and dedent the selected lines by 4
// spaces (Tab without a selection inserts spaces to the next multiple of 4); Backspace in the
// indentation removes up to the previous multiple of 4; Ctrl+/ comments the selected lines out
// with "# " or back in; every one of these is one undo step (Ctrl+Z, Ctrl+Shift+Z).
// Gutter, left of the text: line numbers (as many digits as the line count needs, at least two),
// a filled circle on every line where tasks are suspended (the count in it when more than one;
// a ring around it when the selected task is among them), and the error line's number in red.
// Clicking a circle selects its first task (taskClicked); clicking elsewhere in the gutter puts
// the cursor on that line.
// Keyboard: F8 / Shift+F8 move to the next / previous line with suspended tasks, select its first
// task (taskClicked) and show its tooltip; Ctrl+Enter activates the cursor's line
// (lineActivated, like a double click); Ctrl+Tab / Ctrl+Shift+Tab leave the editor (so do Tab
// and Shift+Tab while it is read-only).
// Hovering a line (gutter or text) with tasks or the error shows tooltipForLine().
class ScriptEditor : public QWidget
{
  Q_OBJECT

public:
  explicit ScriptEditor(QWidget* parent = nullptr);
  ~ScriptEditor() override;

  // --- The script ---

  // Replaces the text (cursor at the start, undo history cleared, not modified) and forgets the
  // task markers, the selected task and the error marker, which belonged to the old text.
  // `fileName` is only remembered, for the app's title and saving.
  void setScript(const QString& text, const QString& fileName);
  [[nodiscard]] QString script() const;
  [[nodiscard]] QString fileName() const { return m_fileName; }
  // Whether the text changed since setScript() or setModified(false) (e.g. after saving). Undoing
  // back to that point makes it unmodified again. Changes are signalled by modificationChanged.
  [[nodiscard]] bool isModified() const;
  void setModified(bool modified);
  // While a run goes on the app makes the script read-only: it can still be read, scrolled,
  // selected, copied and navigated by keyboard, but typing changes nothing (a tooltip says so).
  void setReadOnly(bool readOnly);
  [[nodiscard]] bool isReadOnly() const;
  [[nodiscard]] int lineCount() const;
  // The cursor's line, 1-based.
  [[nodiscard]] int currentLine() const;

  // --- Where tasks are ---

  // Shows a marker on every line where one or more of `tasks` are suspended (lines outside the
  // script are ignored). The lines are taken as they are: the app clears the markers when the
  // text no longer matches the run. Setting the same list again costs almost nothing.
  void setSuspendedTasks(const QVector<SuspendedTask>& tasks);
  void clearSuspendedTasks();
  [[nodiscard]] const QVector<SuspendedTask>& suspendedTasks() const noexcept { return m_tasks; }
  // The lines with a task marker, ascending.
  [[nodiscard]] QVector<int> markerLines() const;
  // Lights the line where task `taskId` is suspended with a full-width band and scrolls it into
  // view (centred when it was off-screen); the band follows the task as setSuspendedTasks()
  // moves it, scrolling again when its line changes. 0 selects nothing. Does not move the cursor.
  void setSelectedTask(quint32 taskId);
  [[nodiscard]] quint32 selectedTask() const noexcept { return m_selectedTask; }
  // The line of the band, or -1 when the selected task is not suspended on a line of the script.
  [[nodiscard]] int selectedTaskLine() const;

  // Moves the cursor to the start of the code on `line` (1-based, clamped to the script), scrolls
  // it into view (centred when it was off-screen) and flashes the line. Keeps the focus where it
  // is (the user clicked an await marker on the timeline).
  void revealLine(int line);

  // --- Errors ---

  // Marks an error at `line` (1-based) from `column` (1-based, like SyntaxError.offset; < 1: from
  // the first non-blank character) to the end of the line with a red wavy underline, and the
  // line's number in red with `message` as its tooltip. The marker stays with its text as the
  // user edits. One error at a time: a new one replaces the old.
  void setErrorMarker(int line, int column, const QString& message);
  void clearErrorMarker();
  // The error's line now (it moves with edits above it), or -1 when there is none.
  [[nodiscard]] int errorLine() const;
  [[nodiscard]] QString errorMessage() const { return m_errorMessage; }

  // --- For the app and tests ---

  // What hovering `line` shows: one row per task suspended there ("worker-1 — sleep(1.0)", in
  // the order given), then the error message if the error is on that line; empty otherwise.
  [[nodiscard]] QString tooltipForLine(int line) const;
  // The gutter's width in pixels (it grows with the number of digits of the line count).
  [[nodiscard]] int gutterWidth() const;
  // The text area, e.g. for focus, find or zoom. Change the text through setScript() so that
  // markers and the modified state stay right.
  [[nodiscard]] QPlainTextEdit* textEdit() const;
  [[nodiscard]] PythonHighlighter* highlighter() const noexcept { return m_highlighter; }

  // About 80 columns by 25 lines, gutter included.
  [[nodiscard]] QSize sizeHint() const override;
  [[nodiscard]] QSize minimumSizeHint() const override;

signals:
  // The text became modified, or unmodified again (undo, setScript, setModified).
  void modificationChanged(bool modified);
  // The user clicked a task marker in the gutter (or reached it with F8): its first task.
  void taskClicked(quint32 taskId);
  // The user double-clicked `line` (1-based), in the text or the gutter, or pressed Ctrl+Enter.
  void lineActivated(int line);

private:
  class Edit;
  class Gutter;

  // A gutter marker: the tasks suspended on one line, prepared when the tasks are set so that
  // painting allocates nothing.
  struct LineMarker
  {
    int line = 0;
    quint32 firstTask = 0;
    int count = 0;
    QString countText;  // empty for a single task
    QString tooltip;
    bool selected = false;
  };

  // Colours derived from the palette (light or dark by its Base colour).
  struct Colours
  {
    QColor gutter;
    QColor lineNumber;
    QColor currentLineNumber;
    QColor currentLine;
    QColor selectedBand;
    QColor flash;
    QColor marker;
    QColor markerText;
    QColor markerRing;
    QColor error;
    QColor errorText;
  };

  void reportModified(bool modified);
  void applyPalette();
  void applyFont();
  void updateGutterWidth();
  void updateExtraSelections();
  void rebuildMarkers();
  // Scrolls the text so that `line` is visible: not at all if it is, centred if it is not.
  void scrollToLine(int line);
  [[nodiscard]] const LineMarker* markerAt(int line) const;
  // Moves to the next (+1) or previous (-1) marker line after the cursor's, wrapping around.
  void gotoMarker(int direction);
  void showLineTooltip(int line, const QPoint& globalPos, QWidget* widget);

  Edit* m_edit = nullptr;
  Gutter* m_gutter = nullptr;
  PythonHighlighter* m_highlighter = nullptr;
  QVariantAnimation* m_flash = nullptr;
  QString m_fileName;
  bool m_loading = false;           // setScript() is replacing the text
  bool m_reportedModified = false;  // as modificationChanged last said
  Colours m_colours;

  QVector<SuspendedTask> m_tasks;
  QVector<LineMarker> m_markers;  // by line
  quint32 m_selectedTask = 0;
  int m_selectedLine = -1;  // where the selected task is, even beyond the script's end
  int m_flashLine = -1;
  qreal m_flashStrength = 0;

  QTextCursor m_error;  // selects the underlined text; null: no error
  QString m_errorMessage;
};

}  // namespace loopscope::views
