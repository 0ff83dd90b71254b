"""The lesson's numbers stand behind its sentences (docs/lesson-numbers.md): a last trader whose forecast is the
market's final one ties with it; the class's average first guess is the mixture of the guesses; practice
traders are in or out of the counts, the average and the reveal together; an answer on the end of a 90 % range
is inside it, on the class record and in the lesson alike."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Market, Player
from mmgame.queries import rounds

pytestmark = pytest.mark.django_db

P = Market.Phase


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def to(host, market: Market, *phases: str, **options) -> Market:
    for phase in phases:
        services.step_market(host, market.pk, phase=phase, confirm=True, **options)
    return Market.objects.get(pk=market.pk)


def trade(player, market: Market, order: Order, key: str) -> None:
    services.place_trade(player, market.pk, order, idempotency_key=key)


# -- ties ---------------------------------------------------------------------------------------------------


def test_the_last_trader_ties_with_the_market_even_when_the_row_keeps_15_digits(host, market, alice, bob):
    """Alice's forecast has 18 digits; the trade row keeps 15 of them, the market's curve all of it. Her score
    is the market's: a tie, not a win the 15-digit rounding handed the market ("beat 2 of 2" before)."""
    m = to(host, market, P.QUESTION, P.TRADING)
    trade(bob, m, Order("target", mean=Decimal(60), sd=Decimal(80)), "b")
    exact = Order("target", mean=Decimal("131.111111111111111"), sd=Decimal("55.5555555555555555"))
    trade(alice, m, exact, "a")

    taught = rounds.lesson(to(host, m, P.CLOSED, P.ANSWER, outcome=140))

    assert (taught["traders"], taught["traders_beaten"], taught["traders_tied"]) == (2, 1, 1)
    board = {row.player_id: row.score for row in queries.accuracy_leaderboard(m)}
    assert board[alice.pk] == taught["market"]


# -- the class's average first guess ------------------------------------------------------------------------


def test_the_class_average_is_the_mixture_of_the_guesses(host, market, alice, bob):
    """N(50, 10²) and N(250, 10²), answer 150: each guess put next to nothing there, so their mixture did.
    The normal matched to their mean and variance, N(150, 100.5²), would have beaten the starting forecast."""
    m = to(host, market, P.QUESTION, P.GUESS)
    services.submit_guess(alice, m.pk, Order("target", mean=50, sd=10))
    services.submit_guess(bob, m.pk, Order("target", mean=250, sd=10))
    m = to(host, m, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER, outcome=150)

    taught = rounds.lesson(m)

    def log_density(x: float, mean: float, sd: float) -> float:
        return -((x - mean) ** 2) / (2 * sd**2) - math.log(sd) - 0.5 * math.log(2 * math.pi)

    mixture = math.log((math.exp(log_density(150, 50, 10)) + math.exp(log_density(150, 250, 10))) / 2)
    assert taught["guess_average"] == pytest.approx(mixture - log_density(150, 100, 100), rel=1e-12)
    assert taught["guess_average"] < -45  # "the class's average first guess beat the starting forecast" no more
    assert taught["guess_error"] == pytest.approx(0)  # its middle, the mean of the middles, was right on 150


@pytest.mark.parametrize("include_bots", [False, True])
def test_practice_traders_are_in_the_counts_the_average_and_the_reveal_together(
    host, game, market, alice, bob, include_bots
):
    bot = services.join_game(game.join_code, "Robo")
    Player.objects.filter(pk=bot.pk).update(is_bot=True)
    services.set_include_bots(host, game, include_bots=include_bots)
    m = to(host, market, P.QUESTION, P.GUESS)
    services.submit_guess(alice, m.pk, Order("target", mean=150, sd=30))
    services.submit_guess(bob, m.pk, Order("target", mean=90, sd=60))
    services.submit_guess(bot, m.pk, Order("target", mean=290, sd=5))
    m = to(host, m, P.GUESSES)
    shown = rounds.guess_summary(m)
    m = to(host, m, P.TRADING)
    trade(alice, m, Order("target", mean=130, sd=40), "a")
    trade(bot, m, Order("target", mean=200, sd=50), "r")
    m = to(host, m, P.CLOSED, P.ANSWER, outcome=140)

    taught = rounds.lesson(m)

    people = {"guessers": 2, "traders": 1}
    everyone = {"guessers": 3, "traders": 2}
    assert {k: taught[k] for k in people} == (everyone if include_bots else people)
    # The strip shows the guesses the verdict averages: its dots, its count and its average's middle.
    middles = [90.0, 150.0, 290.0] if include_bots else [90.0, 150.0]
    assert (shown["count"], shown["middles"]) == (len(middles), middles)
    assert shown["average"] == pytest.approx(sum(middles) / len(middles))
    assert taught["guess_error"] == pytest.approx(abs(sum(middles) / len(middles) - 140))
    # The board of first guesses ranks the same seats, by the one ranking rule; a practice trader left out is
    # folded into its line.
    board = rounds.guess_leaderboard(m)
    assert (len(board), board.bots_left_out) == (len(middles), 3 - len(middles))


# -- an answer on the end of a 90 % range is inside -----------------------------------------------------------

# "90 % sure between low and high", answered exactly at an end. Under the old rule (doubles, Z90 as a float)
# one of the six guesses and three of the six last forecasts were counted outside.
ON_THE_END = [(200, 5000, 5000), (37, 913, 913), (3, 41, 3), (650, 1700, 1700), (200, 5000, 200), (12, 80, 80)]


def test_an_answer_on_the_end_of_a_range_is_inside_on_the_record_and_in_the_lesson(host):
    game = services.create_game(host, "Fermi")
    ana = services.join_game(game.join_code, "Ana")
    for n, (low, high, answer) in enumerate(ON_THE_END):
        market = services.add_market(host, game, question=f"Q{n}?", lo=1, hi=10**6, scale="log", liquidity=1)
        m = to(host, market, P.QUESTION, P.GUESS)
        services.submit_guess(ana, m.pk, Order("target", low=low, high=high))
        m = to(host, m, P.GUESSES, P.TRADING)
        trade(ana, m, Order("target", low=low, high=high), f"t{n}")
        m = to(host, m, P.CLOSED, P.ANSWER, outcome=answer)
        taught = rounds.lesson(m)
        assert (taught["guessers_inside"], taught["traders_inside"]) == (1, 1), (low, high, answer)

    (record,) = queries.class_record(host)

    assert (record.first_guess.inside, record.first_guess.count) == (6, 6)
    assert (record.last_forecast.inside, record.last_forecast.count) == (6, 6)
