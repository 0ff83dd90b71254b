// The teacher's voice on a screen: the explanation and source with the answer, and the reasons the teacher
// picked with the revealed guesses (docs/round.md). Written as text: markup typed in them is shown as typed.
import { fill } from "./format.js";

// The explanation and its source in `box` (its [data-part=text] and [data-part=source]); hidden without one.
export function showExplanation(box, market, T) {
  const explained = market?.explanation ?? null;
  box.hidden = !explained;
  box.querySelector("[data-part=text]").textContent = explained?.text ?? "";
  box.querySelector("[data-part=source]").textContent = explained?.source ? fill(T.source, explained) : "";
}

// The picked reasons as list items in `list` ("Each row holds 140 (Ana)"; no name where the game hides names).
export function showReasons(list, market, T) {
  const reasons = market?.guesses?.reasons ?? [];
  list.hidden = !reasons.length;
  list.replaceChildren(
    ...reasons.map((picked) => {
      const item = document.createElement("li");
      item.textContent = picked.nickname ? fill(T.reason_by, picked) : picked.reason;
      return item;
    }),
  );
}
