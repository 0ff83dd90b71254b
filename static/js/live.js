// One websocket per screen (docs/protocol.md): reconnect with backoff, answer requests by request_id,
// and hand every other frame to the page. A reconnect brings a fresh snapshot: that is the resync.

// Refusals that a retry cannot change.
const FINAL = new Set([4401, 4403, 4404]);
// Closes after which a quick retry would only repeat them: the wait before trying again, at least.
// 4408: this screen did not keep up with what it was sent; 4429: the seat has too many screens open
// (stale ones expire within a minute or two); 4413: it sent frames far too fast.
const PATIENCE = new Map([
  [4408, 5000],
  [4429, 20000],
  [4413, 5000],
]);
const MAX_DELAY = 10000;

// A screen's socket, its frames applied to `store` (static/js/store.js `apply`): a screen that must resync asks
// for a snapshot here, and `onChange(message, before)` hears of every frame that brought something new, with the
// market as it was before an update (the host's page compares the two).
export function followGame(url, store, { onStatus, onChange }) {
  const live = new Live(url, {
    onStatus,
    onMessage: (message) => {
      const before = message.type === "update" ? store.markets.get(message.market_id) : undefined;
      const { changed, resync } = store.apply(message);
      if (followLanguage(store.game)) return;
      if (resync) live.send({ type: "snapshot" });
      if (changed) onChange(message, before);
    },
  });
  return live;
}

// The wall and a phone whose player chose no language of their own carry data-follows-game on <html>: when the
// host changes the game's language (docs/i18n.md) they load again in it, as the server now serves them.
export function followLanguage(game) {
  const root = document.documentElement;
  if (!game || !game.language || !("followsGame" in root.dataset) || game.language === root.lang) return false;
  location.reload();
  return true;
}

export function socketUrl(gameId, role) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/games/${gameId}/${role}/`;
}

export function randomKey() {
  // crypto.randomUUID needs a secure context; a classroom server on a LAN address may have none.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Live {
  constructor(url, { onMessage, onStatus }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.pending = new Map();
    this.counter = 0;
    this.attempt = 0;
    this.stopped = false;
    this.open();
    // A locked phone or a sleeping laptop: check the socket again as soon as the page is visible.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.nudge();
    });
    window.addEventListener("online", () => this.reopen());
    // The browser knows the network is gone before the socket does: say so now, retry when it is back.
    window.addEventListener("offline", () => this.drop());
  }

  open() {
    this.onStatus(this.attempt ? "reconnecting" : "connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;

    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      // Proof that this screen reads what it is sent (mmgame.live.reading): echo every check at once.
      if (message.type === "check") {
        this.send({ type: "seen", nonce: message.nonce });
        return;
      }
      if (message.type === "snapshot") {
        this.attempt = 0; // back to quick retries only once the server has let this screen in
        this.onStatus("live");
      }
      const waiting = message.request_id && this.pending.get(message.request_id);
      if (waiting) {
        this.pending.delete(message.request_id);
        waiting.resolve(message);
      }
      this.onMessage(message, Boolean(waiting));
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.failPending();
      if (FINAL.has(event.code) || this.stopped) {
        this.onStatus("closed", event.code);
        return;
      }
      if (PATIENCE.has(event.code)) this.onStatus("closed", event.code); // say why while it waits
      this.retry(PATIENCE.get(event.code) || 0);
    };
  }

  retry(atLeast = 0) {
    this.attempt += 1;
    if (!atLeast) this.onStatus("reconnecting");
    const delay = Math.max(atLeast, Math.min(MAX_DELAY, 500 * 2 ** (this.attempt - 1))) * (0.75 + Math.random() * 0.5);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), delay);
  }

  // Abandon the current socket (its close event is ignored) and try again with backoff.
  drop() {
    if (this.stopped || !this.ws) return;
    const ws = this.ws;
    this.ws = null;
    this.failPending();
    try {
      ws.close();
    } catch {
      // already closing
    }
    this.retry();
  }

  reopen() {
    if (this.stopped || this.connected) return;
    clearTimeout(this.timer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      try {
        ws.close();
      } catch {
        // already closing
      }
    }
    this.open();
  }

  failPending() {
    for (const waiting of this.pending.values()) waiting.reject(new Error("disconnected"));
    this.pending.clear();
  }

  nudge() {
    if (this.stopped || !this.ws) return;
    if (this.ws.readyState === WebSocket.CLOSED) {
      this.reopen();
    } else if (this.ws.readyState === WebSocket.OPEN) {
      this.request({ type: "ping" }, 4000).catch(() => {
        // No pong: the connection is dead without knowing it. Drop it and start again.
        this.drop();
      });
    }
  }

  get connected() {
    return this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.connected) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  // Send a request and wait for the frame that echoes its request_id.
  request(message, timeout = 10000) {
    const id = `${message.type[0]}-${++this.counter}`;
    return new Promise((resolve, reject) => {
      if (!this.send({ ...message, request_id: id })) {
        reject(new Error("disconnected"));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error("timeout"));
      }, timeout);
      this.pending.set(id, {
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }
}
