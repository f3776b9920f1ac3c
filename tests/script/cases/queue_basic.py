# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.Queue without concurrency: FIFO order, put_nowait/get_nowait, QueueEmpty and QueueFull,
# qsize/empty/full, maxsize (0 means unbounded), a blocked put() released by a get(), a blocked
# get() released by a put(), get() with wait_for timing out; LifoQueue and PriorityQueue order.
import asyncio


async def main():
    q = asyncio.Queue(maxsize=2)
    print("maxsize", q.maxsize, "empty", q.empty(), "full", q.full(), "qsize", q.qsize())
    q.put_nowait("a")
    q.put_nowait("b")
    print("after two puts: qsize", q.qsize(), "full", q.full())
    try:
        q.put_nowait("c")
    except asyncio.QueueFull as e:
        print("QueueFull raised", type(e).__name__, repr(str(e)))
    print(q.get_nowait(), q.get_nowait(), q.empty())
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty raised")

    unbounded = asyncio.Queue()
    for i in range(100):
        unbounded.put_nowait(i)
    print("unbounded maxsize", unbounded.maxsize, "qsize", unbounded.qsize(), "full", unbounded.full())

    log = []

    async def slow_putter():
        for item in "xyz":
            await q.put(item)
            log.append(f"put {item} (qsize {q.qsize()})")

    putter = asyncio.create_task(slow_putter())
    await asyncio.sleep(0.01)
    log.append(f"putter blocked on a full queue: {not putter.done()}")
    log.append(f"got {await q.get()}")
    await asyncio.sleep(0.01)
    log.append(f"got {await q.get()} and {await q.get()}")
    await putter
    print("\n".join(log))

    async def late_put():
        await asyncio.sleep(0.01)
        q.put_nowait("late item")

    asyncio.create_task(late_put())
    print("blocked get() returned:", await q.get())
    try:
        await asyncio.wait_for(q.get(), timeout=0.01)
    except TimeoutError:
        print("get() timed out on an empty queue")

    lifo = asyncio.LifoQueue()
    prio = asyncio.PriorityQueue()
    for item in [(3, "low"), (1, "high"), (2, "mid")]:
        lifo.put_nowait(item)
        prio.put_nowait(item)
    print("lifo:", [lifo.get_nowait() for _ in range(3)])
    print("priority:", [prio.get_nowait() for _ in range(3)])


asyncio.run(main())
