"""Offers: the forecast nearest to one the market cannot take, in numbers a person can read and type.

A forecast is refused when it is unfair (wider than the range allows where it sits, docs/maths.md § Bounded loss),
sharper than σ_min, or, for a trade, beyond the trader's collateral (docs/maths.md § What a class can afford). Instead
of the engine's reason the trader is offered the nearest forecast that the market does take, written with few digits (σ
to two significant figures, the middle to σ's place, as every screen writes a curve: mmgame.numbers) and rounded
inward, so that the numbers said are the numbers traded: each offer is checked with the engine before it is
made. An offer's `reason` is a stable code the pages word in their own language (docs/protocol.md).

In z (the range is [−1, 1]) the fair curves are the half-disc μ² + σ² ≤ 1; with σ ≥ σ_min they are that
half-disc above a line. The nearest allowed curve to one outside is its projection onto that region.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_UP, Context, Decimal

from .curve import Curve
from .engine import GaussianMarket, Move, fair
from .errors import MarketError
from .scale import Z90, quantity
from .wealth import Wealth

# A curve whose middle sits in the outer tenth of the range is refused for where it sits, not for its width.
EDGE = 0.9
GOLDEN = (math.sqrt(5) - 1) / 2
SEARCH_STEPS = 40
MIDDLE_STEPS = 16
BACK = (0.05, 0.1, 0.2, 0.4)  # shares of the way back to the market's middle, for an offer in short numbers
MARGIN = 0.02  # a middle moved back toward the market's goes this much further, to stay affordable once rounded
MOST_DIGITS = 4  # an offer's middle is said with at most this many significant figures when it can be
EXTRA = (0, 1, -1, -2, -4, -8)  # places, from a curve's usual ones (σ to two figures), candidates are written at


@dataclass(frozen=True)
class Offer:
    """The nearest forecast the market takes: its middle (a mean, or a median on a log market) and spread
    (σ, or σ of ln x) in the question's units, as exact short decimals; `move` is the trade it makes, priced."""

    reason: str
    centre: Decimal
    spread: Decimal
    move: Move | None = None

    def as_dict(self, market: GaussianMarket) -> dict:
        centre, spread = market.range.curve_names
        shape = {"reason": self.reason, centre: float(self.centre), spread: float(self.spread)}
        if self.move is not None:
            shape["trade_worst_case"] = self.move.worst
            shape["trade_best_case"] = self.move.best
        return shape


def order_fields(market: GaussianMarket, centre: Decimal, spread: Decimal) -> dict:
    """The fields of a `target` order that names this curve, as a client sends them back (JSON doubles)."""
    names = market.range.curve_names
    return {names[0]: float(centre), names[1]: float(spread)}


def taken(market: GaussianMarket, centre: Decimal, spread: Decimal) -> Curve | None:
    """The curve the market takes for these numbers as a client sends them (doubles), or None: the same path
    as an order's (curve_from_x), so that an offer checked here is an order accepted there."""
    try:
        curve = market.curve_from_x(float(centre), float(spread))
    except MarketError:
        return None
    return curve if fair(curve) else None


def allowed_point(market: GaussianMarket, mean_z: float, sd_z: float) -> tuple[str | None, float, float]:
    """Why (mean_z, sd_z) cannot be taken, and the nearest point (in z) of the curves that can: in the range,
    σ ≥ σ_min and fair. (None, same point) when it can."""
    floor = market.sd_min_z
    mean_z = min(max(mean_z, -1.0), 1.0)
    reason = None
    if sd_z < floor:
        reason, sd_z = "too_narrow", floor
    if mean_z * mean_z + sd_z * sd_z > 1:
        if reason is None:
            reason = "at_edge" if abs(mean_z) > EDGE else "too_wide"
        if sd_z > floor:
            norm = math.hypot(mean_z, sd_z)
            mean_z, sd_z = mean_z / norm, sd_z / norm
        if sd_z < floor:  # the projection falls below σ_min: the corner, σ_min at the widest middle it allows
            sd_z = floor
            mean_z = math.copysign(math.sqrt(max(0.0, 1 - floor * floor)), mean_z)
    return reason, mean_z, sd_z


