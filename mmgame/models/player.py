from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from .game import Game


def new_seat_token() -> str:
    return secrets.token_urlsafe(24)


def nickname_key(nickname: str) -> str:
    """What makes two nicknames the same in a game: case, in every alphabet ("Straße" is "STRASSE")."""
    return nickname.casefold()


class Player(models.Model):
    """A seat in a game. No account: the secret seat token is what proves a request is this player's."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=24)
    # The nickname casefolded in Python: SQLite's lower() folds ASCII only, so "Zoë" and "ZOË" would both fit.
    nickname_key = models.CharField(max_length=72, editable=False)
    seat_token = models.CharField(max_length=64, unique=True, default=new_seat_token, editable=False)
    kicked = models.BooleanField(default=False, help_text=_("Removed by the host; the seat no longer trades."))
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["game", "nickname_key"], name="player_nickname_unique_in_game"),
            models.CheckConstraint(condition=~models.Q(nickname=""), name="player_nickname_nonempty"),
        ]

    def __str__(self) -> str:
        return self.nickname

    def save(self, *args, **kwargs) -> None:
        self.nickname_key = nickname_key(self.nickname)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "nickname" in update_fields:
            kwargs["update_fields"] = {*update_fields, "nickname_key"}
        super().save(*args, **kwargs)
