"""A log-scale market is a linear market on y = ln x (docs/maths.md § Log markets): it pays exactly what that market
pays."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame.market import (
    Z90,
    GaussianMarket,
    InvalidCurve,
    MarketError,
    NotPositive,
    Order,
    Range,
    ScaleMismatch,
    UnfairCurve,
    Wealth,
    default_sd_min,
    quote,
    settle,
)
from mmgame.market.scale import EXACT, STORED

from . import reference

STABLE = settings(max_examples=60, deadline=None, derandomize=True)

# Ranges that span orders of magnitude: a bacterium in metres, piano tuners, a city, the world.
ranges = st.sampled_from(
    [
        (Decimal("1e-7"), Decimal("1e-5")),
        (Decimal(10), Decimal(10000)),
        (Decimal(1000), Decimal("50000000")),
        (Decimal("1e8"), Decimal("1e11")),
    ]
)
fractions = st.floats(min_value=0.05, max_value=0.95)


def twins(lo: Decimal, hi: Decimal, liquidity: float) -> tuple[GaussianMarket, GaussianMarket]:
    """A log market on [lo, hi] and the linear market on [ln lo, ln hi], with the same prior in ln x."""
    median = EXACT.sqrt(lo * hi)
    log = GaussianMarket.create(Range(lo, hi, scale="log"), liquidity, median, Decimal("0.9"))
    linear_range = Range(EXACT.ln(lo), EXACT.ln(hi))
    linear = GaussianMarket.create(linear_range, liquidity, EXACT.ln(median), Decimal("0.9"), log.sd_min)
    return log, linear


def at(lo: Decimal, hi: Decimal, fraction: float) -> Decimal:
    """The point a fraction of the way from lo to hi in ln x."""
    return EXACT.exp(EXACT.ln(lo) + Decimal(fraction) * (EXACT.ln(hi) - EXACT.ln(lo)))


@STABLE
@given(
    ranges,
    st.sampled_from([10.0, 30.0, 1000.0]),
    st.lists(st.tuples(fractions, st.floats(min_value=0.05, max_value=0.6)), min_size=1, max_size=4),
    fractions,
)
def test_a_log_market_pays_exactly_what_a_linear_market_on_ln_x_pays(ends, liquidity, targets, outcome) -> None:
    lo, hi = ends
    log, linear = twins(lo, hi, liquidity)
    assert log.prior == linear.prior and log.sd_min == linear.sd_min
    assert log.subsidy() == linear.subsidy()
    mine_log, mine_linear = Wealth(1000.0), Wealth(1000.0)
    for where, spread in targets:
        sd_log = Decimal(spread) * log.range.half_width
        median = at(lo, hi, where)
        on_log = quote(log, mine_log, Order("toward", median=median, sd_log=sd_log))
        on_linear = quote(linear, mine_linear, Order("toward", mean=EXACT.ln(median), sd=sd_log))
        assert on_log.move == on_linear.move
        assert on_log.affordable_fraction == on_linear.affordable_fraction
        mine_log, mine_linear = on_log.wealth_after, on_linear.wealth_after
        log, linear = log.trade(on_log.move), linear.trade(on_linear.move)
    x = at(lo, hi, outcome)
    payout_log = mine_log.value_at(log.range.exact_z(log.range.settle_at(x)))
    payout_linear = mine_linear.value_at(linear.range.exact_z(EXACT.ln(x)))
    assert payout_log == payout_linear
    assert payout_log >= 0
    assert log.house_result(x) == linear.house_result(EXACT.ln(x))


@STABLE
@given(ranges, st.floats(min_value=0.05, max_value=0.45), st.floats(min_value=1.5, max_value=4))
def test_a_90_percent_interval_is_the_median_and_sd_log_it_names(ends, middle, factor) -> None:
    lo, hi = ends
    log, _ = twins(lo, hi, 30.0)
    low = at(lo, hi, middle)
    high = low * Decimal(factor)
    by_interval = log.curve_from_interval(low, high)
    median = EXACT.sqrt(low * high)
    sd_log = EXACT.ln(high / low) / (2 * Z90)
    by_median = log.curve_from_x(median, sd_log)
    assert by_interval.mean == pytest.approx(by_median.mean, abs=1e-15)
    assert by_interval.sd == pytest.approx(by_median.sd, rel=1e-15)


def test_a_curve_on_a_log_market_reads_back_as_its_median_and_sd_log() -> None:
    log, _ = twins(Decimal(10), Decimal(10000), 30.0)
    median, sd_log = log.curve_to_x(log.curve_from_x(Decimal(200), Decimal("0.7")))
    assert median == pytest.approx(200, rel=1e-12)
    assert sd_log == pytest.approx(0.7, rel=1e-12)


def test_a_log_range_must_start_above_zero() -> None:
    for lo in (Decimal(0), Decimal(-5)):
        with pytest.raises(NotPositive) as refused:
            Range(lo, Decimal(100), scale="log")
        assert refused.value.code == "not_positive" and refused.value.details["field"] == "lo"


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(MarketError) as refused:
        Range(Decimal(1), Decimal(2), scale="cubic")
    assert refused.value.code == "invalid_number" and refused.value.details["field"] == "scale"


@pytest.mark.parametrize("outcome", [Decimal(0), Decimal(-1), Decimal("-1e15")])
def test_a_log_market_refuses_a_true_value_of_zero_or_less(outcome: Decimal) -> None:
    log, _ = twins(Decimal(10), Decimal(10000), 30.0)
    with pytest.raises(NotPositive) as refused:
        log.range.settle_at(outcome)
    assert refused.value.details["field"] == "outcome"


def test_a_log_market_resolves_a_value_beyond_its_range_at_the_end() -> None:
    log, _ = twins(Decimal(10), Decimal(10000), 30.0)
    assert log.range.settle_at(Decimal(5)) == 10
    assert log.range.settle_at(Decimal("1e9")) == 10000


@pytest.mark.parametrize(
    "order",
    [
        Order("target", mean=Decimal(100), sd=Decimal(1)),
        Order("toward", median=Decimal(100), sd=Decimal(1)),
        Order("shares", delta_1=1.0, delta_2=0.0),
    ],
)
def test_a_log_market_refuses_a_mean_and_sd_in_x_and_the_seeds_shares(order: Order) -> None:
    log, _ = twins(Decimal(10), Decimal(10000), 30.0)
    with pytest.raises(ScaleMismatch) as refused:
        quote(log, Wealth(1000.0), order)
    assert refused.value.code == "scale_mismatch"


def test_a_linear_market_refuses_a_median_or_an_interval() -> None:
    _, linear = twins(Decimal(10), Decimal(10000), 30.0)
    for order in (Order("target", median=Decimal(3), sd_log=Decimal(1)), Order("target", low=3, high=4)):
        with pytest.raises(ScaleMismatch):
            quote(linear, Wealth(1000.0), order)


@pytest.mark.parametrize("low, high", [(Decimal(0), Decimal(100)), (Decimal(-3), Decimal(100))])
def test_an_interval_reaching_zero_is_refused_on_a_log_market(low: Decimal, high: Decimal) -> None:
    log, _ = twins(Decimal(10), Decimal(10000), 30.0)
    with pytest.raises(NotPositive) as refused:
        quote(log, Wealth(1000.0), Order("target", low=low, high=high))
    assert refused.value.details["field"] == "target_low"


def test_an_interval_the_wrong_way_round_is_refused() -> None:
    log, _ = twins(Decimal(10), Decimal(10000), 30.0)
    with pytest.raises(InvalidCurve):
        quote(log, Wealth(1000.0), Order("target", low=Decimal(500), high=Decimal(200)))


def test_sd_min_on_a_whole_number_log_market_keeps_every_curve_fair_at_whole_numbers() -> None:
    # Between 1 and 2 the neighbours are ln 1 and ln 2: σ² ≥ (μ − ln 1)(ln 2 − μ) needs σ ≥ ln 2 / 2 there.
    range = Range(Decimal(1), Decimal(1000), integer=True, kind="count", scale="log")
    assert default_sd_min(range) >= EXACT.ln(2) / 2
    with pytest.raises(InvalidCurve) as refused:
        GaussianMarket.create(range, 30.0, Decimal(30), Decimal(1), sd_min=Decimal("0.3"))
    assert refused.value.details["field"] == "sd_min"


def test_a_refusal_on_a_log_market_names_the_nearest_fair_curve_as_a_median() -> None:
    log, _ = twins(Decimal(10), Decimal(10000), 30.0)
    with pytest.raises(InvalidCurve) as refused:
        settle(log, Wealth(1000.0), Order("target", median=Decimal(11), sd_log=Decimal(3)))
    assert refused.value.code == "unfair_curve"
    assert {"nearest_median", "nearest_sd_log"} <= set(refused.value.details)
    assert "median" in refused.value.message and "mean" not in refused.value.message


# Log markets from micrometres to billions (docs/maths.md § Exactness holds in ln x too): a trader's payout against
# mpmath.
log_ranges = st.sampled_from(
    [
        (Decimal("1e-6"), Decimal("1e-3")),
        (Decimal("0.5"), Decimal(2)),
        (Decimal(10), Decimal(100000)),
        (Decimal("1e6"), Decimal("1e9")),
        (Decimal("1e-6"), Decimal("1e9")),
    ]
)


@STABLE
@given(
    log_ranges,
    st.sampled_from([1.0, 30.0, 1000.0]),
    st.lists(st.tuples(fractions, st.floats(min_value=0.002, max_value=0.6)), min_size=1, max_size=4),
    fractions,
)
def test_a_log_markets_payout_is_exact_against_mpmath(ends, liquidity, targets, outcome) -> None:
    lo, hi = ends
    range = Range(lo, hi, scale="log")
    prior_sd = STORED.plus(range.half_width / 2)
    market = GaussianMarket.create(range, liquidity, EXACT.sqrt(lo * hi), prior_sd)
    sd_min = market.sd_min
    mine = Wealth(1e9)
    curves = [(EXACT.ln(EXACT.sqrt(lo * hi)), prior_sd)]  # in y = ln x, as the engine holds them
    for where, spread in targets:
        median = STORED.plus(at(lo, hi, where))
        sd_log = max(STORED.plus(Decimal(spread) * market.range.half_width), sd_min)
        try:
            result = settle(market, mine, Order("target", median=median, sd_log=sd_log))
        except UnfairCurve:
            continue
        mine, market = result.wealth_after, market.trade(result.move)
        curves.append((EXACT.ln(median), sd_log))
    x = STORED.plus(at(lo, hi, outcome))
    y = EXACT.ln(x)
    want = reference.exact(1e9) + sum(
        (reference.profit(liquidity, a, b, y) for a, b in itertools.pairwise(curves)), reference.mp.mpf(0)
    )
    got = float(mine.value_at(market.range.exact_z(x)) - Decimal("1e9"))  # the profit, exactly, then rounded
    size = reference.scale(market.range, liquidity, curves, y)
    assert reference.relative_error(got, want - reference.exact(1e9), size) <= reference.TOLERANCE
