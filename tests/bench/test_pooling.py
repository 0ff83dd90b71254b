"""The pooling claim's shape on a seeded screen (benchmarks/pooling.py, docs/lesson-numbers.md): classes of 8
(the fewest clues the issue asks for, where the claim is hardest to earn) and 12 on the engine, with the game's
clues; the whole table (8, 12 and 30, 200 markets a cell) is the benchmark's."""

from __future__ import annotations

import pytest

from benchmarks import pooling

MARKETS = 16


@pytest.fixture(scope="module")
def careful() -> list[pooling.Judged]:
    return pooling.cell(12, "all", MARKETS, seed=1)


@pytest.fixture(scope="module")
def careful_eight() -> list[pooling.Judged]:
    return pooling.cell(8, "all", 40, seed=1)


@pytest.fixture(scope="module")
def nobody() -> list[pooling.Judged]:
    return pooling.cell(12, "none", MARKETS, seed=1)


def claimed(judged: list[pooling.Judged]) -> float:
    return sum(j.verdict.pooled for j in judged) / len(judged)


def test_a_class_trading_on_its_clues_is_said_to_have_pooled_them_in_four_markets_of_five(careful):
    assert claimed(careful) >= 0.8


def test_a_class_of_eight_trading_on_its_clues_too(careful_eight):
    """The test on Σεᵢdᵢ/(τ‖d‖) claimed 27 of these 40 markets (0.675): eight clues that fell close together
    held it down however closely the bets followed them. The correlation's test claims every market that ended
    nearer than its typical clue (33)."""
    assert claimed(careful_eight) >= 0.8
    assert all(j.verdict.pooled == j.before for j in careful_eight)


def test_a_class_ignoring_its_clues_is_said_to_have_pooled_them_in_one_market_of_twenty_at_most(nobody):
    assert claimed(nobody) <= 0.05
    # The rule before (nearer than the typical clue) claimed it in some of the very same markets.
    assert sum(j.before for j in nobody) >= 2
