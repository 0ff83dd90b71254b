"""Private clues over the API: the host turns them on for a market with its answer entered in advance (or
when adding it), refusals carry their field and code, and no one but the host may."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.models import Market

pytestmark = pytest.mark.django_db


def clues(client, market, body):
    return client.post(f"/api/markets/{market.pk}/clues", body)


def now(market) -> Market:
    return Market.objects.get(pk=market.pk)


def test_the_host_turns_clues_on_and_off(host, host_api, market):
    services.set_answer(host, market.pk, 120)

    on = clues(host_api, market, {"noise": 15, "kind": "percent"})
    assert on.status_code == 200, on.json()
    assert on.json()["clues"] == {"noise": 15, "kind": "percent"}

    off = clues(host_api, market, {"noise": None})
    assert off.status_code == 200
    assert off.json()["clues"] is None
    assert now(market).clue_noise is None


def test_clues_without_the_answer_are_refused_on_the_field_answer(host_api, market):
    response = clues(host_api, market, {"noise": 15})
    assert response.status_code == 400
    assert response.json()["field"] == "answer"


@pytest.mark.parametrize("noise", [0, -3, "15", True])
def test_a_noise_that_is_not_a_positive_number_is_refused(host, host_api, market, noise):
    services.set_answer(host, market.pk, 120)
    response = clues(host_api, market, {"noise": noise})
    assert response.status_code in (400, 422)
    assert now(market).clue_noise is None


def test_clues_are_refused_once_they_are_out(host, host_api, market, alice):
    services.set_answer(host, market.pk, 120)
    services.set_clues(host, market.pk, noise=15)
    for phase in ("question", "guess"):
        services.step_market(host, market.pk, phase=phase)
    response = clues(host_api, market, {"noise": 30})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status_change"


def test_only_the_host_turns_clues_on(host, intruder_api, alice_bot, anyone, market):
    services.set_answer(host, market.pk, 120)
    assert clues(intruder_api, market, {"noise": 15}).status_code == 404
    for client in (alice_bot, anyone):
        assert clues(client, market, {"noise": 15}).status_code == 401
    assert now(market).clue_noise is None


def test_a_market_is_added_with_its_clues(host_api, game):
    body = {"question": "How far?", "lo": 0, "hi": 100, "answer": 40, "clue_noise": 5, "clue_noise_kind": "absolute"}
    response = host_api.post(f"/api/games/{game.join_code}/markets", body)
    assert response.status_code == 201, response.json()
    assert response.json()["clues"] == {"noise": 5, "kind": "absolute"}


def test_percent_clues_on_a_middle_near_0_are_refused_with_a_clear_message(host_api, game):
    body = {"question": "Noon temperature?", "unit": "°C", "lo": -20, "hi": 20, "answer": 0, "clue_noise": 15}
    response = host_api.post(f"/api/games/{game.join_code}/markets", body)
    assert response.status_code == 400
    assert response.json()["field"] == "clue_noise"
    assert "give the clues' typical error in the unit" in response.json()["message"]
    assert not game.markets.exists()
    response = host_api.post(f"/api/games/{game.join_code}/markets", {**body, "clue_noise_kind": "absolute"})
    assert response.status_code == 201, response.json()


def test_a_market_with_clues_and_no_answer_is_refused(host_api, game):
    body = {"question": "How far?", "lo": 0, "hi": 100, "clue_noise": 5}
    response = host_api.post(f"/api/games/{game.join_code}/markets", body)
    assert response.status_code == 400
    assert response.json()["field"] == "answer"


def test_a_seat_reads_its_own_clue_alone(host, market, alice, bob, alice_bot, bob_bot, anyone):
    services.set_answer(host, market.pk, 120)
    services.set_clues(host, market.pk, noise=15)
    url = f"/api/markets/{market.pk}/clue"
    services.step_market(host, market.pk, phase="question")
    assert alice_bot.get(url).status_code == 404  # not handed out yet

    services.step_market(host, market.pk, phase="guess")
    mine = alice_bot.get(url).json()
    theirs = bob_bot.get(url).json()

    assert mine["clue_exact"] == format(market.clues.get(player=alice).value.normalize(), "f")
    assert theirs["clue_exact"] == format(market.clues.get(player=bob).value.normalize(), "f")
    assert (mine["noise"], mine["kind"]) == (15, "percent")
    assert anyone.get(url).status_code == 401


def test_a_market_without_clues_has_no_clue_to_read(host, open_market, alice_bot):
    assert alice_bot.get(f"/api/markets/{open_market.pk}/clue").status_code == 404
