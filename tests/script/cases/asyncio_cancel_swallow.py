# SPDX-License-Identifier: GPL-3.0-or-later
# Swallowing CancelledError: a task that catches the cancellation and returns normally ends
# not cancelled (cancelled() False, result() its return value) while cancelling() still counts
# the request; uncancel() decrements the count; a task that swallows and keeps going can be
# cancelled again; cancelling() counting two cancel() calls; a task cancelled while its wake-up is
# already scheduled still gets CancelledError at the await it is suspended in.
import asyncio


async def stubborn(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append("swallowed the cancellation")
    log.append(f"cancelling() inside: {asyncio.current_task().cancelling()}")
    return "returned normally"


async def resilient(log):
    for attempt in range(3):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            log.append(f"attempt {attempt}: cancelled, cancelling()={task.cancelling()}")
            remaining = task.uncancel()
            log.append(f"  uncancel() -> {remaining}")
    return "gave up"


async def yielder(log):
    log.append("yielder: before sleep(0)")
    try:
        await asyncio.sleep(0)
        log.append("not reached")
    except asyncio.CancelledError:
        log.append("yielder: CancelledError from a sleep(0) whose wake-up was already due")
        raise


async def main():
    log = []
    t = asyncio.create_task(stubborn(log))
    await asyncio.sleep(0.01)
    print("cancelling() before:", t.cancelling())
    t.cancel()
    t.cancel()
    print("cancelling() after two cancel():", t.cancelling())
    result = await t
    print(log)
    print("result:", result, "| cancelled():", t.cancelled(), "| done():", t.done(), "| cancelling():", t.cancelling())

    log.clear()
    r = asyncio.create_task(resilient(log))
    for _ in range(3):
        await asyncio.sleep(0.01)
        r.cancel()
    print("resilient result:", await r, r.cancelled())
    print("\n".join(log))

    log.clear()
    y = asyncio.create_task(yielder(log))
    await asyncio.sleep(0)
    y.cancel()
    await asyncio.gather(y, return_exceptions=True)
    print(log, y.cancelled())

asyncio.run(main())
