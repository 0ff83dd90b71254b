"""static/js/store.js and screen.js in Chromium: every counter counts all of a market's trades (the feed keeps
the newest 200 lines; the server sends the counts, `trade_counts`), and the wall's feed shows the people's
trades first with the practice traders' folded into one line, "+ 240 practice trades"."""

from __future__ import annotations

import pytest

from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

SCRIPT = """async () => {
  const { Store, tradeCount } = await import("/static/js/store.js");
  const screen = await import("/static/js/screen.js");
  const T = { hidden: "a player", bot: "bot", bought: "{name} moved it to {mean} ± {sd}",
              practice_trade_folded: "+ 1 practice trade", practice_trades_folded: "+ {count} practice trades" };
  const market = { id: 7, scale: "linear", kind: "measure", unit: "", sequence: 250, phase: "trading" };
  const line = (sequence, is_bot) => ({ sequence, player_id: is_bot ? 100 + (sequence % 10) : sequence % 8,
    nickname: is_bot ? `Bot ${sequence}` : `Student ${sequence}`, is_bot, kind: "toward", mean: 100 + sequence,
    sd: 30, cost: 1 });
  const trades = [];
  for (let s = 51; s <= 250; s++) trades.push(line(s, s % 25 !== 0));  // 8 people's among 200 lines
  const store = new Store();
  store.snapshot({ game: {}, me: null, markets: [market], trades: { 7: trades },
                   trade_counts: { 7: { all: 250, bots: 240 } } });
  const before = tradeCount(store, 7);
  store.update({ market_id: 7, after: 250, sequence: 252, market: {}, trades: [line(251, true), line(252, false)],
                 trades_omitted: 0, trade_counts: { all: 252, bots: 241 } });
  const after = tradeCount(store, 7);
  const text = (rows) => rows.map((li) => li.textContent);
  const lone = new Store();
  lone.snapshot({ game: {}, me: null, markets: [market], trades: { 7: [line(1, false), line(2, true)] },
                  trade_counts: { 7: { all: 2, bots: 1 } } });
  const people = new Store();
  people.snapshot({ game: {}, me: null, markets: [market], trades: { 7: [line(1, false), line(2, false)] } });
  return {
    before, after, kept: store.trades[7].length,
    wall: text(screen.feedRows(T, store, market, 5, { foldBots: true })),
    control: text(screen.feedRows(T, store, market, 3)),
    lone: text(screen.feedRows(T, lone, market, 5, { foldBots: true })),
    people: text(screen.feedRows(T, people, market, 5, { foldBots: true })),
    older: tradeCount(people, 7),
  };
}"""


@pytest.fixture(scope="module")
def got() -> dict:
    return evaluate_static(SCRIPT)


def test_the_counters_count_every_trade_not_the_200_lines_kept(got):
    assert got["kept"] == 200
    assert got["before"] == {"all": 250, "bots": 240}
    assert got["after"] == {"all": 252, "bots": 241}


def test_the_walls_feed_shows_the_people_first_and_folds_the_bots_into_one_line(got):
    assert got["wall"][:4] == [
        "Student 252 moved it to 352 ± 30",
        "Student 250 moved it to 350 ± 30",
        "Student 225 moved it to 325 ± 30",
        "Student 200 moved it to 300 ± 30",
    ]
    assert got["wall"][4] == "+ 241 practice trades 🤖 bot"


def test_one_practice_trade_is_said_as_one_and_none_adds_no_line(got):
    assert got["lone"] == ["Student 1 moved it to 101 ± 30", "+ 1 practice trade 🤖 bot"]
    assert got["people"] == ["Student 2 moved it to 102 ± 30", "Student 1 moved it to 101 ± 30"]
    assert got["older"] == {"all": 2, "bots": 0}  # a server without counts: the lines it has


def test_the_control_rooms_feed_keeps_every_line_in_order(got):
    assert [line.split(" moved")[0] for line in got["control"]] == ["Student 252", "Bot 251", "Student 250"]
