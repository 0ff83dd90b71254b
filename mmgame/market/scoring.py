"""How forecasts are judged once the true value is known: the rules every screen, board and export shares
(docs/lesson-numbers.md).

- A score is ln p(x*) − ln p_prior(x*), the accuracy board's measure; scores are compared as they are, so
  a forecast that *is* another curve ties with it (`tally`).
- The class's average of several forecasts is their mixture, the crowd's belief (1/n)·Σ pᵢ, scored by its
  own density: ln of the mean of the densities (`mixture_log_ratio`), never a normal matched to its moments.
- "Inside a 90 % range" is |z − μ| ≤ Z90·σ, decided in exact decimals (`inside_90`): an answer on an end
  is inside.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from .curve import Curve
from .scale import EXACT, Z90

# How far (in z, where the range is [−1, 1]) an answer may lie past a 90 % range's end and still be on it.
# A curve is kept as two doubles rounded from the range the player typed (≈ 10⁻¹⁶ of the half-range each,
# so the stored end is within a few 10⁻¹⁶ of the typed one), and a true value to 15 significant digits:
# 10⁻¹² of the half-range is far above the first and, for every range the form takes (at most 10⁴ σ_min
# wide), far below a difference anyone could type.
ON_THE_END = Decimal("1e-12")


def inside_90(curve: Curve, z: float | Decimal) -> bool:
    """Whether the answer at z (in z; best given exactly, as Range.exact_z gives it) lies in the curve's
    central 90 % range μ ± Z90·σ, its ends included. Decided in 60-digit decimals from the curve's exact
    binary values: a double's rounding of Z90·σ cannot move an answer on the end out of it."""
    mean, sd = Decimal(curve.mean), Decimal(curve.sd)
    distance = EXACT.subtract(Decimal(z), mean).copy_abs()
    return distance <= EXACT.add(EXACT.multiply(Z90, sd), ON_THE_END)


def mixture_log_ratio(prior: Curve, curves: Sequence[Curve], z: float) -> float:
    """The class's average forecast scored like a player: ln[(1/n)·Σ pᵢ(z)] − ln p_prior(z).

    Formed as a log-sum-exp of each curve's own score ln pᵢ(z) − ln p_prior(z) (Curve.log_ratio, free of
    cancellation), so a guess hundreds of nats off neither underflows nor swamps the others. One curve's
    mixture is that curve, to the bit; n equal curves score exactly as one does.
    """
    if not curves:
        raise ValueError("a mixture needs at least one curve")
    scores = [prior.log_ratio(curve, z) for curve in curves]
    top = max(scores)
    if len(scores) == 1:
        return top
    total = math.fsum(math.exp(score - top) for score in scores)  # in [1, n]: the top term is exp(0)
    return top + (math.log(total) - math.log(len(scores)))


class Tally(NamedTuple):
    """How one forecast's score compares with each of several others': it beat, tied with or lost to them."""

    beaten: int
    tied: int
    lost_to: int


def tally(score: float, others: Iterable[float]) -> Tally:
    """Count the others `score` beat (theirs lower), tied with (equal) and lost to (theirs higher). Scores
    are compared exactly: two scores of the same curve at the same answer are the same double."""
    beaten = tied = lost_to = 0
    for other in others:
        if other < score:
            beaten += 1
        elif other == score:
            tied += 1
        else:
            lost_to += 1
    return Tally(beaten, tied, lost_to)
