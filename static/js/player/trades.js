// Confirming a trade: one idempotency key per trade meant, sent again with the same key after a
// reconnect until an answer comes (the server replays the first result), with a slippage guard. A trade is
// answered once on this screen: a snapshot that comes while its request is still out (the one a clue asks
// for, say) does not send it again, and a late second answer to the same trade changes nothing (it would
// wipe a forecast drafted since and bring back the "Done" of the trade before).
import { curveText, fill } from "../format.js";
import { randomKey } from "../live.js";
import { orderOf, writeFields } from "./forecast.js";
import { offerCurve, refusalWords } from "./offers.js";
import { confirmable, state, store } from "./state.js";

const MOVED = ["stale_quote", "max_cost_exceeded", "max_loss_exceeded", "insufficient_collateral"];

// The most a confirmed trade may lose: what was quoted, and a little more, because in a busy room the
// market moves between the quote and the trade (points; the quote's trade_worst_case is ≤ 0).
export function lossAllowance(quote) {
  const loss = Math.max(0, -quote.trade_worst_case);
  return loss + Math.max(1, loss * 0.1);
}

export function trader(live, { T, show, quoteSoon }) {
  function send(trade) {
    state.pendingTrade = trade;
    trade.out = true; // its request is on its way or waiting for the answer
    state.result = T.trading;
    show();
    const market = store.current;
    const { market_id, order, key, max_loss, quoted_sequence } = trade;
    const request = { type: "trade", market_id, order, idempotency_key: key };
    if (max_loss !== null) request.max_loss = max_loss;
    if (quoted_sequence !== undefined) request.quoted_sequence = quoted_sequence;
    live
      .request(request)
      .then((answer) => {
        if (state.pendingTrade !== trade) return; // answered already, or another trade since
        state.pendingTrade = null;
        if (answer.type === "trade_result") {
          store.positions[answer.position.market_id] = answer.position;
          const reached = curveText(answer.trade, market);
          const part = market.scale === "log" ? T.traded_part_log : T.traded_part;
          state.result = answer.trade.fraction >= 1 ? T.traded : fill(part, reached);
          state.draft = null;
          state.quote = null;
          state.offer = null;
          state.next = answer.next ?? null; // what I can still afford from here (offers.js)
          state.nextSequence = answer.market?.sequence ?? null; // ... priced at the market as this trade left it
          show();
        } else {
          if (answer.offer) state.result = ""; // the nearest trade allowed is offered under the fields instead
          else if (MOVED.includes(answer.code)) state.result = T.moved;
          else if (answer.code === "no_move") state.result = T.no_change; // not an error: the market is there
          else state.result = refusalWords(answer, T) ?? fill(T.error, { message: answer.message });
          quoteSoon();
          if (answer.offer) state.offer = answer.offer;
          show();
        }
      })
      .catch(() => {
        // Still pending: the snapshot after the reconnect sends it again with the same key.
        trade.out = false;
      });
  }

  // "target": move the market to my draft; "toward": as far toward it as my budget allows.
  function confirm(kind) {
    const market = store.current;
    const quote = state.quote;
    if (!market || !state.draft || state.pendingTrade || !confirmable() || !live.connected) return;
    if (state.atMarket) return; // where the market already is: the hint says so, and nothing is sent
    if (!quote) {
      state.result = T.wait_quote; // Enter pressed before the profit or loss came: say so, trade nothing
      show();
      return;
    }
    if (kind === "target" && !quote.affordable) return;
    const order = orderOf(kind, state.draft, market); // mean and sd, or a log market's median and sd_log
    send({ market_id: market.id, order, key: randomKey(), max_loss: kind === "target" ? lossAllowance(quote) : null });
  }

  // One tap on the market's offer: the nearest trade it takes (and I can afford), as the server priced it.
  function takeOffer(form) {
    const market = store.current;
    const offer = state.offer;
    if (!market || !offer || state.pendingTrade || !confirmable() || !live.connected) return;
    state.draft = offerCurve(offer, market);
    writeFields(form, state.draft, market);
    const order = orderOf("target", state.draft, market);
    send({ market_id: market.id, order, key: randomKey(), max_loss: lossAllowance({ trade_worst_case: offer.trade_worst_case ?? 0 }) });
  }

  // One tap on a next move after a trade (less sure, or sell it all back), as the server priced it, and only at
  // the market it was priced at: if someone traded since, the server refuses it (stale_quote) rather than sell
  // back at a price nobody was shown (a sell-back after a classmate's trade once moved the market from 450 ±
  // 120 to 20 ± 190 beans and cost 273 points).
  function takeNext(index) {
    const market = store.current;
    const move = state.next?.moves?.[index];
    if (!market || !move || state.pendingTrade || !confirmable() || !live.connected) return;
    const sequence = state.nextSequence;
    state.next = null;
    const maxLoss = move.order.kind === "close" ? null : lossAllowance(move);
    send({ market_id: market.id, order: move.order, key: randomKey(), max_loss: maxLoss, quoted_sequence: sequence ?? undefined });
  }

  // The next moves were priced at the market my trade left; once anyone moves it they are gone (the page
  // shows the forecast form again), as are their words.
  function dropStaleNext() {
    const market = store.current;
    if (state.next && (!market || market.id !== state.marketId || market.sequence !== state.nextSequence)) {
      state.next = null;
      state.result = "";
    }
  }

  // After a reconnect: a trade whose request was lost goes again, with its key (a replay changes nothing).
  function resend() {
    if (state.pendingTrade && !state.pendingTrade.out) send(state.pendingTrade);
  }

  return { confirm, dropStaleNext, resend, takeOffer, takeNext };
}
