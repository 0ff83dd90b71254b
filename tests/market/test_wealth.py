"""A position is a quadratic in z, so its worst case over the range is exact: ends and vertex (docs/maths.md § Bounded
loss)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mmgame.market import Wealth

from .strategies import markets, targets

GRID = 20_001


# Zero or at least 1e-100 in size: double-double arithmetic is exact while every product (of up to three
# of these) stays a normal double; below 2.2e-308 two_prod's error term underflows and the last bit may
# differ from `at`'s rounding. A market's coordinates never come near that: z is a price's offset over the
# range's half width, both given in decimals.
def sized(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False).filter(lambda v: v == 0 or abs(v) >= 1e-100)


coefficients = sized(-1e6, 1e6)
wealths = st.builds(Wealth, coefficients, coefficients, coefficients)
ends = sized(-1, 1)
intervals = st.tuples(ends, ends).filter(lambda ends: ends[0] < ends[1])


def grid_minimum(wealth: Wealth, lo: float, hi: float) -> tuple[float, float]:
    """The dense grid's minimum, and how far the true minimum can lie below it (Lipschitz bound)."""
    z = np.linspace(lo, hi, GRID)
    values = wealth.const + z * (wealth.linear + z * wealth.quadratic)
    slope = abs(wealth.linear) + 2 * abs(wealth.quadratic) * max(abs(lo), abs(hi))
    return float(values.min()), slope * (hi - lo) / (GRID - 1) / 2


def exact_at(wealth: Wealth, z: float) -> Fraction:
    """W(z) in exact rationals, the coefficients' tails included."""
    doubles = (wealth.const, wealth.linear, wealth.quadratic)
    c, h, q = (Fraction(x) + Fraction(t) for x, t in zip(doubles, wealth.tails, strict=True))
    z = Fraction(z)
    return c + z * (h + z * q)


def size(wealth: Wealth) -> float:
    return abs(wealth.const) + abs(wealth.linear) + abs(wealth.quadratic) + 1


@settings(max_examples=200)
@given(wealths, intervals)
@example(Wealth(1.0, 1.0, -1.401298464324817e-45), (-1.0, 0.0))  # found in a run: W(−1) = 1 − 1 + q exactly
def test_the_exact_worst_case_equals_a_dense_grids_minimum(wealth: Wealth, ends: tuple[float, float]) -> None:
    worst, where = wealth.worst(*ends)
    grid, slack = grid_minimum(wealth, *ends)
    assert ends[0] <= where <= ends[1]
    # The value at that point, in double-double: the exact one rounded, to within a few 2⁻¹⁰⁶ of the terms'
    # sizes. (`at`'s 60-digit Horner is no yardstick here: with 1 + 1.4e-45·z it keeps 15 digits of the small
    # term, and 1 − 1 leaves just those.)
    exact = exact_at(wealth, where)
    terms = abs(wealth.const) + abs(wealth.linear * where) + abs(wealth.quadratic * where * where)
    assert abs(Fraction(worst) - exact) <= Fraction(math.ulp(worst)) / 2 + Fraction(2.0**-100) * Fraction(terms)
    assert worst <= grid + 1e-12 * size(wealth)  # nothing on the grid is lower than the exact minimum
    assert grid - worst <= slack + 1e-12 * size(wealth)  # and the grid gets down to it


@settings(max_examples=100)
@given(st.data())
def test_the_worst_case_of_a_real_position_equals_a_dense_grids_minimum(data: st.DataObject) -> None:
    market = data.draw(markets())
    wealth = Wealth(1000.0)
    for _ in range(data.draw(st.integers(1, 4))):
        move = market.move(data.draw(targets(market)))
        wealth, market = wealth + move.pnl, market.trade(move)
    worst, _ = wealth.worst()
    grid, slack = grid_minimum(wealth, -1.0, 1.0)
    assert worst <= grid + 1e-12 * size(wealth)
    assert grid - worst <= slack + 1e-12 * size(wealth)


@given(wealths, intervals)
def test_the_best_case_is_the_worst_case_of_the_negated_position(wealth: Wealth, ends: tuple[float, float]) -> None:
    best, where = wealth.best(*ends)
    grid, slack = grid_minimum(Wealth(-wealth.const, -wealth.linear, -wealth.quadratic), *ends)
    assert best == wealth.at(where)
    assert -grid <= best + 1e-12 * size(wealth)
    assert best - (-grid) <= slack + 1e-12 * size(wealth)


@given(wealths, st.floats(-1, 1), st.floats(0.01, 2))
def test_the_expected_wealth_is_const_plus_linear_mean_plus_quadratic_second_moment(
    wealth: Wealth, mean: float, sd: float
) -> None:
    nodes, weights = np.polynomial.hermite_e.hermegauss(8)  # exact for polynomials of degree ≤ 15
    z = mean + sd * nodes
    want = float(np.sum(weights * (wealth.const + z * (wealth.linear + z * wealth.quadratic))) / np.sqrt(2 * np.pi))
    assert abs(wealth.expected(mean, sd) - want) <= 1e-12 * size(wealth) * 10
