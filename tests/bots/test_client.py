"""The bot client's wire details: exact numbers out, chunked bodies in."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from mmgame.bots import GameClient
from mmgame.bots.client import dechunk, dumps, order_body
from mmgame.market import Order


def test_decimals_go_out_as_exact_json_numbers():
    mean = Decimal("1000000000.30000000000000000001")
    text = dumps({"order": order_body(Order("toward", mean=mean, sd=Decimal("0.5"))), "note": "@@0@@"})
    body = json.loads(text, parse_float=Decimal)
    assert body["order"] == {"kind": "toward", "mean": mean, "sd": Decimal("0.5")}
    assert body["note"] == "@@0@@"


def test_orders_carry_only_their_own_fields():
    assert order_body(Order("close")) == {"kind": "close"}
    assert order_body(Order("shares", delta_1=1.5, delta_2=-0.25)) == {
        "kind": "shares",
        "delta_1": 1.5,
        "delta_2": -0.25,
    }


def test_a_chunked_body_is_reassembled():
    assert dechunk(b'5\r\n{"a":\r\n3\r\n 1}\r\n0\r\n\r\n') == b'{"a": 1}'


@pytest.mark.parametrize("url", ["ftp://example.org", "127.0.0.1:8000", "http://"])
def test_only_http_urls_are_servers(url):
    with pytest.raises(ValueError, match="not an http"):
        GameClient(url)
