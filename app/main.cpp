// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

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

#include <cstdio>
#include <string_view>

namespace {

using loopscope::app::MainWindow;

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

}  // namespace

int main(int argc, char* argv[])
{
  QCoreApplication::setOrganizationName(QStringLiteral("loopscope"));
  QCoreApplication::setApplicationName(QStringLiteral("loopscope"));
  QCoreApplication::setApplicationVersion(QStringLiteral(LOOPSCOPE_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Makes asyncio-style event-loop scheduling visible: tasks, awaits, timeouts, "
                     "cancellations and shutdown."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption screenshotOption(
      QStringLiteral("screenshot"),
      QStringLiteral("Show the main window, save a picture of it to <file> (format from the "
                     "suffix, PNG by default) and exit."),
      QStringLiteral("file"));
  parser.addOption(screenshotOption);
  const QCommandLineOption screenshotDelayOption(
      QStringLiteral("screenshot-delay"),
      QStringLiteral("With --screenshot: let the demo scenario run for <ms> milliseconds before "
                     "taking the picture (default 0)."),
      QStringLiteral("ms"), QStringLiteral("0"));
  parser.addOption(screenshotDelayOption);

  if (wantsOnlyInformation(argc, argv)) {
    const QCoreApplication app(argc, argv);
    parser.process(app);  // prints help or version and exits
  }

  QApplication app(argc, argv);
  parser.process(app);
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/loopscope.svg")));

  bool delayOk = false;
  const int screenshotDelayMs = parser.value(screenshotDelayOption).toInt(&delayOk);
  if (!delayOk || screenshotDelayMs < 0) {
    std::fprintf(stderr,
                 "loopscope: --screenshot-delay expects milliseconds (0 or more), not '%s'\n",
                 qPrintable(parser.value(screenshotDelayOption)));
    return 2;
  }
  if (parser.isSet(screenshotDelayOption) && !parser.isSet(screenshotOption)) {
    std::fprintf(stderr, "loopscope: --screenshot-delay has no effect without --screenshot\n");
  }

  MainWindow window;

  if (parser.isSet(screenshotOption)) {
    // Screenshots use the default layout, not the user's saved one, so they are reproducible.
    const QString path = parser.value(screenshotOption);
    window.show();
    window.runDemo();
    // Grab once the event loop has run (pending layout requests handled, and the scenario
    // given the requested time).
    QTimer::singleShot(screenshotDelayMs, &window, [&window, path] {
      QCoreApplication::sendPostedEvents();
      QCoreApplication::exit(saveScreenshot(window, path));
    });
    return QApplication::exec();
  }

  window.restoreSettings();
  window.show();
  window.runDemo();
  return QApplication::exec();
}
