"""How forecasts are judged once the true value is known: the rules every screen, board and export shares
(docs/lesson-numbers.md).

- A score is ln p(x*) − ln p_prior(x*), the accuracy board's measure; scores are compared as they are, so
  a forecast that *is* another curve ties with it (`tally`).
- The class's average of several forecasts is their mixture, the crowd's belief (1/n)·Σ pᵢ, scored by its
  own density: ln of the mean of the densities (`mixture_log_ratio`), never a normal matched to its moments.
- "Inside a 90 % range" is |z − μ| ≤ Z90·σ, decided in exact decimals (`inside_90`): an answer on an end
  is inside.
- "Trading pooled what each of you was told" is said only when the market ended nearer the true value than
  the typical clue *and* the traders' bets followed their own clues more surely than chance makes them one
  time in twenty (`pooling`).
"""

from __future__ import annotations

import math
import statistics
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


# The pooling claim's false-positive rate: where no trade depended on any clue, the traders' bets follow their
# clues this surely (a one-sided normal score, `clue_evidence`) one time in twenty (5 %).
POOLING_Z = 1.6448536269514722
# A bet's lean counts at most this many times the median lean (`clue_evidence`): one trader far off cannot
# decide the test, nor drown the others out.
LEAN_CAP = 2.0


class Pooling(NamedTuple):
    """What a market with private clues shows (docs/lesson-numbers.md): how far off the market's middle and the
    typical clue were (in y: x, or ln x on a log market), how strongly the traders' bets followed their own
    clues (`evidence`, a one-sided normal score; None with fewer than three bets, or no spread in them),
    and the verdict."""

    market_error: float
    clue_error: float
    evidence: float | None
    pooled: bool

    @property
    def nearer(self) -> bool:
        """Whether the market's middle ended nearer the true value than the typical clue."""
        return self.market_error < self.clue_error


def pooling(*, truth: float, market: float, clues: Sequence[float], leans: Sequence[float | None]) -> Pooling:
    """Whether a market pooled its private clues, from the true value, the market's final middle, every clue
    handed out and each clue holder's lean (all in y).

    `leans[i]` is how the bets of the seat that got `clues[i]` pay at the market's final middle: the slope
    W′(m) of its wealth there (positive: it wins if the answer is above; None or 0: no bet). The market
    *pooled* when it ended nearer the true value than the median clue and `clue_evidence` ≥ POOLING_Z. Where
    no trade depended on any clue, the clues' errors are independent of the leans and the evidence is exactly
    N(0, 1), so the claim appears at most 5 % of the time whatever the market did; the market's error alone
    cannot tell (docs/lesson-numbers.md)."""
    if not clues or len(leans) != len(clues):
        raise ValueError("pooling needs every clue and its holder's lean")
    clue_error = statistics.median(abs(clue - truth) for clue in clues)
    market_error = abs(market - truth)
    bets = [(clue - truth, lean) for clue, lean in zip(clues, leans, strict=True) if lean]
    evidence = clue_evidence(bets)
    pooled = market_error < clue_error and evidence is not None and evidence >= POOLING_Z
    return Pooling(market_error, clue_error, evidence, pooled)


def lean(linear: float, quadratic: float, z: float) -> float:
    """Which way, and how hard, a position's bets pay around z (the market's final middle): the slope
    W′(z) = linear + 2·quadratic·z of its wealth, per unit of z. For a trader who traded to the fixed point of
    exponential utility it is (μᵢ − z)/(a·σᵢ²) in z: their belief's lean from the market
    (docs/maths.md § Aggregation)."""
    return linear + 2 * quadratic * z


def clue_evidence(bets: Sequence[tuple[float, float]]) -> float | None:
    """How surely the traders' leans followed their own clues' errors εᵢ = cᵢ − X, as a one-sided normal score:

        r = the correlation of the εᵢ with the weights wᵢ = leanᵢ / median|lean| (capped at ±LEAN_CAP),
        t = r·√(n − 2) / √(1 − r²),   the score: the normal quantile of P(T ≥ t), T Student's t with n − 2
        degrees of freedom.

    The weights are functions of the bets alone. If the bets did not depend on the clues, the εᵢ are
    independent N(0, τ²) draws given the weights, so t is Student's t with n − 2 degrees of freedom (the
    errors regressed on fixed weights) whatever τ is, and the score is exactly N(0, 1). Centring drops the true
    value and any lean every trader shares; and a correlation, unlike Σ εᵢ·dᵢ/(τ·‖d‖), is not held down when
    the few clues happen to fall close together (with 8 clues that capped the claim at 91 %). None with fewer
    than three bets, or when every weight or every error is the same."""
    if len(bets) < 3:
        return None
    scale = statistics.median(abs(lean) for _, lean in bets)
    weights = centred([max(-LEAN_CAP, min(LEAN_CAP, lean / scale)) for _, lean in bets])
    errors = centred([error for error, _ in bets])
    spread = math.sqrt(math.fsum(w * w for w in weights)) * math.sqrt(math.fsum(e * e for e in errors))
    if spread == 0:
        return None
    r = max(-1.0, min(1.0, math.fsum(e * w for e, w in zip(errors, weights, strict=True)) / spread))
    if abs(r) == 1:
        return math.copysign(math.inf, r)
    freedom = len(bets) - 2
    level = t_above(r * math.sqrt(freedom) / math.sqrt(1 - r * r), freedom)
    if not 0 < level < 1:
        return math.inf if level <= 0 else -math.inf
    return -statistics.NormalDist().inv_cdf(level)


def centred(values: list[float]) -> list[float]:
    mean = math.fsum(values) / len(values)
    return [value - mean for value in values]


def t_above(t: float, freedom: int) -> float:
    """P(T ≥ t) for Student's t with a whole number of degrees of freedom ν ≥ 1, in closed form (Abramowitz and
    Stegun 26.7.3–4): with θ = atan(t/√ν), P(|T| < t) is (2/π)(θ + sin θ·Σ) for odd ν and sin θ·Σ for even ν,
    Σ a finite series in cos² θ (θ and sin θ carry t's sign)."""
    theta = math.atan2(t, math.sqrt(freedom))
    sin, cos2 = math.sin(theta), math.cos(theta) ** 2
    if freedom % 2:
        term = total = math.cos(theta) if freedom > 1 else 0.0
        for k in range(2, freedom - 1, 2):
            term *= cos2 * k / (k + 1)
            total += term
        within = 2 / math.pi * (theta + sin * total)
    else:
        term = total = 1.0
        for k in range(1, freedom - 2, 2):
            term *= cos2 * k / (k + 1)
            total += term
        within = sin * total
    return (1 - within) / 2
