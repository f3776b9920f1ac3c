// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QString>

#include <memory>
#include <vector>

class QAction;
class QCloseEvent;
class QLabel;
class QPlainTextEdit;

// Forward declarations keep moc away from the engine headers.
namespace loopscope::engine {
struct DecodedEvent;
}
namespace loopscope::views {
class EngineSession;
class EventFormatter;
class TimelineWidget;
}  // namespace loopscope::views

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

  // Runs the demo scenario from the start on a fresh loop, abandoning a run in progress.
  void runDemo();
  // Asks the running scenario to stop: cancels its main task.
  void stop();

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void appendEvents(const std::vector<engine::DecodedEvent>& events);
  void onFinished(const QString& outcome);
  void updateStatus();
  void saveSettings() const;

  views::TimelineWidget* m_timeline;
  QPlainTextEdit* m_log;
  QLabel* m_status;
  QAction* m_stopAction;
  views::EngineSession* m_session;
  std::unique_ptr<views::EventFormatter> m_formatter;
  bool m_stopRequested = false;
};

}  // namespace loopscope::app
