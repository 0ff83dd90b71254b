"""Row locks: every state change of a market happens with its row locked, inside one transaction.

On PostgreSQL `select_for_update` queues concurrent trades on the market row; on SQLite it is a
no-op and the IMMEDIATE transaction (settings.SQLITE_OPTIONS) takes the database's write lock instead.
"""

from __future__ import annotations

from mmgame.market import gettext_noop
from mmgame.models import Market

from .errors import NotFound


def lock_market(market_id: int) -> Market:
    try:
        return Market.objects.select_for_update(of=("self",)).select_related("game").get(pk=market_id)
    except (Market.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext_noop("no such market")) from None
