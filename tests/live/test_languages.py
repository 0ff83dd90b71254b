"""The socket's words are in the language of the screen that reads them (docs/i18n.md): a phone its player's
choice or its game's, the host's control room the host's own; the codes stay English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from mmgame import services
from mmgame.models import Game
from mmgame.services import autopilot

from .conftest import open_socket, player_socket, receive, receive_until, request, session_cookie

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


async def test_a_malformed_order_is_refused_in_the_phones_language(host, game, open_market, alice):
    await database_sync_to_async(services.set_game_language)(host, game, "es")
    socket = await player_socket(alice)
    await receive(socket)
    said = {}
    for key, order in {
        "missing": {"kind": "target", "mean": 120},
        "string": {"kind": "target", "mean": "120", "sd": 40},
        "huge": {"kind": "target", "mean": 1e20, "sd": 40},
    }.items():
        frame = {**trade(open_market.pk, key), "order": order}
        said[key] = await request(socket, frame)
    stray = await request(socket, {**trade(open_market.pk, "stray"), "colour": "red"})
    await socket.disconnect()
    assert (said["missing"]["code"], said["missing"]["message"]) == ("bad_message", "una orden target necesita sd")
    assert said["string"]["message"] == "order.mean debe ser un número JSON", said
    assert (said["huge"]["code"], said["huge"]["message"]) == (
        "invalid_number",
        "order.mean debe ser como máximo 10^15 en valor absoluto",
    )
    assert stray["message"] == "una petición trade no admite colour", stray


def hold_for_want_of_an_answer(host, game) -> None:
    """Autopilot at a close with no answer entered: it holds by itself and keeps the reason (no English)."""
    market = services.add_market(host, game, question="How tall is the tree?", lo=0, hi=50, first_guess=False)
    now = timezone.now()
    autopilot.set_autopilot(host, game, on=True, now=now)
    services.show_market(host, market.pk)
    for phase in ("trading", "closed"):
        services.step_market(host, market.pk, phase=phase, confirm=True, close_others=True)
    for later in (1, 3600):  # the close gets its time, then its time is up
        autopilot.tick(game.pk, now + timedelta(seconds=later))
    assert Game.objects.get(pk=game.pk).autopilot_held


async def test_the_control_room_reads_autopilots_hold_in_the_hosts_language(host, game):
    cookie = await database_sync_to_async(session_cookie)(user=host)
    german = await open_socket(f"/ws/games/{game.pk}/host/", cookie, accept_language="de")
    await receive(german)
    await database_sync_to_async(hold_for_want_of_an_answer)(host, game)
    note = "gib den wahren Wert ein, um die Antwort aufzudecken"
    deadline = timezone.now() + timedelta(seconds=10)
    frame = await receive_until(german, "game")
    while frame["game"]["autopilot"]["note"] != note and timezone.now() < deadline:
        frame = await receive_until(german, "game")
    assert frame["game"]["autopilot"]["note"] == note, frame
    snapshot = await request(german, {"type": "snapshot", "request_id": "s1"})
    assert snapshot["game"]["autopilot"]["note"] == note
    await german.disconnect()
