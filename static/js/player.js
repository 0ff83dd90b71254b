// The player's market screen: the live curve, my forecast (dragged or typed), the quote, the trade.
import { drawCurves, drawHistory, drawProfit, el, peak } from "./chart.js";
import { clamp, density, fromInterval, moveProfit, toInterval, wealthAt } from "./gauss.js";
import { curveText, fill, number, points, quantity, spreadPlace } from "./format.js";
import { readNumber } from "./parse.js";
import { attachChooser, typedText } from "./number-input.js";
import { Live, randomKey, socketUrl } from "./live.js";
import { Store, curveHistory, lesson, markedProfit, standing } from "./store.js";
import { announcer, bind, boardRows, feedRows, lessonNode, statusText } from "./screen.js";
import { everySecond, showCountdown } from "./countdown.js";

const T = JSON.parse(document.getElementById("strings").textContent);
const root = document.getElementById("play");
const $ = bind(root);
const connection = document.querySelector("[data-bind=connection]");
const form = $("trade-form");
const curveSvg = document.getElementById("curve-chart");
const profitSvg = document.getElementById("profit-chart");
const historySvg = document.getElementById("history-chart");

const store = new Store();
const announce = announcer($("announce"), T.announce);
let forecast = null; // my draft forecast {mean, sd}; null follows the market
let quoted = null; // the server's quote for the current draft
let quoteTicket = 0;
let quoteTimer = null;
let pendingTrade = null; // {order, key, max_cost}: resent with the same key after a reconnect
let chartScales = null;
let shownMarketId = null;
let readBack = null; // how the typed forecast was read, said in the hint until the forecast is dragged

const live = new Live(socketUrl(root.dataset.game, "player"), { onMessage: receive, onStatus: showConnection });

function showConnection(state, code) {
  connection.dataset.state = state;
  connection.textContent = state === "closed" ? T[`closed_${code}`] || T.closed : T[state];
  if (state === "closed") {
    form.querySelectorAll("button, input").forEach((n) => (n.disabled = true));
    $("waiting").hidden = false;
    $("waiting").textContent = connection.textContent;
  }
}

function receive(message) {
  switch (message.type) {
    case "snapshot":
      store.snapshot(message);
      render();
      if (pendingTrade) sendTrade(pendingTrade);
      break;
    case "update": {
      const result = store.update(message);
      if (result === "resync") live.send({ type: "snapshot" });
      else if (result === "applied") {
        render();
        if (forecast && message.market.id === store.current?.id) requestQuote(); // the price moved
      }
      break;
    }
    case "leaderboard":
      store.leaderboard = message;
      renderBoards();
      renderPosition();
      break;
    case "player":
      store.player(message.change, message.player);
      break;
    case "game":
      // Names hidden or shown by the host: the server decides what this screen may see; ask again.
      if (store.game && store.game.hide_names !== message.game.hide_names) live.send({ type: "snapshot" });
      store.game = message.game;
      renderBoards();
      break;
    default:
      break;
  }
}

// -- my position -----------------------------------------------------------------------------------
function positionOf(market) {
  let position = store.positions[market.id];
  if (!position) {
    position = store.positions[market.id] = {
      market_id: market.id,
      budget: market.budget,
      wealth: { const: market.budget, linear: 0, quadratic: 0, centre: (market.lo + market.hi) / 2, half_width: (market.hi - market.lo) / 2 },
      trades: 0,
      payout: null,
    };
  }
  return position;
}

function worstOf(position, market) {
  // W is quadratic in x: its minimum on the range is at an end or at the vertex.
  const w = position.wealth;
  const candidates = [market.lo, market.hi];
  if (w.quadratic > 0) {
    const vertex = w.centre - (w.linear * w.half_width) / (2 * w.quadratic);
    if (vertex > market.lo && vertex < market.hi) candidates.push(vertex);
  }
  return Math.min(...candidates.map((x) => wealthAt(w, x))) - position.budget;
}

