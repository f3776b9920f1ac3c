#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""TCP echo over the loopback with asyncio streams: the peer of bench/echo.cpp.

One server and C concurrent clients on one event loop (one thread). Each client connects, waits
until every client is connected, then sends M lines of 64 bytes, reading each echo before sending
the next line. Prints one JSON line with the same keys as loopscope-echo-bench.

    python3 bench/echo_py.py --loop asyncio|uvloop [--clients 1000] [--messages 100]
"""

import argparse
import asyncio
import json
import platform
import resource
import sys
import time


async def echo_handler(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line)
        await writer.drain()
    writer.close()


async def client(port, index, run):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    run["connected"] += 1
    if run["connected"] == run["clients"]:
        run["all_connected"].set()
    await run["go"].wait()
    msg = b"x" * 63 + b"\n"
    out = run["latency_us"]
    base = index * run["messages"]
    perf = time.perf_counter
    for i in range(run["messages"]):
        t0 = perf()
        writer.write(msg)
        await writer.drain()
        echo = await reader.readline()
        out[base + i] = (perf() - t0) * 1e6
        if echo != msg:
            raise RuntimeError("echo mismatch")
    writer.close()
    await writer.wait_closed()


async def bench(run):
    run["all_connected"] = asyncio.Event()
    run["go"] = asyncio.Event()
    server = await asyncio.start_server(echo_handler, "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    tasks = [asyncio.create_task(client(port, i, run)) for i in range(run["clients"])]
    await run["all_connected"].wait()
    t0 = time.perf_counter()
    run["go"].set()
    await asyncio.gather(*tasks)
    secs = time.perf_counter() - t0
    server.close()
    await server.wait_closed()
    return secs


def percentile(values, p):
    s = sorted(values)
    return s[int(p * (len(s) - 1))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--messages", type=int, default=100)
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.loop == "uvloop":
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

    run = {
        "clients": args.clients,
        "messages": args.messages,
        "connected": 0,
        "latency_us": [0.0] * (args.clients * args.messages),
    }
    secs = asyncio.run(bench(run))
    lat = run["latency_us"]
    n = len(lat)
    print(
        json.dumps(
            {
                "peer": args.loop,
                "workload": "echo",
                "clients": args.clients,
                "messages": args.messages,
                "round_trips": n,
                "seconds": round(secs, 4),
                "round_trips_per_s": round(n / secs, 1),
                "p50_us": round(percentile(lat, 0.50), 1),
                "p99_us": round(percentile(lat, 0.99), 1),
                "python": platform.python_version(),
                "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
