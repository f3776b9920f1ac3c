# SPDX-License-Identifier: GPL-3.0-or-later
# SIGINT while Python code keeps the loop busy (no await in between). asyncio.run's handler runs
# between bytecodes, not when the loop next polls: the first SIGINT cancels the main task (the
# CancelledError comes at its next await), the second raises KeyboardInterrupt right in the busy
# code. The script catches it, reports, and lets it end the run: CPython then dies by SIGINT.
import asyncio
import os
import signal


def busy(n):
    total = 0
    for i in range(n):
        total += i
    return total


async def main():
    task = asyncio.current_task()
    os.kill(os.getpid(), signal.SIGINT)
    x = busy(2000)
    print("first SIGINT handled during busy code: cancelling =", task.cancelling(), "x =", x)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        x = busy(2000)
        print("not reached", x)
    except KeyboardInterrupt:
        print("second SIGINT: KeyboardInterrupt inside the busy code")
        raise


try:
    asyncio.run(main())
finally:
    print("asyncio.run ended")
