// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QString>

#include <cstdint>

class QAction;
class QCloseEvent;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace loopscope::views {
class InspectorWidget;
class LogFilterProxy;
class RunController;
class ScenarioPanel;
class ShutdownPanel;
class TimelineWidget;
}  // namespace loopscope::views

namespace loopscope::app {

// The main window: the timeline in the middle, docks around it (Scenario, Tasks, Inspector,
// Shutdown, Log), the toolbar and menus. Every action is one call on the RunController.
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

  // Restores the window geometry, dock layout, scenario and time scale of the last session.
  void restoreSettings();

  [[nodiscard]] views::RunController& controller() const noexcept { return *m_controller; }
  [[nodiscard]] views::TimelineWidget* timeline() const noexcept { return m_timeline; }

  // Picks a scenario by id (false: unknown id).
  bool selectScenario(const QString& id);
  void setTimeScale(double scale);
  // Runs the selected scenario with the form's parameters from the start, on a fresh loop.
  void runScenario();
  // Selects the task with this name (first match) in every view; false if there is none.
  bool selectTaskByName(const QString& name);
  // Opens a saved trace; errors go to a message box (interactive) or are returned.
  bool openTraceFile(const QString& path, QString* error = nullptr);

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void createActions();
  void createDocks();
  void createMenus();
  void createToolBar();
  void saveSettings() const;
  void onScenarioPicked(int index);
  void onStateChanged();
  void onUpdated(std::int64_t now);
  void onModelReset();
  void selectTask(std::uint32_t id);
  void cancelSelectedTask();
  void exportImage();
  void exportTrace();
  void openTrace();
  void updateStatus();

  views::RunController* m_controller;
  views::TimelineWidget* m_timeline;
  views::InspectorWidget* m_inspector = nullptr;
  views::ShutdownPanel* m_shutdown = nullptr;
  views::ScenarioPanel* m_scenarioPanel = nullptr;
  QTableView* m_taskView = nullptr;
  QSortFilterProxyModel* m_taskProxy = nullptr;
  QTableView* m_logView = nullptr;
  views::LogFilterProxy* m_logProxy = nullptr;
  QLineEdit* m_logFilter = nullptr;
  QAction* m_logSelectedOnly = nullptr;  // Ctrl+L: the log shows the selected task's rows only
  QList<QAction*> m_logKindActions;      // one per kind group; data() = the group's kinds
  void applyLogFilters();
  QComboBox* m_scenarioCombo = nullptr;
  QComboBox* m_scaleCombo = nullptr;
  QLineEdit* m_cancelMessage = nullptr;
  QLabel* m_status = nullptr;

  QAction* m_runAction = nullptr;
  QAction* m_stopAction = nullptr;
  QAction* m_cancelAction = nullptr;
  QAction* m_sigintAction = nullptr;
  QAction* m_sigtermAction = nullptr;
  QAction* m_followAction = nullptr;
  QAction* m_fitAction = nullptr;
  QAction* m_zoomInAction = nullptr;
  QAction* m_zoomOutAction = nullptr;
  QAction* m_exportImageAction = nullptr;
  QAction* m_exportTraceAction = nullptr;
  QAction* m_openTraceAction = nullptr;
  QAction* m_quitAction = nullptr;

  std::uint32_t m_selected = 0;
};

}  // namespace loopscope::app
