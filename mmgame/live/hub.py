"""Fan-out inside one server process: one hub per event loop, one room per game watched here.

Stock Channels delivers a broadcast as one channel-layer message and one dispatch per socket. Here the
news ("market 7 of game 3 changed") reaches the process once — directly when it was made here, through
the channel layer (one message per process) when it was made elsewhere — and the room then reads the
market once, serialises the update once, and hands the same text to each local socket.

The rooms (mmgame.live.room) conflate: a market, a leaderboard and an audit each go through one
Coalescer, at a rate that falls as this process serves more screens (FRAME_BUDGET, BOARD_BUDGET). Every
AUDIT_INTERVAL seconds each room is checked against the database, so news lost with the channel layer
(Redis down, a channel over capacity) delays screens by seconds and loses nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import uuid

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

from mmgame import events

from . import practice_runner, reading
from .room import (  # the room's rates, read here by tests and benchmarks
    AUDIT_INTERVAL,
    BOARD_BUDGET,
    FRAME_BUDGET,
    LEADERBOARD_INTERVAL,
    MARKET_INTERVAL,
    Room,
    Socket,
)

log = logging.getLogger(__name__)

PROCESS_ID = uuid.uuid4().hex


def group_name(game_id: int) -> str:
    return f"mmgame.game.{game_id}"


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
        self.tasks.append(asyncio.ensure_future(self.check_reading_forever()))
        if self.layer is not None:
            self.tasks.append(asyncio.ensure_future(self.listen()))
        if settings.PRACTICE_TRADERS_RUN:  # the bots this process holds the lease of (mmgame.live.practice_runner)
            self.tasks.append(asyncio.ensure_future(practice_runner.run_forever(watched=lambda: list(self.rooms))))

    def market_interval(self) -> float:
        """Seconds between two updates of a market: 0.1, or more when this process has many screens."""
        return max(MARKET_INTERVAL, self.screens / FRAME_BUDGET)

    def leaderboard_interval(self) -> float:
        """Seconds between two leaderboards of a game: 1, or more when this process has many screens."""
        return max(LEADERBOARD_INTERVAL, self.screens / BOARD_BUDGET)

    async def join(self, screen: Socket) -> Room:
        """Add a screen to its game's room; the room knows the game's state when this returns.

        The first screen of a game opens the room (load, then subscribe); others wait for that load. When
        it fails the room is dropped and every waiting screen gets the error, so the next screen to come
        loads it afresh rather than finding a room with no state and no subscription."""
        game_id = screen.screen.game_id
        room = self.rooms.get(game_id)
        if room is None:
            room = self.rooms[game_id] = Room(self, game_id)
            room.loading = asyncio.ensure_future(self.open_room(room))
            room.loading.add_done_callback(lambda task: task.cancelled() or task.exception())  # seen by waiters
        room.admit(screen)
        self.screens += 1
        try:
            await asyncio.shield(room.loading)
        except BaseException:
            self.remove(room, screen)
            raise
        return room

    async def open_room(self, room: Room) -> None:
        try:
            await room.load()
        except BaseException:
            self.drop(room)
            raise
        if self.rooms.get(room.game_id) is room:
            await self.subscribe(room.game_id)

    def leave(self, screen: Socket) -> None:
        room = self.rooms.get(screen.screen.game_id)
        if room is not None:
            self.remove(room, screen)

    def remove(self, room: Room, screen: Socket) -> None:
        if not room.release(screen):
            return
        self.screens -= 1
        if not room.screens:
            self.drop(room)

    def drop(self, room: Room) -> None:
        """Forget a room (its last screen left, or its load failed) and its subscription."""
        if self.rooms.get(room.game_id) is not room:
            return
        del self.rooms[room.game_id]
        room.close()
        if self.layer is not None and self.channel_name is not None:
            task = asyncio.ensure_future(self.unsubscribe(room.game_id))
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

    async def check_reading_forever(self) -> None:
        """Every few seconds, close the screens that do not read and ask quiet ones to show they do."""
        rules = reading.limits()
        while True:
            await asyncio.sleep(min(5.0, rules.heartbeat / 2, rules.timeout / 4))
            self.check_reading(self.loop.time())

    def check_reading(self, at: float) -> None:
        for room in list(self.rooms.values()):
            for screen in list(room.screens):
                screen.check_reading(at)

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


def forget_parent_hubs() -> None:
    """A forked server process (Daphne workers, live-server tests) starts with no hubs of its own."""
    global _hubs_lock, PROCESS_ID
    _hubs.clear()
    _hubs_lock = threading.Lock()
    PROCESS_ID = uuid.uuid4().hex


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
