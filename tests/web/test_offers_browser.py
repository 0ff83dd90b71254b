"""No engine words on a phone (issue 20 §3): a forecast the market will not take — at an edge of the range,
wider than the range allows, sharper than its finest — is answered in plain words and the question's units
with the nearest forecast it takes, one tap; on linear, log, count and year questions, for first guesses and
for trades. No message says σ, μ, "curve" or "fair", or writes a number with more than four figures, and the
offer tapped is a guess or a trade the server accepts.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Order
from mmgame.models import Guess, Market, Player, Trade

from .browser import BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each question, and forecasts of every refused kind typed as a student would: (middle, give or take).
QUESTIONS = {
    "linear": (
        {"question": "How long does the kettle take to boil?", "unit": "s", "lo": 0, "hi": 2000},
        {"at an edge": ("2000", "60"), "wider than the range": ("1000", "3000"), "narrower": ("473", "0.5")},
    ),
    "count": (
        {"question": "How many jelly beans?", "unit": "beans", "lo": 0, "hi": 1000, "integer": True},
        {"at an edge": ("1000", "100"), "wider than the range": ("500", "900"), "narrower": ("343", "1")},
    ),
    "year": (
        {"question": "When was the printing press invented?", "lo": 1000, "hi": 2026, "integer": True, "kind": "year"},
        {"at an edge": ("2026", "30"), "wider than the range": ("1500", "2000"), "narrower": ("1440", "0.5")},
    ),
    "log": (
        {
            "question": "How many piano tuners work in Chicago?",
            "unit": "piano tuners",
            "lo": 10,
            "hi": 100_000,
            "integer": True,
            "kind": "count",
            "scale": "log",
        },
        {"at an edge": ("100000", "3"), "wider than the range": ("1000", "1000"), "narrower": ("50", "1.001")},
    ),
}
MESSAGES = ("hint", "result", "offer", "pnl", "unaffordable", "toward", "next", "my-guess")
ENGINE_WORDS = re.compile(r"σ|μ|curve|\bfair\b", re.IGNORECASE)
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def figures(number: str) -> int:
    """Significant figures as a reader counts them: 1,000 has one, 0.0050 two, 2026 four, 990.5 four."""
    digits = number.replace(",", "")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.lstrip("0").rstrip("0")) or 1


class OffersTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password="a long classroom passphrase 7")

    def market(self, name: str, phase: str) -> Market:
        game = services.create_game(self.teacher, f"{name} {phase}")
        market = services.add_market(self.teacher, game, **QUESTIONS[name][0])
        if phase == "guess":
            for step in ("question", "guess"):
                services.step_market(self.teacher, market.pk, phase=step, confirm=True)
        else:
            services.open_market(self.teacher, market.pk)
        return market

    def said(self, page: Page) -> str:
        """Every message on the phone's forecast panel now, one per line."""
        return "\n".join(
            page.locator(f"[data-bind={name}]").inner_text()
            for name in MESSAGES
            if page.locator(f"[data-bind={name}]").is_visible()
        )

    def check_words(self, page: Page, where: str) -> None:
        text = self.said(page)
        assert not ENGINE_WORDS.search(text), (where, text)
        long = [n for n in NUMBER.findall(text) if figures(n) > 4]
        assert not long, (where, long, text)

    def type_forecast(self, page: Page, middle: str, spread: str) -> None:
        page.get_by_label("Middle", exact=True).fill(middle)
        page.locator("input[name=sd]").fill(spread)

    def offers(self, name: str, phase: str) -> None:
        market = self.market(name, phase)
        page = self.join_phone(market.game.join_code, f"Ana {name}")
        hint, offer = page.locator("[data-bind=hint]"), page.locator("[data-bind=offer]")
        for kind, (middle, spread) in QUESTIONS[name][1].items():
            where = f"{name}, {phase}, {kind}: {middle} ± {spread}"
            self.type_forecast(page, middle, spread)
            expect(offer).to_be_visible()
            expect(hint).to_have_attribute("data-problem", "")
            self.check_words(page, where)
            said = offer.inner_text()
            screenshot(page, f"offer-{name}-{phase}-{kind.split()[0]}")
            trades = Trade.objects.count()
            offer.click()
            if phase == "guess":
                expect(page.locator("[data-bind=my-guess]")).to_contain_text("Your guess:")
                assert Guess.objects.filter(market=market).count() == 1, where  # the offer, locked in
            else:
                expect(page.locator("[data-bind=result]")).to_contain_text("Done")
                assert Trade.objects.count() == trades + 1, (where, said)
            self.check_words(page, where + " (taken)")
        assert self.errors == [], self.errors

    def test_first_guesses_at_an_edge_too_wide_or_too_sharp_are_offered_the_nearest_allowed(self) -> None:
        for name in QUESTIONS:
            self.offers(name, "guess")

    def test_trades_at_an_edge_too_wide_or_too_sharp_are_offered_the_nearest_affordable(self) -> None:
        for name in QUESTIONS:
            self.offers(name, "trade")


