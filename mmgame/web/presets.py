"""Ready-made starts: questions a host can start a market from (every field stays editable in the form), and
the three ways a new game starts (the bank, a ready lesson, a blank market)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mmgame.models import Game


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    question: str
    unit: str
    lo: int | str
    hi: int | str
    kind: str
    scale: str = "linear"


PRESETS = {
    p.key: p
    for p in (
        Preset(
            "jelly_beans",
            _("Jelly beans in a jar"),
            _("How many jelly beans are in the jar?"),
            _("beans"),
            0,
            1000,
            "count",
        ),
        Preset(
            "temperature",
            _("Tomorrow's high temperature"),
            _("What will tomorrow's high temperature be?"),
            "°C",
            -10,
            45,
            "measure",
        ),
        Preset(
            "year", _("A year in history"), _("In what year was the printing press invented?"), "", 1000, 2000, "year"
        ),
        Preset(
            "population",
            _("World population"),
            _("How many people live on Earth today?"),
            _("people"),
            "1 billion",
            "20 billion",
            "count",
        ),
        Preset(
            "bacterium",
            _("Length of a bacterium"),
            _("How long is an E. coli bacterium?"),
            "m",
            "0",
            "5 µm",
            "measure",
        ),
        Preset(
            "city",
            _("Population of a city"),
            _("How many people live in Chicago?"),
            _("people"),
            "10,000",
            "100 million",
            "count",
            "log",
        ),
        Preset(
            "fermi",
            _("A Fermi question"),
            _("How many piano tuners work in Chicago?"),
            _("piano tuners"),
            10,
            "100,000",
            "count",
            "log",
        ),
        Preset("custom", _("Custom"), "", "", 0, 100, "measure"),
    )
}


def initial_for(key: str | None) -> dict:
    """Form initial values for a preset (the custom one when the key is unknown)."""
    preset = PRESETS.get(key or "", PRESETS["custom"])
    return {
        "question": str(preset.question),
        "unit": str(preset.unit),
        "lo": preset.lo,
        "hi": preset.hi,
        "kind": preset.kind,
        "scale": preset.scale,
    }


# A ready lesson of five bank questions, one click from "Create game": each with its answer saved and a first
# guess, a count, a measure, a year and a log-scale estimate, so the class meets every kind of question.
LESSON = (
    "science-speed-of-sound",
    "geography-everest",
    "history-moon-landing",
    "science-bones",
    "fermi-heartbeats-a-day",
)
BANK, READY_LESSON, BLANK = "bank", "lesson", "blank"
STARTS = {
    BANK: _("Create, then pick questions from the bank"),
    READY_LESSON: _("Create with a ready 5-question lesson"),
    BLANK: _("Create, then write my own question"),
}


def start_url(game: Game, start: str | None) -> str:
    """Where a new game's host lands: the bank, the game with its lesson added, or a blank market form."""
    if start == BANK:
        return reverse("web:bank", args=[game.pk])
    if start == READY_LESSON:
        return reverse("web:game", args=[game.pk])
    return reverse("web:new_market", args=[game.pk])
