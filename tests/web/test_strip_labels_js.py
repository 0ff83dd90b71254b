"""static/js/strip.js in Chromium: on a 360-px phone the first guesses' labels stay whole inside the chart, and
"your guess" stands clear of the class average's line (it once read "lass average: 525 beans", cut at the
left edge, and "your guess" ran across the dashed line)."""

from __future__ import annotations

import pytest

from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

# The strip drawn 328 px wide (a phone's card) for guesses near the left end of the range, as on the phone
# (14 px labels); each label's box against the chart's and against the average's line.
SCRIPT = """async ([average, mine]) => {
  const { drawStrip } = await import("/static/js/strip.js");
  const style = document.createElement("style");
  style.textContent = `.strip-average-label, .strip-mine-label { font: 800 14px sans-serif; }
                       .tick { font-size: 12px; }`;
  document.head.append(style);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "strip");
  svg.style.width = "328px";
  svg.style.height = "170px";
  svg.style.display = "block";
  document.body.append(svg);
  const market = { lo: 0, hi: 1000, scale: "linear" };
  drawStrip(svg, { market, middles: [average - 20, average, mine], average, mine, format: (v) => `${v} beans`,
                   tick: (v) => String(v), labels: { average: "Class average: {value}", you: "your guess" } });
  const frame = svg.getBoundingClientRect();
  const box = (selector) => {
    const b = svg.querySelector(selector).getBoundingClientRect();
    return { left: b.left - frame.left, right: b.right - frame.left, top: b.top - frame.top };
  };
  const line = svg.querySelector(".strip-average-line").getBoundingClientRect();
  return { width: frame.width, average: box(".strip-average-label"), mine: box(".strip-mine-label"),
           line: (line.left + line.right) / 2 - frame.left,
           text: svg.querySelector(".strip-average-label").textContent };
}"""


@pytest.mark.parametrize(("average", "mine"), [(40, 70), (525, 450), (525, 560), (960, 930)])
def test_the_strips_labels_stay_whole_and_clear_of_the_average(average: int, mine: int) -> None:
    drawn = evaluate_static(SCRIPT, [average, mine])
    assert drawn["text"] == f"Class average: {average} beans"
    for label in ("average", "mine"):
        box = drawn[label]
        assert box["left"] >= 0 and box["right"] <= drawn["width"] and box["top"] >= 0, (label, drawn)
    # "your guess" does not run across the average's dashed line.
    assert not (drawn["mine"]["left"] - 2 <= drawn["line"] <= drawn["mine"]["right"] + 2), drawn
