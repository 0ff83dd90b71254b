// The player's market screen: the live curve, my forecast (dragged or typed), the quote, the trade, and
// my position, the boards and the feed one tap away. This module wires the others together and turns
// the server's news and the player's gestures into changes of `state` (state.js), then redraws (view.js).
import { followGame, socketUrl } from "../live.js";
import { everySecond } from "../countdown.js";
import { fill } from "../format.js";
import { attachChooser, plainField } from "../number-input.js";
import { FIELDS, atMarket, fieldOf, fromY, inY, marketCurve, readingOf, splitSpread, within, readFields, writeFields } from "./forecast.js";
import { showClue } from "./clue.js";
import { explainer } from "./explainer.js";
import { offerCurve } from "./offers.js";
import { watchGestures } from "./gestures.js";
import { quoter } from "./quotes.js";
import { guessCurve, guesser } from "./guesses.js";
import { keepDraft, keptDraft } from "./kept.js";
import { draftable, phase, state, store } from "./state.js";
import { watchTabs } from "./tabs.js";
import { trader } from "./trades.js";
import { screen } from "./view.js";

const T = JSON.parse(document.getElementById("strings").textContent);
const root = document.getElementById("play");
const form = root.querySelector("[data-bind=trade-form]");
const explain = explainer(root.querySelector("[data-bind=explainer]"), T, document.querySelector("[data-bind=explain-open]"));
const view = screen(root, T, explain);

const live = followGame(socketUrl(root.dataset.game, "player"), store, { onChange: changed, onStatus: connectionChanged });
const quoteSoon = quoter(live, view.renderTrade, T);
const trades = trader(live, { T, show: shown, quoteSoon });
const guesses = guesser(live, { T, show: shown });

// A draft survives a reload (kept.js): kept after every change once the page has looked for a kept one.
let lookedForKept = false;
let typedNames = [];
const here = () => ({ game: root.dataset.game, market: store.current?.id ?? null, phase: phase() });
function keep() {
  if (lookedForKept && store.current) keepDraft(here(), form, state.draft, typedNames);
}
function shown() {
  view.render();
  keep();
}

// On the first snapshot: the forecast this tab was typing before it reloaded, read back as if typed again.
function restoreKept() {
  if (lookedForKept || !store.current) return;
  lookedForKept = true;
  const kept = keptDraft(here());
  if (!kept || state.draft || !draftable()) return;
  if (kept.mode && form.elements.mode) {
    form.elements.mode.value = kept.mode;
    form.querySelectorAll("[data-mode]").forEach((n) => (n.hidden = n.dataset.mode !== kept.mode));
  }
  for (const name of FIELDS) {
    const input = form.elements[name];
    if (!input) continue;
    input.value = kept.fields[name] ?? "";
    if (input.magnitude) input.magnitude.value = ""; // the kept text carries the magnitude chosen
  }
  const read = readFields(form, store.current, kept.range ? "from" : "mean", T);
  if (!read.problem) draft(read.curve, { typed: read.typed, ambiguous: read.ambiguous, interval: read.interval });
}

function connectionChanged(connection, code) {
  state.connection = connection;
  state.closedCode = code ?? null;
  view.render();
}

// The form speaks the market's scale: on a log market "give or take" is a factor ("×3"), the rest is as on
// a linear one. The page holds a log market's words and tooltips beside the linear ones (data-say-log,
// data-title-log).
function speakScale(scale) {
  if (form.dataset.scale === scale) return;
  form.dataset.scale = scale;
  const log = scale === "log";
  form.querySelectorAll("[data-say-log]").forEach((n) => {
    n.dataset.sayLinear ??= n.textContent;
    n.textContent = log ? n.dataset.sayLog : n.dataset.sayLinear;
  });
  form.querySelectorAll("[data-title-log]").forEach((n) => {
    n.dataset.titleLinear ??= n.title;
    n.title = log ? n.dataset.titleLog : n.dataset.titleLinear;
  });
}

// A new market on screen, or a new phase of it, starts clean: no draft, no quote, no message about the last
// market's trade or guess; a new market's fields get a magnitude chooser (billion, µm) when its numbers need
// one, and the keyboard its signs need. A log market's factor is a plain number ("3", "×3"): it takes no magnitude.
function follow(market) {
  if (!market) return;
  const now = phase();
  if (state.marketId === market.id && state.phase === now) return;
  state.phase = now;
  state.draft = null;
  state.quote = null;
  state.problem = null;
  state.readBack = null;
  state.quoteError = null;
  state.offer = null;
  state.next = null;
  state.result = "";
  state.reason = null;
  state.atMarket = false;
  if (state.marketId === market.id) return;
  state.marketId = market.id;
  state.view = null; // another question, another axis
  state.wholeRange = false;
  state.draft = null;
  state.quote = null;
  state.problem = null;
  state.readBack = null;
  state.quoteError = null;
  state.result = "";
  speakScale(market.scale === "log" ? "log" : "linear");
  for (const name of FIELDS) {
    const input = form.elements[name];
    if (name === "sd" && market.scale === "log") plainField(input);
    else attachChooser(input, market, T);
    input.magnitude?.setAttribute("aria-describedby", "form-hint"); // says, like its field, why it is disabled
  }
}

// The private clue of the market on screen; the news that clues are out brings none (a snapshot does): ask once.
const askedClue = new Set();
function clue() {
  const market = store.markets.get(store.game?.current_market_id) ?? store.current;
  const nodes = { full: root.querySelector("[data-bind=clue]"), short: root.querySelector("[data-bind=clue-short]") };
  if (showClue(nodes, store, market, T) && !askedClue.has(market.id)) {
    askedClue.add(market.id);
    live.send({ type: "snapshot" });
  }
}

