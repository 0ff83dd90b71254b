"""What the live screens read: snapshots, market updates, leaderboards and the room's state.

Synchronous ORM code (the live layer calls it through `database_sync_to_async`). Shapes come from
`mmgame.queries.shapes` and visibility from `mmgame.access`, so sockets, the API and the pages agree.
A screen is a viewer (mmgame.access.Viewer) and a role: the projector is its host's screen for the
room, and sees what a stranger would (no drafts, names hidden when the host asked).
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q

from mmgame import access, languages
from mmgame.models import Clue, Game, Market, Player, Position, Trade

from . import shapes
from .leaderboards import accuracy_leaderboard, crowd_score, game_leaderboard, last_forecasts, market_leaderboard
from .rounds import calibrated, guess_leaderboard, guesses_of, lesson, own_guess, own_reason

SNAPSHOT_TRADES = 50
UPDATE_TRADES = 12  # the feed shows the latest 12
# Players and the projector get the top of each board (and players their own rows): a classroom's whole
# board, to every phone every second, was ~130 KB a frame with a thousand players.
TOP_ROWS = 10
NOTHING_MINE = {"game": None, "markets": {}, "accuracy": {}, "guesses": {}}
RANKED_BOARDS = ("markets", "accuracy", "guesses")  # the per-market boards, keyed by market id
# The whole game's board: every counted seat by profit; once the game is finished, the podium. Every board
# ranks by one rule (mmgame.queries.leaderboards.ranked), so a phone's place in a market, on its result card,
# on the wall and at the podium is one number wherever it is read.
GAME_BOARDS = ("game",)


@dataclass(frozen=True)
class Screen:
    """One screen of a game: who looks (a role: player, host or projector) and, for a player, their seat."""

    role: str
    game_id: int
    player_id: int | None = None
    nickname: str | None = None

    @property
    def complete(self) -> bool:
        """The host's screen: drafts, every row of every board, every name."""
        return self.role == "host"


def screen_of(seen: access.Viewer, role: str) -> Screen:
    """The screen a viewer opens: the host's and the projector's need the host, a player's a seat."""
    if role == "player":
        player = access.require_seat(seen)
        return Screen(role, seen.game.pk, player.pk, player.nickname)
    access.require_host(seen)
    return Screen(role, seen.game.pk)


def visible_markets(game: Game, screen: Screen) -> list[Market]:
    seen = access.Viewer(game, is_host=screen.complete)
    return list(access.visible_markets(seen))


def names_shown(game: Game | dict, screen: Screen) -> bool:
    """mmgame.access.names_shown for a screen; `game` may be the room's copy of its JSON shape."""
    hide = game["hide_names"] if isinstance(game, dict) else game.hide_names
    return access.names_shown(hide_names=hide, is_host=screen.complete)


def recent_trades(market: Market, after: int = 0, limit: int = SNAPSHOT_TRADES) -> list[dict]:
    """The newest `limit` trades after sequence `after`, oldest first, with every name (see `feed_view`).

    Only those the market row as read already counts: a trade committed since (on another thread or
    process) belongs to the next update, with the market state it made."""
    rows = list(
        Trade.objects.filter(market=market, sequence__gt=after, sequence__lte=market.sequence)
        .order_by("-sequence")
        .values(*shapes.FEED_COLUMNS)[:limit]
    )
    return [shapes.feed_entry(row, market) for row in reversed(rows)]


def trade_counts(markets: list[Market]) -> dict[str, dict[str, int]]:
    """Every trade of each market as its row was read, and how many of them the practice traders made: the
    counters count them all (a screen keeps only the newest 200 lines), and the wall folds the bots' into one."""
    counts = {str(m.pk): {"all": 0, "bots": 0} for m in markets}
    traded = [m for m in markets if m.sequence > 0]
    for start in range(0, len(traded), 100):  # a hundred markets a query: an OR per market stays shallow
        shown = functools.reduce(
            operator.or_, (Q(market_id=m.pk, sequence__lte=m.sequence) for m in traded[start : start + 100])
        )
        rows = (
            Trade.objects.filter(shown)
            .values("market_id")
            .annotate(all=Count("pk"), bots=Count("pk", filter=Q(player__is_bot=True)))
        )
        for row in rows:
            counts[str(row["market_id"])] = {"all": row["all"], "bots": row["bots"]}
    return counts


def players(game_id: int) -> list[dict]:
    return [
        {"id": pid, "nickname": name, "kicked": kicked, "is_bot": is_bot}
        for pid, name, kicked, is_bot in Player.objects.filter(game_id=game_id)
        .order_by("joined_at", "id")
        .values_list("id", "nickname", "kicked", "is_bot")
    ]


