"""The Gaussian market maker: a logarithmic market scoring rule over normal forecasts.

Moving the market from curve p to p′ earns b·[ln p′(x) − ln p(x)] at outcome x (DESIGN 1.2); this
class prices such moves, checks them against a trader's collateral and resolves the market. All
arithmetic is in z = (x − c)/s (scale.py); the methods named `*_x` speak in the question's units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal

from .curve import Curve
from .errors import InvalidCurve, InvalidNumber
from .scale import Range, finite, quantity
from .wealth import Wealth

BISECTION_STEPS = 64
NARROWEST_FRACTION = 10_000
LARGEST_LIQUIDITY = 1e15


@dataclass(frozen=True)
class Move:
    """What one trade does: the market's new curve and the trader's profit/loss as a quadratic in z."""

    before: Curve
    after: Curve
    fraction: float
    shares: tuple[float, float]
    cost: float
    pnl: Wealth

    @property
    def worst(self) -> float:
        return self.pnl.worst()[0]

    @property
    def best(self) -> float:
        return self.pnl.best()[0]


@dataclass(frozen=True)
class GaussianMarket:
    """A market's rules and its current curve. Immutable: a trade returns a new market."""

    range: Range
    liquidity: float
    sd_min: Decimal
    prior: Curve
    curve: Curve

    @classmethod
    def create(
        cls,
        range: Range,
        liquidity: float,
        prior_mean: float,
        prior_sd: float,
        sd_min: float | None = None,
    ) -> GaussianMarket:
        liquidity = finite(liquidity, "liquidity")
        if not 0 < liquidity <= LARGEST_LIQUIDITY:
            raise InvalidNumber("liquidity must be positive and at most 10^15", field="liquidity")
        if sd_min is None:
            sd_min = default_sd_min(range)
        sd_min = quantity(sd_min, "sd_min")
        if sd_min <= 0:
            raise InvalidCurve("σ_min must be positive", field="sd_min")
        # A position is a quadratic in z whose coefficients grow like b/σ_z²: below range/10⁴ its sums
        # lose more than 10⁻⁶ points to rounding. A finer question needs a narrower range, not a smaller σ_min.
        narrowest = (range.hi - range.lo) / NARROWEST_FRACTION
        if sd_min < narrowest:
            raise InvalidCurve(
                f"σ_min must be at least {narrowest:g} (1/10,000 of the range): narrow the range instead",
                field="sd_min",
                sd_min=float(narrowest),
            )
        market = cls(range, liquidity, sd_min, Curve(0.0, 1.0), Curve(0.0, 1.0))
        prior = market.curve_from_x(prior_mean, prior_sd, field="prior")
        return replace(market, prior=prior, curve=prior)

    # -- curves in the question's units -------------------------------------------------------
    def curve_from_x(self, mean: object, sd: object, field: str = "target") -> Curve:
        """Validate a forecast N(mean, sd²) given in the question's units and scale it to z."""
        mean, sd = quantity(mean, f"{field}_mean"), quantity(sd, f"{field}_sd")
        if sd <= 0:
            raise InvalidCurve("the spread σ must be positive", field=f"{field}_sd")
        if sd < self.sd_min:
            raise InvalidCurve(
                f"the spread σ must be at least {self.sd_min:g}", field=f"{field}_sd", sd_min=float(self.sd_min)
            )
        if not self.range.lo <= mean <= self.range.hi:
            raise InvalidCurve(f"the mean must lie in [{self.range.lo:g}, {self.range.hi:g}]", field=f"{field}_mean")
        return self.check(Curve(self.range.to_z(mean), self.range.sd_to_z(sd)))

    def curve_to_x(self, curve: Curve) -> tuple[float, float]:
        return self.range.to_x(curve.mean), self.range.sd_to_x(curve.sd)

    @property
    def mean(self) -> float:
        return self.range.to_x(self.curve.mean)

    @property
    def sd(self) -> float:
        return self.range.sd_to_x(self.curve.sd)

    @property
    def sd_min_z(self) -> float:
        return self.range.sd_to_z(self.sd_min)

    def check(self, curve: Curve) -> Curve:
        """A curve the market may take: finite, σ ≥ σ_min (so θ₂ < 0)."""
        if not (math.isfinite(curve.mean) and math.isfinite(curve.sd)) or curve.sd <= 0:
            raise InvalidCurve("that trade leaves no valid curve (θ₂ must stay negative)")
        # Compare in z with a relative slack of a few ulps: sd_min → z → x must not flip the check.
        if curve.sd < self.sd_min_z * (1 - 1e-12):
            raise InvalidCurve(f"that trade narrows the curve below σ_min = {self.sd_min:g}", sd_min=float(self.sd_min))
        return curve

    # -- trades -------------------------------------------------------------------------------
    def move(self, target: Curve, fraction: float = 1.0) -> Move:
        """Price the move from the current curve to `target` (or a fraction of the way there)."""
        after = self.check(self.curve.toward(target, fraction))
        (t1, t2), (u1, u2) = self.curve.natural, after.natural
        b = self.liquidity
        shares = (b * (u1 - t1), b * (u2 - t2))
        m, v, m2, v2 = self.curve.mean, self.curve.sd, after.mean, after.sd
        # C(q′) − C(q) = b·[μ′²/(2σ′²) − μ²/(2σ²) + ln(σ′/σ)] in z, where every term is O(1).
        cost = b * (0.5 * ((m2 / v2) ** 2 - (m / v) ** 2) + math.log(v2 / v))
        pnl = Wealth(-cost, shares[0], shares[1])
        return Move(self.curve, after, fraction, shares, cost, pnl)

    def move_by_shares(self, delta_1: float, delta_2: float) -> Move:
        """Buy raw shares (δ₁, δ₂) of the seed's securities x and x² (negative sells)."""
        delta_1, delta_2 = finite(delta_1, "delta_1"), finite(delta_2, "delta_2")
        s, c = float(self.range.half_width), float(self.range.centre)
        # Payoff δ₁x + δ₂x² with x = c + s·z is (δ₁ + 2cδ₂)·s·z + δ₂·s²·z² plus a constant.
        dz1, dz2 = (delta_1 + 2 * c * delta_2) * s, delta_2 * s * s
        t1, t2 = self.curve.natural
        b = self.liquidity
        u1, u2 = t1 + dz1 / b, t2 + dz2 / b
        if not (math.isfinite(u1) and u2 < 0):
            raise InvalidCurve("that trade would make θ₂ ≥ 0 (the curve would have no spread)")
        return self.move(Curve.from_natural(u1, u2))

    def profit_at(self, target: Curve, x: object) -> float:
        """What moving to `target` earns at outcome x: b·[ln p′(x) − ln p(x)], computed stably."""
        return self.liquidity * self.curve.log_ratio(target, self.range.to_z(x))

    def trade(self, move: Move) -> GaussianMarket:
        return replace(self, curve=move.after)

    # -- collateral ---------------------------------------------------------------------------
    def affordable_fraction(self, wealth: Wealth, target: Curve) -> float:
        """The largest t ∈ [0, 1] such that moving a fraction t toward `target` keeps W ≥ 0 on the range.

        ln p_θ(z) is concave in θ, so min_z W_t(z) is concave in t and the feasible t form an
        interval around 0: bisection finds its end.
        """

        def affordable(t: float) -> bool:
            return (wealth + self.move(target, t).pnl).worst()[0] >= 0

        if affordable(1.0):
            return 1.0
        lo, hi = 0.0, 1.0
        for _ in range(BISECTION_STEPS):
            mid = (lo + hi) / 2
            if affordable(mid):
                lo = mid
            else:
                hi = mid
        # A fraction too small to change the curve in doubles is no trade at all (it would cost 0).
        return lo if self.curve.toward(target, lo) != self.curve else 0.0

    # -- resolution and the house -------------------------------------------------------------
    def settle_z(self, outcome: object) -> float:
        return self.range.to_z(self.range.settle_at(outcome))

    def subsidy(self) -> float:
        """The house's worst loss: b·[ln(σ₀/σ_min) + D²/(2σ₀²)], D = max |x − μ₀| over the range."""
        prior = self.prior
        distance = max(abs(-1 - prior.mean), abs(1 - prior.mean))
        return self.liquidity * (math.log(prior.sd / self.sd_min_z) + distance**2 / (2 * prior.sd**2))

    def house_result(self, outcome: object) -> float:
        """What the traders together won from the house: b·[ln p_final(x*) − ln p_prior(x*)]."""
        return self.liquidity * self.prior.log_ratio(self.curve, self.settle_z(outcome))


def default_sd_min(range: Range) -> Decimal:
    """σ_min defaults to 1/200 of the range, and at least ½ for whole-number questions."""
    sd_min = (range.hi - range.lo) / 200
    return max(sd_min, Decimal("0.5")) if range.integer else sd_min
