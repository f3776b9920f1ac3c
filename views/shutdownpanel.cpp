// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/shutdownpanel.h"

#include <views/timelinecoordinates.h>

#include <QFont>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <unordered_map>

namespace loopscope::views {

namespace {

using engine::ShutdownPhaseKind;
using timeline::formatDuration;
using timeline::formatTime;

// A step running longer than this during shutdown is taken for a blocking call (asyncio's
// slow_callback_duration).
constexpr std::int64_t kBlockingNs = 100'000'000;
// refresh() recomputes when `now` moves by this much (the countdown shows tenths of a second).
constexpr std::int64_t kNowResolutionNs = 100'000'000;

std::size_t index(ShutdownPhaseKind kind)
{
  return static_cast<std::size_t>(kind);
}

std::string signalName(std::uint32_t number)
{
  switch (number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    case SIGQUIT:
      return "SIGQUIT";
    default:
      return "signal " + std::to_string(number);
  }
}

std::string holdReason(engine::ShutdownHold hold, std::uint32_t task)
{
  switch (hold) {
    case engine::ShutdownHold::SwallowedCancel:
      return "swallowed CancelledError";
    case engine::ShutdownHold::Blocking:
      return task == 0 ? "executor jobs still running" : "blocking the loop";
    case engine::ShutdownHold::Shielded:
      return "awaits a shielded operation";
    case engine::ShutdownHold::Waiting:
      return "still awaiting after cancel (cleanup?)";
    case engine::ShutdownHold::Count_:
      break;
  }
  return "?";
}

std::string siteOf(const TimelineModel& model, std::uint32_t site)
{
  const Site* s = model.site(site);
  return s == nullptr ? std::string() : " at " + s->location();
}

// Why a pending task holds shutdown up, judged from its state now. `delivered`: the shutdown's
// CancelledError has reached it.
ShutdownSummary::Held guess(const TimelineModel& model, const TaskInfo& t, std::int64_t now,
                            bool delivered)
{
  ShutdownSummary::Held held;
  held.task = t.id;
  held.state = t.state;
  const StateSpan* open =
      !t.spans.empty() && t.spans.back().end == kOpenEnd ? &t.spans.back() : nullptr;
  const bool waits = t.awaitKind != engine::AwaitKind::None;
  if (t.state == TaskState::Running && open != nullptr && now - open->start > kBlockingNs) {
    held.reason = "blocking the loop";
    held.explanation = "One step has run for " + formatDuration(now - open->start) +
                       " without yielding: nothing else runs meanwhile, not even the shutdown.";
  } else if (t.swallowedCancel) {
    held.reason = "swallowed CancelledError";
    held.explanation =
        "It caught the CancelledError of its cancellation and did not re-raise "
        "it, so it keeps going; asyncio.run waits for it forever.";
  } else if (t.awaitKind == engine::AwaitKind::Shield) {
    held.reason = "awaits a shielded operation";
    held.explanation = "Its cancellation does not stop the shielded operation it awaits" +
                       siteOf(model, t.awaitSite) + ".";
  } else if (!delivered) {
    held.reason = "cancel not delivered yet";
    held.explanation =
        "It has not run since the shutdown cancelled it: CancelledError is thrown "
        "in at its next step.";
  } else if ((t.state == TaskState::Suspended || t.state == TaskState::Cancelling) && waits) {
    held.reason = "still awaiting after cancel (cleanup?)";
    held.explanation = "It was cancelled and is suspended again" + siteOf(model, t.awaitSite) +
                       " (awaiting " + std::string(engine::await_kind_name(t.awaitKind)) +
                       "): a cleanup in an except or finally block?";
  } else if (t.state == TaskState::Running) {
    held.reason = "running";
    held.explanation = "It is running a step now.";
  } else {
    held.reason = "about to run";
    held.explanation = "It is queued for the loop thread, where its CancelledError is thrown in.";
  }
  return held;
}

QString richTooltip(const std::string& text)
{
  // Rich text wraps long lines, and escaping keeps the engine's text literal.
  return text.empty() ? QString()
                      : QStringLiteral("<p>") + QString::fromStdString(text).toHtmlEscaped() +
                            QStringLiteral("</p>");
}

QString phaseLabel(ShutdownPhaseKind kind, const ShutdownSummary::Phase& p)
{
  const bool seen = p.times > 0;
  switch (kind) {
    case ShutdownPhaseKind::SignalReceived: {
      QString s = QStringLiteral("signal received");
      if (seen) {
        s += QStringLiteral(" (%1)").arg(QString::fromStdString(signalName(p.count)));
      }
      if (p.times > 1) {
        s += QStringLiteral(" ×%1").arg(p.times);
      }
      return s;
    }
    case ShutdownPhaseKind::MainDone:
      return QStringLiteral("main done");
    case ShutdownPhaseKind::Cancelling:
      return seen ? QStringLiteral("cancelling %1 task(s)").arg(p.count)
                  : QStringLiteral("cancelling tasks");
    case ShutdownPhaseKind::Awaiting:
      return seen ? QStringLiteral("awaiting %1 task(s)").arg(p.count)
                  : QStringLiteral("awaiting tasks");
    case ShutdownPhaseKind::ExecutorShutdown:
      return QStringLiteral("executor shutdown");
    case ShutdownPhaseKind::GraceExpired:
      return seen ? QStringLiteral("grace expired, %1 still pending").arg(p.count)
                  : QStringLiteral("grace expired");
    case ShutdownPhaseKind::Closed:
      return seen ? QStringLiteral("closed, exit status %1").arg(p.count)
                  : QStringLiteral("closed");
    case ShutdownPhaseKind::Count_:
      break;
  }
  return QStringLiteral("?");
}

}  // namespace

const char* phaseStatusName(PhaseStatus status) noexcept
{
  switch (status) {
    case PhaseStatus::Pending:
      return "pending";
    case PhaseStatus::Active:
      return "active";
    case PhaseStatus::Done:
      return "done";
    case PhaseStatus::Skipped:
      return "skipped";
  }
  return "?";
}

ShutdownSummary summarizeShutdown(const TimelineModel& model, std::int64_t now)
{
  ShutdownSummary s;
  const GlobalMarker* firstSignal = nullptr;
  int signalCount = 0;
  for (const GlobalMarker& g : model.globalMarkers()) {
    if (g.kind == GlobalMarker::Kind::Signal) {
      firstSignal = firstSignal != nullptr ? firstSignal : &g;
      ++signalCount;
      continue;
    }
    if (g.phase >= kShutdownPhaseCount) {
      continue;
    }
    ShutdownSummary::Phase& p = s.phases[g.phase];
    if (p.times++ == 0) {
      p.t = g.t;
      p.count = g.arg;
      p.text = model.text(g.text);
    }
    if (g.phase == index(ShutdownPhaseKind::Awaiting)) {
      s.graceDeadline = g.detail;
    }
    s.started = true;
  }
  if (!s.started) {
    return s;
  }

  // A signal the program handled itself (a SIGTERM handler cancelling main) starts a shutdown
  // without the Runner's SignalReceived phase.
  ShutdownSummary::Phase& signal = s.phases[index(ShutdownPhaseKind::SignalReceived)];
  if (signal.times == 0 && firstSignal != nullptr) {
    signal.t = firstSignal->t;
    signal.count = firstSignal->arg;
    signal.times = signalCount;
    signal.text = signalName(firstSignal->arg) + " (handled by the program)";
  }

  std::size_t highest = 0;
  for (std::size_t k = 0; k < kShutdownPhaseCount; ++k) {
    highest = s.phases[k].times > 0 ? k : highest;
  }
  const ShutdownSummary::Phase& closed = s.phases[index(ShutdownPhaseKind::Closed)];
  for (std::size_t k = 0; k < kShutdownPhaseCount; ++k) {
    ShutdownSummary::Phase& p = s.phases[k];
    if (p.times > 0) {
      p.status = k == highest && closed.times == 0 ? PhaseStatus::Active : PhaseStatus::Done;
    } else {
      p.status = k < highest || closed.times > 0 ? PhaseStatus::Skipped : PhaseStatus::Pending;
    }
  }

  const ShutdownSummary::Phase& awaiting = s.phase(ShutdownPhaseKind::Awaiting);
  const ShutdownSummary::Phase& expired = s.phase(ShutdownPhaseKind::GraceExpired);
  s.awaiting = awaiting.times > 0;
  s.awaited = static_cast<int>(awaiting.count);
  const bool closedInTime = closed.times > 0 && expired.times == 0 &&
                            (s.graceDeadline == kNever || closed.t < s.graceDeadline);
  s.deadlinePassed =
      expired.times > 0 || (s.graceDeadline != kNever && now >= s.graceDeadline && !closedInTime);

  // The tasks the shutdown awaits are the ones it cancelled.
  std::vector<std::uint32_t> awaited;
  std::unordered_map<std::uint32_t, bool> delivered;  // task -> its shutdown cancel arrived
  for (const CancelLink& c : model.cancels()) {
    if (c.source != engine::CancelSource::Shutdown) {
      continue;
    }
    const auto [it, inserted] = delivered.try_emplace(c.target, false);
    it->second = it->second || c.delivered != kNever;
    if (inserted) {
      awaited.push_back(c.target);
    }
  }
  if (awaited.empty() && s.awaiting) {
    // The cancel requests were lost (a stream picked up midway): take the tasks alive then.
    for (std::size_t i = 0; i < model.taskCount(); ++i) {
      const TaskInfo& t = model.taskAt(i);
      if (t.created <= awaiting.t && (t.ended == kNever || t.ended > awaiting.t)) {
        awaited.push_back(t.id);
      }
    }
  }
  if (s.awaiting) {
    int finished = 0;
    for (const std::uint32_t id : awaited) {
      const TaskInfo* t = model.task(id);
      finished += t != nullptr && t->ended != kNever ? 1 : 0;
    }
    s.finished = std::clamp(finished, 0, s.awaited);
  }

  // Who holds shutdown up: the engine's verdict once the deadline passed, else a guess.
  for (const std::size_t i : model.diagnostics()) {
    const engine::DecodedEvent& e = model.events()[i];
    if (static_cast<engine::DiagnosticKind>(e.ev.a8) != engine::DiagnosticKind::ShutdownHeld) {
      continue;
    }
    ShutdownSummary::Held held;
    held.task = e.ev.task;
    const TaskInfo* t = model.task(held.task);
    held.state = t != nullptr ? t->state : TaskState::Running;
    held.reason = holdReason(static_cast<engine::ShutdownHold>(e.ev.arg), held.task);
    held.explanation = e.text;
    held.reported = true;
    const auto same = std::find_if(s.held.begin(), s.held.end(),
                                   [&](const auto& h) { return h.task == held.task; });
    if (same != s.held.end()) {
      *same = std::move(held);
    } else {
      s.held.push_back(std::move(held));
    }
  }
  if (s.held.empty() && closed.times == 0) {
    for (const std::uint32_t id : awaited) {
      const TaskInfo* t = model.task(id);
      if (t != nullptr && t->ended == kNever) {
        s.held.push_back(guess(model, *t, now, !delivered.contains(id) || delivered.at(id)));
      }
    }
    // The executor is shut down once every task has finished (or when there was none).
    if (s.phase(ShutdownPhaseKind::ExecutorShutdown).status == PhaseStatus::Active) {
      const auto& jobs = model.executorJobs();
      const auto running =
          std::count_if(jobs.begin(), jobs.end(), [](const auto& j) { return j.end == kOpenEnd; });
      if (running > 0) {
        s.held.push_back({0, TaskState::Running, "executor jobs still running",
                          std::to_string(running) +
                              " job(s) still run in the default executor's threads; a thread "
                              "cannot be cancelled, so shutdown waits for them.",
                          false});
      }
    }
  }
  return s;
}

QString graceCountdownText(const ShutdownSummary& s, std::int64_t now)
{
  if (!s.awaiting) {
    return {};
  }
  if (s.graceDeadline == kNever) {
    return QStringLiteral("grace deadline: none (asyncio waits forever)");
  }
  const QString at = QString::fromStdString(formatTime(s.graceDeadline));
  if (s.deadlinePassed || now >= s.graceDeadline) {
    const ShutdownSummary::Phase& closed = s.phase(ShutdownPhaseKind::Closed);
    if (!s.deadlinePassed && closed.times > 0) {
      return QStringLiteral("grace deadline %1 not reached: shutdown finished in time").arg(at);
    }
    return QStringLiteral("grace deadline passed at %1").arg(at);
  }
  if (s.phase(ShutdownPhaseKind::Closed).times > 0) {
    return QStringLiteral("grace deadline %1 not reached: shutdown finished in time").arg(at);
  }
  // Tenths of a second, rounded up: "in 0.0 s" would claim it has passed.
  const double tenths = std::ceil(static_cast<double>(s.graceDeadline - now) / 1e8);
  return QStringLiteral("grace deadline in %1 s (at %2)").arg(tenths / 10.0, 0, 'f', 1).arg(at);
}

ShutdownPanel::ShutdownPanel(QWidget* parent)
    : QWidget(parent)
    , m_intro(new QLabel(this))
    , m_body(new QWidget(this))
{
  auto* layout = new QVBoxLayout(this);
  m_intro->setWordWrap(true);
  m_intro->setText(
      tr("When the run shuts down (main returns, Ctrl-C, SIGTERM), this panel follows "
         "asyncio.run's shutdown: each phase, how many cancelled tasks have finished, the grace "
         "deadline, and which tasks hold shutdown up, and why."));
  layout->addWidget(m_intro);
  layout->addWidget(m_body, 1);

  auto* body = new QVBoxLayout(m_body);
  body->setContentsMargins(0, 0, 0, 0);
  auto* grid = new QGridLayout;
  grid->setColumnStretch(1, 1);
  for (std::size_t k = 0; k < kShutdownPhaseCount; ++k) {
    PhaseRow& row = m_rows[k];
    row.mark = new QLabel(m_body);
    row.name = new QLabel(m_body);
    row.when = new QLabel(m_body);
    row.name->setObjectName(QStringLiteral("phase-%1").arg(k));
    for (QLabel* label : {row.mark, row.name, row.when}) {
      label->setTextFormat(Qt::PlainText);
    }
    row.when->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    const int r = static_cast<int>(k);
    grid->addWidget(row.mark, r, 0);
    grid->addWidget(row.name, r, 1);
    grid->addWidget(row.when, r, 2);
  }
  body->addLayout(grid);

  m_progress = new QProgressBar(m_body);
  m_progress->setObjectName(QStringLiteral("progress"));
  body->addWidget(m_progress);
  m_countdown = new QLabel(m_body);
  m_countdown->setObjectName(QStringLiteral("countdown"));
  m_countdown->setTextFormat(Qt::PlainText);
  body->addWidget(m_countdown);
  m_heldTitle = new QLabel(m_body);
  m_heldTitle->setTextFormat(Qt::PlainText);
  QFont bold = m_heldTitle->font();
  bold.setBold(true);
  m_heldTitle->setFont(bold);
  body->addWidget(m_heldTitle);
  m_held = new QTreeWidget(m_body);
  m_held->setObjectName(QStringLiteral("held"));
  m_held->setColumnCount(3);
  m_held->setHeaderLabels({tr("Task"), tr("State"), tr("Why it holds shutdown up")});
  m_held->setRootIsDecorated(false);
  m_held->setUniformRowHeights(true);
  m_held->setSelectionMode(QAbstractItemView::SingleSelection);
  body->addWidget(m_held, 1);
  connect(m_held, &QTreeWidget::itemDoubleClicked, this,
          [this](QTreeWidgetItem* item, int) { onDoubleClicked(item); });

  showPhases();
  showHeld();
  m_body->setVisible(false);
}

ShutdownPanel::~ShutdownPanel() = default;

void ShutdownPanel::setModel(const TimelineModel* model)
{
  m_model = model;
  m_fresh = false;
  update(model != nullptr ? model->endTime() : 0);
}

void ShutdownPanel::refresh(std::int64_t nowNs)
{
  if (m_model == nullptr) {
    return;
  }
  const std::int64_t bucket = nowNs / kNowResolutionNs;
  if (m_fresh && m_revision == m_model->revision() && m_nowBucket == bucket) {
    return;
  }
  update(nowNs);
}

QString ShutdownPanel::countdownText() const
{
  return m_countdown->text();
}

void ShutdownPanel::update(std::int64_t now)
{
  ShutdownSummary summary =
      m_model != nullptr ? summarizeShutdown(*m_model, now) : ShutdownSummary{};
  m_revision = m_model != nullptr ? m_model->revision() : 0;
  m_nowBucket = now / kNowResolutionNs;
  m_fresh = true;

  const QString countdown = graceCountdownText(summary, now);
  if (m_countdown->text() != countdown) {
    m_countdown->setText(countdown);
  }
  m_countdown->setVisible(!countdown.isEmpty());
  if (summary == m_summary) {
    return;
  }
  m_summary = std::move(summary);
  m_intro->setVisible(!m_summary.started);
  m_body->setVisible(m_summary.started);
  showPhases();
  showHeld();
}

void ShutdownPanel::showPhases()
{
  for (std::size_t k = 0; k < kShutdownPhaseCount; ++k) {
    const ShutdownSummary::Phase& p = m_summary.phases[k];
    const PhaseRow& row = m_rows[k];
    static constexpr const char* kMarks[] = {"○", "▶", "✓", "–"};
    row.mark->setText(QString::fromUtf8(kMarks[static_cast<std::size_t>(p.status)]));
    row.name->setText(phaseLabel(static_cast<ShutdownPhaseKind>(k), p));
    row.when->setText(p.times > 0                        ? QString::fromStdString(formatTime(p.t))
                      : p.status == PhaseStatus::Skipped ? tr("did not happen")
                                                         : QString());
    const QString tip = richTooltip(p.text);
    for (QLabel* label : {row.mark, row.name, row.when}) {
      QFont font = label->font();
      if (font.bold() != (p.status == PhaseStatus::Active)) {
        font.setBold(p.status == PhaseStatus::Active);
        label->setFont(font);
      }
      // Disabled labels are drawn greyed: the phase did not happen.
      label->setEnabled(p.status != PhaseStatus::Skipped);
      label->setToolTip(tip);
    }
  }
  m_progress->setVisible(m_summary.awaiting);
  const int total = std::max(m_summary.awaited, 1);
  m_progress->setRange(0, total);
  m_progress->setValue(std::min(m_summary.finished, total));
  m_progress->setFormat(
      tr("tasks finished: %1 of %2").arg(m_summary.finished).arg(m_summary.awaited));
}

void ShutdownPanel::showHeld()
{
  const auto& held = m_summary.held;
  const bool closed = m_summary.phase(ShutdownPhaseKind::Closed).times > 0;
  if (!held.empty()) {
    m_heldTitle->setText(held.front().reported
                             ? tr("Held shutdown up at the grace deadline: %1").arg(held.size())
                             : tr("Still pending: %1").arg(held.size()));
  } else {
    m_heldTitle->setText(closed ? tr("Every awaited task finished.")
                                : tr("No task holds shutdown up."));
  }
  m_heldTitle->setVisible(m_summary.awaiting || !held.empty());
  m_held->setVisible(!held.empty());

  while (m_held->topLevelItemCount() > static_cast<int>(held.size())) {
    delete m_held->takeTopLevelItem(m_held->topLevelItemCount() - 1);
  }
  while (m_held->topLevelItemCount() < static_cast<int>(held.size())) {
    m_held->addTopLevelItem(new QTreeWidgetItem);
  }
  for (std::size_t i = 0; i < held.size(); ++i) {
    const ShutdownSummary::Held& h = held[i];
    QTreeWidgetItem* item = m_held->topLevelItem(static_cast<int>(i));
    const QString name = h.task == 0
                             ? tr("default executor")
                             : QString::fromStdString(m_model != nullptr ? m_model->taskName(h.task)
                                                                         : std::string()) +
                                   QStringLiteral(" #%1").arg(h.task);
    item->setText(0, name);
    item->setText(1, h.task == 0 ? QString() : QString::fromLatin1(taskStateName(h.state)));
    item->setText(2, QString::fromStdString(h.reason));
    item->setData(0, Qt::UserRole, QVariant::fromValue(h.task));
    const QString tip = richTooltip(h.explanation);
    for (int c = 0; c < 3; ++c) {
      item->setToolTip(c, tip);
    }
  }
}

void ShutdownPanel::onDoubleClicked(QTreeWidgetItem* item)
{
  if (item == nullptr) {
    return;
  }
  const auto id = item->data(0, Qt::UserRole).value<std::uint32_t>();
  if (id != 0) {
    emit taskActivated(id);
  }
}

}  // namespace loopscope::views
