"""Exact references at 50 digits (mpmath), computed from the same decimal inputs the engine receives.

Relative error is measured against max(|exact|, FLOOR · scale), where `scale` is the size of the terms
the ledger adds up in z = (x − c)/s: b·Σ [1 + |ln σᵢ| + (|z| + |μᵢ|)²/(2σᵢ²)] over the curves involved.
Why a floor: a profit crosses zero where ln p′(x) = ln p(x), and there its relative error is unbounded
for any finite-precision input. The engine holds curves and positions as doubles in z (the database
stores them so), which carry a rounding of 2⁻⁵³ of the terms that cancel; a result smaller than a
millionth of those terms is a cancellation no double can resolve to 1e-9 of itself. Below the floor the
requirement becomes an absolute one: error ≤ 1e-9 · 1e-6 · scale, i.e. a few units in the last place.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import mpmath

from mmgame.market import Range

DIGITS = 50
FLOOR = 1e-6
TOLERANCE = 1e-9

# A context of our own, so the 50 digits do not leak into mpmath.mp for other tests.
mp = mpmath.MPContext()
mp.dps = DIGITS

Forecast = tuple[Decimal, Decimal]


def exact(value: Decimal | float) -> mpmath.mpf:
    """A decimal or double as an mpf, without rounding through a double."""
    return mp.mpf(str(value)) if isinstance(value, Decimal) else mp.mpf(value)


def log_density(x: Decimal, forecast: Forecast) -> mpmath.mpf:
    mean, sd = (exact(v) for v in forecast)
    return -((exact(x) - mean) ** 2) / (2 * sd**2) - mp.log(sd) - mp.log(2 * mp.pi) / 2


def profit(b: float, before: Forecast, after: Forecast, x: Decimal) -> mpmath.mpf:
    """b·[ln p′(x) − ln p(x)]: what moving the market from `before` to `after` earns at x."""
    return exact(b) * (log_density(x, after) - log_density(x, before))


def in_z(range: Range, forecast: Forecast) -> tuple[mpmath.mpf, mpmath.mpf]:
    c, s = exact(range.centre), exact(range.half_width)
    return (exact(forecast[0]) - c) / s, exact(forecast[1]) / s


def z_of(range: Range, x: Decimal) -> mpmath.mpf:
    return (exact(x) - exact(range.centre)) / exact(range.half_width)


def cost(range: Range, b: float, before: Forecast, after: Forecast) -> mpmath.mpf:
    """b·[A(θ′) − A(θ)] in z, where A = μ²/(2σ²) + ln σ: the price of the move the ledger records."""

    def log_partition(forecast: Forecast) -> mpmath.mpf:
        mean, sd = in_z(range, forecast)
        return mean**2 / (2 * sd**2) + mp.log(sd)

    return exact(b) * (log_partition(after) - log_partition(before))


def scale(range: Range, b: float, forecasts: Iterable[Forecast], x: Decimal | None = None) -> mpmath.mpf:
    """The size of the terms the engine adds up in z for these curves (at outcome x, if any)."""
    z = abs(z_of(range, x)) if x is not None else 0
    total = mp.mpf(0)
    for forecast in forecasts:
        mean, sd = in_z(range, forecast)
        total += 1 + abs(mp.log(sd)) + (z + abs(mean)) ** 2 / (2 * sd**2)
    return exact(b) * total


def relative_error(got: float, want: mpmath.mpf, scale: mpmath.mpf) -> float:
    """|got − want| / max(|want|, FLOOR · scale): see the module's docstring for the floor."""
    error, size = abs(mp.mpf(got) - want), max(abs(want), FLOOR * scale)
    return float(error / size) if size else (0.0 if error == 0 else float("inf"))
