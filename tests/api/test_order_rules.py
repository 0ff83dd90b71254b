"""The API and the websockets read an order by the same rules (mmgame.inputs): what one refuses, so does
the other, and what both take reaches the services as the same exact numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from mmgame.api.parser import loads
from mmgame.api.schemas import OrderIn
from mmgame.live import protocol

REFUSED = [
    '{"kind": "target", "mean": "0.5", "sd": 40}',
    '{"kind": "target", "mean": 120, "sd": "40"}',
    '{"kind": "target", "mean": true, "sd": 40}',
    '{"kind": "target", "mean": 120, "sd": false}',
    '{"kind": "target", "mean": "NaN", "sd": 40}',
    '{"kind": "target", "mean": "Infinity", "sd": 40}',
    '{"kind": "target", "mean": 1e999999, "sd": 40}',
    '{"kind": "target", "mean": 2e15, "sd": 40}',
    '{"kind": "target", "mean": 120}',
    '{"kind": "target", "mean": 120, "sd": 40, "delta_1": 1}',
    '{"kind": "toward", "mean": 120, "sd": 40, "delta_2": 0}',
    '{"kind": "shares", "delta_1": "1", "delta_2": 0}',
    '{"kind": "shares", "delta_1": 1, "delta_2": 0, "mean": 3}',
    '{"kind": "close", "mean": 120}',
    '{"kind": "close", "delta_1": 0}',
]
TAKEN = [
    '{"kind": "target", "mean": 1000000000.3, "sd": 0.25}',
    '{"kind": "toward", "mean": 120, "sd": 40}',
    '{"kind": "target", "mean": 120, "sd": 40, "delta_1": null}',
    '{"kind": "shares", "delta_1": 1.5, "delta_2": -0.25}',
    '{"kind": "close"}',
]


def frame(order: str) -> str:
    return f'{{"type": "quote", "market_id": 7, "order": {order}}}'


@pytest.mark.parametrize("order", REFUSED)
def test_what_the_api_refuses_the_socket_refuses_with_a_code(order):
    with pytest.raises(ValidationError):
        OrderIn.model_validate(loads(order))

    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.parse(frame(order))

    assert refused.value.code in ("bad_message", "invalid_number")
    assert refused.value.details["field"].startswith("order")


@pytest.mark.parametrize("order", TAKEN)
def test_what_the_api_takes_the_socket_takes_as_the_same_exact_order(order):
    body = OrderIn.model_validate(loads(order))

    request = protocol.parse(frame(order))

    fields = ("kind", "mean", "sd", "delta_1", "delta_2")
    assert tuple(getattr(request.order, name) for name in fields) == tuple(getattr(body, name) for name in fields)


def test_a_quantity_stays_exact_on_the_socket():
    order = protocol.parse(frame('{"kind": "target", "mean": 1000000000.3, "sd": 0.25}')).order

    assert order.mean == Decimal("1000000000.3") and isinstance(order.mean, Decimal)
