"""A market's range and the scaled coordinate z = (x − c)/s it does all its arithmetic in.

At μ = 10⁹ with σ = 1 the raw cost function is ≈ 5·10¹⁷ and one unit in the last place is 64 points,
so nothing is computed in raw x. With c the middle of the range and s half its width, the range is
z ∈ [−1, 1] and every quantity the ledger adds up stays of order one. Quantities in the question's
units arrive as decimals (10⁹ + 0.3 is not a double) and are moved to z in exact decimal arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation

from mmgame import numbers

from .errors import InvalidCurve, InvalidNumber

EXACT = Context(prec=60)
LARGEST_QUANTITY = Decimal("1e15")
DECIMAL_PLACES = 20  # the columns' scale (mmgame.models.fields.QUANTITY)
SMALLEST_STEP = Decimal(1).scaleb(-DECIMAL_PLACES)
STORED = Context(prec=15)  # SQLite keeps a decimal column as a double: 15 significant digits survive


def finite(value: object, name: str) -> float:
    """The value as a finite float, or InvalidNumber naming the field (NaN, ±inf, strings, bools)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidNumber(f"{name} must be a number", field=name)
    try:
        number = float(value)
    except OverflowError:
        raise InvalidNumber(f"{name} is too large", field=name) from None
    except ValueError:  # Decimal("sNaN") will not become a float
        raise InvalidNumber(f"{name} must be finite", field=name) from None
    if not math.isfinite(number):
        raise InvalidNumber(f"{name} must be finite", field=name)
    return number


def quantity(value: object, name: str) -> Decimal:
    """A value in the question's units as an exact Decimal, refusing NaN, ±inf, strings and |x| > 10¹⁵.

    A float counts as the decimal it prints as (0.3, not 0.29999999999999998890).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidNumber(f"{name} must be a number", field=name)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError, OverflowError):
        raise InvalidNumber(f"{name} must be a number", field=name) from None
    if not number.is_finite():
        raise InvalidNumber(f"{name} must be finite", field=name)
    if number.copy_abs() > LARGEST_QUANTITY:  # exact: abs() would raise Overflow on 1E+999999999
        raise InvalidNumber(f"{name} must be at most 10^15 in size", field=name)
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
    of number and `unit` only say how refusals write its quantities ("between 0 m and 10 µm")."""

    lo: Decimal
    hi: Decimal
    integer: bool = False
    kind: str = "measure"
    unit: str = ""

    def __post_init__(self) -> None:
        lo, hi = quantity(self.lo, "lo"), quantity(self.hi, "hi")
        if not lo < hi:
            raise InvalidCurve("the range needs lo < hi", field="hi")
        if self.integer and not (lo == lo.to_integral_value() and hi == hi.to_integral_value()):
            raise InvalidNumber("a whole-number question needs whole-number ends", field="lo")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    def write(self, value: object) -> str:
        """A quantity of this range as every screen writes it (mmgame.numbers), for messages."""
        return numbers.quantity(value, self.kind, self.unit)

    def write_spread(self, value: object) -> str:
        """A spread σ of this range for messages: decimals allowed even on a count (σ_min 0.5)."""
        return numbers.spread(value, self.kind, self.unit)

    @property
    def centre(self) -> Decimal:
        return EXACT.divide(EXACT.add(self.lo, self.hi), 2)

    @property
    def half_width(self) -> Decimal:
        return EXACT.divide(EXACT.subtract(self.hi, self.lo), 2)

    def to_z(self, x: object, name: str = "x") -> float:
        return float(EXACT.divide(EXACT.subtract(quantity(x, name), self.centre), self.half_width))

    def to_x(self, z: float) -> float:
        return float(self.exact_x(z))

    def exact_x(self, z: float) -> Decimal:
        """c + s·z for the double z, in 60-digit decimals (exact for every range the form accepts)."""
        return EXACT.add(self.centre, EXACT.multiply(Decimal(z), self.half_width))

    def exact_sd_x(self, sd_z: float) -> Decimal:
        return EXACT.multiply(Decimal(sd_z), self.half_width)

    def exact_z(self, x: object, name: str = "x") -> Decimal:
        """(x − c)/s in 60-digit decimals: what resolution evaluates W at (a double z would cost
        |W′(z)|·2⁻⁵³, up to 10⁻⁶ points near σ_min)."""
        return EXACT.divide(EXACT.subtract(quantity(x, name), self.centre), self.half_width)

    def sd_to_z(self, sd: object, name: str = "sd") -> float:
        return float(EXACT.divide(quantity(sd, name), self.half_width))

    def sd_to_x(self, sd_z: float) -> float:
        return float(self.exact_sd_x(sd_z))

    def settle_at(self, outcome: object) -> Decimal:
        """The value a market resolves at: clamped into the range, rounded for whole-number questions."""
        x = min(max(quantity(outcome, "outcome"), self.lo), self.hi)
        if self.integer:
            x = x.quantize(Decimal(1), rounding="ROUND_HALF_UP")
        return x
