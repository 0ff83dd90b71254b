"""When the lesson may say "trading pooled what each of you was told" (mmgame.market.pooling,
docs/lesson-numbers.md): only when the market ended nearer the true value than the typical clue and the bets
followed the clues by more than chance makes them one time in twenty."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mmgame.market import POOLING_Z, clue_evidence, lean, pooling

FAST = settings(max_examples=30, deadline=None, derandomize=True)

errors = st.floats(-50, 50)
leans = st.floats(-1e6, 1e6).filter(lambda x: abs(x) > 1e-6)
taus = st.floats(0.01, 100)


def bets() -> st.SearchStrategy[list[tuple[float, float]]]:
    return st.lists(st.tuples(errors, leans), min_size=2, max_size=12)


def coefficients(weights: list[tuple[float, float]], tau: float) -> list[float]:
    """Z as a linear map of the clues' errors: its coefficient on each (Z at each unit error)."""
    return [
        clue_evidence([(1.0 if j == i else 0.0, lean) for j, (_, lean) in enumerate(weights)], tau)
        for i in range(len(weights))
    ]


@FAST
@given(bets=bets(), tau=taus)
def test_the_evidence_is_a_unit_normal_when_the_bets_do_not_depend_on_the_clues(bets, tau) -> None:
    """Given the bets, Z = Σ aᵢ·εᵢ with Σ aᵢ²·τ² = 1: for εᵢ ~ N(0, τ²) independent of the bets, exactly N(0, 1)."""
    z = clue_evidence(bets, tau)
    assume(z is not None)
    a = coefficients(bets, tau)
    assert math.fsum(x * x for x in a) * tau * tau == pytest.approx(1, rel=1e-9)
    assert z == pytest.approx(math.fsum(x * e for x, (e, _) in zip(a, bets, strict=True)), rel=1e-9, abs=1e-9)


@FAST
@given(bets=bets(), tau=taus, shift=st.floats(-100, 100))
def test_an_error_every_clue_shares_is_no_evidence(bets, tau, shift) -> None:
    """Centring: moving every clue by the same amount (or the true value the other way) leaves Z as it was."""
    z = clue_evidence(bets, tau)
    assume(z is not None)
    shifted = clue_evidence([(e + shift, lean) for e, lean in bets], tau)
    assert shifted == pytest.approx(z, abs=1e-6 * (1 + abs(shift) / tau))


@FAST
@given(bets=bets(), tau=taus, scale=st.floats(1e-3, 1e3))
def test_the_evidence_does_not_depend_on_the_units_of_the_bets(bets, tau, scale) -> None:
    z = clue_evidence(bets, tau)
    assume(z is not None)
    assert clue_evidence([(e, lean * scale) for e, lean in bets], tau) == pytest.approx(z, rel=1e-9, abs=1e-9)
    assert clue_evidence([(e, -lean) for e, lean in bets], tau) == pytest.approx(-z, rel=1e-9, abs=1e-9)


@FAST
@given(
    truth=st.floats(-100, 100),
    market=st.floats(-100, 100),
    clues=st.lists(st.floats(-100, 100), min_size=1, max_size=12),
    data=st.data(),
    tau=taus,
)
def test_pooled_means_nearer_than_the_typical_clue_and_evidence_beyond_chance(truth, market, clues, data, tau):
    held = data.draw(st.lists(st.one_of(st.none(), st.just(0.0), leans), min_size=len(clues), max_size=len(clues)))
    verdict = pooling(truth=truth, market=market, clues=clues, leans=held, tau=tau)
    assert verdict.market_error == abs(market - truth)
    assert verdict.nearer == (verdict.market_error < verdict.clue_error)
    assert verdict.pooled == (verdict.nearer and verdict.evidence is not None and verdict.evidence >= POOLING_Z)
    if sum(1 for x in held if x) < 2:
        assert verdict.evidence is None and not verdict.pooled  # fewer than two bets show nothing


def test_one_far_off_bet_neither_decides_nor_drowns_the_rest() -> None:
    """Leans count at most twice the median lean: the eight careful bets still show through a wild ninth."""
    careful = [(e, e) for e in (-14.0, -9.0, -5.0, -2.0, 3.0, 6.0, 11.0, 15.0)]
    alone = clue_evidence(careful, 10.0)
    with_wild = clue_evidence([*careful, (-1.0, 1e9)], 10.0)
    assert alone > POOLING_Z and with_wild > POOLING_Z
    assert clue_evidence([(-1.0, 1e9), (1.0, -1e9)], 10.0) == pytest.approx(-math.sqrt(2) / 10)


def test_a_market_nearer_than_its_clues_with_bets_against_them_is_not_said_to_have_pooled() -> None:
    """The old rule's false claim: the market ended 1 off where the typical clue was 7.5 off, but every bet
    leaned away from its own clue."""
    clues = [140 + e for e in (-14.0, -9.0, -5.0, -2.0, 3.0, 6.0, 11.0, 15.0)]
    against = [140 - c for c in clues]
    verdict = pooling(truth=140, market=141, clues=clues, leans=against, tau=10)
    assert verdict.nearer and verdict.evidence < 0 and not verdict.pooled
    followed = pooling(truth=140, market=141, clues=clues, leans=[-x for x in against], tau=10)
    assert followed.pooled


def test_a_class_whose_bets_ignore_their_clues_gets_the_claim_about_one_time_in_twenty_at_most() -> None:
    """Monte Carlo of the guarantee: fixed bets, the clues drawn as the game draws them (N(X, τ²)); the market
    exactly at the true value (nearer than any clue: the worst case for the old rule, which always claimed)."""
    rng = random.Random(22)
    tau, claimed, markets = 0.14, 0, 2000
    for _ in range(markets):
        size = rng.choice((8, 12, 30))
        bets = [rng.gauss(0, 1) * math.exp(rng.gauss(0, 1)) for _ in range(size)]
        clues = [rng.gauss(0, tau) for _ in range(size)]
        claimed += pooling(truth=0.0, market=0.0, clues=clues, leans=bets, tau=tau).pooled
    assert 0.035 <= claimed / markets <= 0.065  # 5 %, give or take 3 standard errors of 2,000 draws


@FAST
@given(linear=st.floats(-1e6, 1e6), quadratic=st.floats(-1e6, 1e6), z=st.floats(-1, 1))
def test_a_lean_is_the_slope_of_the_positions_wealth(linear, quadratic, z) -> None:
    h = 1e-6
    wealth = lambda at: linear * at + quadratic * at * at  # noqa: E731
    assert lean(linear, quadratic, z) == pytest.approx((wealth(z + h) - wealth(z - h)) / (2 * h), rel=1e-4, abs=1)


def test_pooling_needs_a_lean_for_every_clue() -> None:
    with pytest.raises(ValueError):
        pooling(truth=0, market=0, clues=[1.0, 2.0], leans=[1.0], tau=1)
    with pytest.raises(ValueError):
        clue_evidence([(1.0, 1.0), (2.0, -1.0)], 0)
