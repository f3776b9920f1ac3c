# SPDX-License-Identifier: GPL-3.0-or-later
# sys.exit(3) from inside a coroutine run by asyncio.run: SystemExit propagates out of
# asyncio.run (finally blocks and a still-running task's cancellation run first) and the exit
# status is 3.
import asyncio
import sys


async def background():
    try:
        await asyncio.sleep(10)
    finally:
        print("background task cleaned up")


async def main():
    task = asyncio.create_task(background())
    await asyncio.sleep(0.01)
    print("main decides to exit with 3")
    try:
        sys.exit(3)
    finally:
        print("main's finally", task.done())


try:
    asyncio.run(main())
finally:
    print("asyncio.run unwound")
print("never printed")
