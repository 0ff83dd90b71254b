"""The socket's words are in the language of the screen that reads them (docs/i18n.md): a phone its player's
choice or its game's, the host's control room the host's own; the codes stay English."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from mmgame import services

from .conftest import open_socket, player_socket, receive, request, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


def trade(market_id: int, key: str) -> dict:
    order = {"kind": "target", "mean": 120, "sd": 40}
    return {"type": "trade", "request_id": f"r-{key}", "market_id": market_id, "order": order, "idempotency_key": key}


async def refusal_on(socket, market_id: int, key: str) -> dict:
    await receive(socket)  # the snapshot
    answer = await request(socket, trade(market_id, key))
    await socket.disconnect()
    return answer


async def test_a_phone_reads_its_refusals_in_its_games_language_then_in_its_own(host, game, market, alice):
    await database_sync_to_async(services.set_game_language)(host, game, "es")
    spanish = await refusal_on(await player_socket(alice), market.pk, "k1")  # a draft: no player sees it
    assert spanish["code"] == "not_found" and spanish["message"] == "no existe ese mercado", spanish

    await database_sync_to_async(services.set_phone_language)(alice, "en")
    english = await refusal_on(await player_socket(alice), market.pk, "k2")
    assert english["code"] == "not_found" and english["message"] == "no such market", english


async def test_the_control_room_reads_the_hosts_language_not_the_games(host, game):
    await database_sync_to_async(services.set_game_language)(host, game, "de")
    cookie = await database_sync_to_async(session_cookie)(user=host)
    said = {}
    for accept in ("es-ES,es;q=0.9", "pt-BR,pt", None):
        socket = await open_socket(f"/ws/games/{game.pk}/host/", cookie, accept_language=accept)
        await receive(socket)
        answer = await request(socket, {"type": "nonsense", "request_id": "r1"})
        await socket.disconnect()
        said[accept] = answer
    assert {answer["code"] for answer in said.values()} == {said[None]["code"]}
    assert said["es-ES,es;q=0.9"]["message"].startswith("tipo de petición"), said
    assert said["pt-BR,pt"]["message"] == said[None]["message"] and said[None]["message"].startswith("unknown request")
