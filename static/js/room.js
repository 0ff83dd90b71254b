// The projector: one page on the wall that follows the game by itself. The lobby (how to join, who has)
// until a market opens; the live market; its answer and the lesson once it resolves; the podium at the end.
import { drawCurves, drawHistory } from "./chart.js";
import { curveText, fill, points, quantity } from "./format.js";
import { Live, socketUrl } from "./live.js";
import { Store, curveHistory, lesson } from "./store.js";
import { bind, boardRows, botMark, feedRows, statusText } from "./screen.js";
import { everySecond, showCountdown } from "./countdown.js";
import { Focus } from "./focus.js";
import { drawForecasts } from "./forecasts.js";
import { fullScreenButton } from "./fullscreen.js";
import { PodiumShow } from "./podium.js";

const T = JSON.parse(document.getElementById("strings").textContent);
const root = document.getElementById("room");
const $ = bind(root);
const store = new Store();
const focus = new Focus();
const podium = new PodiumShow($("podium"), $("podium-rest"), T);

const live = new Live(socketUrl(root.dataset.game, "projector"), {
  onStatus: (state, code) => {
    const node = $("connection");
    node.dataset.state = state;
    node.textContent = state === "live" ? "" : state === "closed" ? T[`closed_${code}`] || T.closed : T[state];
  },
  onMessage: (message) => {
    if (message.type === "snapshot") {
      const before = store.ready ? store.markets : null;
      store.snapshot(message);
      focus.snapshot(before, store);
    } else if (message.type === "update") {
      const before = store.markets.get(message.market_id);
      const result = store.update(message);
      if (result === "resync") live.send({ type: "snapshot" });
      if (result !== "applied") return;
      focus.updated(before, store.markets.get(message.market_id));
    } else if (message.type === "leaderboard") store.leaderboard = message;
    else if (message.type === "player") store.player(message.change, message.player);
    else if (message.type === "game") {
      // Names hidden or shown by the host: the server decides what this screen may see; ask again.
      if (store.game && store.game.hide_names !== message.game.hide_names) live.send({ type: "snapshot" });
      store.game = message.game;
    }
    else return;
    render();
  },
});

function viewOf(market) {
  if (store.game && store.game.status === "finished") return "podium";
  if (!market) return "lobby";
  return market.status === "resolved" ? "answer" : "market";
}

function render() {
  const market = focus.market(store);
  const view = viewOf(market);
  if (root.dataset.view !== view) {
    root.dataset.view = view;
    for (const section of root.querySelectorAll("[data-view-name]")) section.hidden = section.dataset.viewName !== view;
  }
  const players = store.activePlayers();
  for (const node of root.querySelectorAll("[data-count=players]")) node.textContent = String(players.length);
  if (view === "lobby") showPlayers($("players"), players);
  else if (view === "market") showMarket(market);
  else if (view === "answer") showAnswer(market);
  else {
    podium.start(render);
    podium.render(store.leaderboard.game || [], Boolean(store.game && store.game.include_bots));
  }
}

// Draw a chart only when what it shows (or its size) changed: a leaderboard frame leaves the curves be.
function drawOnce(svg, key, draw) {
  const full = `${key}|${svg.clientWidth}x${svg.clientHeight}`;
  if (svg.dataset.drawn === full) return;
  svg.dataset.drawn = full;
  draw();
}

function showMarket(market) {
  const exact = (v) => quantity(v, market, true, { exact: true });
  fitQuestion($("question"), market.question);
  $("status-text").textContent = statusText(T, market);
  $("status-text").dataset.status = market.status;
  showCountdown($("countdown"), market, T);
  $("forecast").textContent = fill(market.scale === "log" ? T.market_forecast_log : T.market_forecast, curveText(market, market));
  const trades = store.trades[market.id] || [];
  const curve = root.querySelector("[data-chart=curve]");
  drawOnce(curve, `${market.id}:${market.sequence}:${trades.length}`, () => {
    const drawn = drawCurves(curve, { market, mine: null, outcome: null, format: exact, tick: (v, o) => quantity(v, market, false, o), labels: T });
    drawForecasts(curve, drawn, market, trades);
  });
  const history = root.querySelector("[data-chart=history]");
  drawOnce(history, `${market.id}:${market.sequence}:${trades.length}`, () =>
    drawHistory(history, {
      market,
      points: curveHistory(market, trades),
      outcome: null,
      labels: { ...T, format: (v) => quantity(v, market, false, { exact: true }) },
    }),
  );
  $("board").replaceChildren(...boardRows(T, store.leaderboard.markets?.[market.id] || [], null, 5));
  $("feed").replaceChildren(...feedRows(T, store, market, 5));
}

