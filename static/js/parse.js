// Typed text read as a number, as people type it (mmgame/numbers/parsing.py is the twin, to the character):
// "8,546,000,000", "8 546 000 000", "8.5e9", "8.5 × 10^9", "8.5 billion", "2 µm" on a market in metres, "5k",
// "8.5M"; and in the page's language its decimal comma, its grouping and its words ("8,5 Milliarden",
// "8,5 mil millones"), CLDR's long and short forms as the browser's Intl has them. English forms are read in
// every language; where a word means another power in the page's language ("billion" in German), the page's
// language wins. A separator that appears once before exactly three digits is ambiguous ("1.500"): the page's
// decimal mark if it is that, else a thousands separator, and the reading says so ({ambiguous: true}).
// readNumber answers {text, ambiguous} (the exact decimal written out: "8546000000") or {reason, message}.
import { PREFIXED_UNITS, digitsText, fill, formatQuantity, languageOf, localeFor, pageLanguage } from "./format.js";

const LARGEST_SIZE = 15;
// English forms CLDR does not list, read in every language; SI multipliers, read as typed ("m" is no million).
const ENGLISH_ABBREVIATIONS = { k: 3, mn: 6, bn: 9, tn: 12, millions: 6, billions: 9, trillions: 12 };
const SI_MULTIPLIERS = { k: 3, M: 6, G: 9, T: 12 };
const PREFIXES = { m: -3, "µ": -6, n: -9, p: -12, k: 3, M: 6, G: 9, T: 12, u: -6 };
const SUPERSCRIPTS = { "⁻": "-", "⁺": "+", "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9" };
const SHAPE = /^(?<sign>[+-]?) ?(?<number>[0-9][0-9.,' ]*[0-9]|[0-9])(?: ?(?:[eE](?<e>[+-]?[0-9]+)|(?:[x×*·] ?10 ?(?:\^ ?)?(?<power>[+-]?[0-9]+))))? ?(?<rest>.*)$/su;
// The English templates; a page in another language hands its translations in #number-messages (the
// server's {% number_messages %}). {grouped}, {scientific}, {words}, {decimal}, {mark}: examples().
export const MESSAGES = {
  empty: "Type a number.",
  not_a_number: "Type a number, like {grouped}, {scientific} or {words}.",
  grouping: "Group the digits in threes, like {grouped}; decimals go after “{mark}”, like {decimal}.",
  unit: "This question is in {unit}.",
  no_unit: "This question has no unit: type the number alone.",
  too_large: "That number is too large: at most 10^15.",
  too_small: "That number is too close to 0: type 0, or a number of at least 10^-99 in size.",
};

function templates() {
  const element = typeof document !== "undefined" && document.getElementById("number-messages");
  return element ? { ...MESSAGES, ...JSON.parse(element.textContent) } : MESSAGES;
}

// How numbers are typed in a language, for its messages: each is read back in that language.
export function examples(language) {
  const locale = localeFor(language);
  return {
    grouped: digitsText(8_546_000_000, 0, { language: locale.code }),
    scientific: `${locale.digits("8.5")}e9`,
    words: formatQuantity(8.5e9, "count", "", { place: 8, language: locale.code }),
    decimal: locale.digits("2.5"),
    mark: locale.decimal,
  };
}

const wordTables = new Map();
// The words CLDR has for 10^3 to 10^12 in a language, long and short, every plural form, lower case, each
// with the power it stands for ({"milliarden": 9, "mrd.": 9, ...}); a one-letter short form ("B") is left out,
// it would be read instead of a unit. The same table as the server's (locales.cldr_words), from Intl.
export function cldrWords(language) {
  const code = languageOf(language);
  if (wordTables.has(code)) return wordTables.get(code);
  const found = {};
  for (const compactDisplay of ["long", "short"]) {
    const format = new Intl.NumberFormat(code, { notation: "compact", compactDisplay });
    for (const power of [3, 6, 9, 12]) {
      for (const n of [1, 1.5, 2]) {
        const parts = format.formatToParts(n * 10 ** power);
        const word = parts.filter((p) => p.type === "compact").map((p) => p.value).join("").trim().replaceAll("'", "").toLowerCase();
        const digits = parts.filter((p) => p.type === "integer").map((p) => p.value).join("");
        if (!digits) continue; // French's "mille" alone, for exactly 1000
        if ([...word].length < 2 || /[0-9]/u.test(word)) continue;
        for (const form of [word, word.replace(/\.$/u, "")]) if (!Object.hasOwn(found, form)) found[form] = power - (digits.length - 1); // "Mrd" for "Mrd."
      }
    }
  }
  wordTables.set(code, found);
  return found;
}

const wordsOf = (language) => ({ ...cldrWords("en"), ...ENGLISH_ABBREVIATIONS, ...cldrWords(language) });

class Unreadable extends Error {
  constructor(reason, unit = "") {
    super(reason);
    this.reason = reason;
    this.unit = unit;
  }
}

// One separator, followed by exactly three digits: "1.500" is 1500 in German and 1.5 in English.
function isAmbiguous(number) {
  const marks = [...number].map((ch, i) => (",. '".includes(ch) ? i : -1)).filter((i) => i >= 0);
  return marks.length === 1 && ",.".includes(number[marks[0]]) && number.length - marks[0] - 1 === 3;
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
  const space = rest.indexOf(" ");
  const head = space < 0 ? rest : rest.slice(0, space);
  const tail = space < 0 ? "" : rest.slice(space + 1).trim();
  if (Object.hasOwn(SI_MULTIPLIERS, head)) return SI_MULTIPLIERS[head] + (tail ? unitPower(tail, unit) : 0);
  const lowered = rest.toLowerCase();
  const words = Object.entries(wordsOf(language)).sort(([a], [b]) => b.length - a.length);
  for (const [word, power] of words) {
    if (lowered === word || lowered.startsWith(`${word} `)) {
      const after = rest.slice(word.length).trim();
      return power + (after ? unitPower(after, unit) : 0);
    }
  }
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
  let cleaned = text.replaceAll("\u2212", "-").replaceAll("μ", "µ").replaceAll("’", "'");
  cleaned = cleaned.replace(/[\s\u00a0\u202f\u2009\u2007]+/gu, " ").trim();
  cleaned = cleaned.replace(/10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)/gu, (_, p) => `10^${[...p].map((c) => SUPERSCRIPTS[c]).join("")}`);
  const shape = SHAPE.exec(cleaned);
  if (!shape) throw new Unreadable("not_a_number");
  const g = shape.groups;
  const [whole, fraction] = digitsOf(g.number, localeFor(language).decimal);
  const exponentText = g.e || g.power || "0";
  if (exponentText.replace(/^[+-]/, "").replace(/^0+/, "").length > 2) {
    throw new Unreadable(exponentText.startsWith("-") ? "too_small" : "too_large"); // 1e-400 is tiny, not too large
  }
  const power = Number(exponentText) - fraction.length + scaleAndUnit(g.rest.trim(), unit, language);
  const digits = (whole + fraction).replace(/^0+/, "");
  const size = digits.length + power - 1;
  if (digits && (size > LARGEST_SIZE || (size === LARGEST_SIZE && digits.replace(/0+$/, "") !== "1"))) throw new Unreadable("too_large");
  return { text: plain(g.sign === "-", whole + fraction, power), ambiguous: isAmbiguous(g.number) };
}

// Typed text in the page's language (or `language`): {text, ambiguous}, or {reason, message} with a message
// in the page's words that shows how to type a number in its language.
export function readNumber(text, { unit = "", language } = {}) {
  const code = languageOf(language || pageLanguage());
  try {
    return read(text, unit, code);
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    return { reason: error.reason, message: fill(templates()[error.reason], { unit, ...examples(code) }) };
  }
}

// The number a market's field holds, or null: what a form reads before it sends anything.
export function readQuantity(text, market) {
  const reading = readNumber(text, { unit: market.unit || "" });
  return reading.text === undefined ? null : Number(reading.text);
}
