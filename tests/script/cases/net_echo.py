# SPDX-License-Identifier: GPL-3.0-or-later
# A line echo server with asyncio.start_server on 127.0.0.1 port 0 (the port is read from
# server.sockets[0].getsockname()[1] and never printed) and a client with open_connection:
# writer.write/drain, reader.readline/read/readexactly, IncompleteReadError (partial bytes,
# expected count), writer.close/wait_closed, is_closing, `async with server`, server
# close/wait_closed, is_serving. The handler signals when it is done so the output order is
# fixed.
import asyncio


async def main():
    handled = asyncio.Event()

    async def handle(reader, writer):
        while True:
            line = await reader.readline()
            if not line:
                break
            print("server got", line)
            writer.write(b"echo: " + line.upper())
            await writer.drain()
        print("server: client closed its side")
        writer.write(b"bye")
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        handled.set()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print("listening on a port > 0:", port > 0, "| serving:", server.is_serving())
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for text in ["hello", "second line"]:
            writer.write(text.encode() + b"\n")
            await writer.drain()
            reply = await reader.readline()
            print("client got", reply)
        writer.write(b"exact\n")
        print("readexactly(6):", await reader.readexactly(6), "rest:", await reader.readline())
        writer.write_eof()
        print("read() until EOF:", await reader.read())
        print("at_eof:", reader.at_eof())
        try:
            await reader.readexactly(4)
        except asyncio.IncompleteReadError as e:
            print("IncompleteReadError: partial", e.partial, "expected", e.expected)
        writer.close()
        print("is_closing after close():", writer.is_closing())
        await writer.wait_closed()
        await handled.wait()
    print("server serving after async with:", server.is_serving())
    await server.wait_closed()
    print("done")


asyncio.run(main())
