// Everything the player's screen remembers, in one place: the game as the server sent it (`store`) and
// what this screen adds to it (`state`). Other modules read and change these; none keeps state of its own.
import { Store, phaseOf } from "../store.js";
import { secondsLeft } from "../countdown.js";
import { shows } from "../round.js";

export const store = new Store();

export const state = {
  marketId: null, // the market on screen; when another one comes, the draft and the last result go
  phase: null, // its phase (question, guess, guesses, trading, closed, answer, lesson): a new one starts clean too
  draft: null, // my forecast {mean, sd} while I move it; null follows the market
  quote: null, // the server's quote for the draft; null while it is asked for (or after a refusal)
  quoteTicket: 0, // counts quote requests: an answer to an older one is dropped
  quoteError: null, // why the draft cannot be quoted, in the page's words
  offer: null, // the server's nearest forecast it takes, when it will not take the draft (offers.js)
  next: null, // after my trade: the moves I can still afford, or why none (offers.js)
  nextSequence: null, // the market's sequence those moves were priced at
  problem: null, // [field, text]: what is wrong with what was typed (nothing is quoted then)
  readBack: null, // how the typed draft was read ("Read as 8.1 billion people ± …"), until the curve is dragged
  result: "", // what became of my last trade in this market ("Done: …")
  reason: null, // the reason typed for my first guess, until it is locked in; null shows the one sent
  atMarket: false, // the typed forecast is where the market already is, as its fields write it: nothing to trade
  pendingGuess: false, // a first guess sent, its answer not yet come
  pendingTrade: null, // {market_id, order, key, max_loss}: sent again with the same key after a reconnect
  gesture: null, // a press on the curve: {x, value, mean, handle, moving: null | "centre" | "width" | "slide"}
  scales: null, // the curve chart's scales as last drawn: pixels ↔ values for the gestures
  view: null, // the stretch of the range the curve chart shows, {lo, hi} in y; null: the whole range
  zoomable: false, // whether the chart zooms in at all on the curves now (else it shows the whole range anyway)
  wholeRange: false, // the player asked for the whole range rather than the zoom
  reach: null, // what my budget reaches from the market for the draft (reach.js), while trading
  connection: "connecting", // the socket: connecting, live, reconnecting or closed
  closedCode: null, // why the server closed it: for good (4401, 4403, 4404), or until a slow retry (4408, 4413, 4429)
  tab: "trade", // the panel shown on a phone: trade, me, boards or feed
  detailOpen: false, // the profit-or-loss curve under the one-line summary
};

// The phase of the market on screen.
export function phase() {
  return phaseOf(store.current);
}

// A first guess can be given (or changed) while the host asks for them and their time is not up.
export function guessable() {
  const market = store.current;
  if (!market || !shows(phaseOf(market)).guess || state.connection === "closed") return false;
  const left = secondsLeft(market.closes_at);
  return left === null || left > 0;
}

// A forecast can be drafted while the market is open (or takes first guesses), even while the socket
// reconnects; it can be confirmed (or locked in) only once the socket is back.
export function draftable() {
  const market = store.current;
  return Boolean(market && market.status === "open" && state.connection !== "closed") || guessable();
}

export function confirmable() {
  return draftable() && state.connection === "live";
}
