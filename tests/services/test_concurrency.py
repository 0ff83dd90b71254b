"""Invariants under concurrency: real threads, each on its own database connection.

SQLite serialises the trades with IMMEDIATE transactions; PostgreSQL with the market row lock
(`select_for_update`). The same tests run on both (see test_on_postgres.py).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction

from mmgame import services
from mmgame.market import GaussianMarket, InsufficientCollateral, Order, Refused, Wealth, fill
from mmgame.models import Market, Player, Position, Trade
from mmgame.services.locks import lock_market

from .ledger import CLOSE, shares, target, toward

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TRADERS, ROUNDS = 8, 50
REFUSALS = {"insufficient_collateral", "invalid_curve", "stale_quote", "max_cost_exceeded", "no_move", "unfair_curve"}


def in_threads(work, count: int, timeout: float = 120) -> list:
    """Run work(i) in `count` threads started together; each closes its own connection at the end."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as error:  # a failure in a thread must fail the test
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish in time"
    if failures:
        raise failures[0]
    return results


@dataclass
class Settled:
    order: Order
    trade_id: int


@dataclass
class TraderLog:
    settled: list[Settled] = field(default_factory=list)
    replays: int = 0
    refused: Counter = field(default_factory=Counter)


def next_order(rng: random.Random) -> tuple[Order, dict]:
    """A mix of every kind of order, some of which the market must refuse."""
    roll = rng.random()
    if roll < 0.35:
        return target(rng.uniform(60, 220), rng.uniform(25, 120)), {}
    if roll < 0.55:
        return toward(rng.uniform(0, 300), rng.uniform(5, 60)), {}
    if roll < 0.70:
        return shares(rng.uniform(-0.05, 0.05), rng.uniform(-2e-4, 1e-4)), {}
    if roll < 0.80:
        return CLOSE, {}
    if roll < 0.88:
        return target(rng.uniform(60, 220), rng.uniform(25, 120)), {"quoted_sequence": 0}  # always stale
    return target(rng.uniform(60, 220), rng.uniform(25, 120)), {"max_cost": -1e6}  # always over the limit


def trade_for(player_id: int, market_id: int, seed: int) -> TraderLog:
    player = Player.objects.get(pk=player_id)
    rng = random.Random(seed)
    log = TraderLog()
    first: dict[str, int] = {}  # key → the trade it settled
    for i in range(ROUNDS):
        double_click = log.settled and rng.random() < 0.05  # an earlier key again
        key = f"{player_id}-{rng.randrange(i) if double_click else i}"
        order, guards = next_order(rng)
        try:
            result = services.place_trade(player, market_id, order, idempotency_key=key, **guards)
        except Refused as refused:
            assert refused.code in REFUSALS, refused.as_dict()
            log.refused[refused.code] += 1
            continue
        if result.replayed:
            assert result.trade.pk == first[key], "a replay must return the first result"
            log.replays += 1
        else:
            assert key not in first, "a settled key must not fill twice"
            first[key] = result.trade.pk
            log.settled.append(Settled(order, result.trade.pk))
    return log


@pytest.fixture
def crowd(host, game, open_market):
    """Eight traders, fifty orders each, all at once on one market; returns their logs."""
    players = [services.join_game(game.join_code, f"Trader {i}") for i in range(TRADERS)]
    logs = in_threads(lambda i: trade_for(players[i].pk, open_market.pk, seed=1000 + i), TRADERS)
    return players, logs


def replay(market: Market, logs: list[TraderLog]):
    """Every settled trade through the pure engine in sequence order, from the prior."""
    orders = {s.trade_id: s.order for log in logs for s in log.settled}
    engine = GaussianMarket.create(market.range, market.liquidity, market.prior_mean, market.prior_sd, market.sd_min)
    wealth: dict[int, Wealth] = {}
    for trade in Trade.objects.filter(market=market).order_by("sequence"):
        before = wealth.get(trade.player_id, Wealth(market.budget))
        quote = fill(engine, before, orders[trade.pk])
        yield trade, quote
        wealth[trade.player_id] = quote.wealth_after
        engine = engine.trade(quote.move)


