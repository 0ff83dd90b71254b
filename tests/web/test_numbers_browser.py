"""Numbers people read and type, in a real browser: a host asks about micrometres and billions of people,
players read and type them naturally, and the host resolves with the true value as people write it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Market, Trade

from .browser import PHONE, WAIT, BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
# Where an element is, whether a finger there would touch it (not the tabs over it), and the scroll.
ON_TOP = """(node) => {
  const box = node.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const tabs = document.querySelector("[role=tablist]").getBoundingClientRect().top;
  return {bottom: box.bottom, tabs, onTop: node === hit || node.contains(hit), scrollY: window.scrollY};
}"""


class NumbersInTheBrowserTest(BrowserTestCase):
    def live(self, page: Page) -> None:
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live", timeout=WAIT)

    def join(self, name: str, code: str) -> Page:
        page = self.page(name, PHONE)
        page.goto(self.url(f"/join/{code}/"))
        page.get_by_label("Nickname").fill(name)
        page.get_by_role("button", name="Join").click()
        self.live(page)
        return page

    def hosting(self) -> tuple[Page, object]:
        from django.contrib.auth import get_user_model

        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        return host, teacher

    def tick_labels(self, page: Page, chart: str) -> list[tuple[float, str]]:
        ticks = page.locator(f"{chart} text.tick[data-value]")
        expect(ticks.first).to_be_visible()
        return [(float(t.get_attribute("data-value")), t.text_content()) for t in ticks.all()]

    def test_a_market_on_micrometres_from_the_form_to_the_payout(self) -> None:
        host, teacher = self.hosting()
        game = services.create_game(teacher, "Biology")
        host.goto(self.url(f"/host/games/{game.pk}/markets/new/?preset=bacterium"))
        expect(host.locator("#id_unit")).to_have_value("m")
        # The form says back how it read each number before anything is sent.
        host.get_by_label("Highest possible value").fill("10 um")
        expect(host.locator("output[for=id_hi]")).to_have_text("Reads as 10 µm")
        host.get_by_label("Starting forecast: middle").fill("5,0,0")
        expect(host.locator("output[for=id_prior_mean]")).to_have_text(
            "Group the digits in threes, like 8,546,000,000; decimals go after “.”, like 2.5."
        )
        host.get_by_label("Starting forecast: middle").fill("")
        host.get_by_role("button", name="Add market").click()
        expect(host.locator(".markets li")).to_have_count(1)
        market = Market.objects.get(game=game)
        assert (market.kind, market.lo, market.hi) == ("measure", 0, Decimal("0.00001"))
        expect(host.locator(f"#market-{market.pk} small")).to_contain_text("0 – 10 µm")
        services.open_market(teacher, market.pk)

        alice = self.join("Alice", game.join_code)
        # Was "Market: 0 m ± 0 m", every axis label 0. The phone's line says the unit once.
        expect(alice.locator("[data-bind=forecast]")).to_have_text("Market: 5.0 ± 2.5 µm")
        ticks = self.tick_labels(alice, "#curve-chart")
        assert [label for _, label in ticks] == ["0 µm", "2 µm", "4 µm", "6 µm", "8 µm", "10 µm"][: len(ticks)], ticks
        assert len(ticks) >= 3

        # She types in micrometres; the page reads it back before she confirms.
        alice.get_by_label("Middle", exact=True).fill("4 µm")
        alice.get_by_label("Give or take", exact=True).fill("1.5um")
        expect(alice.locator("[data-bind=hint]")).to_have_text("Read as 4.0 µm ± 1.5 µm: confirm to trade.")
        screenshot(alice, "player-phone-micrometres")
        target = alice.locator("[data-bind=confirm]")
        expect(target).to_be_enabled(timeout=WAIT)
        target.click()
        expect(alice.locator("[data-bind=result]")).to_contain_text("Done", timeout=WAIT)
        trade = Trade.objects.get(market=market)
        assert (trade.target_mean, trade.target_sd) == (Decimal("0.000004"), Decimal("0.0000015"))
        expect(alice.locator("[data-bind=feed] li")).to_have_text(["Alice moved it to 4.0 µm ± 1.5 µm"])

        # The host resolves with the true value as people write it, and is asked with it as it was read.
        services.close_market(teacher, market.pk)
        host.reload()
        questions: list[str] = []

        def agree(dialog) -> None:
            questions.append(dialog.message)
            dialog.accept()

        host.on("dialog", agree)
        # The control room's answer, revealed by its Next (the market list steps nothing).
        host.locator("#stage-answer-value").fill("3.2 µm")
        expect(host.locator("output[for=stage-answer-value]")).to_have_text("Reads as 3.2 µm")
        self.press_next(host)
        expect(host.locator(f"#market-{market.pk} .badge[data-phase]")).to_have_text("Answer")
        assert questions[0].startswith("Reveal 3.2 µm as the true value?"), questions
        assert Market.objects.get(pk=market.pk).outcome == Decimal("0.0000032")
        expect(alice.locator("[data-bind=outcome]")).to_have_text("3.2 µm")
        assert self.errors == [], self.errors

    def test_billions_of_people_are_read_typed_and_chosen_with_the_magnitude(self) -> None:
        host, teacher = self.hosting()
        game = services.create_game(teacher, "Geography")
        host.goto(self.url(f"/host/games/{game.pk}/markets/new/?preset=population"))
        host.get_by_label("Lowest possible value").fill("1")
        host.locator("select[data-magnitude-for=id_lo]").select_option("e9")
        expect(host.locator("output[for=id_lo]")).to_have_text("Reads as 1 billion people")
        host.get_by_label("Highest possible value").fill("20,000,000,000")
        host.get_by_label("Starting forecast: middle").fill("8.5 billion")
        host.get_by_label("Starting forecast: give or take").fill("2e9")
        expect(host.locator("output[for=id_prior_sd]")).to_have_text("Reads as 2 billion people")
        screenshot(host, "market-form-billions", full_page=True)
        host.get_by_role("button", name="Add market").click()
        expect(host.locator(".markets li")).to_have_count(1)
        market = Market.objects.get(game=game)
        assert (market.kind, market.lo, market.hi, market.prior_mean) == ("count", 10**9, 2 * 10**10, 85 * 10**8)
        services.open_market(teacher, market.pk)

        projector = self.page("projector")
        projector.context.add_cookies(host.context.cookies())
        projector.goto(self.url(f"/host/games/{game.pk}/projector/"))
        expect(projector.locator("[data-bind=forecast]")).to_have_text(
            "Market: 8.5 billion people ± 2.0 billion people"
        )
        values = [value for value, _ in self.tick_labels(projector, "[data-chart=curve]")]
        step = values[1] - values[0]
        assert step / 10 ** len(str(int(step))[1:]) in (1, 2, 5), values  # 1, 2 or 5 × 10ⁿ
        assert all(abs(v / step - round(v / step)) < 1e-9 for v in values), values

        bea = self.join("Bea", game.join_code)
        # A phone's keypad has no letters: she types 8.1 and picks "billion" beside it.
        bea.get_by_label("Middle", exact=True).fill("8.1")
        bea.locator("[data-mode=spread] select.magnitude").first.select_option("e9")
        bea.get_by_label("Give or take", exact=True).fill("1,500,000,000")
        expect(bea.locator("[data-bind=hint]")).to_have_text(
            "Read as 8.1 billion people ± 1.5 billion people: confirm to trade."
        )
        target = bea.locator("[data-bind=confirm]")
        expect(target).to_be_enabled(timeout=WAIT)
        screenshot(bea, "player-phone-billions")
        # With a magnitude chooser beside each field, Confirm is still on the first screen, above the tabs,
        # and the numbers typed in full still fit their fields.
        where = target.evaluate(ON_TOP)
        assert where["scrollY"] == 0 and where["bottom"] <= where["tabs"] and where["onTop"], where
        for name in ("mean", "sd"):
            field = bea.locator(f"input[name={name}]")
            assert field.evaluate("n => n.scrollWidth <= n.clientWidth"), (name, field.input_value())
        target.click()
        expect(bea.locator("[data-bind=result]")).to_contain_text("Done", timeout=WAIT)
        expect(projector.locator("[data-bind=feed] li")).to_have_text(
            ["Bea moved it to 8.1 billion people ± 1.5 billion people"]
        )

        services.close_market(teacher, market.pk)
        host.goto(self.url(f"/host/games/{game.pk}/"))
        host.on("dialog", lambda dialog: dialog.accept())
        host.locator("#stage-answer-value").fill("8,546,000,000")  # was refused
        self.press_next(host)
        expect(host.locator(f"#market-{market.pk} .badge[data-phase]")).to_have_text("Answer")
        assert Market.objects.get(pk=market.pk).outcome == 8546000000
        expect(bea.locator("[data-bind=outcome]")).to_have_text("8.546 billion people")
        assert self.errors == [], self.errors

    def test_a_temperature_below_zero_can_be_typed_on_a_phone(self) -> None:
        from django.contrib.auth import get_user_model

        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        game = services.create_game(teacher, "Weather")
        market = services.add_market(teacher, game, question="Low tonight?", unit="°C", lo=-20, hi=20)
        services.open_market(teacher, market.pk)
        cleo = self.join("Cleo", game.join_code)
        expect(cleo.locator("[data-bind=forecast]")).to_have_text("Market: 0 ± 10 °C")

        # A decimal keypad may have no minus sign: the fields that can be negative ask for the full keyboard.
        assert cleo.get_by_label("Middle", exact=True).get_attribute("inputmode") == "text"
        assert cleo.evaluate("document.querySelector('input[name=sd]').inputMode") == "decimal"
        cleo.get_by_label("Middle", exact=True).fill("\u22123,5")
        cleo.get_by_label("Give or take", exact=True).fill("4")
        expect(cleo.locator("[data-bind=hint]")).to_have_text("Read as −3.5 °C ± 4.0 °C: confirm to trade.")
        assert self.errors == [], self.errors
