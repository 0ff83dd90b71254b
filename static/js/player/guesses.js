// A sealed first guess (docs/round.md): the forecast on screen, locked in with one button while the host asks
// for guesses; sent again it replaces the last one. Nobody else sees it until the host shows them all.
import { fill } from "../format.js";
import { isLog } from "../gauss.js";
import { marketCurve, orderOf } from "./forecast.js";
import { refusalWords } from "./offers.js";
import { guessable, state, store } from "./state.js";

// My guess in this market as the server last sent it, as a curve in the market's fields (or null).
export function myGuess(market) {
  const guess = market ? store.guesses[market.id] : null;
  if (!guess) return null;
  return isLog(market) ? { median: guess.median, sd_log: guess.sd_log } : { mean: guess.mean, sd: guess.sd };
}

// What the fields and the dashed curve show while guessing: the draft, else my guess, else the prior.
export function guessCurve(market) {
  return state.draft || myGuess(market) || marketCurve(market);
}

export function guesser(live, { T, show }) {
  // Lock in the guess on screen, or `offered`, the nearest guess the market takes (one tap on its offer).
  function lockIn(offered = null) {
    const market = store.current;
    if (!market || !guessable() || state.connection !== "live" || state.pendingGuess) return;
    if (!offered && (state.problem || state.offer)) return;
    const order = orderOf("target", offered || guessCurve(market), market);
    const request = { type: "guess", market_id: market.id, order };
    if (state.reason !== null) request.reason = state.reason; // else the one given before stays
    state.pendingGuess = true;
    state.result = T.guess_sending;
    const sent = state.draft; // a forecast typed after this one went must survive its answer
    show();
    live
      .request(request)
      .then((answer) => {
        state.pendingGuess = false;
        if (answer.type === "guess_result") {
          store.guesses[market.id] = answer.guess;
          state.reason = null;
          if (state.draft === sent) {
            state.draft = null;
            state.readBack = null;
            state.offer = null;
          }
          state.result = "";
        } else if (answer.offer) {
          state.offer = answer.offer; // said under the fields, with its one-tap button
          state.result = "";
        } else {
          const words = answer.code === "guessing_closed" ? T.guess_closed : refusalWords(answer, T, { guessing: true });
          state.result = words ?? fill(T.error, { message: answer.message });
        }
        show();
      })
      .catch(() => {
        state.pendingGuess = false; // no answer (the socket went): locking in again replaces it, if it came
        state.result = "";
        show();
      });
  }

  return { lockIn };
}