def _place(value: Decimal) -> int:
    """The power of ten of a value's second significant figure."""
    return value.adjusted() - 1


def _round(value: Decimal, place: int, rounding: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(place), rounding=rounding)


def _digits(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits)


def candidates(market: GaussianMarket, mean_z: float, sd_z: float, spread_up: bool, typed: Decimal | None = None):
    """Short decimals near the point (mean_z, sd_z), as every screen writes a curve first (σ to two figures,
    the middle to σ's place), then coarser or finer: the middle rounded toward the range's centre, the spread
    up (to σ_min, or to an affordable width) or down (inside the fair curves); then a step further each way.
    Middles of more than four figures come last. A `typed` middle (the trader's own) comes first, kept exactly
    whatever its figures, with the spread at each of those precisions and at last to fifteen figures.
    """
    rng = market.range
    y = rng.exact_y(mean_z)
    spread = rng.exact_sd_x(sd_z)
    if spread_up and spread <= market.sd_min * (1 + Decimal("1e-9")):
        spread = market.sd_min  # σ_min itself, not the double above it that z rounds it to
    middle = Context(prec=12).plus(rng.point(y))  # no exp noise: 999.99…9 is 1,000, and rounds as 1,000
    inward = ROUND_FLOOR if y > rng.centre else ROUND_CEILING
    toward = -1 if inward == ROUND_FLOOR else 1
    direction = ROUND_UP if spread_up else ROUND_DOWN
    if rng.log:
        factor = Decimal(repr(math.exp(float(spread))))
        # The factor to two figures of its distance from 1 (×1.047 → ×1.05, ×2.718 → ×2.7).
        spread_base = min(_place(factor), (factor - 1).adjusted() - 1) if factor > 1 else -15
        middle_base = _place(abs(middle) * spread)
    else:
        spread_base = middle_base = _place(spread) if spread > 0 else -15

    def spreads_at(extra: int) -> list[Decimal]:
        step = Decimal(1).scaleb(spread_base + extra)
        if rng.log:
            f = _round(factor, spread_base + extra, direction)
            return [Decimal(repr(math.log(float(v)))) for v in (f, f + step if spread_up else f - step) if v > 1]
        s = _round(spread, spread_base + extra, direction)
        return [s, s + step if spread_up else s - step]

    if typed is not None and not (rng.log and typed <= 0):
        for extra in EXTRA:
            yield from ((typed, each) for each in spreads_at(extra) if each > 0)
        # The spread to fifteen figures (a double's), rounded the same way: the middle stays as typed.
        yield from ((typed, each) for each in _finest(spread, direction) if each > 0)
    later = []
    for extra in EXTRA:
        place = middle_base + extra
        if rng.integer:
            place = max(place, 0)
        unit = Decimal(1).scaleb(place)
        centre = _round(middle, place, inward)
        centres = [centre + toward * k * unit for k in range(3)]
        batch = [
            (middle_at, each)
            for middle_at in centres
            for each in spreads_at(extra)
            if each > 0 and not (rng.log and middle_at <= 0)
        ]
        if _digits(centre) > MOST_DIGITS:
            later += batch
        else:
            yield from batch
    yield from later


def _finest(spread: Decimal, direction: str) -> list[Decimal]:
    """A spread to fifteen significant figures, rounded `direction`, and one step further that way."""
    place = spread.adjusted() - 14
    s = _round(spread, place, direction)
    step = Decimal(1).scaleb(place)
    return [s, s + step if direction == ROUND_UP else s - step]


