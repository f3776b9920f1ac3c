# SPDX-License-Identifier: GPL-3.0-or-later
# Several concurrent clients against one start_server: each client sends a request line and
# reads a fixed-size reply (readexactly), the server handler keeps shared state (a counter and a
# dict), the clients are gathered (results in argument order), server.close() + wait_closed()
# after every handler finished. Nothing machine-specific (ports, addresses) is printed.
import asyncio


async def main():
    totals = {}
    finished = 0
    all_done = asyncio.Event()
    clients = ["ann", "bob", "cid", "dee"]

    async def handle(reader, writer):
        nonlocal finished
        request = (await reader.readline()).decode().strip()
        name, amount = request.split()
        totals[name] = totals.get(name, 0) + int(amount)
        await asyncio.sleep(0.01)
        writer.write(f"{name:>4}:{totals[name]:06d}".encode())
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        finished += 1
        if finished == len(clients):
            all_done.set()

    server = await asyncio.start_server(handle, host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]

    async def client(name, amount):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"{name} {amount}\n".encode())
        await writer.drain()
        reply = await reader.readexactly(11)
        tail = await reader.read()
        writer.close()
        await writer.wait_closed()
        return reply.decode(), tail

    replies = await asyncio.gather(*(client(name, 10 * (i + 1)) for i, name in enumerate(clients)))
    for reply in replies:
        print(reply)
    await all_done.wait()
    print("totals:", dict(sorted(totals.items())), "handlers finished:", finished)
    server.close()
    await server.wait_closed()
    print("server closed:", not server.is_serving())


asyncio.run(main())
