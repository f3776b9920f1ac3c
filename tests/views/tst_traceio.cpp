// SPDX-License-Identifier: GPL-3.0-or-later
// Trace JSON export and import: a run recorded on a VirtualClock is written, checked as Trace
// Event Format (what Perfetto and chrome://tracing read), read back event for event, and broken
// files are refused with a message that says what and where, leaving the current data alone.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include "../engine/testsupport.h"
#include "engine/engine.h"

#include <views/timelinemodel.h>
#include <views/traceio.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <sys/resource.h>

// ---- what operator new hands out while a read is measured ------------------------------------
// A reader that trusts a size the file declares (reserving a billion events) shows up as a peak
// far above the input. Qt's containers allocate with malloc and are not counted; everything the
// reader builds itself (the event vector, texts, keys) is. Every non-aligned form is replaced,
// so that new and delete always pair (ASan checks that they do).
namespace {
std::atomic<bool> g_measuring{false};
std::atomic<long long> g_live{0};  // net bytes since the measurement began (may go negative)
std::atomic<long long> g_peak{0};

void* countedNew(std::size_t n) noexcept
{
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p != nullptr && g_measuring.load(std::memory_order_relaxed)) {
    const long long live = g_live += static_cast<long long>(::malloc_usable_size(p));
    long long peak = g_peak.load(std::memory_order_relaxed);
    while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {
    }
  }
  return p;
}

void countedDelete(void* p) noexcept
{
  if (p != nullptr && g_measuring.load(std::memory_order_relaxed))
    g_live -= static_cast<long long>(::malloc_usable_size(p));
  std::free(p);
}

// Peak growth of operator-new memory while `f` runs.
template <class F>
std::size_t peakAllocatedDuring(F&& f)
{
  g_live = 0;
  g_peak = 0;
  g_measuring = true;
  f();
  g_measuring = false;
  return static_cast<std::size_t>(g_peak.load());
}
}  // namespace

