# SPDX-License-Identifier: GPL-3.0-or-later
# Import forms: import a; import a, b; import a as b; from a import x, y; from a import x as y;
# imports inside a function; the imported names are the same objects.
import asyncio
import os, sys
import time as t
import signal
from asyncio import sleep, Queue as Q
from asyncio import (
    Event,
    Lock,
)
import random as rnd

print("asyncio.sleep is sleep:", asyncio.sleep is sleep)
print("Q is asyncio.Queue:", Q is asyncio.Queue)
print("Event/Lock:", Event is asyncio.Event, Lock is asyncio.Lock)
print("t is time module:", t.__name__)
print("module names:", asyncio.__name__, os.__name__, sys.__name__, signal.__name__, rnd.__name__)
print("callables:", callable(t.monotonic), callable(os.getpid), callable(rnd.random))


def late_import():
    import logging
    from os import getpid as gp
    return logging.__name__, gp() == os.getpid()


print("late import:", late_import())


async def main():
    q = Q()
    await q.put("item")
    await sleep(0)
    print("got", await q.get())
    ev = Event()
    print("event set?", ev.is_set())


asyncio.run(main())
print("__name__ is", __name__)
