"""A client of a running mmgame server that takes the browser's path: join through the API (which gives a
seat token and, with a CSRF token, a session), follow the game on the player's websocket (snapshot, then
updates by the sequence rule of docs/protocol.md), and trade on that socket or through the API.

HTTP through httpx (its cookie jar keeps the session the join sets); the socket through websockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote as escape
from urllib.parse import urlsplit

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from mmgame.market import Order

HTTP_TIMEOUT = 30
REPLY_TIMEOUT = 30
RECONNECT_ATTEMPTS = 8


JOIN_TRIES = 30


class Refused(Exception):
    """The server said no: `code` is the stable error code of docs/protocol.md §4 (or an HTTP status)."""

    def __init__(self, body: dict) -> None:
        super().__init__(body.get("message") or body.get("code"))
        self.code = body.get("code", "error")
        self.body = body


def decimal_as_number(value: object) -> float:
    """`json.dumps`'s documented `default` hook: a Decimal goes out as a JSON number (the API refuses
    numbers given as strings), the nearest double. The bots' Decimals come from float arithmetic (the
    strategies' curves), so a double carries every digit they mean; the API quantises what it receives."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(body: dict) -> str:
    """JSON for the server: the standard encoder, Decimals through `decimal_as_number`."""
    return json.dumps(body, default=decimal_as_number)


def order_body(order: Order) -> dict:
    body: dict = {"kind": order.kind}
    for name in ("mean", "sd", "delta_1", "delta_2", "median", "sd_log", "low", "high"):
        value = getattr(order, name)
        if value is not None:
            body[name] = value
    return body


@dataclass
class Seat:
    player_id: int
    nickname: str
    seat_token: str
    game_id: int
    join_code: str
    cookies: dict[str, str]


