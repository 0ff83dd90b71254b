"""The round's table on a page (mmgame.round.for_pages), for static/js/round.js: what each phase shows."""

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from mmgame import round

register = template.Library()


@register.simple_tag
def round_table() -> SafeString:
    return json_script(round.for_pages(), "round")
