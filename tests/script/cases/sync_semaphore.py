# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.Semaphore and BoundedSemaphore: limiting concurrency (the highest number of workers
# inside at once equals the limit), locked(), acquire/release by hand, a plain Semaphore can be
# released above its initial value, BoundedSemaphore raising ValueError when over-released,
# FIFO order of waiters.
import asyncio


async def main():
    sem = asyncio.Semaphore(2)
    inside = 0
    peak = 0
    entered = []

    async def worker(n):
        nonlocal inside, peak
        async with sem:
            inside += 1
            peak = max(peak, inside)
            entered.append(n)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(worker(n) for n in range(6)))
    print("peak concurrency:", peak, "entry order:", entered)

    print("locked with value 2:", sem.locked())
    await sem.acquire()
    await sem.acquire()
    print("locked after two acquires:", sem.locked())
    sem.release()
    sem.release()
    sem.release()
    print("plain Semaphore released above its start; locked:", sem.locked())
    await asyncio.gather(sem.acquire(), sem.acquire(), sem.acquire())
    print("three acquires succeeded; locked:", sem.locked())

    bounded = asyncio.BoundedSemaphore(1)
    async with bounded:
        print("inside bounded, locked:", bounded.locked())
    try:
        bounded.release()
    except ValueError as e:
        print("ValueError:", e)

    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("ValueError:", e)

    gate = asyncio.Semaphore(0)
    order = []

    async def queued(name):
        await gate.acquire()
        order.append(name)

    tasks = [asyncio.create_task(queued(n)) for n in "xyz"]
    await asyncio.sleep(0)
    for _ in tasks:
        gate.release()
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    print("released in FIFO order:", order)


asyncio.run(main())
