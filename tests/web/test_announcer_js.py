"""static/js/screen.js's announcer in Chromium: a screen reader hears the market move, but not a new question
put on screen as if the market had moved (a walkthrough heard "Market moved to 500 bones ± 250 bones"), and
what it said of the last question goes with it (another read "Market moved to 20 beans" during the next)."""

from __future__ import annotations

import pytest

from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

SCRIPT = """async () => {
  const { announcer } = await import("/static/js/screen.js");
  const region = document.createElement("div");
  const say = announcer(region, "", 0);
  const heard = [];
  const step = (text, key, subject) => { say(text, key, subject); heard.push(region.textContent); };
  step("Market moved to 500 ± 250", "500:250", 7);  // the market as first shown: not news
  step("Market moved to 450 ± 200", "450:200", 7);  // a trade: news
  step("Market moved to 450 ± 200", "450:200", 7);  // the same again: nothing new
  step("Market moved to 90 ± 40", "90:40", 8);      // the next question: not news; the last one's words go
  step("Market moved to 80 ± 30", "80:30", 8);      // its first trade: news
  return heard;
}"""


@pytest.fixture(scope="module")
def heard() -> list[str]:
    return evaluate_static(SCRIPT)


def test_a_move_is_announced_and_a_new_question_is_not_and_clears_the_last_ones_words(heard):
    assert heard == [
        "",
        "Market moved to 450 ± 200",
        "Market moved to 450 ± 200",
        "",
        "Market moved to 80 ± 30",
    ]
