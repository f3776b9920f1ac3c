// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the main-window tests (tst_mainwindow, tst_scriptdock).

#include "mainwindow.h"

#include <views/timelinemodel.h>

#include <QAction>

#include <cstdint>

namespace loopscope::testsupport {

// The window's action with this object name; a missing one ends the test run.
inline QAction* action(const app::MainWindow& w, const char* name)
{
  auto* a = w.findChild<QAction*>(QString::fromLatin1(name));
  if (a == nullptr)
    qFatal("no action %s", name);
  return a;
}

// The id of the first task called `name` (0: none yet).
inline std::uint32_t taskNamed(const views::TimelineModel& m, const char* name)
{
  for (std::size_t i = 0; i < m.taskCount(); ++i)
    if (m.taskAt(i).name == name)
      return m.taskAt(i).id;
  return 0;
}

}  // namespace loopscope::testsupport
