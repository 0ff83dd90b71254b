"""The boards' modules in Chromium (static/js/screen.js, store.js, podium.js): a phone's place is its row of
the board every screen reads, and practice traders left out are one line under the students, said once."""

from __future__ import annotations

import pytest

from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

SCRIPT = """async () => {
  const screen = await import("/static/js/screen.js");
  const { standing } = await import("/static/js/store.js");
  const { PodiumShow } = await import("/static/js/podium.js");
  const T = { you: "you", hidden: "a player", bot: "bot", points: "points",
              bots_left_out: "+ {count} practice traders, not ranked",
              bots_left_out_one: "+ 1 practice trader, not ranked" };
  const folded = (count) => screen.botsLeftOut(T, { bots_left_out: count }).map((li) => li.textContent);
  const rows = [
    { player_id: 1, nickname: "Ben", score: 30, rank: 1, is_bot: false },
    { player_id: 2, nickname: "Dee", score: 0, rank: 2, is_bot: false },
    { player_id: 3, nickname: "Eve", score: 0, rank: 2, is_bot: false },
    { player_id: 4, nickname: "Ana", score: -17, rank: 4, is_bot: false },
  ];
  const board = { markets: { 7: rows.slice(0, 2) }, game: rows, counts: { markets: { 7: 5 }, game: 5 },
                  mine: { markets: { 7: rows[3] }, game: rows[3] }, bots_left_out: 10 };
  const place = (section) => { const s = standing(board, section, 7, 4); return [s.row.rank, s.count]; };
  const list = document.createElement("ol"), rest = document.createElement("ol");
  const show = new PodiumShow(list, rest, T);
  show.stage = 4;
  show.render(rows, screen.botsLeftOut(T, board));
  return {
    none: folded(0), missing: screen.botsLeftOut(T, {}).length, one: folded(1), ten: folded(10),
    market: place("markets"), game: place("game"),
    medals: [...list.children].map((li) => li.children[0].textContent),
    rest: [...rest.children].map((li) => li.textContent),
  };
}"""


@pytest.fixture(scope="module")
def got() -> dict:
    return evaluate_static(SCRIPT)


def test_practice_traders_left_out_are_one_line_said_in_the_singular_or_plural(got):
    assert (got["none"], got["missing"]) == ([], 0)
    assert got["one"] == ["+ 1 practice trader, not ranked"]
    assert got["ten"] == ["+ 10 practice traders, not ranked"]


def test_a_phones_place_is_its_own_row_of_the_board_of_all_it_counts(got):
    assert got["market"] == [4, 5]  # "Rank 4 of 5" on the card, from `mine` and `counts` of one board
    assert got["game"] == [4, 5]


def test_the_podium_shows_the_servers_tied_ranks_then_the_folded_line(got):
    assert got["medals"] == ["1", "2", "2"]
    assert got["rest"] == ["4. Ana−17", "+ 10 practice traders, not ranked"]