void* operator new(std::size_t n)
{
  if (void* p = countedNew(n))
    return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n)
{
  if (void* p = countedNew(n))
    return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept
{
  return countedNew(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept
{
  return countedNew(n);
}
void operator delete(void* p) noexcept
{
  countedDelete(p);
}
void operator delete[](void* p) noexcept
{
  countedDelete(p);
}
void operator delete(void* p, std::size_t) noexcept
{
  countedDelete(p);
}
void operator delete[](void* p, std::size_t) noexcept
{
  countedDelete(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept
{
  countedDelete(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept
{
  countedDelete(p);
}

using loopscope::engine::CancelledError;
using loopscope::engine::Coro;
using loopscope::engine::DecodedEvent;
using loopscope::engine::EventKind;
using loopscope::engine::kEventHasText;
using loopscope::engine::Loop;
using loopscope::engine::ShutdownPhaseKind;
using loopscope::engine::Task;
using loopscope::engine::TimeoutError;
using loopscope::engine::TraceEvent;
using loopscope::testsupport::VirtualLoop;
using loopscope::views::readTraceJson;
using loopscope::views::TimelineModel;
using loopscope::views::writeTraceJson;
using namespace std::chrono_literals;
using namespace std::string_literals;

using Events = std::vector<DecodedEvent>;
Q_DECLARE_METATYPE(Events)

class tst_TraceIo : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();

  void traceEventsHaveTheFormatTraceViewersRead();
  void eachTaskIsANamedTrackInTreeOrder();
  void taskStatesAreCompleteSlicesWithExactTimes();
  void cancelRequestFlowsToItsCancelledError();
  void markersAreInstantsAndSignalsAreProcessWide();
  void timeoutScopesAreAsyncSlices();
  void rawSectionComesAfterTraceEvents();

  void readingBackGivesTheSameEvents_data();
  void readingBackGivesTheSameEvents();

  void brokenFilesAreRefusedAndTheModelKept_data();
  void brokenFilesAreRefusedAndTheModelKept();

  void aTraceInMemoryReadsLikeItsFile();
  void nestingUpToQtsLimitIsAccepted_data();
  void nestingUpToQtsLimitIsAccepted();
  void aTraceCutAtAnyByteIsRefusedAsTruncated();
  void memoryStaysBoundedByTheInput_data();
  void memoryStaysBoundedByTheInput();
  void aHugeSparseFileIsRefusedWithoutReadingIt();

  void writingToAMissingDirectoryFails();
  void writingToAReadOnlyDirectoryFails();
  void failedWriteLeavesTheExistingFileIntact();

private:
  QString path(const QString& name) const { return m_dir.filePath(name); }
  // The recorded run (plus a signal and a shutdown phase), written and parsed back as JSON.
  QJsonArray traceEvents() const { return m_json.object().value("traceEvents").toArray(); }
  std::optional<QJsonObject> find(const QString& ph, const QString& name, int tid = -1) const;
  int tidOf(const QString& taskName) const;

  QTemporaryDir m_dir;
  Events m_run;
  QByteArray m_file;
  QJsonDocument m_json;
};

namespace {

constexpr double kUsPerMs = 1000.0;

// main starts three tasks, cancels "victim" at 5 ms, lets "timed" time out at 20 ms, then runs
// "blocker", whose one step blocks the loop for 150 ms (a slow step), and prints.
Coro<void> sleeper()
{
  co_await loopscope::engine::sleep(10ms);
}

Coro<void> victim()
{
  co_await loopscope::engine::sleep(1s);
}

Coro<void> timed()
{
  try {
    co_await loopscope::engine::timeout(20ms).run(victim());
  } catch (const TimeoutError&) {
    Loop::running().print("timed out\n");
  }
}

Coro<void> blocker()
{
  co_await loopscope::engine::sleep(1ms);
  Loop& loop = Loop::running();
  loop.clock().advance_to(loopscope::engine::to_ns(loop.now() + 150ms));
  co_await loopscope::engine::sleep(1ms);
}

Coro<void> scenario()
{
  Task<void> a = loopscope::engine::create_task(sleeper(), "sleeper");
  Task<void> v = loopscope::engine::create_task(victim(), "victim");
  Task<void> t = loopscope::engine::create_task(timed(), "timed");
  co_await loopscope::engine::sleep(5ms);
  v.cancel("stop");
  co_await a;
  try {
    co_await v;
  } catch (const CancelledError&) {
  }
  co_await t;
  co_await loopscope::engine::create_task(blocker(), "blocker");
  Loop::running().print("done\n");
}

Events recordRun()
{
  VirtualLoop v;
  v.loop.run_until_complete(scenario(), "main");
  Events events = v.decoded();
  // A signal and a shutdown phase, as a Runner would add them.
  const TraceEvent& last = events.back().ev;
  events.push_back(DecodedEvent{
      TraceEvent{last.seq + 1, last.t_ns, 0, 0, 0, SIGINT, EventKind::SignalReceived, 0, 0}, {}});
  events.push_back(DecodedEvent{
      TraceEvent{last.seq + 2, last.t_ns, 0, 0, 0, 1, EventKind::ShutdownPhase,
                 static_cast<std::uint8_t>(ShutdownPhaseKind::Cancelling), kEventHasText},
      "cancelling 1 task"});
  return events;
}

TimelineModel modelOf(const Events& events)
{
  TimelineModel model;
  model.append(events);
  return model;
}

QByteArray readAll(const QString& path)
{
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly))
    return {};
  return f.readAll();
}

bool writeFile(const QString& path, const QByteArray& contents)
{
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(contents) == contents.size();
}

// Field-by-field comparison; the first difference is named. `a` is a model's events (any
// container whose operator[] gives a DecodedEvent) or a vector.
template <class Stored>
QString firstDifference(const Stored& a, const Events& b)
{
  if (a.size() != b.size())
    return QStringLiteral("%1 events vs %2").arg(a.size()).arg(b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const DecodedEvent stored = a[i];
    const TraceEvent& x = stored.ev;
    const TraceEvent& y = b[i].ev;
    const std::vector<std::pair<const char*, bool>> fields = {
        {"seq", x.seq == y.seq},          {"t_ns", x.t_ns == y.t_ns},
        {"detail", x.detail == y.detail}, {"task", x.task == y.task},
        {"site", x.site == y.site},       {"arg", x.arg == y.arg},
        {"kind", x.kind == y.kind},       {"a8", x.a8 == y.a8},
        {"flags", x.flags == y.flags},    {"text", stored.text == b[i].text}};
    for (const auto& [name, same] : fields)
      if (!same)
        return QStringLiteral("event %1 differs in %2").arg(i).arg(QLatin1String(name));
  }
  return {};
}

// A file with traceEvents empty and the given loopscope section members.
QByteArray sectionFile(const QByteArray& members)
{
  return "{\"traceEvents\":[],\n\"loopscope\":{" + members + "}}\n";
}

QByteArray eventsFile(const QByteArray& events)
{
  return sectionFile("\"format\":1,\"events\":[\n" + events + "]");
}

// Synthetic events with the values a careless writer or reader would mangle.
Events extremeEvents()
{
  auto ev = [](std::uint64_t seq, std::int64_t t, std::uint64_t detail, std::uint32_t task,
               std::uint32_t arg, EventKind kind, std::uint8_t a8, std::string text) {
    const auto flags = static_cast<std::uint16_t>(text.empty() ? 0 : kEventHasText);
    return DecodedEvent{TraceEvent{seq, t, detail, task, 7, arg, kind, a8, flags}, std::move(text)};
  };
  constexpr auto kMax64 = std::numeric_limits<std::uint64_t>::max();
  constexpr auto kMax32 = std::numeric_limits<std::uint32_t>::max();
  return {
      ev(0, -1500, 0, 1, 0, EventKind::TaskCreated, 1, "quote \" backslash \\ slash /"),
      ev(1, 0, kMax64, 1, 3, EventKind::TimeoutArmed, 0, {}),  // "no deadline"
      ev(2, 1, std::uint64_t{1} << 63, 1, 3, EventKind::TimeoutRescheduled, 0, {}),
      ev(5, 2, 0, 1, 0, EventKind::Print, 0, "nul \0 and controls \x01\x1f\x7f\n\t"s),
      ev(6, 3, 0, 1, 0, EventKind::Print, 0, "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\x8d"),
      ev(7, 4, 0, 1, 0, EventKind::Print, 0, "not UTF-8: \xff\xfe \xc3("),
      ev(8, 5, 0, kMax32, kMax32, EventKind::TaskRenamed, 0, "max ids"),
      ev(9, std::numeric_limits<std::int64_t>::max(), 12, 0, 2, EventKind::Text, 0, {}),
      ev(kMax64 - 1, std::numeric_limits<std::int64_t>::max(), kMax64, 0, 0,
         EventKind::ShutdownPhase, static_cast<std::uint8_t>(ShutdownPhaseKind::Awaiting), {}),
      ev(kMax64, std::numeric_limits<std::int64_t>::max(), 0, 0, 0, EventKind::Print, 0, {}),
  };
}

// Restores a resource limit and a signal disposition at scope exit.
struct FileSizeLimit
{
  rlimit saved{};
  struct sigaction savedXfsz
  {};
  explicit FileSizeLimit(rlim_t bytes)
  {
    ::getrlimit(RLIMIT_FSIZE, &saved);
    struct sigaction ignore
    {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGXFSZ, &ignore, &savedXfsz);  // EFBIG instead of death
    rlimit lower = saved;
    lower.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~FileSizeLimit()
  {
    ::setrlimit(RLIMIT_FSIZE, &saved);
    ::sigaction(SIGXFSZ, &savedXfsz, nullptr);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
};

}  // namespace

void tst_TraceIo::initTestCase()
{
  QVERIFY(m_dir.isValid());
  m_run = recordRun();
  const TimelineModel model = modelOf(m_run);
  QString error;
  QVERIFY2(writeTraceJson(model, path("run.json"), &error), qPrintable(error));
  QVERIFY(error.isEmpty());
  m_file = readAll(path("run.json"));
  QJsonParseError parse;
  m_json = QJsonDocument::fromJson(m_file, &parse);
  QCOMPARE(parse.errorString(), QStringLiteral("no error occurred"));
  QVERIFY(m_json.isObject());
}

std::optional<QJsonObject> tst_TraceIo::find(const QString& ph, const QString& name, int tid) const
{
  for (const QJsonValue& v : traceEvents()) {
    const QJsonObject e = v.toObject();
    if (e.value("ph").toString() == ph && e.value("name").toString() == name &&
        (tid < 0 || e.value("tid").toInt() == tid))
      return e;
  }
  return std::nullopt;
}

int tst_TraceIo::tidOf(const QString& taskName) const
{
  for (const QJsonValue& v : traceEvents()) {
    const QJsonObject e = v.toObject();
    if (e.value("ph").toString() == "M" && e.value("name").toString() == "thread_name" &&
        e.value("args").toObject().value("name").toString() == taskName)
      return e.value("tid").toInt();
  }
  return -1;
}

void tst_TraceIo::traceEventsHaveTheFormatTraceViewersRead()
{
  const QJsonArray events = traceEvents();
  QVERIFY(events.size() > 20);
  for (const QJsonValue& v : events) {
    const QJsonObject e = v.toObject();
    const QString ph = e.value("ph").toString();
    QVERIFY2(QStringLiteral("MXisfbe").contains(ph) && ph.size() == 1, qPrintable(ph));
    QVERIFY(e.value("ts").isDouble());
    QCOMPARE(e.value("pid").toInt(), 1);
    QVERIFY(e.value("tid").toInt() >= 1);
    QVERIFY(!e.value("name").toString().isEmpty());
    QVERIFY(!e.value("cat").toString().isEmpty());
    if (ph == "X")
      QVERIFY(e.value("dur").toDouble() >= 0);
  }
  // Perfetto's tokenizer finds "ph", "ts" and "dur" by scanning keys in order, and some versions
  // cannot parse a \u escape before the key they look for: they come first, one event per line.
  const QList<QByteArray> lines = m_file.split('\n');
  int eventLines = 0;
  static const QRegularExpression start(R"(^,?\{"ph":"[A-Za-z]","ts":-?\d+\.\d{3}[,}])");
  for (const QByteArray& line : lines) {
    if (line.startsWith("{\"ph\"") || line.startsWith(",{\"ph\"")) {
      ++eventLines;
      QVERIFY2(start.match(QString::fromUtf8(line)).hasMatch(), line.constData());
    }
  }
  QCOMPARE(eventLines, events.size());

  const auto process = find("M", "process_name");
  QVERIFY(process);
  QCOMPARE(process->value("args").toObject().value("name").toString(), QStringLiteral("loopscope"));
}

void tst_TraceIo::eachTaskIsANamedTrackInTreeOrder()
{
  QCOMPARE(tidOf("loop thread"), 1);
  const TimelineModel model = modelOf(m_run);
  QMap<int, QString> byTid;
  for (std::size_t i = 0; i < model.taskCount(); ++i) {
    const QString name = QString::fromStdString(model.taskAt(i).name);
    const int tid = tidOf(name);
    QVERIFY2(tid > 1, qPrintable(name));
    QVERIFY2(!byTid.contains(tid), "one track per task");
    byTid.insert(tid, name);
  }
  QCOMPARE(byTid.size(), 5);  // main, sleeper, victim, timed, blocker

  // thread_sort_index: the loop row first, then the tasks in tree order.
  QMap<int, QString> bySortIndex;
  for (const QJsonValue& v : traceEvents()) {
    const QJsonObject e = v.toObject();
    if (e.value("name").toString() == "thread_sort_index") {
      const int tid = e.value("tid").toInt();
      bySortIndex.insert(e.value("args").toObject().value("sort_index").toInt(),
                         tid == 1 ? QStringLiteral("loop thread") : byTid.value(tid));
    }
  }
  QCOMPARE(bySortIndex.values(),
           (QStringList{"loop thread", "main", "sleeper", "victim", "timed", "blocker"}));
  // The tracks themselves (tid) are in the same order, for viewers that sort by tid.
  QCOMPARE(byTid.values(), bySortIndex.values().mid(1));
}

void tst_TraceIo::taskStatesAreCompleteSlicesWithExactTimes()
{
  // blocker's long step: 21 ms to 171 ms (its other steps take no virtual time).
  const int blocker = tidOf("blocker");
  const TimelineModel model = modelOf(m_run);
  std::uint32_t blockerId = 0;
  for (std::size_t i = 0; i < model.taskCount(); ++i)
    if (model.taskAt(i).name == "blocker")
      blockerId = model.taskAt(i).id;
  QStringList running;
  for (const QJsonValue& v : traceEvents()) {
    const QJsonObject e = v.toObject();
    if (e.value("ph").toString() == "X" && e.value("tid").toInt() == blocker &&
        e.value("name").toString() == "running") {
      running
          << QStringLiteral("%1+%2").arg(e.value("ts").toDouble()).arg(e.value("dur").toDouble());
      QCOMPARE(e.value("args").toObject().value("task").toInt(), static_cast<int>(blockerId));
    }
  }
  QCOMPARE(running, (QStringList{"20000+0", "21000+150000", "172000+0"}));

  // sleeper waits from 0 to 10 ms in sleep(), at a site in this file.
  const auto suspended = find("X", "suspended", tidOf("sleeper"));
  QVERIFY(suspended);
  QCOMPARE(suspended->value("ts").toDouble(), 0.0);
  QCOMPARE(suspended->value("dur").toDouble(), 10 * kUsPerMs);
  const QJsonObject args = suspended->value("args").toObject();
  QCOMPARE(args.value("await").toString(), QStringLiteral("sleep"));
  QVERIFY2(args.value("site").toString().startsWith("tst_traceio.cpp:"),
           qPrintable(args.value("site").toString()));
  QCOMPARE(args.value("function").toString(), QStringLiteral("sleeper()"));
  QCOMPARE(args.value("awaiting").toString(), QStringLiteral("sleep until 0.010 s"));

  // The loop row: the same long step, flagged slow.
  const auto step = find("X", "blocker", 1);
  QVERIFY(step);
  bool slowStepFound = false;
  for (const QJsonValue& v : traceEvents()) {
    const QJsonObject e = v.toObject();
    if (e.value("tid").toInt() == 1 && e.value("name").toString() == "blocker" &&
        e.value("args").toObject().value("slow").toBool()) {
      QCOMPARE(e.value("ts").toDouble(), 21 * kUsPerMs);
      QCOMPARE(e.value("dur").toDouble(), 150 * kUsPerMs);
      slowStepFound = true;
    }
  }
  QVERIFY(slowStepFound);
}

void tst_TraceIo::cancelRequestFlowsToItsCancelledError()
{
  // Two cancellations: main cancels victim at 5 ms, and timed's timeout cancels timed at 20 ms.
  // Each is one s/f pair with its own id. (main's CancelledError from awaiting the cancelled
  // victim has no request of its own: no flow.)
  const QJsonArray events = traceEvents();
  QMap<qint64, QList<QJsonObject>> flows;
  for (qsizetype i = 0; i < events.size(); ++i) {
    const QJsonObject e = events[i].toObject();
    const QString ph = e.value("ph").toString();
    if (ph != "s" && ph != "f")
      continue;
    QCOMPARE(e.value("cat").toString(), QStringLiteral("cancel"));
    QCOMPARE(e.value("name").toString(), QStringLiteral("cancel"));
    flows[e.value("id").toInteger()].append(e);
    // Written right after the target's instant, at the same time; the end is on the target's
    // track, the start on the requester's (below).
    const QJsonObject before = events[i - 1].toObject();
    QCOMPARE(before.value("ph").toString(), QStringLiteral("i"));
    QCOMPARE(before.value("name").toString(), ph == "s"
                                                  ? QStringLiteral("cancel requested")
                                                  : QStringLiteral("CancelledError delivered"));
    if (ph == "f")
      QCOMPARE(before.value("tid").toInt(), e.value("tid").toInt());
    QCOMPARE(before.value("ts").toDouble(), e.value("ts").toDouble());
  }
  QCOMPARE(flows.size(), 2);
  for (const QList<QJsonObject>& pair : flows) {
    QCOMPARE(pair.size(), 2);
    QCOMPARE(pair[0].value("ph").toString(), QStringLiteral("s"));
    QCOMPARE(pair[1].value("ph").toString(), QStringLiteral("f"));
    QCOMPARE(pair[1].value("bp").toString(), QStringLiteral("e"));
  }
  // main's cancel(): from main's track to victim's.
  const int victim = tidOf("victim");
  const QList<QJsonObject> first = flows.first();
  QCOMPARE(first[0].value("tid").toInt(), tidOf("main"));
  QCOMPARE(first[1].value("tid").toInt(), victim);
  QCOMPARE(first[0].value("ts").toDouble(), 5 * kUsPerMs);
  QCOMPARE(first[1].value("ts").toDouble(), 5 * kUsPerMs);
  const auto request = find("i", "cancel requested", victim);
  QVERIFY(request);
  QCOMPARE(request->value("args").toObject().value("by").toString(), QStringLiteral("main"));
  QCOMPARE(request->value("args").toObject().value("message").toString(), QStringLiteral("stop"));
  QCOMPARE(flows.last()[0].value("ts").toDouble(), 20 * kUsPerMs);
  // The timeout's cancel comes from outside any task (a timer callback): the loop's track.
  QCOMPARE(flows.last()[0].value("tid").toInt(), 1);
  QCOMPARE(flows.last()[1].value("tid").toInt(), tidOf("timed"));
}

void tst_TraceIo::markersAreInstantsAndSignalsAreProcessWide()
{
  const auto fired = find("i", "timeout fired");
  QVERIFY(fired);
  QCOMPARE(fired->value("s").toString(), QStringLiteral("t"));
  QCOMPARE(fired->value("ts").toDouble(), 20 * kUsPerMs);

  const auto slow = find("i", "slow step", tidOf("blocker"));
  QVERIFY(slow);
  QCOMPARE(slow->value("args").toObject().value("message").toString(),
           QStringLiteral("Executing blocker took 0.150 seconds"));

  const auto print = find("i", "print", tidOf("main"));
  QVERIFY(print);
  QCOMPARE(print->value("args").toObject().value("text").toString(), QStringLiteral("done\n"));

  const auto signal = find("i", "signal SIGINT");
  QVERIFY(signal);
  QCOMPARE(signal->value("s").toString(), QStringLiteral("p"));
  const auto shutdown = find("i", "shutdown: cancelling 1 task");
  QVERIFY(shutdown);
  QCOMPARE(shutdown->value("s").toString(), QStringLiteral("p"));
  QCOMPARE(shutdown->value("args").toObject().value("count").toInt(), 1);
}

void tst_TraceIo::timeoutScopesAreAsyncSlices()
{
  const auto begin = find("b", "timeout");
  const auto end = find("e", "timeout");
  QVERIFY(begin && end);
  QCOMPARE(begin->value("cat").toString(), QStringLiteral("timeout"));
  QCOMPARE(begin->value("id").toString(), end->value("id").toString());
  QCOMPARE(begin->value("tid").toInt(), tidOf("timed"));
  QCOMPARE(begin->value("ts").toDouble(), 0.0);
  QCOMPARE(end->value("ts").toDouble(), 20 * kUsPerMs);
  QCOMPARE(begin->value("args").toObject().value("deadline").toString(), QStringLiteral("0.020 s"));
  QCOMPARE(end->value("args").toObject().value("outcome").toString(),
           QStringLiteral("expired: TimeoutError"));
}

void tst_TraceIo::rawSectionComesAfterTraceEvents()
{
  // Perfetto skips unknown top-level keys (older versions stop reading at the first one), so
  // the section must follow traceEvents.
  const qsizetype events = m_file.indexOf("\"traceEvents\"");
  const qsizetype section = m_file.indexOf("\"loopscope\":{");
  QCOMPARE(events, 1);
  QVERIFY(section > events);
  QVERIFY(!m_json.object().contains("metadata"));
  const QJsonObject raw = m_json.object().value("loopscope").toObject();
  QCOMPARE(raw.value("format").toInt(), 1);
  QCOMPARE(raw.value("eventCount").toInteger(), static_cast<qint64>(m_run.size()));
  QCOMPARE(raw.value("events").toArray().size(), static_cast<qsizetype>(m_run.size()));
  QCOMPARE(raw.value("events").toArray().first().toArray().size(), 10);
}

void tst_TraceIo::readingBackGivesTheSameEvents_data()
{
  QTest::addColumn<Events>("events");
  QTest::newRow("recorded run with a cancel, a timeout and a slow step") << m_run;
  QTest::newRow("extreme ids, times, details and texts (NUL, controls, non-UTF-8)")
      << extremeEvents();
  QTest::newRow("no events at all") << Events{};
}

void tst_TraceIo::readingBackGivesTheSameEvents()
{
  QFETCH(Events, events);
  const TimelineModel written = modelOf(events);
  QString error;
  QVERIFY2(writeTraceJson(written, path("roundtrip.json"), &error), qPrintable(error));

  // Into a model that holds something else: it is replaced.
  TimelineModel read = modelOf(extremeEvents());
  QVERIFY2(readTraceJson(path("roundtrip.json"), read, &error), qPrintable(error));
  QCOMPARE(firstDifference(read.events(), events), QString());
  QCOMPARE(read.taskCount(), written.taskCount());
  for (std::size_t i = 0; i < written.taskCount(); ++i)
    QCOMPARE(read.taskAt(i).name, written.taskAt(i).name);
  QCOMPARE(read.endTime(), written.endTime());
  QCOMPARE(read.cancels().size(), written.cancels().size());

  // Whatever JSON parser reads it sees the same (valid JSON, right count).
  QJsonParseError parse;
  const QJsonDocument doc = QJsonDocument::fromJson(readAll(path("roundtrip.json")), &parse);
  QCOMPARE(parse.error, QJsonParseError::NoError);
  QCOMPARE(doc.object().value("loopscope").toObject().value("events").toArray().size(),
           static_cast<qsizetype>(events.size()));
}

void tst_TraceIo::brokenFilesAreRefusedAndTheModelKept_data()
{
  QTest::addColumn<QByteArray>("contents");   // null: the file does not exist
  QTest::addColumn<QStringList>("expected");  // each must appear in the message

  const QByteArray valid = readAll(path("run.json"));
  QVERIFY(!valid.isEmpty());
  const QByteArray event = R"([0,0,0,1,0,0,2,0,0,""])";

  QTest::newRow("missing file") << QByteArray()
                                << QStringList{"Cannot read", "broken.json",
                                               "No such file or directory"};
  QTest::newRow("empty file") << QByteArray("") << QStringList{"broken.json: the file is empty"};
  QTest::newRow("only whitespace") << QByteArray(" \n\t\n") << QStringList{"the file is empty"};
  QTest::newRow("truncated JSON: line and column, and a hint")
      << valid.left(valid.size() * 2 / 3)
      << QStringList{"broken.json:", "(the file ends here: truncated?)"};
  QTest::newRow("not JSON at all")
      << QByteArray("hello") << QStringList{"broken.json:1:", "illegal value"};
  QTest::newRow("syntax error on line 2")
      << QByteArray("{\"traceEvents\":[\n  {\"ph\" \"X\"}]}")
      << QStringList{"broken.json:2:", "missing name separator"};
  QTest::newRow("garbage after the document")
      << valid + "x" << QStringList{"garbage at the end of the document"};
  QTest::newRow("invalid UTF-8 in a string")
      << QByteArray("{\"traceEvents\":[{\"name\":\"\xff\"}]}")
      << QStringList{"broken.json:1:", "invalid UTF8 string"};
  QTest::newRow("valid trace from another tool (no loopscope section)")
      << QByteArray(R"({"traceEvents":[{"ph":"X","ts":1,"dur":2,"pid":1,"tid":1,"name":"x"}]})")
      << QStringList{
             "broken.json: not a loopscope trace (no \"loopscope\" section): exported "
             "by another tool?"};
  QTest::newRow("JSON Array Format trace")
      << QByteArray(R"([{"ph":"i","ts":1,"pid":1,"tid":1,"name":"x"}])")
      << QStringList{"not a loopscope trace"};
  QTest::newRow("section is not an object")
      << QByteArray(R"({"traceEvents":[],"loopscope":[]})")
      << QStringList{"broken.json:1:31: the \"loopscope\" section is not an object"};
  QTest::newRow("format from the future")
      << sectionFile(R"("format":2,"events":[])")
      << QStringList{"trace format 2 is not supported: this loopscope reads format 1"};
  QTest::newRow("no format") << sectionFile(R"("events":[])") << QStringList{"has no \"format\""};
  QTest::newRow("unknown kind, with its line and column")
      << eventsFile("[0,0,0,0,0,0,250,0,0,\"\"]")
      << QStringList{"broken.json:3:14: event 0: unknown kind 250"};
  QTest::newRow("unknown kind in the third event")
      << eventsFile(event + ",\n[1,0,0,1,0,0,2,0,0,\"\"],\n[2,0,0,1,0,0,29,0,0,\"\"]")
      << QStringList{"broken.json:5:14: event 2: unknown kind 29"};
  QTest::newRow("wrong array length: 9 fields")
      << eventsFile("[0,0,0,1,0,0,2,0,0]")
      << QStringList{"broken.json:3:1: event 0: has 9 fields, expected 10"};
  QTest::newRow("wrong array length: 11 fields")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,"",1])")
      << QStringList{"event 0: has 11 fields, expected 10"};
  QTest::newRow("event is not an array")
      << eventsFile(R"({"seq":0})") << QStringList{"event 0: not an array"};
  QTest::newRow("seq repeated") << eventsFile(event + ",\n" + event)
                                << QStringList{
                                       "broken.json:4:2: event 1: seq 0 does not follow seq 0"};
  QTest::newRow("seq going backwards")
      << eventsFile(R"([7,0,0,1,0,0,2,0,0,""],[3,0,0,1,0,0,2,0,0,""])")
      << QStringList{"event 1: seq 3 does not follow seq 7"};
  QTest::newRow("field of the wrong type") << eventsFile(R"([0,0,0,1,0,0,"Ready",0,0,""])")
                                           << QStringList{"event 0: kind is not a number"};
  QTest::newRow("fractional time") << eventsFile(R"([0,1.5,0,1,0,0,2,0,0,""])")
                                   << QStringList{"event 0: t_ns is not an integer"};
  QTest::newRow("task id above 32 bits") << eventsFile(R"([0,0,0,4294967296,0,0,2,0,0,""])")
                                         << QStringList{"event 0: task 4294967296 is out of range"};
  QTest::newRow("negative seq") << eventsFile(R"([-1,0,0,1,0,0,2,0,0,""])")
                                << QStringList{"event 0: seq -1 is out of range"};
  QTest::newRow("enum payload out of range (TaskDone outcome 7)")
      << eventsFile(R"([0,0,0,1,0,0,5,7,0,""])")
      << QStringList{"event 0: a8 (TaskOutcome) 7 is out of range for TaskDone (0..2)"};
  QTest::newRow("unknown flag bits")
      << eventsFile(R"([0,0,0,1,0,0,2,0,6,""])") << QStringList{"event 0: flags 0x6"};
  QTest::newRow("text of the wrong type")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,42])") << QStringList{"event 0: text is not a string"};
  QTest::newRow("text that is not base64") << eventsFile(R"([0,0,0,1,0,0,2,0,0,{"base64":"!!"}])")
                                           << QStringList{"event 0: text is not valid base64"};
  QTest::newRow("fewer events than announced")
      << sectionFile("\"format\":1,\"eventCount\":3,\"events\":[" + event + "]")
      << QStringList{"announces 3 events but holds 1"};

  // Malicious or damaged beyond a cut: each must end in a message, never a crash or a hang.
  QTest::newRow("nesting bomb: 100000 arrays in traceEvents, never closed")
      << "{\"traceEvents\":" + QByteArray(100000, '[')
      << QStringList{"broken.json:1:1039: more than 1024 nested arrays and objects"};
  QTest::newRow("nesting bomb: 2000 arrays, all closed")
      << "{\"traceEvents\":" + QByteArray(2000, '[') + QByteArray(2000, ']') + "}"
      << QStringList{"broken.json:1:1039: more than 1024 nested arrays and objects"};
  QTest::newRow("nesting bomb at the top level")
      << QByteArray(100000, '[') << QStringList{"broken.json:1:1025: more than 1024 nested"};
  QTest::newRow("nesting bomb of objects")
      << "{\"traceEvents\":[],\"x\":" + QByteArray("{\"x\":").repeated(5000)
      << QStringList{"broken.json:1:", "more than 1024 nested arrays and objects"};
  QTest::newRow("nesting bomb in the section")
      << sectionFile("\"format\":1,\"extra\":" + QByteArray(3000, '[') + ",\"events\":[]")
      << QStringList{"broken.json:2:1055: more than 1024 nested"};
  QTest::newRow("nesting bomb in an event's text object")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,{"x":)" + QByteArray(3000, '['))
      << QStringList{"broken.json:3:", "more than 1024 nested"};
  QTest::newRow("eventCount of a billion (1 GiB) with one event")
      << sectionFile("\"format\":1,\"eventCount\":1073741824,\"events\":[" + event + "]")
      << QStringList{"broken.json:2:58: the section announces 1073741824 events but holds 1"};
  QTest::newRow("eventCount of 2^64 - 1 with no events")
      << sectionFile(R"("format":1,"eventCount":18446744073709551615,"events":[])")
      << QStringList{"announces 18446744073709551615 events but holds 0"};
  QTest::newRow("eventCount above 64 bits")
      << sectionFile(R"("format":1,"eventCount":99999999999999999999999,"events":[])")
      << QStringList{"broken.json:2:38: eventCount is not a count"};
  QTest::newRow("negative eventCount") << sectionFile(R"("format":1,"eventCount":-1,"events":[])")
                                       << QStringList{"eventCount is not a count"};
  QTest::newRow("eventCount with a huge exponent")
      << sectionFile(R"("format":1,"eventCount":1e999999999,"events":[])")
      << QStringList{"eventCount is not a count"};
  QTest::newRow("format of 10000 digits: quoted in part")
      << sectionFile("\"format\":" + QByteArray(10000, '7') + ",\"events\":[]")
      << QStringList{
             "trace format 777777777777777777777777... (10000 characters) is not "
             "supported"};
  QTest::newRow("seq of 5000 digits")
      << eventsFile("[" + QByteArray(5000, '9') + R"(,0,0,1,0,0,2,0,0,""])")
      << QStringList{"broken.json:3:2: event 0: seq (too large) is out of range"};
  QTest::newRow("time below -2^63")
      << eventsFile(R"([0,-9223372036854775809,0,1,0,0,2,0,0,""])")
      << QStringList{"event 0: t_ns -9223372036854775809 is out of range"};
  QTest::newRow("kind with a huge exponent") << eventsFile(R"([0,0,0,1,0,0,2e999999,0,0,""])")
                                             << QStringList{"event 0: kind is not an integer"};
  QTest::newRow("number cut at the exponent")
      << eventsFile(R"([0,0,0,1,0,0,2e,0,0,""])") << QStringList{"broken.json:3:", "number"};
  QTest::newRow("overlong UTF-8 (C0 AF for '/') in a text")
      << eventsFile("[0,0,0,1,0,0,2,0,0,\"\xc0\xaf\"]")
      << QStringList{"broken.json:3:", "invalid UTF8 string"};
  QTest::newRow("a UTF-16 surrogate encoded in UTF-8 (ED A0 80)")
      << eventsFile("[0,0,0,1,0,0,2,0,0,\"\xed\xa0\x80\"]") << QStringList{"invalid UTF8 string"};
  QTest::newRow("a code point above U+10FFFF (F4 90 80 80)")
      << eventsFile("[0,0,0,1,0,0,2,0,0,\"\xf4\x90\x80\x80\"]")
      << QStringList{"invalid UTF8 string"};
  QTest::newRow("a UTF-8 sequence cut by the closing quote")
      << eventsFile("[0,0,0,1,0,0,2,0,0,\"\xe2\x82\"]") << QStringList{"invalid UTF8 string"};
  QTest::newRow("invalid UTF-8 in a key") << QByteArray(
                                                 "{\"trace\xff"
                                                 "Events\":[]}")
                                          << QStringList{"broken.json:1:", "invalid UTF8"};
  QTest::newRow("an unpaired surrogate escape in a text")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,"a\ud800b"])")
      << QStringList{"broken.json:3:20: event 0: text has an unpaired UTF-16 surrogate escape"};
  QTest::newRow("a truncated \\u escape")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,"\u12"])") << QStringList{"invalid escape sequence"};
  QTest::newRow("base64 with a character outside the alphabet")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,{"base64":"QUJD*"}])")
      << QStringList{"broken.json:3:20: event 0: text is not valid base64"};
  QTest::newRow("base64 with padding in the middle")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,{"base64":"QQ==QUJD"}])")
      << QStringList{"event 0: text is not valid base64"};
  QTest::newRow("base64 that is not a string")
      << eventsFile(R"([0,0,0,1,0,0,2,0,0,{"base64":12}])")
      << QStringList{"event 0: text object has no \"base64\" string"};
  QTest::newRow("a NUL byte where a value belongs")
      << QByteArray("{\"traceEvents\":\0[]}", 19) << QStringList{"broken.json:1:16: illegal"};
  QTest::newRow("a second loopscope section")
      << valid.left(valid.lastIndexOf('}')) + ",\"loopscope\":{}}"
      << QStringList{"a second \"loopscope\" section"};
  QTest::newRow("a second events array")
      << sectionFile(R"("format":1,"events":[],"events":[])")
      << QStringList{"broken.json:2:46: a second \"events\" array"};
}

