"""A market as the API and the pages read it: its state now, and pages of its trade feed."""

from __future__ import annotations

from mmgame import access, round
from mmgame.models import Game, Market, Trade

from . import shapes


def current_market(market: Market) -> Market:
    """The market as every face shows it: past its countdown, closed and counting down no more, recorded or not
    yet (mmgame.services.deadlines records it). Changed in memory alone: a read writes nothing."""
    if market.countdown_over():
        market.status, market.phase = round.shown(market.status, market.phase, overdue=True)
        market.closes_at = None
    return market


def game_markets(game: Game) -> list[Market]:
    """Every market of the game, drafts included (the host's pages), each as every face shows it."""
    return [current_market(market) for market in game.markets.all()]


def trade_page(seen: access.Viewer, market: Market, *, after: int | None, limit: int) -> list[dict]:
    """The latest `limit` trades in sequence order, or, with `after`, the next ones after that sequence;
    each as this viewer may see it (mmgame.access.feed_rows)."""
    trades = Trade.objects.filter(market=market).select_related("player")
    if after is not None:
        page = list(trades.filter(sequence__gt=after).order_by("sequence")[:limit])
    else:
        page = list(trades.order_by("-sequence")[:limit])[::-1]
    return access.feed_rows(seen.sees_names, [shapes.trade_entry(t, market) for t in page], seen.player_id)
