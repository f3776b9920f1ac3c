// SPDX-License-Identifier: GPL-3.0-or-later
// Loop fd watchers (add_reader/add_writer) and POSIX signal handlers, with real signals.
#include "testsupport.h"

#include <QtTest>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <latch>
#include <system_error>
#include <thread>

using namespace loopscope::engine;
using namespace loopscope::testsupport;

namespace {

/// A non-blocking pipe closed at scope exit.
struct Pipe
{
  int fd[2] = {-1, -1};
  Pipe()
  {
    if (::pipe2(fd, O_NONBLOCK | O_CLOEXEC) != 0)
      throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  ~Pipe()
  {
    ::close(fd[0]);
    ::close(fd[1]);
  }
  void put(std::string_view bytes) const
  {
    [[maybe_unused]] ssize_t n = ::write(fd[1], bytes.data(), bytes.size());
  }
};

Coro<void> napMs(int ms)
{
  co_await sleep(std::chrono::milliseconds(ms));
}

}  // namespace

class tst_Signals : public QObject
{
  Q_OBJECT

private slots:
  void readerIsLevelTriggered_data();
  void readerIsLevelTriggered();
  void readerRemovedFromItsOwnCallback();
  void writerRunsWhileWritable();
  void replacingAReaderDropsTheOldOne();
  void badDescriptorsAreRejected_data();
  void badDescriptorsAreRejected();
  void ioIsPolledWhileTasksKeepTheLoopBusy();

