// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"
#include "runcommand.h"
#include "scriptcatalog.h"
#include "signalbridge.h"

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/scenarios.h>
#include <views/runcontroller.h>
#include <views/timelinewidget.h>

#include <QApplication>
#include <QByteArray>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QImage>
#include <QImageWriter>
#include <QSaveFile>
#include <QString>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <string_view>
#include <vector>

namespace {

using loopscope::app::MainWindow;
namespace views = loopscope::views;

// --help and --version must work without a display, where QApplication would abort, so they
// are recognised before QApplication exists.
bool wantsOnlyInformation(int argc, char** argv)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "--") {
      break;
    }
    if (arg == "-h" || arg == "-?" || arg == "--help" || arg == "--help-all" || arg == "-v" ||
        arg == "--version") {
      return true;
    }
  }
  return false;
}

// Renders `window` and writes it to `path` atomically (nothing is left behind on failure).
// The image format follows the file suffix, PNG when there is none. Returns the exit code.
int saveScreenshot(QWidget& window, const QString& path)
{
  const auto fail = [&path](const QString& reason) {
    std::fprintf(stderr, "loopscope: cannot save screenshot to '%s': %s\n",
                 qPrintable(QDir::toNativeSeparators(path)), qPrintable(reason));
    return 1;
  };

  const QImage image = window.grab().toImage();
  if (image.isNull()) {
    return fail(QStringLiteral("the window could not be rendered"));
  }
  QByteArray format = QFileInfo(path).suffix().toLower().toLatin1();
  if (format.isEmpty()) {
    format = "png";
  }

  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return fail(file.errorString());
  }
  QImageWriter writer(&file, format);
  if (!writer.write(image)) {
    return fail(writer.errorString());
  }
  if (!file.commit()) {
    return fail(file.errorString());
  }
  return 0;
}

// One --at action: "<ms>:<action>", performed that many milliseconds after start-up.
struct TimedAction
{
  int ms = 0;
  QString action;
  QString argument;
};

bool parseTimedAction(const QString& spec, TimedAction* out, QString* error)
{
  const qsizetype colon = spec.indexOf(QLatin1Char(':'));
  bool ok = false;
  const int ms = colon > 0 ? spec.left(colon).toInt(&ok) : 0;
  if (!ok || ms < 0) {
    *error = QStringLiteral("--at '%1': expected <ms>:<action>, e.g. 3000:sigint").arg(spec);
    return false;
  }
  const QString rest = spec.mid(colon + 1);
  const qsizetype colon2 = rest.indexOf(QLatin1Char(':'));
  out->ms = ms;
  out->action = colon2 < 0 ? rest : rest.left(colon2);
  out->argument = colon2 < 0 ? QString() : rest.mid(colon2 + 1);
  static const QStringList known{QStringLiteral("run"),    QStringLiteral("stop"),
                                 QStringLiteral("sigint"), QStringLiteral("sigterm"),
                                 QStringLiteral("cancel"), QStringLiteral("select"),
                                 QStringLiteral("fit"),    QStringLiteral("window"),
                                 QStringLiteral("export"), QStringLiteral("export-trace")};
  if (!known.contains(out->action)) {
    *error = QStringLiteral("--at '%1': unknown action '%2' (known: %3)")
                 .arg(spec, out->action, known.join(QStringLiteral(", ")));
    return false;
  }
  if (out->action == QLatin1String("window")) {
    const QStringList bounds = out->argument.split(QLatin1Char('-'));
    bool okLow = false;
    bool okHigh = false;
    const double low = bounds.value(0).toDouble(&okLow);
    const double high = bounds.value(1).toDouble(&okHigh);
    if (bounds.size() != 2 || !okLow || !okHigh || !(high > low)) {
      *error = QStringLiteral(
                   "--at '%1': 'window' needs <from>-<to> in loop seconds, e.g. "
                   "%2:window:2.5-3.5")
                   .arg(spec)
                   .arg(ms);
      return false;
    }
  }
  if ((out->action == QLatin1String("cancel") || out->action == QLatin1String("select") ||
       out->action.startsWith(QLatin1String("export"))) &&
      out->argument.isEmpty()) {
    *error = QStringLiteral("--at '%1': '%2' needs an argument, e.g. %3:%2:worker-1")
                 .arg(spec, out->action)
                 .arg(ms);
    return false;
  }
  return true;
}

