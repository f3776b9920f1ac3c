// SPDX-License-Identifier: GPL-3.0-or-later
// A task's packed spans (views/spanlist.h): every span comes back exactly with its end, range
// queries agree with a plain vector's binary searches, reads may interleave with appends.
#include <views/spanlist.h>

#include <QObject>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using loopscope::engine::AwaitKind;
using loopscope::views::kOpenEnd;
using loopscope::views::SpanList;
using loopscope::views::StateSpan;
using loopscope::views::TaskState;

Q_DECLARE_METATYPE(std::vector<StateSpan>)

namespace {

// Contiguous spans as the model makes them: each ends where the next starts, the last one open
// (or closed at `closedAt`).
std::vector<StateSpan> contiguous(std::vector<StateSpan> spans, std::int64_t closedAt = kOpenEnd)
{
  for (std::size_t i = 0; i + 1 < spans.size(); ++i)
    spans[i].end = spans[i + 1].start;
  if (!spans.empty())
    spans.back().end = closedAt;
  return spans;
}

SpanList listOf(const std::vector<StateSpan>& spans)
{
  SpanList list;
  for (const StateSpan& s : spans) {
    StateSpan open = s;
    open.end = kOpenEnd;
    list.push_back(open);
  }
  if (!spans.empty() && spans.back().end != kOpenEnd)
    list.closeBack(spans.back().end);
  return list;
}

std::vector<StateSpan> randomSpans(std::size_t n, std::uint32_t seed)
{
  std::mt19937_64 rng(seed);
  std::vector<StateSpan> out;
  std::int64_t t = static_cast<std::int64_t>(rng() % 1000);
  for (std::size_t i = 0; i < n; ++i) {
    StateSpan s;
    s.start = t;
    s.state = static_cast<TaskState>(rng() % 4);
    if (s.state == TaskState::Suspended || s.state == TaskState::Cancelling) {
      s.await = static_cast<AwaitKind>(1 + rng() % (static_cast<unsigned>(AwaitKind::Count_) - 1));
      s.site = static_cast<std::uint32_t>(rng() % 100);
      s.object =
          s.await == AwaitKind::Sleep ? static_cast<std::uint64_t>(t) + rng() % 5'000'000 : rng();
    }
    out.push_back(s);
    // Zero-length spans happen (a wake-up and the step at one instant), and long gaps.
    const unsigned r = static_cast<unsigned>(rng() % 10);
    t += r == 0 ? 0 : r == 1 ? static_cast<std::int64_t>(rng() % 10'000'000'000) : 1 + rng() % 5000;
  }
  return contiguous(out);
}

// The reference: [first, last) of spans overlapping [t0, t1], by the definition.
std::pair<std::size_t, std::size_t> naiveOverlapping(const std::vector<StateSpan>& spans,
                                                     std::int64_t t0, std::int64_t t1)
{
  const auto first = std::upper_bound(spans.begin(), spans.end(), t0,
                                      [](std::int64_t t, const StateSpan& s) { return t < s.end; });
  if (t1 < t0)
    return {static_cast<std::size_t>(first - spans.begin()),
            static_cast<std::size_t>(first - spans.begin())};
  const auto last = std::upper_bound(
      first, spans.end(), t1, [](std::int64_t t, const StateSpan& s) { return t < s.start; });
  return {static_cast<std::size_t>(first - spans.begin()),
          static_cast<std::size_t>(last - spans.begin())};
}

}  // namespace

class tst_SpanList : public QObject
{
  Q_OBJECT

private slots:
  void spansComeBackExactly_data();
  void spansComeBackExactly();
  void rangeQueriesAgreeWithBinarySearch();
  void readsInterleaveWithAppends();
  void laterSpansNeverStartEarlier();
  void packsSmall();
  void dropBeforeKeepsTheSpanCoveringTheCut_data();
  void dropBeforeKeepsTheSpanCoveringTheCut();
};

void tst_SpanList::spansComeBackExactly_data()
{
  QTest::addColumn<std::vector<StateSpan>>("spans");
  constexpr auto maxU64 = std::numeric_limits<std::uint64_t>::max();
  QTest::newRow("one open span") << contiguous({{5, 0, TaskState::Ready}});
  QTest::newRow("one closed span") << contiguous({{5, 0, TaskState::Ready}}, 9);
  QTest::newRow("sleep deadline before and after its start, and 'never'")
      << contiguous({{0, 0, TaskState::Running},
                     {10, 0, TaskState::Suspended, AwaitKind::Sleep, 3, 1'000'000'010},
                     {20, 0, TaskState::Suspended, AwaitKind::Sleep, 3, 5},
                     {30, 0, TaskState::Cancelling, AwaitKind::Sleep, 3, maxU64},
                     {40, 0, TaskState::Ready, AwaitKind::Yield, 8, 0}},
                    50);
  QTest::newRow("objects of every size, negative and huge times")
      << contiguous({{std::numeric_limits<std::int64_t>::min() / 2, 0, TaskState::Ready},
                     {-5, 0, TaskState::Suspended, AwaitKind::Task, 1, 7},
                     {0, 0, TaskState::Suspended, AwaitKind::Future, 0, maxU64},
                     {std::numeric_limits<std::int64_t>::max() / 2, 0, TaskState::Running}});
  QTest::newRow("zero-length spans") << contiguous({{10, 0, TaskState::Ready},
                                                    {10, 0, TaskState::Running},
                                                    {10, 0, TaskState::Ready},
                                                    {12, 0, TaskState::Running}});
  QTest::newRow("several groups") << randomSpans(SpanList::kGroupSpans * 4 + 5, 1);
}

void tst_SpanList::spansComeBackExactly()
{
  QFETCH(std::vector<StateSpan>, spans);
  const SpanList list = listOf(spans);
  QCOMPARE(list.size(), spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i)
    QVERIFY2(list[i] == spans[i], qPrintable(QStringLiteral("span %1").arg(i)));
  // Backwards too (each read starts its group again).
  for (std::size_t i = spans.size(); i-- > 0;)
    QVERIFY(list[i] == spans[i]);
  std::size_t i = 0;
  for (const StateSpan& s : list)
    QVERIFY(s == spans[i++]);
  QCOMPARE(i, spans.size());
  QVERIFY(list.back() == spans.back());
  QVERIFY(list.front() == spans.front());
}

void tst_SpanList::rangeQueriesAgreeWithBinarySearch()
{
  const std::vector<StateSpan> spans = randomSpans(2000, 4);
  const SpanList list = listOf(spans);
  std::mt19937_64 rng(8);
  const std::int64_t lo = spans.front().start - 100;
  const std::int64_t hi = spans.back().start + 100;
  auto pick = [&] {
    // Mostly exact span boundaries, where off-by-ones live.
    if (rng() % 2 == 0)
      return spans[rng() % spans.size()].start + static_cast<std::int64_t>(rng() % 3) - 1;
    return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo));
  };
  for (int k = 0; k < 20'000; ++k) {
    const std::int64_t t0 = pick();
    const std::int64_t t1 = rng() % 10 == 0 ? t0 - 1 : std::max(t0, pick());
    const auto expected = naiveOverlapping(spans, t0, t1);
    const auto got = list.overlapping(t0, t1);
    QVERIFY2(got == expected, qPrintable(QStringLiteral("[%1, %2]: %3-%4, expected %5-%6")
                                             .arg(t0)
                                             .arg(t1)
                                             .arg(got.first)
                                             .arg(got.second)
                                             .arg(expected.first)
                                             .arg(expected.second)));
    // indexAt: the last span starting at or before t0.
    const auto after =
        std::upper_bound(spans.begin(), spans.end(), t0,
                         [](std::int64_t t, const StateSpan& s) { return t < s.start; });
    const std::size_t at =
        after == spans.begin() ? SIZE_MAX : static_cast<std::size_t>(after - spans.begin()) - 1;
    QCOMPARE(list.indexAt(t0), at);
  }
  // A closed list: nothing overlaps after its end.
  const std::vector<StateSpan> closed =
      contiguous({{0, 0, TaskState::Running}, {10, 0, TaskState::Ready}}, 20);
  const SpanList c = listOf(closed);
  QCOMPARE(c.overlapping(20, 30), naiveOverlapping(closed, 20, 30));
  QCOMPARE(c.overlapping(19, 30), naiveOverlapping(closed, 19, 30));
}

