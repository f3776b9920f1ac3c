// SPDX-License-Identifier: GPL-3.0-or-later
// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "../engine/testsupport.h"

#include <views/timelinemodel.h>
#include <views/timelinestyle.h>
#include <views/timelinewidget.h>

#include <QColor>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QSize>
#include <QTemporaryDir>
#include <QTest>

#include <qcustomplot.h>

#include <algorithm>

using loopscope::views::Marker;
using loopscope::views::MarkerKind;
using loopscope::views::StateSpan;
using loopscope::views::TaskInfo;
using loopscope::views::Theme;
using loopscope::views::TimelineModel;
using loopscope::views::TimelineWidget;
using namespace loopscope::engine;
using namespace loopscope::testsupport;

class tst_TimelineWidget : public QObject
{
  Q_OBJECT

private slots:
  void timeAxisIsLabelledLoopTime();
  void rendersAtTheRequestedSize_data();
  void rendersAtTheRequestedSize();
  void renderingDrawsTheTimeAxisAcrossTheImage();
  void emptySizeRendersNullImage();
  void rendersSharplyAtDevicePixelRatio2();
  void plotBuffersMatchTheScreen();
  void followsThePaletteLightOrDark();
  void rowsGrowWithTheFont();
  void rowsAreTheLoopThenTasksInTreeOrder();
  void tooltipNamesStateAwaitAndSite();
  void clickingABarSelectsItsTask();
  void clickingAnAwaitGivesItsSite();
  void collapsingATaskHidesItsChildren();
  void followKeepsNowInViewUntilTheUserPans();
  void cancellationIsDrawnAsAnArrow();
  void blockingStepIsDrawnInTheWarningColour();
  void exportWritesAValidFile_data();
  void exportWritesAValidFile();
  void exportWholeRunOrVisibleWindow();
  void exportToAMissingDirectoryFailsClearly();
  void failedExportLeavesTheExistingFileAlone();
};

namespace {

bool isDark(QRgb pixel)
{
  return qGray(pixel) < 128;
}

// Longest run of consecutive dark pixels in row `y`.
int longestDarkRun(const QImage& image, int y)
{
  int longest = 0;
  int run = 0;
  for (int x = 0; x < image.width(); ++x) {
    run = isDark(image.pixel(x, y)) ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// How many pixels are close to `colour` (antialiasing blends edges).
int pixelsNear(const QImage& image, const QColor& colour, int tolerance = 12)
{
  int count = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - colour.red()) <= tolerance &&
          std::abs(c.green() - colour.green()) <= tolerance &&
          std::abs(c.blue() - colour.blue()) <= tolerance) {
        ++count;
      }
    }
  }
  return count;
}

Coro<void> sub()
{
  co_await sleep(20s);
}

// Cancelled by main after 1 s: cleans up for 0.5 s and re-raises.
Coro<void> worker()
{
  Task<void> child = create_task(sub(), "sub");
  std::exception_ptr cancelled;
  try {
    co_await sleep(10s);
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  child.cancel();
  co_await sleep(500ms);
  std::rethrow_exception(cancelled);
}

Coro<void> scenario()
{
  Task<void> w = create_task(worker(), "worker");
  co_await sleep(1s);
  w.cancel("enough");
  try {
    co_await w;
  } catch (const CancelledError&) {
  }
  co_await sleep(1s);
}

// A step that blocks the (virtual) loop for 300 ms: a slow step.
Coro<void> blocking(Loop& loop)
{
  co_await sleep(100ms);
  loop.clock().advance_to(to_ns(loop.now()) + 300'000'000);
  co_await sleep(100ms);
}

std::vector<DecodedEvent> record(Coro<void> (*make)())
{
  VirtualLoop v;
  v.loop.run_until_complete(v.loop.create_task(make(), "main"));
  return v.decoded();
}

// A shown widget drawing `model` over [0, 3] s.
struct Shown
{
  TimelineModel model;
  TimelineWidget widget;
  explicit Shown(const std::vector<DecodedEvent>& events)
  {
    model.append(events);
    widget.resize(1000, 400);
    widget.setModel(&model);
    widget.setFollow(false);
    widget.setWindow({0.0, 3.0});
    widget.show();
    widget.refresh(model.endTime());
    widget.plot()->replot();
  }
  std::uint32_t id(const std::string& name) const
  {
    for (std::size_t i = 0; i < model.taskCount(); ++i) {
      if (model.taskAt(i).name == name) {
        return model.taskAt(i).id;
      }
    }
    return 0;
  }
  QStringList labels() const { return widget.rowLabels(); }
};

}  // namespace

