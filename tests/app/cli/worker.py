# SPDX-License-Identifier: GPL-3.0-or-later
# Fixture of the CLI tests (cli.cmake): main leaves a worker pending, which the shutdown cancels.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("worker cancelled")
        raise


async def main():
    asyncio.create_task(worker(), name="worker")
    await asyncio.sleep(1)
    print("main done")


asyncio.run(main())
