"""Finding 3 of issue 14: the host's forms refuse a number with a huge exponent on its field, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mmgame.models import Market

pytestmark = pytest.mark.django_db

MARKET = {"question": "Beans?", "lo": "0", "hi": "300", "liquidity": "normal", "budget": "1000"}


@pytest.mark.parametrize("field", ["lo", "hi", "prior_mean", "prior_sd", "sd_min", "budget"])
def test_adding_a_market_with_a_huge_exponent_shows_the_refusal(host_client, game, field):
    response = host_client.post(reverse("web:new_market", args=[game.pk]), {**MARKET, field: "1E+999999999"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Market.objects.exists()
