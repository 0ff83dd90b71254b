"""The reads behind every live message: snapshots, market updates, leaderboards, who may watch.

Synchronous ORM code, called through `database_sync_to_async`. Shapes come from
`mmgame.services.snapshots`, so the websockets, the API and the pages show the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib import auth

from mmgame import services
from mmgame.models import Game, Market, Player, Position, Trade
from mmgame.services import snapshots
from mmgame.services.leaderboards import crowd_score

from .protocol import Request, dumps

SNAPSHOT_TRADES = 50
UPDATE_TRADES = 12  # the feed shows the latest 12
# Players and the projector get the top of each board (and players their own rows): a classroom's whole
# board, to every phone every second, was ~130 KB a frame with a thousand players.
TOP_ROWS = 10
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


def find_viewer(game_id: int, role: str, session_key: str | None, seat_token: str | None = None) -> Viewer:
    """Players by the seat token their session remembers (mmgame.web.seats), or that a bot sends in the
    X-Seat-Token header as it does to the API; host and projector by the host's login in that session."""
    game = Game.objects.filter(pk=game_id).first()
    if game is None:
        raise Refusal(4404, "not_found", "no such game")
    if role == "player":
        token = seat_token
        if not token:
            seats = session_of(session_key).get("seats", {}) if session_key else {}
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
    user = auth.get_user(SimpleNamespace(session=session_of(session_key)))  # checks the session's auth hash
    if not user.is_authenticated:
        raise Refusal(4401, "not_signed_in", "sign in as the game's host")
    if game.host_id != user.pk:
        raise Refusal(4403, "forbidden", "only the game's host can open this screen")
    return Viewer(role, game.pk)


def session_of(session_key: str | None):
    """The session a cookie names (an empty one when there is none, or it expired)."""
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def visible_markets(game_id: int, drafts: bool) -> list[Market]:
    markets = Market.objects.filter(game_id=game_id).select_related("game").order_by("number")
    return list(markets if drafts else markets.exclude(status=Market.Status.DRAFT))


def recent_trades(market: Market, after: int = 0, limit: int = SNAPSHOT_TRADES) -> list[dict]:
    """The newest `limit` trades after sequence `after`, oldest first."""
    rows = list(
        Trade.objects.filter(market=market, sequence__gt=after)
        .order_by("-sequence")
        .values(*snapshots.FEED_COLUMNS)[:limit]
    )
    return [snapshots.feed_entry(row, market) for row in reversed(rows)]


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
        "crowd": {str(m.pk): crowd_score(m) for m in markets if m.status == Market.Status.RESOLVED},
    }


def hidden(row: dict) -> dict:
    """A row of someone else's with names hidden: no nickname and no player id, since the snapshot's list of
    players (the lobby) maps ids to nicknames."""
    return {**row, "nickname": None, "player_id": None}


def board_top(board: dict, complete: bool, hide_names: bool) -> dict:
    """The part of the leaderboard every screen of a kind shares: the host's is complete; other screens get
    the top TOP_ROWS rows of each board, how many rows each has, and the score of the crowd's average
    forecast per resolved market (the lesson)."""
    cut = (lambda rows: rows) if complete else (lambda rows: rows[:TOP_ROWS])
    show = (lambda rows: [hidden(row) for row in cut(rows)]) if hide_names else cut
    return {
        "type": "leaderboard",
        "game": show(board["game"]),
        "markets": {k: show(v) for k, v in board["markets"].items()},
        "accuracy": {k: show(v) for k, v in board["accuracy"].items()},
        "counts": {
            "game": len(board["game"]),
            "markets": {k: len(v) for k, v in board["markets"].items()},
            "accuracy": {k: len(v) for k, v in board["accuracy"].items()},
        },
        "crowd": board["crowd"],
    }


def own_rows(board: dict, hide_names: bool) -> dict[int, dict]:
    """Each player's own row of every board, by player id: what a player's `mine` holds. It keeps the
    player's id and nickname even when names are hidden: it is only ever sent to that player."""
    mine: dict[int, dict] = {}

    def seat(pid: int) -> dict:
        entry = mine.get(pid)
        if entry is None:
            entry = mine[pid] = {"game": None, "markets": {}, "accuracy": {}}
        return entry

    for row in board["game"]:
        seat(row["player_id"])["game"] = row
    for section in ("markets", "accuracy"):
        for key, rows in board[section].items():
            for row in rows:
                seat(row["player_id"])[section][key] = row
    return mine


NOTHING_MINE = {"game": None, "markets": {}, "accuracy": {}}


