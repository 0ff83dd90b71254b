"""Points written the way every screen writes them (static/js/format.js `points`): a sign that is not only
colour, − for losses, one decimal below ten and none above, halves rounded away from zero."""

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def points(value: float | None) -> str:
    if value is None:
        return "–"
    size = Decimal(repr(abs(float(value))))
    text = f"{size.quantize(Decimal('0.1') if size < 10 else Decimal(1), rounding=ROUND_HALF_UP):,}"
    text = text.removesuffix(".0")
    return f"+{text}" if value > 0.05 else f"−{text}" if value < -0.05 else text


@register.filter
def score(value: float | None) -> str:
    """A log score with its sign written out (not colour alone), two decimals: +1.12, −0.40, 0.00."""
    if value is None:
        return "–"
    text = f"{abs(value):.2f}"
    return text if text == "0.00" else f"+{text}" if value > 0 else f"−{text}"


@register.filter
def points_up(value: float) -> str:
    """A bound in whole points, rounded up (the house's worst case: what is shown is never below it)."""
    return f"{Decimal(value).to_integral_value(rounding=ROUND_CEILING):,}"
