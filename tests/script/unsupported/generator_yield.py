# SPDX-License-Identifier: GPL-3.0-or-later
# Valid Python outside loopscope's subset: a generator function (`yield`, line 7). CPython runs
# it; loopscope must refuse it with "not supported by loopscope: generators" and the line.
import asyncio

def countdown(n):
    yield n
    if n > 0:
        yield from countdown(n - 1)


print(list(countdown(3)))
print(asyncio.run(asyncio.sleep(0, "done")))
