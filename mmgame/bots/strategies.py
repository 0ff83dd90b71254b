"""What a bot trader decides, given the market and its own wealth: pure functions on mmgame.market.

- `Informed`: an exponential-utility trader, −exp(−a·w), with a belief about the quantity; it moves the
  market to its best response (docs/maths.md § Aggregation, mmgame.market.aggregation), so a crowd of them drives the
  market to θ* = (b·θ₀ + Σθᵢ/aᵢ)/(b + Σ1/aᵢ).
- `Noise`: nudges the curve at random around where it is, for practice rounds and load.

Both live in mmgame.market.traders, where the server's own practice traders (mmgame.services.practice) use
them too. The socket and the API speak the question's units, so the market and the position come in here as
the JSON shapes of mmgame/queries/shapes.py.
"""

from __future__ import annotations

from mmgame.market import Curve, GaussianMarket, Range, Wealth
from mmgame.market.traders import CLOSE, CONTENT, Informed, Noise, distance

__all__ = ["CLOSE", "CONTENT", "Informed", "Noise", "distance", "market_from_state", "wealth_from_position"]


def market_from_state(state: dict) -> GaussianMarket:
    """The engine at the state a screen was sent (`market_state`): range, b, σ_min, prior and curve."""
    scale = state.get("scale") or "linear"
    range = Range(_decimal(state["lo"]), _decimal(state["hi"]), bool(state.get("integer")), scale=scale)
    centre, spread = range.curve_names  # mean and sd, or on a log market median and sd_log
    prior = (state[f"prior_{centre}"], state[f"prior_{spread}"])
    engine = GaussianMarket.create(range, state["liquidity"], *prior, state["sd_min"])
    curve = Curve(range.to_z(state[centre]), range.sd_to_z(state[spread]))
    return GaussianMarket(range, engine.liquidity, engine.sd_min, engine.prior, curve)


def wealth_from_position(position: dict | None, budget: float) -> Wealth:
    """The trader's wealth curve W(z) from a `position_state` (the budget alone before any trade)."""
    if not position:
        return Wealth(budget)
    w = position["wealth"]
    return Wealth(w["const"], w["linear"], w["quadratic"])


def _decimal(value: object) -> object:
    """Range ends arrive as JSON numbers; whole ones are kept whole so integer markets stay valid."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
