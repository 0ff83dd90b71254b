"""News to the other server processes: the channel layer, fed by `mmgame.events` once a change commits.

`forward` is registered when the app starts (`MmgameConfig.ready`), so a trade made through the API or by
a bot in a process with no open socket still reaches the other processes at once. Each hub registers its
own listener for the screens of its process (`Hub.start`). News never raises into the service that made
the change: a trade is made and answered even when Redis is down.
"""

from __future__ import annotations

import asyncio
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from . import hub as hubs

log = logging.getLogger(__name__)

REMOTE_TIMEOUT = 0.5
QUIET_AFTER_FAILURE = 1.0
_quiet_until = 0.0


def forward(news: dict) -> None:
    """Hand news made here to the other processes (one channel-layer message per game)."""
    layer = get_channel_layer()
    if layer is None or isinstance(layer, InMemoryChannelLayer) or time.monotonic() < _quiet_until:
        return  # one process only, or the layer failed a moment ago: the hubs' audits will catch up
    local = hubs.running_hubs()
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
