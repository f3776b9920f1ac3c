// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the trace importer (readTraceJson on bytes in memory). Any input must end in
// a model, or in a message that starts with the name given and leaves the model empty; never a
// crash, a hang, a sanitizer report or memory beyond a small multiple of the input. What it
// accepts must survive the writer: written back and read again, it gives the same events. See
// fuzz/README.md.

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/sink.h>
#include <views/timelinemodel.h>
#include <views/traceio.h>

#include <QByteArrayView>
#include <QDir>
#include <QString>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

using loopscope::engine::DecodedEvent;
using loopscope::views::TimelineModel;

[[noreturn]] void broken(const char* what, const QString& detail = {})
{
  std::fprintf(stderr, "fuzz_trace: %s %s\n", what, qPrintable(detail));
  std::abort();
}

bool sameEvents(const TimelineModel& a, const TimelineModel& b)
{
  if (a.events().size() != b.events().size())
    return false;
  for (std::size_t i = 0; i < a.events().size(); ++i) {
    const DecodedEvent x = a.events()[i];
    const DecodedEvent y = b.events()[i];
    if (x.ev.seq != y.ev.seq || x.ev.t_ns != y.ev.t_ns || x.ev.detail != y.ev.detail ||
        x.ev.task != y.ev.task || x.ev.site != y.ev.site || x.ev.arg != y.ev.arg ||
        x.ev.kind != y.ev.kind || x.ev.a8 != y.ev.a8 || x.ev.flags != y.ev.flags ||
        x.text != y.text)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  using loopscope::views::readTraceJson;
  using loopscope::views::writeTraceJson;
  static const QString name = QStringLiteral("fuzz.json");

  TimelineModel model;
  QString error;
  const QByteArrayView bytes(data, static_cast<qsizetype>(size));
  if (!readTraceJson(bytes, name, model, &error)) {
    if (!error.startsWith(name + QLatin1Char(':')))
      broken("a refusal without the name and place:", error);
    if (!model.events().empty())
      broken("a refused trace changed the model");
    return 0;
  }
  if (!error.isEmpty())
    broken("an accepted trace with an error message:", error);

  // Round trip through the writer.
  static QTemporaryDir dir;
  const QString file = dir.filePath(QStringLiteral("roundtrip.json"));
  if (!writeTraceJson(model, file, &error))
    broken("the writer failed:", error);
  TimelineModel again;
  if (!readTraceJson(file, again, &error))
    broken("the writer's output was refused:", error);
  if (!sameEvents(model, again))
    broken("the events changed on the way through the writer");
  return 0;
}
