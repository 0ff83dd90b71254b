"""How a quantity is written for people, the same on every screen (static/js/format.js is its twin).

A number shows no more digits than the curve's spread warrants: its last digit sits where σ's second
significant digit does (8,547,810,129 ± 180,521,683 is "8.55 billion ± 0.18 billion"). What kind of number
it is decides the rest: a count is whole, with thousands separators and words for millions and more; a year
is whole, without separators; a measure has decimals, an SI prefix for small or large values of a unit that
takes one (2 µm), words for large plain numbers and scientific notation otherwise (3.0 × 10⁸ m/s).

The arithmetic is done on decimal digits (the shortest digits that give back the double, as Python's repr
and JavaScript's toExponential() both write them), rounded half away from zero, so that the server and the
browser write every number to the character: tests/cases/numbers.json holds the cases both run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .locales import Locale, locale_for

KINDS = ("count", "year", "measure")
MINUS = "\u2212"
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# Units that take SI prefixes, and which ones people use with them (nobody says "megametre").
SMALL_PREFIXES = ((-3, "m"), (-6, "µ"), (-9, "n"), (-12, "p"))
LARGE_PREFIXES = ((12, "T"), (9, "G"), (6, "M"), (3, "k"))
PREFIXED_UNITS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    # unit: (small prefixes' powers, large prefixes' powers)
    "m": ((-3, -6, -9, -12), (3,)),
    "g": ((-3, -6, -9), (3,)),
    "s": ((-3, -6, -9, -12), ()),
    "L": ((-3, -6), ()),
    "W": ((-3, -6), (3, 6, 9, 12)),
    "Wh": ((), (3, 6, 9, 12)),
    "J": ((-3, -6), (3, 6, 9, 12)),
    "eV": ((-3,), (3, 6, 9, 12)),
    "Hz": ((), (3, 6, 9, 12)),
    "B": ((), (3, 6, 9, 12)),
    "V": ((-3, -6), (3, 6)),
    "A": ((-3, -6, -9), (3,)),
    "N": ((-3, -6), (3, 6)),
    "Pa": ((-3,), (3, 6, 9)),
}
# A unit with one of these, or a digit, is a symbol ("m/s", "km²", "°C"): large values of it are written
# in scientific notation, not in words.
SYMBOL_MARKS = set("/²³^°·*%()0123456789")


def is_word_unit(unit: str) -> bool:
    """Whether a unit reads as a word ("people", "beans"): "8.5 billion people", but "3.0 × 10⁸ m/s"."""
    if not unit:
        return True
    if unit in PREFIXED_UNITS or any(ch in SYMBOL_MARKS for ch in unit):
        return False
    if unit[0] in "kMGTmµnp" and unit[1:] in PREFIXED_UNITS:
        return False  # km, mg, µs: a prefixed symbol
    return len(unit) >= 3


@dataclass(frozen=True)
class Digits:
    """A decimal as its significant digits (no leading or trailing zeros) and the power of ten of the first."""

    negative: bool
    digits: str  # "" for zero
    exponent: int


def decompose(value: object) -> Digits:
    """The shortest decimal digits of a number (a Decimal keeps its own)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))  # type: ignore[arg-type]
    sign, digit_tuple, exponent = number.as_tuple()
    text = "".join(map(str, digit_tuple)).lstrip("0")
    if not text:
        return Digits(False, "", 0)
    return Digits(bool(sign), text.rstrip("0"), int(exponent) + len(text) - 1)


def round_at(number: Digits, place: int) -> Digits:
    """The number rounded to a multiple of 10**place, halves away from zero."""
    if not number.digits:
        return number
    keep = number.exponent - place + 1
    if keep >= len(number.digits):
        return number
    if keep < 0:
        return Digits(False, "", 0)
    kept, exponent = number.digits[:keep], number.exponent
    if number.digits[keep] >= "5":
        if keep == 0:
            kept, exponent = "1", place
        else:
            raised = str(int(kept) + 1)
            if len(raised) > len(kept):
                exponent += 1
            kept = raised
    kept = kept.rstrip("0")
    return Digits(number.negative, kept, exponent) if kept else Digits(False, "", 0)


