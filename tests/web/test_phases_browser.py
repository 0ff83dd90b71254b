"""The round in phases, in a real browser (issue #12 §1, §2, §4): the projector and a 360×640 phone follow
the game's current market from its question to the podium by themselves.

The host steps the market through the services (as the control room does); one player uses the phone page,
the others play through the API. Each phase is checked on the wall (1280×720) and on the phone, and
screenshotted into test-artifacts/ (copies in /tmp/phase-shots/ when that folder exists).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Game, Market

from .browser import WAIT, BrowserTestCase, assert_wall_fits, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
FULL_HD = {"width": 1920, "height": 1080}
QUESTION = "How many jelly beans are in the jar?"
SHOTS = Path("/tmp/phase-shots")
FONT_SIZE = "(selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"


def shot(page: Page, name: str) -> None:
    path = screenshot(page, name)
    if SHOTS.is_dir():
        shutil.copyfile(path, SHOTS / path.name)


class PhasesTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science fair")
        self.market = services.add_market(
            self.teacher, self.game, question=QUESTION, unit="beans", lo=0, hi=1000, integer=True, first_guess=True
        )
        services.set_answer(self.teacher, self.market.pk, 420)  # in advance, a secret until the answer
        self.api = self.playwright.request.new_context()  # the other players' phones, as API clients
        self.signed_in: Page | None = None  # the host's page (the wall), once open

    def tearDown(self) -> None:
        self.api.dispose()
        super().tearDown()

    # -- helpers -----------------------------------------------------------------------------------
    # Once the wall is up, the host steps through the JSON API (as the control room does), so that the news
    # starts in the server's process; before, through the services.
    def host_says(self, path: str, body: dict | None = None) -> None:
        token = next(c["value"] for c in self.signed_in.context.cookies() if c["name"] == "csrftoken")
        response = self.signed_in.context.request.post(
            self.url(f"/api/{path}"), data=body or {}, headers={"X-CSRFToken": token}
        )
        assert response.ok, (path, response.status, response.text())

    def step(self, phase: str, confirm: bool = False) -> None:
        if self.signed_in is None:
            services.step_market(self.teacher, self.market.pk, phase=phase, confirm=confirm)
        else:
            self.host_says(f"markets/{self.market.pk}/phase", {"phase": phase, "confirm": confirm})

    def join(self, name: str) -> str:
        response = self.api.post(self.url(f"/api/games/{self.game.join_code}/join"), data={"nickname": name})
        assert response.status == 201, response.text()
        return response.json()["seat_token"]

    def player_says(self, seat: str, path: str, body: dict) -> None:
        response = self.api.post(
            self.url(f"/api/markets/{self.market.pk}/{path}"), data=body, headers={"X-Seat-Token": seat}
        )
        assert response.ok, (path, response.status, response.text())

    def wall(self) -> Page:
        page = self.page("host", HD)
        self.sign_in(page, "teacher", PASSWORD)
        expect(page).to_have_url(self.url("/host/"))
        page.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        self.signed_in = page
        return page

    def phone(self, name: str) -> Page:
        return self.join_phone(self.game.join_code, name)

    def seat(self, name: str):
        return self.game.players.get(nickname=name)

    def view(self, wall: Page, name: str) -> None:
        expect(wall.locator("#room")).to_have_attribute("data-view", name, timeout=WAIT)
        expect(wall.locator(f"[data-view-name={name}]")).to_be_visible()

    def fits(self, page: Page) -> None:
        """The view shows whole at 1920×1080 and at 1280×720, with no scrollbar and nothing cut off."""
        for size in (FULL_HD, HD):
            assert_wall_fits(page, size)

    def phase(self, phone: Page, name: str) -> None:
        expect(phone.locator("#play")).to_have_attribute("data-phase", name, timeout=WAIT)

    # -- the scenario --------------------------------------------------------------------------------
    def test_question_and_first_guesses_on_the_wall_and_the_phone(self) -> None:
        wall = self.wall()
        self.view(wall, "lobby")
        ana = self.phone("Ana")
        ben = self.join("Ben")

        # The question, on every screen.
        self.host_says(f"markets/{self.market.pk}/show")
        self.view(wall, "question")
        expect(wall.locator("[data-bind=ask-question]")).to_have_text(QUESTION)
        expect(wall.locator("[data-bind=guess-count]")).to_have_text("2 players are here")
        assert wall.evaluate(FONT_SIZE, "[data-bind=ask-question]") >= 60
        shot(wall, "wall-1-question")
        self.fits(wall)
        self.phase(ana, "question")
        expect(ana.locator("[data-bind=question]")).to_have_text(QUESTION)
        expect(ana.locator("[data-bind=phase-note]")).to_have_text("Wait for the host…")
        expect(ana.locator("[data-bind=trade-form]")).to_be_hidden()
        shot(ana, "phone-1-question")

        # First guesses, sealed, against a timer: the wall counts them.
        self.step("guess")
        self.host_says(f"markets/{self.market.pk}/close", {"countdown": 120})
        self.view(wall, "question")
        expect(wall.locator("[data-bind=guess-count]")).to_have_text("0 of 2 have guessed")
        expect(wall.locator("[data-bind=guess-timer]")).to_contain_text(re.compile(r"[12]:\d\d left to guess"))
        assert wall.evaluate(FONT_SIZE, "[data-bind=guess-timer]") >= 48
        self.phase(ana, "guess")
        expect(ana.locator("[data-bind=countdown]")).to_contain_text("left to guess")
        lock = ana.get_by_role("button", name="Lock in my guess")
        expect(lock).to_be_visible()
        expect(ana.locator("[data-bind=pnl]")).to_be_hidden()  # a guess costs nothing: no profit or loss
        ana.get_by_label("Middle", exact=True).fill("430")
        ana.get_by_label("Give or take", exact=True).fill("60")
        expect(ana.locator("[data-bind=hint]")).to_contain_text("Read as 430")
        lock.click()
        expect(ana.locator("[data-bind=my-guess]")).to_contain_text("Your guess: 430 ± 60")
        expect(ana.locator("[data-bind=my-guess]")).to_contain_text("You can change it until time is up.")
        change = ana.get_by_role("button", name="Change my guess")  # locked in: the button says so
        expect(change).to_be_visible()
        expect(wall.locator("[data-bind=guess-count]")).to_have_text("1 of 2 have guessed")
        shot(ana, "phone-2-guess")
        # A guess may be changed until the phase ends; the count stays.
        ana.get_by_label("Middle", exact=True).fill("450")
        change.click()
        expect(ana.locator("[data-bind=my-guess]")).to_contain_text("Your guess: 450 ± 60")
        self.player_says(ben, "guess", {"mean": 600, "sd": 100})
        expect(wall.locator("[data-bind=guess-count]")).to_have_text("2 of 2 have guessed")
        shot(wall, "wall-2-guess")
        self.fits(wall)

        # The guesses revealed: a dot each, their average; the phone marks its own.
        self.step("guesses", confirm=True)
        self.view(wall, "guesses")
        expect(wall.locator("[data-chart=strip] .strip-dot")).to_have_count(2)
        expect(wall.locator("[data-chart=strip] .strip-average-label")).to_contain_text("Class average: 525")
        expect(wall.locator("[data-bind=guesses-summary]")).to_contain_text("2 first guesses")
        shot(wall, "wall-3-guesses")
        self.fits(wall)
        self.phase(ana, "guesses")
        expect(ana.locator("[data-bind=trade-form]")).to_be_hidden()
        expect(ana.locator("[data-chart=strip] .strip-dot")).to_have_count(2)
        expect(ana.locator("[data-chart=strip] .strip-mine-label")).to_have_text("your guess")
        expect(ana.locator("[data-bind=strip-mine]")).to_contain_text("Your guess: 450 ± 60")
        expect(ana.locator("[data-bind=my-guess]")).to_be_hidden()
        shot(ana, "phone-3-guesses")
        assert self.errors == [], self.errors

    def test_trading_the_answer_the_lesson_and_the_podium(self) -> None:
        ben = self.join("Ben")
        services.show_market(self.teacher, self.market.pk)
        self.step("guess")
        self.player_says(ben, "guess", {"mean": 700, "sd": 100})
        wall = self.wall()
        ana = self.phone("Ana")
        self.phase(ana, "guess")  # landed in the current phase
        ana.get_by_label("Middle", exact=True).fill("400")
        ana.get_by_label("Give or take", exact=True).fill("80")
        ana.get_by_role("button", name="Lock in my guess").click()
        expect(ana.locator("[data-bind=my-guess]")).to_contain_text("Your guess: 400")
        # No timer runs: no "until time is up" (the host ends the phase; the button offers a change).
        expect(ana.locator("[data-bind=my-guess]")).not_to_contain_text("time is up")
        expect(ana.get_by_role("button", name="Change my guess")).to_be_visible()
        self.step("guesses", confirm=True)
        self.step("trading")

        # Trading: the live market, the phone's Confirm; the guess's message is gone.
        self.view(wall, "market")
        self.phase(ana, "trading")
        expect(ana.get_by_role("button", name="Make this trade")).to_be_visible()
        expect(ana.locator("[data-bind=my-guess]")).to_be_hidden()
        ana.get_by_label("Middle", exact=True).fill("410")
        ana.get_by_label("Give or take", exact=True).fill("100")
        expect(ana.locator("[data-bind=pnl]")).to_contain_text("If it's")
        ana.get_by_role("button", name="Make this trade").click()
        expect(ana.locator("[data-bind=result]")).to_contain_text("Done")
        self.player_says(ben, "trades", {"kind": "toward", "mean": 650, "sd": 90, "idempotency_key": "b1"})
        expect(wall.locator("[data-bind=feed] li")).to_have_count(2)
        shot(wall, "wall-4-trading")
        shot(ana, "phone-4-trading")

        # Closed: the phone says what comes next; the message of the trade goes.
        self.step("closed")
        expect(wall.locator("[data-bind=status-text]")).to_contain_text("Closed")
        self.phase(ana, "closed")
        expect(ana.locator("[data-bind=phase-note]")).to_have_text("Trading is closed — wait for the answer.")
        expect(ana.locator("[data-bind=trade-form]")).to_be_hidden()
        shot(ana, "phone-5-closed")

        # The answer: it falls onto the curve on the wall; each phone shows its own result.
        self.step("answer", confirm=True)
        self.view(wall, "answer")
        expect(wall.locator("[data-bind=answer-value]")).to_have_text("420 beans")
        shot(wall, "wall-5-answer")
        self.fits(wall)
        self.phase(ana, "answer")
        card = ana.locator("[data-bind=resolution]")
        expect(card).to_be_visible()
        expect(card.locator("[data-bind=outcome]")).to_have_text("420 beans")
        expect(ana.locator("#curve-chart")).to_be_hidden()
        market = Market.objects.get(pk=self.market.pk)
        rank = next(s.rank for s in queries.market_leaderboard(market) if s.nickname == "Ana")
        expect(card.locator("[data-bind=payout-rank]")).to_have_attribute("data-value", str(rank))
        expect(card.locator("[data-bind=payout-rank]")).to_have_text(f"Rank {rank} of 2")
        payout = market.positions.get(player__nickname="Ana").payout
        expect(card.locator("[data-bind=payout]")).to_have_attribute("data-value", re.compile(r"^\d"))
        assert abs(float(card.locator("[data-bind=payout]").get_attribute("data-value")) - payout) < 1e-6
        expect(card.locator("[data-bind=guess-verdict]")).to_have_text(
            re.compile("(beat|did worse than) the market's starting forecast")
        )
        expect(card.locator("[data-bind=forecast-verdict]")).to_have_text("beat the market's starting forecast")
        assert "ln p" in card.locator("[data-bind=forecast-verdict]").get_attribute("title")
        # 420 lies inside 400 ± 1.645·80 and 410 ± 1.645·100 (the server's rule: mmgame.market.inside_90).
        expect(card.locator("[data-bind=range-verdict]")).to_have_text(
            "first guess held the answer · last forecast held the answer"
        )
        ana.get_by_role("tab", name=re.compile("^Me")).click()
        expect(ana.locator("[data-bind=worth-row]")).to_be_hidden()  # no "if the market is right" now
        ana.get_by_role("tab", name="Forecast").click()
        shot(ana, "phone-6-answer")

        assert self.errors == [], self.errors

    def test_the_lesson_in_words_and_the_podium(self) -> None:
        ana = self.phone("Ana")
        ben = services.join_game(self.game.join_code, "Ben")
        seat = self.seat("Ana")
        services.show_market(self.teacher, self.market.pk)
        self.step("guess")
        services.submit_guess(ben, self.market.pk, Order("target", 700, 100))
        services.submit_guess(seat, self.market.pk, Order("target", 400, 80))
        self.step("guesses", confirm=True)
        self.step("trading")
        services.place_trade(seat, self.market.pk, Order("toward", 410, 100), idempotency_key="a1")
        services.place_trade(ben, self.market.pk, Order("toward", 650, 90), idempotency_key="b1")
        self.step("closed")
        self.step("answer", confirm=True)
        ana.reload()  # a reload lands in the current phase
        self.phase(ana, "answer")
        expect(ana.locator("[data-bind=lesson]")).to_be_empty()  # the lesson is the next step
        wall = self.wall()
        self.view(wall, "answer")

        # The lesson, in words.
        self.step("lesson")
        self.view(wall, "lesson")
        both = re.compile(r"(both|of the 2) of you who traded", re.IGNORECASE)  # the two who traded
        expect(wall.locator("[data-bind=lesson] .verdict")).to_contain_text(both)
        expect(wall.locator("[data-bind=lesson]")).to_contain_text("first guesses")
        shot(wall, "wall-6-lesson")
        self.fits(wall)
        self.phase(ana, "lesson")
        expect(ana.locator("[data-bind=lesson] .verdict")).to_contain_text("of you who traded")
        shot(ana, "phone-7-lesson")

        # The podium: a show on the wall, my place on the phone.
        self.host_says(f"games/{self.game.join_code}/finish")
        game = Game.objects.get(pk=self.game.pk)
        self.view(wall, "podium")
        self.phase(ana, "podium")
        place = next(s.rank for s in queries.game_leaderboard(game) if s.nickname == "Ana")
        expect(ana.locator("[data-bind=game-over]")).to_contain_text(f"you finished rank {place} of 2")
        shot(ana, "phone-8-podium")
        assert self.errors == [], self.errors

    def test_a_late_joiner_and_a_reload_land_in_the_phase_and_time_up_says_why(self) -> None:
        services.show_market(self.teacher, self.market.pk)
        self.step("guess")
        # Long enough for a phone to join on a busy machine (6 s was not, once): the host then cuts it short.
        services.close_market(self.teacher, self.market.pk, countdown=60)
        ana = self.phone("Ana")  # joins while the guesses are taken
        self.phase(ana, "guess")
        expect(ana.get_by_role("button", name="Lock in my guess")).to_have_attribute("aria-disabled", "false")
        services.close_market(self.teacher, self.market.pk, countdown=2)  # "two seconds left!"
        # Time runs out: the inputs are disabled and say why.
        middle = ana.get_by_label("Middle", exact=True)
        expect(middle).to_be_disabled(timeout=15_000)
        expect(middle).to_have_accessible_description("Time is up: you did not give a guess this time.")
        expect(ana.get_by_role("button", name="Lock in my guess")).to_have_attribute("aria-disabled", "true")
        expect(ana.locator("[data-bind=countdown]")).to_have_text("Time is up")
        shot(ana, "phone-2b-time-up")
        ana.reload()
        self.phase(ana, "guess")
        expect(ana.get_by_label("Middle", exact=True)).to_be_disabled()
        self.step("guesses", confirm=True)
        ana.reload()
        self.phase(ana, "guesses")
        cat = self.phone("Cat")
        self.phase(cat, "guesses")
        expect(cat.locator("[data-bind=strip-summary]")).to_have_text("Nobody gave a first guess.")
        assert self.errors == [], self.errors

    def test_the_lesson_says_each_outcome_in_words(self) -> None:
        """static/js/lesson.js: a table of the lesson's numbers and the headline each gives (the strings are the
        page's own, from mmgame.web.strings)."""
        from mmgame.web.strings import script_strings

        page = self.page("lesson")
        page.goto(self.url("/"))
        cases = [
            # market score, traders, beaten, guessers, beaten, average guess's score → the headline
            ((1.0, 28, 24, 0, 0, 0.5), "The market's final forecast beat 24 of the 28 of you who traded, and the"),
            ((1.0, 28, 24, 0, 0, 1.5), "The market's final forecast beat 24 of the 28 of you who traded, but not the"),
            ((1.0, 5, 5, 0, 0, None), "The market's final forecast beat every one of the 5 of you who traded."),
            ((-1.0, 3, 0, 0, 0, None), "All 3 of you who traded beat the market's final forecast."),
            ((0.0, 0, 0, 4, 2, 0.3), "Nobody traded, so the market kept its starting forecast."),
            ((1.0, 1, 1, 1, 0, 0.5), "The market's final forecast beat the only one of you who traded, and the class"),
            ((-1.0, 1, 0, 0, 0, None), "The only one of you who traded beat the market's final forecast."),
            ((1.0, 2, 2, 0, 0, 1.5), "The market's final forecast beat both of you who traded, but not the class"),
            ((-1.0, 2, 0, 0, 0, None), "Both of you who traded beat the market's final forecast."),
        ]
        said = page.evaluate(
            """async ([T, cases]) => {
                const { lessonSentences } = await import("/static/js/lesson.js");
                return cases.map(([m, t, tb, g, gb, avg]) => lessonSentences(T, {
                  market: m, traders: t, traders_beaten: tb, guessers: g, guessers_beaten: gb, guess_average: avg,
                }, { firstGuess: true }).map((s) => s.text));
            }""",
            [script_strings(), [list(numbers) for numbers, _ in cases]],
        )
        for (numbers, headline), sentences in zip(cases, said, strict=True):
            assert sentences[0].startswith(headline), (numbers, sentences)
        assert said[4][1:] == [
            "The class's average first guess beat the starting forecast.",
            "The market's final forecast beat 2 of the 4 first guesses.",
        ]
        assert "Nobody gave a first guess." in said[2]
        assert said[5][1] == "The only first guess beat the market's final forecast."

        # With private clues: how far off each was, on a log market as percentages, and the server's verdict on
        # whether this market shows that trading pooled them (mmgame.market.pooling): the same errors, three verdicts.
        verdicts = page.evaluate(
            """async (T) => {
                const { lessonSentences } = await import("/static/js/lesson.js");
                const numbers = { market: 1, traders: 2, traders_beaten: 2, guessers: 0, guessers_beaten: 0,
                  guess_average: 1.2, clues: 12, clue_error: 0.096, clue_error_percent: 10.1,
                  guess_error: 0.05, guess_error_percent: 5.13, market_error: 0.0426, market_error_percent: 4.35 };
                return ["pooled", "nearer", "farther"].map((pooling) =>
                  lessonSentences(T, { ...numbers, pooling }, { question: { scale: "log" } }).map((s) => s.text));
            }""",
            script_strings(),
        )
        clues = verdicts[0]
        # The headline leaves the class's average first guess to the clue lines, which compare middles (here
        # its score was better than the market's, its middle further off: "but not" would sit beside "nearer").
        assert clues[0] == "The market's final forecast beat both of you who traded."
        assert clues[-4:] == [
            "Each private clue was off by about 10.1 % (the typical one, of 12).",
            "The middle of the class's average first guess was off by 5.13 %.",
            "The middle of the market's final forecast was off by 4.35 %.",
            "The market ended nearer the true value than a typical clue, and the bets followed the clues more "
            "closely than chance would: trading pooled what each of you was told.",
        ]
        # Nearer by what may be luck: said as it is, with no claim that trading did it.
        assert verdicts[1][-1] == (
            "The market ended nearer the true value than a typical clue, but the bets did not follow the clues "
            "closely enough to rule out luck: this market does not show that trading pooled them."
        )
        assert (
            verdicts[2][-1]
            == "A typical clue was nearer the true value than the market this time: it did not pool them."
        )

    def test_the_strip_puts_a_log_markets_guesses_on_a_log_axis(self) -> None:
        """static/js/strip.js: on a log market equal factors are equal steps; dots that would overlap stack."""
        page = self.page("strip")
        page.goto(self.url("/"))
        where = page.evaluate(
            """async () => {
                const { drawStrip } = await import("/static/js/strip.js");
                const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
                Object.assign(svg.style, { width: "616px", height: "200px", display: "block" });
                document.body.append(svg);
                const market = { lo: 10, hi: 10000, scale: "log", unit: "" };
                const labels = { average: "Class average: {value}", you: "your guess" };
                drawStrip(svg, { market, middles: [100, 1000, 1000], average: 316, mine: 100, format: String, labels });
                const at = (c) => [+c.getAttribute("cx"), +c.getAttribute("cy")];
                const dots = [...svg.querySelectorAll(".strip-dot")].map(at);
                const line = (name) => +svg.querySelector(`.${name}-line`).getAttribute("x1");
                return { dots, average: line("strip-average"), mine: line("strip-mine") };
            }"""
        )
        (x100, y100), (x1000, y1000), (x1000b, y1000b) = where["dots"]
        left, right = 8, 616 - 8  # the chart's padding
        third = (right - left) / 3
        assert abs(x100 - (left + third)) < 1 and abs(x1000 - (left + 2 * third)) < 1
        assert x1000 == x1000b and y1000b < y1000 == y100  # the same guess twice: stacked
        assert abs(where["mine"] - x100) < 1 and abs(where["average"] - (left + 1.5 * third)) < 1
