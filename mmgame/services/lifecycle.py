"""A market's life: draft → open ⇄ paused → closed → resolved, each step by the host alone."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from mmgame import events, round
from mmgame.access import check_host
from mmgame.market import MarketError, gettext_noop
from mmgame.models import Game, Market, Position

from . import deadlines
from .errors import InvalidTransition, MarketNotOpen, status_word
from .locks import lock_market

S = Market.Status
P = Market.Phase
# The statuses of a market still trading (the one market a game trades at a time).
TRADING = round.PHASES[round.TRADING].statuses
# "Close in N seconds": long enough to read, short enough for a lesson (an hour at most).
COUNTDOWN_MIN, COUNTDOWN_MAX = 1, 3600


def lock_hosted(host: AbstractBaseUser, market_id: int) -> Market:
    """Inside a host action's transaction: the market's row locked, the host checked, an overdue countdown's close
    recorded (mmgame.services.deadlines), so the action starts from the market as every screen shows it."""
    market = lock_market(market_id)
    check_host(host, market.game)
    deadlines.record_if_due(market)
    return market


def change_status(host: AbstractBaseUser, market_id: int, status: str, *, close_others: bool = False) -> Market:
    """Open, pause or close a market; asking for the status it already has changes nothing.

    One market trades at a time: opening one while another is open or paused is refused unless the
    caller says `close_others` (the faces ask the host first), and then closes those in the same step."""
    with transaction.atomic():
        market = lock_hosted(host, market_id)
        if status not in round.STATUSES or not round.STATUSES[status].set_by_host:
            raise InvalidTransition(gettext_noop("a market cannot be set to %(status)s this way", status=f"{status!r}"))
        if market.status == status:
            return market
        if not round.may_set(status, now=market.status):
            raise InvalidTransition(
                gettext_noop(
                    "a %(status)s market cannot become %(status2)s",
                    status=status_word(market.status),
                    status2=status_word(status),
                ),
                market_status=market.status,
            )
        if status == S.OPEN and market.game.status == Game.Status.FINISHED:
            raise InvalidTransition(gettext_noop("the game is finished"))
        if status == S.OPEN:
            close_other_markets(market, close_others)
        set_status(market, status)
        if status == S.OPEN:
            make_current(market)
        return market


def close_other_markets(market: Market, close_others: bool) -> None:
    """Before `market` opens: the game's other open or paused markets, closed if the host said so."""
    others = list(
        Market.objects.select_for_update()
        .filter(game_id=market.game_id, status__in=TRADING)
        .exclude(pk=market.pk)
        .order_by("number")
    )
    if others and not close_others:
        numbers = ", ".join(str(other.number) for other in others)
        raise InvalidTransition(
            gettext_noop(
                "market %(numbers)s is still trading: close it first, or open this one with close_others",
                numbers=numbers,
            ),
            still_trading=[other.pk for other in others],
        )
    for other in others:
        set_status(other, S.CLOSED)


def set_status(market: Market, status: str, *, phase: str | None = None) -> None:
    """Record a status change (the caller holds the row lock) and announce it; the phase is the one the round's
    table gives the status (mmgame.round.STATUSES) unless the step names another."""
    market.status = status
    market.phase = phase or round.STATUSES[status].phase
    market.closes_at = None  # pausing, reopening or closing now ends any countdown
    market.sequence += 1
    market.save(update_fields=["status", "phase", "closes_at", "sequence"])
    events.market_changed(market.game_id, market.pk, market.sequence)


def make_current(market: Market) -> None:
    """Put the market on every screen (the game's current market); a game still in its lobby starts."""
    game = market.game
    changes = {}
    if game.current_market_id != market.pk:
        changes["current_market"] = market
    if game.status == Game.Status.LOBBY:
        changes["status"] = Game.Status.PLAYING
    if changes:
        Game.objects.filter(pk=game.pk).update(**changes)
        for name, value in changes.items():
            setattr(game, name, value)
        events.game_changed(market.game_id)


def open_market(host: AbstractBaseUser, market_id: int, *, close_others: bool = False) -> Market:
    return change_status(host, market_id, S.OPEN, close_others=close_others)


def pause_market(host: AbstractBaseUser, market_id: int) -> Market:
    return change_status(host, market_id, S.PAUSED)


