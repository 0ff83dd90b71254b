// The host's page: the control room (static/js/control.js) drives the round live from the socket; below it
// the markets, players and board stay current: when a player joins, the board moves or a market changes
// status or phase, redraw those parts from the server's own HTML (the forms inside carry their CSRF tokens),
// never mid-typing. Countdowns tick between redraws.
import { everySecond, showCountdown } from "./countdown.js";
import { formatQuantity } from "./format.js";
import { ControlRoom } from "./control.js";
import { followGame, socketUrl } from "./live.js";
import { orderMarkets } from "./market-order.js";
import { sayBack, typedText, watchNumbers } from "./number-input.js";
import { Store } from "./store.js";

const T = JSON.parse(document.getElementById("strings").textContent);
const root = document.getElementById("controls");
const parts = ["markets-section", "players-section", "board-section"];
let timer = null;

// Steps that cannot be undone ask first (forms marked data-confirm; they are re-rendered, so listen above them).
// "{value}" in the question is the true value as it was read ("8,546,000,000" → 8.546 billion people), to
// catch a slip before it pays out; a value that cannot be read is not sent.
// A field speaks of its market: the control room's answer field says so on itself (control.js), a market's
// resolve form on the form; without either, a measure. A year is never read back with separators ("1687").
const marketOf = (input) => {
  const said = input.dataset.kind ? input.dataset : input.form?.dataset ?? {};
  return { kind: said.kind || "measure", unit: said.unit || "" };
};

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
const dragging = orderMarkets({ T, redraw: () => refresh(true) });

// `force`: the host's own step in that part (a market moved) redraws it even though it holds the focus.
async function refresh(force = false) {
  const response = await fetch(location.href, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of parts) {
    const here = document.getElementById(id);
    const there = fresh.getElementById(id);
    if (!here || !there || (!force && (here.contains(document.activeElement) || dragging()))) continue;
    here.replaceWith(there);
  }
  tick();
}

function refreshSoon() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 300); // one fetch for a burst of news
}

// A market update matters to the list when the market's status, phase, number (another tab moved it) or
// countdown differs from what it shows, or a market not yet shown was edited (its sequence moved on).
function shownDifferently(market) {
  const row = document.getElementById(`market-${market.id}`);
  if (!row) return true;
  const shown = row.dataset.closesAt ? Date.parse(row.dataset.closesAt) : null;
  const sent = market.closes_at ? Date.parse(market.closes_at) : null;
  const edited = row.dataset.phase === "draft" && Number(row.dataset.sequence) !== market.sequence;
  return (
    row.dataset.status !== market.status ||
    row.dataset.phase !== market.phase ||
    Number(row.dataset.market) !== market.number ||
    edited ||
    shown !== sent
  );
}

function tick() {
  for (const node of root.querySelectorAll(".countdown[data-closes-at]")) {
    showCountdown(node, { status: "open", closes_at: node.dataset.closesAt }, T);
  }
}

// The control room at the top follows the host's socket; the list below is the server's HTML, refreshed.
const store = new Store();
const json = (id) => JSON.parse(document.getElementById(id).textContent);
const control = new ControlRoom(document.getElementById("stage"), { store, T, answers: json("answers") });

let loaded = false;
followGame(socketUrl(root.dataset.game, "host"), store, {
  onStatus: (state, code) => {
    root.dataset.live = state;
    const node = document.querySelector("[data-bind=stage-connection]");
    node.dataset.state = state;
    node.textContent = state === "live" ? T.live : state === "closed" ? T[`closed_${code}`] || T.closed : T[state];
  },
  // The list below is the server's HTML: fetch it again when what it shows changed.
  onChange: (message, before) => {
    if (message.type === "snapshot") {
      if (loaded && message.markets.some(shownDifferently)) refreshSoon(); // the page itself shows the first
      loaded = true;
    } else if (message.type !== "update" || !before || shownDifferently(store.markets.get(message.market_id))) {
      refreshSoon();
    }
    control.render();
  },
});

everySecond(() => {
  tick();
  if (store.ready) control.showTimer(control.current());
  if (store.ready) control.showAutopilot(control.current());
});
