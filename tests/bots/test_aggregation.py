"""Informed bots trading in turns through the real trading service reach docs/maths.md § Aggregation's consensus θ*."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.bots import Informed, market_from_state, wealth_from_position
from mmgame.market import Curve, Range
from mmgame.models import Market, Position
from mmgame.queries.shapes import market_state, position_state

pytestmark = pytest.mark.django_db

# (mean, sd, risk aversion a per point): beliefs on both sides of the prior, tolerances 1/a from 5 to 50.
BELIEFS = [(120.0, 30.0, 0.05), (150.0, 40.0, 0.1), (90.0, 25.0, 0.02), (130.0, 20.0, 0.2)]


def theta(rng: Range, mean: float, sd: float) -> tuple[float, float]:
    return Curve(rng.to_z(mean), rng.sd_to_z(sd)).natural


def weighted_consensus(rng: Range, b: float, prior: tuple[float, float], beliefs: list) -> tuple[float, float]:
    """θ* = (b·θ₀ + Σθᵢ/aᵢ)/(b + Σ1/aᵢ), written out here rather than taken from the engine."""
    t0 = theta(rng, *prior)
    num_1, num_2, den = b * t0[0], b * t0[1], b
    for mean, sd, a in beliefs:
        t1, t2 = theta(rng, mean, sd)
        num_1, num_2, den = num_1 + t1 / a, num_2 + t2 / a, den + 1 / a
    return num_1 / den, num_2 / den


def trade_in_turns(market: Market, seats: list, bots: list[Informed], rounds: int = 200) -> int:
    """Each bot in turn decides on the market as a screen sees it and trades, guarded by that sequence;
    stops after a full round in which nobody wanted to trade. Returns the number of trades."""
    trades = 0
    for _ in range(rounds):
        traded = False
        for player, bot in zip(seats, bots, strict=True):
            market.refresh_from_db()
            state = market_state(market)
            position = position_state(market, Position.objects.filter(market=market, player=player).first(), player)
            order = bot.decide(market_from_state(state), wealth_from_position(position, state["budget"]))
            if order is None:
                continue
            services.place_trade(
                player, market.pk, order, idempotency_key=f"{player.pk}-{trades}", quoted_sequence=state["sequence"]
            )
            trades += 1
            traded = True
        if not traded:
            return trades
    raise AssertionError("the bots did not settle in time")


@pytest.mark.parametrize(("liquidity", "budget"), [(30.0, 1000.0), (5.0, 1000.0), (100.0, 10_000.0)])
def test_informed_bots_in_turns_converge_to_the_risk_weighted_consensus(host, game, liquidity, budget):
    market = services.add_market(
        host,
        game,
        question="How many beans?",
        lo=0,
        hi=300,
        prior_mean=100,
        prior_sd=100,
        sd_min=1,
        liquidity=liquidity,
        budget=budget,
    )
    services.open_market(host, market.pk)
    engine = market.engine
    seats = [services.join_game(game.join_code, f"bot-{i}") for i in range(len(BELIEFS))]
    bots = [Informed.believing(engine, mean, sd, a) for mean, sd, a in BELIEFS]

    trades = trade_in_turns(market, seats, bots)

    market.refresh_from_db()
    reached = Curve(market.mean_z, market.sd_z).natural
    expected = weighted_consensus(engine.range, liquidity, (100.0, 100.0), BELIEFS)
    assert trades > len(BELIEFS)
    assert abs(reached[0] - expected[0]) <= 1e-6
    assert abs(reached[1] - expected[1]) <= 1e-6
    # Every best response was affordable (the budgets were chosen so): no trade was cut short.
    assert all(t.fraction == 1.0 for t in market.trades.all())


def test_at_the_consensus_no_informed_bot_wants_to_trade(host, game):
    market = services.add_market(host, game, question="Beans?", lo=0, hi=300, prior_mean=100, prior_sd=100)
    services.open_market(host, market.pk)
    seats = [services.join_game(game.join_code, f"bot-{i}") for i in range(len(BELIEFS))]
    bots = [Informed.believing(market.engine, mean, sd, a) for mean, sd, a in BELIEFS]
    trade_in_turns(market, seats, bots)
    market.refresh_from_db()
    sequence = market.sequence

    assert trade_in_turns(market, seats, bots) == 0
    market.refresh_from_db()
    assert market.sequence == sequence
