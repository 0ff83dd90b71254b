// Our own SVG charts: the bell curves over the range, the profit/loss curve, the forecast's history.
import { curveInY, density, isLog, sample } from "./gauss.js";

export { curveInY, isLog };

const SVG = "http://www.w3.org/2000/svg";
const PAD = { left: 8, right: 8, top: 10, bottom: 24 };

export function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// The size in px the page's CSS gives text of `className` in this SVG (12 px on a phone, 24 px and up on
// the wall): the axis makes room for its labels by it.
function textSize(svg, className) {
  const probe = el("text", { class: className });
  svg.append(probe);
  const px = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  return Number.isFinite(px) && px > 0 ? px : 12;
}

// The drawing's own box in whole pixels, no larger than it is (inside its border and padding), so that
// text is drawn at its CSS size or a hair larger, never scaled down.
export function drawingBox(svg) {
  const box = svg.getBoundingClientRect();
  const style = getComputedStyle(svg);
  const sum = (...sides) => sides.reduce((total, side) => total + (parseFloat(style[side]) || 0), 0);
  const width = box.width - sum("borderLeftWidth", "borderRightWidth", "paddingLeft", "paddingRight");
  const height = box.height - sum("borderTopWidth", "borderBottomWidth", "paddingTop", "paddingBottom");
  return { width: Math.max(0, Math.floor(width)), height: Math.max(0, Math.floor(height)) };
}

// Size the drawing to the element's real pixels so text and lines keep their shape on any screen.
// Only the plot group is redrawn: anything else in the SVG (drag handles holding focus) stays put.
export function frame(svg) {
  const box = drawingBox(svg);
  const width = Math.max(200, box.width || svg.parentNode.clientWidth || 320);
  const height = Math.max(60, box.height || 200);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  let plot = svg.querySelector("g[data-plot]");
  if (!plot) {
    plot = el("g", { "data-plot": "" });
    svg.prepend(plot);
  }
  plot.replaceChildren();
  return { width, height, plot, font: textSize(svg, "tick"), label: textSize(svg, "outcome-label") };
}

// `log`: the x axis is logarithmic (a log-scale market: x drawn at ln x, lo > 0).
export function scales(size, lo, hi, yLo, yHi, log = false) {
  const font = size.font || 12; // the ticks' size: room under the axis for one line of them
  const bottom = Math.max(PAD.bottom, Math.ceil(font * 1.25 + 9));
  const w = size.width - PAD.left - PAD.right;
  const h = size.height - PAD.top - bottom;
  const to = log ? Math.log : (v) => v;
  const from = log ? Math.exp : (v) => v;
  const a = to(lo), b = to(hi);
  return {
    x: (v) => PAD.left + ((to(v) - a) / (b - a)) * w,
    y: (v) => PAD.top + (1 - (v - yLo) / (yHi - yLo)) * h,
    fromX: (px) => from(a + ((px - PAD.left) / w) * (b - a)),
    bottom: PAD.top + h,
    top: PAD.top,
    left: PAD.left,
    right: PAD.left + w,
    log,
    font,
    label: size.label || 13,
    under: Math.max(16, Math.round(font * 1.05 + 3)), // a tick label's baseline below the axis
  };
}



