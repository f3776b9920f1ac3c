# SPDX-License-Identifier: GPL-3.0-or-later
# sys.exit() from a task's cleanup during asyncio.run's shutdown after main raised: the
# SystemExit stops the shutdown and leaves asyncio.run in place of main's ValueError, as an
# exception raised in a `with` block's __exit__ does (its own __context__ is the CancelledError
# it was raised while handling). Uncaught, it ends the process with its code, no traceback.
import asyncio
import sys


async def quitter():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("quitter: cancelled by the shutdown, sys.exit(3)")
        sys.exit(3)
    finally:
        print("quitter: finally")


async def main():
    asyncio.create_task(quitter())
    await asyncio.sleep(0)
    raise ValueError("main failed")


try:
    asyncio.run(main())
except ValueError:
    print("ValueError out of asyncio.run (wrong: the SystemExit came after it)")
except SystemExit as e:
    ctx = e.__context__
    print("SystemExit out of asyncio.run, code", e.code, "; context:", type(ctx).__name__, ctx)
    sys.stdout.flush()
    raise
print("never printed")
