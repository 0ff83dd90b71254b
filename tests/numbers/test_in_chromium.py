"""static/js/format.js and parse.js write and read every number of the shared table as the server does, in
Debian's Chromium (the modules are served as they are, no build step)."""

from __future__ import annotations

import json

import pytest

from mmgame.numbers import LANGUAGES, Unreadable, read_number
from mmgame.numbers.locales import cldr_words
from tests.web.browser import CHROMIUM, ORIGIN, SHARED, evaluate_static, serve_static

from .cases import CASES

RUN_TABLE = """async (cases) => {
  const { formatQuantity, formatCurve, formatLogCurve } = await import("/static/js/format.js");
  const { readNumber, cldrWords } = await import("/static/js/parse.js");
  const { logTicks, ticks } = await import("/static/js/chart.js");
  return {
    log_ticks: cases.log_ticks.map((c) => {
      const t = logTicks(c.lo, c.hi, c.most);
      const language = c.language || "en";
      const options = (v, i) => ({ place: t.places[i], showUnit: false, scale: { value: v }, language });
      const labels = t.values.map((v, i) => formatQuantity(v, c.kind, c.unit, options(v, i)));
      return { values: t.values, places: t.places, labels };
    }),
    ticks: cases.ticks.map((c) => {
      const t = ticks(c.lo, c.hi, c.most);
      const options = { place: t.place, showUnit: false, scale: { value: t.widest }, language: c.language || "en" };
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


PAGE_LANGUAGE = """async () => {
  const { formatQuantity, points, number } = await import("/static/js/format.js");
  const { readNumber } = await import("/static/js/parse.js");
  const { sayBack } = await import("/static/js/number-input.js");
  const html = document.documentElement;
  const field = Object.assign(document.createElement("input"), { id: "typed" });
  const output = document.createElement("output");
  output.dataset.readingFor = "typed";
  output.dataset.readsAs = "Reads as {value}";
  document.body.append(field, output);
  const say = (text, unit = "") => {
    field.value = text;
    sayBack(field, { kind: "measure", unit });
    return output.textContent;
  };
  const page = () => ({
    billions: formatQuantity(8.5e9, "count", "people", { place: 8 }),
    beans: formatQuantity(1000, "count", "beans", { place: 0 }),
    points: [points(1234.5), points(-2.25), number(-0.125, 2)],
    read: readNumber("1,500"),
    said: [say("1.500"), say("1,500"), say("8,5 Mrd"), say("1,2,3"), say("2,5 km", "m")],
  });
  const seen = { en: page() };
  for (const lang of ["de", "es", "fr", "de-AT", "it"]) {
    html.lang = lang;
    seen[lang] = page();
  }
  html.lang = "de";
  const messages = Object.assign(document.createElement("script"), { type: "application/json", id: "number-messages" });
  const german = "Ziffern in Dreiergruppen, wie {grouped}; Dezimalen nach „{mark}“: {decimal}.";
  messages.textContent = JSON.stringify({ grouping: german });
  document.head.append(messages);
  seen.translated = say("1,2,3");
  return seen;
}"""


GROUPING_EN = "Group the digits in threes, like 8,546,000,000; decimals go after “.”, like 2.5."
GROUPING_DE = "Group the digits in threes, like 8.546.000.000; decimals go after “,”, like 2,5."


def test_a_page_writes_and_reads_numbers_in_its_own_language_not_the_browsers():
    """format.js and parse.js follow <html lang> (German in an English browser, English in a German one); a
    regional tag is its language, a language not served is English; the say-back shows an ambiguous reading
    without grouping, and a refusal takes the page's translated sentence with examples in its language."""
    with SHARED.lent() as (_, browser):
        context = browser.new_context(locale="de-DE")  # the browser's own language is German
        try:
            page = context.new_page()
            page.route(f"{ORIGIN}/**", serve_static)
            page.goto(f"{ORIGIN}/")
            seen = page.evaluate(PAGE_LANGUAGE)
        finally:
            context.close()

    expected = {  # (written, points, read, said back) on an English page and on a German one
        "en": (
            ["8.5 billion people", "1,000 beans"],
            ["+1,235", "−2.3", "−0.13"],
            {"text": "1500", "ambiguous": True},
            [
                "Reads as 1.5",
                "Reads as 1500",
                "This question has no unit: type the number alone.",
                GROUPING_EN,
                "Reads as 2,500 m",
            ],
        ),
        "de": (
            ["8,5 Milliarden people", "1.000 beans"],
            ["+1.235", "−2,3", "−0,13"],
            {"text": "1.5", "ambiguous": True},
            ["Reads as 1500", "Reads as 1,5", "Reads as 8,5 Milliarden", GROUPING_DE, "Reads as 2.500 m"],
        ),
    }
    for language, (written, points, read, said) in expected.items():
        assert [seen[language]["billions"], seen[language]["beans"]] == written
        assert (seen[language]["points"], seen[language]["read"], seen[language]["said"]) == (points, read, said)
    assert seen["de-AT"] == seen["de"]
    assert seen["it"] == seen["en"]
    assert (seen["es"]["billions"], seen["es"]["beans"], seen["es"]["said"][0]) == (
        "8,5 mil millones people",
        "1000 beans",  # CLDR: Spanish groups from five digits on
        "Reads as 1500",
    )
    assert (seen["fr"]["beans"], seen["fr"]["points"][0]) == ("1\u202f000 beans", "+1\u202f235")
    assert seen["translated"] == "Ziffern in Dreiergruppen, wie 8.546.000.000; Dezimalen nach „,“: 2,5."
