// The lesson of a resolved market in plain words, from the numbers the server sends with the leaderboard
// (`lesson[market_id]`: the market's final forecast scored like a player, how many of the traders and of
// the first guesses it beat, and the class's average first guess scored the same way). "Beat" means a
// better score on the accuracy board's measure, ln p(x*) − ln p₀(x*): the precise term is in a tooltip.
// With clues, "off by" and "nearer" say how far a middle was from the true value: another measure, so
// another word (a wide curve with its middle nearer can still score worse).
import { fill, number, quantity } from "./format.js";

// The sentences, most important first: [{text, kind}], kind "verdict" for the headline.
export function lessonSentences(T, numbers, { firstGuess = false, question = null } = {}) {
  if (!numbers) return [];
  const out = [];
  const { market, traders, traders_beaten: beaten, guessers, guessers_beaten: guessesBeaten } = numbers;
  // With private clues, the clue lines compare the class's average first guess with the market by their
  // middles; the headline then leaves it out, so that it never says "beat" beside a nearer middle.
  const clued = clueSentences(T, numbers, question);
  const average = clued.length ? null : numbers.guess_average ?? null;
  const beatAverage = average !== null && market > average;
  if (traders > 0) {
    const many = beaten === traders ? "lesson_all" : beaten === 0 ? "lesson_none_beaten" : "lesson_some";
    const two = traders === 2 && many !== "lesson_some" ? `${many}_two` : many; // "both of you", not "all 2"
    const key = traders === 1 ? (beaten ? "lesson_one_beaten" : "lesson_one_not_beaten") : two;
    const also = average === null ? "" : beatAverage ? "_and_average" : "_not_average";
    out.push({ text: fill(T[key + also], { beaten, count: traders }), kind: "verdict" });
  } else {
    out.push({ text: T.lesson_nobody_traded, kind: "verdict" });
    if (average !== null) out.push({ text: beatAverage ? T.lesson_beat_average : T.lesson_lost_to_average, kind: "" });
  }
  if (guessers === 1) out.push({ text: guessesBeaten ? T.lesson_guesses_one_beaten : T.lesson_guesses_one_not_beaten, kind: "" });
  else if (guessers > 0) out.push({ text: fill(T.lesson_guesses, { beaten: guessesBeaten, count: guessers }), kind: "" });
  else if (firstGuess) out.push({ text: T.lesson_nobody_guessed, kind: "" });
  if (traders > 0) out.push({ text: market >= 0 ? T.lesson_closer : T.lesson_further, kind: "" });
  out.push(...clued);
  return out;
}

// With private clues (DESIGN 1.8): how far off the typical clue, the class's average first guess and the
// market's final forecast were, and whether the market pooled the clues. On a log market the errors are in
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
    const pooled = numbers.market_error < numbers.clue_error;
    out.push({ text: pooled ? T.lesson_pooled : T.lesson_not_pooled, kind: "pooled" });
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
