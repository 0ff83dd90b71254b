"""A player's seats, remembered in their session: a refresh or a new tab returns them to the same seat."""

from __future__ import annotations

from django.http import HttpRequest

from mmgame import services
from mmgame.models import Game, Player

SESSION_KEY = "seats"


def remember(request: HttpRequest, player: Player) -> None:
    """Hold the seat in this session; a fresh session key keeps a planted cookie from sharing it."""
    request.session.cycle_key()
    seats = dict(request.session.get(SESSION_KEY, {}))
    seats[str(player.game_id)] = player.seat_token
    request.session[SESSION_KEY] = seats


def seated_player(request: HttpRequest, game: Game) -> Player | None:
    """The player this browser holds a seat for in `game`, or None (no seat, or kicked)."""
    token = request.session.get(SESSION_KEY, {}).get(str(game.pk))
    if not token:
        return None
    try:
        player = services.seat(token)
    except services.Forbidden:
        return None
    if player.game_id != game.pk:
        return None
    return player
