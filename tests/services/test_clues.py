"""Private clues (docs/maths.md § Clues): drawn around the answer entered in advance, cᵢ = X + N(0, τ²) in the engine's
coordinate, one per seat from the first guesses (or trading) on, the same for a seed and a seat, independent
across seats; the host turns them on only with an answer and before any is out."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal

import pytest

from mmgame import services
from mmgame.market import MarketError
from mmgame.models import Clue, Market
from mmgame.services.clues import draw, noise_sd

pytestmark = pytest.mark.django_db

P = Market.Phase


def now(market: Market) -> Market:
    return Market.objects.get(pk=market.pk)


def clues_of(market: Market) -> dict[int, Decimal]:
    return dict(Clue.objects.filter(market=market).values_list("player_id", "value"))


def step(host, market: Market, *phases: str) -> Market:
    for phase in phases:
        services.step_market(host, market.pk, phase=phase, confirm=True)
    return now(market)


@pytest.fixture
def clued(host, game):
    """A linear market with its answer entered in advance and clues of ±10 %: τ = 10 % of 150 = 15."""
    market = services.add_market(host, game, question="How many beans?", lo=0, hi=300, answer=150)
    return services.set_clues(host, market.pk, noise=10)


@pytest.fixture
def clued_log(host, game):
    """A log market of answer 1,000 with clues of ±15 %: τ = ln 1.15 in ln x."""
    market = services.add_market(
        host, game, question="How many people?", lo=10, hi=100_000, scale="log", answer=1000, first_guess=False
    )
    return services.set_clues(host, market.pk, noise=15)


# -- handed out -------------------------------------------------------------------------------------------


def test_no_clue_is_handed_out_before_the_first_guesses(host, clued, alice, bob):
    step(host, clued, P.QUESTION)
    assert clues_of(clued) == {}


def test_every_seat_gets_its_clue_when_the_first_guesses_open(host, clued, alice, bob):
    step(host, clued, P.QUESTION, P.GUESS)
    assert set(clues_of(clued)) == {alice.pk, bob.pk}


def test_a_market_without_first_guesses_hands_them_out_when_trading_opens(host, clued_log, alice, bob):
    market = step(host, clued_log, P.QUESTION)
    assert clues_of(market) == {}
    step(host, market, P.TRADING)
    assert set(clues_of(market)) == {alice.pk, bob.pk}


def test_a_late_joiner_gets_a_clue_too(host, game, clued, alice):
    step(host, clued, P.QUESTION, P.GUESS, P.GUESSES, P.TRADING)
    carol = services.join_game(game.join_code, "Carol")
    assert set(clues_of(clued)) == {alice.pk, carol.pk}
    assert clues_of(clued)[carol.pk] == draw(now(clued), carol.pk)


def test_a_joiner_before_the_clues_are_out_gets_none_until_they_are(host, game, clued):
    step(host, clued, P.QUESTION)
    carol = services.join_game(game.join_code, "Carol")
    assert clues_of(clued) == {}
    step(host, clued, P.GUESS)
    assert set(clues_of(clued)) == {carol.pk}


def test_a_kicked_seat_gets_no_clue(host, clued, alice, bob):
    services.kick_player(host, bob)
    step(host, clued, P.QUESTION, P.GUESS)
    assert set(clues_of(clued)) == {alice.pk}


def test_a_market_without_clues_hands_none_out(host, game, alice):
    market = services.add_market(host, game, question="How tall?", lo=0, hi=10, answer=5)
    step(host, market, P.QUESTION, P.GUESS)
    assert clues_of(market) == {}


def test_stepping_on_does_not_draw_a_clue_again(host, clued, alice):
    first = clues_of(step(host, clued, P.QUESTION, P.GUESS))
    assert clues_of(step(host, clued, P.GUESSES, P.TRADING)) == first


# -- drawn ------------------------------------------------------------------------------------------------


def test_a_clue_is_the_same_for_the_same_seed_and_seat(clued):
    assert draw(clued, 7) == draw(now(clued), 7)


def test_another_seed_draws_other_clues(clued):
    other = now(clued)
    other.clue_seed += 1
    assert [draw(clued, seat) for seat in range(5)] != [draw(other, seat) for seat in range(5)]


def test_clues_are_independent_across_seats_with_mean_error_zero_and_sd_tau(clued):
    """4,000 seats of one seed: the errors' mean is within 4 standard errors of 0, their sd within 5 % of τ,
    and neighbouring seats' errors are uncorrelated."""
    tau = noise_sd(clued)
    assert tau == pytest.approx(15)
    errors = [float(draw(clued, seat)) - 150 for seat in range(1, 4001)]
    assert abs(statistics.fmean(errors)) < 4 * tau / math.sqrt(len(errors))
    assert statistics.stdev(errors) == pytest.approx(tau, rel=0.05)
    assert abs(statistics.correlation(errors[:-1], errors[1:])) < 4 / math.sqrt(len(errors))