def last_place(number: Digits) -> int:
    """The power of ten of the number's last significant digit."""
    return number.exponent - len(number.digits) + 1


def spread_place(sd: object) -> int:
    """Where a curve's numbers end: at σ's second significant digit (σ itself to two figures)."""
    number = decompose(abs(float(sd)) if not isinstance(sd, Decimal) else abs(sd))  # type: ignore[arg-type]
    return number.exponent - 1 if number.digits else 0


@dataclass(frozen=True)
class Scale:
    """How a number is scaled: plain, by a word (billion), an SI prefix (µ) or a power of ten (× 10⁸)."""

    style: str  # plain | word | prefix | power
    power: int = 0
    label: str = ""


PLAIN = Scale("plain")


def scale_for(number: Digits, place: int, kind: str, unit: str, locale: Locale) -> Scale:
    """The scale a value is written in, from its size (after rounding) and how many digits it shows."""
    size = number.exponent if number.digits else place + 1
    if kind == "year":
        return PLAIN
    if size >= 6:
        prefixes = PREFIXED_UNITS.get(unit, ((), ()))[1] if kind == "measure" else ()
        if prefixes:
            power = max((p for p in prefixes if p <= size), default=0)
            if power and size - power < 6 and power - place <= 3:
                return Scale("prefix", power, dict(LARGE_PREFIXES)[power])
            if power and size - power >= 6:
                return Scale("power", size)
            return PLAIN
        if kind == "count" or is_word_unit(unit):
            for power, _ in locale.words:
                if power <= size:
                    return Scale("word", power) if power - place <= 3 else PLAIN
            return PLAIN
        return Scale("power", size)
    if kind == "measure" and size <= -3:
        small = PREFIXED_UNITS.get(unit, ((), ()))[0]
        if small:
            power = max((p for p in small if p <= size), default=None)
            if power is None:
                return Scale("power", size)
            return Scale("prefix", power, dict(SMALL_PREFIXES)[power])
        if size <= -4:
            return Scale("power", size)
    return PLAIN


def fixed(number: Digits, shift: int, decimals: int) -> str:
    """The digits of |number| / 10**shift with `decimals` places, as a plain decimal ("8.50"): the rounding is
    already done, so that writing it in a language only changes its symbols."""
    exponent = number.exponent - shift if number.digits else -1
    top = max(exponent, 0)

    def digit(position: int) -> str:
        i = exponent - position
        return number.digits[i] if 0 <= i < len(number.digits) else "0"

    whole = "".join(digit(p) for p in range(top, -1, -1))
    fraction = "".join(digit(-p) for p in range(1, decimals + 1))
    return f"{whole}.{fraction}" if fraction else whole


def digits_text(value: object, place: int, *, language: str | None = "en") -> str:
    """A value in plain grouped digits, whatever its size ("8,546,000,000"): how a digit-grouping example reads."""
    return written(round_at(decompose(value), place), place, PLAIN, "measure", "", locale_for(language), False)


def up_to(value: object, decimals: int, *, language: str | None = "en") -> str:
    """|value| to at most `decimals` places, halves away from zero, no trailing zeros ("1,5", "12"): points."""
    number = round_at(decompose(value), -decimals)
    number = Digits(False, number.digits, number.exponent)
    shown = max(0, -last_place(number)) if number.digits else 0
    return locale_for(language).digits(fixed(number, 0, shown))


def written(number: Digits, place: int, scale: Scale, kind: str, unit: str, locale: Locale, show_unit: bool) -> str:
    """The rounded number in its scale, with its unit."""
    decimals = max(0, scale.power - place)
    if not number.digits and scale.style in ("word", "power"):
        decimals = 0  # an axis's "0", not "0.0 billion"
    plain = fixed(number, scale.power, decimals)
    text = locale.digits(plain, grouped=kind != "year")
    if not number.digits and scale.style in ("word", "power"):
        return f"{text} {unit}" if unit and show_unit else text
    if number.negative and number.digits:
        text = MINUS + text
    if scale.style == "word":
        text = f"{text} {locale.word(scale.power, plain)}"
    elif scale.style == "power":
        text = f"{text} × 10{str(scale.power).translate(SUPERSCRIPT)}"
    if scale.style == "prefix":
        return f"{text} {scale.label}{unit}"
    return f"{text} {unit}" if unit and show_unit else text


