"""Every counter counts all of a market's trades (docs/practice-traders.md): a snapshot carries each market's
trade count and the practice traders' part of it, and each market update the counts as of its sequence, so a
screen that keeps the newest 200 feed lines still says "250 trades so far" and "+ 240 practice trades"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import services
from mmgame.market import Order
from mmgame.models import Market
from mmgame.queries import screens
from tests.services.ledger import fresh_key

pytestmark = pytest.mark.django_db


def trade(player, market, mean):
    services.place_trade(
        player, market.pk, Order("toward", mean=Decimal(mean), sd=Decimal(60)), idempotency_key=fresh_key()
    )


def test_snapshots_and_updates_count_every_trade_and_the_bots_part(host, game, open_market, alice):
    (bot,) = services.add_practice_traders(host, game, count=1, knowledge="noise")
    for k in range(3):
        trade(alice, open_market, 90 + k)
        trade(bot.player, open_market, 110 + k)
    trade(alice, open_market, 100)

    snapshot = screens.snapshot(screens.Screen("host", game.pk))
    assert snapshot["trade_counts"][str(open_market.pk)] == {"all": 7, "bots": 3}
    sequence = Market.objects.get(pk=open_market.pk).sequence
    trade(bot.player, open_market, 120)
    update = screens.market_update(open_market.pk, sequence)
    assert update["trade_counts"] == {"all": 8, "bots": 4}
    assert len(update["trades"]) == 1


def test_a_market_without_trades_counts_none(host, game, open_market):
    assert screens.trade_counts([open_market]) == {str(open_market.pk): {"all": 0, "bots": 0}}
