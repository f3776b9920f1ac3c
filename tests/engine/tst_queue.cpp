// SPDX-License-Identifier: GPL-3.0-or-later
// Queue, LifoQueue and PriorityQueue against CPython 3.13's asyncio queues: item order, FIFO
// service of blocked getters and putters, maxsize, cancellation safety (a cancelled getter never
// strands an item, a cancelled putter never strands a slot), join/task_done, shutdown, and the
// trace naming the queue a task waits on.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

using namespace loopscope::engine;
using namespace loopscope::testsupport;
using namespace std::chrono_literals;

class tst_Queue : public QObject
{
  Q_OBJECT

private slots:
  void itemsComeOutInTheQueuesOrder_data();
  void itemsComeOutInTheQueuesOrder();
  void priorityQueueBreaksTiesLikeHeapq();
  void nowaitCallsThrowWhenEmptyOrFull();
  void blockedGettersAreServedInArrivalOrder();
  void blockedPuttersAreServedInArrivalOrder();
  void putWaitsWhileTheQueueIsFull_data();
  void putWaitsWhileTheQueueIsFull();
  void wokenGetterThatFindsTheQueueEmptyWaitsAgainAtTheBack();
  void cancelledGetterDoesNotLoseTheItem_data();
  void cancelledGetterDoesNotLoseTheItem();
  void cancelledPutterDoesNotLoseTheSlot_data();
  void cancelledPutterDoesNotLoseTheSlot();
  void joinWaitsUntilEveryItemIsDone();
  void joinOnAFinishedQueueDoesNotSuspend();
  void taskDoneCalledTooManyTimesThrows();
  void shutdownUnblocksPuttersAndRefusesNewItems_data();
  void shutdownUnblocksPuttersAndRefusesNewItems();
  void shutdownWakesBlockedGetters_data();
  void shutdownWakesBlockedGetters();
  void immediateShutdownCountsOnlyTheDrainedItemsDone();
  void queueWaitsAreTracedAgainstTheNamedQueue_data();
  void queueWaitsAreTracedAgainstTheNamedQueue();
  void loopDestroyedWhileTasksWaitOnAQueueOwnedByATask();
};

namespace {

qint64 now()
{
  return nowMs(Loop::running());
}

// Gets one item and logs it; logs (and re-raises) a cancellation; logs QueueShutDown.
Coro<void> getOne(Probe& probe, Queue<int>& q, QString name)
{
  try {
    const int item = co_await q.get();
    probe << QStringLiteral("%1 got %2 at %3ms").arg(name).arg(item).arg(now());
  } catch (const CancelledError&) {
    probe << QStringLiteral("%1 cancelled at %2ms").arg(name).arg(now());
    throw;
  } catch (const QueueShutDown&) {
    probe << QStringLiteral("%1: QueueShutDown at %2ms").arg(name).arg(now());
  }
}

Coro<void> putOne(Probe& probe, Queue<int>& q, QString name, int item)
{
  try {
    co_await q.put(item);
    probe << QStringLiteral("%1 put %2 at %3ms").arg(name).arg(item).arg(now());
  } catch (const CancelledError&) {
    probe << QStringLiteral("%1 cancelled at %2ms").arg(name).arg(now());
    throw;
  } catch (const QueueShutDown&) {
    probe << QStringLiteral("%1: QueueShutDown at %2ms").arg(name).arg(now());
  }
}

Coro<void> joinQueue(Probe& probe, Queue<int>& q)
{
  co_await q.join();
  probe << QStringLiteral("joined at %1ms").arg(now());
}

template <class Q>
std::vector<int> putAllThenGetAll(Q& q, const std::vector<int>& input)
{
  for (int x : input)
    q.put_nowait(x);
  std::vector<int> out;
  while (!q.empty())
    out.push_back(q.get_nowait());
  return out;
}

struct Tagged
{
  int priority;
  char tag;
};
struct ByPriority
{
  bool operator()(const Tagged& a, const Tagged& b) const { return a.priority < b.priority; }
};

// Owns two queues in its frame: tasks block on both (getters on the empty one, putters and a
// joiner on the full one); nothing ever finishes.
Coro<void> ownerOfTheQueues(std::vector<Task<void>>& workers, Queue<int>*& emptyOut)
{
  Counted held;
  Queue<int> empty;
  Queue<int> full(1);
  full.put_nowait(0);
  emptyOut = &empty;
  for (int i = 0; i < 3; ++i) {
    workers.push_back(create_task([](Queue<int>& q) -> Coro<void> {
      Counted inWorker;
      (void)co_await q.get();
    }(empty)));
  }
  for (int i = 0; i < 2; ++i) {
    workers.push_back(create_task([](Queue<int>& q, int item) -> Coro<void> {
      Counted inWorker;
      co_await q.put(item);
    }(full, i)));
  }
  workers.push_back(create_task([](Queue<int>& q) -> Coro<void> {
    Counted inWorker;
    co_await q.join();
  }(full)));
  co_await sleep(1h);
}

}  // namespace

