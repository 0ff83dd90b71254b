// What a trade risks and can win, said before Confirm as a student reads it: first across their own 90%
// range ("If it's 300–500 beans: you win up to 12 or lose up to 40 points"), then the far-edge worst case
// ("If it's 1,000 beans: you lose 350 points, the most you can lose"). The numbers are the server's quote
// (its profit polynomial and worst case); nothing here is priced again.
import { fill, number, quantity, spreadPlace } from "../format.js";
import { isLog, toInterval, toLogInterval } from "../gauss.js";

// The quote's profit as a polynomial in z = (y − centre)/half_width, y = x or ln x.
function profitAt(pnl, market, x) {
  const y = isLog(market) ? Math.log(x) : x;
  const z = (y - pnl.centre) / pnl.half_width;
  return pnl.const + z * (pnl.linear + z * pnl.quadratic);
}

// The least and the most the trade makes for answers in [a, b]: at the ends, or at the parabola's vertex.
export function profitRange(pnl, market, a, b) {
  const values = [profitAt(pnl, market, a), profitAt(pnl, market, b)];
  if (pnl.quadratic !== 0) {
    const z = -pnl.linear / (2 * pnl.quadratic);
    const y = pnl.centre + z * pnl.half_width;
    const x = isLog(market) ? Math.exp(y) : y;
    if (x > Math.min(a, b) && x < Math.max(a, b)) values.push(profitAt(pnl, market, x));
  }
  return [Math.min(...values), Math.max(...values)];
}

// Where over the whole range the trade loses most, and how much (≤ 0): an end, or a convex parabola's vertex.
export function worstOf(pnl, market) {
  const ends = [market.lo, market.hi].map((x) => [profitAt(pnl, market, x), x]);
  if (pnl.quadratic > 0) {
    const z = -pnl.linear / (2 * pnl.quadratic);
    if (z > -1 && z < 1) {
      const y = pnl.centre + z * pnl.half_width;
      const x = isLog(market) ? Math.exp(y) : y;
      ends.push([profitAt(pnl, market, x), x]);
    }
  }
  return ends.reduce((low, each) => (each[0] < low[0] ? each : low));
}

// Points as a student reads them: whole points, four figures at most ("16,000", not "15,953.2").
export function plainPoints(value) {
  const size = Math.abs(value);
  if (size >= 10000) {
    const step = 10 ** (Math.floor(Math.log10(size)) - 2);
    return number(Math.round(size / step) * step);
  }
  return number(size >= 10 ? Math.round(size) : Math.round(size * 10) / 10);
}

// A value of the market for these sentences, to the digits the draft's spread warrants.
function said(market, draft, x, withUnit = true) {
  const spread = isLog(market) ? x * draft.sd_log : draft.sd;
  return quantity(x, market, withUnit, { place: spreadPlace(spread) });
}

// The two sentences for a draft and its quote: [across my 90% range, at the far edge].
export function moneyWords(quote, draft, market, T) {
  if (!draft) return ["", ""];
  const [a, b] = isLog(market) ? toLogInterval(draft) : toInterval(draft);
  const lo = Math.max(a, market.lo), hi = Math.min(b, market.hi);
  const [least, most] = profitRange(quote.pnl, market, lo, hi);
  const range = { a: said(market, draft, lo, false), b: said(market, draft, hi), low: plainPoints(least), high: plainPoints(most) };
  const template = least >= -0.05 ? T.money_win : most <= 0.05 ? T.money_lose : T.money_mixed;
  const inRange = fill(template, range);
  const [worst, where] = worstOf(quote.pnl, market);
  const worstWords = quote.affordable ? T.money_worst : T.money_worst_over;
  // The unit once, in the first sentence: a phone's line is short.
  const edge = worst >= -0.05 ? T.money_safe : fill(worstWords, { x: said(market, draft, where, false), loss: plainPoints(worst) });
  return [inRange, edge];
}