def test_a_log_market_draws_its_clues_in_ln_x(clued_log):
    tau = noise_sd(clued_log)
    assert tau == pytest.approx(math.log(1.15))
    errors = [math.log(float(draw(clued_log, seat))) - math.log(1000) for seat in range(1, 4001)]
    assert abs(statistics.fmean(errors)) < 4 * tau / math.sqrt(len(errors))
    assert statistics.stdev(errors) == pytest.approx(tau, rel=0.05)


def test_an_absolute_noise_is_tau_in_the_unit(host, clued):
    market = services.set_clues(host, clued.pk, noise=20, kind="absolute")
    assert noise_sd(market) == 20


def test_the_noise_is_the_same_whatever_the_answer(host, game):
    """τ comes from public numbers alone (a percent of the starting middle on a linear market, an amount in
    the unit as a factor of the starting median on a log one): were it |X|·p, a belief's spread built on a
    clue would give the answer away (docs/practice-traders.md)."""
    for kind, noise, shape in (
        ("percent", 10, {"lo": 0, "hi": 300}),
        ("absolute", 20, {"lo": 0, "hi": 300}),
        ("percent", 15, {"lo": 10, "hi": 100_000, "scale": "log"}),
        ("absolute", 150, {"lo": 10, "hi": 100_000, "scale": "log"}),
    ):
        taus = set()
        for answer in (40, 150, 290):
            market = services.add_market(host, game, question="How many?", answer=answer, **shape)
            taus.add(noise_sd(services.set_clues(host, market.pk, noise=noise, kind=kind)))
        assert len(taus) == 1, (kind, shape, taus)
    assert taus.pop() == pytest.approx(math.log1p(150 / 1000))  # the log market's starting median: √(10·100,000)


def test_percent_clues_on_a_question_whose_middle_is_near_0_are_refused(host, game):
    """A weather question at 0 °C: a percent of the answer (or of a middle near 0) is no error at all, and
    every clue would say 0.0; the host is told to give the error in the unit."""
    market = services.add_market(host, game, question="Noon temperature?", unit="°C", lo=-20, hi=20, answer=0)
    with pytest.raises(MarketError) as refused:
        services.set_clues(host, market.pk, noise=15)
    assert refused.value.details["field"] == "clue_noise"
    assert "in the unit" in refused.value.message
    assert now(market).clue_noise is None
    with pytest.raises(MarketError):
        services.add_market(host, game, question="Again?", lo=-20, hi=20, answer=0, clue_noise=15)
    market = services.set_clues(host, market.pk, noise=2, kind="absolute")  # ±2 °C: fine
    assert len({draw(market, seat) for seat in range(1, 21)}) > 10


