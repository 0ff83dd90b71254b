"""CSV exports for the host: the ledger of trades, positions, payouts and scores, straight from the database.

Numbers are exact (for a spreadsheet to compute with); the `…_as_shown` columns write the curve and the true
value as every screen does (mmgame.numbers: "8.55 billion people ± 0.18 billion people").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, StreamingHttpResponse

from mmgame import numbers, queries
from mmgame.models import Game, Position, Trade

from .csv_safety import safe_cell
from .host import hosted_game


def decimal(value: Decimal | None) -> str:
    """An exact decimal without the column's trailing zeros: 133, not 133.00000000000000000000."""
    return "" if value is None else format(value.normalize(), "f")


def as_shown(market, mean: float, sd: float) -> str:
    """A curve as the screens write it: "133 beans ± 40 beans"."""
    shown_mean, shown_sd = numbers.curve(mean, sd, market.kind, market.unit)
    return f"{shown_mean} ± {shown_sd}"


class Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def trade_rows(game: Game) -> Iterator[list]:
    yield [
        "market", "question", "sequence", "created_at", "player", "kind", "fraction", "target_mean", "target_sd",
        "mean_after", "sd_after", "cost", "worst_case", "shares_x", "shares_x2", "liquidity", "mean_before",
        "sd_before", "mean_after_exact", "sd_after_exact", "forecast_as_shown",
    ]  # fmt: skip
    trades = (
        Trade.objects.filter(market__game=game)
        .select_related("market", "player")
        .order_by("market__number", "sequence")
    )
    for t in trades:
        shares_x, shares_x2 = t.shares_x
        yield [
            t.market.number, t.market.question, t.sequence, t.created_at.isoformat(), t.player.nickname, t.kind,
            repr(t.fraction), decimal(t.target_mean), decimal(t.target_sd), repr(t.mean_after), repr(t.sd_after),
            repr(t.cost), repr(t.worst_case), repr(shares_x), repr(shares_x2), repr(t.market.liquidity),
            *t.curves_exact().values(), as_shown(t.market, t.mean_after, t.sd_after),
        ]  # fmt: skip


def position_rows(game: Game) -> Iterator[list]:
    """Wealth W(z) = const + linear·z + quadratic·z² with z = (x − centre)/half_width, as stored."""
    yield [
        "market", "player", "budget", "trades", "wealth_const", "wealth_linear", "wealth_quadratic", "centre",
        "half_width", "worst_case", "profit",
    ]  # fmt: skip
    positions = Position.objects.filter(market__game=game).select_related("market", "player")
    for p in positions.order_by("market__number", "player__nickname"):
        rng = p.market.range
        yield [
            p.market.number, p.player.nickname, repr(p.budget), p.trades, repr(p.wealth_const), repr(p.wealth_linear),
            repr(p.wealth_quadratic), decimal(rng.centre), decimal(rng.half_width), repr(p.wealth.worst()[0]),
            repr(queries.position_profit(p.market, p)),
        ]  # fmt: skip


def payout_rows(game: Game) -> Iterator[list]:
    yield ["market", "question", "outcome", "outcome_as_shown", "player", "budget", "payout", "profit"]
    positions = Position.objects.filter(market__game=game, payout__isnull=False).select_related("market", "player")
    for p in positions.order_by("market__number", "player__nickname"):
        yield [
            p.market.number,
            p.market.question,
            decimal(p.market.outcome),
            numbers.quantity(p.market.outcome, p.market.kind, p.market.unit),
            p.player.nickname,
            repr(p.budget),
            repr(p.payout),
            repr(p.profit),
        ]


def score_rows(game: Game) -> Iterator[list]:
    """One row per player per board: the game's profit, each market's profit and (once resolved) accuracy."""
    yield ["board", "market", "rank", "player", "score"]
    for s in queries.game_leaderboard(game):
        yield ["game_profit", "", s.rank, s.nickname, repr(s.score)]
    for market in game.markets.all():
        for s in queries.market_leaderboard(market):
            yield ["market_profit", market.number, s.rank, s.nickname, repr(s.score)]
        for s in queries.accuracy_leaderboard(market):
            yield ["accuracy", market.number, s.rank, s.nickname, repr(s.score)]


EXPORTS = {"trades": trade_rows, "positions": position_rows, "payouts": payout_rows, "scores": score_rows}


def stream(rows: Iterable[list]) -> Iterator[str]:
    """The rows as CSV lines, each text cell made safe to open in a spreadsheet."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


@login_required
def export(request: HttpRequest, game_id: int, kind: str) -> StreamingHttpResponse:
    game = hosted_game(request, game_id)
    rows = EXPORTS.get(kind)
    if rows is None:
        raise Http404
    response = StreamingHttpResponse(stream(list(rows(game))), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="game-{game.join_code}-{kind}.csv"'
    return response
