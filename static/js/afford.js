// What a trader can afford, worked out on the page while a finger moves: the engine's collateral rule
// (docs/phone-chart.md) mirrored in doubles. After a move from the market's N(m, s²) to N(m′, s′²)
// a trader holding W(z) = c + l·z + q·z² must still have W(z) + b·[ln p′(z) − ln p(z)] ≥ 0 over the whole
// range z ∈ [−1, 1]. Everything here is in the engine's z = (y − centre)/half_width (y = x, or ln x on a
// log market); the server's quote stays the truth for what a trade costs (tests/web/test_afford_js.py
// holds this module to the engine on a table of cases).
//
// ln p_θ(z) is concave in the natural parameter θ = (m/s², −1/(2s²)), so the affordable curves form a convex
// set in θ. At a fixed middle m′ the curves are the ray θ₁ = 2m′·u, θ₂ = −u (u = 1/(2s′²)): the affordable
// ones are an interval of u, so of widths. At a fixed width they are an interval of middles.

const STEPS = 100; // bisection and golden-section steps: far below a double's last place over these spans
const GOLD = (Math.sqrt(5) - 1) / 2;
// A curve offered as affordable must be so with room to spare: the engine tests W ≥ 0 to 32 digits, this
// module in doubles. The room is a hair of the budget, far below anything a screen shows.
const ROOM = 1e-7;
// A suggested curve stays this far inside the fair curves (σ² ≤ (1 − m)(1 + m) in z), as the engine's does.
const INSIDE = 0.999999;

// A market and a trader's position as this module needs them, from the page's market and position (in the
// server's shapes): {b, m, s, c, l, q, sdMin, room}, all in z.
export function holding(market, position) {
  const log = market.scale === "log";
  const w = position.wealth;
  const y = log ? Math.log(market.median) : market.mean;
  const sd = log ? market.sd_log : market.sd;
  return {
    b: market.liquidity,
    m: (y - w.centre) / w.half_width,
    s: sd / w.half_width,
    c: w.const,
    l: w.linear,
    q: w.quadratic,
    sdMin: market.sd_min / w.half_width,
    room: ROOM * Math.max(1, Math.abs(position.budget ?? w.const)),
  };
}

// The lowest the trader's wealth goes over the range after moving the market to N(m2, s2²) (in z).
export function worstAfter(h, m2, s2) {
  const k = h.b / (2 * h.s * h.s), k2 = h.b / (2 * s2 * s2);
  const q = h.q + (k - k2);
  const l = h.l + 2 * (k2 * m2 - k * h.m);
  const c = h.c + (k * h.m * h.m - k2 * m2 * m2) + h.b * Math.log(h.s / s2);
  let worst = Math.min(c - l + q, c + l + q);
  if (q > 0) {
    const vertex = -l / (2 * q);
    if (vertex > -1 && vertex < 1) worst = Math.min(worst, c + vertex * (l + vertex * q));
  }
  return worst;
}

export function affordable(h, m2, s2) {
  return worstAfter(h, m2, s2) >= h.room;
}

// The widest fair curve at middle m (in z): σ² ≤ (1 − m)(1 + m), kept a little inside.
export function widestFair(m) {
  return Math.sqrt(Math.max(0, (1 - m) * (1 + m))) * INSIDE;
}

// The largest x in [a, b] where the unimodal f is highest, by golden section.
function peakOf(f, a, b) {
  let x1 = b - GOLD * (b - a), x2 = a + GOLD * (b - a);
  let f1 = f(x1), f2 = f(x2);
  for (let i = 0; i < STEPS; i++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + GOLD * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - GOLD * (b - a);
      f1 = f(x1);
    }
  }
  return f1 > f2 ? x1 : x2;
}

// Where `ok` stops holding between `yes` (where it holds) and `no` (where it does not): the last point that holds.
function edge(ok, yes, no) {
  for (let i = 0; i < STEPS; i++) {
    const mid = (yes + no) / 2;
    if (mid === yes || mid === no) break;
    if (ok(mid)) yes = mid;
    else no = mid;
  }
  return yes;
}

// The widths the trader can afford at middle m2, as {narrowest, widest} σ in z (within σ_min and the widest
// fair curve), or null when no curve with that middle is affordable. Searched in v = ln u, u = 1/(2s²).
export function widthsAt(h, m2) {
  const widest = widestFair(m2);
  if (!(widest >= h.sdMin) || !(Math.abs(m2) < 1)) return null;
  const sOf = (v) => 1 / Math.sqrt(2 * Math.exp(v));
  const vOf = (s) => Math.log(1 / (2 * s * s));
  const vWide = vOf(widest), vNarrow = vOf(h.sdMin);
  const f = (v) => worstAfter(h, m2, sOf(v)) - h.room;
  const ok = (v) => f(v) >= 0;
  let best = ok(vNarrow) ? vNarrow : ok(vWide) ? vWide : peakOf(f, vWide, vNarrow);
  if (!ok(best)) return null;
  const narrow = ok(vNarrow) ? vNarrow : edge(ok, best, vNarrow);
  const wide = ok(vWide) ? vWide : edge(ok, best, vWide);
  return { narrowest: sOf(narrow), widest: sOf(wide) };
}

// The middles the trader can afford at width s2 (σ in z), as {low, high} in z, or null when none is.
export function middlesAt(h, s2) {
  if (!(s2 >= h.sdMin) || !(s2 < 1)) return null;
  const reach = Math.sqrt(1 - (s2 / INSIDE) ** 2); // the fair middles at this width: m² + s² ≤ 1
  const f = (m) => worstAfter(h, m, s2) - h.room;
  const ok = (m) => f(m) >= 0;
  const start = ok(h.m) && Math.abs(h.m) <= reach ? h.m : peakOf(f, -reach, reach);
  if (!ok(start)) return null;
  return { low: ok(-reach) ? -reach : edge(ok, start, -reach), high: ok(reach) ? reach : edge(ok, start, reach) };
}

// The affordable curve nearest to N(m2, s2²) (in z): the same middle with the width brought within what is
// affordable there; where no width is, the middle brought back toward the market's as far as some width is
// (the market's own curve always is: not trading costs nothing). {m, s, sameMiddle}, or null if even the
// market's own middle has no affordable width (a position already under water: the server says why).
export function nearestAffordable(h, m2, s2) {
  const at = (m) => {
    const w = widthsAt(h, m);
    return w && { m, s: Math.min(w.widest, Math.max(w.narrowest, s2)) };
  };
  const here = at(m2);
  if (here) return { ...here, sameMiddle: true };
  if (!at(h.m)) return null;
  const m = edge((x) => Boolean(widthsAt(h, x)), h.m, m2);
  return { ...at(m), sameMiddle: false };
}
