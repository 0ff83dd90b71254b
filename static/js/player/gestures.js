// Moving the forecast on the curve itself: a handle follows the finger (or the mouse); a press elsewhere
// slides the whole curve once it moves sideways, or puts the middle where it was tapped; arrow keys on a
// focused handle step it. Vertical swipes stay the browser's: the chart is `touch-action: pan-y`, so a
// swipe up or down scrolls the page (the browser then cancels the press) and never moves the curve.
// Everything here is in the engine's coordinate y (x, or ln x on a log market's log axis): `current()` is
// the forecast as a bell curve {mean, sd} of y, and `move` gets one.
import { keyStep, toY } from "./forecast.js";
import { draftable, state, store } from "./state.js";

const SLIDE_AFTER = 6; // px sideways before a press becomes a slide rather than a tap

export function watchGestures(svg, { current, move }) {
  const valueAt = (event) => {
    const box = svg.getBoundingClientRect();
    const viewWidth = svg.viewBox.baseVal.width || box.width;
    return toY(store.current, state.scales.fromX(((event.clientX - box.left) * viewWidth) / box.width));
  };

  svg.addEventListener("pointerdown", (event) => {
    if (!draftable() || !state.scales || event.button > 0) return;
    const handle = event.target.dataset ? event.target.dataset.handle : undefined;
    const mean = current().mean;
    state.gesture = { x: event.clientX, value: valueAt(event), mean, handle: handle || null, moving: null };
    svg.setPointerCapture(event.pointerId);
  });

  // Nothing moves until the pointer has gone a few pixels sideways: a swipe up or down that starts on a
  // handle leaves the forecast exactly as it was (the browser takes it and cancels the press).
  svg.addEventListener("pointermove", (event) => {
    const gesture = state.gesture;
    if (!gesture) return;
    if (!gesture.moving && Math.abs(event.clientX - gesture.x) > SLIDE_AFTER) gesture.moving = gesture.handle || "slide";
    if (!gesture.moving) return;
    const x = valueAt(event);
    const mine = current();
    if (gesture.moving === "width") move({ mean: mine.mean, sd: Math.abs(x - mine.mean) });
    else move({ mean: gesture.mean + (x - gesture.value), sd: mine.sd }); // the centre, or the whole curve
  });

  svg.addEventListener("pointerup", (event) => {
    const gesture = state.gesture;
    state.gesture = null;
    // A tap off the handles puts the middle there; a tap on a handle only focuses it.
    if (gesture && !gesture.moving && !gesture.handle && draftable()) move({ mean: valueAt(event), sd: current().sd });
  });

  svg.addEventListener("pointercancel", () => {
    state.gesture = null; // the browser took the swipe to scroll
  });

  svg.addEventListener("keydown", (event) => {
    const handle = event.target.dataset ? event.target.dataset.handle : undefined;
    const market = store.current;
    if (!handle || !market || !draftable()) return;
    const next = keyStep(market, current(), handle, event);
    if (!next) return;
    event.preventDefault();
    move(next);
  });
}
