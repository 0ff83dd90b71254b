"""Markets: anyone reads their state, trade feed and leaderboards; the host runs their life cycle."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from mmgame import services
from mmgame.models import Market, Trade
from mmgame.services.snapshots import market_state, trade_entry
from mmgame.services.trading import get_market

from .auth import host_auth, is_host
from .leaderboards import visible_standings
from .numbers import ObjectId
from .schemas import (
    HOST,
    PUBLIC,
    CloseIn,
    MarketLeaderboardOut,
    MarketOut,
    ResolvedMarketOut,
    ResolveIn,
    TradeOut,
    replies,
)

router = Router(tags=["markets"])

TRADES_PAGE = 200


class TradesQuery(Schema):
    after: int | None = Field(None, ge=0, le=2**31, description="Only trades with a higher sequence number.")
    limit: int = Field(50, ge=1, le=TRADES_PAGE)


def shown_market(request: HttpRequest, market_id: int) -> Market:
    """A market as the public sees it: a draft is the host's secret until it opens (a 404 to others)."""
    market = get_market(market_id)
    if market.status == Market.Status.DRAFT and not is_host(request, market.game):
        raise services.NotFound("no such market")
    return market


def exact(value: Decimal) -> str:
    """A decimal as plain digits: 1000000000.30000000000000000000 → "1000000000.3", 1E+2 → "100"."""
    return format(value.normalize(), "f")


@router.get("/{market_id}", response=replies({200: MarketOut}, *PUBLIC), summary="Market state")
def market_detail(request: HttpRequest, market_id: ObjectId) -> dict:
    return market_state(shown_market(request, market_id))


@router.get("/{market_id}/trades", response=replies({200: list[TradeOut]}, *PUBLIC), summary="Recent trades")
def recent_trades(request: HttpRequest, market_id: ObjectId, query: Query[TradesQuery]) -> list[dict]:
    """The latest `limit` trades in sequence order, or, with `after`, the next ones after that sequence."""
    market = shown_market(request, market_id)
    trades = Trade.objects.filter(market=market).select_related("player")
    if query.after is not None:
        page = list(trades.filter(sequence__gt=query.after).order_by("sequence")[: query.limit])
    else:
        page = list(trades.order_by("-sequence")[: query.limit])[::-1]
    return [trade_entry(trade, market) for trade in page]


@router.get(
    "/{market_id}/leaderboard", response=replies({200: MarketLeaderboardOut}, *PUBLIC), summary="Market leaderboard"
)
def market_leaderboard(request: HttpRequest, market_id: ObjectId) -> dict:
    market = shown_market(request, market_id)
    return {
        "market_id": market.pk,
        "status": market.status,
        "profit": visible_standings(request, market.game, services.market_leaderboard(market)),
        "accuracy": visible_standings(request, market.game, services.accuracy_leaderboard(market)),
    }


@router.post("/{market_id}/open", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Open (host)")
def open_market(request: HttpRequest, market_id: ObjectId) -> dict:
    return market_state(services.open_market(request.auth, market_id))  # type: ignore[attr-defined]


@router.post("/{market_id}/pause", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Pause (host)")
def pause_market(request: HttpRequest, market_id: ObjectId) -> dict:
    return market_state(services.pause_market(request.auth, market_id))  # type: ignore[attr-defined]


@router.post("/{market_id}/close", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Close (host)")
def close_market(request: HttpRequest, market_id: ObjectId, body: CloseIn | None = None) -> dict:
    countdown = body.countdown if body else None
    return market_state(services.close_market(request.auth, market_id, countdown=countdown))  # type: ignore[attr-defined]


@router.post(
    "/{market_id}/resolve", auth=host_auth, response=replies({200: ResolvedMarketOut}, *HOST), summary="Resolve"
)
def resolve_market(request: HttpRequest, market_id: ObjectId, body: ResolveIn) -> dict:
    """Settle a closed market at the outcome (clamped into the range); every position is paid once."""
    market: Market = services.resolve_market(request.auth, market_id, body.outcome)  # type: ignore[attr-defined]
    return {**market_state(market), "outcome_exact": exact(Decimal(market.outcome))}
