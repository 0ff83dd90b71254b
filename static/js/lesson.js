// The lesson of a resolved market in plain words, from the numbers the server sends with the leaderboard
// (`lesson[market_id]`, mmgame.queries.rounds.lesson: the market's final forecast scored like a player, how
// many of the traders and of the first guesses it beat and tied with, the class's average first guess — the
// mixture of the guesses — scored the same way, and how many first guesses' 90 % ranges held the true value).
// "Beat" means a better score on the accuracy board's measure, ln p(x*) − ln p₀(x*), "tied" the same score
// (the same curve), "lost to" a worse one: the precise term is in a tooltip. With clues, "off by" and
// "nearer" say how far a middle was from the true value: another measure, so another word (a wide curve with
// its middle nearer can still score worse). docs/lesson-numbers.md says how each number is found.
import { fill, number, quantity } from "./format.js";

// How the market's final forecast did against a score: "beat", "tied" or "lost".
function against(market, other) {
  return market > other ? "beat" : market < other ? "lost" : "tied";
}

// The headline when nobody tied with the market (the class's average folded in unless it tied too).
function plainHeadline(T, traders, beaten, versus) {
  const many = beaten === traders ? "lesson_all" : beaten === 0 ? "lesson_none_beaten" : "lesson_some";
  const two = traders === 2 && many !== "lesson_some" ? `${many}_two` : many; // "both of you", not "all 2"
  const key = traders === 1 ? (beaten ? "lesson_one_beaten" : "lesson_one_not_beaten") : two;
  const also = versus === null ? "" : versus === "beat" ? "_and_average" : "_not_average";
  return fill(T[key + also], { beaten, count: traders });
}

// The headline when some of the traders' last forecasts tied with the market's final one: said as such.
function tiedHeadline(T, traders, beaten, tied) {
  const lost = traders - beaten - tied;
  let key = "lesson_beat_tied_lost";
  if (traders === 1) key = "lesson_one_tied";
  else if (tied === traders) key = traders === 2 ? "lesson_tied_all_two" : "lesson_tied_all";
  else if (lost === 0) key = "lesson_beat_tied";
  else if (beaten === 0) key = "lesson_tied_lost";
  return fill(T[key], { beaten, tied, lost, count: traders });
}

// The sentences, most important first: [{text, kind}], kind "verdict" for the headline.
// `calibration: false` leaves out how many first guesses' 90 % ranges held the true value (the projector, whose
// large type holds few lines; every phone says it).
export function lessonSentences(T, numbers, { firstGuess = false, question = null, calibration = true } = {}) {
  if (!numbers) return [];
  const out = [];
  const { market, traders, traders_beaten: beaten, guessers, guessers_beaten: guessesBeaten } = numbers;
  const tied = numbers.traders_tied ?? 0;
  const guessesTied = numbers.guessers_tied ?? 0;
  // With private clues, the clue lines compare the class's average first guess with the market by their
  // middles; the headline then leaves it out, so that it never says "beat" beside a nearer middle.
  const clued = clueSentences(T, numbers, question);
  const average = clued.length ? null : numbers.guess_average ?? null;
  const versus = average === null ? null : against(market, average);
  if (traders > 0) {
    if (tied === 0 && versus !== "tied") {
      out.push({ text: plainHeadline(T, traders, beaten, versus), kind: "verdict" });
    } else {
      const text = tied === 0 ? plainHeadline(T, traders, beaten, null) : tiedHeadline(T, traders, beaten, tied);
      out.push({ text, kind: "verdict" });
      if (versus !== null) out.push({ text: T[`lesson_final_${versus === "lost" ? "lost_to" : versus}_average`], kind: "" });
    }
  } else {
    out.push({ text: T.lesson_nobody_traded, kind: "verdict" });
    const said = { beat: T.lesson_beat_average, lost: T.lesson_lost_to_average, tied: T.lesson_tied_average };
    if (versus !== null) out.push({ text: said[versus], kind: "" });
  }
  if (guessers === 1) {
    const one = guessesBeaten ? T.lesson_guesses_one_beaten : guessesTied ? T.lesson_guesses_one_tied : T.lesson_guesses_one_not_beaten;
    out.push({ text: one, kind: "" });
  } else if (guessers > 0) {
    const key = guessesTied ? "lesson_guesses_tied" : "lesson_guesses";
    out.push({ text: fill(T[key], { beaten: guessesBeaten, tied: guessesTied, count: guessers }), kind: "" });
  } else if (firstGuess) out.push({ text: T.lesson_nobody_guessed, kind: "" });
  // How many first guesses' 90 % ranges held the true value; with clues the clue lines take its place (the
  // projector holds so many lines).
  const inside = numbers.guessers_inside;
  if (calibration && guessers > 0 && !clued.length && inside !== undefined && inside !== null) {
    const text = guessers === 1
      ? (inside ? T.lesson_inside_guess_one : T.lesson_outside_guess_one)
      : fill(T.lesson_inside_guesses, { inside, count: guessers });
    out.push({ text, kind: "" });
  }
  if (traders > 0) {
    const start = { beat: T.lesson_closer, tied: T.lesson_same_as_start, lost: T.lesson_further }[against(market, 0)];
    out.push({ text: start, kind: "" });
  }
  out.push(...clued);
  return out;
}

// With private clues (docs/maths.md § Clues): how far off the typical clue, the class's average first guess and the
// market's final forecast were, and whether this market shows that trading pooled the clues. On a log market the errors are in
// ln x, said as percentages; on a linear one in the question's unit.
function clueSentences(T, numbers, question) {
  if (!numbers.clues || numbers.clue_error === null || numbers.clue_error === undefined) return [];
  const log = !question || question.scale === "log";
  const say = (name) => {
    const error = numbers[`${name}_error`];
    const percent = numbers[`${name}_error_percent`];
    if (log) return fill(T.lesson_error_percent, { percent: number(percent, 2) });
    return quantity(error, question);
  };
  const out = [{ text: fill(T.lesson_clues, { error: say("clue"), count: numbers.clues }), kind: "clues" }];
  if (numbers.guess_error !== null && numbers.guess_error !== undefined) {
    out.push({ text: fill(T.lesson_guess_error, { error: say("guess") }), kind: "clues" });
  }
  if (numbers.market_error !== null && numbers.market_error !== undefined) {
    out.push({ text: fill(T.lesson_market_error, { error: say("market") }), kind: "clues" });
    // The server's verdict (mmgame.market.pooling): "pooled" only when the market ended nearer the true value
    // than the typical clue and the bets followed the clues beyond chance; "nearer" when that may be luck.
    const verdict = { pooled: T.lesson_pooled, nearer: T.lesson_nearer_by_chance, farther: T.lesson_not_pooled };
    const said = verdict[numbers.pooling];
    if (said) out.push({ text: said, kind: "pooled" });
  }
  return out;
}

// The sentences as paragraphs, the precise measure in the headline's tooltip.
export function lessonParagraphs(T, numbers, options) {
  return lessonSentences(T, numbers, options).map(({ text, kind }) => {
    const p = document.createElement("p");
    p.textContent = text;
    if (kind) p.className = kind;
    if (kind === "verdict" && T.lesson_intro_title) p.title = T.lesson_intro_title;
    return p;
  });
}
