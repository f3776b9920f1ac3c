# SPDX-License-Identifier: GPL-3.0-or-later
# Tutorial-style producer/consumer: two producers put numbered jobs on a bounded queue, three
# workers process them with fake I/O (asyncio.sleep), queue.join() waits for all work, then the
# workers are cancelled; a summary per worker is printed (sorted), and the total work done.
# Which worker finishes which job depends on timing, so only order-independent facts print.
import asyncio
import random


async def producer(name, queue, count):
    for i in range(count):
        job = f"{name}-{i}"
        await queue.put(job)
    return f"{name} queued {count} jobs"


async def worker(name, queue, stats):
    while True:
        job = await queue.get()
        try:
            await asyncio.sleep(job_cost[job])
            stats.setdefault(name, []).append(job)
        finally:
            queue.task_done()


random.seed(1)
job_cost = {f"{p}-{i}": round(random.uniform(0.005, 0.02), 3) for p in ("P1", "P2") for i in range(5)}


async def main():
    queue = asyncio.Queue(maxsize=3)
    stats = {}
    workers = [asyncio.create_task(worker(f"worker-{n}", queue, stats)) for n in range(3)]
    print(await asyncio.gather(producer("P1", queue, 5), producer("P2", queue, 5)))
    await queue.join()
    for w in workers:
        w.cancel()
    results = await asyncio.gather(*workers, return_exceptions=True)
    print("workers cancelled:", all(isinstance(r, asyncio.CancelledError) for r in results))
    done = sorted(job for jobs in stats.values() for job in jobs)
    print(f"{len(done)} jobs done:", done)
    print("every worker helped:", sorted(stats) == ["worker-0", "worker-1", "worker-2"])


asyncio.run(main())
