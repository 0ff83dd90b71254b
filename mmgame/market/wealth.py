"""A trader's wealth as a function of the outcome: W(z) = const + linear·z + quadratic·z².

Every log-score move adds a quadratic in z (DESIGN 1.2), so a whole position is three numbers,
and its worst case over the range is exact: the minimum of a quadratic on [−1, 1] lies at an end
or at the vertex.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wealth:
    const: float = 0.0
    linear: float = 0.0
    quadratic: float = 0.0

    def at(self, z: float) -> float:
        return self.const + z * (self.linear + z * self.quadratic)

    def __add__(self, other: Wealth) -> Wealth:
        return Wealth(
            self.const + other.const,
            self.linear + other.linear,
            self.quadratic + other.quadratic,
        )

    def worst(self, lo: float = -1.0, hi: float = 1.0) -> tuple[float, float]:
        """(min W, where) over [lo, hi]: the ends, and the vertex when the parabola opens upward."""
        candidates = [lo, hi]
        if self.quadratic > 0:
            vertex = -self.linear / (2 * self.quadratic)
            if lo < vertex < hi:
                candidates.append(vertex)
        return min((self.at(z), z) for z in candidates)

    def best(self, lo: float = -1.0, hi: float = 1.0) -> tuple[float, float]:
        """(max W, where) over [lo, hi]."""
        value, z = Wealth(-self.const, -self.linear, -self.quadratic).worst(lo, hi)
        return -value, z

    def expected(self, mean: float, sd: float) -> float:
        """E[W(z)] for z ~ N(mean, sd²): const + linear·μ + quadratic·(μ² + σ²)."""
        return self.const + self.linear * mean + self.quadratic * (mean * mean + sd * sd)
