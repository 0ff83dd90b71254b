// The two charts of the trade panel: the market's curve with my forecast and its handles, and the
// profit or loss my draft would make at each true value (drawn here while a finger moves; the server's
// quote has the numbers that count).
import { drawCurves, drawLine, drawProfit, el, peak } from "../chart.js";
import { clamp, curveInY, curveProfit, density, isLog, wealthAt } from "../gauss.js";
import { curveText, quantity } from "../format.js";
import { inY, marketCurve, rangeInY, toX, toY } from "./forecast.js";
import { positionOf } from "./position.js";
import { myGuess } from "./guesses.js";
import { reachOf } from "./reach.js";
import { draftable, phase, state } from "./state.js";

// How much of the range the chart shows around the curves: each curve's middle ± this many give-or-takes.
const AROUND = 3.5;
// Zoomed in on less than this share of the range, or the whole range.
const ZOOM_BELOW = 0.6;
const HANDLE_GAP = 24; // px at least between the two handles' centres (each is 24 px across: WCAG 2.2 § 2.5.8)
const RADIUS = 12; // a handle's, in px

// The stretch of the range (in y) the chart shows: around the market's curve, my forecast and the answer
// once known, so that a give-or-take is wide enough on the screen to be dragged; the whole range when that is
// most of it, or when the player asked for it. While a finger drags, the stretch stays put under it.
export function viewOf(market, curves) {
  const [lo, hi] = rangeInY(market);
  const y = isLog(market) ? Math.log : (v) => v;
  let a = Infinity, b = -Infinity;
  for (const c of curves) {
    if (!c) continue;
    a = Math.min(a, c.mean - AROUND * c.sd);
    b = Math.max(b, c.mean + AROUND * c.sd);
  }
  if (market.outcome !== null && market.outcome !== undefined) {
    a = Math.min(a, y(market.outcome));
    b = Math.max(b, y(market.outcome));
  }
  const pad = (b - a) * 0.05;
  a = Math.max(lo, a - pad);
  b = Math.min(hi, b + pad);
  if (!(b > a) || b - a >= ZOOM_BELOW * (hi - lo)) return null;
  return { lo: a, hi: b };
}

// The zoom as it was, while what it must show still fills a good part of it: the axis does not jump at every
// step of a drag or every digit typed.
function steady(was, wanted) {
  if (!was || !wanted) return wanted;
  const inside = wanted.lo >= was.lo && wanted.hi <= was.hi;
  return inside && wanted.hi - wanted.lo >= 0.5 * (was.hi - was.lo) ? was : wanted;
}

export function drawForecast(svg, market, mine, T) {
  // While first guesses are taken, my locked-in guess stays drawn (dashed) until I move it again.
  const drawnMine = state.draft || (market.phase === "guess" ? myGuess(market) : null);
  const dragging = Boolean(state.gesture?.moving);
  if (!dragging) {
    const zoomed = viewOf(market, [curveInY(market, market), drawnMine && curveInY(drawnMine, market)]);
    state.zoomable = Boolean(zoomed);
    state.view = state.wholeRange ? null : steady(state.view, zoomed);
  }
  const view = state.view && { lo: toX(market, state.view.lo), hi: toX(market, state.view.hi) };
  const drawn = drawCurves(svg, {
    market,
    mine: drawnMine,
    outcome: market.outcome,
    format: (v) => quantity(v, market, true, { exact: true }),
    tick: (v, options) => quantity(v, market, false, options), // round ticks in one scale
    labels: T,
    view,
  });
  state.scales = drawn.scales;
  state.reach = state.draft && phase() === "trading" && draftable() ? reachOf(market, state.draft) : null;
  if (state.reach) drawReach(drawn, market, state.draft, state.reach, T);
  placeHandles(svg, market, mine, drawn);
}

