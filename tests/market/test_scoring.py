"""The rules forecasts are judged by once the answer is known (mmgame.market.scoring, docs/lesson-numbers.md):
the class's average is the mixture of its forecasts, equal scores tie, and an answer on a 90 % range's end
is inside it. Checked against 50-digit mpmath."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mmgame.market import Z90, Curve, GaussianMarket, InvalidCurve, Range, inside_90, mixture_log_ratio, tally

from .reference import mp

FAST = settings(max_examples=150, deadline=None, derandomize=True)

means = st.floats(-1, 1)
sds = st.floats(1e-4, 1)
curves = st.builds(Curve, means, sds)


def mp_log_density(curve: Curve, z: float):
    mean, sd, x = mp.mpf(curve.mean), mp.mpf(curve.sd), mp.mpf(z)
    return -((x - mean) ** 2) / (2 * sd**2) - mp.log(sd) - mp.log(2 * mp.pi) / 2


def mp_mixture_score(prior: Curve, guesses: list[Curve], z: float):
    """ln[(1/n)·Σ pᵢ(z)] − ln p_prior(z) at 50 digits."""
    density = mp.fsum(mp.exp(mp_log_density(curve, z)) for curve in guesses) / len(guesses)
    return mp.log(density) - mp_log_density(prior, z)


# -- the class's average: the mixture, scored by its density ---------------------------------------------


@FAST
@given(prior=curves, guesses=st.lists(curves, min_size=1, max_size=30), z=means)
def test_the_mixture_is_scored_by_the_mean_of_the_densities(prior, guesses, z) -> None:
    got = mixture_log_ratio(prior, guesses, z)
    want = mp_mixture_score(prior, guesses, z)
    scores = [prior.log_ratio(curve, z) for curve in guesses]
    size = max(1.0, max(abs(s) for s in scores))  # the terms the log-sum-exp adds
    assert abs(mp.mpf(got) - want) <= 1e-13 * size
    # Between the worst and the best guess, and never below their average score (ln is concave: Jensen).
    assert min(scores) - 1e-12 * size <= got <= max(scores) + 1e-12 * size
    assert got >= math.fsum(scores) / len(scores) - 1e-12 * size


@FAST
@given(prior=curves, guess=curves, copies=st.integers(1, 40), z=means)
def test_one_guess_or_many_copies_of_it_score_exactly_as_that_guess(prior, guess, copies, z) -> None:
    assert mixture_log_ratio(prior, [guess] * copies, z) == prior.log_ratio(guess, z)


@FAST
@given(prior=curves, z=st.floats(-0.5, 0.5), offset=st.floats(0, 0.5), sd=st.floats(1e-3, 0.5))
def test_guesses_either_side_of_the_answer_score_below_the_normal_matched_to_their_moments(prior, z, offset, sd):
    """Two guesses z ± d with the same σ = s: their mixture scores as either guess does, while the normal
    matched to their mean and variance, N(z, s² + d²), scores d²/(2s²) − ½·ln(1 + d²/s²) ≥ 0 nats more."""
    guesses = [Curve(z - offset, sd), Curve(z + offset, sd)]
    moments = Curve(z, math.sqrt(sd**2 + offset**2))
    mixture = mixture_log_ratio(prior, guesses, z)
    size = max(1.0, abs(prior.log_ratio(moments, z)), (offset / sd) ** 2)

    assert mixture == pytest.approx(prior.log_ratio(guesses[0], z), abs=1e-12 * size)
    gap = (offset / sd) ** 2 / 2 - 0.5 * math.log1p((offset / sd) ** 2)
    assert prior.log_ratio(moments, z) - mixture == pytest.approx(gap, abs=1e-11 * size)


def test_two_confident_guesses_either_side_of_the_answer_score_badly_though_their_moments_do_not() -> None:
    """Guesses N(50, 10²) and N(250, 10²) on [0, 300], answer 150: each puts next to nothing at 150 (10σ off),
    so the class's belief did; the normal matched to their mean and variance, N(150, 100.5²), would have
    beaten the starting forecast N(100, 100²)."""
    market = GaussianMarket.create(Range(Decimal(0), Decimal(300)), 30, 100, 100)
    guesses = [market.curve_from_x(50, 10), market.curve_from_x(250, 10)]
    z = market.settle_z(150)
    moments = Curve(0.0, math.sqrt(guesses[0].sd ** 2 + (100 / 150) ** 2))

    assert market.prior.log_ratio(moments, z) > 0  # what the lesson used to say: "beat the starting forecast"
    mixture = mixture_log_ratio(market.prior, guesses, z)
    assert mixture == pytest.approx(float(mp_mixture_score(market.prior, guesses, z)), rel=1e-12)
    assert mixture < -45  # ln of 10σ off: −50 + ln(100/10) + 0.125


def test_a_guess_hundreds_of_nats_off_neither_underflows_nor_swamps_the_rest() -> None:
    prior, near, far = Curve(0.0, 0.5), Curve(0.1, 0.1), Curve(-1.0, 1e-3)
    z = 0.1
    got = mixture_log_ratio(prior, [near, far], z)
    assert math.isfinite(got)
    assert got == pytest.approx(prior.log_ratio(near, z) - math.log(2), abs=1e-12)


def test_a_mixture_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError):
        mixture_log_ratio(Curve(0.0, 1.0), [], 0.0)


# -- ties are ties ---------------------------------------------------------------------------------------


@FAST
@given(reference=st.floats(-50, 50), others=st.lists(st.floats(-50, 50), max_size=20), copies=st.integers(0, 5))
def test_a_tally_counts_each_other_score_once_and_equal_scores_as_ties(reference, others, copies) -> None:
    scores = others + [reference] * copies
    counted = tally(reference, scores)

    assert counted.beaten + counted.tied + counted.lost_to == len(scores)
    assert counted.tied == sum(score == reference for score in scores) >= copies
    assert counted.beaten == sum(score < reference for score in scores)


@FAST
@given(prior=curves, curve=curves, z=means)
def test_the_same_curve_scores_the_same_double_so_it_ties(prior, curve, z) -> None:
    again = Curve(curve.mean, curve.sd)
    assert tally(prior.log_ratio(curve, z), [prior.log_ratio(again, z)]) == (0, 1, 0)


# -- an answer on a 90 % range's end is inside --------------------------------------------------------------

LOG_RANGE = Range(Decimal(1), Decimal(10**6), scale="log")
LINEAR_RANGE = Range(Decimal("-1000"), Decimal("3000"))


def ends(range: Range) -> st.SearchStrategy[tuple[Decimal, Decimal]]:
    """Two different values in the range, with up to 15 significant digits, as a person or the API types them."""
    digits = st.integers(1, 15)

    @st.composite
    def pair(draw: st.DrawFn) -> tuple[Decimal, Decimal]:
        values = []
        for _ in (0, 1):
            fraction = Decimal(draw(st.integers(1, 10**6 - 1))) / 10**6
            value = range.lo + (range.hi - range.lo) * fraction
            values.append(+value.normalize().quantize(Decimal(1).scaleb(value.adjusted() - draw(digits) + 1)))
        low, high = sorted(values)
        return (low, high) if low < high else (low, high + 1)

    return pair()


@FAST
@given(data=st.data(), range=st.sampled_from([LOG_RANGE, LINEAR_RANGE]))
def test_an_answer_on_either_end_of_a_typed_90_percent_range_is_inside(data, range) -> None:
    sd_min = (range.width / 10_000).quantize(Decimal("1e-6"), rounding="ROUND_CEILING")
    market = GaussianMarket.create(range, 30, range.point(range.centre), range.half_width / 2, sd_min)
    low, high = data.draw(ends(range))
    try:
        if range.log:
            curve = market.curve_from_interval(low, high)
        else:  # a linear market takes the interval as the mean and σ it names
            curve = market.curve_from_y((low + high) / 2, (high - low) / (2 * Z90))
    except InvalidCurve:
        assume(False)  # narrower than the finest forecast: no market takes it
    for answer in (low, high):
        assert inside_90(curve, range.exact_z(answer)), (low, high, answer)


@FAST
@given(curve=curves, u=st.floats(-3, 3))
def test_inside_is_the_exact_comparison_away_from_the_ends(curve, u) -> None:
    """Away from the ends (beyond the 10⁻¹² the stored curves may be off by), the rule is |z − μ| ≤ Z90·σ."""
    z = curve.mean + u * curve.sd
    distance = abs(mp.mpf(z) - mp.mpf(curve.mean)) - mp.mpf("1.6448536269514722") * mp.mpf(curve.sd)
    if abs(distance) > 1e-11:
        assert inside_90(curve, z) == (distance <= 0)


def test_the_ends_of_a_range_typed_as_between_200_and_5000() -> None:
    market = GaussianMarket.create(LOG_RANGE, 30, 1000, 2)
    curve = market.curve_from_interval(200, 5000)

    for answer, inside in [(200, True), (5000, True), (1000, True), (Decimal("199.99"), False), (5001, False)]:
        assert inside_90(curve, LOG_RANGE.exact_z(answer)) is inside, answer
