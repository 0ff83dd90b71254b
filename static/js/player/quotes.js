// Asking the server what the draft would do: after the draft stops changing for a moment, again when the
// market moves, and again when the socket comes back (a quote asked while it was down never came).
import { orderOf } from "./forecast.js";
import { state, store } from "./state.js";

const PAUSE = { idle: 120, dragging: 250 }; // ms the draft must stay still before it is quoted

export function quoter(live, show) {
  let timer = null;

  async function ask() {
    const market = store.current;
    const draft = state.draft;
    if (!draft || !market || market.status !== "open" || !live.connected) return;
    const ticket = ++state.quoteTicket;
    let answer;
    try {
      answer = await live.request({ type: "quote", market_id: market.id, order: orderOf("target", draft, market) });
    } catch {
      return; // disconnected: asked again when the socket is back
    }
    if (ticket !== state.quoteTicket) return; // a newer draft is on its way
    state.quote = answer.type === "error" ? null : answer.quote;
    state.quoteError = answer.type === "error" ? answer.message : null;
    show();
  }

  // Forget the quote of the old draft now; ask for the new one soon.
  return function quoteSoon() {
    state.quote = null;
    state.quoteError = null;
    state.quoteTicket += 1;
    clearTimeout(timer);
    timer = setTimeout(ask, state.gesture?.moving ? PAUSE.dragging : PAUSE.idle);
  };
}
