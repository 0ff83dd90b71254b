"""The one writer of an overdue countdown: its close is recorded here, and nowhere else.

Past its deadline an open market reads closed everywhere without a write (`Market.shown_status`,
mmgame.round.shown). The close is recorded by `record_if_due`, under the market's row lock (so two processes, or a
trade and a timer at the same moment, close it once), at the first of: this process's timer, armed when a
countdown starts here (mmgame.events `countdown` news); the live room's audit (`close_due_markets`), for a
countdown whose process has gone; a service that locks the market to change it (a host action, a trade).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from mmgame import round
from mmgame.models import Market

from . import lifecycle
from .locks import lock_market

log = logging.getLogger(__name__)

Schedule = Callable[[float, Callable[[], None]], object]


def record_if_due(market: Market) -> bool:
    """Inside a service's transaction, with the row locked: record the close of an overdue countdown."""
    if not market.countdown_over():
        return False
    lifecycle.set_status(market, round.CLOSED)
    return True


def close_if_due(market_id: int) -> Market | None:
    """Close the market if its countdown has run out: recorded and announced like a close by the host."""
    with transaction.atomic():
        market = lock_market(market_id)
        return market if record_if_due(market) else None


def close_due_markets(game_id: int) -> float | None:
    """Close the game's markets whose countdown ran out, even if nobody trades (the live room's audit calls
    this). Returns the seconds until the next countdown ends, so the caller can come back."""
    now = timezone.now()
    trading = [status for status, row in round.STATUSES.items() if row.trades]
    running = Market.objects.filter(game_id=game_id, status__in=trading, closes_at__isnull=False)
    following = None
    for market_id, closes_at in running.values_list("id", "closes_at"):
        if closes_at <= now:
            close_if_due(market_id)
        else:
            left = (closes_at - now).total_seconds()
            following = left if following is None else min(following, left)
    return following


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
