"""A market's range and the scaled coordinate z = (y − c)/s it does all its arithmetic in.

y is the engine's coordinate: x itself on a linear market, ln x on a log market (docs/maths.md § Log markets). The
density of x is p(ln x)/x, so a move earns the same in y as in x and nothing past this module needs to know which.

At μ = 10⁹ with σ = 1 the raw cost function is ≈ 5·10¹⁷ and one unit in the last place is 64 points,
so nothing is computed in raw x. With c the middle of the range and s half its width, the range is
z ∈ [−1, 1] and every quantity the ledger adds up stays of order one. Quantities in the question's
units arrive as decimals (10⁹ + 0.3 is not a double) and are moved to z in exact decimal arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Context, Decimal, InvalidOperation
from functools import cached_property

from mmgame import numbers

from .errors import InvalidCurve, InvalidNumber, NotPositive, gettext_noop

EXACT = Context(prec=60)
LARGEST_QUANTITY = Decimal("1e15")
DECIMAL_PLACES = 20  # the columns' scale (mmgame.models.fields.QUANTITY)
SMALLEST_STEP = Decimal(1).scaleb(-DECIMAL_PLACES)
STORED = Context(prec=15)  # SQLite keeps a decimal column as a double: 15 significant digits survive
SCALES = ("linear", "log")
# The 95th percentile of N(0, 1): "90 % sure it is between A and B" is median √(AB), σ_y = ln(B/A)/(2·Z90).
Z90 = Decimal("1.6448536269514722")


def finite(value: object, name: str) -> float:
    """The value as a finite float, or InvalidNumber naming the field (NaN, ±inf, strings, bools)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidNumber(gettext_noop("%(name)s must be a number", name=name), field=name)
    try:
        number = float(value)
    except OverflowError:
        raise InvalidNumber(gettext_noop("%(name)s is too large", name=name), field=name) from None
    except ValueError:  # Decimal("sNaN") will not become a float
        raise InvalidNumber(gettext_noop("%(name)s must be finite", name=name), field=name) from None
    if not math.isfinite(number):
        raise InvalidNumber(gettext_noop("%(name)s must be finite", name=name), field=name)
    return number