void tst_SpanList::readsInterleaveWithAppends()
{
  const std::vector<StateSpan> spans = randomSpans(1000, 6);
  SpanList list;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    StateSpan open = spans[i];
    open.end = kOpenEnd;
    list.push_back(open);
    // The newest (open) span, the one before it (now ended by the new one), one further back.
    QVERIFY(list[i] == open);
    if (i > 0)
      QVERIFY2(list[i - 1] == spans[i - 1], qPrintable(QStringLiteral("span %1").arg(i - 1)));
    QVERIFY(list[i / 2] == (i / 2 == i ? open : spans[i / 2]));
  }
}

void tst_SpanList::laterSpansNeverStartEarlier()
{
  // Time going backwards (a clock step) must not break the order binary searches rely on.
  SpanList list;
  list.push_back({100, kOpenEnd, TaskState::Running});
  list.push_back({40, kOpenEnd, TaskState::Ready});
  QCOMPARE(list[0].end, std::int64_t{100});
  QCOMPARE(list[1].start, std::int64_t{100});
  list.closeBack(90);
  QCOMPARE(list.back().end, std::int64_t{100});
}

void tst_SpanList::packsSmall()
{
  // A task that steps, sleeps and wakes 10,000 times.
  SpanList list;
  std::int64_t t = 0;
  for (int i = 0; i < 10'000; ++i) {
    list.push_back({t, kOpenEnd, TaskState::Running});
    t += 2000;
    list.push_back({t, kOpenEnd, TaskState::Suspended, AwaitKind::Sleep, 17,
                    static_cast<std::uint64_t>(t) + 3'000'000});
    t += 3'000'000;
    list.push_back({t, kOpenEnd, TaskState::Ready});
    t += 100;
  }
  const double perSpan = static_cast<double>(list.memoryBytes()) / static_cast<double>(list.size());
  // 32 bytes per span unpacked; this packs to about 5, plus the byte vector's room to grow.
  QVERIFY2(perSpan < 10.0, qPrintable(QString::number(perSpan)));
}

