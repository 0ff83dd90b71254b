"""How typed text is read as a number: what people type, not only what a programming language reads.

"8,546,000,000", "8 546 000 000", "8.5e9", "8.5 × 10^9", "8.5 billion", "2 µm" on a market in metres, and a
decimal comma in a language that writes one ("2,5"). A separator that appears once and is followed by
exactly three digits groups thousands ("1,500"); otherwise it is the decimal mark ("1,5" is 1.5). The
answer is an exact decimal, written out in full ("8546000000", "0.000002"), or a refusal with a stable
reason. static/js/parse.js is the twin; tests/cases/numbers.json holds the cases both run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .formatting import LARGE_PREFIXES, PREFIXED_UNITS, SMALL_PREFIXES, locale_for

LARGEST_SIZE = 15  # |x| ≤ 10^15, the quantities' bound (mmgame.market.scale.LARGEST_QUANTITY)

WORDS = {
    "en": {"thousand": 3, "k": 3, "million": 6, "millions": 6, "mn": 6, "billion": 9, "billions": 9, "bn": 9,
           "trillion": 12, "trillions": 12, "tn": 12},
    "de": {"tausend": 3, "k": 3, "mio": 6, "mio.": 6, "million": 6, "millionen": 6, "mrd": 9, "mrd.": 9,
           "milliarde": 9, "milliarden": 9, "bio": 12, "bio.": 12, "billion": 12, "billionen": 12},
    "fr": {"mille": 3, "k": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9, "billion": 12,
           "billions": 12},
}  # fmt: skip
PREFIXES = {**{label: power for power, label in SMALL_PREFIXES}, **{label: power for power, label in LARGE_PREFIXES}}
PREFIXES["u"] = -6  # a keyboard without µ
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
SUPERSCRIPTS = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹", "-+0123456789")
SHAPE = re.compile(
    r"^(?P<sign>[+-]?) ?(?P<number>[0-9][0-9.,' ]*[0-9]|[0-9])"
    r"(?: ?(?:[eE](?P<e>[+-]?[0-9]+)|(?:[x×*·] ?10 ?(?:\^ ?)?(?P<power>[+-]?[0-9]+))))?"
    r" ?(?P<rest>.*)$"
)

MESSAGES = {
    "empty": "Type a number.",
    "not_a_number": "Type a number, like 8,546,000,000, 8.5e9 or 8.5 billion.",
    "grouping": "Group the digits in threes, like 8,546,000,000.",
    "unit": "This question is in {unit}.",
    "no_unit": "This question has no unit: type the number alone.",
    "too_large": "That number is too large: at most 10^15.",
    "too_small": "That number is too close to 0: type 0, or a number of at least 10^-99 in size.",
}


class Unreadable(ValueError):
    """Text that is not a number: `reason` names the rule (stable), `message` says it to people."""

    def __init__(self, reason: str, unit: str = "") -> None:
        self.reason = reason
        self.message = MESSAGES[reason].format(unit=unit)
        super().__init__(self.message)


@dataclass(frozen=True)
class Reading:
    text: str  # the exact decimal, written out: "8546000000", "-0.000002"

    @property
    def value(self) -> Decimal:
        return Decimal(self.text)


def digits_of(number: str, decimal_mark: str) -> tuple[str, str]:
    """The whole and fractional digits of "8,546,000,000", "1.234,5" or "2,5", or Unreadable("grouping")."""
    point = None  # the index of the decimal mark
    commas_and_dots = [i for i, ch in enumerate(number) if ch in ",."]
    if commas_and_dots:
        last = commas_and_dots[-1]
        kinds = {number[i] for i in commas_and_dots}
        once = number.count(number[last]) == 1
        if len(kinds) == 2:
            point = last if once else None
            if point is None:
                raise Unreadable("grouping")
        elif once:
            after = len(number) - last - 1
            point = last if number[last] == decimal_mark or after != 3 else None
    whole, fraction = (number, "") if point is None else (number[:point], number[point + 1 :])
    if any(ch not in "0123456789" for ch in fraction):
        raise Unreadable("grouping")
    groups = re.split(r"[.,' ]", whole)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise Unreadable("grouping")
    return "".join(groups), fraction


def unit_power(rest: str, unit: str) -> int:
    """The power of ten a typed unit stands for (µm on a market in m: −6); Unreadable if it is another unit."""
    if rest == unit:
        return 0
    if unit in PREFIXED_UNITS and rest.endswith(unit) and rest[: -len(unit)] in PREFIXES:
        return PREFIXES[rest[: -len(unit)]]
    if rest.lower() == unit.lower() and unit not in PREFIXED_UNITS and not (unit and unit[1:] in PREFIXED_UNITS):
        return 0  # "People" for "people"; never "Mm" for "mm"
    raise Unreadable("unit", unit) if unit else Unreadable("no_unit")


def scale_and_unit(rest: str, unit: str, language: str) -> int:
    """The power of ten what follows the digits stands for: a word (billion), a unit (µm), or both."""
    if not rest:
        return 0
    words = {**WORDS["en"], **WORDS.get(language, {})} if language != "de" else WORDS["de"]
    head, _, tail = rest.partition(" ")
    if head.lower() in words:
        return words[head.lower()] + (unit_power(tail.strip(), unit) if tail.strip() else 0)
    if rest.lower() in words:
        return words[rest.lower()]
    if rest[:1].isdigit() or rest[:1] in ".,":
        raise Unreadable("grouping")
    return unit_power(rest, unit)


def plain(negative: bool, digits: str, power: int) -> str:
    """int(digits) × 10**power written out in full, without needless zeros."""
    digits = digits.lstrip("0")
    trimmed = digits.rstrip("0")
    power += len(digits) - len(trimmed)
    digits = trimmed
    if not digits:
        return "0"
    if power >= 0:
        text = digits + "0" * power
    elif len(digits) > -power:
        text = f"{digits[:power]}.{digits[power:]}"
    else:
        text = "0." + "0" * (-power - len(digits)) + digits
    return f"-{text}" if negative else text


def read_number(text: object, *, unit: str = "", language: str | None = "en") -> Reading:
    """Typed text as an exact decimal, or Unreadable with the reason."""
    if not isinstance(text, str) or not text.strip():
        raise Unreadable("empty")
    lang = (language or "en").split("-")[0].lower()
    cleaned = SPACES.sub(" ", text.replace("\u2212", "-").replace("μ", "µ").replace("’", "'")).strip()
    cleaned = re.sub(r"10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(SUPERSCRIPTS), cleaned)
    shape = SHAPE.match(cleaned)
    if shape is None:
        raise Unreadable("not_a_number")
    whole, fraction = digits_of(shape["number"], locale_for(lang).decimal)
    exponent_text = shape["e"] or shape["power"] or "0"
    # At most two digits: 1e999999 is not a number anyone types, refused before any arithmetic (and 1e-400 as
    # too small, not too large).
    if len(exponent_text.lstrip("+-").lstrip("0")) > 2:
        raise Unreadable("too_small" if exponent_text.startswith("-") else "too_large")
    power = int(exponent_text) - len(fraction) + scale_and_unit(shape["rest"].strip(), unit, lang)
    digits = (whole + fraction).lstrip("0")
    size = len(digits) + power - 1  # the power of ten of the first digit
    if digits and (size > LARGEST_SIZE or (size == LARGEST_SIZE and digits.rstrip("0") != "1")):
        raise Unreadable("too_large")
    return Reading(plain(shape["sign"] == "-", whole + fraction, power))
