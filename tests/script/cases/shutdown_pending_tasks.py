# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.run shutdown: tasks still running when main returns are cancelled; each sees
# CancelledError and runs its except/finally blocks (they may still await briefly), and
# asyncio.run returns main's value afterwards. With several pending tasks the order in which
# CPython cancels them is not defined, so they log into a list printed sorted after run().
import asyncio

log = []


async def lonely():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("lonely: cancelled at shutdown, cleaning up")
        await asyncio.sleep(0.01)
        print("lonely: cleanup finished")
        raise
    finally:
        print("lonely: finally")


async def background(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise
    finally:
        log.append(f"{name} finally")


async def first_main():
    asyncio.create_task(lonely())
    await asyncio.sleep(0.01)
    print("first main returns")
    return "first result"


async def second_main():
    for name in ["b", "c", "a"]:
        asyncio.create_task(background(name))
    await asyncio.sleep(0.01)
    print("second main returns; pending:", len(asyncio.all_tasks()) - 1)
    return "second result"


print("run ->", asyncio.run(first_main()))
print("run ->", asyncio.run(second_main()))
print(sorted(log))
