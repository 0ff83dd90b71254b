// A forecast as the player gives it: read and checked from the typed fields (as the server reads typed
// numbers: "8.5 billion", "2 µm", "1,500"), written back into them, kept within what the market takes.
// No drawing, no network.
//
// A curve is kept in its market's scale (docs/protocol.md, docs/maths.md § Log markets): {mean, sd} in x on a linear market,
// {median, sd_log} on a log market, where "give or take" is a factor f = e^sd_log and the 90% interval is
// median ÷ and × f^1.645. Moving it by hand (a finger, arrow keys) works in the engine's coordinate y, x or
// ln x, where every curve is a bell curve {mean, sd} of y: equal steps there are equal factors on a log axis.
import { clamp, curveInY, fromInterval, fromLogInterval, isLog, toInterval, toLogInterval } from "../gauss.js";
import { curveText, decompose, digitsText, fill, formatQuantity, kindOf, quantity, spreadPlace } from "../format.js";
import { readNumber } from "../parse.js";
import { readingText, typedText } from "../number-input.js";

export const FIELDS = ["mean", "sd", "from", "to"];

// A whole forecast typed into the middle field, as "How it works" writes one: "400 ± 100", "400 +/- 100",
// "400, give or take 100", "400 plus or minus 100". Its middle's and give-or-take's texts, or null.
const SPREAD = /^(.+?)[\s,;]*(?:±|\+\s*\/?\s*-|give or take|plus or minus)\s*(.+)$/i;
export function splitSpread(text) {
  const found = SPREAD.exec(text.trim());
  return found ? [found[1].trim(), found[2].trim()] : null;
}

// "about 650", "around 400", "~400": a hedge before a number says nothing the field needs.
const HEDGE = /^(?:about|around|roughly|approximately|approx\.?|circa|~|≈)\s*/i;
const unhedged = (text) => text.replace(HEDGE, "");

// The market's own curve, in its scale's fields.
export function marketCurve(market) {
  return isLog(market) ? { median: market.median, sd_log: market.sd_log } : { mean: market.mean, sd: market.sd };
}

// The market's range in y: [lo, hi], or [ln lo, ln hi] on a log market.
export function rangeInY(market) {
  return isLog(market) ? [Math.log(market.lo), Math.log(market.hi)] : [market.lo, market.hi];
}

// A value of x in y, and back.
export const toY = (market, x) => (isLog(market) ? Math.log(x) : x);
export const toX = (market, y) => (isLog(market) ? Math.exp(y) : y);

// A curve as a bell curve {mean, sd} of y (a finger moves it there), and back into the market's fields.
export function inY(curve, market) {
  return curveInY(curve, market) || { mean: NaN, sd: NaN };
}

export function fromY(curve, market) {
  return isLog(market) ? { median: Math.exp(curve.mean), sd_log: curve.sd } : { mean: curve.mean, sd: curve.sd };
}

// The curve the market takes nearest to `next`: the middle within the range, give-or-take within
// [finest forecast, width of the range] (on a log market both in ln x: sd_min is a σ of ln x there). A typed
// 90% interval on a log market ({low, high} beside its curve) stays with it only if nothing was changed.
export function within(market, next) {
  if (!isLog(market)) {
    return { mean: clamp(next.mean, market.lo, market.hi), sd: clamp(next.sd, market.sd_min, market.hi - market.lo) };
  }
  const [lo, hi] = rangeInY(market);
  const kept = { median: clamp(next.median, market.lo, market.hi), sd_log: clamp(next.sd_log, market.sd_min, hi - lo) };
  if (next.low !== undefined && kept.median === next.median && kept.sd_log === next.sd_log) {
    kept.low = next.low;
    kept.high = next.high;
  }
  return kept;
}

// The order that moves the market to a draft: `mean`/`sd` on a linear market; on a log market the 90%
// interval as it was typed (the server reads it as exactly as it was written), else `median`/`sd_log`.
export function orderOf(kind, draft, market) {
  if (!isLog(market)) return { kind, mean: draft.mean, sd: draft.sd };
  if (draft.low !== undefined) return { kind, low: draft.low, high: draft.high };
  return { kind, median: draft.median, sd_log: draft.sd_log };
}

// A factor f = e^sd_log as its field writes it: "×2.72", one figure finer than the curve's words ("×2.7");
// `up` rounds up instead (the least factor a market takes, said so that typing it is enough).
export function factorText(f, { figures = 3, up = false } = {}) {
  const place = decompose(f).exponent - figures + 1;
  const value = up ? Math.ceil(f / 10 ** place - 1e-9) * 10 ** place : f;
  return formatQuantity(value, "measure", "", { place, showUnit: false });
}