void tst_TraceIo::brokenFilesAreRefusedAndTheModelKept()
{
  QFETCH(QByteArray, contents);
  QFETCH(QStringList, expected);

  const QString file = path("broken.json");
  QFile::remove(file);
  if (!contents.isNull())
    QVERIFY(writeFile(file, contents));

  TimelineModel model = modelOf(m_run);
  const std::uint64_t revision = model.revision();
  QString error;
  QVERIFY(!readTraceJson(file, model, &error));
  for (const QString& words : expected)
    QVERIFY2(error.contains(words),
             qPrintable(QStringLiteral("'%1' not in: %2").arg(words, error)));
  QVERIFY2(error.contains(QDir::tempPath()) || error.contains(m_dir.path()), qPrintable(error));

  // The same bytes from memory: the same message.
  if (!contents.isNull()) {
    QString fromMemory;
    QVERIFY(!readTraceJson(QByteArrayView(contents), file, model, &fromMemory));
    QCOMPARE(fromMemory, error);
  }

  // Untouched: never lose the data on screen.
  QCOMPARE(model.revision(), revision);
  QCOMPARE(firstDifference(model.events(), m_run), QString());
  QCOMPARE(model.taskCount(), modelOf(m_run).taskCount());

  // No error text is required: a null `error` is fine.
  QVERIFY(!readTraceJson(file, model, nullptr));
}

