// SPDX-License-Identifier: GPL-3.0-or-later
// The models and the timeline at scale: how fast a run's events go into the models on the GUI
// thread, how much memory the models keep per event, and how long the timeline takes to replot
// at any zoom, for runs far larger than the scenarios.
//
//   loopscope-scalebench [--source real|synthetic|both] [--size TASKSxEVENTS]... [--help]
//
// Default sizes: 10000x1000000 and 100000x5000000 (tasks x events), both sources.
//   * real: the engine runs TASKS tasks on the virtual clock, each sleeping a seeded random
//     0-10 ms again and again (and, every 50th task, a timeout that fires and a cancellation),
//     until about EVENTS events; the stream is recorded and decoded first, outside the timing.
//   * synthetic: the same shape of stream generated directly (creations, steps, suspensions,
//     wake-ups, timeouts, cancellations, prints), so sizes need no engine run.
// Per run it prints one line per figure:
//   * ingest: the stream appended in 4096-event batches, as RunController feeds the GUI:
//     into the TimelineModel alone, then the log's and the task table's sync() on top;
//     millions of events per second.
//   * memory: heap bytes in use (mallinfo2) the TimelineModel holds per event, and the log and
//     task table models on top of it.
//   * replot: a 1600x900 TimelineWidget (offscreen), median of 9 immediate replots
//     (rpImmediateRefresh: layout, drawing and the paint) at the whole run and at windows of
//     10%, 1%, 0.1% and 0.01% of it centred on the middle, with the first rows in view, then
//     with the view scrolled to the middle of the task list.
//
// A benchmark, not a test: it asserts nothing, it prints figures.

// Engine and view headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/engine.h>
#include <views/logmodel.h>
#include <views/tasktablemodel.h>
#include <views/timelinemodel.h>
#include <views/timelinewidget.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>

#include <malloc.h>
#include <qcustomplot.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace engine = loopscope::engine;
namespace views = loopscope::views;
using namespace std::chrono_literals;

constexpr const char* kProgram = "loopscope-scalebench";
constexpr std::size_t kBatch = 4096;  // events per append, as the GUI's batches
constexpr int kReplots = 9;
constexpr int kWidth = 1600;
constexpr int kHeight = 900;

struct Size
{
  std::size_t tasks = 0;
  std::size_t events = 0;
};

