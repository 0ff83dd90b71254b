"""Leaderboards: profit per market, per game and all-time per host, and accuracy of each player's last
forecast.

Before resolution, profit is marked to the market: the position's expected value under the market's
current curve, minus the budget. After, it is the payout minus the budget.

Every board is ranked by one rule (`ranked`): the seats the game counts — its practice traders only when
the host included them (Game.include_bots) — best first, equal scores sharing a rank (1, 2, 2, 4). The
result card, a phone's boards, the wall's, the podium, the API, the CSVs and the class record all read
these boards, so a student's place is the same number on each of them (docs/ranking.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from mmgame.market import Curve, Range
from mmgame.models import Game, Market, Player, Position, Trade

from .students import match_seats


@dataclass(frozen=True)
class Standing:
    player_id: int
    nickname: str
    score: float
    rank: int | None  # None: a practice trader the host left out (`Ranking.left_out`), never on a screen
    is_bot: bool = False  # a practice trader (mmgame.services.practice): marked on every board


class Names(dict):
    """The game's seats as {player id: nickname}, which of them are practice traders (`bots`), and whether
    the host counts those on the boards (Game.include_bots)."""

    def __init__(
        self, names: dict[int, str] | None = None, bots: frozenset[int] = frozenset(), *, include_bots: bool = True
    ) -> None:
        super().__init__(names or {})
        self.bots = bots
        self.include_bots = include_bots


class Ranking(list):
    """A board: its standings best first; and the practice traders it leaves out (`left_out`, unranked, by
    score), which the screens fold into one line ("+ 10 practice traders") and the CSVs list unranked."""

    def __init__(self, standings: list[Standing] = (), left_out: list[Standing] = ()) -> None:
        super().__init__(standings)
        self.left_out = list(left_out)

    @property
    def bots_left_out(self) -> int:
        return len(self.left_out)


def competition_ranks(scores: list[float]) -> list[int]:
    """The ranks of scores listed best first: equal scores share a rank and the next rank skips as many
    (competition ranking: 1, 2, 2, 4). Equal means equal as stored, so two faces never part a tie."""
    ranks: list[int] = []
    for i, score in enumerate(scores):
        ranks.append(ranks[-1] if i and score == scores[i - 1] else i + 1)
    return ranks


def ranked(scores: dict[int, float], names: dict[int, str]) -> Ranking:
    """The one ranking rule, for every board every face shows (docs/protocol.md §2.4): the seats the game
    counts — the people, and its practice traders only when the host included them (`Names.include_bots`)
    — best score first, ranked by `competition_ranks`; equal scores are listed by name, then by seat."""
    bots = getattr(names, "bots", frozenset())
    include_bots = getattr(names, "include_bots", True)
    order = sorted(scores, key=lambda pid: (-scores[pid], names[pid].lower(), pid))
    counted = [pid for pid in order if include_bots or pid not in bots]
    ranks = competition_ranks([scores[pid] for pid in counted])
    standings = [
        Standing(pid, names[pid], scores[pid], rank, pid in bots) for pid, rank in zip(counted, ranks, strict=True)
    ]
    kept = set(counted)
    left_out = [Standing(pid, names[pid], scores[pid], None, True) for pid in order if pid not in kept]
    return Ranking(standings, left_out)


def podium(game: Game, standings: Ranking | None = None) -> Ranking:
    """The podium (and each phone's final place): the game's board, by the one rule (`ranked`); `standings`
    is that board when the caller has read it already."""
    return game_leaderboard(game) if standings is None else standings


def position_profit(market: Market, position: Position) -> float:
    if position.payout is not None:
        return position.payout - position.budget
    return position.wealth.expected(market.mean_z, market.sd_z) - position.budget


def market_profits(market: Market) -> dict[int, float]:
    return {p.player_id: position_profit(market, p) for p in market.positions.all()}


def active_players(game: Game) -> Names:
    seats = Player.objects.filter(game=game, kicked=False).values_list("id", "nickname", "is_bot")
    names, bots = {}, set()
    for pid, nickname, is_bot in seats:
        names[pid] = nickname
        if is_bot:
            bots.add(pid)
    return Names(names, frozenset(bots), include_bots=game.include_bots)


def current(market: Market) -> Market:
    """The market as it is now: a caller's copy may predate the last trade or the resolution."""
    return Market.objects.select_related("game").get(pk=market.pk)


def market_leaderboard(market: Market) -> Ranking:
    """Every seat the game counts, by profit in this market (0 for those who did not trade)."""
    market = current(market)
    names = active_players(market.game)
    profits = market_profits(market)
    return ranked({pid: profits.get(pid, 0.0) for pid in names}, names)


def game_leaderboard(game: Game) -> Ranking:
    """Every seat the game counts, by profit over all its markets: the podium at the end."""
    return game_leaderboards([game])[game.pk]


def game_leaderboards(games: list[Game]) -> dict[int, Ranking]:
    """Each game's board (`game_leaderboard`), read together: a host's class record places each student in
    every game by the same rule as the podium did, in three queries however many games."""
    seats = Player.objects.filter(game__in=games, kicked=False).values_list("game_id", "id", "nickname", "is_bot")
    names = {game.pk: Names(include_bots=game.include_bots) for game in games}
    bots: dict[int, set[int]] = defaultdict(set)
    for game_id, pid, nickname, is_bot in seats:
        names[game_id][pid] = nickname
        if is_bot:
            bots[game_id].add(pid)
    for game_id, seat_names in names.items():
        seat_names.bots = frozenset(bots[game_id])
    markets = {market.pk: market for market in Market.objects.filter(game__in=games)}  # each read once
    profits: dict[int, list[float]] = defaultdict(list)
    for position in Position.objects.filter(market_id__in=markets):
        profits[position.player_id].append(position_profit(markets[position.market_id], position))
    totals = {pid: math.fsum(rows) for pid, rows in profits.items()}  # whatever order the rows came in
    return {
        game_id: ranked({pid: totals.get(pid, 0.0) for pid in seat_names}, seat_names)
        for game_id, seat_names in names.items()
    }


@dataclass(frozen=True)
class AllTimeStanding:
    """One nickname over all of a host's games: its game totals summed."""

    nickname: str
    score: float
    games: int
    rank: int
    is_bot: bool = False  # a practice trader's name (counted only where the host included bots)

    @property
    def average(self) -> float:
        return self.score / self.games


def all_time_leaderboard(host: AbstractBaseUser) -> list[AllTimeStanding]:
    """Every student who played in the host's games, by total profit over all of them.

    Players have no account, only a seat per game, so a class that plays week after week is recognised by
    nickname (ignoring case and lookalikes, as within a game; the newest spelling is shown), or as the host
    matched the seats on the class record (mmgame.queries.students). A row is the points won in the
    questions whose answer was shown (payout − budget), the class record's "Points won" to the point: a
    market still open is not won yet, and marking it to the market made the two pages disagree for as long
    as it stayed open (a question closed and never answered, for ever). `games` says how many games it
    played. Kicked seats are left out; practice traders too, but for games whose host included them
    (Game.include_bots).
    """
    matches = match_seats(host, include_bots=True)
    owner = {seat.id: i for i, match in enumerate(matches) for seat in match.seats}
    won: list[list[float]] = [[] for _ in matches]
    paid = Position.objects.filter(player_id__in=owner, market__status=Market.Status.RESOLVED, payout__isnull=False)
    for pid, budget, payout in paid.values_list("player_id", "budget", "payout"):
        won[owner[pid]].append(payout - budget)
    totals = [math.fsum(rows) for rows in won]
    order = sorted(range(len(matches)), key=lambda i: (-totals[i], matches[i].name.casefold(), matches[i].ref))
    ranks = competition_ranks([totals[i] for i in order])
    return [
        AllTimeStanding(matches[i].name, totals[i], matches[i].games, rank, all(s.is_bot for s in matches[i].seats))
        for i, rank in zip(order, ranks, strict=True)
    ]


def last_forecasts(market: Market) -> dict[int, Curve]:
    """Each trader's last forecast in this market, in z: the curve they asked for (a trade cut short by
    collateral still says what they believed), or, for raw-share and closing trades, where they left it."""
    rng = market.range
    latest: dict[int, Curve] = {}
    rows = Trade.objects.filter(market=market).order_by("sequence")
    for pid, *forecast in rows.values_list(*FORECAST_COLUMNS):
        latest[pid] = forecast_curve(rng, *forecast)
    return latest


# What a trade row says of its trader's forecast (after the player id), for `forecast_curve`.
FORECAST_COLUMNS = ("player_id", "target_mean", "target_sd", "mean_z_after", "sd_z_after", "fraction")


def forecast_curve(
    rng: Range, target_mean: object, target_sd: object, mean_z: float, sd_z: float, fraction: float = 1.0
) -> Curve:
    """The forecast one trade stands for, in z: its target, or where it left the market (raw shares, close).
    A trade that reached its target left the market exactly there: that curve, as the market row keeps it,
    not the target's 15-digit decimal, so a last trader's forecast ties with the market's final one."""
    if target_mean is not None and target_sd is not None and fraction < 1:
        return Curve(rng.to_z(target_mean), rng.sd_to_z(target_sd))
    return Curve(mean_z, sd_z)


def accuracy_leaderboard(market: Market) -> Ranking:
    """After resolution: ln p_last(x*) − ln p_prior(x*) for each counted seat that traded (higher is better)."""
    market = current(market)
    return scored(market, last_forecasts(market)) if market.outcome is not None else Ranking()


def scored(market: Market, curves: dict[int, Curve]) -> Ranking:
    """Each player's curve (in z) scored against the prior at the outcome of a resolved market: the
    accuracy board's measure, ln p(x*) − ln p_prior(x*), for last forecasts and first guesses alike."""
    engine = market.engine
    z = engine.settle_z(market.outcome)
    names = active_players(market.game)
    return ranked({pid: engine.prior.log_ratio(curve, z) for pid, curve in curves.items() if pid in names}, names)


def mixture(curves: list[Curve]) -> Curve | None:
    """Several forecasts as one: their mixture matched by mean and variance (mean of the means; mean
    variance plus the spread of the means), or None when there are none."""
    if not curves:
        return None
    mean = math.fsum(c.mean for c in curves) / len(curves)
    variance = math.fsum(c.sd**2 + (c.mean - mean) ** 2 for c in curves) / len(curves)
    return Curve(mean, math.sqrt(variance))


def crowd_forecast(market: Market) -> Curve | None:
    """The class's average forecast, in z: the mixture of every trader's last forecast. Averaging the
    forecasts, not their scores, is the lesson: one wild guess does not sink the crowd's average."""
    return mixture(list(last_forecasts(market).values()))


def crowd_score(market: Market) -> float | None:
    """After resolution: the crowd's average forecast scored like a player, ln p_crowd(x*) − ln p_prior(x*)."""
    market = current(market)
    crowd = crowd_forecast(market)
    if market.outcome is None or crowd is None:
        return None
    engine = market.engine
    return engine.prior.log_ratio(crowd, engine.settle_z(market.outcome))
