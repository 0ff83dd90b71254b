"""Leaderboards as the API shows them: names hidden when the host asked, except the caller's own."""

from __future__ import annotations

from django.http import HttpRequest

from mmgame.models import Game
from mmgame.services import Standing
from mmgame.services.snapshots import standings

from .auth import is_host, viewer_seat_id


def visible_standings(request: HttpRequest, game: Game, rows: list[Standing]) -> list[dict]:
    """With `hide_names`, others' rows carry neither name nor player id (an id joins the lobby's list of names);
    a player's own row keeps both, and the host sees everyone."""
    entries = standings(rows)
    if not game.hide_names or is_host(request, game):
        return entries
    own = viewer_seat_id(request, game)
    for entry in entries:
        if own is None or entry["player_id"] != own:
            entry["nickname"] = entry["player_id"] = None
    return entries
