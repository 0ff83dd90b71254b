"""How far off a private clue is, typically: τ in the engine's coordinate y (x, or ln x on a log scale), from
public numbers alone (docs/maths.md § Clues). Pure, so the reads, the services and the forms all ask it."""

from __future__ import annotations

import math

PERCENT = "percent"  # mmgame.models.Market.ClueNoise.PERCENT; the other kind is an amount in the unit


def noise_sd(market: object) -> float:
    """τ of a market's clues (its `clue_noise`, `clue_noise_kind`, scale and starting middle)."""
    return tau(market.clue_noise, market.clue_noise_kind, log=market.range.log, prior_mean=market.prior_mean)


def tau(noise: float, kind: str, *, log: bool, prior_mean: object) -> float:
    """τ of a clue noise: on a log market a percent is the factor ×/÷(1 + p), an amount in the unit the factor it
    is of the starting median; on a linear one a percent is of the starting middle, an amount is τ itself.
    Never of the answer: τ = |X|·p would let anyone who sees a belief's spread compute X."""
    if kind == PERCENT:
        return math.log1p(noise / 100) if log else abs(float(prior_mean)) * noise / 100
    return math.log1p(noise / float(prior_mean)) if log else noise
