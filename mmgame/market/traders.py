"""Bot traders' decisions, given the market and their own wealth: pure functions of the engine.

- `Informed`: an exponential-utility trader, −exp(−a·w), with a belief about the quantity; it moves the
  market to its best response (docs/maths.md § Aggregation, mmgame.market.aggregation), so a crowd of them drives the
  market to θ* = (b·θ₀ + Σθᵢ/aᵢ)/(b + Σ1/aᵢ).
- `Noise`: nudges the curve at random around where it is, for practice rounds and load.
- `typed`: what a practice trader shows of its belief, as a person shows theirs (docs/practice-traders.md):
  a middle moved by private noise and rounded as people type, a give-or-take scaled at random, and a risk
  tolerance of its own, so that its trades tell others no more of its clue than a person's would.

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
# What a practice trader shows of its belief (`typed`), in the belief's own give-or-take s: its middle moves by
# N(0, (JITTER·s)²) and is rounded to a step of about STEP·s (1, 2 or 5 times a power of ten: the precision a
# person types); its give-or-take is s·e^N(0, SPREAD²), its risk tolerance 1/a the given one times
# e^N(0, TOLERANCE²). All drawn from the trader's private randomness: none of it reaches a screen.
JITTER = 0.25
STEP = 0.25
SPREAD = 0.2
TOLERANCE = 0.3


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

    @classmethod
    def typed(
        cls, market: GaussianMarket, mean: float, sd: float, risk_aversion: float, rng: random.Random
    ) -> Informed:
        """A trader who trades on its belief N(mean, sd²) in y (x, or ln x) as a person would type it:
        `typed_belief` of it, and a risk aversion scaled by e^N(0, TOLERANCE²). `rng` must be private: the
        draws are what keeps the belief, and so a clue behind it, from being read off the trades."""
        shown_mean, shown_sd = typed_belief(mean, sd, rng)
        aversion = risk_aversion * math.exp(rng.gauss(0, TOLERANCE))
        centre = math.exp(shown_mean) if market.range.log else shown_mean  # a log market's belief is a median
        return cls.believing(market, centre, shown_sd, aversion)

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


def typed_belief(mean: float, sd: float, rng: random.Random) -> tuple[float, float]:
    """A belief N(mean, sd²) in y as a person would type it: the middle moved by N(0, (JITTER·sd)²) and rounded
    to a round step near STEP·sd, the give-or-take scaled by e^N(0, SPREAD²) and kept to two figures. A perfect
    reading of the result still misses the middle by about 0.26·sd (the jitter and the rounding together)."""
    step = round_step(STEP * sd)
    shown_mean = round((mean + rng.gauss(0, JITTER * sd)) / step) * step
    return shown_mean, float(f"{sd * math.exp(rng.gauss(0, SPREAD)):.2g}")


def round_step(size: float) -> float:
    """The round number (1, 2 or 5 times a power of ten) nearest below `size`: the step a person types to."""
    power = 10.0 ** math.floor(math.log10(size))
    return max(m * power for m in (1, 2, 5) if m * power <= size)


@dataclass
class Noise:
    """Moves the mean by a random fraction of the spread and the spread by a random factor. With `returns`,
    every move that leaves it holding shares is followed by one that sells them back (a practice trader's
    way: it stirs the market without walking it away from where the people put it)."""

    rng: random.Random
    step: float = 0.3
    returns: bool = False

    def decide(self, market: GaussianMarket, wealth: Wealth) -> Order | None:
        """A random `toward` move to a fair curve; when the budget cannot carry any of it, sell the position
        back instead (and with `returns`, sell it back whenever it holds one).

        The curve aimed at is fair (docs/maths.md § Bounded loss: the nearest fair one to the random draw), so the whole
        way there from any fair market is fair too (the fair curves are convex in θ): the market never refuses
        the bot for leaving them, even when another trader has put it on their edge since the bot looked."""
        if self.returns and (wealth.linear or wealth.quadratic):
            return closing(market, wealth)
        # In the engine's coordinate y (x, or ln x on a log market), where the curve is normal.
        now_mean, now_sd = market.range.to_y(market.curve.mean), market.sd
        mean = now_mean + self.rng.gauss(0, self.step) * now_sd
        sd = now_sd * math.exp(self.rng.gauss(0, self.step / 2))
        order = fair_order(market, "toward", mean, sd)
        target = market.curve_from_order(order)
        if market.affordable_fraction(wealth, target) > 0:
            return order
        return closing(market, wealth)

    def guess(self, market: GaussianMarket) -> Order:
        """A first guess by someone who knows no more than the prior: its middle shifted at random by about
        half its spread, its spread scaled by a random factor, so that a class of them scatters like people."""
        prior_mean, prior_sd = market.range.to_y(market.prior.mean), market.range.sd_to_x(market.prior.sd)
        mean = prior_mean + self.rng.gauss(0, 0.5) * prior_sd
        return fair_order(market, "target", mean, prior_sd * math.exp(self.rng.gauss(0, 0.25)))


def closing(market: GaussianMarket, wealth: Wealth) -> Order | None:
    """CLOSE, if the market would take it now (None: nothing to sell back, or not allowed)."""
    try:
        settle(market, wealth, CLOSE)
    except MarketError:
        return None
    return CLOSE


def fair_order(market: GaussianMarket, kind: OrderKind, mean: float, sd: float) -> Order:
    """An order of `kind` for the fair curve (docs/maths.md § Bounded loss) nearest N(mean, sd²) in y (x, or ln x on a
    log market), its mean first kept inside the range and σ between σ_min and the range's width; named as the
    market names curves (median and sd_log on a log market)."""
    lo, hi = float(market.range.y_lo), float(market.range.y_hi)
    mean = min(max(mean, lo), hi)
    sd = min(max(sd, float(market.sd_min)), hi - lo)
    fair_mean, fair_sd = market.nearest_fair(Decimal(repr(mean)), Decimal(repr(sd)))
    if market.range.log:
        return Order(kind, median=fair_mean, sd_log=fair_sd)
    return Order(kind, mean=fair_mean, sd=fair_sd)
