"""Finding 4 of issue 14 over the API: a rate-limited request is a 429 with Retry-After, and a whole class
behind one address can join."""

from __future__ import annotations

import pytest
from django.test import Client

from mmgame import services
from mmgame.models import Player, Trade
from mmgame.services import limits

from .conftest import JSONClient, target

pytestmark = [pytest.mark.django_db, pytest.mark.rate_limits]


@pytest.fixture
def clock(monkeypatch):
    now = [5_000_000.5]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    return now


def join(code: str, nickname: str, address: str = "10.0.0.1"):
    return JSONClient(Client(REMOTE_ADDR=address)).post(f"/api/games/{code}/join", {"nickname": nickname})


def test_a_trade_over_the_limit_is_a_429_with_retry_after(alice_bot, open_market, clock):
    for i in range(20):
        assert (
            alice_bot.post(f"/api/markets/{open_market.pk}/trades", target(100 + i % 2, 60, f"k{i}")).status_code == 201
        )

    response = alice_bot.post(f"/api/markets/{open_market.pk}/trades", target(130, 60, "one-too-many"))

    assert response.status_code == 429
    assert response["Retry-After"] == "2"  # 1.1 s rounded up: the 20 trades leave the sliding second
    assert response.json()["code"] == "rate_limited" and 1 <= response.json()["retry_after"] <= 1.1
    assert Trade.objects.count() == 20


def test_a_quote_over_the_limit_is_a_429(alice_bot, open_market, clock):
    for _ in range(30):
        assert alice_bot.post(f"/api/markets/{open_market.pk}/quote", {"kind": "close"}).status_code in (200, 400)

    response = alice_bot.post(f"/api/markets/{open_market.pk}/quote", {"kind": "target", "mean": 1, "sd": 9})

    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")


def test_a_trade_that_moves_nothing_is_refused_with_no_move(alice_bot, open_market):
    body = '{"kind": "shares", "delta_1": 1e-400, "delta_2": -1e-400, "idempotency_key": "dust"}'

    response = alice_bot.post(f"/api/markets/{open_market.pk}/trades", raw=body)

    assert (response.status_code, response.json()["code"]) == (400, "no_move")
    assert not Trade.objects.exists()


def test_a_class_of_a_hundred_behind_one_address_joins_within_a_minute(game, clock):
    for i in range(100):
        assert join(game.join_code, f"Student {i}").status_code == 201
        clock[0] += 0.58  # 100 in 58 s: a use leaves the sliding 5 s between 5 and 5.5 s after it

    assert Player.objects.count() == 100


def test_joins_from_one_address_are_limited(game, clock, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": (5, 60.0)}  # the same counting, fewer requests
    for i in range(5):
        assert join(game.join_code, f"S{i}").status_code == 201

    response = join(game.join_code, "One too many")

    assert response.status_code == 429 and 60 <= int(response["Retry-After"]) <= 66
    assert response.json()["code"] == "rate_limited"
    assert join(game.join_code, "Next room", address="10.0.0.2").status_code == 201
    assert not Player.objects.filter(nickname="One too many").exists()


# -- issue 23, finding 3: refused joins do not use up the class's quota ----------------------------------


def test_joins_to_a_code_that_does_not_exist_leave_the_class_its_quota(game, clock, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": (5, 60.0)}
    for i in range(50):  # the attack: 270 in 5.8 s, here fewer against a smaller quota
        assert join("ZZZZZZ" if i % 2 else "23456Q", f"Spam {i}").status_code == 404

    assert [join(game.join_code, f"Student {i}").status_code for i in range(5)] == [201] * 5


def test_joins_refused_as_name_taken_or_game_full_leave_the_class_its_quota(host, game, clock, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": (3, 60.0)}
    full = services.create_game(host, "Full", max_players=1)
    assert join(full.join_code, "First").status_code == 201
    assert join(game.join_code, "Taken").status_code == 201
    for i in range(20):
        assert join(full.join_code, f"Late {i}").json()["code"] == "game_full"
        assert join(game.join_code, "Taken").json()["code"] == "nickname_taken"

    assert join(game.join_code, "Student").status_code == 201
    assert join(game.join_code, "One too many").status_code == 429


def test_one_address_cannot_take_a_games_seats_in_seconds(game, clock):
    """30 joins from one address in 12.5 s held 30 seats and 30 clues; now a class's pace, 10 every 5 s,
    while another game's joins from the same address are not held back."""
    answers = [join(game.join_code, f"Sock {i}").status_code for i in range(30)]

    assert answers == [201] * 10 + [429] * 20
    other = services.create_game(game.host, "Next door")
    assert join(other.join_code, "Student").status_code == 201
    clock[0] += 5.5
    assert join(game.join_code, "Sock 10").status_code == 201
