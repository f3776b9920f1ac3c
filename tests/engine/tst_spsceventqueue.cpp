// SPDX-License-Identifier: GPL-3.0-or-later
// SpscEventQueue: the lock-free segmented queue between the loop thread and the GUI. FIFO across
// segment reuse, all-or-nothing drops when full, capacity rounding, spans split at segment
// boundaries, memory that follows the backlog, and two-thread stress runs (no loss when the
// producer waits for room, exact whole-batch drop accounting when it does not).

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <algorithm>
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
  void spansSplitOnlyAtSegmentBoundariesAndMax_data();
  void spansSplitOnlyAtSegmentBoundariesAndMax();
  void batchesAreAcceptedOrDroppedWholeAtCapacity_data();
  void batchesAreAcceptedOrDroppedWholeAtCapacity();
  void memoryFollowsTheBacklog_data();
  void memoryFollowsTheBacklog();
  void steadyStreamRecyclesTwoSegments();
  void producerAndConsumerThreadsLoseNothing_data();
  void producerAndConsumerThreadsLoseNothing();
  void producerAndConsumerThreadsAccountForEveryDrop_data();
  void producerAndConsumerThreadsAccountForEveryDrop();
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

/// Events per segment of a queue: the segment size, or the capacity if that is smaller.
std::size_t segmentEvents(const SpscEventQueue& q)
{
  return std::min(q.capacity(), SpscEventQueue::kSegmentEvents);
}

/// Writes `n` events from `*nextSeq` in batches of `batch`; all must be accepted.
bool writeAll(SpscEventQueue& q, std::uint64_t* nextSeq, std::size_t n, std::size_t batch = 256)
{
  const std::uint64_t droppedBefore = q.dropped();
  for (std::size_t done = 0; done < n;) {
    const std::size_t k = std::min(batch, n - done);
    q.write(makeBatch(*nextSeq, k));
    *nextSeq += k;
    done += k;
  }
  return q.dropped() == droppedBefore;
}

/// Drains everything, checking it continues the sequence at `*nextSeq`.
bool drainInOrder(SpscEventQueue& q, std::uint64_t* nextSeq)
{
  bool ok = true;
  q.consume([&](std::span<const TraceEvent> s) {
    for (const TraceEvent& e : s) {
      ok = ok && e.seq == *nextSeq && e.detail == ~e.seq;
      ++*nextSeq;
    }
  });
  return ok && q.size() == 0;
}

// --- two-thread stress runs ---------------------------------------------------------------

enum class ProducerMode {
  Retry,         ///< a dropped batch is written again until it fits: nothing is lost
  WaitForRoom,   ///< writes only when size() says the batch fits: nothing may be dropped
  FireAndForget  ///< never waits: drops happen and must be accounted for exactly
};

struct StressConfig
{
  std::size_t capacity;
  std::size_t maxBatch;     ///< batch sizes cycle pseudo-randomly through 1..maxBatch
  std::size_t consumerMax;  ///< `max` of each consume() call
  std::uint64_t total;      ///< events (seqs) the producer emits
  int stallEvery;           ///< every this many consume() calls the consumer stalls until the
                            ///< queue is full (0 = never)
};

struct StressResult
{
  std::uint64_t received = 0;
  std::uint64_t gaps = 0;        ///< seqs the consumer never saw
  std::uint64_t badGaps = 0;     ///< gaps not made of whole batches
  std::uint64_t outOfOrder = 0;  ///< seq went backwards or batch structure broken
  std::uint64_t corrupt = 0;     ///< payload does not match the seq
  std::uint64_t rewritten = 0;   ///< Retry: events written again after a drop
  std::uint64_t dropped = 0;     ///< q.dropped() at the end
  std::uint64_t stalls = 0;      ///< times the consumer actually saw the queue full
  std::size_t peakMemory = 0;    ///< largest memory_bytes() the consumer saw
  std::size_t sizeAtEnd = 0;
};

