"""A phone in the waiting room is no seat on the socket either (issue 23): refused with `waiting` and 4403
until the host lets it in, then its screen opens with the same session; turned away, `turned_away`."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from mmgame import services

from .conftest import closed_with, open_socket, receive, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


def waiting_phone(host, game):
    services.set_waiting_room(host, game, True)
    arrival = services.join_game(game.join_code, "Ada", address="10.0.0.1")
    return arrival, session_cookie(seats={game.pk: arrival.seat_token})


async def refused(socket) -> tuple[str, int]:
    error = await receive(socket)
    code = await closed_with(socket)
    await socket.disconnect()
    return error["code"], code


async def test_a_waiting_phone_is_refused_with_waiting_and_4403_and_opens_once_admitted(host, game, open_market):
    arrival, cookie = await database_sync_to_async(waiting_phone)(host, game)

    assert await refused(await open_socket(f"/ws/games/{game.pk}/player/", cookie)) == ("waiting", 4403)

    player = await database_sync_to_async(services.admit)(host, arrival)
    socket = await open_socket(f"/ws/games/{game.pk}/player/", cookie)
    snapshot = await receive(socket)
    assert (snapshot["type"], snapshot["me"]["id"]) == ("snapshot", player.pk)
    await socket.disconnect()


async def test_a_turned_away_phone_is_refused_with_turned_away(host, game):
    arrival, cookie = await database_sync_to_async(waiting_phone)(host, game)
    await database_sync_to_async(services.turn_away)(host, arrival)

    assert await refused(await open_socket(f"/ws/games/{game.pk}/player/", cookie)) == ("turned_away", 4403)
