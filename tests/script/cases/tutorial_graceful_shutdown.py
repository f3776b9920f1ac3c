# SPDX-License-Identifier: GPL-3.0-or-later
# Tutorial-style graceful shutdown: a service runs workers that loop until a stop Event is set;
# SIGTERM and SIGINT handlers (loop.add_signal_handler) set the event; the script sends itself
# SIGTERM after 0.1 s with loop.call_later(0.1, os.kill, os.getpid(), signal.SIGTERM); workers
# finish their current unit of work, then the service closes resources, removes the handlers and
# exits with status 0.
import asyncio
import os
import signal


class Service:
    def __init__(self):
        self.stop = asyncio.Event()
        self.units = {}
        self.closed = False

    def request_stop(self, sig):
        print(f"received {sig.name}, stopping")
        self.stop.set()

    async def worker(self, name, period):
        self.units[name] = 0
        while not self.stop.is_set():
            await asyncio.sleep(period)
            self.units[name] += 1
        return f"{name} stopped cleanly"

    async def close(self):
        await asyncio.sleep(0.01)
        self.closed = True


async def main():
    loop = asyncio.get_running_loop()
    service = Service()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, service.request_stop, sig)
    loop.call_later(0.1, os.kill, os.getpid(), signal.SIGTERM)
    print("service running")
    workers = [asyncio.create_task(service.worker(f"w{i}", 0.02 + 0.01 * i)) for i in range(3)]
    await service.stop.wait()
    print("stop requested; waiting for workers")
    print(await asyncio.gather(*workers))
    await service.close()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.remove_signal_handler(sig)
    print("closed:", service.closed, "| every worker did some work:", all(n > 0 for n in service.units.values()))
    return 0


status = asyncio.run(main())
print("exit status", status)
