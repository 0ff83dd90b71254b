"""Fan-out inside one server process: one hub per event loop, one room per game watched here.

Stock Channels delivers a broadcast as one channel-layer message and one dispatch per socket. Here the
news ("market 7 of game 3 changed") reaches the process once — directly when it was made here, through
the channel layer (one message per process) when it was made elsewhere — and the room then reads the
market once, serialises the update once, and hands the same text to each local socket.

Conflation: a market is read and sent at most every MARKET_INTERVAL seconds (longer when the process
serves more screens than FRAME_BUDGET allows at that rate); news that arrives in between only marks it
dirty, and the read that follows carries every change, so the last state is never dropped.
Leaderboards are recomputed at most every LEADERBOARD_INTERVAL seconds (less often when the process serves
more screens than BOARD_BUDGET allows); players get the top of each board and their own rows.

The database is the source of truth: every AUDIT_INTERVAL seconds each room compares the sequences it
has sent with the database, so news lost with the channel layer (Redis down, a channel over capacity)
delays screens by seconds and loses nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from asgiref.sync import SyncToAsync
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer

from mmgame import access, events, services
from mmgame.queries import screens

from .database import database_sync_to_async
from .protocol import dumps

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
PROCESS_ID = uuid.uuid4().hex
EVERYONE = frozenset({"player", "host", "projector"})
HOST_ONLY = frozenset({"host"})


def group_name(game_id: int) -> str:
    return f"mmgame.game.{game_id}"


class Socket(Protocol):
    """What the hub needs of a socket (mmgame.live.consumers.LiveSocket)."""

    screen: screens.Screen

    def offer(self, text: str) -> None: ...

    async def deliver(self, text: str) -> None: ...

    def kick(self) -> None: ...


class Room:
    """The screens of one game in this process, and what they have been sent."""

    def __init__(self, hub: Hub, game_id: int) -> None:
        self.hub, self.game_id = hub, game_id
        self.screens: set[Socket] = set()
        self.sequences: dict[int, int] = {}
        # The lobby as screens show it (every player's entry, in the order they joined): what the audit
        # compares with the database to announce joins and kicks, and what snapshots send (with a thousand
        # players, reading it was two thirds of each snapshot's cost).
        self.roster: dict[int, dict] = {}
        self.game: dict = {}
        self.dirty: set[int] = set()
        self.flushing: dict[int, asyncio.Task] = {}
        self.last_flush: dict[int, float] = {}
        self.board: screens.Board | None = None
        self.board_dirty = False
        self.board_task: asyncio.Task | None = None
        self.last_board = 0.0
        self.audit_task: asyncio.Task | None = None
        self.audit_dirty = False
        self.ready = asyncio.Event()

    async def load(self) -> None:
        state = await database_sync_to_async(screens.room_state)(self.game_id)
        self.sequences, self.game = dict(state.sequences), state.game
        self.roster = {entry["id"]: entry for entry in await database_sync_to_async(screens.players)(self.game_id)}
        self.board = await database_sync_to_async(screens.leaderboard)(self.game_id)
        self.ready.set()

    # -- sending ------------------------------------------------------------------------------

    def broadcast(self, text: str, roles: frozenset[str] = EVERYONE) -> None:
        for screen in list(self.screens):
            if screen.screen.role in roles:
                screen.offer(text)

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
        self.dirty.add(market_id)
        if market_id not in self.flushing:
            self.flushing[market_id] = asyncio.ensure_future(self.flush_market(market_id))

    async def flush_market(self, market_id: int) -> None:
        loop = asyncio.get_running_loop()
        try:
            while market_id in self.dirty:
                wait = self.last_flush.get(market_id, 0.0) + self.hub.market_interval() - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.dirty.discard(market_id)
                self.last_flush[market_id] = loop.time()
                # A market new to this room (a draft the host just added, at sequence 0) is sent whole.
                after = self.sequences.get(market_id, -1)
                update = await database_sync_to_async(screens.market_update)(market_id, after)
                if update is None or update["sequence"] <= self.sequences.get(market_id, -1):
                    continue
                self.sequences[market_id] = update["sequence"]
                public = update["market"]["status"] != "draft"
                roles = EVERYONE if public else HOST_ONLY
                await self.fan_out(self.update_frames(update, roles))
                if public:
                    self.leaderboard_changed()
        except Exception:
            log.exception("could not send the update of market %s", market_id)
        finally:
            self.flushing.pop(market_id, None)

    # -- leaderboard (conflated) --------------------------------------------------------------

    def leaderboard_changed(self) -> None:
        self.board_dirty = True
        if self.board_task is None:
            self.board_task = asyncio.ensure_future(self.flush_leaderboard())

    async def flush_leaderboard(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.board_dirty:
                wait = self.last_board + self.hub.leaderboard_interval() - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.board_dirty = False
                self.last_board = loop.time()
                board = self.board = await database_sync_to_async(screens.leaderboard)(self.game_id)
                await self.fan_out(self.board_frames(board))
        except Exception:
            log.exception("could not send the leaderboard of game %s", self.game_id)
        finally:
            self.board_task = None

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
        """The host's complete board; to the others the shared top, each player's own rows appended to it."""
        complete = top = None
        texts: dict[int, str] = {}
        names = access.names_shown(hide_names=bool(self.game.get("hide_names")), is_host=False)
        for socket in list(self.screens):
            screen = socket.screen
            if screen.complete:
                complete = complete or dumps(board.top(complete=True, names=True))
                yield socket, complete
                continue
            top = top or dumps(board.top(complete=False, names=names))
            if screen.player_id is None:
                yield socket, top
                continue
            text = texts.get(screen.player_id)
            if text is None:
                # The shared top's JSON with this player's rows spliced in before its closing brace.
                own = dumps(board.mine(screen.player_id))
                text = texts[screen.player_id] = f'{top[:-1]},"mine":{own}}}'
            yield socket, text

    # -- players and the game: checked against the database -----------------------------------

    def check_soon(self) -> None:
        self.audit_dirty = True
        if self.audit_task is None:
            self.audit_task = asyncio.ensure_future(self.audit())

    async def audit(self) -> None:
        """Compare with the database and send whatever this room's screens have not seen."""
        try:
            await self.ready.wait()
            while self.audit_dirty:
                self.audit_dirty = False
                # A countdown ends even when nobody trades; one ending before the next audit is checked on time.
                following = await database_sync_to_async(services.close_due_markets)(self.game_id)
                if following is not None and following < AUDIT_INTERVAL:
                    asyncio.get_running_loop().call_later(following, lambda: self.screens and self.check_soon())
                await self.catch_up()
        except Exception:
            log.exception("could not check game %s against the database", self.game_id)
        finally:
            self.audit_task = None

    async def catch_up(self) -> None:
        state = await database_sync_to_async(screens.room_state)(self.game_id)
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
            self.broadcast(dumps({"type": "player", "change": change, "player": entry}))
            if kicked:
                for screen in list(self.screens):
                    if screen.screen.player_id == player_id:
                        screen.kick()
            self.leaderboard_changed()
        if state.game != self.game:
            self.game = state.game
            self.broadcast(dumps({"type": "game", "game": state.game}))

    def close(self) -> None:
        for task in [*self.flushing.values(), self.board_task, self.audit_task]:
            if task is not None:
                task.cancel()


