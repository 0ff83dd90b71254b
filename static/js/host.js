// The host's control page stays current: when a player joins or the board moves, redraw its live parts
// from the server's own HTML (the forms inside carry their CSRF tokens), never mid-typing.
import { Live, socketUrl } from "./live.js";

const root = document.getElementById("controls");
const parts = ["players-section", "board-section"];
let timer = null;

async function refresh() {
  const response = await fetch(location.href, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of parts) {
    const here = document.getElementById(id);
    const there = fresh.getElementById(id);
    if (here && there && !here.contains(document.activeElement)) here.replaceWith(there);
  }
}

new Live(socketUrl(root.dataset.game, "host"), {
  onStatus: (state) => {
    root.dataset.live = state;
  },
  onMessage: (message) => {
    if (!["player", "leaderboard"].includes(message.type)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 300); // one fetch for a burst of news
  },
});
