"""Exponential-utility traders best-respond, and together they converge to θ* (docs/maths.md § Aggregation)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize

from mmgame.market import (
    Curve,
    GaussianMarket,
    InvalidNumber,
    Range,
    Trader,
    Wealth,
    best_response,
    consensus,
    settle,
    toward_order,
)

QUESTION = Range(Decimal(0), Decimal(300))


def market_at(liquidity: float, mean: float = 100, sd: float = 100) -> GaussianMarket:
    return GaussianMarket.create(QUESTION, liquidity, mean, sd)


def log_expected_disutility(market: GaussianMarket, trader: Trader, wealth: Wealth, target: Curve) -> float:
    """ln E_belief[exp(−a·W(z))] after moving the market to `target`, by quadrature of the engine's own ledger."""
    after = wealth + market.move(target).pnl
    belief, a = trader.belief, trader.risk_aversion

    def exponent(z: float) -> float:
        return belief.log_density(z) - a * after.at(z)

    # The exponent is a quadratic in z: integrate around its peak, over ±12 of its widths.
    curvature = -1 / (2 * belief.sd**2) - a * after.quadratic
    if curvature >= 0:
        return math.inf  # unbounded exposure to x² under the belief: infinitely bad
    peak = -(belief.mean / belief.sd**2 - a * after.linear) / (2 * curvature)
    width = 1 / math.sqrt(-2 * curvature)
    top = exponent(peak)
    area, _ = integrate.quad(lambda z: math.exp(exponent(z) - top), peak - 12 * width, peak + 12 * width)
    return top + math.log(area)


@pytest.mark.parametrize(
    ("liquidity", "belief", "risk_aversion", "holdings"),
    [
        (30.0, Curve(0.4, 0.15), 0.02, (0.0, 0.0)),
        (10.0, Curve(-0.3, 0.3), 0.1, (5.0, -8.0)),
        (100.0, Curve(0.1, 0.08), 0.005, (-20.0, 30.0)),
        (30.0, Curve(0.7, 0.4), 0.0, (0.0, 0.0)),
    ],
)
def test_the_best_response_maximises_expected_exponential_utility_on_the_engines_ledger(
    liquidity: float, belief: Curve, risk_aversion: float, holdings: tuple[float, float]
) -> None:
    """Checks the formula against the engine's conventions: shares = b·Δθ, cost b·ΔA, W a quadratic in z."""
    market = market_at(liquidity)
    trader = Trader(belief, risk_aversion, holdings)
    wealth = Wealth(1000.0, *holdings)
    response = best_response(market, belief, risk_aversion, holdings)
    if risk_aversion == 0:
        assert response == Curve.from_natural(*belief.natural)  # risk neutral: jump to the belief
        return

    def objective(point: np.ndarray) -> float:
        return log_expected_disutility(market, trader, wealth, Curve(point[0], math.exp(point[1])))

    start = np.array([market.curve.mean, math.log(market.curve.sd)])
    found = optimize.minimize(objective, start, method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-13})
    assert found.x[0] == pytest.approx(response.mean, abs=1e-5)
    assert math.exp(found.x[1]) == pytest.approx(response.sd, rel=1e-5)
    assert objective(np.array([response.mean, math.log(response.sd)])) <= found.fun + 1e-9


@st.composite
def crowds(draw: st.DrawFn) -> tuple[GaussianMarket, list[Trader]]:
    liquidity = draw(st.sampled_from([10.0, 30.0, 100.0]))
    mean = draw(st.floats(0, 300))
    # A fair prior (docs/maths.md § Bounded loss): σ² ≤ (300 − μ)·μ, and σ ≥ 20.
    mean = min(max(mean, 1.4), 298.6)
    sd = draw(st.floats(20, max(20, min(150, math.sqrt((300 - mean) * mean) * 0.999))))
    market = market_at(liquidity, mean, sd)
    belief = st.builds(Curve, st.floats(-1, 1), st.floats(0.03, 0.6))
    # a·b from 0.3 to 10: best responses in turns converge within a few hundred rounds.
    risk = st.floats(0.3, 10).map(lambda ab: ab / liquidity)
    return market, draw(st.lists(st.builds(Trader, belief, risk), min_size=1, max_size=6))


@settings(max_examples=40, deadline=None)
@given(crowds())
def test_traders_best_responding_in_turns_converge_to_the_consensus(crowd: tuple[GaussianMarket, list[Trader]]) -> None:
    market, traders = crowd
    star = np.array(consensus(market, traders).natural)
    holdings = [(0.0, 0.0)] * len(traders)
    for _ in range(600):
        for i, trader in enumerate(traders):
            move = market.move(best_response(market, trader.belief, trader.risk_aversion, holdings[i]))
            holdings[i] = (holdings[i][0] + move.shares[0], holdings[i][1] + move.shares[1])
            market = market.trade(move)
        if np.all(np.abs(np.array(market.curve.natural) - star) <= 1e-7 * np.maximum(1, np.abs(star))):
            break
    assert np.all(np.abs(np.array(market.curve.natural) - star) <= 1e-6 * np.maximum(1, np.abs(star)))
    # At the fixed point every trader holds Hᵢ = (θᵢ − θ*)/aᵢ.
    for trader, held in zip(traders, holdings, strict=True):
        want = (np.array(trader.belief.natural) - star) / trader.risk_aversion
        assert np.allclose(held, want, rtol=1e-4, atol=1e-4 * np.abs(star).max() / trader.risk_aversion)


