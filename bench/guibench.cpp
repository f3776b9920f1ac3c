// SPDX-License-Identifier: GPL-3.0-or-later
// GUI responsiveness while scenarios run live: how late the GUI thread's event loop gets and how
// long the timeline's replots take, with the same data path as the app (engine thread ->
// EngineSession -> RunController -> TimelineWidget::refresh -> queued QCustomPlot replot).
//
//   loopscope-guibench [--scenario <id>[:name=value,...]]... [--help]
//
// Each scenario runs at real time (real clock, time scale 1) in a 1600x900 TimelineWidget on the
// offscreen platform (unless QT_QPA_PLATFORM says otherwise) until it finishes, capped at 30 s.
// Meanwhile, on the GUI thread:
//   * a 5 ms Qt::PreciseTimer probe records, for each timeout, the time since the previous one
//     minus the 5 ms interval: how long the event loop was busy elsewhere (engine batches, model
//     updates, replots, paints). Reported as max and p99, in ms.
//   * QCustomPlot's beforeReplot/afterReplot signals bracket every replot the widget does (layout
//     and drawing into the paint buffers; the queued paintEvent that blits them to the window is
//     not included, it shows in the probe's gaps). Reported as count, p50, p99 and max, in ms.
// After the many-tasks run, the finished timeline is replotted 20 times (rpImmediateRefresh, so
// the repaint is included) at the whole run (zoomToFit) and at a window over 10% of it; the
// medians are reported.
//
// With --slow <ms>, every event delivery on the GUI thread that takes at least that long is
// recorded (QApplication::notify) and, per scenario, the slowest ones are listed with what they
// contained: which object got which event, and the nested deliveries (paints, sends) inside it.
// That is how a long gap is traced to its cause.
//
// A benchmark, not a test: nothing here asserts on a figure. The exit status is 0 once every
// scenario has run (a run that hits the cap is abandoned and reported as such), 2 for bad options.

// Engine and view headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "lagprobe.h"
#include "mainwindow.h"

#include <engine/scenarios.h>
#include <views/enginesession.h>
#include <views/runcontroller.h>
#include <views/timelinemodel.h>
#include <views/timelinewidget.h>

#include <QApplication>
#include <QByteArray>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QMetaEnum>
#include <QObject>
#include <QString>
#include <QTimer>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace views = loopscope::views;
namespace scenarios = loopscope::engine::scenarios;

constexpr const char* kProgram = "loopscope-guibench";

// The probe timer's interval: short enough to see stalls of a few ms, long enough that the probe
// itself costs nothing measurable.
constexpr int kProbeIntervalMs = 5;
// A run that has not finished after this long is abandoned (every default scenario ends in well
// under it; see the ids below).
constexpr int kCapMs = 30'000;
// The scenarios that serve until told to stop get a SIGINT this long after their start, as if
// someone pressed the SIGINT button; they then run their shutdown and finish.
constexpr int kSignalAfterMs = 2'000;
// Replots per view for the zoom measurement after many-tasks.
constexpr int kZoomReplots = 20;
// The zoomed window's share of the whole run.
constexpr double kZoomShare = 0.10;
// --slow lists this many of a run's slowest event deliveries.
constexpr std::size_t kSlowListed = 8;
// The widget's size: the README screenshots' size, about a maximised window on a laptop.
constexpr int kWidth = 1600;
constexpr int kHeight = 900;

// What runs when no --scenario is given. blocking-call blocks the loop thread for seconds;
// the 100k many-tasks run floods the GUI with events (hundreds of thousands a second) for as
// long as the engine can produce them.
const std::vector<std::string> kDefaultScenarios = {"blocking-call", "many-tasks",
                                                    "many-tasks:count=100000,max_sleep=1",
                                                    "graceful-shutdown", "swallowed-cancel"};
// The scenarios that get a SIGINT after kSignalAfterMs (their own handler starts the shutdown).
bool needsSigint(std::string_view id)
{
  return id == "graceful-shutdown" || id == "swallowed-cancel";
}

