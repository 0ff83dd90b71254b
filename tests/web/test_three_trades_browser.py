"""Three trades a student means (issue #20 §2): on a 360×640 phone, with the game's defaults, a student on the
bank's speed-of-sound question and on a Fermi question types the forecast they believe, trades it, and after
each time a classmate moves the market goes back to it — once by dragging the curve, once by typing it again —
three trades in all, each stored as the forecast they meant.

Written against the defaults (budget, stakes) as the code defines them. Where those cannot afford even the
student's first typical forecast (90 % sure within ±20 %, or within ×/÷2 on a log question: the stakes before
issue #20's new defaults) the test says so and stops there (xfail); a later trade refused is a failure."""

from __future__ import annotations

import math

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Z90, Order
from mmgame.models import Market, Trade

from .browser import BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
Z = float(Z90)
DONE = "Done: the market is now at your forecast."
SITS_AT = """([centre, width]) => {
  const now = (name) => Number(document.querySelector(`[data-handle=${name}]`)?.getAttribute("aria-valuenow"));
  const near = (a, b) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
  return near(now("centre"), centre) && near(now("width"), width);
}"""


def handles(page: Page) -> tuple[float, float]:
    """The draft as its handles say it, in y: the middle (ln of the median) and σ of y."""
    centre = float(page.locator("[data-handle=centre]").get_attribute("aria-valuenow"))
    width = float(page.locator("[data-handle=width]").get_attribute("aria-valuenow"))
    log = page.locator("form[data-scale=log]").count() > 0
    return (math.log(centre), math.log(width)) if log else (centre, width)


