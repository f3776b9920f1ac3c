# SPDX-License-Identifier: GPL-3.0-or-later
# Swallowed CancelledError: shutdown waits for a stubborn task
#
# When main returns, asyncio.run cancels the tasks still running
# and waits for them, with no time limit. "stubborn" catches
# CancelledError and goes on working, so the shutdown waits. Plain
# asyncio waits until it gives up by itself after 8 rounds;
# loopscope's grace deadline (3 s for this script, set in the
# Scenario panel) ends the wait, names the culprit and exits with
# status 124, as a process supervisor's SIGKILL would.
# loopscope: grace=3
import asyncio


async def stubborn():
    for round in range(1, 9):
        try:
            await asyncio.sleep(1)
            print(f"stubborn: round {round}")
        except asyncio.CancelledError:
            # The bug: catching CancelledError and carrying on.
            # Re-raise it instead.
            print(f"stubborn: cancelled in round {round}, ignoring")
    print("stubborn: finished on its own")


async def polite():
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        print("polite: cancelled, stopping")
        raise


async def main():
    asyncio.create_task(stubborn(), name="stubborn")
    polite_task = asyncio.create_task(polite(), name="polite")
    await asyncio.sleep(1.5)
    polite_task.cancel()  # a well-behaved task stops when cancelled
    await asyncio.sleep(1)
    print("main: done; asyncio.run now cancels the remaining task")


asyncio.run(main())
print("shutdown complete")