// -- drawing ---------------------------------------------------------------------------------------
function render() {
  const market = store.current;
  $("waiting").hidden = Boolean(market);
  $("waiting").textContent = market ? "" : T.waiting;
  $("market").hidden = !market;
  if (!market) {
    renderBoards();
    return;
  }
  if (shownMarketId !== market.id) {
    shownMarketId = market.id;
    forecast = null;
    quoted = null;
    for (const name of ["mean", "sd", "from", "to"]) attachChooser(form.elements[name], market, T); // billions, µm
  }
  $("question").textContent = market.question;
  $("status").textContent = statusText(T, market);
  $("status").dataset.status = market.status;
  showCountdown($("countdown"), market, T);
  $("forecast").textContent = fill(T.market_forecast, curveText(market, market));
  announce(fill(T.announce, curveText(market, market)), `${market.mean}:${market.sd}`);
  const trading = market.status === "open";
  form.hidden = market.status === "closed" || market.status === "resolved";
  form.querySelectorAll("input, button").forEach((n) => (n.disabled = !trading));
  $("hint").textContent = trading ? (forecast && readBack) || T.pick : T.not_open;
  if (!forecast && !form.contains(document.activeElement)) syncInputs(market);
  renderCurves();
  drawHistory(historySvg, { market, points: curveHistory(market, store.trades[market.id]), outcome: market.outcome, labels: { ...T, format: (v) => quantity(v, market, false, { exact: true }) } });
  renderQuote();
  renderPosition();
  renderResolution(market);
  renderBoards();
  $("feed").replaceChildren(...feedRows(T, store, market));
}

function mineOrMarket(market) {
  return forecast || { mean: market.mean, sd: market.sd };
}

function renderCurves() {
  const market = store.current;
  if (!market) return;
  const mine = mineOrMarket(market);
  const drawn = drawCurves(curveSvg, { market, mine: forecast, outcome: market.outcome, format: (v) => quantity(v, market, true, { exact: true }), tick: (v, o) => quantity(v, market, false, o), labels: T });
  chartScales = drawn.scales;
  placeHandles(market, mine, drawn);
}

function handle(name, label) {
  let node = curveSvg.querySelector(`[data-handle=${name}]`);
  if (!node) {
    node = el("circle", { "data-handle": name, r: 11, tabindex: 0, role: "slider", "aria-label": label, class: `handle handle-${name}` });
    node.addEventListener("keydown", (event) => keyMove(event, name));
    curveSvg.append(node);
  }
  return node;
}

function placeHandles(market, mine, drawn) {
  const s = drawn.scales;
  const fmt = (v) => quantity(v, market);
  const trading = market.status === "open";
  const centre = handle("centre", curveSvg.dataset.centreLabel || "Forecast centre");
  centre.setAttribute("cx", s.x(mine.mean));
  centre.setAttribute("cy", s.y(drawn.clip(peak(mine))));
  centre.setAttribute("aria-valuemin", market.lo);
  centre.setAttribute("aria-valuemax", market.hi);
  centre.setAttribute("aria-valuenow", mine.mean);
  centre.setAttribute("aria-valuetext", fmt(mine.mean));
  const side = mine.mean + mine.sd <= market.hi ? mine.mean + mine.sd : mine.mean - mine.sd;
  const width = handle("width", curveSvg.dataset.widthLabel || "Forecast spread");
  width.setAttribute("cx", s.x(clamp(side, market.lo, market.hi)));
  width.setAttribute("cy", s.y(drawn.clip(density(side, mine.mean, mine.sd))));
  width.setAttribute("aria-valuemin", market.sd_min);
  width.setAttribute("aria-valuemax", market.hi - market.lo);
  width.setAttribute("aria-valuenow", mine.sd);
  width.setAttribute("aria-valuetext", `± ${fmt(mine.sd)}`);
  for (const node of [centre, width]) {
    node.setAttribute("aria-disabled", String(!trading));
    node.style.display = trading ? "" : "none";
  }
}

// -- setting the forecast --------------------------------------------------------------------------
function setForecast(next, { fromInputs = false } = {}) {
  const market = store.current;
  if (!market || market.status !== "open") return;
  const sdMax = market.hi - market.lo;
  forecast = {
    mean: clamp(next.mean, market.lo, market.hi),
    sd: clamp(next.sd, market.sd_min, sdMax),
  };
  if (!fromInputs) {
    readBack = null;
    syncInputs(market);
  }
  quoted = null;
  renderCurves();
  renderQuote();
  requestQuote();
}

