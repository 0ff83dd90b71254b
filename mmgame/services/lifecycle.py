"""A market's life: draft → open ⇄ paused → closed → resolved, each step by the host alone."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from mmgame.live import news
from mmgame.market import MarketError, stored_quantity
from mmgame.models import Game, Market, Position

from .errors import InvalidTransition, MarketNotOpen
from .games import require_host
from .locks import lock_market

S = Market.Status
ALLOWED = {
    S.OPEN: {S.DRAFT, S.PAUSED},
    S.PAUSED: {S.OPEN},
    S.CLOSED: {S.OPEN, S.PAUSED},
}
# "Close in N seconds": long enough to read, short enough for a lesson (an hour at most).
COUNTDOWN_MIN, COUNTDOWN_MAX = 1, 3600


def change_status(host: AbstractBaseUser, market_id: int, status: str) -> Market:
    """Open, pause or close a market; asking for the status it already has changes nothing."""
    with transaction.atomic():
        market = lock_market(market_id)
        require_host(market.game, host)
        if status not in ALLOWED:
            raise InvalidTransition(f"a market cannot be set to {status!r} this way")
        if market.status == status:
            return market
        if market.status not in ALLOWED[status]:
            raise InvalidTransition(f"a {market.status} market cannot become {status}", market_status=market.status)
        if status == S.OPEN and market.game.status == Game.Status.FINISHED:
            raise InvalidTransition("the game is finished")
        market.status = status
        market.closes_at = None  # pausing, reopening or closing now ends any countdown
        market.sequence += 1
        market.save(update_fields=["status", "closes_at", "sequence"])
        news.market_changed(market.game_id, market.pk, market.sequence)
        if status == S.OPEN and market.game.status == Game.Status.LOBBY:
            Game.objects.filter(pk=market.game_id).update(status=Game.Status.PLAYING)
            news.game_changed(market.game_id)
        return market


def open_market(host: AbstractBaseUser, market_id: int) -> Market:
    return change_status(host, market_id, S.OPEN)


def pause_market(host: AbstractBaseUser, market_id: int) -> Market:
    return change_status(host, market_id, S.PAUSED)


def close_market(host: AbstractBaseUser, market_id: int, countdown: int | None = None) -> Market:
    """Close now, or start a countdown of `countdown` seconds after which the market closes by itself.

    A countdown is an event (sequence + 1) so every screen learns `closes_at`; asking again sets a new
    deadline. The close itself happens at the first of: a trade after the deadline (place_trade), the
    live hub's audit (close_due_markets), or the host closing now.
    """
    if countdown is None:
        return change_status(host, market_id, S.CLOSED)
    seconds = countdown_seconds(countdown)
    with transaction.atomic():
        market = lock_market(market_id)
        require_host(market.game, host)
        if market.status == S.CLOSED:
            return market
        if market.status != S.OPEN:
            raise InvalidTransition(
                f"only an open market can count down to its close; this one is {market.status}",
                market_status=market.status,
            )
        market.closes_at = timezone.now() + timedelta(seconds=seconds)
        market.sequence += 1
        market.save(update_fields=["closes_at", "sequence"])
        news.market_changed(market.game_id, market.pk, market.sequence)
        # Any news but a market's makes the hubs audit the game, and the audit times the close (hub.Room.audit).
        news.announce({"kind": "countdown", "game": market.game_id, "market": market.pk})
        return market


class CountdownOver(MarketNotOpen):
    """A trade that came after the countdown's end: refused like any trade in a closed market."""


def countdown_seconds(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not COUNTDOWN_MIN <= value <= COUNTDOWN_MAX:
        raise MarketError(
            f"a countdown is a whole number of seconds from {COUNTDOWN_MIN} to {COUNTDOWN_MAX}", field="countdown"
        )
    return value


def countdown_over(market: Market, now: datetime | None = None) -> bool:
    """Whether an open market's countdown has run out (it is closed in all but the database)."""
    return market.status == S.OPEN and market.closes_at is not None and market.closes_at <= (now or timezone.now())


def close_if_due(market_id: int) -> Market | None:
    """Close the market if its countdown has run out: recorded and announced like a close by the host."""
    with transaction.atomic():
        market = lock_market(market_id)
        if not countdown_over(market):
            return None
        market.status = S.CLOSED
        market.closes_at = None
        market.sequence += 1
        market.save(update_fields=["status", "closes_at", "sequence"])
        news.market_changed(market.game_id, market.pk, market.sequence)
        return market


def close_due_markets(game_id: int) -> float | None:
    """Close the game's markets whose countdown ran out, even if nobody trades (the live hub's audit
    calls this). Returns the seconds until the next countdown ends, so the caller can come back then."""
    now = timezone.now()
    running = Market.objects.filter(game_id=game_id, status=S.OPEN, closes_at__isnull=False)
    following = None
    for market_id, closes_at in running.values_list("id", "closes_at"):
        if closes_at <= now:
            close_if_due(market_id)
        else:
            left = (closes_at - now).total_seconds()
            following = left if following is None else min(following, left)
    return following


def same_outcome(market: Market, settled_at: Decimal) -> bool:
    """Whether the market resolved at this value as the database keeps it: PostgreSQL keeps 20 decimals,
    SQLite 15 significant digits, so 123.456 as a float must match itself after the round trip."""
    return Market.objects.filter(pk=market.pk, outcome=settled_at).exists()


def resolve_market(host: AbstractBaseUser, market_id: int, outcome: object) -> Market:
    """Settle a closed market at clamp(outcome) and pay every position exactly once.

    Each position pays W(z*), evaluated exactly (z* in decimals, W to 32 digits), and the house's result
    is what those same payouts leave: Σ budgets − Σ payouts. W ≥ 0 on the range by every trade's collateral
    check, so max(0, ·) only trims the ledger's last digits. Resolving again with the same outcome returns
    the market unchanged.
    """
    with transaction.atomic():
        market = lock_market(market_id)
        require_host(market.game, host)
        engine = market.engine
        settled_at = engine.range.settle_at(stored_quantity(outcome, "outcome"))
        if market.status == S.RESOLVED:
            if same_outcome(market, settled_at):
                return market
            raise InvalidTransition(f"the market already resolved at {market.outcome}", outcome=str(market.outcome))
        if market.status != S.CLOSED:
            raise InvalidTransition("close the market before resolving it", market_status=market.status)
        z = engine.range.exact_z(settled_at)
        paid = [0.0]
        for position in Position.objects.filter(market=market).select_for_update():
            position.payout = max(0.0, position.wealth.at(z))
            position.save(update_fields=["payout"])
            paid += [position.budget, -position.payout]
        market.outcome = settled_at
        market.house_result = math.fsum(paid)
        market.status = S.RESOLVED
        market.resolved_at = timezone.now()
        market.sequence += 1
        market.save(update_fields=["outcome", "house_result", "status", "resolved_at", "sequence"])
        news.market_changed(market.game_id, market.pk, market.sequence)
        return market


def finish_game(host: AbstractBaseUser, game: Game) -> Game:
    """End the game (the podium): no new players, no more markets, and markets still trading close."""
    require_host(game, host)
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game.pk)
        for market_id in game.markets.filter(status__in=[S.OPEN, S.PAUSED]).values_list("id", flat=True):
            change_status(host, market_id, S.CLOSED)
        game.status = Game.Status.FINISHED
        game.save(update_fields=["status"])
        news.game_changed(game.pk)
    return game
