# SPDX-License-Identifier: GPL-3.0-or-later
# Ctrl-C during asyncio.run: the script sends itself SIGINT while main awaits; asyncio.run's
# own SIGINT handler cancels the main task (main sees CancelledError and cleans up, a child task
# is cancelled at shutdown), then asyncio.run raises KeyboardInterrupt, which the script catches
# around asyncio.run: it prints and exits with status 0.
import asyncio
import os
import signal


async def child():
    try:
        await asyncio.sleep(10)
    finally:
        print("child: finally during shutdown")


async def main():
    asyncio.create_task(child())
    loop = asyncio.get_running_loop()
    loop.call_later(0.05, os.kill, os.getpid(), signal.SIGINT)
    try:
        print("main: waiting")
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("main: cancelled by Ctrl-C, cleaning up")
        raise
    finally:
        print("main: finally")


try:
    asyncio.run(main())
except KeyboardInterrupt as e:
    print("KeyboardInterrupt caught around asyncio.run:", repr(e))
print("exiting normally")
