// A forecast being typed or dragged survives a reload (a phone that slept, a tab the browser dropped, a
// student who pulled to refresh): kept in this tab's sessionStorage for its game, market and phase, and
// gone once it is traded or locked in, or the round moves on. What is kept is the fields' text, as typed
// (a magnitude chosen beside a field included), so the page reads it back as if it were typed again.
import { typedText } from "../number-input.js";
import { FIELDS } from "./forecast.js";

const KEY = "mmgame-draft";

export function keepDraft(where, form, draft, typed) {
  try {
    if (!draft) {
      sessionStorage.removeItem(KEY);
      return;
    }
    const fields = Object.fromEntries(FIELDS.map((name) => [name, form.elements[name] ? typedText(form.elements[name]) : ""]));
    const range = typed.includes("from");
    sessionStorage.setItem(KEY, JSON.stringify({ ...where, fields, range, mode: form.elements.mode?.value ?? null }));
  } catch {
    // Storage refused (private mode, full): a reload starts from the market, as it always did.
  }
}

// The kept forecast of this game, market and phase, or null.
export function keptDraft(where) {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) || "null");
    return kept && Object.entries(where).every(([k, v]) => kept[k] === v) ? kept : null;
  } catch {
    return null;
  }
}