function syncInputs(market) {
  const c = mineOrMarket(market);
  const round = (v) => quantity(v, market, false, { place: spreadPlace(c.sd) - 1 });
  for (const name of ["mean", "sd", "from", "to"]) if (form.elements[name].magnitude) form.elements[name].magnitude.value = "";
  form.elements.mean.value = round(c.mean);
  form.elements.sd.value = round(c.sd);
  const [a, b] = toInterval(c);
  form.elements.from.value = round(a);
  form.elements.to.value = round(b);
}

function keyMove(event, name) {
  const market = store.current;
  if (!market || market.status !== "open") return;
  const mine = mineOrMarket(market);
  const step = (market.hi - market.lo) / (event.shiftKey ? 20 : 100);
  const factor = event.shiftKey ? 1.25 : 1.05;
  const moves = {
    centre: { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step },
    width: { ArrowLeft: 1 / factor, ArrowDown: 1 / factor, ArrowRight: factor, ArrowUp: factor },
  };
  const change = moves[name][event.key];
  if (change === undefined) return;
  event.preventDefault();
  if (name === "centre") setForecast({ mean: mine.mean + change, sd: mine.sd });
  else setForecast({ mean: mine.mean, sd: mine.sd * change });
}

// A handle follows the pointer; a press elsewhere on the chart drags the curve sideways once it moves,
// or puts the centre where it was tapped. Vertical swipes scroll the page (touch-action: pan-y).
let dragging = null;
let press = null;

function valueAt(event) {
  const box = curveSvg.getBoundingClientRect();
  const viewWidth = curveSvg.viewBox.baseVal.width || box.width;
  return chartScales.fromX(((event.clientX - box.left) * viewWidth) / box.width);
}

curveSvg.addEventListener("pointerdown", (event) => {
  const market = store.current;
  if (!market || market.status !== "open" || !chartScales) return;
  const handleName = event.target.dataset ? event.target.dataset.handle : undefined;
  press = { x: event.clientX, value: valueAt(event), mean: mineOrMarket(market).mean };
  dragging = handleName || null;
  curveSvg.setPointerCapture(event.pointerId);
  if (dragging) event.preventDefault();
});
curveSvg.addEventListener("pointermove", (event) => {
  if (!press) return;
  if (!dragging && Math.abs(event.clientX - press.x) > 6) dragging = "slide";
  if (dragging) dragTo(event);
});
curveSvg.addEventListener("pointerup", (event) => {
  if (press && !dragging) setForecast({ mean: valueAt(event), sd: mineOrMarket(store.current).sd }); // a tap
  press = null;
  dragging = null;
});
curveSvg.addEventListener("pointercancel", () => {
  press = null;
  dragging = null;
});

function dragTo(event) {
  const market = store.current;
  const x = valueAt(event);
  const mine = mineOrMarket(market);
  if (dragging === "width") setForecast({ mean: mine.mean, sd: Math.abs(x - mine.mean) });
  else if (dragging === "slide") setForecast({ mean: press.mean + (x - press.value), sd: mine.sd });
  else setForecast({ mean: x, sd: mine.sd });
}

form.addEventListener("input", (event) => {
  const market = store.current;
  if (!market) return;
  if (event.target.name === "mode") {
    const mode = form.elements.mode.value;
    form.querySelectorAll("[data-mode]").forEach((n) => (n.hidden = n.dataset.mode !== mode));
    return;
  }
  // Read as the server reads typed numbers ("8.5 billion", "2 µm"); one that cannot be read says why.
  let unreadable = null;
  const read = (name) => {
    const reading = readNumber(typedText(form.elements[name]), { unit: market.unit || "" });
    if (reading.text !== undefined) return Number(reading.text);
    unreadable ??= [name, reading.message];
    return NaN;
  };
  const range = { lo: quantity(market.lo, market, true, { exact: true }), hi: quantity(market.hi, market, true, { exact: true }) };
  const inRange = (v) => Number.isFinite(v) && v >= market.lo && v <= market.hi;
  let next;
  let problem = null;
  if (["from", "to"].includes(event.target.forInput?.name ?? event.target.name)) {
    const a = read("from"), b = read("to");
    if (unreadable) problem = unreadable;
    else if (!inRange(a) || !inRange(b) || a === b) problem = ["from", fill(T.bad_interval, range)];
    else {
      next = fromInterval(a, b);
      const place = spreadPlace(next.sd) - 1;
      form.elements.mean.value = quantity(next.mean, market, false, { place });
      form.elements.sd.value = quantity(next.sd, market, false, { place });
    }
  } else {
    const mean = read("mean"), sd = read("sd");
    if (unreadable) problem = unreadable;
    else if (!inRange(mean)) problem = ["mean", fill(T.bad_mean, range)];
    else if (!Number.isFinite(sd) || sd < market.sd_min) problem = ["sd", fill(T.bad_sd, { min: quantity(market.sd_min, market, true, { exact: true }) })];
    else {
      next = { mean, sd };
      const [a, b] = toInterval(next);
      const place = spreadPlace(sd) - 1;
      form.elements.from.value = quantity(a, market, false, { place });
      form.elements.to.value = quantity(b, market, false, { place });
    }
  }
  for (const name of ["mean", "sd", "from", "to"]) form.elements[name].removeAttribute("aria-invalid");
  if (problem) {
    // Say what is wrong and quote nothing, rather than quietly trading something else.
    form.elements[problem[0]].setAttribute("aria-invalid", "true");
    $("hint").textContent = problem[1];
    forecast = null;
    quoted = null;
    renderQuote();
    return;
  }
  readBack = fill(T.reads_as, curveText(next, market)); // how the typed numbers were read
  $("hint").textContent = readBack;
  setForecast(next, { fromInputs: true });
});