def typed_point(market: GaussianMarket, order: object) -> tuple[Decimal, Curve] | None:
    """The middle (in x) and the curve (in z) a `target` order names, read but not validated (a curve the
    market refuses is what an offer is for), or None when its numbers are no quantity at all or its middle
    lies outside the range."""
    rng = market.range
    try:
        if rng.log and getattr(order, "low", None) is not None:
            low, high = rng.quantity_y(order.low), rng.quantity_y(order.high)
            if not low < high:
                return None
            y = (low + high) / 2
            sd = (high - low) / (2 * Z90)
            centre = Decimal(repr(float(rng.point(y))))  # √(low·high) to a double's figures: what a client sends
        else:
            centre_name, spread_name = rng.curve_names
            centre = quantity(getattr(order, centre_name, None), centre_name)
            y = rng.quantity_y(centre, centre_name)
            sd = quantity(getattr(order, spread_name, None), spread_name)
    except MarketError:
        return None
    if not sd > 0:
        return None
    mean_z = float((y - rng.centre) / rng.half_width)
    sd_z = float(sd / rng.half_width)
    if not (math.isfinite(mean_z) and math.isfinite(sd_z)):
        return None
    if not rng.y_lo <= y <= rng.y_hi:
        return None  # a middle outside the range is refused as it is: no question's answer lies there
    return centre, Curve(mean_z, sd_z)


def offer_for(market: GaussianMarket, order: object, wealth: Wealth | None = None) -> Offer | None:
    """The offer for a `target` order the market would refuse: the nearest forecast it takes (a guess:
    `wealth` None) or the nearest affordable trade (`wealth` the trader's). None when the order is fine as
    it is, or when nothing near it can be offered."""
    read = typed_point(market, order)
    if read is None:
        return None
    typed, curve = read
    if wealth is None:
        return nearest_allowed(market, curve, typed)
    return nearest_affordable(market, wealth, curve, typed)


def nearest_allowed(market: GaussianMarket, curve: Curve, typed: Decimal | None = None) -> Offer | None:
    """The forecast a guess (or a trade, collateral aside) may take nearest to `curve` (in z, unvalidated),
    or None when `curve` itself is allowed."""
    reason, mean_z, sd_z = allowed_point(market, curve.mean, curve.sd)
    if reason is None:
        return None
    spread_up = sd_z <= market.sd_min_z * (1 + 1e-12)
    short = typed is not None and _digits(typed) <= MOST_DIGITS
    keep = typed if short and reason == "too_narrow" and mean_z == min(max(curve.mean, -1.0), 1.0) else None
    for centre, spread in candidates(market, mean_z, sd_z, spread_up, keep):
        if taken(market, centre, spread) is not None:
            return Offer(reason, centre, spread)
    return None


def _worst_after(market: GaussianMarket, wealth: Wealth, curve: Curve) -> float:
    return (wealth + market.move(curve).pnl).worst()[0]


def affordable_width(market: GaussianMarket, wealth: Wealth, mean_z: float, sd_z: float) -> float | None:
    """The σ_z nearest to sd_z, at the same middle, whose move the trader can afford and the market takes, or
    None when no width at that middle is affordable.

    At a fixed middle μ′, θ′ = (μ′w, −w/2) is a line in w = 1/σ′², and W after the move is concave in θ′ at
    every outcome, so its minimum over the range is concave in w: the affordable widths form an interval,
    found by a golden-section search for its best point and a bisection for its end nearest sd_z."""
    low = market.sd_min_z
    high = math.sqrt(max(0.0, 1 - mean_z * mean_z))
    if high < low:
        return None

    def worst(log_sd: float) -> float:
        return _worst_after(market, wealth, Curve(mean_z, min(max(math.exp(log_sd), low), high)))

    a, b = math.log(low), math.log(high)
    # Golden section: the worst case is unimodal in ln σ (concave in w, a monotone function of it).
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    fc, fd = worst(c), worst(d)
    for _ in range(SEARCH_STEPS):
        if fc < fd:
            a, c, fc = c, d, fd
            d = a + GOLDEN * (b - a)
            fd = worst(d)
        else:
            b, d, fd = d, c, fc
            c = b - GOLDEN * (b - a)
            fc = worst(c)
    best = (a + b) / 2
    for end in (math.log(low), math.log(high)):
        if worst(end) > worst(best):
            best = end
    if worst(best) < 0:
        return None
    start = math.log(min(max(sd_z, low), high))
    if worst(start) >= 0:
        return min(max(math.exp(start), low), high)
    good, bad = best, start
    for _ in range(SEARCH_STEPS):
        mid = (good + bad) / 2
        if worst(mid) >= 0:
            good = mid
        else:
            bad = mid
    return min(max(math.exp(good), low), high)


