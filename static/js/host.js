// The host's control page stays current: when a player joins, the board moves or a market changes status
// (a countdown starts or ends), redraw its live parts from the server's own HTML (the forms inside carry
// their CSRF tokens), never mid-typing. Countdowns tick between redraws.
import { everySecond, showCountdown } from "./countdown.js";
import { formatQuantity } from "./format.js";
import { Live, socketUrl } from "./live.js";
import { sayBack, typedText, watchNumbers } from "./number-input.js";

const T = JSON.parse(document.getElementById("strings").textContent);
const root = document.getElementById("controls");
const parts = ["markets-section", "players-section", "board-section"];
let timer = null;

// Steps that cannot be undone ask first (forms marked data-confirm; they are re-rendered, so listen above them).
// "{value}" in the question is the true value as it was read ("8,546,000,000" → 8.546 billion people), to
// catch a slip before it pays out; a value that cannot be read is not sent.
const marketOf = (input) => ({ kind: input.form?.dataset.kind || "measure", unit: input.form?.dataset.unit || "" });

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset?.confirm;
  if (!question) return;
  const input = form.querySelector("input[name=outcome]");
  let shown = "";
  if (input) {
    const value = sayBack(input, marketOf(input));
    if (value === null) {
      event.preventDefault();
      input.focus();
      return;
    }
    const { kind, unit } = marketOf(input);
    shown = formatQuantity(value, kind, unit);
    const typed = typedText(input);
    if (![shown, formatQuantity(value, kind, unit, { showUnit: false })].includes(typed)) shown += ` (${typed})`;
  }
  if (!window.confirm(question.split("{value}").join(shown))) event.preventDefault(); // "$&" typed stays as typed
});
watchNumbers(document, marketOf);

async function refresh() {
  const response = await fetch(location.href, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of parts) {
    const here = document.getElementById(id);
    const there = fresh.getElementById(id);
    if (here && there && !here.contains(document.activeElement)) here.replaceWith(there);
  }
  tick();
}

function refreshSoon() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 300); // one fetch for a burst of news
}

// A market update matters to this page when the market's status or countdown differs from what it shows.
function shownDifferently(market) {
  const row = document.getElementById(`market-${market.id}`);
  if (!row) return true;
  const shown = row.dataset.closesAt ? Date.parse(row.dataset.closesAt) : null;
  const sent = market.closes_at ? Date.parse(market.closes_at) : null;
  return row.dataset.status !== market.status || shown !== sent;
}

function tick() {
  for (const node of root.querySelectorAll(".countdown[data-closes-at]")) {
    showCountdown(node, { status: "open", closes_at: node.dataset.closesAt }, T);
  }
}

new Live(socketUrl(root.dataset.game, "host"), {
  onStatus: (state) => {
    root.dataset.live = state;
  },
  onMessage: (message) => {
    if (message.type === "update" && shownDifferently(message.market)) refreshSoon();
    else if (message.type === "snapshot" && message.markets.some(shownDifferently)) refreshSoon();
    else if (["player", "leaderboard", "game"].includes(message.type)) refreshSoon();
  },
});

everySecond(tick);
