"""One table of cases, run in both languages: what a position is worth under the market's curve and at a
true value, as the server works it out (mmgame.market.Wealth) and as the player's page does (store.js
`markedProfit`, gauss.js `wealthAt`) between two messages from the server.

The table (position_cases.json) holds positions in the shape the server sends (docs/protocol.md §2.2) and
the answers worked out in 50-digit arithmetic from exactly those doubles. Regenerate it with
`python3 -m tests.web.test_position_cases` after changing the cases below.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mmgame.market import Wealth

from .browser import BrowserTestCase

TABLE = Path(__file__).with_name("position_cases.json")


def tolerance(case: dict) -> float:
    """Doubles keep W to about 10⁻¹⁶ of its largest coefficient: 10⁻⁹ of it (and 10⁻⁹ points) is the bar."""
    w = case["position"]["wealth"]
    return 1e-9 * max(1.0, abs(w["const"]) + abs(w["linear"]) + abs(w["quadratic"]))


def cases() -> list[dict]:
    return json.loads(TABLE.read_text())["cases"]


@pytest.mark.parametrize("case", cases(), ids=lambda case: case["name"])
def test_the_server_agrees_with_the_table(case: dict) -> None:
    position, market = case["position"], case["market"]
    w = position["wealth"]
    wealth = Wealth(w["const"], w["linear"], w["quadratic"])
    z = lambda x: (x - w["centre"]) / w["half_width"]  # noqa: E731
    if position["payout"] is None:
        worth = wealth.expected(z(market["mean"]), market["sd"] / w["half_width"]) - position["budget"]
    else:
        worth = position["payout"] - position["budget"]
    assert worth == pytest.approx(case["worth"], rel=1e-12, abs=tolerance(case))
    for x, value in case["wealth_at"]:
        assert wealth.at(z(x)) == pytest.approx(value, rel=1e-12, abs=tolerance(case))


class PageAgreesWithTheTable(BrowserTestCase):
    def test_the_page_agrees_with_the_table(self) -> None:
        page = self.page("cases")
        page.goto(self.url("/"))
        expect(page.locator("main")).to_be_visible()
        answers = page.evaluate(
            """async (cases) => {
                const { markedProfit } = await import("/static/js/store.js");
                const { wealthAt } = await import("/static/js/gauss.js");
                return cases.map((c) => ({
                  worth: markedProfit(c.position, c.market),
                  at: c.wealth_at.map(([x]) => wealthAt(c.position.wealth, x)),
                }));
            }""",
            cases(),
        )
        for case, answer in zip(cases(), answers, strict=True):
            assert answer["worth"] == pytest.approx(case["worth"], rel=1e-12, abs=tolerance(case)), case["name"]
            for (_, value), got in zip(case["wealth_at"], answer["at"], strict=True):
                assert got == pytest.approx(value, rel=1e-12, abs=tolerance(case)), case["name"]
        assert self.errors == [], self.errors


# -- making the table ---------------------------------------------------------------------------------
def _move(b: float, lo: float, hi: float, before: tuple[float, float], after: tuple[float, float]) -> dict:
    """W(z) − budget of one log-score move, b·[(x−μ)²/(2σ²) − (x−μ′)²/(2σ′²) + ln(σ/σ′)], in z = (x − c)/s."""
    c, s = (lo + hi) / 2, (hi - lo) / 2
    (m, sd), (m2, sd2) = before, after
    u0, u1 = (c - m) / sd, s / sd  # (x − μ)/σ = u0 + u1·z
    v0, v1 = (c - m2) / sd2, s / sd2
    return {
        "const": b * (0.5 * (u0 * u0 - v0 * v0) + math.log(sd / sd2)),
        "linear": b * (u0 * u1 - v0 * v1),
        "quadratic": b * 0.5 * (u1 * u1 - v1 * v1),
        "centre": c,
        "half_width": s,
    }


def _case(name, lo, hi, budget, moves, market, payout=None, xs=None) -> dict:
    from mpmath import mp, mpf

    mp.dps = 50
    wealth = {"const": float(budget), "linear": 0.0, "quadratic": 0.0}
    wealth |= {"centre": (lo + hi) / 2, "half_width": (hi - lo) / 2}
    for b, before, after in moves:
        move = _move(b, lo, hi, before, after)
        for key in ("const", "linear", "quadratic"):
            wealth[key] += move[key]
    c, s = mpf(wealth["centre"]), mpf(wealth["half_width"])
    k, h, q = (mpf(wealth[key]) for key in ("const", "linear", "quadratic"))
    at = lambda x: k + h * ((mpf(x) - c) / s) + q * ((mpf(x) - c) / s) ** 2  # noqa: E731
    m, v = (mpf(market[0]) - c) / s, (mpf(market[1]) / s) ** 2
    worth = mpf(payout) - budget if payout is not None else k + h * m + q * (m * m + v) - budget
    xs = xs or [lo, (lo + hi) / 2, hi]
    return {
        "name": name,
        "position": {"budget": float(budget), "wealth": wealth, "payout": payout},
        "market": {"lo": float(lo), "hi": float(hi), "mean": float(market[0]), "sd": float(market[1])},
        "worth": float(worth),
        "wealth_at": [[float(x), float(at(x))] for x in xs],
    }


def _table() -> dict:
    seed = (100.0, 100.0)
    return {
        "about": "Positions as the server sends them and what they are worth; see test_position_cases.py.",
        "cases": [
            _case("untraded", 0, 1000, 1000, [], (500, 250)),
            _case("one move, market where I left it", 0, 300, 1000, [(30, seed, (120, 30))], (120, 30)),
            _case("one move, market moved on", 0, 300, 1000, [(30, seed, (120, 30))], (200, 50), xs=[0, 120, 250]),
            _case(
                "two moves, the second back",
                0,
                300,
                1000,
                [(30, seed, (120, 30)), (30, (150, 40), (110, 60))],
                (110, 60),
            ),
            _case("resolved: the payout", 0, 300, 1000, [(30, seed, (120, 30))], (120, 30), payout=1083.2),
            _case("far from zero", 1e9 - 5e3, 1e9 + 5e3, 1000, [(30, (1e9, 2e3), (1e9 + 700, 300))], (1e9 + 500, 400)),
            _case(
                "the finest forecast at an edge, deep stakes",
                0,
                1e4,
                1e6,
                [(1000, (5e3, 2.5e3), (9990, 5))],
                (9990, 5),
                xs=[0, 9990, 1e4],
            ),
        ],
    }


if __name__ == "__main__":
    table = _table()
    rows = ",\n".join(f"  {json.dumps(case, ensure_ascii=False)}" for case in table["cases"])
    TABLE.write_text(f'{{"about": {json.dumps(table["about"])},\n "cases": [\n{rows}\n]}}\n')
    print(f"wrote {TABLE}")