void tst_Queue::itemsComeOutInTheQueuesOrder_data()
{
  QTest::addColumn<QString>("kind");
  QTest::addColumn<QList<int>>("expected");
  // put 3 1 4 1 5 9 2 6
  QTest::newRow("Queue: first in, first out") << "Queue" << QList<int>{3, 1, 4, 1, 5, 9, 2, 6};
  QTest::newRow("LifoQueue: last in, first out")
      << "LifoQueue" << QList<int>{6, 2, 9, 5, 1, 4, 1, 3};
  QTest::newRow("PriorityQueue: smallest first")
      << "PriorityQueue" << QList<int>{1, 1, 2, 3, 4, 5, 6, 9};
  QTest::newRow("PriorityQueue with std::greater: largest first")
      << "PriorityQueue>" << QList<int>{9, 6, 5, 4, 3, 2, 1, 1};
}

void tst_Queue::itemsComeOutInTheQueuesOrder()
{
  QFETCH(QString, kind);
  QFETCH(QList<int>, expected);
  VirtualLoop v;
  const std::vector<int> input{3, 1, 4, 1, 5, 9, 2, 6};
  std::vector<int> out;
  if (kind == "Queue") {
    Queue<int> q(v.loop);
    out = putAllThenGetAll(q, input);
  } else if (kind == "LifoQueue") {
    LifoQueue<int> q(v.loop);
    out = putAllThenGetAll(q, input);
  } else if (kind == "PriorityQueue") {
    PriorityQueue<int> q(v.loop);
    out = putAllThenGetAll(q, input);
  } else {
    PriorityQueue<int, std::greater<int>> q(v.loop);
    out = putAllThenGetAll(q, input);
  }
  QCOMPARE(QList<int>(out.begin(), out.end()), expected);
}

void tst_Queue::priorityQueueBreaksTiesLikeHeapq()
{
  // Items of equal priority come out in heapq's order, not FIFO. Expected from CPython:
  //   class I: __lt__ compares priority only; heappush each, then heappop all.
  VirtualLoop v;
  PriorityQueue<Tagged, ByPriority> q(v.loop);
  for (Tagged t : {Tagged{1, 'a'}, Tagged{1, 'b'}, Tagged{1, 'c'}, Tagged{0, 'd'}, Tagged{1, 'e'},
                   Tagged{1, 'f'}, Tagged{2, 'g'}, Tagged{1, 'h'}})
    q.put_nowait(t);
  QCOMPARE(q.qsize(), std::size_t{8});
  std::string order;
  while (!q.empty())
    order += q.get_nowait().tag;
  QCOMPARE(QString::fromStdString(order), QStringLiteral("dcfhabeg"));
}

