"""First guesses (docs/round.md): a sealed curve per player, taken only while the host asks for them, checked as a
forecast is (σ ≥ σ_min, inside the range, fair), replaced rather than added to, and refused after the timer."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mmgame import services
from mmgame.market import InvalidCurve, Order, ScaleMismatch, UnfairCurve
from mmgame.models import Guess, Market

from .ledger import rows, target

pytestmark = pytest.mark.django_db

P = Market.Phase


def now(market: Market) -> Market:
    return Market.objects.get(pk=market.pk)


def to(host, market: Market, *phases: str) -> Market:
    for phase in phases:
        services.step_market(host, market.pk, phase=phase, confirm=True)
    return now(market)


@pytest.fixture
def guessing(host, market):
    """The seed's market ([0, 300], prior N(100, 100²), σ_min 1) at its first guess."""
    return to(host, market, P.QUESTION, P.GUESS)


@pytest.fixture
def tuners(host, game):
    """A log market at its first guess: piano tuners in a city, 1 to 10,000."""
    market = services.add_market(host, game, question="Piano tuners?", kind="count", lo=1, hi=10000, scale="log")
    return to(host, market, P.QUESTION, P.GUESS)


def every_guess(market: Market) -> list[tuple[int, float, float]]:
    return list(Guess.objects.filter(market=market).order_by("player_id").values_list("player_id", "mean_z", "sd_z"))


def test_a_guess_is_stored_as_the_curve_in_z(guessing, alice):
    guess = services.submit_guess(alice, guessing.pk, target(120, 30))

    # z = (x − 150)/150 on [0, 300]
    assert (guess.player_id, guess.market_id) == (alice.pk, guessing.pk)
    assert guess.mean_z == pytest.approx(-30 / 150) and guess.sd_z == pytest.approx(30 / 150)


@pytest.mark.parametrize("phase", [P.QUESTION, P.GUESSES, P.TRADING, P.CLOSED])
def test_guesses_are_taken_only_at_the_first_guess(host, market, alice, phase):
    path = [P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED]
    m = to(host, market, *path[: path.index(phase) + 1])
    before = rows()

    with pytest.raises(services.GuessingClosed) as refused:
        services.submit_guess(alice, m.pk, target(120, 30))

    assert refused.value.code == "guessing_closed"
    assert refused.value.details == {"phase": phase}
    assert rows() == before and every_guess(m) == []


def test_a_guess_again_replaces_the_first(guessing, alice):
    services.submit_guess(alice, guessing.pk, target(120, 30))
    services.submit_guess(alice, guessing.pk, target(200, 50))

    [(player, mean_z, sd_z)] = every_guess(guessing)
    assert player == alice.pk
    assert (mean_z, sd_z) == (pytest.approx(50 / 150), pytest.approx(50 / 150))


def test_the_count_counts_players_and_only_a_first_guess_is_news(
    game, guessing, alice, bob, django_capture_on_commit_callbacks
):
    sequence = guessing.sequence
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit_guess(alice, guessing.pk, target(120, 30))
        services.submit_guess(alice, guessing.pk, target(130, 30))
        services.submit_guess(bob, guessing.pk, target(80, 20))
        services.submit_guess(bob, guessing.pk, target(90, 20))

    m = now(guessing)
    assert (m.guess_count, Guess.objects.filter(market=m).count()) == (2, 2)
    assert m.sequence == sequence + 2
    assert [callback.args[0] for callback in callbacks] == [
        {"kind": "market", "game": game.pk, "market": m.pk, "sequence": sequence + 1},
        {"kind": "market", "game": game.pk, "market": m.pk, "sequence": sequence + 2},
    ]


# -- a guess is a forecast like any other -------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "field"),
    [
        (target(120, Decimal("0.5")), "guess_sd"),  # σ below σ_min = 1
        (target(120, 0), "guess_sd"),
        (target(301, 30), "guess_mean"),  # outside [0, 300]
        (target(-5, 30), "guess_mean"),
    ],
)
def test_a_curve_the_market_could_not_hold_is_refused(guessing, alice, order, field):
    before = rows()

    with pytest.raises(InvalidCurve) as refused:
        services.submit_guess(alice, guessing.pk, order)

    assert refused.value.details["field"] == field
    assert rows() == before and every_guess(guessing) == []