  void killSigintReachesTheHandler();
  void signalHittingAnotherThreadReachesTheLoop();
  void eachArrivalRunsTheHandler();
  void handlersRunNowInsideBusyCode();
  void removeRestoresThePreviousDisposition();
  void oneLoopPerSignal();
  void uncatchableSignalsAreRejected_data();
  void uncatchableSignalsAreRejected();
};

// ---------------------------------------------------------------- fd watchers

void tst_Signals::readerIsLevelTriggered_data()
{
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<int>("perCall");
  QTest::addColumn<int>("expectedCalls");
  QTest::newRow("one byte per call, three bytes") << QByteArray("abc") << 1 << 3;
  QTest::newRow("two per call, five bytes") << QByteArray("abcde") << 2 << 3;
  QTest::newRow("all at once") << QByteArray("abcdef") << 64 << 1;
}

void tst_Signals::readerIsLevelTriggered()
{
  // Like asyncio's selector loop: the callback runs on every iteration while data is left.
  QFETCH(QByteArray, bytes);
  QFETCH(int, perCall);
  QFETCH(int, expectedCalls);
  VirtualLoop v;
  Pipe p;
  p.put(bytes.toStdString());
  int calls = 0;
  std::string got;
  v.loop.add_reader(p.fd[0], [&] {
    ++calls;
    char buf[64];
    const ssize_t n = ::read(p.fd[0], buf, static_cast<std::size_t>(perCall));
    if (n > 0)
      got.append(buf, static_cast<std::size_t>(n));
    if (got.size() == static_cast<std::size_t>(bytes.size())) {
      v.loop.remove_reader(p.fd[0]);
      v.loop.stop();
    }
  });
  QCOMPARE(v.loop.watched_fd_count(), std::size_t{1});
  v.loop.run_forever();
  QCOMPARE(calls, expectedCalls);
  QCOMPARE(QByteArray::fromStdString(got), bytes);
  QCOMPARE(v.loop.watched_fd_count(), std::size_t{0});
  // The reader's callbacks are traced like any callback.
  QCOMPARE(int(eventsOfKind(v.decoded(), EventKind::CallbackBegin).size()), expectedCalls);
}

void tst_Signals::readerRemovedFromItsOwnCallback()
{
  VirtualLoop v;
  Pipe p;
  p.put("xyz");  // still readable after the callback: it must not run again once removed
  Counted::reset();
  int calls = 0;
  v.loop.add_reader(p.fd[0], [&, guard = Counted()] {
    ++calls;
    QVERIFY(v.loop.remove_reader(p.fd[0]));
    v.loop.call_later(10ms, [&] { v.loop.stop(); });
  });
  v.loop.run_forever();
  QCOMPARE(calls, 1);
  QCOMPARE(Counted::alive(), 0);  // the callback (and what it captured) is gone
  QVERIFY(!v.loop.remove_reader(p.fd[0]));
}

void tst_Signals::writerRunsWhileWritable()
{
  VirtualLoop v;
  Pipe p;
  int calls = 0;
  v.loop.add_writer(p.fd[1], [&] {
    if (++calls == 3) {
      v.loop.remove_writer(p.fd[1]);
      v.loop.stop();
    }
  });
  v.loop.run_forever();
  QCOMPARE(calls, 3);
  QVERIFY(!v.loop.remove_writer(p.fd[1]));
}

void tst_Signals::replacingAReaderDropsTheOldOne()
{
  VirtualLoop v;
  Pipe p;
  p.put("a");
  Counted::reset();
  QStringList log;
  v.loop.add_reader(p.fd[0], [&, guard = Counted()] { log << "old"; });
  QCOMPARE(Counted::alive(), 1);
  v.loop.add_reader(p.fd[0], [&] {
    log << "new";
    v.loop.remove_reader(p.fd[0]);
    v.loop.stop();
  });
  QCOMPARE(Counted::alive(), 0);
  QCOMPARE(v.loop.watched_fd_count(), std::size_t{1});
  v.loop.run_forever();
  QCOMPARE(log, QStringList{"new"});
}

void tst_Signals::badDescriptorsAreRejected_data()
{
  QTest::addColumn<int>("fd");
  QTest::addColumn<bool>("invalidArgument");
  QTest::newRow("negative") << -1 << true;
  QTest::newRow("not open") << 100000 << false;
}

void tst_Signals::badDescriptorsAreRejected()
{
  QFETCH(int, fd);
  QFETCH(bool, invalidArgument);
  VirtualLoop v;
  bool threwInvalid = false;
  bool threwSystem = false;
  try {
    v.loop.add_reader(fd, [] {});
  } catch (const std::invalid_argument&) {
    threwInvalid = true;
  } catch (const std::system_error& e) {
    threwSystem = e.code().value() == EBADF;
  }
  QCOMPARE(threwInvalid, invalidArgument);
  QCOMPARE(threwSystem, !invalidArgument);
  QCOMPARE(v.loop.watched_fd_count(), std::size_t{0});  // nothing half-registered
}

void tst_Signals::ioIsPolledWhileTasksKeepTheLoopBusy()
{
  // A task that only ever yields keeps the ready queue non-empty; the reader still runs on the
  // next iteration instead of waiting for the queue to drain.
  VirtualLoop v;
  Pipe p;
  int spins = 0;
  int spinsWhenRead = -1;
  bool done = false;
  v.loop.add_reader(p.fd[0], [&] {
    char c;
    [[maybe_unused]] ssize_t n = ::read(p.fd[0], &c, 1);
    spinsWhenRead = spins;
    v.loop.remove_reader(p.fd[0]);
    done = true;
  });
  auto spinner = [&]() -> Coro<void> {
    while (!done) {
      if (++spins == 5)
        p.put("x");
      co_await sleep(0s);
    }
  };
  v.loop.run_until_complete(spinner());
  // Written during spin 5; the next iteration polls the pipe and queues the reader behind the
  // spinner's own wake-up (queued first, while its step ran), as in asyncio: spin 6, then the
  // reader.
  QCOMPARE(spinsWhenRead, 6);
}

// ---------------------------------------------------------------- signals

void tst_Signals::killSigintReachesTheHandler()
{
  SavedDisposition keep(SIGINT);
  VirtualLoop v;
  std::vector<int> handled;
  v.loop.add_signal_handler(SIGINT, [&] {
    handled.push_back(SIGINT);
    v.loop.stop();
  });
  v.loop.call_soon([] { ::kill(::getpid(), SIGINT); });
  v.loop.run_forever();
  QCOMPARE(handled, std::vector<int>{SIGINT});
  const auto received = eventsOfKind(v.decoded(), EventKind::SignalReceived);
  QCOMPARE(int(received.size()), 1);
  QCOMPARE(int(received[0].ev.arg), SIGINT);
  QVERIFY(v.loop.remove_signal_handler(SIGINT));
}

void tst_Signals::signalHittingAnotherThreadReachesTheLoop()
{
  // The kernel may run a process's signal handler on any thread that does not block it (a GUI or
  // executor thread). The handler only writes to the loop's pipe, so the loop still gets it.
  SavedDisposition keep(SIGUSR1);
  VirtualLoop v;
  int handled = 0;
  v.loop.add_signal_handler(SIGUSR1, [&] {
    ++handled;
    v.loop.stop();
  });
  std::latch started(1);
  std::latch release(1);
  std::thread other([&] {
    started.count_down();
    release.wait();
  });
  started.wait();
  // Thread-directed: the handler runs on `other`, not on the loop thread.
  QCOMPARE(::pthread_kill(other.native_handle(), SIGUSR1), 0);
  v.loop.run_forever();
  release.count_down();
  other.join();
  QCOMPARE(handled, 1);
}

void tst_Signals::eachArrivalRunsTheHandler()
{
  SavedDisposition keep(SIGUSR2);
  VirtualLoop v;
  int handled = 0;
  v.loop.add_signal_handler(SIGUSR2, [&] { ++handled; });
  auto main = [&]() -> Coro<void> {
    for (int i = 0; i < 3; ++i) {
      ::kill(::getpid(), SIGUSR2);
      co_await napMs(1);
    }
    // The last arrival's handler runs on the iteration after the pipe is read.
    while (handled < 3)
      co_await sleep(0s);
  };
  v.loop.run_until_complete(main());
  QCOMPARE(handled, 3);
  QCOMPARE(int(eventsOfKind(v.decoded(), EventKind::SignalReceived).size()), 3);
}

void tst_Signals::handlersRunNowInsideBusyCode()
{
  // Code that keeps the loop busy (a script's `while True: pass`) polls signal_arrivals() and runs
  // the handlers on the spot, as CPython runs its handlers between bytecodes. A handler that
  // throws stops the dispatch there; later signals stay pending, none is lost or run twice.
  SavedDisposition keep1(SIGUSR1);
  SavedDisposition keep2(SIGUSR2);
  VirtualLoop v;
  std::vector<int> order;
  v.loop.add_signal_handler(SIGUSR1, [&] { order.push_back(SIGUSR1); });
  v.loop.add_signal_handler(SIGUSR2, [&] {
    order.push_back(SIGUSR2);
    throw std::runtime_error("from the handler");
  });
  std::uint32_t arrived = 0;
  std::vector<int> beforeDispatch;
  std::vector<int> afterThrow;
  bool threw = false;
  v.loop.call_soon([&] {
    const std::uint32_t before = signal_arrivals();
    // Thread-directed at ourselves: delivered before raise() returns.
    ::raise(SIGUSR1);
    ::raise(SIGUSR2);
    ::raise(SIGUSR1);
    arrived = signal_arrivals() - before;
    beforeDispatch = order;  // the loop has not polled since
    try {
      v.loop.run_signal_handlers_now();
    } catch (const std::runtime_error&) {
      threw = true;
    }
    afterThrow = order;
    v.loop.run_signal_handlers_now();
    v.loop.stop();
  });
  v.loop.run_forever();
  QCOMPARE(arrived, 3u);
  QVERIFY(beforeDispatch.empty());
  QVERIFY(threw);
  QCOMPARE(afterThrow, (std::vector<int>{SIGUSR1, SIGUSR2}));
  QCOMPARE(order, (std::vector<int>{SIGUSR1, SIGUSR2, SIGUSR1}));
  // Nothing is left for the loop's own poll to run again.
  v.loop.run_until_complete(napMs(5));
  QCOMPARE(order.size(), std::size_t{3});
  QCOMPARE(int(eventsOfKind(v.decoded(), EventKind::SignalReceived).size()), 3);
}

void tst_Signals::removeRestoresThePreviousDisposition()
{
  SavedDisposition keep(SIGUSR1);
  struct sigaction ignore
  {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGUSR1, &ignore, nullptr);
  {
    Loop loop(std::make_unique<VirtualClock>());
    loop.add_signal_handler(SIGUSR1, [] {});
    struct sigaction now
    {};
    ::sigaction(SIGUSR1, nullptr, &now);
    QVERIFY(now.sa_handler != SIG_IGN);
    QVERIFY(loop.remove_signal_handler(SIGUSR1));
    QVERIFY(!loop.remove_signal_handler(SIGUSR1));
    ::sigaction(SIGUSR1, nullptr, &now);
    QVERIFY(now.sa_handler == SIG_IGN);

    loop.add_signal_handler(SIGUSR1, [] {});
  }  // destroying the loop removes its handlers too
  struct sigaction after
  {};
  ::sigaction(SIGUSR1, nullptr, &after);
  QVERIFY(after.sa_handler == SIG_IGN);
}

void tst_Signals::oneLoopPerSignal()
{
  SavedDisposition keep(SIGUSR1);
  Loop a(std::make_unique<VirtualClock>());
  Loop b(std::make_unique<VirtualClock>());
  a.add_signal_handler(SIGUSR1, [] {});
  a.add_signal_handler(SIGUSR1, [] {});  // the same loop may replace its handler
  QVERIFY_THROWS_EXCEPTION(RuntimeError, b.add_signal_handler(SIGUSR1, [] {}));
  QVERIFY(a.remove_signal_handler(SIGUSR1));
  b.add_signal_handler(SIGUSR1, [] {});  // free again
  QVERIFY(b.remove_signal_handler(SIGUSR1));
}

void tst_Signals::uncatchableSignalsAreRejected_data()
{
  QTest::addColumn<int>("signum");
  QTest::newRow("SIGKILL") << int(SIGKILL);
  QTest::newRow("SIGSTOP") << int(SIGSTOP);
  QTest::newRow("zero") << 0;
  QTest::newRow("too large") << 1000;
}

void tst_Signals::uncatchableSignalsAreRejected()
{
  QFETCH(int, signum);
  Loop loop(std::make_unique<VirtualClock>());
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loop.add_signal_handler(signum, [] {}));
  QVERIFY(!loop.remove_signal_handler(signum));
}

QTEST_APPLESS_MAIN(tst_Signals)
#include "tst_signals.moc"