void tst_TraceIo::aTraceInMemoryReadsLikeItsFile()
{
  TimelineModel model = modelOf(extremeEvents());
  QString error;
  QVERIFY2(readTraceJson(QByteArrayView(m_file), QStringLiteral("download"), model, &error),
           qPrintable(error));
  QCOMPARE(firstDifference(model.events(), m_run), QString());

  // Messages start with the name given.
  QByteArray cut = m_file.left(100);
  QVERIFY(!readTraceJson(QByteArrayView(cut), QStringLiteral("download"), model, &error));
  QVERIFY2(QRegularExpression(QStringLiteral("^download:\\d+:\\d+: .* \\(the file ends here: "
                                             "truncated\\?\\)$"))
               .match(error)
               .hasMatch(),
           qPrintable(error));
  QCOMPARE(firstDifference(model.events(), m_run), QString());

  // The bytes need not outlive the call: the model owns what it read.
  {
    QByteArray copy = m_file;
    QVERIFY(readTraceJson(QByteArrayView(copy), QStringLiteral("copy"), model, &error));
    copy.fill('x');
  }
  QCOMPARE(firstDifference(model.events(), m_run), QString());
}

void tst_TraceIo::nestingUpToQtsLimitIsAccepted_data()
{
  QTest::addColumn<int>("depth");  // of the deepest array, the top-level object being 1
  QTest::addColumn<bool>("accepted");
  QTest::newRow("1024 levels, as deep as QJsonDocument reads") << 1024 << true;
  QTest::newRow("1025 levels") << 1025 << false;
}

