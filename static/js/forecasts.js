// The class's forecasts, drawn faint under the market's curve: where each trader last took the market
// (with names hidden, the latest trades: the lines carry no player to tell them apart).
import { el } from "./chart.js";
import { density, sample } from "./gauss.js";

const MOST = 40;

export function latestForecasts(trades) {
  const byPlayer = new Map();
  (trades || []).forEach((t, i) => byPlayer.set(t.player_id ?? `line-${i}`, t));
  return [...byPlayer.values()].sort((a, b) => a.sequence - b.sequence).slice(-MOST);
}

// Under the curves drawCurves has just drawn (`drawn`: its scales and top), one faint line each. A forecast
// narrower than the plot's height allows is drawn lower, its peak at the curves' highest (`roof`): its shape kept (a bell cut
// flat at the top read as a plateau on the wall).
export function drawForecasts(svg, drawn, market, trades) {
  const plot = svg.querySelector("g[data-plot]");
  if (!plot || !drawn?.scales) return;
  const s = drawn.scales;
  const group = el("g", { class: "forecasts", "aria-hidden": "true" });
  for (const t of latestForecasts(trades)) {
    if (!(t.sd > 0)) continue;
    const lower = Math.min(1, (drawn.roof ?? drawn.top) / density(t.mean, t.mean, t.sd));
    const f = (x) => lower * density(x, t.mean, t.sd);
    // Evenly over the range, and finely over the bell itself: a narrow one keeps its rounded top.
    const bell = [];
    for (let k = -3; k <= 3; k += 0.25) {
      const x = t.mean + k * t.sd;
      if (x > market.lo && x < market.hi) bell.push([x, f(x)]);
    }
    const points = [...sample(market.lo, market.hi, 120, f), ...bell].sort((a, b) => a[0] - b[0]);
    const d = points.map(([x, y], i) => `${i ? "L" : "M"}${s.x(x).toFixed(1)},${s.y(y).toFixed(1)}`).join("");
    group.append(el("path", { d, class: "forecast-line" }));
  }
  plot.prepend(group);
}

// The answer's moment: the people whose last forecast's middle lay nearest the true value (on a log market
// nearest by ratio), nearest first; practice traders are left out, the class looks for itself.
export function closestForecasts(trades, market, outcome, count = 3) {
  const log = market.scale === "log";
  const middle = (t) => (log ? t.median : t.mean);
  const off = (t) => (log ? Math.abs(Math.log(middle(t) / outcome)) : Math.abs(middle(t) - outcome));
  return latestForecasts((trades || []).filter((t) => !t.is_bot && Number.isFinite(middle(t))))
    .sort((a, b) => off(a) - off(b))
    .slice(0, count)
    .map((t) => ({ nickname: t.nickname, middle: middle(t) }));
}
