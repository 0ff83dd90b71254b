"""Closing with a countdown: the host says "close in N seconds" and the market closes then, traded or not."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from mmgame import services
from mmgame.market import MarketError
from mmgame.models import Market, Trade
from mmgame.queries import shapes as snapshots

from .ledger import rows, target

pytestmark = pytest.mark.django_db


def current(market) -> Market:
    return Market.objects.get(pk=market.pk)


def run_out(market) -> None:
    """Let the countdown's time pass: its deadline is now a second ago."""
    Market.objects.filter(pk=market.pk).update(closes_at=timezone.now() - timedelta(seconds=1))


def news_in(callbacks) -> list[dict]:
    return [callback.args[0] for callback in callbacks]


# -- starting a countdown -------------------------------------------------------------------------


def test_a_countdown_sets_the_deadline_and_leaves_the_market_open(host, open_market):
    before = timezone.now()

    market = services.close_market(host, open_market.pk, countdown=30)

    stored = current(open_market)
    assert stored.status == Market.Status.OPEN
    assert before + timedelta(seconds=30) <= stored.closes_at <= timezone.now() + timedelta(seconds=30)
    assert market.closes_at == stored.closes_at


def test_a_countdown_is_an_event_every_screen_hears_of(host, open_market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        market = services.close_market(host, open_market.pk, countdown=10)

    assert market.sequence == open_market.sequence + 1
    assert {"kind": "market", "game": market.game_id, "market": market.pk, "sequence": market.sequence} in news_in(
        callbacks
    )


def test_the_market_picture_carries_the_deadline(host, open_market):
    assert snapshots.market_state(open_market)["closes_at"] is None

    market = services.close_market(host, open_market.pk, countdown=60)

    assert snapshots.market_state(market)["closes_at"] == current(market).closes_at.isoformat()


def test_a_second_countdown_sets_a_new_deadline(host, open_market):
    first = services.close_market(host, open_market.pk, countdown=60).closes_at

    second = services.close_market(host, open_market.pk, countdown=10).closes_at

    assert second < first
    assert current(open_market).closes_at == second


def test_closing_now_ends_a_running_countdown(host, open_market):
    services.close_market(host, open_market.pk, countdown=60)

    services.close_market(host, open_market.pk)

    stored = current(open_market)
    assert (stored.status, stored.closes_at) == (Market.Status.CLOSED, None)


def test_pausing_cancels_the_countdown(host, open_market):
    services.close_market(host, open_market.pk, countdown=5)

    services.pause_market(host, open_market.pk)

    stored = current(open_market)
    assert (stored.status, stored.closes_at) == (Market.Status.PAUSED, None)
    assert services.close_due_markets(open_market.game_id) is None


def test_reopening_after_a_pause_starts_without_a_countdown(host, open_market, alice, buy):
    services.close_market(host, open_market.pk, countdown=5)
    services.pause_market(host, open_market.pk)

    services.open_market(host, open_market.pk)

    assert current(open_market).closes_at is None
    assert not buy(alice, target(120, 30)).replayed


@pytest.mark.parametrize("seconds", [0, -5, 3601, 1.5, "10", True, 10**100])
def test_a_countdown_outside_one_second_to_an_hour_is_refused(host, open_market, seconds):
    before = rows()

    with pytest.raises(MarketError) as refused:
        services.close_market(host, open_market.pk, countdown=seconds)

    assert refused.value.details == {"field": "countdown"}
    assert rows() == before


def test_a_countdown_by_a_non_host_is_forbidden(other_host, open_market):
    before = rows()

    with pytest.raises(services.NotFound):
        services.close_market(other_host, open_market.pk, countdown=10)

    assert rows() == before


@pytest.mark.parametrize("setup", ["draft", "paused"])
def test_only_an_open_market_counts_down(host, market, setup):
    if setup == "paused":
        services.open_market(host, market.pk)
        services.pause_market(host, market.pk)
    before = rows()

    with pytest.raises(services.InvalidTransition):
        services.close_market(host, market.pk, countdown=10)

    assert rows() == before


def test_a_countdown_on_a_closed_market_changes_nothing(host, open_market):
    services.close_market(host, open_market.pk)
    before = rows()

    services.close_market(host, open_market.pk, countdown=10)

    assert rows() == before


# -- the deadline -----------------------------------------------------------------------------------


def test_trading_goes_on_until_the_deadline(host, open_market, alice, buy):
    services.close_market(host, open_market.pk, countdown=60)

    result = buy(alice, target(120, 30))

    assert result.trade.sequence == current(open_market).sequence


def test_a_trade_after_the_deadline_closes_the_market_and_is_refused(
    host, open_market, alice, buy, django_capture_on_commit_callbacks
):
    counting = services.close_market(host, open_market.pk, countdown=10)
    run_out(open_market)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(services.MarketNotOpen) as refused:
        buy(alice, target(120, 30))

    stored = current(open_market)
    assert refused.value.code == "market_not_open"
    assert (stored.status, stored.closes_at, stored.sequence) == (Market.Status.CLOSED, None, counting.sequence + 1)
    assert not Trade.objects.exists()
    assert {"kind": "market", "game": stored.game_id, "market": stored.pk, "sequence": stored.sequence} in news_in(
        callbacks
    )


def test_a_countdown_really_runs_out(host, open_market, alice, buy):
    services.close_market(host, open_market.pk, countdown=1)
    buy(alice, target(120, 30))
    time.sleep(1.05)

    with pytest.raises(services.MarketNotOpen):
        buy(alice, target(130, 30))

    assert current(open_market).status == Market.Status.CLOSED
    assert Trade.objects.count() == 1


def test_close_due_markets_closes_a_market_nobody_trades_in(host, open_market, django_capture_on_commit_callbacks):
    counting = services.close_market(host, open_market.pk, countdown=10)
    run_out(open_market)

    with django_capture_on_commit_callbacks() as callbacks:
        following = services.close_due_markets(open_market.game_id)

    stored = current(open_market)
    assert following is None
    assert (stored.status, stored.closes_at, stored.sequence) == (Market.Status.CLOSED, None, counting.sequence + 1)
    assert [n["sequence"] for n in news_in(callbacks) if n["kind"] == "market"] == [stored.sequence]


def test_close_due_markets_leaves_a_running_countdown_and_says_when_it_ends(host, game, open_market):
    services.close_market(host, open_market.pk, countdown=30)
    before = rows()

    following = services.close_due_markets(game.pk)

    assert 28 < following <= 30
    assert rows() == before


def test_close_due_markets_touches_only_its_game(host, open_market, other_host, other_game):
    services.close_market(host, open_market.pk, countdown=10)
    run_out(open_market)

    assert services.close_due_markets(other_game.pk) is None

    assert current(open_market).status == Market.Status.OPEN


def test_a_closed_market_by_countdown_resolves_like_any_other(host, open_market, alice, buy):
    buy(alice, target(120, 30))
    services.close_market(host, open_market.pk, countdown=5)
    run_out(open_market)
    services.close_due_markets(open_market.game_id)

    resolved = services.resolve_market(host, open_market.pk, 125)

    assert resolved.status == Market.Status.RESOLVED