// A --scenario spec: an id, optionally with parameter values ("many-tasks:count=100000,seed=2").
// False (with `error`) for a malformed one.
bool parseSpec(const std::string& spec, std::string* id, scenarios::Values* values,
               std::string* error)
{
  const std::size_t colon = spec.find(':');
  *id = spec.substr(0, colon);
  values->clear();
  if (colon == std::string::npos) {
    return true;
  }
  std::size_t at = colon + 1;
  while (at <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', at), spec.size());
    const std::string item = spec.substr(at, comma - at);
    const std::size_t eq = item.find('=');
    char* end = nullptr;
    const double v = eq == std::string::npos ? 0 : std::strtod(item.c_str() + eq + 1, &end);
    if (eq == std::string::npos || eq == 0 || end == item.c_str() + eq + 1 || *end != '\0') {
      *error = "bad parameter '" + item + "' in '" + spec + "' (expected name=number)";
      return false;
    }
    (*values)[item.substr(0, eq)] = v;
    at = comma + 1;
  }
  return true;
}

using loopscope::bench::percentile;

// Milliseconds between two QElapsedTimer readings in ns.
double msBetween(qint64 fromNs, qint64 toNs)
{
  return static_cast<double>(toNs - fromNs) / 1e6;
}

// A QApplication that times each event delivery (--slow): deliveries of at least
// `thresholdMs` are kept with their nesting depth, so a slow top-level one can be listed with the
// slow deliveries inside it.
class TimedApplication : public QApplication
{
public:
  struct Delivery
  {
    double startMs = 0;  // since clear()
    double ms = 0;
    int depth = 0;
    std::string what;  // "QTimer (parent RunController) Timer"
  };

  TimedApplication(int& argc, char** argv) : QApplication(argc, argv) { m_clock.start(); }

  void setThresholdMs(double ms) { m_thresholdMs = ms; }
  [[nodiscard]] double thresholdMs() const { return m_thresholdMs; }
  void clear()
  {
    m_deliveries.clear();
    m_clock.restart();
  }
  [[nodiscard]] const std::vector<Delivery>& deliveries() const { return m_deliveries; }

  bool notify(QObject* receiver, QEvent* event) override
  {
    if (m_thresholdMs <= 0) {
      return QApplication::notify(receiver, event);
    }
    const qint64 start = m_clock.nsecsElapsed();
    const QEvent::Type type = event->type();  // the event may be deleted by its handler
    ++m_depth;
    const bool result = QApplication::notify(receiver, event);
    --m_depth;
    const double ms = msBetween(start, m_clock.nsecsElapsed());
    // Nested deliveries are kept from a quarter of the threshold: they explain the slow parent.
    if (ms >= (m_depth == 0 ? m_thresholdMs : m_thresholdMs / 4)) {
      m_deliveries.push_back({msBetween(0, start), ms, m_depth, describe(receiver, type)});
    }
    return result;
  }

private:
  static std::string describe(QObject* receiver, QEvent::Type type)
  {
    std::string s = receiver->metaObject()->className();
    if (!receiver->objectName().isEmpty()) {
      s += " '" + receiver->objectName().toStdString() + "'";
    }
    if (const QObject* parent = receiver->parent()) {
      s += std::string(" (parent ") + parent->metaObject()->className() + ")";
    }
    const char* name = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
    s += std::string(" ") + (name != nullptr ? name : std::to_string(type).c_str());
    return s;
  }

  QElapsedTimer m_clock;
  double m_thresholdMs = 0;
  int m_depth = 0;
  std::vector<Delivery> m_deliveries;  // children before their parent (they end first)
};

// The slowest top-level deliveries of the run (at most `n`), each with the nested ones it
// contained, slowest first.
void printSlow(const std::vector<TimedApplication::Delivery>& all, std::size_t n)
{
  std::vector<std::size_t> top;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].depth == 0) {
      top.push_back(i);
    }
  }
  std::sort(top.begin(), top.end(),
            [&](std::size_t a, std::size_t b) { return all[a].ms > all[b].ms; });
  top.resize(std::min(top.size(), n));
  for (const std::size_t t : top) {
    std::printf("    slow %6.1fms at %6.3fs  %s\n", all[t].ms, all[t].startMs / 1e3,
                all[t].what.c_str());
    // Its children: the deliveries just before it (in end order) that started inside it.
    for (std::size_t i = t; i-- > 0 && all[i].depth > 0 && all[i].startMs >= all[t].startMs;) {
      std::printf("      %*s%6.1fms  %s\n", 2 * (all[i].depth - 1), "", all[i].ms,
                  all[i].what.c_str());
    }
  }
  std::fflush(stdout);
}