def close_market(host: AbstractBaseUser, market_id: int, *, countdown: int | None = None) -> Market:
    """Close now, or start a countdown of `countdown` seconds after which the market closes by itself (in the
    first-guess phase: after which guesses are refused; the host moves on with Next).

    A countdown is an event (sequence + 1) so every screen learns `closes_at`; asking again sets a new
    deadline. Past it the market reads as closed everywhere (`Market.shown_status`); the close is recorded by
    mmgame.services.deadlines, or by the host closing now.
    """
    if countdown is None:
        return change_status(host, market_id, S.CLOSED)
    seconds = countdown_seconds(countdown)
    with transaction.atomic():
        market = lock_hosted(host, market_id)
        if market.status == S.CLOSED:
            return market
        if round.timer(market.phase, market.status) is None:
            raise InvalidTransition(
                gettext_noop(
                    "only an open market (or its first guesses) can count down; this one is %(status)s",
                    status=status_word(market.status),
                ),
                market_status=market.status,
            )
        market.closes_at = timezone.now() + timedelta(seconds=seconds)
        market.sequence += 1
        market.save(update_fields=["closes_at", "sequence"])
        events.market_changed(market.game_id, market.pk, market.sequence)
        events.countdown_started(market.game_id, market.pk, market.closes_at.timestamp())
        return market


class CountdownOver(MarketNotOpen):
    """A trade that came after the countdown's end: refused like any trade in a closed market."""


def countdown_seconds(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not COUNTDOWN_MIN <= value <= COUNTDOWN_MAX:
        raise MarketError(
            gettext_noop(
                "a countdown is a whole number of seconds from %(countdown_min)s to %(countdown_max)s",
                countdown_min=COUNTDOWN_MIN,
                countdown_max=COUNTDOWN_MAX,
            ),
            field="countdown",
        )
    return value


def same_outcome(market: Market, settled_at: Decimal) -> bool:
    """Whether the market resolved at this value as the database keeps it: PostgreSQL keeps 20 decimals,
    SQLite 15 significant digits, so 123.456 as a float must match itself after the round trip."""
    return Market.objects.filter(pk=market.pk, outcome=settled_at).exists()


def resolve_market(host: AbstractBaseUser, market_id: int, outcome: object) -> Market:
    """Settle a closed market at clamp(outcome) and pay every position exactly once.

    Each position pays W(z*), evaluated exactly (z* in decimals, W to 32 digits), and the house's result
    is what those same payouts leave: Σ budgets − Σ payouts. W ≥ 0 on the range by every trade's collateral
    check, so max(0, ·) only trims the ledger's last digits. Resolving again with the same outcome returns
    the market unchanged.
    """
    with transaction.atomic():
        market = lock_hosted(host, market_id)  # an overdue countdown: closed, and resolving it is fine
        engine = market.engine
        # A true value of 0 or less is refused on a log scale; a tiny positive one is clamped to lo before it is
        # rounded to the 20 places a column keeps (1e-30 would round to 0).
        settled_at = engine.range.stored_outcome(outcome)
        if market.status == S.RESOLVED:
            if same_outcome(market, settled_at):
                return market
            raise InvalidTransition(
                gettext_noop("the market already resolved at %(outcome)s", outcome=engine.range.write(market.outcome)),
                outcome=str(market.outcome),
            )
        if not round.may_set(S.RESOLVED, now=market.status):
            raise InvalidTransition(gettext_noop("close the market before resolving it"), market_status=market.status)
        settle_positions(market, settled_at)
        return market


def settle_positions(market: Market, settled_at: Decimal) -> None:
    """Pay every position of a closed market (row locked) at `settled_at`, and show its answer on every screen:
    a market resolved while another is on screen becomes the one every screen shows."""
    z = market.engine.range.exact_z(settled_at)
    paid = [0.0]
    for position in Position.objects.filter(market=market).select_for_update():
        position.payout = max(0.0, position.wealth.at(z))
        position.save(update_fields=["payout"])
        paid += [position.budget, -position.payout]
    market.outcome = settled_at
    market.house_result = math.fsum(paid)
    market.status = S.RESOLVED
    market.phase = round.STATUSES[S.RESOLVED].phase
    market.resolved_at = timezone.now()
    market.sequence += 1
    market.save(update_fields=["outcome", "house_result", "status", "phase", "resolved_at", "sequence"])
    events.market_changed(market.game_id, market.pk, market.sequence)
    make_current(market)


def finish_game(host: AbstractBaseUser, game: Game) -> Game:
    """End the game (the podium): no new players, no more markets, and markets still trading close."""
    check_host(host, game)
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game.pk)
        for market in Market.objects.select_for_update().filter(game=game, status__in=TRADING):
            set_status(market, S.CLOSED)
        game.status = Game.Status.FINISHED
        game.save(update_fields=["status"])
        events.game_changed(game.pk)
    return game
