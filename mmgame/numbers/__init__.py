"""Numbers as people read and type them: how a market's quantities are written, and how typed text is read,
in the page's language (CLDR through Babel: mmgame.numbers.locales).

No Django: the server writes every number as static/js/format.js does, to the character (docs/numbers.md).
"""

from .formatting import KINDS, curve, digits_text, log_curve, quantity, quantity_range, spread, spread_place, up_to
from .locales import LANGUAGES, language_of, locale_for
from .parsing import MESSAGES, Reading, Unreadable, read_number

__all__ = [
    "KINDS",
    "LANGUAGES",
    "MESSAGES",
    "Reading",
    "Unreadable",
    "curve",
    "digits_text",
    "language_of",
    "locale_for",
    "log_curve",
    "quantity",
    "quantity_range",
    "read_number",
    "spread",
    "spread_place",
    "up_to",
]
