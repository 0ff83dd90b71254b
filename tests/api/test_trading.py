"""A player's side over the API: position, quote, the four kinds of order, idempotency and guards."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.market import Order
from mmgame.models import Market, Position, Trade

from ..services.ledger import rows
from .conftest import target

pytestmark = pytest.mark.django_db


def url(market, what: str) -> str:
    return f"/api/markets/{market.pk}/{what}"


def test_a_player_sees_their_untouched_position(alice_bot, open_market, alice):
    response = alice_bot.get(url(open_market, "position"))

    assert response.status_code == 200
    body = response.json()
    assert (body["player_id"], body["budget"], body["worst_case"], body["trades"]) == (alice.pk, 1000.0, 1000.0, 0)


def test_a_quote_prices_the_order_and_changes_nothing(alice_bot, open_market, alice):
    before = rows()

    response = alice_bot.post(url(open_market, "quote"), {"kind": "target", "mean": 120, "sd": 30})

    assert response.status_code == 200
    _, expected = services.quote_order(alice, open_market.pk, Order("target", mean=120, sd=30))
    body = response.json()
    assert (body["cost"], body["sequence"], body["affordable"]) == (expected.move.cost, 1, True)
    assert body["mean"] == pytest.approx(120)
    assert rows() == before


def test_a_target_trade_moves_the_market_and_answers_trade_position_and_market(alice_bot, open_market, alice):
    response = alice_bot.post(url(open_market, "trades"), target(120, 30, "first"))

    assert response.status_code == 201
    body = response.json()
    market = Market.objects.get(pk=open_market.pk)
    trade = Trade.objects.get()
    assert body["replayed"] is False
    assert (body["trade"]["id"], body["trade"]["kind"], body["trade"]["sequence"]) == (trade.pk, "target", 2)
    assert body["trade"]["cost"] == trade.cost
    assert body["market"]["sequence"] == market.sequence == 2
    assert body["market"]["mean"] == pytest.approx(120) and body["market"]["sd"] == pytest.approx(30)
    assert body["position"]["trades"] == Position.objects.get(player=alice).trades == 1


def test_a_toward_trade_goes_as_far_as_the_budget_allows(alice_bot, open_market):
    response = alice_bot.post(
        url(open_market, "trades"), {"kind": "toward", "mean": 120, "sd": 5, "idempotency_key": "t"}
    )

    assert response.status_code == 201
    assert 0 < response.json()["trade"]["fraction"] < 1
    assert response.json()["position"]["worst_case"] >= -1e-9


def test_a_shares_trade_buys_raw_shares(alice_bot, open_market):
    body = {"kind": "shares", "delta_1": 0.01, "delta_2": -0.00002, "idempotency_key": "s"}

    response = alice_bot.post(url(open_market, "trades"), body)

    assert response.status_code == 201
    assert response.json()["trade"]["shares"] == pytest.approx([0.01, -0.00002])


def test_closing_sells_the_whole_position_back(alice_bot, open_market, alice):
    alice_bot.post(url(open_market, "trades"), target(120, 30, "open"))

    response = alice_bot.post(url(open_market, "trades"), {"kind": "close", "idempotency_key": "close"})

    assert response.status_code == 201
    position = Position.objects.get(player=alice)
    assert position.wealth_linear == pytest.approx(0, abs=1e-9)
    assert position.wealth_quadratic == pytest.approx(0, abs=1e-9)


def test_a_replayed_key_returns_the_first_result(alice_bot, open_market):
    first = alice_bot.post(url(open_market, "trades"), target(120, 30, "same"))

    again = alice_bot.post(url(open_market, "trades"), target(80, 20, "same"))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] is True
    assert again.json()["trade"] == first.json()["trade"]
    assert Trade.objects.count() == 1


def test_a_trade_above_max_cost_is_refused(alice_bot, open_market):
    cost = alice_bot.post(url(open_market, "quote"), {"kind": "target", "mean": 120, "sd": 30}).json()["cost"]
    before = rows()

    response = alice_bot.post(url(open_market, "trades"), target(120, 30, "k", max_cost=cost - 0.01))

    assert response.status_code == 409
    assert response.json()["code"] == "max_cost_exceeded"
    assert rows() == before


def test_a_trade_on_a_stale_quote_is_refused(alice_bot, bob_bot, open_market):
    sequence = alice_bot.post(url(open_market, "quote"), {"kind": "target", "mean": 120, "sd": 30}).json()["sequence"]
    bob_bot.post(url(open_market, "trades"), target(90, 40, "bob"))
    before = rows()

    response = alice_bot.post(url(open_market, "trades"), target(120, 30, "k", quoted_sequence=sequence))

    assert response.status_code == 409
    assert response.json()["code"] == "stale_quote"
    assert rows() == before


def test_a_trade_on_a_fresh_quote_goes_through(alice_bot, open_market):
    sequence = alice_bot.post(url(open_market, "quote"), {"kind": "target", "mean": 120, "sd": 30}).json()["sequence"]

    response = alice_bot.post(url(open_market, "trades"), target(120, 30, "k", quoted_sequence=sequence, max_cost=100))

    assert response.status_code == 201


def test_an_unaffordable_trade_is_refused_with_the_affordable_move_named(alice_bot, open_market):
    before = rows()

    response = alice_bot.post(url(open_market, "trades"), target(120, 2, "k"))

    assert response.status_code == 400
    assert response.json()["code"] == "insufficient_collateral"
    assert 0 < response.json()["affordable_fraction"] < 1
    assert rows() == before


def test_a_paused_market_takes_no_trades(alice_bot, host, open_market):
    services.pause_market(host, open_market.pk)
    before = rows()

    response = alice_bot.post(url(open_market, "trades"), target(120, 30, "k"))

    assert response.status_code == 409
    assert response.json()["code"] == "market_not_open"
    assert rows() == before


# -- who may trade --------------------------------------------------------------------------------


def test_a_nickname_alone_is_not_a_seat(anyone, open_market, alice):
    before = rows()

    response = anyone.post(url(open_market, "trades"), {**target(120, 30, "k"), "nickname": "Alice"}, csrf=False)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert rows() == before


def test_a_wrong_seat_token_is_refused(anyone, open_market, alice):
    anyone.seat_token = "not-the-token-of-anyone"
    before = rows()

    response = anyone.post(url(open_market, "trades"), target(120, 30, "k"))

    assert response.status_code == 401
    assert response.json()["code"] == "not_signed_in"
    assert rows() == before


def test_a_seat_from_another_game_cannot_trade_here(anyone, open_market, stranger):
    anyone.seat_token = stranger.seat_token
    before = rows()

    for response in (
        anyone.post(url(open_market, "trades"), target(120, 30, "k")),
        anyone.post(url(open_market, "quote"), {"kind": "target", "mean": 120, "sd": 30}),
        anyone.get(url(open_market, "position")),
    ):
        assert response.status_code == 404  # to a seat of another game, this game's markets do not exist
        assert response.json()["code"] == "not_found"
    assert rows() == before


def test_a_kicked_player_cannot_trade(alice_bot, host, open_market, alice):
    services.kick_player(host, alice)
    before = rows()

    response = alice_bot.post(url(open_market, "trades"), target(120, 30, "k"))

    assert response.status_code == 403
    assert rows() == before


def test_the_hosts_login_is_not_a_seat(host_api, open_market, alice):
    before = rows()

    response = host_api.post(url(open_market, "trades"), target(120, 30, "k"))

    assert response.status_code == 401
    assert rows() == before


# -- bad input: a JSON refusal, by the schema or the service, and nothing changes-------------------------------


def with_target(fields: str) -> str:
    """A target order with a key and the given fields, written as raw JSON text."""
    return '{"kind": "target", "idempotency_key": "k", ' + fields + "}"


BAD_TRADES = [
    (with_target('"mean": NaN, "sd": 30'), 400, "malformed_json"),
    (with_target('"mean": 120, "sd": Infinity'), 400, "malformed_json"),
    (with_target('"mean": -Infinity, "sd": 30'), 400, "malformed_json"),
    (with_target('"mean": "120", "sd": 30'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": "30"'), 422, "invalid_request"),
    (with_target('"mean": true, "sd": 30'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": false'), 422, "invalid_request"),
    (with_target('"mean": 1e400, "sd": 30'), 422, "invalid_number"),
    (with_target('"mean": 120, "sd": 1e-400'), 400, "invalid_curve"),
    (with_target('"mean": 100000000000000000000000000000, "sd": 30'), 422, "invalid_number"),
    (with_target('"mean": ' + "9" * 5000 + ', "sd": 30'), 400, "malformed_json"),
    (with_target('"mean": [120], "sd": 30'), 422, "invalid_request"),
    (with_target('"mean": {"value": 120}, "sd": 30'), 422, "invalid_request"),
    (with_target('"sd": 30'), 422, "invalid_request"),
    (with_target('"mean": 120'), 422, "invalid_request"),
    (with_target('"mean": null, "sd": 30'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "delta_1": 1'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "price": 1'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": -30'), 400, "invalid_curve"),
    (with_target('"mean": 120, "sd": 0'), 400, "invalid_curve"),
    (with_target('"mean": 120, "sd": 30, "mean": 130'), 400, "malformed_json"),
    ('{"kind": "target", "mean": 120, "sd": 30}', 422, "invalid_request"),
    ('{"kind": "target", "mean": 120, "sd": 30, "idempotency_key": ""}', 422, "invalid_request"),
    ('{"kind": "target", "mean": 120, "sd": 30, "idempotency_key": 7}', 422, "invalid_request"),
    ('{"kind": "target", "mean": 120, "sd": 30, "idempotency_key": "' + "k" * 65 + '"}', 422, "invalid_request"),
    ('{"kind": "buy", "mean": 120, "sd": 30, "idempotency_key": "k"}', 422, "invalid_request"),
    ('{"mean": 120, "sd": 30, "idempotency_key": "k"}', 422, "invalid_request"),
    ('{"kind": "shares", "delta_1": "0.1", "delta_2": 0, "idempotency_key": "k"}', 422, "invalid_request"),
    ('{"kind": "shares", "delta_1": 0.1, "idempotency_key": "k"}', 422, "invalid_request"),
    ('{"kind": "close", "mean": 120, "idempotency_key": "k"}', 422, "invalid_request"),
    ('{"kind": "close", "idempotency_key": "k"}', 400, "invalid_curve"),
    (with_target('"mean": 120, "sd": 30, "max_cost": NaN'), 400, "malformed_json"),
    (with_target('"mean": 120, "sd": 30, "max_cost": "5"'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "max_cost": true'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "max_cost": 1e999'), 422, "invalid_number"),
    (with_target('"mean": 120, "sd": 30, "quoted_sequence": 1.5'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "quoted_sequence": 1.0'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "quoted_sequence": "1"'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "quoted_sequence": true'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "quoted_sequence": -1'), 422, "invalid_request"),
    (with_target('"mean": 120, "sd": 30, "quoted_sequence": 99999999999999999999999'), 422, "invalid_request"),
    ("[]", 422, "invalid_request"),
    ('"target"', 422, "invalid_request"),
    ("null", 422, "invalid_request"),
    ("", 422, "invalid_request"),
    ("{", 400, "malformed_json"),
    ("{'kind': 'target'}", 400, "malformed_json"),
    (b"\xff\xfe{}", 400, "malformed_json"),
]


@pytest.mark.parametrize(("raw", "status", "code"), BAD_TRADES)
def test_a_bad_trade_is_refused_and_changes_nothing(alice_bot, open_market, raw, status, code):
    before = rows()

    response = alice_bot.post(url(open_market, "trades"), raw=raw)

    assert (response.status_code, response["Content-Type"]) == (status, "application/json; charset=utf-8")
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert rows() == before


def test_a_validation_error_names_the_field(alice_bot, open_market):
    response = alice_bot.post(url(open_market, "trades"), raw=with_target('"mean": "120", "sd": 30'))

    errors = response.json()["errors"]
    assert [tuple(e["loc"])[-1] for e in errors] == ["mean"]


def test_a_draft_market_cannot_be_quoted_or_traded(alice_bot, market):
    before = rows()

    for response in (
        alice_bot.post(url(market, "quote"), {"kind": "target", "mean": 120, "sd": 30}),
        alice_bot.post(url(market, "trades"), target(120, 30, "k")),
        alice_bot.get(url(market, "position")),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert rows() == before
