"""What the round's phases show (docs/round.md): the class's first guesses, their board, and the lesson.

"Beat" everywhere means a better score on the accuracy board's measure, ln p(x*) − ln p_prior(x*): a
curve beats another when it put more weight on the true value, and an equal score is a tie
(mmgame.market.scoring). The errors (`errors`) are how far each middle was from the true value: another
measure, so the screens say them in other words ("off by").
"""

from __future__ import annotations

import math
import statistics
from decimal import Decimal

from mmgame import access
from mmgame.market import Curve, inside_90, lean, mixture_log_ratio, pooling, tally
from mmgame.models import Clue, Guess, Market, Player, Position

from .leaderboards import Ranking, accuracy_leaderboard, current, last_forecasts, scored


def guesses_of(market: Market) -> dict[int, Curve]:
    """Each first guess of a seat still in the game, in z (a kicked or removed seat's is left out, as its
    rows are left off the boards)."""
    rows = Guess.objects.filter(market=market, player__kicked=False).values_list("player_id", "mean_z", "sd_z")
    return {pid: Curve(mean, sd) for pid, mean, sd in rows}


def class_guesses(market: Market) -> dict[int, Curve]:
    """The first guesses of the class — the seats every board ranks (leaderboards.ranked): people always,
    practice traders only when the host included them (Game.include_bots) — in z: what the reveal shows and
    averages, and what the lesson counts and scores, so that the strip and the verdict speak of the same guesses."""
    rows = Guess.objects.filter(market=market, player__kicked=False)
    rows = rows.exclude(player__is_bot=True, player__game__include_bots=False)
    return {pid: Curve(mean, sd) for pid, mean, sd in rows.values_list("player_id", "mean_z", "sd_z")}


def average_middle(curves: list[Curve]) -> float | None:
    """The middle of the class's average first guess, in z: the mean of the mixture, the mean of the middles
    (in ln x on a log market: a geometric mean). None when nobody guessed."""
    return math.fsum(curve.mean for curve in curves) / len(curves) if curves else None


def guess_summary(market: Market) -> dict | None:
    """What every screen sees of the first guesses: how many there are and, while the guesses are revealed
    (their phase), each guess's middle (anonymous, in order) and the middle of their average (in ln x on a log
    market: a geometric mean): the class's guesses alone (`class_guesses`), as the lesson counts them. None when
    the market asks for no first guess. Only the reveal reads the guesses: a trade's answer and every update
    after it carry the count the market row keeps."""
    if not market.first_guess:
        return None
    summary = {"count": market.guess_count, "revealed": access.guesses_revealed(market), "middles": None}
    summary["average"] = None
    summary["reasons"] = None
    if market.phase != Market.Phase.GUESSES:
        return summary
    if access.picked_reasons_shown(market):
        summary["reasons"] = picked_reasons(market)
    rng = market.range
    curves = sorted(class_guesses(market).values(), key=lambda curve: curve.mean)
    summary["count"] = len(curves)  # the reveal counts the guesses it shows, as its dots do
    summary["middles"] = [float(f"{rng.to_x(curve.mean):.10g}") for curve in curves]
    middle = average_middle(curves)
    summary["average"] = None if middle is None else rng.to_x(middle)
    return summary


def picked_reasons(market: Market) -> list[dict]:
    """The reasons the host picked, as the wall and the phones show them at the reveal: the words, and the
    player's name unless the game hides names (mmgame.access.reason_names_shown)."""
    named = access.reason_names_shown(market.game)
    rows = Guess.objects.filter(market=market, reason_picked=True, player__kicked=False).order_by("id")
    return [
        {"reason": reason, "nickname": nickname if named else None}
        for reason, nickname in rows.values_list("reason", "player__nickname")
    ]


def every_reason(market: Market) -> list[dict]:
    """For the host alone (mmgame.access.every_reason): each reason given with a first guess, whether it is
    picked for the wall, and whose it is (join order)."""
    rows = Guess.objects.filter(market=market, player__kicked=False).exclude(reason="")
    rows = rows.order_by("player__joined_at", "player_id")
    return [
        {"guess_id": gid, "player_id": pid, "nickname": name, "reason": reason, "picked": picked}
        for gid, pid, name, reason, picked in rows.values_list(
            "id", "player_id", "player__nickname", "reason", "reason_picked"
        )
    ]


def guess_leaderboard(market: Market) -> Ranking:
    """After resolution: each first guess scored against the prior, ln p_guess(x*) − ln p_prior(x*)."""
    market = current(market)
    return scored(market, guesses_of(market)) if market.outcome is not None else Ranking()


def calibrated(market: Market, rows: list[dict], curves: dict[int, Curve]) -> list[dict]:
    """A resolved market's board rows (of last forecasts or first guesses, `curves` by player), each with
    whether the true value fell inside that forecast's 90 % range, by the one rule (mmgame.market.inside_90):
    what a phone's result card says of its own."""
    z = market.range.exact_z(market.range.settle_at(market.outcome))
    return [{**row, "inside_90": inside_90(curves[row["player_id"]], z)} for row in rows]


