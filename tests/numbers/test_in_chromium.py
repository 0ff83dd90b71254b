"""static/js/format.js and parse.js write and read every number of the shared table as the server does, in
Debian's Chromium (the modules are served as they are, no build step)."""

from __future__ import annotations

import json

import pytest

from mmgame.numbers import LANGUAGES, Unreadable, read_number
from mmgame.numbers.locales import cldr_words
from tests.web.browser import CHROMIUM, evaluate_static

from .cases import CASES

RUN_TABLE = """async (cases) => {
  const { formatQuantity, formatCurve, formatLogCurve } = await import("/static/js/format.js");
  const { readNumber, cldrWords } = await import("/static/js/parse.js");
  const { logTicks, ticks } = await import("/static/js/chart.js");
  return {
    log_ticks: cases.log_ticks.map((c) => {
      const t = logTicks(c.lo, c.hi, c.most);
      const options = (v, i) => ({ place: t.places[i], showUnit: false, scale: { value: v }, language: "en" });
      const labels = t.values.map((v, i) => formatQuantity(v, c.kind, c.unit, options(v, i)));
      return { values: t.values, places: t.places, labels };
    }),
    ticks: cases.ticks.map((c) => {
      const t = ticks(c.lo, c.hi, c.most);
      const options = { place: t.place, showUnit: false, scale: { value: t.widest }, language: "en" };
      const labels = t.values.map((v) => formatQuantity(v, c.kind, c.unit, options));
      return { values: t.values, place: t.place, labels };
    }),
    format: cases.format.map((c) => formatQuantity(c.value, c.kind, c.unit, {
      place: c.place, language: c.language, ...("scale_of" in c ? { scale: { value: c.scale_of } } : {}) })),
    curve: cases.curve.map((c) => formatCurve(c.mean, c.sd, c.kind, c.unit, { language: c.language })),
    log_curve: cases.log_curve.map((c) => formatLogCurve(c.median, c.sd_log, c.kind, c.unit, { language: c.language })),
    read: cases.read.map((c) => readNumber(c.text, { unit: c.unit, language: c.language })),
    words: Object.fromEntries(["en", "es", "fr", "de"].map((l) => [l, cldrWords(l)])),
  };
}"""


@pytest.fixture(scope="module")
def answers() -> dict:
    return evaluate_static(RUN_TABLE, json.loads(json.dumps(CASES)))


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]


def test_the_browser_writes_every_quantity_as_the_server_does(answers):
    expected = [c["expect"] for c in CASES["format"]]

    assert [(c, got) for c, got in zip(CASES["format"], answers["format"], strict=True) if got != c["expect"]] == []
    assert answers["format"] == expected


def test_the_browser_writes_every_curve_as_the_server_does(answers):
    assert answers["curve"] == [c["expect"] for c in CASES["curve"]]


def test_the_browser_reads_typed_text_as_the_server_does(answers):
    def server(case: dict) -> dict:
        try:
            reading = read_number(case["text"], unit=case["unit"], language=case["language"])
        except Unreadable as refused:
            return {"reason": refused.reason, "message": refused.message}
        return {"text": reading.text, "ambiguous": reading.ambiguous}

    expected = [
        {"text": c["expect"], "ambiguous": c.get("ambiguous", False)} if "expect" in c else {"reason": c["reason"]}
        for c in CASES["read"]
    ]
    got = [{k: v for k, v in a.items() if k != "message"} for a in answers["read"]]

    assert got == expected
    # A refusal says how to type a number in the page's language, with the same examples as the server's.
    assert answers["read"] == [server(c) for c in CASES["read"]]


def test_the_browser_reads_the_same_words_for_large_numbers_as_the_server(answers):
    """CLDR's words come from Babel on the server and from Intl in the browser: the two tables are the same."""
    assert answers["words"] == {language: cldr_words(language) for language in LANGUAGES}


def test_the_browser_draws_round_axis_ticks_labelled_as_the_server_writes_them(answers):
    assert answers["ticks"] == [c["expect"] for c in CASES["ticks"]]


def test_the_browser_draws_a_log_axis_at_1_2_5_labelled_as_the_server_writes_them(answers):
    assert answers["log_ticks"] == [c["expect"] for c in CASES["log_ticks"]]


def test_the_browser_writes_a_log_markets_curve_as_the_server_does(answers):
    assert answers["log_curve"] == [c["expect"] for c in CASES["log_curve"]]


def test_the_browsers_log_market_helpers_agree_with_the_engine():
    """gauss.js reads a 90 % interval and prices a move on a log market as the engine does (docs/maths.md § Log
    markets)."""
    from decimal import Decimal

    from mmgame.market import GaussianMarket, Range

    market = GaussianMarket.create(Range(Decimal(10), Decimal(100000), scale="log"), 30.0, 1000, Decimal("2.3"))
    target = market.curve_from_interval(200, 5000)
    want = market.profit_at(target, 1200)
    script = """async () => {
      const g = await import("/static/js/gauss.js");
      const market = { scale: "log" };
      const curve = g.fromLogInterval(5000, 200);
      return { curve, back: g.toLogInterval(curve),
               profit: g.curveProfit(30, { median: 1000, sd_log: 2.3 }, curve, 1200, market) };
    }"""
    got = evaluate_static(script)
    assert got["curve"]["median"] == pytest.approx(1000) and got["back"] == pytest.approx([200, 5000])
    assert got["profit"] == pytest.approx(want, rel=1e-9)
