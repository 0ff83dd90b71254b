"""The load generator: N screens and K traders, as plain websocket clients, in a process of its own.

Driven by the bench (benchmarks/run.py) through JSON lines: it reads its configuration, connects,
says `ready`; on `go` its traders trade at the set rate for the set time and it says `traded`; on
`settle` it waits until every screen shows the final sequence (or a timeout) and reports what each
screen saw. Every screen follows the sequence rule of docs/protocol.md §2.1.

    python -m benchmarks.load     (configuration and commands on stdin, events on stdout)
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import math
import random
import resource
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from mmgame.bots.strategies import Noise, market_from_state, wealth_from_position

from .proxy import client_context
from .wire import ScreenProtocol, open_screen

TALLY: dict[str, list[int]] = {}  # frame type -> [frames, characters], over every socket of this process
ERRORS: dict[str, int] = {}  # the load's own failures ("TypeError: ..." -> count): reported, never only logged
CONNECT_CONCURRENCY = 20
CONNECT_ATTEMPTS = 6
SNAPSHOT_TIMEOUT = 60.0


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def emit(event: str, **body: object) -> None:
    """One event to the bench; each carries the load's own errors so far, so that a harness fault is read
    beside the figures it spoils (a screen that crashed would otherwise be counted as lost)."""
    sys.stdout.write(json.dumps({"event": event, **body, "load_errors": dict(ERRORS)}) + "\n")
    sys.stdout.flush()


def record_error(error: BaseException) -> None:
    key = f"{type(error).__name__}: {error}"[:200]
    if key not in ERRORS:
        traceback.print_exception(error, file=sys.stderr)
    ERRORS[key] = ERRORS.get(key, 0) + 1


def record_loop_error(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """asyncio's handler for what no coroutine catches (a protocol's callback, a forgotten task)."""
    error = context.get("exception")
    record_error(error if error is not None else RuntimeError(context.get("message", "asyncio error")))


tls_trusting = functools.cache(client_context)  # one per certificate (the proxy's), shared by every socket


async def command() -> dict:
    line = await asyncio.to_thread(sys.stdin.readline)
    if not line:
        raise SystemExit("the bench went away")
    return json.loads(line)


@dataclass
class Socket:
    """One websocket and the market as it sees it: sequence, mean, sd, and when each sequence arrived."""

    spec: dict
    market_id: int
    connection: ScreenProtocol | None = None
    sequence: int = -1
    market: dict | None = None
    mean: float | None = None
    sd: float | None = None
    status: str | None = None
    seen: list = field(default_factory=list)  # (sequence, time) each time the sequence advanced
    frames: int = 0
    snapshots: int = 0
    gaps: int = 0
    errors: int = 0
    resync_pending: bool = False
    answers: dict = field(default_factory=dict)  # request_id -> Future (traders)
    snapshotted: asyncio.Event = field(default_factory=asyncio.Event)  # the first snapshot arrived

    async def open(self) -> None:
        headers = {}
        if self.spec.get("cookie"):
            headers["Cookie"] = self.spec["cookie"]
        if self.spec.get("origin"):
            headers["Origin"] = self.spec["origin"]
        tls = tls_trusting(self.spec["cafile"]) if self.spec.get("cafile") else None
        await open_screen(self.spec["url"], self.receive, headers, on_connection=self.attach, tls=tls)

    def attach(self, connection: ScreenProtocol) -> None:
        # Before the handshake's answer is read: the server's first frames may come in the same packet.
        self.connection = connection

    def send(self, body: dict) -> None:
        self.connection.send(json.dumps(body))

    def take(self, market: dict, now: float) -> None:
        # An update brings only the moving parts of a market this screen already holds (docs/protocol.md §2.2).
        self.sequence, self.market = market["sequence"], {**self.market, **market} if self.market else market
        self.mean, self.sd, self.status = market["mean"], market["sd"], market["status"]
        self.seen.append((self.sequence, now))

    def receive(self, frame: str) -> None:
        """A frame from the server; a fault in handling it is the load's own error, counted and reported,
        and the socket goes on reading."""
        try:
            self.apply(frame)
        except Exception as error:
            record_error(error)

    def apply(self, frame: str) -> None:
        """Apply a frame by the sequence rule; answer a trader's request by its request_id."""
        now = time.time()
        self.frames += 1
        head = frame[:40]
        if '"leaderboard"' in head or '"player"' in head:  # not the market's state: counted, not parsed
            kind, message = "leaderboard" if "leaderboard" in head else "player", None
        elif '"update"' in head and (feed := frame.find(',"trades":')) > 0:
            # An update's head (sequence, after, market) is all a screen's state needs; its feed, most of
            # the frame, is left unparsed so that a thousand screens cost the shared machine less.
            message, kind = json.loads(frame[:feed] + "}"), "update"
        else:
            message = json.loads(frame)
            kind = message.get("type")
        if kind == "check":  # a screen shows it reads (docs/protocol.md §2.7)
            self.send({"type": "seen", "nonce": message["nonce"]})
        tally = TALLY.setdefault(kind, [0, 0])
        tally[0] += 1
        tally[1] += len(frame)
        if message is None:
            return
        if kind == "update":
            if message.get("market_id") != self.market_id or message["sequence"] <= self.sequence:
                return
            if self.resync_pending:
                return
            if message["after"] > self.sequence:
                self.gaps += 1
                self.resync_pending = True
                self.send({"type": "snapshot", "request_id": "resync"})
                return
            self.take(message["market"], now)
        elif kind == "snapshot":
            self.snapshots += self.sequence >= 0  # not the one every socket gets on connect
            self.resync_pending = False
            self.snapshotted.set()
            for market in message.get("markets", []):
                if market["id"] == self.market_id and market["sequence"] >= self.sequence:
                    self.take(market, now)
        elif kind in ("trade_result", "error"):
            if kind == "trade_result" and message["market"]["sequence"] > self.sequence:
                self.take(message["market"], now)
            if kind == "error":
                self.errors += 1
            answer = self.answers.pop(message.get("request_id"), None)
            if answer is not None and not answer.done():
                answer.set_result((message, now))


