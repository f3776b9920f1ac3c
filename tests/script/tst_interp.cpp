// SPDX-License-Identifier: GPL-3.0-or-later
// The interpreter end to end on the virtual clock: scripts run through script::run_script with
// their output captured, so async semantics are checked deterministically (no real sleeps), and
// the engine events they produce carry the script's own file and lines as await sites.

#include "engine/event.h"
#include "engine/runner.h"
#include "engine/script/scriptrunner.h"
#include "engine/sink.h"

#include <QRegularExpression>
#include <QTest>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

using namespace loopscope;

namespace {

struct Run
{
  std::string out;
  std::string err;
  script::ScriptResult result;
};

Run runWith(const script::ScriptOptions& opt, const std::string& source)
{
  Run r;
  script::ScriptIo io;
  io.out = [&r](std::string_view s) {
    r.out += s;
  };
  io.err = [&r](std::string_view s) {
    r.err += s;
  };
  r.result = script::run_script(source, "test_script.py", opt, io);
  return r;
}

Run run(const std::string& source, engine::EventSink* sink = nullptr,
        std::optional<double> grace = std::nullopt)
{
  script::ScriptOptions opt;
  opt.virtual_time = true;
  opt.sink = sink;
  opt.grace_seconds = grace;
  return runWith(opt, source);
}

using Sandbox = script::Interp::RunConfig::Sandbox;

// On the virtual clock with these bounds.
Run runSandboxed(const std::string& source, const Sandbox& sandbox)
{
  script::ScriptOptions opt;
  opt.virtual_time = true;
  opt.sandbox = sandbox;
  return runWith(opt, source);
}

Sandbox refusing()
{
  Sandbox s;
  s.enabled = true;
  return s;
}

}  // namespace

class tst_Interp : public QObject
{
  Q_OBJECT

private slots:
  void output_data();
  void output();
  void flushReachesTheHost_data();
  void flushReachesTheHost();
  void exitStatus_data();
  void exitStatus();
  void tracebackLines_data();
  void tracebackLines();
  void syntaxErrorNamesLineAndColumn();
  void awaitSitesAreScriptLines();
  void swallowedCancelHoldsShutdownUntilGrace();
  void virtualTimeRunsAnHourInstantly();

  void sandboxRefusesWhatReachesOutside_data();
  void sandboxRefusesWhatReachesOutside();
  void withoutTheSandboxTheSameCallsWork();
  void sandboxStepBudgetStopsEndlessCode_data();
  void sandboxStepBudgetStopsEndlessCode();
  void sandboxBoundsSequenceLengthAndDepth_data();
  void sandboxBoundsSequenceLengthAndDepth();
  void toThreadCancelledBeforeItStartsFreesItsJob();
  void sandboxedDeadlockEndsAsAStall();
  void awaitRecursionIsBounded();
  void virtualTimeStall_data();
  void virtualTimeStall();
  void virtualTimeWaitsForTheScriptsSignalHandler();
};

