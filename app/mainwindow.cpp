// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <views/timelinewidget.h>

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QKeySequence>
#include <QMetaMethod>
#include <QPlainTextEdit>
#include <QSettings>
#include <QToolBar>

namespace loopscope::app {

namespace {

// Keeps a long-running session's log from growing without bound.
constexpr int kMaxLogLines = 10000;

constexpr QLatin1StringView kGeometryKey("mainWindow/geometry");
constexpr QLatin1StringView kStateKey("mainWindow/state");

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_timeline(new views::TimelineWidget(this))
    , m_log(new QPlainTextEdit(this))
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
  runAction->setToolTip(tr("Run the scenario (Ctrl+R)"));
  connect(runAction, &QAction::triggered, this, &MainWindow::run);

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

  auto* logDock = new QDockWidget(tr("Log"), this);
  logDock->setObjectName(QStringLiteral("logDock"));
  logDock->setWidget(m_log);
  addDockWidget(Qt::BottomDockWidgetArea, logDock);

  resize(1200, 800);
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

void MainWindow::run()
{
  // Say so instead of silently doing nothing while no engine is attached to this window.
  if (!isSignalConnected(QMetaMethod::fromSignal(&MainWindow::runRequested))) {
    appendLog(tr("Run: no scenario engine is connected to this window yet."));
    return;
  }
  emit runRequested();
}

}  // namespace loopscope::app
