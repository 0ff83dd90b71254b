"""Choosing the liquidity b (DESIGN 1.5) by simulation: a classroom of aggregation bots, many markets.

Each market asks for a hidden truth T drawn from the prior. Every bot sees a private noisy signal of T
with its own noise σᵢ, so its belief N(T + noise, σᵢ²) is calibrated; it has exponential utility with
risk aversion aᵢ per point and a budget of 1,000 points, and trades by best response (mmgame.market.
aggregation) through `settle`, so collateral is enforced exactly as for players. For each b it prints:

- error of the market's final mean, of the crowd's plain average of beliefs, and of the prior, in the
  question's units (mean |· − T|), and how often the market beats the crowd;
- how much a single trade moves the market (median |Δμ| in % of the range, and the first trade's);
- the share of trades cut by collateral (filled only in part, or refused);
- the house's loss at T against its subsidy bound b·[ln(σ₀/σ_min) + D²/(2σ₀²)].

Run: python3 benchmarks/liquidity.py [--markets 100] [--bots 20] [--rounds 10] [--budget 1000] [--risk 0.5 5]

What it showed (seed 1, 150 markets, 10 rounds; b = 10, 30, 50, 100, 200): the market's error falls
20.5, 15.5, 12.8, 11.4, then stops improving (11.5), while the share of trades cut by collateral climbs
23%, 39%, 46%, 54%, 61% (refused outright: 2%, 9%, 18%, 28%, 37%). A median trade moves the market 6.6%,
3.7%, 2.8%, 1.5%, 0.6% of the range. The house loses 15% of its bound on average, at most 49%. Only
budget/b and a·b matter: b and the budget ×k with a ÷k print the same row. With collateral off
(--budget 1e9) the market beats the crowd's average in 55–63% of markets for b ≥ 50; with 1,000-point
budgets in 20–36%: collateral, not b, is what keeps traders from reaching the consensus.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mmgame.market import (
    Curve,
    GaussianMarket,
    InsufficientCollateral,
    Range,
    Trader,
    Wealth,
    best_response,
    consensus,
    settle,
    toward_order,
)

QUESTION = Range(Decimal(0), Decimal(300))
PRIOR = (Decimal(150), Decimal(75))  # the default prior of a new market: the middle, σ a quarter of the range
BUDGET = 1000.0
LIQUIDITIES = (3.0, 10.0, 20.0, 30.0, 50.0, 100.0, 200.0)
NOISE = (10.0, 60.0)  # each bot's signal noise σᵢ, in the question's units
RISK = (0.5, 5.0)  # a·1,000 points: from mild to strong risk aversion


@dataclass
class Tally:
    """What one liquidity did over many markets."""

    market_error: list[float] = field(default_factory=list)
    crowd_error: list[float] = field(default_factory=list)
    prior_error: list[float] = field(default_factory=list)
    consensus_error: list[float] = field(default_factory=list)
    moves: list[float] = field(default_factory=list)
    first_moves: list[float] = field(default_factory=list)
    trades: int = 0
    cut: int = 0
    refused: int = 0
    house_share: list[float] = field(default_factory=list)
    final_sd: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Setup:
    bots: int
    rounds: int
    budget: float
    risk: tuple[float, float]


def play_market(b: float, setup: Setup, rng: random.Random, turns: random.Random, tally: Tally) -> None:
    """One market: draw the truth and the crowd from `rng`, the order of turns from `turns`."""
    market = GaussianMarket.create(QUESTION, b, *PRIOR)
    width = float(QUESTION.hi - QUESTION.lo)
    truth = min(max(rng.gauss(float(PRIOR[0]), float(PRIOR[1])), 0.0), width)
    traders, wealth = [], []
    for _ in range(setup.bots):
        noise = rng.uniform(*NOISE)
        belief = Curve(QUESTION.to_z(truth + rng.gauss(0, noise)), QUESTION.sd_to_z(noise))
        traders.append(Trader(belief, rng.uniform(*setup.risk) / 1000))
        wealth.append(Wealth(setup.budget))
    predicted = consensus(market, traders)
    first = True
    for _ in range(setup.rounds):
        for i in turns.sample(range(setup.bots), setup.bots):
            trader = traders[i]
            holdings = (wealth[i].linear, wealth[i].quadratic)
            target = best_response(market, trader.belief, trader.risk_aversion, holdings)
            tally.trades += 1
            try:
                result = settle(market, wealth[i], toward_order(market, target))
            except InsufficientCollateral:
                tally.refused += 1
                continue
            tally.cut += result.move.fraction < 1
            moved = abs(result.move.after.mean - market.curve.mean) / 2 * 100  # z spans 2: % of the range
            tally.moves.append(moved)
            if first:
                tally.first_moves.append(moved)
                first = False
            market, wealth[i] = market.trade(result.move), result.wealth_after
    crowd = statistics.fmean(QUESTION.to_x(t.belief.mean) for t in traders)
    tally.market_error.append(abs(market.mean - truth))
    tally.crowd_error.append(abs(crowd - truth))
    tally.prior_error.append(abs(float(PRIOR[0]) - truth))
    tally.consensus_error.append(abs(QUESTION.to_x(predicted.mean) - truth))
    tally.final_sd.append(market.sd)
    tally.house_share.append(market.house_result(Decimal(repr(truth))) / market.subsidy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markets", type=int, default=100)
    parser.add_argument("--bots", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--budget", type=float, default=BUDGET, help="1e9 switches collateral off in effect")
    parser.add_argument("--risk", type=float, nargs=2, default=RISK, help="range of a·1,000 points")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--liquidity", type=float, nargs="*", default=LIQUIDITIES)
    args = parser.parse_args()
    setup = Setup(args.bots, args.rounds, args.budget, tuple(args.risk))
    print(
        f"{args.markets} markets per b on [0, 300], prior N(150, 75²), σ_min 1.5; {setup.bots} bots × {setup.rounds}"
        f" rounds, budget {setup.budget:g}, signal noise {NOISE[0]:g}–{NOISE[1]:g}, a·1000 {setup.risk[0]:g}–"
        f"{setup.risk[1]:g}. Errors are mean |mean − truth| in the question's units; moves in % of the range."
    )
    print(
        f"{'b':>6} {'market err':>10} {'crowd err':>9} {'θ* err':>7} {'prior err':>9} {'beats crowd':>11}"
        f" {'move/trade':>10} {'1st move':>8} {'cut':>6} {'refused':>7} {'final σ':>7}"
        f" {'house loss/bound':>17} {'subsidy':>8}"
    )
    for b in args.liquidity:
        # The same truths and crowds for every b and every number of rounds.
        rng, turns = random.Random(args.seed), random.Random(args.seed + 1)
        tally, started = Tally(), time.perf_counter()
        for _ in range(args.markets):
            play_market(b, setup, rng, turns, tally)
        beats = statistics.fmean(m < c for m, c in zip(tally.market_error, tally.crowd_error, strict=True))
        subsidy = GaussianMarket.create(QUESTION, b, *PRIOR).subsidy()
        house = f"{statistics.fmean(tally.house_share):+8.3f} max {max(tally.house_share):+.3f}"
        print(
            f"{b:6g} {statistics.fmean(tally.market_error):10.2f} {statistics.fmean(tally.crowd_error):9.2f}"
            f" {statistics.fmean(tally.consensus_error):7.2f} {statistics.fmean(tally.prior_error):9.2f}"
            f" {beats:11.0%} {statistics.median(tally.moves):9.2f}% {statistics.median(tally.first_moves):7.2f}%"
            f" {(tally.cut + tally.refused) / tally.trades:6.0%} {tally.refused / tally.trades:7.0%}"
            f" {statistics.fmean(tally.final_sd):7.2f} {house} {subsidy:8.0f}"
            f"   ({time.perf_counter() - started:.1f} s)"
        )


if __name__ == "__main__":
    main()
