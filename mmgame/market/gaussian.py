"""The Gaussian exponential family in natural parameters θ = (μ/σ², −1/(2σ²)).

These are the seed notebook's formulas; the engine uses them in scaled coordinates (see scale.py),
where every number stays of order one.
"""

from __future__ import annotations

import math


def log_partition(theta_1: float, theta_2: float) -> float:
    """A(θ) = −θ₁²/(4θ₂) − ½·ln(−2θ₂), the cost function C(q) for b = 1."""
    return -(theta_1**2) / (4 * theta_2) - 0.5 * math.log(-2 * theta_2)


def prices(theta_1: float, theta_2: float) -> tuple[float, float]:
    """∇A(θ) = (E[x], E[x²]) = (−θ₁/(2θ₂), θ₁²/(4θ₂²) − 1/(2θ₂))."""
    return -theta_1 / (2 * theta_2), theta_1**2 / (4 * theta_2**2) - 1 / (2 * theta_2)


def natural(mean: float, sd: float) -> tuple[float, float]:
    """(μ, σ) → θ = (μ/σ², −1/(2σ²))."""
    variance = sd * sd
    return mean / variance, -1 / (2 * variance)


def moments(theta_1: float, theta_2: float) -> tuple[float, float]:
    """θ → (μ, σ); θ₂ must be negative."""
    variance = -1 / (2 * theta_2)
    return theta_1 * variance, math.sqrt(variance)


def log_density(x: float, mean: float, sd: float) -> float:
    """ln N(x; μ, σ²)."""
    u = (x - mean) / sd
    return -0.5 * u * u - math.log(sd) - 0.5 * math.log(2 * math.pi)
