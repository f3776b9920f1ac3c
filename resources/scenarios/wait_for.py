# SPDX-License-Identifier: GPL-3.0-or-later
# wait_for(): calls with a time limit; the slow ones are cancelled
#
# wait_for(aw, t) awaits `aw` for at most t seconds, then cancels
# it, waits for the cancellation (the `finally` runs) and raises
# TimeoutError. Three calls, three tasks: one finishes, two are
# cut off at 1.5 s.
import asyncio


async def call(service, seconds):
    print(f"{service}: request sent")
    try:
        await asyncio.sleep(seconds)
        return f"{service}: ok after {seconds} s"
    finally:
        # Runs on success and on cancellation: release the link.
        print(f"{service}: connection released")


async def limited(service, seconds):
    try:
        return await asyncio.wait_for(call(service, seconds), 1.5)
    except TimeoutError:
        return f"{service}: gave up after 1.5 s"


async def main():
    tasks = [
        asyncio.create_task(limited("users", 0.5), name="users"),
        asyncio.create_task(limited("orders", 3), name="orders"),
        asyncio.create_task(limited("search", 5), name="search"),
    ]
    # gather() keeps the tasks' order, whichever finishes first.
    for line in await asyncio.gather(*tasks):
        print(line)


asyncio.run(main())
