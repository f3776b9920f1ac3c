# SPDX-License-Identifier: GPL-3.0-or-later
# Valid Python outside loopscope's subset: `async for` inside a comprehension (line 23), over a
# class with __aiter__/__anext__ (which loopscope does support in an async for statement).
import asyncio


class Counter:
    def __init__(self, n):
        self.i, self.n = 0, n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await asyncio.sleep(0)
        return self.i


async def main():
    values = [v async for v in Counter(3)]
    print(values)


asyncio.run(main())
