"""Whatever a screen sends, a bad frame gets an error, changes nothing, and the socket stays open."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from mmgame.live.protocol import MAX_FRAME
from mmgame.models import Market

from .conftest import player_socket, receive, request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


def frames(market_id: int) -> list[tuple[object, str]]:
    order = {"kind": "target", "mean": 120, "sd": 40}
    good = {"type": "trade", "market_id": market_id, "order": order, "idempotency_key": "k"}
    return [
        ("not json", "bad_json"),
        ('{"type": "trade", "max_cost": NaN}', "bad_json"),
        (b"\x00\x01binary", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('"trade"', "bad_message"),
        ("{}", "unknown_type"),
        ({"type": "sell everything"}, "unknown_type"),
        ({"type": 7}, "unknown_type"),
        ({"type": "ping", "request_id": 12}, "bad_message"),
        ({"type": "ping", "request_id": "x" * 65}, "bad_message"),
        ({**good, "market_id": "7"}, "bad_message"),
        ({**good, "market_id": True}, "bad_message"),
        ({**good, "market_id": -1}, "bad_message"),
        ({**good, "order": "buy"}, "bad_message"),
        ({**good, "order": {"kind": "moon"}}, "bad_message"),
        ({**good, "order": {"kind": "target", "mean": 120}}, "bad_message"),
        ({**good, "order": {"kind": "target", "mean": [1], "sd": 40}}, "bad_message"),
        ({**good, "order": {"kind": "shares", "delta_1": "lots", "delta_2": 0}}, "bad_message"),
        ({**good, "idempotency_key": ""}, "bad_message"),
        ({**good, "idempotency_key": 5}, "bad_message"),
        ({**good, "idempotency_key": "k" * 65}, "bad_message"),
        ({**good, "max_cost": "cheap"}, "bad_message"),
        ({**good, "max_loss": "ten"}, "bad_message"),
        ({**good, "quoted_sequence": 1.5}, "bad_message"),
        ({**good, "order": {"kind": "target", "mean": "1e999999", "sd": 40}}, "bad_message"),
        (json.dumps(good).replace('"mean": 120', '"mean": 1e999999'), "invalid_number"),
        (json.dumps(good).replace('"mean": 120', '"mean": 1E+999999999'), "invalid_number"),  # issue 14, finding 3
        (json.dumps(good).replace('"sd": 40', '"sd": -1e99999999999999999999'), "invalid_number"),
        (
            json.dumps({**good, "type": "quote"} | {"idempotency_key": None}).replace("120", "1E+999999999"),
            "bad_message",
        ),
        ({**good, "order": {"kind": "target", "mean": "NaN", "sd": 40}}, "bad_message"),
        ({**good, "order": {"kind": "target", "mean": 120, "sd": "0.5"}}, "bad_message"),
        ({**good, "order": {"kind": "target", "mean": True, "sd": 40}}, "bad_message"),
        ({**good, "order": {"kind": "shares", "delta_1": "0.5", "delta_2": 0}}, "bad_message"),
        ({**good, "order": {"kind": "shares", "delta_1": 1, "delta_2": False}}, "bad_message"),
        ({**good, "order": {**order, "delta_1": 1}}, "bad_message"),
        ({**good, "order": {"kind": "close", "mean": 120}}, "bad_message"),
        ({**good, "order": {**order, "price": 3}}, "bad_message"),
        ({**good, "max_cost": "10"}, "bad_message"),
        ({**good, "max_cost": True}, "bad_message"),
        ({**good, "quoted_sequence": "1"}, "bad_message"),
        ({**good, "limit": 10}, "bad_message"),
        ({"type": "quote", "market_id": market_id, "order": order, "idempotency_key": "k"}, "bad_message"),
        ({**good, "idempotency_key": "k\x00"}, "control_character"),  # issue 23: a 500 on PostgreSQL
        ({**good, "idempotency_key": "k\x1b"}, "control_character"),
        ({"type": "ping", "request_id": "r\x00"}, "control_character"),
        ("[" * 100_000, "too_large"),
        (json.dumps({"type": "ping", "pad": "x" * MAX_FRAME}), "too_large"),
    ]


async def test_each_malformed_frame_gets_an_error_and_changes_nothing(open_market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    for frame, code in frames(open_market.pk):
        if isinstance(frame, bytes):
            await socket.send_to(bytes_data=frame)
        elif isinstance(frame, str):
            await socket.send_to(text_data=frame)
        else:
            await socket.send_json_to(frame)
        answer = await receive(socket)
        assert (answer["type"], answer["code"]) == ("error", code), frame
        assert answer["message"]
    market = await database_sync_to_async(Market.objects.get)(pk=open_market.pk)
    assert market.sequence == 1
    assert await request(socket, {"type": "ping", "request_id": "still-here"}) == {
        "type": "pong",
        "request_id": "still-here",
    }
    await socket.disconnect()


async def test_an_error_echoes_the_request_id_when_it_could_be_read(open_market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    await socket.send_json_to({"type": "trade", "request_id": "mine", "market_id": "x"})
    answer = await receive(socket)
    assert (answer["code"], answer["request_id"], answer["field"]) == ("bad_message", "mine", "market_id")
    await socket.disconnect()
