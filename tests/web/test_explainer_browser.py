"""The first-time explainer (issue 20 §7): the curve, a forecast and the risk in three sentences, on a phone at
360×640 while the student waits in the lobby; skipped with one tap and not shown again in that browser, nor
over the forecast and Confirm."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mmgame import services
from mmgame.market import Order
from mmgame.models import Player

from .browser import BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class ExplainerTest(BrowserTestCase):
    def test_the_explainer_is_shown_once_per_browser_and_skipped_in_one_tap(self) -> None:
        teacher = get_user_model().objects.create_user("teacher", password="a long classroom passphrase 7")
        game = services.create_game(teacher, "Science fair")
        page = self.join_phone(game.join_code, "Ana")
        card = page.locator("[data-bind=explainer]")
        expect(card).to_be_visible()
        expect(card).to_contain_text("The curve is the class's forecast")
        expect(card).to_contain_text("win points")
        words = len(card.inner_text().split())
        assert 40 <= words <= 80, words  # about 20 seconds' reading, at 3 to 4 words a second
        assert card.bounding_box()["y"] + card.bounding_box()["height"] <= 640  # on the first screen
        screenshot(page, "player-phone-explainer")
        page.get_by_role("button", name="Got it").click()
        expect(card).to_be_hidden()
        page.reload()
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        expect(page.locator("[data-bind=waiting]")).to_be_visible()
        expect(card).to_be_hidden()  # once per browser

        # Another browser, trading already open: the forecast comes first, no card over it or above it.
        market = services.add_market(teacher, game, question="How many jelly beans?", unit="beans", lo=0, hi=1000)
        services.open_market(teacher, market.pk)
        ben = self.join_phone(game.join_code, "Ben")
        expect(ben.locator("[data-bind=confirm]")).to_be_visible()
        expect(ben.locator("[data-bind=explainer]")).to_be_hidden()
        # Joined during trading, Ben can still read it: "How it works" in the header, until "Got it", even as
        # the market moves under it.
        ben.get_by_role("button", name="How it works").click()
        expect(ben.locator("[data-bind=explainer]")).to_be_visible()
        ben.evaluate("() => window.scrollTo(0, 0)")
        screenshot(ben, "player-phone-how-it-works")
        ana = Player.objects.get(game=game, nickname="Ana")
        services.place_trade(ana, market.pk, Order("target", mean=420, sd=90), idempotency_key="ana")
        expect(ben.locator("[data-bind=forecast]")).to_contain_text("420")
        expect(ben.locator("[data-bind=explainer]")).to_be_visible()
        ben.get_by_role("button", name="Got it").click()
        expect(ben.locator("[data-bind=explainer]")).to_be_hidden()
        assert self.errors == [], self.errors
