"""Drama you can switch off (issue #25 §2): the last five seconds of a countdown counted large on the wall and
the phone; the answer's moment (the true value falls onto the curve, the closest forecasts named); sounds
made in the page, off until the host turns them on, remembered; reduced motion respected.

Timing is the page's own clock, moved by the test (Playwright's page.clock), never the wall clock.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Order

from .browser import PHONE, WAIT, BrowserTestCase, screenshot, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
COUNTDOWN = 60  # s: far longer than the test takes, so the server's own close never comes into it
AFTER = """(selector) => {
  const s = getComputedStyle(document.querySelector(selector), "::after");
  return { content: s.content, position: s.position, fontSize: s.fontSize, animationName: s.animationName };
}"""
# Every note the page plays, by its pitch: the Web Audio API's oscillators, counted as they start.
NOTES = """window.__notes = [];
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__notes.push(Math.round(this.frequency.value));
  return start.apply(this, args);
};"""
FONT_SIZE = "(selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"


class DramaTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science fair")
        self.market = services.add_market(
            self.teacher, self.game, question="How many beans?", unit="beans", lo=0, hi=1000, integer=True
        )

    def opened(self, name: str, path: str, *, viewport: dict, host: bool = False, live: bool = True, **options) -> Page:
        """A page on its own clock (installed before it loads), signed in as the host if `host`; every note
        its sounds play recorded by pitch in `window.__notes`."""
        context = self.browser.new_context(viewport=viewport, locale="en", **options)
        context.add_init_script(NOTES)
        context.set_default_timeout(WAIT)
        self.contexts.append(context)
        page = context.new_page()
        watch_errors(page, self.errors, name)
        if host:
            self.sign_in(page, "teacher", PASSWORD)
            expect(page).to_have_url(self.url("/host/"))
        page.clock.install()
        page.goto(self.url(path))
        if live:
            expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return page

    def to_final_seconds(self, page: Page) -> None:
        """Stop the page's clock, then move it on half a second at a time (after a jump to near the end) until the
        countdown shows its fifth last second: the page's own ticks say when, as they do for the class."""
        # A second ahead (Python's clock takes seconds): a loaded machine may take a while to ask.
        page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)
        shown = lambda: int(page.locator("[data-bind=countdown]").get_attribute("data-seconds"))  # noqa: E731
        page.clock.run_for(max(0, shown() - 7) * 1000)
        for _ in range(12):  # half a second a step: the seconds shown drop by one at most, so 5 is not missed
            if shown() <= 5:
                break
            page.clock.run_for(500)
        assert shown() == 5, shown()

    def wall(self, **options) -> Page:
        return self.opened("wall", f"/host/games/{self.game.pk}/projector/", viewport=HD, host=True, **options)

    # -- the last five seconds ------------------------------------------------------------------------
    def test_the_last_five_seconds_count_down_large_on_the_wall_and_the_phone(self) -> None:
        services.open_market(self.teacher, self.market.pk)
        services.join_game(self.game.join_code, "Ana")
        services.close_market(self.teacher, self.market.pk, countdown=COUNTDOWN)
        wall = self.wall()
        wall.get_by_role("button", name="Sounds").click()  # on, for the ticks
        phone = self.opened("phone", f"/join/{self.game.join_code}/", viewport=PHONE, live=False)
        # (the phone joins by its page, as a student does)
        phone.get_by_label("Nickname").fill("Ben")
        phone.get_by_role("button", name="Join").click()
        expect(phone.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        on_wall, on_phone = wall.locator("[data-bind=countdown]"), phone.locator("[data-bind=countdown]")
        expect(on_wall).to_contain_text("Closes in 0:5")
        expect(on_wall).not_to_have_attribute("data-final", "")  # not yet: plain words, in their place
        assert wall.evaluate(AFTER, "[data-bind=countdown]")["content"] in ("none", "normal")
        small = phone.evaluate(FONT_SIZE, "[data-bind=countdown]")

        expect(on_phone).to_contain_text("Closes in 0:5")
        for page in (wall, phone):
            self.to_final_seconds(page)
        expect(on_wall).to_have_attribute("data-final", "")
        expect(on_phone).to_have_attribute("data-final", "")
        expect(on_wall).to_have_attribute("data-seconds", "5")
        after = wall.evaluate(AFTER, "[data-bind=countdown]")
        assert after["content"] == '"5"' and after["position"] == "fixed", after
        assert float(after["fontSize"].removesuffix("px")) >= 0.45 * HD["height"], after["fontSize"]  # half the screen
        assert after["animationName"] == "beat"
        large = phone.evaluate(FONT_SIZE, "[data-bind=countdown]")
        assert large >= 1.5 * small, (small, large)
        screenshot(wall, "drama-final-seconds-1280")
        screenshot(phone, "drama-final-seconds-phone")
        wall.clock.run_for(2000)
        expect(on_wall).to_have_attribute("data-seconds", "3")
        assert wall.evaluate(AFTER, "[data-bind=countdown]")["content"] == '"3"'
        wall.clock.run_for(2000)  # to the last second: its tick is higher
        assert wall.evaluate("window.__notes") == [990, 990, 990, 990, 1320]  # one tick a second, 5 … 1
        assert self.errors == [], self.errors

    def test_with_reduced_motion_the_last_seconds_are_large_and_still(self) -> None:
        services.open_market(self.teacher, self.market.pk)
        services.close_market(self.teacher, self.market.pk, countdown=COUNTDOWN)
        wall = self.wall(reduced_motion="reduce")
        expect(wall.locator("[data-bind=countdown]")).to_contain_text("Closes in 0:5")
        self.to_final_seconds(wall)
        expect(wall.locator("[data-bind=countdown]")).to_have_attribute("data-final", "")
        after = wall.evaluate(AFTER, "[data-bind=countdown]")
        assert after["content"] == '"5"' and after["animationName"] == "none", after
        assert self.errors == [], self.errors

    # -- the answer's moment --------------------------------------------------------------------------
    def answered(self, forecasts: dict[str, float]) -> None:
        """Each trader's forecast (their middle, give or take 40), then the true value, 420, revealed."""
        services.open_market(self.teacher, self.market.pk)
        for i, (name, middle) in enumerate(forecasts.items()):
            player = services.join_game(self.game.join_code, name)
            services.place_trade(player, self.market.pk, Order("target", middle, 40), idempotency_key=f"k{i}")
        services.close_market(self.teacher, self.market.pk)
        services.resolve_market(self.teacher, self.market.pk, 420)

    def test_the_answer_falls_onto_the_curve_and_names_the_closest_forecasts(self) -> None:
        self.answered({"Ana": 300, "Ben": 430, "Cat": 405, "Dan": 600, "Eve": 445})
        wall = self.wall()
        expect(wall.locator("#room")).to_have_attribute("data-view", "answer")
        # Nearest first: Ben 10 off, Cat 15, Eve 25; Ana and Dan further.
        expect(wall.locator("[data-bind=closest]")).to_have_text(
            "Closest: Ben (430 beans), Cat (405 beans), Eve (445 beans)"
        )
        falling = wall.evaluate(
            "() => document.getAnimations().map((a) => a.animationName + ':' + a.effect.target.getAttribute('class'))"
        )
        assert {"fall:outcome", "named:closest"} <= set(falling), falling  # the value falls, then the names
        wall.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")
        screenshot(wall, "drama-answer-1280")
        assert self.errors == [], self.errors

    def test_with_reduced_motion_the_answer_is_there_at_once(self) -> None:
        self.answered({"Ana": 300, "Ben": 430})
        wall = self.wall(reduced_motion="reduce")
        expect(wall.locator("[data-bind=closest]")).to_have_text("Closest: Ben (430 beans), Ana (300 beans)")
        assert wall.evaluate("() => document.getAnimations().length") == 0
        assert self.errors == [], self.errors

    # -- sounds ---------------------------------------------------------------------------------------
    def test_sounds_are_off_until_switched_on_and_the_switch_is_remembered(self) -> None:
        api = self.playwright.request.new_context()
        self.addCleanup(api.dispose)
        context = self.browser.new_context(viewport=HD, locale="en")
        context.set_default_timeout(WAIT)
        self.contexts.append(context)
        context.add_init_script(NOTES)
        wall = context.new_page()
        watch_errors(wall, self.errors, "wall")
        self.sign_in(wall, "teacher", PASSWORD)
        wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        expect(wall.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        switch = wall.get_by_role("button", name="Sounds")
        expect(switch).to_have_attribute("aria-pressed", "false")

        def join(name: str) -> None:
            response = api.post(self.url(f"/api/games/{self.game.join_code}/join"), data={"nickname": name})
            assert response.status == 201, response.text()
            expect(wall.locator("[data-bind=players] li").last).to_have_text(name)

        join("Ana")
        assert wall.evaluate("window.__notes") == []  # off by default: the room hears nothing
        switch.click()
        expect(switch).to_have_attribute("aria-pressed", "true")
        join("Ben")
        assert wall.evaluate("window.__notes") == [660, 880]  # a chime for a new name

        wall.reload()  # remembered
        expect(wall.get_by_role("button", name="Sounds")).to_have_attribute("aria-pressed", "true")
        assert wall.evaluate("window.__notes") == []  # the page's first state is not news
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        for body in ({"phase": "question"}, {"phase": "trading"}, {"phase": "closed", "confirm": True}):
            response = context.request.post(
                self.url(f"/api/markets/{self.market.pk}/phase"), data=body, headers={"X-CSRFToken": token}
            )
            assert response.ok, (body, response.status, response.text())
        expect(wall.locator("#room")).to_have_attribute("data-view", "market")
        response = context.request.post(
            self.url(f"/api/markets/{self.market.pk}/phase"),
            data={"phase": "answer", "outcome": 420, "confirm": True},
            headers={"X-CSRFToken": token},
        )
        assert response.ok, response.text()
        expect(wall.locator("#room")).to_have_attribute("data-view", "answer")
        wall.wait_for_function("window.__notes.length >= 4")
        assert wall.evaluate("window.__notes") == [523, 659, 784, 1047]  # the answer's chord

        wall.get_by_role("button", name="Sounds").click()  # and off again, for good
        wall.reload()
        expect(wall.get_by_role("button", name="Sounds")).to_have_attribute("aria-pressed", "false")
        assert self.errors == [], self.errors
