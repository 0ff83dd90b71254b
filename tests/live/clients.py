"""Real websocket clients (`websockets`) for tests against Daphne processes, and a classroom to play in."""

from __future__ import annotations

import asyncio
import json
import random
import time

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

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


async def reconnect(open_screen, role: str, cookie: str, deadline: float):
    """What the browser does on a dropped socket (static/js/live.js): retry with growing delays and jitter
    until the server answers, then take the snapshot it sends as the resync. The cap is 2 s here, not 10 s,
    to keep the test short. Returns the socket, its snapshot and how many attempts failed."""
    failed = 0
    rng = random.Random(role)
    while True:
        try:
            socket = await open_screen(role, cookie)
        except (OSError, InvalidHandshake, TimeoutError):
            failed += 1
            assert time.monotonic() < deadline, "the screen never got back"
            await asyncio.sleep(min(2.0, 0.25 * 2 ** (failed - 1)) * (0.75 + rng.random() * 0.5))
            continue
        try:
            return socket, await next_of(socket, "snapshot", timeout=15), failed
        except ConnectionClosed:
            failed += 1  # accepted while the process was still starting, then dropped: try again