// -- quotes and trades -----------------------------------------------------------------------------
function order(kind) {
  return { kind, mean: forecast.mean, sd: forecast.sd };
}

function requestQuote() {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(async () => {
    const market = store.current;
    if (!forecast || !market) return;
    const ticket = ++quoteTicket;
    try {
      const answer = await live.request({ type: "quote", market_id: market.id, order: order("target") });
      if (ticket !== quoteTicket) return; // a newer forecast is on its way
      if (answer.type === "error") {
        quoted = null;
        $("hint").textContent = answer.message;
      } else {
        quoted = answer.quote;
        $("hint").textContent = readBack || T.pick;
      }
      renderQuote();
    } catch {
      // Disconnected: the snapshot after the reconnect redraws everything.
    }
  }, dragging ? 250 : 120);
}

function renderLocalProfit() {
  const market = store.current;
  if (!market || !forecast) return;
  const position = positionOf(market);
  const from = { mean: market.mean, sd: market.sd };
  drawProfit(profitSvg, {
    lo: market.lo,
    hi: market.hi,
    profit: (x) => wealthAt(position.wealth, x) + moveProfit(market.liquidity, from, forecast, x) - position.budget,
    before: position.trades ? (x) => wealthAt(position.wealth, x) - position.budget : null,
    format: (v) => quantity(v, market),
    tick: (v, o) => quantity(v, market, false, o),
    labels: T,
  });
  $("quote").hidden = false;
}

function renderQuote() {
  const market = store.current;
  if (!market || !forecast || market.status !== "open") {
    $("quote").hidden = true;
    return;
  }
  renderLocalProfit();
  const position = positionOf(market);
  const fmt = (v) => quantity(v, market);
  if (!quoted) {
    for (const name of ["risk", "worst", "if-right"]) $(name).textContent = "…";
    $("confirm").disabled = true;
    $("toward").hidden = true;
    $("unaffordable").hidden = true;
    return;
  }
  $("risk").textContent = `${number(Math.max(0, -quoted.trade_worst_case))} ${T.points}`;
  $("worst").textContent = fill(T.worst_at, { points: points(quoted.worst_case_after - position.budget), x: fmt(quoted.worst_at) });
  $("if-right").textContent = `${points(quoted.expected_if_right)} ${T.points}`;
  $("unaffordable").hidden = quoted.affordable;
  $("confirm").disabled = !quoted.affordable;
  const toward = $("toward");
  toward.hidden = quoted.affordable || quoted.affordable_fraction <= 0;
  toward.disabled = false;
  toward.classList.toggle("primary", !quoted.affordable);
  toward.textContent = fill(T.toward, curveText({ mean: quoted.affordable_mean, sd: quoted.affordable_sd }, market));
}

