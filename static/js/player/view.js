// Drawing the player's screen from `store` and `state`: nothing here changes either, so the screen is
// always what they say, whichever event came last.
import { drawHistory } from "../chart.js";
import { curveLine, curveText, fill, guessText, number, points, quantity, spreadPlace } from "../format.js";
import { curveHistory, phaseOf, standing } from "../store.js";
import { announcer, bind, boardRows, botsLeftOut, feedRows, statusText } from "../screen.js";
import { autopilotLeft, secondsLeft, showCountdown } from "../countdown.js";
import { lessonParagraphs } from "../lesson.js";
import { drawStrip } from "../strip.js";
import { showPicture } from "../picture.js";
import { drawDraftProfit, drawForecast } from "./draw.js";
import { FIELDS, marketCurve, writeFields } from "./forecast.js";
import { moneyWords } from "./money.js";
import { offerWords, showNext } from "./offers.js";
import { guessCurve, myGuess } from "./guesses.js";
import { positionOf, worstProfit, worthNow } from "./position.js";
import { confirmable, draftable, guessable, state, store } from "./state.js";
import { shows } from "../round.js";
import { showExplanation, showReasons } from "../teacher-voice.js";

// What each phase shows besides the question: the curve (and the form), the guesses' strip, the result card.
const CURVE_PHASES = ["guess", "trading", "closed"];
const FORM_PHASES = ["guess", "trading"];
const RESULT_PHASES = ["answer", "lesson"];
const NOTES = { question: "wait_host", guesses: "wait_trading", closed: "wait_answer" };

// Live regions speak when their text changes: write only news.
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// "Your guess: 430 ± 60 beans" (the unit once), "Your guess: about 1,000, give or take a factor of 3".
function guessWords(market, curve, linear, log) {
  return market.scale === "log" ? fill(log, curveText(curve, market)) : fill(linear, curveLine(curve, market));
}

