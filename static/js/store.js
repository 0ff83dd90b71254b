// The game as this screen knows it, kept in step by the protocol's sequence rule (docs/protocol.md §2.1). Every
// page hands each frame to `apply` (static/js/live.js `followGame`), so snapshots, updates, boards, resyncs and
// hidden names follow one set of rules everywhere.
import { curveInY, isLog } from "./gauss.js";
import { shows } from "./round.js";

export class Store {
  constructor() {
    this.ready = false;
    this.game = null;
    this.me = null;
    this.markets = new Map();
    this.seq = new Map();
    this.positions = {};
    this.guesses = {}; // my first guess in each market that asks for one (players only): null until given
    this.trades = {}; // the newest 200 lines of each market's feed
    this.tradeCounts = {}; // every trade of each market, and the practice traders' part: {all, bots}
    this.leaderboard = { game: [], markets: {}, accuracy: {} };
    this.players = [];
    this.clues = {}; // this player's own private clues, by market id (docs/maths.md § Clues): only the snapshot has them
  }

  snapshot(s) {
    this.ready = true;
    this.game = s.game;
    this.me = s.me;
    this.markets = new Map(s.markets.map((m) => [m.id, m]));
    this.seq = new Map(s.markets.map((m) => [m.id, m.sequence]));
    this.positions = s.positions || {};
    this.guesses = s.guesses || {};
    this.trades = s.trades || {};
    this.tradeCounts = s.trade_counts || {};
    this.leaderboard = s.leaderboard || this.leaderboard;
    this.players = s.players || [];
    this.clues = s.clues || {};
  }

  // Apply one frame from the server: {changed, resync}. `changed`: the screen has something new to show;
  // `resync`: this screen must ask for a snapshot (a gap in a market's sequence; names hidden or shown, which
  // changes what the server lets it see; a market put on screen that it has not had yet).
  apply(message) {
    switch (message.type) {
      case "snapshot":
        this.snapshot(message);
        return { changed: true, resync: false };
      case "update": {
        const result = this.update(message);
        return { changed: result === "applied", resync: result === "resync" };
      }
      case "leaderboard":
        this.leaderboard = message;
        return { changed: true, resync: false };
      case "player":
        this.player(message.change, message.player);
        return { changed: true, resync: false };
      case "game": {
        const names = Boolean(this.game) && this.game.hide_names !== message.game.hide_names;
        this.game = message.game;
        const chosen = message.game.current_market_id;
        const unknown = chosen !== null && chosen !== undefined && !this.markets.has(chosen);
        return { changed: true, resync: names || unknown };
      }
      default:
        return { changed: false, resync: false };
    }
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
    if (u.trade_counts) this.tradeCounts[id] = u.trade_counts;
    if (u.payouts && this.me) {
      const mine = u.payouts.find((p) => p.player_id === this.me.id);
      const position = this.positions[id];
      if (mine && position) position.payout = mine.payout;
    }
    return "applied";
  }

  // The market every screen shows: the game's current market, as the host last chose it (it is stored
  // with the game, so a reload or a late joiner lands on it too). Until that market's own news has come,
  // the latest one whose question has been shown.
  get current() {
    const chosen = this.game?.current_market_id;
    if (chosen !== null && chosen !== undefined && this.markets.has(chosen)) return this.markets.get(chosen);
    let latest = null;
    for (const market of this.markets.values()) {
      if (!shows(market.phase).shown) continue;
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

// A market's phase in the round (mmgame/round.py), as the server sends it with every market.
export function phaseOf(market) {
  return market ? market.phase : null;
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
// How many trades a market has had, all of them (the feed keeps the newest 200), and how many were bots'.
export function tradeCount(store, marketId) {
  const list = store.trades[marketId] || [];
  return store.tradeCounts?.[marketId] || { all: list.length, bots: list.filter((t) => t.is_bot).length };
}

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

// The whole game's board is a list; the others ("markets", "accuracy", "guesses") are keyed by market.
const GAME_BOARDS = ["game"];

// One board of the leaderboard as this screen has it (docs/protocol.md §2.4): its rows (the top ones, or
// all of them for the host), my own row (players get it in `mine`, wherever it ranks) and how many rows
// the board has. `section` is "game" (the podium at the end), "markets", "accuracy" or "guesses"; `marketId`
// picks a market's board. Every board ranks the same seats by one rule (docs/protocol.md §2.4).
export function standing(board, section, marketId, me) {
  const pick = (where) => (GAME_BOARDS.includes(section) ? where?.[section] : where?.[section]?.[marketId]);
  const rows = pick(board) || [];
  const row = pick(board?.mine) ?? (me === null || me === undefined ? null : rows.find((r) => r.player_id === me));
  return { rows, row: row ?? null, count: pick(board?.counts) ?? rows.length };
}
