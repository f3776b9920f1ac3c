// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "exportdialog.h"

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/scenarios.h>
#include <views/enginesession.h>
#include <views/inspectorwidget.h>
#include <views/logmodel.h>
#include <views/runcontroller.h>
#include <views/scenariopanel.h>
#include <views/shutdownpanel.h>
#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>
#include <views/timelinewidget.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
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
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
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
constexpr QLatin1StringView kExportDirKey("export/dir");

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
  connect(m_timeline, &views::TimelineWidget::taskSelected, this, &MainWindow::selectTask);
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
  m_openTraceAction =
      makeAction(this, QStringLiteral("openTraceAction"), tr("Open trace…"), {QKeySequence::Open},
                 tr("View a saved run again without re-running it"));
  connect(m_openTraceAction, &QAction::triggered, this, &MainWindow::openTrace);
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
  m_scenarioCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
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
  for (QDockWidget* dock : findChildren<QDockWidget*>()) {
    view->addAction(dock->toggleViewAction());
  }
  for (QAction* a : {m_runAction, m_stopAction, m_cancelAction, m_sigintAction, m_sigtermAction,
                     m_followAction, m_fitAction, m_zoomInAction, m_zoomOutAction}) {
    addAction(a);  // shortcuts work wherever the focus is
  }
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

  m_inspector = new views::InspectorWidget(this);
  m_inspector->setModel(&m_controller->model());
  QDockWidget* inspectorDock = addDock(tr("Inspector"), QStringLiteral("inspectorDock"),
                                       m_inspector, Qt::RightDockWidgetArea);
  connect(m_inspector, &views::InspectorWidget::taskActivated, this, &MainWindow::selectTask);

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
  const int index = m_scenarioCombo->findData(id);
  if (index < 0) {
    return false;
  }
  m_scenarioCombo->setCurrentIndex(index);
  return true;
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
  if (!m_controller->setScenario(id)) {
    return;
  }
  m_scenarioPanel->setScenario(m_controller->scenario());
  m_controller->setValues(m_scenarioPanel->values());
}

void MainWindow::runScenario()
{
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
  updateStatus();
}

void MainWindow::onUpdated(std::int64_t now)
{
  m_timeline->refresh(now);
  m_inspector->refresh(now);
  m_shutdown->refresh(now);
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
}

void MainWindow::saveSettings() const
{
  QSettings settings;
  settings.setValue(kGeometryKey, saveGeometry());
  settings.setValue(kStateKey, saveState());
  if (m_controller->scenario() != nullptr) {
    settings.setValue(kScenarioKey, QString::fromStdString(m_controller->scenario()->id));
  }
  settings.setValue(kScaleKey, m_controller->timeScale());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
  saveSettings();
  QMainWindow::closeEvent(event);
}

}  // namespace loopscope::app
