"""The phone's chart at 360×640 (issue #20 §2 and §6): it zooms in on the market and my forecast, with the whole
range one tap away; a drag is measured in my forecast's own give-or-take, so that a 12-px finger (or mouse)
drag moves the middle by at most a fifth of it and the give-or-take by at most 10 %, on linear and log
questions, however far apart the two curves are; and what my budget cannot reach is shaded while I drag or
type, with the nearest affordable forecast in words, one tap to trade it."""

from __future__ import annotations

import math
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Trade

from .browser import PHONE, WAIT, BrowserTestCase, screenshot, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
FINGER = 12  # px: a small, deliberate finger movement


def press_point(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not on screen"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def mouse_drag(page: Page, x: float, y: float, dx: float) -> None:
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=6)
    page.mouse.up()


def touch_drag(page: Page, x: float, y: float, dx: float) -> None:
    """A finger: touch events through the DevTools protocol (the browser makes them pointer events)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 7):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + dx * step / 6, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def handles(page: Page) -> tuple[float, float]:
    """My forecast as the handles say it: its middle (median on a log question) and give-or-take (a factor)."""
    centre = float(page.locator("[data-handle=centre]").get_attribute("aria-valuenow"))
    width = float(page.locator("[data-handle=width]").get_attribute("aria-valuenow"))
    return centre, width


def ticks(page: Page) -> list[float]:
    return [float(t.get_attribute("data-value")) for t in page.locator("#curve-chart text.tick[data-value]").all()]


class ChartTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Chart")

    def market(self, **fields):
        market = services.add_market(self.teacher, self.game, first_guess=False, **fields)
        services.open_market(self.teacher, market.pk)
        return market

    def phone(self, name: str, touch: bool) -> Page:
        context = self.browser.new_context(viewport=PHONE, locale="en", has_touch=touch, is_mobile=touch)
        context.set_default_timeout(WAIT)
        self.contexts.append(context)
        page = context.new_page()
        watch_errors(page, self.errors, name)
        page.goto(self.url(f"/join/{self.game.join_code}/"))
        page.get_by_label("Nickname").fill(name)
        page.get_by_role("button", name="Join").click()
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return page

    def type_forecast(self, page: Page, middle: str, give_or_take: str, log: bool = False) -> None:
        page.get_by_label("Middle", exact=True).fill(middle)
        label = "Give or take a factor of" if log else "Give or take"
        page.get_by_label(label, exact=True).fill(give_or_take)
        page.get_by_label(label, exact=True).blur()
        # Quoted: what it could win or lose, or the nearest forecast offered in Confirm's place.
        expect(page.locator("[data-bind=pnl]:visible, [data-bind=offer]:visible")).not_to_have_count(0)

    def handles_are_whole(self, page: Page) -> None:
        chart = page.locator("#curve-chart").bounding_box()
        for name in ("centre", "width"):
            box = page.locator(f"[data-handle={name}]").bounding_box()
            top, bottom = chart["y"], chart["y"] + chart["height"]
            assert top <= box["y"] and box["y"] + box["height"] <= bottom, (name, box, chart)

    def drags_stay_within_bounds(self, page: Page, log: bool) -> list[str]:
        """Drag the middle, the give-or-take and the whole curve by 12 px each way, by mouse or finger:
        the middle moves by at most a fifth of the give-or-take, the give-or-take by at most 10 %."""
        seen = []
        drag = touch_drag if page.evaluate("'ontouchstart' in window") else mouse_drag
        for what in ("centre", "width", "slide"):
            for dx in (FINGER, -FINGER):
                mid, spread = handles(page)
                sd = math.log(spread) if log else spread
                if what == "slide":
                    # On the chart, away from the handles: 40 px left of the middle, low on the chart.
                    cx, _ = press_point(page, "[data-handle=centre]")
                    box = page.locator("#curve-chart").bounding_box()
                    x, y = max(box["x"] + 20, cx - 40), box["y"] + box["height"] * 0.7
                else:
                    x, y = press_point(page, f"[data-handle={what}]")
                drag(page, x, y, dx)  # the handles say the new draft as soon as the pointer lets go
                mid2, spread2 = handles(page)
                sd2 = math.log(spread2) if log else spread2
                moved = (math.log(mid2) - math.log(mid)) if log else mid2 - mid
                if what == "width":
                    assert mid2 == pytest.approx(mid, rel=1e-12), (what, dx)
                    assert 0 < abs(sd2 / sd - 1) <= 0.10, (what, dx, sd, sd2)
                    seen.append(f"{what} {dx:+d}px: give-or-take ×{sd2 / sd:.4f}")
                else:
                    assert sd2 == pytest.approx(sd, rel=1e-9), (what, dx)
                    assert 0 < abs(moved) <= sd / 5, (what, dx, moved, sd)
                    assert (moved > 0) == (dx > 0), (what, dx, moved)
                    seen.append(f"{what} {dx:+d}px: middle {moved / sd:+.4f} give-or-takes")
        return seen

    def test_a_drag_is_measured_in_the_forecasts_give_or_take_on_a_linear_question(self) -> None:
        # The hand-typed question of the walkthrough: 0–2,000 s, the market at 473 ± 78.
        self.market(
            question="How long does the kettle take to boil?", unit="s", lo=0, hi=2000, prior_mean=473, prior_sd=78
        )
        mouse, finger = self.phone("Mouse", touch=False), self.phone("Finger", touch=True)
        # Close to the market, then far from it: the same bounds either way.
        for page, middle, give_or_take in ((mouse, "520", "60"), (finger, "1,800", "40"), (mouse, "1,900", "12")):
            self.type_forecast(page, middle, give_or_take)
            # Six times surer than the market, its curve cut flat at the chart's top: the handle stays whole.
            self.handles_are_whole(page)
            print(middle, self.drags_stay_within_bounds(page, log=False))
        assert self.errors == [], self.errors

    def test_a_drag_is_measured_in_the_forecasts_give_or_take_on_a_log_question(self) -> None:
        self.market(
            question="How many seconds are there in a 365-day year?",
            unit="seconds",
            kind="count",
            lo=1000,
            hi=10_000_000_000,
            scale="log",
        )
        mouse, finger = self.phone("Mouse", touch=False), self.phone("Finger", touch=True)
        for page, middle, factor in (
            (finger, "10 million", "2"),
            (mouse, "2,000", "1.5"),
            (finger, "5 billion", "1.2"),
        ):
            self.type_forecast(page, middle, factor, log=True)
            print(middle, self.drags_stay_within_bounds(page, log=True))
        assert self.errors == [], self.errors

    def test_the_chart_zooms_on_the_curves_and_shows_the_whole_range_in_one_tap(self) -> None:
        self.market(
            question="How long does the kettle take to boil?", unit="s", lo=0, hi=2000, prior_mean=473, prior_sd=78
        )
        page = self.phone("Ana", touch=True)
        # The market alone: the axis spans about its curve, not 0–2,000.
        shown = ticks(page)
        assert min(shown) >= 100 and max(shown) <= 900, shown
        zoom = page.locator("[data-bind=zoom]")
        expect(zoom).to_have_text("Whole range")
        screenshot(page, "chart-zoomed")
        zoom.tap()
        expect(zoom).to_have_text("Zoom in")
        shown = ticks(page)
        assert min(shown) == 0 and max(shown) == 2000, shown
        zoom.tap()
        expect(zoom).to_have_text("Whole range")
        # My forecast far from the market: the view takes in both.
        self.type_forecast(page, "1,200", "50")
        shown = ticks(page)
        assert min(shown) <= 300 and max(shown) >= 1300, shown
        # The button stands in the corner away from my forecast's middle: it never covers its handle.
        for middle in ("1,200", "500", "1,000"):
            self.type_forecast(page, middle, "20")
            x, y = press_point(page, "[data-handle=centre]")
            on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.dataset?.handle", [x, y])
            assert on_top == "centre", (middle, on_top)
        screenshot(page, "chart-zoomed-far")
        assert self.errors == [], self.errors

    def test_what_the_budget_cannot_reach_is_shaded_and_its_nearest_forecast_is_one_tap(self) -> None:
        market = self.market(question="How fast does sound travel through dry air at 20 °C?", unit="m/s", lo=0, hi=1000)
        page = self.phone("Ana", touch=True)
        # Within the budget, the surest forecast it affords at my middle is dotted beside mine.
        self.type_forecast(page, "343", "150")
        expect(page.locator("[data-bind=confirm]")).to_be_visible()
        expect(page.locator("[data-bind=offer]")).to_be_hidden()
        surest = float(page.locator("#curve-chart .reach-line").get_attribute("data-sd"))
        assert 10 < surest < 150, surest
        screenshot(page, "chart-within-budget")
        # 343 ± 5 m/s: too sure for the budget against the market's 500 ± 250 (it could lose thousands at 1,000).
        self.type_forecast(page, "343", "5")
        nearest = page.locator("[data-bind=offer]")
        expect(nearest).to_be_visible()
        expect(nearest).to_have_text(re.compile(r"^Trade 343 ± [\d.]+ m/s instead: lose [\d,.]+ at most$"))
        expect(page.locator("[data-bind=confirm]")).to_be_hidden()
        expect(page.locator("#curve-chart .reach-line")).to_have_count(1)
        expect(page.locator("#curve-chart rect.over-budget").first).to_be_attached()
        expect(page.locator("[data-bind=reach-key]")).to_be_visible()
        screenshot(page, "chart-beyond-budget")
        sd = float(re.search(r"± ([\d.]+)", nearest.inner_text()).group(1))
        assert surest <= sd <= surest * 1.1, (sd, surest)  # the surest it affords here, in its words
        nearest.tap()
        expect(page.locator("[data-bind=result]")).to_have_text("Done: the market is now at your forecast.")
        trade = Trade.objects.get(market=market)
        assert float(trade.target_mean) == 343 and float(trade.target_sd) == sd
        assert self.errors == [], self.errors