void tst_TimelineWidget::rowsAreTheLoopThenTasksInTreeOrder()
{
  Shown s(record(scenario));
  QCOMPARE(s.labels(), (QStringList{"loop thread", "▾ main", "  ▾ worker", "    sub"}));
}

void tst_TimelineWidget::tooltipNamesStateAwaitAndSite()
{
  Shown s(record(scenario));
  const QPoint at = s.widget.positionOf(s.id("worker"), 500'000'000);
  QVERIFY(at.x() >= 0);
  const QString tip = s.widget.toolTipAt(at);
  QVERIFY2(tip.contains("worker") && tip.contains("suspended") &&
               tip.contains("sleep until 10.000 s") && tip.contains("tst_timelinewidget.cpp:"),
           qPrintable(tip));
  // The loop row says who held the thread; between steps it was idle.
  const QString loopTip = s.widget.toolTipAt(s.widget.positionOf(0, 500'000'000));
  QVERIFY2(loopTip.contains("idle"), qPrintable(loopTip));
}

void tst_TimelineWidget::clickingABarSelectsItsTask()
{
  Shown s(record(scenario));
  QSignalSpy selected(&s.widget, &TimelineWidget::taskSelected);
  const std::uint32_t worker = s.id("worker");
  QTest::mouseClick(s.widget.plot(), Qt::LeftButton, {}, s.widget.positionOf(worker, 500'000'000));
  QCOMPARE(selected.count(), 1);
  QCOMPARE(selected.at(0).at(0).value<std::uint32_t>(), worker);
  QCOMPARE(s.widget.selectedTask(), worker);
}

void tst_TimelineWidget::clickingAnAwaitGivesItsSite()
{
  Shown s(record(scenario));
  const std::uint32_t worker = s.id("worker");
  // worker is suspended at its sleep(10s) from 0 to 1 s: the span's site, and its await tick.
  const TaskInfo* task = s.model.task(worker);
  QVERIFY(task != nullptr);
  const std::optional<StateSpan> span = s.model.spanAt(worker, 500'000'000);
  QVERIFY(span && span->site != 0);
  QCOMPARE(s.widget.siteAt(s.widget.positionOf(worker, 500'000'000)), span->site);
  const std::vector<Marker> awaits = s.model.awaitsIn(worker, 0, s.model.endTime());
  QVERIFY(!awaits.empty());
  const auto tick = awaits.begin();
  QCOMPARE(s.widget.siteAt(s.widget.positionOf(worker, tick->t)), tick->site);
  QCOMPARE(s.widget.siteAt(s.widget.positionOf(0, 500'000'000)), 0u);  // the loop row
  QSignalSpy sites(&s.widget, &TimelineWidget::siteClicked);
  QTest::mouseClick(s.widget.plot(), Qt::LeftButton, {}, s.widget.positionOf(worker, 500'000'000));
  QCOMPARE(sites.count(), 1);
  QCOMPARE(sites.at(0).at(0).value<std::uint32_t>(), span->site);
}

void tst_TimelineWidget::collapsingATaskHidesItsChildren()
{
  Shown s(record(scenario));
  const std::uint32_t worker = s.id("worker");
  s.widget.toggleCollapsed(worker);
  QCOMPARE(s.labels(), (QStringList{"loop thread", "▾ main", "  ▸ worker (+1)"}));
  QCOMPARE(s.widget.positionOf(s.id("sub"), 500'000'000), QPoint(-1, -1));
  s.widget.toggleCollapsed(worker);
  QCOMPARE(s.labels().size(), 4);
}

