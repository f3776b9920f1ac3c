// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <engine/coro.h>

namespace loopscope::app {

// The scenario loopscope runs at start-up: about 7 s of loop time that shows the engine's core
// features plainly. `main` starts four named workers and lets them run for 4 s:
//   ticker     prints a tick every 0.5 s;
//   fetcher    fetches inside a 300 ms timeout; its second fetch is too slow and times out, and
//              its third blocks the loop for 150 ms while "parsing" (a slow step);
//   stubborn   catches CancelledError and carries on (a swallowed cancellation, the classic
//              shutdown hang), but gives up on its own three rounds later;
//   validator  fails with an exception on its third item.
// Then main cancels the workers with the message "shutdown" and awaits each one, saying how it
// ended. Cancelling main itself (Stop) shuts the workers down the same way, then ends cancelled.
// Must run inside a task on an engine::Loop.
engine::Coro<void> demoScenario();

}  // namespace loopscope::app