def test_the_crowd_traded_and_was_refused(crowd):
    _, logs = crowd

    settled = sum(len(log.settled) for log in logs)
    refused = sum((log.refused for log in logs), Counter())
    assert settled > TRADERS * ROUNDS / 3
    assert refused["stale_quote"] > 0 and refused["max_cost_exceeded"] > 0
    assert sum(log.replays for log in logs) > 0


def test_concurrent_trades_take_sequence_numbers_without_gaps(crowd, open_market):
    _, logs = crowd

    sequences = list(Trade.objects.filter(market=open_market).order_by("sequence").values_list("sequence", flat=True))
    settled = sum(len(log.settled) for log in logs)
    assert sequences == list(range(2, settled + 2))  # 1 was the opening
    assert Market.objects.get(pk=open_market.pk).sequence == settled + 1


def test_concurrent_trades_replay_exactly_through_the_pure_engine(crowd, open_market):
    _, logs = crowd
    market = Market.objects.get(pk=open_market.pk)

    for trade, quote in replay(market, logs):
        assert (trade.mean_z_after, trade.sd_z_after) == (quote.move.after.mean, quote.move.after.sd)
        assert (trade.cost, trade.fraction) == (quote.move.cost, quote.move.fraction)
        assert (trade.shares_linear, trade.shares_quadratic) == quote.move.shares
    assert (market.mean_z, market.sd_z) == (trade.mean_z_after, trade.sd_z_after)


def test_concurrent_trades_leave_each_position_as_the_sum_of_its_trades(crowd, open_market):
    _, logs = crowd
    market = Market.objects.get(pk=open_market.pk)

    final: dict[int, Wealth] = {}
    count: Counter = Counter()
    for trade, quote in replay(market, logs):
        final[trade.player_id] = quote.wealth_after
        count[trade.player_id] += 1
    positions = {p.player_id: p for p in Position.objects.filter(market=market)}
    assert {pid: p.wealth for pid, p in positions.items()} == final
    assert {pid: p.trades for pid, p in positions.items()} == dict(count)


def test_no_position_ever_goes_below_zero_on_the_range(crowd, open_market):
    _, logs = crowd
    market = Market.objects.get(pk=open_market.pk)

    for _, quote in replay(market, logs):
        assert quote.worst_case >= 0
    for position in Position.objects.filter(market=market):
        assert position.wealth.worst()[0] >= 0


@pytest.mark.parametrize("outcome", [-5, 137.5, 1e6])
def test_after_concurrent_trades_the_books_balance_at_resolution(crowd, host, open_market, outcome):
    services.close_market(host, open_market.pk)

    market = services.resolve_market(host, open_market.pk, outcome)

    positions = list(Position.objects.filter(market=market))
    assert all(p.payout >= 0 for p in positions)
    assert sum(p.payout for p in positions) + market.house_result == pytest.approx(
        sum(p.budget for p in positions), abs=1e-6
    )


# -- one market row lock at a time -----------------------------------------------------------------


def test_a_trade_waits_while_another_transaction_holds_the_market(open_market, alice):
    holding, trading, release = threading.Event(), threading.Event(), threading.Event()
    finished: list[float] = []

    def hold_the_market() -> None:
        with transaction.atomic():
            lock_market(open_market.pk)
            holding.set()
            assert release.wait(30)

    def trade() -> None:
        assert holding.wait(30)
        trading.set()
        services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="waits")
        finished.append(time.monotonic())

    threads = run_in_background([hold_the_market, trade])
    assert trading.wait(30)
    time.sleep(0.5)
    assert not finished, "the trade did not wait for the lock"
    released_at = time.monotonic()
    release.set()
    join(threads)

    assert finished and finished[0] >= released_at
    assert Trade.objects.get().sequence == 2


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_the_trade_waits_on_the_market_row_lock(open_market, alice):
    holding, release = threading.Event(), threading.Event()

    def hold_the_market() -> None:
        with transaction.atomic():
            lock_market(open_market.pk)
            holding.set()
            assert release.wait(30)

    def trade() -> None:
        assert holding.wait(30)
        services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="waits")

    threads = run_in_background([hold_the_market, trade])
    try:
        waits = []
        for _ in range(50):  # up to 5 s for the trade's query to reach the lock
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
                )
                waits = cursor.fetchall()
            if waits:
                break
            time.sleep(0.1)
    finally:
        release.set()
        join(threads)

    assert len(waits) == 1
    assert "FOR UPDATE" in waits[0][1] and "mmgame_market" in waits[0][1]


