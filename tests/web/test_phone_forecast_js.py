"""static/js/player/forecast.js in Chromium: how the phone reads, writes, keeps and sends a forecast on a log
market ("×3", a 90 % interval as typed) and, unchanged, on a linear one. The modules are served as they are."""

from __future__ import annotations

import math

import pytest

from mmgame.market import Z90
from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

TUNERS = {"scale": "log", "lo": 10, "hi": 100000, "sd_min": 0.0477, "kind": "count", "unit": "piano tuners",
          "median": 1000, "sd_log": math.log(10)}  # fmt: skip
BEANS = {
    "scale": "linear",
    "lo": 0,
    "hi": 1000,
    "sd_min": 1,
    "kind": "measure",
    "unit": "beans",
    "mean": 500,
    "sd": 250,
}
T = {
    "bad_mean": "mean {lo} {hi}",
    "bad_sd": "sd {min}",
    "bad_factor": "factor {min}",
    "bad_interval": "interval {lo} {hi}",
    "type_number": "Type a number, like {a} or {b}.",
    "group_digits": "Group the digits in threes, like {example}.",
}
PEOPLE = {"scale": "log", "lo": 1e9, "hi": 2e10, "sd_min": 0.01, "kind": "count", "unit": "people",
          "median": 8e9, "sd_log": 0.2}  # fmt: skip

SCRIPT = """async ({ tuners, beans, people, T }) => {
  const f = await import("/static/js/player/forecast.js");
  const form = (values) => ({ elements: Object.fromEntries(
    ["mean", "sd", "from", "to"].map((name) => [name, { name, value: values[name] ?? "", magnitude: null }])) });
  const read = (market, values, changed) => f.readFields(form(values), market, changed, T);
  const written = (market, curve) => {
    const fields = form({});
    f.writeFields(fields, curve, market);
    return Object.fromEntries(Object.entries(fields.elements).map(([name, input]) => [name, input.value]));
  };
  const factors = ["3", "×3", "x 2.5", "3×", "* 4", "2,5", "1.05"].map((t) => f.readFactor(t).text);
  return {
    factors,
    unreadable: f.readFactor("three").reason,
    interval: read(tuners, { from: "5,000", to: "200" }, "to"),
    spread: read(tuners, { mean: "2,000", sd: "×3" }, "sd"),
    tooFine: read(tuners, { mean: "2,000", sd: "1.04" }, "sd"),
    one: read(tuners, { mean: "2,000", sd: "1" }, "sd"),
    outside: read(tuners, { mean: "5", sd: "2" }, "mean"),
    linear: read(beans, { mean: "400", sd: "100" }, "sd"),
    linearInterval: read(beans, { from: "200", to: "600" }, "from"),
    orders: [
      f.orderOf("target", { median: 1000, sd_log: 1, low: 200, high: 5000 }, tuners),
      f.orderOf("toward", { median: 1000, sd_log: 1 }, tuners),
      f.orderOf("target", { mean: 400, sd: 100 }, beans),
    ],
    kept: f.within(tuners, { median: 200000, sd_log: 0.01, low: 1, high: 2 }),
    keptInterval: f.within(tuners, { median: 1000, sd_log: 1, low: 200, high: 5000 }),
    keptLinear: f.within(beans, { mean: -5, sd: 5000 }),
    writtenLog: written(tuners, { median: 1000, sd_log: Math.log(10) }),
    writtenLinear: written(beans, { mean: 500, sd: 250 }),
    inY: f.inY({ median: 1000, sd_log: 2 }, tuners),
    fromY: f.fromY({ mean: Math.log(1000), sd: 2 }, tuners),
    step: f.keyStep(tuners, { mean: Math.log(1000), sd: 1 }, "centre", { key: "ArrowRight", shiftKey: false }),
    wider: f.keyStep(tuners, { mean: Math.log(1000), sd: 1 }, "width", { key: "ArrowUp", shiftKey: true }),
    linearStep: f.keyStep(beans, { mean: 500, sd: 100 }, "centre", { key: "ArrowLeft", shiftKey: false }),
    least: f.factorText(Math.exp(0.0477), { up: true }),
    words: read(beans, { mean: "about four hundred", sd: "100" }, "mean"),
    wordsSpread: read(beans, { mean: "400", sd: "a hundred" }, "sd"),
    badGroups: read(tuners, { mean: "2,00,0", sd: "×3" }, "mean"),
    smallGroups: read(beans, { mean: "4 00", sd: "100" }, "mean"),
    factorWords: read(tuners, { mean: "2,000", sd: "three" }, "sd"),
    people: read(people, { mean: "lots", sd: "×2" }, "mean"),
    readBack: f.readingOf({ median: 50000, sd_log: Math.log(1.05) }, tuners, ["mean", "sd"]),
    ambiguous: (() => {
      const typed = read(beans, { mean: "1.500", sd: "100" }, "mean");
      return { typed, said: f.readingOf(typed.curve, beans, typed.typed, typed.ambiguous) };
    })(),
  };
}"""


