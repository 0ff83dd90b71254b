"""The practice traders' runner in a server process: a tick about every second, on the live layer's
database thread, that steps the bots this process holds the lease of (mmgame.services.practice.run_due), and
the games on autopilot it holds the lease of (mmgame.services.autopilot.run_due: the round steps itself).

Started with each event loop's hub (mmgame.live.hub), so every server process that serves screens runs one;
the leases in the database decide which process steps which bot. With no practice trader anywhere a tick
is one cheap query. Each tick also notes the games this process holds screens of (mmgame.services.watched):
bots stop in a game no screen has shown for a few minutes. settings.PRACTICE_TRADERS_RUN = False (env
PRACTICE_TRADERS_RUN=off) turns it off.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Callable

from django.utils import timezone

from mmgame import services

from .database import database_sync_to_async

log = logging.getLogger(__name__)

TICK = 1.0  # seconds between two ticks


def new_owner() -> str:
    """A name for this runner's leases: the process and a random part (a forked child draws its own)."""
    return f"pid{os.getpid()}-{uuid.uuid4().hex[:16]}"


def tick_once(owner: str, watched: Callable[[], list[int]]) -> int:
    """One tick: note the games this process holds screens of (their bots keep going), step the games on
    autopilot whose time is up, then the bots."""
    now = timezone.now()
    services.watched(watched(), now)
    try:
        services.autopilot.run_due(owner, now)
    except Exception:  # the bots still step; the next tick tries again (the leases keep games safe)
        log.exception("the autopilot's tick failed")
    return services.run_due(owner, now)


async def run_forever(owner: str | None = None, tick: float = TICK, watched: Callable[[], list[int]] = list) -> None:
    """`watched` names the games this process holds screens of now (the hub's rooms)."""
    owner = owner or new_owner()
    step = database_sync_to_async(lambda: tick_once(owner, watched))
    while True:
        await asyncio.sleep(tick)
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:  # a database hiccup: the next tick tries again; the leases keep bots safe
            log.exception("the practice traders' tick failed")
