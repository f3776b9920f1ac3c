# SPDX-License-Identifier: GPL-3.0-or-later
# Tutorial-style retry with timeouts and backoff: a flaky fake service (seeded random failures
# and latencies) is called through asyncio.timeout with up to four attempts and exponential
# backoff; attempts and outcomes are logged in order; a custom exception with attributes reports
# the final failure; several requests run concurrently and their results are gathered.
import asyncio
import random


class ServiceError(Exception):
    def __init__(self, request, attempts):
        super().__init__(f"{request} failed after {attempts} attempts")
        self.request = request
        self.attempts = attempts


PLAN = {
    "alpha": [("ok", 0.01)],
    "beta": [("error", 0.005), ("slow", 0.2), ("ok", 0.01)],
    "gamma": [("slow", 0.2), ("slow", 0.2), ("error", 0.005), ("error", 0.005)],
}


async def call_service(request, attempt):
    outcome, latency = PLAN[request][attempt]
    await asyncio.sleep(latency)
    if outcome == "error":
        raise ConnectionResetError(f"{request} reset")
    return f"{request}: payload"


async def with_retry(request, log, attempts=4, base_delay=0.005):
    for attempt in range(attempts):
        if attempt >= len(PLAN[request]):
            break
        try:
            async with asyncio.timeout(0.05):
                result = await call_service(request, attempt)
            log.append(f"{request} attempt {attempt + 1}: ok")
            return result
        except TimeoutError:
            log.append(f"{request} attempt {attempt + 1}: timeout")
        except ConnectionError as e:
            log.append(f"{request} attempt {attempt + 1}: {type(e).__name__} {e}")
        await asyncio.sleep(base_delay * 2 ** attempt)
    raise ServiceError(request, attempt + 1)


async def main():
    random.seed(3)
    order = random.sample(sorted(PLAN), 3)
    logs = {name: [] for name in order}
    results = await asyncio.gather(*(with_retry(name, logs[name]) for name in order), return_exceptions=True)
    for name, result in zip(order, results):
        print("\n".join(logs[name]))
        if isinstance(result, ServiceError):
            print(f"  => {type(result).__name__}: {result} (attempts={result.attempts})")
        else:
            print("  =>", result)


asyncio.run(main())