// Write a curve into both ways of saying it (middle and give-or-take; a 90% interval), one digit finer
// than the curve's spread warrants, in the market's kind and scale ("8.10 billion", "4.00 µm"). On a log
// market each value gets the digits its own size warrants (value × sd_log), and the give-or-take is a factor
// ("×2.72"). A field written here is written whole, so its magnitude chooser goes back to ×1.
export function writeFields(form, curve, market, { except = null } = {}) {
  for (const [name, value] of Object.entries(fieldTexts(curve, market))) {
    if (except && except.includes(name)) continue;
    const input = form.elements[name];
    if (input.magnitude) input.magnitude.value = "";
    input.value = value;
  }
}

// The text of each field for a curve; `digits` is the curve whose spread sets the digits (its own by default).
function fieldTexts(curve, market, digits = curve) {
  let values, placeOf;
  if (isLog(market)) {
    const [a, b] = curve.low !== undefined ? [curve.low, curve.high] : toLogInterval(curve);
    values = { mean: curve.median, sd: `×${factorText(Math.exp(curve.sd_log))}`, from: a, to: b };
    placeOf = (value) => spreadPlace(value * digits.sd_log) - 1;
  } else {
    const [a, b] = toInterval(curve);
    values = { mean: curve.mean, sd: curve.sd, from: a, to: b };
    const place = spreadPlace(digits.sd) - 1;
    placeOf = () => place;
  }
  const text = (value) => (typeof value === "string" ? value : quantity(value, market, false, { place: placeOf(value) }));
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, text(value)]));
}

// Whether a forecast is where the market already is, as the fields write the market's curve: typed so, it
// is no trade (the server would refuse one that moves nothing, or move the market by less than it shows).
export function atMarket(draft, market) {
  const its = marketCurve(market);
  const [mine, theirs] = [fieldTexts(draft, market, its), fieldTexts(its, market)];
  return mine.mean === theirs.mean && mine.sd === theirs.sd;
}

// A typed forecast as it was read, for "Read as …": the curve in its market's words; on a log market a typed
// factor as it was read ("1.05", where the curve's words round it to "1.1": another forecast). A number that
// could be read two ways ("1.500": `ambiguous` holds its reading) is said in digits nobody can misread.
export function readingOf(curve, market, typed, ambiguous = {}, interval = null) {
  const said = curveText(curve, market);
  const plainly = (name, unit = market.unit || "") => readingText(ambiguous[name], kindOf(market), unit);
  if (interval) {
    // A range typed is said back as the range read ("between 200 and 5,000 piano tuners"), not as the
    // middle and spread it makes; the unit once, after the second number.
    const [low, high] = interval.map(([v, name], i) => {
      if (ambiguous[name]) return plainly(name, i ? market.unit || "" : "");
      return quantity(v, market, i === 1, { exact: true });
    });
    return { ...said, low, high };
  }
  if (isLog(market) && typed.includes("sd")) {
    said.factor = formatQuantity(Math.exp(curve.sd_log), "measure", "", { showUnit: false });
  }
  if (ambiguous.mean) {
    said.mean = plainly("mean");
    if (isLog(market)) said.median = said.mean;
  }
  if (ambiguous.sd && !isLog(market)) said.sd = plainly("sd");
  return said;
}

// The field a change belongs to: a magnitude chooser speaks for the field beside it.
export const fieldOf = (target) => target.forInput?.name ?? target.name;

// A factor as people type it: "3", "×3", "x 3", "3×", "2,5" (read by readNumber, like every number).
export function readFactor(text) {
  const bare = text.trim().replace(/^[×xX*]\s*/u, "").replace(/\s*[×xX]$/u, "");
  return readNumber(bare, { unit: "" });
}

// Numbers to show in a field's "type a number" message, drawn from its market: two of its range's size in
// its unit ("330 or 670 beans", "2.7 billion or 7.4 billion people"), a spread for the give-or-take, a factor
// for a log market's. Two significant figures: examples, not advice.
export function typingExamples(market, name) {
  if (name === "sd" && isLog(market)) return { a: "1.5", b: "×3", grouped: null };
  const [lo, hi] = rangeInY(market);
  const [p, q] = name === "sd" ? [(hi - lo) / 10, (hi - lo) / 4] : [lo + (hi - lo) / 3, lo + ((hi - lo) * 2) / 3];
  const [x, y] = name === "sd" ? [p, q] : [toX(market, p), toX(market, q)];
  const place = (v) => decompose(v).exponent - 1;
  const grouped = Math.abs(y) >= 1000 && Math.abs(y) < 1e15 ? digitsText(y, place(y)) : null;
  return { a: quantity(x, market, false, { place: place(x) }), b: quantity(y, market, true, { place: place(y) }), grouped };
}

