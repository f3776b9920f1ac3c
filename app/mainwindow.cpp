// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "exportdialog.h"
#include "scriptcatalog.h"

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/scenarios.h>
#include <views/enginesession.h>
#include <views/inspectorwidget.h>
#include <views/logmodel.h>
#include <views/retention.h>
#include <views/runcontroller.h>
#include <views/scenariopanel.h>
#include <views/scripteditor.h>
#include <views/shutdownpanel.h>
#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>
#include <views/timelinewidget.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTextDocument>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <csignal>

namespace loopscope::app {

namespace {

constexpr QLatin1StringView kGeometryKey("mainWindow/geometry");
constexpr QLatin1StringView kStateKey("mainWindow/state");
constexpr QLatin1StringView kScenarioKey("run/scenario");
constexpr QLatin1StringView kScaleKey("run/timeScale");
constexpr QLatin1StringView kRetentionKey("run/retention");
constexpr QLatin1StringView kExportDirKey("export/dir");
constexpr QLatin1StringView kScriptDirKey("script/dir");

// Scenario list entries that are scripts: "script:<example id>", "file:<path>".
constexpr QLatin1StringView kScriptPrefix("script:");
constexpr QLatin1StringView kFilePrefix("file:");
// The Scenario panel's parameter for a script's grace deadline.
constexpr const char* kGraceKey = "grace";
// The Script dock's markers are rebuilt at most this often while a run goes on.
constexpr qint64 kMarkersIntervalMs = 50;

const double kScales[] = {0.1, 0.25, 0.5, 1.0, 2.0, 4.0};

QAction* makeAction(QObject* parent, const QString& objectName, const QString& text,
                    const QList<QKeySequence>& keys, const QString& tip)
{
  auto* action = new QAction(text, parent);
  action->setObjectName(objectName);
  action->setShortcuts(keys);
  QString tooltip = tip;
  if (!keys.isEmpty()) {
    tooltip += QStringLiteral(" (%1)").arg(keys.front().toString(QKeySequence::NativeText));
  }
  action->setToolTip(tooltip);
  action->setStatusTip(tip);
  return action;
}

// What a suspended script task waits for, for the Script dock's tooltip: "sleep until 2.500 s",
// "task worker-1", "Event", "Queue jobs".
QString awaitLabel(const views::TimelineModel& m, const views::TaskInfo& t)
{
  using engine::AwaitKind;
  QString what;
  switch (t.awaitKind) {
    case AwaitKind::Sleep:
      what = QStringLiteral("sleep until %1")
                 .arg(QString::fromStdString(
                     views::timeline::formatTime(static_cast<std::int64_t>(t.awaiting))));
      break;
    case AwaitKind::Task:
      what = QStringLiteral("task %1").arg(
          QString::fromStdString(m.taskName(static_cast<std::uint32_t>(t.awaiting))));
      break;
    case AwaitKind::Yield:
      what = QStringLiteral("a yield (sleep(0))");
      break;
    default: {
      const std::string label = t.awaiting != 0 ? m.objectLabel(t.awaiting) : std::string();
      const std::string_view kind = engine::await_kind_name(t.awaitKind);
      what = !label.empty() ? QString::fromStdString(label)
                            : QString::fromLatin1(kind.data(), static_cast<qsizetype>(kind.size()));
      break;
    }
  }
  return t.state == views::TaskState::Cancelling ? QStringLiteral("cancelling; ") + what : what;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_controller(new views::RunController(this))
    , m_timeline(new views::TimelineWidget(this))
    , m_status(new QLabel(this))
{
  setWindowTitle(QStringLiteral("loopscope"));
  m_timeline->setModel(&m_controller->model());
  setCentralWidget(m_timeline);
  setDockNestingEnabled(true);

  createActions();
  createDocks();
  createMenus();
  createToolBar();
  statusBar()->addWidget(m_status, 1);

  connect(m_controller, &views::RunController::updated, this, &MainWindow::onUpdated);
  connect(m_controller, &views::RunController::stateChanged, this, &MainWindow::onStateChanged);
  connect(m_controller, &views::RunController::modelReset, this, &MainWindow::onModelReset);
  // A run that ends while the view follows "now" is shown whole; a view the user zoomed or
  // panned is left where it is.
  connect(m_controller, &views::RunController::finished, this, [this] {
    if (m_timeline->follow()) {
      m_timeline->zoomToFit();
    }
  });
  connect(m_controller, &views::RunController::finished, this, &MainWindow::onRunFinished);
  connect(m_timeline, &views::TimelineWidget::taskSelected, this, &MainWindow::selectTask);
  connect(m_timeline, &views::TimelineWidget::siteClicked, this, &MainWindow::revealSite);
  connect(m_timeline, &views::TimelineWidget::followChanged, m_followAction, &QAction::setChecked);

  resize(1500, 950);
  onScenarioPicked(m_scenarioCombo->currentIndex());
  onStateChanged();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
  m_runAction = makeAction(this, QStringLiteral("runAction"), tr("Run"),
                           {QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5)},
                           tr("Run the scenario from the start on a fresh event loop; restarts "
                              "a run in progress"));
  connect(m_runAction, &QAction::triggered, this, &MainWindow::runScenario);

  m_stopAction = makeAction(this, QStringLiteral("stopAction"), tr("Stop"),
                            {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)},
                            tr("Cancel the main task and let the scenario shut down; press again "
                               "to abandon the run at once"));
  connect(m_stopAction, &QAction::triggered, m_controller, &views::RunController::stop);

  m_cancelAction =
      makeAction(this, QStringLiteral("cancelTaskAction"), tr("Cancel task"),
                 {QKeySequence(Qt::Key_Delete), QKeySequence(Qt::CTRL | Qt::Key_K)},
                 tr("Task.cancel(message) on the selected task: CancelledError is delivered at "
                    "its next await"));
  connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelSelectedTask);

