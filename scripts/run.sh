#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds the release preset (only what changed) and launches loopscope.
# Arguments are passed to the app, e.g. scripts/run.sh --screenshot shot.png
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_deps
continue_as_invoking_user "${BASH_SOURCE[0]}" "$@"
build_preset release --target loopscope

needs_display=1
for arg in "$@"; do
  case $arg in
    -h | -\? | --help | --help-all | -v | --version) needs_display=0 ;;
  esac
done

if [[ $needs_display == 1 && -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} &&
      -z ${QT_QPA_PLATFORM:-} ]]; then
  cat >&2 <<'MSG'
run.sh: loopscope is built, but there is no display to show it on (neither DISPLAY nor
WAYLAND_DISPLAY is set). To run it without a display, from the repository root:
  xvfb-run -a scripts/run.sh                                     # inside a virtual X server
  QT_QPA_PLATFORM=offscreen scripts/run.sh --screenshot shot.png # save one picture and exit
  scripts/screenshot.sh shot.png                                 # the same, via Xvfb
MSG
  exit 2
fi

# Started from the caller's directory, so relative paths in arguments mean what they say.
exec "$LOOPSCOPE_ROOT/build/release/app/loopscope" "$@"
