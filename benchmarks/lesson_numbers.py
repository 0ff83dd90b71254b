"""The lesson's numbers before and after their rules were made exact (docs/lesson-numbers.md), on a seeded batch.

1. The class's average first guess: the mixture of the guesses scored by its density against the normal
   matched to its mean and variance (the old rule), on simulated classes of 8, 12 and 30 whose guesses are
   centred near the truth with errors of 5–50 % of the range (15 % of them 50–100 %) and overconfident
   spreads (σ 0.3–1.2 of the error they make), the market left at the consensus of their beliefs
   (mmgame.market.aggregation): how often "the market beat the class's average first guess" flips, and by
   how much the two scores differ.
2. Ties: the last trade's target as a practice trader sends it (20 decimal places, `toward_order`) and as
   the trade row keeps it (15 significant digits): how often the old rule, scoring the row, counted the tie
   with the market's final forecast as the market's win or loss.
3. Answers exactly on an end of a typed 90 % range ("between A and B", integers, a log market on 1 to 10⁶):
   how many the old rule (doubles, Z90 as a float) counted inside, against the exact rule.
4. The house's bound at large ranges and liquidities: how often the double rounded to nearest fell below
   the exact value (50-digit mpmath), and by how much; the bound rounded up never does.

Run: python3 benchmarks/lesson_numbers.py [--seed 1] [--markets 90]

What it printed (seed 1, 90 markets): the verdict flipped in 1 of 90 (seeds 2–5: 7, 3, 6, 3), the scores
differing by −0.99 to +1.47 nats; of 1,000 ties the old rule counted 491 as the market's wins and 476 as
losses; 559 of 1,000 answers on an end counted inside (exactly: 1,000); the bound to nearest fell below the
exact value in 507 of 1,000 markets, by up to 2.6·10⁻⁶ points (rounded up: 0). docs/lesson-numbers.md.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mpmath

from mmgame.market import (
    Z90,
    Curve,
    GaussianMarket,
    Range,
    Trader,
    consensus,
    inside_90,
    mixture_log_ratio,
    stored_quantity,
    toward_order,
)

WILD = 0.15  # the share of guesses made far off (half the range or more) with as narrow a spread
mp = mpmath.MPContext()
mp.dps = 50


def moments(curves: list[Curve]) -> Curve:
    """The old rule: the normal with the mixture's mean and variance."""
    mean = math.fsum(c.mean for c in curves) / len(curves)
    variance = math.fsum(c.sd**2 + (c.mean - mean) ** 2 for c in curves) / len(curves)
    return Curve(mean, math.sqrt(variance))


def a_class(rng: random.Random, market: GaussianMarket, truth_z: float, size: int) -> list[Curve]:
    guesses = []
    for _ in range(size):
        error = rng.uniform(0.05, 0.5) * 2  # of the range's width, in z (the range is [−1, 1])
        if rng.random() < WILD:
            error = rng.uniform(0.5, 1.0) * 2  # a confident guess far off: one a class always has
        mean = min(max(truth_z + rng.gauss(0, error), -0.98), 0.98)
        room = math.sqrt(1 - mean * mean)  # the widest fair σ there
        sd = min(max(error * rng.uniform(0.3, 1.2), market.sd_min_z), room * 0.999)
        guesses.append(Curve(mean, sd))
    return guesses


def averages(seed: int, count: int) -> None:
    rng = random.Random(seed)
    flips, differences, headline = 0, [], 0
    for n in range(count):
        size = (8, 12, 30)[n % 3]
        market = GaussianMarket.create(Range(Decimal(0), Decimal(300)), 30, 150, 75)
        truth = min(max(rng.gauss(150, 75), 0), 300)
        z = market.settle_z(truth)
        guesses = a_class(rng, market, z, size)
        final = consensus(market, [Trader(g, rng.uniform(0.01, 0.1)) for g in guesses])
        final = Curve(final.mean, max(final.sd, market.sd_min_z))
        market_score = market.prior.log_ratio(final, z)
        old = market.prior.log_ratio(moments(guesses), z)
        new = mixture_log_ratio(market.prior, guesses, z)
        differences.append(new - old)
        if (market_score > old) != (market_score > new):
            flips += 1
            headline += 1  # the average is in the headline whenever there are no clues
    print(
        f"1. average first guess: verdict flipped in {flips} of {count} markets; mixture − moments from "
        f"{min(differences):+.2f} to {max(differences):+.2f} nats (median {sorted(differences)[count // 2]:+.3f})"
    )


