"""The Gaussian market maker: a logarithmic market scoring rule over normal forecasts.

Moving the market from curve p to p′ earns b·[ln p′(x) − ln p(x)] at outcome x (docs/maths.md § The log score); this
class prices such moves, checks them against a trader's collateral and resolves the market. All
arithmetic is in z = (y − c)/s (scale.py), y = x or ln x; the methods named `*_x` speak in the question's
units: a curve's centre there is its mean (linear) or median (log), its spread σ of y.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Context, Decimal
from functools import cached_property, lru_cache

from .curve import Curve
from .errors import InvalidCurve, InvalidNumber, ScaleMismatch, UnfairCurve, gettext_noop
from .scale import EXACT, STORED, Z90, Range, finite, quantity
from .wealth import LEDGER, Wealth, dd_add, dd_times, two_prod

BISECTION_STEPS = 64
# How far either side of the edge solved in doubles the exact test brackets it (fair_fraction).
EDGE_HAIR = 1e-13
# μ² + σ² in doubles is within a few ulps of the exact sum; nearer 1 than this, `fair` asks the decimals.
FAIR_HAIR = 1e-12
NARROWEST_FRACTION = 10_000
LARGEST_LIQUIDITY = 1e15
# A suggested fair curve stays this far (relatively) inside the boundary, so rounding to z cannot push it out.
INSIDE = Decimal("0.999999")
# A 60-digit result may sit a unit in its last place below the exact value: rounding up allows for it.
UP_MARGIN = Decimal("1e-50")


@dataclass(frozen=True)
class Move:
    """What one trade does: the market's new curve and the trader's profit/loss as a quadratic in z."""

    before: Curve
    after: Curve
    fraction: float
    shares: tuple[float, float]
    cost: float
    pnl: Wealth

    @property
    def worst(self) -> float:
        return self.pnl.worst()[0]

    @property
    def best(self) -> float:
        return self.pnl.best()[0]


@dataclass(frozen=True)
class GaussianMarket:
    """A market's rules and its current curve. Immutable: a trade returns a new market."""

    range: Range
    liquidity: float
    sd_min: Decimal
    prior: Curve
    curve: Curve

    @classmethod
    def create(
        cls,
        range: Range,
        liquidity: float,
        prior_mean: float,
        prior_sd: float,
        sd_min: float | None = None,
    ) -> GaussianMarket:
        liquidity = finite(liquidity, "liquidity")
        if not 0 < liquidity <= LARGEST_LIQUIDITY:
            raise InvalidNumber(gettext_noop("liquidity must be positive and at most 10^15"), field="liquidity")
        if sd_min is None:
            sd_min = default_sd_min(range)
        sd_min = quantity(sd_min, "sd_min")
        if sd_min <= 0:
            raise InvalidCurve(gettext_noop("σ_min must be positive"), field="sd_min", rule="positive")
        # A position is a quadratic in z whose coefficients grow like b/σ_z²: below range/10⁴ its sums
        # lose more than 10⁻⁶ points to rounding. A finer question needs a narrower range, not a smaller σ_min.
        narrowest = range.width / NARROWEST_FRACTION
        if sd_min < narrowest:
            raise InvalidCurve(
                gettext_noop(
                    "σ_min must be at least %(narrowest)s (1/10,000 of the range): narrow the range instead",
                    narrowest=range.write_spread(narrowest),
                ),
                field="sd_min",
                rule="narrowest",
                sd_min=float(narrowest),
            )
        if range.integer and sd_min < range.smallest_whole_sd:
            # Outcomes are integers: N(100.5, 0.1²) → N(100.5, 0.5²) gains ≥ 10.39·b at every integer. With
            # σ ≥ ½, σ² ≥ ¼ ≥ (μ − ⌊μ⌋)(⌈μ⌉ − μ) for every μ, so no curve can be beaten that way (docs/maths.md §
            # Bounded loss). In ln x the neighbours are ln n and ln(n + 1): half the widest gap, at n = lo, does the
            # same.
            raise InvalidCurve(
                gettext_noop(
                    "on a whole-number question σ_min must be at least %(smallest_whole_sd)s,"
                    " or a trader can win at every whole number",
                    smallest_whole_sd=range.write_spread(range.smallest_whole_sd),
                ),
                field="sd_min",
                rule="whole_sd",
                sd_min=float(range.smallest_whole_sd),
            )
        if sd_min > range.half_width:
            raise InvalidCurve(
                gettext_noop(
                    "σ_min must be at most half the range (%(half_width)s): no wider curve is fair",
                    half_width=range.write_spread(range.half_width),
                ),
                field="sd_min",
                rule="widest",
                sd_min=float(range.half_width),
            )
        market = cls(range, liquidity, sd_min, Curve(0.0, 1.0), Curve(0.0, 1.0))
        prior = market.curve_from_x(prior_mean, prior_sd, field="prior")
        if not fair(prior):
            mean, sd = market.nearest_fair(range.quantity_y(prior_mean, "prior_mean"), quantity(prior_sd, "prior_sd"))
            centre, spread = range.curve_names
            raise UnfairCurve(
                gettext_noop(
                    "that starting forecast gives free points: a curve with much of its mass outside [%(lo)s, %(hi)s]"
                    " is beaten at every outcome (σ² must be at most (hi − μ)(μ − lo)); the nearest fair one is %(sd)s",
                    lo=range.write(range.lo),
                    hi=range.write(range.hi),
                    sd=range.write_curve(mean, sd),
                ),
                field="prior_sd",
                **{f"nearest_{centre}": str(mean), f"nearest_{spread}": str(sd)},
            )
        return replace(market, prior=prior, curve=prior)

    # -- curves in the question's units -------------------------------------------------------
    def curve_from_x(self, mean: object, sd: object, field: str = "target") -> Curve:
        """Validate a forecast given in the question's units — N(mean, sd²), or on a log scale its median and σ
        of ln x — and scale it to z."""
        centre, spread = (f"{field}_{name}" for name in self.range.curve_names)
        return self.curve_from_y(self.range.quantity_y(mean, centre), quantity(sd, spread), field)

    def curve_from_interval(self, low: object, high: object, field: str = "target") -> Curve:
        """ "90 % sure it is between low and high": centre (low + high)/2 in y — √(low·high) in x on a log
        scale — and σ_y = (y(high) − y(low))/(2·Z90)."""
        low, high = self.range.quantity_y(low, f"{field}_low"), self.range.quantity_y(high, f"{field}_high")
        if not low < high:
            raise InvalidCurve(gettext_noop("the interval needs low < high"), field=f"{field}_high")
        mean = EXACT.divide(EXACT.add(low, high), 2)
        sd = EXACT.divide(EXACT.subtract(high, low), EXACT.multiply(2, Z90))
        return self.curve_from_y(mean, sd, field)

    def curve_from_y(self, mean: Decimal, sd: Decimal, field: str = "target") -> Curve:
        """Validate a forecast N(mean, sd²) in the engine's coordinate y and scale it to z."""
        centre, spread = (f"{field}_{name}" for name in self.range.curve_names)
        if sd <= 0:
            raise InvalidCurve(gettext_noop("the spread σ must be positive"), field=spread, rule="positive")
        if sd < self.sd_min:
            raise InvalidCurve(
                gettext_noop("the spread σ must be at least %(sd_min)s", sd_min=self.range.write_spread(self.sd_min)),
                field=spread,
                rule="at_least_sd_min",
                sd_min=float(self.sd_min),
            )
        if not self.range.y_lo <= mean <= self.range.y_hi:
            raise InvalidCurve(
                gettext_noop(
                    "the %(curve_names)s must lie between %(lo)s and %(hi)s",
                    curve_names=self.range.curve_names[0],
                    lo=self.range.write(self.range.lo),
                    hi=self.range.write(self.range.hi),
                ),
                field=centre,
                rule="inside_range",
            )
        # σ ≥ σ_min in decimals; rounding to z must not take it below sd_min_z (which is rounded up).
        return self.check(Curve(self.range.y_to_z(mean), max(self.range.sd_to_z(sd), self.sd_min_z)))

    def curve_from_order(self, order: object, field: str = "target") -> Curve:
        """The curve a `target` or `toward` order names, in the form its market's scale takes: mean and sd on a
        linear market; median and sd_log, or a 90 % interval low–high, on a log market (docs/maths.md § Log markets)."""
        given = {name for name in ("mean", "sd", "median", "sd_log", "low", "high") if getattr(order, name) is not None}
        if self.range.log:
            if given & {"mean", "sd"}:
                raise ScaleMismatch(
                    "a log-scale market takes a curve as median and sd_log (σ of ln x), or as a 90 % interval low "
                    "and high, never as a mean and sd in x",
                    field="mean" if "mean" in given else "sd",
                )
            if given & {"low", "high"}:
                return self.curve_from_interval(order.low, order.high, field)
            return self.curve_from_x(order.median, order.sd_log, field)
        if extra := sorted(given - {"mean", "sd"}):
            raise ScaleMismatch(
                gettext_noop(
                    "a linear market takes a curve as mean and sd"
                    " (median, sd_log and intervals are for log-scale markets)"
                ),
                field=extra[0],
            )
        return self.curve_from_x(order.mean, order.sd, field)

    def curve_to_x(self, curve: Curve) -> tuple[float, float]:
        return self.range.to_x(curve.mean), self.range.sd_to_x(curve.sd)

    @property
    def mean(self) -> float:
        return self.range.to_x(self.curve.mean)

    @property
    def sd(self) -> float:
        return self.range.sd_to_x(self.curve.sd)

    @cached_property
    def sd_min_z(self) -> float:
        """σ_min in z, rounded up: a curve with sd_z ≥ this has σ ≥ σ_min exactly, in x too."""
        return sd_min_in_z(self.sd_min, self.range.half_width)

    def check(self, curve: Curve) -> Curve:
        """A curve the market may take: finite, σ ≥ σ_min (so θ₂ < 0). Fairness is the order's (see `fair`)."""
        if not (math.isfinite(curve.mean) and math.isfinite(curve.sd)) or curve.sd <= 0:
            raise InvalidCurve(gettext_noop("that trade leaves no valid curve (θ₂ must stay negative)"))
        if curve.sd < self.sd_min_z:
            raise InvalidCurve(
                gettext_noop(
                    "that trade narrows the curve below σ_min = %(sd_min)s", sd_min=self.range.write_spread(self.sd_min)
                ),
                sd_min=float(self.sd_min),
            )
        return curve

    def nearest_fair(self, mean: Decimal, sd: Decimal) -> tuple[Decimal, Decimal]:
        """A fair curve close to N(mean, sd²), given in y: the same mean with σ cut to √((hi − μ)(μ − lo)), or,
        where even σ_min does not fit, the mean moved in to where it does. Kept a little inside the boundary.
        Returned in the question's units: its mean (its median on a log scale) and σ of y."""
        lo, hi, centre, half = self.range.y_lo, self.range.y_hi, self.range.centre, self.range.half_width
        # (hi − μ)(μ − lo) = s² − (μ − c)² ≥ σ_min²  ⟺  |μ − c| ≤ √(s² − σ_min²).
        mul, sub = EXACT.multiply, EXACT.subtract
        reach = mul(EXACT.sqrt(sub(mul(half, half), mul(self.sd_min, self.sd_min))), INSIDE)
        mean = min(max(mean, sub(centre, reach)), EXACT.add(centre, reach))
        room = EXACT.sqrt(mul(sub(hi, mean), sub(mean, lo)))
        sd = max(min(sd, mul(room, INSIDE)), self.sd_min)
        # To the 15 digits every database keeps, rounded inward: the mean toward the centre, σ down (σ_min
        # has at most 15 digits, so σ stays at or above it).
        toward_centre = ROUND_FLOOR if mean > centre else ROUND_CEILING
        # exp is increasing: rounding the median toward the centre's image rounds ln of it toward the centre.
        point = self.range.point(mean)
        return Context(STORED.prec, toward_centre).plus(point), Context(STORED.prec, ROUND_DOWN).plus(sd)

    def fair_fraction(self, target: Curve) -> float:
        """The largest t ∈ [0, 1] such that the curve a fraction t of the way to `target` is fair.

        In θ, fair means w² − w ≥ θ₁² with w = −2θ₂ (μ² + σ² ≤ 1 with σ² = 1/w, μ = θ₁/w): the epigraph
        of the convex w ≥ (1 + √(1 + 4θ₁²))/2, a convex set. Trades move θ along a line, so the fair t
        form an interval around 0 (when the market is fair now) and bisection finds its end.
        """
        if fair(target):
            return 1.0
        lo, hi = 0.0, 1.0
        edge = fair_edge(self.curve, target)
        if edge is not None:
            # The edge solved in doubles, then bracketed by the exact test a hair either side: the bisection
            # below starts from there and needs about ten steps, not 64 (a close's quote priced every trade).
            below, above = edge * (1 - EDGE_HAIR), min(1.0, edge * (1 + EDGE_HAIR))
            if fair(self.curve.toward(target, below)):
                lo = below
                if not fair(self.curve.toward(target, above)):
                    hi = above
        for _ in range(BISECTION_STEPS):
            mid = (lo + hi) / 2
            if not lo < mid < hi:  # no double left between them: done
                break
            if fair(self.curve.toward(target, mid)):
                lo = mid
            else:
                hi = mid
        return lo

    # -- trades -------------------------------------------------------------------------------
    def move(self, target: Curve, fraction: float = 1.0) -> Move:
        """Price the move from the current curve to `target` (or a fraction of the way there)."""
        after = self.check(self.curve.toward(target, fraction))
        pnl = log_score(self.liquidity, self.curve, after)
        return Move(self.curve, after, fraction, (pnl.linear, pnl.quadratic), -pnl.const, pnl)

    def move_by_shares(self, delta_1: float, delta_2: float) -> Move:
        """Buy raw shares (δ₁, δ₂) of the seed's securities x and x² (negative sells); linear markets only."""
        if self.range.log:
            raise ScaleMismatch(
                gettext_noop("the seed's shares of x and x² are for linear markets: on a log scale trade a curve"),
                field="kind",
            )
        delta_1, delta_2 = finite(delta_1, "delta_1"), finite(delta_2, "delta_2")
        s, c = float(self.range.half_width), float(self.range.centre)
        # Payoff δ₁x + δ₂x² with x = c + s·z is (δ₁ + 2cδ₂)·s·z + δ₂·s²·z² plus a constant.
        dz1, dz2 = (delta_1 + 2 * c * delta_2) * s, delta_2 * s * s
        t1, t2 = self.curve.natural
        b = self.liquidity
        u1, u2 = t1 + dz1 / b, t2 + dz2 / b
        if not (math.isfinite(u1) and u2 < 0):
            raise InvalidCurve(gettext_noop("that trade would make θ₂ ≥ 0 (the curve would have no spread)"))
        return self.move(Curve.from_natural(u1, u2))

    def profit_at(self, target: Curve, x: object) -> float:
        """What moving to `target` earns at outcome x: b·[ln p′(x) − ln p(x)], computed stably."""
        return self.liquidity * self.curve.log_ratio(target, self.range.to_z(x))

    def trade(self, move: Move) -> GaussianMarket:
        return replace(self, curve=move.after)

    # -- collateral ---------------------------------------------------------------------------
    def affordable_fraction(self, wealth: Wealth, target: Curve, upto: float = 1.0) -> float:
        """The largest t ∈ [0, upto] such that moving a fraction t toward `target` keeps W ≥ 0 on the range.

        ln p_θ(z) is concave in θ, so min_z W_t(z) is concave in t and the feasible t form an
        interval around 0: bisection finds its end. W is tested exactly (wealth.py), so an accepted
        move leaves W ≥ 0 to the ledger's 32 digits, not to a double's rounding of 10¹⁰-sized terms.
        """

        def affordable(t: float) -> bool:
            return (wealth + self.move(target, t).pnl).covered

        if upto > 0 and affordable(upto):
            return upto
        lo, hi = 0.0, upto
        for _ in range(BISECTION_STEPS):
            mid = (lo + hi) / 2
            if not lo < mid < hi:  # no double left between them: done
                break
            if affordable(mid):
                lo = mid
            else:
                hi = mid
        # A fraction too small to change the curve in doubles is no trade at all (it would cost 0).
        return lo if self.curve.toward(target, lo) != self.curve else 0.0

    # -- resolution and the house -------------------------------------------------------------
    def settle_z(self, outcome: object) -> float:
        return self.range.to_z(self.range.settle_at(outcome))

    def subsidy(self) -> float:
        """The house's worst loss: b·[ln(σ₀/σ_min) + D²/(2σ₀²)], D = max |x − μ₀| over the range, never below
        the exact value (see `house_bound`)."""
        return house_bound(self.liquidity, self.prior.mean, self.prior.sd, self.sd_min_z)

    def house_result(self, outcome: object) -> float:
        """What the traders together won from the house: b·[ln p_final(x*) − ln p_prior(x*)].

        A check on the ledger, not the ledger: resolution pays W(x*) per position and the house's result
        is what those payouts leave (services.lifecycle.resolve_market).
        """
        return self.liquidity * self.prior.log_ratio(self.curve, self.settle_z(outcome))


