// The lesson of a resolved market in plain words, from the numbers the server sends with the leaderboard
// (`lesson[market_id]`: the market's final forecast scored like a player, how many of the traders and of
// the first guesses it beat, and the class's average first guess scored the same way). "Closer" means a
// better score on the accuracy board's measure, ln p(x*) − ln p₀(x*): the precise term is in a tooltip.
import { fill } from "./format.js";

// The sentences, most important first: [{text, kind}], kind "verdict" for the headline.
export function lessonSentences(T, numbers, { firstGuess = false } = {}) {
  if (!numbers) return [];
  const out = [];
  const { market, traders, traders_beaten: beaten, guessers, guessers_beaten: guessesBeaten } = numbers;
  const average = numbers.guess_average ?? null;
  const beatAverage = average !== null && market > average;
  if (traders > 0) {
    const key = beaten === traders ? "lesson_all" : beaten === 0 ? "lesson_none_beaten" : "lesson_some";
    const also = average === null ? "" : beatAverage ? "_and_average" : "_not_average";
    out.push({ text: fill(T[key + also], { beaten, count: traders }), kind: "verdict" });
  } else {
    out.push({ text: T.lesson_nobody_traded, kind: "verdict" });
    if (average !== null) out.push({ text: beatAverage ? T.lesson_beat_average : T.lesson_lost_to_average, kind: "" });
  }
  if (guessers > 0) out.push({ text: fill(T.lesson_guesses, { beaten: guessesBeaten, count: guessers }), kind: "" });
  else if (firstGuess) out.push({ text: T.lesson_nobody_guessed, kind: "" });
  if (traders > 0) out.push({ text: market >= 0 ? T.lesson_closer : T.lesson_further, kind: "" });
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
