# SPDX-License-Identifier: GPL-3.0-or-later
# An exception raised inside a task and not caught anywhere: main awaits the task, the exception
# propagates out of asyncio.run (traceback on stderr, not compared) and the exit status is 1.
# A sibling task still running is cancelled first, and prints from its except block.
import asyncio


async def worker(n):
    await asyncio.sleep(0.01 * n)
    print("worker", n, "about to fail")
    raise ValueError(f"worker {n} failed")


async def bystander():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("bystander cancelled during shutdown")
        raise


async def main():
    asyncio.create_task(bystander(), name="bystander")
    task = asyncio.create_task(worker(2), name="worker-2")
    print("main awaits", task.get_name())
    await task
    print("never printed")


asyncio.run(main())
print("never printed either")