def ties(seed: int, count: int) -> None:
    rng = random.Random(seed + 1)
    won = lost = tied = 0
    for _ in range(count):
        market = GaussianMarket.create(Range(Decimal(0), Decimal(300)), 30, 150, 75)
        belief = Curve(rng.uniform(-0.8, 0.8), rng.uniform(0.05, 0.5))
        order = toward_order(market, belief)
        exact = market.curve_from_order(order)  # where the market's curve ends: the order, read exactly
        kept = stored_quantity(order.mean, "mean"), stored_quantity(order.sd, "sd")  # the row's 15 digits
        row = Curve(market.range.to_z(kept[0]), market.range.sd_to_z(kept[1]))
        z = market.settle_z(Decimal(rng.randint(0, 300)))
        market_score, old = market.prior.log_ratio(exact, z), market.prior.log_ratio(row, z)
        won += old < market_score
        lost += old > market_score
        tied += old == market_score
    print(
        f"2. ties: of {count} last trades that were the market's final forecast, the old rule counted "
        f"{won} as the market's wins, {lost} as losses, {tied} as ties (the new rule: all {count} ties)"
    )


def ends(seed: int, count: int) -> None:
    rng = random.Random(seed + 2)
    rng_range = Range(Decimal(1), Decimal(10**6), scale="log")
    market = GaussianMarket.create(rng_range, 30, 1000, 2)
    old = new = total = 0
    while total < count:
        low, high = sorted(rng.sample(range(2, 10**6), 2))
        try:
            curve = market.curve_from_interval(low, high)
        except Exception:
            continue
        for answer in (low, high):
            z = rng_range.exact_z(answer)
            old += abs(float(z) - curve.mean) <= float(Z90) * curve.sd
            new += inside_90(curve, z)
            total += 1
    print(f"3. answers on a 90 % range's end: old rule inside {old} of {total}, exact rule {new} of {total}")


def bounds(seed: int, count: int) -> None:
    rng = random.Random(seed + 3)
    below, worst, new_below = 0, 0.0, 0
    for _ in range(count):
        centre = Decimal(rng.choice([0, 10**9, -5 * 10**14, 123456]))
        half = Decimal(rng.choice(["1e-3", "150", "1e6", "4.9e14"]))
        if abs(centre) + half > Decimal("1e15"):
            centre = Decimal(0)
        r = Range(centre - half, centre + half)
        b = rng.choice([1e-6, 1.0, 30.0, 1e6, 1e9, 10 ** rng.uniform(-6, 9)])
        sd_min = r.width / rng.choice([10_000, 200])
        market = GaussianMarket.create(r, b, r.centre, r.half_width / Decimal(rng.uniform(1.01, 4)), sd_min)
        mean, sd, least = (mp.mpf(v) for v in (market.prior.mean, market.prior.sd, market.sd_min_z))
        exact = mp.mpf(b) * (mp.log(sd / least) + (1 + abs(mean)) ** 2 / (2 * sd**2))
        p = market.prior
        nearest = b * (math.log(p.sd / market.sd_min_z) + (1 + abs(p.mean)) ** 2 / (2 * p.sd**2))
        if mp.mpf(nearest) < exact:
            below += 1
            worst = max(worst, float(exact - mp.mpf(nearest)))
        new_below += mp.mpf(market.subsidy()) < exact
    print(
        f"4. house bound: to nearest, {below} of {count} below the exact worst case (by up to {worst:.2g} "
        f"points); rounded up, {new_below}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markets", type=int, default=90)
    args = parser.parse_args()
    averages(args.seed, args.markets)
    ties(args.seed, 1000)
    ends(args.seed, 1000)
    bounds(args.seed, 1000)


if __name__ == "__main__":
    main()
