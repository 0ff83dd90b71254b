"""Refusals write a market's quantities as its screens do: "between 0 m and 10 µm", not "[0, 1e-05]"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import services
from mmgame.market import InvalidCurve, Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def bacterium(host, game):
    market = services.add_market(host, game, question="Length of E. coli?", unit="m", lo=0, hi=Decimal("0.00001"))
    return services.open_market(host, market.pk)


def test_a_forecast_outside_the_range_is_refused_in_the_markets_unit(bacterium, alice):
    with pytest.raises(InvalidCurve) as refused:
        services.place_trade(alice, bacterium.pk, Order("target", mean=2e-5, sd=1e-6), idempotency_key="k1")

    assert refused.value.message == "the mean must lie between 0 m and 10 µm"


def test_a_forecast_narrower_than_sigma_min_names_it_in_the_markets_unit(bacterium, alice):
    with pytest.raises(InvalidCurve) as refused:
        services.place_trade(alice, bacterium.pk, Order("target", mean=5e-6, sd=1e-9), idempotency_key="k2")

    message = refused.value.message
    assert message.startswith("the spread σ must be at least 50 nm; the nearest you can afford is 5.00 µm ±")
    assert refused.value.details["offer"]["reason"] == "unaffordable"  # sharp enough to be beyond the budget


def test_sigma_min_on_a_count_is_written_with_its_half(host, game):
    with pytest.raises(InvalidCurve) as refused:
        services.add_market(host, game, question="Beans?", unit="beans", kind="count", lo=0, hi=300, sd_min=0.2)

    assert "at least 0.5" in refused.value.message
    with pytest.raises(InvalidCurve) as refused:
        services.add_market(host, game, question="People?", unit="people", kind="count", lo=0, hi=10**10, sd_min=1)

    assert refused.value.message.startswith("σ_min must be at least 1 million people (1/10,000 of the range)")
