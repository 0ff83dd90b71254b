// What each phase of the round shows, as the server's table says (mmgame/round.py, on every page as #round).
// Pages ask here rather than listing phases; what the host may do next comes with each market (`steps`).
const NONE = { order: [], phases: {} };
let table = null;

export function roundTable() {
  table ??= JSON.parse(document.getElementById("round")?.textContent || "null") || NONE;
  return table;
}

// A phase's row: shown, guess, guesses_shown, clues, live, answer_shown, needs, timer (mmgame.round.FLAGS).
export function shows(phase) {
  return roundTable().phases[phase] || {};
}
