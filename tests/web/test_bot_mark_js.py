"""static/js/screen.js and podium.js in Chromium: a practice trader's board row and feed line carry "🤖 bot"
(the icon hidden from screen readers, the word read), on the podium too when the host included them (the
server ranks them on no board otherwise: tests/services/test_practice.py)."""

from __future__ import annotations

import pytest

from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

SCRIPT = """async () => {
  const screen = await import("/static/js/screen.js");
  const { PodiumShow } = await import("/static/js/podium.js");
  const T = { you: "you", hidden: "a player", bot: "bot", points: "points",
              bought: "{name} moved it to {mean} ± {sd}", bought_log: "{name} about {median}" };
  const rows = [
    { player_id: 1, nickname: "Bot Ada", score: 30, rank: 1, is_bot: true },
    { player_id: 2, nickname: "Alice", score: 20, rank: 2, is_bot: false },
    { player_id: 3, nickname: "Bob", score: 20, rank: 3, is_bot: false },
  ];
  const board = screen.boardRows(T, rows, null, 5);
  const market = { id: 7, scale: "linear", kind: "measure", unit: "beans" };
  const store = { trades: { 7: [
    { sequence: 1, player_id: 1, nickname: "Bot Ada", is_bot: true, kind: "toward", mean: 120, sd: 30, cost: 1 },
    { sequence: 2, player_id: 2, nickname: "Alice", is_bot: false, kind: "toward", mean: 110, sd: 30, cost: 1 },
  ] } };
  const feed = screen.feedRows(T, store, market);
  const podium = () => {
    const list = document.createElement("ol"), rest = document.createElement("ol");
    const show = new PodiumShow(list, rest, T);
    show.stage = 4;
    show.render(rows);
    return [...list.children].map((li) => [li.children[0].textContent, li.children[1].textContent]);
  };
  return {
    board: board.map((li) => li.firstChild.textContent),
    hidden: board[0].querySelector("[aria-hidden=true]")?.textContent,
    feed: feed.map((li) => li.textContent),
    podium: podium(),
  };
}"""


@pytest.fixture(scope="module")
def got() -> dict:
    return evaluate_static(SCRIPT)


def test_a_bots_board_row_ends_with_an_icon_and_a_word(got):
    assert got["board"] == ["1. Bot Ada 🤖 bot", "2. Alice", "3. Bob"]
    assert got["hidden"] == "🤖"


def test_a_bots_feed_line_is_marked(got):
    assert got["feed"][0].startswith("Alice") and not got["feed"][0].endswith("bot")
    assert got["feed"][1].startswith("Bot Ada") and got["feed"][1].endswith(" 🤖 bot")


def test_the_podium_shows_the_servers_ranks_and_marks_an_included_bot(got):
    assert got["podium"] == [["1", "Bot Ada 🤖 bot"], ["2", "Alice"], ["3", "Bob"]]
