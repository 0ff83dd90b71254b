"""The house's bound on the host's page is rounded up at the digits shown, never to nearest
(docs/lesson-numbers.md): the seed's market can cost the bank 198.16 points, so it says 199, not 198."""

from __future__ import annotations

import math

import pytest
from django.urls import reverse

from mmgame.templatetags.points import points_up

pytestmark = pytest.mark.django_db


def test_the_game_page_shows_the_bound_rounded_up(host_client, game, market):
    bound = market.engine.subsidy()
    assert bound == pytest.approx(30 * (math.log(100 / 1) + 2), rel=1e-12)  # b·[ln(σ₀/σ_min) + D²/(2σ₀²)]

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert "the most the bank can pay out 199<" in page  # 198.155…: to nearest it said 198


@pytest.mark.parametrize(
    ("value", "shown"), [(176.01, "177"), (176.0, "176"), (1234567.2, "1,234,568"), (1e10 + 0.5, "10,000,000,001")]
)
def test_a_bound_is_written_in_whole_points_rounded_up(value, shown):
    assert points_up(value) == shown
