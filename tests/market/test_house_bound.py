"""The house's bound as the host is shown it is never below the exact worst case (docs/lesson-numbers.md):
GaussianMarket.subsidy is b·[ln(σ₀/σ_min) + D²/(2σ₀²)] worked exactly and rounded up, tried at the largest
ranges, liquidities and spreads the form takes against 50-digit mpmath."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame.market import GaussianMarket, Order, Range, Refused, Wealth, settle
from mmgame.market.scale import EXACT

from .reference import mp

HARD = settings(max_examples=300, deadline=None, derandomize=True)

CENTRES = [Decimal(0), Decimal("1e9"), Decimal("-5e14"), Decimal("123456.789"), Decimal("1e-3")]
HALF_WIDTHS = [Decimal("1e-3"), Decimal(150), Decimal("1e6"), Decimal("4.9e14")]


@st.composite
def adversarial_markets(draw: st.DrawFn) -> GaussianMarket:
    """Large ranges and liquidities, σ_min down to range/10⁴, priors anywhere fair, even hugging an edge."""
    centre, half = draw(st.sampled_from(CENTRES)), draw(st.sampled_from(HALF_WIDTHS))
    if abs(centre) + half > Decimal("1e15"):
        centre = Decimal(0)
    rng = Range(centre - half, centre + half)
    sd_min = rng.width / draw(st.sampled_from([10_000, 5_000, 200, 7]))
    b = draw(st.sampled_from([1e-6, 1.0, 30.0, 12345.678, 1e6, 1e9]) | st.floats(1e-6, 1e9))
    where = Decimal(draw(st.integers(-999_999, 999_999))) / 1_000_000  # the prior's mean, in z
    room = (1 - where * where).sqrt()  # the widest fair σ there, in z
    spread = Decimal(draw(st.integers(1, 1000))) / 1000
    sd = max(sd_min, room * spread * rng.half_width * Decimal("0.999"))
    mean = rng.centre + where * rng.half_width
    try:
        return GaussianMarket.create(rng, b, mean, sd, sd_min)
    except Exception:  # a prior too near an edge for σ_min: not a market anyone can make
        return GaussianMarket.create(rng, b, rng.centre, rng.half_width / 2, sd_min)


def exact_bound(market: GaussianMarket):
    """b·[ln(σ₀/σ_min) + (1 + |μ₀|)²/(2σ₀²)] in z at 50 digits, from the doubles the market holds."""
    mean, sd, least = (mp.mpf(v) for v in (market.prior.mean, market.prior.sd, market.sd_min_z))
    return mp.mpf(market.liquidity) * (mp.log(sd / least) + (1 + abs(mean)) ** 2 / (2 * sd**2))


@HARD
@given(market=adversarial_markets())
def test_the_bound_is_never_below_the_exact_worst_case_and_at_most_a_rounding_above(market) -> None:
    bound, exact = market.subsidy(), exact_bound(market)

    assert mp.mpf(bound) >= exact
    assert math.nextafter(bound, 0) < exact  # the least double at or above it: up, not a margin


@HARD
@given(market=adversarial_markets())
def test_no_curve_the_market_takes_wins_more_from_the_house_than_the_bound(market) -> None:
    """The narrowest curve centred on the end farther from the prior's middle, scored exactly at that end:
    the supremum the bound is (docs/maths.md § Bounded loss); fairness keeps real markets a little short of it."""
    end = -1 if market.prior.mean > 0 else 1
    mean, sd, least = (mp.mpf(v) for v in (market.prior.mean, market.prior.sd, market.sd_min_z))
    won = mp.mpf(market.liquidity) * (((end - mean) ** 2) / (2 * sd**2) + mp.log(sd / least))
    assert won <= mp.mpf(market.subsidy())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(market=adversarial_markets(), steps=st.integers(1, 4))
def test_traders_with_deep_pockets_pushing_to_the_far_end_win_no_more_than_the_bound(market, steps) -> None:
    """An attack as the ledger settles it: a trader with a billion points moves the market, in a few steps, to
    the narrowest fair curve at the end farther from the prior's middle, and the answer is that end. What the
    house lost, b·[ln p_final − ln p_prior] at the end worked at 50 digits from the curves the market took,
    stays within the bound; so does what the ledger pays, to a payout's own rounding: a double near a billion
    points is kept to 1.2·10⁻⁷ of a point (seen: 3.6·10⁻⁸ over a bound of 0.5 at b = 10⁻⁶)."""
    rng = market.range
    end_x = rng.lo if market.prior.mean > 0 else rng.hi
    end_y = rng.y(end_x)
    wealth = Wealth(BUDGET)
    prior = market.prior
    for step in range(1, steps + 1):
        target = EXACT.add(rng.centre, EXACT.multiply(EXACT.subtract(end_y, rng.centre), Decimal(step) / steps))
        mean, sd = market.nearest_fair(target, market.sd_min)
        try:
            quote = settle(market, wealth, Order("toward", mean=mean, sd=sd))
        except Refused:
            continue
        market, wealth = market.trade(quote.move), quote.wealth_after
    z = market.settle_z(end_x)
    exact_z = mp.mpf(str(rng.exact_z(end_x)))
    lost = mp.mpf(market.liquidity) * (mp_log_density(market.curve, exact_z) - mp_log_density(prior, exact_z))

    assert lost <= mp.mpf(market.subsidy())
    assert wealth.at(z) - BUDGET <= market.subsidy() + 1e-12 * BUDGET


BUDGET = 1e9


def mp_log_density(curve, z):
    mean, sd = mp.mpf(curve.mean), mp.mpf(curve.sd)
    return -((z - mean) ** 2) / (2 * sd**2) - mp.log(sd)
