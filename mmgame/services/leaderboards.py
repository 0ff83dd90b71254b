"""Leaderboards: profit per market and per game, and accuracy of each player's last forecast.

Before resolution, profit is marked to the market: the position's expected value under the market's
current curve, minus the budget. After, it is the payout minus the budget.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mmgame.market import Curve
from mmgame.models import Game, Market, Player, Position, Trade


@dataclass(frozen=True)
class Standing:
    player_id: int
    nickname: str
    score: float
    rank: int


def ranked(scores: dict[int, float], names: dict[int, str]) -> list[Standing]:
    """Best first; equal scores share a rank (1, 2, 2, 4)."""
    order = sorted(scores, key=lambda pid: (-scores[pid], names[pid].lower(), pid))
    standings: list[Standing] = []
    for i, pid in enumerate(order):
        rank = standings[-1].rank if standings and scores[pid] == standings[-1].score else i + 1
        standings.append(Standing(pid, names[pid], scores[pid], rank))
    return standings


def position_profit(market: Market, position: Position) -> float:
    if position.payout is not None:
        return position.payout - position.budget
    return position.wealth.expected(market.mean_z, market.sd_z) - position.budget


def market_profits(market: Market) -> dict[int, float]:
    return {p.player_id: position_profit(market, p) for p in market.positions.all()}


def active_players(game: Game) -> dict[int, str]:
    return dict(Player.objects.filter(game=game, kicked=False).values_list("id", "nickname"))


def current(market: Market) -> Market:
    """The market as it is now: a caller's copy may predate the last trade or the resolution."""
    return Market.objects.select_related("game").get(pk=market.pk)


def market_leaderboard(market: Market) -> list[Standing]:
    """Every player in the game, by profit in this market (0 for those who did not trade)."""
    market = current(market)
    names = active_players(market.game)
    profits = market_profits(market)
    return ranked({pid: profits.get(pid, 0.0) for pid in names}, names)


def game_leaderboard(game: Game) -> list[Standing]:
    names = active_players(game)
    totals: dict[int, float] = defaultdict(float)
    for market in game.markets.all():
        for pid, profit in market_profits(market).items():
            totals[pid] += profit
    return ranked({pid: totals.get(pid, 0.0) for pid in names}, names)


def last_forecasts(market: Market) -> dict[int, Curve]:
    """Each trader's last forecast in this market: the curve their last trade left the market at."""
    latest: dict[int, Curve] = {}
    for pid, mean_z, sd_z in (
        Trade.objects.filter(market=market).order_by("sequence").values_list("player_id", "mean_z_after", "sd_z_after")
    ):
        latest[pid] = Curve(mean_z, sd_z)
    return latest


def accuracy_leaderboard(market: Market) -> list[Standing]:
    """After resolution: ln p_last(x*) − ln p_prior(x*) for each player who traded (higher is better)."""
    market = current(market)
    if market.outcome is None:
        return []
    engine = market.engine
    z = engine.settle_z(market.outcome)
    names = active_players(market.game)
    scores = {pid: engine.prior.log_ratio(curve, z) for pid, curve in last_forecasts(market).items() if pid in names}
    return ranked(scores, names)
