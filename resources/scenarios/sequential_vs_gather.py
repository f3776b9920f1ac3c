# SPDX-License-Identifier: GPL-3.0-or-later
# Sequential awaits vs gather(): the sum of the waits vs the longest
#
# Awaiting three downloads one after the other takes 1 + 1.5 + 0.5
# = 3 s: each await suspends main until that download is done.
# gather() runs them as three tasks at once, so it takes as long
# as the slowest, 1.5 s. Compare the two halves of the timeline.
import asyncio


async def download(name, seconds):
    print(f"{name}: started")
    await asyncio.sleep(seconds)
    print(f"{name}: done after {seconds} s")
    return seconds


async def main():
    loop = asyncio.get_running_loop()
    jobs = [("a.txt", 1), ("b.txt", 1.5), ("c.txt", 0.5)]

    start = loop.time()
    for name, seconds in jobs:
        await download(name, seconds)  # one at a time
    print(f"sequential: {loop.time() - start:.1f} s")

    start = loop.time()
    await asyncio.gather(*(download(name, s) for name, s in jobs))
    print(f"gather: {loop.time() - start:.1f} s")


asyncio.run(main())
