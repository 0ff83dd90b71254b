"""Host forms: they only parse and label; the services validate the game rules and change state."""

from __future__ import annotations

import math
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from mmgame import numbers, services
from mmgame.languages import said
from mmgame.market import Refused
from mmgame.models import Market
from mmgame.models.game import DEFAULT_MAX_PLAYERS, MAX_PLAYERS_LIMIT
from mmgame.nicknames import NICKNAME_MAX
from mmgame.services import LIQUIDITY
from mmgame.services.clues import noise_sd
from mmgame.services.games import DEFAULT_BUDGET
from mmgame.services.pictures import check_size

LIQUIDITY_LABELS = {"thin": _("Low"), "normal": _("Normal"), "deep": _("High")}


def as_sentence(message: str) -> str:
    """A service's message as a page writes it, a sentence: "that game has finished" → "That game has finished".
    The API keeps the message as the service wrote it."""
    return message[:1].upper() + message[1:]


def add_service_error(form: forms.Form, error: Refused, *, sentence: bool = False) -> None:
    """Show a refused request next to the field it names (or at the top of the form); `sentence` writes it as
    one, for a page that shows the message on its own."""
    field = error.details.get("field")
    field = getattr(form, "field_aliases", {}).get(field, field)
    form.add_error(
        field if field in form.fields else None, as_sentence(said(error.message)) if sentence else said(error.message)
    )


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

    language = forms.ChoiceField(
        label=_("Language of the projector and the phones"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,  # left out (an older form, a script): the host's own language
        help_text=_("Each player may switch their own phone; you can change it later on the game's page."),
    )

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or translation.get_language()

    def clean_max_players(self) -> int:
        most = self.cleaned_data["max_players"]
        return DEFAULT_MAX_PLAYERS if most is None else most


# The chooser's values are read as exponents ("8.5" and e9 is "8.5 e9"), the same in every language.
MAGNITUDES = [("", "×1"), ("e3", _("thousand")), ("e6", _("million")), ("e9", _("billion"))]


class TypedNumber(forms.CharField):
    """A number as people type it ("8,546,000,000", "8.5 billion", "2 µm"), read by mmgame.numbers once the
    form knows the unit. A text input with a numeric keyboard hint, and a chooser for the magnitude (billions,
    micrometres) a phone's keypad has no letters for; the page's script says back how it read the number."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "data-number": ""})
    magnitudes = MAGNITUDES

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 80)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return {k: v for k, v in super().widget_attrs(widget).items() if k != "maxlength"}


def with_magnitudes(data, names: tuple[str, ...]):
    """The form's data with each magnitude chosen beside a number folded into its text ("8.5" and billion →
    "8.5 e9"), so that a form shown again with errors shows what was read, and the chooser starts over."""
    if not data:
        return data
    data = data.copy()
    for name in names:
        text = (data.get(name) or "").strip()
        magnitude = data.pop(f"{name}_magnitude", None) or [""]
        magnitude = (magnitude[-1] if isinstance(magnitude, list) else magnitude).strip()
        if text and magnitude:
            data[name] = f"{text} {magnitude}"
    return data


def read_typed(text: str, unit: str) -> Decimal:
    """Typed text as an exact decimal in the market's unit, or a ValidationError in the reader's words."""
    try:
        return numbers.read_number(text, unit=unit, language=get_language()).value
    except numbers.Unreadable as refused:
        raise forms.ValidationError(refused.in_words(_t), code=refused.reason) from None


KIND_CHOICES = [
    ("count", _("A count: whole numbers (1,500 beans, 8.5 billion people)")),
    ("year", _("A year (1440)")),
    ("measure", _("A measure: decimals and a unit (21.5 °C, 2 µm)")),
]
SCALE_CHOICES = [
    ("linear", _("Linear: an ordinary scale (beans, degrees, years)")),
    ("log", _("Log: positive, spanning orders of magnitude (a city's population, Fermi estimates)")),
]
TYPED = ("lo", "hi", "prior_mean", "prior_sd", "sd_min")


def figures(value: float, significant: int) -> str:
    """A positive number to a few significant figures, without trailing zeros, in the page's language (as "%.3g"
    wrote it in English): "1.65", "2", "12"; "1,65" in German."""
    decimals = max(0, significant - 1 - math.floor(math.log10(value))) if value > 0 else 0
    return numbers.up_to(value, decimals, language=get_language())


def honesty_warnings(*, log: bool, x: float, mu0: float, sigma0: float, tau: float, kind: str, unit: str) -> list[str]:
    """What the host is told when the clues' demonstration will not be honest (docs/maths.md § Clues): the true value x,
    the starting forecast's middle μ₀ and give-or-take σ₀ and the clues' error τ, all in y (x, or ln x)."""
    if sigma0 <= 0:
        return []

    def give_or_take(value: float) -> str:
        if log:
            return _t("a factor of %(factor)s") % {"factor": figures(math.exp(value), 3)}
        return numbers.spread(Decimal(repr(value)), kind, unit, language=get_language())

    warnings = []
    if tau > sigma0 / 3:
        # A percent is of the starting middle on a linear question (mmgame.services.clues.tau).
        best = math.expm1(sigma0 / 3) * 100 if log else (sigma0 / 3) / abs(mu0) * 100 if mu0 else None
        warnings.append(
            _t(
                "The clues are nearly as vague as the starting forecast (each off by about %(clue)s, the starting "
                "forecast give or take %(prior)s): the market may not beat a typical clue. Make the clues "
                "sharper%(best)s or the starting forecast vaguer."
            )
            % {
                "clue": give_or_take(tau),
                "prior": give_or_take(sigma0),
                "best": "" if best is None else _t(" (at most about ± %(best)s %%)") % {"best": figures(best, 2)},
            }
        )
    if abs(x - mu0) > sigma0:
        warnings.append(
            _t(
                "The true value is more than one give-or-take (%(prior)s) from the starting forecast's middle: "
                "the market stays pulled toward that middle and may end further off than a typical clue. "
                "Widen the starting forecast's give or take, or move its middle."
            )
            % {"prior": give_or_take(sigma0)}
        )
    return warnings


def clue_warnings(market: Market) -> list[str]:
    """What the host is told when a market's clues will not make an honest demonstration (docs/maths.md §
    Clues): a market beats a typical clue only when the clues' error τ is well below the starting forecast's
    give-or-take σ₀ (here: at most a third) and the true value lies within about σ₀ of its middle μ₀."""
    if market.clue_noise is None or market.answer is None:
        return []
    rng = market.range
    return honesty_warnings(
        log=rng.log,
        x=float(rng.y(Decimal(market.answer))),
        mu0=float(rng.y(Decimal(market.prior_mean))),
        sigma0=float(market.prior_sd),
        tau=noise_sd(market),
        kind=market.kind,
        unit=market.unit,
    )


class PictureFields(forms.Form):
    """A question's picture and the line saying what it shows (mmgame.services.pictures checks and re-encodes
    it; the form only hands it over). In the market form it sits after the question."""

    picture = forms.FileField(
        label=_("Picture (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text=_(
            "A photo of the jar on the desk: JPEG, PNG, GIF or WebP, at most 5 MB. Shown once the question is. "
            "If the form comes back with a mistake, choose the picture again."
        ),
    )
    picture_alt = forms.CharField(
        label=_("What the picture shows"),
        max_length=300,
        required=False,
        help_text=_(
            "One line for those who cannot see it, like “a glass jar full of red beans”. Needed with a picture."
        ),
    )
    needs_picture = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.uploaded: services.Picture | None = None
        names = [name for name in self.fields if name not in ("picture", "picture_alt")]
        at = names.index("question") + 1 if "question" in names else 0
        self.order_fields([*names[:at], "picture", "picture_alt", *names[at:]])

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("picture")
        if not upload:
            if self.needs_picture:
                self.add_error("picture", _("Choose a picture to upload."))
            return data
        try:
            check_size(upload.size)  # before reading it
            self.uploaded = services.picture_from(upload.read(), name=upload.name, alt=data.get("picture_alt"))
        except Refused as error:
            add_service_error(self, error)
        return data


class PictureForm(PictureFields):
    """A picture for a market already added (the market list's picture form)."""

    needs_picture = True


class MarketForm(PictureFields):
    """The host's market: the form reads what was typed; the service says which of its rules the market
    breaks (all of them at once where one does not hide another), and each is shown next to its field."""

    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        error_messages={
            "required": _("Type the question the players will see."),
            "max_length": _("A question has at most %(limit_value)d characters; this one has %(show_value)d."),
        },
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("m, °C, people… or nothing."),
        error_messages={"max_length": _("A unit has at most %(limit_value)d characters.")},
    )
    kind = forms.ChoiceField(
        label=_("The answer is"), choices=KIND_CHOICES, initial="measure", widget=forms.RadioSelect, required=False
    )
    scale = forms.ChoiceField(
        label=_("Scale"),
        choices=SCALE_CHOICES,
        initial="linear",
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "On a log scale players say “between 200 and 5,000” or “about 1,000, give or take a factor of 3”: "
            "the give-or-take is then a factor, like 2."
        ),
    )
    lo = TypedNumber(
        label=_("Lowest possible value"), error_messages={"required": _("Type the lowest possible value.")}
    )
    hi = TypedNumber(
        label=_("Highest possible value"), error_messages={"required": _("Type the highest possible value.")}
    )
    prior_mean = TypedNumber(
        label=_("Starting forecast: middle"), required=False, help_text=_("Empty: the middle of the range.")
    )
    prior_sd = TypedNumber(
        label=_("Starting forecast: give or take"),
        required=False,
        help_text=_("Empty: a quarter of the range. On a log scale a factor, like 3."),
    )
    liquidity = forms.ChoiceField(
        label=_("Stakes"),
        choices=[(key, LIQUIDITY_LABELS[key]) for key in LIQUIDITY],
        initial="normal",
        widget=forms.RadioSelect,
        help_text=format_lazy(
            _(
                "Stakes set how many points a forecast wins or loses, not the prices. Normal suits a class that "
                "types forecasts of about ± 20 %; high makes the points bigger and refuses sure forecasts more "
                "often; low lets anyone be as sure as they like. (The liquidity b: low {thin}, normal {normal}, "
                "high {deep}; the README's “Choosing liquidity” gives what each does in simulated classes.)"
            ),
            **{key: f"{b:g}" for key, b in LIQUIDITY.items()},
        ),
    )
    sd_min = TypedNumber(
        label=_("Finest forecast (smallest give or take)"),
        required=False,
        help_text=_("Empty: 1/200 of the range. On a log scale a factor, like 1.01. (σ_min in the docs.)"),
    )
    first_guess = forms.BooleanField(
        label=_("Ask everyone for a sealed first guess before trading"),
        required=False,
        initial=True,
        help_text=_("Nobody sees the others' guesses until you reveal them; the lesson compares them with the market."),
    )
    answer = TypedNumber(
        label=_("The true value, if you know it now"),
        required=False,
        help_text=_("Kept secret from every player until you reveal the answer. You can also type it at the end."),
    )
    clue_noise = forms.FloatField(
        label=_("Hand out private clues: each off by about ± (%)"),
        required=False,
        min_value=0.1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": "15"}),
        help_text=_(
            "Needs the true value above. Each player gets their own clue on their phone, like “a measurement says "
            "412”, each off by about this much; nobody sees another's. Empty: no clues. 15 is a good start."
        ),
        error_messages={
            "invalid": _("Type how far off each clue is, in percent, like 15."),
            "min_value": _("Each clue is off by more than 0 %%: type at least %(limit_value)s."),
            "max_value": _("Each clue is off by at most %(limit_value)s %%."),
        },
    )
    explanation = forms.CharField(
        label=_("Explanation, shown with the answer"),
        required=False,
        strip=False,  # the service strips it, and refuses what it cannot keep (mmgame.text.bounded_text)
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("How we know: the jar held 12 rows of 140 beans.")}),
        help_text=_("On the wall and every phone once you reveal the answer, as plain text. At most 240 characters."),
    )
    source = forms.CharField(
        label=_("Source of the answer"),
        required=False,
        strip=False,
        help_text=_("Shown under the explanation, like “NASA Moon Fact Sheet”. At most 140 characters."),
    )
    budget = forms.FloatField(
        label=_("Budget per player (points)"),
        initial=int(DEFAULT_BUDGET),
        error_messages={
            "invalid": _("Type the budget as a number of points, like 1000."),
            "required": _("Type the budget as a number of points, like 1000."),
        },
    )

    # A log market's prior is a median and σ of ln x: the service names them so; the form shows them here.
    field_aliases = {"prior_median": "prior_mean", "prior_sd_log": "prior_sd"}

    def __init__(self, data=None, *args, editing: Market | None = None, **kwargs) -> None:
        super().__init__(with_magnitudes(data, (*TYPED, "answer")), *args, **kwargs)
        self.read: dict[str, Decimal | None] = {}
        self.warnings: list[str] = []  # what the host should know, without refusing the market
        # Editing a market set through the API with what the form cannot say (any liquidity b; clues as an
        # amount in the unit, "± 20 beans"): each is offered as it is, so that saving a typo's fix keeps it.
        b = None if editing is None else editing.liquidity
        self.kept_liquidity = None if b is None or b in LIQUIDITY.values() else b
        if self.kept_liquidity is not None:
            field = self.fields["liquidity"]
            field.choices = [*field.choices, ("kept", _("As it is (liquidity b = %(b)s)") % {"b": f"{b:g}"})]
        amount = editing is not None and editing.clue_noise is not None
        self.kept_clues = editing if amount and editing.clue_noise_kind != Market.ClueNoise.PERCENT else None
        if self.kept_clues is not None:
            noise = f"{editing.clue_noise:g} {editing.unit}".strip()
            keep = forms.BooleanField(
                required=False,
                initial=True,
                label=_("Keep the clues as they are: each off by about ± %(noise)s") % {"noise": noise},
                help_text=_("Set through the API in the question's unit. A percent typed above replaces them."),
            )
            order = list(self.fields.items())
            at = [name for name, _field in order].index("clue_noise") + 1
            self.fields = dict([*order[:at], ("keep_clues", keep), *order[at:]])

    def clean_explanation(self) -> str:
        """A paragraph: a line break typed in the box becomes a space, as in a CSV cell (mmgame/bank/sheet.py);
        any other control character is the service's to refuse."""
        return " ".join((self.cleaned_data.get("explanation") or "").splitlines())

    def clean_scale(self) -> str:
        return self.cleaned_data.get("scale") or "linear"

    def clean_kind(self) -> str:
        """Unsaid, a measure (or a count, from a form of before kinds that ticked "whole number")."""
        return self.cleaned_data.get("kind") or ("count" if self.data.get("integer") else "measure")

    def clean(self) -> dict:
        """Read the typed numbers, then ask the service for every rule the market breaks
        (mmgame.services.market_refusals): each is said in the form's words next to its field. The form
        states none of the rules itself."""
        data = super().clean()
        unit = data.get("unit", "") or ""
        for name in (*TYPED, "answer"):
            text = (self.data.get(name) or "").strip()
            self.read[name] = None
            if name in self.errors or not text:
                continue
            try:
                self.read[name] = read_typed(text, unit)
            except forms.ValidationError as error:
                self.add_error(name, error)
        arguments = self.service_arguments(stand_in=True)
        refusals = services.market_refusals(**arguments)
        for refusal in refusals:
            field, message = self.in_words(refusal)
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, message)
        if not refusals and not self.errors and data.get("clue_noise") is not None:
            self.warnings = clue_warnings(Market(**services.market_fields(**arguments)))
        return data

    def in_words(self, refusal: Refused) -> tuple[str | None, str]:
        """The field a refusal of the service names (as this form calls it), and what the host reads there:
        the form's words for the rules a host meets typing numbers, the service's message for the rest."""
        field = refusal.details.get("field")
        field = self.field_aliases.get(field, field)
        kind, unit = self.cleaned_data.get("kind", "measure"), self.cleaned_data.get("unit", "") or ""
        log = self.cleaned_data.get("scale") == "log"
        language = get_language()

        def write(value: Decimal | None) -> str:
            return numbers.quantity(value, kind, unit, language=language)

        def write_spread(value: object) -> str:
            return numbers.spread(Decimal(repr(value)), kind, unit, language=language)

        read, rule = self.read, refusal.rule
        if rule == "needs_answer":
            return "clue_noise", _t("Type the true value above: the clues are drawn around it.")
        if rule == "budget":
            return field, _t("The budget is at least 1 point and at most 1,000,000,000 points.")
        if rule == "whole_ends" and read.get(field) is not None:
            message = _t("A count or a year has whole-number ends: %(value)s is not one.")
            return field, message % {"value": read[field]}
        if rule == "lo_below_hi" and read.get("lo") is not None:
            return field, _t("The highest value must be above the lowest (%(lo)s).") % {"lo": write(read["lo"])}
        if rule == "inside_range" and None not in (read.get("lo"), read.get("hi")):
            span = {"lo": write(read["lo"]), "hi": write(read["hi"])}
            return field, _t("The starting forecast's middle must be between %(lo)s and %(hi)s.") % span
        if rule == "positive":
            if field in ("prior_sd", "sd_min") and log:
                return field, _t("On a log scale the give-or-take is a factor above 1, like 2.")
            if field == "prior_sd":
                return field, _t("The give-or-take must be more than 0.")
            if field == "sd_min":
                return field, _t("The narrowest give-or-take must be more than 0.")
            return field, _t("On a log scale every value is above 0.")
        if rule == "at_least_sd_min" and read.get("sd_min") is not None:
            if log:
                least = {"least": read["sd_min"]}
                return field, _t("The give-or-take must be at least the narrowest one (a factor of %(least)s).") % least
            least = {"least": write_spread(read["sd_min"])}
            return field, _t("The give-or-take must be at least the narrowest one (%(least)s).") % least
        if not log and rule == "whole_sd":
            return field, _t("On a count or a year the narrowest give-or-take is at least 0.5.")
        if not log and rule == "narrowest":
            least = {"least": write_spread(refusal.details["sd_min"])}
            return field, _t("The narrowest give-or-take is at least %(least)s (1/10,000 of the range).") % least
        if not log and rule == "widest":
            most = {"most": write_spread(refusal.details["sd_min"])}
            return field, _t("The narrowest give-or-take is at most half the range (%(most)s).") % most
        return field, said(refusal.message)

    def clues_kept(self, data: dict) -> dict:
        """The market's own clues, as an amount, when the host kept them and typed no percent."""
        if self.kept_clues is None or data.get("clue_noise") is not None or not data.get("keep_clues"):
            return {}
        return {"clue_noise": self.kept_clues.clue_noise, "clue_noise_kind": self.kept_clues.clue_noise_kind}

    def service_arguments(self, *, stand_in: bool = False) -> dict:
        """The market the form describes, as add_market takes it. With `stand_in`, for checking a form with
        errors: an argument the form could not read is left to the service's default (a question the form
        refused is sent as a stand-in), so that the service still checks the others."""
        data, read = self.cleaned_data, self.read
        curve = {"prior_mean": read.get("prior_mean"), "prior_sd": read.get("prior_sd")}
        sd_min = read.get("sd_min")
        if data.get("scale") == "log":
            # Typed as a factor f ("give or take ×2"): σ of ln x is ln f; a factor at or below 0 has no
            # logarithm, and is sent as σ 0, which the service refuses as it refuses any factor up to 1.
            def log_of(factor: Decimal | None) -> Decimal | None:
                return None if factor is None else factor.ln() if factor > 0 else Decimal(0)

            curve = {"prior_median": read.get("prior_mean"), "prior_sd_log": log_of(read.get("prior_sd"))}
            sd_min = log_of(sd_min)
        arguments = {
            "question": data.get("question") or ("?" if stand_in else ""),
            "unit": data.get("unit") or "",
            "kind": data.get("kind") or "measure",
            "scale": data.get("scale") or "linear",
            "lo": read.get("lo"),
            "hi": read.get("hi"),
            "integer": data.get("kind", "measure") != Market.Kind.MEASURE,
            **curve,
            "liquidity": self.kept_liquidity if data.get("liquidity") == "kept" else data.get("liquidity") or "normal",
            "sd_min": sd_min,
            "budget": data.get("budget"),
            "first_guess": bool(data.get("first_guess")),
            "answer": read.get("answer"),
            "clue_noise": data.get("clue_noise"),
            "clue_noise_kind": Market.ClueNoise.PERCENT,
            **self.clues_kept(data),
            "explanation": data.get("explanation") or "",
            "source": data.get("source") or "",
        }
        if stand_in and arguments["budget"] is None:
            del arguments["budget"]
        return arguments