  m_sigintAction = makeAction(this, QStringLiteral("sigintAction"), tr("SIGINT"),
                              {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)},
                              tr("Send a real SIGINT to this process, like Ctrl+C in the "
                                 "terminal: asyncio.run cancels main, a second one interrupts"));
  connect(m_sigintAction, &QAction::triggered, this, [this] { m_controller->sendSignal(SIGINT); });

  m_sigtermAction = makeAction(this, QStringLiteral("sigtermAction"), tr("SIGTERM"),
                               {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T)},
                               tr("Send a real SIGTERM to this process, as a process supervisor "
                                  "does to stop a service"));
  connect(m_sigtermAction, &QAction::triggered, this,
          [this] { m_controller->sendSignal(SIGTERM); });

  m_followAction =
      makeAction(this, QStringLiteral("followAction"), tr("Follow"), {QKeySequence(Qt::Key_F)},
                 tr("Keep the live end of the run in view (panning turns it off)"));
  m_followAction->setCheckable(true);
  m_followAction->setChecked(true);
  connect(m_followAction, &QAction::toggled, m_timeline, &views::TimelineWidget::setFollow);

  m_fitAction = makeAction(this, QStringLiteral("zoomFitAction"), tr("Zoom to fit"),
                           {QKeySequence(Qt::CTRL | Qt::Key_0)}, tr("Show the whole run"));
  connect(m_fitAction, &QAction::triggered, m_timeline, &views::TimelineWidget::zoomToFit);
  m_zoomInAction = makeAction(this, QStringLiteral("zoomInAction"), tr("Zoom in"),
                              {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)},
                              tr("Zoom in on time (or the mouse wheel over the timeline)"));
  connect(m_zoomInAction, &QAction::triggered, this, [this] { m_timeline->zoomBy(0.5); });
  m_zoomOutAction = makeAction(this, QStringLiteral("zoomOutAction"), tr("Zoom out"),
                               {QKeySequence::ZoomOut}, tr("Zoom out on time"));
  connect(m_zoomOutAction, &QAction::triggered, this, [this] { m_timeline->zoomBy(2.0); });

  m_exportImageAction = makeAction(this, QStringLiteral("exportImageAction"), tr("Export image…"),
                                   {QKeySequence(Qt::CTRL | Qt::Key_E)},
                                   tr("Save the timeline as PNG, JPG, PDF or SVG"));
  connect(m_exportImageAction, &QAction::triggered, this, &MainWindow::exportImage);
  m_exportTraceAction = makeAction(
      this, QStringLiteral("exportTraceAction"), tr("Export trace…"),
      {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)},
      tr("Save the run as Trace Event JSON (opens in Perfetto, chrome://tracing and here)"));
  connect(m_exportTraceAction, &QAction::triggered, this, &MainWindow::exportTrace);
  m_openTraceAction = makeAction(this, QStringLiteral("openTraceAction"), tr("Open trace…"),
                                 {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)},
                                 tr("View a saved run again without re-running it"));
  connect(m_openTraceAction, &QAction::triggered, this, &MainWindow::openTrace);
  m_openScriptAction =
      makeAction(this, QStringLiteral("openScriptAction"), tr("Open script…"), {QKeySequence::Open},
                 tr("Open a Python asyncio script in the Script dock; Run runs it"));
  connect(m_openScriptAction, &QAction::triggered, this, &MainWindow::openScript);
  m_saveScriptAction = makeAction(this, QStringLiteral("saveScriptAction"), tr("Save script"),
                                  {QKeySequence::Save}, tr("Save the Script dock's script"));
  connect(m_saveScriptAction, &QAction::triggered, this, &MainWindow::saveScript);
  m_saveScriptAsAction =
      makeAction(this, QStringLiteral("saveScriptAsAction"), tr("Save script as…"),
                 {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
                 tr("Save the Script dock's script to another file"));
  connect(m_saveScriptAsAction, &QAction::triggered, this, &MainWindow::saveScriptAs);
  m_quitAction = makeAction(this, QStringLiteral("quitAction"), tr("Quit"),
                            {QKeySequence(Qt::CTRL | Qt::Key_Q)}, tr("Quit loopscope"));
  // close() rather than quit() so closeEvent() saves the window layout.
  connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createToolBar()
{
  // Object names let saveState()/restoreState() find the toolbar and docks again.
  auto* bar = addToolBar(tr("Main"));
  bar->setObjectName(QStringLiteral("mainToolBar"));
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);

  m_scenarioCombo = new QComboBox(bar);
  m_scenarioCombo->setObjectName(QStringLiteral("scenarioCombo"));
  m_scenarioCombo->setToolTip(
      tr("Scenario to run (its description and parameters are in the "
         "Scenario panel)"));
  for (const auto& s : engine::scenarios::catalog()) {
    m_scenarioCombo->addItem(QString::fromStdString(s.title), QString::fromStdString(s.id));
  }
  if (!app::scriptCatalog().isEmpty()) {
    // The example scripts, under a header that cannot be picked.
    m_scenarioCombo->insertSeparator(m_scenarioCombo->count());
    m_scenarioCombo->addItem(tr("Scripts (Python, in the Script dock)"));
    if (auto* model = qobject_cast<QStandardItemModel*>(m_scenarioCombo->model())) {
      QStandardItem* header = model->item(m_scenarioCombo->count() - 1);
      header->setFlags(header->flags() & ~(Qt::ItemIsSelectable | Qt::ItemIsEnabled));
    }
    for (const app::CatalogScript& script : app::scriptCatalog()) {
      m_scenarioCombo->addItem(QStringLiteral("%1 — %2").arg(script.id, script.header.title),
                               kScriptPrefix + script.id);
    }
  }
  m_scenarioCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_scenarioCombo->setMaximumWidth(fontMetrics().averageCharWidth() * 60);
  connect(m_scenarioCombo, &QComboBox::currentIndexChanged, this, &MainWindow::onScenarioPicked);
  bar->addWidget(m_scenarioCombo);
  bar->addAction(m_runAction);
  bar->addAction(m_stopAction);
  bar->addSeparator();
  bar->addAction(m_cancelAction);
  m_cancelMessage = new QLineEdit(bar);
  m_cancelMessage->setObjectName(QStringLiteral("cancelMessage"));
  m_cancelMessage->setPlaceholderText(tr("cancel message (optional)"));
  m_cancelMessage->setToolTip(tr("The message Task.cancel() passes to CancelledError"));
  m_cancelMessage->setMaximumWidth(170);
  bar->addWidget(m_cancelMessage);
  bar->addAction(m_sigintAction);
  bar->addAction(m_sigtermAction);
  bar->addSeparator();

  m_scaleCombo = new QComboBox(bar);
  m_scaleCombo->setObjectName(QStringLiteral("timeScaleCombo"));
  m_scaleCombo->setToolTip(
      tr("Time scale: loop seconds per real second (0.25× shows a "
         "scenario four times slower)"));
  for (const double s : kScales) {
    m_scaleCombo->addItem(QStringLiteral("%1×").arg(s), s);
  }
  m_scaleCombo->setCurrentIndex(3);
  connect(m_scaleCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
    m_controller->setTimeScale(m_scaleCombo->itemData(index).toDouble());
  });
  bar->addWidget(m_scaleCombo);
  bar->addSeparator();
  bar->addAction(m_followAction);
  bar->addAction(m_fitAction);
  bar->addAction(m_zoomInAction);
  bar->addAction(m_zoomOutAction);
  bar->addSeparator();
  bar->addAction(m_exportImageAction);
}