void tst_TraceIo::nestingUpToQtsLimitIsAccepted()
{
  QFETCH(int, depth);
  QFETCH(bool, accepted);
  // A deeply nested value in traceEvents (which loopscope skips) beside a valid section.
  const QByteArray nested = QByteArray(depth - 1, '[') + QByteArray(depth - 1, ']');
  const QByteArray contents = "{\"traceEvents\":" + nested + ",\"loopscope\":{\"format\":1," +
                              "\"events\":[[0,0,0,1,0,0,2,0,0,\"\"]]}}";
  QJsonParseError parse;
  (void)QJsonDocument::fromJson(contents, &parse);
  QCOMPARE(parse.error == QJsonParseError::NoError, accepted);  // the same limit as Qt's

  TimelineModel model;
  QString error;
  QCOMPARE(readTraceJson(QByteArrayView(contents), QStringLiteral("deep.json"), model, &error),
           accepted);
  if (accepted) {
    QCOMPARE(model.events().size(), std::size_t{1});
  } else {
    QCOMPARE(error, QStringLiteral("deep.json:1:1039: more than 1024 nested arrays and objects "
                                   "(not a trace: a nesting bomb?)"));
    QVERIFY(model.events().empty());
  }
}

void tst_TraceIo::aTraceCutAtAnyByteIsRefusedAsTruncated()
{
  // Every proper prefix of a trace with every kind of field (escapes, base64, extremes): a
  // message naming the place and calling it a cut, and the model as it was.
  const TimelineModel written = modelOf(extremeEvents());
  QString error;
  QVERIFY2(writeTraceJson(written, path("extreme.json"), &error), qPrintable(error));
  const QByteArray whole = readAll(path("extreme.json"));
  const qsizetype end = whole.lastIndexOf('}') + 1;  // the document's last byte
  QVERIFY(end > 1000);

  TimelineModel model = modelOf(m_run);
  const std::uint64_t revision = model.revision();
  const QRegularExpression located(
      QStringLiteral("^cut\\.json:\\d+:\\d+: .+ \\(the file ends "
                     "here: truncated\\?\\)$"));
  for (qsizetype length = 0; length < end; ++length) {
    const QByteArrayView cut(whole.constData(), length);
    if (readTraceJson(cut, QStringLiteral("cut.json"), model, &error))
      QFAIL(qPrintable(QStringLiteral("a cut after %1 bytes was read").arg(length)));
    const bool expected = length == 0 ? error == QStringLiteral("cut.json: the file is empty")
                                      : located.match(error).hasMatch();
    if (!expected)
      QFAIL(qPrintable(QStringLiteral("cut after %1 bytes: %2").arg(length).arg(error)));
  }
  QCOMPARE(model.revision(), revision);
  QCOMPARE(firstDifference(model.events(), m_run), QString());

  // The whole document reads.
  QVERIFY2(readTraceJson(QByteArrayView(whole.constData(), end), QStringLiteral("cut.json"), model,
                         &error),
           qPrintable(error));
  QCOMPARE(firstDifference(model.events(), extremeEvents()), QString());
}

