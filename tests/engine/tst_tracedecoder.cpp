// SPDX-License-Identifier: GPL-3.0-or-later
// TraceDecoder: text payloads (names, messages, output) travel as a Text header plus raw 40-byte
// slots after their event; the decoder reassembles them, whatever the batch boundaries.

#include "engine/engine.h"
#include "testsupport.h"

#include <QTest>

#include <set>
#include <string>
#include <vector>

using namespace loopscope::engine;
using namespace loopscope::testsupport;

class tst_TraceDecoder : public QObject
{
  Q_OBJECT

private slots:
  void textOfAnyLengthReassembles_data();
  void textOfAnyLengthReassembles();
  void drainSplitInsideATextGroupStillYieldsTheText_data();
  void drainSplitInsideATextGroupStillYieldsTheText();
  void everySplitPointYieldsEveryTextOnce_data();
  void everySplitPointYieldsEveryTextOnce();
  void takeIntoAVectorRecyclesTwoBuffers();
  void eventsWithoutTextPassThrough();
};

namespace {

std::string patternText(int length)
{
  std::string s;
  s.reserve(std::size_t(length));
  for (int i = 0; i < length; ++i)
    s.push_back(char('a' + i % 26));
  return s;
}

// One Print event per text, recorded raw (tracing on, no loop run needed).
std::vector<TraceEvent> recordPrints(const std::vector<std::string>& texts)
{
  VirtualLoop v;
  for (const std::string& t : texts)
    v.loop.print(t);
  v.loop.flush_trace();
  return v.sink.events();
}

// The texts the decoder produced, in order: each Print's own text, or the text of a standalone
// Text record (a split between an event and its Text header) which belongs to the event before.
std::vector<std::string> printedTexts(const std::vector<DecodedEvent>& decoded)
{
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    const DecodedEvent& d = decoded[i];
    if (d.ev.kind == EventKind::Print) {
      texts.push_back(d.text);
    } else if (d.ev.kind == EventKind::Text && i > 0 &&
               decoded[i - 1].ev.kind == EventKind::Print && decoded[i - 1].text.empty() &&
               !texts.empty()) {
      texts.back() = d.text;
    }
  }
  return texts;
}

// `reuse`: take(batch) into the same vector each time, as the app's drain does; else take().
std::vector<DecodedEvent> decodeInPieces(const std::vector<TraceEvent>& raw,
                                         const std::vector<std::size_t>& cuts, bool reuse = false)
{
  TraceDecoder decoder;
  std::vector<DecodedEvent> out;
  std::vector<DecodedEvent> batch;
  std::size_t begin = 0;
  auto feed = [&](std::size_t end) {
    decoder.feed(std::span<const TraceEvent>(raw.data() + begin, end - begin));
    if (reuse)
      decoder.take(batch);
    else
      batch = decoder.take();
    for (DecodedEvent& d : batch)
      out.push_back(std::move(d));
    begin = end;
  };
  for (std::size_t cut : cuts)
    feed(cut);
  feed(raw.size());
  return out;
}

}  // namespace

void tst_TraceDecoder::textOfAnyLengthReassembles_data()
{
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<int>("expectedLength");
  QTest::newRow("empty") << QByteArray() << 0;
  QTest::newRow("1 byte") << QByteArray("x") << 1;
  QTest::newRow("39 bytes (one slot, not full)")
      << QByteArray::fromStdString(patternText(39)) << 39;
  QTest::newRow("40 bytes (one full slot)") << QByteArray::fromStdString(patternText(40)) << 40;
  QTest::newRow("41 bytes (two slots)") << QByteArray::fromStdString(patternText(41)) << 41;
  QTest::newRow("4096 bytes (the limit)") << QByteArray::fromStdString(patternText(4096)) << 4096;
  QTest::newRow("4097 bytes (truncated)") << QByteArray::fromStdString(patternText(4097)) << 4096;
  QTest::newRow("10000 bytes (truncated)") << QByteArray::fromStdString(patternText(10000)) << 4096;
  QTest::newRow("embedded NUL bytes") << QByteArray("a\0b\0\0c", 6) << 6;
  QTest::newRow("UTF-8") << QByteArray("Zeitüberschreitung ⏱")
                         << int(QByteArray("Zeitüberschreitung ⏱").size());
}

void tst_TraceDecoder::textOfAnyLengthReassembles()
{
  QFETCH(QByteArray, text);
  QFETCH(int, expectedLength);
  const std::string original = text.toStdString();
  const std::vector<TraceEvent> raw = recordPrints({original, "after"});

  // Print, Text header, ceil(len / 40) payload slots; then the same for "after".
  const std::size_t slotCount =
      (std::size_t(expectedLength) + sizeof(TraceEvent) - 1) / sizeof(TraceEvent);
  QCOMPARE(raw.size(), 2 + slotCount + 2 + 1);
  QCOMPARE(raw[1].kind, EventKind::Text);
  QCOMPARE(raw[1].detail, std::uint64_t(expectedLength));
  QCOMPARE(raw[1].arg, std::uint32_t(slotCount));

  const auto decoded = TraceDecoder::decode(raw);
  QCOMPARE(decoded.size(), std::size_t{2});
  QCOMPARE(decoded[0].ev.kind, EventKind::Print);
  QCOMPARE(decoded[0].text, original.substr(0, std::size_t(expectedLength)));
  QCOMPARE(decoded[1].ev.kind, EventKind::Print);
  QCOMPARE(decoded[1].text, std::string("after"));
  QCOMPARE(decoded[1].ev.seq, raw[2 + slotCount].seq);
}

