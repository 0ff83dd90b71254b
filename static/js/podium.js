// The final podium as a show on the projector: third, second, first revealed in turn, then the rest of
// the board. With reduced motion asked for, everything is there at once and nothing moves.
import { points } from "./format.js";
import { botMark } from "./screen.js";

// Milliseconds before each step: third place, second, first (a longer wait: the drum roll), the rest.
const STEPS = [1200, 2200, 3000, 1800];
const PLACES = 3;

export class PodiumShow {
  constructor(list, rest, T) {
    this.list = list;
    this.rest = rest;
    this.T = T;
    this.stage = null; // how many steps are done: 1 third shown, 2 second, 3 first, 4 the rest
  }

  start(redraw) {
    if (this.stage !== null) return;
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      this.stage = STEPS.length;
      return;
    }
    this.stage = 0;
    let at = 0;
    STEPS.forEach((wait, step) => {
      at += wait;
      setTimeout(() => {
        this.stage = step + 1;
        redraw();
      }, at);
    });
  }

  // Fill the podium from the game's board (best first, as the server ranks every board: practice traders
  // only when the host included them; `after`, the line for those left out, under the rest); a slot is
  // shown once its step has come.
  render(rows, after = []) {
    const T = this.T;
    const slots = this.slots(Math.min(PLACES, rows.length));
    slots.forEach((slot, index) => {
      const row = rows[index];
      const [medal, name, score] = slot.children;
      set(medal, String(row.rank));
      set(name, row.nickname ?? T.hidden);
      if (row.is_bot) name.append(botMark(T));
      set(score, `${points(row.score)} ${T.points}`);
      slot.toggleAttribute("data-revealed", this.stage >= PLACES - index);
    });
    const others = rows.slice(PLACES).map((row) => {
      const node = document.createElement("li");
      const who = document.createElement("span");
      who.textContent = `${row.rank}. ${row.nickname ?? T.hidden}`;
      if (row.is_bot) who.append(botMark(T));
      const score = document.createElement("span");
      score.className = "score";
      score.textContent = points(row.score);
      node.append(who, score);
      return node;
    });
    this.rest.replaceChildren(...others, ...after);
    this.rest.toggleAttribute("data-revealed", this.stage > PLACES);
  }

  // One <li> per place, kept between redraws so that a reveal's transition is not restarted.
  slots(count) {
    while (this.list.children.length > count) this.list.lastElementChild.remove();
    while (this.list.children.length < count) {
      const slot = document.createElement("li");
      slot.dataset.place = String(this.list.children.length + 1);
      const medal = document.createElement("span");
      medal.className = "medal";
      const name = document.createElement("strong");
      name.className = "name";
      const score = document.createElement("span");
      score.className = "score";
      slot.append(medal, name, score);
      this.list.append(slot);
    }
    return [...this.list.children];
  }
}

function set(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