void tst_TraceIo::memoryStaysBoundedByTheInput_data()
{
  QTest::addColumn<QByteArray>("contents");
  QTest::addColumn<bool>("valid");

  QByteArray events;
  for (int i = 0; i < 3000; ++i)
    events += QByteArray(i == 0 ? "" : ",") + "[" + QByteArray::number(i) +
              R"(,0,0,1,0,0,2,0,0,"")" + "]";
  const auto section = [](const QByteArray& members) {
    return "{\"traceEvents\":[],\"loopscope\":{" + members + "}}";
  };

  QTest::newRow("the recorded run") << m_file << true;
  QTest::newRow("eventCount of a billion, one event")
      << section(R"("format":1,"eventCount":1000000000,"events":[[0,0,0,1,0,0,2,0,0,""]])")
      << false;
  QTest::newRow("eventCount of 2^64 - 1, 3000 events")
      << section(R"("format":1,"eventCount":18446744073709551615,"events":[)" + events + "]")
      << false;
  QTest::newRow("eventCount of a billion, then a long array that is not events")
      << section(R"("format":1,"eventCount":1000000000,"events":[)" +
                 QByteArray("0,").repeated(100000) + "0]")
      << false;
  QTest::newRow("3000 events, the last one broken")
      << section(R"("format":1,"events":[)" + events + R"(,[9999,0,0,1,0,0,250,0,0,""]])") << false;
  QTest::newRow("eventCount as large as the file's bytes: more than it can hold")
      << section(R"("format":1,"eventCount":200000,"events":[)" +
                 QByteArray("0,").repeated(100000) + "0]")
      << false;
  QTest::newRow("a nesting bomb of a million arrays") << QByteArray(1000000, '[') << false;
  QTest::newRow("a 1 MB text, then a broken field")
      << section(R"("format":1,"events":[[0,0,0,1,0,0,2,0,0,")" + QByteArray(1 << 20, 'a') +
                 R"("],[1,0,0,1,0,0,2,0,"x",""]])")
      << false;
  QTest::newRow("a 1 MB key") << "{\"" + QByteArray(1 << 20, 'k') + "\":1}" << false;
}

