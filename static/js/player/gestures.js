// Moving the forecast on the curve itself: a handle moves with the finger (or the mouse); a press elsewhere
// slides the whole curve once it moves sideways, or puts the middle where it was tapped; arrow keys on a
// focused handle step it. A drag is measured in the forecast's own give-or-take, not in the axis's units:
// a pixel moves the middle by at most 1/64 of it (12 px: under a fifth) and the give-or-take by at most
// 0.72 % (12 px: under 10 %), however wide the axis is; where the chart is zoomed in closer than that, the
// curve follows the finger exactly. Vertical swipes stay the browser's: the chart is `touch-action: pan-y`, so a
// swipe up or down scrolls the page (the browser then cancels the press) and never moves the curve.
// Everything here is in the engine's coordinate y (x, or ln x on a log market's log axis): `current()` is
// the forecast as a bell curve {mean, sd} of y, and `move` gets one.
import { keyStep, toY } from "./forecast.js";
import { draftable, state, store } from "./state.js";

const SLIDE_AFTER = 6; // px sideways before a press becomes a slide rather than a tap
export const MIDDLE_PER_PX = 1 / 64; // of the give-or-take, at most
export const WIDTH_PER_PX = Math.log(1.09) / 12; // in ln of the give-or-take, at most

export function watchGestures(svg, { current, move }) {
  const valueAt = (event) => {
    const box = svg.getBoundingClientRect();
    const viewWidth = svg.viewBox.baseVal.width || box.width;
    return toY(store.current, state.scales.fromX(((event.clientX - box.left) * viewWidth) / box.width));
  };

  // How far in y one screen pixel is on the chart as drawn (the scales are linear in y).
  const perPixel = () => {
    const box = svg.getBoundingClientRect();
    const viewWidth = svg.viewBox.baseVal.width || box.width;
    const s = state.scales;
    const across = toY(store.current, s.fromX(s.right)) - toY(store.current, s.fromX(s.left));
    return (across / (s.right - s.left)) * (viewWidth / box.width);
  };

  svg.addEventListener("pointerdown", (event) => {
    if (!draftable() || !state.scales || event.button > 0) return;
    const handle = event.target.dataset ? event.target.dataset.handle : undefined;
    const { mean, sd } = current();
    // The width handle sits to the right of the middle, or to its left near the top of the range: dragging
    // it away from the middle widens.
    const away = handle === "width" && valueAt(event) < mean ? -1 : 1;
    state.gesture = { x: event.clientX, value: valueAt(event), mean, sd, away, perPx: perPixel(), handle: handle || null, moving: null };
    svg.setPointerCapture(event.pointerId);
  });

  // Nothing moves until the pointer has gone a few pixels sideways: a swipe up or down that starts on a
  // handle leaves the forecast exactly as it was (the browser takes it and cancels the press).
  svg.addEventListener("pointermove", (event) => {
    const gesture = state.gesture;
    if (!gesture) return;
    if (!gesture.moving && Math.abs(event.clientX - gesture.x) > SLIDE_AFTER) gesture.moving = gesture.handle || "slide";
    if (!gesture.moving) return;
    const dx = event.clientX - gesture.x;
    const mine = current();
    if (gesture.moving === "width") {
      const rate = Math.min(WIDTH_PER_PX, gesture.perPx / gesture.sd);
      move({ mean: mine.mean, sd: gesture.sd * Math.exp(gesture.away * dx * rate) });
    } else {
      const rate = Math.min(MIDDLE_PER_PX * gesture.sd, gesture.perPx);
      move({ mean: gesture.mean + dx * rate, sd: mine.sd }); // the centre, or the whole curve
    }
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
