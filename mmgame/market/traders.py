"""Bot traders' decisions, given the market and their own wealth: pure functions of the engine.

- `Informed`: an exponential-utility trader, −exp(−a·w), with a belief about the quantity; it moves the
  market to its best response (DESIGN 1.6, mmgame.market.aggregation), so a crowd of them drives the
  market to θ* = (b·θ₀ + Σθᵢ/aᵢ)/(b + Σ1/aᵢ).
- `Noise`: nudges the curve at random around where it is, for practice rounds and load.

Both answer with an `Order` (or None: nothing worth doing). The remote bots (mmgame.bots) and the server's
practice traders (mmgame.services.practice) both use them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from .aggregation import best_response, toward_order
from .curve import Curve
from .engine import GaussianMarket
from .errors import MarketError
from .quotes import Order, settle
from .wealth import Wealth

# A best response closer than this to the market (in natural parameters, scaled coordinates) is not worth
# a trade: the market is at the trader's fixed point.
CONTENT = 1e-9
CLOSE = Order("close")


def distance(a: Curve, b: Curve) -> float:
    """The largest difference of the two curves' natural parameters θ = (μ/σ², −1/(2σ²)), in z."""
    (a1, a2), (b1, b2) = a.natural, b.natural
    return max(abs(a1 - b1), abs(a2 - b2))


@dataclass(frozen=True)
class Informed:
    """A trader with utility −exp(−a·w) and belief N(mean, sd²) about the quantity (in z)."""

    belief: Curve
    risk_aversion: float

    @classmethod
    def believing(cls, market: GaussianMarket, mean: float, sd: float, risk_aversion: float) -> Informed:
        """A trader whose belief is N(mean, sd²) in the question's units (σ raised to σ_min if needed); on a
        log market `mean` is the belief's median and `sd` its σ of ln x."""
        mean = min(max(mean, float(market.range.lo)), float(market.range.hi))
        sd = max(sd, float(market.sd_min))
        return cls(market.curve_from_x(mean, sd, field="belief"), risk_aversion)

    @classmethod
    def drawn(
        cls, market: GaussianMarket, rng: random.Random, truth: float, spread: float, risk_aversion: float
    ) -> Informed:
        """A trader who has seen a noisy signal of the truth: belief N(truth + ε, spread²), ε ~ N(0, spread²) —
        on a log market in ln x (median truth·e^ε, `spread` a σ of ln x)."""
        if market.range.log:
            return cls.believing(market, truth * math.exp(rng.gauss(0, spread)), spread, risk_aversion)
        return cls.believing(market, rng.gauss(truth, spread), spread, risk_aversion)

    def target(self, market: GaussianMarket, wealth: Wealth) -> Curve:
        return best_response(market, self.belief, self.risk_aversion, (wealth.linear, wealth.quadratic))

    def decide(self, market: GaussianMarket, wealth: Wealth) -> Order | None:
        """A `toward` order for the best response (cut to what collateral allows), or None at the fixed point."""
        target = self.target(market, wealth)
        if distance(target, market.curve) < CONTENT:
            return None
        return toward_order(market, target)


@dataclass
class Noise:
    """Moves the mean by a random fraction of the spread and the spread by a random factor."""

    rng: random.Random
    step: float = 0.3

    def decide(self, market: GaussianMarket, wealth: Wealth) -> Order | None:
        """A random `toward` move to a fair curve; when the budget cannot carry any of it, sell the position
        back instead.

        The curve aimed at is fair (DESIGN 1.4: the nearest fair one to the random draw), so the whole way
        there from any fair market is fair too (the fair curves are convex in θ): the market never refuses
        the bot for leaving them, even when another trader has put it on their edge since the bot looked."""
        # In the engine's coordinate y (x, or ln x on a log market), where the curve is normal.
        lo, hi = float(market.range.y_lo), float(market.range.y_hi)
        now_mean, now_sd = market.range.to_y(market.curve.mean), market.sd
        mean = min(max(now_mean + self.rng.gauss(0, self.step) * now_sd, lo), hi)
        sd = now_sd * math.exp(self.rng.gauss(0, self.step / 2))
        sd = min(max(sd, float(market.sd_min)), hi - lo)
        fair_mean, fair_sd = market.nearest_fair(Decimal(repr(round(mean, 9))), Decimal(repr(round(sd, 9))))
        if market.range.log:
            order = Order("toward", median=fair_mean, sd_log=fair_sd)
        else:
            order = Order("toward", mean=fair_mean, sd=fair_sd)
        if market.affordable_fraction(wealth, market.curve_from_x(fair_mean, fair_sd)) > 0:
            return order
        try:
            settle(market, wealth, CLOSE)
        except MarketError:
            return None
        return CLOSE
