# SPDX-License-Identifier: GPL-3.0-or-later
# async def with positional/default/keyword/*args/**kwargs parameters, awaiting coroutines that
# await other coroutines, return values through await, a coroutine object's type name, async
# methods on a class, awaiting the same coroutine function many times, an await inside
# expressions, f-strings and comprehensions.
import asyncio


async def add(a, b=1, *rest, scale=1, **extra):
    await asyncio.sleep(0)
    return (a + b + sum(rest)) * scale, sorted(extra)


async def double(x):
    value, _ = await add(x, x)
    return value


async def chain(n):
    if n == 0:
        return "bottom"
    return f"{n}>" + await chain(n - 1)


class Service:
    def __init__(self, name):
        self.name = name
        self.calls = 0

    async def call(self, arg):
        self.calls += 1
        await asyncio.sleep(0.01)
        return f"{self.name}({arg})#{self.calls}"


async def main():
    print(await add(1))
    print(await add(1, 2, 3, 4, scale=10, z=1, a_key=2))
    print(await double(21))
    print(await chain(4))
    coro = double(1)
    print("type:", type(coro).__name__)
    print("awaited later:", await coro)
    svc = Service("svc")
    print(await svc.call("a"), await svc.call("b"))
    print("sum of awaits:", await double(1) + await double(2))
    print(f"inline {await double(5)}")
    print("list:", [await double(i) for i in range(4)])
    results = []
    for i in range(3):
        results.append(await svc.call(i))
    print(results, svc.calls)
    return "main done"


print(asyncio.run(main()))
