// A forecast as the player gives it: read and checked from the typed fields, written back into them,
// kept within what the market takes. No drawing, no network.
import { clamp, fromInterval, toInterval } from "../gauss.js";
import { fill, quantity } from "../format.js";

const shown = (v) => String(Number(v.toPrecision(6)));

// The curve the market takes nearest to `next`: the middle within the range, give-or-take within
// [finest forecast, width of the range].
export function within(market, next) {
  return { mean: clamp(next.mean, market.lo, market.hi), sd: clamp(next.sd, market.sd_min, market.hi - market.lo) };
}

// Write a curve into both ways of saying it (middle and give-or-take; a 90% interval).
export function writeFields(form, curve, { except = null } = {}) {
  const [a, b] = toInterval(curve);
  const values = { mean: curve.mean, sd: curve.sd, from: a, to: b };
  for (const [name, value] of Object.entries(values)) {
    if (except && except.includes(name)) continue;
    form.elements[name].value = shown(value);
  }
}

// Read the fields the player just typed in (`changed` names one of them): {curve} or {problem: [field, text]}.
// A problem is named, never quietly corrected into another trade.
export function readFields(form, market, changed, T) {
  const read = (name) => Number.parseFloat(form.elements[name].value);
  const range = { lo: quantity(market.lo, market), hi: quantity(market.hi, market) };
  const inRange = (v) => Number.isFinite(v) && v >= market.lo && v <= market.hi;
  if (changed === "from" || changed === "to") {
    const a = read("from"), b = read("to");
    if (!inRange(a) || !inRange(b) || a === b) return { problem: ["from", fill(T.bad_interval, range)] };
    return { curve: fromInterval(a, b), typed: ["from", "to"] };
  }
  const mean = read("mean"), sd = read("sd");
  if (!inRange(mean)) return { problem: ["mean", fill(T.bad_mean, range)] };
  if (!Number.isFinite(sd) || sd < market.sd_min) {
    return { problem: ["sd", fill(T.bad_sd, { min: shown(market.sd_min) })] };
  }
  return { curve: { mean, sd }, typed: ["mean", "sd"] };
}

// Arrow keys on the curve's handles: the middle moves by 1% of the range (5% with Shift), the
// give-or-take grows or shrinks by 5% (25%). Returns the new curve, or null for any other key.
export function keyStep(market, curve, handle, event) {
  const step = (market.hi - market.lo) / (event.shiftKey ? 20 : 100);
  const factor = event.shiftKey ? 1.25 : 1.05;
  const moves = {
    centre: { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step },
    width: { ArrowLeft: 1 / factor, ArrowDown: 1 / factor, ArrowRight: factor, ArrowUp: factor },
  };
  const change = moves[handle]?.[event.key];
  if (change === undefined) return null;
  return handle === "centre" ? { mean: curve.mean + change, sd: curve.sd } : { mean: curve.mean, sd: curve.sd * change };
}