void tst_Interp::output_data()
{
  QTest::addColumn<QString>("source");
  QTest::addColumn<QString>("expected");

  QTest::newRow("closure and nonlocal") << "def counter():\n"
                                           "    n = 0\n"
                                           "    def inc():\n"
                                           "        nonlocal n\n"
                                           "        n += 1\n"
                                           "        return n\n"
                                           "    return inc\n"
                                           "c = counter()\n"
                                           "c(); c()\n"
                                           "print(c())\n"
                                        << "3\n";
  // A second asyncio.run continues the script's time (its loop does not start again at 0), and
  // time.monotonic() between runs reads where the last loop ended, plus time.sleep.
  QTest::newRow("two asyncio.run calls share one time line")
      << "import asyncio, time\n"
         "async def nap():\n"
         "    await asyncio.sleep(5)\n"
         "    return asyncio.get_running_loop().time()\n"
         "t0 = time.monotonic()\n"
         "a = asyncio.run(nap())\n"
         "print(time.monotonic() - t0)\n"
         "time.sleep(1)\n"
         "b = asyncio.run(nap())\n"
         "print(a, b, time.monotonic() - t0)\n"
      << "5.0\n5.0 11.0 11.0\n";
  QTest::newRow("unbound local") << "x = 1\n"
                                    "def f():\n"
                                    "    print(x)\n"
                                    "    x = 2\n"
                                    "try:\n"
                                    "    f()\n"
                                    "except UnboundLocalError as e:\n"
                                    "    print(type(e).__name__)\n"
                                 << "UnboundLocalError\n";
  QTest::newRow("class and super") << "class A:\n"
                                      "    def __init__(self, v): self.v = v\n"
                                      "    def show(self): return f'A{self.v}'\n"
                                      "class B(A):\n"
                                      "    def show(self): return 'B+' + super().show()\n"
                                      "print(B(3).show())\n"
                                   << "B+A3\n";
  QTest::newRow("gather keeps order") << "import asyncio\n"
                                         "async def w(n, d):\n"
                                         "    await asyncio.sleep(d)\n"
                                         "    print('done', n)\n"
                                         "    return n * 10\n"
                                         "async def main():\n"
                                         "    print(await asyncio.gather(w(1, 0.3), w(2, 0.1)))\n"
                                         "asyncio.run(main())\n"
                                      << "done 2\ndone 1\n[10, 20]\n";
  QTest::newRow("timeout fires at its deadline")
      << "import asyncio\n"
         "async def main():\n"
         "    loop = asyncio.get_running_loop()\n"
         "    t0 = loop.time()\n"
         "    try:\n"
         "        async with asyncio.timeout(2.5):\n"
         "            await asyncio.sleep(10)\n"
         "    except TimeoutError:\n"
         "        print('timeout after', loop.time() - t0)\n"
         "asyncio.run(main())\n"
      << "timeout after 2.5\n";
  QTest::newRow("cancel with cleanup") << "import asyncio\n"
                                          "async def worker():\n"
                                          "    try:\n"
                                          "        await asyncio.sleep(100)\n"
                                          "    except asyncio.CancelledError as e:\n"
                                          "        print('cleanup', e.args)\n"
                                          "        raise\n"
                                          "async def main():\n"
                                          "    t = asyncio.create_task(worker())\n"
                                          "    await asyncio.sleep(1)\n"
                                          "    t.cancel('stop')\n"
                                          "    try:\n"
                                          "        await t\n"
                                          "    except asyncio.CancelledError:\n"
                                          "        print('cancelled', t.cancelled())\n"
                                          "asyncio.run(main())\n"
                                       << "cleanup ('stop',)\ncancelled True\n";
  QTest::newRow("taskgroup cancels siblings") << "import asyncio\n"
                                                 "async def bad():\n"
                                                 "    await asyncio.sleep(1)\n"
                                                 "    raise ValueError('boom')\n"
                                                 "async def slow():\n"
                                                 "    try:\n"
                                                 "        await asyncio.sleep(10)\n"
                                                 "    except asyncio.CancelledError:\n"
                                                 "        print('slow cancelled')\n"
                                                 "        raise\n"
                                                 "async def main():\n"
                                                 "    try:\n"
                                                 "        async with asyncio.TaskGroup() as tg:\n"
                                                 "            tg.create_task(bad())\n"
                                                 "            tg.create_task(slow())\n"
                                                 "    except* ValueError as eg:\n"
                                                 "        print([str(e) for e in eg.exceptions])\n"
                                                 "asyncio.run(main())\n"
                                              << "slow cancelled\n['boom']\n";
  QTest::newRow("queue producer consumer") << "import asyncio\n"
                                              "async def main():\n"
                                              "    q = asyncio.Queue(maxsize=1)\n"
                                              "    async def prod():\n"
                                              "        for i in range(3):\n"
                                              "            await q.put(i)\n"
                                              "        await q.put(None)\n"
                                              "    async def cons():\n"
                                              "        got = []\n"
                                              "        while (x := await q.get()) is not None:\n"
                                              "            got.append(x)\n"
                                              "        return got\n"
                                              "    _, got = await asyncio.gather(prod(), cons())\n"
                                              "    print(got)\n"
                                              "asyncio.run(main())\n"
                                           << "[0, 1, 2]\n";
  // Workers take the interpreter lock even while a virtual clock jumps from timer to timer.
  QTest::newRow("to_thread beside a ticker on virtual time")
      << "import asyncio, time\n"
         "def work(n):\n"
         "    time.sleep(0.05)\n"
         "    return n * 2\n"
         "async def main():\n"
         "    done = asyncio.Event()\n"
         "    async def tick():\n"
         "        while not done.is_set():\n"
         "            await asyncio.sleep(0.01)\n"
         "    t = asyncio.create_task(tick())\n"
         "    r = await asyncio.gather(asyncio.to_thread(work, 1), asyncio.to_thread(work, 2))\n"
         "    done.set()\n"
         "    await t\n"
         "    print(r)\n"
         "asyncio.run(main())\n"
      << "[2, 4]\n";
  QTest::newRow("blocking sleep delays others")
      << "import asyncio, time\n"
         "async def ticker(log):\n"
         "    await asyncio.sleep(0.1)\n"
         "    log.append(round(asyncio.get_running_loop().time(), 1))\n"
         "async def main():\n"
         "    log = []\n"
         "    t = asyncio.create_task(ticker(log))\n"
         "    await asyncio.sleep(0)\n"
         "    time.sleep(2)\n"
         "    await t\n"
         "    print(log)\n"
         "asyncio.run(main())\n"
      << "[2.0]\n";
}

