"""The host's control room in a real browser: one Next button steps the round through every phase, with no
reload, asking first before anything that cannot be undone; Back where nothing irreversible happened;
the answer typed once in advance and kept from every player; a timer on the first guesses.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Order
from mmgame.models import Market

from .browser import WAIT, BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 800}


class ControlRoomTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Class quiz")
        self.beans = services.add_market(
            self.teacher, self.game, question="How many beans?", lo=0, hi=1000, kind="count"
        )
        self.dialogs: list[str] = []

    def host_page(self) -> Page:
        host = self.page("host", HD)
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        expect(host.locator("[data-bind=stage-connection]")).to_have_attribute("data-state", "live")

        def answer(dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.accept()

        host.on("dialog", answer)
        host.evaluate("() => { window.__loads = (window.__loads || 0) + 1; }")
        return host

    def phase(self) -> str:
        return Market.objects.get(pk=self.beans.pk).phase

    def next(self, host: Page, label: str, phase: str) -> None:
        self.press_next(host, label, phase)
        assert self.phase() == phase

    def test_next_steps_a_market_through_every_phase_without_a_reload(self):
        host = self.host_page()
        ann = services.join_game(self.game.join_code, "Ann")
        expect(host.locator("#stage")).to_have_attribute("data-phase", "lobby")

        self.next(host, "Next question: #1", "question")
        self.next(host, "Ask for first guesses", "guess")
        expect(host.locator("[data-chart=stage-curve]")).to_be_hidden()  # no market to draw before it trades
        services.submit_guess(ann, self.beans.pk, Order("target", mean=400, sd=100))
        # News from this process reaches the live server's rooms by its audit (every 5 s): wait that long.
        expect(host.locator("[data-bind=stage-facts]")).to_have_text("1 of 1 have guessed", timeout=WAIT)
        expect(host.locator("[data-bind=stage-taking-part] li")).to_have_text(["Ann: ✓ guessed"], timeout=WAIT)

        # Back to the question, and forward again: nothing was revealed yet.
        host.locator("[data-action=step-back]").click()
        expect(host.locator("#stage")).to_have_attribute("data-phase", "question")
        self.next(host, "Ask for first guesses", "guess")

        self.next(host, "Reveal the guesses", "guesses")
        assert self.dialogs[-1].startswith("Reveal everyone's first guesses")
        expect(host.locator("[data-bind=stage-facts]")).to_contain_text("1 guesses, average 400")
        expect(host.locator("[data-action=step-back]")).to_be_hidden()

        self.next(host, "Open trading", "trading")
        expect(host.locator("[data-chart=stage-curve]")).to_be_visible()
        # Wide: the curve warrants tens at most, and the true value is said to the unit all the same.
        services.place_trade(ann, self.beans.pk, Order("target", mean=380, sd=260), idempotency_key="a1")
        expect(host.locator("[data-bind=stage-feed] li")).to_have_count(1, timeout=WAIT)
        expect(host.locator("[data-bind=stage-taking-part] li")).to_have_text(["Ann: 1 trade"], timeout=WAIT)
        expect(host.locator("[data-action=step-back]")).to_be_hidden()  # a trade happened: no going back

        # Pause is labelled as such, and resume as resume.
        host.locator("#stage [data-action=pause]").click()
        expect(host.locator("#stage [data-action=pause]")).to_have_text("Resume trading")
        host.locator("#stage [data-action=pause]").click()
        expect(host.locator("#stage [data-action=pause]")).to_have_text("Pause")

        self.next(host, "Close trading", "closed")
        # No answer entered: Next asks for one rather than revealing nothing.
        self.press_next(host)
        expect(host.locator("[data-bind=stage-message]")).to_have_text("Type the true value first.")
        assert self.phase() == "closed"
        host.locator("#stage-answer-value").fill("412")
        self.next(host, "Reveal the answer", "answer")
        assert "Reveal 412" in self.dialogs[-1]
        expect(host.locator("[data-bind=stage-facts]")).to_have_text("True value: 412")
        self.next(host, "Show the lesson", "lesson")
        screenshot(host, "control-room-lesson")
        host.locator("[data-action=step-back]").click()
        expect(host.locator("#stage")).to_have_attribute("data-phase", "answer")
        self.next(host, "Show the lesson", "lesson")

        self.next_to_podium(host)
        expect(host.locator("[data-action=step-back]")).to_be_hidden()  # the podium is the end on every screen
        assert host.evaluate("() => window.__loads") == 1  # the same page all along
        assert self.errors == []

    def next_to_podium(self, host: Page) -> None:
        expect(host.locator("[data-action=step-next]")).to_have_text("Show the podium")
        podium = host.get_by_role("link", name="Podium", exact=True)
        expect(podium).to_be_hidden()  # no podium to open before the end
        self.press_next(host)
        expect(host.locator("#stage")).to_have_attribute("data-phase", "podium")
        expect(podium).to_be_visible()  # reachable at the end, with no reload
        assert self.dialogs[-1].startswith("Finish the game?")

    def test_an_answer_entered_in_advance_is_revealed_without_typing_and_never_reaches_a_phone(self):
        host = self.host_page()
        phone = self.page("ann", {"width": 360, "height": 640})
        phone.goto(self.url(f"/join/{self.game.join_code}/"))
        phone.get_by_label("Nickname").fill("Ann")
        phone.get_by_role("button", name="Join").click()
        expect(phone.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")

        self.next(host, "Next question: #1", "question")
        remove = host.get_by_role("button", name="Remove the saved answer")
        expect(remove).to_be_hidden()  # nothing saved: nothing to remove
        host.locator("#stage-answer-value").fill("0.437 thousand")
        host.get_by_role("button", name="Save the answer (hidden until you reveal it)").click()
        expect(host.locator("[data-bind=stage-secret]")).to_contain_text("(hidden from players): 437")
        expect(remove).to_be_visible()  # beside the saved answer it removes
        expect(host.locator("#stage-answer-value")).to_have_value("")
        assert Market.objects.get(pk=self.beans.pk).answer == 437

        # The phone's page and its socket carry no trace of it.
        phone.reload()
        expect(phone.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        assert not re.search(r"(?<![\d.])437(?![\d])", phone.content())  # the number, not a clock's digits

        self.next(host, "Ask for first guesses", "guess")
        self.next(host, "Reveal the guesses", "guesses")
        self.next(host, "Open trading", "trading")
        self.next(host, "Close trading", "closed")
        self.next(host, "Reveal the answer", "answer")
        assert "Reveal 437" in self.dialogs[-1]
        expect(remove).to_be_hidden()  # revealed: it is the market's outcome now, nothing to remove
        assert Market.objects.get(pk=self.beans.pk).outcome == 437
        assert self.errors == []

    def test_showing_another_question_while_one_trades_is_refused_until_the_host_says_close_it(self):
        second = services.add_market(self.teacher, self.game, question="How tall?", lo=0, hi=10, first_guess=False)
        services.step_market(self.teacher, self.beans.pk, phase="question")
        services.step_market(self.teacher, self.beans.pk, phase="trading")
        host = self.host_page()
        expect(host.locator("#stage")).to_have_attribute("data-phase", "trading")

        # Showing #2 without saying so is refused: #1 never closes silently.
        refusal = host.evaluate(
            """async (id) => {
              const { post } = await import('/static/js/control.js');
              try { await post(`markets/${id}/show`, {}); return null; } catch (e) { return e.code; }
            }""",
            second.pk,
        )
        assert refusal == "confirm_needed"
        self.errors.remove("host: Failed to load resource: the server responded with a status of 409 (Conflict)")
        assert Market.objects.get(pk=self.beans.pk).status == Market.Status.OPEN

        self.next(host, "Close trading", "closed")
        host.locator("#stage-answer-value").fill("300")
        self.next(host, "Reveal the answer", "answer")
        self.next(host, "Show the lesson", "lesson")
        self.press_next(host, "Next question: #2")
        expect(host.locator("[data-bind=stage-question]")).to_have_text("#2 How tall?")
        # No first guess on this one: Next opens trading straight from the question.
        expect(host.locator("[data-action=step-next]")).to_have_text("Open trading")
        assert self.errors == []

    def test_a_timer_stops_first_guesses_and_can_be_extended(self):
        services.step_market(self.teacher, self.beans.pk, phase="question")
        services.step_market(self.teacher, self.beans.pk, phase="guess")
        host = self.host_page()
        expect(host.locator("[data-bind=stage-timer-label]")).to_have_text("Stop guesses in")
        host.locator("#stage-seconds").fill("20")
        host.locator("[data-action=timer]").click()
        expect(host.locator("[data-bind=stage-countdown]")).to_contain_text("Guesses stop in 0:")
        first = Market.objects.get(pk=self.beans.pk).closes_at
        host.locator("[data-action=extend]").click()
        expect(host.locator("[data-bind=stage-countdown]")).to_contain_text("Guesses stop in 0:4")  # 20 + 30 s
        later = Market.objects.get(pk=self.beans.pk).closes_at
        assert (later - first).total_seconds() > 20
        assert self.errors == []
