"""Markets: anyone reads their state, trade feed and leaderboards; the host runs their life cycle."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from mmgame import access, queries, round, services
from mmgame.models import Market
from mmgame.queries.shapes import market_state
from mmgame.services.pictures import check_size

from .auth import caller_of, host_auth
from .leaderboards import visible_standings
from .numbers import ObjectId
from .schemas import (
    HOST,
    SEATED,
    CloseIn,
    MarketIn,
    MarketLeaderboardOut,
    MarketOut,
    MarketSecondsIn,
    MarketSecondsOut,
    OpenIn,
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


def shown_market(request: HttpRequest, market_id: int) -> tuple[access.Viewer, Market]:
    """A market the caller may read (mmgame.access): its host's, or one of a game they hold a seat in, and
    not a draft unless theirs. Anyone else is told there is no such market."""
    seen, market = access.access_market(caller_of(request), market_id)
    return seen, queries.current_market(market)


def exact(value: Decimal) -> str:
    """A decimal as plain digits: 1000000000.30000000000000000000 → "1000000000.3", 1E+2 → "100"."""
    return format(value.normalize(), "f")


@router.get("/{market_id}", response=replies({200: MarketOut}, *SEATED), summary="Market state")
def market_detail(request: HttpRequest, market_id: ObjectId) -> dict:
    return market_state(shown_market(request, market_id)[1])


@router.get("/{market_id}/trades", response=replies({200: list[TradeOut]}, *SEATED), summary="Recent trades")
def recent_trades(request: HttpRequest, market_id: ObjectId, query: Query[TradesQuery]) -> list[dict]:
    """The latest `limit` trades in sequence order, or, with `after`, the next ones after that sequence.
    With hidden names, other players' lines carry no name, id, order or cost."""
    seen, market = shown_market(request, market_id)
    return queries.trade_page(seen, market, after=query.after, limit=query.limit)


@router.get(
    "/{market_id}/leaderboard", response=replies({200: MarketLeaderboardOut}, *SEATED), summary="Market leaderboard"
)
def market_leaderboard(request: HttpRequest, market_id: ObjectId) -> dict:
    seen, market = shown_market(request, market_id)
    return {
        "market_id": market.pk,
        "status": market.shown_status,
        "profit": visible_standings(seen, queries.market_leaderboard(market)),
        "accuracy": visible_standings(seen, queries.accuracy_leaderboard(market)),
    }


@router.post("/{market_id}/open", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Open (host)")
def open_market(request: HttpRequest, market_id: ObjectId, body: OpenIn | None = None) -> dict:
    """Open a draft or a paused market. Another market of the game still trading is refused (409) unless
    `close_others` is true, which closes it in the same step."""
    close_others = bool(body and body.close_others)
    return market_state(services.open_market(request.auth, market_id, close_others=close_others))  # type: ignore[attr-defined]


@router.post(
    "/{market_id}/autopilot", auth=host_auth, response=replies({200: MarketSecondsOut}, *HOST), summary="Its times"
)
def set_market_seconds(request: HttpRequest, market_id: ObjectId, body: MarketSecondsIn) -> dict:
    """This market's own phase times on autopilot, over the game's (docs/round.md § Autopilot)."""
    game = services.autopilot.set_market_seconds(request.auth, market_id, seconds=dict(body.seconds))  # type: ignore[arg-type]
    seconds = game.phase_seconds(market_id)
    return {"market_id": market_id, "seconds": seconds, "question_seconds": round.question_seconds(seconds)}


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


@router.put("/{market_id}", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Edit (host)")
def update_market(request: HttpRequest, market_id: ObjectId, body: MarketIn) -> dict:
    """Replace a market not yet shown with the one described (the fields of Add a market, the same rules); its
    picture stays. Another host's market is 404; one already shown is refused with 409 `market_shown`."""
    market = services.update_market(request.auth, market_id, **body.model_dump())  # type: ignore[attr-defined]
    return market_state(market)


@router.delete("/{market_id}", auth=host_auth, response=replies({204: None}, *HOST), summary="Delete (host)")
def delete_market(request: HttpRequest, market_id: ObjectId) -> Status:
    """Delete a market not yet shown to players (a draft), with its picture; the markets after it move up one.
    Another host's market is 404; one already shown is refused with 409 `market_shown`."""
    services.delete_market(request.auth, market_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.post(
    "/{market_id}/picture", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Set the picture (host)"
)
def set_picture(request: HttpRequest, market_id: ObjectId, picture: File[UploadedFile], alt: Form[str] = "") -> dict:
    """The one multipart/form-data endpoint (settings.UPLOAD_PATHS): `picture`, a JPEG, PNG, GIF or WebP image
    of at most 5 MB, and `alt`, a line saying what it shows. It replaces any picture the market had. Refused:
    413 `picture_too_large` (bytes or pixels), 415 `not_a_picture` (an SVG too), 400 `alt_text_needed`."""
    check_size(picture.size or 0)
    upload = services.picture_from(picture.read(), name=picture.name or "picture", alt=alt)
    market = services.set_picture(request.auth, market_id, upload)  # type: ignore[attr-defined]
    return market_state(queries.current_market(market))


@router.delete(
    "/{market_id}/picture", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Remove the picture"
)
def remove_picture(request: HttpRequest, market_id: ObjectId) -> dict:
    market = services.set_picture(request.auth, market_id, None)  # type: ignore[attr-defined]
    return market_state(queries.current_market(market))
