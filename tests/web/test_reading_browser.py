"""The pages show the server that they read (docs/protocol.md §2.7): a screen that echoes every check stays
live long past the time a silent one is closed in (tests/live/test_reading.py)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from playwright.sync_api import expect

from mmgame import services
from mmgame.models import Player

from .browser import PHONE, BrowserTestCase

pytestmark = [pytest.mark.browser]

TIMEOUT = 1.5  # seconds without an echo before the server closes a screen


@override_settings(LIVE_READING={"timeout": TIMEOUT, "heartbeat": 0.3, "check_bytes": 256})
class PagesEchoTheServersChecksTest(BrowserTestCase):
    def test_a_player_page_stays_live_while_the_server_keeps_asking(self) -> None:
        teacher = get_user_model().objects.create_user(username="teacher", password="x" * 20)
        game = services.create_game(teacher, "Science fair")
        market = services.add_market(teacher, game, question="How many jelly beans?", lo=0, hi=1000, integer=True)
        services.open_market(teacher, market.pk)

        player = self.page("Alice", PHONE)
        player.goto(self.url(f"/join/{game.join_code}/"))
        player.get_by_label("Nickname").fill("Alice")
        player.get_by_role("button", name="Join").click()
        connection = player.locator("[data-bind=connection]")
        expect(connection).to_have_attribute("data-state", "live")
        socket_closes: list[int] = []
        player.on("websocket", lambda ws: ws.on("close", lambda _: socket_closes.append(1)))

        time.sleep(4 * TIMEOUT)  # the server asks every 0.3 s; a page that did not answer is gone by now

        expect(connection).to_have_attribute("data-state", "live")
        assert socket_closes == []
        assert Player.objects.filter(game=game, nickname="Alice").exists()
        assert self.errors == []
