"""Numbers stay exact: ≤ 1e-9 relative error against mpmath at 50 digits, from 1e-6 to 1e9 (docs/maths.md § Exactness).

Inputs in the question's units are decimals, as they reach the engine from the database and the API;
the references are computed from the same decimals. See reference.py for the floor near zero crossings.
Run with -s to see the largest errors measured over a fixed sweep.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

import mpmath
from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame.market import GaussianMarket, Range, Wealth

from . import reference
from .reference import Forecast
from .strategies import CENTRES, HALF_WIDTHS, STEPS, forecasts, log_uniform, markets, means


@dataclass
class Errors:
    """The largest relative error seen per kind of quantity, and the magnitudes it was seen over."""

    worst: dict[str, float] = field(default_factory=dict)
    smallest: float = float("inf")
    largest: float = 0.0
    floored: int = 0
    count: int = 0
    plain: float = 0.0  # the largest |error|/|exact| with no floor, over magnitudes 1e-6 .. 1e9

    def check(self, kind: str, got: float, want: mpmath.mpf, scale: mpmath.mpf) -> None:
        error = reference.relative_error(got, want, scale)
        self.worst[kind] = max(self.worst.get(kind, 0.0), error)
        self.count += 1
        magnitude = float(abs(want))
        if 1e-6 <= magnitude <= 1e9:
            self.plain = max(self.plain, float(abs(reference.mp.mpf(got) - want) / abs(want)))
        if magnitude == 0 or magnitude < reference.FLOOR * scale:
            self.floored += 1
        else:
            self.smallest, self.largest = min(self.smallest, magnitude), max(self.largest, magnitude)
        assert error <= reference.TOLERANCE, (kind, got, want)


@dataclass(frozen=True)
class Scenario:
    """A market, a trader's budget, trades (mine or someone else's) to exact decimal targets, an outcome."""

    range: Range
    liquidity: float
    prior: Forecast
    budget: float
    trades: list[tuple[bool, Forecast]]
    outcome: Decimal

    def play(self, errors: Errors) -> None:
        """Check every trade's cost and profit at the outcome, then my wealth there."""
        range, b, x = self.range, self.liquidity, self.outcome
        market = GaussianMarket.create(range, b, *self.prior, sd_min=(range.hi - range.lo) / 200)
        z = range.to_z(x)
        current = self.prior
        wealth, exact_wealth, curves = Wealth(self.budget), reference.exact(self.budget), []
        for mine, target in self.trades:
            move = market.move(market.curve_from_x(*target))
            cost_scale = reference.scale(range, b, [current, target])
            errors.check("cost", move.cost, reference.cost(range, b, current, target), cost_scale)
            profit, scale = reference.profit(b, current, target, x), reference.scale(range, b, [current, target], x)
            errors.check("profit (ledger polynomial)", move.pnl.at(z), profit, scale)
            errors.check("profit (log ratio)", market.profit_at(move.after, x), profit, scale)
            if mine:
                wealth, exact_wealth = wealth + move.pnl, exact_wealth + profit
                curves += [current, target]
            market, current = market.trade(move), target
        scale = reference.scale(range, b, curves, x) + abs(reference.exact(self.budget))
        errors.check("wealth after the trades", wealth.at(z), exact_wealth, scale)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    market = draw(markets(liquidity=log_uniform(-6, 5)))
    prior = draw(forecasts(market))
    trades = draw(st.lists(st.tuples(st.booleans(), forecasts(market)), min_size=1, max_size=4))
    budget = draw(st.sampled_from([0.0, 1.0, 1000.0]))
    return Scenario(market.range, market.liquidity, prior, budget, trades, draw(means(market.range)))


