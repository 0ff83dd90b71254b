from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mmgame import round
from mmgame.market import Curve, GaussianMarket, Range

from .fields import quantity_field
from .game import Game


class Market(models.Model):
    """One question of a game and its market maker's state.

    The curve is stored in scaled coordinates z = (y − c)/s (docs/maths.md § Exactness), y = x on a linear scale and ln
    x on a log scale (docs/maths.md § Log markets); `mean` and `sd` give it in the question's units. On a log market the
    curve's numbers are a median and σ of ln x: `prior_mean` and `mean` hold the median, `prior_sd`, `sd` and `sd_min`
    are σ of ln x. `sequence` counts every event of the market (trades and status changes).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        RESOLVED = "resolved", _("Resolved")

    class Phase(models.TextChoices):
        """Where the round stands, as every screen shows it (docs/round.md): the host steps it with Next and Back."""

        DRAFT = "draft", _("Not shown yet")
        QUESTION = "question", _("Question")
        GUESS = "guess", _("First guess")
        GUESSES = "guesses", _("Guesses revealed")
        TRADING = "trading", _("Trading")
        CLOSED = "closed", _("Closed")
        ANSWER = "answer", _("Answer")
        LESSON = "lesson", _("Lesson")

    class Kind(models.TextChoices):
        """What kind of number the question asks for: how its quantities are written and typed."""

        COUNT = "count", _("A count")
        YEAR = "year", _("A year")
        MEASURE = "measure", _("A measure")

    class Scale(models.TextChoices):
        """Linear, or log for positive quantities spanning orders of magnitude (the engine works in ln x)."""

        LINEAR = "linear", _("Linear")
        LOG = "log", _("Log (orders of magnitude)")

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="markets")
    number = models.PositiveSmallIntegerField(help_text=_("Order of the market within its game."))
    question = models.CharField(max_length=300)
    unit = models.CharField(max_length=40, blank=True)
    lo = quantity_field()
    hi = quantity_field()
    integer = models.BooleanField(default=False, help_text=_("Resolves at a whole number (counts)."))
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.MEASURE,
        help_text=_("A count (whole, 1,500 beans), a year (1440) or a measure (decimals and a unit, 2.5 µm)."),
    )
    scale = models.CharField(
        max_length=10,
        choices=Scale.choices,
        default=Scale.LINEAR,
        help_text=_("Log for positive quantities that span orders of magnitude: a population, a Fermi question."),
    )
    prior_mean = quantity_field()
    prior_sd = quantity_field()
    sd_min = quantity_field()
    liquidity = models.FloatField(help_text=_("b: how much a trade costs to move the curve."))
    budget = models.FloatField(help_text=_("Points each player may risk in this market."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.DRAFT)
    first_guess = models.BooleanField(
        default=True, help_text=_("Players give a sealed first guess before trading opens.")
    )

    class ClueNoise(models.TextChoices):
        """How far off each private clue is, typically (docs/maths.md § Clues): a percentage of the answer (a factor on
        a log market, "±15 %" = ×/÷ 1.15), or an amount in the question's unit."""

        PERCENT = "percent", _("Percent of the answer")
        ABSOLUTE = "absolute", _("An amount in the unit")

    clue_noise = models.FloatField(
        null=True, blank=True, help_text=_("Private clues: how far off each is, typically (none: no clues).")
    )
    clue_noise_kind = models.CharField(max_length=10, choices=ClueNoise.choices, default=ClueNoise.PERCENT)
    clue_seed = models.BigIntegerField(default=0, help_text=_("Draws the clues: the same seed, the same clues."))
    guess_count = models.PositiveIntegerField(default=0, help_text=_("How many players gave a first guess."))
    answer = quantity_field(
        null=True, blank=True, help_text=_("The true value entered in advance: the host's secret until the answer.")
    )
    explanation = models.CharField(
        max_length=240,
        blank=True,
        default="",
        db_default="",
        help_text=_("The teacher's explanation of the answer, shown with it."),
    )
    source = models.CharField(
        max_length=140,
        blank=True,
        default="",
        db_default="",
        help_text=_("Where the answer comes from, shown with it."),
    )
    mean_z = models.FloatField()
    sd_z = models.FloatField()
    sequence = models.PositiveIntegerField(default=0)
    outcome = quantity_field(null=True, blank=True)
    house_result = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # A picture the question shows (the jar on the desk): its file's name in the default storage, unguessable
    # (mmgame.services.pictures), and its text for those who cannot see it, required with a picture.
    picture = models.CharField(max_length=100, blank=True, default="", db_default="")
    picture_alt = models.CharField(max_length=300, blank=True, default="", db_default="")
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the host's countdown ends: the market closes then, or first guesses stop, traded or not."),
    )

    class Meta:
        ordering = ["game", "number"]
        constraints = [
            models.UniqueConstraint(fields=["game", "number"], name="market_number_unique_in_game"),
            models.CheckConstraint(condition=Q(lo__lt=F("hi")), name="market_range_valid"),
            models.CheckConstraint(condition=Q(liquidity__gt=0), name="market_liquidity_positive"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="market_budget_positive"),
            models.CheckConstraint(condition=Q(number__gte=1), name="market_number_positive"),
            models.CheckConstraint(
                condition=Q(prior_mean__gte=F("lo"), prior_mean__lte=F("hi")), name="market_prior_mean_in_range"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(status="open") | Q(phase="guess"),
                name="market_countdown_only_when_open_or_guessing",
            ),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False, house_result__isnull=False)
                | (~Q(status="resolved") & Q(resolved_at__isnull=True, house_result__isnull=True)),
                name="market_resolution_recorded_iff_resolved",
            ),
            models.CheckConstraint(condition=Q(sd_min__gt=0), name="market_sd_min_positive"),
            models.CheckConstraint(condition=Q(picture="") | ~Q(picture_alt=""), name="market_picture_has_alt"),
            models.CheckConstraint(
                condition=Q(clue_noise__isnull=True)
                | Q(clue_noise__gt=0, answer__isnull=False)
                | Q(clue_noise__gt=0, status="resolved"),
                name="market_clues_need_the_answer",
            ),
            models.CheckConstraint(condition=Q(kind__in=["count", "year", "measure"]), name="market_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="measure") | Q(integer=True), name="market_counts_and_years_resolve_whole"
            ),
            models.CheckConstraint(condition=Q(prior_sd__gte=F("sd_min")), name="market_prior_sd_at_least_min"),
            models.CheckConstraint(condition=Q(scale__in=["linear", "log"]), name="market_scale_valid"),
            models.CheckConstraint(condition=Q(scale="linear") | Q(lo__gt=0), name="market_log_scale_positive"),
            models.CheckConstraint(condition=Q(sd_z__gt=0), name="market_sd_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "paused", "closed", "resolved"]),
                name="market_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", phase__in=["draft", "question", "guess", "guesses"])
                | Q(status__in=["open", "paused"], phase="trading")
                | Q(status="closed", phase="closed")
                | Q(status="resolved", phase__in=["answer", "lesson"]),
                name="market_phase_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(status="resolved", outcome__isnull=False)
                | (~Q(status="resolved") & Q(outcome__isnull=True)),
                name="market_outcome_iff_resolved",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def range(self) -> Range:
        # Cached per instance, keyed by the fields it is made of: building one converts Decimals, and a
        # trade and its answer ask for it dozens of times.
        key = (self.lo, self.hi, self.integer, self.kind, self.unit, self.scale)
        cached = self.__dict__.get("_range")
        if cached is None or cached[0] != key:
            cached = self.__dict__["_range"] = (key, range_of(*key))
        return cached[1]

    @property
    def engine(self) -> GaussianMarket:
        """The pure market maker at this market's current state (cached until a field it reads changes)."""
        rules = (self.lo, self.hi, self.integer, self.kind, self.unit, self.scale, self.prior_mean, self.prior_sd)
        key = (*rules, self.liquidity, self.sd_min, self.mean_z, self.sd_z)
        cached = self.__dict__.get("_engine")
        if cached is None or cached[0] != key:
            engine = replace(rules_of(*rules, self.liquidity, self.sd_min), curve=Curve(self.mean_z, self.sd_z))
            cached = self.__dict__["_engine"] = (key, engine)
        return cached[1]

    @property
    def picture_name(self) -> str:
        """The picture's file name without its folder: the last part of its address (mmgame/web/pictures.py)."""
        return self.picture.rsplit("/", 1)[-1]

    @property
    def mean(self) -> float:
        return self.range.to_x(self.mean_z)

    @property
    def sd(self) -> float:
        return self.range.sd_to_x(self.sd_z)

    def timer_over(self, now: datetime | None = None) -> bool:
        """Whether the market's timer (a countdown to its close, or to the end of its first guesses) has run out."""
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())

    def countdown_over(self, now: datetime | None = None) -> bool:
        """Whether an open market's countdown has run out: it is closed in all but the database."""
        return round.STATUSES[self.status].trades and self.timer_over(now)

    @property
    def shown_status(self) -> str:
        """The status every face reports: a market past its countdown is closed, recorded or not yet."""
        return round.shown(self.status, self.phase, overdue=self.countdown_over())[0]

    @property
    def shown_phase(self) -> str:
        """The phase every face reports: past its countdown a market is closed, recorded or not yet."""
        return round.shown(self.status, self.phase, overdue=self.countdown_over())[1]


@lru_cache(maxsize=256, typed=True)
def range_of(*key: object) -> Range:
    """A market's range from its fields: the same fields, the same (immutable) range, built once a process.
    Every trade reads its market row afresh; building a Range converts Decimals."""
    return Range(*key)


@lru_cache(maxsize=256, typed=True)
def rules_of(*fields: object) -> GaussianMarket:
    """The market maker of a market's fields (range, prior, liquidity, σ_min) at its prior: a trade's engine is
    this at the row's curve (`Market.engine`), so the prior's conversion is not redone for every trade."""
    *range_fields, prior_mean, prior_sd, liquidity, sd_min = fields
    range = range_of(*range_fields)
    prior = Curve(range.to_z(prior_mean), range.sd_to_z(prior_sd))  # a median on a log scale
    return GaussianMarket(range, liquidity, sd_min, prior, prior)
