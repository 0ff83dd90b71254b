"""How a crowd of traders moves the market: exponential-utility best responses and their fixed point.

A trader with utility −exp(−a·w), belief θᵢ and holdings Hᵢ (shares of z and z², as in a position's
`linear` and `quadratic`) who moves the market from θ to θ′ buys b·(θ′ − θ) shares at cost
b·[A(θ′) − A(θ)]. Under the belief, E[exp(−a·(H + b(θ′ − θ))·φ(z))] = exp(A(θᵢ − a·(H + b(θ′ − θ))) − A(θᵢ)),
so the trader minimises, over θ′,

    f(θ′) = a·b·A(θ′) + A(ψ),    ψ = θᵢ − a·Hᵢ + a·b·θ − a·b·θ′,

a convex function. ∇f = a·b·(∇A(θ′) − ∇A(ψ)) = 0 gives θ′ = ψ, i.e. (docs/maths.md § Aggregation)

    θ′ = (θᵢ − a·Hᵢ + a·b·θ) / (1 + a·b).

Every trade conserves b·θ − Σ Hᵢ, and at a fixed point Hᵢ = (θᵢ − θ*)/aᵢ, so

    θ* = (b·θ − Σ Hᵢ + Σ θᵢ/aᵢ) / (b + Σ 1/aᵢ),

which from the prior θ₀ with empty holdings is (b·θ₀ + Σ θᵢ/aᵢ)/(b + Σ 1/aᵢ): a risk-tolerance-weighted
average of beliefs and the prior. Everything here is in the engine's scaled coordinates z.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .curve import Curve
from .engine import GaussianMarket
from .errors import InvalidNumber, gettext_noop
from .quotes import Order
from .scale import EXACT, finite

# Order quantities are stored with 20 decimal places (mmgame.models.fields.QUANTITY).
ORDER_PLACES = Decimal("1e-20")


@dataclass(frozen=True)
class Trader:
    """One exponential-utility trader: a belief (in z), a risk aversion a > 0 per point, shares held."""

    belief: Curve
    risk_aversion: float
    holdings: tuple[float, float] = (0.0, 0.0)


def best_response(
    market: GaussianMarket,
    belief: Curve,
    risk_aversion: float,
    holdings: tuple[float, float] = (0.0, 0.0),
) -> Curve:
    """The curve an exponential-utility trader moves the market to: θ′ = (θᵢ − a·H + a·b·θ)/(1 + a·b).

    a = 0 (risk neutral) jumps to the belief. When θ′ would be narrower than σ_min, the answer keeps θ′'s
    mean and sets σ = σ_min: f is convex and σ ≥ σ_min is the half-plane θ₂ ≤ −1/(2σ_min²), and on its
    edge ∂f/∂θ₁ = 0 gives exactly that mean, so this is the constrained optimum, not an approximation.
    Collateral is not considered: execute the answer as a `toward` order (see `toward_order`). InvalidCurve
    if no Gaussian is a best response (θ′₂ ≥ 0: holdings so short of z² that the trader would widen forever).
    """
    a = _risk_aversion(risk_aversion, allow_zero=True)
    h_1, h_2 = (finite(h, "holdings") for h in holdings)
    b = market.liquidity
    (t_1, t_2), (i_1, i_2) = market.curve.natural, belief.natural
    c_1, c_2 = i_1 - a * h_1 + a * b * t_1, i_2 - a * h_2 + a * b * t_2
    response = Curve.from_natural(c_1 / (1 + a * b), c_2 / (1 + a * b))
    if response.sd < market.sd_min_z:
        return Curve(response.mean, market.sd_min_z)
    return response


def consensus(market: GaussianMarket, traders: Sequence[Trader]) -> Curve:
    """Where repeated best responses of `traders` leave the market: θ* = (b·θ − ΣHᵢ + Σθᵢ/aᵢ)/(b + Σ1/aᵢ).

    From the prior with empty holdings this is docs/maths.md § Aggregation's (b·θ₀ + Σθᵢ/aᵢ)/(b + Σ1/aᵢ). It is the
    unconstrained fixed point: if it lies below σ_min (possible only with large starting holdings), the
    market stops at σ_min instead.
    """
    b = market.liquidity
    t_1, t_2 = market.curve.natural
    num_1, num_2, den = b * t_1, b * t_2, b
    for trader in traders:
        tolerance = 1 / _risk_aversion(trader.risk_aversion, allow_zero=False)
        h_1, h_2 = (finite(h, "holdings") for h in trader.holdings)
        i_1, i_2 = trader.belief.natural
        num_1 += i_1 * tolerance - h_1
        num_2 += i_2 * tolerance - h_2
        den += tolerance
    return Curve.from_natural(num_1 / den, num_2 / den)


def toward_order(market: GaussianMarket, curve: Curve) -> Order:
    """A `toward` order for `curve` in the question's units, exact to the stored 20 decimal places: its mean
    and sd, or on a log market its median and sd_log.

    The centre is clamped into the range and σ raised to σ_min, since target orders must satisfy both;
    `fill` then cuts the move to what the trader's collateral allows.
    """
    range = market.range
    centre = range.exact_x(curve.mean)
    sd = EXACT.multiply(Decimal(curve.sd), range.half_width)
    centre = min(max(centre.quantize(ORDER_PLACES, context=EXACT), range.lo), range.hi)
    sd = max(sd.quantize(ORDER_PLACES, context=EXACT), market.sd_min)
    if range.log:
        return Order("toward", median=centre, sd_log=sd)
    return Order("toward", mean=centre, sd=sd)


def _risk_aversion(value: object, allow_zero: bool) -> float:
    a = finite(value, "risk_aversion")
    if a < 0 or (a == 0 and not allow_zero):
        bound = "at least 0" if allow_zero else "positive"
        raise InvalidNumber(gettext_noop("risk_aversion must be %(bound)s", bound=bound), field="risk_aversion")
    return a