function path(points, s) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${s.x(x).toFixed(1)},${s.y(y).toFixed(1)}`).join("");
}

// Round ticks: multiples of a step of 1, 2 or 5 × 10ⁿ, as many as the labels leave room for. Returns the
// values, the step's power of ten (where the labels' last digit sits) and the largest value (their scale).
export function ticks(lo, hi, most) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return { values: [lo], place: 0, widest: lo };
  const wanted = Math.max(1, most);
  let power = Math.floor(Math.log10(span / wanted));
  let step = null;
  for (let tries = 0; tries < 4 && step === null; tries++, power++) {
    for (const m of [1, 2, 5]) {
      const candidate = m * 10 ** power;
      if (span / candidate <= wanted + 1e-9) {
        step = { size: candidate, place: power };
        break;
      }
    }
  }
  const first = Math.ceil(lo / step.size - 1e-9);
  const last = Math.floor(hi / step.size + 1e-9);
  const values = [];
  for (let k = first; k <= last; k++) values.push(Number((k * step.size).toPrecision(12))); // 1e-5, not 9.999…e-6
  return { values, place: step.place, widest: Math.abs(lo) > Math.abs(hi) ? lo : hi };
}

// Ticks on a log axis: 1, 2 and 5 × 10ⁿ; fewer mantissas (1 and 5, then 1), then every k-th power of ten,
// until at most `most` are left. Each is labelled as exactly as it is: `places[i]` is where its digit sits.
// A range within one decade that holds fewer than two of them gets round linear ticks instead.
export function logTicks(lo, hi, most) {
  if (!(lo > 0 && hi > lo) || !Number.isFinite(hi)) return { values: [lo], places: [0] };
  const wanted = Math.max(1, most);
  const first = Math.floor(Math.log10(lo)), last = Math.ceil(Math.log10(hi));
  const pick = (mantissas, every) => {
    const out = [];
    for (let p = first; p <= last; p++) {
      if ((p - first) % every) continue;
      for (const m of mantissas) {
        const v = Number((m * 10 ** p).toPrecision(12));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push({ v, p });
      }
    }
    return out;
  };
  let chosen = null;
  for (const mantissas of [[1, 2, 5], [1, 5], [1]]) {
    chosen = pick(mantissas, 1);
    if (chosen.length <= wanted) break;
  }
  for (let every = 2; chosen.length > wanted; every++) chosen = pick([1], every);
  if (chosen.length < 2) {
    const linear = ticks(lo, hi, wanted);
    return { values: linear.values, places: linear.values.map(() => linear.place) };
  }
  return { values: chosen.map((t) => t.v), places: chosen.map((t) => t.p) };
}

// About how wide a tick's character is (7.5 px at the phone's 12 px).
function charWidth(s) {
  return Math.max(7.5, s.font * 0.62);
}

// The axis: round ticks written in one scale ("0", "2 µm", "4 µm"; "0", "5 billion", "10 billion").
// `format(value, {place, scale})` writes a tick; one without those options gets the value alone.
export function axis(svg, s, lo, hi, format) {
  svg.append(el("line", { x1: s.left, x2: s.right, y1: s.bottom, y2: s.bottom, class: "axis" }));
  const width = s.right - s.left;
  if (s.log) return logAxis(svg, s, lo, hi, format, width);
  let most = 5;
  let chosen = ticks(lo, hi, most);
  for (; most >= 1; most--) {
    chosen = ticks(lo, hi, most);
    const options = { place: chosen.place, scale: { value: chosen.widest } };
    const widest = Math.max(...chosen.values.map((v) => format(v, options).length));
    if (chosen.values.length * (widest * charWidth(s) + 12) <= width) break;
  }
  const options = { place: chosen.place, scale: { value: chosen.widest } };
  for (const v of chosen.values) {
    const x = s.x(v);
    const anchor = x - s.left < 24 ? "start" : s.right - x < 24 ? "end" : "middle";
    svg.append(el("text", { x, y: s.bottom + s.under, "text-anchor": anchor, class: "tick", "data-value": v }, format(v, options)));
  }
}

// A log axis: ticks at 1, 2, 5 × 10ⁿ, each written in its own scale ("200", "5,000", "2 million").
function logAxis(svg, s, lo, hi, format, width) {
  let chosen = logTicks(lo, hi, 6);
  for (let most = 6; most >= 1; most--) {
    chosen = logTicks(lo, hi, most);
    const texts = chosen.values.map((v, i) => format(v, { place: chosen.places[i], scale: { value: v } }));
    if (chosen.values.length * (Math.max(...texts.map((t) => t.length)) * charWidth(s) + 12) <= width) break;
  }
  chosen.values.forEach((v, i) => {
    const x = s.x(v);
    const anchor = x - s.left < 24 ? "start" : s.right - x < 24 ? "end" : "middle";
    const text = format(v, { place: chosen.places[i], scale: { value: v } });
    svg.append(el("text", { x, y: s.bottom + s.under, "text-anchor": anchor, class: "tick", "data-value": v }, text));
  });
}

// A label for a vertical line at x: beside it, not across it (on the side with room), kept inside the plot,
// and clear of another line at `avoid` (the class's average beside "your guess"). Measured once drawn.
export function labelBeside(g, s, x, y, text, className, avoid = null) {
  const label = el("text", { x, y, class: className }, text);
  g.append(label);
  const width = label.getComputedTextLength?.() || 0;
  if (!width) return label; // not laid out (a hidden chart): drawn as is, redrawn once shown
  const gap = 6;
  const right = { x: x + gap, from: x + gap, to: x + gap + width, anchor: "start" };
  const left = { x: x - gap, from: x - gap - width, to: x - gap, anchor: "end" };
  const fits = (side) => side.from >= s.left && side.to <= s.right;
  const clear = (side) => avoid === null || avoid < side.from - gap || avoid > side.to + gap;
  const sides = [right, left];
  const side = sides.find((o) => fits(o) && clear(o)) || sides.find(fits) || (x - s.left > s.right - x ? left : right);
  const shift = Math.max(s.left - side.from, 0) - Math.max(side.to - s.right, 0); // pushed inside the plot
  label.setAttribute("x", (side.x + shift).toFixed(1));
  label.setAttribute("text-anchor", side.anchor);
  return label;
}

export function peak(curve) {
  return density(curve.mean, curve.mean, curve.sd);
}

// Sample f over [lo, hi]: evenly in x, or evenly in ln x on a log axis.
function sampleOn(s, lo, hi, n, f) {
  if (!s.log) return sample(lo, hi, n, f);
  return sample(Math.log(lo), Math.log(hi), n, (y) => f(Math.exp(y))).map(([y, v]) => [Math.exp(y), v]);
}

// The market's curve (filled), optionally my forecast (outlined) and the true value once known. On a log
// market the curves are normal in ln x (`median`, `sd_log`) and are drawn as such over a log axis. `view`
// ({lo, hi} in x, within the range) draws only that stretch of the range: a phone zooms in on the curves.
export function drawCurves(svg, { market, mine, outcome, format, tick, labels, view = null }) {
  const size = frame(svg);
  const g = size.plot;
  const lo = view ? view.lo : market.lo, hi = view ? view.hi : market.hi;
  const log = isLog(market);
  const y = log ? Math.log : (v) => v;
  const marketCurve = curveInY(market, market) || { mean: (y(market.lo) + y(market.hi)) / 2, sd: (y(market.hi) - y(market.lo)) / 4 };
  // My forecast: {mean, sd} on a linear market, {median, sd_log} on a log one (anything else is not drawn).
  const mineCurve = mine ? curveInY(mine, market) : null;
  let top = Math.max(peak(marketCurve), mineCurve ? Math.min(peak(mineCurve), 4 * peak(marketCurve)) : 0) * 1.08;
  let s = scales(size, lo, hi, 0, top, log);
  const roof = top; // the curves' highest, under the true value's label
  if (outcome !== null && outcome !== undefined && svg.closest(".wall")) {
    // On the wall the true value's label stands above the curves' peaks, not over them.
    const h = s.bottom - s.top, room = Math.min(h / 3, s.label * 1.2 + 6);
    top *= h / (h - room);
    s = scales(size, lo, hi, 0, top, log);
  }
  const n = Math.min(240, Math.round(size.width / 2));
  const clip = (v) => Math.min(v, top);
  const marketPoints = sampleOn(s, lo, hi, n, (x) => clip(density(y(x), marketCurve.mean, marketCurve.sd)));
  g.append(el("path", { d: `${path(marketPoints, s)}L${s.right},${s.bottom}L${s.left},${s.bottom}Z`, class: "market-area" }));
  g.append(el("path", { d: path(marketPoints, s), class: "market-line" }));
  const drawn = { scales: s, top, roof, clip, lo, hi, n, plot: g };
  g.setAttribute("data-top", s.top); // the plot's top in px: a curve cut at it runs flat there
  if (mineCurve) drawLine(drawn, mineCurve, "mine-line");
  if (outcome !== null && outcome !== undefined && (!view || (outcome >= lo && outcome <= hi))) {
    const x = s.x(outcome);
    g.append(el("line", { x1: x, x2: x, y1: s.top, y2: s.bottom, class: "outcome" }));
    const y = s.top + Math.max(10, Math.round(s.label * 0.8)); // its cap height below the top, not cut
    labelBeside(g, s, x, y, `${labels.outcome} ${format(outcome)}`, "outcome-label");
  }
  axis(g, s, lo, hi, tick || format);
  return drawn;
}

// One more bell curve {mean, sd} of y over what drawCurves drew (`drawn`), as a line of the given class.
export function drawLine(drawn, curve, className) {
  const s = drawn.scales;
  const y = s.log ? Math.log : (v) => v;
  const points = sampleOn(s, drawn.lo, drawn.hi, drawn.n, (x) => drawn.clip(density(y(x), curve.mean, curve.sd)));
  const line = el("path", { d: path(points, s), class: className });
  drawn.plot.append(line);
  return line;
}

// Profit or loss at each outcome: gains above the line, losses below, told apart by sign, fill pattern
// and label as well as colour. `scale: "log"` draws it over a log axis.
export function drawProfit(svg, { lo, hi, profit, before, format, tick, labels, scale }) {
  const size = frame(svg);
  const g = size.plot;
  const n = Math.min(200, Math.round(size.width / 2));
  const axisOnly = { log: scale === "log" };
  const points = sampleOn(axisOnly, lo, hi, n, profit);
  const extra = before ? sampleOn(axisOnly, lo, hi, n, before) : [];
  const values = points.concat(extra).map((p) => p[1]);
  let yHi = Math.max(0, ...values), yLo = Math.min(0, ...values);
  const span = (yHi - yLo) || 1;
  yHi += span * 0.08;
  yLo -= span * 0.08;
  const s = scales(size, lo, hi, yLo, yHi, scale === "log");
  const defs = el("defs");
  const hatch = el("pattern", { id: `${svg.id}-hatch`, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  hatch.append(el("rect", { width: 6, height: 6, class: "loss-bg" }), el("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "loss-hatch" }));
  defs.append(hatch);
  const clipGain = el("clipPath", { id: `${svg.id}-gain` });
  clipGain.append(el("rect", { x: 0, y: 0, width: size.width, height: Math.max(0, s.y(0)) }));
  const clipLoss = el("clipPath", { id: `${svg.id}-loss` });
  clipLoss.append(el("rect", { x: 0, y: s.y(0), width: size.width, height: Math.max(0, size.height - s.y(0)) }));
  defs.append(clipGain, clipLoss);
  g.append(defs);
  const area = `${path(points, s)}L${s.right},${s.y(0)}L${s.left},${s.y(0)}Z`;
  g.append(el("path", { d: area, class: "gain-area", "clip-path": `url(#${svg.id}-gain)` }));
  g.append(el("path", { d: area, class: "loss-area", fill: `url(#${svg.id}-hatch)`, "clip-path": `url(#${svg.id}-loss)` }));
  if (before) g.append(el("path", { d: path(extra, s), class: "before-line" }));
  g.append(el("path", { d: path(points, s), class: "profit-line" }));
  g.append(el("line", { x1: s.left, x2: s.right, y1: s.y(0), y2: s.y(0), class: "zero" }));
  if (yHi > 0) g.append(el("text", { x: s.left + 4, y: s.top + 12, class: "gain-label" }, labels.gain));
  if (yLo < 0) g.append(el("text", { x: s.left + 4, y: s.bottom - 6, class: "loss-label" }, labels.loss));
  axis(g, s, lo, hi, tick || format);
}

