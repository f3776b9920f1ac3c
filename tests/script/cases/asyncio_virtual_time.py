# SPDX-License-Identifier: GPL-3.0-or-later
# loopscope-args: --virtual-time
# The same script must print the same under loopscope's virtual clock as under CPython's real
# one: a timeline of tasks sleeping different amounts, each event stamped with loop.time()
# relative to the start rounded to 0.1 s; wait_for timing out on the virtual clock; the total
# elapsed time. Uses only asyncio.sleep and loop.time (no blocking calls, threads or signals).
import asyncio


async def actor(name, delays, start, timeline):
    loop = asyncio.get_running_loop()
    for d in delays:
        await asyncio.sleep(d)
        timeline.append((round(loop.time() - start, 1), name))


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    timeline = []
    await asyncio.gather(
        actor("ann", [0.1, 0.2], start, timeline),
        actor("bob", [0.2, 0.2], start, timeline),
        actor("cid", [0.12, 0.06], start, timeline),
    )
    for stamp, name in timeline:
        print(f"t={stamp:.1f} {name}")
    try:
        await asyncio.wait_for(asyncio.sleep(5), timeout=0.1)
    except TimeoutError:
        print(f"wait_for timed out at t={round(loop.time() - start, 1):.1f}")
    print("total ~", round(loop.time() - start, 1))


asyncio.run(main())
