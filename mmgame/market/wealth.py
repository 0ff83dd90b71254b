"""A trader's wealth as a function of the outcome: W(z) = const + linear·z + quadratic·z².

Every log-score move adds a quadratic in z (DESIGN 1.2), so a whole position is three numbers,
and its worst case over the range is exact: the minimum of a quadratic on [−1, 1] lies at an end
or at the vertex.

Why more than doubles: a move at σ_z near σ_min (2·10⁻⁴ at range/10⁴) with b = 1,000 has coefficients
b·μ²/(2σ_z²) ≈ 10¹⁰ that cancel to a W(z) of 1–1,000, so a double (2⁻⁵³ ≈ 10⁻¹⁶ of 10¹⁰) keeps W only to
≈ 10⁻⁶. Each coefficient is therefore a double plus a double tail (≈ 32 significant digits, stored as two
float columns on every database), and sums, values and minima are taken in 60-digit decimals from the
exact binary values: 10⁻³² of 10¹⁰ is 10⁻²², far below the 10⁻⁹ the ledger promises.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property

LEDGER = Context(prec=60)
ZERO = Decimal(0)


def exact(head: float, tail: float = 0.0) -> Decimal:
    """head + tail as a decimal (Decimal(float) is exact; 60 digits hold the sum of two doubles)."""
    return LEDGER.add(Decimal(head), Decimal(tail)) if tail else Decimal(head)


def split(value: Decimal) -> tuple[float, float]:
    """The nearest double and the double nearest to what it leaves out: value to ≈ 2⁻¹⁰⁶ of itself."""
    head = float(value)
    return head, float(LEDGER.subtract(value, Decimal(head)))


@dataclass(frozen=True)
class Wealth:
    """const, linear, quadratic are the nearest doubles (for display and rough work); `tails` holds the rest."""

    const: float = 0.0
    linear: float = 0.0
    quadratic: float = 0.0
    tails: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @classmethod
    def from_exact(cls, const: Decimal, linear: Decimal, quadratic: Decimal) -> Wealth:
        (c, c_tail), (h, h_tail), (q, q_tail) = split(const), split(linear), split(quadratic)
        # The value is head + tail, exactly what the database keeps: a position reloaded equals the one saved.
        return cls(c, h, q, (c_tail, h_tail, q_tail))

    @cached_property
    def coefficients(self) -> tuple[Decimal, Decimal, Decimal]:
        """(const, linear, quadratic) exactly, as decimals (kept: a quote asks for them a dozen times)."""
        t_c, t_l, t_q = self.tails
        return exact(self.const, t_c), exact(self.linear, t_l), exact(self.quadratic, t_q)

    def value_at(self, z: float | Decimal) -> Decimal:
        """W(z) in 60-digit decimals; pass z as a Decimal when it must be exact (resolution)."""
        c, h, q = self.coefficients
        z = Decimal(z)
        return LEDGER.add(c, LEDGER.multiply(z, LEDGER.add(h, LEDGER.multiply(z, q))))

    def at(self, z: float | Decimal) -> float:
        return float(self.value_at(z))

    def __add__(self, other: Wealth) -> Wealth:
        mine, theirs = self.coefficients, other.coefficients
        return Wealth.from_exact(*(LEDGER.add(a, b) for a, b in zip(mine, theirs, strict=True)))

    def __neg__(self) -> Wealth:
        t_c, t_l, t_q = self.tails
        negated = Wealth(-self.const, -self.linear, -self.quadratic, (-t_c, -t_l, -t_q))
        negated.__dict__["coefficients"] = tuple(LEDGER.minus(c) for c in self.coefficients)
        return negated

    def lowest(self, lo: float = -1.0, hi: float = 1.0) -> tuple[Decimal, Decimal]:
        """(min W, where) over [lo, hi], exactly: the ends, and the vertex when the parabola opens upward."""
        if (lo, hi) == (-1.0, 1.0):
            return self.lowest_on_range
        return self._lowest(lo, hi)

    @cached_property
    def lowest_on_range(self) -> tuple[Decimal, Decimal]:
        """min W over z ∈ [−1, 1] (the whole range), kept: the trade path asks for it several times."""
        return self._lowest(-1.0, 1.0)

    def _lowest(self, lo: float, hi: float) -> tuple[Decimal, Decimal]:
        _, h, q = self.coefficients
        candidates = [Decimal(lo), Decimal(hi)]
        if q > 0:
            # W′(z) = h + 2qz = 0 at z = −h/(2q).
            vertex = LEDGER.divide(LEDGER.minus(h), LEDGER.multiply(2, q))
            if candidates[0] < vertex < candidates[1]:
                candidates.append(vertex)
        return min((self.value_at(z), z) for z in candidates)

    def worst(self, lo: float = -1.0, hi: float = 1.0) -> tuple[float, float]:
        """(min W, where) over [lo, hi], rounded to doubles."""
        value, z = self.lowest(lo, hi)
        return float(value), float(z)

    def best(self, lo: float = -1.0, hi: float = 1.0) -> tuple[float, float]:
        """(max W, where) over [lo, hi]."""
        value, z = (-self).worst(lo, hi)
        return -value, z

    def expected(self, mean: float, sd: float) -> float:
        """E[W(z)] for z ~ N(mean, sd²): const + linear·μ + quadratic·(μ² + σ²)."""
        c, h, q = self.coefficients
        m, s = Decimal(mean), Decimal(sd)
        second = LEDGER.add(LEDGER.multiply(m, m), LEDGER.multiply(s, s))
        return float(LEDGER.add(LEDGER.add(c, LEDGER.multiply(h, m)), LEDGER.multiply(q, second)))
