"""A phone shows its player's own private clue when the first guesses open (DESIGN 1.8, issue 13 §2): the
news that clues are out makes the phone ask for a snapshot, the only carrier of its clue; the clue stays
through trading, and another phone shows its own, never this one's."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Clue

from .browser import PHONE, BrowserTestCase

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
        for page in (ana, bea):  # the phone shows the market once it trades (here 2 to 5 s after the step)
            expect(page.locator("[data-bind=market]")).to_be_visible(timeout=15000)
        for name, page in (("Ana", ana), ("Bea", bea)):
            shown = page.locator("[data-bind=clue]")
            expect(shown).to_be_visible()
            expect(shown).to_contain_text("A measurement says")
            expect(shown).to_contain_text("(each one is off by about ±15 %)")
            text = shown.text_content() or ""
            said = float(re.search(r"says ([\d,]+)", text).group(1).replace(",", ""))
            assert abs(said - float(clues[name])) <= 5, (text, clues[name])  # to the digits ±15 % warrants
        assert ana.locator("[data-bind=clue]").text_content() != bea.locator("[data-bind=clue]").text_content()
