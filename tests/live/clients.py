"""Real websocket clients (`websockets`) for tests against Daphne processes, and a classroom to play in."""

from __future__ import annotations

import asyncio
import json
import time

from websockets.asyncio.client import connect

SETUP = """
from django.contrib.auth import get_user_model
from django.test import Client
from mmgame import services

host = get_user_model().objects.create_user(username="teacher", password="correct horse battery")
game = services.create_game(host, "Live")
market = services.add_market(host, game, question="Beans?", lo=0, hi=300, prior_mean=100, prior_sd=100, sd_min=1)
services.open_market(host, market.pk)
cookies = {}
for name in ("Alice", "Bob", "Carol", "Dave"):
    player = services.join_game(game.join_code, name)
    client = Client()
    session = client.session
    session["seats"] = {str(game.pk): player.seat_token}
    session.save()
    cookies[name] = "sessionid=" + session.session_key
client = Client()
client.force_login(host)
cookies["host"] = "sessionid=" + client.cookies["sessionid"].value
print(json.dumps({"game": game.pk, "market": market.pk, "cookies": cookies}))
"""


def opener(server, game_id: int):
    def open_screen(role: str, cookie: str | None, **kwargs):
        headers = {"Cookie": cookie} if cookie else {}
        return connect(
            f"{server.ws_url}/ws/games/{game_id}/{role}/",
            origin=kwargs.pop("origin", server.origin),
            additional_headers=headers,
            open_timeout=10,
            **kwargs,
        )

    return open_screen


async def next_of(socket, kind: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), max(0.05, deadline - time.monotonic())))
        if frame["type"] == kind:
            return frame
        if frame["type"] == "check":
            await socket.send(json.dumps({"type": "seen", "nonce": frame["nonce"]}))


async def updates_until(socket, sequence: int, timeout: float = 20) -> list[dict]:
    updates: list[dict] = []
    while not updates or updates[-1]["sequence"] < sequence:
        updates.append(await next_of(socket, "update", timeout))
    return updates


def trade_frame(market_id: int, i: int) -> str:
    order = {"kind": "target", "mean": 100 + (i % 5) * 10, "sd": 60}
    return json.dumps(
        {"type": "trade", "request_id": f"r{i}", "market_id": market_id, "order": order, "idempotency_key": f"k{i}"}
    )
