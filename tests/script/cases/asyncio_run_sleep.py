# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.run and asyncio.sleep: run's return value, wake-up order of tasks sleeping for
# different delays, round-robin interleaving with sleep(0), sleep(delay, result), a sleep of 0
# and of a negative delay, get_running_loop outside a loop (RuntimeError), several asyncio.run
# calls in one script, awaiting a coroutine twice (RuntimeError).
import asyncio


async def sleeper(name, delay, log):
    await asyncio.sleep(delay)
    log.append(name)
    print("woke", name)


async def ticker(name, n):
    for i in range(n):
        print(f"{name}{i}", end=" ")
        await asyncio.sleep(0)


async def main():
    log = []
    tasks = [asyncio.create_task(sleeper(name, delay, log))
             for name, delay in [("c", 0.03), ("a", 0.01), ("d", 0.04), ("b", 0.02)]]
    await asyncio.gather(*tasks)
    print("order:", log)
    await asyncio.gather(ticker("x", 3), ticker("y", 3), ticker("z", 2))
    print()
    print("sleep result:", await asyncio.sleep(0.01, result="payload"))
    print("sleep(0) ->", await asyncio.sleep(0), "| negative ->", await asyncio.sleep(-1))
    return {"status": "ok"}


print("run returned", asyncio.run(main()))
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("RuntimeError:", e)


async def once():
    return 1


coro = once()
print("second run:", asyncio.run(coro))
try:
    asyncio.run(coro)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    asyncio.run("not a coroutine")
except ValueError as e:
    print("ValueError:", e)
