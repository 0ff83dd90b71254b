// The market list's order before the round (issue #25 item 4): a market not yet shown is dragged into place,
// or moved one place with its Move up / Move down buttons (keyboard and screen reader: the list says where it
// went). The new order goes to the API, the one path of the host's actions; the server renumbers the markets
// not yet shown and every host tab follows. The list is then drawn again from the server's HTML.
import { post } from "./control.js";
import { fill } from "./format.js";

const movable = (list) => [...list.querySelectorAll("li[data-movable]")];
const idOf = (row) => Number(row.dataset.marketId);

// Returns whether a drag is under way: the list is not drawn again beneath the pointer meanwhile.
export function orderMarkets({ T, redraw }) {
  let dragged = null;

  async function send(list, ids, row, action) {
    const refused = document.querySelector("[data-bind=order-refused]");
    try {
      await post(`games/${list.dataset.reorder}/markets/order`, { markets: ids });
      refused.hidden = true;
    } catch (error) {
      refused.textContent = fill(T.order_refused, { message: error.message || error.code });
      refused.hidden = false;
    }
    await redraw();
    const moved = document.getElementById(row.id);
    if (!moved) return;
    const number = moved.dataset.market;
    const question = moved.querySelector("[data-bind=market-title]").textContent.replace(/^#\d+\s*/, "");
    document.querySelector("[data-bind=order-said]").textContent = fill(T.order_moved, { question, number });
    // Focus stays on the market that moved: its same button, or the other one at the top or bottom.
    if (action) (moved.querySelector(`[data-action=${action}]`) || moved.querySelector("[data-action^=move-]"))?.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action=move-up], [data-action=move-down]");
    if (!button) return;
    const row = button.closest("li[data-movable]");
    const list = row.closest("ol[data-reorder]");
    const ids = movable(list).map(idOf);
    const here = ids.indexOf(idOf(row));
    const there = ids.indexOf(Number(button.dataset.swap));
    if (here < 0 || there < 0) return;
    [ids[here], ids[there]] = [ids[there], ids[here]];
    send(list, ids, row, button.dataset.action);
  });

  document.addEventListener("dragstart", (event) => {
    dragged = event.target.closest?.("li[data-movable]") || null;
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    dragged.classList.add("dragging");
  });

  document.addEventListener("dragover", (event) => {
    if (!dragged || event.target.closest?.("ol[data-reorder]") !== dragged.parentElement) return;
    event.preventDefault(); // a drop is allowed anywhere in the list (between rows too)
    const over = event.target.closest("li[data-movable]");
    if (!over || over === dragged) return;
    const box = over.getBoundingClientRect();
    over.parentElement.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? over : over.nextSibling);
  });

  document.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const row = dragged;
    const list = row.closest("ol[data-reorder]");
    row.classList.remove("dragging");
    dragged = null;
    send(list, movable(list).map(idOf), row, null);
  });

  document.addEventListener("dragend", () => {
    if (!dragged) return; // dropped: sent
    dragged.classList.remove("dragging");
    dragged = null;
    redraw(); // dropped outside the list: back to the order the server keeps
  });

  return () => dragged !== null;
}
