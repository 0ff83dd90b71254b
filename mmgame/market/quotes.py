"""Orders a trader can place, and the quote for each: what it costs, risks and could earn."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from .curve import Curve
from .engine import GaussianMarket, Move
from .errors import InsufficientCollateral, InvalidCurve, UnfairCurve, gettext_noop
from .scale import quantity
from .wealth import LEDGER, Wealth

OrderKind = Literal["target", "toward", "shares", "close"]
WIDEST_SD_Z = 10.0  # ten half-widths: wider than this, a curve is flat over the range
SNAP = Decimal("1e-12")  # a full close leaves no shares if that moves W by at most this much of the cash


@dataclass(frozen=True)
class Order:
    """`target`: move the market to N(mean, sd²); `toward`: as far that way as I can afford;
    `shares`: buy raw (δ₁, δ₂) of x and x² as in the seed (linear markets); `close`: sell my position back,
    as much of it as the market's limits and my collateral allow. On a log market a target or toward order
    names its curve by `median` and `sd_log` (σ of ln x), or by a 90 % interval `low`–`high`."""

    kind: OrderKind
    mean: Decimal | float | None = None
    sd: Decimal | float | None = None
    delta_1: float | None = None
    delta_2: float | None = None
    median: Decimal | float | None = None
    sd_log: Decimal | float | None = None
    low: Decimal | float | None = None
    high: Decimal | float | None = None


@dataclass(frozen=True)
class Quote:
    move: Move
    wealth_after: Wealth
    worst_case: float
    worst_at_z: float
    affordable_fraction: float
    expected_if_right: float
    fair_fraction: float = 1.0  # the part of the order's move that keeps the market fair (docs/maths.md § Bounded loss)
    offer: dict | None = None  # beyond the budget: the nearest affordable trade (mmgame.services.offers)

    @property
    def affordable(self) -> bool:
        return self.worst_case >= 0

    @property
    def stopped_by_fairness(self) -> bool:
        """Whether it is the fairness rule, not the trader's collateral, that cuts this move short."""
        return self.fair_fraction < 1 and self.affordable_fraction >= self.fair_fraction


def target_of(market: GaussianMarket, wealth: Wealth, order: Order) -> Curve:
    """The curve an order asks the market to move to."""
    if order.kind in ("target", "toward"):
        return market.curve_from_order(order)
    if order.kind == "shares":
        return market.move_by_shares(order.delta_1, order.delta_2).after
    if order.kind == "close":
        return close_target(market, wealth)[0]
    raise InvalidCurve(gettext_noop("unknown order kind %(kind)s", kind=f"{order.kind!r}"), field="kind")


def close_target(market: GaussianMarket, wealth: Wealth) -> tuple[Curve, bool]:
    """Where selling the whole position back would take the market, and whether it can go all the way.

    Flat is θ − H/b. When others have moved the market since, that point may be narrower than σ_min or
    have θ₂ ≥ 0 (no curve at all); then the close stops where the segment toward flat leaves the allowed
    curves (σ_min, or a curve ten times wider than the range, which is flat over it) and is partial.
    """
    if wealth.linear == 0 and wealth.quadratic == 0:
        raise InvalidCurve(gettext_noop("you hold no shares in this market"))
    t1, t2 = market.curve.natural
    b = market.liquidity
    u1, u2 = t1 - wealth.linear / b, t2 - wealth.quadratic / b
    narrowest = -1 / (2 * market.sd_min_z**2)
    widest = -1 / (2 * WIDEST_SD_Z**2)
    if narrowest <= u2 < 0:
        flat = _at_least_sd_min(market, Curve.from_natural(u1, u2))
        if flat == market.curve:  # shares too few to move the curve by one unit in its last place
            raise InvalidCurve(gettext_noop("you hold no shares in this market"))
        return flat, True
    # Too narrow: stop at σ_min. Too wide: stop at the widest curve, or halfway to θ₂ = 0 if already past it.
    edge = narrowest if u2 < narrowest else widest if widest > t2 else t2 / 2
    fraction = (edge - t2) / (u2 - t2) * (1 - 1e-12)
    if fraction <= 0:
        raise InvalidCurve(gettext_noop("the market cannot take any of your position back now"))
    return _at_least_sd_min(market, Curve.from_natural(t1 + fraction * (u1 - t1), t2 + fraction * (u2 - t2))), False


def _at_least_sd_min(market: GaussianMarket, curve: Curve) -> Curve:
    """A close that stops at σ_min lands there only to rounding (θ₂ → σ): put it on σ_min, not below."""
    return market.check(Curve(curve.mean, max(curve.sd, market.sd_min_z)))


