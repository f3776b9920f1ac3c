// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcommand.h"

#include "engine/scenarios.h"
#include "engine/script/scriptrunner.h"
#include "engine/sink.h"
#include "scriptcatalog.h"

#include <views/atomicfile.h>
#include <views/timelinemodel.h>
#include <views/timelinestyle.h>
#include <views/timelinewidget.h>
#include <views/traceio.h>

#include <QApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStyle>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace loopscope::app {

namespace views = loopscope::views;

namespace {

const char* const kUsage =
    "usage: loopscope run SCRIPT.py [options]\n"
    "       loopscope run --list\n"
    "\n"
    "Runs an asyncio script on loopscope's engine, headless. The script's output goes to stdout\n"
    "as CPython would print it; the exit status is the script's. SCRIPT.py is a file, or the\n"
    "name of one of the example scripts that --list shows (timeouts.py).\n"
    "\n"
    "options:\n"
    "  --virtual-time          run on a virtual clock: sleeps take no real time; a deadlock\n"
    "                          (nothing could ever wake the loop) names the waiting tasks and\n"
    "                          exits with status 125 (asyncio itself waits forever)\n"
    "  --time-scale X          loop seconds per real second (0.1 to 4; default 1)\n"
    "  --grace SECONDS         give shutdown this long, then name the tasks holding it up and\n"
    "                          exit with status 124 (asyncio itself waits forever)\n"
    "  --signal NAME@SECONDS   send a signal to the process that many loop seconds after\n"
    "                          asyncio.run starts, e.g. SIGINT@2.5; repeatable\n"
    "  --trace FILE            write the run as Trace Event JSON (loopscope, Perfetto,\n"
    "                          chrome://tracing open it)\n"
    "  --image FILE            write the timeline as an image (.png, .jpg, .pdf or .svg)\n"
    "  --theme light|dark      the image's colours (default light; the GUI's --theme too)\n"
    "  --summary FILE|-        write a JSON summary of the tasks and the shutdown (- = stdout,\n"
    "                          after the script's own output)\n"
    "  --list                  list the example scripts and the built-in scenarios, and exit\n"
    "  -h, --help              show this help\n";

int usage_error(const std::string& message)
{
  std::fprintf(stderr, "loopscope run: %s\n(see 'loopscope run --help')\n", message.c_str());
  return 2;
}

bool parse_double(const char* s, double* out)
{
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || errno != 0)
    return false;
  *out = v;
  return true;
}

const char* state_name(views::TaskState s)
{
  switch (s) {
    case views::TaskState::Running:
      return "running";
    case views::TaskState::Ready:
      return "ready";
    case views::TaskState::Suspended:
      return "suspended";
    case views::TaskState::Cancelling:
      return "cancelling";
    case views::TaskState::Done:
      return "done";
    case views::TaskState::Failed:
      return "failed";
    case views::TaskState::Cancelled:
      return "cancelled";
    default:
      return "unknown";
  }
}

const char* phase_name(std::uint8_t p)
{
  switch (static_cast<engine::ShutdownPhaseKind>(p)) {
    case engine::ShutdownPhaseKind::SignalReceived:
      return "signal received";
    case engine::ShutdownPhaseKind::MainDone:
      return "main done";
    case engine::ShutdownPhaseKind::Cancelling:
      return "cancelling";
    case engine::ShutdownPhaseKind::Awaiting:
      return "awaiting";
    case engine::ShutdownPhaseKind::ExecutorShutdown:
      return "executor shutdown";
    case engine::ShutdownPhaseKind::GraceExpired:
      return "grace expired";
    case engine::ShutdownPhaseKind::Closed:
      return "closed";
    default:
      return "unknown";
  }
}

