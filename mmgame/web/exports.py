"""CSV exports for the host: the ledger of trades, positions, payouts and scores, straight from the database.

Numbers are exact (for a spreadsheet to compute with); the `…_as_shown` columns write the curve and the true
value as every screen does (mmgame.numbers: "8.55 billion people ± 0.18 billion people").

On a log-scale market (`scale` log) a curve is a median and σ of ln x: the `…mean…` columns hold the median and
the `…sd…` columns σ of ln x, the wealth polynomial is in z = (ln x − centre)/half_width, and there are no seed
shares of x and x² (empty).

The `bot` column marks the practice traders' rows with an icon and a word ("🤖 bot"); people's rows leave it
empty.

`clues`: one row per player per market where they gave a first guess or got a private clue (docs/maths.md § Clues):
the guess (its middle and spread, the median and σ of ln x on a log market), the clue, the clue's noise
(`clue_noise` in `clue_noise_kind`: percent of the answer or an amount in the unit), and the true value once
known (else the answer entered in advance, `answer_in_advance`: the CSV is the host's alone), and the reason given
with the guess, and whether the host picked it for the wall (`reason_picked`). A market's explanation and source
are in the game's questions CSV (mmgame/bank/sheet.py), which imports back into a game.

`markets`: one row per question, with its picture if it has one: the file's name in the storage, the address
the app serves it at, and its alt text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse

from mmgame import numbers, queries, round
from mmgame.market import Curve
from mmgame.models import Game
from mmgame.queries import ledger

from .csv_safety import safe_cell
from .host import hosted_game

BOT_MARK = "🤖 bot"


def bot_mark(is_bot: bool) -> str:
    return BOT_MARK if is_bot else ""


def decimal(value: Decimal | None) -> str:
    """An exact decimal without the column's trailing zeros: 133, not 133.00000000000000000000."""
    return "" if value is None else format(value.normalize(), "f")


def as_shown(market, mean: float, sd: float) -> str:
    """A curve as the screens write it: "133 beans ± 40 beans", or on a log market
    "about 1,000 people, give or take a factor of 2.7" (the median to the digits median·σ_ln warrants)."""
    if market.scale == "log":
        median, factor = numbers.log_curve(mean, sd, market.kind, market.unit)
        return f"about {median}, give or take a factor of {factor}"
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
        "sd_before", "mean_after_exact", "sd_after_exact", "forecast_as_shown", "scale", "bot",
    ]  # fmt: skip
    for t in ledger.trades(game=game):
        log = t.market.scale == "log"
        shares_x, shares_x2 = ("", "") if log else (repr(v) for v in t.shares_x)
        centre, spread = t.market.range.curve_names
        exact = t.curves_exact()
        yield [
            t.market.number, t.market.question, t.sequence, t.created_at.isoformat(), t.player.nickname, t.kind,
            repr(t.fraction), decimal(t.target_mean), decimal(t.target_sd), repr(t.mean_after), repr(t.sd_after),
            repr(t.cost), repr(t.worst_case), shares_x, shares_x2, repr(t.market.liquidity),
            exact[f"{centre}_before"], exact[f"{spread}_before"], exact[f"{centre}_after"], exact[f"{spread}_after"],
            as_shown(t.market, t.mean_after, t.sd_after), t.market.scale, bot_mark(t.player.is_bot),
        ]  # fmt: skip


def position_rows(game: Game) -> Iterator[list]:
    """Wealth W(z) = const + linear·z + quadratic·z² with z = (x − centre)/half_width, as stored."""
    yield [
        "market", "player", "budget", "trades", "wealth_const", "wealth_linear", "wealth_quadratic", "centre",
        "half_width", "worst_case", "profit", "bot",
    ]  # fmt: skip
    for p in ledger.positions(game=game):
        rng = p.market.range
        yield [
            p.market.number, p.player.nickname, repr(p.budget), p.trades, repr(p.wealth_const), repr(p.wealth_linear),
            repr(p.wealth_quadratic), decimal(rng.centre), decimal(rng.half_width), repr(p.wealth.worst()[0]),
            repr(queries.position_profit(p.market, p)), bot_mark(p.player.is_bot),
        ]  # fmt: skip


