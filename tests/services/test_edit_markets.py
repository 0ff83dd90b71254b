"""A teacher edits and reorders the questions before the class sees them; once shown they stay (#25 item 4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import services
from mmgame.market import MarketError
from mmgame.models import Market

from .test_delete_market import add, numbered

pytestmark = pytest.mark.django_db


def test_an_edit_replaces_every_field_the_add_form_sets(host, game, market):
    services.update_market(
        host,
        market.pk,
        question="How many red beans?",
        unit="beans",
        kind="count",
        lo=100,
        hi=900,
        prior_mean=400,
        prior_sd=150,
        first_guess=False,
        answer=512,
        clue_noise=10,
        explanation="12 rows of 40.",
        source="Counted",
    )

    market.refresh_from_db()
    assert (market.question, market.unit, market.kind, market.integer) == (
        "How many red beans?",
        "beans",
        "count",
        True,
    )
    assert (market.lo, market.hi, market.prior_mean, market.prior_sd) == (100, 900, 400, 150)
    assert (market.first_guess, Decimal(market.answer), market.clue_noise) == (False, 512, 10)
    assert market.clue_seed != 0  # clues turned on draw from a seed of their own
    assert (market.explanation, market.source) == ("12 rows of 40.", "Counted")
    assert market.sequence == 1


def test_an_edit_breaking_a_rule_is_refused_with_its_field_and_changes_nothing(host, market):
    with pytest.raises(MarketError) as refused:
        services.update_market(host, market.pk, question="Beans?", lo=10, hi=5)

    assert refused.value.details["field"] == "hi"
    market.refresh_from_db()
    assert (market.question, market.hi, market.sequence) == ("How many jelly beans?", 300, 0)


def test_a_market_once_shown_is_not_edited(host, market):
    services.show_market(host, market.pk)

    with pytest.raises(services.MarketShown) as refused:
        services.update_market(host, market.pk, question="Changed?", lo=0, hi=10)

    assert refused.value.code == "market_shown"
    assert Market.objects.get(pk=market.pk).question == "How many jelly beans?"


def test_another_host_finds_no_market_to_edit(other_host, market):
    with pytest.raises(services.NotFound):
        services.update_market(other_host, market.pk, question="Mine?", lo=0, hi=10)
    assert Market.objects.get(pk=market.pk).question == "How many jelly beans?"


def test_reordering_renumbers_the_drafts_and_announces_each_move(
    host, game, market, django_capture_on_commit_callbacks
):
    second, third = add(host, game, "Second?"), add(host, game, "Third?")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.reorder_markets(host, game, [third.pk, market.pk, second.pk])

    assert numbered(game) == [(1, "Third?"), (2, "How many jelly beans?"), (3, "Second?")]
    assert len(callbacks) == 3  # every market moved: each host screen is sent its new number


def test_a_shown_market_keeps_its_number_and_the_drafts_take_theirs(host, game, market):
    second, third = add(host, game, "Second?"), add(host, game, "Third?")
    services.show_market(host, second.pk)  # shown out of turn: #2 stays #2

    services.reorder_markets(host, game, [third.pk, market.pk])

    assert numbered(game) == [(1, "Third?"), (2, "Second?"), (3, "How many jelly beans?")]


def test_drafts_swap_below_shown_markets_of_higher_numbers(host, game, market):
    second = add(host, game, "Second?")
    later = [add(host, game, f"Later {i}?") for i in range(3)]
    for shown in later:  # #3, #4 and #5 shown before #1 and #2
        services.show_market(host, shown.pk, close_others=True)

    services.reorder_markets(host, game, [second.pk, market.pk])  # parked above #5, not on it

    assert numbered(game) == [
        (1, "Second?"),
        (2, "How many jelly beans?"),
        (3, "Later 0?"),
        (4, "Later 1?"),
        (5, "Later 2?"),
    ]


@pytest.mark.parametrize(
    "order",
    [
        pytest.param(lambda m, s, t: [t, m], id="one missing"),
        pytest.param(lambda m, s, t: [t, m, s, s], id="one twice"),
        pytest.param(lambda m, s, t: [t, m, s, 999999], id="one of no such market"),
    ],
)
def test_a_stale_order_is_refused_and_nothing_moves(host, game, market, order):
    second, third = add(host, game, "Second?"), add(host, game, "Third?")

    with pytest.raises(services.StaleOrder) as refused:
        services.reorder_markets(host, game, order(market.pk, second.pk, third.pk))

    assert refused.value.code == "stale_order"
    assert numbered(game) == [(1, "How many jelly beans?"), (2, "Second?"), (3, "Third?")]


def test_an_order_naming_a_shown_market_is_stale(host, game, market):
    second = add(host, game, "Second?")
    services.show_market(host, market.pk)

    with pytest.raises(services.StaleOrder):
        services.reorder_markets(host, game, [second.pk, market.pk])
    assert numbered(game) == [(1, "How many jelly beans?"), (2, "Second?")]


@pytest.mark.parametrize("ids", [["1"], [True], "12", None, [1.5]])
def test_garbage_ids_are_refused(host, game, market, ids):
    with pytest.raises(MarketError) as refused:
        services.reorder_markets(host, game, ids)
    assert refused.value.details["field"] == "markets"


def test_another_hosts_game_is_not_reordered(other_host, game, market):
    with pytest.raises(services.NotFound):
        services.reorder_markets(other_host, game, [market.pk])
