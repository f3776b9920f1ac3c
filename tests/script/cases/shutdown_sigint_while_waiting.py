# SPDX-License-Identifier: GPL-3.0-or-later
# Ctrl-C during asyncio.run's shutdown: main has returned, the shutdown cancelled a worker whose
# cleanup takes a second, and a SIGINT comes while the shutdown waits for it. The
# KeyboardInterrupt stops the waiting and leaves asyncio.run (its shutdown runs in the __exit__
# of a `with` block), the cleanup never finishes, and CPython dies by SIGINT: status 130.
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
    print("main: returning")
    return 42


try:
    print("result:", asyncio.run(main()))
except KeyboardInterrupt as e:
    print("KeyboardInterrupt out of asyncio.run:", repr(e))
    raise
finally:
    print("finally around asyncio.run")
print("never printed")
