# SPDX-License-Identifier: GPL-3.0-or-later
# loopscope-args: --grace 1
# Tutorial-style bug: a background task swallows CancelledError (a broad `except BaseException`
# around its sleep) and keeps doing "one more round" before returning. When main returns,
# asyncio.run cancels it; under CPython the swallowed cancel just makes shutdown wait until the
# task returns by itself (here after two more short rounds), it does not hang. loopscope is
# given a grace period longer than that, so its output must match.
import asyncio


async def stubborn(log):
    rounds = 0
    while rounds < 3:
        try:
            await asyncio.sleep(0.05)
            rounds += 1
            log.append(f"round {rounds} done")
        except BaseException as e:
            log.append(f"swallowed {type(e).__name__}")
            rounds += 1
    log.append("stubborn returns on its own")
    print("stubborn finished:", log)
    return rounds


async def main():
    log = []
    task = asyncio.create_task(stubborn(log))
    await asyncio.sleep(0.01)
    print("main returns while stubborn is still running")
    return task


task = asyncio.run(main())
print("asyncio.run returned; task done:", task.done(), "cancelled:", task.cancelled(), "result:", task.result())
