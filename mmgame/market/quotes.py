"""Orders a trader can place, and the quote for each: what it costs, risks and could earn."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .curve import Curve
from .engine import GaussianMarket, Move
from .errors import InsufficientCollateral, InvalidCurve
from .wealth import Wealth

OrderKind = Literal["target", "toward", "shares", "close"]


@dataclass(frozen=True)
class Order:
    """`target`: move the market to N(mean, sd²); `toward`: as far that way as I can afford;
    `shares`: buy raw (δ₁, δ₂) of x and x² as in the seed; `close`: sell my whole position back."""

    kind: OrderKind
    mean: Decimal | float | None = None
    sd: Decimal | float | None = None
    delta_1: float | None = None
    delta_2: float | None = None


@dataclass(frozen=True)
class Quote:
    move: Move
    wealth_before: Wealth
    wealth_after: Wealth
    worst_case: float
    worst_at_z: float
    affordable_fraction: float
    expected_if_right: float

    @property
    def affordable(self) -> bool:
        return self.worst_case >= 0


def target_of(market: GaussianMarket, wealth: Wealth, order: Order) -> Curve:
    """The curve an order asks the market to move to."""
    if order.kind in ("target", "toward"):
        return market.curve_from_x(order.mean, order.sd)
    if order.kind == "shares":
        return market.move_by_shares(order.delta_1, order.delta_2).after
    if order.kind == "close":
        if wealth.linear == 0 and wealth.quadratic == 0:
            raise InvalidCurve("you hold no shares in this market")
        t1, t2 = market.curve.natural
        b = market.liquidity
        u1, u2 = t1 - wealth.linear / b, t2 - wealth.quadratic / b
        if not u2 < 0:
            raise InvalidCurve("the market is too narrow to take all of your position back now")
        return market.check(Curve.from_natural(u1, u2))
    raise InvalidCurve(f"unknown order kind {order.kind!r}", field="kind")


def quote(market: GaussianMarket, wealth: Wealth, order: Order) -> Quote:
    """Price an order for a trader holding `wealth`; `toward` orders are cut to what they can afford."""
    target = target_of(market, wealth, order)
    fraction = market.affordable_fraction(wealth, target)
    move = market.move(target, fraction if order.kind == "toward" else 1.0)
    after = wealth + move.pnl
    worst, where = after.worst()
    # If my forecast is right, the move earns E_target[b·ln(p′/p)] = b·KL(target ‖ market) ≥ 0.
    expected = move.pnl.expected(move.after.mean, move.after.sd)
    return Quote(move, wealth, after, worst, where, fraction, expected)


def settle(market: GaussianMarket, wealth: Wealth, order: Order) -> Quote:
    """The quote for an order that is to be executed: refused if it could leave the trader owing."""
    result = quote(market, wealth, order)
    if result.move.fraction <= 0:
        raise InsufficientCollateral("you cannot afford any move in that direction", affordable_fraction=0.0)
    if not result.affordable:
        mean, sd = market.curve_to_x(market.curve.toward(result.move.after, result.affordable_fraction))
        raise InsufficientCollateral(
            "you cannot cover the worst case of that trade",
            worst_case=result.worst_case,
            worst_at=market.range.to_x(result.worst_at_z),
            affordable_fraction=result.affordable_fraction,
            affordable_mean=mean,
            affordable_sd=sd,
        )
    return result