void tst_Interp::output()
{
  QFETCH(QString, source);
  QFETCH(QString, expected);
  const Run r = run(source.toStdString());
  QVERIFY2(r.err.empty(), r.err.c_str());
  QCOMPARE(QString::fromStdString(r.out), expected);
  QCOMPARE(r.result.exit_status, 0);
}

void tst_Interp::flushReachesTheHost_data()
{
  // What the host's ScriptIo sees: the script's stdout, with "|" where it was asked to flush.
  // CPython flushes sys.stdout for print(..., flush=True) with or without file=, and for
  // sys.stdout.flush(); never for a plain print when stdout is a pipe.
  QTest::addColumn<QString>("source");
  QTest::addColumn<QString>("expected");
  QTest::newRow("print flush=True") << "print('a', 'b', flush=True)\nprint('c')\n"
                                    << "a b\n|c\n";
  QTest::newRow("print flush=False") << "print('a', flush=False)\n"
                                     << "a\n";
  QTest::newRow("print flush=1 (truthy)") << "print('a', end='', flush=1)\n"
                                          << "a|";
  QTest::newRow("print file=sys.stdout flush=True") << "import sys\n"
                                                       "print('a', file=sys.stdout, flush=True)\n"
                                                    << "a\n|";
  QTest::newRow("sys.stdout.flush()") << "import sys\nprint('a')\nsys.stdout.flush()\n"
                                      << "a\n|";
  QTest::newRow("print flush=True in a task") << "import asyncio\n"
                                                 "async def main():\n"
                                                 "    print('ready', flush=True)\n"
                                                 "    await asyncio.sleep(5)\n"
                                                 "    print('done')\n"
                                                 "asyncio.run(main())\n"
                                              << "ready\n|done\n";
}

void tst_Interp::flushReachesTheHost()
{
  QFETCH(QString, source);
  QFETCH(QString, expected);
  std::string out, err;
  script::ScriptIo io;
  io.out = [&out](std::string_view s) {
    out += s;
  };
  io.err = [&err](std::string_view s) {
    err += s;
  };
  io.flush = [&out] {
    out += '|';
  };
  script::ScriptOptions opt;
  opt.virtual_time = true;
  const script::ScriptResult r =
      script::run_script(source.toStdString(), "test_script.py", opt, io);
  QVERIFY2(err.empty(), err.c_str());
  QCOMPARE(QString::fromStdString(out), expected);
  QCOMPARE(r.exit_status, 0);
}

void tst_Interp::exitStatus_data()
{
  QTest::addColumn<QString>("source");
  QTest::addColumn<int>("status");
  QTest::addColumn<QString>("stderrHas");
  QTest::newRow("sys.exit(3)") << "import sys\nsys.exit(3)\n" << 3 << "";
  QTest::newRow("sys.exit(msg)") << "import sys\nsys.exit('bye')\n" << 1 << "bye";
  QTest::newRow("uncaught") << "def f():\n    raise KeyError('k')\nf()\n" << 1 << "line 2, in f";
  QTest::newRow("uncaught in main task") << "import asyncio\n"
                                            "async def main():\n"
                                            "    raise RuntimeError('no')\n"
                                            "asyncio.run(main())\n"
                                         << 1 << "RuntimeError: no";
  QTest::newRow("unsupported module") << "import threading\n" << 1 << "not supported by loopscope";
}

void tst_Interp::exitStatus()
{
  QFETCH(QString, source);
  QFETCH(int, status);
  QFETCH(QString, stderrHas);
  const Run r = run(source.toStdString());
  QCOMPARE(r.result.exit_status, status);
  QVERIFY2(QString::fromStdString(r.err).contains(stderrHas), r.err.c_str());
}

