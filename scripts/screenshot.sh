#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: scripts/screenshot.sh [--wait <seconds>] <out.png> [loopscope options...]
# Builds the release preset if needed, starts loopscope (with the given options, e.g. --run
# --at 3000:sigint) on a virtual X server (Xvfb), waits <seconds> after its window appears
# (default 1.5) and captures the window with ImageMagick's `import`. Falls back to the app's own
# --screenshot on the offscreen platform.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Runs inside xvfb-run, as `screenshot.sh --in-xvfb <app> <shot> <work>`: starts the app, waits
# for its window to be mapped, lets it paint, then grabs the screen and cuts the window out.
capture_in_xvfb() {
  local app=$1 shot=$2 work=$3 wait=$4
  shift 4
  "$app" "$@" &
  local pid=$! geometry=""
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "screenshot.sh: loopscope exited before its window appeared" >&2
      return 1
    fi
    # WIDTHxHEIGHT+X+Y of the top-level window titled "loopscope", once it is mapped. (Not
    # `import -window loopscope`: while no such window exists, it waits for a mouse click.)
    geometry=$(xwininfo -name loopscope 2>/dev/null |
      awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF}
           /^ *Width:/{w=$NF} /^ *Height:/{h=$NF} /Map State: IsViewable/{v=1}
           END{if (v) printf "%dx%d+%d+%d", w, h, x, y}' || true)
    [[ -n $geometry ]] && break
    sleep 0.2
  done
  if [[ -z $geometry ]]; then
    echo "screenshot.sh: no loopscope window appeared within 20 s" >&2
    kill "$pid" 2>/dev/null || true
    return 1
  fi
  sleep "$wait"  # first paint and the plot's queued replot, or the scripted run
  import -window root "$work/root.png"
  # SIGKILL: while a scenario runs, SIGTERM is the scenario's to handle (like a Ctrl-C), so it
  # may not end the app; the picture is taken and nothing needs saving.
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  convert "$work/root.png" -crop "$geometry" +repage "$shot"
}

# True when the image is (nearly) one flat colour, i.e. nothing was painted.
is_blank() {
  local deviation
  deviation=$(convert "$1" -format '%[fx:standard_deviation]' info:)
  awk -v d="$deviation" 'BEGIN { exit !(d < 0.01) }'
}

if [[ ${1-} == --in-xvfb ]]; then
  shift
  capture_in_xvfb "$@"
  exit
fi

wait_s=1.5
if [[ ${1-} == --wait ]]; then
  if [[ $# -lt 2 || ! $2 =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
    echo "screenshot.sh: --wait needs a number of seconds, e.g. --wait 5" >&2
    exit 2
  fi
  wait_s=$2
  shift 2
fi
if [[ $# -lt 1 || -z $1 || $1 == -* ]]; then
  echo "usage: scripts/screenshot.sh [--wait <seconds>] <out.png> [loopscope options...]" >&2
  exit 2
fi

ensure_deps
continue_as_invoking_user "${BASH_SOURCE[0]}" --wait "$wait_s" "$@"
build_preset release --target loopscope

out=$(realpath -m -- "$1")
shift
app=$LOOPSCOPE_ROOT/build/release/app/loopscope
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fresh settings directory: the picture shows the default layout, and the user's saved
# window layout is neither used nor overwritten.
export XDG_CONFIG_HOME=$work/config
if [[ -z ${XDG_RUNTIME_DIR:-} ]]; then
  mkdir -m 700 "$work/runtime"
  export XDG_RUNTIME_DIR=$work/runtime  # Qt warns without one
fi

shot=$work/shot.png
if xvfb-run -a -s "-screen 0 1600x1000x24" \
      bash "${BASH_SOURCE[0]}" --in-xvfb "$app" "$shot" "$work" "$wait_s" "$@" &&
      ! is_blank "$shot"; then
  echo "screenshot.sh: captured the window on Xvfb"
else
  echo "screenshot.sh: Xvfb capture failed; using loopscope --screenshot (offscreen)" >&2
  delay_ms=$(awk -v s="$wait_s" 'BEGIN { printf "%d", s * 1000 }')
  QT_QPA_PLATFORM=offscreen "$app" "$@" --screenshot "$shot" --screenshot-delay "$delay_ms"
fi

# Copy next to the destination first, so the final rename is atomic.
mkdir -p "$(dirname "$out")"
cp "$shot" "$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
echo "screenshot.sh: wrote $out ($(identify -format '%wx%h' "$out"))"
