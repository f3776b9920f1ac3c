// SPDX-License-Identifier: GPL-3.0-or-later
// Memory over a long live run: the "soak" scenario through the app's live path (engine thread ->
// EngineSession -> RunController -> TimelineModel, TaskTableModel, LogModel -> an offscreen
// TimelineWidget following "now"), with the models' retention on. Samples the process's resident
// memory and the models' sizes at a fixed period, and says whether memory stays bounded.
//
//   loopscope-soakbench [--seconds N] [--virtual] [--rate R] [--retention SPEC] [--sample S]
//
// Real clock by default: the scenario spawns for N s (default 600) and ends a few seconds later,
// sampled every 10 s of wall time. --virtual runs it on the virtual clock instead, an hour of loop
// time (--duration to change it) as fast as the engine goes (the GUI takes what it can; the rest
// shows as dropped), sampled every 60 s of loop time. Each sample prints: wall time, loop time,
// RSS, events retained / ingested, tasks retained / seen, log rows, task-table rows, events the
// engine had to drop (the GUI fell behind). The summary gives RSS at the first sample (after the
// start-up allocations), at the end and its maximum, the growth from the first sample to the end
// and from the first sample after the models first dropped events (until then they fill up to
// what the retention keeps) to the end, and the GUI thread's lateness (a 5 ms probe timer, as in
// loopscope-guibench: p99 and max, and when the max happened).
//
// A benchmark, not a test: nothing here asserts on a figure. Exit status 0 once the run has
// ended (or been abandoned at the cap), 2 for bad options.

// Engine and view headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "lagprobe.h"

#include <engine/scenarios.h>
#include <views/enginesession.h>
#include <views/logmodel.h>
#include <views/retention.h>
#include <views/runcontroller.h>
#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>
#include <views/timelinewidget.h>

#include <QApplication>
#include <QByteArray>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QString>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace views = loopscope::views;
namespace scenarios = loopscope::engine::scenarios;

constexpr const char* kProgram = "loopscope-soakbench";

// The GUI probe's interval (as loopscope-guibench's).
constexpr int kProbeIntervalMs = 5;
// The timeline's size (as loopscope-guibench's).
constexpr int kWidth = 1600;
constexpr int kHeight = 900;
// After the scenario's duration, how long the run may take to end (its jobs drain in ~6 s).
constexpr double kEndGraceSeconds = 60;
// A virtual run has no natural wall length: abandoned after this long.
constexpr double kVirtualCapSeconds = 3600;

struct Options
{
  double seconds = 600;            // real-time run length (the scenario's duration)
  std::optional<double> duration;  // the scenario's duration, if not --seconds (virtual: 3600)
  bool virtualTime = false;
  int rate = 200;
  views::Retention retention;
  std::optional<double> sampleSeconds;  // default: 10 wall seconds, or 60 loop seconds virtual
};

// Resident set size in bytes (/proc/self/statm's second field, in pages); 0 if unreadable.
std::uint64_t residentBytes()
{
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) {
    return 0;
  }
  unsigned long long size = 0;
  unsigned long long resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

