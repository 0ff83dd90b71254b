"""static/js/player/trades.js in Chromium, against a socket the script answers by hand: a trade is sent once
while its request is out, and answered once. A snapshot that came while a trade was out (the one a clue
asks for) used to send it again; the server replays the first result, so no money moved twice, but the
second answer, if it came after the student had drafted a new forecast, wiped it and put the last trade's
"Done" back on screen."""

from __future__ import annotations

import pytest

from tests.web.browser import CHROMIUM, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]

SCRIPT = """async () => {
  const { trader } = await import("/static/js/player/trades.js");
  const { state, store } = await import("/static/js/player/state.js");
  const market = { id: 1, status: "open", phase: "trading", scale: "linear", unit: "m/s", lo: 0, hi: 1000 };
  store.markets = new Map([[1, market]]);
  store.game = { current_market_id: 1 };
  Object.defineProperty(store, "current", { get: () => market });
  state.connection = "live";
  const asked = [];  // [request, answer(frame), fail()] in the order sent
  const live = {
    connected: true,
    request(message) {
      return new Promise((resolve, reject) => asked.push([message, resolve, reject]));
    },
  };
  const T = { trading: "Trading…", traded: "Done", moved: "moved", no_change: "no change", error: "{message}" };
  const trades = trader(live, { T, show() {}, quoteSoon() {} });
  const answer = () => ({
    type: "trade_result",
    trade: { fraction: 1, mean: 343, sd: 20 },
    position: { market_id: 1 },
    next: null,
  });
  const seen = {};

  state.draft = { mean: 343, sd: 41.7 };
  state.quote = { affordable: true, trade_worst_case: -50 };
  trades.confirm("target");
  seen.sentAtFirst = asked.length;
  trades.resend();  // a snapshot comes (a clue's) while the trade is out
  seen.sentAfterSnapshot = asked.length;
  asked[0][1](answer());
  await Promise.resolve();
  await Promise.resolve();
  seen.resultAfterAnswer = state.result;

  // A second trade; its request is lost with the socket: the snapshot after the reconnect sends it again,
  // with the same key, and the first answer to either request is the one taken.
  state.draft = { mean: 300, sd: 30 };
  state.quote = { affordable: true, trade_worst_case: -20 };
  trades.confirm("target");
  asked[1][2](new Error("disconnected"));
  await Promise.resolve();
  await Promise.resolve();
  trades.resend();
  seen.sentAfterReconnect = asked.length;
  seen.sameKey = asked[2][0].idempotency_key === asked[1][0].idempotency_key;
  asked[2][1](answer());
  await Promise.resolve();
  await Promise.resolve();
  // The student drags a new forecast; a snapshot then finds no trade to send.
  state.draft = { mean: 350, sd: 40 };
  state.result = "";
  trades.resend();
  seen.sentAtEnd = asked.length;
  seen.draftAtEnd = state.draft;
  seen.resultAtEnd = state.result;
  seen.pending = state.pendingTrade;

  // After a trade, its next moves: priced at the market it left (sequence 12), sent with that sequence.
  state.draft = null;
  state.marketId = 1;
  market.sequence = 12;
  state.next = { moves: [{ kind: "close", order: { kind: "close" }, trade_worst_case: 0 }] };
  state.nextSequence = 12;
  trades.dropStaleNext();  // my own trade's update: the same market, the same sequence
  seen.nextAfterOwnUpdate = Boolean(state.next);
  trades.takeNext(0);
  seen.nextRequest = asked[asked.length - 1][0];
  asked[asked.length - 1][1]({ type: "error", code: "stale_quote", message: "moved" });
  await Promise.resolve();
  await Promise.resolve();
  // Moves offered again at sequence 12; a classmate trades (13): they go, with the words about my trade.
  state.next = { moves: [{ kind: "close", order: { kind: "close" }, trade_worst_case: 0 }] };
  state.result = "Done";
  market.sequence = 13;
  trades.dropStaleNext();
  seen.nextAfterClassmate = state.next;
  seen.resultAfterClassmate = state.result;
  return seen;
}"""


@pytest.fixture(scope="module")
def seen() -> dict:
    return evaluate_static(SCRIPT)


def test_a_snapshot_while_a_trade_is_out_does_not_send_it_again(seen):
    assert seen["sentAtFirst"] == 1
    assert seen["sentAfterSnapshot"] == 1
    assert seen["resultAfterAnswer"] == "Done"


def test_a_trade_whose_request_was_lost_goes_again_with_its_key(seen):
    assert seen["sentAfterReconnect"] == 3
    assert seen["sameKey"] is True


def test_a_next_move_is_sent_at_the_sequence_it_was_priced_at(seen):
    assert seen["nextAfterOwnUpdate"] is True
    request = seen["nextRequest"]
    assert request["order"] == {"kind": "close"} and request["quoted_sequence"] == 12


def test_a_classmates_trade_takes_the_next_moves_and_their_words_away(seen):
    assert seen["nextAfterClassmate"] is None
    assert seen["resultAfterClassmate"] == ""


def test_a_forecast_dragged_after_the_answer_stays(seen):
    assert seen["sentAtEnd"] == 3  # nothing pending: nothing sent
    assert seen["pending"] is None
    assert seen["draftAtEnd"] == {"mean": 350, "sd": 40}
    assert seen["resultAtEnd"] == ""
