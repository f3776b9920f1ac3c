// SPDX-License-Identifier: GPL-3.0-or-later
// ShutdownPanel: a hand-written asyncio.run shutdown (SIGINT cancels main; three tasks are
// cancelled and awaited with a 2 s grace deadline; one finishes, one swallows its CancelledError,
// one is still cleaning up when the deadline passes), cut at each stage, and what the panel shows.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/event.h>
#include <engine/sink.h>
#include <views/shutdownpanel.h>
#include <views/timelinemodel.h>

#include <QFont>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QTreeWidget>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

using loopscope::engine::AwaitKind;
using loopscope::engine::CancelSource;
using loopscope::engine::CancelVia;
using loopscope::engine::DecodedEvent;
using loopscope::engine::DiagnosticKind;
using loopscope::engine::EventKind;
using loopscope::engine::ShutdownHold;
using loopscope::engine::ShutdownPhaseKind;
using loopscope::engine::TaskOutcome;
using loopscope::engine::TraceEvent;
using loopscope::views::kShutdownPhaseCount;
using loopscope::views::PhaseStatus;
using loopscope::views::ShutdownPanel;
using loopscope::views::ShutdownSummary;
using loopscope::views::TimelineModel;

using Events = std::vector<DecodedEvent>;
Q_DECLARE_METATYPE(Events)

class tst_ShutdownPanel : public QObject
{
  Q_OBJECT

private slots:
  void showsTheShutdownAsItProgresses_data();
  void showsTheShutdownAsItProgresses();
  void explainsItselfBeforeAnyShutdown();
  void engineVerdictReplacesTheGuesses();
  void shutdownFinishedBeforeTheDeadline();
  void doubleClickingAHeldTaskActivatesIt();
  void forgetsTheShutdownWhenTheModelIsCleared();
};

