# SPDX-License-Identifier: GPL-3.0-or-later
# time.sleep blocks the whole loop: a task due to wake after 0.07 s cannot run while another
# task calls time.sleep(0.2), so its wake-up comes after the blocking call and about 0.14 s late
# (printed rounded to 0.1 s); asyncio.sleep in the same place would not delay it. Also
# time.time/monotonic/perf_counter differences rounded to 0.1 s.
import asyncio
import time


async def punctual(log, started):
    await asyncio.sleep(0.07)
    log.append(("punctual woke", round(time.monotonic() - started, 1)))


async def blocker(log, blocking):
    await asyncio.sleep(0.01)
    log.append(("blocker starts sleeping", None))
    if blocking:
        time.sleep(0.2)
    else:
        await asyncio.sleep(0.2)
    log.append(("blocker done", None))


async def run(blocking):
    log = []
    started = time.monotonic()
    await asyncio.gather(punctual(log, started), blocker(log, blocking))
    print("time.sleep" if blocking else "asyncio.sleep", "->", [event for event, _ in log])
    print("  punctual woke at ~", dict(log)["punctual woke"], "s")


async def main():
    await run(blocking=True)
    await run(blocking=False)
    t0, m0, p0 = time.time(), time.monotonic(), time.perf_counter()
    time.sleep(0.1)
    print("time.time diff", round(time.time() - t0, 1), "monotonic diff", round(time.monotonic() - m0, 1),
          "perf_counter diff", round(time.perf_counter() - p0, 1))
    print("types:", type(time.time()).__name__, type(time.monotonic()).__name__, time.time() > 1.6e9)
    print("monotonic never goes back:", time.monotonic() >= m0, "| perf_counter_ns is an int:", isinstance(time.perf_counter_ns(), int))


asyncio.run(main())
