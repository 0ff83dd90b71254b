"""The reads behind every live message: snapshots, market updates, leaderboards, who may watch.

Synchronous ORM code, called through `database_sync_to_async`. Shapes come from
`mmgame.services.snapshots`, so the websockets, the API and the pages show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from mmgame import services
from mmgame.models import Game, Market, Player, Position, Trade
from mmgame.services import snapshots

from .protocol import Request

SNAPSHOT_TRADES = 50
UPDATE_TRADES = 20
ROLES = ("player", "host", "projector")
PLAYER_REQUESTS = ("trade", "quote", "snapshot", "ping")
WATCHER_REQUESTS = ("snapshot", "ping")


class Refusal(Exception):
    """Why a socket may not watch this game: closed with `close_code` after an error frame."""

    def __init__(self, close_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.close_code, self.code, self.message = close_code, code, message

    def frame(self) -> dict:
        return {"type": "error", "code": self.code, "message": self.message, "request_id": None}


@dataclass(frozen=True)
class Viewer:
    """Who is behind a socket: a role in one game, and the seat when it is a player's."""

    role: str
    game_id: int
    player_id: int | None = None
    nickname: str | None = None

    @property
    def allowed(self) -> tuple[str, ...]:
        return PLAYER_REQUESTS if self.role == "player" else WATCHER_REQUESTS

    @property
    def sees_drafts(self) -> bool:
        return self.role == "host"


def find_viewer(game_id: int, role: str, user: object, session: object, seat_token: str | None = None) -> Viewer:
    """Players by the seat token their session remembers (mmgame.web.seats), or that a bot sends in the
    X-Seat-Token header as it does to the API; host and projector by the host's login."""
    game = Game.objects.filter(pk=game_id).first()
    if game is None:
        raise Refusal(4404, "not_found", "no such game")
    if role == "player":
        token = seat_token
        if not token:
            seats = session.get("seats", {}) if session is not None else {}
            token = seats.get(str(game_id)) if isinstance(seats, dict) else None
        if not token:
            raise Refusal(4401, "not_signed_in", "join the game first: this browser holds no seat in it")
        try:
            player = services.seat(token)
        except services.Forbidden:
            raise Refusal(4401, "not_signed_in", "this browser's seat is no longer valid; join again") from None
        if player.game_id != game.pk:
            raise Refusal(4403, "forbidden", "that seat is in another game")
        if player.kicked:
            raise Refusal(4403, "kicked", "the host removed this seat from the game")
        return Viewer(role, game.pk, player.pk, player.nickname)
    if role not in ROLES:
        raise Refusal(4404, "not_found", "no such screen")
    user = user or AnonymousUser()
    if not user.is_authenticated:
        raise Refusal(4401, "not_signed_in", "sign in as the game's host")
    if game.host_id != user.pk:
        raise Refusal(4403, "forbidden", "only the game's host can open this screen")
    return Viewer(role, game.pk)


def visible_markets(game_id: int, drafts: bool) -> list[Market]:
    markets = Market.objects.filter(game_id=game_id).select_related("game").order_by("number")
    return list(markets if drafts else markets.exclude(status=Market.Status.DRAFT))


def recent_trades(market: Market, after: int = 0, limit: int = SNAPSHOT_TRADES) -> list[dict]:
    """The newest `limit` trades after sequence `after`, oldest first."""
    rows = list(
        Trade.objects.filter(market=market, sequence__gt=after).select_related("player").order_by("-sequence")[:limit]
    )
    for trade in rows:
        trade.market = market  # one market row for all: shares_x reads its range
    return [snapshots.trade_entry(trade, market) for trade in reversed(rows)]


def players(game_id: int) -> list[dict]:
    return [
        {"id": pid, "nickname": name, "kicked": kicked}
        for pid, name, kicked in Player.objects.filter(game_id=game_id)
        .order_by("joined_at", "id")
        .values_list("id", "nickname", "kicked")
    ]


def leaderboard(game_id: int) -> dict:
    """Profit per game and per visible market; accuracy per resolved market (names included)."""
    game = Game.objects.get(pk=game_id)
    markets = visible_markets(game_id, drafts=False)
    return {
        "type": "leaderboard",
        "game": snapshots.standings(services.game_leaderboard(game)),
        "markets": {str(m.pk): snapshots.standings(services.market_leaderboard(m)) for m in markets},
        "accuracy": {
            str(m.pk): snapshots.standings(services.accuracy_leaderboard(m))
            for m in markets
            if m.status == Market.Status.RESOLVED
        },
    }


