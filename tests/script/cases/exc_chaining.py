# SPDX-License-Identifier: GPL-3.0-or-later
# Exception chaining: __context__ set implicitly when raising inside except, __cause__ from
# `raise X from Y` (and __suppress_context__), `raise X from None`, context preserved through
# finally, walking a chain, re-raising keeps the same object, an exception raised in a task
# keeps its chain when awaited.
import asyncio


def chain_of(exc):
    parts = []
    while exc is not None:
        parts.append(f"{type(exc).__name__}({exc})")
        exc = exc.__cause__ or exc.__context__
    return " <- ".join(parts)


try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("while handling")
except ValueError as e:
    print("implicit:", repr(e.__context__), e.__cause__, e.__suppress_context__)
    print(chain_of(e))

try:
    try:
        {}["k"]
    except KeyError as inner:
        raise RuntimeError("explicit") from inner
except RuntimeError as e:
    print("explicit:", repr(e.__cause__), repr(e.__context__), e.__suppress_context__, e.__cause__ is e.__context__)

try:
    try:
        int("x")
    except ValueError:
        raise LookupError("hidden") from None
except LookupError as e:
    print("from None:", e.__cause__, type(e.__context__).__name__, e.__suppress_context__)

try:
    try:
        raise KeyError("a")
    except KeyError:
        try:
            raise IndexError("b")
        except IndexError:
            raise AttributeError("c")
except AttributeError as e:
    print("three levels:", chain_of(e))

saved = None
try:
    try:
        raise ValueError("same object")
    except ValueError as e:
        saved = e
        raise
except ValueError as again:
    print("re-raise keeps identity:", again is saved, again.__context__)


async def failing():
    await asyncio.sleep(0)
    try:
        raise OSError("disk")
    except OSError as err:
        raise RuntimeError("task failed") from err


async def main():
    try:
        await asyncio.create_task(failing())
    except RuntimeError as e:
        print("from task:", chain_of(e))


asyncio.run(main())
