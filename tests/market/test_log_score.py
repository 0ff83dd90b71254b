"""A move earns b·[ln p′(x) − ln p(x)]: a logarithmic market scoring rule (docs/maths.md § The log score)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from mmgame.market import GaussianMarket, Order, Range, Wealth, quote

from . import reference
from .strategies import forecasts, means, targets

# Ranges small enough that the question's units are fine as doubles, so scipy can be the judge.
plain_markets = st.builds(
    lambda half, b: GaussianMarket.create(Range(-half, half), b, 0, half / 4),
    st.sampled_from([Decimal(1), Decimal(150), Decimal(1000)]),
    st.sampled_from([1.0, 30.0, 250.0]),
)


def close(got: float, want: float, scale: float, tolerance: float = 1e-12) -> bool:
    return abs(got - want) <= tolerance * max(abs(want), scale)


def polynomial_close(got: Wealth, want: Wealth, scale: float) -> bool:
    return all(
        abs(g - w) <= 1e-12 * scale
        for g, w in zip((got.const, got.linear, got.quadratic), (want.const, want.linear, want.quadratic), strict=True)
    )


def size(*wealths: Wealth) -> float:
    return max(abs(c) for w in wealths for c in (w.const, w.linear, w.quadratic)) + 1


@settings(max_examples=150)
@given(st.data())
def test_profit_of_a_move_is_b_times_the_log_density_ratio_by_scipy(data: st.DataObject) -> None:
    market = data.draw(plain_markets)
    (mean, sd), x = data.draw(forecasts(market)), data.draw(means(market.range))
    move = market.move(market.curve_from_x(mean, sd))
    old_mean, old_sd = market.mean, market.sd
    want = market.liquidity * (norm.logpdf(float(x), float(mean), float(sd)) - norm.logpdf(float(x), old_mean, old_sd))
    scale = float(
        reference.scale(market.range, market.liquidity, [(Decimal(old_mean), Decimal(old_sd)), (mean, sd)], x)
    )
    assert close(move.pnl.at(market.range.to_z(x)), want, scale)
    assert close(market.profit_at(move.after, x), want, scale)


@settings(max_examples=150)
@given(st.data())
def test_profit_of_a_move_is_b_times_the_log_density_ratio_by_mpmath(data: st.DataObject) -> None:
    market = data.draw(plain_markets)
    before, after, x = data.draw(forecasts(market)), data.draw(forecasts(market)), data.draw(means(market.range))
    market = GaussianMarket.create(market.range, market.liquidity, *before, sd_min=market.sd_min)
    move = market.move(market.curve_from_x(*after))
    want = reference.profit(market.liquidity, before, after, x)
    scale = reference.scale(market.range, market.liquidity, [before, after], x)
    assert reference.relative_error(move.pnl.at(market.range.to_z(x)), want, scale) <= reference.TOLERANCE
    assert reference.relative_error(market.profit_at(move.after, x), want, scale) <= reference.TOLERANCE


@settings(max_examples=150)
@given(st.data())
def test_a_round_trip_costs_nothing(data: st.DataObject) -> None:
    market = data.draw(plain_markets)
    start = market.curve
    there = market.move(data.draw(targets(market)))
    back = market.trade(there).move(start)
    total = there.pnl + back.pnl
    assert back.after == start
    assert (total.linear, total.quadratic) == (0.0, 0.0)
    assert abs(total.const) <= 1e-12 * size(there.pnl)


@settings(max_examples=150)
@given(st.data())
def test_cost_is_path_independent(data: st.DataObject) -> None:
    """A→B→C costs what A→C costs and leaves the same position: C(q_C) − C(q_A) either way."""
    a = data.draw(plain_markets)
    b_curve, c_curve = data.draw(targets(a)), data.draw(targets(a))
    first = a.move(b_curve)
    second = a.trade(first).move(c_curve)
    direct = a.move(c_curve)
    scale = size(first.pnl, second.pnl)
    assert abs(first.cost + second.cost - direct.cost) <= 1e-12 * scale
    assert polynomial_close(first.pnl + second.pnl, direct.pnl, scale)


@settings(max_examples=100)
@given(st.data())
def test_a_move_earns_b_times_the_kl_divergence_if_the_forecast_is_right(data: st.DataObject) -> None:
    """E_target[b·ln(p′/p)] = b·KL(p′ ‖ p) ≥ 0: the quote's `expected_if_right`."""
    market = data.draw(plain_markets)
    mean, sd = data.draw(forecasts(market))
    result = quote(market, Wealth(1e12), Order("target", mean=mean, sd=sd))
    m0, s0, m1, s1 = (reference.exact(v) for v in (market.mean, market.sd, mean, sd))
    kl = reference.mp.log(s0 / s1) + (s1**2 + (m1 - m0) ** 2) / (2 * s0**2) - reference.mp.mpf(1) / 2
    want = reference.exact(market.liquidity) * kl
    assert result.expected_if_right >= -1e-12 * size(result.move.pnl)
    assert abs(result.expected_if_right - float(want)) <= 1e-11 * size(result.move.pnl)
