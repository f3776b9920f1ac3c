# SPDX-License-Identifier: GPL-3.0-or-later
# Running blocking functions off the loop: loop.run_in_executor(None, fn, arg) and
# asyncio.to_thread(fn, *args, **kwargs): results, exceptions propagating to the awaiter,
# the loop staying responsive (a ticker task keeps running while a thread sleeps), gather over
# several thread jobs (results in order), a bound method run in a thread.
import asyncio
import time


def blocking_square(x, delay=0.05):
    time.sleep(delay)
    return x * x


def blocking_fail(reason):
    time.sleep(0.01)
    raise OSError(reason)


class Store:
    def __init__(self):
        self.saved = []

    def save(self, item):
        time.sleep(0.01)
        self.saved.append(item)
        return len(self.saved)


async def ticker(events, stop):
    while not stop.is_set():
        events.append("tick")
        await asyncio.sleep(0.02)


async def main():
    loop = asyncio.get_running_loop()
    print("run_in_executor:", await loop.run_in_executor(None, blocking_square, 7))
    print("to_thread:", await asyncio.to_thread(blocking_square, 8, delay=0.01))
    try:
        await loop.run_in_executor(None, blocking_fail, "disk full")
    except OSError as e:
        print("executor exception:", repr(e))
    try:
        await asyncio.to_thread(blocking_fail, "no route")
    except OSError as e:
        print("to_thread exception:", repr(e))

    events = []
    stop = asyncio.Event()
    tick_task = asyncio.create_task(ticker(events, stop))
    result = await asyncio.to_thread(blocking_square, 3, delay=0.15)
    stop.set()
    await tick_task
    print("ticker kept running during the thread:", len(events) >= 3, "result", result)

    results = await asyncio.gather(*(asyncio.to_thread(blocking_square, n, delay=0.01 * (4 - n)) for n in range(4)))
    print("gathered thread results:", results)
    store = Store()
    counts = [await asyncio.to_thread(store.save, item) for item in "ab"]
    print("bound method in thread:", counts, store.saved)


asyncio.run(main())
