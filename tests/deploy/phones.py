"""Phones trading through the proxy's wss://, doing what the pages do when a socket drops (static/js/live.js):
reconnect with a short delay until a process answers, take the snapshot, and send the unanswered trade
again under the same idempotency key. Every trade the server acknowledged is written down."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from tests.live.clients import SETUP


def seats_script(name: str) -> str:
    """tests/live/clients.py's classroom (an open market, four seats with their cookies) under a host of its own."""
    return SETUP.replace('username="teacher"', f'username="kit-{name}"')


ACKED = """
from mmgame.models import Market, Trade
market = Market.objects.get(pk=MARKET)
trades = Trade.objects.filter(market=market).select_related("player")
keys = sorted([t.player.nickname, t.idempotency_key] for t in trades)
print(json.dumps({"keys": keys, "sequence": market.sequence, "trades": trades.count()}))
"""


@dataclass
class Phone:
    name: str
    cookie: str
    offset: float = 0.0  # added to each target's mean
    acked: dict = field(default_factory=dict)  # idempotency key -> the trade's sequence
    outages: list = field(default_factory=list)  # seconds from a dropped socket to the next snapshot
    errors: list = field(default_factory=list)


async def frame_of(socket, kind: str, timeout: float, request_id: str | None = None) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), max(0.05, deadline - time.monotonic())))
        if frame["type"] == "check":
            await socket.send(json.dumps({"type": "seen", "nonce": frame["nonce"]}))
        elif frame["type"] in (kind, "error") and frame.get("request_id") == request_id:
            return frame  # the answer to this request
        elif frame["type"] == kind and request_id is None:
            return frame


async def trade_until(kit, setup: dict, phone: Phone, stop: asyncio.Event, pace: float = 0.2) -> None:
    """Trade every `pace` seconds until `stop`, through every drop; the last trade is answered before returning."""
    url = f"{kit.ws_origin}/ws/games/{setup['game']}/player/"
    i, dropped = 0, None
    while not stop.is_set() or dropped is not None:
        try:
            async with connect(
                url, ssl=kit.ssl(), origin=kit.origin, additional_headers={"Cookie": phone.cookie}, open_timeout=10
            ) as socket:
                await frame_of(socket, "snapshot", 20)
                if dropped is not None:
                    phone.outages.append(time.monotonic() - dropped)
                    dropped = None
                while not stop.is_set():
                    key = f"{phone.name}-{i}"
                    # a curve of this phone's own, never the one the market is at (that is refused: no_move)
                    order = {"kind": "target", "mean": 100 + phone.offset + (i % 7) * 10, "sd": 50 + i % 3}
                    request = {"type": "trade", "request_id": key, "market_id": setup["market"], "order": order}
                    await socket.send(json.dumps({**request, "idempotency_key": key}))
                    answer = await frame_of(socket, "trade_result", 20, request_id=key)
                    if answer["type"] == "error":
                        phone.errors.append(answer)
                    else:
                        phone.acked[key] = answer["trade"]["sequence"]
                    i += 1
                    await asyncio.sleep(pace)
        except (ConnectionClosed, InvalidHandshake, InvalidStatus, OSError, TimeoutError) as gone:
            if isinstance(gone, InvalidStatus) and gone.response.status_code == 403:
                raise
            dropped = dropped if dropped is not None else time.monotonic()
            await asyncio.sleep(0.2)
