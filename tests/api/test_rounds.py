"""The round over the API: the host steps the phases (409s with their codes), enters the answer in advance
(the host's alone), and a seat gives and reads its sealed first guess."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import services
from mmgame.models import Game, Guess, Market
from mmgame.queries.shapes import market_state

from ..services.ledger import rows

pytestmark = pytest.mark.django_db


def phase(client, market, to: str, **options):
    return client.post(f"/api/markets/{market.pk}/phase", {"phase": to, **options})


def now(market) -> Market:
    return Market.objects.get(pk=market.pk)


# -- stepping the round -------------------------------------------------------------------------------


def test_the_host_steps_a_market_through_its_round(host_api, game, market, alice_bot):
    answers = []
    for to, options in [
        ("question", {}),
        ("guess", {}),
        ("guesses", {"confirm": True}),
        ("trading", {}),
        ("closed", {}),
        ("answer", {"confirm": True, "outcome": 140}),
        ("lesson", {}),
    ]:
        if to == "guesses":
            assert alice_bot.post(f"/api/markets/{market.pk}/guess", {"mean": 150, "sd": 30}).status_code == 200
        response = phase(host_api, market, to, **options)
        assert response.status_code == 200, response.json()
        answers.append((response.json()["phase"], response.json()["status"]))
        assert response.json() == market_state(now(market))

    assert answers == [
        ("question", "draft"),
        ("guess", "draft"),
        ("guesses", "draft"),
        ("trading", "open"),
        ("closed", "closed"),
        ("answer", "resolved"),
        ("lesson", "resolved"),
    ]
    assert now(market).outcome == Decimal(140)
    assert host_api.get(f"/api/games/{game.join_code}").json()["game"]["current_market_id"] == market.pk


def test_a_reveal_without_confirm_is_a_409_confirm_needed(host_api, market):
    phase(host_api, market, "question")
    phase(host_api, market, "guess")
    before = rows()

    response = phase(host_api, market, "guesses")

    assert response.status_code == 409
    assert response.json()["code"] == "confirm_needed"
    assert (response.json()["phase"], response.json()["to"]) == ("guess", "guesses")
    assert rows() == before


def test_a_step_that_is_not_next_or_back_is_a_409_naming_both(host_api, market):
    phase(host_api, market, "question")

    response = phase(host_api, market, "closed")

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["phase"], body["next"], body["back"]) == (
        "invalid_status_change",
        "question",
        "guess",
        None,
    )


def test_an_unknown_phase_is_a_422(host_api, market):
    response = phase(host_api, market, "podium")

    assert response.status_code == 422
    assert now(market).phase == "draft"


def test_the_answer_with_no_value_is_refused_on_outcome(host_api, host, game):
    m = services.add_market(host, game, question="Q?", lo=0, hi=10, first_guess=False)
    for to in ("question", "trading", "closed"):
        assert phase(host_api, m, to).status_code == 200

    response = phase(host_api, m, "answer", confirm=True)

    assert response.status_code == 400
    assert response.json()["field"] == "outcome"
    assert now(m).status == "closed"


def test_show_refuses_while_another_trades_unless_close_others(host_api, host, game, market):
    other = services.add_market(host, game, question="Q?", lo=0, hi=10, first_guess=False)
    phase(host_api, other, "question")
    phase(host_api, other, "trading")

    refused = host_api.post(f"/api/markets/{market.pk}/show")
    assert (refused.status_code, refused.json()["code"]) == (409, "confirm_needed")
    assert refused.json()["still_trading"] == [other.pk]

    shown = host_api.post(f"/api/markets/{market.pk}/show", {"close_others": True})
    assert (shown.status_code, shown.json()["phase"]) == (200, "question")
    assert now(other).phase == "closed"
    assert Game.objects.get(pk=game.pk).current_market_id == market.pk


def test_a_player_or_another_host_cannot_step(alice_bot, intruder_api, anyone, market):
    assert phase(alice_bot, market, "question").status_code == 401
    assert phase(anyone, market, "question").status_code == 401
    response = phase(intruder_api, market, "question")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert intruder_api.post(f"/api/markets/{market.pk}/show").status_code == 404
    assert now(market).phase == "draft"


# -- the answer entered in advance --------------------------------------------------------------------


def test_the_host_enters_reads_and_clears_the_answer(host_api, market):
    url = f"/api/markets/{market.pk}/answer"
    assert host_api.get(url).json() == {"market_id": market.pk, "answer": None, "answer_exact": None}

    entered = host_api.post(url, {"answer": 123.5})
    assert entered.status_code == 200
    assert entered.json() == {"market_id": market.pk, "answer": 123.5, "answer_exact": "123.5"}
    assert host_api.get(url).json()["answer"] == 123.5
    assert host_api.post(url, {"answer": 1000}).json()["answer"] == 300  # clamped as it would settle

    assert host_api.post(url, {"answer": None}).json()["answer"] is None
    assert now(market).answer is None


def test_the_answer_is_the_hosts_alone(host, host_api, alice_bot, bob_bot, intruder_api, anyone, market):
    services.set_answer(host, market.pk, 123)
    services.step_market(host, market.pk, phase="question")
    url = f"/api/markets/{market.pk}/answer"

    for client in (alice_bot, bob_bot, anyone):
        assert client.get(url).status_code == 401  # a seat holds no login: the host's API asks for one
        assert client.post(url, {"answer": 1}).status_code == 401
    assert (intruder_api.get(url).status_code, intruder_api.post(url, {"answer": 1}).status_code) == (404, 404)
    assert "answer" not in alice_bot.get(f"/api/markets/{market.pk}").json()
    assert "123" not in alice_bot.get(f"/api/markets/{market.pk}").content.decode()
    assert now(market).answer == Decimal(123)


def test_the_answer_at_the_answer_phase_is_the_one_entered_in_advance(host_api, market):
    host_api.post(f"/api/markets/{market.pk}/answer", {"answer": 77})
    for to in ("question", "trading", "closed"):
        phase(host_api, market, to)

    response = phase(host_api, market, "answer", confirm=True)

    assert (response.json()["status"], response.json()["outcome"]) == ("resolved", 77)
    changed = host_api.post(f"/api/markets/{market.pk}/answer", {"answer": 1})
    assert (changed.status_code, changed.json()["code"]) == (409, "invalid_status_change")


def test_a_market_added_with_its_answer_keeps_it_for_the_host(host_api, game):
    body = {"question": "Tower?", "lo": 0, "hi": 300, "answer": 173.25, "first_guess": False}
    created = host_api.post(f"/api/games/{game.join_code}/markets", body)
    assert created.status_code in (200, 201), created.json()
    assert "answer" not in created.json() and created.json()["first_guess"] is False

    assert host_api.get(f"/api/markets/{created.json()['id']}/answer").json()["answer"] == 173.25


# -- first guesses --------------------------------------------------------------------------------------


@pytest.fixture
def guessing(host, market):
    services.step_market(host, market.pk, phase="question")
    services.step_market(host, market.pk, phase="guess")
    return now(market)


def test_a_seat_gives_replaces_and_reads_its_first_guess(alice_bot, guessing, alice):
    url = f"/api/markets/{guessing.pk}/guess"
    assert (alice_bot.get(url).status_code, alice_bot.get(url).json()["code"]) == (404, "not_found")

    given = alice_bot.post(url, {"mean": 150, "sd": 30})
    assert given.status_code == 200
    assert given.json()["market_id"] == guessing.pk
    assert (given.json()["mean"], given.json()["sd"]) == (pytest.approx(150), pytest.approx(30))
    assert alice_bot.post(url, {"mean": 160, "sd": 30}).status_code == 200

    assert alice_bot.get(url).json()["mean"] == pytest.approx(160)
    assert Guess.objects.filter(market=guessing).count() == 1
    assert alice_bot.get(f"/api/markets/{guessing.pk}").json()["guesses"] == {
        "count": 1,
        "revealed": False,
        "middles": None,
        "average": None,
        "reasons": None,
    }


def test_a_guess_outside_the_first_guess_phase_is_a_409_guessing_closed(host, alice_bot, guessing):
    services.step_market(host, guessing.pk, phase="guesses", confirm=True)

    response = alice_bot.post(f"/api/markets/{guessing.pk}/guess", {"mean": 150, "sd": 30})

    assert (response.status_code, response.json()["code"], response.json()["phase"]) == (
        409,
        "guessing_closed",
        "guesses",
    )


def test_a_bad_guess_is_refused_with_its_field(alice_bot, guessing):
    url = f"/api/markets/{guessing.pk}/guess"
    low = alice_bot.post(url, {"mean": 150, "sd": 0.5})
    assert (low.status_code, low.json()["code"], low.json()["field"]) == (400, "invalid_curve", "guess_sd")
    unfair = alice_bot.post(url, {"mean": 20, "sd": 100})
    assert (unfair.json()["code"], unfair.json()["field"]) == ("unfair_curve", "guess_sd")
    assert "nearest_mean" in unfair.json() and "nearest_sd" in unfair.json()
    assert alice_bot.post(url, {"mean": 150, "sd": 30, "kind": "toward"}).status_code == 422
    assert Guess.objects.filter(market=guessing).count() == 0


def test_a_draft_or_another_games_market_takes_no_guess(alice_bot, market, other_host, other_game):
    draft = alice_bot.post(f"/api/markets/{market.pk}/guess", {"mean": 150, "sd": 30})
    assert (draft.status_code, draft.json()["code"]) == (404, "not_found")
    theirs = services.add_market(other_host, other_game, question="Theirs?", lo=0, hi=300)
    services.step_market(other_host, theirs.pk, phase="question")
    services.step_market(other_host, theirs.pk, phase="guess")
    response = alice_bot.post(f"/api/markets/{theirs.pk}/guess", {"mean": 150, "sd": 30})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Guess.objects.count() == 0


def test_a_kicked_seat_gives_no_guess(host, alice, alice_bot, guessing):
    services.kick_player(host, alice)

    response = alice_bot.post(f"/api/markets/{guessing.pk}/guess", {"mean": 150, "sd": 30})

    assert (response.status_code, response.json()["code"]) == (403, "kicked")