function sendTrade(trade) {
  pendingTrade = trade;
  $("confirm").disabled = true;
  $("toward").disabled = true;
  $("result").textContent = T.trading;
  const market = store.current;
  live
    .request({ type: "trade", market_id: trade.market_id, order: trade.order, idempotency_key: trade.key, max_cost: trade.max_cost })
    .then((answer) => {
      pendingTrade = null;
      if (answer.type === "trade_result") {
        store.positions[answer.position.market_id] = answer.position;
        const fraction = answer.trade.fraction;
        const reached = curveText(answer.trade, market);
        $("result").textContent = fraction >= 1 ? T.traded : fill(T.traded_part, reached);
        forecast = null;
        quoted = null;
        if (market) syncInputs(market);
        render();
      } else {
        const moved = ["stale_quote", "max_cost_exceeded", "insufficient_collateral"].includes(answer.code);
        $("result").textContent = moved ? T.moved : fill(T.error, { message: answer.message });
        quoted = null;
        renderQuote();
        requestQuote();
      }
    })
    .catch(() => {
      // Still pending: the next snapshot (after the reconnect) sends it again with the same key.
    });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit("target");
});
$("toward").addEventListener("click", () => submit("toward"));

function submit(kind) {
  const market = store.current;
  if (!market || !forecast || !quoted || pendingTrade) return;
  // A small slippage allowance: in a busy room the market moves between quote and trade.
  const cost = kind === "toward" ? quoted.cost * quoted.affordable_fraction : quoted.cost;
  const maxCost = cost + Math.max(1, Math.abs(cost) * 0.1);
  sendTrade({ market_id: market.id, order: order(kind), key: randomKey(), max_cost: kind === "toward" ? null : maxCost });
}

// -- position, resolution, boards ------------------------------------------------------------------
function myBoard(section, marketId) {
  return standing(store.leaderboard, section, marketId, store.me ? store.me.id : null);
}

function rankOf({ row, count }) {
  return row ? fill(T.rank, { rank: row.rank, count }) : "–";
}

function renderPosition() {
  const market = store.current;
  if (!market) return;
  const position = positionOf(market);
  $("budget").textContent = `${number(position.budget)} ${T.points}`;
  $("worth").textContent = `${points(markedProfit(position, market))} ${T.points}`;
  // Once resolved the risk is gone: the payout is known.
  $("position-worst").textContent = market.status === "resolved" ? "–" : `${points(worstOf(position, market))} ${T.points}`;
  $("trade-count").textContent = String(position.trades);
  $("worth").dataset.value = markedProfit(position, market);
  $("rank").textContent = rankOf(myBoard("markets", market.id));
}

function renderResolution(market) {
  const resolved = market.status === "resolved";
  $("resolution").hidden = !resolved;
  if (!resolved) return;
  const position = positionOf(market);
  // A player who never traded keeps the budget: there is no position row to pay.
  const payout = position.payout ?? (position.trades === 0 ? position.budget : null);
  $("outcome").textContent = quantity(market.outcome, market, true, { exact: true });
  $("payout").textContent = payout === null ? "…" : `${number(payout)} ${T.points}`;
  $("payout").dataset.value = payout ?? "";
  $("payout-profit").textContent = payout === null ? "…" : `${points(payout - position.budget)} ${T.points}`;
  const board = myBoard("markets", market.id);
  $("payout-rank").textContent = rankOf(board);
  $("payout-rank").dataset.value = board.row?.rank ?? "";
  $("lesson").replaceChildren(lessonNode(T, lesson(market, store.leaderboard)));
}

function renderBoards() {
  const market = store.current;
  const me = store.me ? store.me.id : null;
  const myName = store.me ? store.me.nickname : null;
  const marketBoard = market ? myBoard("markets", market.id) : { rows: [], row: null };
  $("board-market").replaceChildren(...boardRows(T, marketBoard.rows, me, 5, myName, marketBoard.row));
  const finished = store.game?.status === "finished";
  const gameBoard = myBoard("game");
  $("board-game").replaceChildren(...boardRows(T, gameBoard.rows, me, finished ? 3 : 5, myName, gameBoard.row));
  if (finished) $("game-board-title").textContent = T.podium;
  $("game-over").hidden = !finished;
  if (finished) $("game-over").textContent = fill(T.game_over, { rank: rankOf(gameBoard).toLowerCase() });
  if (market) {
    $("rank").textContent = rankOf(myBoard("markets", market.id));
    if (market.status === "resolved") renderResolution(market);
  }
}

window.addEventListener("resize", () => {
  if (store.current) render();
});

everySecond(() => showCountdown($("countdown"), store.current, T));