QJsonDocument summary(const views::TimelineModel& m, const script::ScriptResult& r,
                      const std::string& path)
{
  const auto secs = [&m](std::int64_t t) -> QJsonValue {
    if (t == views::kNever || t == views::kOpenEnd)
      return QJsonValue();
    return static_cast<double>(t - m.startTime()) / 1e9;
  };
  QJsonArray tasks;
  for (std::size_t i = 0; i < m.taskCount(); ++i) {
    const views::TaskInfo& t = m.taskAt(i);
    QJsonObject o;
    o["id"] = static_cast<qint64>(t.id);
    o["name"] = QString::fromStdString(t.name);
    o["state"] = state_name(t.state);
    const std::string& outcome = m.outcomeText(t);
    const std::size_t colon = outcome.find(':');
    if (t.state == views::TaskState::Failed)
      o["exception"] = QString::fromStdString(outcome.substr(0, colon));
    else if (t.state == views::TaskState::Cancelled)
      o["exception"] = "CancelledError";
    else
      o["exception"] = QJsonValue();
    if (!outcome.empty())
      o["outcome"] = QString::fromStdString(outcome);
    o["created"] = secs(t.created);
    o["ended"] = secs(t.ended);
    o["cancel_requests"] = static_cast<qint64>(t.cancelRequests);
    o["swallowed_cancel"] = t.swallowedCancel;
    if (t.parent != 0)
      o["parent"] = static_cast<qint64>(t.parent);
    tasks.append(o);
  }
  QJsonArray phases;
  for (const views::GlobalMarker& g : m.globalMarkers()) {
    if (g.kind != views::GlobalMarker::Kind::ShutdownPhase)
      continue;
    QJsonObject o;
    o["phase"] = phase_name(g.phase);
    o["t"] = secs(g.t);
    o["count"] = static_cast<qint64>(g.arg);
    if (g.text != 0)
      o["text"] = QString::fromStdString(m.text(g.text));
    phases.append(o);
  }
  QJsonObject root;
  root["script"] = QString::fromStdString(path);
  root["exit_status"] = r.exit_status;
  root["tasks"] = tasks;
  root["shutdown"] = phases;
  if (!r.runs.empty()) {
    QJsonArray held;
    for (const auto& h : r.runs.back().held) {
      QJsonObject o;
      o["name"] = QString::fromStdString(h.name);
      o["why"] = QString::fromStdString(h.explanation);
      held.append(o);
    }
    root["grace_expired"] = r.runs.back().grace_expired;
    root["held_shutdown"] = held;
  }
  return QJsonDocument(root);
}

// ---- signals
//
// SIGINT. CPython's default handler turns a Ctrl-C into KeyboardInterrupt in the script for the
// whole life of the process, and asyncio.run puts its own in place while it runs. loopscope's
// Runner does the same and, when its close() ends, puts back whatever it found: in the CLI that
// is this latch. A SIGINT outside asyncio.run (a time.sleep or busy loop at the top level) then
// raises a plain KeyboardInterrupt in the script at its next checkpoint, once per signal, as
// CPython's default handler does (ScriptOptions::interrupts): the script may catch it and go
// on. Uncaught, it ends the script with CPython's traceback, and the process dies by SIGINT once
// the traceback and the files are out. With the default action there instead, the tail of a
// SIGINT storm (the second signal raised KeyboardInterrupt, close() ended, 98 more were on their
// way) killed the process before the traceback was printed or any output written.
//
// SIGTERM, SIGHUP and SIGINT while the outputs are written. Each output is written whole or not
// at all (views::AtomicFile), but a signal whose default action kills the process in the middle
// of one would still leave its temporary file behind. So while the outputs are written those
// signals are held: the file being written is finished and put in place, the rest are not
// started, and the process then dies by that signal, as it would have without loopscope's help.

std::atomic<std::uint32_t> g_sigints{0};       // SIGINTs the latch has seen
volatile std::sig_atomic_t g_held_signal = 0;  // the first SIGTERM or SIGHUP while writing
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);

extern "C" void latchSigint(int /*signum*/)
{
  g_sigints.fetch_add(1, std::memory_order_relaxed);
}

extern "C" void holdSignal(int signum)
{
  if (g_held_signal == 0)
    g_held_signal = signum;
}

