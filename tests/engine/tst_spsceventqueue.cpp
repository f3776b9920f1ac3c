// SPDX-License-Identifier: GPL-3.0-or-later
// SpscEventQueue: the lock-free ring between the loop thread and the GUI. FIFO across the wrap,
// all-or-nothing drops when full, capacity rounding, and a two-thread stress run.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace loopscope::engine;
using namespace loopscope::testsupport;

class tst_SpscEventQueue : public QObject
{
  Q_OBJECT

private slots:
  void capacityIsRoundedUpToAPowerOfTwo_data();
  void capacityIsRoundedUpToAPowerOfTwo();
  void defaultCapacityIsOneMebiEvents();
  void fifoAcrossWrapAround_data();
  void fifoAcrossWrapAround();
  void fullQueueDropsWholeBatchesAndCountsThem();
  void consumeHandsOutAtMostTwoSpansAndRespectsMax();
  void producerAndConsumerThreadsLoseNothing();
};

namespace {

TraceEvent makeEvent(std::uint64_t seq)
{
  TraceEvent e{};
  e.seq = seq;
  e.t_ns = static_cast<std::int64_t>(seq * 3);
  e.detail = ~seq;
  e.task = static_cast<std::uint32_t>(seq % 1000);
  e.kind = EventKind::Ready;
  return e;
}

std::vector<TraceEvent> makeBatch(std::uint64_t firstSeq, std::size_t n)
{
  std::vector<TraceEvent> batch;
  batch.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    batch.push_back(makeEvent(firstSeq + i));
  return batch;
}

}  // namespace

void tst_SpscEventQueue::capacityIsRoundedUpToAPowerOfTwo_data()
{
  QTest::addColumn<qulonglong>("requested");
  QTest::addColumn<qulonglong>("capacity");
  // The queue never goes below 64 slots.
  QTest::newRow("0") << 0ull << 64ull;
  QTest::newRow("1") << 1ull << 64ull;
  QTest::newRow("64") << 64ull << 64ull;
  QTest::newRow("65") << 65ull << 128ull;
  QTest::newRow("1000") << 1000ull << 1024ull;
  QTest::newRow("1024") << 1024ull << 1024ull;
  QTest::newRow("1025") << 1025ull << 2048ull;
}

void tst_SpscEventQueue::capacityIsRoundedUpToAPowerOfTwo()
{
  QFETCH(qulonglong, requested);
  QFETCH(qulonglong, capacity);
  SpscEventQueue q(requested);
  QCOMPARE(qulonglong(q.capacity()), capacity);
  QCOMPARE(q.size(), std::size_t{0});
  QCOMPARE(q.dropped(), std::uint64_t{0});
}

void tst_SpscEventQueue::defaultCapacityIsOneMebiEvents()
{
  SpscEventQueue q;
  QCOMPARE(q.capacity(), std::size_t{1} << 20);
}

void tst_SpscEventQueue::fifoAcrossWrapAround_data()
{
  QTest::addColumn<int>("batch");
  QTest::addColumn<int>("drainMax");
  QTest::newRow("write 10, drain 7") << 10 << 7;
  QTest::newRow("write 1, drain 1") << 1 << 1;
  QTest::newRow("write 63, drain all") << 63 << 1000;
  QTest::newRow("write 64 (full), drain 64") << 64 << 64;
  QTest::newRow("write 5, drain 3") << 5 << 3;
}

void tst_SpscEventQueue::fifoAcrossWrapAround()
{
  QFETCH(int, batch);
  QFETCH(int, drainMax);
  SpscEventQueue q(64);
  std::uint64_t nextWrite = 0;
  std::uint64_t nextRead = 0;
  std::vector<TraceEvent> out;
  // Enough rounds to go around the 64-slot ring many times, at varying offsets.
  for (int round = 0; round < 200; ++round) {
    if (q.size() + std::size_t(batch) <= q.capacity()) {
      const auto events = makeBatch(nextWrite, std::size_t(batch));
      q.write(events);
      nextWrite += std::uint64_t(batch);
    }
    out.clear();
    const std::size_t n = q.drain(out, std::size_t(drainMax));
    QCOMPARE(n, out.size());
    QVERIFY(n <= std::size_t(drainMax));
    for (const TraceEvent& e : out) {
      QCOMPARE(e.seq, nextRead);
      QCOMPARE(e.detail, ~nextRead);
      QCOMPARE(e.t_ns, static_cast<std::int64_t>(nextRead * 3));
      ++nextRead;
    }
  }
  out.clear();
  q.drain(out);
  for (const TraceEvent& e : out)
    QCOMPARE(e.seq, nextRead++);
  QCOMPARE(nextRead, nextWrite);
  QVERIFY(nextWrite > 3 * 64);  // the ring did wrap
  QCOMPARE(q.dropped(), std::uint64_t{0});
  QCOMPARE(q.size(), std::size_t{0});
}

