"""Leaderboards as the API shows them: rows as mmgame.access says this viewer may see them."""

from __future__ import annotations

from mmgame import access
from mmgame.queries import Standing
from mmgame.queries.shapes import standings


def visible_standings(seen: access.Viewer, rows: list[Standing]) -> list[dict]:
    return access.board_rows(seen, standings(rows))
