"""Running K bot traders against a game on a running server, each a real client (mmgame.bots.client).

Every bot joins with its own nickname, watches the market on its socket, and in its turn (or at its pace)
asks its strategy for an order, quotes it, and trades it guarded by the sequence it decided on and the
quoted cost. A `stale_quote` means the market moved in between: it looks again and decides afresh.
Bots stop by themselves: at the deadline, after `max_trades`, or when every informed bot is content
(its best response is the market as it stands).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field

from mmgame.market import GaussianMarket, Order

from .client import GameClient, Refused
from .strategies import Informed, Noise, market_from_state, wealth_from_position

MAX_BOTS = 500
MAX_DURATION = 3600.0
COST_SLACK = 1e-9  # relative slack on max_cost: the quote and the trade price the same move


@dataclass
class Plan:
    """What to run. `beliefs` (mean, sd, risk aversion) fixes each informed bot's belief, for tests."""

    count: int = 5
    strategy: str = "informed"
    truth: float | None = None
    spread: float | None = None
    risk_aversion: float | None = None
    rate: float = 1.0
    duration: float = 60.0
    market_id: int | None = None
    via: str = "socket"
    turns: bool = False
    max_trades: int | None = None
    seed: int | None = None
    nickname: str = "bot"
    beliefs: list[tuple[float, float, float]] | None = None

    def check(self) -> None:
        if not 1 <= self.count <= MAX_BOTS:
            raise ValueError(f"count must be 1 to {MAX_BOTS}")
        if not 0 < self.duration <= MAX_DURATION:
            raise ValueError(f"duration must be more than 0 and at most {MAX_DURATION:g} s")
        if self.rate <= 0:
            raise ValueError("rate must be positive")
        if self.strategy not in ("informed", "noise"):
            raise ValueError("strategy is informed or noise")
        if self.via not in ("socket", "api"):
            raise ValueError("via is socket or api")
        if self.strategy == "informed" and self.truth is None and not self.beliefs:
            raise ValueError("informed bots need --truth (the value their signals are drawn around)")
        if self.beliefs is not None and len(self.beliefs) != self.count:
            raise ValueError("give one belief per bot")


@dataclass
class BotStats:
    nickname: str
    trades: int = 0
    stale_quotes: int = 0
    reconnects: int = 0
    refused: dict = field(default_factory=dict)
    content_at: int | None = None  # the market sequence at which the bot last had nothing to do
    belief: tuple[float, float] | None = None
    risk_aversion: float | None = None


class Turns:
    """Round-robin: bot i trades only when it is its turn; a round in which nobody trades ends the run."""

    def __init__(self, count: int) -> None:
        self.count, self.current, self.idle_in_a_row = count, 0, 0
        self.turn = asyncio.Condition()
        self.over = False

    async def wait(self, index: int, deadline: float) -> bool:
        async with self.turn:
            await asyncio.wait_for(
                self.turn.wait_for(lambda: self.over or self.current == index), max(0.0, deadline - time.time())
            )
            return not self.over

    async def leave(self, index: int) -> None:
        """A bot that stops for good ends the round-robin: the others would wait for its turn."""
        async with self.turn:
            self.over = True
            self.turn.notify_all()

    async def done(self, traded: bool) -> None:
        async with self.turn:
            self.idle_in_a_row = 0 if traded else self.idle_in_a_row + 1
            self.over = self.over or self.idle_in_a_row >= self.count
            self.current = (self.current + 1) % self.count
            self.turn.notify_all()


