# SPDX-License-Identifier: GPL-3.0-or-later
# Graceful shutdown: signal handlers set a stop event
#
# loop.add_signal_handler() runs a callback on the loop when the
# signal arrives; here it only sets an Event. Workers check it
# between units of work, so each finishes what it started. Press
# SIGTERM or SIGINT in the app; if you do not, the script sends
# itself SIGTERM after 6 s.
import asyncio
import os
import signal


async def worker(name, period, stop):
    units = 0
    while not stop.is_set():
        await asyncio.sleep(period)  # a unit of work
        units += 1
    print(f"{name}: stopped cleanly")
    return units


async def main():
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_signal(sig):
        print(f"received {sig.name}: stopping")
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal, sig)
    loop.call_later(6, os.kill, os.getpid(), signal.SIGTERM)

    workers = []
    for i in range(1, 4):
        work = worker(f"worker-{i}", 0.4 + 0.3 * i, stop)
        workers.append(asyncio.create_task(work, name=f"worker-{i}"))
    print("service running; waiting for a signal")
    await stop.wait()
    units = await asyncio.gather(*workers)
    print("every worker did some work:", all(n > 0 for n in units))
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(sig)
    print("service closed")


asyncio.run(main())
