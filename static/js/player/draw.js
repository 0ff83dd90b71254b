// The two charts of the trade panel: the market's curve with my forecast and its handles, and the
// profit or loss my draft would make at each true value (drawn here while a finger moves; the server's
// quote has the numbers that count).
import { drawCurves, drawProfit, el, peak } from "../chart.js";
import { clamp, curveProfit, density, isLog, wealthAt } from "../gauss.js";
import { curveText, quantity } from "../format.js";
import { inY, marketCurve, rangeInY, toX } from "./forecast.js";
import { positionOf } from "./position.js";
import { myGuess } from "./guesses.js";
import { draftable, state } from "./state.js";

export function drawForecast(svg, market, mine, T) {
  const drawn = drawCurves(svg, {
    market,
    // While first guesses are taken, my locked-in guess stays drawn (dashed) until I move it again.
    mine: state.draft || (market.phase === "guess" ? myGuess(market) : null),
    outcome: market.outcome,
    format: (v) => quantity(v, market, true, { exact: true }),
    tick: (v, options) => quantity(v, market, false, options), // round ticks in one scale
    labels: T,
  });
  state.scales = drawn.scales;
  placeHandles(svg, market, mine, drawn);
}

function handle(svg, name, label) {
  let node = svg.querySelector(`[data-handle=${name}]`);
  if (!node) {
    node = el("circle", { "data-handle": name, r: 11, tabindex: 0, role: "slider", "aria-label": label, class: `handle handle-${name}` });
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
  centre.setAttribute("cx", s.x(toX(market, c.mean)));
  centre.setAttribute("cy", s.y(drawn.clip(peak(c))));
  centre.setAttribute("aria-valuemin", market.lo);
  centre.setAttribute("aria-valuemax", market.hi);
  centre.setAttribute("aria-valuenow", log ? mine.median : mine.mean);
  centre.setAttribute("aria-valuetext", said.mean);
  const side = c.mean + c.sd <= hi ? c.mean + c.sd : c.mean - c.sd;
  const width = handle(svg, "width", svg.dataset.widthLabel || "Give or take");
  width.setAttribute("cx", s.x(toX(market, clamp(side, lo, hi))));
  width.setAttribute("cy", s.y(drawn.clip(density(side, c.mean, c.sd))));
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
