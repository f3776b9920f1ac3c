# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.wait(FIRST_COMPLETED): a race, and the loser cancelled
#
# A primary server that is slow today and a fallback that answers
# after 1 s. wait() returns as soon as one is done, with the
# (done, pending) sets; it never cancels the pending ones, so we
# cancel the loser ourselves. With a timeout and nothing done,
# wait() returns two sets too: it does not raise TimeoutError.
import asyncio


async def ask(server, seconds):
    try:
        await asyncio.sleep(seconds)
        return f"answer from {server}"
    except asyncio.CancelledError:
        print(f"{server}: request cancelled")
        raise


async def main():
    create = asyncio.create_task
    primary = create(ask("primary", 2.5), name="primary")
    fallback = create(ask("fallback", 1), name="fallback")
    done, pending = await asyncio.wait(
        {primary, fallback}, return_when=asyncio.FIRST_COMPLETED
    )
    for task in done:
        print("winner:", task.result())
    for task in pending:
        task.cancel()  # wait() leaves the loser running
    await asyncio.wait(pending)

    slow = create(ask("archive", 5), name="archive")
    done, pending = await asyncio.wait({slow}, timeout=1.5)
    print(f"timed out: {len(done)} done, {len(pending)} pending")
    slow.cancel()
    await asyncio.wait({slow})


asyncio.run(main())
