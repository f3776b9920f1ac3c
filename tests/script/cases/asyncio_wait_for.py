# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.wait_for: success within the timeout, timeout -> TimeoutError (the builtin, also
# asyncio.TimeoutError) with the inner coroutine cancelled first (its except/finally run), a
# timeout of None, wait_for on a task (the task is cancelled on timeout), an exception from the
# inner coroutine passing through, retrying with a longer timeout.
import asyncio


async def op(name, delay, fail=False):
    try:
        await asyncio.sleep(delay)
        if fail:
            raise ConnectionError(f"{name} refused")
        return f"{name} ok"
    except asyncio.CancelledError:
        print(f"  {name}: cancelled by wait_for")
        raise
    finally:
        print(f"  {name}: finally")


async def main():
    print(await asyncio.wait_for(op("quick", 0.01), timeout=0.5))
    try:
        await asyncio.wait_for(op("slow", 0.5), timeout=0.02)
    except TimeoutError as e:
        print("TimeoutError caught:", type(e).__name__, repr(str(e)), isinstance(e, asyncio.TimeoutError))
    print(await asyncio.wait_for(op("no-limit", 0.01), None))
    task = asyncio.create_task(op("as-task", 0.5), name="as-task")
    try:
        await asyncio.wait_for(task, 0.02)
    except asyncio.TimeoutError:
        print("task after timeout: done", task.done(), "cancelled", task.cancelled())
    try:
        await asyncio.wait_for(op("failing", 0.01, fail=True), 0.5)
    except ConnectionError as e:
        print("inner exception passed through:", repr(e))
    for attempt, limit in enumerate([0.01, 0.02, 0.1], start=1):
        try:
            result = await asyncio.wait_for(op(f"try{attempt}", 0.03), limit)
        except TimeoutError:
            print(f"attempt {attempt} timed out after {limit}")
        else:
            print(f"attempt {attempt}: {result}")
            break


asyncio.run(main())
