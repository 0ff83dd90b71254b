"""What the round's phases show (DESIGN 2): the class's first guesses, their board, and the lesson.

"Closer" everywhere means a better score on the accuracy board's measure, ln p(x*) − ln p_prior(x*): a
curve is closer when it put more weight on the true value than another did.
"""

from __future__ import annotations

import math

from mmgame import access
from mmgame.market import Curve
from mmgame.models import Guess, Market, Player, Position

from .leaderboards import Standing, accuracy_leaderboard, current, mixture, scored


def guesses_of(market: Market) -> dict[int, Curve]:
    """Each player's first guess, in z."""
    rows = Guess.objects.filter(market=market).values_list("player_id", "mean_z", "sd_z")
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
    means = sorted(Guess.objects.filter(market=market).values_list("mean_z", flat=True))
    summary["middles"] = [float(f"{rng.to_x(z):.10g}") for z in means]
    summary["average"] = rng.to_x(math.fsum(means) / len(means)) if means else None
    return summary


def guess_average(market: Market) -> Curve | None:
    """The class's average first guess as one forecast: the mixture of the guesses, matched by its mean and
    variance (as the crowd's average last forecast is, mmgame.queries.leaderboards.crowd_forecast)."""
    return mixture(list(guesses_of(market).values()))


def guess_leaderboard(market: Market) -> list[Standing]:
    """After resolution: each first guess scored against the prior, ln p_guess(x*) − ln p_prior(x*)."""
    market = current(market)
    return scored(market, guesses_of(market)) if market.outcome is not None else []


def lesson(market: Market) -> dict | None:
    """The lesson of a resolved market, as numbers the screens put in words: the market's final curve
    scored like a player; how many of the players who traded (or guessed) it beat; and the class's average
    first guess, scored the same way. None before the answer."""
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
    }


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
