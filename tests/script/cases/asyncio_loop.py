# SPDX-License-Identifier: GPL-3.0-or-later
# The running loop: get_running_loop() is the same object everywhere, loop.time() differences
# (printed rounded to 0.1 s), call_soon order (FIFO, with arguments), call_later ordering by
# delay (not by registration), call_at, cancelling a handle, call_soon vs call_later(0),
# is_running/is_closed, set_debug/get_debug and slow_callback_duration (no output expected on
# stdout), create_future with set_result from a callback.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    print("same loop:", loop is asyncio.get_running_loop(), loop.is_running(), loop.is_closed())
    events = []
    start = loop.time()
    loop.call_later(0.03, events.append, "later 0.03")
    loop.call_later(0.01, events.append, "later 0.01")
    loop.call_at(start + 0.02, events.append, "call_at +0.02")
    loop.call_later(0, events.append, "later 0")
    loop.call_soon(events.append, "soon 1")
    loop.call_soon(events.append, "soon 2")
    cancelled = loop.call_later(0.015, events.append, "cancelled handle")
    cancelled.cancel()
    loop.call_soon(lambda: events.append(f"soon lambda, handle cancelled={cancelled.cancelled()}"))
    await asyncio.sleep(0.07)
    print("\n".join(events))
    print("elapsed ~", round(loop.time() - start, 1))

    loop.set_debug(True)
    loop.slow_callback_duration = 0.5
    print("debug:", loop.get_debug(), loop.slow_callback_duration)
    loop.set_debug(False)

    fut = loop.create_future()
    loop.call_later(0.01, fut.set_result, "future value")
    print("future done before:", fut.done())
    print("awaited future:", await fut, fut.done(), fut.result())
    fut2 = loop.create_future()
    loop.call_soon(fut2.set_exception, ValueError("from the future"))
    try:
        await fut2
    except ValueError as e:
        print("future exception:", e)
    t0 = loop.time()
    await asyncio.sleep(0.2)
    print("slept ~", round(loop.time() - t0, 1), "| time() is a float:", isinstance(loop.time(), float))
    return loop


loop = asyncio.run(main())
print("after run: closed", loop.is_closed(), "running", loop.is_running())