void tst_Interp::tracebackLines_data()
{
  // The "File ..., line N, in F" lines of the script's frames in CPython 3.11's traceback
  // (asyncio's own frames left out), in order: a frame's line is where the exception arose in
  // it, also after a bare `raise`, a non-matching except clause or a finally block.
  QTest::addColumn<QString>("source");
  QTest::addColumn<QString>("frames");
  QTest::newRow("bare re-raise") << QString(
                                        "def f():\n"
                                        "    try:\n"
                                        "        1/0\n"
                                        "    except ZeroDivisionError:\n"
                                        "        raise\n"
                                        "f()\n")
                                 << QStringLiteral("<module>:6 f:3");
  QTest::newRow("no matching except") << QString(
                                             "def f():\n"
                                             "    try:\n"
                                             "        1/0\n"
                                             "    except ValueError:\n"
                                             "        pass\n"
                                             "f()\n")
                                      << QStringLiteral("<module>:6 f:3");
  QTest::newRow("explicit raise of a caught exception")
      << QString(
             "def f():\n"
             "    try:\n"
             "        1/0\n"
             "    except ZeroDivisionError as e:\n"
             "        err = e\n"
             "    x = 1\n"
             "    raise err\n"
             "f()\n")
      << QStringLiteral("<module>:8 f:7 f:3");
  QTest::newRow("through finally") << QString(
                                          "def f():\n"
                                          "    try:\n"
                                          "        {}['k']\n"
                                          "    finally:\n"
                                          "        a = 1\n"
                                          "        b = 2\n"
                                          "f()\n")
                                   << QStringLiteral("<module>:7 f:3");
  QTest::newRow("nested try, inner re-raises") << QString(
                                                      "def f():\n"
                                                      "    try:\n"
                                                      "        try:\n"
                                                      "            int('x')\n"
                                                      "        except ValueError:\n"
                                                      "            raise\n"
                                                      "    except KeyError:\n"
                                                      "        pass\n"
                                                      "f()\n")
                                               << QStringLiteral("<module>:9 f:4");
  QTest::newRow("handler raises anew") << QString(
                                              "def f():\n"
                                              "    try:\n"
                                              "        1/0\n"
                                              "    except ZeroDivisionError:\n"
                                              "        raise ValueError('v')\n"
                                              "f()\n")
                                       << QStringLiteral("f:3 <module>:6 f:5");
  QTest::newRow("raise from") << QString(
                                     "def g():\n"
                                     "    raise KeyError('k')\n"
                                     "def f():\n"
                                     "    try:\n"
                                     "        g()\n"
                                     "    except KeyError as e:\n"
                                     "        raise RuntimeError('r') from e\n"
                                     "f()\n")
                              << QStringLiteral("f:5 g:2 <module>:8 f:7");
  QTest::newRow("coroutine, no matching except") << QString(
                                                        "import asyncio\n"
                                                        "async def f():\n"
                                                        "    try:\n"
                                                        "        await asyncio.sleep(0)\n"
                                                        "        1/0\n"
                                                        "    except ValueError:\n"
                                                        "        pass\n"
                                                        "asyncio.run(f())\n")
                                                 << QStringLiteral("<module>:8 f:5");
  QTest::newRow("coroutine, bare re-raise") << QString(
                                                   "import asyncio\n"
                                                   "async def f():\n"
                                                   "    try:\n"
                                                   "        await asyncio.sleep(0)\n"
                                                   "        1/0\n"
                                                   "    except ZeroDivisionError:\n"
                                                   "        await asyncio.sleep(0)\n"
                                                   "        raise\n"
                                                   "asyncio.run(f())\n")
                                            << QStringLiteral("<module>:9 f:5");
  QTest::newRow("coroutine, through finally") << QString(
                                                     "import asyncio\n"
                                                     "async def f():\n"
                                                     "    try:\n"
                                                     "        [][1]\n"
                                                     "    finally:\n"
                                                     "        await asyncio.sleep(0)\n"
                                                     "asyncio.run(f())\n")
                                              << QStringLiteral("<module>:7 f:4");
}

void tst_Interp::tracebackLines()
{
  QFETCH(QString, source);
  QFETCH(QString, frames);
  const Run r = run(source.toStdString());
  QCOMPARE(r.result.exit_status, 1);
  QStringList got;
  const QRegularExpression re(QStringLiteral("File \"test_script.py\", line (\\d+), in (\\S+)"));
  for (auto it = re.globalMatch(QString::fromStdString(r.err)); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    got << m.captured(2) + u':' + m.captured(1);
  }
  QCOMPARE(got.join(u' '), frames);
}

void tst_Interp::syntaxErrorNamesLineAndColumn()
{
  const Run r = run("x = 1\nif x = 2:\n    pass\n");
  QVERIFY(r.result.parse_failed);
  QCOMPARE(r.result.exit_status, 1);
  QCOMPARE(r.result.error_line, 2);
  QVERIFY2(QString::fromStdString(r.err).contains("SyntaxError"), r.err.c_str());
  QVERIFY2(QString::fromStdString(r.err).contains("line 2"), r.err.c_str());
}

