# SPDX-License-Identifier: GPL-3.0-or-later
# Timeouts: asyncio.timeout() around a slow call, then a retry
#
# `async with asyncio.timeout(d)` cancels the task inside the
# block when the deadline passes and turns that CancelledError
# into TimeoutError as the block exits. The first attempt gives a
# slow fetch 1 s and times out (look for the blue bracket and the
# red cross on the timeline); the second gives it 3 s and
# succeeds.
import asyncio


async def fetch(what, seconds):
    """A slow operation: it takes `seconds` of loop time."""
    print(f"fetching {what} (takes {seconds} s)")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        # The timeout cancels us: close the socket here.
        print(f"fetch of {what} was cancelled by the timeout")
        raise  # always re-raise: the timeout needs it back
    return f"{what}: 42 rows"


async def attempt(what, seconds, limit):
    try:
        async with asyncio.timeout(limit):
            result = await fetch(what, seconds)
        print("got", result)
        return True
    except TimeoutError:
        # Raised by the `async with` block, not inside fetch().
        print(f"timed out after {limit} s")
        return False


async def main():
    ok = await attempt("report", seconds=2, limit=1)
    if not ok:
        print("retrying with a longer timeout")
        ok = await attempt("report", seconds=2, limit=3)
    print("success" if ok else "gave up")


asyncio.run(main())