double mb(std::uint64_t bytes)
{
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

using loopscope::bench::percentile;

struct Sample
{
  double wall = 0;  // s since the run started
  double loop = 0;  // loop time, s
  std::uint64_t rss = 0;
  std::size_t eventsKept = 0;
  std::size_t eventsTotal = 0;
  std::size_t tasksKept = 0;
  std::uint64_t tasksTotal = 0;
  int logRows = 0;
  int taskRows = 0;
  std::uint64_t dropped = 0;  // events the engine could not queue
  bool trimmed = false;       // retention has dropped events by now
};

Sample takeSample(views::RunController& c, double wall)
{
  const views::TimelineModel& m = c.model();
  Sample s;
  s.wall = wall;
  s.loop = static_cast<double>(std::max<std::int64_t>(c.now(), 0)) / 1e9;
  s.rss = residentBytes();
  s.eventsTotal = m.events().size();
  s.eventsKept = s.eventsTotal - m.firstEvent();
  s.tasksKept = m.taskCount();
  s.tasksTotal = s.tasksKept + m.dropped().tasks;
  s.logRows = c.log()->rowCount();
  s.taskRows = c.taskTable()->rowCount();
  s.dropped = c.session().droppedEvents();
  s.trimmed = m.firstEvent() > 0;
  return s;
}

void printSample(const Sample& s)
{
  std::printf(
      "%8.1fs  loop=%8.1fs  rss=%8.1fMB  events=%9zu/%10zu  tasks=%7zu/%8llu  log=%7d  "
      "table=%6d  dropped=%llu\n",
      s.wall, s.loop, mb(s.rss), s.eventsKept, s.eventsTotal, s.tasksKept,
      static_cast<unsigned long long>(s.tasksTotal), s.logRows, s.taskRows,
      static_cast<unsigned long long>(s.dropped));
  std::fflush(stdout);
}

void printHelp()
{
  std::printf(
      "Usage: %s [--seconds N] [--virtual] [--duration D] [--rate R] [--retention SPEC]\n"
      "       [--sample S] [--help]\n"
      "\n"
      "Runs the soak scenario live (engine thread -> models -> an offscreen %dx%d timeline)\n"
      "and samples the process's resident memory and the models' sizes every S seconds, then\n"
      "prints RSS at the first sample, at the end, its maximum and the growth in between.\n"
      "\n"
      "Options:\n"
      "  --seconds N      real-time run length: the scenario spawns for N s (default 600)\n"
      "  --virtual        the virtual clock: an hour of loop time as fast as possible\n"
      "  --duration D     the scenario's duration in loop seconds (default: N, or 3600 with\n"
      "                   --virtual)\n"
      "  --rate R         jobs spawned per second of loop time (default 200)\n"
      "  --retention SPEC what the models keep: 5m, 300s, 1h, 2000000ev, off (default 5m)\n"
      "  --sample S       seconds between samples: of wall time (default 10), or of loop time\n"
      "                   with --virtual (default 60)\n"
      "  -h, --help       show this help\n",
      kProgram, kWidth, kHeight);
}

int usageError(const std::string& message)
{
  std::fprintf(stderr, "%s: %s (see --help)\n", kProgram, message.c_str());
  return 2;
}

bool parseNumber(const char* text, double min, double max, double* out)
{
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(v) || v < min || v > max) {
    return false;
  }
  *out = v;
  return true;
}

// Parses argv into `o`; returns -1 to go on, else the exit status.
int parseOptions(int argc, char* argv[], Options* o)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "-h" || arg == "--help") {
      printHelp();
      return 0;
    }
    if (arg == "--virtual") {
      o->virtualTime = true;
      continue;
    }
    if (arg != "--seconds" && arg != "--duration" && arg != "--rate" && arg != "--retention" &&
        arg != "--sample") {
      return usageError("unknown option '" + std::string(arg) + "'");
    }
    if (i + 1 >= argc) {
      return usageError(std::string(arg) + " needs a value");
    }
    const char* value = argv[++i];
    double v = 0;
    if (arg == "--seconds") {
      if (!parseNumber(value, 1, 86400, &o->seconds)) {
        return usageError(std::string("--seconds expects 1 to 86400, not '") + value + "'");
      }
    } else if (arg == "--duration") {
      if (!parseNumber(value, 1, 86400, &v)) {
        return usageError(std::string("--duration expects 1 to 86400, not '") + value + "'");
      }
      o->duration = v;
    } else if (arg == "--rate") {
      if (!parseNumber(value, 1, 5000, &v) || v != std::round(v)) {
        return usageError(std::string("--rate expects a whole number from 1 to 5000, not '") +
                          value + "'");
      }
      o->rate = static_cast<int>(v);
    } else if (arg == "--sample") {
      if (!parseNumber(value, 0.1, 3600, &v)) {
        return usageError(std::string("--sample expects 0.1 to 3600 seconds, not '") + value + "'");
      }
      o->sampleSeconds = v;
    } else {
      std::string error;
      const std::optional<views::Retention> r = views::parseRetention(value, &error);
      if (!r) {
        return usageError("--retention: " + error);
      }
      o->retention = *r;
    }
  }
  return -1;
}

}  // namespace

