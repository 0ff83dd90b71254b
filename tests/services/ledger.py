"""What the service tests compare: every row the services could touch, and fresh idempotency keys."""

from __future__ import annotations

import itertools

from mmgame.market import Order
from mmgame.models import Game, Market, Player, Position, Trade

KEYS = itertools.count(1)


def fresh_key() -> str:
    return f"key-{next(KEYS)}"


def rows() -> dict[str, list[dict]]:
    """Every row in a fixed order: two equal pictures mean the request changed nothing."""
    return {
        "games": list(Game.objects.order_by("pk").values()),
        "markets": list(Market.objects.order_by("pk").values()),
        "players": list(Player.objects.order_by("pk").values()),
        "positions": list(Position.objects.order_by("pk").values()),
        "trades": list(Trade.objects.order_by("pk").values()),
    }


def target(mean: object, sd: object) -> Order:
    return Order("target", mean=mean, sd=sd)


def toward(mean: object, sd: object) -> Order:
    return Order("toward", mean=mean, sd=sd)


def shares(delta_1: object, delta_2: object) -> Order:
    return Order("shares", delta_1=delta_1, delta_2=delta_2)


CLOSE = Order("close")
