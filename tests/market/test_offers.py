"""Offers: the nearest forecast a market takes, in short numbers, checked by the engine (mmgame.market.offers)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from mmgame.market import GaussianMarket, Order, Range, Wealth, fair, quote
from mmgame.market.offers import offer_for

MARKETS = {
    "linear": (Range(Decimal(0), Decimal(1000)), 500, 250),
    "count": (Range(Decimal(0), Decimal(1000), integer=True, kind="count"), 500, 250),
    "year": (Range(Decimal(1400), Decimal(2026), integer=True, kind="year"), 1700, 150),
    "speed": (Range(Decimal(0), Decimal(2000), unit="m/s"), 1000, 500),
    "log": (Range(Decimal(10), Decimal(100_000), integer=True, kind="count", scale="log"), 1000, 2.3),
}


def market(name: str) -> GaussianMarket:
    rng, mean, sd = MARKETS[name]
    return GaussianMarket.create(rng, 30, mean, sd)


def order(m: GaussianMarket, centre: float, spread: float) -> Order:
    names = m.range.curve_names
    return Order("target", **{names[0]: centre, names[1]: spread})


def significant(value: float) -> int:
    return len(Decimal(repr(value)).normalize().as_tuple().digits)


def edge_forecasts(m: GaussianMarket, rng: random.Random, count: int = 60):
    """Forecasts at an edge, wider than the range, narrower than the finest, in the question's units."""
    lo, hi = float(m.range.lo), float(m.range.hi)
    sd_min = float(m.sd_min)
    for _ in range(count):
        kind = rng.choice(("edge", "wide", "narrow"))
        if m.range.log:
            middle = rng.choice((lo, hi, lo * rng.uniform(1, 3), hi / rng.uniform(1, 3), (lo * hi) ** 0.5))
            spread = {
                "edge": rng.uniform(0.1, 2),
                "wide": rng.uniform(5, 20),
                "narrow": sd_min * rng.uniform(0.01, 0.9),
            }
        else:
            middle = rng.choice((lo, hi, lo + rng.uniform(0, 0.05) * (hi - lo), hi - rng.uniform(0, 0.05) * (hi - lo)))
            if kind == "wide":
                middle = rng.uniform(lo, hi)
            spread = {
                "edge": rng.uniform(0.02, 0.3) * (hi - lo),
                "wide": rng.uniform(0.5, 3) * (hi - lo),
                "narrow": sd_min * rng.uniform(0.01, 0.9),
            }
        yield middle, spread[kind]


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_every_offer_for_a_refused_guess_is_taken_and_said_in_four_figures(name: str) -> None:
    m = market(name)
    offered = 0
    for middle, spread in edge_forecasts(m, random.Random(name)):
        offer = offer_for(m, order(m, middle, spread))
        if offer is None:
            assert fair(m.curve_from_order(order(m, middle, spread)))  # no offer: the forecast is allowed
            continue
        offered += 1
        shape = offer.as_dict(m)
        centre, spread_name = m.range.curve_names
        curve = m.curve_from_order(order(m, shape[centre], shape[spread_name]))  # raises if refused
        assert fair(curve)
        assert Decimal(repr(shape[spread_name])) >= m.sd_min
        assert significant(shape[centre]) <= 4, shape
        if not m.range.log:
            assert significant(shape[spread_name]) <= 2, shape
    assert offered >= 30


def test_a_first_guess_at_the_edge_is_offered_the_nearest_fair_one() -> None:
    """Issue 20's guess of 1,000 ± 100 on a 0–1,000 question: 990 ± 98, not mean 999.974499399969, σ 5.0497."""
    m = market("count")
    offer = offer_for(m, order(m, 1000, 100))
    assert (offer.reason, offer.centre, offer.spread) == ("at_edge", Decimal(990), Decimal(98))
    assert offer_for(m, order(m, 500, 600)).reason == "too_wide"
    narrow = offer_for(m, order(m, 343, 1))
    assert (narrow.reason, narrow.centre, narrow.spread) == ("too_narrow", Decimal(343), m.sd_min)


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_an_unaffordable_trade_is_offered_an_affordable_one_of_the_same_middle(name: str) -> None:
    m = market(name)
    lo, hi = float(m.range.lo), float(m.range.hi)
    rng = random.Random(name)
    offered = 0
    for _ in range(25):
        if m.range.log:
            middle = float(f"{lo * (hi / lo) ** rng.uniform(0.1, 0.9):.3g}")
            spread = float(m.sd_min) * rng.uniform(1, 4)
        else:
            middle = round(lo + (hi - lo) * rng.uniform(0.1, 0.9))
            spread = float(m.sd_min) * rng.uniform(1, 4)
        wanted = order(m, middle, spread)
        priced = quote(m, Wealth(1000), wanted)
        offer = offer_for(m, wanted, Wealth(1000))
        if priced.affordable:
            assert offer is None
            continue
        if offer is None:
            continue
        offered += 1
        assert offer.reason == "unaffordable"
        assert offer.centre == Decimal(repr(middle))  # the trader's own middle, wider
        shape = offer.as_dict(m)
        centre, spread_name = m.range.curve_names
        taken = quote(m, Wealth(1000), order(m, shape[centre], shape[spread_name]))
        assert taken.affordable and taken.move.fraction == 1
        assert taken.move.worst == pytest.approx(shape["trade_worst_case"])
    assert offered >= 10


def test_no_offer_for_numbers_that_are_no_quantity() -> None:
    m = market("linear")
    assert offer_for(m, Order("target", mean=float("nan"), sd=5)) is None
    assert offer_for(m, Order("target", mean=500, sd=-5)) is None
    assert offer_for(m, Order("target", mean=500, sd=float("inf"))) is None
    assert offer_for(m, Order("target", mean=5000, sd=5)) is None  # outside the range: refused as it is
