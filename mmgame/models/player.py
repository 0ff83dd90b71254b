from __future__ import annotations

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .game import Game


def new_seat_token() -> str:
    return secrets.token_urlsafe(24)


class Player(models.Model):
    """A seat in a game. No account: the secret seat token is what proves a request is this player's."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=24)
    seat_token = models.CharField(max_length=64, unique=True, default=new_seat_token, editable=False)
    kicked = models.BooleanField(default=False, help_text=_("Removed by the host; the seat no longer trades."))
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(Lower("nickname"), "game", name="player_nickname_unique_in_game"),
        ]

    def __str__(self) -> str:
        return self.nickname
