// My holding in a market as the server last sent it (a snapshot, or my trade's result). Its worst case is
// the server's: the client never redoes the collateral arithmetic. Only its value under the market's
// moving curve is worked out here (store.js `markedProfit`), pinned to the server's by
// tests/web/position_cases.json.
import { markedProfit } from "../store.js";
import { isLog } from "../gauss.js";
import { store } from "./state.js";

export function positionOf(market) {
  let position = store.positions[market.id];
  if (!position) {
    // A market that opened after the snapshot: nothing traded yet, the budget alone (a polynomial in
    // z = (y − centre)/half_width, y = x or ln x, as the server writes one).
    const [lo, hi] = isLog(market) ? [Math.log(market.lo), Math.log(market.hi)] : [market.lo, market.hi];
    position = store.positions[market.id] = {
      market_id: market.id,
      budget: market.budget,
      wealth: { const: market.budget, linear: 0, quadratic: 0, centre: (lo + hi) / 2, half_width: (hi - lo) / 2, scale: market.scale },
      worst_case: market.budget,
      trades: 0,
      payout: null,
    };
  }
  return position;
}

// The most I could lose in this market (≤ 0), as the server worked it out.
export function worstProfit(position) {
  return position.worst_case - position.budget;
}

export function worthNow(position, market) {
  return markedProfit(position, market);
}
