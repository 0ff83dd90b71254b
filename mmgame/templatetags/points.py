"""Points written the way every screen writes them (static/js/format.js `points`): a sign that is not only
colour, − for losses, one decimal below ten and none above, halves rounded away from zero, in the page's
language ("+1.234,5" is not a thing: "+1.235" in German, "+2,5" below ten)."""

from decimal import ROUND_CEILING, Decimal

from django import template
from django.utils.translation import get_language

from mmgame import numbers

register = template.Library()


@register.filter
def points(value: float | None) -> str:
    if value is None:
        return "–"
    text = numbers.up_to(value, 1 if abs(value) < 10 else 0, language=get_language())
    return f"+{text}" if value > 0.05 else f"−{text}" if value < -0.05 else text


@register.filter
def score(value: float | None) -> str:
    """A log score with its sign written out (not colour alone), two decimals: +1.12, −0.40, 0.00."""
    if value is None:
        return "–"
    text = numbers.quantity(abs(value), "measure", place=-2, language=get_language())
    return text if set(text) <= set("0,.") else f"+{text}" if value > 0 else f"−{text}"


@register.filter
def points_up(value: float) -> str:
    """A bound in whole points, rounded up (the house's worst case: what is shown is never below it)."""
    whole = Decimal(value).to_integral_value(rounding=ROUND_CEILING)
    return numbers.locale_for(get_language()).digits(str(abs(whole))) if whole >= 0 else f"−{-whole}"
