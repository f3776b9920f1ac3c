#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the README's screenshots in docs/: each is a real run of a built-in scenario on
# Xvfb, driven by loopscope's --at actions and captured by scripts/screenshot.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shot() { bash scripts/screenshot.sh "$@"; }

# The default scenario serving, 3.5 s into the run (follow mode, live "now" line).
shot --wait 4 docs/run-in-progress.png --run --at 3200:select:worker-2
# SIGINT at 3 s: main cancels every worker; arrows from the request to each CancelledError,
# the workers' cleanups (cancelling), the shutdown phases; the inspector on one worker.
shot --wait 5 docs/cancellation.png --run --at 3000:sigint --at 4300:window:2.6-3.8 \
  --at 4400:select:worker-2
# One worker swallows its CancelledError: asyncio.run's shutdown waits for it until the
# 5 s grace deadline, which names the culprit and ends the run with status 124.
shot --wait 9.5 docs/swallowed-cancel.png --scenario swallowed-cancel --run --at 2500:sigint \
  --at 8800:fit --at 8900:select:worker-3
# A 1.5 s time.sleep() inside a step: the loop row turns to the warning colour, the ticker
# waits "ready" for the whole block; then the same wait done right with await sleep().
shot --wait 6.5 docs/blocked-loop.png --scenario blocking-call --run --at 5600:fit \
  --at 5700:select:ticker
# The cancellation run again in the dark theme (what a dark desktop palette gives).
shot --wait 5 docs/dark-theme.png --theme dark --run --at 3000:sigint --at 4300:window:2.6-3.8 \
  --at 4400:select:worker-2
# A long run under retention: the soak scenario keeping the last 15 s; the window shows the
# whole run, the dropped past hatched, the status bar counting what went.
shot --wait 42 docs/soak-retention.png --scenario soak --retention 15s --run \
  --at 40000:window:0-40 --at 40100:select:supervisor
