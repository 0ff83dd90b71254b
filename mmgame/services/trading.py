"""Quoting and filling trades: the one path every trade takes, from a browser, the API or a bot."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction

from mmgame import events, round
from mmgame.access import Kicked, find_market, trading_seat
from mmgame.market import (
    Z90,
    InsufficientCollateral,
    InvalidCurve,
    InvalidNumber,
    MarketError,
    Order,
    Quote,
    Wealth,
    fill,
    finite,
    gettext_noop,
    quote,
    stored_quantity,
    unfair_edge,
)
from mmgame.market.scale import EXACT
from mmgame.models import Market, Player, Position, Trade

from . import limits, trade_sql
from .deadlines import close_if_due
from .errors import (
    CostLimitExceeded,
    IdempotencyConflict,
    LossLimitExceeded,
    MarketNotOpen,
    NoMove,
    NotFound,
    StaleQuote,
    status_word,
)
from .lifecycle import CountdownOver
from .locks import lock_market
from .offers import affordable_offer, refuse_with_offer

IDEMPOTENCY_KEY_MAX = 64
SMALLEST_FRACTION = 1e-9  # a "toward" order cut below this is refused, not filled as dust


@dataclass(frozen=True)
class TradeResult:
    trade: Trade
    position: Position
    replayed: bool


@contextmanager
def numbers_in_range() -> Iterator[None]:
    """An absurd order (δ₁ = 10¹⁵³) can overflow the engine's floats: that is bad input, not a crash."""
    try:
        yield
    except (ArithmeticError, ValueError):
        raise InvalidNumber(gettext_noop("the numbers of that order are out of range")) from None


ROW_ID = range(-(2**63), 2**63)


def lock_for_trade(market_id: object) -> Market:
    """The market row, locked until the trade's transaction ends (lock_market, its SQL written out)."""
    if isinstance(market_id, bool) or not isinstance(market_id, int) or market_id not in ROW_ID:
        return lock_market(market_id)  # refuses what is not a row id, as every service does
    market = trade_sql.locked_market(market_id)
    if market is None:
        raise NotFound(gettext_noop("no such market"))
    return market


def position_wealth(market: Market, player: Player) -> Wealth:
    """The player's wealth curve in this market: the budget alone until their first trade."""
    position = trade_sql.position(player.pk, market.pk)
    return position.wealth if position else Wealth(market.budget)


def check_seat(market: Market, player: Player) -> None:
    # A market whose question is on screen is no secret (its prior is in every snapshot): a trade there
    # before trading opens is "not open", not "not found"; a draft not yet shown does not exist for players.
    trading_seat(player, market, shown=True)
    # Ask the database, not the caller's copy: a websocket may hold a seat loaded before the kick.
    if not trade_sql.seated(player.pk):
        raise Kicked(gettext_noop("the host removed this seat from the game"))


def quote_order(player: Player, market_id: int, order: Order) -> tuple[Market, Quote]:
    """What an order would do now, changing nothing. Quote.sequence-guard with `market.sequence`.

    A draft is the host's secret until its question is shown (its prior included): to a player it does not
    exist (mmgame.access.trading_seat)."""
    limits.take("quote", player.pk)
    market = find_market(market_id)
    check_seat(market, player)
    wealth = position_wealth(market, player)
    try:
        with numbers_in_range():
            priced = quote(market.engine, wealth, order)
    except (InvalidCurve, InsufficientCollateral) as refusal:
        # While first guesses are asked for, a phone quotes its guess to learn whether it is allowed: the
        # offer is then the nearest guess allowed (a guess risks nothing), not the nearest affordable trade.
        guessing = round.PHASES[market.phase].guess
        raise refuse_with_offer(refusal, market.engine, order, None if guessing else wealth) from None
    if not priced.affordable and order.kind == "target":
        # Beyond the budget: the nearest trade of the same middle that is not (the page offers it in one tap).
        priced = replace(priced, offer=affordable_offer(market.engine, wealth, order))
    return market, priced


def asked_curve(market: Market, order: Order) -> dict:
    """The curve a target or toward order asked for, as the trade row keeps it: mean and sd, or on a log market
    median and sd_log (a 90 % interval becomes the median √(low·high) and σ of ln x it names)."""
    if order.kind not in ("target", "toward"):
        return {"target_mean": None, "target_sd": None}
    if not market.range.log:
        return {"target_mean": order.mean, "target_sd": order.sd}
    if order.low is None:
        return {"target_mean": order.median, "target_sd": order.sd_log}
    low, high = market.range.quantity_y(order.low, "low"), market.range.quantity_y(order.high, "high")
    mean, sd = EXACT.divide(EXACT.add(low, high), 2), EXACT.divide(EXACT.subtract(high, low), EXACT.multiply(2, Z90))
    return {
        "target_mean": stored_quantity(market.range.point(mean), "median"),
        "target_sd": stored_quantity(sd, "sd_log"),
    }