@lru_cache(maxsize=1024)
def sd_min_in_z(sd_min: Decimal, half_width: Decimal) -> float:
    """σ_min / half the range, rounded up to a double (in 60 digits: every new market state asks, once a trade)."""
    exact = EXACT.divide(sd_min, half_width)
    sd = float(exact)
    return math.nextafter(sd, math.inf) if Decimal(sd) < exact else sd


@lru_cache(maxsize=1024)
def house_bound(liquidity: float, mean: float, sd: float, sd_min: float) -> float:
    """b·[ln(σ₀/σ_min) + D²/(2σ₀²)] in z, D = 1 + |μ₀| (the farther end of [−1, 1]), for the prior N(μ₀, σ₀²)
    and the narrowest curve σ_min the market takes: ln p′ is at most −ln σ_min − ½ln 2π, ln p_prior at least
    −ln σ₀ − ½ln 2π − D²/(2σ₀²), so no sequence of trades wins more from the house (docs/maths.md § Bounded loss).

    Worked in 60-digit decimals from the doubles' exact values and rounded *up* to a double: a double's
    rounding to nearest fell below the exact bound in half of 1,000 adversarial markets (by up to 2.6·10⁻⁶
    points, benchmarks/lesson_numbers.py), and the bound shown to a host must never be below what the house
    can lose.
    """
    b, mean, sd, least = Decimal(liquidity), Decimal(mean), Decimal(sd), Decimal(sd_min)
    distance = EXACT.add(1, mean.copy_abs())
    per_b = EXACT.add(
        EXACT.ln(EXACT.divide(sd, least)),
        EXACT.divide(EXACT.multiply(distance, distance), EXACT.multiply(2, EXACT.multiply(sd, sd))),
    )
    return round_up(EXACT.multiply(b, per_b))


