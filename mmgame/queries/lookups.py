"""A game's rows as the faces look them up: the game by its id, its seats, one of its markets or players.

A face never queries the ORM itself (tests/test_faces_read_through_queries.py): it asks here, then asks
mmgame.access whether the caller may see what it found.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from mmgame import access
from mmgame.models import Game, Market, Player, Position


def game_by_id(*, game_id: int) -> Game | None:
    """The game with this id, or None: who may see it is mmgame.access's to say."""
    return Game.objects.filter(pk=game_id).first()


def dashboard_games(*, host: AbstractBaseUser) -> QuerySet[Game]:
    """The host's games with their markets and players fetched together (the dashboard counts both)."""
    return access.hosted_games(host).prefetch_related("markets", "players")


def players(*, game: Game) -> list[Player]:
    """Every seat of the game, removed ones included (the host's list, which can free their names)."""
    return list(game.players.all())


def active_players(*, game: Game) -> list[Player]:
    """The seats still in the game (not removed), practice traders included."""
    return list(game.players.filter(kicked=False))


def active_player_count(*, game: Game) -> int:
    return game.players.filter(kicked=False).count()


def player_in_game(*, game: Game, player_id: int) -> Player | None:
    """A seat of this game, or None (a seat of another game is not found here)."""
    return Player.objects.select_related("game").filter(pk=player_id, game=game).first()


def player_by_id(*, player_id: int) -> Player | None:
    """The seat as it is now, with its game (the host may have removed it since a socket opened)."""
    return Player.objects.select_related("game").filter(pk=player_id).first()


def market_in_game(*, game: Game, market_id: int) -> Market | None:
    """A market of this game, or None (a market of another game is not found here)."""
    return Market.objects.filter(pk=market_id, game=game).first()


def market_with_game(*, market_id: int) -> Market:
    """The market with its game, as it is now (a replayed trade's market has moved on since)."""
    return Market.objects.select_related("game").get(pk=market_id)


def shown_market(*, game: Game) -> Market | None:
    """The market the room is playing: the one every screen shows (none in the lobby)."""
    return game.markets.filter(pk=game.current_market_id).first() if game.current_market_id else None


def position_of(*, market: Market, player: Player) -> Position | None:
    """The seat's position in the market, or None before its first trade."""
    return Position.objects.filter(market=market, player=player).first()