// Installs `handler` for `signum` unless the signal is ignored (a SIGHUP ignored by nohup stays
// ignored; so does a SIGINT ignored by the parent, as in CPython). True if installed.
bool installHandler(int signum, void (*handler)(int), struct sigaction* previous)
{
  struct sigaction sa
  {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  return ::sigaction(signum, nullptr, previous) == 0 && previous->sa_handler != SIG_IGN &&
         ::sigaction(signum, &sa, nullptr) == 0;
}

[[noreturn]] void dieBy(int signum)
{
  std::fflush(stdout);
  std::fflush(stderr);
  std::signal(signum, SIG_DFL);
  std::raise(signum);
  std::_Exit(128 + signum);  // blocked: as a shell would report it
}

class HeldSignals
{
public:
  HeldSignals() : sigints_(g_sigints.load())
  {
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      installed_[i] = installHandler(kSignals[i], &holdSignal, &previous_[i]);
  }
  ~HeldSignals() { restore(); }
  HeldSignals(const HeldSignals&) = delete;
  HeldSignals& operator=(const HeldSignals&) = delete;

  /// Between two outputs: if a signal came, dies by it now (`done` names what is complete).
  void dieIfSignalled(const std::string& done)
  {
    int signum = g_held_signal;
    if (signum == 0 && g_sigints.load() != sigints_)
      signum = SIGINT;
    if (signum == 0)
      return;
    std::fprintf(stderr, "loopscope run: %s while writing the outputs; %s, stopping\n",
                 strsignal(signum), done.empty() ? "none was written" : done.c_str());
    restore();
    dieBy(signum);
  }

private:
  void restore() noexcept
  {
    for (std::size_t i = 0; i < kSignals.size(); ++i) {
      if (installed_[i])
        ::sigaction(kSignals[i], &previous_[i], nullptr);
      installed_[i] = false;
    }
  }
  static constexpr std::array<int, 2> kSignals{SIGTERM, SIGHUP};
  std::uint32_t sigints_;  // g_sigints when the writing began
  std::array<struct sigaction, 2> previous_{};
  std::array<bool, 2> installed_{};
};

QString cannotWrite(const QString& path, const QString& why)
{
  return QStringLiteral("Cannot write %1: %2").arg(path, why);
}

bool write_atomically(const QString& path, const QByteArray& data, QString* error)
{
  views::AtomicFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
    *error = cannotWrite(path, f.errorString());
    return false;
  }
  f.write(data);
  if (!f.commit()) {
    *error = cannotWrite(path, f.errorString());
    return false;
  }
  return true;
}

}  // namespace

void forceTheme(bool dark)
{
  QApplication::setStyle(QStringLiteral("Fusion"));
  QApplication::setPalette(dark ? views::Theme::darkPalette()
                                : QApplication::style()->standardPalette());
}

