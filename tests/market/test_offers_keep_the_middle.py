"""Every refusal for collateral comes with an affordable trade of the same middle, or says that none exists
(mmgame.market.offers.nearest_affordable; docs/offers.md). Properties over the bank's linear, log, count and
year questions at the default stakes, with a budget partly spent by earlier trades, and one case where no
trade of the typed middle is affordable, proved."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from benchmarks import classroom
from mmgame.market import (
    Curve,
    GaussianMarket,
    InsufficientCollateral,
    MarketError,
    Order,
    Range,
    Wealth,
    fair,
    fill,
    quote,
)
from mmgame.market.offers import offer_for
from mmgame.services.games import DEFAULT_BUDGET, LIQUIDITY
from mmgame.services.offers import refuse_with_offer

QUESTIONS = {
    "linear": ["science-speed-of-sound", "geography-everest", "room-bag-weight", "weather-high"],
    "count": ["science-bones", "room-jelly-beans", "demo"],
    "log": ["geography-world-population", "room-paper-clips", "preset-bacterium", "science-sun-distance"],
    "year": ["history-printing-press", "preset-year"],
}
BANK = {q.key: q for q in classroom.questions()}


def market_of(key: str) -> GaussianMarket:
    """The market add_market makes for this question with the host's defaults."""
    return classroom.Engine(BANK[key], LIQUIDITY["normal"], DEFAULT_BUDGET).market


