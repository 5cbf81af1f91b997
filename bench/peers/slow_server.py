#!/usr/bin/env python3
"""A misbehaving local vendor for the noisy-neighbour runs: `/hang…` accepts the request and
never answers (the connection stays open until the client goes); `/slow?ms=N` answers `{}` after
N milliseconds (keep-alive). usage: slow_server.py PORT (127.0.0.1 only)."""
import asyncio, re, sys

async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            target = line.split(" ")[1] if " " in line else "/"
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            if length:
                await reader.readexactly(int(length.group(1)))
            if target.startswith("/hang"):
                await reader.read()  # until the client closes
                return
            ms = re.search(r"ms=(\d+)", target)
            await asyncio.sleep(int(ms.group(1)) / 1000 if ms else 1)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()

async def main(port):
    server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()

if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
