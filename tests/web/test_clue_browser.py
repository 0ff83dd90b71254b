"""A phone shows its player's own private clue when the first guesses open (docs/maths.md § Clues, issue 13 §2): the
news that clues are out makes the phone ask for a snapshot, the only carrier of its clue; the clue stays
through trading (in one short line under Confirm, which stays above the tab bar at 360×640), and another
phone shows its own, never this one's."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Clue

from .browser import PHONE, BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"


class CluePhoneTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Estimation")
        self.market = services.add_market(
            self.teacher, self.game, question="How many beans?", unit="beans", lo=0, hi=1000, kind="count",
            answer=412, clue_noise=15,
        )  # fmt: skip
        services.step_market(self.teacher, self.market.pk, phase="question")

    def join(self, name: str) -> Page:
        page = self.page(name, PHONE)
        page.goto(self.url(f"/join/{self.game.join_code}/"))
        page.get_by_label("Nickname").fill(name)
        page.get_by_role("button", name="Join").click()
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return page

    def test_each_phone_shows_its_own_clue_from_the_first_guesses_on(self) -> None:
        ana, bea = self.join("Ana"), self.join("Bea")
        for page in (ana, bea):
            expect(page.locator("[data-bind=clue]")).to_be_hidden()

        services.step_market(self.teacher, self.market.pk, phase="guess")
        clues = {c.player.nickname: c.value for c in Clue.objects.filter(market=self.market).select_related("player")}
        # The news of the first guesses makes each phone ask for its snapshot, and so for its clue. (Today's
        # phone shows a market from trading on; the page being reworked shows the question and the guess.)
        for page in (ana, bea):
            expect(page.locator("[data-bind=clue]")).to_contain_text("A measurement says")
        services.step_market(self.teacher, self.market.pk, phase="guesses", confirm=True)
        services.step_market(self.teacher, self.market.pk, phase="trading")
        for page in (ana, bea):  # the phone learns the market trades 2 to 5 s after the step (the room's audit)
            expect(page.locator("#play")).to_have_attribute("data-phase", "trading", timeout=15000)
        # While trading, the clue is one short line under Confirm, so that Confirm stays on the first screen.
        for name, page in (("Ana", ana), ("Bea", bea)):
            expect(page.locator("[data-bind=clue]")).to_be_hidden()
            shown = page.locator("[data-bind=clue-short]")
            expect(shown).to_be_visible()
            expect(shown).to_contain_text(re.compile(r"^Your clue: [\d,]+ beans \(±15 %\), yours alone$"))
            said = float(re.search(r"clue: ([\d,]+)", shown.text_content()).group(1).replace(",", ""))
            assert abs(said - float(clues[name])) <= 5, (said, clues[name])  # to the digits ±15 % warrants
        short = "[data-bind=clue-short]"
        assert ana.locator(short).text_content() != bea.locator(short).text_content()
        ana.get_by_label("Middle", exact=True).fill("450")
        ana.get_by_label("Give or take", exact=True).fill("200")
        expect(ana.locator("[data-bind=pnl]")).to_contain_text("If it's")
        ana.locator("body").click(position={"x": 5, "y": 5})  # the field lets go: the tab bar is back
        confirm, tabs = ana.locator("[data-bind=confirm]").bounding_box(), ana.locator(".tabs").bounding_box()
        screenshot(ana, "clue-phone-trading")
        assert ana.evaluate("scrollY") == 0 and confirm["y"] + confirm["height"] <= tabs["y"], (confirm, tabs)
