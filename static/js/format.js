// Numbers for people, written as the server writes them (mmgame/numbers/formatting.py) to the character:
// a market's quantities to the digits its curve's spread warrants, in the words, SI prefixes or powers of
// ten that suit the kind of number (count, year, measure) and its unit; points with a sign that does not
// rely on colour. tests/cases/numbers.json holds the cases both run.

const MINUS = "\u2212";
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

// How each language writes a number comes from the browser's Intl.NumberFormat (CLDR, through ICU), as the
// server's comes from Babel (mmgame/numbers/locales.py); the project's own rules stay here: the digits a
// spread warrants, one rounding (half away from zero, done on the digits before Intl sees them), one minus
// sign (U+2212) and an ordinary space before a word or a unit. A page is written in the language of its
// <html lang>, never in the browser's own: a language the game is not served in writes as English.
export const LANGUAGES = ["en", "es", "fr", "de"];
const WORD_POWERS = [12, 9, 6];

export function languageOf(language) {
  const code = String(language || "en").replace("_", "-").split("-")[0].toLowerCase();
  return LANGUAGES.includes(code) ? code : "en";
}

export const pageLanguage = () => languageOf(typeof document !== "undefined" ? document.documentElement.lang : "en");

const formatters = new Map();
function formatter(code, options) {
  const key = `${code} ${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Intl.NumberFormat(code, { roundingMode: "halfExpand", ...options }));
  return formatters.get(key);
}

const plurals = new Map();
function pluralRules(code, decimals) {
  const key = `${code} ${decimals}`;
  if (!plurals.has(key)) plurals.set(key, new Intl.PluralRules(code, { minimumFractionDigits: decimals }));
  return plurals.get(key);
}

// CLDR's long words for 10^power in each plural form ({one: "Milliarde", other: "Milliarden"}): what Intl's
// compact notation writes after numbers of each form at that power.
const wordTables = new Map();
function wordForms(code, power) {
  const key = `${code} ${power}`;
  if (!wordTables.has(key)) {
    const compact = formatter(code, { notation: "compact", compactDisplay: "long", maximumFractionDigits: 1 });
    const plural = new Intl.PluralRules(code, { maximumFractionDigits: 1 });
    const forms = {};
    for (const n of [1, 1.5, 2, 5]) {
      const word = compact.formatToParts(`${n}e${power}`).filter((p) => p.type === "compact").map((p) => p.value).join("");
      forms[plural.select(n)] ??= word;
    }
    wordTables.set(key, forms);
  }
  return wordTables.get(key);
}

const locales = new Map();
// {code, decimal, group, digits(text, {grouped}), word(power, text)} for a page's language.
export function localeFor(language = pageLanguage()) {
  const code = languageOf(language);
  if (locales.has(code)) return locales.get(code);
  const parts = formatter(code, { minimumFractionDigits: 1 }).formatToParts(12345.5);
  const symbol = (type) => parts.find((p) => p.type === type)?.value ?? "";
  const locale = {
    code,
    decimal: symbol("decimal"),
    group: symbol("group"),
    words: WORD_POWERS.map((power) => [power]),
    // A non-negative exact decimal ("8546.50") in the language's symbols, its digits as given ("8.546,50"):
    // Intl reads a string as an exact decimal, and its places are already the ones shown.
    digits(text, { grouped = true } = {}) {
      const decimals = (text.split(".")[1] || "").length;
      return formatter(code, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: grouped ? "auto" : false }).format(text);
    },
    // The word for 10^power after the digits shown ("1", "1.5", "1.0", "0.18"): CLDR's plural form for them.
    word(power, text) {
      const decimals = (text.split(".")[1] || "").length;
      const forms = wordForms(code, power);
      return forms[pluralRules(code, decimals).select(Number(text))] ?? forms.other;
    },
  };
  locales.set(code, locale);
  return locale;
}

const SMALL_PREFIXES = { "-3": "m", "-6": "µ", "-9": "n", "-12": "p" };
const LARGE_PREFIXES = { 3: "k", 6: "M", 9: "G", 12: "T" };
export const PREFIXED_UNITS = {
  m: [[-3, -6, -9, -12], [3]],
  g: [[-3, -6, -9], [3]],
  s: [[-3, -6, -9, -12], []],
  L: [[-3, -6], []],
  W: [[-3, -6], [3, 6, 9, 12]],
  Wh: [[], [3, 6, 9, 12]],
  J: [[-3, -6], [3, 6, 9, 12]],
  eV: [[-3], [3, 6, 9, 12]],
  Hz: [[], [3, 6, 9, 12]],
  B: [[], [3, 6, 9, 12]],
  V: [[-3, -6], [3, 6]],
  A: [[-3, -6, -9], [3]],
  N: [[-3, -6], [3, 6]],
  Pa: [[-3], [3, 6, 9]],
};
const SYMBOL_MARKS = new Set("/²³^°·*%()0123456789");
const prefixed = (unit) => Object.hasOwn(PREFIXED_UNITS, unit);

export function isWordUnit(unit) {
  if (!unit) return true;
  if (prefixed(unit) || [...unit].some((ch) => SYMBOL_MARKS.has(ch))) return false;
  if ("kMGTmµnp".includes(unit[0]) && prefixed(unit.slice(1))) return false;
  return [...unit].length >= 3;
}

// A number as its significant digits and the power of ten of the first: {negative, digits, exponent}.
export function decompose(value) {
  const v = Number(value);
  if (v === 0) return { negative: false, digits: "", exponent: 0 };
  const [mantissa, exponent] = Math.abs(v).toExponential().split("e");
  const digits = mantissa.replace(".", "").replace(/0+$/, "");
  return { negative: v < 0, digits, exponent: Number(exponent) };
}

// Rounded to a multiple of 10^place, halves away from zero.
export function roundAt(number, place) {
  if (!number.digits) return number;
  const keep = number.exponent - place + 1;
  if (keep >= number.digits.length) return number;
  if (keep < 0) return { negative: false, digits: "", exponent: 0 };
  let kept = number.digits.slice(0, keep);
  let exponent = number.exponent;
  if (number.digits[keep] >= "5") {
    if (keep === 0) {
      kept = "1";
      exponent = place;
    } else {
      const raised = (BigInt(kept) + 1n).toString();
      if (raised.length > kept.length) exponent += 1;
      kept = raised;
    }
  }
  kept = kept.replace(/0+$/, "");
  return kept ? { negative: number.negative, digits: kept, exponent } : { negative: false, digits: "", exponent: 0 };
}

const lastPlace = (number) => number.exponent - number.digits.length + 1;

// Where a curve's numbers end: at σ's second significant digit.
export function spreadPlace(sd) {
  const number = decompose(Math.abs(sd));
  return number.digits ? number.exponent - 1 : 0;
}

const PLAIN = { style: "plain", power: 0, label: "" };

export function scaleFor(number, place, kind, unit, locale) {
  const size = number.digits ? number.exponent : place + 1;
  if (kind === "year") return PLAIN;
  if (size >= 6) {
    const prefixes = kind === "measure" && prefixed(unit) ? PREFIXED_UNITS[unit][1] : [];
    if (prefixes.length) {
      const power = Math.max(0, ...prefixes.filter((p) => p <= size));
      if (power && size - power < 6 && power - place <= 3) return { style: "prefix", power, label: LARGE_PREFIXES[power] };
      if (power && size - power >= 6) return { style: "power", power: size, label: "" };
      return PLAIN;
    }
    if (kind === "count" || isWordUnit(unit)) {
      for (const [power] of locale.words) {
        if (power <= size) return power - place <= 3 ? { style: "word", power, label: "" } : PLAIN;
      }
      return PLAIN;
    }
    return { style: "power", power: size, label: "" };
  }
  if (kind === "measure" && size <= -3) {
    const small = prefixed(unit) ? PREFIXED_UNITS[unit][0] : [];
    if (small.length) {
      const fitting = small.filter((p) => p <= size);
      if (!fitting.length) return { style: "power", power: size, label: "" };
      const power = Math.max(...fitting);
      return { style: "prefix", power, label: SMALL_PREFIXES[power] };
    }
    if (size <= -4) return { style: "power", power: size, label: "" };
  }
  return PLAIN;
}

// The digits of |number| / 10^shift with `decimals` places, as a plain decimal ("8.50"): the rounding is
// already done, so that writing it in a language only changes its symbols.
function fixed(number, shift, decimals) {
  const exponent = number.digits ? number.exponent - shift : -1;
  const digit = (position) => {
    const i = exponent - position;
    return i >= 0 && i < number.digits.length ? number.digits[i] : "0";
  };
  let whole = "";
  for (let p = Math.max(exponent, 0); p >= 0; p--) whole += digit(p);
  let fraction = "";
  for (let p = 1; p <= decimals; p++) fraction += digit(-p);
  return fraction ? `${whole}.${fraction}` : whole;
}

function written(number, place, scale, kind, unit, locale, showUnit) {
  const zero = !number.digits && (scale.style === "word" || scale.style === "power");
  const decimals = zero ? 0 : Math.max(0, scale.power - place); // an axis's "0", not "0.0 billion"
  const plain = fixed(number, scale.power, decimals);
  let text = locale.digits(plain, { grouped: kind !== "year" });
  if (zero) return unit && showUnit ? `${text} ${unit}` : text;
  if (number.negative && number.digits) text = MINUS + text;
  if (scale.style === "word") text = `${text} ${locale.word(scale.power, plain)}`;
  else if (scale.style === "power") text = `${text} × 10${[...String(scale.power)].map((c) => SUPERSCRIPT[c]).join("")}`;
  if (scale.style === "prefix") return `${text} ${scale.label}${unit}`;
  return unit && showUnit ? `${text} ${unit}` : text;
}

const wholePlace = (kind, place) => (kind === "count" || kind === "year" ? Math.max(place, 0) : place);

// A value of a kind and unit, its last digit at 10^place; without a place, as exactly as it is known
// (six significant figures). `scale` ({value}) writes it in another value's scale (an axis's ticks).
export function formatQuantity(value, kind = "measure", unit = "", { place = null, language = pageLanguage(), showUnit = true, scale = null } = {}) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "–";
  const locale = localeFor(language);
  let number = decompose(value);
  if (place === null || place === undefined) {
    const exact = roundAt(number, number.exponent - 5);
    place = wholePlace(kind, exact.digits ? lastPlace(exact) : 0);
  } else place = wholePlace(kind, place);
  number = roundAt(number, place);
  const scaled = scale ? roundAt(decompose(scale.value), place) : number;
  return written(number, place, scaleFor(scaled, place, kind, unit, locale), kind, unit, locale, showUnit);
}

// A value in plain grouped digits, whatever its size ("7,400,000,000"): how a digit-grouping example reads.
export function digitsText(value, place, { language = pageLanguage() } = {}) {
  return written(roundAt(decompose(value), place), place, PLAIN, "measure", "", localeFor(language), false);
}

// A curve's mean and σ, both to σ's precision and in the mean's scale: ["5.0 µm", "2.5 µm"].
export function formatCurve(mean, sd, kind = "measure", unit = "", { language = pageLanguage() } = {}) {
  if (!Number.isFinite(mean) || !Number.isFinite(sd)) return ["–", "–"];
  const locale = localeFor(language);
  const sdPlace = spreadPlace(sd);
  const meanPlace = wholePlace(kind, sdPlace);
  const roundedMean = roundAt(decompose(mean), meanPlace);
  const scale = scaleFor(roundedMean, meanPlace, kind, unit, locale);
  return [
    written(roundedMean, meanPlace, scale, kind, unit, locale, true),
    written(roundAt(decompose(Math.abs(sd)), sdPlace), sdPlace, scale, kind === "year" ? "measure" : kind, unit, locale, true),
  ];
}

// A log-scale market's curve as people say it, ["1,000 piano tuners", "2.7"] for "about 1,000 piano tuners,
// give or take a factor of 2.7": the median to the digits median·σ_ln warrants, e^σ_ln to two figures.
export function formatLogCurve(median, sdLog, kind = "measure", unit = "", { language = pageLanguage() } = {}) {
  if (!Number.isFinite(median) || !Number.isFinite(sdLog)) return ["–", "–"];
  const [text] = formatCurve(median, median * sdLog, kind, unit, { language });
  const factor = Math.exp(sdLog);
  const place = decompose(factor).exponent - 1;
  return [text, formatQuantity(factor, "measure", "", { place, language, showUnit: false })];
}

export const kindOf = (market) => market.kind || (market.integer ? "count" : "measure");

// A market's quantity as its screens show it: to the digits the market's curve warrants (or `place`,
// or exactly with {exact: true}); withUnit false leaves the unit to a label nearby (axis ticks).
export function quantity(value, market, withUnit = true, { place, exact = false, scale = null } = {}) {
  const at = exact ? null : place ?? spreadPlace(spreadOf(market));
  return formatQuantity(value, kindOf(market), market.unit || "", { place: at, showUnit: withUnit, scale });
}

// A guess's middle (or the guesses' average) as every screen writes it: one digit finer than the market's
// curve, so that guesses a little apart read apart; the same figure on the wall, the phone and the host's.
export function guessText(value, market) {
  return quantity(value, market, true, { place: spreadPlace(spreadOf(market)) - 1 });
}

// How far a market's curve is sure, in x: σ, or on a log market median × σ of ln x (the digits it warrants).
export const spreadOf = (market) => (market.scale === "log" ? market.median * market.sd_log : market.sd);

// A curve of this market ({mean, sd}) as {mean, sd} texts, for "{mean} ± {sd}". On a log market the curve is
// {median, sd_log}, written as {median, factor} for "about {median}, give or take a factor of {factor}"
// (e^sd_log to two significant figures); `mean` and `sd` then hold the median and "×factor".
export function curveText(curve, market) {
  if (market.scale === "log") {
    const [median, factor] = formatLogCurve(curve.median, curve.sd_log, kindOf(market), market.unit || "");
    return { mean: median, sd: `×${factor}`, median, factor };
  }
  const [mean, sd] = formatCurve(curve.mean, curve.sd, kindOf(market), market.unit || "");
  return { mean, sd };
}

// The same with the word, prefix and unit said once, after σ, for a phone's one line: "500 ± 250 beans",
// "8.5 ± 2.0 billion people", "5.0 ± 2.5 µm". A power of ten stays on both ("5.0 × 10⁷ ± 2.0 × 10⁷ m").
export function curveLine(curve, market, { language = pageLanguage() } = {}) {
  const { mean, sd } = curve;
  if (!Number.isFinite(mean) || !Number.isFinite(sd)) return { mean: "–", sd: "–" };
  const kind = kindOf(market);
  const unit = market.unit || "";
  const locale = localeFor(language);
  const sdPlace = spreadPlace(sd);
  const meanPlace = wholePlace(kind, sdPlace);
  const roundedMean = roundAt(decompose(mean), meanPlace);
  const scale = scaleFor(roundedMean, meanPlace, kind, unit, locale);
  const bare = scale.style === "power" ? scale : { ...scale, style: "plain", label: "" };
  return {
    mean: written(roundedMean, meanPlace, bare, kind, unit, locale, false),
    sd: written(roundAt(decompose(Math.abs(sd)), sdPlace), sdPlace, scale, kind === "year" ? "measure" : kind, unit, locale, true),
  };
}

// |value| to at most `decimals` places, halves away from zero, no trailing zeros ("1,5", "12"), in the page's
// language (mmgame.numbers.formatting.up_to).
export function upTo(value, decimals, { language = pageLanguage() } = {}) {
  const rounded = roundAt(decompose(Math.abs(value)), -decimals);
  const shown = rounded.digits ? Math.max(0, -lastPlace(rounded)) : 0;
  return localeFor(language).digits(fixed(rounded, 0, shown));
}

export function number(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : digits;
  const text = upTo(value, decimals);
  return value < 0 && text.replace(/[^1-9]/gu, "") ? MINUS + text : text;
}

// Points with a sign that does not rely on colour: one decimal below ten, none above (templatetags/points.py).
export function points(value) {
  if (!Number.isFinite(value)) return "–";
  const text = upTo(value, Math.abs(value) < 10 ? 1 : 0);
  return value > 0.05 ? `+${text}` : value < -0.05 ? `−${text}` : text;
}

// Fill "{name}" placeholders in a translated string.
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : `{${key}}`));
}
