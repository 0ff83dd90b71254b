"""A trader's wealth as a function of the outcome: W(z) = const + linear·z + quadratic·z².

Every log-score move adds a quadratic in z (docs/maths.md § The log score), so a whole position is three numbers,
and its worst case over the range is exact: the minimum of a quadratic on [−1, 1] lies at an end
or at the vertex.

Why more than doubles: a move at σ_z near σ_min (2·10⁻⁴ at range/10⁴) with b = 1,000 has coefficients
b·μ²/(2σ_z²) ≈ 10¹⁰ that cancel to a W(z) of 1–1,000, so a double (2⁻⁵³ ≈ 10⁻¹⁶ of 10¹⁰) keeps W only to
≈ 10⁻⁶. Each coefficient is therefore a double plus a double tail (≈ 32 significant digits, stored as two
float columns on every database), and sums, values and minima are taken in 60-digit decimals from the
exact binary values: 10⁻³² of 10¹⁰ is 10⁻²², far below the 10⁻⁹ the ledger promises.

The trade path (sums, minima over the range, and the log-score move in engine.py) does the same in
double-double arithmetic on plain floats — error-free transformations (Knuth's TwoSum, Dekker's product),
each result within a few 2⁻¹⁰⁶ of its operands' size — which is several times faster than decimals and
as exact for the ledger: 10⁻³¹ of 10¹⁰ is still 10⁻²¹ points. Resolution, the exact `coefficients` and
anything not on the hot path stay in 60-digit decimals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property

LEDGER = Context(prec=60)


def exact(head: float, tail: float = 0.0) -> Decimal:
    """head + tail as a decimal (Decimal(float) is exact; 60 digits hold the sum of two doubles)."""
    return LEDGER.add(Decimal(head), Decimal(tail)) if tail else Decimal(head)


def split(value: Decimal) -> tuple[float, float]:
    """The nearest double and the double nearest to what it leaves out: value to ≈ 2⁻¹⁰⁶ of itself."""
    head = float(value)
    return head, float(LEDGER.subtract(value, Decimal(head)))


ROUGH = 8 * 2.0**-53  # the error bound of W(z) in plain doubles, per unit of |c| + |h| + |q| (|z| ≤ 1)
SPLITTER = 134217729.0  # 2²⁷ + 1: Dekker's split of a double into two 26-bit halves


def two_sum(a: float, b: float) -> tuple[float, float]:
    """a + b as s + e exactly, s = fl(a + b) (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def two_prod(a: float, b: float) -> tuple[float, float]:
    """a·b as p + e exactly, p = fl(a·b) (Dekker; the ledger's numbers are far from overflow)."""
    p = a * b
    t = SPLITTER * a
    a_hi = t - (t - a)
    a_lo = a - a_hi
    t = SPLITTER * b
    b_hi = t - (t - b)
    b_lo = b - b_hi
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def dd_add(a_hi: float, a_lo: float, b_hi: float, b_lo: float) -> tuple[float, float]:
    """(a_hi + a_lo) + (b_hi + b_lo) in double-double, within 3·2⁻¹⁰⁶ of the sum (Joldes–Muller–Popescu)."""
    s, e = two_sum(a_hi, b_hi)
    t, f = two_sum(a_lo, b_lo)
    e += t
    head = s + e
    e = e - (head - s) + f
    s = head + e
    return s, e - (s - head)


def dd_times(hi: float, lo: float, d: float) -> tuple[float, float]:
    """(hi + lo)·d in double-double."""
    p, e = two_prod(hi, d)
    e += lo * d
    s = p + e
    return s, e - (s - p)


def dd_product(a_hi: float, a_lo: float, b_hi: float, b_lo: float) -> tuple[float, float]:
    """(a_hi + a_lo)·(b_hi + b_lo) in double-double (the product of the tails is below its last place)."""
    p, e = two_prod(a_hi, b_hi)
    e += a_hi * b_lo + a_lo * b_hi
    s = p + e
    return s, e - (s - p)


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
        """The sum in double-double: each coefficient within 3·2⁻¹⁰⁶ of the exact sum of the two."""
        (t_c, t_l, t_q), (u_c, u_l, u_q) = self.tails, other.tails
        c, c_tail = dd_add(self.const, t_c, other.const, u_c)
        h, h_tail = dd_add(self.linear, t_l, other.linear, u_l)
        q, q_tail = dd_add(self.quadratic, t_q, other.quadratic, u_q)
        return Wealth(c, h, q, (c_tail, h_tail, q_tail))

    def value_dd(self, z: float) -> tuple[float, float]:
        """W(z) for a double z, in double-double (Horner): within a few 2⁻¹⁰⁶ of |c| + |h·z| + |q·z²|."""
        t_c, t_l, t_q = self.tails
        v = dd_times(self.quadratic, t_q, z)
        v = dd_add(self.linear, t_l, *v)
        v = dd_times(*v, z)
        return dd_add(self.const, t_c, *v)

    def __neg__(self) -> Wealth:
        t_c, t_l, t_q = self.tails
        return Wealth(-self.const, -self.linear, -self.quadratic, (-t_c, -t_l, -t_q))

    def lowest_dd(self, lo: float = -1.0, hi: float = 1.0) -> tuple[tuple[float, float], float]:
        """((min W as a double-double), where) over [lo, hi]; over the whole range it is kept (the trade
        path asks for it several times)."""
        if (lo, hi) != (-1.0, 1.0):
            return self._lowest(lo, hi)
        kept = self.__dict__.get("_lowest_on_range")
        if kept is None:
            kept = self._lowest(-1.0, 1.0)
            object.__setattr__(self, "_lowest_on_range", kept)
        return kept

    @property
    def covered(self) -> bool:
        """min W ≥ 0 over the range, exactly. In doubles when their error bound decides it; otherwise in
        double-double (a normalised double-double has the sign of its head)."""
        (value, _), bound = self._rough(-1.0, 1.0)
        if bound == math.inf:  # which candidate is lowest is unclear, but each is within ROUGH of its value
            bound = ROUGH * (abs(self.const) + abs(self.linear) + abs(self.quadratic))
        if value > bound:
            return True
        if value < -bound:
            return False
        return self.lowest_dd()[0][0] >= 0

    def _rough(self, lo: float, hi: float) -> tuple[tuple[float, float], float]:
        """(min W, where) over the same candidates as `_lowest`, in plain doubles, and a bound on the error
        of each candidate's value: Horner's rounding (at most 4 roundings of terms up to |c| + |h|·r + |q|·r²,
        r = max |z|) and the dropped tails (each at most 2⁻⁵³ of its head), with room to spare. The bound is
        infinite when another candidate comes within twice it: then the doubles do not say which is lowest."""
        c, h, q = self.const, self.linear, self.quadratic
        zs = [lo, hi]
        if q > 0:
            vertex = -h / (2 * q)
            if lo < vertex < hi:
                zs.append(vertex)
        r = max(1.0, abs(lo), abs(hi))
        bound = ROUGH * (abs(c) + abs(h) * r + abs(q) * r * r)
        values = sorted((c + z * (h + z * q), z) for z in zs)
        if values[1][0] - values[0][0] <= 2 * bound:
            return values[0], math.inf
        return values[0], bound

    def _lowest(self, lo: float, hi: float) -> tuple[tuple[float, float], float]:
        """In double-double at the ends and at the vertex (a double: W is flat there, so missing the true
        vertex by δ changes W by q·δ², nothing at a double's δ)."""
        candidates = [(self.value_dd(lo), lo), (self.value_dd(hi), hi)]
        q, h = self.quadratic, self.linear
        if q > 0:
            # W′(z) = h + 2qz = 0 at z = −h/(2q).
            vertex = -h / (2 * q)
            if lo < vertex < hi:
                candidates.append((self.value_dd(vertex), vertex))
        return min(candidates)

    def worst(self, lo: float = -1.0, hi: float = 1.0) -> tuple[float, float]:
        """(min W, where) over [lo, hi], rounded to doubles. The doubles pick the candidate when their error
        bound says which one is lowest; its value is then taken in double-double, as for all candidates
        otherwise."""
        (_, z), bound = self._rough(lo, hi)
        if bound != math.inf:
            return self.value_dd(z)[0], z
        (value, _), z = self.lowest_dd(lo, hi)
        return value, z

    def best(self, lo: float = -1.0, hi: float = 1.0) -> tuple[float, float]:
        """(max W, where) over [lo, hi]."""
        value, z = (-self).worst(lo, hi)
        return -value, z

    def expected(self, mean: float, sd: float) -> float:
        """E[W(z)] for z ~ N(mean, sd²): const + linear·μ + quadratic·(μ² + σ²), in double-double."""
        t_c, t_l, t_q = self.tails
        second = dd_add(*two_prod(mean, mean), *two_prod(sd, sd))
        value = dd_add(*dd_times(self.linear, t_l, mean), *dd_product(self.quadratic, t_q, *second))
        return dd_add(self.const, t_c, *value)[0]
