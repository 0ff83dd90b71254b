"""Hidden names: every screen hears of the switch, and no player or projector can tell who holds which rank."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from mmgame import services
from mmgame.market import Order

from .conftest import host_socket, player_socket, receive, receive_until, request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


async def test_hiding_names_reaches_every_screen_and_the_next_snapshot(host, game, open_market, alice, bob):
    alice_screen, host_screen = await player_socket(alice), await host_socket(host, game.pk)
    first = await receive(alice_screen)
    await receive(host_screen)
    assert {row["nickname"] for row in first["leaderboard"]["game"]} == {"Alice", "Bob"}

    await database_sync_to_async(services.set_hide_names)(host, game, True)

    for screen in (alice_screen, host_screen):
        assert (await receive_until(screen, "game"))["game"]["hide_names"] is True
    again = await request(alice_screen, {"type": "snapshot", "request_id": "after-hiding"})
    assert {row["nickname"] for row in again["leaderboard"]["game"]} == {None}
    seen_by_host = await request(host_screen, {"type": "snapshot", "request_id": "host"})
    assert {row["nickname"] for row in seen_by_host["leaderboard"]["game"]} == {"Alice", "Bob"}
    for screen in (alice_screen, host_screen):
        await screen.disconnect()


def rows_of(board: dict) -> list[dict]:
    """Every row of every board in a leaderboard frame (not `mine`)."""
    return [*board["game"], *(r for rows in board["markets"].values() for r in rows)] + [
        r for rows in board["accuracy"].values() for r in rows
    ]


async def trade_and_resolve(host, market_id: int, alice, bob) -> None:
    for player, mean, key in ((alice, 120, "a"), (bob, 60, "b")):
        await database_sync_to_async(services.place_trade)(
            player, market_id, Order("target", mean=mean, sd=40), idempotency_key=key
        )
    await database_sync_to_async(services.close_market)(host, market_id)
    await database_sync_to_async(services.resolve_market)(host, market_id, 118)


async def test_with_names_hidden_no_rank_can_be_joined_to_a_name(host, game, open_market, alice, bob):
    """Others' rows carry neither nickname nor player id (the lobby maps ids to names); a player's own row
    keeps both; resolved payouts list only the player's own, none on the projector, all for the host."""
    await database_sync_to_async(services.set_hide_names)(host, game, True)
    screens = {
        "alice": await player_socket(alice),
        "projector": await host_socket(host, game.pk, "projector"),
        "host": await host_socket(host, game.pk),
    }
    for screen in screens.values():
        await receive(screen)

    await trade_and_resolve(host, open_market.pk, alice, bob)

    updates = {name: await receive_until(screen, "update") for name, screen in screens.items()}
    while updates["host"]["market"]["status"] != "resolved":
        updates = {name: await receive_until(screen, "update") for name, screen in screens.items()}
    by_player = {row["player_id"]: row["payout"] for row in updates["host"]["payouts"]}
    assert set(by_player) == {alice.pk, bob.pk}
    assert updates["alice"]["payouts"] == [row for row in updates["host"]["payouts"] if row["player_id"] == alice.pk]
    assert updates["projector"]["payouts"] == []

    for screen in screens.values():  # the board after resolution, with its accuracy board
        while str(open_market.pk) not in (await receive_until(screen, "leaderboard"))["accuracy"]:
            pass
    snapshots = {
        name: await request(screen, {"type": "snapshot", "request_id": name}) for name, screen in screens.items()
    }
    mine = snapshots["alice"]["leaderboard"]["mine"]
    assert (mine["game"]["player_id"], mine["game"]["nickname"]) == (alice.pk, "Alice")
    assert mine["accuracy"][str(open_market.pk)]["player_id"] == alice.pk
    for name in ("alice", "projector"):
        rows = rows_of(snapshots[name]["leaderboard"])
        assert len(rows) == 6  # two players on the game, market and accuracy boards
        assert {(row["player_id"], row["nickname"]) for row in rows} == {(None, None)}, name
    assert {row["player_id"] for row in rows_of(snapshots["host"]["leaderboard"])} == {alice.pk, bob.pk}
    assert {row["nickname"] for row in rows_of(snapshots["host"]["leaderboard"])} == {"Alice", "Bob"}
    # The lobby still lists who joined: that is fine now that no rank carries an id to look up in it.
    assert {p["nickname"] for p in snapshots["alice"]["players"]} == {"Alice", "Bob"}

    await database_sync_to_async(services.join_game)(game.join_code, "Carol")  # a new board goes out
    broadcast = await receive_until(screens["alice"], "leaderboard")
    assert {(row["player_id"], row["nickname"]) for row in rows_of(broadcast)} == {(None, None)}
    assert broadcast["mine"]["game"]["player_id"] == alice.pk
    for screen in screens.values():
        await screen.disconnect()


async def test_with_names_shown_every_screen_gets_every_payout(host, game, open_market, alice, bob):
    alice_screen = await player_socket(alice)
    await receive(alice_screen)

    await trade_and_resolve(host, open_market.pk, alice, bob)

    update = await receive_until(alice_screen, "update")
    while update["market"]["status"] != "resolved":
        update = await receive_until(alice_screen, "update")
    assert {row["player_id"] for row in update["payouts"]} == {alice.pk, bob.pk}
    board = (await request(alice_screen, {"type": "snapshot", "request_id": "s"}))["leaderboard"]
    assert {row["player_id"] for row in board["game"]} == {alice.pk, bob.pk}
    await alice_screen.disconnect()
