// The player's own private clue (docs/maths.md § Clues): "A measurement says 412 beans (each one is off by about ±15 %)",
// shown from the first guesses on, while the player forecasts (once trading, in one short line under
// Confirm). The snapshot is its only carrier (`clues`, this seat's own alone): showClue returns true when
// the market says clues are out and this phone has none yet, so that the caller asks for a snapshot.
import { fill, number, quantity, spreadPlace } from "../format.js";

const FORECASTING = ["guess", "guesses", "trading"];

export function showClue({ full, short }, store, market, T) {
  const clued = Boolean(market && market.clues && FORECASTING.includes(market.phase));
  const value = clued ? store.clues[String(market.id)] : undefined;
  // While trading, one short line under Confirm: the whole sentence on top would push Confirm under the
  // phone's tab bar (360×640). Before, the sentence stands under the question, where the guess is made.
  const node = market?.phase === "trading" ? short : full;
  for (const each of [full, short]) {
    each.hidden = value === undefined || each !== node;
    if (each.hidden) each.textContent = "";
  }
  if (value === undefined) return clued;
  const { noise, kind } = market.clues;
  // The clue to the digits its noise warrants: ±15 % of 412 is ±62, so "412", not "412.3871".
  const spread = kind === "percent" ? (Math.abs(value) * noise) / 100 : noise;
  const shown = quantity(value, market, true, { place: spreadPlace(spread || Math.abs(value) || 1) });
  const off = kind === "percent" ? `${number(noise)} %` : quantity(noise, market, true, { place: spreadPlace(noise) });
  const text = fill(node === short ? T.clue_short : T.clue, { value: shown, noise: off });
  if (node.textContent !== text) node.textContent = text;
  return false;
}