void MainWindow::createMenus()
{
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(m_openScriptAction);
  file->addAction(m_saveScriptAction);
  file->addAction(m_saveScriptAsAction);
  file->addSeparator();
  file->addAction(m_openTraceAction);
  file->addSeparator();
  file->addAction(m_exportImageAction);
  file->addAction(m_exportTraceAction);
  file->addSeparator();
  file->addAction(m_quitAction);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addAction(m_runAction);
  run->addAction(m_stopAction);
  run->addSeparator();
  run->addAction(m_cancelAction);
  run->addAction(m_sigintAction);
  run->addAction(m_sigtermAction);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(m_followAction);
  view->addAction(m_fitAction);
  view->addAction(m_zoomInAction);
  view->addAction(m_zoomOutAction);
  view->addSeparator();
  createRetentionMenu(view);
  view->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) {
    view->addAction(dock->toggleViewAction());
  }
  for (QAction* a : {m_runAction, m_stopAction, m_cancelAction, m_sigintAction, m_sigtermAction,
                     m_followAction, m_fitAction, m_zoomInAction, m_zoomOutAction}) {
    addAction(a);  // shortcuts work wherever the focus is
  }
}

void MainWindow::createRetentionMenu(QMenu* parent)
{
  m_retentionMenu = parent->addMenu(tr("&Keep History"));
  m_retentionMenu->setObjectName(QStringLiteral("retentionMenu"));
  m_retentionMenu->setToolTipsVisible(true);
  auto* group = new QActionGroup(m_retentionMenu);
  const struct
  {
    const char* label;
    const char* text;
  } choices[] = {
      {QT_TR_NOOP("&Everything"), "off"},
      {QT_TR_NOOP("Last &1 min"), "1m"},
      {QT_TR_NOOP("Last &5 min"), "5m"},
      {QT_TR_NOOP("Last 1&5 min"), "15m"},
      {QT_TR_NOOP("Last 1 &hour"), "1h"},
      {QT_TR_NOOP("Last 1,000,000 e&vents"), "1000000ev"},
      {QT_TR_NOOP("Last 5,000,000 eve&nts"), "5000000ev"},
  };
  for (const auto& c : choices) {
    QAction* a = m_retentionMenu->addAction(tr(c.label));
    a->setCheckable(true);
    a->setData(QString::fromLatin1(c.text));
    a->setToolTip(
        c.text == std::string_view("off")
            ? tr("Keep the whole run (memory grows with it)")
            : tr("Drop what ended before that: a long run stays within bounded memory. Totals of "
                 "what was dropped stay in the status bar."));
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, a] { setRetention(a->data().toString()); });
  }
  m_retentionMenu->actions().front()->setChecked(true);
}

bool MainWindow::setRetention(const QString& text, QString* error)
{
  std::string message;
  const std::optional<views::Retention> r = views::parseRetention(text.toStdString(), &message);
  if (!r) {
    if (error != nullptr) {
      *error = QString::fromStdString(message);
    }
    return false;
  }
  m_controller->setRetention(*r);
  const QString canonical = QString::fromStdString(views::retentionText(*r));
  bool listed = false;
  for (QAction* a : m_retentionMenu->actions()) {
    const bool mine = a->data().toString() == canonical;
    a->setChecked(mine);
    listed = listed || mine;
  }
  if (!listed) {  // from the command line: a choice of its own
    QAction* custom = m_retentionMenu->addAction(
        tr("Last %1").arg(QString::fromStdString(views::describeRetention(*r)).mid(5)));
    custom->setCheckable(true);
    custom->setData(canonical);
    custom->setActionGroup(m_retentionMenu->actions().front()->actionGroup());
    custom->setChecked(true);
    connect(custom, &QAction::triggered, this,
            [this, custom] { setRetention(custom->data().toString()); });
  }
  updateStatus();
  return true;
}

