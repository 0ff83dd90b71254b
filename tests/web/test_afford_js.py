"""static/js/afford.js in Chromium, held to the engine's collateral rule on a table of cases
(tests/cases/afford.json): the narrowest and widest curve a trader can afford at a middle, the middles they
can afford at a width, and the nearest affordable curve the phone offers. Each answer the page works out is
affordable by the engine's own quote, and a hair beyond it is not: the page and the server draw the line at
the same place."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mmgame.market import GaussianMarket, InvalidCurve, Order, Range, UnfairCurve, Wealth, fill, quote
from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

CASES = json.loads((Path(__file__).resolve().parents[1] / "cases" / "afford.json").read_text())["cases"]
HAIR = 1e-3  # how far (relatively) past the page's line a curve must be for the engine to refuse it


class Case:
    """A case's market and my position after its steps, in the engine."""

    def __init__(self, case: dict) -> None:
        self.log = case.get("scale") == "log"
        scale = "log" if self.log else "linear"
        self.range = Range(case["lo"], case["hi"], integer=case.get("integer", False), scale=scale)
        self.market = GaussianMarket.create(self.range, case["b"], *case["prior"])
        self.budget = case["budget"]
        self.wealth = Wealth(const=float(self.budget))
        for who, centre, spread in case["steps"]:
            order = self.order(centre, spread)
            if who == "me":  # as far toward it as my budget goes
                result = fill(self.market, self.wealth, self.order(centre, spread, "toward"))
                self.wealth = result.wealth_after
            else:
                result = quote(self.market, Wealth(const=1e12), order)
            self.market = self.market.trade(result.move)

    def order(self, centre: float, spread: float, kind: str = "target") -> Order:
        if self.log:
            return Order(kind, median=centre, sd_log=spread)
        return Order(kind, mean=centre, sd=spread)

    def affordable(self, centre: float, spread: float) -> bool:
        """The engine's word: a target order to this curve is fair, at least σ_min and covered."""
        try:
            return quote(self.market, self.wealth, self.order(centre, spread)).affordable
        except (UnfairCurve, InvalidCurve):
            return False

    def page_shapes(self) -> dict:
        """The market and position as the server sends them to a phone (queries/shapes.py)."""
        mean, sd = self.market.curve_to_x(self.market.curve)
        centre, half = float(self.range.centre), float(self.range.half_width)
        curve = {"median": mean, "sd_log": sd} if self.log else {"mean": mean, "sd": sd}
        market = {
            "scale": "log" if self.log else "linear",
            "liquidity": self.market.liquidity,
            "sd_min": float(self.market.sd_min),
            **curve,
        }
        wealth = {"const": self.wealth.const, "linear": self.wealth.linear, "quadratic": self.wealth.quadratic}
        position = {"budget": self.budget, "wealth": {**wealth, "centre": centre, "half_width": half}}
        return {"market": market, "position": position}

    # The page answers in z; these say its answers in the question's units.
    def x(self, z: float) -> float:
        y = float(self.range.centre) + z * float(self.range.half_width)
        return math.exp(y) if self.log else y

    def spread(self, sd_z: float) -> float:
        return sd_z * float(self.range.half_width)

    def z(self, x: float) -> float:
        y = math.log(x) if self.log else x
        return (y - float(self.range.centre)) / float(self.range.half_width)


SCRIPT = """async (cases) => {
  const a = await import("/static/js/afford.js");
  return cases.map(({ market, position, ask }) => {
    const h = a.holding(market, position);
    const [m, s] = ask;
    const widths = a.widthsAt(h, m);
    const middles = a.middlesAt(h, s);
    return { widths, middles, nearest: a.nearestAffordable(h, m, s), asked: a.affordable(h, m, s), sdMin: h.sdMin };
  });
}"""


@pytest.fixture(scope="module")
def answers() -> list[tuple[dict, Case, dict]]:
    built = [Case(case) for case in CASES]
    inputs = []
    for case, engine in zip(CASES, built, strict=True):
        middle, spread = case["ask"]
        shapes = engine.page_shapes()
        shapes["ask"] = [engine.z(middle), spread / float(engine.range.half_width)]
        inputs.append(shapes)
    return list(zip(CASES, built, evaluate_static(SCRIPT, inputs), strict=True))


def test_the_table_covers_the_cases_that_matter(answers) -> None:
    """Refused as typed and offered another width; affordable as typed; nothing at that middle."""
    asked = [answer["asked"] for _, _, answer in answers]
    assert True in asked and False in asked
    assert any(not answer["nearest"]["sameMiddle"] for _, _, answer in answers)
    assert any(answer["widths"] and answer["widths"]["narrowest"] > answer["sdMin"] * 1.01 for _, _, answer in answers)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_the_page_says_affordable_where_the_engine_does(answers, index: int) -> None:
    case, engine, answer = answers[index]
    middle, spread = case["ask"]
    assert answer["asked"] == engine.affordable(middle, spread), case["name"]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_the_narrowest_and_widest_affordable_curve_at_a_middle_is_the_engines(answers, index: int) -> None:
    case, engine, answer = answers[index]
    middle = case["ask"][0]
    widths = answer["widths"]
    if widths is None:
        # No width at all: the narrowest the market takes, the market's own, and wider ones are all refused.
        for sd in (float(engine.market.sd_min), engine.spread(engine.market.curve.sd), engine.spread(0.5)):
            assert not engine.affordable(middle, sd), (case["name"], sd)
        return
    narrowest, widest = engine.spread(widths["narrowest"]), engine.spread(widths["widest"])
    assert engine.affordable(middle, narrowest) and engine.affordable(middle, widest), case["name"]
    if widths["narrowest"] > answer["sdMin"] * (1 + HAIR):
        assert not engine.affordable(middle, narrowest * (1 - HAIR)), case["name"]
    assert not engine.affordable(middle, widest * (1 + HAIR)), case["name"]  # too wide to pay, or to be fair


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_the_affordable_middles_at_a_width_are_the_engines(answers, index: int) -> None:
    case, engine, answer = answers[index]
    spread = case["ask"][1]
    middles = answer["middles"]
    z = engine.z(case["ask"][0])
    if middles is None:
        for m in (-0.9, -0.5, 0.0, 0.5, 0.9, z):
            assert not engine.affordable(engine.x(m), spread), (case["name"], m)
        return
    for end, outward in ((middles["low"], -1), (middles["high"], 1)):
        assert engine.affordable(engine.x(end), spread), (case["name"], end)
        assert not engine.affordable(engine.x(end + outward * HAIR), spread), (case["name"], end)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_the_nearest_affordable_curve_is_affordable_and_keeps_the_middle_when_it_can(answers, index: int) -> None:
    case, engine, answer = answers[index]
    nearest = answer["nearest"]
    assert nearest is not None, case["name"]
    assert engine.affordable(engine.x(nearest["m"]), engine.spread(nearest["s"])), case["name"]
    if nearest["sameMiddle"]:
        assert nearest["m"] == pytest.approx(engine.z(case["ask"][0]), abs=1e-12)
    else:
        assert answer["widths"] is None
