"""The defaults fit how a class forecasts (benchmarks/classroom.py, README "Choosing liquidity"): a screen of
a few questions on the engine, asserting the targets, and one class played through the real service, which
must store exactly what the engine settles."""

from __future__ import annotations

import math

import pytest

from benchmarks import classroom
from mmgame.market import GaussianMarket
from mmgame.services.games import DEFAULT_BUDGET, LIQUIDITY

# A linear measure with a far edge (the speed of sound), a count, a log count, a year, a temperature
# near zero, the demo and a starting question of the form.
SCREENED = [
    "science-speed-of-sound",
    "science-bones",
    "geography-world-population",
    "history-printing-press",
    "weather-high",
    "demo",
    "preset-bacterium",
]
QUESTIONS = {q.key: q for q in classroom.questions()}


@pytest.fixture(scope="module")
def screened() -> list[classroom.Played]:
    return classroom.run([QUESTIONS[key] for key in SCREENED], [25])


def test_typical_students_trades_are_stored_as_typed(screened):
    s = classroom.summary(screened)
    assert s.as_typed >= 0.9
    assert s.worst_question[1] >= 0.8, s.worst_question


def test_nine_in_ten_typical_students_make_three_trades_as_typed(screened):
    assert classroom.summary(screened).three >= 0.9


def test_every_refusal_of_a_typical_student_leaves_an_affordable_trade_of_the_same_middle(screened):
    """Refused for collateral, a typical student can still trade their own middle: wider, affordable, settled
    when taken. (Students who type an edge have no fair curve there and are counted apart; an overconfident
    one whose budget is spent where others moved the market may have none, rarely.)"""
    assert sum(p.typical_refusals for p in screened) > 0, "the screen must see refusals to check them"
    assert all(p.typical_offered == p.typical_refusals for p in screened), [(p.key, p.failures) for p in screened]
    assert classroom.summary(screened).offered >= 0.95


def test_every_refusal_names_a_trade_of_the_typed_middle_or_says_there_is_none(screened):
    """The refusal's own `offer` (mmgame.services.offers, as the service attaches it) keeps the typed middle
    exactly and settles when taken, wherever a trade of that middle is affordable; where none is, it says so
    (`middle_unaffordable`), and the screen's own search finds none either."""
    s = classroom.summary(screened)
    assert s.named == 1.0 and s.unexplained == 0, [(p.key, p.failures) for p in screened]


def test_a_students_profit_follows_their_forecasts_score(screened):
    assert classroom.summary(screened).spearman >= 0.6


def test_the_house_bound_of_a_default_market_is_at_most_177_points_and_never_reaches_it(screened):
    assert all(p.house_bound <= 177 for p in screened)
    assert all(p.house_result <= p.house_bound for p in screened)


def test_a_default_markets_bound_is_the_stakes_times_its_rules_alone():
    """b·[ln(σ₀/σ_min) + D²/(2σ₀²)] with σ₀ a quarter of the range and σ_min 1/200 of it: 5.91·b, the answer
    nowhere in it."""
    market = classroom.Engine(QUESTIONS["science-speed-of-sound"], LIQUIDITY["normal"], DEFAULT_BUDGET).market
    assert isinstance(market, GaussianMarket)
    assert market.subsidy() == pytest.approx(LIQUIDITY["normal"] * (math.log(50) + 2))


@pytest.mark.django_db
def test_a_class_through_the_service_stores_what_the_engine_settles():
    """Eight students on the speed of sound through mmgame.services.place_trade: the same trades as typed,
    the same refusals and offers taken, the same profits (to 10⁻⁹ points) as the engine's screen."""
    question = QUESTIONS["science-speed-of-sound"]
    seed = classroom.seed_of(question.key, 8, 0)
    engine = classroom.play(question, 8, classroom.Engine(question, LIQUIDITY["normal"], DEFAULT_BUDGET), seed)
    service = classroom.play(question, 8, classroom.Service(question, None, None), seed)
    assert service.typical_as_typed == engine.typical_as_typed >= 0.8 * engine.typical_trades
    assert service.collateral_refusals == engine.collateral_refusals
    assert service.typical_offered == service.typical_refusals
    assert (service.named, service.impossible) == (engine.named, engine.impossible)  # the same offers, taken
    assert service.profits == pytest.approx(engine.profits, abs=1e-9)
    assert service.house_result == pytest.approx(engine.house_result, abs=1e-9)


@pytest.mark.django_db
def test_the_services_refusal_names_an_affordable_trade_of_the_same_middle():
    """Each collateral refusal in a class of 25 on the speed of sound carries an `offer` of the typed middle
    that settles as named (docs/protocol.md). The offer is the `words` work (mmgame/services/offers.py)."""
    pytest.importorskip("mmgame.services.offers", reason="the refusal's `offer` comes with mmgame.services.offers")
    question = QUESTIONS["science-speed-of-sound"]
    played = classroom.play(
        question, 25, classroom.Service(question, None, None), classroom.seed_of(question.key, 25, 0)
    )
    assert played.collateral_refusals > 0
    assert played.named + played.impossible == played.collateral_refusals and played.unexplained == 0, played.failures
