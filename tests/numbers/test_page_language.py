"""The server writes a page's numbers in Django's active language (get_language()), never a default: the
template filters and tags, the forms' refusals and the messages handed to parse.js."""

from __future__ import annotations

import json
import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from mmgame.numbers import MESSAGES, read_number
from mmgame.numbers.parsing import Unreadable
from mmgame.web.forms import read_typed


@pytest.mark.parametrize(
    ("language", "expect"),
    [
        ("en", "+1,235 −2.3 +1.13 12,346"),
        ("es", "+1235 −2,3 +1,13 12.346"),
        ("fr", "+1\u202f235 −2,3 +1,13 12\u202f346"),
        ("de", "+1.235 −2,3 +1,13 12.346"),
        ("de-at", "+1.235 −2,3 +1,13 12.346"),
        ("it", "+1,235 −2.3 +1.13 12,346"),  # a language not served writes as English
    ],
)
def test_points_and_scores_follow_the_active_language(language, expect):
    template = Template("{% load points %}{{ a|points }} {{ b|points }} {{ c|score }} {{ d|points_up }}")

    with translation.override(language):
        assert template.render(Context({"a": 1234.5, "b": -2.25, "c": 1.125, "d": 12345.2})) == expect


def test_a_refusal_shows_how_to_type_a_number_in_the_active_language():
    with translation.override("de"), pytest.raises(forms.ValidationError) as refused:
        read_typed("8,5,46", "")

    assert refused.value.messages == [
        "Gruppiere die Ziffern in Dreiergruppen, etwa 8.546.000.000; Nachkommastellen kommen nach „,“, etwa 2,5."
    ]  # the sentence from the German catalogue, its examples written by German's rules
    assert refused.value.code == "grouping"


def test_a_refusals_sentence_is_translated_and_its_examples_are_the_languages():
    """The face translates the marked sentence; the numbers in it are written by the rules of the language."""
    with pytest.raises(Unreadable) as refused:
        read_number("abc", language="es")
    german = {MESSAGES["not_a_number"]: "Geben Sie eine Zahl ein, etwa {grouped}, {scientific} oder {words}."}

    assert refused.value.in_words(lambda text: german.get(text, text)) == (
        "Geben Sie eine Zahl ein, etwa 8.546.000.000, 8,5e9 oder 8,5 mil millones."
    )
    assert refused.value.message == "Type a number, like 8.546.000.000, 8,5e9 or 8,5 mil millones."


def test_every_page_hands_parse_js_the_messages_in_its_language():
    html = Template("{% load quantities %}{% number_messages %}").render(Context())
    found = re.fullmatch(r'<script id="number-messages" type="application/json">(.*)</script>', html)

    assert found is not None
    assert json.loads(found.group(1)) == MESSAGES


@pytest.mark.parametrize(
    ("language", "typed", "expect"),
    [("en", "1.500", "1.5"), ("de", "1.500", "1500"), ("es", "1.500", "1500"), ("fr", "1,500", "1.5")],
)
def test_an_ambiguous_number_is_read_by_the_active_language_and_flagged(language, typed, expect):
    with translation.override(language):
        reading = read_number(typed, language=translation.get_language())

    assert (reading.text, reading.ambiguous) == (expect, True)
