// SPDX-License-Identifier: GPL-3.0-or-later
// Time <-> pixel maths and zoom/follow windows of the timeline (views/timelinecoordinates.h).
#include <views/timelinecoordinates.h>

#include <QObject>
#include <QTest>

using namespace loopscope::views::timeline;

class tst_TimelineCoordinates : public QObject
{
  Q_OBJECT

private slots:
  void timeToPixelAndBack_data();
  void timeToPixelAndBack();
  void zoomKeepsTheAnchorUnderTheMouse_data();
  void zoomKeepsTheAnchorUnderTheMouse();
  void zoomIsClamped_data();
  void zoomIsClamped();
  void followPutsNowNearTheRightEdge_data();
  void followPutsNowNearTheRightEdge();
  void fitShowsTheWholeRunWithMargins_data();
  void fitShowsTheWholeRunWithMargins();
  void durationsReadLikeAPersonWritesThem_data();
  void durationsReadLikeAPersonWritesThem();
  void rowsMapToPixelsAndBack_data();
  void rowsMapToPixelsAndBack();
  void nanosecondsRoundTrip();
};

void tst_TimelineCoordinates::timeToPixelAndBack_data()
{
  QTest::addColumn<double>("lower");
  QTest::addColumn<double>("upper");
  QTest::addColumn<double>("left");
  QTest::addColumn<double>("pixels");
  QTest::addColumn<double>("t");
  QTest::addColumn<double>("x");
  QTest::newRow("left edge") << 0.0 << 10.0 << 50.0 << 1000.0 << 0.0 << 50.0;
  QTest::newRow("right edge") << 0.0 << 10.0 << 50.0 << 1000.0 << 10.0 << 1050.0;
  QTest::newRow("middle") << 0.0 << 10.0 << 0.0 << 1000.0 << 5.0 << 500.0;
  QTest::newRow("offset window") << 2.0 << 4.0 << 0.0 << 800.0 << 3.5 << 600.0;
  QTest::newRow("before the window: negative x") << 2.0 << 4.0 << 0.0 << 800.0 << 1.0 << -400.0;
  QTest::newRow("microsecond window") << 1.0 << 1.000001 << 0.0 << 1000.0 << 1.0000005 << 500.0;
}

void tst_TimelineCoordinates::timeToPixelAndBack()
{
  QFETCH(double, lower);
  QFETCH(double, upper);
  QFETCH(double, left);
  QFETCH(double, pixels);
  QFETCH(double, t);
  QFETCH(double, x);
  const Window w{lower, upper};
  QVERIFY(qAbs(timeToPixel(t, w, left, pixels) - x) < 1e-3);
  QVERIFY(qAbs(pixelToTime(x, w, left, pixels) - t) < 1e-12 * qMax(1.0, qAbs(t)) + 1e-9);
}

void tst_TimelineCoordinates::zoomKeepsTheAnchorUnderTheMouse_data()
{
  QTest::addColumn<double>("anchor");
  QTest::addColumn<double>("factor");
  QTest::addColumn<double>("lower");
  QTest::addColumn<double>("upper");
  // Window [0, 10].
  QTest::newRow("zoom in around the middle") << 5.0 << 0.5 << 2.5 << 7.5;
  QTest::newRow("zoom in around the left edge") << 0.0 << 0.5 << 0.0 << 5.0;
  QTest::newRow("zoom in at 80%") << 8.0 << 0.5 << 4.0 << 9.0;
  QTest::newRow("zoom out around the middle") << 5.0 << 2.0 << -5.0 << 15.0;
}

void tst_TimelineCoordinates::zoomKeepsTheAnchorUnderTheMouse()
{
  QFETCH(double, anchor);
  QFETCH(double, factor);
  QFETCH(double, lower);
  QFETCH(double, upper);
  const Window w{0.0, 10.0};
  const Window z = zoomAround(w, anchor, factor);
  QCOMPARE(z.lower, lower);
  QCOMPARE(z.upper, upper);
  // The anchor sits at the same fraction of the window, i.e. under the same pixel.
  QCOMPARE(timeToPixel(anchor, z, 0, 1000), timeToPixel(anchor, w, 0, 1000));
}

void tst_TimelineCoordinates::zoomIsClamped_data()
{
  QTest::addColumn<double>("width");
  QTest::addColumn<double>("factor");
  QTest::addColumn<double>("expected");
  QTest::newRow("cannot zoom below 1 µs") << 2e-6 << 0.1 << kMinWindowSeconds;
  QTest::newRow("cannot zoom past one day") << 50'000.0 << 10.0 << kMaxWindowSeconds;
  QTest::newRow("within limits") << 1.0 << 0.25 << 0.25;
}

void tst_TimelineCoordinates::zoomIsClamped()
{
  QFETCH(double, width);
  QFETCH(double, factor);
  QFETCH(double, expected);
  const Window z = zoomAround(Window{0.0, width}, 0.0, factor);
  QVERIFY(qAbs(z.width() - expected) < expected * 1e-9);
}