function showAnswer(market) {
  const exact = (v) => quantity(v, market, true, { exact: true });
  fitQuestion($("answer-question"), market.question);
  $("answer-value").textContent = exact(market.outcome);
  $("answer-forecast").textContent = fill(market.scale === "log" ? T.market_said_log : T.market_said, curveText(market, market));
  const trades = store.trades[market.id] || [];
  const curve = root.querySelector("[data-chart=answer-curve]");
  drawOnce(curve, `${market.id}:${market.sequence}:${trades.length}`, () => {
    const drawn = drawCurves(curve, { market, mine: null, outcome: market.outcome, format: exact, tick: (v, o) => quantity(v, market, false, o), labels: T });
    drawForecasts(curve, drawn, market, trades);
  });
  $("lesson").replaceChildren(lessonWords(lesson(market, store.leaderboard)));
  $("answer-board").replaceChildren(...boardRows(T, store.leaderboard.markets?.[market.id] || [], null, 5));
}

// A long question gets smaller type rather than being cut: it keeps to the room two lines of the full
// size take, down to a floor that is still read from the back of the room.
function fitQuestion(node, text) {
  const key = `${text}|${innerWidth}x${innerHeight}`;
  if (node.dataset.fitted === key) return;
  node.textContent = text;
  node.style.fontSize = "";
  const full = parseFloat(getComputedStyle(node).fontSize);
  const room = 2 * parseFloat(getComputedStyle(node).lineHeight) + 1;
  for (let size = full; node.scrollHeight > room && size > full / 2; ) {
    size *= 0.9;
    node.style.fontSize = `${size}px`;
  }
  node.dataset.fitted = node.clientHeight ? key : ""; // measured only once the view is shown
}

// The lesson in plain words first (did the market beat the class's average forecast? did it end closer
// to the true value than it began?), then the scores behind them, small.
function lessonWords(result) {
  const box = document.createDocumentFragment();
  if (!result) return box;
  const line = (tag, text, className) => Object.assign(document.createElement(tag), { textContent: text, className });
  const moved = result.market >= 0 ? T.lesson_closer : T.lesson_further;
  if (result.crowd !== null) box.append(line("p", result.market >= result.crowd ? T.lesson_better : T.lesson_worse, "verdict"));
  box.append(line("p", moved, result.crowd === null ? "verdict" : "moved"));
  const scores = line("p", T.lesson_intro, "scores-intro");
  if (T.lesson_intro_title) scores.title = T.lesson_intro_title; // the precise term, for those who want it
  const list = document.createElement("ul");
  list.className = "scores";
  list.append(line("li", `${T.lesson_market}: ${points(result.market)}`));
  if (result.crowd !== null) list.append(line("li", `${T.lesson_crowd}: ${points(result.crowd)}`));
  list.append(line("li", `${T.lesson_prior}: 0`));
  box.append(scores, list);
  return box;
}

function withMark(node, isBot) {
  if (isBot) node.append(botMark(T));
  return node;
}

// Names as they arrive, in the order they joined. When there are more than the wall can hold, the newest
// are shown (a student looks for their own name) after a chip that counts the others.
function showPlayers(list, players) {
  const chip = (text, className) => Object.assign(document.createElement("li"), { textContent: text, className: className || "" });
  const names = players.map((p) => p.nickname);
  const bots = new Set(players.filter((p) => p.is_bot).map((p) => p.nickname));
  const show = (count) => {
    const hidden = names.length - count;
    const more = hidden > 0 ? [chip(fill(T.more_players, { count: hidden }), "more")] : [];
    list.replaceChildren(...more, ...names.slice(hidden).map((n) => withMark(chip(n), bots.has(n))));
  };
  const fits = () => list.scrollHeight <= list.clientHeight + 1;
  show(names.length);
  if (fits()) return;
  let lo = 0, hi = names.length - 1; // the most names that fit, found in a few layouts
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    show(mid);
    if (fits()) lo = mid;
    else hi = mid - 1;
  }
  show(lo);
}

fullScreenButton($("full-screen"), T);
window.addEventListener("resize", render);
everySecond(() => {
  const market = focus.market(store);
  showCountdown($("countdown"), viewOf(market) === "market" ? market : null, T);
});
