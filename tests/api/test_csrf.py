"""Cookies need CSRF tokens, headers do not: a host's login and a browser's seat are CSRF-checked,
a bot's X-Seat-Token header is not (no other site can make a browser send it)."""

from __future__ import annotations

import pytest
from django.test import Client

from mmgame import services
from mmgame.models import Game, Market, Trade

from ..services.ledger import rows
from .conftest import JSONClient, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(db) -> JSONClient:
    """A player's browser on this site: CSRF enforced, a CSRF token fetched."""
    client = JSONClient(Client(enforce_csrf_checks=True))
    client.fetch_csrf()
    return client


@pytest.fixture
def seated_browser(browser, game) -> JSONClient:
    response = browser.post(f"/api/games/{game.join_code}/join", {"nickname": "Dana"})
    assert response.json()["session"] is True
    return browser


def test_a_host_call_without_a_csrf_token_is_refused(host_api):
    response = host_api.post("/api/games", {"title": "Forged"}, csrf=False)

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Game.objects.exists()


def test_a_host_call_with_a_wrong_csrf_token_is_refused(host_api, market):
    host_api.csrf_token = "x" * 32

    response = host_api.post(f"/api/markets/{market.pk}/open")

    assert response.status_code == 403
    assert Market.objects.get(pk=market.pk).status == "draft"


def test_a_host_call_with_the_csrf_token_goes_through(host_api, market):
    response = host_api.post(f"/api/markets/{market.pk}/open")

    assert response.status_code == 200


def test_a_host_read_needs_no_csrf_token(host_api, game):
    host_api.csrf_token = None

    assert host_api.get("/api/games").status_code == 200


def test_joining_from_a_browser_keeps_the_seat_in_the_session(seated_browser, game):
    seats = seated_browser.client.session["seats"]

    assert seats == {str(game.pk): game.players.get(nickname="Dana").seat_token}


def test_a_session_seat_trades_with_the_csrf_token(seated_browser, open_market):
    response = seated_browser.post(f"/api/markets/{open_market.pk}/trades", target(120, 30, "k"))

    assert response.status_code == 201
    assert Trade.objects.get().player.nickname == "Dana"


def test_a_session_seat_trade_without_the_csrf_token_is_refused(seated_browser, open_market):
    before = rows()

    response = seated_browser.post(f"/api/markets/{open_market.pk}/trades", target(120, 30, "k"), csrf=False)

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert rows() == before


def test_a_session_seat_quote_without_the_csrf_token_is_refused(seated_browser, open_market):
    response = seated_browser.post(f"/api/markets/{open_market.pk}/quote", {"kind": "close"}, csrf=False)

    assert response.status_code == 403


def test_a_session_seat_reads_its_position_without_a_csrf_token(seated_browser, open_market):
    response = seated_browser.get(f"/api/markets/{open_market.pk}/position")

    assert response.status_code == 200
    assert response.json()["budget"] == 1000.0


def test_a_session_seat_is_no_seat_in_another_game(seated_browser, other_game):
    market = services.add_market(other_game.host, other_game, question="Q?", lo=0, hi=1)
    services.open_market(other_game.host, market.pk)
    before = rows()

    response = seated_browser.post(f"/api/markets/{market.pk}/trades", target(0.5, 0.2, "k"))

    assert response.status_code == 404
    assert rows() == before


def test_a_bot_trades_with_its_header_token_and_no_csrf_token(alice_bot, open_market):
    assert not alice_bot.client.cookies

    response = alice_bot.post(f"/api/markets/{open_market.pk}/trades", target(120, 30, "k"), csrf=False)

    assert response.status_code == 201


def test_a_header_token_is_enough_even_beside_a_session(seated_browser, alice, open_market):
    seated_browser.seat_token = alice.seat_token

    response = seated_browser.post(f"/api/markets/{open_market.pk}/trades", target(120, 30, "k"), csrf=False)

    assert response.status_code == 201
    assert Trade.objects.get().player == alice


def test_a_join_without_a_csrf_token_keeps_nothing_in_the_session(game):
    client = JSONClient(Client(enforce_csrf_checks=True))

    response = client.post(f"/api/games/{game.join_code}/join", {"nickname": "Eve"})

    assert response.status_code == 201
    assert response.json()["session"] is False
    assert "seats" not in client.client.session