def whole_place(kind: str, place: int) -> int:
    return max(place, 0) if kind in ("count", "year") else place


def quantity(
    value: object,
    kind: str = "measure",
    unit: str = "",
    *,
    place: int | None = None,
    language: str | None = "en",
    show_unit: bool = True,
    scale_of: object | None = None,
) -> str:
    """A value of a market's kind and unit, its last digit at 10**place; without a place, as exactly as it
    is known (to six significant figures). `scale_of` writes it in another value's scale (an axis's ticks)."""
    locale = locale_for(language)
    number = decompose(value)
    if place is None:
        exact = round_at(number, number.exponent - 5)
        place = whole_place(kind, last_place(exact) if exact.digits else 0)
    else:
        place = whole_place(kind, place)
    number = round_at(number, place)
    scaled = number if scale_of is None else round_at(decompose(scale_of), place)
    scale = scale_for(scaled, place, kind, unit, locale)
    return written(number, place, scale, kind, unit, locale, show_unit)


def quantity_range(
    lo: object, hi: object, kind: str = "measure", unit: str = "", *, language: str | None = "en"
) -> str:
    """A range "lo – hi unit", each end as exactly as it is known and both written the same way: when one end
    needs a power of ten, so does the other ("1 × 10³ – 1 × 10⁷ km/s", not "1,000 – 1 × 10⁷ km/s")."""
    locale = locale_for(language)
    ends = []
    for value in (lo, hi):
        number = decompose(value)
        exact = round_at(number, number.exponent - 5)
        place = whole_place(kind, last_place(exact) if exact.digits else 0)
        number = round_at(number, place)
        ends.append((number, place, scale_for(number, place, kind, unit, locale)))
    if any(scale.style == "power" for _, _, scale in ends):
        ends = [(n, p, Scale("power", n.exponent) if n.digits else s) for n, p, s in ends]  # a 0 stays "0"
    (a, a_place, a_scale), (b, b_place, b_scale) = ends
    low = written(a, a_place, a_scale, kind, unit, locale, False)
    return f"{low} – {written(b, b_place, b_scale, kind, unit, locale, True)}"


def curve(
    mean: object, sd: object, kind: str = "measure", unit: str = "", *, language: str | None = "en"
) -> tuple[str, str]:
    """A curve's mean and σ, both to σ's precision and in the mean's scale ("5.0 µm", "2.5 µm")."""
    locale = locale_for(language)
    sd_place = spread_place(sd)
    mean_place = whole_place(kind, sd_place)
    rounded_mean = round_at(decompose(mean), mean_place)
    scale = scale_for(rounded_mean, mean_place, kind, unit, locale)
    rounded_sd = round_at(decompose(abs(float(sd)) if not isinstance(sd, Decimal) else abs(sd)), sd_place)  # type: ignore[arg-type]
    return (
        written(rounded_mean, mean_place, scale, kind, unit, locale, True),
        written(rounded_sd, sd_place, scale, "measure" if kind == "year" else kind, unit, locale, True),
    )


def spread(value: object, kind: str = "measure", unit: str = "", *, language: str | None = "en") -> str:
    """A spread σ on its own, as exactly as it is known: with decimals even on a count or a year (σ_min is
    0.5 on a count), in the words or prefixes its unit takes."""
    return quantity(value, "measure", unit, language=language)


def log_curve(
    median: object, sd_log: object, kind: str = "measure", unit: str = "", *, language: str | None = "en"
) -> tuple[str, str]:
    """A log-scale market's curve as people say it — "about 1,000 piano tuners, give or take a factor of 2.7":
    the median to the digits its spread median·σ_ln warrants, and the factor e^σ_ln to two significant figures."""
    median_text, _ = curve(median, float(median) * float(sd_log), kind, unit, language=language)  # type: ignore[arg-type]
    factor = math.exp(float(sd_log))  # type: ignore[arg-type]
    place = decompose(factor).exponent - 1
    return median_text, quantity(factor, "measure", "", place=place, language=language, show_unit=False)
