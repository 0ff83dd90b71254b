// What my budget can reach from where the market is now, in the question's units, for the chart and the
// offer beside Confirm: worked out on the page (afford.js, the engine's collateral rule mirrored) so that it
// follows a finger at once; the server's quote still decides the trade.
import { affordable, holding, middlesAt, nearestAffordable, widthsAt } from "../afford.js";
import { decompose } from "../format.js";
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

// The market's fields for a curve of y, its give-or-take rounded as its words say it ("± 77", "a factor of
// 1.12") and away from the edge it was brought back from (a wider curve when it was too sure, a narrower
// one when too wide); the middle kept.
function rounded(market, curve, up) {
  if (!isLog(market)) return { mean: curve.mean, sd: roundTo(curve.sd, 2, up) };
  return { median: Math.exp(curve.mean), sd_log: Math.log(roundTo(Math.exp(curve.sd), 3, up)) };
}

// For the draft on screen: `ok` (affordable as it is), `middles` ({low, high} in y: where its middle may go at
// its width, or null), `widths` ({narrowest, widest} σ of y at its middle, or null), and `nearest` (the
// affordable curve nearest to it, in the market's fields, or null when it is affordable or nothing is).
export function reachOf(market, draft) {
  const position = positionOf(market);
  const w = position.wealth;
  const h = holding(market, position);
  const mine = toZ(w, inY(draft, market));
  if (!Number.isFinite(mine.m) || !Number.isFinite(mine.s)) return null;
  const ok = affordable(h, mine.m, mine.s);
  const band = middlesAt(h, mine.s);
  const widths = widthsAt(h, mine.m);
  const reach = {
    ok,
    middles: band && { low: fromZ(w, band.low, 0).mean, high: fromZ(w, band.high, 0).mean },
    widths: widths && { narrowest: widths.narrowest * w.half_width, widest: widths.widest * w.half_width },
    nearest: null,
  };
  if (ok) return reach;
  const near = nearestAffordable(h, mine.m, mine.s);
  if (!near) return reach;
  const curve = fromZ(w, near.m, near.s);
  const wider = near.s >= mine.s;
  // Rounded as a field would write it, if that is still affordable; else as it is.
  const said = rounded(market, curve, wider);
  const back = toZ(w, inY(said, market));
  reach.nearest = affordable(h, back.m, back.s) ? said : isLog(market) ? { median: Math.exp(curve.mean), sd_log: curve.sd } : curve;
  reach.sameMiddle = near.sameMiddle;
  return reach;
}
