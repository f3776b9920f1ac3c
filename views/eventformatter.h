// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/event.h>
#include <engine/sink.h>

#include <QHash>
#include <QString>

#include <cstdint>
#include <iterator>
#include <optional>

namespace loopscope::views {

// Turns decoded engine events into readable log lines, one event at a time and in stream order:
//
//     "  1.234 s  worker-2      suspended at demoscenario.cpp:41 (sleep until 1.500 s)"
//
// The stream names things once (TaskCreated/TaskRenamed carry task names, SiteDefined carries
// await sites) and refers to them by id afterwards, so the formatter keeps those tables. Feed it
// every event of one run, including the ones it does not show; reset() before the next run.
class EventFormatter
{
public:
  struct Options
  {
    // StepBegin and CallbackBegin/CallbackEnd: the loop thread picking up work. Useful when
    // studying scheduling order, noise otherwise.
    bool showSteps = false;
  };

  EventFormatter() = default;
  explicit EventFormatter(Options options) : m_options(options) {}

  // Records what `event` defines (names, sites) and returns its line, or an empty string for
  // bookkeeping events that are not shown (SiteDefined, Text, LoopWait/LoopWake, steps).
  [[nodiscard]] QString format(const engine::DecodedEvent& event);

  // Whether learn() records anything from events of this kind (TaskCreated, TaskRenamed,
  // SiteDefined, ObjectCreated).
  [[nodiscard]] static bool learns(engine::EventKind kind) noexcept
  {
    return kind == engine::EventKind::TaskCreated || kind == engine::EventKind::TaskRenamed ||
           kind == engine::EventKind::SiteDefined || kind == engine::EventKind::ObjectCreated;
  }
  // Records what `event` defines (task names, sites, object labels) without formatting it.
  void learn(const engine::DecodedEvent& event);
  // Whether events of this kind have a line (bookkeeping kinds do not; steps only if asked).
  [[nodiscard]] bool shows(engine::EventKind kind) const noexcept;
  // The message part of `event`'s line (no time, no name) with the names and sites learnt so far,
  // or nullopt when it is not shown. Learns nothing: learn() the events in order first.
  [[nodiscard]] std::optional<QString> describe(const engine::DecodedEvent& event) const;

  // Forgets every task name and site (a new run numbers them from 1 again).
  void reset();
  // Forgets the names of the tasks for which gone(id) is true, and the labels of the objects
  // (retention dropped them: a soak run's millions of tasks must not pile up here).
  template <class Gone>
  void forgetTasks(Gone gone)
  {
    for (auto it = m_taskNames.begin(); it != m_taskNames.end();)
      it = gone(it.key()) ? m_taskNames.erase(it) : std::next(it);
  }
  template <class Gone>
  void forgetObjects(Gone gone)
  {
    for (auto it = m_objects.begin(); it != m_objects.end();)
      it = gone(it.key()) ? m_objects.erase(it) : std::next(it);
  }

  // "worker-2"; "Task-<id>" for a task the stream has not named; "loop" for id 0.
  [[nodiscard]] QString taskName(std::uint32_t task) const;
  // "demoscenario.cpp:41"; "site #<id>" for a site the stream has not defined; empty for 0.
  [[nodiscard]] QString siteLocation(std::uint32_t site) const;
  // The function the site is in, e.g. "worker(int)"; empty when unknown.
  [[nodiscard]] QString siteFunction(std::uint32_t site) const;

private:
  struct Site
  {
    QString location;  // basename:line
    QString function;
  };

  [[nodiscard]] QString at(std::uint32_t site) const;  // " at file:line", or empty

  Options m_options;
  QHash<std::uint32_t, QString> m_taskNames;
  QHash<std::uint32_t, Site> m_sites;
  QHash<std::uint64_t, QString> m_objects;  // ObjectCreated labels by object id
};

}  // namespace loopscope::views