void tst_Interp::awaitSitesAreScriptLines()
{
  engine::VectorSink sink;
  const Run r =
      run("import asyncio\n"
          "async def worker():\n"
          "    await asyncio.sleep(1)\n"
          "async def main():\n"
          "    await asyncio.create_task(worker(), name='w')\n"
          "asyncio.run(main())\n",
          &sink);
  QCOMPARE(r.result.exit_status, 0);
  bool sawLine3 = false, sawLine5 = false;
  for (const engine::DecodedEvent& e : engine::TraceDecoder::decode(sink.events())) {
    if (e.ev.kind != engine::EventKind::SiteDefined)
      continue;
    // "file\tline\tcolumn\tfunction"
    if (e.text.rfind("test_script.py\t3\t", 0) == 0 && e.text.find("\tworker") != std::string::npos)
      sawLine3 = true;
    if (e.text.rfind("test_script.py\t5\t", 0) == 0)
      sawLine5 = true;
  }
  QVERIFY(sawLine3);
  QVERIFY(sawLine5);
}

void tst_Interp::swallowedCancelHoldsShutdownUntilGrace()
{
  const Run r =
      run("import asyncio\n"
          "async def stubborn():\n"
          "    while True:\n"
          "        try:\n"
          "            await asyncio.sleep(1)\n"
          "        except asyncio.CancelledError:\n"
          "            pass\n"
          "async def main():\n"
          "    asyncio.create_task(stubborn(), name='stubborn')\n"
          "    await asyncio.sleep(0.5)\n"
          "asyncio.run(main())\n",
          nullptr, 5.0);
  QCOMPARE(r.result.exit_status, 124);
  QCOMPARE(r.result.runs.size(), std::size_t{1});
  QVERIFY(r.result.runs[0].grace_expired);
  QCOMPARE(r.result.runs[0].held.size(), std::size_t{1});
  QCOMPARE(QString::fromStdString(r.result.runs[0].held[0].name), QStringLiteral("stubborn"));
  QVERIFY2(QString::fromStdString(r.err).contains("stubborn"), r.err.c_str());
}

void tst_Interp::virtualTimeRunsAnHourInstantly()
{
  const Run r =
      run("import asyncio\n"
          "async def main():\n"
          "    loop = asyncio.get_running_loop()\n"
          "    await asyncio.sleep(3600)\n"
          "    print(round(loop.time()))\n"
          "asyncio.run(main())\n");
  QCOMPARE(QString::fromStdString(r.out), QStringLiteral("3600\n"));
  QCOMPARE(r.result.exit_status, 0);
}

void tst_Interp::sandboxRefusesWhatReachesOutside_data()
{
  QTest::addColumn<QString>("source");
  QTest::addColumn<QString>("expected");  // the output
  const auto refused = [](const char* what) {
    return QStringLiteral("PermissionError: %1 is not allowed in loopscope's sandbox\n")
        .arg(QLatin1String(what));
  };
  const QString report =
      "except PermissionError as e:\n"
      "    print(type(e).__name__ + ': ' + str(e))\n";

  QTest::newRow("os.kill of this process (a real SIGTERM otherwise)")
      << "import os, signal\ntry:\n    os.kill(os.getpid(), signal.SIGTERM)\n" + report
      << refused("os.kill()");
  QTest::newRow("os.kill of every process (pid -1)")
      << "import os\ntry:\n    os.kill(-1, 9)\n" + report << refused("os.kill()");
  QTest::newRow("asyncio.open_connection")
      << "import asyncio\nasync def main():\n    try:\n"
         "        await asyncio.open_connection('127.0.0.1', 9)\n"
         "    except PermissionError as e:\n        print(e)\nasyncio.run(main())\n"
      << "asyncio.open_connection() is not allowed in loopscope's sandbox\n";
  QTest::newRow("asyncio.start_server")
      << "import asyncio\nasync def main():\n    try:\n"
         "        await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)\n"
         "    except PermissionError as e:\n        print(e)\nasyncio.run(main())\n"
      << "asyncio.start_server() is not allowed in loopscope's sandbox\n";
  QTest::newRow("time.sleep on a worker thread (it would block for real)")
      << "import asyncio, time\nasync def main():\n    try:\n"
         "        await asyncio.to_thread(time.sleep, 3600)\n"
         "    except PermissionError as e:\n        print(e)\nasyncio.run(main())\n"
      << "time.sleep() on a real clock or a worker thread is not allowed in loopscope's "
         "sandbox\n";
  // What stays inside the interpreter still works.
  QTest::newRow("time.sleep on the virtual clock, in and outside the loop")
      << "import asyncio, time\ntime.sleep(10)\nasync def main():\n    time.sleep(5)\n"
         "    print(round(time.monotonic()))\nasyncio.run(main())\n"
      << "15\n";
  QTest::newRow("a signal handler (a virtual loop would wait for a signal for real)")
      << "import asyncio, signal\nasync def main():\n    try:\n"
         "        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, print)\n"
         "    except PermissionError as e:\n        print(e)\nasyncio.run(main())\n"
      << "loop.add_signal_handler() is not allowed in loopscope's sandbox\n";
}

