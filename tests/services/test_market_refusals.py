"""Every rule a new market breaks, named at once (services.market_refusals): what the host's form shows, from
the same checks add_market makes, so that the form states no rule of its own."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.market import Refused
from mmgame.models import Market

pytestmark = pytest.mark.django_db

SOUND = {"question": "How many beans?", "lo": 0, "hi": 300}


def fields(refusals: list[Refused]) -> list[tuple[str, str]]:
    return [(refusal.details["field"], refusal.rule) for refusal in refusals]


def test_a_sound_market_breaks_no_rule():
    assert services.market_refusals(**SOUND) == []


def test_rules_that_do_not_hide_each_other_are_all_named():
    refusals = services.market_refusals(**SOUND, budget=0, prior_mean=900, sd_min=0.001)

    assert fields(refusals) == [("budget", "budget"), ("sd_min", "narrowest"), ("prior_mean", "inside_range")]


def test_a_refused_range_hides_what_is_checked_against_it():
    refusals = services.market_refusals(**{**SOUND, "lo": 400}, prior_mean=900)

    assert fields(refusals) == [("hi", "lo_below_hi")]


def test_add_market_refuses_with_the_first_of_them(host, game):
    arguments = {**SOUND, "budget": 0, "prior_mean": 900}
    first = services.market_refusals(**arguments)[0]

    with pytest.raises(Refused) as refused:
        services.add_market(host, game, **arguments)

    assert (refused.value.code, refused.value.details, refused.value.rule) == (first.code, first.details, first.rule)
    assert not Market.objects.exists()


def test_the_end_that_is_not_whole_is_the_one_named():
    refusals = services.market_refusals(**{**SOUND, "hi": 300.5}, kind="count")

    assert fields(refusals) == [("hi", "whole_ends")]