int main(int argc, char* argv[])
{
  Options o;
  o.retention = views::parseRetention("5m").value_or(views::Retention{});
  if (const int status = parseOptions(argc, argv, &o); status >= 0) {
    return status;
  }
  const double duration = o.duration.value_or(o.virtualTime ? 3600 : o.seconds);
  const double sampleSeconds = o.sampleSeconds.value_or(o.virtualTime ? 60 : 10);

  // Offscreen unless the caller chose a platform (e.g. xcb, to watch it).
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen"));
  }
  QApplication app(argc, argv);

  // The controller feeds the three models; the timeline is wired as app/mainwindow.cpp wires its
  // central widget (see loopscope-guibench).
  views::RunController controller;
  views::TimelineWidget timeline;
  timeline.setModel(&controller.model());
  QObject::connect(&controller, &views::RunController::updated, &timeline,
                   [&timeline](std::int64_t now) { timeline.refresh(now); });
  QObject::connect(&controller, &views::RunController::modelReset, &timeline,
                   [&] { timeline.setModel(&controller.model()); });
  timeline.resize(kWidth, kHeight);
  timeline.show();
  QCoreApplication::processEvents();  // the first layout and paint

  // As the app's View > Keep History and --retention do: the controller applies it to each live
  // run's models.
  controller.setRetention(o.retention);
  if (!controller.setScenario(QStringLiteral("soak"))) {
    std::fprintf(stderr, "%s: no soak scenario in this build\n", kProgram);
    return 1;
  }
  controller.setValues({{"duration", duration}, {"rate", static_cast<double>(o.rate)}});
  controller.setVirtualTime(o.virtualTime);
  controller.setTimeScale(1.0);
  timeline.setFollow(true);

  std::printf(
      "# %s: soak %s, duration %.0f s, rate %d/s, retention %s, sample every %.1f s %s; "
      "platform "
      "%s, %dx%d timeline following now\n",
      kProgram, o.virtualTime ? "on the virtual clock" : "on the real clock", duration, o.rate,
      views::describeRetention(o.retention).c_str(), sampleSeconds,
      o.virtualTime ? "of loop time" : "of wall time", qPrintable(QGuiApplication::platformName()),
      kWidth, kHeight);
  std::printf(
      "#    wall  loop time        RSS   events kept/ingested  tasks kept/seen     log "
      "rows  table rows  dropped\n");
  std::fflush(stdout);

  // GUI-thread lateness: a 5 ms precise timer records how late each timeout is.
  loopscope::bench::LagProbe probe(kProbeIntervalMs);

  std::vector<Sample> samples;
  QElapsedTimer wall;
  QTimer sampler;
  sampler.setInterval(static_cast<int>(std::lround(sampleSeconds * 1000)));
  QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] {
    samples.push_back(takeSample(controller, static_cast<double>(wall.nsecsElapsed()) / 1e9));
    printSample(samples.back());
  });
  // On the virtual clock an hour of loop time takes seconds of wall time: sample on the loop's
  // time instead, as the GUI sees it advance.
  const auto sampleNs = static_cast<std::int64_t>(std::llround(sampleSeconds * 1e9));
  std::int64_t nextSampleNs = sampleNs;
  QObject::connect(&controller, &views::RunController::updated, &sampler, [&](std::int64_t now) {
    if (!o.virtualTime || now < nextSampleNs) {
      return;
    }
    nextSampleNs = (now / sampleNs + 1) * sampleNs;
    samples.push_back(takeSample(controller, static_cast<double>(wall.nsecsElapsed()) / 1e9));
    printSample(samples.back());
  });

  QEventLoop loop;
  bool finished = false;
  QString outcome;
  QObject::connect(&controller, &views::RunController::finished, &loop, [&](const QString& text) {
    outcome = text;
    finished = true;
    loop.quit();
  });
  QTimer cap;
  cap.setSingleShot(true);
  QObject::connect(&cap, &QTimer::timeout, &loop, &QEventLoop::quit);

  const Sample initial = takeSample(controller, 0);
  printSample(initial);
  wall.start();
  controller.run();
  probe.start();
  if (!o.virtualTime) {
    sampler.start();
  }
  const double capSeconds = o.virtualTime ? kVirtualCapSeconds : duration + kEndGraceSeconds;
  cap.start(static_cast<int>(std::lround(capSeconds * 1000)));
  if (!finished) {
    loop.exec();
  }
  bool capped = false;
  if (!finished) {
    // Over the cap: Stop twice abandons the run at once.
    capped = true;
    controller.stop();
    controller.stop();
    outcome = controller.lastOutcome();
  }
  QCoreApplication::processEvents();
  probe.stop();
  sampler.stop();
  cap.stop();
  samples.push_back(takeSample(controller, static_cast<double>(wall.nsecsElapsed()) / 1e9));
  printSample(samples.back());

  // RSS from the first periodic sample (the start-up allocations and the first batches are in by
  // then) to the end.
  const Sample& first = samples.size() > 1 ? samples.front() : initial;
  const Sample& last = samples.back();
  std::uint64_t maxRss = 0;
  for (const Sample& s : samples) {
    maxRss = std::max(maxRss, s.rss);
  }
  const double growthMb = mb(last.rss) - mb(first.rss);
  const double growthPct = first.rss > 0 ? 100.0 * growthMb / mb(first.rss) : std::nan("");
  // Until the models first drop events they fill up to what the retention keeps; from the first
  // sample after that, memory should stay flat.
  const auto steady =
      std::find_if(samples.begin(), samples.end(), [](const Sample& s) { return s.trimmed; });
  std::vector<double> gapsMs = probe.gapsMs();
  std::sort(gapsMs.begin(), gapsMs.end());
  std::printf(
      "# rss: before the run %.1fMB, first sample (%.0f s) %.1fMB, end %.1fMB, max %.1fMB; "
      "growth first->end %+.1fMB (%+.1f%%)\n",
      mb(initial.rss), first.wall, mb(first.rss), mb(last.rss), mb(maxRss), growthMb, growthPct);
  std::printf(
      "# events: ingested %zu, retained %zu; tasks: seen %llu, retained %zu; log rows %d; "
      "dropped by the engine queue %llu\n",
      last.eventsTotal, last.eventsKept, static_cast<unsigned long long>(last.tasksTotal),
      last.tasksKept, last.logRows, static_cast<unsigned long long>(last.dropped));
  if (steady != samples.end() && steady != samples.end() - 1) {
    const double steadyMb = mb(last.rss) - mb(steady->rss);
    std::printf(
        "# rss once the models drop events (from the sample at %.0f s): %.1fMB -> %.1fMB, "
        "%+.1fMB (%+.1f%%)\n",
        steady->wall, mb(steady->rss), mb(last.rss), steadyMb, 100.0 * steadyMb / mb(steady->rss));
  } else {
    std::printf("# rss once the models drop events: no drop before the last sample\n");
  }
  std::printf("# gui-gap: p99 %.1fms, max %.1fms (at %.1f s) over %zu probe ticks\n",
              percentile(gapsMs, 99), gapsMs.empty() ? std::nan("") : gapsMs.back(),
              probe.worstAt(), gapsMs.size());
  std::printf("# wall %.1f s, loop time %.1f s, outcome \"%s\"%s\n", last.wall, last.loop,
              qPrintable(outcome), capped ? "  CAPPED: abandoned at the cap" : "");
  std::fflush(stdout);
  return 0;
}
