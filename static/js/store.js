// The game as this screen knows it, kept in step by the protocol's sequence rule (docs/protocol.md §2.1).
import { curveInY, isLog } from "./gauss.js";

export class Store {
  constructor() {
    this.ready = false;
    this.game = null;
    this.me = null;
    this.markets = new Map();
    this.seq = new Map();
    this.positions = {};
    this.trades = {};
    this.leaderboard = { game: [], markets: {}, accuracy: {} };
    this.players = [];
    this.clues = {}; // this player's own private clues, by market id (DESIGN 1.8): only the snapshot has them
  }

  snapshot(s) {
    this.ready = true;
    this.game = s.game;
    this.me = s.me;
    this.markets = new Map(s.markets.map((m) => [m.id, m]));
    this.seq = new Map(s.markets.map((m) => [m.id, m.sequence]));
    this.positions = s.positions || {};
    this.trades = s.trades || {};
    this.leaderboard = s.leaderboard || this.leaderboard;
    this.players = s.players || [];
    this.clues = s.clues || {};
  }

  // Apply an update; returns "applied", "ignored" or "resync" (a gap: ask for a snapshot).
  update(u) {
    const id = u.market_id;
    const known = this.seq.has(id);
    if (!known && u.after > 0) return "resync";
    const have = known ? this.seq.get(id) : 0;
    if (known && u.sequence <= have) return "ignored";
    if (known && u.after > have) return "resync";
    // Once a market is known an update brings only what moves (docs/protocol.md §2.2): merge it in.
    this.markets.set(id, known ? { ...this.markets.get(id), ...u.market } : u.market);
    this.seq.set(id, u.sequence);
    const list = (this.trades[id] = this.trades[id] || []);
    for (const trade of u.trades || []) if (trade.sequence > have) list.push(trade);
    if (list.length > 200) list.splice(0, list.length - 200);
    if (u.payouts && this.me) {
      const mine = u.payouts.find((p) => p.player_id === this.me.id);
      const position = this.positions[id];
      if (mine && position) position.payout = mine.payout;
    }
    return "applied";
  }

  // The market the room is playing: the latest one that has left draft.
  get current() {
    let latest = null;
    for (const market of this.markets.values()) {
      if (market.status === "draft") continue;
      if (!latest || market.number > latest.number) latest = market;
    }
    return latest;
  }

  activePlayers() {
    return this.players.filter((p) => !p.kicked);
  }

  player(change, player) {
    const index = this.players.findIndex((p) => p.id === player.id);
    if (index >= 0) this.players[index] = player;
    else this.players.push(player);
  }
}

// A position's value if the market's curve is right: E[W] − budget, with W(z) a quadratic in z.
export function markedProfit(position, market) {
  if (position.payout !== null && position.payout !== undefined) return position.payout - position.budget;
  const w = position.wealth;
  const c = curveInY(market, market); // z = (y − centre)/half_width, y = x or ln x (the polynomial's `scale`)
  if (!c) return NaN;
  const m = (c.mean - w.centre) / w.half_width;
  const v = (c.sd / w.half_width) ** 2;
  return w.const + w.linear * m + w.quadratic * (m * m + v) - position.budget;
}

// The history of the curve: the prior, then where each trade left it.
export function curveHistory(market, trades) {
  if (isLog(market)) {
    const points = [{ median: market.prior_median, sd_log: market.prior_sd_log }];
    for (const t of trades || []) points.push({ median: t.median, sd_log: t.sd_log });
    return points;
  }
  const points = [{ mean: market.prior_mean, sd: market.prior_sd }];
  for (const t of trades || []) points.push({ mean: t.mean, sd: t.sd });
  return points;
}

// One board of the leaderboard as this screen has it (docs/protocol.md §2.4): its rows (the top ones, or
// all of them for the host), my own row (players get it in `mine`, wherever it ranks) and how many rows
// the board has. `section` is "game", "markets" or "accuracy"; `marketId` picks the market's board.
export function standing(board, section, marketId, me) {
  const pick = (where) => (section === "game" ? where?.game : where?.[section]?.[marketId]);
  const rows = pick(board) || [];
  const row = pick(board?.mine) ?? (me === null || me === undefined ? null : rows.find((r) => r.player_id === me));
  return { rows, row: row ?? null, count: pick(board?.counts) ?? rows.length };
}

// The lesson (after resolution): log scores against the prior, in nats: the market's final forecast, and
// the class's average forecast (scored by the server: `crowd` on the board). On a log market in ln x.
export function lesson(market, board) {
  if (market.status !== "resolved" || market.outcome === null) return null;
  const log = isLog(market);
  const x = log ? Math.log(market.outcome) : market.outcome;
  const logp = (c) => -0.5 * ((x - c.mean) / c.sd) ** 2 - Math.log(c.sd);
  const start = log
    ? { median: market.prior_median, sd_log: market.prior_sd_log }
    : { mean: market.prior_mean, sd: market.prior_sd };
  const prior = logp(curveInY(start, market));
  const { count } = standing(board, "accuracy", market.id, null);
  return {
    market: logp(curveInY(market, market)) - prior,
    crowd: count ? (board?.crowd?.[market.id] ?? null) : null,
    players: count,
  };
}
