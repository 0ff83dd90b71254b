"""static/js/player/money.js and offers.js in Chromium: what a trade wins or loses across the student's own 90 %
range and at the far edge, from the server's quote, and an offer in plain words (issue 20 §3, §7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame.market import Z90, GaussianMarket, Order, Range, Wealth, quote
from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

BEANS = {"scale": "linear", "lo": 0, "hi": 1000, "sd_min": 5, "kind": "count", "unit": "beans", "mean": 500, "sd": 250}
T = {
    "money_win": "win {a}–{b}: {low} to {high}",
    "money_mixed": "mixed {a}–{b}: +{high} −{low}",
    "money_lose": "lose {a}–{b}: {high} to {low}",
    "money_worst": "worst {x}: {loss}",
    "money_worst_over": "over {x}: {loss}",
    "money_safe": "safe",
    "offer_curve": "{mean} ± {sd}",
    "offer_curve_log": "about {median}, ×{factor}",
    "offer_curve_log_short": "{median} ×{factor}",
    "offer_at_edge": "edge: {curve}",
    "offer_at_edge_guess": "guess edge: {curve}",
    "offer_other": "other: {curve}",
    "take_offer": "Trade {curve}: lose {loss} at most",
    "take_offer_safe": "Trade {curve}",
    "take_offer_guess": "Lock in {curve}",
}

SCRIPT = """async ({ market, pnl, draft, quote, T, offer }) => {
  const m = await import("/static/js/player/money.js");
  const o = await import("/static/js/player/offers.js");
  const g = await import("/static/js/gauss.js");
  const [a, b] = g.toInterval(draft);
  return {
    range: m.profitRange(pnl, market, a, b),
    worst: m.worstOf(pnl, market),
    words: m.moneyWords({ ...quote, pnl }, draft, market, T),
    points: [15953.2, 1012.4, 36.4, 7.26].map(m.plainPoints),
    offer: o.offerWords(offer, market, T),
    guess: o.offerWords(offer, market, T, { guessing: true }),
  };
}"""


def test_the_money_words_are_the_quotes_numbers_across_my_range_then_at_the_far_edge() -> None:
    market = GaussianMarket.create(
        Range(Decimal(0), Decimal(1000), integer=True, kind="count", unit="beans"), 30, 500, 250
    )
    priced = quote(market, Wealth(1000), Order("target", mean=400, sd=100))
    p = priced.move.pnl
    pnl = {"const": p.const, "linear": p.linear, "quadratic": p.quadratic, "centre": 500, "half_width": 500}
    a, b = 400 - float(Z90) * 100, 400 + float(Z90) * 100
    grid = [a + (b - a) * i / 2000 for i in range(2001)]
    profits = [market.profit_at(priced.move.after, x) for x in grid]
    offer = {"reason": "at_edge", "mean": 990.0, "sd": 98.0, "trade_worst_case": -412.7}
    got = evaluate_static(
        SCRIPT,
        {"market": BEANS, "pnl": pnl, "draft": {"mean": 400, "sd": 100}, "quote": {"affordable": True}, "T": T,
         "offer": offer},
    )  # fmt: skip
    assert got["range"] == [pytest.approx(min(profits), abs=1e-6), pytest.approx(max(profits), abs=1e-4)]
    assert got["worst"][0] == pytest.approx(priced.move.worst, abs=1e-6)
    assert got["worst"][1] == 1000  # the far edge from 400
    low, high = -min(profits), max(profits)
    assert got["words"] == [
        f"mixed 240–560 beans: +{round(high)} −{round(low)}",
        f"worst 1,000: {round(-priced.move.worst)}",
    ]
    assert got["points"] == ["16,000", "1,012", "36", "7.3"]
    assert got["offer"] == {"sentence": "edge: 990 ± 98 beans", "button": "Trade 990 ± 98 beans: lose 413 at most"}
    assert got["guess"] == {"sentence": "guess edge: 990 ± 98 beans", "button": "Lock in 990 ± 98 beans"}
