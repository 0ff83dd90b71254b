"""The seed notebook's MarketMaker keeps working, unchanged, on the engine (docs/maths.md § The market maker)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame.market import InvalidCurve, InvalidNumber, MarketError, MarketMaker

from . import notebook

RELATIVE = 1e-12

# Trades of the size the seed's market (θ = (1/100, −1/20000)) can take; some push θ₂ to 0 or past it.
trades = st.lists(
    st.tuples(
        st.floats(-0.02, 0.02, allow_nan=False) | st.integers(-1, 1),
        st.floats(-1e-4, 6e-5, allow_nan=False) | st.just(5e-5),
    ),
    max_size=25,
)


def assert_same_state(ours: MarketMaker, seed: notebook.MarketMaker) -> None:
    assert ours.num_trade == seed.num_trade
    for mine, theirs in [
        *zip(ours.outstanding_security_amount, seed.outstanding_security_amount, strict=True),
        *zip(ours.current_market_price, seed.current_market_price, strict=True),
        (ours.cost_func(), seed.cost_func()),
    ]:
        assert math.isclose(mine, theirs, rel_tol=RELATIVE, abs_tol=0.0)


def test_starts_at_the_seed_prior_n_100_100_squared() -> None:
    market = MarketMaker()
    assert market.outstanding_security_amount == [1 / 100, -1 / 20000]
    assert market.current_market_price == [100, 20000]
    assert market.num_trade == 0
    assert_same_state(market, notebook.MarketMaker())


@given(st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6))
def test_sufficient_statistic_is_x_and_x_squared(x: float) -> None:
    assert MarketMaker.sufficient_statistic(x) == [x, x**2]
    assert MarketMaker().sufficient_statistic(x) == notebook.MarketMaker.sufficient_statistic(x)


@given(st.floats(-1e3, 1e3), st.floats(-1e3, -1e-6))
def test_calc_current_market_price_is_a_static_method_matching_the_seed(theta_1: float, theta_2: float) -> None:
    ours = MarketMaker.calc_current_market_price(theta_1, theta_2)
    seed = notebook.MarketMaker.calc_current_market_price(theta_1, theta_2)
    assert tuple(ours) == tuple(seed)


@settings(max_examples=200)
@given(trades)
def test_any_trade_sequence_matches_the_notebook_and_refuses_theta_2_at_or_above_zero(
    sequence: list[tuple[float, float]],
) -> None:
    ours, seed = MarketMaker(), notebook.MarketMaker()
    for delta_1, delta_2 in sequence:
        if seed.outstanding_security_amount[1] + delta_2 < 0:
            seed.update_param(delta_1, delta_2)
            ours.update_param(delta_1, delta_2)
        else:
            with pytest.raises(InvalidCurve):
                ours.update_param(delta_1, delta_2)
        assert_same_state(ours, seed)


def test_a_trade_to_theta_2_zero_is_refused_with_a_typed_error_and_changes_nothing() -> None:
    market = MarketMaker()
    market.update_param(0.001, 1e-5)
    before = (market.num_trade, list(market.outstanding_security_amount), list(market.current_market_price))
    with pytest.raises(InvalidCurve) as refused:
        market.update_param(0.0, -market.outstanding_security_amount[1])
    assert isinstance(refused.value, MarketError)
    assert refused.value.as_dict()["code"] == "invalid_curve"
    assert (market.num_trade, market.outstanding_security_amount, market.current_market_price) == before


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "1", None, True, 10**400])
def test_a_trade_of_something_not_a_finite_number_is_refused_and_changes_nothing(bad: object) -> None:
    market = MarketMaker()
    with pytest.raises(InvalidNumber):
        market.update_param(bad, 0.0)
    with pytest.raises(InvalidNumber):
        market.update_param(0.0, bad)
    assert_same_state(market, notebook.MarketMaker())
