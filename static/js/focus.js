// Which market the wall shows: the one the host last acted on. Opening, pausing, closing, resolving a
// market or starting its countdown puts it on screen; trades do not. So a market resolved while another
// is trading is still revealed, and stays on screen until the host opens or changes another one.

const changed = (before, after) =>
  !before || before.status !== after.status || (before.closes_at ?? null) !== (after.closes_at ?? null);

export class Focus {
  constructor() {
    this.id = null;
  }

  // An update the store applied: `before` is the market as it was (undefined if new), `after` as it is.
  updated(before, after) {
    if (after.status !== "draft" && changed(before, after)) this.id = after.id;
  }

  // A snapshot replaced the store's markets; `before` is the Map it had (null on the first snapshot). A
  // change missed while disconnected counts as the host's step; a reveal wins over an opening.
  snapshot(before, store) {
    if (before) {
      const moved = [...store.markets.values()].filter((m) => m.status !== "draft" && changed(before.get(m.id), m));
      const revealed = moved.filter((m) => m.status === "resolved" && before.get(m.id)?.status !== "resolved");
      const pick = (revealed.length ? revealed : moved).sort((a, b) => b.number - a.number)[0];
      if (pick) this.id = pick.id;
    }
    const shown = store.markets.get(this.id);
    if (!shown || shown.status === "draft") this.id = store.current?.id ?? null;
  }

  market(store) {
    return store.markets.get(this.id) ?? store.current;
  }
}
