"""The round's table (mmgame.round): the one place that says what follows what, what each phase allows, and the
statuses beside the phases; the database's own constraint and the model's choices agree with it."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from mmgame import round
from mmgame.models import Market
from mmgame.round import ANSWER, CLOSED, DRAFT, GUESS, GUESSES, LESSON, QUESTION, TRADING, Facts

WITH_GUESSES = Facts(first_guess=True)
GUESSED = Facts(first_guess=True, guessed=True)
NO_GUESSES = Facts(first_guess=False)


def walk(facts: Facts) -> list[str]:
    """Every phase Next visits from the draft."""
    phases = [DRAFT]
    while (following := round.next_phase(phases[-1], facts)) is not None:
        phases.append(following)
    return phases


def test_next_walks_every_phase_in_order_with_first_guesses():
    assert walk(WITH_GUESSES) == [DRAFT, QUESTION, GUESS, GUESSES, TRADING, CLOSED, ANSWER, LESSON]


def test_next_skips_the_first_guesses_where_the_market_asks_for_none():
    assert walk(NO_GUESSES) == [DRAFT, QUESTION, TRADING, CLOSED, ANSWER, LESSON]


def test_what_follows_the_answer_is_the_lesson_and_nothing_follows_the_lesson():
    assert round.next_phase(ANSWER, WITH_GUESSES) == LESSON
    assert round.next_phase(LESSON, WITH_GUESSES) is None


@pytest.mark.parametrize(
    ("phase", "facts", "back"),
    [
        (DRAFT, WITH_GUESSES, None),
        (QUESTION, WITH_GUESSES, None),
        (GUESS, WITH_GUESSES, QUESTION),
        (GUESSES, GUESSED, None),  # the reveal cannot be taken back
        (TRADING, GUESSED, GUESSES),
        (TRADING, WITH_GUESSES, QUESTION),  # no guess to show again
        (TRADING, NO_GUESSES, QUESTION),
        (TRADING, Facts(first_guess=True, guessed=True, traded=True), None),  # a trade cannot be undone
        (CLOSED, GUESSED, TRADING),
        (ANSWER, GUESSED, None),
        (LESSON, GUESSED, ANSWER),
    ],
)
def test_back_goes_only_where_nothing_irreversible_happened(phase, facts, back):
    assert round.back_phase(phase, facts) == back


def test_revealing_asks_first_but_back_to_a_known_answer_does_not():
    assert round.needs_confirm(GUESSES, back=False) and round.needs_confirm(ANSWER, back=False)
    assert round.needs_confirm(GUESSES, back=True)  # guesses taken, never revealed, then back to them
    assert not round.needs_confirm(ANSWER, back=True)
    assert not any(round.needs_confirm(p, back=False) for p in (QUESTION, GUESS, TRADING, CLOSED, LESSON))


def test_forward_may_skip_the_first_guesses_but_never_a_reveal():
    assert round.goes_forward(QUESTION, TRADING, WITH_GUESSES)
    assert not round.goes_forward(QUESTION, GUESS, NO_GUESSES)
    assert not round.goes_forward(GUESS, TRADING, WITH_GUESSES)
    assert not round.goes_forward(CLOSED, LESSON, WITH_GUESSES)


def test_a_countdown_closes_open_trading_or_stops_first_guesses_and_nothing_else():
    assert round.timer(TRADING, round.OPEN) == round.CLOSES
    assert round.timer(GUESS, round.DRAFT) == round.STOPS_GUESSES
    assert round.timer(TRADING, round.PAUSED) is None
    assert [p for p in round.PHASES if round.timer(p, round.status_of(p))] == [GUESS, TRADING]


def test_past_its_countdown_an_open_market_reads_closed():
    assert round.shown(round.OPEN, TRADING, overdue=True) == (round.CLOSED, CLOSED)
    assert round.shown(round.OPEN, TRADING, overdue=False) == (round.OPEN, TRADING)
    assert round.shown(round.DRAFT, GUESS, overdue=True) == (round.DRAFT, GUESS)  # the guesses stop; no status


def test_the_host_opens_pauses_and_closes_in_the_order_trading_allows():
    assert round.may_set(round.OPEN, now=round.DRAFT) and round.may_set(round.OPEN, now=round.PAUSED)
    assert round.may_set(round.CLOSED, now=round.PAUSED) and round.may_set(round.RESOLVED, now=round.CLOSED)
    assert not round.may_set(round.PAUSED, now=round.CLOSED)
    assert not round.may_set(round.RESOLVED, now=round.OPEN)
    assert [s for s, row in round.STATUSES.items() if row.set_by_host] == [round.OPEN, round.PAUSED, round.CLOSED]


def test_steps_tell_a_screen_what_the_host_may_do_next():
    assert round.steps(CLOSED, round.CLOSED, GUESSED) == {
        "next": ANSWER,
        "next_confirm": True,
        "back": TRADING,
        "back_confirm": False,
        "timer": None,
        "over": False,
    }
    assert round.steps(LESSON, round.RESOLVED, GUESSED)["next"] is None
    assert round.steps(LESSON, round.RESOLVED, GUESSED)["over"] is True


def test_what_each_phase_allows():
    assert round.where("guess") == (GUESS,)
    assert round.where("clues") == (GUESS, GUESSES, TRADING, CLOSED, ANSWER, LESSON)
    assert round.where("guesses_shown") == (GUESSES, TRADING, CLOSED, ANSWER, LESSON)
    assert round.where("answer_shown") == (ANSWER, LESSON)
    assert [p for p, row in round.PHASES.items() if not row.shown] == [DRAFT]


def test_every_step_of_the_table_leads_to_a_phase_of_the_table():
    for row in round.PHASES.values():
        assert set(row.next) | set(row.back) <= set(round.PHASES)
        assert set(row.statuses) <= set(round.STATUSES)
    for row in round.STATUSES.values():
        assert row.phase in round.PHASES and row.name in round.PHASES[row.phase].statuses


def test_the_models_choices_are_the_tables():
    assert Market.Phase.values == list(round.PHASES)
    assert Market.Status.values == list(round.STATUSES)


@pytest.mark.django_db
def test_the_database_allows_exactly_the_statuses_the_table_gives_each_phase(market):
    """The schema's constraint (market_phase_matches_status) and the table say the same, pair by pair."""
    allowed = {(status, phase) for phase, row in round.PHASES.items() for status in row.statuses}
    refused = []
    for status, phase in itertools.product(round.STATUSES, round.PHASES):
        resolved = status == round.RESOLVED
        fields = {"outcome": Decimal(5) if resolved else None, "house_result": 0.0 if resolved else None}
        try:
            with transaction.atomic():
                Market.objects.filter(pk=market.pk).update(
                    status=status, phase=phase, resolved_at=market.created_at if resolved else None, **fields
                )
        except IntegrityError:
            refused.append((status, phase))
    assert set(refused) == set(itertools.product(round.STATUSES, round.PHASES)) - allowed