/// An event of a stress batch: `site` = index in its batch, `arg` = the batch's size, so the
/// consumer can tell whether a gap starts and ends on batch boundaries.
TraceEvent makeStressEvent(std::uint64_t seq, std::size_t index, std::size_t batchSize)
{
  TraceEvent e = makeEvent(seq);
  e.site = static_cast<std::uint32_t>(index);
  e.arg = static_cast<std::uint32_t>(batchSize);
  return e;
}

StressResult runStress(const StressConfig& cfg, ProducerMode mode)
{
  SpscEventQueue q(cfg.capacity);
  StressResult r;
  std::atomic<bool> producerDone{false};

  std::thread producer([&] {
    std::uint64_t next = 0;
    std::uint64_t rng = 0x9e3779b97f4a7c15ull;
    std::vector<TraceEvent> batch;
    while (next < cfg.total) {
      rng = rng * 6364136223846793005ull + 1442695040888963407ull;
      const std::size_t want = static_cast<std::size_t>((rng >> 33) % cfg.maxBatch) + 1;
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(want, cfg.total - next));
      batch.clear();
      for (std::size_t i = 0; i < n; ++i)
        batch.push_back(makeStressEvent(next + i, i, n));
      switch (mode) {
        case ProducerMode::Retry:
          for (;;) {
            const std::uint64_t droppedBefore = q.dropped();
            q.write(batch);
            if (q.dropped() == droppedBefore)
              break;
            r.rewritten += n;
            std::this_thread::yield();
          }
          break;
        case ProducerMode::WaitForRoom:
          while (q.size() + n > q.capacity())
            std::this_thread::yield();
          q.write(batch);
          break;
        case ProducerMode::FireAndForget:
          q.write(batch);
          break;
      }
      next += n;
    }
    producerDone.store(true, std::memory_order_release);
  });

  std::thread consumer([&] {
    std::uint64_t expected = 0;
    bool prevEndsBatch = true;  // the last event seen closed its batch (or none seen yet)
    std::uint32_t prevSite = 0;
    std::uint32_t prevArg = 0;
    auto check = [&](std::span<const TraceEvent> s) {
      for (const TraceEvent& e : s) {
        ++r.received;
        if (e.detail != ~e.seq || e.t_ns != static_cast<std::int64_t>(e.seq * 3) || e.site >= e.arg)
          ++r.corrupt;
        if (e.seq < expected) {
          ++r.outOfOrder;
        } else if (e.seq > expected) {
          // A gap: whole batches were dropped, so it must fall between two batches.
          r.gaps += e.seq - expected;
          if (!prevEndsBatch || e.site != 0)
            ++r.badGaps;
        } else if (!prevEndsBatch && (e.site != prevSite + 1 || e.arg != prevArg)) {
          ++r.outOfOrder;
        }
        expected = e.seq + 1;
        prevSite = e.site;
        prevArg = e.arg;
        prevEndsBatch = e.site + 1 == e.arg;
      }
    };
    int calls = 0;
    std::uint64_t droppedSeen = 0;
    for (;;) {
      const bool done = producerDone.load(std::memory_order_acquire);
      r.peakMemory = std::max(r.peakMemory, q.memory_bytes());
      if (cfg.stallEvery > 0 && ++calls % cfg.stallEvery == 0) {
        // Let the producer run into the capacity bound: until it drops (Retry, FireAndForget)
        // or until it has to wait (WaitForRoom).
        for (;;) {
          const bool full = mode == ProducerMode::WaitForRoom
                                ? q.size() + cfg.maxBatch > q.capacity()
                                : q.dropped() > droppedSeen;
          if (full) {
            ++r.stalls;
            break;
          }
          if (producerDone.load(std::memory_order_acquire))
            break;
          std::this_thread::yield();
        }
        droppedSeen = q.dropped();
        r.peakMemory = std::max(r.peakMemory, q.memory_bytes());
      }
      if (q.consume(check, cfg.consumerMax) == 0) {
        if (done)
          break;
        std::this_thread::yield();
      }
    }
    r.gaps += cfg.total - expected;  // batches dropped at the very end
    if (expected != cfg.total && !prevEndsBatch)
      ++r.badGaps;
  });
  producer.join();
  consumer.join();
  r.dropped = q.dropped();
  r.sizeAtEnd = q.size();
  return r;
}

