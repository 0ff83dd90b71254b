from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .player import Player


class PracticeTrader(models.Model):
    """A bot seat the host added and its schedule (mmgame.services.practice). The schedule and the lease live
    here, in the database, so that a restart resumes and several server processes never run one bot twice."""

    class Knowledge(models.TextChoices):
        INFORMED = "informed", _("Informed: trades on its private clue")
        NOISE = "noise", _("Noise: small random moves")

    player = models.OneToOneField(Player, on_delete=models.CASCADE, related_name="practice")
    knowledge = models.CharField(max_length=10, choices=Knowledge.choices, default=Knowledge.INFORMED)
    # Counts the bot's steps: a step's trade carries the idempotency key bot-{trader}-{market}-{step}.
    step = models.PositiveIntegerField(default=0)
    next_trade_at = models.DateTimeField(help_text=_("The bot's next step is due then (no sooner)."))
    # Which server process runs the bot until when (claimed and renewed by one conditional UPDATE).
    lease_owner = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True, help_text=_("Off once the host removed the bot."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["active", "next_trade_at"], name="practice_due")]
        constraints = [
            models.CheckConstraint(condition=Q(knowledge__in=["informed", "noise"]), name="practice_knowledge_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.player} ({self.knowledge})"
