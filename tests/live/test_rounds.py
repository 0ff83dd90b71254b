"""The round over the sockets: a first guess sent as a `guess` request (docs/protocol.md §3), and every
screen following the host's steps, a shown question included (its status is still draft)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from mmgame import services
from mmgame.models import Guess, Market

from .conftest import host_socket, player_socket, receive, receive_until, request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


def guess(market_id: int, rid: str = "g1", **order) -> dict:
    return {
        "type": "guess",
        "request_id": rid,
        "market_id": market_id,
        "order": {"kind": "target", **(order or {"mean": 150, "sd": 30})},
    }


def step(host, market: Market, *phases: str) -> None:
    for phase in phases:
        services.step_market(host, market.pk, phase=phase, confirm=True)


async def guesses_of(market: Market) -> list[tuple[int, float, float]]:
    return await database_sync_to_async(
        lambda: list(Guess.objects.filter(market=market).values_list("player_id", "mean_z", "sd_z"))
    )()


async def test_a_guess_over_the_socket_is_recorded_and_answered_with_the_guess(host, market, alice):
    await database_sync_to_async(step)(host, market, "question", "guess")
    socket = await player_socket(alice)
    await receive(socket)

    answer = await request(socket, guess(market.pk))

    assert answer["type"] == "guess_result" and answer["request_id"] == "g1"
    assert answer["guess"]["market_id"] == market.pk
    assert (answer["guess"]["mean"], answer["guess"]["sd"]) == (pytest.approx(150), pytest.approx(30))
    assert answer["guess"]["interval_90"][0] == pytest.approx(150 - 1.6448536 * 30)
    assert [(pid, pytest.approx(m), pytest.approx(s)) for pid, m, s in await guesses_of(market)] == [
        (alice.pk, 0.0, 0.2)
    ]
    update = await receive_until(socket, "update")  # the count moved: every screen learns it
    assert update["market"]["guesses"]["count"] == 1 and update["market"]["guesses"]["middles"] is None
    await socket.disconnect()


async def test_a_guess_of_another_kind_is_a_bad_message(host, market, alice):
    await database_sync_to_async(step)(host, market, "question", "guess")
    socket = await player_socket(alice)
    await receive(socket)

    answer = await request(
        socket, {"type": "guess", "request_id": "g2", "market_id": market.pk, "order": {"kind": "close"}}
    )

    assert (answer["type"], answer["code"], answer["field"]) == ("error", "bad_message", "order.kind")
    assert await guesses_of(market) == []
    await socket.disconnect()


async def test_a_guess_outside_its_phase_is_refused_with_guessing_closed(host, market, alice):
    await database_sync_to_async(step)(host, market, "question")
    socket = await player_socket(alice)
    await receive(socket)

    answer = await request(socket, guess(market.pk, "g3"))

    assert (answer["type"], answer["code"], answer["phase"]) == ("error", "guessing_closed", "question")
    unfair = await request(socket, guess(market.pk, "g4", mean=20, sd=100))
    assert unfair["code"] == "guessing_closed"  # the phase is asked first
    await socket.disconnect()


async def test_an_unfair_guess_over_the_socket_names_the_nearest_fair_curve(host, market, alice):
    await database_sync_to_async(step)(host, market, "question", "guess")
    socket = await player_socket(alice)
    await receive(socket)

    answer = await request(socket, guess(market.pk, "g5", mean=20, sd=100))

    assert (answer["code"], answer["field"]) == ("unfair_curve", "guess_sd")
    assert {"nearest_mean", "nearest_sd"} <= set(answer)
    await socket.disconnect()


async def test_a_watcher_may_not_guess(host, game, market):
    await database_sync_to_async(step)(host, market, "question", "guess")
    projector = await host_socket(host, game.pk, "projector")
    await receive(projector)

    answer = await request(projector, guess(market.pk, "g6"))

    assert answer["type"] == "error"
    assert await guesses_of(market) == []
    await projector.disconnect()


async def test_every_screen_follows_the_host_from_the_question_on(host, game, market, alice):
    """A shown question, the first guesses and their reveal keep the market's status at draft: players and
    the projector get each step all the same (a draft not yet shown stays the host's)."""
    socket = await player_socket(alice)
    snapshot = await receive(socket)
    assert snapshot["markets"] == [] and snapshot["game"]["current_market_id"] is None
    projector = await host_socket(host, game.pk, "projector")
    await receive(projector)

    seen = {}
    for phase in ("question", "guess", "guesses", "trading"):
        await database_sync_to_async(step)(host, market, phase)
        update = await receive_until(socket, "update")
        projected = await receive_until(projector, "update")
        seen[phase] = (update["market"]["phase"], projected["market"]["phase"])
        if phase == "question":
            assert update["market"]["question"] == "How many jelly beans?"  # sent whole: new to the screen

    assert seen == {phase: (phase, phase) for phase in ("question", "guess", "guesses", "trading")}
    await socket.disconnect()
    await projector.disconnect()


async def test_a_guess_over_the_socket_carries_its_reason_to_the_player_and_no_further(host, market, alice, bob):
    """The reason comes back in the player's own answer; a classmate's update carries only the count; a reason
    that is not text, or too long, is refused with its code and stores nothing."""
    await database_sync_to_async(step)(host, market, "question", "guess")
    socket, classmate = await player_socket(alice), await player_socket(bob)
    await receive(socket)
    await receive(classmate)

    refused = [
        await request(socket, {**guess(market.pk, "g0"), "reason": 12}),
        await request(socket, {**guess(market.pk, "g1"), "reason": "r" * 141}),
    ]
    answer = await request(socket, {**guess(market.pk, "g2"), "reason": "Rows of twelve <b>beans</b>"})
    update = await receive_until(classmate, "update")

    assert [(r["code"], r["field"]) for r in refused] == [("bad_message", "reason"), ("too_long", "reason")]
    assert answer["guess"]["reason"] == "Rows of twelve <b>beans</b>"
    assert "Rows of twelve" not in str(update) and update["market"]["guesses"]["reasons"] is None
    assert len(await guesses_of(market)) == 1
    await socket.disconnect()
    await classmate.disconnect()