void MainWindow::createDocks()
{
  auto addDock = [this](const QString& title, const QString& name, QWidget* widget,
                        Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    return dock;
  };

  m_scenarioPanel = new views::ScenarioPanel(this);
  QDockWidget* scenarioDock = addDock(tr("Scenario"), QStringLiteral("scenarioDock"),
                                      m_scenarioPanel, Qt::LeftDockWidgetArea);
  connect(m_scenarioPanel, &views::ScenarioPanel::valuesChanged, this,
          [this] { m_controller->setValues(m_scenarioPanel->values()); });

  // Script: the picked script's code; while it runs, where its tasks are.
  auto* scriptPane = new QWidget(this);
  auto* scriptLayout = new QVBoxLayout(scriptPane);
  scriptLayout->setContentsMargins(0, 0, 0, 0);
  scriptLayout->setSpacing(0);
  auto* scriptBar = new QToolBar(scriptPane);
  scriptBar->setObjectName(QStringLiteral("scriptToolBar"));
  scriptBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  scriptBar->addAction(m_runAction);
  scriptBar->addAction(m_stopAction);
  scriptBar->addSeparator();
  scriptBar->addAction(m_openScriptAction);
  scriptBar->addAction(m_saveScriptAction);
  m_scriptEditor = new views::ScriptEditor(scriptPane);
  m_scriptEditor->setObjectName(QStringLiteral("scriptEditor"));
  scriptLayout->addWidget(scriptBar);
  scriptLayout->addWidget(m_scriptEditor);
  m_scriptDock =
      addDock(tr("Script"), QStringLiteral("scriptDock"), scriptPane, Qt::LeftDockWidgetArea);
  // A tab next to the Scenario panel: the code needs the column's whole height.
  tabifyDockWidget(scenarioDock, m_scriptDock);
  scenarioDock->raise();
  m_scriptDock->hide();  // shown when a script is picked
  connect(m_scriptEditor, &views::ScriptEditor::taskClicked, this, &MainWindow::selectTask);
  connect(m_scriptEditor, &views::ScriptEditor::modificationChanged, this,
          &MainWindow::updateScriptDockTitle);
  // Markers and the error belong to the text that ran: an edit that changes it drops them.
  connect(m_scriptEditor->textEdit()->document(), &QTextDocument::contentsChanged, this, [this] {
    if (m_runMatchesDock && m_scriptEditor->script() != m_runText) {
      m_runMatchesDock = false;
      m_scriptEditor->clearSuspendedTasks();
    }
  });

  m_inspector = new views::InspectorWidget(this);
  m_inspector->setModel(&m_controller->model());
  QDockWidget* inspectorDock = addDock(tr("Inspector"), QStringLiteral("inspectorDock"),
                                       m_inspector, Qt::RightDockWidgetArea);
  connect(m_inspector, &views::InspectorWidget::taskActivated, this, &MainWindow::selectTask);
  connect(m_inspector, &views::InspectorWidget::siteActivated, this, &MainWindow::revealSite);

  m_shutdown = new views::ShutdownPanel(this);
  m_shutdown->setModel(&m_controller->model());
  QDockWidget* shutdownDock =
      addDock(tr("Shutdown"), QStringLiteral("shutdownDock"), m_shutdown, Qt::RightDockWidgetArea);
  connect(m_shutdown, &views::ShutdownPanel::taskActivated, this, &MainWindow::selectTask);
  splitDockWidget(inspectorDock, shutdownDock, Qt::Vertical);

  // Tasks: sortable, filterable by name.
  auto* tasksPane = new QWidget(this);
  auto* tasksLayout = new QVBoxLayout(tasksPane);
  tasksLayout->setContentsMargins(0, 0, 0, 0);
  auto* taskFilter = new QLineEdit(tasksPane);
  taskFilter->setObjectName(QStringLiteral("taskFilter"));
  taskFilter->setPlaceholderText(tr("Filter tasks by name, state or await site…"));
  taskFilter->setClearButtonEnabled(true);
  m_taskProxy = new QSortFilterProxyModel(this);
  m_taskProxy->setSourceModel(m_controller->taskTable());
  m_taskProxy->setSortRole(views::TaskTableModel::SortRole);
  m_taskProxy->setFilterKeyColumn(-1);
  m_taskProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
  connect(taskFilter, &QLineEdit::textChanged, m_taskProxy,
          &QSortFilterProxyModel::setFilterFixedString);
  m_taskView = new QTableView(tasksPane);
  m_taskView->setObjectName(QStringLiteral("taskTable"));
  m_taskView->setModel(m_taskProxy);
  m_taskView->setSortingEnabled(true);
  m_taskView->sortByColumn(views::TaskTableModel::IdColumn, Qt::AscendingOrder);
  m_taskView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_taskView->setSelectionMode(QAbstractItemView::SingleSelection);
  m_taskView->verticalHeader()->hide();
  m_taskView->verticalHeader()->setDefaultSectionSize(20);
  m_taskView->horizontalHeader()->setStretchLastSection(true);
  m_taskView->setAlternatingRowColors(true);
  {
    // Widths for what each column holds, in average characters, so that the first columns
    // (who, state, where) fit in the dock without scrolling.
    using T = views::TaskTableModel;
    const struct
    {
      int column;
      int chars;
    } widths[] = {{T::IdColumn, 5},
                  {T::NameColumn, 13},
                  {T::StateColumn, 17},
                  {T::ParentColumn, 10},
                  {T::AwaitSiteColumn, 18},
                  {T::AwaitingColumn, 16},
                  {T::CancelRequestsColumn, 8},
                  {T::CancellingColumn, 10},
                  {T::StepsColumn, 7},
                  {T::BusyColumn, 11},
                  {T::ReadyColumn, 11},
                  {T::IdleColumn, 11}};
    const int ch = m_taskView->fontMetrics().averageCharWidth();
    const QFontMetrics header(m_taskView->horizontalHeader()->font());
    for (const auto& w : widths) {
      const QString title =
          m_taskProxy->headerData(w.column, Qt::Horizontal, Qt::DisplayRole).toString();
      // Room for the header's text and its sort arrow, at least.
      m_taskView->setColumnWidth(w.column,
                                 std::max(w.chars * ch, header.horizontalAdvance(title) + 4 * ch));
    }
  }
  connect(m_taskView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) {
              selectTask(current.data(views::TaskTableModel::TaskIdRole).toUInt());
            }
          });
  tasksLayout->addWidget(taskFilter);
  tasksLayout->addWidget(m_taskView);
  QDockWidget* tasksDock =
      addDock(tr("Tasks"), QStringLiteral("tasksDock"), tasksPane, Qt::BottomDockWidgetArea);

  // Log: the event stream and the scenario's output, filterable.
  auto* logPane = new QWidget(this);
  auto* logLayout = new QVBoxLayout(logPane);
  logLayout->setContentsMargins(0, 0, 0, 0);
  m_logFilter = new QLineEdit(logPane);
  m_logFilter->setObjectName(QStringLiteral("logFilter"));
  m_logFilter->setPlaceholderText(tr("Filter the log by text…"));
  m_logFilter->setClearButtonEnabled(true);
  m_logProxy = new views::LogFilterProxy(this);
  m_logProxy->setSourceModel(m_controller->log());
  connect(m_logFilter, &QLineEdit::textChanged, m_logProxy, &views::LogFilterProxy::setText);

  // Filter by task: the selected task only (Ctrl+L), and by kind: groups of event kinds.
  m_logSelectedOnly = new QAction(tr("Selected task"), logPane);
  m_logSelectedOnly->setObjectName(QStringLiteral("logSelectedOnlyAction"));
  m_logSelectedOnly->setCheckable(true);
  m_logSelectedOnly->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  m_logSelectedOnly->setShortcutContext(Qt::WindowShortcut);
  m_logSelectedOnly->setToolTip(tr("Show only the selected task's events (Ctrl+L)"));
  connect(m_logSelectedOnly, &QAction::toggled, this, &MainWindow::applyLogFilters);
  addAction(m_logSelectedOnly);
  auto* selectedOnlyButton = new QToolButton(logPane);
  selectedOnlyButton->setDefaultAction(m_logSelectedOnly);

  using K = engine::EventKind;
  const struct
  {
    QString label;
    QList<K> kinds;
  } groups[] = {
      {tr("Tasks created, done, failed"), {K::TaskCreated, K::TaskRenamed, K::TaskDone}},
      {tr("Awaits and wake-ups"), {K::Suspended, K::Ready, K::StepBegin}},
      {tr("Cancellation"),
       {K::CancelRequested, K::CancelDelivered, K::CancelSwallowed, K::Uncancel}},
      {tr("Timeouts"),
       {K::TimeoutArmed, K::TimeoutRescheduled, K::TimeoutFired, K::TimeoutDisarmed}},
      {tr("Signals and shutdown"), {K::SignalReceived, K::ShutdownPhase}},
      {tr("Warnings: slow steps, diagnostics"), {K::SlowStep, K::Diagnostic, K::CallbackError}},
      {tr("Callbacks and thread-pool jobs"),
       {K::CallbackBegin, K::CallbackEnd, K::ExecutorJobBegin, K::ExecutorJobEnd}},
      {tr("Printed output"), {K::Print}},
      {tr("Objects awaited"), {K::ObjectCreated}},
  };
  auto* kindsButton = new QToolButton(logPane);
  kindsButton->setObjectName(QStringLiteral("logKindsButton"));
  kindsButton->setText(tr("Kinds"));
  kindsButton->setToolTip(tr("Choose which kinds of events the log shows"));
  kindsButton->setPopupMode(QToolButton::InstantPopup);
  auto* kindsMenu = new QMenu(kindsButton);
  for (const auto& group : groups) {
    QAction* action = kindsMenu->addAction(group.label);
    action->setCheckable(true);
    action->setChecked(true);
    QVariantList kinds;
    for (K k : group.kinds) {
      kinds << static_cast<int>(k);
    }
    action->setData(kinds);
    connect(action, &QAction::toggled, this, &MainWindow::applyLogFilters);
    m_logKindActions << action;
  }
  kindsMenu->addSeparator();
  connect(kindsMenu->addAction(tr("Show all kinds")), &QAction::triggered, this, [this] {
    for (QAction* a : std::as_const(m_logKindActions)) {
      const QSignalBlocker blocker(a);
      a->setChecked(true);
    }
    applyLogFilters();
  });
  kindsButton->setMenu(kindsMenu);
  auto* filterRow = new QHBoxLayout;
  filterRow->setContentsMargins(0, 0, 0, 0);
  filterRow->addWidget(m_logFilter, 1);
  filterRow->addWidget(selectedOnlyButton);
  filterRow->addWidget(kindsButton);
  m_logView = new QTableView(logPane);
  m_logView->setObjectName(QStringLiteral("logView"));
  m_logView->setModel(m_logProxy);
  m_logView->verticalHeader()->hide();
  m_logView->verticalHeader()->setDefaultSectionSize(18);
  m_logView->horizontalHeader()->setStretchLastSection(true);
  m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_logView->setWordWrap(false);
  logLayout->addLayout(filterRow);
  logLayout->addWidget(m_logView);
  QDockWidget* logDock =
      addDock(tr("Log"), QStringLiteral("logDock"), logPane, Qt::BottomDockWidgetArea);
  splitDockWidget(tasksDock, logDock, Qt::Horizontal);
  connect(m_logView, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    selectTask(index.data(views::LogModel::TaskIdRole).toUInt());
  });

  resizeDocks({scenarioDock}, {300}, Qt::Horizontal);

  resizeDocks({inspectorDock}, {380}, Qt::Horizontal);
  resizeDocks({tasksDock}, {280}, Qt::Vertical);
  resizeDocks({tasksDock, logDock}, {800, 700}, Qt::Horizontal);
}

