"""Countdowns close on time in every server process, whether or not a screen watches.

When a countdown starts (mmgame.events `countdown` news, made in this process), a timer is armed for its
deadline; at the deadline it records the close through `close_if_due` (idempotent under the market's row
lock, so two processes or a trade arriving at the same moment close it once). A countdown started before
this process did is recorded by the first read or write of the market (mmgame.queries, the services).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection
from django.utils import timezone

from .lifecycle import close_if_due

log = logging.getLogger(__name__)

Schedule = Callable[[float, Callable[[], None]], object]


def start_timer(delay: float, action: Callable[[], None]) -> threading.Timer:
    """Run `action` on a thread of its own after `delay` seconds, with database connections of its own."""
    timer = threading.Timer(delay, on_own_connections, args=(action,))
    timer.daemon = True
    timer.start()
    return timer


def on_own_connections(action: Callable[[], None]) -> None:
    try:
        action()
    finally:
        close_old_connections()
        connection.close()


class Deadlines:
    """One per process: a timer per running countdown. `schedule` and `clock` are the tests' to replace."""

    def __init__(self, schedule: Schedule = start_timer, clock: Callable[[], float] | None = None) -> None:
        # Django's clock, as the services' deadlines are set by it (a test that moves it moves both).
        self.schedule, self.clock = schedule, clock or (lambda: timezone.now().timestamp())

    def __call__(self, news: dict) -> None:
        """An mmgame.events listener."""
        if news.get("kind") == "countdown":
            # A hair past the deadline: the timer must not find the countdown a few microseconds short.
            delay = max(0.0, float(news["closes_at"]) - self.clock()) + 0.05
            self.schedule(delay, lambda market_id=news["market"]: self.close(market_id))

    def close(self, market_id: int) -> None:
        try:
            close_if_due(market_id)
        except Exception:
            log.exception("could not close market %s at the end of its countdown", market_id)


deadlines = Deadlines()