void perform(MainWindow& window, const TimedAction& a)
{
  auto& c = window.controller();
  const auto warn = [&a](const QString& what) {
    std::fprintf(stderr, "loopscope: --at %d:%s: %s\n", a.ms, qPrintable(a.action),
                 qPrintable(what));
  };
  if (a.action == QLatin1String("run")) {
    window.runScenario();
  } else if (a.action == QLatin1String("stop")) {
    c.stop();
  } else if (a.action == QLatin1String("sigint")) {
    if (!c.sendSignal(SIGINT)) {
      warn(QStringLiteral("no run in progress"));
    }
  } else if (a.action == QLatin1String("sigterm")) {
    if (!c.sendSignal(SIGTERM)) {
      warn(QStringLiteral("no run in progress"));
    }
  } else if (a.action == QLatin1String("select") || a.action == QLatin1String("cancel")) {
    if (!window.selectTaskByName(a.argument)) {
      warn(QStringLiteral("no task named '%1' (yet)").arg(a.argument));
      return;
    }
    if (a.action == QLatin1String("cancel") &&
        !c.cancelTask(window.timeline()->selectedTask(), QStringLiteral("cancelled from --at"))) {
      warn(QStringLiteral("no run in progress"));
    }
  } else if (a.action == QLatin1String("fit")) {
    window.timeline()->zoomToFit();
  } else if (a.action == QLatin1String("window")) {
    const QStringList bounds = a.argument.split(QLatin1Char('-'));
    window.timeline()->setFollow(false);
    window.timeline()->setWindow({bounds.at(0).toDouble(), bounds.at(1).toDouble()});
  } else if (a.action == QLatin1String("export")) {
    views::TimelineWidget::ExportOptions options;
    options.format = views::TimelineWidget::formatForPath(a.argument);
    QString error;
    if (!window.timeline()->exportImage(a.argument, options, &error)) {
      warn(error);
    }
  } else if (a.action == QLatin1String("export-trace")) {
    QString error;
    if (!c.exportTrace(a.argument, &error)) {
      warn(error);
    }
  }
}

}  // namespace