def drag(page: Page, handle: str, dx: float) -> None:
    # A finger drags what it can see: after a trade the page may have scrolled the chart out of view (a mouse
    # pressed outside the viewport moves nothing).
    page.locator(f"[data-handle={handle}]").scroll_into_view_if_needed()
    box = page.locator(f"[data-handle={handle}]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=max(4, int(abs(dx) // 10)))
    page.mouse.up()


def drag_to(page: Page, mean: float, sd: float) -> None:
    """Drag the middle, then the give-or-take, until the draft is the forecast (in y) to a drag's precision:
    a pixel moves the middle by 1/64 of the give-or-take and the give-or-take by 0.72 %. A press meant for one
    handle may catch the other where they sit close (a CI run's middle ended 10 off): so round again until
    both are there, as a finger would."""

    def there() -> tuple[bool, bool]:
        now, spread = handles(page)
        return abs(now - mean) <= spread / 64, abs(math.log(sd / spread)) <= 0.008

    for _ in range(4):
        for _ in range(8):
            now, spread = handles(page)
            if abs(now - mean) <= spread / 64:
                break
            drag(page, "centre", max(-150, min(150, (mean - now) / (spread / 64))))
        for _ in range(8):
            _, spread = handles(page)
            if abs(math.log(sd / spread)) <= 0.008:
                break
            # The give-or-take handle sits right of the middle: dragging it right widens.
            drag(page, "width", max(-150, min(150, math.log(sd / spread) / (math.log(1.09) / 12))))
        if all(there()):
            break
    now, spread = handles(page)
    assert all(there()), f"the drags left the draft at {now:g} ± {spread:g}, not {mean:g} ± {sd:g}"


class ThreeTradesTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science week")

    def bank_market(self, key: str) -> Market:
        (market,) = services.add_from_bank(self.teacher, self.game, [key])
        Market.objects.filter(pk=market.pk).update(first_guess=False)  # straight to trading
        services.open_market(self.teacher, market.pk)
        return Market.objects.get(pk=market.pk)

    def classmate_moves(self, page: Page, classmate, market: Market, order: Order, key: str) -> None:
        """A classmate trades; the student's phone shows the market where they left it."""
        before = Market.objects.get(pk=market.pk).sequence
        said = page.locator("[data-bind=forecast]").inner_text()
        services.place_trade(classmate, market.pk, order, idempotency_key=key)
        after = Market.objects.get(pk=market.pk)
        assert after.sequence == before + 1
        expect(page.locator("[data-bind=forecast]")).not_to_have_text(said)
        # The words changing is not enough: the update for the student's own trade may come after its answer,
        # and change them first (the drags then found the market at the old forecast, moved nothing, and the
        # classmate's update came after). The handles, on the market's curve while there is no draft, must
        # sit where the classmate left it: a median and a factor on a log market, a mean and a σ otherwise.
        log = after.scale == "log"
        where = [after.mean, math.exp(after.sd) if log else after.sd]
        page.wait_for_function(SITS_AT, arg=where, timeout=20_000)

    def confirm_as_typed(self, page: Page, what: str, *, first: bool = False) -> None:
        """Confirm the draft: the defaults must afford it as it stands."""
        # Quoted: what it could win or lose, or, refused, the nearest forecast offered in Confirm's place.
        pnl = page.locator("[data-bind=pnl]:visible, [data-bind=offer]:visible")
        # The quote goes to the server and back: in a full run on two busy cores it took over 5 s (two runs in
        # three failed here), so the wait is a quote's worst, not a person's.
        try:
            expect(pnl).not_to_have_count(0, timeout=20_000)
        except AssertionError:
            screenshot(page, f"three-trades-no-quote-{what}")
            hint = page.locator("[data-bind=hint]").inner_text()
            raise AssertionError(f"no quote for {what} in 20 s; the page says: {hint!r}") from None
        confirm = page.locator("[data-bind=confirm]")
        offer = page.locator("[data-bind=offer]")
        if offer.is_visible() or not confirm.is_visible():
            screenshot(page, f"three-trades-refused-{what}")
            refused = f"the defaults cannot afford {what} as typed ({page.locator('[data-bind=hint]').inner_text()})"
            if first:
                pytest.xfail(f"{refused}: the stakes before issue #20's new defaults")
            pytest.fail(refused)
        expect(confirm).to_have_attribute("aria-disabled", "false")
        confirm.click()
        expect(page.locator("[data-bind=result]")).to_have_text(DONE)

    def test_speed_of_sound_three_trades_by_typing_and_by_dragging(self) -> None:
        market = self.bank_market("science-speed-of-sound")
        classmate = services.join_game(self.game.join_code, "Classmate")
        page = self.join_phone(self.game.join_code, "Ana")
        # "343, 90 % sure within 20 %": give or take 0.2 × 343 / 1.645.
        sd = round(0.2 * 343 / Z, 1)
        page.get_by_label("Middle", exact=True).fill("343")
        page.get_by_label("Give or take", exact=True).fill(str(sd))
        self.confirm_as_typed(page, f"343 ± {sd} m/s", first=True)

        # A classmate as typical: 300, then 390, each 90 % sure within 20 % (as far as their budget goes).
        self.classmate_moves(page, classmate, market, Order("toward", mean=300, sd=round(60 / Z, 1)), "c-1")
        drag_to(page, 343, sd)
        self.confirm_as_typed(page, "the dragged forecast")

        self.classmate_moves(page, classmate, market, Order("toward", mean=390, sd=round(78 / Z, 1)), "c-2")
        page.get_by_label("Middle", exact=True).fill("343")
        page.get_by_label("Give or take", exact=True).fill(str(sd))
        self.confirm_as_typed(page, f"343 ± {sd} m/s again")
        screenshot(page, "three-trades-speed-of-sound")

        typed, dragged, again = Trade.objects.filter(market=market, player__nickname="Ana").order_by("sequence")
        for trade in (typed, again):
            assert (float(trade.target_mean), float(trade.target_sd)) == (343, sd)  # stored exactly as typed
        assert float(dragged.target_mean) == pytest.approx(343, abs=sd / 5)
        assert float(dragged.target_sd) == pytest.approx(sd, rel=0.02)
        assert self.errors == [], self.errors

    # The bank's range for this question is 10^5 to 10^9 seconds (a day to thirty years): on 1,000 to 10^10 the
    # first trade, 20–80 million seconds, cost 939 of the 1,000 points' worst case at the 1,000-second edge, 25
    # give-or-takes away, and the second was refused.
    def test_a_fermi_question_three_trades_by_typing_and_by_dragging(self) -> None:
        market = self.bank_market("fermi-seconds-in-a-year")
        classmate = services.join_game(self.game.join_code, "Classmate")
        page = self.join_phone(self.game.join_code, "Ana")
        # "90 % sure it is between 20 million and 80 million": off the answer (31,536,000) by a factor of 1.27,
        # within ×/÷2 of the middle.
        page.get_by_label("90% sure between").check()
        page.get_by_label("From", exact=True).fill("20 million")
        page.get_by_label("To", exact=True).fill("80 million")
        median, sd_log = 40_000_000, math.log(4) / (2 * Z)
        self.confirm_as_typed(page, "between 20 million and 80 million", first=True)

        # A classmate as typical: 25 million, then 50 million, each 90 % sure within ×/÷2.
        typical = math.log(2) / Z
        self.classmate_moves(page, classmate, market, Order("toward", median=25_000_000, sd_log=typical), "c-1")
        page.get_by_label("middle, give or take a factor of").check()
        drag_to(page, math.log(median), sd_log)
        self.confirm_as_typed(page, "the dragged forecast")

        self.classmate_moves(page, classmate, market, Order("toward", median=50_000_000, sd_log=typical), "c-2")
        page.get_by_label("90% sure between").check()
        page.get_by_label("From", exact=True).fill("20 million")
        page.get_by_label("To", exact=True).fill("80 million")
        self.confirm_as_typed(page, "between 20 million and 80 million again")
        screenshot(page, "three-trades-fermi")

        typed, dragged, again = Trade.objects.filter(market=market, player__nickname="Ana").order_by("sequence")
        for trade in (typed, again):
            assert float(trade.target_mean) == pytest.approx(median, rel=1e-12)
            assert float(trade.target_sd) == pytest.approx(sd_log, rel=1e-12)
        assert math.log(float(dragged.target_mean)) == pytest.approx(math.log(median), abs=sd_log / 5)
        assert float(dragged.target_sd) == pytest.approx(sd_log, rel=0.02)
        assert self.errors == [], self.errors
