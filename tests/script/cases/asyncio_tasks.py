# SPDX-License-Identifier: GPL-3.0-or-later
# Tasks: create_task with and without name= (the default "Task-N" names count every task from
# the program start: asyncio.run's main task is Task-1), get_name/set_name, current_task,
# all_tasks (sorted names), done/result/exception before and after completion (InvalidStateError),
# a task that raised (exception() returns it, result() re-raises), awaiting a task twice, tasks
# running concurrently with the creator until it awaits.
import asyncio


async def work(value, delay=0.01):
    await asyncio.sleep(delay)
    return value * 10


async def fail():
    await asyncio.sleep(0.01)
    raise ValueError("bad work")


async def main():
    me = asyncio.current_task()
    print("main task:", me.get_name())
    unnamed = asyncio.create_task(work(1))
    print("unnamed task:", unnamed.get_name())
    named = asyncio.create_task(work(2), name="fetcher")
    failing = asyncio.create_task(fail(), name="failing")
    print("all tasks:", sorted(t.get_name() for t in asyncio.all_tasks()))
    print("done before start:", named.done(), unnamed.done())
    for call in (named.result, named.exception):
        try:
            call()
        except asyncio.InvalidStateError as e:
            print("InvalidStateError:", e)
    named.set_name("renamed")
    print("renamed to", named.get_name())
    print("results:", await named, await unnamed, await named)
    print("done after:", named.done(), named.result(), named.exception(), named.cancelled())
    try:
        await failing
    except ValueError as e:
        print("awaiting failing task raised:", e)
    print("failing.exception():", repr(failing.exception()), failing.done(), failing.cancelled())
    try:
        failing.result()
    except ValueError as e:
        print("failing.result() raised again:", e)
    print("remaining tasks:", sorted(t.get_name() for t in asyncio.all_tasks()))
    print("current task is main:", asyncio.current_task() is me)
    order = []

    async def child():
        order.append("child runs")

    t = asyncio.create_task(child(), name="child")
    order.append("creator continues")
    await asyncio.sleep(0)
    print(order, t.done())
    t2 = asyncio.ensure_future(work(5, 0))
    print("ensure_future gives a task:", isinstance(t2, asyncio.Task), await t2)


asyncio.run(main())
print("current_task outside a loop raises:", end=" ")
try:
    asyncio.current_task()
except RuntimeError as e:
    print("RuntimeError:", e)