void tst_Queue::nowaitCallsThrowWhenEmptyOrFull()
{
  VirtualLoop v;
  Queue<int> q(v.loop, 2);
  QCOMPARE(q.maxsize(), 2);
  QVERIFY(q.empty());
  QVERIFY(!q.full());
  QVERIFY_THROWS_EXCEPTION(QueueEmpty, q.get_nowait());
  q.put_nowait(1);
  QVERIFY(!q.full());
  q.put_nowait(2);
  QVERIFY(q.full());
  QVERIFY_THROWS_EXCEPTION(QueueFull, q.put_nowait(3));
  QCOMPARE(q.qsize(), std::size_t{2});
  QCOMPARE(q.unfinished_tasks(), std::size_t{2});  // a refused put is not counted
  QCOMPARE(q.get_nowait(), 1);
  QCOMPARE(q.get_nowait(), 2);
  QVERIFY_THROWS_EXCEPTION(QueueEmpty, q.get_nowait());

  // maxsize <= 0: never full.
  for (int maxsize : {0, -1}) {
    Queue<int> unbounded(v.loop, maxsize);
    for (int i = 0; i < 1000; ++i)
      unbounded.put_nowait(i);
    QVERIFY(!unbounded.full());
    QCOMPARE(unbounded.qsize(), std::size_t{1000});
  }
  // The errors are ordinary errors.
  QVERIFY_THROWS_EXCEPTION(std::runtime_error, q.get_nowait());
}

void tst_Queue::blockedGettersAreServedInArrivalOrder()
{
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop);
  Task<void> g0 = v.loop.create_task(getOne(probe, q, "g0"));
  Task<void> g1 = v.loop.create_task(getOne(probe, q, "g1"));
  Task<void> g2 = v.loop.create_task(getOne(probe, q, "g2"));
  auto producer = [&]() -> Coro<void> {
    co_await sleep(5ms);
    q.put_nowait(10);
    co_await sleep(5ms);
    q.put_nowait(20);
    q.put_nowait(30);
  };
  v.loop.run_until_complete(producer());
  v.loop.run_until_complete(g2);
  QVERIFY(g0.done() && g1.done());
  COMPARE_LOG(probe.log,
              (QStringList{"g0 got 10 at 5ms", "g1 got 20 at 10ms", "g2 got 30 at 10ms"}));
  QVERIFY(q.empty());
}

void tst_Queue::blockedPuttersAreServedInArrivalOrder()
{
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop, 1);
  q.put_nowait(0);
  Task<void> p1 = v.loop.create_task(putOne(probe, q, "p1", 1));
  Task<void> p2 = v.loop.create_task(putOne(probe, q, "p2", 2));
  Task<void> p3 = v.loop.create_task(putOne(probe, q, "p3", 3));
  auto consumer = [&]() -> Coro<void> {
    for (int i = 0; i < 4; ++i) {
      co_await sleep(10ms);
      probe << QStringLiteral("consumer got %1 at %2ms").arg(q.get_nowait()).arg(now());
    }
  };
  v.loop.run_until_complete(consumer());
  QVERIFY(p1.done() && p2.done() && p3.done());
  COMPARE_LOG(probe.log,
              (QStringList{"consumer got 0 at 10ms", "p1 put 1 at 10ms", "consumer got 1 at 20ms",
                           "p2 put 2 at 20ms", "consumer got 2 at 30ms", "p3 put 3 at 30ms",
                           "consumer got 3 at 40ms"}));
}

void tst_Queue::putWaitsWhileTheQueueIsFull_data()
{
  QTest::addColumn<int>("maxsize");
  QTest::addColumn<QList<qint64>>("putDoneMs");
  // The producer puts 0..5 as fast as it can; the consumer gets one item every 10 ms from 10 ms.
  QTest::newRow("unbounded") << 0 << QList<qint64>{0, 0, 0, 0, 0, 0};
  QTest::newRow("maxsize 1") << 1 << QList<qint64>{0, 10, 20, 30, 40, 50};
  QTest::newRow("maxsize 2") << 2 << QList<qint64>{0, 0, 10, 20, 30, 40};
  QTest::newRow("maxsize 4") << 4 << QList<qint64>{0, 0, 0, 0, 10, 20};
}

