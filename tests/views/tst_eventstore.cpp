// SPDX-License-Identifier: GPL-3.0-or-later
// The packed event store behind TimelineModel::events() (views/eventstore.h): every field comes
// back exactly, in any access order, and it is several times smaller than the decoded events.
#include <views/eventstore.h>

#include <QObject>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

using loopscope::engine::DecodedEvent;
using loopscope::engine::EventKind;
using loopscope::engine::TraceEvent;
using loopscope::views::EventStore;

Q_DECLARE_METATYPE(std::vector<DecodedEvent>)
Q_DECLARE_METATYPE(std::vector<std::size_t>)

namespace {

DecodedEvent make(std::uint64_t seq, std::int64_t t, EventKind kind, std::uint32_t task = 0,
                  std::uint64_t detail = 0, std::uint32_t site = 0, std::uint32_t arg = 0,
                  std::uint8_t a8 = 0, std::uint16_t flags = 0, std::string text = {})
{
  DecodedEvent e;
  e.ev = TraceEvent{seq, t, detail, task, site, arg, kind, a8, flags};
  e.text = std::move(text);
  return e;
}

bool same(const DecodedEvent& a, const DecodedEvent& b)
{
  return a.ev.seq == b.ev.seq && a.ev.t_ns == b.ev.t_ns && a.ev.detail == b.ev.detail &&
         a.ev.task == b.ev.task && a.ev.site == b.ev.site && a.ev.arg == b.ev.arg &&
         a.ev.kind == b.ev.kind && a.ev.a8 == b.ev.a8 && a.ev.flags == b.ev.flags &&
         a.text == b.text;
}

// A seeded stream with the shapes the engine writes, and extremes mixed in.
std::vector<DecodedEvent> randomStream(std::size_t n, std::uint32_t seed)
{
  std::mt19937_64 rng(seed);
  std::vector<DecodedEvent> out;
  std::uint64_t seq = 0;
  std::int64_t t = 0;
  const auto kinds = static_cast<unsigned>(EventKind::Count_);
  for (std::size_t i = 0; i < n; ++i) {
    seq += rng() % 20 == 0 ? rng() % 1000 : 1;  // gaps: dropped events
    t += static_cast<std::int64_t>(rng() % 100'000);
    const auto kind = static_cast<EventKind>(rng() % kinds);
    std::uint64_t detail = 0;
    switch (rng() % 4) {
      case 0:
        detail = static_cast<std::uint64_t>(t) + rng() % 1'000'000;  // a deadline
        break;
      case 1:
        detail = rng();  // anything, up to 2^64 - 1
        break;
      case 2:
        detail = rng() % 100;
        break;
      default:
        break;
    }
    const std::string text = rng() % 10 == 0 ? "text " + std::to_string(rng()) : std::string();
    out.push_back(make(seq, t, kind, static_cast<std::uint32_t>(rng() % 200'000), detail,
                       static_cast<std::uint32_t>(rng() % 50), static_cast<std::uint32_t>(rng()),
                       static_cast<std::uint8_t>(rng()), static_cast<std::uint16_t>(rng() % 3),
                       text));
  }
  return out;
}

}  // namespace

class tst_EventStore : public QObject
{
  Q_OBJECT

private slots:
  void eventsComeBackExactly_data();
  void eventsComeBackExactly();
  void randomAccessInAnyOrder();
  void iterationAndTextAccessors();
  void clearForgetsEverything();
  void packsSeveralTimesSmaller();
  void dropBeforeKeepsTheRestExactly_data();
  void dropBeforeKeepsTheRestExactly();
  void indexNearTimeBoundsTheCut();
};

void tst_EventStore::eventsComeBackExactly_data()
{
  QTest::addColumn<std::vector<DecodedEvent>>("events");
  constexpr auto maxU64 = std::numeric_limits<std::uint64_t>::max();
  constexpr auto maxU32 = std::numeric_limits<std::uint32_t>::max();
  constexpr auto maxI64 = std::numeric_limits<std::int64_t>::max();
  constexpr auto minI64 = std::numeric_limits<std::int64_t>::min();
  QTest::newRow("one plain event") << std::vector{make(1, 100, EventKind::StepBegin, 7)};
  QTest::newRow("all zero") << std::vector{make(0, 0, EventKind::TaskCreated)};
  QTest::newRow("every field at its maximum")
      << std::vector{make(maxU64, maxI64, EventKind::Diagnostic, maxU32, maxU64, maxU32, maxU32,
                          255, 0xffff, std::string(1000, 'x'))};
  QTest::newRow("time going backwards and negative")
      << std::vector{make(1, 1000, EventKind::StepBegin, 1), make(2, -5, EventKind::Ready, 1),
                     make(3, minI64, EventKind::Ready, 2), make(4, maxI64, EventKind::Ready, 3)};
  QTest::newRow("seq gaps and seq going backwards")
      << std::vector{make(10, 1, EventKind::StepBegin), make(5000, 2, EventKind::Ready),
                     make(3, 3, EventKind::Ready), make(maxU64, 4, EventKind::Ready),
                     make(0, 5, EventKind::Ready)};
  QTest::newRow("deadline detail relative to t, and 'never' (~0)")
      << std::vector{make(1, 1'000'000'000, EventKind::Suspended, 3, 1'000'500'000, 4, 0, 2),
                     make(2, 1'000'000'000, EventKind::TimeoutArmed, 3, maxU64, 0, 1),
                     make(3, 5, EventKind::Suspended, 3, 0, 4, 0, 2)};
  QTest::newRow("texts, empty and not, with bytes that are not UTF-8")
      << std::vector{make(1, 1, EventKind::Print, 1, 0, 0, 0, 0, 1, "hello"),
                     make(2, 2, EventKind::Print, 1, 0, 0, 0, 0, 1, ""),
                     make(3, 3, EventKind::Print, 1, 0, 0, 0, 0, 1, std::string("\xff\0z", 3))};
  QTest::newRow("several blocks") << randomStream(EventStore::kBlockEvents * 5 + 3, 1);
}

void tst_EventStore::eventsComeBackExactly()
{
  QFETCH(std::vector<DecodedEvent>, events);
  EventStore store;
  for (const DecodedEvent& e : events)
    store.push_back(e);
  QCOMPARE(store.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const DecodedEvent got = store[i];
    QVERIFY2(same(got, events[i]), qPrintable(QStringLiteral("event %1").arg(i)));
  }
  QVERIFY(same(store.back(), events.back()));
}

void tst_EventStore::randomAccessInAnyOrder()
{
  const std::vector<DecodedEvent> events = randomStream(10'000, 7);
  EventStore store;
  for (const DecodedEvent& e : events)
    store.push_back(e);
  std::mt19937 rng(3);
  for (int k = 0; k < 5000; ++k) {
    const std::size_t i = rng() % events.size();
    QVERIFY2(same(store[i], events[i]), qPrintable(QStringLiteral("event %1").arg(i)));
    // And the neighbours, which continue from the cached position (or go back).
    if (i + 1 < events.size())
      QVERIFY(same(store[i + 1], events[i + 1]));
    if (i > 0)
      QVERIFY(same(store[i - 1], events[i - 1]));
  }
  // Reads interleaved with appends, over several storage chunks: reading the newest event leaves
  // the read position at the end, where the next block may not go.
  const std::vector<DecodedEvent> many = randomStream(60'000, 9);
  EventStore growing;
  for (std::size_t i = 0; i < many.size(); ++i) {
    growing.push_back(many[i]);
    QVERIFY2(same(growing[i], many[i]), qPrintable(QStringLiteral("event %1").arg(i)));
    QVERIFY(same(growing[i / 2], many[i / 2]));
  }
  QVERIFY(growing.memoryBytes() > 3 * (std::size_t{256} << 10));  // it did span chunks
  EventStore small;
  for (std::size_t i = 0; i < 3000; ++i) {
    small.push_back(events[i]);
    QVERIFY(same(small[i], events[i]));
    QVERIFY(same(small[i / 2], events[i / 2]));
  }
}

void tst_EventStore::iterationAndTextAccessors()
{
  const std::vector<DecodedEvent> events = randomStream(1000, 11);
  EventStore store;
  for (const DecodedEvent& e : events)
    store.push_back(e);
  std::size_t i = 0;
  for (const DecodedEvent& e : store) {
    QVERIFY(same(e, events[i]));
    ++i;
  }
  QCOMPARE(i, events.size());
  for (std::size_t k = 0; k < events.size(); k += 7) {
    QCOMPARE(std::string(store.text(k)), events[k].text);
    const TraceEvent raw = store.raw(k);
    QCOMPARE(raw.seq, events[k].ev.seq);
    QCOMPARE(raw.detail, events[k].ev.detail);
    QCOMPARE(raw.kind, events[k].ev.kind);
  }
}

void tst_EventStore::clearForgetsEverything()
{
  EventStore store;
  for (const DecodedEvent& e : randomStream(500, 5))
    store.push_back(e);
  store.clear();
  QCOMPARE(store.size(), std::size_t{0});
  QVERIFY(store.empty());
  // Deltas start afresh: the first event after clear() is not relative to the old last one.
  const DecodedEvent e = make(1, 42, EventKind::StepBegin, 9);
  store.push_back(e);
  QVERIFY(same(store[0], e));
}

void tst_EventStore::packsSeveralTimesSmaller()
{
  // The engine's usual stream: steps, suspensions on sleeps, wake-ups of many tasks.
  EventStore store;
  std::uint64_t seq = 0;
  std::int64_t t = 0;
  constexpr std::size_t kRounds = 100'000;
  for (std::size_t r = 0; r < kRounds; ++r) {
    const auto task = static_cast<std::uint32_t>(r % 10'000 + 1);
    t += 700;
    store.push_back(make(++seq, t, EventKind::StepBegin, task));
    t += 1500;
    store.push_back(make(++seq, t, EventKind::Suspended, task,
                         static_cast<std::uint64_t>(t) + 3'000'000, 12, 0, 2));
    t += 50;
    store.push_back(make(++seq, t, EventKind::Ready, task));
  }
  const double perEvent =
      static_cast<double>(store.memoryBytes()) / static_cast<double>(store.size());
  // 72 bytes per DecodedEvent, 40 per TraceEvent; this stream packs to about 7.
  QVERIFY2(perEvent < 12.0, qPrintable(QString::number(perEvent)));
}

QTEST_APPLESS_MAIN(tst_EventStore)
// Retention (TimelineModel::setRetention) drops whole chunks of the oldest events: the events
// kept come back exactly, under their old indexes, with their texts; appending goes on; memory
// goes down.
void tst_EventStore::dropBeforeKeepsTheRestExactly_data()
{
  QTest::addColumn<std::vector<std::size_t>>("cuts");  // asked, in order
  QTest::newRow("inside the first block: nothing goes") << std::vector<std::size_t>{40};
  QTest::newRow("inside the first chunk: blocks go, no chunk is freed")
      << std::vector<std::size_t>{1000};
  QTest::newRow("one cut in the middle") << std::vector<std::size_t>{100'000};
  QTest::newRow("cuts growing") << std::vector<std::size_t>{50'000, 90'000, 150'000};
  QTest::newRow("a cut behind an earlier one is a no-op")
      << std::vector<std::size_t>{150'000, 60'000};
  QTest::newRow("past the end: the last block stays") << std::vector<std::size_t>{10'000'000};
}

void tst_EventStore::dropBeforeKeepsTheRestExactly()
{
  QFETCH(std::vector<std::size_t>, cuts);
  const std::vector<DecodedEvent> events = randomStream(200'000, 21);
  const std::vector<DecodedEvent> more = randomStream(5000, 22);
  EventStore store;
  for (std::size_t i = 0; i < 150'000; ++i)
    store.push_back(events[i]);
  std::size_t first = 0;
  for (const std::size_t cut : cuts) {
    const std::size_t bytes = store.memoryBytes();
    const std::size_t point = store.dropPoint(cut);
    const std::size_t got = store.dropBefore(cut);
    QCOMPARE(got, point);
    QCOMPARE(got, store.firstIndex());
    QVERIFY(got >= first);  // never back
    QVERIFY(got <= std::max(first, cut));
    QCOMPARE(got % EventStore::kBlockEvents, std::size_t{0});
    // A chunk (about 37,000 events here) is freed once all its blocks went.
    if (got > 40'000 + first)
      QVERIFY2(store.memoryBytes() < bytes, "dropping frees memory");
    QVERIFY(store.memoryBytes() <= bytes);
    first = got;
  }
  if (cuts.front() >= EventStore::kBlockEvents)
    QVERIFY(first > 0);
  QCOMPARE(store.size(), std::size_t{150'000});
  QCOMPARE(store.storedCount(), store.size() - first);
  // Events kept: exact, in any order, texts included; the iterator starts at the first kept.
  for (std::size_t i = first; i < store.size(); i += 13)
    QVERIFY2(same(store[i], events[i]), qPrintable(QStringLiteral("event %1").arg(i)));
  QVERIFY(same(store.front(), events[first]));
  std::size_t i = first;
  for (const DecodedEvent& e : store) {
    if (!same(e, events[i]))
      QFAIL(qPrintable(QStringLiteral("iterated event %1").arg(i)));
    ++i;
  }
  QCOMPARE(i, store.size());
  // Appending goes on: the new events (with texts) and the old kept ones read back.
  for (std::size_t k = 150'000; k < events.size(); ++k)
    store.push_back(events[k]);
  for (std::size_t k = first; k < events.size(); k += 7) {
    QVERIFY2(same(store[k], events[k]), qPrintable(QStringLiteral("event %1").arg(k)));
    QCOMPARE(std::string(store.text(k)), events[k].text);
  }
  // And a second round of cuts on the grown store.
  const std::size_t again = store.dropBefore(190'000);
  QVERIFY(again > first);
  for (const DecodedEvent& e : more)
    store.push_back(e);
  for (std::size_t k = again; k < events.size(); k += 3)
    QVERIFY(same(store[k], events[k]));
  for (std::size_t k = 0; k < more.size(); ++k)
    QVERIFY(same(store[events.size() + k], more[k]));
}

void tst_EventStore::indexNearTimeBoundsTheCut()
{
  // Times that grow (as the engine stamps them), with runs of equal times.
  std::vector<DecodedEvent> events;
  std::int64_t t = 0;
  for (std::uint64_t i = 0; i < 20'000; ++i) {
    t += (i % 3 == 0) ? static_cast<std::int64_t>(i % 1000) : 0;
    events.push_back(make(i + 1, t, EventKind::Ready, static_cast<std::uint32_t>(i % 17)));
  }
  EventStore store;
  QCOMPARE(store.indexNearTime(5), std::size_t{0});  // empty: size()
  for (const DecodedEvent& e : events)
    store.push_back(e);
  for (const std::int64_t when :
       {std::int64_t{-1}, std::int64_t{0}, events[777].ev.t_ns, events[12'345].ev.t_ns + 1,
        events.back().ev.t_ns, events.back().ev.t_ns + 1}) {
    const std::size_t at = store.indexNearTime(when);
    QCOMPARE(at % EventStore::kBlockEvents, std::size_t{0});
    // Everything before it is earlier than `when`...
    for (std::size_t k = 0; k < at; ++k)
      QVERIFY2(events[k].ev.t_ns < when, qPrintable(QStringLiteral("event %1").arg(k)));
    // ... and its block holds the first event at or after `when`, if any.
    const auto firstLate = std::find_if(events.begin(), events.end(),
                                        [when](const auto& e) { return e.ev.t_ns >= when; });
    if (firstLate != events.end())
      QVERIFY(static_cast<std::size_t>(firstLate - events.begin()) < at + EventStore::kBlockEvents);
  }
}

#include "tst_eventstore.moc"
