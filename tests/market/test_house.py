"""The house never loses more than its subsidy b·[ln(σ₀/σ_min) + D²/(2σ₀²)] (docs/maths.md § Bounded loss)."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame.market import Curve, GaussianMarket, Order, Range, Refused, Wealth, settle

from .strategies import markets, means


@st.composite
def attacks(draw: st.DrawFn, market: GaussianMarket) -> list[tuple[int, Curve]]:
    """Trades by several traders to any curve with σ ≥ σ_min, the mean even outside the range."""
    traders = draw(st.integers(1, 8))
    sd = st.floats(1.0, 200.0).map(lambda k: market.sd_min_z * k)
    curve = st.builds(Curve, st.floats(-3, 3), sd) | st.sampled_from(
        [Curve(-1.0, market.sd_min_z), Curve(1.0, market.sd_min_z)]
    )
    return draw(st.lists(st.tuples(st.integers(0, traders - 1), curve), min_size=1, max_size=30))


@settings(max_examples=200)
@given(st.data())
def test_the_house_never_loses_more_than_its_subsidy(data: st.DataObject) -> None:
    market = data.draw(markets(liquidity=st.sampled_from([1.0, 30.0, 1000.0])))
    positions: dict[int, Wealth] = {}
    for trader, target in data.draw(attacks(market)):
        move = market.move(target)
        positions[trader] = positions.get(trader, Wealth()) + move.pnl
        market = market.trade(move)
    outcome = data.draw(means(market.range) | st.sampled_from([market.range.lo - 1, market.range.hi + 10**6]))
    z = market.settle_z(outcome)
    paid = sum(position.at(z) for position in positions.values())  # what the traders won from the house
    scale = sum(abs(p.const) + abs(p.linear) + abs(p.quadratic) for p in positions.values()) + market.subsidy()
    assert paid <= market.subsidy() + 1e-11 * scale
    assert abs(market.house_result(outcome) - paid) <= 1e-11 * scale


def test_the_subsidy_is_reached_by_the_narrowest_curve_at_the_farthest_end() -> None:
    """Prior N(100, 100²) on [0, 300], σ_min = 1.5: D = 200, so the bound is b·[ln(100/1.5) + 2]."""
    market = GaussianMarket.create(Range(Decimal(0), Decimal(300)), 30, 100, 100)
    bound = 30 * (math.log(100 / 1.5) + 200**2 / (2 * 100**2))
    assert math.isclose(market.subsidy(), bound, rel_tol=1e-12)
    move = market.move(market.curve_from_x(300, Decimal("1.5")))
    assert math.isclose(move.pnl.at(market.settle_z(300)), bound, rel_tol=1e-12)
    assert math.isclose(market.trade(move).house_result(300), bound, rel_tol=1e-12)


def test_outcomes_outside_the_range_resolve_at_its_ends() -> None:
    market = GaussianMarket.create(Range(Decimal(0), Decimal(300)), 30, 100, 100)
    assert market.settle_z(-50) == -1.0
    assert market.settle_z(Decimal("1e12")) == 1.0


@pytest.mark.parametrize("width", [Decimal(300), Decimal(10_000), Decimal("2e9"), Decimal("1e-3")])
def test_the_books_balance_to_a_millionth_at_the_smallest_sd_min_allowed(width: Decimal) -> None:
    """σ_min = range/10⁴ is where the wealth quadratics are largest: payouts still sum to the house's result."""
    rng = random.Random(int(width * 1000) % 997)
    lo = Decimal("1e9") - width / 2 if width > 1 else Decimal(0)
    market_range = Range(lo, lo + width)
    sd_min = width / 10_000
    market = GaussianMarket.create(market_range, 100.0, market_range.centre, width / 4, sd_min)
    wealth: dict[int, Wealth] = {}
    for _ in range(60):
        trader = rng.randrange(5)
        mean = market_range.lo + width * Decimal(rng.random())
        sd = sd_min * Decimal(1 + rng.random() * rng.choice([0, 1, 10, 1000]))
        try:
            result = settle(market, wealth.get(trader, Wealth(1000.0)), Order("toward", mean, sd))
        except Refused:
            continue
        market, wealth[trader] = market.trade(result.move), result.wealth_after
    for _ in range(20):
        outcome = market_range.lo + width * Decimal(rng.random())
        z = market.settle_z(outcome)
        won = sum(w.at(z) - 1000.0 for w in wealth.values())
        assert abs(won - market.house_result(outcome)) <= 1e-6
