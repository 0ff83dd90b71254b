// Asking the server what the draft would do: after the draft stops changing for a moment, again when the
// market moves, and again when the socket comes back (a quote asked while it was down never came). While
// first guesses are asked for, the same question says whether the guess can be locked in as it is, and if
// not, which guess nearest to it can (the answer's `offer`).
import { orderOf } from "./forecast.js";
import { refusalWords } from "./offers.js";
import { phase, state, store } from "./state.js";

const PAUSE = { idle: 120, dragging: 250 }; // ms the draft must stay still before it is quoted

export function quoter(live, show, T) {
  let timer = null;

  async function ask() {
    const market = store.current;
    const draft = state.draft;
    const guessing = phase() === "guess";
    if (!draft || !market || !(market.status === "open" || guessing) || !live.connected) return;
    const ticket = ++state.quoteTicket;
    let answer;
    try {
      answer = await live.request({ type: "quote", market_id: market.id, order: orderOf("target", draft, market) });
    } catch {
      return; // disconnected: asked again when the socket is back
    }
    if (ticket !== state.quoteTicket) return; // a newer draft is on its way
    if (answer.type === "error") {
      state.quote = null;
      state.offer = answer.offer ?? null;
      state.quoteError = answer.offer ? null : refusalWords(answer, T, { guessing }) ?? answer.message;
    } else {
      state.quote = guessing ? null : answer.quote; // a guess risks nothing: only whether it is allowed
      state.offer = guessing ? null : answer.quote.offer ?? null;
      state.quoteError = null;
    }
    show();
  }

  // Forget the quote of the old draft now; ask for the new one soon.
  return function quoteSoon() {
    state.quote = null;
    state.quoteError = null;
    state.offer = null;
    state.quoteTicket += 1;
    clearTimeout(timer);
    timer = setTimeout(ask, state.gesture?.moving ? PAUSE.dragging : PAUSE.idle);
  };
}
