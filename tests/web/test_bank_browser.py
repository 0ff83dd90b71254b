"""A host builds a five-question game from the bank in a real browser, on a 360 px wide screen: two subjects,
five ticks, two presses of Add, and the markets are there with their answers kept for the reveal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mmgame import bank, services
from mmgame.models import Market

from .browser import PHONE, BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"


class BankInTheBrowserTest(BrowserTestCase):
    def fits_the_width(self, page: Page) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at {PHONE['width']} px"

    def add_from(self, page: Page, subject: str, keys: list[str]) -> None:
        page.get_by_role("link", name="Add questions from the bank").click()
        page.get_by_role("navigation", name="Subjects").get_by_role("link", name=subject).click()
        expect(page.get_by_role("link", name=subject)).to_have_attribute("aria-current", "page")
        self.fits_the_width(page)
        for key in keys:
            page.get_by_role("checkbox", name=bank.by_key(key).question).check()
        screenshot(page, f"host-bank-{keys[0].split('-')[0]}-360", full_page=True)
        page.get_by_role("button", name="Add the ticked questions").click()

    def test_a_host_builds_a_five_question_game_from_the_bank(self) -> None:
        from django.contrib.auth import get_user_model

        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        game = services.create_game(teacher, "Friday quiz")
        host = self.page("host", PHONE)
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{game.pk}/"))

        science = ["science-speed-of-light", "science-moon-distance", "science-bones"]
        self.add_from(host, "Science", science)
        expect(host.locator(".messages")).to_contain_text("3 questions added.")
        expect(host.locator(".markets li.market")).to_have_count(3)
        fermi = ["fermi-seconds-in-a-year", "fermi-pool"]
        self.add_from(host, "Fermi questions", fermi)
        expect(host.locator(".markets li.market")).to_have_count(5)
        screenshot(host, "host-game-from-bank-360")

        # Each press of Add takes the ticked questions in the bank's order.
        chosen = [q for q in bank.questions() if q.key in science] + [q for q in bank.questions() if q.key in fermi]
        expect(host.locator(".markets li.market strong").filter(has_text="#")).to_have_text(
            [f"#{n} {q.question}" for n, q in enumerate(chosen, start=1)]
        )
        markets = list(Market.objects.filter(game=game).order_by("number"))
        assert [(m.question, m.answer, m.scale, m.status) for m in markets] == [
            (q.question, q.answer, q.scale, "draft") for q in chosen
        ]
        self.fits_the_width(host)
        assert self.errors == []
