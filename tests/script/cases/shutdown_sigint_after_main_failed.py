# SPDX-License-Identifier: GPL-3.0-or-later
# Ctrl-C during asyncio.run's shutdown after main raised: the KeyboardInterrupt that stops the
# shutdown's waiting replaces main's ValueError (which becomes its __context__, as an exception
# raised in a `with` block's __exit__ does), and CPython dies by SIGINT: status 130.
import asyncio
import os
import signal


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("worker: cancelled by the shutdown")
        asyncio.get_running_loop().call_later(0.05, os.kill, os.getpid(), signal.SIGINT)
        await asyncio.sleep(1)
        print("worker: cleanup done (never printed)")
        raise


async def main():
    asyncio.create_task(worker())
    await asyncio.sleep(0)
    raise ValueError("main failed")


try:
    asyncio.run(main())
except ValueError:
    print("ValueError out of asyncio.run (wrong: the SIGINT came after it)")
except KeyboardInterrupt as e:
    ctx = e.__context__
    print("KeyboardInterrupt out of asyncio.run; context:", type(ctx).__name__, ctx)
    raise
print("never printed")
