# SPDX-License-Identifier: GPL-3.0-or-later
# Valid Python outside loopscope's subset: an asynchronous generator (`yield` inside async def,
# line 9), consumed with async for. loopscope must refuse it as a kind of generator.
import asyncio


async def ticks(n):
    for i in range(n):
        yield i
        await asyncio.sleep(0)


async def main():
    async for t in ticks(3):
        print("tick", t)


asyncio.run(main())
