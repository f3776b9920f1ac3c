# SPDX-License-Identifier: GPL-3.0-or-later
# Tutorial-style comparison of failure handling: with asyncio.gather the first exception reaches
# the caller while the sibling tasks keep running (they finish later and their results are lost
# unless kept); with asyncio.TaskGroup the failure cancels the siblings and the caller gets an
# ExceptionGroup once they have all stopped. Events are printed in order.
import asyncio


async def step(name, delay, fail=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"    {name}: cancelled")
        raise
    if fail:
        print(f"    {name}: failing")
        raise ConnectionError(f"{name} lost connection")
    print(f"    {name}: finished")
    return name


async def with_gather():
    print("gather:")
    try:
        await asyncio.gather(step("g-fast", 0.01), step("g-bad", 0.02, fail=True), step("g-slow", 0.05))
    except ConnectionError as e:
        print("  caller got", repr(e), "immediately")
    await asyncio.sleep(0.06)
    print("  g-slow was not cancelled: it finished on its own")


async def with_taskgroup():
    print("TaskGroup:")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(step("t-fast", 0.01))
            tg.create_task(step("t-bad", 0.02, fail=True))
            tg.create_task(step("t-slow", 0.05))
    except ExceptionGroup as eg:
        print("  caller got", repr(eg), "after the siblings stopped")


async def main():
    await with_gather()
    await with_taskgroup()


asyncio.run(main())
