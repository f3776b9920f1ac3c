// SPDX-License-Identifier: GPL-3.0-or-later
// Names derived from std::source_location for the timeline's labels and the inspector.
#include "testsupport.h"

#include <engine/event.h>

#include <QTest>

using namespace loopscope::engine;

class tst_Event : public QObject
{
  Q_OBJECT

private slots:
  void shortFunctionName_data();
  void shortFunctionName();
  void cleanFunctionNameUnwrapsCoroutineFrames();
};

void tst_Event::shortFunctionName_data()
{
  QTest::addColumn<QString>("signature");
  QTest::addColumn<QString>("expected");
  QTest::newRow("free function") << "void run()"
                                 << "run";
  QTest::newRow("namespaces dropped")
      << "std::vector<loopscope::engine::Task<void> > "
         "loopscope::engine::scenarios::detail::{anonymous}::start_service(const "
         "std::shared_ptr<Service>&, const ServiceConfig&)"
      << "start_service";
  QTest::newRow("class kept") << "int ns::Worker::step(int) const"
                              << "Worker::step";
  QTest::newRow("template return type")
      << "loopscope::engine::Coro<std::pair<int, int> > ns::pair_up(int)"
      << "pair_up";
  QTest::newRow("template function") << "void ns::go<std::pair<int, int> >(int)"
                                     << "go";
  QTest::newRow("class template")
      << "loopscope::engine::Coro<T> loopscope::engine::BasicQueue<int, "
         "loopscope::engine::detail::FifoItems<int> >::get()"
      << "BasicQueue::get";
  QTest::newRow("operator") << "bool ns::Cmp<int>::operator<(const Cmp&) const"
                            << "Cmp::operator<";
  QTest::newRow("function pointer parameter") << "void f(void (*)(int))"
                                              << "f";
  QTest::newRow("coroutine frame")
      << "loopscope::engine::Coro<void> ns::worker(int)(ns::worker(int)::_Z6workeri.Frame*)"
      << "worker";
  QTest::newRow("lambda") << "ns::main()::<lambda()>"
                          << "main::lambda";
  QTest::newRow("not a signature") << "main"
                                   << "main";
  QTest::newRow("empty") << ""
                         << "";
}

void tst_Event::shortFunctionName()
{
  QFETCH(QString, signature);
  QFETCH(QString, expected);
  QCOMPARE(QString::fromStdString(short_function_name(signature.toStdString())), expected);
}

void tst_Event::cleanFunctionNameUnwrapsCoroutineFrames()
{
  QCOMPARE(QString::fromStdString(
               clean_function_name("loopscope::engine::Coro<void> f(int)(f(int)::_Z1fi.Frame*)")),
           QStringLiteral("f(int)"));
  QCOMPARE(QString::fromStdString(clean_function_name("void g()")), QStringLiteral("void g()"));
}

QTEST_GUILESS_MAIN(tst_Event)
#include "tst_event.moc"
