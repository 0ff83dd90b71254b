"""The player's page on a 360×640 phone: one thumb, one screen (issue #12 §4, and §5's words).

The forecast and Confirm fit the first screen with the profit or loss in one line; position, boards and
feed are one tap away; the connection's trouble stays in view and the page recovers by itself; a message
about the last market goes with it; the keyboard never loses its place.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Game, Market, Trade

from .browser import PHONE, BrowserTestCase, drag_by, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
QUESTION = "How many jelly beans are in the big glass jar on the teacher's desk?"  # two lines on a phone

# Where an element is on the first screen, whether it is what a finger there would touch, and the scroll.
WHERE = """(selector) => {
  const node = document.querySelector(selector);
  const box = node.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {top: box.top, bottom: box.bottom, onTop: node === hit || node.contains(hit), scrollY: window.scrollY};
}"""


class PhoneTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science fair")
        self.market = services.add_market(
            self.teacher, self.game, question=QUESTION, unit="beans", lo=0, hi=1000, integer=True
        )
        services.open_market(self.teacher, self.market.pk)

    def join(self, name: str) -> Page:
        page = self.page(name, PHONE)
        page.goto(self.url(f"/join/{self.game.join_code}/"))
        page.get_by_label("Nickname").fill(name)
        page.get_by_role("button", name="Join").click()
        self.live(page)
        return page

    def live(self, page: Page) -> None:
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")

    def forecast(self, page: Page, middle: str, give_or_take: str) -> None:
        page.get_by_label("Middle", exact=True).fill(middle)
        page.get_by_label("Give or take", exact=True).fill(give_or_take)
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")

    def host_page(self) -> Page:
        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        host.on("dialog", lambda dialog: dialog.accept())
        return host

    def host_does(self, host: Page, action: str, market: Market) -> None:
        """Pause, resume or close the market on screen from the control room (the market list steps nothing)."""
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        expect(host.locator("[data-bind=stage-connection]")).to_have_attribute("data-state", "live")
        if action == "close":
            self.press_next(host, "Close trading")
        else:
            host.locator("#stage [data-action=pause]").click()
        expect(host.locator(f"#market-{market.pk}")).not_to_have_attribute("data-status", market.status)

    def on_first_screen(self, page: Page, selector: str) -> None:
        where = page.evaluate(WHERE, selector)
        assert where["scrollY"] == 0, where
        assert where["top"] >= 0 and where["bottom"] <= PHONE["height"], (selector, where)
        if not where["onTop"]:
            screenshot(page, "covered")
        assert where["onTop"], (selector, "is covered", where)

    # -- one screen ------------------------------------------------------------------------------
    def test_the_forecast_and_confirm_fit_the_first_screen(self) -> None:
        page = self.join("Ana")
        for field in ("mean", "sd"):
            self.on_first_screen(page, f"input[name={field}]")
        drag_by(page, "[data-handle=centre]", -60)
        expect(page.locator("[data-bind=pnl]")).to_contain_text(
            re.compile(
                r"If it.s [\d,.]+–[\d,.]+ beans: win .+ points. "
                r"If it.s [\d,.]+: lose [\d,.]+, the most you can"
            )
        )
        expect(page.locator("[data-bind=confirm]")).to_be_enabled()
        first_screen = ("#curve-chart", "input[name=mean]", "input[name=sd]", "[data-bind=pnl]", "[data-bind=confirm]")
        for selector in first_screen:
            self.on_first_screen(page, selector)
        box = page.locator("[data-bind=confirm]").bounding_box()
        print(f"Confirm at 360×640: top {box['y']:.0f} px, bottom {box['y'] + box['height']:.0f} px")
        screenshot(page, "player-phone", publish=True)

        # The one line opens into the profit-or-loss curve, and closes again, by tap or by keyboard.
        line = page.locator("[data-bind=pnl]")
        expect(line).to_have_attribute("aria-expanded", "false")
        line.click()
        expect(line).to_have_attribute("aria-expanded", "true")
        expect(page.locator("#profit-chart")).to_be_visible()
        expect(page.locator("[data-bind=if-right]")).to_contain_text("points")
        screenshot(page, "player-phone-profit", full_page=True)
        line.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#profit-chart")).to_be_hidden()
        self.on_first_screen(page, "[data-bind=confirm]")

        page.locator("[data-bind=confirm]").click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        assert Trade.objects.filter(player__nickname="Ana").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert self.errors == [], self.errors

    def test_confirming_the_markets_own_forecast_says_so_without_an_error(self) -> None:
        page = self.join("Ana")
        page.get_by_label("Middle", exact=True).fill("500")  # the market starts at 500 ± 250 beans
        page.get_by_label("Give or take", exact=True).fill("250")
        # Said in words, and not sent (issue #25 item 7): Confirm stays off, Enter sends nothing.
        expect(page.locator("[data-bind=hint]")).to_have_text(
            "That is where the market already is: change the middle or the give-or-take to trade."
        )
        expect(page.locator("[data-bind=confirm]")).to_have_attribute("aria-disabled", "true")
        page.get_by_label("Give or take", exact=True).press("Enter")
        expect(page.locator("[data-bind=result]")).to_have_text("")
        assert Trade.objects.count() == 0

    def test_a_forecast_being_typed_survives_a_reload_until_it_is_traded(self) -> None:
        """A phone that slept, a tab the browser dropped or a pull to refresh lost what the student had typed."""
        page = self.join("Ana")
        kept = "() => sessionStorage.getItem('mmgame-draft')"
        self.forecast(page, "400", "100")
        page.reload()
        self.live(page)
        expect(page.get_by_label("Middle", exact=True)).to_have_value("400")
        expect(page.get_by_label("Give or take", exact=True)).to_have_value("100")
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")  # quoted again, ready to confirm
        page.locator("[data-bind=confirm]").click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        assert page.evaluate(kept) is None  # traded: nothing left to keep
        trade = Trade.objects.get()
        assert (float(trade.target_mean), float(trade.target_sd)) == (400, 100)

        self.forecast(page, "300", "50")
        assert page.evaluate(kept) is not None
        services.close_market(self.teacher, self.market.pk)  # the round moved on: the draft goes with it
        expect(page.locator("[data-bind=confirm]")).to_have_attribute("aria-disabled", "true")
        page.wait_for_function(f"({kept})() === null")
        page.reload()
        self.live(page)
        expect(page.get_by_label("Middle", exact=True)).not_to_have_value("300")
        assert self.errors == [], self.errors

    def test_a_whole_forecast_typed_into_the_middle_is_read_as_one(self) -> None:
        """Students type a forecast as "How it works" writes it: "400 ± 100" into Middle was refused with "This
        question is in beans", "about 650" with "Type a number". Each is read as meant, and on leaving the
        field its two numbers go to their own fields."""
        page = self.join("Ana")
        middle, spread = page.get_by_label("Middle", exact=True), page.get_by_label("Give or take", exact=True)
        read_back = page.locator("[data-bind=hint]")
        for typed in ("400 ± 100", "400 +/- 100", "400, give or take 100", "about 400 plus or minus 100"):
            middle.fill(typed)
            expect(read_back).to_contain_text("Read as 400 beans ± 100 beans")
            expect(page.locator("[data-bind=pnl]")).to_be_visible()  # quoted as 400 ± 100
        middle.press("Tab")
        expect(middle).to_have_value("about 400")
        expect(spread).to_have_value("100")
        middle.fill("~420")
        expect(read_back).to_contain_text("Read as 420 beans ± 100 beans")
        page.locator("[data-bind=confirm]").click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        trade = Trade.objects.get()
        assert (float(trade.target_mean), float(trade.target_sd)) == (420, 100)
        assert self.errors == [], self.errors

    def test_beyond_the_budget_the_nearest_affordable_forecast_takes_confirms_place(self) -> None:
        page = self.join("Ana")
        self.forecast(page, "900", "10")  # far from the market and sure of it: more than 1,000 points at risk
        # Said in plain words and the question's units: the same middle, wider, and what it could lose.
        expect(page.locator("[data-bind=hint]")).to_contain_text(
            re.compile(r"^You haven't enough points to risk on that: 900 ± \d+ beans is the nearest you can afford\.$")
        )
        page.locator("body").click(position={"x": 5, "y": 5})  # the field lets go: the tab bar is back
        offer = page.locator("[data-bind=offer]")
        expect(offer).to_contain_text(re.compile(r"^Trade 900 ± \d+ beans instead: lose [\d,.]+ at most$"))
        self.on_first_screen(page, "[data-bind=offer]")  # where Confirm was, above the tab bar
        expect(page.locator("[data-bind=toward]")).to_be_hidden()  # the offer alone: one choice, one tap
        screenshot(page, "player-phone-afford")
        offer.click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done: the market is now at your forecast.")
        trade = Trade.objects.get()
        assert trade.kind == "target" and trade.fraction == 1 and trade.target_mean == 900
        # Never a dead end: the next moves it can still afford, priced, one tap each.
        expect(page.locator("[data-bind=next] button").first).to_contain_text("Less sure: 900 ±")
        expect(page.locator("[data-bind=next]")).to_contain_text("Sell it all back: keep")

    def test_position_boards_and_feed_are_one_tap_away(self) -> None:
        page = self.join("Ana")
        self.forecast(page, "400", "100")
        page.locator("[data-bind=confirm]").click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        for tab, shown in (
            ("Me", "[data-bind=trade-count]"),
            ("Leaderboard", "[data-bind=board-market] li.me"),
            ("Trades", "[data-bind=feed] li"),
        ):
            page.get_by_role("tab", name=tab).click()
            expect(page.locator(shown).first).to_be_visible()
            if tab == "Me":
                expect(page.locator("[data-bind=worth-row]")).to_contain_text(
                    "Worth now, if the market’s forecast is right"
                )
                expect(page.locator("[data-bind=position-worst]")).to_have_text(re.compile(r"^[\d,.]+ points$"))
                screenshot(page, "player-phone-me")
            self.on_first_screen(page, shown)
            expect(page.locator("[data-bind=confirm]")).to_be_hidden()
        expect(page.locator("[data-bind=trade-count]")).to_have_text("1")
        screenshot(page, "player-phone-feed")
        # The tabs are a tablist the arrow keys walk; the forecast is one key away again.
        page.get_by_role("tab", name="Trades").focus()
        page.keyboard.press("Home")
        expect(page.get_by_role("tab", name="Forecast")).to_be_focused()
        expect(page.get_by_role("tab", name="Forecast")).to_have_attribute("aria-selected", "true")
        # After the trade, the next moves the budget affords stand where Confirm was.
        expect(page.locator("[data-bind=next] button").first).to_be_visible()
        page.keyboard.press("ArrowRight")
        expect(page.get_by_role("tab", name=re.compile("^Me"))).to_have_attribute("aria-selected", "true")
        expect(page.locator("[data-bind=budget]")).to_be_visible()
        assert self.errors == [], self.errors

    def test_a_wide_screen_shows_every_panel_without_tabs(self) -> None:
        page = self.page("Ana", {"width": 1280, "height": 800})
        page.goto(self.url(f"/join/{self.game.join_code}/"))
        page.get_by_label("Nickname").fill("Ana")
        page.get_by_role("button", name="Join").click()
        self.live(page)
        expect(page.get_by_role("tablist")).to_be_hidden()
        for selector in ("[data-bind=confirm]", "[data-bind=budget]", "[data-bind=board-market]", "#history-chart"):
            expect(page.locator(selector)).to_be_visible()
        screenshot(page, "player-wide")
        assert self.errors == [], self.errors

    def test_a_finger_drags_the_curve_sideways_and_scrolls_the_page_up_and_down(self) -> None:
        context = self.browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="en")
        self.contexts.append(context)
        page = context.new_page()
        page.goto(self.url(f"/join/{self.game.join_code}/"))
        page.get_by_label("Nickname").fill("Ana")
        page.get_by_role("button", name="Join").click()
        self.live(page)
        touch = context.new_cdp_session(page)

        def finger(x: float, y: float, dx: float, dy: float) -> None:
            touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
            for step in range(1, 9):
                point = {"x": x + dx * step / 8, "y": y + dy * step / 8}
                touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
            touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

        def centre_of(selector: str) -> tuple[float, float]:
            box = page.locator(selector).bounding_box()
            return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

        middle = page.get_by_label("Middle", exact=True)
        before = middle.input_value()
        finger(*centre_of("[data-handle=centre]"), -60, 0)
        expect(middle).not_to_have_value(before)  # sideways: the curve moves
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")
        page.locator("[data-bind=pnl]").tap()  # the details make the page taller than the screen
        expect(page.locator("#profit-chart")).to_be_visible()
        moved = middle.input_value()
        # Up the screen, from a handle or from the plot: the page scrolls, the forecast stays.
        finger(*centre_of("[data-handle=centre]"), 0, -150)
        assert page.evaluate("window.scrollY") > 50
        page.evaluate("window.scrollTo(0, 0)")
        chart = page.locator("#curve-chart").bounding_box()
        finger(chart["x"] + chart["width"] * 0.9, chart["y"] + chart["height"] * 0.7, 0, -150)
        assert page.evaluate("window.scrollY") > 50
        assert middle.input_value() == moved
        assert self.errors == [], self.errors

    # -- the connection --------------------------------------------------------------------------
    def test_the_quote_refreshes_by_itself_when_the_socket_is_back(self) -> None:
        page = self.join("Ana")
        self.forecast(page, "400", "100")
        page.context.set_offline(True)
        banner = page.locator("[data-bind=offline]")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Reconnecting…")
        assert banner.evaluate("n => getComputedStyle(n).position") in ("fixed", "sticky")
        # The draft can change meanwhile; Confirm says why it waits.
        page.get_by_label("Middle", exact=True).fill("380")
        expect(page.locator("[data-bind=pnl]")).to_contain_text("Working out")
        confirm = page.locator("[data-bind=confirm]")
        expect(confirm).to_be_disabled()
        expect(confirm).to_have_accessible_description(re.compile("confirm once it is back"))
        page.get_by_role("tab", name="Trades").click()
        page.mouse.wheel(0, 2000)
        top = banner.bounding_box()
        assert top is not None and 0 <= top["y"] < 20, top  # still in view, at the top
        page.get_by_role("tab", name="Forecast").click()
        screenshot(page, "player-phone-reconnecting")

        page.context.set_offline(False)
        self.live(page)
        expect(banner).to_be_hidden()
        # Nobody touched a field: the quote came by itself.
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")
        expect(confirm).to_be_enabled()
        confirm.click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        assert Trade.objects.get(player__nickname="Ana").target_mean == 380
        assert self.errors == [], self.errors

    # -- the market changes ------------------------------------------------------------------------
    def test_inputs_say_why_they_are_disabled_and_the_done_message_goes_with_its_market(self) -> None:
        page = self.join("Ana")
        host = self.host_page()
        self.forecast(page, "400", "100")
        page.locator("[data-bind=confirm]").click()
        result = page.locator("[data-bind=result]")
        expect(result).to_contain_text("Done: the market is now at your forecast")

        self.host_does(host, "pause", self.market)
        middle = page.get_by_label("Middle", exact=True)
        expect(middle).to_be_disabled()
        expect(middle).to_have_accessible_description(re.compile("paused"))
        self.host_does(host, "resume", Market.objects.get(pk=self.market.pk))
        expect(middle).to_be_enabled()

        following = services.add_market(self.teacher, self.game, question="How many pages has the book?", lo=0, hi=800)
        # Straight to trading, closing the first (as the control room does once the host agreed).
        self.host_api(host, f"markets/{following.pk}/open", {"close_others": True})
        expect(page.locator("[data-bind=question]")).to_have_text("How many pages has the book?")
        expect(result).to_have_text("")
        expect(page.get_by_label("Middle", exact=True)).to_have_value("400")  # the new market's own curve
        assert Market.objects.get(pk=following.pk).status == Market.Status.OPEN
        assert self.errors == [], self.errors

    def test_a_removed_player_is_told_why_nothing_works_any_more(self) -> None:
        page = self.join("Ana")
        host = self.host_page()
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        host.get_by_role("button", name="Remove Ana").click()
        banner = page.locator("[data-bind=offline]")
        expect(banner).to_have_text("You were removed from this game.")
        middle = page.get_by_label("Middle", exact=True)
        expect(middle).to_be_disabled()
        expect(middle).to_have_accessible_description("You were removed from this game.")
        expect(page.locator("[data-bind=confirm]")).to_be_disabled()
        assert self.errors == [], self.errors

    def test_keyboard_only_the_focus_stays_in_the_form_after_a_trade(self) -> None:
        page = self.join("Ana")
        page.locator("body").focus()
        for _ in range(40):  # Tab from the top of the page to the first field
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "mean":
                break
        expect(page.get_by_label("Middle", exact=True)).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("350")
        page.keyboard.press("Tab")
        expect(page.get_by_label("Give or take", exact=True)).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("120")
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")
        while page.evaluate("document.activeElement.dataset.bind") != "confirm":
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        inside = "document.querySelector('[data-bind=trade-form]').contains(document.activeElement)"
        assert page.evaluate(inside), page.evaluate("document.activeElement.outerHTML")
        # On the first of the next moves, which stand in Confirm's place after a trade.
        expect(page.locator("[data-bind=next] button").first).to_be_focused()
        # And on from there: a second trade without the mouse.
        page.keyboard.press("Shift+Tab")
        expect(page.get_by_label("Give or take", exact=True)).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("90")
        expect(page.locator("[data-bind=result]")).to_have_text("")  # "Done" was about the last trade
        expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's")
        page.keyboard.press("Enter")
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        assert page.evaluate(inside)
        assert Trade.objects.filter(player__nickname="Ana").count() == 2
        assert self.errors == [], self.errors

    # -- words -----------------------------------------------------------------------------------
    def test_the_page_speaks_plainly_and_keeps_the_precise_terms_in_tooltips(self) -> None:
        page = self.join("Ana")
        text = page.locator("main").inner_text()
        for jargon in ("σ", "spread", "log score", "Log score", "liquidity"):
            assert jargon not in text, jargon
        label = page.locator("label", has=page.locator("input[name=sd]"))
        assert "σ" in label.get_attribute("title")
        page.get_by_label("Give or take", exact=True).fill("0.001")  # sharper than the market takes
        expect(page.locator("[data-bind=hint]")).to_contain_text("is the nearest you can afford")
        page.get_by_label("Give or take", exact=True).fill("100")
        page.locator("[data-bind=confirm]").click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done")
        page.get_by_role("tab", name=re.compile("^Me")).click()
        expect(page.locator("[data-bind=worth-row]")).to_be_visible()

        host = self.host_page()
        self.host_does(host, "close", self.market)
        host.locator("#stage-answer-value").fill("420")
        self.press_next(host, "Reveal the answer")  # the page asks first: accepted
        expect(page.locator("[data-bind=status]")).to_have_attribute("data-status", "resolved")
        expect(page.locator("[data-bind=worth-row]")).to_be_hidden()  # no "if the market is right" now
        page.get_by_role("tab", name="Forecast").click()
        verdict = page.locator("[data-bind=forecast-verdict]")
        # A sentence, the score in its tooltip.
        expect(verdict).to_have_text("beat the market's starting forecast")
        assert "ln p" in verdict.get_attribute("title")
        token = next(c["value"] for c in host.context.cookies() if c["name"] == "csrftoken")
        step = host.context.request.post(
            self.url(f"/api/markets/{self.market.pk}/phase"), data={"phase": "lesson"}, headers={"X-CSRFToken": token}
        )
        assert step.ok, step.text()
        expect(page.locator("[data-bind=lesson] .verdict")).to_contain_text("of you who traded")
        assert "log score" in page.locator("[data-bind=lesson] p").first.get_attribute("title")
        assert Game.objects.get(pk=self.game.pk).markets.get().outcome == 420
        assert self.errors == [], self.errors
