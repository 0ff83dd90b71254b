"""What the round's phases show (docs/round.md): the first guesses, counted but sealed until the host reveals them,
and the lesson's numbers, worked out here by hand from ln p(x*) − ln p_prior(x*)."""

from __future__ import annotations

import math
import statistics

import pytest

from mmgame import services
from mmgame.market import Order
from mmgame.models import Clue, Market
from mmgame.queries import rounds, screens, shapes

pytestmark = pytest.mark.django_db

P = Market.Phase


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def carol(game):
    return services.join_game(game.join_code, "Carol")


def now(market: Market) -> Market:
    return Market.objects.get(pk=market.pk)


def to(host, market: Market, *phases: str, **options) -> Market:
    for phase in phases:
        services.step_market(host, market.pk, phase=phase, confirm=True, **options)
    return now(market)


def guess(player, market: Market, mean: float, sd: float) -> None:
    services.submit_guess(player, market.pk, Order("target", mean=mean, sd=sd))


def trade(player, market: Market, mean: float, sd: float, key: str) -> None:
    services.place_trade(player, market.pk, Order("target", mean=mean, sd=sd), idempotency_key=key)


# -- the guesses as every screen sees them ------------------------------------------------------------


def test_the_middles_stay_sealed_until_the_guesses_are_revealed(host, market, alice, bob):
    assert rounds.guess_summary(to(host, market, P.QUESTION)) == {
        "count": 0,
        "revealed": False,
        "middles": None,
        "average": None,
        "reasons": None,
    }
    m = to(host, market, P.GUESS)
    guess(alice, m, 150, 30)
    guess(bob, m, 90, 60)
    sealed = {"count": 2, "revealed": False, "middles": None, "average": None, "reasons": None}
    assert rounds.guess_summary(now(m)) == sealed
    assert shapes.market_state(now(m))["guesses"] == sealed
    assert shapes.market_moves(now(m))["guesses"] == sealed

    m = to(host, m, P.GUESSES)

    shown = {"count": 2, "revealed": True, "middles": [90.0, 150.0], "average": pytest.approx(120), "reasons": []}
    assert rounds.guess_summary(m) == shown
    assert shapes.market_state(m)["guesses"] == shown


def test_a_market_without_a_first_guess_has_no_guesses_to_show(host, game):
    market = services.add_market(host, game, question="Quick one?", lo=0, hi=10, first_guess=False)

    assert rounds.guess_summary(market) is None
    assert shapes.market_state(market)["guesses"] is None


def test_the_average_on_a_log_market_is_a_geometric_mean(host, game, alice, bob):
    market = services.add_market(host, game, question="Tuners?", kind="count", lo=1, hi=10000, scale="log")
    m = to(host, market, P.QUESTION, P.GUESS)
    services.submit_guess(alice, m.pk, Order("target", median=10, sd_log=1))
    services.submit_guess(bob, m.pk, Order("target", median=1000, sd_log=1))

    summary = rounds.guess_summary(to(host, m, P.GUESSES))

    assert summary["middles"] == [pytest.approx(10), pytest.approx(1000)]
    assert summary["average"] == pytest.approx(100)  # √(10 · 1000)


def test_a_player_sees_only_her_own_guess(host, market, alice, bob):
    m = to(host, market, P.QUESTION, P.GUESS)
    guess(alice, m, 150, 30)

    assert rounds.own_guess(m, bob.pk) is None
    mine = shapes.guess_state(m, rounds.own_guess(m, alice.pk))
    assert (mine["market_id"], mine["mean"], mine["sd"]) == (m.pk, pytest.approx(150), pytest.approx(30))
    assert mine["interval_90"] == [pytest.approx(150 - 1.6448536 * 30), pytest.approx(150 + 1.6448536 * 30)]


# -- the lesson, worked by hand -----------------------------------------------------------------------


def score(mean: float, sd: float, x: float = 140, prior: tuple[float, float] = (100, 100)) -> float:
    """ln p(x*) − ln p_prior(x*) for normal curves, in the question's units (the scaling's Jacobian cancels)."""

    def log_density(m: float, s: float) -> float:
        return -((x - m) ** 2) / (2 * s**2) - math.log(s) - 0.5 * math.log(2 * math.pi)

    return log_density(mean, sd) - log_density(*prior)


@pytest.fixture
def taught(host, game, market, alice, bob, carol):
    """The seed's market, prior N(100, 100²), answer 140. First guesses: Alice N(150, 30²), Bob N(90, 60²),
    Carol none. Trades, in order: Carol to N(110, 80²), Alice to N(130, 40²), Bob to N(170, 30²) (the market's
    last curve)."""
    m = to(host, market, P.QUESTION, P.GUESS)
    guess(alice, m, 150, 30)
    guess(bob, m, 90, 60)
    to(host, m, P.GUESSES, P.TRADING)
    trade(carol, m, 110, 80, "c")
    trade(alice, m, 130, 40, "a")
    trade(bob, m, 170, 30, "b")
    return to(host, m, P.CLOSED, P.ANSWER, outcome=140)


