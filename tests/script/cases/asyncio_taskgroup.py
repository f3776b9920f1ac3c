# SPDX-License-Identifier: GPL-3.0-or-later
# asyncio.TaskGroup (3.11): all children succeed (results read after the block); a failing child
# cancels its siblings (they see CancelledError) and the block raises an ExceptionGroup with
# message "unhandled errors in a TaskGroup"; handling it with except*; two children failing at
# the same time (same loop iteration) give two sub-exceptions; the body itself raising; creating a task in a group
# that already finished (RuntimeError).
import asyncio


async def child(name, delay, fail=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"  {name} cancelled")
        raise
    if fail:
        print(f"  {name} failing")
        raise ValueError(f"{name} broke")
    print(f"  {name} done")
    return name


async def main():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(child(f"ok{i}", 0.02 * (3 - i)), name=f"ok{i}") for i in range(3)]
    print("all done:", [t.result() for t in tasks])

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("long1", 0.5))
            tg.create_task(child("bad", 0.01, fail=True))
            tg.create_task(child("long2", 0.5))
    except ExceptionGroup as eg:
        print("ExceptionGroup:", eg.message, "|", str(eg), "|", [repr(e) for e in eg.exceptions])

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("v", 0.01, fail=True))
            tg.create_task(child("t", 0.5))
    except* ValueError as group:
        print("except* ValueError:", [str(e) for e in group.exceptions])
    except* TypeError:
        print("not printed")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("twin-a", 0, fail=True))
            tg.create_task(child("twin-b", 0, fail=True))
            tg.create_task(child("slowpoke", 0.5))
    except ExceptionGroup as eg:
        print("two failures:", sorted(str(e) for e in eg.exceptions))

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("sibling", 0.5))
            await asyncio.sleep(0.01)
            raise KeyError("body failed")
    except* KeyError as group:
        print("body error in group:", [repr(e) for e in group.exceptions])

    late = child("too-late", 0)
    try:
        tg.create_task(late)
    except RuntimeError as e:
        print("create_task on a finished TaskGroup:", type(e).__name__)
        late.close()


asyncio.run(main())