def round_up(value: Decimal) -> float:
    """The least double at or above `value`, with room for the last of its 60 digits."""
    nearest = float(value)
    return (
        math.nextafter(nearest, math.inf)
        if Decimal(nearest) < EXACT.multiply(value, EXACT.add(1, UP_MARGIN))
        else nearest
    )


def fair(curve: Curve) -> bool:
    """Bhatia–Davis in z, where the range is [−1, 1]: σ² ≤ (1 − μ)(1 + μ), i.e. μ² + σ² ≤ 1, tested exactly.

    Outside it the curve's moments (μ, μ² + σ²) leave the convex hull of {(z, z²)}, and some move earns
    points at every outcome (docs/maths.md § Bounded loss). In doubles μ² + σ² is within a few units in the
    last place of the exact sum (|μ|, σ ≤ about 1 here), so only a sum within FAIR_HAIR of 1 needs decimals.
    """
    rough = curve.mean * curve.mean + curve.sd * curve.sd
    if rough < 1 - FAIR_HAIR:
        return True
    if rough > 1 + FAIR_HAIR:
        return False
    mean, sd = Decimal(curve.mean), Decimal(curve.sd)
    return LEDGER.add(LEDGER.multiply(mean, mean), LEDGER.multiply(sd, sd)) <= 1