def written(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def typed_order(market: GaussianMarket, u: float, width: float, digits: int, interval: bool) -> Order:
    """A forecast typed as people type them: a middle at `u` of the range (in y) to `digits` figures, a
    give-or-take `width` of the range's half-width (or, on a log market, a 90 % interval's ends)."""
    rng = market.range
    y_lo, y_hi = float(rng.y_lo), float(rng.y_hi)
    y = y_lo + u * (y_hi - y_lo)
    sd = width * float(rng.half_width)
    if rng.log:
        if interval:
            return Order(
                "target",
                low=written(math.exp(y - 1.6449 * sd), digits),
                high=written(math.exp(y + 1.6449 * sd), digits),
            )
        return Order("target", median=written(math.exp(y), digits), sd_log=written(sd, 2))
    return Order("target", mean=written(y, digits), sd=written(sd, 2))


def spent(market: GaussianMarket, moves: list[tuple[float, float]]) -> tuple[GaussianMarket, Wealth]:
    """The market after the trader's earlier moves, each as far toward a curve as the budget allows, and
    a classmate's move back to where it started: what the trader has left."""
    wealth = Wealth(DEFAULT_BUDGET)
    start = market.curve
    for mean_z, sd_z in moves:
        curve = Curve(mean_z, min(sd_z, 0.99 * math.sqrt(1 - mean_z * mean_z)))
        if curve.sd < market.sd_min_z or not fair(curve):
            continue
        rng = market.range
        order = Order(
            "toward", **dict(zip(rng.curve_names, (rng.to_x(curve.mean), rng.sd_to_x(curve.sd)), strict=True))
        )
        try:
            result = fill(market, wealth, order)
        except MarketError:
            continue
        market, wealth = market.trade(result.move), result.wealth_after
    return replace_curve(market, start), wealth


def replace_curve(market: GaussianMarket, curve: Curve) -> GaussianMarket:
    return market.trade(market.move(curve))


def widths_affordable(market: GaussianMarket, wealth: Wealth, mean_z: float, steps: int = 400) -> bool:
    """Whether some width at this middle is affordable, by a scan of `steps` widths from σ_min to the widest fair."""
    low, high = market.sd_min_z, math.sqrt(max(0.0, 1 - mean_z * mean_z))
    for i in range(steps + 1):
        sd = low * (high / low) ** (i / steps)
        try:
            curve = market.check(Curve(mean_z, min(sd, high * (1 - 1e-12))))
        except MarketError:
            continue
        if fair(curve) and (wealth + market.move(curve).pnl).covered:
            return True
    return False


def same_middle(market: GaussianMarket, offer: dict, wanted: Curve) -> bool:
    names = market.range.curve_names
    curve = market.curve_from_order(Order("target", **{name: offer[name] for name in names}))
    return curve.mean == wanted.mean or (market.range.log and abs(curve.mean - wanted.mean) <= 1e-12)


def check_refusal(key: str, moves, u: float, width: float, digits: int, interval: bool) -> None:
    market, wealth = spent(market_of(key), moves)
    order = typed_order(market, u, width, digits, interval)
    try:
        wanted = market.curve_from_order(order)
    except MarketError:
        assume(False)
    assume(fair(wanted))
    priced = quote(market, wealth, order)
    assume(not priced.affordable)
    offer = offer_for(market, order, wealth)
    if offer is None or offer.reason == "middle_unaffordable":
        event("no trade of the typed middle is affordable")
        assert not widths_affordable(market, wealth, wanted.mean), (key, order, offer)
        return
    event("offered the typed middle")
    assert offer.reason == "unaffordable", offer
    shape = offer.as_dict(market)
    assert same_middle(market, shape, wanted), (key, order, shape)
    names = market.range.curve_names
    taken = quote(market, wealth, Order("target", **{name: shape[name] for name in names}))
    assert taken.affordable and taken.move.fraction == 1, (key, order, shape)
    assert taken.move.worst == pytest.approx(shape["trade_worst_case"])


moves = st.lists(st.tuples(st.floats(-0.9, 0.9), st.floats(0.005, 0.5)), max_size=3)
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
@PROPERTY
@given(
    data=st.data(),
    moves=moves,
    u=st.floats(0.06, 0.94),
    width=st.floats(0.003, 0.05),
    digits=st.integers(2, 7),
    interval=st.booleans(),
)
def test_a_refused_trade_is_offered_its_own_middle_affordable_or_told_none_is(
    kind, data, moves, u, width, digits, interval
) -> None:
    check_refusal(data.draw(st.sampled_from(QUESTIONS[kind])), moves, u, width, digits, interval)


def test_a_middle_of_five_figures_is_kept_exactly() -> None:
    """12,345.6 m on a 0–30,000 question (rounded for display, it used to move to 12,340)."""
    market = GaussianMarket.create(Range(Decimal(0), Decimal(30000), unit="m"), 3, 5000, 7500)
    order = Order("target", mean=12345.6, sd=20)
    offer = offer_for(market, order, Wealth(1000))
    assert offer.reason == "unaffordable" and offer.centre == Decimal("12345.6")
    taken = quote(market, Wealth(1000), Order("target", mean=float(offer.centre), sd=float(offer.spread)))
    assert taken.affordable and offer.spread > 20  # wider, never narrower than typed


def test_where_no_width_of_the_middle_is_affordable_the_refusal_says_so() -> None:
    """A trader with 1 point left where the market sits (they sold certainty there: W = 1 + K·(z − m)²) types
    a middle three of the market's give-or-takes away. No curve of that middle is affordable, whatever its
    width: at z = m any curve centred at μ′ has density at most 1/(|m − μ′|·√(2πe)) (its best σ′ is |m − μ′|),
    against the market's 1/(σ·√(2π)), so the move pays at most b·ln(σ/(|m − μ′|·√e)) = b·ln(1/(3√e)) there,
    −4.8 points at b = 3, and the 1 point left does not cover it. The refusal says so, and offers a middle
    nearer the market's instead."""
    b = 3.0
    market = GaussianMarket.create(Range(Decimal(0), Decimal(1000), unit="m/s"), b, 343, 20)
    m, sigma = market.curve.mean, market.curve.sd
    wealth = Wealth(1.0 + 40.0 * m * m, -80.0 * m, 40.0)  # 1 + 40·(z − m)²
    assert wealth.at(m) == pytest.approx(1.0) and min(wealth.at(z / 100) for z in range(-100, 101)) >= 1 - 1e-9
    away = 3 * sigma
    bound = wealth.at(m) + b * math.log(sigma / (away * math.sqrt(math.e)))  # the most W(m) can be after
    assert bound < -3.5
    typed = Order("target", mean=market.range.to_x(m + away), sd=25)
    assert not widths_affordable(market, wealth, market.range.to_z(typed.mean), steps=2000)
    offer = offer_for(market, typed, wealth)
    assert offer is not None and offer.reason == "middle_unaffordable"
    assert abs(market.range.to_z(float(offer.centre)) - m) < away  # nearer the market's middle
    refusal = refuse_with_offer(InsufficientCollateral("the trade could make you owe"), market, typed, wealth)
    assert "no trade of that middle is affordable with the points you have left" in refusal.message
    assert refusal.details["offer"]["reason"] == "middle_unaffordable"
