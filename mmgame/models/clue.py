from __future__ import annotations

from django.db import models

from .fields import quantity_field
from .market import Market
from .player import Player


class Clue(models.Model):
    """A private clue a player got about a market's answer: the answer plus independent noise (docs/maths.md § Clues).
    Stored so that the CSV and the lesson say what each player was told; shown to that player alone."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="clues")
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="clues")
    value = quantity_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["market", "player"], name="clue_unique_per_player_market")]

    def __str__(self) -> str:
        return f"{self.player}'s clue at {self.market}"
