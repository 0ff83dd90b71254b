"""What the services announce once a change is committed: "market 7 of game 3 is at sequence 44".

News is tiny and carries no state: the hubs read the state from the database, so a lost piece of news
delays screens (until the next audit) but can never show them something that did not happen. News never
raises into the service that made the change: a trade settles and is answered even when Redis is down.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

REMOTE_TIMEOUT = 0.5
QUIET_AFTER_FAILURE = 1.0
_quiet_until = 0.0


def market_changed(game_id: int, market_id: int, sequence: int) -> None:
    """A trade or a status change of the market, once the current transaction commits."""
    announce({"kind": "market", "game": game_id, "market": market_id, "sequence": sequence})


def players_changed(game_id: int) -> None:
    """Someone joined the game or was kicked."""
    announce({"kind": "players", "game": game_id})


def game_changed(game_id: int) -> None:
    """The game's own status changed (e.g. finished)."""
    announce({"kind": "game", "game": game_id})


def announce(news: dict) -> None:
    transaction.on_commit(partial(publish, news), robust=True)


def publish(news: dict) -> None:
    """Hand news to this process's hubs, then to the other processes through the channel layer."""
    from . import hub as hubs  # here, not at the top: the services import this module

    try:
        local = hubs.running_hubs()
        for hub in local:
            # A fresh context: the caller's (a sync view thread) holds asgiref executors that die with the request.
            hub.loop.call_soon_threadsafe(hub.notice, news, context=contextvars.Context())
        publish_elsewhere(news, local)
    except Exception:
        log.exception("could not publish %r", news)


def publish_elsewhere(news: dict, local: list) -> None:
    from . import hub as hubs

    layer = get_channel_layer()
    if layer is None or isinstance(layer, InMemoryChannelLayer) or time.monotonic() < _quiet_until:
        return  # one process only, or the layer failed a moment ago: the hubs' audits will catch up
    if local:
        # Fire and forget on a running loop: the trade's answer does not wait for Redis.
        future = asyncio.run_coroutine_threadsafe(local[0].forward(news, REMOTE_TIMEOUT), local[0].loop)
        future.add_done_callback(remote_done)
        return
    try:
        async_to_sync(hubs.publish_remote)(layer, news, REMOTE_TIMEOUT)
    except Exception as error:
        remote_failed(error)


def remote_done(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        remote_failed(future.exception())


def remote_failed(error: BaseException) -> None:
    global _quiet_until
    if time.monotonic() >= _quiet_until:
        log.warning("channel layer publish failed, other processes will catch up by audit: %r", error)
    _quiet_until = time.monotonic() + QUIET_AFTER_FAILURE
