"""Autopilot in a real browser at 1280×720 (docs/round.md § Autopilot): the host turns it on with short times in
the control room and presses Next once; the round steps itself on the server's runner, the phone shows the time
left, and Hold, +30 s and Skip work from the same control room."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mmgame import services
from mmgame.models import Game, Market

from .browser import BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
LAPTOP = {"width": 1280, "height": 720}


class AutopilotInTheBrowserTest(BrowserTestCase):
    def test_the_host_turns_autopilot_on_presses_start_and_holds_extends_and_skips(self) -> None:
        teacher = get_user_model().objects.create_user(username="teacher", password=PASSWORD)
        game = services.create_game(teacher, "Science fair")
        market = services.add_market(
            teacher, game, question="How many jelly beans?", lo=0, hi=1000, answer=412, first_guess=False
        )

        host = self.page("host", LAPTOP)
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{game.pk}/"))
        expect(host.locator("#controls")).to_have_attribute("data-live", "live")
        host.get_by_text("Autopilot: let the round step itself").click()
        host.get_by_label("Step the round on these times").check()
        for phase, seconds in (("Question", 3), ("Trading", 6), ("Answer", 20), ("Lesson", 3)):
            host.get_by_label(f"Seconds: {phase}").fill(str(seconds))
        host.get_by_role("button", name="Save autopilot").click()
        expect(host.locator("[data-bind=stage-message]")).to_have_text("Autopilot saved.")
        expect(host.locator("[data-bind=autopilot-total]")).to_have_text(
            "A question takes 72 s with first guesses, 32 s without."  # 3 + 30 + 10 + 6 + 20 + 3; 3 + 6 + 20 + 3
        )

        phone = self.join_phone(game.join_code, "Alice")
        wall = host.context.new_page()
        wall.goto(self.url(f"/host/games/{game.pk}/projector/"))
        self.press_next(host)  # Start: the last click the round needs

        # The question's time runs out on its own: trading opens, and the phone counts down to its close.
        phone_clock = phone.locator("[data-bind=countdown]")
        expect(phone_clock).to_contain_text("Next in 0:0")
        # Not "wait for the host": on autopilot nobody has to press anything.
        expect(phone.locator("[data-bind=phase-note]")).to_have_text("Think about it: the round moves on by itself.")
        screenshot(phone, "autopilot-phone")
        expect(phone.locator("[data-bind=status]")).to_have_attribute("data-status", "open")
        expect(phone_clock).to_contain_text("Closes in 0:0")
        expect(host.get_by_label("Close trading in")).to_be_hidden()  # one clock: the autopilot's
        expect(host.locator("#stage").get_by_role("button", name="Pause")).to_be_visible()
        # ...then it closes and the answer entered in advance is revealed, with no click.
        expect(host.locator("#stage")).to_have_attribute("data-phase", "answer")
        expect(host.locator("[data-bind=autopilot-countdown]")).to_contain_text("Next in 0:")
        expect(wall.locator("[data-bind=autopilot-timer]")).to_contain_text("Next in 0:")  # the wall's answer
        screenshot(wall, "autopilot-wall")

        host.get_by_role("button", name="Hold").click()
        expect(host.locator("[data-bind=autopilot-countdown]")).to_contain_text("Held:")
        host.get_by_role("button", name="+30 s").last.click()
        expect(host.locator("[data-bind=autopilot-countdown]")).to_contain_text(re.compile(r"Held: 0:[3-5]\d"))
        assert Game.objects.get(pk=game.pk).autopilot_left > 30
        screenshot(host, "autopilot-control-room", publish=True)
        expect(host.get_by_role("button", name="Go on")).to_be_visible()

        host.get_by_role("button", name="Skip: step on now").click()  # the lesson, still held
        expect(host.locator("#stage")).to_have_attribute("data-phase", "lesson")
        host.get_by_role("button", name="Go on").click()
        expect(host.locator("#stage")).to_have_attribute("data-phase", "podium")  # the lesson's 3 s, then the end
        assert Market.objects.get(pk=market.pk).status == Market.Status.RESOLVED
        assert not self.errors, self.errors
