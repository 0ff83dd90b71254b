"""The teacher's voice and the phone's fixes (issue #25 items 6 and 7), on a 360×640 phone and a 1280×720 wall:
a reason under the first guess, read on the host's page alone and shown on the wall and the phones once picked;
the explanation and source with the answer, markup shown as text; the locked-in guess never under the sticky
button; the game's total on the Me tab after the game; a year read back without separators; a typed forecast
where the market already is said in words and not sent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Guess, Trade
from mmgame.services.games import LONGEST_EXPLANATION, LONGEST_SOURCE
from mmgame.services.guesses import LONGEST_REASON

from .browser import PHONE, WAIT, BrowserTestCase, assert_wall_fits, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
FULL_HD = {"width": 1920, "height": 1080}
REASON = "Twelve rows of <b>fifty</b>, so about 600"
EXPLANATION = "The clock's <i>pendulum</i> swung 600 times: we counted them on the video."

# Whether every line of an element is what a finger there would touch (nothing drawn over it), and where it is.
UNCOVERED = """(selector) => {
  const node = document.querySelector(selector);
  const box = node.getBoundingClientRect();
  const lines = [...node.getClientRects()];
  const range = document.createRange();
  range.selectNodeContents(node);
  const rows = [...range.getClientRects()];
  const covered = rows.filter((r) => {
    const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
    return !(hit === node || node.contains(hit));
  });
  return {top: box.top, bottom: box.bottom, rows: rows.length, covered: covered.length, height: innerHeight};
}"""


def points_text(value: float) -> str:
    """Points as the phone writes them (static/js/format.js `points`): signed, whole from 10 on."""
    text = f"{abs(value):,.0f}" if abs(value) >= 10 else f"{abs(value):.1f}".removesuffix(".0")
    return f"+{text}" if value > 0.05 else f"−{text}" if value < -0.05 else text


class TeacherVoiceTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science fair")

    def step(self, market, *phases: str) -> None:
        for phase in phases:
            services.step_market(self.teacher, market.pk, phase=phase, confirm=True, outcome=600)

    def phase(self, phone: Page, name: str) -> None:
        expect(phone.locator("#play")).to_have_attribute("data-phase", name, timeout=WAIT)

    def host_page(self, viewport: dict | None = None) -> Page:
        page = self.page("host", viewport or HD)
        self.sign_in(page, "teacher", PASSWORD)
        expect(page).to_have_url(self.url("/host/"))
        return page

    def test_a_reason_reaches_the_wall_once_picked_and_the_explanation_comes_with_the_answer(self) -> None:
        market = services.add_market(
            self.teacher,
            self.game,
            question="How many seconds did the pendulum clock in the school hall run before it stopped on Monday?",
            unit="s",
            lo=0,
            hi=3000,
            kind="count",
            first_guess=True,
            answer=600,
            explanation=EXPLANATION,
            source="Our own video, <u>frame by frame</u>",
        )
        ana = self.join_phone(self.game.join_code, "Ana")
        ben = services.join_game(self.game.join_code, "Ben")
        self.step(market, "question", "guess")
        self.phase(ana, "guess")

        # The guess, with its reason; once locked in, it stands whole above the sticky button (item 7a).
        ana.get_by_label("Middle", exact=True).fill("600")
        ana.get_by_label("Give or take", exact=True).fill("100")
        ana.get_by_label("Why? (optional, your teacher alone reads it)").fill(REASON)
        ana.get_by_role("button", name="Lock in my guess").click()
        expect(ana.locator("[data-bind=my-guess]")).to_contain_text("Your guess: 600 ± 100 s")
        assert Guess.objects.get(player__nickname="Ana").reason == REASON
        where = ana.evaluate(UNCOVERED, "[data-bind=my-guess]")
        screenshot(ana, "voice-phone-guess-locked")
        assert where["rows"] >= 1 and where["covered"] == 0, where
        assert where["top"] >= 0 and where["bottom"] <= PHONE["height"], where
        services.submit_guess(ben, market.pk, Order("target", mean=900, sd=200), reason="A guess the host skips")

        # The host reads both on their page, ticks Ana's; the wall shows nothing of either before the reveal.
        host = self.host_page()
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        host.locator(f"#market-{market.pk} a[data-action=reasons]").click()
        expect(host.locator(".reasons")).to_contain_text(REASON)  # as text: the <b> is shown as typed
        expect(host.locator(".reasons")).to_contain_text("A guess the host skips")
        host.get_by_label(REASON).check()
        host.get_by_role("button", name="Show the ticked reasons at the reveal").click()
        expect(host.locator("[role=alert], .messages")).to_contain_text("The wall shows the reasons you ticked")
        screenshot(host, "voice-host-reasons")
        wall = self.page("wall", HD)
        wall.context.add_cookies(host.context.cookies())
        wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        expect(wall.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        assert REASON not in wall.content() and "skips" not in wall.content()

        self.step(market, "guesses")
        expect(wall.locator("[data-bind=guesses-reasons]")).to_have_text(f"{REASON} (Ana)")
        self.phase(ana, "guesses")
        expect(ana.locator("[data-bind=strip-reasons]")).to_have_text(f"{REASON} (Ana)")
        assert "skips" not in wall.content() and "skips" not in ana.content()
        screenshot(wall, "voice-wall-reasons")
        screenshot(ana, "voice-phone-reasons")

        # The answer: the explanation and its source, as text, on the wall and the phone.
        self.step(market, "trading", "closed", "answer")
        expect(wall.locator("[data-bind=answer-explanation] [data-part=text]")).to_have_text(EXPLANATION)
        expect(wall.locator("[data-bind=answer-explanation] [data-part=source]")).to_have_text(
            "Source: Our own video, <u>frame by frame</u>"
        )
        self.phase(ana, "answer")
        expect(ana.locator("[data-bind=explanation] [data-part=text]")).to_have_text(EXPLANATION)
        assert ana.locator("[data-bind=explanation] i, [data-bind=explanation] u").count() == 0
        screenshot(wall, "voice-wall-answer")
        screenshot(ana, "voice-phone-answer", full_page=True)
        assert self.errors == [], self.errors

    def test_after_the_game_the_me_tab_gives_the_games_total(self) -> None:
        page = self.join_phone(self.game.join_code, "Ana")
        ana = self.game.players.get(nickname="Ana")
        markets = []
        for number, (mean, answer) in enumerate(((500, 700), (300, 320))):
            market = services.add_market(self.teacher, self.game, question=f"Question {number + 1}?", lo=0, hi=1000)
            services.open_market(self.teacher, market.pk)
            services.place_trade(ana, market.pk, Order("target", mean=mean + 100, sd=150), idempotency_key=f"a{number}")
            services.close_market(self.teacher, market.pk)
            services.resolve_market(self.teacher, market.pk, answer)
            markets.append(market)
        services.finish_game(self.teacher, self.game)
        (row,) = [s for s in queries.game_leaderboard(self.game) if s.nickname == "Ana"]
        last = markets[-1].positions.get(player=ana)
        assert round(row.score) != round(last.payout - last.budget)  # the two would read alike otherwise

        page.reload()
        expect(page.locator("[data-bind=tab-me-note]")).to_have_text(points_text(row.score))
        page.get_by_role("tab", name="Me").click()
        expect(page.locator("[data-bind=game-total]")).to_have_text(f"{points_text(row.score)} points")
        screenshot(page, "voice-phone-me-after-game")

    def test_a_year_reads_without_separators_in_every_field(self) -> None:
        market = services.add_market(
            self.teacher, self.game, question="When was the Principia published?", lo=1500, hi=1900, kind="year"
        )
        services.show_market(self.teacher, market.pk)
        host = self.host_page()
        # The control room's answer, typed before the answer (it read "Reads as 1,687").
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        host.locator("#stage-answer-value").fill("1687")
        expect(host.locator("output[data-reading-for=stage-answer-value]")).to_have_text("Reads as 1687")
        screenshot(host, "voice-year-control-room")
        # The market form's answer, for a year.
        host.goto(self.url(f"/host/games/{self.game.pk}/markets/new/"))
        host.get_by_label("A year").check()
        host.locator("#id_answer").fill("1687")
        expect(host.locator("output[data-reading-for=id_answer]")).to_have_text("Reads as 1687")
        # The phone's fields, and how a typed year is read back.
        services.open_market(self.teacher, market.pk)
        ana = self.join_phone(self.game.join_code, "Ana")
        expect(ana.get_by_label("Middle", exact=True)).to_have_value("1700")
        ana.get_by_label("Give or take", exact=True).fill("30")
        ana.get_by_label("Middle", exact=True).fill("1687")
        expect(ana.locator("[data-bind=hint]")).to_contain_text("Read as 1687 ± 30")
        assert "1,6" not in ana.locator("[data-bind=trade-form]").inner_text()
        screenshot(ana, "voice-year-phone")

    def test_a_typed_forecast_where_the_market_is_is_said_and_not_traded(self) -> None:
        market = services.add_market(self.teacher, self.game, question="How many beans?", unit="beans", lo=0, hi=1000)
        services.open_market(self.teacher, market.pk)
        ben = services.join_game(self.game.join_code, "Ben")
        services.place_trade(ben, market.pk, Order("target", mean=512.34, sd=40.7), idempotency_key="b1")
        ana = self.join_phone(self.game.join_code, "Ana")
        middle, spread = ana.get_by_label("Middle", exact=True), ana.get_by_label("Give or take", exact=True)
        expect(middle).not_to_have_value("500")  # the fields follow the market: 512 ± 40.7 as they write it
        shown = (middle.input_value(), spread.input_value())

        middle.fill(shown[0])  # typed as the market's own (it is 512.34 ± 40.7: a trade would still move it)
        spread.fill(shown[1])

        hint = ana.locator("[data-bind=hint]")
        expect(hint).to_have_text(
            "That is where the market already is: change the middle or the give-or-take to trade."
        )
        expect(ana.locator("[data-bind=confirm]")).to_have_attribute("aria-disabled", "true")
        expect(ana.locator("[data-bind=pnl]")).to_be_hidden()
        ana.locator("[data-bind=confirm]").dispatch_event("click")  # a tap on it anyway, and Enter in a field
        spread.press("Enter")
        screenshot(ana, "voice-at-market")
        assert not Trade.objects.filter(player__nickname="Ana").exists()
        # Another number is a trade again.
        middle.fill("530")
        expect(ana.locator("[data-bind=confirm]")).to_have_attribute("aria-disabled", "false")
        ana.locator("[data-bind=confirm]").click()
        expect(ana.locator("[data-bind=result]")).to_contain_text("Done")
        assert Trade.objects.filter(player__nickname="Ana").count() == 1
        assert self.errors == [], self.errors

    def test_the_longest_explanation_and_source_fit_the_wall_with_the_longest_reasons(self) -> None:
        words = "The jar held twelve rows of fifty beans and seven more on top, counted twice by two students. "
        market = services.add_market(
            self.teacher,
            self.game,
            question="How many jelly beans are in the big glass jar on the teacher's desk this morning?",
            lo=0,
            hi=3000,
            kind="count",
            first_guess=True,
            explanation=(words * 20)[:LONGEST_EXPLANATION].strip(),
            source=("Counted in class on Monday, recounted on Tuesday; " * 10)[:LONGEST_SOURCE].strip(),
        )
        seats = [services.join_game(self.game.join_code, name) for name in ("Ana", "Ben", "Cy")]
        self.step(market, "question", "guess")
        for number, seat in enumerate(seats):
            reason = (f"{seat.nickname} counted a row and multiplied by the height of the jar " * 3)[:LONGEST_REASON]
            services.submit_guess(seat, market.pk, Order("target", mean=500 + 300 * number, sd=200), reason=reason)
        services.pick_reasons(self.teacher, market.pk, [guess.pk for guess in market.guesses.all()])
        wall = self.page("wall", HD)
        self.sign_in(wall, "teacher", PASSWORD)
        wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        expect(wall.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")

        self.step(market, "guesses")
        expect(wall.locator("[data-bind=guesses-reasons] li")).to_have_count(3)
        screenshot(wall, "voice-wall-longest-reasons")
        for size in (FULL_HD, HD):
            assert_wall_fits(wall, size)
        self.step(market, "trading", "closed", "answer")
        expect(wall.locator("[data-bind=answer-explanation]")).to_be_visible()
        screenshot(wall, "voice-wall-longest-explanation")
        for size in (FULL_HD, HD):
            assert_wall_fits(wall, size)
