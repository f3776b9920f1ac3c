// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QMainWindow>
#include <QString>

#include <cstdint>
#include <optional>
#include <unordered_map>

class QAction;
class QCloseEvent;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace loopscope::views {
class InspectorWidget;
class LogFilterProxy;
class RunController;
class ScenarioPanel;
class ScriptEditor;
class ShutdownPanel;
class TimelineWidget;
}  // namespace loopscope::views

namespace loopscope::app {

// The main window: the timeline in the middle, docks around it (Scenario, Script, Tasks,
// Inspector, Shutdown, Log), the toolbar and menus. Every action is one call on the
// RunController.
//
// Scripts: the scenario list has a "Scripts" group (the example scripts, and the script opened
// last with File > Open script). Picking one loads it into the Script dock; Run then runs the
// dock's text as it is (unsaved edits included), read-only until the run ends. While it runs the
// dock marks the lines where tasks are suspended, follows the selected task, and shows the line
// of an await clicked on the timeline or in the inspector.
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

  // Picks a scenario by id (false: unknown id): a native scenario's id, or an example script's
  // ("timeouts.py"), which loads it into the Script dock.
  bool selectScenario(const QString& id);
  void setTimeScale(double scale);
  // How much of a live run the views keep ("5m", "2M ev", "off": views/retention.h); the View >
  // Keep history menu shows it and the setting remembers it. False with `error` set for a bad text.
  bool setRetention(const QString& text, QString* error = nullptr);
  // Runs the selected scenario with the form's parameters from the start, on a fresh loop.
  void runScenario();
  // Selects the task with this name (first match) in every view; false if there is none.
  bool selectTaskByName(const QString& name);
  // Opens a saved trace; errors go to a message box (interactive) or are returned.
  bool openTraceFile(const QString& path, QString* error = nullptr);

  // File > Open script: loads a script file into the Script dock and picks it for Run (replacing
  // the dock's text, edited or not). False with `error` set if it cannot be read.
  bool openScriptFile(const QString& path, QString* error = nullptr);
  // File > Save script: writes the dock's text to `path` atomically (QSaveFile); the dock's
  // script is that file from then on. False with `error` set on failure (the file is untouched).
  bool saveScriptFile(const QString& path, QString* error = nullptr);
  [[nodiscard]] views::ScriptEditor* scriptEditor() const noexcept { return m_scriptEditor; }
  // Whether Run runs the Script dock's script (a script is picked in the scenario list).
  [[nodiscard]] bool scriptPicked() const noexcept { return m_scriptPicked; }
  // The name the dock's script runs under: its path, or an example's id ("timeouts.py").
  [[nodiscard]] const QString& scriptName() const noexcept { return m_scriptName; }

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void createActions();
  void createDocks();
  void createMenus();
  void createToolBar();
  void createRetentionMenu(QMenu* parent);
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
  // Scripts.
  void openScript();
  void saveScript();
  void saveScriptAs();
  void runScript();
  // Loads `text` into the Script dock as `name` (`path`: its file, empty for an example) and
  // picks it for Run.
  void loadScript(const QString& text, const QString& name, const QString& path);
  // Shows the picked script's title, description and grace deadline in the Scenario panel.
  void showScriptInPanel();
  // Asks before the dock's unsaved edits are replaced (only when the window is shown).
  bool confirmDiscardScript();
  void updateScriptDockTitle();
  // Shows and raises the Script dock, widening the column for code when it was hidden.
  void showScriptDock();
  // The suspended tasks of a script run as Script dock markers; skipped when nothing changed.
  void updateScriptMarkers(bool force);
  // Shows a site's line in the Script dock when it is a line of the script that ran.
  void revealSite(std::uint32_t site);
  void onRunFinished();
  // Selects the scenario list's entry for a script file (adding it: one entry for the file
  // opened last) without reloading it.
  void pickScriptFileEntry(const QString& path);

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
  QMenu* m_retentionMenu = nullptr;

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
  QAction* m_openScriptAction = nullptr;
  QAction* m_saveScriptAction = nullptr;
  QAction* m_saveScriptAsAction = nullptr;
  QAction* m_quitAction = nullptr;

  std::uint32_t m_selected = 0;

  // The Script dock and the script picked for Run.
  QDockWidget* m_scriptDock = nullptr;
  views::ScriptEditor* m_scriptEditor = nullptr;
  bool m_scriptPicked = false;
  QString m_scriptName;                 // the name it runs under (path, or an example's id)
  QString m_scriptPath;                 // its file; empty for an example not saved yet
  std::optional<double> m_scriptGrace;  // the script's own default (# loopscope: grace=...)
  QString m_scriptTitle;                // from its leading comment
  QString m_scriptDescription;
  int m_previousComboIndex = 0;  // to go back when the user keeps unsaved edits
  // What the last script run ran: the dock's markers and error belong to this text.
  QString m_runText;
  bool m_runMatchesDock = false;
  std::uint64_t m_markersRevision = ~std::uint64_t{0};
  QElapsedTimer m_markersClock;
  std::unordered_map<std::uint32_t, int> m_siteLines;  // site id -> script line, or 0
};

}  // namespace loopscope::app