def test_percent_clues_on_an_answer_of_0_are_not_all_0(host, game):
    """The answer at 0 °C on a question whose starting middle is 10 °C: each clue is off by about 15 % of
    10 °C, not 15 % of 0."""
    market = services.add_market(host, game, question="Noon temperature?", unit="°C", lo=-10, hi=30, answer=0)
    market = services.set_clues(host, market.pk, noise=15)
    assert noise_sd(market) == pytest.approx(1.5)
    clues = [float(draw(market, seat)) for seat in range(1, 201)]
    assert len(set(clues)) > 100
    assert statistics.stdev(clues) == pytest.approx(1.5, rel=0.2)


def test_a_clue_stays_in_the_range(host, game):
    market = services.add_market(host, game, question="How many?", lo=0, hi=10, answer=9.9)
    market = services.set_clues(host, market.pk, noise=500)
    assert all(0 <= draw(market, seat) <= 10 for seat in range(200))


# -- turning clues on -------------------------------------------------------------------------------------


def test_clues_need_the_answer_entered_in_advance(host, market):
    with pytest.raises(MarketError) as refused:
        services.set_clues(host, market.pk, noise=15)
    assert refused.value.details["field"] == "answer"
    assert now(market).clue_noise is None


@pytest.mark.parametrize("noise", [0, -5, float("nan"), float("inf"), "15", True, 1001])
def test_a_noise_that_is_not_a_positive_number_is_refused(host, clued, noise):
    with pytest.raises(MarketError) as refused:
        services.set_clues(host, clued.pk, noise=noise)
    assert refused.value.details["field"] == "clue_noise"
    assert now(clued).clue_noise == 10


def test_a_noise_kind_other_than_percent_or_absolute_is_refused(host, clued):
    with pytest.raises(MarketError) as refused:
        services.set_clues(host, clued.pk, noise=5, kind="factor")
    assert refused.value.details["field"] == "clue_noise_kind"


def test_clues_cannot_change_once_they_are_out(host, clued, alice):
    step(host, clued, P.QUESTION, P.GUESS)
    for noise in (20, None):
        with pytest.raises(services.InvalidTransition):
            services.set_clues(host, clued.pk, noise=noise)
    assert now(clued).clue_noise == 10


def test_another_host_finds_no_market_to_set_clues_on(other_host, clued):
    with pytest.raises(services.NotFound):
        services.set_clues(other_host, clued.pk, noise=20)


def test_clues_can_be_turned_off_before_they_are_out(host, clued, alice):
    services.set_clues(host, clued.pk, noise=None)
    assert clues_of(step(host, clued, P.QUESTION, P.GUESS)) == {}


def test_clearing_the_answer_turns_the_clues_off_before_they_are_out(host, clued, alice):
    services.set_answer(host, clued.pk, None)
    assert now(clued).clue_noise is None
    assert clues_of(step(host, clued, P.QUESTION, P.GUESS)) == {}


def test_the_answer_the_clues_were_drawn_around_cannot_be_cleared(host, clued, alice):
    step(host, clued, P.QUESTION, P.GUESS)
    with pytest.raises(services.InvalidTransition):
        services.set_answer(host, clued.pk, None)
    assert now(clued).answer == 150


def test_a_new_market_may_hand_out_clues_with_its_answer(host, game):
    market = services.add_market(
        host, game, question="How far?", lo=0, hi=100, answer=40, clue_noise=5, clue_noise_kind="absolute"
    )
    assert (market.clue_noise, market.clue_noise_kind) == (5, "absolute")
    assert market.clue_seed != 0


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"clue_noise": 15}, "answer"),
        ({"clue_noise": 0, "answer": 4}, "clue_noise"),
        ({"clue_noise": "x", "answer": 4}, "clue_noise"),
        ({"clue_noise": 15, "clue_noise_kind": "lots", "answer": 4}, "clue_noise_kind"),
    ],
)
def test_a_new_market_refuses_clues_as_set_clues_does(host, game, options, field):
    with pytest.raises(MarketError) as refused:
        services.add_market(host, game, question="How far?", lo=0, hi=100, **options)
    assert refused.value.details["field"] == field
    assert not Market.objects.filter(game=game).exists()
