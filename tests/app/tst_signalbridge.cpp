// SPDX-License-Identifier: GPL-3.0-or-later
// The app's own SIGINT/SIGTERM handling (no run in progress): a real signal to the process
// arrives on the GUI thread as signalReceived(signum), and the process goes on.
#include "signalbridge.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>

using loopscope::app::SignalBridge;

class tst_SignalBridge : public QObject
{
  Q_OBJECT

private slots:
  void aRealSignalArrivesOnTheGuiThread_data();
  void aRealSignalArrivesOnTheGuiThread();
  void severalSignalsAreEachReported();
  void theDefaultActionIsBackAfterwards();
};

void tst_SignalBridge::aRealSignalArrivesOnTheGuiThread_data()
{
  QTest::addColumn<int>("signum");
  QTest::newRow("SIGINT (Ctrl-C in the terminal)") << int(SIGINT);
  QTest::newRow("SIGTERM") << int(SIGTERM);
}

void tst_SignalBridge::aRealSignalArrivesOnTheGuiThread()
{
  QFETCH(int, signum);
  SignalBridge bridge;
  QVERIFY(bridge.isInstalled());
  QSignalSpy received(&bridge, &SignalBridge::signalReceived);
  QCOMPARE(::kill(::getpid(), signum), 0);  // the process is still here: the handler took it
  QVERIFY(received.wait(5'000));
  QCOMPARE(received.count(), 1);
  QCOMPARE(received.at(0).at(0).toInt(), signum);
}

void tst_SignalBridge::severalSignalsAreEachReported()
{
  SignalBridge bridge;
  QSignalSpy received(&bridge, &SignalBridge::signalReceived);
  ::raise(SIGINT);
  ::raise(SIGTERM);
  ::raise(SIGINT);
  QTRY_COMPARE(received.count(), 3);
  QCOMPARE(received.at(0).at(0).toInt(), int(SIGINT));
  QCOMPARE(received.at(1).at(0).toInt(), int(SIGTERM));
  QCOMPARE(received.at(2).at(0).toInt(), int(SIGINT));
}

void tst_SignalBridge::theDefaultActionIsBackAfterwards()
{
  {
    SignalBridge bridge;
  }
  struct sigaction current
  {};
  QCOMPARE(::sigaction(SIGINT, nullptr, &current), 0);
  QVERIFY(current.sa_handler == SIG_DFL);
  QCOMPARE(::sigaction(SIGTERM, nullptr, &current), 0);
  QVERIFY(current.sa_handler == SIG_DFL);
}

QTEST_GUILESS_MAIN(tst_SignalBridge)
#include "tst_signalbridge.moc"
