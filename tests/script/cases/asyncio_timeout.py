# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.timeout and asyncio.timeout_at (3.11): a block finishing in time (expired() False),
# a block that times out (TimeoutError raised at the async with, the body sees CancelledError,
# expired() True), when() relative to loop.time(), timeout(None) with reschedule() later,
# reschedule to extend a deadline, timeout_at with an absolute deadline, nested timeouts (only
# the inner one fires), catching TimeoutError inside vs outside the block.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(0.5) as cm:
        await asyncio.sleep(0.01)
    print("in time: expired", cm.expired(), "| when - now ~", round(cm.when() - loop.time(), 1))

    try:
        async with asyncio.timeout(0.02) as cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("body sees CancelledError")
                raise
        print("not printed")
    except TimeoutError as e:
        print("TimeoutError after the block:", repr(e), "expired", cm.expired())

    async with asyncio.timeout(None) as cm:
        print("no deadline: when", cm.when())
        cm.reschedule(loop.time() + 0.02)
        print("rescheduled: when set", cm.when() is not None)
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("rescheduled deadline fired")
            raise


async def extend_and_nest():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(0.02) as cm:
        cm.reschedule(cm.when() + 0.05)
        await asyncio.sleep(0.04)
    print("extended deadline was enough: expired", cm.expired())
    deadline = loop.time() + 0.02
    try:
        async with asyncio.timeout_at(deadline) as cm:
            print("timeout_at when matches:", cm.when() == deadline)
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout_at fired")
    try:
        async with asyncio.timeout(1) as outer:
            try:
                async with asyncio.timeout(0.01) as inner:
                    await asyncio.sleep(1)
            except TimeoutError:
                print("inner expired", inner.expired(), "outer expired", outer.expired())
            await asyncio.sleep(0.01)
        print("outer block completed")
    except TimeoutError:
        print("not printed")


async def run_all():
    try:
        await main()
    except TimeoutError:
        print("TimeoutError from the rescheduled block")
    await extend_and_nest()


asyncio.run(run_all())
