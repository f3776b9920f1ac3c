# SPDX-License-Identifier: GPL-3.0-or-later
# loop.add_signal_handler for SIGTERM with arguments: the script sends itself SIGTERM with
# loop.call_later(0.05, os.kill, os.getpid(), signal.SIGTERM); the handler runs as a loop
# callback (not inside a task), sets an Event; remove_signal_handler returns True, then False;
# signal constants and names; a second handler replacing the first.
import asyncio
import os
import signal


async def main():
    loop = asyncio.get_running_loop()
    got = asyncio.Event()
    received = []

    def on_signal(signame, extra):
        received.append((signame, extra, asyncio.current_task() is None))
        got.set()

    print("SIGINT =", int(signal.SIGINT), signal.SIGINT.name, "| SIGTERM =", int(signal.SIGTERM), signal.SIGTERM.name)
    print("equal to plain ints:", signal.SIGTERM == 15, signal.SIGINT == 2)
    loop.add_signal_handler(signal.SIGTERM, on_signal, "SIGTERM", "first")
    loop.call_later(0.05, os.kill, os.getpid(), signal.SIGTERM)
    print("waiting for SIGTERM")
    await got.wait()
    print("handler ran:", received)

    got.clear()
    loop.add_signal_handler(signal.SIGTERM, on_signal, "SIGTERM", "replacement")
    loop.call_later(0.02, os.kill, os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(got.wait(), timeout=1)
    print("replacement handler ran:", received[-1])
    print("remove_signal_handler:", loop.remove_signal_handler(signal.SIGTERM))
    print("remove again:", loop.remove_signal_handler(signal.SIGTERM))


asyncio.run(main())
print("exited normally")
