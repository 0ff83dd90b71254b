// Fields for numbers as people type them: each says back how it read the number ("Reads as 8.546 billion
// people") or why it could not, before anything is sent; its magnitude chooser offers the prefixes the
// market's unit takes (µm, km) besides thousand/million/billion, for keypads without letters.
import { PREFIXED_UNITS, fill, formatQuantity } from "./format.js";
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

// The text a field and its chooser say together: "8.5" and billion is "8.5 e9".
export function typedText(input) {
  const select = document.querySelector(`[data-magnitude-for="${input.id}"]`);
  const text = input.value.trim();
  return select && select.value && text ? `${text} ${select.value}` : text;
}

// Read a field as the server will; show the reading, or the reason, in its <output>.
export function sayBack(input, { kind, unit }) {
  const output = document.querySelector(`[data-reading-for="${input.id}"]`);
  const select = document.querySelector(`[data-magnitude-for="${input.id}"]`);
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
  if (output) output.textContent = fill(output.dataset.readsAs || "Reads as {value}", { value: formatQuantity(value, kind, unit) });
  return value;
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
