# SPDX-License-Identifier: GPL-3.0-or-later
# Script benchmark "switch": TASKS tasks each doing YIELDS `await asyncio.sleep(0)`.
# Runs unchanged under CPython asyncio and `loopscope run`; prints one JSON line
# (n = total switches).
import asyncio
import time

TASKS = 1000
YIELDS = 1000


async def worker():
    for _ in range(YIELDS):
        await asyncio.sleep(0)


async def main():
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(worker()) for _ in range(TASKS)]
    await asyncio.gather(*tasks)
    seconds = time.perf_counter() - t0
    print('{"workload": "switch", "n": ' + str(TASKS * YIELDS) + ', "seconds": ' + repr(seconds) + '}')


asyncio.run(main())
