// SPDX-License-Identifier: GPL-3.0-or-later
#include <views/timelinewidget.h>

#include <QColor>
#include <QImage>
#include <QSize>
#include <QTest>

#include <algorithm>

using loopscope::views::TimelineWidget;

class tst_TimelineWidget : public QObject
{
  Q_OBJECT

private slots:
  void timeAxisIsLabelledLoopTime();
  void taskAxisIsLabelledTasks();
  void rendersAtTheRequestedSize_data();
  void rendersAtTheRequestedSize();
  void renderingDrawsTheTimeAxisAcrossTheImage();
  void emptySizeRendersNullImage();
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

}  // namespace

void tst_TimelineWidget::timeAxisIsLabelledLoopTime()
{
  const TimelineWidget widget;
  QCOMPARE(widget.timeAxisLabel(), QStringLiteral("loop time (s)"));
}

void tst_TimelineWidget::taskAxisIsLabelledTasks()
{
  const TimelineWidget widget;
  QCOMPARE(widget.taskAxisLabel(), QStringLiteral("tasks"));
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

QTEST_MAIN(tst_TimelineWidget)
#include "tst_timelinewidget.moc"
