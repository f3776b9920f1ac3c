# SPDX-License-Identifier: GPL-3.0-or-later
# async with on a class with __aenter__/__aexit__ that await (normal exit and exit by an
# exception), and async for over a class with __aiter__/__anext__ raising StopAsyncIteration
# (with continue and break in the body), an async with around an async for.
import asyncio


class AsyncResource:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        await asyncio.sleep(0.01)
        print("aenter", self.name)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0)
        print("aexit", self.name, exc_type.__name__ if exc_type else None)
        return False


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        await asyncio.sleep(0)
        self.current -= 1
        return self.current + 1


async def main():
    async with AsyncResource("db") as res:
        print("using", res.name)
    try:
        async with AsyncResource("net"):
            raise RuntimeError("boom")
    except RuntimeError as e:
        print("caught", e)
    async for n in Countdown(3):
        print("countdown", n)
    collected = []
    async for n in Countdown(4):
        if n == 2:
            continue
        collected.append(n)
    print("collected", collected)
    async with AsyncResource("stream") as res:
        async for n in Countdown(5):
            if n == 3:
                print("break at", n, "inside", res.name)
                break


asyncio.run(main())