class Hub:
    """The rooms of one event loop, and its one subscription to the channel layer."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.rooms: dict[int, Room] = {}
        layer = get_channel_layer()
        # The in-memory layer never leaves this process, and news made here is delivered directly.
        self.layer = None if layer is None or isinstance(layer, InMemoryChannelLayer) else layer
        self.channel_name: str | None = None
        self.tasks: list[asyncio.Task] = []
        self.background: set[asyncio.Task] = set()
        self.screens = 0
        self.layer_ok = True

    def start(self) -> None:
        events.listen(self.hear)
        self.tasks.append(asyncio.ensure_future(self.audit_forever()))
        if self.layer is not None:
            self.tasks.append(asyncio.ensure_future(self.listen()))

    def market_interval(self) -> float:
        """Seconds between two updates of a market: 0.1, or more when this process has many screens."""
        return max(MARKET_INTERVAL, self.screens / FRAME_BUDGET)

    def leaderboard_interval(self) -> float:
        """Seconds between two leaderboards of a game: 1, or more when this process has many screens."""
        return max(LEADERBOARD_INTERVAL, self.screens / BOARD_BUDGET)

    async def join(self, screen: Socket) -> Room:
        """Add a screen to its game's room (creating it); the room knows the game's state when this returns."""
        self.screens += 1
        game_id = screen.screen.game_id
        room = self.rooms.get(game_id)
        if room is None:
            room = self.rooms[game_id] = Room(self, game_id)
            room.screens.add(screen)
            try:
                await room.load()
            except BaseException:
                self.screens -= 1
                room.ready.set()
                room.screens.discard(screen)
                if not room.screens and self.rooms.get(game_id) is room:
                    del self.rooms[game_id]
                raise
            await self.subscribe(game_id)
        else:
            room.screens.add(screen)
            await room.ready.wait()
        return room

    def leave(self, screen: Socket) -> None:
        game_id = screen.screen.game_id
        room = self.rooms.get(game_id)
        if room is None or screen not in room.screens:
            return
        self.screens -= 1
        room.screens.discard(screen)
        if not room.screens:
            del self.rooms[game_id]
            room.close()
            if self.layer is not None and self.channel_name is not None:
                task = asyncio.ensure_future(self.unsubscribe(game_id))
                self.background.add(task)
                task.add_done_callback(self.background.discard)

    # -- news ---------------------------------------------------------------------------------

    def hear(self, news: dict) -> None:
        """An mmgame.events listener, called on the thread that committed: hand the news to this loop."""
        if self.loop.is_closed():
            events.forget(self.hear)
            return
        # A fresh context: the caller's (a sync view thread) holds asgiref executors that die with the request.
        self.loop.call_soon_threadsafe(self.notice, news, context=contextvars.Context())

    def notice(self, news: dict) -> None:
        """News of a committed change, here or in another process; runs on this hub's loop."""
        room = self.rooms.get(news.get("game"))
        if room is None:
            return
        if news.get("kind") == "market":
            room.market_changed(news["market"], news.get("sequence"))
        else:
            room.check_soon()

    async def audit_forever(self) -> None:
        while True:
            await asyncio.sleep(AUDIT_INTERVAL)
            self.audit_all()

    def audit_all(self) -> None:
        for room in list(self.rooms.values()):
            room.check_soon()

    # -- the channel layer: news from other processes -----------------------------------------

    async def subscribe(self, game_id: int) -> None:
        if self.layer is None or self.channel_name is None:
            return
        try:
            await asyncio.wait_for(self.layer.group_add(group_name(game_id), self.channel_name), 2.0)
        except Exception as error:
            log.warning("could not subscribe to game %s news: %r", game_id, error)

    async def unsubscribe(self, game_id: int) -> None:
        if game_id in self.rooms:
            return
        try:
            await asyncio.wait_for(self.layer.group_discard(group_name(game_id), self.channel_name), 2.0)
        except Exception as error:
            log.warning("could not unsubscribe from game %s news: %r", game_id, error)

    async def listen(self) -> None:
        """Receive news from other processes; after an outage, resubscribe and audit every room."""
        failures, subscribed = 0, False
        while True:
            try:
                if not subscribed:
                    # Rooms opened before the channel existed, or while Redis was away, subscribe now.
                    if self.channel_name is None:
                        self.channel_name = await self.layer.new_channel("hub")
                    for game_id in list(self.rooms):
                        await asyncio.wait_for(self.layer.group_add(group_name(game_id), self.channel_name), 2.0)
                    subscribed = True
                    if not self.layer_ok:
                        log.warning("channel layer back: resyncing %d game(s)", len(self.rooms))
                        self.layer_ok = True
                        self.audit_all()
                    failures = 0
                message = await self.layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                failures, subscribed = failures + 1, False
                if self.layer_ok:
                    log.warning("channel layer unavailable, screens will resync when it is back: %r", error)
                    self.layer_ok = False
                await asyncio.sleep(min(5.0, 0.1 * 2**failures))
                continue
            if message.get("origin") != PROCESS_ID and isinstance(message.get("news"), dict):
                self.notice(message["news"])

    async def forward(self, news: dict, timeout: float = 1.0) -> None:
        """Publish news made in this process to the other processes: one channel-layer message per game."""
        if self.layer is None:
            return
        await publish_remote(self.layer, news, timeout)

    def stop(self) -> None:
        events.forget(self.hear)
        for task in self.tasks:
            task.cancel()
        for room in self.rooms.values():
            room.close()
        self.rooms.clear()


