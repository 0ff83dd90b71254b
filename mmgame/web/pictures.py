"""Read-only views of a game for the host's pages (the live screens get theirs from the websocket snapshot)."""

from __future__ import annotations

from mmgame import queries
from mmgame.models import Game, Market
from mmgame.queries import shapes


def current_market(game: Game) -> Market | None:
    """The market the room is playing: the latest one the host has opened (drafts wait their turn)."""
    return game.markets.exclude(status=Market.Status.DRAFT).order_by("-number").first()


def boards(game: Game, market: Market | None) -> dict:
    return {
        "market": shapes.standings(queries.market_leaderboard(market)) if market else [],
        "game": shapes.standings(queries.game_leaderboard(game)),
    }