@dataclass
class Trader:
    """Trades at a steady pace through its own socket, one request in flight at a time."""

    socket: Socket
    interval: float
    noise: Noise
    position: dict | None = None
    latencies: list = field(default_factory=list)
    commits: dict = field(default_factory=dict)  # sequence -> commit time (the trade's created_at)
    refused: dict = field(default_factory=dict)  # error code -> count
    timeouts: int = 0

    def order(self) -> dict | None:
        """A noise bot's next order (mmgame.bots) on the market as this socket last saw it."""
        state = self.socket.market
        if state is None:  # its socket never got a snapshot (a failed connect, reported under `failures`)
            return None
        decided = self.noise.decide(market_from_state(state), wealth_from_position(self.position, state["budget"]))
        if decided is None:
            return None
        body = {"kind": decided.kind}
        if decided.mean is not None:
            body.update(mean=float(decided.mean), sd=float(decided.sd))
        return body

    async def run(self, start: float, end: float) -> None:
        loop = asyncio.get_running_loop()
        counter = itertools.count()
        due = start + self.noise.rng.uniform(0, self.interval)
        while True:
            await asyncio.sleep(max(0.0, due - time.time()))
            if time.time() >= end:
                return
            order = self.order()
            if order is None:  # nothing this bot can afford now
                due = max(due + self.interval, time.time())
                continue
            request_id = f"t{next(counter)}"
            answer = loop.create_future()
            self.socket.answers[request_id] = answer
            request = {
                "type": "trade",
                "request_id": request_id,
                "market_id": self.socket.market_id,
                "order": order,
                "idempotency_key": uuid.uuid4().hex,
            }
            sent = time.time()
            self.socket.send(request)
            try:
                message, received = await asyncio.wait_for(answer, timeout=10)
            except TimeoutError:
                self.timeouts += 1
                self.socket.answers.pop(request_id, None)
                message, received = None, time.time()
            if message is not None:
                if message["type"] == "trade_result":
                    self.latencies.append(received - sent)
                    trade, self.position = message["trade"], message.get("position")
                    self.commits[trade["sequence"]] = datetime.fromisoformat(trade["created_at"]).timestamp()
                else:
                    self.refused[message.get("code")] = self.refused.get(message.get("code"), 0) + 1
            due = max(due + self.interval, time.time())


