// The market's mathematics on the client, in the question's units: for drawing while a finger moves.
// The server's quote is the truth for what a trade costs and whether it is affordable.

export const Z90 = 1.6448536269514722; // the 95th percentile of N(0, 1): mean ± Z90·σ holds 90%

export const isLog = (market) => market?.scale === "log";

// A market's curve in the engine's coordinate y (x, or ln x on a log market): {mean, sd} of y, or null when
// the curve is not given in its scale's fields (`median`/`sd_log` on a log market, `mean`/`sd` otherwise).
export function curveInY(curve, market) {
  if (!curve) return null;
  const c = isLog(market) ? { mean: Math.log(curve.median), sd: curve.sd_log } : { mean: curve.mean, sd: curve.sd };
  return Number.isFinite(c.mean) && Number.isFinite(c.sd) && c.sd > 0 ? c : null;
}

export function density(x, mean, sd) {
  const u = (x - mean) / sd;
  return Math.exp(-0.5 * u * u) / (sd * Math.sqrt(2 * Math.PI));
}

export function logDensity(x, mean, sd) {
  const u = (x - mean) / sd;
  return -0.5 * u * u - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
}

// What moving the market from N(m, s²) to N(m2, s2²) earns at outcome x: b·[ln p′(x) − ln p(x)].
export function moveProfit(b, from, to, x) {
  const u = (x - from.mean) / from.sd;
  const v = (x - to.mean) / to.sd;
  return b * (0.5 * (u - v) * (u + v) + Math.log(from.sd / to.sd));
}

// A position's wealth W(z) = const + linear·z + quadratic·z² with z = (y − centre)/half_width, y = x or, when
// the polynomial's `scale` is "log", ln x.
export function wealthAt(w, x) {
  const z = ((w.scale === "log" ? Math.log(x) : x) - w.centre) / w.half_width;
  return w.const + z * (w.linear + z * w.quadratic);
}

// The curve a fraction t of the way from `from` to `to`, along the straight line in θ = (μ/σ², −1/(2σ²)).
export function toward(from, to, t) {
  const a1 = from.mean / from.sd ** 2, a2 = -1 / (2 * from.sd ** 2);
  const b1 = to.mean / to.sd ** 2, b2 = -1 / (2 * to.sd ** 2);
  const t1 = a1 + t * (b1 - a1), t2 = a2 + t * (b2 - a2);
  const variance = -1 / (2 * t2);
  return { mean: t1 * variance, sd: Math.sqrt(variance) };
}

// "90% sure it is between A and B" ⇔ mean = (A + B)/2, σ = (B − A)/(2·1.6449).
export function fromInterval(a, b) {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  return { mean: (lo + hi) / 2, sd: (hi - lo) / (2 * Z90) };
}

export function toInterval(curve) {
  return [curve.mean - Z90 * curve.sd, curve.mean + Z90 * curve.sd];
}

// On a log market: "90% sure it is between A and B" ⇔ median = √(AB), σ of ln x = ln(B/A)/(2·1.6449).
export function fromLogInterval(a, b) {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  return { median: Math.sqrt(lo * hi), sd_log: Math.log(hi / lo) / (2 * Z90) };
}

export function toLogInterval(curve) {
  return [curve.median * Math.exp(-Z90 * curve.sd_log), curve.median * Math.exp(Z90 * curve.sd_log)];
}

// What moving a market from one curve to another earns at outcome x, in the market's scale: b·[ln p′ − ln p]
// in x, or in ln x on a log market (curves as {median, sd_log} there; the 1/x of the density cancels).
export function curveProfit(b, from, to, x, market) {
  const a = curveInY(from, market), c = curveInY(to, market);
  if (!a || !c) return NaN;
  return moveProfit(b, a, c, isLog(market) ? Math.log(x) : x);
}

// Sample a function of x over [lo, hi]; the exact worst case of a quadratic needs no grid, but drawing does.
export function sample(lo, hi, n, f) {
  const points = [];
  for (let i = 0; i <= n; i++) {
    const x = lo + ((hi - lo) * i) / n;
    points.push([x, f(x)]);
  }
  return points;
}

export function clamp(value, lo, hi) {
  return Math.min(hi, Math.max(lo, value));
}
