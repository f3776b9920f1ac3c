# SPDX-License-Identifier: GPL-3.0-or-later
# Task cancellation: cancel() with and without a message (the message is the CancelledError's
# args), cleanup in `except asyncio.CancelledError` then re-raise, finally blocks, cancel()
# returning True for a pending task and False for a finished one, cancelled()/done() states,
# result() of a cancelled task raising CancelledError, cancelling a task before it first runs,
# cancelling a task that is awaiting another task (the inner one is cancelled too), a
# done-callback seeing the cancelled state.
import asyncio


async def worker(name, log):
    log.append(f"{name} started")
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        log.append(f"{name} cleanup, args={e.args}")
        raise
    finally:
        log.append(f"{name} finally")


async def main():
    log = []
    t1 = asyncio.create_task(worker("t1", log), name="t1")
    await asyncio.sleep(0.01)
    print("cancel() ->", t1.cancel(), "| done right after cancel():", t1.done())
    try:
        await t1
    except asyncio.CancelledError as e:
        print("awaiting t1 raised CancelledError, args:", e.args)
    print(log, t1.cancelled(), t1.done())

    log.clear()
    t2 = asyncio.create_task(worker("t2", log), name="t2")
    await asyncio.sleep(0.01)
    t2.cancel(msg="shutting down")
    await asyncio.wait([t2])
    print(log, "cancelled:", t2.cancelled())
    try:
        t2.result()
    except asyncio.CancelledError as e:
        print("result() of a cancelled task raises CancelledError", e.args)
    try:
        t2.exception()
    except asyncio.CancelledError:
        print("exception() of a cancelled task raises CancelledError too")
    print("cancel() on a finished task ->", t2.cancel())

    log.clear()
    t3 = asyncio.create_task(worker("t3", log), name="t3")
    t3.cancel()
    await asyncio.sleep(0)
    print("cancelled before it ever ran:", t3.cancelled(), "log:", log)

    log.clear()
    inner = asyncio.create_task(worker("inner", log), name="inner")

    async def outer_fn():
        try:
            await inner
        except asyncio.CancelledError:
            log.append("outer saw CancelledError")
            raise

    outer = asyncio.create_task(outer_fn(), name="outer")
    outer.add_done_callback(lambda t: print("done callback:", t.get_name(), "cancelled =", t.cancelled()))
    await asyncio.sleep(0.01)
    outer.cancel()
    await asyncio.gather(outer, inner, return_exceptions=True)
    print(log, outer.cancelled(), inner.cancelled())

    done = asyncio.create_task(asyncio.sleep(0, "finished"))
    await done
    print("cancel() on a done task ->", done.cancel(), done.result())


asyncio.run(main())