int main(int argc, char* argv[])
{
  // `loopscope run SCRIPT.py ...` runs headless, without Qt.
  if (argc >= 2 && std::string_view(argv[1]) == "run")
    return loopscope::app::runCommand(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("loopscope"));
  QCoreApplication::setApplicationName(QStringLiteral("loopscope"));
  QCoreApplication::setApplicationVersion(QStringLiteral(LOOPSCOPE_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Makes asyncio-style event-loop scheduling visible: tasks, awaits, timeouts, "
                     "cancellations and shutdown."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption scenarioOption(
      QStringLiteral("scenario"),
      QStringLiteral("Open on scenario <id> (see --list-scenarios; default graceful-shutdown); "
                     "an example script's id (timeouts.py) opens it in the Script dock."),
      QStringLiteral("id"));
  parser.addOption(scenarioOption);
  const QCommandLineOption listOption(QStringLiteral("list-scenarios"),
                                      QStringLiteral("List the built-in scenarios and exit."));
  parser.addOption(listOption);
  const QCommandLineOption runOption(QStringLiteral("run"),
                                     QStringLiteral("Start the scenario (or the script) at once."));
  parser.addOption(runOption);
  const QCommandLineOption scaleOption(
      QStringLiteral("time-scale"),
      QStringLiteral("Loop seconds per real second, 0.1 to 4 (default 1; 0.25 = four times "
                     "slower)."),
      QStringLiteral("factor"));
  parser.addOption(scaleOption);
  const QCommandLineOption openOption(QStringLiteral("open"),
                                      QStringLiteral("Open a saved trace (Trace Event JSON "
                                                     "exported by loopscope)."),
                                      QStringLiteral("file"));
  parser.addOption(openOption);
  const QCommandLineOption atOption(
      QStringLiteral("at"),
      QStringLiteral("Perform <ms>:<action> that many ms after start-up; repeatable. Actions: "
                     "run, stop, sigint, sigterm, cancel:<task>, select:<task>, fit, "
                     "window:<from>-<to> (loop seconds), "
                     "export:<file>, export-trace:<file>."),
      QStringLiteral("ms:action"));
  parser.addOption(atOption);
  const QCommandLineOption screenshotOption(
      QStringLiteral("screenshot"),
      QStringLiteral("Show the main window, save a picture of it to <file> (format from the "
                     "suffix, PNG by default) and exit."),
      QStringLiteral("file"));
  parser.addOption(screenshotOption);
  const QCommandLineOption screenshotDelayOption(
      QStringLiteral("screenshot-delay"),
      QStringLiteral("With --screenshot: wait <ms> milliseconds after start-up before taking the "
                     "picture (default 0)."),
      QStringLiteral("ms"), QStringLiteral("0"));
  parser.addOption(screenshotDelayOption);
  const QCommandLineOption themeOption(
      QStringLiteral("theme"),
      QStringLiteral("Colours: system follows the desktop's palette (the default); light or dark "
                     "force one, with the Fusion style (e.g. for screenshots)."),
      QStringLiteral("light|dark|system"), QStringLiteral("system"));
  parser.addOption(themeOption);
  const QCommandLineOption retentionOption(
      QStringLiteral("retention"),
      QStringLiteral("How much of a live run to keep, for long runs: a span of loop time (90s, "
                     "5m, 1h), a number of events (2M ev, 500k ev), both (5m,2M ev), or off "
                     "(the default, or the last session's choice in View > Keep History)."),
      QStringLiteral("LIMIT"));
  parser.addOption(retentionOption);
  parser.addPositionalArgument(
      QStringLiteral("script"),
      QStringLiteral("A Python asyncio script (.py) to open in the Script dock; with --run it "
                     "starts at once."),
      QStringLiteral("[SCRIPT.py]"));

  if (wantsOnlyInformation(argc, argv)) {
    const QCoreApplication app(argc, argv);
    parser.process(app);  // prints help or version and exits
  }
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--list-scenarios") {
      for (const auto& s : loopscope::engine::scenarios::catalog()) {
        std::printf("%-24s %s\n", s.id.c_str(), s.title.c_str());
      }
      const QCoreApplication app(argc, argv);  // the scripts are Qt resources
      std::printf("\nScripts (Python, shown in the Script dock):\n");
      for (const auto& s : loopscope::app::scriptCatalog()) {
        std::printf("%-24s %s\n", qPrintable(s.id), qPrintable(s.header.title));
      }
      return 0;
    }
  }

  QApplication app(argc, argv);
  parser.process(app);
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/loopscope.svg")));

  const auto usage = [](const QString& message) {
    std::fprintf(stderr, "loopscope: %s\n", qPrintable(message));
    return 2;
  };
  const QString theme = parser.value(themeOption);
  if (theme == QLatin1String("dark") || theme == QLatin1String("light")) {
    loopscope::app::forceTheme(theme == QLatin1String("dark"));
  } else if (theme != QLatin1String("system")) {
    return usage(QStringLiteral("--theme expects light, dark or system, not '%1'").arg(theme));
  }
  bool delayOk = false;
  const int screenshotDelayMs = parser.value(screenshotDelayOption).toInt(&delayOk);
  if (!delayOk || screenshotDelayMs < 0) {
    return usage(QStringLiteral("--screenshot-delay expects milliseconds (0 or more), not '%1'")
                     .arg(parser.value(screenshotDelayOption)));
  }
  if (parser.isSet(screenshotDelayOption) && !parser.isSet(screenshotOption)) {
    std::fprintf(stderr, "loopscope: --screenshot-delay has no effect without --screenshot\n");
  }
  double scale = 0;
  if (parser.isSet(scaleOption)) {
    bool ok = false;
    scale = parser.value(scaleOption).toDouble(&ok);
    if (!ok || scale < 0.1 || scale > 4.0) {
      return usage(QStringLiteral("--time-scale expects a factor from 0.1 to 4, not '%1'")
                       .arg(parser.value(scaleOption)));
    }
  }
  QString scriptPath;
  for (const QString& arg : parser.positionalArguments()) {
    if (!arg.endsWith(QLatin1String(".py"))) {
      return usage(QStringLiteral("'%1' is not a Python script (.py); see --help").arg(arg));
    }
    if (!scriptPath.isEmpty()) {
      return usage(QStringLiteral("one script at a time, not '%1' and '%2'").arg(scriptPath, arg));
    }
    scriptPath = arg;
  }
  if (!scriptPath.isEmpty() && parser.isSet(scenarioOption)) {
    return usage(QStringLiteral("--scenario and a script: pick one"));
  }
  std::vector<TimedAction> actions;
  for (const QString& spec : parser.values(atOption)) {
    TimedAction a;
    QString error;
    if (!parseTimedAction(spec, &a, &error)) {
      return usage(error);
    }
    actions.push_back(a);
  }

  MainWindow window;
  loopscope::app::SignalBridge signals_;
  // A signal no run handles: a scenario without a SIGTERM handler ends as a real process would;
  // with no run at all, Ctrl+C in the terminal closes the window (saving its layout).
  QObject::connect(&signals_, &loopscope::app::SignalBridge::signalReceived, &window,
                   [&window](int signum) {
                     if (window.controller().isRunning()) {
                       window.controller().unhandledSignal(signum);
                     } else {
                       window.close();
                     }
                   });

  const bool screenshot = parser.isSet(screenshotOption);
  if (!screenshot) {
    // Screenshots use the default layout, not the user's saved one, so they are reproducible.
    window.restoreSettings();
  }
  if (parser.isSet(scenarioOption) && !window.selectScenario(parser.value(scenarioOption))) {
    return usage(QStringLiteral("unknown scenario '%1' (see --list-scenarios)")
                     .arg(parser.value(scenarioOption)));
  }
  if (!scriptPath.isEmpty()) {
    QString error;
    if (!window.openScriptFile(scriptPath, &error)) {
      return usage(error);
    }
  }
  if (scale > 0) {
    window.setTimeScale(scale);
  }
  if (parser.isSet(retentionOption)) {
    QString error;
    if (!window.setRetention(parser.value(retentionOption), &error)) {
      return usage(QStringLiteral("--%1").arg(error));
    }
  }
  window.show();
  if (parser.isSet(openOption)) {
    QString error;
    if (!window.openTraceFile(parser.value(openOption), &error)) {
      return usage(error);
    }
  } else if (parser.isSet(runOption)) {
    window.runScenario();
  }
  for (const TimedAction& a : actions) {
    QTimer::singleShot(a.ms, &window, [&window, a] { perform(window, a); });
  }
  if (screenshot) {
    const QString path = parser.value(screenshotOption);
    // Grab once the event loop has run (pending layout requests handled, and the scenario
    // given the requested time).
    QTimer::singleShot(screenshotDelayMs, &window, [&window, path] {
      QCoreApplication::sendPostedEvents();
      window.timeline()->refresh(window.controller().now());
      QCoreApplication::processEvents();
      QCoreApplication::exit(saveScreenshot(window, path));
    });
  }
  return QApplication::exec();
}
