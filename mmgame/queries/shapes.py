"""Plain-dict shapes of markets, trades, positions and quotes: one shape for the API, the
websockets and the pages, so that every screen shows the same numbers."""

from __future__ import annotations

import math

from django.urls import reverse

from mmgame import languages, round
from mmgame.market import Z90, Curve, Quote, Range, gaussian
from mmgame.models import Game, Market, Player, Position, Trade

from .leaderboards import Standing, position_profit
from .rounds import guess_summary

CURVE_NAMES = {"linear": ("mean", "sd"), "log": ("median", "sd_log")}


def curve(rng: Range, mean_z: float, sd_z: float, prefix: str = "") -> dict:
    """A curve in its scale's words: `mean` and `sd` in x on a linear market, `median` and `sd_log` (σ of
    ln x) on a log market (docs/maths.md § Log markets), with a prefix (`affordable_median`). The other scale's names
    are there as null, so that every market's shape has the same keys."""
    return {
        **{f"{prefix}{name}": None for names in CURVE_NAMES.values() for name in names},
        f"{prefix}{rng.curve_names[0]}": rng.to_x(mean_z),
        f"{prefix}{rng.curve_names[1]}": rng.sd_to_x(sd_z),
    }


def interval_90(rng: Range, mean_z: float, sd_z: float) -> list[float]:
    """Where a curve is 90 % sure the value lies: between its 5th and 95th percentiles, in x."""
    return [rng.to_x(mean_z - float(Z90) * sd_z), rng.to_x(mean_z + float(Z90) * sd_z)]


def market_curves(market: Market) -> dict:
    """The market's curve and its prior in the scale's words. A linear market's curve is N(mean, sd²) with
    the seed's prices (E[x], E[x²]); a log market's is its median and sd_log with its 90 % interval, and the
    seed's x/x² view, which means nothing there, is left out."""
    if market.range.log:
        prior = {"prior_mean": None, "prior_sd": None}
        prior |= {"prior_median": float(market.prior_mean), "prior_sd_log": float(market.prior_sd)}
    else:
        prior = {"prior_mean": float(market.prior_mean), "prior_sd": float(market.prior_sd)}
        prior |= {"prior_median": None, "prior_sd_log": None}
    return moving_curves(market) | prior


def moving_curves(market: Market) -> dict:
    """The curve as trading moves it: `market_curves` less the prior."""
    rng = market.range
    if rng.log:
        return {
            **curve(rng, market.mean_z, market.sd_z),
            "prices": None,
            "interval_90": interval_90(rng, market.mean_z, market.sd_z),
        }
    mean, sd = market.mean, market.sd
    return {
        **curve(rng, market.mean_z, market.sd_z),
        "prices": list(gaussian.prices(*gaussian.natural(mean, sd))),
        "interval_90": None,
    }


def market_state(market: Market) -> dict:
    """The market as every screen sees it, in the question's units. `scale` says how to read its curves:
    linear (mean, sd) or log (median, sd_log: σ of ln x, as `sd_min` is there)."""
    rng = market.range
    return {
        "id": market.pk,
        "game_id": market.game_id,
        "number": market.number,
        "question": market.question,
        "unit": market.unit,
        "lo": float(market.lo),
        "hi": float(market.hi),
        "integer": market.integer,
        "kind": market.kind,
        "scale": market.scale,
        "status": market.shown_status,
        "sequence": market.sequence,
        **market_curves(market),
        "sd_min": float(market.sd_min),
        "liquidity": market.liquidity,
        "budget": market.budget,
        "subsidy": market.engine.subsidy(),
        "outcome": None if market.outcome is None else float(rng.settle_at(market.outcome)),
        # While the host's countdown runs: when the market closes by itself, or first guesses stop (ISO 8601).
        "closes_at": None if market.closes_at is None or market.countdown_over() else market.closes_at.isoformat(),
        "phase": market.shown_phase,
        "first_guess": market.first_guess,
        "guesses": guess_summary(market),
        # Private clues, if the host hands them out: how far off each is, typically (each player's own clue
        # reaches their screen alone, in the snapshot's `clues`).
        "clues": None if market.clue_noise is None else {"noise": market.clue_noise, "kind": market.clue_noise_kind},
        "explanation": explanation(market),
        "picture": picture(market),
    }


def explanation(market: Market) -> dict | None:
    """The teacher's explanation of the answer and its source, once the answer is shown (before, it would
    give the answer away); None before, or when the teacher wrote neither. Every screen shows it as text."""
    if not round.PHASES[market.phase].answer_shown or not (market.explanation or market.source):
        return None
    return {"text": market.explanation, "source": market.source}