bool MainWindow::selectScenario(const QString& id)
{
  int index = m_scenarioCombo->findData(id);
  if (index < 0 && !id.isEmpty()) {
    index = m_scenarioCombo->findData(kScriptPrefix + id);
  }
  if (index < 0) {
    return false;
  }
  if (index == m_scenarioCombo->currentIndex()) {
    onScenarioPicked(index);  // e.g. back to the example after the dock held another script
  } else {
    m_scenarioCombo->setCurrentIndex(index);
  }
  return m_scenarioCombo->currentIndex() == index;
}

void MainWindow::setTimeScale(double scale)
{
  int best = 0;
  for (int i = 0; i < m_scaleCombo->count(); ++i) {
    if (std::abs(m_scaleCombo->itemData(i).toDouble() - scale) <
        std::abs(m_scaleCombo->itemData(best).toDouble() - scale)) {
      best = i;
    }
  }
  m_scaleCombo->setCurrentIndex(best);
  m_controller->setTimeScale(scale);
}

void MainWindow::onScenarioPicked(int index)
{
  const QString id = m_scenarioCombo->itemData(index).toString();
  const bool example = id.startsWith(kScriptPrefix);
  if (example || id.startsWith(kFilePrefix)) {
    const QString key = id.mid(example ? kScriptPrefix.size() : kFilePrefix.size());
    const auto back = [this] {
      const QSignalBlocker blocker(m_scenarioCombo);
      m_scenarioCombo->setCurrentIndex(m_previousComboIndex);
    };
    if (m_scriptName != key) {
      if (!confirmDiscardScript()) {
        back();
        return;
      }
      if (example) {
        const app::CatalogScript* script = app::findCatalogScript(key);
        if (script == nullptr) {
          back();
          return;
        }
        loadScript(app::catalogScriptText(*script), script->id, {});
      } else {
        QFile file(key);
        if (!file.open(QIODevice::ReadOnly)) {
          QMessageBox::warning(this, tr("Cannot open script"),
                               tr("Cannot read %1: %2").arg(key, file.errorString()));
          back();
          return;
        }
        loadScript(QString::fromUtf8(file.readAll()), key, key);
      }
    } else {
      m_scriptPicked = true;
      showScriptInPanel();
      showScriptDock();
    }
    m_previousComboIndex = index;
    return;
  }
  if (!m_controller->setScenario(id)) {
    return;
  }
  m_scriptPicked = false;
  m_previousComboIndex = index;
  m_scenarioPanel->setScenario(m_controller->scenario());
  m_controller->setValues(m_scenarioPanel->values());
}

void MainWindow::runScenario()
{
  if (m_scriptPicked) {
    runScript();
    return;
  }
  m_scenarioPanel->setNotice({});
  setWindowTitle(QStringLiteral("loopscope"));
  m_controller->setValues(m_scenarioPanel->values());
  m_controller->setTimeScale(m_scaleCombo->currentData().toDouble());
  m_controller->run();
  m_timeline->setFollow(true);
}

void MainWindow::onModelReset()
{
  m_selected = 0;
  m_timeline->setModel(&m_controller->model());
  m_inspector->setTask(0);
  m_logProxy->setTasks({});
  m_scriptEditor->clearSuspendedTasks();
  m_scriptEditor->setSelectedTask(0);
  m_siteLines.clear();
  m_markersRevision = ~std::uint64_t{0};
  updateStatus();
}

void MainWindow::onUpdated(std::int64_t now)
{
  m_timeline->refresh(now);
  m_inspector->refresh(now);
  m_shutdown->refresh(now);
  updateScriptMarkers(false);
  updateStatus();
}

