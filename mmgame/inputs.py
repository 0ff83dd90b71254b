"""The rules a request's numbers and orders follow, written once for the JSON API and the websockets.

Both read JSON with decimals kept exact (`Decimal`), then apply these rules: numbers are JSON numbers only
(no strings, no booleans), finite and of sane size; ids and counts are whole; an order carries exactly the
fields its kind takes. mmgame.api.numbers turns a refusal into a pydantic error, mmgame.live.protocol into
an error frame, so "0.5" or an order with a stray field is refused the same way on either path.
"""

from __future__ import annotations

from decimal import Decimal, DecimalException

from mmgame.market import gettext_noop
from mmgame.market.errors import Words
from mmgame.market.scale import LARGEST_QUANTITY

LARGEST_ID = 2**63 - 1  # a BigAutoField
ORDER_NUMBERS = ("mean", "sd", "delta_1", "delta_2", "median", "sd_log", "low", "high")
# The shapes an order of each kind may take. A target or toward curve is N(mean, sd²) on a linear market; on a
# log market it is a median and sd_log (σ of ln x) or a 90 % interval low–high (docs/maths.md § Log markets). Which of
# them a market takes is its scale's rule (mmgame.market: scale_mismatch); here only the shape is checked.
CURVE_FORMS = (frozenset({"mean", "sd"}), frozenset({"median", "sd_log"}), frozenset({"low", "high"}))
ORDER_FORMS: dict[str, tuple[frozenset[str], ...]] = {
    "target": CURVE_FORMS,
    "toward": CURVE_FORMS,
    "shares": (frozenset({"delta_1", "delta_2"}),),
    "close": (frozenset(),),
}
# Each kind's first form: what a linear market's order of that kind carries.
ORDER_FIELDS: dict[str, frozenset[str]] = {kind: forms[0] for kind, forms in ORDER_FORMS.items()}
# Refusals that are about the number's size rather than its type.
RANGE_CODES = frozenset({"finite_number", "number_too_large"})
# What each rule says, by its code: the faces say it in the reader's language (mmgame.languages.said), the
# API from its pydantic error's type and context (mmgame.api.statuses), which carry the same code and values.
MESSAGES: dict[str, Words] = {
    "number_type": gettext_noop("must be a JSON number"),
    "finite_number": gettext_noop("must be a finite number of at most 10^15 in size"),
    "number_too_large": gettext_noop("must be at most 10^15 in size"),
    "int_type": gettext_noop("must be a whole JSON number"),
    "int_range": gettext_noop("must be between 0 and 2^63 - 1"),
    "order_fields_missing": gettext_noop("a %(kind)s order needs %(missing)s"),
    "order_fields_extra": gettext_noop("a %(kind)s order takes no %(extra)s"),
}


class BadInput(ValueError):
    """A value that breaks a rule: `code` names the rule (stable), the message says it to people (its words
    are MESSAGES[code] with `values` in them)."""

    def __init__(self, code: str, **values: str) -> None:
        self.code, self.values = code, values
        self.message = gettext_noop(MESSAGES[code].template, **values)
        super().__init__(self.message)


def json_decimal(text: str) -> Decimal:
    """How the readers of JSON (API and socket) read a decimal: exactly, and never raising.

    An exponent past what Decimal can hold (1e99999999999999999999) reads as NaN, which exact_number then
    refuses as it refuses every number out of range; an exception here would escape json.loads.
    """
    try:
        return Decimal(text)
    except DecimalException:
        return Decimal("NaN")


def exact_number(value: object) -> Decimal:
    """A JSON number as an exact Decimal: ints and decimals pass; strings, booleans, NaN, ±∞ do not.

    The size is checked with copy_abs(), which is exact: abs() rounds to the context and raises
    decimal.Overflow on 1E+999999999, before any rule could refuse it.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise BadInput("number_type")
    number = Decimal(value)
    if not number.is_finite():
        raise BadInput("finite_number")
    if number.copy_abs() > LARGEST_QUANTITY:
        raise BadInput("number_too_large")
    return number


def whole_number(value: object) -> int:
    """A whole JSON number from 0 to 2⁶³ − 1 (a row id, a sequence)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("int_type")
    if not 0 <= value <= LARGEST_ID:
        raise BadInput("int_range")
    return value


def order_fields(kind: str, given: set[str]) -> frozenset[str]:
    """An order of `kind` takes exactly the fields of one of its forms: none missing, none extra (a null counts
    as absent). Returns that form; refusals speak of the form nearest to what was given."""
    forms = ORDER_FORMS[kind]
    needed = max(forms, key=lambda form: len(form & given))  # the first form, when none is nearer
    if missing := sorted(needed - given):
        raise BadInput("order_fields_missing", kind=kind, missing=", ".join(missing))
    if extra := sorted(given - needed):
        raise BadInput("order_fields_extra", kind=kind, extra=", ".join(extra))
    return needed
