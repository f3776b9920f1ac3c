#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The script benchmark: the same asyncio programs (bench/scripts/*.py) under CPython asyncio
# (/usr/bin/python3) and under `loopscope run` on the real clock, REPS times each, interleaved.
# Each script times its own workload with time.perf_counter() inside asyncio.run and prints one
# JSON line; this prints the medians as a markdown table, speed-up = CPython s / loopscope s
# (above 1 means loopscope is faster).
#
# A second table gives the whole process's wall time (start-up and parsing included), with a
# `loopscope run --virtual-time` column: there sleeps take no real time, so wait_for loses its
# 10 ms and what is left is the interpreter and the engine. (The in-script seconds mean nothing
# on a virtual clock, which is why this table times the process from outside.)
#
#   bench/script_compare.sh
#   LOOPSCOPE=build/bench-rel/app/loopscope REPS=3 bench/script_compare.sh
#   WORKLOADS="spawn switch" VIRTUAL=0 bench/script_compare.sh
#
# It builds nothing: build the `loopscope` target first (release preset). Raw JSON lines go to
# results/script-<stamp>.jsonl (git ignores results/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
PY=${PY:-/usr/bin/python3}
REPS=${REPS:-5}
VIRTUAL=${VIRTUAL:-1}
WORKLOADS=${WORKLOADS:-spawn switch wait_for}
LOOPSCOPE=${LOOPSCOPE:-$root/build/release/app/loopscope}

if [[ ! -x "$LOOPSCOPE" ]]; then
  echo "script_compare.sh: no loopscope binary at $LOOPSCOPE (build the loopscope target, or set LOOPSCOPE=...)" >&2
  exit 2
fi
if [[ ! -x "$PY" ]]; then
  echo "script_compare.sh: no Python at $PY" >&2
  exit 2
fi
read -r -a workloads <<<"$WORKLOADS"
for w in "${workloads[@]}"; do
  [[ -f "$here/scripts/$w.py" ]] || { echo "script_compare.sh: no bench/scripts/$w.py" >&2; exit 2; }
done

out="$root/results"
mkdir -p "$out"
raw="$out/script-$(date +%Y%m%dT%H%M%S).jsonl"
: >"$raw"

# run LABEL CMD...: runs one script, appends its JSON line (tagged with the runner and the process
# wall time) to $raw and sets $secs (in-script) and $wall (process, seconds).
secs="" wall=""
run() {
  local label=$1 line t0 t1
  shift
  t0=$EPOCHREALTIME
  if ! line=$("$@" | tail -n 1); then
    echo "script_compare.sh: '$*' failed" >&2
    exit 1
  fi
  t1=$EPOCHREALTIME
  secs=$(sed -n 's/.*"seconds": *\([0-9.eE+-]*\).*/\1/p' <<<"$line")
  if [[ -z "$secs" ]]; then
    echo "script_compare.sh: '$*' printed no seconds: $line" >&2
    exit 1
  fi
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  printf '%s, "runner": "%s", "wall": %s}\n' "${line%\}}" "$label" "$wall" >>"$raw"
}

median() { # numbers on stdin -> median
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A s_py s_ls w_py w_ls w_vt
for w in "${workloads[@]}"; do
  script="$here/scripts/$w.py"
  for rep in $(seq 1 "$REPS"); do
    printf '[%s %s/%s] ' "$w" "$rep" "$REPS" >&2
    run cpython "$PY" "$script"
    s_py[$w]+="$secs "; w_py[$w]+="$wall "
    printf 'cpython %ss ' "$secs" >&2
    run loopscope "$LOOPSCOPE" run "$script"
    s_ls[$w]+="$secs "; w_ls[$w]+="$wall "
    printf 'loopscope %ss ' "$secs" >&2
    if [[ "$VIRTUAL" == 1 ]]; then
      run loopscope-virtual "$LOOPSCOPE" run --virtual-time "$script"
      w_vt[$w]+="$wall "
      printf 'virtual (process) %ss' "$wall" >&2
    fi
    echo >&2
  done
done

med() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%.3f", a }'; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "versions: $("$PY" --version 2>&1) ($PY); $("$LOOPSCOPE" --version 2>&1 | head -n 1) ($LOOPSCOPE); tree $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
echo "median of $REPS runs each; raw results in ${raw#"$root"/}"
echo
echo "| workload | CPython s | loopscope s | speed-up (CPython/loopscope) |"
echo "|---|---:|---:|---:|"
for w in "${workloads[@]}"; do
  py=$(med "${s_py[$w]}")
  ls=$(med "${s_ls[$w]}")
  echo "| $w | $(fmt "$py") | $(fmt "$ls") | $(ratio "$py" "$ls") |"
done

echo
echo "Whole process, wall time (start-up included):"
echo
if [[ "$VIRTUAL" == 1 ]]; then
  echo "| workload | CPython s | loopscope s | loopscope --virtual-time s |"
  echo "|---|---:|---:|---:|"
else
  echo "| workload | CPython s | loopscope s |"
  echo "|---|---:|---:|"
fi
for w in "${workloads[@]}"; do
  row="| $w | $(fmt "$(med "${w_py[$w]}")") | $(fmt "$(med "${w_ls[$w]}")") |"
  if [[ "$VIRTUAL" == 1 ]]; then
    row+=" $(fmt "$(med "${w_vt[$w]}")") |"
  fi
  echo "$row"
done
