"""A countdown to the close reaches every screen, and the market closes at its end with nobody trading."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.db import database_sync_to_async

from mmgame import services
from mmgame.live import hub as hubs
from mmgame.services.deadlines import deadlines, start_timer

from .conftest import host_socket, player_socket, receive, receive_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


async def next_status(screen, status: str, timeout: float) -> dict:
    """The next update that shows the market in `status`."""
    deadline = time.monotonic() + timeout
    while True:
        update = await receive_until(screen, "update", max(0.05, deadline - time.monotonic()))
        if update["market"]["status"] == status:
            return update


async def test_every_screen_sees_the_countdown_and_then_the_close(host, game, open_market, alice, bob, monkeypatch):
    monkeypatch.setattr(deadlines, "schedule", start_timer)  # the services' real countdown timer, as a server runs
    screens = [await player_socket(alice), await player_socket(bob), await host_socket(host, game.pk)]
    screens.append(await host_socket(host, game.pk, "projector"))
    for screen in screens:
        assert (await receive(screen))["markets"][0]["closes_at"] is None

    counting = await database_sync_to_async(services.close_market)(host, open_market.pk, countdown=1)
    started = time.monotonic()
    for screen in screens:
        update = await receive_until(screen, "update")
        assert update["market"]["status"] == "open"
        assert update["market"]["closes_at"] == counting.closes_at.isoformat()

    # Nobody trades: the services' timer closes the market at the deadline, well before a room's audit would.
    for screen in screens:
        closed = await next_status(screen, "closed", timeout=hubs.AUDIT_INTERVAL - 1)
        assert closed["sequence"] == counting.sequence + 1
        assert closed["market"]["closes_at"] is None
    assert 1 <= time.monotonic() - started < hubs.AUDIT_INTERVAL
    for screen in screens:
        await screen.disconnect()


async def test_a_late_trade_over_a_socket_is_refused_and_everyone_sees_the_close(host, game, open_market, alice, bob):
    alice_screen, bob_screen = await player_socket(alice), await player_socket(bob)
    for screen in (alice_screen, bob_screen):
        await receive(screen)
    await database_sync_to_async(services.close_market)(host, open_market.pk, countdown=1)
    await asyncio.sleep(1.05)

    await alice_screen.send_json_to(
        {
            "type": "trade",
            "request_id": "late",
            "market_id": open_market.pk,
            "order": {"kind": "target", "mean": 120, "sd": 30},
            "idempotency_key": "late-1",
        }
    )
    answer = await receive_until(alice_screen, "error")

    assert answer["code"] == "market_not_open"
    assert (await next_status(bob_screen, "closed", timeout=3))["market"]["status"] == "closed"
    for screen in (alice_screen, bob_screen):
        await screen.disconnect()
