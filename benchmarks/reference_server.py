"""The physical reference: one `websockets` process that broadcasts every event to every socket.

No framework, no database, no conflation, no compression: what a fan-out costs at the bottom. It speaks
the subset of docs/protocol.md the load generator uses (snapshot, trade → trade_result + update).

    python -m benchmarks.reference_server --fd N     (a listening socket handed over by the bench)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import socket

from websockets.asyncio.server import ServerConnection, broadcast, serve

from .market_picture import MarketBook


async def main(fd: int) -> None:
    book = MarketBook()
    sockets: set[ServerConnection] = set()

    async def handler(connection: ServerConnection) -> None:
        sockets.add(connection)
        try:
            await connection.send(json.dumps(book.snapshot()))
            async for frame in connection:
                request = json.loads(frame)
                if request.get("type") == "trade":
                    result, update = book.trade(request, player_id=id(connection) % 100000)
                    broadcast(sockets, json.dumps(update))  # before any await: updates leave in order
                    await connection.send(json.dumps(result))
                elif request.get("type") == "snapshot":
                    await connection.send(json.dumps(book.snapshot(request.get("request_id"))))
        finally:
            sockets.discard(connection)

    listener = socket.socket(fileno=fd)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.cancel)
    async with serve(handler, sock=listener, compression=None, ping_interval=None, max_queue=None):
        with contextlib.suppress(asyncio.CancelledError):
            await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fd", type=int, required=True)
    asyncio.run(main(parser.parse_args().fd))
