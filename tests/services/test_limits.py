"""Finding 4 of issue 14: moves that move nothing are refused, and each seat's trades and quotes (and each
address's joins) are rate-limited, on a clock the tests move instead of sleeping."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from mmgame import services
from mmgame.services import limits
from mmgame.services.limits import RateLimited

from ..django_script import run_django
from .ledger import fresh_key, rows, shares, target, toward

pytestmark = [pytest.mark.django_db, pytest.mark.rate_limits]


class Clock:
    """The limits' time, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_000_000.25

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(limits, "clock", fake)
    return fake


# -- moves that move nothing --------------------------------------------------------------------


@pytest.mark.parametrize(
    "order",
    [shares(0, 0), shares(0.0, -0.0), shares(float(Decimal("1e-400")), float(Decimal("-1e-400"))), target(100, 100)],
    ids=["shares-zero", "shares-signed-zero", "shares-rounding-to-zero", "target-at-the-current-curve"],
)
def test_an_order_that_moves_nothing_is_refused_and_changes_nothing(alice, open_market, order):
    before = rows()

    with pytest.raises(services.NoMove) as refused:
        services.place_trade(alice, open_market.pk, order, idempotency_key=fresh_key())

    assert refused.value.code == "no_move"
    assert rows() == before


def test_the_current_curve_after_a_trade_is_no_move_either(alice, bob, open_market, buy):
    buy(bob, target(120, 40))
    before = rows()

    with pytest.raises(services.NoMove):
        services.place_trade(alice, open_market.pk, target(120, 40), idempotency_key=fresh_key())

    assert rows() == before


# -- trades and quotes per seat -----------------------------------------------------------------


def trade(player, market, i: int) -> None:
    services.place_trade(player, market.pk, target(100 + (i % 2) * 10, 60), idempotency_key=fresh_key())


def test_a_seat_may_trade_twenty_times_a_second_and_no_more(alice, open_market, clock):
    for i in range(20):
        trade(alice, open_market, i)
        clock.now += 0.01
    before = rows()

    with pytest.raises(RateLimited) as refused:
        trade(alice, open_market, 20)

    assert refused.value.code == "rate_limited"
    assert 0 < refused.value.details["retry_after"] <= 1
    assert rows() == before


def test_a_limited_seat_trades_again_when_its_window_turns(alice, open_market, clock):
    for i in range(20):
        trade(alice, open_market, i)
    with pytest.raises(RateLimited) as refused:
        trade(alice, open_market, 20)

    clock.now += refused.value.details["retry_after"]
    trade(alice, open_market, 20)


def test_one_seat_over_its_limit_does_not_limit_another(alice, bob, open_market, clock):
    for i in range(20):
        trade(alice, open_market, i)
    with pytest.raises(RateLimited):
        trade(alice, open_market, 20)

    trade(bob, open_market, 0)


def test_the_benchmarks_traders_stay_below_the_trade_limit(settings):
    from benchmarks import run

    defaults = run.parse_args([])
    count, per = settings.RATE_LIMITS["trade"]

    assert defaults.rate / defaults.traders <= count / per / 2


def test_quotes_are_limited_per_seat(alice, open_market, clock):
    for _ in range(30):
        services.quote_order(alice, open_market.pk, target(120, 40))

    with pytest.raises(RateLimited) as refused:
        services.quote_order(alice, open_market.pk, target(120, 40))
    clock.now += refused.value.details["retry_after"]
    services.quote_order(alice, open_market.pk, target(120, 40))


@pytest.mark.redis
def test_the_limit_holds_across_server_processes_on_redis(alice, open_market, redis_url, settings, clock):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    from django.core.cache import cache

    cache.clear()
    # Another server process, sharing the Redis cache, takes the whole window's trades of this seat.
    run_django(
        f"""
        from mmgame.services import limits
        limits.clock = lambda: {clock.now}
        for _ in range(20):
            limits.take("trade", {alice.pk})
        """,
        {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "mmgame.settings"},
    )

    with pytest.raises(RateLimited):
        trade(alice, open_market, 0)
    cache.clear()


def test_a_toward_order_at_the_current_curve_is_no_move(alice, open_market):
    with pytest.raises(services.NoMove):
        services.place_trade(alice, open_market.pk, toward(100, 100), idempotency_key=fresh_key())


def test_seats_made_on_the_server_itself_count_against_no_address(game):
    """A fixture or a script seats players through the service with no client: the benchmark's 2,000."""
    for i in range(30):
        services.join_game(game.join_code, f"Player {i}")

    assert game.players.count() == 30


def test_a_client_without_an_address_is_limited_with_every_other_such_client(game, settings):
    settings.RATE_LIMITS = {"new_seat": (2, 60.0)}
    for i in range(2):
        services.join_game(game.join_code, f"Player {i}", address=None)

    with pytest.raises(services.RateLimited):
        services.join_game(game.join_code, "One too many", address=None)


# -- a sliding window: no burst where two windows meet ------------------------------------------


def seats_given(clock: Clock, *, seconds: float, every: float) -> list[float]:
    """One client's new seats in one game, asked for every `every` seconds: the times they were given."""
    given = []
    for _ in range(round(seconds / every)):
        try:
            limits.take("new_seat", "game:10.0.0.1", limits.Limit(10, 5.0))
            given.append(clock.now)
        except RateLimited:
            pass
        clock.now += every
    return given


def most_within(times: list[float], seconds: float) -> int:
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


def test_no_more_seats_than_the_limit_in_any_five_seconds_where_windows_used_to_meet(clock):
    """Fixed windows of 5 s gave 20 seats in 0.2 s across a window's turn (10 at 4.9–4.99 s, 10 at 5.0 s):
    the window now slides, whenever the client starts."""
    clock.now = 1_000_004.9  # 0.1 s before a multiple of 5 s, where fixed windows turned
    given = seats_given(clock, seconds=30, every=0.01)

    assert most_within(given, 5.0) == 10
    assert 55 <= len(given) <= 60  # the stated rate, 10 every 5 s, less at most a slot's lateness


def test_a_refused_use_says_when_the_next_one_passes_and_it_does(clock):
    for _ in range(10):
        limits.take("new_seat", "g", limits.Limit(10, 5.0))
        clock.now += 0.3
    with pytest.raises(RateLimited) as refused:
        limits.take("new_seat", "g", limits.Limit(10, 5.0))
    wait = refused.value.details["retry_after"]

    clock.now += wait - 0.01
    with pytest.raises(RateLimited):
        limits.take("new_seat", "g", limits.Limit(10, 5.0))
    clock.now += 0.01
    limits.take("new_seat", "g", limits.Limit(10, 5.0))
