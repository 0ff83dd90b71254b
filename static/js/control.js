// The host's control room: what every screen shows now, the one Next step (and Back where nothing
// irreversible has happened), the timers, the answer typed once, the live curve and feed. It reads the
// host's socket (the same Store as every screen) and acts through the JSON API. Which step follows which is
// the server's: each market comes with its `steps` (mmgame.round.steps: Next, Back, whether each asks first,
// what a timer does, whether its round is over), and what each phase shows with the page (static/js/round.js).
import { drawCurves } from "./chart.js";
import { clockText, secondsLeft } from "./countdown.js";
import { fill, formatQuantity, guessText, kindOf, quantity } from "./format.js";
import { sayBack, typedText } from "./number-input.js";
import { feedRows } from "./screen.js";
import { roundTable, shows } from "./round.js";
import { tradeCount } from "./store.js";

const NO_STEPS = { next: null, back: null, next_confirm: false, back_confirm: false, timer: null, over: false };
const stepsOf = (market) => market?.steps || NO_STEPS;

function csrfToken() {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

// POST to the API as the signed-in host; resolves to the JSON answer, or throws {code, message, ...}.
export async function post(path, body = {}) {
  const response = await fetch(`/api/${path}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ code: "error", message: response.statusText }));
  if (!response.ok) throw answer;
  return answer;
}

async function read(path) {
  const response = await fetch(`/api/${path}`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(response.statusText);
  return response.json();
}

export class ControlRoom {
  constructor(root, { store, T, answers, ask = (q) => window.confirm(q) }) {
    this.root = root;
    this.store = store;
    this.T = T;
    this.answers = answers; // {market id: the answer entered in advance, as typed digits}: the host's alone
    this.ask = ask;
    this.busy = false;
    this.$ = (name) => root.querySelector(`[data-bind="${name}"]`);
    this.button = (action) => root.querySelector(`[data-action="${action}"]`);
    this.button("step-next").addEventListener("click", () => this.next());
    this.button("step-back").addEventListener("click", () => this.back());
    this.button("pause").addEventListener("click", () => this.pauseOrResume());
    this.button("timer").addEventListener("click", () => this.startTimer());
    this.button("extend").addEventListener("click", () => this.extendTimer());
    this.$("stage-answer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveAnswer();
    });
    this.button("clear-answer").addEventListener("click", () => this.clearAnswer());
    this.button("autopilot-hold").addEventListener("click", () => this.holdOrGoOn());
    this.button("autopilot-extend").addEventListener("click", () => this.autopilot("extend"));
    this.button("autopilot-skip").addEventListener("click", () => this.autopilot("skip"));
    this.$("autopilot-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveAutopilot(event.target);
    });
  }

  current() {
    const id = this.store.game?.current_market_id;
    return id ? this.store.markets.get(id) || null : null;
  }

  sorted() {
    return [...this.store.markets.values()].sort((a, b) => a.number - b.number);
  }

  // The market Next goes to after this one's lesson (or from the lobby): the first not yet answered.
  following(current) {
    return this.sorted().find((m) => !stepsOf(m).over && (!current || m.id !== current.id)) || null;
  }

  // What the one Next button does now: {label, run}.
  nextStep() {
    const T = this.T;
    const game = this.store.game;
    if (game && game.status === "finished") return null;
    const market = this.current();
    const phase = stepsOf(market).next;
    if (market && phase) return { label: T[`next_${phase}`], run: () => this.step(market, phase) };
    const following = this.following(market);
    if (following) {
      const label = fill(T.next_market, { number: following.number });
      return { label: `${label} ${following.question}`, run: () => this.show(following) };
    }
    if (market) return { label: T.next_podium, run: () => this.finish() };
    return null;
  }

  next() {
    const step = this.nextStep();
    if (step && !this.busy) step.run();
  }

  render() {
    const T = this.T;
    const game = this.store.game;
    const market = this.current();
    const next = this.nextStep();
    const nextButton = this.button("step-next");
    nextButton.textContent = next ? next.label : game?.status === "finished" ? T.finished : T.next_none;
    this.hold(nextButton, !next);
    // After the podium there is no going back: every screen stays on it whatever the market's phase.
    const back = game?.status !== "finished" ? stepsOf(market).back : null;
    const backButton = this.button("step-back");
    if (!back && document.activeElement === backButton) (next ? nextButton : this.$("stage-question")).focus();
    backButton.hidden = !back;
    this.hold(backButton, false);
    if (back) backButton.textContent = T[`back_${back}`];
    this.root.dataset.phase = game?.status === "finished" ? "podium" : market ? market.phase : "lobby";
    this.$("stage-question").textContent = market
      ? `#${market.number} ${market.question}`
      : game?.status === "finished" ? T.finished : T.lobby;
    this.showPhases(market);
    // Said to a screen reader as the round moves on (the focus stays on Next, whose words alone may go
    // unread): the phase, then what is on every screen.
    const question = this.$("stage-question").textContent;
    const said = game?.status === "finished" ? T.finished : market ? `${T[`phase_${market.phase}`]}: ${question}` : question;
    if (this.$("stage-said").textContent !== said) this.$("stage-said").textContent = said;
    this.showFacts(market);
    this.showTimer(market);
    this.showAutopilot(market);
    this.showAnswer(market);
    this.showLive(market);
    this.askWhoTakesPart(market);
  }

  // Who has guessed and traded in the market on screen: read at most once a second, after news of it.
  askWhoTakesPart(market) {
    const list = this.$("stage-taking-part");
    list.hidden = !market || !shows(market.phase).clues; // nobody takes part before the players forecast
    if (list.hidden) return;
    const key = `${market.id}:${market.sequence}:${this.store.activePlayers().length}`;
    if (this.takingPartKey === key) return;
    this.takingPartKey = key;
    clearTimeout(this.takingPartTimer);
    this.takingPartTimer = setTimeout(async () => {
      try {
        this.showWhoTakesPart(market, await read(`markets/${market.id}/taking-part`));
      } catch {
        this.takingPartKey = null; // try again with the next news
      }
    }, 1000);
  }

  showWhoTakesPart(market, rows) {
    const T = this.T;
    const guessing = market.first_guess && shows(market.phase).needs === "first_guess";
    this.$("stage-taking-part").replaceChildren(
      ...rows.map((row) => {
        const item = document.createElement("li");
        const done = guessing ? row.guessed : row.trades > 0;
        item.dataset.done = String(done);
        const mark = guessing ? (row.guessed ? T.has_guessed : T.not_guessed) : row.trades === 1 ? T.trade_once : fill(T.trade_times, { count: row.trades });
        item.textContent = `${row.nickname}: ${mark}`;
        return item;
      }),
    );
  }

  showPhases(market) {
    const list = this.$("stage-phases");
    const { order } = roundTable();
    const phases = order.filter((p) => shows(p).shown && (!market || market.first_guess || shows(p).needs !== "first_guess"));
    const at = market ? phases.indexOf(market.phase) : -1;
    list.replaceChildren(
      ...phases.map((phase, i) => {
        const item = document.createElement("li");
        item.textContent = this.T[`phase_${phase}`];
        item.dataset.state = i < at ? "done" : i === at ? "now" : "later";
        if (i === at) item.setAttribute("aria-current", "step");
        return item;
      }),
    );
  }

  showFacts(market) {
    const T = this.T;
    const node = this.$("stage-facts");
    if (!market) {
      node.textContent = "";
      return;
    }
    const players = this.store.activePlayers().length;
    const guesses = market.guesses;
    let text = "";
    const shown = shows(market.phase);
    if (shown.guess && guesses) text = fill(T.guessed, { count: guesses.count, players });
    else if (shown.guesses_shown && !shown.live && guesses) {
      const average = guesses.average === null ? "–" : guessText(guesses.average, market);
      text = fill(T.guesses_shown, { count: guesses.count, average });
    } else if (shown.live && !shown.answer_shown) {
      text = fill(T.trades_count, { count: tradeCount(this.store, market.id).all });
      if (market.status === "paused") text = `${T.paused} · ${text}`;
    } else if (shown.answer_shown) text = fill(T.answer_known, { value: quantity(market.outcome, market, true, { exact: true }) });
    node.textContent = text;
  }

  showTimer(market) {
    const T = this.T;
    const box = this.$("stage-timer");
    const timer = stepsOf(market).timer;
    const timed = market && (timer !== null || market.status === "paused"); // paused: the box offers Resume
    box.hidden = !timed;
    if (!timed) return;
    const guessing = timer === "stop_guesses";
    this.$("stage-timer-label").textContent = guessing ? T.stop_guesses_in : T.close_in;
    const pause = this.button("pause");
    pause.hidden = guessing;
    pause.textContent = market.status === "paused" ? T.resume : T.pause;
    const left = secondsLeft(market.closes_at);
    const clock = this.$("stage-countdown");
    clock.hidden = left === null;
    this.button("extend").hidden = left === null || left <= 0;
    if (left !== null) {
      const shown = guessing ? (left > 0 ? fill(T.guesses_stop_in, { time: clockText(left) }) : T.guesses_stopped)
        : left > 0 ? fill(T.closes_in, { time: clockText(left) }) : T.closing;
      if (clock.textContent !== shown) clock.textContent = shown;
    }
  }

  // Autopilot (docs/round.md § Autopilot): the time left in the phase on screen, Hold / Go on, +30 s, Skip, and
  // why it holds by itself (no answer entered in advance).
  showAutopilot(market) {
    const T = this.T;
    const game = this.store.game;
    const pilot = game?.autopilot;
    const running = Boolean(pilot?.on && market && game.status !== "finished");
    this.root.dataset.autopilot = running ? "on" : "off";
    this.$("stage-autopilot").hidden = !running;
    const note = this.$("autopilot-note");
    note.hidden = !running || !pilot.note;
    if (note.textContent !== (pilot?.note || "")) note.textContent = pilot?.note || "";
    if (!running) return;
    const hold = this.button("autopilot-hold");
    hold.textContent = pilot.held ? T.autopilot_go_on : T.autopilot_hold;
    hold.setAttribute("aria-pressed", String(pilot.held));
    for (const action of ["autopilot-hold", "autopilot-extend", "autopilot-skip"]) this.hold(this.button(action), false);
    const left = pilot.held ? pilot.left ?? 0 : secondsLeft(pilot.at);
    const clock = this.$("autopilot-countdown");
    const shown = pilot.held ? fill(T.autopilot_held, { time: clockText(left) })
      : left === null ? "" : left > 0 ? fill(T.steps_in, { time: clockText(left) }) : T.stepping;
    if (clock.textContent !== shown) clock.textContent = shown;
  }

  async holdOrGoOn() {
    await this.autopilot("hold", { held: !this.store.game?.autopilot?.held });
  }

  async autopilot(action, body = {}) {
    await this.act(() => post(`games/${this.root.dataset.code}/autopilot/${action}`, body));
  }

  async saveAutopilot(form) {
    const seconds = {};
    for (const input of form.querySelectorAll("input[type=number]")) seconds[input.name] = Number(input.value);
    const on = form.querySelector("input[name=on]").checked;
    const saved = await this.act(() => post(`games/${this.root.dataset.code}/autopilot`, { on, seconds }));
    if (!saved) return;
    this.say(saved.on ? this.T.autopilot_saved : this.T.autopilot_off);
    const takes = saved.question_seconds;
    this.$("autopilot-total").textContent = fill(this.T.autopilot_total, { a: takes.with_guesses, b: takes.without_guesses });
  }

  showAnswer(market) {
    const T = this.T;
    const form = this.$("stage-answer");
    const secret = this.$("stage-secret");
    const open = market && !stepsOf(market).over;
    form.hidden = !open;
    if (!open) {
      secret.textContent = "";
      return;
    }
    const input = form.querySelector("input");
    input.dataset.kind = kindOf(market);
    input.dataset.unit = market.unit || "";
    const known = this.answers[market.id];
    this.button("clear-answer").hidden = known === undefined;
    secret.textContent = known === undefined ? T.answer_none : fill(T.answer_secret, { value: this.written(known, market) });
  }

  showLive(market) {
    const svg = this.root.querySelector("[data-chart=stage-curve]");
    const feed = this.$("stage-feed");
    const live = market && shows(market.phase).live;
    svg.toggleAttribute("hidden", !live); // an <svg> has no `hidden` property of its own: set the attribute
    feed.hidden = !live;
    if (!live) return;
    const key = `${market.id}:${market.sequence}:${svg.clientWidth}`;
    if (svg.dataset.drawn !== key) {
      svg.dataset.drawn = key;
      const exact = (v) => quantity(v, market, true, { exact: true });
      drawCurves(svg, { market, mine: null, outcome: market.outcome ?? null, format: exact, tick: (v, o) => quantity(v, market, false, o), labels: this.T });
    }
    feed.replaceChildren(...feedRows(this.T, this.store, market, 6));
  }

  written(value, market) {
    return formatQuantity(Number(value), kindOf(market), market.unit || "");
  }

  // While an action is on its way, a button says so (aria-disabled; act() runs one at a time) but keeps the
  // keyboard's focus, which a disabled button drops to the page's start: a keyboard user pressing Next lands
  // on Next again. One with nothing left to do is disabled, its focus handed to the stage's question.
  hold(button, none) {
    if (none && document.activeElement === button) this.$("stage-question").focus();
    button.disabled = none;
    button.setAttribute("aria-disabled", String(this.busy || none));
  }

  say(text) {
    this.$("stage-message").textContent = text;
  }

  // Run one host action; a refusal that asks to close a market still trading is asked, then sent again.
  async act(run) {
    if (this.busy) return null;
    this.busy = true;
    this.render();
    try {
      const answer = await run({});
      this.say("");
      return answer;
    } catch (error) {
      if (error && error.code === "confirm_needed" && error.still_trading) {
        const numbers = error.still_trading.map((id) => this.store.markets.get(id)?.number ?? id).join(", #");
        if (this.ask(fill(this.T.confirm_others, { numbers }))) {
          try {
            return await run({ close_others: true });
          } catch (again) {
            this.say(fill(this.T.failed, { message: again.message || again.code }));
          }
        }
        return null;
      }
      this.say(fill(this.T.failed, { message: (error && (error.message || error.code)) || String(error) }));
      return null;
    } finally {
      this.busy = false;
      this.render();
    }
  }

  async step(market, phase) {
    const body = { phase };
    const confirm = stepsOf(market).next_confirm;
    if (shows(phase).answer_shown && !shows(market.phase).answer_shown) {
      const value = this.answerFor(market);
      if (value === null) return;
      if (!this.ask(fill(this.T.confirm_answer, { value: value.shown }))) return;
      if (value.outcome !== null) body.outcome = value.outcome;
    } else if (confirm && !this.ask(this.T[`confirm_${phase}`])) return;
    if (confirm) body.confirm = true;
    await this.act((extra) => post(`markets/${market.id}/phase`, { ...body, ...extra }));
  }

  // The true value to reveal: the one entered in advance, or the one typed now ({outcome, shown}).
  answerFor(market) {
    const input = this.$("stage-answer").querySelector("input");
    const typed = typedText(input).trim();
    if (!typed && this.answers[market.id] !== undefined) {
      return { outcome: null, shown: this.written(this.answers[market.id], market) };
    }
    const value = typed ? sayBack(input, { kind: kindOf(market), unit: market.unit || "" }) : null;
    if (value === null) {
      this.say(this.T.answer_needed);
      input.focus();
      return null;
    }
    return { outcome: value, shown: formatQuantity(value, kindOf(market), market.unit || "") };
  }

  async back() {
    const market = this.current();
    const phase = stepsOf(market).back;
    if (!market || !phase) return;
    const body = { phase };
    if (stepsOf(market).back_confirm) {
      if (!this.ask(this.T[`confirm_${phase}`])) return;
      body.confirm = true;
    }
    await this.act(() => post(`markets/${market.id}/phase`, body));
  }

  async show(market) {
    await this.act((extra) => post(`markets/${market.id}/show`, { ...extra }));
  }

  async finish() {
    const open = this.sorted().filter((m) => !stepsOf(m).over && shows(m.phase).shown);
    const question = open.length
      ? fill(this.T.confirm_podium_unanswered, { numbers: open.map((m) => m.number).join(", #") })
      : this.T.confirm_podium;
    if (!this.ask(question)) return;
    await this.act(() => post(`games/${this.root.dataset.code}/finish`));
  }

  async pauseOrResume() {
    const market = this.current();
    if (!market) return;
    await this.act(() => post(`markets/${market.id}/${market.status === "paused" ? "open" : "pause"}`));
  }

  async startTimer(seconds = null) {
    const market = this.current();
    if (!market) return;
    const typed = Number.parseInt(this.root.querySelector("#stage-seconds").value, 10);
    const countdown = seconds ?? typed;
    if (!Number.isInteger(countdown) || countdown < 1 || countdown > 3600) return;
    await this.act(() => post(`markets/${market.id}/close`, { countdown }));
  }

  async extendTimer() {
    const market = this.current();
    const left = market ? secondsLeft(market.closes_at) : null;
    if (left === null) return;
    await this.startTimer(Math.min(3600, Math.ceil(left) + 30));
  }

  async saveAnswer() {
    const market = this.current();
    if (!market) return;
    const input = this.$("stage-answer").querySelector("input");
    const value = sayBack(input, { kind: kindOf(market), unit: market.unit || "" });
    if (value === null) {
      this.say(this.T.answer_needed);
      return;
    }
    const saved = await this.act(() => post(`markets/${market.id}/answer`, { answer: value }));
    if (!saved) return;
    this.answers[market.id] = saved.answer_exact;
    input.value = "";
    this.say(this.T.answer_saved);
    this.render();
  }

  async clearAnswer() {
    const market = this.current();
    if (!market) return;
    const saved = await this.act(() => post(`markets/${market.id}/answer`, { answer: null }));
    if (!saved) return;
    delete this.answers[market.id];
    this.say(this.T.answer_cleared);
    this.render();
  }
}
