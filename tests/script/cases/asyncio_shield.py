# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.shield: cancelling the task that awaits a shielded task does not cancel the inner task,
# which finishes and keeps its result; wait_for(shield(...)) times out but the inner work
# continues; cancelling the inner task directly does propagate to the awaiter.
import asyncio


async def critical(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name}: cancelled")
        raise
    print(f"{name}: finished")
    return f"{name} saved"


async def waiter(inner):
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        print("waiter: cancelled while awaiting the shield")
        raise


async def main():
    inner = asyncio.create_task(critical("write", 0.03))
    outer = asyncio.create_task(waiter(inner))
    await asyncio.sleep(0.01)
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("outer cancelled:", outer.cancelled(), "| inner done yet:", inner.done())
    print("inner result:", await inner)

    inner2 = asyncio.create_task(critical("flush", 0.05))
    try:
        await asyncio.wait_for(asyncio.shield(inner2), timeout=0.01)
    except TimeoutError:
        print("wait_for timed out; inner2 cancelled?", inner2.cancelled())
    print("inner2 result:", await inner2)

    inner3 = asyncio.create_task(critical("doomed", 1))
    outer3 = asyncio.create_task(waiter(inner3))
    await asyncio.sleep(0.01)
    inner3.cancel()
    try:
        await outer3
    except asyncio.CancelledError:
        print("cancelling the inner task reaches the awaiter:", outer3.cancelled(), inner3.cancelled())


asyncio.run(main())
