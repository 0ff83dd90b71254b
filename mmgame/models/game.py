from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mmgame import round

# No 0/O, 1/I/L: a code read off a projector must survive a classroom.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
# Players a game takes unless its host says otherwise (a class, a lecture hall), and the most a host may
# allow: the benchmark seats 1,000 screens and 20 traders in one game (README, "Scaling out").
DEFAULT_MAX_PLAYERS = 200
MAX_PLAYERS_LIMIT = 2000


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Game(models.Model):
    """A session a host runs: players join it once with its code and trade in each of its markets."""

    class Status(models.TextChoices):
        LOBBY = "lobby", _("Lobby")
        PLAYING = "playing", _("Playing")
        FINISHED = "finished", _("Finished")

    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="games")
    title = models.CharField(max_length=200)
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LOBBY)
    hide_names = models.BooleanField(default=False, help_text=_("Players see only their own rank on the leaderboard."))
    max_players = models.PositiveIntegerField(
        default=DEFAULT_MAX_PLAYERS, help_text=_("Seats the game takes (removed players do not count).")
    )
    late_joins = models.BooleanField(
        default=True,
        help_text=_("Players may still join once a question's first guesses or trading have started."),
    )
    waiting_room = models.BooleanField(
        default=False,
        db_default=False,
        help_text=_("The host lets each player in: a joining phone waits until admitted (mmgame.models.Arrival)."),
    )
    include_bots = models.BooleanField(
        default=False, help_text=_("Practice traders stand on the podium and the all-time board too.")
    )
    current_market = models.ForeignKey(
        "Market",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The market every screen shows now (none: the lobby)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Autopilot (mmgame.services.autopilot, docs/round.md § Autopilot): the round steps itself when a phase's
    # time is up. Off by default: a new host steps with Next.
    autopilot = models.BooleanField(
        default=False, db_default=False, help_text=_("The round steps itself when a phase's time is up.")
    )
    autopilot_seconds = models.JSONField(
        default=dict,
        db_default={},
        blank=True,
        help_text=_("Each phase's time in seconds (mmgame.round.TIMED); a phase left out takes the round's default."),
    )
    autopilot_markets = models.JSONField(
        default=dict, db_default={}, blank=True, help_text=_("Markets' own phase times, by market id, over the game's.")
    )
    autopilot_for = models.CharField(
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text=_("The market and phase the deadline was set for."),
    )
    autopilot_at = models.DateTimeField(null=True, blank=True, help_text=_("When the round steps on next."))
    autopilot_held = models.BooleanField(default=False, db_default=False, help_text=_("Held: the time stands still."))
    autopilot_left = models.FloatField(null=True, blank=True, help_text=_("Seconds left while held."))
    autopilot_note = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("Why autopilot holds by itself (no answer entered)."),
    )
    # Which server process steps the game's timer until when: the practice traders' lease (mmgame.services.leases).
    lease_owner = models.CharField(max_length=64, blank=True, default="", db_default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    # The wall and every phone of the game speak it (a phone may choose its own: mmgame.languages); a code of
    # settings.LANGUAGES, checked by the services, so that adding a language needs no migration.
    language = models.CharField(
        max_length=16,
        default="en",
        db_default="en",
        help_text=_("The language of the projector and the players' phones (a player may switch their own)."),
    )
    watched_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When a screen of the game was last seen connected: its practice traders stop when unwatched."),
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["lobby", "playing", "finished"]), name="game_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(max_players__gte=1, max_players__lte=MAX_PLAYERS_LIMIT),
                name="game_max_players_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.join_code})"

    def phase_seconds(self, market_id: int | None = None) -> dict[str, int]:
        """Each timed phase's time on autopilot in this game (in one of its markets, given its id): the market's
        own, the game's, or the round's default."""
        own = self.autopilot_markets.get(str(market_id), {}) if market_id is not None else {}
        chosen = {phase: s for phase, s in (self.autopilot_seconds | own).items() if phase in round.TIMED}
        return round.default_seconds() | chosen
