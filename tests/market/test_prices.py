"""Prices are the gradient of the cost function: (E[x], E[x²]) of the market's curve (docs/maths.md § The market
maker)."""

from __future__ import annotations

import math

import mpmath
from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame.market import Curve, MarketMaker, gaussian

from .reference import mp

curves = st.builds(Curve, st.floats(-50, 50), st.floats(0.05, 20))


def numerical_gradient(theta_1: float, theta_2: float) -> tuple[mpmath.mpf, mpmath.mpf]:
    """∂A/∂θ₁, ∂A/∂θ₂ by mpmath's numerical differentiation of A(θ) = −θ₁²/(4θ₂) − ½ln(−2θ₂)."""

    def log_partition(t_1: mpmath.mpf, t_2: mpmath.mpf) -> mpmath.mpf:
        return -(t_1**2) / (4 * t_2) - mp.log(-2 * t_2) / 2

    t_1, t_2 = mp.mpf(theta_1), mp.mpf(theta_2)
    return (
        mp.diff(lambda t: log_partition(t, t_2), t_1),
        mp.diff(lambda t: log_partition(t_1, t), t_2),
    )


@settings(max_examples=150)
@given(curves)
def test_prices_equal_the_numerical_gradient_of_the_cost_function(curve: Curve) -> None:
    theta_1, theta_2 = curve.natural
    p_1, p_2 = gaussian.prices(theta_1, theta_2)
    g_1, g_2 = numerical_gradient(theta_1, theta_2)
    assert math.isclose(p_1, float(g_1), rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(p_2, float(g_2), rel_tol=1e-12)


@given(curves)
def test_prices_are_the_mean_and_the_second_moment(curve: Curve) -> None:
    p_1, p_2 = gaussian.prices(*curve.natural)
    assert math.isclose(p_1, curve.mean, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(p_2, curve.mean**2 + curve.sd**2, rel_tol=1e-12)


def test_the_notebook_prose_sign_slip_on_p2_is_not_what_the_engine_computes() -> None:
    """The prose writes p₂ = −θ₁²/(4θ₂²) − 1/(2θ₂); at the seed prior that is −0 + 10⁴, not E[x²] = 2·10⁴."""
    theta_1, theta_2 = 1 / 100, -1 / 20000
    prose = -(theta_1**2) / (4 * theta_2**2) - 1 / (2 * theta_2)
    _, gradient = numerical_gradient(theta_1, theta_2)
    assert math.isclose(MarketMaker.calc_current_market_price(theta_1, theta_2)[1], float(gradient), rel_tol=1e-12)
    assert math.isclose(float(gradient), 20000, rel_tol=1e-12)
    assert not math.isclose(prose, float(gradient), rel_tol=1e-3)


@given(curves, st.floats(-60, 60))
def test_log_partition_and_log_density_agree_with_the_exponential_family_form(curve: Curve, z: float) -> None:
    """ln p_θ(z) = θ₁z + θ₂z² − A(θ) − ½ln(2π): the cost function is the log-partition of the curve."""
    theta_1, theta_2 = curve.natural
    family = theta_1 * z + theta_2 * z * z - gaussian.log_partition(theta_1, theta_2) - 0.5 * math.log(2 * math.pi)
    scale = abs(theta_1 * z) + abs(theta_2 * z * z) + abs(gaussian.log_partition(theta_1, theta_2)) + 1
    assert abs(curve.log_density(z) - family) <= 1e-13 * scale
