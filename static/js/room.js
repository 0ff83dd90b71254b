// The projector: one page on the wall that follows the game by itself. It shows the game's current market
// (the host's choice, stored with the game) in its phase: the lobby (how to join, who has) until there is
// one; the question, and the first guesses coming in; the guesses revealed as dots; the live market; its
// answer; the lesson; the podium at the end.
import { drawCurves, drawHistory, drawingBox } from "./chart.js";
import { curveText, fill, guessText, points, quantity } from "./format.js";
import { followGame, socketUrl } from "./live.js";
import { Store, curveHistory, phaseOf } from "./store.js";
import { bind, boardRows, botMark, botsLeftOut, feedRows, statusText } from "./screen.js";
import { everySecond, showCountdown } from "./countdown.js";
import { closestForecasts, drawForecasts } from "./forecasts.js";
import { fullScreenButton } from "./fullscreen.js";
import { lessonParagraphs } from "./lesson.js";
import { PodiumShow } from "./podium.js";
import { rememberedSwitch } from "./remembered.js";
import { Sounds } from "./sounds.js";
import { drawStrip } from "./strip.js";
import { showExplanation, showReasons } from "./teacher-voice.js";
import { showPicture } from "./picture.js";

const T = JSON.parse(document.getElementById("strings").textContent);
const root = document.getElementById("room");
const $ = bind(root);
const store = new Store();
const podium = new PodiumShow($("podium"), $("podium-rest"), T);
const sounds = new Sounds();
const heard = { view: null, players: null, tick: null }; // what the sounds last marked

followGame(socketUrl(root.dataset.game, "projector"), store, {
  onStatus: (state, code) => {
    const node = $("connection");
    node.dataset.state = state;
    node.textContent = state === "live" ? "" : state === "closed" ? T[`closed_${code}`] || T.closed : T[state];
  },
  onChange: () => render(),
});

// The view for each phase of the current market.
const VIEWS = { question: "question", guess: "question", guesses: "guesses", trading: "market", closed: "market" };
Object.assign(VIEWS, { answer: "answer", lesson: "lesson" });

const OWN_CLOCK = { lobby: true, question: true, market: true, podium: true };

function viewOf(market) {
  if (store.game && store.game.status === "finished") return "podium";
  if (!market) return "lobby";
  return VIEWS[phaseOf(market)] || "lobby";
}

function render() {
  const market = store.current;
  const view = viewOf(market);
  if (root.dataset.view !== view) {
    root.dataset.view = view;
    for (const section of root.querySelectorAll("[data-view-name]")) section.hidden = section.dataset.viewName !== view;
  }
  const players = store.activePlayers();
  for (const node of root.querySelectorAll("[data-count=players]")) node.textContent = String(players.length);
  // Sounds mark news, not the page's first state (its snapshot): someone joining the lobby, the answer.
  if (store.game) {
    if (view === "lobby" && heard.players !== null && players.length > heard.players) sounds.joined();
    if (view === "answer" && heard.view !== null && heard.view !== "answer") sounds.revealed();
    [heard.view, heard.players] = [view, players.length];
  }
  if (view === "lobby") showPlayers($("players"), players);
  else if (view === "question") showQuestion(market, players.length);
  else if (view === "guesses") showGuesses(market);
  else if (view === "market") showMarket(market);
  else if (view === "answer") showAnswer(market);
  else if (view === "lesson") showLesson(market);
  else {
    podium.start(render);
    podium.render(store.leaderboard.game || [], botsLeftOut(T, store.leaderboard));
  }
}

// Draw a chart only when what it shows (or its size) changed: a leaderboard frame leaves the curves be.
function drawOnce(svg, key, draw) {
  const box = drawingBox(svg);
  const full = `${key}|${box.width}x${box.height}`;
  if (svg.dataset.drawn === full) return;
  svg.dataset.drawn = full;
  draw();
}

// The question, large; while first guesses are taken, how many have come in and the time left.
function showQuestion(market, playerCount) {
  if (showPicture($("ask-picture"), market)) $("ask-question").dataset.fitted = ""; // beside a picture: fit again
  fitQuestion($("ask-question"), market.question, 3);
  const guessing = phaseOf(market) === "guess";
  $("ask-note").textContent = guessing ? T.ask_guess : T.ask_think;
  const count = $("guess-count");
  count.hidden = false;
  count.textContent = guessing
    ? fill(T.guessed_count, { count: market.guesses?.count ?? 0, total: playerCount })
    : fill(playerCount === 1 ? T.players_here_one : T.players_here, { count: playerCount });
  count.dataset.count = String(guessing ? market.guesses?.count ?? 0 : playerCount);
  showCountdown($("guess-timer"), guessing ? market : null, T);
}

// The class's first guesses, revealed: a dot each on the market's axis, and their average.
function showGuesses(market) {
  const said = (v) => guessText(v, market);
  fitQuestion($("guesses-question"), market.question);
  const g = market.guesses || { count: 0, middles: [], average: null };
  $("guesses-summary").textContent = g.count
    ? fill(g.count === 1 ? T.guesses_summary_one : T.guesses_summary, { count: g.count, average: said(g.average) })
    : T.no_guesses;
  showReasons($("guesses-reasons"), market, T);
  const strip = root.querySelector("[data-chart=strip]");
  drawOnce(strip, `${market.id}:${market.sequence}:${(g.middles || []).length}`, () =>
    drawStrip(strip, {
      market,
      middles: g.middles || [],
      average: g.average,
      mine: null,
      format: said,
      tick: (v, o) => quantity(v, market, false, o),
      labels: { average: T.class_average, you: T.you },
    }),
  );
  strip.dataset.dots = String((g.middles || []).length);
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
  $("board").replaceChildren(...marketBoard(market));
  $("feed").replaceChildren(...feedRows(T, store, market, 12, { foldBots: true })); // as many as fit whole
  wholeRows($("feed"));
  wholeRows($("board"));
}

