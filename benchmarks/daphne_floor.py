"""Daphne's own floor: a bare ASGI app on Daphne that hands every event to every socket directly.

No Django, no Channels, no channel layer, no database: each socket's `send` callable is kept in a set and
a trade's update is serialised once and given to each of them, as mmgame's hub does. What this costs per
delivered frame is what Daphne (Twisted, autobahn) itself spends on one; no application on Daphne can
spend less. Speaks the same subset of docs/protocol.md as the reference server.

    daphne --fd N benchmarks.daphne_floor:application
"""

from __future__ import annotations

import json

from .market_picture import MarketBook

BOOK = MarketBook()
SENDS: set = set()


async def application(scope: dict, receive, send) -> None:
    if scope["type"] != "websocket":
        return
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": json.dumps(BOOK.snapshot())})
    SENDS.add(send)
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            request = json.loads(message.get("text") or "{}")
            if request.get("type") == "trade":
                result, update = BOOK.trade(request, player_id=id(send) % 100000)
                frame = {"type": "websocket.send", "text": json.dumps(update)}
                for other in list(SENDS):
                    await other(frame)
                await send({"type": "websocket.send", "text": json.dumps(result)})
            elif request.get("type") == "snapshot":
                await send({"type": "websocket.send", "text": json.dumps(BOOK.snapshot(request.get("request_id")))})
    finally:
        SENDS.discard(send)
