# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.Condition: wait() inside `async with cond`, notify() waking one waiter at a time (in
# waiting order), notify(n), notify_all(), wait_for(predicate) re-checking after each notify,
# notify without holding the lock raising RuntimeError, a condition sharing an existing Lock.
import asyncio


async def main():
    cond = asyncio.Condition()
    log = []
    items = []

    async def consumer(name):
        async with cond:
            log.append(f"{name} waits")
            await cond.wait()
            log.append(f"{name} woke, lock held: {cond.locked()}")

    tasks = [asyncio.create_task(consumer(f"c{i}")) for i in range(4)]
    await asyncio.sleep(0.01)
    async with cond:
        log.append("main: notify()")
        cond.notify()
    await asyncio.sleep(0.01)
    async with cond:
        log.append("main: notify(2)")
        cond.notify(2)
    await asyncio.sleep(0.01)
    async with cond:
        log.append("main: notify_all()")
        cond.notify_all()
    await asyncio.gather(*tasks)
    print("\n".join(log))

    async def wait_for_three():
        async with cond:
            await cond.wait_for(lambda: len(items) >= 3)
            return list(items)

    waiter = asyncio.create_task(wait_for_three())
    for i in range(4):
        await asyncio.sleep(0.005)
        async with cond:
            items.append(i)
            print("produced", i, "waiter done?", waiter.done())
            cond.notify_all()
    print("wait_for returned", await waiter)

    try:
        cond.notify()
    except RuntimeError as e:
        print("RuntimeError:", e)

    lock = asyncio.Lock()
    shared = asyncio.Condition(lock)
    async with shared:
        print("shared lock held through the condition:", lock.locked())
    print("released:", lock.locked())


asyncio.run(main())
