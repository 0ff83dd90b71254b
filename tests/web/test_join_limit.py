"""Finding 4 of issue 14 on the join page: past the per-address limit a join is refused with the reason."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mmgame.models import Player

pytestmark = [pytest.mark.django_db, pytest.mark.rate_limits]


def test_joins_past_the_address_limit_show_the_reason_and_seat_no_one(game, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": (3, 60.0)}
    for i in range(3):
        response = Client(REMOTE_ADDR="10.1.1.1").post(
            reverse("web:join"), {"code": game.join_code, "nickname": f"P{i}"}
        )
        assert response.status_code == 302

    response = Client(REMOTE_ADDR="10.1.1.1").post(reverse("web:join"), {"code": game.join_code, "nickname": "Late"})

    assert response.status_code == 200
    assert "Too many joins" in response.content.decode()
    assert not Player.objects.filter(nickname="Late").exists()
