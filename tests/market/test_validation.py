"""Bad input gets a clear typed error, JSON-ready, and changes nothing."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from mmgame.market import (
    Curve,
    GaussianMarket,
    InvalidCurve,
    InvalidNumber,
    MarketError,
    Order,
    Range,
    Wealth,
    default_sd_min,
    finite,
    quantity,
    quote,
    stored_quantity,
)

NOT_NUMBERS = [math.nan, -math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("-Infinity"), "12", None, True, [1]]
HUGE = [Decimal("1e15") + 1, 10**16, 1e300, -(10**400)]


@pytest.fixture
def market() -> GaussianMarket:
    return GaussianMarket.create(Range(Decimal(0), Decimal(300)), 30, 100, 100)


def refused(error: type[MarketError], call, *args, **kwargs) -> dict:
    with pytest.raises(error) as info:
        call(*args, **kwargs)
    details = info.value.as_dict()
    json.dumps(details)  # a client gets it as JSON: no Decimals or other strays in it
    assert details["code"] == error.code and details["message"]
    return details


@pytest.mark.parametrize("bad", NOT_NUMBERS)
def test_a_quantity_that_is_not_a_finite_number_is_an_invalid_number(bad: object) -> None:
    assert refused(InvalidNumber, quantity, bad, "mean")["field"] == "mean"
    assert refused(InvalidNumber, finite, bad, "liquidity")["field"] == "liquidity"


@pytest.mark.parametrize("bad", HUGE)
def test_a_quantity_over_10_to_the_15_is_an_invalid_number(bad: object) -> None:
    refused(InvalidNumber, quantity, bad, "hi")


def test_quantities_up_to_10_to_the_15_are_taken_exactly() -> None:
    assert quantity(Decimal("1e15"), "hi") == Decimal("1e15")
    assert quantity(Decimal("1000000000.3"), "x") == Decimal("1000000000.3")
    assert quantity(0.1, "x") == Decimal("0.1")  # a float is the decimal it prints as


def test_quantities_to_be_saved_are_rounded_to_what_the_database_keeps() -> None:
    assert stored_quantity(Decimal("1000000000.3"), "x") == Decimal("1000000000.3")
    assert stored_quantity(Decimal("123.4567890123456789"), "x") == Decimal("123.456789012346")
    assert stored_quantity(Decimal("1e-21"), "x") == 0


@pytest.mark.parametrize("bad", [*NOT_NUMBERS, 0, -30, 1e16])
def test_liquidity_must_be_a_positive_finite_number(bad: object) -> None:
    refused(InvalidNumber, GaussianMarket.create, Range(Decimal(0), Decimal(300)), bad, 100, 100)


@pytest.mark.parametrize("field", ["mean", "sd"])
@pytest.mark.parametrize("bad", NOT_NUMBERS + HUGE)
def test_a_target_of_anything_but_a_number_is_an_invalid_number(
    market: GaussianMarket, field: str, bad: object
) -> None:
    forecast = {"mean": Decimal(100), "sd": Decimal(10), field: bad}
    assert refused(InvalidNumber, quote, market, Wealth(1000.0), Order("target", **forecast))["field"].endswith(field)


@pytest.mark.parametrize("sd", [Decimal(0), Decimal(-1), Decimal("-1e-9")])
def test_a_spread_at_or_below_zero_is_an_invalid_curve(market: GaussianMarket, sd: Decimal) -> None:
    assert refused(InvalidCurve, market.curve_from_x, 100, sd)["field"] == "target_sd"


def test_a_spread_below_sd_min_is_an_invalid_curve_naming_sd_min(market: GaussianMarket) -> None:
    assert market.sd_min == Decimal("1.5")
    details = refused(InvalidCurve, market.curve_from_x, 100, Decimal("1.4999"))
    assert details["sd_min"] == 1.5
    market.curve_from_x(100, Decimal("1.5"))  # σ_min itself is allowed


@pytest.mark.parametrize("mean", [Decimal("-0.001"), Decimal("300.0001"), Decimal("1e9")])
def test_a_mean_outside_the_range_is_an_invalid_curve(market: GaussianMarket, mean: Decimal) -> None:
    assert refused(InvalidCurve, market.curve_from_x, mean, 10)["field"] == "target_mean"


def test_a_prior_outside_the_rules_is_refused_when_the_market_is_created() -> None:
    question = Range(Decimal(0), Decimal(300))
    refused(InvalidCurve, GaussianMarket.create, question, 30, 400, 100)
    refused(InvalidCurve, GaussianMarket.create, question, 30, 100, 1)
    refused(InvalidCurve, GaussianMarket.create, question, 30, 100, 100, sd_min=0)


@pytest.mark.parametrize(("lo", "hi"), [(1, 1), (2, 1), (Decimal("-0"), Decimal(0))])
def test_a_range_needs_lo_below_hi(lo: object, hi: object) -> None:
    refused(InvalidCurve, Range, lo, hi)


@pytest.mark.parametrize(("lo", "hi"), [(Decimal("0.5"), 10), (0, Decimal("10.25"))])
def test_a_whole_number_question_needs_whole_number_ends(lo: object, hi: object) -> None:
    refused(InvalidNumber, Range, lo, hi, True)


@pytest.mark.parametrize(("delta_1", "delta_2"), [(0.0, 1.0), (0.0, 1e6), (5.0, 0.01)])
def test_raw_shares_that_would_make_theta_2_nonnegative_are_an_invalid_curve(
    market: GaussianMarket, delta_1: float, delta_2: float
) -> None:
    refused(InvalidCurve, market.move_by_shares, delta_1, delta_2)
    refused(InvalidCurve, quote, market, Wealth(1000.0), Order("shares", delta_1=delta_1, delta_2=delta_2))


@pytest.mark.parametrize("bad", NOT_NUMBERS)
def test_raw_shares_that_are_not_numbers_are_an_invalid_number(market: GaussianMarket, bad: object) -> None:
    refused(InvalidNumber, market.move_by_shares, bad, 0.0)


@pytest.mark.parametrize(("theta_1", "theta_2"), [(1.0, 0.0), (1.0, 2.0), (math.nan, -1.0), (1.0, -math.inf)])
def test_natural_parameters_without_a_spread_are_an_invalid_curve(theta_1: float, theta_2: float) -> None:
    refused(InvalidCurve, Curve.from_natural, theta_1, theta_2)


def test_a_refused_trade_changes_nothing(market: GaussianMarket) -> None:
    before = (market.curve, market.prior)
    with pytest.raises(MarketError):
        quote(market, Wealth(1000.0), Order("target", mean=Decimal(100), sd=Decimal(1)))
    with pytest.raises(MarketError):
        market.move_by_shares(0.0, 1.0)
    assert (market.curve, market.prior) == before


def test_an_unknown_order_kind_is_refused(market: GaussianMarket) -> None:
    assert refused(InvalidCurve, quote, market, Wealth(1000.0), Order("sideways"))["field"] == "kind"


@pytest.mark.parametrize(
    ("outcome", "settled"),
    [(-5, 0), (Decimal("123.456"), Decimal("123.456")), (1e9, 300), (Decimal(300), 300), (0, 0)],
)
def test_settle_at_clamps_the_outcome_into_the_range(outcome: object, settled: object) -> None:
    assert Range(Decimal(0), Decimal(300)).settle_at(outcome) == settled


@pytest.mark.parametrize(
    ("outcome", "settled"),
    [(Decimal("41.49"), 41), (Decimal("41.5"), 42), (Decimal("-3.5"), 0), (Decimal("999.7"), 500), (17, 17)],
)
def test_settle_at_rounds_whole_number_questions_to_the_nearest_whole_number(outcome: object, settled: int) -> None:
    assert Range(Decimal(0), Decimal(500), integer=True).settle_at(outcome) == settled


def test_settle_at_refuses_outcomes_that_are_not_numbers() -> None:
    refused(InvalidNumber, Range(Decimal(0), Decimal(300)).settle_at, math.nan)


def test_sd_min_defaults_to_a_two_hundredth_of_the_range_and_a_half_for_counts() -> None:
    assert default_sd_min(Range(Decimal(0), Decimal(300))) == Decimal("1.5")
    assert default_sd_min(Range(Decimal(0), Decimal(20), integer=True)) == Decimal("0.5")


def test_sd_min_below_a_ten_thousandth_of_the_range_is_refused() -> None:
    # Positions are quadratics in z with coefficients ~ b/σ_z²: finer than range/10⁴ they lose points.
    with pytest.raises(InvalidCurve) as refused:
        GaussianMarket.create(Range(Decimal(0), Decimal("1.5e9")), 100, Decimal("1e9"), 1, Decimal("0.5"))
    assert refused.value.as_dict()["field"] == "sd_min"
    GaussianMarket.create(Range(Decimal(0), Decimal("1.5e9")), 100, Decimal("1e9"), Decimal("2e5"), Decimal("1.5e5"))