def run_in_background(works) -> list[tuple[threading.Thread, list]]:
    started = []
    for work in works:
        failures: list[BaseException] = []

        def run(work=work, failures=failures) -> None:
            try:
                work()
            except BaseException as error:
                failures.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        started.append((thread, failures))
    return started


def join(started) -> None:
    for thread, _ in started:
        thread.join(60)
    assert not any(thread.is_alive() for thread, _ in started)
    for _, failures in started:
        if failures:
            raise failures[0]


# -- races on one key, one nickname, one resolution ---------------------------------------------------


def test_the_same_key_sent_at_once_settles_one_trade(open_market, alice):
    results = in_threads(
        lambda i: services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="double-click"), 8
    )

    assert Trade.objects.count() == 1
    assert sorted(r.replayed for r in results) == [False] + [True] * 7
    assert {r.trade.pk for r in results} == {Trade.objects.get().pk}


def test_the_same_nickname_sent_at_once_takes_one_seat(game):
    def join(i: int):
        try:
            return services.join_game(game.join_code, "Twin" if i % 2 else "TWIN")
        except services.NicknameTaken:
            return None

    results = in_threads(join, 8)

    assert sum(r is not None for r in results) == 1
    assert Player.objects.filter(game=game).count() == 1


def test_resolutions_sent_at_once_pay_each_position_once(host, open_market, alice, bob, buy):
    buy(alice, target(120, 30))
    buy(bob, target(150, 40))
    services.close_market(host, open_market.pk)

    results = in_threads(lambda i: services.resolve_market(host, open_market.pk, 130), 4)

    market = Market.objects.get(pk=open_market.pk)
    assert market.sequence == 5  # open, two trades, close, one resolution
    assert {r.house_result for r in results} == {market.house_result}
    payouts = sum(p.payout for p in Position.objects.filter(market=market))
    assert payouts + market.house_result == pytest.approx(2 * 1000.0, abs=1e-6)


def test_pauses_during_trading_take_their_own_sequence_numbers(host, game, open_market):
    players = [services.join_game(game.join_code, f"Trader {i}") for i in range(4)]

    def work(i: int):
        if i == len(players):  # the host pauses and reopens the market while the others trade
            events = []
            for _ in range(6):
                events.append(services.pause_market(host, open_market.pk).sequence)
                time.sleep(0.01)
                events.append(services.open_market(host, open_market.pk).sequence)
            return events
        rng, sequences = random.Random(i), []
        player = Player.objects.get(pk=players[i].pk)
        for n in range(30):
            try:
                order = target(rng.uniform(80, 160), rng.uniform(40, 100))
                result = services.place_trade(player, open_market.pk, order, idempotency_key=f"{i}-{n}")
                sequences.append(result.trade.sequence)
            except (services.MarketNotOpen, InsufficientCollateral):
                continue  # refused while paused, or beyond the trader's budget
        return sequences

    results = in_threads(work, len(players) + 1)

    host_events = results[-1]
    trade_sequences = [s for r in results[:-1] for s in r]
    final = Market.objects.get(pk=open_market.pk).sequence
    assert sorted(host_events + trade_sequences) == list(range(2, final + 1))
    assert Trade.objects.count() == len(trade_sequences)


def test_markets_added_at_once_take_distinct_numbers(host, game):
    markets = in_threads(lambda i: services.add_market(host, game, question=f"Question {i}?", lo=0, hi=10), 4)

    assert sorted(m.number for m in markets) == [1, 2, 3, 4]
