// "Closes in 0:27": the host's countdown to a market's close, ticking on every screen; in the first-guess
// phase the same clock says how long is left to guess ("0:27 left to guess").
//
// The server sends `closes_at` (UTC). Clocks differ: the page carries the server's time when it was
// rendered (data-server-now on <body>, seconds since 1970), compared with the moment the browser began
// receiving the page. Off by the network's one-way delay at most: a fraction of a second.

function serverOffset() {
  const now = Number.parseFloat(document.body.dataset.serverNow);
  if (!Number.isFinite(now)) return 0; // no server time: assume synchronised clocks
  const navigation = performance.getEntriesByType?.("navigation")?.[0];
  const received = navigation ? performance.timeOrigin + navigation.responseStart : Date.now();
  return now * 1000 - received;
}

const offset = serverOffset();

const FINAL = 5; // the last seconds of a countdown, shown large on every screen

// Seconds until the deadline by the server's clock (0 once it has passed), or null with no countdown.
export function secondsLeft(closesAt) {
  if (!closesAt) return null;
  const deadline = Date.parse(closesAt);
  if (!Number.isFinite(deadline)) return null;
  return Math.max(0, (deadline - (Date.now() + offset)) / 1000);
}

export function clockText(seconds) {
  const whole = Math.ceil(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// Seconds until the round steps itself on (the game's `autopilot.at`, docs/round.md § Autopilot), or null: no
// autopilot, or held.
export function autopilotLeft(game) {
  const pilot = game?.autopilot;
  return pilot?.on && !pilot.held ? secondsLeft(pilot.at) : null;
}

// Show the countdown of `market` in `node` ("Closes in {time}" / "Closing…"; "{time} left to guess" / "Time
// is up"); with no countdown of its own, the autopilot's when `game` runs on it and `market` is on screen
// ("Next in {time}" in the other phases); hidden when none runs.
export function showCountdown(node, market, T, game = null) {
  if (!node) return null;
  const guessing = Boolean(market) && market.phase === "guess";
  let left = market && (market.status === "open" || guessing) ? secondsLeft(market.closes_at) : null;
  if (left === null && market && game?.current_market_id === market.id) left = autopilotLeft(game);
  node.hidden = left === null;
  if (left === null) return null;
  const [running, done] = guessing ? [T.guess_left, T.time_up]
    : market.status === "open" ? [T.closes_in, T.closing] : [T.steps_in, T.stepping];
  const text = left > 0 ? running.replace("{time}", clockText(left)) : done;
  if (node.textContent !== text) node.textContent = text;
  node.dataset.seconds = String(Math.ceil(left));
  node.toggleAttribute("data-final", left > 0 && left <= FINAL); // the last seconds, counted large (CSS)
  return left;
}

// Call `draw` a few times a second while the page is open: a countdown must not wait for news.
export function everySecond(draw) {
  draw();
  return setInterval(draw, 250);
}
