"""No free money (docs/maths.md § Bounded loss): every curve the market takes is fair, so no move wins at every outcome.

Fair on [lo, hi] means σ² ≤ (hi − μ)(μ − lo) (Bhatia–Davis); on whole-number markets σ_min ≥ ½ also keeps
σ² ≥ (μ − ⌊μ⌋)(⌈μ⌉ − μ). A move from p to q earns b·[ln q(x) − ln p(x)], a quadratic in z: its least value
over the possible outcomes is exact (ends and vertex, or the integers next to them).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmgame.market import (
    Curve,
    GaussianMarket,
    InvalidCurve,
    MarketError,
    Order,
    Range,
    UnfairCurve,
    Wealth,
    fair,
    log_score,
    quote,
    settle,
)

from .strategies import means

QUESTION = Range(Decimal(0), Decimal(300))


def least_profit(market: GaussianMarket, move_to: Curve) -> float:
    """min over the possible outcomes of b·[ln q(x) − ln p(x)], moving the market's curve p to q."""
    profit = log_score(market.liquidity, market.curve, move_to)
    if not market.range.integer:
        return profit.worst()[0]
    question = market.range
    lo, hi = int(question.lo), int(question.hi)
    _, linear, quadratic = profit.coefficients
    candidates = {lo, hi}
    if quadratic > 0:
        vertex = question.to_x(float(-linear / (2 * quadratic)))
        candidates |= {min(max(math.floor(vertex) + k, lo), hi) for k in (0, 1)}
    return min(profit.at(question.exact_z(x)) for x in candidates)


def riskless_candidates(curve: Curve) -> list[Curve]:
    """Moves that would beat an unfair curve: narrower, shifted inward, or both."""
    out = []
    for shrink in (0.999, 0.99, 0.9, 0.7, 0.5, 0.3, 0.1, 0.05):
        for mean in (curve.mean, curve.mean * shrink, curve.mean * 0.5, 0.0):
            out.append(Curve(mean, curve.sd * shrink))
    return out


@pytest.mark.parametrize(
    ("prior", "move_to", "earns"),
    [
        ((300, 300), (Decimal("185.41"), Decimal("145.76")), 12.38),
        ((150, 3000), (150, 150), 74.9),
        ((150, 200), (150, 150), 2.06),
    ],
)
def test_the_issues_unfair_priors_lose_to_a_riskless_move_and_are_refused(prior, move_to, earns) -> None:
    """The positive control: at b = 30 these priors lose at least `earns` at every outcome (so the
    property below can fail), and the market refuses them naming a fair prior it accepts."""
    sd_min = Decimal(1)
    probe = GaussianMarket.create(QUESTION, 30, 150, 50, sd_min)
    unfair = Curve(QUESTION.to_z(prior[0]), QUESTION.sd_to_z(prior[1]))
    target = probe.curve_from_x(*move_to)
    assert least_profit(GaussianMarket(QUESTION, 30, sd_min, unfair, unfair), target) >= earns
    with pytest.raises(UnfairCurve) as refused:
        GaussianMarket.create(QUESTION, 30, *prior, sd_min)
    nearest = Decimal(refused.value.details["nearest_mean"]), Decimal(refused.value.details["nearest_sd"])
    assert "nearest fair one" in refused.value.message
    assert fair(GaussianMarket.create(QUESTION, 30, *nearest, sd_min).curve)


def test_a_whole_number_market_needs_sigma_min_of_a_half() -> None:
    """From N(100.5, 0.1²), N(100.5, 0.5²) gains ≥ 10.39·b at every integer: σ_min < ½ is refused."""
    whole = Range(Decimal(0), Decimal(300), integer=True)
    narrow = Curve(whole.to_z(Decimal("100.5")), whole.sd_to_z(Decimal("0.1")))
    wider = Curve(narrow.mean, whole.sd_to_z(Decimal("0.5")))
    assert least_profit(GaussianMarket(whole, 1, Decimal("0.1"), narrow, narrow), wider) >= 10.39
    with pytest.raises(InvalidCurve, match=r"at least 0\.5"):
        GaussianMarket.create(whole, 1, Decimal("100.5"), Decimal("0.5"), Decimal("0.1"))
    GaussianMarket.create(whole, 1, Decimal("100.5"), Decimal("0.5"), Decimal("0.5"))


def test_a_target_that_is_unfair_is_refused_and_changes_nothing() -> None:
    market = GaussianMarket.create(QUESTION, 30, 100, 100)
    with pytest.raises(UnfairCurve) as refused:
        settle(market, Wealth(1000.0), Order("target", mean=Decimal(300), sd=Decimal(10)))
    assert refused.value.code == "unfair_curve"
    assert refused.value.details["nearest_mean"] != "300"


def test_a_toward_order_stops_where_the_market_would_become_unfair() -> None:
    market = GaussianMarket.create(QUESTION, 30, 150, 100)
    result = quote(market, Wealth(1e9), Order("toward", mean=Decimal(290), sd=Decimal(100)))
    assert 0 < result.move.fraction < 1
    assert fair(result.move.after)
    target = market.curve_from_x(290, 100)
    assert not fair(market.curve.toward(target, result.move.fraction * 1.001))


@st.composite
def reachable(draw: st.DrawFn) -> GaussianMarket:
    """A market after a few settled orders of every kind, from a fair prior (continuous or whole-number)."""
    integer = draw(st.booleans())
    question = Range(Decimal(0), Decimal(draw(st.sampled_from([10, 300, 10_000]))), integer)
    b = draw(st.sampled_from([1.0, 30.0, 1000.0]))
    sd_min = max((question.hi - question.lo) / 10_000, Decimal("0.5") if integer else Decimal(0))
    probe = GaussianMarket.create(question, b, question.centre, question.half_width / 2, sd_min)

    def forecast() -> tuple[Decimal, Decimal]:
        mean = draw(st.sampled_from([question.lo, question.hi, draw(means(question))]))
        return mean, sd_min * draw(st.sampled_from([1, 2, 50, 1000, 100_000]))

    market = GaussianMarket.create(question, b, *probe.nearest_fair(*forecast()), sd_min)
    wealth = [Wealth(1000.0), Wealth(1000.0)]
    for _ in range(draw(st.integers(0, 5))):
        i = draw(st.integers(0, 1))
        kind = draw(st.sampled_from(["target", "toward", "close"]))
        order = Order("close") if kind == "close" else Order(kind, *forecast())
        try:
            result = settle(market, wealth[i], order)
        except MarketError:
            continue
        market, wealth[i] = market.trade(result.move), result.wealth_after
    return market


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reachable(), st.data())
def test_from_any_curve_the_market_reaches_no_move_wins_at_every_outcome(market: GaussianMarket, data) -> None:
    assert fair(market.curve)
    mean = data.draw(st.floats(-1.5, 1.5))
    sd = market.curve.sd * data.draw(st.floats(0.01, 10))
    for move_to in [Curve(mean, sd), *riskless_candidates(market.curve)]:
        assert least_profit(market, move_to) <= 1e-9 * market.liquidity