namespace {

constexpr qint64 kMs = 1'000'000;  // qint64: the `now` column of the data table

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

DecodedEvent phase(std::int64_t tNs, ShutdownPhaseKind kind, std::uint32_t count,
                   std::uint64_t detail = 0)
{
  return ev(EventKind::ShutdownPhase, tNs, 0, 0, detail, count, u8(kind),
            std::string(loopscope::engine::shutdown_phase_name(kind)));
}

DecodedEvent created(std::uint32_t task, const std::string& name, std::uint32_t parent,
                     std::int64_t tNs)
{
  return ev(EventKind::TaskCreated, tNs, task, 0, parent, 0, 1, name);
}

DecodedEvent sleeping(std::uint32_t task, std::int64_t tNs)
{
  return ev(EventKind::Suspended, tNs, task, 2, 60'000 * kMs, 0, u8(AwaitKind::Sleep));
}

// The run, with named cut points: events() up to a mark is the stream as seen at that stage.
class Run
{
public:
  explicit Run(bool graceDeadline = true)
  {
    add(ev(EventKind::SiteDefined, 0, 0, 2, 0, 0, 0, "/src/worker.cpp\t20\t3\tworker(int)"));
    add(ev(EventKind::SiteDefined, 0, 0, 3, 0, 0, 0, "/src/cleaner.cpp\t30\t3\tcleanup()"));
    add(created(1, "main", 0, 0));
    add(ev(EventKind::StepBegin, 1 * kMs, 1));
    add(created(2, "worker-1", 1, 1 * kMs));
    add(created(3, "worker-2", 1, 1 * kMs));
    add(created(4, "cleaner", 1, 1 * kMs));
    add(sleeping(1, 2 * kMs));
    for (std::uint32_t task = 2; task <= 4; ++task) {
      add(ev(EventKind::StepBegin, (task + 1) * kMs, task));
      add(sleeping(task, (task + 1) * kMs + kMs / 2));
    }
    mark("running");

    // SIGINT: the runner cancels main, which ends cancelled.
    add(ev(EventKind::SignalReceived, 1000 * kMs, 0, 0, 0, SIGINT));
    add(phase(1000 * kMs, ShutdownPhaseKind::SignalReceived, SIGINT));
    add(ev(EventKind::CancelRequested, 1000 * kMs, 1, 0, 0, 1, u8(CancelSource::Signal)));
    mark("signal");
    add(ev(EventKind::Ready, 1005 * kMs, 1));
    add(ev(EventKind::StepBegin, 1005 * kMs, 1));
    add(ev(EventKind::CancelDelivered, 1005 * kMs, 1, 2, 0, 1, u8(CancelVia::Direct)));
    add(ev(EventKind::TaskDone, 1005 * kMs, 1, 0, 0, 0, u8(TaskOutcome::Cancelled)));

    // asyncio.run's shutdown: cancel the three workers, await them (grace 2 s: until 3.010 s).
    add(phase(1010 * kMs, ShutdownPhaseKind::MainDone, 3));
    add(phase(1010 * kMs, ShutdownPhaseKind::Cancelling, 3));
    for (std::uint32_t task = 2; task <= 4; ++task) {
      add(ev(EventKind::CancelRequested, 1010 * kMs, task, 0, 0, 1, u8(CancelSource::Shutdown)));
    }
    add(phase(1010 * kMs, ShutdownPhaseKind::Awaiting, 3,
              graceDeadline ? static_cast<std::uint64_t>(3010 * kMs) : ~std::uint64_t{0}));
    mark("awaiting");

    // worker-1 ends cancelled; worker-2 swallows it and sleeps on; cleaner cleans up.
    add(ev(EventKind::Ready, 1020 * kMs, 2));
    add(ev(EventKind::StepBegin, 1020 * kMs, 2));
    add(ev(EventKind::CancelDelivered, 1020 * kMs, 2, 2, 0, 1, u8(CancelVia::Direct)));
    add(ev(EventKind::TaskDone, 1021 * kMs, 2, 0, 0, 0, u8(TaskOutcome::Cancelled)));
    add(ev(EventKind::Ready, 1021 * kMs, 3));
    add(ev(EventKind::StepBegin, 1021 * kMs, 3));
    add(ev(EventKind::CancelDelivered, 1021 * kMs, 3, 2, 0, 1, u8(CancelVia::Direct)));
    add(ev(EventKind::CancelSwallowed, 1021 * kMs, 3, 2, 0, 0));
    add(sleeping(3, 1022 * kMs));
    add(ev(EventKind::Ready, 1030 * kMs, 4));
    add(ev(EventKind::StepBegin, 1030 * kMs, 4));
    add(ev(EventKind::CancelDelivered, 1030 * kMs, 4, 2, 0, 1, u8(CancelVia::Direct)));
    add(ev(EventKind::Suspended, 1031 * kMs, 4, 3, 77, 0, u8(AwaitKind::Lock)));
    mark("cleanup");

    if (!graceDeadline) {
      return;
    }
    add(phase(3010 * kMs, ShutdownPhaseKind::GraceExpired, 2));
    add(ev(EventKind::Diagnostic, 3010 * kMs, 3, 0, 0, u8(ShutdownHold::SwallowedCancel),
           u8(DiagnosticKind::ShutdownHeld),
           "Task worker-2 caught CancelledError 1 time(s) without re-raising it"));
    add(ev(EventKind::Diagnostic, 3010 * kMs, 4, 0, 0, u8(ShutdownHold::Waiting),
           u8(DiagnosticKind::ShutdownHeld),
           "Task cleaner is still awaiting (lock) after its cancellation, e.g. a slow cleanup"));
    mark("expired");
    add(phase(3010 * kMs, ShutdownPhaseKind::Closed, 124));
    mark("closed");
  }

  [[nodiscard]] Events upTo(const std::string& mark) const
  {
    return Events(m_events.begin(),
                  m_events.begin() + static_cast<std::ptrdiff_t>(m_marks.at(mark)));
  }
  void add(DecodedEvent e) { m_events.push_back(std::move(e)); }

private:
  void mark(const std::string& name) { m_marks[name] = m_events.size(); }

  Events m_events;
  std::map<std::string, std::size_t> m_marks;
};

struct Fixture
{
  TimelineModel model;
  ShutdownPanel panel;

  explicit Fixture(const Events& events, std::int64_t now)
  {
    model.append(events);
    panel.setModel(&model);
    panel.refresh(now);
  }

  // "done done active pending …" in ShutdownPhaseKind order, as the summary and the labels say.
  [[nodiscard]] QString phases() const
  {
    QStringList out;
    for (std::size_t k = 0; k < kShutdownPhaseCount; ++k) {
      const PhaseStatus status = panel.summary().phases[k].status;
      const auto* label = panel.findChild<QLabel*>(QStringLiteral("phase-%1").arg(k));
      QString word = QString::fromLatin1(loopscope::views::phaseStatusName(status));
      // The widgets must agree: the active phase bold, phases that did not happen greyed.
      if (label == nullptr || label->font().bold() != (status == PhaseStatus::Active) ||
          label->isEnabled() != (status != PhaseStatus::Skipped)) {
        word += QStringLiteral("(label disagrees)");
      }
      out << word;
    }
    return out.join(QLatin1Char(' '));
  }

  // "worker-2 #3: swallowed CancelledError | …" from the list widget.
  [[nodiscard]] QString held() const
  {
    const auto* tree = panel.findChild<QTreeWidget*>(QStringLiteral("held"));
    if (tree == nullptr || !tree->isVisibleTo(&panel)) {
      return {};
    }
    QStringList out;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
      out << tree->topLevelItem(i)->text(0) + QStringLiteral(": ") + tree->topLevelItem(i)->text(2);
    }
    return out.join(QStringLiteral(" | "));
  }

  [[nodiscard]] const QProgressBar* progress() const
  {
    return panel.findChild<QProgressBar*>(QStringLiteral("progress"));
  }
};

}  // namespace