void tst_TimelineCoordinates::followPutsNowNearTheRightEdge_data()
{
  QTest::addColumn<double>("lower");
  QTest::addColumn<double>("upper");
  QTest::addColumn<double>("now");
  QTest::addColumn<double>("expectedLower");
  QTest::newRow("now at 90% of a 10 s window") << 0.0 << 10.0 << 30.0 << 21.0;
  QTest::newRow("early in the run: starts at the run start") << 0.0 << 10.0 << 2.0 << 0.0;
  QTest::newRow("keeps a narrow window's width") << 100.0 << 101.0 << 50.0 << 49.1;
}

void tst_TimelineCoordinates::followPutsNowNearTheRightEdge()
{
  QFETCH(double, lower);
  QFETCH(double, upper);
  QFETCH(double, now);
  QFETCH(double, expectedLower);
  const Window f = followNow(Window{lower, upper}, now, 0.0);
  QVERIFY(qAbs(f.lower - expectedLower) < 1e-9);
  QVERIFY(qAbs(f.width() - (upper - lower)) < 1e-9);
  QVERIFY(now >= f.lower && now <= f.upper);
}

void tst_TimelineCoordinates::fitShowsTheWholeRunWithMargins_data()
{
  QTest::addColumn<double>("start");
  QTest::addColumn<double>("end");
  QTest::addColumn<double>("lower");
  QTest::addColumn<double>("upper");
  QTest::newRow("10 s run") << 0.0 << 10.0 << -0.2 << 10.2;
  QTest::newRow("empty run gets the minimum width")
      << 5.0 << 5.0 << 5.0 - 2e-5 << 5.0 + 1e-3 + 2e-5;
}

void tst_TimelineCoordinates::fitShowsTheWholeRunWithMargins()
{
  QFETCH(double, start);
  QFETCH(double, end);
  QFETCH(double, lower);
  QFETCH(double, upper);
  const Window w = fitRun(start, end);
  QVERIFY2(qAbs(w.lower - lower) < 1e-9, qPrintable(QString::number(w.lower, 'g', 12)));
  QVERIFY2(qAbs(w.upper - upper) < 1e-9, qPrintable(QString::number(w.upper, 'g', 12)));
}

void tst_TimelineCoordinates::durationsReadLikeAPersonWritesThem_data()
{
  QTest::addColumn<qint64>("ns");
  QTest::addColumn<QString>("text");
  QTest::newRow("nanoseconds") << qint64(800) << "800 ns";
  QTest::newRow("microseconds") << qint64(12'500) << "12.5 µs";
  QTest::newRow("milliseconds") << qint64(340'000'000) << "340 ms";
  QTest::newRow("seconds") << qint64(1'250'000'000) << "1.25 s";
  QTest::newRow("minutes stay in seconds") << qint64(125'000'000'000) << "125 s";
  QTest::newRow("sub-ms") << qint64(150'000) << "150 µs";
  QTest::newRow("zero") << qint64(0) << "0 ns";
}

void tst_TimelineCoordinates::durationsReadLikeAPersonWritesThem()
{
  QFETCH(qint64, ns);
  QFETCH(QString, text);
  QCOMPARE(QString::fromStdString(formatDuration(ns)), text);
}

void tst_TimelineCoordinates::rowsMapToPixelsAndBack_data()
{
  QTest::addColumn<int>("row");
  QTest::addColumn<double>("firstRow");
  QTest::addColumn<double>("center");
  QTest::newRow("first row") << 0 << 0.0 << 11.0;
  QTest::newRow("third row") << 2 << 0.0 << 55.0;
  QTest::newRow("scrolled by 2") << 2 << 2.0 << 11.0;
}

void tst_TimelineCoordinates::rowsMapToPixelsAndBack()
{
  QFETCH(int, row);
  QFETCH(double, firstRow);
  QFETCH(double, center);
  QCOMPARE(rowCenter(row, firstRow, 0.0, 22.0), center);
  QCOMPARE(rowAt(center, firstRow, 0.0, 22.0), row);
  QCOMPARE(rowAt(center + 10.9, firstRow, 0.0, 22.0), row);  // still inside the row
  QCOMPARE(rowAt(center + 11.0, firstRow, 0.0, 22.0), row + 1);
}

void tst_TimelineCoordinates::nanosecondsRoundTrip()
{
  for (const std::int64_t ns : {std::int64_t{0}, std::int64_t{1}, std::int64_t{999'999'999},
                                std::int64_t{3'600'000'000'123}}) {
    QCOMPARE(toNs(toSeconds(ns)), ns);
  }
}

QTEST_GUILESS_MAIN(tst_TimelineCoordinates)
#include "tst_timelinecoordinates.moc"
