# SPDX-License-Identifier: GPL-3.0-or-later
# logging basics: basicConfig(level=..., format=...), getLogger(name), debug/info/warning/error/
# exception/log with %-style arguments, logger levels and isEnabledFor, the root logger. All
# records go to stderr, so stdout must only contain the script's own prints.
import asyncio
import logging

logging.basicConfig(level=logging.INFO, format="%(levelname)s:%(name)s:%(message)s")
log = logging.getLogger("app")
print("logger name:", log.name, "| same object:", logging.getLogger("app") is log)
print("levels:", logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)
print("enabled: debug", log.isEnabledFor(logging.DEBUG), "info", log.isEnabledFor(logging.INFO))
log.debug("not shown: below INFO")
log.info("starting %s with %d workers", "pool", 3)
log.warning("disk at %.0f%%", 93.5)
log.error("failed: %r", {"code": 7})
logging.info("root logger message")
child = logging.getLogger("app.db")
child.setLevel(logging.ERROR)
child.warning("filtered out by the child's level")
child.error("child error")
print("child level:", child.level, "effective:", child.getEffectiveLevel(), "| parent:", child.parent.name)


async def worker(n):
    log.info("worker %d starting", n)
    await asyncio.sleep(0.01)
    try:
        raise ValueError(f"worker {n} broke")
    except ValueError:
        log.exception("worker %d failed", n)
    return n


async def main():
    results = await asyncio.gather(*(worker(n) for n in range(3)))
    print("results:", results)


asyncio.run(main())
log.log(logging.CRITICAL, "the end")
print("stdout holds only prints")
