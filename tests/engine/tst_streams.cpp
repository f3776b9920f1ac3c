// SPDX-License-Identifier: GPL-3.0-or-later
// TCP streams over real loopback sockets and a real clock (asyncio's open_connection /
// start_server semantics). Nothing here sleeps or measures time: every step waits on the other
// side's bytes, on a task state, or yields with sleep(0).

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Streams : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void echoRoundTrip();
  void thousandConcurrentClientsEchoThroughOneServer();
  void readexactlyThrowsIncompleteReadErrorWithThePartialBytes();
  void readlineReturnsTheLastLineWithoutNewlineAtEof();
  void readlineOverTheLimitThrowsLimitOverrunError();
  void readuntilStopsAtTheSeparator();
  void readAllReadsUntilEof();
  void connectionRefusedThrowsConnectionRefusedError();
  void peerResetSurfacesAsConnectionResetError();
  void drainSuspendsUnderBackPressureAndEveryByteArrives();
  void writeAfterWriteEofThrows();
  void cancelledReadLeavesBufferedBytesForTheNextRead();
  void cancelDuringConnectClosesTheSocket();
  void serverCloseStopsAcceptingAndWaitClosedWaitsForConnections();
  void serveForeverReturnsWhenTheServerIsClosed();
  void traceNamesTheSocketABlockedReadWaitsOn();
  void droppingTheLastHandleSendsWhatIsQueuedThenCloses();
  void destroyingTheLoopClosesStreamsStillOpen();
};