export function screen(root, T, explain = () => {}) {
  const $ = bind(root);
  const form = $("trade-form");
  const connection = document.querySelector("[data-bind=connection]");
  const curveSvg = document.getElementById("curve-chart");
  const profitSvg = document.getElementById("profit-chart");
  const historySvg = document.getElementById("history-chart");
  const announce = announcer($("announce"), T.announce);

  const mineOrMarket = (market) => (phaseOf(market) === "guess" ? guessCurve(market) : state.draft || marketCurve(market));
  const finished = () => store.game?.status === "finished";

  // A phase change hides what held the focus (the form once the guesses are in, the question at the
  // podium): the focus moves to what the screen now says, not to the page's start.
  function render() {
    const focused = document.activeElement;
    draw();
    const now = document.activeElement; // (the form may have moved it already: to the next moves after a trade)
    if (root.contains(focused) && (now === document.body || !now.getClientRects().length)) {
      const said = [$("game-over"), $("question"), $("waiting")].find((node) => node.getClientRects().length);
      said?.focus();
    }
  }

  function draw() {
    const market = store.current;
    const phase = finished() ? "podium" : phaseOf(market) ?? "lobby";
    root.dataset.phase = phase;
    explain(phase);
    $("waiting").hidden = Boolean(market) || state.connection === "closed" || finished();
    $("waiting").textContent = market ? "" : T.waiting;
    $("market").hidden = !market || finished();
    renderConnection();
    renderBoards();
    if (!market) return;
    showPicture($("picture"), market);
    $("question").textContent = market.question;
    // Before trading the market has no status worth a badge: the phase's own line says what happens next.
    const trading = Boolean(shows(phase).live);
    $("status").hidden = !trading;
    $("status").textContent = trading ? statusText(T, market) : "";
    $("status").dataset.status = market.status;
    // On autopilot the round moves on by itself (the countdown beside it says when): no "wait for the host".
    const note = NOTES[phase] && store.game?.autopilot?.on ? `${NOTES[phase]}_auto` : NOTES[phase];
    $("phase-note").textContent = note ? T[note] : "";
    $("phase-note").hidden = !NOTES[phase];
    $("curve-box").hidden = !CURVE_PHASES.includes(phase);
    for (const node of root.querySelectorAll("[data-say-guess]")) {
      node.dataset.sayOther ??= node.textContent;
      node.textContent = phase === "guess" ? node.dataset.sayGuess : node.dataset.sayOther;
    }
    showCountdown($("countdown"), market, T, store.game);
    renderStrip(market, phase);
    // "Market: 500 ± 250 beans", "Market: 8.5 ± 2.0 billion people": the unit once, to keep the line short
    // on a phone; said in full to a screen reader. A log market: "Market: about 1,000 piano tuners, give or
    // take a factor of 2.7".
    const log = market.scale === "log";
    const said = curveText(market, market);
    $("forecast").textContent = !trading ? "" : log ? fill(T.market_forecast_log, said) : fill(T.market_forecast, curveLine(market, market));
    const moved = log ? [T.announce_log, `${market.median}:${market.sd_log}`] : [T.announce, `${market.mean}:${market.sd}`];
    announce(fill(moved[0], said), moved[1], market.id); // a new question is not "the market moved"
    renderTrade();
    drawHistory(historySvg, {
      market,
      points: curveHistory(market, store.trades[market.id]),
      outcome: market.outcome,
      labels: { ...T, format: (v) => quantity(v, market, false, { exact: true }) },
    });
    renderPosition();
    renderResolution(market);
    $("feed").replaceChildren(...feedRows(T, store, market));
    renderSaid();
  }

  // The class's first guesses, revealed: the strip of dots with mine marked.
  function renderStrip(market, phase) {
    const box = $("guesses-box");
    box.hidden = phase !== "guesses";
    if (box.hidden) return;
    const g = market.guesses || { count: 0, middles: [], average: null };
    const said = (v) => guessText(v, market);
    const mine = myGuess(market);
    const middle = mine ? (market.scale === "log" ? mine.median : mine.mean) : null;
    $("strip-summary").textContent = g.count
      ? fill(g.count === 1 ? T.guesses_summary_one : T.guesses_summary, { count: g.count, average: said(g.average) })
      : T.no_guesses;
    const yours = mine ? guessWords(market, mine, T.your_guess_final, T.your_guess_final_log) : "";
    $("strip-mine").textContent = yours;
    showReasons($("strip-reasons"), market, T); // the ones the teacher picked: none reach a phone before
    const svg = root.querySelector("[data-chart=strip]");
    drawStrip(svg, {
      market,
      middles: g.middles || [],
      average: g.average,
      mine: middle,
      format: said,
      tick: (v, o) => quantity(v, market, false, o),
      labels: { average: T.class_average, you: T.your_guess_mark },
    });
  }

  // The forecast, the curve, the one-line profit or loss, Confirm (or, for a first guess, Lock in), and the
  // reason when something is off.
  function renderTrade() {
    const market = store.current;
    if (!market) return;
    const phase = phaseOf(market);
    const guessing = phase === "guess";
    const hadFocus = form.contains(document.activeElement);
    form.hidden = !FORM_PHASES.includes(phase);
    form.dataset.phase = phase;
    const mine = guessing ? myGuess(market) : null;
    // Locked in: the guess stands just above the button, which now offers to change it.
    setText($("confirm"), guessing ? (mine ? T.change_guess : T.lock_in) : T.confirm);
    $("my-guess").hidden = !mine;
    // "You can change it until time is up" only when a clock counts down to it (the guess's timer, or the
    // autopilot's); with none, the host ends the phase and the button beside it already offers a change.
    const timed = secondsLeft(market.closes_at) !== null || autopilotLeft(store.game) !== null;
    const [linear, log] = timed ? [T.your_guess, T.your_guess_log] : [T.your_guess_final, T.your_guess_final_log];
    setText($("my-guess"), mine ? guessWords(market, mine, linear, log) : "");
    // A first guess may carry a one-line reason, for the teacher alone: what was typed stays until locked in.
    $("reason-field").hidden = !guessing;
    if (guessing && state.reason === null) form.elements.reason.value = store.guesses[market.id]?.reason ?? "";
    const open = draftable();
    for (const input of form.querySelectorAll("input, select")) input.disabled = !open;
    // With no draft the fields follow the market, except while one is being typed in (or its magnitude chosen).
    const active = document.activeElement;
    const typing = (active instanceof HTMLInputElement || active instanceof HTMLSelectElement) && form.contains(active);
    if (!state.draft && !state.problem && !typing) writeFields(form, mineOrMarket(market), market);
    for (const name of FIELDS) form.elements[name].removeAttribute("aria-invalid");
    if (state.problem) form.elements[state.problem[0]].setAttribute("aria-invalid", "true");
    // The chart first: what the page reckons the budget reaches (state.reach) is then the draft's own.
    drawForecast(curveSvg, market, mineOrMarket(market), T);
    renderZoom();
    const hint = $("hint");
    const [text, isProblem] = hintText(market);
    setText(hint, text);
    hint.toggleAttribute("data-problem", isProblem);
    setText($("result"), state.result);
    renderQuote(market);
    // A button that goes away (the affordable move, once made) hands the focus to Confirm, not to the page.
    if (hadFocus && !form.contains(document.activeElement)) {
      const next = $("next").querySelector("button");
      ($("confirm").hidden ? (next && !$("next").hidden ? next : $("toward")) : $("confirm")).focus();
    }
  }

  // What to do now, what is wrong, or why nothing can be done: one line under the fields, which they
  // and Confirm point to (aria-describedby).
  function hintText(market) {
    if (state.connection === "closed") return [connection.textContent, true];
    if (phaseOf(market) === "guess") {
      if (!guessable()) return [myGuess(market) ? T.why_time_up : T.why_time_up_none, false];
      if (state.problem) return [state.problem[1], true];
      if (state.offer) return [offerWords(state.offer, market, T, { guessing: true }).sentence, true];
      if (state.quoteError) return [state.quoteError, true];
      if (state.connection !== "live") return [T.why_guess_reconnecting, false];
      // A guess locked in says itself just above (my-guess): no "how to" under it then.
      return [(state.draft && state.readBack) || (myGuess(market) ? "" : T.guess_pick), false];
    }
    if (market.status !== "open") return [T[`why_${market.status}`] || T.not_open, false];
    if (state.problem) return [state.problem[1], true];
    if (state.connection !== "live") return [T.why_reconnecting, false];
    if (state.draft && state.atMarket) return [T.at_market, false]; // nothing to trade: no Confirm either
    const offer = tradeOffer();
    if (offer && state.draft) return [offerWords(offer, market, T).sentence, true];
    if (state.quoteError) return [state.quoteError, true];
    // After a trade its result and the next moves say what to do: no "how to" line then (it would push them
    // off a phone's first screen).
    if (!state.draft && state.next?.moves?.length) return ["", false];
    return [(state.draft && state.readBack) || T.pick, false]; // how the typed forecast was read
  }

  // The nearest forecast offered for a trade: the server's, with its quote; until that comes, the page's own
  // reckoning of the nearest affordable one (reach.js), so that it follows a finger at once.
  function tradeOffer() {
    if (state.offer || state.quote || state.quoteError) return state.offer;
    return state.reach?.offer ?? null;
  }

  // "Whole range" while the chart is zoomed in on the curves, "Zoom in" once the whole range is asked for.
  function renderZoom() {
    const zoom = $("zoom");
    zoom.hidden = !(state.zoomable || state.wholeRange);
    setText(zoom, state.wholeRange ? T.zoom_in : T.whole_range);
    zoom.setAttribute("aria-pressed", String(state.wholeRange));
    // In the chart's top corner away from my forecast's middle, whose handle sits at the top (not moved
    // while a finger drags).
    const centre = curveSvg.querySelector("[data-handle=centre]");
    if (centre && !state.gesture?.moving) {
      const width = curveSvg.viewBox.baseVal.width || curveSvg.clientWidth;
      zoom.dataset.side = Number(centre.getAttribute("cx")) > width / 2 ? "left" : "right";
    }
    $("reach-key").hidden = !state.reach?.shaded;
  }

  function renderQuote(market) {
    if (phaseOf(market) === "guess") {
      // A first guess costs nothing: no profit or loss, no affordable move; Lock in while time is left.
      for (const name of ["pnl", "quote", "unaffordable", "toward", "next"]) $(name).hidden = true;
      $("confirm").hidden = Boolean(state.offer); // the guess offered stands in its place
      const ready = guessable() && state.connection === "live" && !state.pendingGuess && !state.problem;
      $("confirm").setAttribute("aria-disabled", String(!ready || Boolean(state.offer)));
      // A guess the market will not take: the nearest one it will, one tap (offers.js).
      $("offer").hidden = !state.offer;
      if (state.offer) setText($("offer"), offerWords(state.offer, market, T, { guessing: true }).button);
      $("offer").setAttribute("aria-disabled", String(!ready));
      return;
    }
    const quote = state.quote;
    const drafting = Boolean(state.draft) && draftable();
    // A value where the profit or loss is worst: to the digits the market's spread warrants there (on a log
    // market its own size × sd_log: "10 piano tuners", not "0" at the hundreds the median warrants).
    const fmt = (v) => (market.scale === "log" ? quantity(v, market, true, { place: spreadPlace(v * market.sd_log) }) : quantity(v, market));
    const line = $("pnl");
    const offer = tradeOffer();
    const offered = drafting && Boolean(offer);
    // The offer says what it risks on its button; a refusal without one says why in the hint.
    line.hidden = !drafting || offered || Boolean(state.quoteError) || state.atMarket;
    line.setAttribute("aria-expanded", String(drafting && state.detailOpen));
    $("quote").hidden = !(drafting && state.detailOpen);
    const ready = drafting && quote && !state.pendingTrade && confirmable() && !state.atMarket;
    $("confirm").setAttribute("aria-disabled", String(!(ready && quote.affordable)));
    $("unaffordable").hidden = !(drafting && quote && !quote.affordable) || offered;
    const toward = $("toward");
    toward.hidden = !(drafting && quote && !quote.affordable && quote.affordable_fraction > 0) || offered;
    // A forecast the market will not take, or beyond the budget: the nearest one it takes (offers.js), else
    // the move the budget affords, stands in Confirm's place; with neither, one sentence says why.
    const stuck = drafting && quote && !quote.affordable && !offered && toward.hidden;
    setText($("unaffordable"), stuck ? T.refused_budget : T.unaffordable);
    $("offer").hidden = !offered;
    if (offered) setText($("offer"), offerWords(offer, market, T).button);
    $("offer").setAttribute("aria-disabled", String(!(drafting && !state.pendingTrade && confirmable())));
    // After a trade, the next moves it leaves affordable stand in Confirm's place until a new forecast.
    showNext($("next"), drafting || state.pendingTrade ? null : state.next, market, T);
    $("confirm").hidden = !toward.hidden || offered || !$("next").hidden;
    toward.setAttribute("aria-disabled", String(!ready));
    toward.classList.toggle("primary", Boolean(quote && !quote.affordable && !offered));
    if (!drafting) return;
    if (quote) {
      const reach = market.scale === "log"
        ? fill(T.toward_log, curveText({ median: quote.affordable_median, sd_log: quote.affordable_sd_log }, market))
        : fill(T.toward, curveText({ mean: quote.affordable_mean, sd: quote.affordable_sd }, market));
      toward.textContent = reach;
      // What I could win or lose across my own 90% range, then at the far edge (money.js).
      const [range, edge] = moneyWords(quote, state.draft, market, T);
      setText($("pnl-text"), range);
      setText($("pnl-worst"), edge);
    } else {
      setText($("pnl-text"), state.problem ? "" : T.pnl_wait);
      setText($("pnl-worst"), "");
    }
    if (!state.detailOpen) return;
    drawDraftProfit(profitSvg, market, state.draft, T);
    if (!quote) {
      for (const name of ["risk", "worst", "if-right"]) $(name).textContent = "…";
      return;
    }
    const position = positionOf(market);
    $("risk").textContent = `${number(Math.max(0, -quote.trade_worst_case))} ${T.points}`;
    const mostLost = Math.max(0, position.budget - quote.worst_case_after); // said as a loss, not as −453
    $("worst").textContent = fill(T.worst_at, { points: number(mostLost), x: fmt(quote.worst_at) });
    $("if-right").textContent = `${points(quote.expected_if_right)} ${T.points}`;
  }

  function renderConnection() {
    connection.dataset.state = state.connection;
    const text = state.connection === "closed" ? T[`closed_${state.closedCode}`] || T.closed : T[state.connection];
    setText(connection, text);
    const banner = $("offline");
    const down = state.connection === "reconnecting" || state.connection === "closed";
    banner.hidden = !down;
    banner.dataset.state = state.connection;
    banner.textContent = state.connection === "closed" ? text : T.offline;
    if (state.connection === "closed") $("waiting").textContent = text;
  }

  function myBoard(section, marketId) {
    return standing(store.leaderboard, section, marketId, store.me ? store.me.id : null);
  }

  // My place in a market: its board ranks whom the podium counts, by the one rule every screen reads.
  function myPlace(marketId) {
    return myBoard("markets", marketId);
  }

  function rankOf({ row, count }) {
    return row ? fill(T.rank, { rank: row.rank, count }) : "–";
  }

  function renderPosition() {
    const market = store.current;
    if (!market) return;
    const position = positionOf(market);
    const resolved = market.status === "resolved";
    const worth = worthNow(position, market);
    $("budget").textContent = `${number(position.budget)} ${T.points}`;
    // Once the answer is known there is no "if the market is right": the payout says what it was worth.
    $("worth-row").hidden = resolved;
    $("worth").textContent = `${points(worth)} ${T.points}`;
    $("worth").dataset.value = worth;
    // "The most you could lose: 453 points" (a loss said as one, not as −453).
    $("position-worst").textContent = resolved ? "–" : `${number(Math.max(0, -worstProfit(position)))} ${T.points}`;
    $("trade-count").textContent = String(position.trades);
    $("rank").textContent = rankOf(myPlace(market.id));
    const profit = position.payout === null || position.payout === undefined ? null : position.payout - position.budget;
    // After the game the tab and the panel speak of the whole game (its board's total), not the last question.
    const over = finished();
    const total = over ? (myBoard("game").row?.score ?? null) : null;
    $("game-total-row").hidden = !over;
    $("game-total").textContent = total === null ? "–" : `${points(total)} ${T.points}`;
    $("game-total").dataset.value = total ?? "";
    const marketNote = !position.trades ? "" : resolved ? (profit === null ? "" : points(profit)) : points(worth);
    $("tab-me-note").textContent = over ? (total === null ? "" : points(total)) : marketNote;
  }

  // "Nearer the answer than the market's starting forecast" or "further": a score on the accuracy board's measure,
  // compared as it is (0 is the starting forecast's own), its number in the tooltip.
  // Nearer the answer and still a loss: the market was nearer when I traded; say so, or it reads as a contradiction.
  function verdict(node, row, none, lost = false) {
    node.dataset.value = row ? String(row.score) : "";
    node.title = row ? `${T.accuracy_title}: ${points(row.score)}` : "";
    const closer = lost ? T.closer_lost : T.closer;
    node.textContent = !row ? none : row.score > 0 ? closer : row.score < 0 ? T.further : T.same;
  }

  // Whether the true value fell inside my first guess's and my last forecast's 90 % ranges, as the server
  // decided it (`inside_90` on my board rows: the one rule the class record and the lesson use).
  function ranges(node, guess, forecast) {
    const said = (row, key) => (row && typeof row.inside_90 === "boolean" ? fill(T[key], { verdict: row.inside_90 ? T.range_held : T.range_missed }) : null);
    const parts = [said(guess, "range_guess"), said(forecast, "range_forecast")].filter(Boolean);
    node.closest("[data-bind=range-row]").hidden = parts.length === 0;
    node.textContent = parts.join(" · ");
    node.dataset.guess = guess?.inside_90 ?? "";
    node.dataset.forecast = forecast?.inside_90 ?? "";
  }

  // The result card once the answer is known: the answer, my payout, profit and rank, how my first guess and
  // my last forecast did; in the lesson, the lesson's sentences under it.
  function renderResolution(market) {
    const phase = phaseOf(market);
    const resolved = market.status === "resolved" && RESULT_PHASES.includes(phase);
    $("resolution").hidden = !resolved;
    if (!resolved) return;
    const position = positionOf(market);
    // A player who never traded keeps the budget: there is no position row to pay.
    const payout = position.payout ?? (position.trades === 0 ? position.budget : null);
    $("outcome").textContent = quantity(market.outcome, market, true, { exact: true });
    showExplanation($("explanation"), market, T);
    $("payout").textContent = payout === null ? "…" : `${number(payout)} ${T.points}`;
    $("payout").dataset.value = payout ?? "";
    $("payout-profit").textContent = payout === null ? "…" : `${points(payout - position.budget)} ${T.points}`;
    const board = myPlace(market.id); // as "This market", the wall and the final place count
    $("payout-rank").textContent = rankOf(board);
    $("payout-rank").dataset.value = board.row?.rank ?? "";
    $("guess-row").hidden = !market.first_guess;
    if (market.first_guess) verdict($("guess-verdict"), myBoard("guesses", market.id).row, T.no_guess);
    const traded = position.trades > 0;
    const lost = payout !== null && payout - position.budget < -0.05;
    verdict($("forecast-verdict"), traded ? myBoard("accuracy", market.id).row : null, traded ? "…" : T.no_trade, lost);
    const guessed = market.first_guess ? myBoard("guesses", market.id).row : null;
    ranges($("range-verdict"), guessed, traded ? myBoard("accuracy", market.id).row : null);
    const numbers = phase === "lesson" ? store.leaderboard.lesson?.[market.id] : null;
    $("lesson").replaceChildren(...lessonParagraphs(T, numbers, { firstGuess: market.first_guess, question: market }));
  }

  function renderBoards() {
    const market = store.current;
    const me = store.me ? store.me.id : null;
    const myName = store.me ? store.me.nickname : null;
    const marketBoard = market ? myBoard("markets", market.id) : { rows: [], row: null };
    const folded = botsLeftOut(T, store.leaderboard); // "+ 10 practice traders, not ranked"
    $("board-market").replaceChildren(...boardRows(T, marketBoard.rows, me, 5, myName, marketBoard.row), ...folded);
    const over = finished();
    // At the end the game's board is the podium: my final place, as the wall shows it.
    const gameBoard = myBoard("game");
    const gameRows = boardRows(T, gameBoard.rows, me, over ? 3 : 5, myName, gameBoard.row);
    $("board-game").replaceChildren(...gameRows, ...botsLeftOut(T, store.leaderboard));
    if (over) $("game-board-title").textContent = T.podium;
    $("game-over").hidden = !over;
    if (over) $("game-over").textContent = fill(T.game_over, { rank: rankOf(gameBoard).toLowerCase() });
    $("game-over").dataset.rank = gameBoard.row?.rank ?? "";
    if (market) {
      $("rank").textContent = rankOf(myPlace(market.id));
      if (market.status === "resolved") renderResolution(market);
    }
    renderSaid();
  }

  function renderSaid() {
    const market = store.current;
    setText($("said"), finished() ? $("game-over").textContent : market ? sentence(phaseOf(market), market) : "");
  }

  // What a screen reader hears as the round moves on (issue #27): the phase, in a sentence, with what the
  // screen shows then; the answer with my result. Said again only when it changes.
  function sentence(phase, market) {
    const text = (bind) => $(bind).textContent.trim();
    switch (phase) {
      case "question":
        return fill(T.said_question, { question: market.question });
      case "guess":
        return fill(T.said_guess, { question: market.question });
      case "guesses":
        return fill(T.said_guesses, { summary: text("strip-summary") });
      case "trading":
        return T.said_trading;
      case "closed":
        return T.wait_answer;
      case "answer":
        return fill(T.said_answer, { answer: text("outcome"), payout: text("payout"), rank: text("payout-rank") });
      case "lesson":
        return fill(T.said_lesson, { lesson: $("lesson").querySelector("p")?.textContent.trim() ?? "" });
      default:
        return "";
    }
  }

  // Every quarter second: the countdown; when a first guess's time runs out, the form says so at once.
  let couldGuess = null;
  let toldSeconds = null;
  function renderCountdown() {
    const left = showCountdown($("countdown"), store.current, T, store.game);
    // The last seconds, said (the timer itself is not a live region: it would speak four times a second).
    const mark = left === null ? null : left <= 0 ? 0 : left <= 5 ? 5 : left <= 10 ? 10 : null;
    if (mark !== toldSeconds) {
      toldSeconds = mark;
      const seconds = Math.ceil(left); // a countdown set shorter than 5 s says what it has
      const words = seconds === 1 ? T.said_one_second : fill(T.said_seconds, { seconds });
      if (mark !== null) setText($("said-time"), mark === 0 ? $("countdown").textContent : words);
    }
    const can = guessable();
    if (can !== couldGuess && store.current) {
      couldGuess = can;
      renderTrade();
    }
  }

  return { render, renderTrade, renderBoards, renderPosition, renderCountdown };
}