// What my budget reaches, under my forecast: the middles it cannot afford at this give-or-take greyed and
// hatched, and dotted, the surest curve it affords at my middle (or, beyond it, the nearest it affords).
function drawReach(drawn, market, draft, reach, T) {
  const s = drawn.scales;
  const g = drawn.plot;
  const shade = [];
  const x = (v) => clamp(s.x(toX(market, v)), s.left, s.right);
  if (!reach.middles) shade.push([s.left, s.right]);
  else {
    shade.push([s.left, x(reach.middles.low)], [x(reach.middles.high), s.right]);
  }
  const hatch = el("pattern", { id: "reach-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(-45)" });
  hatch.append(el("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "reach-hatch" }));
  const defs = el("defs");
  defs.append(hatch);
  const layer = el("g", { class: "reach", "data-reach": reach.ok ? "ok" : "over" });
  layer.append(defs);
  reach.shaded = false;
  for (const [a, b] of shade) {
    if (b - a < 0.5) continue;
    reach.shaded = true;
    const rect = el("rect", { x: a, y: s.top, width: b - a, height: s.bottom - s.top, class: "over-budget", fill: "url(#reach-hatch)" });
    rect.append(el("title", {}, T.over_budget_area));
    layer.append(rect);
  }
  g.prepend(layer);
  // Beyond the budget: the nearest forecast it affords. Within it: the surest it affords at my middle, where
  // the budget (not the market's finest forecast) is what limits how sure I can be.
  const c = inY(draft, market);
  const narrowest = reach.widths?.narrowest;
  const line = !reach.ok ? reach.offer && inY(reach.offer, market)
    : narrowest > market.sd_min * 1.01 && { mean: c.mean, sd: narrowest };
  if (line) drawLine(drawn, line, "reach-line").setAttribute("data-sd", line.sd);
}

function handle(svg, name, label) {
  let node = svg.querySelector(`[data-handle=${name}]`);
  if (!node) {
    node = el("circle", { "data-handle": name, r: RADIUS, tabindex: 0, role: "slider", "aria-label": label, class: `handle handle-${name}` });
    svg.append(node);
  }
  return node;
}

// The handles sit on my forecast's curve: one at its middle, one a give-or-take (σ of y) to its right, or to
// its left near the top of the range. On a log market that is at the median and at median × e^sd_log.
function placeHandles(svg, market, mine, drawn) {
  const s = drawn.scales;
  const log = isLog(market);
  const said = curveText(mine, market); // to my forecast's own precision
  const movable = draftable();
  const c = inY(mine, market);
  const [lo, hi] = rangeInY(market);
  const centre = handle(svg, "centre", svg.dataset.centreLabel || "Middle of your forecast");
  const onChart = (y) => clamp(s.x(toX(market, y)), s.left, s.right); // a drag may take it past a zoomed view
  centre.setAttribute("cx", onChart(c.mean));
  // A forecast much surer than the market peaks above the chart (its top is cut flat there): its handle stays
  // whole inside, just under the cut, rather than half off the top edge.
  centre.setAttribute("cy", Math.max(s.y(drawn.clip(peak(c))), s.top + RADIUS + 1));
  centre.setAttribute("aria-valuemin", market.lo);
  centre.setAttribute("aria-valuemax", market.hi);
  centre.setAttribute("aria-valuenow", log ? mine.median : mine.mean);
  centre.setAttribute("aria-valuetext", said.mean);
  const right = c.mean + c.sd <= hi;
  const width = handle(svg, "width", svg.dataset.widthLabel || "Give or take");
  // A give-or-take narrower than a finger on a zoomed-out axis: its handle stays a finger's width from the
  // middle's, on the curve there (a drag is measured in the give-or-take, not in where the handle sits).
  const cx = onChart(c.mean);
  const wx = onChart(clamp(right ? c.mean + c.sd : c.mean - c.sd, lo, hi));
  const gap = Math.max(HANDLE_GAP, Math.abs(wx - cx));
  let side = right ? 1 : -1;
  if (cx + side * gap > s.right || cx + side * gap < s.left) side = -side; // room on the other side
  const apart = clamp(cx + side * gap, s.left, s.right);
  const at = toY(market, s.fromX(apart));
  width.setAttribute("cx", apart);
  width.setAttribute("cy", s.y(drawn.clip(density(at, c.mean, c.sd))));
  // On a log market the give-or-take is a factor: from e^sd_min to the whole range's ratio.
  width.setAttribute("aria-valuemin", log ? Math.exp(market.sd_min) : market.sd_min);
  width.setAttribute("aria-valuemax", log ? market.hi / market.lo : market.hi - market.lo);
  width.setAttribute("aria-valuenow", log ? Math.exp(c.sd) : c.sd);
  width.setAttribute("aria-valuetext", log ? said.sd : `± ${said.sd}`);
  for (const node of [centre, width]) {
    node.setAttribute("aria-disabled", String(!movable));
    node.style.display = movable ? "" : "none";
  }
}

// Profit or loss at x if the draft trade is made: what I hold now plus the move's log score, less the budget.
export function drawDraftProfit(svg, market, draft, T) {
  const position = positionOf(market);
  const from = marketCurve(market);
  drawProfit(svg, {
    lo: market.lo,
    hi: market.hi,
    scale: market.scale,
    profit: (x) => wealthAt(position.wealth, x) + curveProfit(market.liquidity, from, draft, x, market) - position.budget,
    before: position.trades ? (x) => wealthAt(position.wealth, x) - position.budget : null,
    format: (v) => quantity(v, market),
    tick: (v, options) => quantity(v, market, false, options),
    labels: T,
  });
}
