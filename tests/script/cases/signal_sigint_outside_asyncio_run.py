# SPDX-License-Identifier: GPL-3.0-or-later
# SIGINT outside asyncio.run (before, between and after runs) goes to Python's default handler:
# a plain KeyboardInterrupt, raised once per signal, which the script may catch and go on from.
# Uncaught, it ends the script and CPython dies by SIGINT: status 130.
import asyncio
import os
import signal
import time


async def main(n):
    await asyncio.sleep(0.01)
    return f"run {n} done"


def wait_for_ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(100):
        time.sleep(0.01)
    print("not reached")


try:
    wait_for_ctrl_c()
except KeyboardInterrupt as e:
    print("caught before asyncio.run:", repr(e), e.args)
print(asyncio.run(main(1)))
try:
    wait_for_ctrl_c()
except KeyboardInterrupt as e:
    print("caught between runs:", repr(e), e.args)
total = 0
for i in range(10000):
    total += i
print("went on after it:", total)
print(asyncio.run(main(2)))
try:
    wait_for_ctrl_c()
finally:
    print("finally: the last one is not caught")
print("never printed")
