"""A market says what kind of number it asks for (count, year, measure), and the API says it back."""

from __future__ import annotations

import pytest

from mmgame.models import Market

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "kind", "integer"),
    [
        ({"kind": "count"}, "count", True),
        ({"kind": "year"}, "year", True),
        ({"kind": "measure"}, "measure", False),
        ({"integer": True}, "count", True),
        ({}, "measure", False),
    ],
)
def test_a_market_is_added_with_its_kind_of_number(host_api, game, given, kind, integer):
    body = {"question": "Q?", "lo": 0, "hi": 2000, **given}

    response = host_api.post(f"/api/games/{game.join_code}/markets", body)

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["integer"]) == (kind, integer)
    market = Market.objects.get(pk=response.json()["id"])
    assert (market.kind, market.integer) == (kind, integer)


def test_every_market_shape_says_its_kind(host_api, alice_bot, game, open_market):
    detail = alice_bot.get(f"/api/games/{game.join_code}").json()["markets"][0]
    state = alice_bot.get(f"/api/markets/{open_market.pk}").json()

    assert detail["kind"] == state["kind"] == "measure"


def test_an_unknown_kind_is_refused_with_a_clear_error(host_api, game):
    response = host_api.post(
        f"/api/games/{game.join_code}/markets", {"question": "Q?", "lo": 0, "hi": 1, "kind": "money"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert not Market.objects.exists()


def test_a_count_or_a_year_needs_whole_number_ends(host_api, game):
    response = host_api.post(
        f"/api/games/{game.join_code}/markets", {"question": "Q?", "lo": 0, "hi": 10.5, "kind": "year"}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "hi"  # the end that is not a whole number
    assert not Market.objects.exists()


def test_the_schema_documents_the_kinds(anyone):
    schema = anyone.get("/api/openapi.json").json()["components"]["schemas"]

    assert schema["MarketOut"]["properties"]["kind"]["enum"] == ["count", "year", "measure"]
    assert "kind" in schema["MarketOut"]["required"]
    assert "`year`" in schema["MarketIn"]["properties"]["kind"]["description"]
