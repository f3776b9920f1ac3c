# SPDX-License-Identifier: GPL-3.0-or-later
# The modules asyncio code imports in passing: __future__ annotations, typing names used in
# annotations and casts, functools.partial (as a loop callback) and reduce, and math with its
# domain and range errors.
from __future__ import annotations
import asyncio
import functools
import math
from typing import Optional, List, Dict, Any, Callable, Awaitable, TypeVar, cast

T = TypeVar("T")

async def fetch(i: int, log: Optional[List[str]] = None) -> Dict[str, Any]:
    await asyncio.sleep(0.01 * i)
    if log is not None:
        log.append(f"fetched {i}")
    return {"i": i, "root": round(math.sqrt(i), 3)}

def report(prefix: str, value: int) -> None:
    print(prefix, value)

async def main() -> None:
    log: List[str] = []
    res = await asyncio.gather(*(fetch(i, log) for i in range(1, 4)))
    print(res, log)
    loop = asyncio.get_running_loop()
    loop.call_soon(functools.partial(report, "partial:", 7))
    await asyncio.sleep(0)
    print(functools.reduce(lambda a, b: a * b, [1, 2, 3, 4]))
    print(Optional[int], Dict[str, int], int | None if False else "x")
    print(cast(int, "s"), math.floor(2.5), math.ceil(2.1), math.pi, math.isclose(0.1 + 0.2, 0.3))
    print(repr(functools.partial(report, "a", value=1)).endswith(", 'a', value=1)"))
    for bad in (lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.floor(math.inf), lambda: math.sqrt("x"), lambda: math.exp(1000)):
        try:
            bad()
        except Exception as e:
            print(type(e).__name__, e)
    print(math.log(8, 2), math.log2(1024), math.log10(1000), math.hypot(3, 4), math.gcd(12, 18), math.trunc(-2.7))

asyncio.run(main())