// One scenario's figures.
struct RunResult
{
  std::string id;
  std::size_t events = 0;
  std::size_t tasks = 0;
  std::uint64_t dropped = 0;  // events the engine could not queue (the GUI fell behind)
  QString outcome;            // RunController::finished's outcome, or why it was abandoned
  double wallSeconds = 0;
  bool signalled = false;        // a SIGINT was sent
  bool capped = false;           // hit kCapMs and was abandoned
  std::vector<double> gapsMs;    // probe lateness per timeout (sorted once the run is over)
  std::vector<double> replotMs;  // one per replot (sorted once the run is over)
};

// Runs scenario `id` in `controller` (already wired to `timeline`, see main()) until it finishes
// or the cap, measuring the GUI thread meanwhile.
RunResult runOne(views::RunController& controller, views::TimelineWidget& timeline,
                 const std::string& spec)
{
  RunResult r;
  r.id = spec;
  std::string id;
  scenarios::Values values;
  std::string error;
  parseSpec(spec, &id, &values, &error);  // checked in main()
  controller.setScenario(QString::fromStdString(id));
  controller.setValues(values);  // the scenario's defaults for the others
  controller.setVirtualTime(false);
  controller.setTimeScale(1.0);
  // Like a fresh run in the app: the view follows "now".
  timeline.setFollow(true);

  // Event-loop latency probe.
  loopscope::bench::LagProbe probe(kProbeIntervalMs);
  probe.reserve(static_cast<std::size_t>(kCapMs / kProbeIntervalMs) + 16);

  // Replot timing: QCustomPlot emits beforeReplot and afterReplot around each replot, on the GUI
  // thread and never nested (it ignores a replot requested from inside one).
  QCustomPlot* plot = timeline.plot();
  QElapsedTimer replotClock;
  const auto beforeConn =
      QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [&] { replotClock.start(); });
  const auto afterConn = QObject::connect(plot, &QCustomPlot::afterReplot, plot, [&] {
    if (replotClock.isValid()) {
      r.replotMs.push_back(msBetween(0, replotClock.nsecsElapsed()));
      replotClock.invalidate();
    }
  });

  // The run ends on RunController::finished; the cap timer and the SIGINT are single shots.
  QEventLoop loop;
  bool finished = false;
  const auto finishedConn = QObject::connect(&controller, &views::RunController::finished, &loop,
                                             [&](const QString& outcome) {
                                               r.outcome = outcome;
                                               finished = true;
                                               loop.quit();
                                             });
  QTimer cap;
  cap.setSingleShot(true);
  QObject::connect(&cap, &QTimer::timeout, &loop, &QEventLoop::quit);
  QTimer sigint;
  sigint.setSingleShot(true);
  QObject::connect(&sigint, &QTimer::timeout, &sigint, [&] {
    // Only while the run (and so its signal handlers) is still there: without a handler SIGINT
    // would end this process.
    if (controller.isRunning()) {
      r.signalled = controller.sendSignal(SIGINT);
    }
  });

  QElapsedTimer wall;
  wall.start();
  controller.run();
  probe.start();
  cap.start(kCapMs);
  if (needsSigint(id)) {
    sigint.start(kSignalAfterMs);
  }
  // `finished` guards against a run that ended before exec() (a quit() before exec() is lost).
  if (!finished) {
    loop.exec();
  }
  if (!finished) {
    // Over the cap: Stop twice abandons the run at once (the second press emits finished).
    r.capped = true;
    controller.stop();
    controller.stop();
    if (!finished) {
      r.outcome = controller.lastOutcome();
    }
  }
  // The app zooms a finished run to fit (see main()); that replot is queued: let it happen while
  // it is still being timed.
  QCoreApplication::processEvents();
  r.wallSeconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;

  probe.stop();
  sigint.stop();
  cap.stop();
  QObject::disconnect(beforeConn);
  QObject::disconnect(afterConn);
  QObject::disconnect(finishedConn);

  r.events = controller.model().events().size();
  r.tasks = controller.model().taskCount();
  r.dropped = controller.session().droppedEvents();
  r.gapsMs = std::move(probe.gapsMs());
  std::sort(r.gapsMs.begin(), r.gapsMs.end());
  std::sort(r.replotMs.begin(), r.replotMs.end());
  return r;
}

// Median of `n` immediate replots (layout, drawing and the synchronous repaint), in ms.
double medianReplotMs(QCustomPlot* plot, int n)
{
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    QElapsedTimer t;
    t.start();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    ms.push_back(msBetween(0, t.nsecsElapsed()));
  }
  std::sort(ms.begin(), ms.end());
  return percentile(ms, 50);
}