void tst_ShutdownPanel::showsTheShutdownAsItProgresses_data()
{
  QTest::addColumn<Events>("events");
  QTest::addColumn<qint64>("now");
  QTest::addColumn<QString>(
      "phases");                      // signal, main, cancelling, awaiting, executor, grace, closed
  QTest::addColumn<int>("finished");  // -1: no progress bar
  QTest::addColumn<int>("awaited");
  QTest::addColumn<QString>("countdown");  // a part of it; empty: hidden
  QTest::addColumn<QString>("held");

  const Run run;
  const QString pending7 =
      QStringLiteral("pending pending pending pending pending pending pending");
  const QString guessed = QStringLiteral(
      "worker-2 #3: swallowed CancelledError | cleaner #4: still awaiting after cancel (cleanup?)");

  QTest::newRow("before shutdown: nothing has happened")
      << run.upTo("running") << 500 * kMs << pending7 << -1 << 0 << QString() << QString();
  QTest::newRow("SIGINT: the signal phase is active, main is being cancelled")
      << run.upTo("signal") << 1000 * kMs
      << "active pending pending pending pending pending pending" << -1 << 0 << QString()
      << QString();
  QTest::newRow("awaiting: just cancelled, grace deadline 2 s ahead")
      << run.upTo("awaiting") << 1010 * kMs << "done done done active pending pending pending" << 0
      << 3 << "grace deadline in 2.0 s"
      << "worker-1 #2: cancel not delivered yet | worker-2 #3: cancel not delivered yet | "
         "cleaner #4: cancel not delivered yet";
  QTest::newRow("awaiting: one finished, the others' reasons guessed")
      << run.upTo("cleanup") << 1500 * kMs << "done done done active pending pending pending" << 1
      << 3 << "grace deadline in 1.6 s" << guessed;
  QTest::newRow("awaiting: countdown rounds up, never says 0.0")
      << run.upTo("cleanup") << 3009 * kMs << "done done done active pending pending pending" << 1
      << 3 << "grace deadline in 0.1 s" << guessed;
  QTest::newRow("awaiting: deadline reached before the engine reports it")
      << run.upTo("cleanup") << 3010 * kMs << "done done done active pending pending pending" << 1
      << 3 << "passed at 3.010 s" << guessed;
  QTest::newRow("grace expired: executor shutdown skipped, the engine names the holders")
      << run.upTo("expired") << 3010 * kMs << "done done done done skipped active pending" << 1 << 3
      << "passed" << guessed;
  QTest::newRow("closed: every phase done or skipped")
      << run.upTo("closed") << 3100 * kMs << "done done done done skipped done done" << 1 << 3
      << "passed" << guessed;
  QTest::newRow("no grace deadline: asyncio waits forever")
      << Run(false).upTo("cleanup") << 60'000 * kMs
      << "done done done active pending pending pending" << 1 << 3 << "none (asyncio waits forever)"
      << guessed;

  Events blocked = run.upTo("awaiting");
  blocked.push_back(ev(EventKind::Ready, 1020 * kMs, 2));
  blocked.push_back(ev(EventKind::StepBegin, 1020 * kMs, 2));
  QTest::newRow("a step running for 180 ms is blocking the loop")
      << blocked << 1200 * kMs << "done done done active pending pending pending" << 0 << 3
      << "grace deadline in 1.9 s"
      << "worker-1 #2: blocking the loop | worker-2 #3: cancel not delivered yet | cleaner #4: "
         "cancel not delivered yet";

  // Nothing left to cancel, but a job still runs in the default executor's thread.
  Events executor = run.upTo("running");
  executor.push_back(ev(EventKind::ExecutorJobBegin, 500 * kMs, 2, 0, 9, 0));
  executor.push_back(phase(1000 * kMs, ShutdownPhaseKind::MainDone, 0));
  executor.push_back(phase(1000 * kMs, ShutdownPhaseKind::ExecutorShutdown, 0));
  QTest::newRow("executor shutdown waits for a running job")
      << executor << 1500 * kMs << "skipped done skipped skipped active pending pending" << -1 << 0
      << QString() << "default executor: executor jobs still running";

  // A program's own SIGTERM handler cancels main: no SignalReceived phase, but a signal.
  Events sigterm = run.upTo("running");
  sigterm.push_back(ev(EventKind::SignalReceived, 900 * kMs, 0, 0, 0, SIGTERM));
  sigterm.push_back(phase(1000 * kMs, ShutdownPhaseKind::MainDone, 3));
  QTest::newRow("a handled SIGTERM counts as the signal phase")
      << sigterm << 1000 * kMs << "done active pending pending pending pending pending" << -1 << 0
      << QString() << QString();
}

