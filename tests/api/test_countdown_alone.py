"""A countdown ends on time with no screen connected: recorded, announced, reported and resolvable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mmgame import events, services
from mmgame.market import Order
from mmgame.models import Market

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    news: list[dict] = []
    events.listen(news.append)
    yield news
    events.forget(news.append)


@pytest.fixture
def clock(monkeypatch):
    """Django's clock, moved by the test: `clock.advance(seconds)`."""

    class Clock:
        now = timezone.now()

        def advance(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    moved = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moved.now)
    return moved


def test_the_process_timer_closes_the_market_at_the_deadline_with_no_screen_watching(
    host, open_market, clock, armed_deadlines, heard, alice_bot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.close_market(host, open_market.pk, countdown=30)
    [(delay, close)] = armed_deadlines
    assert 30 <= delay <= 30.1
    heard.clear()

    clock.advance(30.05)
    with django_capture_on_commit_callbacks(execute=True):
        close()

    market = Market.objects.get(pk=open_market.pk)
    assert (market.status, market.sequence, market.closes_at) == ("closed", 3, None)
    assert heard == [{"kind": "market", "game": market.game_id, "market": market.pk, "sequence": 3}]
    body = alice_bot.get(f"/api/markets/{market.pk}").json()
    assert (body["status"], body["sequence"]) == ("closed", 3)


def test_a_timer_that_fires_early_leaves_the_market_open(host, open_market, clock, armed_deadlines):
    services.close_market(host, open_market.pk, countdown=30)
    clock.advance(29)

    for _, close in armed_deadlines:
        close()

    assert Market.objects.get(pk=open_market.pk).status == "open"


def test_a_market_past_its_countdown_reads_closed_and_the_read_writes_nothing(
    host, open_market, clock, alice_bot, host_api, heard, django_capture_on_commit_callbacks
):
    """No timer ran (the process that armed it restarted): every read says closed, and none records it."""
    services.close_market(host, open_market.pk, countdown=5)
    clock.advance(6)
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True):
        body = alice_bot.get(f"/api/markets/{open_market.pk}").json()
        game = host_api.get(f"/api/games/{open_market.game.join_code}").json()

    assert (body["status"], body["phase"], body["closes_at"], body["sequence"]) == ("closed", "closed", None, 2)
    assert [(m["status"], m["phase"]) for m in game["markets"]] == [("closed", "closed")]
    assert Market.objects.get(pk=open_market.pk).status == "open"
    assert heard == []


def test_resolving_an_overdue_market_works(host, open_market, clock, alice):
    services.place_trade(alice, open_market.pk, Order("target", mean=120, sd=40), idempotency_key="k")
    services.close_market(host, open_market.pk, countdown=5)
    clock.advance(6)

    market = services.resolve_market(host, open_market.pk, 120)

    assert market.status == "resolved"
    assert market.sequence == 5  # the trade, the countdown, the close it records, the resolution
