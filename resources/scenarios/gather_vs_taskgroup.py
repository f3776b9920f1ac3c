# SPDX-License-Identifier: GPL-3.0-or-later
# gather() vs TaskGroup when one child fails
#
# gather() hands the first exception to its awaiter but does not
# cancel the other children: they run on to the end, nobody
# waiting for them. A TaskGroup cancels its other children as soon
# as one fails, waits for them, and raises an ExceptionGroup with
# the failures.
import asyncio


async def child(name, seconds, fail=False):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"  {name}: cancelled")
        raise
    if fail:
        print(f"  {name}: failing")
        raise ValueError(f"{name} failed")
    print(f"  {name}: finished")


async def main():
    print("gather:")
    try:
        await asyncio.gather(
            child("g-bad", 0.5, fail=True), child("g-slow", 1.5)
        )
    except ValueError as e:
        print("  gather raised:", e)
    await asyncio.sleep(1.5)  # meanwhile g-slow runs on, on its own

    print("TaskGroup:")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("t-bad", 0.5, True), name="t-bad")
            tg.create_task(child("t-slow", 1.5), name="t-slow")
    except ExceptionGroup as eg:
        print("  TaskGroup raised:", repr(eg.exceptions[0]))


asyncio.run(main())
