"""The market list before the round, in Chromium at 1280×720 (#25 item 4): a warning leads to the market's
edit form and the fix clears it; markets move by keyboard (Move up, the focus staying on the market moved and
the move said to screen readers) and by drag; the control room's Next follows the new order."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mmgame import services
from mmgame.models import Market

from .browser import BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "a long classroom passphrase 7"
SMALL_WALL = {"width": 1280, "height": 720}
FAR = "The true value is more than one give-or-take"


class MarketListTest(BrowserTestCase):
    def order(self) -> list[str]:
        return list(Market.objects.filter(game=self.game).order_by("number").values_list("question", flat=True))

    def test_a_warning_leads_to_its_fix_and_markets_move_by_keyboard_and_by_drag(self) -> None:
        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(teacher, "Class quiz")
        # The answer (280) lies far from the starting forecast's middle (150, give or take 75): a warning.
        beans = services.add_market(
            teacher, self.game, question="Beans?", kind="count", lo=0, hi=300, answer=280, clue_noise=5
        )
        services.add_market(teacher, self.game, question="Pages?", kind="count", lo=0, hi=800)
        clips = services.add_market(teacher, self.game, question="Clips?", kind="count", lo=0, hi=500)
        host = self.page("host", SMALL_WALL)
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        expect(host.locator("[data-bind=stage-connection]")).to_have_attribute("data-state", "live")

        # The warning stands on its market's row with the way to fix it; the edit form says it again.
        row = host.locator(f"#market-{beans.pk}")
        expect(row.locator("[data-bind=market-warnings]")).to_contain_text(FAR)
        row.scroll_into_view_if_needed()
        screenshot(host, "market-list-warning")
        row.locator("[data-bind=market-warnings]").get_by_role("link", name="Edit market #1").click()
        expect(host.get_by_role("heading", name="Edit market #1")).to_be_visible()
        expect(host.locator("#market-warnings")).to_contain_text(FAR)
        expect(host.get_by_label("The true value, if you know it now")).to_have_value("280")
        host.get_by_label("Starting forecast: middle").fill("270")
        host.get_by_role("button", name="Save the market").click()
        expect(host.get_by_text("Market 1 saved.")).to_be_visible()
        expect(row.locator("[data-bind=market-warnings]")).to_have_count(0)
        assert Market.objects.get(pk=beans.pk).prior_mean == 270
        expect(host.locator("[data-bind=stage-connection]")).to_have_attribute("data-state", "live")

        # Keyboard: Move up on "Clips?", twice; the focus stays on it and the list says where it went.
        move_up = host.locator(f"#market-{clips.pk} [data-action=move-up]")
        move_up.focus()
        host.keyboard.press("Enter")
        expect(host.locator("[data-bind=order-said]")).to_have_text("Market “Clips?” is now #2.")
        expect(host.locator(f"#market-{clips.pk} [data-action=move-up]")).to_be_focused()
        host.keyboard.press("Enter")
        expect(host.locator("[data-bind=order-said]")).to_have_text("Market “Clips?” is now #1.")
        expect(host.locator(f"#market-{clips.pk} [data-action=move-down]")).to_be_focused()  # no Move up at the top
        assert self.order() == ["Clips?", "Beans?", "Pages?"]
        expect(host.locator("[data-action=step-next]")).to_contain_text("Next question: #1 Clips?")

        # Drag: "Pages?" dropped on the top half of the first row goes first.
        pages = host.locator(".markets li[data-movable]").nth(2)
        expect(pages).to_contain_text("Pages?")
        pages.drag_to(host.locator(f"#market-{clips.pk}"), target_position={"x": 200, "y": 5})
        expect(host.locator("[data-bind=order-said]")).to_have_text("Market “Pages?” is now #1.")
        expect(host.locator(".markets li [data-bind=market-title]")).to_have_text(
            ["#1 Pages?", "#2 Clips?", "#3 Beans?"]
        )
        assert self.order() == ["Pages?", "Clips?", "Beans?"]
        expect(host.locator("[data-action=step-next]")).to_contain_text("Next question: #1 Pages?")
        host.locator("#markets-section").scroll_into_view_if_needed()
        screenshot(host, "market-list-before-the-round")

        # A stale order (a market added in another tab) is refused, said, and the list shows the order kept.
        # The market is added while the page's order is on its way: had it been added before the click, the
        # room's audit (every 5 s) could show it to the page first, and the order would not be stale.
        def added_elsewhere_meanwhile(route) -> None:
            services.add_market(teacher, self.game, question="Added elsewhere?", lo=0, hi=10)
            route.continue_()

        host.route("**/markets/order", added_elsewhere_meanwhile)
        host.locator(f"#market-{clips.pk} [data-action=move-up]").click()
        expect(host.locator("[data-bind=order-refused]")).to_contain_text("The order was not saved")
        host.unroute("**/markets/order")
        expect(host.locator(".markets li [data-bind=market-title]")).to_have_count(4)
        assert self.order() == ["Pages?", "Clips?", "Beans?", "Added elsewhere?"]
        # The one refusal the console saw is that 409 (stale_order); nothing else went wrong.
        assert self.errors == ["host: Failed to load resource: the server responded with a status of 409 (Conflict)"]
