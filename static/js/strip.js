// The class's first guesses, revealed: one dot for each guess's middle on the market's axis (a log axis on
// a log market), dots that would overlap stacked, the class's average marked and labelled, and on a
// player's phone their own guess marked "you".
import { axis, el, frame, labelBeside, scales } from "./chart.js";

const GAP = 4; // px between stacked dots

// `middles`: the guesses' middles (sorted or not); `average` and `mine` (a middle) may be null.
// `format(v)` writes a value with its unit; `tick(v, options)` writes an axis label; `labels` has
// `average` ("Class average: {value}") and `you`.
export function drawStrip(svg, { market, middles, average, mine, format, tick, labels }) {
  const size = frame(svg);
  const g = size.plot;
  const s = scales(size, market.lo, market.hi, 0, 1, market.scale === "log");
  const wall = Boolean(svg.closest(".wall"));
  const font = wall ? Math.max(24, innerHeight * 0.032) : 14; // the labels' size in px (CSS)
  const labelRoom = 2 * font + 16; // above the dots: the average's label, and mine under it
  const xs = [...(middles || [])].sort((a, b) => a - b).map((v) => [v, s.x(v)]);
  // On the wall the dots are as large as the height allows, up to 4 % of the screen: a class of 30 fills
  // the strip with its stacks rather than lying along the bottom of it.
  let r = Math.max(4, Math.min(9, size.height / 22));
  let placed = stack(xs, r, s, labelRoom);
  for (let big = wall ? Math.max(r, innerHeight * 0.04) : r; big > r; big *= 0.9) {
    const tried = stack(xs, big, s, labelRoom);
    if (!tried.crowded) {
      [r, placed] = [big, tried];
      break;
    }
  }
  const dots = el("g", { class: "strip-dots" });
  for (const [v, x, y] of placed.dots) {
    dots.append(el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), class: "strip-dot", "data-value": v }));
  }
  g.append(dots);
  const mark = (value, className, text, y, avoid = null) => {
    const x = s.x(value);
    g.append(el("line", { x1: x, x2: x, y1: y, y2: s.bottom, class: `${className}-line` }));
    labelBeside(g, s, x, y - 4, text, `${className}-label`, avoid);
  };
  const shown = (v) => v !== null && v !== undefined;
  if (shown(average)) mark(average, "strip-average", labels.average.replace("{value}", format(average)), s.top + font + 4);
  if (shown(mine)) mark(mine, "strip-mine", labels.you, s.top + 2 * font + 12, shown(average) ? s.x(average) : null);
  axis(g, s, market.lo, market.hi, tick || format);
  return { scales: s };
}

// Stack dots of radius r left to right: each in the lowest row where it clears the last dot in that row.
// `crowded`: more rows were wanted than fit under the labels (the extra dots then overlap the lowest).
function stack(xs, r, s, labelRoom) {
  const lane = 2 * r + GAP;
  const base = s.bottom - r - 3;
  const rows = Math.max(1, Math.floor((base - s.top - labelRoom) / lane) + 1);
  const ends = [];
  let crowded = false;
  const dots = xs.map(([v, x]) => {
    let row = ends.findIndex((end) => x - end >= lane);
    if (row < 0 && ends.length >= rows) crowded = true;
    if (row < 0) row = ends.length < rows ? ends.length : ends.indexOf(Math.min(...ends));
    ends[row] = x;
    return [v, x, base - row * lane];
  });
  return { dots, crowded };
}