# The phone has answered a typed forecast: an offer in Confirm's place, or what the trade wins and loses.
QUOTED = """() => !document.querySelector("[data-bind=offer]").hidden
  || document.querySelector("[data-bind=pnl-text]").textContent.startsWith("If it")"""


class NeverADeadEndTest(BrowserTestCase):
    """Issue 20 §2: on the bank's speed-of-sound question with the defaults, a student makes three trades by
    typing, each back to their own forecast (343 m/s give or take 20 %) after a classmate moved the market;
    a forecast beyond the budget is answered with the nearest affordable one of the same middle, and after
    each trade the phone offers a next move or says why there is none."""

    def test_three_typed_trades_each_after_a_classmate_moved_the_market(self) -> None:
        teacher = get_user_model().objects.create_user("teacher", password="a long classroom passphrase 7")
        game = services.create_game(teacher, "Science")
        (market,) = services.add_from_bank(teacher, game, ["science-speed-of-sound"])
        services.open_market(teacher, market.pk)
        api = self.playwright.request.new_context()
        self.addCleanup(api.dispose)
        classmates = [
            api.post(self.url(f"/api/games/{game.join_code}/join"), data={"nickname": name}).json()["seat_token"]
            for name in ("Ben", "Cy", "Dee")
        ]
        ana = self.join_phone(game.join_code, "Ana")
        offer, confirm, result = (ana.locator(f"[data-bind={name}]") for name in ("offer", "confirm", "result"))
        taken = []
        for turn, (mean, sd) in enumerate(((300, 110), (390, 100), (320, 120))):
            moved = api.post(
                self.url(f"/api/markets/{market.pk}/trades"),
                data={"kind": "target", "mean": mean, "sd": sd, "idempotency_key": f"ben-{turn}"},
                headers={"X-Seat-Token": classmates[turn]},
            )
            assert moved.ok, moved.text()
            expect(ana.locator("[data-bind=forecast]")).to_contain_text(f"{mean} ± {sd}")
            # The next moves were priced at the market Ana's trade left: a classmate's trade takes them away.
            expect(ana.locator("[data-bind=next]")).to_be_hidden()
            ana.get_by_label("Middle", exact=True).fill("343")
            ana.get_by_label("Give or take", exact=True).fill("69")
            ana.wait_for_function(QUOTED)
            if offer.is_visible():
                expect(offer).to_contain_text(re.compile(r"^Trade 343 ± [\d,]+ m/s instead: lose [\d,.]+ at most$"))
                taken.append("offer")
                offer.click()
            else:
                taken.append("as typed")
                confirm.click()
            expect(result).to_contain_text("Done")
            # Never a dead end: a next move the budget affords, or one sentence why there is none.
            expect(ana.locator("[data-bind=next]")).to_be_visible()
            screenshot(ana, f"speed-of-sound-trade-{turn + 1}")
        trades = Trade.objects.filter(player__nickname="Ana", market=market)
        assert trades.count() == 3, taken
        assert all(t.fraction == 1 and t.target_mean == 343 for t in trades), taken
        print("Ana's three trades:", taken)
        assert self.errors == [], self.errors


class ResultWordsTest(BrowserTestCase):
    """Issue 20 §7: a last forecast that beat the market's starting forecast can still lose points, when the
    market was better still when the student traded: the result card says so beside the loss."""

    def test_a_forecast_that_beat_the_start_and_lost_says_why(self) -> None:
        teacher = get_user_model().objects.create_user("teacher", password="a long classroom passphrase 7")
        game = services.create_game(teacher, "Science fair")
        market = services.add_market(teacher, game, question="How many jelly beans?", unit="beans", lo=0, hi=1000)
        for phase in ("question", "trading"):
            services.step_market(teacher, market.pk, phase=phase, confirm=True)
        ben = services.join_game(game.join_code, "Ben")
        services.place_trade(ben, market.pk, Order("target", mean=420, sd=80), idempotency_key="ben")
        page = self.join_phone(game.join_code, "Ana")
        ana = Player.objects.get(nickname="Ana")
        # Nearer 420 than the start (500 ± 250), but not as near as the market she traded against.
        services.place_trade(ana, market.pk, Order("target", mean=480, sd=120), idempotency_key="ana")
        for phase in ("closed", "answer"):
            services.step_market(teacher, market.pk, phase=phase, outcome=420, confirm=True)
        page.reload()
        card = page.locator("[data-bind=resolution]")
        expect(card.locator("[data-bind=payout-profit]")).to_contain_text("−")
        expect(card.locator("[data-bind=forecast-verdict]")).to_have_text(
            "beat the market's starting forecast, but the market was better still when you traded"
        )
        screenshot(page, "result-beat-but-lost")
        assert self.errors == [], self.errors
