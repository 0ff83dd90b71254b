"""The teacher's voice over the API: a market's explanation and source, shown with the answer; a first
guess's reason, the host's alone until picked (at most three); bad text refused with a code, nothing stored."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.models import Guess, Market
from mmgame.services.games import LONGEST_EXPLANATION, LONGEST_SOURCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def guessing(host, market):
    for phase in ("question", "guess"):
        services.step_market(host, market.pk, phase=phase)
    return market


def test_a_market_added_with_an_explanation_shows_it_as_text_at_the_answer(host_api, game, alice_bot):
    body = {"question": "How tall?", "lo": 0, "hi": 300, "answer": 120}
    explained = {"explanation": "<img src=x onerror=alert(1)> tape measure", "source": "Our own tape"}
    created = host_api.post(f"/api/games/{game.join_code}/markets", {**body, **explained}).json()
    url = f"/api/markets/{created['id']}"
    assert created["explanation"] is None  # the answer is not shown yet: neither is what explains it
    for phase in ("question", "trading", "closed", "answer"):
        host_api.post(f"{url}/phase", {"phase": phase, "confirm": True, "outcome": 120})

    assert alice_bot.get(url).json()["explanation"] == {"text": explained["explanation"], "source": "Our own tape"}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("explanation", "x" * (LONGEST_EXPLANATION + 1), "too_long"),
        ("source", "y" * (LONGEST_SOURCE + 1), "too_long"),
        ("source", "a\u0007", "control_character"),
    ],
)
def test_a_bad_explanation_or_source_is_a_400_and_adds_no_market(host_api, game, field, value, code):
    body = {"question": "How tall?", "lo": 0, "hi": 300, field: value}
    answer = host_api.post(f"/api/games/{game.join_code}/markets", body)
    assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (400, code, field)
    assert not Market.objects.exists()


def test_a_guess_keeps_its_reason_for_its_player_and_the_host(alice_bot, host_api, guessing, alice):
    url = f"/api/markets/{guessing.pk}"
    given = alice_bot.post(f"{url}/guess", {"mean": 150, "sd": 30, "reason": "Half the jar, twice"})

    assert (given.status_code, given.json()["reason"]) == (200, "Half the jar, twice")
    assert alice_bot.get(f"{url}/guess").json()["reason"] == "Half the jar, twice"
    (row,) = host_api.get(f"{url}/reasons").json()
    assert (row["nickname"], row["reason"], row["picked"]) == ("Alice", "Half the jar, twice", False)


@pytest.mark.parametrize(
    ("reason", "code"), [("z" * 141, "too_long"), ("a\u0000b", "control_character"), (7, "invalid_request")]
)
def test_a_bad_reason_is_a_400_and_stores_no_guess(alice_bot, guessing, reason, code):
    answer = alice_bot.post(f"/api/markets/{guessing.pk}/guess", {"mean": 150, "sd": 30, "reason": reason})
    assert (answer.status_code, answer.json()["code"]) == (422 if code == "invalid_request" else 400, code)
    assert not Guess.objects.exists()


def test_the_host_picks_three_and_a_fourth_is_a_400(host_api, guessing, game, alice_bot):
    seats = [services.join_game(game.join_code, name) for name in ("Ana", "Ben", "Cy", "Di")]
    for number, seat in enumerate(seats):
        services.submit_guess(seat, guessing.pk, services.trading.Order("target", mean=100 + number, sd=30), reason="r")
    ids = [row["guess_id"] for row in host_api.get(f"/api/markets/{guessing.pk}/reasons").json()]
    url = f"/api/markets/{guessing.pk}/reasons"

    assert [row["picked"] for row in host_api.post(url, {"picked": ids[:3]}).json()] == [True, True, True, False]
    fourth = host_api.post(url, {"picked": ids})
    assert (fourth.status_code, fourth.json()["code"], fourth.json()["most"]) == (400, "too_many_reasons", 3)
    assert Guess.objects.filter(reason_picked=True).count() == 3
    for bad in (["1"], [True], [-1]):
        assert host_api.post(url, {"picked": bad}).status_code == 422
    assert Guess.objects.filter(reason_picked=True).count() == 3


def test_only_the_host_reads_or_picks_reasons(alice_bot, intruder_api, anyone, guessing):
    url = f"/api/markets/{guessing.pk}/reasons"
    for client, status in ((alice_bot, 401), (intruder_api, 404), (anyone, 401)):
        assert client.get(url).status_code == status
        assert client.post(url, {"picked": []}).status_code == status
