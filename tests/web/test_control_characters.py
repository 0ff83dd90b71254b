"""Issue 23, finding 7 on the pages: a control character in a form's text or in an uploaded CSV file is
refused with the reason next to it, and nothing is written (a NUL in a CSV cell was a 500 on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mmgame.models import Game, Market
from mmgame.services.games import LONGEST_EXPLANATION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["\x1b[2J", "\x07", "\x85"], ids=repr)
def test_a_game_title_with_a_control_character_is_refused_on_the_form(host_client, bad):
    response = host_client.post(reverse("web:new_game"), {"title": f"Period{bad}3"})

    assert response.status_code == 200
    assert "control character" in str(response.context["form"].errors["title"])
    assert not Game.objects.exists()


@pytest.mark.parametrize("field", ["question", "unit"])
def test_a_question_or_unit_with_a_control_character_is_refused_on_the_form(host_client, game, field):
    body = {"question": "Tallest tree?", "unit": "m", "lo": "0", "hi": "80", "liquidity": "thin", "budget": "1000"}
    response = host_client.post(reverse("web:new_market", args=[game.pk]), {**body, field: body[field] + "\x1b"})

    assert response.status_code == 200
    assert "control character" in response.content.decode()
    assert not Market.objects.exists()


@pytest.mark.parametrize("cell", [b"How\x00many?", b"How many\x1b?", b"How\tmany?", b"How \xc2\x85many?"], ids=repr)
def test_a_csv_cell_with_a_control_character_names_its_line_and_adds_nothing(host_client, game, cell):
    data = b"question,lo,hi\nFine,0,10\n" + cell + b",0,2000\n"
    upload = SimpleUploadedFile("mine.csv", data, "text/csv")

    response = host_client.post(reverse("web:bank_import", args=[game.pk]), {"file": upload}, follow=True)

    assert "Line 3: the question holds a control character" in response.content.decode()
    assert not game.markets.exists()


def test_a_line_break_inside_a_csv_cell_becomes_a_space(host_client, game):
    upload = SimpleUploadedFile("mine.csv", b'question,lo,hi\n"How many\r\npupils?",0,2000\n', "text/csv")

    host_client.post(reverse("web:bank_import", args=[game.pk]), {"file": upload})

    assert game.markets.get().question == "How many pupils?"


@pytest.mark.parametrize(("field", "bad"), [("explanation", "Rows\x1b[2J"), ("source", "NASA\x07")])
def test_an_explanation_or_source_with_a_control_character_is_refused_on_the_form(host_client, game, field, bad):
    body = {"question": "Tallest tree?", "unit": "m", "lo": "0", "hi": "80", "liquidity": "thin", "budget": "1000"}
    response = host_client.post(reverse("web:new_market", args=[game.pk]), {**body, field: bad})

    assert response.status_code == 200
    assert "control character" in str(response.context["form"].errors[field])
    assert not Market.objects.exists()


def test_an_explanation_typed_on_lines_is_kept_as_one_paragraph_and_markup_as_text(host_client, game):
    body = {"question": "Tallest tree?", "unit": "m", "lo": "0", "hi": "80", "liquidity": "thin", "budget": "1000"}
    explanation = "A <b>redwood</b>,\r\nmeasured by climbers."
    host_client.post(
        reverse("web:new_market", args=[game.pk]), {**body, "explanation": explanation, "source": "Survey"}
    )

    market = game.markets.get()
    assert (market.explanation, market.source) == ("A <b>redwood</b>, measured by climbers.", "Survey")


def test_a_too_long_explanation_is_refused_on_the_form_with_its_limit(host_client, game):
    body = {"question": "Tallest tree?", "unit": "m", "lo": "0", "hi": "80", "liquidity": "thin", "budget": "1000"}
    too_long = "x" * (LONGEST_EXPLANATION + 1)
    response = host_client.post(reverse("web:new_market", args=[game.pk]), {**body, "explanation": too_long})

    assert f"at most {LONGEST_EXPLANATION} characters" in str(response.context["form"].errors["explanation"])
    assert not Market.objects.exists()