void tst_Queue::putWaitsWhileTheQueueIsFull()
{
  QFETCH(int, maxsize);
  QFETCH(QList<qint64>, putDoneMs);
  VirtualLoop v;
  Queue<int> q(v.loop, maxsize);
  QList<qint64> putTimes;
  QList<int> got;
  std::size_t maxSeen = 0;
  auto producer = [&]() -> Coro<void> {
    for (int i = 0; i < 6; ++i) {
      co_await q.put(i);
      putTimes << now();
      maxSeen = std::max(maxSeen, q.qsize());
    }
  };
  auto consumer = [&]() -> Coro<void> {
    for (int i = 0; i < 6; ++i) {
      co_await sleep(10ms);
      got << co_await q.get();
    }
  };
  Task<void> p = v.loop.create_task(producer());
  v.loop.run_until_complete(consumer());
  QVERIFY(p.done());
  QCOMPARE(putTimes, putDoneMs);
  QCOMPARE(got, (QList<int>{0, 1, 2, 3, 4, 5}));
  QCOMPARE(maxSeen, maxsize > 0 ? std::size_t(maxsize) : std::size_t{6});
}

void tst_Queue::wokenGetterThatFindsTheQueueEmptyWaitsAgainAtTheBack()
{
  // CPython: put_nowait wakes the first getter, but the item is not reserved for it. Taken by
  // someone else before the getter runs, the getter finds the queue empty and queues again,
  // behind the getters that were already waiting.
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop);
  Task<void> a = v.loop.create_task(getOne(probe, q, "a"));
  Task<void> b = v.loop.create_task(getOne(probe, q, "b"));
  auto producer = [&]() -> Coro<void> {
    co_await sleep(5ms);
    q.put_nowait(1);  // wakes a
    probe << QStringLiteral("producer took %1 back at %2ms").arg(q.get_nowait()).arg(now());
    co_await sleep(5ms);
    q.put_nowait(2);  // wakes b, now first in line
    co_await sleep(5ms);
    q.put_nowait(3);
  };
  v.loop.run_until_complete(producer());
  v.loop.run_until_complete(a);
  QVERIFY(b.done());
  COMPARE_LOG(probe.log,
              (QStringList{"producer took 1 back at 5ms", "b got 2 at 10ms", "a got 3 at 15ms"}));
}

void tst_Queue::cancelledGetterDoesNotLoseTheItem_data()
{
  QTest::addColumn<bool>("afterWake");
  QTest::newRow("cancelled while waiting") << false;
  QTest::newRow("cancelled after being woken for an item, before it ran") << true;
}

void tst_Queue::cancelledGetterDoesNotLoseTheItem()
{
  QFETCH(bool, afterWake);
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop);
  Task<void> b = v.loop.create_task(getOne(probe, q, "b"), "b");
  Task<void> c = v.loop.create_task(getOne(probe, q, "c"), "c");
  if (!afterWake)
    v.loop.call_at(from_ns(5'000'000), [b]() mutable { b.cancel(); });
  auto producer = [&]() -> Coro<void> {
    co_await sleep(10ms);
    q.put_nowait(7);  // wakes b if it still waits
    b.cancel();       // b has been handed the item but has not run yet
  };
  v.loop.run_until_complete(producer());
  v.loop.run_until_complete(c);
  QVERIFY(b.cancelled());
  COMPARE_LOG(probe.log, (QStringList{afterWake ? QStringLiteral("b cancelled at 10ms")
                                                : QStringLiteral("b cancelled at 5ms"),
                                      "c got 7 at 10ms"}));
  QVERIFY(q.empty());
  QCOMPARE(v.loop.diagnostic_count(DiagnosticKind::SwallowedCancel), 0u);
}

