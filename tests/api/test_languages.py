"""The game's language through the API (docs/i18n.md): the host sets it at creation or later; a refusal's
message is said in the request's language while its code stays English."""

from __future__ import annotations

import json

import pytest

from mmgame.models import Game

from .conftest import target

pytestmark = pytest.mark.django_db


def test_a_game_takes_the_language_asked_for_or_the_requests(host_api):
    made = host_api.post("/api/games", {"title": "Clase", "language": "es"})
    assert made.status_code == 201 and made.json()["language"] == "es"
    host_api.client.cookies.pop("django_language", None)
    german = host_api.client.post(
        "/api/games",
        '{"title": "Klasse"}',
        content_type="application/json",
        headers={**host_api.headers(csrf=True), "accept-language": "de"},
    )
    assert german.status_code == 201 and german.json()["language"] == "de"
    assert host_api.post("/api/games", {"title": "Class"}).json()["language"] == "en"


def test_the_host_changes_the_language_and_a_bad_one_is_refused_with_nothing_changed(host_api, game):
    changed = host_api.post(f"/api/games/{game.join_code}/language", {"language": "fr"})
    assert changed.status_code == 200 and changed.json()["language"] == "fr"
    for bad in ("pt", "", "FR-fr", 7):
        refused = host_api.post(f"/api/games/{game.join_code}/language", {"language": bad})
        assert refused.status_code in (400, 422), (bad, refused.status_code)
    game.refresh_from_db()
    assert game.language == "fr"
    assert host_api.post("/api/games", {"title": "X", "language": "klingon"}).status_code in (400, 422)
    assert not Game.objects.filter(title="X").exists()


def test_a_refusal_is_said_in_the_requests_language_with_its_code_in_english(alice_bot, closed_market):
    url = f"/api/markets/{closed_market.pk}/trades"
    english = alice_bot.post(url, target(120, 40, "k1"))
    spanish = alice_bot.client.post(
        url,
        json.dumps(target(120, 40, "k2")),
        content_type="application/json",
        headers={**alice_bot.headers(csrf=False), "accept-language": "es"},
    )
    assert english.status_code == spanish.status_code == 409
    assert english.json()["code"] == spanish.json()["code"] == "market_not_open"
    assert english.json()["message"] == "the market is closed, not open"
    assert spanish.json()["message"].startswith("el mercado está") and spanish.json()["message"].endswith("no abierto")