std::size_t heapInUse()
{
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

double secondsSince(const QElapsedTimer& timer)
{
  return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

struct Rng
{
  std::uint32_t x = 0x2545F491u;
  std::uint32_t next()
  {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  }
};

// ---------------------------------------------------------------- the real engine stream

engine::Coro<void> longSleep()
{
  co_await engine::sleep(20ms);
}

engine::Coro<void> sleeper(std::size_t index, int rounds, std::uint32_t seed)
{
  Rng rng{seed | 1u};
  for (int i = 0; i < rounds; ++i) {
    if (index % 50 == 0 && i == rounds / 2) {
      try {
        co_await engine::wait_for(longSleep(), engine::Duration(1ms));
      } catch (const engine::TimeoutError&) {
      }
      continue;
    }
    co_await engine::sleep(std::chrono::microseconds(rng.next() % 10'000));
  }
}

engine::Coro<void> victim()
{
  co_await engine::sleep(1h);
}

engine::Coro<void> spawner(std::size_t tasks, int rounds)
{
  std::vector<engine::Task<void>> all;
  all.reserve(tasks + tasks / 50);
  for (std::size_t i = 0; i < tasks; ++i) {
    all.push_back(engine::create_task(sleeper(i, rounds, static_cast<std::uint32_t>(i * 7919))));
    if (i % 50 == 0)
      all.push_back(engine::create_task(victim()));
  }
  co_await engine::sleep(5ms);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i % 51 == 1)
      all[i].cancel();
  }
  for (auto& t : all) {
    try {
      co_await t;
    } catch (const engine::CancelledError&) {
    }
  }
}

std::vector<engine::DecodedEvent> realStream(Size size)
{
  // About 3 events per round (step, suspension, wake-up) plus creation and end.
  const int rounds = std::max(1, static_cast<int>(size.events / size.tasks / 3));
  engine::VectorSink sink;
  {
    engine::Loop loop(std::make_unique<engine::VirtualClock>());
    loop.set_sink(&sink);
    loop.run_until_complete(spawner(size.tasks, rounds));
    loop.flush_trace();
  }
  return engine::TraceDecoder::decode(sink.events());
}

// ---------------------------------------------------------------- the synthetic stream

std::vector<engine::DecodedEvent> syntheticStream(Size size)
{
  using engine::EventKind;
  std::vector<engine::DecodedEvent> out;
  out.reserve(size.events + size.tasks * 4);
  std::uint64_t seq = 0;
  std::int64_t t = 1'000'000;
  auto push = [&](EventKind kind, std::uint32_t task, std::uint64_t detail = 0,
                  std::uint32_t site = 0, std::uint32_t arg = 0, std::uint8_t a8 = 0,
                  std::string text = {}) {
    engine::DecodedEvent e;
    e.ev = engine::TraceEvent{
        seq++, t,    detail,
        task,  site, arg,
        kind,  a8,   static_cast<std::uint16_t>(text.empty() ? 0 : engine::kEventHasText)};
    e.text = std::move(text);
    out.push_back(std::move(e));
  };
  push(EventKind::SiteDefined, 0, 0, 1, 0, 0, "bench.cpp\t10\t5\tsleeper()");
  push(EventKind::SiteDefined, 0, 0, 2, 0, 0, "bench.cpp\t20\t5\tspawner()");
  push(EventKind::TaskCreated, 1, 0, 2, 0, 1, "main");
  const auto tasks = static_cast<std::uint32_t>(size.tasks);
  for (std::uint32_t i = 0; i < tasks; ++i) {
    t += 200;
    push(EventKind::TaskCreated, i + 2, 1, 2);
  }
  Rng rng;
  std::vector<std::uint8_t> done(tasks, 0);
  std::uint32_t next = 0;
  while (out.size() < size.events) {
    const std::uint32_t i = next;
    next = (next + 1) % tasks;
    const std::uint32_t id = i + 2;
    if (done[i] != 0)
      continue;
    t += 300 + rng.next() % 700;
    push(EventKind::StepBegin, id);
    t += 100 + rng.next() % 2000;
    const std::uint32_t r = rng.next() % 1000;
    if (r == 0) {
      push(EventKind::Print, id, 0, 0, 0, 0, "progress " + std::to_string(out.size()));
    } else if (r == 1) {
      push(EventKind::TimeoutArmed, id, static_cast<std::uint64_t>(t + 1'000'000), 0, 1);
      push(EventKind::TimeoutFired, id, static_cast<std::uint64_t>(t + 1'000'000), 0, 1);
      push(EventKind::CancelRequested, id, 0, 0, 1, 2);
      push(EventKind::CancelDelivered, id, 0, 1, 1, 0);
      push(EventKind::TimeoutDisarmed, id, 0, 0, 1, 1);
    } else if (r == 2) {
      push(EventKind::TaskDone, id, 0, 0, 0, 0);
      done[i] = 1;
      continue;
    }
    const std::uint64_t deadline = static_cast<std::uint64_t>(t) + rng.next() % 10'000'000;
    push(EventKind::Suspended, id, deadline, 1, 0,
         static_cast<std::uint8_t>(engine::AwaitKind::Sleep));
    t += 50;
    push(EventKind::Ready, id);
  }
  return out;
}

// ---------------------------------------------------------------- measuring

double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

double replotMs(QCustomPlot* plot)
{
  std::vector<double> ms;
  for (int i = 0; i < kReplots; ++i) {
    QElapsedTimer timer;
    timer.start();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  return median(ms);
}

void runOne(const char* source, Size size, std::vector<engine::DecodedEvent> stream)
{
  std::printf("%s %zu tasks / %zu events requested: %zu events in the stream\n", source, size.tasks,
              size.events, stream.size());
  const std::size_t n = stream.size();

  // Ingest, TimelineModel alone.
  const std::size_t heap0 = heapInUse();
  auto model = std::make_unique<views::TimelineModel>();
  QElapsedTimer timer;
  timer.start();
  for (std::size_t i = 0; i < n; i += kBatch)
    model->append(std::span(stream).subspan(i, std::min(kBatch, n - i)));
  const double timelineSeconds = secondsSince(timer);
  const std::size_t heap1 = heapInUse();

  // The log and the task table on top, synced after each batch as the GUI does.
  auto model2 = std::make_unique<views::TimelineModel>();
  views::LogModel log(*model2);
  views::TaskTableModel table(*model2);
  const std::size_t heap2 = heapInUse();
  timer.restart();
  double logSeconds = 0;
  double tableSeconds = 0;
  double appendSeconds = 0;
  for (std::size_t i = 0; i < n; i += kBatch) {
    QElapsedTimer part;
    part.start();
    model2->append(std::span(stream).subspan(i, std::min(kBatch, n - i)));
    appendSeconds += secondsSince(part);
    part.restart();
    while (log.hasPending())
      log.sync();
    logSeconds += secondsSince(part);
    part.restart();
    table.sync(model2->endTime());
    tableSeconds += secondsSince(part);
  }
  const double allSeconds = secondsSince(timer);
  const std::size_t heap3 = heapInUse();
  const double timelineBytes = static_cast<double>(heap1 - heap0);
  const double allBytes = static_cast<double>(heap3 - heap2) + static_cast<double>(sizeof(log)) +
                          static_cast<double>(sizeof(table));
  model2.reset();
  std::printf(
      "  ingest: timeline model %.2f M events/s (%.0f ms); with log + task table %.2f M "
      "events/s (%.0f ms: timeline %.0f, log %.0f, table %.0f)\n",
      static_cast<double>(n) / timelineSeconds / 1e6, timelineSeconds * 1e3,
      static_cast<double>(n) / allSeconds / 1e6, allSeconds * 1e3, appendSeconds * 1e3,
      logSeconds * 1e3, tableSeconds * 1e3);
  std::printf(
      "  memory: timeline model %.1f bytes/event (%.0f MB); log + task table on top "
      "%.1f bytes/event; all %.1f bytes/event (%.0f MB)\n",
      timelineBytes / static_cast<double>(n), timelineBytes / 1e6,
      (allBytes - timelineBytes) / static_cast<double>(n), allBytes / static_cast<double>(n),
      allBytes / 1e6);
  stream.clear();
  stream.shrink_to_fit();

  // Replot.
  views::TimelineWidget widget;
  widget.resize(kWidth, kHeight);
  widget.setModel(model.get());
  widget.refresh(model->endTime());
  widget.show();
  QApplication::processEvents();
  widget.setFollow(false);
  widget.zoomToFit();
  const std::int64_t start = model->startTime();
  const std::int64_t end = model->endTime();
  const std::int64_t mid = start + (end - start) / 2;
  auto measure = [&](const char* where) {
    std::printf("  replot (%s):", where);
    for (const double share : {1.0, 0.1, 0.01, 0.001, 0.0001}) {
      const auto half = static_cast<std::int64_t>(static_cast<double>(end - start) * share / 2);
      if (share >= 1.0)
        widget.zoomToFit();
      else
        widget.setWindow(
            {static_cast<double>(mid - half) * 1e-9, static_cast<double>(mid + half) * 1e-9});
      QApplication::processEvents();
      std::printf(" %g%% %.1f ms%s", share * 100, replotMs(widget.plot()),
                  share > 0.0001 ? "," : "\n");
    }
  };
  measure("top rows");
  if (auto* bar = widget.findChild<QScrollBar*>()) {
    bar->setValue((bar->minimum() + bar->maximum()) / 2);
    QApplication::processEvents();
    measure("middle rows");
  }
  std::fflush(stdout);
}

int usage(FILE* to)
{
  std::fprintf(to,
               "usage: %s [--source real|synthetic|both] [--size TASKSxEVENTS]...\n"
               "  default: --source both --size 10000x1000000 --size 100000x5000000\n",
               kProgram);
  return to == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char* argv[])
{
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  std::string source = "both";
  std::vector<Size> sizes;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "--help" || arg == "-h")
      return usage(stdout);
    if (arg == "--source" && i + 1 < argc) {
      source = argv[++i];
      if (source != "real" && source != "synthetic" && source != "both") {
        std::fprintf(stderr, "%s: --source: expected real, synthetic or both, got '%s'\n", kProgram,
                     source.c_str());
        return 2;
      }
    } else if (arg == "--size" && i + 1 < argc) {
      Size s;
      char x = 0;
      if (std::sscanf(argv[++i], "%zu%c%zu", &s.tasks, &x, &s.events) != 3 || x != 'x' ||
          s.tasks == 0 || s.events < s.tasks) {
        std::fprintf(stderr, "%s: --size: expected TASKSxEVENTS (e.g. 10000x1000000), got '%s'\n",
                     kProgram, argv[i]);
        return 2;
      }
      sizes.push_back(s);
    } else {
      std::fprintf(stderr, "%s: unknown option '%s'\n", kProgram, argv[i]);
      return usage(stderr);
    }
  }
  if (sizes.empty())
    sizes = {{10'000, 1'000'000}, {100'000, 5'000'000}};
  QApplication app(argc, argv);
  for (const Size& size : sizes) {
    if (source != "synthetic") {
      QElapsedTimer timer;
      timer.start();
      auto stream = realStream(size);
      std::printf("(engine run and decode: %.1f s)\n", secondsSince(timer));
      runOne("real", size, std::move(stream));
    }
    if (source != "real")
      runOne("synthetic", size, syntheticStream(size));
  }
  return 0;
}
