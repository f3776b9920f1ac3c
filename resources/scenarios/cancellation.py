# SPDX-License-Identifier: GPL-3.0-or-later
# Cancellation: worker.cancel("stop"), cleanup, re-raise
#
# task.cancel(msg) asks a task to stop: a CancelledError is thrown
# in at the await where it is suspended. The worker cleans up and
# re-raises, so the task ends *cancelled*, and awaiting it raises
# CancelledError in main. In the app, try cancelling "worker"
# yourself (select it, Del) before main does at 3 s.
import asyncio


async def worker():
    done = 0
    try:
        while True:
            await asyncio.sleep(0.5)  # one unit of work
            done += 1
            print(f"worker: unit {done} done")
    except asyncio.CancelledError as e:
        reason = e.args[0] if e.args else "no message"
        print(f"worker: cancelled ({reason}) after {done} units")
        await asyncio.sleep(0.3)  # cleanup may await (flush a buffer)
        print("worker: cleanup finished")
        raise  # swallowing it would make the task look finished


async def main():
    task = asyncio.create_task(worker(), name="worker")
    await asyncio.sleep(3)
    print("main: cancelling the worker")
    task.cancel("stop")
    try:
        await task
    except asyncio.CancelledError:
        print("main: the worker is cancelled:", task.cancelled())


asyncio.run(main())