void tst_TraceIo::memoryStaysBoundedByTheInput()
{
  QFETCH(QByteArray, contents);
  QFETCH(bool, valid);
  TimelineModel model;
  QString error;
  bool read = false;
  const std::size_t peak = peakAllocatedDuring([&] {
    read = readTraceJson(QByteArrayView(contents), QStringLiteral("m.json"), model, &error);
  });
  QVERIFY2(read == valid, qPrintable(error));
  // A decoded event takes ~3 times its shortest JSON, and a growing vector briefly holds two
  // copies; the constant covers the model's and the messages' small allocations.
  const std::size_t bound = 16 * static_cast<std::size_t>(contents.size()) + (std::size_t{1} << 20);
  QVERIFY2(peak <= bound, qPrintable(QStringLiteral("%1 bytes allocated for %2 bytes of input")
                                         .arg(peak)
                                         .arg(contents.size())));
}

void tst_TraceIo::aHugeSparseFileIsRefusedWithoutReadingIt()
{
  // A file that declares 1 GiB (sparse: its blocks are never written) after a valid start.
  // It is mapped, not read into memory, and refused at the first NUL byte.
  const QString file = path("huge.json");
  {
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(f.write("{\"traceEvents\":[") == 16);
    QVERIFY(f.resize(qint64{1} << 30));
  }
  TimelineModel model = modelOf(m_run);
  QString error;
  bool read = true;
  const std::size_t peak = peakAllocatedDuring([&] { read = readTraceJson(file, model, &error); });
  QVERIFY(!read);
  QCOMPARE(error, QStringLiteral("%1:1:17: illegal value").arg(file));
  QVERIFY2(peak < (std::size_t{1} << 20), qPrintable(QString::number(peak)));
  QCOMPARE(firstDifference(model.events(), m_run), QString());
  QFile::remove(file);
}