void tst_ShutdownPanel::showsTheShutdownAsItProgresses()
{
  QFETCH(Events, events);
  QFETCH(qint64, now);
  QFETCH(QString, phases);
  QFETCH(int, finished);
  QFETCH(int, awaited);
  QFETCH(QString, countdown);
  QFETCH(QString, held);

  Fixture f(events, now);
  QCOMPARE(f.phases(), phases);

  const QProgressBar* progress = f.progress();
  QVERIFY(progress != nullptr);
  QCOMPARE(progress->isVisibleTo(&f.panel), finished >= 0);
  if (finished >= 0) {
    QCOMPARE(progress->value(), finished);
    QCOMPARE(progress->maximum(), awaited);
    QCOMPARE(progress->text(),
             QStringLiteral("tasks finished: %1 of %2").arg(finished).arg(awaited));
  }

  const auto* countdownLabel = f.panel.findChild<QLabel*>(QStringLiteral("countdown"));
  QVERIFY(countdownLabel != nullptr);
  QCOMPARE(countdownLabel->isVisibleTo(&f.panel), !countdown.isEmpty());
  QVERIFY2(f.panel.countdownText().contains(countdown), qPrintable(f.panel.countdownText()));
  QCOMPARE(f.held(), held);
}

void tst_ShutdownPanel::explainsItselfBeforeAnyShutdown()
{
  Fixture f(Run().upTo("running"), 500 * kMs);
  QVERIFY(!f.panel.summary().started);
  const QList<QLabel*> labels = f.panel.findChildren<QLabel*>();
  const auto intro = std::find_if(labels.begin(), labels.end(), [&](const QLabel* l) {
    return l->isVisibleTo(&f.panel) && l->text().contains(QStringLiteral("shutdown"));
  });
  QVERIFY(intro != labels.end());
  QVERIFY((*intro)->text().contains(QStringLiteral("which tasks hold shutdown up")));
  // The phase rows are not shown yet.
  QVERIFY(!f.panel.findChild<QLabel*>(QStringLiteral("phase-0"))->isVisibleTo(&f.panel));

  // Once the shutdown starts, the explanation gives way to the phases.
  f.model.append(Run().upTo("awaiting"));
  f.panel.refresh(1010 * kMs);
  QVERIFY(!(*intro)->isVisibleTo(&f.panel));
  QVERIFY(f.panel.findChild<QLabel*>(QStringLiteral("phase-0"))->isVisibleTo(&f.panel));
}