void MainWindow::onStateChanged()
{
  const bool running = m_controller->isRunning();
  m_runAction->setText(running ? tr("Restart") : tr("Run"));
  m_stopAction->setEnabled(running);
  m_stopAction->setText(m_controller->isStopping() ? tr("Abandon") : tr("Stop"));
  m_cancelAction->setEnabled(running && m_selected != 0);
  m_sigintAction->setEnabled(running);
  m_sigtermAction->setEnabled(running);
  // The text that runs cannot change under it (markers and lines refer to it).
  m_scriptEditor->setReadOnly(running && m_controller->isScriptRun());
  updateStatus();
}

void MainWindow::selectTask(std::uint32_t id)
{
  if (id == m_selected) {
    return;
  }
  m_selected = id;
  m_timeline->selectTask(id);
  m_inspector->setTask(id);
  m_scriptEditor->setSelectedTask(m_controller->isScriptRun() && m_runMatchesDock ? id : 0);
  if (m_logSelectedOnly->isChecked()) {
    applyLogFilters();
  }
  m_cancelAction->setEnabled(m_controller->isRunning() && id != 0);
  // Keep the table's current row in step without re-entering here.
  const QModelIndexList hits = m_taskProxy->match(
      m_taskProxy->index(0, 0), views::TaskTableModel::TaskIdRole, id, 1, Qt::MatchExactly);
  if (!hits.isEmpty()) {
    const QSignalBlocker blocker(m_taskView->selectionModel());
    m_taskView->selectRow(hits.front().row());
    m_taskView->scrollTo(hits.front());
  }
  updateStatus();
}

void MainWindow::applyLogFilters()
{
  QSet<quint32> tasks;
  if (m_logSelectedOnly->isChecked() && m_selected != 0) {
    tasks.insert(m_selected);
  }
  m_logProxy->setTasks(tasks);
  QList<engine::EventKind> kinds;
  bool all = true;
  for (const QAction* a : std::as_const(m_logKindActions)) {
    if (!a->isChecked()) {
      all = false;
      continue;
    }
    for (const QVariant& k : a->data().toList()) {
      kinds << static_cast<engine::EventKind>(k.toInt());
    }
  }
  if (!all && kinds.isEmpty()) {
    kinds << engine::EventKind::Count_;  // nothing checked: show nothing, not everything
  }
  m_logProxy->setKinds(all ? QList<engine::EventKind>{} : kinds);
}

bool MainWindow::selectTaskByName(const QString& name)
{
  const views::TimelineModel& model = m_controller->model();
  for (std::size_t i = 0; i < model.taskCount(); ++i) {
    if (QString::fromStdString(model.taskAt(i).name) == name) {
      selectTask(model.taskAt(i).id);
      return true;
    }
  }
  return false;
}

void MainWindow::cancelSelectedTask()
{
  if (m_selected == 0) {
    statusBar()->showMessage(tr("Select a task to cancel (click its bar or its table row)"), 4000);
    return;
  }
  if (!m_controller->cancelTask(m_selected, m_cancelMessage->text())) {
    statusBar()->showMessage(tr("Nothing to cancel: no run in progress"), 4000);
  }
}

void MainWindow::exportImage()
{
  QSettings settings;
  ExportDialog dialog(this);
  dialog.setDirectory(settings.value(kExportDirKey, QDir::homePath()).toString());
  if (dialog.exec() != QDialog::Accepted) {
    return;
  }
  QString error;
  if (!m_timeline->exportImage(dialog.path(), dialog.options(), &error)) {
    QMessageBox::warning(this, tr("Export failed"), error);
    return;
  }
  settings.setValue(kExportDirKey, QFileInfo(dialog.path()).absolutePath());
  statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(dialog.path())), 5000);
}

void MainWindow::exportTrace()
{
  QSettings settings;
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export trace"),
                                   settings.value(kExportDirKey, QDir::homePath()).toString() +
                                       QStringLiteral("/loopscope-trace.json"),
                                   tr("Trace Event JSON (*.json)"));
  if (path.isEmpty()) {
    return;
  }
  QString error;
  if (!m_controller->exportTrace(path, &error)) {
    QMessageBox::warning(this, tr("Export failed"), error);
    return;
  }
  settings.setValue(kExportDirKey, QFileInfo(path).absolutePath());
  statusBar()->showMessage(
      tr("Saved %1 (open it in ui.perfetto.dev, chrome://tracing or File ▸ Open trace)")
          .arg(QDir::toNativeSeparators(path)),
      8000);
}

void MainWindow::openTrace()
{
  QSettings settings;
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open trace"), settings.value(kExportDirKey, QDir::homePath()).toString(),
      tr("loopscope trace (*.json);;All files (*)"));
  if (path.isEmpty()) {
    return;
  }
  QString error;
  if (!openTraceFile(path, &error)) {
    QMessageBox::warning(this, tr("Cannot open trace"), error);
  }
}

bool MainWindow::openTraceFile(const QString& path, QString* error)
{
  if (!m_controller->openTrace(path, error)) {
    return false;
  }
  m_timeline->zoomToFit();
  setWindowTitle(tr("%1 — loopscope").arg(QFileInfo(path).fileName()));
  m_scenarioPanel->setNotice(
      tr("The timeline shows the saved trace %1, not this scenario. Run runs this scenario "
         "live.")
          .arg(QFileInfo(path).fileName()));
  return true;
}

// ---- Scripts

void MainWindow::loadScript(const QString& text, const QString& name, const QString& path)
{
  m_scriptEditor->setScript(text, path.isEmpty() ? name : path);
  m_scriptName = name;
  m_scriptPath = path;
  const app::ScriptHeader header = app::parseScriptHeader(text);
  m_scriptTitle = header.title;
  m_scriptDescription = header.description;
  m_scriptGrace = header.graceSeconds;
  m_scriptPicked = true;
  showScriptInPanel();
  updateScriptDockTitle();
  showScriptDock();
}

void MainWindow::showScriptDock()
{
  const bool wasVisible = m_scriptDock->isVisible();
  m_scriptDock->show();
  m_scriptDock->raise();
  if (!wasVisible) {
    // Room for about 72 columns of code (the examples fit), leaving most of the window to the
    // timeline.
    const int width =
        m_scriptEditor->gutterWidth() +
        m_scriptEditor->textEdit()->fontMetrics().horizontalAdvance(QString(72, QLatin1Char('m'))) +
        2 * style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    resizeDocks({m_scriptDock}, {std::min(width, this->width() * 3 / 8)}, Qt::Horizontal);
  }
}

