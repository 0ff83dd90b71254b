"""How each language writes a number, from CLDR through Babel (static/js/format.js asks the browser's
Intl.NumberFormat, whose ICU carries CLDR too): the decimal mark, the digits' grouping, the words for large
values and their plural forms. What Babel does not carry is pinned here, with CLDR's value: the minimum
grouping digits (Spanish groups a number from five digits on: "1000", "10.000").

The project keeps its own rules on top (docs/numbers.md): how many digits a spread warrants, one rounding
(half away from zero, done on the digits before Babel sees them, so Babel's half-even never acts), one minus
sign (U+2212) and an ordinary space between a number and its word or unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import cache

from babel import Locale as CldrLocale
from babel.numbers import NumberPattern

LANGUAGES = ("en", "es", "fr", "de")  # the languages the game is served in; any other writes as English
# CLDR's minimumGroupingDigits where it is not 1 (Babel 2.18 does not read it; ICU does).
MINIMUM_GROUPING_DIGITS = {"es": 2}
WORD_POWERS = (12, 9, 6)  # words for millions and more ("8.5 billion"); thousands are written in digits
SPACES = " \u00a0\u202f"
PLURAL_FORMS = {"zero", "one", "two", "few", "many", "other"}


def language_of(language: str | None) -> str:
    """The served language a page's language is written in ("de-AT" → de); English when it is not served."""
    code = (language or "en").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


@dataclass(frozen=True)
class Locale:
    """How a language writes numbers."""

    code: str
    decimal: str
    group: str
    words: tuple[tuple[int, dict[str, str]], ...]  # (power of ten, {plural form: word}), largest first

    def digits(self, text: str, *, grouped: bool = True) -> str:
        """A non-negative exact decimal ("8546.50") in this language's symbols: its digits as given, none
        added or rounded away ("8.546,50" in German)."""
        return written_digits(self.code, text, grouped)

    def word(self, power: int, number: str) -> str:
        """The word for 10**power that follows `number` (the digits as shown: "1", "1.5", "1.0")."""
        forms = dict(self.words)[power]
        return forms.get(cldr(self.code).plural_form(Decimal(number)), forms["other"])


@cache
def cldr(code: str) -> CldrLocale:
    return CldrLocale.parse(code)


@cache
def pattern_with(code: str, decimals: int) -> NumberPattern:
    """The language's decimal pattern with exactly `decimals` places."""
    base = cldr(code).decimal_formats[None]
    return NumberPattern(
        base.pattern,
        base.prefix,
        base.suffix,
        base.grouping,
        base.int_prec,
        (decimals, decimals),
        base.exp_prec,
        base.exp_plus,
        base.number_pattern,
    )


def written_digits(code: str, text: str, grouped: bool) -> str:
    whole, _, fraction = text.partition(".")
    primary = cldr(code).decimal_formats[None].grouping[0]
    group = grouped and len(whole.lstrip("0") or "0") >= primary + MINIMUM_GROUPING_DIGITS.get(code, 1)
    # The value already has exactly len(fraction) places: Babel's rounding (half-even) has nothing to do. A
    # quantity has at most 15 whole digits and 99 decimals: the context holds them all.
    with localcontext() as context:
        context.prec = 120
        return pattern_with(code, len(fraction)).apply(Decimal(text), cldr(code), group_separator=group)


def compact_word(pattern: NumberPattern) -> str:
    return (pattern.prefix[0] + pattern.suffix[0]).strip(SPACES).replace("'", "")


@cache
def locale_for(language: str | None) -> Locale:
    """The locale of a page's language, English when the language is not served."""
    code = language_of(language)
    data = cldr(code)
    symbols = data.number_symbols["latn"]
    long = data.compact_decimal_formats["long"]
    words = tuple(
        (power, {form: compact_word(long[form][str(10**power)]) for form in long if str(10**power) in long[form]})
        for power in WORD_POWERS
    )
    return Locale(code, symbols["decimal"], symbols["group"], words)


@cache
def cldr_words(language: str | None) -> dict[str, int]:
    """The words a language's CLDR has for 10**3 to 10**12, long and short, every plural form, lower case, each
    with the power it stands for: {"milliarden": 9, "mrd.": 9, "mrd": 9, ...}. A short form of one letter ("B",
    "T") is left out: it would be read instead of a unit."""
    data = cldr(language_of(language))
    found: dict[str, int] = {}
    for width in ("long", "short"):
        table = data.compact_decimal_formats[width]
        for power in (3, 6, 9, 12):
            for form in sorted(PLURAL_FORMS & set(table)):
                pattern = table[form].get(str(10**power))
                if pattern is None or "0" not in pattern.number_pattern:
                    continue  # French's "mille" alone, for exactly 1000
                word = compact_word(pattern).lower()
                stands_for = power - (pattern.number_pattern.count("0") - 1)  # "0000 M" is 10**6
                if len(word) > 1 and not any(ch.isdigit() for ch in word):
                    found.setdefault(word, stands_for)
                    found.setdefault(word.removesuffix("."), stands_for)  # "Mrd" for "Mrd."
    return found
