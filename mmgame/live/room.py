"""The screens of one game in one process, and what they have been sent.

A room reads each change once and hands the same text to all its screens. Three kinds of work run through
one `Coalescer` each (a dirty flag, one task, a rate limit): a market's update (at most every
hub.market_interval() seconds), the leaderboard (hub.leaderboard_interval()), and the audit that compares
the room with the database (news lost with the channel layer then delays screens by seconds, loses
nothing). News arriving while one runs only marks it dirty, and the run that follows carries every change,
so the last state is never dropped (exchanges call this conflation).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

from mmgame import access, services
from mmgame.market import Refused, gettext_noop
from mmgame.queries import screens

from .coalescer import Coalescer
from .database import database_sync_to_async
from .protocol import dumps

if TYPE_CHECKING:
    from .hub import Hub

log = logging.getLogger(__name__)

MARKET_INTERVAL = 0.1
# What one process sends at most, in market updates per second over all its screens: Daphne spends tens
# of microseconds per frame, so with thousands of screens on one process each market updates less often.
FRAME_BUDGET = 5000
FAN_OUT_SLICE = 50
LEADERBOARD_INTERVAL = 1.0
# Leaderboards per second over all of a process's screens: a board goes out every screens / BOARD_BUDGET
# seconds when that is longer than LEADERBOARD_INTERVAL (every 2 s with 1,000 screens).
BOARD_BUDGET = 500
AUDIT_INTERVAL = 5.0
# Screens open at once on one player's seat (a phone, a laptop, a reload or two), and on the host's side
# of a game (control pages and projectors): more are refused, so one seat cannot open hundreds.
SCREENS_PER_SEAT = 5
SCREENS_PER_HOST = 20
EVERYONE = frozenset({"player", "host", "projector"})
HOST_ONLY = frozenset({"host"})


class TooManyScreens(Refused):
    code = "too_many_screens"


class Socket(Protocol):
    """What a room needs of a socket (mmgame.live.consumers.LiveSocket)."""

    screen: screens.Screen
    language: str  # what the screen reads (mmgame.languages)

    def offer(self, text: str) -> None: ...

    async def deliver(self, text: str) -> None: ...

    def kick(self) -> None: ...

    def check_reading(self, at: float) -> None: ...


class Room:
    """The screens of one game in this process, and what they have been sent."""

    def __init__(self, hub: Hub, game_id: int) -> None:
        self.hub, self.game_id = hub, game_id
        self.screens: set[Socket] = set()
        self.seats: dict[int | None, int] = {}  # screens open per player's seat (None: the host's side)
        self.sequences: dict[int, int] = {}
        # The lobby as screens show it (every player's entry, in the order they joined): what the audit
        # compares with the database to announce joins and kicks, and what snapshots send (with a thousand
        # players, reading it was two thirds of each snapshot's cost).
        self.roster: dict[int, dict] = {}
        self.roster_json: str | None = None  # the roster serialised, until it changes (`roster_text`)
        self.game: dict = {}
        self.board: screens.Board | None = None
        self.markets: dict[int, Coalescer] = {}
        self.leaderboard = Coalescer(self.send_leaderboard, hub.leaderboard_interval, what=f"game {game_id}'s board")
        self.auditor = Coalescer(self.audit, what=f"game {game_id}'s audit")
        self.loading: asyncio.Task | None = None  # the first load (Hub.join): screens wait for it

    def admit(self, socket: Socket) -> None:
        """Take a screen, unless its seat (or the host's side) already has as many as it may."""
        seat = socket.screen.player_id
        limit = SCREENS_PER_HOST if seat is None else SCREENS_PER_SEAT
        if self.seats.get(seat, 0) >= limit:
            whose = "the host's side of this game" if seat is None else "this seat"
            raise TooManyScreens(
                gettext_noop("%(whose)s has %(limit)s screens open already; close one first", whose=whose, limit=limit),
                limit=limit,
            )
        self.screens.add(socket)
        self.seats[seat] = self.seats.get(seat, 0) + 1

    def release(self, socket: Socket) -> bool:
        """Forget a screen; False if it was not here."""
        if socket not in self.screens:
            return False
        self.screens.discard(socket)
        seat = socket.screen.player_id
        self.seats[seat] -= 1
        if not self.seats[seat]:
            del self.seats[seat]
        return True

    async def load(self) -> None:
        state = await database_sync_to_async(screens.room_state)(self.game_id)
        if state is None:  # deleted as the first screen opened: the next audit closes it
            self.check_soon()
            return
        self.sequences, self.game = dict(state.sequences), state.game
        self.roster = {entry["id"]: entry for entry in await database_sync_to_async(screens.players)(self.game_id)}
        self.roster_json = None
        self.board = await database_sync_to_async(screens.leaderboard)(self.game_id)

    def roster_text(self) -> str:
        """The lobby as a snapshot's `players` carries it, serialised once until a join or a kick."""
        if self.roster_json is None:
            self.roster_json = dumps(list(self.roster.values()))
        return self.roster_json

    # -- sending ------------------------------------------------------------------------------

    def broadcast(self, text: str, roles: frozenset[str] = EVERYONE) -> None:
        for screen in list(self.screens):
            if screen.screen.role in roles:
                screen.offer(text)

    def broadcast_game(self, state: screens.RoomState) -> None:
        """The game frame, serialised once per language its screens read when it carries the autopilot's note
        (words of ours; mmgame.languages), else once."""
        if not state.notes:
            self.broadcast(dumps({"type": "game", "game": state.game}))
            return
        texts: dict[str, str] = {}
        for screen in list(self.screens):
            language = screen.language if screen.language in state.notes else settings.LANGUAGE_CODE
            if language not in texts:
                autopilot = {**state.game["autopilot"], "note": state.notes[language]}
                texts[language] = dumps({"type": "game", "game": {**state.game, "autopilot": autopilot}})
            screen.offer(texts[language])

    async def fan_out(self, frames) -> None:
        """Write (screen, text) pairs directly, letting other work run every FAN_OUT_SLICE screens: a
        trade's answer then waits for a slice of a fan-out to a thousand screens, not for all of it."""
        for i, (screen, text) in enumerate(frames):
            await screen.deliver(text)
            if i % FAN_OUT_SLICE == FAN_OUT_SLICE - 1:
                await asyncio.sleep(0)

    # -- markets (conflated) ------------------------------------------------------------------

    def market_changed(self, market_id: int, sequence: int | None = None) -> None:
        if sequence is not None and sequence <= self.sequences.get(market_id, -1):
            return  # already sent (the news came twice, or after an audit)
        market = self.markets.get(market_id)
        if market is None:
            market = self.markets[market_id] = Coalescer(
                lambda: self.send_market(market_id), self.hub.market_interval, what=f"market {market_id}'s update"
            )
        market.mark()

    async def send_market(self, market_id: int) -> None:
        # A market new to this room (a draft the host just added, at sequence 0) is sent whole.
        update = await database_sync_to_async(screens.market_update)(market_id, self.sequences.get(market_id, -1))
        if update is None or update["sequence"] <= self.sequences.get(market_id, -1):
            return
        self.sequences[market_id] = update["sequence"]
        # Public once its question is shown (the phase; its status stays draft until it trades).
        public = update["market"]["phase"] != "draft"
        await self.fan_out(self.update_frames(update, EVERYONE if public else HOST_ONLY))
        if public:
            self.leaderboard_changed()

    # -- leaderboard (conflated) --------------------------------------------------------------

    def leaderboard_changed(self) -> None:
        self.leaderboard.mark()

    async def send_leaderboard(self) -> None:
        board = self.board = await database_sync_to_async(screens.leaderboard)(self.game_id)
        await self.fan_out(self.board_frames(board))

    def update_frames(self, update: dict, roles: frozenset[str]):
        """(socket, text) for each screen that should see the update, each audience's view serialised once."""
        texts: dict[object, str] = {}
        for socket in list(self.screens):
            screen = socket.screen
            if screen.role not in roles:
                continue
            names = screens.names_shown(self.game, screen)
            audience = screens.update_audience(update, screen, names)
            text = texts.get(audience)
            if text is None:
                text = texts[audience] = dumps(screens.update_view(update, screen, names))
            yield socket, text

    def board_frames(self, board: screens.Board):
        """The host's complete board; to the others the shared top, each player's own rows added to it.

        The top is built and serialised once per kind; each player's frame is that text with their own `mine`
        spliced in before its closing brace, so a thousand phones serialise a thousand small `mine`s, not a
        thousand copies of the top."""
        complete = shared = None
        names = access.names_shown(hide_names=bool(self.game.get("hide_names")), is_host=False)
        for socket in list(self.screens):
            screen = socket.screen
            if screen.complete:
                complete = complete or dumps(board.top(complete=True, names=True))
                yield socket, complete
                continue
            if shared is None:
                shared = dumps(board.top(complete=False, names=names))
            if screen.player_id is None:
                yield socket, shared
                continue
            yield socket, f'{shared[:-1]},"mine":{dumps(board.mine(screen.player_id))}}}'

    # -- players and the game: checked against the database -----------------------------------

    def check_soon(self) -> None:
        self.auditor.mark()

    async def audit(self) -> None:
        """Compare with the database and send whatever this room's screens have not seen."""
        if self.loading is not None:
            await asyncio.shield(self.loading)  # compare with what the first load read, once it has
        # Countdowns end on time by the services' own timer (mmgame.services.deadlines) in the process that
        # started them; this records one whose process has gone, within an audit's interval.
        await database_sync_to_async(services.close_due_markets)(self.game_id)
        await self.catch_up()

    async def catch_up(self) -> None:
        state = await database_sync_to_async(screens.room_state)(self.game_id)
        if state is None:  # the host deleted the game (docs/privacy.md): its screens have nothing to show
            for screen in list(self.screens):
                screen.stop("not_found", "the host deleted this game")
            return
        for market_id, sequence in state.sequences.items():
            if sequence > self.sequences.get(market_id, -1):
                self.market_changed(market_id)
        for player_id, kicked in state.players.items():
            known = self.roster.get(player_id)
            if known is not None and known["kicked"] == kicked:
                continue
            change = "kicked" if kicked else "joined"
            entry = await database_sync_to_async(screens.player_entry)(player_id)
            if entry is None:
                continue
            self.roster[player_id] = entry
            self.roster_json = None
            self.broadcast(dumps({"type": "player", "change": change, "player": entry}))
            if kicked:
                for screen in list(self.screens):
                    if screen.screen.player_id == player_id:
                        screen.kick()
            self.leaderboard_changed()
        if state.game != self.game:
            self.game = state.game
            self.broadcast_game(state)
            self.leaderboard_changed()  # the podium follows the game (finished, practice traders included)

    def close(self) -> None:
        for coalescer in [*self.markets.values(), self.leaderboard, self.auditor]:
            coalescer.close()
