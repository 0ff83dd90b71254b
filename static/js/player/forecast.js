// A forecast as the player gives it: read and checked from the typed fields (as the server reads typed
// numbers: "8.5 billion", "2 µm", "1,500"), written back into them, kept within what the market takes.
// No drawing, no network.
import { clamp, fromInterval, toInterval } from "../gauss.js";
import { fill, quantity, spreadPlace } from "../format.js";
import { readNumber } from "../parse.js";
import { typedText } from "../number-input.js";

export const FIELDS = ["mean", "sd", "from", "to"];

// The curve the market takes nearest to `next`: the middle within the range, give-or-take within
// [finest forecast, width of the range].
export function within(market, next) {
  return { mean: clamp(next.mean, market.lo, market.hi), sd: clamp(next.sd, market.sd_min, market.hi - market.lo) };
}

// Write a curve into both ways of saying it (middle and give-or-take; a 90% interval), one digit finer
// than the curve's spread warrants, in the market's kind and scale ("8.10 billion", "4.00 µm"). A field
// written here is written whole, so its magnitude chooser goes back to ×1.
export function writeFields(form, curve, market, { except = null } = {}) {
  const [a, b] = toInterval(curve);
  const values = { mean: curve.mean, sd: curve.sd, from: a, to: b };
  const place = spreadPlace(curve.sd) - 1;
  for (const [name, value] of Object.entries(values)) {
    if (except && except.includes(name)) continue;
    const input = form.elements[name];
    if (input.magnitude) input.magnitude.value = "";
    input.value = quantity(value, market, false, { place });
  }
}

// The field a change belongs to: a magnitude chooser speaks for the field beside it.
export const fieldOf = (target) => target.forInput?.name ?? target.name;

// Read the fields the player just typed in (`changed` names one of them): {curve} or {problem: [field, text]}.
// A problem is named, never quietly corrected into another trade; a number that cannot be read says why.
export function readFields(form, market, changed, T) {
  let unreadable = null;
  const read = (name) => {
    const reading = readNumber(typedText(form.elements[name]), { unit: market.unit || "" });
    if (reading.text !== undefined) return Number(reading.text);
    unreadable ??= [name, reading.message];
    return NaN;
  };
  const exact = (v) => quantity(v, market, true, { exact: true });
  const range = { lo: exact(market.lo), hi: exact(market.hi) };
  const inRange = (v) => Number.isFinite(v) && v >= market.lo && v <= market.hi;
  if (changed === "from" || changed === "to") {
    const a = read("from"), b = read("to");
    if (unreadable) return { problem: unreadable };
    if (!inRange(a) || !inRange(b) || a === b) return { problem: ["from", fill(T.bad_interval, range)] };
    return { curve: fromInterval(a, b), typed: ["from", "to"] };
  }
  const mean = read("mean"), sd = read("sd");
  if (unreadable) return { problem: unreadable };
  if (!inRange(mean)) return { problem: ["mean", fill(T.bad_mean, range)] };
  if (!Number.isFinite(sd) || sd < market.sd_min) {
    return { problem: ["sd", fill(T.bad_sd, { min: exact(market.sd_min) })] };
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