class Board:
    """A game's leaderboards, complete and with every name: what a room keeps and cuts for each screen."""

    def __init__(self, sections: dict) -> None:
        self.sections = sections

    @cached_property
    def own_rows(self) -> dict[int, dict]:
        """Each player's own row of every board, by player id (a player's `mine`): indexed once per board."""
        mine: dict[int, dict] = {}

        def seat(pid: int) -> dict:
            entry = mine.get(pid)
            if entry is None:
                entry = mine[pid] = {key: value if value is None else {} for key, value in NOTHING_MINE.items()}
            return entry

        for section in GAME_BOARDS:
            for row in self.sections[section]:
                seat(row["player_id"])[section] = row
        for section in RANKED_BOARDS:
            for key, rows in self.sections[section].items():
                for row in rows:
                    seat(row["player_id"])[section][key] = row
        return mine

    def top(self, complete: bool, names: bool) -> dict:
        """The part every screen of a kind shares: the host's is complete; other screens get the top TOP_ROWS
        rows of each board, how many rows each has, and the crowd's score per resolved market (the lesson).
        Without names, rows carry neither nickname nor player id (an id joins the lobby's names)."""
        board = self.sections
        cut = (lambda rows: rows) if complete else (lambda rows: rows[:TOP_ROWS])
        show = cut if names else (lambda rows: [{**row, **access.HIDDEN_ROW} for row in cut(rows)])
        return {
            "type": "leaderboard",
            **{name: show(board[name]) for name in GAME_BOARDS},
            **{name: {k: show(v) for k, v in board[name].items()} for name in RANKED_BOARDS},
            "counts": {
                **{name: len(board[name]) for name in GAME_BOARDS},
                **{name: {k: len(v) for k, v in board[name].items()} for name in RANKED_BOARDS},
            },
            "bots_left_out": board["bots_left_out"],
            "crowd": board["crowd"],
            "lesson": board["lesson"],
        }

    def mine(self, player_id: int) -> dict:
        """A player's own rows: their name and id kept even when names are hidden (only they get them)."""
        return self.own_rows.get(player_id, NOTHING_MINE)

    def view(self, screen: Screen, names: bool) -> dict:
        """The leaderboard as one screen sees it (docs/protocol.md §2.4)."""
        view = self.top(complete=screen.complete, names=names)
        if screen.player_id is not None:
            view["mine"] = self.mine(screen.player_id)
        return view


def leaderboard(game_id: int) -> Board:
    """Profit per game and per visible market; accuracy, first guesses, the crowd's score and the lesson per
    resolved market. Every board by the one ranking rule; `bots_left_out` says how many practice traders
    they leave out (the host did not include them), for the screens' "+ 10 practice traders"."""
    game = Game.objects.get(pk=game_id)
    markets = list(access.visible_markets(access.Viewer(game)))
    resolved = [m for m in markets if m.status == Market.Status.RESOLVED]
    standings = game_leaderboard(game)
    return Board(
        {
            "game": shapes.standings(standings),
            "markets": {str(m.pk): shapes.standings(market_leaderboard(m)) for m in markets},
            "bots_left_out": standings.bots_left_out,
            "accuracy": {
                str(m.pk): calibrated(m, shapes.standings(accuracy_leaderboard(m)), last_forecasts(m)) for m in resolved
            },
            "crowd": {str(m.pk): crowd_score(m) for m in resolved},
            "guesses": {
                str(m.pk): calibrated(m, shapes.standings(guess_leaderboard(m)), guesses_of(m))
                for m in resolved
                if m.first_guess
            },
            "lesson": {str(m.pk): lesson(m) for m in resolved},
        }
    )


def snapshot(screen: Screen, request_id: str | None = None, board: Board | None = None) -> dict:
    """Everything a screen shows; `board` is the room's latest leaderboard when it has one (a classroom
    connecting at once then costs one, not one per phone). The lobby (`players`) is the caller's to fill."""
    game = Game.objects.get(pk=screen.game_id)
    markets = visible_markets(game, screen)
    names = names_shown(game, screen)
    positions: dict[str, dict] = {}
    guesses: dict[str, dict | None] = {}
    clues: dict[str, float] = {}  # the player's own private clues (mmgame.access.own_clue), by market
    if screen.player_id is not None:
        player = Player.objects.get(pk=screen.player_id)
        held = {p.market_id: p for p in Position.objects.filter(player=player)}
        positions = {str(m.pk): shapes.position_state(m, held.get(m.pk), player) for m in markets}
        guesses = {str(m.pk): own(m, player.pk) for m in markets if m.first_guess}
        shown = [m.pk for m in markets]
        clues = {
            str(mid): float(value)
            for mid, value in Clue.objects.filter(player=player, market_id__in=shown).values_list("market_id", "value")
        }
    view = (board or leaderboard(game.pk)).view(screen, names)
    del view["type"]
    counts = trade_counts(markets)
    return {
        "type": "snapshot",
        "request_id": request_id,
        "role": screen.role,
        "game": shapes.game_state(game),
        "me": None if screen.player_id is None else {"id": screen.player_id, "nickname": screen.nickname},
        "markets": [
            {**shapes.market_state(m), "steps": shapes.steps(m, traded=bool(counts[str(m.pk)]["all"]))} for m in markets
        ],
        "positions": positions,
        "guesses": guesses,
        "clues": clues,
        "trades": {str(m.pk): access.feed_rows(names, recent_trades(m), screen.player_id) for m in markets},
        "trade_counts": counts,
        "leaderboard": view,
        "players": [],
    }