def fair_edge(start: Curve, target: Curve) -> float | None:
    """Where the segment from a fair `start` to an unfair `target` leaves the fair curves, in doubles (None
    when they cannot say). Along it θ moves linearly, and with w = −2θ₂ = 1/σ² fair is w² − w − θ₁² ≥ 0 (on
    the branch w > 0 every curve is on): a quadratic in t, positive at 0 and negative at 1, so one root
    between. Only a guess for `GaussianMarket.fair_fraction`, which checks it exactly."""
    (a1, a2), (b1, b2) = start.natural, target.natural
    w0, dw, c0, dc = -2 * a2, -2 * (b2 - a2), a1, b1 - a1
    qa, qb, qc = dw * dw - dc * dc, 2 * w0 * dw - dw - 2 * c0 * dc, w0 * w0 - w0 - c0 * c0
    if not all(map(math.isfinite, (qa, qb, qc))) or qc < 0 or qa + qb + qc >= 0:
        return None
    disc = qb * qb - 4 * qa * qc
    if disc < 0:
        return None
    q = -(qb + math.copysign(math.sqrt(disc), qb)) / 2  # the stable pair of roots: q/qa and qc/q
    roots = [r for r in (q / qa if qa else math.nan, qc / q if q else math.nan) if 0 < r < 1]
    return min(roots) if roots else None


