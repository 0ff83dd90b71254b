// Pieces every live screen shares: finding its parts, lists of standings and trades, polite announcements.
import { curveText, fill, number, points, upTo } from "./format.js";
import { tradeCount } from "./store.js";

export function bind(root) {
  const cache = new Map();
  return (name) => {
    if (!cache.has(name)) cache.set(name, document.querySelector(`[data-bind="${name}"]`));
    return cache.get(name);
  };
}

function li(text, className) {
  const node = document.createElement("li");
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

// A practice trader's mark, an icon and a word (not colour alone): "🤖 bot", the icon hidden from readers.
export function botMark(T) {
  const mark = document.createElement("span");
  mark.className = "bot-mark";
  const icon = Object.assign(document.createElement("span"), { textContent: "🤖" });
  icon.setAttribute("aria-hidden", "true");
  mark.append(" ", icon, ` ${T.bot || "bot"}`);
  return mark;
}

export function statusText(T, market) {
  return T[`status_${market.status}`] || market.status;
}

// The top of a board, and my own row if it is further down (names may be hidden: null). `myRow` is my
// row when the board came without it (players get the top rows and their own separately). With names
// hidden, others' rows carry no player_id: my row among the top is then the one with my rank and score.
export function boardRows(T, rows, me, limit, myName = null, myRow = null) {
  const shown = rows.slice(0, limit);
  const mine = myRow ?? (me === null ? null : rows.find((r) => r.player_id === me));
  if (mine) {
    const same = (r) => r.player_id === null && r.rank === mine.rank && r.score === mine.score;
    const at = shown.findIndex((r) => r.player_id === mine.player_id || same(r));
    if (at >= 0) shown[at] = mine;
    else shown.push(mine);
  }
  return shown.map((r) => {
    const name = r.nickname ?? (r.player_id === me && myName ? myName : T.hidden);
    const node = document.createElement("li");
    node.dataset.player = r.player_id ?? "";
    if (r.player_id === me && me !== null) node.className = "me";
    const who = document.createElement("span");
    who.textContent = `${r.rank}. ${name}${r.player_id === me && me !== null ? ` (${T.you})` : ""}`;
    if (r.is_bot) who.append(botMark(T));
    const score = document.createElement("span");
    score.className = "score";
    score.textContent = points(r.score);
    node.append(who, score);
    return node;
  });
}

// The line under a board for the practice traders it leaves out (`bots_left_out`, docs/protocol.md §2.4):
// the host did not count them, so the students stand first and the bots are one line, "+ 10 practice
// traders, not ranked". Nothing when the board ranks them (or there are none).
export function botsLeftOut(T, board) {
  const count = board?.bots_left_out || 0;
  if (!count) return [];
  return [li(count === 1 ? T.bots_left_out_one : fill(T.bots_left_out, { count }), "bots-left-out")];
}

// The newest `limit` trades, newest first. With `foldBots` (the wall): the people's trades first, and the
// practice traders' all in one last line, "+ 37 practice trades", so that a class sees itself and not ten bots.
export function feedRows(T, store, market, limit = 12, { foldBots = false } = {}) {
  const all = store.trades[market.id] || [];
  const line = (t) => {
    const node = li(fill(market.scale === "log" ? T.bought_log : T.bought, { name: t.nickname ?? T.hidden, ...curveText(t, market) }));
    if (t.is_bot) node.append(botMark(T));
    return node;
  };
  if (!foldBots) return all.slice(-limit).reverse().map(line);
  const bots = tradeCount(store, market.id).bots;
  const people = all.filter((t) => !t.is_bot).slice(-(bots ? limit - 1 : limit)).reverse();
  const rows = people.map(line);
  if (bots) {
    const folded = li(bots === 1 ? T.practice_trade_folded : fill(T.practice_trades_folded, { count: upTo(bots, 0) }));
    folded.className = "bots-folded";
    folded.append(botMark(T));
    rows.push(folded);
  }
  return rows;
}

// An aria-live region that speaks at most every few seconds, and only the latest news. The first state of
// each subject (a market just put on screen) is not news: only what changes after it is.
export function announcer(region, _template, every = 5000) {
  let last = 0;
  let timer = null;
  let lastKey = null;
  let lastSubject;
  let pending = null;
  return (text, key, subject = null) => {
    if (!region) return;
    if (lastKey === null || subject !== lastSubject) {
      // Another market on screen: what was said of the last one goes (a reader who moves to the region
      // heard "Market moved to 20 beans" during the next question), and so does anything still waiting.
      if (lastKey !== null) {
        region.textContent = "";
        clearTimeout(timer);
        timer = null;
      }
      lastKey = key;
      lastSubject = subject;
      return;
    }
    if (key === lastKey) return;
    lastKey = key;
    pending = text;
    const wait = last + every - Date.now();
    if (wait <= 0) {
      region.textContent = pending;
      last = Date.now();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        region.textContent = pending;
        last = Date.now();
      }, wait);
    }
  };
}

export { number };
