# SPDX-License-Identifier: GPL-3.0-or-later
# Script benchmark "wait_for": N concurrent tasks each awaiting
# asyncio.wait_for(asyncio.sleep(1), 0.01) and catching the TimeoutError.
# Real clock: the total includes the 10 ms timeout. Prints one JSON line.
import asyncio
import time

N = 10000


async def one():
    try:
        await asyncio.wait_for(asyncio.sleep(1), 0.01)
    except TimeoutError:
        return 1
    return 0


async def main():
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(one()) for _ in range(N)]
    results = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - t0
    assert sum(results) == N
    print('{"workload": "wait_for", "n": ' + str(N) + ', "seconds": ' + repr(seconds) + '}')


asyncio.run(main())