// The finished run's replot cost at the whole run and at a window over kZoomShare of it (centred
// on the middle of the run). Prints one line.
void measureZoom(views::RunController& controller, views::TimelineWidget& timeline, int idWidth)
{
  QCustomPlot* plot = timeline.plot();

  timeline.zoomToFit();
  QCoreApplication::processEvents();  // the queued replot, so the timed ones start from rest
  const views::timeline::Window full = timeline.window();
  const double fullMs = medianReplotMs(plot, kZoomReplots);

  const double start = views::timeline::toSeconds(controller.model().startTime());
  const double end =
      views::timeline::toSeconds(std::max(controller.now(), controller.model().endTime()));
  const double middle = (start + end) / 2;
  const double half = (end - start) * kZoomShare / 2;
  timeline.setFollow(false);  // as the app's --at window:... does
  timeline.setWindow({middle - half, middle + half});
  QCoreApplication::processEvents();
  const views::timeline::Window zoomed = timeline.window();
  const double zoomedMs = medianReplotMs(plot, kZoomReplots);

  std::printf(
      "%-*s  replot x%d median: full view [%.2f, %.2f] s %.2fms  "
      "%.0f%% window [%.2f, %.2f] s %.2fms\n",
      idWidth, "  zoom", kZoomReplots, full.lower, full.upper, fullMs, kZoomShare * 100,
      zoomed.lower, zoomed.upper, zoomedMs);
  std::fflush(stdout);
}

// One table line. gui-gap's `ticks` is how many probe intervals were measured: far fewer than
// wall / 5 ms means the GUI thread was busy most of the time (and then p99 is close to max).
void printResult(const RunResult& r, int idWidth)
{
  const auto& g = r.gapsMs;
  const auto& p = r.replotMs;
  std::printf(
      "%-*s  events=%zu tasks=%zu  gui-gap max=%.1fms p99=%.1fms ticks=%zu  "
      "replot n=%zu p50=%.1fms p99=%.1fms max=%.1fms  wall=%.1fs sigint=%s dropped=%llu  "
      "outcome=\"%s\"%s\n",
      idWidth, r.id.c_str(), r.events, r.tasks, g.empty() ? std::nan("") : g.back(),
      percentile(g, 99), g.size(), p.size(), percentile(p, 50), percentile(p, 99),
      p.empty() ? std::nan("") : p.back(), r.wallSeconds, r.signalled ? "sent" : "no",
      static_cast<unsigned long long>(r.dropped), qPrintable(r.outcome),
      r.capped ? "  CAPPED: abandoned at the cap" : "");
  std::fflush(stdout);
}

void printHelp()
{
  std::printf(
      "Usage: %s [--window] [--slow <ms>] [--scenario <id>[:name=value,...]]... [--help]\n"
      "\n"
      "Runs scenarios live (real clock, time scale 1) in a %dx%d timeline on the offscreen\n"
      "platform and reports, per scenario, the GUI thread's event-loop latency (a %d ms probe\n"
      "timer's lateness: max and p99) and the timeline's replot times (count, p50, p99, max).\n"
      "After many-tasks it also reports the median of %d immediate replots at the whole run and\n"
      "at a window over %.0f%% of it. graceful-shutdown and swallowed-cancel get a SIGINT %d s\n"
      "after their start; every run is capped at %d s.\n"
      "\n"
      "Options:\n"
      "  --window         run in the app's whole main window (timeline, task table, log,\n"
      "                   inspector, shutdown panel), not the timeline alone\n"
      "  --slow <ms>      list each run's %zu slowest GUI event deliveries of at least <ms>\n"
      "                   (receiver, event type, and the slow deliveries nested in them)\n"
      "  --scenario <id>[:name=value,...]\n"
      "                   run only this scenario, with these parameter values (repeatable, in\n"
      "                   the order given); default: blocking-call many-tasks\n"
      "                   many-tasks:count=100000,max_sleep=1 (an event flood)\n"
      "                   graceful-shutdown swallowed-cancel\n"
      "  -h, --help       show this help\n"
      "\n"
      "Scenario ids:",
      kProgram, kWidth, kHeight, kProbeIntervalMs, kZoomReplots, kZoomShare * 100,
      kSignalAfterMs / 1000, kCapMs / 1000, kSlowListed);
  // The ids, wrapped at about 80 columns.
  std::size_t column = 80;
  for (const auto& s : scenarios::catalog()) {
    if (column + 1 + s.id.size() > 80) {
      std::printf("\n ");
      column = 1;
    }
    std::printf(" %s", s.id.c_str());
    column += 1 + s.id.size();
  }
  std::printf("\n");
}

