"""Issue 23, finding 2: one person, one seat. A seat rejoining gets its own seat (and clue) back, a kicked
one stays kicked, the host can close late joins, and delete a game with everything of its players."""

from __future__ import annotations

import pytest
from django.test import Client

from mmgame import services
from mmgame.market import Order
from mmgame.models import Clue, Game, Market, Player, Trade

from .conftest import JSONClient

pytestmark = pytest.mark.django_db


def join(client: JSONClient, code: str, nickname: str):
    return client.post(f"/api/games/{code}/join", {"nickname": nickname}, csrf=False)


@pytest.fixture
def with_clues(host, market):
    services.set_answer(host, market.pk, 120)
    services.set_clues(host, market.pk, noise=15)
    return market


def test_a_seat_joining_again_gets_its_own_seat_and_clue_back(host, game, with_clues, alice, alice_bot):
    services.step_market(host, with_clues.pk, phase="question")
    services.step_market(host, with_clues.pk, phase="guess")
    clue = Clue.objects.get(player=alice).value

    response = join(alice_bot, game.join_code, "Alice again")

    assert response.status_code == 200
    assert (response.json()["player_id"], response.json()["rejoined"]) == (alice.pk, True)
    assert Player.objects.filter(game=game).count() == 1
    assert list(Clue.objects.values_list("value", flat=True)) == [clue]


def test_a_browser_joining_again_gets_its_seat_back(game):
    browser = JSONClient(Client(enforce_csrf_checks=True))
    browser.fetch_csrf()
    first = browser.post(f"/api/games/{game.join_code}/join", {"nickname": "Ana"})

    again = browser.post(f"/api/games/{game.join_code}/join", {"nickname": "Ana 2"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["player_id"] == first.json()["player_id"]
    assert Player.objects.count() == 1


def test_a_kicked_seat_joining_again_stays_kicked(host, game, alice, alice_bot):
    services.kick_player(host, alice)

    response = join(alice_bot, game.join_code, "Alicia")

    assert (response.status_code, response.json()["code"]) == (403, "kicked")
    assert Player.objects.count() == 1


@pytest.mark.parametrize("phase", ["guess", "trading"])
def test_with_late_joins_closed_no_one_joins_once_the_round_has_started(host, host_api, game, market, anyone, phase):
    assert host_api.post(f"/api/games/{game.join_code}/late-joins", {"late_joins": False}).json()["late_joins"] is False
    services.step_market(host, market.pk, phase="question")
    assert join(anyone, game.join_code, "Early").status_code == 201  # the question alone: not started
    services.step_market(host, market.pk, phase=phase)

    response = join(JSONClient(Client()), game.join_code, "Second window")

    assert (response.status_code, response.json()["code"]) == (409, "joins_closed")
    assert list(Player.objects.values_list("nickname", flat=True)) == ["Early"]
    host_api.post(f"/api/games/{game.join_code}/late-joins", {"late_joins": True})
    assert join(JSONClient(Client()), game.join_code, "Let in").status_code == 201


def test_late_joins_are_let_in_unless_the_host_closes_them(host, game, market, anyone):
    services.step_market(host, market.pk, phase="question")
    services.step_market(host, market.pk, phase="guess")

    assert join(anyone, game.join_code, "Late").status_code == 201


def test_a_game_can_be_created_with_late_joins_closed(host_api):
    response = host_api.post("/api/games", {"title": "Quiz", "late_joins": False})

    assert response.json()["late_joins"] is False and not Game.objects.get().late_joins


def test_only_the_host_closes_late_joins(game, alice_bot, intruder_api):
    for client in (alice_bot, intruder_api):
        response = client.post(f"/api/games/{game.join_code}/late-joins", {"late_joins": False})
        assert response.status_code in (401, 404)
    assert Game.objects.get().late_joins


def test_the_host_deletes_a_game_with_everything_of_its_players(host, host_api, game, with_clues, alice, bob):
    services.step_market(host, with_clues.pk, phase="question")
    services.step_market(host, with_clues.pk, phase="trading")
    services.place_trade(alice, with_clues.pk, Order("target", mean=120, sd=50), idempotency_key="k")
    other = services.create_game(host, "Kept")
    services.join_game(other.join_code, "Carol")

    response = host_api.client.delete(f"/api/games/{game.join_code}", headers={"X-CSRFToken": host_api.csrf_token})

    assert response.status_code == 204
    assert list(Game.objects.values_list("title", flat=True)) == ["Kept"]
    assert list(Player.objects.values_list("nickname", flat=True)) == ["Carol"]
    assert not Market.objects.exists() and not Trade.objects.exists() and not Clue.objects.exists()


def test_no_one_but_the_host_deletes_a_game(game, alice, alice_bot, intruder_api):
    for client in (alice_bot, intruder_api):
        response = client.client.delete(f"/api/games/{game.join_code}", headers=client.headers(csrf=True))
        assert response.status_code in (401, 404)
    assert Game.objects.exists() and Player.objects.exists()
