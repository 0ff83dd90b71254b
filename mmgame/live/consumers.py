"""One websocket per screen: authenticate, send a snapshot, then forward the room's news and answer requests.

A Channels consumer with no channel of its own: `channel_layer_alias` names no configured layer, so
Channels opens none (tests/live/test_consumer.py guards it). News comes from the process's hub
(mmgame.live.hub), which reads each change once for all its sockets. The database is reached through
mmgame.live.database's own thread, so the `aclose_old_connections()` Channels runs before each frame a
screen sends is left out (`dispatch` below, the one adapter). Measured against the plain ASGI app it
replaced: benchmarks/README.md, "The socket as a Channels consumer".

A screen costs a bounded amount of memory, whatever it sends and however little it reads:
- its outbox: when it falls more than OUTBOX_LIMIT messages behind, the backlog is dropped and it gets a
  fresh snapshot instead, so a slow screen never holds up the others;
- what was written and not read: it must prove it reads (mmgame.live.reading: echo the nonces of `check`
  frames), or it is closed with 4408;
- snapshots, the largest frames (150 KB in a game of 3,000): one at a time, at most one a
  SNAPSHOT_INTERVAL, however many are asked for (requests meanwhile are answered by the next one);
- requests waiting: at most REQUEST_LIMIT; frames sent by the screen: FRAME_RATE a second (FRAME_BURST at
  once), past which it is closed with 4413, so Daphne's queue of frames not yet handled stays short;
- screens: at most SCREENS_PER_SEAT on one player's seat (mmgame.live.room).
"""

from __future__ import annotations

import asyncio
import logging

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation

from mmgame import languages
from mmgame.access import NotFound
from mmgame.market import Refused, gettext_noop
from mmgame.queries import screens

from . import protocol
from .coalescer import Coalescer
from .codes import SERVER_ERROR, close_code
from .database import database_sync_to_async
from .handlers import (
    fresh_player,
    guess_answer,
    login_of,
    open_screen,
    quote_answer,
    screen_language,
    session_of,
    trade_answer,
)
from .hub import current_hub
from .reading import Reading

log = logging.getLogger(__name__)

OUTBOX_LIMIT = 64
REQUEST_LIMIT = 32
# Frames a second a screen may send on average, and at once: far above a page's few (and above the 20
# trades and 30 quotes a second the services allow a seat), far below a flood. LIVE_FRAMES may change them.
FRAME_RATE = 200.0
FRAME_BURST = 1000.0
SNAPSHOT_INTERVAL = 1.0
PLAYER_REQUESTS = ("trade", "quote", "guess", "snapshot", "ping", "seen")
WATCHER_REQUESTS = ("snapshot", "ping", "seen")


class Gone(Exception):
    """The socket closed under us: stop writing to it."""


class Busy(Refused):
    code = "busy"


