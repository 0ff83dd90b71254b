"""The autopilot through the JSON API (docs/round.md § Autopilot): the host turns it on, sets the phases' times,
holds, extends and skips; bad times and someone else's game are refused with a code, and nothing changes."""

from __future__ import annotations

import json

import pytest

from mmgame import services
from mmgame.models import Game, Market

pytestmark = pytest.mark.django_db


def url(game: Game, action: str = "") -> str:
    return f"/api/games/{game.join_code}/autopilot" + (f"/{action}" if action else "")


def fresh(game: Game) -> Game:
    return Game.objects.get(pk=game.pk)


def test_the_host_turns_it_on_with_times_and_every_screen_gets_the_deadline(host_api, host, game, market):
    services.show_market(host, market.pk)
    reply = host_api.post(url(game), {"on": True, "seconds": {"question": 20, "trading": 90}})
    assert reply.status_code == 200, reply.json()
    body = reply.json()
    assert body["on"] is True and body["held"] is False and body["at"]
    assert body["seconds"] == {"question": 20, "guess": 30, "guesses": 10, "trading": 90, "answer": 10, "lesson": 15}
    again = host_api.post(url(game), {"on": True, "seconds": {"answer": 25}}).json()["seconds"]
    assert (again["question"], again["trading"], again["answer"]) == (20, 90, 25)  # the others keep theirs
    found = host_api.get(f"/api/games/{game.join_code}").json()["game"]["autopilot"]
    assert found == {key: body[key] for key in ("on", "at", "held", "left", "note")}  # the game every screen reads


def test_hold_extend_and_skip(host_api, host, game, market):
    services.show_market(host, market.pk)
    host_api.post(url(game), {"on": True, "seconds": {"question": 20}})
    held = host_api.post(url(game, "hold"), {"held": True}).json()
    assert held["held"] is True and held["at"] is None and 19 <= held["left"] <= 20
    assert host_api.post(url(game, "extend")).json()["left"] >= 49
    skipped = host_api.post(url(game, "skip"))
    assert skipped.status_code == 200
    assert Market.objects.get(pk=market.pk).phase == Market.Phase.GUESS
    assert skipped.json()["held"] is True and skipped.json()["left"] == 30  # still held: the guess's full time


@pytest.mark.parametrize(
    "body",
    [
        {"on": True, "seconds": {"question": -5}},
        {"on": True, "seconds": {"question": 0}},
        {"on": True, "seconds": {"trading": 10**12}},
        {"on": True, "seconds": {"trading": 601}},
        {"on": True, "seconds": {"answer": 12.5}},
        {"on": True, "seconds": {"answer": "15"}},
        {"on": True, "seconds": {"closed": 10}},
        {"on": True, "seconds": {"question": True}},
        {"on": "yes"},
        {"seconds": {"question": 10}},
        {"on": True, "speed": 2},
    ],
)
def test_bad_times_are_refused_with_a_code_and_change_nothing(host_api, game, body):
    reply = host_api.post(url(game), body)
    assert 400 <= reply.status_code < 500 and reply.json()["code"]
    assert not fresh(game).autopilot and fresh(game).autopilot_seconds == {}


def test_not_a_number_is_refused(host_api, game):
    reply = host_api.post(url(game), raw='{"on": true, "seconds": {"trading": NaN}}')
    assert 400 <= reply.status_code < 500 and reply.json()["code"]
    assert not fresh(game).autopilot


@pytest.mark.parametrize("action", ["", "hold", "extend", "skip"])
def test_someone_elses_game_is_not_found_and_nothing_changes(intruder_api, host, game, market, action):
    services.show_market(host, market.pk)
    body = {"": {"on": True}, "hold": {"held": True}}.get(action)
    reply = intruder_api.post(url(game, action), body)
    assert reply.status_code == 404 and reply.json()["code"] == "not_found"
    assert not fresh(game).autopilot and Market.objects.get(pk=market.pk).phase == Market.Phase.QUESTION


@pytest.mark.parametrize("action", ["hold", "extend", "skip"])
def test_hold_extend_and_skip_with_autopilot_off_are_refused(host_api, host, game, market, action):
    services.show_market(host, market.pk)
    reply = host_api.post(url(game, action), {"held": True} if action == "hold" else None)
    assert reply.status_code == 409 and reply.json()["code"] == "invalid_status_change"
    assert Market.objects.get(pk=market.pk).phase == Market.Phase.QUESTION


def test_a_player_cannot_run_the_autopilot(alice_bot, game):
    reply = alice_bot.post(url(game), {"on": True})
    assert reply.status_code == 401
    assert not fresh(game).autopilot


def test_a_market_takes_its_own_times_over_the_games(host_api, game, market):
    host_api.post(url(game), {"on": True, "seconds": {"trading": 60}})
    reply = host_api.post(f"/api/markets/{market.pk}/autopilot", {"seconds": {"trading": 120, "lesson": 30}})
    assert reply.status_code == 200, reply.json()
    assert reply.json()["seconds"]["trading"] == 120 and reply.json()["seconds"]["question"] == 15
    assert reply.json()["question_seconds"] == {"with_guesses": 15 + 30 + 10 + 120 + 10 + 30,
                                                "without_guesses": 15 + 120 + 10 + 30}  # fmt: skip
    assert fresh(game).phase_seconds()["trading"] == 60  # the game's other markets keep the game's
    host_api.post(f"/api/markets/{market.pk}/autopilot", {"seconds": {}})
    assert fresh(game).phase_seconds(market.pk)["trading"] == 60


@pytest.mark.parametrize("seconds", [{"trading": -1}, {"trading": 601}, {"trading": 1.5}, {"podium": 5}, None])
def test_a_markets_bad_times_are_refused(host_api, game, market, seconds):
    reply = host_api.post(f"/api/markets/{market.pk}/autopilot", {"seconds": seconds})
    assert 400 <= reply.status_code < 500 and reply.json()["code"]
    assert fresh(game).autopilot_markets == {}


def test_another_hosts_market_is_not_found(intruder_api, game, market):
    reply = intruder_api.post(f"/api/markets/{market.pk}/autopilot", {"seconds": {"trading": 100}})
    assert reply.status_code == 404 and reply.json()["code"] == "not_found"
    assert fresh(game).autopilot_markets == {}


def test_a_hold_for_want_of_an_answer_is_said_in_the_readers_language(host_api, host, game):
    """The note is kept as words, not English (mmgame.languages.kept): each reader gets it in their language."""
    from tests.live.test_languages import hold_for_want_of_an_answer

    hold_for_want_of_an_answer(host, game)
    kept = json.loads(fresh(game).autopilot_note)  # the catalogue's msgid and its values, said when read
    assert kept == {"template": "type the true value to reveal the answer", "values": {}}
    said = {}
    for language in ("de", "fr", "en"):
        host_api.client.cookies.pop("django_language", None)
        got = host_api.client.get(f"/api/games/{game.join_code}", headers={"accept-language": language})
        said[language] = got.json()["game"]["autopilot"]["note"]
    assert said == {
        "de": "gib den wahren Wert ein, um die Antwort aufzudecken",
        "fr": "saisis la vraie valeur pour révéler la réponse",
        "en": "type the true value to reveal the answer",
    }
