"""static/js/lesson.js on its own in Chromium: ties said as ties, "beat" only for a better score, the class's
average in a sentence of its own when it tied, and how many first guesses' 90 % ranges held the true value
(the strings are the page's own, from mmgame.web.strings)."""

from __future__ import annotations

import pytest

from mmgame.web.strings import script_strings

from .browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

SAY = """async ([T, cases]) => {
  const { lessonSentences } = await import("/static/js/lesson.js");
  return cases.map((numbers) => lessonSentences(T, numbers, { firstGuess: true }).map((s) => s.text));
}"""


def lesson(market=1.0, traders=0, beaten=0, tied=0, guessers=0, guesses_beaten=0, guesses_tied=0, **more):
    return {
        "market": market,
        "traders": traders,
        "traders_beaten": beaten,
        "traders_tied": tied,
        "guessers": guessers,
        "guessers_beaten": guesses_beaten,
        "guessers_tied": guesses_tied,
        "guess_average": None,
        **more,
    }


CASES = [
    # The last trader's forecast was the market's final one: 4 beaten, 1 tied, 1 lost to ("beat 5 of 6" before).
    (lesson(traders=6, beaten=4, tied=1), "The market's final forecast beat 4 of the 6 of you who traded, tied with 1"
     " and lost to 1."),
    (lesson(traders=6, beaten=5, tied=1), "The market's final forecast beat 5 of the 6 of you who traded and tied"
     " with 1."),
    (lesson(traders=3, beaten=0, tied=1), "The market's final forecast tied with 1 of the 3 of you who traded and"
     " lost to 2."),
    (lesson(traders=1, beaten=0, tied=1), "The market's final forecast tied with the only one of you who traded."),
    (lesson(traders=2, beaten=0, tied=2), "The market's final forecast tied with both of you who traded."),
    (lesson(traders=4, beaten=0, tied=4), "The market's final forecast tied with all 4 of you who traded."),
    # No ties: "beat" both ways, and the class's average folded in.
    (lesson(traders=3, beaten=0, guess_average=0.5, market=0.2), "All 3 of you who traded, and the class's average"
     " first guess, beat the market's final forecast."),
    (lesson(traders=5, beaten=5), "The market's final forecast beat every one of the 5 of you who traded."),
]  # fmt: skip


def test_ties_are_said_as_ties_and_beat_means_a_better_score() -> None:
    said = evaluate_static(SAY, [script_strings(), [numbers for numbers, _ in CASES]])

    for (numbers, headline), sentences in zip(CASES, said, strict=True):
        assert sentences[0] == headline, (numbers, sentences)


def test_the_class_average_and_the_guesses_each_say_beat_tied_or_lost() -> None:
    cases = [
        lesson(traders=6, beaten=4, tied=1, guess_average=0.5),  # a tie in the headline: the average apart
        lesson(traders=2, beaten=2, market=0.7, guess_average=0.7),  # the average tied with the market
        lesson(traders=0, market=0.0, guess_average=0.0, guessers=3, guesses_tied=1, guesses_beaten=1),
        lesson(traders=1, beaten=1, guessers=1, guesses_tied=1, guessers_inside=1),
        lesson(traders=1, beaten=1, guessers=1, guessers_inside=0),
        lesson(traders=2, beaten=1, market=0.0, guessers=7, guesses_beaten=3, guessers_inside=5),
    ]
    said = evaluate_static(SAY, [script_strings(), cases])

    assert said[0][1] == "The market's final forecast beat the class's average first guess."
    assert said[1][:2] == [
        "The market's final forecast beat both of you who traded.",
        "The market's final forecast tied with the class's average first guess.",
    ]
    assert said[2][:3] == [
        "Nobody traded, so the market kept its starting forecast.",
        "The class's average first guess tied with the starting forecast.",
        "The market's final forecast beat 1 of the 3 first guesses and tied with 1.",
    ]
    assert said[3][1:3] == [
        "The market's final forecast tied with the only first guess.",
        "The true value fell inside the only first guess's 90 % range.",
    ]
    assert said[4][1:3] == [
        "The only first guess beat the market's final forecast.",
        "The true value fell outside the only first guess's 90 % range.",
    ]
    assert said[5][1:] == [
        "The market's final forecast beat 3 of the 7 first guesses.",
        "The true value fell inside the 90 % range of 5 of the 7 first guesses.",
        "The market's final forecast tied with its starting one: trading left it there.",
    ]


def test_the_projector_can_leave_the_ranges_to_the_phones() -> None:
    numbers = lesson(traders=1, beaten=1, guessers=7, guesses_beaten=3, guessers_inside=5)
    said = evaluate_static(
        """async ([T, numbers]) => {
          const { lessonSentences } = await import("/static/js/lesson.js");
          const say = (options) => lessonSentences(T, numbers, options).map((s) => s.text);
          return [say({}), say({ calibration: false })];
        }""",
        [script_strings(), numbers],
    )
    ranges = "The true value fell inside the 90 % range of 5 of the 7 first guesses."
    assert ranges in said[0] and ranges not in said[1]
