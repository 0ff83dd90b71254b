"""The seed notebook's MarketMaker, unchanged in names and behaviour, on the engine's formulas.

It works in raw (x, x²) shares with b = 1 and no range, exactly as the notebook did; the game itself
uses GaussianMarket, which keeps the same numbers exact far from zero.
"""

from __future__ import annotations

from . import gaussian
from .errors import InvalidCurve, gettext_noop
from .scale import finite


class MarketMaker:
    """market maker (two securities)"""

    def __init__(self) -> None:
        self.num_trade = 0
        self.outstanding_security_amount = [1 / 100, -1 / 20000]
        self.current_market_price = [100, 20000]

    @staticmethod
    def sufficient_statistic(x):
        """φ(x) of the Gaussian: the two securities pay x and x²."""
        return [x, x**2]

    def cost_func(self) -> float:
        """C(θ), the Gaussian log-partition at the outstanding shares."""
        return gaussian.log_partition(*self.outstanding_security_amount)

    @staticmethod
    def calc_current_market_price(theta_1: float, theta_2: float) -> tuple[float, float]:
        """Prices ∇C(θ) = (E[x], E[x²])."""
        return gaussian.prices(theta_1, theta_2)

    def update_param(self, delta_1: float, delta_2: float) -> None:
        """Buy δ₁ of x and δ₂ of x² (negative sells); refused, changing nothing, if θ₂ would reach 0."""
        theta_1 = self.outstanding_security_amount[0] + finite(delta_1, "delta_1")
        theta_2 = self.outstanding_security_amount[1] + finite(delta_2, "delta_2")
        if not theta_2 < 0:
            raise InvalidCurve(gettext_noop("θ₂ must stay negative"), field="delta_2")
        self.num_trade += 1
        self.outstanding_security_amount[0] = theta_1
        self.outstanding_security_amount[1] = theta_2
        self.current_market_price[0], self.current_market_price[1] = self.calc_current_market_price(theta_1, theta_2)