void tst_SpscEventQueue::fullQueueDropsWholeBatchesAndCountsThem()
{
  SpscEventQueue q(64);
  q.write(makeBatch(0, 60));
  QCOMPARE(q.size(), std::size_t{60});
  q.write(makeBatch(60, 5));  // 4 slots free: the whole batch is dropped, none written
  QCOMPARE(q.size(), std::size_t{60});
  QCOMPARE(q.dropped(), std::uint64_t{5});
  q.write(makeBatch(65, 4));  // exactly fits
  QCOMPARE(q.size(), std::size_t{64});
  q.write(makeBatch(69, 1));
  QCOMPARE(q.dropped(), std::uint64_t{6});

  std::vector<TraceEvent> out;
  QCOMPARE(q.drain(out, 10), std::size_t{10});
  q.write(makeBatch(70, 10));  // room again
  QCOMPARE(q.dropped(), std::uint64_t{6});
  q.drain(out);
  QCOMPARE(out.size(), std::size_t{74});
  // What arrived: 0..59, 65..68, 70..79 — the dropped seqs leave gaps the consumer can see.
  std::vector<std::uint64_t> seqs;
  for (const TraceEvent& e : out)
    seqs.push_back(e.seq);
  std::vector<std::uint64_t> expected;
  for (std::uint64_t s = 0; s < 60; ++s)
    expected.push_back(s);
  for (std::uint64_t s = 65; s < 69; ++s)
    expected.push_back(s);
  for (std::uint64_t s = 70; s < 80; ++s)
    expected.push_back(s);
  QCOMPARE(seqs, expected);

  // An empty write is not a drop.
  q.write({});
  QCOMPARE(q.dropped(), std::uint64_t{6});
}

void tst_SpscEventQueue::consumeHandsOutAtMostTwoSpansAndRespectsMax()
{
  SpscEventQueue q(64);
  q.write(makeBatch(0, 50));
  std::vector<TraceEvent> sink;
  q.drain(sink, 50);
  q.write(makeBatch(50, 30));  // slots 50..63 then 0..15: wraps
  std::vector<std::size_t> spans;
  std::uint64_t expect = 50;
  bool inOrder = true;
  const std::size_t n = q.consume(
      [&](std::span<const TraceEvent> s) {
        spans.push_back(s.size());
        for (const TraceEvent& e : s)
          inOrder = inOrder && e.seq == expect++;
      },
      25);
  QCOMPARE(n, std::size_t{25});
  QCOMPARE(spans, (std::vector<std::size_t>{14, 11}));
  QVERIFY(inOrder);
  QCOMPARE(q.size(), std::size_t{5});
  QCOMPARE(q.consume([](std::span<const TraceEvent>) {}, 0), std::size_t{0});
  QCOMPARE(q.size(), std::size_t{5});
}

void tst_SpscEventQueue::producerAndConsumerThreadsLoseNothing()
{
  constexpr std::uint64_t kTotal = 2'000'000;
  SpscEventQueue q(4096);
  std::atomic<bool> producerDone{false};
  std::uint64_t rewritten = 0;  // events written again after their batch was dropped

  std::thread producer([&] {
    std::uint64_t next = 0;
    std::size_t batchSize = 1;
    std::vector<TraceEvent> batch;
    while (next < kTotal) {
      // Batches of 1..97 events, like the tracer's flushes.
      batchSize = batchSize % 97 + 1;
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(batchSize, kTotal - next));
      batch.clear();
      for (std::size_t i = 0; i < n; ++i)
        batch.push_back(makeEvent(next + i));
      // A full queue drops the batch whole: write it again until it fits.
      for (;;) {
        const std::uint64_t droppedBefore = q.dropped();
        q.write(batch);
        if (q.dropped() == droppedBefore)
          break;
        rewritten += n;
        std::this_thread::yield();
      }
      next += n;
    }
    producerDone.store(true, std::memory_order_release);
  });

  std::uint64_t expected = 0;
  std::uint64_t outOfOrder = 0;
  std::uint64_t corrupt = 0;
  std::thread consumer([&] {
    auto check = [&](std::span<const TraceEvent> s) {
      for (const TraceEvent& e : s) {
        if (e.seq != expected)
          ++outOfOrder;
        if (e.detail != ~e.seq || e.t_ns != static_cast<std::int64_t>(e.seq * 3))
          ++corrupt;
        expected = e.seq + 1;
      }
    };
    for (;;) {
      const bool done = producerDone.load(std::memory_order_acquire);
      if (q.consume(check, 1000) == 0) {
        if (done)
          break;
        std::this_thread::yield();
      }
    }
  });
  producer.join();
  consumer.join();

  QCOMPARE(expected, kTotal);
  QCOMPARE(outOfOrder, std::uint64_t{0});
  QCOMPARE(corrupt, std::uint64_t{0});
  QCOMPARE(q.dropped(), rewritten);  // every dropped batch was dropped whole
  QCOMPARE(q.size(), std::size_t{0});
}

QTEST_GUILESS_MAIN(tst_SpscEventQueue)
#include "tst_spsceventqueue.moc"
