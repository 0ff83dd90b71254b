"""Read-only views of a game for the host's pages (the live screens get theirs from the websocket snapshot)."""

from __future__ import annotations

from mmgame import queries
from mmgame.models import Game, Market
from mmgame.queries import shapes


def boards(game: Game, market: Market | None) -> dict:
    """The control room's boards, ranked as every screen ranks them, and how many practice traders they
    leave out (the host did not count them)."""
    standings = queries.game_leaderboard(game)
    return {
        "market": shapes.standings(queries.market_leaderboard(market)) if market else [],
        "game": shapes.standings(standings),
        "bots_left_out": standings.bots_left_out,
    }
