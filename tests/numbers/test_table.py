"""The server writes and reads every number of the shared table as its cases say (static/js runs the same
table in Chromium: test_in_chromium.py)."""

from __future__ import annotations

import pytest

from mmgame.numbers import curve, log_curve, quantity, quantity_range, read_number
from mmgame.numbers.parsing import Unreadable

from .cases import CASES, case_id


@pytest.mark.parametrize("case", CASES["format"], ids=case_id)
def test_a_quantity_is_written_as_the_table_says(case):
    scale = {"scale_of": case["scale_of"]} if "scale_of" in case else {}

    written = quantity(
        case["value"], case["kind"], case["unit"], place=case["place"], language=case["language"], **scale
    )

    assert written == case["expect"]


@pytest.mark.parametrize("case", CASES["curve"], ids=case_id)
def test_a_curve_is_written_as_the_table_says(case):
    assert (
        list(curve(case["mean"], case["sd"], case["kind"], case["unit"], language=case["language"])) == case["expect"]
    )


@pytest.mark.parametrize("case", CASES["read"], ids=case_id)
def test_typed_text_is_read_as_the_table_says(case):
    if "reason" in case:
        with pytest.raises(Unreadable) as refused:
            read_number(case["text"], unit=case["unit"], language=case["language"])
        assert refused.value.reason == case["reason"]
    else:
        reading = read_number(case["text"], unit=case["unit"], language=case["language"])
        assert (reading.text, reading.ambiguous) == (case["expect"], case.get("ambiguous", False))


def test_the_table_covers_the_issues_examples():
    """The numbers a new user met (issue 11) are in the table, so a change to them shows in both languages."""
    written = {c["expect"] for c in CASES["format"]} | {tuple(c["expect"]) for c in CASES["curve"]}
    read = {c["text"] for c in CASES["read"] if "expect" in c}

    assert ("5.0 µm", "2.5 µm") in written  # was "0 m ± 0 m"
    assert ("8.55 billion people", "0.18 billion people") in written  # was "8,547,810,129 people ± 180,521,683"
    assert "1440" in written  # was "1,440"
    assert ("165 beans", "3.2 beans") in written  # was "164.538"
    assert "3.0 × 10⁸ m/s" in written
    assert {"8,546,000,000", "8.5e9", "8.5 billion", "2 µm"} <= read


@pytest.mark.parametrize("case", CASES["ticks"], ids=case_id)
def test_an_axis_tick_is_labelled_as_the_table_says(case):
    """The axis is drawn in the browser (static/js/chart.js `ticks`); its labels follow the one rule: each
    tick to the step's digits, all in the scale of the axis's largest value."""
    widest = case["lo"] if abs(case["lo"]) > abs(case["hi"]) else case["hi"]
    expect, language = case["expect"], case.get("language", "en")

    labels = [
        quantity(
            v, case["kind"], case["unit"], place=expect["place"], scale_of=widest, show_unit=False, language=language
        )
        for v in expect["values"]
    ]

    assert labels == expect["labels"]
    step = expect["values"][1] - expect["values"][0] if len(expect["values"]) > 1 else 1
    assert round(step / 10 ** expect["place"], 9) in (1, 2, 5)  # ticks at 1, 2 or 5 × 10ⁿ


@pytest.mark.parametrize("case", CASES["log_ticks"], ids=case_id)
def test_a_log_axis_tick_is_labelled_as_the_table_says(case):
    """A log-scale market's axis (static/js/chart.js `logTicks`): ticks at 1, 2, 5 × 10ⁿ, each written as exactly
    as it is, in its own scale ("500 nm", "1 µm"); a range within one decade falls back to round linear ticks."""
    expect, language = case["expect"], case.get("language", "en")

    labels = [
        quantity(v, case["kind"], case["unit"], place=place, scale_of=v, show_unit=False, language=language)
        for v, place in zip(expect["values"], expect["places"], strict=True)
    ]

    assert labels == expect["labels"]
    assert all(case["lo"] <= v <= case["hi"] for v in expect["values"])
    if len(set(expect["places"])) > 1:  # a log axis, not the linear fallback
        ticks = zip(expect["values"], expect["places"], strict=True)
        assert all(round(v / 10**place, 9) in (1, 2, 5) for v, place in ticks)
        assert len(expect["values"]) <= case["most"]


@pytest.mark.parametrize("case", CASES["log_curve"], ids=case_id)
def test_a_log_markets_curve_is_written_as_the_table_says(case):
    """ "about {median}, give or take a factor of {factor}": the median to the digits median·σ_ln warrants,
    the factor e^σ_ln to two significant figures, in the page's language (static/js/format.js formatLogCurve)."""
    got = log_curve(case["median"], case["sd_log"], case["kind"], case["unit"], language=case["language"])

    assert list(got) == case["expect"]


@pytest.mark.parametrize(
    ("lo", "hi", "kind", "unit", "expect"),
    [
        (1000, 10_000_000, "measure", "km/s", "1 × 10³ – 1 × 10⁷ km/s"),  # both ends in powers of ten
        (1500, 25_000_000, "measure", "km/s", "1.5 × 10³ – 2.5 × 10⁷ km/s"),
        (0, 10_000_000, "measure", "km/s", "0 – 1 × 10⁷ km/s"),  # a zero stays "0"
        (0, 300, "count", "beans", "0 – 300 beans"),
        (1000, 20_000, "count", "beans", "1,000 – 20,000 beans"),
        (1e-6, 1e-3, "measure", "m", "1 µm – 1 mm"),
    ],
)
def test_a_range_writes_both_its_ends_the_same_way(lo, hi, kind, unit, expect):
    assert quantity_range(lo, hi, kind, unit) == expect
