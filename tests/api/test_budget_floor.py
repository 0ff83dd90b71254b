"""A budget is at least one point, in the service, over the API and in the host's form (docs/lesson-numbers.md):
below one point the ledger's exactness is no longer relative to the budget, and no screen shows the points."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame import services
from mmgame.market import InvalidNumber
from mmgame.models import Market
from mmgame.services.games import budget_of

pytestmark = pytest.mark.django_db

TINY = [0.5, 1e-6, 0.999999]


@pytest.mark.parametrize("budget", TINY)
def test_the_service_refuses_a_budget_below_one_point(host, game, budget):
    with pytest.raises(InvalidNumber) as refused:
        services.add_market(host, game, question="How many?", lo=0, hi=100, budget=budget)

    assert refused.value.details["field"] == "budget"
    assert "at least 1 point" in refused.value.message
    assert not Market.objects.exists()


def test_one_point_is_enough(host, game):
    market = services.add_market(host, game, question="How many?", lo=0, hi=100, budget=1)

    assert market.budget == 1.0


@pytest.mark.parametrize("budget", TINY)
def test_the_api_refuses_a_budget_below_one_point(host_api, game, budget):
    body = {"question": "Q?", "lo": 0, "hi": 10, "budget": budget}

    response = host_api.post(f"/api/games/{game.join_code}/markets", body)

    assert 400 <= response.status_code < 500
    refusal = response.json()
    assert (refusal["code"], refusal["field"]) == ("invalid_number", "budget")
    assert not Market.objects.exists()


@pytest.mark.parametrize("budget", ["0.5", "0.000001"])
def test_the_form_refuses_a_budget_below_one_point(client, host, game, budget):
    client.force_login(host)

    response = client.post(
        reverse("web:new_market", args=[game.pk]),
        {"question": "Q", "lo": "0", "hi": "10", "liquidity": "normal", "budget": budget},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["budget"] == [
        "The budget is at least 1 point and at most 1,000,000,000 points."
    ]
    assert not game.markets.exists()


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.floats(min_value=0, max_value=1, exclude_max=True)
    | st.floats(max_value=0)
    | st.floats(min_value=1e9, exclude_min=True)
)
def test_every_budget_below_one_point_or_above_a_billion_is_refused(budget):
    with pytest.raises(InvalidNumber):
        budget_of(budget)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.floats(min_value=1, max_value=1e9))
def test_every_budget_from_one_point_to_a_billion_is_taken_as_it_is(budget):
    assert budget_of(budget) == budget
