"""Hypothesis strategies for markets and forecasts, in the question's units (exact decimals)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from mmgame.market import Curve, GaussianMarket, Range

# Where questions live: around zero, at a billion, negative, tiny and huge scales.
CENTRES = [Decimal(0), Decimal("1e9"), Decimal("-123456.789"), Decimal("0.001"), Decimal("5e14")]
HALF_WIDTHS = [Decimal("0.001"), Decimal(1), Decimal(150), Decimal(1000), Decimal("1e6")]
STEPS = 10**9  # the grid exact decimal means are drawn on


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    centre, half = draw(st.sampled_from(CENTRES)), draw(st.sampled_from(HALF_WIDTHS))
    return Range(centre - half, centre + half)


@st.composite
def means(draw: st.DrawFn, range: Range) -> Decimal:
    """An exact decimal in [lo, hi], the ends included."""
    return range.lo + (range.hi - range.lo) * draw(st.integers(0, STEPS)) / STEPS


@st.composite
def forecasts(draw: st.DrawFn, market: GaussianMarket) -> tuple[Decimal, Decimal]:
    """(mean, sd) a target order may ask for: mean in range, σ from σ_min up to the range's width, moved
    to the nearest fair curve (docs/maths.md § Bounded loss) when it is not fair, so the boundary is drawn often."""
    sd = market.sd_min * draw(st.integers(1000, 200_000)) / 1000
    return market.nearest_fair(draw(means(market.range)), sd)


@st.composite
def markets(draw: st.DrawFn, liquidity: st.SearchStrategy[float] | None = None) -> GaussianMarket:
    """A market with σ_min = 1/200 of its range (the default) and a valid prior."""
    range = draw(ranges())
    b = draw(liquidity if liquidity is not None else st.sampled_from([1.0, 10.0, 30.0, 100.0]))
    sd_min = (range.hi - range.lo) / 200
    market = GaussianMarket.create(range, b, range.centre, sd_min, sd_min=sd_min)
    mean, sd = draw(forecasts(market))
    return GaussianMarket.create(range, b, mean, sd, sd_min=sd_min)


def log_uniform(lo_exponent: float, hi_exponent: float) -> st.SearchStrategy[float]:
    return st.floats(lo_exponent, hi_exponent).map(lambda e: 10.0**e)


@st.composite
def targets(draw: st.DrawFn, market: GaussianMarket) -> Curve:
    return market.curve_from_x(*draw(forecasts(market)))