void tst_Interp::sandboxRefusesWhatReachesOutside()
{
  QFETCH(QString, source);
  QFETCH(QString, expected);
  const Run r = runSandboxed(source.toStdString(), refusing());
  QCOMPARE(QString::fromStdString(r.out), expected);
  QCOMPARE(QString::fromStdString(r.err), QString());
  QCOMPARE(r.result.exit_status, 0);
}

void tst_Interp::withoutTheSandboxTheSameCallsWork()
{
  // Signal 0 only checks that the process exists: the call itself goes through.
  const Run r = run("import os\nos.kill(os.getpid(), 0)\nprint('sent')\n");
  QCOMPARE(QString::fromStdString(r.out), QStringLiteral("sent\n"));
  QCOMPARE(r.result.exit_status, 0);
  // And a sandbox with every bound but `enabled` refuses nothing.
  Sandbox bounds;
  bounds.max_steps = 1000;
  bounds.max_length = 1000;
  bounds.max_depth = 50;
  const Run bounded = runSandboxed("import os\nos.kill(os.getpid(), 0)\nprint('sent')\n", bounds);
  QCOMPARE(QString::fromStdString(bounded.out), QStringLiteral("sent\n"));
}

void tst_Interp::sandboxStepBudgetStopsEndlessCode_data()
{
  QTest::addColumn<QString>("source");
  QTest::newRow("while True: pass") << "while True:\n    pass\n";
  QTest::newRow("an endless loop that swallows every exception")
      << "while True:\n    try:\n        while True:\n            pass\n"
         "    except BaseException:\n        pass\n";
  QTest::newRow("a builtin over a huge range (no Python loop)") << "print(sum(range(10**15)))\n";
  QTest::newRow("list(range(n)) at once") << "x = list(range(10**7))\n";
  QTest::newRow("endless tasks on the loop")
      << "import asyncio\nasync def spin():\n    while True:\n        await asyncio.sleep(0)\n"
         "async def main():\n    await asyncio.gather(spin(), spin())\nasyncio.run(main())\n";
  QTest::newRow("an endless loop in a finally block")
      << "try:\n    pass\nfinally:\n    while True:\n        try:\n            pass\n"
         "        except BaseException:\n            pass\n";
}

void tst_Interp::sandboxStepBudgetStopsEndlessCode()
{
  QFETCH(QString, source);
  Sandbox sandbox;
  sandbox.max_steps = 100000;
  const Run r = runSandboxed(source.toStdString(), sandbox);
  QCOMPARE(r.result.exit_status, engine::kExitInterrupted);
  QCOMPARE(QString::fromStdString(r.result.error), QStringLiteral("KeyboardInterrupt"));
  QVERIFY2(QString::fromStdString(r.err).contains(
               "stopped by loopscope's sandbox: the script took more than 100000 steps"),
           r.err.c_str());
}

void tst_Interp::sandboxBoundsSequenceLengthAndDepth_data()
{
  QTest::addColumn<QString>("source");
  QTest::addColumn<QString>("expected");
  const QString report =
      "except (MemoryError, RecursionError) as e:\n"
      "    print(type(e).__name__ + ': ' + str(e))\n";
  const QString tooLong =
      "MemoryError: stopped by loopscope's sandbox: a sequence of %1 bytes or "
      "items (the limit is 1000000)\n";
  QTest::newRow("str * n") << "try:\n    s = 'ab' * 10**9\n" + report
                           << tooLong.arg(QLatin1String("2000000000"));
  QTest::newRow("bytes * n") << "try:\n    s = b'x' * 2000000\n" + report
                             << tooLong.arg(QLatin1String("2000000"));
  QTest::newRow("list * n") << "try:\n    s = [1, 2, 3] * 10**6\n" + report
                            << tooLong.arg(QLatin1String("3000000"));
  QTest::newRow("list *= n") << "s = [0]\ntry:\n    s *= 10**8\n" + report
                             << tooLong.arg(QLatin1String("100000000"));
  QTest::newRow("list(range(n))") << "try:\n    s = list(range(5 * 10**6))\n" + report
                                  << tooLong.arg(QLatin1String("5000000"));
  QTest::newRow("within the bounds") << "print(len('ab' * 500000), len(list(range(10**6))))\n"
                                     << "1000000 1000000\n";
  QTest::newRow("recursion deeper than 50 calls")
      << "depth = 0\ndef f():\n    global depth\n    depth += 1\n    f()\n"
         "try:\n    f()\n" +
             report + "print(depth)\n"
      << "RecursionError: maximum recursion depth exceeded\n50\n";
}

