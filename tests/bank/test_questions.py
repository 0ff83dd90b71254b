"""The built-in bank (mmgame/bank/questions.json): every entry is a market the game can run, with a right
answer well inside its range and a source for it."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from mmgame import bank, services
from mmgame.market import Refused
from mmgame.models import Market

QUESTIONS = bank.questions()


def position(question: bank.Question, value: Decimal) -> float:
    """Where a value lies in the question's range, from 0 (lo) to 1 (hi), in the scale's coordinate."""
    if question.scale == "log":
        return (math.log(value) - math.log(question.lo)) / (math.log(question.hi) - math.log(question.lo))
    return float((value - question.lo) / (question.hi - question.lo))


def test_the_bank_holds_at_least_forty_questions():
    assert len(QUESTIONS) >= 40


def test_every_category_is_a_known_one_and_every_category_has_questions():
    assert {q.category for q in QUESTIONS} == set(bank.CATEGORIES)


def test_no_question_is_asked_twice():
    texts = [q.question.casefold() for q in QUESTIONS]
    assert len(texts) == len(set(texts))
    keys = [q.key for q in QUESTIONS]
    assert len(keys) == len(set(keys))
    assert all(key.startswith(q.category + "-") for key, q in zip(keys, QUESTIONS, strict=True))


@pytest.mark.parametrize("question", [q for q in QUESTIONS if not q.teacher_answers], ids=lambda q: q.key)
def test_every_question_with_a_known_answer_has_the_answer_and_a_source(question):
    assert question.answer is not None
    assert len(question.source) >= 10, "a source names the publication or organisation"
    assert any(ch.isdigit() for ch in question.source) or "NASA" in question.source, "and a year or figure"


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.teacher_answers], ids=lambda q: q.key)
def test_questions_in_the_room_and_on_the_weather_leave_the_answer_to_the_teacher(question):
    assert question.answer is None
    assert question.source == ""


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.answer is not None], ids=lambda q: q.key)
def test_every_answer_lies_well_inside_its_range_and_not_at_its_middle(question):
    # The market starts at the middle of its range: an answer there would be given away by the prior.
    where = position(question, question.answer)
    assert 0.05 <= where <= 0.95, where
    assert abs(where - 0.5) >= 0.05, where


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.key)
def test_every_question_is_a_kind_and_scale_the_game_knows(question):
    assert question.kind in Market.Kind.values
    assert question.scale in Market.Scale.values
    assert question.lo < question.hi
    if question.scale == "log":
        assert question.lo > 0
        assert question.hi / question.lo >= 100, "a log scale is for ranges spanning orders of magnitude"
    if question.kind != "measure" and question.answer is not None:
        assert question.answer == question.answer.to_integral_value()


@pytest.mark.django_db
def test_every_question_makes_a_market_with_its_answer_entered_in_advance(host, game):
    """Through add_market as a host would call it; one game for all (a host account per entry is slow)."""
    refused, differ = {}, {}
    for question in QUESTIONS:
        try:
            market = services.add_market(
                host,
                game,
                question=question.question,
                lo=question.lo,
                hi=question.hi,
                unit=question.unit,
                kind=question.kind,
                scale=question.scale,
                answer=question.answer,
                first_guess=True,
            )
        except Refused as error:
            refused[question.key] = error.message
            continue
        market.refresh_from_db()
        stored = (market.question, market.unit, market.kind, market.scale, market.lo, market.hi, market.answer)
        wanted = (question.question, question.unit, question.kind, question.scale, question.lo, question.hi)
        if stored != (*wanted, question.answer) or not market.first_guess:  # the answer exact, not clamped
            differ[question.key] = stored
    assert refused == {}
    assert differ == {}
    assert game.markets.count() == len(QUESTIONS)


# A few answers checked against the facts they come from, so that a slip in the data file shows here.
WELL_KNOWN = {
    "science-speed-of-light": Decimal("299792.458"),
    "science-moon-distance": Decimal("384400"),
    "geography-everest": Decimal("8848.86"),
    "history-printing-press": Decimal("1440"),
    "history-moon-landing": Decimal("1969"),
    "science-absolute-zero": Decimal("-273.15"),
    "fermi-seconds-in-a-year": Decimal(60 * 60 * 24 * 365),
    "fermi-heartbeats-a-day": Decimal(70 * 60 * 24),
    "fermi-seconds-lived": Decimal(12 * 36525 * 864),
}


@pytest.mark.parametrize(("key", "answer"), WELL_KNOWN.items())
def test_well_known_answers_are_right(key, answer):
    assert bank.by_key(key).answer == answer


def test_derived_answers_agree_with_the_constants_they_come_from():
    au = bank.by_key("science-sun-distance").answer
    c = bank.by_key("science-speed-of-light").answer
    assert round(au / c) == bank.by_key("science-sunlight-time").answer
    assert abs(2 * Decimal(math.pi) * au / bank.by_key("fermi-earth-orbit").answer - 1) < Decimal("0.001")
