# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.Event: is_set, several waiters released by one set() (woken in the order they started
# waiting), wait() on a set event returning at once (True), clear() making later waiters block,
# wait_for(event.wait(), timeout) timing out, an event used as a start signal.
import asyncio


async def waiter(name, event, log):
    log.append(f"{name} waiting")
    result = await event.wait()
    log.append(f"{name} released ({result})")


async def main():
    event = asyncio.Event()
    log = []
    print("initially set?", event.is_set())
    tasks = [asyncio.create_task(waiter(f"w{i}", event, log)) for i in range(3)]
    await asyncio.sleep(0.01)
    log.append("main sets the event")
    event.set()
    await asyncio.gather(*tasks)
    print("\n".join(log))
    print("set now?", event.is_set(), "| wait on set event:", await event.wait())
    event.clear()
    print("after clear:", event.is_set())
    try:
        await asyncio.wait_for(event.wait(), timeout=0.02)
    except TimeoutError:
        print("wait() timed out on a cleared event")

    start = asyncio.Event()
    order = []

    async def runner(n):
        await start.wait()
        order.append(n)

    runners = [asyncio.create_task(runner(n)) for n in (3, 1, 2)]
    await asyncio.sleep(0)
    print("nobody ran yet:", order)
    start.set()
    start.set()
    await asyncio.gather(*runners)
    print("runners released in waiting order:", order)


asyncio.run(main())
