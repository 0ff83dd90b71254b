from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import quantity_field
from .market import Market
from .player import Player


def exact_text(number: Decimal) -> str:
    """An exact decimal as plain text, without trailing zeros."""
    return format(number.normalize(), "f")


class Trade(models.Model):
    """The ledger: one settled move of a market's curve, in the order the market took them.

    `shares_linear`/`shares_quadratic` are the securities bought in scaled coordinates (they pay
    z and z²); `shares_x`/`shares_x2` give the seed's raw (x, x²) view. The curves before and after and
    the market's b define the trade's profit exactly: b·[ln p_after(x) − ln p_before(x)] (docs/maths.md § The log
    score).
    """

    class Kind(models.TextChoices):
        TARGET = "target", _("Move to a forecast")
        TOWARD = "toward", _("As far as affordable toward a forecast")
        SHARES = "shares", _("Raw shares")
        CLOSE = "close", _("Close position")

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="trades")
    sequence = models.PositiveIntegerField()
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="trades")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_mean = quantity_field(null=True, blank=True)
    target_sd = quantity_field(null=True, blank=True)
    fraction = models.FloatField(default=1.0)
    shares_linear = models.FloatField()
    shares_quadratic = models.FloatField()
    cost = models.FloatField()
    worst_case = models.FloatField(help_text=_("The trade's own worst profit over the range."))
    mean_z_before = models.FloatField(null=True, blank=True, help_text=_("The curve the trade moved from (z)."))
    sd_z_before = models.FloatField(null=True, blank=True)
    mean_z_after = models.FloatField()
    sd_z_after = models.FloatField()
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["market", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["market", "sequence"], name="trade_sequence_unique_in_market"),
            models.UniqueConstraint(fields=["player", "idempotency_key"], name="trade_idempotency_key_unique"),
            models.CheckConstraint(condition=Q(sd_z_after__gt=0), name="trade_sd_after_positive"),
            models.CheckConstraint(condition=Q(fraction__gt=0) & Q(fraction__lte=1), name="trade_fraction_valid"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="trade_sequence_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["target", "toward", "shares", "close"]), name="trade_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["target", "toward"], target_mean__isnull=False, target_sd__gt=0)
                | Q(kind__in=["shares", "close"], target_mean__isnull=True, target_sd__isnull=True),
                name="trade_target_iff_forecast",
            ),
            models.CheckConstraint(condition=~Q(idempotency_key=""), name="trade_idempotency_key_nonempty"),
        ]
        indexes = [models.Index(fields=["market", "player", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.player} in {self.market}"

    @property
    def mean_after(self) -> float:
        return self.market.range.to_x(self.mean_z_after)

    @property
    def sd_after(self) -> float:
        return self.market.range.sd_to_x(self.sd_z_after)

    def curve_x(self, before: bool = False) -> tuple[Decimal, Decimal] | None:
        """The curve after (or before) the trade in the question's units, as exact decimals: a double
        near 10⁹ has an ulp of 10⁻⁷, too coarse to rebuild a profit from at σ = 1."""
        mean, sd = (self.mean_z_before, self.sd_z_before) if before else (self.mean_z_after, self.sd_z_after)
        if mean is None or sd is None:
            return None
        return self.market.range.exact_x(mean), self.market.range.exact_sd_x(sd)

    def curves_exact(self) -> dict[str, str | None]:
        """mean/sd (on a log market median/sd_log) before and after as exact decimal strings: with b they
        rebuild the trade's profit."""
        before, after = self.curve_x(before=True), self.curve_x()
        centre, spread = self.market.range.curve_names
        names = ("mean", "sd", "median", "sd_log")  # the other scale's are null: every trade has the same keys
        plain: dict[str, str | None] = {f"{name}_{when}": None for name in names for when in ("before", "after")}
        if before is not None:
            plain.update({f"{centre}_before": exact_text(before[0]), f"{spread}_before": exact_text(before[1])})
        return {**plain, f"{centre}_after": exact_text(after[0]), f"{spread}_after": exact_text(after[1])}

    @property
    def shares_x(self) -> tuple[float, float]:
        """The raw shares (δ₁, δ₂) of x and x² this trade bought, as in the seed notebook."""
        s, c = float(self.market.range.half_width), float(self.market.range.centre)
        delta_2 = self.shares_quadratic / (s * s)
        return self.shares_linear / s - 2 * c * delta_2, delta_2
