// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QString>

class QCloseEvent;
class QPlainTextEdit;

namespace loopscope::views {
class TimelineWidget;
}

namespace loopscope::app {

class MainWindow : public QMainWindow
{
  Q_OBJECT

public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  MainWindow(const MainWindow&) = delete;
  MainWindow& operator=(const MainWindow&) = delete;
  MainWindow(MainWindow&&) = delete;
  MainWindow& operator=(MainWindow&&) = delete;

  // Appends one line to the Log dock.
  void appendLog(const QString& line);

  // Restores the window geometry and dock/toolbar layout saved by the last session.
  void restoreSettings();

signals:
  // Emitted by the Run action when something is connected to carry it out.
  void runRequested();

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void run();
  void saveSettings() const;

  views::TimelineWidget* m_timeline;
  QPlainTextEdit* m_log;
};

}  // namespace loopscope::app
