// SPDX-License-Identifier: GPL-3.0-or-later
// The text form of a retention (views/retention.h): what the command line and the settings
// accept, what they refuse (with the reason and the offending part), and round trips.
#include <views/retention.h>

#include <QObject>
#include <QTest>

#include <string>

using loopscope::views::describeRetention;
using loopscope::views::parseRetention;
using loopscope::views::Retention;
using loopscope::views::retentionText;

class tst_Retention : public QObject
{
  Q_OBJECT

private slots:
  void parsesDurationsAndCounts_data();
  void parsesDurationsAndCounts();
  void refusesBadTextWithAReason_data();
  void refusesBadTextWithAReason();
  void describesAndRoundTrips_data();
  void describesAndRoundTrips();
};

namespace {
constexpr qint64 kS = 1'000'000'000;
}

void tst_Retention::parsesDurationsAndCounts_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<qint64>("keepNs");
  QTest::addColumn<qulonglong>("keepEvents");
  QTest::newRow("off") << "off" << qint64{0} << qulonglong{0};
  QTest::newRow("everything, any case") << "Everything" << qint64{0} << qulonglong{0};
  QTest::newRow("seconds") << "90s" << 90 * kS << qulonglong{0};
  QTest::newRow("minutes") << "5m" << 300 * kS << qulonglong{0};
  QTest::newRow("min with a space") << "5 min" << 300 * kS << qulonglong{0};
  QTest::newRow("fractional hours") << "1.5h" << 5400 * kS << qulonglong{0};
  QTest::newRow("milliseconds") << "2500ms" << qint64{2'500'000'000} << qulonglong{0};
  QTest::newRow("events") << "2000000ev" << qint64{0} << qulonglong{2'000'000};
  QTest::newRow("M events") << "2M events" << qint64{0} << qulonglong{2'000'000};
  QTest::newRow("k ev") << "500k ev" << qint64{0} << qulonglong{500'000};
  QTest::newRow("both") << "5m, 1M ev" << 300 * kS << qulonglong{1'000'000};
}

void tst_Retention::parsesDurationsAndCounts()
{
  QFETCH(QString, text);
  QFETCH(qint64, keepNs);
  QFETCH(qulonglong, keepEvents);
  std::string error;
  const auto r = parseRetention(text.toStdString(), &error);
  QVERIFY2(r.has_value(), error.c_str());
  QCOMPARE(r->keepNs, keepNs);
  QCOMPARE(qulonglong{r->keepEvents}, keepEvents);
  QCOMPARE(r->active(), keepNs > 0 || keepEvents > 0);
}

void tst_Retention::refusesBadTextWithAReason_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("reason");  // a part of the message
  QTest::newRow("empty") << ""
                         << "empty";
  QTest::newRow("no number") << "minutes"
                             << "expected a number";
  QTest::newRow("no unit") << "300"
                           << "missing unit";
  QTest::newRow("unknown unit") << "5 fortnights"
                                << "unknown unit 'fortnights'";
  QTest::newRow("too short") << "10ms"
                             << "between 1 s";
  QTest::newRow("too long") << "90d"
                            << "30 days";
  QTest::newRow("too few events") << "500ev"
                                  << "10,000";
  QTest::newRow("bad count suffix") << "5g ev"
                                    << "unknown count suffix 'g'";
  QTest::newRow("two durations") << "5m,10m"
                                 << "two durations";
  QTest::newRow("the bad part is named") << "5m, 3x"
                                         << "'3x'";
  QTest::newRow("two dots") << "1.2.3s"
                            << "not a positive number";
}

void tst_Retention::refusesBadTextWithAReason()
{
  QFETCH(QString, text);
  QFETCH(QString, reason);
  std::string error;
  QVERIFY(!parseRetention(text.toStdString(), &error).has_value());
  const QString message = QString::fromStdString(error);
  QVERIFY2(message.contains(reason), qPrintable(message));
}

void tst_Retention::describesAndRoundTrips_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("description");
  QTest::addColumn<QString>("canonical");
  QTest::newRow("off") << "off"
                       << "everything"
                       << "off";
  QTest::newRow("5 min") << "5m"
                         << "last 5 min"
                         << "5m";
  QTest::newRow("90 s") << "90s"
                        << "last 90 s"
                        << "90s";
  QTest::newRow("hours") << "2h"
                         << "last 2 h"
                         << "2h";
  QTest::newRow("events") << "2M ev"
                          << "last 2,000,000 events"
                          << "2000000ev";
  QTest::newRow("both") << "5m,500k ev"
                        << "last 5 min or 500,000 events"
                        << "5m,500000ev";
}

void tst_Retention::describesAndRoundTrips()
{
  QFETCH(QString, text);
  QFETCH(QString, description);
  QFETCH(QString, canonical);
  const auto r = parseRetention(text.toStdString());
  QVERIFY(r.has_value());
  QCOMPARE(QString::fromStdString(describeRetention(*r)), description);
  QCOMPARE(QString::fromStdString(retentionText(*r)), canonical);
  QCOMPARE(parseRetention(retentionText(*r)), r);
}

QTEST_APPLESS_MAIN(tst_Retention)
#include "tst_retention.moc"
