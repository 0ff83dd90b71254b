from __future__ import annotations

from django.db import models
from django.db.models import Q

from .market import Market
from .player import Player


class Guess(models.Model):
    """A player's sealed first guess at a market, before it trades: a curve in the market's scaled
    coordinates, like the market's own (docs/maths.md § Exactness). Nobody else sees it until the host reveals the
    guesses; it is scored against the prior like a last forecast."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="guesses")
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="guesses")
    mean_z = models.FloatField()
    sd_z = models.FloatField()
    reason = models.CharField(
        max_length=140,
        blank=True,
        default="",
        db_default="",
        help_text="Why, in a line: the host's alone until picked.",
    )
    reason_picked = models.BooleanField(
        default=False, db_default=False, help_text="The host shows this reason on the wall at the reveal."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "player"], name="guess_unique_per_player_market"),
            models.CheckConstraint(condition=Q(sd_z__gt=0), name="guess_sd_positive"),
            models.CheckConstraint(condition=Q(reason_picked=False) | ~Q(reason=""), name="guess_picked_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.player}'s guess at {self.market}"