void tst_TimelineWidget::followKeepsNowInViewUntilTheUserPans()
{
  Shown s(record(scenario));
  QSignalSpy follow(&s.widget, &TimelineWidget::followChanged);
  s.widget.setFollow(true);
  s.widget.refresh(30'000'000'000);
  QVERIFY(s.widget.window().lower < 30.0 && s.widget.window().upper > 30.0);
  // A drag or wheel zoom changes the axis range: following stops, and later "now"s do not move
  // the view.
  s.widget.plot()->xAxis->setRange(1.0, 2.0);
  QCOMPARE(follow.count(), 2);
  QCOMPARE(follow.at(1).at(0).toBool(), false);
  s.widget.refresh(40'000'000'000);
  QCOMPARE(s.widget.window(), (loopscope::views::timeline::Window{1.0, 2.0}));
  s.widget.setFollow(true);
  QVERIFY(s.widget.window().upper > 40.0);
}

void tst_TimelineWidget::cancellationIsDrawnAsAnArrow()
{
  Shown s(record(scenario));
  const QImage image = s.widget.toImage(QSize(1000, 400));
  const QColor cancel = Theme::lightTheme().cancel;
  // Without the cancellation only the legend's sample arrow has that colour.
  Shown quiet(record([]() -> Coro<void> { co_await sleep(2s); }));
  const int legendOnly = pixelsNear(quiet.widget.toImage(QSize(1000, 400)), cancel);
  QVERIFY2(pixelsNear(image, cancel) > legendOnly + 30, "no cancel arrow/markers drawn");
}

void tst_TimelineWidget::blockingStepIsDrawnInTheWarningColour()
{
  VirtualLoop v;
  v.loop.run_until_complete(v.loop.create_task(blocking(v.loop), "blocker"));
  Shown s(v.decoded());
  QVERIFY(!eventsOfKind(v.decoded(), EventKind::SlowStep).empty());
  const QColor warning = Theme::lightTheme().warning;
  // Without a blocking step only the legend's swatch and triangle have that colour.
  Shown quiet(record([]() -> Coro<void> { co_await sleep(2s); }));
  const int legendOnly = pixelsNear(quiet.widget.toImage(QSize(1000, 400)), warning);
  QVERIFY2(pixelsNear(s.widget.toImage(QSize(1000, 400)), warning) > legendOnly + 100,
           "the blocking step is not drawn in the warning colour");
}

void tst_TimelineWidget::exportWritesAValidFile_data()
{
  QTest::addColumn<QString>("file");
  QTest::addColumn<QByteArray>("magic");
  QTest::newRow("PNG") << "t.png" << QByteArray("\x89PNG");
  QTest::newRow("JPG") << "t.jpg" << QByteArray("\xFF\xD8\xFF");
  QTest::newRow("PDF") << "t.pdf" << QByteArray("%PDF");
  QTest::newRow("SVG") << "t.svg" << QByteArray("<?xml");
}

void tst_TimelineWidget::exportWritesAValidFile()
{
  QFETCH(QString, file);
  QFETCH(QByteArray, magic);
  Shown s(record(scenario));
  QTemporaryDir dir;
  const QString path = dir.filePath(file);
  TimelineWidget::ExportOptions options;
  options.format = TimelineWidget::formatForPath(path);
  options.size = QSize(800, 300);
  options.scale = 2.0;
  QString error;
  QVERIFY2(s.widget.exportImage(path, options, &error), qPrintable(error));
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray bytes = f.readAll();
  QVERIFY(bytes.startsWith(magic));
  QVERIFY(bytes.size() > 1000);
  if (file.endsWith(".png") || file.endsWith(".jpg")) {
    QCOMPARE(QImage(path).size(), QSize(1600, 600));  // scale 2
  }
  if (file.endsWith(".svg")) {
    QVERIFY(bytes.contains("<svg") && bytes.contains("worker"));
  }
  // The view the user had is back.
  QCOMPARE(s.widget.window(), (loopscope::views::timeline::Window{0.0, 3.0}));
}

void tst_TimelineWidget::exportWholeRunOrVisibleWindow()
{
  // The view shows 0.10-0.20 s of a run that lasts more than a second: the SVG's time-axis
  // labels say which range each export drew.
  Shown s(record(scenario));
  s.widget.setWindow({0.1, 0.2});
  QTemporaryDir dir;
  TimelineWidget::ExportOptions options;
  options.format = TimelineWidget::ExportFormat::Svg;
  options.size = QSize(1000, 400);
  const auto svg = [&](bool wholeRun) {
    options.wholeRun = wholeRun;
    const QString path = dir.filePath(wholeRun ? "run.svg" : "window.svg");
    QString error;
    if (!s.widget.exportImage(path, options, &error))
      qFatal("%s", qPrintable(error));
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  };
  const QByteArray window = svg(false);
  const QByteArray run = svg(true);
  QVERIFY(window.contains(">0.14</text>") && !window.contains(">1.5</text>"));
  QVERIFY(run.contains(">1.5</text>") && !run.contains(">0.14</text>"));
  QCOMPARE(s.widget.window(), (loopscope::views::timeline::Window{0.1, 0.2}));
}

void tst_TimelineWidget::exportToAMissingDirectoryFailsClearly()
{
  Shown s(record(scenario));
  QTemporaryDir dir;
  const QString path = dir.filePath("missing/sub/t.png");
  QString error;
  QVERIFY(!s.widget.exportImage(path, {}, &error));
  QVERIFY2(error.contains(path), qPrintable(error));
  QVERIFY(!QFile::exists(path));
}

void tst_TimelineWidget::failedExportLeavesTheExistingFileAlone()
{
  Shown s(record(scenario));
  QTemporaryDir dir;
  const QString path = dir.filePath("t.png");
  {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("precious");
  }
  TimelineWidget::ExportOptions options;
  options.size = QSize(0, 0);
  QString error;
  QVERIFY(!s.widget.exportImage(path, options, &error));
  QVERIFY(error.contains("empty"));
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), QByteArray("precious"));
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"t.png"});  // no temp left
}

