"""Games over the API: the host creates and runs them, anyone finds one by code, players join."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Game, Market, Player
from mmgame.services import limits

from ..services.ledger import rows

pytestmark = pytest.mark.django_db


def test_host_creates_a_game(host_api, host):
    response = host_api.post("/api/games", {"title": "Physics 101", "hide_names": True})

    assert response.status_code == 201
    game = Game.objects.get(pk=response.json()["id"])
    assert (game.host, game.title, game.hide_names) == (host, "Physics 101", True)
    assert response.json()["join_code"] == game.join_code


def test_host_lists_only_their_own_games(host_api, game, other_game):
    response = host_api.get("/api/games")

    assert response.status_code == 200
    assert [g["id"] for g in response.json()] == [game.pk]


def test_creating_a_game_needs_a_sign_in(anyone):
    anyone.fetch_csrf()

    response = anyone.post("/api/games", {"title": "Sneaky"})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Game.objects.exists()


def test_a_blank_title_is_refused(host_api):
    response = host_api.post("/api/games", {"title": "   "})

    assert response.status_code == 422  # the schema says so (a pattern), as the service would
    assert response.json()["errors"][0]["loc"][-1] == "title"
    assert not Game.objects.exists()


def test_anyone_finds_a_game_by_its_code_and_its_players_see_its_markets(anyone, alice_bot, game, open_market, alice):
    response = anyone.get(f"/api/games/{game.join_code.lower()}")

    assert response.status_code == 200
    body = response.json()
    assert body["game"]["id"] == game.pk
    assert body["markets"] == []  # market reads need a seat in the game (mmgame.access)
    assert body["players"] == 1
    assert [m["id"] for m in alice_bot.get(f"/api/games/{game.join_code}").json()["markets"]] == [open_market.pk]


def test_a_kicked_seat_no_longer_reads_the_games_markets(host, alice_bot, game, open_market, alice):
    """Issue 23, finding 8: it still read the markets, their curves and phases here."""
    services.kick_player(host, alice)

    response = alice_bot.get(f"/api/games/{game.join_code}")

    assert (response.status_code, response.json()["code"]) == (403, "kicked")
    assert "markets" not in response.json()


def test_draft_markets_are_listed_for_the_host_alone(anyone, host_api, game, market):
    assert anyone.get(f"/api/games/{game.join_code}").json()["markets"] == []
    assert [m["id"] for m in host_api.get(f"/api/games/{game.join_code}").json()["markets"]] == [market.pk]


def test_an_unknown_code_is_a_json_404(anyone, game):
    response = anyone.get("/api/games/ZZZZZZ")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_host_adds_a_market_with_exact_quantities(host_api, game):
    body = {
        "question": "Distance to the Moon?",
        "unit": "km",
        "lo": 384000,
        "hi": 1000000000.3,
        "prior_mean": 500000000.1,
        "prior_sd": 100000000,
        "liquidity": "deep",
        "budget": 500,
    }

    response = host_api.post(f"/api/games/{game.join_code}/markets", body)

    assert response.status_code == 201
    market = Market.objects.get(pk=response.json()["id"])
    assert market.hi == Decimal("1000000000.3")
    assert market.prior_mean == Decimal("500000000.1")
    assert (market.liquidity, market.budget, market.status) == (services.LIQUIDITY["deep"], 500.0, "draft")


def test_a_market_with_lo_above_hi_is_refused(host_api, game):
    response = host_api.post(f"/api/games/{game.join_code}/markets", {"question": "Q?", "lo": 10, "hi": 1})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_curve"
    assert not Market.objects.exists()


def test_an_unfair_prior_is_refused_with_the_nearest_fair_one(host_api, game):
    body = {"question": "Q?", "lo": 0, "hi": 300, "prior_mean": 300, "prior_sd": 300, "budget": 100}

    response = host_api.post(f"/api/games/{game.join_code}/markets", body)

    assert response.status_code == 400
    refusal = response.json()
    assert refusal["code"] == "unfair_curve" and refusal["field"] == "prior_sd"
    fair = {**body, "prior_mean": float(refusal["nearest_mean"]), "prior_sd": float(refusal["nearest_sd"])}
    assert not Market.objects.exists()
    assert host_api.post(f"/api/games/{game.join_code}/markets", fair).status_code == 201


@pytest.mark.parametrize(
    "change",
    [{"lo": "0"}, {"hi": True}, {"liquidity": "huge"}, {"budget": None}, {"color": "red"}, {"question": 7}],
)
def test_a_market_with_badly_typed_fields_is_refused(host_api, game, change):
    body = {"question": "Q?", "lo": 0, "hi": 10, "budget": 100, **change}

    response = host_api.post(f"/api/games/{game.join_code}/markets", body)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert not Market.objects.exists()


def test_only_the_host_adds_markets(intruder_api, game):
    response = intruder_api.post(f"/api/games/{game.join_code}/markets", {"question": "Q?", "lo": 0, "hi": 1})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Market.objects.exists()


def test_a_bot_joins_and_gets_a_seat_token(anyone, game):
    response = anyone.post(f"/api/games/{game.join_code}/join", {"nickname": "  Zoë  "}, csrf=False)

    assert response.status_code == 201
    body = response.json()
    player = Player.objects.get(pk=body["player_id"])
    assert (player.nickname, player.seat_token, body["game"]["id"]) == ("Zoë", body["seat_token"], game.pk)
    assert body["session"] is False  # no CSRF token: not a browser on this site, nothing kept in a session


def test_a_taken_nickname_is_refused(anyone, game, alice):
    response = anyone.post(f"/api/games/{game.join_code}/join", {"nickname": "ALICE"}, csrf=False)

    assert response.status_code == 409
    assert response.json()["code"] == "nickname_taken"
    assert Player.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"nickname": 42}, {"nickname": ""}, {"nickname": "x" * 101}, ["Alice"]])
def test_a_join_without_a_proper_nickname_is_refused(anyone, game, body):
    response = anyone.post(f"/api/games/{game.join_code}/join", body, csrf=False)

    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("invalid", "invalid_request")
    assert not Player.objects.exists()


def test_host_lists_players(host_api, game, alice, bob):
    response = host_api.get(f"/api/games/{game.join_code}/players")

    assert response.status_code == 200
    assert [p["nickname"] for p in response.json()] == ["Alice", "Bob"]


def test_host_kicks_a_player(host_api, game, alice):
    response = host_api.post(f"/api/games/{game.join_code}/players/{alice.pk}/kick")

    assert response.status_code == 200
    assert response.json() == {
        "id": alice.pk,
        "nickname": "Alice",
        "kicked": True,
        "name_freed": False,
        "is_bot": False,
    }
    assert Player.objects.get(pk=alice.pk).kicked


def test_a_player_of_another_game_cannot_be_kicked_through_this_one(host_api, game, stranger):
    before = rows()

    response = host_api.post(f"/api/games/{game.join_code}/players/{stranger.pk}/kick")

    assert response.status_code == 404
    assert rows() == before


def test_only_the_host_kicks(intruder_api, game, alice):
    response = intruder_api.post(f"/api/games/{game.join_code}/players/{alice.pk}/kick")

    assert response.status_code == 404
    assert not Player.objects.get(pk=alice.pk).kicked


def test_a_player_cannot_kick_with_their_seat_token(alice_bot, game, bob):
    response = alice_bot.post(f"/api/games/{game.join_code}/players/{bob.pk}/kick")

    assert response.status_code == 401
    assert not Player.objects.get(pk=bob.pk).kicked


def test_host_finishes_the_game(host_api, game):
    response = host_api.post(f"/api/games/{game.join_code}/finish")

    assert response.status_code == 200
    assert response.json()["status"] == Game.objects.get(pk=game.pk).status == "finished"


def test_game_leaderboard_ranks_every_player_by_profit(bob_bot, game, alice, bob, open_market):
    services.place_trade(alice, open_market.pk, Order("target", mean=120, sd=60), idempotency_key="a")

    response = bob_bot.get(f"/api/games/{game.join_code}/leaderboard")

    assert response.status_code == 200
    expected = queries.game_leaderboard(game)
    assert [(s["nickname"], s["rank"]) for s in response.json()["profit"]] == [(s.nickname, s.rank) for s in expected]
    assert {s["nickname"] for s in response.json()["profit"]} == {"Alice", "Bob"}


def test_the_game_board_leaves_the_practice_traders_out_unless_included(host, bob_bot, game, alice, bob, open_market):
    bot = services.add_practice_traders(host, game, count=1, knowledge="noise")[0]
    services.place_trade(bot.player, open_market.pk, Order("target", mean=120, sd=60), idempotency_key="b")

    body = bob_bot.get(f"/api/games/{game.join_code}/leaderboard").json()

    assert sorted((s["nickname"], s["rank"]) for s in body["profit"]) == [("Alice", 1), ("Bob", 1)]  # both at 0
    assert body["podium"] == body["profit"]  # one ranking
    services.set_include_bots(host, game, include_bots=True)
    body = bob_bot.get(f"/api/games/{game.join_code}/leaderboard").json()
    assert {s["nickname"]: s["is_bot"] for s in body["profit"]} == {"Alice": False, "Bob": False, "Bot Ada": True}
    assert body["podium"] == body["profit"]


def test_hidden_names_show_only_the_callers_own(host, alice_bot, anyone, alice, bob):
    Game.objects.filter(pk=alice.game_id).update(hide_names=True)
    code = alice.game.join_code

    seen_by_alice = [
        (s["player_id"], s["nickname"]) for s in alice_bot.get(f"/api/games/{code}/leaderboard").json()["profit"]
    ]
    refused = anyone.get(f"/api/games/{code}/leaderboard")

    # Bob's row carries no player id either: the lobby's list of players would map it to his name.
    assert sorted(seen_by_alice, key=str) == sorted([(alice.pk, "Alice"), (None, None)], key=str)
    assert (refused.status_code, refused.json()["code"]) == (401, "not_signed_in")


# -- impersonation and squatting (issue 14, finding 5) ----------------------------------------------


def test_a_lookalike_nickname_is_refused_over_the_api(anyone, game, alice):
    response = anyone.post(f"/api/games/{game.join_code}/join", {"nickname": "Аlice"}, csrf=False)

    assert response.status_code == 409 and response.json()["code"] == "nickname_taken"


def test_an_invisible_nickname_is_refused_over_the_api(anyone, game):
    response = anyone.post(f"/api/games/{game.join_code}/join", {"nickname": "Bob\u3164"}, csrf=False)

    assert response.status_code == 400
    assert response.json()["code"] == "nickname_unreadable" and "invisible" in response.json()["message"]
    assert not Player.objects.exists()


def test_the_host_caps_the_players_over_the_api(host_api, anyone):
    response = host_api.post("/api/games", {"title": "Small group", "max_players": 1})
    code = response.json()["join_code"]
    assert anyone.post(f"/api/games/{code}/join", {"nickname": "Ann"}, csrf=False).status_code == 201

    refused = anyone.post(f"/api/games/{code}/join", {"nickname": "Ben"}, csrf=False)

    assert refused.status_code == 409 and refused.json()["code"] == "game_full"
    assert Game.objects.get(join_code=code).max_players == 1


@pytest.mark.parametrize("most", [0, 2001, "5", None])
def test_a_cap_out_of_range_is_refused_over_the_api(host_api, most):
    response = host_api.post("/api/games", {"title": "Class", "max_players": most})

    assert response.status_code == 422
    assert not Game.objects.exists()


def test_the_host_frees_a_kicked_nickname_over_the_api(host_api, anyone, game, alice):
    host_api.post(f"/api/games/{game.join_code}/players/{alice.pk}/kick")

    response = host_api.post(f"/api/games/{game.join_code}/players/{alice.pk}/free-name")

    assert response.status_code == 200
    assert response.json() == {"id": alice.pk, "nickname": "Alice", "kicked": True, "name_freed": True, "is_bot": False}
    assert anyone.post(f"/api/games/{game.join_code}/join", {"nickname": "Alice"}, csrf=False).status_code == 201


def test_a_name_still_in_play_cannot_be_freed_over_the_api(host_api, game, alice):
    response = host_api.post(f"/api/games/{game.join_code}/players/{alice.pk}/free-name")

    assert response.status_code == 409 and response.json()["code"] == "invalid_status_change"


def test_only_the_host_frees_a_nickname_over_the_api(host, intruder_api, game, alice):
    services.kick_player(host, alice)

    response = intruder_api.post(f"/api/games/{game.join_code}/players/{alice.pk}/free-name")

    assert response.status_code == 404
    assert not Player.objects.get(pk=alice.pk).name_freed


def test_one_address_may_join_so_many_times_a_minute(anyone, host, settings, monkeypatch):
    settings.RATE_LIMITS = {"join": (3, 60.0)}
    # The limiter's own clock: the window slides, so the fourth join waits 60 to 66 s (slots of 6 s).
    monkeypatch.setattr(limits, "clock", lambda: 60.0 * 123_457 + 1)
    game = services.create_game(host, "Class")
    answers = [anyone.post(f"/api/games/{game.join_code}/join", {"nickname": f"P{i}"}, csrf=False) for i in range(4)]

    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert answers[-1].json()["code"] == "rate_limited" and 60 <= answers[-1].json()["retry_after"] <= 66
    assert game.players.count() == 3
