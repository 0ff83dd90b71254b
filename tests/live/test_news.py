"""News goes out only after a commit, and never breaks the change it announces."""

from __future__ import annotations

import time

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from mmgame import services
from mmgame.market import Order
from mmgame.models import Trade

from .conftest import player_socket, receive, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


class RolledBack(Exception):
    pass


def trade_then_roll_back(player, market_id: int) -> None:
    try:
        with transaction.atomic():
            services.place_trade(player, market_id, Order("target", mean=150, sd=50), idempotency_key="undone")
            raise RolledBack
    except RolledBack:
        pass


@pytest.mark.usefixtures("live")
async def test_a_rolled_back_trade_is_never_announced(open_market, alice):
    screen = await player_socket(alice)
    await receive(screen)
    await database_sync_to_async(trade_then_roll_back)(alice, open_market.pk)
    assert await screen.receive_nothing(timeout=0.5)
    await database_sync_to_async(services.place_trade)(
        alice, open_market.pk, Order("target", mean=150, sd=50), idempotency_key="kept"
    )
    update = await receive_until(screen, "update")
    assert [t["sequence"] for t in update["trades"]] == [2]
    await screen.disconnect()


def test_a_trade_settles_and_is_answered_when_the_channel_layer_is_down(settings, caplog, tmp_path, open_market, alice):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"unix://{tmp_path / 'no-redis-here.sock'}"]},
        }
    }
    started = time.monotonic()
    for i in range(3):
        order = Order("target", mean=120 + i, sd=50)
        assert not services.place_trade(alice, open_market.pk, order, idempotency_key=f"k{i}").replayed
    assert Trade.objects.filter(market=open_market).count() == 3
    assert "channel layer publish failed" in caplog.text
    assert time.monotonic() - started < 3  # one bounded attempt, then quiet for a second