def picture(market: Market) -> dict | None:
    """The question's picture, if it has one: where the app serves it (mmgame/web/pictures.py) and its alt text."""
    if not market.picture:
        return None
    return {"url": reverse("web:picture", args=[market.pk, market.picture_name]), "alt": market.picture_alt}


# What trading, the host's controls and the countdown change; the rest of `market_state` is fixed when
# the market is added. A screen that knows a market gets only these in an update (docs/protocol.md §2.2).
MOVING_FIELDS = ("id", "status", "sequence", "mean", "sd", "prices", "median", "sd_log", "interval_90")
MOVING_FIELDS += (
    "outcome",
    "closes_at",
    "phase",
    "guesses",
    "clues",
    "steps",
    "explanation",
)  # steps: mmgame.round, by the room
MOVING_FIELDS += ("picture",)  # the host may replace it while the question shows


def market_moves(market: Market) -> dict:
    """The parts of `market_state` that change after the market is added (MOVING_FIELDS), built without
    the rest: an update, sent several times a second, need not price the subsidy or read the prior."""
    rng = market.range
    return {
        "id": market.pk,
        "status": market.shown_status,
        "sequence": market.sequence,
        **moving_curves(market),
        "outcome": None if market.outcome is None else float(rng.settle_at(market.outcome)),
        "closes_at": None if market.closes_at is None else market.closes_at.isoformat(),
        "phase": market.phase,
        "guesses": guess_summary(market),
        "clues": None if market.clue_noise is None else {"noise": market.clue_noise, "kind": market.clue_noise_kind},
        "explanation": explanation(market),
        "picture": picture(market),
    }


def steps(market: Market, *, traded: bool) -> dict:
    """What the host may do next with the market (mmgame.round.steps), as its screens are sent it with each
    snapshot and update: the control room offers these and works out none itself."""
    facts = round.Facts(first_guess=market.first_guess, guessed=market.guess_count > 0, traded=traded)
    return round.steps(market.shown_phase, market.shown_status, facts)


def guess_state(market: Market, guess: Curve, reason: str = "") -> dict:
    """A player's first guess in the market's words, with its 90 % interval and the reason they gave (the
    player's own screen; the host's alone besides)."""
    rng = market.range
    return {
        "market_id": market.pk,
        **curve(rng, guess.mean, guess.sd),
        "interval_90": interval_90(rng, guess.mean, guess.sd),
        "reason": reason,
    }


def trade_entry(trade: Trade, market: Market | None = None) -> dict:
    """One line of the trade feed."""
    market = market or trade.market
    rng = market.range
    return {
        "id": trade.pk,
        "market_id": trade.market_id,
        "sequence": trade.sequence,
        "player_id": trade.player_id,
        "nickname": trade.player.nickname,
        "is_bot": trade.player.is_bot,
        "kind": trade.kind,
        "fraction": trade.fraction,
        **curve(rng, trade.mean_z_after, trade.sd_z_after),
        "liquidity": market.liquidity,
        **trade.curves_exact(),
        "cost": trade.cost,
        "worst_case": trade.worst_case,
        # The seed's raw (x, x²) shares: on a log market the securities pay ln x and (ln x)², so none.
        "shares": None if rng.log else list(trade.shares_x),
        "created_at": trade.created_at.isoformat(),
    }


def trade_answer_line(trade: Trade, market: Market) -> dict:
    """A trade as its own trader's answer carries it: where it left the market in the scale's words, how
    far toward the asked curve it went (`fraction`), its cost and the most it can lose. The trader's own
    name is on their screen already; the exact curves and raw shares are the API's (`trade_entry`)."""
    rng = market.range
    centre, spread = rng.curve_names
    return {
        "id": trade.pk,
        "market_id": trade.market_id,
        "sequence": trade.sequence,
        "player_id": trade.player_id,
        "kind": trade.kind,
        "fraction": trade.fraction,
        centre: rng.to_x(trade.mean_z_after),
        spread: rng.sd_to_x(trade.sd_z_after),
        "cost": trade.cost,
        "worst_case": trade.worst_case,
        "created_at": trade.created_at.isoformat(),  # its commit: the bench measures staleness from it
    }


FEED_COLUMNS = ("sequence", "player_id", "player__nickname", "player__is_bot", "kind", "mean_z_after", "sd_z_after")


