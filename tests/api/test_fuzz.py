"""Random bodies at the trade endpoint: every one gets a JSON answer, never a 500, and a refusal
changes nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmgame import services
from mmgame.models import Trade

from ..services.ledger import rows

pytestmark = pytest.mark.django_db

FIELDS = ["kind", "mean", "sd", "delta_1", "delta_2", "idempotency_key", "max_cost", "quoted_sequence"]
RAW_NUMBERS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e-400",
    "1E+999",
    "1E+999999999",
    "-1e99999999999999999999",
    "-0",
    "0.0",
    "1" * 40,
    "150.5",
    "30",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["target", "toward", "shares", "close"])
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
)
trade_like = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=8)


@st.composite
def raw_trades(draw) -> str:
    """A trade-shaped object written by hand, so its numbers can be literals json.dumps never writes."""
    kind = draw(st.sampled_from(["target", "toward", "shares", "close", "sell"]))
    fields = draw(st.lists(st.sampled_from(FIELDS[1:]), unique=True, max_size=7))
    parts = [f'"kind": "{kind}"'] + [f'"{name}": {draw(st.sampled_from(RAW_NUMBERS))}' for name in fields]
    return "{" + ", ".join(parts) + "}"


bodies = (
    trade_like.map(json.dumps)
    | json_values.map(json.dumps)
    | raw_trades()
    | st.text(max_size=40)
    | st.binary(max_size=40)
)

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def answer(client, market, body):
    response = client.post(f"/api/markets/{market.pk}/trades", raw=body)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.status_code, response.json()


@FUZZ
@given(body=bodies)
def test_random_bodies_at_a_paused_market_are_refused_with_json_and_change_nothing(alice_bot, host, open_market, body):
    services.pause_market(host, open_market.pk)  # even a well-formed order is then refused
    before = rows()

    status, payload = answer(alice_bot, open_market, body)

    assert 400 <= status < 500
    assert isinstance(payload["code"], str) and payload["message"]
    assert rows() == before


@FUZZ
@given(body=bodies)
def test_random_bodies_at_an_open_market_trade_or_change_nothing(alice_bot, open_market, body):
    before = rows()
    trades_before = Trade.objects.count()

    status, payload = answer(alice_bot, open_market, body)

    if status in (200, 201):
        assert payload["trade"]["market_id"] == open_market.pk
        assert Trade.objects.count() == trades_before + (status == 201)
    else:
        assert 400 <= status < 500
        assert isinstance(payload["code"], str) and payload["message"]
        assert rows() == before
