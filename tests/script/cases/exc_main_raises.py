# SPDX-License-Identifier: GPL-3.0-or-later
# An exception raised by asyncio.run's main coroutine after some awaits: finally blocks in main
# run, a pending task is cancelled (its finally prints), the exception is caught around
# asyncio.run and printed; then a second asyncio.run in the same script works and returns.
import asyncio


async def helper():
    try:
        await asyncio.sleep(1)
    finally:
        print("helper finally (cancelled by asyncio.run)")


async def main():
    asyncio.create_task(helper())
    await asyncio.sleep(0.01)
    try:
        raise KeyError("config")
    finally:
        print("main finally")


try:
    asyncio.run(main())
except KeyError as e:
    print("caught around asyncio.run:", type(e).__name__, e)


async def second():
    await asyncio.sleep(0)
    return "second run result"


print(asyncio.run(second()))
