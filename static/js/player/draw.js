// The two charts of the trade panel: the market's curve with my forecast and its handles, and the
// profit or loss my draft would make at each true value (drawn here while a finger moves; the server's
// quote has the numbers that count).
import { drawCurves, drawProfit, el, peak } from "../chart.js";
import { clamp, density, moveProfit, wealthAt } from "../gauss.js";
import { curveText, quantity } from "../format.js";
import { positionOf } from "./position.js";
import { draftable, state } from "./state.js";

export function drawForecast(svg, market, mine, T) {
  const drawn = drawCurves(svg, {
    market,
    mine: state.draft,
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

function placeHandles(svg, market, mine, drawn) {
  const s = drawn.scales;
  const said = curveText(mine, market); // to my forecast's own precision
  const movable = draftable();
  const centre = handle(svg, "centre", svg.dataset.centreLabel || "Middle of your forecast");
  centre.setAttribute("cx", s.x(mine.mean));
  centre.setAttribute("cy", s.y(drawn.clip(peak(mine))));
  centre.setAttribute("aria-valuemin", market.lo);
  centre.setAttribute("aria-valuemax", market.hi);
  centre.setAttribute("aria-valuenow", mine.mean);
  centre.setAttribute("aria-valuetext", said.mean);
  const side = mine.mean + mine.sd <= market.hi ? mine.mean + mine.sd : mine.mean - mine.sd;
  const width = handle(svg, "width", svg.dataset.widthLabel || "Give or take");
  width.setAttribute("cx", s.x(clamp(side, market.lo, market.hi)));
  width.setAttribute("cy", s.y(drawn.clip(density(side, mine.mean, mine.sd))));
  width.setAttribute("aria-valuemin", market.sd_min);
  width.setAttribute("aria-valuemax", market.hi - market.lo);
  width.setAttribute("aria-valuenow", mine.sd);
  width.setAttribute("aria-valuetext", `± ${said.sd}`);
  for (const node of [centre, width]) {
    node.setAttribute("aria-disabled", String(!movable));
    node.style.display = movable ? "" : "none";
  }
}

// Profit or loss at x if the draft trade is made: what I hold now plus the move's log score, less the budget.
export function drawDraftProfit(svg, market, draft, T) {
  const position = positionOf(market);
  const from = { mean: market.mean, sd: market.sd };
  drawProfit(svg, {
    lo: market.lo,
    hi: market.hi,
    profit: (x) => wealthAt(position.wealth, x) + moveProfit(market.liquidity, from, draft, x) - position.budget,
    before: position.trades ? (x) => wealthAt(position.wealth, x) - position.budget : null,
    format: (v) => quantity(v, market),
    tick: (v, options) => quantity(v, market, false, options),
    labels: T,
  });
}
