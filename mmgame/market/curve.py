"""A market's forecast: the normal curve N(mean, sd²), kept in scaled coordinates z."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import gaussian
from .errors import InvalidCurve, gettext_noop


@dataclass(frozen=True)
class Curve:
    mean: float
    sd: float

    @property
    def natural(self) -> tuple[float, float]:
        return gaussian.natural(self.mean, self.sd)

    @classmethod
    def from_natural(cls, theta_1: float, theta_2: float) -> Curve:
        """The curve with natural parameters θ; θ₂ ≥ 0 is no Gaussian at all (no spread), so it is refused."""
        if not (math.isfinite(theta_1) and math.isfinite(theta_2) and theta_2 < 0):
            raise InvalidCurve(gettext_noop("θ₂ must stay negative (the curve would have no spread)"))
        mean, sd = gaussian.moments(theta_1, theta_2)
        return cls(mean, sd)

    def log_density(self, z: float) -> float:
        return gaussian.log_density(z, self.mean, self.sd)

    def toward(self, target: Curve, fraction: float) -> Curve:
        """The curve a fraction t of the way to `target` along the straight line in θ.

        Trades move θ linearly, so this is where a partly filled trade leaves the market; the
        variance is monotone along the segment, so σ stays between the two ends.
        """
        if fraction >= 1:
            return target
        if fraction <= 0:
            return self
        (a1, a2), (b1, b2) = self.natural, target.natural
        curve = Curve.from_natural(a1 + fraction * (b1 - a1), a2 + fraction * (b2 - a2))
        # In exact arithmetic σ lies between the ends; rounding must not take it past them (below σ_min).
        narrowest, widest = sorted((self.sd, target.sd))
        if not narrowest <= curve.sd <= widest:
            return Curve(curve.mean, min(max(curve.sd, narrowest), widest))
        return curve

    def log_ratio(self, other: Curve, z: float) -> float:
        """ln p_other(z) − ln p_self(z) = (z−μ)²/(2σ²) − (z−μ′)²/(2σ′²) + ln(σ/σ′), without cancellation."""
        u = (z - self.mean) / self.sd
        v = (z - other.mean) / other.sd
        return 0.5 * (u - v) * (u + v) + math.log(self.sd / other.sd)
