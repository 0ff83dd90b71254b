// The phone's bottom tabs: the forecast, my position, the boards and the feed, each one tap (or one arrow
// key) away. On a wide screen every panel shows and the tabs are not drawn (CSS).
import { state } from "./state.js";

export function watchTabs(tablist, { changed }) {
  const tabs = [...tablist.querySelectorAll("[role=tab]")];
  const name = (tab) => tab.id.replace(/^tab-/, "");

  function select(tab, { focus = false } = {}) {
    state.tab = name(tab);
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).classList.toggle("active", on);
    }
    if (focus) tab.focus();
    changed(state.tab);
  }

  tablist.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) select(tab);
  });
  // The ARIA tabs pattern: arrows, Home and End move between tabs; Tab goes on into the panel.
  tablist.addEventListener("keydown", (event) => {
    const at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    select(tabs[(to + tabs.length) % tabs.length], { focus: true });
  });
  select(tabs.find((tab) => name(tab) === state.tab) || tabs[0]);
}
