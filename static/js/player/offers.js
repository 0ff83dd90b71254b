// What the market offers instead of a forecast it will not take, and the next moves after a trade, in plain
// words and the question's units. The server finds and prices every offer (docs/protocol.md: `offer`,
// `next`); this module only says them and turns one into the order or guess that takes it.
import { decompose, fill, formatQuantity, kindOf, number, quantity } from "../format.js";
import { isLog } from "../gauss.js";
import { plainPoints } from "./money.js";

// A number as the server rounded it, written whole: "990", "0.5", "×1.05" (never more than it was given).
function exactly(value, kind, unit, showUnit) {
  const shown = Number(Number(value).toPrecision(6));
  const d = decompose(shown);
  const place = d.digits ? d.exponent - d.digits.length + 1 : 0;
  return formatQuantity(shown, kind, unit, { place: kind === "measure" ? place : Math.max(place, 0), showUnit });
}

// An offered curve in the market's fields ({mean, sd} or {median, sd_log}).
export function offerCurve(offer, market) {
  return isLog(market) ? { median: offer.median, sd_log: offer.sd_log } : { mean: offer.mean, sd: offer.sd };
}

// "990 ± 98 beans", "about 90,000 piano tuners, give or take a factor of 2.6": the numbers exactly as offered.
// `short`: a log market's curve as "1,000 piano tuners ×99", for a button.
export function offerText(curve, market, T, { short = false } = {}) {
  const unit = market.unit || "";
  if (isLog(market)) {
    const median = quantity(curve.median, market, true, { exact: true });
    const factor = exactly(Math.exp(curve.sd_log), "measure", "", false);
    return fill(short ? T.offer_curve_log_short : T.offer_curve_log, { median, factor });
  }
  const kind = kindOf(market);
  const mean = exactly(curve.mean, kind, unit, false);
  const sd = exactly(curve.sd, "measure", unit, true);
  return fill(T.offer_curve, { mean, sd });
}

// Why the forecast was not taken and what is offered instead, one sentence; and the button that takes it.
export function offerWords(offer, market, T, { guessing = false } = {}) {
  const curve = offerText(offerCurve(offer, market), market, T);
  const short = offerText(offerCurve(offer, market), market, T, { short: true });
  const reason = T[`offer_${offer.reason}${guessing ? "_guess" : ""}`] || T[`offer_${offer.reason}`] || T.offer_other;
  const sentence = fill(reason, { curve });
  if (guessing) return { sentence, button: fill(T.take_offer_guess, { curve: short }) };
  const loss = Math.max(0, -(offer.trade_worst_case ?? 0));
  const button = fill(loss >= 0.05 ? T.take_offer : T.take_offer_safe, { curve: short, loss: plainPoints(loss) });
  return { sentence, button };
}

// A refusal without an offer, in words: never the engine's.
export function refusalWords(answer, T, { guessing = false } = {}) {
  if (answer.code === "insufficient_collateral") return T.refused_budget;
  if (["invalid_curve", "unfair_curve", "not_positive", "invalid_number"].includes(answer.code)) {
    return guessing ? T.refused_guess : T.refused_forecast;
  }
  return null;
}

// The next moves after a trade, each a button's words and the order it sends; or why there are none.
export function nextMoves(next, market, T) {
  if (!next) return { moves: [], none: "" };
  const moves = next.moves.map((move) => {
    if (move.kind === "close") {
      return { label: fill(T.next_close, { points: number(move.keeps ?? 0) }), move };
    }
    const curve = offerText(offerCurve(move, market), market, T);
    const loss = Math.max(0, -move.trade_worst_case);
    return { label: fill(move.kind === "back" ? T.next_back : T.next_wider, { curve, loss: plainPoints(loss) }), move };
  });
  return { moves, none: next.none ? T[`next_none_${next.none}`] || "" : "" };
}

// The next moves after a trade, as buttons under the result (rebuilt only when they change, so that a focused
// button keeps its focus), or the sentence why there are none.
export function showNext(node, next, market, T) {
  const key = next ? JSON.stringify(next) : "";
  node.hidden = !next || (!next.moves.length && !next.none);
  if (node.dataset.key === key) return;
  node.dataset.key = key;
  const { moves, none } = nextMoves(next, market, T);
  const children = moves.map(({ label }, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.move = String(index);
    button.textContent = label;
    return button;
  });
  if (none) {
    const line = document.createElement("p");
    line.textContent = none;
    children.push(line);
  }
  node.replaceChildren(...children);
  if (!children.length) node.hidden = true;
}