class Consumer(AsyncWebsocketConsumer):
    """A websocket consumer of this project: no channel of its own, and Channels' dispatch less its
    connection closing (see `dispatch`)."""

    # The hub (one per process) is what listens to the channel layer; a socket has no channel of its own.
    # Channels opens none for a consumer whose alias names no configured layer (get_channel_layer: None).
    channel_layer_alias = "mmgame.live: sockets need no channel"
    language = settings.LANGUAGE_CODE  # what this screen reads: its error frames say it (mmgame.languages)

    def language_cookie(self) -> str | None:
        return self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)

    def said(self, frame: dict) -> dict:
        """An error frame in this screen's language; other frames carry no words of ours."""
        if frame.get("type") != "error":
            return frame
        with translation.override(self.language):
            return languages.said_frame(frame)

    def header(self, name: bytes) -> str | None:
        for key, value in self.scope.get("headers", []):
            if key.lower() == name:
                return value.decode("latin-1")
        return None

    async def dispatch(self, message: dict) -> None:
        """Channels' own dispatch, less the `aclose_old_connections()` it awaits before every handler.

        That call hops to asgiref's one thread-sensitive thread to close that thread's connections; this
        socket never uses that thread (its ORM work runs on mmgame.live.database's, which ages its own
        connection), the hop costs CPU on every frame a screen sends, and in a server process forked after
        the parent had used that thread (the browser tests' live server) it never returns: every socket
        then hangs before its first handler. tests/live/test_consumer.py fails when Channels' dispatch
        changes, so that this copy is looked at again."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class LiveSocket(Consumer):
    """The server side of one screen's websocket (docs/protocol.md)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.screen: screens.Screen | None = None
        self.seat = None  # the player's row, loaded at the first trade or quote (services re-check kicks)
        self.room = None
        self.hub = None
        # What a screen holds while it only watches is kept small (a thousand screens per process): its
        # queues are plain lists, and its writer and its worker are tasks only while they have work.
        self.writer: asyncio.Task | None = None  # writes what waits (`write`), started by `write_soon`
        self.worker: asyncio.Task | None = None  # answers requests (`work`), started by the first one
        self.outbox: list[str] = []
        self.replies: list[str] = []
        self.resync = False
        self.close_code: int | None = None
        self.requests: list[protocol.Request] = []  # waiting for the worker, at most REQUEST_LIMIT
        self.closed = False
        self.busy = True  # a write is under way (or the snapshot is not sent yet): frames queue behind it
        self.reading: Reading | None = None  # set once accepted
        self.check_wanted = False  # a quiet socket owes a check frame (Hub.check_reading)
        self.snapshot_for: str | None = None  # the request id the next requested snapshot answers
        self.snapshots = Coalescer(self.send_snapshot, lambda: SNAPSHOT_INTERVAL, what="a requested snapshot")
        limits = getattr(settings, "LIVE_FRAMES", {})
        self.frame_rate, self.frame_burst = limits.get("rate", FRAME_RATE), limits.get("burst", FRAME_BURST)
        self.allowance, self.counted_at = self.frame_burst, 0.0  # the screen's frames: a token bucket

    # -- life cycle ---------------------------------------------------------------------------

    async def __call__(self, scope, receive, send) -> None:
        """Channels' consumer loop; however it ends (a disconnect, an error, or Daphne cancelling a consumer
        that outlived its client), the socket leaves its room and its tasks stop."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.leave()

    async def connect(self) -> None:
        kwargs = self.scope.get("url_route", {}).get("kwargs", {})
        try:
            session = await database_sync_to_async(session_of)(
                self.scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME)
            )
            user = await database_sync_to_async(login_of)(session)
            self.screen = await database_sync_to_async(open_screen)(
                int(kwargs.get("game_id", 0)), kwargs.get("role", ""), user, session, self.header(b"x-seat-token")
            )
            self.language = await database_sync_to_async(screen_language)(
                self.screen, self.language_cookie(), self.header(b"accept-language")
            )
        except Refused as refusal:
            self.language = languages.from_browser(self.language_cookie(), self.header(b"accept-language"))
            await self.refuse(refusal)
            return
        await self.accept()
        self.hub = current_hub()
        try:
            try:
                self.room = await self.hub.join(self)
            except Refused as refusal:  # one screen too many on this seat
                self.hub, self.closed = None, True
                await self.send_text(protocol.dumps(self.said(protocol.error_frame(refusal))))
                await self.close(code=close_code(refusal.code))
                return
            await self.send_text(await self.snapshot())
            self.busy = False
            self.write_soon()
        except Gone:
            pass
        except Exception:
            log.exception("live socket failed")
            if not self.closed:
                self.closed = True
                await self.close(code=SERVER_ERROR)

    async def disconnect(self, code: int) -> None:
        self.leave()

    def leave(self) -> None:
        """Leave the room and stop this socket's tasks (idempotent)."""
        self.closed = True
        if self.hub is not None:
            self.hub.leave(self)
            self.hub = None
        self.snapshots.close()
        for task in self.tasks:
            task.cancel()

    @property
    def tasks(self) -> list[asyncio.Task]:
        """This socket's tasks that are running now."""
        return [task for task in (self.writer, self.worker) if task is not None]

    async def accept(self, subprotocol=None, headers=None) -> None:
        await super().accept(subprotocol, headers)
        self.reading = Reading(now())

    def screen_requests(self) -> tuple[str, ...]:
        return PLAYER_REQUESTS if self.screen.role == "player" else WATCHER_REQUESTS

    async def refuse(self, refusal: Refused) -> None:
        """Accept, say why in an error frame, and close with the code's close code (mmgame.live.codes)."""
        await self.accept()
        await self.send_text(protocol.dumps(self.said(protocol.error_frame(refusal))))
        await self.close(code=close_code(refusal.code))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """A frame from the screen: parse here (no database), queue requests for `work`."""
        if self.screen is None or self.close_code is not None or self.closed:
            return
        if not self.allowed_frame(now()):
            self.stop("flooding", f"more than {self.frame_rate:g} frames a second; slow down and reconnect")
            return
        try:
            request = protocol.parse(text_data, bytes_data, allowed=self.screen_requests())
            if request.type == "seen":
                self.reading.echoed(request.nonce)  # an old or unknown nonce proves nothing
            elif request.type == "snapshot":
                self.snapshot_for = request.request_id
                self.snapshots.mark()
            elif len(self.requests) >= REQUEST_LIMIT:
                self.reply(
                    protocol.error_frame(
                        Busy(gettext_noop("too many requests waiting; retry later")), request.request_id
                    )
                )
            else:
                self.requests.append(request)
                if self.worker is None:
                    self.worker = asyncio.ensure_future(self.work())
        except Refused as error:
            self.reply(protocol.error_frame(error, getattr(error, "request_id", None)))

    async def work(self) -> None:
        """Answer requests one at a time, in the order they came; the task ends when none waits."""
        try:
            await self.work_through()
        finally:
            self.worker = None

    async def work_through(self) -> None:
        while self.requests:
            request = self.requests.pop(0)
            try:
                answer = await self.answer(request)
            except Refused as error:
                answer = protocol.error_frame(error, request.request_id)
            except Exception:
                log.exception("request %s failed", request.type)
                answer = {
                    "type": "error",
                    "code": "server_error",
                    "message": gettext_noop("the server failed; resend with the same idempotency key"),
                    "request_id": request.request_id,
                }
            text = protocol.dumps(self.said(answer))
            if not await self.send_if_idle(text):
                self.replies.append(text)
                self.write_soon()

    async def answer(self, request: protocol.Request) -> dict:
        if request.type == "ping":
            return {"type": "pong", "request_id": request.request_id}
        if self.seat is None:
            self.seat = await database_sync_to_async(fresh_player)(self.screen.player_id)
        if request.type == "quote":
            return await database_sync_to_async(quote_answer)(self.seat, request)
        if request.type == "guess":
            return await database_sync_to_async(guess_answer)(self.seat, request)
        return await database_sync_to_async(trade_answer)(self.seat, request)

    async def send_snapshot(self) -> None:
        """Answer the snapshot requests that came since the last one (the Coalescer spaces them)."""
        request_id, self.snapshot_for = self.snapshot_for, None
        try:
            text = await self.snapshot(request_id)
        except Exception:
            log.exception("snapshot failed")
            answer = {
                "type": "error",
                "code": "server_error",
                "message": gettext_noop("the server failed; ask again"),
                "request_id": request_id,
            }
            text = protocol.dumps(self.said(answer))
        if not await self.send_if_idle(text):
            self.replies.append(text)
            self.write_soon()

    async def snapshot(self, request_id: str | None = None) -> str:
        """The snapshot's text. The lobby comes from the room, not the database, and is taken after the wait
        (hence the empty one the query leaves): a join announced meanwhile is not lost. It is the room's
        text, serialised once for every screen that connects (with a thousand players, most of the frame)."""
        answer = await database_sync_to_async(self.snapshot_said)(request_id)
        del answer["players"]
        return f'{protocol.dumps(answer)[:-1]},"players":{self.room.roster_text()}}}'

    def snapshot_said(self, request_id: str | None) -> dict:
        """The snapshot's dict, its words of ours (the autopilot's note) in this screen's language."""
        with translation.override(self.language):
            return screens.snapshot(self.screen, request_id, self.room.board)

    # -- sending ------------------------------------------------------------------------------

    def idle(self) -> bool:
        return not (
            self.busy
            or self.replies
            or self.outbox
            or self.resync
            or self.check_wanted
            or self.closed
            or self.close_code
        )

    async def send_if_idle(self, text: str) -> bool:
        """Write a frame now when nothing waits before it on this socket: no writer task to wake, and an
        answer is not queued behind a fan-out to every other screen. False when it must queue instead."""
        if not self.idle():
            return False
        self.busy = True
        try:
            await self.send_text(text)
        except Gone:
            pass  # the screen went away; its read loop ends the socket
        finally:
            self.busy = False
        if self.replies or self.outbox or self.resync or self.check_wanted:
            self.write_soon()  # queued while this frame was being written
        return True

    async def deliver(self, text: str) -> None:
        """A broadcast for this screen (already serialised): written now, or queued in order."""
        if not await self.send_if_idle(text):
            self.offer(text)

    def offer(self, text: str) -> None:
        """A broadcast for this screen (already serialised). Past OUTBOX_LIMIT, drop it all and resync."""
        if len(self.outbox) >= OUTBOX_LIMIT:
            self.outbox.clear()
            self.resync = True
        else:
            self.outbox.append(text)
        self.write_soon()

    def reply(self, frame: dict) -> None:
        """An answer to this screen's own request: never dropped (at most REQUEST_LIMIT wait)."""
        self.replies.append(protocol.dumps(self.said(frame)))
        self.write_soon()

    def allowed_frame(self, at: float) -> bool:
        self.allowance = min(self.frame_burst, self.allowance + (at - self.counted_at) * self.frame_rate)
        self.counted_at = at
        if self.allowance < 1:
            return False
        self.allowance -= 1
        return True

    def kick(self) -> None:
        self.close_code = close_code("kicked")
        self.reply(
            {
                "type": "error",
                "code": "kicked",
                "message": gettext_noop("the host removed this seat"),
                "request_id": None,
            }
        )

    def check_reading(self, at: float) -> None:
        """The hub's round (every few seconds): close a screen that does not read; ask a quiet one to echo."""
        if self.reading is None or self.closed or self.close_code is not None:
            return
        why = self.reading.failing(at)
        if why is not None:
            self.stop("not_reading", why)
        elif self.reading.check_due(at):
            self.check_wanted = True
            self.write_soon()

    def stop(self, code: str, why: str) -> None:
        """Drop what waits for this screen, say why and close it (`not_reading` 4408, `flooding` 4413)."""
        log.info("closing a screen (%s): %s", code, why)
        self.outbox.clear()
        self.replies.clear()
        self.resync = self.check_wanted = False
        self.close_code = close_code(code)
        self.reply({"type": "error", "code": code, "message": why, "request_id": None})

    def write_soon(self) -> None:
        """Something waits to be written: start the writer unless it runs (it ends when all is written)."""
        if self.writer is None and not self.closed:
            self.writer = asyncio.ensure_future(self.write())

    async def write(self) -> None:
        """The one task that writes what waits: replies first, then a resync or the broadcasts."""
        try:
            await self.write_waiting()
        except Gone:
            return
        except Exception:
            log.exception("live socket could not write")
            if not self.closed:
                self.closed = True
                await self.close(code=SERVER_ERROR)
        finally:
            self.writer = None

    async def write_waiting(self) -> None:
        if self.busy:
            return  # a frame is being written directly (or the snapshot is not sent yet): it calls again
        self.busy = True
        try:
            while self.replies or self.resync or self.outbox or self.check_wanted:
                if self.replies:
                    text = self.replies.pop(0)
                elif self.check_wanted:
                    self.check_wanted = False
                    await self.send_check()
                    continue
                elif self.resync:
                    self.resync = False
                    self.outbox.clear()  # what arrives during the read follows the snapshot
                    text = await self.snapshot()
                    if self.close_code is not None:
                        continue  # closed while it was read: the close's own reply goes instead
                else:
                    text = self.outbox.pop(0)
                await self.send_text(text)
        finally:
            self.busy = False
        if self.close_code is not None and not self.closed:
            self.closed = True
            await self.close(code=self.close_code)

    async def send_text(self, text: str) -> None:
        """Write a frame; after every few tens of kilobytes, a check frame the screen must echo."""
        await self.write_frame(text)
        reading = self.reading
        if reading is None or self.close_code is not None:
            return
        at = now()
        why = reading.failing(at)
        if why is not None:
            self.stop("not_reading", why)
        elif reading.check_due(at):
            await self.send_check()

    async def send_check(self) -> None:
        await self.write_frame(protocol.dumps({"type": "check", "nonce": self.reading.new_nonce(now())}))

    async def write_frame(self, text: str) -> None:
        try:
            await self.send(text_data=text)
        except Exception as error:
            # The screen went away while a frame was on its way (Daphne tells us a moment later).
            self.closed = True
            raise Gone from error
        if self.reading is not None:
            self.reading.wrote(len(text))


def now() -> float:
    return asyncio.get_running_loop().time()


class UnknownScreen(Consumer):
    """Any other websocket path: refused with 4404 so that clients see why."""

    async def connect(self) -> None:
        refusal = NotFound(gettext_noop("no such screen"))
        await self.accept()
        self.language = languages.from_browser(self.language_cookie(), self.header(b"accept-language"))
        await self.send(text_data=protocol.dumps(self.said(protocol.error_frame(refusal))))
        await self.close(code=close_code(refusal.code))
