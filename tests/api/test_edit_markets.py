"""Editing and reordering markets before they are shown, through the API (#25 item 4): the services' codes."""

from __future__ import annotations

import json

import pytest

from mmgame import services
from mmgame.models import Market

pytestmark = pytest.mark.django_db

EDITED = {"question": "How many red beans?", "unit": "beans", "kind": "count", "lo": 0, "hi": 500}


def put(client, market_id: int, body: object):
    return client.client.put(
        f"/api/markets/{market_id}", json.dumps(body), content_type="application/json", headers=client.headers(True)
    )


def order(client, game, ids: object):
    return client.post(f"/api/games/{game.join_code}/markets/order", {"markets": ids})


def numbered(game) -> list[tuple[int, int]]:
    return list(Market.objects.filter(game=game).order_by("number").values_list("number", "pk"))


def test_the_host_edits_a_market_not_yet_shown(host_api, market):
    response = put(host_api, market.pk, {**EDITED, "answer": 312})

    assert response.status_code == 200, response.json()
    assert (response.json()["question"], response.json()["hi"]) == ("How many red beans?", 500)
    market.refresh_from_db()
    assert (market.question, market.kind, market.answer) == ("How many red beans?", "count", 312)


def test_an_edit_breaking_a_rule_names_its_field_and_changes_nothing(host_api, market):
    response = put(host_api, market.pk, {**EDITED, "lo": 600})

    assert response.status_code == 400 and response.json()["field"] == "hi"
    assert Market.objects.get(pk=market.pk).question == "How many jelly beans?"


def test_a_shown_market_is_not_edited(host, host_api, market):
    services.show_market(host, market.pk)

    response = put(host_api, market.pk, EDITED)

    assert (response.status_code, response.json()["code"]) == (409, "market_shown")
    assert Market.objects.get(pk=market.pk).question == "How many jelly beans?"


def test_another_hosts_market_is_not_found(intruder_api, market):
    assert put(intruder_api, market.pk, EDITED).status_code == 404
    assert Market.objects.get(pk=market.pk).question == "How many jelly beans?"


def test_the_host_reorders_the_markets_not_yet_shown(host, host_api, game, market):
    second = services.add_market(host, game, question="Second?", lo=0, hi=10)

    response = order(host_api, game, [second.pk, market.pk])

    assert response.status_code == 200
    assert [(m["id"], m["number"]) for m in response.json()["markets"]] == [(second.pk, 1), (market.pk, 2)]
    assert numbered(game) == [(1, second.pk), (2, market.pk)]


@pytest.mark.parametrize(
    ("ids", "status", "code"),
    [
        pytest.param(lambda m, s: [s], 409, "stale_order", id="one left out"),
        pytest.param(lambda m, s: [s, m, 424242], 409, "stale_order", id="one of no such market"),
        pytest.param(lambda m, s: ["x", m], 422, "invalid_request", id="garbage"),
        pytest.param(lambda m, s: [0, m], 422, "invalid_request", id="not an id"),
        pytest.param(lambda m, s: {"a": 1}, 422, "invalid_request", id="not a list"),
    ],
)
def test_a_bad_order_is_refused_and_nothing_moves(host, host_api, game, market, ids, status, code):
    second = services.add_market(host, game, question="Second?", lo=0, hi=10)

    response = order(host_api, game, ids(market.pk, second.pk))

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert numbered(game) == [(1, market.pk), (2, second.pk)]


def test_an_order_naming_a_shown_market_is_stale(host, host_api, game, market):
    second = services.add_market(host, game, question="Second?", lo=0, hi=10)
    services.show_market(host, market.pk)

    response = order(host_api, game, [second.pk, market.pk])

    assert (response.status_code, response.json()["code"]) == (409, "stale_order")
    assert numbered(game) == [(1, market.pk), (2, second.pk)]


def test_another_host_cannot_reorder(intruder_api, game, market):
    assert order(intruder_api, game, [market.pk]).status_code == 404