def test_an_unfair_curve_is_refused_with_the_nearest_fair_one(guessing, alice):
    """N(20, 100²) on [0, 300]: z = (−0.867, 0.667), μ² + σ² > 1, so it would earn points at every outcome."""
    with pytest.raises(UnfairCurve) as refused:
        services.submit_guess(alice, guessing.pk, target(20, 100))

    details = refused.value.details
    assert refused.value.code == "unfair_curve" and details["field"] == "guess_sd"
    mean, sd = Decimal(details["nearest_mean"]), Decimal(details["nearest_sd"])
    assert mean == pytest.approx(20, abs=1e-6)
    assert 0 < sd <= Decimal(math.sqrt((300 - 20) * (20 - 0)))  # σ² ≤ (hi − μ)(μ − lo)
    services.submit_guess(alice, guessing.pk, target(mean, sd))  # the nearest fair curve is taken
    assert len(every_guess(guessing)) == 1


def test_a_wrong_kind_of_order_is_refused(guessing, alice):
    with pytest.raises(services.GuessingClosed) as refused:
        services.submit_guess(alice, guessing.pk, Order("toward", mean=120, sd=30))

    assert refused.value.details == {"field": "order.kind"}
    assert every_guess(guessing) == []


# -- log markets ----------------------------------------------------------------------------------------


def test_a_log_market_takes_a_median_and_sd_log(tuners, alice):
    guess = services.submit_guess(alice, tuners.pk, Order("target", median=100, sd_log=Decimal("0.5")))

    rng = tuners.range
    assert rng.to_x(guess.mean_z) == pytest.approx(100)
    assert rng.sd_to_x(guess.sd_z) == pytest.approx(0.5)


def test_a_log_market_takes_a_ninety_percent_interval(tuners, alice):
    guess = services.submit_guess(alice, tuners.pk, Order("target", low=10, high=1000))

    rng = tuners.range
    assert rng.to_x(guess.mean_z) == pytest.approx(100)  # √(10 · 1000)
    assert rng.sd_to_x(guess.sd_z) == pytest.approx((math.log(1000) - math.log(10)) / (2 * 1.6448536269514722))


def test_a_log_market_refuses_a_mean_and_sd(tuners, alice):
    with pytest.raises(ScaleMismatch):
        services.submit_guess(alice, tuners.pk, target(100, 30))


# -- the first guess's timer ----------------------------------------------------------------------------


def test_a_guess_after_the_timer_is_refused(host, guessing, alice, bob):
    services.submit_guess(alice, guessing.pk, target(120, 30))
    services.close_market(host, guessing.pk, countdown=30)
    services.submit_guess(bob, guessing.pk, target(110, 30))  # still in time
    Market.objects.filter(pk=guessing.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    before = rows()

    with pytest.raises(services.GuessingClosed) as refused:
        services.submit_guess(alice, guessing.pk, target(200, 30))

    assert refused.value.details == {"phase": "guess"}
    assert rows() == before
    m = now(guessing)
    assert (m.phase, m.status, m.guess_count) == ("guess", "draft", 2)  # the timer closes no market


def test_the_next_step_ends_the_timer(host, guessing):
    services.close_market(host, guessing.pk, countdown=30)
    assert now(guessing).closes_at is not None

    assert to(host, guessing, P.GUESSES).closes_at is None


# -- who may guess -------------------------------------------------------------------------------------


def test_a_kicked_seat_may_not_guess(host, guessing, alice):
    services.kick_player(host, alice)

    with pytest.raises(services.Kicked):
        services.submit_guess(alice, guessing.pk, target(120, 30))
    assert every_guess(guessing) == []


def test_a_seat_of_another_game_finds_no_market(guessing, stranger):
    with pytest.raises(services.NotFound):
        services.submit_guess(stranger, guessing.pk, target(120, 30))
    assert every_guess(guessing) == []


def test_a_draft_is_not_found(market, alice):
    with pytest.raises(services.NotFound):
        services.submit_guess(alice, market.pk, target(120, 30))
    assert every_guess(market) == []


def test_no_guess_once_the_game_is_finished(host, game, guessing, alice):
    services.submit_guess(alice, guessing.pk, target(120, 30))
    services.finish_game(host, game)
    before = rows()

    with pytest.raises(services.GuessingClosed):
        services.submit_guess(alice, guessing.pk, target(200, 30))

    assert rows() == before
    assert [mean for _, mean, _ in every_guess(guessing)] == [pytest.approx(-30 / 150)]