int runCommand(int argc, char** argv)
{
  script::ScriptOptions options;
  std::string path;
  std::string tracePath, imagePath, summaryPath;
  bool darkImage = false;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        usage_error(std::string(name) + " needs a value");
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--list") {
      std::printf("Example scripts (loopscope run NAME runs one):\n");
      for (const auto& s : scriptCatalog())
        std::printf("  %-24s %s\n", qPrintable(s.id), qPrintable(s.header.title));
      std::printf("\nBuilt-in scenarios (native C++, in the app: loopscope --scenario ID):\n");
      for (const auto& s : engine::scenarios::catalog())
        std::printf("  %-24s %s\n", s.id.c_str(), s.title.c_str());
      return 0;
    }
    if (arg == "--virtual-time") {
      options.virtual_time = true;
    } else if (arg == "--time-scale") {
      const char* v = value("--time-scale");
      double x = 0;
      if (!parse_double(v, &x) || x < 0.1 || x > 4.0)
        return usage_error(std::string("--time-scale expects a factor from 0.1 to 4, not '") + v +
                           "'");
      options.time_scale = x;
    } else if (arg == "--grace") {
      const char* v = value("--grace");
      double x = 0;
      if (!parse_double(v, &x) || x < 0)
        return usage_error(std::string("--grace expects seconds (0 or more), not '") + v + "'");
      options.grace_seconds = x;
    } else if (arg == "--signal") {
      int sig = 0;
      double at = 0;
      std::string error;
      if (!script::parse_signal_spec(value("--signal"), &sig, &at, &error))
        return usage_error(error);
      options.send_signals.emplace_back(sig, at);
    } else if (arg == "--trace") {
      tracePath = value("--trace");
    } else if (arg == "--image") {
      imagePath = value("--image");
    } else if (arg == "--summary") {
      summaryPath = value("--summary");
    } else if (arg == "--theme") {
      const std::string theme = value("--theme");
      if (theme != "light" && theme != "dark" && theme != "system")
        return usage_error("--theme expects light or dark, not '" + theme + "'");
      darkImage = theme == "dark";  // headless, "system" has no desktop to follow: light
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error("unknown option '" + std::string(arg) + "'");
    } else if (path.empty()) {
      path = std::string(arg);
    } else {
      return usage_error("only one script can be run, got '" + path + "' and '" + std::string(arg) +
                         "'");
    }
  }
  if (path.empty())
    return usage_error("no script given");
  // As CPython does at startup: a write past RLIMIT_FSIZE fails with EFBIG (reported with the
  // file's name) instead of killing the process with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  struct sigaction defaultSigint
  {};
  if (installHandler(SIGINT, &latchSigint, &defaultSigint))
    options.interrupts = &g_sigints;  // see latchSigint
  std::stringstream buffer;
  bool example = false;
  std::ifstream file(path, std::ios::binary);
  if (file) {
    buffer << file.rdbuf();
  } else if (const CatalogScript* found = findCatalogScript(QString::fromStdString(path));
             found != nullptr && !std::filesystem::exists(path)) {
    buffer << catalogScriptText(*found).toStdString();  // an example script by name
    example = true;
  } else {
    std::fprintf(stderr, "loopscope run: cannot open '%s': %s\n", path.c_str(),
                 std::strerror(errno));
    return 2;
  }

  const bool wantEvents = !tracePath.empty() || !imagePath.empty() || !summaryPath.empty();
  engine::VectorSink sink;
  if (wantEvents)
    options.sink = &sink;

  script::ScriptIo io;
  io.out = [](std::string_view s) {
    std::fwrite(s.data(), 1, s.size(), stdout);
  };
  io.err = [](std::string_view s) {
    std::fflush(stdout);
    std::fwrite(s.data(), 1, s.size(), stderr);
  };
  // print(..., flush=True), sys.stdout.flush(): stdout is fully buffered when it is a pipe or a
  // file, and the reader must see those lines now, as CPython's reader does.
  io.flush = [] {
    std::fflush(stdout);
  };
  // CPython names the main script by its absolute path in tracebacks (since 3.9).
  std::error_code ec;
  std::filesystem::path shown = std::filesystem::absolute(path, ec);
  const std::string scriptName = ec || example ? path : shown.lexically_normal().string();
  const script::ScriptResult r = script::run_script(buffer.str(), scriptName, options, io);
  std::fflush(stdout);
  std::fflush(stderr);
  int status = r.exit_status;
  const std::uint32_t sigintsAfterScript = g_sigints.load();
  if (wantEvents) {
    HeldSignals held;
    std::string written;  // for the message if a signal ends the writing
    const auto wrote = [&written](const std::string& file) {
      written += (written.empty() ? "complete: '" : ", '") + file + "'";
    };
    const auto failed = [&status](const QString& error) {
      std::fprintf(stderr, "loopscope run: %s\n", qPrintable(error));
      status = status == 0 ? 1 : status;
    };
    views::TimelineModel model;
    model.append(engine::TraceDecoder::decode(sink.events()));
    QString error;
    held.dieIfSignalled(written);
    if (!tracePath.empty()) {
      if (views::writeTraceJson(model, QString::fromStdString(tracePath), &error))
        wrote(tracePath);
      else
        failed(error);
      held.dieIfSignalled(written);
    }
    if (!summaryPath.empty()) {
      const QByteArray json = summary(model, r, path).toJson(QJsonDocument::Indented);
      if (summaryPath == "-") {
        std::fwrite(json.constData(), 1, static_cast<std::size_t>(json.size()), stdout);
        std::fflush(stdout);
      } else if (write_atomically(QString::fromStdString(summaryPath), json, &error)) {
        wrote(summaryPath);
      } else {
        failed(error);
      }
      held.dieIfSignalled(written);
    }
    if (!imagePath.empty()) {
      // Headless by default: no display is needed to draw an image.
      if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
      // The offscreen platform's chatter ("does not support propagateSizeHints()") is not the
      // script's output; real warnings and errors still reach stderr.
      qInstallMessageHandler([](QtMsgType type, const QMessageLogContext& ctx, const QString& msg) {
        const bool platformNoise = type == QtWarningMsg || type == QtDebugMsg || type == QtInfoMsg;
        if (platformNoise &&
            (msg.contains(QLatin1String("propagateSizeHints")) ||
             msg.startsWith(QLatin1String("QStandardPaths:")) ||
             (ctx.category != nullptr && std::string_view(ctx.category).starts_with("qt.qpa"))))
          return;
        std::fprintf(stderr, "%s\n", qPrintable(msg));
      });
      int qargc = 1;
      QApplication app(qargc, argv);
      if (darkImage)
        forceTheme(true);
      views::TimelineWidget widget;
      widget.resize(1600, 900);
      widget.setModel(&model);
      widget.setFollow(false);
      widget.show();
      widget.refresh(model.endTime());
      widget.zoomToFit();
      QApplication::processEvents();
      views::TimelineWidget::ExportOptions opt;
      opt.format = views::TimelineWidget::formatForPath(QString::fromStdString(imagePath));
      if (widget.exportImage(QString::fromStdString(imagePath), opt, &error))
        wrote(imagePath);
      else
        failed(error);
      held.dieIfSignalled(written);
    }
  }
  // As CPython does for an uncaught KeyboardInterrupt: die by the signal itself. So too for a
  // SIGINT that came after the script ended (the latch held it).
  if (r.killed_by_sigint || g_sigints.load() != sigintsAfterScript)
    dieBy(SIGINT);
  return status;
}

}  // namespace loopscope::app
