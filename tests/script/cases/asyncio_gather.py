# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.gather: results in argument order (not completion order), mixing coroutines and tasks,
# gather() of nothing, the first exception propagating while the other awaitables keep running
# (not cancelled), return_exceptions=True putting exceptions in the result list, nested gathers,
# cancelling a gather cancels its children.
import asyncio


async def job(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        print(f"{name} raising")
        raise RuntimeError(f"{name} failed")
    print(f"{name} finished")
    return name.upper()


async def main():
    results = await asyncio.gather(job("slow", 0.03), job("fast", 0.01), job("mid", 0.02))
    print("results in argument order:", results)
    task = asyncio.create_task(job("task", 0.03))
    print("mixed:", await asyncio.gather(task, job("coro", 0.01)))
    print("empty gather:", await asyncio.gather())

    survivor = asyncio.create_task(job("survivor", 0.05))
    try:
        await asyncio.gather(job("boom", 0.01, fail=True), survivor, job("late-boom", 0.02, fail=True))
    except RuntimeError as e:
        print("gather raised:", e, "| survivor done?", survivor.done(), "cancelled?", survivor.cancelled())
    await asyncio.sleep(0.06)
    print("after waiting: survivor result", survivor.result())

    mixed = await asyncio.gather(job("ok", 0.01), job("bad", 0.02, fail=True), asyncio.sleep(0, "plain"),
                                 return_exceptions=True)
    print("return_exceptions:", [repr(r) for r in mixed])
    nested = await asyncio.gather(asyncio.gather(job("n1", 0.02), job("n2", 0)), job("n3", 0.01))
    print("nested:", nested)

    async def long_child(name):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print(name, "cancelled with the gather")
            raise

    group = asyncio.gather(long_child("c1"), long_child("c2"))
    await asyncio.sleep(0.01)
    group.cancel()
    try:
        await group
    except asyncio.CancelledError:
        print("awaiting the cancelled gather raised CancelledError; cancelled():", group.cancelled())


asyncio.run(main())
