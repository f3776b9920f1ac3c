// SPDX-License-Identifier: GPL-3.0-or-later
// detail::TimerHeap (engine/timer.h): the loop's intrusive min-heap of timers ordered by
// (when, seq), with O(log n) removal of any node.

#include "engine/engine.h"
#include "engine/timer.h"
#include "testsupport.h"

#include <QTest>

#include <algorithm>
#include <deque>
#include <random>
#include <set>
#include <utility>

using loopscope::engine::detail::TimerHeap;
using loopscope::engine::detail::TimerNode;

class tst_TimerHeap : public QObject
{
  Q_OBJECT

private slots:
  void randomPushesAndRemovesKeepWhenSeqOrder_data();
  void randomPushesAndRemovesKeepWhenSeqOrder();
  void removingAnyIndexKeepsTheHeapValid_data();
  void removingAnyIndexKeepsTheHeapValid();
  void equalDeadlinesPopInSeqOrder();
};

namespace {

bool before(const TimerNode* a, const TimerNode* b)
{
  return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

// Heap property and back-indices; returns an empty string when valid.
QString heapProblem(const TimerHeap& heap)
{
  const auto& v = heap.nodes();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i]->heap_index != i)
      return QStringLiteral("node at %1 says index %2").arg(i).arg(v[i]->heap_index);
    if (v[i]->state != TimerNode::State::InHeap)
      return QStringLiteral("node at %1 not InHeap").arg(i);
    if (i > 0 && before(v[i], v[(i - 1) / 2]))
      return QStringLiteral("node at %1 sorts before its parent").arg(i);
  }
  return {};
}

using Key = std::pair<std::int64_t, std::uint64_t>;

}  // namespace

void tst_TimerHeap::randomPushesAndRemovesKeepWhenSeqOrder_data()
{
  QTest::addColumn<uint>("seed");
  QTest::addColumn<int>("operations");
  QTest::addColumn<int>("whenRange");  // small ranges give many equal deadlines
  QTest::newRow("few timers, many ties") << 1u << 200 << 4;
  QTest::newRow("medium, some ties") << 2u << 2000 << 100;
  QTest::newRow("large, distinct deadlines") << 3u << 20000 << 1'000'000;
  QTest::newRow("large, all equal deadlines") << 4u << 5000 << 1;
  QTest::newRow("another seed") << 99u << 5000 << 50;
}

void tst_TimerHeap::randomPushesAndRemovesKeepWhenSeqOrder()
{
  QFETCH(uint, seed);
  QFETCH(int, operations);
  QFETCH(int, whenRange);
  std::mt19937 rng(seed);
  std::deque<TimerNode> storage;  // stable addresses
  std::vector<TimerNode*> inHeap;
  std::set<Key> model;
  TimerHeap heap;
  std::uint64_t seq = 0;

  for (int op = 0; op < operations; ++op) {
    const unsigned choice = rng() % 10;
    if (choice < 5 || inHeap.empty()) {
      TimerNode& n = storage.emplace_back();
      n.when = static_cast<std::int64_t>(rng() % static_cast<unsigned>(whenRange));
      n.seq = seq++;
      heap.push(&n);
      inHeap.push_back(&n);
      model.insert({n.when, n.seq});
    } else if (choice < 8) {
      const std::size_t k = rng() % inHeap.size();
      TimerNode* n = inHeap[k];
      heap.remove(n);
      QCOMPARE(n->state, TimerNode::State::Idle);
      model.erase({n->when, n->seq});
      inHeap[k] = inHeap.back();
      inHeap.pop_back();
    } else {
      TimerNode* top = heap.top();
      QCOMPARE(Key(top->when, top->seq), *model.begin());
      TimerNode* popped = heap.pop();
      QCOMPARE(popped, top);
      QCOMPARE(popped->state, TimerNode::State::Idle);
      model.erase(model.begin());
      inHeap.erase(std::find(inHeap.begin(), inHeap.end(), popped));
    }
    QCOMPARE(heap.size(), model.size());
    if (op % 64 == 0 || heap.size() < 20) {
      const QString problem = heapProblem(heap);
      QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
  }
  const QString problem = heapProblem(heap);
  QVERIFY2(problem.isEmpty(), qPrintable(problem));
  // Draining pops everything in (when, seq) order.
  std::vector<Key> drained;
  while (!heap.empty()) {
    TimerNode* n = heap.pop();
    drained.emplace_back(n->when, n->seq);
  }
  QCOMPARE(drained, std::vector<Key>(model.begin(), model.end()));
}

void tst_TimerHeap::removingAnyIndexKeepsTheHeapValid_data()
{
  QTest::addColumn<int>("size");
  QTest::addColumn<int>("whenRange");
  for (int size : {1, 2, 3, 7, 8, 15, 16, 17, 31, 64, 100})
    for (int range : {1, 5, 1000})
      QTest::addRow("%d nodes, deadlines in [0, %d)", size, range) << size << range;
}

void tst_TimerHeap::removingAnyIndexKeepsTheHeapValid()
{
  QFETCH(int, size);
  QFETCH(int, whenRange);
  for (int index = 0; index < size; ++index) {
    std::mt19937 rng(static_cast<unsigned>(size * 1000 + whenRange));
    std::vector<TimerNode> nodes(static_cast<std::size_t>(size));
    TimerHeap heap;
    std::uint64_t seq = 0;
    for (TimerNode& n : nodes) {
      n.when = static_cast<std::int64_t>(rng() % static_cast<unsigned>(whenRange));
      n.seq = seq++;
      heap.push(&n);
    }
    TimerNode* victim = heap.nodes()[static_cast<std::size_t>(index)];
    heap.remove(victim);
    QCOMPARE(heap.size(), std::size_t(size - 1));
    QCOMPARE(victim->state, TimerNode::State::Idle);
    const QString problem = heapProblem(heap);
    QVERIFY2(problem.isEmpty(),
             qPrintable(QStringLiteral("removing index %1: %2").arg(index).arg(problem)));
    QVERIFY(std::find(heap.nodes().begin(), heap.nodes().end(), victim) == heap.nodes().end());

    std::vector<Key> expected;
    for (const TimerNode& n : nodes)
      if (&n != victim)
        expected.emplace_back(n.when, n.seq);
    std::sort(expected.begin(), expected.end());
    std::vector<Key> drained;
    while (!heap.empty()) {
      TimerNode* n = heap.pop();
      drained.emplace_back(n->when, n->seq);
    }
    QCOMPARE(drained, expected);
  }
}

void tst_TimerHeap::equalDeadlinesPopInSeqOrder()
{
  std::vector<TimerNode> nodes(10);
  TimerHeap heap;
  // Pushed in reverse seq order, all due at once.
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].when = 5;
    nodes[i].seq = nodes.size() - i;
    heap.push(&nodes[i]);
  }
  std::uint64_t last = 0;
  while (!heap.empty()) {
    const TimerNode* n = heap.pop();
    QVERIFY(n->seq > last);
    last = n->seq;
  }
  QCOMPARE(last, std::uint64_t{10});
}

QTEST_GUILESS_MAIN(tst_TimerHeap)
#include "tst_timerheap.moc"
