// SPDX-License-Identifier: GPL-3.0-or-later
// Clocks: the virtual clock only moves forward; the real clock's time scale stretches waits and
// can be changed without a jump in loop time.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Clock : public QObject
{
  Q_OBJECT

private slots:
  void virtualClockNeverGoesBackwards_data();
  void virtualClockNeverGoesBackwards();
  void timerDueInThePastFiresAtTheCurrentVirtualTime();
  void realClockIsMonotonic();
  void wallWaitScalesWithTheTimeScale_data();
  void wallWaitScalesWithTheTimeScale();
  void setScaleKeepsLoopTimeContinuous_data();
  void setScaleKeepsLoopTimeContinuous();
  void invalidScalesThrow_data();
  void invalidScalesThrow();
};

namespace {

std::int64_t steadyNs()
{
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void tst_Clock::virtualClockNeverGoesBackwards_data()
{
  QTest::addColumn<qint64>("start");
  QTest::addColumn<QList<qint64>>("advances");
  QTest::addColumn<QList<qint64>>("expected");
  QTest::newRow("forward") << qint64{0} << QList<qint64>{5, 10, 1'000'000}
                           << QList<qint64>{5, 10, 1'000'000};
  QTest::newRow("backwards is ignored")
      << qint64{0} << QList<qint64>{100, 50, 0, -5, 101} << QList<qint64>{100, 100, 100, 100, 101};
  QTest::newRow("same time") << qint64{7} << QList<qint64>{7, 7} << QList<qint64>{7, 7};
  QTest::newRow("start later") << qint64{1'000} << QList<qint64>{999, 1'001}
                               << QList<qint64>{1'000, 1'001};
}

void tst_Clock::virtualClockNeverGoesBackwards()
{
  QFETCH(qint64, start);
  QFETCH(QList<qint64>, advances);
  QFETCH(QList<qint64>, expected);
  VirtualClock clock(start);
  QVERIFY(clock.is_virtual());
  QCOMPARE(qint64(clock.now_ns()), start);
  QList<qint64> seen;
  for (qint64 t : advances) {
    clock.advance_to(t);
    seen << qint64(clock.now_ns());
  }
  QCOMPARE(seen, expected);
  // A virtual clock never makes the loop wait: the wait for a loop duration is that duration.
  QCOMPARE(qint64(clock.wall_wait_ns(123)), qint64{123});
}

void tst_Clock::timerDueInThePastFiresAtTheCurrentVirtualTime()
{
  VirtualLoop v;
  v.clock().advance_to(ns(10ms));
  qint64 firedAt = -1;
  v.loop.call_at(from_ns(ns(5ms)), [&] {
    firedAt = nowNs(v.loop);
    v.loop.stop();
  });
  v.loop.run_forever();
  QCOMPARE(firedAt, ns(10ms));
}

void tst_Clock::realClockIsMonotonic()
{
  RealClock clock;
  QVERIFY(!clock.is_virtual());
  QCOMPARE(clock.scale(), 1.0);
  std::int64_t last = clock.now_ns();
  QVERIFY(last >= 0);
  for (int i = 0; i < 100'000; ++i) {
    const std::int64_t t = clock.now_ns();
    QVERIFY(t >= last);
    last = t;
  }
  clock.advance_to(last + ns(1h));  // ignored by a real clock
  QVERIFY(clock.now_ns() < last + ns(1h));
}

void tst_Clock::wallWaitScalesWithTheTimeScale_data()
{
  QTest::addColumn<double>("scale");
  QTest::addColumn<qint64>("loopNs");
  QTest::addColumn<qint64>("wallNs");
  QTest::newRow("scale 1: identical") << 1.0 << ns(1s) << ns(1s);
  QTest::newRow("scale 0.25: 4x longer") << 0.25 << ns(1s) << ns(4s);
  QTest::newRow("scale 0.25, 30 s timer") << 0.25 << ns(30s) << ns(120s);
  QTest::newRow("scale 0.5: 2x longer") << 0.5 << ns(250ms) << ns(500ms);
  QTest::newRow("scale 2: half") << 2.0 << ns(1s) << ns(500ms);
  QTest::newRow("scale 4, 1 ns rounds up") << 4.0 << qint64{1} << qint64{1};
  QTest::newRow("zero wait") << 0.25 << qint64{0} << qint64{0};
}

void tst_Clock::wallWaitScalesWithTheTimeScale()
{
  QFETCH(double, scale);
  QFETCH(qint64, loopNs);
  QFETCH(qint64, wallNs);
  RealClock clock(scale);
  QCOMPARE(clock.scale(), scale);
  QCOMPARE(qint64(clock.wall_wait_ns(loopNs)), wallNs);
  // The same through set_scale on a clock created at another scale.
  RealClock other(1.0);
  other.set_scale(scale);
  QCOMPARE(qint64(other.wall_wait_ns(loopNs)), wallNs);
}

void tst_Clock::setScaleKeepsLoopTimeContinuous_data()
{
  QTest::addColumn<double>("from");
  QTest::addColumn<double>("to");
  QTest::newRow("speed up 1 -> 1000") << 1.0 << 1000.0;
  QTest::newRow("slow down 1000 -> 0.001") << 1000.0 << 0.001;
  QTest::newRow("0.25 -> 4") << 0.25 << 4.0;
  QTest::newRow("4 -> 0.25") << 4.0 << 0.25;
}

void tst_Clock::setScaleKeepsLoopTimeContinuous()
{
  QFETCH(double, from);
  QFETCH(double, to);
  RealClock clock(from);
  // Let some real time pass since the clock's base, so a missing rebase would show as a jump
  // of (elapsed * (to - from)). No sleeping: spin on the clock.
  const std::int64_t spinStart = steadyNs();
  while (steadyNs() - spinStart < 2'000'000)
    (void)clock.now_ns();

  const std::int64_t r0 = steadyNs();
  const std::int64_t l0 = clock.now_ns();
  clock.set_scale(to);
  const std::int64_t l1 = clock.now_ns();
  const std::int64_t r1 = steadyNs();
  QCOMPARE(clock.scale(), to);

  QVERIFY2(l1 >= l0, qPrintable(QStringLiteral("loop time went back by %1 ns").arg(l0 - l1)));
  // Loop time advanced by at most the real time around the change at the faster scale (plus
  // 50 us of real time for the clock sources' own jitter); a jump would be ~2 ms * (to - from).
  const double bound = (static_cast<double>(r1 - r0) + 50'000.0) * std::max(from, to);
  QVERIFY2(
      static_cast<double>(l1 - l0) <= bound,
      qPrintable(QStringLiteral("loop time jumped by %1 ns (bound %2)").arg(l1 - l0).arg(bound)));
}

void tst_Clock::invalidScalesThrow_data()
{
  QTest::addColumn<double>("scale");
  QTest::newRow("zero") << 0.0;
  QTest::newRow("negative") << -1.0;
  QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN();
  QTest::newRow("+infinity") << std::numeric_limits<double>::infinity();
  QTest::newRow("-infinity") << -std::numeric_limits<double>::infinity();
}

void tst_Clock::invalidScalesThrow()
{
  QFETCH(double, scale);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RealClock{scale});
  RealClock clock(0.5);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, clock.set_scale(scale));
  QCOMPARE(clock.scale(), 0.5);  // unchanged
  QCOMPARE(qint64(clock.wall_wait_ns(ns(1s))), ns(2s));
}

QTEST_GUILESS_MAIN(tst_Clock)
#include "tst_clock.moc"
