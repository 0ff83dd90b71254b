"""How typed text is read as a number: what people type, not only what a programming language reads.

"8,546,000,000", "8 546 000 000", "8.5e9", "8.5 × 10^9", "8.5 billion", "2 µm" on a market in metres, "5k",
"8.5M"; and in the page's language its decimal comma ("2,5"), its grouping ("8.546.000.000", "8 546 000 000")
and its words ("8,5 Milliarden", "8,5 mil millones", "8,5 milliards"), CLDR's long and short forms through
Babel (the browser asks Intl). English forms are read in every language; where a word means another power in
the page's language ("billion" is 10^12 in German and French), the page's language wins. A separator that
appears once and is followed by exactly three digits is ambiguous ("1.500"): it is the page's decimal mark
if it is that, else a thousands separator, and the reading says so (`ambiguous`) for the page to say back.
The answer is an exact decimal, written out in full ("8546000000", "0.000002"), or a refusal with a stable
reason and a message that shows how to type a number in the page's language. static/js/parse.js is the
twin; tests/cases/numbers.json holds the cases both run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .formatting import LARGE_PREFIXES, PREFIXED_UNITS, SMALL_PREFIXES, digits_text, quantity
from .locales import cldr_words, language_of, locale_for

LARGEST_SIZE = 15  # |x| ≤ 10^15, the quantities' bound (mmgame.market.scale.LARGEST_QUANTITY)

# English forms CLDR does not list, read in every language (CLDR's own words come from locales.cldr_words).
ENGLISH_ABBREVIATIONS = {"k": 3, "mn": 6, "bn": 9, "tn": 12, "millions": 6, "billions": 9, "trillions": 12}
# SI multipliers on a number of any unit ("5k", "8.5M", "2 G"), read as typed: "m" is never a million.
SI_MULTIPLIERS = {"k": 3, "M": 6, "G": 9, "T": 12}


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogues (xgettext's keyword): the faces translate it (Unreadable.in_words)."""
    return message


PREFIXES = {**{label: power for power, label in SMALL_PREFIXES}, **{label: power for power, label in LARGE_PREFIXES}}
PREFIXES["u"] = -6  # a keyboard without µ
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
SUPERSCRIPTS = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹", "-+0123456789")
SHAPE = re.compile(
    r"^(?P<sign>[+-]?) ?(?P<number>[0-9][0-9.,' ]*[0-9]|[0-9])"
    r"(?: ?(?:[eE](?P<e>[+-]?[0-9]+)|(?:[x×*·] ?10 ?(?:\^ ?)?(?P<power>[+-]?[0-9]+))))?"
    r" ?(?P<rest>.*)$"
)

# {grouped}, {scientific}, {words}, {decimal} and {mark} are numbers written in the page's language
# (examples()): "8.546.000.000", "8,5e9", "8,5 Milliarden", "2,5" and "," in German.
MESSAGES = {
    "empty": gettext_noop("Type a number."),
    "not_a_number": gettext_noop("Type a number, like {grouped}, {scientific} or {words}."),
    "grouping": gettext_noop("Group the digits in threes, like {grouped}; decimals go after “{mark}”, like {decimal}."),
    "unit": gettext_noop("This question is in {unit}."),
    "no_unit": gettext_noop("This question has no unit: type the number alone."),
    "too_large": gettext_noop("That number is too large: at most 10^15."),
    "too_small": gettext_noop("That number is too close to 0: type 0, or a number of at least 10^-99 in size."),
}


def examples(language: str | None) -> dict[str, str]:
    """How numbers are typed in a language, for its messages: each is read back in that language."""
    locale = locale_for(language)
    return {
        "grouped": digits_text(8_546_000_000, 0, language=locale.code),
        "scientific": f"{locale.digits('8.5')}e9",
        "words": quantity(8.5e9, "count", place=8, language=locale.code),
        "decimal": locale.digits("2.5"),
        "mark": locale.decimal,
    }


class Unreadable(ValueError):
    """Text that is not a number: `reason` names the rule (stable), `message` says it to people, in English
    with the page's language's examples; `in_words(gettext)` says it in the page's language."""

    def __init__(self, reason: str, unit: str = "", language: str | None = "en") -> None:
        self.reason = reason
        self.template = MESSAGES[reason]
        self.values = {"unit": unit, **examples(language)}
        self.message = self.template.format(**self.values)
        super().__init__(self.message)

    def in_words(self, translate: Callable[[str], str]) -> str:
        return translate(self.template).format(**self.values)


@dataclass(frozen=True)
class Reading:
    text: str  # the exact decimal, written out: "8546000000", "-0.000002"
    ambiguous: bool = False  # one separator before three digits ("1.500"): read as the page's language reads it

    @property
    def value(self) -> Decimal:
        return Decimal(self.text)


def is_ambiguous(number: str) -> bool:
    """One separator, followed by exactly three digits: "1.500" is 1500 in German and 1.5 in English."""
    marks = [i for i, ch in enumerate(number) if ch in ",. '"]
    return len(marks) == 1 and number[marks[0]] in ",." and len(number) - marks[0] - 1 == 3


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


def words_of(language: str) -> dict[str, int]:
    """The words read after a number, lower case: English's, then the page's language's, which win."""
    return {**cldr_words("en"), **ENGLISH_ABBREVIATIONS, **cldr_words(language)}


def scale_and_unit(rest: str, unit: str, language: str) -> int:
    """The power of ten what follows the digits stands for: a word (billion), a unit (µm), or both."""
    if not rest:
        return 0
    head, _, tail = rest.partition(" ")
    if head in SI_MULTIPLIERS:
        return SI_MULTIPLIERS[head] + (unit_power(tail.strip(), unit) if tail.strip() else 0)
    lowered = rest.lower()
    for word, power in sorted(words_of(language).items(), key=lambda item: -len(item[0])):
        if lowered == word or lowered.startswith(word + " "):
            tail = rest[len(word) :].strip()
            return power + (unit_power(tail, unit) if tail else 0)
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
    """Typed text as an exact decimal, or Unreadable with the reason, said with the language's examples."""
    try:
        return read(text, unit, language_of(language))
    except Unreadable as refused:
        raise Unreadable(refused.reason, unit, language) from None


def read(text: object, unit: str, language: str) -> Reading:
    if not isinstance(text, str) or not text.strip():
        raise Unreadable("empty")
    cleaned = SPACES.sub(" ", text.replace("\u2212", "-").replace("μ", "µ").replace("’", "'")).strip()
    cleaned = re.sub(r"10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(SUPERSCRIPTS), cleaned)
    shape = SHAPE.match(cleaned)
    if shape is None:
        raise Unreadable("not_a_number")
    whole, fraction = digits_of(shape["number"], locale_for(language).decimal)
    exponent_text = shape["e"] or shape["power"] or "0"
    # At most two digits: 1e999999 is not a number anyone types, refused before any arithmetic (and 1e-400 as
    # too small, not too large).
    if len(exponent_text.lstrip("+-").lstrip("0")) > 2:
        raise Unreadable("too_small" if exponent_text.startswith("-") else "too_large")
    power = int(exponent_text) - len(fraction) + scale_and_unit(shape["rest"].strip(), unit, language)
    digits = (whole + fraction).lstrip("0")
    size = len(digits) + power - 1  # the power of ten of the first digit
    if digits and (size > LARGEST_SIZE or (size == LARGEST_SIZE and digits.rstrip("0") != "1")):
        raise Unreadable("too_large")
    return Reading(plain(shape["sign"] == "-", whole + fraction, power), is_ambiguous(shape["number"]))
