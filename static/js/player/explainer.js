// The first-time explainer: the curve, a forecast and the risk in three sentences (about 20 seconds to read),
// shown once per browser while nothing else asks for the student's attention (the lobby, a question being
// read, the guesses revealed), never over the forecast and Confirm. "Got it" skips it; once it has been on
// screen and the round moves on to a forecast, it is not shown again either. "How it works" in the header
// opens it at any time (a student who joined during trading never had it), until "Got it".
const SEEN = "mmgame.explained";
const QUIET = ["lobby", "question", "guesses"];

function seen() {
  try {
    return window.localStorage.getItem(SEEN) === "1";
  } catch {
    return true; // no storage (a private window that forbids it): never risk showing it on every page
  }
}

function remember() {
  try {
    window.localStorage.setItem(SEEN, "1");
  } catch {
    // nothing to do: the card simply goes for this page
  }
}

export function explainer(node, T, opener = null) {
  let shown = false;
  let asked = false; // opened from the header: stays until "Got it", whatever the phase
  const $ = (name) => node.querySelector(`[data-bind=${name}]`);
  $("explain-title").textContent = T.explain_title;
  $("explain-curve").textContent = T.explain_curve;
  $("explain-forecast").textContent = T.explain_forecast;
  $("explain-risk").textContent = T.explain_risk;
  $("explain-skip").textContent = T.explain_skip;
  $("explain-skip").addEventListener("click", () => {
    remember();
    asked = false;
    node.hidden = true;
    opener?.setAttribute("aria-expanded", "false");
  });
  opener?.addEventListener("click", () => {
    asked = true;
    node.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    node.scrollIntoView({ block: "start" });
  });
  // Called on each render with the screen's phase.
  return function show(phase) {
    if (asked) return;
    const quiet = QUIET.includes(phase);
    if (shown && !quiet) remember(); // it was there to read; the round has moved on
    node.hidden = !quiet || seen();
    shown ||= !node.hidden;
  };
}