class GameClient:
    """One player's connection to a game: the markets as last seen, the own positions, and requests."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.host, self.secure = parts.hostname, parts.scheme == "https"
        self.port = parts.port or (443 if self.secure else 80)
        self.web = httpx.AsyncClient(base_url=self.base, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        self.seat: Seat | None = None
        self.socket: ClientConnection | None = None
        self.markets: dict[int, dict] = {}
        self.positions: dict[int, dict] = {}
        self.changed = asyncio.Condition()
        self.waiting: dict[str, asyncio.Future] = {}
        self.ids = itertools.count(1)
        self.reader: asyncio.Task | None = None
        self.resyncing = False
        self.connected = asyncio.Event()
        self.connections = 0  # sockets opened so far: more than one means it reconnected
        self.closing = False
        self.reconnecting: asyncio.Future | None = None
        self.refusal: Refused | None = None

    # -- HTTP ---------------------------------------------------------------------------------
    @property
    def cookies(self) -> dict[str, str]:
        """The cookies the server set (the session, the CSRF token): the socket sends them too."""
        return dict(self.web.cookies.items())

    async def http(self, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> tuple:
        """(status, parsed JSON) for one request; cookies the server sets are kept."""
        headers = dict(headers or {})
        content = None
        if body is not None:
            content = dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            response = await self.web.request(method, path, content=content, headers=headers)
        except httpx.TimeoutException as error:  # the callers' contract: TimeoutError or an OSError
            raise TimeoutError(f"{method} {path}: {error}") from error
        except httpx.TransportError as error:
            raise ConnectionError(f"{method} {path}: {error}") from error
        try:
            return response.status_code, response.json() if response.content.strip() else None
        except ValueError:  # not JSON: a proxy's error page, say
            return response.status_code, {"code": f"http_{response.status_code}", "message": response.text[:200]}

    async def api(self, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> dict:
        status, answer = await self.http(method, path, body, headers)
        if status >= 400:
            raise Refused(answer if isinstance(answer, dict) else {"code": str(status)})
        return answer

    async def join(self, join_code: str, nickname: str) -> Seat:
        """Join as a new player; the CSRF token makes the server keep the seat in this client's session too."""
        csrf = (await self.api("GET", "/api/csrf"))["csrf_token"]
        path = f"/api/games/{escape(join_code, safe='')}/join"
        headers = {"X-CSRFToken": csrf, "Origin": self.base}
        for _ in range(JOIN_TRIES):  # one address gets 10 seats in a game every 5 s: wait its turn
            try:
                answer = await self.api("POST", path, {"nickname": nickname}, headers)
                break
            except Refused as refused:
                if refused.code != "rate_limited":
                    raise
                await asyncio.sleep(float(refused.body.get("retry_after", 1)) + random.uniform(0, 0.5))
        else:
            raise Refused({"code": "rate_limited", "message": "the server kept refusing this join"})
        if answer.get("waiting"):  # the host lets players in: a bot's place waits like a phone's (202)
            raise Refused(
                {"code": "waiting", "message": "the game has a waiting room: the host must admit each player"}
            )
        self.seat = Seat(
            answer["player_id"],
            answer["nickname"],
            answer["seat_token"],
            answer["game"]["id"],
            answer["game"]["join_code"],
            dict(self.cookies),
        )
        return self.seat

    # -- the websocket ------------------------------------------------------------------------
    async def connect(self) -> None:
        """Open the player's socket and wait for the first snapshot (a refusal raises Refused)."""
        scheme = "wss" if self.secure else "ws"
        url = f"{scheme}://{self.host}:{self.port}/ws/games/{self.seat.game_id}/player/"
        headers = {"X-Seat-Token": self.seat.seat_token}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        socket = await connect(url, origin=self.base, additional_headers=headers, open_timeout=30)
        try:
            first = json.loads(await asyncio.wait_for(socket.recv(), REPLY_TIMEOUT))
        except ConnectionClosed as closed:
            raise ConnectionError(f"the server closed the socket: {closed}") from None
        if first.get("type") != "snapshot":
            await socket.close()
            raise Refused(first)
        self.socket = socket
        self.connections += 1
        self.apply_snapshot(first)
        self.connected.set()
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        try:
            async for frame in self.socket:
                message = json.loads(frame)
                kind = message.get("type")
                waiter = self.waiting.pop(message.get("request_id"), None) if message.get("request_id") else None
                if kind == "check":  # show the server this socket reads (docs/protocol.md §2.7)
                    await self.socket.send(json.dumps({"type": "seen", "nonce": message["nonce"]}))
                    continue
                if kind == "snapshot":
                    self.apply_snapshot(message)
                elif kind == "update":
                    await self.apply_update(message)
                elif kind == "trade_result":
                    self.take_market(message["market"])
                    self.positions[message["market"]["id"]] = message["position"]
                elif kind == "error" and message.get("code") == "kicked":
                    self.refusal = Refused(message)
                if waiter is not None and not waiter.done():
                    waiter.set_result(message)
                async with self.changed:
                    self.changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            self.connected.clear()
            for waiter in self.waiting.values():
                if not waiter.done():
                    waiter.set_exception(ConnectionError("the socket closed"))
            self.waiting.clear()
            if not self.closing and self.refusal is None:
                self.reconnecting = asyncio.ensure_future(self.reconnect())

    async def reconnect(self) -> None:
        """Back off and reconnect (0.5 s, 1 s, 2 s … capped at 10 s, with jitter); a reconnect is a resync.
        A refusal (kicked, no such game) is final: requests then raise it."""
        for attempt in range(RECONNECT_ATTEMPTS):
            await asyncio.sleep(min(10.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.0))
            if self.closing:
                return
            try:
                await self.connect()
                return
            except Refused as refused:
                self.refusal = refused
                return
            except (OSError, TimeoutError, ConnectionError, InvalidHandshake):
                continue
        self.refusal = Refused({"code": "disconnected", "message": "could not reconnect to the server"})

    async def ready(self, timeout: float = REPLY_TIMEOUT) -> None:
        """Until the socket is up (after a reconnect); raises the refusal if it will not be."""
        if self.refusal is not None:
            raise self.refusal
        if not self.connected.is_set():
            try:
                await asyncio.wait_for(self.connected.wait(), timeout)
            except TimeoutError:
                raise self.refusal or ConnectionError("the socket is not connected") from None

    def apply_snapshot(self, snapshot: dict) -> None:
        self.resyncing = False
        for market in snapshot.get("markets", []):
            self.markets[market["id"]] = market
        for key, position in (snapshot.get("positions") or {}).items():
            self.positions[int(key)] = position

    def take_market(self, market: dict) -> None:
        """A trade's answer: the market's moving parts, merged into what the snapshot said of it."""
        known = self.markets.get(market["id"])
        if known is None or market["sequence"] >= known["sequence"]:
            self.markets[market["id"]] = {**(known or {}), **market}

    async def apply_update(self, update: dict) -> None:
        """The sequence rule: ignore what we have, resync on a gap, apply the rest."""
        known = self.markets.get(update["market_id"])
        have = known["sequence"] if known else 0
        if update["sequence"] <= have or self.resyncing:
            return
        if update["after"] > have:
            self.resyncing = True
            with contextlib.suppress(ConnectionClosed):
                await self.socket.send(json.dumps({"type": "snapshot", "request_id": f"resync-{next(self.ids)}"}))
            return
        # Once known, an update brings only the market's moving parts (docs/protocol.md §2.2).
        self.markets[update["market_id"]] = {**known, **update["market"]} if known else update["market"]

    async def request(self, body: dict) -> dict:
        """Send a request and wait for its answer; an `error` answer raises Refused, a dropped socket
        ConnectionError (resend after `ready()`: trades carry an idempotency key for that)."""
        await self.ready()
        request_id = f"b{next(self.ids)}"
        waiter = asyncio.get_running_loop().create_future()
        self.waiting[request_id] = waiter
        try:
            await self.socket.send(dumps({**body, "request_id": request_id}))
        except ConnectionClosed:
            self.waiting.pop(request_id, None)
            raise ConnectionError("the socket closed") from None
        answer = await asyncio.wait_for(waiter, REPLY_TIMEOUT)
        if answer.get("type") == "error":
            raise Refused(answer)
        return answer

    async def refresh(self) -> None:
        await self.request({"type": "snapshot"})

    async def caught_up(self, market_id: int, sequence: int, timeout: float) -> bool:
        """Wait until the updates bring this market to `sequence` (a refusal said it is there now): the
        cheap way to look again, where a snapshot would wait on the server's one a second per socket."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.markets.get(market_id, {}).get("sequence", -1) < sequence:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return False
            await self.wait_for_change(left)
        return True

    async def wait_for_change(self, timeout: float) -> None:
        async with self.changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout)

    # -- trading ------------------------------------------------------------------------------
    async def quote(self, market_id: int, order: Order) -> dict:
        return (await self.request({"type": "quote", "market_id": market_id, "order": order_body(order)}))["quote"]

    async def trade(
        self,
        market_id: int,
        order: Order,
        *,
        quoted_sequence: int | None = None,
        max_cost: float | None = None,
        idempotency_key: str | None = None,
        via: str = "socket",
    ) -> dict:
        """Place an order (a retry with the same key returns the first result); Refused says why not."""
        guard = {"idempotency_key": idempotency_key or uuid.uuid4().hex}
        if quoted_sequence is not None:
            guard["quoted_sequence"] = quoted_sequence
        if max_cost is not None:
            guard["max_cost"] = max_cost
        if via == "api":
            result = await self.api(
                "POST",
                f"/api/markets/{market_id}/trades",
                {**order_body(order), **guard},
                {"X-Seat-Token": self.seat.seat_token},
            )
            self.take_market(result["market"])
            self.positions[market_id] = result["position"]
            return result
        return await self.request({"type": "trade", "market_id": market_id, "order": order_body(order), **guard})

    async def close(self) -> None:
        self.closing = True
        await self.web.aclose()
        if self.reconnecting is not None:
            self.reconnecting.cancel()
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)
