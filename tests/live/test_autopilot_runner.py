"""The server process's runner steps the games on autopilot whose lease it holds, on each tick
(mmgame.live.practice_runner.tick_once; the stepping itself: tests/services/test_autopilot.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mmgame import services
from mmgame.live import practice_runner
from mmgame.models import Game, Market

pytestmark = pytest.mark.django_db


def test_a_tick_steps_a_game_whose_time_is_up(host, game, market):
    services.autopilot.set_autopilot(host, game, on=True)
    services.show_market(host, market.pk)
    practice_runner.tick_once("here", list)  # the question's time starts
    Game.objects.filter(pk=game.pk).update(autopilot_at=timezone.now() - timedelta(seconds=1))  # and is up

    practice_runner.tick_once("here", list)

    assert Market.objects.get(pk=market.pk).phase == Market.Phase.GUESS
    assert Game.objects.get(pk=game.pk).lease_owner == "here"
