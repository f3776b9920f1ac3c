// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/event.h>
#include <views/timelinemodel.h>

#include <QString>
#include <QWidget>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

class QGridLayout;
class QLabel;
class QProgressBar;
class QTreeWidget;
class QTreeWidgetItem;

namespace loopscope::views {

inline constexpr std::size_t kShutdownPhaseCount =
    static_cast<std::size_t>(engine::ShutdownPhaseKind::Count_);

// Where a shutdown phase stands.
enum class PhaseStatus : std::uint8_t {
  Pending,  // not yet; it may still come
  Active,   // the latest phase reached (the shutdown is in it now)
  Done,     // happened, and a later phase has begun
  Skipped   // did not happen, and a later phase has: it will not
};
[[nodiscard]] const char* phaseStatusName(PhaseStatus status) noexcept;

// The shutdown of a run as the model tells it, at loop time `now`: pure data, computed by
// summarizeShutdown() and shown by ShutdownPanel.
struct ShutdownSummary
{
  struct Phase
  {
    PhaseStatus status = PhaseStatus::Pending;
    std::int64_t t = kNever;  // the first time it happened
    std::uint32_t count = 0;  // the phase's count (tasks, signal number, exit status)
    int times = 0;            // how often (a signal can come twice)
    std::string text;         // the engine's label
    friend bool operator==(const Phase&, const Phase&) = default;
  };
  // A task that holds (or held) shutdown up.
  struct Held
  {
    std::uint32_t task = 0;              // 0: the default executor
    TaskState state = TaskState::Ready;  // now
    std::string reason;                  // "swallowed CancelledError"
    std::string explanation;             // a sentence: the engine's, or why we guess so
    bool reported = false;               // from a ShutdownHeld diagnostic (else a live guess)
    friend bool operator==(const Held&, const Held&) = default;
  };

  bool started = false;  // a shutdown phase has been seen
  std::array<Phase, kShutdownPhaseCount> phases{};
  // The Awaiting phase: N tasks cancelled and awaited, k of them finished since.
  bool awaiting = false;
  int awaited = 0;
  int finished = 0;
  std::int64_t graceDeadline = kNever;  // from the Awaiting phase; kNever: none
  bool deadlinePassed = false;          // `now` reached it, or GraceExpired was seen
  std::vector<Held> held;

  [[nodiscard]] const Phase& phase(engine::ShutdownPhaseKind kind) const
  {
    return phases[static_cast<std::size_t>(kind)];
  }
  friend bool operator==(const ShutdownSummary&, const ShutdownSummary&) = default;
};

// Reads the shutdown phases, the tasks the shutdown cancelled (CancelSource::Shutdown), the
// ShutdownHeld diagnostics and the tasks' states. Before the grace deadline passes, the reasons
// tasks hold shutdown up are guesses from their state (a step running > 100 ms blocks the loop;
// a swallowed CancelledError; still awaiting after the cancel); afterwards they are the engine's.
[[nodiscard]] ShutdownSummary summarizeShutdown(const TimelineModel& model, std::int64_t now);
// "grace deadline in 3.2 s", "grace deadline passed at 5.000 s", "grace deadline: none (asyncio
// waits forever)"; empty before the Awaiting phase.
[[nodiscard]] QString graceCountdownText(const ShutdownSummary& summary, std::int64_t now);

// asyncio.run's shutdown, live: a row per phase (pending / active in bold / done with its time /
// greyed when it did not happen), "tasks finished: k of N" while the cancelled tasks are
// awaited, the countdown to the grace deadline, and the tasks still holding shutdown up with
// the reason for each. Before any shutdown it says what it will show.
//
// refresh() recomputes only when the model's revision or `now` (to 0.1 s) changed, and updates
// its labels and list items in place.
class ShutdownPanel : public QWidget
{
  Q_OBJECT

public:
  explicit ShutdownPanel(QWidget* parent = nullptr);
  ~ShutdownPanel() override;

  // nullptr: nothing to show. The model must outlive the panel or be replaced first.
  void setModel(const TimelineModel* model);
  void refresh(std::int64_t nowNs);

  // What is shown (the last refresh).
  [[nodiscard]] const ShutdownSummary& summary() const noexcept { return m_summary; }
  [[nodiscard]] QString countdownText() const;

signals:
  // A task in the "holding shutdown up" list was double-clicked.
  void taskActivated(std::uint32_t id);

private:
  struct PhaseRow
  {
    QLabel* mark = nullptr;
    QLabel* name = nullptr;
    QLabel* when = nullptr;
  };

  void update(std::int64_t now);
  void showPhases();
  void showHeld();
  void onDoubleClicked(QTreeWidgetItem* item);

  const TimelineModel* m_model = nullptr;
  ShutdownSummary m_summary;
  std::uint64_t m_revision = 0;
  std::int64_t m_nowBucket = -1;
  bool m_fresh = false;  // m_summary matches m_revision and m_nowBucket

  QLabel* m_intro = nullptr;
  QWidget* m_body = nullptr;
  std::array<PhaseRow, kShutdownPhaseCount> m_rows{};
  QProgressBar* m_progress = nullptr;
  QLabel* m_countdown = nullptr;
  QLabel* m_heldTitle = nullptr;
  QTreeWidget* m_held = nullptr;
};

}  // namespace loopscope::views
