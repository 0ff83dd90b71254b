"""A player's side of a market: their position, a quote that changes nothing, and the trade itself."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Status

from mmgame import access, services
from mmgame.inputs import ORDER_NUMBERS
from mmgame.market import Order
from mmgame.models import Market, Player
from mmgame.queries.lookups import position_of
from mmgame.queries.shapes import market_state, position_state, quote_summary, trade_entry

from .auth import seat_auth
from .markets import router, shown_market
from .numbers import ObjectId
from .schemas import PLAYER, OrderIn, PositionOut, QuoteOut, TradeIn, TradeResultOut, replies


def my_seat(request: HttpRequest, market_id: int) -> tuple[Market, Player]:
    """The market and the caller's seat in its game (mmgame.access: a seat, not kicked)."""
    seen, market = shown_market(request, market_id)
    return market, access.require_seat(seen)


def order_of(body: OrderIn) -> Order:
    numbers = {name: getattr(body, name) for name in ORDER_NUMBERS}
    return Order(body.kind, **numbers)


@router.get(
    "/{market_id}/position",
    auth=seat_auth,
    tags=["trading"],
    response=replies({200: PositionOut}, *PLAYER),
    summary="My position",
)
def my_position(request: HttpRequest, market_id: ObjectId) -> dict:
    market, player = my_seat(request, market_id)
    return position_state(market, position_of(market=market, player=player), player)


@router.post(
    "/{market_id}/quote",
    auth=seat_auth,
    tags=["trading"],
    response=replies({200: QuoteOut}, *PLAYER),
    summary="Quote an order",
)
def quote(request: HttpRequest, market_id: ObjectId, body: OrderIn) -> dict:
    """What the order would cost, risk and earn now; pass `sequence` back as `quoted_sequence` to trade on it."""
    _, player = my_seat(request, market_id)
    market, priced = services.quote_order(player, market_id, order_of(body))
    return quote_summary(market, priced)


@router.post(
    "/{market_id}/trades",
    auth=seat_auth,
    tags=["trading"],
    response=replies({201: TradeResultOut, 200: TradeResultOut}, *PLAYER),
    summary="Place an order",
)
def trade(request: HttpRequest, market_id: ObjectId, body: TradeIn) -> Status:
    """Place an order. 201 with the new trade; 200 with the first result when the idempotency key was used
    before (`replayed: true`; the position and market are as they are now)."""
    _, player = my_seat(request, market_id)
    result = services.place_trade(
        player,
        market_id,
        order_of(body),
        idempotency_key=body.idempotency_key,
        max_cost=body.max_cost,
        max_loss=body.max_loss,
        quoted_sequence=body.quoted_sequence,
    )
    market = result.trade.market
    return Status(
        200 if result.replayed else 201,
        {
            "trade": trade_entry(result.trade, market),
            "position": position_state(market, result.position, player),
            "market": market_state(market),
            "replayed": result.replayed,
        },
    )
