# SPDX-License-Identifier: GPL-3.0-or-later
# Blocking the loop: time.sleep() vs await asyncio.sleep()
#
# One thread runs every task. A heartbeat task wants to tick every
# 0.25 s. While "blocker" calls time.sleep(1.5) the thread is
# stuck in that call: no other task runs, the heartbeat misses its
# ticks (the long amber "ready" bar and the hazard-yellow step on
# the loop row). Then the same wait done with `await
# asyncio.sleep(1.5)` leaves the loop free.
import asyncio
import time


async def heartbeat(stop):
    loop = asyncio.get_running_loop()
    last = loop.time()
    while not stop.is_set():
        await asyncio.sleep(0.25)
        now = loop.time()
        if now - last > 0.5:
            print(f"heartbeat: late by {now - last - 0.25:.1f} s")
        last = now


async def blocker():
    await asyncio.sleep(1)
    print("blocker: time.sleep(1.5) -- blocks the whole loop")
    time.sleep(1.5)
    await asyncio.sleep(1)
    print("blocker: await asyncio.sleep(1.5) -- others keep running")
    await asyncio.sleep(1.5)
    print("blocker: done")


async def main():
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(stop), name="heartbeat")
    await asyncio.create_task(blocker(), name="blocker")
    stop.set()
    await beat


asyncio.run(main())