def quote(market: GaussianMarket, wealth: Wealth, order: Order) -> Quote:
    """Price an order for a trader holding `wealth`; `toward` orders are cut to what they can afford."""
    flat = False
    if order.kind == "close":
        target, flat = close_target(market, wealth)
    else:
        target = target_of(market, wealth, order)
    fair_part = market.fair_fraction(target)
    if fair_part < 1 and order.kind in ("target", "shares"):
        raise unfair(market, target)
    # A `toward` or `close` order stops where the market would leave the fair curves; at the edge already
    # it is a zero fill, refused on filling like a move the trader cannot afford (fill, unfair_edge).
    move = market.move(target, fair_part)
    after = wealth + move.pnl
    # The whole (fair) move affordable: no bisection, nothing priced twice.
    if fair_part <= 0 or after.covered:
        fraction = fair_part
    else:
        fraction = market.affordable_fraction(wealth, target, fair_part)
        if order.kind in ("toward", "close"):
            move = market.move(target, fraction)
            after = wealth + move.pnl
    if flat and move.fraction == 1.0:
        move = flattened(move, wealth)
        after = wealth + move.pnl
    worst, where = after.worst()
    # If my forecast is right, the move earns E_target[b·ln(p′/p)] = b·KL(target ‖ market) ≥ 0.
    expected = move.pnl.expected(target.mean, target.sd)
    return Quote(move, after, worst, where, fraction, expected, fair_part)


def flattened(move: Move, wealth: Wealth) -> Move:
    """A full close that sells back exactly the shares held, when that is the same trade to the ledger's
    precision. θ − H/b round-trips through (μ, σ), so b·Δθ is −H only to b·2⁻⁵³·|θ|: negligible in ordinary
    markets, where a closed position must hold no shares at all; but at b = 10⁹ and σ near σ_min it is
    points, and the trade stays the exact log-score move between the curves the market recorded."""
    _, linear, quadratic = move.pnl.coefficients
    _, held_linear, held_quadratic = wealth.coefficients
    left = abs(LEDGER.add(linear, held_linear)) + abs(LEDGER.add(quadratic, held_quadratic))
    if left > SNAP * Decimal(max(1.0, abs(wealth.const + move.pnl.const))):
        return move
    pnl = Wealth.from_exact(move.pnl.coefficients[0], LEDGER.minus(held_linear), LEDGER.minus(held_quadratic))
    return replace(move, shares=(-wealth.linear, -wealth.quadratic), pnl=pnl)


def in_y(market: GaussianMarket, curve: Curve) -> tuple[Decimal, Decimal]:
    """A curve's mean and σ in y, as the decimals their doubles print as."""
    return quantity(market.range.to_y(curve.mean), "mean"), quantity(market.range.sd_to_x(curve.sd), "sd")


def unfair(market: GaussianMarket, target: Curve, message: str = "") -> UnfairCurve:
    """The refusal of a curve someone could beat at every outcome, naming the nearest fair one (in x)."""
    mean, sd = market.nearest_fair(*in_y(market, target))
    range = market.range
    centre, spread = range.curve_names
    return UnfairCurve(
        message
        or gettext_noop(
            "that curve gives free points: it has so much mass outside [%(lo)s, %(hi)s] that another curve beats "
            "it at every outcome (σ² must be at most (hi − μ)(μ − lo)); the nearest fair one is %(fair)s",
            lo=range.write(range.lo),
            hi=range.write(range.hi),
            fair=range.write_curve(mean, sd),
        ),
        **{f"nearest_{centre}": str(mean), f"nearest_{spread}": str(sd)},
    )


def unfair_edge(market: GaussianMarket, wealth: Wealth, order: Order) -> UnfairCurve:
    """The refusal of a `toward` or `close` order that cannot move the market at all and keep it fair: the
    market is on the edge of the fair curves in that direction. A zero fill, named like one the trader cannot
    afford (affordable_fraction 0, affordable_* the market's curve), with the fair curve nearest the target."""
    range = market.range
    centre, spread = range.curve_names
    now_mean, now_sd = market.curve_to_x(market.curve)
    target = target_of(market, wealth, order)
    mean, sd = market.nearest_fair(*in_y(market, target))
    return UnfairCurve(
        gettext_noop(
            "the market is at the edge of the fair curves that way: any move toward that curve would give free"
            " points (σ² must stay at most (hi − μ)(μ − lo)); aim at a fair curve such as %(sd)s",
            sd=range.write_curve(mean, sd),
        ),
        **{f"nearest_{centre}": str(mean), f"nearest_{spread}": str(sd)},
        affordable_fraction=0.0,
        **{f"affordable_{centre}": now_mean, f"affordable_{spread}": now_sd},
    )


def fill(market: GaussianMarket, wealth: Wealth, order: Order) -> Quote:
    """The quote for an order that is to be executed: refused if it could leave the trader owing.

    The refusal names the largest affordable move (its fraction, mean and sd), so a client can offer it.
    """
    result = quote(market, wealth, order)
    if result.move.fraction > 0 and result.affordable:
        return result
    if result.move.fraction <= 0 and result.fair_fraction <= 0:
        raise unfair_edge(market, wealth, order)
    mean, sd = market.curve_to_x(market.curve.toward(result.move.after, result.affordable_fraction))
    centre, spread = market.range.curve_names
    affordable = {
        "affordable_fraction": result.affordable_fraction,
        f"affordable_{centre}": mean,
        f"affordable_{spread}": sd,
    }
    if result.move.fraction <= 0:
        raise InsufficientCollateral(gettext_noop("you cannot afford any move in that direction"), **affordable)
    raise InsufficientCollateral(
        gettext_noop("you cannot cover the worst case of that trade"),
        worst_case=result.worst_case,
        worst_at=market.range.to_x(result.worst_at_z),
        **affordable,
    )
