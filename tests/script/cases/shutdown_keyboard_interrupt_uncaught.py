# SPDX-License-Identifier: GPL-3.0-or-later
# Ctrl-C during asyncio.run, not caught: main is cancelled (prints from its except block), the
# KeyboardInterrupt leaves asyncio.run and ends the script. CPython then kills itself with
# SIGINT so the shell sees status 130 (128 + 2); the recorded status is 130 and the output
# printed before that is still compared.
import asyncio
import os
import signal


async def main():
    asyncio.get_running_loop().call_later(0.05, os.kill, os.getpid(), signal.SIGINT)
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("main: cancelled")
        raise


print("starting")
try:
    asyncio.run(main())
finally:
    print("finally around asyncio.run")
print("never printed")
