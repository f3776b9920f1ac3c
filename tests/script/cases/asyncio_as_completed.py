# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.as_completed: results in completion order (not argument order), an exception raised
# at the iteration step where that awaitable completes, a timeout raising TimeoutError for the
# remaining ones, mixing coroutines and named tasks.
import asyncio


async def fetch(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise LookupError(f"{name} not found")
    return f"{name}@{delay}"


async def main():
    coros = [fetch("slow", 0.05), fetch("fast", 0.01), fetch("medium", 0.03)]
    for i, next_done in enumerate(asyncio.as_completed(coros)):
        print(i, await next_done)

    tasks = [asyncio.create_task(fetch(n, d, f), name=n)
             for n, d, f in [("one", 0.02, False), ("two", 0.01, True), ("three", 0.03, False)]]
    for next_done in asyncio.as_completed(tasks):
        try:
            print("ok:", await next_done)
        except LookupError as e:
            print("failed:", e)

    got = []
    try:
        for next_done in asyncio.as_completed([fetch("a", 0.01), fetch("b", 0.3), fetch("c", 0.02)], timeout=0.1):
            got.append(await next_done)
    except TimeoutError:
        print("timed out after", got)


asyncio.run(main())
