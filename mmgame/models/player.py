from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from mmgame.nicknames import lookalike_key, nickname_key

from .game import Game


def new_seat_token() -> str:
    return secrets.token_urlsafe(24)


class Player(models.Model):
    """A seat in a game. No account: the secret seat token is what proves a request is this player's."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=24)
    # The nickname's case-folded confusable skeleton (mmgame.nicknames), computed in Python: SQLite's lower()
    # folds ASCII only. A Hangul syllable's skeleton takes up to 7 characters, so 24 of them up to 168.
    nickname_key = models.CharField(max_length=192, editable=False)
    # Its skeleton as written (case kept): "AIice" with a capital I looks like "Alice" though it folds apart.
    lookalike_key = models.CharField(max_length=192, editable=False, default="")
    seat_token = models.CharField(max_length=64, unique=True, default=new_seat_token, editable=False)
    kicked = models.BooleanField(default=False, help_text=_("Removed by the host; the seat no longer trades."))
    name_freed = models.BooleanField(
        default=False, help_text=_("The host let someone else take this removed player's nickname.")
    )
    is_bot = models.BooleanField(
        default=False, help_text=_("A practice trader the host added (mmgame.services.practice), not a person.")
    )
    # The player's own choice for their phone; empty follows the game's language (mmgame.languages).
    language = models.CharField(
        max_length=16,
        blank=True,
        default="",
        db_default="",
        help_text=_("The language this player chose for their phone (empty: the game's)."),
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    student = models.ForeignKey(
        "Student",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seats",
        help_text=_("The student the host matched this seat to (none: matched by nickname)."),
    )

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["game", "nickname_key"],
                condition=models.Q(name_freed=False),
                name="player_nickname_unique_in_game",
            ),
            models.UniqueConstraint(
                fields=["game", "lookalike_key"],
                condition=models.Q(name_freed=False) & ~models.Q(lookalike_key=""),
                name="player_lookalike_unique_in_game",
            ),
            models.CheckConstraint(condition=~models.Q(name_freed=True, kicked=False), name="player_freed_if_kicked"),
            models.CheckConstraint(condition=~models.Q(nickname=""), name="player_nickname_nonempty"),
        ]

    def __str__(self) -> str:
        return self.nickname

    def save(self, *args, **kwargs) -> None:
        self.nickname_key = nickname_key(self.nickname)
        self.lookalike_key = lookalike_key(self.nickname)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "nickname" in update_fields:
            kwargs["update_fields"] = {*update_fields, "nickname_key", "lookalike_key"}
        super().save(*args, **kwargs)
