"""The host hides names mid-game: every screen hears of it, and a player's next snapshot has no names."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from mmgame import services

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