def typed(value: object) -> str:
    """A stored quantity as the form's number fields read it back: plain digits ("8546000000", "0.000002")."""
    return format(Decimal(str(value)).normalize(), "f")


def initial_of(market: Market) -> dict:
    """The market form filled in with a market as it is, to edit it: what the host typed when adding it. A
    starting forecast, or finest forecast, the service would have chosen itself stays empty (so a new range
    brings its own); on a log scale the give-or-takes are written as factors, as the host types them."""
    log = market.scale == Market.Scale.LOG
    usual = services.market_fields(
        question="?", lo=market.lo, hi=market.hi, kind=market.kind, unit=market.unit, scale=market.scale
    )

    def own(name: str, *, factor: bool = False) -> str:
        value = getattr(market, name)
        if Decimal(str(value)) == Decimal(str(usual[name])):
            return ""
        return typed(Decimal(str(value)).exp()) if factor and log else typed(value)

    stakes = next((key for key, b in LIQUIDITY.items() if b == market.liquidity), "kept")
    percent = market.clue_noise_kind == Market.ClueNoise.PERCENT and market.clue_noise is not None
    return {
        "question": market.question,
        "unit": market.unit,
        "kind": market.kind,
        "scale": market.scale,
        "lo": typed(market.lo),
        "hi": typed(market.hi),
        "prior_mean": own("prior_mean"),
        "prior_sd": own("prior_sd", factor=True),
        "sd_min": own("sd_min", factor=True),
        "liquidity": stakes,
        "budget": f"{market.budget:g}",
        "first_guess": market.first_guess,
        "answer": "" if market.answer is None else typed(market.answer),
        "clue_noise": f"{market.clue_noise:g}" if percent else None,
        "explanation": market.explanation,
        "source": market.source,
    }