def log_score(liquidity: float, before: Curve, after: Curve) -> Wealth:
    """b·[ln p′(z) − ln p(z)] as an exact quadratic in z (docs/maths.md § The log score):

        quadratic = b·[1/(2σ²) − 1/(2σ′²)],  linear = b·[μ′/σ′² − μ/σ²],
        const = b·[μ²/(2σ²) − μ′²/(2σ′²) + ln(σ/σ′)] = −cost.

    At σ near σ_min these are ≈ 10¹⁰ for a move worth ≈ 1, so they are formed in double-double (≈ 32
    digits) from the curves' exact binary values. ln(σ/σ′) is a small term with no cancellation: a double
    suffices.
    """
    b, m, s, m2, s2 = liquidity, before.mean, before.sd, after.mean, after.sd
    # k = b/(2σ²), k′ = b/(2σ′²): every coefficient is a difference of two such terms, formed in
    # double-double (wealth.py) from the curves' exact binary values.
    k, k2 = _half_over_square(b, s), _half_over_square(b, s2)
    quadratic = dd_add(*k, -k2[0], -k2[1])
    mk, m2k2 = dd_times(*k, m), dd_times(*k2, m2)
    linear = dd_add(*m2k2, -mk[0], -mk[1])
    linear = (2 * linear[0], 2 * linear[1])
    mmk, m2m2k2 = dd_times(*mk, m), dd_times(*m2k2, m2)
    const = dd_add(*mmk, -m2m2k2[0], -m2m2k2[1])
    const = dd_add(*const, *two_prod(b, log_ratio(before.sd, after.sd)))
    return Wealth(const[0], linear[0], quadratic[0], (const[1], linear[1], quadratic[1]))


def _half_over_square(b: float, s: float) -> tuple[float, float]:
    """b/(2s²) in double-double: a quotient refined by its exact remainder."""
    p, e = two_prod(s, s)
    p, e = 2 * p, 2 * e
    q = b / p
    x, y = two_prod(q, p)
    r = ((b - x) - y) - q * e
    q2 = r / p
    head = q + q2
    return head, q2 - (head - q)


def log_ratio(a: float, b: float) -> float:
    """ln(a/b) to a few units in its last place: near 1, log1p of the difference, which is exact (Sterbenz)."""
    if 0.5 <= a / b <= 2:
        return math.log1p((a - b) / b)
    return math.log(a) - math.log(b)


def default_sd_min(range: Range) -> Decimal:
    """σ_min defaults to 1/200 of the range (in ln x on a log scale, rounded up to 15 digits), and for
    whole-number questions at least what keeps every curve fair at whole numbers (½ in x)."""
    sd_min = Context(STORED.prec, ROUND_CEILING).divide(range.width, 200)
    return max(sd_min, range.smallest_whole_sd) if range.integer else sd_min