def test_the_lesson_scores_the_market_the_traders_and_the_average_guess(taught):
    # By hand: the market's curve N(170, 30²) at 140 is 1σ off, the prior 0.4σ off:
    #   −½ − ln 30 + 0.08 + ln 100 = ln(10/3) − 0.42 ≈ 0.78397.
    market = score(170, 30)
    assert market == pytest.approx(math.log(10 / 3) - 0.42)
    # Traders' last forecasts: Carol N(110, 80²) ≈ 0.23283 (beaten), Alice N(130, 40²) ≈ 0.96504, Bob the market.
    assert score(110, 80) == pytest.approx(0.23283, abs=1e-5) and score(130, 40) == pytest.approx(0.96504, abs=1e-5)
    # Guesses: Alice N(150, 30²) ≈ 1.22842, Bob N(90, 60²) ≈ 0.24361 (beaten). Their average is their mixture,
    # scored by its density: ln[(p_Alice(140) + p_Bob(140))/2] − ln p_prior(140) ≈ 0.85264 (a normal matched to
    # its mean 120 and variance 3150 would have scored 0.59410).
    assert score(150, 30) == pytest.approx(1.22842, abs=1e-5) and score(90, 60) == pytest.approx(0.24361, abs=1e-5)
    average = math.log((math.exp(score(150, 30)) + math.exp(score(90, 60))) / 2)
    assert average == pytest.approx(0.85264, abs=1e-5)

    assert rounds.lesson(taught) == {
        "market": pytest.approx(market, rel=1e-9),
        # Carol beaten, Bob tied (his forecast is the market's final one), Alice not beaten.
        "traders": 3,
        "traders_beaten": 1,
        "traders_tied": 1,
        # 140 lies inside every 90 % range: 110 ± 131.6, 130 ± 65.8, 170 ± 49.3; 150 ± 49.3, 90 ± 98.7.
        "traders_inside": 3,
        "guessers": 2,
        "guessers_beaten": 1,
        "guessers_tied": 0,
        "guessers_inside": 2,
        "guess_average": pytest.approx(average, rel=1e-9),
        # How far off 140: no clues; the average guess's middle 120 by 20; the market's mean 170 by 30.
        "clues": 0,
        "clue_error": None,
        "clue_error_percent": None,
        "guess_error": pytest.approx(20),
        "guess_error_percent": pytest.approx(20 / 140 * 100),
        "market_error": pytest.approx(30),
        "market_error_percent": pytest.approx(30 / 140 * 100),
        "pooling": None,  # no clues: nothing to pool
    }


def test_the_lesson_says_how_far_off_a_typical_clue_was(host, game, alice, bob, carol):
    m = services.add_market(host, game, question="How many?", lo=0, hi=300, answer=140, clue_noise=10)
    m = to(host, m, P.QUESTION, P.GUESS, P.GUESSES, P.TRADING)
    values = {p: float(v) for p, v in Clue.objects.filter(market=m).values_list("player_id", "value")}
    assert len(values) == 3
    m = to(host, m, P.CLOSED, P.ANSWER)  # settles at the answer entered in advance

    taught = rounds.lesson(m)

    typical = statistics.median(abs(v - 140) for v in values.values())
    assert taught["clues"] == 3
    assert taught["clue_error"] == pytest.approx(typical, abs=1e-9)
    assert taught["clue_error_percent"] == pytest.approx(typical / 140 * 100, abs=1e-7)
    assert taught["guess_error"] is None  # nobody guessed
    assert taught["market_error"] == pytest.approx(10)  # untraded: the prior, the range's middle 150


def test_a_log_markets_lesson_measures_errors_in_ln_x(host, game, alice):
    m = services.add_market(
        host, game, question="How many?", lo=1, hi=10**6, scale="log", prior_median=100, prior_sd_log=1, answer=1000
    )
    m = services.set_clues(host, m.pk, noise=15)
    m = to(host, m, P.QUESTION, P.GUESS)
    clue = float(Clue.objects.get(market=m).value)
    services.submit_guess(alice, m.pk, Order("target", median=500, sd_log=1))
    m = to(host, m, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER)

    taught = rounds.lesson(m)

    assert taught["clue_error"] == pytest.approx(abs(math.log(clue / 1000)), abs=1e-9)
    assert taught["guess_error"] == pytest.approx(math.log(2))
    assert taught["guess_error_percent"] == pytest.approx(100)  # off by a factor of 2
    assert taught["market_error"] == pytest.approx(math.log(10))
    assert taught["market_error_percent"] == pytest.approx(900)


def test_the_first_guesses_board_ranks_each_guess_against_the_prior(taught, alice, bob, carol):
    board = {row.player_id: row.score for row in rounds.guess_leaderboard(taught) if row.score is not None}

    assert board == {alice.pk: pytest.approx(score(150, 30)), bob.pk: pytest.approx(score(90, 60))}
    assert rounds.average_middle(list(rounds.class_guesses(taught).values())) == pytest.approx((120 - 150) / 150)


def test_the_lesson_is_in_the_board_once_the_answer_is_known(game, taught, alice):
    board = screens.leaderboard(game.pk).sections

    assert board["lesson"][str(taught.pk)] == rounds.lesson(taught)
    assert {row["player_id"] for row in board["guesses"][str(taught.pk)]} >= {alice.pk}


def test_no_lesson_before_the_answer(host, market, alice):
    m = to(host, market, P.QUESTION, P.TRADING)
    trade(alice, m, 130, 40, "a")

    assert rounds.lesson(to(host, m, P.CLOSED)) is None
    assert rounds.guess_leaderboard(now(m)) == []
