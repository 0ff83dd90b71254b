"""A player's seat in a game as the pages find it: the one their browser session holds (mmgame.access)."""

from __future__ import annotations

from django.http import HttpRequest

from mmgame import access
from mmgame.models import Arrival, Game, Player


def remember(request: HttpRequest, player: Player | Arrival) -> None:
    access.remember_seat(request.session, player)


def seated_player(request: HttpRequest, game: Game) -> Player | None:
    """The player this browser holds a seat for in `game` (kicked or not), or None."""
    return access.viewer(access.caller(None, request.session), game).player


def held_place(request: HttpRequest, game: Game) -> Player | Arrival | None:
    """The seat this browser holds in `game` (kicked or not), else its place in the waiting room (waiting
    or turned away), or None: a join gives it back rather than a new one."""
    return seated_player(request, game) or access.arrival_in(access.caller(None, request.session), game)