def random_scenario(rng: random.Random) -> Scenario:
    """The same space as `scenarios`, drawn from a fixed seed, with σ at or next to σ_min often."""
    centre, half = rng.choice(CENTRES), rng.choice(HALF_WIDTHS)
    question = Range(centre - half, centre + half)
    sd_min = (question.hi - question.lo) / 200

    def point() -> Decimal:
        return question.lo + (question.hi - question.lo) * rng.randint(0, STEPS) / STEPS

    def forecast() -> Forecast:
        return point(), sd_min * rng.choice([1000, 1001, rng.randint(1000, 200_000)]) / 1000

    trades = [(rng.random() < 0.6, forecast()) for _ in range(rng.randint(1, 4))]
    # The prior must be fair (docs/maths.md § Bounded loss): the nearest fair one to a drawn forecast, often on the
    # boundary.
    prior = GaussianMarket.create(question, 1, question.centre, sd_min, sd_min).nearest_fair(*forecast())
    return Scenario(question, 10 ** rng.uniform(-6, 5), prior, rng.choice([0.0, 1.0, 1000.0]), trades, point())


def test_the_issue_example_earns_23_689355131_points() -> None:
    """N(1e9, 1) → N(1e9 + 0.5, 0.8²) with b = 100 earns 100·(ln p′ − ln p) at x = 1e9 + 0.3."""
    question = Range(Decimal("999999990"), Decimal("1000000010"))
    market = GaussianMarket.create(question, 100, Decimal("1e9"), Decimal(1))
    target = market.curve_from_x(Decimal("1000000000.5"), Decimal("0.8"))
    x = Decimal("1000000000.3")
    want = reference.profit(100, (Decimal("1e9"), Decimal(1)), (Decimal("1000000000.5"), Decimal("0.8")), x)
    assert mpmath.nstr(want, 11) == "23.689355131"
    for got in (market.profit_at(target, x), market.move(target).pnl.at(question.to_z(x))):
        assert abs(got - float(want)) <= 1e-12 * float(want)


@given(st.data())
def test_decimal_outcomes_reach_z_correctly_rounded(data: st.DataObject) -> None:
    """10⁹ + 0.3 is not a double: (x − c)/s is done in decimals, then rounded to the nearest double once."""
    market = data.draw(markets())
    x = data.draw(means(market.range))
    assert market.range.to_z(x) == float(reference.z_of(market.range, x))


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_costs_profits_and_wealth_are_within_1e_9_of_mpmath(scenario: Scenario) -> None:
    scenario.play(Errors())


def test_near_a_zero_crossing_the_profit_is_exact_to_a_few_units_in_the_last_place() -> None:
    """Where ln p′(x) = ln p(x) the profit is 0: the error there is bounded by the floor, absolutely."""
    question = Range(Decimal("999999000"), Decimal("1000001000"))
    before, after = (Decimal("1e9"), Decimal(20)), (Decimal("1000000015"), Decimal(25))
    market = GaussianMarket.create(question, 30, *before)
    target = market.curve_from_x(*after)
    crossing = reference.mp.findroot(
        lambda x: reference.profit(1, before, after, Decimal(reference.mp.nstr(x, 40))), reference.mp.mpf(1e9 + 40)
    )
    x = Decimal(reference.mp.nstr(crossing, 40))
    want = reference.profit(30, before, after, x)
    scale = reference.scale(question, 30, [before, after], x)
    assert abs(want) < 1e-20 * scale  # really at the crossing
    for got in (market.profit_at(target, x), market.move(target).pnl.at(question.to_z(x))):
        assert abs(got - want) <= reference.TOLERANCE * reference.FLOOR * scale


def test_a_fixed_sweep_of_2000_markets_stays_within_1e_9_and_prints_the_largest_error() -> None:
    errors = Errors()
    rng = random.Random(20261126)
    for _ in range(2000):
        random_scenario(rng).play(errors)
    print(
        f"\nprecision sweep: {errors.count} quantities, {errors.floored} zero or under the floor, "
        f"magnitudes {errors.smallest:.1e} .. {errors.largest:.1e}"
    )
    for kind, worst in sorted(errors.worst.items()):
        print(f"  max relative error, {kind}: {worst:.2e}")
    print(f"  max relative error with no floor, magnitudes 1e-6 .. 1e9: {errors.plain:.2e}")
    # The sweep covers the range docs/maths.md § Exactness names.
    assert errors.smallest <= 1e-6 and errors.largest >= 1e9
