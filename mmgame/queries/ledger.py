"""The game's ledger as the host's CSV exports read it: every trade, position, first guess and clue, in
the order the files list them (market by market)."""

from __future__ import annotations

from django.db.models import QuerySet

from mmgame.models import Clue, Game, Guess, Market, Player, Position, Trade


def markets_in_order(*, game: Game) -> QuerySet[Market]:
    return game.markets.order_by("number")


def trades(*, game: Game) -> QuerySet[Trade]:
    """Every trade of the game with its market and player, market by market in sequence order."""
    rows = Trade.objects.filter(market__game=game).select_related("market", "player")
    return rows.order_by("market__number", "sequence")


def positions(*, game: Game, paid: bool = False) -> QuerySet[Position]:
    """Every position of the game (with `paid`, only those paid out), market by market, by nickname."""
    rows = Position.objects.filter(market__game=game).select_related("market", "player")
    if paid:
        rows = rows.filter(payout__isnull=False)
    return rows.order_by("market__number", "player__nickname")


def guesses(*, game: Game) -> dict[tuple[int, int], Guess]:
    """Each first guess of the game by (market id, player id)."""
    return {(g.market_id, g.player_id): g for g in Guess.objects.filter(market__game=game)}


def clues(*, game: Game) -> dict[tuple[int, int], object]:
    """Each private clue's value by (market id, player id)."""
    return {(c.market_id, c.player_id): c.value for c in Clue.objects.filter(market__game=game)}


def players_by_id(*, game: Game) -> dict[int, Player]:
    return {p.pk: p for p in game.players.all()}