def _back_toward_market(
    market: GaussianMarket, wealth: Wealth, mean_z: float, sd_z: float
) -> tuple[float, float | None]:
    """The middle nearest to mean_z, on the way to the market's, at which some width is affordable (bisection:
    at the market's own middle its own curve is no move at all), and that width; a little further in, so that
    rounding the numbers to a screen's digits keeps it affordable."""
    near, far = market.curve.mean, mean_z
    if affordable_width(market, wealth, near, market.curve.sd) is None:
        return mean_z, None
    for _ in range(MIDDLE_STEPS):
        mid = (near + far) / 2
        if affordable_width(market, wealth, mid, sd_z) is None:
            far = mid
        else:
            near = mid
    middle = near + (market.curve.mean - near) * MARGIN
    return middle, affordable_width(market, wealth, middle, sd_z)


def nearest_affordable(
    market: GaussianMarket, wealth: Wealth, curve: Curve, typed: Decimal | None = None
) -> Offer | None:
    """The trade nearest to a move to `curve` (in z) that the market takes and the trader can afford, keeping
    its middle where the market allows: the same middle, exactly as typed, made wider (or narrower) until the
    worst case is covered. Where no width at that middle is affordable (`affordable_width`: none, by the
    concavity of the worst case in 1/σ′²), the middle nearest to it, toward the market's, where one is, its
    reason `middle_unaffordable`. None when nothing near can be offered."""
    reason, mean_z, sd_z = allowed_point(market, curve.mean, curve.sd)
    try:
        target = market.check(Curve(mean_z, sd_z))
    except MarketError:
        return None
    same = mean_z == curve.mean  # the typed middle is one the market takes (not at an edge)
    # The point on the fair boundary may miss it by a rounding: the short numbers below are rounded inside.
    if (wealth + market.move(target).pnl).covered:
        if reason is None:
            return None
        width = sd_z
    else:
        width = affordable_width(market, wealth, mean_z, sd_z)
        # Widened for the budget: that, not the range or σ_min, is what the trader is told.
        reason = "unaffordable"
        if width is None:
            mean_z, width = _back_toward_market(market, wealth, mean_z, sd_z)
            if width is None:
                return None
            reason, same = ("middle_unaffordable" if same else reason), False
    offered = _affordable_near(market, wealth, reason, mean_z, sd_z, width, typed if same else None)
    if offered is None or _short(market, offered) or (same and offered.centre == typed):
        return offered
    # The affordable widths there are too few to say in short numbers: a little way back toward the market.
    for share in BACK:
        middle = mean_z + (market.curve.mean - mean_z) * share
        width = affordable_width(market, wealth, middle, sd_z)
        nearer = None if width is None else _affordable_near(market, wealth, reason, middle, sd_z, width, None)
        if nearer is not None and _short(market, nearer):
            return nearer
    return offered


def _short(market: GaussianMarket, offer: Offer) -> bool:
    """Said in few figures: a middle of at most four, a spread (not a log market's factor) of at most three."""
    return _digits(offer.centre) <= MOST_DIGITS and (market.range.log or _digits(offer.spread) <= 3)


def _affordable_near(
    market: GaussianMarket,
    wealth: Wealth,
    reason: str,
    mean_z: float,
    sd_z: float,
    width: float,
    typed: Decimal | None,
) -> Offer | None:
    """The first short decimals near (mean_z, width) that the market takes and the trader can afford. The
    spread rounds up when it was widened (to afford it, or to σ_min), else down (inside the fair curves)."""
    spread_up = width > sd_z * (1 + 1e-9) or width <= market.sd_min_z * (1 + 1e-12)
    for centre, spread in candidates(market, mean_z, width, spread_up, typed):
        offered = taken(market, centre, spread)
        if offered is None:
            continue
        move = market.move(offered)
        if (wealth + move.pnl).covered:
            return Offer(reason, centre, spread, move)
    return None
