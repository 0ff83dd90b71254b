"""The wall read from the back of the room (issue #25 §3): at 1280×720 and at 1920×1080, in every phase of a
round, no visible text is smaller than 24 px and nothing is cut or clipped; the podium's stage is never empty;
a high-contrast theme, one switch on the wall, is remembered and meets AAA contrast.

One projector page is opened once and follows the game as the host steps it through the JSON API (as the
control room does) while a class of eight plays; each phase is measured and screenshotted at both sizes.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Order

from .browser import WAIT, BrowserTestCase, assert_wall_fits, screenshot, watch_errors
from .test_contrast import AUDIT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
FULL_HD = {"width": 1920, "height": 1080}
SMALLEST = 24  # px: the least a line on the wall may be, read from the back of a classroom
QUESTION = "How many jelly beans are in the big glass jar on the teacher's desk?"
NAMES = ["Annabel Lee", "Benjamin K", "Catalina", "Dmitri", "Esperanza", "Fitzgerald", "Guinevere", "Hamid"]

# The host's own controls, read from the laptop in front of the wall, not by the class: they may be smaller.
HOST_ONLY = (".wall-tools button", ".wall-tools a")

# Every visible text node on the wall and its size on screen (an SVG's text by its drawn scale), but for
# the host's controls. Visible: laid out, not visibility:hidden, not transparent, not the 1-px visually-hidden.
TOO_SMALL = """([smallest, allowed]) => {
  const wall = document.querySelector(".wall");
  const walker = document.createTreeWalker(wall, NodeFilter.SHOW_TEXT);
  const small = [];
  const opaque = (el) => {
    for (let n = el; n; n = n.parentElement) if (getComputedStyle(n).opacity === "0") return false;
    return true;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || allowed.some((s) => el.closest(s))) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden" || !opaque(el)) continue;
    const svg = el.closest("svg");
    const scale = svg ? svg.getScreenCTM().a : 1;
    const size = parseFloat(style.fontSize) * scale;
    const name = `${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}`;
    if (size < smallest - 0.01) small.push(`${name} ${size.toFixed(1)}px "${text.slice(0, 40)}"`);
  }
  return small;
}"""


class WallReadableTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science fair")
        self.market = services.add_market(
            self.teacher, self.game, question=QUESTION, unit="beans", lo=0, hi=1000, integer=True, first_guess=True
        )
        self.api = self.playwright.request.new_context()  # the class's phones, as API clients
        self.seats = {name: self.join(name) for name in NAMES}
        self.problems: list[str] = []  # every phase's, said together at the end

    def tearDown(self) -> None:
        self.api.dispose()
        super().tearDown()

    # -- helpers -----------------------------------------------------------------------------------
    def join(self, name: str) -> str:
        response = self.api.post(self.url(f"/api/games/{self.game.join_code}/join"), data={"nickname": name})
        assert response.status == 201, response.text()
        return response.json()["seat_token"]

    def player_says(self, name: str, path: str, body: dict) -> None:
        url = self.url(f"/api/markets/{self.market.pk}/{path}")
        response = self.api.post(url, data=body, headers={"X-Seat-Token": self.seats[name]})
        assert response.ok, (path, response.status, response.text())

    def host_says(self, wall: Page, path: str, body: dict | None = None) -> None:
        token = next(c["value"] for c in wall.context.cookies() if c["name"] == "csrftoken")
        response = wall.context.request.post(self.url(f"/api/{path}"), data=body or {}, headers={"X-CSRFToken": token})
        assert response.ok, (path, response.status, response.text())

    def step(self, wall: Page, phase: str, **more) -> None:
        self.host_says(wall, f"markets/{self.market.pk}/phase", {"phase": phase, **more})

    def wall(self, path: str | None = "projector/", **options) -> Page:
        """The host's wall, signed in; open on the projector unless `path` is None (the test opens it)."""
        context = self.browser.new_context(viewport=HD, locale="en", **options)
        context.set_default_timeout(WAIT)
        self.contexts.append(context)
        page = context.new_page()
        watch_errors(page, self.errors, "wall")
        self.sign_in(page, "teacher", PASSWORD)
        expect(page).to_have_url(self.url("/host/"))
        if path is not None:
            page.goto(self.url(f"/host/games/{self.game.pk}/{path}"))
            expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return page

    def view(self, wall: Page, name: str) -> None:
        expect(wall.locator("#room")).to_have_attribute("data-view", name)
        expect(wall.locator(f"[data-view-name={name}]")).to_be_visible()

    def readable(self, wall: Page, name: str, *, publish: bool = False) -> None:
        """At both sizes: the view whole (nothing cut, no scrollbar), no text under 24 px, a screenshot."""
        for size in (FULL_HD, HD):
            try:
                assert_wall_fits(wall, size)
            except AssertionError as cut:
                self.problems.append(f"{name} {size['width']}: {cut}")
            small = wall.evaluate(TOO_SMALL, [SMALLEST, list(HOST_ONLY)])
            self.problems += [f"{name} {size['width']}: {line}" for line in small]
            screenshot(wall, f"wall-{name}-{size['width']}", publish=publish and size == HD)

    # -- the round, phase by phase ------------------------------------------------------------------
    def test_every_phase_reads_from_the_back_at_both_sizes(self) -> None:
        wall = self.wall()
        self.view(wall, "lobby")
        self.readable(wall, "lobby")

        self.host_says(wall, f"markets/{self.market.pk}/show")
        self.view(wall, "question")
        self.readable(wall, "question")

        self.step(wall, "guess")
        self.host_says(wall, f"markets/{self.market.pk}/close", {"countdown": 90})
        for i, name in enumerate(NAMES):  # the class's guesses, bunched and spread
            self.player_says(name, "guess", {"mean": 380 + 15 * i + (200 if i == 7 else 0), "sd": 60})
        expect(wall.locator("[data-bind=guess-count]")).to_have_text("8 of 8 have guessed")
        expect(wall.locator("[data-bind=guess-timer]")).to_contain_text("left to guess")
        self.readable(wall, "first-guesses")

        self.step(wall, "guesses", confirm=True)
        self.view(wall, "guesses")
        expect(wall.locator("[data-chart=strip] .strip-dot")).to_have_count(8)
        self.readable(wall, "guesses-shown")
        # The strip takes the height its dots and labels need, not a band along the bottom of the screen.
        for size in (FULL_HD, HD):
            wall.set_viewport_size(size)
            wall.wait_for_timeout(150)
            dots, strip = wall.evaluate(
                """() => {
                  const strip = document.querySelector("[data-chart=strip]").getBoundingClientRect();
                  const dots = [...document.querySelectorAll(".strip-dot")].map((d) => d.getBoundingClientRect());
                  return [Math.max(...dots.map((d) => d.bottom)) - Math.min(...dots.map((d) => d.top)), strip.height];
                }"""
            )
            if dots < 0.2 * strip:  # the stacked dots fill a fair share of it
                self.problems.append(f"strip {size['width']}: the dots take {dots:.0f} of {strip:.0f} px")

        self.step(wall, "trading")
        self.view(wall, "market")
        for i, name in enumerate(NAMES):  # a narrow forecast too: a tall curve, drawn whole
            order = {"kind": "toward", "mean": 400 + 10 * i, "sd": 8 if i == 3 else 70, "idempotency_key": f"t{i}"}
            self.player_says(name, "trades", order)
        expect(wall.locator("[data-bind=feed] li").first).to_contain_text("Hamid")
        self.host_says(wall, f"markets/{self.market.pk}/close", {"countdown": 600})
        expect(wall.locator("[data-bind=countdown]")).to_contain_text("Closes in")
        self.readable(wall, "trading")
        # On the tall screen the feed fills its room: all eight trades, or as many whole lines as fit there.
        wall.set_viewport_size(FULL_HD)
        wall.wait_for_timeout(150)
        shown, room_left, line = wall.evaluate(
            """() => {
              const feed = document.querySelector("[data-bind=feed]");
              const last = feed.lastElementChild.getBoundingClientRect();
              return [feed.children.length, feed.getBoundingClientRect().bottom - last.bottom, last.height];
            }"""
        )
        assert shown == len(NAMES) or room_left < line, (shown, room_left, line)

        self.host_says(wall, f"markets/{self.market.pk}/close")
        expect(wall.locator("[data-bind=status-text]")).to_contain_text("Closed")
        self.readable(wall, "closed")

        self.step(wall, "answer", outcome=420, confirm=True)
        self.view(wall, "answer")
        expect(wall.locator("[data-bind=answer-value]")).to_have_text("420 beans")
        self.readable(wall, "answer")

        self.step(wall, "lesson")
        self.view(wall, "lesson")
        expect(wall.locator("[data-bind=lesson] .verdict")).to_be_visible()
        self.readable(wall, "lesson")

        self.host_says(wall, f"games/{self.game.join_code}/finish")
        self.view(wall, "podium")
        expect(wall.locator(".view-podium .rest")).to_have_attribute("data-revealed", "", timeout=WAIT)
        self.readable(wall, "podium")
        assert self.problems == [], "\n".join(self.problems)
        assert self.errors == [], self.errors

    # -- the podium's stage ----------------------------------------------------------------------------
    def finish(self) -> None:
        """The round played out by the services before the wall opens: three traders, the answer, the end."""
        services.open_market(self.teacher, self.market.pk)
        for i, player in enumerate(self.game.players.order_by("pk")[:3]):
            services.place_trade(player, self.market.pk, Order("toward", 300 + 80 * i, 90), idempotency_key=f"p{i}")
        services.close_market(self.teacher, self.market.pk)
        services.resolve_market(self.teacher, self.market.pk, 420)
        services.finish_game(self.teacher, self.game)

    def test_the_podium_stage_is_never_empty(self) -> None:
        """The three blocks stand from the first frame; the names rise onto them in turn (a clock the test
        moves: static/js/podium.js waits 1.2 s before the third)."""
        self.finish()
        wall = self.wall(path=None)
        wall.clock.install()
        wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        self.view(wall, "podium")
        blocks = wall.locator(".podium-show .medal")
        expect(blocks).to_have_count(3)
        for block in blocks.all():
            expect(block).to_be_visible()
        expect(wall.locator(".podium-show .name").first).to_be_hidden()  # no one named yet
        self.readable(wall, "podium-stage")
        wall.clock.run_for(1300)
        expect(wall.locator(".podium-show li[data-place='3'] .name")).to_be_visible()
        expect(wall.locator(".podium-show li[data-place='1'] .name")).to_be_hidden()
        wall.clock.run_for(8000)
        expect(wall.locator(".podium-show li[data-place='1'] .name")).to_be_visible()
        assert self.problems == [], "\n".join(self.problems)
        assert self.errors == [], self.errors

    # -- the high-contrast theme ---------------------------------------------------------------------
    def test_the_high_contrast_switch_is_remembered_and_meets_aaa(self) -> None:
        wall = self.wall()
        switch = wall.get_by_role("button", name="High contrast")
        expect(switch).to_have_attribute("aria-pressed", "false")  # off until the host asks
        assert wall.evaluate("document.documentElement.dataset.theme") is None
        switch.click()
        expect(switch).to_have_attribute("aria-pressed", "true")
        expect(wall.locator("html")).to_have_attribute("data-theme", "contrast")
        background = wall.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert background == "rgb(255, 255, 255)", background

        def audit(view: str) -> None:
            """Reloaded into each view: the switch is remembered, and every line meets 7:1 (4.5:1 large)."""
            wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
            self.view(wall, view)
            expect(wall.get_by_role("button", name="High contrast")).to_have_attribute("aria-pressed", "true")
            for size in (HD, FULL_HD):
                wall.set_viewport_size(size)
                assert wall.evaluate(AUDIT, True) == [], (view, size)
            screenshot(wall, f"wall-contrast-{view}-1920")

        audit("lobby")
        services.open_market(self.teacher, self.market.pk)
        ana = self.game.players.get(nickname="Annabel Lee")
        services.place_trade(ana, self.market.pk, Order("target", 450, 60), idempotency_key="a1")
        services.close_market(self.teacher, self.market.pk, countdown=600)
        audit("market")
        services.close_market(self.teacher, self.market.pk)
        services.resolve_market(self.teacher, self.market.pk, 430)
        audit("answer")
        services.step_market(self.teacher, self.market.pk, phase="lesson")
        audit("lesson")
        services.finish_game(self.teacher, self.game)
        audit("podium")
        # Switched off, it stays off.
        wall.get_by_role("button", name="High contrast").click()
        wall.reload()
        self.view(wall, "podium")
        expect(wall.get_by_role("button", name="High contrast")).to_have_attribute("aria-pressed", "false")
        assert wall.evaluate("document.documentElement.dataset.theme") is None
        assert self.errors == [], self.errors