// A list that gives way to the join code keeps whole lines: its last are left out (the oldest trades, the
// lowest ranks), never one cut in half; the line for the practice traders, last, stays.
function wholeRows(list) {
  const overflows = () => list.scrollHeight > list.clientHeight + 1;
  while (list.clientHeight && overflows()) {
    const rows = [...list.children].filter((row) => !row.classList.contains("bots-folded"));
    if (!rows.length) break;
    rows[rows.length - 1].remove();
  }
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
  $("answer-board").replaceChildren(...marketBoard(market));
  showExplanation($("answer-explanation"), market, T);
  // The closest forecasts, named as they fall on the curve (static/css/app.css times them after the value).
  const closest = closestForecasts(trades, market, market.outcome);
  const name = (t) => fill(T.closest_one, { name: t.nickname ?? T.hidden, value: exact(t.middle) });
  $("closest").hidden = !closest.length;
  $("closest").textContent = closest.length ? fill(T.closest, { names: closest.map(name).join(", ") }) : "";
  wholeRows($("answer-board"));
}

// A market's board on the wall: its top five by the one ranking (docs/protocol.md §2.4), then one line for
// the practice traders it leaves out.
function marketBoard(market) {
  return [...boardRows(T, store.leaderboard.markets?.[market.id] || [], null, 5), ...botsLeftOut(T, store.leaderboard)];
}

// A long question gets smaller type rather than being cut: it keeps to the room two lines of the full
// size take, down to a floor that is still read from the back of the room (24 px, or half the full size).
function fitQuestion(node, text, lines = 2) {
  const key = `${text}|${innerWidth}x${innerHeight}`;
  if (node.dataset.fitted === key) return;
  node.textContent = text;
  node.style.fontSize = "";
  const full = parseFloat(getComputedStyle(node).fontSize);
  const room = lines * parseFloat(getComputedStyle(node).lineHeight) + 1;
  for (let size = full; node.scrollHeight > room && size > Math.max(full / 2, 24); ) {
    size = Math.max(size * 0.9, full / 2, 24);
    node.style.fontSize = `${size}px`;
  }
  node.dataset.fitted = node.clientHeight ? key : ""; // measured only once the view is shown
}

// The lesson in plain words, large (static/js/lesson.js), then the scores behind them, small.
function showLesson(market) {
  fitQuestion($("lesson-question"), market.question);
  $("lesson-answer").textContent = quantity(market.outcome, market, true, { exact: true });
  const numbers = store.leaderboard.lesson?.[market.id] ?? null;
  const options = { firstGuess: market.first_guess, question: market, calibration: false }; // phones say it
  $("lesson").replaceChildren(...lessonParagraphs(T, numbers, options));
  $("lesson-scores").replaceChildren(lessonScores(numbers));
}

function lessonScores(numbers) {
  const box = document.createDocumentFragment();
  if (!numbers) return box;
  const line = (tag, text, className) => Object.assign(document.createElement(tag), { textContent: text, className });
  const intro = line("p", T.lesson_intro, "scores-intro");
  if (T.lesson_intro_title) intro.title = T.lesson_intro_title; // the precise term, for those who want it
  const list = document.createElement("ul");
  list.className = "scores";
  list.append(line("li", `${T.lesson_market}: ${points(numbers.market)}`));
  if (numbers.guess_average !== null && numbers.guess_average !== undefined) {
    list.append(line("li", `${T.lesson_guess_average}: ${points(numbers.guess_average)}`));
  }
  list.append(line("li", `${T.lesson_prior}: 0`));
  box.append(intro, list);
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
rememberedSwitch($("sounds"), "mmgame.wall.sounds", (on) => sounds.set(on));
// Black on white, thicker lines, no greys: for a projector that washes colours out.
rememberedSwitch($("contrast"), "mmgame.wall.contrast", (on) => {
  if (on) document.documentElement.dataset.theme = "contrast";
  else delete document.documentElement.dataset.theme;
});
window.addEventListener("resize", render);
// A chart whose box changes after it was drawn (the lines beside it settling) is drawn again at its size.
const resized = new ResizeObserver(() => render());
for (const chart of root.querySelectorAll("svg[data-chart]")) resized.observe(chart);
everySecond(() => {
  const market = store.current;
  const view = viewOf(market);
  showCountdown($("countdown"), view === "market" ? market : null, T, store.game);
  showCountdown($("guess-timer"), view === "question" ? market : null, T, store.game);
  // The autopilot's time on the views with no clock of their own (the guesses, the answer, the lesson).
  showCountdown($("autopilot-timer"), view in OWN_CLOCK ? null : market, T, store.game);
  // A tick in each of the last five seconds, once each.
  const clocks = [$("countdown"), $("guess-timer"), $("autopilot-timer")];
  const final = clocks.find((node) => !node.hidden && node.hasAttribute("data-final"));
  const seconds = final ? Number(final.dataset.seconds) : null;
  if (seconds !== null && seconds !== heard.tick) sounds.tick(seconds);
  heard.tick = seconds;
});
