#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# TCP echo over the loopback (1,000 clients × M lines of 64 bytes, one loop): loopscope (tracing
# on and off) against CPython asyncio and uvloop, with Debian's /usr/bin/python3, REPS times each.
# Prints the medians and how we compare: "x faster" = our round trips/s ÷ theirs, "x lower p99" =
# their p99 latency ÷ ours (above 1 means we are better on both).
#
#   bench/echo_compare.sh
#   BIN=/tmp/b-rel/bench/loopscope-echo-bench REPS=3 MESSAGES=200 bench/echo_compare.sh
#
# Needs python3-uvloop (apt-get install -y python3-uvloop) for the uvloop row; without it the row
# is skipped. Raw JSON lines go to results/echo-<stamp>.jsonl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
PY=${PY:-/usr/bin/python3}
REPS=${REPS:-1}
CLIENTS=${CLIENTS:-1000}
MESSAGES=${MESSAGES:-100}

bin="${BIN:-$root/build/release/bench/loopscope-echo-bench}"
if [[ ! -x "$bin" || "${REBUILD:-0}" == 1 ]]; then
  [[ -f "$root/build/release/build.ninja" ]] || cmake --preset release -S "$root" >&2
  cmake --build "$root/build/release" --target loopscope-echo-bench >&2
  bin="$root/build/release/bench/loopscope-echo-bench"
fi

out="$root/results"
mkdir -p "$out"
raw="$out/echo-$(date +%Y%m%dT%H%M%S).jsonl"
: >"$raw"
args=(--clients "$CLIENTS" --messages "$MESSAGES")
for rep in $(seq 1 "$REPS"); do
  for peer in loopscope-notrace loopscope asyncio uvloop; do
    printf '[rep %s/%s] %-18s ' "$rep" "$REPS" "$peer" >&2
    case "$peer" in
      loopscope-notrace) cmd=("$bin" --trace off "${args[@]}") ;;
      loopscope) cmd=("$bin" --trace on "${args[@]}") ;;
      asyncio) cmd=("$PY" "$here/echo_py.py" --loop asyncio "${args[@]}") ;;
      uvloop)
        if ! "$PY" -c 'import uvloop' 2>/dev/null; then
          echo "skipped (python3-uvloop not installed)" >&2
          continue
        fi
        cmd=("$PY" "$here/echo_py.py" --loop uvloop "${args[@]}")
        ;;
    esac
    if line=$("${cmd[@]}"); then
      echo "$line" >>"$raw"
      echo ok >&2
    else
      echo FAILED >&2
    fi
  done
done

"$PY" - "$raw" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows.setdefault(r["peer"], []).append(r)
def med(peer, key):
    return statistics.median(r[key] for r in rows[peer])
if "loopscope-notrace" not in rows:
    sys.exit("echo_compare: no loopscope result")
ours_rt = med("loopscope-notrace", "round_trips_per_s")
ours_p99 = med("loopscope-notrace", "p99_us")
first = next(iter(rows.values()))[0]
print(f"echo: {first['clients']} clients x {first['messages']} lines of 64 B, loopback, "
      f"one loop; medians of {len(rows['loopscope-notrace'])} run(s); ratios vs loopscope "
      f"(tracing off)")
print(f"{'peer':<20}{'round trips/s':>15}{'p50 us':>10}{'p99 us':>10}"
      f"{'ours x faster':>16}{'ours x lower p99':>19}")
for peer in ["loopscope-notrace", "loopscope", "asyncio", "uvloop"]:
    if peer not in rows:
        continue
    rt, p50, p99 = (med(peer, k) for k in ("round_trips_per_s", "p50_us", "p99_us"))
    print(f"{peer:<20}{rt:>15,.0f}{p50:>10.1f}{p99:>10.1f}"
          f"{ours_rt / rt:>16.2f}{p99 / ours_p99:>19.2f}")
print(f"raw: {sys.argv[1]}")
EOF
