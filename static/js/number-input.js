// Fields for numbers as people type them: each says back how it read the number ("Reads as 8.546 billion
// people") or why it could not, before anything is sent; its magnitude chooser offers the prefixes the
// market's unit takes (µm, km) besides thousand/million/billion, for keypads without letters.
import { PREFIXED_UNITS, fill, formatQuantity, localeFor, pageLanguage } from "./format.js";
import { readNumber } from "./parse.js";

const SMALL = { "-3": "m", "-6": "µ", "-9": "n", "-12": "p" };
const LARGE = { 3: "k", 6: "M", 9: "G", 12: "T" };

function prefixOptions(unit) {
  if (!Object.hasOwn(PREFIXED_UNITS, unit)) return [];
  const [small, large] = PREFIXED_UNITS[unit];
  return [...large.map((p) => LARGE[p] + unit), ...small.map((p) => SMALL[p] + unit)];
}

// Keep the chooser's words and offer the unit's prefixes; the choice survives when it is still offered.
function offer(select, unit) {
  const chosen = select.value;
  select.querySelectorAll("option[data-prefix]").forEach((o) => o.remove());
  for (const label of prefixOptions(unit)) {
    const option = new Option(label, label);
    option.dataset.prefix = "";
    select.append(option);
  }
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : "";
}

const chooserOf = (input) => input.magnitude || (input.id ? document.querySelector(`[data-magnitude-for="${input.id}"]`) : null);

// The text a field and its chooser say together: "8.5" and billion is "8.5 e9".
export function typedText(input) {
  const select = chooserOf(input);
  const text = input.value.trim();
  return select && select.value && text ? `${text} ${select.value}` : text;
}

// Read a field as the server will; show the reading, or the reason, in its <output>.
export function sayBack(input, { kind, unit }) {
  const output = input.id ? document.querySelector(`[data-reading-for="${input.id}"]`) : null;
  const select = chooserOf(input);
  if (select) offer(select, unit);
  const text = typedText(input);
  if (!text) {
    if (output) output.textContent = "";
    input.removeAttribute("aria-invalid");
    return null;
  }
  const reading = readNumber(text, { unit });
  if (reading.text === undefined) {
    input.setAttribute("aria-invalid", "true");
    if (output) output.textContent = reading.message;
    return null;
  }
  input.removeAttribute("aria-invalid");
  const value = Number(reading.text);
  if (output) output.textContent = fill(output.dataset.readsAs || "Reads as {value}", { value: readingText(reading, kind, unit) });
  return value;
}

// How a reading is said back: as the page writes the number, except where the typed text could be read two
// ways ("1.500"): then in digits no one can misread, without grouping ("1500" or "1,5").
export function readingText(reading, kind, unit) {
  if (!reading.ambiguous) return formatQuantity(Number(reading.text), kind, unit);
  const negative = reading.text.startsWith("-");
  const digits = localeFor(pageLanguage()).digits(reading.text.replace("-", ""), { grouped: false });
  return `${negative ? "\u2212" : ""}${digits}${unit ? ` ${unit}` : ""}`;
}

// Every typed-number field under root, said back as it is typed; context() gives the kind and unit now.
export function watchNumbers(root, context) {
  const all = () => root.querySelectorAll("input[data-number]");
  const update = (input) => sayBack(input, context(input));
  root.addEventListener("input", (event) => {
    if (event.target.matches("input[data-number]")) update(event.target);
    else if (event.target.matches("[data-magnitude-for]")) update(document.getElementById(event.target.dataset.magnitudeFor));
    else all().forEach(update); // the unit or the kind changed
  });
  root.addEventListener("change", (event) => {
    if (event.target.matches("[data-magnitude-for]")) update(document.getElementById(event.target.dataset.magnitudeFor));
  });
  all().forEach(update);
}

// The magnitudes a market's numbers may need beside a phone's keypad: words for large counts and plain
// measures, SI prefixes for a unit that takes them; none for years or for numbers a keypad types easily.
export function magnitudes(market, words) {
  const kind = market.kind || (market.integer ? "count" : "measure");
  const unit = market.unit || "";
  const size = Math.max(Math.abs(market.lo), Math.abs(market.hi));
  if (kind === "year") return [];
  if (kind === "measure" && Object.hasOwn(PREFIXED_UNITS, unit) && (size < 0.1 || size >= 1e5)) {
    return prefixOptions(unit).map((label) => [label, label]);
  }
  if (size >= 1e5) return [["e3", words.thousand || "thousand"], ["e6", words.million || "million"], ["e9", words.billion || "billion"]];
  return [];
}

// Put a magnitude chooser beside a field (or take it away when the market needs none); it starts at ×1.
// A market with values below zero asks for the full keyboard: some phones' decimal keypads have no minus.
export function attachChooser(input, market, words = {}) {
  input.inputMode = market.lo < 0 && input.name !== "sd" ? "text" : "decimal";
  const choices = magnitudes(market, words);
  let select = input.magnitude;
  if (!choices.length) {
    if (select) select.remove();
    input.magnitude = null;
    return;
  }
  if (!select) {
    select = document.createElement("select");
    select.className = "magnitude";
    select.setAttribute("aria-label", words.magnitude || "Magnitude");
    select.forInput = input;
    input.magnitude = select;
    // Beside the field's label, not inside it: the label names the field alone ("Mean", not "Mean ×1").
    const label = input.closest("label");
    const box = document.createElement(label ? "div" : "span");
    box.className = label ? "typed-number labelled" : "typed-number";
    (label || input).replaceWith(box);
    box.append(label || input, select);
  }
  select.replaceChildren(new Option("×1", ""), ...choices.map(([value, label]) => new Option(label, value)));
}

// A field for a plain number that takes no magnitude (a log market's factor, "×3"): no chooser beside it,
// the decimal keypad.
export function plainField(input) {
  input.inputMode = "decimal";
  if (input.magnitude) input.magnitude.remove();
  input.magnitude = null;
}
