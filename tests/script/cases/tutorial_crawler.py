# SPDX-License-Identifier: GPL-3.0-or-later
# Tutorial-style crawler: fan out fake fetches (asyncio.sleep standing in for the network) over a
# small link graph, limited by a Semaphore(3); a visited set avoids refetching; some pages fail
# (caught and counted); a per-fetch timeout with asyncio.wait_for; results printed sorted.
import asyncio

PAGES = {
    "/": (0.01, ["/a", "/b", "/c"]),
    "/a": (0.02, ["/a/1", "/a/2", "/"]),
    "/b": (0.015, ["/b/1", "/missing"]),
    "/c": (0.005, ["/slow", "/a"]),
    "/a/1": (0.01, []),
    "/a/2": (0.01, ["/b/1"]),
    "/b/1": (0.012, []),
    "/slow": (1.0, []),
}


class FetchError(Exception):
    def __init__(self, url, reason):
        super().__init__(f"{url}: {reason}")
        self.url = url


async def fetch(url, sem, stats):
    async with sem:
        stats["active"] += 1
        stats["peak"] = max(stats["peak"], stats["active"])
        try:
            if url not in PAGES:
                await asyncio.sleep(0.005)
                raise FetchError(url, "404")
            delay, links = PAGES[url]
            await asyncio.sleep(delay)
            return links
        finally:
            stats["active"] -= 1


async def crawl(start):
    sem = asyncio.Semaphore(3)
    stats = {"active": 0, "peak": 0}
    seen = {start}
    fetched, failed = [], []

    async def visit(url):
        try:
            links = await asyncio.wait_for(fetch(url, sem, stats), timeout=0.1)
        except FetchError as e:
            failed.append(str(e))
            return
        except TimeoutError:
            failed.append(f"{url}: timeout")
            return
        fetched.append(url)
        new = [link for link in links if link not in seen]
        seen.update(new)
        await asyncio.gather(*(visit(link) for link in new))

    await visit(start)
    return sorted(fetched), sorted(failed), stats["peak"], len(seen)


fetched, failed, peak, seen = asyncio.run(crawl("/"))
print("fetched:", fetched)
print("failed:", failed)
print("peak concurrency within limit:", peak <= 3, "| urls seen:", seen)
