"""Bad input gets a clear typed error and changes nothing, whichever service it reaches."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import access, services
from mmgame.market import InsufficientCollateral, InvalidCurve, InvalidNumber, MarketError, Order

from .ledger import CLOSE, fresh_key, rows, shares, target, toward

pytestmark = pytest.mark.django_db

NAN, INF = float("nan"), float("inf")

BAD_ORDERS = {
    "mean-nan": (target(NAN, 30), InvalidNumber),
    "mean-inf": (target(INF, 30), InvalidNumber),
    "mean-minus-inf": (target(-INF, 30), InvalidNumber),
    "mean-string": (target("120", 30), InvalidNumber),
    "mean-none": (target(None, 30), InvalidNumber),
    "mean-bool": (target(True, 30), InvalidNumber),
    "mean-huge": (target(1e300, 30), InvalidNumber),
    "mean-huge-int": (target(10**400, 30), InvalidNumber),
    "mean-decimal-nan": (target(Decimal("NaN"), 30), InvalidNumber),
    "mean-decimal-huge": (target(Decimal("1e400"), 30), InvalidNumber),
    "mean-outside-range": (target(301, 30), InvalidCurve),
    "sd-nan": (target(120, NAN), InvalidNumber),
    "sd-inf": (target(120, INF), InvalidNumber),
    "sd-string": (target(120, "30"), InvalidNumber),
    "sd-zero": (target(120, 0), InvalidCurve),
    "sd-negative": (target(120, -30), InvalidCurve),
    "sd-below-sd-min": (target(120, 0.5), InvalidCurve),
    "sd-huge": (target(120, 1e20), InvalidNumber),
    "toward-sd-zero": (toward(120, 0), InvalidCurve),
    "toward-mean-nan": (toward(NAN, 30), InvalidNumber),
    "shares-nan": (shares(NAN, 0), InvalidNumber),
    "shares-inf": (shares(0, -INF), InvalidNumber),
    "shares-string": (shares("1", 0), InvalidNumber),
    "shares-none": (shares(None, None), InvalidNumber),
    "shares-huge": (shares(1e300, -1e300), MarketError),
    "shares-huge-int": (shares(10**400, 0), InvalidNumber),
    "shares-signalling-nan": (shares(Decimal("sNaN"), 0), InvalidNumber),
    "shares-bool": (shares(True, 0), InvalidNumber),
    "shares-theta-2-positive": (shares(0, 0.01), InvalidCurve),
    "shares-below-sd-min": (shares(0, -100), InvalidCurve),
    "beyond-collateral": (target(120, 10), InsufficientCollateral),
    "beyond-collateral-shares": (shares(0, -0.05), InsufficientCollateral),
    "close-without-position": (CLOSE, InvalidCurve),
    "unknown-kind": (Order("buy-low"), InvalidCurve),
}


@pytest.mark.parametrize(("order", "error"), BAD_ORDERS.values(), ids=BAD_ORDERS.keys())
def test_a_bad_order_is_refused_and_changes_nothing(alice, bob, open_market, buy, order, error):
    buy(bob, target(110, 60))  # a market that has moved, with a position in it
    before = rows()

    with pytest.raises(error) as refused:
        buy(alice, order)

    answer = refused.value.as_dict()
    assert answer["code"] == refused.value.code and answer["message"]
    assert refused.value.code in ("invalid", "invalid_number", "invalid_curve", "insufficient_collateral")
    assert rows() == before


BAD_ORDERS_WITH_A_POSITION = {name: case for name, case in BAD_ORDERS.items() if name != "close-without-position"}


@pytest.mark.parametrize(("order", "error"), BAD_ORDERS_WITH_A_POSITION.values(), ids=BAD_ORDERS_WITH_A_POSITION.keys())
def test_a_bad_order_is_refused_by_a_player_with_a_position(alice, open_market, buy, order, error):
    buy(alice, target(105, 80))
    before = rows()

    with pytest.raises(MarketError):
        buy(alice, order)

    assert rows() == before


@pytest.mark.parametrize(
    "order",
    [target(NAN, 30), target(120, 0), target(120, 0.5), shares(0, 0.01), shares("x", 0), CLOSE],
    ids=["mean-nan", "sd-zero", "sd-below-sd-min", "theta-2-positive", "shares-string", "close-nothing"],
)
def test_a_bad_order_is_refused_by_the_quote_too(alice, open_market, order):
    with pytest.raises(MarketError):
        services.quote_order(alice, open_market.pk, order)


@pytest.mark.parametrize(
    ("guards", "error"),
    [
        ({"idempotency_key": ""}, MarketError),
        ({"idempotency_key": "k" * 65}, MarketError),
        ({"idempotency_key": None}, MarketError),
        ({"idempotency_key": 17}, MarketError),
        ({"idempotency_key": "ok", "max_cost": NAN}, InvalidNumber),
        ({"idempotency_key": "ok", "max_cost": INF}, InvalidNumber),
        ({"idempotency_key": "ok", "max_cost": "10"}, InvalidNumber),
        ({"idempotency_key": "ok", "quoted_sequence": "1"}, MarketError),
        ({"idempotency_key": "ok", "quoted_sequence": True}, MarketError),
        ({"idempotency_key": "ok", "quoted_sequence": 1.0}, MarketError),
        ({"idempotency_key": "ok", "quoted_sequence": 10**30}, services.StaleQuote),
        ({"idempotency_key": "ok", "quoted_sequence": -1}, services.StaleQuote),
        ({"idempotency_key": "ok", "max_cost": 10**400}, InvalidNumber),
    ],
    ids=lambda v: repr(v) if not isinstance(v, type) else v.__name__,
)
def test_a_bad_guard_is_refused_and_changes_nothing(alice, open_market, guards, error):
    before = rows()

    with pytest.raises(error):
        services.place_trade(alice, open_market.pk, target(120, 30), **guards)

    assert rows() == before


def test_a_trade_in_a_draft_finds_no_market(market, alice):
    before = rows()

    with pytest.raises(services.NotFound):
        services.place_trade(alice, market.pk, target(120, 30), idempotency_key=fresh_key())

    assert rows() == before


@pytest.mark.parametrize("steps", [["pause_market"], ["close_market"]], ids=["paused", "closed"])
def test_a_trade_in_a_market_that_is_not_open_is_refused(host, market, alice, steps):
    services.open_market(host, market.pk)
    for step in steps:
        getattr(services, step)(host, market.pk)
    before = rows()

    with pytest.raises(services.MarketNotOpen) as refused:
        services.place_trade(alice, market.pk, target(120, 30), idempotency_key=fresh_key())

    assert refused.value.code == "market_not_open"
    assert rows() == before


def test_a_trade_in_a_resolved_market_is_refused(host, open_market, alice):
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 100)
    before = rows()

    with pytest.raises(services.MarketNotOpen):
        services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key=fresh_key())

    assert rows() == before


def test_a_seat_from_another_game_is_forbidden(stranger, open_market):
    before = rows()

    with pytest.raises(services.NotFound):
        services.place_trade(stranger, open_market.pk, target(120, 30), idempotency_key=fresh_key())

    assert rows() == before


def test_a_seat_from_another_game_cannot_quote(stranger, open_market):
    with pytest.raises(services.NotFound):
        services.quote_order(stranger, open_market.pk, target(120, 30))


def test_a_kicked_seat_is_forbidden(host, alice, open_market, buy):
    buy(alice, target(120, 30))
    services.kick_player(host, alice)
    alice.refresh_from_db()
    before = rows()

    with pytest.raises(services.Forbidden):
        buy(alice, target(110, 30))

    assert rows() == before


def test_a_kicked_seat_that_was_not_refreshed_is_still_forbidden(host, alice, open_market, buy):
    """The service must not trust the caller's copy of the seat: the API may have loaded it earlier."""
    stale_copy = access.seat(alice.seat_token)
    services.kick_player(host, alice)
    before = rows()

    with pytest.raises(services.Forbidden):
        buy(stale_copy, target(110, 30))

    assert rows() == before


@pytest.mark.parametrize("market_id", [10**6, 2**70, -1, "abc", None, 1.5j])
def test_a_trade_in_an_unknown_market_is_not_found(alice, open_market, market_id):
    before = rows()

    with pytest.raises(services.NotFound):
        services.place_trade(alice, market_id, target(120, 30), idempotency_key=fresh_key())

    assert rows() == before
