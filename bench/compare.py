#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Medians of loopscope-bench and the peer anchors, with ratios (how many times better we are).

Usage: compare.py OURS.jsonl PEERS.jsonl     (stdlib only)
"""
import json
import statistics
import sys

PEERS = ["asyncio", "uvloop", "asio", "node"]
# label, workload key, field, higher_is_better, format
ROWS = [
    ("W1 spawn+await 100k, tasks/s", "w1", "tasks_per_s", True, "{:,.0f}"),
    ("W2 switches/s (1k tasks x 1k yields)", "w2", "switches_per_s", True, "{:,.0f}"),
    ("W3 timers 100k: lateness p99 ms", "w3@100000", "late_p99_ms", False, "{:.2f}"),
    ("W3 100k: peak RSS MB", "w3@100000", "peak_rss_kb", False, "{:.0f}"),
    ("W3 N=1,000: lateness mean ms", "w3@1000", "late_mean_ms", False, "{:.3f}"),
    ("W3 N=1,000: lateness p99 ms", "w3@1000", "late_p99_ms", False, "{:.3f}"),
    ("W4 cancel storm 100k, ms", "w4", "cancel_ms", False, "{:.1f}"),
    ("W5 timeout(10ms) x100k: per-op us", "w5", "per_op_us", False, "{:.2f}"),
    ("W6 bytes per sleeping task", "w6", "bytes_per_task", False, "{:,.0f}"),
]
SCALE = {"peak_rss_kb": 1 / 1024}


def key(rec):
    w = rec["workload"]
    return f"w3@{rec['n']}" if w == "w3" else w


def load(paths):
    runs = {}
    for p in paths:
        with open(p) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    r = json.loads(line)
                    runs.setdefault((r["peer"], key(r)), []).append(r)
    return runs


def median(runs, peer, k, field):
    vals = [r[field] for r in runs.get((peer, k), []) if field in r]
    return statistics.median(vals) * SCALE.get(field, 1) if vals else None


def main(paths):
    runs = load(paths)
    cols = ["loopscope", "loopscope-notrace"] + PEERS
    heads = ["loopscope (trace on)", "loopscope (trace off)"] + PEERS
    print("| metric | " + " | ".join(heads) + " | " +
          " | ".join(f"x vs {p}" for p in PEERS) + " |")
    print("|---|" + "---:|" * (len(cols) + len(PEERS)))
    for label, k, field, higher, fmt in ROWS:
        vals = {c: median(runs, c, k, field) for c in cols}
        if vals["loopscope"] is None:
            continue
        cells = [fmt.format(v) if v is not None else "–" for v in vals.values()]
        ours = vals["loopscope"]
        ratios = []
        for p in PEERS:
            v = vals[p]
            if v is None or ours in (None, 0) or v == 0:
                ratios.append("–")
            else:
                ratios.append(f"{(ours / v) if higher else (v / ours):.1f}")
        print(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    on, off = median(runs, "loopscope", "w2", "switches_per_s"), \
        median(runs, "loopscope-notrace", "w2", "switches_per_s")
    if on and off:
        print(f"\nTracing cost on W2: {100 * (off / on - 1):.0f}% more time per switch "
              f"({on:,.0f} vs {off:,.0f} switches/s).")
    print("\nRatios: how many times better loopscope (trace on) is than the peer "
          "(throughput: ours/peer; times and bytes: peer/ours). Medians of "
          f"{max(len(v) for v in runs.values())} runs.")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: compare.py OURS.jsonl PEERS.jsonl")
    main(sys.argv[1:])
