# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.Queue with producers and consumers: join() waiting until every item got a
# task_done(), consumers as long-running tasks cancelled after join() (in the order cancel() was
# called), a bounded queue making the producer wait (backpressure), task_done() called too many
# times (ValueError), sentinel shutdown (None per consumer) as an alternative to cancelling.
# Which consumer gets which item depends on timing, so only order-independent facts print.
import asyncio


async def producer(q, items, log):
    for item in items:
        await q.put(item)
        log.append(item)
    return f"producer put {len(log)} items into a queue of maxsize {q.maxsize}"


async def consumer(name, q, handled, events):
    try:
        while True:
            item = await q.get()
            await asyncio.sleep(0.005)
            handled.setdefault(name, []).append(item)
            q.task_done()
    except asyncio.CancelledError:
        events.append(f"{name} cancelled")
        raise


async def main():
    q = asyncio.Queue(maxsize=2)
    produced, handled, events = [], {}, []
    consumers = [asyncio.create_task(consumer(f"c{i}", q, handled, events)) for i in range(2)]
    print(await producer(q, range(6), produced))
    print("produced in order:", produced)
    await q.join()
    everything = sorted(item for items in handled.values() for item in items)
    print("join() returned after all were handled:", everything, "| unfinished:", q.qsize())
    print("both consumers worked:", sorted(handled))
    for c in consumers:
        c.cancel()
    results = await asyncio.gather(*consumers, return_exceptions=True)
    print(events, [type(r).__name__ for r in results])
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError:", e)

    jobs = asyncio.Queue()
    results = []

    async def sentinel_worker(name):
        while True:
            job = await jobs.get()
            if job is None:
                results.append(f"{name} stops")
                return
            results.append(f"{name}:{job * job}")

    for job in [1, 2, 3, None, None]:
        jobs.put_nowait(job)
    await asyncio.gather(sentinel_worker("w1"), sentinel_worker("w2"))
    print(results)


asyncio.run(main())
