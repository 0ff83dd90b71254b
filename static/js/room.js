// The screens the host puts on the projector: the lobby (who has joined) and the live market.
import { drawCurves, drawHistory } from "./chart.js";
import { curveText, fill, quantity } from "./format.js";
import { Live, socketUrl } from "./live.js";
import { Store, curveHistory, lesson } from "./store.js";
import { bind, boardRows, feedRows, lessonNode, statusText } from "./screen.js";
import { everySecond, showCountdown } from "./countdown.js";

const T = JSON.parse(document.getElementById("strings").textContent);
const root = document.getElementById("room");
const $ = bind(root);
const store = new Store();

const live = new Live(socketUrl(root.dataset.game, "projector"), {
  onStatus: (state, code) => {
    const node = $("connection");
    node.dataset.state = state;
    node.textContent = state === "live" ? "" : state === "closed" ? T[`closed_${code}`] || T.closed : T[state];
  },
  onMessage: (message) => {
    if (message.type === "snapshot") store.snapshot(message);
    else if (message.type === "update") {
      const result = store.update(message);
      if (result === "resync") live.send({ type: "snapshot" });
      if (result !== "applied") return;
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

function render() {
  const players = store.activePlayers();
  $("player-count").textContent = String(players.length);
  const chips = $("players");
  if (chips) chips.replaceChildren(...players.map((p) => Object.assign(document.createElement("li"), { textContent: p.nickname })));
  const curve = root.querySelector("[data-chart=curve]");
  if (!curve) return;
  const market = store.current;
  const finished = store.game && store.game.status === "finished";
  const board = $("board");
  if (finished) {
    $("question").textContent = T.podium;
    board.replaceChildren(...boardRows(T, store.leaderboard.game || [], null, 3));
  }
  if (!market) {
    $("status-text").textContent = T.waiting;
    if (!finished) board.replaceChildren(...boardRows(T, store.leaderboard.game || [], null, 5));
    return;
  }
  if (!finished) {
    $("question").textContent = market.question;
    board.replaceChildren(...boardRows(T, store.leaderboard.markets?.[market.id] || [], null, 5));
  }
  $("status-text").textContent = statusText(T, market);
  showCountdown($("countdown"), market, T);
  $("forecast").textContent = fill(market.scale === "log" ? T.market_forecast_log : T.market_forecast, curveText(market, market));
  const exact = (v) => quantity(v, market, true, { exact: true });
  drawCurves(curve, { market, mine: null, outcome: market.outcome, format: exact, tick: (v, o) => quantity(v, market, false, o), labels: T });
  drawHistory(root.querySelector("[data-chart=history]"), {
    market,
    points: curveHistory(market, store.trades[market.id]),
    outcome: market.outcome,
    labels: { ...T, format: (v) => quantity(v, market, false, { exact: true }) },
  });
  $("feed").replaceChildren(...feedRows(T, store, market, 6));
  const box = $("lesson");
  const result = lesson(market, store.leaderboard);
  box.hidden = !result;
  box.replaceChildren(lessonNode(T, result));
}

window.addEventListener("resize", render);
everySecond(() => showCountdown($("countdown"), store.current, T));
