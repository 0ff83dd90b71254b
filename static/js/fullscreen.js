// The projector's "Full screen" button (the Fullscreen API): the whole page on the wall, and back.

export function fullScreenButton(button, T) {
  if (!button) return;
  if (!document.fullscreenEnabled) {
    button.hidden = true;
    return;
  }
  const label = () => {
    const on = Boolean(document.fullscreenElement);
    button.textContent = on ? T.exit_full_screen : T.full_screen;
    button.setAttribute("aria-pressed", String(on));
  };
  button.addEventListener("click", () => {
    const change = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
    change.catch(() => label()); // refused (no user gesture, a frame without permission): nothing changed
  });
  document.addEventListener("fullscreenchange", label);
  label();
}
