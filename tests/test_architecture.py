"""The floors of the house: import-linter's contracts (pyproject.toml) and the strict settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept():
    """Faces → queries → services → access → models → market; faces independent; no Django in the market.
    (In a process of its own: import-linter reads the code, and pytest's import hooks are in the way.)"""
    lint = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    result = subprocess.run([sys.executable, "-c", lint], cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def settings_with(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mmgame.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("value", ["ture", "2", "enabled"])
def test_a_yes_no_setting_refuses_what_it_does_not_understand(value):
    """A typo must not silently turn a protection off: SECURE_SSL_REDIRECT=ture stops the server."""
    result = settings_with(DEBUG="false", SECRET_KEY="x" * 60, SECURE_SSL_REDIRECT=value)

    assert result.returncode != 0
    assert f"SECURE_SSL_REDIRECT={value!r} is not a yes/no value" in result.stderr


@pytest.mark.parametrize(("value", "debug"), [("TRUE", True), ("off", False), (" 0 ", False), ("Yes", True)])
def test_a_yes_no_setting_reads_the_usual_words(value, debug):
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mmgame.settings", "DEBUG": value, "SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == str(debug), result.stderr


# -- the round's table is the one source of its rules (mmgame.round) -----------------------------------------

PHASE_NAMES = ("draft", "question", "guess", "guesses", "trading", "closed", "answer", "lesson")
PHASE_CONSTANT = re.compile(r"\b(?:P|Phase|round)\.(DRAFT|QUESTION|GUESS|GUESSES|TRADING|CLOSED|ANSWER|LESSON)\b")
STATUS_CONSTANT = re.compile(r"\b(?:S|Market\.Status|round)\.(DRAFT|OPEN|PAUSED|CLOSED|RESOLVED)\b")
# Python besides the table that may name phases together: the schema's constraint and its migrations.
NAMES_PHASES = {"mmgame/round.py", "mmgame/models/market.py"}
PHASE_WORD = "|".join(PHASE_NAMES)
STATUS_WORD = "draft|open|paused|closed|resolved"
# JavaScript that works out a phase: returns or picks one, maps a status to a phase, or lists four of the round's.
JS_DERIVES = [
    re.compile(rf"return\s+\"({PHASE_WORD})\""),
    re.compile(rf"\?\s*\"({PHASE_WORD})\"\s*:"),
    re.compile(rf"\b({STATUS_WORD})\s*:\s*\[?\s*\"({PHASE_WORD})\""),
    re.compile(rf"\[\s*\"({PHASE_WORD})\"\s*,\s*\"({PHASE_WORD})\"\s*,\s*\"({PHASE_WORD})\"\s*,\s*\"({PHASE_WORD})\""),
]
# A phase mapped to a later one is a Next (`{question: "guess"}`); to the same or an earlier one, a screen's name.
JS_MAPS = re.compile(rf"\b({PHASE_WORD})\s*:\s*\[?\s*\"({PHASE_WORD})\"")
# The screens that decide what the host may do next: they read it from the server, and name no phase at all.
STEPPING_SCREENS = ("static/js/control.js", "static/js/store.js", "static/js/round.js")


def python_sources() -> list[Path]:
    return [p for p in (ROOT / "mmgame").rglob("*.py") if "migrations" not in p.parts]


def test_no_python_outside_the_round_table_states_a_step_between_phases():
    """A module that names two phases (or two statuses) on one line is stating a rule of the round (what follows
    what, where Back goes, which phases allow something): that belongs in mmgame/round.py alone."""
    found = []
    for path in python_sources():
        name = path.relative_to(ROOT).as_posix()
        if name in NAMES_PHASES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if len(set(PHASE_CONSTANT.findall(line))) >= 2 or len(set(STATUS_CONSTANT.findall(line))) >= 2:
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_no_javascript_works_out_a_step_of_the_round():
    """Pages show the phase they are sent and the steps the server gives (`steps`); none picks a phase itself."""
    found = []
    for path in (ROOT / "static" / "js").rglob("*.js"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            later = any(PHASE_NAMES.index(b) > PHASE_NAMES.index(a) for a, b in JS_MAPS.findall(line))
            if later or any(rule.search(line) for rule in JS_DERIVES):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_screens_that_step_the_round_name_no_phase():
    """The control room and the store take Next, Back and what each phase shows from the server and the table."""
    words = re.compile(rf"[\"'`]({PHASE_WORD})[\"'`]")
    found = [
        f"{name}:{number}: {line.strip()}"
        for name in STEPPING_SCREENS
        for number, line in enumerate((ROOT / name).read_text().splitlines(), 1)
        if words.search(line) and not line.lstrip().startswith("//")
    ]
    assert not found, "\n".join(found)