def without_names(board: dict) -> dict:
    """The leaderboard as players see it in a game that hides names: their own row is theirs by id."""

    def hide(rows: list[dict]) -> list[dict]:
        return [{**row, "nickname": None} for row in rows]

    return {
        **board,
        "game": hide(board["game"]),
        "markets": {k: hide(v) for k, v in board["markets"].items()},
        "accuracy": {k: hide(v) for k, v in board["accuracy"].items()},
    }


def snapshot(viewer: Viewer, request_id: str | None = None, board: dict | None = None) -> dict:
    """Everything a screen shows; `board` is the room's latest leaderboard when it has one (a classroom
    connecting at once then costs one leaderboard, not one per phone)."""
    game = Game.objects.get(pk=viewer.game_id)
    markets = visible_markets(game.pk, drafts=viewer.sees_drafts)
    positions: dict[str, dict] = {}
    if viewer.player_id is not None:
        player = Player.objects.get(pk=viewer.player_id)
        held = {p.market_id: p for p in Position.objects.filter(player=player)}
        positions = {str(m.pk): snapshots.position_state(m, held.get(m.pk), player) for m in markets}
    board = {k: v for k, v in (board or leaderboard(game.pk)).items() if k != "type"}
    if game.hide_names and viewer.role != "host":
        board = without_names(board)
    return {
        "type": "snapshot",
        "request_id": request_id,
        "role": viewer.role,
        "game": snapshots.game_state(game),
        "me": None if viewer.player_id is None else {"id": viewer.player_id, "nickname": viewer.nickname},
        "markets": [snapshots.market_state(m) for m in markets],
        "positions": positions,
        "trades": {str(m.pk): recent_trades(m) for m in markets},
        "leaderboard": board,
        "players": players(game.pk),
    }


def market_update(market_id: int, after: int) -> dict | None:
    """What changed in a market since sequence `after`, or None when nothing did (conflated: one read)."""
    market = Market.objects.select_related("game").filter(pk=market_id).first()
    if market is None or market.sequence <= after:
        return None
    trades = recent_trades(market, after, UPDATE_TRADES)
    omitted = 0
    if len(trades) == UPDATE_TRADES:
        omitted = Trade.objects.filter(market=market, sequence__gt=after).count() - UPDATE_TRADES
    payouts = None
    if market.status == Market.Status.RESOLVED:
        payouts = [
            {"player_id": pid, "payout": payout, "profit": payout - budget}
            for pid, payout, budget in Position.objects.filter(market=market, payout__isnull=False)
            .order_by("player_id")
            .values_list("player_id", "payout", "budget")
        ]
    return {
        "type": "update",
        "market_id": market.pk,
        "after": after,
        "sequence": market.sequence,
        "market": snapshots.market_state(market),
        "trades": trades,
        "trades_omitted": omitted,
        "payouts": payouts,
    }


@dataclass(frozen=True)
class RoomState:
    """What a server process checks to know whether its screens of a game are up to date."""

    sequences: dict[int, int]
    players: dict[int, bool]
    game: dict


def room_state(game_id: int) -> RoomState:
    game = Game.objects.get(pk=game_id)
    return RoomState(
        sequences=dict(Market.objects.filter(game_id=game_id).values_list("id", "sequence")),
        players=dict(Player.objects.filter(game_id=game_id).values_list("id", "kicked")),
        game=snapshots.game_state(game),
    )


def player_entry(player_id: int) -> dict | None:
    row = Player.objects.filter(pk=player_id).values("id", "nickname", "kicked").first()
    return dict(row) if row else None


def fresh_player(player_id: int) -> Player:
    """The seat as it is now (the host may have kicked it since the socket opened)."""
    player = Player.objects.select_related("game").filter(pk=player_id).first()
    if player is None:
        raise services.Forbidden("a valid seat token is needed")
    return player


def trade_answer(player_id: int, request: Request) -> dict:
    """Settle a trade sent over a socket through the one trading service."""
    result = services.place_trade(
        fresh_player(player_id),
        request.market_id,
        request.order,
        idempotency_key=request.idempotency_key,
        max_cost=request.max_cost,
        quoted_sequence=request.quoted_sequence,
    )
    trade = result.trade
    market = trade.market if not result.replayed else Market.objects.select_related("game").get(pk=trade.market_id)
    trade.market = market
    return {
        "type": "trade_result",
        "request_id": request.request_id,
        "replayed": result.replayed,
        "trade": snapshots.trade_entry(trade, market),
        "position": snapshots.position_state(market, result.position, trade.player),
        "market": snapshots.market_state(market),
    }


def quote_answer(player_id: int, request: Request) -> dict:
    market, quote = services.quote_order(fresh_player(player_id), request.market_id, request.order)
    return {"type": "quote", "request_id": request.request_id, "quote": snapshots.quote_summary(market, quote)}
