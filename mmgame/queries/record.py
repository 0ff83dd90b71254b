"""A class's record: each student across all of a host's games (README, "A class's record").

Per student: the games they played, the resolved markets they took part in (a first guess or a trade),
the average log score of their last forecast relative to the prior, ln p_last(x*) − ln p_prior(x*) (a
difference of logs, so units do not matter), their total profit (payout − budget) in resolved markets, and
their calibration: how often the answer fell inside the central 90 % interval, mean ± Z90·σ in z (on a log
market in ln x), of their first guess and of their last forecast, by the one rule every screen uses
(mmgame.market.inside_90: exact, an answer on an end is inside). A forecaster who knows how much they know
lands inside about 90 % of the time; far less means ranges too narrow.

Each seat's place in its game (`places`: rank of how many) is its row on that game's board, the podium's,
ranked by the one rule every screen reads (mmgame.queries.leaderboards.ranked).

Seats are matched to students as the host decided, else by nickname key (mmgame.queries.students). Only
`mmgame.models.students` decides whose seats count (no removed seats, no practice traders).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

from mmgame.market import Curve, inside_90
from mmgame.models import Game, Guess, Market, Position, Trade

from .leaderboards import FORECAST_COLUMNS, forecast_curve, game_leaderboards
from .students import Match, MatchedSeat, match_seats

TARGET_SHARE = 0.9  # what the share inside a 90 % interval should be


@dataclass
class Calibration:
    """How many of `count` answers fell inside the 90 % interval of a kind of forecast."""

    inside: int = 0
    count: int = 0

    def add(self, hit: bool) -> None:
        self.inside += hit
        self.count += 1

    @property
    def share(self) -> float | None:
        return self.inside / self.count if self.count else None

    @property
    def percent(self) -> float:
        """The share in percent for a chart (0 when there is nothing to count)."""
        return 100 * (self.share or 0.0)


@dataclass(frozen=True)
class Place:
    """A seat's place on its game's board (the podium's): `rank` of `count`."""

    rank: int
    count: int


@dataclass
class StudentRecord(Match):
    """One row of a class's record: a student's seats (`Match`) and their figures."""

    markets: int = 0
    profit: float = 0.0
    scores: list[float] = field(default_factory=list)
    first_guess: Calibration = field(default_factory=Calibration)
    last_forecast: Calibration = field(default_factory=Calibration)
    places: dict[int, Place] = field(default_factory=dict)  # by seat id: its place in its game

    @property
    def placed_seats(self) -> list[tuple[MatchedSeat, Place | None]]:
        """Each seat with its place in its game, for the record's list of seats."""
        return [(seat, self.places.get(seat.id)) for seat in self.seats]

    @property
    def scored(self) -> int:
        return len(self.scores)

    @property
    def average_score(self) -> float | None:
        return math.fsum(self.scores) / len(self.scores) if self.scores else None


@dataclass(frozen=True)
class ClassSummary:
    """The class as a whole: every student's answers pooled."""

    students: int
    first_guess: Calibration
    last_forecast: Calibration


def class_record(host: AbstractBaseUser) -> list[StudentRecord]:
    """Every student of the host's games with their figures, by name."""
    records = match_seats(host, StudentRecord)
    owner = {seat.id: record for record in records for seat in record.seats}
    markets = {m.pk: m for m in Market.objects.filter(game__host=host, status=Market.Status.RESOLVED)}
    # The answer exactly, for inside_90; and as a double, for the scores.
    exact = {pk: m.range.exact_z(m.range.settle_at(m.outcome)) for pk, m in markets.items()}
    answers = {pk: float(z) for pk, z in exact.items()}
    took_part: dict[int, set[int]] = defaultdict(set)  # seat → resolved markets it guessed or traded in

    guesses = Guess.objects.filter(market_id__in=markets, player_id__in=owner)
    for market_id, pid, mean_z, sd_z in guesses.values_list("market_id", "player_id", "mean_z", "sd_z"):
        owner[pid].first_guess.add(inside_90(Curve(mean_z, sd_z), exact[market_id]))
        took_part[pid].add(market_id)

    last: dict[tuple[int, int], Curve] = {}
    trades = Trade.objects.filter(market_id__in=markets, player_id__in=owner).order_by("market_id", "sequence")
    for market_id, pid, *forecast in trades.values_list("market_id", *FORECAST_COLUMNS):
        last[market_id, pid] = forecast_curve(markets[market_id].range, *forecast)
    for (market_id, pid), curve in last.items():
        owner[pid].scores.append(markets[market_id].engine.prior.log_ratio(curve, answers[market_id]))
        owner[pid].last_forecast.add(inside_90(curve, exact[market_id]))
        took_part[pid].add(market_id)

    positions = Position.objects.filter(market_id__in=markets, player_id__in=owner, payout__isnull=False)
    for pid, budget, payout in positions.values_list("player_id", "budget", "payout"):
        owner[pid].profit += payout - budget

    games = Game.objects.filter(pk__in={seat.game_id for record in records for seat in record.seats})
    boards = game_leaderboards(list(games))
    for board in boards.values():
        for standing in board:
            if standing.player_id in owner:
                owner[standing.player_id].places[standing.player_id] = Place(standing.rank, len(board))

    for record in records:
        record.markets = len(set().union(*(took_part[seat.id] for seat in record.seats)))
    return records


def class_summary(records: list[StudentRecord]) -> ClassSummary:
    """The whole class's calibration: all students' answers counted together."""
    first, last = Calibration(), Calibration()
    for record in records:
        first.inside += record.first_guess.inside
        first.count += record.first_guess.count
        last.inside += record.last_forecast.inside
        last.count += record.last_forecast.count
    return ClassSummary(len(records), first, last)
