"""Host forms: they only parse and label; the services validate the game rules and change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mmgame.market import Refused
from mmgame.models.game import DEFAULT_MAX_PLAYERS, MAX_PLAYERS_LIMIT
from mmgame.nicknames import NICKNAME_MAX
from mmgame.services import LIQUIDITY
from mmgame.services.games import DEFAULT_BUDGET

LIQUIDITY_LABELS = {"thin": _("Thin"), "normal": _("Normal"), "deep": _("Deep")}


def add_service_error(form: forms.Form, error: Refused) -> None:
    """Show a refused request next to the field it names (or at the top of the form)."""
    field = error.details.get("field")
    form.add_error(field if field in form.fields else None, error.message)


class GameForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    hide_names = forms.BooleanField(
        label=_("Hide names on the players' leaderboard"),
        required=False,
        help_text=_("Players and the projector see ranks and scores; each player sees only their own name."),
    )
    max_players = forms.IntegerField(
        label=_("Most players"),
        min_value=1,
        max_value=MAX_PLAYERS_LIMIT,
        initial=DEFAULT_MAX_PLAYERS,
        required=False,
        help_text=_("Nobody can join once this many are in (removed players do not count)."),
    )

    def clean_max_players(self) -> int:
        most = self.cleaned_data["max_players"]
        return DEFAULT_MAX_PLAYERS if most is None else most


class MarketForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    lo = forms.DecimalField(label=_("Lowest possible value"))
    hi = forms.DecimalField(label=_("Highest possible value"))
    integer = forms.BooleanField(label=_("The answer is a whole number"), required=False)
    prior_mean = forms.DecimalField(
        label=_("Starting forecast: mean"), required=False, help_text=_("Empty: the middle of the range.")
    )
    prior_sd = forms.DecimalField(
        label=_("Starting forecast: spread σ"), required=False, help_text=_("Empty: a quarter of the range.")
    )
    liquidity = forms.ChoiceField(
        label=_("Liquidity"),
        choices=[(key, f"{LIQUIDITY_LABELS[key]} (b = {b:g})") for key, b in LIQUIDITY.items()],
        initial="normal",
        widget=forms.RadioSelect,
        help_text=_("Deeper markets make each trade move the curve less and cost the house more."),
    )
    sd_min = forms.DecimalField(
        label=_("Narrowest spread σ_min"), required=False, help_text=_("Empty: 1/200 of the range.")
    )
    budget = forms.FloatField(label=_("Budget per player (points)"), initial=int(DEFAULT_BUDGET), min_value=0)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "question": data["question"],
            "unit": data.get("unit") or "",
            "lo": data["lo"],
            "hi": data["hi"],
            "integer": bool(data.get("integer")),
            "prior_mean": data.get("prior_mean"),
            "prior_sd": data.get("prior_sd"),
            "liquidity": data["liquidity"],
            "sd_min": data.get("sd_min"),
            "budget": data["budget"],
        }


class CountdownForm(forms.Form):
    """Parses the seconds only: the service decides which countdowns are allowed."""

    countdown = forms.IntegerField(label=_("Close in (seconds)"))


class HideNamesForm(forms.Form):
    hide_names = forms.TypedChoiceField(
        choices=[("true", _("Hide")), ("false", _("Show"))], coerce=lambda value: value == "true"
    )


class ResolveForm(forms.Form):
    outcome = forms.DecimalField(label=_("True value"))


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Game code"), max_length=12)
    nickname = forms.CharField(label=_("Nickname"), max_length=NICKNAME_MAX)
