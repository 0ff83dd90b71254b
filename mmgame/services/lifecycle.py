"""A market's life: draft → open ⇄ paused → closed → resolved, each step by the host alone."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from mmgame.live import news
from mmgame.market.scale import EXACT
from mmgame.models import Game, Market, Position
from mmgame.models.fields import QUANTITY

from .errors import InvalidTransition
from .games import require_host
from .locks import lock_market

S = Market.Status
OUTCOME_SCALE = Decimal(1).scaleb(-QUANTITY["decimal_places"])
ALLOWED = {
    S.OPEN: {S.DRAFT, S.PAUSED},
    S.PAUSED: {S.OPEN},
    S.CLOSED: {S.OPEN, S.PAUSED},
}


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
        market.status = status
        market.sequence += 1
        market.save(update_fields=["status", "sequence"])
        news.market_changed(market.game_id, market.pk, market.sequence)
        if status == S.OPEN and market.game.status == Game.Status.LOBBY:
            Game.objects.filter(pk=market.game_id).update(status=Game.Status.PLAYING)
            news.game_changed(market.game_id)
        return market


def open_market(host: AbstractBaseUser, market_id: int) -> Market:
    return change_status(host, market_id, S.OPEN)


def pause_market(host: AbstractBaseUser, market_id: int) -> Market:
    return change_status(host, market_id, S.PAUSED)


def close_market(host: AbstractBaseUser, market_id: int) -> Market:
    return change_status(host, market_id, S.CLOSED)


def as_stored(outcome: Decimal) -> Decimal:
    """The outcome at the column's scale (20 decimals), as PostgreSQL will keep it."""
    return outcome.quantize(OUTCOME_SCALE, context=EXACT)


def same_outcome(market: Market, settled_at: Decimal) -> bool:
    """Whether the market resolved at this value as the database keeps it: PostgreSQL keeps 20 decimals,
    SQLite 15 significant digits, so 123.456 as a float must match itself after the round trip."""
    return Market.objects.filter(pk=market.pk, outcome=settled_at).exists()


def resolve_market(host: AbstractBaseUser, market_id: int, outcome: object) -> Market:
    """Settle a closed market at clamp(outcome) and pay every position exactly once.

    Each position pays W(z*) ≥ 0; the house's result is computed on its own from the market's
    curve, −b·[ln p_final(x*) − ln p_prior(x*)], so the books balance only if the ledger is right.
    Resolving again with the same outcome returns the market unchanged.
    """
    with transaction.atomic():
        market = lock_market(market_id)
        require_host(market.game, host)
        engine = market.engine
        settled_at = as_stored(engine.range.settle_at(outcome))
        if market.status == S.RESOLVED:
            if same_outcome(market, settled_at):
                return market
            raise InvalidTransition(f"the market already resolved at {market.outcome}", outcome=str(market.outcome))
        if market.status != S.CLOSED:
            raise InvalidTransition("close the market before resolving it", market_status=market.status)
        z = engine.range.to_z(settled_at)
        for position in Position.objects.filter(market=market).select_for_update():
            position.payout = max(0.0, position.wealth.at(z))
            position.save(update_fields=["payout"])
        market.outcome = settled_at
        market.house_result = -engine.house_result(settled_at)
        market.status = S.RESOLVED
        market.resolved_at = timezone.now()
        market.sequence += 1
        market.save(update_fields=["outcome", "house_result", "status", "resolved_at", "sequence"])
        news.market_changed(market.game_id, market.pk, market.sequence)
        return market


def finish_game(host: AbstractBaseUser, game: Game) -> Game:
    """End the game (the podium): no new players, no more markets."""
    require_host(game, host)
    Game.objects.filter(pk=game.pk).update(status=Game.Status.FINISHED)
    news.game_changed(game.pk)
    game.refresh_from_db()
    return game
