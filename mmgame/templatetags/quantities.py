"""A market's quantities on the server's pages, written as every screen writes them (mmgame.numbers)."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mmgame import numbers

register = template.Library()


@register.simple_tag
def quantity(market, value) -> str:
    """A value the host typed or the market settled at, as exactly as it is known, in the market's kind."""
    if value is None:
        return "–"
    return numbers.quantity(value, market.kind, market.unit, language=get_language())


@register.simple_tag
def curve(market) -> str:
    """The market's curve, "8.55 billion people ± 0.18 billion people": digits fitted to its spread. On a
    log-scale market its median and the factor e^σ_ln: "about 1,000 piano tuners, give or take ×2.7"."""
    if market.scale == "log":
        median, factor = numbers.log_curve(market.mean, market.sd, market.kind, market.unit, language=get_language())
        return _("about %(median)s, give or take ×%(factor)s") % {"median": median, "factor": factor}
    mean, sd = numbers.curve(market.mean, market.sd, market.kind, market.unit, language=get_language())
    return f"{mean} ± {sd}"


@register.simple_tag
def market_range(market) -> str:
    """The range the market resolves in, "0–10 µm"."""
    return numbers.quantity_range(market.lo, market.hi, market.kind, market.unit, language=get_language())


@register.simple_tag
def number_messages() -> str:
    """What a field says when it cannot read a number, in the page's language, for static/js/parse.js (which
    fills in the examples, written in that language): a <script type="application/json">."""
    return json_script({reason: _(template) for reason, template in numbers.MESSAGES.items()}, "number-messages")