def lesson(market: Market) -> dict | None:
    """The lesson of a resolved market, as numbers the screens put in words (docs/lesson-numbers.md): the
    market's final curve scored like a player; how many of the class's last forecasts and first guesses it
    beat, tied with (the same score: the same curve) and lost to; the class's average first guess, their
    mixture, scored by its density; how many of those forecasts' 90 % ranges held the true value; and how far
    off, from the true value X, the private clues were (the median |cᵢ − X|), the class's average first guess
    was and the market's final forecast is, and whether the market can be said to have pooled the clues
    (docs/maths.md § Clues, docs/lesson-numbers.md; `pooled`). "The class" is the seats the
    boards rank (leaderboards.ranked). None before the answer."""
    market = current(market)
    if market.outcome is None:
        return None
    engine = market.engine
    exact_z = market.range.exact_z(market.range.settle_at(market.outcome))
    z = float(exact_z)
    market_score = engine.prior.log_ratio(engine.curve, z)
    # "Of you" counts the class: the board's ranked rows (practice traders left out still moved the market).
    traders = {row.player_id for row in accuracy_leaderboard(market)}
    last = {pid: curve for pid, curve in last_forecasts(market).items() if pid in traders}
    guesses = list(class_guesses(market).values())
    by_traders = tally(market_score, (engine.prior.log_ratio(curve, z) for curve in last.values()))
    by_guesses = tally(market_score, (engine.prior.log_ratio(curve, z) for curve in guesses))
    return {
        "market": market_score,
        "traders": len(last),
        "traders_beaten": by_traders.beaten,
        "traders_tied": by_traders.tied,
        "traders_inside": sum(inside_90(curve, exact_z) for curve in last.values()),
        "guessers": len(guesses),
        "guessers_beaten": by_guesses.beaten,
        "guessers_tied": by_guesses.tied,
        "guessers_inside": sum(inside_90(curve, exact_z) for curve in guesses),
        "guess_average": mixture_log_ratio(engine.prior, guesses, z) if guesses else None,
        **errors(market, average_middle(guesses)),
    }


def errors(market: Market, average: float | None) -> dict:
    """How far off the clues, the class's average first guess (`average`, its middle in z) and the market's
    final forecast were, in the engine's coordinate y: in the unit on a linear market, in ln x on a log one
    (where "off by 0.14" is "off by a factor of e^0.14 = 1.15"). Each `_percent` is the same error as a
    percentage: of |X| on a linear market, (e^error − 1)·100 on a log one. `clue_error` is the median over
    the clues handed out (a typical clue's error); null where there are none (no clues, no first guesses)."""
    rng = market.range
    truth = float(rng.y(Decimal(market.outcome)))
    held = {
        pid: float(rng.y(Decimal(value)))
        for pid, value in Clue.objects.filter(market=market).values_list("player_id", "value")
    }
    clues = list(held.values())
    found = {
        "clue_error": statistics.median(abs(y - truth) for y in clues) if clues else None,
        "guess_error": None if average is None else abs(rng.to_y(average) - truth),
        "market_error": abs(rng.to_y(market.engine.curve.mean) - truth),
    }
    shares = {f"{name}_percent": percent_of(market, error, truth) for name, error in found.items()}
    return {**found, **shares, "clues": len(clues), **pooled(market, held, truth)}


def pooled(market: Market, held: dict[int, float], truth: float) -> dict:
    """Whether the lesson may say the market pooled its clues (mmgame.market.pooling; docs/lesson-numbers.md):
    `pooling` is "pooled" (nearer the true value than the typical clue, and the bets followed the clues beyond
    chance), "nearer" (nearer, but the bets do not show it was more than luck) or "farther"; null without
    clues. `held` is each seat's clue in y. Every clue holder's bets count, practice traders' too: the market
    pooled whatever it was told. The evidence itself stays here: with two traders it would tell each the
    other's clue once the answer is out."""
    if not held or market.clue_noise is None:
        return {"pooling": None}
    middle = market.engine.curve.mean
    positions = Position.objects.filter(market=market, player_id__in=held)
    leans = {
        pid: lean(linear, quadratic, middle)
        for pid, linear, quadratic in positions.values_list("player_id", "wealth_linear", "wealth_quadratic")
    }
    verdict = pooling(
        truth=truth,
        market=market.range.to_y(middle),
        clues=list(held.values()),
        leans=[leans.get(pid) for pid in held],
    )
    said = "pooled" if verdict.pooled else "nearer" if verdict.nearer else "farther"
    return {"pooling": said}


def percent_of(market: Market, error: float | None, truth: float) -> float | None:
    """An error in y as a percentage: a factor e^error on a log market, a share of |X| on a linear one (none
    when X is 0)."""
    if error is None:
        return None
    if market.range.log:
        return math.expm1(error) * 100
    return None if truth == 0 else error / abs(truth) * 100


def own_guess(market: Market, player_id: int) -> Curve | None:
    """A player's own first guess, in z (theirs alone until the guesses are revealed)."""
    row = Guess.objects.filter(market=market, player_id=player_id).values_list("mean_z", "sd_z").first()
    return None if row is None else Curve(*row)


def own_reason(market: Market, player_id: int) -> str:
    """The reason a player gave with their own first guess ("" without one): read back on their own screen."""
    reason = Guess.objects.filter(market=market, player_id=player_id).values_list("reason", flat=True).first()
    return reason or ""


def participation(market: Market) -> list[dict]:
    """For the host's control room: each player still in the game, whether they gave a first guess and how
    many trades they made in this market (join order)."""
    guessed = set(Guess.objects.filter(market=market).values_list("player_id", flat=True))
    trades = dict(Position.objects.filter(market=market).values_list("player_id", "trades"))
    seats = Player.objects.filter(game_id=market.game_id, kicked=False).order_by("joined_at", "id")
    return [
        {"player_id": pid, "nickname": name, "guessed": pid in guessed, "trades": trades.get(pid, 0)}
        for pid, name in seats.values_list("id", "nickname")
    ]