void tst_TraceDecoder::drainSplitInsideATextGroupStillYieldsTheText_data()
{
  // Stream: Print(200 bytes) = [0] event, [1] Text header, [2..6] five slots; Print("tail") =
  // [7] event, [8] header, [9] slot. The split is where a drain with `max` stopped.
  QTest::addColumn<int>("cut");
  QTest::addColumn<bool>("attached");
  QTest::newRow("after the Text header") << 2 << true;
  QTest::newRow("after the first slot") << 3 << true;
  QTest::newRow("before the last slot") << 6 << true;
  // The event is flagged kEventHasText, so it is held back even before its header arrives.
  QTest::newRow("between the event and its Text header") << 1 << true;
}

void tst_TraceDecoder::drainSplitInsideATextGroupStillYieldsTheText()
{
  QFETCH(int, cut);
  QFETCH(bool, attached);
  const std::string text = patternText(200);
  // Through the real consumer path: the loop writes into an SpscEventQueue, the consumer
  // drains with a limit.
  SpscEventQueue queue(256);
  {
    Loop loop(std::make_unique<VirtualClock>());
    loop.set_sink(&queue);
    loop.print(text);
    loop.print("tail");
    loop.flush_trace();
    loop.set_sink(nullptr);
  }
  QCOMPARE(queue.size(), std::size_t{10});

  TraceDecoder decoder;
  std::vector<TraceEvent> batch;
  queue.drain(batch, std::size_t(cut));
  decoder.feed(batch);
  std::vector<DecodedEvent> first = decoder.take();
  batch.clear();
  queue.drain(batch);
  decoder.feed(batch);
  std::vector<DecodedEvent> second = decoder.take();

  std::vector<DecodedEvent> all = first;
  all.insert(all.end(), second.begin(), second.end());
  QCOMPARE(printedTexts(all), (std::vector<std::string>{text, "tail"}));
  if (attached) {
    // The split event was held back until its text was complete.
    QCOMPARE(first.size(), std::size_t{0});
    QCOMPARE(all.size(), std::size_t{2});
    QCOMPARE(all[0].text, text);
  } else {
    QCOMPARE(first.size(), std::size_t{1});
    QCOMPARE(first[0].ev.kind, EventKind::Print);
    QCOMPARE(all.size(), std::size_t{3});
    QCOMPARE(all[1].ev.kind, EventKind::Text);
    QCOMPARE(all[1].text, text);
  }
}

void tst_TraceDecoder::everySplitPointYieldsEveryTextOnce_data()
{
  QTest::addColumn<bool>("reuse");
  QTest::newRow("take() returns each batch") << false;
  QTest::newRow("take(batch) reuses one vector") << true;
}

void tst_TraceDecoder::everySplitPointYieldsEveryTextOnce()
{
  QFETCH(bool, reuse);
  const std::vector<std::string> texts = {patternText(81),   "",   "x", patternText(40),
                                          patternText(4096), "end"};
  const std::vector<TraceEvent> raw = recordPrints(texts);
  for (std::size_t a = 0; a <= raw.size(); ++a) {
    for (std::size_t b = a; b <= raw.size(); b += 7) {
      const auto decoded = decodeInPieces(raw, {a, b}, reuse);
      QVERIFY2(printedTexts(decoded) == texts,
               qPrintable(QStringLiteral("split at %1 and %2").arg(a).arg(b)));
    }
  }
}

// The app drains into the same vector every frame: after the first rounds the decoder and the
// caller swap two buffers and nothing is allocated (a frame under an event flood once spent
// 15 ms faulting in fresh memory).
void tst_TraceDecoder::takeIntoAVectorRecyclesTwoBuffers()
{
  std::vector<std::string> texts;
  for (int i = 0; i < 64; ++i)
    texts.push_back(i % 3 == 0 ? patternText(50 + i) : std::string());
  const std::vector<TraceEvent> raw = recordPrints(texts);
  TraceDecoder decoder;
  decoder.reserve(raw.size());
  std::vector<DecodedEvent> batch;
  batch.reserve(raw.size());
  std::set<const DecodedEvent*> buffers;
  std::vector<std::string> got;
  for (int round = 0; round < 6; ++round) {
    decoder.feed(raw);
    decoder.take(batch);
    QCOMPARE(batch.size(), texts.size());  // Text headers and payload slots fold into the Prints
    buffers.insert(batch.data());
    for (const DecodedEvent& d : batch)
      if (d.ev.kind == EventKind::Print)
        got.push_back(d.text);
  }
  QCOMPARE(buffers.size(), std::size_t{2});
  QCOMPARE(got.size(), texts.size() * 6);
  for (std::size_t i = 0; i < got.size(); ++i)
    QCOMPARE(got[i], texts[i % texts.size()]);
}

void tst_TraceDecoder::eventsWithoutTextPassThrough()
{
  VirtualLoop v;
  v.loop.call_soon([&v] { v.loop.stop(); });
  v.loop.run_forever();
  const auto raw = v.sink.events();
  const auto decoded = TraceDecoder::decode(raw);
  QCOMPARE(decoded.size(), raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    QCOMPARE(decoded[i].ev.seq, raw[i].seq);
    QVERIFY(decoded[i].text.empty());
  }
}

QTEST_GUILESS_MAIN(tst_TraceDecoder)
#include "tst_tracedecoder.moc"
