// Typed text read as a number, as people type it (mmgame/numbers/parsing.py is the twin, to the character):
// "8,546,000,000", "8 546 000 000", "8.5e9", "8.5 × 10^9", "8.5 billion", "2 µm" on a market in metres, a
// decimal comma where the language writes one. A separator that appears once and is followed by exactly
// three digits groups thousands ("1,500"); otherwise it is the decimal mark ("1,5" is 1.5).
// readNumber answers {text} (the exact decimal written out: "8546000000") or {reason, message}.
import { PREFIXED_UNITS, localeFor } from "./format.js";

const LARGEST_SIZE = 15;
const WORDS = {
  en: { thousand: 3, k: 3, million: 6, millions: 6, mn: 6, billion: 9, billions: 9, bn: 9, trillion: 12, trillions: 12, tn: 12 },
  de: { tausend: 3, k: 3, mio: 6, "mio.": 6, million: 6, millionen: 6, mrd: 9, "mrd.": 9, milliarde: 9, milliarden: 9, bio: 12, "bio.": 12, billion: 12, billionen: 12 },
  fr: { mille: 3, k: 3, million: 6, millions: 6, milliard: 9, milliards: 9, billion: 12, billions: 12 },
};
const PREFIXES = { m: -3, "µ": -6, n: -9, p: -12, k: 3, M: 6, G: 9, T: 12, u: -6 };
const SUPERSCRIPTS = { "⁻": "-", "⁺": "+", "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9" };
const SHAPE = /^(?<sign>[+-]?) ?(?<number>[0-9][0-9.,' ]*[0-9]|[0-9])(?: ?(?:[eE](?<e>[+-]?[0-9]+)|(?:[x×*·] ?10 ?(?:\^ ?)?(?<power>[+-]?[0-9]+))))? ?(?<rest>.*)$/su;
export const MESSAGES = {
  empty: "Type a number.",
  not_a_number: "Type a number, like 8,546,000,000, 8.5e9 or 8.5 billion.",
  grouping: "Group the digits in threes, like 8,546,000,000.",
  unit: "This question is in {unit}.",
  no_unit: "This question has no unit: type the number alone.",
  too_large: "That number is too large: at most 10^15.",
  too_small: "That number is too close to 0: type 0, or a number of at least 10^-99 in size.",
};

class Unreadable extends Error {
  constructor(reason, unit = "") {
    super(MESSAGES[reason].replace("{unit}", unit));
    this.reason = reason;
  }
}

const isDigit = (ch) => ch >= "0" && ch <= "9";
const prefixed = (unit) => Object.hasOwn(PREFIXED_UNITS, unit);

function digitsOf(number, decimalMark) {
  let point = null;
  const marks = [...number].map((ch, i) => (ch === "," || ch === "." ? i : -1)).filter((i) => i >= 0);
  if (marks.length) {
    const last = marks[marks.length - 1];
    const kinds = new Set(marks.map((i) => number[i]));
    const once = number.split(number[last]).length - 1 === 1;
    if (kinds.size === 2) {
      if (!once) throw new Unreadable("grouping");
      point = last;
    } else if (once) {
      const after = number.length - last - 1;
      point = number[last] === decimalMark || after !== 3 ? last : null;
    }
  }
  const whole = point === null ? number : number.slice(0, point);
  const fraction = point === null ? "" : number.slice(point + 1);
  if ([...fraction].some((ch) => !isDigit(ch))) throw new Unreadable("grouping");
  const groups = whole.split(/[.,' ]/);
  if (groups.length > 1 && (!(groups[0].length >= 1 && groups[0].length <= 3) || groups.slice(1).some((g) => g.length !== 3))) {
    throw new Unreadable("grouping");
  }
  return [groups.join(""), fraction];
}

function unitPower(rest, unit) {
  if (rest === unit) return 0;
  if (prefixed(unit) && rest.endsWith(unit) && Object.hasOwn(PREFIXES, rest.slice(0, -unit.length))) return PREFIXES[rest.slice(0, -unit.length)];
  if (rest.toLowerCase() === unit.toLowerCase() && !prefixed(unit) && !(unit && prefixed(unit.slice(1)))) return 0;
  throw unit ? new Unreadable("unit", unit) : new Unreadable("no_unit");
}

function scaleAndUnit(rest, unit, language) {
  if (!rest) return 0;
  const words = language === "de" ? WORDS.de : { ...WORDS.en, ...(WORDS[language] || {}) };
  const space = rest.indexOf(" ");
  const head = space < 0 ? rest : rest.slice(0, space);
  const tail = space < 0 ? "" : rest.slice(space + 1).trim();
  if (Object.hasOwn(words, head.toLowerCase())) return words[head.toLowerCase()] + (tail ? unitPower(tail, unit) : 0);
  if (Object.hasOwn(words, rest.toLowerCase())) return words[rest.toLowerCase()];
  if (isDigit(rest[0]) || rest[0] === "." || rest[0] === ",") throw new Unreadable("grouping");
  return unitPower(rest, unit);
}

function plain(negative, digits, power) {
  digits = digits.replace(/^0+/, "");
  const trimmed = digits.replace(/0+$/, "");
  power += digits.length - trimmed.length;
  digits = trimmed;
  if (!digits) return "0";
  let text;
  if (power >= 0) text = digits + "0".repeat(power);
  else if (digits.length > -power) text = `${digits.slice(0, power)}.${digits.slice(power)}`;
  else text = `0.${"0".repeat(-power - digits.length)}${digits}`;
  return negative ? `-${text}` : text;
}

function read(text, unit, language) {
  if (typeof text !== "string" || !text.trim()) throw new Unreadable("empty");
  const lang = (language || "en").split("-")[0].toLowerCase();
  let cleaned = text.replaceAll("\u2212", "-").replaceAll("μ", "µ").replaceAll("’", "'");
  cleaned = cleaned.replace(/[\s\u00a0\u202f\u2009\u2007]+/gu, " ").trim();
  cleaned = cleaned.replace(/10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)/gu, (_, p) => `10^${[...p].map((c) => SUPERSCRIPTS[c]).join("")}`);
  const shape = SHAPE.exec(cleaned);
  if (!shape) throw new Unreadable("not_a_number");
  const g = shape.groups;
  const [whole, fraction] = digitsOf(g.number, localeFor(lang).decimal);
  const exponentText = g.e || g.power || "0";
  if (exponentText.replace(/^[+-]/, "").replace(/^0+/, "").length > 2) {
    throw new Unreadable(exponentText.startsWith("-") ? "too_small" : "too_large"); // 1e-400 is tiny, not too large
  }
  const power = Number(exponentText) - fraction.length + scaleAndUnit(g.rest.trim(), unit, lang);
  const digits = (whole + fraction).replace(/^0+/, "");
  const size = digits.length + power - 1;
  if (digits && (size > LARGEST_SIZE || (size === LARGEST_SIZE && digits.replace(/0+$/, "") !== "1"))) throw new Unreadable("too_large");
  return plain(g.sign === "-", whole + fraction, power);
}

export function readNumber(text, { unit = "", language } = {}) {
  try {
    return { text: read(text, unit, language || (typeof document !== "undefined" && document.documentElement.lang) || "en") };
  } catch (error) {
    if (error instanceof Unreadable) return { reason: error.reason, message: error.message };
    throw error;
  }
}

// The number a market's field holds, or null: what a form reads before it sends anything.
export function readQuantity(text, market) {
  const reading = readNumber(text, { unit: market.unit || "" });
  return reading.text === undefined ? null : Number(reading.text);
}