void tst_Queue::cancelledPutterDoesNotLoseTheSlot_data()
{
  QTest::addColumn<bool>("afterWake");
  QTest::newRow("cancelled while waiting") << false;
  QTest::newRow("cancelled after being woken for a slot, before it ran") << true;
}

void tst_Queue::cancelledPutterDoesNotLoseTheSlot()
{
  QFETCH(bool, afterWake);
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop, 1);
  q.put_nowait(0);
  Task<void> b = v.loop.create_task(putOne(probe, q, "b", 1), "b");
  Task<void> c = v.loop.create_task(putOne(probe, q, "c", 2), "c");
  if (!afterWake)
    v.loop.call_at(from_ns(5'000'000), [b]() mutable { b.cancel(); });
  auto consumer = [&]() -> Coro<void> {
    co_await sleep(10ms);
    probe << QStringLiteral("consumer got %1").arg(q.get_nowait());  // wakes b if it waits
    b.cancel();
  };
  v.loop.run_until_complete(consumer());
  v.loop.run_until_complete(c);
  QVERIFY(b.cancelled());
  COMPARE_LOG(probe.log, (QStringList{afterWake ? QStringLiteral("consumer got 0")
                                                : QStringLiteral("b cancelled at 5ms"),
                                      afterWake ? QStringLiteral("b cancelled at 10ms")
                                                : QStringLiteral("consumer got 0"),
                                      "c put 2 at 10ms"}));
  QCOMPARE(q.qsize(), std::size_t{1});
  QCOMPARE(q.get_nowait(), 2);
}

void tst_Queue::joinWaitsUntilEveryItemIsDone()
{
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop);
  for (int i = 1; i <= 3; ++i)
    q.put_nowait(i);
  QCOMPARE(q.unfinished_tasks(), std::size_t{3});
  Task<void> joiner = v.loop.create_task(joinQueue(probe, q));
  auto worker = [&]() -> Coro<void> {
    for (int i = 0; i < 3; ++i) {
      const int item = co_await q.get();
      co_await sleep(10ms);
      q.task_done();
      probe << QStringLiteral("done %1 at %2ms").arg(item).arg(now());
    }
  };
  v.loop.run_until_complete(worker());
  v.loop.run_until_complete(joiner);
  COMPARE_LOG(probe.log, (QStringList{"done 1 at 10ms", "done 2 at 20ms", "done 3 at 30ms",
                                      "joined at 30ms"}));
  QCOMPARE(q.unfinished_tasks(), std::size_t{0});
}

void tst_Queue::joinOnAFinishedQueueDoesNotSuspend()
{
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop);
  q.put_nowait(1);
  (void)q.get_nowait();
  q.task_done();
  Task<void> joiner = v.loop.create_task(joinQueue(probe, q));
  v.loop.run_until_complete(joiner);
  QCOMPARE(joiner.base().steps(), 1u);
  COMPARE_LOG(probe.log, (QStringList{"joined at 0ms"}));
}

void tst_Queue::taskDoneCalledTooManyTimesThrows()
{
  VirtualLoop v;
  Queue<int> q(v.loop);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, q.task_done());
  q.put_nowait(1);
  q.put_nowait(2);
  (void)q.get_nowait();
  q.task_done();
  q.task_done();  // allowed: counts items put, not items got
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, q.task_done());
  QCOMPARE(q.unfinished_tasks(), std::size_t{0});
}

void tst_Queue::shutdownUnblocksPuttersAndRefusesNewItems_data()
{
  QTest::addColumn<bool>("immediate");
  QTest::addColumn<QStringList>("expected");
  // A full queue (maxsize 1, item 1 not yet done); a joiner and a putter wait; shutdown at 5 ms;
  // at 10 ms a late task tries to put, then gets until QueueShutDown, marking each item done.
  QTest::newRow("shutdown(): the item left can still be got")
      << false
      << QStringList{
             "shutdown at 5ms", "putter: QueueShutDown at 5ms",    "late put: QueueShutDown",
             "late got 1",      "late get: QueueShutDown at 10ms", "joined at 10ms"};
  QTest::newRow("shutdown(immediate): drained, the item counts as done")
      << true
      << QStringList{"shutdown at 5ms", "joined at 5ms", "putter: QueueShutDown at 5ms",
                     "late put: QueueShutDown", "late get: QueueShutDown at 10ms"};
}

