"""How often the lesson says "trading pooled what each of you was told", by who traded on their clues.

Classes of 8, 12 and 30 trade a market with private clues in which all, half or none of them trade on their
clue (docs/lesson-numbers.md, "Did the market pool the clues?"). Each market is the game's own: its engine
from the service's defaults (`market_engine`: liquidity "normal", σ_min by default, 1,000 points a seat) and
each seat's clue drawn by the game's rule (`mmgame.services.clues.draw`, τ from the market's public noise
setting), every trade filled by the engine's `fill` (the service's collateral rule, no database). Two
questions alternate, the answer drawn uniformly within one σ₀ of the starting middle (the form warns outside
it):

- a log market, 10 to 100,000, starting at 1,000 ×/÷ e^0.5, clues ±15 % (τ = ln 1.15), as in
  tests/services/test_pooling.py;
- a count of beans, 0 to 300, starting at 100 ± 50, clues ±10 beans (whole numbers, as the game rounds them).

The traders, five rounds each in a shuffled order (ROUNDS), are this module's own (not the practice traders):

- **careful** (trades on its clue): the Bayesian belief from the starting curve and its clue, typed with a
  person's jitter (its middle moved by N(0, (0.25·s)²), its give-or-take scaled by e^N(0, 0.2²)), and traded as
  an exponential-utility best response with a = 1/b·e^N(0, 0.3²) (docs/maths.md § Aggregation; the
  informed practice traders take 1/b): the market's fixed point is the risk-tolerance-weighted average of the beliefs;
- **typical student** (trades on what they know, not on the clue): a belief off the answer by N(0, 20 %)
  (by a factor e^N(0, ln 1.5) on the log market), typed as a 90 % range of ±20 % (×/÷ 2), the market moved
  toward it as far as their budget allows;
- **random**: moves the market's middle by N(0, 0.3) of its give-or-take and its give-or-take by
  e^N(0, 0.15), toward that curve as far as the budget allows.

"All": every seat careful; "half": ⌊n/2⌋ careful, the rest typical or random (a coin each); "none": nobody
careful. Each market is judged by the lesson's rule (`mmgame.market.pooling`) and by the rule before it
(the market's middle nearer the true value than the typical clue). Run:

    python3 -m benchmarks.pooling                 # 200 markets a cell, seed 1
    python3 -m benchmarks.pooling --markets 400 --seed 2 --sizes 8

What it printed (200 markets a cell, seed 1; the claim now / nearer than the typical clue): careful classes of
8, 12, 30: 87.0 / 87.0 %, 93.0 / 93.0 %, 97.5 / 97.5 %; half: 10.0 / 41.0 %, 11.0 / 36.0 %, 28.5 / 46.0 %;
nobody: 2.5 / 24.5 %, 1.0 / 22.5 %, 3.5 / 29.0 %. Classes of 8, 400 markets, seeds 2 and 3: careful 87.0 %
and 88.5 %, nobody 1.5 % and 1.2 %. docs/lesson-numbers.md.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmgame.settings")

import django

django.setup()

from mmgame.market import (  # noqa: E402
    Curve,
    GaussianMarket,
    MarketError,
    Pooling,
    Wealth,
    best_response,
    fill,
    lean,
    pooling,
    toward_order,
)
from mmgame.models import Market  # noqa: E402
from mmgame.services.clues import draw, noise_sd  # noqa: E402
from mmgame.services.games import DEFAULT_BUDGET, market_engine  # noqa: E402

SIZES = (8, 12, 30)
USING = ("all", "half", "none")
ROUNDS = 5
QUESTIONS = (
    {"lo": 10, "hi": 100_000, "integer": False, "kind": "measure", "scale": "log", "prior": (None, None, 1000, 0.5),
     "noise": 15.0, "noise_kind": Market.ClueNoise.PERCENT},
    {"lo": 0, "hi": 300, "integer": True, "kind": "count", "scale": "linear", "prior": (100, 50, None, None),
     "noise": 10.0, "noise_kind": Market.ClueNoise.ABSOLUTE},
)  # fmt: skip


@dataclass
class Seat:
    kind: str  # careful, typical or random
    clue: float  # in y
    target: Curve | None = None  # a careful or typical trader's belief, in z
    aversion: float = 0.0
    wealth: Wealth = field(default_factory=lambda: Wealth(DEFAULT_BUDGET))


@dataclass(frozen=True)
class Judged:
    verdict: Pooling
    before: bool  # the old rule: the market's middle nearer the true value than the typical clue


def a_market(question: dict, rng: random.Random) -> tuple[GaussianMarket, Market]:
    """The engine and an unsaved market row (for the game's clue rule) of one question, its answer drawn."""
    q = question
    engine, (prior_mean, prior_sd) = market_engine(
        q["lo"], q["hi"], q["integer"], q["kind"], "", q["scale"], q["prior"], "normal", None
    )
    span = engine.range
    mu0, sigma0 = span.to_y(engine.prior.mean), span.sd_to_x(engine.prior.sd)
    answer = span.stored_outcome(span.point(Decimal(repr(mu0 + rng.uniform(-1, 1) * sigma0))), "answer")
    row = Market(
        lo=span.lo,
        hi=span.hi,
        integer=span.integer,
        kind=q["kind"],
        scale=q["scale"],
        prior_mean=prior_mean,
        prior_sd=prior_sd,
        answer=answer,
        clue_noise=q["noise"],
        clue_noise_kind=q["noise_kind"],
        clue_seed=rng.getrandbits(62),
    )
    return engine, row


def believing(engine: GaussianMarket, mean_y: float, sd_y: float) -> Curve:
    """N(mean, sd²) in y as a curve the market takes: the middle kept in the range, σ at least σ_min."""
    span = engine.range
    mean_y = min(max(mean_y, float(span.y_lo)), float(span.y_hi))
    centre = math.exp(mean_y) if span.log else mean_y
    return engine.curve_from_x(centre, max(sd_y, float(engine.sd_min)), field="belief")


def seats(engine: GaussianMarket, row: Market, size: int, careful: int, rng: random.Random) -> list[Seat]:
    span = engine.range
    tau = noise_sd(row)
    truth = float(span.y(Decimal(row.answer)))
    mu0, sigma0 = span.to_y(engine.prior.mean), span.sd_to_x(engine.prior.sd)
    out = []
    for i in range(size):
        clue = float(span.y(draw(row, i + 1)))
        if i < careful:
            # The Bayesian belief from the starting curve and the clue (docs/maths.md § Clues), typed as a person types.
            s2 = 1 / (1 / sigma0**2 + 1 / tau**2)
            mean, s = s2 * (mu0 / sigma0**2 + clue / tau**2), math.sqrt(s2)
            belief = believing(engine, mean + rng.gauss(0, 0.25 * s), s * math.exp(rng.gauss(0, 0.2)))
            aversion = 1 / engine.liquidity * math.exp(rng.gauss(0, 0.3))
            out.append(Seat("careful", clue, belief, aversion))
        elif rng.random() < 0.5:
            if span.log:
                middle, sd = truth + rng.gauss(0, math.log(1.5)), math.log(2) / 1.6449
            else:
                middle, sd = truth + rng.gauss(0, 0.2 * abs(truth)), 0.2 * abs(truth) / 1.6449
            out.append(Seat("typical", clue, believing(engine, middle, sd)))
        else:
            out.append(Seat("random", clue))
    rng.shuffle(out)  # who is careful is not who comes first
    return out


def aim(engine: GaussianMarket, seat: Seat, rng: random.Random) -> Curve:
    if seat.kind == "careful":
        return best_response(engine, seat.target, seat.aversion, (seat.wealth.linear, seat.wealth.quadratic))
    if seat.kind == "typical":
        return seat.target
    mean, sd = engine.range.to_y(engine.curve.mean), engine.range.sd_to_x(engine.curve.sd)
    return believing(engine, mean + rng.gauss(0, 0.3) * sd, sd * math.exp(rng.gauss(0, 0.15)))


def play(question: dict, size: int, careful: int, rng: random.Random) -> Judged:
    """One market from the start to the close, judged as the lesson judges it."""
    engine, row = a_market(question, rng)
    table = seats(engine, row, size, careful, rng)
    for _ in range(ROUNDS):
        for seat in rng.sample(table, len(table)):
            try:
                quote = fill(engine, seat.wealth, toward_order(engine, aim(engine, seat, rng)))
            except MarketError:  # refused, as a phone would be: nothing affordable or fair that way
                continue
            engine, seat.wealth = engine.trade(quote.move), quote.wealth_after
    span = engine.range
    truth = float(span.y(Decimal(row.answer)))
    middle = engine.curve.mean
    verdict = pooling(
        truth=truth,
        market=span.to_y(middle),
        clues=[seat.clue for seat in table],
        leans=[lean(seat.wealth.linear, seat.wealth.quadratic, middle) for seat in table],
    )
    return Judged(verdict, verdict.nearer)


def cell(size: int, using: str, markets: int, seed: int) -> list[Judged]:
    careful = {"all": size, "half": size // 2, "none": 0}[using]
    rng = random.Random(f"{seed} {size} {using}")
    return [play(QUESTIONS[n % len(QUESTIONS)], size, careful, rng) for n in range(markets)]


def share(flags: list[bool]) -> str:
    return f"{100 * sum(flags) / len(flags):5.1f} %"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markets", type=int, default=200, help="markets per cell")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args()
    print(f"{args.markets} markets a cell, seed {args.seed}")
    print("class  trading on clues  claim now  claim before  market error / clue error (median, p10–p90)")
    for size in args.sizes:
        for using in USING:
            judged = cell(size, using, args.markets, args.seed)
            ratios = sorted(j.verdict.market_error / j.verdict.clue_error for j in judged)
            p10, p90 = ratios[len(ratios) // 10], ratios[len(ratios) * 9 // 10]
            print(
                f"{size:5}  {using:16}  {share([j.verdict.pooled for j in judged])}  "
                f"{share([j.before for j in judged]):>12}  {statistics.median(ratios):.2f} ({p10:.2f}–{p90:.2f})"
            )


if __name__ == "__main__":
    main()