// Retention: the spans ending at or before the cut go (when that frees a group), the one covering
// it and all later ones stay exactly, the open last span included.
void tst_SpanList::dropBeforeKeepsTheSpanCoveringTheCut_data()
{
  QTest::addColumn<std::size_t>("count");
  QTest::addColumn<std::size_t>("cutAt");  // index of the span whose start (+1) is the cut
  QTest::addColumn<bool>("closed");
  QTest::addColumn<std::size_t>("expectDropped");
  QTest::newRow("fewer spans before the cut than a group: kept")
      << std::size_t{500} << std::size_t{20} << false << std::size_t{0};
  QTest::newRow("cut in the middle")
      << std::size_t{500} << std::size_t{300} << false << std::size_t{300};
  QTest::newRow("cut at the open last span")
      << std::size_t{500} << std::size_t{499} << false << std::size_t{499};
  QTest::newRow("closed list, cut in the last span")
      << std::size_t{100} << std::size_t{99} << true << std::size_t{99};
  QTest::newRow("cut at a group boundary")
      << std::size_t{200} << std::size_t{64} << false << std::size_t{64};
}

void tst_SpanList::dropBeforeKeepsTheSpanCoveringTheCut()
{
  QFETCH(std::size_t, count);
  QFETCH(std::size_t, cutAt);
  QFETCH(bool, closed);
  QFETCH(std::size_t, expectDropped);
  std::vector<StateSpan> spans = randomSpans(count, 31);
  // Strictly growing starts, so that "the span covering the cut" is one span.
  for (std::size_t i = 0; i < spans.size(); ++i)
    spans[i].start = static_cast<std::int64_t>(i) * 1000;
  spans = contiguous(spans, closed ? spans.back().start + 500 : kOpenEnd);
  SpanList list = listOf(spans);
  const std::size_t bytes = list.memoryBytes();
  const std::int64_t cut = spans[cutAt].start + 1;
  QCOMPARE(list.dropBefore(cut), expectDropped);
  QCOMPARE(list.size(), count - expectDropped);
  for (std::size_t i = 0; i < list.size(); ++i)
    QVERIFY2(list[i] == spans[i + expectDropped], qPrintable(QStringLiteral("span %1").arg(i)));
  QVERIFY(list.back() == spans.back());
  if (expectDropped > 0) {
    QVERIFY(list.memoryBytes() < bytes);
    QCOMPARE(list.indexAt(cut), std::size_t{0});  // the first one kept covers the cut
  }
  // Appending goes on from the kept spans.
  StateSpan next{spans.back().start + 2000, kOpenEnd, TaskState::Running};
  if (!closed) {
    list.push_back(next);
    QCOMPARE(list[list.size() - 2].end, next.start);
    QVERIFY(list.back() == next);
  }
}

QTEST_APPLESS_MAIN(tst_SpanList)
#include "tst_spanlist.moc"