void MainWindow::showScriptInPanel()
{
  engine::scenarios::Scenario s;
  s.id = m_scriptName.toStdString();
  s.title =
      (m_scriptTitle.isEmpty() ? QFileInfo(m_scriptName).fileName() : m_scriptTitle).toStdString();
  QString description = m_scriptDescription;
  if (!description.isEmpty()) {
    description += QStringLiteral("\n\n");
  }
  description += tr("A Python script (%1). Run runs the Script dock's text as it is, unsaved "
                    "edits included.")
                     .arg(QFileInfo(m_scriptName).fileName());
  s.description = description.toStdString();
  engine::scenarios::Param grace;
  grace.key = kGraceKey;
  grace.label = tr("Grace deadline").toStdString();
  grace.tooltip = tr("How long asyncio.run's shutdown may wait for the cancelled tasks before "
                     "loopscope names the ones holding it up and exits with status 124. 0: wait "
                     "forever, as asyncio does.")
                      .toStdString();
  grace.type = engine::scenarios::Param::Type::Seconds;
  grace.value = m_scriptGrace.value_or(0.0);
  grace.min = 0;
  grace.max = 600;
  s.params.push_back(grace);
  m_scenarioPanel->setScenario(&s);
}

bool MainWindow::confirmDiscardScript()
{
  if (!m_scriptEditor->isModified() || !isVisible()) {
    return true;
  }
  return QMessageBox::question(this, tr("Unsaved script"),
                               tr("The script %1 has unsaved changes. Discard them?")
                                   .arg(QFileInfo(m_scriptName).fileName()),
                               QMessageBox::Discard | QMessageBox::Cancel,
                               QMessageBox::Cancel) == QMessageBox::Discard;
}

void MainWindow::updateScriptDockTitle()
{
  if (m_scriptName.isEmpty()) {
    m_scriptDock->setWindowTitle(tr("Script"));
    return;
  }
  m_scriptDock->setWindowTitle(
      tr("Script — %1%2")
          .arg(QFileInfo(m_scriptName).fileName(),
               m_scriptEditor->isModified() ? QStringLiteral("*") : QString()));
}

void MainWindow::pickScriptFileEntry(const QString& path)
{
  const QString data = kFilePrefix + path;
  int index = -1;
  for (int i = 0; i < m_scenarioCombo->count(); ++i) {
    if (m_scenarioCombo->itemData(i).toString().startsWith(kFilePrefix)) {
      index = i;
      break;
    }
  }
  const QString text = tr("%1 — opened script").arg(QFileInfo(path).fileName());
  if (index < 0) {
    m_scenarioCombo->addItem(text, data);
    index = m_scenarioCombo->count() - 1;
  } else {
    m_scenarioCombo->setItemText(index, text);
    m_scenarioCombo->setItemData(index, data);
  }
  m_scenarioCombo->setItemData(index, path, Qt::ToolTipRole);
  const QSignalBlocker blocker(m_scenarioCombo);
  m_scenarioCombo->setCurrentIndex(index);
  m_previousComboIndex = index;
}

bool MainWindow::openScriptFile(const QString& path, QString* error)
{
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    if (error != nullptr) {
      *error = tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    }
    return false;
  }
  const QString text = QString::fromUtf8(file.readAll());
  const QString absolute = QFileInfo(path).absoluteFilePath();
  loadScript(text, absolute, absolute);
  pickScriptFileEntry(absolute);
  return true;
}

bool MainWindow::saveScriptFile(const QString& path, QString* error)
{
  const auto fail = [&](const QString& why) {
    if (error != nullptr) {
      *error = tr("Cannot save %1: %2").arg(QDir::toNativeSeparators(path), why);
    }
    return false;
  };
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return fail(file.errorString());
  }
  const QByteArray data = m_scriptEditor->script().toUtf8();
  if (file.write(data) != data.size()) {
    const QString why = file.errorString();
    file.cancelWriting();
    return fail(why);
  }
  if (!file.commit()) {
    return fail(file.errorString());
  }
  m_scriptEditor->setModified(false);
  const QString absolute = QFileInfo(path).absoluteFilePath();
  if (absolute != m_scriptPath) {
    // An example saved to a file, or "Save as": the dock's script is that file from now on.
    m_scriptPath = absolute;
    m_scriptName = absolute;
    if (m_scriptPicked) {
      pickScriptFileEntry(absolute);
    }
  }
  updateScriptDockTitle();
  return true;
}

void MainWindow::openScript()
{
  if (!confirmDiscardScript()) {
    return;
  }
  QSettings settings;
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open script"), settings.value(kScriptDirKey, QDir::homePath()).toString(),
      tr("Python scripts (*.py);;All files (*)"));
  if (path.isEmpty()) {
    return;
  }
  QString error;
  if (!openScriptFile(path, &error)) {
    QMessageBox::warning(this, tr("Cannot open script"), error);
    return;
  }
  settings.setValue(kScriptDirKey, QFileInfo(path).absolutePath());
}

void MainWindow::saveScript()
{
  if (m_scriptName.isEmpty()) {
    statusBar()->showMessage(tr("No script to save: open one (Ctrl+O) or pick an example"), 4000);
    return;
  }
  if (m_scriptPath.isEmpty()) {
    saveScriptAs();  // an example: it is saved to a file of the user's
    return;
  }
  QString error;
  if (!saveScriptFile(m_scriptPath, &error)) {
    QMessageBox::warning(this, tr("Save failed"), error);
    return;
  }
  statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_scriptPath)), 4000);
}

void MainWindow::saveScriptAs()
{
  if (m_scriptName.isEmpty()) {
    statusBar()->showMessage(tr("No script to save: open one (Ctrl+O) or pick an example"), 4000);
    return;
  }
  QSettings settings;
  const QString suggested = m_scriptPath.isEmpty()
                                ? settings.value(kScriptDirKey, QDir::homePath()).toString() +
                                      QLatin1Char('/') + QFileInfo(m_scriptName).fileName()
                                : m_scriptPath;
  const QString path = QFileDialog::getSaveFileName(this, tr("Save script"), suggested,
                                                    tr("Python scripts (*.py);;All files (*)"));
  if (path.isEmpty()) {
    return;
  }
  QString error;
  if (!saveScriptFile(path, &error)) {
    QMessageBox::warning(this, tr("Save failed"), error);
    return;
  }
  settings.setValue(kScriptDirKey, QFileInfo(path).absolutePath());
  statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 4000);
}

