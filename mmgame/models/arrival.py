from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mmgame.nicknames import lookalike_key, nickname_key

from .game import Game
from .player import new_seat_token


class Arrival(models.Model):
    """Someone waiting for the host to let them into a game (its waiting room, Game.waiting_room).

    Not a seat: it trades, guesses and reads nothing. Its token is the seat token the seat will have once the
    host admits it, so the phone that holds it moves on by itself; turned away, the token stays refused."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ADMITTED = "admitted", _("Let in")
        TURNED_AWAY = "turned_away", _("Turned away")

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="arrivals")
    nickname = models.CharField(max_length=24)
    nickname_key = models.CharField(max_length=192, editable=False)
    lookalike_key = models.CharField(max_length=192, editable=False, default="")
    seat_token = models.CharField(max_length=64, unique=True, default=new_seat_token, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    # A keyed hash of the network address it came from, to bound how many wait from one address; cleared
    # once it stops waiting (docs/privacy.md). Empty for a client with no address.
    address_key = models.CharField(max_length=32, blank=True, default="")
    arrived_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["game", "nickname_key"],
                condition=models.Q(status="waiting"),
                name="arrival_nickname_unique_while_waiting",
            ),
            models.UniqueConstraint(
                fields=["game", "lookalike_key"],
                condition=models.Q(status="waiting") & ~models.Q(lookalike_key=""),
                name="arrival_lookalike_unique_while_waiting",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["waiting", "admitted", "turned_away"]), name="arrival_status_valid"
            ),
            models.CheckConstraint(condition=~models.Q(nickname=""), name="arrival_nickname_nonempty"),
        ]

    def __str__(self) -> str:
        return self.nickname

    def save(self, *args, **kwargs) -> None:
        self.nickname_key = nickname_key(self.nickname)
        self.lookalike_key = lookalike_key(self.nickname)
        super().save(*args, **kwargs)