def first_seen(sockets: list[Socket], first: int, last: int) -> list[float | None]:
    """For each sequence s in [first, last]: when the last of these screens had reached s or later
    (None if one never did)."""
    worst = [-math.inf] * (last - first + 1)
    for s in sockets:
        reached = first - 1
        for sequence, at in s.seen:
            for wanted in range(max(reached + 1, first), min(sequence, last) + 1):
                if at > worst[wanted - first]:
                    worst[wanted - first] = at
            reached = max(reached, sequence)
        for wanted in range(max(reached + 1, first), last + 1):
            worst[wanted - first] = math.inf
    return [t if math.isfinite(t) else None for t in worst]


async def main() -> None:
    config = await command()
    asyncio.get_running_loop().set_exception_handler(record_loop_error)
    fd_limit = raise_fd_limit()
    market_id = config["market_id"]
    screens = [Socket(spec, market_id) for spec in config["screens"]]
    trader_sockets = [Socket(spec, market_id) for spec in config.get("traders", [])]
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def open_one(s: Socket) -> bool:
        """Connect like a browser does: on a failed handshake, retry with backoff (docs/protocol.md §1)."""
        for attempt in range(CONNECT_ATTEMPTS):
            async with gate:
                try:
                    await s.open()
                    # A screen is up once it shows the game (its snapshot), not at the handshake: trading
                    # starts when every screen is, so that the figures are of the game, not of joining it.
                    await asyncio.wait_for(s.snapshotted.wait(), SNAPSHOT_TIMEOUT)
                    s.spec.pop("failure", None)
                    return True
                except Exception as error:
                    s.spec["failure"] = repr(error)
                    if s.connection is not None:  # handshaken, but no snapshot came: try again afresh
                        s.connection.transport.close()
                        s.connection = None
            await asyncio.sleep(min(10.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.0))
        return False

    connecting = time.time()
    opened = await asyncio.gather(*(open_one(s) for s in screens + trader_sockets))
    emit(
        "ready",
        connected=sum(opened),
        failed=len(opened) - sum(opened),
        fd_limit=fd_limit,
        failures=sorted({s.spec["failure"] for s in screens + trader_sockets if "failure" in s.spec})[:3],
        connect_seconds=time.time() - connecting,
    )

    go = await command()
    rate, duration = config.get("rate", 0), go["duration"]
    rng = random.Random(config.get("seed", 1))
    traders = [
        Trader(s, len(trader_sockets) / rate if rate else duration, Noise(random.Random(rng.random())))
        for s in trader_sockets
    ]
    frames_before = sum(s.frames for s in screens + trader_sockets)
    TALLY.clear()
    start = time.time()
    await asyncio.gather(*(t.run(start, start + duration) for t in traders))
    traded_at = time.time()
    commits = {seq: t for trader in traders for seq, t in trader.commits.items()}
    emit(
        "traded",
        started=start,
        stopped=traded_at,
        settled=len(commits),
        max_sequence=max(commits, default=None),
        latencies=[x for t in traders for x in t.latencies],
        commits=commits,
        refused={code: sum(t.refused.get(code, 0) for t in traders) for t in traders for code in t.refused},
        timeouts=sum(t.timeouts for t in traders),
    )

    settle = await command()
    asked = time.time()
    final, deadline = settle["sequence"], asked + settle["timeout"]
    # A screen of another game (the bench's noisy class) only loads the server: it is not waited for.
    connected = [s for s in screens if s.connection is not None and not s.spec.get("other_game")]
    while time.time() < deadline and any(s.sequence < final for s in connected):
        await asyncio.sleep(0.02)
    settled_at = time.time()
    first = settle.get("first_sequence", final)
    emit(
        "settled",
        waited=settled_at - asked,
        frames=sum(s.frames for s in screens + trader_sockets) - frames_before,
        first_sequence=first,
        seen=first_seen(connected, first, final) if final is not None and final >= first else [],
        finals=[[s.sequence, s.mean, s.sd] for s in connected],
        snapshots=sum(s.snapshots for s in screens),
        gaps=sum(s.gaps for s in screens),
        errors=sum(s.errors for s in screens),
        frame_types=TALLY,
    )
    await command()  # close
    for s in screens + trader_sockets:
        if s.connection:
            s.connection.close()
    await asyncio.sleep(0.1)


if __name__ == "__main__":
    asyncio.run(main())
