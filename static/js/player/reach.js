// What my budget can reach from where the market is now, in the question's units, for the chart and the
// offer beside Confirm: worked out on the page (afford.js, the engine's collateral rule mirrored) so that it
// follows a finger at once; the server's quote still decides the trade.
import { affordable, holding, middlesAt, nearestAffordable, widestFair, widthsAt, worstAfter } from "../afford.js";
import { decompose, spreadPlace } from "../format.js";
import { isLog } from "../gauss.js";
import { inY } from "./forecast.js";
import { positionOf } from "./position.js";

// A curve {mean, sd} of y (x, or ln x) in z and back, by the position's centre and half-width.
const toZ = (w, c) => ({ m: (c.mean - w.centre) / w.half_width, s: c.sd / w.half_width });
const fromZ = (w, m, s) => ({ mean: w.centre + m * w.half_width, sd: s * w.half_width });

// A number rounded at its `figures`-th significant figure, up or down.
function roundTo(value, figures, up) {
  const place = decompose(value).exponent - figures + 1;
  const unit = 10 ** place;
  const n = up ? Math.ceil(value / unit - 1e-9) : Math.floor(value / unit + 1e-9);
  return Number((n * unit).toPrecision(12));
}

// A middle rounded at 10^place toward the range's centre (in y), as the server rounds the middles it offers.
function inward(value, place, centre) {
  const unit = 10 ** place;
  const n = value > centre ? Math.floor(value / unit + 1e-9) : Math.ceil(value / unit - 1e-9);
  return Number((n * unit).toPrecision(12));
}

// The market's fields for a curve of y, said in short numbers: the give-or-take to two figures (a log
// market's factor too), away from the edge it was brought back from (wider when it was too sure,
// narrower when too wide); the middle to the give-or-take's place, toward the range's centre, as the server
// writes the middles it offers.
function rounded(market, curve, up, centre) {
  if (!isLog(market)) {
    const sd = roundTo(curve.sd, 2, up);
    return { mean: inward(curve.mean, spreadPlace(sd), centre), sd };
  }
  const median = Math.exp(curve.mean);
  const sdLog = Math.log(roundTo(Math.exp(curve.sd), 2, up));
  return { median: inward(median, spreadPlace(median * sdLog), Math.exp(centre)), sd_log: sdLog };
}

// For the draft on screen: `ok` (the market takes it and the budget affords it, as it is), `middles` ({low,
// high} in y: where its middle may go at its width, or null), `widths` ({narrowest, widest} σ of y at its
// middle, or null), and `offer`: the nearest forecast that is both, in the shape of the server's offer
// (docs/protocol.md §3.2: `reason`, the curve in the market's fields, `trade_worst_case`), or null.
export function reachOf(market, draft) {
  const position = positionOf(market);
  const w = position.wealth;
  const h = holding(market, position);
  const mine = toZ(w, inY(draft, market));
  if (!Number.isFinite(mine.m) || !Number.isFinite(mine.s)) return null;
  const fine = mine.s >= h.sdMin;
  const fair = Math.abs(mine.m) < 1 && mine.s <= widestFair(mine.m);
  const ok = fine && fair && affordable(h, mine.m, mine.s);
  const band = middlesAt(h, mine.s);
  const widths = widthsAt(h, mine.m);
  const reach = {
    ok,
    middles: band && { low: fromZ(w, band.low, 0).mean, high: fromZ(w, band.high, 0).mean },
    widths: widths && { narrowest: widths.narrowest * w.half_width, widest: widths.widest * w.half_width },
    offer: null,
  };
  // Offered here only as the server offers it (docs/offers.md): the same middle, the width brought within
  // what the market takes and the budget affords, in short numbers. A forecast too wide for where it sits,
  // or with no affordable width at its middle, waits for the server's offer (it moves the middle its own way).
  if (ok || !fair) return reach;
  const near = nearestAffordable(h, mine.m, mine.s);
  if (!near?.sameMiddle) return reach;
  const said = rounded(market, fromZ(w, near.m, near.s), near.s >= mine.s, w.centre);
  const at = toZ(w, inY(said, market));
  if (!(at.s >= h.sdMin && at.s <= widestFair(at.m) && affordable(h, at.m, at.s))) return reach;
  const alone = { ...h, c: 0, l: 0, q: 0 }; // the trade's own worst case, as the server prices its offer
  reach.offer = { reason: fine ? "unaffordable" : "too_narrow", ...said, trade_worst_case: worstAfter(alone, at.m, at.s) };
  return reach;
}
