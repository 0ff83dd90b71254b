"""Issue 23, finding 7: a NUL or another control character in any text is refused with a code and writes
nothing (PostgreSQL cannot store a NUL: a title, question or unit holding one was a 500 there). This module
runs on SQLite here and on PostgreSQL with the services' tests (tests/services/test_on_postgres.py)."""

from __future__ import annotations

import pytest

from mmgame.models import Game, Market, Player, Trade
from mmgame.text import first_control, refuse_in

from .conftest import target

pytestmark = pytest.mark.django_db

BAD = ["\x00", "\x1b[31m", "\x07", "line\nbreak", "\x7f", "\x85", "\ud800"]


def market_body(**text: str) -> dict:
    return {"question": "How far is the Moon?", "unit": "km", "lo": 0, "hi": 10**6, **text}


def refused(response, field: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "control_character"
    assert response.json()["field"] == field


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_a_game_title_with_a_control_character_is_refused(host_api, bad):
    refused(host_api.post("/api/games", {"title": f"Science{bad}fair"}), "title")

    assert not Game.objects.exists()


@pytest.mark.parametrize("field", ["question", "unit"])
@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_a_question_or_unit_with_a_control_character_is_refused(host_api, game, field, bad):
    response = host_api.post(f"/api/games/{game.join_code}/markets", market_body(**{field: f"k{bad}m"}))

    refused(response, field)
    assert not Market.objects.exists()


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_a_nickname_with_a_control_character_is_refused(anyone, game, bad):
    response = anyone.post(f"/api/games/{game.join_code}/join", {"nickname": f"Ana{bad}"}, csrf=False)

    refused(response, "nickname")
    assert not Player.objects.exists()


def test_an_idempotency_key_with_a_nul_is_refused(alice_bot, open_market):
    response = alice_bot.post(f"/api/markets/{open_market.pk}/trades", target(120, 50, "key\x00"))

    refused(response, "idempotency_key")
    assert not Trade.objects.exists()


def test_a_key_or_a_nested_value_with_a_nul_is_refused_too(host_api, game):
    refused(host_api.post("/api/games", raw='{"title": "Fair", "x\\u0000": 1}'), "body key")
    refused(host_api.post("/api/games", {"title": ["Fair\x00"]}), "title[0]")


def test_a_seat_token_with_a_nul_finds_no_seat(anyone, open_market):
    anyone.seat_token = "A" * 20 + "\x00" + "B" * 11

    response = anyone.post(f"/api/markets/{open_market.pk}/trades", target(120, 50, "k"), csrf=False)

    assert response.status_code == 401 and response.json()["code"] == "not_signed_in"


def test_plain_text_in_every_language_passes(host_api):
    response = host_api.post("/api/games", {"title": "Ciência — 科学 ✓ Ünïcode"})

    assert response.status_code == 201


def test_the_rule_names_the_first_control_character_and_reads_deep_documents():
    assert first_control("ok") is None
    assert first_control("a\x00b") == (1, "U+0000 (NUL)")
    deep: object = "x\x1b"
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(Exception, match="control character"):
        refuse_in({"a": deep})
