# SPDX-License-Identifier: GPL-3.0-or-later
# Script benchmark "spawn": create N tasks that return at once and gather them.
# Runs unchanged under CPython asyncio and `loopscope run`; prints one JSON line.
import asyncio
import time

N = 10000


async def job(i):
    return i


async def main():
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(job(i)) for i in range(N)]
    results = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - t0
    assert len(results) == N and results[-1] == N - 1
    print('{"workload": "spawn", "n": ' + str(N) + ', "seconds": ' + repr(seconds) + '}')


asyncio.run(main())
