#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs loopscope-bench (tracing on and off) and the peer anchors (CPython asyncio, uvloop,
# Boost.Asio, Node; ../shared/anchors) in one go on this machine, REPS times each, and prints the
# medians with our ratio against every peer.
#
#   bench/compare.sh                 # 3 reps, all peers (~5 min on 2 cores)
#   REPS=1 PEERS="asyncio asio" bench/compare.sh
#   INSTALL=1 bench/compare.sh       # apt-get install the peers' packages if missing
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
anchors="${ANCHORS:-$root/../shared/anchors}"
REPS=${REPS:-3}
export REPS PEERS="${PEERS:-asyncio uvloop asio node}"

if [[ ! -f "$anchors/run_all.sh" ]]; then
  echo "compare.sh: peer anchors not found at $anchors (set ANCHORS=...)" >&2
  exit 2
fi

bench="$root/build/release/bench/loopscope-bench"
if [[ ! -x "$bench" || "${REBUILD:-0}" == 1 ]]; then
  [[ -f "$root/build/release/build.ninja" ]] || cmake --preset release -S "$root" >&2
  cmake --build "$root/build/release" --target loopscope-bench >&2
fi

stamp=$(date +%Y%m%dT%H%M%S)
out="$root/results"
mkdir -p "$out"
ours="$out/loopscope-$stamp.jsonl"
: >"$ours"
for rep in $(seq 1 "$REPS"); do
  for w in w1 w2 w3 w4 w5 w6; do
    for trace in on off; do
      printf '[rep %s/%s] loopscope %-3s %s ' "$rep" "$REPS" "$trace" "$w" >&2
      if line=$("$bench" --trace "$trace" "$w"); then
        echo "$line" >>"$ours"
        echo ok >&2
      else
        echo FAILED >&2
      fi
    done
  done
  # W3 at low load, like the anchors' second W3 row.
  "$bench" --trace on --n 1000 w3 >>"$ours"
done

# The anchors write build/ and results/ next to themselves: run a private copy.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$anchors"/. "$work"/
(cd "$work" && bash run_all.sh >/dev/null)
peers_raw=$(ls "$work"/results/raw-*.jsonl)
cp "$peers_raw" "$out/peers-$stamp.jsonl"

python3 "$here/compare.py" "$ours" "$out/peers-$stamp.jsonl" | tee "$out/compare-$stamp.md"
echo "raw: $ours $out/peers-$stamp.jsonl" >&2