void tst_ShutdownPanel::engineVerdictReplacesTheGuesses()
{
  const Run run;
  Fixture before(run.upTo("cleanup"), 3010 * kMs);
  for (const ShutdownSummary::Held& h : before.panel.summary().held) {
    QVERIFY(!h.reported);
  }

  Fixture after(run.upTo("expired"), 3010 * kMs);
  const auto& held = after.panel.summary().held;
  QCOMPARE(held.size(), std::size_t{2});
  QVERIFY(held[0].reported && held[1].reported);
  QCOMPARE(held[0].task, 3u);
  QCOMPARE(QString::fromStdString(held[0].explanation),
           QStringLiteral("Task worker-2 caught CancelledError 1 time(s) without re-raising it"));
  const auto* tree = after.panel.findChild<QTreeWidget*>(QStringLiteral("held"));
  QVERIFY(tree->topLevelItem(1)->toolTip(2).contains(QStringLiteral("a slow cleanup")));
}

void tst_ShutdownPanel::shutdownFinishedBeforeTheDeadline()
{
  Events events = Run().upTo("cleanup");
  events.push_back(ev(EventKind::TaskDone, 1100 * kMs, 3, 0, 0, 0, u8(TaskOutcome::Result)));
  events.push_back(ev(EventKind::TaskDone, 1100 * kMs, 4, 0, 0, 0, u8(TaskOutcome::Cancelled)));
  events.push_back(phase(1100 * kMs, ShutdownPhaseKind::Closed, 0));
  Fixture f(events, 5000 * kMs);
  QCOMPARE(f.phases(), QStringLiteral("done done done done skipped skipped done"));
  QCOMPARE(f.progress()->value(), 3);
  QVERIFY2(f.panel.countdownText().contains(QStringLiteral("not reached")),
           qPrintable(f.panel.countdownText()));
  QCOMPARE(f.held(), QString());
}

void tst_ShutdownPanel::doubleClickingAHeldTaskActivatesIt()
{
  Fixture f(Run().upTo("expired"), 3010 * kMs);
  f.panel.resize(500, 600);
  f.panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&f.panel));
  auto* tree = f.panel.findChild<QTreeWidget*>(QStringLiteral("held"));
  QVERIFY(tree != nullptr);
  QTreeWidgetItem* cleaner = tree->topLevelItem(1);
  QCOMPARE(cleaner->text(0), QStringLiteral("cleaner #4"));

  QSignalSpy spy(&f.panel, &ShutdownPanel::taskActivated);
  // A real double click: the view only takes a double click on the item it saw pressed.
  const QPoint at = tree->visualItemRect(cleaner).center();
  QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, at);
  QCOMPARE(spy.count(), 0);
  QTest::mousePress(tree->viewport(), Qt::LeftButton, {}, at);
  QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, at);
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).value<std::uint32_t>(), 4u);
}

void tst_ShutdownPanel::forgetsTheShutdownWhenTheModelIsCleared()
{
  Fixture f(Run().upTo("closed"), 3100 * kMs);
  QVERIFY(f.panel.summary().started);
  f.model.clear();
  f.panel.refresh(3100 * kMs);
  QVERIFY(!f.panel.summary().started);
  QCOMPARE(f.held(), QString());
  QVERIFY(!f.progress()->isVisibleTo(&f.panel));
}

QTEST_MAIN(tst_ShutdownPanel)
#include "tst_shutdownpanel.moc"
