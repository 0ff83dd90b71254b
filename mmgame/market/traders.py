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
from .quotes import Order, OrderKind, settle
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

    def guess(self, market: GaussianMarket) -> Order:
        """A first guess: its belief, as the nearest fair curve (a guess obeys the trades' rules)."""
        mean, sd = market.range.to_y(self.belief.mean), market.range.sd_to_x(self.belief.sd)
        return fair_order(market, "target", mean, sd)

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
        now_mean, now_sd = market.range.to_y(market.curve.mean), market.sd
        mean = now_mean + self.rng.gauss(0, self.step) * now_sd
        sd = now_sd * math.exp(self.rng.gauss(0, self.step / 2))
        order = fair_order(market, "toward", mean, sd)
        target = market.curve_from_order(order)
        if market.affordable_fraction(wealth, target) > 0:
            return order
        try:
            settle(market, wealth, CLOSE)
        except MarketError:
            return None
        return CLOSE

    def guess(self, market: GaussianMarket) -> Order:
        """A first guess by someone who knows no more than the prior: its middle shifted at random by about
        half its spread, its spread scaled by a random factor, so that a class of them scatters like people."""
        prior_mean, prior_sd = market.range.to_y(market.prior.mean), market.range.sd_to_x(market.prior.sd)
        mean = prior_mean + self.rng.gauss(0, 0.5) * prior_sd
        return fair_order(market, "target", mean, prior_sd * math.exp(self.rng.gauss(0, 0.25)))


def fair_order(market: GaussianMarket, kind: OrderKind, mean: float, sd: float) -> Order:
    """An order of `kind` for the fair curve (DESIGN 1.4) nearest N(mean, sd²) in y (x, or ln x on a log
    market), its mean first kept inside the range and σ between σ_min and the range's width; named as the
    market names curves (median and sd_log on a log market)."""
    lo, hi = float(market.range.y_lo), float(market.range.y_hi)
    mean = min(max(mean, lo), hi)
    sd = min(max(sd, float(market.sd_min)), hi - lo)
    fair_mean, fair_sd = market.nearest_fair(Decimal(repr(mean)), Decimal(repr(sd)))
    if market.range.log:
        return Order(kind, median=fair_mean, sd_log=fair_sd)
    return Order(kind, mean=fair_mean, sd=fair_sd)
