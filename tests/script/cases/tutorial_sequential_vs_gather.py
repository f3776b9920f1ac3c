# SPDX-License-Identifier: GPL-3.0-or-later
# Tutorial-style timing comparison: three fake downloads awaited one after another take the sum
# of their delays, the same three under asyncio.gather take the longest; create_task started
# early overlaps too. Times come from time.perf_counter and are printed rounded to 0.1 s.
import asyncio
import time


async def download(name, seconds):
    await asyncio.sleep(seconds)
    return f"{name} ({seconds}s)"


JOBS = [("a", 0.1), ("b", 0.2), ("c", 0.1)]


async def sequential():
    return [await download(name, s) for name, s in JOBS]


async def concurrent():
    return await asyncio.gather(*(download(name, s) for name, s in JOBS))


async def early_tasks():
    tasks = [asyncio.create_task(download(name, s)) for name, s in JOBS]
    return [await t for t in tasks]


async def main():
    for strategy in (sequential, concurrent, early_tasks):
        start = time.perf_counter()
        results = await strategy()
        elapsed = time.perf_counter() - start
        print(f"{strategy.__name__:<12} took {round(elapsed, 1)} s: {results}")


asyncio.run(main())
