"""Exact at the corners of the host's form (docs/maths.md § Exactness): the largest b, σ at σ_min = range/10⁴, curves at
either edge, magnitudes from 10⁻⁶ to 10⁹, budgets up to 10⁹ — against 50-digit arithmetic.

Exact means mpmath over the curves the market recorded (doubles in z, exact binary values): a trade's
profit is b·[ln p_after(z) − ln p_before(z)], a position the budget plus its trades' profits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmgame.market import Curve, GaussianMarket, MarketError, Order, Range, Wealth, fair, settle

from . import reference
from .strategies import CENTRES, HALF_WIDTHS, STEPS, means

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


@dataclass(frozen=True)
class Scenario:
    """A corner market, a budget, orders by two traders, an outcome."""

    market: GaussianMarket
    budget: float
    orders: list[tuple[int, Order]]
    outcome: Decimal

    def play(self, worst: list[float]) -> None:
        """Settle the orders, check every invariant after each, and the payouts and books at the outcome.

        `worst` collects |payout − exact| / max(|exact|, budget): the figure quoted in the README.
        """
        market, budget = self.market, self.budget
        b, question, prior = market.liquidity, market.range, market.curve
        books = [Book(budget, Wealth(budget)), Book(budget, Wealth(budget))]
        for who, order in self.orders:
            book = books[who]
            try:
                result = settle(market, book.wealth, order)
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
        z, z_exact = reference.z_of(question, self.outcome), question.exact_z(self.outcome)
        won = mp.mpf(0)
        for book in books:
            want, got = book.exact_at(b, z), book.wealth.at(z_exact)
            error = float(abs(mp.mpf(got) - want) / max(abs(want), mp.mpf(budget)))
            worst.append(error)
            assert error <= 1e-9, (got, want)
            won += want - budget
        # The books: the traders won what the market's curve says the house lost, b·ln(p_final/p_prior).
        assert abs(won - z_profit(b, prior, market.curve, z)) <= 1e-9 * 2 * budget
        assert float(won) <= market.subsidy() * (1 + 1e-9) + 1e-9 * budget


def corner_market(choose, point) -> tuple[GaussianMarket, float]:
    """`choose` picks from a list, `point(range)` draws a decimal in the range (hypothesis or a seed)."""
    centre, half = choose(CENTRES), choose(HALF_WIDTHS)
    question = Range(centre - half, centre + half)
    sd_min = (question.hi - question.lo) / 10_000
    b = choose(LIQUIDITIES)
    probe = GaussianMarket.create(question, b, question.centre, sd_min, sd_min)
    edge = choose([question.lo, question.hi, point(question)])
    sd = sd_min * choose([1, 2, 100, 10_000])
    return GaussianMarket.create(question, b, *probe.nearest_fair(edge, sd), sd_min), choose(BUDGETS)


def corner_order(market: GaussianMarket, choose, point) -> Order:
    kind = choose(["target", "toward", "toward", "close"])
    if kind == "close":
        return Order("close")
    question = market.range
    mean = choose([question.lo, question.hi, point(question)])
    sd = market.sd_min * choose([1, 1, 3, 1000])
    if kind == "target":
        mean, sd = market.nearest_fair(mean, sd)
    return Order(kind, mean=mean, sd=sd)


def scenario(choose, point, count: int) -> Scenario:
    market, budget = corner_market(choose, point)
    orders = [(choose([0, 1]), corner_order(market, choose, point)) for _ in range(count)]
    question = market.range
    return Scenario(market, budget, orders, choose([question.lo, question.hi, point(question)]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_at_the_corners_every_trade_payout_and_the_books_are_exact(data: st.DataObject) -> None:
    def choose(values: list) -> object:
        return data.draw(st.sampled_from(values))

    def point(question: Range) -> Decimal:
        return data.draw(means(question))

    scenario(choose, point, data.draw(st.integers(1, 6))).play([])


def test_a_fixed_sweep_of_corner_markets_prints_the_largest_error() -> None:
    """Run with -s: the worst payout error over the sweep, relative to max(|exact|, budget)."""
    rng = random.Random(20261129)

    def point(question: Range) -> Decimal:
        return question.lo + (question.hi - question.lo) * rng.randint(0, STEPS) / STEPS

    worst: list[float] = []
    for _ in range(150):
        scenario(rng.choice, point, rng.randint(1, 6)).play(worst)
    print(f"\ncorner sweep: {len(worst)} payouts, worst error {max(worst):.2e} of max(|exact|, budget)")
