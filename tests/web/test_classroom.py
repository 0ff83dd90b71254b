"""A class plays as people do (issue #12 §6): a host drives two markets from the control room, one tab on
the wall follows by itself, and eight phones play every phase — one of them 360×640, one used with the
keyboard alone, one offline for ten seconds mid-round, one reloaded. The wall and the phones are checked
(and screenshotted) at each phase; the best pictures go into README.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Market, Trade

from .browser import PHONE, BrowserTestCase, screenshot, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
BEANS = "How many jelly beans are in the jar?"
DESK = "How tall is the teacher's desk?"
NAMES = ["Ana", "Ben", "Caz", "Dev", "Eli", "Fay", "Gus", "Hal"]
OFFLINE = "ERR_INTERNET_DISCONNECTED"


class ClassroomTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science fair")
        self.beans = services.add_market(
            self.teacher, self.game, question=BEANS, unit="beans", lo=0, hi=1000, kind="count", answer=420
        )
        self.desk = services.add_market(
            self.teacher, self.game, question=DESK, unit="cm", lo=40, hi=120, kind="measure", first_guess=False
        )

    # -- the people ----------------------------------------------------------------------------------
    def control_room(self) -> Page:
        host = self.page("host", {"width": 1280, "height": 900})
        self.sign_in(host, "teacher", PASSWORD)
        expect(host).to_have_url(self.url("/host/"))
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        expect(host.locator("[data-bind=stage-connection]")).to_have_attribute("data-state", "live")
        host.on("dialog", lambda dialog: dialog.accept())  # the teacher says yes to each "this cannot be undone"
        return host

    def wall(self, host: Page) -> Page:
        wall = host.context.new_page()
        wall.set_viewport_size(HD)
        watch_errors(wall, self.errors, "wall")
        wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        expect(wall.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return wall

    def phone(self, name: str, size: dict) -> Page:
        return self.join_phone(self.game.join_code, name, size)

    # -- what they do --------------------------------------------------------------------------------
    def next(self, host: Page, label: str, phase: str) -> None:
        self.press_next(host, label, phase)

    def everyone_at(self, phones: dict[str, Page], phase: str) -> None:
        for page in phones.values():
            expect(page.locator("#play")).to_have_attribute("data-phase", phase)

    def forecast(self, page: Page, middle: str, give_or_take: str) -> None:
        page.get_by_label("Middle", exact=True).fill(middle)
        page.get_by_label("Give or take", exact=True).fill(give_or_take)

    def trade(self, page: Page, middle: str, give_or_take: str) -> None:
        self.forecast(page, middle, give_or_take)
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")
        page.get_by_role("button", name="Make this trade").click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")

    def by_keyboard(self, page: Page, middle: str, give_or_take: str) -> None:
        """Tab to the middle, type, tab to the give-or-take, type, and Enter: no mouse, no tap."""
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement && document.activeElement.name") == "mean":
                break
        else:
            raise AssertionError("Tab never reached the forecast's middle")
        page.keyboard.press("Control+A")
        page.keyboard.type(middle)
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == "sd"
        page.keyboard.press("Control+A")
        page.keyboard.type(give_or_take)
        page.keyboard.press("Enter")

    def shots(self, wall: Page, ana: Page, phase: str, *, wall_in_readme: bool = False, phone_in_readme: bool = False):
        screenshot(wall, f"classroom-wall-{phase}", publish=wall_in_readme)
        screenshot(ana, f"classroom-phone-{phase}", publish=phone_in_readme)

    # -- the round -----------------------------------------------------------------------------------
    def test_a_host_and_eight_phones_play_two_markets_through_every_phase(self) -> None:
        host = self.control_room()
        wall = self.wall(host)
        sizes = {"Ana": PHONE}
        phones = {name: self.phone(name, sizes.get(name, {"width": 390, "height": 760})) for name in NAMES}
        ana, ben, caz, dev = (phones[name] for name in ("Ana", "Ben", "Caz", "Dev"))
        expect(wall.locator("[data-bind=players] li")).to_have_count(8)
        screenshot(host, "classroom-control-lobby")

        # The question, on every screen.
        self.next(host, "Next question: #1", "question")
        expect(wall.locator("[data-bind=ask-question]")).to_have_text(BEANS)
        self.everyone_at(phones, "question")
        self.shots(wall, ana, "question")

        # Sealed first guesses: seven of the eight give one (Ben with the keyboard alone); the wall counts.
        self.next(host, "Ask for first guesses", "guess")
        self.everyone_at(phones, "guess")
        for i, name in enumerate(["Ana", "Caz", "Dev", "Eli", "Fay", "Gus"]):
            page = phones[name]
            self.forecast(page, str(300 + 40 * i), str(60 + 10 * i))
            page.get_by_role("button", name="Lock in my guess").click()
            expect(page.locator("[data-bind=my-guess]")).to_contain_text("Your guess")
        self.by_keyboard(ben, "500", "90")
        expect(ben.locator("[data-bind=my-guess]")).to_contain_text("Your guess: 500 ± 90")
        expect(wall.locator("[data-bind=guess-count]")).to_have_text("7 of 8 have guessed")
        expect(host.locator("[data-bind=stage-facts]")).to_have_text("7 of 8 have guessed")
        self.shots(wall, ana, "guess", phone_in_readme=True)

        # The guesses revealed: seven dots on the wall and on each phone.
        self.next(host, "Reveal the guesses", "guesses")
        expect(wall.locator("[data-chart=strip] .strip-dot")).to_have_count(7)
        self.everyone_at(phones, "guesses")
        expect(ana.locator("[data-chart=strip] .strip-mine-label")).to_have_text("your guess")
        self.shots(wall, ana, "guesses", wall_in_readme=True)

        # Trading. Caz's phone loses its network for ten seconds mid-round; Dev reloads the page.
        self.next(host, "Open trading", "trading")
        self.everyone_at(phones, "trading")
        self.trade(ana, "410", "90")
        caz.context.set_offline(True)
        offline_from = caz.evaluate("() => performance.now()")
        dev.reload()
        expect(dev.locator("#play")).to_have_attribute("data-phase", "trading")  # lands where the round is
        self.trade(dev, "380", "100")
        for i, name in enumerate(["Eli", "Fay", "Gus", "Hal"]):
            self.trade(phones[name], str(440 + 15 * i), str(80 + 5 * i))
        self.forecast(ben, "450", "85")
        expect(ben.locator("[data-bind=pnl]")).to_contain_text("If it's")
        ben.locator("input[name=sd]").focus()
        ben.keyboard.press("Enter")  # confirmed from the keyboard
        expect(ben.locator("[data-bind=result]")).to_contain_text("Done")
        expect(caz.locator("[data-bind=offline]")).to_be_visible()  # "Reconnecting…" stays in view
        caz.wait_for_function("(start) => performance.now() - start >= 10000", arg=offline_from, timeout=20_000)
        caz.context.set_offline(False)
        expect(caz.locator("[data-bind=connection]")).to_have_attribute("data-state", "live", timeout=30_000)
        self.trade(caz, "430", "70")
        expect(wall.locator("[data-bind=feed] li").first).to_be_visible()
        assert Trade.objects.filter(market=self.beans).count() == 8
        self.shots(wall, ana, "trading")

        # Closed, then the answer entered in advance, revealed: every phone shows its own result.
        self.next(host, "Close trading", "closed")
        self.everyone_at(phones, "closed")
        self.next(host, "Reveal the answer", "answer")
        expect(wall.locator("[data-bind=answer-value]")).to_have_text("420 beans")
        self.everyone_at(phones, "answer")
        for page in phones.values():
            card = page.locator("[data-bind=resolution]")
            expect(card.locator("[data-bind=outcome]")).to_have_text("420 beans")
            expect(card.locator("[data-bind=payout-rank]")).to_have_text(re.compile(r"^Rank \d of 8$"))
        self.shots(wall, ana, "answer", phone_in_readme=True)

        # The lesson, in words, on the wall and the phones.
        self.next(host, "Show the lesson", "lesson")
        expect(wall.locator("[data-bind=lesson]")).to_contain_text("The market's final forecast")
        self.everyone_at(phones, "lesson")
        expect(ana.locator("[data-bind=lesson]")).to_contain_text("The market's final forecast")
        self.shots(wall, ana, "lesson", wall_in_readme=True)
        screenshot(host, "classroom-control-lesson", publish=True)

        # The second question: no first guesses, so Next opens trading from the question.
        self.next(host, "Next question: #2", "question")
        expect(wall.locator("[data-bind=ask-question]")).to_have_text(DESK)
        self.everyone_at(phones, "question")
        self.next(host, "Open trading", "trading")
        self.everyone_at(phones, "trading")
        self.trade(ana, "75", "8")
        self.trade(phones["Eli"], "80", "10")
        self.next(host, "Close trading", "closed")
        host.locator("#stage-answer-value").fill("76")  # typed now: no answer was entered in advance
        self.next(host, "Reveal the answer", "answer")
        expect(wall.locator("[data-bind=answer-value]")).to_have_text("76 cm")
        assert Market.objects.get(pk=self.desk.pk).outcome == 76
        self.next(host, "Show the lesson", "lesson")

        # The podium: a show on the wall; each phone its own place.
        self.next(host, "Show the podium", "podium")
        expect(wall.locator("#room")).to_have_attribute("data-view", "podium")
        for page in phones.values():
            expect(page.locator("[data-bind=game-over]")).to_contain_text(re.compile(r"rank \d of 8"))
        self.shots(wall, ana, "podium")

        # Nothing threw; the phone that went offline only said so while it was.
        assert [e for e in self.errors if OFFLINE not in e] == [], self.errors
