"""What the round's phases show (DESIGN 2): the class's first guesses, their board, and the lesson.

"Beat" everywhere means a better score on the accuracy board's measure, ln p(x*) − ln p_prior(x*): a
curve beats another when it put more weight on the true value. The errors (`errors`) are how far each
middle was from the true value: another measure, so the screens say them in other words ("off by").
"""

from __future__ import annotations

import math
import statistics
from decimal import Decimal

from mmgame import access
from mmgame.market import Curve
from mmgame.models import Clue, Guess, Market, Player, Position

from .leaderboards import Ranking, accuracy_leaderboard, current, mixture, scored


def guesses_of(market: Market) -> dict[int, Curve]:
    """Each first guess of a seat still in the game, in z (a kicked or removed seat's is left out, as its
    rows are left off the boards)."""
    rows = Guess.objects.filter(market=market, player__kicked=False).values_list("player_id", "mean_z", "sd_z")
    return {pid: Curve(mean, sd) for pid, mean, sd in rows}


def guess_summary(market: Market) -> dict | None:
    """What every screen sees of the first guesses: how many there are and, while the guesses are revealed
    (their phase), each guess's middle (anonymous, in order) and their average (in ln x on a log market: a
    geometric mean). None when the market asks for no first guess. Only the reveal reads the guesses: a
    trade's answer and every update after it carry the count the market row keeps."""
    if not market.first_guess:
        return None
    summary = {"count": market.guess_count, "revealed": access.guesses_revealed(market), "middles": None}
    summary["average"] = None
    if market.phase != Market.Phase.GUESSES:
        return summary
    rng = market.range
    means = sorted(curve.mean for curve in guesses_of(market).values())
    summary["count"] = len(means)  # the reveal counts the seats still in the game, as its dots do
    summary["middles"] = [float(f"{rng.to_x(z):.10g}") for z in means]
    summary["average"] = rng.to_x(math.fsum(means) / len(means)) if means else None
    return summary


def guess_average(market: Market) -> Curve | None:
    """The class's average first guess as one forecast: the mixture of the guesses, matched by its mean and
    variance (as the crowd's average last forecast is, mmgame.queries.leaderboards.crowd_forecast)."""
    return mixture(list(guesses_of(market).values()))


def guess_leaderboard(market: Market) -> Ranking:
    """After resolution: each first guess scored against the prior, ln p_guess(x*) − ln p_prior(x*)."""
    market = current(market)
    return scored(market, guesses_of(market)) if market.outcome is not None else Ranking()


def lesson(market: Market) -> dict | None:
    """The lesson of a resolved market, as numbers the screens put in words: the market's final curve
    scored like a player; how many of the players who traded (or guessed) it beat; and the class's average
    first guess, scored the same way; and how far off, from the true value X, the private clues were (the
    median |cᵢ − X|), the class's average first guess was and the market's final forecast is (DESIGN 1.8).
    None before the answer."""
    market = current(market)
    if market.outcome is None:
        return None
    engine = market.engine
    z = engine.settle_z(market.outcome)
    market_score = engine.prior.log_ratio(engine.curve, z)
    # "Of you" counts the class: practice traders are never in it (their trades still moved the market).
    traders = [row.score for row in accuracy_leaderboard(market) if not row.is_bot]
    guessers = [row.score for row in guess_leaderboard(market) if not row.is_bot]
    average = guess_average(market)
    average_score = None if average is None else engine.prior.log_ratio(average, z)
    return {
        "market": market_score,
        "traders": len(traders),
        "traders_beaten": sum(score < market_score for score in traders),
        "guessers": len(guessers),
        "guessers_beaten": sum(score < market_score for score in guessers),
        "guess_average": average_score,
        **errors(market, average),
    }


def errors(market: Market, average: Curve | None) -> dict:
    """How far off the clues, the class's average first guess and the market's final forecast were, in the
    engine's coordinate y: in the unit on a linear market, in ln x on a log one (where "off by 0.14" is
    "off by a factor of e^0.14 = 1.15"). Each `_percent` is the same error as a percentage: of |X| on a
    linear market, (e^error − 1)·100 on a log one. `clue_error` is the median over the clues handed out
    (a typical clue's error); null where there are none (no clues, no first guesses)."""
    rng = market.range
    truth = float(rng.y(Decimal(market.outcome)))
    clues = [
        float(rng.y(Decimal(value))) for value in Clue.objects.filter(market=market).values_list("value", flat=True)
    ]
    found = {
        "clue_error": statistics.median(abs(y - truth) for y in clues) if clues else None,
        "guess_error": None if average is None else abs(rng.to_y(average.mean) - truth),
        "market_error": abs(rng.to_y(market.engine.curve.mean) - truth),
    }
    shares = {f"{name}_percent": percent_of(market, error, truth) for name, error in found.items()}
    return {**found, **shares, "clues": len(clues)}


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
