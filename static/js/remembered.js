// A switch on the wall that this browser remembers (localStorage): the high-contrast theme, the sounds. A
// toggle button, its state in aria-pressed; `apply(on)` is called at once with the remembered state and
// on every press. Where storage is refused (a locked-down browser) the switch still works for the visit.

export function rememberedSwitch(button, key, apply, { byDefault = false } = {}) {
  let on = byDefault;
  try {
    const kept = localStorage.getItem(key);
    if (kept !== null) on = kept === "on";
  } catch {
    // storage refused: the default stands
  }
  const set = (value) => {
    on = value;
    if (button) button.setAttribute("aria-pressed", String(on));
    apply(on);
  };
  button?.addEventListener("click", () => {
    set(!on);
    try {
      localStorage.setItem(key, on ? "on" : "off");
    } catch {
      // not remembered, but switched
    }
  });
  set(on);
  return () => on;
}