void tst_TimelineWidget::timeAxisIsLabelledLoopTime()
{
  const TimelineWidget widget;
  QCOMPARE(widget.timeAxisLabel(), QStringLiteral("loop time (s)"));
}

void tst_TimelineWidget::rendersAtTheRequestedSize_data()
{
  QTest::addColumn<QSize>("size");
  QTest::newRow("small 320x200") << QSize(320, 200);
  QTest::newRow("wide 1600x300") << QSize(1600, 300);
  QTest::newRow("tall 400x900") << QSize(400, 900);
}

void tst_TimelineWidget::rendersAtTheRequestedSize()
{
  QFETCH(QSize, size);
  const TimelineWidget widget;  // never shown: rendering must not depend on visibility

  const QImage image = widget.toImage(size);

  QCOMPARE(image.size(), size);
}

void tst_TimelineWidget::renderingDrawsTheTimeAxisAcrossTheImage()
{
  const TimelineWidget widget;
  const QImage image = widget.toImage(QSize(800, 400));
  QVERIFY(!image.isNull());

  // The background is light; the time axis is a dark horizontal line in the lower half that
  // spans most of the width. Its tick labels and title sit below it.
  const int minimumAxisLength = image.width() / 2;
  int axisRow = -1;
  for (int y = image.height() - 1; y >= image.height() / 2 && axisRow < 0; --y) {
    if (longestDarkRun(image, y) >= minimumAxisLength) {
      axisRow = y;
    }
  }
  QVERIFY2(axisRow >= 0, "no horizontal time axis found in the lower half of the image");

  int darkPixelsBelowAxis = 0;
  for (int y = axisRow + 1; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      darkPixelsBelowAxis += isDark(image.pixel(x, y)) ? 1 : 0;
    }
  }
  QVERIFY2(darkPixelsBelowAxis > 100, "no tick labels or axis title drawn below the time axis");
}

void tst_TimelineWidget::emptySizeRendersNullImage()
{
  const TimelineWidget widget;
  QVERIFY(widget.toImage(QSize(0, 300)).isNull());
  QVERIFY(widget.toImage(QSize()).isNull());
}

namespace {

// The length of the vertical run of pixels near `colour` through (x, y).
int verticalRun(const QImage& image, int x, int y, const QColor& colour)
{
  const auto near = [&](int yy) {
    const QColor c = image.pixelColor(x, yy);
    return std::abs(c.red() - colour.red()) <= 8 && std::abs(c.green() - colour.green()) <= 8 &&
           std::abs(c.blue() - colour.blue()) <= 8;
  };
  if (!near(y)) {
    return 0;
  }
  int top = y;
  int bottom = y;
  while (top > 0 && near(top - 1)) {
    --top;
  }
  while (bottom + 1 < image.height() && near(bottom + 1)) {
    ++bottom;
  }
  return bottom - top + 1;
}

}  // namespace

void tst_TimelineWidget::rendersSharplyAtDevicePixelRatio2()
{
  Shown s(record(scenario));
  // The plot's own size: the same layout as on screen, so positionOf() applies to the images.
  const QSize size = s.widget.plot()->size();
  const QImage one = s.widget.toImage(size);
  const QImage two = s.widget.toImage(size, 2.0);
  QCOMPARE(two.size(), size * 2);
  QCOMPARE(two.devicePixelRatio(), 2.0);
  QCOMPARE(two.deviceIndependentSize(), QSizeF(size));

  // Laid out alike: the worker's suspended bar is at the same place, twice as tall in pixels.
  const QPoint at = s.widget.positionOf(s.id("worker"), 500'000'000);
  QVERIFY(at.x() >= 0);
  const QColor suspended = Theme::lightTheme().state(loopscope::views::TaskState::Suspended);
  const int barOne = verticalRun(one, at.x(), at.y(), suspended);
  const int barTwo = verticalRun(two, at.x() * 2, at.y() * 2, suspended);
  QVERIFY2(barOne >= 10, qPrintable(QString::number(barOne)));
  QVERIFY2(std::abs(barTwo - 2 * barOne) <= 2,
           qPrintable(QStringLiteral("1x: %1 px, 2x: %2 px").arg(barOne).arg(barTwo)));

  // Drawn at the doubled resolution, not a 1x picture blown up: in an enlarged picture every
  // aligned 2x2 block is one colour; text and lines drawn at 2x have edges inside the blocks.
  int inked = 0;
  int detailed = 0;
  const QRgb background = two.pixel(1, two.height() - 2);
  for (int y = 0; y + 1 < two.height(); y += 2) {
    for (int x = 0; x + 1 < two.width(); x += 2) {
      const QRgb a = two.pixel(x, y);
      const QRgb b = two.pixel(x + 1, y);
      const QRgb c = two.pixel(x, y + 1);
      const QRgb d = two.pixel(x + 1, y + 1);
      if (a == background && b == background && c == background && d == background) {
        continue;
      }
      ++inked;
      detailed += a != b || a != c || a != d ? 1 : 0;
    }
  }
  QVERIFY(inked > 1000);
  QVERIFY2(detailed * 5 > inked,
           qPrintable(QStringLiteral("%1 of %2 blocks with detail").arg(detailed).arg(inked)));
}

