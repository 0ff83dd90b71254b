"""The live leaderboard: every screen gets the top of each board; a player also gets their own rows."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Player
from mmgame.queries import screens

from .conftest import host_socket, player_socket, receive, receive_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]

CLASS_SIZE = screens.TOP_ROWS + 5


def fill_the_class(game, alice, bob, market_id: int) -> list:
    """CLASS_SIZE more players, and three trades that spread the scores."""
    others = [services.join_game(game.join_code, f"Player {i:02d}") for i in range(CLASS_SIZE)]
    services.place_trade(alice, market_id, Order("target", mean=150, sd=40), idempotency_key="a")
    services.place_trade(others[-1], market_id, Order("target", mean=60, sd=30), idempotency_key="z")
    services.place_trade(bob, market_id, Order("target", mean=100, sd=100), idempotency_key="b")
    return others


async def test_a_player_gets_the_top_rows_the_counts_and_their_own_rank_wherever_it_is(game, open_market, alice, bob):
    await database_sync_to_async(fill_the_class)(game, alice, bob, open_market.pk)
    expected = await database_sync_to_async(queries.market_leaderboard)(open_market)
    assert len(expected) == CLASS_SIZE + 2
    last = await database_sync_to_async(Player.objects.get)(pk=expected[-1].player_id)
    socket = await player_socket(last)
    board = (await receive(socket))["leaderboard"]
    key = str(open_market.pk)
    assert [row["player_id"] for row in board["markets"][key]] == [s.player_id for s in expected[: screens.TOP_ROWS]]
    assert board["counts"]["markets"][key] == board["counts"]["game"] == CLASS_SIZE + 2
    mine = board["mine"]["markets"][key]
    assert mine["player_id"] == last.pk and mine["rank"] == expected[-1].rank > screens.TOP_ROWS
    assert mine["score"] == pytest.approx(expected[-1].score) and mine["score"] < 0
    assert board["mine"]["game"]["player_id"] == last.pk
    assert last.pk not in {row["player_id"] for row in board["markets"][key]}
    await socket.disconnect()


async def test_the_host_gets_every_row_and_the_projector_only_the_top(host, game, open_market, alice, bob):
    await database_sync_to_async(fill_the_class)(game, alice, bob, open_market.pk)
    host_screen, projector = await host_socket(host, game.pk), await host_socket(host, game.pk, "projector")
    host_board, projector_board = (await receive(host_screen))["leaderboard"], (await receive(projector))["leaderboard"]
    assert len(host_board["game"]) == CLASS_SIZE + 2
    assert len(projector_board["game"]) == screens.TOP_ROWS
    assert projector_board["game"] == host_board["game"][: screens.TOP_ROWS]
    assert "mine" not in projector_board and "mine" not in host_board
    await host_screen.disconnect()
    await projector.disconnect()


async def test_the_broadcast_board_carries_each_players_own_rows(game, open_market, alice, bob):
    others = await database_sync_to_async(fill_the_class)(game, alice, bob, open_market.pk)
    sockets = {p.pk: await player_socket(p) for p in (alice, others[-1])}
    for socket in sockets.values():
        await receive(socket)
    await database_sync_to_async(services.place_trade)(
        bob, open_market.pk, Order("target", mean=90, sd=50), idempotency_key="again"
    )
    expected = {s.player_id: s for s in await database_sync_to_async(queries.game_leaderboard)(game)}
    for player_id, socket in sockets.items():
        board = await receive_until(socket, "leaderboard")
        assert len(board["game"]) == screens.TOP_ROWS and board["counts"]["game"] == CLASS_SIZE + 2
        mine = board["mine"]["game"]
        assert mine["player_id"] == player_id and mine["rank"] == expected[player_id].rank
        await socket.disconnect()


async def test_with_hidden_names_only_a_players_own_row_names_them(host, alice):
    game = await database_sync_to_async(services.create_game)(host, "Quiet", hide_names=True)
    carol = await database_sync_to_async(services.join_game)(game.join_code, "Carol")
    socket = await player_socket(carol)
    board = (await receive(socket))["leaderboard"]
    assert board["game"][0] == {**board["mine"]["game"], "nickname": None, "player_id": None}
    assert (board["mine"]["game"]["player_id"], board["mine"]["game"]["nickname"]) == (carol.pk, "Carol")
    await socket.disconnect()


def test_the_crowds_score_travels_with_the_top_of_the_board():
    rows = [{"player_id": i, "nickname": f"p{i}", "score": float(i), "rank": 30 - i} for i in range(30)]
    board = {
        "game": rows,
        "markets": {"7": rows},
        "bots_left_out": 10,
        "accuracy": {"7": rows},
        "guesses": {"7": rows},
        "crowd": {"7": 0.41},
    }
    board["lesson"] = {"7": None}
    top = screens.Board(board).top(complete=False, names=True)
    assert len(top["accuracy"]["7"]) == screens.TOP_ROWS
    assert top["crowd"] == {"7": 0.41}  # the crowd's average forecast, scored by the services
    assert top["counts"] == {"game": 30, "markets": {"7": 30}, "accuracy": {"7": 30}, "guesses": {"7": 30}}
    assert top["bots_left_out"] == 10  # the screens' "+ 10 practice traders"