void tst_TraceIo::writingToAMissingDirectoryFails()
{
  const QString target = path("no-such-dir/run.json");
  QString error;
  QVERIFY(!writeTraceJson(modelOf(m_run), target, &error));
  QCOMPARE(error, QStringLiteral("Cannot write %1: No such file or directory").arg(target));
  QVERIFY(!QFile::exists(target));
}

void tst_TraceIo::writingToAReadOnlyDirectoryFails()
{
  if (::geteuid() == 0)
    QSKIP("running as root: permissions do not stop root from writing");
  // The file itself is writable, but the temporary file cannot be made next to it: the write
  // fails as a whole rather than overwriting in place.
  const QString dir = path("read-only");
  QVERIFY(QDir().mkpath(dir));
  const QString target = dir + "/run.json";
  const QByteArray precious = "{\"previous\": \"trace\"}\n";
  QVERIFY(writeFile(target, precious));
  QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
  QString error;
  const bool written = writeTraceJson(modelOf(m_run), target, &error);
  QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  QVERIFY(!written);
  QCOMPARE(error, QStringLiteral("Cannot write %1: Permission denied").arg(target));
  QCOMPARE(readAll(target), precious);
}

void tst_TraceIo::failedWriteLeavesTheExistingFileIntact()
{
  // The disk fills up halfway (here: the process may write no file beyond 4 KiB, which works
  // for root too): the existing trace must survive and no temporary file may be left behind.
  const QString target = path("keep.json");
  const QByteArray precious = "{\"previous\": \"trace\"}\n";
  QVERIFY(writeFile(target, precious));
  const QStringList before = QDir(m_dir.path()).entryList(QDir::Files);

  QString error;
  bool written = true;
  {
    const FileSizeLimit limit(4096);
    written = writeTraceJson(modelOf(m_run), target, &error);
  }
  QVERIFY(!written);
  QCOMPARE(error, QStringLiteral("Cannot write %1: File too large").arg(target));
  QCOMPARE(readAll(target), precious);
  QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), before);
}

QTEST_GUILESS_MAIN(tst_TraceIo)
#include "tst_traceio.moc"