def test_the_consensus_from_the_prior_is_the_risk_tolerance_weighted_average_of_natural_parameters() -> None:
    market = market_at(30.0)
    traders = [Trader(Curve(0.5, 0.1), 0.01), Trader(Curve(-0.2, 0.3), 0.1), Trader(Curve(0.0, 0.05), 1.0)]
    theta_0 = np.array(market.prior.natural)
    weighted = sum(np.array(t.belief.natural) / t.risk_aversion for t in traders)
    want = (30.0 * theta_0 + weighted) / (30.0 + sum(1 / t.risk_aversion for t in traders))
    assert np.allclose(consensus(market, traders).natural, want, rtol=1e-13)


def test_the_consensus_counts_holdings_already_taken_from_the_current_market() -> None:
    """b·θ − ΣHᵢ is conserved by every trade, so starting midway gives the same θ* as starting fresh."""
    market = market_at(30.0)
    traders = [Trader(Curve(0.5, 0.1), 0.01), Trader(Curve(-0.2, 0.3), 0.05)]
    fresh = consensus(market, traders)
    move = market.move(best_response(market, traders[0].belief, 0.01))
    midway = [Trader(traders[0].belief, 0.01, move.shares), traders[1]]
    later = consensus(market.trade(move), midway)
    assert np.allclose(later.natural, fresh.natural, rtol=1e-12)


def test_a_risk_neutral_trader_jumps_to_their_belief_and_the_last_one_wins() -> None:
    market = market_at(30.0)
    for belief in (Curve(0.5, 0.1), Curve(-0.4, 0.2)):
        market = market.trade(market.move(best_response(market, belief, 0.0)))
    assert market.curve.mean == pytest.approx(-0.4, abs=1e-15)
    assert market.curve.sd == pytest.approx(0.2, rel=1e-15)


def test_a_best_response_below_sd_min_keeps_its_mean_and_stops_at_sd_min() -> None:
    """σ ≥ σ_min is the half-plane θ₂ ≤ −1/(2σ_min²); on its edge the expected utility peaks at the same mean."""
    market = market_at(30.0)
    belief, a = Curve(0.3, 0.002), 0.001  # far narrower than σ_min = 0.01 in z, and nearly risk neutral
    theta = (np.array(belief.natural) + a * 30.0 * np.array(market.curve.natural)) / (1 + a * 30.0)
    free = Curve.from_natural(*theta)
    assert free.sd < market.sd_min_z
    response = best_response(market, belief, a)
    assert response == Curve(free.mean, market.sd_min_z)
    market.check(response)  # the market takes it
    trader, wealth = Trader(belief, a), Wealth(1000.0)
    at_edge = log_expected_disutility(market, trader, wealth, response)
    for shift in (-1e-3, -1e-5, 1e-5, 1e-3):
        moved = Curve(response.mean + shift, market.sd_min_z)
        assert log_expected_disutility(market, trader, wealth, moved) > at_edge
    wider = Curve(response.mean, market.sd_min_z * 1.01)
    assert log_expected_disutility(market, trader, wealth, wider) > at_edge


@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf, "0.1", None, True])
def test_a_risk_aversion_that_is_not_a_nonnegative_number_is_refused(bad: object) -> None:
    market = market_at(30.0)
    with pytest.raises(InvalidNumber):
        best_response(market, Curve(0.1, 0.1), bad)
    with pytest.raises(InvalidNumber):
        consensus(market, [Trader(Curve(0.1, 0.1), bad)])


def test_the_consensus_needs_risk_averse_traders() -> None:
    with pytest.raises(InvalidNumber):
        consensus(market_at(30.0), [Trader(Curve(0.1, 0.1), 0.0)])


@settings(max_examples=100)
@given(st.floats(-3, 3), st.floats(0.001, 3))
def test_a_toward_order_for_a_curve_is_one_the_market_accepts(mean: float, sd: float) -> None:
    """Means outside the range are clamped to it and σ raised to σ_min; inside, the curve round-trips exactly."""
    market = market_at(30.0)
    order = toward_order(market, Curve(mean, sd))
    curve = market.curve_from_x(order.mean, order.sd)
    assert curve.mean == pytest.approx(min(max(mean, -1.0), 1.0), abs=1e-15)
    assert curve.sd == pytest.approx(max(sd, market.sd_min_z), rel=1e-15)
    result = settle(market, Wealth(1000.0), order)
    assert result.wealth_after.worst()[0] >= 0


def test_a_toward_order_at_a_billion_keeps_the_decimals() -> None:
    market = GaussianMarket.create(Range(Decimal("999999990"), Decimal("1000000010")), 30, Decimal("1e9"), 1)
    order = toward_order(market, market.curve_from_x(Decimal("1000000000.3"), Decimal("0.8")))
    assert order.kind == "toward"
    assert abs(order.mean - Decimal("1000000000.3")) < Decimal("1e-14")
    assert abs(order.sd - Decimal("0.8")) < Decimal("1e-15")
