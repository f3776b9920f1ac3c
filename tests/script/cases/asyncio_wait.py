# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.wait with return_when=FIRST_COMPLETED, FIRST_EXCEPTION and ALL_COMPLETED (the default),
# and with a timeout: prints the sorted names of the done and pending sets; pending tasks are not
# cancelled by wait (they finish later or are cancelled by hand); wait on an empty set
# (ValueError).
import asyncio


async def job(delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise RuntimeError("failed")
    return delay


def names(tasks):
    return sorted(t.get_name() for t in tasks)


def make(spec):
    return {asyncio.create_task(job(d, f), name=n) for n, d, f in spec}


async def main():
    spec = [("a", 0.03, False), ("b", 0.01, False), ("c", 0.05, False)]
    done, pending = await asyncio.wait(make(spec), return_when=asyncio.FIRST_COMPLETED)
    print("FIRST_COMPLETED done", names(done), "pending", names(pending))
    done2, still = await asyncio.wait(pending)
    print("then ALL_COMPLETED done", names(done2), "pending", names(still), sorted(t.result() for t in done2))

    spec = [("ok", 0.01, False), ("bad", 0.02, True), ("slow", 0.1, False)]
    done, pending = await asyncio.wait(make(spec), return_when=asyncio.FIRST_EXCEPTION)
    print("FIRST_EXCEPTION done", names(done), "pending", names(pending))
    for t in sorted(done, key=lambda t: t.get_name()):
        print("  ", t.get_name(), "exception:", repr(t.exception()))
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)
    print("  pending after cancel: cancelled =", [t.cancelled() for t in pending])

    spec = [("x", 0.01, False), ("y", 0.2, False)]
    done, pending = await asyncio.wait(make(spec), timeout=0.05)
    print("timeout: done", names(done), "pending", names(pending))
    (leftover,) = pending
    print("  leftover still runs:", await leftover)

    spec = [("p", 0.01, True), ("q", 0.02, False)]
    done, pending = await asyncio.wait(make(spec), return_when=asyncio.ALL_COMPLETED)
    print("ALL_COMPLETED with a failure: done", names(done), "pending", names(pending))
    print("  p raised:", [repr(t.exception()) for t in done if t.get_name() == "p"])
    print(asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED)
    try:
        await asyncio.wait(set())
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