int usageError(const std::string& message)
{
  std::fprintf(stderr, "%s: %s (see --help)\n", kProgram, message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char* argv[])
{
  // Options first: --help and bad options need no display and no QApplication.
  std::vector<std::string> ids;
  bool wholeWindow = false;
  double slowMs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "-h" || arg == "--help") {
      printHelp();
      return 0;
    }
    if (arg == "--window") {
      wholeWindow = true;
      continue;
    }
    if (arg == "--slow" || arg.starts_with("--slow=")) {
      std::string value;
      if (arg == "--slow") {
        if (i + 1 >= argc) {
          return usageError("--slow needs a duration in ms");
        }
        value = argv[++i];
      } else {
        value = std::string(arg.substr(std::string_view("--slow=").size()));
      }
      char* end = nullptr;
      slowMs = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(slowMs > 0)) {
        return usageError("bad --slow value '" + value + "' (expected a duration in ms > 0)");
      }
      continue;
    }
    std::string id;
    if (arg == "--scenario") {
      if (i + 1 >= argc) {
        return usageError("--scenario needs a scenario id");
      }
      id = argv[++i];
    } else if (arg.starts_with("--scenario=")) {
      id = arg.substr(std::string_view("--scenario=").size());
    } else {
      return usageError("unknown option '" + std::string(arg) + "'");
    }
    std::string bare;
    scenarios::Values values;
    std::string error;
    if (!parseSpec(id, &bare, &values, &error)) {
      return usageError(error);
    }
    if (scenarios::find(bare) == nullptr) {
      std::string known;
      for (const auto& s : scenarios::catalog()) {
        known += (known.empty() ? "" : ", ") + s.id;
      }
      return usageError("unknown scenario '" + bare + "'; known: " + known);
    }
    ids.push_back(id);
  }
  if (ids.empty()) {
    ids = kDefaultScenarios;
  }

  // Offscreen unless the caller chose a platform (e.g. xcb, to watch it).
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen"));
  }
  TimedApplication app(argc, argv);
  app.setThresholdMs(slowMs);

  // Either the app's main window (every dock fed by the same controller) or the timeline
  // alone, wired as app/mainwindow.cpp wires its central widget.
  std::unique_ptr<loopscope::app::MainWindow> window;
  std::unique_ptr<views::RunController> ownController;
  std::unique_ptr<views::TimelineWidget> ownTimeline;
  if (wholeWindow) {
    window = std::make_unique<loopscope::app::MainWindow>();
    window->resize(kWidth, kHeight + 300);
    window->show();
  } else {
    ownController = std::make_unique<views::RunController>();
    ownTimeline = std::make_unique<views::TimelineWidget>();
    views::RunController& c = *ownController;
    views::TimelineWidget& t = *ownTimeline;
    t.setModel(&c.model());
    QObject::connect(&c, &views::RunController::updated, &t,
                     [&t](std::int64_t now) { t.refresh(now); });
    QObject::connect(&c, &views::RunController::modelReset, &t, [&] { t.setModel(&c.model()); });
    // A run that ends while the view follows "now" is shown whole.
    QObject::connect(&c, &views::RunController::finished, &t, [&t] {
      if (t.follow()) {
        t.zoomToFit();
      }
    });
    t.resize(kWidth, kHeight);
    t.show();
  }
  views::RunController& controller = window ? window->controller() : *ownController;
  views::TimelineWidget& timeline = window ? *window->timeline() : *ownTimeline;
  QCoreApplication::processEvents();  // the first layout and paint, before anything is timed

  int idWidth = 6;  // at least "  zoom"
  for (const auto& id : ids) {
    idWidth = std::max(idWidth, static_cast<int>(id.size()));
  }
  std::printf(
      "# %s: platform %s, %dx%d timeline%s, real clock, time scale 1, probe %d ms, "
      "cap %d s; times in ms of the GUI thread\n",
      kProgram, qPrintable(QGuiApplication::platformName()), kWidth, kHeight,
      wholeWindow ? " in the whole main window" : "", kProbeIntervalMs, kCapMs / 1000);
  std::fflush(stdout);

  for (const auto& id : ids) {
    app.clear();
    const RunResult r = runOne(controller, timeline, id);
    printResult(r, idWidth);
    if (slowMs > 0) {
      printSlow(app.deliveries(), kSlowListed);
    }
    if (id == "many-tasks") {
      measureZoom(controller, timeline, idWidth);
    }
  }
  return 0;
}
