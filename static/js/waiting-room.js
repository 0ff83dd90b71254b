// The host's waiting room on the game page: the list of phones waiting to be let in stays current (its
// fragment is fetched again every few seconds while the room is on or someone waits), and Admit, Admit
// all, Turn away and the switch post without leaving the page. The players' list below follows the
// host's socket as before (static/js/host.js): an admitted phone is a player who joined.
const EVERY = 2000; // ms
let timer = null;

const section = () => document.getElementById("waiting-section");

function watching() {
  const node = section();
  return node && (node.dataset.on === "true" || node.querySelector("[data-arrival]") !== null);
}

async function refresh() {
  clearTimeout(timer);
  const here = section();
  if (!here) return;
  try {
    const response = await fetch(here.dataset.url, { credentials: "same-origin" });
    if (response.ok) {
      const there = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("waiting-section");
      const current = section();
      if (there && current && !current.contains(document.activeElement) && current.outerHTML !== there.outerHTML) {
        current.replaceWith(there);
      }
    }
  } catch {
    // offline for a moment: the next round asks again
  }
  if (watching()) timer = setTimeout(refresh, EVERY);
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !section()?.contains(form) || event.defaultPrevented) return;
  event.preventDefault();
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  try {
    await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" });
  } finally {
    document.activeElement?.blur();
    await refresh();
  }
});

if (watching()) timer = setTimeout(refresh, EVERY);
