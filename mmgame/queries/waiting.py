"""The game's waiting room as its host sees it: who waits to be let in, first come first."""

from __future__ import annotations

from mmgame.models import Arrival, Game


def waiting(game: Game) -> list[dict]:
    return [waiting_entry(arrival) for arrival in Arrival.objects.filter(game=game, status=Arrival.Status.WAITING)]


def waiting_entry(arrival: Arrival) -> dict:
    return {"id": arrival.pk, "nickname": arrival.nickname, "arrived_at": arrival.arrived_at.isoformat()}
