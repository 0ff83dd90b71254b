"""The pooling lesson in a real browser (issue #13 §5): a host adds ten informed practice traders to a market
with private clues, two phones play the round, and the lesson on the wall and on a phone says how far off
the clues, the class's average first guess and the market were.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Clue, Player, Trade

from .browser import WAIT, BrowserTestCase, assert_wall_fits, screenshot, watch_errors

HD = {"width": 1280, "height": 720}

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
QUESTION = "How many people live in the town?"


class PoolingTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Pooling")
        # A log market: the prior's median 10,000, give or take a factor of e^0.7; the answer 0.3σ₀ above it.
        self.market = services.add_market(
            self.teacher,
            self.game,
            question=QUESTION,
            unit="people",
            kind="count",
            scale="log",
            lo=100,
            hi=1_000_000,
            prior_median=10_000,
            prior_sd_log=0.7,
            answer=12_000,
            clue_noise=15,
        )

    def phone(self, name: str) -> Page:
        return self.join_phone(self.game.join_code, name)

    def next(self, host: Page, label: str, phase: str) -> None:
        self.press_next(host, label, phase)

    def test_ten_informed_practice_traders_pool_the_clues_and_the_lesson_says_so(self) -> None:
        host = self.page("host", {"width": 1280, "height": 900})
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        host.on("dialog", lambda dialog: dialog.accept())
        host.get_by_label("Add practice traders").fill("10")
        host.locator("#practice-knowledge").select_option("informed")
        host.get_by_role("button", name="Add", exact=True).click()
        expect(host.locator("[data-bind=stage-connection]")).to_have_attribute("data-state", "live")
        assert Player.objects.filter(game=self.game, is_bot=True).count() == 10
        wall = host.context.new_page()
        wall.set_viewport_size({"width": 1280, "height": 720})
        watch_errors(wall, self.errors, "wall")
        wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        ana, ben = self.phone("Ana"), self.phone("Ben")

        self.next(host, "Next question: #1", "question")
        self.next(host, "Ask for first guesses", "guess")
        # Every seat has its private clue now, the bots too; each phone shows its own alone.
        assert Clue.objects.filter(market=self.market).count() == 12
        own = Clue.objects.get(market=self.market, player__nickname="Ana").value
        clue = ana.locator("[data-bind=clue]")
        expect(clue).to_contain_text("A measurement says")
        shown = float(re.search(r"says ([\d,]+)", clue.text_content()).group(1).replace(",", ""))
        assert abs(shown - float(own)) <= 0.01 * float(own)  # written to the digits a ±15 % clue warrants
        for page, middle in ((ana, "11000"), (ben, "13000")):
            page.get_by_label("Middle", exact=True).fill(middle)
            page.get_by_label("Give or take a factor of", exact=True).fill("1.3")
            page.get_by_role("button", name="Lock in my guess").click()
            expect(page.locator("[data-bind=my-guess]")).to_contain_text("Your guess")
        # The bots lock in their guesses too, 2–12 s into the phase, as people think: the wall counts them.
        expect(wall.locator("[data-bind=guess-count]")).to_have_text("12 of 12 have guessed", timeout=20_000)
        self.next(host, "Reveal the guesses", "guesses")
        # The reveal shows the class's guesses, the ones the lesson averages: practice traders are not in the
        # class unless the host included them (Game.include_bots).
        expect(wall.locator("[data-chart=strip]")).to_have_attribute("data-dots", "2")
        expect(wall.locator("[data-bind=guesses-summary]")).to_contain_text("2 first guesses")
        self.next(host, "Open trading", "trading")

        # The bots trade by themselves, paced like people (a trade every 3–8 s each).
        ana.get_by_label("Middle", exact=True).fill("11500")
        ana.get_by_label("Give or take a factor of", exact=True).fill("1.25")
        # The bots move the market under her: a stale quote is refused and she confirms again, as people do.
        result = ana.locator("[data-bind=result]")
        for _ in range(6):
            expect(ana.locator("[data-bind=pnl]")).to_contain_text("If it's")
            ana.get_by_role("button", name="Make this trade").click()
            expect(result).not_to_have_text("Sending…")
            if "Done" in result.text_content():
                break
            expect(result).to_contain_text("The market moved")
        expect(result).to_contain_text("Done")
        host.wait_for_function(
            "() => document.querySelectorAll('[data-bind=stage-feed] li').length >= 6", timeout=40_000
        )
        expect(host.locator("[data-bind=stage-feed]")).to_contain_text("bot")
        # The wall's feed shows the people first and the bots' trades folded into one line after them.
        wall_feed = wall.locator("[data-view-name=market] .feed li")
        expect(wall_feed).to_have_count(2, timeout=WAIT)
        expect(wall_feed.first).to_contain_text("Ana moved it to")
        expect(wall_feed.last).to_have_text(re.compile(r"^\+ \d+ practice trades? 🤖 bot$"))
        expect(wall_feed.last).not_to_have_text(re.compile(r"^\+ [0-4] practice"), timeout=40_000)
        assert_wall_fits(wall, HD)
        screenshot(wall, "pooling-wall-trading")
        bot_trades = Trade.objects.filter(market=self.market, player__is_bot=True).count()
        assert bot_trades >= 5, bot_trades

        self.next(host, "Close trading", "closed")
        self.next(host, "Reveal the answer", "answer")
        # Each phone's rank in the market counts the people, as its final place will: "of 2", not "of 12".
        expect(ana.locator("[data-bind=payout-rank]")).to_have_text(re.compile(r"^Rank [12] of 2$"), timeout=WAIT)
        self.next(host, "Show the lesson", "lesson")
        for page in (wall, ana):
            lesson = page.locator("[data-bind=lesson]")
            expect(lesson).to_contain_text("Each private clue was off by about")
            expect(lesson).to_contain_text("The middle of the class's average first guess was off by")
            expect(lesson).to_contain_text("The middle of the market's final forecast was off by")
        assert_wall_fits(wall, HD)  # the lesson with its clue lines shows whole
        screenshot(wall, "pooling-wall-lesson", publish=True)
        screenshot(ana, "pooling-phone-lesson")

        # The podium: the people alone, ranked among themselves; each phone's final place is "of 2".
        self.next(host, "Show the podium", "podium")
        ranks = set()
        for page in (ana, ben):
            over = page.locator("[data-bind=game-over]")
            expect(over).to_contain_text(re.compile(r"you finished rank [12] of 2\."))
            ranks.add(over.get_attribute("data-rank"))
        assert ranks == {"1", "2"}, ranks  # Ana traded, Ben did not: they do not tie
        expect(wall.locator("[data-view-name=podium]")).not_to_contain_text("Bot")
        expect(wall.locator("[data-view-name=podium]")).to_contain_text("Ana")
        assert self.errors == [], self.errors