class Crowd:
    """The bots of one run: their strategies, their clients and the run's end conditions."""

    def __init__(self, url: str, join_code: str, plan: Plan) -> None:
        plan.check()
        self.url, self.join_code, self.plan = url, join_code, plan
        self.rng = random.Random(plan.seed)
        self.deadline = time.time() + plan.duration
        self.turns = Turns(plan.count) if plan.turns else None
        self.stats: list[BotStats] = []
        self.stopped = asyncio.Event()
        self.market_id: int | None = plan.market_id

    async def run(self) -> dict:
        clients = [GameClient(self.url) for _ in range(self.plan.count)]
        try:
            for i, client in enumerate(clients):
                await self.seat(client, i)
            # The time runs from here: joining a busy server can take seconds that are not the bots' to trade.
            self.deadline = time.time() + self.plan.duration
            self.market_id = self.market_id or await self.open_market(clients[0])
            if self.market_id not in clients[0].markets:
                raise Refused({"code": "not_found", "message": f"no market {self.market_id} is open to players"})
            tasks = [asyncio.create_task(self.trade(client, i)) for i, client in enumerate(clients)]
            await asyncio.wait_for(asyncio.gather(*tasks), max(1.0, self.deadline - time.time() + 30))
        finally:
            for client in clients:
                await client.close()
        return self.report(clients[0])

    async def seat(self, client: GameClient, index: int) -> None:
        name = f"{self.plan.nickname}-{index + 1}"
        try:
            await client.join(self.join_code, name)
        except Refused as refused:
            if refused.code != "nickname_taken":
                raise
            await client.join(self.join_code, f"{name}-{uuid.uuid4().hex[:4]}")
        await client.connect()
        self.stats.append(BotStats(client.seat.nickname))

    async def open_market(self, client: GameClient) -> int:
        """The first open market of the game, waiting for the host to open one until the deadline."""
        while time.time() < self.deadline:
            for market in sorted(client.markets.values(), key=lambda m: m["number"]):
                if market["status"] == "open":
                    return market["id"]
            await client.wait_for_change(min(1.0, self.deadline - time.time()))
        raise TimeoutError("no market of that game opened before the deadline")

    def strategy(self, market: GaussianMarket, index: int, stats: BotStats) -> Informed | Noise:
        plan = self.plan
        if plan.strategy == "noise":
            return Noise(random.Random(self.rng.random()))
        risk_aversion = plan.risk_aversion if plan.risk_aversion is not None else 1 / market.liquidity
        if plan.beliefs:
            mean, sd, risk_aversion = plan.beliefs[index]
            bot = Informed.believing(market, mean, sd, risk_aversion)
        else:
            # A tenth of the range: in x, or on a log market in ln x (`--spread` is then a σ of ln x).
            spread = plan.spread if plan.spread is not None else float(market.range.width) / 10
            bot = Informed.drawn(market, random.Random(self.rng.random()), plan.truth, spread, risk_aversion)
        stats.belief, stats.risk_aversion = market.curve_to_x(bot.belief), risk_aversion
        return bot

    async def trade(self, client: GameClient, index: int) -> None:
        """This bot's life: trade until the run ends; a seat the server refuses for good just stops."""
        try:
            await self.keep_trading(client, index)
        except Refused as refused:
            self.count(self.stats[index], refused.code)
            self.stats[index].content_at = None
        finally:
            if self.turns is not None:
                await self.turns.leave(index)

    async def keep_trading(self, client: GameClient, index: int) -> None:
        plan, stats, mid = self.plan, self.stats[index], self.market_id
        strategy = self.strategy(market_from_state(client.markets[mid]), index, stats)
        interval = 1 / plan.rate
        due = time.time() + (0 if plan.turns else self.rng.uniform(0, interval))
        while time.time() < self.deadline and not self.stopped.is_set():
            if plan.max_trades is not None and stats.trades >= plan.max_trades:
                return
            if self.turns is not None:
                try:
                    if not await self.turns.wait(index, self.deadline):
                        return
                except TimeoutError:
                    return
                traded = await self.one_trade(client, strategy, stats, mid)
                await self.turns.done(traded)
                continue
            await asyncio.sleep(max(0.0, due - time.time()))
            if time.time() >= self.deadline:
                return
            await self.one_trade(client, strategy, stats, mid)
            if self.everyone_content(client, mid):
                self.stopped.set()
            due = max(due + interval, time.time())

    async def one_trade(self, client: GameClient, strategy: Informed | Noise, stats: BotStats, mid: int) -> bool:
        """Decide on the market as this bot sees it and trade, deciding afresh after each stale quote."""
        fresh = False
        for _ in range(20):
            state = client.markets[mid]
            if state["status"] != "open":
                await client.wait_for_change(1.0)
                return False
            market = market_from_state(state)
            order = strategy.decide(market, wealth_from_position(client.positions.get(mid), state["budget"]))
            if order is None:
                if not fresh:  # content with what this screen shows; make sure it shows the latest
                    fresh = True
                    await client.refresh()
                    continue
                stats.content_at = state["sequence"]
                return False
            stats.content_at = None
            try:
                quote = await client.quote(mid, order)
                if quote["sequence"] != state["sequence"]:
                    raise Refused({"code": "stale_quote", "sequence": quote["sequence"]})
                if quote["fraction"] <= 0:
                    self.count(stats, "insufficient_collateral")
                    return False
                await self.place(client, stats, mid, order, state["sequence"], quote["cost"])
            except (ConnectionError, TimeoutError):
                stats.reconnects += 1
                await client.ready()  # raises if the server refuses us for good
                continue
            except Refused as refused:
                if refused.code == "stale_quote":
                    stats.stale_quotes += 1
                    sequence = refused.body.get("sequence")
                    if not (isinstance(sequence, int) and await client.caught_up(mid, sequence, 2.0)):
                        await client.refresh()
                    fresh = True
                    continue
                self.count(stats, refused.code)
                if refused.code == "market_not_open":
                    await client.refresh()
                return False
            stats.trades += 1
            return True
        return False

    async def place(
        self, client: GameClient, stats: BotStats, mid: int, order: Order, sequence: int, cost: float
    ) -> dict:
        """Trade guarded by the sequence decided on and the quoted cost. If the socket drops on the way,
        send the same trade again, with the same idempotency key, once it is back: a replay returns the
        first result, so the trade happens at most once."""
        key = uuid.uuid4().hex
        for attempt in range(3):
            try:
                return await client.trade(
                    mid,
                    order,
                    quoted_sequence=sequence,
                    max_cost=cost + COST_SLACK * (1 + abs(cost)),
                    idempotency_key=key,
                    via=self.plan.via,
                )
            except (ConnectionError, TimeoutError):
                if attempt == 2:
                    raise
                stats.reconnects += 1
                await client.ready()
        raise AssertionError("unreachable")

    def everyone_content(self, client: GameClient, mid: int) -> bool:
        """Informed bots all content at the sequence the market is at: nobody will trade again."""
        if self.plan.strategy != "informed":
            return False
        sequence = client.markets[mid]["sequence"]
        return all(s.content_at == sequence for s in self.stats)

    @staticmethod
    def count(stats: BotStats, code: str) -> None:
        stats.refused[code] = stats.refused.get(code, 0) + 1

    def report(self, client: GameClient) -> dict:
        market = client.markets.get(self.market_id) if self.market_id else None
        return {
            "market_id": self.market_id,
            "market": None if market is None else {k: market[k] for k in ("sequence", "status", "mean", "sd")},
            "trades": sum(s.trades for s in self.stats),
            "stale_quotes": sum(s.stale_quotes for s in self.stats),
            "content": bool(self.stats) and all(s.content_at is not None for s in self.stats),
            "bots": [
                {
                    "nickname": s.nickname,
                    "trades": s.trades,
                    "stale_quotes": s.stale_quotes,
                    "reconnects": s.reconnects,
                    "refused": s.refused,
                    "belief": s.belief,
                    "risk_aversion": s.risk_aversion,
                }
                for s in self.stats
            ],
        }


async def run_bots(url: str, join_code: str, plan: Plan) -> dict:
    """Run the plan to its end and report what the bots did and where they left the market."""
    return await Crowd(url, join_code, plan).run()
