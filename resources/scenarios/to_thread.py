# SPDX-License-Identifier: GPL-3.0-or-later
# to_thread(): blocking calls on worker threads, the loop stays free
#
# A blocking function (time.sleep standing in for a slow file or a
# C library) must not run on the loop's thread.
# asyncio.to_thread() runs it on a thread of the default executor
# and lets the task await the result; meanwhile the heartbeat
# keeps ticking. Two calls run at once on two threads.
import asyncio
import time


def read_file(name, seconds):
    time.sleep(seconds)  # blocks this worker thread only
    return f"{name}: {int(seconds * 1000)} kB"


async def heartbeat(stop):
    ticks = 0
    while not stop.is_set():
        await asyncio.sleep(0.25)
        ticks += 1
    print("heartbeat kept ticking:", ticks > 4)


async def load(name, seconds):
    print(f"{name}: reading on a worker thread")
    result = await asyncio.to_thread(read_file, name, seconds)
    print("read", result)


async def main():
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(stop), name="heartbeat")
    await asyncio.gather(
        asyncio.create_task(load("big.csv", 2), name="big.csv"),
        asyncio.create_task(load("small.csv", 1), name="small.csv"),
    )
    stop.set()
    await beat


asyncio.run(main())