void tst_Interp::sandboxBoundsSequenceLengthAndDepth()
{
  QFETCH(QString, source);
  QFETCH(QString, expected);
  Sandbox sandbox;
  sandbox.max_length = 1000000;
  sandbox.max_depth = 50;
  const Run r = runSandboxed(source.toStdString(), sandbox);
  QCOMPARE(QString::fromStdString(r.out), expected);
  QCOMPARE(r.result.exit_status, 0);
}

void tst_Interp::toThreadCancelledBeforeItStartsFreesItsJob()
{
  // Found by fuzz_script (a leak): the job of a to_thread task cancelled before a worker took it
  // (before the task's first step, or queued) was never freed. LeakSanitizer (the asan preset)
  // fails this test if it is again.
  const Run r =
      run("import asyncio\n"
          "def work(x):\n"
          "    return x\n"
          "async def main():\n"
          "    t = asyncio.create_task(asyncio.to_thread(work, [1, 2]))\n"
          "    t.cancel()\n"
          "    try:\n"
          "        await t\n"
          "    except asyncio.CancelledError:\n"
          "        print('cancelled before it ran')\n"
          "    print(await asyncio.to_thread(work, 'the next one runs'))\n"
          "    queued = asyncio.create_task(asyncio.to_thread(work, {}))\n"
          "    await asyncio.sleep(0)\n"
          "    queued.cancel()\n"
          "    asyncio.create_task(asyncio.to_thread(work, 'left to the shutdown'))\n"
          "asyncio.run(main())\n");
  QCOMPARE(QString::fromStdString(r.out),
           QStringLiteral("cancelled before it ran\nthe next one runs\n"));
  QCOMPARE(r.result.exit_status, 0);
}

void tst_Interp::awaitRecursionIsBounded()
{
  // Found by fuzz_script (out of memory): `return await chain(n)` nested coroutines without
  // bound (the call depth did not count awaits). CPython 3.12 prints the same line.
  const Run r =
      run("import asyncio\n"
          "async def chain(n):\n"
          "    return await chain(n + 1)\n"
          "async def main():\n"
          "    try:\n"
          "        await chain(0)\n"
          "    except RecursionError as e:\n"
          "        print('RecursionError:', e)\n"
          "asyncio.run(main())\n");
  QCOMPARE(QString::fromStdString(r.out),
           QStringLiteral("RecursionError: maximum recursion depth exceeded\n"));
  QCOMPARE(r.result.exit_status, 0);
}

void tst_Interp::sandboxedDeadlockEndsAsAStall()
{
  // Found by fuzz_script (a hang): asyncio.run's SIGINT watch let a deadlocked virtual loop wait
  // for a signal for real. In the sandbox there is none, so the stall is reported.
  const Run r = runSandboxed(
      "import asyncio\n"
      "async def main():\n"
      "    await asyncio.Event().wait()\n"
      "asyncio.run(main())\n",
      refusing());
  QCOMPARE(r.result.exit_status, engine::kExitStalled);
  QVERIFY2(QString::fromStdString(r.err).contains("loop stalled"), r.err.c_str());
}