void MainWindow::runScript()
{
  m_scenarioPanel->setNotice({});
  setWindowTitle(QStringLiteral("loopscope"));
  m_controller->setTimeScale(m_scaleCombo->currentData().toDouble());
  const engine::scenarios::Values values = m_scenarioPanel->values();
  const auto grace = values.find(kGraceKey);
  std::optional<double> graceSeconds;
  if (grace != values.end() && grace->second > 0) {
    graceSeconds = grace->second;
  }
  m_runText = m_scriptEditor->script();
  m_runMatchesDock = true;
  m_scriptEditor->clearErrorMarker();
  m_controller->runScript(m_runText, m_scriptName, graceSeconds);
  m_timeline->setFollow(true);
}

void MainWindow::updateScriptMarkers(bool force)
{
  if (!m_controller->isScriptRun() || !m_runMatchesDock) {
    return;
  }
  const views::TimelineModel& model = m_controller->model();
  if (!force) {
    if (model.revision() == m_markersRevision) {
      return;
    }
    if (m_markersClock.isValid() && m_markersClock.elapsed() < kMarkersIntervalMs) {
      return;  // the next refresh catches up
    }
  }
  m_markersRevision = model.revision();
  m_markersClock.start();
  const std::string file = m_controller->scriptFileName().toStdString();
  QVector<views::SuspendedTask> tasks;
  for (std::size_t i = 0; i < model.taskCount(); ++i) {
    const views::TaskInfo& t = model.taskAt(i);
    if ((t.state != views::TaskState::Suspended && t.state != views::TaskState::Cancelling) ||
        t.awaitSite == 0) {
      continue;
    }
    auto line = m_siteLines.find(t.awaitSite);
    if (line == m_siteLines.end()) {
      const views::Site* site = model.site(t.awaitSite);
      if (site == nullptr) {
        continue;  // not defined yet: ask again next time
      }
      line = m_siteLines.emplace(t.awaitSite, site->file == file ? static_cast<int>(site->line) : 0)
                 .first;
    }
    if (line->second <= 0) {
      continue;  // suspended in engine code (a combinator's internals), not on a script line
    }
    tasks.push_back({t.id, QString::fromStdString(t.name), line->second, awaitLabel(model, t)});
  }
  m_scriptEditor->setSuspendedTasks(tasks);
}

void MainWindow::revealSite(std::uint32_t site)
{
  if (!m_controller->isScriptRun() || !m_runMatchesDock) {
    return;
  }
  const views::Site* s = m_controller->model().site(site);
  if (s == nullptr || s->file != m_controller->scriptFileName().toStdString()) {
    return;
  }
  if (m_scriptDock->isVisible()) {
    m_scriptDock->raise();
  }
  m_scriptEditor->revealLine(static_cast<int>(s->line));
}

void MainWindow::onRunFinished()
{
  if (!m_controller->isScriptRun()) {
    return;
  }
  updateScriptMarkers(true);
  const views::EngineSession::ScriptOutcome& outcome = m_controller->session().scriptOutcome();
  if (outcome.parseFailed && m_runMatchesDock) {
    m_scriptEditor->setErrorMarker(outcome.errorLine, outcome.errorColumn, outcome.parseError);
    m_scriptEditor->revealLine(outcome.errorLine);
    statusBar()->showMessage(outcome.parseError, 8000);
  }
}

void MainWindow::updateStatus()
{
  const views::TimelineModel& model = m_controller->model();
  QString text = m_controller->sourceDescription();
  if (m_controller->isRunning()) {
    text += m_controller->isStopping() ? tr(" — stopping") : tr(" — running");
  } else if (!m_controller->lastOutcome().isEmpty()) {
    text += tr(" — finished: %1").arg(m_controller->lastOutcome());
  }
  text += tr(" — %1 tasks, %2 events, t = %3")
              .arg(model.taskCount())
              .arg(model.events().size())
              .arg(QString::fromStdString(views::timeline::formatTime(m_controller->now())));
  if (const views::Retention& r = m_controller->retention(); r.active()) {
    const views::DroppedSummary& d = model.dropped();
    text += tr(" — keeping %1").arg(QString::fromStdString(views::describeRetention(r)));
    if (d.events != 0) {
      text += tr(" (%1 events, %2 tasks dropped: %3 done, %4 failed, %5 cancelled)")
                  .arg(d.events)
                  .arg(d.tasks)
                  .arg(d.done)
                  .arg(d.failed)
                  .arg(d.cancelled);
    }
  }
  // Under an event flood the views take what fits in a frame and the rest waits in the engine's
  // queue (RunController::kIngestBudgetNs): say so, so a lagging view is not taken for the run.
  if (const std::size_t behind = m_controller->session().queuedEvents();
      m_controller->isRunning() && behind >= views::EngineSession::kMinDrainEvents) {
    text += tr(" — %1 events still queued, the view is catching up").arg(behind);
  }
  if (const auto dropped = m_controller->session().droppedEvents(); dropped != 0) {
    text += tr(" — %1 events dropped (the GUI fell behind)").arg(dropped);
  }
  if (const views::TaskInfo* t = model.task(m_selected); t != nullptr) {
    text += tr(" — selected: %1").arg(QString::fromStdString(t->name));
  }
  m_status->setText(text);
}

void MainWindow::restoreSettings()
{
  const QSettings settings;
  restoreGeometry(settings.value(kGeometryKey).toByteArray());
  restoreState(settings.value(kStateKey).toByteArray());
  selectScenario(settings.value(kScenarioKey).toString());
  if (const double scale = settings.value(kScaleKey, 1.0).toDouble(); scale > 0) {
    setTimeScale(scale);
  }
  setRetention(settings.value(kRetentionKey, QStringLiteral("off")).toString());
}

void MainWindow::saveSettings() const
{
  QSettings settings;
  settings.setValue(kGeometryKey, saveGeometry());
  settings.setValue(kStateKey, saveState());
  if (m_scriptPicked) {
    if (m_scriptPath.isEmpty()) {
      settings.setValue(kScenarioKey, m_scriptName);  // an example script
    }
  } else if (m_controller->scenario() != nullptr) {
    settings.setValue(kScenarioKey, QString::fromStdString(m_controller->scenario()->id));
  }
  settings.setValue(kScaleKey, m_controller->timeScale());
  settings.setValue(kRetentionKey,
                    QString::fromStdString(views::retentionText(m_controller->retention())));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
  saveSettings();
  QMainWindow::closeEvent(event);
}

}  // namespace loopscope::app
