// SPDX-License-Identifier: GPL-3.0-or-later
// Seeds for fuzz_trace: runs each script given on a virtual clock, records its events and saves
// them with writeTraceJson as <outdir>/<script name>.json, the file loopscope itself writes.
//   trace_seeds OUTDIR SCRIPT.py...
// Exits non-zero if a script cannot be read or a trace cannot be written.

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/script/scriptrunner.h>
#include <engine/sink.h>
#include <views/timelinemodel.h>
#include <views/traceio.h>

#include <QDir>
#include <QFileInfo>
#include <QString>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

int main(int argc, char** argv)
{
  using namespace loopscope;
  if (argc < 3) {
    std::fprintf(stderr, "usage: trace_seeds OUTDIR SCRIPT.py...\n");
    return 2;
  }
  const QDir out(QString::fromLocal8Bit(argv[1]));
  if (!QDir().mkpath(out.path())) {
    std::fprintf(stderr, "trace_seeds: cannot create %s\n", argv[1]);
    return 1;
  }
  int status = 0;
  for (int i = 2; i < argc; ++i) {
    std::ifstream file(argv[i], std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "trace_seeds: cannot read %s\n", argv[i]);
      status = 1;
      continue;
    }
    std::stringstream source;
    source << file.rdbuf();
    engine::VectorSink sink;
    script::ScriptOptions options;
    options.virtual_time = true;
    options.sink = &sink;
    const auto quiet = [](std::string_view) {
    };
    (void)script::run_script(source.str(), argv[i], options, script::ScriptIo{quiet, quiet});

    views::TimelineModel model;
    model.append(engine::TraceDecoder::decode(sink.events()));
    const QString name = QFileInfo(QString::fromLocal8Bit(argv[i])).completeBaseName();
    QString error;
    if (!views::writeTraceJson(model, out.filePath(name + QStringLiteral(".json")), &error)) {
      std::fprintf(stderr, "trace_seeds: %s\n", qPrintable(error));
      status = 1;
    }
  }
  return status;
}
