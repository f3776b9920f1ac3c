// SPDX-License-Identifier: GPL-3.0-or-later
// The interpreter end to end on the virtual clock: scripts run through script::run_script with
// their output captured, so async semantics are checked deterministically (no real sleeps), and
// the engine events they produce carry the script's own file and lines as await sites.

#include "engine/event.h"
#include "engine/script/scriptrunner.h"
#include "engine/sink.h"

#include <QRegularExpression>
#include <QTest>

#include <string>

using namespace loopscope;

namespace {

struct Run
{
  std::string out;
  std::string err;
  script::ScriptResult result;
};

Run run(const std::string& source, engine::EventSink* sink = nullptr,
        std::optional<double> grace = std::nullopt)
{
  Run r;
  script::ScriptOptions opt;
  opt.virtual_time = true;
  opt.sink = sink;
  opt.grace_seconds = grace;
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

}  // namespace

class tst_Interp : public QObject
{
  Q_OBJECT

private slots:
  void output_data();
  void output();
  void exitStatus_data();
  void exitStatus();
  void tracebackLines_data();
  void tracebackLines();
  void syntaxErrorNamesLineAndColumn();
  void awaitSitesAreScriptLines();
  void swallowedCancelHoldsShutdownUntilGrace();
  void virtualTimeRunsAnHourInstantly();
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

QTEST_APPLESS_MAIN(tst_Interp)
#include "tst_interp.moc"