void tst_Queue::shutdownUnblocksPuttersAndRefusesNewItems()
{
  QFETCH(bool, immediate);
  QFETCH(QStringList, expected);
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop, 1);
  q.put_nowait(1);
  Task<void> joiner = v.loop.create_task(joinQueue(probe, q));
  Task<void> putter = v.loop.create_task(putOne(probe, q, "putter", 2));
  v.loop.call_at(from_ns(5'000'000), [&] {
    q.shutdown(immediate);
    probe << QStringLiteral("shutdown at %1ms").arg(nowMs(v.loop));
  });
  auto late = [&]() -> Coro<void> {
    co_await sleep(10ms);
    try {
      q.put_nowait(3);
    } catch (const QueueShutDown&) {
      probe << "late put: QueueShutDown";
    }
    for (;;) {
      try {
        const int item = co_await q.get();
        probe << QStringLiteral("late got %1").arg(item);
        q.task_done();
      } catch (const QueueShutDown&) {
        probe << QStringLiteral("late get: QueueShutDown at %1ms").arg(now());
        break;
      }
    }
  };
  v.loop.run_until_complete(late());
  v.loop.run_until_complete(joiner);
  QVERIFY(putter.done() && !putter.cancelled());
  COMPARE_LOG(probe.log, expected);
  QVERIFY(q.is_shutdown());
  QVERIFY(q.empty());
  QCOMPARE(q.unfinished_tasks(), std::size_t{0});
  QVERIFY_THROWS_EXCEPTION(QueueShutDown, q.put_nowait(4));
  QVERIFY_THROWS_EXCEPTION(QueueShutDown, q.get_nowait());
}

void tst_Queue::shutdownWakesBlockedGetters_data()
{
  QTest::addColumn<bool>("immediate");
  QTest::newRow("shutdown()") << false;
  QTest::newRow("shutdown(immediate)") << true;
}

void tst_Queue::shutdownWakesBlockedGetters()
{
  QFETCH(bool, immediate);
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop);
  Task<void> g0 = v.loop.create_task(getOne(probe, q, "g0"));
  Task<void> g1 = v.loop.create_task(getOne(probe, q, "g1"));
  v.loop.call_at(from_ns(5'000'000), [&] { q.shutdown(immediate); });
  v.loop.run_until_complete(g1);
  QVERIFY(g0.done());
  COMPARE_LOG(probe.log, (QStringList{"g0: QueueShutDown at 5ms", "g1: QueueShutDown at 5ms"}));
}

void tst_Queue::immediateShutdownCountsOnlyTheDrainedItemsDone()
{
  // 3 items put, 1 got but not yet done: the immediate shutdown drains 2 and counts them done;
  // join() still waits for the item being processed (CPython 3.13; the docs before gh-137088
  // said joiners were released regardless).
  VirtualLoop v;
  Probe probe;
  Queue<int> q(v.loop);
  for (int i = 1; i <= 3; ++i)
    q.put_nowait(i);
  Task<void> joiner = v.loop.create_task(joinQueue(probe, q));
  auto worker = [&]() -> Coro<void> {
    const int item = co_await q.get();
    co_await sleep(5ms);
    q.shutdown(true);
    probe << QStringLiteral("shutdown: %1 unfinished, %2 queued")
                 .arg(q.unfinished_tasks())
                 .arg(q.qsize());
    co_await sleep(5ms);
    q.task_done();
    probe << QStringLiteral("done %1 at %2ms").arg(item).arg(now());
  };
  v.loop.run_until_complete(worker());
  v.loop.run_until_complete(joiner);
  COMPARE_LOG(probe.log, (QStringList{"shutdown: 1 unfinished, 0 queued", "done 1 at 10ms",
                                      "joined at 10ms"}));
}

