"""The projector in a real browser: one page on the wall that follows the game by itself.

The host steps the game through the JSON API (the same services the control page calls) and players
trade through it; the projector page, opened once and never reloaded, moves from the lobby to the live
market, to each answer, to the podium show, and fits 1280×720 and 1920×1080 without a scrollbar.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import queries, services
from mmgame.models import Game, Market
from mmgame.round import for_pages

from .browser import WAIT, BrowserTestCase, assert_wall_fits, screenshot, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
FULL_HD = {"width": 1920, "height": 1080}

# Which podium places are revealed, in the order they are (static/js/podium.js sets data-revealed).
WATCH_REVEALS = """() => {
  window.__reveals = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.hasAttribute("data-revealed")) window.__reveals.push(r.target.dataset.place || "rest");
    }
  }).observe(document.getElementById("room"), { attributes: true, subtree: true, attributeFilter: ["data-revealed"] });
}"""

FONT_SIZE = "(selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"


class ProjectorTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.api = self.playwright.request.new_context()  # the players' phones, as API clients

    def tearDown(self) -> None:
        self.api.dispose()
        super().tearDown()

    # -- helpers -----------------------------------------------------------------------------------
    def host_page(self) -> Page:
        host = self.page("host", HD)
        self.sign_in(host, "teacher", PASSWORD)
        expect(host).to_have_url(self.url("/host/"))
        return host

    def projector(self, host: Page, game: Game, path: str = "projector") -> Page:
        page = host.context.new_page()
        watch_errors(page, self.errors, "projector")
        page.goto(self.url(f"/host/games/{game.pk}/{path}/"))
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return page

    def host_says(self, host: Page, path: str, body: dict | None = None) -> dict:
        """A host's step through the JSON API, signed in as the host page is (session and CSRF token)."""
        token = next(c["value"] for c in host.context.cookies() if c["name"] == "csrftoken")
        response = host.context.request.post(self.url(f"/api/{path}"), data=body or {}, headers={"X-CSRFToken": token})
        assert response.ok, (path, response.status, response.text())
        return response.json()

    def join(self, game: Game, name: str) -> str:
        response = self.api.post(self.url(f"/api/games/{game.join_code}/join"), data={"nickname": name})
        assert response.status == 201, response.text()
        return response.json()["seat_token"]

    def trade(self, seat: str, market: Market, mean: float, sd: float, key: str) -> None:
        order = {"kind": "toward", "mean": mean, "sd": sd, "idempotency_key": key}
        url = self.url(f"/api/markets/{market.pk}/trades")
        response = self.api.post(url, data=order, headers={"X-Seat-Token": seat})
        assert response.status == 201, response.text()

    def view(self, page: Page, name: str) -> None:
        expect(page.locator("#room")).to_have_attribute("data-view", name)
        expect(page.locator(f"[data-view-name={name}]")).to_be_visible()

    def fits(self, page: Page, name: str, *, publish: bool = False) -> None:
        """At both projector sizes the view shows whole, with no scrollbar; a screenshot of each (the README
        shows the 1280×720 ones)."""
        for size in (FULL_HD, HD):
            assert_wall_fits(page, size)
            screenshot(page, f"{name}-{size['width']}", publish=publish and size == HD)

    # -- the scenario --------------------------------------------------------------------------------
    def test_the_projector_follows_the_game_from_lobby_to_podium(self) -> None:
        game = services.create_game(self.teacher, "Science fair")
        question = "How many jelly beans are in the jar?"
        beans = services.add_market(self.teacher, game, question=question, unit="beans", lo=0, hi=1000, integer=True)
        pages = services.add_market(self.teacher, game, question="How many pages has the book?", lo=0, hi=800)
        host = self.host_page()

        # The old lobby address is the projector: one page for the wall, from the first minute.
        wall = self.projector(host, game, "lobby")
        expect(wall).to_have_url(self.url(f"/host/games/{game.pk}/projector/"))
        self.view(wall, "lobby")
        expect(wall.locator(".big-code")).to_have_text(game.join_code)
        expect(wall.locator(".qr-box svg")).to_be_visible()
        expect(wall.locator(".view-lobby .url")).to_have_text(f"{self.live_server_url}/join/{game.join_code}/")
        assert wall.evaluate(FONT_SIZE, ".big-code") >= 100  # the code, read from the back of the room

        # Names arrive live.
        seats = {name: self.join(game, name) for name in ("Ann", "Ben", "Cat")}
        expect(wall.locator("[data-bind=players] li")).to_have_text(["Ann", "Ben", "Cat"])
        expect(wall.locator(".view-lobby [data-count=players]")).to_have_text("3")
        self.fits(wall, "projector-lobby", publish=True)

        # The host opens the first question: the wall shows the live market by itself.
        self.host_says(host, f"markets/{beans.pk}/open")
        self.view(wall, "market")
        expect(wall.locator("[data-bind=question]")).to_have_text("How many jelly beans are in the jar?")
        expect(wall.locator("[data-bind=status-text]")).to_contain_text("Open")
        expect(wall.locator(".view-market [data-count=players]")).to_have_text("3")
        assert wall.evaluate(FONT_SIZE, "[data-bind=question]") >= 36
        for key, (name, mean, sd) in enumerate([("Ann", 380, 120), ("Ben", 460, 100), ("Cat", 430, 80)]):
            self.trade(seats[name], beans, mean, sd, f"k{key}")
        expect(wall.locator("[data-bind=feed] li")).to_have_count(3)
        expect(wall.locator("[data-bind=feed] li").first).to_contain_text("Cat moved it to")
        expect(wall.locator("[data-bind=board] li")).to_have_count(3)
        expect(wall.locator("[data-chart=curve] .forecast-line")).to_have_count(3)  # each player's forecast, faint
        beans.refresh_from_db()
        expect(wall.locator("[data-bind=forecast]")).to_contain_text(f"{round(beans.mean):,}")
        # A countdown, large.
        self.host_says(host, f"markets/{beans.pk}/close", {"countdown": 600})
        expect(wall.locator("[data-bind=countdown]")).to_contain_text("Closes in 9:5")
        assert wall.evaluate(FONT_SIZE, "[data-bind=countdown]") >= 36
        self.fits(wall, "projector-market", publish=True)

        # The next question opens (closing the first): the wall moves on.
        self.host_says(host, f"markets/{pages.pk}/open", {"close_others": True})
        expect(wall.locator("[data-bind=question]")).to_have_text("How many pages has the book?")
        expect(wall.locator("[data-bind=feed] li")).to_have_count(0)
        # The first market is resolved while the second trades: its answer is still revealed on the wall.
        self.host_says(host, f"markets/{beans.pk}/resolve", {"outcome": 420})
        self.view(wall, "answer")
        expect(wall.locator("[data-bind=answer-question]")).to_have_text("How many jelly beans are in the jar?")
        expect(wall.locator("[data-bind=answer-value]")).to_have_text("420 beans")
        assert wall.evaluate(FONT_SIZE, "[data-bind=answer-value]") >= 60
        expect(wall.locator("[data-chart=answer-curve] .outcome-label")).to_contain_text("420")
        beans.refresh_from_db()
        expect(wall.locator("[data-bind=answer-board] li .score")).to_have_count(3)
        self.fits(wall, "projector-answer", publish=True)
        # The lesson, in plain words, is the host's next step.
        self.host_says(host, f"markets/{beans.pk}/phase", {"phase": "lesson"})
        self.view(wall, "lesson")
        expect(wall.locator("[data-bind=lesson] .verdict")).to_contain_text("3 of you who traded")
        expect(wall.locator("[data-bind=lesson-scores]")).to_contain_text("The market's final forecast")
        self.fits(wall, "projector-lesson")
        # A trade in the trading market does not take the lesson off the wall; the host's next step does.
        self.trade(seats["Ann"], pages, 300, 100, "p1")
        wall.wait_for_timeout(500)
        self.view(wall, "lesson")
        self.host_says(host, f"markets/{pages.pk}/show")
        self.view(wall, "market")
        self.host_says(host, f"markets/{pages.pk}/pause")
        expect(wall.locator("[data-bind=status-text]")).to_contain_text("Paused")
        expect(wall.locator("[data-bind=feed] li")).to_have_count(1)

        # The current market closes and resolves: its answer.
        self.host_says(host, f"markets/{pages.pk}/close")
        expect(wall.locator("[data-bind=status-text]")).to_contain_text("Closed")
        self.host_says(host, f"markets/{pages.pk}/resolve", {"outcome": 310})
        self.view(wall, "answer")
        expect(wall.locator("[data-bind=answer-value]")).to_have_text("310")

        # The end: the podium is a show, third, second, first, then the rest.
        wall.evaluate(WATCH_REVEALS)
        self.host_says(host, f"games/{game.join_code}/finish")
        self.view(wall, "podium")
        expect(wall.locator(".podium-show li[data-revealed]")).to_have_count(3, timeout=WAIT)
        expect(wall.locator(".view-podium .rest")).to_have_attribute("data-revealed", "", timeout=WAIT)
        assert wall.evaluate("window.__reveals") == ["3", "2", "1", "rest"]
        standings = queries.game_leaderboard(Game.objects.get(pk=game.pk))
        for place, standing in enumerate(standings[:3], start=1):
            slot = wall.locator(f".podium-show li[data-place='{place}']")
            expect(slot.locator(".name")).to_have_text(standing.nickname)
            expect(slot.locator(".medal")).to_have_text(str(standing.rank))
        self.fits(wall, "projector-podium-three")
        assert self.errors == [], self.errors

    def test_the_podium_reveals_every_place_in_turn_then_the_rest(self) -> None:
        game, standings = self.finished_game(
            ["Ann", "Ben", "Cat", "Dan", "Eve", "Fay", "Gus", "Hal", "Ida", "Jo", "Kim"]
        )
        host = self.host_page()
        wall = host.context.new_page()
        watch_errors(wall, self.errors, "projector")
        wall.add_init_script(f"window.addEventListener('DOMContentLoaded', {WATCH_REVEALS});")
        wall.goto(self.url(f"/host/games/{game.pk}/projector/"))
        self.view(wall, "podium")
        expect(wall.locator(".view-podium .rest")).to_have_attribute("data-revealed", "", timeout=WAIT)
        assert wall.evaluate("window.__reveals") == ["3", "2", "1", "rest"]
        expect(wall.locator(".view-podium .rest li")).to_have_count(7)  # the wall gets the top ten
        fourth = standings[3]
        expect(wall.locator(".view-podium .rest li").first).to_contain_text(f"{fourth.rank}. {fourth.nickname}")
        self.fits(wall, "projector-podium", publish=True)
        assert self.errors == [], self.errors

    def test_with_reduced_motion_the_podium_is_shown_at_once(self) -> None:
        game, _ = self.finished_game(["Ann", "Ben", "Cat", "Dan"])
        self.host_page()
        context = self.browser.new_context(viewport=HD, locale="en", reduced_motion="reduce")
        self.contexts.append(context)
        wall = context.new_page()
        self.sign_in(wall, "teacher", PASSWORD)
        watch_errors(wall, self.errors, "projector")
        wall.goto(self.url(f"/host/games/{game.pk}/projector/"))
        self.view(wall, "podium")
        assert wall.locator(".podium-show li[data-revealed]").count() == 3
        assert wall.locator(".view-podium .rest").get_attribute("data-revealed") == ""
        assert self.errors == [], self.errors

    def test_the_full_screen_button_puts_the_page_on_the_whole_screen(self) -> None:
        game = services.create_game(self.teacher, "Science fair")
        wall = self.projector(self.host_page(), game)
        button = wall.get_by_role("button", name="Full screen")
        button.click()
        expect(wall.get_by_role("button", name="Exit full screen")).to_have_attribute("aria-pressed", "true")
        assert wall.evaluate("document.fullscreenElement === document.documentElement")
        wall.get_by_role("button", name="Exit full screen").click()
        expect(wall.get_by_role("button", name="Full screen")).to_have_attribute("aria-pressed", "false")
        assert self.errors == [], self.errors

    def test_a_full_room_keeps_to_one_screen_with_the_newest_names_in_view(self) -> None:
        game = services.create_game(self.teacher, "Lecture hall", max_players=400)
        question = "How many of the " + "very " * 40 + "long questions fit on the wall at once?"
        market = services.add_market(self.teacher, game, question=question, lo=0, hi=100)
        names = [f"Student {i:03d} of the hall" for i in range(300)]  # near the longest (24)
        for name in names:
            services.join_game(game.join_code, name)
        wall = self.projector(self.host_page(), game)
        self.view(wall, "lobby")
        more = wall.locator("[data-bind=players] li.more")
        expect(more).to_contain_text("more")
        expect(wall.locator("[data-bind=players] li").last).to_have_text(names[-1])
        shown = wall.locator("[data-bind=players] li:not(.more)").count()
        expect(more).to_have_text(f"+{len(names) - shown} more")
        self.fits(wall, "projector-lobby-full")
        services.open_market(self.teacher, market.pk)
        wall.reload()
        self.view(wall, "market")
        self.fits(wall, "projector-market-long")
        # The whole question, in smaller type rather than cut, still large enough for the back of the room.
        for size in (FULL_HD, HD):
            wall.set_viewport_size(size)
            expect(wall.locator("[data-bind=question]")).to_have_text(question)
            wall.wait_for_timeout(150)
            cut = wall.evaluate(
                "() => { const q = document.getElementById('question'); return q.scrollHeight - q.clientHeight; }"
            )
            assert cut <= 1 and wall.evaluate(FONT_SIZE, "[data-bind=question]") >= 18, size
        assert self.errors == [], self.errors

    def test_the_wall_shows_the_games_current_market(self) -> None:
        """static/js/store.js: every screen shows the market the game's `current_market_id` names (the host's
        choice, stored with the game); until its news has come, the latest one whose question is shown."""
        page = self.page("current")
        page.goto(self.url("/"))
        shown = page.evaluate(
            """async (table) => {
                // The round's table, as every page that follows a game carries it (mmgame/round.py).
                const script = Object.assign(document.createElement("script"), { id: "round" });
                script.type = "application/json";
                script.textContent = JSON.stringify(table);
                document.body.append(script);
                const { Store } = await import("/static/js/store.js");
                const market = (id, phase, status = "draft") => ({ id, number: id, phase, status });
                const store = new Store();
                const seen = [];
                const snapshot = (current, markets) => {
                  store.snapshot({ game: { current_market_id: current }, markets, players: [] });
                  seen.push(store.current?.id ?? null);
                };
                snapshot(null, []);                                                     // the lobby
                snapshot(null, [market(1, "draft")]);                                   // a draft is nobody's
                snapshot(1, [market(1, "question")]);                                   // its question
                snapshot(2, [market(1, "answer", "resolved"), market(2, "trading", "open")]);
                snapshot(1, [market(1, "lesson", "resolved"), market(2, "trading", "open")]); // shown again
                snapshot(3, [market(1, "lesson", "resolved"), market(2, "closed", "closed")]); // not yet here
                store.markets.set(3, market(3, "guess"));                               // its news came
                seen.push(store.current.id);
                return seen;
            }""",
            for_pages(),
        )
        assert shown == [None, None, 1, 2, 1, 2, 3]

    def finished_game(self, names: list[str]) -> tuple[Game, list]:
        from mmgame.market import Order

        game = services.create_game(self.teacher, "Science fair")
        market = services.add_market(self.teacher, game, question="Beans?", unit="beans", lo=0, hi=1000, integer=True)
        services.open_market(self.teacher, market.pk)
        for i, name in enumerate(names):
            player = services.join_game(game.join_code, name)
            services.place_trade(player, market.pk, Order("toward", 300 + 60 * i, 90), idempotency_key=f"k{i}")
        services.close_market(self.teacher, market.pk)
        services.resolve_market(self.teacher, market.pk, 420)
        game = services.finish_game(self.teacher, game)
        return game, queries.game_leaderboard(game)