def own(market: Market, player_id: int) -> dict | None:
    """A player's first guess at a market, for their own screen."""
    guess = own_guess(market, player_id)
    return None if guess is None else shapes.guess_state(market, guess, own_reason(market, player_id))


def market_update(market_id: int, after: int) -> dict | None:
    """What changed in a market since sequence `after`, or None when nothing did (conflated: one read),
    complete and with every name: `update_view` cuts it for each screen.

    `after` is −1 for a market the caller has never sent (it may be a draft, at sequence 0); the update
    then says `after: 0`, as for every market a screen may not know yet."""
    market = Market.objects.select_related("game").filter(pk=market_id).first()
    if market is None or market.sequence <= after:
        return None
    trades = recent_trades(market, after, UPDATE_TRADES)
    omitted = 0
    if len(trades) == UPDATE_TRADES:
        omitted = Trade.objects.filter(market=market, sequence__gt=after, sequence__lte=market.sequence).count()
        omitted -= UPDATE_TRADES
    payouts = None
    if market.status == Market.Status.RESOLVED:
        payouts = [
            {"player_id": pid, "payout": payout, "profit": payout - budget}
            for pid, payout, budget in Position.objects.filter(market=market, payout__isnull=False)
            .order_by("player_id")
            .values_list("player_id", "payout", "budget")
        ]
    counts = trade_counts([market])[str(market.pk)]
    # A screen that holds the market at `after` has its fixed parts; one that may not (after 0) gets all. So
    # does a market not yet shown (host screens only, no trades): its host may edit or renumber all of it.
    whole = after <= 0 or market.phase == Market.Phase.DRAFT
    shown = shapes.market_state(market) if whole else shapes.market_moves(market)
    return {
        "type": "update",
        "market_id": market.pk,
        "after": max(after, 0),
        "sequence": market.sequence,
        "market": {**shown, "steps": shapes.steps(market, traded=bool(counts["all"]))},
        "trades": trades,
        "trades_omitted": omitted,
        "trade_counts": counts,
        "payouts": payouts,
    }


def update_audience(update: dict, screen: Screen, names: bool) -> object:
    """Screens with the same audience see the same update, serialised once by the live layer: all of it;
    or, with names hidden, the anonymous feed, except for a player with a line of their own in it or a
    payout (a few screens per update), who gets their own view."""
    if names:
        return "all"
    own = screen.player_id
    if own is not None and (update.get("payouts") is not None or any(t["player_id"] == own for t in update["trades"])):
        return own
    return "anonymous"


def update_view(update: dict, screen: Screen, names: bool) -> dict:
    """A market update as one screen sees it: with names hidden, others' feed lines carry no name, id or
    cost, and payouts list only the screen's own (a payout's player id joins the lobby to the boards)."""
    if names:
        return update
    view = {**update, "trades": access.feed_rows(False, update["trades"], screen.player_id)}
    if update.get("payouts") is not None:
        view["payouts"] = [row for row in update["payouts"] if row["player_id"] == screen.player_id]
    return view


@dataclass(frozen=True)
class RoomState:
    """What a server process checks to know whether its screens of a game are up to date."""

    sequences: dict[int, int]
    players: dict[int, bool]
    game: dict
    # The autopilot's note in each language, when it holds by itself (the room says it in each screen's).
    notes: dict[str, str] = field(default_factory=dict)


def room_state(game_id: int) -> RoomState | None:
    """None once the game is gone (its host deleted it)."""
    game = Game.objects.filter(pk=game_id).first()
    if game is None:
        return None
    return RoomState(
        sequences=dict(Market.objects.filter(game_id=game_id).values_list("id", "sequence")),
        players=dict(Player.objects.filter(game_id=game_id).values_list("id", "kicked")),
        game=shapes.game_state(game),
        notes=languages.said_in_each(languages.restored(game.autopilot_note)) if game.autopilot_note else {},
    )


def player_entry(player_id: int) -> dict | None:
    row = Player.objects.filter(pk=player_id).values("id", "nickname", "kicked", "is_bot").first()
    return dict(row) if row else None