def players_rows(board: dict, hide_names: bool) -> dict[int, dict]:
    """`own_rows`, indexed once per board and kept with it: a classroom connecting at once reads one board.
    (`hide_names` is kept for callers: a player's own rows look the same either way.)"""
    index = board.get("_own_rows")
    if index is None:
        index = board["_own_rows"] = own_rows(board, hide_names)
    return index


def board_view(board: dict, viewer: Viewer, hide_names: bool) -> dict:
    """The leaderboard as one screen sees it (docs/protocol.md §2.4)."""
    host = viewer.role == "host"
    view = board_top(board, complete=host, hide_names=hide_names and not host)
    if viewer.player_id is not None:
        view["mine"] = players_rows(board, hide_names).get(viewer.player_id, NOTHING_MINE)
    return view


def snapshot(
    viewer: Viewer, request_id: str | None = None, board: dict | None = None, roster: list[dict] | None = None
) -> dict:
    """Everything a screen shows; `board` and `roster` are the room's latest leaderboard and lobby when it
    has them (a classroom connecting at once then costs one of each, not one per phone)."""
    game = Game.objects.get(pk=viewer.game_id)
    markets = visible_markets(game.pk, drafts=viewer.sees_drafts)
    positions: dict[str, dict] = {}
    if viewer.player_id is not None:
        player = Player.objects.get(pk=viewer.player_id)
        held = {p.market_id: p for p in Position.objects.filter(player=player)}
        positions = {str(m.pk): snapshots.position_state(m, held.get(m.pk), player) for m in markets}
    view = board_view(board or leaderboard(game.pk), viewer, game.hide_names)
    del view["type"]
    return {
        "type": "snapshot",
        "request_id": request_id,
        "role": viewer.role,
        "game": snapshots.game_state(game),
        "me": None if viewer.player_id is None else {"id": viewer.player_id, "nickname": viewer.nickname},
        "markets": [snapshots.market_state(m) for m in markets],
        "positions": positions,
        "trades": {str(m.pk): recent_trades(m) for m in markets},
        "leaderboard": view,
        "players": players(game.pk) if roster is None else roster,
    }


def market_update(market_id: int, after: int) -> dict | None:
    """What changed in a market since sequence `after`, or None when nothing did (conflated: one read).

    `after` is −1 for a market the caller has never sent (it may be a draft, at sequence 0); the update
    then says `after: 0`, as for every market a screen may not know yet."""
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
        "after": max(after, 0),
        "sequence": market.sequence,
        # A screen that holds the market at `after` has its fixed parts; one that may not (after 0) gets all.
        "market": snapshots.market_state(market) if after <= 0 else snapshots.market_moves(market),
        "trades": trades,
        "trades_omitted": omitted,
        "payouts": payouts,
    }


def sees_all_payouts(update: dict, viewer: Viewer, hide_names: bool) -> bool:
    return not hide_names or update.get("payouts") is None or viewer.role == "host"


def update_view(update: dict, viewer: Viewer, hide_names: bool) -> dict:
    """A market update as one screen sees it: with names hidden, a player's payouts list only their own and
    the projector's none (a payout's player id joins the lobby's names to the profit board); the host's all."""
    if sees_all_payouts(update, viewer, hide_names):
        return update
    return {**update, "payouts": [row for row in update["payouts"] if row["player_id"] == viewer.player_id]}


def update_frames(update: dict, screens: list, hide_names: bool) -> Iterator[tuple[object, str]]:
    """(screen, text) for each screen that should see the update, each distinct text serialised once."""
    texts: dict[object, str] = {}
    for screen in screens:
        viewer = screen.viewer
        key = "all" if sees_all_payouts(update, viewer, hide_names) else viewer.player_id  # projector: None
        text = texts.get(key)
        if text is None:
            text = texts[key] = dumps(update_view(update, viewer, hide_names))
        yield screen, text


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


def trade_answer(seat: Player | int, request: Request) -> dict:
    """Settle a trade sent over a socket through the one trading service.

    `seat` may be the socket's own copy of its Player row: the service asks the database, inside the
    trade's transaction, whether the seat was kicked since, so the copy saves a query and risks nothing."""
    player = seat if isinstance(seat, Player) else fresh_player(seat)
    result = services.place_trade(
        player,
        request.market_id,
        request.order,
        idempotency_key=request.idempotency_key,
        max_cost=request.max_cost,
        max_loss=request.max_loss,
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
        "position": snapshots.position_state(market, result.position, player),
        "market": snapshots.market_state(market),
    }


def quote_answer(seat: Player | int, request: Request) -> dict:
    player = seat if isinstance(seat, Player) else fresh_player(seat)
    market, quote = services.quote_order(player, request.market_id, request.order)
    return {"type": "quote", "request_id": request.request_id, "quote": snapshots.quote_summary(market, quote)}
