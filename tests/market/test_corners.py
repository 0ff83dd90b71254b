"""Exact at the corners of the host's form (DESIGN 1.3): the largest b, σ at σ_min = range/10⁴, curves at
either edge, magnitudes from 10⁻⁶ to 10⁹, budgets up to 10⁹ — against 50-digit arithmetic.

Exact means mpmath over the curves the market recorded (doubles in z, exact binary values): a trade's
profit is b·[ln p_after(z) − ln p_before(z)], a position the budget plus its trades' profits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmgame.market import Curve, GaussianMarket, MarketError, Order, Range, Wealth, fair, settle

from . import reference
from .strategies import CENTRES, HALF_WIDTHS, means

mp = reference.mp
LIQUIDITIES = [1e-6, 1.0, 30.0, 1000.0, 1e9]
BUDGETS = [1.0, 1000.0, 1e9]


def z_profit(b: float, before: Curve, after: Curve, z: reference.mpmath.mpf) -> reference.mpmath.mpf:
    """b·[ln p′(z) − ln p(z)] at 50 digits (the log ratio is the same in z as in x)."""
    m, s, m2, s2 = (mp.mpf(v) for v in (before.mean, before.sd, after.mean, after.sd))
    return mp.mpf(b) * ((z - m) ** 2 / (2 * s**2) - (z - m2) ** 2 / (2 * s2**2) + mp.log(s / s2))


@dataclass
class Book:
    """One trader's budget, their wealth as the engine keeps it, and their trades' curves."""

    budget: float
    wealth: Wealth
    moves: list[tuple[Curve, Curve]] = field(default_factory=list)

    def exact_at(self, b: float, z: reference.mpmath.mpf) -> reference.mpmath.mpf:
        return mp.mpf(self.budget) + sum((z_profit(b, p, q, z) for p, q in self.moves), mp.mpf(0))

    def exact_lowest(self, b: float) -> reference.mpmath.mpf:
        """min over z ∈ [−1, 1] of the exact quadratic: at the ends or the vertex."""
        at = [self.exact_at(b, mp.mpf(z)) for z in (-1, 0, 1)]
        quadratic = (at[0] + at[2]) / 2 - at[1]
        linear = (at[2] - at[0]) / 2
        candidates = [at[0], at[2]]
        if quadratic > 0 and -1 < -linear / (2 * quadratic) < 1:
            candidates.append(self.exact_at(b, -linear / (2 * quadratic)))
        return min(candidates)


@st.composite
def corner_markets(draw: st.DrawFn) -> tuple[GaussianMarket, float]:
    centre, half = draw(st.sampled_from(CENTRES)), draw(st.sampled_from(HALF_WIDTHS))
    range = Range(centre - half, centre + half)
    sd_min = (range.hi - range.lo) / 10_000
    b = draw(st.sampled_from(LIQUIDITIES))
    probe = GaussianMarket.create(range, b, range.centre, sd_min, sd_min)
    edge = draw(st.sampled_from([range.lo, range.hi, draw(means(range))]))
    sd = sd_min * draw(st.sampled_from([1, 2, 100, 10_000]))
    return GaussianMarket.create(range, b, *probe.nearest_fair(edge, sd), sd_min), draw(st.sampled_from(BUDGETS))


@st.composite
def corner_orders(draw: st.DrawFn, market: GaussianMarket) -> Order:
    kind = draw(st.sampled_from(["target", "toward", "toward", "close"]))
    if kind == "close":
        return Order("close")
    range = market.range
    mean = draw(st.sampled_from([range.lo, range.hi, draw(means(range))]))
    sd = market.sd_min * draw(st.sampled_from([1, 1, 3, 1000]))
    if kind == "target":
        mean, sd = market.nearest_fair(mean, sd)
    return Order(kind, mean=mean, sd=sd)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_at_the_corners_every_trade_payout_and_the_books_are_exact(data: st.DataObject) -> None:
    market, budget = data.draw(corner_markets())
    b, question = market.liquidity, market.range
    prior = market.curve
    books = [Book(budget, Wealth(budget)), Book(budget, Wealth(budget))]
    for _ in range(data.draw(st.integers(1, 6))):
        book = books[data.draw(st.integers(0, 1))]
        try:
            result = settle(market, book.wealth, data.draw(corner_orders(market)))
        except MarketError:
            continue
        move = result.move
        market, book.wealth = market.trade(move), result.wealth_after
        book.moves.append((move.before, move.after))
        # Every curve the market takes: σ ≥ σ_min exactly (in x too) and fair.
        assert Decimal(market.curve.sd) * question.half_width >= market.sd_min
        assert fair(market.curve)
        # No accepted trade leaves the trader owing anywhere on the range.
        assert book.exact_lowest(b) >= -1e-9 * budget
    x = data.draw(st.sampled_from([question.lo, question.hi, data.draw(means(question))]))
    z = reference.z_of(question, x)
    z_exact = question.exact_z(x)
    won = mp.mpf(0)
    for book in books:
        want = book.exact_at(b, z)
        got = book.wealth.at(z_exact)
        assert abs(mp.mpf(got) - want) <= 1e-9 * max(abs(want), mp.mpf(budget)), (got, want)
        won += want - budget
    # The books: what the traders won is what the market's curve says the house lost, b·ln(p_final/p_prior).
    assert abs(won - z_profit(b, prior, market.curve, z)) <= 1e-9 * 2 * budget
    assert float(won) <= market.subsidy() * (1 + 1e-9) + 1e-9 * budget