// How the forecast moved, trade by trade: the mean and a band of ± one σ (on a log market the median and a
// band of one σ of ln x either way, drawn in ln x).
export function drawHistory(svg, { market, points, outcome, labels }) {
  const size = frame(svg);
  const g = size.plot;
  if (points.length < 1) return;
  if (points.length === 1) points = [points[0], points[0]];
  const log = isLog(market);
  const y = log ? Math.log : (v) => v;
  const curves = points.map((p) => curveInY(p, market) || { mean: NaN, sd: NaN });
  const s = scales(size, 0, Math.max(1, points.length - 1), y(market.lo), y(market.hi));
  const upper = curves.map((p, i) => [i, Math.min(y(market.hi), p.mean + p.sd)]);
  const lower = curves.map((p, i) => [i, Math.max(y(market.lo), p.mean - p.sd)]).reverse();
  const band = `${path(upper, s)}${path(lower, s).replace(/^M/, "L")}Z`;
  g.append(el("path", { d: band, class: "history-band" }));
  g.append(el("path", { d: path(curves.map((p, i) => [i, p.mean]), s), class: "history-line" }));
  if (outcome !== null && outcome !== undefined) {
    const at = s.y(y(outcome));
    g.append(el("line", { x1: s.left, x2: s.right, y1: at, y2: at, class: "outcome" }));
  }
  g.append(el("text", { x: s.left, y: size.height - Math.max(6, Math.round(s.font * 0.3)), class: "tick" }, labels.history));
  if (labels.format) {
    const top = s.top + Math.max(10, Math.round(s.font * 0.75));
    g.append(el("text", { x: s.right, y: top, "text-anchor": "end", class: "tick" }, labels.format(market.hi)));
    g.append(el("text", { x: s.right, y: s.bottom - 2, "text-anchor": "end", class: "tick" }, labels.format(market.lo)));
  }
}