void tst_TimelineWidget::plotBuffersMatchTheScreen()
{
  // Also run with QT_SCALE_FACTOR=2 (tst_timelinewidget.scale2): the plot's buffers have the
  // screen's ratio, so what the widget shows is drawn at full resolution.
  Shown s(record(scenario));
  QCOMPARE(s.widget.plot()->bufferDevicePixelRatio(), s.widget.devicePixelRatioF());
  const QImage shown = s.widget.plot()->grab().toImage();
  QCOMPARE(shown.size(), s.widget.plot()->size() * s.widget.devicePixelRatioF());
  // The bar is where positionOf() says, in device pixels.
  const QPoint at = s.widget.positionOf(s.id("worker"), 500'000'000);
  const double dpr = s.widget.devicePixelRatioF();
  QCOMPARE(shown.pixelColor(qRound(at.x() * dpr), qRound(at.y() * dpr)),
           Theme::lightTheme().state(loopscope::views::TaskState::Suspended));
}

void tst_TimelineWidget::followsThePaletteLightOrDark()
{
  Shown s(record(scenario));
  const QSize size = s.widget.plot()->size();
  const QPoint at = s.widget.positionOf(s.id("worker"), 500'000'000);
  const QPoint corner(2, size.height() - 2);
  const auto textPixels = [&](const QImage& image, const QColor& text) {
    return pixelsNear(image, text, 40);
  };

  const QImage light = s.widget.toImage(size);
  QCOMPARE(light.pixelColor(corner), Theme::lightTheme().background);
  QCOMPARE(light.pixelColor(at), Theme::lightTheme().state(loopscope::views::TaskState::Suspended));

  // A dark palette (the desktop's, or --theme dark): dark plot, dark-theme bars, light text.
  s.widget.setPalette(Theme::darkPalette());
  const QImage dark = s.widget.toImage(size);
  QCOMPARE(dark.pixelColor(corner), Theme::darkTheme().background);
  QCOMPARE(dark.pixelColor(at), Theme::darkTheme().state(loopscope::views::TaskState::Suspended));
  QVERIFY2(textPixels(dark, Theme::darkTheme().text) > 200, "no light labels on the dark plot");
  QCOMPARE(pixelsNear(dark, Theme::lightTheme().background, 0), 0);

  // And back.
  s.widget.setPalette(QPalette());
  QCOMPARE(s.widget.toImage(size).pixelColor(corner), Theme::lightTheme().background);
}

void tst_TimelineWidget::rowsGrowWithTheFont()
{
  Shown s(record(scenario));
  const std::uint32_t worker = s.id("worker");
  const std::uint32_t sub = s.id("sub");
  const int rowStep =
      s.widget.positionOf(sub, 500'000'000).y() - s.widget.positionOf(worker, 500'000'000).y();
  // The rows share the plot's height: about 22 px each at the default font.
  QVERIFY2(std::abs(rowStep - 22) <= 1, qPrintable(QString::number(rowStep)));
  QFont big = s.widget.font();
  big.setPointSizeF(big.pointSizeF() * 2);
  s.widget.setFont(big);
  s.widget.plot()->replot();
  const int bigStep =
      s.widget.positionOf(sub, 500'000'000).y() - s.widget.positionOf(worker, 500'000'000).y();
  QVERIFY2(bigStep > rowStep && bigStep >= QFontMetrics(big).height() * 1.4,
           qPrintable(QStringLiteral("rows %1 px apart for a %2 px font")
                          .arg(bigStep)
                          .arg(QFontMetrics(big).height())));
}

QTEST_MAIN(tst_TimelineWidget)
#include "tst_timelinewidget.moc"
