// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared helpers for the engine tests.
//
// QTest's QVERIFY/QCOMPARE `return` from the enclosing function, which is ill-formed inside a
// coroutine. Coroutines in these tests therefore only *record* what they observe (into a
// Probe, vectors, flags owned by the test function) and the test asserts after
// loop.run_until_complete(...) has returned. Never use a QTest macro inside a coroutine body.

#include "engine/engine.h"

#include <QString>
#include <QStringList>
#include <QTest>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::testsupport {

using namespace loopscope::engine;
using namespace std::chrono_literals;

/// Counts live instances, to prove that coroutine frames (and what they own) are destroyed.
/// Put one in a coroutine body or capture one in a callback; after the scenario
/// Counted::alive() must be 0.
struct Counted
{
  static inline int constructed = 0;
  static inline int destroyed = 0;

  Counted() noexcept { ++constructed; }
  Counted(const Counted&) noexcept { ++constructed; }
  Counted(Counted&&) noexcept { ++constructed; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) = default;
  ~Counted() { ++destroyed; }

  static int alive() noexcept { return constructed - destroyed; }
  static void reset() noexcept { constructed = destroyed = 0; }
};

/// A Loop on a VirtualClock whose events go to a VectorSink. The sink is declared first so it
/// outlives the loop (the loop flushes its last events when it is destroyed).
struct VirtualLoop
{
  VectorSink sink;
  Loop loop;

  explicit VirtualLoop(bool traced = true) : loop(std::make_unique<VirtualClock>())
  {
    if (traced)
      loop.set_sink(&sink);
  }
  VirtualClock& clock() { return static_cast<VirtualClock&>(loop.clock()); }
  /// Every event recorded so far, text payloads reassembled.
  std::vector<DecodedEvent> decoded()
  {
    loop.flush_trace();
    return TraceDecoder::decode(sink.events());
  }
};

/// Loop time in whole milliseconds / nanoseconds (qint64, so QCOMPARE sees one type).
inline qint64 nowMs(Loop& loop)
{
  return std::chrono::duration_cast<std::chrono::milliseconds>(loop.now().time_since_epoch())
      .count();
}
inline qint64 nowNs(Loop& loop)
{
  return static_cast<qint64>(to_ns(loop.now()));
}
inline qint64 ns(Duration d)
{
  return static_cast<qint64>(d.count());
}

/// The compact form of an event used to compare streams: (kind, task, time in ms).
struct EventTuple
{
  EventKind kind;
  std::uint32_t task;
  std::int64_t timeMs;
  bool operator==(const EventTuple&) const = default;
};

/// Decoded events as tuples, without SiteDefined records (their ids and positions depend on
/// which source lines ran first, which is not what a stream test is about).
inline std::vector<EventTuple> compactEvents(const std::vector<DecodedEvent>& events)
{
  std::vector<EventTuple> out;
  out.reserve(events.size());
  for (const DecodedEvent& d : events) {
    if (d.ev.kind == EventKind::SiteDefined)
      continue;
    out.push_back(EventTuple{d.ev.kind, d.ev.task, d.ev.t_ns / 1'000'000});
  }
  return out;
}

inline QString toQString(std::string_view s)
{
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// "Kind task@ms" lines: QCOMPARE on two QStringLists names the first differing index.
inline QStringList formatEvents(const std::vector<EventTuple>& events)
{
  QStringList out;
  for (const EventTuple& e : events)
    out << QStringLiteral("%1 %2@%3")
               .arg(toQString(event_kind_name(e.kind)))
               .arg(e.task)
               .arg(static_cast<qint64>(e.timeMs));
  return out;
}

/// Decoded events of one kind (e.g. every SlowStep).
inline std::vector<DecodedEvent> eventsOfKind(const std::vector<DecodedEvent>& events,
                                              EventKind kind)
{
  std::vector<DecodedEvent> out;
  for (const DecodedEvent& d : events)
    if (d.ev.kind == kind)
      out.push_back(d);
  return out;
}

/// Restores a signal's disposition at scope exit, so a failing test cannot leave a signal such
/// as SIGINT caught by a handler that writes into a destroyed loop's pipe.
struct SavedDisposition
{
  int signum;
  struct sigaction saved
  {};
  explicit SavedDisposition(int s) : signum(s) { ::sigaction(signum, nullptr, &saved); }
  ~SavedDisposition() { ::sigaction(signum, &saved, nullptr); }
  SavedDisposition(const SavedDisposition&) = delete;
  SavedDisposition& operator=(const SavedDisposition&) = delete;
};

/// Observations recorded by coroutines, asserted by the test afterwards.
///   probe.log << "step"               — an ordered trace of what happened
///   CO_CHECK(probe, x == 3)           — a coroutine-safe check; the test then calls
///                                        QVERIFY2(probe.ok(), probe.failureText())
struct Probe
{
  QStringList log;
  QStringList failures;

  Probe& operator<<(const QString& line)
  {
    log << line;
    return *this;
  }
  Probe& operator<<(const char* line)
  {
    log << QString::fromUtf8(line);
    return *this;
  }
  void check(bool ok, const char* expr, const char* file, int line)
  {
    if (!ok)
      failures << QStringLiteral("%1:%2: CO_CHECK(%3) failed").arg(file).arg(line).arg(expr);
  }
  bool ok() const { return failures.isEmpty(); }
  QByteArray failureText() const { return failures.join(QLatin1Char('\n')).toUtf8(); }
};

#define CO_CHECK(probe, cond) (probe).check(static_cast<bool>(cond), #cond, __FILE__, __LINE__)

/// The type and message of an exception_ptr, for comparisons ("std::runtime_error: boom").
inline QString describe(const std::exception_ptr& e)
{
  return toQString(describe_exception(e));
}

/// QCOMPARE for observation logs that shows both logs in full when they differ (QCOMPARE on two
/// QStringLists of different lengths only reports the sizes).
#define COMPARE_LOG(actual, expected)                       \
  QCOMPARE(QStringList(actual).join(QStringLiteral(" | ")), \
           QStringList(expected).join(QStringLiteral(" | ")))

/// Asserts (in the test function, not in a coroutine) that every coroutine check held.
#define VERIFY_PROBE(probe) QVERIFY2((probe).ok(), (probe).failureText().constData())

}  // namespace loopscope::testsupport