// What a frame the store applied (static/js/store.js `apply`) changes on this screen.
function changed(message) {
  switch (message.type) {
    case "snapshot":
      follow(store.current);
      trades.dropStaleNext();
      restoreKept();
      view.render();
      clue();
      trades.resend();
      if (state.draft) quoteSoon(); // the quote asked while the socket was down never came
      break;
    case "update":
      follow(store.current);
      if (message.market_id === store.current?.id) trades.dropStaleNext();
      if (state.atMarket) state.atMarket = atMarket(state.draft, store.current); // the market moved away
      if (state.draft && message.market_id === store.current?.id) quoteSoon(); // the price moved
      view.render();
      clue();
      break;
    case "leaderboard":
      view.renderBoards();
      view.renderPosition();
      break;
    case "game":
      follow(store.current);
      view.render();
      break;
    default:
      break;
  }
  keep(); // a new market or phase dropped the draft: so does the kept one
}

// A new draft from the curve or the fields: kept within what the market takes, then quoted. A typed one
// is said back as it was read, until the curve is dragged.
function draft(next, { typed = [], ambiguous = {}, interval = null } = {}) {
  const market = store.current;
  if (!market || !draftable()) return;
  // Typed numbers are kept as typed (the server offers the nearest forecast it takes); a finger stays within.
  state.draft = typed.length ? next : within(market, next);
  state.problem = null;
  state.next = null; // a new forecast: the moves offered after the last trade no longer apply
  const guessing = phase() === "guess";
  const readsAs = interval
    ? guessing ? T.reads_as_guess_range : T.reads_as_range
    : market.scale === "log" ? (guessing ? T.reads_as_guess_log : T.reads_as_log) : guessing ? T.reads_as_guess : T.reads_as;
  state.readBack = typed.length ? fill(readsAs, readingOf(state.draft, market, typed, ambiguous, interval)) : null;
  state.atMarket = !guessing && typed.length > 0 && atMarket(state.draft, market); // said, and not traded
  if (!state.pendingTrade) state.result = ""; // the message was about the last trade
  writeFields(form, state.draft, market, { except: typed });
  typedNames = typed;
  keep();
  quoteSoon();
  view.renderTrade();
}

// A finger moves the forecast in y (x, or ln x on a log axis): a bell curve {mean, sd} there.
watchGestures(document.getElementById("curve-chart"), {
  current: () => inY(phase() === "guess" ? guessCurve(store.current) : state.draft || marketCurve(store.current), store.current),
  move: (next) => draft(fromY(next, store.current)),
});

form.addEventListener("input", (event) => {
  const market = store.current;
  if (!market) return;
  if (event.target.name === "reason") {
    state.reason = event.target.value; // sent with the guess when it is locked in
    return;
  }
  if (event.target.name === "mode") {
    const mode = form.elements.mode.value;
    form.querySelectorAll("[data-mode]").forEach((n) => (n.hidden = n.dataset.mode !== mode));
    return;
  }
  const read = readFields(form, market, fieldOf(event.target), T);
  if (read.problem) {
    // Say what is wrong and quote nothing, rather than quietly trading something else.
    state.problem = read.problem;
    state.readBack = null;
    state.draft = null;
    state.quote = null;
    keep();
    view.renderTrade();
    return;
  }
  draft(read.curve, { typed: read.typed, ambiguous: read.ambiguous, interval: read.interval });
});

// "400 ± 100" typed into the middle field is read as it is typed (readFields); once the student leaves the
// field, its two numbers go where they belong.
form.addEventListener("change", (event) => {
  const market = store.current;
  if (event.target.name !== "mean" || !market || market.scale === "log") return;
  const split = splitSpread(event.target.value);
  if (!split) return;
  event.target.value = split[0];
  form.elements.sd.value = split[1];
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (phase() === "guess") guesses.lockIn();
  else trades.confirm("target");
});
root.querySelector("[data-bind=toward]").addEventListener("click", () => trades.confirm("toward"));
// The nearest forecast the market takes, one tap: locked in as a guess, or traded (offers.js).
root.querySelector("[data-bind=offer]").addEventListener("click", () => {
  // Until the server's quote comes, the page's own reckoning of the nearest affordable forecast stands for its
  // offer (reach.js): a finger that stops beyond the budget can take it at once.
  if (!state.offer && !state.quote && !state.quoteError && phase() === "trading") state.offer = state.reach?.offer ?? null;
  if (!state.offer || !store.current) return;
  if (phase() === "guess") guesses.lockIn(offerCurve(state.offer, store.current));
  else trades.takeOffer(form);
});
root.querySelector("[data-bind=next]").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-move]");
  if (button) trades.takeNext(Number(button.dataset.move));
});
// The chart's zoom: on the curves, or the whole range.
root.querySelector("[data-bind=zoom]").addEventListener("click", () => {
  state.wholeRange = !state.wholeRange;
  state.view = null;
  view.renderTrade();
});
root.querySelector("[data-bind=pnl]").addEventListener("click", () => {
  state.detailOpen = !state.detailOpen;
  view.renderTrade();
});

watchTabs(root.querySelector("[data-bind=tabs]"), { changed: () => view.render() });

// A phone's URL bar and keyboard fire resize as they come and go: redraw once a frame, and only for a new width.
let width = window.innerWidth;
let redraw = 0;
window.addEventListener("resize", () => {
  if (window.innerWidth === width || redraw) return;
  redraw = requestAnimationFrame(() => {
    redraw = 0;
    width = window.innerWidth;
    view.render();
  });
});
everySecond(view.renderCountdown);
