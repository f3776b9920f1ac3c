# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.Future as used to hand results between callbacks and coroutines: create_future,
# set_result/set_exception (InvalidStateError when set twice), done/result/exception/cancelled,
# cancelling a future, add_done_callback (called with the future, in order, via the loop),
# remove_done_callback, several coroutines awaiting one future, wrapping a callback API.
import asyncio


def callback_api(loop, value, on_done):
    loop.call_later(0.01, on_done, value.upper())


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: print("callback 1 sees", f.result()))
    fut.add_done_callback(lambda f: print("callback 2 sees", f.result()))
    removed = lambda f: print("not printed")
    fut.add_done_callback(removed)
    print("removed callbacks:", fut.remove_done_callback(removed))

    async def waiter(name):
        value = await fut
        print(name, "woke with", value)

    waiters = [asyncio.create_task(waiter(f"w{i}")) for i in range(3)]
    await asyncio.sleep(0)
    fut.set_result(42)
    print("set_result done; callbacks run later:", fut.done(), fut.result())
    await asyncio.gather(*waiters)
    try:
        fut.set_result(43)
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", e)

    fut2 = loop.create_future()
    fut2.set_exception(KeyError("missing"))
    print("exception():", repr(fut2.exception()), fut2.done(), fut2.cancelled())
    try:
        await fut2
    except KeyError as e:
        print("await raised", repr(e))

    fut3 = loop.create_future()
    print("cancel pending future:", fut3.cancel(), fut3.cancelled(), fut3.done())
    try:
        fut3.result()
    except asyncio.CancelledError:
        print("result() of a cancelled future raises CancelledError")

    fut4 = loop.create_future()
    callback_api(loop, "wrapped", fut4.set_result)
    print("wrapped callback API:", await fut4)


asyncio.run(main())