void tst_Queue::queueWaitsAreTracedAgainstTheNamedQueue_data()
{
  QTest::addColumn<QString>("op");
  QTest::newRow("get on an empty queue") << "get";
  QTest::newRow("put on a full queue") << "put";
  QTest::newRow("join with unfinished items") << "join";
}

void tst_Queue::queueWaitsAreTracedAgainstTheNamedQueue()
{
  QFETCH(QString, op);
  VirtualLoop v;
  Queue<int> other(v.loop);  // unnamed: announced with an empty label
  Queue<int> q(v.loop, 1, "jobs");
  PriorityQueue<int> pq(v.loop, 0, "urgent");
  LifoQueue<int> lq(v.loop, 0, "stack");
  if (op != "get")
    q.put_nowait(0);
  auto waiter = [&]() -> Coro<void> {
    if (op == "get")
      (void)co_await q.get();
    else if (op == "put")
      co_await q.put(1);
    else
      co_await q.join();
  };
  Task<void> w = v.loop.create_task(waiter(), "waiter");
  auto unblock = [&]() -> Coro<void> {
    co_await sleep(1ms);
    if (op == "get")
      q.put_nowait(1);
    else if (op == "put")
      (void)q.get_nowait();
    else
      q.task_done();
  };
  v.loop.run_until_complete(unblock());
  v.loop.run_until_complete(w);

  const auto events = v.decoded();
  const auto suspended = eventsOfKind(events, EventKind::Suspended);
  const auto it = std::find_if(suspended.begin(), suspended.end(),
                               [&](const DecodedEvent& d) { return d.ev.task == w.id(); });
  QVERIFY(it != suspended.end());
  QCOMPARE(it->ev.a8, static_cast<std::uint8_t>(AwaitKind::Queue));
  QCOMPARE(it->ev.detail, std::uint64_t{q.id()});

  QStringList labels;
  for (const DecodedEvent& d : eventsOfKind(events, EventKind::ObjectCreated)) {
    QCOMPARE(d.ev.a8, static_cast<std::uint8_t>(AwaitKind::Queue));
    labels << QStringLiteral("%1=%2").arg(d.ev.detail).arg(toQString(d.text));
  }
  QCOMPARE(labels, (QStringList{QStringLiteral("%1=").arg(other.id()),
                                QStringLiteral("%1=Queue jobs").arg(q.id()),
                                QStringLiteral("%1=PriorityQueue urgent").arg(pq.id()),
                                QStringLiteral("%1=LifoQueue stack").arg(lq.id())}));
}

void tst_Queue::loopDestroyedWhileTasksWaitOnAQueueOwnedByATask()
{
  // Tearing down a loop destroys pending frames in no particular order: the queues (locals of
  // the owner's frame) may die before the awaiters queued on them, and one getter has been
  // woken for an item it never got to take. Under ASan this is a use-after-free check;
  // everywhere, every frame's locals must be gone.
  Counted::reset();
  std::vector<Task<void>> workers;
  {
    Loop loop(std::make_unique<VirtualClock>());
    Queue<int>* empty = nullptr;
    Task<void> owner = loop.create_task(ownerOfTheQueues(workers, empty), "owner");
    loop.call_later(1s, [&] {
      empty->put_nowait(1);  // wakes the first getter, which never runs
      loop.stop();
    });
    loop.run_forever();
    QCOMPARE(workers.size(), std::size_t{6});
    QCOMPARE(Counted::alive(), 7);  // the owner's and each waiting worker's
  }
  QCOMPARE(Counted::alive(), 0);
  for (const auto& w : workers)
    QVERIFY(w.cancelled());
}

QTEST_GUILESS_MAIN(tst_Queue)
#include "tst_queue.moc"
