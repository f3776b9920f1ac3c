# SPDX-License-Identifier: GPL-3.0-or-later
# A custom SIGINT handler installed with loop.add_signal_handler replaces asyncio.run's own
# KeyboardInterrupt behaviour: the script sends itself SIGINT twice; the handler counts them and
# cancels a worker task on the second one; asyncio.run returns normally (exit status 0). After
# remove_signal_handler, SIGINT would raise KeyboardInterrupt again (not triggered here).
import asyncio
import os
import signal


async def worker():
    try:
        while True:
            await asyncio.sleep(0.01)
    except asyncio.CancelledError:
        print("worker cancelled by the signal handler")
        raise


async def main():
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(worker(), name="worker")
    hits = []

    def on_sigint():
        hits.append(len(hits) + 1)
        print("SIGINT handler call", hits[-1])
        if len(hits) == 2:
            task.cancel()

    loop.add_signal_handler(signal.SIGINT, on_sigint)
    loop.call_later(0.03, os.kill, os.getpid(), signal.SIGINT)
    loop.call_later(0.06, os.kill, os.getpid(), signal.SIGINT)
    try:
        await task
    except asyncio.CancelledError:
        print("main: worker task ended cancelled =", task.cancelled())
    print("removed:", loop.remove_signal_handler(signal.SIGINT))
    return len(hits)


print("signals handled:", asyncio.run(main()))