// Why a field's text is not a number, with examples from its market when the page's words have them.
function unreadableMessage(reading, market, name, T) {
  const examples = typingExamples(market, name);
  if (reading.reason === "grouping" && examples.grouped && T.group_digits) return fill(T.group_digits, { example: examples.grouped });
  if ((reading.reason === "not_a_number" || reading.reason === "grouping") && T.type_number) return fill(T.type_number, examples);
  return reading.message;
}

// Read the fields the player just typed in (`changed` names one of them): {curve} or {problem: [field, text]}.
// A problem is named, never quietly corrected into another trade; a number that cannot be read says why. A
// forecast sharper than the market takes (or wider than its range allows) is read as typed: the server says
// so and offers the nearest one it takes (offers.js), which is one tap.
export function readFields(form, market, changed, T) {
  const log = isLog(market);
  let unreadable = null;
  // The middle field may hold a whole forecast, "400 ± 100" (linear questions: a log one's spread is a
  // factor); a magnitude chosen beside it applies to both numbers.
  const middle = form.elements.mean;
  const split = !log && middle ? splitSpread(middle.value) : null;
  const magnitude = middle ? typedText(middle).slice(middle.value.trim().length) : "";
  const texts = split ? { mean: split[0] + magnitude, sd: split[1] + magnitude } : {};
  const ambiguous = {};
  const read = (name, reader = (text) => readNumber(text, { unit: market.unit || "" })) => {
    const reading = reader(unhedged(texts[name] ?? typedText(form.elements[name])));
    if (reading.ambiguous) ambiguous[name] = reading;
    if (reading.text !== undefined) return Number(reading.text);
    unreadable ??= [split && name === "sd" ? "mean" : name, unreadableMessage(reading, market, name, T)];
    return NaN;
  };
  const exact = (v) => quantity(v, market, true, { exact: true });
  const range = { lo: exact(market.lo), hi: exact(market.hi) };
  const inRange = (v) => Number.isFinite(v) && v >= market.lo && v <= market.hi;
  if (changed === "from" || changed === "to") {
    const a = read("from"), b = read("to");
    if (unreadable) return { problem: unreadable };
    if (!inRange(a) || !inRange(b) || a === b) return { problem: ["from", fill(T.bad_interval, range)] };
    // Said back as the two numbers read, low first, not as the curve they make.
    const interval = a < b ? [[a, "from"], [b, "to"]] : [[b, "to"], [a, "from"]];
    if (!log) return { curve: fromInterval(a, b), typed: ["from", "to"], ambiguous, interval };
    return { curve: { ...fromLogInterval(a, b), low: Math.min(a, b), high: Math.max(a, b) }, typed: ["from", "to"], ambiguous, interval };
  }
  const mean = read("mean"), sd = read("sd", log ? readFactor : undefined);
  if (unreadable) return { problem: unreadable };
  if (!inRange(mean)) return { problem: ["mean", fill(T.bad_mean, range)] };
  if (log) {
    if (!Number.isFinite(sd) || !(sd > 1)) {
      return { problem: ["sd", fill(T.bad_factor, { min: factorText(Math.exp(market.sd_min), { up: true }) })] };
    }
    return { curve: { median: mean, sd_log: Math.log(sd) }, typed: ["mean", "sd"], ambiguous };
  }
  if (!Number.isFinite(sd) || !(sd > 0)) {
    return { problem: ["sd", fill(T.bad_sd, { min: exact(market.sd_min) })] };
  }
  return { curve: { mean, sd }, typed: ["mean", "sd"], ambiguous };
}

// Arrow keys on the curve's handles, on a curve {mean, sd} of y: the middle moves by 1% of the range (5%
// with Shift), the give-or-take grows or shrinks by 5% (25%). Returns the new curve, or null for any other key.
export function keyStep(market, curve, handle, event) {
  const [lo, hi] = rangeInY(market);
  const step = (hi - lo) / (event.shiftKey ? 20 : 100);
  const factor = event.shiftKey ? 1.25 : 1.05;
  const moves = {
    centre: { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step },
    width: { ArrowLeft: 1 / factor, ArrowDown: 1 / factor, ArrowRight: factor, ArrowUp: factor },
  };
  const change = moves[handle]?.[event.key];
  if (change === undefined) return null;
  return handle === "centre" ? { mean: curve.mean + change, sd: curve.sd } : { mean: curve.mean, sd: curve.sd * change };
}