async def publish_remote(layer, news: dict, timeout: float) -> None:
    message = {"type": "live.news", "news": news, "origin": PROCESS_ID}
    await asyncio.wait_for(layer.group_send(group_name(news["game"]), message), timeout)


# -- one hub per event loop --------------------------------------------------------------------

_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}
_hubs_lock = threading.Lock()


def _forget_parent_hubs() -> None:
    """A forked server process (Daphne workers, live-server tests) starts with no hubs of its own."""
    global _hubs_lock, PROCESS_ID
    _hubs.clear()
    _hubs_lock = threading.Lock()
    PROCESS_ID = uuid.uuid4().hex
    channel_layers.backends.clear()  # the parent's layer holds queues and connections of its own loops
    # asgiref runs all thread-sensitive ORM work on one executor thread; a fork keeps the executor but not
    # its thread, and every database_sync_to_async call would wait forever.
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


os.register_at_fork(after_in_child=_forget_parent_hubs)


def current_hub() -> Hub:
    """This loop's hub, started on first use."""
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        hub = _hubs.get(loop)
        if hub is None:
            for old in [old for old in _hubs if old.is_closed()]:
                _hubs.pop(old).stop()
            hub = _hubs[loop] = Hub(loop)
            hub.start()
    return hub


def running_hubs() -> list[Hub]:
    with _hubs_lock:
        return [hub for loop, hub in _hubs.items() if not loop.is_closed()]


def stop_hub(loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Stop a loop's hub (tests, shutdown)."""
    loop = loop or asyncio.get_running_loop()
    with _hubs_lock:
        hub = _hubs.pop(loop, None)
    if hub is not None:
        hub.stop()