/// The most memory a queue may hold: every segment a full backlog can touch, one drained segment
/// still referenced, and the spares.
std::size_t memoryBound(std::size_t capacity)
{
  const SpscEventQueue q(capacity);
  const std::size_t segments =
      q.capacity() / segmentEvents(q) + 2 + SpscEventQueue::kMaxSpareSegments;
  return segments * q.memory_bytes();
}

void addStressRows()
{
  QTest::addColumn<qulonglong>("capacity");
  QTest::addColumn<qulonglong>("maxBatch");
  QTest::addColumn<qulonglong>("consumerMax");
  QTest::addColumn<qulonglong>("total");
  QTest::addColumn<int>("stallEvery");
  // Segment size 64: a segment boundary every few batches.
  QTest::newRow("cap 64, batches <= 64") << 64ull << 64ull << 50ull << 500'000ull << 0;
  QTest::newRow("cap 64, batches <= 64, stalls") << 64ull << 64ull << 1000ull << 300'000ull << 7;
  // The original stress run: one segment per capacity.
  QTest::newRow("cap 4096, batches <= 97") << 4096ull << 97ull << 1000ull << 2'000'000ull << 0;
  // Several 4096-event segments, tracer-sized batches.
  QTest::newRow("cap 16384, batches <= 300") << 16384ull << 300ull << 5000ull << 1'000'000ull << 0;
  QTest::newRow("cap 16384, batches <= 300, stalls")
      << 16384ull << 300ull << 100'000ull << 1'000'000ull << 3;
  // The GUI's queue, drained completely, with stalls that let the backlog reach the capacity.
  QTest::newRow("cap 2^20, batches <= 300, stalls")
      << (qulonglong{1} << 20) << 300ull << qulonglong(SIZE_MAX) << 3'000'000ull << 2;
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

void tst_SpscEventQueue::spansSplitOnlyAtSegmentBoundariesAndMax_data()
{
  QTest::addColumn<qulonglong>("capacity");
  QTest::addColumn<qulonglong>("prefill");  // events written and drained first: the offset
  QTest::addColumn<qulonglong>("batch");    // then written in one write()
  QTest::addColumn<qulonglong>("max");      // and consumed with this max per call
  const qulonglong all = SIZE_MAX;
  const qulonglong big = qulonglong{1} << 20;  // segments of kSegmentEvents
  QTest::newRow("cap 64: into a second segment") << 64ull << 50ull << 30ull << all;
  QTest::newRow("cap 256: one batch over four segments") << 256ull << 10ull << 200ull << all;
  QTest::newRow("cap 256: whole capacity, aligned") << 256ull << 0ull << 256ull << all;
  QTest::newRow("cap 256: whole capacity, offset") << 256ull << 33ull << 256ull << all;
  QTest::newRow("cap 256: whole capacity, max 50") << 256ull << 33ull << 256ull << 50ull;
  QTest::newRow("cap 256: after a full segment") << 256ull << 64ull << 100ull << all;
  const qulonglong seg = SpscEventQueue::kSegmentEvents;
  QTest::newRow("2^20: tracer batch crosses") << big << seg - 100 << 256ull << all;
  QTest::newRow("2^20: batch ends on the boundary") << big << seg - 256 << 256ull << all;
  QTest::newRow("2^20: batch starts on the boundary") << big << seg << 256ull << all;
  QTest::newRow("2^20: one event either side") << big << seg - 1 << 2ull << all;
  QTest::newRow("2^20: 20000 in one batch") << big << 1000ull << 20'000ull << all;
  QTest::newRow("2^20: 20000, max 3000") << big << 1000ull << 20'000ull << 3000ull;
  QTest::newRow("2^20: second lap of segments") << big << 9000ull << 5000ull << 777ull;
}

void tst_SpscEventQueue::spansSplitOnlyAtSegmentBoundariesAndMax()
{
  QFETCH(qulonglong, capacity);
  QFETCH(qulonglong, prefill);
  QFETCH(qulonglong, batch);
  QFETCH(qulonglong, max);
  SpscEventQueue q(capacity);
  const std::size_t seg = segmentEvents(q);

  std::uint64_t nextWrite = 0;
  std::uint64_t nextRead = 0;
  // Prefill in chunks that fit, draining as we go, to put the tail at offset prefill.
  while (nextWrite < prefill) {
    const std::size_t k = std::min<std::size_t>(seg / 2 + 1, prefill - nextWrite);
    QVERIFY(writeAll(q, &nextWrite, k, k));
    QVERIFY(drainInOrder(q, &nextRead));
  }

  q.write(makeBatch(nextWrite, batch));  // one write() call
  nextWrite += batch;
  QCOMPARE(q.dropped(), std::uint64_t{0});
  QCOMPARE(qulonglong(q.size()), batch);

  // Expected: a span ends where a segment ends or where a consume() call reaches its max.
  std::vector<std::size_t> expected;
  for (std::uint64_t pos = prefill, left = batch; left > 0;) {
    std::uint64_t take = std::min<std::uint64_t>(left, max);
    left -= take;
    while (take > 0) {
      const std::uint64_t k = std::min<std::uint64_t>(take, seg - pos % seg);
      expected.push_back(static_cast<std::size_t>(k));
      pos += k;
      take -= k;
    }
  }

  std::vector<std::size_t> spans;
  bool inOrder = true;
  for (;;) {
    const std::size_t n = q.consume(
        [&](std::span<const TraceEvent> s) {
          spans.push_back(s.size());
          for (const TraceEvent& e : s) {
            inOrder = inOrder && e.seq == nextRead && e.detail == ~nextRead;
            ++nextRead;
          }
        },
        static_cast<std::size_t>(max));
    if (n == 0)
      break;
    QVERIFY(n <= max);
  }
  QVERIFY(inOrder);
  QCOMPARE(nextRead, nextWrite);
  QCOMPARE(spans, expected);
  QCOMPARE(q.size(), std::size_t{0});
}

void tst_SpscEventQueue::batchesAreAcceptedOrDroppedWholeAtCapacity_data()
{
  QTest::addColumn<qulonglong>("capacity");
  QTest::addColumn<qulonglong>("backlog");  // queued before the batch (in 256-event writes)
  QTest::addColumn<qulonglong>("offset");   // events written and drained before that
  QTest::addColumn<qulonglong>("batch");
  const qulonglong big = qulonglong{1} << 20;
  // accepted iff backlog + batch <= capacity
  QTest::newRow("cap 64: exactly fills") << 64ull << 60ull << 0ull << 4ull;
  QTest::newRow("cap 64: one too many") << 64ull << 60ull << 0ull << 5ull;
  QTest::newRow("cap 64: batch > capacity") << 64ull << 0ull << 0ull << 65ull;
  QTest::newRow("cap 256: fills over segments") << 256ull << 0ull << 30ull << 256ull;
  QTest::newRow("cap 256: one over, offset") << 256ull << 1ull << 30ull << 256ull;
  QTest::newRow("2^20: exactly fills") << big << big - 300 << 5000ull << 300ull;
  QTest::newRow("2^20: one too many") << big << big - 300 << 5000ull << 301ull;
  QTest::newRow("2^20: burst of 250k") << big << 0ull << 0ull << 250'000ull;
  QTest::newRow("2^20: whole capacity at once") << big << 0ull << 123ull << big;
  QTest::newRow("2^20: capacity + 1") << big << 0ull << 0ull << big + 1;
}

void tst_SpscEventQueue::batchesAreAcceptedOrDroppedWholeAtCapacity()
{
  QFETCH(qulonglong, capacity);
  QFETCH(qulonglong, backlog);
  QFETCH(qulonglong, offset);
  QFETCH(qulonglong, batch);
  SpscEventQueue q(capacity);
  std::uint64_t nextWrite = 0;
  std::uint64_t nextRead = 0;
  QVERIFY(writeAll(q, &nextWrite, offset, 100));
  QVERIFY(drainInOrder(q, &nextRead));
  QVERIFY(writeAll(q, &nextWrite, backlog));
  QCOMPARE(qulonglong(q.size()), backlog);

  const bool fits = backlog + batch <= q.capacity();
  const std::size_t memoryBefore = q.memory_bytes();
  q.write(makeBatch(nextWrite, batch));
  if (fits) {
    QCOMPARE(q.dropped(), std::uint64_t{0});
    QCOMPARE(qulonglong(q.size()), backlog + batch);
  } else {
    // Dropped whole: nothing written, the counter says how many, and no memory was taken.
    QCOMPARE(qulonglong(q.dropped()), batch);
    QCOMPARE(qulonglong(q.size()), backlog);
    QCOMPARE(q.memory_bytes(), memoryBefore);
  }
  // The consumer sees the seqs before the batch, then the batch or a gap of its size.
  std::uint64_t count = 0;
  bool ok = true;
  q.consume([&](std::span<const TraceEvent> s) {
    for (const TraceEvent& e : s) {
      ok = ok && e.seq == nextRead;
      ++nextRead;
      ++count;
    }
  });
  QVERIFY(ok);
  QCOMPARE(count, fits ? backlog + batch : backlog);
  QVERIFY(q.memory_bytes() <= memoryBound(capacity));
}

void tst_SpscEventQueue::memoryFollowsTheBacklog_data()
{
  QTest::addColumn<qulonglong>("backlog");
  QTest::newRow("empty") << 0ull;
  QTest::newRow("one event") << 1ull;
  QTest::newRow("one segment") << qulonglong(SpscEventQueue::kSegmentEvents);
  QTest::newRow("one segment + 1") << qulonglong(SpscEventQueue::kSegmentEvents + 1);
  QTest::newRow("100k") << 100'000ull;
  QTest::newRow("burst of 250k") << 250'000ull;
  QTest::newRow("full") << (qulonglong{1} << 20);
}

void tst_SpscEventQueue::memoryFollowsTheBacklog()
{
  QFETCH(qulonglong, backlog);
  SpscEventQueue q;  // the GUI's 2^20 events: 40 MB if it were allocated up front
  const std::size_t segBytes = q.memory_bytes();  // a fresh queue holds one segment
  QVERIFY(segBytes >= SpscEventQueue::kSegmentEvents * sizeof(TraceEvent));
  QVERIFY(segBytes < 2 * SpscEventQueue::kSegmentEvents * sizeof(TraceEvent));
  const std::size_t spares = SpscEventQueue::kMaxSpareSegments;

  std::uint64_t nextWrite = 0;
  std::uint64_t nextRead = 0;
  for (int round = 0; round < 2; ++round) {
    QVERIFY(writeAll(q, &nextWrite, backlog));
    // Grows with the backlog: what is queued, plus at most two partly used segments (and,
    // after the first round, the spares kept back).
    const std::size_t needed = backlog * sizeof(TraceEvent);
    QVERIFY2(q.memory_bytes() >= needed, qPrintable(QString::number(q.memory_bytes())));
    QVERIFY2(q.memory_bytes() <= needed + (2 + spares) * segBytes,
             qPrintable(QString::number(q.memory_bytes())));
    if (round == 0)
      QVERIFY(q.memory_bytes() <= needed + 2 * segBytes);

    // Shrinks after a drain: the current segment, one drained one, and the spares.
    QVERIFY(drainInOrder(q, &nextRead));
    QVERIFY2(q.memory_bytes() <= (2 + spares) * segBytes,
             qPrintable(QString::number(q.memory_bytes())));
  }
  QCOMPARE(q.dropped(), std::uint64_t{0});
}

void tst_SpscEventQueue::steadyStreamRecyclesTwoSegments()
{
  // The GUI's steady state: the backlog stays well under a segment. After the first segment
  // fills, the producer gets the drained one back from the consumer: two segments in all, no
  // allocation however long it runs.
  SpscEventQueue q;
  const std::size_t segBytes = q.memory_bytes();
  std::uint64_t nextWrite = 0;
  std::uint64_t nextRead = 0;
  std::size_t peak = 0;
  for (int round = 0; round < 2000; ++round) {
    QVERIFY(writeAll(q, &nextWrite, 1000, 250));
    peak = std::max(peak, q.memory_bytes());
    QVERIFY(drainInOrder(q, &nextRead));
  }
  QVERIFY(nextWrite > 100 * SpscEventQueue::kSegmentEvents);  // the segments went round often
  QCOMPARE(peak, 2 * segBytes);
  QCOMPARE(q.memory_bytes(), 2 * segBytes);
}

void tst_SpscEventQueue::producerAndConsumerThreadsLoseNothing_data()
{
  addStressRows();
}

void tst_SpscEventQueue::producerAndConsumerThreadsLoseNothing()
{
  QFETCH(qulonglong, capacity);
  QFETCH(qulonglong, maxBatch);
  QFETCH(qulonglong, consumerMax);
  QFETCH(qulonglong, total);
  QFETCH(int, stallEvery);
  const StressConfig cfg{capacity, maxBatch, consumerMax, total, stallEvery};

  // Retry: a dropped batch is written again until it fits.
  const StressResult r = runStress(cfg, ProducerMode::Retry);
  QCOMPARE(r.received, cfg.total);
  QCOMPARE(r.gaps, std::uint64_t{0});
  QCOMPARE(r.outOfOrder, std::uint64_t{0});
  QCOMPARE(r.corrupt, std::uint64_t{0});
  QCOMPARE(r.dropped, r.rewritten);  // every dropped batch was dropped whole
  QCOMPARE(r.sizeAtEnd, std::size_t{0});
  QVERIFY(r.peakMemory <= memoryBound(capacity));
  if (stallEvery > 0)
    QVERIFY(r.stalls > 0);
}

void tst_SpscEventQueue::producerAndConsumerThreadsAccountForEveryDrop_data()
{
  // Each row runs both producers: one that waits for room, one that never waits.
  addStressRows();
}

void tst_SpscEventQueue::producerAndConsumerThreadsAccountForEveryDrop()
{
  QFETCH(qulonglong, capacity);
  QFETCH(qulonglong, maxBatch);
  QFETCH(qulonglong, consumerMax);
  QFETCH(qulonglong, total);
  QFETCH(int, stallEvery);
  const StressConfig cfg{capacity, maxBatch, consumerMax, total, stallEvery};

  {
    // Waits until size() leaves room: the queue never drops below its capacity.
    const StressResult r = runStress(cfg, ProducerMode::WaitForRoom);
    QCOMPARE(r.dropped, std::uint64_t{0});
    QCOMPARE(r.received, cfg.total);
    QCOMPARE(r.gaps, std::uint64_t{0});
    QCOMPARE(r.outOfOrder, std::uint64_t{0});
    QCOMPARE(r.corrupt, std::uint64_t{0});
    QCOMPARE(r.sizeAtEnd, std::size_t{0});
    QVERIFY(r.peakMemory <= memoryBound(capacity));
    if (stallEvery > 0)
      QVERIFY(r.stalls > 0);  // the backlog did reach the capacity
  }
  {
    // Never waits: what it loses is exactly what dropped() says, in whole batches.
    const StressResult r = runStress(cfg, ProducerMode::FireAndForget);
    QCOMPARE(r.received + r.dropped, cfg.total);
    QCOMPARE(r.gaps, r.dropped);
    QCOMPARE(r.badGaps, std::uint64_t{0});
    QCOMPARE(r.outOfOrder, std::uint64_t{0});
    QCOMPARE(r.corrupt, std::uint64_t{0});
    QCOMPARE(r.sizeAtEnd, std::size_t{0});
    QVERIFY(r.peakMemory <= memoryBound(capacity));
    if (stallEvery > 0)
      QVERIFY(r.dropped > 0);
  }
}

QTEST_GUILESS_MAIN(tst_SpscEventQueue)
#include "tst_spsceventqueue.moc"