void tst_Interp::virtualTimeStall_data()
{
  // On the virtual clock, a loop with nothing ready, no timer, and no I/O, thread or signal
  // handler of the script's own that could wake it can never go on (CPython waits forever):
  // asyncio.run names the waiting tasks and where they wait, and the script ends with
  // kExitStalled. asyncio.run's own SIGINT handling is not a way to be woken.
  QTest::addColumn<QString>("source");
  QTest::addColumn<int>("status");
  QTest::addColumn<QString>("out");
  QTest::addColumn<QStringList>("errHas");
  const QString stalled =
      "loopscope: loop stalled under --virtual-time: no ready task, timer, "
      "I/O or thread could ever wake it; waiting tasks:\n";
  QTest::newRow("main awaits an Event nobody sets")
      << "import asyncio\n"
         "async def main():\n"
         "    await asyncio.Event().wait()\n"
         "asyncio.run(main())\n"
         "print('never printed')\n"
      << engine::kExitStalled << ""
      << QStringList{stalled, "  Task-1: awaiting event at test_script.py:3 in main\n"};
  QTest::newRow("main awaits a task that awaits a future nobody sets")
      << "import asyncio\n"
         "async def child(fut):\n"
         "    await fut\n"
         "async def main():\n"
         "    fut = asyncio.get_running_loop().create_future()\n"
         "    await asyncio.create_task(child(fut), name='child')\n"
         "asyncio.run(main())\n"
      << engine::kExitStalled << ""
      << QStringList{stalled, "  Task-1: awaiting task at test_script.py:6 in main\n",
                     "  child: awaiting future at test_script.py:3 in child\n"};
  QTest::newRow("a queue with no producer, after some time passed")
      << "import asyncio\n"
         "async def main():\n"
         "    await asyncio.sleep(3600)\n"
         "    print('an hour later')\n"
         "    await asyncio.Queue().get()\n"
         "asyncio.run(main())\n"
      << engine::kExitStalled << "an hour later\n"
      << QStringList{stalled, "  Task-1: awaiting queue at test_script.py:5 in main\n"};
  QTest::newRow("the shutdown: a task swallows its cancellation and waits again")
      << "import asyncio\n"
         "async def stubborn():\n"
         "    while True:\n"
         "        try:\n"
         "            await asyncio.Event().wait()\n"
         "        except asyncio.CancelledError:\n"
         "            print('swallowed')\n"
         "async def main():\n"
         "    asyncio.create_task(stubborn(), name='stubborn')\n"
         "    await asyncio.sleep(1)\n"
         "    print('main done')\n"
         "asyncio.run(main())\n"
      << engine::kExitStalled << "main done\nswallowed\n"
      << QStringList{"loopscope: asyncio.run's shutdown stalled under --virtual-time",
                     "  stubborn: awaiting event at test_script.py:5 in stubborn\n"};
  QTest::newRow("the tasks' cleanup runs, the script's finally too")
      << "import asyncio\n"
         "async def main():\n"
         "    try:\n"
         "        await asyncio.Event().wait()\n"
         "    finally:\n"
         "        print('main cleaned up')\n"
         "try:\n"
         "    asyncio.run(main())\n"
         "finally:\n"
         "    print('finally around asyncio.run')\n"
      << engine::kExitStalled << "main cleaned up\nfinally around asyncio.run\n"
      << QStringList{stalled};
  // Not stalls: something can still wake the loop.
  QTest::newRow("a timer is pending") << "import asyncio\n"
                                         "async def main():\n"
                                         "    ev = asyncio.Event()\n"
                                         "    asyncio.get_running_loop().call_later(5, ev.set)\n"
                                         "    await ev.wait()\n"
                                         "    print('set by the timer')\n"
                                         "asyncio.run(main())\n"
                                      << 0 << "set by the timer\n"
                                      << QStringList{};
  QTest::newRow("a thread still runs") << "import asyncio, time\n"
                                          "async def main():\n"
                                          "    print(await asyncio.to_thread(time.sleep, 0.05))\n"
                                          "asyncio.run(main())\n"
                                       << 0 << "None\n"
                                       << QStringList{};
  // A SIGINT that has already come is handled before a stall is reported: it cancels main.
  QTest::newRow("a SIGINT already sent")
      << "import asyncio, os, signal\n"
         "async def main():\n"
         "    os.kill(os.getpid(), signal.SIGINT)\n"
         "    await asyncio.Event().wait()\n"
         "asyncio.run(main())\n"
      << engine::kExitInterrupted << "" << QStringList{"KeyboardInterrupt"};
}

void tst_Interp::virtualTimeStall()
{
  QFETCH(QString, source);
  QFETCH(int, status);
  QFETCH(QString, out);
  QFETCH(QStringList, errHas);
  const Run r = run(source.toStdString());
  QCOMPARE(r.result.exit_status, status);
  QCOMPARE(QString::fromStdString(r.out), out);
  const QString err = QString::fromStdString(r.err);
  for (const QString& part : errHas)
    QVERIFY2(err.contains(part), qPrintable(err));
  if (status != engine::kExitStalled)
    QVERIFY2(!err.contains("stalled"), qPrintable(err));
}

void tst_Interp::virtualTimeWaitsForTheScriptsSignalHandler()
{
  // The script's own signal handler is a way to be woken: on the virtual clock the loop waits
  // for the signal for real (sent here once the handler is in place) instead of a stall.
  std::atomic<bool> done{false};
  std::thread sender([&done] {
    for (int i = 0; i < 1000 && !done.load(); ++i) {
      struct sigaction sa
      {};
      ::sigaction(SIGUSR1, nullptr, &sa);
      if (sa.sa_handler != SIG_DFL) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ::kill(::getpid(), SIGUSR1);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  const Run r =
      run("import asyncio, signal\n"
          "async def main():\n"
          "    ev = asyncio.Event()\n"
          "    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, ev.set)\n"
          "    await ev.wait()\n"
          "    print('woken by SIGUSR1')\n"
          "asyncio.run(main())\n");
  done = true;
  sender.join();
  QVERIFY2(r.err.empty(), r.err.c_str());
  QCOMPARE(QString::fromStdString(r.out), QStringLiteral("woken by SIGUSR1\n"));
  QCOMPARE(r.result.exit_status, 0);
}

QTEST_APPLESS_MAIN(tst_Interp)
#include "tst_interp.moc"
