# SPDX-License-Identifier: GPL-3.0-or-later
# Bound methods and builtins passed as callbacks: loop.call_soon(print, ...), call_soon with a
# bound list.append, a bound method of a user object as a done callback, functools-free
# partial application via lambda, sorted(key=str.lower / len / a bound dict.get), map with a
# builtin, a method stored in a dict of handlers, calling an unbound method with an instance.
import asyncio


class Collector:
    def __init__(self, name):
        self.name = name
        self.seen = []

    def on_done(self, task):
        self.seen.append(task.result())
        print(f"{self.name}.on_done got {task.result()!r}")

    def record(self, *values):
        self.seen.extend(values)


async def work(value):
    await asyncio.sleep(0.01)
    return value * 2


async def main():
    loop = asyncio.get_running_loop()
    log = []
    loop.call_soon(print, "print called by the loop", 1, 2)
    loop.call_soon(log.append, "appended")
    loop.call_soon(log.extend, ["x", "y"])
    collector = Collector("col")
    loop.call_soon(collector.record, "r1", "r2")
    await asyncio.sleep(0)
    print("log:", log, "collector:", collector.seen)
    task = asyncio.create_task(work(21))
    task.add_done_callback(collector.on_done)
    task.add_done_callback(lambda t: print("lambda sees done:", t.done()))
    await task
    await asyncio.sleep(0)
    print("after done callbacks:", collector.seen)
    handlers = {"upper": str.upper, "len": len, "rec": collector.record}
    print(handlers["upper"]("shout"), handlers["len"]("four"))
    handlers["rec"]("via dict")
    print(collector.seen[-1])
    words = ["b", "C", "a"]
    prio = {"a": 2, "b": 1, "C": 3}
    print(sorted(words), sorted(words, key=str.lower), sorted(words, key=prio.get), list(map(str.upper, words)))
    bound = collector.record
    print(bound.__self__ is collector, bound.__name__, Collector.record.__name__)
    Collector.record(collector, "unbound call")
    print(collector.seen[-1])
    later = loop.call_later(0.01, collector.record, "late")
    await asyncio.sleep(0.03)
    print(collector.seen[-1], later.cancelled())


asyncio.run(main())