namespace {

QString qs(const std::string& s)
{
  return QString::fromStdString(s);
}

int openFdCount()
{
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
    ++n;
  return n;
}

/// 64 KiB-periodic bytes, so a shifted or lost chunk is noticed.
char patternByte(std::size_t i)
{
  return static_cast<char>((i * 31 + i / 65536) % 251);
}
std::string pattern(std::size_t offset, std::size_t n)
{
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = patternByte(offset + i);
  return s;
}

/// Echoes lines until EOF, then closes.
Coro<void> echoHandler(StreamReader r, StreamWriter w, int* served)
{
  for (;;) {
    std::string line = co_await r.readline();
    if (line.empty())
      break;
    w.write(line);
    co_await w.drain();
  }
  w.close();
  co_await w.wait_closed();
  ++*served;
}

ClientConnected echoServer(int* served)
{
  return [served](StreamReader r, StreamWriter w) {
    return echoHandler(std::move(r), std::move(w), served);
  };
}

/// Sends `payload`, then closes.
ClientConnected sendAndClose(std::string payload)
{
  return [payload](StreamReader, StreamWriter w) -> Coro<void> {
    w.write(payload);
    w.close();
    co_await w.wait_closed();
  };
}

/// Obeys one-line commands: "A" sends "part", "B" sends "ial\n".
Coro<void> commandHandler(StreamReader r, StreamWriter w)
{
  for (;;) {
    const std::string line = co_await r.readline();
    if (line.empty())
      break;
    w.write(line == "A\n" ? "part" : "ial\n");
    co_await w.drain();
  }
  w.close();
}

Coro<std::string> readLine(StreamReader r)
{
  co_return co_await r.readline();
}

// ---- scenarios

Coro<void> echoOnce(QStringList& log)
{
  int served = 0;
  Server server = co_await start_server(echoServer(&served), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  w.write("hello\n");
  co_await w.drain();
  log << qs(co_await r.readline());
  w.write("wor");
  w.write("ld\n");
  log << qs(co_await r.readline());
  log << QStringLiteral("peer %1").arg(w.peer_address().port == server.port());
  w.close();
  log << QStringLiteral("closing %1").arg(w.is_closing());
  co_await w.wait_closed();
  server.close();
  co_await server.wait_closed();
  log << QStringLiteral("served %1").arg(served);
}

Coro<void> echoClient(std::uint16_t port, int index, int lines, int* ok, Probe* probe)
{
  auto [r, w] = co_await open_connection("127.0.0.1", port);
  for (int i = 0; i < lines; ++i) {
    const std::string msg = "client " + std::to_string(index) + " line " + std::to_string(i) + "\n";
    w.write(msg);
    co_await w.drain();
    const std::string echo = co_await r.readline();
    CO_CHECK(*probe, echo == msg);
  }
  w.close();
  co_await w.wait_closed();
  ++*ok;
}

Coro<void> manyClients(Probe& probe, int clients, int lines, int& ok, int& served,
                       std::size_t& activeAfter)
{
  Server server = co_await start_server(echoServer(&served), "127.0.0.1", 0);
  std::vector<Task<void>> tasks;
  tasks.reserve(static_cast<std::size_t>(clients));
  for (int i = 0; i < clients; ++i)
    tasks.push_back(create_task(echoClient(server.port(), i, lines, &ok, &probe)));
  for (Task<void>& t : tasks)
    co_await t;
  server.close();
  co_await server.wait_closed();
  activeAfter = server.active_connections();
}

Coro<void> readExactlyScenario(QStringList& log)
{
  Server server = co_await start_server(sendAndClose("abcdef"), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  log << qs(co_await r.readexactly(4));
  try {
    co_await r.readexactly(4);
    log << "no error";
  } catch (const IncompleteReadError& e) {
    log << QStringLiteral("incomplete %1 of %2").arg(qs(e.partial())).arg(*e.expected());
  }
  log << QStringLiteral("at_eof %1").arg(r.at_eof());
  log << QStringLiteral("empty %1").arg(qs(co_await r.readexactly(0)).isEmpty());
}

Coro<void> readlineScenario(QStringList& log)
{
  Server server = co_await start_server(sendAndClose("one\ntwo\nthree"), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  for (int i = 0; i < 4; ++i)
    log << qs(co_await r.readline());
  log << QStringLiteral("at_eof %1").arg(r.at_eof());
}

Coro<void> limitScenario(QStringList& log)
{
  // Sent in one write of 44 bytes, so it arrives in one piece: the separator is found, but the
  // line is longer than the limit of 16.
  Server server =
      co_await start_server(sendAndClose(std::string(40, 'x') + "\nok\n"), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port(), 16);
  try {
    co_await r.readline();
    log << "no error";
  } catch (const LimitOverrunError& e) {
    log << QStringLiteral("overrun consumed %1").arg(e.consumed());
  }
  log << qs(co_await r.readline());  // the overlong line was dropped with its '\n'
}

Coro<void> readuntilScenario(QStringList& log)
{
  Server server = co_await start_server(sendAndClose("key: value\r\n\r\nbody"), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  log << qs(co_await r.readuntil("\r\n\r\n"));
  try {
    co_await r.readuntil("\r\n");
    log << "no error";
  } catch (const IncompleteReadError& e) {
    log << QStringLiteral("incomplete %1 expected %2")
               .arg(qs(e.partial()))
               .arg(e.expected().has_value() ? QStringLiteral("n") : QStringLiteral("none"));
  }
}

Coro<void> readAllScenario(std::size_t total, std::string& got)
{
  // 1 MiB: more than twice the limit, so reading would pause if read(-1) let it.
  Server server = co_await start_server(sendAndClose(pattern(0, total)), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  got = co_await r.read();
  got += co_await r.read(100);  // "" at EOF
}

Coro<void> refusedScenario(std::uint16_t port, QStringList& log)
{
  try {
    co_await open_connection("127.0.0.1", port);
    log << "connected";
  } catch (const ConnectionRefusedError& e) {
    log << QStringLiteral("refused errno %1").arg(e.error_code() == ECONNREFUSED);
  }
}

Coro<void> resetHandler(StreamReader r, StreamWriter w)
{
  co_await r.readline();
  // SO_LINGER {on, 0}: close() sends RST instead of FIN.
  const linger lg{1, 0};
  ::setsockopt(w.native_handle(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  w.close();
}

Coro<void> resetScenario(QStringList& log)
{
  Server server = co_await start_server(
      [](StreamReader r, StreamWriter w) { return resetHandler(std::move(r), std::move(w)); },
      "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  w.write("hello\n");
  try {
    co_await r.readline();
    log << "read returned";
  } catch (const ConnectionResetError& e) {
    log << QStringLiteral("read: reset %1").arg(e.error_code() == ECONNRESET);
  }
  log << QStringLiteral("closing %1").arg(w.is_closing());
  try {
    co_await w.drain();
    log << "drain returned";
  } catch (const ConnectionResetError&) {
    log << "drain: reset";
  }
  try {
    co_await r.read(10);
    log << "second read returned";
  } catch (const ConnectionResetError&) {
    log << "second read: reset";
  }
  w.write("ignored");  // dropped silently, as asyncio does for a lost connection
  try {
    co_await w.wait_closed();
    log << "wait_closed returned";
  } catch (const ConnectionResetError&) {
    log << "wait_closed: reset";
  }
}

struct DrainResult
{
  std::size_t received = 0;
  bool patternOk = true;
  int pausedDrains = 0;
  std::size_t maxAfterDrain = 0;
};

Coro<void> slowReader(StreamReader r, StreamWriter w, Event* go, DrainResult* res)
{
  co_await go->wait();  // the writer fills its buffer first
  for (;;) {
    const std::string chunk = co_await r.read(16 * 1024);
    if (chunk.empty())
      break;
    if (chunk != pattern(res->received, chunk.size()))
      res->patternOk = false;
    res->received += chunk.size();
    co_await sleep(0ns);  // slow: one chunk per loop iteration
  }
  w.close();
}

Coro<void> drainScenario(std::size_t total, DrainResult& res, QStringList& log)
{
  Event go;
  Server server = co_await start_server(
      [&go, &res](StreamReader r, StreamWriter w) {
        return slowReader(std::move(r), std::move(w), &go, &res);
      },
      "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  const int small = 64 * 1024;
  ::setsockopt(w.native_handle(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  constexpr std::size_t kChunk = 256 * 1024;
  for (std::size_t off = 0; off < total; off += kChunk) {
    w.write(pattern(off, kChunk));
    if (w.write_buffer_size() > kWriteHighWater) {
      ++res.pausedDrains;  // drain() has to wait for the peer now
      go.set();
    }
    co_await w.drain();
    res.maxAfterDrain = std::max(res.maxAfterDrain, w.write_buffer_size());
  }
  go.set();
  w.write_eof();
  log << QStringLiteral("eof read %1").arg(qs(co_await r.read()).isEmpty());
  w.close();
  co_await w.wait_closed();
}

Coro<void> writeEofScenario(QStringList& log)
{
  int served = 0;
  Server server = co_await start_server(echoServer(&served), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  w.write("last\n");
  w.write_eof();
  try {
    w.write("more\n");
    log << "write accepted";
  } catch (const RuntimeError&) {
    log << "write after write_eof: RuntimeError";
  }
  log << qs(co_await r.readline());
  log << QStringLiteral("eof %1").arg(qs(co_await r.readline()).isEmpty());
  w.close();
}

Coro<void> cancelReadScenario(QStringList& log)
{
  Server server = co_await start_server(
      [](StreamReader r, StreamWriter w) { return commandHandler(std::move(r), std::move(w)); },
      "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  w.write("A\n");  // the server answers "part": half a line
  Task<std::string> t = create_task(readLine(r));
  while (r.buffered() < 4 || t.state() != TaskState::Suspended)
    co_await sleep(0ns);
  log << QStringLiteral("blocked in IO %1").arg(t.base().awaiting() == AwaitKind::IO);
  t.cancel("stop reading");
  try {
    co_await t;
    log << "read returned";
  } catch (const CancelledError& e) {
    log << QStringLiteral("cancelled: %1").arg(qs(e.message()));
  }
  log << QStringLiteral("buffered %1").arg(r.buffered());
  w.write("B\n");  // the server answers "ial\n"
  log << qs(co_await r.readline());
  w.close();
  co_await w.wait_closed();
}

Coro<void> cancelConnectScenario(std::uint16_t port, QStringList& log)
{
  Task<StreamPair> t = create_task(open_connection("127.0.0.1", port));
  while (t.state() != TaskState::Suspended)
    co_await sleep(0ns);
  log << QStringLiteral("connecting in IO %1").arg(t.base().awaiting() == AwaitKind::IO);
  t.cancel();
  try {
    co_await t;
    log << "connected";
  } catch (const CancelledError&) {
    log << "cancelled";
  }
}

Coro<void> waitServerClosed(Server server, QStringList* log)
{
  co_await server.wait_closed();
  *log << "wait_closed returned";
}

Coro<void> serverCloseScenario(QStringList& log)
{
  int served = 0;
  Server server = co_await start_server(echoServer(&served), "127.0.0.1", 0);
  const std::uint16_t port = server.port();
  auto [r, w] = co_await open_connection("127.0.0.1", port);
  w.write("x\n");
  co_await r.readline();  // the connection is accepted and served
  log << QStringLiteral("active %1").arg(server.active_connections());
  server.close();
  log << QStringLiteral("serving %1 sockets %2")
             .arg(server.is_serving())
             .arg(server.sockets().size());
  Task<void> waiter = create_task(waitServerClosed(server, &log));
  for (int i = 0; i < 3; ++i)
    co_await sleep(0ns);
  log << QStringLiteral("waiter blocked %1").arg(!waiter.done());
  try {
    co_await open_connection("127.0.0.1", port);
    log << "connected";
  } catch (const ConnectionRefusedError&) {
    log << "new connection refused";
  }
  w.close();  // the handler sees EOF and closes its side: no connection left
  co_await waiter;
  log << QStringLiteral("active %1 served %2").arg(server.active_connections()).arg(served);
}

Coro<void> closeAfterYield(Server server)
{
  co_await sleep(0ns);
  server.close();
}

Coro<void> serveForeverScenario(QStringList& log)
{
  int served = 0;
  Server server = co_await start_server(echoServer(&served), "127.0.0.1", 0);
  Task<void> closer = create_task(closeAfterYield(server));
  co_await server.serve_forever();
  log << QStringLiteral("returned, serving %1").arg(server.is_serving());
  co_await closer;
  try {
    co_await server.serve_forever();
  } catch (const RuntimeError&) {
    log << "closed: RuntimeError";
  }

  Server second = co_await start_server(echoServer(&served), "127.0.0.1", 0);
  Task<void> serving = create_task(second.serve_forever());
  co_await sleep(0ns);
  serving.cancel();
  try {
    co_await serving;
  } catch (const CancelledError&) {
    log << QStringLiteral("cancelled, serving %1").arg(second.is_serving());
  }
}

struct TraceIds
{
  std::uint32_t socket = 0;
  std::uint32_t server = 0;
  std::uint32_t task = 0;
  std::string socketLabel;
  std::string serverLabel;
};

Coro<void> traceScenario(TraceIds& ids)
{
  Server server = co_await start_server(
      [](StreamReader r, StreamWriter w) { return commandHandler(std::move(r), std::move(w)); },
      "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  Task<std::string> t = create_task(readLine(r));
  while (t.state() != TaskState::Suspended)
    co_await sleep(0ns);
  ids.socket = r.id();
  ids.server = server.id();
  ids.task = t.id();
  ids.socketLabel =
      "socket " + w.local_address().to_string() + " -> 127.0.0.1:" + std::to_string(server.port());
  ids.serverLabel = "server 127.0.0.1:" + std::to_string(server.port());
  w.write("B\n");
  co_await t;
  w.close();
}

struct CountResult
{
  std::size_t received = 0;
  bool patternOk = true;
};

Coro<void> countUntilEof(StreamReader r, StreamWriter w, CountResult* res, Event* done)
{
  for (;;) {
    const std::string chunk = co_await r.read(64 * 1024);
    if (chunk.empty())
      break;
    if (chunk != pattern(res->received, chunk.size()))
      res->patternOk = false;
    res->received += chunk.size();
  }
  w.close();
  done->set();
}

Coro<void> writeAndDrop(std::uint16_t port, std::size_t total, QStringList* log)
{
  auto [r, w] = co_await open_connection("127.0.0.1", port);
  w.write(pattern(0, total));  // far more than the kernel takes at once
  *log << QStringLiteral("queued %1").arg(w.write_buffer_size() > 0);
  // r and w go out of scope here without close(): the stream closes once the queue is sent.
}

Coro<void> dropScenario(std::size_t total, CountResult& res, QStringList& log)
{
  Event done;
  Server server = co_await start_server(
      [&res, &done](StreamReader r, StreamWriter w) {
        return countUntilEof(std::move(r), std::move(w), &res, &done);
      },
      "127.0.0.1", 0);
  co_await writeAndDrop(server.port(), total, &log);
  co_await done.wait();
  server.close();
  co_await server.wait_closed();
}

Coro<void> blockedReader(StreamReader r, QStringList* log)
{
  co_await r.readline();
  *log << "reader returned";
}

Coro<void> serveWith(Server server)
{
  co_await server.serve_forever();
}

Coro<void> abandonScenario(QStringList& log, std::vector<Task<void>>& keep)
{
  int served = 0;
  Server server = co_await start_server(echoServer(&served), "127.0.0.1", 0);
  auto [r, w] = co_await open_connection("127.0.0.1", server.port());
  w.write("x\n");
  log << qs(co_await r.readline());
  keep.push_back(create_task(blockedReader(r, &log)));
  keep.push_back(create_task(serveWith(server)));
  co_await sleep(0ns);
  // Returns with a task blocked in readline, the server's handler blocked in readline and a task
  // serving forever: the loop is destroyed with all of them pending.
}

}  // namespace

void tst_Streams::initTestCase()
{
  // 1,000 clients and their server connections need about 2,000 descriptors.
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

void tst_Streams::echoRoundTrip()
{
  const int fds = openFdCount();
  {
    Loop loop;
    QStringList log;
    loop.run_until_complete(echoOnce(log));
    COMPARE_LOG(log, (QStringList{"hello\n", "world\n", "peer 1", "closing 1", "served 1"}));
    QCOMPARE(loop.watched_fd_count(), std::size_t{0});
  }
  QCOMPARE(openFdCount(), fds);
}

void tst_Streams::thousandConcurrentClientsEchoThroughOneServer()
{
  constexpr int kClients = 1000;
  constexpr int kLines = 5;
  Loop loop;
  const int fds = openFdCount();
  Probe probe;
  int ok = 0;
  int served = 0;
  std::size_t activeAfter = 99;
  loop.run_until_complete(manyClients(probe, kClients, kLines, ok, served, activeAfter));
  VERIFY_PROBE(probe);
  QCOMPARE(ok, kClients);
  QCOMPARE(served, kClients);
  QCOMPARE(activeAfter, std::size_t{0});
  QCOMPARE(loop.watched_fd_count(), std::size_t{0});
  QCOMPARE(openFdCount(), fds);
}

void tst_Streams::readexactlyThrowsIncompleteReadErrorWithThePartialBytes()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(readExactlyScenario(log));
  COMPARE_LOG(log, (QStringList{"abcd", "incomplete ef of 4", "at_eof 1", "empty 1"}));
}

void tst_Streams::readlineReturnsTheLastLineWithoutNewlineAtEof()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(readlineScenario(log));
  COMPARE_LOG(log, (QStringList{"one\n", "two\n", "three", "", "at_eof 1"}));
}

void tst_Streams::readlineOverTheLimitThrowsLimitOverrunError()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(limitScenario(log));
  COMPARE_LOG(log, (QStringList{"overrun consumed 40", "ok\n"}));
}

void tst_Streams::readuntilStopsAtTheSeparator()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(readuntilScenario(log));
  COMPARE_LOG(log, (QStringList{"key: value\r\n\r\n", "incomplete body expected none"}));
}

void tst_Streams::readAllReadsUntilEof()
{
  constexpr std::size_t kTotal = std::size_t{1} << 20;
  Loop loop;
  std::string got;
  loop.run_until_complete(readAllScenario(kTotal, got));
  QCOMPARE(got.size(), kTotal);
  QVERIFY(got == pattern(0, kTotal));
}

void tst_Streams::connectionRefusedThrowsConnectionRefusedError()
{
  // A bound socket that does not listen: the port is ours, and a SYN to it is answered by RST.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  QVERIFY(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  QCOMPARE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const int fds = openFdCount();
  {
    Loop loop;
    QStringList log;
    loop.run_until_complete(refusedScenario(ntohs(a.sin_port), log));
    COMPARE_LOG(log, (QStringList{"refused errno 1"}));
  }
  QCOMPARE(openFdCount(), fds);
  ::close(fd);
}

void tst_Streams::peerResetSurfacesAsConnectionResetError()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(resetScenario(log));
  COMPARE_LOG(log, (QStringList{"read: reset 1", "closing 1", "drain: reset", "second read: reset",
                                "wait_closed: reset"}));
}

void tst_Streams::drainSuspendsUnderBackPressureAndEveryByteArrives()
{
  constexpr std::size_t kTotal = std::size_t{8} << 20;
  Loop loop;
  DrainResult res;
  QStringList log;
  loop.run_until_complete(drainScenario(kTotal, res, log));
  COMPARE_LOG(log, (QStringList{"eof read 1"}));
  QVERIFY2(res.pausedDrains > 0, "the write buffer never went above the high-water mark");
  QVERIFY(res.maxAfterDrain <= kWriteLowWater);
  QCOMPARE(res.received, kTotal);
  QVERIFY(res.patternOk);
}

void tst_Streams::writeAfterWriteEofThrows()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(writeEofScenario(log));
  COMPARE_LOG(log, (QStringList{"write after write_eof: RuntimeError", "last\n", "eof 1"}));
}

void tst_Streams::cancelledReadLeavesBufferedBytesForTheNextRead()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(cancelReadScenario(log));
  COMPARE_LOG(
      log, (QStringList{"blocked in IO 1", "cancelled: stop reading", "buffered 4", "partial\n"}));
}

void tst_Streams::cancelDuringConnectClosesTheSocket()
{
  // A listener with a backlog of 0 that never accepts: after one queued connection, the kernel
  // drops further SYNs, so the next connect stays in progress.
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  QVERIFY(listener >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  QCOMPARE(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  QCOMPARE(::listen(listener, 0), 0);
  QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  QCOMPARE(::connect(filler, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  {
    Loop loop;
    const int fds = openFdCount();
    QStringList log;
    loop.run_until_complete(cancelConnectScenario(ntohs(a.sin_port), log));
    COMPARE_LOG(log, (QStringList{"connecting in IO 1", "cancelled"}));
    QCOMPARE(loop.watched_fd_count(), std::size_t{0});
    QCOMPARE(openFdCount(), fds);
  }
  ::close(filler);
  ::close(listener);
}

void tst_Streams::serverCloseStopsAcceptingAndWaitClosedWaitsForConnections()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(serverCloseScenario(log));
  COMPARE_LOG(log,
              (QStringList{"active 1", "serving 0 sockets 0", "waiter blocked 1",
                           "new connection refused", "wait_closed returned", "active 0 served 1"}));
}

void tst_Streams::serveForeverReturnsWhenTheServerIsClosed()
{
  Loop loop;
  QStringList log;
  loop.run_until_complete(serveForeverScenario(log));
  COMPARE_LOG(log,
              (QStringList{"returned, serving 0", "closed: RuntimeError", "cancelled, serving 0"}));
}

void tst_Streams::traceNamesTheSocketABlockedReadWaitsOn()
{
  VectorSink sink;  // declared first: outlives the loop, which flushes into it when destroyed
  Loop loop;
  loop.set_sink(&sink);
  TraceIds ids;
  loop.run_until_complete(traceScenario(ids));
  loop.flush_trace();
  const std::vector<DecodedEvent> events = TraceDecoder::decode(sink.events());
  QVERIFY(ids.socket != 0);

  bool suspendedOnSocket = false;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::Suspended))
    if (d.ev.task == ids.task && d.ev.a8 == static_cast<std::uint8_t>(AwaitKind::IO) &&
        d.ev.detail == ids.socket)
      suspendedOnSocket = true;
  QVERIFY2(suspendedOnSocket, "no Suspended event of the reading task on its socket");

  QString socketLabel;
  QString serverLabel;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::ObjectCreated)) {
    QCOMPARE(d.ev.a8, static_cast<std::uint8_t>(AwaitKind::IO));
    if (d.ev.detail == ids.socket)
      socketLabel = qs(d.text);
    if (d.ev.detail == ids.server)
      serverLabel = qs(d.text);
  }
  QCOMPARE(socketLabel, qs(ids.socketLabel));
  QCOMPARE(serverLabel, qs(ids.serverLabel));
}

void tst_Streams::droppingTheLastHandleSendsWhatIsQueuedThenCloses()
{
  constexpr std::size_t kTotal = std::size_t{4} << 20;
  Loop loop;
  const int fds = openFdCount();
  CountResult res;
  QStringList log;
  loop.run_until_complete(dropScenario(kTotal, res, log));
  COMPARE_LOG(log, (QStringList{"queued 1"}));
  QCOMPARE(res.received, kTotal);
  QVERIFY(res.patternOk);
  QCOMPARE(loop.watched_fd_count(), std::size_t{0});
  QCOMPARE(openFdCount(), fds);
}

void tst_Streams::destroyingTheLoopClosesStreamsStillOpen()
{
  const int fds = openFdCount();
  QStringList log;
  {
    Loop loop;
    std::vector<Task<void>> keep;
    loop.run_until_complete(abandonScenario(log, keep));
    QCOMPARE(keep.size(), std::size_t{2});
    QVERIFY(!keep[0].done());
    QVERIFY(!keep[1].done());
    QVERIFY(openFdCount() > fds);
  }
  COMPARE_LOG(log, (QStringList{"x\n"}));
  QCOMPARE(openFdCount(), fds);
}

QTEST_GUILESS_MAIN(tst_Streams)
#include "tst_streams.moc"