def quantity(value: object, name: str) -> Decimal:
    """A value in the question's units as an exact Decimal, refusing NaN, ±inf, strings and |x| > 10¹⁵.

    A float counts as the decimal it prints as (0.3, not 0.29999999999999998890).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidNumber(gettext_noop("%(name)s must be a number", name=name), field=name)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError, OverflowError):
        raise InvalidNumber(gettext_noop("%(name)s must be a number", name=name), field=name) from None
    if not number.is_finite():
        raise InvalidNumber(gettext_noop("%(name)s must be finite", name=name), field=name)
    if number.copy_abs() > LARGEST_QUANTITY:  # exact: abs() would raise Overflow on 1E+999999999
        raise InvalidNumber(gettext_noop("%(name)s must be at most 10^15 in size", name=name), field=name)
    return number


def stored_quantity(value: object, name: str) -> Decimal:
    """A quantity rounded to what every database here keeps exactly: 15 significant digits, 20 places.

    The services round what they will save before the engine sees it, so that the market the engine
    validated is the market that is saved (SQLite keeps a decimal column as a double).
    """
    number = STORED.plus(quantity(value, name))
    if number.as_tuple().exponent < -DECIMAL_PLACES:
        number = number.quantize(SMALLEST_STEP, context=EXACT)
    return number


@dataclass(frozen=True)
class Range:
    """The interval [lo, hi] a market resolves in; `integer` markets resolve at whole numbers. Its `kind`
    of number and `unit` only say how refusals write its quantities ("between 0 m and 10 µm"). On a `log`
    scale (lo > 0) the engine's coordinate y is ln x; `centre` and `half_width` are those of [y(lo), y(hi)]."""

    lo: Decimal
    hi: Decimal
    integer: bool = False
    kind: str = "measure"
    unit: str = ""
    scale: str = "linear"

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise InvalidNumber(gettext_noop("the scale must be linear or log"), field="scale")
        lo, hi = quantity(self.lo, "lo"), quantity(self.hi, "hi")
        if not lo < hi:
            raise InvalidCurve(gettext_noop("the range needs lo < hi"), field="hi", rule="lo_below_hi")
        for name, end in (("lo", lo), ("hi", hi)):
            if self.integer and end != end.to_integral_value():
                raise InvalidNumber(
                    gettext_noop("a whole-number question needs whole-number ends"), field=name, rule="whole_ends"
                )
        if self.scale == "log" and lo <= 0:
            raise NotPositive(gettext_noop("on a log scale the range must start above 0"), field="lo", rule="positive")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @property
    def log(self) -> bool:
        return self.scale == "log"

    @property
    def curve_names(self) -> tuple[str, str]:
        """How a curve's two numbers are called on this scale: N(mean, sd²) in x, or median and σ of ln x."""
        return ("median", "sd_log") if self.log else ("mean", "sd")

    def write(self, value: object) -> str:
        """A quantity of this range as every screen writes it (mmgame.numbers), for messages."""
        return numbers.quantity(value, self.kind, self.unit)

    def write_spread(self, value: object) -> str:
        """A spread σ of this range for messages: decimals allowed even on a count (σ_min 0.5); on a log scale
        σ of ln x, with the factor it means ("0.0069 in ln x, a factor of 1.007")."""
        if self.log:
            sd = Decimal(value) if not isinstance(value, Decimal) else value
            return f"{float(sd):.2g} in ln x (a factor of {math.exp(float(sd)):.4g})"
        return numbers.spread(value, self.kind, self.unit)

    def write_curve(self, centre: Decimal, spread: Decimal) -> str:
        """A curve for messages, in the words of its API fields: "mean 120, σ 30" or "median 1000, σ of ln x 0.7"."""
        if self.log:
            return f"median {plain(centre)}, σ of ln x {plain(spread)}"
        return f"mean {plain(centre)}, σ {plain(spread)}"

    # -- the engine's coordinate y ------------------------------------------------------------
    def y(self, x: Decimal) -> Decimal:
        """x → y in 60-digit decimals: x itself, or ln x (x > 0, refused otherwise) on a log scale."""
        if not self.log:
            return x
        if x <= 0:
            raise NotPositive(gettext_noop("on a log scale every value must be above 0"), field="x")
        return EXACT.ln(x)

    def point(self, y: Decimal) -> Decimal:
        """y → x in 60-digit decimals (the inverse of `y`)."""
        return EXACT.exp(y) if self.log else y

    @property
    def y_lo(self) -> Decimal:
        return self._ends[0]

    @property
    def y_hi(self) -> Decimal:
        return self._ends[1]

    @cached_property
    def _ends(self) -> tuple[Decimal, Decimal]:
        return self.y(self.lo), self.y(self.hi)

    @property
    def width(self) -> Decimal:
        """The range's width in y: what σ_min and the spreads are measured against."""
        return EXACT.subtract(self.y_hi, self.y_lo)

    @cached_property
    def centre(self) -> Decimal:
        return EXACT.divide(EXACT.add(self.y_lo, self.y_hi), 2)

    @cached_property
    def half_width(self) -> Decimal:
        return EXACT.divide(self.width, 2)

    @property
    def smallest_whole_sd(self) -> Decimal:
        """On a whole-number question, the least σ_min with which no curve can be beaten at every whole number:
        half the widest gap between neighbouring outcomes in y (σ² ≥ (μ − yₖ)(yₖ₊₁ − μ), docs/maths.md § Bounded loss) —
        ½ in x, ½·ln(1 + 1/lo) in ln x (the gaps shrink as x grows), rounded up to 15 digits."""
        if not self.log:
            return Decimal("0.5")
        gap = EXACT.ln(EXACT.add(1, EXACT.divide(1, self.lo)))
        return Context(STORED.prec, ROUND_CEILING).divide(gap, 2)

    def quantity_y(self, x: object, name: str = "x") -> Decimal:
        """A quantity in the question's units, as y; on a log scale x ≤ 0 is refused naming the field."""
        number = quantity(x, name)
        if self.log and number <= 0:
            raise NotPositive(
                gettext_noop("%(name)s must be above 0 on a log scale", name=name), field=name, rule="positive"
            )
        return self.y(number)

    def to_z(self, x: object, name: str = "x") -> float:
        return float(self.exact_z(x, name))

    def y_to_z(self, y: Decimal) -> float:
        return float(EXACT.divide(EXACT.subtract(y, self.centre), self.half_width))

    def to_y(self, z: float) -> float:
        return float(self.exact_y(z))

    def to_x(self, z: float) -> float:
        return float(self.exact_x(z))

    def exact_y(self, z: float) -> Decimal:
        """c + s·z for the double z, in 60-digit decimals (exact for every range the form accepts)."""
        return EXACT.add(self.centre, EXACT.multiply(Decimal(z), self.half_width))

    def exact_x(self, z: float) -> Decimal:
        """The point at z in the question's units: c + s·z, or exp(c + s·z) on a log scale (a curve's median)."""
        return self.point(self.exact_y(z))

    def exact_sd_x(self, sd_z: float) -> Decimal:
        """A spread at sd_z in y: σ in x, or σ of ln x on a log scale."""
        return EXACT.multiply(Decimal(sd_z), self.half_width)

    def exact_z(self, x: object, name: str = "x") -> Decimal:
        """(y(x) − c)/s in 60-digit decimals: what resolution evaluates W at (a double z would cost
        |W′(z)|·2⁻⁵³, up to 10⁻⁶ points near σ_min)."""
        return EXACT.divide(EXACT.subtract(self.quantity_y(x, name), self.centre), self.half_width)

    def sd_to_z(self, sd: object, name: str = "sd") -> float:
        return float(EXACT.divide(quantity(sd, name), self.half_width))

    def sd_to_x(self, sd_z: float) -> float:
        return float(self.exact_sd_x(sd_z))

    def settle_at(self, outcome: object, field: str = "outcome") -> Decimal:
        """The value a market resolves at: clamped into the range, rounded for whole-number questions. On a
        log scale an outcome ≤ 0 is refused: it is no value the question can have. `field` names the input
        in a refusal (the answer entered in advance is `answer`)."""
        x = quantity(outcome, field)
        if self.log and x <= 0:
            raise NotPositive(gettext_noop("the true value must be above 0 on a log scale"), field=field)
        x = min(max(x, self.lo), self.hi)
        if self.integer:
            x = x.quantize(Decimal(1), rounding="ROUND_HALF_UP")
        return x

    def stored_outcome(self, value: object, field: str = "outcome") -> Decimal:
        """`settle_at` as the database keeps it (20 places): on a log scale a tiny positive value is clamped to
        lo first (1e-30 would round to 0); the true value at resolution and the answer entered in advance."""
        clamped = self.settle_at(value, field)
        return self.settle_at(stored_quantity(clamped if self.log else value, field), field)


def plain(number: Decimal) -> str:
    """A decimal as a person writes it: 1000000000.3, not 1.0000000003E+9."""
    return format(number.normalize(), "f")
