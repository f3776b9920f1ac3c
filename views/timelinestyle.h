// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <views/timelinemodel.h>

#include <QColor>

namespace loopscope::views {

// The colour of a task state, shared by the timeline bars and the task table. Built on the
// Okabe-Ito palette, which stays distinguishable with the common colour-vision deficiencies;
// the two reds (cancelling, failed) also differ in lightness, and cancelling bars get a stripe.
[[nodiscard]] inline QColor stateColor(TaskState state)
{
  switch (state) {
    case TaskState::Running:
      return QColor(0x00, 0x9E, 0x73);  // bluish green
    case TaskState::Ready:
      return QColor(0xE6, 0x9F, 0x00);  // amber
    case TaskState::Suspended:
      return QColor(0xB3, 0xC6, 0xD9);  // light grey-blue
    case TaskState::Cancelling:
      return QColor(0xD5, 0x5E, 0x00);  // vermillion (orange-red)
    case TaskState::Done:
      return QColor(0x55, 0x55, 0x55);  // dark grey
    case TaskState::Failed:
      return QColor(0xA5, 0x00, 0x26);  // deep red
    case TaskState::Cancelled:
      return QColor(0x7B, 0x32, 0x94);  // purple
    case TaskState::Count_:
      break;
  }
  return QColor(Qt::black);
}

}  // namespace loopscope::views