def place_trade(
    player: Player,
    market_id: int,
    order: Order,
    *,
    idempotency_key: str,
    max_cost: float | None = None,
    quoted_sequence: int | None = None,
    max_loss: float | None = None,
) -> TradeResult:
    """Settle an order atomically with the market row locked; a replayed key returns the first result.

    Guards: the market must be open, the seat the player's own, the trade within collateral, and,
    when given, the trade's worst outcome a loss of at most `max_loss` points, the cost at most `max_cost`
    (in the market's scaled units: kept for old clients) and the market still at `quoted_sequence`.
    """
    if not isinstance(idempotency_key, str) or not 1 <= len(idempotency_key) <= IDEMPOTENCY_KEY_MAX:
        raise MarketError(
            gettext_noop(
                "idempotency_key must be 1 to %(idempotency_key_max)s characters",
                idempotency_key_max=IDEMPOTENCY_KEY_MAX,
            ),
            field="idempotency_key",
        )
    limits.take("trade", player.pk)
    if max_cost is not None:
        max_cost = finite(max_cost, "max_cost")
    if max_loss is not None:
        max_loss = finite(max_loss, "max_loss")
    if quoted_sequence is not None and (isinstance(quoted_sequence, bool) or not isinstance(quoted_sequence, int)):
        raise MarketError(gettext_noop("quoted_sequence must be a whole number"), field="quoted_sequence")
    try:
        with transaction.atomic():
            market = lock_for_trade(market_id)
            check_seat(market, player)
            earlier = trade_sql.earlier_trade(player.pk, idempotency_key)
            if earlier is not None:
                if earlier.market_id != market.pk:
                    raise IdempotencyConflict(gettext_noop("that idempotency key was used for another market"))
                position = Position.objects.get(player=player, market=market)
                return TradeResult(earlier, position, replayed=True)
            if market.status != Market.Status.OPEN:
                raise MarketNotOpen(
                    gettext_noop("the market is %(status)s, not open", status=status_word(market.status)),
                    market_status=market.status,
                )
            if market.countdown_over():
                raise CountdownOver(
                    gettext_noop("the market's countdown has ended: it is closed"), market_status="closed"
                )
            if quoted_sequence is not None and quoted_sequence != market.sequence:
                raise StaleQuote(
                    gettext_noop("the market moved since your quote"),
                    quoted_sequence=quoted_sequence,
                    sequence=market.sequence,
                )
            position = trade_sql.position(player.pk, market.pk) or Position(
                player=player, market=market, budget=market.budget, wealth_const=market.budget
            )
            try:
                with numbers_in_range():
                    result = fill(market.engine, position.wealth, order)
            except (InvalidCurve, InsufficientCollateral) as refusal:
                # The offer is worked out once the market row is unlocked (below): it may take a search.
                refusal.priced_at = (market.engine, position.wealth)
                raise
            move = result.move
            if move.fraction < SMALLEST_FRACTION:
                # With the whole budget at risk, bisection can still find t ≈ 1e-17: a move of nothing
                # that would take a sequence number and a line in the feed. So can the fairness rule, when the
                # market sits on its edge: then that, not the trader's collateral, is the reason given.
                if result.stopped_by_fairness:
                    raise unfair_edge(market.engine, position.wealth, order)
                raise InsufficientCollateral(
                    gettext_noop("you cannot afford any move in that direction"), affordable_fraction=0.0
                )
            if not any(move.shares) or (move.after.mean, move.after.sd) == (market.mean_z, market.sd_z):
                raise NoMove(
                    gettext_noop("that order does not move the market: it is already there"), sequence=market.sequence
                )
            if max_cost is not None and move.cost > max_cost:
                raise CostLimitExceeded(
                    gettext_noop("the trade costs more than your limit"), cost=move.cost, max_cost=max_cost
                )
            if max_loss is not None and -move.worst > max_loss:
                raise LossLimitExceeded(
                    gettext_noop("the trade could lose more than your limit"), worst_case=move.worst, max_loss=max_loss
                )
            market.sequence += 1
            market.mean_z, market.sd_z = move.after.mean, move.after.sd
            trade_sql.save_market_after_trade(market)
            position.wealth = result.wealth_after
            position.trades += 1
            if position.pk is None:
                position.save()
            else:
                trade_sql.save_position_after_trade(position)
            trade = trade_sql.insert_trade(
                market=market,
                sequence=market.sequence,
                player=player,
                kind=order.kind,
                **asked_curve(market, order),
                fraction=move.fraction,
                shares_linear=move.shares[0],
                shares_quadratic=move.shares[1],
                cost=move.cost,
                worst_case=move.worst,
                mean_z_before=move.before.mean,
                sd_z_before=move.before.sd,
                mean_z_after=move.after.mean,
                sd_z_after=move.after.sd,
                idempotency_key=idempotency_key,
            )
            events.market_changed(market.game_id, market.pk, market.sequence)
            return TradeResult(trade, position, replayed=False)
    except (InvalidCurve, InsufficientCollateral) as refusal:
        if not hasattr(refusal, "priced_at"):
            raise
        engine, wealth = refusal.priced_at
        del refusal.priced_at
        raise refuse_with_offer(refusal, engine, order, wealth) from None
    except CountdownOver:
        close_if_due(market_id)  # the refused trade rolled back: record and announce the close on its own
        raise
    except IntegrityError:
        # A concurrent use of the same key in another market; anything else is a real bug.
        if Trade.objects.filter(player=player, idempotency_key=idempotency_key).exists():
            raise IdempotencyConflict(gettext_noop("that idempotency key is already in use")) from None
        raise
