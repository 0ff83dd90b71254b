"""A log-scale market in a real browser: the host picks the scale from the Fermi template, the projector and
the phones draw it on a log axis at 1, 2, 5 × 10ⁿ and say it as "about … give or take a factor of …", a trade
by a 90 % interval moves every screen, and the true value pays in ln x."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Order
from mmgame.models import Market, Position

from .browser import PHONE, WAIT, BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"


class LogScaleInTheBrowserTest(BrowserTestCase):
    def live(self, page: Page) -> None:
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live", timeout=WAIT)

    def tick_values(self, page: Page, chart: str) -> list[tuple[float, str]]:
        ticks = page.locator(f"{chart} text.tick[data-value]")
        expect(ticks.first).to_be_visible()
        return [(float(t.get_attribute("data-value")), t.text_content()) for t in ticks.all()]

    def test_a_fermi_question_on_a_log_scale_from_the_form_to_the_payout(self) -> None:
        from django.contrib.auth import get_user_model

        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        game = services.create_game(teacher, "Estimation")
        host.goto(self.url(f"/host/games/{game.pk}/markets/new/?preset=fermi"))
        expect(host.locator("input[name=scale][value=log]")).to_be_checked()
        host.get_by_role("button", name="Add market").click()
        expect(host.locator(".markets li")).to_have_count(1)
        market = Market.objects.get(game=game)
        assert (market.scale, market.lo, market.hi) == ("log", 10, 100000)
        services.open_market(teacher, market.pk)

        projector = self.page("projector")
        projector.context.add_cookies(host.context.cookies())
        projector.goto(self.url(f"/host/games/{game.pk}/projector/"))
        expect(projector.locator("[data-bind=forecast]")).to_have_text(
            "Market: about 1,000 piano tuners, give or take a factor of 10"
        )
        ticks = self.tick_values(projector, "[data-chart=curve]")
        values = [v for v, _ in ticks]
        assert all(round(v / 10 ** math.floor(math.log10(v)), 9) in (1, 2, 5) for v in values), ticks
        assert [label for _, label in ticks][:2] == ["10", "100"], ticks
        # On a log axis equal ratios are equal distances: 10 → 100 as far as 100 → 1,000.
        xs = [float(t.get_attribute("x")) for t in projector.locator("[data-chart=curve] text.tick").all()]
        assert xs[2] - xs[1] == pytest.approx(xs[1] - xs[0], abs=1), xs

        bea = self.page("Bea", PHONE)
        bea.goto(self.url(f"/join/{game.join_code}/"))
        bea.get_by_label("Nickname").fill("Bea")
        bea.get_by_role("button", name="Join").click()
        self.live(bea)
        phone_ticks = [v for v, _ in self.tick_values(bea, "#curve-chart")]
        assert phone_ticks[:2] == [10, 100], phone_ticks

        # A trade by a 90 % interval, 200 to 5,000 (the phone's own inputs: tests/web/test_log_phone.py).
        seat = Market.objects.get(pk=market.pk).game.players.get(nickname="Bea")
        services.place_trade(seat, market.pk, Order("target", low=200, high=5000), idempotency_key="bea")
        expect(projector.locator("[data-bind=forecast]")).to_have_text(
            "Market: about 1,000 piano tuners, give or take a factor of 2.7", timeout=WAIT
        )
        expect(projector.locator("[data-bind=feed] li")).to_have_text(
            ["Bea moved it to about 1,000 piano tuners, give or take a factor of 2.7"]
        )
        screenshot(projector, "projector-log-scale")

        services.close_market(teacher, market.pk)
        services.resolve_market(teacher, market.pk, 1200)
        expect(bea.locator("[data-bind=outcome]")).to_have_text("1,200 piano tuners", timeout=WAIT)
        payout = Position.objects.get(player=seat).payout
        prior, after = (math.log(1000), math.log(10**4) / 4), (math.log(1000), math.log(25) / (2 * 1.6448536269514722))

        def logp(curve):
            return -0.5 * ((math.log(1200) - curve[0]) / curve[1]) ** 2 - math.log(curve[1])

        assert payout == pytest.approx(1000 + market.liquidity * (logp(after) - logp(prior)), rel=1e-9)
        assert self.errors == [], self.errors
