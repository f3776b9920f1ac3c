# SPDX-License-Identifier: GPL-3.0-or-later
# Fire-and-forget tasks whose exceptions nobody retrieves: CPython logs "Task exception was never
# retrieved" (stderr, not compared) but the script goes on and exits with status 0; a task that
# raises while being cancelled at shutdown is reported on stderr too; asyncio.run still returns.
import asyncio


async def crash(n):
    await asyncio.sleep(0.01)
    print(f"task {n} raising")
    raise RuntimeError(f"unobserved {n}")


async def bad_cleanup():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("bad_cleanup: raising during cancellation")
        raise ValueError("cleanup failed")


async def main():
    tasks = [asyncio.create_task(crash(n)) for n in range(2)]
    asyncio.create_task(bad_cleanup())
    await asyncio.sleep(0.05)
    print("main still fine; tasks done:", [t.done() for t in tasks])
    del tasks
    return "main result"


print(asyncio.run(main()))
print("exit status stays 0")
