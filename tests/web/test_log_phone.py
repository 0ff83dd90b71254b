"""A log-scale market on a 360×640 phone (issue #11 §1): the player forecasts "90 % sure it is between 200 and
5,000" or "about 2,000, give or take a factor of 3", drags the curve on a log axis at 1, 2, 5 × 10ⁿ, sees
the one-line profit or loss before Confirm, trades, and is paid in ln x; every screen follows."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Z90
from mmgame.models import Market, Position, Trade

from .browser import PHONE, WAIT, BrowserTestCase, drag_by, screenshot
from .test_phone import WHERE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
QUESTION = "How many piano tuners work in Chicago?"
Z = float(Z90)


class LogPhoneTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Estimation")
        self.market = services.add_market(
            self.teacher, self.game, question=QUESTION, unit="piano tuners", lo=10, hi=100000, kind="count", scale="log"
        )
        services.open_market(self.teacher, self.market.pk)

    def join(self, name: str) -> Page:
        page = self.page(name, PHONE)
        page.goto(self.url(f"/join/{self.game.join_code}/"))
        page.get_by_label("Nickname").fill(name)
        page.get_by_role("button", name="Join").click()
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return page

    def projector(self) -> Page:
        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        return host

    def on_first_screen(self, page: Page, selector: str) -> None:
        where = page.evaluate(WHERE, selector)
        assert where["scrollY"] == 0, where
        assert where["top"] >= 0 and where["bottom"] <= PHONE["height"], (selector, where)
        assert where["onTop"], (selector, "is covered", where)

    def handle_x(self, page: Page, name: str) -> float:
        cx = page.locator(f"[data-handle={name}]").get_attribute("cx")
        assert cx is not None and math.isfinite(float(cx)), (name, cx)
        return float(cx)

    def tick_x(self, page: Page) -> dict[float, float]:
        ticks = page.locator("#curve-chart text.tick[data-value]")
        expect(ticks.first).to_be_visible()
        return {float(t.get_attribute("data-value")): float(t.get_attribute("x")) for t in ticks.all()}

    def x_of(self, page: Page, value: float) -> float:
        """Where a value sits on the phone's log axis, from two of its ticks."""
        ticks = sorted(self.tick_x(page).items())
        (v0, x0), (v1, x1) = ticks[0], ticks[-1]
        return x0 + (math.log(value) - math.log(v0)) / (math.log(v1) - math.log(v0)) * (x1 - x0)

    def test_a_phone_trades_a_log_market_by_a_90_interval_and_by_a_factor_and_is_paid(self) -> None:
        projector = self.projector()
        ana = self.join("Ana")
        bea = self.join("Bea")
        line = "Market: about 1,000 piano tuners, give or take a factor of 10"
        for page in (ana, bea, projector):
            expect(page.locator("[data-bind=forecast]")).to_have_text(line)

        # The axis: 1, 2, 5 × 10ⁿ, equal ratios at equal distances.
        ticks = self.tick_x(ana)
        assert all(round(v / 10 ** math.floor(math.log10(v)), 9) in (1, 2, 5) for v in ticks), ticks
        decades = [x for v, x in sorted(ticks.items()) if round(math.log10(v), 9).is_integer()]
        assert len(decades) >= 3, ticks
        steps = [b - a for a, b in itertools.pairwise(decades)]
        assert max(steps) - min(steps) < 1, ticks
        labels = ana.locator("#curve-chart text.tick").all_text_contents()
        assert labels[:2] == ["10", "100"], labels
        # The handles sit at the market's median and a factor e^sd_log above it.
        assert self.handle_x(ana, "centre") == pytest.approx(self.x_of(ana, 1000), abs=1.5)
        assert self.handle_x(ana, "width") == pytest.approx(self.x_of(ana, 10000), abs=1.5)
        expect(ana.get_by_label("Middle", exact=True)).to_have_value("1,000")
        expect(ana.get_by_label("Give or take a factor of", exact=True)).to_have_value("×10.0")

        # "90 % sure it is between 200 and 5,000": typed, read back, the profit or loss in one line, on one screen.
        ana.get_by_label("90% sure between").check()
        ana.get_by_label("From", exact=True).fill("200")
        ana.get_by_label("To", exact=True).fill("5,000")
        expect(ana.locator("[data-bind=hint]")).to_have_text(
            "Read as 90% sure between 200 and 5000 piano tuners: confirm to trade."
        )  # as typed ("5,000" said ungrouped: it reads as 5 thousand), not "about 1,000 …, a factor of 2.7"
        expect(ana.locator("[data-bind=pnl]")).to_contain_text(
            re.compile(
                r"If it.s [\d,.]+–[\d,.]+ [ \w]+: win .+ points. "
                r"If it.s [\d,.]+: lose [\d,.]+, the most you can"
            )
        )
        for selector in (
            "#curve-chart",
            "input[name=from]",
            "input[name=to]",
            "[data-bind=pnl]",
            "[data-bind=confirm]",
        ):
            self.on_first_screen(ana, selector)
        assert self.handle_x(ana, "centre") == pytest.approx(self.x_of(ana, 1000), abs=1.5)
        assert self.handle_x(ana, "width") == pytest.approx(self.x_of(ana, 1000 * math.sqrt(25) ** (1 / Z)), abs=1.5)
        ana.locator("[data-bind=pnl]").click()
        expect(ana.locator("#profit-chart")).to_be_visible()
        profit_ticks = ana.locator("#profit-chart text.tick").all_text_contents()  # a log axis too
        assert profit_ticks == ["10", "1,000", "100,000"] or profit_ticks[:2] == ["10", "100"], profit_ticks
        expect(ana.locator("[data-bind=if-right]")).to_contain_text("points")
        expect(ana.locator("[data-bind=worst]")).to_have_text(
            re.compile(r"^[\d,.]+ points if the answer is (10|100,000) piano tuners$")
        )
        screenshot(ana, "player-phone-log-profit", full_page=True)
        ana.locator("[data-bind=pnl]").click()
        screenshot(ana, "player-phone-log", publish=True)
        box = ana.locator("[data-bind=confirm]").bounding_box()
        print(f"Confirm on a log market at 360×640: top {box['y']:.0f} px, bottom {box['y'] + box['height']:.0f} px")
        ana.locator("[data-bind=confirm]").click()
        expect(ana.locator("[data-bind=result]")).to_have_text("Done: the market is now at your forecast.")

        trade = Trade.objects.get(player__nickname="Ana")
        median, sd_log = trade.curve_x()
        assert float(median) == pytest.approx(1000, rel=1e-9)
        assert float(sd_log) == pytest.approx(math.log(25) / (2 * Z), rel=1e-9)
        moved = "Market: about 1,000 piano tuners, give or take a factor of 2.7"
        for page in (ana, bea, projector):
            expect(page.locator("[data-bind=forecast]")).to_have_text(moved)
        expect(bea.locator("[data-handle=centre]")).to_have_attribute("cx", re.compile(r"^\d"))
        ana.get_by_role("tab", name=re.compile("^Me")).click()
        expect(ana.locator("[data-bind=trade-count]")).to_have_text("1")
        expect(ana.locator("[data-bind=worth]")).to_contain_text("points")
        assert math.isfinite(float(ana.locator("[data-bind=worth]").get_attribute("data-value")))
        ana.get_by_role("tab", name="Forecast").click()

        # "About 2,000, give or take a factor of 3": the middle and a factor, typed as people type it.
        ana.get_by_label("middle, give or take a factor of").check()
        ana.get_by_label("Middle", exact=True).fill("2,000")
        ana.get_by_label("Give or take a factor of", exact=True).fill("×3")
        expect(ana.locator("[data-bind=hint]")).to_have_text(
            "Read as about 2000 piano tuners, give or take a factor of 3: confirm to trade."
        )
        expect(ana.get_by_label("From", exact=True)).to_have_value("328")  # 2,000 ÷ 3^1.645
        expect(ana.locator("[data-bind=pnl]")).to_contain_text("If it's")
        self.on_first_screen(ana, "[data-bind=confirm]")
        screenshot(ana, "player-phone-log-factor")
        ana.locator("[data-bind=confirm]").click()
        expect(ana.locator("[data-bind=result]")).to_have_text("Done: the market is now at your forecast.")
        median, sd_log = Trade.objects.filter(player__nickname="Ana").last().curve_x()
        assert (float(median), float(sd_log)) == pytest.approx((2000, math.log(3)), rel=1e-9)
        moved = "Market: about 2,000 piano tuners, give or take a factor of 3.0"
        for page in (ana, bea, projector):
            expect(page.locator("[data-bind=forecast]")).to_have_text(moved)

        # The host resolves: the phone shows the true value and the payout, paid in ln x.
        services.close_market(self.teacher, self.market.pk)
        services.resolve_market(self.teacher, self.market.pk, 1200)
        # What the test's own process changes reaches the server's rooms by their audit (every 5 s): WAIT.
        expect(ana.locator("[data-bind=outcome]")).to_have_text("1,200 piano tuners", timeout=WAIT)
        payout = Position.objects.get(player__nickname="Ana").payout
        expect(ana.locator("[data-bind=payout]")).to_have_attribute("data-value", re.compile(r"^\d"))
        assert float(ana.locator("[data-bind=payout]").get_attribute("data-value")) == pytest.approx(payout, rel=1e-12)
        prior = (math.log(1000), math.log(10**4) / 4)

        def logp(curve: tuple[float, float]) -> float:
            return -0.5 * ((math.log(1200) - curve[0]) / curve[1]) ** 2 - math.log(curve[1])

        assert payout == pytest.approx(
            1000 + self.market.liquidity * (logp((math.log(2000), math.log(3))) - logp(prior))
        )
        # The result card: how the last forecast did against the starting curve, in words (the lesson is the
        # host's next step).
        better = logp((math.log(2000), math.log(3))) > logp(prior)
        verdict = "beat the market's starting forecast" if better else "did worse than the market's starting forecast"
        expect(ana.locator("[data-bind=forecast-verdict]")).to_have_text(verdict)
        screenshot(ana, "player-phone-log-resolved", full_page=True)
        assert self.errors == [], self.errors

    def test_a_finger_and_the_arrow_keys_move_the_curve_on_the_log_axis(self) -> None:
        ana = self.join("Ana")
        middle = ana.get_by_label("Middle", exact=True)
        factor = ana.get_by_label("Give or take a factor of", exact=True)
        drag_by(ana, "[data-handle=centre]", -60)
        expect(middle).not_to_have_value("1,000")
        expect(ana.locator("[data-bind=pnl]")).to_contain_text("If it's")
        # The middle is where the handle went, on the log axis; the factor did not change.
        median = float(ana.locator("[data-handle=centre]").get_attribute("aria-valuenow"))
        assert 10 < median < 1000
        assert self.handle_x(ana, "centre") == pytest.approx(self.x_of(ana, median), abs=1.5)
        expect(factor).to_have_value("×10.0")
        # The give-or-take handle: a factor; an arrow key makes it 5 % wider in ln x.
        before = float(ana.locator("[data-handle=width]").get_attribute("aria-valuenow"))
        ana.locator("[data-handle=width]").focus()
        ana.keyboard.press("ArrowLeft")
        after = float(ana.locator("[data-handle=width]").get_attribute("aria-valuenow"))
        assert math.log(after) == pytest.approx(math.log(before) / 1.05, rel=1e-6)
        expect(ana.locator("[data-handle=width]")).to_have_attribute("aria-valuetext", re.compile(r"^×\d"))
        drag_by(ana, "[data-handle=width]", -30)
        expect(factor).not_to_have_value(re.compile(r"^×10\.0$"))
        ana.locator("[data-bind=confirm]").click()
        expect(ana.locator("[data-bind=result]")).to_have_text("Done: the market is now at your forecast.")
        assert Market.objects.get(pk=self.market.pk).sequence >= 2
        assert self.errors == [], self.errors

    def test_what_cannot_be_read_or_afforded_is_said_and_the_affordable_move_is_one_tap(self) -> None:
        ana = self.join("Ana")
        factor = ana.get_by_label("Give or take a factor of", exact=True)
        factor.fill("1")  # no give or take at all: a factor must be more than 1
        expect(ana.locator("[data-bind=hint]")).to_contain_text("Give or take a factor of at least 1.05")
        expect(factor).to_have_attribute("aria-invalid", "true")
        factor.fill("three")
        expect(ana.locator("[data-bind=hint]")).to_contain_text("Type a number, like 1.5 or ×3.")
        factor.fill("2")
        ana.get_by_label("Middle", exact=True).fill("lots")  # examples of this question's size, in its unit
        expect(ana.locator("[data-bind=hint]")).to_contain_text("Type a number, like 220 or 4,600 piano tuners.")
        ana.get_by_label("Middle", exact=True).fill("5")
        factor.fill("2")
        expect(ana.locator("[data-bind=hint]")).to_contain_text("The middle must be between 10 piano tuners and")
        # Sure it is about 50,000, give or take 5 %: more than the budget can cover.
        ana.get_by_label("Middle", exact=True).fill("50,000")
        factor.fill("1.05")
        # More than the budget can cover: the same middle, less sure, in the question's words, one tap (said
        # as soon as it is typed: the page reckons it before the server's quote comes).
        expect(ana.locator("[data-bind=hint]")).to_have_text(
            re.compile(
                r"^You haven't enough points to risk on that: about 50,000 piano tuners, give or take a factor of "
                r"[\d.]+ is the nearest you can afford\.$"
            )
        )
        offer = ana.locator("[data-bind=offer]")
        expect(offer).to_contain_text(re.compile(r"^Trade 50,000 piano tuners ×[\d.]+ instead: lose [\d,.]+ at most$"))
        screenshot(ana, "player-phone-log-afford", full_page=True)
        offer.click()
        expect(ana.locator("[data-bind=result]")).to_contain_text("Done: the market is now at your forecast.")
        trade = Trade.objects.get(player__nickname="Ana")
        assert trade.kind == "target" and trade.fraction == 1 and trade.target_mean == 50_000
        assert self.errors == [], self.errors

    def test_the_next_question_speaks_its_own_scale(self) -> None:
        ana = self.join("Ana")
        expect(ana.get_by_label("Give or take a factor of", exact=True)).to_have_value("×10.0")
        self.forecast_and_confirm(ana, "500", "4")
        expect(ana.locator("[data-bind=forecast]")).to_have_text(
            "Market: about 500 piano tuners, give or take a factor of 4.0"
        )
        beans = services.add_market(self.teacher, self.game, question="How many beans?", unit="beans", lo=0, hi=1000)
        services.close_market(self.teacher, self.market.pk)
        services.open_market(self.teacher, beans.pk)
        expect(ana.locator("[data-bind=question]")).to_have_text("How many beans?", timeout=WAIT)
        expect(ana.get_by_label("Give or take", exact=True)).to_have_value("250")
        expect(ana.get_by_label("middle, give or take", exact=True)).to_be_checked()
        self.forecast_and_confirm(ana, "400", "100")
        trade = Trade.objects.get(market=beans)
        assert (trade.target_mean, trade.target_sd) == (400, 100)

        cities = services.add_market(
            self.teacher,
            self.game,
            question="How many people live in Lagos?",
            unit="people",
            lo=10**5,
            hi=10**9,
            kind="count",
            scale="log",
        )
        services.close_market(self.teacher, beans.pk)
        services.open_market(self.teacher, cities.pk)
        expect(ana.locator("[data-bind=question]")).to_have_text("How many people live in Lagos?", timeout=WAIT)
        factor = ana.get_by_label("Give or take a factor of", exact=True)
        expect(factor).to_have_value("×10.0")
        assert factor.evaluate(
            "n => !n.closest('.pair').querySelector('select[aria-label=Magnitude]') || n.magnitude === null"
        )
        ana.get_by_label("Middle", exact=True).fill("15")
        ana.get_by_label("Magnitude").first.select_option(label="million")
        self.forecast_and_confirm(ana, None, "2")
        median, sd_log = Trade.objects.get(market=cities).curve_x()
        assert (float(median), float(sd_log)) == pytest.approx((15e6, math.log(2)), rel=1e-9)
        expect(ana.locator("[data-bind=forecast]")).to_have_text(
            "Market: about 15 million people, give or take a factor of 2.0"
        )
        assert self.errors == [], self.errors

    def forecast_and_confirm(self, page: Page, middle: str | None, give_or_take: str) -> None:
        if middle is not None:
            page.get_by_label("Middle", exact=True).fill(middle)
        page.locator("input[name=sd]").fill(give_or_take)
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")
        page.locator("[data-bind=confirm]").click()
        expect(page.locator("[data-bind=result]")).to_have_text("Done: the market is now at your forecast.")
