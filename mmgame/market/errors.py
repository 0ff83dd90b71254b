"""Typed errors shared by the engine and the services: each has a stable code for clients."""

from __future__ import annotations


class MarketError(Exception):
    """A refused request. `code` is stable for clients; `status` is the HTTP status to answer with."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, **self.details}


class InvalidNumber(MarketError):
    code = "invalid_number"


class InvalidCurve(MarketError):
    """A forecast the market cannot take: σ ≤ 0, σ below σ_min, θ₂ ≥ 0, or outside the range."""

    code = "invalid_curve"


class UnfairCurve(InvalidCurve):
    """A curve a trader could beat at every outcome (DESIGN 1.4): refused, with the nearest fair one named."""

    code = "unfair_curve"


class InsufficientCollateral(MarketError):
    """The trade could make the trader owe money somewhere on the range."""

    code = "insufficient_collateral"
