"""Numbers as people read and type them: how a market's quantities are written, and how typed text is read.

Pure Python, no Django: the server writes every number as static/js/format.js does, to the character.
"""

from .formatting import KINDS, curve, log_curve, quantity, quantity_range, spread, spread_place
from .parsing import Reading, Unreadable, read_number

__all__ = [
    "KINDS",
    "Reading",
    "Unreadable",
    "curve",
    "log_curve",
    "quantity",
    "quantity_range",
    "read_number",
    "spread",
    "spread_place",
]
