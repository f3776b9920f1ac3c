# SPDX-License-Identifier: GPL-3.0-or-later
# Ctrl-C during a blocking time.sleep() inside a coroutine (the classic "the loop is frozen"
# mistake). A worker thread sends SIGINT twice while the loop thread sleeps: the first only
# cancels the main task (the sleep goes on, PEP 475), the second raises KeyboardInterrupt out of
# time.sleep, long before its 3 s are up (about 0.4 s in; checked loosely, as machines are
# noisy).
import asyncio
import os
import signal
import time


def interrupter():
    time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGINT)


async def main():
    t = asyncio.create_task(asyncio.to_thread(interrupter))
    await asyncio.sleep(0)  # the worker thread starts
    start = time.monotonic()
    try:
        time.sleep(3)
    except KeyboardInterrupt:
        elapsed = time.monotonic() - start
        print("KeyboardInterrupt out of time.sleep; at least 0.3 s in:", elapsed >= 0.3,
              "well before 3 s:", elapsed < 2)
        print("main task cancelling:", asyncio.current_task().cancelling())
        raise
    finally:
        t.cancel()


asyncio.run(main())
