"""Read-only views of a game for the host's pages (the live screens get theirs from the websocket snapshot)."""

from __future__ import annotations

from mmgame import services
from mmgame.models import Game, Market
from mmgame.services import snapshots


def current_market(game: Game) -> Market | None:
    """The market the room is playing: the latest one the host has opened (drafts wait their turn)."""
    return game.markets.exclude(status=Market.Status.DRAFT).order_by("-number").first()


def boards(game: Game, market: Market | None) -> dict:
    return {
        "market": snapshots.standings(services.market_leaderboard(market)) if market else [],
        "game": snapshots.standings(services.game_leaderboard(game)),
    }
