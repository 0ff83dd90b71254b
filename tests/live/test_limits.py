"""Finding 4 of issue 14 over the socket: a rate-limited or motionless trade gets an error frame with its
code, and the socket stays open."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from mmgame.models import Trade
from mmgame.services import limits

from .conftest import player_socket, receive, request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live"), pytest.mark.rate_limits]


def trade(market_id: int, i: int) -> dict:
    order = {"kind": "target", "mean": 100 + i % 2, "sd": 60}
    return {"type": "trade", "request_id": f"r{i}", "market_id": market_id, "order": order, "idempotency_key": f"k{i}"}


async def test_a_seat_trading_too_fast_gets_rate_limited_with_a_retry_time(open_market, alice, monkeypatch):
    monkeypatch.setattr(limits, "clock", lambda: 7_000_000.5)
    socket = await player_socket(alice)
    await receive(socket)
    for i in range(20):
        assert (await request(socket, trade(open_market.pk, i)))["type"] == "trade_result"

    answer = await request(socket, trade(open_market.pk, 20))

    assert (answer["type"], answer["code"], answer["request_id"]) == ("error", "rate_limited", "r20")
    assert 1.0 <= answer["retry_after"] <= 1.1  # the window slides: the 20 trades leave it after a second
    assert await database_sync_to_async(Trade.objects.count)() == 20
    assert (await request(socket, {"type": "ping", "request_id": "p"}))["type"] == "pong"
    await socket.disconnect()


async def test_deltas_that_round_to_zero_are_no_move(open_market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    frame = {"type": "trade", "request_id": "dust", "market_id": open_market.pk, "idempotency_key": "d"}
    text = json.dumps({**frame, "order": {"kind": "shares", "delta_1": 1, "delta_2": 1}})

    await socket.send_to(text_data=text.replace('"delta_1": 1', '"delta_1": 1e-400').replace(": 1}", ": -1e-400}"))
    answer = await receive(socket)

    assert (answer["type"], answer["code"], answer["request_id"]) == ("error", "no_move", "dust")
    assert not await database_sync_to_async(Trade.objects.exists)()
    await socket.disconnect()
