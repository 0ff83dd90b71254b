"""The bot client's wire details: exact numbers out."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from mmgame.bots import GameClient
from mmgame.bots.client import dumps, order_body
from mmgame.market import Order


def test_decimals_go_out_as_json_numbers_with_their_own_digits():
    mean = Decimal("1000000000.3")
    text = dumps({"order": order_body(Order("toward", mean=mean, sd=Decimal("0.5"))), "note": "Decimal('1')"})
    assert '"mean": 1000000000.3,' in text
    body = json.loads(text, parse_float=Decimal)
    assert body["order"] == {"kind": "toward", "mean": mean, "sd": Decimal("0.5")}
    assert body["note"] == "Decimal('1')"


def test_a_decimal_goes_out_as_the_nearest_double_not_as_a_string():
    mean = Decimal("117.62114537444933737298")  # a strategy's order, quantised to 20 places
    body = json.loads(dumps({"mean": mean}), parse_float=Decimal)
    assert isinstance(body["mean"], Decimal) and float(body["mean"]) == float(mean)


async def test_a_server_that_is_not_there_is_a_connection_error():
    client = GameClient("http://127.0.0.1:9")  # the discard port: nothing listens
    with pytest.raises(ConnectionError):
        await client.api("GET", "/api/csrf")
    await client.close()


def test_anything_else_the_encoder_does_not_know_is_refused():
    with pytest.raises(TypeError, match="set is not JSON"):
        dumps({"mean": {1}})


def test_orders_carry_only_their_own_fields():
    assert order_body(Order("close")) == {"kind": "close"}
    assert order_body(Order("shares", delta_1=1.5, delta_2=-0.25)) == {
        "kind": "shares",
        "delta_1": 1.5,
        "delta_2": -0.25,
    }


@pytest.mark.parametrize("url", ["ftp://example.org", "127.0.0.1:8000", "http://"])
def test_only_http_urls_are_servers(url):
    with pytest.raises(ValueError, match="not an http"):
        GameClient(url)


async def test_a_join_refused_for_its_pace_waits_its_turn_and_joins(monkeypatch):
    """One address gets 10 seats in a game every 5 s (issue 23): `manage.py bots --count 20` must wait, not
    fail."""
    import mmgame.bots.client as client_module

    answers = [(200, {"csrf_token": "t"}), *[(429, {"code": "rate_limited", "retry_after": 0.01})] * 2]
    seat = {"player_id": 7, "nickname": "Bot", "seat_token": "s" * 32, "game": {"id": 1, "join_code": "ABCDEF"}}
    answers.append((201, seat))
    client = GameClient("http://127.0.0.1:9")

    async def http(method, path, body=None, headers=None):
        return answers.pop(0)

    monkeypatch.setattr(client, "http", http)
    monkeypatch.setattr(client_module.random, "uniform", lambda a, b: 0)

    assert (await client.join("ABCDEF", "Bot")).player_id == 7
    assert answers == []
    await client.close()