def feed_entry(row: dict, market: Market) -> dict:
    """A trade as the live feed and the curve's history show it, from its FEED_COLUMNS (a `values()` row:
    a snapshot reads fifty of them, for every screen that connects, without building Trade objects). No cost:
    no screen shows one (a trade's cost is in its trader's answer and on the API), and every update carries
    twelve lines to every screen."""
    rng = market.range
    centre, spread = rng.curve_names  # a feed line, sent many times a second, carries its scale's names only
    shown = {centre: drawn(rng.to_x(row["mean_z_after"])), spread: drawn(rng.sd_to_x(row["sd_z_after"]))}
    return {
        "sequence": row["sequence"],
        "player_id": row["player_id"],
        "nickname": row["player__nickname"],
        "is_bot": row["player__is_bot"],
        "kind": row["kind"],
        **shown,
    }


def drawn(value: float) -> float:
    """Ten significant digits: all a feed line or the history's curve can show, and no binary noise
    (105.69177499999999) in the update every screen gets several times a second. Exact values: the API."""
    return float(f"{value:.10g}")


def position_state(market: Market, position: Position | None, player: Player) -> dict:
    """A player's holding: wealth at a few outcomes is for drawing; the curve is in z coefficients."""
    if position is None:
        position = Position(player=player, market=market, budget=market.budget, wealth_const=market.budget)
    worst, where = position.wealth.worst()
    best, best_at = position.wealth.best()
    rng = market.range
    return {
        "market_id": market.pk,
        "player_id": player.pk,
        "budget": position.budget,
        "wealth": {
            "const": position.wealth_const,
            "linear": position.wealth_linear,
            "quadratic": position.wealth_quadratic,
            **coordinate(rng),
        },
        "worst_case": worst,
        "worst_at": rng.to_x(where),
        "best_case": best,
        "best_at": rng.to_x(best_at),
        "expected_profit": position_profit(market, position),
        "trades": position.trades,
        "payout": position.payout,
    }


def coordinate(rng: Range) -> dict:
    """What a polynomial in z is a polynomial of: z = (y − centre)/half_width, y = x or, on a log scale, ln x."""
    return {"centre": float(rng.centre), "half_width": float(rng.half_width), "scale": rng.scale}


def quote_summary(market: Market, quote: Quote) -> dict:
    rng = market.range
    # Where the trader's budget can take the market: the affordable fraction of the whole move.
    move = quote.move
    reach = move.before.toward(move.after, quote.affordable_fraction / move.fraction) if move.fraction else move.before
    return {
        **curve(rng, reach.mean, reach.sd, prefix="affordable_"),
        "market_id": market.pk,
        "sequence": market.sequence,
        **curve(rng, move.after.mean, move.after.sd),
        "fraction": quote.move.fraction,
        "cost": quote.move.cost,
        "shares": [quote.move.shares[0], quote.move.shares[1]],
        "trade_worst_case": quote.move.worst,
        "trade_best_case": quote.move.best,
        "expected_if_right": quote.expected_if_right,
        "worst_case_after": quote.worst_case,
        "worst_at": rng.to_x(quote.worst_at_z),
        "affordable": quote.affordable,
        "affordable_fraction": quote.affordable_fraction,
        "offer": quote.offer,
        "pnl": {
            "const": quote.move.pnl.const,
            "linear": quote.move.pnl.linear,
            "quadratic": quote.move.pnl.quadratic,
            **coordinate(rng),
        },
    }


def standings(rows: list[Standing]) -> list[dict]:
    return [
        {"player_id": s.player_id, "nickname": s.nickname, "score": s.score, "rank": s.rank, "is_bot": s.is_bot}
        for s in rows
    ]


def game_state(game: Game) -> dict:
    return {
        "id": game.pk,
        "title": game.title,
        "join_code": game.join_code,
        "status": game.status,
        "hide_names": game.hide_names,
        "late_joins": game.late_joins,
        "waiting_room": game.waiting_room,
        "include_bots": game.include_bots,
        "current_market_id": game.current_market_id,
        "language": game.language,
        "autopilot": autopilot_state(game),
    }


def autopilot_state(game: Game) -> dict:
    """The game's autopilot as every screen is sent it (mmgame.services.autopilot): whether it runs, when the
    round steps on (`at`, UTC: the countdown every screen shows), a hold and the seconds it keeps, and why it
    holds by itself (no answer entered in advance), in the active language (a socket's room says it in each
    screen's: mmgame.live.room)."""
    on = game.autopilot and game.status != Game.Status.FINISHED  # the podium has no next step
    return {
        "on": on,
        "at": None if game.autopilot_at is None or not on else game.autopilot_at.isoformat(),
        "held": game.autopilot_held,
        "left": None if game.autopilot_left is None else math.ceil(game.autopilot_left),
        "note": languages.said(languages.restored(game.autopilot_note)),  # kept as words: said here
    }
