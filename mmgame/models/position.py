from __future__ import annotations

from django.db import models
from django.db.models import Q

from mmgame.market import Wealth

from .market import Market
from .player import Player


class Position(models.Model):
    """A player's holding in one market, kept as their wealth at each outcome.

    W(z) = wealth_const + wealth_linear·z + wealth_quadratic·z² with z = (x − c)/s: the budget plus
    every trade's profit/loss curve. Collateral means min W ≥ 0 over the range, always. Each coefficient
    is the column plus its `_tail`, a second double holding what the first rounds off (mmgame.market.wealth:
    the coefficients reach 10¹⁰ near σ_min while W is 1–1,000, so one double is not enough).
    """

    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="positions")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="positions")
    budget = models.FloatField()
    wealth_const = models.FloatField()
    wealth_linear = models.FloatField(default=0.0)
    wealth_quadratic = models.FloatField(default=0.0)
    wealth_const_tail = models.FloatField(default=0.0)
    wealth_linear_tail = models.FloatField(default=0.0)
    wealth_quadratic_tail = models.FloatField(default=0.0)
    trades = models.PositiveIntegerField(default=0)
    payout = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["player", "market"], name="position_unique_per_player_market"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="position_budget_nonnegative"),
            models.CheckConstraint(
                condition=Q(payout__isnull=True) | Q(payout__gte=0), name="position_payout_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.player} in {self.market}"

    @property
    def wealth(self) -> Wealth:
        tails = (self.wealth_const_tail, self.wealth_linear_tail, self.wealth_quadratic_tail)
        return Wealth(self.wealth_const, self.wealth_linear, self.wealth_quadratic, tails)

    @wealth.setter
    def wealth(self, value: Wealth) -> None:
        self.wealth_const, self.wealth_linear, self.wealth_quadratic = value.const, value.linear, value.quadratic
        self.wealth_const_tail, self.wealth_linear_tail, self.wealth_quadratic_tail = value.tails

    @property
    def profit(self) -> float | None:
        return None if self.payout is None else self.payout - self.budget
