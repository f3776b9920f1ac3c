// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "demoscenario.h"

#include <views/enginesession.h>
#include <views/eventformatter.h>
#include <views/timelinewidget.h>

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QFontDatabase>
#include <QKeySequence>
#include <QLabel>
#include <QList>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <QStringList>
#include <QToolBar>

namespace loopscope::app {

namespace {

// Keeps a long-running session's log from growing without bound.
constexpr int kMaxLogLines = 10000;
// The timeline is still empty, so the log gets a generous share of the window by default.
constexpr int kLogDockHeight = 420;

constexpr QLatin1StringView kGeometryKey("mainWindow/geometry");
constexpr QLatin1StringView kStateKey("mainWindow/state");

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_timeline(new views::TimelineWidget(this))
    , m_log(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_stopAction(nullptr)
    , m_session(new views::EngineSession(this))
    , m_formatter(std::make_unique<views::EventFormatter>())
{
  setWindowTitle(QStringLiteral("loopscope"));
  setCentralWidget(m_timeline);

  // Object names let saveState()/restoreState() find the toolbar and dock again.
  auto* toolbar = addToolBar(tr("Main"));
  toolbar->setObjectName(QStringLiteral("mainToolBar"));
  toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

  auto* runAction = toolbar->addAction(tr("Run"));
  runAction->setObjectName(QStringLiteral("runAction"));
  runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  runAction->setToolTip(
      tr("Run the demo scenario again from the start, on a fresh event loop (Ctrl+R)"));
  connect(runAction, &QAction::triggered, this, &MainWindow::runDemo);

  m_stopAction = toolbar->addAction(tr("Stop"));
  m_stopAction->setObjectName(QStringLiteral("stopAction"));
  m_stopAction->setShortcuts(
      {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)});
  m_stopAction->setToolTip(
      tr("Cancel the scenario's main task, like Ctrl+C under asyncio.run (Esc, Ctrl+.)"));
  m_stopAction->setEnabled(false);
  connect(m_stopAction, &QAction::triggered, this, &MainWindow::stop);

  auto* quitAction = toolbar->addAction(tr("Quit"));
  quitAction->setObjectName(QStringLiteral("quitAction"));
  quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
  quitAction->setToolTip(tr("Quit loopscope (Ctrl+Q)"));
  // close() rather than quit() so closeEvent() saves the window layout.
  connect(quitAction, &QAction::triggered, this, &QWidget::close);

  m_log->setObjectName(QStringLiteral("log"));
  m_log->setReadOnly(true);
  m_log->setMaximumBlockCount(kMaxLogLines);
  m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
  // Log lines are laid out in columns (time, task, message).
  m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

  auto* logDock = new QDockWidget(tr("Log"), this);
  logDock->setObjectName(QStringLiteral("logDock"));
  logDock->setWidget(m_log);
  addDockWidget(Qt::BottomDockWidgetArea, logDock);

  // A label rather than showMessage(): toolbar hover tips would wipe a status message.
  statusBar()->addWidget(m_status, 1);

  connect(m_session, &views::EngineSession::eventsReady, this, &MainWindow::appendEvents);
  connect(m_session, &views::EngineSession::finished, this, &MainWindow::onFinished);

  resize(1200, 800);
  resizeDocks({logDock}, {kLogDockHeight}, Qt::Vertical);
  appendLog(tr("loopscope %1 started.").arg(QCoreApplication::applicationVersion()));
}

MainWindow::~MainWindow() = default;

void MainWindow::appendLog(const QString& line)
{
  m_log->appendPlainText(line);
}

void MainWindow::restoreSettings()
{
  const QSettings settings;
  restoreGeometry(settings.value(kGeometryKey).toByteArray());
  restoreState(settings.value(kStateKey).toByteArray());
}

void MainWindow::saveSettings() const
{
  QSettings settings;
  settings.setValue(kGeometryKey, saveGeometry());
  settings.setValue(kStateKey, saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
  saveSettings();
  QMainWindow::closeEvent(event);
}

void MainWindow::runDemo()
{
  // A run starts from nothing: the new loop numbers its tasks and sites from 1 again.
  m_log->clear();
  m_formatter->reset();
  appendLog(tr("Running the demo scenario (real time). Stop: Esc; run again: Ctrl+R."));
  m_stopRequested = false;
  m_session->start(&demoScenario);
  m_stopAction->setEnabled(true);
  updateStatus();
}

void MainWindow::stop()
{
  if (m_session->requestCancel(QStringLiteral("Stop pressed"))) {
    m_stopRequested = true;
    updateStatus();
  }
}

void MainWindow::appendEvents(const std::vector<engine::DecodedEvent>& events)
{
  QStringList lines;
  for (const engine::DecodedEvent& event : events) {
    // Every event goes through the formatter, shown or not: it learns names and sites.
    QString line = m_formatter->format(event);
    if (!line.isEmpty()) {
      lines << std::move(line);
    }
  }
  // Only the last kMaxLogLines could stay in the log anyway.
  if (lines.size() > kMaxLogLines) {
    lines.erase(lines.begin(), lines.end() - kMaxLogLines);
  }
  // One append per batch: appending line by line re-lays out the document each time.
  if (!lines.isEmpty()) {
    m_log->appendPlainText(lines.join(QLatin1Char('\n')));
  }
  updateStatus();
}

void MainWindow::onFinished(const QString& outcome)
{
  m_stopAction->setEnabled(false);
  appendLog(tr("Scenario finished: %1.").arg(outcome));
  updateStatus();
}

void MainWindow::updateStatus()
{
  QString text;
  if (!m_session->isRunning()) {
    text = tr("finished: %1 — %2 events").arg(m_session->outcome()).arg(m_session->eventCount());
  } else if (m_stopRequested) {
    // The scenario decides how long its cancellation takes; say that it is under way.
    text = tr("running, cancel requested — %1 events").arg(m_session->eventCount());
  } else {
    text = tr("running — %1 events").arg(m_session->eventCount());
  }
  if (const auto dropped = m_session->droppedEvents(); dropped != 0) {
    text += tr(" (%1 dropped: the log fell behind)").arg(dropped);
  }
  m_status->setText(text);
}

}  // namespace loopscope::app