@pytest.fixture(scope="module")
def got() -> dict:
    return evaluate_static(SCRIPT, {"tuners": TUNERS, "beans": BEANS, "people": PEOPLE, "T": T})


def test_a_factor_is_read_as_people_type_it(got):
    assert got["factors"] == ["3", "3", "2.5", "3", "4", "2.5", "1.05"]
    assert got["unreadable"] == "not_a_number"


def test_a_log_market_is_forecast_by_a_90_interval_or_a_middle_and_a_factor(got):
    curve = got["interval"]["curve"]
    assert curve["median"] == pytest.approx(1000) and curve["sd_log"] == pytest.approx(math.log(25) / (2 * float(Z90)))
    assert (curve["low"], curve["high"]) == (200, 5000)  # sent as typed
    assert got["spread"]["curve"] == {"median": 2000, "sd_log": pytest.approx(math.log(3))}
    # Sharper than the market takes (e^0.0477 = 1.0489): read as typed; the server offers the nearest it takes.
    assert got["tooFine"]["curve"] == {"median": 2000, "sd_log": pytest.approx(math.log(1.04))}
    assert got["one"]["problem"] == ["sd", "factor 1.05"]
    assert got["outside"]["problem"] == ["mean", "mean 10 piano tuners 100,000 piano tuners"]
    assert got["least"] == "1.05"
    assert got["readBack"]["factor"] == "1.05" and got["readBack"]["median"] == "50,000 piano tuners"


def test_a_linear_market_is_read_as_before(got):
    assert got["linear"] == {"curve": {"mean": 400, "sd": 100}, "typed": ["mean", "sd"], "ambiguous": {}}
    assert got["linearInterval"]["curve"] == {"mean": 400, "sd": pytest.approx(200 / float(Z90))}
    assert got["writtenLinear"] == {"mean": "500", "sd": "250", "from": "89", "to": "911"}
    assert got["keptLinear"] == {"mean": 0, "sd": 1000}
    assert got["linearStep"] == {"mean": 490, "sd": 100}


def test_orders_speak_the_markets_scale(got):
    assert got["orders"] == [
        {"kind": "target", "low": 200, "high": 5000},
        {"kind": "toward", "median": 1000, "sd_log": 1},
        {"kind": "target", "mean": 400, "sd": 100},
    ]
    # A forecast the market does not take is brought within it, and no longer sent as the typed interval.
    assert got["kept"] == {"median": 100000, "sd_log": 0.0477}
    assert got["keptInterval"] == {"median": 1000, "sd_log": 1, "low": 200, "high": 5000}


def test_a_log_markets_fields_and_handles_work_in_ln_x(got):
    assert got["writtenLog"] == {"mean": "1,000", "sd": "×10.0", "from": "23", "to": "44,000"}
    assert got["inY"] == {"mean": pytest.approx(math.log(1000)), "sd": 2}
    assert got["fromY"] == {"median": pytest.approx(1000), "sd_log": 2}
    assert got["step"]["mean"] == pytest.approx(math.log(1000) + math.log(10**4) / 100)
    assert got["wider"] == {"mean": pytest.approx(math.log(1000)), "sd": 1.25}


def test_a_number_that_cannot_be_read_is_explained_with_the_questions_own_numbers(got):
    # A jelly-bean question's examples are beans of its range's size, not the world's population.
    assert got["words"]["problem"] == ["mean", "Type a number, like 330 or 670 beans."]
    assert got["wordsSpread"]["problem"] == ["sd", "Type a number, like 100 or 250 beans."]
    assert got["badGroups"]["problem"] == ["mean", "Group the digits in threes, like 4,600."]
    # Below a thousand a grouping example would be out of the question's range: the plain examples instead.
    assert got["smallGroups"]["problem"] == ["mean", "Type a number, like 330 or 670 beans."]
    assert got["factorWords"]["problem"] == ["sd", "Type a number, like 1.5 or ×3."]
    assert got["people"]["problem"] == ["mean", "Type a number, like 2.7 billion or 7.4 billion people."]


def test_a_number_that_reads_two_ways_is_said_back_in_digits_nobody_can_misread(got):
    """ "1.500" on an English page is 1.5 (the page's decimal point), said "1.5 beans", not the curve's "2 beans"."""
    assert got["ambiguous"]["typed"]["curve"]["mean"] == 1.5
    assert got["ambiguous"]["said"]["mean"] == "1.5 beans"
