"""What the market offers instead of a forecast it refuses, and the next moves after a trade (docs/maths.md § What a
class can afford).

A refused guess or `target` order carries `offer`: the nearest forecast the market takes (and, for a trade,
the trader can afford), priced by the engine, with a stable `reason` the pages word (mmgame.market.offers).
A trade's answer carries `next`: the moves the trader can still afford from there, or why there are none.
"""

from __future__ import annotations

import math
from decimal import Context

from mmgame import numbers
from mmgame.market import GaussianMarket, MarketError, Order, Refused, Wealth, gettext_noop, joined, quote
from mmgame.market.curve import Curve
from mmgame.market.offers import Offer, candidates, offer_for, taken

# A "less sure" next move widens the trader's forecast by this factor (its worst case is at the vertex,
# inside the range: a wider curve loses most where the narrower one was sure).
WIDER = 1.5


def words(market: GaussianMarket, offer: Offer) -> str:
    """An offer as the API's message says it: "990 ± 98 beans", "about 1,000, give or take a factor of 2.7"."""
    rng = market.range
    if rng.log:
        median, factor = numbers.log_curve(offer.centre, offer.spread, rng.kind, rng.unit)
        return f"about {median}, give or take a factor of {factor}"
    mean, sd = numbers.curve(offer.centre, offer.spread, rng.kind, rng.unit)
    return f"{mean} ± {sd}"


SAID = {
    "too_wide": gettext_noop("the widest allowed there is %(offer)s"),
    "at_edge": gettext_noop("the nearest allowed is %(offer)s"),
    "too_narrow": gettext_noop("the nearest allowed is %(offer)s"),
    "unaffordable": gettext_noop("the nearest you can afford is %(offer)s"),
    "middle_unaffordable": gettext_noop(
        "no trade of that middle is affordable with the points you have left, whatever its give-or-take; the "
        "nearest you can afford is %(offer)s"
    ),
}


def refuse_with_offer(refusal: Refused, market: GaussianMarket, order: Order, wealth: Wealth | None) -> Refused:
    """The same refusal (its code kept), saying the nearest forecast allowed and carrying it as `offer`."""
    if getattr(order, "kind", None) != "target" or "offer" in refusal.details:
        return refusal
    try:
        offer = offer_for(market, order, wealth)
    except (MarketError, ArithmeticError, ValueError):
        offer = None
    if offer is None:
        return refusal
    nearest = gettext_noop(SAID[offer.reason].template, offer=words(market, offer))
    refusal.message = joined(refusal.message, nearest)  # said wholly in the reader's language by each face
    refusal.args = (refusal.message,)
    refusal.details["offer"] = offer.as_dict(market)
    return refusal


def affordable_offer(market: GaussianMarket, wealth: Wealth, order: Order) -> dict | None:
    """For a quoted `target` trade beyond the budget: the nearest trade of the same middle that is affordable."""
    try:
        offer = offer_for(market, order, wealth)
    except (MarketError, ArithmeticError, ValueError):
        return None
    return offer.as_dict(market) if offer is not None else None


def _priced(market: GaussianMarket, wealth: Wealth, kind: str, order: Order) -> dict | None:
    try:
        result = quote(market, wealth, order)
    except (MarketError, ArithmeticError, ValueError):
        return None
    if not result.affordable or (result.move.fraction < 1 and kind != "close"):
        return None
    if result.move.after == market.curve:
        return None
    rng = market.range
    centre, spread = rng.curve_names
    after = result.move.after
    shape = {
        "kind": kind,
        "order": {k: v for k, v in vars(order).items() if v is not None},
        centre: rng.to_x(after.mean),
        spread: rng.sd_to_x(after.sd),
        "trade_worst_case": result.move.worst,
        "trade_best_case": result.move.best,
        "worst_case_after": result.worst_case,
        "keeps": result.wealth_after.worst()[0] if kind == "close" else None,
    }
    return shape


def next_moves(market: GaussianMarket, wealth: Wealth, before: Curve | None = None) -> dict:
    """The moves the trader can afford from here, each priced by the engine: less sure (the market's middle,
    wider) or else halfway back to where the market was before them (`before`, when given), and close the position
    (sell everything back: the same points whatever the answer). `none` says why there are none."""
    moves = []
    rng = market.range
    centre_name, spread_name = rng.curve_names
    now = market.curve
    widest = math.sqrt(max(0.0, 1 - now.mean * now.mean)) * 0.999
    wider = min(now.sd * WIDER, widest)
    if wider > now.sd * 1.05:
        centre, spread = _short(market, Curve(now.mean, wider), same_middle=True)
        order = Order("target", **{centre_name: centre, spread_name: spread})
        if (priced := _priced(market, wealth, "wider", order)) is not None:
            moves.append(priced)
    if before is not None and before != now and not moves:  # two buttons at most fit a phone's first screen
        # Halfway back along the line in θ the trade moved the market: a smaller version of it, less at risk.
        centre, spread = _short(market, now.toward(before, 0.5))
        order = Order("target", **{centre_name: centre, spread_name: spread})
        if (priced := _priced(market, wealth, "back", order)) is not None:
            moves.append(priced)
    held = bool(wealth.linear or wealth.quadratic)
    if held and (priced := _priced(market, wealth, "close", Order("close"))) is not None:
        moves.append(priced)
    if moves:
        return {"moves": moves, "none": None}
    return {"moves": [], "none": "budget_at_risk" if held else "nothing_held"}


def _short(market: GaussianMarket, curve: Curve, same_middle: bool = False) -> tuple[float, float]:
    """A curve's middle and spread in the question's units, rounded as a screen says them (and checked);
    `same_middle` keeps the market's own middle (to four figures) where it can."""
    middle = Context(prec=4).plus(market.range.exact_x(curve.mean)) if same_middle else None
    for centre, spread in candidates(market, curve.mean, curve.sd, spread_up=False, typed=middle):
        if taken(market, centre, spread) is not None:
            return float(centre), float(spread)
    return market.range.to_x(curve.mean), market.range.sd_to_x(curve.sd)


def next_moves_for(market, position, trade=None) -> dict:
    """`next_moves` for a market row and a position row after `trade` (the market's new curve; halfway back to
    where that trade found it)."""
    before = Curve(trade.mean_z_before, trade.sd_z_before) if trade is not None else None
    return next_moves(market.engine, position.wealth, before)
