// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <views/timelinemodel.h>

#include <QElapsedTimer>
#include <QString>
#include <QWidget>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

class QTextBrowser;
class QTimer;
class QUrl;

namespace loopscope::views {

// One line of an exception text laid out as a tree (an ExceptionGroup's sub-exceptions one level
// deeper than the group).
struct ExceptionLine
{
  int depth = 0;
  std::string text;
  friend bool operator==(const ExceptionLine&, const ExceptionLine&) = default;
};

// Splits a TaskDone exception text into tree lines. The depth of a line is its indentation
// (two columns a level, relative to the first line); tree decorations ("|", "+-", "└─", …) count
// as indentation and are dropped, and separator lines ("+---- 1 ----") are skipped, so both an
// indented listing and Python's traceback rendering of a group come out as the same tree. A
// one-line text gives one line at depth 0.
[[nodiscard]] std::vector<ExceptionLine> exceptionTree(std::string_view text);
// N from an ExceptionGroup header "ExceptionGroup: msg (N sub-exceptions)", else -1.
[[nodiscard]] int subExceptionCount(std::string_view line);

// The selected task in depth: who it is (name, state, creation site, parent chain), what it
// awaits and who awaits it (like `python -m asyncio pstree`), its recent state history, every
// cancellation aimed at it (and whether it swallowed one), its timeouts, counters and outcome.
//
// Reads a TimelineModel it does not own. refresh() is cheap when nothing changed (it compares
// the model's revision, the task and `now`) and re-renders a live task at most every
// minimumRenderInterval(), so calling it at 60 Hz costs little.
class InspectorWidget : public QWidget
{
  Q_OBJECT

public:
  explicit InspectorWidget(QWidget* parent = nullptr);
  ~InspectorWidget() override;

  // nullptr: nothing to show. The model must outlive the widget or be replaced first.
  void setModel(const TimelineModel* model);
  // Shows task `id` at once; 0 shows the "select a task" placeholder.
  void setTask(std::uint32_t id);
  [[nodiscard]] std::uint32_t task() const noexcept { return m_task; }

  // Catches up with the model at loop time `nowNs` (busy/idle times and open spans count up to
  // it). Skips all work when neither the model, the task nor `now` changed.
  void refresh(std::int64_t nowNs);

  // What the inspector shows, as plain text (for tests and copying).
  [[nodiscard]] QString plainText() const;
  // Re-renders of the same task closer together than this are postponed (live runs change the
  // model at 60 Hz; nobody reads that fast). 0 renders on every change.
  void setMinimumRenderInterval(std::chrono::milliseconds interval);
  [[nodiscard]] std::chrono::milliseconds minimumRenderInterval() const noexcept
  {
    return m_minInterval;
  }
  // How often the content was rebuilt (tests check that refresh() skips work).
  [[nodiscard]] std::uint64_t renderCount() const noexcept { return m_renders; }

signals:
  // A task link ("task:<id>": a parent, child, awaiter or awaited task) was clicked.
  void taskActivated(std::uint32_t id);
  // A site link ("site:<id>": a creation or await site, a TimelineModel site id) was clicked.
  void siteActivated(std::uint32_t site);

protected:
  // A palette change (light/dark) re-renders the page in the theme's colours.
  void changeEvent(QEvent* event) override;

private:
  void openLink(const QUrl& url);
  void render();

  QTextBrowser* m_browser = nullptr;
  QTimer* m_pending = nullptr;  // fires a postponed render
  const TimelineModel* m_model = nullptr;
  std::uint32_t m_task = 0;
  std::int64_t m_now = 0;
  // What the current content was rendered from.
  std::uint32_t m_renderedTask = 0;
  std::uint64_t m_renderedRevision = 0;
  std::int64_t m_renderedNow = 0;
  bool m_rendered = false;
  QString m_html;
  QElapsedTimer m_sinceRender;
  std::chrono::milliseconds m_minInterval{100};
  std::uint64_t m_renders = 0;
};

}  // namespace loopscope::views