def stakes_label(market: Market) -> str:
    """The market's stakes as the form names them (Low, Normal, High), or its liquidity b if another."""
    key = next((key for key, b in LIQUIDITY.items() if b == market.liquidity), None)
    return str(LIQUIDITY_LABELS[key]) if key else f"b = {market.liquidity:g}"


class ClueForm(forms.Form):
    """Private clues for a market already made (its answer entered in advance): empty turns them off."""

    clue_noise = forms.FloatField(required=False, min_value=0.1, max_value=1000)


class HideNamesForm(forms.Form):
    hide_names = forms.TypedChoiceField(
        choices=[("true", _("Hide")), ("false", _("Show"))], coerce=lambda value: value == "true"
    )


class LanguageForm(forms.Form):
    """A game's language (the host's), or a phone's own (the player's: empty follows the game)."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class PhoneLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("The game's language")), *settings.LANGUAGES], required=False
    )


class LateJoinsForm(forms.Form):
    late_joins = forms.TypedChoiceField(
        choices=[("true", _("Let in")), ("false", _("Close"))], coerce=lambda value: value == "true"
    )


class PracticeForm(forms.Form):
    """Add practice traders: how many, and what they know."""

    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=50, initial=10)
    knowledge = forms.ChoiceField(
        label=_("What they know"),
        choices=[("informed", _("Informed (a private clue each)")), ("noise", _("Noise (random small moves)"))],
        initial="informed",
    )


class IncludeBotsForm(forms.Form):
    include_bots = forms.BooleanField(required=False)


class NicknameField(forms.CharField):
    """No maxlength on the input: a browser would cut a pasted name silently; too long is said instead."""

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return {k: v for k, v in super().widget_attrs(widget).items() if k != "maxlength"}


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Game code"), max_length=12)
    nickname = NicknameField(
        label=_("Nickname"),
        max_length=NICKNAME_MAX,
        error_messages={
            "max_length": _("A nickname has at most %(limit_value)d characters; this one has %(show_value)d.")
        },
    )


# A bank CSV file of a few hundred questions is a few tens of kilobytes.
QUESTIONS_FILE_LIMIT = 256 * 1024


class QuestionsFileForm(forms.Form):
    """A CSV file of the host's own questions (mmgame.bank.sheet), or a zip of one and the pictures it names;
    the service reads and checks its lines."""

    file = forms.FileField(
        label=_("CSV file of questions, or a zip of it and its pictures"),
        error_messages={"required": _("Choose a CSV file to upload.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.name.lower().endswith(".zip"):
            if upload.size > settings.MAX_UPLOAD_BODY:
                most = settings.MAX_UPLOAD_BODY // (1024 * 1024)
                raise forms.ValidationError(_("The zip is too large: at most %(mb)d MB.") % {"mb": most})
            return upload
        if upload.size > QUESTIONS_FILE_LIMIT:
            raise forms.ValidationError(
                _("The file is too large: at most %(kb)d KB.") % {"kb": QUESTIONS_FILE_LIMIT // 1024}
            )
        return upload
