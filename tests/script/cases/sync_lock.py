# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.Lock: `async with lock` serialising a read-modify-write across awaits (no lost
# updates), locked(), waiters acquiring in FIFO order, acquire()/release() by hand,
# release() of an unlocked lock raising RuntimeError, the lock released when the body raises,
# the same section without a lock losing updates.
import asyncio

counter = 0


async def increment(lock, name, order):
    global counter
    async with lock:
        order.append(name)
        value = counter
        await asyncio.sleep(0.001)
        counter = value + 1


async def unsafe_increment():
    global counter
    value = counter
    await asyncio.sleep(0.001)
    counter = value + 1


async def main():
    global counter
    lock = asyncio.Lock()
    order = []
    await asyncio.gather(*(increment(lock, f"t{i}", order) for i in range(5)))
    print("with lock:", counter, "order:", order)
    counter = 0
    await asyncio.gather(*(unsafe_increment() for _ in range(5)))
    print("without lock (lost updates):", counter)

    print("locked?", lock.locked())
    await lock.acquire()
    print("after acquire:", lock.locked())
    lock.release()
    print("after release:", lock.locked())
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)

    try:
        async with lock:
            raise ValueError("inside critical section")
    except ValueError as e:
        print("body raised", repr(e), "| still locked?", lock.locked())

    async def holder():
        async with lock:
            print("holder got the lock")
            await asyncio.sleep(0.02)
            print("holder releasing")

    async def contender(name):
        print(name, "waiting for the lock")
        async with lock:
            print(name, "got the lock")

    await asyncio.gather(holder(), contender("c1"), contender("c2"))


asyncio.run(main())
