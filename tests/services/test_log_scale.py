"""Log-scale markets through the services: distances, averages and "closer" are taken in ln x (docs/maths.md § Log
markets)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from mmgame import queries, services
from mmgame.market import NotPositive, Order
from mmgame.models import Market, Position
from mmgame.queries.leaderboards import crowd_forecast

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuners(host, game):
    market = services.add_market(
        host, game, question="Piano tuners?", kind="count", lo=1, hi=10000, scale="log", liquidity=30
    )
    return services.open_market(host, market.pk)


def test_the_accuracy_board_ranks_who_was_closer_in_ln_x(host, game, tuners):
    # The answer is 100. Ann said 50 (off by 50, a factor of 2); Ben said 180 (off by 80, a factor of 1.8).
    ann, ben = services.join_game(game.join_code, "Ann"), services.join_game(game.join_code, "Ben")
    services.place_trade(ann, tuners.pk, Order("toward", median=50, sd_log=Decimal("0.5")), idempotency_key="a")
    services.place_trade(ben, tuners.pk, Order("toward", median=180, sd_log=Decimal("0.5")), idempotency_key="b")
    services.close_market(host, tuners.pk)
    services.resolve_market(host, tuners.pk, 100)

    board = queries.accuracy_leaderboard(Market.objects.get(pk=tuners.pk))

    assert [row.nickname for row in board] == ["Ben", "Ann"]
    gap = board[0].score - board[1].score
    assert gap == pytest.approx((math.log(2) ** 2 - math.log(1.8) ** 2) / (2 * 0.5**2))


def test_the_class_average_is_taken_in_ln_x(host, game, tuners):
    ann, ben = services.join_game(game.join_code, "Ann"), services.join_game(game.join_code, "Ben")
    services.place_trade(ann, tuners.pk, Order("target", median=10, sd_log=Decimal("1")), idempotency_key="a")
    services.place_trade(ben, tuners.pk, Order("target", median=1000, sd_log=Decimal("1")), idempotency_key="b")

    crowd = crowd_forecast(Market.objects.get(pk=tuners.pk))

    median = Market.objects.get(pk=tuners.pk).range.to_x(crowd.mean)
    assert median == pytest.approx(100)  # the geometric mean of 10 and 1,000, not their average 505


def test_a_log_market_resolves_and_pays_every_position(host, game, tuners):
    ann = services.join_game(game.join_code, "Ann")
    services.place_trade(ann, tuners.pk, Order("target", low=200, high=5000), idempotency_key="a")
    services.close_market(host, tuners.pk)

    with pytest.raises(NotPositive):
        services.resolve_market(host, tuners.pk, Decimal("-0"))
    market = services.resolve_market(host, tuners.pk, Decimal("1e-30"))  # below the range: it resolves at lo

    assert market.outcome == 1
    position = Position.objects.get(player=ann)
    assert position.payout >= 0
    assert market.house_result == pytest.approx(position.budget - position.payout)


def test_the_trade_row_keeps_an_intervals_median_and_sd_log(host, game, tuners):
    ann = services.join_game(game.join_code, "Ann")
    result = services.place_trade(ann, tuners.pk, Order("target", low=200, high=5000), idempotency_key="a")

    assert float(result.trade.target_mean) == pytest.approx(1000)
    assert float(result.trade.target_sd) == pytest.approx(math.log(25) / (2 * 1.6448536269514722))
