"""The host picks a market's scale in the form: a log market takes its give-or-takes as factors, refuses values
of 0 or less next to their fields, and the templates for a city's population and a Fermi question suggest it."""

from __future__ import annotations

import math
import re

import pytest
from django.urls import reverse

from mmgame.models import Market

pytestmark = pytest.mark.django_db


def add(host_client, game, **fields):
    body = {"question": "Piano tuners in Chicago?", "liquidity": "normal", "budget": "1000", **fields}
    return host_client.post(reverse("web:new_market", args=[game.pk]), body)


def test_a_log_market_is_added_with_its_give_or_take_as_a_factor(host_client, game):
    response = add(
        host_client, game, unit="piano tuners", kind="count", scale="log", lo="10", hi="100,000", prior_mean="200",
        prior_sd="3", sd_min="1.1",
    )  # fmt: skip

    assert response.status_code == 302, response.context["form"].errors
    market = game.markets.get()
    assert (market.scale, market.lo, market.hi, market.prior_mean) == ("log", 10, 100000, 200)
    assert float(market.prior_sd) == pytest.approx(math.log(3))  # σ of ln x
    assert float(market.sd_min) == pytest.approx(math.log(1.1))


def test_a_log_market_without_a_prior_starts_at_the_geometric_middle(host_client, game):
    response = add(host_client, game, kind="count", scale="log", lo="10", hi="100,000")

    assert response.status_code == 302, response.context["form"].errors
    market = game.markets.get()
    assert float(market.prior_mean) == pytest.approx(1000)
    assert float(market.prior_sd) == pytest.approx(math.log(10000) / 4)


def test_a_linear_market_is_still_the_default(host_client, game):
    assert add(host_client, game, lo="0", hi="300").status_code == 302
    assert game.markets.get().scale == "linear"


def test_a_log_markets_errors_are_said_at_once_next_to_their_fields(host_client, game):
    response = add(host_client, game, kind="measure", scale="log", lo="1", hi="10", prior_mean="-3", prior_sd="0.5")

    assert response.context["form"].errors == {
        "prior_mean": ["On a log scale every value is above 0."],
        "prior_sd": ["On a log scale the give-or-take is a factor above 1, like 2."],
    }
    assert not Market.objects.exists()


def test_a_range_the_service_refuses_is_said_before_what_is_checked_against_it(host_client, game):
    """The starting forecast is checked against the range: while the range is refused, only the range is."""
    response = add(host_client, game, kind="measure", scale="log", lo="0", hi="10", prior_mean="-3", prior_sd="0.5")

    assert response.context["form"].errors == {"lo": ["On a log scale every value is above 0."]}
    assert not Market.objects.exists()


def test_the_services_refusal_of_a_log_market_lands_on_the_forms_field(host_client, game):
    # A whole-number log market from 1 needs σ_min ≥ ln 2 / 2 (a factor of 1.41): the service says so at sd_min.
    response = add(host_client, game, kind="count", scale="log", lo="1", hi="1000", sd_min="1.1")

    assert "sd_min" in response.context["form"].errors
    assert not Market.objects.exists()


@pytest.mark.parametrize("preset", ["city", "fermi"])
def test_the_population_and_fermi_templates_suggest_a_log_scale(host_client, game, preset):
    response = host_client.get(reverse("web:new_market", args=[game.pk]) + f"?preset={preset}")

    assert response.context["form"].initial["scale"] == "log"
    radio = re.search(r'<input[^>]*name="scale"[^>]*value="log"[^>]*>', response.content.decode())
    assert radio and "checked" in radio.group(0)


def test_the_control_room_writes_a_log_markets_curve_as_a_median_and_a_factor(host_client, game):
    add(host_client, game, unit="piano tuners", kind="count", scale="log", lo="10", hi="100,000")

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert "about 1,000 piano tuners, give or take ×10" in page