def payout_rows(game: Game) -> Iterator[list]:
    yield ["market", "question", "outcome", "outcome_as_shown", "player", "budget", "payout", "profit", "bot"]
    for p in ledger.positions(game=game, paid=True):
        yield [
            p.market.number,
            p.market.question,
            decimal(p.market.outcome),
            numbers.quantity(p.market.outcome, p.market.kind, p.market.unit),
            p.player.nickname,
            repr(p.budget),
            repr(p.payout),
            repr(p.profit),
            bot_mark(p.player.is_bot),
        ]


def score_rows(game: Game) -> Iterator[list]:
    """One row per player per board: the game's profit (the podium), each market's profit and (once resolved)
    accuracy and first guesses, ranked as every screen ranks them (mmgame.queries.leaderboards.ranked);
    practice traders the host left out follow each board unranked (an empty `rank`). A question never put on
    screen has no boards: no screen ever ranked anyone on it (everyone "tied at 1" read as a result)."""
    yield ["board", "market", "rank", "player", "score", "bot"]

    def board(name: str, number: object, standings: queries.Ranking) -> Iterator[list]:
        for s in (*standings, *standings.left_out):
            yield [name, number, "" if s.rank is None else s.rank, s.nickname, repr(s.score), bot_mark(s.is_bot)]

    yield from board("game_profit", "", queries.game_leaderboard(game))
    for market in ledger.markets_in_order(game=game):
        if not round.PHASES[market.phase].shown:
            continue
        yield from board("market_profit", market.number, queries.market_leaderboard(market))
        yield from board("accuracy", market.number, queries.accuracy_leaderboard(market))
        if market.first_guess:
            yield from board("first_guess", market.number, queries.guess_leaderboard(market))


def clue_rows(game: Game) -> Iterator[list]:
    """Each player's first guess and private clue per market, side by side with the true value."""
    yield [
        "market", "question", "player", "kicked", "first_guess_mean", "first_guess_sd", "first_guess_as_shown",
        "clue", "clue_as_shown", "clue_noise", "clue_noise_kind", "answer_in_advance", "outcome", "scale", "reason",
        "reason_picked",
    ]  # fmt: skip
    guesses, clues = ledger.guesses(game=game), ledger.clues(game=game)
    players = ledger.players_by_id(game=game)
    for market in ledger.markets_in_order(game=game):
        rng = market.range
        seats = {pid for mid, pid in (*guesses, *clues) if mid == market.pk}
        for pid in sorted(seats, key=lambda pid: players[pid].nickname):
            guess, clue = guesses.get((market.pk, pid)), clues.get((market.pk, pid))
            mean = sd = shown_guess = ""
            if guess is not None:
                mean, sd = (repr(v) for v in market.engine.curve_to_x(Curve(guess.mean_z, guess.sd_z)))
                shown_guess = as_shown(market, float(mean), float(sd))
            yield [
                market.number, market.question, players[pid].nickname, players[pid].kicked, mean, sd, shown_guess,
                decimal(clue), "" if clue is None else numbers.quantity(clue, market.kind, market.unit),
                "" if market.clue_noise is None else repr(market.clue_noise), market.clue_noise_kind,
                decimal(market.answer), decimal(market.outcome), rng.scale, "" if guess is None else guess.reason,
                guess is not None and guess.reason_picked,
            ]  # fmt: skip


def market_rows(game: Game) -> Iterator[list]:
    """Each question as the host set it, its picture named (the file stays in the storage)."""
    yield ["market", "question", "unit", "kind", "scale", "lo", "hi", "answer", "outcome", "picture", "picture_url",
           "picture_alt"]  # fmt: skip
    for market in ledger.markets_in_order(game=game):
        url = reverse("web:picture", args=[market.pk, market.picture_name]) if market.picture else ""
        yield [
            market.number, market.question, market.unit, market.kind, market.scale, decimal(market.lo),
            decimal(market.hi), decimal(market.answer), decimal(market.outcome), market.picture_name, url,
            market.picture_alt,
        ]  # fmt: skip


EXPORTS = {
    "markets": market_rows,
    "trades": trade_rows,
    "positions": position_rows,
    "payouts": payout_rows,
    "scores": score_rows,
    "clues": clue_rows,
}


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
