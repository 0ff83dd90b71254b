"""A countdown to the close in a real browser: the host starts it, every screen ticks, the market closes.

Nobody trades after the countdown starts, so the close is the server's own doing (the live hub times it),
and it reaches the player, the projector and the host's controls without a reload.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mmgame import services
from mmgame.models import Market

from .browser import PHONE, BrowserTestCase, screenshot, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
COUNTDOWN = 4


class CountdownInTheBrowserTest(BrowserTestCase):
    def test_a_countdown_ticks_on_every_screen_and_closes_the_market(self) -> None:
        teacher = get_user_model().objects.create_user(username="teacher", password=PASSWORD)
        game = services.create_game(teacher, "Science fair")
        market = services.add_market(teacher, game, question="How many jelly beans?", lo=0, hi=1000, integer=True)
        services.open_market(teacher, market.pk)

        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{game.pk}/"))
        expect(host.locator("#controls")).to_have_attribute("data-live", "live")

        player = self.page("Alice", PHONE)
        player.goto(self.url(f"/join/{game.join_code}/"))
        player.get_by_label("Nickname").fill("Alice")
        player.get_by_role("button", name="Join").click()
        expect(player.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        expect(player.locator("[data-bind=status]")).to_have_attribute("data-status", "open")
        expect(player.locator("[data-bind=countdown]")).to_be_hidden()

        projector = host.context.new_page()
        watch_errors(projector, self.errors, "projector")
        projector.goto(self.url(f"/host/games/{game.pk}/projector/"))
        expect(projector.locator("[data-bind=status-text]")).to_contain_text("Open")

        host.get_by_label("Close trading in").fill(str(COUNTDOWN))  # the control room's one countdown control
        host.locator("#stage [data-action=timer]").click()
        started = time.monotonic()

        clock = player.locator("[data-bind=countdown]")
        expect(clock).to_be_visible()
        expect(clock).to_contain_text("Closes in 0:0")
        # The page's clock offset is off by the time the server took to send the page: up to a second here.
        assert 0 < int(clock.get_attribute("data-seconds")) <= COUNTDOWN + 1
        expect(projector.locator("[data-bind=countdown]")).to_contain_text("Closes in 0:0")
        expect(host.locator(f"#market-{market.pk} .countdown")).to_contain_text("Closes in 0:0")
        expect(player.locator("[data-bind=trade-form]")).to_be_visible()  # trading goes on meanwhile
        screenshot(player, "countdown-phone")
        screenshot(host, "countdown-host")

        # Nobody trades: the market closes at the deadline, and every screen shows it.
        expect(player.locator("[data-bind=status]")).to_have_attribute("data-status", "closed")
        elapsed = time.monotonic() - started
        expect(clock).to_be_hidden()
        expect(player.locator("[data-bind=trade-form]")).to_be_hidden()
        expect(projector.locator("[data-bind=status-text]")).to_contain_text("Closed")
        expect(host.locator(f"#market-{market.pk}")).to_have_attribute("data-status", "closed")
        expect(host.locator("[data-bind=stage-answer]")).to_be_visible()  # the control room asks for the answer
        market.refresh_from_db()
        assert (market.status, market.closes_at) == (Market.Status.CLOSED, None)
        assert COUNTDOWN - 1 <= elapsed < COUNTDOWN + 5, elapsed
        assert not self.errors, self.errors
